/* test-inventory.c: adjustments, transfers, undo, history, alerts, concurrency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-inventory.h"
#include "test-store-util.h"

#define N_VARIANTS 6

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     cellar;
  gint64     variants[N_VARIANTS];
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec mug = {
    .title = "Enamel Mug", .vendor = "Fernwood", .option_names = { "Colour" },
  };
  const char *colours[N_VARIANTS] = { "Red", "Blue", "Green", "Black", "White", "Sand" };
  OmniVariantSpec specs[N_VARIANTS];
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-inventory-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->cellar = omni_store_add_location (f->store, "Cellar", FALSE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_VARIANTS; i++)
    {
      specs[i] = (OmniVariantSpec) {
        .sku = NULL, .options = { colours[i] }, .price = 1800, .cost = 700,
        .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 12,
      };
    }
  specs[0].sku = "MUG-RED";
  specs[1].sku = "MUG-BLUE";
  specs[2].sku = "MUG-GREEN";
  specs[3].sku = "MUG-BLACK";
  specs[4].sku = "MUG-WHITE";
  specs[5].sku = "MUG-SAND";
  g_assert_cmpint (omni_store_create_product (f->store, &mug, specs, N_VARIANTS,
                                              f->variants, &error), >, 0);
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

static gint64
on_hand_at (OmniStore *store,
            gint64     variant,
            gint64     location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) levels = omni_store_get_levels (store, variant, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < levels->len; i++)
    {
      OmniLevel *level = g_ptr_array_index (levels, i);

      if (level->location_id == location)
        {
          g_assert_cmpint (level->available, ==, level->on_hand - level->committed);
          return level->on_hand;
        }
    }
  g_assert_not_reached ();
}

static void
assert_invariant (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

static char *
adjust_one (Fixture        *f,
            gint64          variant,
            gint64          location,
            gint64          quantity,
            OmniAdjustMode  mode,
            GError        **error)
{
  const OmniAdjustLine line = { variant, location, quantity };
  const OmniAdjustOptions options = {
    .mode = mode, .reason = OMNI_REASON_RECEIVED, .note = "test", .actor = "Maya",
  };

  return omni_store_adjust (f->store, &line, 1, &options, error);
}

static void
test_adjust_and_set (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *op1 = adjust_one (f, f->variants[0], 0, 10, OMNI_ADJUST_DELTA, &error);
  g_autofree char *op2 = adjust_one (f, f->variants[0], f->shop, 4, OMNI_ADJUST_SET, &error);
  g_autofree char *op3 = adjust_one (f, f->variants[0], f->shop, 4, OMNI_ADJUST_SET, &error);
  g_autoptr(GPtrArray) history = NULL;
  OmniMovement *m;

  g_assert_no_error (error);
  g_assert_nonnull (op1);
  g_assert_nonnull (op2);
  g_assert_nonnull (op3);
  /* Location 0 is the default location. */
  g_assert_cmpint (on_hand_at (f->store, f->variants[0], f->shop), ==, 4);

  /* Setting to the current count records nothing. */
  history = omni_store_get_history (f->store, f->variants[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  m = g_ptr_array_index (history, 0);
  g_assert_cmpint (m->on_hand_delta, ==, -6);
  g_assert_cmpint (m->balance, ==, 4);
  g_assert_cmpstr (m->actor, ==, "Maya");
  g_assert_cmpstr (m->reason, ==, "received");
  g_assert_cmpstr (m->location, ==, "Shop Floor");
  g_assert_cmpstr (m->operation, ==, op2);
  assert_invariant (f->store);
}

static void
test_negative_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;
  g_autoptr(GPtrArray) history = NULL;

  g_free (adjust_one (f, f->variants[1], f->shop, 3, OMNI_ADJUST_DELTA, &error));
  op = adjust_one (f, f->variants[1], f->shop, -5, OMNI_ADJUST_DELTA, &error);
  g_assert_null (op);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Not enough stock: MUG-BLUE at Shop Floor has 3 available, and taking 5 "
                   "would leave -2; negative stock is not allowed in Preferences");
  g_clear_error (&error);
  g_assert_cmpint (on_hand_at (f->store, f->variants[1], f->shop), ==, 3);

  op = adjust_one (f, f->variants[1], f->shop, -1, OMNI_ADJUST_SET, &error);
  g_assert_null (op);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  history = omni_store_get_history (f->store, f->variants[1], NULL, &error);
  g_assert_cmpuint (history->len, ==, 1);

  g_assert_true (omni_store_set_setting (f->store, "allow_negative_stock", "1", &error));
  op = adjust_one (f, f->variants[1], f->shop, -5, OMNI_ADJUST_DELTA, &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
  g_assert_cmpint (on_hand_at (f->store, f->variants[1], f->shop), ==, -2);
  assert_invariant (f->store);
}

static void
test_batch_is_one_transaction (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OmniAdjustLine lines[3] = {
    { f->variants[0], f->shop, 5 },
    { f->variants[1], f->shop, 5 },
    { f->variants[2], f->shop, -1 },     /* would go negative: refuses the batch */
  };
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA };
  g_autofree char *op = omni_store_adjust (f->store, lines, 3, &options, &error);

  g_assert_null (op);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "MUG-GREEN at Shop Floor"));
  g_assert_cmpint (on_hand_at (f->store, f->variants[0], f->shop), ==, 0);
  g_assert_cmpint (on_hand_at (f->store, f->variants[1], f->shop), ==, 0);
}

static void
test_large_batch_and_undo (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (OmniAdjustLine));
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = "received" };
  g_autofree char *op = NULL;
  g_autofree char *undo = NULL;
  g_autofree char *again = NULL;
  g_autofree char *expected = NULL;
  /* Each line is a round trip or two to a PostgreSQL server: a smaller
   * batch there keeps the test within its time. */
  guint n_lines = test_store_is_postgresql () ? 600 : 10000;
  gint64 per_level[N_VARIANTS][2] = { { 0 } };

  for (guint i = 0; i < n_lines; i++)
    {
      OmniAdjustLine line = { f->variants[i % N_VARIANTS],
                              (i / N_VARIANTS) % 2 ? f->cellar : f->shop, 1 };
      g_array_append_val (lines, line);
      per_level[i % N_VARIANTS][(i / N_VARIANTS) % 2]++;
    }

  op = omni_store_adjust (f->store, &g_array_index (lines, OmniAdjustLine, 0), lines->len, &options, &error);
  g_assert_no_error (error);
  /* 10000 lines over 6 variants × 2 locations: 834 or 833 each. */
  if (n_lines == 10000)
    {
      g_assert_cmpint (on_hand_at (f->store, f->variants[0], f->shop), ==, 834);
      g_assert_cmpint (on_hand_at (f->store, f->variants[1], f->cellar), ==, 833);
      g_assert_cmpint (on_hand_at (f->store, f->variants[4], f->shop), ==, 833);
    }
  for (guint i = 0; i < N_VARIANTS; i++)
    {
      g_assert_cmpint (on_hand_at (f->store, f->variants[i], f->shop), ==, per_level[i][0]);
      g_assert_cmpint (on_hand_at (f->store, f->variants[i], f->cellar), ==, per_level[i][1]);
    }

  undo = omni_store_undo (f->store, op, "Tom", &error);
  g_assert_no_error (error);
  expected = g_strconcat ("undo:", op, NULL);
  g_assert_cmpstr (undo, ==, expected);
  for (guint i = 0; i < N_VARIANTS; i++)
    {
      g_assert_cmpint (on_hand_at (f->store, f->variants[i], f->shop), ==, 0);
      g_assert_cmpint (on_hand_at (f->store, f->variants[i], f->cellar), ==, 0);
    }

  again = omni_store_undo (f->store, op, "Tom", &error);
  g_assert_null (again);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_null (omni_store_undo (f->store, "no-such-operation", NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  assert_invariant (f->store);
}

static void
test_transfer (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;
  g_autofree char *undo = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const OmniHistoryFilter only_transfers = { .reason = "transfer" };

  g_free (adjust_one (f, f->variants[3], f->shop, 8, OMNI_ADJUST_DELTA, &error));
  op = omni_store_transfer (f->store, f->variants[3], f->shop, f->cellar, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_hand_at (f->store, f->variants[3], f->shop), ==, 3);
  g_assert_cmpint (on_hand_at (f->store, f->variants[3], f->cellar), ==, 5);

  history = omni_store_get_history (f->store, f->variants[3], &only_transfers, &error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (((OmniMovement *)history->pdata[0])->operation, ==, op);
  g_assert_cmpstr (((OmniMovement *)history->pdata[1])->operation, ==, op);
  g_assert_cmpint (((OmniMovement *)history->pdata[1])->balance, ==, 3);

  g_assert_null (omni_store_transfer (f->store, f->variants[3], f->shop, f->cellar, 4, NULL,
                                      &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (omni_store_transfer (f->store, f->variants[3], f->shop, f->shop, 1, NULL,
                                      &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Undo of a transfer after the goods were sold from the cellar would make
   * it negative: refused like any other change. */
  g_free (adjust_one (f, f->variants[3], f->cellar, 0, OMNI_ADJUST_SET, &error));
  undo = omni_store_undo (f->store, op, NULL, &error);
  g_assert_null (undo);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  assert_invariant (f->store);
}

static guint
count_alerts (Fixture  *f,
              gboolean  only_new)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = omni_store_list_alerts (f->store, only_new, &error);

  g_assert_no_error (error);
  return alerts->len;
}

static void
test_alert_raised_once_and_cleared (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  OmniStockAlert *alert;
  gint64 red = f->variants[0];

  g_free (adjust_one (f, red, f->shop, 10, OMNI_ADJUST_DELTA, &error));
  g_assert_cmpuint (count_alerts (f, FALSE), ==, 0);

  /* Crossing the reorder point (3) raises an alert... */
  g_free (adjust_one (f, red, f->shop, 2, OMNI_ADJUST_SET, &error));
  alerts = omni_store_list_alerts (f->store, TRUE, &error);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpstr (alert->sku, ==, "MUG-RED");
  g_assert_cmpint (alert->available, ==, 2);
  g_assert_cmpint (alert->reorder_point, ==, 3);
  g_assert_true (omni_store_mark_alert_notified (f->store, red, &error));

  /* ...once: a later drop keeps it without asking for a new notification. */
  g_free (adjust_one (f, red, f->shop, 1, OMNI_ADJUST_SET, &error));
  g_assert_cmpuint (count_alerts (f, TRUE), ==, 0);
  g_assert_cmpuint (count_alerts (f, FALSE), ==, 1);

  /* Stock in another location counts: 1 + 3 = 4 > 3 clears it. */
  g_free (adjust_one (f, red, f->cellar, 3, OMNI_ADJUST_DELTA, &error));
  g_assert_cmpuint (count_alerts (f, FALSE), ==, 0);

  /* Falling again is a new alert. */
  g_free (omni_store_transfer (f->store, red, f->cellar, f->shop, 1, NULL, &error));
  g_free (adjust_one (f, red, f->shop, 0, OMNI_ADJUST_SET, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_alerts (f, TRUE), ==, 1);
}

typedef struct
{
  const char *path;
  gint64      variant;
  guint       n;
} WriterData;

static gpointer
writer_thread (gpointer data)
{
  WriterData *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (w->path, &error);
  const OmniAdjustLine line = { w->variant, 0, 1 };
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA };

  g_assert_no_error (error);
  for (guint i = 0; i < w->n; i++)
    {
      g_autofree char *op = omni_store_adjust (store, &line, 1, &options, &error);

      g_assert_no_error (error);
      g_assert_nonnull (op);
    }
  return NULL;
}

static void
test_concurrent_writers (Fixture       *f,
                         gconstpointer  data)
{
  WriterData w = { f->path, f->variants[4], 300 };
  GThread *a = g_thread_new ("writer-a", writer_thread, &w);
  GThread *b = g_thread_new ("writer-b", writer_thread, &w);

  g_thread_join (a);
  g_thread_join (b);
  g_assert_cmpint (on_hand_at (f->store, f->variants[4], f->shop), ==, 600);
  assert_invariant (f->store);
}

typedef struct
{
  const char *path;
  gint64      first;
  gint64      second;
  gint64      location;
  guint       n;
  guint       done;
} SwapData;

/* Batches of two lines: one more of @first, one fewer of @second. */
static gpointer
swap_thread (gpointer data)
{
  SwapData *t = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (t->path, &error);
  const OmniAdjustLine lines[] = { { t->first, t->location, 1 }, { t->second, t->location, -1 } };
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = OMNI_REASON_CORRECTION };

  g_assert_no_error (error);
  for (guint i = 0; i < t->n; i++)
    {
      g_autofree char *op = omni_store_adjust (store, lines, G_N_ELEMENTS (lines), &options,
                                               &error);

      g_assert_no_error (error);
      g_assert_nonnull (op);
      t->done++;
    }
  return NULL;
}

/* Two tills writing batches over the same two variants in opposite orders
 * at once. On PostgreSQL each batch locks its variants by id first, so one
 * waits for the other (a deadlock, failed by the server and run again,
 * could come back five times under load and fail the batch); every batch
 * lands exactly once. */
static void
test_crossing_batches (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SwapData one = { f->path, f->variants[2], f->variants[3], f->shop, 25, 0 };
  SwapData other = { f->path, f->variants[3], f->variants[2], f->shop, 25, 0 };
  GThread *a, *b;

  g_free (adjust_one (f, f->variants[2], f->shop, 100, OMNI_ADJUST_SET, &error));
  g_free (adjust_one (f, f->variants[3], f->shop, 100, OMNI_ADJUST_SET, &error));
  g_assert_no_error (error);

  a = g_thread_new ("batch-one", swap_thread, &one);
  b = g_thread_new ("batch-other", swap_thread, &other);
  g_thread_join (a);
  g_thread_join (b);

  g_assert_cmpuint (one.done, ==, 25);
  g_assert_cmpuint (other.done, ==, 25);
  g_assert_cmpint (on_hand_at (f->store, f->variants[2], f->shop), ==, 100);
  g_assert_cmpint (on_hand_at (f->store, f->variants[3], f->shop), ==, 100);
  assert_invariant (f->store);
}

/* A model of the levels kept in memory, checked against the store after
 * thousands of random operations. */
static void
test_random_operations_keep_invariant (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (g_free);
  gint64 model[N_VARIANTS][2] = { { 0 } };
  gint64 locations[2] = { f->shop, f->cellar };
  guint refused = 0;

  for (guint step = 0; step < 3000; step++)
    {
      g_autoptr(GError) error = NULL;
      guint v = g_rand_int_range (rand, 0, N_VARIANTS);
      guint l = g_rand_int_range (rand, 0, 2);
      gint64 q = g_rand_int_range (rand, -6, 12);
      guint kind = g_rand_int_range (rand, 0, 10);
      char *op = NULL;

      if (kind < 6)
        {
          op = adjust_one (f, f->variants[v], locations[l], q, OMNI_ADJUST_DELTA, &error);
          if (op != NULL)
            model[v][l] += q;
        }
      else if (kind < 8)
        {
          op = adjust_one (f, f->variants[v], locations[l], ABS (q), OMNI_ADJUST_SET, &error);
          if (op != NULL)
            model[v][l] = ABS (q);
        }
      else
        {
          op = omni_store_transfer (f->store, f->variants[v], locations[l], locations[1 - l],
                                    ABS (q) + 1, NULL, &error);
          if (op != NULL)
            {
              model[v][l] -= ABS (q) + 1;
              model[v][1 - l] += ABS (q) + 1;
            }
        }

      if (op == NULL)
        {
          /* The only refusal this walk can meet is negative stock. */
          g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, "Not enough stock"));
          refused++;
          continue;
        }
      g_ptr_array_add (ops, op);
    }

  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (refused, <, 3000);
  for (guint v = 0; v < N_VARIANTS; v++)
    for (guint l = 0; l < 2; l++)
      {
        g_assert_cmpint (model[v][l], >=, 0);
        g_assert_cmpint (on_hand_at (f->store, f->variants[v], locations[l]), ==, model[v][l]);
      }
  assert_invariant (f->store);
}

static void
test_list_levels (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) cellar = NULL;
  const gint64 ids[] = { f->variants[2], f->variants[0], 999999 };
  const OmniLevel *level;

  g_free (adjust_one (f, f->variants[0], f->shop, 7, OMNI_ADJUST_DELTA, &error));
  g_free (adjust_one (f, f->variants[2], f->cellar, 4, OMNI_ADJUST_DELTA, &error));
  g_assert_no_error (error);

  /* In the order asked, default location first, unknown ids skipped. */
  all = omni_store_list_levels (f->store, ids, G_N_ELEMENTS (ids), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);
  level = g_ptr_array_index (all, 0);
  g_assert_cmpint (level->variant_id, ==, f->variants[2]);
  g_assert_cmpint (level->location_id, ==, f->shop);
  g_assert_cmpint (level->on_hand, ==, 0);
  level = g_ptr_array_index (all, 1);
  g_assert_cmpint (level->variant_id, ==, f->variants[2]);
  g_assert_cmpint (level->location_id, ==, f->cellar);
  g_assert_cmpint (level->on_hand, ==, 4);
  g_assert_cmpint (level->available, ==, 4);
  level = g_ptr_array_index (all, 2);
  g_assert_cmpint (level->variant_id, ==, f->variants[0]);
  g_assert_cmpint (level->on_hand, ==, 7);
  g_assert_true (level->is_default);

  cellar = omni_store_list_levels (f->store, ids, 2, f->cellar, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cellar->len, ==, 2);
  g_assert_cmpint (((OmniLevel *) g_ptr_array_index (cellar, 0))->on_hand, ==, 4);
  g_assert_cmpint (((OmniLevel *) g_ptr_array_index (cellar, 1))->on_hand, ==, 0);
  g_assert_cmpstr (((OmniLevel *) g_ptr_array_index (cellar, 1))->location, ==, "Cellar");
}

static void
test_locations (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 van;
  const OmniLocation *location;

  van = omni_store_add_location (f->store, "Van", FALSE, &error);
  g_assert_no_error (error);

  /* Rename: a clash with another name (any case) is refused. */
  g_assert_false (omni_store_rename_location (f->store, van, "cellar", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (omni_store_rename_location (f->store, van, "  ", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (omni_store_rename_location (f->store, van, " Market Van ", &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_location (f->store, "Market Van", &error), ==, van);

  /* The default cannot be archived; a location holding stock neither. */
  g_assert_false (omni_store_set_location_archived (f->store, f->shop, TRUE, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_free (adjust_one (f, f->variants[0], van, 2, OMNI_ADJUST_DELTA, &error));
  g_assert_false (omni_store_set_location_archived (f->store, van, TRUE, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "“Market Van” still holds stock of 1 variant(s): transfer or adjust it "
                   "to zero before archiving");
  g_clear_error (&error);
  g_free (adjust_one (f, f->variants[0], van, 0, OMNI_ADJUST_SET, &error));
  g_assert_true (omni_store_set_location_archived (f->store, van, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_location (f->store, "Market Van", NULL), ==, 0);

  /* An archived location cannot be the default; an active one can. */
  g_assert_false (omni_store_set_default_location (f->store, van, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (omni_store_set_default_location (f->store, f->cellar, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_default_location (f->store, &error), ==, f->cellar);

  locations = omni_store_list_locations (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locations->len, ==, 2);
  location = g_ptr_array_index (locations, 0);
  g_assert_cmpstr (location->name, ==, "Cellar");
  g_assert_true (location->is_default);
  location = g_ptr_array_index (locations, 1);
  g_assert_cmpstr (location->name, ==, "Shop Floor");
  g_assert_false (location->is_default);

  all = omni_store_list_locations (f->store, TRUE, &error);
  g_assert_cmpuint (all->len, ==, 3);
  location = g_ptr_array_index (all, 2);
  g_assert_cmpint (location->id, ==, van);
  g_assert_true (location->archived);

  /* Restored, it is offered again; the unknown id is refused. */
  g_assert_true (omni_store_set_location_archived (f->store, van, FALSE, &error));
  g_assert_cmpint (omni_store_find_location (f->store, "Market Van", &error), ==, van);
  g_assert_false (omni_store_rename_location (f->store, 4242, "Nowhere", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_invariant (f->store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/inventory/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("adjust-and-set", test_adjust_and_set);
  ADD ("negative-refused", test_negative_refused);
  ADD ("batch-is-one-transaction", test_batch_is_one_transaction);
  ADD ("large-batch-and-undo", test_large_batch_and_undo);
  ADD ("transfer", test_transfer);
  ADD ("alert-raised-once-and-cleared", test_alert_raised_once_and_cleared);
  ADD ("concurrent-writers", test_concurrent_writers);
  ADD ("crossing-batches", test_crossing_batches);
  ADD ("random-operations-keep-invariant", test_random_operations_keep_invariant);
  ADD ("list-levels", test_list_levels);
  ADD ("locations", test_locations);

#undef ADD

  return g_test_run ();
}
