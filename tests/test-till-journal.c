/* test-till-journal.c: a till that sold while the shared store's server was
 * away sends its 500 changes exactly once, conflicts go to the owner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include <sqlite3.h>

#include "omni-store.h"
#include "omni-store-count.h"
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


/* Counting offline ---------------------------------------------------- */

static gint64
entry_time_us (const OmniTillEntry *e)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (e->created_at, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static OmniCountLine *
count_line (Fixture *f,
            gint64   session,
            gint64   variant)
{
  g_autoptr(GError) error = NULL;
  OmniCountLine *line = omni_store_count_get_line (f->store, session, variant, &error);

  g_assert_no_error (error);
  return line;
}

static gint64
start_count (OmniStore *store,
             gint64     location)
{
  g_autoptr(GError) error = NULL;
  gint64 session = omni_store_count_start (store, location, "all", NULL, "owner", &error);

  g_assert_no_error (error);
  g_assert_cmpint (session, >, 0);
  return session;
}

static void
sell_on_server (Fixture *f,
                gint64   variant,
                gint64   quantity)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;
  OmniAdjustLine sale = { variant, 0, -quantity };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = OMNI_REASON_SOLD };

  op = omni_store_adjust (f->store, &sale, 1, &options, &error);
  g_assert_no_error (error);
}

/* The till sells 3 of the scarce mug, then counts 6 of it and corrects the
 * plentiful one to 985, offline; after the scans, another till sells 2 and
 * 5 on the server. A first replay sent the sale and the first scan and was
 * cut off. Everything arrives once; the sales after the scans are not in
 * what was counted. */
static void
test_count_offline_replayed_once (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(OmniCountLine) sand = NULL;
  g_autoptr(OmniCountLine) red = NULL;
  g_autoptr(OmniCountLine) sent = NULL;
  g_autofree char *op = NULL;
  g_autofree char *commit = NULL;
  OmniTillReplayResult result = { 0, };
  gboolean already = TRUE;
  gint64 session, before;

  session = start_count (f->store, f->shop);
  g_assert_true (omni_till_journal_remember_counts (f->journal, f->store, &error));
  g_assert_no_error (error);
  counts = omni_till_journal_list_counts (f->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts->len, ==, 1);
  g_assert_cmpint (((OmniTillCount *)counts->pdata[0])->session_id, ==, session);
  g_assert_cmpstr (((OmniTillCount *)counts->pdata[0])->location, ==, "Shop Floor");
  g_assert_cmpstr (((OmniTillCount *)counts->pdata[0])->scope, ==, "all");

  /* Offline. */
  g_free (omni_till_journal_record (f->journal, "MUG-SAND", NULL, -3, OMNI_REASON_SOLD, NULL,
                                    "till 2", &error));
  g_assert_no_error (error);
  g_usleep (2000);
  op = omni_till_journal_record_count (f->journal, session, " MUG-SAND ", 6, FALSE, "till 2",
                                       &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (op, "till-count:"));
  g_free (omni_till_journal_record_count (f->journal, session, "MUG-RED", 500, FALSE, "till 2",
                                          &error));
  g_assert_no_error (error);
  g_free (omni_till_journal_record_count (f->journal, session, "MUG-RED", 985, TRUE, "till 2",
                                          &error));
  g_assert_no_error (error);
  g_usleep (2000);

  /* Meanwhile, on the server. */
  sell_on_server (f, f->scarce, 2);
  sell_on_server (f, f->plenty, 5);

  /* The cut-off first replay: the sale and the first scan got through. */
  pending = omni_till_journal_list (f->journal, OMNI_TILL_ENTRY_PENDING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 4);
  {
    const OmniTillEntry *e = pending->pdata[0];
    OmniAdjustLine line = { f->scarce, 0, e->quantity };
    OmniAdjustOptions replayed = { .mode = OMNI_ADJUST_DELTA, .reason = e->reason,
                                   .operation = e->operation, .time_us = entry_time_us (e) };
    g_autofree char *sale = omni_store_adjust (f->store, &line, 1, &replayed, &error);

    g_assert_no_error (error);
    g_assert_cmpint (e->kind, ==, OMNI_TILL_ENTRY_ADJUST);
  }
  {
    const OmniTillEntry *e = pending->pdata[1];
    OmniCountScanOptions options = { .op_id = e->operation, .time_us = entry_time_us (e) };

    g_assert_cmpint (e->kind, ==, OMNI_TILL_ENTRY_COUNT_SCAN);
    g_assert_cmpint (e->session_id, ==, session);
    g_assert_cmpstr (e->sku, ==, "MUG-SAND");
    g_assert_cmpstr (e->operation, ==, op);
    sent = omni_store_count_scan_offline (f->store, session, e->sku, e->quantity, &options,
                                          &already, &error);
    g_assert_no_error (error);
    g_assert_false (already);
    g_assert_cmpint (sent->counted, ==, 6);
  }
  g_assert_cmpint (((OmniTillEntry *)pending->pdata[3])->kind, ==, OMNI_TILL_ENTRY_COUNT_SET);
  before = movements_of (f->store);

  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.already_there, ==, 2);
  g_assert_cmpuint (result.applied, ==, 2);
  g_assert_cmpuint (result.conflicts, ==, 0);
  g_assert_cmpuint (result.pending, ==, 0);
  g_assert_cmpint (movements_of (f->store), ==, before);

  /* Replaying again adds nothing. */
  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_cmpuint (result.applied + result.already_there + result.conflicts, ==, 0);

  /* At the scan the shelf held 10 - 3 = 7 by the books; the sale of 2
   * after it is not in what was counted. */
  sand = count_line (f, session, f->scarce);
  g_assert_cmpint (sand->counted, ==, 6);
  g_assert_cmpint (sand->expected, ==, 7);
  g_assert_cmpint (sand->variance, ==, -1);
  g_assert_true (sand->scanned);
  red = count_line (f, session, f->plenty);
  g_assert_cmpint (red->counted, ==, 985);
  g_assert_cmpint (red->expected, ==, 1000);
  g_assert_cmpint (red->variance, ==, -15);
  g_assert_cmpint (on_hand (f->store, f->scarce), ==, 5);
  g_assert_cmpint (on_hand (f->store, f->plenty), ==, 995);

  commit = omni_store_count_commit (f->store, session, "owner", &error);
  g_assert_no_error (error);
  /* What was counted, less what was sold after the scans. */
  g_assert_cmpint (on_hand (f->store, f->scarce), ==, 4);
  g_assert_cmpint (on_hand (f->store, f->plenty), ==, 980);
  g_assert_cmpint (movements_of (f->store), ==, before + 2);
  assert_invariant (f->store);

  /* Sent once more after the commit (a journal restored from a backup):
   * still known, nothing added. */
  {
    const OmniTillEntry *e = pending->pdata[1];
    OmniCountScanOptions options = { .op_id = e->operation, .time_us = entry_time_us (e) };
    g_autoptr(OmniCountLine) again = omni_store_count_scan_offline (f->store, session, e->sku,
                                                                    e->quantity, &options,
                                                                    &already, &error);

    g_assert_no_error (error);
    g_assert_true (already);
    g_assert_cmpint (again->counted, ==, 6);
  }
  g_assert_cmpint (movements_of (f->store), ==, before + 2);
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_APPLIED), ==, 4);

  /* The count is closed: the till no longer offers it. */
  g_assert_true (omni_till_journal_remember_counts (f->journal, f->store, &error));
  g_clear_pointer (&counts, g_ptr_array_unref);
  counts = omni_till_journal_list_counts (f->journal, &error);
  g_assert_cmpuint (counts->len, ==, 0);
}

static const OmniTillEntry *
find_entry (GPtrArray  *entries,
            const char *operation)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (((OmniTillEntry *)entries->pdata[i])->operation, operation) == 0)
      return entries->pdata[i];
  g_assert_not_reached ();
  return NULL;
}

/* What the server refuses is listed, with why, and the owner settles it. */
static void
test_count_conflicts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(OmniCountLine) line = NULL;
  g_autofree char *unknown_op = NULL, *archived_op = NULL, *cancelled_op = NULL;
  g_autofree char *missing_op = NULL, *message = NULL;
  OmniTillReplayResult result = { 0, };
  gint64 back, stock, s_shop, s_back, s_stock, s_new, before;
  const OmniTillEntry *e;

  back = omni_store_add_location (f->store, "Back Room", FALSE, &error);
  g_assert_no_error (error);
  stock = omni_store_add_location (f->store, "Stock Room", FALSE, &error);
  g_assert_no_error (error);
  s_shop = start_count (f->store, f->shop);
  s_back = start_count (f->store, back);
  s_stock = start_count (f->store, stock);

  unknown_op = omni_till_journal_record_count (f->journal, s_shop, "4006381333931", 1, FALSE,
                                               NULL, &error);
  archived_op = omni_till_journal_record_count (f->journal, s_back, "MUG-RED", 4, FALSE, NULL,
                                                &error);
  cancelled_op = omni_till_journal_record_count (f->journal, s_stock, "MUG-SAND", 3, FALSE, NULL,
                                                 &error);
  missing_op = omni_till_journal_record_count (f->journal, 9999, "MUG-SAND", 1, FALSE, NULL,
                                               &error);
  g_assert_no_error (error);

  /* Meanwhile the back room is given up and the stock room's count
   * cancelled. */
  g_assert_true (omni_store_set_location_archived (f->store, back, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_count_cancel (f->store, s_stock, &error));
  g_assert_no_error (error);
  before = movements_of (f->store);

  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.conflicts, ==, 4);
  g_assert_cmpuint (result.applied + result.already_there + result.pending, ==, 0);
  conflicts = omni_till_journal_list (f->journal, OMNI_TILL_ENTRY_CONFLICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 4);
  g_assert_cmpstr (find_entry (conflicts, unknown_op)->message, ==,
                   "Unknown code “4006381333931”: no active variant has this barcode or SKU; "
                   "it is listed with the count's unknown codes");
  g_assert_cmpstr (find_entry (conflicts, archived_op)->message, ==,
                   "The count's location “Back Room” was archived; it takes no more scans");
  message = g_strdup_printf ("Stock count %" G_GINT64_FORMAT " is already cancelled", s_stock);
  g_assert_cmpstr (find_entry (conflicts, cancelled_op)->message, ==, message);
  g_assert_cmpstr (find_entry (conflicts, missing_op)->message, ==,
                   "There is no stock count 9999");

  /* The unknown code waits in the count's review, scanned once. */
  unknown = omni_store_count_unknown_codes (f->store, s_shop, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_cmpstr (((OmniCountUnknown *)unknown->pdata[0])->code, ==, "4006381333931");
  g_assert_cmpint (((OmniCountUnknown *)unknown->pdata[0])->scans, ==, 1);

  /* Applying the cancelled count's scan needs another count of the stock
   * room: refused, nothing changes, until one is open. */
  e = find_entry (conflicts, cancelled_op);
  g_assert_false (omni_till_journal_resolve (f->journal, f->store, e->id, TRUE, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_free (message);
  message = g_strdup_printf ("Stock count %" G_GINT64_FORMAT " is cancelled and no other count "
                             "of “Stock Room” is open; start one, then apply this scan again, "
                             "or drop it", s_stock);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_CONFLICT), ==, 4);

  s_new = start_count (f->store, stock);
  g_assert_true (omni_till_journal_resolve (f->journal, f->store, e->id, TRUE, &error));
  g_assert_no_error (error);
  line = count_line (f, s_new, f->scarce);
  g_assert_cmpint (line->counted, ==, 3);
  g_assert_cmpint (line->expected, ==, 0);
  /* Settled once. */
  g_assert_false (omni_till_journal_resolve (f->journal, f->store, e->id, TRUE, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&line, omni_count_line_free);
  line = count_line (f, s_new, f->scarce);
  g_assert_cmpint (line->counted, ==, 3);

  /* The archived location's count and the missing count take nothing. */
  g_assert_false (omni_till_journal_resolve (f->journal, f->store,
                                             find_entry (conflicts, archived_op)->id, TRUE,
                                             &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (omni_till_journal_resolve (f->journal, f->store,
                                             find_entry (conflicts, missing_op)->id, TRUE,
                                             &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The code is still unknown: applying fails again, without counting
   * it a second time. */
  g_assert_false (omni_till_journal_resolve (f->journal, f->store,
                                             find_entry (conflicts, unknown_op)->id, TRUE,
                                             &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&unknown, g_ptr_array_unref);
  unknown = omni_store_count_unknown_codes (f->store, s_shop, &error);
  g_assert_cmpint (((OmniCountUnknown *)unknown->pdata[0])->scans, ==, 2);
  g_clear_pointer (&line, omni_count_line_free);

  for (guint i = 0; i < conflicts->len; i++)
    if (g_strcmp0 (((OmniTillEntry *)conflicts->pdata[i])->operation, cancelled_op) != 0)
      {
        g_assert_true (omni_till_journal_resolve (f->journal, NULL,
                                                  ((OmniTillEntry *)conflicts->pdata[i])->id,
                                                  FALSE, &error));
        g_assert_no_error (error);
      }
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_CONFLICT), ==, 0);
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_DROPPED), ==, 3);
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_APPLIED), ==, 1);
  g_assert_cmpint (movements_of (f->store), ==, before);
}

/* A scan from before a count that was committed since is out of date. */
static void
test_count_scan_out_of_date (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(OmniCountLine) online = NULL;
  g_autofree char *commit = NULL;
  g_autofree char *message = NULL;
  OmniTillReplayResult result = { 0, };
  gint64 first, second;

  first = start_count (f->store, f->shop);
  g_free (omni_till_journal_record_count (f->journal, first, "MUG-RED", 7, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_usleep (2000);
  /* Another device counts the mug online and commits. */
  online = omni_store_count_scan (f->store, first, "MUG-RED", 990, &error);
  g_assert_no_error (error);
  commit = omni_store_count_commit (f->store, first, "owner", &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_hand (f->store, f->plenty), ==, 990);

  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_cmpuint (result.conflicts, ==, 1);
  second = start_count (f->store, f->shop);
  conflicts = omni_till_journal_list (f->journal, OMNI_TILL_ENTRY_CONFLICT, &error);
  g_assert_false (omni_till_journal_resolve (f->journal, f->store,
                                             ((OmniTillEntry *)conflicts->pdata[0])->id, TRUE,
                                             &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  message = g_strdup_printf ("“MUG-RED” was counted again after this scan (Stock count %"
                             G_GINT64_FORMAT "); the scan is out of date", first);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
  g_clear_pointer (&online, omni_count_line_free);
  online = count_line (f, second, f->plenty);
  g_assert_false (online->scanned);
  g_assert_cmpint (online->counted, ==, 0);
}

static void
test_count_bad_input_recorded_nowhere (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *long_code = g_strnfill (OMNI_COUNT_MAX_CODE + 1, '7');
  struct { gint64 session; const char *code; gint64 quantity; gboolean set; const char *message; }
  cases[] = {
    { 0, "MUG-RED", 1, FALSE, "A stock count's number is 1 or more, not 0" },
    { 1, "", 1, FALSE, "The scanned code is required and cannot be empty" },
    { 1, "   ", 1, FALSE, "The scanned code is required and cannot be empty" },
    { 1, long_code, 1, FALSE, NULL },
    { 1, "MUG-RED", 0, FALSE, "A scan adds from 1 to 100000 (or takes back as many), not 0" },
    { 1, "MUG-RED", 100001, FALSE,
      "A scan adds from 1 to 100000 (or takes back as many), not 100001" },
    { 1, "MUG-RED", -1, TRUE, "A counted quantity must be zero or more, not -1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *op = omni_till_journal_record_count (f->journal, cases[i].session, cases[i].code,
                                                 cases[i].quantity, cases[i].set, NULL, &error);

      g_assert_null (op);
      g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }
  all = omni_till_journal_list (f->journal, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);

  /* The store refuses the same, and a scan without its time. */
  {
    OmniCountScanOptions options = { .op_id = "till-count:x", .time_us = 0 };
    gint64 session = start_count (f->store, f->shop);

    g_assert_null (omni_store_count_scan_offline (f->store, session, "MUG-RED", 1, &options, NULL,
                                                  &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_clear_error (&error);
    options.time_us = g_get_real_time ();
    options.set = TRUE;
    g_assert_null (omni_store_count_scan_offline (f->store, session, "MUG-RED", -3, &options,
                                                  NULL, &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_clear_error (&error);
    options.set = FALSE;
    options.op_id = "";
    g_assert_null (omni_store_count_scan_offline (f->store, session, "MUG-RED", 1, &options, NULL,
                                                  &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_clear_error (&error);
    {
      g_autoptr(OmniCountLine) line = count_line (f, session, f->plenty);

      g_assert_false (line->scanned);
      g_assert_cmpint (line->counted, ==, 0);
    }
  }
}

/* A journal written by the version before count entries opens, keeps its
 * waiting sale and sends it. */
static void
test_journal_from_version_1 (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *path = g_strdup (omni_till_journal_get_path (f->journal));
  g_autofree char *store = omni_store_redact_location (f->uri);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  OmniTillReplayResult result = { 0, };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_clear_object (&f->journal);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE entries (id INTEGER PRIMARY KEY, operation TEXT NOT NULL UNIQUE,"
    " sku TEXT NOT NULL CHECK (length (sku) BETWEEN 1 AND 200), location TEXT,"
    " quantity INTEGER NOT NULL CHECK (quantity <> 0), reason TEXT NOT NULL, note TEXT,"
    " actor TEXT NOT NULL, created_us INTEGER NOT NULL, created_at TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'pending'"
    " CHECK (state IN ('pending', 'applied', 'conflict', 'dropped')), message TEXT) STRICT;"
    "CREATE INDEX entries_state ON entries (state, id);"
    "CREATE TABLE journal (store TEXT NOT NULL) STRICT;"
    "INSERT INTO entries (operation, sku, quantity, reason, actor, created_us, created_at)"
    " VALUES ('till:old-1', 'MUG-SAND', -4, 'sold', 'till 1', 1700000000000000,"
    " '2023-11-14T22:13:20.000000Z');",
    NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO journal (store) VALUES (?1)", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, store, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  f->journal = omni_till_journal_open (f->uri, &error);
  g_assert_no_error (error);
  entries = omni_till_journal_list (f->journal, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((OmniTillEntry *)entries->pdata[0])->operation, ==, "till:old-1");
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[0])->kind, ==, OMNI_TILL_ENTRY_ADJUST);
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[0])->quantity, ==, -4);
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[0])->session_id, ==, 0);

  /* Count entries go in beside it; opened again, nothing changes. */
  g_free (omni_till_journal_record_count (f->journal, 1, "MUG-RED", 0, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->journal);
  f->journal = omni_till_journal_open (f->uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_till_journal_count (f->journal, OMNI_TILL_ENTRY_PENDING), ==, 2);

  g_assert_true (omni_till_journal_replay (f->journal, f->store, &result, NULL, &error));
  g_assert_no_error (error);
  /* The sale is sent; count 1 does not exist on this server. */
  g_assert_cmpuint (result.applied, ==, 1);
  g_assert_cmpuint (result.conflicts, ==, 1);
  g_assert_cmpint (on_hand (f->store, f->scarce), ==, 6);
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

  g_test_add ("/till-journal/count-offline-replayed-once", Fixture, NULL, fixture_set_up,
              test_count_offline_replayed_once, fixture_tear_down);
  g_test_add ("/till-journal/count-conflicts", Fixture, NULL, fixture_set_up,
              test_count_conflicts, fixture_tear_down);
  g_test_add ("/till-journal/count-scan-out-of-date", Fixture, NULL, fixture_set_up,
              test_count_scan_out_of_date, fixture_tear_down);
  g_test_add ("/till-journal/count-bad-input-recorded-nowhere", Fixture, NULL, fixture_set_up,
              test_count_bad_input_recorded_nowhere, fixture_tear_down);
  g_test_add ("/till-journal/journal-from-version-1", Fixture, NULL, fixture_set_up,
              test_journal_from_version_1, fixture_tear_down);

  return g_test_run ();
}
