/* test-shopify.c: the Shopify connector against the in-process mock, with
 * the real keyring
 *
 * Needs a Secret Service on the session bus (build-aux/run-tests.sh starts
 * a private D-Bus session with an unlocked GNOME Keyring); without one every
 * case is skipped with a message saying so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"

static GString *captured_logs;
static gboolean have_keyring;

typedef struct
{
  char                 *dir;
  char                 *path;
  char                 *account;
  char                 *token;
  OmniStore            *store;
  MockShopify          *mock;
  gint64                shop;
  gint64                channel;
  GArray               *variants;     /* local variant ids, by mock index */
  GCancellable         *cancellable;
  gboolean              done;
  gboolean              ok;
  GError               *error;
} Fixture;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      {
        g_string_append (captured_logs, fields[i].value);
        g_string_append_c (captured_logs, '\n');
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
add_catalog (Fixture *f,
             guint    n,
             gint64   remote_quantity_mod)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_begin (f->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = g_strdup_printf ("SKU-%05u", i);
      g_autofree char *title = g_strdup_printf ("Product %u", i);
      const OmniProductSpec product = { .title = title };
      const OmniVariantSpec variant = {
        .sku = sku, .price = 1000, .compare_at_price = -1, .cost = -1,
        .reorder_point = -1, .reorder_qty = -1,
      };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
      g_assert_no_error (error);
      g_array_append_val (f->variants, id);
      g_assert_cmpuint (mock_shopify_add_variant (f->mock, sku, NULL,
                                                  (gint64)(i % remote_quantity_mod) + 1), ==, i);
    }
  g_assert_true (omni_store_commit (f->store, &error));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());

  f->variants = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!have_keyring)
    return;

  f->dir = g_dir_make_tmp ("omni-shopify-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);

  f->mock = mock_shopify_new ();
  mock_shopify_add_location (f->mock, "Shop Floor");
  f->token = g_strdup_printf ("shpat_TOKEN%s%08x", suffix, g_random_int ());
  mock_shopify_add_token (f->mock, f->token);

  f->account = g_strdup_printf ("fern-%s.myshopify.com", suffix);
  f->channel = omni_store_add_channel (f->store, "shopify", NULL, f->account,
                                       mock_shopify_get_url (f->mock), &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, f->channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_secret_store ("shopify", f->account, "OmniStock test", f->token, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_array_unref (f->variants);
  if (!have_keyring)
    return;

  omni_secret_clear ("shopify", f->account, NULL, NULL);
  g_clear_object (&f->store);
  g_clear_object (&f->cancellable);
  mock_shopify_free (f->mock);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->account);
  g_free (f->token);
  g_clear_error (&f->error);
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
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_clear_error (&f->error);
  f->ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &f->error);
  f->done = TRUE;
}

/* Runs a pull or push on its worker thread while this (main) thread serves
 * the mock, as the app does. */
static gboolean
run (Fixture              *f,
     OmniShopifyConnector *connector,
     gboolean              push)
{
  f->done = FALSE;
  if (push)
    omni_connector_push_async (OMNI_CONNECTOR (connector), f->cancellable, on_done, f);
  else
    omni_connector_pull_async (OMNI_CONNECTOR (connector), f->cancellable, on_done, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  return f->ok;
}

static OmniShopifyConnector *
connector_new (Fixture *f)
{
  OmniShopifyConnector *connector = omni_shopify_connector_new (f->path, f->channel);

  omni_shopify_connector_set_retry (connector, 4, 20);
  return connector;
}

static gint64
available (Fixture *f,
           guint    index)
{
  return omni_store_get_available_at (f->store, g_array_index (f->variants, gint64, index), f->shop);
}

static void
adjust (Fixture *f,
        guint    index,
        gint64   delta)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = {
    .variant_id = g_array_index (f->variants, gint64, index), .location_id = f->shop,
    .on_hand_delta = delta, .reason = OMNI_REASON_CORRECTION, .source = "app",
  };

  g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  g_assert_no_error (error);
}

static guint
count_outbox (Fixture    *f,
              const char *state)
{
  g_autoptr(GPtrArray) list = omni_store_list_outbox (f->store, f->channel, state, 0, NULL);

  return list->len;
}

static void
first_sync (Fixture *f,
            guint    n)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;

  add_catalog (f, n, 17);
  connector = connector_new (f);
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
}

/* Cases ------------------------------------------------------------------ */

static void
test_first_sync_2000 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  const MockShopifyStats *stats;
  OmniShopifyStats cs;
  gint64 expected = 0, total = 0;

  REQUIRE_KEYRING ();

  add_catalog (f, 2000, 17);
  /* One remote variant matches nothing here. */
  mock_shopify_add_variant (f->mock, "REMOTE-ONLY", NULL, 5);

  connector = connector_new (f);
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);

  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.variants, ==, 2001);
  g_assert_cmpint (cs.linked, ==, 2000);
  g_assert_cmpint (cs.unmatched, ==, 1);
  g_assert_cmpint (cs.levels, ==, 2000);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 2000);

  for (guint i = 0; i < 2000; i++)
    {
      expected += (i % 17) + 1;
      total += available (f, i);
    }
  g_assert_cmpint (total, ==, expected);
  g_assert_cmpint (available (f, 0), ==, 1);
  g_assert_cmpint (available (f, 16), ==, 17);
  g_assert_cmpint (available (f, 1999), ==, (1999 % 17) + 1);

  stats = mock_shopify_get_stats (f->mock);
  /* 2,001 variants: 9 pages of 250; levels the same; no query over 1,000. */
  g_assert_cmpuint (stats->by_operation[2], ==, 9);
  g_assert_cmpuint (stats->by_operation[3], ==, 9);
  g_assert_cmpuint (stats->over_limit, ==, 0);
  /* The remote's own quantities are not pushed back. */
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 0);

  /* A second pull changes nothing and reads only what changed. */
  g_assert_true (run (f, connector, FALSE));
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.variants, ==, 0);
  g_assert_cmpint (cs.linked, ==, 0);
  g_assert_cmpint (available (f, 16), ==, 17);
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);
}

static void
test_push_after_adjust (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GPtrArray) done = NULL;
  const MockShopifyStats *stats;

  REQUIRE_KEYRING ();

  first_sync (f, 3);
  g_assert_cmpint (available (f, 1), ==, 2);
  adjust (f, 1, 5);
  adjust (f, 1, -1);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);

  connector = connector_new (f);
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 1, 0), ==, 6);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 1);

  stats = mock_shopify_get_stats (f->mock);
  g_assert_cmpuint (stats->mutations, ==, 1);
  g_assert_cmpuint (stats->applied, ==, 1);
  g_assert_cmpuint (stats->missing_change_from, ==, 0);
  g_assert_cmpuint (stats->missing_key, ==, 0);
  done = omni_store_list_outbox (f->store, f->channel, "done", 0, NULL);
  g_assert_cmpuint (done->len, ==, 1);
  g_assert_cmpuint (mock_shopify_key_count (f->mock, ((OmniOutboxEntry *)done->pdata[0])->op_id), ==, 1);

  /* Nothing left: a second push sends nothing. */
  g_assert_true (run (f, connector, TRUE));
  g_assert_cmpuint (stats->mutations, ==, 1);
}

static void
test_lost_response_retried_once (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GPtrArray) done = NULL;
  const MockShopifyStats *stats;

  REQUIRE_KEYRING ();

  first_sync (f, 2);
  adjust (f, 0, 10);
  mock_shopify_lose_next_response (f->mock);

  connector = connector_new (f);
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);

  stats = mock_shopify_get_stats (f->mock);
  g_assert_cmpuint (stats->mutations, ==, 2);
  g_assert_cmpuint (stats->applied, ==, 1);
  g_assert_cmpuint (stats->replays, ==, 1);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 11);
  done = omni_store_list_outbox (f->store, f->channel, "done", 0, NULL);
  g_assert_cmpuint (done->len, ==, 1);
  g_assert_cmpuint (mock_shopify_key_count (f->mock, ((OmniOutboxEntry *)done->pdata[0])->op_id), ==, 2);
}

static void
cancel_on_mutation (MockShopify *mock,
                    const char  *key,
                    gpointer     user_data)
{
  /* The worker dies after Shopify applied the change, before it learns so. */
  g_cancellable_cancel (user_data);
}

static void
test_crash_between_send_and_ack (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) crashed = NULL;
  g_autoptr(OmniShopifyConnector) restarted = NULL;
  g_autoptr(GPtrArray) sending = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autofree char *op_id = NULL;
  const MockShopifyStats *stats;

  REQUIRE_KEYRING ();

  first_sync (f, 2);
  adjust (f, 0, -1);                 /* 1 → 0 */
  f->cancellable = g_cancellable_new ();
  mock_shopify_set_mutation_hook (f->mock, cancel_on_mutation, f->cancellable);

  crashed = connector_new (f);
  /* Lease 0: the restarted pusher may take it back at once (in the app it
   * waits for the lease, five minutes, to run out). */
  omni_shopify_connector_set_lease (crashed, 0);
  g_assert_false (run (f, crashed, TRUE));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 0);

  /* Left as a crash leaves it: sent, not acknowledged. */
  sending = omni_store_list_outbox (f->store, f->channel, "sending", 0, NULL);
  g_assert_cmpuint (sending->len, ==, 1);
  op_id = g_strdup (((OmniOutboxEntry *)sending->pdata[0])->op_id);
  g_clear_object (&crashed);

  /* Meanwhile the merchant sells one more locally, and the shop restarts. */
  adjust (f, 1, -1);                 /* 2 → 1 */
  g_clear_object (&f->store);
  f->store = omni_store_open (f->path, NULL);
  g_clear_object (&f->cancellable);
  mock_shopify_set_mutation_hook (f->mock, NULL, NULL);

  restarted = connector_new (f);
  omni_shopify_connector_set_lease (restarted, 0);
  g_assert_true (run (f, restarted, TRUE));
  g_assert_no_error (f->error);

  stats = mock_shopify_get_stats (f->mock);
  g_assert_cmpuint (mock_shopify_key_count (f->mock, op_id), ==, 2);
  g_assert_cmpuint (stats->applied, ==, 2);     /* the crashed one once, variant 1 once */
  g_assert_cmpuint (stats->replays, ==, 1);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 0);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 1, 0), ==, 1);
  done = omni_store_list_outbox (f->store, f->channel, "done", 0, NULL);
  g_assert_cmpuint (done->len, ==, 2);
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);
}

static void
test_compare_conflict (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) log = NULL;
  OmniShopifyStats cs;
  gboolean logged = FALSE;

  REQUIRE_KEYRING ();

  first_sync (f, 2);
  /* Someone edits Shopify's quantity by hand, and a local change follows. */
  mock_shopify_set_quantity (f->mock, 1, 0, 50);
  adjust (f, 1, 3);                  /* 2 → 5 */

  connector = connector_new (f);
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.conflicts, ==, 1);
  g_assert_cmpint (cs.pushed, ==, 1);

  /* Resolution applied: the store's quantity, compared against 50. */
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 1, 0), ==, 5);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->stale, ==, 1);
  conflicts = omni_store_list_outbox (f->store, f->channel, "conflict", 0, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_nonnull (strstr (((OmniOutboxEntry *)conflicts->pdata[0])->last_error, "had 50 available, not 2"));

  log = omni_store_list_sync_log (f->store, f->channel, 0, NULL);
  for (guint i = 0; i < log->len; i++)
    logged |= g_strcmp0 (((OmniSyncLogEntry *)log->pdata[i])->status, "conflict") == 0;
  g_assert_true (logged);
}

static void
test_throttle_obeyed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  OmniShopifyStats cs;
  gint64 started;

  REQUIRE_KEYRING ();

  add_catalog (f, 1000, 7);
  /* A 1,000-point bucket refilling at 2,000 points a second: each 752-point
   * variants page needs the bucket to refill in between. */
  mock_shopify_set_throttle (f->mock, 1000, 2000);
  connector = connector_new (f);
  started = g_get_monotonic_time ();
  run (f, connector, FALSE);
  g_assert_no_error (f->error);

  omni_shopify_connector_get_stats (connector, &cs);
  /* Paced from the throttle status: no request reached an empty bucket,
   * and the pull took at least what the bucket allows: locations 102,
   * variants 4 × 752, levels 4 × 503 points, less the full bucket, at
   * 2,000 points a second. */
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->throttled, ==, 0);
  /* ... plus one productVariantsCount, which chooses paging over a bulk
   * operation on a first pull. */
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, ==, 10);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, (gint64)(5122 - 1000) * G_USEC_PER_SEC / 2000);
  g_assert_cmpint (available (f, 999), ==, (999 % 7) + 1);

  /* Another app keeps the bucket empty for a while: THROTTLED answers are
   * waited out and the pull completes. */
  mock_shopify_drain (f->mock, 300);
  started = g_get_monotonic_time ();
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpuint (cs.throttled, >=, 1);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->throttled, ==, cs.throttled);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 300 * 1000);
  g_assert_cmpint (available (f, 999), ==, (999 % 7) + 1);
}

static void
test_server_errors_retried (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GPtrArray) log = NULL;
  guint retries = 0;
  gint64 started;

  REQUIRE_KEYRING ();

  add_catalog (f, 5, 3);
  mock_shopify_fail_next (f->mock, 503, 2, 0);
  connector = connector_new (f);
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->injected_failures, ==, 2);
  g_assert_cmpint (available (f, 4), ==, 2);

  log = omni_store_list_sync_log (f->store, f->channel, 0, NULL);
  for (guint i = 0; i < log->len; i++)
    if (g_strcmp0 (((OmniSyncLogEntry *)log->pdata[i])->status, "retry") == 0)
      {
        retries++;
        g_assert_cmpint (((OmniSyncLogEntry *)log->pdata[i])->http_status, ==, 503);
      }
  g_assert_cmpuint (retries, ==, 2);

  /* 429 with Retry-After: waited as told. */
  mock_shopify_fail_next (f->mock, 429, 1, 1);
  started = g_get_monotonic_time ();
  g_assert_true (run (f, connector, FALSE));
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);

  /* Failing beyond the attempt limit: an error in words, channel in error. */
  mock_shopify_fail_next (f->mock, 500, 10, 0);
  g_assert_false (run (f, connector, FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE);
  {
    g_autoptr(OmniChannel) channel = omni_store_get_channel (f->store, f->channel, NULL);
    g_assert_cmpstr (channel->state, ==, "error");
    g_assert_nonnull (strstr (channel->last_error, "HTTP 500"));
  }
  mock_shopify_fail_next (f->mock, 500, 0, 0);
}

static void
test_slow_responses_time_out (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  gint64 started;

  REQUIRE_KEYRING ();

  add_catalog (f, 3, 5);
  connector = connector_new (f);
  omni_shopify_connector_set_timeout (connector, 1);
  omni_shopify_connector_set_retry (connector, 2, 20);

  /* Answers slower than the timeout: each attempt gives up, then the run
   * fails as a network error, and nothing was linked. */
  mock_shopify_set_delay (f->mock, 2500);
  started = g_get_monotonic_time ();
  g_assert_false (run (f, connector, FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NETWORK);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 0);

  /* Slow but within the timeout: fine. */
  mock_shopify_set_delay (f->mock, 200);
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 3);
  g_assert_cmpint (available (f, 2), ==, 3);
  mock_shopify_set_delay (f->mock, 0);
}

static void
test_revoked_token_stops_channel (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  guint requests;

  REQUIRE_KEYRING ();

  first_sync (f, 2);
  mock_shopify_revoke_tokens (f->mock);
  adjust (f, 0, 4);

  connector = connector_new (f);
  g_assert_false (run (f, connector, TRUE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  channel = omni_store_get_channel (f->store, f->channel, NULL);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  g_assert_nonnull (strstr (channel->last_error, "re-authenticate"));
  /* The push stays queued for after re-authentication. */
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);

  /* Stopped: nothing more is sent until the merchant re-authenticates. */
  requests = mock_shopify_get_stats (f->mock)->requests;
  g_assert_false (run (f, connector, FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, ==, requests);
}

static void
revoke_on_mutation (MockShopify *mock,
                    const char  *key,
                    gpointer     user_data)
{
  mock_shopify_revoke_tokens (mock);
}

static void
test_client_credentials_refresh (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  OmniShopifyStats cs;

  REQUIRE_KEYRING ();

  mock_shopify_revoke_tokens (f->mock);
  mock_shopify_set_client (f->mock, "client-123", f->token);
  g_assert_true (omni_store_set_channel_settings (f->store, f->channel,
                                                  "{\"auth\":\"client_credentials\",\"client_id\":\"client-123\"}",
                                                  &error));
  first_sync (f, 3);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->token_exchanges, ==, 1);
  g_assert_cmpint (available (f, 2), ==, 3);

  /* The token dies after the first push: a 401, one new exchange, done. */
  adjust (f, 0, 1);
  adjust (f, 1, 1);
  mock_shopify_set_mutation_hook (f->mock, revoke_on_mutation, NULL);
  connector = connector_new (f);
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpuint (cs.token_exchanges, ==, 2);
  g_assert_cmpint (cs.pushed, ==, 2);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 2);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 1, 0), ==, 3);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->unauthorized, ==, 1);

  /* A wrong client secret is an authentication error, in words. */
  mock_shopify_set_mutation_hook (f->mock, NULL, NULL);
  mock_shopify_set_client (f->mock, "client-123", "another-secret");
  g_assert_false (run (f, connector, FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (f->error->message, "client ID and secret"));
}

static void
test_orders_exactly_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  OmniShopifyStats cs;

  REQUIRE_KEYRING ();

  first_sync (f, 3);
  g_assert_cmpint (available (f, 2), ==, 3);
  mock_shopify_add_order (f->mock, "#1001", 2, 2);

  connector = connector_new (f);
  g_assert_true (run (f, connector, FALSE));
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.orders, ==, 1);
  g_assert_cmpint (available (f, 2), ==, 1);
  /* Shopify already holds 1: nothing to push. */
  g_assert_true (run (f, connector, TRUE));
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->mutations, ==, 0);

  /* Seen again: sold once. */
  g_assert_true (run (f, connector, FALSE));
  g_assert_cmpint (available (f, 2), ==, 1);

  /* Cancelled there: reversed here, once. */
  mock_shopify_cancel_order (f->mock, "#1001");
  g_assert_true (run (f, connector, FALSE));
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.cancelled, ==, 1);
  g_assert_cmpint (available (f, 2), ==, 3);
  g_assert_true (run (f, connector, FALSE));
  g_assert_cmpint (available (f, 2), ==, 3);
  g_assert_true (run (f, connector, TRUE));
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 2, 0), ==, 3);
}

static gboolean
bytes_contain (const char *haystack,
               gsize       len,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_token_appears_nowhere (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autofree char *db = NULL;
  g_autofree char *wal_path = NULL;
  g_autofree char *wal = NULL;
  gsize db_len = 0, wal_len = 0;

  REQUIRE_KEYRING ();

  first_sync (f, 3);
  adjust (f, 0, 2);
  connector = connector_new (f);
  g_assert_true (run (f, connector, TRUE));
  mock_shopify_fail_next (f->mock, 503, 1, 0);
  g_assert_true (run (f, connector, FALSE));
  mock_shopify_revoke_tokens (f->mock);
  g_assert_false (run (f, connector, FALSE));

  /* The token was really used... */
  g_assert_nonnull (strstr (mock_shopify_get_stats (f->mock)->seen_tokens->str, f->token));

  /* ...and is in no error, log line, channel row or database byte. */
  g_assert_null (strstr (f->error->message, f->token));
  g_assert_null (strstr (captured_logs->str, f->token));
  log = omni_store_list_sync_log (f->store, f->channel, 0, NULL);
  g_assert_cmpuint (log->len, >, 5);
  for (guint i = 0; i < log->len; i++)
    {
      const char *message = ((OmniSyncLogEntry *)log->pdata[i])->message;
      g_assert_true (message == NULL || strstr (message, f->token) == NULL);
    }
  channels = omni_store_list_channels (f->store, NULL);
  for (guint i = 0; i < channels->len; i++)
    {
      OmniChannel *c = channels->pdata[i];
      g_assert_null (strstr (c->settings, f->token));
      g_assert_true (c->last_error == NULL || strstr (c->last_error, f->token) == NULL);
    }

  g_clear_object (&f->store);
  g_assert_true (g_file_get_contents (f->path, &db, &db_len, NULL));
  g_assert_cmpuint (db_len, >, 0);
  g_assert_false (bytes_contain (db, db_len, f->token));
  wal_path = g_strconcat (f->path, "-wal", NULL);
  if (g_file_get_contents (wal_path, &wal, &wal_len, NULL))
    g_assert_false (bytes_contain (wal, wal_len, f->token));
  f->store = omni_store_open (f->path, NULL);
}

static void
test_keyring_roundtrip (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  REQUIRE_KEYRING ();

  secret = omni_secret_lookup ("shopify", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, f->token);
  omni_secret_free (secret);

  g_assert_true (omni_secret_clear ("shopify", f->account, NULL, &error));
  g_assert_null (omni_secret_lookup ("shopify", f->account, NULL, &error));
  g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (omni_secret_store ("shopify", f->account, "x", "", NULL, &error));
  g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
}

static void
test_shop_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = omni_shopify_normalize_shop ("Fern", NULL);
  g_autofree char *b = omni_shopify_normalize_shop ("https://fern-goods.myshopify.com/admin", NULL);
  g_autofree char *url = omni_shopify_graphql_url ("fern.myshopify.com", NULL);
  g_autofree char *bad = omni_shopify_normalize_shop ("fern.example.com", &error);

  g_assert_cmpstr (a, ==, "fern.myshopify.com");
  g_assert_cmpstr (b, ==, "fern-goods.myshopify.com");
  g_assert_cmpstr (url, ==, "https://fern.myshopify.com/admin/api/2026-07/graphql.json");
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "NAME.myshopify.com"));
  g_clear_error (&error);
  g_assert_null (omni_shopify_normalize_shop ("x y.myshopify.com", &error));
  g_clear_error (&error);
  g_assert_null (omni_shopify_normalize_shop ("", &error));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the keyring cases: %s", error->message);

  g_test_add_func ("/omni/shopify/shop-names", test_shop_names);
#define ADD(name, func) \
  g_test_add ("/omni/shopify/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("keyring", test_keyring_roundtrip);
  ADD ("first-sync-2000", test_first_sync_2000);
  ADD ("push-after-adjust", test_push_after_adjust);
  ADD ("lost-response", test_lost_response_retried_once);
  ADD ("crash-between-send-and-ack", test_crash_between_send_and_ack);
  ADD ("compare-conflict", test_compare_conflict);
  ADD ("throttle", test_throttle_obeyed);
  ADD ("server-errors", test_server_errors_retried);
  ADD ("slow-responses", test_slow_responses_time_out);
  ADD ("revoked-token", test_revoked_token_stops_channel);
  ADD ("client-credentials", test_client_credentials_refresh);
  ADD ("orders", test_orders_exactly_once);
  ADD ("token-nowhere", test_token_appears_nowhere);

  status = g_test_run ();
  /* libsecret keeps its Secret Service proxy for the process. */
  secret_service_disconnect ();
  return status;
}
