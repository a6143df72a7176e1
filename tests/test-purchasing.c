/* test-purchasing.c: suppliers, the reorder planner, purchase orders,
 * receiving, moving-average cost and the ledger after receipts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"
#include "omni-store-purchasing.h"
#include "test-store-util.h"

#define DAY_US ((gint64)24 * 3600 * G_USEC_PER_SEC)

enum { JAR, LID, CUP, N_VARIANTS };

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     cellar;
  gint64     variants[N_VARIANTS];
  gint64     fernwood;      /* lead time 10 days */
  gint64     kiln;          /* lead time 4 days */
} Fixture;

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
      sqlite3_busy_timeout (db, 5000);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
}

static void
move (Fixture    *f,
      gint64      variant,
      gint64      delta,
      const char *reason,
      gint64      days_ago)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = {
    .variant_id = variant, .location_id = f->shop, .on_hand_delta = delta,
    .reason = reason, .source = "test",
    .time_us = g_get_real_time () - days_ago * DAY_US,
  };

  omni_store_record_movements (f->store, &m, 1, &error);
  g_assert_no_error (error);
}

/* A fixed sales history over a 30-day window:
 *   JAR  reorder point 6; received 50 (60 days ago); sold 15 at 3, 10 and 20
 *        days ago → 45 sold, available 5, 1.5 a day
 *   LID  no reorder point; received 32 (60 days ago); sold 20 40 days ago
 *        (outside the window) and 10 at 5 days ago → available 2, 1/3 a day
 *   CUP  reorder point 0; received 30 (60 days ago); sold 30 at 2 days ago
 *        → available 0, 1 a day
 * Costs: JAR 1000, LID 200, CUP 500 (shop currency USD).
 */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec product = {
    .title = "Stoneware", .vendor = "Fernwood", .option_names = { "Item" },
  };
  const OmniVariantSpec specs[N_VARIANTS] = {
    { .sku = "JAR", .barcode = "4006381333931", .options = { "Jar" }, .price = 2400,
      .cost = 1000, .compare_at_price = -1, .reorder_point = 6, .reorder_qty = -1 },
    { .sku = "LID", .options = { "Lid" }, .price = 600, .cost = 200,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP", .options = { "Cup" }, .price = 1200, .cost = 500,
      .compare_at_price = -1, .reorder_point = 0, .reorder_qty = -1 },
  };
  const OmniSupplierSpec fernwood = {
    .name = "Fernwood Pottery", .contact = "orders@fernwood.example", .lead_time_days = 10,
  };
  const OmniSupplierSpec kiln = { .name = "Kiln & Co", .currency = "USD", .lead_time_days = 4 };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-purchasing-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->cellar = omni_store_add_location (f->store, "Cellar", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &product, specs, N_VARIANTS,
                                              f->variants, &error), >, 0);
  g_assert_no_error (error);

  move (f, f->variants[JAR], 50, OMNI_REASON_RECEIVED, 60);
  move (f, f->variants[JAR], -15, OMNI_REASON_SOLD, 20);
  move (f, f->variants[JAR], -15, OMNI_REASON_SOLD, 10);
  move (f, f->variants[JAR], -15, OMNI_REASON_SOLD, 3);
  move (f, f->variants[LID], 32, OMNI_REASON_RECEIVED, 60);
  move (f, f->variants[LID], -20, OMNI_REASON_SOLD, 40);
  move (f, f->variants[LID], -10, OMNI_REASON_SOLD, 5);
  move (f, f->variants[CUP], 30, OMNI_REASON_RECEIVED, 60);
  move (f, f->variants[CUP], -30, OMNI_REASON_SOLD, 2);

  f->fernwood = omni_store_add_supplier (f->store, &fernwood, &error);
  g_assert_no_error (error);
  f->kiln = omni_store_add_supplier (f->store, &kiln, &error);
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
link_variant (Fixture    *f,
              gint64      supplier,
              guint       variant,
              const char *supplier_sku,
              OmniMoney   cost,
              gint64      moq,
              gint64      multiple,
              gboolean    preferred)
{
  g_autoptr(GError) error = NULL;
  const OmniSupplierVariantSpec spec = {
    .supplier_id = supplier, .variant_id = f->variants[variant], .supplier_sku = supplier_sku,
    .unit_cost = cost, .moq = moq, .order_multiple = multiple, .preferred = preferred,
  };

  g_assert_true (omni_store_set_supplier_variant (f->store, &spec, &error));
  g_assert_no_error (error);
}

static gint64
on_hand_at (Fixture *f,
            gint64   variant,
            gint64   location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) levels = omni_store_get_levels (f->store, variant, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (levels, i);

      if (level->location_id == location)
        return level->on_hand;
    }
  return 0;
}

static OmniMoney
cost_of (Fixture *f,
         gint64   variant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniVariantRow) row = omni_store_get_variant (f->store, variant, &error);

  g_assert_no_error (error);
  return row->cost;
}

static void
assert_ledger_consistent (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (f->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

static gint64
count_rows (Fixture    *f,
            const char *what)
{
  g_autoptr(GError) error = NULL;
  g_auto(OmniStoreStats) stats = { 0 };

  if (g_str_equal (what, "movements"))
    {
      omni_store_get_stats (f->store, &stats, &error);
      g_assert_no_error (error);
      return stats.movements;
    }
  g_assert_not_reached ();
}

static gint64
create_po (Fixture                    *f,
           gint64                      supplier,
           const OmniPurchaseLineSpec *lines,
           guint                       n_lines)
{
  g_autoptr(GError) error = NULL;
  const OmniPurchaseOrderSpec spec = {
    .supplier_id = supplier, .lines = lines, .n_lines = n_lines, .actor = "alice",
  };
  gint64 id = omni_store_create_purchase_order (f->store, &spec, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Rounding ------------------------------------------------------------- */

static void
test_rounding (void)
{
  g_assert_cmpint (omni_purchase_round_quantity (0, 5, 6), ==, 0);
  g_assert_cmpint (omni_purchase_round_quantity (-4, 5, 6), ==, 0);
  g_assert_cmpint (omni_purchase_round_quantity (3, 1, 6), ==, 6);
  g_assert_cmpint (omni_purchase_round_quantity (22, 24, 12), ==, 24);
  g_assert_cmpint (omni_purchase_round_quantity (25, 24, 12), ==, 36);
  g_assert_cmpint (omni_purchase_round_quantity (7, 1, 1), ==, 7);
  g_assert_cmpint (omni_purchase_round_quantity (7, 10, 4), ==, 12);
}

/* Suppliers ------------------------------------------------------------ */

static void
test_suppliers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) suppliers = NULL;
  g_autoptr(GPtrArray) links = NULL;
  const OmniSupplierSpec duplicate = { .name = "fernwood pottery" };
  const OmniSupplierSpec blank = { .name = "   " };
  const OmniSupplierSpec bad_currency = { .name = "Acme", .currency = "usd" };
  const OmniSupplierSpec bad_lead = { .name = "Acme", .lead_time_days = 400 };
  const OmniSupplierVariantSpec bad_moq = {
    .supplier_id = f->kiln, .variant_id = f->variants[JAR], .unit_cost = 10, .moq = 0,
    .order_multiple = 1,
  };
  const OmniSupplierVariantSpec bad_variant = {
    .supplier_id = f->kiln, .variant_id = 9999, .unit_cost = 10, .moq = 1, .order_multiple = 1,
  };
  const OmniSupplier *first;

  g_assert_cmpint (omni_store_add_supplier (f->store, &duplicate, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_supplier (f->store, &blank, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_supplier (f->store, &bad_currency, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_supplier (f->store, &bad_lead, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (omni_store_find_supplier (f->store, "KILN & CO", &error), ==, f->kiln);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_supplier (f->store, "Nobody", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Preferred moves: only one supplier per variant keeps the flag. */
  link_variant (f, f->fernwood, JAR, "FW-JAR", 900, 24, 12, TRUE);
  link_variant (f, f->kiln, JAR, NULL, 950, 1, 1, TRUE);

  g_assert_false (omni_store_set_supplier_variant (f->store, &bad_moq, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (omni_store_set_supplier_variant (f->store, &bad_variant, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  links = omni_store_list_supplier_variants (f->store, 0, f->variants[JAR], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 2);
  {
    const OmniSupplierVariant *a = g_ptr_array_index (links, 0);
    const OmniSupplierVariant *b = g_ptr_array_index (links, 1);

    g_assert_cmpstr (a->supplier, ==, "Fernwood Pottery");
    g_assert_false (a->preferred);
    g_assert_cmpstr (a->supplier_sku, ==, "FW-JAR");
    g_assert_cmpint (a->unit_cost, ==, 900);
    g_assert_cmpint (a->moq, ==, 24);
    g_assert_cmpint (a->order_multiple, ==, 12);
    g_assert_cmpstr (b->supplier, ==, "Kiln & Co");
    g_assert_true (b->preferred);
    /* The refused bad MOQ left Kiln's link as it was. */
    g_assert_cmpint (b->unit_cost, ==, 950);
    g_assert_cmpint (b->moq, ==, 1);
  }

  suppliers = omni_store_list_suppliers (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (suppliers->len, ==, 2);
  first = g_ptr_array_index (suppliers, 0);
  g_assert_cmpstr (first->name, ==, "Fernwood Pottery");
  g_assert_cmpstr (first->contact, ==, "orders@fernwood.example");
  g_assert_cmpstr (first->currency, ==, "USD");
  g_assert_cmpint (first->lead_time_days, ==, 10);
  g_assert_cmpint (first->n_variants, ==, 1);
}

/* Suggestions ---------------------------------------------------------- */

static const OmniPurchaseSuggestion *
find_suggestion (GPtrArray  *rows,
                 const char *sku)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const OmniPurchaseSuggestion *s = g_ptr_array_index (rows, i);

      if (g_strcmp0 (s->sku, sku) == 0)
        return s;
    }
  return NULL;
}

static void
test_suggestions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) kiln_rows = NULL;
  g_autoptr(GPtrArray) all = NULL;
  OmniSuggestOptions options = { .window_days = 30, .safety_days = 4 };
  const OmniSuggestOptions bad_window = { .window_days = 0 };
  const OmniSuggestOptions bad_safety = { .window_days = 30, .safety_days = 1000 };
  const OmniPurchaseSuggestion *s;

  /* Fernwood (lead 10) supplies JAR and LID; Kiln (lead 4) CUP. */
  link_variant (f, f->fernwood, JAR, "FW-JAR", 900, 24, 12, TRUE);
  link_variant (f, f->fernwood, LID, "FW-LID", 150, 1, 6, TRUE);
  link_variant (f, f->kiln, CUP, NULL, 450, 1, 1, FALSE);
  /* Kiln also sells jars, but Fernwood is the preferred supplier. */
  link_variant (f, f->kiln, JAR, "K-J", 990, 1, 1, FALSE);

  rows = omni_store_suggest_purchases (f->store, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);

  /* JAR: 45 sold in 30 days = 1.5 a day; ⌈1.5 × (10 + 4)⌉ = 21;
   * target 6 + 21 = 27; stock 5 → need 22; MOQ 24 → 24 (a multiple of 12). */
  s = find_suggestion (rows, "JAR");
  g_assert_nonnull (s);
  g_assert_cmpint (s->supplier_id, ==, f->fernwood);
  g_assert_cmpint (s->units_sold, ==, 45);
  g_assert_cmpfloat_with_epsilon (s->daily_sales, 1.5, 1e-9);
  g_assert_cmpint (s->lead_time_days, ==, 10);
  g_assert_cmpint (s->available, ==, 5);
  g_assert_cmpint (s->incoming, ==, 0);
  g_assert_cmpint (s->target, ==, 27);
  g_assert_cmpint (s->need, ==, 22);
  g_assert_cmpint (s->suggested, ==, 24);
  g_assert_cmpint (s->unit_cost, ==, 900);
  g_assert_cmpstr (s->supplier_sku, ==, "FW-JAR");
  g_assert_cmpfloat_with_epsilon (s->cover_now, 5 / 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->cover_after, 29 / 1.5, 1e-9);

  /* LID: the 20 sold 40 days ago are outside the window; 10 in 30 days;
   * ⌈10 × 14 ÷ 30⌉ = ⌈4.67⌉ = 5; no reorder point → target 5; stock 2 →
   * need 3; multiple 6 → 6. */
  s = find_suggestion (rows, "LID");
  g_assert_nonnull (s);
  g_assert_cmpint (s->units_sold, ==, 10);
  g_assert_cmpint (s->reorder_point, ==, -1);
  g_assert_cmpint (s->target, ==, 5);
  g_assert_cmpint (s->need, ==, 3);
  g_assert_cmpint (s->suggested, ==, 6);
  g_assert_cmpfloat_with_epsilon (s->cover_now, 6.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->cover_after, 24.0, 1e-9);

  /* CUP: 1 a day, Kiln's lead 4 + 4 safety = 8; stock 0 → 8. */
  s = find_suggestion (rows, "CUP");
  g_assert_nonnull (s);
  g_assert_cmpint (s->supplier_id, ==, f->kiln);
  g_assert_cmpint (s->target, ==, 8);
  g_assert_cmpint (s->suggested, ==, 8);
  g_assert_cmpfloat_with_epsilon (s->cover_now, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->cover_after, 8.0, 1e-9);
  /* Fewest days of cover first. */
  g_assert_true (g_ptr_array_index (rows, 0) == s);

  /* For Kiln alone: its own lead time and costs, for every variant it
   * supplies, preferred or not. JAR at lead 4: ⌈1.5 × 8⌉ = 12, target 18,
   * need 13, MOQ 1, multiple 1 → 13. */
  options.supplier_id = f->kiln;
  kiln_rows = omni_store_suggest_purchases (f->store, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kiln_rows->len, ==, 2);
  s = find_suggestion (kiln_rows, "JAR");
  g_assert_cmpint (s->target, ==, 18);
  g_assert_cmpint (s->suggested, ==, 13);
  g_assert_cmpint (s->unit_cost, ==, 990);

  /* An ordered PO counts as incoming: 5 cups on order → need 3. */
  {
    const OmniPurchaseLineSpec line = { f->variants[CUP], 5, -1 };
    gint64 po = create_po (f, f->kiln, &line, 1);

    /* A draft is not incoming yet. */
    g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[CUP], &error), ==, 0);
    g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
    g_assert_no_error (error);
    g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[CUP], &error), ==, 5);
  }
  g_clear_pointer (&kiln_rows, g_ptr_array_unref);
  kiln_rows = omni_store_suggest_purchases (f->store, &options, &error);
  g_assert_no_error (error);
  s = find_suggestion (kiln_rows, "CUP");
  g_assert_cmpint (s->incoming, ==, 5);
  g_assert_cmpint (s->need, ==, 3);
  g_assert_cmpint (s->suggested, ==, 3);
  g_assert_cmpfloat_with_epsilon (s->cover_after, 8.0, 1e-9);

  /* Nothing needed is left out unless asked for. */
  options.supplier_id = 0;
  options.safety_days = 0;
  options.include_all = TRUE;
  all = omni_store_suggest_purchases (f->store, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  /* LID at lead 10, no safety: ⌈10 × 10 ÷ 30⌉ = 4, stock 2 → 2 → 6. */
  s = find_suggestion (all, "LID");
  g_assert_cmpint (s->target, ==, 4);
  g_assert_cmpint (s->suggested, ==, 6);

  g_assert_null (omni_store_suggest_purchases (f->store, &bad_window, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (omni_store_suggest_purchases (f->store, &bad_safety, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
}

/* Orders --------------------------------------------------------------- */

static gint64
line_quantity (Fixture *f,
               gint64   po,
               int      variant,
               gint64  *unit_cost)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = omni_store_get_purchase_lines (f->store, po, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);

      if (line->variant_id == f->variants[variant])
        {
          if (unit_cost != NULL)
            *unit_cost = line->unit_cost;
          return line->quantity;
        }
    }
  return 0;
}

/* What the purchasing window does to a draft: change a line's quantity and
 * cost, remove it, add a variant by scan; an ordered order refuses all of it
 * and keeps its lines. */
static void
test_line_editing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniPurchaseOrder) order = NULL;
  const OmniPurchaseLineSpec specs[] = { { f->variants[LID], 6, 175 } };
  const OmniPurchaseLineSpec change = { f->variants[LID], 9, 150 };
  const OmniPurchaseLineSpec drop = { f->variants[LID], 0, -1 };
  gint64 po, variant = 0, cost = 0;

  link_variant (f, f->fernwood, JAR, "FW-JAR", 900, 1, 1, TRUE);
  po = create_po (f, f->fernwood, specs, G_N_ELEMENTS (specs));

  /* The jar's barcode adds a line at Fernwood's cost; its SKU one more. */
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "4006381333931", &variant, &error),
                   ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (variant, ==, f->variants[JAR]);
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "JAR", NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (line_quantity (f, po, JAR, &cost), ==, 2);
  g_assert_cmpint (cost, ==, 900);
  /* The cup has no supplier link: the variant's own cost. */
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "CUP", NULL, &error), ==, 1);
  g_assert_cmpint (line_quantity (f, po, CUP, &cost), ==, 1);
  g_assert_cmpint (cost, ==, 500);
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "NO-SUCH-SKU", NULL, &error),
                   ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "", NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Quantity and cost of the lid's line, then the cup's line goes. */
  g_assert_true (omni_store_set_purchase_line (f->store, po, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (line_quantity (f, po, LID, &cost), ==, 9);
  g_assert_cmpint (cost, ==, 150);
  {
    const OmniPurchaseLineSpec drop_cup = { f->variants[CUP], 0, -1 };

    g_assert_true (omni_store_set_purchase_line (f->store, po, &drop_cup, &error));
    g_assert_no_error (error);
  }
  order = omni_store_get_purchase_order (f->store, po, &error);
  g_assert_cmpint (order->n_lines, ==, 2);
  g_assert_cmpint (order->units_ordered, ==, 11);
  g_assert_cmpint (order->total, ==, 2 * 900 + 9 * 150);
  g_clear_pointer (&order, omni_purchase_order_free);

  /* Ordered: every edit is refused and the lines stay as they were. */
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "JAR", NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_purchase_scan (f->store, po, "CUP", NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (omni_store_set_purchase_line (f->store, po, &change, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (omni_store_set_purchase_line (f->store, po, &drop, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  order = omni_store_get_purchase_order (f->store, po, &error);
  g_assert_cmpstr (order->status, ==, OMNI_PO_ORDERED);
  g_assert_cmpint (order->n_lines, ==, 2);
  g_assert_cmpint (order->units_ordered, ==, 11);
  g_assert_cmpint (order->total, ==, 2 * 900 + 9 * 150);
  g_assert_cmpint (line_quantity (f, po, JAR, NULL), ==, 2);
  g_assert_cmpint (line_quantity (f, po, LID, &cost), ==, 9);
  g_assert_cmpint (cost, ==, 150);
  g_assert_cmpint (line_quantity (f, po, CUP, NULL), ==, 0);
}

static void
test_order_lifecycle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniPurchaseOrder) order = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) open = NULL;
  const OmniPurchaseLineSpec specs[] = {
    { f->variants[JAR], 24, -1 },       /* Fernwood's cost */
    { f->variants[CUP], 10, -1 },       /* no link: the variant's cost */
    { f->variants[LID], 6, 175 },
  };
  const OmniPurchaseLineSpec change = { f->variants[LID], 12, 160 };
  const OmniPurchaseLineSpec drop = { f->variants[CUP], 0, -1 };
  const OmniPurchaseLineSpec bad = { f->variants[LID], -3, -1 };
  gint64 po, movements;

  link_variant (f, f->fernwood, JAR, "FW-JAR", 900, 24, 12, TRUE);
  po = create_po (f, f->fernwood, specs, G_N_ELEMENTS (specs));

  order = omni_store_get_purchase_order (f->store, po, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (order->number, ==, "PO-00001");
  g_assert_cmpstr (order->status, ==, OMNI_PO_DRAFT);
  g_assert_cmpstr (order->supplier, ==, "Fernwood Pottery");
  g_assert_cmpstr (order->location, ==, "Shop Floor");
  g_assert_cmpstr (order->currency, ==, "USD");
  g_assert_cmpstr (order->actor, ==, "alice");
  g_assert_cmpint (order->n_lines, ==, 3);
  g_assert_cmpint (order->units_ordered, ==, 40);
  /* 24 × 900 + 10 × 500 + 6 × 175 */
  g_assert_cmpint (order->total, ==, 21600 + 5000 + 1050);
  g_clear_pointer (&order, omni_purchase_order_free);

  lines = omni_store_get_purchase_lines (f->store, po, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (((OmniPurchaseLine *)g_ptr_array_index (lines, 0))->supplier_sku, ==, "FW-JAR");
  g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 1))->unit_cost, ==, 500);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Drafts are edited; a bad line changes nothing. */
  g_assert_true (omni_store_set_purchase_line (f->store, po, &change, &error));
  g_assert_true (omni_store_set_purchase_line (f->store, po, &drop, &error));
  g_assert_no_error (error);
  g_assert_false (omni_store_set_purchase_line (f->store, po, &bad, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  order = omni_store_get_purchase_order (f->store, po, &error);
  g_assert_cmpint (order->n_lines, ==, 2);
  g_assert_cmpint (order->total, ==, 21600 + 12 * 160);
  g_clear_pointer (&order, omni_purchase_order_free);

  /* A draft cannot be received, and nothing moves. */
  movements = count_rows (f, "movements");
  {
    g_auto(OmniReceiveResult) result = { 0 };
    const OmniReceiveLine line = { f->variants[JAR], 1 };

    g_assert_false (omni_store_receive_purchase (f->store, po, 0, &line, 1, "test", NULL,
                                                 &result, &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_cmpint (count_rows (f, "movements"), ==, movements);

  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_no_error (error);
  /* Ordered orders are no longer edited, nor ordered twice. */
  g_assert_false (omni_store_set_purchase_line (f->store, po, &change, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (omni_store_find_purchase_order (f->store, "po-00001", &error), ==, po);
  g_assert_cmpint (omni_store_find_purchase_order (f->store, "1", &error), ==, po);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_purchase_order (f->store, "PO-00099", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  open = omni_store_list_purchase_orders (f->store, "open", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);

  g_assert_true (omni_store_cancel_purchase_order (f->store, po, &error));
  g_assert_no_error (error);
  order = omni_store_get_purchase_order (f->store, po, &error);
  g_assert_cmpstr (order->status, ==, OMNI_PO_CANCELLED);
  g_assert_nonnull (order->closed_at);
  g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[JAR], &error), ==, 0);
  g_assert_false (omni_store_cancel_purchase_order (f->store, po, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_bad_orders (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  const OmniPurchaseLineSpec twice[] = {
    { f->variants[JAR], 1, -1 }, { f->variants[JAR], 2, -1 },
  };
  const OmniPurchaseLineSpec zero = { f->variants[JAR], 0, -1 };
  const OmniPurchaseLineSpec ghost = { 4242, 3, -1 };
  const OmniPurchaseLineSpec fine = { f->variants[JAR], 3, -1 };
  OmniPurchaseOrderSpec spec = { .supplier_id = f->fernwood };

  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  spec.lines = twice;
  spec.n_lines = 2;
  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  spec.lines = &zero;
  spec.n_lines = 1;
  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An unknown variant after the order row was written rolls it all back. */
  spec.lines = &ghost;
  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  spec.lines = &fine;
  spec.supplier_id = 777;
  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  spec.supplier_id = f->fernwood;
  spec.location_id = 555;
  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  orders = omni_store_list_purchase_orders (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 0);

  g_assert_null (omni_store_list_purchase_orders (f->store, "shipped", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The next good order still gets the first number. */
  spec.location_id = 0;
  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), ==, 1);
  g_assert_no_error (error);
}

/* Receiving ------------------------------------------------------------ */

static void
test_partial_receipts (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniPurchaseOrder) order = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const OmniPurchaseLineSpec specs[] = {
    { f->variants[JAR], 10, 1000 },
    { f->variants[LID], 6, 200 },
  };
  gint64 po = create_po (f, f->fernwood, specs, G_N_ELEMENTS (specs));
  gint64 jar_shop = on_hand_at (f, f->variants[JAR], f->shop);

  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[JAR], &error), ==, 10);

  /* 4 jars into the cellar. */
  {
    g_auto(OmniReceiveResult) result = { 0 };
    const OmniReceiveLine line = { f->variants[JAR], 4 };

    g_assert_true (omni_store_receive_purchase (f->store, po, f->cellar, &line, 1, "test",
                                                "bob", &result, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (result.status, ==, OMNI_PO_PARTIALLY_RECEIVED);
    g_assert_cmpint (result.units, ==, 4);
    g_assert_cmpint (result.over_received, ==, 0);
    g_assert_nonnull (result.operation);
  }
  g_assert_cmpint (on_hand_at (f, f->variants[JAR], f->cellar), ==, 4);
  g_assert_cmpint (on_hand_at (f, f->variants[JAR], f->shop), ==, jar_shop);
  g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[JAR], &error), ==, 6);
  assert_ledger_consistent (f);

  /* The movement is a `received` one, referencing the order. */
  {
    const OmniHistoryFilter filter = { .limit = 1 };

    history = omni_store_get_history (f->store, f->variants[JAR], &filter, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  {
    const OmniMovement *m = g_ptr_array_index (history, 0);

    g_assert_cmpstr (m->reason, ==, OMNI_REASON_RECEIVED);
    g_assert_cmpint (m->on_hand_delta, ==, 4);
    g_assert_cmpint (m->location_id, ==, f->cellar);
    g_assert_cmpstr (m->reference, ==, "PO-00001");
    g_assert_cmpstr (m->actor, ==, "bob");
  }

  /* A scan of the jar's barcode adds one, at the order's location. */
  {
    g_auto(OmniReceiveResult) result = { 0 };

    g_assert_true (omni_store_receive_purchase_scan (f->store, po, 0, "4006381333931", "test",
                                                     NULL, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpint (result.units, ==, 1);
    g_assert_cmpstr (result.status, ==, OMNI_PO_PARTIALLY_RECEIVED);
  }
  g_assert_cmpint (on_hand_at (f, f->variants[JAR], f->shop), ==, jar_shop + 1);

  /* A code not on the order is refused; nothing changes. */
  {
    g_auto(OmniReceiveResult) result = { 0 };

    g_assert_false (omni_store_receive_purchase_scan (f->store, po, 0, "CUP", "test", NULL,
                                                      &result, &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "CUP is not on PO-00001");
    g_clear_error (&error);
    g_assert_false (omni_store_receive_purchase_scan (f->store, po, 0, "NOPE", "test", NULL,
                                                      &result, &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Everything outstanding: 5 jars and 6 lids. */
  {
    g_auto(OmniReceiveResult) result = { 0 };

    g_assert_true (omni_store_receive_purchase_all (f->store, po, 0, "test", NULL, &result,
                                                    &error));
    g_assert_no_error (error);
    g_assert_cmpint (result.units, ==, 11);
    g_assert_cmpstr (result.status, ==, OMNI_PO_RECEIVED);
  }
  order = omni_store_get_purchase_order (f->store, po, &error);
  g_assert_cmpstr (order->status, ==, OMNI_PO_RECEIVED);
  g_assert_cmpint (order->units_received, ==, 16);
  g_assert_nonnull (order->closed_at);
  lines = omni_store_get_purchase_lines (f->store, po, &error);
  g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 0))->received, ==, 10);
  g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 1))->received, ==, 6);
  g_assert_cmpint (on_hand_at (f, f->variants[JAR], f->shop), ==, jar_shop + 6);
  g_assert_cmpint (on_hand_at (f, f->variants[LID], f->shop), ==, 2 + 6);
  g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[JAR], &error), ==, 0);
  assert_ledger_consistent (f);

  /* A received order is closed. */
  {
    g_auto(OmniReceiveResult) result = { 0 };
    const OmniReceiveLine line = { f->variants[JAR], 1 };
    gint64 movements = count_rows (f, "movements");

    g_assert_false (omni_store_receive_purchase (f->store, po, 0, &line, 1, "test", NULL,
                                                 &result, &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (count_rows (f, "movements"), ==, movements);
  }
}

static void
test_over_receipt (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  const OmniPurchaseLineSpec specs[] = {
    { f->variants[CUP], 5, 500 },
    { f->variants[LID], 6, 200 },
  };
  gint64 po = create_po (f, f->kiln, specs, G_N_ELEMENTS (specs));
  const OmniReceiveLine extra[] = { { f->variants[CUP], 7 } };
  const OmniReceiveLine mixed[] = { { f->variants[LID], 2 }, { f->variants[CUP], 0 } };
  const OmniReceiveLine unknown[] = { { f->variants[LID], 2 }, { f->variants[JAR], 1 } };
  g_auto(OmniReceiveResult) result = { 0 };
  gint64 movements;

  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));

  g_assert_true (omni_store_receive_purchase (f->store, po, 0, extra, 1, "test", NULL,
                                              &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.units, ==, 7);
  g_assert_cmpint (result.over_received, ==, 2);
  /* The lids are still to come. */
  g_assert_cmpstr (result.status, ==, OMNI_PO_PARTIALLY_RECEIVED);
  g_assert_cmpint (on_hand_at (f, f->variants[CUP], f->shop), ==, 7);
  /* An over-received line has nothing incoming, not a negative amount. */
  g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[CUP], &error), ==, 0);

  /* A bad quantity or a variant not on the order: the whole call is refused,
   * including the good lid line before it. */
  movements = count_rows (f, "movements");
  g_assert_false (omni_store_receive_purchase (f->store, po, 0, mixed, 2, "test", NULL,
                                               &result, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (omni_store_receive_purchase (f->store, po, 0, unknown, 2, "test", NULL,
                                               &result, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (omni_store_receive_purchase (f->store, po, 999, mixed, 1, "test", NULL,
                                               &result, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "movements"), ==, movements);
  g_assert_cmpint (on_hand_at (f, f->variants[LID], f->shop), ==, 2);
  lines = omni_store_get_purchase_lines (f->store, po, &error);
  g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 1))->received, ==, 0);
  g_assert_cmpint (omni_store_get_incoming (f->store, f->variants[LID], &error), ==, 6);
  /* The result of the last good call is untouched by the refused ones. */
  g_assert_cmpint (result.units, ==, 7);
  assert_ledger_consistent (f);
}

/* Moving-average cost: JAR has 5 on hand at 1000.
 *   receipt 1: 10 at 1300 → (5 × 1000 + 10 × 1300) ÷ 15 = 18000 ÷ 15 = 1200
 *   receipt 2: 15 at 1100 → (15 × 1200 + 15 × 1100) ÷ 30 = 34500 ÷ 30 = 1150
 *   receipt 3: 7 at 1000 → (30 × 1150 + 7000) ÷ 37 = 41500 ÷ 37 = 1121.6 → 1122
 */
static void
test_moving_average (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniPurchaseLineSpec first = { f->variants[JAR], 10, 1300 };
  const OmniPurchaseLineSpec second = { f->variants[JAR], 15, 1100 };
  const OmniPurchaseLineSpec third = { f->variants[JAR], 7, 1000 };
  gint64 po1 = create_po (f, f->fernwood, &first, 1);
  gint64 po2 = create_po (f, f->fernwood, &second, 1);
  gint64 po3 = create_po (f, f->fernwood, &third, 1);

  g_assert_cmpint (cost_of (f, f->variants[JAR]), ==, 1000);
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po1, &error));
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po2, &error));
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po3, &error));
  g_assert_no_error (error);

  {
    g_auto(OmniReceiveResult) result = { 0 };

    g_assert_true (omni_store_receive_purchase_all (f->store, po1, 0, "test", NULL, &result,
                                                    &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (cost_of (f, f->variants[JAR]), ==, 1200);

  /* The second arrives at the cellar: the average is over all locations. */
  {
    g_auto(OmniReceiveResult) result = { 0 };

    g_assert_true (omni_store_receive_purchase_all (f->store, po2, f->cellar, "test", NULL,
                                                    &result, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (cost_of (f, f->variants[JAR]), ==, 1150);

  {
    g_auto(OmniReceiveResult) result = { 0 };

    g_assert_true (omni_store_receive_purchase_all (f->store, po3, 0, "test", NULL, &result,
                                                    &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (cost_of (f, f->variants[JAR]), ==, 1122);
  g_assert_cmpint (on_hand_at (f, f->variants[JAR], f->shop), ==, 5 + 10 + 7);
  g_assert_cmpint (on_hand_at (f, f->variants[JAR], f->cellar), ==, 15);
  assert_ledger_consistent (f);
}

/* A supplier billing in another currency: stock arrives, the cost (in the
 * shop currency) is left alone rather than mixed with euros. */
static void
test_foreign_currency (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniPurchaseOrder) order = NULL;
  g_auto(OmniReceiveResult) result = { 0 };
  const OmniSupplierSpec spec = { .name = "Atelier", .currency = "EUR", .lead_time_days = 20 };
  gint64 atelier = omni_store_add_supplier (f->store, &spec, &error);
  const OmniPurchaseLineSpec line = { f->variants[CUP], 4, 9000 };
  gint64 po = create_po (f, atelier, &line, 1);

  order = omni_store_get_purchase_order (f->store, po, &error);
  g_assert_cmpstr (order->currency, ==, "EUR");
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_true (omni_store_receive_purchase_all (f->store, po, 0, "test", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cost_of (f, f->variants[CUP]), ==, 500);
  g_assert_cmpint (on_hand_at (f, f->variants[CUP], f->shop), ==, 4);
}

/* Received stock flows to the channels: with a linked variant at a mapped
 * location, the receipt queues a push in the same transaction. */
static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(OmniStoreStats) before = { 0 };
  g_auto(OmniStoreStats) after = { 0 };
  g_auto(OmniReceiveResult) result = { 0 };
  const OmniPurchaseLineSpec line = { f->variants[JAR], 3, 1000 };
  gint64 po = create_po (f, f->fernwood, &line, 1);
  g_autofree char *sql = NULL;

  /* Link JAR to a shop the way a channel pull would. */
  sql = g_strdup_printf ("INSERT INTO channels (id, platform, name, account, created_at)"
                         " VALUES (1, 'shopify', 'fern', 'fern.myshopify.com', 'x');"
                         "INSERT INTO channel_locations (channel_id, remote_id, remote_name,"
                         " location_id) VALUES (1, 'gid://shopify/Location/1', 'Shop', %"
                         G_GINT64_FORMAT ");"
                         "INSERT INTO channel_links (channel_id, variant_id, remote_variant_id,"
                         " remote_inventory_id, linked_by, updated_at)"
                         " VALUES (1, %" G_GINT64_FORMAT ", 'v1', 'i1', 'sku', 'x');",
                         f->shop, f->variants[JAR]);
  raw_exec (f->path, sql);

  omni_store_get_stats (f->store, &before, &error);
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_true (omni_store_receive_purchase_all (f->store, po, 0, "test", NULL, &result, &error));
  g_assert_no_error (error);
  omni_store_get_stats (f->store, &after, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after.pending_outbox, ==, before.pending_outbox + 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/purchasing/rounding", test_rounding);
#define ADD(path, fn) \
  g_test_add ("/purchasing/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("suppliers", test_suppliers);
  ADD ("suggestions", test_suggestions);
  ADD ("order-lifecycle", test_order_lifecycle);
  ADD ("bad-orders", test_bad_orders);
  ADD ("line-editing", test_line_editing);
  ADD ("partial-receipts", test_partial_receipts);
  ADD ("over-receipt", test_over_receipt);
  ADD ("moving-average", test_moving_average);
  ADD ("foreign-currency", test_foreign_currency);
  ADD ("outbox", test_outbox);
#undef ADD

  return g_test_run ();
}
