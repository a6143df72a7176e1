/* omni-reports-page.c: the Reports page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report is picked with its filters (dates, the valuation's date, the
 * sales grouping, a location), built by a worker with its own connection
 * (src/report builds the table from the core's queries) and previewed in a
 * column view whose columns come from the table, the totals as the last
 * row. The same table is exported to CSV or PDF by a worker, to a file
 * chosen through GtkFileChooserNative, or printed with GtkPrintOperation
 * from the layout the PDF uses. While a worker runs a progress bar pulses
 * with a Cancel button; the page never waits on the database.
 */
#define G_LOG_DOMAIN "omni-reports-page"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-report-build.h"
#include "omni-report-layout.h"
#include "omni-report-render.h"
#include "omni-reports-page.h"
#include "omni-toast.h"

/* Rows: a position in the table, or the totals ------------------------- */

#define OMNI_TYPE_REPORT_ROW (omni_report_row_get_type ())
G_DECLARE_FINAL_TYPE (OmniReportRow, omni_report_row, OMNI, REPORT_ROW, GObject)

struct _OmniReportRow
{
  GObject parent_instance;
  guint   index;
};

G_DEFINE_FINAL_TYPE (OmniReportRow, omni_report_row, G_TYPE_OBJECT)

static void
omni_report_row_class_init (OmniReportRowClass *klass)
{
}

static void
omni_report_row_init (OmniReportRow *self)
{
}

/* A list of the table's rows, made as the view asks for them, so a report
 * of a hundred thousand movements costs the rows on screen. */
#define OMNI_TYPE_REPORT_ROWS (omni_report_rows_get_type ())
G_DECLARE_FINAL_TYPE (OmniReportRows, omni_report_rows, OMNI, REPORT_ROWS, GObject)

struct _OmniReportRows
{
  GObject  parent_instance;
  guint    n_rows;
  gboolean totals;
};

static GType
omni_report_rows_get_item_type (GListModel *model)
{
  return OMNI_TYPE_REPORT_ROW;
}

static guint
omni_report_rows_get_n_items (GListModel *model)
{
  OmniReportRows *self = OMNI_REPORT_ROWS (model);

  return self->n_rows + (self->totals ? 1 : 0);
}

static gpointer
omni_report_rows_get_item (GListModel *model,
                           guint       position)
{
  OmniReportRows *self = OMNI_REPORT_ROWS (model);
  OmniReportRow *row;

  if (position >= omni_report_rows_get_n_items (model))
    return NULL;

  row = g_object_new (OMNI_TYPE_REPORT_ROW, NULL);
  row->index = position < self->n_rows ? position : OMNI_REPORT_TOTALS;
  return row;
}

static void
omni_report_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = omni_report_rows_get_item_type;
  iface->get_n_items = omni_report_rows_get_n_items;
  iface->get_item = omni_report_rows_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (OmniReportRows, omni_report_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      omni_report_rows_list_model_init))

static void
omni_report_rows_class_init (OmniReportRowsClass *klass)
{
}

static void
omni_report_rows_init (OmniReportRows *self)
{
}

/* The page --------------------------------------------------------------- */

struct _OmniReportsPage
{
  OmniPage          parent_instance;

  GtkDropDown      *kind_dropdown;
  GtkWidget        *from_box;
  GtkWidget        *to_box;
  GtkWidget        *at_box;
  GtkWidget        *group_box;
  GtkWidget        *location_box;
  GtkEntry         *from_entry;
  GtkEntry         *to_entry;
  GtkEntry         *at_entry;
  GtkEntry         *location_entry;
  GtkDropDown      *group_dropdown;
  GtkRevealer      *progress_revealer;
  GtkProgressBar   *progress_bar;
  GtkStack         *stack;
  GtkLabel         *heading_label;
  GtkColumnView    *column_view;

  OmniReportTable  *table;
  GCancellable     *cancellable;
  guint             pulse_id;
  GtkFileChooserNative *chooser;
  OmniReportFormat  chooser_format;
  OmniReportLayout *print_layout;
};

G_DEFINE_FINAL_TYPE (OmniReportsPage, omni_reports_page, OMNI_TYPE_PAGE)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The kinds in the order the drop-down lists them. */
static const OmniReportKind listed_kinds[] = {
  OMNI_REPORT_VALUATION,
  OMNI_REPORT_LOW_STOCK,
  OMNI_REPORT_REORDER,
  OMNI_REPORT_SLOW_MOVERS,
  OMNI_REPORT_MOVEMENTS,
  OMNI_REPORT_SALES,
  OMNI_REPORT_COUNT_VARIANCES,
};

static OmniReportKind
selected_kind (OmniReportsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->kind_dropdown);

  return listed_kinds[MIN (selected, G_N_ELEMENTS (listed_kinds) - 1)];
}

static void
show_toast (OmniReportsPage *self,
            const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), omni_toast_new_text (text));
  else
    g_message ("%s", text);
}

static void
update_actions (OmniReportsPage *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean ready = self->table != NULL && !busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.run", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.print", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.cancel", busy);
}

static gboolean
pulse_cb (gpointer user_data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
set_busy (OmniReportsPage *self,
          const char      *what)
{
  gboolean busy = what != NULL;

  if (busy)
    {
      gtk_progress_bar_set_text (self->progress_bar, what);
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (100, pulse_cb, self->progress_bar);
    }
  else
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      g_clear_object (&self->cancellable);
    }
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The preview ---------------------------------------------------------- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "numeric"));

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              OmniReportsPage          *self)
{
  OmniReportRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  g_autofree char *text = NULL;

  if (self->table == NULL || column >= omni_report_table_get_n_columns (self->table))
    return;
  text = omni_report_table_format_cell (self->table, row->index, column,
                                        OMNI_CELL_FORMAT_DISPLAY);
  gtk_label_set_label (GTK_LABEL (label), text);
  if (row->index == OMNI_REPORT_TOTALS)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
}

static void
clear_columns (OmniReportsPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

static void
show_table (OmniReportsPage *self)
{
  g_autoptr(GString) heading = g_string_new (NULL);
  g_autofree char *title = g_markup_escape_text (omni_report_table_get_title (self->table), -1);
  const char * const *filters = omni_report_table_get_filters (self->table);
  const char * const *notes = omni_report_table_get_notes (self->table);
  guint n_columns = omni_report_table_get_n_columns (self->table);
  g_autoptr(OmniReportRows) rows = g_object_new (OMNI_TYPE_REPORT_ROWS, NULL);
  g_autoptr(GtkNoSelection) selection = NULL;

  g_string_append_printf (heading, "<span weight=\"bold\" size=\"large\">%s</span>", title);
  for (guint i = 0; filters[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (filters[i], -1);

      g_string_append_printf (heading, "%s%s", i == 0 ? "\n" : " · ", escaped);
    }
  for (guint i = 0; notes[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (notes[i], -1);

      g_string_append_printf (heading, "\n<span size=\"small\">%s</span>", escaped);
    }
  if (omni_report_table_get_n_rows (self->table) == 0)
    g_string_append_printf (heading, "\n%s", _("No rows match these filters."));
  gtk_label_set_markup (self->heading_label, heading->str);

  clear_columns (self);
  gtk_column_view_set_model (self->column_view, NULL);
  for (guint c = 0; c < n_columns; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      gboolean numeric = omni_report_table_column_is_numeric (self->table, c);

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_object_set_data (G_OBJECT (factory), "numeric", GINT_TO_POINTER (numeric));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cell_cb), self, 0);
      column = gtk_column_view_column_new (omni_report_table_get_column_title (self->table, c),
                                           factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, !numeric);
      gtk_column_view_append_column (self->column_view, column);
    }

  rows->n_rows = omni_report_table_get_n_rows (self->table);
  rows->totals = omni_report_table_has_totals (self->table) && rows->n_rows > 0;
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  gtk_stack_set_visible_child_name (self->stack, "table");
}

/* Building ------------------------------------------------------------- */

typedef struct
{
  char              *path;
  OmniReportKind     kind;
  char              *from;
  char              *to;
  char              *at;
  char              *location;
  OmniSalesGrouping  grouping;
} BuildRequest;

static void
build_request_free (BuildRequest *request)
{
  g_free (request->path);
  g_free (request->from);
  g_free (request->to);
  g_free (request->at);
  g_free (request->location);
  g_free (request);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildRequest *request = task_data;
  g_autoptr(OmniStore) store = NULL;
  OmniReportTable *table;
  GError *error = NULL;
  OmniReportOptions options = {
    .from = request->from, .to = request->to, .at = request->at,
    .location = request->location, .sales_by = request->grouping,
  };

  store = omni_store_open (request->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  table = omni_report_build (store, request->kind, &options, &error);
  if (table == NULL)
    g_task_return_error (task, error);
  else if (g_task_return_error_if_cancelled (task))
    g_object_unref (table);
  else
    g_task_return_pointer (task, table, g_object_unref);
}

/* The task holds the page, so the page outlives it; a page disposed
 * meanwhile has no cancellable left, and the result is dropped. */
static void
build_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  OmniReportsPage *self = OMNI_REPORTS_PAGE (object);
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(GError) error = NULL;

  table = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->cancellable == NULL)
    return;
  set_busy (self, NULL);

  if (table == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  g_set_object (&self->table, table);
  show_table (self);
  update_actions (self);
}

static char *
entry_text (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
run_report (OmniReportsPage *self)
{
  OmniStore *store = omni_context_get_store (omni_page_get_context (OMNI_PAGE (self)));
  BuildRequest *request;
  g_autoptr(GTask) task = NULL;

  if (self->cancellable != NULL)
    return;

  request = g_new0 (BuildRequest, 1);
  request->path = g_strdup (omni_store_get_path (store));
  request->kind = selected_kind (self);
  if (gtk_widget_get_visible (self->from_box))
    {
      request->from = entry_text (self->from_entry);
      request->to = entry_text (self->to_entry);
    }
  if (gtk_widget_get_visible (self->at_box))
    request->at = entry_text (self->at_entry);
  if (gtk_widget_get_visible (self->location_box))
    request->location = entry_text (self->location_entry);
  request->grouping = (OmniSalesGrouping) MIN (gtk_drop_down_get_selected (self->group_dropdown),
                                               OMNI_SALES_BY_DAY);

  self->cancellable = g_cancellable_new ();
  set_busy (self, _("Reading the figures…"));

  task = g_task_new (self, self->cancellable, build_cb, NULL);
  g_task_set_source_tag (task, run_report);
  g_task_set_task_data (task, request, (GDestroyNotify) build_request_free);
  g_task_run_in_thread (task, build_thread);
}

static void
run_cb (OmniReportsPage *self)
{
  run_report (self);
}

static void
kind_changed_cb (OmniReportsPage *self)
{
  OmniReportKind kind = selected_kind (self);
  gboolean dated = kind == OMNI_REPORT_MOVEMENTS || kind == OMNI_REPORT_SALES;

  gtk_widget_set_visible (self->from_box, dated);
  gtk_widget_set_visible (self->to_box, dated);
  gtk_widget_set_visible (self->at_box, kind == OMNI_REPORT_VALUATION);
  gtk_widget_set_visible (self->group_box, kind == OMNI_REPORT_SALES);
  gtk_widget_set_visible (self->location_box,
                          kind == OMNI_REPORT_VALUATION || kind == OMNI_REPORT_MOVEMENTS);
}

/* Exporting ------------------------------------------------------------ */

typedef struct
{
  OmniReportTable  *table;
  OmniReportFormat  format;
  GFile            *file;
} ExportRequest;

static void
export_request_free (ExportRequest *request)
{
  g_object_unref (request->table);
  g_object_unref (request->file);
  g_free (request);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportRequest *request = task_data;
  GError *error = NULL;

  if (omni_report_table_save (request->table, request->format, request->file, cancellable,
                              &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OmniReportsPage *self = OMNI_REPORTS_PAGE (object);
  ExportRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self->cancellable == NULL)
    return;   /* the page was disposed meanwhile */
  set_busy (self, NULL);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  name = g_file_get_basename (request->file);
  /* TRANSLATORS: %s is a file name */
  message = g_strdup_printf (_("Saved “%s”"), name);
  show_toast (self, message);
}

/**
 * omni_reports_page_export:
 * @file: where the report goes; replaced once it is complete
 * @format: CSV or PDF
 *
 * Writes the previewed report in a worker; the busy property falls back to
 * %FALSE when it is done.
 */
void
omni_reports_page_export (OmniReportsPage  *self,
                          GFile            *file,
                          OmniReportFormat  format)
{
  ExportRequest *request;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OMNI_IS_REPORTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->table != NULL);

  if (self->cancellable != NULL)
    return;

  request = g_new0 (ExportRequest, 1);
  request->table = g_object_ref (self->table);
  request->format = format;
  request->file = g_object_ref (file);

  self->cancellable = g_cancellable_new ();
  set_busy (self, format == OMNI_REPORT_FORMAT_PDF ? _("Writing the PDF…")
                                                   : _("Writing the CSV file…"));
  task = g_task_new (self, self->cancellable, export_cb, NULL);
  g_task_set_source_tag (task, omni_reports_page_export);
  g_task_set_task_data (task, request, (GDestroyNotify) export_request_free);
  g_task_run_in_thread (task, export_thread);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     OmniReportsPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);

  if (file != NULL && self->table != NULL)
    omni_reports_page_export (self, file, self->chooser_format);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniReportsPage *self = OMNI_REPORTS_PAGE (widget);
  gboolean pdf = g_str_equal (g_variant_get_string (param, NULL), "pdf");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->table == NULL || self->chooser != NULL)
    return;

  self->chooser_format = pdf ? OMNI_REPORT_FORMAT_PDF : OMNI_REPORT_FORMAT_CSV;
  self->chooser = gtk_file_chooser_native_new (pdf ? _("Export PDF") : _("Export CSV"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  name = g_strdup_printf ("%s-%s.%s", omni_report_table_get_key (self->table), day,
                          pdf ? "pdf" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, pdf ? _("PDF documents") : _("CSV files"));
  gtk_file_filter_add_suffix (filter, pdf ? "pdf" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Printing ------------------------------------------------------------- */

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                OmniReportsPage   *self)
{
  g_clear_pointer (&self->print_layout, omni_report_layout_free);
  self->print_layout = omni_report_layout_new (self->table,
                                               gtk_print_context_get_cairo_context (context),
                                               gtk_print_context_get_width (context),
                                               gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation,
                                   omni_report_layout_get_n_pages (self->print_layout));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              OmniReportsPage   *self)
{
  omni_report_layout_draw_page (self->print_layout, gtk_print_context_get_cairo_context (context),
                                (guint) page);
}

static void
end_print_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              OmniReportsPage   *self)
{
  g_clear_pointer (&self->print_layout, omni_report_layout_free);
}

/* The print job of the report shown: the same pages as its PDF. */
static GtkPrintOperation *
new_print_operation (OmniReportsPage *self)
{
  GtkPrintOperation *operation;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();

  gtk_page_setup_set_orientation (setup, omni_report_layout_prefers_landscape (self->table)
                                         ? GTK_PAGE_ORIENTATION_LANDSCAPE
                                         : GTK_PAGE_ORIENTATION_PORTRAIT);
  /* The layout has margins of its own. */
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, omni_report_table_get_title (self->table));
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print_cb), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);
  g_signal_connect_object (operation, "end-print", G_CALLBACK (end_print_cb), self, 0);
  return operation;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  OmniReportsPage *self = OMNI_REPORTS_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->table == NULL)
    return;

  operation = new_print_operation (self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_toast (self, error->message);
}

/* Actions and the type ----------------------------------------------------- */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  run_report (OMNI_REPORTS_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniReportsPage *self = OMNI_REPORTS_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
}

/* A change to the store re-reads the report on show, off the main loop. */
static void
store_changed_cb (OmniReportsPage *self)
{
  if (self->table != NULL && self->cancellable == NULL &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    run_report (self);
}

static void
omni_reports_page_constructed (GObject *object)
{
  OmniReportsPage *self = OMNI_REPORTS_PAGE (object);

  G_OBJECT_CLASS (omni_reports_page_parent_class)->constructed (object);

  g_signal_connect_object (omni_page_get_context (OMNI_PAGE (self)), "store-changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
omni_reports_page_dispose (GObject *object)
{
  OmniReportsPage *self = OMNI_REPORTS_PAGE (object);

  if (self->cancellable != NULL)
    {
      /* Workers finish on their own; their callbacks must not come back. */
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_pointer (&self->print_layout, omni_report_layout_free);
  g_clear_object (&self->table);

  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_REPORTS_PAGE);

  G_OBJECT_CLASS (omni_reports_page_parent_class)->dispose (object);
}

static void
omni_reports_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, omni_reports_page_get_busy (OMNI_REPORTS_PAGE (object)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_reports_page_class_init (OmniReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_reports_page_constructed;
  object_class->dispose = omni_reports_page_dispose;
  object_class->get_property = omni_reports_page_get_property;

  /* Whether a worker builds or writes a report for the page. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, from_box);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, to_box);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, at_box);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, group_box);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, location_box);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, at_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, location_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, OmniReportsPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_cb);

  gtk_widget_class_install_action (widget_class, "reports.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "reports.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "reports.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "reports.cancel", NULL, cancel_action);
}

static void
omni_reports_page_init (OmniReportsPage *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (now, -29);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *first = g_date_time_format (month_ago, "%Y-%m-%d");

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (listed_kinds); i++)
    gtk_string_list_append (titles, omni_report_kind_get_title (listed_kinds[i]));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (titles));
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), first);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), today);
  kind_changed_cb (self);
  update_actions (self);
}

/**
 * omni_reports_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_reports_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_REPORTS_PAGE,
                       "context", context,
                       NULL);
}

/**
 * omni_reports_page_get_busy:
 *
 * Returns: whether a worker builds or writes a report
 */
gboolean
omni_reports_page_get_busy (OmniReportsPage *self)
{
  g_return_val_if_fail (OMNI_IS_REPORTS_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * omni_reports_page_get_table:
 *
 * Returns: (transfer none) (nullable): the previewed report
 */
OmniReportTable *
omni_reports_page_get_table (OmniReportsPage *self)
{
  g_return_val_if_fail (OMNI_IS_REPORTS_PAGE (self), NULL);

  return self->table;
}

/**
 * omni_reports_page_select:
 * @kind: the report the drop-down shows, with its filters
 */
void
omni_reports_page_select (OmniReportsPage *self,
                          OmniReportKind   kind)
{
  g_return_if_fail (OMNI_IS_REPORTS_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (listed_kinds); i++)
    {
      if (listed_kinds[i] == kind)
        gtk_drop_down_set_selected (self->kind_dropdown, i);
    }
}

/**
 * omni_reports_page_get_widget:
 * @name: "from", "to", "at", "location" (entries), "group" (drop-down) or
 *   "view" (the column view)
 *
 * Returns: (transfer none) (nullable): that widget, for tests and
 *   keyboard focus
 */
GtkWidget *
omni_reports_page_get_widget (OmniReportsPage *self,
                              const char      *name)
{
  g_return_val_if_fail (OMNI_IS_REPORTS_PAGE (self), NULL);

  if (g_strcmp0 (name, "from") == 0)
    return GTK_WIDGET (self->from_entry);
  if (g_strcmp0 (name, "to") == 0)
    return GTK_WIDGET (self->to_entry);
  if (g_strcmp0 (name, "at") == 0)
    return GTK_WIDGET (self->at_entry);
  if (g_strcmp0 (name, "location") == 0)
    return GTK_WIDGET (self->location_entry);
  if (g_strcmp0 (name, "group") == 0)
    return GTK_WIDGET (self->group_dropdown);
  if (g_strcmp0 (name, "view") == 0)
    return GTK_WIDGET (self->column_view);
  return NULL;
}

/**
 * omni_reports_page_print_to_file:
 * @path: where the PDF goes
 *
 * Runs the print job Print would send to a printer, as "Print to File"
 * does: the same page setup and pages, written to @path as PDF.
 *
 * Returns: %FALSE with @error set when there is no report or printing
 *   failed
 */
gboolean
omni_reports_page_print_to_file (OmniReportsPage  *self,
                                 const char       *path,
                                 GError          **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (OMNI_IS_REPORTS_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->table == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Run a report first"));
      return FALSE;
    }
  operation = new_print_operation (self);
  gtk_print_operation_set_allow_async (operation, FALSE);
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}
