/* test-demo.c: the demo shop loads whole, consistent and reproducible
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-demo"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

#include "omni-store-demo.h"
#include "test-store-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("omni-demo-XXXXXX", &error);
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
  g_autofree char *path = test_store_new_location (fixture->dir, name);
  OmniStore *store = omni_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* A fixed end for the history, so two loads compare exactly. */
static gint64
fixed_end (void)
{
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 11, 25, 15, 30, 0);

  return g_date_time_to_unix (end) * G_USEC_PER_SEC;
}

static OmniStore *
open_demo (Fixture    *fixture,
           const char *name,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  OmniStore *store = open_store (fixture, name);

  g_assert_true (omni_store_load_demo_until (store, seed, fixed_end (), &error));
  g_assert_no_error (error);
  return store;
}

static void
get_stats (OmniStore      *store,
           OmniStoreStats *stats)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_get_stats (store, stats, &error));
  g_assert_no_error (error);
}

static void
assert_stats_equal (const OmniStoreStats *a,
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
  g_assert_cmpint (a->pending_outbox, ==, b->pending_outbox);
  g_assert_cmpstr (a->currency, ==, b->currency);
}

/* The shop a first start shows: the real load, with a history ending now. */
static void
test_figures (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = open_store (fixture, "demo.db");
  g_auto(OmniStoreStats) stats = { 0 };
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  g_autofree char *seed = NULL;

  g_assert_true (omni_store_is_empty (store));
  g_assert_true (omni_store_load_demo (store, OMNI_DEMO_DEFAULT_SEED, &error));
  g_assert_no_error (error);
  g_assert_false (omni_store_is_empty (store));

  get_stats (store, &stats);
  g_assert_cmpint (stats.products, >=, 36);
  g_assert_cmpint (stats.products, <=, 44);
  g_assert_cmpint (stats.variants, >=, 150);
  g_assert_cmpint (stats.variants, <=, 250);
  g_assert_cmpint (stats.locations, ==, 2);
  g_assert_cmpint (stats.orders, >, 100);
  g_assert_cmpint (stats.movements, >, 1000);
  g_assert_cmpint (stats.units_on_hand, >, 0);
  g_assert_cmpint (stats.stock_value, >, 0);
  g_assert_cmpint (stats.retail_value, >, stats.stock_value);
  g_assert_cmpint (stats.low_stock, >=, 1);
  g_assert_cmpint (stats.out_of_stock, >=, 2);
  g_assert_cmpint (stats.out_of_stock, <=, 4);
  g_assert_cmpint (stats.pending_outbox, ==, 0);
  g_assert_cmpstr (stats.currency, ==, "USD");

  seed = omni_store_get_setting (store, "demo_seed");
  g_assert_cmpstr (seed, ==, "20261125");
  g_assert_cmpint (omni_store_find_location (store, "Shop Floor", NULL), ==,
                   omni_store_get_default_location (store, NULL));
  g_assert_cmpint (omni_store_find_location (store, "Back Room", NULL), >, 0);

  mismatches = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);

  g_assert_true (omni_store_integrity_check (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report, ==, "ok");
}

static void
test_second_load_refused (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = open_demo (fixture, "demo.db", OMNI_DEMO_DEFAULT_SEED);
  g_auto(OmniStoreStats) before = { 0 };
  g_auto(OmniStoreStats) after = { 0 };
  g_autoptr(GError) error = NULL;

  get_stats (store, &before);
  g_assert_false (omni_store_load_demo (store, OMNI_DEMO_DEFAULT_SEED, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A different seed is refused just the same. */
  g_assert_false (omni_store_load_demo (store, 7, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);

  get_stats (store, &after);
  assert_stats_equal (&before, &after);
}

static void
test_same_seed_same_shop (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(OmniStore) one = open_demo (fixture, "one.db", OMNI_DEMO_DEFAULT_SEED);
  g_autoptr(OmniStore) two = open_demo (fixture, "two.db", OMNI_DEMO_DEFAULT_SEED);
  g_auto(OmniStoreStats) a = { 0 };
  g_auto(OmniStoreStats) b = { 0 };

  get_stats (one, &a);
  get_stats (two, &b);
  assert_stats_equal (&a, &b);
}

/* Another seed gives another history over the same catalog. */
static void
test_other_seed (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = open_demo (fixture, "other.db", 1);
  g_auto(OmniStoreStats) stats = { 0 };
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autoptr(GError) error = NULL;

  get_stats (store, &stats);
  g_assert_cmpint (stats.variants, >=, 150);
  g_assert_cmpint (stats.orders, >, 100);
  g_assert_cmpint (stats.low_stock, >=, 1);
  g_assert_cmpint (stats.out_of_stock, >=, 2);

  mismatches = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

/* Scanning works on day one: every SKU and barcode of a product for sale
 * finds its variant; the archived product's do not. */
static void
test_codes_findable (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = open_demo (fixture, "demo.db", OMNI_DEMO_DEFAULT_SEED);
  g_autoptr(GPtrArray) variants = omni_demo_list_variants ();
  g_auto(OmniStoreStats) stats = { 0 };
  guint listed = 0;

  get_stats (store, &stats);
  for (guint i = 0; i < variants->len; i++)
    {
      const OmniDemoVariant *v = g_ptr_array_index (variants, i);
      g_autoptr(GError) error = NULL;
      gint64 id = omni_store_find_variant (store, v->sku, &error);

      if (g_str_equal (v->status, "archived"))
        {
          g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      if (v->barcode != NULL)
        g_assert_cmpint (omni_store_find_variant (store, v->barcode, NULL), ==, id);
      listed++;
    }
  g_assert_cmpint (listed, ==, stats.variants);
}

static gboolean
ean13_valid (const char *code)
{
  guint sum = 0;

  if (strlen (code) != 13)
    return FALSE;
  for (guint i = 0; i < 13; i++)
    {
      if (!g_ascii_isdigit (code[i]))
        return FALSE;
      sum += (guint)(code[i] - '0') * (i % 2 == 0 ? 1 : 3);
    }
  return sum % 10 == 0;
}

static void
test_catalog (void)
{
  g_autoptr(GPtrArray) variants = omni_demo_list_variants ();
  g_autoptr(GHashTable) skus = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) barcodes = g_hash_table_new (g_str_hash, g_str_equal);
  guint no_barcode = 0, archived = 0, draft = 0, accented = 0;

  g_assert_cmpuint (variants->len, >=, 150);
  g_assert_cmpuint (variants->len, <=, 250);

  for (guint i = 0; i < variants->len; i++)
    {
      const OmniDemoVariant *v = g_ptr_array_index (variants, i);

      g_assert_true (g_str_has_prefix (v->sku, "FW-"));
      g_assert_true (g_hash_table_add (skus, v->sku));
      if (v->barcode == NULL)
        no_barcode++;
      else
        {
          g_assert_true (ean13_valid (v->barcode));
          g_assert_true (g_hash_table_add (barcodes, v->barcode));
        }
      archived += g_str_equal (v->status, "archived");
      draft += g_str_equal (v->status, "draft");
      accented += g_utf8_strlen (v->title, -1) != (glong)strlen (v->title);
    }

  /* Most variants carry a barcode; a few (cards, envelopes, a draft) do not. */
  g_assert_cmpuint (no_barcode, >=, 1);
  g_assert_cmpuint (no_barcode, <, variants->len / 5);
  g_assert_cmpuint (archived, >=, 1);
  g_assert_cmpuint (draft, >=, 1);
  g_assert_cmpuint (accented, >=, 3);
  g_assert_true (g_hash_table_contains (skus, "FW-TEE-OAT-M"));
  g_assert_true (g_hash_table_contains (skus, "FW-SWT-MOS-L-LMB"));
  g_assert_true (g_hash_table_contains (skus, "FW-PIN"));
}

static void
test_ean13 (void)
{
  g_autofree char *a = omni_ean13_complete ("400638133393");
  g_autofree char *b = omni_ean13_complete ("590123412345");
  g_autofree char *c = omni_ean13_complete ("000000000000");
  g_autofree char *short_code = omni_ean13_complete ("12345");
  g_autofree char *letters = omni_ean13_complete ("40063813339X");

  g_assert_cmpstr (a, ==, "4006381333931");
  g_assert_cmpstr (b, ==, "5901234123457");
  g_assert_cmpstr (c, ==, "0000000000000");
  g_assert_null (short_code);
  g_assert_null (letters);
}

/* A store with its locations set up but no products yet keeps them. */
static void
test_existing_locations (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(OmniStore) store = open_store (fixture, "demo.db");
  g_auto(OmniStoreStats) stats = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 floor_id, back_id;

  floor_id = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  back_id = omni_store_add_location (store, "Back Room", FALSE, &error);
  g_assert_no_error (error);

  g_assert_true (omni_store_load_demo_until (store, 3, fixed_end (), &error));
  g_assert_no_error (error);

  get_stats (store, &stats);
  g_assert_cmpint (stats.locations, ==, 2);
  g_assert_cmpint (omni_store_find_location (store, "Shop Floor", NULL), ==, floor_id);
  g_assert_cmpint (omni_store_find_location (store, "Back Room", NULL), ==, back_id);
}

/* All or nothing: a failure late in the history (here the first order,
 * refused by a trigger the test plants) leaves the database as it was. */
static void
test_failure_leaves_nothing (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *path = test_store_new_location (fixture->dir, "demo.db");
  g_autoptr(OmniStore) store = NULL;
  g_auto(OmniStoreStats) stats = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = NULL;

  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_setting (store, "currency", "EUR", &error));
  g_assert_no_error (error);

  if (test_store_is_postgresql ())
    {
      PGconn *conn = PQconnectdb (path);
      PGresult *result;

      g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
      result = PQexec (conn,
                       "CREATE FUNCTION refuse_orders () RETURNS trigger LANGUAGE plpgsql"
                       " AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;"
                       "CREATE TRIGGER refuse_orders BEFORE INSERT ON orders"
                       " FOR EACH ROW EXECUTE FUNCTION refuse_orders ()");
      g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db,
                                     "CREATE TRIGGER refuse_orders BEFORE INSERT ON orders"
                                     " BEGIN SELECT RAISE (ABORT, 'refused by the test'); END",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }

  g_assert_false (omni_store_load_demo_until (store, OMNI_DEMO_DEFAULT_SEED, fixed_end (),
                                              &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == OMNI_STORE_ERROR);
  g_assert_true (g_str_has_prefix (error->message, "Could not load the demo shop: "));
  g_assert_nonnull (strstr (error->message, "refused by the test"));

  g_assert_true (omni_store_is_empty (store));
  get_stats (store, &stats);
  g_assert_cmpint (stats.products, ==, 0);
  g_assert_cmpint (stats.variants, ==, 0);
  g_assert_cmpint (stats.locations, ==, 0);
  g_assert_cmpint (stats.movements, ==, 0);
  g_assert_cmpint (stats.orders, ==, 0);
  g_assert_cmpstr (stats.currency, ==, "EUR");
  seed = omni_store_get_setting (store, "demo_seed");
  g_assert_null (seed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/demo/ean13", test_ean13);
  g_test_add_func ("/omni/demo/catalog", test_catalog);
  g_test_add ("/omni/demo/figures", Fixture, NULL,
              fixture_set_up, test_figures, fixture_tear_down);
  g_test_add ("/omni/demo/second-load-refused", Fixture, NULL,
              fixture_set_up, test_second_load_refused, fixture_tear_down);
  g_test_add ("/omni/demo/same-seed-same-shop", Fixture, NULL,
              fixture_set_up, test_same_seed_same_shop, fixture_tear_down);
  g_test_add ("/omni/demo/other-seed", Fixture, NULL,
              fixture_set_up, test_other_seed, fixture_tear_down);
  g_test_add ("/omni/demo/codes-findable", Fixture, NULL,
              fixture_set_up, test_codes_findable, fixture_tear_down);
  g_test_add ("/omni/demo/existing-locations", Fixture, NULL,
              fixture_set_up, test_existing_locations, fixture_tear_down);
  g_test_add ("/omni/demo/failure-leaves-nothing", Fixture, NULL,
              fixture_set_up, test_failure_leaves_nothing, fixture_tear_down);

  return g_test_run ();
}
