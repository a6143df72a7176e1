/* test-realtime.c: the webhook receiver switched on and off from the
 * preferences, the reconciliation view's fixes, and one notification per
 * sync problem — in a real window, with the real keyring and, for syncs,
 * the in-process Shopify mock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-realtime"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "mock-shopify.h"
#include "omni-application.h"
#include "omni-context.h"
#include "omni-drift-view.h"
#include "omni-notifier.h"
#include "omni-preferences-window.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-store-webhook.h"
#include "omni-webhook-server.h"
#include "omni-webhook-service.h"
#include "omni-window.h"

#define WAIT_SECONDS 60
#include "test-gui-util.h"
#define SECRET "realtime-test-secret"
#define VARIANT_GID "gid://shopify/ProductVariant/808950810"
#define ITEM_GID "gid://shopify/InventoryItem/271878346596884015"
#define LOCATION_GID "gid://shopify/Location/24826418"

static OmniApplication *app;
static gboolean have_keyring;

/* What reached the "desktop", through omni_notifier_set_hooks(). */
static GPtrArray *sent;        /* ids, in order */
static GPtrArray *withdrawn;

static void
record_send (const char    *id,
             GNotification *notification,
             gpointer       user_data)
{
  g_ptr_array_add (sent, g_strdup (id));
}

static void
record_withdraw (const char *id,
                 gpointer    user_data)
{
  g_ptr_array_add (withdrawn, g_strdup (id));
}

static guint
count_ids (GPtrArray  *ids,
           const char *id)
{
  guint n = 0;

  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (ids->pdata[i], id))
      n++;
  return n;
}

/* test-gui-util.h's wait_for(), naming the webhook service's state when it
 * times out. */
#undef wait_for
#define wait_for(cond)                                                      \
  G_STMT_START {                                                            \
    gint64 wait_deadline_ = g_get_monotonic_time () +                       \
                            WAIT_SECONDS * G_USEC_PER_SEC;                  \
    guint wait_ticker_ = g_timeout_add (10, tick_cb, NULL);                 \
    while (!(cond))                                                         \
      {                                                                     \
        if (g_get_monotonic_time () > wait_deadline_)                       \
          g_error ("Timed out waiting for %s (webhooks: %s)", #cond, omni_webhook_service_get_status (omni_application_get_webhook_service (app)));                   \
        g_main_context_iteration (NULL, TRUE);                              \
      }                                                                     \
    g_source_remove (wait_ticker_);                                         \
  } G_STMT_END

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
      return buttons->pdata[i];
  g_error ("No button labelled “%s”", label);
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

typedef struct
{
  char        *dir;
  char        *path;
  char        *account;
  OmniStore   *store;
  OmniContext *context;
  GSettings   *settings;
  OmniWindow  *window;
  gint64       shop;
  gint64       channel;
  gint64       variant;
} Fixture;

static gint64
add_variant (Fixture    *f,
             const char *title,
             const char *sku,
             gint64      on_hand)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = title };
  const OmniVariantSpec variant = { .sku = sku, .price = 19900, .compare_at_price = -1,
                                    .cost = -1, .reorder_point = -1, .reorder_qty = -1 };
  OmniMovementSpec received = { .on_hand_delta = on_hand, .reason = OMNI_REASON_RECEIVED,
                                .source = "app" };
  gint64 id = 0;

  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
  g_assert_no_error (error);
  received.variant_id = id;
  received.location_id = f->shop;
  g_assert_true (omni_store_record_movements (f->store, &received, 1, &error));
  g_assert_no_error (error);
  return id;
}

static void
link_variant (Fixture    *f,
              gint64      variant,
              const char *variant_gid,
              const char *item_gid)
{
  g_autoptr(GError) error = NULL;
  OmniChannelLinkSpec link = {
    .channel_id = f->channel, .variant_id = variant, .remote_variant_id = variant_gid,
    .remote_inventory_id = item_gid, .linked_by = "sku",
  };

  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  omni_notifier_set_hooks (record_send, record_withdraw, NULL);
  g_ptr_array_set_size (sent, 0);
  g_ptr_array_set_size (withdrawn, 0);

  f->dir = g_dir_make_tmp ("omni-realtime-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->account = g_strdup_printf ("rt-%08x.myshopify.com", g_random_int ());
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  f->variant = add_variant (f, "IPod Nano - 8GB", "IPOD2008PINK", 10);
  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_settings_set_boolean (f->settings, "webhook-receive", FALSE);
  g_settings_set_int (f->settings, "sync-interval", 1440);
  f->context = omni_context_new (f->store, f->settings);
}

static void
open_window (Fixture *f)
{
  f->window = g_object_ref (omni_window_new (GTK_APPLICATION (app), f->context));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
}

static void
add_channel (Fixture    *f,
             const char *api_url,
             const char *token)
{
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    f->channel = omni_shopify_add_channel (f->store, "Fern", f->account, api_url, NULL, token,
                                           &error);
  else
    f->channel = omni_store_add_channel (f->store, "shopify", "Fern", f->account, api_url,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->channel, >, 0);
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, LOCATION_GID,
                                                     "Shop Floor", TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (f->store, f->channel, LOCATION_GID, f->shop,
                                                  &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  OmniWebhookService *service = omni_application_get_webhook_service (app);

  g_settings_set_boolean (f->settings, "webhook-receive", FALSE);
  if (f->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->window));
      g_clear_object (&f->window);
    }
  wait_for (!omni_webhook_service_is_busy (service) &&
            !omni_webhook_service_is_running (service));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (have_keyring)
    {
      omni_secret_clear (OMNI_WEBHOOK_SECRET_PLATFORM, f->account, NULL, NULL);
      omni_secret_clear ("shopify", f->account, NULL, NULL);
    }
  omni_notifier_set_hooks (NULL, NULL, NULL);
  g_clear_object (&f->context);
  g_clear_object (&f->settings);
  g_clear_object (&f->store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->account);
}

/* The receiver ------------------------------------------------------------ */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_socket_close (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

typedef struct
{
  gboolean done;
  guint    status;
  GError  *error;
} Reply;

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reply *reply = user_data;
  GBytes *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                    &reply->error);

  /* Only the status matters; a refused connection leaves no body. */
  g_clear_pointer (&body, g_bytes_unref);
  reply->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source),
                                                                                  result));
  reply->done = TRUE;
}

/* POSTs a delivery the way Shopify does, with the main loop running. */
static guint
post (guint        port,
      const char  *shop,
      const char  *topic,
      const char  *event_id,
      const char  *body,
      const char  *secret,
      GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, OMNI_WEBHOOK_SHOPIFY_PATH);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autofree char *hmac = omni_webhook_sign (secret, (const guint8 *)body, strlen (body));
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  Reply reply = { 0 };

  soup_message_headers_replace (headers, "X-Shopify-Hmac-Sha256", hmac);
  soup_message_headers_replace (headers, "X-Shopify-Shop-Domain", shop);
  soup_message_headers_replace (headers, "X-Shopify-Topic", topic);
  soup_message_headers_replace (headers, "X-Shopify-Event-Id", event_id);
  soup_message_headers_replace (headers, "X-Shopify-API-Version", "2025-01");
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, posted_cb, &reply);
  wait_for (reply.done);
  if (reply.error != NULL)
    {
      g_propagate_error (error, reply.error);
      return 0;
    }
  return reply.status;
}

static char *
order_payload (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "real", "shopify",
                                                 "webhook_2025-01_orders_create.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  json_object_set_null_member (json_node_get_object (json_parser_get_root (parser)), "cancelled_at");
  return json_to_string (json_parser_get_root (parser), FALSE);
}

static void
test_receiver_switch (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autofree char *body = order_payload ();
  g_autofree char *expected = NULL;
  OmniWebhookService *service = omni_application_get_webhook_service (app);
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  GtkWidget *prefs, *row;
  GtkSpinButton *port_spin;
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  guint taken, port;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }

  add_channel (f, NULL, NULL);
  link_variant (f, f->variant, VARIANT_GID, ITEM_GID);
  g_assert_true (omni_secret_store (OMNI_WEBHOOK_SECRET_PLATFORM, f->account, "OmniStock test",
                                    SECRET, NULL, &error));
  g_assert_no_error (error);

  /* A port someone else holds, then a free one. */
  taken = g_socket_listener_add_any_inet_port (squatter, NULL, &error);
  g_assert_no_error (error);
  port = free_port ();
  g_settings_set_int (f->settings, "webhook-port", (int)taken);

  open_window (f);
  wait_for (!omni_webhook_service_is_busy (service));
  g_assert_false (omni_webhook_service_is_running (service));

  prefs = omni_preferences_window_new (GTK_WINDOW (f->window), f->context);
  gtk_window_present (GTK_WINDOW (prefs));
  row = find_row (prefs, "Receive _Webhooks");
  g_assert_nonnull (row);
  collect (row, GTK_TYPE_SWITCH, switches);
  g_assert_cmpuint (switches->len, ==, 1);
  collect (find_row (prefs, "Webhook _Port"), GTK_TYPE_SPIN_BUTTON, spins);
  port_spin = spins->pdata[0];
  g_assert_cmpint ((int)gtk_spin_button_get_value (port_spin), ==, (int)taken);

  /* Switched on where the port is taken: said in words, no crash. */
  gtk_switch_set_active (switches->pdata[0], TRUE);
  g_assert_true (g_settings_get_boolean (f->settings, "webhook-receive"));
  wait_for (omni_webhook_service_get_error (service) != NULL);
  g_assert_false (omni_webhook_service_is_running (service));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Not receiving"));
  /* the subtitle quotes the error as it is, never read as markup */
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));

  /* Another port: it starts listening there, live. */
  gtk_spin_button_set_value (port_spin, port);
  wait_for (omni_webhook_service_is_running (service));
  g_assert_cmpuint (omni_webhook_service_get_port (service), ==, port);
  expected = g_strdup_printf ("Receiving at http://127.0.0.1:%u/webhooks/shopify", port);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, expected);

  /* A wrong signature changes nothing; a signed order lands once. */
  g_assert_cmpuint (post (port, f->account, "orders/create", "rt-1", body, "not the secret",
                          &error), ==, 401);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);
  g_assert_cmpuint (post (port, f->account, "orders/create", "rt-2", body, SECRET, &error), ==, 200);
  g_assert_no_error (error);
  wait_for (omni_store_get_available_at (f->store, f->variant, f->shop) == 8);
  g_assert_cmpuint (post (port, f->account, "orders/create", "rt-2", body, SECRET, &error), ==, 200);
  g_assert_cmpuint (post (port, f->account, "orders/updated", "rt-3", body, SECRET, &error), ==, 200);
  {
    g_autoptr(GPtrArray) events = NULL;

    wait_for ((events = omni_store_list_webhooks (f->store, f->channel, 10, NULL)) != NULL &&
              events->len == 2 &&
              g_strcmp0 (((OmniWebhookEvent *)events->pdata[0])->state, "queued") != 0);
  }
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 8);

  /* Switched off: nothing listens any more. */
  gtk_switch_set_active (switches->pdata[0], FALSE);
  wait_for (!omni_webhook_service_is_busy (service) && !omni_webhook_service_is_running (service));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Off");
  g_assert_cmpuint (post (port, f->account, "orders/create", "rt-4", body, SECRET, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_socket_listener_close (squatter);
}

/* Reconciliation ----------------------------------------------------------- */

static gboolean
drift_shown (GtkWidget  *page,
             const char *title)
{
  return find_row (page, title) != NULL;
}

static guint
outbox_count (Fixture    *f,
              gint64      variant,
              const char *state)
{
  g_autoptr(GPtrArray) entries = omni_store_list_outbox (f->store, f->channel, state, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    if (((OmniOutboxEntry *)entries->pdata[i])->variant_id == variant)
      n++;
  return n;
}

static void
test_drift_fixes (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conflicts_id = NULL;
  gint64 vase, entry;
  GtkWidget *page, *row, *header;
  OmniDriftView *view;
  g_autoptr(GPtrArray) claimed = NULL;

  add_channel (f, "http://127.0.0.1:9/", NULL);
  /* a title is text, not markup: shown as written */
  vase = add_variant (f, "Vase & Jug <L>", "VASE-1", 5);
  link_variant (f, f->variant, VARIANT_GID, ITEM_GID);
  link_variant (f, vase, "gid://shopify/ProductVariant/2", "gid://shopify/InventoryItem/2");
  g_assert_true (omni_store_mark_channel_synced (f->store, f->channel, &error));
  /* The channel shows 7 of the iPod (10 here), 3 of the vase (5 here),
   * and a push of the vase met a change made there: a conflict. */
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->variant, LOCATION_GID, 7,
                                              &error));
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, vase, LOCATION_GID, 3, &error));
  entry = omni_store_enqueue_push (f->store, f->channel, vase, f->shop, &error);
  claimed = omni_store_claim_outbox (f->store, f->channel, 10, 0, G_USEC_PER_SEC, &error);
  g_assert_true (omni_store_conflict_outbox (f->store, entry, "changed there", 3, &error));
  g_assert_no_error (error);
  conflicts_id = g_strdup_printf ("channel-conflicts-%" G_GINT64_FORMAT, f->channel);

  open_window (f);
  omni_window_set_visible_page (f->window, "channels");
  page = omni_window_get_page (f->window, "channels");
  wait_for (drift_shown (page, "IPOD2008PINK · IPod Nano - 8GB · Shop Floor") &&
            drift_shown (page, "VASE-1 · Vase & Jug <L> · Shop Floor"));
  header = find_row (page, "Fern");
  g_assert_nonnull (header);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (header)),
                                   "Shopify: "));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (header)), " s ago · 2 quantities differ"));
  row = find_row (page, "VASE-1 · Vase & Jug <L> · Shop Floor");
  g_assert_true (shows_label (row, "VASE-1 · Vase & Jug <L> · Shop Floor"));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                            "Shopify shows 3, OmniStock expects 5"));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "decision"));
  /* The explanation: the level seen, the receipt since, the conflict. */
  g_assert_nonnull (find_row (row, "On the channel"));
  /* One notification for the conflict, not one per reload. */
  g_assert_cmpuint (count_ids (sent, conflicts_id), ==, 1);
  view = OMNI_DRIFT_VIEW (gtk_widget_get_ancestor (row, OMNI_TYPE_DRIFT_VIEW));
  omni_context_store_changed (f->context);
  wait_for (!omni_drift_view_is_loading (view));
  g_assert_cmpuint (count_ids (sent, conflicts_id), ==, 1);

  /* Accept Remote: one movement, the iPod has the channel's 7. */
  click (find_button (find_row (page, "IPOD2008PINK · IPod Nano - 8GB · Shop Floor"),
                      "_Accept Remote"));
  wait_for (omni_store_get_available_at (f->store, f->variant, f->shop) == 7);
  wait_for (!drift_shown (page, "IPOD2008PINK · IPod Nano - 8GB · Shop Floor"));
  g_assert_cmpuint (outbox_count (f, f->variant, "pending"), ==, 0);

  /* Push Local: the conflict is settled, one push of 5 queued, and the
   * notification withdrawn. */
  row = find_row (page, "VASE-1 · Vase & Jug <L> · Shop Floor");
  g_assert_nonnull (row);
  click (find_button (row, "_Push Local"));
  wait_for (outbox_count (f, vase, "conflict") == 0);
  g_assert_cmpint (omni_store_get_available_at (f->store, vase, f->shop), ==, 5);
  g_assert_cmpuint (outbox_count (f, vase, "pending") + outbox_count (f, vase, "failed"), ==, 1);
  wait_for (count_ids (withdrawn, conflicts_id) == 1);
  g_assert_cmpuint (count_ids (sent, conflicts_id), ==, 1);

  /* The push syncs at once. This channel has no credential in the
   * keyring, so that sync stops there and says so; waited for, as a sync
   * still running would notify into the next test. */
  if (have_keyring)
    {
      g_autofree char *auth_id = g_strdup_printf ("channel-auth-%" G_GINT64_FORMAT, f->channel);

      wait_for (count_ids (sent, auth_id) == 1);
    }
}

/* Notifications -------------------------------------------------------------- */

static gboolean
row_idle (GtkWidget *page)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (page, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (rows->pdata[i]);

      if (subtitle != NULL && strstr (subtitle, "Syncing") != NULL)
        return FALSE;
    }
  return TRUE;
}

static void
sync_and_wait (GtkWidget *page,
               guint      expect_requests,
               MockShopify *mock)
{
  click (find_button (page, "_Sync Now"));
  wait_for (mock_shopify_get_stats (mock)->requests >= expect_requests && row_idle (page) &&
            gtk_widget_is_sensitive (find_button (page, "_Sync Now")));
}

static void
test_repeated_failures (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = g_strdup_printf ("shpat_RT%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *errors_id = NULL;
  g_autofree char *sent_ids = NULL;
  GtkWidget *page, *activity;
  MockShopify *mock;
  guint requests;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }

  mock = mock_shopify_new ();
  mock_shopify_add_location (mock, "Shop Floor");
  mock_shopify_add_token (mock, token);
  add_channel (f, mock_shopify_get_url (mock), token);
  errors_id = g_strdup_printf ("channel-errors-%" G_GINT64_FORMAT, f->channel);

  open_window (f);
  omni_window_set_visible_page (f->window, "channels");
  page = omni_window_get_page (f->window, "channels");
  wait_for (find_row (page, "Fern (Shopify)") != NULL);

  /* Three identical failures: one notification, with the full message. */
  mock_shopify_fail_next (mock, 404, 1000, 0);
  for (guint i = 1; i <= 3; i++)
    {
      requests = mock_shopify_get_stats (mock)->requests;
      sync_and_wait (page, requests + 1, mock);
      g_assert_cmpuint (count_ids (sent, errors_id), ==, i < 3 ? 0 : 1);
    }
  /* A fourth adds nothing. */
  requests = mock_shopify_get_stats (mock)->requests;
  sync_and_wait (page, requests + 1, mock);
  g_ptr_array_add (sent, NULL);
  sent_ids = g_strjoinv (" ", (char **)sent->pdata);
  g_ptr_array_remove_index (sent, sent->len - 1);
  g_assert_cmpstr (sent_ids, ==, errors_id);
  g_assert_true (omni_notifier_is_raised (errors_id));

  /* The activity list holds the failures in full. */
  wait_for ((activity = find_row (page, "Activity of Fern")) != NULL &&
            gtk_widget_is_sensitive (activity));

  /* Resolved: withdrawn once; a later failure would raise it anew. */
  mock_shopify_fail_next (mock, 0, 0, 0);
  requests = mock_shopify_get_stats (mock)->requests;
  sync_and_wait (page, requests + 1, mock);
  wait_for (count_ids (withdrawn, errors_id) == 1);
  g_assert_false (omni_notifier_is_raised (errors_id));

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  mock_shopify_free (mock);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the keyring cases: %s", error->message);
  g_clear_error (&error);
  sent = g_ptr_array_new_with_free_func (g_free);
  withdrawn = g_ptr_array_new_with_free_func (g_free);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/omni/realtime/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("receiver-switch", test_receiver_switch);
  ADD ("drift-fixes", test_drift_fixes);
  ADD ("repeated-failures", test_repeated_failures);
#undef ADD

  status = g_test_run ();
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  secret_service_disconnect ();
  g_ptr_array_unref (sent);
  g_ptr_array_unref (withdrawn);
  return status;
}
