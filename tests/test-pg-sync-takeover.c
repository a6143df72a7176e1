/* test-pg-sync-takeover.c: on a shared PostgreSQL store exactly one
 * omnistock-cli syncs a channel at a time, and when the one syncing is
 * killed (SIGKILL) mid-push, the next takes over at once with nothing sent
 * twice — against the Shopify mock, the real keyring and a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "pg-test-server.h"

static gboolean have_keyring;

typedef struct
{
  char        *uri;
  char        *account;
  char        *token;
  MockShopify *mock;
  OmniStore   *store;
  gint64       ids[3];
  GPid         victim;      /* the sync to kill at its first push, or 0 */
  guint        kills;
} Fixture;

typedef struct
{
  int       status;
  gboolean  signalled;
  char     *out;
  char     *err;
  gboolean  done;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
on_communicated (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Result *r = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), res,
                                                       &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->signalled = g_subprocess_get_if_signaled (G_SUBPROCESS (source));
  r->status = r->signalled ? -g_subprocess_get_term_sig (G_SUBPROCESS (source))
                           : g_subprocess_get_exit_status (G_SUBPROCESS (source));
  r->done = TRUE;
}

/* Starts omnistock-cli on the shared store; the mock is served by this
 * thread's main loop while it runs. */
static GSubprocess *
start_cli (Fixture            *f,
           const char         *input,
           Result             *r,
           const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GSubprocess *process;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer)g_getenv ("OMNISTOCK_CLI"));
  g_ptr_array_add (argv, (gpointer)"--db");
  g_ptr_array_add (argv, f->uri);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (argv->pdata[0]);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  r->done = FALSE;
  g_subprocess_communicate_utf8_async (process, input ? input : "", NULL, on_communicated, r);
  return process;
}

static void
wait_done (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

#define CLI(f, input, r, ...) G_STMT_START {                                                \
    g_autoptr(GSubprocess) cli_ = start_cli ((f), (input), (r),                               \
                                             (const char * const[]) { __VA_ARGS__, NULL }); \
    wait_done (r);                                                                          \
  } G_STMT_END

static void
expect (const Result *r,
        int           status)
{
  if (r->status != status)
    g_test_message ("stdout: %s\nstderr: %s", r->out, r->err);
  g_assert_cmpint (r->status, ==, status);
}

static void
kill_victim (MockShopify *mock,
             const char  *key,
             gpointer     user_data)
{
  Fixture *f = user_data;

  /* The push reached the platform and was applied; its sender dies
   * before it hears the answer. */
  if (f->victim != 0)
    {
      kill (f->victim, SIGKILL);
      f->victim = 0;
      f->kills++;
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());
  g_autoptr(GError) error = NULL;
  g_auto(Result) add = { 0 };
  g_auto(Result) first = { 0 };
  g_autofree char *input = NULL;

  if (!have_keyring)
    return;
  f->uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  f->account = g_strdup_printf ("pg-%s.myshopify.com", suffix);
  f->token = g_strdup_printf ("shpat_PG%s%08x", suffix, g_random_int ());
  f->mock = mock_shopify_new ();
  mock_shopify_add_location (f->mock, "Shop Floor");
  mock_shopify_add_token (f->mock, f->token);

  f->store = omni_store_open (f->uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (f->store, "Shop Floor", TRUE, &error), >, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *sku = g_strdup_printf ("PG-%u", i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = { .sku = sku, .compare_at_price = -1, .cost = -1,
                                        .reorder_point = -1, .reorder_qty = -1 };

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &f->ids[i],
                                                  &error), >, 0);
      mock_shopify_add_variant (f->mock, sku, NULL, 10 * (i + 1));
    }
  g_assert_no_error (error);

  input = g_strconcat (f->token, "\n", NULL);
  CLI (f, input, &add, "channel", "add", "shopify", "--shop", f->account,
       "--api-url", mock_shopify_get_url (f->mock));
  expect (&add, 0);
  CLI (f, NULL, &first, "sync", f->account);
  expect (&first, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_keyring)
    return;
  omni_secret_clear ("shopify", f->account, NULL, NULL);
  g_clear_object (&f->store);
  mock_shopify_free (f->mock);
  g_free (f->uri);
  g_free (f->account);
  g_free (f->token);
}

#define REQUIRE_KEYRING() \
  G_STMT_START { \
    if (!have_keyring) \
      { \
        g_test_skip ("No Secret Service on the session bus: run the suite with " \
                     "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)"); \
        return; \
      } \
  } G_STMT_END

static void
sell (Fixture *f,
      guint    i,
      gint64   units)
{
  g_autoptr(GError) error = NULL;
  OmniAdjustLine line = { f->ids[i], 0, -units };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = "sold" };
  g_autofree char *op = omni_store_adjust (f->store, &line, 1, &options, &error);

  g_assert_no_error (error);
}

static guint
outbox_in_state (Fixture    *f,
                 const char *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = omni_store_list_outbox (f->store, 0, state, 1000, &error);

  g_assert_no_error (error);
  return entries->len;
}

/* While one computer syncs the channel, another's sync leaves it alone. */
static void
test_one_at_a_time (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Result) slow = { 0 };
  g_auto(Result) other = { 0 };
  g_autoptr(GSubprocess) first = NULL;
  guint mutations, requests;

  REQUIRE_KEYRING ();

  sell (f, 0, 1);
  mutations = mock_shopify_get_stats (f->mock)->mutations;
  requests = mock_shopify_get_stats (f->mock)->requests;
  /* Every answer takes 1.5 s: the first sync is still at work when the
   * second starts. */
  mock_shopify_set_delay (f->mock, 1500);
  first = start_cli (f, NULL, &slow, (const char * const[]) { "sync", "--push", f->account,
                                                              NULL });
  /* Its first request to the shop comes after it took the channel's lock. */
  while (mock_shopify_get_stats (f->mock)->requests == requests && !slow.done)
    g_main_context_iteration (NULL, TRUE);

  CLI (f, NULL, &other, "--json", "sync", "--push", f->account);
  expect (&other, 0);
  g_assert_nonnull (strstr (other.out, "\"skipped\":\"syncing elsewhere\""));

  wait_done (&slow);
  expect (&slow, 0);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->mutations, ==, mutations + 1);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 9);
  g_assert_cmpuint (outbox_in_state (f, "pending") + outbox_in_state (f, "sending"), ==, 0);
}

/* The syncing computer dies mid-push; the next sync takes over at once and
 * sends what was in flight again under the same key: applied once. */
static void
test_killed_then_taken_over (Fixture       *f,
                             gconstpointer  data)
{
  g_auto(Result) victim = { 0 };
  g_auto(Result) next = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  const MockShopifyStats *stats;
  const char *pid;

  REQUIRE_KEYRING ();

  sell (f, 0, 1);
  sell (f, 1, 2);
  sell (f, 2, 3);
  g_assert_cmpuint (outbox_in_state (f, "pending"), ==, 3);

  mock_shopify_set_mutation_hook (f->mock, kill_victim, f);
  process = start_cli (f, NULL, &victim, (const char * const[]) { "sync", "--push", f->account,
                                                                  NULL });
  pid = g_subprocess_get_identifier (process);
  g_assert_nonnull (pid);
  f->victim = (GPid)g_ascii_strtoll (pid, NULL, 10);
  wait_done (&victim);
  g_assert_true (victim.signalled);
  g_assert_cmpint (f->kills, ==, 1);
  mock_shopify_set_mutation_hook (f->mock, NULL, NULL);

  /* What it claimed is left "sending", its lease far from over. */
  g_assert_cmpuint (outbox_in_state (f, "sending"), >=, 1);
  stats = mock_shopify_get_stats (f->mock);
  g_assert_cmpuint (stats->applied, >=, 1);

  CLI (f, NULL, &next, "sync", "--push", f->account);
  expect (&next, 0);
  g_assert_cmpuint (outbox_in_state (f, "pending") + outbox_in_state (f, "sending"), ==, 0);

  /* Each quantity reached the shop once: 10-1, 20-2, 30-3, and no
   * idempotency key was applied twice (the resend was answered from the
   * platform's record of the first). */
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 9);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 1, 0), ==, 18);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 2, 0), ==, 27);
  stats = mock_shopify_get_stats (f->mock);
  g_assert_cmpuint (stats->replays, >=, 1);
  g_assert_cmpuint (stats->applied, ==, stats->mutations - stats->replays);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("No keyring: %s", error->message);

  g_test_add ("/pg-sync/one-at-a-time", Fixture, NULL, fixture_set_up, test_one_at_a_time,
              fixture_tear_down);
  g_test_add ("/pg-sync/killed-then-taken-over", Fixture, NULL, fixture_set_up,
              test_killed_then_taken_over, fixture_tear_down);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
