/* test-ebay.c: the eBay connector against the in-process mock, with the
 * real keyring
 *
 * Needs a Secret Service on the session bus (build-aux/run-tests.sh starts
 * a private D-Bus session with an unlocked GNOME Keyring); without one the
 * keyring cases are skipped with a message saying so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "mock-ebay.h"
#include "omni-ebay.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"

static gboolean have_keyring;

typedef struct
{
  char                *dir;
  char                *path;
  char                *name;
  OmniEbayCredentials *credentials;
  OmniStore           *store;
  MockEbay            *mock;
  gint64               shop;
  gint64               channel;
  GArray              *variants;     /* local variant ids, by index */
  GCancellable        *cancellable;
  gboolean             done;
  gboolean             ok;
  GError              *error;
} Fixture;

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
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());

  f->variants = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!have_keyring)
    return;

  f->dir = g_dir_make_tmp ("omni-ebay-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);

  f->credentials = g_new0 (OmniEbayCredentials, 1);
  f->credentials->client_id = g_strdup_printf ("FernGood-OmniStoc-PRD-%s", suffix);
  f->credentials->client_secret = g_strdup_printf ("PRD-SECRET%08x%08x", g_random_int (),
                                                   g_random_int ());
  f->credentials->refresh_token = g_strdup_printf ("v^1.1#i^1#r^1#REFRESH%08x%08x",
                                                   g_random_int (), g_random_int ());
  f->mock = mock_ebay_new ();
  mock_ebay_set_credentials (f->mock, f->credentials->client_id, f->credentials->client_secret,
                             f->credentials->refresh_token);

  f->name = g_strdup_printf ("eBay UK %s", suffix);
  f->channel = omni_ebay_add_channel (f->store, f->name, "EBAY_GB", f->shop,
                                      mock_ebay_get_url (f->mock), f->credentials, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->channel, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_array_unref (f->variants);
  if (!have_keyring)
    return;

  omni_secret_clear ("ebay", f->name, NULL, NULL);
  g_clear_object (&f->store);
  g_clear_object (&f->cancellable);
  mock_ebay_free (f->mock);
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
  g_free (f->name);
  omni_ebay_credentials_free (f->credentials);
  g_clear_error (&f->error);
}

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
run (Fixture           *f,
     OmniEbayConnector *connector,
     gboolean           push)
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

static OmniEbayConnector *
connector_new (Fixture *f)
{
  OmniEbayConnector *connector = omni_ebay_connector_new (f->path, f->channel);

  omni_ebay_connector_set_retry (connector, 4, 20);
  return connector;
}

static char *
sku_of (guint index)
{
  return g_strdup_printf ("EB-%05u", index);
}

static const char *
sku (guint index)
{
  static char buffer[32];

  g_snprintf (buffer, sizeof buffer, "EB-%05u", index);
  return buffer;
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

/* @n local variants with @stock units each (recorded before any link, so
 * nothing is queued), and the same SKUs on eBay holding @remote units with
 * one offer each. */
static void
add_catalog (Fixture *f,
             guint    n,
             gint64   stock,
             gint64   remote)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_begin (f->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *code = sku_of (i);
      g_autofree char *title = g_strdup_printf ("Product %u", i);
      const OmniProductSpec product = { .title = title };
      const OmniVariantSpec variant = {
        .sku = code, .price = 1000, .compare_at_price = -1, .cost = -1,
        .reorder_point = -1, .reorder_qty = -1,
      };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
      g_assert_no_error (error);
      g_array_append_val (f->variants, id);
      g_assert_cmpuint (mock_ebay_add_item (f->mock, code, remote, 1), ==, i);
    }
  g_assert_true (omni_store_commit (f->store, &error));
  for (guint i = 0; i < n; i++)
    if (stock != 0)
      adjust (f, i, stock);
}

static guint
count_outbox (Fixture    *f,
              const char *state)
{
  g_autoptr(GPtrArray) list = omni_store_list_outbox (f->store, f->channel, state, 0, NULL);

  return list->len;
}

/* Links @n variants holding @stock each to listings showing the same. */
static OmniEbayConnector *
first_sync (Fixture *f,
            guint    n,
            gint64   stock)
{
  OmniEbayConnector *connector;

  add_catalog (f, n, stock, stock);
  connector = connector_new (f);
  run (f, connector, FALSE);
  g_assert_no_error (f->error);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, n);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);
  return connector;
}

/* Cases ------------------------------------------------------------------ */

static void
test_pull_pages (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  const MockEbayStats *stats;
  OmniSyncStats cs;
  gint64 level = -1;
  gint64 started;

  REQUIRE_KEYRING ();

  add_catalog (f, 25, 4, 4);
  /* Three listings show another quantity than the shop has; one listing
   * matches nothing here. */
  for (guint i = 0; i < 3; i++)
    adjust (f, i * 10, 1);
  mock_ebay_add_item (f->mock, "REMOTE-ONLY", 9, 1);

  connector = connector_new (f);
  omni_ebay_connector_set_page_size (connector, 10);
  started = g_get_monotonic_time ();
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_test_message ("First pull of 26 items (3 pages, 25 offer reads) in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);

  stats = mock_ebay_get_stats (f->mock);
  g_assert_cmpuint (stats->item_pages, ==, 3);            /* 26 items, 10 a page */
  g_assert_cmpuint (stats->offer_requests, ==, 25);       /* once per new link */
  g_assert_cmpuint (stats->token_requests, ==, 1);
  g_assert_cmpuint (stats->bad_scope, ==, 0);
  omni_ebay_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.variants, ==, 26);
  g_assert_cmpint (cs.linked, ==, 25);
  g_assert_cmpint (cs.unmatched, ==, 1);
  g_assert_cmpint (cs.levels, ==, 25);
  {
    /* Listed for the merchant, with the ids a link needs. */
    g_autoptr(OmniRemoteVariant) remote = omni_store_find_remote_variant (f->store, f->channel,
                                                                          "REMOTE-ONLY", NULL);

    g_assert_cmpint (omni_store_count_remote_variants (f->store, f->channel, TRUE), ==, 1);
    g_assert_nonnull (remote);
    g_assert_cmpstr (remote->product_title, ==, "REMOTE-ONLY");
    g_assert_cmpstr (remote->remote_inventory_id, ==, "REMOTE-ONLY");
    g_assert_null (remote->remote_product_id);
  }
  g_assert_cmpuint (cs.token_exchanges, ==, 1);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 25);
  g_assert_cmpint (omni_store_find_linked_variant (f->store, f->channel, sku (7)), ==,
                   g_array_index (f->variants, gint64, 7));
  g_assert_true (omni_store_get_remote_level (f->store, f->channel,
                                              g_array_index (f->variants, gint64, 10),
                                              OMNI_EBAY_LOCATION, &level));
  g_assert_cmpint (level, ==, 4);
  {
    g_autofree char *offers = omni_store_get_link_remote_product (
      f->store, f->channel, g_array_index (f->variants, gint64, 0));
    g_assert_cmpstr (offers, ==, "100001");
  }
  /* The store is the truth: the three that differ are queued. */
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 3);

  /* Again: nothing new to link, offers not read again, nothing queued twice. */
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->item_pages, ==, 6);
  g_assert_cmpuint (stats->offer_requests, ==, 25);
  g_assert_cmpuint (stats->token_requests, ==, 1);        /* still in memory */
  omni_ebay_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.linked, ==, 0);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 3);

  /* And the push publishes the shop's quantity. */
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->bulk_calls, ==, 1);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (20)), ==, 5);
  g_assert_cmpint (mock_ebay_get_offer_quantity (f->mock, sku (20), 0), ==, 5);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (21)), ==, 4);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 3);
}

static gboolean
contains (const char *bytes,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (bytes + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_token_refresh (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  g_autoptr(OmniEbayConnector) other = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GPtrArray) log = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);
  gboolean found_name = FALSE;

  REQUIRE_KEYRING ();

  connector = first_sync (f, 2, 3);
  g_assert_cmpuint (stats->token_requests, ==, 1);
  g_assert_true (run (f, connector, FALSE));
  g_assert_true (run (f, connector, TRUE));
  g_assert_cmpuint (stats->token_requests, ==, 1);
  g_assert_cmpuint (stats->unauthorized, ==, 0);

  /* Revoked: one 401, one new token, the same call again. */
  mock_ebay_revoke_tokens (f->mock);
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->token_requests, ==, 2);
  g_assert_cmpuint (stats->unauthorized, ==, 1);

  /* Short-lived tokens are renewed before they expire, with no 401. */
  mock_ebay_set_expires_in (f->mock, 4);
  mock_ebay_revoke_tokens (f->mock);
  g_assert_true (run (f, connector, FALSE));
  g_assert_cmpuint (stats->token_requests, ==, 3);
  g_assert_cmpuint (stats->unauthorized, ==, 2);
  g_usleep (2200 * 1000);
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->token_requests, ==, 4);
  g_assert_cmpuint (stats->unauthorized, ==, 2);

  /* The refresh token itself is refused: the channel stops, and the next
   * run sends nothing until it is connected again. */
  mock_ebay_set_credentials (f->mock, f->credentials->client_id, f->credentials->client_secret,
                             "v^1.1#i^1#r^1#SOMETHING-ELSE");
  mock_ebay_revoke_tokens (f->mock);
  other = connector_new (f);
  g_assert_false (run (f, other, FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  g_assert_null (strstr (f->error->message, f->credentials->refresh_token));
  g_assert_cmpuint (stats->token_requests, ==, 5);
  channel = omni_store_get_channel (f->store, f->channel, NULL);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  g_assert_nonnull (strstr (channel->last_error, "refused the channel’s credentials"));
  g_assert_false (run (f, other, TRUE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  g_assert_cmpuint (stats->token_requests, ==, 5);
  g_clear_pointer (&channel, omni_channel_free);
  channel = omni_store_get_channel (f->store, f->channel, NULL);
  g_assert_nonnull (strstr (channel->last_error, "refused the channel’s credentials"));

  /* No credential reaches the log or the channel row. */
  log = omni_store_list_sync_log (f->store, f->channel, 0, NULL);
  g_assert_cmpuint (log->len, >, 0);
  for (guint i = 0; i < log->len; i++)
    {
      OmniSyncLogEntry *e = log->pdata[i];

      g_assert_null (strstr (e->message_owned ? e->message_owned : "",
                             f->credentials->refresh_token));
      g_assert_null (strstr (e->message_owned ? e->message_owned : "",
                             f->credentials->client_secret));
    }
  g_assert_null (strstr (channel->settings, f->credentials->refresh_token));
  g_assert_null (strstr (channel->settings, f->credentials->client_secret));

  /* Nor any byte of the database or its write-ahead log (which do hold
   * the channel: the search reads the right files). */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *file = i == 0 ? g_strdup (f->path) : g_strconcat (f->path, "-wal", NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &bytes, &len, NULL))
        continue;
      g_assert_false (contains (bytes, len, f->credentials->refresh_token));
      g_assert_false (contains (bytes, len, f->credentials->client_secret));
      found_name = found_name || contains (bytes, len, f->name);
    }
  g_assert_true (found_name);
}

static void
test_orders_exactly_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);
  OmniSyncStats cs;
  guint pages;

  REQUIRE_KEYRING ();

  connector = first_sync (f, 3, 10);
  /* The first pull only set the cursor: earlier orders are in eBay's
   * quantities already. */
  g_assert_cmpint (available (f, 0), ==, 10);

  mock_ebay_add_order (f->mock, "12-00001-00001", sku (0), 2, "25.00");
  mock_ebay_add_order (f->mock, "12-00001-00002", sku (1), 1, "12.50");
  mock_ebay_add_order (f->mock, "12-00001-00003", sku (2), 3, "37.50");
  mock_ebay_add_order (f->mock, "12-00001-00004", sku (0), 1, "12.50");
  mock_ebay_add_order (f->mock, "12-00001-00005", "NOT-HERE", 4, "50.00");

  omni_ebay_connector_set_page_size (connector, 2);
  pages = stats->order_pages;
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->order_pages - pages, ==, 3);   /* 5 orders, 2 a page */
  g_assert_cmpint (available (f, 0), ==, 7);
  g_assert_cmpint (available (f, 1), ==, 9);
  g_assert_cmpint (available (f, 2), ==, 7);
  /* eBay took the sales off its listings itself: the queued pushes find
   * the listings right and complete without a request. */
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->bulk_calls, ==, 0);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);

  /* Read again in the next window: nothing counted twice. */
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  g_assert_cmpint (available (f, 0), ==, 7);
  g_assert_cmpint (available (f, 1), ==, 9);
  g_assert_cmpint (available (f, 2), ==, 7);

  /* A cancellation gives the units back, once. */
  g_usleep (5 * 1000);
  mock_ebay_cancel_order (f->mock, "12-00001-00003");
  g_assert_true (run (f, connector, FALSE));
  g_assert_no_error (f->error);
  omni_ebay_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.cancelled, ==, 1);
  g_assert_cmpint (available (f, 2), ==, 10);
  g_assert_true (run (f, connector, FALSE));
  omni_ebay_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.cancelled, ==, 0);
  g_assert_cmpint (available (f, 2), ==, 10);
  g_assert_cmpint (available (f, 0), ==, 7);
}

static void
test_batches_of_25 (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);

  REQUIRE_KEYRING ();

  gint64 started;

  connector = first_sync (f, 60, 5);
  for (guint i = 0; i < 60; i++)
    adjust (f, i, (gint64)(i % 4) + 1);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 60);

  started = g_get_monotonic_time ();
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_test_message ("60 quantities pushed in 3 calls in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
  g_assert_cmpuint (stats->bulk_calls, ==, 3);
  g_assert_cmpuint (stats->bulk_sizes->len, ==, 3);
  g_assert_cmpuint (g_array_index (stats->bulk_sizes, guint, 0), ==, 25);
  g_assert_cmpuint (g_array_index (stats->bulk_sizes, guint, 1), ==, 25);
  g_assert_cmpuint (g_array_index (stats->bulk_sizes, guint, 2), ==, 10);
  g_assert_cmpuint (stats->too_large, ==, 0);
  for (guint i = 0; i < 60; i++)
    {
      g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (i)), ==, 5 + (gint64)(i % 4) + 1);
      g_assert_cmpint (mock_ebay_get_offer_quantity (f->mock, sku (i), 0), ==,
                       5 + (gint64)(i % 4) + 1);
      g_assert_cmpuint (mock_ebay_sku_updates (f->mock, sku (i)), ==, 1);
    }
  g_assert_cmpuint (count_outbox (f, "done"), ==, 60);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);
}

static void
test_partial_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);
  OmniOutboxEntry *entry;
  OmniSyncStats cs;

  REQUIRE_KEYRING ();

  connector = first_sync (f, 5, 5);
  for (guint i = 0; i < 5; i++)
    adjust (f, i, 2);
  mock_ebay_fail_sku (f->mock, sku (1), 500, 25001, "A system error has occurred.");
  mock_ebay_fail_sku (f->mock, sku (3), 400, 25759,
                      "shipToLocationAvailability quantity value should be greater than or "
                      "equal to auction allocation.");

  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->bulk_calls, ==, 1);
  omni_ebay_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.pushed, ==, 3);
  g_assert_cmpint (cs.failed, ==, 2);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 3);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);        /* SKU 1: retried later */
  failed = omni_store_list_outbox (f->store, f->channel, "failed", 0, NULL);
  g_assert_cmpuint (failed->len, ==, 1);                         /* SKU 3: for good */
  entry = failed->pdata[0];
  g_assert_cmpint (entry->variant_id, ==, g_array_index (f->variants, gint64, 3));
  g_assert_nonnull (strstr (entry->last_error, "greater than or equal to auction allocation"));
  g_assert_nonnull (strstr (entry->last_error, "25759"));
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (0)), ==, 7);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (1)), ==, 5);

  /* Not due yet: nothing is sent. */
  g_assert_true (run (f, connector, TRUE));
  g_assert_cmpuint (stats->bulk_calls, ==, 1);

  /* Once due, only the SKU that failed for a passing reason goes again. */
  mock_ebay_fail_sku (f->mock, sku (1), 0, 0, NULL);
  omni_ebay_connector_set_clock (connector, (gint64)2 * 3600 * G_USEC_PER_SEC);
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->bulk_calls, ==, 2);
  g_assert_cmpuint (g_array_index (stats->bulk_sizes, guint, 1), ==, 1);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (1)), ==, 7);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (mock_ebay_sku_updates (f->mock, sku (i)), ==, i == 3 ? 0 : 1);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 4);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);
}

static void
cancel_on_bulk (MockEbay *mock,
                gpointer  user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_crash_retry_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  g_autoptr(OmniEbayConnector) crashed = NULL;
  g_autoptr(OmniEbayConnector) restarted = NULL;
  g_autoptr(GPtrArray) sending = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);

  REQUIRE_KEYRING ();

  connector = first_sync (f, 2, 3);
  adjust (f, 0, -1);                  /* 3 → 2 */
  f->cancellable = g_cancellable_new ();
  mock_ebay_set_bulk_hook (f->mock, cancel_on_bulk, f->cancellable);

  crashed = connector_new (f);
  omni_ebay_connector_set_lease (crashed, 0);
  g_assert_false (run (f, crashed, TRUE));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* eBay applied it; the answer never arrived. */
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (0)), ==, 2);
  sending = omni_store_list_outbox (f->store, f->channel, "sending", 0, NULL);
  g_assert_cmpuint (sending->len, ==, 1);
  g_clear_object (&crashed);

  /* Meanwhile another sale here, and the shop restarts. */
  adjust (f, 1, -1);                  /* 3 → 2 */
  g_clear_object (&f->store);
  f->store = omni_store_open (f->path, NULL);
  g_clear_object (&f->cancellable);
  mock_ebay_set_bulk_hook (f->mock, NULL, NULL);

  restarted = connector_new (f);
  omni_ebay_connector_set_lease (restarted, 0);
  g_assert_true (run (f, restarted, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->bulk_calls, ==, 2);
  /* The crashed entry went once more (setting a quantity is idempotent),
   * the new change once. */
  g_assert_cmpuint (mock_ebay_sku_updates (f->mock, sku (0)), ==, 2);
  g_assert_cmpuint (mock_ebay_sku_updates (f->mock, sku (1)), ==, 1);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (0)), ==, 2);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (1)), ==, 2);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 2);
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);

  /* And never again. */
  g_assert_true (run (f, restarted, TRUE));
  g_assert_cmpuint (stats->bulk_calls, ==, 2);
  g_assert_cmpuint (mock_ebay_sku_updates (f->mock, sku (0)), ==, 2);
}

static void
test_coalescing (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);
  gint64 expected = 20;

  REQUIRE_KEYRING ();

  connector = first_sync (f, 1, 20);
  for (guint i = 0; i < 40; i++)
    {
      gint64 delta = i % 3 == 0 ? 2 : -1;

      adjust (f, 0, delta);
      expected += delta;
    }
  g_assert_cmpint (available (f, 0), ==, expected);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);

  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->bulk_calls, ==, 1);
  g_assert_cmpuint (g_array_index (stats->bulk_sizes, guint, 0), ==, 1);
  g_assert_cmpuint (mock_ebay_sku_updates (f->mock, sku (0)), ==, 1);
  g_assert_cmpint (mock_ebay_last_sent (f->mock, sku (0)), ==, expected);
  g_assert_cmpint (mock_ebay_get_offer_quantity (f->mock, sku (0), 0), ==, expected);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 1);
}

static void
test_never_negative (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);

  REQUIRE_KEYRING ();

  connector = first_sync (f, 2, 2);
  adjust (f, 0, -5);                 /* 2 → -3: oversold */
  g_assert_cmpint (available (f, 0), ==, -3);

  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  g_assert_cmpuint (stats->bulk_calls, ==, 1);
  g_assert_cmpint (mock_ebay_last_sent (f->mock, sku (0)), ==, 0);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (0)), ==, 0);
  g_assert_cmpint (mock_ebay_get_offer_quantity (f->mock, sku (0), 0), ==, 0);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 1);
  g_assert_cmpuint (count_outbox (f, "failed"), ==, 0);

  /* Still oversold after a pull: eBay's 0 is what we publish, no push. */
  g_assert_true (run (f, connector, FALSE));
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);
}

static void
test_throttled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  const MockEbayStats *stats = mock_ebay_get_stats (f->mock);
  OmniSyncStats cs;

  REQUIRE_KEYRING ();

  connector = first_sync (f, 1, 4);
  adjust (f, 0, 3);
  mock_ebay_throttle_next (f->mock, 2, 0);
  g_assert_true (run (f, connector, TRUE));
  g_assert_no_error (f->error);
  omni_ebay_connector_get_stats (connector, &cs);
  g_assert_cmpuint (stats->throttled, ==, 2);
  g_assert_cmpuint (cs.throttled, ==, 2);
  g_assert_cmpuint (stats->bulk_calls, ==, 1);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (0)), ==, 7);

  /* Throttled past every retry: the entry waits for the next run. */
  adjust (f, 0, 1);
  mock_ebay_throttle_next (f->mock, 10, 0);
  g_assert_false (run (f, connector, TRUE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_THROTTLED);
  g_assert_cmpuint (stats->bulk_calls, ==, 1);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);
  g_assert_cmpint (mock_ebay_get_quantity (f->mock, sku (0)), ==, 7);
}

static void
test_refused_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniEbayCredentials) good = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autofree char *long_value = g_strnfill (5000, 'x');
  g_autofree char *long_json = g_strdup_printf ("{\"client_id\":\"%s\",\"client_secret\":\"s\","
                                                "\"refresh_token\":\"r\"}", long_value);
  const char *bad[] = {
    "", "not json", "[]", "{\"client_id\":\"a\",\"client_secret\":\"b\"}",
    "{\"client_id\":\"a\",\"client_secret\":\"b\",\"refresh_token\":\"\"}",
    "{\"client_id\":\"a b\",\"client_secret\":\"b\",\"refresh_token\":\"c\"}",
    "{\"client_id\":1,\"client_secret\":\"b\",\"refresh_token\":\"c\"}",
  };

  good = omni_ebay_credentials_parse ("{\"client_id\":\"id\",\"client_secret\":\"sec\","
                                      "\"refresh_token\":\"v^1.1#r\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (good->refresh_token, ==, "v^1.1#r");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(OmniEbayCredentials) c = omni_ebay_credentials_parse (bad[i], &error);

      g_assert_null (c);
      g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED);
      g_clear_error (&error);
    }
  g_assert_null (omni_ebay_credentials_parse (long_json, &error));
  g_assert_nonnull (strstr (error->message, "too long"));
  g_assert_null (strstr (error->message, long_value));
  g_clear_error (&error);

  g_assert_true (omni_ebay_check_marketplace ("EBAY_GB", NULL));
  g_assert_false (omni_ebay_check_marketplace ("EBAY_XX", &error));
  g_clear_error (&error);

  REQUIRE_KEYRING ();

  /* Refused channels leave nothing behind. */
  g_assert_cmpint (omni_ebay_add_channel (f->store, "Other", "EBAY_XX", f->shop, NULL, good,
                                          NULL, &error), ==, 0);
  g_assert_nonnull (strstr (error->message, "EBAY_XX"));
  g_clear_error (&error);
  g_assert_cmpint (omni_ebay_add_channel (f->store, f->name, "EBAY_GB", f->shop, NULL, good,
                                          NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (omni_ebay_add_channel (f->store, "Plain", "EBAY_GB", f->shop,
                                          "http://ebay.example.com", good, NULL, &error), ==, 0);
  g_clear_error (&error);
  channels = omni_store_list_channels (f->store, NULL);
  g_assert_cmpuint (channels->len, ==, 1);
  g_assert_null (omni_secret_lookup ("ebay", "Other", NULL, NULL));
  g_assert_null (omni_secret_lookup ("ebay", "Plain", NULL, NULL));

  /* The channel that was added keeps its secret as one JSON object. */
  {
    char *secret = omni_secret_lookup ("ebay", f->name, NULL, &error);
    g_autoptr(OmniEbayCredentials) back = NULL;
    g_autoptr(GPtrArray) locations = omni_store_list_channel_locations (f->store, f->channel,
                                                                        NULL);

    g_assert_no_error (error);
    back = omni_ebay_credentials_parse (secret, &error);
    omni_secret_free (secret);
    g_assert_no_error (error);
    g_assert_cmpstr (back->client_secret, ==, f->credentials->client_secret);
    g_assert_cmpuint (locations->len, ==, 1);
    g_assert_cmpstr (((OmniChannelLocation *)locations->pdata[0])->remote_id, ==, "DEFAULT");
    g_assert_cmpint (((OmniChannelLocation *)locations->pdata[0])->location_id, ==, f->shop);
  }
}

/* The CLI, as a subprocess, against the mock served by this thread. */
typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  int       status;
} CliRun;

static void
on_cli_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliRun *r = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                                       &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  r->done = TRUE;
}

static int
run_cli (Fixture     *f,
         const char  *input,
         char       **out,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliRun r = { 0 };
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *)g_getenv ("OMNISTOCK_CLI"));
  g_ptr_array_add (argv, (char *)"--db");
  g_ptr_array_add (argv, f->path);
  va_start (ap, out);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, on_cli_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  /* What a caller reads: the result, or on failure the sentence too. */
  if (out != NULL)
    *out = r.status == 0 ? g_strdup (r.out) : g_strconcat (r.out, r.err, NULL);
  g_free (r.out);
  g_free (r.err);
  return r.status;
}

static void
test_cli_add (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *out = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 back_room, id;
  char *secret;

  REQUIRE_KEYRING ();
  if (g_getenv ("OMNISTOCK_CLI") == NULL)
    {
      g_test_skip ("OMNISTOCK_CLI is not set");
      return;
    }

  name = g_strconcat (f->name, " CLI", NULL);
  back_room = omni_store_add_location (f->store, "Back Room", FALSE, &error);
  g_assert_no_error (error);
  mock_ebay_add_item (f->mock, "CLI-1", 3, 1);
  json = omni_ebay_credentials_to_json (f->credentials);

  /* Refused input changes nothing. */
  g_assert_cmpint (run_cli (f, json, &out, "channel", "add", "ebay", "--name", name, NULL),
                   ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, "{\"client_id\": 1}", &out, "channel", "add", "ebay", "--name",
                            name, "--marketplace", "EBAY_GB", "--api-url",
                            mock_ebay_get_url (f->mock), NULL), ==, 2);
  g_assert_nonnull (strstr (out, "client_id"));
  g_clear_pointer (&out, g_free);
  wrong = g_strdup_printf ("{\"client_id\":\"%s\",\"client_secret\":\"%s\","
                           "\"refresh_token\":\"v^1.1#WRONG\"}",
                           f->credentials->client_id, f->credentials->client_secret);
  g_assert_cmpint (run_cli (f, wrong, &out, "channel", "add", "ebay", "--name", name,
                            "--marketplace", "EBAY_GB", "--api-url", mock_ebay_get_url (f->mock),
                            NULL), ==, 4);
  g_assert_nonnull (strstr (out, "refused"));
  g_assert_null (strstr (out, f->credentials->client_secret));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (omni_store_find_channel (f->store, name, NULL), ==, 0);
  g_assert_null (omni_secret_lookup ("ebay", name, NULL, NULL));

  /* Accepted: tested, kept in the keyring, mapped to the chosen location. */
  g_assert_cmpint (run_cli (f, json, &out, "--json", "channel", "add", "ebay", "--name",
                            name, "--marketplace", "EBAY_DE", "--location", "Back Room",
                            "--api-url", mock_ebay_get_url (f->mock), NULL), ==, 0);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *result;

    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    g_assert_no_error (error);
    result = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (result, "platform"), ==, "ebay");
    g_assert_cmpstr (json_object_get_string_member (result, "marketplace"), ==, "EBAY_DE");
    g_assert_cmpstr (json_object_get_string_member (result, "location"), ==, "Back Room");
    g_assert_cmpint (json_object_get_int_member (result, "inventory_items"), ==, 1);
  }
  g_assert_null (strstr (out, f->credentials->refresh_token));
  id = omni_store_find_channel (f->store, name, NULL);
  g_assert_cmpint (id, >, 0);
  channel = omni_store_get_channel (f->store, id, NULL);
  g_assert_cmpstr (channel->platform, ==, "ebay");
  g_assert_nonnull (strstr (channel->settings, "EBAY_DE"));
  locations = omni_store_list_channel_locations (f->store, id, NULL);
  g_assert_cmpuint (locations->len, ==, 1);
  g_assert_cmpint (((OmniChannelLocation *)locations->pdata[0])->location_id, ==, back_room);
  secret = omni_secret_lookup ("ebay", name, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (secret, f->credentials->refresh_token));
  omni_secret_free (secret);

  /* `sync` reaches it through the connector factory: the listing is
   * linked by SKU and shows the shop's quantity. */
  {
    g_autoptr(GError) local_error = NULL;
    const OmniProductSpec product = { .title = "CLI tee" };
    const OmniVariantSpec variant = {
      .sku = "CLI-1", .price = 1000, .compare_at_price = -1, .cost = -1,
      .reorder_point = -1, .reorder_qty = -1,
    };
    gint64 variant_id = 0;
    OmniMovementSpec m = { .location_id = back_room, .on_hand_delta = 5,
                           .reason = OMNI_REASON_CORRECTION, .source = "app" };

    g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &variant_id,
                                                &local_error), >, 0);
    m.variant_id = variant_id;
    g_assert_true (omni_store_record_movements (f->store, &m, 1, &local_error));
    g_assert_no_error (local_error);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_cli (f, "", &out, "sync", name, NULL), ==, 0);
    g_assert_cmpint (omni_store_count_links (f->store, id), ==, 1);
    g_assert_cmpint (omni_store_find_linked_variant (f->store, id, "CLI-1"), ==, variant_id);
    g_assert_cmpint (mock_ebay_get_quantity (f->mock, "CLI-1"), ==, 5);
  }

  /* A second channel of that name is a conflict. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, json, &out, "channel", "add", "ebay", "--name", name,
                            "--marketplace", "EBAY_GB", "--api-url", mock_ebay_get_url (f->mock),
                            NULL), ==, 3);
  omni_secret_clear ("ebay", name, NULL, NULL);
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
    g_test_message ("Skipping the keyring cases: %s", error->message);

#define ADD(name, func) \
  g_test_add ("/omni/ebay/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("refused-input", test_refused_input);
  ADD ("pull-pages", test_pull_pages);
  ADD ("token-refresh", test_token_refresh);
  ADD ("orders", test_orders_exactly_once);
  ADD ("batches-of-25", test_batches_of_25);
  ADD ("partial-failure", test_partial_failure);
  ADD ("crash-retry", test_crash_retry_once);
  ADD ("coalescing", test_coalescing);
  ADD ("never-negative", test_never_negative);
  ADD ("throttled", test_throttled);
  ADD ("cli-add", test_cli_add);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
