/* omni-inventory-batch.c: one change to many variants, one Undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch is one transaction on a worker thread with its own connection,
 * and one operation in the ledger: adjust and set are one
 * omni_store_adjust() call; so is a transfer of many variants (both legs
 * of each, as `transfer` movements), so one Undo
 * (win.undo-stock) reverses all of it with compensating movements. Setting
 * reorder points remembers the previous ones for its Undo
 * (win.restore-reorder-points); archiving is undone by
 * win.restore-variants. The prompt says how many variants change before
 * anything is written.
 */
#define G_LOG_DOMAIN "omni-inventory-batch"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-inventory-batch.h"
#include "omni-inventory-util.h"
#include "omni-owner-guard.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"
#include "omni-toast.h"

/* The most variants one batch changes. */
#define MAX_BATCH 100000

typedef struct
{
  char          *path;
  OmniBatchSpec *spec;
} Job;

typedef struct
{
  OmniBatchKind kind;
  guint         n_variants;
  char         *operation;        /* adjust, set, transfer */
  GVariant     *previous_points;  /* a(xx) for reorder points */
  GVariant     *archived;         /* ax: the variants archived */
  char         *location;
  char         *to_location;
} Outcome;

OmniBatchSpec *
omni_batch_spec_new (OmniBatchKind  kind,
                     const gint64  *variant_ids,
                     guint          n_variants)
{
  OmniBatchSpec *spec = g_new0 (OmniBatchSpec, 1);

  spec->kind = kind;
  spec->variant_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_variants);
  if (n_variants > 0)
    g_array_append_vals (spec->variant_ids, variant_ids, n_variants);
  return spec;
}

void
omni_batch_spec_free (OmniBatchSpec *spec)
{
  if (spec == NULL)
    return;
  g_array_unref (spec->variant_ids);
  g_free (spec->reason);
  g_free (spec->note);
  g_free (spec->actor);
  g_free (spec);
}

static OmniBatchSpec *
spec_copy (const OmniBatchSpec *spec)
{
  OmniBatchSpec *copy = omni_batch_spec_new (spec->kind,
                                             &g_array_index (spec->variant_ids, const gint64, 0),
                                             spec->variant_ids->len);

  copy->quantity = spec->quantity;
  copy->location_id = spec->location_id;
  copy->to_location_id = spec->to_location_id;
  copy->reason = g_strdup (spec->reason);
  copy->note = g_strdup (spec->note);
  copy->actor = g_strdup (spec->actor);
  return copy;
}

static void
job_free (Job *job)
{
  g_free (job->path);
  omni_batch_spec_free (job->spec);
  g_free (job);
}

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->operation);
  g_clear_pointer (&outcome->previous_points, g_variant_unref);
  g_clear_pointer (&outcome->archived, g_variant_unref);
  g_free (outcome->location);
  g_free (outcome->to_location);
  g_free (outcome);
}

/* Worker side ----------------------------------------------------------- */

static char *
location_name (OmniStore *store,
               gint64     location_id)
{
  g_autoptr(GPtrArray) locations = omni_store_list_locations (store, TRUE, NULL);

  for (guint i = 0; locations != NULL && i < locations->len; i++)
    {
      OmniLocation *location = g_ptr_array_index (locations, i);

      if (location->id == location_id)
        return g_strdup (location->name);
    }
  return NULL;
}

static char *
run_adjust (OmniStore            *store,
            const OmniBatchSpec  *spec,
            GError              **error)
{
  g_autofree OmniAdjustLine *lines = g_new0 (OmniAdjustLine, spec->variant_ids->len);
  OmniAdjustOptions options = { 0 };

  for (guint i = 0; i < spec->variant_ids->len; i++)
    {
      lines[i].variant_id = g_array_index (spec->variant_ids, gint64, i);
      lines[i].location_id = spec->location_id;
      lines[i].quantity = spec->quantity;
    }
  options.mode = spec->kind == OMNI_BATCH_SET ? OMNI_ADJUST_SET : OMNI_ADJUST_DELTA;
  options.reason = spec->reason;
  options.note = spec->note;
  options.actor = spec->actor;
  options.source = "app";
  return omni_store_adjust (store, lines, spec->variant_ids->len, &options, error);
}

/* Both legs of every variant in one omni_store_adjust() call: one
 * transaction, one operation, and op_ids numbered across the whole batch. */
static char *
run_transfer (OmniStore            *store,
              const OmniBatchSpec  *spec,
              GError              **error)
{
  guint n = spec->variant_ids->len;
  g_autofree OmniAdjustLine *legs = NULL;
  OmniAdjustOptions options = { 0 };

  if (spec->quantity <= 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   _("A transfer moves a positive quantity, not %" PRId64),
                   spec->quantity);
      return NULL;
    }
  if (spec->location_id <= 0 || spec->to_location_id <= 0 ||
      spec->location_id == spec->to_location_id)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           _("A transfer needs two different locations"));
      return NULL;
    }

  legs = g_new0 (OmniAdjustLine, 2 * n);
  for (guint i = 0; i < n; i++)
    {
      gint64 id = g_array_index (spec->variant_ids, gint64, i);

      legs[2 * i] = (OmniAdjustLine) { id, spec->location_id, -spec->quantity };
      legs[2 * i + 1] = (OmniAdjustLine) { id, spec->to_location_id, spec->quantity };
    }
  options.mode = OMNI_ADJUST_DELTA;
  options.reason = OMNI_REASON_TRANSFER;
  options.note = spec->note;
  options.actor = spec->actor;
  options.source = "app";
  return omni_store_adjust (store, legs, 2 * n, &options, error);
}

static GVariant *
run_reorder_point (OmniStore            *store,
                   const OmniBatchSpec  *spec,
                   GError              **error)
{
  g_auto(GVariantBuilder) previous = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(xx)"));

  for (guint i = 0; i < spec->variant_ids->len; i++)
    {
      gint64 id = g_array_index (spec->variant_ids, gint64, i);
      g_autoptr(OmniVariantRow) row = omni_store_get_variant (store, id, error);

      if (row == NULL)
        return NULL;
      g_variant_builder_add (&previous, "(xx)", id, row->reorder_point);
    }

  if (!omni_store_set_reorder_point (store, &g_array_index (spec->variant_ids, const gint64, 0),
                                     spec->variant_ids->len, spec->quantity, -2, error))
    return NULL;
  return g_variant_ref_sink (g_variant_builder_end (&previous));
}

static void
batch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  const OmniBatchSpec *spec = job->spec;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Outcome *outcome;

  store = omni_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  outcome = g_new0 (Outcome, 1);
  outcome->kind = spec->kind;
  outcome->n_variants = spec->variant_ids->len;

  switch (spec->kind)
    {
    case OMNI_BATCH_ADJUST:
    case OMNI_BATCH_SET:
      outcome->operation = run_adjust (store, spec, &error);
      break;
    case OMNI_BATCH_TRANSFER:
      outcome->operation = run_transfer (store, spec, &error);
      break;
    case OMNI_BATCH_REORDER_POINT:
      outcome->previous_points = run_reorder_point (store, spec, &error);
      break;
    case OMNI_BATCH_ARCHIVE:
      if (omni_store_set_variants_archived (store, &g_array_index (spec->variant_ids, const gint64, 0),
                                            spec->variant_ids->len, TRUE, &error))
        outcome->archived =
          g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_INT64,
                                                         spec->variant_ids->data,
                                                         spec->variant_ids->len,
                                                         sizeof (gint64)));
      break;
    default:
      g_assert_not_reached ();
    }

  if (error != NULL)
    {
      outcome_free (outcome);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  outcome->location = location_name (store, spec->location_id > 0
                                     ? spec->location_id
                                     : omni_store_get_default_location (store, NULL));
  outcome->to_location = location_name (store, spec->to_location_id);
  g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
}

/**
 * omni_inventory_batch_run_async:
 * @context: the database and the actor
 * @spec: what to do; copied
 *
 * Runs the batch as one transaction on a worker thread. The caller calls
 * omni_context_store_changed() once it finished.
 */
void
omni_inventory_batch_run_async (OmniContext         *context,
                                const OmniBatchSpec *spec,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (OMNI_IS_CONTEXT (context));
  g_return_if_fail (spec != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, omni_inventory_batch_run_async);

  if (spec->variant_ids->len == 0 || spec->variant_ids->len > MAX_BATCH)
    {
      g_task_return_new_error (task, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                               _("A batch changes from 1 to %u variants, not %u"),
                               MAX_BATCH, spec->variant_ids->len);
      return;
    }

  job = g_new0 (Job, 1);
  job->path = g_strdup (omni_store_get_path (omni_context_get_store (context)));
  job->spec = spec_copy (spec);
  if (job->spec->actor == NULL)
    job->spec->actor = omni_context_dup_actor (context);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, batch_thread);
}

static AdwToast *
outcome_toast (const Outcome *outcome)
{
  g_autofree char *text = NULL;
  AdwToast *toast;
  guint n = outcome->n_variants;

  switch (outcome->kind)
    {
    case OMNI_BATCH_ADJUST:
      /* Translators: "Adjusted 5 variants at Shop Floor" */
      text = g_strdup_printf (ngettext ("Adjusted %u variant at %s", "Adjusted %u variants at %s",
                                        n), n, outcome->location);
      break;
    case OMNI_BATCH_SET:
      text = g_strdup_printf (ngettext ("Set the stock of %u variant at %s",
                                        "Set the stock of %u variants at %s", n),
                              n, outcome->location);
      break;
    case OMNI_BATCH_TRANSFER:
      text = g_strdup_printf (ngettext ("Moved %u variant from %s to %s",
                                        "Moved %u variants from %s to %s", n),
                              n, outcome->location, outcome->to_location);
      break;
    case OMNI_BATCH_REORDER_POINT:
      text = g_strdup_printf (ngettext ("Set the reorder point of %u variant",
                                        "Set the reorder point of %u variants", n), n);
      break;
    case OMNI_BATCH_ARCHIVE:
      text = g_strdup_printf (ngettext ("Archived %u variant", "Archived %u variants", n), n);
      break;
    default:
      g_assert_not_reached ();
    }

  if (outcome->operation != NULL)
    return omni_inventory_undo_toast_new (text, outcome->operation);

  toast = omni_toast_new_text (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (outcome->previous_points != NULL)
    {
      adw_toast_set_action_name (toast, "win.restore-reorder-points");
      adw_toast_set_action_target_value (toast, outcome->previous_points);
    }
  else if (outcome->archived != NULL)
    {
      adw_toast_set_action_name (toast, "win.restore-variants");
      adw_toast_set_action_target_value (toast, outcome->archived);
    }
  return toast;
}

/**
 * omni_inventory_batch_run_finish:
 *
 * Returns: (transfer full) (nullable): a toast that says what changed, its
 *   Undo reversing the whole batch; %NULL with @error set when nothing was
 *   changed
 */
AdwToast *
omni_inventory_batch_run_finish (GAsyncResult  *result,
                                 GError       **error)
{
  Outcome *outcome;
  AdwToast *toast;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  outcome = g_task_propagate_pointer (G_TASK (result), error);
  if (outcome == NULL)
    return NULL;
  toast = outcome_toast (outcome);
  outcome_free (outcome);
  return toast;
}

/* The prompt ------------------------------------------------------------ */

typedef struct
{
  OmniContext   *context;
  GtkWidget     *parent;          /* weak */
  OmniBatchSpec *spec;
  GPtrArray     *locations;       /* OmniLocation, active */
  GtkSpinButton *quantity_spin;
  GtkDropDown   *location_drop;
  GtkDropDown   *to_drop;
} Prompt;

static void
prompt_free (Prompt *prompt)
{
  g_clear_object (&prompt->context);
  g_clear_weak_pointer (&prompt->parent);
  omni_batch_spec_free (prompt->spec);
  g_clear_pointer (&prompt->locations, g_ptr_array_unref);
  g_free (prompt);
}

typedef struct
{
  OmniContext *context;
  GtkWidget   *window;            /* weak */
} Done;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Done *done = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast = omni_inventory_batch_run_finish (result, &error);

  if (done->window == NULL)
    {
      if (toast != NULL)
        g_object_unref (g_object_ref_sink (toast));
    }
  else if (toast == NULL)
    omni_inventory_show_error (done->window, error->message);
  else
    omni_inventory_add_toast (done->window, toast);

  /* Whatever the window, the data changed: every view refreshes. */
  if (toast != NULL)
    omni_context_store_changed (done->context);

  g_clear_weak_pointer (&done->window);
  g_object_unref (done->context);
  g_free (done);
}

static void
start (Prompt *prompt)
{
  Done *done = g_new0 (Done, 1);

  done->context = g_object_ref (prompt->context);
  g_set_weak_pointer (&done->window, prompt->parent);
  omni_inventory_batch_run_async (prompt->context, prompt->spec, NULL, run_done_cb, done);
}

static void
archive_guarded (gpointer user_data)
{
  start (user_data);
}

static gint64
dropdown_location (Prompt      *prompt,
                   GtkDropDown *drop)
{
  guint selected = gtk_drop_down_get_selected (drop);

  if (selected >= prompt->locations->len)
    return 0;
  return ((OmniLocation *) g_ptr_array_index (prompt->locations, selected))->id;
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Prompt           *prompt)
{
  if (!g_str_equal (response, "apply") || prompt->parent == NULL)
    return;

  if (prompt->quantity_spin != NULL)
    {
      gtk_spin_button_update (prompt->quantity_spin);
      prompt->spec->quantity = (gint64) gtk_spin_button_get_value (prompt->quantity_spin);
    }
  if (prompt->location_drop != NULL)
    prompt->spec->location_id = dropdown_location (prompt, prompt->location_drop);
  if (prompt->to_drop != NULL)
    prompt->spec->to_location_id = dropdown_location (prompt, prompt->to_drop);

  if (prompt->spec->kind == OMNI_BATCH_ARCHIVE)
    {
      Prompt *kept = g_new0 (Prompt, 1);

      /* The guard may ask for an owner's PIN first; it owns the copy. */
      kept->context = g_object_ref (prompt->context);
      g_set_weak_pointer (&kept->parent, prompt->parent);
      kept->spec = spec_copy (prompt->spec);
      omni_owner_guard_run (GTK_WINDOW (gtk_widget_get_root (prompt->parent)), prompt->context,
                            _("Archiving variants needs an owner"),
                            archive_guarded, kept, (GDestroyNotify) prompt_free);
      return;
    }

  start (prompt);
}

static GtkDropDown *
location_dropdown (Prompt *prompt,
                   gint64  selected_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkDropDown *drop;
  guint selected = 0;

  for (guint i = 0; i < prompt->locations->len; i++)
    {
      OmniLocation *location = g_ptr_array_index (prompt->locations, i);

      gtk_string_list_append (names, location->name);
      if (location->id == selected_id)
        selected = i;
    }
  drop = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  gtk_drop_down_set_selected (drop, selected);
  return drop;
}

static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  return box;
}

/**
 * omni_inventory_batch_prompt:
 * @parent: a widget of the window the result toast goes to
 * @variant_ids: (array length=n_variants): the variants to change
 * @location_id: the location offered first; 0 for the default
 *
 * Asks for the quantity (and locations) and confirms how many variants
 * change; on "apply", runs the batch and leaves a toast with Undo.
 *
 * Returns: (transfer none) (nullable): the dialog, presented; %NULL after
 *   a toast when the locations cannot be read or nothing is selected
 */
AdwMessageDialog *
omni_inventory_batch_prompt (GtkWidget     *parent,
                             OmniContext   *context,
                             OmniBatchKind  kind,
                             const gint64  *variant_ids,
                             guint          n_variants,
                             gint64         location_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *apply_label = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *extra;
  GtkAdjustment *adjustment;
  Prompt *prompt;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  if (n_variants == 0)
    {
      omni_inventory_show_error (parent, _("Select one or more variants first"));
      return NULL;
    }

  prompt = g_new0 (Prompt, 1);
  prompt->context = g_object_ref (context);
  g_set_weak_pointer (&prompt->parent, parent);
  prompt->spec = omni_batch_spec_new (kind, variant_ids, n_variants);
  prompt->spec->location_id = location_id;
  prompt->locations = omni_store_list_locations (omni_context_get_store (context), FALSE, &error);
  if (prompt->locations == NULL)
    {
      omni_inventory_show_error (parent, error->message);
      prompt_free (prompt);
      return NULL;
    }
  if (location_id <= 0 && prompt->locations->len > 0)
    prompt->spec->location_id = ((OmniLocation *) g_ptr_array_index (prompt->locations, 0))->id;
  if (kind == OMNI_BATCH_TRANSFER && prompt->locations->len < 2)
    {
      omni_inventory_show_error (parent, _("There is only one location: add another to move "
                                           "stock between them"));
      prompt_free (prompt);
      return NULL;
    }

  extra = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (kind != OMNI_BATCH_ARCHIVE)
    {
      adjustment = gtk_adjustment_new (0, kind == OMNI_BATCH_ADJUST ? -1000000 : 0, 1000000,
                                       1, 10, 0);
      prompt->quantity_spin = GTK_SPIN_BUTTON (gtk_spin_button_new (adjustment, 1, 0));
      gtk_spin_button_set_numeric (prompt->quantity_spin, TRUE);
      gtk_box_append (GTK_BOX (extra),
                      labelled (kind == OMNI_BATCH_ADJUST ? _("_Change each by")
                                : kind == OMNI_BATCH_SET ? _("_Set each to")
                                : kind == OMNI_BATCH_TRANSFER ? _("_Units of each")
                                : _("_Reorder point"),
                                GTK_WIDGET (prompt->quantity_spin)));
    }

  if (kind == OMNI_BATCH_ADJUST || kind == OMNI_BATCH_SET || kind == OMNI_BATCH_TRANSFER)
    {
      prompt->location_drop = location_dropdown (prompt, prompt->spec->location_id);
      gtk_box_append (GTK_BOX (extra),
                      labelled (kind == OMNI_BATCH_TRANSFER ? _("_From") : _("_Location"),
                                GTK_WIDGET (prompt->location_drop)));
    }
  if (kind == OMNI_BATCH_TRANSFER)
    {
      gint64 to = 0;

      for (guint i = 0; i < prompt->locations->len && to == 0; i++)
        {
          OmniLocation *location = g_ptr_array_index (prompt->locations, i);

          if (location->id != prompt->spec->location_id)
            to = location->id;
        }
      prompt->to_drop = location_dropdown (prompt, to);
      gtk_box_append (GTK_BOX (extra), labelled (_("_To"), GTK_WIDGET (prompt->to_drop)));
    }

  switch (kind)
    {
    case OMNI_BATCH_ADJUST:
      heading = g_strdup_printf (ngettext ("Adjust %u Variant?", "Adjust %u Variants?",
                                           n_variants), n_variants);
      apply_label = _("_Adjust");
      break;
    case OMNI_BATCH_SET:
      heading = g_strdup_printf (ngettext ("Set Stock of %u Variant?", "Set Stock of %u Variants?",
                                           n_variants), n_variants);
      apply_label = _("_Set");
      break;
    case OMNI_BATCH_TRANSFER:
      heading = g_strdup_printf (ngettext ("Move %u Variant?", "Move %u Variants?",
                                           n_variants), n_variants);
      apply_label = _("_Move");
      break;
    case OMNI_BATCH_REORDER_POINT:
      heading = g_strdup_printf (ngettext ("Set Reorder Point of %u Variant?",
                                           "Set Reorder Point of %u Variants?", n_variants),
                                 n_variants);
      apply_label = _("_Set");
      break;
    case OMNI_BATCH_ARCHIVE:
      heading = g_strdup_printf (ngettext ("Archive %u Variant?", "Archive %u Variants?",
                                           n_variants), n_variants);
      apply_label = _("_Archive");
      break;
    default:
      g_assert_not_reached ();
    }
  body = g_strdup_printf (ngettext ("%u variant changes, as one operation that one Undo reverses.",
                                    "%u variants change, as one operation that one Undo reverses.",
                                    n_variants), n_variants);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (parent)),
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "apply", apply_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply",
                                              kind == OMNI_BATCH_ARCHIVE
                                              ? ADW_RESPONSE_DESTRUCTIVE
                                              : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  if (gtk_widget_get_first_child (extra) != NULL)
    adw_message_dialog_set_extra_child (dialog, extra);
  else
    g_object_unref (g_object_ref_sink (extra));

  g_object_set_data_full (G_OBJECT (dialog), "omni-batch-prompt", prompt,
                          (GDestroyNotify) prompt_free);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), prompt);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * omni_inventory_batch_prompt_set_quantity:
 *
 * Types a quantity into the prompt, as the merchant would.
 */
void
omni_inventory_batch_prompt_set_quantity (AdwMessageDialog *dialog,
                                          gint64            quantity)
{
  Prompt *prompt;

  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  prompt = g_object_get_data (G_OBJECT (dialog), "omni-batch-prompt");
  g_return_if_fail (prompt != NULL && prompt->quantity_spin != NULL);
  gtk_spin_button_set_value (prompt->quantity_spin, (double) quantity);
}
