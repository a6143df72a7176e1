/* test-report.c: report figures against hand-computed expectations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-count.h"
#include "omni-store-generate.h"
#include "omni-store-report.h"
#include "test-store-util.h"

#define DAY_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     back;
  gint64     mug_red;
  gint64     mug_blue;
  gint64     tee;
  gint64     mug_red_product;
} Fixture;

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

/* Runs @sql on the store's database behind the store's back. */
static void
raw_exec (const char *location,
          const char *sql)
{
  if (test_store_is_postgresql ())
    {
      PGconn *conn = PQconnectdb (location);
      PGresult *result;

      g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
      result = PQexec (conn, sql);
      g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (location, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
}

static void
move (Fixture    *f,
      gint64      variant,
      gint64      location,
      gint64      delta,
      const char *reason,
      gint64      time_us)
{
  g_autoptr(GError) error = NULL;
  const OmniMovementSpec m = {
    .variant_id = variant, .location_id = location, .on_hand_delta = delta,
    .reason = reason, .time_us = time_us,
  };

  g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  g_assert_no_error (error);
}

static void
order (Fixture                 *f,
       const char              *name,
       const OmniOrderLineSpec *lines,
       guint                    n_lines,
       gint64                   time_us)
{
  g_autoptr(GError) error = NULL;
  const OmniOrderSpec spec = {
    .remote_id = name, .name = name, .location_id = f->shop, .lines = lines,
    .n_lines = n_lines, .placed_us = time_us,
  };

  g_assert_cmpint (omni_store_record_order (f->store, &spec, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec mug = { .title = "Mug", .vendor = "Kiln", .product_type = "Home",
                                .option_names = { "Colour" } };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG-R", .options = { "Red" }, .price = 1000, .cost = 400,
      .compare_at_price = -1, .reorder_point = 5, .reorder_qty = 12 },
    { .sku = "MUG-B", .options = { "Blue" }, .price = 1200, .cost = 500,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniProductSpec tee = { .title = "Tee", .vendor = "Fernwood", .product_type = "Apparel" };
  const OmniVariantSpec tees[] = {
    { .sku = "TEE", .price = 2500, .cost = 1000, .compare_at_price = -1, .reorder_point = 3,
      .reorder_qty = -1 },
  };
  g_autoptr(GError) error = NULL;
  gint64 ids[2];

  f->dir = g_dir_make_tmp ("omni-report-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop", TRUE, &error);
  f->back = omni_store_add_location (f->store, "Back", FALSE, &error);
  g_assert_cmpint ((f->mug_red_product = omni_store_create_product (f->store, &mug, mugs, 2, ids,
                                                                   &error)), >, 0);
  f->mug_red = ids[0];
  f->mug_blue = ids[1];
  g_assert_cmpint (omni_store_create_product (f->store, &tee, tees, 1, &f->tee, &error), >, 0);
  g_assert_no_error (error);
}

/* A fixed October: stock in, a shelf refill, two till orders, a breakage. */
static void
load_october (Fixture *f)
{
  const OmniOrderLineSpec first[] = {
    { .variant_id = f->mug_red, .sku = "MUG-R", .title = "Mug - Red", .quantity = 2,
      .price = 1000 },
    { .variant_id = f->tee, .sku = "TEE", .title = "Tee", .quantity = 1, .price = 2500 },
  };
  const OmniOrderLineSpec second[] = {
    { .variant_id = f->mug_red, .sku = "MUG-R", .title = "Mug - Red", .quantity = 3,
      .price = 1000 },
  };

  move (f, f->mug_red, f->shop, 20, "received", at ("2026-10-01T09:00:00Z"));
  move (f, f->mug_blue, f->shop, 10, "received", at ("2026-10-01T09:00:00Z"));
  move (f, f->tee, f->back, 8, "received", at ("2026-10-01T09:00:00Z"));
  move (f, f->tee, f->back, -3, "transfer", at ("2026-10-05T12:00:00Z"));
  move (f, f->tee, f->shop, 3, "transfer", at ("2026-10-05T12:00:00Z"));
  order (f, "#1001", first, 2, at ("2026-10-10T10:00:00Z"));
  order (f, "#1002", second, 1, at ("2026-10-20T10:00:00Z"));
  move (f, f->mug_blue, f->shop, -1, "damaged", at ("2026-11-02T10:00:00Z"));
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

static OmniValuationRow *
find_valuation (GPtrArray  *rows,
                const char *sku,
                const char *location)
{
  for (guint i = 0; i < rows->len; i++)
    {
      OmniValuationRow *row = rows->pdata[i];

      if (g_str_equal (row->sku, sku) && g_strcmp0 (row->location, location) == 0)
        return row;
    }
  g_assert_not_reached ();
}

static void
test_valuation_now_and_past (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) now = NULL;
  g_autoptr(GPtrArray) early = NULL;
  g_autoptr(GPtrArray) by_location = NULL;
  OmniValuationTotals totals = { 0 };

  load_october (f);

  /* Now: MUG-R 15 × 4.00, MUG-B 9 × 5.00, TEE 7 × 10.00. */
  now = omni_report_valuation (f->store, NULL, FALSE, &totals, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (now->len, ==, 3);
  g_assert_cmpint (totals.units, ==, 31);
  g_assert_cmpint (totals.cost_value, ==, 6000 + 4500 + 7000);
  g_assert_cmpint (totals.retail_value, ==, 15000 + 10800 + 17500);
  g_assert_cmpint (find_valuation (now, "MUG-R", NULL)->quantity, ==, 15);

  /* At the end of 4 October: before the refill and every sale. */
  early = omni_report_valuation (f->store, "2026-10-04", FALSE, &totals, &error);
  g_assert_no_error (error);
  g_assert_cmpint (totals.units, ==, 38);
  g_assert_cmpint (totals.cost_value, ==, 8000 + 5000 + 8000);
  g_assert_cmpint (totals.retail_value, ==, 20000 + 12000 + 20000);
  g_assert_cmpint (find_valuation (early, "TEE", NULL)->quantity, ==, 8);

  /* A time within a day counts the movements before it only. */
  g_clear_pointer (&early, g_ptr_array_unref);
  early = omni_report_valuation (f->store, "2026-10-05T11:59:59Z", TRUE, &totals, &error);
  g_assert_cmpint (find_valuation (early, "TEE", "Back")->quantity, ==, 8);

  by_location = omni_report_valuation (f->store, NULL, TRUE, &totals, &error);
  g_assert_cmpint (find_valuation (by_location, "TEE", "Shop")->quantity, ==, 2);
  g_assert_cmpint (find_valuation (by_location, "TEE", "Back")->quantity, ==, 5);
  g_assert_cmpint (find_valuation (by_location, "TEE", "Back")->cost_value, ==, 5000);

  g_assert_null (omni_report_valuation (f->store, "2026-13-01", FALSE, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
}

static void
test_sales (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniReportRange october = { "2026-10-01", "2026-11-01" };
  const OmniReportRange few_days = { "2026-10-09", "2026-10-12" };
  const OmniReportRange backwards = { "2026-11-01", "2026-10-01" };
  g_autoptr(GPtrArray) by_variant = NULL;
  g_autoptr(GPtrArray) by_day = NULL;
  g_autoptr(GPtrArray) by_channel = NULL;
  OmniSalesRow *row;

  load_october (f);

  by_variant = omni_report_sales (f->store, &october, OMNI_SALES_BY_VARIANT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_variant->len, ==, 2);
  row = by_variant->pdata[0];
  g_assert_cmpstr (row->key, ==, "MUG-R");
  g_assert_cmpstr (row->label, ==, "Mug — Red");
  g_assert_cmpint (row->units, ==, 5);
  g_assert_cmpint (row->revenue, ==, 5000);
  g_assert_cmpint (row->orders, ==, 2);
  row = by_variant->pdata[1];
  g_assert_cmpstr (row->key, ==, "TEE");
  /* No options: the product title alone, no dangling dash. */
  g_assert_cmpstr (row->label, ==, "Tee");
  g_assert_cmpint (row->revenue, ==, 2500);

  by_day = omni_report_sales (f->store, &few_days, OMNI_SALES_BY_DAY, &error);
  g_assert_cmpuint (by_day->len, ==, 3);
  g_assert_cmpstr (((OmniSalesRow *)by_day->pdata[0])->key, ==, "2026-10-09");
  g_assert_cmpint (((OmniSalesRow *)by_day->pdata[0])->units, ==, 0);
  g_assert_cmpstr (((OmniSalesRow *)by_day->pdata[1])->key, ==, "2026-10-10");
  g_assert_cmpint (((OmniSalesRow *)by_day->pdata[1])->units, ==, 3);
  g_assert_cmpint (((OmniSalesRow *)by_day->pdata[1])->revenue, ==, 4500);
  g_assert_cmpint (((OmniSalesRow *)by_day->pdata[2])->units, ==, 0);

  by_channel = omni_report_sales (f->store, &october, OMNI_SALES_BY_CHANNEL, &error);
  g_assert_cmpuint (by_channel->len, ==, 1);
  g_assert_cmpstr (((OmniSalesRow *)by_channel->pdata[0])->label, ==, "Shop");
  g_assert_cmpint (((OmniSalesRow *)by_channel->pdata[0])->units, ==, 6);
  g_assert_cmpint (((OmniSalesRow *)by_channel->pdata[0])->orders, ==, 2);

  g_assert_null (omni_report_sales (f->store, &backwards, OMNI_SALES_BY_DAY, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "is after the end"));
}

static void
test_movements_in_range (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniReportRange refill = { "2026-10-05", "2026-10-06" };
  const OmniReportRange all = { NULL, NULL };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) sold = NULL;

  load_october (f);
  rows = omni_report_movements (f->store, &refill, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((OmniMovement *)rows->pdata[0])->sku, ==, "TEE");
  g_assert_cmpstr (((OmniMovement *)rows->pdata[0])->location, ==, "Back");
  g_assert_cmpint (((OmniMovement *)rows->pdata[0])->on_hand_delta, ==, -3);
  g_assert_cmpint (((OmniMovement *)rows->pdata[1])->on_hand_delta, ==, 3);

  sold = omni_report_movements (f->store, &all, "sold", &error);
  g_assert_cmpuint (sold->len, ==, 3);
}

static OmniReorderRow *
find_reorder (GPtrArray  *rows,
              const char *sku)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((OmniReorderRow *)rows->pdata[i])->sku, sku))
      return rows->pdata[i];
  return NULL;
}

static void
test_reorder_and_slow_movers (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) slow = NULL;
  gint64 now = g_get_real_time ();
  OmniReorderRow *row;

  move (f, f->mug_red, f->shop, 20, "received", now - 40 * DAY_US);
  move (f, f->mug_blue, f->shop, 10, "received", now - 40 * DAY_US);
  move (f, f->tee, f->shop, 4, "received", now - 40 * DAY_US);
  move (f, f->mug_red, f->shop, -14, "sold", now - 10 * DAY_US);
  move (f, f->mug_red, f->shop, 2, "returned", now - 9 * DAY_US);
  move (f, f->mug_red, f->shop, -9, "sold", now - 35 * DAY_US);   /* outside the window */
  move (f, f->mug_red, f->shop, 9, "received", now - 34 * DAY_US);
  move (f, f->tee, f->shop, -2, "sold", now - 3 * DAY_US);

  /* TEE: 2 left ≤ point 3: due. 2 sold in 30 days: cover 30 days,
   * suggestion 3 − 2 + 2 = 3. */
  due = omni_report_reorder (f->store, 30, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  row = due->pdata[0];
  g_assert_cmpstr (row->sku, ==, "TEE");
  g_assert_cmpint (row->available, ==, 2);
  g_assert_cmpint (row->units_sold, ==, 2);
  g_assert_cmpfloat_with_epsilon (row->days_of_cover, 30.0, 1e-9);
  g_assert_cmpint (row->suggested, ==, 3);

  /* MUG-R: 8 left, 12 sold net in the window (0.4 a day, 20 days of
   * cover); 5 − 8 + 12 = 9, raised to its reorder quantity 12.
   * MUG-B: nothing sells: no cover figure, nothing suggested. */
  all = omni_report_reorder (f->store, 30, FALSE, &error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (((OmniReorderRow *)all->pdata[0])->sku, ==, "MUG-R");
  g_assert_cmpstr (((OmniReorderRow *)all->pdata[1])->sku, ==, "TEE");
  row = find_reorder (all, "MUG-R");
  g_assert_cmpint (row->available, ==, 8);
  g_assert_cmpint (row->units_sold, ==, 12);
  g_assert_cmpfloat_with_epsilon (row->daily_sales, 0.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (row->days_of_cover, 20.0, 1e-9);
  g_assert_cmpint (row->suggested, ==, 12);
  row = find_reorder (all, "MUG-B");
  g_assert_cmpfloat (row->days_of_cover, ==, -1);
  g_assert_cmpint (row->suggested, ==, 0);
  g_assert_cmpint (row->reorder_point, ==, -1);

  slow = omni_report_slow_movers (f->store, 30, 2, &error);
  g_assert_cmpuint (slow->len, ==, 2);
  g_assert_cmpstr (((OmniReorderRow *)slow->pdata[0])->sku, ==, "MUG-B");
  g_assert_cmpstr (((OmniReorderRow *)slow->pdata[1])->sku, ==, "TEE");

  g_assert_null (omni_report_reorder (f->store, 0, TRUE, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
}

static void
test_sales_by_day_and_channel (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const OmniReportRange october = { "2026-10-01", "2026-11-01" };
  const OmniReportRange late = { "2026-10-15", "2026-11-01" };
  OmniSalesRow *row;

  load_october (f);
  rows = omni_report_sales_by_day_and_channel (f->store, &october, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  row = rows->pdata[0];
  g_assert_cmpstr (row->key, ==, "2026-10-10");
  g_assert_cmpstr (row->label, ==, "Shop");
  g_assert_cmpint (row->units, ==, 3);
  g_assert_cmpint (row->revenue, ==, 2 * 1000 + 2500);
  g_assert_cmpint (row->orders, ==, 1);
  row = rows->pdata[1];
  g_assert_cmpstr (row->key, ==, "2026-10-20");
  g_assert_cmpint (row->units, ==, 3);
  g_assert_cmpint (row->revenue, ==, 3000);

  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = omni_report_sales_by_day_and_channel (f->store, &late, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
}

/* A reorder quantity is how much to order once ordering is due; stock well
 * above the point with nothing selling suggests nothing. */
static void
test_reorder_quantity_needs_a_need (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 now = g_get_real_time ();
  OmniReorderRow *row;

  move (f, f->mug_red, f->shop, 20, "received", now - 40 * DAY_US);
  all = omni_report_reorder (f->store, 30, FALSE, &error);
  g_assert_no_error (error);
  row = find_reorder (all, "MUG-R");
  g_assert_nonnull (row);
  g_assert_cmpint (row->available, ==, 20);
  g_assert_cmpint (row->reorder_qty, ==, 12);
  g_assert_cmpint (row->suggested, ==, 0);

  /* 17 sold in the window: 5 − 3 + 17 = 19, above the reorder quantity. */
  move (f, f->mug_red, f->shop, -17, "sold", now - 2 * DAY_US);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = omni_report_reorder (f->store, 30, FALSE, &error);
  g_assert_no_error (error);
  row = find_reorder (all, "MUG-R");
  g_assert_cmpint (row->suggested, ==, 19);
}

static void
test_value_by_type (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  OmniValueGroup *group;

  load_october (f);
  groups = omni_report_value_by (f->store, "product_type", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  group = groups->pdata[0];
  g_assert_cmpstr (group->label, ==, "Home");
  g_assert_cmpint (group->units, ==, 24);
  g_assert_cmpint (group->cost_value, ==, 10500);
  group = groups->pdata[1];
  g_assert_cmpstr (group->label, ==, "Apparel");
  g_assert_cmpint (group->cost_value, ==, 7000);

  g_assert_null (omni_report_value_by (f->store, "colour", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
}


/* The kept totals (schema 4) equal a recomputation after every kind of
 * change, and a broken one is reported. */
static void
assert_aggregates_exact (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = omni_store_check_ledger (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("mismatch: %s", ((OmniLedgerMismatch *)found->pdata[i])->location);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_aggregates_follow_changes (Fixture       *f,
                                gconstpointer  data)
{
  const OmniAdjustOptions options = { .actor = "test" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autofree char *op = NULL;
  g_autofree char *undone = NULL;
  g_auto(OmniStoreStats) stats = { 0 };
  gint64 n_due = -1;

  assert_aggregates_exact (f);
  load_october (f);
  assert_aggregates_exact (f);

  /* Mug red 20 - 5 sold = 15 at 400/1000; blue 9 at 500/1200; tee 8 - 1 = 7
   * at 1000/2500. */
  g_assert_true (omni_store_get_stats (f->store, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.products, ==, 2);
  g_assert_cmpint (stats.variants, ==, 3);
  g_assert_cmpint (stats.units_on_hand, ==, 31);
  g_assert_cmpint (stats.stock_value, ==, 15 * 400 + 9 * 500 + 7 * 1000);
  g_assert_cmpint (stats.retail_value, ==, 15 * 1000 + 9 * 1200 + 7 * 2500);
  g_assert_cmpint (stats.orders, ==, 2);
  g_assert_cmpint (stats.low_stock, ==, 0);
  omni_store_stats_clear (&stats);

  op = omni_store_transfer (f->store, f->tee, f->back, f->shop, 2, &options, &error);
  g_assert_no_error (error);
  assert_aggregates_exact (f);
  undone = omni_store_undo (f->store, op, "test", &error);
  g_assert_no_error (error);
  assert_aggregates_exact (f);

  /* The tee falls to its reorder point of 3. */
  move (f, f->tee, f->back, -4, "damaged", g_get_real_time ());
  assert_aggregates_exact (f);
  g_assert_true (omni_store_get_stats (f->store, &stats, &error));
  g_assert_cmpint (stats.low_stock, ==, 1);
  omni_store_stats_clear (&stats);
  due = omni_report_reorder_top (f->store, 30, 8, &n_due, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_due, ==, 1);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpint (((OmniReorderRow *)due->pdata[0])->variant_id, ==, f->tee);

  /* A shop default puts the blue mug (9, no point of its own) at or below 10. */
  g_assert_true (omni_store_set_setting (f->store, "default_reorder_point", "10", &error));
  assert_aggregates_exact (f);
  g_assert_true (omni_store_get_stats (f->store, &stats, &error));
  g_assert_cmpint (stats.low_stock, ==, 2);
  omni_store_stats_clear (&stats);

  g_assert_true (omni_store_set_reorder_point (f->store, &f->mug_red, 1, 20, -1, &error));
  g_assert_no_error (error);
  assert_aggregates_exact (f);
  g_assert_true (omni_store_set_variants_archived (f->store, &f->mug_blue, 1, TRUE, &error));
  g_assert_no_error (error);
  assert_aggregates_exact (f);

  groups = omni_report_value_by (f->store, "vendor", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  g_assert_cmpstr (((OmniValueGroup *)groups->pdata[0])->label, ==, "Kiln");
  g_assert_cmpint (((OmniValueGroup *)groups->pdata[0])->cost_value, ==, 15 * 400);
  g_assert_cmpint (((OmniValueGroup *)groups->pdata[1])->cost_value, ==, 3 * 1000);
  g_clear_pointer (&groups, g_ptr_array_unref);

  g_assert_true (omni_store_set_product_archived (f->store, f->mug_red_product, TRUE, &error));
  g_assert_no_error (error);
  assert_aggregates_exact (f);
  groups = omni_report_value_by (f->store, "vendor", &error);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpstr (((OmniValueGroup *)groups->pdata[0])->label, ==, "Fernwood");
  g_assert_true (omni_store_set_product_archived (f->store, f->mug_red_product, FALSE, &error));
  assert_aggregates_exact (f);

  /* An edit of price and cost, a restore, and a committed count. */
  {
    const OmniVariantSpec blue = { .sku = "MUG-B", .options = { "Blue" }, .price = 1300,
                                   .cost = 550, .compare_at_price = -1, .reorder_point = -1,
                                   .reorder_qty = -1 };
    g_autofree char *counted = NULL;
    gint64 session;

    g_assert_true (omni_store_set_variants_archived (f->store, &f->mug_blue, 1, FALSE, &error));
    g_assert_true (omni_store_update_variant (f->store, f->mug_blue, &blue, &error));
    g_assert_no_error (error);
    assert_aggregates_exact (f);
    session = omni_store_count_start (f->store, f->shop, "all", NULL, "test", &error);
    g_assert_no_error (error);
    g_assert_true (omni_store_count_set_line (f->store, session, f->mug_blue, 4, &error));
    g_assert_no_error (error);
    counted = omni_store_count_commit (f->store, session, "test", &error);
    g_assert_no_error (error);
    g_assert_nonnull (counted);
    assert_aggregates_exact (f);
    g_assert_true (omni_store_get_stats (f->store, &stats, &error));
    g_assert_cmpint (stats.variants, ==, 3);
    /* Counting the whole shop zeroes what was not counted there: the red
     * mug (all at the shop) is out, the tee keeps the 1 in the back. */
    g_assert_cmpint (stats.out_of_stock, ==, 1);
    g_assert_cmpint (stats.units_on_hand, ==, 4 + 1);
    g_assert_cmpint (stats.stock_value, ==, 4 * 550 + 1 * 1000);
    omni_store_stats_clear (&stats);
  }

  /* Break one kept figure behind the triggers' back: the check names it. */
  raw_exec (f->path, "UPDATE stock_aggregates SET units = units + 1"
                    " WHERE grouping = 'vendor' AND label = 'Kiln'");
  found = omni_store_check_ledger (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((OmniLedgerMismatch *)found->pdata[0])->location_id, ==, -1);
  g_assert_cmpstr (((OmniLedgerMismatch *)found->pdata[0])->location, ==,
                   "stock totals of vendor “Kiln”: units");
  g_assert_cmpint (((OmniLedgerMismatch *)found->pdata[0])->level_on_hand, ==,
                   ((OmniLedgerMismatch *)found->pdata[0])->ledger_on_hand + 1);
}


static int
compare_slow (gconstpointer a,
              gconstpointer b)
{
  const OmniReorderRow *ra = *(OmniReorderRow * const *)a;
  const OmniReorderRow *rb = *(OmniReorderRow * const *)b;
  gint64 va = MAX (ra->available, 0) * ra->unit_cost;
  gint64 vb = MAX (rb->available, 0) * rb->unit_cost;

  if (ra->units_sold != rb->units_sold)
    return ra->units_sold < rb->units_sold ? -1 : 1;
  if (va != vb)
    return va > vb ? -1 : 1;
  return g_strcmp0 (ra->title, rb->title);
}

/* A generated shop (bulk inserts): the kept totals are exact, and the
 * dashboard's index walks give what the full computations give. */
static void
test_aggregates_generated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("omni-report-XXXXXX", NULL);
  g_autofree char *path = test_store_new_location (dir, "shop.db");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) all_due = NULL;
  g_autoptr(GPtrArray) top = NULL;
  g_autoptr(GPtrArray) every = NULL;
  g_autoptr(GPtrArray) slow = NULL;
  g_autoptr(GPtrArray) in_stock = g_ptr_array_new ();
  OmniGenerateSpec spec = { 0 };
  gint64 n_due = -1;
  gboolean ok;

  if (test_store_is_postgresql ())
    {
      g_test_skip ("The generator (omni_store_generate) writes through the SQLite API only");
      g_rmdir (dir);
      return;
    }
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  spec.variants = 1500;
  spec.locations = 3;
  spec.movements = 7500;
  spec.orders = 300;
  spec.seed = 7;
  spec.end_us = g_get_real_time ();
  ok = omni_store_generate (store, &spec, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  found = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  all_due = omni_report_reorder (store, 30, TRUE, &error);
  g_assert_no_error (error);
  top = omni_report_reorder_top (store, 30, 8, &n_due, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_due, ==, all_due->len);
  g_assert_cmpuint (all_due->len, >, 8);
  g_assert_cmpuint (top->len, ==, 8);
  for (guint i = 0; i < top->len; i++)
    {
      const OmniReorderRow *a = all_due->pdata[i];
      const OmniReorderRow *b = top->pdata[i];

      g_assert_cmpint (a->available, ==, b->available);
      g_assert_cmpfloat (a->days_of_cover, ==, b->days_of_cover);
      g_assert_cmpint (a->units_sold, ==, b->units_sold);
    }

  every = omni_report_reorder (store, 30, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < every->len; i++)
    if (((OmniReorderRow *)every->pdata[i])->available > 0)
      g_ptr_array_add (in_stock, every->pdata[i]);
  g_ptr_array_sort (in_stock, compare_slow);
  slow = omni_report_slow_movers (store, 30, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (slow->len, ==, 6);
  for (guint i = 0; i < slow->len; i++)
    {
      const OmniReorderRow *a = in_stock->pdata[i];
      const OmniReorderRow *b = slow->pdata[i];

      g_assert_cmpint (a->units_sold, ==, b->units_sold);
      g_assert_cmpint (MAX (a->available, 0) * a->unit_cost, ==,
                       MAX (b->available, 0) * b->unit_cost);
    }

  g_clear_object (&store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static void
test_normalize_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *day = omni_report_normalize_time ("2026-02-28", "--from", &error);
  g_autofree char *zoned = omni_report_normalize_time ("2026-11-25T14:30:00+02:00", "--to",
                                                       &error);

  g_assert_no_error (error);
  g_assert_cmpstr (day, ==, "2026-02-28");
  g_assert_cmpstr (zoned, ==, "2026-11-25T12:30:00.000000Z");
  g_assert_null (omni_report_normalize_time ("2026-02-30", "--from", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "--from must be a date like 2026-11-25 or a time like "
                                       "2026-11-25T14:30:00Z, not “2026-02-30”");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/report/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("valuation-now-and-past", test_valuation_now_and_past);
  ADD ("sales", test_sales);
  ADD ("movements-in-range", test_movements_in_range);
  ADD ("reorder-and-slow-movers", test_reorder_and_slow_movers);
  ADD ("sales-by-day-and-channel", test_sales_by_day_and_channel);
  ADD ("reorder-quantity-needs-a-need", test_reorder_quantity_needs_a_need);
  ADD ("value-by-type", test_value_by_type);
  ADD ("aggregates-follow-changes", test_aggregates_follow_changes);
  g_test_add_func ("/omni/report/normalize-time", test_normalize_time);
  g_test_add_func ("/omni/report/aggregates-generated", test_aggregates_generated);

#undef ADD

  return g_test_run ();
}
