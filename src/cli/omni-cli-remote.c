/* omni-cli-remote.c: remote variants a sync could not link
 *
 * `channel unmatched CHANNEL` lists them (paged: --limit, --offset; --search;
 * --ignored adds the ignored ones), `channel link CHANNEL --remote ID --sku
 * SKU` links one to a local variant, `channel import CHANNEL --remote ID`
 * (or --all, all or none) creates local products from them and `channel
 * ignore CHANNEL --remote ID [--undo]` hides one. --remote takes the remote
 * variant id, or a remote SKU only one of them has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-remote.h"
#include "omni-money.h"
#include "omni-store-catalog.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"

static OmniChannel *
open_channel (OmniCliContext  *ctx,
              OmniStore       *store,
              GError         **error)
{
  gint64 id = omni_store_find_channel (store, ctx->argv[1], NULL);

  if (id == 0)
    {
      g_autofree char *shown = g_utf8_make_valid (ctx->argv[1], -1);

      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_NOT_FOUND,
                   _("no channel is named “%s”; “channel list” shows them"), shown);
      return NULL;
    }
  return omni_store_get_channel (store, id, error);
}

static char *
remote_label (const OmniRemoteVariant *remote)
{
  if (remote->product_title != NULL && remote->title != NULL &&
      g_strcmp0 (remote->title, "Default Title") != 0 &&
      g_strcmp0 (remote->title, remote->product_title) != 0)
    return g_strdup_printf ("%s — %s", remote->product_title, remote->title);
  if (remote->product_title != NULL)
    return g_strdup (remote->product_title);
  return g_strdup (remote->title != NULL ? remote->title : "");
}

static void
add_remote_json (JsonBuilder             *builder,
                 const OmniRemoteVariant *remote)
{
  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "remote_id", remote->remote_variant_id);
  omni_cli_json_add_string (builder, "remote_product_id", remote->remote_product_id);
  omni_cli_json_add_string (builder, "remote_inventory_id", remote->remote_inventory_id);
  omni_cli_json_add_string (builder, "sku", remote->sku);
  omni_cli_json_add_string (builder, "barcode", remote->barcode);
  omni_cli_json_add_string (builder, "product_title", remote->product_title);
  omni_cli_json_add_string (builder, "title", remote->title);
  omni_cli_json_add_optional_int (builder, "price_minor", remote->price);
  omni_cli_json_add_string (builder, "currency", remote->currency);
  omni_cli_json_add_string (builder, "state", remote->state);
  omni_cli_json_add_string (builder, "first_seen", remote->first_seen_at);
  omni_cli_json_add_string (builder, "last_seen", remote->last_seen_at);
  json_builder_end_object (builder);
}

/* channel unmatched ----------------------------------------------------- */

gboolean
omni_cli_channel_unmatched (OmniCliContext  *ctx,
                            GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *limit_text = NULL, *offset_text = NULL, *search = NULL;
  gboolean ignored = FALSE;
  gint64 limit = 100, offset = 0, total = 0;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_("Show at most N (default 100, at most 1000)"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_STRING, &offset_text, N_("Skip the first N"), N_("N") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only those whose SKU, barcode, title or id contains TEXT"), N_("TEXT") },
    { "ignored", 0, 0, G_OPTION_ARG_NONE, &ignored, N_("Include the ignored ones"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if ((limit_text != NULL &&
       !omni_cli_parse_int (limit_text, "--limit", 1, OMNI_REMOTE_LIST_MAX, &limit, error)) ||
      (offset_text != NULL &&
       !omni_cli_parse_int (offset_text, "--offset", 0, G_MAXINT32, &offset, error)))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  channel = open_channel (ctx, store, error);
  if (channel == NULL)
    return FALSE;
  rows = omni_store_list_remote_variants (store, channel->id, search, ignored, offset, limit,
                                          &total, error);
  if (rows == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "channel", channel->name);
      omni_cli_json_add_int (builder, "total", total);
      json_builder_set_member_name (builder, "variants");
      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        add_remote_json (builder, rows->pdata[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (total == 0)
    {
      omni_cli_output_print (ctx->out, _("Every remote variant of %s is linked.\n"), channel->name);
      return TRUE;
    }
  {
    g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("Remote id"), _("SKU"), _("Barcode"),
                                                     _("Title"), _("Price"), _("Last seen"),
                                                     NULL);

    omni_cli_grid_align_right (grid, 4);
    for (guint i = 0; i < rows->len; i++)
      {
        OmniRemoteVariant *r = rows->pdata[i];
        g_autofree char *label = remote_label (r);
        g_autofree char *price = r->price >= 0 && r->currency != NULL
                                 ? omni_money_format (r->price, r->currency) : NULL;
        g_autofree char *seen = omni_cli_display_time (r->last_seen_at);

        omni_cli_grid_add (grid, "%s", r->remote_variant_id);
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (r->sku));
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (r->barcode));
        if (g_strcmp0 (r->state, OMNI_REMOTE_STATE_IGNORED) == 0)
          omni_cli_grid_add (grid, _("%s (ignored)"), label);
        else
          omni_cli_grid_add (grid, "%s", label);
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (price));
        omni_cli_grid_add (grid, "%s", seen != NULL ? seen : "");
      }
    omni_cli_output_grid (ctx->out, grid);
    if (total > (gint64) rows->len)
      omni_cli_output_print (ctx->out, _("%u of %" PRId64 " shown; --offset and --limit page"
                                         " through them.\n"), rows->len, total);
  }
  return TRUE;
}

/* channel link ---------------------------------------------------------- */

static OmniRemoteVariant *
find_remote (OmniStore    *store,
             gint64        channel_id,
             const char   *text,
             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  OmniRemoteVariant *remote = omni_store_find_remote_variant (store, channel_id, text,
                                                              &local_error);

  if (remote == NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "--remote: ");
  return remote;
}

gboolean
omni_cli_channel_link (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(OmniRemoteVariant) remote = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autofree char *remote_text = NULL, *sku = NULL;
  gint64 variant_id;
  const GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_STRING, &remote_text,
      N_("The remote variant (its id, or its SKU)"), N_("ID") },
    { "sku", 0, 0, G_OPTION_ARG_STRING, &sku,
      N_("The local variant to link it to (SKU or barcode)"), N_("SKU") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (remote_text == NULL || sku == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("channel link needs --remote ID and --sku SKU"));
      return FALSE;
    }
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  channel = open_channel (ctx, store, error);
  if (channel == NULL)
    return FALSE;
  remote = find_remote (store, channel->id, remote_text, error);
  if (remote == NULL)
    return FALSE;
  variant_id = omni_store_find_variant (store, sku, error);
  if (variant_id == 0)
    return FALSE;
  if (!omni_store_link_remote_variant (store, channel->id, remote->remote_variant_id, variant_id,
                                       error))
    return FALSE;
  row = omni_store_get_variant (store, variant_id, error);
  if (row == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "channel", channel->name);
      omni_cli_json_add_string (builder, "remote_id", remote->remote_variant_id);
      omni_cli_json_add_string (builder, "sku", row->sku);
      omni_cli_json_add_int (builder, "variant_id", variant_id);
      omni_cli_json_add_string (builder, "linked_by", "manual");
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }
  omni_cli_output_print (ctx->out, _("Linked %s on %s to %s.\n"), remote->remote_variant_id,
                         channel->name, row->sku != NULL ? row->sku : sku);
  return TRUE;
}

/* channel import -------------------------------------------------------- */

gboolean
omni_cli_channel_import (OmniCliContext  *ctx,
                         GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(OmniRemoteVariant) remote = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autofree char *remote_text = NULL;
  gboolean all = FALSE;
  gint64 variant_id = 0, imported = 0;
  const GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_STRING, &remote_text,
      N_("The remote variant to import (its id, or its SKU)"), N_("ID") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Import every unmatched remote variant, all or none"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if ((remote_text == NULL) == !all)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("channel import needs either --remote ID or --all"));
      return FALSE;
    }
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  channel = open_channel (ctx, store, error);
  if (channel == NULL)
    return FALSE;

  if (all)
    {
      if (!omni_store_import_all_remote_variants (store, channel->id, &imported, error))
        return FALSE;
    }
  else
    {
      remote = find_remote (store, channel->id, remote_text, error);
      if (remote == NULL)
        return FALSE;
      variant_id = omni_store_import_remote_variant (store, channel->id,
                                                     remote->remote_variant_id, error);
      if (variant_id == 0)
        return FALSE;
      imported = 1;
      row = omni_store_get_variant (store, variant_id, error);
      if (row == NULL)
        return FALSE;
    }

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "channel", channel->name);
      omni_cli_json_add_int (builder, "imported", imported);
      if (row != NULL)
        {
          omni_cli_json_add_string (builder, "remote_id", remote->remote_variant_id);
          omni_cli_json_add_int (builder, "variant_id", variant_id);
          omni_cli_json_add_int (builder, "product_id", row->product_id);
          omni_cli_json_add_string (builder, "sku", row->sku);
          omni_cli_json_add_string (builder, "title", row->title);
        }
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }
  if (row != NULL)
    {
      g_autofree char *label = omni_cli_variant_label (row->title, row->options);

      omni_cli_output_print (ctx->out, _("Imported %s from %s as %s, SKU %s.\n"),
                             remote->remote_variant_id, channel->name, label,
                             row->sku != NULL ? row->sku : _("no SKU"));
    }
  else
    omni_cli_output_print (ctx->out,
                           g_dngettext (GETTEXT_PACKAGE, "Imported %" PRId64 " variant from %s.\n",
                                        "Imported %" PRId64 " variants from %s.\n",
                                        (gulong) imported),
                           imported, channel->name);
  return TRUE;
}

/* channel ignore -------------------------------------------------------- */

gboolean
omni_cli_channel_ignore (OmniCliContext  *ctx,
                         GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(OmniRemoteVariant) remote = NULL;
  g_autofree char *remote_text = NULL;
  gboolean undo = FALSE;
  const GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_STRING, &remote_text,
      N_("The remote variant (its id, or its SKU)"), N_("ID") },
    { "undo", 0, 0, G_OPTION_ARG_NONE, &undo, N_("List it again"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (remote_text == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("channel ignore needs --remote ID"));
      return FALSE;
    }
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  channel = open_channel (ctx, store, error);
  if (channel == NULL)
    return FALSE;
  remote = find_remote (store, channel->id, remote_text, error);
  if (remote == NULL)
    return FALSE;
  if (!omni_store_ignore_remote_variant (store, channel->id, remote->remote_variant_id, !undo,
                                         error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "channel", channel->name);
      omni_cli_json_add_string (builder, "remote_id", remote->remote_variant_id);
      omni_cli_json_add_string (builder, "state", undo ? OMNI_REMOTE_STATE_UNMATCHED
                                                       : OMNI_REMOTE_STATE_IGNORED);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }
  omni_cli_output_print (ctx->out, undo ? _("%s is listed as unmatched again.\n")
                                        : _("%s is ignored.\n"),
                         remote->remote_variant_id);
  return TRUE;
}
