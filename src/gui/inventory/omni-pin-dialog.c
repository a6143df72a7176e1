/* omni-pin-dialog.c: asks a staff profile's PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Offers one profile, or a choice (the owners, when an owner must approve),
 * and checks the PIN with the store; only its salted hash is stored. A wrong
 * PIN is said so and the dialog stays; a right one emits ::verified with
 * the profile and closes. A profile without a PIN needs none.
 */
#define G_LOG_DOMAIN "omni-pin-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-pin-dialog.h"
#include "omni-store-staff.h"

struct _OmniPinDialog
{
  AdwWindow            parent_instance;

  OmniContext         *context;
  GPtrArray           *profiles;     /* OmniStaff */

  AdwWindowTitle      *window_title;
  GtkLabel            *message_label;
  AdwComboRow         *profile_row;
  AdwPasswordEntryRow *pin_row;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (OmniPinDialog, omni_pin_dialog, ADW_TYPE_WINDOW)

enum {
  VERIFIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const OmniStaff *
selected_profile (OmniPinDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->profile_row);

  if (self->profiles == NULL || selected >= self->profiles->len)
    return NULL;
  return g_ptr_array_index (self->profiles, selected);
}

static void
set_error (OmniPinDialog *self,
           const char    *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
profile_selected_cb (OmniPinDialog *self)
{
  const OmniStaff *staff = selected_profile (self);

  set_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_row), staff == NULL || staff->has_pin);
}

static void
pin_changed_cb (OmniPinDialog *self)
{
  set_error (self, NULL);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  OmniPinDialog *self = OMNI_PIN_DIALOG (widget);
  const OmniStaff *staff = selected_profile (self);
  g_autoptr(GError) error = NULL;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));

  if (staff == NULL)
    return;

  if (staff->has_pin &&
      !omni_store_check_pin (omni_context_get_store (self->context), staff->id, pin, &error))
    {
      /* Cleared first: typing clears the message, so it must come after. */
      gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
      if (g_error_matches (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID))
        set_error (self, _("Wrong PIN. Try again."));
      else
        set_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
      return;
    }

  g_object_ref (self);
  g_signal_emit (self, signals[VERIFIED], 0, staff->id, staff->name, staff->role);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
pin_activated_cb (OmniPinDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "pin.apply", NULL);
}

static void
omni_pin_dialog_dispose (GObject *object)
{
  OmniPinDialog *self = OMNI_PIN_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_PIN_DIALOG);
  g_clear_object (&self->context);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);

  G_OBJECT_CLASS (omni_pin_dialog_parent_class)->dispose (object);
}

static void
omni_pin_dialog_class_init (OmniPinDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_pin_dialog_dispose;

  /**
   * OmniPinDialog::verified:
   * @staff_id: the profile whose PIN was entered
   * @name: its name
   * @role: "owner" or "staff"
   */
  signals[VERIFIED] =
    g_signal_new ("verified",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/inventory/omni-pin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniPinDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OmniPinDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, OmniPinDialog, profile_row);
  gtk_widget_class_bind_template_child (widget_class, OmniPinDialog, pin_row);
  gtk_widget_class_bind_template_child (widget_class, OmniPinDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, profile_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_activated_cb);

  gtk_widget_class_install_action (widget_class, "pin.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_pin_dialog_init (OmniPinDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * omni_pin_dialog_new:
 * @parent: the window it belongs to
 * @message: what the PIN is for, one sentence
 * @profiles: (element-type OmniStaff): the profiles offered, at least one;
 *   the dialog takes a reference
 *
 * Returns: (transfer none): a new dialog, owned by GTK
 */
OmniPinDialog *
omni_pin_dialog_new (GtkWindow   *parent,
                     OmniContext *context,
                     const char  *message,
                     GPtrArray   *profiles)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  OmniPinDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (profiles != NULL && profiles->len > 0, NULL);

  self = g_object_new (OMNI_TYPE_PIN_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->profiles = g_ptr_array_ref (profiles);

  for (guint i = 0; i < profiles->len; i++)
    gtk_string_list_append (names, ((OmniStaff *) g_ptr_array_index (profiles, i))->name);
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->profile_row, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_row), profiles->len > 1);
  gtk_label_set_text (self->message_label, message);
  profile_selected_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));

  return self;
}

void
omni_pin_dialog_set_pin (OmniPinDialog *self,
                         const char    *pin)
{
  g_return_if_fail (OMNI_IS_PIN_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), pin ? pin : "");
}

/**
 * omni_pin_dialog_select:
 *
 * Returns: %FALSE when the profile is not offered
 */
gboolean
omni_pin_dialog_select (OmniPinDialog *self,
                        gint64         staff_id)
{
  g_return_val_if_fail (OMNI_IS_PIN_DIALOG (self), FALSE);

  for (guint i = 0; i < self->profiles->len; i++)
    if (((OmniStaff *) g_ptr_array_index (self->profiles, i))->id == staff_id)
      {
        adw_combo_row_set_selected (self->profile_row, i);
        return TRUE;
      }

  return FALSE;
}

/**
 * omni_pin_dialog_get_error:
 *
 * Returns: (nullable): the refusal shown, if any
 */
const char *
omni_pin_dialog_get_error (OmniPinDialog *self)
{
  g_return_val_if_fail (OMNI_IS_PIN_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
