/* test-pg-race.c: two tills selling the last unit at the same moment
 *
 * Two processes (tests/pg-till.c) open one store. A thousand times, the
 * test sets the unit's stock on hand to 1 and sends both tills "sell" back
 * to back: exactly one sale must succeed and the other be refused with the
 * store's "Not enough stock" message, leaving 0 on hand. At the end the
 * ledger still matches its levels and holds exactly 1,000 sales. The race
 * runs on PostgreSQL (a private server) and, for comparison, on SQLite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-test"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-inventory.h"
#include "pg-test-server.h"

/* 1,000 rounds; OMNISTOCK_RACE_ROUNDS sets fewer (the sanitized CI run). */
static guint
n_rounds (void)
{
  const char *env = g_getenv ("OMNISTOCK_RACE_ROUNDS");
  guint64 n = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 0;

  return n > 0 && n <= 100000 ? (guint)n : 1000;
}
#define N_ROUNDS (n_rounds ())

typedef struct
{
  const char       *name;
  GSubprocess      *process;
  GOutputStream    *input;
  GDataInputStream *output;
} Till;

static void
till_start (Till       *till,
            const char *name,
            const char *location)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "pg-till", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  till->name = name;
  till->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                    &error, program, location, NULL);
  g_assert_no_error (error);
  till->input = g_subprocess_get_stdin_pipe (till->process);
  till->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (till->process));

  line = g_data_input_stream_read_line_utf8 (till->output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
}

static void
till_send (Till       *till,
           const char *command)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (till->input, command, strlen (command),
                                            NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_flush (till->input, NULL, &error));
  g_assert_no_error (error);
}

static char *
till_read (Till *till)
{
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_utf8 (till->output, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("Till %s ended without answering", till->name);
  return line;
}

static void
till_finish (Till *till)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_close (till->input, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (till->process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&till->output);
  g_clear_object (&till->process);
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
        return level->on_hand;
    }
  g_error ("No stock level for variant %" G_GINT64_FORMAT " at location %" G_GINT64_FORMAT,
           variant, location);
}

static guint
count_movements (OmniStore  *store,
                 gint64      variant,
                 const char *reason)
{
  const OmniHistoryFilter filter = { .reason = reason };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = omni_store_get_history (store, variant, &filter, &error);

  g_assert_no_error (error);
  return history->len;
}

static void
set_on_hand (OmniStore *store,
             gint64     variant,
             gint64     location,
             gint64     quantity)
{
  const OmniAdjustLine line = { .variant_id = variant, .location_id = location,
                                .quantity = quantity };
  const OmniAdjustOptions options = {
    .mode = OMNI_ADJUST_SET, .reason = OMNI_REASON_RECEIVED, .source = "test",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *operation = omni_store_adjust (store, &line, 1, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (operation);
}

static gboolean
is_refusal (const char *answer)
{
  return g_str_has_prefix (answer, "refused ") &&
         strstr (answer, "Not enough stock") != NULL &&
         strstr (answer, "LAST-1") != NULL &&
         strstr (answer, "negative stock is not allowed") != NULL;
}

static void
run_race (const char *location)
{
  const OmniProductSpec mug = { .title = "Last Mug" };
  const OmniVariantSpec spec = { .sku = "LAST-1", .price = 1200, .compare_at_price = -1,
                                 .cost = 400, .reorder_point = -1, .reorder_qty = -1 };
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autofree char *command = NULL;
  Till tills[2] = { 0 };
  guint wins[2] = { 0, 0 };
  gint64 counter, variant = 0, started;
  double seconds;

  store = omni_store_open (location, &error);
  g_assert_no_error (error);
  counter = omni_store_add_location (store, "Counter", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (store, &mug, &spec, 1, &variant, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_setting (store, "allow_negative_stock", "0", &error));
  g_assert_no_error (error);

  till_start (&tills[0], "A", location);
  till_start (&tills[1], "B", location);
  command = g_strdup_printf ("sell %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                             variant, counter);

  started = g_get_monotonic_time ();
  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autofree char *answer_a = NULL;
      g_autofree char *answer_b = NULL;
      guint first = round % 2;   /* each till goes first half the time */
      guint ok;

      set_on_hand (store, variant, counter, 1);
      till_send (&tills[first], command);
      till_send (&tills[1 - first], command);
      answer_a = till_read (&tills[0]);
      answer_b = till_read (&tills[1]);

      ok = (g_strcmp0 (answer_a, "ok") == 0) + (g_strcmp0 (answer_b, "ok") == 0);
      if (ok != 1 || !(is_refusal (answer_a) || is_refusal (answer_b)))
        g_error ("Round %u: till A answered “%s”, till B answered “%s”; "
                 "expected exactly one ok and one refusal for lack of stock",
                 round + 1, answer_a, answer_b);
      wins[g_strcmp0 (answer_a, "ok") == 0 ? 0 : 1]++;
      g_assert_cmpint (on_hand_at (store, variant, counter), ==, 0);
    }
  seconds = (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  g_test_message ("%d rounds in %.2f s (%.0f rounds/s); till A sold %u, till B sold %u",
                  N_ROUNDS, seconds, N_ROUNDS / seconds, wins[0], wins[1]);

  till_finish (&tills[0]);
  till_finish (&tills[1]);

  mismatches = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
  g_assert_cmpuint (count_movements (store, variant, OMNI_REASON_SOLD), ==, N_ROUNDS);
  g_assert_cmpuint (count_movements (store, variant, OMNI_REASON_RECEIVED), ==, N_ROUNDS);
  g_assert_cmpuint (count_movements (store, variant, NULL), ==, 2 * N_ROUNDS);
  g_assert_cmpuint (wins[0] + wins[1], ==, N_ROUNDS);
}

static void
test_race_postgresql (void)
{
  g_autoptr(PgTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  server = pg_test_server_start (&error);
  g_assert_no_error (error);
  uri = pg_test_server_create_database (server, &error);
  g_assert_no_error (error);
  run_race (uri);
}

static void
test_race_sqlite (void)
{
  g_autofree char *dir = g_dir_make_tmp ("omni-race-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "shop.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_nonnull (dir);
  run_race (path);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/race/last-unit/postgresql", test_race_postgresql);
  g_test_add_func ("/omni/race/last-unit/sqlite", test_race_sqlite);

  return g_test_run ();
}
