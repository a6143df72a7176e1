/* test-report.c: report figures against hand-computed expectations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-report.h"

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
} Fixture;

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
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
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop", TRUE, &error);
  f->back = omni_store_add_location (f->store, "Back", FALSE, &error);
  g_assert_cmpint (omni_store_create_product (f->store, &mug, mugs, 2, ids, &error), >, 0);
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
  ADD ("value-by-type", test_value_by_type);
  g_test_add_func ("/omni/report/normalize-time", test_normalize_time);

#undef ADD

  return g_test_run ();
}
