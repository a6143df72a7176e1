/* bench-adjust.c: stock adjustments through the API vs raw ledger inserts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-adjust [--variants N] [--adjustments N]
 *
 * Works on a copy of a generated catalog (OMNISTOCK_BENCH_LARGE, else 10k
 * variants). The API side calls omni_store_adjust() with 1 line per call
 * (one transaction each: a merchant adjusting one product), then with 100
 * (a batch action); the baseline inserts the same movements straight into
 * the ledger with one prepared INSERT on a second connection, the same
 * number per transaction. The ledger's triggers (levels, totals, alerts,
 * aggregates) run on both sides, so the difference is what the API adds:
 * checking the variant and location, the negative-stock rule, operation
 * ids, the channel outbox. Rounds alternate between the two.
 */
#define G_LOG_DOMAIN "bench-adjust"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-common.h"
#include "omni-store-inventory.h"

#define GOAL_RATIO 0.5
#define ROUNDS     4

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);

  return g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
}

static void
remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Adjustments per second through omni_store_adjust(). */
static double
run_api (OmniStore  *store,
         GRand      *rand,
         gint64      max_variant,
         gint64      location,
         guint       n,
         guint       batch,
         GError    **error)
{
  g_autofree OmniAdjustLine *lines = g_new0 (OmniAdjustLine, batch);
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = "received",
                                .actor = "bench", .source = "bench" };
  double started = bench_now_ms ();

  for (guint done = 0; done < n; done += batch)
    {
      g_autofree char *operation = NULL;

      for (guint i = 0; i < batch; i++)
        {
          lines[i].variant_id = g_rand_int_range (rand, 1, (gint32)max_variant + 1);
          lines[i].location_id = location;
          lines[i].quantity = g_rand_int_range (rand, 1, 10);
        }
      operation = omni_store_adjust (store, lines, batch, &options, error);
      if (operation == NULL)
        return -1;
    }
  return 1000.0 * n / (bench_now_ms () - started);
}

/* The same movements as bare INSERTs. */
static double
run_raw (sqlite3   *db,
         GRand     *rand,
         gint64     max_variant,
         gint64     location,
         guint      n,
         guint      batch,
         guint      round,
         GError   **error)
{
  static const char sql[] =
    "INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,"
    " reason, source, actor, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, 'received', 'bench', 'bench',"
    " strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'))";
  sqlite3_stmt *stmt = NULL;
  double started = bench_now_ms ();

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  for (guint done = 0; done < n; done += batch)
    {
      g_autofree char *operation = g_strdup_printf ("raw-%u-%u", round, done);

      if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        goto failed;
      for (guint i = 0; i < batch; i++)
        {
          g_autofree char *op_id = g_strdup_printf ("%s:%u", operation, i + 1);

          sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, operation, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, g_rand_int_range (rand, 1, (gint32)max_variant + 1));
          sqlite3_bind_int64 (stmt, 4, location);
          sqlite3_bind_int64 (stmt, 5, g_rand_int_range (rand, 1, 10));
          if (sqlite3_step (stmt) != SQLITE_DONE)
            goto failed;
          sqlite3_reset (stmt);
        }
      if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto failed;
    }
  sqlite3_finalize (stmt);
  return 1000.0 * n / (bench_now_ms () - started);

failed:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Raw insert failed: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return -1;
}

int
main (int   argc,
      char *argv[])
{
  gint64 variants = 0;
  int n = 2000;
  int batches[2] = { 1, 100 };
  GOptionEntry entries[] = {
    { "variants", 0, 0, G_OPTION_ARG_INT64, &variants,
      "Catalog size (OMNISTOCK_BENCH_LARGE, else 10000)", "N" },
    { "adjustments", 0, 0, G_OPTION_ARG_INT, &n, "Adjustments per round and side (2000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— adjustments/s, API vs raw inserts");
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  sqlite3 *raw = NULL;
  gint64 max_variant, location;
  double ratios[2];
  gboolean met = TRUE;
  int status = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-adjust: %s\n", error->message);
      return 2;
    }
  if (n < 100 || n > 10000000 || n % 100 != 0)
    {
      g_printerr ("bench-adjust: --adjustments must be a multiple of 100 from 100 to 10M\n");
      return 2;
    }
  if (variants <= 0)
    variants = bench_size_from_env ("OMNISTOCK_BENCH_LARGE", BENCH_DEFAULT_LARGE);
  if (!(source = bench_catalog (variants, &error)))
    {
      g_printerr ("bench-adjust: %s\n", error->message);
      return 2;
    }

  /* A copy: the benchmark writes to it. */
  dir = bench_data_dir ();
  path = g_build_filename (dir, "adjust-copy.db", NULL);
  remove_database (path);
  if (!copy_file (source, path, &error) ||
      !(store = omni_store_open (path, &error)))
    {
      g_printerr ("bench-adjust: %s\n", error->message);
      remove_database (path);
      return 2;
    }
  if (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      sqlite3_exec (raw, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                    " PRAGMA temp_store = MEMORY; PRAGMA busy_timeout = 5000;",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-adjust: %s\n", sqlite3_errmsg (raw));
      status = 2;
      goto out;
    }
  max_variant = query_int (raw, "SELECT max (id) FROM variants WHERE archived = 0");
  location = query_int (raw, "SELECT id FROM locations WHERE is_default = 1");
  size = bench_format_count (variants);

  g_print ("Stock adjustments on a copy of the %s catalog, %d per round, %d rounds each"
           " (adjustments/s)\n", size, n, ROUNDS);
  g_print ("%-22s %12s %12s %8s\n", "lines per transaction", "API", "raw INSERT", "ratio");
  for (guint b = 0; b < G_N_ELEMENTS (batches); b++)
    {
      g_autoptr(GArray) api = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) plain = g_array_new (FALSE, FALSE, sizeof (double));
      double a, r;

      for (guint round = 0; round < ROUNDS; round++)
        {
          a = run_api (store, rand, max_variant, location, (guint)n, (guint)batches[b], &error);
          if (a < 0)
            break;
          r = run_raw (raw, rand, max_variant, location, (guint)n, (guint)batches[b],
                       b * ROUNDS + round, &error);
          if (r < 0)
            break;
          g_array_append_val (api, a);
          g_array_append_val (plain, r);
        }
      if (error != NULL)
        {
          g_printerr ("bench-adjust: %s\n", error->message);
          status = 1;
          goto out;
        }
      a = bench_median (api), r = bench_median (plain);
      ratios[b] = a / r;
      met = met && ratios[b] >= GOAL_RATIO;
      g_print ("%-22d %12.0f %12.0f %7.2fx\n", batches[b], a, r, ratios[b]);
    }
  g_print ("SUMMARY adjust %s: API at %.2fx the raw insert rate one by one, %.2fx in batches"
           " of 100 (goal >= %.1fx): %s\n", size, ratios[0], ratios[1], GOAL_RATIO,
           met ? "met" : "MISSED");

out:
  sqlite3_close (raw);
  g_clear_object (&store);
  remove_database (path);
  return status;
}
