/* omni-cli-drift.c: `channel drift`, the channel's quantities compared
 *
 * Lists every linked variant whose quantity on the channel differs from
 * what OmniStock expects (exit 3 when there is one, as `check` does, so a
 * script can tell), with what explains it; `--fix local|remote` applies the
 * same one-transaction fix as the drift view's buttons. `--refresh` pulls the
 * channel in full first (a logged `reconcile` run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-drift.h"
#include "omni-reconcile.h"
#include "omni-secret.h"
#include "omni-store-channel.h"

/* Refused input leaves with exit 2 and a sentence; nothing was changed. */
static gboolean
refuse (GError  **error,
        GError   *cause)
{
  g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID, cause->message);
  g_error_free (cause);
  return FALSE;
}

static void
add_events (JsonBuilder *builder,
            GPtrArray   *events)
{
  json_builder_set_member_name (builder, "explanation");
  json_builder_begin_array (builder);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      OmniDriftEvent *e = events->pdata[i];

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "time", e->at);
      omni_cli_json_add_string (builder, "side", e->side);
      omni_cli_json_add_string (builder, "what", e->what);
      omni_cli_json_add_int (builder, "quantity", e->quantity);
      omni_cli_json_add_string (builder, "detail", e->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
join_events (GPtrArray *events)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      OmniDriftEvent *e = events->pdata[i];

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, e->detail);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
list_drift (OmniCliContext  *ctx,
            OmniStore       *store,
            gint64           channel_id,
            const char      *channel_name,
            GError         **error)
{
  g_autoptr(GPtrArray) drifts = omni_store_list_drift (store, channel_id, G_MAXINT, error);
  g_autoptr(GPtrArray) explanations = NULL;
  g_autofree char *fresh = NULL;

  if (drifts == NULL)
    return FALSE;
  explanations = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < drifts->len; i++)
    {
      OmniDrift *d = drifts->pdata[i];
      GPtrArray *events = omni_store_explain_drift (store, channel_id, d->variant_id,
                                                    d->location_id, 0, error);

      if (events == NULL)
        return FALSE;
      g_ptr_array_add (explanations, events);
    }
  fresh = omni_store_channel_fresh_at (store, channel_id);

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "channel", channel_name);
      omni_cli_json_add_string (builder, "fresh_at", fresh);
      json_builder_set_member_name (builder, "drift");
      json_builder_begin_array (builder);
      for (guint i = 0; i < drifts->len; i++)
        {
          OmniDrift *d = drifts->pdata[i];

          json_builder_begin_object (builder);
          omni_cli_json_add_string (builder, "sku", d->sku);
          omni_cli_json_add_string (builder, "title", d->title);
          omni_cli_json_add_string (builder, "location", d->location_name);
          omni_cli_json_add_int (builder, "available", d->available);
          omni_cli_json_add_int (builder, "expected", d->expected);
          omni_cli_json_add_int (builder, "remote", d->remote);
          omni_cli_json_add_int (builder, "difference", d->remote - d->expected);
          omni_cli_json_add_string (builder, "remote_seen", d->remote_seen_at);
          omni_cli_json_add_int (builder, "pending_pushes", d->pending);
          omni_cli_json_add_int (builder, "conflicts", d->conflicts);
          add_events (builder, explanations->pdata[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else if (drifts->len == 0)
    omni_cli_output_print (ctx->out, _("%s shows what OmniStock expects for every linked "
                                       "variant.\n"), channel_name);
  else
    {
      g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("SKU"), _("Location"), _("Expected"),
                                                       _("Remote"), _("Difference"),
                                                       _("Explanation"), NULL);

      omni_cli_grid_align_right (grid, 2);
      omni_cli_grid_align_right (grid, 3);
      omni_cli_grid_align_right (grid, 4);
      for (guint i = 0; i < drifts->len; i++)
        {
          OmniDrift *d = drifts->pdata[i];
          g_autofree char *why = join_events (explanations->pdata[i]);

          omni_cli_grid_add (grid, "%s", omni_cli_or_empty (d->sku));
          omni_cli_grid_add (grid, "%s", d->location_name);
          omni_cli_grid_add (grid, "%" PRId64, d->expected);
          omni_cli_grid_add (grid, "%" PRId64, d->remote);
          omni_cli_grid_add (grid, "%+" PRId64, d->remote - d->expected);
          omni_cli_grid_add (grid, "%s", why);
        }
      omni_cli_output_grid (ctx->out, grid);
    }

  if (drifts->len > 0)
    g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CHECK_FAILED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u variant on “%s” differs from what OmniStock expects; "
                              "“channel drift %s --fix local|remote --sku SKU” fixes one",
                              "%u variants on “%s” differ from what OmniStock expects; "
                              "“channel drift %s --fix local|remote --sku SKU” fixes one",
                              drifts->len),
                 drifts->len, channel_name, channel_name);
  return drifts->len == 0;
}

/* Finds the drift of @sku (at @location, needed only when the variant
 * drifts at more than one). */
static OmniDrift *
find_fix_target (OmniStore   *store,
                 gint64       channel_id,
                 const char  *sku,
                 const char  *location,
                 GError     **error)
{
  g_autoptr(GPtrArray) drifts = NULL;
  g_autoptr(GError) local_error = NULL;
  OmniDrift *found = NULL;
  gint64 variant_id, location_id = 0;
  guint matches = 0;

  variant_id = omni_store_find_variant (store, sku, &local_error);
  if (variant_id == 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_NOT_FOUND,
                   _("no variant has the SKU or barcode “%s”; nothing was changed"), sku);
      return NULL;
    }
  if (location != NULL)
    {
      location_id = omni_cli_find_location (store, location, &local_error);
      if (location_id == 0)
        {
          refuse (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  drifts = omni_store_list_drift (store, channel_id, G_MAXINT, error);
  if (drifts == NULL)
    return NULL;
  for (guint i = 0; i < drifts->len; i++)
    {
      OmniDrift *d = drifts->pdata[i];

      if (d->variant_id != variant_id || (location_id != 0 && d->location_id != location_id))
        continue;
      matches++;
      if (found == NULL)
        found = g_ptr_array_steal_index (drifts, i--);
    }
  if (matches == 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("the channel already shows what OmniStock expects for “%s”%s%s, so there "
                     "is nothing to fix"), sku, location ? _(" at ") : "",
                   location ? location : "");
      return NULL;
    }
  if (matches > 1)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("“%s” differs at %u locations; name one with --location"), sku, matches);
      omni_drift_free (found);
      return NULL;
    }
  return found;
}

static gboolean
fix_drift (OmniCliContext  *ctx,
           OmniStore       *store,
           gint64           channel_id,
           const char      *side,
           const char      *sku,
           const char      *location,
           GError         **error)
{
  g_autoptr(OmniDrift) drift = find_fix_target (store, channel_id, sku, location, error);
  g_autoptr(GError) local_error = NULL;
  gint64 entry = 0, delta = 0;

  if (drift == NULL)
    return FALSE;
  if (g_str_equal (side, "local"))
    {
      entry = omni_store_drift_push_local (store, channel_id, drift->variant_id,
                                           drift->location_id, &local_error);
      if (entry == 0)
        return refuse (error, g_steal_pointer (&local_error));
    }
  else if (!omni_store_drift_accept_remote (store, channel_id, drift->variant_id,
                                            drift->location_id, omni_cli_get_actor (), &delta,
                                            &local_error))
    return refuse (error, g_steal_pointer (&local_error));

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "sku", drift->sku);
      omni_cli_json_add_string (builder, "location", drift->location_name);
      omni_cli_json_add_string (builder, "fix", side);
      omni_cli_json_add_int (builder, "expected", drift->expected);
      omni_cli_json_add_int (builder, "remote", drift->remote);
      if (entry != 0)
        {
          omni_cli_json_add_int (builder, "outbox_id", entry);
          omni_cli_json_add_int (builder, "quantity", drift->expected);
        }
      else
        omni_cli_json_add_int (builder, "delta", delta);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else if (entry != 0)
    omni_cli_output_print (ctx->out, _("%s at %s: %" PRId64 " will be pushed to the channel "
                                       "(outbox entry %" PRId64 "); “sync --push” sends it now.\n"),
                           drift->sku, drift->location_name, drift->expected, entry);
  else
    omni_cli_output_print (ctx->out, _("%s at %s: the channel’s %" PRId64 " accepted "
                                       "(on hand %+" PRId64 ").\n"),
                           drift->sku, drift->location_name, drift->remote, delta);
  return TRUE;
}

static gboolean
channel_drift_run (OmniCliContext  *ctx,
                   GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *sku = NULL;
  g_autofree char *location = NULL;
  gboolean refresh = FALSE;
  gint64 id;
  static const char * const sides[] = { "local", "remote", NULL };
  const GOptionEntry entries[] = {
    { "fix", 0, 0, G_OPTION_ARG_STRING, &fix,
      N_("Fix one drift: local pushes OmniStock’s quantity, remote accepts the channel’s"),
      N_("SIDE") },
    { "sku", 0, 0, G_OPTION_ARG_STRING, &sku,
      N_("The variant to fix (SKU or barcode)"), N_("SKU") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("The local location to fix, when the variant differs at several"), N_("NAME") },
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &refresh,
      N_("Pull the channel’s levels in full first"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (fix != NULL && !omni_cli_check_choice (fix, "--fix", sides, error))
    return FALSE;
  if (fix != NULL && sku == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--fix needs --sku SKU to say which variant"));
      return FALSE;
    }
  if (fix == NULL && (sku != NULL || location != NULL))
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--sku and --location only go with --fix local|remote"));
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  id = omni_store_find_channel (store, ctx->argv[1], NULL);
  if (id == 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_NOT_FOUND,
                   _("no channel is named “%s”; “channel list” shows them"), ctx->argv[1]);
      return FALSE;
    }
  channel = omni_store_get_channel (store, id, error);
  if (channel == NULL)
    return FALSE;

  if (refresh)
    {
      g_autoptr(OmniConnector) connector = NULL;
      g_autoptr(GError) local_error = NULL;

      connector = omni_connector_new_for_channel (omni_store_get_path (store), channel, error);
      if (connector == NULL)
        return FALSE;
      if (!omni_reconcile_run (store, connector, id, g_get_real_time (), NULL, NULL,
                               &local_error))
        {
          if (local_error->domain == OMNI_SYNC_ERROR)
            {
              g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_REMOTE,
                                   local_error->message);
              return FALSE;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (fix != NULL)
    return fix_drift (ctx, store, id, fix, sku, location, error);
  return list_drift (ctx, store, id, channel->name, error);
}

gboolean
omni_cli_channel_drift (OmniCliContext  *ctx,
                        GError         **error)
{
  gboolean ok = channel_drift_run (ctx, error);

  omni_secret_release ();
  return ok;
}
