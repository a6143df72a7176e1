/* test-ledger.c: catalog writers, the movement ledger and its invariant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "omni-db.h"
#include "omni-store.h"
#include "test-store-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     cellar;
  gint64     tee_s;
  gint64     tee_m;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec tee = {
    .title = "Organic Tee", .vendor = "Fernwood", .product_type = "Apparel",
    .tags = "cotton, summer", .option_names = { "Size" },
  };
  const OmniVariantSpec sizes[] = {
    { .sku = "TEE-S", .barcode = "4006381333931", .options = { "S" }, .price = 2500,
      .compare_at_price = -1, .cost = 1000, .reorder_point = 3, .reorder_qty = 10 },
    { .sku = "TEE-M", .options = { "M" }, .price = 2500, .compare_at_price = -1,
      .cost = 250, .reorder_point = -1, .reorder_qty = -1 },
  };
  g_autoptr(GError) error = NULL;
  gint64 ids[2] = { 0 };

  f->dir = g_dir_make_tmp ("omni-ledger-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->cellar = omni_store_add_location (f->store, "Cellar", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &tee, sizes, 2, ids, &error), >, 0);
  g_assert_no_error (error);
  f->tee_s = ids[0];
  f->tee_m = ids[1];
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

/* The helpers below open a second connection to the store's database,
 * behind the store's back, on either backend. */
static OmniDb *
raw_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = NULL;
  OmniDb *db;

  if (test_store_is_postgresql ())
    {
      db = omni_db_open_postgresql (f->path, &error);
      g_assert_no_error (error);
      return db;
    }
  g_assert_cmpint (sqlite3_open (f->path, &handle), ==, SQLITE_OK);
  return omni_db_new_sqlite (handle);
}

static gint64
count_rows (Fixture    *f,
            const char *table)
{
  g_autofree char *sql = g_strconcat ("SELECT count(*) FROM ", table, NULL);
  OmniDb *db = raw_open (f);
  OmniDbStmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (omni_db_prepare (db, sql, &stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  n = omni_db_column_int64 (stmt, 0);
  omni_db_finalize (stmt);
  omni_db_close (db);
  return n;
}

/* The primary result code, as sqlite3_exec() gives it. */
static int
raw_exec (Fixture    *f,
          const char *sql)
{
  OmniDb *db = raw_open (f);
  int rc;

  rc = omni_db_exec (db, sql) & 0xff;
  omni_db_close (db);
  return rc;
}

static void
receive (Fixture    *f,
         gint64      variant,
         gint64      location,
         gint64      quantity,
         const char *op_id)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = {
    .variant_id = variant, .location_id = location, .on_hand_delta = quantity,
    .reason = OMNI_REASON_RECEIVED, .source = "test", .op_id = op_id,
  };

  g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  g_assert_no_error (error);
}

static void
test_product_created (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (omni_store_find_variant (f->store, "TEE-M", &error), ==, f->tee_m);
  g_assert_cmpint (omni_store_find_variant (f->store, "4006381333931", &error), ==, f->tee_s);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_variant (f->store, "NOPE", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE"));

  g_assert_cmpint (count_rows (f, "products"), ==, 1);
  g_assert_cmpint (count_rows (f, "product_options"), ==, 1);
  g_assert_cmpint (count_rows (f, "variants"), ==, 2);
  g_assert_cmpint (count_rows (f, "search_index"), ==, 2);
}

typedef struct
{
  const char *name;
  OmniProductSpec product;
  OmniVariantSpec variant;
  OmniStoreError code;
  const char *phrase;
} BadProduct;

static void
test_bad_products_change_nothing (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *long_title = g_strnfill (300, 'x');
  const BadProduct cases[] = {
    { "empty title", { .title = "  " }, { .sku = "A1" },
      OMNI_STORE_ERROR_INVALID, "Title is required" },
    { "long title", { .title = long_title }, { .sku = "A1" },
      OMNI_STORE_ERROR_INVALID, "Title is too long" },
    { "bad utf-8", { .title = "Caf\xc3\x28" }, { .sku = "A1" },
      OMNI_STORE_ERROR_INVALID, "Title is not valid UTF-8" },
    { "duplicate option", { .title = "Mug", .option_names = { "Colour", "Colour" } },
      { .sku = "A1", .options = { "Red", "Blue" } },
      OMNI_STORE_ERROR_INVALID, "Option name “Colour” is used twice" },
    { "option gap", { .title = "Mug", .option_names = { NULL, "Colour" } },
      { .sku = "A1", .options = { NULL, "Red" } },
      OMNI_STORE_ERROR_INVALID, "Option 2 is set but option 1 is empty" },
    { "missing value", { .title = "Mug", .option_names = { "Colour" } },
      { .sku = "A1" }, OMNI_STORE_ERROR_INVALID, "Variant 1 (A1): Option 1 needs a value" },
    { "negative price", { .title = "Mug" }, { .sku = "A1", .price = -5 },
      OMNI_STORE_ERROR_INVALID, "Price cannot be negative" },
    { "bad status", { .title = "Mug", .status = "deleted" }, { .sku = "A1" },
      OMNI_STORE_ERROR_INVALID, "Status must be active, draft or archived" },
    { "duplicate sku", { .title = "Mug" }, { .sku = "TEE-S" },
      OMNI_STORE_ERROR_CONFLICT, "SKU “TEE-S” is already used" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case: %s", cases[i].name);
      g_assert_cmpint (omni_store_create_product (f->store, &cases[i].product,
                                                  &cases[i].variant, 1, NULL, &error), ==, 0);
      g_assert_error (error, OMNI_STORE_ERROR, (int)cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].phrase));

      g_assert_cmpint (count_rows (f, "products"), ==, 1);
      g_assert_cmpint (count_rows (f, "variants"), ==, 2);
      g_assert_cmpint (count_rows (f, "search_index"), ==, 2);
    }
}

static void
test_handles_are_unique (Fixture       *f,
                         gconstpointer  data)
{
  const OmniProductSpec first = { .title = "Café Crème Mug" };
  const OmniProductSpec explicit_dup = { .title = "Other", .handle = "cafe-creme-mug" };
  const OmniVariantSpec v1 = { .sku = "MUG-1" }, v2 = { .sku = "MUG-2" }, v3 = { .sku = "MUG-3" };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (omni_store_create_product (f->store, &first, &v1, 1, NULL, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (f->store, &first, &v2, 1, NULL, &error), >, 0);
  g_assert_no_error (error);
  /* A handle the caller chose is never renamed behind its back. */
  g_assert_cmpint (omni_store_create_product (f->store, &explicit_dup, &v3, 1, NULL, &error),
                   ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "cafe-creme-mug"));
  g_assert_cmpint (count_rows (f, "products"), ==, 3);
}

static void
assert_level (Fixture *f,
              gint64   variant,
              gint64   location,
              gint64   on_hand,
              gint64   committed)
{
  OmniDb *db = raw_open (f);
  OmniDbStmt *stmt = NULL;

  g_assert_cmpint (omni_db_prepare (db,
                                    "SELECT on_hand, committed, available FROM stock_levels"
                                    " WHERE variant_id = ?1 AND location_id = ?2",
                                    &stmt), ==, SQLITE_OK);
  omni_db_bind_int64 (stmt, 1, variant);
  omni_db_bind_int64 (stmt, 2, location);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, on_hand);
  g_assert_cmpint (omni_db_column_int64 (stmt, 1), ==, committed);
  g_assert_cmpint (omni_db_column_int64 (stmt, 2), ==, on_hand - committed);
  omni_db_finalize (stmt);
  omni_db_close (db);
}

static void
test_movements_move_levels (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniMovementSpec transfer[] = {
    { .variant_id = f->tee_s, .location_id = f->shop, .on_hand_delta = -4,
      .reason = OMNI_REASON_TRANSFER, .reference = "T-1" },
    { .variant_id = f->tee_s, .location_id = f->cellar, .on_hand_delta = 4,
      .reason = OMNI_REASON_TRANSFER, .reference = "T-1" },
    { .variant_id = f->tee_s, .location_id = f->shop, .committed_delta = 2,
      .reason = OMNI_REASON_COMMITTED },
  };

  receive (f, f->tee_s, f->shop, 10, NULL);
  g_assert_true (omni_store_record_movements (f->store, transfer, 3, &error));
  g_assert_no_error (error);

  assert_level (f, f->tee_s, f->shop, 6, 2);
  assert_level (f, f->tee_s, f->cellar, 4, 0);
  g_assert_cmpint (count_rows (f, "movements"), ==, 4);
}

static void
test_op_id_applies_once (Fixture       *f,
                         gconstpointer  data)
{
  receive (f, f->tee_m, f->shop, 5, "shopify:order:1001");
  receive (f, f->tee_m, f->shop, 5, "shopify:order:1001");
  assert_level (f, f->tee_m, f->shop, 5, 0);
  g_assert_cmpint (count_rows (f, "movements"), ==, 1);
}

static void
test_bad_batch_changes_nothing (Fixture       *f,
                                gconstpointer  data)
{
  const OmniMovementSpec batches[][2] = {
    { { .variant_id = f->tee_s, .location_id = f->shop, .on_hand_delta = 3,
        .reason = OMNI_REASON_RECEIVED },
      { .variant_id = f->tee_m, .location_id = f->shop, .on_hand_delta = 3,
        .reason = "stolen-by-pirates" } },
    { { .variant_id = f->tee_s, .location_id = f->shop, .on_hand_delta = 3,
        .reason = OMNI_REASON_RECEIVED },
      { .variant_id = 999, .location_id = f->shop, .on_hand_delta = 3,
        .reason = OMNI_REASON_RECEIVED } },
    { { .variant_id = f->tee_s, .location_id = f->shop, .on_hand_delta = 3,
        .reason = OMNI_REASON_RECEIVED },
      { .variant_id = f->tee_m, .location_id = f->shop, .on_hand_delta = 0,
        .reason = OMNI_REASON_RECEIVED } },
  };
  const char *phrases[] = {
    "Movement 2: “stolen-by-pirates” is not a known reason",
    "Movement 2: variant 999 does not exist",
    "Movement 2: the change is zero",
  };

  for (guint i = 0; i < G_N_ELEMENTS (batches); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (omni_store_record_movements (f->store, batches[i], 2, &error));
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, phrases[i]);
      g_assert_cmpint (count_rows (f, "movements"), ==, 0);
      g_assert_cmpint (count_rows (f, "stock_levels"), ==, 0);
    }
}

static void
test_ledger_is_append_only (Fixture       *f,
                            gconstpointer  data)
{
  receive (f, f->tee_s, f->shop, 7, NULL);
  g_assert_cmpint (raw_exec (f, "UPDATE movements SET on_hand_delta = 70"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (f, "DELETE FROM movements"), ==, SQLITE_CONSTRAINT);
  assert_level (f, f->tee_s, f->shop, 7, 0);
}

static void
test_check_catches_broken_level (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  OmniLedgerMismatch *m;

  receive (f, f->tee_s, f->shop, 7, NULL);
  receive (f, f->tee_m, f->cellar, 2, NULL);
  found = omni_store_check_ledger (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_cmpint (omni_store_count_levels (f->store), ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Someone edits a level behind the ledger's back. */
  g_assert_cmpint (raw_exec (f, "UPDATE stock_levels SET on_hand = on_hand + 5, committed = 1"
                                " WHERE location_id = 1"), ==, SQLITE_OK);

  found = omni_store_check_ledger (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  /* The variant's total (kept by the trigger) no longer matches its levels... */
  m = g_ptr_array_index (found, 0);
  g_assert_cmpint (m->variant_id, ==, f->tee_s);
  g_assert_cmpint (m->location_id, ==, 0);
  g_assert_cmpint (m->level_on_hand, ==, 7);
  g_assert_cmpint (m->ledger_on_hand, ==, 12);
  /* ...and the level no longer matches its movements. */
  m = g_ptr_array_index (found, 1);
  g_assert_cmpint (m->variant_id, ==, f->tee_s);
  g_assert_cmpint (m->location_id, ==, f->shop);
  g_assert_cmpstr (m->sku, ==, "TEE-S");
  g_assert_cmpstr (m->location, ==, "Shop Floor");
  g_assert_cmpint (m->level_on_hand, ==, 12);
  g_assert_cmpint (m->ledger_on_hand, ==, 7);
  g_assert_cmpint (m->level_committed, ==, 1);
  g_assert_cmpint (m->ledger_committed, ==, 0);
}

static void
test_check_catches_missing_level (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  OmniLedgerMismatch *m;

  receive (f, f->tee_m, f->cellar, 2, NULL);
  g_assert_cmpint (raw_exec (f, "DELETE FROM stock_levels"), ==, SQLITE_OK);

  found = omni_store_check_ledger (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  m = g_ptr_array_index (found, 1);
  g_assert_cmpint (m->location_id, ==, f->cellar);
  g_assert_cmpstr (m->sku, ==, "TEE-M");
  g_assert_cmpint (m->level_on_hand, ==, 0);
  g_assert_cmpint (m->ledger_on_hand, ==, 2);
}

static void
test_order_recorded_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniOrderLineSpec lines[] = {
    { .variant_id = f->tee_s, .sku = "TEE-S", .title = "Organic Tee - S", .quantity = 2,
      .price = 2500 },
    { .sku = "GIFT-CARD", .title = "Gift card", .quantity = 1, .price = 5000 },
  };
  const OmniOrderSpec order = {
    .remote_id = "1001", .name = "#1001", .location_id = f->shop,
    .lines = lines, .n_lines = 2,
  };
  gint64 first, second;

  receive (f, f->tee_s, f->shop, 10, NULL);
  first = omni_store_record_order (f->store, &order, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, 0);
  second = omni_store_record_order (f->store, &order, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, ==, first);

  assert_level (f, f->tee_s, f->shop, 8, 0);
  g_assert_cmpint (count_rows (f, "orders"), ==, 1);
  g_assert_cmpint (count_rows (f, "order_lines"), ==, 2);
  g_assert_cmpint (count_rows (f, "movements WHERE reason = 'sold'"), ==, 1);
  g_assert_cmpint (count_rows (f, "orders WHERE total = 10000"), ==, 1);
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(OmniStoreStats) stats = { 0 };

  receive (f, f->tee_s, f->shop, 2, NULL);    /* 2 ≤ reorder point 3: low */
  receive (f, f->tee_s, f->cellar, 1, NULL);  /* 3 in all: still low */
  receive (f, f->tee_m, f->shop, 3, NULL);

  g_assert_true (omni_store_get_stats (f->store, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.products, ==, 1);
  g_assert_cmpint (stats.variants, ==, 2);
  g_assert_cmpint (stats.locations, ==, 2);
  g_assert_cmpint (stats.units_on_hand, ==, 6);
  g_assert_cmpint (stats.stock_value, ==, 3 * 1000 + 3 * 250);
  g_assert_cmpint (stats.retail_value, ==, 6 * 2500);
  g_assert_cmpint (stats.low_stock, ==, 1);
  g_assert_cmpint (stats.out_of_stock, ==, 0);
  g_assert_cmpint (stats.movements, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/ledger/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("product-created", test_product_created);
  ADD ("bad-products-change-nothing", test_bad_products_change_nothing);
  ADD ("handles-are-unique", test_handles_are_unique);
  ADD ("movements-move-levels", test_movements_move_levels);
  ADD ("op-id-applies-once", test_op_id_applies_once);
  ADD ("bad-batch-changes-nothing", test_bad_batch_changes_nothing);
  ADD ("append-only", test_ledger_is_append_only);
  ADD ("check-catches-broken-level", test_check_catches_broken_level);
  ADD ("check-catches-missing-level", test_check_catches_missing_level);
  ADD ("order-recorded-once", test_order_recorded_once);
  ADD ("stats", test_stats);

#undef ADD

  return g_test_run ();
}
