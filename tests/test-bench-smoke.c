/* test-bench-smoke.c: the search the benchmarks time, and the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /bench/search/plans: on a generated catalog, omni_store_list_variants()
 * and omni_store_count_variants() with a search must give exactly the rows
 * a brute-force filter gives (every term a substring of one column of the
 * variant's index text, in title order), whichever way the store chooses to
 * run the query: common text walks the list in title order, rare text is
 * driven by the trigram index, short terms always walk. The queries are
 * chosen so that both ways run.
 *
 * /bench/tools: the search, dashboard, adjustment and report benchmarks run
 * on tiny catalogs and print their table and summary (no timing is
 * asserted).
 */
#define G_LOG_DOMAIN "test-bench-smoke"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-generate.h"
#include "omni-text.h"

#define VARIANTS 3000
#define PAGE     50

typedef struct
{
  gint64  id;
  char   *columns[5];   /* folded title, sku, barcode, vendor, tags */
} IndexRow;

static void
index_row_free (gpointer data)
{
  IndexRow *row = data;

  for (guint i = 0; i < G_N_ELEMENTS (row->columns); i++)
    g_free (row->columns[i]);
  g_free (row);
}

static char *tmp_dir;
static char *db_path;

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

static void
generate_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  OmniGenerateSpec spec = {
    .variants = VARIANTS, .locations = 2, .movements = VARIANTS, .orders = 50, .seed = 11,
  };

  tmp_dir = g_dir_make_tmp ("omnistock-bench-smoke-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "catalog.db", NULL);
  store = omni_store_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The index text of every variant, read straight from the file. */
static GHashTable *
read_index (void)
{
  GHashTable *rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, index_row_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT r.variant_id, s.title, s.sku, s.barcode,"
                                       " s.vendor, s.tags FROM search_index s"
                                       " JOIN search_ranks r ON r.rank = s.rowid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      IndexRow *row = g_new0 (IndexRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      for (guint i = 0; i < G_N_ELEMENTS (row->columns); i++)
        row->columns[i] = g_strdup ((const char *)sqlite3_column_text (stmt, (int)i + 1));
      g_hash_table_insert (rows, &row->id, row);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static gboolean
row_matches (const IndexRow *row,
             char          **terms)
{
  for (guint t = 0; terms[t] != NULL; t++)
    {
      gboolean found = FALSE;

      if (*terms[t] == '\0')
        continue;
      for (guint c = 0; c < G_N_ELEMENTS (row->columns) && !found; c++)
        found = row->columns[c] != NULL && strstr (row->columns[c], terms[t]) != NULL;
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* The active variants @text finds, in list order, by brute force. */
static GArray *
expected_ids (GHashTable   *index,
              const GArray *all_ids,
              const char   *text)
{
  g_autofree char *folded = omni_text_fold (text);
  g_auto(GStrv) terms = g_strsplit_set (folded, " \t\n", -1);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < all_ids->len; i++)
    {
      gint64 id = g_array_index (all_ids, gint64, i);
      const IndexRow *row = g_hash_table_lookup (index, &id);

      g_assert_nonnull (row);
      if (row_matches (row, terms))
        g_array_append_val (ids, id);
    }
  return ids;
}

static void
assert_page (OmniStore    *store,
             const char   *text,
             const GArray *expected,
             guint         offset)
{
  OmniVariantQuery query = { .search = text, .sort = OMNI_SORT_TITLE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = omni_store_list_variants (store, &query, offset, PAGE, &error);
  guint want = expected->len > offset ? MIN (PAGE, expected->len - offset) : 0;

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  if (rows->len != want)
    g_error ("“%s” at %u: %u rows listed, %u expected", text, offset, rows->len, want);
  for (guint i = 0; i < rows->len; i++)
    {
      const OmniVariantRow *row = g_ptr_array_index (rows, i);

      if (row->id != g_array_index (expected, gint64, offset + i))
        g_error ("“%s” row %u: variant %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                 text, offset + i, row->id, g_array_index (expected, gint64, offset + i));
    }
}

static void
test_search_plans (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (db_path, &error);
  g_autoptr(GHashTable) index = read_index ();
  g_autoptr(GArray) all_ids = NULL;
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  OmniVariantQuery everything = { .sort = OMNI_SORT_TITLE };
  gint64 threshold = (gint64)sqrt (2.0 * PAGE * VARIANTS);
  guint common = 0, rare = 0, with_rows = 0;

  g_assert_no_error (error);
  all_ids = omni_store_list_variant_ids (store, &everything, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all_ids->len, ==, VARIANTS);

  /* Fixed queries: short terms, accents, case, several words, nothing. */
  for (const char * const *q = (const char * const []) {
         "cl", "Ma", "é", "lin", "LINEN", "crème", "creme", "Cotton Tee", "co li",
         "-0000", "zzqx", "'", "%", "_", "5", "40", NULL }; *q; q++)
    g_ptr_array_add (queries, g_strdup (*q));

  /* Fragments of real rows: titles, SKUs, barcodes, vendors. */
  for (guint i = 0; i < 40; i++)
    {
      gint64 id = g_array_index (all_ids, gint64, (i * 733) % all_ids->len);
      const IndexRow *row = g_hash_table_lookup (index, &id);
      const char *column = row->columns[i % 4];
      glong len = g_utf8_strlen (column, -1);
      glong from, chars;

      if (len < 3)
        continue;
      chars = 3 + (glong)(i % 5);
      chars = MIN (chars, len);
      from = (glong)((i * 7) % (guint)(len - chars + 1));
      g_ptr_array_add (queries, g_utf8_substring (column, from, from + chars));
    }

  for (guint q = 0; q < queries->len; q++)
    {
      const char *text = g_ptr_array_index (queries, q);
      OmniVariantQuery query = { .search = text, .sort = OMNI_SORT_TITLE };
      g_autoptr(GArray) expected = expected_ids (index, all_ids, text);
      gint64 count = omni_store_count_variants (store, &query, &error);

      g_assert_no_error (error);
      if (count != (gint64)expected->len)
        g_error ("“%s”: counted %" G_GINT64_FORMAT ", expected %u", text, count, expected->len);
      assert_page (store, text, expected, 0);
      assert_page (store, text, expected, PAGE);

      /* Which way the store ran a query depends on its matches, so the set
       * must hold both kinds (short terms always walk). */
      if (g_utf8_strlen (text, -1) >= 3 && strchr (text, ' ') == NULL)
        {
          if ((gint64)expected->len > threshold)
            common++;
          else
            rare++;
        }
      with_rows += expected->len > 0;
    }

  g_test_message ("%u queries: %u common, %u rare, %u with rows", queries->len, common, rare,
                  with_rows);
  g_assert_cmpuint (common, >=, 2);
  g_assert_cmpuint (rare, >=, 10);
  g_assert_cmpuint (with_rows, >=, queries->len - 6);
}

/* Runs @argv with the benchmark data in the temporary directory; returns
 * its output. */
static char *
run_tool (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_build_filename (tmp_dir, "bench-data", NULL);
  char *out = NULL;

  g_subprocess_launcher_setenv (launcher, "OMNISTOCK_BENCH_DATA", data, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "BENCH_CLOCK");
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (child) || g_subprocess_get_exit_status (child) != 0)
    g_error ("%s failed:\n%s", argv[0], out);
  return out;
}

static void
test_tools (void)
{
  const char *search = g_getenv ("BENCH_SEARCH");
  const char *dashboard = g_getenv ("BENCH_DASHBOARD");
  const char *adjust = g_getenv ("BENCH_ADJUST");
  const char *reports = g_getenv ("BENCH_REPORTS");
  g_autofree char *out = NULL;

  if (search == NULL || dashboard == NULL || adjust == NULL || reports == NULL)
    {
      g_test_skip ("BENCH_SEARCH, BENCH_DASHBOARD, BENCH_ADJUST or BENCH_REPORTS is not set");
      return;
    }

  out = run_tool ((const char * const []) { search, "--variants", "400", "--queries", "16", NULL });
  g_assert_nonnull (strstr (out, "Substring search over 400 active variants"));
  g_assert_nonnull (strstr (out, "SUMMARY search 400:"));
  /* every query's page was fetched again by its ids */
  g_assert_nonnull (strstr (out, "rows by id (floor)     16 "));
  g_clear_pointer (&out, g_free);

  out = run_tool ((const char * const []) { dashboard, "--small", "200", "--large", "400",
                                            "--runs", "1", NULL });
  g_assert_nonnull (strstr (out, "whole refresh"));
  g_assert_nonnull (strstr (out, "SUMMARY dashboard 400 vs 200:"));
  g_clear_pointer (&out, g_free);

  out = run_tool ((const char * const []) { adjust, "--variants", "400", "--adjustments", "100",
                                            NULL });
  g_assert_nonnull (strstr (out, "SUMMARY adjust 400:"));
  g_clear_pointer (&out, g_free);

  out = run_tool ((const char * const []) { reports, "--small", "200", "--large", "400",
                                            "--runs", "1", NULL });
  g_assert_nonnull (strstr (out, "valuation by location"));
  g_assert_nonnull (strstr (out, "SUMMARY reports 400 vs 200:"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  generate_catalog ();

  g_test_add_func ("/bench/search/plans", test_search_plans);
  g_test_add_func ("/bench/tools", test_tools);
  status = g_test_run ();

  {
    g_autofree char *data = g_build_filename (tmp_dir, "bench-data", NULL);
    g_autoptr(GDir) dir = g_dir_open (data, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (data, name, NULL);

        g_remove (file);
      }
    g_rmdir (data);
  }
  remove_database (db_path);
  g_rmdir (tmp_dir);
  g_free (db_path);
  g_free (tmp_dir);
  return status;
}
