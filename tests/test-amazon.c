/* test-amazon.c: the Amazon connector against the in-process mock, with the
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

#include "mock-amazon.h"
#include "mock-shopify.h"
#include "omni-amazon.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"

#define MARKETPLACE "A1PA6795UKMFR9"

static gboolean have_keyring;

typedef struct
{
  char                  *dir;
  char                  *path;
  char                  *seller;
  OmniAmazonCredentials  credentials;
  OmniStore             *store;
  MockAmazon            *mock;
  gint64                 warehouse;
  gint64                 channel;
  GArray                *variants;     /* local variant ids, by index */
  GCancellable          *cancellable;
  gboolean               done;
  gboolean               ok;
  GError                *error;
} Fixture;

#define REQUIRE_KEYRING() G_STMT_START {                                  \
    if (!have_keyring)                                                    \
      {                                                                   \
        g_test_skip ("No Secret Service on the session bus");             \
        return;                                                           \
      }                                                                   \
  } G_STMT_END

static char *
sku_of (guint index)
{
  return g_strdup_printf ("AMZ-%04u", index);
}

/* @n variants with @stock each at the warehouse; listed on the mock with
 * the same merchant quantity, and every FBA one with 10 + index fulfillable
 * (every variant but the last is FBA as well). */
static void
add_catalog (Fixture *f,
             guint    n,
             gint64   stock)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_begin (f->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = sku_of (i);
      g_autofree char *title = g_strdup_printf ("Product %u", i);
      const OmniProductSpec product = { .title = title };
      const OmniVariantSpec variant = {
        .sku = sku, .price = 1990, .compare_at_price = -1, .cost = -1,
        .reorder_point = -1, .reorder_qty = -1,
      };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
      g_assert_no_error (error);
      g_array_append_val (f->variants, id);
      if (stock != 0)
        {
          OmniMovementSpec m = {
            .variant_id = id, .location_id = f->warehouse, .on_hand_delta = stock,
            .reason = OMNI_REASON_RECEIVED, .source = "app",
          };
          g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
        }
      mock_amazon_add_listing (f->mock, sku, "LUGGAGE", stock,
                               i + 1 < n ? (gint64)(10 + i) : -1);
    }
  g_assert_true (omni_store_commit (f->store, &error));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->variants = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!have_keyring)
    return;

  f->dir = g_dir_make_tmp ("omni-amazon-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->warehouse = omni_store_add_location (f->store, "Warehouse", TRUE, &error);
  g_assert_no_error (error);

  f->seller = g_strdup_printf ("A2SELLER%08X", g_random_int ());
  f->credentials.client_id = g_strdup_printf ("amzn1.application-oa2-client.%08x", g_random_int ());
  f->credentials.client_secret = g_strdup_printf ("amzn1.oa2-cs.v1.SECRET%08x%08x",
                                                  g_random_int (), g_random_int ());
  f->credentials.refresh_token = g_strdup_printf ("Atzr|REFRESH%08x%08x",
                                                  g_random_int (), g_random_int ());
  f->mock = mock_amazon_new (f->seller, MARKETPLACE);
  mock_amazon_set_client (f->mock, f->credentials.client_id, f->credentials.client_secret,
                          f->credentials.refresh_token);

  f->channel = omni_amazon_add_channel (f->store, "Amazon DE", f->seller, "eu", MARKETPLACE,
                                        f->warehouse, mock_amazon_get_url (f->mock),
                                        &f->credentials, &error);
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

  omni_secret_clear ("amazon", f->seller, NULL, NULL);
  g_clear_object (&f->store);
  g_clear_object (&f->cancellable);
  mock_amazon_free (f->mock);
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
  g_free (f->seller);
  g_free (f->credentials.client_id);
  g_free (f->credentials.client_secret);
  g_free (f->credentials.refresh_token);
  g_clear_error (&f->error);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_clear_error (&f->error);
  if (g_task_get_source_tag (G_TASK (result)) == omni_connector_push_async)
    f->ok = omni_connector_push_finish (OMNI_CONNECTOR (source), result, &f->error);
  else
    f->ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &f->error);
  f->done = TRUE;
}

/* Runs a pull or push on a worker while this thread's main loop serves
 * the mocks, as the app does. */
static gboolean
run (Fixture       *f,
     OmniConnector *connector,
     gboolean       push)
{
  f->done = FALSE;
  if (push)
    omni_connector_push_async (connector, f->cancellable, on_done, f);
  else
    omni_connector_pull_async (connector, f->cancellable, on_done, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  return f->ok;
}

static OmniAmazonConnector *
connector_new (Fixture *f)
{
  OmniAmazonConnector *connector = omni_amazon_connector_new (f->path, f->channel);

  omni_amazon_connector_set_retry (connector, 4, 20);
  return connector;
}

static gint64
variant (Fixture *f,
         guint    index)
{
  return g_array_index (f->variants, gint64, index);
}

static gint64
available_at (Fixture *f,
              guint    index,
              gint64   location)
{
  return omni_store_get_available_at (f->store, variant (f, index), location);
}

static gint64
fba_location (Fixture *f)
{
  return omni_store_find_location (f->store, OMNI_AMAZON_FBA_LOCATION, NULL);
}

static void
adjust (Fixture *f,
        guint    index,
        gint64   delta)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = {
    .variant_id = variant (f, index), .location_id = f->warehouse,
    .on_hand_delta = delta, .reason = OMNI_REASON_CORRECTION, .source = "app",
  };

  g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  g_assert_no_error (error);
}

static guint
count_outbox (Fixture    *f,
              const char *state)
{
  g_autoptr(GPtrArray) entries = omni_store_list_outbox (f->store, f->channel, state, 0, NULL);
  guint n = 0;

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      OmniOutboxEntry *e = entries->pdata[i];

      if (state != NULL || g_strcmp0 (e->state, "pending") == 0 ||
          g_strcmp0 (e->state, "sending") == 0)
        n++;
    }
  return n;
}

static void
pull_ok (Fixture             *f,
         OmniAmazonConnector *connector)
{
  gboolean ok = run (f, OMNI_CONNECTOR (connector), FALSE);

  g_assert_no_error (f->error);
  g_assert_true (ok);
}

static void
push_ok (Fixture             *f,
         OmniAmazonConnector *connector)
{
  gboolean ok = run (f, OMNI_CONNECTOR (connector), TRUE);

  g_assert_no_error (f->error);
  g_assert_true (ok);
}

/* Nothing secret in a text the merchant or a log can see. */
static void
assert_clean (Fixture    *f,
              const char *text)
{
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);
  g_auto(GStrv) tokens = g_strsplit (stats->seen_tokens->str, "\n", -1);

  if (text == NULL)
    return;
  g_assert_null (strstr (text, f->credentials.client_secret));
  g_assert_null (strstr (text, f->credentials.refresh_token));
  for (guint i = 0; tokens[i] != NULL; i++)
    if (*tokens[i] != '\0')
      g_assert_null (strstr (text, tokens[i]));
}

static void
assert_log_clean (Fixture *f)
{
  g_autoptr(GPtrArray) log = omni_store_list_sync_log (f->store, f->channel, 0, NULL);
  g_autoptr(OmniChannel) channel = omni_store_get_channel (f->store, f->channel, NULL);

  g_assert_nonnull (log);
  for (guint i = 0; i < log->len; i++)
    assert_clean (f, ((OmniSyncLogEntry *)log->pdata[i])->message);
  assert_clean (f, channel->last_error);
  assert_clean (f, channel->settings);
}

/* Cases without the keyring --------------------------------------------- */

static void
test_rate_limit (void)
{
  g_autoptr(OmniRateLimit) limits = omni_rate_limit_new ();
  gint64 t0;

  omni_rate_limit_define (limits, "op", 2, 2);
  omni_rate_limit_define (limits, "slow", 0.0167, 20);
  t0 = g_get_monotonic_time ();
  /* A full bucket of two, then one token every 500 ms. */
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0), ==, 0);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0), ==, 0);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0), ==, 500);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0), ==, 1000);
  /* A second later the debt is paid back: the next token is 500 ms away. */
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0 + G_USEC_PER_SEC), ==, 500);
  /* Never more than the burst saved up. */
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0 + 60 * G_USEC_PER_SEC), ==, 0);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0 + 60 * G_USEC_PER_SEC), ==, 0);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0 + 60 * G_USEC_PER_SEC), ==, 500);

  /* The platform's header sets the rate; a throttled answer empties it. */
  omni_rate_limit_set_rate (limits, "op", 10);
  g_assert_cmpfloat (omni_rate_limit_get_rate (limits, "op"), ==, 10);
  g_assert_cmpfloat (omni_rate_limit_get_burst (limits, "op"), ==, 2);
  omni_rate_limit_throttled (limits, "slow", t0);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "slow", t0), ==, 59881);
  /* A margin is added to every wait, and only to waits. */
  omni_rate_limit_set_margin (limits, 25);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "slow", t0), ==, 119761 + 25);
  g_assert_cmpint (omni_rate_limit_reserve (limits, "op", t0 + 120 * G_USEC_PER_SEC), ==, 0);

  /* Undefined operations are not limited. */
  g_assert_cmpint (omni_rate_limit_reserve (limits, "other", t0), ==, 0);

  g_assert_cmpfloat (omni_rate_limit_parse_header ("0.0167"), ==, 0.0167);
  g_assert_cmpfloat (omni_rate_limit_parse_header (" 5.0 "), ==, 5.0);
  g_assert_cmpfloat (omni_rate_limit_parse_header ("-1"), ==, 0);
  g_assert_cmpfloat (omni_rate_limit_parse_header ("fast"), ==, 0);
  g_assert_cmpfloat (omni_rate_limit_parse_header ("inf"), ==, 0);
  g_assert_cmpfloat (omni_rate_limit_parse_header (NULL), ==, 0);

  /* The documented usage plans. */
  {
    g_autoptr(OmniRateLimit) amazon = omni_rate_limit_new ();

    omni_amazon_define_rate_limits (amazon);
    g_assert_cmpfloat (omni_rate_limit_get_rate (amazon, "getInventorySummaries"), ==, 2);
    g_assert_cmpfloat (omni_rate_limit_get_burst (amazon, "getInventorySummaries"), ==, 2);
    g_assert_cmpfloat (omni_rate_limit_get_rate (amazon, "getOrders"), ==, 0.0167);
    g_assert_cmpfloat (omni_rate_limit_get_burst (amazon, "getOrders"), ==, 20);
    g_assert_cmpfloat (omni_rate_limit_get_rate (amazon, "getOrderItems"), ==, 0.5);
    g_assert_cmpfloat (omni_rate_limit_get_burst (amazon, "getOrderItems"), ==, 30);
    g_assert_cmpfloat (omni_rate_limit_get_rate (amazon, "patchListingsItem"), ==, 5);
  }
}

static void
test_credentials (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniAmazonCredentials) good = NULL;
  g_autoptr(OmniAmazonCredentials) again = NULL;
  g_autofree char *json = NULL;
  const char *bad[] = {
    "", "[]", "not json", "{\"client_id\":\"a\",\"client_secret\":\"b\"}",
    "{\"client_id\":\"a\",\"client_secret\":\"b c\",\"refresh_token\":\"Atzr|x\"}",
    "{\"client_id\":\"a\",\"client_secret\":\"\",\"refresh_token\":\"Atzr|x\"}",
    "{\"client_id\":1,\"client_secret\":\"b\",\"refresh_token\":\"Atzr|x\"}",
  };

  good = omni_amazon_credentials_parse ("{\"client_id\":\"amzn1.application-oa2-client.1\","
                                        "\"client_secret\":\"S3cr3t\","
                                        "\"refresh_token\":\"Atzr|R3fr3sh\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (good->client_id, ==, "amzn1.application-oa2-client.1");
  g_assert_cmpstr (good->client_secret, ==, "S3cr3t");
  g_assert_cmpstr (good->refresh_token, ==, "Atzr|R3fr3sh");
  json = omni_amazon_credentials_to_json (good);
  again = omni_amazon_credentials_parse (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->refresh_token, ==, "Atzr|R3fr3sh");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(OmniAmazonCredentials) c = omni_amazon_credentials_parse (bad[i], &e);

      g_assert_null (c);
      g_assert_error (e, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED);
      g_assert_null (strstr (e->message, "Atzr"));
    }

  g_assert_cmpstr (omni_amazon_find_region ("eu")->endpoint, ==,
                   "https://sellingpartnerapi-eu.amazon.com");
  g_assert_cmpstr (omni_amazon_find_region ("na")->endpoint, ==,
                   "https://sellingpartnerapi-na.amazon.com");
  g_assert_cmpstr (omni_amazon_find_region ("fe")->endpoint, ==,
                   "https://sellingpartnerapi-fe.amazon.com");
  g_assert_null (omni_amazon_find_region ("us"));
  g_assert_cmpstr (omni_amazon_find_marketplace (MARKETPLACE)->region, ==, "eu");
}

/* Keyring cases ---------------------------------------------------------- */

static void
test_add_channel (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(OmniAmazonCredentials) stored = NULL;
  char *secret;
  gint64 before;

  REQUIRE_KEYRING ();

  channel = omni_store_get_channel (f->store, f->channel, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (channel->platform, ==, "amazon");
  g_assert_cmpstr (channel->account, ==, f->seller);
  g_assert_nonnull (strstr (channel->settings, "\"marketplace_id\":\"" MARKETPLACE "\""));
  g_assert_nonnull (strstr (channel->settings, "\"region\":\"eu\""));
  assert_clean (f, channel->settings);

  locations = omni_store_list_channel_locations (f->store, f->channel, &error);
  g_assert_cmpuint (locations->len, ==, 1);
  g_assert_cmpstr (((OmniChannelLocation *)locations->pdata[0])->remote_id, ==, "MFN");
  g_assert_cmpint (((OmniChannelLocation *)locations->pdata[0])->location_id, ==, f->warehouse);

  /* One JSON secret in the keyring. */
  secret = omni_secret_lookup ("amazon", f->seller, NULL, &error);
  g_assert_no_error (error);
  stored = omni_amazon_credentials_parse (secret, &error);
  omni_secret_free (secret);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->refresh_token, ==, f->credentials.refresh_token);

  /* Refused: the same seller again, a marketplace of another region, a
   * malformed seller id. None of them changes anything. */
  before = omni_store_count_links (f->store, f->channel);
  g_assert_cmpint (omni_amazon_add_channel (f->store, "Again", f->seller, "eu", MARKETPLACE,
                                            0, NULL, &f->credentials, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (omni_amazon_add_channel (f->store, "Wrong", "A3OTHER", "na", MARKETPLACE,
                                            0, NULL, &f->credentials, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (omni_amazon_add_channel (f->store, "Bad", "A3 OTHER; drop", "eu", MARKETPLACE,
                                            0, NULL, &f->credentials, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) channels = omni_store_list_channels (f->store, NULL);
    char *other = omni_secret_lookup ("amazon", "A3OTHER", NULL, NULL);

    g_assert_cmpuint (channels->len, ==, 1);
    g_assert_null (other);
  }
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, before);

  /* The factory picks this connector. */
  {
    g_autoptr(OmniConnector) connector = omni_connector_new_for_channel (f->path, channel, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (omni_connector_get_platform (connector), ==, "amazon");
  }
}

static void
test_token_refresh (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);
  OmniSyncStats cs;

  REQUIRE_KEYRING ();

  add_catalog (f, 3, 5);
  connector = connector_new (f);

  /* The first pull exchanges the refresh token once. */
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpuint (cs.token_exchanges, ==, 1);
  g_assert_cmpuint (stats->token_exchanges, ==, 1);

  /* Within its hour the access token is reused from memory. */
  pull_ok (f, connector);
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpuint (cs.token_exchanges, ==, 0);
  g_assert_cmpuint (stats->token_exchanges, ==, 1);
  g_assert_cmpuint (stats->unauthorized, ==, 0);

  /* Expired early on Amazon's side: refused once with 401, renewed once,
   * and the pull goes on. */
  mock_amazon_expire_tokens (f->mock);
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpuint (cs.token_exchanges, ==, 1);
  g_assert_cmpuint (stats->token_exchanges, ==, 2);
  g_assert_cmpuint (stats->unauthorized, ==, 1);

  /* Renewed before it expires: a token from the mock lasts 62 s, less the
   * 60 s margin, so two and a half seconds later a new one is obtained
   * before any request, and Amazon never sees an expired token. */
  mock_amazon_set_token_lifetime (f->mock, 62);
  mock_amazon_expire_tokens (f->mock);
  pull_ok (f, connector);
  g_assert_cmpuint (stats->token_exchanges, ==, 3);
  g_assert_cmpuint (stats->unauthorized, ==, 2);
  g_usleep (2500 * 1000);
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpuint (cs.token_exchanges, ==, 1);
  g_assert_cmpuint (stats->token_exchanges, ==, 4);
  g_assert_cmpuint (stats->unauthorized, ==, 2);

  assert_log_clean (f);
}

static void
test_refused_credentials (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);

  REQUIRE_KEYRING ();

  add_catalog (f, 2, 5);
  mock_amazon_set_client (f->mock, f->credentials.client_id, f->credentials.client_secret,
                          "Atzr|someone-else");
  connector = connector_new (f);
  g_assert_false (run (f, OMNI_CONNECTOR (connector), FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  assert_clean (f, f->error->message);
  g_assert_cmpuint (stats->token_exchanges, ==, 0);
  g_assert_cmpuint (stats->refused_grants, ==, 1);
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_SEARCH], ==, 0);

  channel = omni_store_get_channel (f->store, f->channel, NULL);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 0);

  /* Stopped until re-authenticated: no request at all. */
  g_assert_false (run (f, OMNI_CONNECTOR (connector), FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  g_assert_cmpuint (stats->refused_grants, ==, 1);
  assert_log_clean (f);
}

static void
test_fba_pagination (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);
  OmniSyncStats cs;
  gint64 fba;

  REQUIRE_KEYRING ();

  /* Seven listings, six of them FBA: three pages of two summaries. */
  add_catalog (f, 7, 4);
  mock_amazon_add_listing (f->mock, "REMOTE-ONLY", "LUGGAGE", 3, 99);
  mock_amazon_set_page_size (f->mock, MOCK_AMAZON_OP_INVENTORY, 2);
  mock_amazon_set_page_size (f->mock, MOCK_AMAZON_OP_SEARCH, 3);

  connector = connector_new (f);
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_INVENTORY], ==, 4);   /* 7 FBA / 2 */
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_SEARCH], ==, 3);      /* 8 / 3 */
  g_assert_cmpuint (stats->bad_requests, ==, 0);
  g_assert_cmpint (cs.variants, ==, 8);
  g_assert_cmpint (cs.linked, ==, 7);
  g_assert_cmpint (cs.unmatched, ==, 1);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 7);
  {
    /* Listed for the merchant, with the ids a link needs. */
    g_autoptr(OmniRemoteVariant) remote = omni_store_find_remote_variant (f->store, f->channel,
                                                                          "REMOTE-ONLY", NULL);

    g_assert_cmpint (omni_store_count_remote_variants (f->store, f->channel, TRUE), ==, 1);
    g_assert_nonnull (remote);
    g_assert_cmpstr (remote->product_title, ==, "REMOTE-ONLY");
    g_assert_cmpstr (remote->remote_product_id, ==, "LUGGAGE");
    g_assert_cmpstr (remote->remote_inventory_id, ==, "REMOTE-ONLY");
  }

  fba = fba_location (f);
  g_assert_cmpint (fba, >, 0);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (available_at (f, i, fba), ==, 10 + i);
  g_assert_cmpint (available_at (f, 6, fba), ==, 0);
  /* Merchant stock untouched: Amazon had the same quantity. */
  for (guint i = 0; i < 7; i++)
    g_assert_cmpint (available_at (f, i, f->warehouse), ==, 4);
  /* FBA levels are never pushed, to Amazon or anywhere. */
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);

  /* Amazon ships and receives: the levels follow exactly. */
  {
    g_autofree char *sku0 = sku_of (0);
    g_autofree char *sku5 = sku_of (5);

    mock_amazon_set_fba (f->mock, sku0, 0);
    mock_amazon_set_fba (f->mock, sku5, 40);
  }
  pull_ok (f, connector);
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_INVENTORY], ==, 8);
  g_assert_cmpint (available_at (f, 0, fba), ==, 0);
  g_assert_cmpint (available_at (f, 5, fba), ==, 40);
  for (guint i = 1; i < 5; i++)
    g_assert_cmpint (available_at (f, i, fba), ==, 10 + i);
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);
  g_assert_cmpuint (stats->patches, ==, 0);
  assert_log_clean (f);
}

static void
test_orders_once (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);
  g_autofree char *sku0 = sku_of (0);
  g_autofree char *sku1 = sku_of (1);
  g_autofree char *sku2 = sku_of (2);
  OmniSyncStats cs;
  gint64 fba;

  REQUIRE_KEYRING ();

  add_catalog (f, 4, 6);
  connector = connector_new (f);
  pull_ok (f, connector);                 /* links; the order cursor starts now */
  fba = fba_location (f);
  g_assert_cmpint (available_at (f, 1, fba), ==, 11);

  mock_amazon_add_order (f->mock, "302-0000001-0000001", "MFN", "Unshipped", sku0, 2, "39.80");
  mock_amazon_add_order (f->mock, "302-0000002-0000002", "AFN", "Shipped", sku1, 1, "19.90");
  mock_amazon_add_order (f->mock, "302-0000003-0000003", "MFN", "Pending", sku2, 3, "59.70");
  mock_amazon_set_page_size (f->mock, MOCK_AMAZON_OP_ORDERS, 2);

  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.orders, ==, 2);
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_ORDERS], ==, 2);      /* 3 orders / 2 */
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_ORDER_ITEMS], ==, 2);
  g_assert_cmpint (available_at (f, 0, f->warehouse), ==, 4);
  g_assert_cmpint (available_at (f, 1, f->warehouse), ==, 6);   /* sold from FBA */
  g_assert_cmpint (available_at (f, 1, fba), ==, 10);
  g_assert_cmpint (available_at (f, 2, f->warehouse), ==, 6);   /* pending: not yet */
  /* Amazon already counted its sale: the push the sale queued here finds
   * Amazon at the same quantity and completes without a request. */
  push_ok (f, connector);
  g_assert_cmpuint (stats->patches, ==, 0);
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 4);

  /* The same orders again: nothing more, and their items are not read again. */
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.orders, ==, 0);
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_ORDER_ITEMS], ==, 2);
  g_assert_cmpint (available_at (f, 0, f->warehouse), ==, 4);
  g_assert_cmpint (available_at (f, 1, fba), ==, 10);

  /* The pending one is paid, the first is cancelled. */
  g_usleep (1100 * 1000);
  mock_amazon_set_order_status (f->mock, "302-0000003-0000003", "Unshipped");
  mock_amazon_set_order_status (f->mock, "302-0000001-0000001", "Canceled");
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.orders, ==, 1);
  g_assert_cmpint (cs.cancelled, ==, 1);
  g_assert_cmpint (available_at (f, 0, f->warehouse), ==, 6);
  g_assert_cmpint (available_at (f, 2, f->warehouse), ==, 3);

  /* And once more: still exactly once. */
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.orders, ==, 0);
  g_assert_cmpint (cs.cancelled, ==, 0);
  g_assert_cmpint (available_at (f, 0, f->warehouse), ==, 6);
  g_assert_cmpint (available_at (f, 2, f->warehouse), ==, 3);
  g_assert_cmpint (available_at (f, 1, fba), ==, 10);
  g_assert_cmpuint (stats->bad_requests, ==, 0);
}

static void
test_push (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);
  g_autofree char *sku0 = sku_of (0);
  g_autofree char *sku1 = sku_of (1);
  g_autofree char *sku2 = sku_of (2);
  OmniSyncStats cs;

  REQUIRE_KEYRING ();

  add_catalog (f, 3, 8);
  connector = connector_new (f);
  pull_ok (f, connector);

  adjust (f, 0, -3);
  adjust (f, 0, -1);     /* coalesced: one push of 4 */
  adjust (f, 1, 2);
  g_assert_cmpuint (count_outbox (f, NULL), ==, 2);
  push_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.pushed, ==, 2);
  g_assert_cmpint (cs.failed, ==, 0);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 4);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku1), ==, 10);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku2), ==, 8);
  g_assert_cmpuint (mock_amazon_patch_count (f->mock, sku0), ==, 1);
  g_assert_cmpuint (stats->patches, ==, 2);
  g_assert_cmpuint (stats->bad_requests, ==, 0);
  /* The product type came from the pull: no extra read. */
  g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_GET_ITEM], ==, 0);
  g_assert_cmpuint (count_outbox (f, "done"), ==, 2);

  /* A fresh connector (the app restarted) asks for the product type once. */
  {
    g_autoptr(OmniAmazonConnector) fresh = connector_new (f);

    adjust (f, 2, -8);
    push_ok (f, fresh);
    g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku2), ==, 0);
    g_assert_cmpuint (stats->by_operation[MOCK_AMAZON_OP_GET_ITEM], ==, 1);
  }

  /* Nothing pending: a push sends nothing. */
  push_ok (f, connector);
  g_assert_cmpuint (stats->patches, ==, 3);
}

static void
cancel_on_patch (MockAmazon *mock,
                 const char *sku,
                 gpointer    user_data)
{
  /* The worker dies after Amazon applied the change, before it learns so. */
  g_cancellable_cancel (user_data);
}

static void
test_crash_retry (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) crashed = NULL;
  g_autoptr(OmniAmazonConnector) restarted = NULL;
  g_autoptr(GPtrArray) sending = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *sku0 = sku_of (0);
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);

  REQUIRE_KEYRING ();

  add_catalog (f, 2, 5);
  crashed = connector_new (f);
  pull_ok (f, crashed);
  adjust (f, 0, -2);                 /* 5 → 3 */

  f->cancellable = g_cancellable_new ();
  mock_amazon_set_patch_hook (f->mock, cancel_on_patch, f->cancellable);
  omni_amazon_connector_set_lease (crashed, 0);
  g_assert_false (run (f, OMNI_CONNECTOR (crashed), TRUE));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 3);
  g_assert_cmpuint (stats->patches, ==, 1);

  /* Left as a crash leaves it: sent, not acknowledged. */
  sending = omni_store_list_outbox (f->store, f->channel, "sending", 0, NULL);
  g_assert_cmpuint (sending->len, ==, 1);
  payload = g_strdup (((OmniOutboxEntry *)sending->pdata[0])->payload);
  g_assert_nonnull (strstr (payload, "\"quantity\":3"));
  g_clear_object (&crashed);

  g_clear_object (&f->store);
  f->store = omni_store_open (f->path, NULL);
  g_clear_object (&f->cancellable);
  mock_amazon_set_patch_hook (f->mock, NULL, NULL);

  /* The restarted pusher sends the claimed entry again, the same quantity:
   * Amazon ends with it once. */
  restarted = connector_new (f);
  omni_amazon_connector_set_lease (restarted, 0);
  push_ok (f, restarted);
  g_assert_cmpuint (mock_amazon_patch_count (f->mock, sku0), ==, 2);
  g_assert_cmpuint (stats->applied, ==, 1);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 3);
  {
    g_autoptr(GPtrArray) done = omni_store_list_outbox (f->store, f->channel, "done", 0, NULL);

    g_assert_cmpuint (done->len, ==, 1);
    g_assert_cmpstr (((OmniOutboxEntry *)done->pdata[0])->payload, ==, payload);
  }
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);

  /* Acknowledged once: another push sends nothing. */
  push_ok (f, restarted);
  g_assert_cmpuint (mock_amazon_patch_count (f->mock, sku0), ==, 2);
}

static void
test_throttled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);
  OmniSyncStats cs;
  gint64 fba;

  REQUIRE_KEYRING ();

  add_catalog (f, 3, 2);
  mock_amazon_throttle_next (f->mock, MOCK_AMAZON_OP_INVENTORY, 2, "10.0");
  connector = connector_new (f);
  pull_ok (f, connector);
  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpuint (cs.throttled, ==, 2);
  g_assert_cmpuint (stats->throttled, ==, 2);
  g_assert_cmpint (cs.throttle_wait_ms, >, 0);
  /* The bucket follows the rate Amazon said it applied. */
  g_assert_cmpfloat (omni_rate_limit_get_rate (omni_amazon_connector_get_rate_limit (connector),
                                               "getInventorySummaries"), ==, 10.0);
  fba = fba_location (f);
  g_assert_cmpint (available_at (f, 0, fba), ==, 10);
  g_assert_cmpint (available_at (f, 1, fba), ==, 11);

  /* Throttled beyond reason: the pull fails as THROTTLED, to be retried. */
  mock_amazon_throttle_next (f->mock, MOCK_AMAZON_OP_SEARCH, 100, "50");
  g_assert_false (run (f, OMNI_CONNECTOR (connector), FALSE));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_THROTTLED);
  mock_amazon_throttle_next (f->mock, MOCK_AMAZON_OP_SEARCH, 0, NULL);
}

static void
test_paced (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  const MockAmazonStats *stats = mock_amazon_get_stats (f->mock);
  OmniSyncStats cs;
  gint64 started, elapsed_ms;

  REQUIRE_KEYRING ();

  /* Twelve pushes at 5 per second, burst 5, as Amazon enforces it: the
   * client waits for its tokens and is never throttled. */
  add_catalog (f, 12, 3);
  connector = connector_new (f);
  pull_ok (f, connector);
  for (guint i = 0; i < 12; i++)
    adjust (f, i, 1);
  mock_amazon_enforce_rate (f->mock, MOCK_AMAZON_OP_PATCH, 5, 5);

  started = g_get_monotonic_time ();
  push_ok (f, connector);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  omni_amazon_connector_get_stats (connector, &cs);
  g_test_message ("12 pushes at 5/s, burst 5: %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT
                  " ms of it waiting for tokens, %u requests", elapsed_ms, cs.throttle_wait_ms,
                  cs.requests);
  g_assert_cmpint (cs.pushed, ==, 12);
  g_assert_cmpuint (stats->throttled, ==, 0);
  g_assert_cmpuint (cs.throttled, ==, 0);
  /* Seven requests beyond the burst, one every 200 ms: at least 1.4 s,
   * spent waiting for tokens or in the requests themselves (slow ones, as
   * under a sanitizer, need less waiting). */
  g_assert_cmpint (elapsed_ms, >=, 1350);
  g_assert_cmpint (cs.throttle_wait_ms, <=, elapsed_ms);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *sku = sku_of (i);

      g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku), ==, 4);
    }
}

static void
test_invalid_patch (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OmniAmazonConnector) connector = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autofree char *sku0 = sku_of (0);
  g_autofree char *sku1 = sku_of (1);
  g_autofree char *sku2 = sku_of (2);
  OmniOutboxEntry *entry;
  OmniSyncStats cs;

  REQUIRE_KEYRING ();

  add_catalog (f, 3, 5);
  connector = connector_new (f);
  pull_ok (f, connector);
  mock_amazon_set_invalid (f->mock, sku1, "The attributes are invalid.");
  adjust (f, 0, -1);
  adjust (f, 1, -1);
  adjust (f, 2, -1);
  push_ok (f, connector);

  omni_amazon_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.pushed, ==, 2);
  g_assert_cmpint (cs.failed, ==, 1);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 4);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku1), ==, 5);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku2), ==, 4);

  failed = omni_store_list_outbox (f->store, f->channel, "failed", 0, NULL);
  g_assert_cmpuint (failed->len, ==, 1);
  entry = failed->pdata[0];
  g_assert_cmpint (entry->variant_id, ==, variant (f, 1));
  g_assert_nonnull (strstr (entry->last_error, "The attributes are invalid."));
  g_assert_nonnull (strstr (entry->last_error, sku1));
  g_assert_cmpuint (count_outbox (f, "done"), ==, 2);
  g_assert_cmpuint (count_outbox (f, NULL), ==, 0);
  /* Failed for good: not sent again. */
  push_ok (f, connector);
  g_assert_cmpuint (mock_amazon_get_stats (f->mock)->invalid, ==, 1);
}

/* Sold on Amazon and on Shopify in the same sync window. */
static void
test_amazon_and_shopify (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniAmazonConnector) amazon = NULL;
  g_autoptr(OmniShopifyConnector) shopify = NULL;
  g_autofree char *sku0 = sku_of (0);
  g_autofree char *shop = g_strdup_printf ("fern-%08x.myshopify.com", g_random_int ());
  g_autofree char *token = g_strdup_printf ("shpat_TOKEN%08x%08x", g_random_int (), g_random_int ());
  MockShopify *mock_shop;
  gint64 shop_channel;

  REQUIRE_KEYRING ();

  add_catalog (f, 1, 10);
  mock_shop = mock_shopify_new ();
  mock_shopify_add_location (mock_shop, "Warehouse");
  mock_shopify_add_token (mock_shop, token);
  g_assert_cmpuint (mock_shopify_add_variant (mock_shop, sku0, NULL, 10), ==, 0);
  shop_channel = omni_store_add_channel (f->store, "shopify", NULL, shop,
                                         mock_shopify_get_url (mock_shop), &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, shop_channel,
                                                  "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_secret_store ("shopify", shop, "OmniStock test", token, NULL, &error));
  g_assert_no_error (error);

  amazon = connector_new (f);
  shopify = omni_shopify_connector_new (f->path, shop_channel);
  omni_shopify_connector_set_retry (shopify, 4, 20);

  /* First syncs: both link the variant and agree on 10. */
  pull_ok (f, amazon);
  g_assert_true (run (f, OMNI_CONNECTOR (shopify), FALSE));
  g_assert_no_error (f->error);
  /* Its location "Warehouse" maps to ours by name. */
  g_assert_cmpint (omni_store_channel_order_location (f->store, shop_channel), ==, f->warehouse);
  g_assert_cmpint (available_at (f, 0, f->warehouse), ==, 10);

  /* Two units sell on Amazon, three on Shopify, before either syncs. */
  mock_amazon_add_order (f->mock, "302-1000001-0000001", "MFN", "Unshipped", sku0, 2, "39.80");
  mock_shopify_add_order (mock_shop, "#1001", 0, 3);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 8);
  g_assert_cmpint (mock_shopify_get_quantity (mock_shop, 0, 0), ==, 7);

  /* One sync window: pull both, then push both. */
  pull_ok (f, amazon);
  g_assert_true (run (f, OMNI_CONNECTOR (shopify), FALSE));
  g_assert_no_error (f->error);
  push_ok (f, amazon);
  g_assert_true (run (f, OMNI_CONNECTOR (shopify), TRUE));
  g_assert_no_error (f->error);

  g_assert_cmpint (available_at (f, 0, f->warehouse), ==, 5);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 5);
  g_assert_cmpint (mock_shopify_get_quantity (mock_shop, 0, 0), ==, 5);

  /* A second window changes nothing anywhere. */
  pull_ok (f, amazon);
  g_assert_true (run (f, OMNI_CONNECTOR (shopify), FALSE));
  push_ok (f, amazon);
  g_assert_true (run (f, OMNI_CONNECTOR (shopify), TRUE));
  g_assert_cmpint (available_at (f, 0, f->warehouse), ==, 5);
  g_assert_cmpint (mock_amazon_get_quantity (f->mock, sku0), ==, 5);
  g_assert_cmpint (mock_shopify_get_quantity (mock_shop, 0, 0), ==, 5);

  omni_secret_clear ("shopify", shop, NULL, NULL);
  g_clear_object (&shopify);
  mock_shopify_free (mock_shop);
}

/* omnistock-cli ------------------------------------------------------------ */

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

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
  r->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  r->done = TRUE;
}

/* Runs omnistock-cli with @input on stdin while this thread serves the mock. */
static void
run_cli (Fixture            *f,
         const char         *input,
         Result             *r,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("OMNISTOCK_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer)cli);
  g_ptr_array_add (argv, (gpointer)"--db");
  g_ptr_array_add (argv, f->path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  result_clear (r);
  r->done = FALSE;
  g_subprocess_communicate_utf8_async (process, input ? input : "", NULL, on_communicated, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

#define CLI(f, input, r, ...) \
  run_cli ((f), (input), (r), (const char * const[]) { __VA_ARGS__, NULL })

static void
test_cli_add (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *seller = g_strdup_printf ("A3CLI%08X", g_random_int ());
  g_autofree char *good = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  MockAmazon *mock;
  Result r = { 0 };
  gint64 id;

  REQUIRE_KEYRING ();

  mock = mock_amazon_new (seller, "A1F83G8C2ARO7P");
  mock_amazon_set_client (mock, f->credentials.client_id, f->credentials.client_secret,
                          f->credentials.refresh_token);
  good = omni_amazon_credentials_to_json (&f->credentials);
  wrong = g_strdup_printf ("{\"client_id\":\"%s\",\"client_secret\":\"%s\","
                           "\"refresh_token\":\"Atzr|not-this-one\"}",
                           f->credentials.client_id, f->credentials.client_secret);

  /* Refused, and nothing kept: missing options, a marketplace of another
   * region, malformed JSON, credentials Amazon refuses. */
  CLI (f, good, &r, "channel", "add", "amazon", "--name", "Amazon UK", "--seller", seller);
  g_assert_cmpint (r.status, ==, 1);
  CLI (f, good, &r, "channel", "add", "amazon", "--name", "Amazon UK", "--seller", seller,
       "--region", "na", "--marketplace", "A1F83G8C2ARO7P", "--api-url", mock_amazon_get_url (mock));
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "region"));
  CLI (f, "{\"client_id\": 1}", &r, "channel", "add", "amazon", "--name", "Amazon UK",
       "--seller", seller, "--region", "eu", "--marketplace", "A1F83G8C2ARO7P",
       "--api-url", mock_amazon_get_url (mock));
  g_assert_cmpint (r.status, ==, 2);
  CLI (f, wrong, &r, "channel", "add", "amazon", "--name", "Amazon UK", "--seller", seller,
       "--region", "eu", "--marketplace", "A1F83G8C2ARO7P", "--api-url", mock_amazon_get_url (mock));
  g_assert_cmpint (r.status, ==, 4);
  g_assert_null (strstr (r.err, "not-this-one"));
  g_assert_null (strstr (r.err, f->credentials.client_secret));
  channels = omni_store_list_channels (f->store, NULL);
  g_assert_cmpuint (channels->len, ==, 1);
  g_clear_pointer (&channels, g_ptr_array_unref);

  /* Accepted: tested (one token, one listing read), kept, mapped. */
  CLI (f, good, &r, "--json", "channel", "add", "amazon", "--name", "Amazon UK", "--seller", seller,
       "--region", "eu", "--marketplace", "A1F83G8C2ARO7P", "--location", "Warehouse",
       "--api-url", mock_amazon_get_url (mock));
  if (r.status != 0)
    g_test_message ("omnistock-cli said: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *object;

    g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (object, "platform"), ==, "amazon");
    g_assert_cmpstr (json_object_get_string_member (object, "marketplace"), ==, "A1F83G8C2ARO7P");
    g_assert_cmpstr (json_object_get_string_member (object, "region"), ==, "eu");
    g_assert_cmpstr (json_object_get_string_member (object, "location"), ==, "Warehouse");
  }
  g_assert_null (strstr (r.out, f->credentials.client_secret));
  g_assert_cmpuint (mock_amazon_get_stats (mock)->token_exchanges, ==, 1);
  g_assert_cmpuint (mock_amazon_get_stats (mock)->by_operation[MOCK_AMAZON_OP_SEARCH], ==, 1);
  id = omni_store_find_channel (f->store, "Amazon UK", NULL);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (omni_store_channel_local_location (f->store, id, OMNI_AMAZON_MFN), ==,
                   f->warehouse);
  {
    char *secret = omni_secret_lookup ("amazon", seller, NULL, NULL);

    g_assert_nonnull (secret);
    g_assert_nonnull (strstr (secret, f->credentials.refresh_token));
    omni_secret_free (secret);
  }

  /* The same seller again is a conflict. */
  CLI (f, good, &r, "channel", "add", "amazon", "--name", "Amazon UK 2", "--seller", seller,
       "--region", "eu", "--marketplace", "A1F83G8C2ARO7P", "--api-url", mock_amazon_get_url (mock));
  g_assert_cmpint (r.status, ==, 3);

  omni_secret_clear ("amazon", seller, NULL, NULL);
  result_clear (&r);
  mock_amazon_free (mock);
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

  g_test_add_func ("/omni/amazon/rate-limit", test_rate_limit);
  g_test_add_func ("/omni/amazon/credentials", test_credentials);
#define ADD(name, func) \
  g_test_add ("/omni/amazon/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add-channel", test_add_channel);
  ADD ("token-refresh", test_token_refresh);
  ADD ("refused-credentials", test_refused_credentials);
  ADD ("fba-pagination", test_fba_pagination);
  ADD ("orders-once", test_orders_once);
  ADD ("push", test_push);
  ADD ("crash-retry", test_crash_retry);
  ADD ("throttled", test_throttled);
  ADD ("paced", test_paced);
  ADD ("invalid-patch", test_invalid_patch);
  ADD ("amazon-and-shopify", test_amazon_and_shopify);
  ADD ("cli-add", test_cli_add);
#undef ADD

  status = g_test_run ();
  omni_secret_release ();
  return status;
}
