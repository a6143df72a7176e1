/* test-webhook.c: the Shopify webhook receiver over real HTTP on loopback,
 * with signing secrets in the keyring (the keyring cases skip clearly
 * without a Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "omni-connector.h"
#include "omni-db.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "omni-store-webhook.h"
#include "omni-webhook-server.h"
#include "test-store-util.h"

#define SQLPAGE_SECRET "test-webhook-secret"
#define GOSHOPIFY_SECRET "hush"
#define ORDER_GID "gid://shopify/Order/820982911946154508"
#define VARIANT_GID "gid://shopify/ProductVariant/808950810"
#define ITEM_GID "gid://shopify/InventoryItem/271878346596884015"
#define LOCATION_GID "gid://shopify/Location/24826418"
#define PRODUCT_GID "gid://shopify/Product/632910392"

/* Deliveries in the burst case. Under AddressSanitizer each costs several
 * times more: 2,000 there (answered and applied in about 5 s). */
#if defined(__SANITIZE_ADDRESS__)
#define BURST_DELIVERIES 2000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BURST_DELIVERIES 2000
#endif
#endif
#ifndef BURST_DELIVERIES
#define BURST_DELIVERIES 5000
#endif

static GString *captured_logs;
static gboolean have_keyring;

typedef struct
{
  char              *dir;
  char              *path;
  char              *account;       /* signed with SQLPAGE_SECRET (webhook entry) */
  char              *account_b;     /* signed with GOSHOPIFY_SECRET (client secret) */
  OmniStore         *store;
  gint64             shop;
  gint64             channel;
  gint64             channel_b;
  gint64             variant;
  OmniWebhookServer *server;
  SoupSession       *session;
  char              *url;
  guint              status;
} Fixture;

typedef struct
{
  gint64 events;
  gint64 orders;
  gint64 movements;
  guint  outbox;
  guint  log;
  gint64 available;
} Snapshot;

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

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "real", "shopify", name, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

/* A fixture payload with some members replaced (JSON text values). */
static char *
edit_fixture (const char *name,
              const char *member,
              JsonNode   *value,
              const char *member2,
              JsonNode   *value2)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = read_fixture (name, NULL);
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  if (member != NULL)
    json_object_set_member (object, member, value);
  if (member2 != NULL)
    json_object_set_member (object, member2, value2);
  return json_to_string (json_parser_get_root (parser), FALSE);
}

static void
start_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->server = omni_webhook_server_new (f->path);
  g_assert_true (omni_webhook_server_start (f->server, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (omni_webhook_server_get_port (f->server), >, 0);
  f->url = omni_webhook_server_get_url (f->server);
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->url, "/webhooks/shopify"));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());
  const OmniProductSpec product = { .title = "IPod Nano - 8GB" };
  const OmniVariantSpec variant = {
    .sku = "IPOD2008PINK", .price = 19900, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  OmniMovementSpec received = {
    .on_hand_delta = 10, .reason = OMNI_REASON_RECEIVED, .source = "app",
  };
  OmniChannelLinkSpec link = {
    .remote_product_id = PRODUCT_GID, .remote_variant_id = VARIANT_GID,
    .remote_inventory_id = ITEM_GID, .remote_sku = "IPOD2008PINK", .linked_by = "sku",
  };

  f->session = soup_session_new ();
  f->dir = g_dir_make_tmp ("omni-webhook-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);

  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &f->variant, &error), >, 0);
  g_assert_no_error (error);
  received.variant_id = f->variant;
  received.location_id = f->shop;
  g_assert_true (omni_store_record_movements (f->store, &received, 1, &error));

  f->account = g_strdup_printf ("fern-%s.myshopify.com", suffix);
  f->channel = omni_store_add_channel (f->store, "shopify", "Fern", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, f->channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, LOCATION_GID, "Shop Floor",
                                                     TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (f->store, f->channel, LOCATION_GID, f->shop, &error));
  link.channel_id = f->channel;
  link.variant_id = f->variant;
  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_no_error (error);

  f->account_b = g_strdup_printf ("moss-%s.myshopify.com", suffix);
  f->channel_b = omni_store_add_channel (f->store, "shopify", "Moss", f->account_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, f->channel_b,
                                                  "{\"client_id\":\"client-123\"}", &error));

  if (have_keyring)
    {
      g_assert_true (omni_secret_store (OMNI_WEBHOOK_SECRET_PLATFORM, f->account, "OmniStock test",
                                        SQLPAGE_SECRET, NULL, &error));
      g_assert_true (omni_secret_store ("shopify", f->account_b, "OmniStock test",
                                        GOSHOPIFY_SECRET, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  if (f->server != NULL)
    omni_webhook_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->session);
  if (have_keyring)
    {
      omni_secret_clear (OMNI_WEBHOOK_SECRET_PLATFORM, f->account, NULL, NULL);
      omni_secret_clear ("shopify", f->account_b, NULL, NULL);
    }
  g_clear_object (&f->store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->account);
  g_free (f->account_b);
  g_free (f->url);
}

#define REQUIRE_KEYRING() \
  G_STMT_START { \
    if (!have_keyring) \
      { \
        g_test_skip ("No Secret Service on the session bus: run the suite with " \
                     "build-aux/run-tests.sh (dbus-run-session and gnome-keyring)"); \
        return; \
      } \
  } G_STMT_END

/* POSTs @body (signed with @secret unless @hmac is given; "" sends none). */
static guint
post_full (Fixture      *f,
           const char   *shop,
           const char   *topic,
           const char   *event_id,
           const char   *webhook_id,
           const guint8 *body,
           gsize         length,
           const char   *secret,
           const char   *hmac)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", f->url);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (hmac == NULL && secret != NULL)
    hmac = signature = omni_webhook_sign (secret, body, length);
  if (hmac != NULL && *hmac != '\0')
    soup_message_headers_replace (headers, "X-Shopify-Hmac-Sha256", hmac);
  soup_message_headers_replace (headers, "X-Shopify-Shop-Domain", shop);
  soup_message_headers_replace (headers, "X-Shopify-Topic", topic);
  soup_message_headers_replace (headers, "X-Shopify-API-Version", "2025-01");
  if (event_id != NULL)
    soup_message_headers_replace (headers, "X-Shopify-Event-Id", event_id);
  if (webhook_id != NULL)
    soup_message_headers_replace (headers, "X-Shopify-Webhook-Id", webhook_id);
  request = g_bytes_new_static (body, length);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  if (error != NULL)
    {
      /* A refused body may close the connection while it is being sent. */
      g_test_message ("POST failed: %s", error->message);
      return soup_message_get_status (msg);
    }
  return soup_message_get_status (msg);
}

static guint
post (Fixture    *f,
      const char *topic,
      const char *event_id,
      const char *body)
{
  return post_full (f, f->account, topic, event_id, NULL, (const guint8 *)body, strlen (body),
                    SQLPAGE_SECRET, NULL);
}

static void
wait_idle (Fixture *f)
{
  /* Each delivery is a few round trips to a PostgreSQL server, against
   * none to a SQLite file. */
  g_assert_true (omni_webhook_server_wait_idle (f->server,
                                                test_store_is_postgresql () ? 240000 : 20000));
}

static void
snapshot (Fixture  *f,
          Snapshot *s)
{
  g_auto(OmniStoreStats) stats = { 0 };
  g_auto(OmniWebhookStats) hooks = { 0 };
  g_autoptr(GPtrArray) outbox = omni_store_list_outbox (f->store, 0, NULL, 0, NULL);
  g_autoptr(GPtrArray) log = omni_store_list_sync_log (f->store, 0, 0, NULL);

  g_assert_true (omni_store_get_stats (f->store, &stats, NULL));
  g_assert_true (omni_store_get_webhook_stats (f->store, 0, &hooks, NULL));
  s->events = hooks.received;
  s->orders = stats.orders;
  s->movements = stats.movements;
  s->outbox = outbox->len;
  s->log = log->len;
  s->available = omni_store_get_available_at (f->store, f->variant, f->shop);
}

static void
assert_unchanged (const Snapshot *a,
                  const Snapshot *b)
{
  g_assert_cmpint (a->events, ==, b->events);
  g_assert_cmpint (a->orders, ==, b->orders);
  g_assert_cmpint (a->movements, ==, b->movements);
  g_assert_cmpuint (a->outbox, ==, b->outbox);
  g_assert_cmpuint (a->log, ==, b->log);
  g_assert_cmpint (a->available, ==, b->available);
}

static OmniWebhookEvent *
newest_event (Fixture *f)
{
  g_autoptr(GPtrArray) events = omni_store_list_webhooks (f->store, 0, 1, NULL);

  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, ==, 1);
  return g_ptr_array_steal_index (events, 0);
}

static gint64
count_movements (Fixture    *f,
                 const char *reason)
{
  g_autoptr(GPtrArray) movements = NULL;
  OmniHistoryFilter filter = { .reason = reason };
  gint64 total = 0;

  movements = omni_store_get_history (f->store, f->variant, &filter, NULL);
  g_assert_nonnull (movements);
  for (guint i = 0; i < movements->len; i++)
    {
      OmniMovement *m = movements->pdata[i];

      if (g_strcmp0 (m->reason, reason) == 0)
        total += m->on_hand_delta;
    }
  return total;
}

/* The committed units the variant's movements of @reason moved. */
static gint64
sum_committed (Fixture    *f,
               const char *reason)
{
  OmniHistoryFilter filter = { .reason = reason };
  g_autoptr(GPtrArray) movements = omni_store_get_history (f->store, f->variant, &filter, NULL);
  gint64 total = 0;

  g_assert_nonnull (movements);
  for (guint i = 0; i < movements->len; i++)
    total += ((OmniMovement *)movements->pdata[i])->committed_delta;
  return total;
}

/* Signatures without a server ------------------------------------------- */

static void
test_vectors_offline (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *vectors = read_fixture ("webhook_hmac_vectors.json", NULL);
  JsonArray *list;
  guint checked = 0;

  g_assert_true (json_parser_load_from_data (parser, vectors, -1, NULL));
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "vectors");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *v = json_array_get_object_element (list, i);
      const char *secret = json_object_get_string_member (v, "secret");
      g_autofree char *body = NULL;
      gsize length = 0;

      if (!json_object_has_member (v, "expected_x_shopify_hmac_sha256") &&
          !json_object_has_member (v, "bad_headers"))
        continue;   /* OAuth query vectors: not webhooks */
      if (json_object_has_member (v, "body_file"))
        body = read_fixture (json_object_get_string_member (v, "body_file"), &length);
      else
        {
          body = g_strdup (json_object_get_string_member (v, "body_literal"));
          length = strlen (body);
        }

      if (json_object_has_member (v, "bad_headers"))
        {
          JsonArray *bad = json_object_get_array_member (v, "bad_headers");

          for (guint b = 0; b < json_array_get_length (bad); b++)
            g_assert_false (omni_webhook_verify (secret, (const guint8 *)body, length,
                                                 json_array_get_string_element (bad, b)));
          checked++;
          continue;
        }

      {
        const char *header = json_object_get_string_member (v, "expected_x_shopify_hmac_sha256");
        gboolean valid = json_object_get_boolean_member (v, "valid");
        g_autofree char *signed_b64 = omni_webhook_sign (secret, (const guint8 *)body, length);

        g_assert_cmpint (omni_webhook_verify (secret, (const guint8 *)body, length, header), ==, valid);
        g_assert_cmpint (g_str_equal (signed_b64, header), ==, valid);
        checked++;
      }
    }
  g_assert_cmpuint (checked, ==, 5);

  /* An empty body is refused even with the signature of nothing. */
  {
    g_autofree char *empty = omni_webhook_sign ("hush", (const guint8 *)"", 0);
    g_assert_false (omni_webhook_verify ("hush", (const guint8 *)"", 0, empty));
  }
  g_assert_false (omni_webhook_verify ("hush", (const guint8 *)"x", 1, NULL));
}

/* Over HTTP --------------------------------------------------------------- */

static void
test_vectors_over_http (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *sqlpage = NULL;
  g_autofree char *goshopify = NULL;
  gsize sqlpage_len = 0, goshopify_len = 0;
  g_autoptr(OmniWebhookEvent) event = NULL;
  Snapshot before, after;

  REQUIRE_KEYRING ();
  start_server (f);
  sqlpage = read_fixture ("webhook_hmac_sqlpage_body.json", &sqlpage_len);
  goshopify = read_fixture ("webhook_hmac_goshopify_body.json", &goshopify_len);
  g_assert_cmpuint (sqlpage_len, ==, 71);
  g_assert_cmpuint (goshopify_len, ==, 19);

  /* The published headers, byte for byte. */
  g_assert_cmpuint (post_full (f, f->account, "customers/update", "ev-sqlpage", NULL,
                               (const guint8 *)sqlpage, sqlpage_len, NULL,
                               "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw="), ==, 200);
  g_assert_cmpuint (post_full (f, f->account_b, "customers/update", "ev-goshopify", NULL,
                               (const guint8 *)goshopify, goshopify_len, NULL,
                               "hMTq0K2x7oyOjoBwGYeTj5oxfnaVYXzbanUG9aajpKI="), ==, 200);
  wait_idle (f);
  event = newest_event (f);
  g_assert_cmpint (event->channel_id, ==, f->channel_b);
  g_assert_cmpstr (event->event_id, ==, "ev-goshopify");
  g_assert_cmpstr (event->body, ==, "\"my secret message\"");

  /* Negative vectors: each 401, nothing stored. */
  snapshot (f, &before);
  g_assert_cmpuint (post_full (f, f->account_b, "customers/update", "neg-1", NULL,
                               (const guint8 *)"\"my invalid message\"", 20, NULL,
                               "hMTq0K2x7oyOjoBwGYeTj5oxfnaVYXzbanUG9aajpKI="), ==, 401);
  g_assert_cmpuint (post_full (f, f->account_b, "customers/update", "neg-2", NULL,
                               (const guint8 *)goshopify, goshopify_len, NULL, "wronghash"), ==, 401);
  g_assert_cmpuint (post_full (f, f->account_b, "customers/update", "neg-3", NULL,
                               (const guint8 *)goshopify, goshopify_len, NULL, "YmxhaGJsYWgK"), ==, 401);
  g_assert_cmpuint (post_full (f, f->account_b, "customers/update", "neg-4", NULL,
                               (const guint8 *)"", 0, NULL,
                               "ZAZ6P4c14f6v798OCPYCodtdf9g8Z+GfthdfCgyhUYg="), ==, 401);
  /* The right signature from the other shop's secret. */
  g_assert_cmpuint (post_full (f, f->account, "customers/update", "neg-5", NULL,
                               (const guint8 *)goshopify, goshopify_len, NULL,
                               "hMTq0K2x7oyOjoBwGYeTj5oxfnaVYXzbanUG9aajpKI="), ==, 401);
  wait_idle (f);
  snapshot (f, &after);
  assert_unchanged (&before, &after);
}

static void
test_wrong_or_missing_hmac (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *body = edit_fixture ("webhook_2025-01_orders_create.json",
                                        "cancelled_at", json_node_new (JSON_NODE_NULL), NULL, NULL);
  g_auto(OmniWebhookStats) stats = { 0 };
  Snapshot before, after;

  REQUIRE_KEYRING ();
  start_server (f);
  snapshot (f, &before);

  /* Missing, wrong secret, tampered body, unknown shop: 401 each. */
  g_assert_cmpuint (post_full (f, f->account, "orders/create", "e1", NULL,
                               (const guint8 *)body, strlen (body), NULL, ""), ==, 401);
  g_assert_cmpuint (post_full (f, f->account, "orders/create", "e2", NULL,
                               (const guint8 *)body, strlen (body), "not-the-secret", NULL), ==, 401);
  {
    g_autofree char *sig = omni_webhook_sign (SQLPAGE_SECRET, (const guint8 *)body, strlen (body));
    g_autofree char *tampered = g_strdup (body);

    tampered[strlen (tampered) / 2] ^= 1;
    g_assert_cmpuint (post_full (f, f->account, "orders/create", "e3", NULL,
                                 (const guint8 *)tampered, strlen (tampered), NULL, sig), ==, 401);
  }
  g_assert_cmpuint (post_full (f, "stranger.myshopify.com", "orders/create", "e4", NULL,
                               (const guint8 *)body, strlen (body), SQLPAGE_SECRET, NULL), ==, 401);
  wait_idle (f);
  snapshot (f, &after);
  assert_unchanged (&before, &after);
  g_assert_cmpint (after.available, ==, 10);

  g_assert_true (omni_store_get_webhook_stats (f->store, 0, &stats, NULL));
  g_assert_cmpint (stats.rejected, ==, 4);
  g_assert_cmpint (stats.received, ==, 0);
}

static void
test_oversized_body (Fixture       *f,
                     gconstpointer  data)
{
  gsize size = 2 * 1024 * 1024;
  g_autofree guint8 *big = g_malloc (size);
  Snapshot before, after;
  gint64 started;

  /* Needs no keyring: the size is refused before anything else. */
  memset (big, ' ', size);
  big[0] = '{';
  big[size - 1] = '}';
  start_server (f);
  snapshot (f, &before);
  started = g_get_monotonic_time ();
  g_assert_cmpuint (post_full (f, f->account, "orders/create", "big", NULL, big, size,
                               "whatever", NULL), ==, 413);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  /* Just over the bound, too. */
  g_assert_cmpuint (post_full (f, f->account, "orders/create", "big2", NULL, big,
                               OMNI_WEBHOOK_MAX_BODY + 1, "whatever", NULL), ==, 413);
  /* The server still answers afterwards. */
  g_assert_cmpuint (post_full (f, f->account, "orders/create", "small", NULL,
                               (const guint8 *)"{}", 2, NULL, ""), ==, 401);
  wait_idle (f);
  snapshot (f, &after);
  assert_unchanged (&before, &after);
}

static void
test_order_once (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *created = edit_fixture ("webhook_2025-01_orders_create.json",
                                           "cancelled_at", json_node_new (JSON_NODE_NULL), NULL, NULL);
  g_autofree char *cancelled = read_fixture ("webhook_2025-01_orders_create.json", NULL);
  g_autoptr(OmniWebhookEvent) event = NULL;
  g_auto(OmniWebhookStats) stats = { 0 };
  g_autoptr(GError) error = NULL;
  OmniOrderLineSpec lines[] = {
    { .variant_id = f->variant, .sku = "IPOD2008PINK", .title = "IPod Nano - 8GB", .quantity = 1 },
    { .variant_id = f->variant, .sku = "IPOD2008PINK", .title = "IPod Nano - 8GB", .quantity = 1 },
  };
  OmniOrderSpec polled = {
    .channel_id = f->channel, .remote_id = ORDER_GID, .name = "#9999", .currency = "USD",
    .location_id = f->shop, .lines = lines, .n_lines = 2, .actor = "Fern",
  };
  Snapshot s;
  gint64 order_id;

  REQUIRE_KEYRING ();
  start_server (f);

  /* Two lines of one unit each, not shipped yet (fulfillable_quantity 1):
   * 2 committed, once, though delivered twice; on hand unchanged. */
  g_assert_cmpuint (post (f, "orders/create", "order-ev-1", created), ==, 200);
  g_assert_cmpuint (post (f, "orders/create", "order-ev-1", created), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 8);
  g_assert_cmpint (count_movements (f, OMNI_REASON_SOLD), ==, 0);
  g_assert_cmpint (sum_committed (f, OMNI_REASON_COMMITTED), ==, 2);
  event = newest_event (f);
  g_assert_cmpstr (event->state, ==, "applied");
  g_assert_cmpstr (event->topic, ==, "orders/create");
  g_assert_true (omni_store_get_webhook_stats (f->store, 0, &stats, NULL));
  g_assert_cmpint (stats.received, ==, 1);
  g_assert_cmpint (stats.applied, ==, 1);
  g_assert_cmpint (stats.duplicates, ==, 1);

  /* The same order by poll, and again as orders/updated: counted once. */
  order_id = omni_store_record_order (f->store, &polled, &error);
  g_assert_no_error (error);
  g_assert_cmpint (order_id, >, 0);
  g_assert_cmpuint (post (f, "orders/updated", "order-ev-2", created), ==, 200);
  wait_idle (f);
  snapshot (f, &s);
  g_assert_cmpint (s.orders, ==, 1);
  g_assert_cmpint (s.available, ==, 8);
  g_assert_cmpint (count_movements (f, OMNI_REASON_SOLD), ==, 0);
  g_assert_cmpint (sum_committed (f, OMNI_REASON_COMMITTED), ==, 2);

  /* Cancelled (the raw fixture carries cancelled_at): the 2 reserved are
   * released, once; nothing had left the shelf, so nothing returns. The
   * fallback id header is used when there is no event id. */
  g_assert_cmpuint (post_full (f, f->account, "orders/cancelled", NULL, "webhook-id-3",
                               (const guint8 *)cancelled, strlen (cancelled), SQLPAGE_SECRET, NULL),
                    ==, 200);
  g_assert_cmpuint (post_full (f, f->account, "orders/cancelled", NULL, "webhook-id-3",
                               (const guint8 *)cancelled, strlen (cancelled), SQLPAGE_SECRET, NULL),
                    ==, 200);
  g_assert_cmpuint (post (f, "orders/updated", "order-ev-4", cancelled), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);
  g_assert_cmpint (count_movements (f, OMNI_REASON_RETURNED), ==, 0);
  g_assert_cmpint (sum_committed (f, OMNI_REASON_RELEASED), ==, -2);

  /* A late orders/create for the cancelled order sells nothing. */
  g_assert_cmpuint (post (f, "orders/create", "order-ev-5", created), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);
  g_clear_pointer (&event, omni_webhook_event_free);
  event = newest_event (f);
  g_assert_cmpstr (event->event_id, ==, "order-ev-5");
  g_assert_cmpstr (event->state, ==, "ignored");
}

/* @created with every line shipped: nothing left to fulfil. */
static char *
fulfilled_body (const char *created)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *items;

  g_assert_true (json_parser_load_from_data (parser, created, -1, NULL));
  items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "line_items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    json_object_set_int_member (json_array_get_object_element (items, i),
                                "fulfillable_quantity", 0);
  return json_to_string (json_parser_get_root (parser), FALSE);
}

/* refunds/create, built from Shopify's documented payload for the fixture
 * order: one line returned and restocked, one refunded without restock. */
static void
test_refund_once (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *created = edit_fixture ("webhook_2025-01_orders_create.json",
                                           "cancelled_at", json_node_new (JSON_NODE_NULL), NULL, NULL);
  g_autofree char *cancelled = read_fixture ("webhook_2025-01_orders_create.json", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "shopify",
                                                 "refunds-create.json", NULL);
  g_autofree char *refund = NULL;
  g_autofree char *fulfilled = fulfilled_body (created);
  g_autoptr(OmniWebhookEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const OmniRefundLineSpec polled_lines[] = {
    { .remote_line_id = "gid://shopify/RefundLineItem/487817672276298627", .variant_id = f->variant,
      .location_id = f->shop, .quantity = 1, .restock = TRUE },
    { .remote_line_id = "gid://shopify/RefundLineItem/487817672276298628", .variant_id = f->variant,
      .quantity = 1, .restock = FALSE },
  };
  const OmniRefundSpec polled = {
    .channel_id = f->channel, .remote_id = "gid://shopify/Refund/890088186047892319",
    .order_remote_id = ORDER_GID, .order_name = "#9999", .lines = polled_lines, .n_lines = 2,
  };
  gint64 returned = -1;

  REQUIRE_KEYRING ();
  g_assert_true (g_file_get_contents (path, &refund, NULL, NULL));
  start_server (f);

  g_assert_cmpuint (post (f, "orders/create", "refund-ev-1", created), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 8);
  g_assert_cmpint (count_movements (f, OMNI_REASON_SOLD), ==, 0);

  /* Shipped (orders/fulfilled: nothing left to fulfil): the 2 committed
   * units leave the shelf, available stays; a resend changes nothing. */
  g_assert_cmpuint (post (f, "orders/fulfilled", "refund-ev-f", fulfilled), ==, 200);
  g_assert_cmpuint (post (f, "orders/updated", "refund-ev-g", fulfilled), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 8);
  g_assert_cmpint (count_movements (f, OMNI_REASON_SOLD), ==, -2);
  g_assert_cmpint (sum_committed (f, NULL), ==, 0);

  /* One unit comes back; the unit refunded without restock stays sold.
   * A repeat under another event id (a resend) changes nothing. */
  g_assert_cmpuint (post (f, "refunds/create", "refund-ev-2", refund), ==, 200);
  g_assert_cmpuint (post (f, "refunds/create", "refund-ev-2", refund), ==, 200);
  g_assert_cmpuint (post (f, "refunds/create", "refund-ev-3", refund), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 9);
  g_assert_cmpint (count_movements (f, OMNI_REASON_RETURNED), ==, 1);
  event = newest_event (f);
  g_assert_cmpstr (event->topic, ==, "refunds/create");
  g_assert_cmpstr (event->state, ==, "applied");

  /* The poll reads the same refund through the Admin API: counted once. */
  g_assert_true (omni_store_record_refund (f->store, &polled, &returned, &error));
  g_assert_no_error (error);
  g_assert_cmpint (returned, ==, 0);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 9);

  /* Cancelling the order returns only the unit the refund did not. */
  g_assert_cmpuint (post (f, "orders/cancelled", "refund-ev-4", cancelled), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);
  g_assert_cmpint (count_movements (f, OMNI_REASON_RETURNED), ==, 2);
  g_assert_cmpint (count_movements (f, OMNI_REASON_SOLD), ==, -2);
}

/* A refund whose restock belongs to the cancellation, or that names no
 * order, moves nothing. */
static void
test_refund_cancel_restock (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *created = edit_fixture ("webhook_2025-01_orders_create.json",
                                           "cancelled_at", json_node_new (JSON_NODE_NULL), NULL, NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "shopify",
                                                 "refunds-create.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *cancel_refund = NULL;
  g_autofree char *orphan = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(OmniWebhookEvent) event = NULL;
  JsonObject *root;
  JsonArray *items;

  REQUIRE_KEYRING ();
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  items = json_object_get_array_member (root, "refund_line_items");
  json_object_set_string_member (json_array_get_object_element (items, 0), "restock_type", "cancel");
  cancel_refund = json_to_string (json_parser_get_root (parser), FALSE);
  json_object_remove_member (root, "order_id");
  orphan = json_to_string (json_parser_get_root (parser), FALSE);

  start_server (f);
  g_assert_cmpuint (post (f, "orders/create", "cr-ev-1", created), ==, 200);
  g_assert_cmpuint (post (f, "refunds/create", "cr-ev-2", cancel_refund), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 8);
  g_assert_cmpint (count_movements (f, OMNI_REASON_RETURNED), ==, 0);

  g_assert_cmpuint (post (f, "refunds/create", "cr-ev-3", orphan), ==, 200);
  wait_idle (f);
  event = newest_event (f);
  g_assert_cmpstr (event->state, ==, "ignored");
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 8);
}

static void
test_cancel_before_create (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *created = edit_fixture ("webhook_2025-01_orders_create.json",
                                           "cancelled_at", json_node_new (JSON_NODE_NULL), NULL, NULL);
  g_autofree char *cancelled = read_fixture ("webhook_2025-01_orders_create.json", NULL);

  REQUIRE_KEYRING ();
  start_server (f);

  /* Out of order: the cancellation arrives first; the creation then sells
   * nothing, and the poll seeing the cancelled order does nothing either. */
  g_assert_cmpuint (post (f, "orders/cancelled", "c-1", cancelled), ==, 200);
  g_assert_cmpuint (post (f, "orders/create", "c-2", created), ==, 200);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);
  g_assert_cmpint (count_movements (f, OMNI_REASON_SOLD), ==, 0);
}

static char *
level_body (gint64 available,
            gint64 at_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+00:00");
  JsonNode *quantity = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (quantity, available);
  return edit_fixture ("webhook_2025-01_inventory_levels_update.json",
                       "available", quantity, "updated_at", json_node_init_string (json_node_alloc (), stamp));
}

static void
test_levels_never_backwards (Fixture       *f,
                             gconstpointer  data)
{
  gint64 base = (g_get_real_time () / G_USEC_PER_SEC + 3600) * G_USEC_PER_SEC;
  g_autofree char *t2 = level_body (7, base + 2 * G_USEC_PER_SEC);
  g_autofree char *t1 = level_body (3, base + 1 * G_USEC_PER_SEC);
  g_autofree char *t3 = level_body (10, base + 3 * G_USEC_PER_SEC);
  g_autofree char *t4 = level_body (4, base + 4 * G_USEC_PER_SEC);
  g_autofree char *null_body = read_fixture ("webhook_2025-01_inventory_levels_update.json", NULL);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 quantity = -1;
  OmniMovementSpec sold = {
    .variant_id = f->variant, .location_id = f->shop, .on_hand_delta = -1,
    .reason = OMNI_REASON_SOLD, .source = "app",
  };

  REQUIRE_KEYRING ();
  start_server (f);

  /* The fixture's "available": null changes nothing. */
  g_assert_cmpuint (post (f, "inventory_levels/update", "lv-0", null_body), ==, 200);
  wait_idle (f);
  g_assert_false (omni_store_get_remote_level (f->store, f->channel, f->variant, LOCATION_GID, NULL));

  /* Newer first, older second: the level stays at the newer value. */
  g_assert_cmpuint (post (f, "inventory_levels/update", "lv-2", t2), ==, 200);
  g_assert_cmpuint (post (f, "inventory_levels/update", "lv-1", t1), ==, 200);
  wait_idle (f);
  g_assert_true (omni_store_get_remote_level (f->store, f->channel, f->variant, LOCATION_GID, &quantity));
  g_assert_cmpint (quantity, ==, 7);
  /* 7 differs from the local 10: a push is waiting; local stock unchanged. */
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);

  g_assert_cmpuint (post (f, "inventory_levels/update", "lv-3", t3), ==, 200);
  wait_idle (f);
  g_assert_true (omni_store_get_remote_level (f->store, f->channel, f->variant, LOCATION_GID, &quantity));
  g_assert_cmpint (quantity, ==, 10);

  /* A local sale waits to be pushed; a remote change meanwhile becomes a
   * conflict, not a silent overwrite. */
  g_assert_true (omni_store_record_movements (f->store, &sold, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (post (f, "inventory_levels/update", "lv-4", t4), ==, 200);
  wait_idle (f);
  conflicts = omni_store_list_outbox (f->store, f->channel, "conflict", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_nonnull (strstr (((OmniOutboxEntry *)conflicts->pdata[0])->last_error, "from 10 to 4"));
  g_assert_true (omni_store_get_remote_level (f->store, f->channel, f->variant, LOCATION_GID, &quantity));
  g_assert_cmpint (quantity, ==, 4);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 9);
}

static void
test_unknown_topic_and_products (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *product = edit_fixture ("webhook_2025-01_products_update.json",
                                           "admin_graphql_api_id",
                                           json_node_init_string (json_node_alloc (), PRODUCT_GID),
                                           NULL, NULL);
  g_autofree char *other = read_fixture ("webhook_2025-01_products_update.json", NULL);
  g_autofree char *bulk = read_fixture ("webhook_2025-01_bulk_operations_finish.json", NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(OmniWebhookEvent) event = NULL;
  g_autoptr(GPtrArray) log = NULL;

  REQUIRE_KEYRING ();
  start_server (f);

  g_assert_cmpuint (post (f, "bulk_operations/finish", "u-1", bulk), ==, 200);
  wait_idle (f);
  event = newest_event (f);
  g_assert_cmpstr (event->state, ==, "ignored");
  g_assert_cmpstr (event->error, ==, "Topic bulk_operations/finish is not handled");
  g_assert_nonnull (strstr (captured_logs->str, "bulk_operations/finish"));
  log = omni_store_list_sync_log (f->store, f->channel, 1, NULL);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (((OmniSyncLogEntry *)log->pdata[0])->direction, ==, "webhook");

  /* A product with no linked variant changes nothing; a linked one asks for
   * a pull. */
  g_assert_cmpuint (post (f, "products/update", "p-1", other), ==, 200);
  wait_idle (f);
  g_assert_null (omni_store_get_sync_cursor (f->store, f->channel, "refresh"));
  g_assert_cmpuint (post (f, "products/update", "p-2", product), ==, 200);
  wait_idle (f);
  cursor = omni_store_get_sync_cursor (f->store, f->channel, "refresh");
  g_assert_nonnull (cursor);
}

static void
test_queued_survives_restart (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *created = edit_fixture ("webhook_2025-01_orders_create.json",
                                           "cancelled_at", json_node_new (JSON_NODE_NULL), NULL, NULL);
  g_autoptr(GError) error = NULL;
  gboolean duplicate = TRUE;

  REQUIRE_KEYRING ();

  /* Stored and acknowledged, then the process died before applying it. */
  g_assert_cmpint (omni_store_queue_webhook (f->store, f->channel, "crash-1", "orders/create",
                                             created, &duplicate, &error), >, 0);
  g_assert_no_error (error);
  g_assert_false (duplicate);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);

  start_server (f);
  wait_idle (f);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 8);
}

static void
test_burst (Fixture       *f,
            gconstpointer  data)
{
  gint64 base = (g_get_real_time () / G_USEC_PER_SEC + 7200) * G_USEC_PER_SEC;
  g_auto(OmniWebhookStats) stats = { 0 };
  gint64 slowest = 0, started;
  gint64 quantity = -1;
  const guint n = BURST_DELIVERIES;

  REQUIRE_KEYRING ();
  start_server (f);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = level_body (i, base + (gint64)i * G_USEC_PER_SEC);
      g_autofree char *id = g_strdup_printf ("burst-%u", i);
      gint64 t0 = g_get_monotonic_time ();

      g_assert_cmpuint (post (f, "inventory_levels/update", id, body), ==, 200);
      slowest = MAX (slowest, g_get_monotonic_time () - t0);
    }
  g_test_message ("%u deliveries answered in %.2f s; slowest answer %.1f ms", n,
                  (g_get_monotonic_time () - started) / 1e6, slowest / 1e3);
  g_assert_cmpint (slowest, <, 1 * G_USEC_PER_SEC);
  wait_idle (f);
  g_test_message ("all %u applied after %.2f s", n, (g_get_monotonic_time () - started) / 1e6);

  g_assert_true (omni_store_get_webhook_stats (f->store, f->channel, &stats, NULL));
  g_test_message ("received %" G_GINT64_FORMAT " queued %" G_GINT64_FORMAT " applied %" G_GINT64_FORMAT
                  " ignored %" G_GINT64_FORMAT " failed %" G_GINT64_FORMAT, stats.received, stats.queued,
                  stats.applied, stats.ignored, stats.failed);
  g_assert_cmpint (stats.received, ==, n);
  g_assert_cmpint (stats.applied, ==, n);
  g_assert_cmpint (stats.queued, ==, 0);
  g_assert_true (omni_store_get_remote_level (f->store, f->channel, f->variant, LOCATION_GID, &quantity));
  g_assert_cmpint (quantity, ==, n - 1);
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
test_secret_nowhere (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *created = edit_fixture ("webhook_2025-01_orders_create.json",
                                           "cancelled_at", json_node_new (JSON_NODE_NULL), NULL, NULL);
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *db = NULL;
  g_autofree char *wal_path = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *wal = NULL;
  gsize db_len = 0, wal_len = 0;

  REQUIRE_KEYRING ();
  start_server (f);
  g_assert_cmpuint (post (f, "orders/create", "s-1", created), ==, 200);
  g_assert_cmpuint (post_full (f, f->account, "orders/create", "s-2", NULL,
                               (const guint8 *)created, strlen (created), "wrong", NULL), ==, 401);
  g_assert_cmpuint (post (f, "app/uninstalled", "s-3", "{}"), ==, 200);
  wait_idle (f);
  omni_webhook_server_stop (f->server);

  log = omni_store_list_sync_log (f->store, 0, 0, NULL);
  g_assert_cmpuint (log->len, >=, 2);
  for (guint i = 0; i < log->len; i++)
    {
      const char *message = ((OmniSyncLogEntry *)log->pdata[i])->message;
      g_assert_true (message == NULL || strstr (message, SQLPAGE_SECRET) == NULL);
    }
  g_assert_null (strstr (captured_logs->str, SQLPAGE_SECRET));
  g_assert_null (strstr (captured_logs->str, GOSHOPIFY_SECRET "\""));

  g_clear_object (&f->store);
  if (test_store_is_postgresql ())
    {
      /* No file to read: every text column that holds what a delivery or
       * the channel brought. */
      static const char secret_rows_sql[] =
        "SELECT (SELECT count(*) FROM channels WHERE strpos (coalesce (settings, '')"
        "   || coalesce (last_error, ''), ?1) > 0)"
        " + (SELECT count(*) FROM webhook_events WHERE strpos (coalesce (body, '')"
        "   || coalesce (error, '') || topic || event_id, ?1) > 0)"
        " + (SELECT count(*) FROM sync_log WHERE strpos (coalesce (message, ''), ?1) > 0)"
        " + (SELECT count(*) FROM settings WHERE strpos (key || value, ?1) > 0)";
      g_autoptr(GError) error = NULL;
      OmniDb *raw = omni_db_open_postgresql (f->path, &error);
      OmniDbStmt *stmt = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (omni_db_prepare (raw, secret_rows_sql, &stmt), ==, SQLITE_OK);
      omni_db_bind_text (stmt, 1, SQLPAGE_SECRET, -1, SQLITE_STATIC);
      g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 0);
      omni_db_finalize (stmt);
      omni_db_close (raw);
    }
  else
    {
      g_assert_true (g_file_get_contents (f->path, &db, &db_len, NULL));
      g_assert_false (bytes_contain (db, db_len, SQLPAGE_SECRET));
      if (g_file_get_contents (wal_path, &wal, &wal_len, NULL))
        g_assert_false (bytes_contain (wal, wal_len, SQLPAGE_SECRET));
    }
  f->store = omni_store_open (f->path, NULL);
}

static void
test_refuses_bad_setup (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniWebhookServer) server = omni_webhook_server_new (f->path);
  g_autoptr(GError) error = NULL;

  g_assert_false (omni_webhook_server_start (server, "localhost:80", 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not an IP address"));
  g_clear_error (&error);

  omni_webhook_server_set_channel (server, 999);
  g_assert_false (omni_webhook_server_start (server, NULL, 0, NULL, &error));
  g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Channel 999 is not a Shopify channel");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the keyring cases: %s", error->message);

  g_test_add_func ("/omni/webhook/vectors", test_vectors_offline);
#define ADD(name, func) \
  g_test_add ("/omni/webhook/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("vectors-over-http", test_vectors_over_http);
  ADD ("wrong-or-missing-hmac", test_wrong_or_missing_hmac);
  ADD ("oversized-body", test_oversized_body);
  ADD ("order-once", test_order_once);
  ADD ("cancel-before-create", test_cancel_before_create);
  ADD ("refund-once", test_refund_once);
  ADD ("refund-cancel-restock", test_refund_cancel_restock);
  ADD ("levels-never-backwards", test_levels_never_backwards);
  ADD ("unknown-topic-and-products", test_unknown_topic_and_products);
  ADD ("queued-survives-restart", test_queued_survives_restart);
  ADD ("burst", test_burst);
  ADD ("secret-nowhere", test_secret_nowhere);
  ADD ("bad-setup", test_refuses_bad_setup);
#undef ADD

  return g_test_run ();
}
