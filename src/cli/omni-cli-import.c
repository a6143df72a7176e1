/* omni-cli-import.c: `import` and `export`, CSV in and out
 *
 * `import [products|inventory] FILE` runs omni_import_file(): nothing is
 * written unless the whole file is valid, and every problem is printed with
 * its line and column (exit status 2). `export products|inventory` streams
 * the catalog or the stock levels to a file or stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "omni-cli-import.h"
#include "omni-export.h"
#include "omni-import.h"

/* How many problems the error message lists; all are counted. */
#define MAX_PRINTED_PROBLEMS 50

/* import -------------------------------------------------------------- */

static void
add_problems_json (JsonBuilder      *builder,
                   const char       *member,
                   OmniImportResult *result,
                   gboolean          warnings)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->problems->len; i++)
    {
      OmniImportProblem *problem = g_ptr_array_index (result->problems, i);

      if (problem->warning != warnings)
        continue;
      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "line", (gint64)problem->line);
      omni_cli_json_add_string (builder, "column", problem->column);
      omni_cli_json_add_string (builder, "message", problem->message);
      omni_cli_json_add_string (builder, "text", problem->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_import_json (OmniCliContext   *ctx,
                   OmniImportResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "format", omni_import_format_to_string (result->format));
  omni_cli_json_add_boolean (builder, "dry_run", result->dry_run);
  omni_cli_json_add_boolean (builder, "applied", result->applied);
  omni_cli_json_add_int (builder, "rows", (gint64)result->rows);
  omni_cli_json_add_int (builder, "skipped_rows", (gint64)result->skipped_rows);
  omni_cli_json_add_int (builder, "products_created", (gint64)result->products_created);
  omni_cli_json_add_int (builder, "products_updated", (gint64)result->products_updated);
  omni_cli_json_add_int (builder, "products_unchanged", (gint64)result->products_unchanged);
  omni_cli_json_add_int (builder, "variants_created", (gint64)result->variants_created);
  omni_cli_json_add_int (builder, "variants_updated", (gint64)result->variants_updated);
  omni_cli_json_add_int (builder, "variants_unchanged", (gint64)result->variants_unchanged);
  omni_cli_json_add_int (builder, "quantity_changes", (gint64)result->quantity_changes);
  omni_cli_json_add_int (builder, "units_delta", result->units_delta);
  omni_cli_json_add_int (builder, "quantities_already_applied",
                         (gint64)result->quantities_already_applied);
  omni_cli_json_add_int (builder, "locations_created", (gint64)result->locations_created);
  omni_cli_json_add_int (builder, "rows_rejected", (gint64)result->rows_rejected);
  omni_cli_json_add_string (builder, "operation", result->operation);
  omni_cli_json_add_string (builder, "file_sha256", result->file_hash);
  omni_cli_json_add_string (builder, "encoding", result->encoding);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, result->seconds);
  add_problems_json (builder, "warnings", result, TRUE);
  add_problems_json (builder, "rejected", result, FALSE);
  json_builder_end_object (builder);
  omni_cli_output_json (ctx->out, builder);
}

static void
print_import_text (OmniCliContext   *ctx,
                   OmniImportResult *result)
{
  for (guint i = 0; i < result->problems->len; i++)
    {
      OmniImportProblem *problem = g_ptr_array_index (result->problems, i);

      omni_cli_output_print (ctx->out, problem->warning ? _("Warning: %s\n")
                                                        : _("Left out: %s\n"),
                             problem->text);
    }
  omni_cli_output_print (ctx->out,
                         result->dry_run ? _("Dry run (%s layout): nothing was written.\n")
                                         : _("Imported (%s layout).\n"),
                         omni_import_format_to_string (result->format));
  omni_cli_output_print (ctx->out,
                         _("Rows: %" PRIu64 " (%" PRIu64 " skipped)\n"
                           "Products: %" PRIu64 " new, %" PRIu64 " updated, %" PRIu64
                           " unchanged\n"
                           "Variants: %" PRIu64 " new, %" PRIu64 " updated, %" PRIu64
                           " unchanged\n"
                           "Stock: %" PRIu64 " quantities changed (%+" PRId64 " units), %" PRIu64
                           " already applied by an earlier import of this file\n"),
                         (guint64)result->rows, (guint64)result->skipped_rows,
                         (guint64)result->products_created, (guint64)result->products_updated,
                         (guint64)result->products_unchanged,
                         (guint64)result->variants_created, (guint64)result->variants_updated,
                         (guint64)result->variants_unchanged,
                         (guint64)result->quantity_changes, (gint64)result->units_delta,
                         (guint64)result->quantities_already_applied);
  if (result->rows_rejected > 0)
    omni_cli_output_print (ctx->out, _("Rows left out: %" PRIu64 "\n"),
                           (guint64)result->rows_rejected);
  if (result->locations_created > 0)
    omni_cli_output_print (ctx->out, _("Locations created: %" PRIu64 "\n"),
                           (guint64)result->locations_created);
  if (!result->dry_run)
    omni_cli_output_print (ctx->out, _("Operation: %s\n"), result->operation);
}

/* Each problem on its own line of stderr, as compilers print theirs
 * ("FILE: Line 3, column Price: …"), then one sentence for the error. */
static void
set_problems_error (OmniImportResult  *result,
                    const char        *path,
                    GError           **error)
{
  guint listed = 0;

  for (guint i = 0; i < result->problems->len && listed < MAX_PRINTED_PROBLEMS; i++)
    {
      OmniImportProblem *problem = g_ptr_array_index (result->problems, i);

      if (problem->warning)
        continue;
      g_printerr ("%s: %s\n", path, problem->text);
      listed++;
    }
  if (result->n_errors > listed)
    g_printerr (_("%s: … and %" PRIu64 " more problems\n"), path,
                (guint64)(result->n_errors - listed));
  g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s has %" PRIu64 " problem; nothing was imported",
                            "%s has %" PRIu64 " problems; nothing was imported",
                            result->n_errors),
               path, (guint64)result->n_errors);
}

gboolean
omni_cli_import (OmniCliContext  *ctx,
                 GError         **error)
{
  g_autofree char *format_text = NULL;
  g_autofree char *location = NULL;
  g_autofree char *rejects = NULL;
  g_auto(GStrv) mapping = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniImportResult) result = NULL;
  OmniImportOptions options = { 0 };
  gboolean dry_run = FALSE;
  gboolean skip_invalid = FALSE;
  const char *path;
  const char *kind = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("auto, shopify, shopify-inventory, woocommerce or generic"), N_("FORMAT") },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mapping,
      N_("generic layout: the column COL holds FIELD (repeat)"), N_("COL=FIELD") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("where quantities go (default: the file's, else the default location)"), N_("NAME") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("check the file and show what would change; write nothing"), NULL },
    { "skip-invalid-rows", 0, 0, G_OPTION_ARG_NONE, &skip_invalid,
      N_("import the valid rows and leave out those with errors"), NULL },
    { "rejects", 0, 0, G_OPTION_ARG_FILENAME, &rejects,
      N_("with --skip-invalid-rows, write the left-out rows to FILE"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 2, error))
    return FALSE;

  if (omni_cli_context_get_n_args (ctx) == 2)
    {
      kind = ctx->argv[1];
      path = ctx->argv[2];
      if (!g_str_equal (kind, "products") && !g_str_equal (kind, "inventory"))
        {
          g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                       _("import takes “products FILE”, “inventory FILE” or just FILE, "
                         "not “%s”"), kind);
          return FALSE;
        }
    }
  else
    path = ctx->argv[1];

  options.format = OMNI_IMPORT_FORMAT_AUTO;
  if (format_text != NULL && !omni_import_format_from_string (format_text, &options.format))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("--format must be auto, shopify, shopify-inventory, woocommerce or "
                     "generic, not “%s”"), format_text);
      return FALSE;
    }
  if (g_strcmp0 (kind, "inventory") == 0 && options.format == OMNI_IMPORT_FORMAT_AUTO)
    options.format = OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY;
  options.location = location;
  options.mapping = (const char * const *)mapping;
  options.dry_run = dry_run;
  options.skip_invalid_rows = skip_invalid;
  options.rejects_path = rejects;
  if (rejects != NULL && !skip_invalid)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--rejects goes with --skip-invalid-rows"));
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  result = omni_import_file (store, path, &options, NULL, error);
  if (result == NULL)
    return FALSE;
  if (result->n_errors > 0 && !result->applied &&
      (!dry_run || !skip_invalid || result->file_error))
    {
      set_problems_error (result, path, error);
      return FALSE;
    }

  if (ctx->json)
    print_import_json (ctx, result);
  else
    print_import_text (ctx, result);
  return TRUE;
}

/* export -------------------------------------------------------------- */

/* Drops a half-written file: closing a replace stream while cancelled
 * leaves the old file as it was. */
static void
abandon_output (GOutputStream *stream)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_cancellable_cancel (cancelled);
  if (!g_output_stream_is_closed (stream))
    g_output_stream_close (stream, cancelled, NULL);
}

gboolean
omni_cli_export (OmniCliContext  *ctx,
                 GError         **error)
{
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  OmniExportFormat format = OMNI_EXPORT_FORMAT_SHOPIFY;
  guint64 rows = 0;
  const char *what;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("shopify (default) or generic"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("write to FILE instead of standard output"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("movements: from this UTC date or time (inclusive)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("movements: before this UTC date or time"), N_("DATE") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  what = ctx->argv[1];
  if (!g_str_equal (what, "products") && !g_str_equal (what, "inventory") &&
      !g_str_equal (what, "movements"))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("export takes “products”, “inventory” or “movements”, not “%s”"), what);
      return FALSE;
    }
  if ((from != NULL || to != NULL) && !g_str_equal (what, "movements"))
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--from and --to go with “export movements”"));
      return FALSE;
    }
  if (g_str_equal (what, "movements") && format_text != NULL &&
      !g_str_equal (format_text, "generic"))
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("movements are exported in the generic layout only"));
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *date = i == 0 ? from : to;
      g_autoptr(GDateTime) parsed = NULL;

      if (date == NULL)
        continue;
      parsed = strlen (date) == 10 ? NULL : g_date_time_new_from_iso8601 (date, NULL);
      if (parsed == NULL && !(strlen (date) == 10 && g_ascii_isdigit (date[0]) &&
                              date[4] == '-' && date[7] == '-'))
        {
          g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                       _("“%s” is not a date: write it like 2026-10-31"), date);
          return FALSE;
        }
    }
  if (format_text != NULL && !omni_export_format_from_string (format_text, &format))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("--format must be shopify or generic, not “%s”"), format_text);
      return FALSE;
    }
  if (ctx->json && output == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("--json needs --output: the CSV itself goes to standard output"));
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                                error));
      if (stream == NULL)
        return FALSE;
    }
  else
    {
      fflush (stdout);
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }

  if (g_str_equal (what, "products"))
    ok = omni_export_products (store, stream, format, &rows, NULL, error);
  else if (g_str_equal (what, "movements"))
    ok = omni_export_movements (store, stream, from, to, &rows, NULL, error);
  else
    ok = omni_export_inventory (store, stream, format, &rows, NULL, error);
  if (!ok)
    {
      if (output != NULL)
        abandon_output (stream);
      return FALSE;
    }

  if (output != NULL && ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "path", output);
      omni_cli_json_add_int (builder, "rows", (gint64)rows);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else if (output != NULL)
    omni_cli_output_print (ctx->out, _("Wrote %" PRIu64 " rows to %s\n"), rows, output);
  return TRUE;
}
