/* test-top-sellers.c: the rolling per-variant sales behind the best sellers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixed October of orders (one in September, one in November, a channel
 * order refunded in part and then cancelled) against hand-computed best
 * sellers, with the window moved back and forth, and the check finding a
 * kept sum changed behind the triggers' back.
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-channel.h"
#include "omni-store-report.h"
#include "omni-store-webhook.h"

enum { A, B, C, D, N_VARIANTS };

static const char * const skus[N_VARIANTS] = { "TOP-A", "TOP-B", "TOP-C", "TOP-D" };
static const OmniMoney prices[N_VARIANTS] = { 1000, 2000, 500, 300 };

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     channel;
  gint64     variants[N_VARIANTS];
} Fixture;

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static void
order (Fixture    *f,
       gint64      channel,
       const char *remote_id,
       const char *when,
       int         v1,
       gint64      q1,
       int         v2,
       gint64      q2)
{
  g_autoptr(GError) error = NULL;
  OmniOrderLineSpec lines[2] = {
    { .variant_id = f->variants[v1], .sku = skus[v1], .title = skus[v1], .quantity = q1,
      .price = prices[v1] },
  };
  OmniOrderSpec spec = {
    .channel_id = channel, .remote_id = remote_id, .name = remote_id, .location_id = f->shop,
    .lines = lines, .n_lines = 1, .placed_us = at (when), .actor = "test",
  };

  if (v2 >= 0)
    {
      lines[1] = (OmniOrderLineSpec) { .variant_id = f->variants[v2], .sku = skus[v2],
                                       .title = skus[v2], .quantity = q2, .price = prices[v2] };
      spec.n_lines = 2;
    }
  g_assert_cmpint (omni_store_record_order (f->store, &spec, &error), >, 0);
  g_assert_no_error (error);
}

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

/* Asserts the best sellers are exactly @expected: "SKU units" pairs. */
static void
assert_top (Fixture           *f,
            const char        *until_day,
            guint              days,
            guint              limit,
            const char * const expected[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = omni_report_top_sellers (f->store, until_day, days, limit, &error);
  guint n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  for (; expected[n] != NULL; n++)
    {
      g_autofree char *got = NULL;
      const OmniSalesRow *row;

      g_assert_cmpuint (n, <, rows->len);
      row = rows->pdata[n];
      got = g_strdup_printf ("%s %" G_GINT64_FORMAT, row->key, row->units);
      g_assert_cmpstr (got, ==, expected[n]);
    }
  g_assert_cmpuint (rows->len, ==, n);
  assert_aggregates_exact (f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-top-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop", TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_VARIANTS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Item %c", 'A' + i);
      const OmniProductSpec product = { .title = title, .vendor = "Kiln", .product_type = "Home",
                                        .option_names = { "Colour" } };
      const OmniVariantSpec variant = { .sku = skus[i], .options = { "Red" }, .price = prices[i],
                                        .cost = 100, .compare_at_price = -1,
                                        .reorder_point = -1, .reorder_qty = -1 };

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1,
                                                  &f->variants[i], &error), >, 0);
      g_assert_no_error (error);
    }
  f->channel = omni_store_add_channel (f->store, "shopify", "Fern", "fern-top.myshopify.com",
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->channel, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_unlink (f->path);
  g_remove (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The window of 30 days up to 31 October is 2 October to 31 October. */
static void
load_history (Fixture *f)
{
  order (f, 0, "#S1", "2026-09-15T10:00:00Z", D, 50, -1, 0);      /* before the window */
  order (f, 0, "#S2", "2026-10-02T00:00:00Z", A, 3, B, 2);        /* its first instant */
  order (f, 0, "#S3", "2026-10-10T12:00:00Z", B, 4, C, 1);
  order (f, f->channel, "gid-1", "2026-10-20T08:00:00Z", C, 6, A, 1);
  order (f, 0, "#S4", "2026-10-31T23:59:59Z", A, 2, -1, 0);       /* its last second */
  order (f, 0, "#S5", "2026-11-01T00:00:00Z", B, 10, -1, 0);      /* the day after */
}

static void
test_fixed_history (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const october[] = { "TOP-C 7", "TOP-A 6", "TOP-B 6", NULL };
  static const char * const october_2[] = { "TOP-C 7", "TOP-A 6", NULL };
  static const char * const september[] = { "TOP-D 50", NULL };
  static const char * const mid[] = { "TOP-B 4", "TOP-C 1", NULL };
  static const char * const refunded[] = { "TOP-A 6", "TOP-B 6", "TOP-C 5", NULL };
  static const char * const cancelled[] = { "TOP-B 6", "TOP-A 5", "TOP-C 1", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const OmniRefundLineSpec refund_line = {
    .remote_line_id = "rl-1", .variant_id = f->variants[C], .quantity = 2, .restock = TRUE,
  };
  const OmniRefundSpec refund = {
    .channel_id = f->channel, .remote_id = "refund-1", .order_remote_id = "gid-1",
    .time_us = at ("2026-10-25T09:00:00Z"), .lines = &refund_line, .n_lines = 1,
    .actor = "test",
  };
  gboolean was_cancelled = FALSE;

  load_history (f);
  assert_aggregates_exact (f);

  /* A 3 + 1 + 2 = 6, B 2 + 4 = 6 (the 10 of 1 November are outside), C 1 + 6
   * = 7; D sold only in September. Equal units go by variant id (A first). */
  assert_top (f, "2026-10-31", 30, 10, october);
  assert_top (f, "2026-10-31", 30, 2, october_2);
  rows = omni_report_top_sellers (f->store, "2026-10-31", 30, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((OmniSalesRow *)rows->pdata[0])->label, ==, "Item C — Red");
  g_assert_cmpint (((OmniSalesRow *)rows->pdata[0])->revenue, ==, 7 * 500);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Back a month, a shorter window in the middle, then October again: the
   * window moves both ways and lands on the same sums. */
  assert_top (f, "2026-09-30", 30, 10, september);
  assert_top (f, "2026-10-15", 10, 10, mid);
  assert_top (f, "2026-10-31", 30, 10, october);
  /* A window ending on 1 November drops 2 October (A 3, B 2) and adds B 10. */
  {
    static const char * const november_1[] = { "TOP-B 14", "TOP-C 7", "TOP-A 3", NULL };

    assert_top (f, "2026-11-01", 30, 10, november_1);
  }
  assert_top (f, "2026-10-31", 30, 10, october);

  /* A refund of 2 C on the channel order counts net. */
  g_assert_true (omni_store_record_refund (f->store, &refund, NULL, &error));
  g_assert_no_error (error);
  assert_top (f, "2026-10-31", 30, 10, refunded);

  /* Cancelling it takes off its other 4 C and its A. */
  g_assert_true (omni_store_cancel_channel_order (f->store, f->channel, "gid-1", &was_cancelled,
                                                  &error));
  g_assert_no_error (error);
  g_assert_true (was_cancelled);
  assert_top (f, "2026-10-31", 30, 10, cancelled);

  /* A sale recorded while the window is kept lands in it through the
   * triggers; one outside it does not. */
  order (f, 0, "#S6", "2026-10-12T10:00:00Z", D, 9, -1, 0);
  order (f, 0, "#S7", "2026-09-01T10:00:00Z", C, 40, -1, 0);
  {
    static const char * const after[] = { "TOP-D 9", "TOP-B 6", "TOP-A 5", "TOP-C 1", NULL };

    assert_top (f, "2026-10-31", 30, 10, after);
  }

  /* Another program holding the write lock: the window cannot move, and
   * the daily sums give the same answer; the kept window stays put. */
  {
    static const char * const november_1[] = { "TOP-B 14", "TOP-D 9", "TOP-A 2", "TOP-C 1",
                                               NULL };
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
    assert_top (f, "2026-11-01", 30, 10, november_1);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT first_day, end_day FROM sales_window", -1,
                                         &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "2026-10-02");
    g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 1), ==, "2026-11-01");
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  /* Limit 0 reads nothing; a bad window or day is refused. */
  assert_top (f, "2026-10-31", 30, 0, none);
  g_assert_null (omni_report_top_sellers (f->store, "2026-10-31", 0, 5, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (omni_report_top_sellers (f->store, "2026-02-30", 30, 5, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
}

/* The check recomputes the daily and the recent sums from the order lines. */
static void
test_check_finds_tampering (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const october[] = { "TOP-C 7", "TOP-A 6", "TOP-B 6", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *recent = NULL;
  g_autofree char *daily = NULL;
  sqlite3 *db = NULL;

  load_history (f);
  assert_top (f, "2026-10-31", 30, 10, october);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE sales_variant_recent SET units = units + 1"
                                     " WHERE variant_id = (SELECT id FROM variants WHERE sku = 'TOP-B');"
                                     "UPDATE sales_variant_daily SET revenue = revenue + 5"
                                     " WHERE day = '2026-09-15';", /* outside the window */
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  found = omni_store_check_ledger (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  recent = g_strdup_printf ("recent sales of variant %" G_GINT64_FORMAT ": units", f->variants[B]);
  daily = g_strdup_printf ("sales per variant and day (day, variant) 2026-09-15 %" G_GINT64_FORMAT
                           ": revenue", f->variants[D]);
  g_assert_cmpstr (((OmniLedgerMismatch *)found->pdata[0])->location, ==, recent);
  g_assert_cmpint (((OmniLedgerMismatch *)found->pdata[0])->level_on_hand, ==, 7);
  g_assert_cmpint (((OmniLedgerMismatch *)found->pdata[0])->ledger_on_hand, ==, 6);
  g_assert_cmpstr (((OmniLedgerMismatch *)found->pdata[1])->location, ==, daily);
  g_assert_cmpint (((OmniLedgerMismatch *)found->pdata[1])->level_on_hand, ==, 50 * 300 + 5);
  g_assert_cmpint (((OmniLedgerMismatch *)found->pdata[1])->ledger_on_hand, ==, 50 * 300);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/top-sellers/fixed-history", Fixture, NULL, fixture_set_up, test_fixed_history,
              fixture_tear_down);
  g_test_add ("/top-sellers/check", Fixture, NULL, fixture_set_up, test_check_finds_tampering,
              fixture_tear_down);
  return g_test_run ();
}
