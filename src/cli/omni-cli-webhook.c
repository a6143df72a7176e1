/* omni-cli-webhook.c: `webhook serve`, `webhook status` and `webhook secret`
 *
 * `webhook serve` runs the receiver in the foreground until SIGINT or
 * SIGTERM; the signing secret never appears on the command line (`webhook
 * secret` reads it from stdin into the keyring).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "omni-cli-webhook.h"
#include "omni-connector.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-store-webhook.h"
#include "omni-webhook-server.h"

#define MAX_SECRET_BYTES 512

static gint64
find_channel (OmniStore   *store,
              const char  *name,
              GError     **error)
{
  gint64 id = omni_store_find_channel (store, name, NULL);

  if (id == 0)
    g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_NOT_FOUND,
                 _("no channel is named “%s”; “channel list” shows them"), name);
  return id;
}

static gboolean
remote_error (GError **error,
              GError  *cause)
{
  if (cause->domain == OMNI_SYNC_ERROR)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_REMOTE, cause->message);
      g_error_free (cause);
    }
  else if (cause->domain == G_IO_ERROR && cause->code == G_IO_ERROR_INVALID_ARGUMENT)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE, cause->message);
      g_error_free (cause);
    }
  else if (cause->domain != OMNI_STORE_ERROR)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_REMOTE, cause->message);
      g_error_free (cause);
    }
  else
    g_propagate_error (error, cause);
  return FALSE;
}

/* webhook serve --------------------------------------------------------- */

static gboolean
on_quit_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
serve_run (OmniCliContext  *ctx,
           GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniWebhookServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *channel_option = NULL;
  g_autofree char *url = NULL;
  gint port = OMNI_WEBHOOK_DEFAULT_PORT;
  gint64 channel = 0;
  guint n_channels, n_signed = 0;
  guint sigint, sigterm;
  const GOptionEntry entries[] = {
    { "bind", 0, 0, G_OPTION_ARG_STRING, &bind,
      N_("IP address to listen on (default 127.0.0.1)"), N_("ADDR") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      N_("TCP port (default 8787; 0 picks a free one)"), N_("N") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel_option,
      N_("Accept deliveries for this channel only"), N_("CHANNEL") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;
  if (port < 0 || port > 65535)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("--port must be between 0 and 65535, not %d"), port);
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (channel_option != NULL && (channel = find_channel (store, channel_option, error)) == 0)
    return FALSE;
  g_clear_object (&store);

  server = omni_webhook_server_new (ctx->store_path);
  omni_webhook_server_set_channel (server, channel);
  if (!omni_webhook_server_start (server, bind, (guint)port, NULL, &local_error))
    return remote_error (error, g_steal_pointer (&local_error));

  n_channels = omni_webhook_server_count_channels (server, &n_signed);
  if (n_signed == 0)
    {
      omni_webhook_server_stop (server);
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_REMOTE,
                   _("no Shopify channel has a webhook signing secret in the keyring, so every "
                     "delivery would be refused; store one with “webhook secret CHANNEL” "
                     "(the app's client secret is used when the channel signs in with one)"));
      return FALSE;
    }

  url = omni_webhook_server_get_url (server);
  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "url", url);
      omni_cli_json_add_string (builder, "bind", bind ? bind : OMNI_WEBHOOK_DEFAULT_BIND);
      omni_cli_json_add_int (builder, "port", omni_webhook_server_get_port (server));
      omni_cli_json_add_int (builder, "channels", n_channels);
      omni_cli_json_add_int (builder, "channels_with_secret", n_signed);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           _("Receiving Shopify webhooks at %s for %u of %u channels "
                             "(Ctrl+C stops)\n"),
                           url, n_signed, n_channels);
  fflush (NULL);

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  /* Applies the delivery in hand; anything still queued waits for the next
   * start. */
  omni_webhook_server_stop (server);
  return TRUE;
}

gboolean
omni_cli_webhook_serve (OmniCliContext  *ctx,
                        GError         **error)
{
  /* The keyring connection stays cached until exit: disconnecting it
   * strands libsecret's pending D-Bus replies. */
  return serve_run (ctx, error);
}

/* webhook status -------------------------------------------------------- */

gboolean
omni_cli_webhook_status (OmniCliContext  *ctx,
                         GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_auto(OmniWebhookStats) stats = { 0 };
  g_autofree char *channel_option = NULL;
  gint64 channel = 0;
  const GOptionEntry entries[] = {
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel_option,
      N_("Count the deliveries of this channel only"), N_("CHANNEL") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (channel_option != NULL && (channel = find_channel (store, channel_option, error)) == 0)
    return FALSE;
  if (!omni_store_get_webhook_stats (store, channel, &stats, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "received", stats.received);
      omni_cli_json_add_int (builder, "queued", stats.queued);
      omni_cli_json_add_int (builder, "applied", stats.applied);
      omni_cli_json_add_int (builder, "ignored", stats.ignored);
      omni_cli_json_add_int (builder, "failed", stats.failed);
      omni_cli_json_add_int (builder, "duplicates", stats.duplicates);
      omni_cli_json_add_int (builder, "rejected", stats.rejected);
      omni_cli_json_add_string (builder, "last_received_at", stats.last_received_at);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    {
      g_autoptr(OmniCliTable) table = omni_cli_table_new ();
      g_autofree char *last = stats.last_received_at
                              ? omni_cli_display_time (stats.last_received_at) : NULL;

      omni_cli_table_add (table, _("Received"), "%" G_GINT64_FORMAT, stats.received);
      omni_cli_table_add (table, _("Waiting"), "%" G_GINT64_FORMAT, stats.queued);
      omni_cli_table_add (table, _("Applied"), "%" G_GINT64_FORMAT, stats.applied);
      omni_cli_table_add (table, _("Ignored"), "%" G_GINT64_FORMAT, stats.ignored);
      omni_cli_table_add (table, _("Failed"), "%" G_GINT64_FORMAT, stats.failed);
      omni_cli_table_add (table, _("Duplicates"), "%" G_GINT64_FORMAT, stats.duplicates);
      omni_cli_table_add (table, _("Rejected"), "%" G_GINT64_FORMAT, stats.rejected);
      omni_cli_table_add (table, _("Last received"), "%s", last ? last : _("never"));
      omni_cli_output_table (ctx->out, table);
    }
  return TRUE;
}

/* webhook secret -------------------------------------------------------- */

static char *
read_secret (GError **error)
{
  char buffer[MAX_SECRET_BYTES + 2];
  char *secret;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("the webhook signing secret must be given on stdin"));
      return NULL;
    }
  if (strlen (buffer) > MAX_SECRET_BYTES && buffer[strlen (buffer) - 1] != '\n')
    {
      memset (buffer, 0, sizeof buffer);
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("the webhook signing secret read from stdin is longer than %d bytes"),
                   MAX_SECRET_BYTES);
      return NULL;
    }
  buffer[strcspn (buffer, "\r\n")] = '\0';
  secret = g_strdup (g_strstrip (buffer));
  memset (buffer, 0, sizeof buffer);
  if (*secret == '\0')
    {
      g_free (secret);
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                           _("the webhook signing secret read from stdin is empty"));
      return NULL;
    }
  return secret;
}

static gboolean
secret_run (OmniCliContext  *ctx,
            GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id;
  char *secret;
  gboolean ok;

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
  if (!g_str_equal (channel->platform, "shopify"))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("“%s” is not a Shopify channel; only Shopify webhooks are received"),
                   channel->name);
      return FALSE;
    }

  secret = read_secret (error);
  if (secret == NULL)
    return FALSE;
  ok = omni_secret_store (OMNI_WEBHOOK_SECRET_PLATFORM, channel->account,
                          "OmniStock webhook signing secret", secret, NULL, &local_error);
  memset (secret, 0, strlen (secret));
  g_free (secret);
  if (!ok)
    return remote_error (error, g_steal_pointer (&local_error));

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "channel", channel->id);
      omni_cli_json_add_boolean (builder, "stored", TRUE);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, _("The webhook signing secret of “%s” is in the keyring.\n"),
                           channel->name);
  return TRUE;
}

gboolean
omni_cli_webhook_secret (OmniCliContext  *ctx,
                         GError         **error)
{
  /* As for serve, the keyring connection is left for exit to close. */
  return secret_run (ctx, error);
}
