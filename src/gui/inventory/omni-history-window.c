/* omni-history-window.c: one variant's movements with running balances
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Newest first, each movement with the on-hand balance at its location
 * right after it (computed by the store over the whole history, so a
 * filtered view still shows true balances). A variant's history grows with
 * time, so it is read, and exported, by a worker with its own connection.
 * Dates are typed as local calendar days and become UTC bounds.
 */
#define G_LOG_DOMAIN "omni-history-window"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "omni-csv.h"
#include "omni-history-window.h"
#include "omni-inventory-util.h"
#include "omni-inventory-worker.h"
#include "omni-movement-item.h"
#include "omni-toast.h"

typedef enum
{
  COLUMN_TIME,
  COLUMN_LOCATION,
  COLUMN_CHANGE,
  COLUMN_BALANCE,
  COLUMN_REASON,
  COLUMN_ACTOR,
  COLUMN_NOTE,
} Column;

/* A copy of the filter the worker can own. */
typedef struct
{
  gint64  variant_id;
  char   *reason;
  char   *from;
  char   *to;
  char   *path;        /* export only */
} Request;

struct _OmniHistoryWindow
{
  AdwWindow            parent_instance;

  OmniContext         *context;
  gint64               variant_id;
  char                *label;
  OmniInventoryWorker *worker;
  GCancellable        *cancellable;     /* cancelled in dispose */
  GListStore          *movements;
  guint                loading : 1;
  guint                stale : 1;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkDropDown         *reason_dropdown;
  GtkEntry            *from_entry;
  GtkEntry            *to_entry;
  GtkLabel            *summary_label;
  GtkStack            *stack;
  GtkColumnView       *column_view;
  AdwStatusPage       *error_page;
};

G_DEFINE_FINAL_TYPE (OmniHistoryWindow, omni_history_window, ADW_TYPE_WINDOW)

static void reload (OmniHistoryWindow *self);

static void
request_free (Request *request)
{
  g_free (request->reason);
  g_free (request->from);
  g_free (request->to);
  g_free (request->path);
  g_free (request);
}

/* Worker side ----------------------------------------------------------- */

static GPtrArray *
read_history (OmniStore      *store,
              const Request  *request,
              GError        **error)
{
  OmniHistoryFilter filter = { 0 };

  filter.reason = request->reason;
  filter.from = request->from;
  filter.to = request->to;
  return omni_store_get_history (store, request->variant_id, &filter, error);
}

static void
load_job (OmniStore    *store,
          GTask        *task,
          gpointer      task_data,
          GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *history = read_history (store, task_data, &error);

  if (history == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, history, (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
write_movement (OmniCsvWriter       *writer,
                const OmniMovement  *m,
                GError             **error)
{
  g_autofree char *change = g_strdup_printf ("%" G_GINT64_FORMAT, m->on_hand_delta);
  g_autofree char *balance = g_strdup_printf ("%" G_GINT64_FORMAT, m->balance);
  const char *fields[] = {
    m->time, m->sku, m->title, m->location, change, balance, m->reason, m->source,
    m->reference, m->note, m->actor, m->operation,
  };

  return omni_csv_writer_write_row (writer, fields, G_N_ELEMENTS (fields), error);
}

/* The columns keep the ledger's own words (reason names, UTC times), so a
 * spreadsheet or a script reads the same values the CLI prints. */
static gboolean
write_csv (GOutputStream  *stream,
           GPtrArray      *history,
           GCancellable   *cancellable,
           GError        **error)
{
  static const char *header[] = {
    "time", "sku", "title", "location", "change", "balance", "reason", "source",
    "reference", "note", "actor", "operation",
  };
  const OmniCsvWriterOptions options = { .neutralize_formulas = TRUE };
  g_autoptr(OmniCsvWriter) writer = omni_csv_writer_new (stream, &options);

  if (!omni_csv_writer_write_row (writer, header, G_N_ELEMENTS (header), error))
    return FALSE;
  for (guint i = 0; i < history->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !write_movement (writer, g_ptr_array_index (history, i), error))
        return FALSE;
    }
  return omni_csv_writer_close (writer, error);
}

static void
export_job (OmniStore    *store,
            GTask        *task,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GFile) file = g_file_new_for_path (request->path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GPtrArray) history = NULL;
  GError *error = NULL;

  if (!(history = read_history (store, request, &error)) ||
      !(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                 cancellable, &error)) ||
      !write_csv (G_OUTPUT_STREAM (stream), history, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, history->len);
}

/* Filters --------------------------------------------------------------- */

/* "2026-03-01" as a local day → the UTC time its midnight is (or the next
 * day's, for an inclusive end), as the ledger writes times. */
static gboolean
parse_day (const char  *text,
           gboolean     next_day,
           char       **utc_out)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  int year, month, day;
  char tail;

  *utc_out = NULL;
  if (stripped[0] == '\0')
    return TRUE;
  if (sscanf (stripped, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;

  local = g_date_time_new_local (year, month, day, 0, 0, 0);
  if (local == NULL)
    return FALSE;
  if (next_day)
    {
      GDateTime *next = g_date_time_add_days (local, 1);

      g_date_time_unref (local);
      local = next;
    }
  utc = g_date_time_to_utc (local);
  *utc_out = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000000Z");
  return TRUE;
}

static gboolean
parse_entry (GtkEntry  *entry,
             gboolean   next_day,
             char     **utc_out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  gboolean valid = parse_day (text, next_day, utc_out);

  /* A day still being typed is not yet wrong. */
  if (valid || strlen (text) < strlen ("YYYY-MM-DD"))
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  return valid;
}

static const char *
selected_reason (OmniHistoryWindow *self)
{
  const OmniReasonChoice *reasons;
  guint n, selected = gtk_drop_down_get_selected (self->reason_dropdown);

  reasons = omni_inventory_all_reasons (&n);
  /* The first entry is "All Reasons". */
  if (selected == 0 || selected > n)
    return NULL;
  return reasons[selected - 1].reason;
}

/* Returns NULL while a date is half typed: the list keeps what it shows. */
static Request *
build_request (OmniHistoryWindow *self)
{
  Request *request = g_new0 (Request, 1);
  gboolean from_ok, to_ok;

  request->variant_id = self->variant_id;
  request->reason = g_strdup (selected_reason (self));
  from_ok = parse_entry (self->from_entry, FALSE, &request->from);
  to_ok = parse_entry (self->to_entry, TRUE, &request->to);
  if (!from_ok || !to_ok)
    {
      request_free (request);
      return NULL;
    }
  return request;
}

/* Loading --------------------------------------------------------------- */

static void
show_history (OmniHistoryWindow *self,
              GPtrArray         *history)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < history->len; i++)
    g_ptr_array_add (items, omni_movement_item_new (g_steal_pointer (&history->pdata[i])));

  g_list_store_splice (self->movements, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->movements)),
                       items->pdata, items->len);

  summary = g_strdup_printf (ngettext ("%u movement", "%u movements", items->len), items->len);
  gtk_label_set_text (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  OmniHistoryWindow *self;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled only in dispose: the window may be gone, touch nothing. */
  history = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_HISTORY_WINDOW (user_data);
  self->loading = FALSE;

  if (self->stale)
    reload (self);
  else if (history == NULL)
    {
      g_autofree char *message = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    show_history (self, history);
}

/* One read at a time: a change during a read marks the list stale and the
 * read starts over when it ends. */
static void
reload (OmniHistoryWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  if (self->loading)
    {
      self->stale = TRUE;
      return;
    }
  if (!(request = build_request (self)))
    return;

  self->stale = FALSE;
  self->loading = TRUE;
  task = g_task_new (NULL, self->cancellable, load_cb, self);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  omni_inventory_worker_run (self->worker, task, load_job);
}

static void
filter_changed_cb (OmniHistoryWindow *self)
{
  if (self->worker != NULL)
    reload (self);
}

/* Cells ----------------------------------------------------------------- */

static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
cell_text (Column              column,
           const OmniMovement *m)
{
  switch (column)
    {
    case COLUMN_TIME:
      return format_time (m->time);
    case COLUMN_LOCATION:
      return g_strdup (m->location);
    case COLUMN_CHANGE:
      return omni_inventory_format_delta (m->on_hand_delta);
    case COLUMN_BALANCE:
      return omni_inventory_format_count (m->balance);
    case COLUMN_REASON:
      return g_strdup (omni_inventory_reason_label (m->reason));
    case COLUMN_ACTOR:
      return g_strdup (m->actor);
    case COLUMN_NOTE:
      return g_strdup (m->note);
    default:
      g_assert_not_reached ();
    }
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = column == COLUMN_CHANGE || column == COLUMN_BALANCE;

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  OmniMovementItem *item = gtk_list_item_get_item (list_item);
  const OmniMovement *m = omni_movement_item_get_movement (item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = cell_text (column, m);

  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  gtk_widget_set_tooltip_text (label, column == COLUMN_NOTE ? m->note : NULL);
}

static void
add_column (OmniHistoryWindow *self,
            Column             column,
            const char        *title,
            gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
setup_columns (OmniHistoryWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  add_column (self, COLUMN_TIME, _("Date"), FALSE);
  add_column (self, COLUMN_LOCATION, _("Location"), FALSE);
  add_column (self, COLUMN_CHANGE, _("Change"), FALSE);
  /* Translators: stock on hand at the location after the movement */
  add_column (self, COLUMN_BALANCE, _("Balance"), FALSE);
  add_column (self, COLUMN_REASON, _("Reason"), FALSE);
  /* Translators: who made the change */
  add_column (self, COLUMN_ACTOR, _("By"), FALSE);
  add_column (self, COLUMN_NOTE, _("Note"), TRUE);

  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->movements)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

static void
fill_reasons (OmniHistoryWindow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const OmniReasonChoice *reasons;
  guint n;

  gtk_string_list_append (labels, _("All Reasons"));
  reasons = omni_inventory_all_reasons (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (labels, _(reasons[i].label));
  gtk_drop_down_set_model (self->reason_dropdown, G_LIST_MODEL (labels));
}

/* Export ---------------------------------------------------------------- */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OmniHistoryWindow *self = OMNI_HISTORY_WINDOW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (!omni_history_window_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup (error->message);
    }
  else
    {
      name = g_file_get_basename (file);
      /* Translators: %s is a file name */
      text = g_strdup_printf (_("Saved “%s”"), name);
    }

  adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (text));
}

static void
chooser_response_cb (OmniHistoryWindow    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    omni_history_window_export_async (self, file, self->cancellable, export_done_cb,
                                      g_object_ref (file));
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniHistoryWindow *self = OMNI_HISTORY_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export History"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  /* Translators: the suggested file name; %s is a SKU */
  name = g_strdup_printf (_("history-%s.csv"), self->label);
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject --------------------------------------------------------------- */

static void
omni_history_window_dispose (GObject *object)
{
  OmniHistoryWindow *self = OMNI_HISTORY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* Waits for the worker's thread: nothing holds the database after this. */
  g_clear_object (&self->worker);
  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_HISTORY_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->movements);
  g_clear_object (&self->context);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (omni_history_window_parent_class)->dispose (object);
}

static void
omni_history_window_class_init (OmniHistoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_history_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/inventory/omni-history-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, from_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, to_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, OmniHistoryWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "history.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_history_window_init (OmniHistoryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->movements = g_list_store_new (OMNI_TYPE_MOVEMENT_ITEM);
  setup_columns (self);
}

/**
 * omni_history_window_new:
 * @parent: the main window
 *
 * Returns: (transfer none): a new window, owned by GTK
 */
OmniHistoryWindow *
omni_history_window_new (GtkWindow   *parent,
                         OmniContext *context,
                         gint64       variant_id)
{
  OmniHistoryWindow *self;
  OmniStore *store;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_HISTORY_WINDOW, "transient-for", parent, NULL);
  store = omni_context_get_store (context);
  self->context = g_object_ref (context);
  self->variant_id = variant_id;
  self->label = omni_inventory_dup_variant_label (store, variant_id);
  adw_window_title_set_subtitle (self->window_title, self->label);
  fill_reasons (self);

  self->worker = omni_inventory_worker_new (omni_store_get_path (store));
  g_signal_connect_object (context, "store-changed", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

/**
 * omni_history_window_get_movements:
 *
 * Returns: (transfer none): the movements shown, as #OmniMovementItem
 */
GListModel *
omni_history_window_get_movements (OmniHistoryWindow *self)
{
  g_return_val_if_fail (OMNI_IS_HISTORY_WINDOW (self), NULL);

  return G_LIST_MODEL (self->movements);
}

gboolean
omni_history_window_get_loading (OmniHistoryWindow *self)
{
  g_return_val_if_fail (OMNI_IS_HISTORY_WINDOW (self), FALSE);

  return self->loading;
}

/**
 * omni_history_window_set_reason:
 * @reason: (nullable): an OMNI_REASON_* name; %NULL for all
 *
 * Returns: %FALSE for a reason the ledger does not know
 */
gboolean
omni_history_window_set_reason (OmniHistoryWindow *self,
                                const char        *reason)
{
  const OmniReasonChoice *reasons;
  guint n;

  g_return_val_if_fail (OMNI_IS_HISTORY_WINDOW (self), FALSE);

  if (reason == NULL)
    {
      gtk_drop_down_set_selected (self->reason_dropdown, 0);
      return TRUE;
    }

  reasons = omni_inventory_all_reasons (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (reasons[i].reason, reason))
      {
        gtk_drop_down_set_selected (self->reason_dropdown, i + 1);
        return TRUE;
      }

  return FALSE;
}

/**
 * omni_history_window_set_dates:
 * @from: (nullable): first local day shown, "YYYY-MM-DD"
 * @to: (nullable): last local day shown, inclusive
 */
void
omni_history_window_set_dates (OmniHistoryWindow *self,
                               const char        *from,
                               const char        *to)
{
  g_return_if_fail (OMNI_IS_HISTORY_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from ? from : "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to ? to : "");
}

/**
 * omni_history_window_export_async:
 * @file: a local file to write (replaced if it exists)
 *
 * Writes the movements the filters select as CSV, in a worker.
 */
void
omni_history_window_export_async (OmniHistoryWindow   *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (OMNI_IS_HISTORY_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, omni_history_window_export_async);

  request = build_request (self);
  if (request == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A date is not a day of the form YYYY-MM-DD"));
      return;
    }
  request->path = g_file_get_path (file);
  if (request->path == NULL)
    {
      request_free (request);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Choose a file on this computer"));
      return;
    }

  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  omni_inventory_worker_run (self->worker, task, export_job);
}

/**
 * omni_history_window_export_finish:
 *
 * Returns: %TRUE when the file was written
 */
gboolean
omni_history_window_export_finish (OmniHistoryWindow  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (OMNI_IS_HISTORY_WINDOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_int (G_TASK (result), error) >= 0;
}
