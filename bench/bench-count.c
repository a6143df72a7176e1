/* bench-count.c: a stock count of many scanned lines, small catalog vs large
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-count [--small N] [--large N] [--lines N] [--runs N]
 *
 * On each catalog (1k and 10k variants unless set, as the other benchmarks;
 * the README's figures use 100k and 1M), stocks --lines variants spread
 * over the catalog (50,000, or half the smaller catalog) with 3 units each at
 * a new location (untimed), starts a count of that whole location, scans
 * each SKU as a barcode scanner would send it (3 units, every seventh only
 * 2) and commits: the variances become `count` movements through the
 * ledger. So the count has exactly --lines lines whatever the catalog, and
 * the figures show what the catalog around it costs. The runs write to a
 * scratch copy of each shared catalog (deleted at the end), each at a new
 * location, so the shared catalogs stay as generated. Prints scan and
 * commit times, lines per second, and the ratio of the large catalog's
 * commit to the small one's (the baseline).
 */
#define G_LOG_DOMAIN "bench-count"

#include "config.h"

#include <sqlite3.h>

#include "bench-common.h"
#include "omni-store-backup.h"
#include "omni-store-count.h"

#include <glib/gstdio.h>

typedef struct
{
  double  stock_ms;
  double  start_ms;
  double  scan_ms;
  double  commit_ms;
  gint64  variances;
} CountRun;

typedef struct
{
  GArray    *ids;    /* gint64 */
  GPtrArray *skus;
} Picked;

static void
picked_clear (Picked *picked)
{
  g_clear_pointer (&picked->ids, g_array_unref);
  g_clear_pointer (&picked->skus, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Picked, picked_clear)

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* Every (variants / lines)-th active variant, so the lines spread over the
 * whole catalog. */
static gboolean
pick_variants (const char  *path,
               gint64       variants,
               guint        lines,
               Picked      *picked,
               GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 step = MAX (variants / (gint64)lines, 1);

  picked->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  picked->skus = g_ptr_array_new_with_free_func (g_free);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT v.id, v.sku FROM variants v"
                              " JOIN products p ON p.id = v.product_id"
                              " WHERE v.sku IS NOT NULL AND v.archived = 0"
                              " AND p.status <> 'archived' AND v.id % ?1 = 0"
                              " ORDER BY v.id LIMIT ?2",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot read SKUs from %s: %s",
                   path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, step);
  sqlite3_bind_int (stmt, 2, (int)lines);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (picked->ids, id);
      g_ptr_array_add (picked->skus, g_strdup ((const char *)sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (picked->skus->len < lines)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s has only %u active SKUs at that spacing, fewer than the %u lines asked",
                   path, picked->skus->len, lines);
      return FALSE;
    }
  return TRUE;
}

/* Stocks the picked variants at a new location, 3 units each. */
static gint64
stock_location (OmniStore     *store,
                const Picked  *picked,
                GError       **error)
{
  static guint runs = 0;
  g_autofree OmniMovementSpec *specs = g_new0 (OmniMovementSpec, picked->ids->len);
  g_autofree char *name = g_strdup_printf ("Bench count %u", ++runs);
  gint64 location = omni_store_add_location (store, name, FALSE, error);

  if (location == 0)
    return 0;
  for (guint i = 0; i < picked->ids->len; i++)
    {
      specs[i].variant_id = g_array_index (picked->ids, gint64, i);
      specs[i].location_id = location;
      specs[i].on_hand_delta = 3;
      specs[i].reason = "received";
      specs[i].operation = "bench-count-stock";
    }
  if (!omni_store_record_movements (store, specs, picked->ids->len, error))
    return 0;
  return location;
}

static gboolean
run_count (OmniStore     *store,
           const Picked  *picked,
           CountRun      *run,
           GError       **error)
{
  g_autofree char *operation = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 location, session;
  double start;

  start = bench_now_ms ();
  location = stock_location (store, picked, error);
  if (location == 0)
    return FALSE;
  run->stock_ms = bench_now_ms () - start;
  start = bench_now_ms ();
  session = omni_store_count_start (store, location, "all", NULL, "bench", error);
  if (session == 0)
    return FALSE;
  run->start_ms = bench_now_ms () - start;

  start = bench_now_ms ();
  for (guint i = 0; i < picked->skus->len; i++)
    {
      OmniCountLine *line = omni_store_count_scan (store, session, picked->skus->pdata[i],
                                                   i % 7 == 0 ? 2 : 3, error);

      if (line == NULL)
        return FALSE;
      omni_count_line_free (line);
    }
  run->scan_ms = bench_now_ms () - start;

  lines = omni_store_count_lines (store, session, error);
  if (lines == NULL)
    return FALSE;
  run->variances = 0;
  for (guint i = 0; i < lines->len; i++)
    run->variances += ((OmniCountLine *)lines->pdata[i])->variance != 0;

  start = bench_now_ms ();
  operation = omni_store_count_commit (store, session, "bench", error);
  if (operation == NULL)
    return FALSE;
  run->commit_ms = bench_now_ms () - start;
  return TRUE;
}

/* A copy of the shared catalog that the runs may write to. */
static char *
scratch_copy (const char  *path,
              GError     **error)
{
  g_autoptr(OmniStore) source = omni_store_open (path, error);
  g_autoptr(OmniBackupInfo) copy = NULL;
  char *scratch = g_strconcat (path, ".count-scratch", NULL);

  if (source == NULL || (copy = omni_store_backup (source, scratch, TRUE, error)) == NULL)
    {
      g_free (scratch);
      return NULL;
    }
  return scratch;
}

int
main (int   argc,
      char *argv[])
{
  gint64 sizes[2] = { 0, 0 };
  int lines = 0;
  int n_runs = 3;
  GOptionEntry entries[] = {
    { "small", 0, 0, G_OPTION_ARG_INT64, &sizes[0],
      "Baseline catalog (OMNISTOCK_BENCH_SMALL, else 1000)", "N" },
    { "large", 0, 0, G_OPTION_ARG_INT64, &sizes[1],
      "Large catalog (OMNISTOCK_BENCH_LARGE, else 10000)", "N" },
    { "lines", 0, 0, G_OPTION_ARG_INT, &lines,
      "Scanned lines (50000, or half the baseline catalog if smaller)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs on each catalog (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— count commit by catalog size");
  g_autoptr(GError) error = NULL;
  GArray *scan[2], *commit[2];
  double scan_median[2], commit_median[2];
  gint64 variances[2] = { 0, 0 };
  char *labels[2] = { NULL, NULL };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-count: %s\n", error->message);
      return 2;
    }
  if (n_runs < 1 || n_runs > 100 || lines < 0 || lines > 1000000)
    {
      g_printerr ("bench-count: --runs must be 1 to 100 and --lines 1 to 1000000\n");
      return 2;
    }
  if (sizes[0] <= 0)
    sizes[0] = bench_size_from_env ("OMNISTOCK_BENCH_SMALL", BENCH_DEFAULT_SMALL);
  if (sizes[1] <= 0)
    sizes[1] = bench_size_from_env ("OMNISTOCK_BENCH_LARGE", BENCH_DEFAULT_LARGE);
  if (lines == 0)
    lines = (int)MIN (50000, sizes[0] / 2);

  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *path = bench_catalog (sizes[s], &error);
      g_autofree char *scratch = NULL;
      g_auto(Picked) picked = { NULL, NULL };
      g_autoptr(OmniStore) store = NULL;
      CountRun warm = { 0 };

      if (path == NULL ||
          !pick_variants (path, sizes[s], (guint)lines, &picked, &error) ||
          (scratch = scratch_copy (path, &error)) == NULL ||
          (store = omni_store_open (scratch, &error)) == NULL ||
          !run_count (store, &picked, &warm, &error))   /* untimed: fills the caches */
        {
          g_printerr ("bench-count: %s\n", error->message);
          return 1;
        }
      labels[s] = bench_format_count (sizes[s]);
      scan[s] = g_array_new (FALSE, FALSE, sizeof (double));
      commit[s] = g_array_new (FALSE, FALSE, sizeof (double));
      for (int r = 0; r < n_runs; r++)
        {
          CountRun run = { 0 };

          if (!run_count (store, &picked, &run, &error))
            {
              g_printerr ("bench-count: %s\n", error->message);
              return 1;
            }
          g_printerr ("bench-count: %s run %d: stock %.0f ms, start %.0f ms, scan %.0f ms, "
                      "commit %.0f ms\n", labels[s], r + 1, run.stock_ms, run.start_ms,
                      run.scan_ms, run.commit_ms);
          g_array_append_val (scan[s], run.scan_ms);
          g_array_append_val (commit[s], run.commit_ms);
          variances[s] = run.variances;
        }
      g_clear_object (&store);
      remove_db (scratch);
      scan_median[s] = bench_median (scan[s]);
      commit_median[s] = bench_median (commit[s]);
    }

  g_print ("Stock count of %d scanned lines (whole location), median of %d runs\n", lines, n_runs);
  g_print ("%-10s %12s %12s %12s %14s\n", "catalog", "scan ms", "commit ms", "variances",
           "commit lines/s");
  for (guint s = 0; s < 2; s++)
    g_print ("%-10s %12.0f %12.0f %12" G_GINT64_FORMAT " %14.0f\n", labels[s], scan_median[s],
             commit_median[s], variances[s], lines / (commit_median[s] / 1000.0));
  g_print ("SUMMARY count %s: %d lines committed in %.0f ms (%.1fx the %s catalog's %.0f ms; "
           "no goal set)\n", labels[1], lines, commit_median[1],
           commit_median[1] / commit_median[0], labels[0], commit_median[0]);

  for (guint s = 0; s < 2; s++)
    {
      g_array_unref (scan[s]);
      g_array_unref (commit[s]);
      g_free (labels[s]);
    }
  return 0;
}
