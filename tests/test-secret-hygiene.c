/* test-secret-hygiene.c: credentials never leave the keyring
 *
 * Every channel kind is connected through omnistock-cli with a
 * recognisable credential (and a webhook signing secret), then synced,
 * made to fail (HTTP 500, an answer that is not JSON, a revoked token),
 * sent webhooks (signed and forged), exported (CSV, report, backup). None
 * of the secrets may then appear in the database, its -wal and -shm files
 * (read while a connection keeps them), the GSettings keyfile (the
 * keyfile backend, in a private directory), the log (a writer function
 * here, stdout and stderr of every command) or any exported file.
 *
 * The channel kinds are rows of a table, one per platform and way of
 * signing in (Shopify with an access token and with a client secret,
 * Amazon's Login with Amazon credentials, eBay's OAuth credentials), each
 * served by its platform's mock; the access tokens the mocks issued are
 * searched for as well.
 *
 * Needs a Secret Service on the session bus (build-aux/run-tests.sh starts
 * one); without it the case is skipped with a message saying so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "mock-amazon.h"
#include "mock-ebay.h"
#include "mock-shopify.h"
#include "omni-connector.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-webhook-server.h"

static GString *captured_logs;
static gboolean have_keyring;
static char *config_home;

typedef enum
{
  PLATFORM_SHOPIFY,
  PLATFORM_AMAZON,
  PLATFORM_EBAY,
} Platform;

#define AMAZON_SELLER      "A2HYGIENESELLER"
#define AMAZON_MARKETPLACE "A1F83G8C2ARO7P"

/**
 * Row:
 * @name: the channel kind, also the channel's name
 * @platform: which mock serves it
 * @add: the arguments after `channel add`; "@SHOP" and "@URL" are replaced
 *   by the shop domain and the mock server's address
 * @client_id: for Shopify, the client ID the mock expects for the
 *   client-credentials grant (the secret is then the client secret), or
 *   %NULL (an access token); for Amazon and eBay, the OAuth client ID
 *
 * One channel kind. Shopify's credential on stdin is the secret itself;
 * Amazon's and eBay's are a JSON object with a client secret and a refresh
 * token, both secrets.
 */
typedef struct
{
  const char *name;
  Platform    platform;
  const char *add[12];
  const char *client_id;
} Row;

static const Row rows[] = {
  { "shopify-token", PLATFORM_SHOPIFY,
    { "shopify", "--shop", "@SHOP", "--api-url", "@URL", "--name", "shopify-token" }, NULL },
  { "shopify-client", PLATFORM_SHOPIFY,
    { "shopify", "--shop", "@SHOP", "--api-url", "@URL", "--client-id", "hygiene-client" },
    "hygiene-client" },
  { "amazon", PLATFORM_AMAZON,
    { "amazon", "--name", "amazon", "--seller", AMAZON_SELLER, "--region", "eu",
      "--marketplace", AMAZON_MARKETPLACE, "--api-url", "@URL" },
    "amzn1.application-oa2-client.hygiene" },
  { "ebay", PLATFORM_EBAY,
    { "ebay", "--name", "ebay", "--marketplace", "EBAY_GB", "--api-url", "@URL" },
    "Hygiene-OmniStoc-PRD-0123456789-abcdef" },
};

typedef struct
{
  char        *dir;
  char        *db;
  MockShopify *mock;
  MockAmazon  *amazon;
  MockEbay    *ebay;
  GString     *output;     /* every command's stdout and stderr */
  GPtrArray   *secrets;    /* what must appear nowhere */
  GPtrArray   *files;      /* exported files */
  GHashTable  *hook_secrets; /* shop domain → webhook signing secret */
  guint        wal_scans;  /* -wal files searched, one after each command */
} Hygiene;

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  gboolean  done;
} Result;

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
on_communicated (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Result *r = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), res,
                                                       &r->out, &r->err, &error));
  g_assert_no_error (error);
  /* A crash is a failure like any other: 128 + the signal, as a shell says. */
  r->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
              ? g_subprocess_get_exit_status (G_SUBPROCESS (source))
              : 128 + g_subprocess_get_term_sig (G_SUBPROCESS (source));
  r->done = TRUE;
}

static gboolean assert_file_clean (Hygiene    *h,
                                   const char *path);

/* Runs omnistock-cli (this thread serving the mock meanwhile); returns its
 * exit status, keeping its output for the search. */
static int
cli (Hygiene            *h,
     const char         *input,
     const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_ptr_array_add (argv, (gpointer)g_getenv ("OMNISTOCK_CLI"));
  g_ptr_array_add (argv, (gpointer)"--db");
  g_ptr_array_add (argv, h->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input ? input : "", NULL, on_communicated, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_string_append_printf (h->output, "$ %s\n%s%s", args[0], r.out ? r.out : "", r.err ? r.err : "");
  g_test_message ("omnistock-cli %s: exit %d%s%s", args[0], r.status, r.err && *r.err ? ": " : "",
                  r.err ? r.err : "");
  g_free (r.out);
  g_free (r.err);

  /* The write-ahead log holds recent pages until a checkpoint: search it
   * after every command, while it is there. */
  if (h->secrets != NULL)
    {
      g_autofree char *wal = g_strconcat (h->db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (h->db, "-shm", NULL);

      h->wal_scans += assert_file_clean (h, wal);
      assert_file_clean (h, shm);
    }
  return r.status;
}

#define CLI(h, input, ...) cli ((h), (input), (const char * const[]) { __VA_ARGS__, NULL })

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

/* Fails naming the place when any secret is in @len bytes of @data. */
static void
assert_clean (Hygiene    *h,
              const char *where,
              const char *data,
              gsize       len)
{
  for (guint i = 0; i < h->secrets->len; i++)
    if (bytes_contain (data, len, h->secrets->pdata[i]))
      g_error ("A credential (%s…) appears in %s", (const char *)h->secrets->pdata[i], where);
}

static gboolean
assert_file_clean (Hygiene    *h,
                   const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  assert_clean (h, path, data, len);
  return TRUE;
}

static char *
new_secret (const Row  *row,
            const char *what)
{
  return g_strdup_printf ("HYGIENE_%s_%s_%08x%08x", row->name, what, g_random_int (), g_random_int ());
}

/* Amazon's and eBay's credential: a JSON object on stdin. */
static char *
oauth_credential (const Row  *row,
                  const char *client_secret,
                  const char *refresh_token)
{
  return g_strdup_printf ("{\"client_id\":\"%s\",\"client_secret\":\"%s\","
                          "\"refresh_token\":\"%s\"}",
                          row->client_id, client_secret, refresh_token);
}

static void
connect_row (Hygiene    *h,
             const Row  *row,
             guint       index)
{
  g_autofree char *shop = g_strdup_printf ("hygiene-%u-%08x.myshopify.com", index, g_random_int ());
  g_autofree char *secret = new_secret (row, "SECRET");
  g_autofree char *refresh = NULL;
  g_autofree char *input = NULL;
  const char *url = NULL;
  const char *args[16] = { "channel", "add", NULL };
  guint n = 2;

  switch (row->platform)
    {
    case PLATFORM_SHOPIFY:
      url = mock_shopify_get_url (h->mock);
      if (row->client_id != NULL)
        mock_shopify_set_client (h->mock, row->client_id, secret);
      else
        mock_shopify_add_token (h->mock, secret);
      input = g_strdup_printf ("%s\n", secret);
      break;
    case PLATFORM_AMAZON:
      url = mock_amazon_get_url (h->amazon);
      {
        g_autofree char *token = new_secret (row, "REFRESH");

        refresh = g_strconcat ("Atzr|", token, NULL);
      }
      mock_amazon_set_client (h->amazon, row->client_id, secret, refresh);
      input = oauth_credential (row, secret, refresh);
      break;
    case PLATFORM_EBAY:
      url = mock_ebay_get_url (h->ebay);
      refresh = new_secret (row, "REFRESH");
      mock_ebay_set_credentials (h->ebay, row->client_id, secret, refresh);
      input = oauth_credential (row, secret, refresh);
      break;
    default:
      g_assert_not_reached ();
    }

  for (guint i = 0; i < G_N_ELEMENTS (row->add) && row->add[i] != NULL; i++)
    args[n++] = g_str_equal (row->add[i], "@SHOP") ? shop
                : g_str_equal (row->add[i], "@URL") ? url
                : row->add[i];
  args[n] = NULL;
  g_assert_cmpint (cli (h, input, args), ==, 0);
  g_ptr_array_add (h->secrets, g_steal_pointer (&secret));
  if (refresh != NULL)
    g_ptr_array_add (h->secrets, g_steal_pointer (&refresh));

  /* Shopify's webhooks are signed with a secret of their own. */
  if (row->platform == PLATFORM_SHOPIFY)
    {
      g_autofree char *hook_secret = new_secret (row, "WEBHOOK");
      g_autofree char *hook_input = g_strdup_printf ("%s\n", hook_secret);

      g_assert_cmpint (CLI (h, hook_input, "webhook", "secret", shop), ==, 0);
      g_hash_table_insert (h->hook_secrets, g_strdup (shop), g_strdup (hook_secret));
      g_ptr_array_add (h->secrets, g_steal_pointer (&hook_secret));
    }
}

/* The access tokens a mock issued and saw presented, one a line or
 * separated by spaces: secrets too, for as long as they last. */
static guint
add_issued_tokens (Hygiene    *h,
                   const char *seen)
{
  g_auto(GStrv) tokens = g_strsplit_set (seen ? seen : "", " \n\t,", -1);
  guint added = 0;

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      gboolean known = FALSE;

      if (strlen (tokens[i]) < 12)
        continue;
      for (guint j = 0; j < h->secrets->len && !known; j++)
        known = g_str_equal (h->secrets->pdata[j], tokens[i]);
      if (!known)
        {
          g_ptr_array_add (h->secrets, g_strdup (tokens[i]));
          added++;
        }
    }
  return added;
}

static guint
post_webhook (Hygiene     *h,
              SoupSession *session,
              const char  *url,
              const char  *shop,
              const char  *secret,
              const char  *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *hmac = omni_webhook_sign (secret, (const guint8 *)body, strlen (body));
  g_autofree char *id = g_strdup_printf ("hygiene-%08x", g_random_int ());
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "X-Shopify-Hmac-Sha256", hmac);
  soup_message_headers_replace (headers, "X-Shopify-Shop-Domain", shop);
  soup_message_headers_replace (headers, "X-Shopify-Topic", "products/update");
  soup_message_headers_replace (headers, "X-Shopify-Event-Id", id);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  return soup_message_get_status (msg);
}

static void
test_no_secret_anywhere (void)
{
  g_autoptr(OmniStore) keeper = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile = NULL;
  Hygiene h = { 0 };
  guint exports = 0;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }

  h.dir = g_dir_make_tmp ("omni-hygiene-XXXXXX", NULL);
  h.db = g_build_filename (h.dir, "shop.db", NULL);
  h.output = g_string_new (NULL);
  h.secrets = g_ptr_array_new_with_free_func (g_free);
  h.files = g_ptr_array_new_with_free_func (g_free);
  h.hook_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  h.mock = mock_shopify_new ();
  mock_shopify_add_location (h.mock, "Shop Floor");
  mock_shopify_add_variant (h.mock, "HYG-1", NULL, 5);
  mock_shopify_add_variant (h.mock, "HYG-2", NULL, 2);
  h.amazon = mock_amazon_new (AMAZON_SELLER, AMAZON_MARKETPLACE);
  mock_amazon_add_listing (h.amazon, "HYG-1", "SHIRT", 5, 0);
  mock_amazon_add_listing (h.amazon, "HYG-2", "HAT", 2, 0);
  h.ebay = mock_ebay_new ();
  mock_ebay_add_item (h.ebay, "HYG-1", 5, 1);
  mock_ebay_add_item (h.ebay, "HYG-2", 2, 1);

  g_assert_cmpint (CLI (&h, NULL, "init"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "location", "add", "Shop Floor", "--default"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "product", "add", "--title", "Hygiene Tee", "--sku", "HYG-1"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "product", "add", "--title", "Hygiene Cap", "--sku", "HYG-2"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "set", "HYG-1", "5"), ==, 0);
  /* A connection kept open keeps the -wal and -shm files to search. */
  keeper = omni_store_open (h.db, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    connect_row (&h, &rows[i], i);
  channels = omni_store_list_channels (keeper, &error);
  g_assert_cmpuint (channels->len, ==, G_N_ELEMENTS (rows));

  /* Syncs that work, then ones that fail in each way. */
  g_assert_cmpint (CLI (&h, NULL, "sync"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "adjust", "HYG-1", "3"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "sync"), ==, 0);
  g_assert_cmpint (mock_shopify_get_quantity (h.mock, 0, 0), ==, 8);
  g_assert_cmpint (mock_amazon_get_quantity (h.amazon, "HYG-1"), ==, 8);
  g_assert_cmpint (mock_ebay_get_quantity (h.ebay, "HYG-1"), ==, 8);
  mock_shopify_fail_next (h.mock, 500, 40, 0);
  g_assert_cmpint (CLI (&h, NULL, "sync", "--pull"), ==, 4);
  mock_shopify_fail_next (h.mock, 500, 0, 0);
  {
    MockShopifyFault truncated = { .kind = MOCK_SHOPIFY_FAULT_TRUNCATED, .operation = MOCK_SHOPIFY_OP_ANY };

    mock_shopify_add_fault (h.mock, &truncated, 4);
    g_assert_cmpint (CLI (&h, NULL, "sync", "--pull"), ==, 4);
    mock_shopify_clear_faults (h.mock);
  }
  /* A push eBay refuses, and an Amazon listing it calls invalid. */
  g_assert_cmpint (CLI (&h, NULL, "adjust", "HYG-1", "-1"), ==, 0);
  mock_ebay_fail_sku (h.ebay, "HYG-1", 500, 25001, "A system error has occurred.");
  mock_amazon_set_invalid (h.amazon, "HYG-1", "The listing could not be updated.");
  /* Refused items wait in the outbox for a retry, with the platform's words; the run
   * itself succeeds. */
  g_assert_cmpint (CLI (&h, NULL, "sync", "--push"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "--json", "outbox", "list"), ==, 0);
  g_assert_nonnull (strstr (h.output->str, "A system error has occurred"));
  g_assert_nonnull (strstr (h.output->str, "The listing could not be updated"));
  /* Every platform revokes what it gave out. */
  mock_shopify_revoke_tokens (h.mock);
  mock_shopify_set_client (h.mock, "hygiene-client", "a-secret-that-is-no-longer-valid");
  mock_amazon_set_client (h.amazon, rows[2].client_id, "no-longer-valid", "Atzr|no-longer-valid");
  mock_amazon_expire_tokens (h.amazon);
  mock_ebay_set_credentials (h.ebay, rows[3].client_id, "no-longer-valid", "no-longer-valid");
  mock_ebay_revoke_tokens (h.ebay);
  g_assert_cmpint (CLI (&h, NULL, "adjust", "HYG-2", "1"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "sync"), ==, 4);
  g_assert_cmpuint (mock_amazon_get_stats (h.amazon)->refused_grants, >=, 1);
  /* eBay refused the refresh: more token requests than tokens issued. */
  g_assert_cmpuint (mock_ebay_get_stats (h.ebay)->token_requests, >,
                    mock_ebay_get_stats (h.ebay)->tokens_issued);
  /* The credentials were really presented to the server. */
  g_assert_nonnull (strstr (mock_shopify_get_stats (h.mock)->seen_tokens->str,
                            h.secrets->pdata[0]));
  g_assert_cmpuint (mock_shopify_get_stats (h.mock)->token_exchanges, >=, 1);
  /* The access tokens handed out in exchange are searched for too. */
  {
    guint issued = add_issued_tokens (&h, mock_shopify_get_stats (h.mock)->seen_tokens->str);

    g_assert_cmpuint (issued, >=, 1);
    issued = add_issued_tokens (&h, mock_amazon_get_stats (h.amazon)->seen_tokens->str);
    g_assert_cmpuint (issued, >=, 1);
    issued = add_issued_tokens (&h, mock_ebay_get_stats (h.ebay)->issued_tokens->str);
    g_assert_cmpuint (issued, >=, 1);
  }

  /* Webhooks: signed, and forged with a wrong secret (refused, logged). */
  {
    g_autoptr(OmniWebhookServer) server = omni_webhook_server_new (h.db);
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = NULL;

    g_assert_true (omni_webhook_server_start (server, NULL, 0, NULL, &error));
    g_assert_no_error (error);
    url = omni_webhook_server_get_url (server);
    for (guint i = 0; i < channels->len; i++)
      {
        OmniChannel *channel = channels->pdata[i];
        const char *hook_secret = g_hash_table_lookup (h.hook_secrets, channel->account);

        if (!g_str_equal (channel->platform, "shopify"))
          continue;
        g_assert_cmpuint (post_webhook (&h, session, url, channel->account, hook_secret,
                                        "{\"id\":632910392,\"title\":\"Hygiene Tee\"}"), ==, 200);
        g_assert_cmpuint (post_webhook (&h, session, url, channel->account, "forged",
                                        "{\"id\":632910392,\"title\":\"Forged\"}"), ==, 401);
      }
    g_assert_true (omni_webhook_server_wait_idle (server, 10000));
    omni_webhook_server_stop (server);
  }
  g_assert_cmpint (CLI (&h, NULL, "--json", "webhook", "status"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "--json", "channel", "list"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "--json", "outbox", "list"), ==, 0);

  /* Everything that writes a file. */
  {
    static const char * const kinds[] = { "products", "inventory", "movements" };

    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        char *path = g_strdup_printf ("%s/export-%s.csv", h.dir, kinds[i]);

        g_assert_cmpint (CLI (&h, NULL, "export", kinds[i], "--output", path), ==, 0);
        g_ptr_array_add (h.files, path);
      }
  }
  g_assert_cmpint (CLI (&h, NULL, "--json", "report", "sales", "--group-by", "channel"), ==, 0);
  g_assert_cmpint (CLI (&h, NULL, "--json", "report", "movements"), ==, 0);
  {
    char *path = g_build_filename (h.dir, "backup.db", NULL);

    g_assert_cmpint (CLI (&h, NULL, "backup", path), ==, 0);
    g_ptr_array_add (h.files, path);
  }

  /* The search. */
  /* Shopify: the credential and the webhook secret; Amazon and eBay: the
   * client secret and the refresh token; plus every access token issued. */
  g_assert_cmpuint (h.secrets->len, >=, 2 * G_N_ELEMENTS (rows) + 3);
  assert_clean (&h, "the commands' output", h.output->str, h.output->len);
  assert_clean (&h, "the log", captured_logs->str, captured_logs->len);
  for (guint i = 0; i < h.files->len; i++)
    if (assert_file_clean (&h, h.files->pdata[i]))
      exports++;
  g_assert_cmpuint (exports, ==, h.files->len);
  {
    g_autofree char *wal = g_strconcat (h.db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (h.db, "-shm", NULL);

    g_assert_true (assert_file_clean (&h, h.db));
    h.wal_scans += assert_file_clean (&h, wal);
    assert_file_clean (&h, shm);
    g_assert_cmpuint (h.wal_scans, >, 0);
    g_clear_object (&keeper);
    g_assert_true (assert_file_clean (&h, h.db));
    g_unlink (wal);
    g_unlink (shm);
  }
  keyfile = g_build_filename (config_home, "glib-2.0", "settings", "keyfile", NULL);
  if (!assert_file_clean (&h, keyfile))
    g_test_message ("No GSettings keyfile was written: nothing to search there");
  g_test_message ("%u secrets searched for in %" G_GSIZE_FORMAT " bytes of output, %" G_GSIZE_FORMAT
                  " bytes of log, %u exported files, the database and %u states of its -wal",
                  h.secrets->len, h.output->len, captured_logs->len, h.files->len, h.wal_scans);

  for (guint i = 0; i < channels->len; i++)
    {
      OmniChannel *channel = channels->pdata[i];

      omni_secret_clear (channel->platform, channel->account, NULL, NULL);
      omni_secret_clear (OMNI_WEBHOOK_SECRET_PLATFORM, channel->account, NULL, NULL);
    }
  for (guint i = 0; i < h.files->len; i++)
    g_unlink (h.files->pdata[i]);
  g_unlink (h.db);
  g_rmdir (h.dir);
  mock_shopify_free (h.mock);
  mock_amazon_free (h.amazon);
  mock_ebay_free (h.ebay);
  g_string_free (h.output, TRUE);
  g_ptr_array_unref (h.secrets);
  g_ptr_array_unref (h.files);
  g_hash_table_unref (h.hook_secrets);
  g_free (h.db);
  g_free (h.dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* GSettings in a keyfile of our own, for this process and the CLI. */
  config_home = g_dir_make_tmp ("omni-hygiene-config-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);

  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping: %s", error->message);

  g_test_add_func ("/omni/secret-hygiene/no-secret-anywhere", test_no_secret_anywhere);
  status = g_test_run ();
  secret_service_disconnect ();
  {
    g_autofree char *keyfile = g_build_filename (config_home, "glib-2.0", "settings", "keyfile", NULL);
    g_autofree char *settings = g_build_filename (config_home, "glib-2.0", "settings", NULL);
    g_autofree char *glib = g_build_filename (config_home, "glib-2.0", NULL);

    g_unlink (keyfile);
    g_rmdir (settings);
    g_rmdir (glib);
    g_rmdir (config_home);
  }
  return status;
}
