/* omni-transfer-dialog.c: move one variant's stock between two locations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One operation, two `transfer` movements in one transaction: the store's
 * omni_store_transfer(). Undo reverses both legs at once.
 */
#define G_LOG_DOMAIN "omni-transfer-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-inventory-util.h"
#include "omni-transfer-dialog.h"

struct _OmniTransferDialog
{
  AdwWindow       parent_instance;

  OmniContext    *context;
  gint64          variant_id;
  GPtrArray      *levels;         /* OmniLevel, one per location */
  char           *label;
  gboolean        busy;           /* a write is running */

  AdwWindowTitle *window_title;
  GtkWidget      *content;
  AdwComboRow    *from_row;
  AdwComboRow    *to_row;
  GtkSpinButton  *quantity_spin;
  AdwEntryRow    *note_row;
  GtkLabel       *result_label;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (OmniTransferDialog, omni_transfer_dialog, ADW_TYPE_WINDOW)

static const OmniLevel *
level_at (OmniTransferDialog *self,
          AdwComboRow        *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->levels == NULL || selected >= self->levels->len)
    return NULL;
  return g_ptr_array_index (self->levels, selected);
}

static void
set_error (OmniTransferDialog *self,
           const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
describe_after (const OmniLevel *level,
                gint64           delta)
{
  g_autofree char *before = omni_inventory_format_count (level->on_hand);
  g_autofree char *after = omni_inventory_format_count (level->on_hand + delta);

  /* Translators: a location and its stock on hand before and after,
   * "Shop Floor: 12 → 9" */
  return g_strdup_printf (_("%s: %s → %s"), level->location, before, after);
}

static void
update_result (OmniTransferDialog *self)
{
  const OmniLevel *from = level_at (self, self->from_row);
  const OmniLevel *to = level_at (self, self->to_row);
  gint64 quantity = (gint64) gtk_spin_button_get_value (self->quantity_spin);
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *text = NULL;
  gboolean valid = from != NULL && to != NULL && from != to;

  set_error (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.apply", valid);

  if (self->levels != NULL && self->levels->len < 2)
    {
      gtk_label_set_text (self->result_label,
                          _("There is only one location: add another to move stock between them."));
      return;
    }
  if (!valid)
    {
      gtk_label_set_text (self->result_label, _("Choose two different locations."));
      return;
    }

  from_text = describe_after (from, -quantity);
  to_text = describe_after (to, quantity);
  text = g_strdup_printf ("%s\n%s", from_text, to_text);
  gtk_label_set_text (self->result_label, text);
}

static void
input_changed_cb (OmniTransferDialog *self)
{
  if (self->levels != NULL)
    update_result (self);
}

/* The write runs in a thread with a connection of its own. */
typedef struct
{
  char              *path;
  gint64             variant_id;
  gint64             from;
  gint64             to;
  gint64             quantity;
  char              *note;
  char              *actor;
} Apply;

static void
apply_free (Apply *apply)
{
  g_free (apply->path);
  g_free (apply->note);
  g_free (apply->actor);
  g_free (apply);
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Apply *apply = task_data;
  g_autoptr(OmniStore) store = NULL;
  OmniAdjustOptions options = { 0 };
  GError *error = NULL;
  char *operation;

  store = omni_store_open (apply->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  options.note = apply->note;
  options.actor = apply->actor;
  options.source = "app";
  operation = omni_store_transfer (store, apply->variant_id, apply->from, apply->to,
                                   apply->quantity, &options, &error);
  if (operation == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, operation, g_free);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OmniTransferDialog) self = user_data;
  Apply *apply = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *operation = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  const OmniLevel *from = level_at (self, self->from_row);
  const OmniLevel *to = level_at (self, self->to_row);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->content), TRUE);
  if (operation == NULL)
    {
      update_result (self);
      set_error (self, error->message);
      return;
    }

  number = omni_inventory_format_count (apply->quantity);
  /* Translators: "Moved 3 × TEE-S from Shop Floor to Back Room" */
  text = g_strdup_printf (_("Moved %s × %s from %s to %s"), number, self->label,
                          from != NULL ? from->location : "", to != NULL ? to->location : "");
  if (parent != NULL)
    omni_inventory_add_toast (GTK_WIDGET (parent), omni_inventory_undo_toast_new (text, operation));
  omni_context_store_changed (self->context);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  OmniTransferDialog *self = OMNI_TRANSFER_DIALOG (widget);
  const OmniLevel *from = level_at (self, self->from_row);
  const OmniLevel *to = level_at (self, self->to_row);
  g_autofree char *note = NULL;
  g_autoptr(GTask) task = NULL;
  Apply *apply;

  if (from == NULL || to == NULL || self->busy)
    return;

  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  apply = g_new0 (Apply, 1);
  apply->path = g_strdup (omni_store_get_path (omni_context_get_store (self->context)));
  apply->variant_id = self->variant_id;
  apply->from = from->location_id;
  apply->to = to->location_id;
  apply->quantity = (gint64) gtk_spin_button_get_value (self->quantity_spin);
  apply->note = note[0] != '\0' ? g_steal_pointer (&note) : NULL;
  apply->actor = omni_context_dup_actor (self->context);

  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->content), FALSE);
  /* The owner is not the task's source: see omni_worker_task_new(). */
  task = g_task_new (NULL, NULL, applied_cb, g_object_ref (self));
  g_task_set_source_tag (task, apply_action);
  g_task_set_task_data (task, apply, (GDestroyNotify) apply_free);
  g_task_run_in_thread (task, apply_thread);
}

static void
activate_cb (OmniTransferDialog *self)
{
  if (self->busy)
    return;
  gtk_spin_button_update (self->quantity_spin);
  gtk_widget_activate_action (GTK_WIDGET (self), "transfer.apply", NULL);
}

/* From the default location (or the first) to the first other one. */
static void
fill_locations (OmniTransferDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint from = 0;

  for (guint i = 0; i < self->levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (self->levels, i);

      gtk_string_list_append (names, level->location);
      if (level->is_default)
        from = i;
    }
  adw_combo_row_set_model (self->from_row, G_LIST_MODEL (names));
  adw_combo_row_set_model (self->to_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->from_row, from);
  adw_combo_row_set_selected (self->to_row, from == 0 && self->levels->len > 1 ? 1 : 0);
}

static gboolean
load (OmniTransferDialog  *self,
      GError             **error)
{
  OmniStore *store = omni_context_get_store (self->context);

  self->levels = omni_store_get_levels (store, self->variant_id, error);
  if (self->levels == NULL)
    return FALSE;

  self->label = omni_inventory_dup_variant_label (store, self->variant_id);
  adw_window_title_set_subtitle (self->window_title, self->label);
  fill_locations (self);
  update_result (self);

  return TRUE;
}

static void
omni_transfer_dialog_dispose (GObject *object)
{
  OmniTransferDialog *self = OMNI_TRANSFER_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_TRANSFER_DIALOG);
  g_clear_object (&self->context);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (omni_transfer_dialog_parent_class)->dispose (object);
}

static void
omni_transfer_dialog_class_init (OmniTransferDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_transfer_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/inventory/omni-transfer-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, content);
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, quantity_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, OmniTransferDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_install_action (widget_class, "transfer.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_transfer_dialog_init (OmniTransferDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  omni_inventory_spin_on_enter (self->quantity_spin, G_CALLBACK (activate_cb), self);
}

/**
 * omni_transfer_dialog_new:
 * @parent: the window the toast goes to
 *
 * Returns: (transfer none) (nullable): a new dialog, owned by GTK; %NULL
 *   after showing why in a toast when the variant cannot be read
 */
OmniTransferDialog *
omni_transfer_dialog_new (GtkWindow   *parent,
                          OmniContext *context,
                          gint64       variant_id)
{
  OmniTransferDialog *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_TRANSFER_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->variant_id = variant_id;

  if (!load (self, &error))
    {
      omni_inventory_show_error (GTK_WIDGET (parent), error->message);
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  /* The number is what the merchant types first. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->quantity_spin));

  return self;
}

static gboolean
select_location (OmniTransferDialog *self,
                 AdwComboRow        *row,
                 gint64              location_id)
{
  for (guint i = 0; i < self->levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (self->levels, i);

      if (level->location_id == location_id)
        {
          adw_combo_row_set_selected (row, i);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * omni_transfer_dialog_set_locations:
 *
 * Returns: %FALSE when either location is not offered
 */
gboolean
omni_transfer_dialog_set_locations (OmniTransferDialog *self,
                                    gint64              from_location_id,
                                    gint64              to_location_id)
{
  g_return_val_if_fail (OMNI_IS_TRANSFER_DIALOG (self), FALSE);

  return select_location (self, self->from_row, from_location_id) &&
         select_location (self, self->to_row, to_location_id);
}

void
omni_transfer_dialog_set_quantity (OmniTransferDialog *self,
                                   gint64              quantity)
{
  g_return_if_fail (OMNI_IS_TRANSFER_DIALOG (self));

  gtk_spin_button_set_value (self->quantity_spin, (double) quantity);
}

/**
 * omni_transfer_dialog_get_error:
 *
 * Returns: (nullable): the refusal shown in the dialog, if any
 */
const char *
omni_transfer_dialog_get_error (OmniTransferDialog *self)
{
  g_return_val_if_fail (OMNI_IS_TRANSFER_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
