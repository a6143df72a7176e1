/* test-import.c: CSV import of the real fixtures, bad input, re-import,
 * cancellation and the export round trip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "omni-export.h"
#include "omni-import.h"
#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"
#include "test-search-util.h"
#include "test-store-util.h"

typedef struct
{
  char      *dir;
  OmniStore *store;
} Fixture;

/* What must not move when an import is refused. */
typedef struct
{
  gint64 products;
  gint64 variants;
  gint64 archived;
  gint64 locations;
  gint64 units;
  gint64 movements;
  gint64 levels;
  gint64 search_hits;
} Snapshot;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("omni-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
fixture_path (const char *relative)
{
  const char *root = g_getenv ("OMNISTOCK_FIXTURES");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

static char *
write_csv (Fixture    *f,
           const char *name,
           const char *text,
           gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, text, length, &error);
  g_assert_no_error (error);
  return path;
}

static Snapshot
snapshot (OmniStore *store)
{
  g_auto(OmniStoreStats) stats = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  OmniVariantQuery archived = { .stock = OMNI_STOCK_ARCHIVED };
  Snapshot s;

  g_assert_true (omni_store_get_stats (store, &stats, &error));
  g_assert_no_error (error);
  hits = omni_store_search (store, "e", OMNI_SEARCH_MAX_RESULTS, &error);
  g_assert_no_error (error);
  s.products = stats.products;
  s.variants = stats.variants;
  s.archived = omni_store_count_variants (store, &archived, NULL);
  s.locations = stats.locations;
  s.units = stats.units_on_hand;
  s.movements = stats.movements;
  s.levels = omni_store_count_levels (store);
  s.search_hits = hits->len;
  return s;
}

static void
assert_snapshot_equal (const Snapshot *a,
                       const Snapshot *b)
{
  g_assert_cmpint (a->products, ==, b->products);
  g_assert_cmpint (a->variants, ==, b->variants);
  g_assert_cmpint (a->archived, ==, b->archived);
  g_assert_cmpint (a->locations, ==, b->locations);
  g_assert_cmpint (a->units, ==, b->units);
  g_assert_cmpint (a->movements, ==, b->movements);
  g_assert_cmpint (a->levels, ==, b->levels);
  g_assert_cmpint (a->search_hits, ==, b->search_hits);
}

static OmniImportResult *
import (Fixture                 *f,
        const char              *path,
        const OmniImportOptions *options)
{
  g_autoptr(GError) error = NULL;
  OmniImportResult *result = omni_import_file (f->store, path, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static OmniImportResult *
import_fixture (Fixture    *f,
                const char *relative)
{
  g_autofree char *path = fixture_path (relative);
  OmniImportResult *result = import (f, path, NULL);

  if (result->n_errors > 0)
    g_error ("%s: %s", relative,
             ((OmniImportProblem *)g_ptr_array_index (result->problems, 0))->text);
  g_assert_true (result->applied);
  return result;
}

static OmniVariantRow *
variant (Fixture    *f,
         const char *sku)
{
  g_autoptr(GError) error = NULL;
  gint64 id = omni_store_find_variant (f->store, sku, &error);
  OmniVariantRow *row;

  g_assert_no_error (error);
  row = omni_store_get_variant (f->store, id, &error);
  g_assert_no_error (error);
  return row;
}

static OmniProduct *
product (Fixture    *f,
         const char *handle)
{
  g_autoptr(GError) error = NULL;
  gint64 id = omni_store_find_product (f->store, handle, &error);
  OmniProduct *p;

  g_assert_no_error (error);
  p = omni_store_get_product (f->store, id, &error);
  g_assert_no_error (error);
  return p;
}

static const OmniImportProblem *
first_error (OmniImportResult *result)
{
  for (guint i = 0; i < result->problems->len; i++)
    {
      OmniImportProblem *problem = g_ptr_array_index (result->problems, i);

      if (!problem->warning)
        return problem;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The fixtures ---------------------------------------------------------- */

static void
test_shopify_legacy (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OmniImportResult) result = import_fixture (f, "shopify/product_template_legacy.csv");
  g_autoptr(OmniProduct) tee = NULL;
  g_autoptr(OmniVariantRow) small = NULL;
  OmniVariantRow *first;

  g_assert_cmpint (result->format, ==, OMNI_IMPORT_FORMAT_SHOPIFY);
  g_assert_cmpuint (result->rows, ==, 3);
  g_assert_cmpuint (result->products_created, ==, 1);
  g_assert_cmpuint (result->variants_created, ==, 3);
  g_assert_cmpuint (result->quantity_changes, ==, 0);
  g_assert_cmpuint (result->n_warnings, ==, 0);

  tee = product (f, "example-t-shirt");
  g_assert_cmpstr (tee->title, ==, "Example T-Shirt");
  g_assert_cmpstr (tee->option_names[0], ==, "Title");
  g_assert_null (tee->option_names[1]);
  g_assert_cmpuint (tee->variants->len, ==, 3);
  first = g_ptr_array_index (tee->variants, 0);
  /* The doubled quotes of the CSV are single quotes in the value. */
  g_assert_cmpstr (first->options, ==, "Lithograph - Height: 9\" x Width: 12\"");
  g_assert_null (first->sku);
  g_assert_cmpint (first->price, ==, 2500);
  g_assert_cmpint (first->weight_grams, ==, 3629);

  small = variant (f, "example-shirt-s");
  g_assert_cmpstr (small->options, ==, "Small");
  g_assert_cmpint (small->price, ==, 1999);
  g_assert_cmpint (small->compare_at_price, ==, 2499);
  g_assert_cmpint (small->weight_grams, ==, 200);
  g_assert_cmpint (small->on_hand, ==, 0);
}

static void
test_shopify_2023 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(OmniImportResult) result = import_fixture (f, "shopify/product_template_2023.csv");
  g_autoptr(OmniVariantRow) shirt = variant (f, "SRT_COT_111");
  g_autoptr(OmniVariantRow) jeans = variant (f, "PNT_DEN_285");
  g_autoptr(OmniVariantRow) hat = NULL;
  g_autoptr(OmniProduct) pants = product (f, "example-pants");
  g_autoptr(OmniProduct) beanie = product (f, "example-hat");
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  const OmniImportProblem *warning;

  g_assert_cmpuint (result->rows, ==, 17);
  g_assert_cmpuint (result->skipped_rows, ==, 1);   /* the image-only row */
  g_assert_cmpuint (result->products_created, ==, 3);
  g_assert_cmpuint (result->variants_created, ==, 16);
  g_assert_cmpuint (result->quantity_changes, ==, 4);
  g_assert_cmpint (result->units_delta, ==, 20 + 15 + 10 + 50);
  g_assert_cmpuint (result->locations_created, ==, 1);
  g_assert_cmpuint (result->n_errors, ==, 0);
  /* Sixteen barcodes were mangled into "3.65275E+11" by a spreadsheet. */
  g_assert_cmpuint (result->n_warnings, ==, 16);
  warning = g_ptr_array_index (result->problems, 0);
  g_assert_true (warning->warning);
  g_assert_cmpuint (warning->line, ==, 2);
  g_assert_cmpstr (warning->text, ==,
                   "Line 2, column Variant Barcode: the barcode “3.65275E+11” was turned into a "
                   "number by a spreadsheet and its digits are lost; it was left empty");

  g_assert_cmpstr (shirt->options, ==, "Green / S");
  g_assert_cmpint (shirt->price, ==, 2500);
  g_assert_null (shirt->barcode);
  g_assert_cmpint (shirt->weight_grams, ==, 145);
  g_assert_cmpstr (shirt->vendor, ==, "Acme");
  g_assert_cmpstr (shirt->product_type, ==, "Shirts");
  g_assert_cmpstr (shirt->tags, ==, "Made to Order, Shirt Tag");

  g_assert_cmpint (jeans->price, ==, 9500);
  g_assert_cmpint (jeans->compare_at_price, ==, 6495);
  g_assert_cmpint (jeans->cost, ==, 5000);
  g_assert_cmpint (jeans->weight_grams, ==, 227);    /* 226.796185 g */
  g_assert_cmpint (jeans->on_hand, ==, 20);
  g_assert_cmpstr (pants->status, ==, "draft");
  g_assert_cmpuint (pants->variants->len, ==, 3);

  /* Archived products keep their SKU, out of the active list. */
  g_assert_cmpstr (beanie->status, ==, "archived");
  g_assert_null (beanie->option_names[0]);
  hat = g_ptr_array_steal_index (beanie->variants, 0);
  g_assert_cmpstr (hat->sku, ==, "HAT_GRY_275");
  g_assert_true (hat->archived);
  g_assert_cmpint (hat->on_hand, ==, 50);
  g_assert_cmpint (hat->price, ==, 1799);
  g_assert_cmpint (hat->cost, ==, 850);

  /* The search index was written for every imported variant. */
  hits = omni_store_search (f->store, "jeans", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 3);
}

static void
test_shopify_export_fixture (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(OmniImportResult) result = import_fixture (f, "shopify/products_export_1.csv");
  g_autoptr(OmniProduct) boots = product (f, "otti-combat-boot");
  g_autoptr(OmniProduct) tops = product (f, "led-high-tops");
  g_autoptr(OmniProduct) gym = product (f, "womens-gym-t-shirt-1");
  Snapshot s = snapshot (f->store);
  OmniVariantRow *first;

  g_assert_cmpuint (result->rows, ==, 115);
  g_assert_cmpuint (result->skipped_rows, ==, 20);
  g_assert_cmpuint (result->products_created, ==, 27);
  g_assert_cmpuint (result->variants_created, ==, 95);
  g_assert_cmpuint (result->n_warnings, ==, 0);
  g_assert_cmpint (result->units_delta, ==, 43);
  g_assert_cmpint (s.products, ==, 27);
  g_assert_cmpint (s.variants, ==, 95);
  g_assert_cmpint (s.units, ==, 43);

  g_assert_cmpuint (boots->variants->len, ==, 21);
  g_assert_cmpstr (boots->option_names[0], ==, "Color");
  g_assert_cmpstr (boots->option_names[1], ==, "Size");
  first = g_ptr_array_index (boots->variants, 0);
  g_assert_cmpstr (first->options, ==, "Milky / 35");
  g_assert_null (first->sku);              /* written as "" in the file */
  g_assert_cmpint (first->price, ==, 59500);
  g_assert_cmpint (first->on_hand, ==, 3);
  g_assert_true (strchr (boots->body, '\n') != NULL);

  g_assert_null (tops->option_names[0]);   /* Title / Default Title */
  g_assert_cmpuint (tops->variants->len, ==, 1);
  g_assert_cmpstr (gym->title, ==, "Women's Gym T-Shirt");
  g_assert_cmpuint (gym->variants->len, ==, 9);
}

static void
test_shopify_inventory_fixture (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(OmniImportResult) products = import_fixture (f, "shopify/products_export_1.csv");
  g_autoptr(OmniImportResult) result = NULL;
  g_autoptr(OmniImportResult) again = NULL;
  g_autoptr(OmniProduct) bag = NULL;
  g_autofree char *path = fixture_path ("shopify/inventory_export_1.csv");
  g_autoptr(GError) error = NULL;
  OmniImportOptions options = { .location = "Shop" };
  Snapshot before, after;
  OmniVariantRow *oyster;

  g_assert_nonnull (products);
  result = import (f, path, &options);
  g_assert_cmpuint (result->n_errors, ==, 0);
  g_assert_true (result->applied);
  g_assert_cmpint (result->format, ==, OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY);
  g_assert_cmpuint (result->rows, ==, 67);
  g_assert_cmpuint (result->variants_created, ==, 0);
  g_assert_cmpuint (result->locations_created, ==, 0);
  before = snapshot (f->store);
  /* 7021 from the file, 22 on variants the file does not list. */
  g_assert_cmpint (before.units, ==, 7021 + 22);

  bag = product (f, "studio-bag");
  oyster = g_ptr_array_index (bag->variants, 1);
  g_assert_cmpstr (oyster->options, ==, "Oyster");
  g_assert_cmpint (oyster->on_hand, ==, 100);

  /* The same file again changes nothing. */
  again = import (f, path, &options);
  g_assert_true (again->applied);
  g_assert_cmpuint (again->quantity_changes, ==, 0);
  after = snapshot (f->store);
  assert_snapshot_equal (&before, &after);

  /* Without --location the file's own location is made. */
  g_clear_pointer (&again, omni_import_result_free);
  again = import (f, path, NULL);
  g_assert_cmpuint (again->locations_created, ==, 1);
  g_assert_cmpuint (again->n_warnings, ==, 1);
  g_assert_cmpint (omni_store_find_location (f->store, "Shop location", &error), >, 0);
  g_assert_no_error (error);
}

static void
test_woocommerce (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OmniImportResult) result = import_fixture (f, "woocommerce/sample_products.csv");
  g_autoptr(OmniProduct) hoodie = product (f, "woo-hoodie");
  g_autoptr(OmniProduct) vneck = product (f, "woo-vneck-tee");
  g_autoptr(OmniVariantRow) red = variant (f, "woo-hoodie-red");
  g_autoptr(OmniVariantRow) beanie = variant (f, "woo-beanie");
  g_autoptr(OmniVariantRow) logo = variant (f, "woo-hoodie-with-logo");
  g_autoptr(OmniVariantRow) album = variant (f, "woo-album");
  g_autoptr(OmniVariantRow) pennant = variant (f, "wp-pennant");
  const OmniImportProblem *warning;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (result->format, ==, OMNI_IMPORT_FORMAT_WOOCOMMERCE);
  g_assert_cmpuint (result->rows, ==, 25);
  g_assert_cmpuint (result->products_created, ==, 17);
  g_assert_cmpuint (result->variants_created, ==, 22);
  g_assert_cmpuint (result->skipped_rows, ==, 1);
  g_assert_cmpuint (result->n_warnings, ==, 1);
  warning = g_ptr_array_index (result->problems, 0);
  g_assert_cmpstr (warning->text, ==,
                   "Line 24, column Type: “Logo Collection” is a grouped product, which holds "
                   "no stock of its own; it was skipped");
  g_assert_cmpint (omni_store_find_product (f->store, "logo-collection", NULL), ==, 0);

  g_assert_cmpstr (hoodie->option_names[0], ==, "Color");
  g_assert_cmpstr (hoodie->option_names[1], ==, "Logo");
  g_assert_cmpuint (hoodie->variants->len, ==, 4);
  g_assert_cmpstr (hoodie->product_type, ==, "Clothing > Hoodies");
  /* "Any size": the variations give no Size, so it is no option. */
  g_assert_cmpstr (vneck->option_names[0], ==, "Color");
  g_assert_null (vneck->option_names[1]);
  g_assert_cmpuint (vneck->variants->len, ==, 3);

  g_assert_cmpstr (red->options, ==, "Red / No");
  g_assert_cmpint (red->price, ==, 4200);            /* sale price */
  g_assert_cmpint (red->compare_at_price, ==, 4500); /* regular price */
  g_assert_cmpint (beanie->price, ==, 1800);
  g_assert_cmpint (beanie->compare_at_price, ==, 2000);
  g_assert_cmpint (logo->weight_grams, ==, 907);     /* 2 lbs */
  g_assert_cmpstr (logo->options, ==, "");
  g_assert_cmpint (album->price, ==, 1500);
  g_assert_cmpint (pennant->price, ==, 1105);
  g_assert_no_error (error);
}

/* Re-import and updates ------------------------------------------------- */

static void
test_reimport_idempotent (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OmniImportResult) first = import_fixture (f, "shopify/product_template_2023.csv");
  g_autoptr(OmniImportResult) second = NULL;
  g_autoptr(OmniImportResult) third = NULL;
  g_autoptr(OmniVariantRow) jeans = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *operation = NULL;
  OmniAdjustLine sale = { 0 };
  OmniAdjustOptions adjust = { .mode = OMNI_ADJUST_DELTA, .reason = "sold" };
  Snapshot before = snapshot (f->store), after;

  g_assert_nonnull (first);
  second = import_fixture (f, "shopify/product_template_2023.csv");
  g_assert_cmpuint (second->products_created, ==, 0);
  g_assert_cmpuint (second->products_unchanged, ==, 3);
  g_assert_cmpuint (second->variants_created, ==, 0);
  g_assert_cmpuint (second->variants_updated, ==, 0);
  g_assert_cmpuint (second->variants_unchanged, ==, 16);
  g_assert_cmpuint (second->quantity_changes, ==, 0);
  after = snapshot (f->store);
  assert_snapshot_equal (&before, &after);

  /* Stock sold since: the file's quantity line is already in the ledger,
   * so the same file does not set it back. */
  jeans = variant (f, "PNT_DEN_285");
  sale.variant_id = jeans->id;
  sale.quantity = -2;
  operation = omni_store_adjust (f->store, &sale, 1, &adjust, &error);
  g_assert_no_error (error);
  third = import_fixture (f, "shopify/product_template_2023.csv");
  g_assert_cmpuint (third->quantity_changes, ==, 0);
  g_assert_cmpuint (third->quantities_already_applied, ==, 1);
  g_clear_pointer (&jeans, omni_variant_row_free);
  jeans = variant (f, "PNT_DEN_285");
  g_assert_cmpint (jeans->on_hand, ==, 18);
}

static void
test_update_changes (Fixture       *f,
                     gconstpointer  data)
{
  static const char first_csv[] =
    "Handle,Title,Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Price,"
    "Variant Inventory Qty\n"
    "mug,Mug,Clay Co,Colour,Sage,MUG-SAGE,18.00,5\n"
    "mug,,,,Clay,MUG-CLAY,18.00,2\n";
  static const char second_csv[] =
    "Handle,Title,Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Price,"
    "Variant Inventory Qty\n"
    "mug,Stoneware Mug,Clay Co,Colour,Sage,MUG-SAGE,19.50,7\n"
    "mug,,,,Clay,MUG-CLAY,18.00,2\n"
    "mug,,,,Ink,MUG-INK,21.00,1\n";
  g_autofree char *a = write_csv (f, "a.csv", first_csv, -1);
  g_autofree char *b = write_csv (f, "b.csv", second_csv, -1);
  g_autoptr(OmniImportResult) r1 = import (f, a, NULL);
  g_autoptr(OmniImportResult) r2 = NULL;
  g_autoptr(OmniVariantRow) sage = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (r1->applied);
  g_assert_cmpuint (r1->variants_created, ==, 2);
  r2 = import (f, b, NULL);
  g_assert_true (r2->applied);
  g_assert_cmpuint (r2->products_updated, ==, 1);
  g_assert_cmpuint (r2->variants_updated, ==, 1);
  g_assert_cmpuint (r2->variants_unchanged, ==, 1);
  g_assert_cmpuint (r2->variants_created, ==, 1);
  g_assert_cmpuint (r2->quantity_changes, ==, 2);
  g_assert_cmpint (r2->units_delta, ==, 2 + 1);

  sage = variant (f, "MUG-SAGE");
  g_assert_cmpstr (sage->title, ==, "Stoneware Mug");
  g_assert_cmpint (sage->price, ==, 1950);
  g_assert_cmpint (sage->on_hand, ==, 7);
  /* The renamed product is found under its new name, once per variant. */
  hits = omni_store_search (f->store, "stoneware", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 3);
}

/* The columns of the search-order cases' CSVs. */
#define STOOL_HEADER \
  "Handle,Title,Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Price," \
  "Variant Inventory Qty,Variant Barcode\n"

/* A CSV of @n products named after @words in a shuffled order, two
 * variants each, handles, SKUs and barcodes numbered from @first. */
static char *
shuffled_csv (guint first,
              guint n,
              const char *title_prefix)
{
  static const char * const words[] = {
    "Walnut", "Birch", "Oak", "Maple", "Cedar", "Ash", "Elm", "Pine", "Teak", "Alder",
  };
  g_autoptr(GString) csv = g_string_new (STOOL_HEADER);

  for (guint i = first; i < first + n; i++)
    {
      /* 7 is prime to 10: the titles come in no order */
      const char *word = words[(i * 7) % G_N_ELEMENTS (words)];

      g_string_append_printf (csv, "p%u,%s %s Stool %u,Joinery,Finish,Raw,S%u-RAW,40.00,1,"
                              "70%05u5\n", i, title_prefix, word, i, i, i);
      g_string_append_printf (csv, "p%u,,,,Oiled,S%u-OIL,45.00,2,70%05u6\n", i, i, i);
    }
  return g_string_free (g_steal_pointer (&csv), FALSE);
}

static void
assert_searches_in_order (Fixture *f)
{
  static const char * const texts[] = {
    "stool", "oak", "oiled", "st", "s1", "birch stool 1", "700001", "0000015", "oak 7000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint descending = 0; descending < 2; descending++)
      test_search_assert_in_list_order (f->store, texts[i], descending);
}

/* The search index takes the imported variants in title order: into an
 * empty store one after the other, a few more each between its
 * neighbours, renamed products moved, and many more into a small store
 * renumbered in one go. Searches list every match in the list's order
 * after each. */
static void
test_search_in_title_order (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *first_csv = shuffled_csv (0, 40, "");
  g_autofree char *more_csv = shuffled_csv (40, 5, "");
  g_autofree char *renamed_csv = shuffled_csv (0, 3, "Antique");
  g_autofree char *first = write_csv (f, "first.csv", first_csv, -1);
  g_autofree char *more = write_csv (f, "more.csv", more_csv, -1);
  g_autofree char *renamed = write_csv (f, "renamed.csv", renamed_csv, -1);
  g_autoptr(OmniImportResult) r1 = NULL;
  g_autoptr(OmniImportResult) r2 = NULL;
  g_autoptr(OmniImportResult) r3 = NULL;

  r1 = import (f, first, NULL);
  g_assert_true (r1->applied);
  g_assert_cmpuint (r1->variants_created, ==, 80);
  g_assert_cmpint (test_search_tail (f->store), ==, 0);
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "stool", FALSE), ==, 80);
  assert_searches_in_order (f);

  r2 = import (f, more, NULL);
  g_assert_true (r2->applied);
  g_assert_cmpuint (r2->variants_created, ==, 10);
  test_search_tail (f->store);
  assert_searches_in_order (f);

  r3 = import (f, renamed, NULL);
  g_assert_true (r3->applied);
  g_assert_cmpuint (r3->products_updated, ==, 3);
  test_search_tail (f->store);
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "antique", FALSE), ==, 6);
  assert_searches_in_order (f);
}

/* A hundred new products that sort next to one another among those of a
 * store: each looks for ranked neighbours a few rows away only (not
 * through every new row not ranked yet), and waits in the tail when there
 * are none, so the import stays linear; every search still lists them in
 * order. */
static void
test_search_bunched_import (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *first_csv = shuffled_csv (0, 40, "");
  g_autofree char *first = write_csv (f, "first.csv", first_csv, -1);
  g_autoptr(GString) bunched_csv = g_string_new (STOOL_HEADER);
  g_autofree char *bunched = NULL;
  g_autoptr(OmniImportResult) r1 = NULL;
  g_autoptr(OmniImportResult) r2 = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_string_append_printf (bunched_csv, "b%u,Cedar Bench %03u,Joinery,Finish,Raw,"
                              "B%u-RAW,80.00,1,80%05u5\n", i, i, i, i);
      g_string_append_printf (bunched_csv, "b%u,,,,Oiled,B%u-OIL,90.00,1,80%05u6\n", i, i, i);
    }
  bunched = write_csv (f, "bunched.csv", bunched_csv->str, -1);

  r1 = import (f, first, NULL);
  g_assert_true (r1->applied);
  r2 = import (f, bunched, NULL);
  g_assert_true (r2->applied);
  g_assert_cmpuint (r2->variants_created, ==, 200);
  if (!test_store_is_postgresql ())
    g_assert_cmpint (test_search_tail (f->store), >, 64);
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "cedar", FALSE), ==, 200 + 8);
  /* two terms: "bench" and "01", in 001 and 010 to 019 */
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "bench 01", TRUE), ==, 22);
  /* the barcodes' digits (80 + the number + 5 or 6), from the tail too */
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "800001", FALSE), ==, 20);
  assert_searches_in_order (f);
}

/* Ten times as many new variants as the store had: into the tail, then
 * renumbered. */
static void
test_search_renumbered_by_import (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *few_csv = shuffled_csv (0, 2, "");
  g_autofree char *many_csv = shuffled_csv (2, 60, "");
  g_autofree char *few = write_csv (f, "few.csv", few_csv, -1);
  g_autofree char *many = write_csv (f, "many.csv", many_csv, -1);
  g_autoptr(OmniImportResult) r1 = import (f, few, NULL);
  g_autoptr(OmniImportResult) r2 = import (f, many, NULL);

  g_assert_true (r1->applied);
  g_assert_true (r2->applied);
  g_assert_cmpuint (r2->variants_created, ==, 120);
  g_assert_cmpint (test_search_tail (f->store), ==, 0);
  g_assert_cmpuint (test_search_assert_in_list_order (f->store, "stool", TRUE), ==, 124);
  assert_searches_in_order (f);
}

/* Bad input: exact messages, nothing written ---------------------------- */

typedef struct
{
  const char *name;
  const char *csv;
  guint64     line;
  const char *text;
} BadCase;

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  static const char header[] =
    "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n";
  static const BadCase cases[] = {
    { "duplicate-sku",
      "tee,Tee,Size,S,TEE-1,10.00,1\n"
      "tee,,,M,TEE-2,10.00,1\n"
      "tee,,,L,TEE-1,10.00,1\n",
      4, "Line 4, column Variant SKU: duplicate SKU “TEE-1” also on line 2" },
    { "bad-number",
      "tee,Tee,Size,S,TEE-1,ten,1\n",
      2, "Line 2, column Variant Price: “ten” is not an amount: write digits with a dot "
         "for decimals, such as 12.50" },
    { "negative-quantity",
      "tee,Tee,Size,S,TEE-1,10.00,-3\n",
      2, "Line 2, column Variant Inventory Qty: the quantity cannot be negative (-3)" },
    { "not-a-quantity",
      "tee,Tee,Size,S,TEE-1,10.00,lots\n",
      2, "Line 2, column Variant Inventory Qty: “lots” is not a whole number" },
    { "missing-option-value",
      "tee,Tee,Size,S,TEE-1,10.00,1\n"
      "tee,,,,TEE-2,10.00,1\n",
      3, "Line 3, column Option1 Value: option 1 (“Size”) needs a value" },
    { "unknown-option",
      "mug,Mug,,,MUG-1,10.00,1\n"
      "mug,,,Blue,MUG-2,10.00,1\n",
      3, "Line 3, column Option1 Value: unknown option: the value “Blue” is given, but "
         "“mug” has no option 1" },
    { "duplicate-variant",
      "tee,Tee,Size,S,,10.00,1\n"
      "tee,,,S,,11.00,1\n",
      3, "Line 3, column Option1 Value: the same variant is also on line 2" },
    { "new-product-without-title",
      "tee,,Size,S,TEE-1,10.00,1\n",
      2, "Line 2, column Title: “tee” is a new product, so its first row needs a title" },
    { "truncated",
      "tee,Tee,Size,S,TEE-1,10.00,1\n"
      "tee,,,M,TE",
      3, "Line 3: the row has 5 fields but the header has 7; is the file cut short?" },
    { "unquoted-delimiter",
      "tee,Tee,Size,S,TEE-1,10,00,1\n",
      2, "Line 2: the row has 8 fields but the header has 7; is a value with the delimiter "
         "missing its quotes?" },
    { "unbalanced-quote",
      "tee,Tee,Size,S,TEE-1,10.00,1\n"
      "tee,,,\"M,TEE-2,10.00,1\n",
      3, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (header, cases[i].csv, NULL);
      g_autofree char *name = g_strconcat (cases[i].name, ".csv", NULL);
      g_autofree char *path = write_csv (f, name, text, -1);
      g_autoptr(OmniImportResult) result = NULL;
      const OmniImportProblem *problem;
      Snapshot before = snapshot (f->store), after;

      g_test_message ("case %s", cases[i].name);
      result = import (f, path, NULL);
      g_assert_false (result->applied);
      g_assert_cmpuint (result->n_errors, >=, 1);
      problem = first_error (result);
      g_assert_cmpuint (problem->line, ==, cases[i].line);
      if (cases[i].text != NULL)
        g_assert_cmpstr (problem->text, ==, cases[i].text);
      else
        g_assert_true (g_str_has_prefix (problem->text, "Line 3"));
      after = snapshot (f->store);
      assert_snapshot_equal (&before, &after);
    }
}

static void
test_bad_against_store (Fixture       *f,
                        gconstpointer  data)
{
  static const char first_csv[] =
    "Handle,Title,Variant SKU,Variant Price,Variant Inventory Qty\n"
    "cap,Cap,CAP-1,12.00,4\n";
  /* The good rows of a refused file are not written either. */
  static const char second_csv[] =
    "Handle,Title,Variant SKU,Variant Price,Variant Inventory Qty\n"
    "scarf,Scarf,SCARF-1,30.00,9\n"
    "hat,Hat,CAP-1,12.00,4\n";
  g_autofree char *a = write_csv (f, "a.csv", first_csv, -1);
  g_autofree char *b = write_csv (f, "b.csv", second_csv, -1);
  g_autoptr(OmniImportResult) r1 = import (f, a, NULL);
  g_autoptr(OmniImportResult) r2 = NULL;
  Snapshot before = snapshot (f->store), after;

  g_assert_true (r1->applied);
  r2 = import (f, b, NULL);
  g_assert_false (r2->applied);
  g_assert_cmpuint (r2->n_errors, ==, 1);
  g_assert_cmpstr (first_error (r2)->text, ==,
                   "Line 3, column Variant SKU: SKU “CAP-1” belongs to the product “cap” in "
                   "the store, not to “hat”");
  /* Counted as if applied, so the preview says what would have happened. */
  g_assert_cmpuint (r2->products_created, ==, 2);
  after = snapshot (f->store);
  assert_snapshot_equal (&before, &after);
  g_assert_cmpint (omni_store_find_variant (f->store, "SCARF-1", NULL), ==, 0);
}

static void
test_skip_invalid_rows (Fixture       *f,
                        gconstpointer  data)
{
  static const char text[] =
    "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n"
    "tee,Tee,Size,S,TEE-1,10.00,1\n"
    "tee,,,M,TEE-2,ten,1\n"
    "tee,,,L,TEE-1,10.00,2\n"
    "bad,,Size,S,B-1,1.00,1\n"
    "bad,,,M,B-2,1.00,1\n"
    "mug,Mug,,,MUG-1,5.00,3\n";
  g_autofree char *path = write_csv (f, "skip.csv", text, -1);
  g_autofree char *rejects = g_build_filename (f->dir, "rejects.csv", NULL);
  g_autofree char *truncated = write_csv (f, "cut.csv", "Handle,Title,Variant SKU\n"
                                                        "cap,Cap,CAP-1\ncap,\"Ca", -1);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  OmniImportOptions preview = { .skip_invalid_rows = TRUE, .dry_run = TRUE,
                                .rejects_path = rejects };
  OmniImportOptions skip = { .skip_invalid_rows = TRUE, .rejects_path = rejects };
  g_autoptr(OmniImportResult) dry = import (f, path, &preview);
  g_autoptr(OmniImportResult) result = NULL;
  g_autoptr(OmniImportResult) cut = NULL;
  g_autoptr(OmniVariantRow) tee = NULL;
  Snapshot s = snapshot (f->store);

  /* The preview writes nothing, not even the rejects file. */
  g_assert_false (dry->applied);
  g_assert_false (dry->file_error);
  g_assert_cmpuint (dry->rows_rejected, ==, 4);
  g_assert_cmpuint (dry->variants_created, ==, 2);
  g_assert_cmpint (s.variants, ==, 0);
  g_assert_false (g_file_test (rejects, G_FILE_TEST_EXISTS));

  result = import (f, path, &skip);
  g_assert_true (result->applied);
  g_assert_cmpuint (result->rows_rejected, ==, 4);
  g_assert_cmpuint (result->n_errors, ==, 4);
  g_assert_cmpuint (result->products_created, ==, 2);
  g_assert_cmpuint (result->variants_created, ==, 2);
  g_assert_cmpint (result->units_delta, ==, 4);
  g_assert_cmpint (omni_store_find_product (f->store, "bad", NULL), ==, 0);
  tee = variant (f, "TEE-1");
  g_assert_cmpint (tee->on_hand, ==, 1);

  g_assert_true (g_file_get_contents (rejects, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);     /* header, 4 rows, "" */
  g_assert_cmpstr (lines[0], ==, "\xef\xbb\xbfHandle,Title,Option1 Name,Option1 Value,"
                   "Variant SKU,Variant Price,Variant Inventory Qty,Import problems");
  g_assert_cmpstr (lines[2], ==, "tee,,,L,TEE-1,10.00,2,\"Line 4, column Variant SKU: "
                   "duplicate SKU “TEE-1” also on line 2\"");
  g_assert_cmpstr (lines[4], ==, "bad,,,M,B-2,1.00,1,\"Line 6, column Handle: the first "
                   "row of “bad” (line 5) was left out, so this one is too\"");

  /* A broken file is refused whole, skipping or not. */
  cut = import (f, truncated, &skip);
  g_assert_false (cut->applied);
  g_assert_true (cut->file_error);
  g_assert_cmpint (omni_store_find_variant (f->store, "CAP-1", NULL), ==, 0);
}

static void
test_missing_column (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_csv (f, "m.csv", "Handle,Variant SKU,Variant Price\n"
                                                 "tee,TEE-1,10.00\n", -1);
  g_autoptr(OmniImportResult) result = import (f, path, NULL);
  Snapshot s = snapshot (f->store);

  g_assert_false (result->applied);
  g_assert_cmpuint (result->n_errors, ==, 1);
  g_assert_cmpuint (first_error (result)->line, ==, 1);
  g_assert_cmpstr (first_error (result)->text, ==,
                   "Line 1: the column “Title” is missing; a shopify file needs it");
  g_assert_cmpint (s.products, ==, 0);
  g_assert_cmpint (s.locations, ==, 0);
}

static void
test_unknown_format (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_csv (f, "u.csv", "colour,size\nred,M\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniImportResult) result = omni_import_file (f->store, path, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "The file’s header matches no known layout (Shopify products, Shopify "
                   "inventory, WooCommerce products); import it with the generic layout and "
                   "map its columns");
}

static void
test_over_long_field (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *long_sku = g_strnfill (300, 'X');
  g_autofree char *huge = g_strnfill (4096, 'y');
  g_autofree char *text1 = g_strdup_printf ("Handle,Title,Variant SKU,Variant Price\n"
                                            "tee,Tee,%s,10.00\n", long_sku);
  g_autofree char *text2 = g_strdup_printf ("Handle,Title,Variant SKU,Variant Price\n"
                                            "tee,Tee,TEE-1,10.00\n"
                                            "mug,%s,MUG-1,10.00\n", huge);
  g_autofree char *p1 = write_csv (f, "l1.csv", text1, -1);
  g_autofree char *p2 = write_csv (f, "l2.csv", text2, -1);
  g_autoptr(OmniImportResult) r1 = import (f, p1, NULL);
  g_autoptr(OmniImportResult) r2 = NULL;
  OmniImportOptions small = { .max_field_bytes = 1024 };
  Snapshot s;

  g_assert_false (r1->applied);
  g_assert_cmpstr (first_error (r1)->text, ==,
                   "Line 2, column Variant SKU: SKU is too long (300 bytes; at most 255)");

  /* A field over the reader's bound stops the reading at its line. */
  r2 = import (f, p2, &small);
  g_assert_false (r2->applied);
  g_assert_cmpuint (first_error (r2)->line, ==, 3);
  g_assert_true (g_str_has_prefix (first_error (r2)->text, "Line 3, column 2: "));
  s = snapshot (f->store);
  g_assert_cmpint (s.products, ==, 0);
}

static void
test_invalid_encoding (Fixture       *f,
                       gconstpointer  data)
{
  /* More than the 64 KiB the reader sniffs of real UTF-8 (é), then a lone
   * 0xFF byte: the file is UTF-8 with a broken line, not Windows-1252. */
  g_autoptr(GString) text = g_string_new ("Handle,Title,Variant SKU,Variant Price\n");
  g_autofree char *path = NULL;
  g_autoptr(OmniImportResult) result = NULL;
  Snapshot s;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, "cafe-%u,Caf\xc3\xa9 %u,CAFE-%u,3.00\n", i, i, i);
  g_string_append (text, "tea,T\xff,TEA-1,2.00\n");
  path = write_csv (f, "e.csv", text->str, text->len);
  result = import (f, path, NULL);
  s = snapshot (f->store);

  g_assert_false (result->applied);
  g_assert_cmpuint (result->n_errors, ==, 1);
  g_assert_cmpuint (first_error (result)->line, ==, 3002);
  g_assert_true (g_str_has_prefix (first_error (result)->text, "Line 3002"));
  g_assert_cmpint (s.products, ==, 0);
}

static void
test_binary_and_long_line (Fixture       *f,
                           gconstpointer  data)
{
  static const char garbage[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06";
  g_autofree char *binary = write_csv (f, "b.csv", garbage, sizeof garbage - 1);
  g_autoptr(GString) text = g_string_new ("Handle,Title,Variant SKU,Variant Price\n"
                                          "tee,Tee,TEE-1,10.00\nmug,");
  g_autofree char *long_line = NULL;
  g_autoptr(OmniImportResult) refused = NULL;
  g_autoptr(OmniImportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  refused = omni_import_file (f->store, binary, NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "this looks like a binary file, not CSV"));

  /* One line of 5 MB, over the reader's 4 MiB bound for a record: the
   * reading stops there with a sentence, in constant memory. */
  g_string_append_len (text, "", 0);
  for (guint i = 0; i < 5 * 1024; i++)
    g_string_append (text, "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
                           "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm,");
  g_string_append (text, "MUG-1,3.00\n");
  long_line = write_csv (f, "long.csv", text->str, text->len);
  result = import (f, long_line, NULL);
  g_assert_false (result->applied);
  g_assert_cmpuint (result->n_errors, ==, 1);
  g_assert_cmpuint (first_error (result)->line, ==, 3);
  g_assert_true (g_str_has_prefix (first_error (result)->text, "Line 3"));
  g_assert_cmpint (snapshot (f->store).products, ==, 0);
}

static void
test_windows_1252 (Fixture       *f,
                   gconstpointer  data)
{
  static const char text[] =
    "Handle,Title,Variant SKU,Variant Price\n"
    "cafe,Caf\xe9 cr\xe8me,CAFE-1,3.00\n";
  g_autofree char *path = write_csv (f, "w.csv", text, sizeof text - 1);
  g_autoptr(OmniImportResult) result = import (f, path, NULL);
  g_autoptr(OmniVariantRow) cafe = NULL;

  g_assert_true (result->applied);
  g_assert_cmpstr (result->encoding, ==, "Windows-1252");
  cafe = variant (f, "CAFE-1");
  g_assert_cmpstr (cafe->title, ==, "Café crème");
}

/* Dry run, cancel, bounds ------------------------------------------------ */

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = fixture_path ("shopify/product_template_2023.csv");
  OmniImportOptions options = { .dry_run = TRUE, .preview_rows = 5 };
  g_autoptr(OmniImportResult) result = import (f, path, &options);
  OmniImportPreviewRow *row;
  Snapshot s = snapshot (f->store);

  g_assert_false (result->applied);
  g_assert_true (result->dry_run);
  g_assert_cmpuint (result->products_created, ==, 3);
  g_assert_cmpuint (result->variants_created, ==, 16);
  g_assert_cmpuint (result->quantity_changes, ==, 4);
  g_assert_cmpuint (result->preview->len, ==, 5);
  row = g_ptr_array_index (result->preview, 0);
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_cmpstr (row->handle, ==, "example-shirt");
  g_assert_cmpstr (row->options, ==, "Green / S");
  g_assert_cmpstr (row->sku, ==, "SRT_COT_111");
  g_assert_cmpint (row->price, ==, 2500);
  g_assert_cmpstr (row->action, ==, "new");
  g_assert_cmpint (s.products, ==, 0);
  g_assert_cmpint (s.variants, ==, 0);
  g_assert_cmpint (s.locations, ==, 0);
  g_assert_cmpint (s.movements, ==, 0);
}

static char *
write_big_csv (Fixture *f,
               guint    n_rows)
{
  g_autoptr(GString) text = g_string_new ("Handle,Title,Option1 Name,Option1 Value,Variant SKU,"
                                          "Variant Price,Variant Inventory Qty\n");

  for (guint i = 0; i < n_rows; i++)
    {
      if (i % 4 == 0)
        g_string_append_printf (text, "p%u,Product %u,Size,S%u,SKU-%u,%u.99,%u\n",
                                i / 4, i / 4, i % 4, i, i % 50, i % 7 + 1);
      else
        g_string_append_printf (text, "p%u,,,S%u,SKU-%u,%u.99,%u\n",
                                i / 4, i % 4, i, i % 50, i % 7 + 1);
    }
  return write_csv (f, "big.csv", text->str, text->len);
}

static void
cancel_on_progress (guint64  bytes_read,
                    guint64  total_bytes,
                    guint64  rows,
                    gpointer user_data)
{
  if (rows >= 8192)
    g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  /* Cancelled after 8,192 rows, half way through on PostgreSQL (each row
   * there is a round trip to the server), well before the end on SQLite. */
  guint rows = test_store_is_postgresql () ? 10000 : 20000;
  g_autofree char *path = write_big_csv (f, rows);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniImportResult) result = NULL;
  OmniImportOptions options = { .progress = cancel_on_progress, .progress_data = cancellable };
  Snapshot s;

  result = omni_import_file (f->store, path, &options, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_CANCELLED);
  s = snapshot (f->store);
  g_assert_cmpint (s.products, ==, 0);
  g_assert_cmpint (s.variants, ==, 0);
  g_assert_cmpint (s.movements, ==, 0);
  g_assert_cmpint (s.locations, ==, 0);

  /* The same store takes the whole file afterwards. */
  g_clear_error (&error);
  g_clear_pointer (&result, omni_import_result_free);
  result = import (f, path, NULL);
  g_assert_true (result->applied);
  g_assert_cmpuint (result->variants_created, ==, rows);
  g_assert_cmpuint (result->products_created, ==, rows / 4);
  s = snapshot (f->store);
  g_assert_cmpint (s.variants, ==, rows);
}

static void
test_bounds (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = write_big_csv (f, 100);
  g_autoptr(GError) error = NULL;
  OmniImportOptions tiny_file = { .max_file_bytes = 1000 };
  OmniImportOptions few_rows = { .max_rows = 10 };
  g_autoptr(OmniImportResult) refused = omni_import_file (f->store, path, &tiny_file, NULL,
                                                           &error);
  g_autoptr(OmniImportResult) result = NULL;

  g_assert_null (refused);
  g_assert_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_TOO_LARGE);
  result = import (f, path, &few_rows);
  g_assert_false (result->applied);
  g_assert_cmpstr (first_error (result)->text, ==,
                   "Line 12: the file has more than 10 rows, the most one import accepts; "
                   "split it");
  g_assert_cmpint (snapshot (f->store).variants, ==, 0);
}

/* Generic layout ------------------------------------------------------- */

static void
test_generic_mapping (Fixture       *f,
                      gconstpointer  data)
{
  static const char text[] =
    "Item code;Description;Count;Unit price\n"
    "A-1;Blue pen;12;1,50\n";
  static const char text2[] =
    "Item code;Description;Count;Unit price\n"
    "A-1;Blue pen;15;1.50\n"
    "A-2;Red pen;3;1.75\n";
  const char * const mapping[] = {
    "Item code=sku", "Description=title", "Count=quantity", "Unit price=price", NULL,
  };
  g_autofree char *path = write_csv (f, "g.csv", text, -1);
  g_autofree char *path2 = write_csv (f, "g2.csv", text2, -1);
  OmniImportOptions options = { .format = OMNI_IMPORT_FORMAT_GENERIC, .mapping = mapping };
  OmniImportOptions remembered = { .format = OMNI_IMPORT_FORMAT_GENERIC };
  g_autoptr(OmniImportResult) bad = import (f, path, &options);
  g_autoptr(OmniImportResult) good = NULL;
  g_autoptr(OmniVariantRow) pen = NULL;
  g_auto(GStrv) saved = NULL;

  /* "1,50" is no amount in a ;-separated file either. */
  g_assert_false (bad->applied);
  g_assert_cmpuint (first_error (bad)->line, ==, 2);
  g_assert_cmpstr (first_error (bad)->column, ==, "Unit price");
  g_assert_null (omni_import_load_mapping (f->store));

  good = import (f, path2, &options);
  g_assert_true (good->applied);
  g_assert_cmpuint (good->variants_created, ==, 2);
  g_assert_cmpint (good->delimiter, ==, ';');
  pen = variant (f, "A-1");
  g_assert_cmpstr (pen->title, ==, "Blue pen");
  g_assert_cmpint (pen->price, ==, 150);
  g_assert_cmpint (pen->on_hand, ==, 15);

  saved = omni_import_load_mapping (f->store);
  g_assert_nonnull (saved);
  g_assert_cmpstrv (saved, mapping);

  /* Remembered: the same layout imports without a mapping, by SKU. */
  g_clear_pointer (&good, omni_import_result_free);
  good = import (f, path2, &remembered);
  g_assert_true (good->applied);
  g_assert_cmpuint (good->variants_unchanged, ==, 2);
  g_assert_cmpuint (good->variants_created, ==, 0);
}

/* Export ---------------------------------------------------------------- */

static void
export_to (OmniStore        *store,
           const char       *path,
           gboolean          inventory,
           OmniExportFormat  format)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, 0, NULL, &error);
  guint64 rows = 0;

  g_assert_no_error (error);
  if (inventory)
    omni_export_inventory (store, G_OUTPUT_STREAM (stream), format, &rows, NULL, &error);
  else
    omni_export_products (store, G_OUTPUT_STREAM (stream), format, &rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows, >, 0);
}

static char *
describe_catalog (OmniStore *store)
{
  OmniVariantQuery all = { .stock = OMNI_STOCK_ANY, .sort = OMNI_SORT_SKU };
  OmniVariantQuery archived = { .stock = OMNI_STOCK_ARCHIVED, .sort = OMNI_SORT_SKU };
  g_autoptr(GString) text = g_string_new (NULL);
  const OmniVariantQuery *queries[] = { &all, &archived };
  g_autoptr(GError) error = NULL;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) rows = omni_store_list_variants (store, queries[q], 0, 10000, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          OmniVariantRow *r = g_ptr_array_index (rows, i);

          g_string_append_printf (text, "%s|%s|%s|%s|%s|%s|%s|%s|%" G_GINT64_FORMAT "|%"
                                  G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                                  "|%" G_GINT64_FORMAT "|%s\n",
                                  r->handle, r->title, r->options, r->sku ? r->sku : "",
                                  r->barcode ? r->barcode : "", r->vendor, r->product_type,
                                  r->tags, r->price, r->compare_at_price, r->cost,
                                  r->weight_grams, r->on_hand, r->status);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_export_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniImportResult) a = import_fixture (f, "shopify/product_template_2023.csv");
  g_autoptr(OmniImportResult) b = import_fixture (f, "shopify/products_export_1.csv");
  g_autoptr(OmniImportResult) c = import_fixture (f, "woocommerce/sample_products.csv");
  g_autofree char *shopify = g_build_filename (f->dir, "export.csv", NULL);
  g_autofree char *generic = g_build_filename (f->dir, "export-generic.csv", NULL);
  g_autofree char *levels = g_build_filename (f->dir, "levels.csv", NULL);
  g_autofree char *copy_path = test_store_new_location (f->dir, "copy.db");
  g_autofree char *copy2_path = test_store_new_location (f->dir, "copy2.db");
  g_autofree char *original = describe_catalog (f->store);
  g_autofree char *copied = NULL;
  g_autoptr(OmniStore) copy = NULL;
  g_autoptr(OmniStore) copy2 = NULL;
  g_autoptr(OmniImportResult) back = NULL;
  g_autoptr(GError) error = NULL;
  OmniImportOptions generic_format = { .format = OMNI_IMPORT_FORMAT_GENERIC };

  g_assert_nonnull (c);
  g_assert_nonnull (b);
  g_assert_nonnull (a);
  export_to (f->store, shopify, FALSE, OMNI_EXPORT_FORMAT_SHOPIFY);
  export_to (f->store, generic, FALSE, OMNI_EXPORT_FORMAT_GENERIC);
  export_to (f->store, levels, TRUE, OMNI_EXPORT_FORMAT_SHOPIFY);

  copy = omni_store_open (copy_path, &error);
  g_assert_no_error (error);
  back = omni_import_file (copy, shopify, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_errors, ==, 0);
  g_assert_cmpuint (back->variants_created, ==, 16 + 95 + 22);
  copied = describe_catalog (copy);
  g_assert_cmpstr (copied, ==, original);

  /* Importing the levels export changes nothing: the quantities agree. */
  g_clear_pointer (&back, omni_import_result_free);
  back = omni_import_file (copy, levels, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_errors, ==, 0);
  g_assert_cmpuint (back->quantity_changes, ==, 0);

  copy2 = omni_store_open (copy2_path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&back, omni_import_result_free);
  back = omni_import_file (copy2, generic, &generic_format, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_errors, ==, 0);
  g_clear_pointer (&copied, g_free);
  copied = describe_catalog (copy2);
  g_assert_cmpstr (copied, ==, original);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/import/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("shopify-legacy-template", test_shopify_legacy);
  ADD ("search-in-title-order", test_search_in_title_order);
  ADD ("search-renumbered-by-import", test_search_renumbered_by_import);
  ADD ("search-bunched-import", test_search_bunched_import);
  ADD ("shopify-2023-template", test_shopify_2023);
  ADD ("shopify-admin-export", test_shopify_export_fixture);
  ADD ("shopify-inventory", test_shopify_inventory_fixture);
  ADD ("woocommerce", test_woocommerce);
  ADD ("reimport-idempotent", test_reimport_idempotent);
  ADD ("update", test_update_changes);
  ADD ("bad-input", test_bad_input);
  ADD ("bad-against-store", test_bad_against_store);
  ADD ("skip-invalid-rows", test_skip_invalid_rows);
  ADD ("missing-column", test_missing_column);
  ADD ("unknown-format", test_unknown_format);
  ADD ("over-long-field", test_over_long_field);
  ADD ("invalid-encoding", test_invalid_encoding);
  ADD ("binary-and-long-line", test_binary_and_long_line);
  ADD ("windows-1252", test_windows_1252);
  ADD ("dry-run", test_dry_run);
  ADD ("cancel", test_cancel);
  ADD ("bounds", test_bounds);
  ADD ("generic-mapping", test_generic_mapping);
  ADD ("export-round-trip", test_export_round_trip);

  return g_test_run ();
}
