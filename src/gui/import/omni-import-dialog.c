/* omni-import-dialog.c: choose a layout, preview, then import a CSV file
 *
 * Opening the dialog runs a dry run of the import on a worker thread (its
 * own database connection): the summary, the first rows as they will be
 * stored and every problem with its line and column. Changing the layout,
 * the column mapping or the location runs it again. Import is possible
 * only when the dry run found no error; it runs on the worker too, with a
 * progress bar and rows per second, and Cancel rolls it back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-import-dialog"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n.h>

#include "omni-import-dialog.h"
#include "omni-import.h"
#include "omni-inventory-util.h"
#include "omni-currency.h"
#include "omni-money.h"
#include "omni-toast.h"

#define PREVIEW_ROWS 20
#define RERUN_DELAY_MS 400

/* Layout choices, in the order of the layout row's model. */
static const OmniImportFormat layout_formats[] = {
  OMNI_IMPORT_FORMAT_AUTO,
  OMNI_IMPORT_FORMAT_SHOPIFY,
  OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY,
  OMNI_IMPORT_FORMAT_WOOCOMMERCE,
  OMNI_IMPORT_FORMAT_GENERIC,
};

/* Shared between the worker and the main loop, which polls it. */
typedef struct
{
  GMutex  lock;
  guint64 bytes;
  guint64 total;
  guint64 rows;
} Progress;

typedef struct
{
  char             *db_path;
  char             *file_path;
  OmniImportFormat  format;
  char             *location;
  GStrv             mapping;
  gboolean          dry_run;
  gboolean          skip_invalid_rows;
  char             *rejects_path;
  char             *actor;
  Progress         *progress;
  GStrv             header;           /* out */
  OmniImportResult *result;           /* out */
} Job;

struct _OmniImportDialog
{
  AdwWindow         parent_instance;

  OmniContext      *context;
  GFile            *file;

  AdwActionRow     *file_row;
  AdwComboRow      *layout_row;
  AdwEntryRow      *location_row;
  AdwActionRow     *skip_row;
  GtkSwitch        *skip_switch;
  AdwPreferencesGroup *mapping_group;
  GtkProgressBar   *progress_bar;
  GtkLabel         *summary_label;
  AdwPreferencesGroup *problems_group;
  GtkListBox       *problems_list;
  AdwPreferencesGroup *preview_group;
  GtkGrid          *preview_grid;
  GtkButton        *import_button;
  GtkButton        *cancel_button;

  GCancellable     *cancellable;      /* the running job's */
  Progress         *progress;
  gint64            started_us;
  guint             progress_id;
  guint             rerun_id;
  gboolean          running;
  gboolean          importing;
  gboolean          ready;            /* the last dry run found no error */
  guint             n_problems;
  GStrv             header;
  GPtrArray        *mapping_rows;     /* AdwComboRow per header column */
};

G_DEFINE_FINAL_TYPE (OmniImportDialog, omni_import_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_job (OmniImportDialog *self,
                     gboolean          dry_run);

/* The job ------------------------------------------------------------- */

static void
progress_clear (Progress *progress)
{
  g_mutex_clear (&progress->lock);
}

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_free (job->file_path);
  g_free (job->location);
  g_free (job->rejects_path);
  g_strfreev (job->mapping);
  g_free (job->actor);
  if (job->progress != NULL)
    g_atomic_rc_box_release_full (job->progress, (GDestroyNotify)progress_clear);
  g_strfreev (job->header);
  g_clear_pointer (&job->result, omni_import_result_free);
  g_free (job);
}

static void
job_progress (guint64  bytes,
              guint64  total,
              guint64  rows,
              gpointer data)
{
  Progress *progress = data;

  g_mutex_lock (&progress->lock);
  progress->bytes = bytes;
  progress->total = total;
  progress->rows = rows;
  g_mutex_unlock (&progress->lock);
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  OmniImportOptions options = { 0 };
  OmniImportFormat detected;

  store = omni_store_open (job->db_path, &error);
  if (store == NULL ||
      !omni_import_read_header (job->file_path, &job->header, &detected, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  options.format = job->format;
  options.location = job->location;
  options.mapping = (const char * const *)job->mapping;
  options.dry_run = job->dry_run;
  options.skip_invalid_rows = job->skip_invalid_rows;
  options.rejects_path = job->rejects_path;
  options.actor = job->actor;
  options.preview_rows = PREVIEW_ROWS;
  options.progress = job_progress;
  options.progress_data = job->progress;
  job->result = omni_import_file (store, job->file_path, &options, cancellable, &error);
  if (job->result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Showing results ------------------------------------------------------ */

static void
clear_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_GRID (parent))
        gtk_grid_remove (GTK_GRID (parent), child);
      else if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), child);
      else
        gtk_widget_unparent (child);
    }
}

static void
add_problem_row (OmniImportDialog  *self,
                 const char        *text,
                 gboolean           warning)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (warning ? "dialog-warning-symbolic"
                                                          : "dialog-error-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_add_css_class (icon, warning ? "warning" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  warning ? _("Warning") : _("Error"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (self->problems_list, row);
}

static void
show_problems (OmniImportDialog *self,
               OmniImportResult *result)
{
  gboolean errors = result != NULL && result->n_errors > 0;

  clear_children (GTK_WIDGET (self->problems_list));
  adw_preferences_group_set_title (self->problems_group, errors ? _("Problems") : _("Notes"));
  adw_preferences_group_set_description (self->problems_group,
                                         errors ? _("Nothing is imported while the file has "
                                                    "errors: fix them in the file, then choose "
                                                    "it again.")
                                                : _("These rows import as described."));
  self->n_problems = 0;
  for (guint i = 0; result != NULL && i < result->problems->len; i++)
    {
      OmniImportProblem *problem = g_ptr_array_index (result->problems, i);

      add_problem_row (self, problem->text, problem->warning);
      self->n_problems++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), self->n_problems > 0);
}

static void
grid_cell (GtkGrid    *grid,
           int         column,
           int         row,
           const char *text,
           gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "new") == 0)
    return _("New");
  if (g_strcmp0 (action, "update") == 0)
    return _("Update");
  if (g_strcmp0 (action, "stock") == 0)
    return _("Stock");
  return _("Unchanged");
}

static void
show_preview (OmniImportDialog *self,
              OmniImportResult *result)
{
  g_autofree char *currency = omni_store_get_setting (omni_context_get_store (self->context),
                                                      "currency");
  const char *headers[] = {
    _("Line"), _("Product"), _("Options"), _("SKU"), _("Price"), _("Quantity"), _("Action"),
  };

  clear_children (GTK_WIDGET (self->preview_grid));
  gtk_widget_set_visible (GTK_WIDGET (self->preview_group),
                          result != NULL && result->preview->len > 0);
  if (result == NULL || result->preview->len == 0)
    return;

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    grid_cell (self->preview_grid, (int)c, 0, headers[c], TRUE);

  for (guint i = 0; i < result->preview->len; i++)
    {
      OmniImportPreviewRow *row = g_ptr_array_index (result->preview, i);
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, row->line);
      g_autofree char *price = row->price >= 0 ? omni_currency_format (row->price, currency)
                                               : g_strdup ("");
      g_autofree char *quantity = row->quantity >= 0
                                  ? g_strdup_printf ("%" G_GINT64_FORMAT, row->quantity)
                                  : g_strdup ("");
      int r = (int)i + 1;

      grid_cell (self->preview_grid, 0, r, line, FALSE);
      grid_cell (self->preview_grid, 1, r, row->title ? row->title
                                           : row->handle ? row->handle : "", FALSE);
      grid_cell (self->preview_grid, 2, r, row->options ? row->options : "", FALSE);
      grid_cell (self->preview_grid, 3, r, row->sku ? row->sku : "", FALSE);
      grid_cell (self->preview_grid, 4, r, price, FALSE);
      grid_cell (self->preview_grid, 5, r, quantity, FALSE);
      grid_cell (self->preview_grid, 6, r, action_label (row->action), FALSE);
    }
}

static const char *
layout_name (OmniImportFormat format)
{
  switch (format)
    {
    case OMNI_IMPORT_FORMAT_SHOPIFY:
      return _("Shopify products");
    case OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY:
      return _("Shopify inventory");
    case OMNI_IMPORT_FORMAT_WOOCOMMERCE:
      return _("WooCommerce products");
    case OMNI_IMPORT_FORMAT_GENERIC:
      return _("Generic layout");
    case OMNI_IMPORT_FORMAT_AUTO:
    default:
      return _("Unknown layout");
    }
}

static char *
describe_result (OmniImportResult *result)
{
  const char *layout = layout_name (result->format);

  if (result->n_errors > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The file (%s, %" PRIu64
                                         " rows) has %" PRIu64 " error.",
                                         "The file (%s, %" PRIu64
                                         " rows) has %" PRIu64 " errors.",
                                         result->n_errors),
                            layout, result->rows, result->n_errors);

  return g_strdup_printf (_("%s, %" PRIu64 " rows: %" PRIu64
                            " new products, %" PRIu64 " updated; %"
                            PRIu64 " new variants, %" PRIu64
                            " updated, %" PRIu64 " unchanged; %" PRIu64
                            " stock quantities to set (%+" PRId64 " units)."),
                          layout, result->rows, result->products_created,
                          result->products_updated, result->variants_created,
                          result->variants_updated, result->variants_unchanged,
                          result->quantity_changes, result->units_delta);
}

/* Mapping -------------------------------------------------------------- */

static GStrv
current_mapping (OmniImportDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char * const *fields = omni_import_list_fields ();

  if (self->mapping_rows == NULL || self->header == NULL)
    return NULL;
  for (guint i = 0; i < self->mapping_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->mapping_rows, i);
      guint selected = adw_combo_row_get_selected (row);

      if (selected == GTK_INVALID_LIST_POSITION)
        continue;
      g_autofree char *entry = g_strdup_printf ("%s=%s", self->header[i], fields[selected]);

      g_strv_builder_add (builder, entry);
    }
  return g_strv_builder_end (builder);
}

static void
schedule_rerun (OmniImportDialog *self);

static void
mapping_changed_cb (OmniImportDialog *self)
{
  schedule_rerun (self);
}

/* One row per column, set to the remembered field, else the guessed one. */
static void
build_mapping_rows (OmniImportDialog *self)
{
  const char * const *fields = omni_import_list_fields ();
  g_auto(GStrv) remembered = omni_import_load_mapping (omni_context_get_store (self->context));
  guint n_fields = g_strv_length ((char **)fields);

  if (self->mapping_rows != NULL)
    for (guint i = 0; i < self->mapping_rows->len; i++)
      adw_preferences_group_remove (self->mapping_group,
                                    g_ptr_array_index (self->mapping_rows, i));
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  self->mapping_rows = g_ptr_array_new ();

  for (guint c = 0; self->header != NULL && self->header[c] != NULL; c++)
    {
      g_autoptr(GtkStringList) model = gtk_string_list_new (fields);
      GtkWidget *row = adw_combo_row_new ();
      const char *field = omni_import_guess_field (self->header[c]);
      guint selected = n_fields - 1;   /* ignore */

      for (guint m = 0; remembered != NULL && remembered[m] != NULL; m++)
        {
          const char *eq = strchr (remembered[m], '=');

          if (eq != NULL && (gsize)(eq - remembered[m]) == strlen (self->header[c]) &&
              strncmp (remembered[m], self->header[c], eq - remembered[m]) == 0)
            field = eq + 1;
        }
      for (guint f = 0; field != NULL && f < n_fields; f++)
        if (g_str_equal (fields[f], field))
          selected = f;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     *self->header[c] ? self->header[c] : _("(no name)"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (mapping_changed_cb), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->mapping_group, row);
      g_ptr_array_add (self->mapping_rows, row);
    }
}

/* Running -------------------------------------------------------------- */

/* "stock.csv" → "stock-rejects.csv", beside it. */
static char *
rejects_path (OmniImportDialog *self)
{
  g_autofree char *path = g_file_get_path (self->file);
  g_autofree char *stem = NULL;
  const char *dot;

  if (path == NULL)
    return NULL;
  dot = strrchr (path, '.');
  stem = dot != NULL && strchr (dot, '/') == NULL ? g_strndup (path, dot - path)
                                                  : g_strdup (path);
  return g_strconcat (stem, "-rejects.csv", NULL);
}

static OmniImportFormat
chosen_format (OmniImportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->layout_row);

  return selected < G_N_ELEMENTS (layout_formats) ? layout_formats[selected]
                                                  : OMNI_IMPORT_FORMAT_AUTO;
}

static gboolean
update_progress_cb (gpointer data)
{
  OmniImportDialog *self = data;
  g_autofree char *text = NULL;
  guint64 bytes, total, rows;
  double seconds = (g_get_monotonic_time () - self->started_us) / (double)G_USEC_PER_SEC;

  g_mutex_lock (&self->progress->lock);
  bytes = self->progress->bytes;
  total = self->progress->total;
  rows = self->progress->rows;
  g_mutex_unlock (&self->progress->lock);

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double)bytes / total));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  text = g_strdup_printf (_("%" PRIu64 " rows · %.0f rows/s"), rows,
                          seconds > 0 ? rows / seconds : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_CONTINUE;
}

static void
set_running (OmniImportDialog *self,
             gboolean          running,
             gboolean          importing)
{
  self->running = running;
  self->importing = running && importing;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), !running && self->ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->layout_row), !self->importing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->location_row), !self->importing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->skip_row), !self->importing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mapping_group), !self->importing);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (running)
    {
      self->started_us = g_get_monotonic_time ();
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_set_text (self->progress_bar, importing ? _("Importing…")
                                                               : _("Checking the file…"));
      self->progress_id = g_timeout_add (100, update_progress_cb, self);
    }
}

static void
preview_done (OmniImportDialog *self,
              Job              *job,
              GError           *error)
{
  g_autofree char *summary = NULL;

  if (self->header == NULL && job->header != NULL)
    {
      self->header = g_strdupv (job->header);
      build_mapping_rows (self);
    }

  if (error != NULL)
    {
      self->ready = FALSE;
      show_problems (self, NULL);
      show_preview (self, NULL);
      /* An unknown header: offer the generic layout with guessed columns. */
      if (g_error_matches (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_UNKNOWN_FORMAT) &&
          chosen_format (self) == OMNI_IMPORT_FORMAT_AUTO)
        {
          gtk_label_set_text (self->summary_label, error->message);
          adw_combo_row_set_selected (self->layout_row, G_N_ELEMENTS (layout_formats) - 1);
          return;
        }
      gtk_label_set_text (self->summary_label, error->message);
      gtk_progress_bar_set_text (self->progress_bar, _("The file cannot be imported"));
      return;
    }

  self->ready = job->result->n_errors == 0 ||
                (gtk_switch_get_active (self->skip_switch) && !job->result->file_error);
  summary = describe_result (job->result);
  if (job->result->rows_rejected > 0 && !job->result->file_error)
    {
      g_autofree char *rejects = g_path_get_basename (job->rejects_path);
      char *more = g_strdup_printf (_("%s %" PRIu64 " rows with errors will be left "
                                      "out and saved to %s."),
                                    summary, job->result->rows_rejected, rejects);

      g_free (summary);
      summary = more;
    }
  gtk_label_set_text (self->summary_label, summary);
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_progress_bar_set_text (self->progress_bar, self->ready ? _("Ready to import")
                                                             : _("Not ready: see the problems"));
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group),
                          job->result->format == OMNI_IMPORT_FORMAT_GENERIC);
  show_problems (self, job->result);
  show_preview (self, job->result);
}

static void
import_done (OmniImportDialog *self,
             Job              *job,
             GError           *error)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *title = NULL;

  if (error != NULL || !job->result->applied)
    {
      /* The store changed between the preview and the import: show why. */
      self->ready = FALSE;
      gtk_label_set_text (self->summary_label, error ? error->message
                                                     : _("Nothing was imported."));
      gtk_progress_bar_set_text (self->progress_bar,
                                 g_error_matches (error, OMNI_IMPORT_ERROR,
                                                  OMNI_IMPORT_ERROR_CANCELLED)
                                 ? _("Cancelled: nothing was imported")
                                 : _("Nothing was imported"));
      show_problems (self, job->result);
      return;
    }

  omni_context_store_changed (self->context);
  if (job->result->rows_rejected > 0)
    title = g_strdup_printf (_("Imported %" PRIu64 " new and %" PRIu64
                               " updated variants; %" PRIu64 " rows left out"),
                             job->result->variants_created, job->result->variants_updated,
                             job->result->rows_rejected);
  else
    title = g_strdup_printf (_("Imported %" PRIu64 " new and %" PRIu64
                               " updated variants, %" PRIu64 " stock changes"),
                             job->result->variants_created, job->result->variants_updated,
                             job->result->quantity_changes);
  if (parent != NULL)
    omni_inventory_add_toast (GTK_WIDGET (parent), omni_toast_new_text (title));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(OmniImportDialog) self = data;
  g_autoptr(GError) error = NULL;
  Job *job = g_task_get_task_data (G_TASK (result));
  gboolean dry_run = job->dry_run;

  g_task_propagate_boolean (G_TASK (result), &error);
  /* A newer run replaced this one, or the dialog closed. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable ||
      gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  set_running (self, FALSE, FALSE);
  if (dry_run)
    preview_done (self, job, error);
  else
    import_done (self, job, error);
  set_running (self, FALSE, FALSE);
}

static void
run_job (OmniImportDialog *self,
         gboolean          dry_run)
{
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);
  OmniImportFormat format = chosen_format (self);
  const char *location = gtk_editable_get_text (GTK_EDITABLE (self->location_row));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->rerun_id, g_source_remove);

  job->db_path = g_strdup (omni_store_get_path (omni_context_get_store (self->context)));
  job->file_path = g_file_get_path (self->file);
  job->format = format;
  job->location = *location ? g_strstrip (g_strdup (location)) : NULL;
  if (job->location != NULL && *job->location == '\0')
    g_clear_pointer (&job->location, g_free);
  job->mapping = format == OMNI_IMPORT_FORMAT_GENERIC ? current_mapping (self) : NULL;
  job->dry_run = dry_run;
  job->skip_invalid_rows = gtk_switch_get_active (self->skip_switch);
  job->rejects_path = rejects_path (self);
  job->actor = omni_context_dup_actor (self->context);
  job->progress = g_atomic_rc_box_acquire (self->progress);

  task = g_task_new (NULL, self->cancellable, job_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, run_job);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  if (!dry_run)
    self->ready = FALSE;
  set_running (self, TRUE, !dry_run);
  g_task_run_in_thread (task, job_thread);
}

static gboolean
rerun_cb (gpointer data)
{
  OmniImportDialog *self = data;

  self->rerun_id = 0;
  run_job (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule_rerun (OmniImportDialog *self)
{
  if (self->importing)
    return;
  self->ready = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  g_clear_handle_id (&self->rerun_id, g_source_remove);
  self->rerun_id = g_timeout_add (RERUN_DELAY_MS, rerun_cb, self);
}

static void
layout_changed_cb (OmniImportDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group),
                          chosen_format (self) == OMNI_IMPORT_FORMAT_GENERIC);
  if (gtk_widget_get_realized (GTK_WIDGET (self)) || self->header != NULL)
    schedule_rerun (self);
}

static void
import_clicked_cb (OmniImportDialog *self)
{
  if (self->ready && !self->running)
    run_job (self, FALSE);
}

static void
cancel_clicked_cb (OmniImportDialog *self)
{
  if (self->running)
    {
      g_cancellable_cancel (self->cancellable);
      if (self->importing)
        return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

/* GObject -------------------------------------------------------------- */

static void
omni_import_dialog_constructed (GObject *object)
{
  OmniImportDialog *self = OMNI_IMPORT_DIALOG (object);
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GFile) parent = NULL;

  G_OBJECT_CLASS (omni_import_dialog_parent_class)->constructed (object);

  g_return_if_fail (self->context != NULL && self->file != NULL);
  name = g_file_get_basename (self->file);
  parent = g_file_get_parent (self->file);
  folder = parent ? g_file_get_parse_name (parent) : g_strdup ("");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), name);
  adw_action_row_set_subtitle (self->file_row, folder);

  g_signal_connect_object (self->layout_row, "notify::selected",
                           G_CALLBACK (layout_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->location_row, "changed",
                           G_CALLBACK (schedule_rerun), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->skip_switch, "notify::active",
                           G_CALLBACK (schedule_rerun), self, G_CONNECT_SWAPPED);
  {
    g_autofree char *rejects = rejects_path (self);
    g_autofree char *rejects_name = rejects ? g_path_get_basename (rejects) : NULL;
    g_autofree char *subtitle = g_strdup_printf (_("They are saved to %s, beside the file"),
                                                 rejects_name ? rejects_name : "");

    adw_action_row_set_subtitle (self->skip_row, subtitle);
  }
  run_job (self, TRUE);
}

static void
omni_import_dialog_dispose (GObject *object)
{
  OmniImportDialog *self = OMNI_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->rerun_id, g_source_remove);
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (omni_import_dialog_parent_class)->dispose (object);
}

static void
omni_import_dialog_finalize (GObject *object)
{
  OmniImportDialog *self = OMNI_IMPORT_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_object (&self->file);
  g_clear_pointer (&self->header, g_strfreev);
  g_atomic_rc_box_release_full (self->progress, (GDestroyNotify)progress_clear);

  G_OBJECT_CLASS (omni_import_dialog_parent_class)->finalize (object);
}

static void
omni_import_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OmniImportDialog *self = OMNI_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_import_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  OmniImportDialog *self = OMNI_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_import_dialog_class_init (OmniImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_import_dialog_constructed;
  object_class->dispose = omni_import_dialog_dispose;
  object_class->finalize = omni_import_dialog_finalize;
  object_class->get_property = omni_import_dialog_get_property;
  object_class->set_property = omni_import_dialog_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, OMNI_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock/import/"
                                               "omni-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, layout_row);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, skip_row);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, problems_list);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, OmniImportDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_import_dialog_init (OmniImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->progress = g_atomic_rc_box_new0 (Progress);
  g_mutex_init (&self->progress->lock);
}

/**
 * omni_import_dialog_new:
 * @file: the CSV file the merchant chose
 *
 * Returns: (transfer none): the dialog, shown; it checks the file at once
 */
OmniImportDialog *
omni_import_dialog_new (OmniContext *context,
                        GtkWindow   *parent,
                        GFile       *file)
{
  OmniImportDialog *self;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (OMNI_TYPE_IMPORT_DIALOG,
                       "context", context,
                       "file", file,
                       "transient-for", parent,
                       NULL);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

/* Whether a dry run or an import is running. */
gboolean
omni_import_dialog_is_busy (OmniImportDialog *self)
{
  g_return_val_if_fail (OMNI_IS_IMPORT_DIALOG (self), FALSE);
  return self->running || self->rerun_id != 0;
}

/* Problems (errors and warnings) the last run listed. */
guint
omni_import_dialog_get_n_problems (OmniImportDialog *self)
{
  g_return_val_if_fail (OMNI_IS_IMPORT_DIALOG (self), 0);
  return self->n_problems;
}
