/* omni-adjust-dialog.c: adjust one variant's stock at one location
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * By a delta or to a counted number, with a reason and a note. The result
 * on hand shows while the merchant types. The store decides what is allowed
 * (negative stock, limits): its refusal shows here, in its own words, and
 * nothing is written. The write runs in a thread with its own connection. A change closes the dialog and leaves a toast with
 * Undo in the parent window.
 */
#define G_LOG_DOMAIN "omni-adjust-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-adjust-dialog.h"
#include "omni-inventory-util.h"

struct _OmniAdjustDialog
{
  AdwWindow        parent_instance;

  OmniContext     *context;
  gint64           variant_id;
  GPtrArray       *levels;         /* OmniLevel, one per location */
  char            *label;          /* SKU, for messages */

  gboolean         busy;            /* a write is running */

  AdwWindowTitle  *window_title;
  GtkWidget       *content;
  GtkWidget       *apply_button;
  GtkToggleButton *delta_toggle;
  GtkToggleButton *set_toggle;
  GtkSpinButton   *quantity_spin;
  GtkAdjustment   *quantity_adjustment;
  AdwComboRow     *location_row;
  AdwComboRow     *reason_row;
  AdwEntryRow     *note_row;
  GtkLabel        *result_caption;
  GtkLabel        *result_label;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (OmniAdjustDialog, omni_adjust_dialog, ADW_TYPE_WINDOW)

static OmniAdjustMode
get_mode (OmniAdjustDialog *self)
{
  return gtk_toggle_button_get_active (self->set_toggle) ? OMNI_ADJUST_SET : OMNI_ADJUST_DELTA;
}

static gint64
get_quantity (OmniAdjustDialog *self)
{
  return (gint64) gtk_spin_button_get_value (self->quantity_spin);
}

static const OmniLevel *
selected_level (OmniAdjustDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->location_row);

  if (self->levels == NULL || selected >= self->levels->len)
    return NULL;
  return g_ptr_array_index (self->levels, selected);
}

static const char *
selected_reason (OmniAdjustDialog *self)
{
  const OmniReasonChoice *reasons;
  guint n, selected = adw_combo_row_get_selected (self->reason_row);

  reasons = omni_inventory_adjust_reasons (&n);
  return selected < n ? reasons[selected].reason : OMNI_REASON_CORRECTION;
}

static void
set_error (OmniAdjustDialog *self,
           const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* The on-hand figure after the change, and whether there is a change. */
static void
update_result (OmniAdjustDialog *self)
{
  const OmniLevel *level = selected_level (self);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  g_autofree char *caption = NULL;
  gint64 result;

  set_error (self, NULL);
  if (level == NULL)
    {
      gtk_label_set_text (self->result_label, "");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjust.apply", FALSE);
      return;
    }

  result = omni_adjust_dialog_get_result (self);
  before = omni_inventory_format_count (level->on_hand);
  after = omni_inventory_format_count (result);
  /* Translators: stock on hand before and after a change, "12 → 9" */
  text = g_strdup_printf (_("%s → %s"), before, after);
  /* Translators: %s is a location, "Shop Floor" */
  caption = g_strdup_printf (_("On hand at %s"), level->location);
  gtk_label_set_text (self->result_label, text);
  gtk_label_set_text (self->result_caption, caption);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjust.apply", result != level->on_hand);
}

static void
input_changed_cb (OmniAdjustDialog *self)
{
  if (self->levels != NULL)
    update_result (self);
}

/* Switching to "Set To" starts from the current count, which is the number
 * a merchant corrects; "By" starts from zero. */
static void
mode_toggled_cb (OmniAdjustDialog *self)
{
  const OmniLevel *level = selected_level (self);
  gboolean set = get_mode (self) == OMNI_ADJUST_SET;

  if (self->levels == NULL)
    return;

  gtk_adjustment_set_lower (self->quantity_adjustment, set ? 0 : -1000000);
  gtk_spin_button_set_value (self->quantity_spin, set && level != NULL ? level->on_hand : 0);
  gtk_button_set_label (GTK_BUTTON (self->apply_button), set ? _("_Set") : _("_Adjust"));
  update_result (self);
}

static char *
success_text (OmniAdjustDialog *self,
              gint64            delta,
              gint64            result)
{
  g_autofree char *number = NULL;

  if (get_mode (self) == OMNI_ADJUST_SET)
    {
      number = omni_inventory_format_count (result);
      /* Translators: "Set TEE-S to 12" */
      return g_strdup_printf (_("Set %s to %s"), self->label, number);
    }

  number = omni_inventory_format_delta (delta);
  /* Translators: "Adjusted TEE-S by −3" */
  return g_strdup_printf (_("Adjusted %s by %s"), self->label, number);
}

/* The write runs in a thread with a connection of its own, so the window
 * never waits on a busy database; the dialog stays, inert, until it ends. */
typedef struct
{
  char              *path;
  OmniAdjustLine     line;
  OmniAdjustOptions  options;       /* strings owned below */
  char              *reason;
  char              *note;
  char              *actor;
} Apply;

static void
apply_free (Apply *apply)
{
  g_free (apply->path);
  g_free (apply->reason);
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
  GError *error = NULL;
  char *operation;

  store = omni_store_open (apply->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  operation = omni_store_adjust (store, &apply->line, 1, &apply->options, &error);
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
  g_autoptr(OmniAdjustDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *operation = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;
  const OmniLevel *level = selected_level (self);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  gint64 after;

  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->content), TRUE);
  if (operation == NULL)
    {
      update_result (self);
      set_error (self, error->message);
      return;
    }

  after = omni_adjust_dialog_get_result (self);
  text = success_text (self, level != NULL ? after - level->on_hand : 0, after);
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
  OmniAdjustDialog *self = OMNI_ADJUST_DIALOG (widget);
  const OmniLevel *level = selected_level (self);
  g_autofree char *note = NULL;
  g_autoptr(GTask) task = NULL;
  Apply *apply;

  if (level == NULL || self->busy)
    return;

  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  apply = g_new0 (Apply, 1);
  apply->path = g_strdup (omni_store_get_path (omni_context_get_store (self->context)));
  apply->line.variant_id = self->variant_id;
  apply->line.location_id = level->location_id;
  apply->line.quantity = get_quantity (self);
  apply->reason = g_strdup (selected_reason (self));
  apply->note = note[0] != '\0' ? g_steal_pointer (&note) : NULL;
  apply->actor = omni_context_dup_actor (self->context);
  apply->options.mode = get_mode (self);
  apply->options.reason = apply->reason;
  apply->options.note = apply->note;
  apply->options.actor = apply->actor;
  apply->options.source = "app";

  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->content), FALSE);
  /* The owner is not the task's source: see omni_worker_task_new(). */
  task = g_task_new (NULL, NULL, applied_cb, g_object_ref (self));
  g_task_set_source_tag (task, apply_action);
  g_task_set_task_data (task, apply, (GDestroyNotify) apply_free);
  g_task_run_in_thread (task, apply_thread);
}

static void
quantity_activate_cb (OmniAdjustDialog *self)
{
  if (self->busy)
    return;
  gtk_spin_button_update (self->quantity_spin);
  gtk_widget_activate_action (GTK_WIDGET (self), "adjust.apply", NULL);
}

static void
fill_locations (OmniAdjustDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < self->levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (self->levels, i);

      gtk_string_list_append (names, level->location);
      if (level->is_default)
        selected = i;
    }
  adw_combo_row_set_model (self->location_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->location_row, selected);
}

static void
fill_reasons (OmniAdjustDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const OmniReasonChoice *reasons;
  guint n;

  reasons = omni_inventory_adjust_reasons (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (labels, _(reasons[i].label));
  adw_combo_row_set_model (self->reason_row, G_LIST_MODEL (labels));
}

static gboolean
load (OmniAdjustDialog  *self,
      GError           **error)
{
  OmniStore *store = omni_context_get_store (self->context);

  self->levels = omni_store_get_levels (store, self->variant_id, error);
  if (self->levels == NULL)
    return FALSE;

  self->label = omni_inventory_dup_variant_label (store, self->variant_id);
  adw_window_title_set_subtitle (self->window_title, self->label);
  fill_locations (self);
  fill_reasons (self);
  update_result (self);

  return TRUE;
}

static void
omni_adjust_dialog_dispose (GObject *object)
{
  OmniAdjustDialog *self = OMNI_ADJUST_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_ADJUST_DIALOG);
  g_clear_object (&self->context);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (omni_adjust_dialog_parent_class)->dispose (object);
}

static void
omni_adjust_dialog_class_init (OmniAdjustDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_adjust_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/inventory/omni-adjust-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, content);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, delta_toggle);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, set_toggle);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, quantity_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, quantity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, result_caption);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, OmniAdjustDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, quantity_activate_cb);

  gtk_widget_class_install_action (widget_class, "adjust.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_adjust_dialog_init (OmniAdjustDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  omni_inventory_spin_on_enter (self->quantity_spin, G_CALLBACK (quantity_activate_cb), self);
}

/**
 * omni_adjust_dialog_new:
 * @parent: the window the toast goes to
 * @context: the database and the actor
 * @variant_id: the variant to adjust
 *
 * Returns: (transfer none) (nullable): a new dialog, owned by GTK; %NULL
 *   after showing why in a toast when the variant cannot be read
 */
OmniAdjustDialog *
omni_adjust_dialog_new (GtkWindow   *parent,
                        OmniContext *context,
                        gint64       variant_id)
{
  OmniAdjustDialog *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_ADJUST_DIALOG, "transient-for", parent, NULL);
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

/**
 * omni_adjust_dialog_show:
 * @from: any widget of the window the dialog belongs to (a page, the
 *   product editor); the Undo toast goes to that window
 * @context: the database and the actor
 * @variant_id: the variant to adjust
 * @location_id: the location chosen first; 0 for the default
 *
 * The one call other views use to adjust stock.
 *
 * Returns: (transfer none) (nullable): the dialog, presented
 */
OmniAdjustDialog *
omni_adjust_dialog_show (GtkWidget   *from,
                         OmniContext *context,
                         gint64       variant_id,
                         gint64       location_id)
{
  GtkRoot *root;
  OmniAdjustDialog *self;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  root = gtk_widget_get_root (from);
  g_return_val_if_fail (GTK_IS_WINDOW (root), NULL);

  self = omni_adjust_dialog_new (GTK_WINDOW (root), context, variant_id);
  if (self == NULL)
    return NULL;
  if (location_id > 0)
    omni_adjust_dialog_set_location (self, location_id);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

gint64
omni_adjust_dialog_get_variant_id (OmniAdjustDialog *self)
{
  g_return_val_if_fail (OMNI_IS_ADJUST_DIALOG (self), 0);

  return self->variant_id;
}

void
omni_adjust_dialog_set_mode (OmniAdjustDialog *self,
                             OmniAdjustMode    mode)
{
  g_return_if_fail (OMNI_IS_ADJUST_DIALOG (self));

  gtk_toggle_button_set_active (mode == OMNI_ADJUST_SET ? self->set_toggle : self->delta_toggle,
                                TRUE);
}

void
omni_adjust_dialog_set_quantity (OmniAdjustDialog *self,
                                 gint64            quantity)
{
  g_return_if_fail (OMNI_IS_ADJUST_DIALOG (self));

  gtk_spin_button_set_value (self->quantity_spin, (double) quantity);
}

/**
 * omni_adjust_dialog_set_location:
 *
 * Returns: %FALSE when the location is not offered
 */
gboolean
omni_adjust_dialog_set_location (OmniAdjustDialog *self,
                                 gint64            location_id)
{
  g_return_val_if_fail (OMNI_IS_ADJUST_DIALOG (self), FALSE);

  for (guint i = 0; i < self->levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (self->levels, i);

      if (level->location_id == location_id)
        {
          adw_combo_row_set_selected (self->location_row, i);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * omni_adjust_dialog_set_reason:
 * @reason: an OMNI_REASON_* name offered for adjustments
 *
 * Returns: %FALSE when the reason is not offered
 */
gboolean
omni_adjust_dialog_set_reason (OmniAdjustDialog *self,
                               const char       *reason)
{
  const OmniReasonChoice *reasons;
  guint n;

  g_return_val_if_fail (OMNI_IS_ADJUST_DIALOG (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  reasons = omni_inventory_adjust_reasons (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (reasons[i].reason, reason))
      {
        adw_combo_row_set_selected (self->reason_row, i);
        return TRUE;
      }

  return FALSE;
}

void
omni_adjust_dialog_set_note (OmniAdjustDialog *self,
                             const char       *note)
{
  g_return_if_fail (OMNI_IS_ADJUST_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note ? note : "");
}

/**
 * omni_adjust_dialog_get_result:
 *
 * Returns: the on-hand count at the chosen location after the change, as
 *   the dialog shows it
 */
gint64
omni_adjust_dialog_get_result (OmniAdjustDialog *self)
{
  const OmniLevel *level;

  g_return_val_if_fail (OMNI_IS_ADJUST_DIALOG (self), 0);

  level = selected_level (self);
  if (level == NULL)
    return 0;
  if (get_mode (self) == OMNI_ADJUST_SET)
    return get_quantity (self);
  return level->on_hand + get_quantity (self);
}

/**
 * omni_adjust_dialog_get_busy:
 *
 * Returns: whether the change is being written
 */
gboolean
omni_adjust_dialog_get_busy (OmniAdjustDialog *self)
{
  g_return_val_if_fail (OMNI_IS_ADJUST_DIALOG (self), FALSE);

  return self->busy;
}

/**
 * omni_adjust_dialog_get_error:
 *
 * Returns: (nullable): the refusal shown in the dialog, if any
 */
const char *
omni_adjust_dialog_get_error (OmniAdjustDialog *self)
{
  g_return_val_if_fail (OMNI_IS_ADJUST_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
