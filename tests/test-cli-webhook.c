/* test-cli-webhook.c: `omnistock-cli webhook serve|status|secret`, with the
 * receiver started as a separate process on a free port and a signed real
 * Shopify payload posted to it (the keyring cases skip without a Secret
 * Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-webhook-server.h"

#define SECRET "cli-webhook-secret-value"
#define VARIANT_GID "gid://shopify/ProductVariant/808950810"
#define ITEM_GID "gid://shopify/InventoryItem/271878346596884015"
#define LOCATION_GID "gid://shopify/Location/24826418"

static gboolean have_keyring;

typedef struct
{
  char   *dir;
  char   *path;
  char   *account;
  gint64  shop;
  gint64  variant;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-warnings,gc-friendly", TRUE);
  return launcher;
}

/* A receiver left behind by a failed assertion stops with the test. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GPtrArray *
cli_argv (Fixture            *f,
          const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *cli = g_getenv ("OMNISTOCK_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer)cli);
  g_ptr_array_add (argv, (gpointer)"--db");
  g_ptr_array_add (argv, f->path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
run_cli_input (Fixture            *f,
               const char         *input,
               Result             *r,
               const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = cli_argv (f, args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input ? input : "", NULL,
                                                &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (process);
}

#define CLI(f, input, r, ...) \
  run_cli_input ((f), (input), (r), (const char * const[]) { __VA_ARGS__, NULL })

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "IPod Nano - 8GB" };
  const OmniVariantSpec variant = {
    .sku = "IPOD2008PINK", .price = 19900, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  OmniMovementSpec received = { .on_hand_delta = 5, .reason = OMNI_REASON_RECEIVED, .source = "app" };
  OmniChannelLinkSpec link = {
    .remote_variant_id = VARIANT_GID, .remote_inventory_id = ITEM_GID,
    .remote_sku = "IPOD2008PINK", .linked_by = "sku",
  };
  gint64 channel;

  f->dir = g_dir_make_tmp ("omni-cli-webhook-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->account = g_strdup_printf ("cli-%08x.myshopify.com", g_random_int ());
  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &f->variant, &error), >, 0);
  received.variant_id = f->variant;
  received.location_id = f->shop;
  g_assert_true (omni_store_record_movements (store, &received, 1, &error));
  channel = omni_store_add_channel (store, "shopify", "Fern", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_upsert_channel_location (store, channel, LOCATION_GID, "Shop Floor",
                                                     TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (store, channel, LOCATION_GID, f->shop, &error));
  link.channel_id = channel;
  link.variant_id = f->variant;
  g_assert_true (omni_store_link_variant (store, &link, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  if (have_keyring)
    omni_secret_clear (OMNI_WEBHOOK_SECRET_PLATFORM, f->account, NULL, NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->account);
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

static guint
post (SoupSession *session,
      const char  *url,
      const char  *shop,
      const char  *event_id,
      const char  *body,
      const char  *secret)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hmac = omni_webhook_sign (secret, (const guint8 *)body, strlen (body));
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "X-Shopify-Hmac-Sha256", hmac);
  soup_message_headers_replace (headers, "X-Shopify-Shop-Domain", shop);
  soup_message_headers_replace (headers, "X-Shopify-Topic", "orders/create");
  soup_message_headers_replace (headers, "X-Shopify-Event-Id", event_id);
  request = g_bytes_new_static (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static gint64
status_member (Fixture    *f,
               const char *member)
{
  g_auto(Result) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();

  CLI (f, NULL, &r, "--json", "webhook", "status");
  g_assert_cmpint (r.status, ==, 0);
  return json_object_get_int_member (parse_object (parser, r.out), member);
}

static void
test_secret_and_serve (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Result) stored = { 0 };
  g_auto(Result) empty = { 0 };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonParser) order_parser = json_parser_new ();
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *fixture_path = NULL;
  g_autofree char *fixture = NULL;
  g_autofree char *order = NULL;
  char *lookup = NULL;
  JsonObject *ready;
  const char *url;
  gint64 applied = 0;

  REQUIRE_KEYRING ();

  /* The secret comes on stdin only. */
  CLI (f, "", &empty, "webhook", "secret", "Fern");
  g_assert_cmpint (empty.status, ==, 1);
  g_assert_nonnull (strstr (empty.err, "stdin"));
  CLI (f, SECRET "\n", &stored, "webhook", "secret", "Fern");
  if (stored.status != 0)
    g_test_message ("webhook secret: %s", stored.err);
  g_assert_cmpint (stored.status, ==, 0);
  g_assert_null (strstr (stored.out, SECRET));
  lookup = omni_secret_lookup (OMNI_WEBHOOK_SECRET_PLATFORM, f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup, ==, SECRET);
  omni_secret_free (lookup);

  /* Serve on a free port; the first line says where. */
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  argv = cli_argv (f, (const char * const[]) { "--json", "webhook", "serve", "--port", "0", NULL });
  server = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  ready = parse_object (parser, line);
  url = json_object_get_string_member (ready, "url");
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/webhooks/shopify"));
  g_assert_cmpint (json_object_get_int_member (ready, "port"), >, 0);
  g_assert_cmpint (json_object_get_int_member (ready, "channels_with_secret"), ==, 1);

  /* A real orders/create payload (made current: not cancelled), signed. */
  fixture_path = g_test_build_filename (G_TEST_DIST, "fixtures", "real", "shopify",
                                        "webhook_2025-01_orders_create.json", NULL);
  g_assert_true (g_file_get_contents (fixture_path, &fixture, NULL, NULL));
  g_assert_true (json_parser_load_from_data (order_parser, fixture, -1, NULL));
  json_object_set_null_member (json_node_get_object (json_parser_get_root (order_parser)),
                               "cancelled_at");
  order = json_to_string (json_parser_get_root (order_parser), FALSE);

  g_assert_cmpuint (post (session, url, f->account, "cli-1", order, SECRET), ==, 200);
  g_assert_cmpuint (post (session, url, f->account, "cli-1", order, SECRET), ==, 200);
  g_assert_cmpuint (post (session, url, f->account, "cli-2", order, "wrong"), ==, 401);

  for (guint i = 0; i < 1200 && applied < 1; i++)
    {
      applied = status_member (f, "applied");
      if (applied < 1)
        g_usleep (50000);
    }
  if (applied != 1)
    {
      /* What the receiver made of the deliveries, for whoever reads the log:
       * its counts, and whether its worker got as far as applying one (each
       * try leaves a line in the sync log). */
      g_auto(Result) status = { 0 };
      g_autoptr(OmniStore) reader = omni_store_open (f->path, NULL);
      g_autoptr(GPtrArray) log = reader ? omni_store_list_sync_log (reader, 0, 20, NULL) : NULL;

      CLI (f, NULL, &status, "--json", "webhook", "status");
      g_test_message ("webhook status: %s %s", status.out, status.err);
      for (guint i = 0; log != NULL && i < log->len; i++)
        {
          const OmniSyncLogEntry *entry = log->pdata[i];

          g_test_message ("sync log: %s %s %s %s", entry->at, entry->direction, entry->status,
                          entry->message ? entry->message : "");
        }
    }
  g_assert_cmpint (applied, ==, 1);

  /* Close the kept-alive connection first, as Shopify does after each
   * delivery, then stop the receiver. */
  g_clear_object (&session);
  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);

  g_assert_cmpint (status_member (f, "received"), ==, 1);
  g_assert_cmpint (status_member (f, "duplicates"), ==, 1);
  g_assert_cmpint (status_member (f, "rejected"), ==, 1);
  g_assert_cmpint (status_member (f, "queued"), ==, 0);

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_available_at (store, f->variant, f->shop), ==, 3);
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Result) bad_bind = { 0 };
  g_auto(Result) bad_port = { 0 };
  g_auto(Result) no_channel = { 0 };
  g_auto(Result) status = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  CLI (f, NULL, &bad_bind, "webhook", "serve", "--bind", "localhost:80", "--port", "0");
  g_assert_cmpint (bad_bind.status, ==, 1);
  g_assert_nonnull (strstr (bad_bind.err, "not an IP address"));
  CLI (f, NULL, &bad_port, "webhook", "serve", "--port", "70000");
  g_assert_cmpint (bad_port.status, ==, 1);
  CLI (f, NULL, &no_channel, "webhook", "serve", "--channel", "Nowhere", "--port", "0");
  g_assert_cmpint (no_channel.status, ==, 3);

  /* Nothing received yet. */
  CLI (f, NULL, &status, "--json", "webhook", "status");
  g_assert_cmpint (status.status, ==, 0);
  object = parse_object (parser, status.out);
  g_assert_cmpint (json_object_get_int_member (object, "received"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "rejected"), ==, 0);
  g_assert_true (json_object_get_null_member (object, "last_received_at"));
}

static void
test_no_secret_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(Result) r = { 0 };

  REQUIRE_KEYRING ();
  /* Without a signing secret every delivery would be refused: not served. */
  CLI (f, NULL, &r, "webhook", "serve", "--port", "0");
  g_assert_cmpint (r.status, ==, 4);
  g_assert_nonnull (strstr (r.err, "webhook secret"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the keyring cases: %s", error->message);

#define ADD(name, func) \
  g_test_add ("/omni/cli/webhook/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("secret-and-serve", test_secret_and_serve);
  ADD ("usage-errors", test_usage_errors);
  ADD ("no-secret", test_no_secret_refused);
#undef ADD

  return g_test_run ();
}
