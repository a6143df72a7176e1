/* omni-channel-reauth.c: new credentials for a connected channel
 *
 * When a platform refuses a channel's credentials (a revoked or expired
 * token, an app uninstalled), the connector stops the channel in state
 * "auth_failed". Re-authenticating tests the new credentials against the
 * platform first, exactly as adding the channel does, and only when they
 * work replaces the keyring secret and sets the channel back to
 * "connected". Credentials that do not work change nothing: the old secret
 * and the stopped state stay. Blocks: run it on a worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "omni-amazon.h"
#include "omni-channel-reauth.h"
#include "omni-ebay.h"
#include "omni-json.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-text.h"

static void
wipe (char *text)
{
  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}

/* Whether the keyring now answers @secret for (@platform, @account). */
static gboolean
secret_is (const char   *platform,
           const char   *account,
           const char   *secret,
           GCancellable *cancellable)
{
  char *found = omni_secret_lookup (platform, account, cancellable, NULL);
  gboolean same = g_strcmp0 (found, secret) == 0;

  omni_secret_free (found);
  return same;
}

/* Replaces the keyring secret and checks that it took: an item left in
 * another collection (the default one may have changed since the channel
 * was added) would otherwise keep answering lookups with the old
 * credential. Then every item of the channel goes and the new one is
 * stored alone. */
static gboolean
replace_secret (const char    *platform,
                const char    *account,
                const char    *label,
                const char    *secret,
                GCancellable  *cancellable,
                GError       **error)
{
  if (!omni_secret_store (platform, account, label, secret, cancellable, error))
    return FALSE;
  if (secret_is (platform, account, secret, cancellable))
    return TRUE;
  if (!omni_secret_clear (platform, account, cancellable, error) ||
      !omni_secret_store (platform, account, label, secret, cancellable, error))
    return FALSE;
  if (secret_is (platform, account, secret, cancellable))
    return TRUE;
  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NO_KEYRING,
               "The keyring still answers with the old credential of %s", account);
  return FALSE;
}

/* The channel's settings object (a copy the caller owns). */
static JsonObject *
settings_object (const OmniChannel *channel)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (channel->settings != NULL &&
      json_parser_load_from_data (parser, channel->settings, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return json_object_new ();
}

static char *
object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
reauth_shopify (OmniStore          *store,
                const OmniChannel  *channel,
                const char         *client_id,
                const char         *credential,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(OmniShopifyShop) shop = NULL;
  g_autoptr(JsonObject) settings = settings_object (channel);
  g_autofree char *label = NULL;
  g_autofree char *json = NULL;

  if (client_id != NULL &&
      !omni_text_check (client_id, "Client ID", OMNI_TEXT_MAX_LINE, TRUE, error))
    return FALSE;
  shop = omni_shopify_check_connection (channel->account, channel->api_url, client_id,
                                        credential, cancellable, error);
  if (shop == NULL)
    return FALSE;

  label = g_strdup_printf ("OmniStock: Shopify %s", channel->account);
  if (!replace_secret ("shopify", channel->account, label, credential, cancellable, error))
    return FALSE;

  /* How it signs in may have changed (a legacy token replaced by an app). */
  json_object_set_string_member (settings, "auth", client_id ? "client_credentials" : "token");
  if (client_id != NULL)
    json_object_set_string_member (settings, "client_id", client_id);
  else if (json_object_has_member (settings, "client_id"))
    json_object_remove_member (settings, "client_id");
  json = object_to_json (settings);
  return omni_store_set_channel_settings (store, channel->id, json, error);
}

static gboolean
reauth_amazon (const OmniChannel  *channel,
               const char         *credential,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(OmniAmazonCredentials) credentials = NULL;
  g_autoptr(JsonObject) settings = settings_object (channel);
  g_autofree char *label = NULL;
  char *secret;
  gboolean ok;

  credentials = omni_amazon_credentials_parse (credential, error);
  if (credentials == NULL)
    return FALSE;
  if (!omni_amazon_check_connection (omni_json_string (settings, "region"), channel->api_url,
                                     channel->account, omni_json_string (settings, "marketplace_id"),
                                     credentials, cancellable, error))
    return FALSE;

  label = g_strdup_printf ("OmniStock: Amazon seller %s", channel->account);
  secret = omni_amazon_credentials_to_json (credentials);
  ok = replace_secret ("amazon", channel->account, label, secret, cancellable, error);
  wipe (secret);
  return ok;
}

static gboolean
reauth_ebay (const OmniChannel  *channel,
             const char         *credential,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(OmniEbayCredentials) credentials = NULL;
  g_autoptr(OmniEbayAccount) account = NULL;
  g_autoptr(JsonObject) settings = settings_object (channel);
  g_autofree char *label = NULL;
  char *secret;
  gboolean ok;

  credentials = omni_ebay_credentials_parse (credential, error);
  if (credentials == NULL)
    return FALSE;
  account = omni_ebay_check_connection (credentials, omni_json_string (settings, "marketplace"),
                                        channel->api_url, cancellable, error);
  if (account == NULL)
    return FALSE;

  label = g_strdup_printf ("OmniStock: eBay channel %s", channel->account);
  secret = omni_ebay_credentials_to_json (credentials);
  ok = replace_secret ("ebay", channel->account, label, secret, cancellable, error);
  wipe (secret);
  return ok;
}

/**
 * omni_channel_reauthenticate:
 * @store: the open store
 * @channel_id: the channel, usually stopped in state "auth_failed"
 * @client_id: (nullable): Shopify only: a Dev Dashboard app's client ID, then
 *   @credential is its client secret; %NULL: @credential is an Admin API
 *   access token
 * @credential: Shopify: the access token or client secret; Amazon and eBay:
 *   their credentials JSON, as `channel add` reads it
 *
 * Tests @credential against the platform, then replaces the channel's
 * keyring secret and sets it back to "connected" (a paused channel stays
 * paused). When the test fails nothing changes. Blocks.
 *
 * Returns: %TRUE when the channel may sync again; %FALSE with @error set
 */
gboolean
omni_channel_reauthenticate (OmniStore     *store,
                             gint64         channel_id,
                             const char    *client_id,
                             const char    *credential,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(OmniChannel) channel = NULL;
  gboolean ok;
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);

  if (credential == NULL || *credential == '\0')
    {
      g_set_error_literal (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                           "The new credential is empty");
      return FALSE;
    }
  channel = omni_store_get_channel (store, channel_id, error);
  if (channel == NULL)
    return FALSE;
  if (client_id != NULL && g_strcmp0 (channel->platform, "shopify") != 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "A client ID alone is only for Shopify; %s credentials are one JSON object",
                   channel->platform);
      return FALSE;
    }

  if (g_strcmp0 (channel->platform, "shopify") == 0)
    ok = reauth_shopify (store, channel, client_id, credential, cancellable, error);
  else if (g_strcmp0 (channel->platform, "amazon") == 0)
    ok = reauth_amazon (channel, credential, cancellable, error);
  else if (g_strcmp0 (channel->platform, "ebay") == 0)
    ok = reauth_ebay (channel, credential, cancellable, error);
  else
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "Channel “%s” is on %s, which this version of OmniStock cannot sync with",
                   channel->name, channel->platform);
      return FALSE;
    }
  if (!ok)
    return FALSE;

  if (g_strcmp0 (channel->state, "paused") != 0 &&
      !omni_store_set_channel_state (store, channel_id, "connected", NULL, error))
    return FALSE;

  {
    OmniSyncLogEntry entry = {
      .channel_id = channel_id,
      .direction = "auth",
      .operation = "reauthenticate",
      .status = "ok",
      .duration_ms = (g_get_monotonic_time () - started) / 1000,
      .message = "New credentials tested and stored in the keyring",
    };

    /* The activity view shows it; a failure to log is not a failure. */
    omni_store_log_sync (store, &entry, NULL);
  }
  return TRUE;
}
