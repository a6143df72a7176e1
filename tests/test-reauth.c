/* test-reauth.c: omni_channel_reauthenticate() for Amazon and eBay channels
 * against their in-process mocks, with the real keyring (Shopify is covered
 * through the GUI by test-channel-gui and the CLI by test-cli-channel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "mock-amazon.h"
#include "mock-ebay.h"
#include "omni-amazon.h"
#include "omni-channel-reauth.h"
#include "omni-ebay.h"
#include "omni-secret.h"
#include "omni-store-channel.h"

#define MARKETPLACE "A1PA6795UKMFR9"

static gboolean have_keyring;

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     location;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!have_keyring)
    return;
  f->dir = g_dir_make_tmp ("omni-reauth-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->location = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (!have_keyring)
    return;
  g_clear_object (&f->store);
  wal = g_strconcat (f->path, "-wal", NULL);
  shm = g_strconcat (f->path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
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

/* The call blocks on the network while the mocks answer on this thread's
 * main loop: it runs on a worker. */
typedef struct
{
  char      *path;
  gint64     channel;
  char      *client_id;
  char      *credential;
  gboolean   done;
  gboolean   ok;
  GError    *error;
} Call;

static gpointer
call_thread (gpointer data)
{
  Call *call = data;
  g_autoptr(OmniStore) store = omni_store_open (call->path, &call->error);

  if (store != NULL)
    call->ok = omni_channel_reauthenticate (store, call->channel, call->client_id,
                                            call->credential, NULL, &call->error);
  g_atomic_int_set (&call->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
reauth (Fixture     *f,
        gint64       channel,
        const char  *client_id,
        const char  *credential,
        GError     **error)
{
  Call call = { .path = f->path, .channel = channel, .client_id = (char *)client_id,
                .credential = (char *)credential };
  GThread *thread = g_thread_new ("reauth", call_thread, &call);

  while (!g_atomic_int_get (&call.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.ok;
}

static void
assert_state (Fixture    *f,
              gint64      channel,
              const char *state)
{
  g_autoptr(GError) error = NULL;
  OmniChannel *c = omni_store_get_channel (f->store, channel, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (c->state, ==, state);
  if (g_str_equal (state, "connected"))
    g_assert_null (c->last_error);
  omni_channel_free (c);
}

/* The keyring's secret holds this refresh token. */
static void
assert_secret_has (const char *platform,
                   const char *account,
                   const char *refresh_token)
{
  g_autoptr(GError) error = NULL;
  char *secret = omni_secret_lookup (platform, account, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (secret, refresh_token));
  omni_secret_free (secret);
}

static char *
credentials_json (const char *id,
                  const char *secret,
                  const char *refresh)
{
  return g_strdup_printf ("{\"client_id\": \"%s\", \"client_secret\": \"%s\", "
                          "\"refresh_token\": \"%s\"}", id, secret, refresh);
}

static void
test_ebay (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("eBay Reauth %08x", g_random_int ());
  g_autofree char *old_json = NULL;
  g_autofree char *new_json = NULL;
  g_autoptr(OmniEbayCredentials) old = NULL;
  g_autoptr(GPtrArray) log = NULL;
  MockEbay *mock = mock_ebay_new ();
  gint64 channel;

  REQUIRE_KEYRING ();

  old_json = credentials_json ("Fern-Omni-PRD-1", "PRD-OLD-SECRET", "v^1.1#OLD-REFRESH");
  new_json = credentials_json ("Fern-Omni-PRD-1", "PRD-OLD-SECRET", "v^1.1#NEW-REFRESH");
  old = omni_ebay_credentials_parse (old_json, &error);
  g_assert_no_error (error);
  mock_ebay_set_credentials (mock, "Fern-Omni-PRD-1", "PRD-OLD-SECRET", "v^1.1#OLD-REFRESH");
  channel = omni_ebay_add_channel (f->store, name, "EBAY_GB", f->location,
                                   mock_ebay_get_url (mock), old, NULL, &error);
  g_assert_no_error (error);

  /* The merchant revoked the app's consent: a new refresh token. */
  mock_ebay_set_credentials (mock, "Fern-Omni-PRD-1", "PRD-OLD-SECRET", "v^1.1#NEW-REFRESH");
  mock_ebay_revoke_tokens (mock);
  g_assert_true (omni_store_set_channel_state (f->store, channel, "auth_failed",
                                               "eBay refused the channel’s credentials", &error));

  /* Refused, malformed, or Shopify-only options: nothing changes. */
  g_assert_false (reauth (f, channel, NULL, old_json, &error));
  g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH);
  g_assert_null (strstr (error->message, "OLD-REFRESH"));
  g_clear_error (&error);
  g_assert_false (reauth (f, channel, NULL, "{\"client_id\": \"x\"}", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (reauth (f, channel, "some-client", new_json, &error));
  g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED);
  g_clear_error (&error);
  assert_state (f, channel, "auth_failed");
  assert_secret_has ("ebay", name, "OLD-REFRESH");

  g_assert_true (reauth (f, channel, NULL, new_json, &error));
  g_assert_no_error (error);
  assert_state (f, channel, "connected");
  assert_secret_has ("ebay", name, "NEW-REFRESH");
  log = omni_store_list_sync_log (f->store, channel, 10, &error);
  g_assert_cmpuint (log->len, >, 0);
  g_assert_cmpstr (((OmniSyncLogEntry *)log->pdata[0])->operation, ==, "reauthenticate");

  omni_secret_clear ("ebay", name, NULL, NULL);
  mock_ebay_free (mock);
}

static void
test_amazon (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seller = g_strdup_printf ("A2REAUTH%08X", g_random_int ());
  g_autofree char *old_json = NULL;
  g_autofree char *new_json = NULL;
  g_autoptr(OmniAmazonCredentials) old = NULL;
  MockAmazon *mock = mock_amazon_new (seller, MARKETPLACE);
  gint64 channel;

  REQUIRE_KEYRING ();

  old_json = credentials_json ("amzn1.application-oa2-client.1", "amzn1.oa2-cs.v1.OLD",
                               "Atzr|OLD-REFRESH");
  new_json = credentials_json ("amzn1.application-oa2-client.1", "amzn1.oa2-cs.v1.NEW",
                               "Atzr|NEW-REFRESH");
  old = omni_amazon_credentials_parse (old_json, &error);
  g_assert_no_error (error);
  mock_amazon_set_client (mock, "amzn1.application-oa2-client.1", "amzn1.oa2-cs.v1.OLD",
                          "Atzr|OLD-REFRESH");
  channel = omni_amazon_add_channel (f->store, "Amazon DE", seller, "eu", MARKETPLACE,
                                     f->location, mock_amazon_get_url (mock), old, &error);
  g_assert_no_error (error);

  /* The app's secret was rotated in Seller Central. */
  mock_amazon_set_client (mock, "amzn1.application-oa2-client.1", "amzn1.oa2-cs.v1.NEW",
                          "Atzr|NEW-REFRESH");
  mock_amazon_expire_tokens (mock);
  g_assert_true (omni_store_set_channel_state (f->store, channel, "auth_failed",
                                               "Amazon refused the credentials", &error));

  g_assert_false (reauth (f, channel, NULL, old_json, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "OLD-REFRESH"));
  g_clear_error (&error);
  assert_state (f, channel, "auth_failed");
  assert_secret_has ("amazon", seller, "OLD-REFRESH");

  g_assert_true (reauth (f, channel, NULL, new_json, &error));
  g_assert_no_error (error);
  assert_state (f, channel, "connected");
  assert_secret_has ("amazon", seller, "NEW-REFRESH");

  omni_secret_clear ("amazon", seller, NULL, NULL);
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
    g_test_message ("Skipping: %s", error->message);

  g_test_add ("/omni/reauth/ebay", Fixture, NULL, fixture_set_up, test_ebay, fixture_tear_down);
  g_test_add ("/omni/reauth/amazon", Fixture, NULL, fixture_set_up, test_amazon,
              fixture_tear_down);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
