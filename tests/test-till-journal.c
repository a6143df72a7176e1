/* test-till-journal.c: a till that sold while the shared store's server was
 * away sends its 500 changes exactly once, conflicts go to the owner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-inventory.h"
#include "omni-till-journal.h"
#include "pg-test-server.h"

typedef struct
{
  char            *dir;
  char            *uri;
  OmniStore       *store;
  OmniTillJournal *journal;
  gint64           plenty;    /* 1,000 on hand */
  gint64           scarce;    /* 10 on hand */
  gint64           shop;
} Fixture;

static void
set_on_hand (OmniStore *store,
             gint64     variant,
             gint64     quantity)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;
  OmniAdjustLine line = { variant, 0, quantity };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .reason = "received" };

  op = omni_store_adjust (store, &line, 1, &options, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec mug = { .title = "Enamel Mug", .option_names = { "Colour" } };
  OmniVariantSpec specs[2] = {
    { .sku = "MUG-RED", .options = { "Red" }, .price = 1800, .compare_at_price = -1,
      .cost = 700, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "MUG-SAND", .options = { "Sand" }, .price = 1800, .compare_at_price = -1,
      .cost = 700, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[2];
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-till-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("OMNISTOCK_JOURNAL_DIR", f->dir, TRUE);

  f->uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  f->store = omni_store_open (f->uri, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &mug, specs, 2, ids, &error), >, 0);
  g_assert_no_error (error);
  f->plenty = ids[0];
  f->scarce = ids[1];
  set_on_hand (f->store, f->plenty, 1000);
  set_on_hand (f->store, f->scarce, 10);

  f->journal = omni_till_journal_open (f->uri, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_strdup (omni_till_journal_get_path (f->journal));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->journal);
  g_clear_object (&f->store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
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

static gint64
movements_of (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  OmniStoreStats stats = { 0, };
  gint64 n;

  g_assert_true (omni_store_get_stats (store, &stats, &error));
  g_assert_no_error (error);
  n = stats.movements;
  omni_store_stats_clear (&stats);
  return n;
}

static void
assert_invariant (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

/* 490 single sales of the plentiful mug and 10 of the scarce one, of which
 * another till sells 5 while this one is offline. */
static void
record_offline_day (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 500; i++)
    {
      gboolean scarce = i % 50 == 49;
      g_autofree char *op = omni_till_journal_record (f->journal, scarce ? "MUG-SAND" : "MUG-RED",
                                                      NULL, -1, OMNI_REASON_SOLD, NULL, "till 2",
                                                      &error);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (op, "till:"));
    }
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_PENDING), ==, 500);
}

static void
test_replay_exactly_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  OmniTillReplayResult result = { 0, };
  OmniAdjustLine sale = { f->scarce, 0, -5 };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = OMNI_REASON_SOLD };
  g_autofree char *other = NULL;
  gint64 before;

  record_offline_day (f);

  /* Meanwhile the counter till sells five of the scarce mug. */
  other = omni_store_adjust (f->store, &sale, 1, &options, &error);
  g_assert_no_error (error);

  /* A first replay reached the server for 100 entries and was cut off
   * before the journal noted it: those are on the server already. */
  pending = omni_till_journal_list (f->journal, OMNI_TILL_ENTRY_PENDING, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    {
      const OmniTillEntry *e = pending->pdata[i];
      OmniAdjustLine line = { e->sku[4] == 'S' ? f->scarce : f->plenty, 0, e->quantity };
      OmniAdjustOptions replayed = { .mode = OMNI_ADJUST_DELTA, .reason = e->reason,
                                     .operation = e->operation };
      g_autofree char *op = omni_store_adjust (f->store, &line, 1, &replayed, &error);

      g_assert_no_error (error);
    }
  before = movements_of (f->store);

  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.already_there, ==, 100);
  g_assert_cmpuint (result.applied, ==, 395);
  g_assert_cmpuint (result.conflicts, ==, 5);
  g_assert_cmpuint (result.pending, ==, 0);

  /* 490 + 10 sales, 5 of the scarce refused: 1,000 - 490 and 10 - 5 - 5. */
  g_assert_cmpint (on_hand (f->store, f->plenty), ==, 510);
  g_assert_cmpint (on_hand (f->store, f->scarce), ==, 0);
  g_assert_cmpint (movements_of (f->store), ==, before + 395);
  assert_invariant (f->store);

  conflicts = omni_till_journal_list (f->journal, OMNI_TILL_ENTRY_CONFLICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 5);
  g_assert_cmpstr (((OmniTillEntry *)conflicts->pdata[0])->sku, ==, "MUG-SAND");
  g_assert_true (g_str_has_prefix (((OmniTillEntry *)conflicts->pdata[0])->message,
                                   "Not enough stock: MUG-SAND at Shop Floor has 0 available"));

  /* Replaying again sends nothing. */
  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_cmpuint (result.applied + result.already_there + result.conflicts, ==, 0);
  g_assert_cmpint (movements_of (f->store), ==, before + 395);
}

static void
test_owner_resolves (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  OmniTillReplayResult result = { 0, };
  gint64 before;

  set_on_hand (f->store, f->scarce, 0);
  g_free (omni_till_journal_record (f->journal, "MUG-SAND", NULL, -2, OMNI_REASON_SOLD, NULL,
                                    NULL, &error));
  g_free (omni_till_journal_record (f->journal, "MUG-SAND", NULL, -1, OMNI_REASON_SOLD, NULL,
                                    NULL, &error));
  g_free (omni_till_journal_record (f->journal, "NO-SUCH-SKU", NULL, -1, OMNI_REASON_SOLD, NULL,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_cmpuint (result.conflicts, ==, 3);
  conflicts = omni_till_journal_list (f->journal, OMNI_TILL_ENTRY_CONFLICT, &error);
  g_assert_cmpuint (conflicts->len, ==, 3);
  g_assert_nonnull (strstr (((OmniTillEntry *)conflicts->pdata[2])->message, "NO-SUCH-SKU"));
  before = movements_of (f->store);

  /* The goods left the shop: the owner records the sale; stock shows -2. */
  g_assert_true (omni_till_journal_resolve (f->journal, f->store,
                                            ((OmniTillEntry *)conflicts->pdata[0])->id, TRUE,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpint (on_hand (f->store, f->scarce), ==, -2);
  g_assert_true (omni_till_journal_resolve (f->journal, NULL,
                                            ((OmniTillEntry *)conflicts->pdata[1])->id, FALSE,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpint (movements_of (f->store), ==, before + 1);
  assert_invariant (f->store);

  /* Settled once: a second decision is refused and changes nothing. */
  g_assert_false (omni_till_journal_resolve (f->journal, f->store,
                                             ((OmniTillEntry *)conflicts->pdata[0])->id, TRUE,
                                             &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (on_hand (f->store, f->scarce), ==, -2);
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_CONFLICT), ==, 1);
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_DROPPED), ==, 1);
}

static void
test_bad_input_recorded_nowhere (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *op;

  op = omni_till_journal_record (f->journal, "MUG-RED", NULL, 0, OMNI_REASON_SOLD, NULL, NULL,
                                 &error);
  g_assert_null (op);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "A quantity is a change of 1 to 1000000000 units, not 0");
  g_clear_error (&error);

  op = omni_till_journal_record (f->journal, "", NULL, -1, OMNI_REASON_SOLD, NULL, NULL, &error);
  g_assert_null (op);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  op = omni_till_journal_record (f->journal, "MUG-RED", NULL, -2000000000, OMNI_REASON_SOLD, NULL,
                                 NULL, &error);
  g_assert_null (op);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);

  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_PENDING), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/till-journal/replay-exactly-once", Fixture, NULL, fixture_set_up,
              test_replay_exactly_once, fixture_tear_down);
  g_test_add ("/till-journal/owner-resolves", Fixture, NULL, fixture_set_up,
              test_owner_resolves, fixture_tear_down);
  g_test_add ("/till-journal/bad-input-recorded-nowhere", Fixture, NULL, fixture_set_up,
              test_bad_input_recorded_nowhere, fixture_tear_down);

  return g_test_run ();
}
