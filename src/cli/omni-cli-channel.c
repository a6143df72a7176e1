/* omni-cli-channel.c: sales channels, sync and the outbox
 *
 * Credentials are read from stdin (never from the command line, where `ps`
 * and shell history would see them), tested against the platform, then kept
 * only in the keyring. Sync runs the connector on this thread: the CLI has
 * no main loop to keep responsive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-channel.h"
#include "omni-cli-ebay.h"
#include "omni-cli-amazon.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-channel-settings.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"
#include "omni-reconcile.h"
#include "omni-channel-reauth.h"

/* Sync, keyring and network failures leave with exit status 4, their
 * sentence intact. */
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

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static gint64
find_channel (OmniStore   *store,
              const char  *name,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 id = omni_store_find_channel (store, name, &local_error);

  if (id == 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_NOT_FOUND,
                   _("no channel is named “%s”; “channel list” shows them"), name);
      return 0;
    }
  return id;
}

/* channel add --------------------------------------------------------- */

static gboolean
omni_cli_channel_add_run (OmniCliContext  *ctx,
                          GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniShopifyShop) shop = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shop_option = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *name = NULL;
  g_autofree char *domain = NULL;
  char *secret = NULL;
  gint64 id;
  const GOptionEntry entries[] = {
    { "shop", 0, 0, G_OPTION_ARG_STRING, &shop_option,
      N_("The shop, NAME.myshopify.com"), N_("DOMAIN") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("Client ID of a Dev Dashboard app; stdin then gives its client secret"), N_("ID") },
    { "api-url", 0, 0, G_OPTION_ARG_STRING, &api_url,
      N_("Base URL instead of https://DOMAIN (sandboxes, tests)"), N_("URL") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("What to call the channel (default: the shop domain)"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };

  /* Other platforms take other options: theirs to parse. */
  if (ctx->argv[1] != NULL && g_str_equal (ctx->argv[1], "ebay"))
    return omni_cli_channel_add_ebay (ctx, error);
  if (ctx->argv[1] != NULL && g_str_equal (ctx->argv[1], "amazon"))
    return omni_cli_channel_add_amazon (ctx, error);
  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (!g_str_equal (ctx->argv[1], "shopify"))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("“%s” is not a platform this version connects to; use shopify"),
                   ctx->argv[1]);
      return FALSE;
    }
  if (shop_option == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--shop NAME.myshopify.com is required"));
      return FALSE;
    }
  domain = omni_shopify_normalize_shop (shop_option, &local_error);
  if (domain == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID, local_error->message);
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
  if (omni_store_find_channel (store, domain, NULL) > 0 ||
      (name != NULL && omni_store_find_channel (store, name, NULL) > 0))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("a channel for %s already exists; remove it first to connect again"),
                   name ? name : domain);
      return FALSE;
    }

  secret = omni_cli_read_secret (client_id ? _("client secret") : _("access token"), error);
  if (secret == NULL)
    return FALSE;

  /* Test first, so that nothing is kept for credentials that do not work. */
  shop = omni_shopify_check_connection (domain, api_url, client_id, secret, NULL, &local_error);
  if (shop == NULL)
    {
      free_secret (secret);
      return remote_error (error, g_steal_pointer (&local_error));
    }

  id = omni_shopify_add_channel (store, name, domain, api_url, client_id, secret, &local_error);
  free_secret (secret);
  if (id == 0)
    return remote_error (error, g_steal_pointer (&local_error));

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", id);
      omni_cli_json_add_string (builder, "name", name ? name : domain);
      omni_cli_json_add_string (builder, "platform", "shopify");
      omni_cli_json_add_string (builder, "account", domain);
      omni_cli_json_add_string (builder, "shop_name", shop->name);
      omni_cli_json_add_string (builder, "currency", shop->currency);
      json_builder_set_member_name (builder, "locations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < shop->locations->len; i++)
        json_builder_add_string_value (builder, shop->locations->pdata[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    {
      g_autofree char *locations = NULL;

      g_ptr_array_add (shop->locations, NULL);
      locations = g_strjoinv (", ", (char **)shop->locations->pdata);
      omni_cli_output_print (ctx->out,
                             _("Connected to %s (%s, currency %s). Locations: %s.\n"
                               "Channel “%s” added; the credential is in the keyring. "
                               "Run “sync %s” for the first sync.\n"),
                             shop->name ? shop->name : domain, domain,
                             shop->currency ? shop->currency : "?",
                             *locations ? locations : _("none"),
                             name ? name : domain, name ? name : domain);
    }
  return TRUE;
}

/* channel list -------------------------------------------------------- */

gboolean
omni_cli_channel_list (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) channels = NULL;

  if (!omni_cli_context_parse (ctx, NULL, 0, 0, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  channels = omni_store_list_channels (store, error);
  if (channels == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < channels->len; i++)
        {
          OmniChannel *c = channels->pdata[i];

          json_builder_begin_object (builder);
          omni_cli_json_add_int (builder, "id", c->id);
          omni_cli_json_add_string (builder, "name", c->name);
          omni_cli_json_add_string (builder, "platform", c->platform);
          omni_cli_json_add_string (builder, "account", c->account);
          omni_cli_json_add_string (builder, "state", c->state);
          omni_cli_json_add_string (builder, "last_sync", c->last_sync_at);
          omni_cli_json_add_string (builder, "last_error", c->last_error);
          omni_cli_json_add_int (builder, "linked_variants", c->links);
          omni_cli_json_add_int (builder, "pending_pushes", c->pending);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (channels->len == 0)
    {
      omni_cli_output_print (ctx->out, _("No channels. Add one with “channel add shopify "
                                         "--shop NAME.myshopify.com”.\n"));
      return TRUE;
    }

  {
    g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("Name"), _("Platform"), _("State"),
                                                     _("Linked"), _("Pending"), _("Last sync"),
                                                     _("Last error"), NULL);

    omni_cli_grid_align_right (grid, 3);
    omni_cli_grid_align_right (grid, 4);
    for (guint i = 0; i < channels->len; i++)
      {
        OmniChannel *c = channels->pdata[i];
        g_autofree char *when = c->last_sync_at ? omni_cli_display_time (c->last_sync_at) : NULL;

        omni_cli_grid_add (grid, "%s", c->name);
        omni_cli_grid_add (grid, "%s", c->platform);
        omni_cli_grid_add (grid, "%s", c->state);
        omni_cli_grid_add (grid, "%" PRId64, c->links);
        omni_cli_grid_add (grid, "%" PRId64, c->pending);
        omni_cli_grid_add (grid, "%s", when ? when : _("never"));
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (c->last_error));
      }
    omni_cli_output_grid (ctx->out, grid);
  }
  return TRUE;
}

/* channel remove ------------------------------------------------------ */

static gboolean
omni_cli_channel_remove_run (OmniCliContext  *ctx,
                             GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  id = find_channel (store, ctx->argv[1], error);
  if (id == 0)
    return FALSE;
  channel = omni_store_get_channel (store, id, error);
  if (channel == NULL)
    return FALSE;

  /* The secret goes first: a channel is never removed with its credential
   * left behind in the keyring. */
  if (!omni_secret_clear (channel->platform, channel->account, NULL, &local_error))
    return remote_error (error, g_steal_pointer (&local_error));
  if (!omni_store_remove_channel (store, id, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "removed", channel->name);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, _("Removed channel “%s” and its credential. "
                                       "Stock and past orders are unchanged.\n"),
                           channel->name);
  return TRUE;
}

/* channel locations / map ----------------------------------------------- */

gboolean
omni_cli_channel_locations (OmniCliContext  *ctx,
                            GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  id = find_channel (store, ctx->argv[1], error);
  if (id == 0)
    return FALSE;
  list = omni_store_list_channel_locations (store, id, error);
  if (list == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          OmniChannelLocation *l = list->pdata[i];

          json_builder_begin_object (builder);
          omni_cli_json_add_string (builder, "remote_id", l->remote_id);
          omni_cli_json_add_string (builder, "remote_name", l->remote_name);
          omni_cli_json_add_string (builder, "location", l->location_name);
          omni_cli_json_add_boolean (builder, "active", l->active);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (list->len == 0)
    {
      omni_cli_output_print (ctx->out, _("No remote locations yet: run “sync” first.\n"));
      return TRUE;
    }
  {
    g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("Remote location"), _("Remote id"),
                                                     _("Local location"), NULL);

    for (guint i = 0; i < list->len; i++)
      {
        OmniChannelLocation *l = list->pdata[i];

        omni_cli_grid_add (grid, "%s", l->remote_name);
        omni_cli_grid_add (grid, "%s", l->remote_id);
        omni_cli_grid_add (grid, "%s", l->location_name ? l->location_name : _("(not synced)"));
      }
    omni_cli_output_grid (ctx->out, grid);
  }
  return TRUE;
}

gboolean
omni_cli_channel_map (OmniCliContext  *ctx,
                      GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *remote = NULL;
  gint64 id, local = 0;

  if (!omni_cli_context_parse (ctx, NULL, 3, 3, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  id = find_channel (store, ctx->argv[1], error);
  if (id == 0)
    return FALSE;
  list = omni_store_list_channel_locations (store, id, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len && remote == NULL; i++)
    {
      OmniChannelLocation *l = list->pdata[i];

      if (g_str_equal (l->remote_id, ctx->argv[2]) ||
          g_utf8_collate (l->remote_name, ctx->argv[2]) == 0)
        remote = l->remote_id;
    }
  if (remote == NULL)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_NOT_FOUND,
                   _("the channel has no remote location “%s”; “channel locations” lists them"),
                   ctx->argv[2]);
      return FALSE;
    }
  if (!g_str_equal (ctx->argv[3], "none"))
    {
      local = omni_cli_find_location (store, ctx->argv[3], error);
      if (local == 0)
        return FALSE;
    }
  if (!omni_store_map_channel_location (store, id, remote, local, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "remote_id", remote);
      omni_cli_json_add_string (builder, "location", local ? ctx->argv[3] : NULL);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else if (local)
    omni_cli_output_print (ctx->out, _("“%s” now syncs with the local location “%s”.\n"),
                           ctx->argv[2], ctx->argv[3]);
  else
    omni_cli_output_print (ctx->out, _("“%s” is no longer synced.\n"), ctx->argv[2]);
  return TRUE;
}

/* channel reauth -------------------------------------------------------- */

static gboolean
omni_cli_channel_reauth_run (OmniCliContext  *ctx,
                             GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(OmniChannel) after = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *client_id = NULL;
  char *secret = NULL;
  gboolean shopify, ok;
  gint64 id;
  const GOptionEntry entries[] = {
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("Shopify: client ID of a Dev Dashboard app; stdin then gives its client secret"),
      N_("ID") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  id = find_channel (store, ctx->argv[1], error);
  if (id == 0)
    return FALSE;
  channel = omni_store_get_channel (store, id, error);
  if (channel == NULL)
    return FALSE;
  shopify = g_strcmp0 (channel->platform, "shopify") == 0;
  if (client_id != NULL && !shopify)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("--client-id is only for Shopify; %s credentials come on stdin as JSON"),
                   channel->platform);
      return FALSE;
    }

  if (shopify)
    secret = omni_cli_read_secret (client_id ? _("client secret") : _("access token"), error);
  else
    secret = omni_cli_read_credentials (g_strcmp0 (channel->platform, "amazon") == 0
                              ? _("Amazon credentials") : _("eBay credentials"), error);
  if (secret == NULL)
    return FALSE;

  /* Tested before anything is replaced: refused credentials change nothing. */
  ok = omni_channel_reauthenticate (store, id, client_id, secret, NULL, &local_error);
  free_secret (secret);
  if (!ok)
    return remote_error (error, g_steal_pointer (&local_error));
  after = omni_store_get_channel (store, id, error);
  if (after == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", id);
      omni_cli_json_add_string (builder, "name", after->name);
      omni_cli_json_add_string (builder, "platform", after->platform);
      omni_cli_json_add_string (builder, "state", after->state);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           _("The new credentials of “%s” work and replaced the old ones in the "
                             "keyring; the channel is %s. Run “sync %s” to catch up.\n"),
                           after->name, after->state, after->name);
  return TRUE;
}

/* sync ---------------------------------------------------------------- */

/* @imported: unmatched variants imported as new products this run;
 * @drifts: how many variants differed in the full comparison this run
 * made, or -1 when it made none (reported as "reconciled": false);
 * @failure: why the channel's sync failed, or %NULL. */
static void
add_stats (JsonBuilder         *builder,
           const OmniChannel   *channel,
           const OmniSyncStats *s,
           const char          *skipped,
           gint64               imported,
           gint64               drifts,
           const char          *failure)
{
  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "channel", channel->name);
  omni_cli_json_add_string (builder, "skipped", skipped);
  omni_cli_json_add_string (builder, "error", failure);
  omni_cli_json_add_int (builder, "variants", s->variants);
  omni_cli_json_add_int (builder, "linked", s->linked);
  omni_cli_json_add_int (builder, "unmatched", s->unmatched);
  omni_cli_json_add_int (builder, "levels", s->levels);
  omni_cli_json_add_int (builder, "orders", s->orders);
  omni_cli_json_add_int (builder, "cancelled_orders", s->cancelled);
  omni_cli_json_add_int (builder, "pushed", s->pushed);
  omni_cli_json_add_int (builder, "conflicts", s->conflicts);
  omni_cli_json_add_int (builder, "failed", s->failed);
  omni_cli_json_add_int (builder, "requests", s->requests);
  omni_cli_json_add_int (builder, "throttled", s->throttled);
  omni_cli_json_add_int (builder, "imported", imported);
  json_builder_set_member_name (builder, "reconciled");
  json_builder_add_boolean_value (builder, drifts >= 0);
  json_builder_set_member_name (builder, "drifts");
  if (drifts >= 0)
    json_builder_add_int_value (builder, drifts);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* A paused channel is never synced; with --due, neither is one whose
 * interval (default: 15 minutes, as in the app) has not passed. */
static const char *
sync_skipped (const OmniChannel *channel,
              gboolean           due_only)
{
  g_auto(OmniChannelSettings) s = { 0 };

  if (channel->paused)
    return "paused";
  omni_channel_settings_init (&s);
  s.interval = channel->interval;
  if (due_only && !omni_channel_settings_is_due (&s, channel->last_sync_at, g_get_real_time (), 15))
    return "not due";
  return NULL;
}

/* What `sync` was asked to do. */
typedef struct
{
  gboolean    pull_only;
  gboolean    push_only;
  gboolean    due_only;
  gboolean    bulk;
  gboolean    import_unmatched;
  const char *first;
} SyncOptions;

/* Syncs one channel that is not skipped: once a day with --due its full
 * comparison first (@drifts: how many variants differed), then what was
 * asked of pull and push, narrowed by the channel's own direction;
 * @imported: unmatched variants imported with --import-unmatched. */
static gboolean
sync_channel (OmniStore          *store,
              OmniChannel        *channel,
              const SyncOptions  *options,
              OmniSyncStats      *stats,
              gint64             *drifts,
              gint64             *imported,
              GString            *text,
              GError            **error)
{
  g_autoptr(OmniConnector) connector = NULL;
  OmniSyncStats pushed = { 0 };

  /* Once a day (as the app's scheduler does) the levels of a channel
   * that syncs now are pulled in full and compared; the result is in the
   * sync log and `channel drift`. */
  if (options->due_only && channel->pulls &&
      omni_store_reconcile_is_due (store, channel->id, g_get_real_time ()))
    {
      g_autoptr(OmniConnector) reconciler = NULL;
      guint n_drifts = 0;

      reconciler = omni_connector_new_for_channel (omni_store_get_path (store), channel, error);
      if (reconciler == NULL)
        return FALSE;
      if (!omni_reconcile_run (store, reconciler, channel->id, g_get_real_time (), NULL,
                               &n_drifts, error))
        return FALSE;
      *drifts = n_drifts;
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%s: full comparison, %u variant differs "
                                                 "(“channel drift %s” lists it).\n",
                                                 "%s: full comparison, %u variants differ "
                                                 "(“channel drift %s” lists them).\n",
                                                 n_drifts),
                              channel->name, n_drifts, channel->name);
    }

  connector = omni_connector_new_for_channel (omni_store_get_path (store), channel, error);
  if (connector == NULL)
    return FALSE;
  if (g_strcmp0 (options->first, "local") == 0 && OMNI_IS_SHOPIFY_CONNECTOR (connector))
    omni_shopify_connector_set_first_sync (OMNI_SHOPIFY_CONNECTOR (connector),
                                           OMNI_SHOPIFY_FIRST_LOCAL);
  if (options->bulk && OMNI_IS_SHOPIFY_CONNECTOR (connector))
    omni_shopify_connector_set_force_bulk (OMNI_SHOPIFY_CONNECTOR (connector), TRUE);

  /* The channel's own direction narrows what was asked for. */
  if (!options->push_only && channel->pulls)
    {
      gboolean ok = omni_connector_pull (connector, NULL, error);

      omni_connector_get_stats (connector, stats);
      if (!ok)
        return FALSE;
      /* Imported variants get their stock from the channel on the pull
       * after their import: one more pull brings it in now. */
      if (options->import_unmatched &&
          omni_store_count_remote_variants (store, channel->id, FALSE) > 0)
        {
          if (!omni_store_import_all_remote_variants (store, channel->id, imported, error) ||
              !omni_connector_pull (connector, NULL, error))
            return FALSE;
        }
    }
  if (!options->pull_only && channel->pushes)
    {
      gboolean ok = omni_connector_push (connector, NULL, error);

      omni_connector_get_stats (connector, &pushed);
      stats->pushed = pushed.pushed;
      stats->conflicts = pushed.conflicts;
      stats->failed = pushed.failed;
      /* Each run counts its own requests. */
      stats->requests += pushed.requests;
      stats->throttled += pushed.throttled;
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
omni_cli_sync_run (OmniCliContext  *ctx,
                   GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *channel_option = NULL;
  g_autofree char *first = NULL;
  g_autoptr(GError) first_failure = NULL;
  SyncOptions options = { 0 };
  const char *wanted;
  guint synced = 0;
  const GOptionEntry entries[] = {
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel_option,
      N_("Only this channel (also accepted as the argument)"), N_("CHANNEL") },
    { "pull", 0, 0, G_OPTION_ARG_NONE, &options.pull_only,
      N_("Only pull products, levels and orders"), NULL },
    { "push", 0, 0, G_OPTION_ARG_NONE, &options.push_only,
      N_("Only push pending quantities"), NULL },
    { "due", 0, 0, G_OPTION_ARG_NONE, &options.due_only,
      N_("Only channels whose sync interval has passed (for a scheduler)"), NULL },
    { "first", 0, 0, G_OPTION_ARG_STRING, &first,
      N_("Whose quantity wins for newly linked variants: remote (default) or local"),
      N_("SIDE") },
    { "bulk", 0, 0, G_OPTION_ARG_NONE, &options.bulk,
      N_("Read all Shopify variants through a bulk operation, whatever the catalog size"), NULL },
    { "import-unmatched", 0, 0, G_OPTION_ARG_NONE, &options.import_unmatched,
      N_("Create local products for remote variants that match nothing (all or none)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  static const char * const sides[] = { "remote", "local", NULL };

  if (!omni_cli_context_parse (ctx, entries, 0, 1, error))
    return FALSE;
  if (first != NULL && !omni_cli_check_choice (first, "--first", sides, error))
    return FALSE;
  wanted = ctx->argv[1] ? ctx->argv[1] : channel_option;
  options.first = first;
  /* Both flags mean both directions, as neither does. */
  if (options.pull_only && options.push_only)
    options.pull_only = options.push_only = FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (wanted != NULL)
    {
      gint64 id = find_channel (store, wanted, error);
      OmniChannel *one;

      if (id == 0)
        return FALSE;
      one = omni_store_get_channel (store, id, error);
      if (one == NULL)
        return FALSE;
      channels = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_channel_free);
      g_ptr_array_add (channels, one);
    }
  else
    {
      channels = omni_store_list_channels (store, error);
      if (channels == NULL)
        return FALSE;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < channels->len; i++)
    {
      OmniChannel *channel = channels->pdata[i];
      g_autoptr(GError) local_error = NULL;
      OmniSyncStats stats = { 0 };
      const char *skipped = sync_skipped (channel, options.due_only);
      gint64 drifts = -1, imported = 0;
      gboolean held_elsewhere = FALSE;
      gboolean ok;

      /* On a shared store one computer at a time syncs a channel, so no
       * push is sent twice; if it goes away, its lock goes with it. */
      if (skipped == NULL &&
          !omni_store_try_lock_channel_sync (store, channel->id, &held_elsewhere, &local_error) &&
          held_elsewhere)
        skipped = "syncing elsewhere";

      if (skipped != NULL)
        {
          add_stats (builder, channel, &stats, skipped, imported, drifts, NULL);
          g_string_append_printf (text, _("%s: skipped (%s).\n"), channel->name, skipped);
          continue;
        }

      /* One channel failing (a revoked token, a platform down) does not
       * keep the others from syncing: each says how it went, and the run
       * ends with exit status 4 and the first failure. */
      ok = local_error == NULL &&
           sync_channel (store, channel, &options, &stats, &drifts, &imported, text,
                         &local_error);
      omni_store_unlock_channel_sync (store, channel->id, NULL);
      if (!ok)
        {
          add_stats (builder, channel, &stats, NULL, imported, drifts, local_error->message);
          g_string_append_printf (text, _("%s: failed: %s\n"), channel->name, local_error->message);
          if (first_failure == NULL)
            {
              first_failure = g_steal_pointer (&local_error);
              if (channels->len > 1)
                g_prefix_error (&first_failure, "%s: ", channel->name);
            }
          continue;
        }

      add_stats (builder, channel, &stats, NULL, imported, drifts, NULL);
      if (imported > 0)
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                   "%s: %" PRId64 " unmatched variant imported "
                                                   "as a new product.\n",
                                                   "%s: %" PRId64 " unmatched variants imported "
                                                   "as new products.\n", (gulong) imported),
                                channel->name, imported);
      g_string_append_printf (text,
                              _("%s: %" PRId64 " remote variants (%" PRId64 " newly linked, %"
                                PRId64 " unmatched), %" PRId64 " orders, %" PRId64
                                " quantities pushed, %" PRId64 " conflicts resolved, %u requests.\n"),
                              channel->name, stats.variants, stats.linked, stats.unmatched,
                              stats.orders, stats.pushed, stats.conflicts, stats.requests);
      synced++;
    }
  json_builder_end_array (builder);

  if (ctx->json)
    omni_cli_output_json (ctx->out, builder);
  else if (synced == 0 && text->len == 0)
    omni_cli_output_print (ctx->out, _("No channels to sync.\n"));
  else
    omni_cli_output_print (ctx->out, "%s", text->str);

  if (first_failure != NULL)
    return remote_error (error, g_steal_pointer (&first_failure));
  return TRUE;
}

/* outbox list --------------------------------------------------------- */

gboolean
omni_cli_outbox_list (OmniCliContext  *ctx,
                      GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *channel_option = NULL;
  g_autofree char *state = NULL;
  gint64 channel = 0;
  static const char * const states[] = { "pending", "sending", "done", "failed", "conflict", NULL };
  const GOptionEntry entries_options[] = {
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel_option,
      N_("Only this channel"), N_("CHANNEL") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state,
      N_("Only entries in this state (default: all not yet done)"), N_("STATE") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries_options, 0, 0, error))
    return FALSE;
  if (state != NULL && !omni_cli_check_choice (state, "--state", states, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (channel_option != NULL && (channel = find_channel (store, channel_option, error)) == 0)
    return FALSE;
  entries = omni_store_list_outbox (store, channel, state, 0, error);
  if (entries == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries->len; i++)
        {
          OmniOutboxEntry *e = entries->pdata[i];

          json_builder_begin_object (builder);
          omni_cli_json_add_int (builder, "id", e->id);
          omni_cli_json_add_string (builder, "op_id", e->op_id);
          omni_cli_json_add_int (builder, "channel_id", e->channel_id);
          omni_cli_json_add_string (builder, "sku", e->sku);
          omni_cli_json_add_string (builder, "state", e->state);
          omni_cli_json_add_int (builder, "attempts", e->attempts);
          omni_cli_json_add_string (builder, "next_attempt", e->next_attempt_at);
          omni_cli_json_add_string (builder, "last_error", e->last_error);
          omni_cli_json_add_string (builder, "payload", e->payload);
          omni_cli_json_add_string (builder, "created", e->created_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (entries->len == 0)
    {
      omni_cli_output_print (ctx->out, _("Nothing waiting to be pushed.\n"));
      return TRUE;
    }
  {
    g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("Id"), _("SKU"), _("State"), _("Attempts"),
                                                     _("Next attempt"), _("Last error"), NULL);

    omni_cli_grid_align_right (grid, 0);
    omni_cli_grid_align_right (grid, 3);
    for (guint i = 0; i < entries->len; i++)
      {
        OmniOutboxEntry *e = entries->pdata[i];
        g_autofree char *when = e->next_attempt_at ? omni_cli_display_time (e->next_attempt_at)
                                                   : NULL;

        omni_cli_grid_add (grid, "%" PRId64, e->id);
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (e->sku));
        omni_cli_grid_add (grid, "%s", e->state);
        omni_cli_grid_add (grid, "%" PRId64, e->attempts);
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (when));
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (e->last_error));
      }
    omni_cli_output_grid (ctx->out, grid);
  }
  return TRUE;
}

gboolean
omni_cli_channel_add (OmniCliContext  *ctx,
                     GError         **error)
{
  gboolean ok = omni_cli_channel_add_run (ctx, error);

  omni_secret_release ();
  return ok;
}

gboolean
omni_cli_channel_remove (OmniCliContext  *ctx,
                        GError         **error)
{
  gboolean ok = omni_cli_channel_remove_run (ctx, error);

  omni_secret_release ();
  return ok;
}

gboolean
omni_cli_sync (OmniCliContext  *ctx,
              GError         **error)
{
  gboolean ok = omni_cli_sync_run (ctx, error);

  omni_secret_release ();
  return ok;
}

gboolean
omni_cli_channel_reauth (OmniCliContext  *ctx,
                         GError         **error)
{
  gboolean ok = omni_cli_channel_reauth_run (ctx, error);

  omni_secret_release ();
  return ok;
}
