/* omni-count-worker.c: stock count work that grows with the count, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a count back reads all its lines, and the choices for a new
 * count read the catalog's vendors, types and tags: both grow with the
 * catalog. So each runs in a GTask thread on its own OmniStore opened from
 * the path (one SQLite connection is not shared between threads; WAL lets
 * the main connection go on reading). The connection is closed before the
 * result goes back to the main thread. Writes go through OmniCountQueue,
 * in order; the count sheet writer below is what its export runs.
 */
#define G_LOG_DOMAIN "omni-count-worker"

#include "config.h"

#include "omni-count-worker.h"
#include "omni-csv.h"
#include "omni-money.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"

typedef struct
{
  char   *path;
  gint64  session_id;
} JobData;

static void
job_data_free (JobData *data)
{
  g_free (data->path);
  g_free (data);
}

static GTask *
job_new (const char          *path,
         gint64               session_id,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  JobData *data = g_new0 (JobData, 1);

  data->path = g_strdup (path);
  data->session_id = session_id;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) job_data_free);

  return task;
}

void
omni_count_snapshot_free (OmniCountSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;

  g_clear_pointer (&snapshot->open_sessions, g_ptr_array_unref);
  g_clear_pointer (&snapshot->session, omni_count_session_free);
  g_clear_pointer (&snapshot->lines, g_ptr_array_unref);
  g_clear_pointer (&snapshot->unknown, g_ptr_array_unref);
  g_free (snapshot->currency);
  g_free (snapshot);
}

static void
location_free (OmniCountLocation *location)
{
  g_free (location->name);
  g_free (location);
}

void
omni_count_choices_free (OmniCountChoices *choices)
{
  if (choices == NULL)
    return;

  g_clear_pointer (&choices->locations, g_ptr_array_unref);
  g_strfreev (choices->vendors);
  g_strfreev (choices->types);
  g_strfreev (choices->tags);
  g_free (choices);
}

/* Loading ---------------------------------------------------------------- */

static gint64
pick_session (GPtrArray *open_sessions,
              gint64     session_id)
{
  if (session_id == 0)
    {
      /* Only one count open: that is the one to resume. With several, the
       * merchant picks. */
      if (open_sessions->len == 1)
        return ((OmniCountSession *) g_ptr_array_index (open_sessions, 0))->id;
      return 0;
    }

  for (guint i = 0; i < open_sessions->len; i++)
    {
      if (((OmniCountSession *) g_ptr_array_index (open_sessions, i))->id == session_id)
        return session_id;
    }

  return 0;
}

static OmniCountSnapshot *
read_snapshot (OmniStore  *store,
               gint64      session_id,
               GError    **error)
{
  g_autoptr(OmniCountSnapshot) snapshot = g_new0 (OmniCountSnapshot, 1);
  gint64 id;

  snapshot->open_sessions = omni_store_count_list (store, TRUE, error);
  if (snapshot->open_sessions == NULL)
    return NULL;
  snapshot->currency = omni_store_get_setting (store, "currency");

  id = pick_session (snapshot->open_sessions, session_id);
  if (id == 0)
    return g_steal_pointer (&snapshot);

  if (!(snapshot->session = omni_store_count_get (store, id, error)) ||
      !(snapshot->lines = omni_store_count_lines (store, id, error)) ||
      !(snapshot->unknown = omni_store_count_unknown_codes (store, id, error)))
    return NULL;

  return g_steal_pointer (&snapshot);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  JobData *data = task_data;
  g_autoptr(OmniStore) store = NULL;
  OmniCountSnapshot *snapshot = NULL;
  GError *error = NULL;

  if ((store = omni_store_open (data->path, &error)) != NULL)
    snapshot = read_snapshot (store, data->session_id, &error);
  g_clear_object (&store);

  if (snapshot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, snapshot, (GDestroyNotify) omni_count_snapshot_free);
}

/**
 * omni_count_worker_load_async:
 * @path: the database file
 * @session_id: the count to load; 0 loads the only open count, if exactly
 *   one is open
 *
 * Reads the open counts and one count's lines in a worker thread.
 */
void
omni_count_worker_load_async (const char          *path,
                              gint64               session_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = job_new (path, session_id, cancellable, callback, user_data,
                  omni_count_worker_load_async);
  g_task_run_in_thread (task, load_thread);
}

/**
 * omni_count_worker_load_finish:
 *
 * Returns: (transfer full): the snapshot, or %NULL with @error set
 */
OmniCountSnapshot *
omni_count_worker_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        omni_count_worker_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Exporting -------------------------------------------------------------- */

static const char * const export_header[] = {
  "SKU", "Barcode", "Product", "Options", "Expected", "Counted", "Variance",
  "Unit Cost", "Variance Value", "Currency",
};

/* A plain decimal a spreadsheet reads as a number ("-12.50", "1500" for
 * yen); the currency has a column of its own. */
static char *
format_amount (OmniMoney   amount,
               const char *currency)
{
  guint decimals = omni_money_decimals (currency);
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  const char *sign = amount < 0 ? "-" : "";
  guint64 scale = 1;

  if (decimals == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, magnitude);

  for (guint i = 0; i < decimals; i++)
    scale *= 10;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          sign, magnitude / scale, (int) decimals, magnitude % scale);
}

static gboolean
write_line (OmniCsvWriter        *writer,
            const OmniCountLine  *line,
            const char           *currency,
            GError              **error)
{
  g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, line->expected);
  g_autofree char *counted = g_strdup_printf ("%" G_GINT64_FORMAT, line->counted);
  g_autofree char *variance = g_strdup_printf ("%" G_GINT64_FORMAT, line->variance);
  g_autofree char *cost = format_amount (line->cost, currency);
  g_autofree char *value = format_amount (line->variance_value, currency);
  const char *fields[] = {
    line->sku, line->barcode, line->title, line->options, expected, counted, variance,
    cost, value, currency,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (export_header));

  return omni_csv_writer_write_row (writer, fields, G_N_ELEMENTS (fields), error);
}

/**
 * omni_count_write_sheet:
 * @store: a connection the calling thread may use
 * @file: the CSV file to write (replaced if it exists)
 *
 * Writes the count sheet: every line with its expected and counted
 * quantities, the variance and its value at cost, largest variance first,
 * as a spreadsheet reads it (formulas neutralized).
 *
 * Returns: the number of lines written, or -1 with @error set
 */
gssize
omni_count_write_sheet (OmniStore     *store,
                        gint64         session_id,
                        GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  static const OmniCsvWriterOptions options = { .neutralize_formulas = TRUE };
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(OmniCsvWriter) writer = NULL;
  g_autofree char *currency = NULL;
  gssize written = 0;

  g_return_val_if_fail (OMNI_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_FILE (file), -1);

  currency = omni_store_get_setting (store, "currency");
  if (!(lines = omni_store_count_lines (store, session_id, error)) ||
      !(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                 cancellable, error)))
    return -1;

  writer = omni_csv_writer_new (G_OUTPUT_STREAM (stream), &options);
  if (!omni_csv_writer_write_row (writer, export_header, G_N_ELEMENTS (export_header), error))
    return -1;

  for (guint i = 0; i < lines->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !write_line (writer, g_ptr_array_index (lines, i), currency, error))
        return -1;
      written++;
    }

  if (!omni_csv_writer_close (writer, error))
    return -1;

  return written;
}

/* Start choices ---------------------------------------------------------- */

/* The store has no list of locations, but any variant's levels name every
 * active location (default first). An empty catalog has only the default. */
static GPtrArray *
read_locations (OmniStore  *store,
                GError    **error)
{
  static const OmniVariantQuery any = { .stock = OMNI_STOCK_ANY, .sort = OMNI_SORT_TITLE };
  g_autoptr(GPtrArray) locations = g_ptr_array_new_with_free_func ((GDestroyNotify) location_free);
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(GPtrArray) levels = NULL;
  OmniCountLocation *location;

  if (!(variants = omni_store_list_variants (store, &any, 0, 1, error)))
    return NULL;

  if (variants->len > 0)
    {
      const OmniVariantRow *row = g_ptr_array_index (variants, 0);

      if (!(levels = omni_store_get_levels (store, row->id, error)))
        return NULL;
      for (guint i = 0; i < levels->len; i++)
        {
          const OmniLevel *level = g_ptr_array_index (levels, i);

          location = g_new0 (OmniCountLocation, 1);
          location->id = level->location_id;
          location->name = g_strdup (level->location);
          location->is_default = level->is_default;
          g_ptr_array_add (locations, location);
        }
    }

  if (locations->len == 0)
    {
      location = g_new0 (OmniCountLocation, 1);
      location->id = omni_store_get_default_location (store, NULL);
      location->is_default = TRUE;
      g_ptr_array_add (locations, location);
    }

  return g_steal_pointer (&locations);
}

static OmniCountChoices *
read_choices (OmniStore  *store,
              GError    **error)
{
  g_autoptr(OmniCountChoices) choices = g_new0 (OmniCountChoices, 1);

  if (!(choices->locations = read_locations (store, error)) ||
      !(choices->vendors = omni_store_list_distinct (store, "vendor", error)) ||
      !(choices->types = omni_store_list_distinct (store, "product_type", error)) ||
      !(choices->tags = omni_store_list_distinct (store, "tags", error)))
    return NULL;

  return g_steal_pointer (&choices);
}

static void
choices_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  JobData *data = task_data;
  g_autoptr(OmniStore) store = NULL;
  OmniCountChoices *choices = NULL;
  GError *error = NULL;

  if ((store = omni_store_open (data->path, &error)) != NULL)
    choices = read_choices (store, &error);
  g_clear_object (&store);

  if (choices == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, choices, (GDestroyNotify) omni_count_choices_free);
}

/**
 * omni_count_worker_choices_async:
 *
 * Reads what a new count can cover: locations, vendors, types and tags.
 */
void
omni_count_worker_choices_async (const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = job_new (path, 0, cancellable, callback, user_data,
                  omni_count_worker_choices_async);
  g_task_run_in_thread (task, choices_thread);
}

/**
 * omni_count_worker_choices_finish:
 *
 * Returns: (transfer full): the choices, or %NULL with @error set
 */
OmniCountChoices *
omni_count_worker_choices_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        omni_count_worker_choices_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
