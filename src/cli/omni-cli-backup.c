/* omni-cli-backup.c: backup and restore of the whole database
 *
 * `backup FILE` takes an online copy (the app may have the database open
 * and keep writing); `restore FILE` checks FILE before it touches the
 * database, then puts it in place in one step, keeping a copy of what it
 * replaced. Both work in omni-store-backup.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-cli-backup.h"
#include "omni-store-backup.h"

/* backup -------------------------------------------------------------- */

gboolean
omni_cli_backup (OmniCliContext  *ctx,
                 GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniBackupInfo) info = NULL;
  g_autofree char *display = NULL;
  g_autofree char *size = NULL;
  gboolean force = FALSE;
  const char *dest;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace FILE when it exists"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  dest = ctx->argv[1];

  /* Checked before opening, so a refused backup does not even upgrade an
   * old database. */
  if (!force && g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("“%s” already exists; choose another name, or add --force to replace it"),
                   dest);
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  info = omni_store_backup (store, dest, force, error);
  if (info == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "path", info->path);
      omni_cli_json_add_int (builder, "bytes", info->bytes);
      omni_cli_json_add_int (builder, "schema_version", info->schema_version);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  display = omni_cli_display_path (omni_store_get_path (store));
  size = g_format_size ((guint64) MAX (info->bytes, 0));
  omni_cli_output_print (ctx->out, _("Backed up %s to %s (%s, schema version %d)\n"),
                         display, info->path, size, info->schema_version);
  return TRUE;
}

/* restore ------------------------------------------------------------- */

gboolean
omni_cli_restore (OmniCliContext  *ctx,
                  GError         **error)
{
  g_autoptr(OmniBackupInfo) info = NULL;
  g_autofree char *display = NULL;
  const char *source;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  source = ctx->argv[1];

  /* Not opened as a store: that would create or upgrade it before the
   * backup is checked. */
  info = omni_store_restore (ctx->store_path, source, error);
  if (info == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "path", ctx->store_path);
      omni_cli_json_add_string (builder, "from", info->path);
      omni_cli_json_add_int (builder, "bytes", info->bytes);
      omni_cli_json_add_int (builder, "schema_version", info->schema_version);
      omni_cli_json_add_string (builder, "safety_copy", info->safety_copy);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  display = omni_cli_display_path (ctx->store_path);
  omni_cli_output_print (ctx->out, _("Restored %s from %s (schema version %d)\n"),
                         display, info->path, info->schema_version);
  if (info->safety_copy != NULL)
    omni_cli_output_print (ctx->out, _("The database it replaced was kept as %s\n"),
                           info->safety_copy);
  return TRUE;
}
