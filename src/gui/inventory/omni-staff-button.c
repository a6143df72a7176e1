/* omni-staff-button.c: who works now, in the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names the staff profile whose name goes with each change, and switches
 * to another (after its PIN, if it has one) or locks the window. Hidden
 * while the shop has no profiles: the computer's account is then the actor,
 * as it always was.
 */
#define G_LOG_DOMAIN "omni-staff-button"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-inventory-util.h"
#include "omni-pin-dialog.h"
#include "omni-staff-button.h"
#include "omni-store-staff.h"

struct _OmniStaffButton
{
  AdwBin         parent_instance;

  OmniContext   *context;
  GPtrArray     *profiles;      /* OmniStaff */

  GtkMenuButton *menu_button;
  GtkLabel      *name_label;
  GtkListBox    *profile_list;
};

G_DEFINE_FINAL_TYPE (OmniStaffButton, omni_staff_button, ADW_TYPE_BIN)

static GtkWidget *
create_row (const OmniStaff *staff,
            gboolean         current)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (staff->name);
  GtkWidget *role = gtk_label_new (omni_inventory_role_label (staff->role));
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (role), 0);
  gtk_widget_add_css_class (role, "dim-label");
  gtk_widget_add_css_class (role, "caption");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), role);
  gtk_widget_set_visible (check, current);
  gtk_box_append (GTK_BOX (box), adw_avatar_new (24, staff->name, TRUE));
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), check);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  return box;
}

static void
update (OmniStaffButton *self)
{
  gint64 current = omni_context_get_staff_id (self->context);
  const char *name = omni_context_get_staff_name (self->context);
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = omni_store_list_staff (omni_context_get_store (self->context), &error);
  if (self->profiles == NULL)
    {
      g_warning ("Cannot read the staff profiles: %s", error->message);
      self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_staff_free);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profile_list))) != NULL)
    gtk_list_box_remove (self->profile_list, child);
  for (guint i = 0; i < self->profiles->len; i++)
    {
      const OmniStaff *staff = g_ptr_array_index (self->profiles, i);

      gtk_list_box_append (self->profile_list, create_row (staff, staff->id == current));
    }

  gtk_label_set_text (self->name_label, current > 0 ? name : _("Choose Profile"));
  gtk_widget_set_visible (GTK_WIDGET (self), self->profiles->len > 0);
}

static void
verified_cb (OmniStaffButton *self,
             gint64           staff_id,
             const char      *name,
             const char      *role)
{
  omni_context_set_staff (self->context, staff_id, name, role);
}

static void
choose_index (OmniStaffButton *self,
              guint            index)
{
  const OmniStaff *staff = g_ptr_array_index (self->profiles, index);
  g_autoptr(GPtrArray) one = NULL;
  g_autofree char *message = NULL;
  OmniPinDialog *dialog;

  gtk_menu_button_popdown (self->menu_button);
  if (staff->id == omni_context_get_staff_id (self->context))
    return;
  if (!staff->has_pin)
    {
      omni_context_set_staff (self->context, staff->id, staff->name, staff->role);
      return;
    }

  one = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_staff_free);
  g_ptr_array_add (one, omni_inventory_staff_copy (staff));
  /* Translators: %s is a staff name */
  message = g_strdup_printf (_("Enter the PIN of %s to work under that name."), staff->name);
  dialog = omni_pin_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                self->context, message, one);
  g_signal_connect_object (dialog, "verified", G_CALLBACK (verified_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
row_activated_cb (OmniStaffButton *self,
                  GtkListBoxRow   *row)
{
  choose_index (self, (guint) gtk_list_box_row_get_index (row));
}

static GtkWidget *
create_popover (OmniStaffButton *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *lock = gtk_button_new_with_mnemonic (_("_Lock"));
  GtkWidget *popover = gtk_popover_new ();

  self->profile_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->profile_list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->profile_list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->profile_list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->profile_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Staff profiles"), -1);
  g_signal_connect_object (self->profile_list, "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (lock), "win.lock");
  gtk_widget_set_tooltip_text (lock, _("Show the profile picker until someone picks a profile"));

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->profile_list));
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), lock);
  gtk_widget_set_size_request (box, 220, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  return popover;
}

static void
omni_staff_button_dispose (GObject *object)
{
  OmniStaffButton *self = OMNI_STAFF_BUTTON (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->context);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);

  G_OBJECT_CLASS (omni_staff_button_parent_class)->dispose (object);
}

static void
omni_staff_button_class_init (OmniStaffButtonClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = omni_staff_button_dispose;
}

static void
omni_staff_button_init (OmniStaffButton *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->name_label, 16);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("avatar-default-symbolic"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->name_label));

  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_child (self->menu_button, box);
  gtk_menu_button_set_popover (self->menu_button, create_popover (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Staff Profile"));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->menu_button));
}

/**
 * omni_staff_button_new:
 * @context: whose profiles and current staff it shows
 *
 * Returns: (transfer floating): a new button
 */
GtkWidget *
omni_staff_button_new (OmniContext *context)
{
  OmniStaffButton *self;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_STAFF_BUTTON, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_object (context, "store-changed", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::staff-id", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}

/**
 * omni_staff_button_choose:
 *
 * Does what picking the profile in the button's list does.
 *
 * Returns: %FALSE when there is no such profile
 */
gboolean
omni_staff_button_choose (OmniStaffButton *self,
                          gint64           staff_id)
{
  g_return_val_if_fail (OMNI_IS_STAFF_BUTTON (self), FALSE);

  for (guint i = 0; i < self->profiles->len; i++)
    if (((OmniStaff *) g_ptr_array_index (self->profiles, i))->id == staff_id)
      {
        choose_index (self, i);
        return TRUE;
      }

  return FALSE;
}
