/* omni-cli-amazon.c: `channel add amazon`
 *
 * The Login with Amazon credentials, a JSON object {client_id,
 * client_secret, refresh_token}, come on stdin (never on the command line,
 * where `ps` and shell history would see them), are tested against the
 * Selling Partner API, then kept only in the keyring. The region and
 * marketplace are settings of the channel, not secrets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-amazon.h"
#include "omni-cli-amazon.h"
#include "omni-cli-args.h"
#include "omni-secret.h"
#include "omni-store-channel.h"


static gboolean
remote_error (GError **error,
              GError  *cause)
{
  if (cause->domain == OMNI_SYNC_ERROR)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_REMOTE, cause->message);
      g_error_free (cause);
    }
  else if (cause->domain == OMNI_STORE_ERROR && cause->code == OMNI_STORE_ERROR_CONFLICT)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT, cause->message);
      g_error_free (cause);
    }
  else if (cause->domain == OMNI_STORE_ERROR && cause->code == OMNI_STORE_ERROR_INVALID)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID, cause->message);
      g_error_free (cause);
    }
  else
    g_propagate_error (error, cause);
  return FALSE;
}

static gboolean
add_amazon_run (OmniCliContext  *ctx,
                GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniAmazonCredentials) credentials = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *seller = NULL;
  g_autofree char *region = NULL;
  g_autofree char *marketplace = NULL;
  g_autofree char *location = NULL;
  g_autofree char *api_url = NULL;
  const OmniAmazonMarketplace *known;
  gint64 location_id = 0;
  gint64 id;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("What to call the channel"), N_("NAME") },
    { "seller", 0, 0, G_OPTION_ARG_STRING, &seller,
      N_("The seller id (merchant token) from Seller Central"), N_("ID") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The Selling Partner API region: na, eu or fe"), N_("REGION") },
    { "marketplace", 0, 0, G_OPTION_ARG_STRING, &marketplace,
      N_("The marketplace id, for example A1PA6795UKMFR9 (Germany)"), N_("ID") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("The location whose stock is the merchant-fulfilled quantity (default: the "
         "default location)"), N_("NAME") },
    { "api-url", 0, 0, G_OPTION_ARG_STRING, &api_url,
      N_("Base URL instead of Amazon's, for the API and Login with Amazon (tests)"),
      N_("URL") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (name == NULL || seller == NULL || region == NULL || marketplace == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--name, --seller, --region and --marketplace are required "
                             "(for example: --name \"Amazon DE\" --seller A2EXAMPLE "
                             "--region eu --marketplace A1PA6795UKMFR9)"));
      return FALSE;
    }
  g_strstrip (name);
  if (omni_amazon_find_region (region) == NULL)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("“%s” is not an Amazon region: use na, eu or fe"), region);
      return FALSE;
    }
  known = omni_amazon_find_marketplace (marketplace);
  if (known != NULL && !g_str_equal (known->region, region))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("the %s marketplace is in the %s region, not %s"),
                   known->country, known->region, region);
      return FALSE;
    }
  if (api_url != NULL && !g_str_has_prefix (api_url, "https://") &&
      !g_str_has_prefix (api_url, "http://127.0.0.1") &&
      !g_str_has_prefix (api_url, "http://localhost"))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("--api-url must be an https:// address (plain http only on this "
                     "computer), not “%s”"), api_url);
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (location != NULL)
    {
      location_id = omni_cli_find_location (store, location, error);
      if (location_id == 0)
        return FALSE;
    }
  if (omni_store_find_channel (store, name, NULL) > 0 ||
      omni_store_find_channel (store, seller, NULL) > 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("a channel for %s already exists; remove it first to connect again"),
                   name);
      return FALSE;
    }

  {
    char *text = omni_cli_read_credentials (_("Amazon credentials"), error);

    if (text == NULL)
      return FALSE;
    credentials = omni_amazon_credentials_parse (text, &local_error);
    omni_cli_free_credentials (text);
  }
  if (credentials == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID, local_error->message);
      return FALSE;
    }

  /* Test first, so that nothing is kept for credentials that do not work. */
  if (!omni_amazon_check_connection (region, api_url, seller, marketplace, credentials, NULL,
                                     &local_error))
    return remote_error (error, g_steal_pointer (&local_error));

  id = omni_amazon_add_channel (store, name, seller, region, marketplace, location_id, api_url,
                                credentials, &local_error);
  if (id == 0)
    return remote_error (error, g_steal_pointer (&local_error));

  {
    g_autoptr(GPtrArray) locations = omni_store_list_channel_locations (store, id, NULL);
    const char *location_name = locations && locations->len > 0
                                ? ((OmniChannelLocation *)locations->pdata[0])->location_name
                                : NULL;

    if (ctx->json)
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();

        json_builder_begin_object (builder);
        omni_cli_json_add_int (builder, "id", id);
        omni_cli_json_add_string (builder, "name", name);
        omni_cli_json_add_string (builder, "platform", "amazon");
        omni_cli_json_add_string (builder, "account", seller);
        omni_cli_json_add_string (builder, "region", region);
        omni_cli_json_add_string (builder, "marketplace", marketplace);
        omni_cli_json_add_string (builder, "location", location_name);
        omni_cli_json_add_string (builder, "fba_location", OMNI_AMAZON_FBA_LOCATION);
        json_builder_end_object (builder);
        omni_cli_output_json (ctx->out, builder);
      }
    else
      {
        g_autofree char *where = known ? g_strdup_printf ("%s, %s", marketplace, known->country)
                                       : g_strdup (marketplace);

        omni_cli_output_print (ctx->out,
                               _("Connected to Amazon (seller %s, marketplace %s).\n"
                                 "Channel “%s” added: merchant-fulfilled quantities follow the "
                                 "stock of %s, and Amazon's own stock appears at the location "
                                 "“%s”. The credentials are in the keyring. Run “sync %s” for "
                                 "the first sync.\n"),
                               seller, where, name,
                               location_name ? location_name : _("no location"),
                               OMNI_AMAZON_FBA_LOCATION, name);
      }
  }
  return TRUE;
}

/**
 * omni_cli_channel_add_amazon:
 *
 * `channel add amazon --name N --seller ID --region R --marketplace M
 * [--location L]`, the credentials JSON on stdin. Reached through
 * omni_cli_channel_add(), which releases the keyring connection afterwards.
 */
gboolean
omni_cli_channel_add_amazon (OmniCliContext  *ctx,
                             GError         **error)
{
  return add_amazon_run (ctx, error);
}
