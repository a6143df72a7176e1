/* omni-cli-ebay.c: `channel add ebay`
 *
 * The credentials, a JSON object {client_id, client_secret, refresh_token},
 * come on stdin (never on the command line, where `ps` and shell history
 * would see them), are tested against eBay, then kept only in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <stdio.h>
#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-commands.h"
#include "omni-cli-ebay.h"
#include "omni-ebay.h"
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
  else
    g_propagate_error (error, cause);
  return FALSE;
}

static gboolean
add_ebay_run (OmniCliContext  *ctx,
              GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniEbayCredentials) credentials = NULL;
  g_autoptr(OmniEbayAccount) account = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *marketplace = NULL;
  g_autofree char *location = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *location_name = NULL;
  gboolean sandbox = FALSE;
  gint64 location_id = 0;
  gint64 id;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("What to call the channel"), N_("NAME") },
    { "marketplace", 0, 0, G_OPTION_ARG_STRING, &marketplace,
      N_("The eBay marketplace, for example EBAY_GB or EBAY_US"), N_("ID") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("The location whose stock eBay lists (default: the default location)"), N_("NAME") },
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, &sandbox,
      N_("Connect to eBay's sandbox instead of the live site"), NULL },
    { "api-url", 0, 0, G_OPTION_ARG_STRING, &api_url,
      N_("Base URL instead of eBay's (tests)"), N_("URL") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (name == NULL || marketplace == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--name and --marketplace are required "
                             "(for example: --name \"eBay UK\" --marketplace EBAY_GB)"));
      return FALSE;
    }
  if (!omni_ebay_check_marketplace (marketplace, &local_error))
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID, local_error->message);
      return FALSE;
    }
  if (sandbox && api_url == NULL)
    api_url = g_strdup (OMNI_EBAY_SANDBOX_URL);
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
  else
    location_id = omni_store_get_default_location (store, NULL);
  if (omni_store_find_channel (store, g_strstrip (name), NULL) > 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("a channel named “%s” already exists; remove it first to connect again"),
                   name);
      return FALSE;
    }

  {
    char *text = omni_cli_read_credentials (_("eBay credentials"), error);

    if (text == NULL)
      return FALSE;
    credentials = omni_ebay_credentials_parse (text, &local_error);
    omni_cli_free_credentials (text);
  }
  if (credentials == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID, local_error->message);
      return FALSE;
    }

  /* Test first, so that nothing is kept for credentials that do not work. */
  account = omni_ebay_check_connection (credentials, marketplace, api_url, NULL, &local_error);
  if (account == NULL)
    return remote_error (error, g_steal_pointer (&local_error));

  id = omni_ebay_add_channel (store, name, marketplace, location_id, api_url, credentials, NULL,
                              &local_error);
  if (id == 0)
    return remote_error (error, g_steal_pointer (&local_error));

  {
    g_autoptr(GPtrArray) locations = omni_store_list_channel_locations (store, id, NULL);

    if (locations != NULL && locations->len > 0)
      location_name = g_strdup (((OmniChannelLocation *)locations->pdata[0])->location_name);
  }

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", id);
      omni_cli_json_add_string (builder, "name", name);
      omni_cli_json_add_string (builder, "platform", "ebay");
      omni_cli_json_add_string (builder, "account", name);
      omni_cli_json_add_string (builder, "marketplace", marketplace);
      omni_cli_json_add_string (builder, "location", location_name);
      omni_cli_json_add_int (builder, "inventory_items", account->inventory_items);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           _("Connected to eBay (%s): %" PRId64 " inventory items.\n"
                             "Channel “%s” added, listing the stock of %s; the credentials are "
                             "in the keyring. Run “sync %s” for the first sync.\n"),
                           marketplace, account->inventory_items, name,
                           location_name ? location_name : _("no location"), name);
  return TRUE;
}

/**
 * omni_cli_channel_add_ebay:
 *
 * `channel add ebay --name N --marketplace M [--location L]`, the
 * credentials JSON on stdin. Reached through omni_cli_channel_add(), which
 * releases the keyring connection afterwards.
 */
gboolean
omni_cli_channel_add_ebay (OmniCliContext  *ctx,
                           GError         **error)
{
  guint n = 0;
  const OmniCliCommand *commands = omni_cli_get_commands (&n);

  /* "channel add" is found by name; --help should show this row's words. */
  for (guint i = 0; i < n; i++)
    if (g_str_equal (commands[i].name, "channel add") && g_strcmp0 (commands[i].args, "ebay") == 0)
      ctx->command = &commands[i];
  return add_ebay_run (ctx, error);
}
