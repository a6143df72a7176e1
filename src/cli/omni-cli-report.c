/* omni-cli-report.c: `report valuation|low-stock|reorder|movements|sales|…`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every report command builds the report's table (src/report) and prints
 * it as a text table, CSV or PDF, to standard output or to --output FILE
 * (the file is replaced only once the report is complete). With --json and
 * no file, the rows are printed as JSON: one object per row, money as minor
 * units in "<column>_minor" members, the totals in "totals".
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-report.h"
#include "omni-report-build.h"
#include "omni-report-render.h"

typedef struct
{
  char *from;
  char *to;
  char *at;
  char *location;
  char *group_by;
  char *format;
  char *output;
  char *reason;
  char *window;
  char *limit;
  char *session;
  gboolean by_location;
} ReportArgs;

static void
report_args_clear (ReportArgs *args)
{
  g_free (args->from);
  g_free (args->to);
  g_free (args->at);
  g_free (args->location);
  g_free (args->group_by);
  g_free (args->format);
  g_free (args->output);
  g_free (args->reason);
  g_free (args->window);
  g_free (args->limit);
  g_free (args->session);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportArgs, report_args_clear)

static gboolean
usage_error (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage_error (GError     **error,
             const char  *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE, message);
  return FALSE;
}

/* The report a command runs: the second word of "report valuation". */
static gboolean
command_kind (OmniCliContext  *ctx,
              OmniReportKind  *kind)
{
  const char *name = ctx->command->name;
  const char *space = strchr (name, ' ');

  return space != NULL && omni_report_kind_from_key (space + 1, kind);
}

static gboolean
parse_format (const ReportArgs  *args,
              OmniReportFormat  *format,
              GError           **error)
{
  const char *name = args->format;

  if (name == NULL && args->output != NULL)
    {
      /* Known file endings choose the format by themselves. */
      g_autofree char *lower = g_ascii_strdown (args->output, -1);

      if (g_str_has_suffix (lower, ".pdf"))
        name = "pdf";
      else if (g_str_has_suffix (lower, ".csv"))
        name = "csv";
    }

  if (name == NULL || g_str_equal (name, "table"))
    *format = OMNI_REPORT_FORMAT_TABLE;
  else if (g_str_equal (name, "csv"))
    *format = OMNI_REPORT_FORMAT_CSV;
  else if (g_str_equal (name, "pdf"))
    *format = OMNI_REPORT_FORMAT_PDF;
  else
    return usage_error (error, _("--format must be table, csv or pdf, not “%s”"), name);

  if (*format == OMNI_REPORT_FORMAT_PDF && args->output == NULL)
    return usage_error (error, _("A PDF needs a file: add --output FILE"));

  return TRUE;
}

static gboolean
parse_count (const char  *text,
             const char  *what,
             gint64       max,
             guint       *out,
             GError     **error)
{
  gint64 value = 0;

  if (text != NULL && !omni_cli_parse_int (text, what, 1, max, &value, error))
    return FALSE;

  *out = (guint) value;
  return TRUE;
}

/* Options that a report does not read are refused rather than ignored, so
 * a script never believes a filter applied when it did not. */
static gboolean
check_applies (OmniReportKind     kind,
               const ReportArgs  *args,
               GError           **error)
{
  gboolean dated = kind == OMNI_REPORT_MOVEMENTS || kind == OMNI_REPORT_SALES;
  gboolean windowed = kind == OMNI_REPORT_LOW_STOCK || kind == OMNI_REPORT_REORDER ||
                      kind == OMNI_REPORT_SLOW_MOVERS;
  const char *key = omni_report_kind_to_key (kind);

  if ((args->from != NULL || args->to != NULL) && !dated)
    {
      if (kind == OMNI_REPORT_VALUATION)
        return usage_error (error, _("The valuation report is at one date: use --at DATE, "
                                     "not --from or --to"));
      return usage_error (error, _("The %s report takes no --from or --to"), key);
    }
  if (args->at != NULL && kind != OMNI_REPORT_VALUATION)
    return usage_error (error, _("Only the valuation report takes --at"));
  if (args->by_location && kind != OMNI_REPORT_VALUATION)
    return usage_error (error, _("Only the valuation report takes --by-location"));
  if (args->location != NULL && kind != OMNI_REPORT_VALUATION &&
      kind != OMNI_REPORT_MOVEMENTS)
    return usage_error (error, _("--location applies to the valuation and movements "
                                 "reports only"));
  if (args->group_by != NULL && kind != OMNI_REPORT_SALES)
    return usage_error (error, _("Only the sales report takes --group-by"));
  if (args->reason != NULL && kind != OMNI_REPORT_MOVEMENTS)
    return usage_error (error, _("Only the movements report takes --reason"));
  if (args->window != NULL && !windowed)
    return usage_error (error, _("The %s report takes no --window"), key);
  if (args->limit != NULL && kind != OMNI_REPORT_SLOW_MOVERS)
    return usage_error (error, _("Only the slow-movers report takes --limit"));
  if (args->session != NULL && kind != OMNI_REPORT_COUNT_VARIANCES)
    return usage_error (error, _("Only the count-variances report takes --session"));

  return TRUE;
}

static void
add_cell_json (JsonBuilder     *builder,
               OmniReportTable *table,
               guint            row,
               guint            column)
{
  const char *key = omni_report_table_get_column_key (table, column);
  g_autofree char *member = NULL;

  if (omni_report_table_is_blank (table, row, column))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_null_value (builder);
      return;
    }

  switch (omni_report_table_get_column_kind (table, column))
    {
    case OMNI_CELL_INTEGER:
      omni_cli_json_add_int (builder, key, omni_report_table_get_int (table, row, column));
      break;
    case OMNI_CELL_MONEY:
      member = g_strconcat (key, "_minor", NULL);
      omni_cli_json_add_int (builder, member, omni_report_table_get_int (table, row, column));
      break;
    case OMNI_CELL_DECIMAL:
      json_builder_set_member_name (builder, key);
      json_builder_add_double_value (builder, omni_report_table_get_decimal (table, row,
                                                                            column));
      break;
    case OMNI_CELL_TEXT:
    case OMNI_CELL_TIME:
    default:
      omni_cli_json_add_string (builder, key, omni_report_table_get_text (table, row, column));
      break;
    }
}

static void
add_row_json (JsonBuilder     *builder,
              OmniReportTable *table,
              guint            row)
{
  guint n_columns = omni_report_table_get_n_columns (table);

  json_builder_begin_object (builder);
  for (guint c = 0; c < n_columns; c++)
    {
      /* The totals row leaves out what does not add up. */
      if (row == OMNI_REPORT_TOTALS && omni_report_table_is_blank (table, row, c))
        continue;
      add_cell_json (builder, table, row, c);
    }
  json_builder_end_object (builder);
}

static void
print_json (OmniCliContext   *ctx,
            OmniReportTable  *table,
            OmniReportFormat  format,
            const char       *output)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char * const *filters = omni_report_table_get_filters (table);
  guint n_rows = omni_report_table_get_n_rows (table);
  static const char * const format_names[] = { "table", "csv", "pdf" };

  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "report", omni_report_table_get_key (table));
  omni_cli_json_add_string (builder, "title", omni_report_table_get_title (table));
  omni_cli_json_add_string (builder, "currency", omni_report_table_get_currency (table));
  json_builder_set_member_name (builder, "filters");
  json_builder_begin_array (builder);
  for (guint i = 0; filters[i] != NULL; i++)
    json_builder_add_string_value (builder, filters[i]);
  json_builder_end_array (builder);
  omni_cli_json_add_int (builder, "row_count", n_rows);

  if (output != NULL)
    {
      /* The file holds the report; stdout says where it went. */
      omni_cli_json_add_string (builder, "output", output);
      omni_cli_json_add_string (builder, "format", format_names[format]);
    }
  else
    {
      json_builder_set_member_name (builder, "rows");
      json_builder_begin_array (builder);
      for (guint r = 0; r < n_rows; r++)
        add_row_json (builder, table, r);
      json_builder_end_array (builder);
    }

  if (omni_report_table_has_totals (table))
    {
      json_builder_set_member_name (builder, "totals");
      add_row_json (builder, table, OMNI_REPORT_TOTALS);
    }
  json_builder_end_object (builder);

  omni_cli_output_json (ctx->out, builder);
}

static gboolean
print_report (OmniCliContext    *ctx,
              OmniReportTable   *table,
              OmniReportFormat   format,
              GError           **error)
{
  g_autoptr(GOutputStream) memory = NULL;
  g_autofree char *text = NULL;

  if (format == OMNI_REPORT_FORMAT_TABLE)
    {
      text = omni_report_table_to_text (table);
      omni_cli_output_print (ctx->out, "%s", text);
      return TRUE;
    }

  /* CSV goes out as UTF-8 bytes, whatever the terminal's charset. */
  memory = g_memory_output_stream_new_resizable ();
  if (!omni_report_table_write (table, format, memory, NULL, error) ||
      !g_output_stream_close (memory, NULL, error))
    return FALSE;

  fflush (stdout);
  fwrite (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)), 1,
          g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), stdout);
  return TRUE;
}

/**
 * omni_cli_report:
 *
 * The handler of every `report …` command; the command's second word names
 * the report.
 */
gboolean
omni_cli_report (OmniCliContext  *ctx,
                 GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniReportTable) table = NULL;
  g_auto(ReportArgs) args = { 0 };
  OmniReportOptions options = { 0 };
  OmniReportFormat format;
  OmniReportKind kind;
  guint session = 0;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &args.from,
      N_("First day (YYYY-MM-DD), included"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args.to,
      N_("Last day (YYYY-MM-DD), included"), N_("DATE") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &args.at,
      N_("Valuation at the end of this day, rebuilt from the ledger"), N_("DATE") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &args.location,
      N_("Valuation or movements at this location only"), N_("NAME") },
    { "by-location", 0, 0, G_OPTION_ARG_NONE, &args.by_location,
      N_("Valuation per variant and location"), NULL },
    { "group-by", 0, 0, G_OPTION_ARG_STRING, &args.group_by,
      N_("Sales by variant, product, channel or day (default variant)"), N_("GROUP") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &args.reason,
      N_("Movements with this reason only"), N_("REASON") },
    { "window", 0, 0, G_OPTION_ARG_STRING, &args.window,
      N_("Days of sales behind days of cover (default 30)"), N_("DAYS") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &args.limit,
      N_("Slow movers: at most N rows (default 50)"), N_("N") },
    { "session", 0, 0, G_OPTION_ARG_STRING, &args.session,
      N_("Count variances of this stock count (default the latest)"), N_("SESSION") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &args.format,
      N_("table, csv or pdf (default table, or the --output file’s ending)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      N_("Write the report to FILE instead of standard output"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!command_kind (ctx, &kind))
    g_return_val_if_reached (FALSE);

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error) ||
      !check_applies (kind, &args, error) ||
      !parse_format (&args, &format, error) ||
      !parse_count (args.window, "--window", 3650, &options.window_days, error) ||
      !parse_count (args.limit, "--limit", 100000, &options.limit, error) ||
      !parse_count (args.session, "--session", G_MAXINT32, &session, error))
    return FALSE;

  if (args.group_by != NULL &&
      !omni_report_sales_grouping_from_key (args.group_by, &options.sales_by))
    return usage_error (error, _("--group-by must be variant, product, channel or day, "
                                 "not “%s”"), args.group_by);

  options.from = args.from;
  options.to = args.to;
  options.at = args.at;
  options.location = args.location;
  options.by_location = args.by_location;
  options.reason = args.reason;
  options.session_id = session;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  table = omni_report_build (store, kind, &options, error);
  if (table == NULL)
    return FALSE;

  if (args.output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (args.output);

      if (!omni_report_table_save (table, format, file, NULL, error))
        return FALSE;
      if (ctx->json)
        print_json (ctx, table, format, args.output);
      else
        omni_cli_output_print (ctx->out,
                               g_dngettext (GETTEXT_PACKAGE, "Wrote %s (%u row) to %s\n",
                                            "Wrote %s (%u rows) to %s\n",
                                            omni_report_table_get_n_rows (table)),
                               omni_report_table_get_title (table),
                               omni_report_table_get_n_rows (table), args.output);
      return TRUE;
    }

  if (ctx->json)
    {
      print_json (ctx, table, format, NULL);
      return TRUE;
    }

  return print_report (ctx, table, format, error);
}
