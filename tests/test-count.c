/* test-count.c: stock counts, sales during a count, crash and resume
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-count.h"
#include "omni-store-inventory.h"
#include "test-store-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     back;
  gint64     ids[4];   /* CUP-1, CUP-2, CUP-3, CUP-4 */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec cup = { .title = "Espresso Cup", .vendor = "Kiln", .tags = "ceramic",
                                .option_names = { "Glaze" } };
  const OmniVariantSpec glazes[] = {
    { .sku = "CUP-1", .barcode = "4006381333931", .options = { "Moss" }, .price = 900,
      .cost = 300, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-2", .barcode = "036000291452", .options = { "Ash" }, .price = 900,
      .cost = 300, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-3", .options = { "Rust" }, .price = 900, .cost = 300,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-4", .options = { "Snow" }, .price = 900, .cost = 300,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-count-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->back = omni_store_add_location (f->store, "Back Room", FALSE, &error);
  g_assert_cmpint (omni_store_create_product (f->store, &cup, glazes, 4, f->ids, &error), >, 0);
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
set_stock (Fixture *f,
           gint64   variant,
           gint64   location,
           gint64   quantity)
{
  g_autoptr(GError) error = NULL;
  const OmniAdjustLine line = { variant, location, quantity };
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .reason = "received" };
  g_autofree char *op = omni_store_adjust (f->store, &line, 1, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (op);
}

static void
sell (Fixture *f,
      gint64   variant,
      gint64   quantity)
{
  g_autoptr(GError) error = NULL;
  const OmniAdjustLine line = { variant, f->shop, -quantity };
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = "sold" };
  g_autofree char *op = omni_store_adjust (f->store, &line, 1, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (op);
}

static gint64
on_hand (Fixture *f,
         gint64   variant,
         gint64   location)
{
  g_autoptr(GPtrArray) levels = omni_store_get_levels (f->store, variant, NULL);

  for (guint i = 0; i < levels->len; i++)
    if (((OmniLevel *)levels->pdata[i])->location_id == location)
      return ((OmniLevel *)levels->pdata[i])->on_hand;
  g_assert_not_reached ();
}

static OmniCountLine *
find_line (GPtrArray *lines,
           gint64     variant)
{
  for (guint i = 0; i < lines->len; i++)
    if (((OmniCountLine *)lines->pdata[i])->variant_id == variant)
      return lines->pdata[i];
  return NULL;
}

static void
scan (Fixture    *f,
      gint64      session,
      const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gint64 quantity = 0;
  g_autoptr(OmniCountLine) line = NULL;

  g_assert_true (omni_count_parse_input (input, &code, &quantity, &error));
  line = omni_store_count_scan (f->store, session, code, quantity, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
}

/* The scripted count of the issue: scans, a multiplier, an unknown code,
 * sales in both orders relative to the scan, a commit. */
static void
test_scripted_count (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(OmniCountLine) last = NULL;
  g_autofree char *operation = NULL;
  const OmniHistoryFilter counts_only = { .reason = "count" };
  gint64 session;

  set_stock (f, f->ids[0], f->shop, 10);   /* CUP-1: sold after its scan */
  set_stock (f, f->ids[1], f->shop, 10);   /* CUP-2: sold before its scan */
  set_stock (f, f->ids[2], f->shop, 4);    /* CUP-3: never scanned: not found */
  set_stock (f, f->ids[3], f->back, 6);    /* CUP-4: other location, untouched */

  session = omni_store_count_start (f->store, 0, NULL, NULL, "Maya", &error);
  g_assert_no_error (error);
  g_assert_cmpint (session, >, 0);

  /* CUP-1: 9 on the shelf (one went missing), counted 1 + 8*, then 2 sold. */
  scan (f, session, "4006381333931");
  scan (f, session, "8*CUP-1");
  sell (f, f->ids[0], 2);

  /* CUP-2: 3 sold before anyone got to it; 7 on the shelf, all counted. */
  sell (f, f->ids[1], 3);
  scan (f, session, "7*036000291452");

  /* A code nobody knows. */
  last = omni_store_count_scan (f->store, session, "999999", 1, &error);
  g_assert_null (last);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "Unknown code “999999”: no active variant has this barcode or SKU");
  g_clear_error (&error);
  unknown = omni_store_count_unknown_codes (f->store, session, &error);
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_cmpstr (((OmniCountUnknown *)unknown->pdata[0])->code, ==, "999999");

  lines = omni_store_count_lines (f->store, session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  /* Largest variance first: CUP-3 (−4), CUP-1 (−1), CUP-2 (0). */
  g_assert_cmpint (((OmniCountLine *)lines->pdata[0])->variant_id, ==, f->ids[2]);
  g_assert_cmpint (find_line (lines, f->ids[0])->expected, ==, 10);
  g_assert_cmpint (find_line (lines, f->ids[0])->counted, ==, 9);
  g_assert_cmpint (find_line (lines, f->ids[0])->variance, ==, -1);
  g_assert_cmpint (find_line (lines, f->ids[0])->variance_value, ==, -300);
  g_assert_cmpint (find_line (lines, f->ids[1])->expected, ==, 7);
  g_assert_cmpint (find_line (lines, f->ids[1])->variance, ==, 0);
  g_assert_false (find_line (lines, f->ids[2])->scanned);
  g_assert_cmpint (find_line (lines, f->ids[2])->variance, ==, -4);

  operation = omni_store_count_commit (f->store, session, "Maya", &error);
  g_assert_no_error (error);

  /* CUP-1: 9 counted − 2 sold after = 7. CUP-2: 7 counted, the earlier
   * sale already reflected = 7. CUP-3: 0. CUP-4 in the back room: 6. */
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 7);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 7);
  g_assert_cmpint (on_hand (f, f->ids[2], f->shop), ==, 0);
  g_assert_cmpint (on_hand (f, f->ids[3], f->back), ==, 6);

  history = omni_store_get_history (f->store, f->ids[0], &counts_only, &error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (((OmniMovement *)history->pdata[0])->on_hand_delta, ==, -1);
  g_assert_cmpstr (((OmniMovement *)history->pdata[0])->actor, ==, "Maya");
  g_assert_cmpstr (((OmniMovement *)history->pdata[0])->operation, ==, operation);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = omni_store_get_history (f->store, f->ids[1], &counts_only, &error);
  g_assert_cmpuint (history->len, ==, 0);

  /* A count is committed once. */
  g_assert_null (omni_store_count_commit (f->store, session, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
}

static void
test_cancel_changes_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniCountSession) session = NULL;
  gint64 id;

  set_stock (f, f->ids[0], f->shop, 5);
  id = omni_store_count_start (f->store, f->shop, "all", NULL, NULL, &error);
  scan (f, id, "CUP-1");
  g_assert_true (omni_store_count_cancel (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 5);

  session = omni_store_count_get (f->store, id, &error);
  g_assert_cmpstr (session->state, ==, "cancelled");
  g_assert_null (omni_store_count_scan (f->store, id, "CUP-1", 1, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
}

static void
test_scope_and_overlap (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 by_vendor, other;

  set_stock (f, f->ids[0], f->shop, 5);
  by_vendor = omni_store_count_start (f->store, f->shop, "vendor", "Kiln", NULL, &error);
  g_assert_no_error (error);
  lines = omni_store_count_lines (f->store, by_vendor, &error);
  g_assert_cmpuint (lines->len, ==, 1);

  other = omni_store_count_start (f->store, f->shop, "all", NULL, NULL, &error);
  g_assert_cmpint (other, ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Another vendor's goods in the same room can be counted at once. */
  other = omni_store_count_start (f->store, f->shop, "vendor", "Someone Else", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, >, 0);

  g_assert_cmpint (omni_store_count_start (f->store, f->shop, "colour", "red", NULL, &error),
                   ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
}

static void
test_edit_remove_and_link (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autofree char *op = NULL;
  gint64 id;

  set_stock (f, f->ids[0], f->shop, 5);
  set_stock (f, f->ids[3], f->shop, 2);
  id = omni_store_count_start (f->store, 0, NULL, NULL, NULL, &error);

  scan (f, id, "CUP-1");
  g_assert_true (omni_store_count_set_line (f->store, id, f->ids[0], 4, &error));
  g_assert_true (omni_store_count_remove_line (f->store, id, f->ids[3], &error));
  g_assert_no_error (error);

  /* CUP-3 has no barcode; an unknown scan can be linked to it on the spot. */
  g_assert_null (omni_store_count_scan (f->store, id, "9780306406157", 1, &error));
  g_clear_error (&error);
  g_assert_null (omni_store_count_scan (f->store, id, "9780306406157", 1, &error));
  g_clear_error (&error);
  g_assert_true (omni_store_count_link_code (f->store, id, "9780306406157", f->ids[2], &error));
  g_assert_no_error (error);
  row = omni_store_get_variant (f->store, f->ids[2], NULL);
  g_assert_cmpstr (row->barcode, ==, "9780306406157");
  scan (f, id, "9780306406157");

  lines = omni_store_count_lines (f->store, id, &error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (find_line (lines, f->ids[2])->counted, ==, 3);
  g_assert_null (find_line (lines, f->ids[3]));

  /* One line read alone matches the list; a removed one is not found. */
  {
    g_autoptr(OmniCountLine) one = omni_store_count_get_line (f->store, id, f->ids[0], &error);

    g_assert_no_error (error);
    g_assert_nonnull (one);
    g_assert_cmpint (one->counted, ==, 4);
    g_assert_cmpint (one->expected, ==, 5);
    g_assert_cmpint (one->variance, ==, -1);
    g_assert_true (one->scanned);
    g_assert_null (omni_store_count_get_line (f->store, id, f->ids[3], &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  op = omni_store_count_commit (f->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 4);
  g_assert_cmpint (on_hand (f, f->ids[2], f->shop), ==, 3);
  g_assert_cmpint (on_hand (f, f->ids[3], f->shop), ==, 2);   /* removed: untouched */
}

static void
test_bad_scans (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_code = g_strnfill (OMNI_COUNT_MAX_CODE + 1, '7');
  g_autofree char *code = NULL;
  gint64 quantity = 0;
  gint64 id = omni_store_count_start (f->store, 0, NULL, NULL, NULL, &error);

  g_assert_null (omni_store_count_scan (f->store, id, long_code, 1, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "The scanned code is too long"));
  g_clear_error (&error);

  g_assert_null (omni_store_count_scan (f->store, id, "CUP-1", -1, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A counted quantity cannot go below zero");
  g_clear_error (&error);

  g_assert_null (omni_store_count_scan (f->store, id + 100, "CUP-1", 1, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (omni_count_parse_input ("x*CUP-1", &code, &quantity, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (omni_count_parse_input ("0*CUP-1", &code, &quantity, &error));
  g_clear_error (&error);
  g_assert_false (omni_count_parse_input ("3*", &code, &quantity, &error));
  g_clear_error (&error);
  g_assert_true (omni_count_parse_input (" 12 * CUP-1 ", &code, &quantity, &error));
  g_assert_cmpstr (code, ==, "CUP-1");
  g_assert_cmpint (quantity, ==, 12);
}

/* A real crash: a child process scans and is killed with SIGKILL; the count
 * resumes with every committed scan. */
static void
test_kill_and_resume (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 id;
  pid_t child;
  int status = 0;

  set_stock (f, f->ids[0], f->shop, 3);
  id = omni_store_count_start (f->store, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      OmniStore *store = omni_store_open (f->path, NULL);

      for (int i = 0; i < 5; i++)
        omni_count_line_free (omni_store_count_scan (store, id, "CUP-1", 1, NULL));
      raise (SIGKILL);
      _exit (0);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  open = omni_store_count_list (f->store, TRUE, &error);
  g_assert_cmpuint (open->len, ==, 1);
  g_assert_cmpint (((OmniCountSession *)open->pdata[0])->id, ==, id);
  g_assert_cmpint (((OmniCountSession *)open->pdata[0])->counted_units, ==, 5);

  lines = omni_store_count_lines (f->store, id, &error);
  g_assert_cmpint (find_line (lines, f->ids[0])->counted, ==, 5);
  g_assert_cmpint (find_line (lines, f->ids[0])->variance, ==, 2);
}

typedef struct
{
  const char    *path;
  gint64         session;
  OmniCountLine *line;
  GError        *error;
  gint           done;
} ScanData;

static gpointer
scan_thread (gpointer user_data)
{
  ScanData *d = user_data;
  g_autoptr(OmniStore) store = omni_store_open (d->path, &d->error);

  if (store != NULL)
    d->line = omni_store_count_scan (store, d->session, "CUP-1", 10, &d->error);
  g_atomic_int_set (&d->done, 1);
  return NULL;
}

/* A sale another till has written but not committed when a scan comes in.
 * PostgreSQL gives the sale its id at once, so a scan that only took the
 * highest visible id could later count a lower id, committed after the
 * scan, as seen by it. The scan waits for the till instead, and its
 * position covers the sale: expected is the level after the sale. */
static void
test_sale_in_flight_during_scan (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) till = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autofree char *sale = NULL;
  g_autofree char *operation = NULL;
  const OmniAdjustLine line = { 0, 0, -1 };
  const OmniAdjustOptions sold = { .mode = OMNI_ADJUST_DELTA, .reason = "sold" };
  OmniAdjustLine sale_line = line;
  ScanData d = { f->path, 0, NULL, NULL, 0 };
  GThread *thread;

  if (!test_store_is_postgresql ())
    {
      g_test_skip ("SQLite has one writer at a time: its ids already follow the commits");
      return;
    }

  set_stock (f, f->ids[0], f->shop, 10);
  d.session = omni_store_count_start (f->store, f->shop, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  till = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_begin (till, &error));
  sale_line.variant_id = f->ids[0];
  sale_line.location_id = f->shop;
  sale = omni_store_adjust (till, &sale_line, 1, &sold, &error);
  g_assert_no_error (error);

  thread = g_thread_new ("scanner", scan_thread, &d);
  g_usleep (500 * 1000);
  g_assert_cmpint (g_atomic_int_get (&d.done), ==, 0);
  g_assert_true (omni_store_commit (till, &error));
  g_assert_no_error (error);
  g_thread_join (thread);

  g_assert_no_error (d.error);
  g_assert_nonnull (d.line);
  g_assert_cmpint (d.line->counted, ==, 10);
  g_assert_cmpint (d.line->expected, ==, 9);
  g_assert_cmpint (d.line->variance, ==, 1);
  omni_count_line_free (d.line);

  /* Counted after the sale: the shelf holds 10, the sale is not taken off. */
  operation = omni_store_count_commit (f->store, d.session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 10);
  mismatches = omni_store_check_ledger (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/count/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("scripted-count", test_scripted_count);
  ADD ("cancel-changes-nothing", test_cancel_changes_nothing);
  ADD ("scope-and-overlap", test_scope_and_overlap);
  ADD ("edit-remove-and-link", test_edit_remove_and_link);
  ADD ("bad-scans", test_bad_scans);
  ADD ("kill-and-resume", test_kill_and_resume);
  ADD ("sale-in-flight-during-scan", test_sale_in_flight_during_scan);

#undef ADD

  return g_test_run ();
}
