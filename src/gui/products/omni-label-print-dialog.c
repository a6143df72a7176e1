/* omni-label-print-dialog.c: print barcode labels for some variants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small window: the label sheet, the copies of each label and what that
 * makes ("3 variants · 6 labels on 1 page"), then Print…, which hands the
 * pages to GtkPrintOperation (the system print dialog, with its preview).
 * The variants are read on a worker with their own connection; the labels
 * are laid out and drawn by src/report/omni-labels.c, the same code that
 * writes `omnistock-cli labels` PDFs. Opened for a purchase order, each
 * variant gets as many labels as units arrived on it (or were ordered, while
 * nothing has arrived), read by omni_label_order_read() as `labels --po`
 * does, and the copies row says which.
 */
#define G_LOG_DOMAIN "omni-label-print"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-currency.h"
#include "omni-label-print-dialog.h"
#include "omni-store-catalog.h"
#include "omni-toast.h"

struct _OmniLabelPrintDialog
{
  AdwWindow        parent_instance;

  char            *db_path;
  GArray          *variant_ids;
  gint64           po_id;         /* 0: the variants, @copies_spin of each */
  GPtrArray       *labels;        /* OmniLabel, NULL until read */
  GArray          *order_copies;  /* guint per label, for an order */
  GCancellable    *cancellable;
  char            *summary;
  char            *error;

  AdwToastOverlay *toasts;
  AdwComboRow     *sheet_row;
  GtkSpinButton   *copies_spin;
  GtkWidget       *copies_row;
  AdwActionRow    *order_row;
  GtkLabel        *summary_label;
  GtkWidget       *print_button;
};

G_DEFINE_FINAL_TYPE (OmniLabelPrintDialog, omni_label_print_dialog, ADW_TYPE_WINDOW)

static const OmniLabelSheet *
selected_sheet (OmniLabelPrintDialog *self)
{
  const OmniLabelSheet *sheets;
  guint n, selected;

  sheets = omni_label_sheet_get_all (&n);
  selected = adw_combo_row_get_selected (self->sheet_row);
  return &sheets[selected < n ? selected : 0];
}

static guint
copies (OmniLabelPrintDialog *self)
{
  return (guint) gtk_spin_button_get_value_as_int (self->copies_spin);
}

static void
update_summary (OmniLabelPrintDialog *self)
{
  guint n_variants, n_labels, per_page, pages;

  g_free (self->summary);
  if (self->error != NULL)
    self->summary = g_strdup (self->error);
  else if (self->labels == NULL)
    self->summary = g_strdup (_("Reading the variants…"));
  else
    {
      g_autofree char *variants = NULL;
      g_autofree char *labels = NULL;

      n_variants = self->labels->len;
      n_labels = 0;
      for (guint i = 0; i < n_variants; i++)
        n_labels += self->order_copies != NULL ? g_array_index (self->order_copies, guint, i)
                                               : copies (self);
      per_page = omni_label_sheet_get_per_page (selected_sheet (self));
      pages = (n_labels + per_page - 1) / per_page;
      variants = g_strdup_printf (ngettext ("%u variant", "%u variants", n_variants),
                                  n_variants);
      labels = g_strdup_printf (ngettext ("%u label", "%u labels", n_labels), n_labels);
      /* Translators: "3 variants · 6 labels on 1 page" */
      self->summary = g_strdup_printf (ngettext ("%s · %s on %u page",
                                                 "%s · %s on %u pages", pages),
                                       variants, labels, pages);
    }

  gtk_label_set_text (self->summary_label, self->summary);
  gtk_widget_set_sensitive (self->print_button,
                            self->labels != NULL && self->error == NULL &&
                            self->labels->len > 0);
}

/* Reading ------------------------------------------------------------------ */

typedef struct
{
  char   *path;
  GArray *ids;      /* NULL for an order */
  gint64  po_id;
} ReadJob;

typedef struct
{
  GPtrArray      *labels;
  OmniLabelOrder *order;   /* NULL for variants */
} ReadResult;

static void
read_job_free (ReadJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job);
}

static void
read_result_free (ReadResult *result)
{
  g_clear_pointer (&result->labels, g_ptr_array_unref);
  g_clear_pointer (&result->order, omni_label_order_free);
  g_free (result);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(OmniLabelOrder) order = NULL;
  g_autofree char *currency = NULL;
  GArray *ids = job->ids;
  ReadResult *result;
  GError *error = NULL;

  if ((store = omni_store_open (job->path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  currency = omni_store_get_setting (store, "currency");

  if (job->po_id != 0)
    {
      order = omni_label_order_read (store, job->po_id, OMNI_LABEL_COUNT_AUTO, &error);
      if (order == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      ids = order->variant_ids;
    }

  labels = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_label_free);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(OmniVariantRow) row = NULL;
      g_autofree char *price = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      row = omni_store_get_variant (store, g_array_index (ids, gint64, i), &error);
      if (row == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      price = omni_currency_format (row->price, currency);
      g_ptr_array_add (labels, omni_label_new_for_variant (row, price));
    }

  result = g_new0 (ReadResult, 1);
  result->labels = g_steal_pointer (&labels);
  result->order = g_steal_pointer (&order);
  g_task_return_pointer (task, result, (GDestroyNotify) read_result_free);
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OmniLabelPrintDialog *self;
  g_autoptr(GError) error = NULL;
  ReadResult *read;

  read = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_LABEL_PRINT_DIALOG (source);
  if (read == NULL && self->po_id != 0)
    self->error = g_strdup_printf (_("The order could not be labelled: %s"), error->message);
  else if (read == NULL)
    self->error = g_strdup_printf (_("The variants could not be read: %s"), error->message);
  else
    {
      self->labels = g_steal_pointer (&read->labels);
      if (read->order != NULL)
        {
          OmniLabelOrder *order = read->order;
          g_autofree char *title = NULL;

          self->order_copies = g_array_ref (order->copies);
          adw_action_row_set_subtitle (self->order_row,
                                       order->count == OMNI_LABEL_COUNT_RECEIVED
                                       ? _("One per unit received on this order")
                                       : _("One per unit ordered: nothing has been received "
                                           "yet"));
          /* Translators: the window title, "Print Labels for PO-00001" */
          title = g_strdup_printf (_("Print Labels for %s"), order->number);
          gtk_window_set_title (GTK_WINDOW (self), title);
        }
      read_result_free (read);
    }
  update_summary (self);
}

static void
start_reading (OmniLabelPrintDialog *self)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  if (self->variant_ids != NULL && self->variant_ids->len > OMNI_LABELS_MAX_LABELS)
    {
      self->error = g_strdup_printf (_("Select at most %u variants to label at once"),
                                     OMNI_LABELS_MAX_LABELS);
      update_summary (self);
      return;
    }

  job = g_new0 (ReadJob, 1);
  job->path = g_strdup (self->db_path);
  job->ids = self->variant_ids != NULL ? g_array_ref (self->variant_ids) : NULL;
  job->po_id = self->po_id;
  task = g_task_new (self, self->cancellable, read_done_cb, NULL);
  g_task_set_source_tag (task, start_reading);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_thread);
}

/* Printing ----------------------------------------------------------------- */

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              OmniLabelJob      *job)
{
  omni_label_job_draw_page (job, gtk_print_context_get_cairo_context (context), (guint) page);
}

/* A4 and Letter by their names, so the printer picks the right tray. */
static GtkPageSetup *
page_setup_for (const OmniLabelSheet *sheet)
{
  GtkPageSetup *setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) paper = NULL;

  if (g_str_has_prefix (sheet->id, "a4-"))
    paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  else if (g_str_has_prefix (sheet->id, "letter-"))
    paper = gtk_paper_size_new (GTK_PAPER_NAME_LETTER);
  else
    paper = gtk_paper_size_new_custom (sheet->id, _(sheet->name), sheet->paper_width,
                                       sheet->paper_height, GTK_UNIT_MM);

  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_MM);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_MM);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_MM);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_MM);
  return setup;
}

static GtkPrintOperation *
print_operation_new (OmniLabelJob *job)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = page_setup_for (omni_label_job_get_sheet (job));

  gtk_print_operation_set_job_name (operation, _("Labels"));
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_n_pages (operation, (int) omni_label_job_get_n_pages (job));
  /* The job lives as long as the operation that draws it. */
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb), job,
                         (GClosureNotify) (void (*) (void)) omni_label_job_free, 0);
  return operation;
}

/**
 * omni_label_print_dialog_build_job:
 *
 * Lays out the variants' labels as the dialog is set now.
 *
 * Returns: (transfer full) (nullable): the job, or %NULL with @error set
 */
OmniLabelJob *
omni_label_print_dialog_build_job (OmniLabelPrintDialog  *self,
                                   GError               **error)
{
  g_return_val_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self), NULL);

  if (self->labels == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The variants are still being read"));
      return NULL;
    }
  if (self->order_copies != NULL)
    return omni_label_job_new_with_copies (selected_sheet (self), self->labels,
                                           (const guint *) (gpointer) self->order_copies->data,
                                           error);
  return omni_label_job_new (selected_sheet (self), self->labels, copies (self), error);
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               OmniLabelPrintDialog    *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      adw_toast_overlay_add_toast (self->toasts,
                                   omni_toast_new_text (error != NULL ? error->message
                                                  : _("The labels could not be printed")));
      gtk_widget_set_sensitive (self->print_button, TRUE);
      return;
    }
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    gtk_window_destroy (GTK_WINDOW (self));
  else
    gtk_widget_set_sensitive (self->print_button, TRUE);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  OmniLabelPrintDialog *self = OMNI_LABEL_PRINT_DIALOG (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  OmniLabelJob *job;

  if (!gtk_widget_get_sensitive (self->print_button))
    return;
  job = omni_label_print_dialog_build_job (self, &error);
  if (job == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, omni_toast_new_text (error->message));
      return;
    }

  operation = print_operation_new (job);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
  gtk_widget_set_sensitive (self->print_button, FALSE);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      adw_toast_overlay_add_toast (self->toasts, omni_toast_new_text (error->message));
      gtk_widget_set_sensitive (self->print_button, TRUE);
    }
}

/**
 * omni_label_print_dialog_export_pdf:
 * @path: the PDF to write
 *
 * Runs the same print operation as Print…, exporting to @path instead of
 * showing the print dialog.
 */
GtkPrintOperationResult
omni_label_print_dialog_export_pdf (OmniLabelPrintDialog  *self,
                                    const char            *path,
                                    GError               **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  OmniLabelJob *job;

  g_return_val_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self), GTK_PRINT_OPERATION_RESULT_ERROR);
  g_return_val_if_fail (path != NULL, GTK_PRINT_OPERATION_RESULT_ERROR);

  job = omni_label_print_dialog_build_job (self, error);
  if (job == NULL)
    return GTK_PRINT_OPERATION_RESULT_ERROR;

  operation = print_operation_new (job);
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                  GTK_WINDOW (self), error);
}

/* Building ------------------------------------------------------------------ */

static GtkWidget *
build_content (OmniLabelPrintDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *copies_row = adw_action_row_new ();
  GtkWidget *order_row = adw_action_row_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const OmniLabelSheet *sheets;
  guint n;

  self->print_button = gtk_button_new_with_mnemonic (_("_Print…"));
  gtk_widget_add_css_class (self->print_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->print_button), "labels.print");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->print_button);
  gtk_box_append (GTK_BOX (toolbar), header);

  sheets = omni_label_sheet_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, _(sheets[i].name));
  self->sheet_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->sheet_row), _("_Sheet"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->sheet_row), TRUE);
  adw_combo_row_set_model (self->sheet_row, G_LIST_MODEL (names));
  g_signal_connect_object (self->sheet_row, "notify::selected",
                           G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);

  self->copies_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1,
                                                                       OMNI_LABELS_MAX_COPIES,
                                                                       1));
  gtk_widget_set_valign (GTK_WIDGET (self->copies_spin), GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (self->copies_spin, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copies_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copies of each label"),
                                  -1);
  g_signal_connect_object (self->copies_spin, "value-changed",
                           G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (copies_row), _("C_opies of Each Label"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (copies_row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (copies_row), GTK_WIDGET (self->copies_spin));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (copies_row),
                                         GTK_WIDGET (self->copies_spin));

  self->copies_row = copies_row;
  self->order_row = ADW_ACTION_ROW (order_row);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (order_row), _("Labels per Variant"));
  gtk_widget_set_visible (order_row, FALSE);

  self->summary_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->summary_label, TRUE);
  gtk_label_set_xalign (self->summary_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "numeric");
  gtk_widget_set_margin_top (GTK_WIDGET (self->summary_label), 12);

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Title, options, price and SKU over a barcode: the "
                                           "EAN-13 or UPC-A when the variant has one, else its "
                                           "SKU as Code 128."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->sheet_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), copies_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), order_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->summary_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (toolbar), page);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, toolbar);
  return GTK_WIDGET (self->toasts);
}

static void
omni_label_print_dialog_dispose (GObject *object)
{
  OmniLabelPrintDialog *self = OMNI_LABEL_PRINT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->order_copies, g_array_unref);
  g_clear_pointer (&self->variant_ids, g_array_unref);

  G_OBJECT_CLASS (omni_label_print_dialog_parent_class)->dispose (object);
}

static void
omni_label_print_dialog_finalize (GObject *object)
{
  OmniLabelPrintDialog *self = OMNI_LABEL_PRINT_DIALOG (object);

  g_free (self->db_path);
  g_free (self->summary);
  g_free (self->error);

  G_OBJECT_CLASS (omni_label_print_dialog_parent_class)->finalize (object);
}

static void
omni_label_print_dialog_class_init (OmniLabelPrintDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_label_print_dialog_dispose;
  object_class->finalize = omni_label_print_dialog_finalize;

  gtk_widget_class_install_action (widget_class, "labels.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "labels.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_label_print_dialog_init (OmniLabelPrintDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Print Labels"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, -1);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  adw_window_set_content (ADW_WINDOW (self), build_content (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->print_button);
}

/**
 * omni_label_print_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @db_path: the database the variants are in
 * @variant_ids: (element-type gint64): the variants, in the order their
 *   labels come; the dialog keeps a reference
 *
 * Returns: (transfer none): the dialog, owned by GTK until destroyed; not
 *   yet shown
 */
OmniLabelPrintDialog *
omni_label_print_dialog_new (GtkWindow  *parent,
                             const char *db_path,
                             GArray     *variant_ids)
{
  OmniLabelPrintDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (variant_ids != NULL, NULL);

  self = g_object_new (OMNI_TYPE_LABEL_PRINT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->db_path = g_strdup (db_path);
  self->variant_ids = g_array_ref (variant_ids);
  update_summary (self);
  start_reading (self);
  return self;
}

/**
 * omni_label_print_dialog_new_for_order:
 * @parent: (nullable): the window it belongs to
 * @db_path: the database the order is in
 * @po_id: the purchase order whose lines to label
 *
 * Labels each variant of the order as many times as units of it were
 * received, or ordered while nothing has been received.
 *
 * Returns: (transfer none): the dialog, owned by GTK until destroyed; not
 *   yet shown
 */
OmniLabelPrintDialog *
omni_label_print_dialog_new_for_order (GtkWindow  *parent,
                                       const char *db_path,
                                       gint64      po_id)
{
  OmniLabelPrintDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (po_id > 0, NULL);

  self = g_object_new (OMNI_TYPE_LABEL_PRINT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->db_path = g_strdup (db_path);
  self->po_id = po_id;
  gtk_widget_set_visible (self->copies_row, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->order_row), TRUE);
  update_summary (self);
  start_reading (self);
  return self;
}

/* Whether the variants are still being read. */
gboolean
omni_label_print_dialog_get_loading (OmniLabelPrintDialog *self)
{
  g_return_val_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self), FALSE);

  return self->labels == NULL && self->error == NULL;
}

/* Returns: what the dialog says it will print, or why it cannot */
const char *
omni_label_print_dialog_get_summary (OmniLabelPrintDialog *self)
{
  g_return_val_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self), NULL);

  return self->summary;
}

/* Returns: (nullable): for an order, what each variant's labels count
 * (received or ordered units); %NULL otherwise or until read */
const char *
omni_label_print_dialog_get_copies_note (OmniLabelPrintDialog *self)
{
  g_return_val_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self), NULL);

  if (self->order_copies == NULL)
    return NULL;
  return adw_action_row_get_subtitle (self->order_row);
}

/* Returns: (nullable): why the variants could not be read */
const char *
omni_label_print_dialog_get_error (OmniLabelPrintDialog *self)
{
  g_return_val_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self), NULL);

  return self->error;
}

void
omni_label_print_dialog_set_sheet (OmniLabelPrintDialog *self,
                                   const char           *sheet_id)
{
  const OmniLabelSheet *sheets;
  guint n;

  g_return_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self));

  sheets = omni_label_sheet_get_all (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (sheets[i].id, sheet_id))
      adw_combo_row_set_selected (self->sheet_row, i);
}

void
omni_label_print_dialog_set_copies (OmniLabelPrintDialog *self,
                                    guint                 n_copies)
{
  g_return_if_fail (OMNI_IS_LABEL_PRINT_DIALOG (self));

  gtk_spin_button_set_value (self->copies_spin, n_copies);
}
