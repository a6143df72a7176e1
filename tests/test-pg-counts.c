/* test-pg-counts.c: two devices counting different sections of one location
 * of a shared PostgreSQL store at the same time, with a sale landing
 * mid-count, merge into the right levels; two devices starting overlapping
 * counts at the same moment: one count, one clear refusal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "omni-store.h"
#include "omni-store-count.h"
#include "omni-store-inventory.h"
#include "pg-test-server.h"

typedef struct
{
  char      *uri;
  OmniStore *office;     /* the stock-room laptop */
  OmniStore *counter;    /* the till */
  gint64     shop;
  gint64     mugs[2];    /* vendor Fernwood */
  gint64     bowls[2];   /* vendor Kiln & Co */
} Fixture;

static void
make_product (OmniStore  *store,
              const char *title,
              const char *vendor,
              const char *sku_a,
              const char *sku_b,
              gint64     *ids)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = title, .vendor = vendor,
                                    .option_names = { "Size" } };
  OmniVariantSpec specs[2] = {
    { .sku = sku_a, .options = { "S" }, .compare_at_price = -1, .cost = 500,
      .reorder_point = -1, .reorder_qty = -1 },
    { .sku = sku_b, .options = { "L" }, .compare_at_price = -1, .cost = 500,
      .reorder_point = -1, .reorder_qty = -1 },
  };

  g_assert_cmpint (omni_store_create_product (store, &product, specs, 2, ids, &error), >, 0);
  g_assert_no_error (error);
}

static void
set_on_hand (OmniStore *store,
             gint64     variant,
             gint64     quantity)
{
  g_autoptr(GError) error = NULL;
  OmniAdjustLine line = { variant, 0, quantity };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .reason = "received" };
  g_autofree char *op = omni_store_adjust (store, &line, 1, &options, &error);

  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  f->office = omni_store_open (f->uri, &error);
  g_assert_no_error (error);
  f->counter = omni_store_open (f->uri, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->office, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  make_product (f->office, "Mug", "Fernwood", "MUG-S", "MUG-L", f->mugs);
  make_product (f->office, "Bowl", "Kiln & Co", "BOWL-S", "BOWL-L", f->bowls);
  set_on_hand (f->office, f->mugs[0], 10);
  set_on_hand (f->office, f->mugs[1], 10);
  set_on_hand (f->office, f->bowls[0], 10);
  set_on_hand (f->office, f->bowls[1], 10);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->counter);
  g_clear_object (&f->office);
  g_free (f->uri);
}

static gint64
on_hand (OmniStore *store,
         gint64     variant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) levels = omni_store_get_levels (store, variant, &error);
  gint64 total = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < levels->len; i++)
    total += ((OmniLevel *)levels->pdata[i])->on_hand;
  return total;
}

static void
scan (OmniStore  *store,
      gint64      session,
      const char *code,
      gint64      quantity)
{
  g_autoptr(GError) error = NULL;
  OmniCountLine *line = omni_store_count_scan (store, session, code, quantity, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  omni_count_line_free (line);
}

static void
test_sections_merge (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autofree char *sale_op = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  OmniAdjustLine sale = { 0, 0, -2 };
  OmniAdjustOptions sold = { .mode = OMNI_ADJUST_DELTA, .reason = "sold" };
  gint64 mugs, bowls;

  /* The laptop counts the mugs, the office PC the bowls, same location. */
  mugs = omni_store_count_start (f->office, f->shop, "vendor", "Fernwood", "Ana", &error);
  g_assert_no_error (error);
  bowls = omni_store_count_start (f->counter, f->shop, "vendor", "Kiln & Co", "Ben", &error);
  g_assert_no_error (error);
  g_assert_cmpint (mugs, !=, bowls);

  scan (f->office, mugs, "MUG-S", 7);
  scan (f->counter, bowls, "BOWL-S", 4);
  /* The till sells two large mugs after the shelf was counted: the count
   * must not put them back. */
  scan (f->office, mugs, "MUG-L", 9);
  sale.variant_id = f->mugs[1];
  sale_op = omni_store_adjust (f->counter, &sale, 1, &sold, &error);
  g_assert_no_error (error);
  scan (f->counter, bowls, "BOWL-L", 12);

  a = omni_store_count_commit (f->office, mugs, "Ana", &error);
  g_assert_no_error (error);
  b = omni_store_count_commit (f->counter, bowls, "Ben", &error);
  g_assert_no_error (error);

  g_assert_cmpint (on_hand (f->office, f->mugs[0]), ==, 7);
  g_assert_cmpint (on_hand (f->office, f->mugs[1]), ==, 7);    /* 9 counted, 2 sold after */
  g_assert_cmpint (on_hand (f->office, f->bowls[0]), ==, 4);
  g_assert_cmpint (on_hand (f->office, f->bowls[1]), ==, 12);

  mismatches = omni_store_check_ledger (f->office, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

typedef struct
{
  OmniStore *store;
  gint64     location;
  GError    *error;
  gint64     session;
} Starter;

static gpointer
start_whole_count (gpointer data)
{
  Starter *s = data;

  s->session = omni_store_count_start (s->store, s->location, "all", NULL, NULL, &s->error);
  return NULL;
}

static void
test_overlapping_start_race (Fixture       *f,
                             gconstpointer  data)
{
  for (guint round = 0; round < 20; round++)
    {
      Starter one = { f->office, f->shop, NULL, 0 }, two = { f->counter, f->shop, NULL, 0 };
      GThread *t1 = g_thread_new ("one", start_whole_count, &one);
      GThread *t2 = g_thread_new ("two", start_whole_count, &two);
      Starter *won, *lost;

      g_thread_join (t1);
      g_thread_join (t2);

      /* Exactly one count of the whole location; the other refused. */
      g_assert_true ((one.session > 0) != (two.session > 0));
      won = one.session > 0 ? &one : &two;
      lost = one.session > 0 ? &two : &one;
      g_assert_nonnull (lost->error);
      g_assert_error (lost->error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
      g_clear_error (&lost->error);
      g_assert_true (omni_store_count_cancel (won->store, won->session, &won->error));
      g_assert_no_error (won->error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pg-counts/sections-merge", Fixture, NULL, fixture_set_up, test_sections_merge,
              fixture_tear_down);
  g_test_add ("/pg-counts/overlapping-start-race", Fixture, NULL, fixture_set_up,
              test_overlapping_start_race, fixture_tear_down);

  return g_test_run ();
}
