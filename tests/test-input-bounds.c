/* test-input-bounds.c: untrusted input past its bound is refused in words,
 * and changes nothing
 *
 * The bounds tested elsewhere: CSV fields, rows and files (test-csv,
 * test-import), webhook bodies over 1 MiB (test-webhook), HTTP answers over
 * the client's limit (test-faults), count scans (test-count), search text
 * (test-catalog). Here: the scans of receiving and purchase drafts, and the
 * product texts a user types.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-channel.h"
#include "omni-store-purchasing.h"
#include "omni-text.h"

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     variant;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Bounded Jar" };
  const OmniVariantSpec variant = {
    .sku = "JAR", .barcode = "4006381333931", .price = 1200, .compare_at_price = -1, .cost = 500,
    .reorder_point = -1, .reorder_qty = -1,
  };

  f->dir = g_dir_make_tmp ("omni-bounds-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &f->variant, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
create_po (Fixture *f,
           gint64   quantity)
{
  g_autoptr(GError) error = NULL;
  const OmniSupplierSpec supplier = { .name = "Bounded Supplier", .lead_time_days = 3 };
  const OmniPurchaseLineSpec line = { f->variant, quantity, 500 };
  OmniPurchaseOrderSpec spec = { .lines = &line, .n_lines = 1, .actor = "test" };
  gint64 po;

  spec.supplier_id = omni_store_add_supplier (f->store, &supplier, &error);
  g_assert_no_error (error);
  po = omni_store_create_purchase_order (f->store, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (po, >, 0);
  return po;
}

static gint64
po_units (Fixture *f,
          gint64   po)
{
  g_autoptr(GPtrArray) lines = omni_store_get_purchase_lines (f->store, po, NULL);
  gint64 units = 0;

  g_assert_nonnull (lines);
  for (guint i = 0; i < lines->len; i++)
    units += ((OmniPurchaseLine *)lines->pdata[i])->quantity;
  return units;
}

/* A scan longer than any barcode or SKU, at the draft and at receiving. */
static void
test_purchase_scans (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_code = g_strnfill (256, '4');
  g_autofree char *edge_code = g_strnfill (255, '4');
  OmniReceiveResult result = { 0 };
  gint64 po = create_po (f, 4);

  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, long_code, NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A scanned code must be 1 to 255 bytes long");
  g_clear_error (&error);
  g_assert_cmpint (po_units (f, po), ==, 4);
  /* At the bound it is looked up (and not found), not refused for length. */
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, edge_code, NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "4006381333931", NULL, &error), ==, 5);
  g_assert_no_error (error);

  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_no_error (error);
  g_assert_false (omni_store_receive_purchase_scan (f->store, po, f->shop, long_code, "test", "test",
                                                    &result, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A scanned code must be 1 to 255 bytes long");
  g_clear_error (&error);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 0);
  g_assert_cmpint (omni_store_get_incoming (f->store, f->variant, NULL), ==, 5);

  /* The same scan, short: one unit in. */
  g_assert_true (omni_store_receive_purchase_scan (f->store, po, f->shop, "4006381333931", "test",
                                                   "test", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 1);
  g_free (result.status);
  g_free (result.operation);
}

/* Text a merchant types: one line at most 255 bytes, a description 64 KiB. */
static void
test_product_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_title = g_strnfill (OMNI_TEXT_MAX_LINE + 1, 'T');
  g_autofree char *long_body = g_strnfill (OMNI_TEXT_MAX_BODY + 1, 'b');
  g_autofree char *long_vendor = g_strnfill (OMNI_TEXT_MAX_LINE + 1, 'v');
  const OmniVariantSpec variant = {
    .sku = "CUP", .price = 900, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  OmniStoreStats before = { 0 }, after = { 0 };
  gint64 id = 0;

  g_assert_true (omni_store_get_stats (f->store, &before, &error));
  {
    const OmniProductSpec product = { .title = long_title };

    g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), ==, 0);
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "Title is too long (256 bytes; at most 255)");
    g_clear_error (&error);
  }
  {
    const OmniProductSpec product = { .title = "Cup", .body = long_body };

    g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), ==, 0);
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "Description is too long (65537 bytes; at most 65536)");
    g_clear_error (&error);
  }
  {
    const OmniProductSpec product = { .title = "Cup", .vendor = long_vendor };

    g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), ==, 0);
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "Vendor is too long (256 bytes; at most 255)");
    g_clear_error (&error);
  }
  g_assert_true (omni_store_get_stats (f->store, &after, &error));
  g_assert_cmpint (after.products, ==, before.products);
  g_assert_cmpint (after.variants, ==, before.variants);
  g_assert_cmpint (omni_store_find_variant (f->store, "CUP", NULL), ==, 0);
  omni_store_stats_clear (&before);
  omni_store_stats_clear (&after);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/omni/input-bounds/purchase-scans", Fixture, NULL, fixture_set_up,
              test_purchase_scans, fixture_tear_down);
  g_test_add ("/omni/input-bounds/product-text", Fixture, NULL, fixture_set_up,
              test_product_text, fixture_tear_down);
  return g_test_run ();
}
