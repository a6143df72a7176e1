/* omni-lock-view.c: the profile picker a locked window shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's content sits in a stack; locking shows this page instead
 * and forgets who was working, so every change after unlocking is
 * recorded under the profile picked here (its PIN checked by the store).
 * Without staff profiles the picker offers the operating system account:
 * locking then just hides the figures from the shop floor.
 */
#define G_LOG_DOMAIN "omni-lock-view"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-inventory-util.h"
#include "omni-lock-view.h"
#include "omni-pin-dialog.h"
#include "omni-store-staff.h"

struct _OmniLockView
{
  AdwBin       parent_instance;

  OmniContext *context;
  GPtrArray   *profiles;        /* OmniStaff */
  char        *covered;         /* the stack page shown before locking */

  GtkListBox  *profile_list;
};

G_DEFINE_FINAL_TYPE (OmniLockView, omni_lock_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_row (const char *name,
            const char *subtitle,
            gboolean    has_pin)
{
  GtkWidget *row = adw_action_row_new ();

  /* a name is text, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, name, TRUE));
  if (has_pin)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("system-lock-screen-symbolic");

      gtk_widget_set_tooltip_text (icon, _("Asks for a PIN"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  return row;
}

static void
fill_profiles (OmniLockView *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profile_list))) != NULL)
    gtk_list_box_remove (self->profile_list, child);

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = omni_store_list_staff (omni_context_get_store (self->context), &error);
  if (self->profiles == NULL)
    {
      g_warning ("Cannot read the staff profiles: %s", error->message);
      self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_staff_free);
    }

  for (guint i = 0; i < self->profiles->len; i++)
    {
      const OmniStaff *staff = g_ptr_array_index (self->profiles, i);

      gtk_list_box_append (self->profile_list,
                           create_row (staff->name, omni_inventory_role_label (staff->role), staff->has_pin));
    }

  if (self->profiles->len == 0)
    gtk_list_box_append (self->profile_list,
                         create_row (g_get_user_name (), _("This computer’s account"), FALSE));
}

static void
unlock (OmniLockView *self,
        gint64        staff_id,
        const char   *name,
        const char   *role)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  omni_context_set_staff (self->context, staff_id, name, role);
  if (GTK_IS_STACK (parent) && self->covered != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (parent), self->covered);
  g_clear_pointer (&self->covered, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static void
verified_cb (OmniLockView *self,
             gint64        staff_id,
             const char   *name,
             const char   *role)
{
  unlock (self, staff_id, name, role);
}

static void
choose_index (OmniLockView *self,
              guint         index)
{
  const OmniStaff *staff;
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) one = NULL;
  OmniPinDialog *dialog;

  if (self->profiles->len == 0)
    {
      unlock (self, 0, NULL, NULL);
      return;
    }

  staff = g_ptr_array_index (self->profiles, index);
  if (!staff->has_pin)
    {
      unlock (self, staff->id, staff->name, staff->role);
      return;
    }

  one = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_staff_free);
  g_ptr_array_add (one, omni_inventory_staff_copy (staff));

  /* Translators: %s is a staff name */
  message = g_strdup_printf (_("Enter the PIN of %s."), staff->name);
  dialog = omni_pin_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                self->context, message, one);
  g_signal_connect_object (dialog, "verified", G_CALLBACK (verified_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
row_activated_cb (OmniLockView  *self,
                  GtkListBoxRow *row)
{
  choose_index (self, (guint) gtk_list_box_row_get_index (row));
}

static void
omni_lock_view_dispose (GObject *object)
{
  OmniLockView *self = OMNI_LOCK_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_LOCK_VIEW);
  g_clear_object (&self->context);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->covered, g_free);

  G_OBJECT_CLASS (omni_lock_view_parent_class)->dispose (object);
}

static void
omni_lock_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OmniLockView *self = OMNI_LOCK_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_LOCKED:
      g_value_set_boolean (value, omni_lock_view_get_locked (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_lock_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  OmniLockView *self = OMNI_LOCK_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_lock_view_class_init (OmniLockViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_lock_view_dispose;
  object_class->get_property = omni_lock_view_get_property;
  object_class->set_property = omni_lock_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         OMNI_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/inventory/omni-lock-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniLockView, profile_list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
omni_lock_view_init (OmniLockView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * omni_lock_view_new:
 * @context: whose profiles to offer
 *
 * Add the view to the stack that holds the window's content.
 *
 * Returns: (transfer floating): a new view
 */
GtkWidget *
omni_lock_view_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_LOCK_VIEW, "context", context, NULL);
}

/**
 * omni_lock_view_lock:
 *
 * Covers the window's content with the profile picker. Nobody works until
 * a profile is picked.
 */
void
omni_lock_view_lock (OmniLockView *self)
{
  GtkWidget *parent;

  g_return_if_fail (OMNI_IS_LOCK_VIEW (self));

  parent = gtk_widget_get_parent (GTK_WIDGET (self));
  g_return_if_fail (GTK_IS_STACK (parent));

  if (omni_lock_view_get_locked (self))
    return;

  fill_profiles (self);
  omni_context_set_staff (self->context, 0, NULL, NULL);
  self->covered = g_strdup (gtk_stack_get_visible_child_name (GTK_STACK (parent)));
  gtk_stack_set_visible_child (GTK_STACK (parent), GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

/**
 * omni_lock_view_lock_if_needed:
 *
 * Locks when staff profiles exist and none is working: a window opens on
 * the picker, so each change has a profile's name.
 */
void
omni_lock_view_lock_if_needed (OmniLockView *self)
{
  g_autoptr(GPtrArray) staff = NULL;

  g_return_if_fail (OMNI_IS_LOCK_VIEW (self));

  if (omni_context_get_staff_id (self->context) > 0)
    return;
  staff = omni_store_list_staff (omni_context_get_store (self->context), NULL);
  if (staff != NULL && staff->len > 0)
    omni_lock_view_lock (self);
}

gboolean
omni_lock_view_get_locked (OmniLockView *self)
{
  g_return_val_if_fail (OMNI_IS_LOCK_VIEW (self), FALSE);

  return self->covered != NULL;
}

/**
 * omni_lock_view_choose:
 * @staff_id: a profile's id; 0 for the computer's account when there are
 *   no profiles
 *
 * Does what activating the profile's row does: unlocks, or asks its PIN.
 *
 * Returns: %FALSE when the profile is not offered
 */
gboolean
omni_lock_view_choose (OmniLockView *self,
                       gint64        staff_id)
{
  g_return_val_if_fail (OMNI_IS_LOCK_VIEW (self), FALSE);
  g_return_val_if_fail (self->profiles != NULL, FALSE);

  if (self->profiles->len == 0 && staff_id == 0)
    {
      choose_index (self, 0);
      return TRUE;
    }

  for (guint i = 0; i < self->profiles->len; i++)
    if (((OmniStaff *) g_ptr_array_index (self->profiles, i))->id == staff_id)
      {
        choose_index (self, i);
        return TRUE;
      }

  return FALSE;
}
