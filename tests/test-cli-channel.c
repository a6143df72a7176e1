/* test-cli-channel.c: omnistock-cli channel, sync and outbox commands
 * against the in-process Shopify mock, with the real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-connector.h"
#include "omni-secret.h"
#include "omni-store-channel.h"

static gboolean have_keyring;

typedef struct
{
  char        *dir;
  char        *db;
  char        *account;
  char        *token;
  MockShopify *mock;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
  gboolean done;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());

  if (!have_keyring)
    return;
  f->dir = g_dir_make_tmp ("omni-cli-channel-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "shop.db", NULL);
  f->account = g_strdup_printf ("cli-%s.myshopify.com", suffix);
  f->token = g_strdup_printf ("shpat_CLI%s%08x", suffix, g_random_int ());
  f->mock = mock_shopify_new ();
  mock_shopify_add_location (f->mock, "Shop Floor");
  mock_shopify_add_token (f->mock, f->token);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (!have_keyring)
    return;
  omni_secret_clear ("shopify", f->account, NULL, NULL);
  mock_shopify_free (f->mock);
  wal = g_strconcat (f->db, "-wal", NULL);
  shm = g_strconcat (f->db, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->db);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
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

/* Runs omnistock-cli with @input on stdin while this thread serves the
 * mock. */
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
  g_ptr_array_add (argv, f->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  r->done = FALSE;
  g_subprocess_communicate_utf8_async (process, input ? input : "", NULL, on_communicated, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

#define CLI(f, input, r, ...) \
  run_cli ((f), (input), (r), (const char * const[]) { __VA_ARGS__, NULL })

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static void
expect (const Result *r,
        int           status)
{
  if (r->status != status)
    g_test_message ("stdout: %s\nstderr: %s", r->out, r->err);
  g_assert_cmpint (r->status, ==, status);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0, n = strlen (needle);

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
add_channel (Fixture *f)
{
  g_auto(Result) r = { 0 };
  g_autofree char *input = g_strconcat (f->token, "\n", NULL);

  CLI (f, input, &r, "channel", "add", "shopify", "--shop", f->account,
       "--api-url", mock_shopify_get_url (f->mock));
  expect (&r, 0);
}

static void
test_add_list_remove (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Result) add = { 0 };
  g_auto(Result) list = { 0 };
  g_auto(Result) removed = { 0 };
  g_auto(Result) empty = { 0 };
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) channels = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *wal = NULL;
  JsonObject *object;
  JsonArray *locations;
  char *secret;

  REQUIRE_KEYRING ();

  input = g_strconcat (f->token, "\n", NULL);
  CLI (f, input, &add, "--json", "channel", "add", "shopify", "--shop", f->account,
       "--api-url", mock_shopify_get_url (f->mock));
  expect (&add, 0);
  added = parse (add.out);
  object = json_node_get_object (added);
  g_assert_cmpstr (json_object_get_string_member (object, "shop_name"), ==, "Fernwood Goods");
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, f->account);
  locations = json_object_get_array_member (object, "locations");
  g_assert_cmpuint (json_array_get_length (locations), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (locations, 0), ==, "Shop Floor");

  /* Kept in the keyring, nowhere in the database or the output. */
  secret = omni_secret_lookup ("shopify", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, f->token);
  omni_secret_free (secret);
  g_assert_null (strstr (add.out, f->token));
  g_assert_null (strstr (add.err, f->token));
  wal = g_strconcat (f->db, "-wal", NULL);
  g_assert_false (file_contains (f->db, f->token));
  g_assert_false (file_contains (wal, f->token));

  CLI (f, NULL, &list, "channel", "list", "--json");
  expect (&list, 0);
  channels = parse (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (channels)), ==, 1);
  object = json_array_get_object_element (json_node_get_array (channels), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, f->account);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "connected");
  g_assert_cmpint (json_object_get_int_member (object, "pending_pushes"), ==, 0);

  CLI (f, NULL, &removed, "channel", "remove", f->account);
  expect (&removed, 0);
  g_assert_null (omni_secret_lookup ("shopify", f->account, NULL, &error));
  g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);

  CLI (f, NULL, &empty, "channel", "list", "--json");
  expect (&empty, 0);
  g_assert_cmpstr (g_strstrip (empty.out), ==, "[]");
}

static void
test_add_refused (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Result) wrong = { 0 };
  g_auto(Result) domain = { 0 };
  g_auto(Result) no_stdin = { 0 };
  g_auto(Result) list = { 0 };
  g_auto(Result) again = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;

  REQUIRE_KEYRING ();

  /* A token Shopify refuses: nothing kept anywhere, exit 4. */
  CLI (f, "shpat_wrong_token\n", &wrong, "channel", "add", "shopify", "--shop", f->account,
       "--api-url", mock_shopify_get_url (f->mock));
  expect (&wrong, 4);
  g_assert_nonnull (strstr (wrong.err, "refused the access token"));
  g_assert_null (strstr (wrong.err, "shpat_wrong_token"));
  g_assert_null (omni_secret_lookup ("shopify", f->account, NULL, &error));
  g_clear_error (&error);
  CLI (f, NULL, &list, "channel", "list", "--json");
  g_assert_cmpstr (g_strstrip (list.out), ==, "[]");

  CLI (f, "x\n", &domain, "channel", "add", "shopify", "--shop", "fern.example.com");
  expect (&domain, 2);
  g_assert_nonnull (strstr (domain.err, "myshopify.com"));

  CLI (f, "", &no_stdin, "channel", "add", "shopify", "--shop", f->account,
       "--api-url", mock_shopify_get_url (f->mock));
  expect (&no_stdin, 1);
  g_assert_nonnull (strstr (no_stdin.err, "stdin"));

  add_channel (f);
  input = g_strconcat (f->token, "\n", NULL);
  CLI (f, input, &again, "channel", "add", "shopify", "--shop", f->account,
       "--api-url", mock_shopify_get_url (f->mock));
  expect (&again, 3);
}

static void
test_sync_and_push (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Result) sync = { 0 };
  g_auto(Result) adjust = { 0 };
  g_auto(Result) outbox = { 0 };
  g_auto(Result) push = { 0 };
  g_auto(Result) drained = { 0 };
  g_auto(Result) revoked = { 0 };
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gint64 shop, ids[3];

  REQUIRE_KEYRING ();

  store = omni_store_open (f->db, &error);
  g_assert_no_error (error);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *sku = g_strdup_printf ("CLI-%u", i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = { .sku = sku, .compare_at_price = -1, .cost = -1,
                                        .reorder_point = -1, .reorder_qty = -1 };

      g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &ids[i], &error), >, 0);
      mock_shopify_add_variant (f->mock, sku, NULL, 10 * (i + 1));
    }
  g_assert_no_error (error);
  add_channel (f);

  CLI (f, NULL, &sync, "--json", "sync", f->account);
  expect (&sync, 0);
  summary = parse (sync.out);
  object = json_array_get_object_element (json_node_get_array (summary), 0);
  g_assert_cmpint (json_object_get_int_member (object, "linked"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "unmatched"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "pushed"), ==, 0);
  /* Without --due no full comparison runs. */
  g_assert_false (json_object_get_boolean_member (object, "reconciled"));
  g_assert_true (json_object_get_null_member (object, "drifts"));
  g_assert_cmpint (omni_store_get_available_at (store, ids[2], shop), ==, 30);

  CLI (f, NULL, &adjust, "adjust", "CLI-1", "-5");
  expect (&adjust, 0);
  CLI (f, NULL, &outbox, "--json", "outbox", "list");
  expect (&outbox, 0);
  pending = parse (outbox.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (pending)), ==, 1);
  object = json_array_get_object_element (json_node_get_array (pending), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "sku"), ==, "CLI-1");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");

  CLI (f, NULL, &push, "sync", "--push", "--channel", f->account);
  expect (&push, 0);
  g_assert_nonnull (strstr (push.out, "1 quantities pushed"));
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 1, 0), ==, 15);
  CLI (f, NULL, &drained, "outbox", "list");
  expect (&drained, 0);
  g_assert_nonnull (strstr (drained.out, "Nothing waiting"));

  /* A revoked token: exit 4, a sentence, no token. */
  mock_shopify_revoke_tokens (f->mock);
  CLI (f, NULL, &revoked, "sync", f->account);
  expect (&revoked, 4);
  g_assert_nonnull (strstr (revoked.err, "re-authenticate"));
  g_assert_null (strstr (revoked.err, f->token));
}

/* Moves the channel's last sync a day back, as if the scheduler had not run
 * since: the channel is due again (its full comparison already is, once a
 * day, from the sync log). */
static void
age_last_sync (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE channels SET last_sync_at = ?1", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, "2000-01-01T00:00:00Z", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static JsonObject *
only_channel (JsonNode *summary)
{
  g_assert_true (JSON_NODE_HOLDS_ARRAY (summary));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (summary)), ==, 1);
  return json_array_get_object_element (json_node_get_array (summary), 0);
}

/* `sync --due` compares a channel in full once a day, before it syncs, and
 * says so: "reconciled" and the number of variants that differed. */
static void
test_due_reconciles (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Result) first = { 0 };
  g_auto(Result) due = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) plain = { 0 };
  g_autoptr(JsonNode) first_summary = NULL;
  g_autoptr(JsonNode) due_summary = NULL;
  g_autoptr(JsonNode) again_summary = NULL;
  g_autoptr(JsonNode) plain_summary = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  REQUIRE_KEYRING ();

  store = omni_store_open (f->db, &error);
  g_assert_no_error (error);
  omni_store_add_location (store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *sku = g_strdup_printf ("DUE-%u", i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = { .sku = sku, .compare_at_price = -1, .cost = -1,
                                        .reorder_point = -1, .reorder_qty = -1 };
      gint64 id;

      g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error), >, 0);
      mock_shopify_add_variant (f->mock, sku, NULL, 4);
    }
  add_channel (f);
  g_clear_object (&store);

  /* Links and levels first; then Shopify's count of DUE-1 changes behind
   * our back. */
  CLI (f, NULL, &first, "--json", "sync", f->account);
  expect (&first, 0);
  first_summary = parse (first.out);
  g_assert_cmpint (json_object_get_int_member (only_channel (first_summary), "linked"), ==, 2);
  mock_shopify_set_quantity (f->mock, 1, 0, 9);
  age_last_sync (f);

  CLI (f, NULL, &due, "--json", "sync", "--due");
  expect (&due, 0);
  due_summary = parse (due.out);
  object = only_channel (due_summary);
  g_assert_null (json_object_get_string_member (object, "skipped"));
  g_assert_true (json_object_get_boolean_member (object, "reconciled"));
  g_assert_cmpint (json_object_get_int_member (object, "drifts"), ==, 1);

  /* Synced a moment ago and compared today: neither runs again. */
  CLI (f, NULL, &again, "--json", "sync", "--due");
  expect (&again, 0);
  again_summary = parse (again.out);
  object = only_channel (again_summary);
  g_assert_cmpstr (json_object_get_string_member (object, "skipped"), ==, "not due");
  g_assert_false (json_object_get_boolean_member (object, "reconciled"));
  g_assert_true (json_object_get_null_member (object, "drifts"));

  /* Due again a day later, but the comparison waits for tomorrow. */
  age_last_sync (f);
  CLI (f, NULL, &plain, "sync", "--due");
  expect (&plain, 0);
  g_assert_null (strstr (plain.out, "full comparison"));
}

static void
test_client_credentials (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(Result) add = { 0 };
  g_auto(Result) sync = { 0 };
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GError) error = NULL;

  REQUIRE_KEYRING ();

  mock_shopify_revoke_tokens (f->mock);
  mock_shopify_set_client (f->mock, "dev-app-1", "client-secret-value-123");
  CLI (f, "client-secret-value-123\n", &add, "channel", "add", "shopify", "--shop", f->account,
       "--client-id", "dev-app-1", "--api-url", mock_shopify_get_url (f->mock));
  expect (&add, 0);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->token_exchanges, ==, 1);

  CLI (f, NULL, &sync, "sync");
  expect (&sync, 0);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->token_exchanges, ==, 2);

  store = omni_store_open (f->db, &error);
  channel = omni_store_get_channel (store, omni_store_find_channel (store, f->account, NULL), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (channel->settings, "dev-app-1"));
  g_assert_null (strstr (channel->settings, "client-secret-value-123"));
  g_assert_false (file_contains (f->db, "client-secret-value-123"));
}

/* channel reauth: refused credentials change nothing; working ones replace
 * the keyring secret, reconnect the channel, and it syncs again. */
static void
test_reauth (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Result) add = { 0 };
  g_auto(Result) revoked = { 0 };
  g_auto(Result) wrong = { 0 };
  g_auto(Result) empty = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) reauth = { 0 };
  g_auto(Result) sync = { 0 };
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *input = g_strconcat (f->token, "\n", NULL);
  g_autofree char *fresh = g_strdup_printf ("shpat_NEW%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *fresh_input = g_strconcat (fresh, "\n", NULL);
  OmniChannel *channel;
  char *secret;
  gint64 id;

  REQUIRE_KEYRING ();

  CLI (f, input, &add, "channel", "add", "shopify", "--shop", f->account,
       "--api-url", mock_shopify_get_url (f->mock));
  expect (&add, 0);
  store = omni_store_open (f->db, &error);
  g_assert_no_error (error);
  id = omni_store_find_channel (store, f->account, NULL);
  g_assert_cmpint (id, >, 0);

  mock_shopify_revoke_tokens (f->mock);
  CLI (f, NULL, &revoked, "sync", f->account);
  expect (&revoked, 4);
  channel = omni_store_get_channel (store, id, &error);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  omni_channel_free (channel);

  /* A token Shopify refuses: exit 4, state and secret unchanged. */
  CLI (f, "shpat_wrong_token_123\n", &wrong, "channel", "reauth", f->account);
  expect (&wrong, 4);
  g_assert_null (strstr (wrong.err, "shpat_wrong_token_123"));
  channel = omni_store_get_channel (store, id, &error);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  omni_channel_free (channel);
  secret = omni_secret_lookup ("shopify", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, f->token);
  omni_secret_free (secret);

  /* Nothing on stdin, an unknown channel. */
  CLI (f, "", &empty, "channel", "reauth", f->account);
  expect (&empty, 1);
  g_assert_nonnull (strstr (empty.err, "stdin"));
  CLI (f, fresh_input, &unknown, "channel", "reauth", "nowhere.myshopify.com");
  expect (&unknown, 3);

  /* The new token works: replaced, connected, and the sync runs. */
  mock_shopify_add_token (f->mock, fresh);
  CLI (f, fresh_input, &reauth, "--json", "channel", "reauth", f->account);
  expect (&reauth, 0);
  answer = parse (reauth.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "state"), ==,
                   "connected");
  secret = omni_secret_lookup ("shopify", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, fresh);
  omni_secret_free (secret);
  channel = omni_store_get_channel (store, id, &error);
  g_assert_cmpstr (channel->state, ==, "connected");
  g_assert_null (channel->last_error);
  omni_channel_free (channel);
  g_assert_false (file_contains (f->db, fresh));

  CLI (f, NULL, &sync, "sync", f->account);
  expect (&sync, 0);
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
    g_test_message ("Skipping: %s", error->message);

#define ADD(name, func) \
  g_test_add ("/omni/cli/channel/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add-list-remove", test_add_list_remove);
  ADD ("add-refused", test_add_refused);
  ADD ("sync-and-push", test_sync_and_push);
  ADD ("client-credentials", test_client_credentials);
  ADD ("reauth", test_reauth);
  ADD ("due-reconciles", test_due_reconciles);

  status = g_test_run ();
  /* libsecret keeps its Secret Service proxy for the process. */
  secret_service_disconnect ();
  return status;
}
