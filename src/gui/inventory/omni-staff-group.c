/* omni-staff-group.c: the staff profiles, in the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the profiles, adds one (name, role, optional PIN: the store keeps
 * only its salted hash) and removes one. Removing archives the profile, so
 * the movements that carry its name keep meaning something. The profile at
 * work cannot be removed from under itself.
 */
#define G_LOG_DOMAIN "omni-staff-group"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-inventory-util.h"
#include "omni-staff-group.h"
#include "omni-store-staff.h"

struct _OmniStaffGroup
{
  AdwPreferencesGroup  parent_instance;

  OmniContext         *context;
  guint                n_profiles;

  GtkListBox          *profile_list;
  AdwExpanderRow      *add_row;
  AdwEntryRow         *name_row;
  AdwComboRow         *role_row;
  AdwPasswordEntryRow *pin_row;
};

G_DEFINE_FINAL_TYPE (OmniStaffGroup, omni_staff_group, ADW_TYPE_PREFERENCES_GROUP)

/* The role row lists Staff first: the common case, and the harmless one. */
static const char *roles[] = { "staff", "owner" };

static GtkWidget *
create_row (const OmniStaff *staff)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;

  if (staff->has_pin)
    /* Translators: a staff role and that the profile has a PIN, "Owner · PIN" */
    subtitle = g_strdup_printf (_("%s · PIN"), omni_inventory_role_label (staff->role));
  else
    subtitle = g_strdup (omni_inventory_role_label (staff->role));

  /* Translators: %s is a staff name */
  tooltip = g_strdup_printf (_("Remove %s"), staff->name);
  gtk_widget_set_tooltip_text (remove, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "staff.remove");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove),
                                          g_variant_new_int64 (staff->id));

  /* a name is text, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), staff->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, staff->name, TRUE));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

static void
refill (OmniStaffGroup *self)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profile_list))) != NULL)
    gtk_list_box_remove (self->profile_list, child);

  staff = omni_store_list_staff (omni_context_get_store (self->context), &error);
  if (staff == NULL)
    {
      omni_inventory_preferences_toast (GTK_WIDGET (self), error->message);
      return;
    }

  for (guint i = 0; i < staff->len; i++)
    gtk_list_box_append (self->profile_list, create_row (g_ptr_array_index (staff, i)));
  self->n_profiles = staff->len;
}

static void
add_fields_changed_cb (OmniStaffGroup *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "staff.add", name[0] != '\0');
}

static void
clear_fields (OmniStaffGroup *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  adw_combo_row_set_selected (self->role_row, 0);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  OmniStaffGroup *self = OMNI_STAFF_GROUP (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  guint role = adw_combo_row_get_selected (self->role_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->context == NULL || name[0] == '\0')
    return;

  if (omni_store_add_staff (omni_context_get_store (self->context), name,
                            roles[MIN (role, G_N_ELEMENTS (roles) - 1)],
                            pin[0] != '\0' ? pin : NULL, &error) <= 0)
    {
      omni_inventory_preferences_toast (GTK_WIDGET (self), error->message);
      return;
    }

  /* Translators: %s is a staff name */
  text = g_strdup_printf (_("Added %s"), name);
  omni_inventory_preferences_toast (GTK_WIDGET (self), text);
  clear_fields (self);
  adw_expander_row_set_expanded (self->add_row, FALSE);
  omni_context_store_changed (self->context);
}

static void
add_activated_cb (OmniStaffGroup *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "staff.add", NULL);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniStaffGroup *self = OMNI_STAFF_GROUP (widget);

  omni_staff_group_remove (self, g_variant_get_int64 (param));
}

static void
omni_staff_group_dispose (GObject *object)
{
  OmniStaffGroup *self = OMNI_STAFF_GROUP (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_STAFF_GROUP);
  g_clear_weak_pointer (&self->context);

  G_OBJECT_CLASS (omni_staff_group_parent_class)->dispose (object);
}

static void
omni_staff_group_class_init (OmniStaffGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_staff_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/inventory/omni-staff-group.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniStaffGroup, profile_list);
  gtk_widget_class_bind_template_child (widget_class, OmniStaffGroup, add_row);
  gtk_widget_class_bind_template_child (widget_class, OmniStaffGroup, name_row);
  gtk_widget_class_bind_template_child (widget_class, OmniStaffGroup, role_row);
  gtk_widget_class_bind_template_child (widget_class, OmniStaffGroup, pin_row);
  gtk_widget_class_bind_template_callback (widget_class, add_fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_activated_cb);

  gtk_widget_class_install_action (widget_class, "staff.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "staff.remove", "x", remove_action);
}

static void
omni_staff_group_init (OmniStaffGroup *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No profiles: changes are recorded under the staff name "
                                 "above, or this computer’s account"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->profile_list, placeholder);
  add_fields_changed_cb (self);
}

/**
 * omni_staff_group_set_context:
 * @context: whose profiles to show and edit
 */
void
omni_staff_group_set_context (OmniStaffGroup *self,
                              OmniContext    *context)
{
  g_return_if_fail (OMNI_IS_STAFF_GROUP (self));
  g_return_if_fail (OMNI_IS_CONTEXT (context));
  g_return_if_fail (self->context == NULL);

  /* Weak: the window's context outlives its preferences. */
  g_set_weak_pointer (&self->context, context);
  g_signal_connect_object (context, "store-changed", G_CALLBACK (refill), self,
                           G_CONNECT_SWAPPED);
  refill (self);
}

/**
 * omni_staff_group_fill_new:
 * @role: "owner" or "staff"
 * @pin: (nullable): the PIN, or %NULL for none
 *
 * Types a new profile into the form, as the merchant would; `staff.add`
 * adds it.
 */
void
omni_staff_group_fill_new (OmniStaffGroup *self,
                           const char     *name,
                           const char     *role,
                           const char     *pin)
{
  g_return_if_fail (OMNI_IS_STAFF_GROUP (self));
  g_return_if_fail (name != NULL);

  adw_expander_row_set_expanded (self->add_row, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  adw_combo_row_set_selected (self->role_row, g_strcmp0 (role, "owner") == 0 ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), pin ? pin : "");
}

/**
 * omni_staff_group_remove:
 *
 * Removes (archives) a profile, unless it is the one at work.
 *
 * Returns: %TRUE when it was removed
 */
gboolean
omni_staff_group_remove (OmniStaffGroup *self,
                         gint64          staff_id)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (OMNI_IS_STAFF_GROUP (self), FALSE);
  g_return_val_if_fail (self->context != NULL, FALSE);

  if (staff_id == omni_context_get_staff_id (self->context))
    {
      omni_inventory_preferences_toast (GTK_WIDGET (self),
                                        _("This profile is at work now: pick another one first"));
      return FALSE;
    }

  if (!omni_store_archive_staff (omni_context_get_store (self->context), staff_id, &error))
    {
      omni_inventory_preferences_toast (GTK_WIDGET (self), error->message);
      return FALSE;
    }

  omni_context_store_changed (self->context);
  return TRUE;
}

guint
omni_staff_group_get_n_profiles (OmniStaffGroup *self)
{
  g_return_val_if_fail (OMNI_IS_STAFF_GROUP (self), 0);

  return self->n_profiles;
}
