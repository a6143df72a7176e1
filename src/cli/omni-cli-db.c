/* omni-cli-db.c: a PostgreSQL store's password, kept in the keyring
 *
 * `--db postgresql://user@host/db` names a shared store; its password, if the
 * server asks for one, is read from stdin by `db password` into the keyring
 * and looked up there each time the CLI opens that store. It is never part of
 * a command line, a URI on disk, a log line or an error message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-db.h"
#include "omni-db.h"
#include "omni-secret.h"
#include "omni-store-copy.h"

/* Finds the password of a PostgreSQL @location in the keyring and lets the
 * store use it. Without a keyring or an entry, libpq's own ways (trust,
 * peer, ~/.pgpass) still apply, so that is not an error. */
void
omni_cli_db_load_password (const char *location)
{
  g_autofree char *account = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  if (!omni_db_is_postgresql_uri (location))
    return;
  account = omni_store_redact_location (location);
  /* A password written into the URI itself wins, as libpq would have it. */
  if (!g_str_equal (account, location))
    return;
  password = omni_secret_lookup (OMNI_CLI_DB_PASSWORD_PLATFORM, account, NULL, &error);
  if (password == NULL)
    {
      if (error != NULL)
        g_debug ("No keyring for the database password: %s", error->message);
      return;
    }
  omni_store_remember_password (location, password);
  omni_secret_free (password);
}

gboolean
omni_cli_db_password (OmniCliContext  *ctx,
                      GError         **error)
{
  g_autofree char *account = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean clear = FALSE;
  GOptionEntry entries[] = {
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear,
      N_("Remove the password from the keyring"), NULL },
    { NULL }
  };
  char *password = NULL;
  gboolean ok;

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;
  if (!omni_db_is_postgresql_uri (ctx->store_path))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("a password belongs to a PostgreSQL database: give it with "
                     "--db postgresql://USER@HOST/DATABASE"));
      return FALSE;
    }
  account = omni_store_redact_location (ctx->store_path);

  if (clear)
    ok = omni_secret_clear (OMNI_CLI_DB_PASSWORD_PLATFORM, account, NULL, &local_error);
  else
    {
      password = omni_cli_read_credentials (_("database password"), &local_error);
      if (password == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      ok = omni_secret_store (OMNI_CLI_DB_PASSWORD_PLATFORM, account,
                              "OmniStock database password", password, NULL, &local_error);
      omni_cli_free_credentials (password);
    }
  if (!ok)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_REMOTE,
                   _("the keyring refused the database password: %s"), local_error->message);
      return FALSE;
    }

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "database", account);
      omni_cli_json_add_boolean (builder, "stored", !clear);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else if (clear)
    omni_cli_output_print (ctx->out, _("The password of %s was removed from the keyring.\n"),
                           account);
  else
    omni_cli_output_print (ctx->out, _("The password of %s is in the keyring.\n"), account);
  return TRUE;
}

static void
print_progress (guint    done,
                guint    total,
                gint64   rows,
                gpointer user_data)
{
  OmniCliContext *ctx = user_data;

  /* Back to the start of the line, outside the message: translators
   * never see the carriage return. */
  if (!ctx->json)
    {
      g_printerr ("\r");
      g_printerr (_("Copied %u of %u tables, %" PRId64 " rows"), done, total, rows);
    }
}

/* migrate-to TARGET: the store named by --db, copied whole into TARGET (an
 * empty PostgreSQL database, or a new SQLite file for the way back). */
gboolean
omni_cli_migrate_to (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autoptr(OmniStore) source = NULL;
  g_autoptr(OmniStore) target = NULL;
  g_autofree char *target_shown = NULL;
  OmniStoreCopyResult result = { 0, };
  const char *target_location;
  gint64 start;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  target_location = ctx->argv[1];
  target_shown = omni_store_redact_location (target_location);

  if (!omni_store_location_is_shared (target_location) &&
      g_file_test (target_location, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("“%s” exists; the copy goes into a new file"), target_shown);
      return FALSE;
    }
  {
    g_autofree char *a = omni_store_redact_location (ctx->store_path);

    if (g_str_equal (a, target_shown))
      {
        g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                     _("the database cannot be copied into itself"));
        return FALSE;
      }
  }

  source = omni_cli_context_open_store (ctx, error);
  if (source == NULL)
    return FALSE;
  omni_cli_db_load_password (target_location);
  target = omni_store_open (target_location, error);
  if (target == NULL)
    return FALSE;

  start = g_get_monotonic_time ();
  if (!omni_store_copy_into (source, target, &result, print_progress, ctx, NULL, error))
    {
      if (!ctx->json)
        g_printerr ("\n");
      return FALSE;
    }
  if (!ctx->json)
    g_printerr ("\n");

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "source", omni_store_get_path (source));
      omni_cli_json_add_string (builder, "target", omni_store_get_path (target));
      omni_cli_json_add_int (builder, "tables", result.n_tables);
      omni_cli_json_add_int (builder, "rows", result.n_rows);
      omni_cli_json_add_boolean (builder, "verified", TRUE);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           _("Copied %u tables, %" PRId64 " rows, into %s in %.1f s; "
                             "row counts and the ledger check agree.\n"),
                           result.n_tables, result.n_rows, omni_store_get_path (target),
                           (g_get_monotonic_time () - start) / 1e6);
  return TRUE;
}
