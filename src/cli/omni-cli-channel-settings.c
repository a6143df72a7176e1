/* omni-cli-channel-settings.c: a channel's sync settings and what it will list
 *
 * `channel settings NAME` shows the settings, or changes the ones given as
 * flags (all at once, validated by the store: a refused value changes
 * nothing and exits with status 2). `channel preview NAME` prints what the
 * channel lists for each linked variant under the saved rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-channel-settings.h"
#include "omni-cli-args.h"
#include "omni-cli-channel-settings.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"

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

static char *
location_name (GPtrArray *locations,
               gint64     id)
{
  for (guint i = 0; i < locations->len; i++)
    {
      OmniLocation *l = locations->pdata[i];

      if (l->id == id)
        return g_strdup (l->name);
    }
  return g_strdup_printf ("#%" G_GINT64_FORMAT, id);
}

/* Reads "A,B" into location ids; each name must exist. "" clears the list. */
static gboolean
parse_locations (OmniStore   *store,
                 const char  *text,
                 GArray      *out,
                 GError     **error)
{
  g_auto(GStrv) names = g_strsplit (text, ",", -1);

  g_array_set_size (out, 0);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gint64 id;

      if (*name == '\0')
        continue;
      if (out->len >= OMNI_CHANNEL_MAX_LOCATIONS)
        {
          g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                       _("at most %d locations can feed a channel"), OMNI_CHANNEL_MAX_LOCATIONS);
          return FALSE;
        }
      id = omni_store_find_location (store, name, NULL);
      if (id == 0)
        {
          g_autofree char *shown = g_utf8_make_valid (name, -1);

          g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                       _("--locations: no location is named “%s”; “location list” shows them"),
                       shown);
          return FALSE;
        }
      g_array_append_val (out, id);
    }
  return TRUE;
}

static void
print_settings (OmniCliContext            *ctx,
                const OmniChannel         *channel,
                const OmniChannelSettings *s,
                GPtrArray                 *locations,
                gint64                     queued)
{
  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "channel", channel->name);
      omni_cli_json_add_string (builder, "direction", omni_sync_direction_to_string (s->direction));
      omni_cli_json_add_int (builder, "buffer", s->buffer);
      omni_cli_json_add_optional_int (builder, "max", s->max_listed);
      omni_cli_json_add_int (builder, "percent", s->percent);
      omni_cli_json_add_int (builder, "floor", s->floor);
      json_builder_set_member_name (builder, "locations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < s->locations->len; i++)
        {
          g_autofree char *name = location_name (locations, g_array_index (s->locations, gint64, i));

          json_builder_add_string_value (builder, name);
        }
      json_builder_end_array (builder);
      omni_cli_json_add_int (builder, "interval", s->interval);
      omni_cli_json_add_boolean (builder, "paused", s->paused);
      omni_cli_json_add_int (builder, "queued_pushes", queued);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return;
    }

  {
    g_autoptr(OmniCliTable) table = omni_cli_table_new ();
    g_autoptr(GString) feed = g_string_new (NULL);

    for (guint i = 0; i < s->locations->len; i++)
      {
        g_autofree char *name = location_name (locations, g_array_index (s->locations, gint64, i));

        g_string_append_printf (feed, "%s%s", i ? ", " : "", name);
      }
    omni_cli_table_add (table, _("Channel"), "%s", channel->name);
    omni_cli_table_add (table, _("Direction"), "%s", omni_sync_direction_to_string (s->direction));
    omni_cli_table_add (table, _("Buffer"), "%" PRId64, s->buffer);
    if (s->max_listed >= 0)
      omni_cli_table_add (table, _("Maximum listed"), "%" PRId64, s->max_listed);
    else
      omni_cli_table_add (table, _("Maximum listed"), "%s", _("no limit"));
    omni_cli_table_add (table, _("Percentage"), "%d %%", s->percent);
    omni_cli_table_add (table, _("Floor"), "%" PRId64, s->floor);
    omni_cli_table_add (table, _("Feeding locations"), "%s",
                        feed->len > 0 ? feed->str : _("the mapped location"));
    if (s->interval > 0)
      omni_cli_table_add (table, _("Sync interval"), _("%d min"), s->interval);
    else
      omni_cli_table_add (table, _("Sync interval"), "%s", _("the default"));
    omni_cli_table_add (table, _("Paused"), "%s", s->paused ? _("yes") : _("no"));
    if (queued > 0)
      omni_cli_table_add (table, _("Pushes queued"), "%" PRId64, queued);
    omni_cli_output_table (ctx->out, table);
  }
}

gboolean
omni_cli_channel_settings (OmniCliContext  *ctx,
                           GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_auto(OmniChannelSettings) s = { 0 };
  g_autofree char *direction = NULL, *buffer = NULL, *max = NULL, *percent = NULL;
  g_autofree char *floor_text = NULL, *feed = NULL, *interval = NULL;
  gboolean pause = FALSE, resume = FALSE;
  gint64 id, n, queued = 0;
  const GOptionEntry entries[] = {
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction,
      N_("Sync both ways, only pull or only push"), N_("both|pull|push") },
    { "buffer", 0, 0, G_OPTION_ARG_STRING, &buffer,
      N_("Hold back N units: publish available minus N"), N_("N") },
    { "max", 0, 0, G_OPTION_ARG_STRING, &max,
      N_("List at most N units ('none': no limit)"), N_("N") },
    { "percent", 0, 0, G_OPTION_ARG_STRING, &percent,
      N_("Publish P percent of what the buffer leaves, rounded down"), N_("P") },
    { "floor", 0, 0, G_OPTION_ARG_STRING, &floor_text,
      N_("Show 0 while the available stock is below N"), N_("N") },
    { "locations", 0, 0, G_OPTION_ARG_STRING, &feed,
      N_("Locations whose stock is summed (Amazon, eBay; '' for the mapped one)"), N_("A,B") },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval,
      N_("Minutes between scheduled syncs (0: the default)"), N_("MIN") },
    { "pause", 0, 0, G_OPTION_ARG_NONE, &pause, N_("Stop syncing; changes wait"), NULL },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume, N_("Sync again"), NULL },
    G_OPTION_ENTRY_NULL
  };
  gboolean change;

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (pause && resume)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--pause and --resume cannot be given together"));
      return FALSE;
    }
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  id = find_channel (store, ctx->argv[1], error);
  if (id == 0 || (channel = omni_store_get_channel (store, id, error)) == NULL)
    return FALSE;
  if (!omni_store_load_channel_settings (store, id, &s, error))
    return FALSE;
  locations = omni_store_list_locations (store, TRUE, error);
  if (locations == NULL)
    return FALSE;

  change = direction || buffer || max || percent || floor_text || feed || interval ||
           pause || resume;
  if (direction != NULL && !omni_sync_direction_from_string (direction, &s.direction))
    {
      g_autofree char *shown = g_utf8_make_valid (direction, -1);

      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("--direction must be both, pull or push, not “%s”"), shown);
      return FALSE;
    }
  if (buffer != NULL)
    {
      if (!omni_cli_parse_int (buffer, "--buffer", 0, OMNI_CHANNEL_MAX_BUFFER, &n, error))
        return FALSE;
      s.buffer = n;
    }
  if (max != NULL)
    {
      if (g_str_equal (max, "none"))
        s.max_listed = -1;
      else if (!omni_cli_parse_int (max, "--max", 0, OMNI_CHANNEL_MAX_LISTED, &s.max_listed, error))
        return FALSE;
    }
  if (percent != NULL)
    {
      if (!omni_cli_parse_int (percent, "--percent", 0, 100, &n, error))
        return FALSE;
      s.percent = (int)n;
    }
  if (floor_text != NULL)
    {
      if (!omni_cli_parse_int (floor_text, "--floor", 0, OMNI_CHANNEL_MAX_FLOOR, &n, error))
        return FALSE;
      s.floor = n;
    }
  if (interval != NULL)
    {
      if (!omni_cli_parse_int (interval, "--interval", 0, OMNI_CHANNEL_MAX_INTERVAL, &n, error))
        return FALSE;
      s.interval = (int)n;
    }
  if (feed != NULL && !parse_locations (store, feed, s.locations, error))
    return FALSE;
  if (pause || resume)
    s.paused = pause;

  if (change && !omni_store_save_channel_settings (store, id, &s, &queued, error))
    return FALSE;

  print_settings (ctx, channel, &s, locations, queued);
  return TRUE;
}

gboolean
omni_cli_channel_preview (OmniCliContext  *ctx,
                          GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  id = find_channel (store, ctx->argv[1], error);
  if (id == 0)
    return FALSE;
  rows = omni_store_channel_preview (store, id, NULL, 0, error);
  if (rows == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          OmniChannelPreviewRow *r = rows->pdata[i];

          json_builder_begin_object (builder);
          omni_cli_json_add_string (builder, "sku", r->sku);
          omni_cli_json_add_string (builder, "title", r->title);
          omni_cli_json_add_string (builder, "remote_location", r->remote_location);
          omni_cli_json_add_int (builder, "available", r->available);
          omni_cli_json_add_int (builder, "listed", r->listed);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (rows->len == 0)
    {
      omni_cli_output_print (ctx->out, _("No linked variants at a synced location yet: "
                                         "run “sync” first.\n"));
      return TRUE;
    }
  {
    g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("SKU"), _("Title"), _("Remote location"),
                                                     _("Available"), _("Listed"), NULL);

    omni_cli_grid_align_right (grid, 3);
    omni_cli_grid_align_right (grid, 4);
    for (guint i = 0; i < rows->len; i++)
      {
        OmniChannelPreviewRow *r = rows->pdata[i];

        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (r->sku));
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (r->title));
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (r->remote_location));
        omni_cli_grid_add (grid, "%" PRId64, r->available);
        omni_cli_grid_add (grid, "%" PRId64, r->listed);
      }
    omni_cli_output_grid (ctx->out, grid);
  }
  return TRUE;
}
