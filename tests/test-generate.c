/* test-generate.c: the large-catalog generator writes exact, consistent,
 * searchable and reproducible data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-generate"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-generate.h"
#include "omni-store-private.h"
#include "omni-text.h"

#define VARIANTS   2000
#define LOCATIONS  3
#define MOVEMENTS  10000
#define ORDERS     500

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("omni-generate-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static OmniStore *
open_store (Fixture    *fixture,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  OmniStore *store = omni_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
small_spec (OmniGenerateSpec *spec,
            guint32           seed)
{
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 11, 25, 15, 30, 0);

  memset (spec, 0, sizeof *spec);
  spec->variants = VARIANTS;
  spec->locations = LOCATIONS;
  spec->movements = MOVEMENTS;
  spec->orders = ORDERS;
  spec->seed = seed;
  spec->end_us = g_date_time_to_unix (end) * G_USEC_PER_SEC;
}

static OmniStore *
generate (Fixture    *fixture,
          const char *name,
          guint32     seed)
{
  g_autoptr(GError) error = NULL;
  OmniStore *store = open_store (fixture, name);
  OmniGenerateSpec spec;

  small_spec (&spec, seed);
  g_assert_true (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* The catalog that the cases which only read it (and the one that rewrites
 * its search index) start from: generated once per run, each case opening a
 * copy of its file, so seven cases cost three generations instead of seven.
 * test_deterministic generates SHARED_SEED again and compares. */
#define SHARED_SEED 5

static char *shared_dir;
static char *shared_path;

static OmniStore *
shared_catalog (Fixture    *fixture,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (shared_path == NULL)
    {
      g_autofree char *wal = NULL;
      OmniStore *store;
      OmniGenerateSpec spec;

      shared_dir = g_dir_make_tmp ("omni-generate-shared-XXXXXX", &error);
      g_assert_no_error (error);
      shared_path = g_build_filename (shared_dir, "catalog.db", NULL);
      store = omni_store_open (shared_path, &error);
      g_assert_no_error (error);
      small_spec (&spec, SHARED_SEED);
      g_assert_true (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      /* Closing checkpoints the write-ahead log into the file. */
      g_object_unref (store);
      wal = g_strconcat (shared_path, "-wal", NULL);
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }

  g_assert_true (g_file_get_contents (shared_path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (copy, contents, (gssize)length, &error));
  g_assert_no_error (error);
  return open_store (fixture, name);
}

static void
remove_shared_catalog (void)
{
  if (shared_path == NULL)
    return;
  g_unlink (shared_path);
  g_rmdir (shared_dir);
  g_clear_pointer (&shared_path, g_free);
  g_clear_pointer (&shared_dir, g_free);
}

static gint64
query_int (OmniStore  *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_omni_store_get_sqlite (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* @whole: the generation ran to its end (else it was cancelled) */
static void
assert_consistent (OmniStore *store,
                   gboolean   whole)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autofree char *report = NULL;
  g_autofree char *tail_sql = NULL;
  g_autofree char *order_sql = NULL;

  mismatches = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);

  g_assert_true (omni_store_integrity_check (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report, ==, "ok");

  /* One search entry per variant, no product without variants, every order
   * whole: its lines, and one sale per line. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM search_index"), ==,
                   query_int (store, "SELECT count(*) FROM variants"));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM variants v"
                                     " WHERE NOT EXISTS (SELECT 1 FROM search_ranks r"
                                     " JOIN search_index s ON s.rowid = r.rank"
                                     " WHERE r.variant_id = v.id)"), ==, 0);
  /* ... in the tail until the end renumbers them in title order: then no
   * tail, every rank in the list's order, the gap apart */
  tail_sql = g_strdup_printf ("SELECT count(*) FROM search_ranks WHERE rank >= %" G_GINT64_FORMAT,
                              OMNI_SEARCH_RANK_TAIL);
  order_sql = g_strdup_printf ("SELECT count(*) FROM (SELECT r.rank,"
                               " row_number () OVER (ORDER BY p.title COLLATE NOCASE,"
                               "  p.id, v.position, v.id) AS n"
                               " FROM search_ranks r JOIN variants v ON v.id = r.variant_id"
                               " JOIN products p ON p.id = v.product_id)"
                               " WHERE rank <> %" G_GINT64_FORMAT " + n * %" G_GINT64_FORMAT,
                               OMNI_SEARCH_RANK_BASE, OMNI_SEARCH_RANK_GAP);
  if (whole)
    {
      g_assert_cmpint (query_int (store, tail_sql), ==, 0);
      g_assert_cmpint (query_int (store, order_sql), ==, 0);
    }
  else
    g_assert_cmpint (query_int (store, tail_sql), ==,
                     query_int (store, "SELECT count(*) FROM variants"));
  /* each entry's runs of digits beside it, whole or not, and nothing else
   * (most generated barcodes have thirteen digits) */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM search_digits"), >,
                   query_int (store, "SELECT count(*) FROM variants") / 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM search_digits WHERE rowid NOT IN"
                                     " (SELECT rowid FROM search_index)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM search_index s"
                                     " LEFT JOIN search_digits d ON d.rowid = s.rowid"
                                     " WHERE omni_digit_grams (s.title, s.sku, s.barcode, s.vendor,"
                                     " s.tags) IS NOT coalesce (d.grams, '')"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM products p WHERE NOT EXISTS"
                                     " (SELECT 1 FROM variants v WHERE v.product_id = p.id)"),
                   ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM orders o WHERE NOT EXISTS"
                                     " (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)"),
                   ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM order_lines"), ==,
                   query_int (store, "SELECT count(*) FROM movements"
                                     " WHERE op_id LIKE 'order:%' AND reason = 'sold'"));
}

static void
test_counts (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = shared_catalog (fixture, "counts.db");
  g_auto(OmniStoreStats) stats = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_get_stats (store, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.variants, ==, VARIANTS);
  g_assert_cmpint (stats.locations, ==, LOCATIONS);
  g_assert_cmpint (stats.orders, ==, ORDERS);
  g_assert_cmpint (stats.movements, ==, MOVEMENTS);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM movements"), ==, MOVEMENTS);
  /* Products hold 1 to 24 variants. */
  g_assert_cmpint (stats.products, >=, VARIANTS / 24);
  g_assert_cmpint (stats.products, <, VARIANTS);
  g_assert_cmpint (query_int (store, "SELECT max (n) FROM (SELECT count(*) AS n FROM variants"
                                     " GROUP BY product_id)"), <=, 24);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM product_options"
                                     " GROUP BY product_id ORDER BY 1 DESC LIMIT 1"), <=, 3);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM locations WHERE is_default = 1"), ==,
                   1);

  /* Orders: 1–3 lines each, totals that add up, fulfilled where they were
   * placed. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM (SELECT count(*) AS n"
                                     " FROM order_lines GROUP BY order_id"
                                     " HAVING n < 1 OR n > 3)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM orders o WHERE total <>"
                                     " (SELECT sum (quantity * price) FROM order_lines l"
                                     " WHERE l.order_id = o.id)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM order_lines l"
                                     " JOIN orders o ON o.id = l.order_id"
                                     " JOIN movements m ON m.op_id = 'order:0:' || o.remote_id"
                                     "   || ':' || l.remote_line_id || ':sold'"
                                     " WHERE m.on_hand_delta = -l.quantity"
                                     "   AND m.variant_id = l.variant_id"
                                     "   AND m.location_id = o.location_id"), ==,
                   query_int (store, "SELECT count(*) FROM order_lines"));

  /* The ledger is in time order, and sales never took what was not there. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM movements a JOIN movements b"
                                     " ON b.id = a.id + 1 WHERE b.created_at < a.created_at"),
                   ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM stock_levels WHERE on_hand < 0"), ==,
                   0);
  g_assert_cmpint (stats.units_on_hand, >, 0);
  g_assert_cmpint (stats.low_stock, >, 0);

  assert_consistent (store, TRUE);
}

static void
test_codes (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = shared_catalog (fixture, "codes.db");
  sqlite3_stmt *stmt = NULL;
  guint n = 0, ean13 = 0, upca = 0;

  /* Every SKU is there and unique; most variants carry an EAN-13. */
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT sku) FROM variants"), ==, VARIANTS);

  g_assert_cmpint (sqlite3_prepare_v2 (_omni_store_get_sqlite (store),
                                       "SELECT barcode FROM variants WHERE barcode IS NOT NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *barcode = (const char *)sqlite3_column_text (stmt, 0);
      g_autoptr(GError) error = NULL;

      g_assert_true (omni_barcode_check (barcode, &error));
      g_assert_no_error (error);
      ean13 += strlen (barcode) == 13;
      upca += strlen (barcode) == 12;
      n++;
    }
  sqlite3_finalize (stmt);

  g_assert_cmpuint (ean13 + upca, ==, n);
  g_assert_cmpuint (ean13, >, VARIANTS * 8 / 10);
  g_assert_cmpuint (upca, >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT barcode) FROM variants"), ==, n);
}

static GPtrArray *
index_rows (OmniStore *store)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_omni_store_get_sqlite (store),
                                       "SELECT r.variant_id, s.title, s.sku, s.barcode,"
                                       " s.vendor, s.tags FROM search_index s"
                                       " JOIN search_ranks r ON r.rank = s.rowid"
                                       " ORDER BY r.variant_id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s|%s|%s|%s",
                                            (gint64)sqlite3_column_int64 (stmt, 0),
                                            sqlite3_column_text (stmt, 1),
                                            sqlite3_column_text (stmt, 2),
                                            sqlite3_column_text (stmt, 3),
                                            sqlite3_column_text (stmt, 4),
                                            sqlite3_column_text (stmt, 5)));
  sqlite3_finalize (stmt);
  return rows;
}

/* The generator's search entries are the ones the catalog's own writer makes
 * from the stored product: reindexing every variant changes nothing. */
static void
test_index_matches_catalog (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = shared_catalog (fixture, "index.db");
  g_autoptr(GPtrArray) before = index_rows (store);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (before->len, ==, VARIANTS);
  g_assert_true (omni_store_begin (store, &error));
  for (gint64 id = 1; id <= VARIANTS; id++)
    {
      g_assert_true (_omni_store_reindex_variant (store, id, &error));
      g_assert_no_error (error);
    }
  g_assert_true (omni_store_commit (store, &error));

  after = index_rows (store);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (g_ptr_array_index (after, i), ==, g_ptr_array_index (before, i));
}

/* How many active variants contain @fragment, counted by folding every field
 * here and looking for it, the slow way. */
static gint64
brute_force_count (OmniStore  *store,
                   const char *fragment)
{
  g_autofree char *needle = omni_text_fold (fragment);
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_omni_store_get_sqlite (store),
                                       "SELECT p.title || ' ' || ifnull (v.option1, '') || ' '"
                                       " || ifnull (v.option2, '') || ' '"
                                       " || ifnull (v.option3, ''),"
                                       " v.sku, v.barcode, p.vendor, p.tags"
                                       " FROM variants v JOIN products p ON p.id = v.product_id"
                                       " WHERE v.archived = 0 AND p.status <> 'archived'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean found = FALSE;

      for (int c = 0; c < 5 && !found; c++)
        {
          g_autofree char *folded = omni_text_fold ((const char *)sqlite3_column_text (stmt, c));
          found = strstr (folded, needle) != NULL;
        }
      n += found;
    }
  sqlite3_finalize (stmt);
  return n;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  user_data)
{
  /* As merchants type them: without accents, in any case, with accents. */
  static const char * const fragments[] = {
    "creme", "JÜRG", "søren", "linen", "Café", "chlo", "ecru", "maison", "größ", "atelier",
  };
  g_autoptr(OmniStore) store = shared_catalog (fixture, "search.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(OmniVariantRow) first = NULL;
  g_autofree char *fragment = NULL;
  guint found_some = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fragments); i++)
    {
      OmniVariantQuery query = { .search = fragments[i] };
      gint64 expected = brute_force_count (store, fragments[i]);

      g_assert_cmpint (omni_store_count_variants (store, &query, &error), ==, expected);
      g_assert_no_error (error);
      found_some += expected > 0;
    }
  g_assert_cmpuint (found_some, >=, 6);

  /* A fragment of a generated title, typed in capitals without accents,
   * finds that variant. */
  first = omni_store_get_variant (store, 1, &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) words = g_strsplit (first->title, " ", 2);
    g_autofree char *start = g_utf8_substring (words[0], 0, MIN (g_utf8_strlen (words[0], -1), 5));

    fragment = g_utf8_strup (start, -1);
  }
  rows = omni_store_search (store, fragment, OMNI_SEARCH_MAX_RESULTS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpint (rows->len, ==, MIN (brute_force_count (store, fragment),
                                       OMNI_SEARCH_MAX_RESULTS));

  /* Its SKU, scanned, jumps to it. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = omni_store_search (store, first->sku, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((OmniVariantRow *)rows->pdata[0])->id, ==, 1);
}

static void
assert_same_stats (const OmniStoreStats *a,
                   const OmniStoreStats *b)
{
  g_assert_cmpint (a->products, ==, b->products);
  g_assert_cmpint (a->variants, ==, b->variants);
  g_assert_cmpint (a->locations, ==, b->locations);
  g_assert_cmpint (a->units_on_hand, ==, b->units_on_hand);
  g_assert_cmpint (a->stock_value, ==, b->stock_value);
  g_assert_cmpint (a->retail_value, ==, b->retail_value);
  g_assert_cmpint (a->movements, ==, b->movements);
  g_assert_cmpint (a->orders, ==, b->orders);
  g_assert_cmpint (a->low_stock, ==, b->low_stock);
  g_assert_cmpint (a->out_of_stock, ==, b->out_of_stock);
}

static char *
fingerprint (OmniStore *store)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (_omni_store_get_sqlite (store),
                                       "SELECT group_concat (p.title || v.sku"
                                       " || ifnull (v.barcode, '') || v.on_hand, ';')"
                                       " FROM variants v JOIN products p ON p.id = v.product_id"
                                       " ORDER BY v.id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                        (const char *)sqlite3_column_text (stmt, 0), -1);
  sqlite3_finalize (stmt);
  return text;
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(OmniStore) a = shared_catalog (fixture, "a.db");
  g_autoptr(OmniStore) b = generate (fixture, "b.db", SHARED_SEED);
  g_autoptr(OmniStore) c = generate (fixture, "c.db", SHARED_SEED + 1);
  g_auto(OmniStoreStats) sa = { 0 };
  g_auto(OmniStoreStats) sb = { 0 };
  g_auto(OmniStoreStats) sc = { 0 };
  g_autofree char *fa = fingerprint (a);
  g_autofree char *fb = fingerprint (b);
  g_autofree char *fc = fingerprint (c);

  g_assert_true (omni_store_get_stats (a, &sa, NULL));
  g_assert_true (omni_store_get_stats (b, &sb, NULL));
  g_assert_true (omni_store_get_stats (c, &sc, NULL));
  assert_same_stats (&sa, &sb);
  g_assert_cmpstr (fa, ==, fb);

  /* Another seed, another shop of the same size. */
  g_assert_cmpint (sc.variants, ==, sa.variants);
  g_assert_cmpstr (fc, !=, fa);
  g_assert_cmpint (sc.units_on_hand, !=, sa.units_on_hand);
}

typedef struct
{
  GCancellable      *cancellable;
  OmniGeneratePhase  phase;
  gint64             at;
  guint              calls;
} CancelAt;

static void
cancel_at (OmniGeneratePhase phase,
           gint64            done,
           gint64            total,
           gpointer          user_data)
{
  CancelAt *cancel = user_data;

  cancel->calls++;
  if (phase == cancel->phase && done >= cancel->at)
    g_cancellable_cancel (cancel->cancellable);
}

/* Cancelling keeps the batches already committed, each of them whole: the
 * ledger invariant, the search index and the orders all hold. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const OmniGeneratePhase phases[] = {
    OMNI_GENERATE_PHASE_CATALOG, OMNI_GENERATE_PHASE_HISTORY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      g_autofree char *name = g_strdup_printf ("cancel-%u.db", i);
      g_autoptr(OmniStore) store = open_store (fixture, name);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_auto(OmniStoreStats) stats = { 0 };
      CancelAt cancel = { cancellable, phases[i], 600, 0 };
      OmniGenerateSpec spec;

      small_spec (&spec, 21);
      spec.batch_rows = 300;
      g_assert_false (omni_store_generate (store, &spec, cancel_at, &cancel, cancellable,
                                           &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (cancel.calls, >, 1);

      g_assert_true (omni_store_get_stats (store, &stats, NULL));
      if (phases[i] == OMNI_GENERATE_PHASE_CATALOG)
        {
          g_assert_cmpint (stats.variants, >=, 600);
          g_assert_cmpint (stats.variants, <, VARIANTS);
          g_assert_cmpint (stats.orders, ==, 0);
        }
      else
        {
          g_assert_cmpint (stats.variants, ==, VARIANTS);
          g_assert_cmpint (stats.orders, >, 0);
          g_assert_cmpint (stats.orders, <, ORDERS);
          g_assert_cmpint (stats.movements, <, MOVEMENTS);
        }
      assert_consistent (store, FALSE);

      /* A partial catalog is not silently extended. */
      g_clear_error (&error);
      g_assert_false (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
      g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
    }
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = open_store (fixture, "invalid.db");
  g_autoptr(GError) error = NULL;
  OmniGenerateSpec spec;

  /* Fewer movements than order lines. */
  small_spec (&spec, 1);
  spec.movements = ORDERS - 1;
  g_assert_false (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  small_spec (&spec, 1);
  spec.locations = OMNI_GENERATE_MAX_LOCATIONS + 1;
  g_assert_false (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  small_spec (&spec, 1);
  spec.variants = 0;
  g_assert_false (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);

  /* Nothing was written. */
  g_assert_true (omni_store_is_empty (store));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM locations"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/omni/generate/counts", Fixture, NULL,
              fixture_set_up, test_counts, fixture_tear_down);
  g_test_add ("/omni/generate/codes", Fixture, NULL,
              fixture_set_up, test_codes, fixture_tear_down);
  g_test_add ("/omni/generate/index-matches-catalog", Fixture, NULL,
              fixture_set_up, test_index_matches_catalog, fixture_tear_down);
  g_test_add ("/omni/generate/search", Fixture, NULL,
              fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/omni/generate/deterministic", Fixture, NULL,
              fixture_set_up, test_deterministic, fixture_tear_down);
  g_test_add ("/omni/generate/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/omni/generate/invalid", Fixture, NULL,
              fixture_set_up, test_invalid, fixture_tear_down);

  {
    int status = g_test_run ();

    remove_shared_catalog ();
    return status;
  }
}
