/* test-crash.c: crash consistency under SIGKILL
 *
 * Runs four writes in a child process (this program again, with
 * --crash-child) and kills it with SIGKILL at a seeded random point:
 *
 *   import   a Shopify CSV of --rows new products with stock
 *   adjust   one batch adjustment of every variant
 *   count    the commit of a count with a line per variant
 *   push     a Shopify push of pending quantities to the in-process mock
 *
 * Even trials kill at a statement: the child counts SQLite progress
 * callbacks (every PROGRESS_OPS virtual machine steps, on every connection
 * it opens) and kills itself at the Kth, K drawn from the count of a run
 * without a kill, so the seed alone reproduces the kill point. Odd trials
 * are killed by this process after a random delay within the duration of
 * that run, which also reaches the commit's writes and the network waits.
 *
 * After every kill the database is reopened and must pass PRAGMA
 * integrity_check and the ledger invariant (what `omnistock-cli check`
 * runs), and the operation must be fully present or fully absent, with
 * exact figures. A retry then converges: the import and the count applied
 * exactly once, the push leaving the mock with the quantities of a run
 * without a kill, each change applied once (every other send of the same
 * change answered from the mock's idempotency cache).
 *
 *   test-crash [--trials N] [--rows N] [--seed S] [-p /crash/OP]
 *
 * (or OMNISTOCK_CRASH_TRIALS, OMNISTOCK_CRASH_ROWS, OMNISTOCK_CRASH_SEED).
 * Trial T uses the seed S + T; a failure prints it, and --seed with
 * --trials 1 replays that one trial.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "mock-shopify.h"
#include "omni-import.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-store-count.h"
#include "omni-store-inventory.h"

#define PROGRESS_OPS     1000
/* Under AddressSanitizer every child is several times slower: the
 * sanitized suite runs fewer trials of fewer rows (the plain build runs 50
 * of 1,000). At 400 rows a run without a kill still takes 450 to 900
 * progress steps for a statement kill to land on, and the push keeps its
 * minimum of ten outbox entries. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED        1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED        1
#endif
#endif
#ifdef SANITIZED
#define DEFAULT_TRIALS   10
#define DEFAULT_ROWS     400
#else
#define DEFAULT_TRIALS   50
#define DEFAULT_ROWS     1000
#endif
#define BATCH_OPERATION  "crash-test-batch"
#define LOCATION         "Shop Floor"

static guint   n_trials = DEFAULT_TRIALS;
static guint   n_rows = DEFAULT_ROWS;
static guint32 master_seed;
static char   *self_exe;
static gboolean have_keyring;
/* Where the time goes, for the report: running children, checking after. */
static gint64  child_us;
static gint64  check_us;

/* The child ------------------------------------------------------------ */

static gint64 child_progress;
static gint64 child_kill_at;     /* 0: never */

static int
child_progress_cb (void *data)
{
  child_progress++;
  if (child_kill_at > 0 && child_progress >= child_kill_at)
    kill (getpid (), SIGKILL);
  return 0;
}

static int
child_install_progress (sqlite3                     *db,
                        char                       **error_message,
                        const struct sqlite3_api_routines *api)
{
  sqlite3_progress_handler (db, PROGRESS_OPS, child_progress_cb, NULL);
  return SQLITE_OK;
}

static void
child_ready (void)
{
  fputs ("ready\n", stdout);
  fflush (stdout);
}

static int
child_fail (const char   *op,
            const GError *error)
{
  g_printerr ("crash child %s: %s\n", op, error != NULL ? error->message : "failed");
  return 2;
}

/* argv: --crash-child OP DB KILL_AT [ARG] */
static int
child_main (int    argc,
            char **argv)
{
  const char *op, *db;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  if (argc < 5)
    return 1;
  op = argv[2];
  db = argv[3];
  child_kill_at = g_ascii_strtoll (argv[4], NULL, 10);
  sqlite3_auto_extension ((void (*) (void)) child_install_progress);

  if (g_str_equal (op, "push"))
    {
      g_autoptr(OmniShopifyConnector) connector = NULL;

      connector = omni_shopify_connector_new (db, g_ascii_strtoll (argv[5], NULL, 10));
      /* Lease 0: a restarted pusher may take back what this one claimed at
       * once; the app waits for the lease (minutes) to run out. */
      omni_shopify_connector_set_lease (connector, 0);
      omni_shopify_connector_set_retry (connector, 4, 20);
      child_ready ();
      started = g_get_monotonic_time ();
      if (!omni_shopify_connector_push (connector, NULL, &error))
        return child_fail (op, error);
    }
  else
    {
      store = omni_store_open (db, &error);
      if (store == NULL)
        return child_fail (op, error);
      child_ready ();
      started = g_get_monotonic_time ();

      if (g_str_equal (op, "import"))
        {
          OmniImportOptions options = { .format = OMNI_IMPORT_FORMAT_SHOPIFY, .location = LOCATION };
          g_autoptr(OmniImportResult) result = omni_import_file (store, argv[5], &options, NULL, &error);

          if (result == NULL)
            return child_fail (op, error);
          if (!result->applied)
            return child_fail (op, NULL);
        }
      else if (g_str_equal (op, "adjust"))
        {
          g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (OmniAdjustLine));
          gint64 location = omni_store_find_location (store, LOCATION, &error);
          g_autofree char *operation = NULL;
          OmniAdjustOptions options = {
            .mode = OMNI_ADJUST_DELTA, .reason = OMNI_REASON_CORRECTION,
            .source = "cli", .operation = BATCH_OPERATION,
          };
          guint n = (guint) g_ascii_strtoull (argv[5], NULL, 10);

          if (location <= 0)
            return child_fail (op, error);
          for (guint i = 0; i < n; i++)
            {
              g_autofree char *sku = g_strdup_printf ("CR-%06u", i);
              OmniAdjustLine line = { .location_id = location, .quantity = (gint64) (i % 7) + 1 };

              line.variant_id = omni_store_find_variant (store, sku, &error);
              if (line.variant_id <= 0)
                return child_fail (op, error);
              g_array_append_val (lines, line);
            }
          operation = omni_store_adjust (store, &g_array_index (lines, OmniAdjustLine, 0), lines->len,
                                         &options, &error);
          if (operation == NULL)
            return child_fail (op, error);
        }
      else if (g_str_equal (op, "count"))
        {
          g_autofree char *operation = omni_store_count_commit (store, g_ascii_strtoll (argv[5], NULL, 10),
                                                                NULL, &error);

          if (operation == NULL)
            return child_fail (op, error);
        }
      else
        return 1;
    }

  /* Statement count and duration of the run, for the kill points. */
  g_print ("done %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
           child_progress, g_get_monotonic_time () - started);
  return 0;
}

/* Running a child ------------------------------------------------------ */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GMainLoop        *loop;
  guint             delay_ms;       /* SIGKILL this long after "ready"; 0: never */
  guint             timer;
  gboolean          exited;
  gboolean          eof;
  gboolean          sent_kill;
  GString          *output;
} Child;

static void
child_read_line (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data);

static gboolean
child_kill_now (gpointer user_data)
{
  Child *c = user_data;

  c->timer = 0;
  if (!c->exited)
    {
      c->sent_kill = TRUE;
      g_subprocess_send_signal (c->process, SIGKILL);
    }
  return G_SOURCE_REMOVE;
}

static void
child_read_line (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Child *c = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish (c->out, result, NULL, NULL);

  /* The end of the pipe (or an error reading it): the child is gone. */
  if (line == NULL)
    {
      c->eof = TRUE;
      return;
    }
  if (g_str_equal (line, "ready") && c->delay_ms > 0)
    c->timer = g_timeout_add (c->delay_ms, child_kill_now, c);
  g_string_append_printf (c->output, "%s\n", line);
  g_data_input_stream_read_line_async (c->out, G_PRIORITY_DEFAULT, NULL, child_read_line, c);
}

static void
child_waited (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Child *c = user_data;

  g_subprocess_wait_finish (c->process, result, NULL);
  c->exited = TRUE;
}

typedef enum
{
  OUTCOME_KILLED,
  OUTCOME_COMPLETED,
  OUTCOME_FAILED,
} Outcome;

/* Runs the child to its end or its kill, serving the mock (on this thread's
 * default main context) meanwhile. */
static Outcome
run_child (const char * const *args,
           gint64              kill_at,
           guint               delay_ms,
           gint64             *progress_out,
           gint64             *duration_out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Child c = { .delay_ms = delay_ms, .output = g_string_new (NULL) };
  Outcome outcome;
  gint64 started = g_get_monotonic_time ();

  g_ptr_array_add (argv, g_strdup (self_exe));
  g_ptr_array_add (argv, g_strdup ("--crash-child"));
  g_ptr_array_add (argv, g_strdup (args[0]));
  g_ptr_array_add (argv, g_strdup (args[1]));
  g_ptr_array_add (argv, g_strdup_printf ("%" G_GINT64_FORMAT, kill_at));
  for (guint i = 2; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  c.process = g_subprocess_newv ((const char * const *) argv->pdata,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  c.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c.process));
  g_data_input_stream_read_line_async (c.out, G_PRIORITY_DEFAULT, NULL, child_read_line, &c);
  g_subprocess_wait_async (c.process, NULL, child_waited, &c);

  /* Until it is gone and all it printed is read: no callback may run
   * after this function returns. */
  while (!c.exited || !c.eof)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&c.timer, g_source_remove);

  if (g_subprocess_get_if_signaled (c.process) &&
      g_subprocess_get_term_sig (c.process) == SIGKILL)
    outcome = OUTCOME_KILLED;
  else if (g_subprocess_get_if_exited (c.process) &&
           g_subprocess_get_exit_status (c.process) == 0)
    outcome = OUTCOME_COMPLETED;
  else
    outcome = OUTCOME_FAILED;

  if (outcome == OUTCOME_COMPLETED)
    {
      const char *done = strstr (c.output->str, "done ");

      g_assert_nonnull (done);
      if (progress_out != NULL)
        *progress_out = g_ascii_strtoll (done + 5, (char **) &done, 10);
      if (duration_out != NULL)
        *duration_out = g_ascii_strtoll (done, NULL, 10);
    }

  g_object_unref (c.out);
  g_object_unref (c.process);
  g_string_free (c.output, TRUE);
  child_us += g_get_monotonic_time () - started;
  return outcome;
}

/* Files ---------------------------------------------------------------- */

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
}

/* Copies a closed (checkpointed, WAL-less) template. */
static void
copy_db (const char *from,
         const char *to)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  remove_db (to);
  g_assert_true (g_file_get_contents (from, &bytes, &len, &error));
  g_assert_true (g_file_set_contents (to, bytes, (gssize) len, &error));
  g_assert_no_error (error);
}

static char *
write_catalog_csv (const char *dir,
                   guint       rows,
                   gint64     *units_out,
                   guint64    *with_stock_out)
{
  g_autoptr(GString) csv = g_string_new ("Handle,Title,Variant SKU,Variant Price,Variant Inventory Qty\n");
  char *path = g_build_filename (dir, "catalog.csv", NULL);
  g_autoptr(GError) error = NULL;
  gint64 units = 0;
  guint64 with_stock = 0;

  for (guint i = 0; i < rows; i++)
    {
      gint64 quantity = (gint64) (i % 13);

      g_string_append_printf (csv, "item-%06u,Item %u,CR-%06u,%u.%02u,%" G_GINT64_FORMAT "\n",
                              i, i, i, 1 + i % 90, i % 100, quantity);
      units += quantity;
      with_stock += quantity != 0;
    }
  g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, &error));
  g_assert_no_error (error);
  *units_out = units;
  *with_stock_out = with_stock;
  return path;
}

/* The checks every kill is followed by ---------------------------------- */

typedef struct
{
  const char *op;
  guint       trial;
  guint32     seed;
  gboolean    failed;
} Trial;

#define TRIAL_CHECK(t, cond, ...) \
  G_STMT_START { \
    if (!(cond) && !(t)->failed) \
      { \
        g_autofree char *what_ = g_strdup_printf (__VA_ARGS__); \
        g_test_fail_printf ("%s trial %u, seed %" G_GUINT32_FORMAT " (replay: --seed %" \
                            G_GUINT32_FORMAT " --trials 1 -p /crash/%s): %s", \
                            (t)->op, (t)->trial, (t)->seed, (t)->seed, (t)->op, what_); \
        (t)->failed = TRUE; \
      } \
  } G_STMT_END

/* Reopens the store as the app would after the crash, and runs what
 * `omnistock-cli check` runs. */
static OmniStore *
reopen_checked (Trial      *t,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (path, &error);
  g_autofree char *report = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  gint64 started = g_get_monotonic_time ();

  TRIAL_CHECK (t, store != NULL, "reopening failed: %s", error ? error->message : "");
  if (store == NULL)
    return NULL;
  TRIAL_CHECK (t, omni_store_integrity_check (store, &report, &error),
               "integrity_check failed to run: %s", error ? error->message : "");
  TRIAL_CHECK (t, g_strcmp0 (report, "ok") == 0, "integrity_check says: %s", report);
  mismatches = omni_store_check_ledger (store, &error);
  TRIAL_CHECK (t, mismatches != NULL, "ledger check failed: %s", error ? error->message : "");
  TRIAL_CHECK (t, mismatches == NULL || mismatches->len == 0,
               "%u stock figures disagree with the ledger", mismatches ? mismatches->len : 0);
  check_us += g_get_monotonic_time () - started;
  return g_steal_pointer (&store);
}

static void
get_stats (OmniStore      *store,
           OmniStoreStats *stats)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_get_stats (store, stats, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *op;
  guint       survived;
  guint       killed;
  guint       completed;
  guint       statement_kills;
  guint       timer_kills;
  gint64      ref_progress;
  gint64      ref_duration_us;
  gint64      started_us;
  guint       remote_before_retry;   /* push: changes Shopify had applied at the kill */
  guint       in_flight;             /* push: sent, not acknowledged at the kill */
} Tally;

static void
report_tally (const Tally *tally)
{
  g_test_message ("%s: %u/%u kill trials survived (%u killed mid-operation: %u at a statement, "
                  "%u by timer; %u finished before the kill); %u rows, a run without a kill "
                  "takes %.3f s and %" G_GINT64_FORMAT " progress steps; %.1f s in all "
                  "(%.1f s running children, %.1f s reopening and checking)",
                  tally->op, tally->survived, n_trials, tally->killed,
                  tally->statement_kills, tally->timer_kills, tally->completed, n_rows,
                  tally->ref_duration_us / 1e6, tally->ref_progress,
                  (g_get_monotonic_time () - tally->started_us) / 1e6,
                  child_us / 1e6, check_us / 1e6);
  if (g_str_equal (tally->op, "push"))
    g_test_message ("push: at the kills Shopify had applied %u changes and %u outbox entries "
                    "were claimed but not acknowledged; every change was applied exactly once",
                    tally->remote_before_retry, tally->in_flight);
  child_us = check_us = 0;
}

/* Draws the kill point of trial @t from the reference run. */
static void
draw_kill (Trial   *t,
           gint64   ref_progress,
           gint64   ref_duration_us,
           gint64  *kill_at,
           guint   *delay_ms)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (t->seed);

  *kill_at = 0;
  *delay_ms = 0;
  if (t->trial % 2 == 0 && ref_progress > 0)
    *kill_at = g_rand_int_range (rand, 1, (gint32) MIN (ref_progress, G_MAXINT32 - 1) + 1);
  else
    *delay_ms = (guint) g_rand_int_range (rand, 1,
                                          (gint32) MAX (2, ref_duration_us * 11 / 10 / 1000) + 1);
}

static void
tally_outcome (Tally   *tally,
               Trial   *t,
               Outcome  outcome,
               gint64   kill_at)
{
  TRIAL_CHECK (t, outcome != OUTCOME_FAILED, "the child failed on its own (see its stderr)");
  if (outcome == OUTCOME_KILLED)
    {
      tally->killed++;
      if (kill_at > 0)
        tally->statement_kills++;
      else
        tally->timer_kills++;
    }
  else if (outcome == OUTCOME_COMPLETED)
    tally->completed++;
}

/* Import ---------------------------------------------------------------- */

static void
make_empty_template (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (store, LOCATION, TRUE, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_import (void)
{
  g_autofree char *dir = g_dir_make_tmp ("omni-crash-XXXXXX", NULL);
  g_autofree char *template = g_build_filename (dir, "template.db", NULL);
  g_autofree char *db = g_build_filename (dir, "trial.db", NULL);
  g_autofree char *csv = NULL;
  const char *args[] = { "import", db, NULL, NULL };
  gint64 units = 0, ref_progress = 0, ref_duration = 0;
  guint64 with_stock = 0;
  gboolean retried_present = FALSE, retried_absent = FALSE;
  Tally tally = { .op = "import", .started_us = g_get_monotonic_time () };

  csv = write_catalog_csv (dir, n_rows, &units, &with_stock);
  args[2] = csv;
  make_empty_template (template);

  copy_db (template, db);
  g_assert_cmpint (run_child (args, 0, 0, &ref_progress, &ref_duration), ==, OUTCOME_COMPLETED);

  for (guint trial = 0; trial < n_trials; trial++)
    {
      Trial t = { .op = "import", .trial = trial, .seed = master_seed + trial };
      g_autoptr(OmniStore) store = NULL;
      g_auto(OmniStoreStats) stats = { 0 };
      g_autoptr(OmniImportResult) retry = NULL;
      g_autoptr(GError) error = NULL;
      OmniImportOptions options = { .format = OMNI_IMPORT_FORMAT_SHOPIFY, .location = LOCATION };
      gint64 kill_at;
      guint delay_ms;
      Outcome outcome;
      gboolean present;

      copy_db (template, db);
      draw_kill (&t, ref_progress, ref_duration, &kill_at, &delay_ms);
      outcome = run_child (args, kill_at, delay_ms, NULL, NULL);
      tally_outcome (&tally, &t, outcome, kill_at);

      store = reopen_checked (&t, db);
      if (store == NULL)
        continue;
      get_stats (store, &stats);
      present = stats.variants > 0;
      if (present)
        {
          TRIAL_CHECK (&t, stats.products == n_rows && stats.variants == n_rows,
                       "partly imported: %" G_GINT64_FORMAT " products, %" G_GINT64_FORMAT
                       " variants of %u", stats.products, stats.variants, n_rows);
          TRIAL_CHECK (&t, stats.units_on_hand == units && stats.movements == (gint64) with_stock,
                       "partly imported stock: %" G_GINT64_FORMAT " units in %" G_GINT64_FORMAT
                       " movements, not %" G_GINT64_FORMAT " in %" G_GUINT64_FORMAT,
                       stats.units_on_hand, stats.movements, units, with_stock);
        }
      else
        TRIAL_CHECK (&t, stats.products == 0 && stats.units_on_hand == 0 && stats.movements == 0,
                     "absent import left %" G_GINT64_FORMAT " products, %" G_GINT64_FORMAT
                     " units, %" G_GINT64_FORMAT " movements",
                     stats.products, stats.units_on_hand, stats.movements);
      TRIAL_CHECK (&t, outcome != OUTCOME_COMPLETED || present, "a finished import is missing");

      /* The merchant imports the file again: it converges, nothing twice.
       * (Every fifth trial, and the first of each outcome: an import is the
       * costliest step here.) */
      if (trial % 5 != 0 && (present ? retried_present : retried_absent))
        {
          g_clear_object (&store);
          tally.survived += !t.failed;
          continue;
        }
      retried_present |= present;
      retried_absent |= !present;
      retry = omni_import_file (store, csv, &options, NULL, &error);
      TRIAL_CHECK (&t, retry != NULL && retry->applied, "the retried import failed: %s",
                   error ? error->message : "not applied");
      if (retry != NULL)
        TRIAL_CHECK (&t, retry->variants_created == (present ? 0 : n_rows) &&
                     retry->quantity_changes == (present ? 0 : with_stock),
                     "the retry created %" G_GUINT64_FORMAT " variants and wrote %"
                     G_GUINT64_FORMAT " quantities", retry->variants_created,
                     retry->quantity_changes);
      omni_store_stats_clear (&stats);
      get_stats (store, &stats);
      TRIAL_CHECK (&t, stats.variants == n_rows && stats.units_on_hand == units &&
                   stats.movements == (gint64) with_stock,
                   "after the retry: %" G_GINT64_FORMAT " variants, %" G_GINT64_FORMAT
                   " units, %" G_GINT64_FORMAT " movements", stats.variants,
                   stats.units_on_hand, stats.movements);
      g_clear_object (&store);
      tally.survived += !t.failed;
    }

  tally.ref_progress = ref_progress;
  tally.ref_duration_us = ref_duration;
  report_tally (&tally);
  remove_db (db);
  remove_db (template);
  g_unlink (csv);
  g_rmdir (dir);
}

/* The catalog template for adjust and count ------------------------------ */

static void
make_catalog_template (const char *dir,
                       const char *path,
                       gint64     *units,
                       guint64    *with_stock)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniImportResult) result = NULL;
  g_autofree char *csv = write_catalog_csv (dir, n_rows, units, with_stock);
  OmniImportOptions options = { .format = OMNI_IMPORT_FORMAT_SHOPIFY, .location = LOCATION };

  make_empty_template (path);
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  result = omni_import_file (store, csv, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->applied);
  g_unlink (csv);
}

/* Every variant's on hand at the location, by SKU order. */
static GArray *
levels_by_sku (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 location = omni_store_find_location (store, LOCATION, &error);
  GArray *levels = g_array_sized_new (FALSE, TRUE, sizeof (gint64), n_rows);

  g_assert_no_error (error);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *sku = g_strdup_printf ("CR-%06u", i);
      gint64 variant = omni_store_find_variant (store, sku, &error);
      gint64 on_hand = omni_store_get_available_at (store, variant, location);

      g_assert_no_error (error);
      g_array_append_val (levels, on_hand);
    }
  return levels;
}

static void
test_adjust (void)
{
  g_autofree char *dir = g_dir_make_tmp ("omni-crash-XXXXXX", NULL);
  g_autofree char *template = g_build_filename (dir, "template.db", NULL);
  g_autofree char *db = g_build_filename (dir, "trial.db", NULL);
  g_autofree char *n = g_strdup_printf ("%u", n_rows);
  const char *args[] = { "adjust", db, n, NULL };
  gint64 units = 0, delta = 0, ref_progress = 0, ref_duration = 0, movements0;
  guint64 with_stock = 0;
  Tally tally = { .op = "adjust", .started_us = g_get_monotonic_time () };

  make_catalog_template (dir, template, &units, &with_stock);
  movements0 = (gint64) with_stock;
  for (guint i = 0; i < n_rows; i++)
    delta += (i % 7) + 1;

  copy_db (template, db);
  g_assert_cmpint (run_child (args, 0, 0, &ref_progress, &ref_duration), ==, OUTCOME_COMPLETED);

  for (guint trial = 0; trial < n_trials; trial++)
    {
      Trial t = { .op = "adjust", .trial = trial, .seed = master_seed + trial };
      g_autoptr(OmniStore) store = NULL;
      g_auto(OmniStoreStats) stats = { 0 };
      gint64 kill_at;
      guint delay_ms;
      Outcome outcome;
      gboolean present;

      copy_db (template, db);
      draw_kill (&t, ref_progress, ref_duration, &kill_at, &delay_ms);
      outcome = run_child (args, kill_at, delay_ms, NULL, NULL);
      tally_outcome (&tally, &t, outcome, kill_at);

      store = reopen_checked (&t, db);
      if (store == NULL)
        continue;
      get_stats (store, &stats);
      present = stats.movements != movements0;
      TRIAL_CHECK (&t, stats.movements == movements0 || stats.movements == movements0 + n_rows,
                   "%" G_GINT64_FORMAT " of the batch's %u movements are present",
                   stats.movements - movements0, n_rows);
      TRIAL_CHECK (&t, stats.units_on_hand == units + (present ? delta : 0),
                   "%" G_GINT64_FORMAT " units on hand, not %" G_GINT64_FORMAT,
                   stats.units_on_hand, units + (present ? delta : 0));
      TRIAL_CHECK (&t, outcome != OUTCOME_COMPLETED || present, "a finished batch is missing");
      /* Each variant, not only the sum: all moved by its delta, or none. */
      if (trial % 10 == 0)
        {
          g_autoptr(GArray) levels = levels_by_sku (store);

          for (guint i = 0; i < n_rows && !t.failed; i++)
            TRIAL_CHECK (&t, g_array_index (levels, gint64, i) ==
                         (gint64) (i % 13) + (present ? (gint64) (i % 7) + 1 : 0),
                         "CR-%06u has %" G_GINT64_FORMAT " on hand", i,
                         g_array_index (levels, gint64, i));
        }
      g_clear_object (&store);
      tally.survived += !t.failed;
    }

  tally.ref_progress = ref_progress;
  tally.ref_duration_us = ref_duration;
  report_tally (&tally);
  remove_db (db);
  remove_db (template);
  g_rmdir (dir);
}

/* Count ----------------------------------------------------------------- */

static void
test_count (void)
{
  g_autofree char *dir = g_dir_make_tmp ("omni-crash-XXXXXX", NULL);
  g_autofree char *template = g_build_filename (dir, "template.db", NULL);
  g_autofree char *db = g_build_filename (dir, "trial.db", NULL);
  g_autofree char *session_arg = NULL;
  const char *args[] = { "count", db, NULL, NULL };
  gint64 units = 0, counted_units = 0, ref_progress = 0, ref_duration = 0, movements0, session;
  guint64 with_stock = 0, changed = 0;
  gboolean retried_present = FALSE, retried_absent = FALSE;
  Tally tally = { .op = "count", .started_us = g_get_monotonic_time () };

  make_catalog_template (dir, template, &units, &with_stock);
  movements0 = (gint64) with_stock;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OmniStore) store = omni_store_open (template, &error);
    gint64 location = omni_store_find_location (store, LOCATION, &error);

    session = omni_store_count_start (store, location, "all", NULL, "crash-test", &error);
    g_assert_no_error (error);
    g_assert_true (omni_store_begin (store, &error));
    for (guint i = 0; i < n_rows; i++)
      {
        g_autofree char *sku = g_strdup_printf ("CR-%06u", i);
        gint64 variant = omni_store_find_variant (store, sku, &error);
        gint64 counted = (gint64) (i % 11);

        g_assert_true (omni_store_count_set_line (store, session, variant, counted, &error));
        g_assert_no_error (error);
        counted_units += counted;
        changed += counted != (gint64) (i % 13);
      }
    g_assert_true (omni_store_commit (store, &error));
  }
  session_arg = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  args[2] = session_arg;

  copy_db (template, db);
  g_assert_cmpint (run_child (args, 0, 0, &ref_progress, &ref_duration), ==, OUTCOME_COMPLETED);

  for (guint trial = 0; trial < n_trials; trial++)
    {
      Trial t = { .op = "count", .trial = trial, .seed = master_seed + trial };
      g_autoptr(OmniStore) store = NULL;
      g_auto(OmniStoreStats) stats = { 0 };
      g_autoptr(OmniCountSession) info = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *retry = NULL;
      gint64 kill_at;
      guint delay_ms;
      Outcome outcome;
      gboolean present;

      copy_db (template, db);
      draw_kill (&t, ref_progress, ref_duration, &kill_at, &delay_ms);
      outcome = run_child (args, kill_at, delay_ms, NULL, NULL);
      tally_outcome (&tally, &t, outcome, kill_at);

      store = reopen_checked (&t, db);
      if (store == NULL)
        continue;
      get_stats (store, &stats);
      info = omni_store_count_get (store, session, &error);
      g_assert_no_error (error);
      present = g_strcmp0 (info->state, "committed") == 0;
      TRIAL_CHECK (&t, present || g_strcmp0 (info->state, "open") == 0,
                   "the count is “%s”", info->state);
      TRIAL_CHECK (&t, stats.movements == movements0 + (present ? (gint64) changed : 0),
                   "%" G_GINT64_FORMAT " count movements with the count %s",
                   stats.movements - movements0, info->state);
      TRIAL_CHECK (&t, stats.units_on_hand == (present ? counted_units : units),
                   "%" G_GINT64_FORMAT " units on hand with the count %s",
                   stats.units_on_hand, info->state);
      TRIAL_CHECK (&t, outcome != OUTCOME_COMPLETED || present, "a finished commit is missing");

      /* Committing again: applies an open count once, refuses a closed one
       * (every fifth trial, and the first of each outcome). */
      if (trial % 5 != 0 && (present ? retried_present : retried_absent))
        {
          g_clear_object (&store);
          tally.survived += !t.failed;
          continue;
        }
      retried_present |= present;
      retried_absent |= !present;
      retry = omni_store_count_commit (store, session, NULL, &error);
      TRIAL_CHECK (&t, present ? retry == NULL : retry != NULL,
                   "committing again %s", retry != NULL ? "worked" : error->message);
      omni_store_stats_clear (&stats);
      get_stats (store, &stats);
      TRIAL_CHECK (&t, stats.units_on_hand == counted_units &&
                   stats.movements == movements0 + (gint64) changed,
                   "after the retry: %" G_GINT64_FORMAT " units in %" G_GINT64_FORMAT
                   " movements", stats.units_on_hand, stats.movements);
      g_clear_object (&store);
      tally.survived += !t.failed;
    }

  tally.ref_progress = ref_progress;
  tally.ref_duration_us = ref_duration;
  report_tally (&tally);
  remove_db (db);
  remove_db (template);
  g_rmdir (dir);
}

/* Push ------------------------------------------------------------------ */

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} PushRun;

static void
push_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PushRun *run = user_data;

  run->ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &run->error);
  run->done = TRUE;
}

/* Pulls or pushes on the connector's worker while this thread serves the
 * mock. */
static gboolean
sync_in_process (const char  *db,
                 gint64       channel,
                 gboolean     push,
                 GError     **error)
{
  g_autoptr(OmniShopifyConnector) connector = omni_shopify_connector_new (db, channel);
  PushRun run = { 0 };

  omni_shopify_connector_set_lease (connector, 0);
  omni_shopify_connector_set_retry (connector, 4, 20);
  if (push)
    omni_connector_push_async (OMNI_CONNECTOR (connector), NULL, push_done, &run);
  else
    omni_connector_pull_async (OMNI_CONNECTOR (connector), NULL, push_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.ok;
}

static guint
push_entries (void)
{
  return CLAMP (n_rows / 50, 10, 200);
}

static void
test_push (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree char *db = NULL;
  g_autofree char *channel_arg = NULL;
  g_autofree char *token = NULL;
  g_autofree char *account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) expected = NULL;
  const char *args[] = { "push", NULL, NULL, NULL };
  MockShopify *mock;
  const MockShopifyStats *ms;
  gint64 channel, ref_progress = 0, ref_duration = 0;
  guint n = push_entries ();
  Tally tally = { .op = "push", .started_us = g_get_monotonic_time () };

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }

  dir = g_dir_make_tmp ("omni-crash-XXXXXX", NULL);
  template = g_build_filename (dir, "template.db", NULL);
  db = g_build_filename (dir, "trial.db", NULL);
  args[1] = db;

  mock = mock_shopify_new ();
  mock_shopify_add_location (mock, LOCATION);
  token = g_strdup_printf ("shpat_CRASH%08x%08x", g_random_int (), g_random_int ());
  mock_shopify_add_token (mock, token);
  account = g_strdup_printf ("crash-%08x.myshopify.com", g_random_int ());

  /* A linked catalog whose first pull took Shopify's quantities. */
  {
    g_autoptr(OmniStore) store = omni_store_open (template, &error);

    g_assert_no_error (error);
    g_assert_cmpint (omni_store_add_location (store, LOCATION, TRUE, &error), >, 0);
    g_assert_true (omni_store_begin (store, &error));
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *sku = g_strdup_printf ("CR-%06u", i);
        g_autofree char *title = g_strdup_printf ("Item %u", i);
        const OmniProductSpec product = { .title = title };
        const OmniVariantSpec variant = {
          .sku = sku, .price = 1000, .compare_at_price = -1, .cost = -1,
          .reorder_point = -1, .reorder_qty = -1,
        };
        gint64 id = 0;

        g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error), >, 0);
        g_assert_cmpuint (mock_shopify_add_variant (mock, sku, NULL, (gint64) (i % 9) + 1), ==, i);
      }
    g_assert_true (omni_store_commit (store, &error));
    channel = omni_store_add_channel (store, "shopify", NULL, account,
                                      mock_shopify_get_url (mock), &error);
    g_assert_no_error (error);
    g_assert_true (omni_store_set_channel_settings (store, channel, "{\"auth\":\"token\"}", &error));
    g_assert_true (omni_secret_store ("shopify", account, "OmniStock crash test", token, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (sync_in_process (template, channel, FALSE, &error));
  g_assert_no_error (error);
  channel_arg = g_strdup_printf ("%" G_GINT64_FORMAT, channel);
  args[2] = channel_arg;
  ms = mock_shopify_get_stats (mock);

  /* What a push without a kill leaves on Shopify. */
  expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      gint64 q = (gint64) (i % 9) + 1 + (i % 2 == 0 ? (gint64) (i % 5) + 1 : -1);

      g_array_append_val (expected, q);
    }

  for (guint trial = 0; trial <= n_trials; trial++)
    {
      /* Trial 0 is the reference run, without a kill. */
      Trial t = { .op = "push", .trial = trial - 1, .seed = master_seed + trial - 1 };
      g_autoptr(OmniStore) store = NULL;
      g_autoptr(GPtrArray) left = NULL;
      g_autoptr(GPtrArray) done = NULL;
      gint64 kill_at = 0;
      guint delay_ms = 0, applied0, stale0;
      Outcome outcome;

      copy_db (template, db);
      for (guint i = 0; i < n; i++)
        mock_shopify_set_quantity (mock, i, 0, (gint64) (i % 9) + 1);
      /* Fresh changes, with fresh op ids, for each trial. */
      store = omni_store_open (db, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *sku = g_strdup_printf ("CR-%06u", i);
          OmniMovementSpec m = {
            .variant_id = omni_store_find_variant (store, sku, NULL),
            .location_id = omni_store_find_location (store, LOCATION, NULL),
            .on_hand_delta = i % 2 == 0 ? (gint64) (i % 5) + 1 : -1,
            .reason = OMNI_REASON_CORRECTION, .source = "app",
          };

          g_assert_true (omni_store_record_movements (store, &m, 1, &error));
          g_assert_no_error (error);
        }
      g_clear_object (&store);
      applied0 = ms->applied;
      stale0 = ms->stale;

      if (trial > 0)
        draw_kill (&t, ref_progress, ref_duration, &kill_at, &delay_ms);
      outcome = run_child (args, kill_at, delay_ms,
                           trial == 0 ? &ref_progress : NULL,
                           trial == 0 ? &ref_duration : NULL);
      if (trial == 0)
        g_assert_cmpint (outcome, ==, OUTCOME_COMPLETED);
      else
        tally_outcome (&tally, &t, outcome, kill_at);

      store = reopen_checked (&t, db);
      if (store == NULL)
        continue;
      if (trial > 0)
        {
          g_autoptr(GPtrArray) sending = omni_store_list_outbox (store, channel, "sending", 0, NULL);

          tally.remote_before_retry += ms->applied - applied0;
          tally.in_flight += sending->len;
        }
      /* The retry (the app's next sync) after a restart. */
      TRIAL_CHECK (&t, sync_in_process (db, channel, TRUE, &error),
                   "the retried push failed: %s", error ? error->message : "");
      g_clear_error (&error);
      left = omni_store_list_outbox (store, channel, NULL, 0, NULL);
      done = omni_store_list_outbox (store, channel, "done", 0, NULL);
      TRIAL_CHECK (&t, left->len == 0 && done->len == n,
                   "%u outbox entries left, %u done of %u", left->len, done->len, n);
      for (guint i = 0; i < n && !t.failed; i++)
        TRIAL_CHECK (&t, mock_shopify_get_quantity (mock, i, 0) == g_array_index (expected, gint64, i),
                     "Shopify has %" G_GINT64_FORMAT " of CR-%06u, a run without a kill %"
                     G_GINT64_FORMAT, mock_shopify_get_quantity (mock, i, 0), i,
                     g_array_index (expected, gint64, i));
      /* Each change applied exactly once; resent ones were replays. */
      TRIAL_CHECK (&t, ms->applied - applied0 == n && ms->stale == stale0,
                   "Shopify applied %u changes (%u refused as stale) for %u",
                   ms->applied - applied0, ms->stale - stale0, n);
      for (guint i = 0; i < done->len && !t.failed; i++)
        {
          const OmniOutboxEntry *entry = g_ptr_array_index (done, i);

          TRIAL_CHECK (&t, mock_shopify_key_count (mock, entry->op_id) >= 1,
                       "the change %s never reached Shopify", entry->op_id);
        }
      g_clear_object (&store);
      if (trial > 0)
        tally.survived += !t.failed;
    }

  tally.ref_progress = ref_progress;
  tally.ref_duration_us = ref_duration;
  report_tally (&tally);
  omni_secret_clear ("shopify", account, NULL, NULL);
  mock_shopify_free (mock);
  remove_db (db);
  remove_db (template);
  g_rmdir (dir);
}

/* Main ------------------------------------------------------------------ */

static guint
parse_count (const char *text,
             guint       fallback)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    return fallback;
  return (guint) value;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  gboolean seeded = FALSE;
  int kept = 1;

  if (argc > 1 && g_str_equal (argv[1], "--crash-child"))
    return child_main (argc, argv);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = g_canonicalize_filename (argv[0], NULL);

  n_trials = parse_count (g_getenv ("OMNISTOCK_CRASH_TRIALS"), DEFAULT_TRIALS);
  n_rows = parse_count (g_getenv ("OMNISTOCK_CRASH_ROWS"), DEFAULT_ROWS);
  if (g_getenv ("OMNISTOCK_CRASH_SEED") != NULL)
    {
      master_seed = parse_count (g_getenv ("OMNISTOCK_CRASH_SEED"), 0);
      seeded = TRUE;
    }
  /* Our options first; GTest gets the rest. */
  for (int i = 1; i < argc; i++)
    {
      if (i + 1 < argc && g_str_equal (argv[i], "--trials"))
        n_trials = parse_count (argv[++i], DEFAULT_TRIALS);
      else if (i + 1 < argc && g_str_equal (argv[i], "--rows"))
        n_rows = parse_count (argv[++i], DEFAULT_ROWS);
      else if (i + 1 < argc && g_str_equal (argv[i], "--seed"))
        {
          master_seed = (guint32) g_ascii_strtoull (argv[++i], NULL, 10);
          seeded = TRUE;
        }
      else
        argv[kept++] = argv[i];
    }
  argv[kept] = NULL;
  argc = kept;
  if (!seeded)
    master_seed = g_random_int ();

  g_test_init (&argc, &argv, NULL);
  g_test_message ("seed %" G_GUINT32_FORMAT ", %u trials per operation, %u rows",
                  master_seed, n_trials, n_rows);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("The push trials need a Secret Service: %s", error->message);

  g_test_add_func ("/crash/import", test_import);
  g_test_add_func ("/crash/adjust", test_adjust);
  g_test_add_func ("/crash/count", test_count);
  g_test_add_func ("/crash/push", test_push);

  {
    int status = g_test_run ();

    g_free (self_exe);
    return status;
  }
}
