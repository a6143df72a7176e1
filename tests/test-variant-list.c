/* test-variant-list.c: the paged product list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-generate.h"
#include "omni-store-inventory.h"
#include "omni-variant-list.h"

#define N_PRODUCTS 1050

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     first_variant;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-list-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (f->store, "Shop", TRUE, &error), >, 0);

  g_assert_true (omni_store_begin (f->store, &error));
  for (guint i = 0; i < N_PRODUCTS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Item %04u%s", i, i % 10 == 0 ? " Linen" : "");
      g_autofree char *sku = g_strdup_printf ("SKU-%04u", i);
      const OmniProductSpec product = { .title = title };
      const OmniVariantSpec variant = { .sku = sku, .price = 100 + i, .compare_at_price = -1,
                                        .cost = -1, .reorder_point = -1, .reorder_qty = -1 };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error),
                       >, 0);
      if (i == 0)
        f->first_variant = id;
    }
  g_assert_true (omni_store_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gboolean
timed_out (gpointer data)
{
  g_error ("Timed out waiting for the list model");
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the model has nothing in flight. */
static void
wait_idle (OmniVariantList *list)
{
  guint timeout = g_timeout_add_seconds (20, timed_out, NULL);

  while (omni_variant_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    data)
{
  (*(guint *)data)++;
}

static void
test_pages_load_lazily (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniVariantList) list = omni_variant_list_new (f->path);
  g_autoptr(OmniVariantItem) last = NULL;
  g_autoptr(OmniVariantItem) first = NULL;

  /* Counting runs off the main thread: nothing is there yet. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PRODUCTS);
  g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==, 0);

  last = g_list_model_get_item (G_LIST_MODEL (list), N_PRODUCTS - 1);
  g_assert_false (omni_variant_item_get_loaded (last));
  g_assert_cmpstr (omni_variant_item_get_stock_state (last), ==, "loading");
  wait_idle (list);
  g_assert_true (omni_variant_item_get_loaded (last));
  g_assert_cmpstr (omni_variant_item_get_sku (last), ==, "SKU-1049");
  g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==, 1);

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  wait_idle (list);
  g_assert_cmpstr (omni_variant_item_get_title (first), ==, "Item 0000 Linen");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_PRODUCTS));
}

static void
test_memory_is_bounded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniVariantList) list = omni_variant_list_new (f->path);

  wait_idle (list);
  /* Scroll through every row: at most MAX_PAGES pages stay held. */
  for (guint i = 0; i < N_PRODUCTS; i += 7)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
  wait_idle (list);
  g_assert_cmpuint (omni_variant_list_get_cached_pages (list), <=, OMNI_VARIANT_LIST_MAX_PAGES);
  g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==,
                    MIN (OMNI_VARIANT_LIST_MAX_PAGES,
                         (N_PRODUCTS + OMNI_VARIANT_LIST_PAGE_SIZE - 1) /
                         OMNI_VARIANT_LIST_PAGE_SIZE));
}

/* More pages than the cache holds: every page asked for is there, even
 * when asking for it evicts another one. */
static void
test_eviction_keeps_requested_page (Fixture       *f,
                                    gconstpointer  data)
{
  const guint n_pages = OMNI_VARIANT_LIST_MAX_PAGES + 10;
  const OmniGenerateSpec spec = {
    .variants = (gint64) n_pages * OMNI_VARIANT_LIST_PAGE_SIZE,
    .movements = (gint64) n_pages * OMNI_VARIANT_LIST_PAGE_SIZE + 100,
    .orders = 10, .locations = 1, .seed = 7, .history_days = 7,
  };
  g_autofree char *path = g_build_filename (f->dir, "big.db", NULL);
  g_autoptr(OmniStore) store = omni_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniVariantList) list = NULL;
  guint n_items;

  g_assert_nonnull (store);
  omni_store_generate (store, &spec, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  list = omni_variant_list_new (path);
  wait_idle (list);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n_items, >, OMNI_VARIANT_LIST_MAX_PAGES * OMNI_VARIANT_LIST_PAGE_SIZE);

  /* One row of each page, without waiting: the cache is full from page 40 on. */
  for (guint i = 0; i < n_items; i += OMNI_VARIANT_LIST_PAGE_SIZE)
    {
      g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_nonnull (item);
      g_assert_cmpuint (omni_variant_item_get_position (item), ==, i);
      g_assert_cmpuint (omni_variant_list_get_cached_pages (list), <=,
                        OMNI_VARIANT_LIST_MAX_PAGES);
    }
  wait_idle (list);

  /* The last page asked for is held, loaded, with the right row. */
  {
    guint last = ((n_items - 1) / OMNI_VARIANT_LIST_PAGE_SIZE) * OMNI_VARIANT_LIST_PAGE_SIZE;
    g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (list), last);

    g_assert_true (omni_variant_item_get_loaded (item));
  }
  g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==, OMNI_VARIANT_LIST_MAX_PAGES);

  g_clear_object (&list);
  g_clear_object (&store);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffix[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffix[i], NULL);

      g_unlink (file);
    }
}

static void
test_query_and_refresh (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniVariantList) list = omni_variant_list_new (f->path);
  const OmniVariantQuery linen = { .search = "linen", .sort = OMNI_SORT_PRICE, .descending = TRUE };
  g_autoptr(OmniVariantItem) top = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;
  const OmniAdjustLine line = { 0, 0, 7 };
  OmniAdjustLine adjust = line;
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = "received" };
  guint changes = 0;

  wait_idle (list);
  omni_variant_list_set_query (list, &linen);
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PRODUCTS / 10);

  top = g_list_model_get_item (G_LIST_MODEL (list), 0);
  wait_idle (list);
  g_assert_cmpstr (omni_variant_item_get_sku (top), ==, "SKU-1040");
  g_assert_cmpint (omni_variant_item_get_row (top)->available, ==, 0);

  /* Stock changes elsewhere; a refresh updates the held row in place. */
  adjust.variant_id = omni_variant_item_get_id (top);
  op = omni_store_adjust (f->store, &adjust, 1, &options, &error);
  g_assert_no_error (error);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), &changes);
  omni_variant_list_refresh (list);
  wait_idle (list);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpint (omni_variant_item_get_row (top)->available, ==, 7);
  g_assert_cmpstr (omni_variant_item_get_stock_state (top), ==, "in");
}

/* A page next to a loaded one starts from that page's key; whichever way
 * the list is scrolled, every row is the one paging by offset puts there. */
static void
test_adjacent_pages_by_key (Fixture       *f,
                            gconstpointer  data)
{
  const OmniVariantQuery queries[] = {
    { .sort = OMNI_SORT_TITLE },
    { .sort = OMNI_SORT_PRICE, .descending = TRUE },
    { .sort = OMNI_SORT_SKU, .search = "item" },
    { .sort = OMNI_SORT_AVAILABLE },
  };
  const guint n_pages = (N_PRODUCTS + OMNI_VARIANT_LIST_PAGE_SIZE - 1) / OMNI_VARIANT_LIST_PAGE_SIZE;
  g_autoptr(GError) error = NULL;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(OmniVariantList) list = omni_variant_list_new (f->path);
      g_autoptr(GPtrArray) all = omni_store_list_variants (f->store, &queries[q], 0, 1000, &error);
      g_autoptr(GPtrArray) tail = omni_store_list_variants (f->store, &queries[q], 1000, 1000,
                                                            &error);
      guint keyed;

      g_assert_no_error (error);
      for (guint i = 0; i < tail->len; i++)
        g_ptr_array_add (all, g_steal_pointer (&tail->pdata[i]));
      g_assert_cmpuint (all->len, ==, N_PRODUCTS);

      omni_variant_list_set_query (list, &queries[q]);
      wait_idle (list);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PRODUCTS);

      /* Down from the top: the first page by offset, the others by key. */
      for (guint page = 0; page < n_pages; page++)
        {
          g_autoptr(OmniVariantItem) item =
            g_list_model_get_item (G_LIST_MODEL (list), page * OMNI_VARIANT_LIST_PAGE_SIZE);

          wait_idle (list);
          g_clear_object (&item);
        }
      g_assert_cmpuint (omni_variant_list_get_keyed_fetches (list), ==, n_pages - 1);
      for (guint i = 0; i < N_PRODUCTS; i++)
        {
          g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

          g_assert_true (omni_variant_item_get_loaded (item));
          g_assert_cmpint (omni_variant_item_get_id (item), ==,
                           ((OmniVariantRow *)all->pdata[i])->id);
        }

      /* A refresh reloads the held pages in place: the first by offset,
       * each of the others from the fresh key of the one before. */
      omni_variant_list_refresh (list);
      wait_idle (list);
      g_assert_cmpuint (omni_variant_list_get_keyed_fetches (list), ==, 2 * (n_pages - 1));
      g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==, n_pages);
      for (guint i = 0; i < N_PRODUCTS; i++)
        {
          g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

          g_assert_cmpint (omni_variant_item_get_id (item), ==,
                           ((OmniVariantRow *)all->pdata[i])->id);
        }

      /* A new query drops the pages: jump to the end, then scroll up. */
      omni_variant_list_set_query (list, &queries[q]);
      wait_idle (list);
      keyed = omni_variant_list_get_keyed_fetches (list);
      for (guint page = n_pages; page-- > 0;)
        {
          g_autoptr(OmniVariantItem) item =
            g_list_model_get_item (G_LIST_MODEL (list), page * OMNI_VARIANT_LIST_PAGE_SIZE);

          wait_idle (list);
        }
      g_assert_cmpuint (omni_variant_list_get_keyed_fetches (list) - keyed, ==, n_pages - 1);
      for (guint i = 0; i < N_PRODUCTS; i++)
        {
          g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

          g_assert_cmpint (omni_variant_item_get_id (item), ==,
                           ((OmniVariantRow *)all->pdata[i])->id);
        }
    }
}

/* Near a page's end the next page is fetched ahead; after a jump, it waits
 * for the page jumped to and starts from its key instead of counting rows. */
static void
test_prefetch_after_jump (Fixture       *f,
                          gconstpointer  data)
{
  const OmniVariantQuery query = { .sort = OMNI_SORT_SKU, .descending = TRUE };
  g_autoptr(OmniVariantList) list = omni_variant_list_new (f->path);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(OmniVariantItem) item = NULL;
  g_autoptr(GError) error = NULL;

  omni_variant_list_set_query (list, &query);
  wait_idle (list);

  /* Row 590 is near the end of page 5: page 6 comes along, by key. */
  item = g_list_model_get_item (G_LIST_MODEL (list), 590);
  g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==, 2);
  g_assert_cmpuint (omni_variant_list_get_keyed_fetches (list), ==, 0);
  wait_idle (list);
  g_assert_cmpuint (omni_variant_list_get_keyed_fetches (list), ==, 1);
  g_assert_cmpstr (omni_variant_item_get_sku (item), ==, "SKU-0459");

  rows = omni_store_list_variants (f->store, &query, 600, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 100);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(OmniVariantItem) next = g_list_model_get_item (G_LIST_MODEL (list), 600 + i);

      /* Already there: nothing was asked when the view reached it. */
      g_assert_true (omni_variant_item_get_loaded (next));
      g_assert_cmpint (omni_variant_item_get_id (next), ==,
                       ((OmniVariantRow *)rows->pdata[i])->id);
    }

  /* Row 710 is near the start of page 7: page 7 starts from page 6's key,
   * and page 6, the one before, is there already. */
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (list), 710);
  wait_idle (list);
  g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==, 3);
  g_assert_cmpuint (omni_variant_list_get_keyed_fetches (list), ==, 2);
  g_assert_cmpstr (omni_variant_item_get_sku (item), ==, "SKU-0339");

  /* Scrolling on faster than pages arrive: each new page waits for the one
   * before it, then all load from keys; only the first counts rows. */
  omni_variant_list_set_query (list, &query);
  wait_idle (list);
  {
    guint keyed = omni_variant_list_get_keyed_fetches (list);
    OmniVariantItem *items[5];

    for (guint i = 0; i < G_N_ELEMENTS (items); i++)
      items[i] = g_list_model_get_item (G_LIST_MODEL (list), 300 + 100 * i);
    /* Pages 2 (ahead of row 300) to 7, none loaded yet. */
    g_assert_cmpuint (omni_variant_list_get_cached_pages (list), ==, 6);
    wait_idle (list);
    g_assert_cmpuint (omni_variant_list_get_keyed_fetches (list) - keyed, ==, 5);
    for (guint i = 0; i < G_N_ELEMENTS (items); i++)
      {
        g_autofree char *sku = g_strdup_printf ("SKU-%04u", 1049 - 300 - 100 * i);

        g_assert_cmpstr (omni_variant_item_get_sku (items[i]), ==, sku);
        g_object_unref (items[i]);
      }
  }
}

static void
test_bad_query_reports_error (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OmniVariantList) list = omni_variant_list_new (f->path);
  g_autofree char *long_search = g_strnfill (500, 'q');
  const OmniVariantQuery query = { .search = long_search };

  wait_idle (list);
  omni_variant_list_set_query (list, &query);
  wait_idle (list);
  g_assert_nonnull (omni_variant_list_get_error (list));
  g_assert_nonnull (strstr (omni_variant_list_get_error (list), "Search is too long"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/variant-list/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("pages-load-lazily", test_pages_load_lazily);
  ADD ("memory-is-bounded", test_memory_is_bounded);
  ADD ("eviction-keeps-requested-page", test_eviction_keeps_requested_page);
  ADD ("query-and-refresh", test_query_and_refresh);
  ADD ("adjacent-pages-by-key", test_adjacent_pages_by_key);
  ADD ("prefetch-after-jump", test_prefetch_after_jump);
  ADD ("bad-query-reports-error", test_bad_query_reports_error);

#undef ADD

  return g_test_run ();
}
