/* test-store-copy.c: a whole store copied from SQLite into PostgreSQL and
 * back (omni_store_copy_into), against a real server started by the test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-copy.h"
#include "omni-store-demo.h"
#include "omni-store-inventory.h"
#include "pg-test-server.h"
#include "test-search-util.h"

typedef struct
{
  char      *dir;
  char      *lite_path;
  OmniStore *lite;
  char      *pg_uri;
  OmniStore *pg;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-copy-XXXXXX", &error);
  g_assert_no_error (error);
  f->lite_path = g_build_filename (f->dir, "shop.db", NULL);
  f->lite = omni_store_open (f->lite_path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_load_demo (f->lite, 7, &error));
  g_assert_no_error (error);

  f->pg_uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  f->pg = omni_store_open (f->pg_uri, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->pg);
  g_clear_object (&f->lite);
  g_free (f->pg_uri);
  g_remove (f->lite_path);
  g_free (f->lite_path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
assert_same_stats (OmniStore *a,
                   OmniStore *b)
{
  OmniStoreStats sa = { 0, }, sb = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_get_stats (a, &sa, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_get_stats (b, &sb, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sa.products, ==, sb.products);
  g_assert_cmpint (sa.variants, ==, sb.variants);
  g_assert_cmpint (sa.locations, ==, sb.locations);
  g_assert_cmpint (sa.units_on_hand, ==, sb.units_on_hand);
  g_assert_cmpint (sa.movements, ==, sb.movements);
  g_assert_cmpint (sa.orders, ==, sb.orders);
  g_assert_cmpint (sa.low_stock, ==, sb.low_stock);
  g_assert_cmpint (sa.out_of_stock, ==, sb.out_of_stock);
  omni_store_stats_clear (&sa);
  omni_store_stats_clear (&sb);
}

static gint64
first_variant (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) demo = omni_demo_list_variants ();
  const OmniDemoVariant *v = demo->pdata[0];
  gint64 id = omni_store_find_variant (store, v->sku, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The same search finds the same variants, in the same order, on both. */
static void
assert_same_searches (OmniStore *a,
                      OmniStore *b)
{
  static const char * const texts[] = { "e", "an", "ro", "tee", "mug" };
  guint found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows_a = omni_store_search (a, texts[i], 100, &error);
      g_autoptr(GPtrArray) rows_b = omni_store_search (b, texts[i], 100, &error);
      g_autoptr(GArray) ids_a = NULL;
      g_autoptr(GArray) ids_b = NULL;

      g_assert_no_error (error);
      ids_a = test_row_ids (rows_a);
      ids_b = test_row_ids (rows_b);
      test_assert_same_ids (ids_a, ids_b, texts[i]);
      found += ids_a->len;
    }
  g_assert_cmpuint (found, >, 20);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autofree char *back_path = g_build_filename (f->dir, "back.db", NULL);
  g_autoptr(OmniStore) back = NULL;
  g_autofree char *op = NULL;
  OmniStoreCopyResult result = { 0, };
  OmniAdjustLine line = { 0, 0, 5 };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = "received" };
  OmniStoreStats before = { 0, }, after = { 0, };

  g_assert_true (omni_store_copy_into (f->lite, f->pg, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_tables, >=, 30);
  g_assert_cmpint (result.n_rows, >, 3000);
  assert_same_stats (f->lite, f->pg);
  assert_same_searches (f->lite, f->pg);

  mismatches = omni_store_check_ledger (f->pg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);

  /* The copy is a working store: new rows take ids past the copied ones. */
  g_assert_true (omni_store_get_stats (f->pg, &before, &error));
  line.variant_id = first_variant (f->pg);
  op = omni_store_adjust (f->pg, &line, 1, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
  g_assert_true (omni_store_get_stats (f->pg, &after, &error));
  g_assert_cmpint (after.movements, ==, before.movements + 1);
  g_assert_cmpint (after.units_on_hand, ==, before.units_on_hand + 5);
  omni_store_stats_clear (&before);
  omni_store_stats_clear (&after);

  /* And back into a new file, with the adjustment. */
  back = omni_store_open (back_path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_copy_into (f->pg, back, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_same_stats (f->pg, back);
  /* the file's index ranked afresh in title order */
  assert_same_searches (f->pg, back);
  g_assert_cmpint (test_search_tail (back), ==, 0);
  g_assert_cmpuint (test_search_assert_in_list_order (back, "e", FALSE), >, 10);
  test_search_assert_in_list_order (back, "an", TRUE);
  g_clear_pointer (&mismatches, g_ptr_array_unref);
  mismatches = omni_store_check_ledger (back, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);

  g_clear_object (&back);
  g_remove (back_path);
}

static void
test_refuses_non_empty (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OmniStoreStats before = { 0, };

  g_assert_true (omni_store_copy_into (f->lite, f->pg, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_get_stats (f->pg, &before, &error));

  g_assert_false (omni_store_copy_into (f->lite, f->pg, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "is not empty (its products table has"));
  g_assert_nonnull (strstr (error->message, "Nothing was changed"));
  assert_same_stats (f->lite, f->pg);
  omni_store_stats_clear (&before);
}

static void
cancel_after_third (guint    done,
                    guint    total,
                    gint64   rows,
                    gpointer user_data)
{
  if (done == 3)
    g_cancellable_cancel (user_data);
}

static void
test_cancel_leaves_nothing (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  OmniStoreStats stats = { 0, };

  g_assert_false (omni_store_copy_into (f->lite, f->pg, NULL, cancel_after_third, cancellable,
                                        cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_true (omni_store_get_stats (f->pg, &stats, NULL));
  g_assert_cmpint (stats.products, ==, 0);
  g_assert_cmpint (stats.variants, ==, 0);
  g_assert_cmpint (stats.movements, ==, 0);
  omni_store_stats_clear (&stats);

  /* The same target then takes the whole copy. */
  g_clear_error (&error);
  g_assert_true (omni_store_copy_into (f->lite, f->pg, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_same_stats (f->lite, f->pg);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-copy/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/store-copy/refuses-non-empty", Fixture, NULL, fixture_set_up,
              test_refuses_non_empty, fixture_tear_down);
  g_test_add ("/store-copy/cancel-leaves-nothing", Fixture, NULL, fixture_set_up,
              test_cancel_leaves_nothing, fixture_tear_down);

  return g_test_run ();
}
