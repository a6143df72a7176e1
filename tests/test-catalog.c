/* test-catalog.c: listing, searching, editing, archiving the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"
#include "omni-store-private.h"
#include "test-search-util.h"
#include "test-store-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     tee;
  gint64     mug;
  gint64     notebook;
  gint64     tee_ids[4];
  gint64     mug_ids[2];
  gint64     notebook_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec tee = {
    .title = "Organic Tee", .vendor = "Fernwood", .product_type = "Apparel",
    .tags = " cotton,summer, Cotton ,", .option_names = { "Size", "Colour" },
  };
  const OmniVariantSpec tees[] = {
    { .sku = "TEE-S-RED", .options = { "S", "Red" }, .price = 2500, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
    { .sku = "TEE-M-RED", .options = { "M", "Red" }, .price = 2600, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
    { .sku = "TEE-S-BLU", .options = { "S", "Blue" }, .price = 2500, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
    { .sku = "TEE-M-BLU", .options = { "M", "Blue" }, .price = 2600, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
  };
  const OmniProductSpec mug = {
    .title = "Café Crème Mug", .vendor = "Jürgen's Pottery", .product_type = "Home",
    .tags = "kitchen", .option_names = { "Colour" },
  };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG-SAGE", .barcode = "4006381333931", .options = { "Sage" }, .price = 1800,
      .cost = 600, .compare_at_price = 2200, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "MUG-CLAY", .barcode = "036000291452", .options = { "Clay" }, .price = 1800,
      .cost = 600, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniProductSpec notebook = {
    .title = "Dot Grid Notebook", .vendor = "Fernwood", .product_type = "Stationery",
    .tags = "paper",
  };
  const OmniVariantSpec notebooks[] = {
    { .sku = "NB-A5", .price = 1200, .cost = 400, .compare_at_price = -1,
      .reorder_point = 5, .reorder_qty = 20 },
  };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-catalog-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (f->store, "Shop", TRUE, &error), >, 0);

  f->tee = omni_store_create_product (f->store, &tee, tees, 4, f->tee_ids, &error);
  f->mug = omni_store_create_product (f->store, &mug, mugs, 2, f->mug_ids, &error);
  f->notebook = omni_store_create_product (f->store, &notebook, notebooks, 1,
                                           &f->notebook_id, &error);
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

static void
stock (Fixture *f,
       gint64   variant,
       gint64   quantity)
{
  g_autoptr(GError) error = NULL;
  const OmniAdjustLine line = { variant, 0, quantity };
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .reason = "received" };
  g_autofree char *op = omni_store_adjust (f->store, &line, 1, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (op);
}

/* The SKUs a query lists, joined with spaces, for exact comparison. */
static char *
list_skus (Fixture                *f,
           const OmniVariantQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = omni_store_list_variants (f->store, query, 0, 100, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpint (omni_store_count_variants (f->store, query, &error), ==, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      OmniVariantRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (out, "%s%s", i ? " " : "", row->sku ? row->sku : "-");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
search_skus (Fixture    *f,
             const char *text)
{
  const OmniVariantQuery query = { .search = text, .sort = OMNI_SORT_SKU };

  return list_skus (f, &query);
}

static void
test_list_sort_and_page (Fixture       *f,
                         gconstpointer  data)
{
  const OmniVariantQuery by_title = { .sort = OMNI_SORT_TITLE };
  const OmniVariantQuery by_price_desc = { .sort = OMNI_SORT_PRICE, .descending = TRUE };
  g_autofree char *titles = list_skus (f, &by_title);
  g_autofree char *prices = list_skus (f, &by_price_desc);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  OmniVariantRow *row;

  g_assert_cmpstr (titles, ==, "MUG-SAGE MUG-CLAY NB-A5 TEE-S-RED TEE-M-RED TEE-S-BLU TEE-M-BLU");
  g_assert_cmpstr (prices, ==, "TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED MUG-CLAY MUG-SAGE NB-A5");

  page = omni_store_list_variants (f->store, &by_title, 3, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  row = g_ptr_array_index (page, 0);
  g_assert_cmpstr (row->sku, ==, "TEE-S-RED");
  g_assert_cmpstr (row->title, ==, "Organic Tee");
  g_assert_cmpstr (row->options, ==, "S / Red");
  g_assert_cmpstr (row->tags, ==, "cotton, summer");
  g_assert_cmpint (row->price, ==, 2500);
  g_assert_cmpint (row->compare_at_price, ==, -1);
  g_assert_cmpint (row->reorder_point, ==, 3);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  const OmniVariantQuery by_vendor = { .vendor = "Fernwood", .sort = OMNI_SORT_SKU };
  const OmniVariantQuery by_type = { .product_type = "Home", .sort = OMNI_SORT_SKU };
  const OmniVariantQuery by_tag = { .tag = "SUMMER", .sort = OMNI_SORT_SKU };
  const OmniVariantQuery low = { .stock = OMNI_STOCK_LOW, .sort = OMNI_SORT_SKU };
  const OmniVariantQuery out = { .stock = OMNI_STOCK_OUT, .sort = OMNI_SORT_SKU };
  const OmniVariantQuery in = { .stock = OMNI_STOCK_IN, .sort = OMNI_SORT_SKU };
  const OmniVariantQuery by_available = { .sort = OMNI_SORT_AVAILABLE, .descending = TRUE };
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL, *s5 = NULL, *s6 = NULL;
  g_autofree char *s7 = NULL;

  stock (f, f->tee_ids[0], 2);    /* low: 2 <= 3 */
  stock (f, f->tee_ids[1], 9);    /* in */
  stock (f, f->mug_ids[0], 1);    /* in: no reorder point, > 0 */
  stock (f, f->notebook_id, 5);   /* low: 5 <= 5 */

  s1 = list_skus (f, &by_vendor);
  s2 = list_skus (f, &by_type);
  s3 = list_skus (f, &by_tag);
  s4 = list_skus (f, &low);
  s5 = list_skus (f, &out);
  s6 = list_skus (f, &in);
  s7 = list_skus (f, &by_available);
  g_assert_cmpstr (s1, ==, "NB-A5 TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED");
  g_assert_cmpstr (s2, ==, "MUG-CLAY MUG-SAGE");
  g_assert_cmpstr (s3, ==, "TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED");
  g_assert_cmpstr (s4, ==, "NB-A5 TEE-S-RED");
  g_assert_cmpstr (s5, ==, "MUG-CLAY TEE-M-BLU TEE-S-BLU");
  g_assert_cmpstr (s6, ==, "MUG-SAGE TEE-M-RED");
  g_assert_true (g_str_has_prefix (s7, "TEE-M-RED NB-A5 TEE-S-RED MUG-SAGE"));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  const struct { const char *query; const char *skus; } cases[] = {
    { "tee", "TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED" },
    { "ORGANIC", "TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED" },
    { "creme", "MUG-CLAY MUG-SAGE" },                 /* accent-insensitive */
    { "CRÈME", "MUG-CLAY MUG-SAGE" },
    { "jurgen", "MUG-CLAY MUG-SAGE" },                /* vendor */
    { "tee red", "TEE-M-RED TEE-S-RED" },             /* every word must match */
    { "m-bl", "TEE-M-BLU" },                          /* SKU substring */
    { "333931", "MUG-SAGE" },                         /* barcode substring */
    { "4006381", "MUG-SAGE" },                        /* ... its digits' start */
    { "6000291452", "MUG-CLAY" },                     /* ... past a leading zero */
    { "3339310", "" },                                /* ... one digit too many */
    { "0036000", "" },
    { "400638333931", "" },                           /* its runs of six, apart */
    { "mug 000291", "MUG-CLAY" },                     /* digits and a word */
    { "summer", "TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED" },  /* tag */
    { "gr", "NB-A5" },                                /* two letters: scanned, not indexed */
    { "nothing like this", "" },
    { "\"tee\" OR mug*", "" },                        /* query syntax is plain text */
    { "   ", "MUG-CLAY MUG-SAGE NB-A5 TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = search_skus (f, cases[i].query);

      g_test_message ("search “%s”", cases[i].query);
      g_assert_cmpstr (got, ==, cases[i].skus);
    }

  /* a new barcode: found by its digits, and no longer by the old ones */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *by_new = NULL;
    g_autofree char *by_old = NULL;
    const OmniVariantSpec sage = {
      .sku = "MUG-SAGE", .barcode = "5901234123457", .options = { "Sage" }, .price = 1800,
      .cost = 600, .compare_at_price = 2200, .reorder_point = -1, .reorder_qty = -1,
    };

    g_assert_true (omni_store_update_variant (f->store, f->mug_ids[0], &sage, &error));
    g_assert_no_error (error);
    by_new = search_skus (f, "1234123457");
    by_old = search_skus (f, "333931");
    g_assert_cmpstr (by_new, ==, "MUG-SAGE");
    g_assert_cmpstr (by_old, ==, "");
  }
}

static void
test_search_jumps_to_scanned_code (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) by_barcode = omni_store_search (f->store, "036000291452", 10, &error);
  g_autoptr(GPtrArray) by_sku = omni_store_search (f->store, "TEE-M-RED", 10, &error);
  g_autofree char *long_query = g_strnfill (OMNI_SEARCH_MAX_QUERY + 1, 'a');
  g_autoptr(GPtrArray) refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (by_barcode->len, ==, 1);
  g_assert_cmpstr (((OmniVariantRow *)by_barcode->pdata[0])->sku, ==, "MUG-CLAY");
  g_assert_cmpuint (by_sku->len, >=, 1);
  g_assert_cmpstr (((OmniVariantRow *)by_sku->pdata[0])->sku, ==, "TEE-M-RED");

  refused = omni_store_search (f->store, long_query, 10, &error);
  g_assert_null (refused);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Search is too long"));
}

/* A SKU first, a barcode after: when one variant's SKU is another's
 * barcode, the scan names the SKU's, whether or not it is on the page. */
static void
test_search_prefers_sku_to_barcode (Fixture       *f,
                                    gconstpointer  data)
{
  const OmniProductSpec box = { .title = "Zinc Box", .option_names = { "Finish" } };
  const OmniVariantSpec boxes[] = {
    { .sku = "036000291452", .options = { "Matte" }, .price = 900, .compare_at_price = -1,
      .cost = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) one = NULL;
  gint64 box_id = 0;

  g_assert_cmpint (omni_store_create_product (f->store, &box, boxes, 1, &box_id, &error), >, 0);
  g_assert_no_error (error);

  /* both match the digits; the SKU's comes first, out of title order */
  found = omni_store_search (f->store, " 036000291452 ", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpint (((OmniVariantRow *)found->pdata[0])->id, ==, box_id);
  g_assert_cmpstr (((OmniVariantRow *)found->pdata[0])->options, ==, "Matte");
  g_assert_cmpstr (((OmniVariantRow *)found->pdata[1])->sku, ==, "MUG-CLAY");
  /* a page of one: the mug is first in title order, the box is put first */
  one = omni_store_search (f->store, "036000291452", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpint (((OmniVariantRow *)one->pdata[0])->id, ==, box_id);
  g_assert_cmpint (omni_store_find_variant (f->store, "036000291452", &error), ==, box_id);
  g_assert_cmpint (omni_store_find_variant (f->store, "4006381333931", &error), ==,
                   f->mug_ids[0]);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_variant (f->store, "4006381333932", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
}

/* The SKUs omni_store_search() finds, in its order. */
static char *
found_skus (Fixture    *f,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = omni_store_search (f->store, text, 50, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            ((OmniVariantRow *)rows->pdata[i])->sku);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A search reads in one transaction of its own and ends it, refused or
 * not: the next search sees what another connection wrote since, and a
 * write can start. */
static void
test_search_ends_its_snapshot (Fixture       *f,
                               gconstpointer  data)
{
  const OmniProductSpec renamed = {
    .title = "Hemp Tee", .vendor = "Fernwood", .product_type = "Apparel", .tags = "cotton",
    .option_names = { "Size", "Colour" },
  };
  g_autofree char *long_query = g_strnfill (OMNI_SEARCH_MAX_QUERY + 1, 'a');
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) other = omni_store_open (f->path, &error);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  before = omni_store_search (f->store, "organic", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 4);
  /* the products page's search: its tail check and page read one snapshot */
  listed = omni_store_list_variants (f->store, &(OmniVariantQuery) {
                                       .search = "organic", .sort = OMNI_SORT_TITLE }, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 4);
  refused = omni_store_search (f->store, long_query, 10, &error);
  g_assert_null (refused);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (omni_store_update_product (other, f->tee, &renamed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr ((after = found_skus (f, "hemp")), ==,
                   "TEE-S-RED TEE-M-RED TEE-S-BLU TEE-M-BLU");

  /* inside a write, a search reads what the write has done so far */
  g_assert_true (omni_store_begin (f->store, &error));
  g_assert_true (omni_store_update_product (f->store, f->tee, &(OmniProductSpec) {
                   .title = "Wool Tee", .option_names = { "Size", "Colour" } }, &error));
  g_clear_pointer (&after, g_free);
  g_assert_cmpstr ((after = found_skus (f, "wool")), ==,
                   "TEE-S-RED TEE-M-RED TEE-S-BLU TEE-M-BLU");
  omni_store_rollback (f->store);
  g_clear_pointer (&after, g_free);
  g_assert_cmpstr ((after = found_skus (f, "wool")), ==, "");
  g_assert_no_error (error);
}

static void
test_get_and_find_product (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniProduct) product = omni_store_get_product (f->store, f->tee, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (product->handle, ==, "organic-tee");
  g_assert_cmpstr (product->option_names[0], ==, "Size");
  g_assert_cmpstr (product->option_names[1], ==, "Colour");
  g_assert_null (product->option_names[2]);
  g_assert_cmpuint (product->variants->len, ==, 4);

  g_assert_cmpint (omni_store_find_product (f->store, "cafe-creme-mug", &error), ==, f->mug);
  g_assert_cmpint (omni_store_find_product (f->store, "NB-A5", &error), ==, f->notebook);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_product (f->store, "nope", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
}

static void
test_update_product_reindexes (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec renamed = {
    .title = "Linen Tee", .vendor = "Fernwood", .product_type = "Apparel", .tags = "linen",
    .option_names = { "Size", "Color" },
  };
  const OmniProductSpec fewer_options = { .title = "Linen Tee", .option_names = { "Size" } };
  g_autofree char *old_hits = NULL;
  g_autofree char *new_hits = NULL;
  g_autoptr(OmniProduct) product = NULL;

  g_assert_true (omni_store_update_product (f->store, f->tee, &renamed, &error));
  g_assert_no_error (error);
  old_hits = search_skus (f, "organic");
  new_hits = search_skus (f, "linen");
  g_assert_cmpstr (old_hits, ==, "");
  g_assert_cmpstr (new_hits, ==, "TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED");

  g_assert_false (omni_store_update_product (f->store, f->tee, &fewer_options, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "number of options cannot change"));

  product = omni_store_get_product (f->store, f->tee, NULL);
  g_assert_cmpstr (product->title, ==, "Linen Tee");
  g_assert_cmpstr (product->option_names[1], ==, "Color");
  g_assert_cmpstr (product->handle, ==, "organic-tee");
}

static void
test_update_variant (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OmniVariantSpec edit = {
    .sku = "TEE-S-RED-2", .barcode = "4006381333931", .options = { "S", "Crimson" },
    .price = 2700, .cost = 1100, .compare_at_price = 3000, .reorder_point = 4, .reorder_qty = 8,
  };
  g_autoptr(OmniVariantRow) row = NULL;
  g_autofree char *hits = NULL;

  g_assert_true (omni_store_update_variant (f->store, f->tee_ids[0], &edit, &error));
  g_assert_no_error (error);
  row = omni_store_get_variant (f->store, f->tee_ids[0], &error);
  g_assert_cmpstr (row->sku, ==, "TEE-S-RED-2");
  g_assert_cmpstr (row->options, ==, "S / Crimson");
  g_assert_cmpint (row->compare_at_price, ==, 3000);
  hits = search_skus (f, "crimson");
  g_assert_cmpstr (hits, ==, "TEE-S-RED-2");

  edit.sku = "MUG-SAGE";
  g_assert_false (omni_store_update_variant (f->store, f->tee_ids[0], &edit, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "SKU “MUG-SAGE” is already used by another active variant");
  g_clear_error (&error);

  edit.sku = "OK-SKU";
  edit.barcode = "4006381333932";
  g_assert_false (omni_store_update_variant (f->store, f->tee_ids[0], &edit, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message,
                            "Barcode 4006381333932 is not a valid EAN-13: its check digit "
                            "should be 1"));
  g_clear_pointer (&row, omni_variant_row_free);
  row = omni_store_get_variant (f->store, f->tee_ids[0], NULL);
  g_assert_cmpstr (row->sku, ==, "TEE-S-RED-2");
}

static void
test_barcodes (void)
{
  const struct { const char *code; gboolean ok; } cases[] = {
    { "4006381333931", TRUE },     /* EAN-13 */
    { "036000291452", TRUE },      /* UPC-A */
    { "036000291453", FALSE },
    { "9780306406157", TRUE },     /* ISBN-13 */
    { "9780306406158", FALSE },
    { "12345", TRUE },             /* a shop's own code: free text */
    { "ABC-123", TRUE },
    { "", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (omni_barcode_check (cases[i].code, &error), ==, cases[i].ok);
      if (!cases[i].ok)
        g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    }
}

static void
test_archive_and_restore (Fixture       *f,
                          gconstpointer  data)
{
  const OmniVariantQuery active = { .sort = OMNI_SORT_SKU };
  const OmniVariantQuery archived = { .stock = OMNI_STOCK_ARCHIVED, .sort = OMNI_SORT_SKU };
  const OmniProductSpec clash = { .title = "Other Mug" };
  const OmniVariantSpec clash_variant = { .sku = "MUG-SAGE", .compare_at_price = -1, .cost = -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL;

  stock (f, f->mug_ids[0], 6);
  g_assert_true (omni_store_set_product_archived (f->store, f->mug, TRUE, &error));
  g_assert_no_error (error);
  a1 = list_skus (f, &active);
  a2 = list_skus (f, &archived);
  g_assert_cmpstr (a1, ==, "NB-A5 TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED");
  g_assert_cmpstr (a2, ==, "MUG-CLAY MUG-SAGE");

  /* History and stock are kept. */
  history = omni_store_get_history (f->store, f->mug_ids[0], NULL, &error);
  g_assert_cmpuint (history->len, ==, 1);

  /* Its SKU is free for a new active variant; restoring then clashes. */
  g_assert_cmpint (omni_store_create_product (f->store, &clash, &clash_variant, 1, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_false (omni_store_set_product_archived (f->store, f->mug, FALSE, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "Cannot restore SKU “MUG-SAGE”: an active variant uses it now");
  a3 = list_skus (f, &archived);
  g_assert_cmpstr (a3, ==, "MUG-CLAY MUG-SAGE");
}

static void
test_batch_reorder_point (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniVariantRow) a = NULL;
  g_autoptr(OmniVariantRow) b = NULL;
  const gint64 bad[] = { f->tee_ids[0], 99999 };

  g_assert_true (omni_store_set_reorder_point (f->store, f->mug_ids, 2, 7, -2, &error));
  g_assert_no_error (error);
  a = omni_store_get_variant (f->store, f->mug_ids[0], NULL);
  b = omni_store_get_variant (f->store, f->mug_ids[1], NULL);
  g_assert_cmpint (a->reorder_point, ==, 7);
  g_assert_cmpint (b->reorder_point, ==, 7);
  g_assert_cmpint (a->reorder_qty, ==, -1);

  /* All or none: an unknown id leaves the first variant as it was. */
  g_assert_false (omni_store_set_reorder_point (f->store, bad, 2, 50, 60, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_pointer (&a, omni_variant_row_free);
  a = omni_store_get_variant (f->store, f->tee_ids[0], NULL);
  g_assert_cmpint (a->reorder_point, ==, 3);
}

static void
test_duplicate_and_add_variant (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniProduct) copy = NULL;
  const OmniVariantSpec large = {
    .sku = "TEE-L-RED", .options = { "L", "Red" }, .price = 2800, .compare_at_price = -1,
    .cost = -1, .reorder_point = -1, .reorder_qty = -1,
  };
  const OmniVariantSpec missing = { .sku = "TEE-XL", .options = { "XL" } };
  gint64 id;

  id = omni_store_duplicate_product (f->store, f->tee, &error);
  g_assert_no_error (error);
  copy = omni_store_get_product (f->store, id, &error);
  g_assert_cmpstr (copy->title, ==, "Copy of Organic Tee");
  g_assert_cmpstr (copy->handle, ==, "copy-of-organic-tee");
  g_assert_cmpstr (copy->status, ==, "draft");
  g_assert_cmpuint (copy->variants->len, ==, 4);
  g_assert_null (((OmniVariantRow *)copy->variants->pdata[0])->sku);
  g_assert_cmpstr (((OmniVariantRow *)copy->variants->pdata[3])->options, ==, "M / Blue");
  g_assert_cmpint (((OmniVariantRow *)copy->variants->pdata[3])->on_hand, ==, 0);

  g_assert_cmpint (omni_store_add_variant (f->store, f->tee, &large, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_variant (f->store, f->tee, &missing, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Option 2 needs a value"));
}

static void
test_distinct_values (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) vendors = omni_store_list_distinct (f->store, "vendor", &error);
  g_auto(GStrv) tags = omni_store_list_distinct (f->store, "tags", &error);
  g_auto(GStrv) types = omni_store_list_distinct (f->store, "product_type", &error);
  g_autofree char *v = NULL, *t = NULL, *p = NULL;

  g_assert_no_error (error);
  v = g_strjoinv ("|", vendors);
  t = g_strjoinv ("|", tags);
  p = g_strjoinv ("|", types);
  g_assert_cmpstr (v, ==, "Fernwood|Jürgen's Pottery");
  g_assert_cmpstr (t, ==, "cotton|kitchen|paper|summer");
  g_assert_cmpstr (p, ==, "Apparel|Home|Stationery");

  g_assert_null (omni_store_list_distinct (f->store, "sku; DROP TABLE variants", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
}

static void
test_variant_position_and_ids (Fixture       *f,
                               gconstpointer  data)
{
  const OmniVariantQuery by_title = { .sort = OMNI_SORT_TITLE };
  const OmniVariantQuery by_price_desc = { .sort = OMNI_SORT_PRICE, .descending = TRUE };
  const OmniVariantQuery mugs = { .search = "mug", .sort = OMNI_SORT_SKU };
  const OmniVariantQuery archived = { .stock = OMNI_STOCK_ARCHIVED };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) middle = NULL;
  g_autoptr(GArray) found = NULL;

  /* MUG-SAGE MUG-CLAY NB-A5 TEE-S-RED TEE-M-RED TEE-S-BLU TEE-M-BLU */
  g_assert_cmpint (omni_store_variant_position (f->store, &by_title, f->mug_ids[0], &error), ==, 0);
  g_assert_cmpint (omni_store_variant_position (f->store, &by_title, f->tee_ids[2], &error), ==, 5);
  /* TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED MUG-CLAY MUG-SAGE NB-A5 */
  g_assert_cmpint (omni_store_variant_position (f->store, &by_price_desc, f->notebook_id, &error),
                   ==, 6);
  g_assert_cmpint (omni_store_variant_position (f->store, &mugs, f->mug_ids[0], &error), ==, 1);
  g_assert_cmpint (omni_store_variant_position (f->store, &mugs, f->notebook_id, &error), ==, -1);
  g_assert_cmpint (omni_store_variant_position (f->store, &archived, f->mug_ids[0], &error),
                   ==, -1);
  g_assert_no_error (error);

  all = omni_store_list_variant_ids (f->store, &by_title, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 7);
  g_assert_cmpint (g_array_index (all, gint64, 0), ==, f->mug_ids[0]);
  g_assert_cmpint (g_array_index (all, gint64, 2), ==, f->notebook_id);
  g_assert_cmpint (g_array_index (all, gint64, 6), ==, f->tee_ids[3]);

  middle = omni_store_list_variant_ids (f->store, &by_title, 2, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (middle->len, ==, 2);
  g_assert_cmpint (g_array_index (middle, gint64, 0), ==, f->notebook_id);
  g_assert_cmpint (g_array_index (middle, gint64, 1), ==, f->tee_ids[0]);

  found = omni_store_list_variant_ids (f->store, &mugs, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, f->mug_ids[1]);
  g_assert_cmpint (g_array_index (found, gint64, 1), ==, f->mug_ids[0]);
}

/* Keyset paging --------------------------------------------------------- */

/* Sixty more products over five titles (ties, in two letter cases), one or
 * two variants each, a SKU missing on every fourth, four prices and a few
 * stock levels: every order has long runs of equal values. */
static void
add_ties (Fixture *f)
{
  static const char * const titles[] = { "Linen Apron", "linen apron", "Beeswax Wrap",
                                         "Zinc Tray", "Organic Tee" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *sku_a = g_strdup_printf ("TIE-%02u-A", i);
      g_autofree char *sku_b = g_strdup_printf ("TIE-%02u-B", 59 - i);
      const OmniProductSpec product = { .title = titles[i % G_N_ELEMENTS (titles)],
                                        .vendor = i % 3 ? "Fernwood" : "Tidewater",
                                        .option_names = { "Size" } };
      const OmniVariantSpec variants[] = {
        { .sku = i % 4 == 0 ? NULL : sku_a, .options = { "S" }, .price = 500 * (i % 4),
          .cost = -1, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
        { .sku = i % 8 == 1 ? NULL : sku_b, .options = { "M" }, .price = 500 * (i % 3),
          .cost = -1, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
      };
      gint64 ids[2] = { 0, 0 };

      g_assert_cmpint (omni_store_create_product (f->store, &product, variants,
                                                  1 + i % 2, ids, &error), >, 0);
      g_assert_no_error (error);
      if (i % 5 != 0 && i % 4 != 0)
        stock (f, ids[0], (gint64)(i % 4) * 3);
    }
}

static void
test_keyset_matches_offset (Fixture       *f,
                            gconstpointer  data)
{
  const OmniVariantQuery filters[] = {
    { .stock = OMNI_STOCK_ANY },
    { .stock = OMNI_STOCK_IN },
    { .vendor = "Fernwood" },
    { .search = "linen" },
    { .search = "ra" },
  };
  const guint page = 7;
  g_autoptr(GError) error = NULL;
  guint checked = 0;

  add_ties (f);
  for (OmniSortKey sort = OMNI_SORT_TITLE; sort <= OMNI_SORT_UPDATED; sort++)
    for (guint descending = 0; descending < 2; descending++)
      for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
        {
          OmniVariantQuery query = filters[i];
          g_autoptr(GPtrArray) all = NULL;
          g_autoptr(GArray) expected = NULL;
          g_autoptr(GArray) by_offset = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(GArray) by_key = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(GArray) backwards = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(OmniVariantKey) key = NULL;
          g_autofree char *what = NULL;

          query.sort = sort;
          query.descending = descending;
          what = g_strdup_printf ("sort %d%s, filter %u", sort, descending ? " desc" : "", i);
          all = omni_store_list_variants (f->store, &query, 0, 1000, &error);
          g_assert_no_error (error);
          g_assert_cmpint (all->len, ==, omni_store_count_variants (f->store, &query, NULL));
          g_assert_cmpuint (all->len, >, page);
          expected = test_row_ids (all);

          for (guint offset = 0; offset < all->len; offset += page)
            {
              g_autoptr(GPtrArray) rows = omni_store_list_variants (f->store, &query, offset,
                                                                    page, &error);
              g_autoptr(GArray) ids = test_row_ids (rows);

              g_array_append_vals (by_offset, ids->data, ids->len);
            }
          test_assert_same_ids (expected, by_offset, what);

          /* Forwards, each page after the key of the last row of the one before. */
          for (;;)
            {
              g_autoptr(GPtrArray) rows = omni_store_list_variants_after (f->store, &query, key,
                                                                          page, &error);
              g_autoptr(GArray) ids = NULL;

              g_assert_no_error (error);
              if (rows->len == 0)
                break;
              g_assert_cmpuint (rows->len, <=, page);
              ids = test_row_ids (rows);
              g_array_append_vals (by_key, ids->data, ids->len);
              g_clear_pointer (&key, omni_variant_key_free);
              key = omni_variant_key_new (rows->pdata[rows->len - 1], sort);
            }
          test_assert_same_ids (expected, by_key, what);

          /* Backwards from the end, each page before the first row of the last. */
          g_clear_pointer (&key, omni_variant_key_free);
          for (;;)
            {
              g_autoptr(GPtrArray) rows = omni_store_list_variants_before (f->store, &query, key,
                                                                           page, &error);
              g_autoptr(GArray) ids = NULL;

              g_assert_no_error (error);
              if (rows->len == 0)
                break;
              ids = test_row_ids (rows);
              g_array_prepend_vals (backwards, ids->data, ids->len);
              g_clear_pointer (&key, omni_variant_key_free);
              key = omni_variant_key_new (rows->pdata[0], sort);
            }
          test_assert_same_ids (expected, backwards, what);
          checked++;
        }
  g_assert_cmpuint (checked, ==, 5 * 2 * G_N_ELEMENTS (filters));
}

static void
test_keyset_ties (Fixture       *f,
                  gconstpointer  data)
{
  const OmniVariantQuery query = { .sort = OMNI_SORT_TITLE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(OmniVariantKey) key = NULL;
  guint aprons = 0, walked = 0;

  add_ties (f);
  all = omni_store_list_variants (f->store, &query, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_ascii_strcasecmp (((OmniVariantRow *)all->pdata[i])->title, "linen apron") == 0)
      aprons++;
  /* 24 products titled alike, one or two variants each. */
  g_assert_cmpuint (aprons, ==, 36);

  /* Pages of one row: every key sits inside a run of equal titles. */
  for (;;)
    {
      g_autoptr(GPtrArray) rows = omni_store_list_variants_after (f->store, &query, key, 1,
                                                                  &error);
      OmniVariantRow *row;

      g_assert_no_error (error);
      if (rows->len == 0)
        break;
      g_assert_cmpuint (rows->len, ==, 1);
      row = rows->pdata[0];
      g_assert_false (g_hash_table_contains (seen, &row->id));
      g_assert_cmpint (row->id, ==, ((OmniVariantRow *)all->pdata[walked])->id);
      g_hash_table_add (seen, &((OmniVariantRow *)all->pdata[walked])->id);
      walked++;
      g_clear_pointer (&key, omni_variant_key_free);
      key = omni_variant_key_new (row, OMNI_SORT_TITLE);
    }
  g_assert_cmpuint (walked, ==, all->len);

  /* A key made for another order is refused. */
  {
    const OmniVariantQuery by_price = { .sort = OMNI_SORT_PRICE };
    g_autoptr(GPtrArray) rows = omni_store_list_variants_after (f->store, &by_price, key, 10,
                                                                &error);

    g_assert_null (rows);
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  }
}

static void
test_keyset_survives_changes (Fixture       *f,
                              gconstpointer  data)
{
  const OmniVariantQuery query = { .sort = OMNI_SORT_TITLE };
  const OmniVariantSpec spec = { .sku = "NEW-1", .price = 100, .cost = -1,
                                 .compare_at_price = -1, .reorder_point = -1,
                                 .reorder_qty = -1 };
  const OmniVariantSpec spec2 = { .sku = "NEW-2", .price = 100, .cost = -1,
                                  .compare_at_price = -1, .reorder_point = -1,
                                  .reorder_qty = -1 };
  const OmniProductSpec early = { .title = "Aardvark Mug" };
  const OmniProductSpec late = { .title = "Zzyzx Mug" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(OmniVariantKey) key = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) got = NULL;
  gint64 early_id = 0, late_id = 0, gone[2];

  add_ties (f);
  first = omni_store_list_variants_after (f->store, &query, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 10);
  key = omni_variant_key_new (first->pdata[9], OMNI_SORT_TITLE);

  /* Between two pages: a row added before the page boundary, one added far
   * after it, the key's own row and the row just after it archived. */
  after = omni_store_list_variants_after (f->store, &query, key, 1, &error);
  g_assert_cmpuint (after->len, ==, 1);
  gone[0] = ((OmniVariantRow *)first->pdata[9])->id;
  gone[1] = ((OmniVariantRow *)after->pdata[0])->id;
  g_assert_cmpint (omni_store_create_product (f->store, &early, &spec, 1, &early_id, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (f->store, &late, &spec2, 1, &late_id, &error), >, 0);
  g_assert_true (omni_store_set_variants_archived (f->store, gone, 2, TRUE, &error));
  g_assert_no_error (error);

  /* What follows the key now: everything of the new list except the first
   * page's rows and the row added before them. */
  rest = omni_store_list_variants (f->store, &query, 0, 1000, &error);
  for (guint i = 0; i < rest->len; i++)
    {
      gint64 id = ((OmniVariantRow *)rest->pdata[i])->id;
      gboolean on_first = id == early_id;

      for (guint j = 0; j < first->len; j++)
        on_first |= ((OmniVariantRow *)first->pdata[j])->id == id;
      if (!on_first)
        g_array_append_val (expected, id);
    }
  g_clear_pointer (&rest, g_ptr_array_unref);
  rest = omni_store_list_variants_after (f->store, &query, key, 1000, &error);
  g_assert_no_error (error);
  got = test_row_ids (rest);
  test_assert_same_ids (expected, got, "after changes");
  g_assert_cmpint (g_array_index (got, gint64, got->len - 1), ==, late_id);
  g_assert_cmpuint (got->len, ==, rest->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_true (g_array_index (got, gint64, i) != gone[0] &&
                   g_array_index (got, gint64, i) != gone[1]);
}

/* Keys of every item of @rows' column: SKU, or "-" without one. */
static char *
join_skus (GPtrArray *rows)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      OmniVariantRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (out, "%s%s", i ? " " : "", row->sku ? row->sku : "-");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Titles and SKUs where collations disagree (case, punctuation, digits,
 * accents, missing SKUs), and search terms holding LIKE's wildcards: the
 * order and the matches are SQLite's on either backend. */
static void
assert_searches_in_list_order (OmniStore *store)
{
  static const char * const texts[] = {
    "lamp", "la", "chrome", "amp 1", "mirror", "e", "brass lamp 2", "tee", "zebra",
  };

  /* the lamps' two finishes, and the gold one once added */
  g_assert_cmpuint (test_search_assert_in_list_order (store, "lamp", FALSE), >=, 60);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint descending = 0; descending < 2; descending++)
      test_search_assert_in_list_order (store, texts[i], descending);
}

static gint64
add_lamp_like (Fixture    *f,
               const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sku_brass = g_strdelimit (g_strdup_printf ("%s-BRASS", title), " ", '-');
  g_autofree char *sku_chrome = g_strdelimit (g_strdup_printf ("%s-CHROME", title), " ", '-');
  const OmniProductSpec product = { .title = title, .vendor = "Lumen",
                                    .option_names = { "Finish" } };
  const OmniVariantSpec variants[] = {
    { .sku = sku_brass, .options = { "Brass" }, .price = 4000, .cost = -1,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = sku_chrome, .options = { "Chrome" }, .price = 4200, .cost = -1,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 id = omni_store_create_product (f->store, &product, variants, 2, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* New products, renames and new variants each take their place in the
 * search index's title order; where no room is left between neighbours,
 * the entries around them are spread out to make some, and searches list
 * every match in order, before and after the index is renumbered. (An
 * import's variants with no ranked neighbour near wait in the tail:
 * test-import search-bunched-import.) */
static void
test_search_in_title_order (Fixture       *f,
                            gconstpointer  data)
{
  const OmniProductSpec aardvark = { .title = "Aardvark Mirror", .vendor = "Lumen",
                                     .option_names = { "Finish" } };
  const OmniProductSpec zebra = { .title = "Zebra Lamp", .vendor = "Lumen",
                                  .option_names = { "Finish" } };
  const OmniVariantSpec gold = { .sku = "LAMP-07-GOLD", .options = { "Gold" }, .price = 4100,
                                 .cost = -1, .compare_at_price = -1, .reorder_point = -1,
                                 .reorder_qty = -1 };
  g_autoptr(GError) error = NULL;
  gint64 mirror, lamp_15 = 0, lamp_7 = 0;

  add_lamp_like (f, "Kettle");
  mirror = add_lamp_like (f, "Mirror");
  /* Each new lamp sorts before the one before it, just after the kettle:
   * halving the room there until none is left, several times over. */
  for (guint i = 30; i > 0; i--)
    {
      g_autofree char *title = g_strdup_printf ("Lamp %02u", i);
      gint64 id = add_lamp_like (f, title);

      if (i == 15)
        lamp_15 = id;
      else if (i == 7)
        lamp_7 = id;
    }
  if (!_omni_store_is_postgresql (f->store))
    g_assert_cmpint (test_search_tail (f->store), ==, 0);
  assert_searches_in_list_order (f->store);

  /* a rename moves a product's variants; a new variant joins its product */
  g_assert_true (omni_store_update_product (f->store, mirror, &aardvark, &error));
  g_assert_true (omni_store_update_product (f->store, lamp_15, &zebra, &error));
  g_assert_cmpint (omni_store_add_variant (f->store, lamp_7, &gold, &error), >, 0);
  g_assert_no_error (error);
  if (!_omni_store_is_postgresql (f->store))
    g_assert_cmpint (test_search_tail (f->store), ==, 0);
  assert_searches_in_list_order (f->store);

  /* renumbered: no tail, the same answers */
  g_assert_true (omni_store_begin (f->store, &error));
  g_assert_true (_omni_store_search_renumber (f->store, &error));
  g_assert_true (omni_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_search_tail (f->store), ==, 0);
  assert_searches_in_list_order (f->store);
}

/* A product made by hand with 36 variants between two others, and one
 * that sorts before every title: the first used to leave 15 of its
 * variants in the tail (a gap's room holds about 20 placed one after
 * another), the second 29 (placed below the first title, it had 64 ranks
 * to halve). Room is made for each, and every search lists them in
 * order. */
static void
test_search_makes_room (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const sizes[] = { "XS", "S", "M", "L", "XL", "XXL" };
  static const char * const colours[] = { "White", "Sage", "Navy", "Black", "Sand", "Rust" };
  static const char * const titles[] = { "Lamp 05", "Aaron Lamp" };
  g_autoptr(GError) error = NULL;

  add_lamp_like (f, "Lamp 04");
  add_lamp_like (f, "Lamp 06");
  for (guint t = 0; t < G_N_ELEMENTS (titles); t++)
    {
      const OmniProductSpec product = { .title = titles[t], .vendor = "Lumen",
                                        .option_names = { "Size", "Colour" } };
      OmniVariantSpec variants[G_N_ELEMENTS (sizes) * G_N_ELEMENTS (colours)] = { 0 };
      g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
        {
          char *sku = g_strdup_printf ("L%u-%s-%s", t, sizes[i / 6], colours[i % 6]);

          g_ptr_array_add (skus, sku);
          variants[i] = (OmniVariantSpec) {
            .sku = sku, .options = { sizes[i / 6], colours[i % 6] }, .price = 3000,
            .cost = -1, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1,
          };
        }
      g_assert_cmpint (omni_store_create_product (f->store, &product, variants,
                                                  G_N_ELEMENTS (variants), NULL, &error), >, 0);
      g_assert_no_error (error);
      if (!_omni_store_is_postgresql (f->store))
        g_assert_cmpint (test_search_tail (f->store), ==, 0);
      g_assert_cmpuint (test_search_assert_in_list_order (f->store, "lamp", FALSE), ==,
                        4 + 36 * (t + 1));
    }
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "navy", FALSE), ==, 12);
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "xs sa", TRUE), ==, 4);
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "chrome", FALSE), ==, 2);
}

/* How many times the connection's cached statements were compiled again. */
static int
count_reprepares (OmniStore *store,
                  gboolean   reset)
{
  sqlite3 *db = _omni_store_get_sqlite (store);
  int total = 0;

  for (sqlite3_stmt *stmt = sqlite3_next_stmt (db, NULL); stmt != NULL;
       stmt = sqlite3_next_stmt (db, stmt))
    total += sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_REPREPARE, reset);
  return total;
}

/* A search's statement is compiled once for its shape of terms: binding
 * another short term or run of digits to it must not make SQLite compile
 * it again on each search (it did, for `LIKE ?N`, before the connection
 * asked for plans that do not depend on bound values). */
static void
test_search_compiles_once (Fixture       *f,
                           gconstpointer  data)
{
  /* the kettle's and the mirror's two finishes, beside the fixture's mugs
   * (tagged "kitchen", barcodes 4006381333931 and 036000291452) */
  static const struct { const char *text; guint found; } searches[] = {
    { "ke", 2 }, { "mi", 2 }, { "ch", 4 }, { "br", 2 }, { "zz", 0 },
    { "400638", 1 }, { "600029", 1 }, { "123456", 0 }, { "ke ch", 1 }, { "mi br", 1 },
  };

  if (_omni_store_is_postgresql (f->store))
    {
      g_test_skip ("SQLite's statement cache");
      return;
    }

  add_lamp_like (f, "Kettle");
  add_lamp_like (f, "Mirror");
  count_reprepares (f->store, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = omni_store_search (f->store, searches[i].text, 50, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, searches[i].found);
    }
  g_assert_cmpint (count_reprepares (f->store, FALSE), ==, 0);
}

static void
test_orders_and_wildcards (Fixture       *f,
                           gconstpointer  data)
{
  static const struct { const char *title; const char *sku; } items[] = {
    { "zebra Mug", "Z-1" },
    { "Éclair Tin", "e-1" },
    { "apple crate", NULL },
    { "Apple Crate", "A-2" },
    { "Apple-Crate", "a-3" },
    { "Apple crate 2", "B-9" },
    { "10 Pegs", "10" },
    { "_Under 50% Off", "U_1" },
    { "~Tilde", NULL },
    { "[Box] Bunny", "[B]" },
  };
  static const struct { OmniSortKey sort; gboolean descending; const char *skus; } orders[] = {
    { OMNI_SORT_TITLE, FALSE, "10 [B] U_1 - A-2 B-9 a-3 Z-1 - e-1" },
    { OMNI_SORT_TITLE, TRUE, "e-1 - Z-1 a-3 B-9 A-2 - U_1 [B] 10" },
    { OMNI_SORT_SKU, FALSE, "- - 10 A-2 B-9 U_1 Z-1 [B] a-3 e-1" },
    { OMNI_SORT_SKU, TRUE, "e-1 a-3 [B] Z-1 U_1 B-9 A-2 10 - -" },
  };
  static const struct { const char *query; const char *skus; } searches[] = {
    { "50%", "U_1" },
    { "_un", "U_1" },           /* not " bun" */
    { "%", "U_1" },
    { "_", "U_1" },
    { "crate", "- A-2 B-9 a-3" },
    { "ap", "- A-2 B-9 a-3" },
    { "ÉCLAIR", "e-1" },
    { "[b", "[B]" },
    { "~t", "-" },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      const OmniProductSpec product = { .title = items[i].title, .vendor = "Oddity" };
      const OmniVariantSpec variant = { .sku = items[i].sku, .price = 100, .cost = -1,
                                        .compare_at_price = -1, .reorder_point = -1,
                                        .reorder_qty = -1 };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error),
                       >, 0);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      const OmniVariantQuery query = { .vendor = "Oddity", .sort = orders[i].sort,
                                       .descending = orders[i].descending };
      g_autofree char *listed = list_skus (f, &query);
      g_autoptr(GString) paged = g_string_new (NULL);
      g_autoptr(GString) back = g_string_new (NULL);
      g_autoptr(OmniVariantKey) key = NULL;

      g_test_message ("order %d%s", orders[i].sort, orders[i].descending ? " desc" : "");
      g_assert_cmpstr (listed, ==, orders[i].skus);

      /* Pages of three by key, forwards and backwards. */
      for (;;)
        {
          g_autoptr(GPtrArray) rows = omni_store_list_variants_after (f->store, &query, key, 3,
                                                                      &error);
          g_autofree char *skus = NULL;

          g_assert_no_error (error);
          if (rows->len == 0)
            break;
          skus = join_skus (rows);
          g_string_append_printf (paged, "%s%s", paged->len ? " " : "", skus);
          g_clear_pointer (&key, omni_variant_key_free);
          key = omni_variant_key_new (rows->pdata[rows->len - 1], query.sort);
        }
      g_assert_cmpstr (paged->str, ==, orders[i].skus);

      g_clear_pointer (&key, omni_variant_key_free);
      for (;;)
        {
          g_autoptr(GPtrArray) rows = omni_store_list_variants_before (f->store, &query, key, 3,
                                                                       &error);
          g_autofree char *skus = NULL;

          g_assert_no_error (error);
          if (rows->len == 0)
            break;
          skus = join_skus (rows);
          if (back->len > 0)
            g_string_prepend_c (back, ' ');
          g_string_prepend (back, skus);
          g_clear_pointer (&key, omni_variant_key_free);
          key = omni_variant_key_new (rows->pdata[0], query.sort);
        }
      g_assert_cmpstr (back->str, ==, orders[i].skus);
    }

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      const OmniVariantQuery query = { .search = searches[i].query, .vendor = "Oddity",
                                       .sort = OMNI_SORT_SKU };
      g_autofree char *got = list_skus (f, &query);

      g_test_message ("search “%s”", searches[i].query);
      g_assert_cmpstr (got, ==, searches[i].skus);
    }
}

/* A store of schema 8, its search index keyed by variant id, is migrated
 * to ranks in title order: every entry kept, searches in the list's order. */
static void
test_search_order_migration (void)
{
  static const char * const titles[] = { "Walnut Stool", "birch stool", "Oak Bench", "Ash Stool" };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omni-search-order-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDir) left = NULL;
  const char *name;
  sqlite3 *db = NULL;

  if (test_store_is_postgresql ())
    {
      g_test_skip ("Schema 8 is made here from a SQLite file; PostgreSQL's index has no ranks");
      g_rmdir (dir);
      return;
    }

  /* schema 9 taken back to 8: the search index as it was, keyed by
   * variant id, and the variants in no title order */
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE search_index; DROP TABLE search_ranks;"
                                     "DROP TABLE search_digits;"
                                     "CREATE VIRTUAL TABLE search_index USING fts5 ("
                                     " title, sku, barcode, vendor, tags, tokenize = 'trigram');"
                                     "PRAGMA user_version = 8;", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    for (guint v = 0; v < 2; v++)
      {
        g_autofree char *folded = g_ascii_strdown (titles[i], -1);
        g_autofree char *sql =
          g_strdup_printf ("INSERT OR IGNORE INTO products (id, handle, title, created_at,"
                           " updated_at) VALUES (%u, 'h%u', '%s', 'x', 'x');"
                           "INSERT INTO variants (id, product_id, position, sku, barcode,"
                           " created_at, updated_at) VALUES (%u, %u, %u, 'S%u-%u', '4006000%u%u',"
                           " 'x', 'x');"
                           "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
                           " VALUES (%u, '%s', 's%u-%u', '4006000%u%u', '', '');",
                           i + 1, i, titles[i], 10 + i * 2 + v, i + 1, v + 1, i, v, i, v,
                           10 + i * 2 + v, folded, i, v, i, v);

        g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      }
  sqlite3_close (db);

  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_schema_version (store), ==,
                   omni_store_get_latest_schema_version ());
  g_assert_cmpint (test_search_tail (store), ==, 0);
  /* the runs of digits, indexed by schema 10: all, and one */
  g_assert_cmpuint (test_search_assert_in_list_order (store, "400600", FALSE), ==, 8);
  g_assert_cmpuint (test_search_assert_in_list_order (store, "600021", TRUE), ==, 1);
  g_assert_cmpuint (test_search_assert_in_list_order (store, "stool", FALSE), ==, 6);
  g_assert_cmpuint (test_search_assert_in_list_order (store, "stool", TRUE), ==, 6);
  g_assert_cmpuint (test_search_assert_in_list_order (store, "s2-1", FALSE), ==, 1);
  rows = omni_store_search (store, "bench", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((OmniVariantRow *)rows->pdata[0])->sku, ==, "S2-0");
  g_clear_object (&store);

  /* the store, its WAL and the copy kept before the migration */
  left = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (left)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/catalog/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("list-sort-and-page", test_list_sort_and_page);
  ADD ("filters", test_filters);
  ADD ("search", test_search);
  ADD ("search-jumps-to-scanned-code", test_search_jumps_to_scanned_code);
  ADD ("search-prefers-sku-to-barcode", test_search_prefers_sku_to_barcode);
  ADD ("search-ends-its-snapshot", test_search_ends_its_snapshot);
  ADD ("get-and-find-product", test_get_and_find_product);
  ADD ("update-product-reindexes", test_update_product_reindexes);
  ADD ("update-variant", test_update_variant);
  ADD ("archive-and-restore", test_archive_and_restore);
  ADD ("batch-reorder-point", test_batch_reorder_point);
  ADD ("duplicate-and-add-variant", test_duplicate_and_add_variant);
  ADD ("distinct-values", test_distinct_values);
  ADD ("variant-position-and-ids", test_variant_position_and_ids);
  ADD ("keyset-matches-offset", test_keyset_matches_offset);
  ADD ("keyset-ties", test_keyset_ties);
  ADD ("keyset-survives-changes", test_keyset_survives_changes);
  ADD ("orders-and-wildcards", test_orders_and_wildcards);
  ADD ("search-in-title-order", test_search_in_title_order);
  ADD ("search-makes-room", test_search_makes_room);
  ADD ("search-compiles-once", test_search_compiles_once);
  g_test_add_func ("/omni/catalog/barcodes", test_barcodes);
  g_test_add_func ("/omni/catalog/search-order-migration", test_search_order_migration);

#undef ADD

  return g_test_run ();
}
