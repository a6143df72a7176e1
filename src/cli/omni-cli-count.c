/* omni-cli-count.c: stock counts from the command line
 *
 * A count is a session in the store: `count start` opens it and prints its
 * number, each `count scan` is committed at once (so a script feeding a
 * scanner can be killed and resumed), and `count commit` applies what was
 * counted, keeping sales made during the count (see omni-store-count.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-count.h"
#include "omni-cli-till.h"
#include "omni-money.h"
#include "omni-store-catalog.h"
#include "omni-store-count.h"

static char *
describe_scope (const OmniCountSession *session)
{
  if (g_strcmp0 (session->scope_kind, "vendor") == 0)
    return g_strdup_printf (_("vendor “%s”"), session->scope_value);
  if (g_strcmp0 (session->scope_kind, "type") == 0)
    return g_strdup_printf (_("type “%s”"), session->scope_value);
  if (g_strcmp0 (session->scope_kind, "tag") == 0)
    return g_strdup_printf (_("tag “%s”"), session->scope_value);

  return g_strdup (_("everything"));
}

/* The session's fields; `lines` is left to the caller, as a number in lists
 * and as the lines themselves in `count show`.
 */
static void
add_session_members (JsonBuilder            *builder,
                     const OmniCountSession *session)
{
  omni_cli_json_add_int (builder, "session", session->id);
  omni_cli_json_add_string (builder, "state", session->state);
  omni_cli_json_add_string (builder, "location", session->location);
  omni_cli_json_add_int (builder, "location_id", session->location_id);
  omni_cli_json_add_string (builder, "scope", session->scope_kind);
  omni_cli_json_add_string (builder, "scope_value", session->scope_value);
  omni_cli_json_add_string (builder, "started_at", session->started_at);
  omni_cli_json_add_string (builder, "finished_at", session->finished_at);
  omni_cli_json_add_string (builder, "actor", session->actor);
  omni_cli_json_add_int (builder, "counted_units", session->counted_units);
}

static void
add_line_members (JsonBuilder         *builder,
                  const OmniCountLine *line)
{
  omni_cli_json_add_int (builder, "variant_id", line->variant_id);
  omni_cli_json_add_string (builder, "sku", line->sku);
  omni_cli_json_add_string (builder, "barcode", line->barcode);
  omni_cli_json_add_string (builder, "title", line->title);
  omni_cli_json_add_string (builder, "options", line->options);
  omni_cli_json_add_int (builder, "expected", line->expected);
  omni_cli_json_add_int (builder, "counted", line->counted);
  omni_cli_json_add_int (builder, "variance", line->variance);
  omni_cli_json_add_int (builder, "cost_minor", line->cost);
  omni_cli_json_add_int (builder, "variance_value_minor", line->variance_value);
  omni_cli_json_add_boolean (builder, "scanned", line->scanned);
  omni_cli_json_add_string (builder, "last_scan_at", line->last_scan_at);
}

/* "TEE-S  Linen tee (S): counted 3, expected 4 (variance -1)" */
static void
print_line (OmniCliContext      *ctx,
            gint64               session_id,
            const OmniCountLine *line)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *label = NULL;

  if (ctx->json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "session", session_id);
      add_line_members (builder, line);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return;
    }

  label = omni_cli_variant_label (line->title, line->options);
  omni_cli_output_print (ctx->out,
                         _("%s  %s: counted %" PRId64 ", expected %" PRId64
                           " (variance %+" PRId64 ")\n"),
                         omni_cli_or_empty (line->sku), label, line->counted, line->expected,
                         line->variance);
}

/* The line of @variant_id in the count, as the store has it now. */
static OmniCountLine *
find_line (OmniStore  *store,
           gint64      session_id,
           gint64      variant_id,
           GError    **error)
{
  g_autoptr(GPtrArray) lines = omni_store_count_lines (store, session_id, error);

  if (lines == NULL)
    return NULL;

  for (guint i = 0; i < lines->len; i++)
    {
      OmniCountLine *line = g_ptr_array_index (lines, i);

      if (line->variant_id == variant_id)
        return g_ptr_array_steal_index (lines, i);
    }

  g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
               _("Variant %" PRId64 " is not in stock count %" PRId64), variant_id, session_id);
  return NULL;
}

/* count start --------------------------------------------------------- */

typedef struct
{
  char *location;
  char *vendor;
  char *type;
  char *tag;
} StartOptions;

static void
start_options_clear (StartOptions *options)
{
  g_free (options->location);
  g_free (options->vendor);
  g_free (options->type);
  g_free (options->tag);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StartOptions, start_options_clear)

static gboolean
choose_scope (const StartOptions  *options,
              const char         **kind,
              const char         **value,
              GError             **error)
{
  guint n = (options->vendor != NULL) + (options->type != NULL) + (options->tag != NULL);

  if (n > 1)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("a count covers one vendor, type or tag: give only one of "
                             "--vendor, --type and --tag"));
      return FALSE;
    }

  *kind = options->vendor != NULL ? "vendor"
          : options->type != NULL ? "type"
          : options->tag != NULL ? "tag"
          : "all";
  *value = options->vendor != NULL ? options->vendor
           : options->type != NULL ? options->type
           : options->tag;
  return TRUE;
}

static void
print_started (OmniCliContext         *ctx,
               const OmniCountSession *session)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *scope = NULL;

  if (ctx->json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      add_session_members (builder, session);
      omni_cli_json_add_int (builder, "lines", session->lines);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return;
    }

  scope = describe_scope (session);
  omni_cli_output_print (ctx->out,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "Started stock count %" PRId64 " at %s (%s): %" PRId64
                                      " variant expected there.\n",
                                      "Started stock count %" PRId64 " at %s (%s): %" PRId64
                                      " variants expected there.\n",
                                      (gulong) session->lines),
                         session->id, session->location, scope, session->lines);
}

gboolean
omni_cli_count_start (OmniCliContext  *ctx,
                      GError         **error)
{
  g_auto(StartOptions) options = { 0 };
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniCountSession) session = NULL;
  const char *kind = NULL;
  const char *value = NULL;
  gint64 location_id;
  gint64 session_id;
  const GOptionEntry entries[] = {
    { "location", 0, 0, G_OPTION_ARG_STRING, &options.location,
      N_("The location to count (default: the default location)"), N_("NAME") },
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &options.vendor,
      N_("Count only this vendor's products"), N_("V") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &options.type,
      N_("Count only this product type"), N_("T") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &options.tag,
      N_("Count only products with this tag"), N_("T") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error) ||
      !choose_scope (&options, &kind, &value, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if ((location_id = omni_cli_find_location (store, options.location, error)) == 0 ||
      (session_id = omni_store_count_start (store, location_id, kind, value,
                                            omni_cli_get_actor (), error)) == 0 ||
      (session = omni_store_count_get (store, session_id, error)) == NULL)
    return FALSE;
  /* A till on a shared store keeps counting while the server is away. */
  omni_cli_till_note_counts (ctx, store);

  print_started (ctx, session);
  return TRUE;
}

/* count scan ---------------------------------------------------------- */

/* CODE may carry a multiplier ("12*CODE"), as a scanner's keypad types it;
 * QUANTITY says the same thing, so only one of them may be given.
 */
static gboolean
parse_scan (OmniCliContext  *ctx,
            char           **code,
            gint64          *quantity,
            GError         **error)
{
  const char *input = ctx->argv[2];
  const char *quantity_text = ctx->argv[3];

  if (quantity_text != NULL && strchr (input, '*') != NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("give the quantity either as QUANTITY*CODE or after the code, "
                             "not both"));
      return FALSE;
    }

  if (!omni_count_parse_input (input, code, quantity, error))
    return FALSE;

  if (quantity_text != NULL &&
      !omni_cli_parse_int (quantity_text, "QUANTITY", -OMNI_COUNT_MAX_QUANTITY,
                           OMNI_COUNT_MAX_QUANTITY, quantity, error))
    {
      g_clear_pointer (code, g_free);
      return FALSE;
    }

  return TRUE;
}

gboolean
omni_cli_count_scan (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniCountLine) line = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *code = NULL;
  gint64 session_id;
  gint64 quantity = 1;

  if (!omni_cli_context_parse (ctx, NULL, 2, 3, error) ||
      !omni_cli_parse_session (ctx->argv[1], &session_id, error) ||
      !parse_scan (ctx, &code, &quantity, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, &local_error);
  if (store == NULL)
    {
      /* A till on a shared store keeps counting while the server is away. */
      if (omni_cli_db_is_unreachable (ctx, local_error))
        return omni_cli_till_record_count_offline (ctx, session_id, code, quantity, FALSE,
                                                   local_error, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* An unknown code is remembered by the store for the review, and fails. */
  line = omni_store_count_scan (store, session_id, code, quantity, error);
  if (line == NULL)
    return FALSE;

  print_line (ctx, session_id, line);
  return TRUE;
}

/* count show ---------------------------------------------------------- */

typedef struct
{
  gint64    expected;
  gint64    counted;
  gint64    variance;
  gint64    added;
  gint64    removed;
  gint64    lines_changed;
  OmniMoney value;
} CountTotals;

static CountTotals
sum_lines (GPtrArray *lines)
{
  CountTotals totals = { 0 };

  for (guint i = 0; i < lines->len; i++)
    {
      const OmniCountLine *line = g_ptr_array_index (lines, i);

      totals.expected += line->expected;
      totals.counted += line->counted;
      totals.variance += line->variance;
      totals.value += line->variance_value;
      if (line->variance > 0)
        totals.added += line->variance;
      else
        totals.removed -= line->variance;
      if (line->variance != 0)
        totals.lines_changed++;
    }

  return totals;
}

typedef struct
{
  OmniCountSession *session;
  GPtrArray        *lines;
  GPtrArray        *unknown;
  char             *currency;
} CountReport;

static void
count_report_clear (CountReport *report)
{
  g_clear_pointer (&report->session, omni_count_session_free);
  g_clear_pointer (&report->lines, g_ptr_array_unref);
  g_clear_pointer (&report->unknown, g_ptr_array_unref);
  g_clear_pointer (&report->currency, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CountReport, count_report_clear)

static gboolean
read_report (OmniStore    *store,
             gint64        session_id,
             CountReport  *report,
             GError      **error)
{
  report->currency = omni_cli_get_currency (store);

  return (report->session = omni_store_count_get (store, session_id, error)) != NULL &&
         (report->lines = omni_store_count_lines (store, session_id, error)) != NULL &&
         (report->unknown = omni_store_count_unknown_codes (store, session_id, error)) != NULL;
}

static void
add_unknown_codes (JsonBuilder *builder,
                   GPtrArray   *unknown)
{
  json_builder_set_member_name (builder, "unknown_codes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < unknown->len; i++)
    {
      const OmniCountUnknown *code = g_ptr_array_index (unknown, i);

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "code", code->code);
      omni_cli_json_add_int (builder, "scans", code->scans);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_report_json (OmniCliContext    *ctx,
                   const CountReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  CountTotals totals = sum_lines (report->lines);

  json_builder_begin_object (builder);
  add_session_members (builder, report->session);
  omni_cli_json_add_string (builder, "currency", report->currency);
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->lines->len; i++)
    {
      json_builder_begin_object (builder);
      add_line_members (builder, g_ptr_array_index (report->lines, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_unknown_codes (builder, report->unknown);

  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  omni_cli_json_add_int (builder, "expected", totals.expected);
  omni_cli_json_add_int (builder, "counted", totals.counted);
  omni_cli_json_add_int (builder, "variance", totals.variance);
  omni_cli_json_add_int (builder, "variance_value_minor", totals.value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
add_line_row (OmniCliGrid         *grid,
              const OmniCountLine *line,
              const char          *currency)
{
  g_autofree char *label = omni_cli_variant_label (line->title, line->options);
  g_autofree char *value = omni_money_format (line->variance_value, currency);

  omni_cli_grid_add (grid, "%s", omni_cli_or_empty (line->sku));
  omni_cli_grid_add (grid, "%s", label);
  omni_cli_grid_add (grid, "%" PRId64, line->expected);
  omni_cli_grid_add (grid, "%" PRId64, line->counted);
  omni_cli_grid_add (grid, "%+" PRId64, line->variance);
  omni_cli_grid_add (grid, "%s", value);
}

static void
print_report_lines (OmniCliContext    *ctx,
                    const CountReport *report)
{
  g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("SKU"), _("Title"), _("Expected"),
                                                   _("Counted"), _("Variance"), _("Value"),
                                                   NULL);
  CountTotals totals = sum_lines (report->lines);
  g_autofree char *value = omni_money_format (totals.value, report->currency);

  for (guint column = 2; column <= 5; column++)
    omni_cli_grid_align_right (grid, column);

  for (guint i = 0; i < report->lines->len; i++)
    add_line_row (grid, g_ptr_array_index (report->lines, i), report->currency);

  omni_cli_grid_add (grid, "%s", _("Total"));
  omni_cli_grid_add (grid, "%s", "");
  omni_cli_grid_add (grid, "%" PRId64, totals.expected);
  omni_cli_grid_add (grid, "%" PRId64, totals.counted);
  omni_cli_grid_add (grid, "%+" PRId64, totals.variance);
  omni_cli_grid_add (grid, "%s", value);

  omni_cli_output_grid (ctx->out, grid);
}

static void
print_report_text (OmniCliContext    *ctx,
                   const CountReport *report)
{
  const OmniCountSession *session = report->session;
  g_autofree char *scope = describe_scope (session);
  g_autofree char *started = omni_cli_display_time (session->started_at);

  omni_cli_output_print (ctx->out, _("Stock count %" PRId64 " at %s (%s), %s\n"
                                     "Started %s UTC by %s\n\n"),
                         session->id, session->location, scope, session->state, started,
                         omni_cli_or_empty (session->actor));

  if (report->lines->len == 0)
    omni_cli_output_print (ctx->out, _("No lines yet.\n"));
  else
    print_report_lines (ctx, report);

  if (report->unknown->len > 0)
    omni_cli_output_print (ctx->out, _("\nUnknown codes (link them with “count link”):\n"));
  for (guint i = 0; i < report->unknown->len; i++)
    {
      const OmniCountUnknown *code = g_ptr_array_index (report->unknown, i);

      omni_cli_output_print (ctx->out,
                             g_dngettext (GETTEXT_PACKAGE, "  %s  %" PRId64 " scan\n",
                                          "  %s  %" PRId64 " scans\n", (gulong) code->scans),
                             code->code, code->scans);
    }
}

gboolean
omni_cli_count_show (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_auto(CountReport) report = { 0 };
  gint64 session_id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error) ||
      !omni_cli_parse_session (ctx->argv[1], &session_id, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL || !read_report (store, session_id, &report, error))
    return FALSE;

  if (ctx->json)
    print_report_json (ctx, &report);
  else
    print_report_text (ctx, &report);

  return TRUE;
}

/* count commit and cancel --------------------------------------------- */

static void
print_committed (OmniCliContext    *ctx,
                 const CountReport *report,
                 const char        *operation)
{
  CountTotals totals = sum_lines (report->lines);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *value = NULL;

  if (ctx->json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "operation", operation);
      omni_cli_json_add_int (builder, "session", report->session->id);
      omni_cli_json_add_int (builder, "lines", report->lines->len);
      omni_cli_json_add_int (builder, "lines_changed", totals.lines_changed);
      omni_cli_json_add_int (builder, "units_added", totals.added);
      omni_cli_json_add_int (builder, "units_removed", totals.removed);
      omni_cli_json_add_int (builder, "variance", totals.variance);
      omni_cli_json_add_int (builder, "variance_value_minor", totals.value);
      omni_cli_json_add_string (builder, "currency", report->currency);
      omni_cli_json_add_int (builder, "unknown_codes", report->unknown->len);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return;
    }

  value = omni_money_format (totals.value, report->currency);
  omni_cli_output_print (ctx->out,
                         _("Committed stock count %" PRId64 ": %" PRId64 " of %u lines changed, "
                           "%" PRId64 " units added, %" PRId64 " removed (net %+" PRId64
                           ", %s at cost)\nOperation: %s\n"),
                         report->session->id, totals.lines_changed, report->lines->len,
                         totals.added, totals.removed, totals.variance, value, operation);
  if (report->unknown->len > 0)
    omni_cli_output_print (ctx->out,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "%u unknown code was left out.\n",
                                        "%u unknown codes were left out.\n",
                                        report->unknown->len),
                           report->unknown->len);
}

gboolean
omni_cli_count_commit (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_auto(CountReport) report = { 0 };
  g_autofree char *operation = NULL;
  gint64 session_id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error) ||
      !omni_cli_parse_session (ctx->argv[1], &session_id, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  /* The variances as they stand just before the commit: what it applies. */
  if (!read_report (store, session_id, &report, error))
    return FALSE;

  operation = omni_store_count_commit (store, session_id, omni_cli_get_actor (), error);
  if (operation == NULL)
    return FALSE;

  print_committed (ctx, &report, operation);
  return TRUE;
}

gboolean
omni_cli_count_cancel (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  gint64 session_id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error) ||
      !omni_cli_parse_session (ctx->argv[1], &session_id, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL || !omni_store_count_cancel (store, session_id, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "session", session_id);
      omni_cli_json_add_string (builder, "state", "cancelled");
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, _("Cancelled stock count %" PRId64 "; stock is unchanged.\n"),
                           session_id);

  return TRUE;
}

/* count list ---------------------------------------------------------- */

static void
print_sessions_text (OmniCliContext *ctx,
                     GPtrArray      *sessions,
                     gboolean        open_only)
{
  g_autoptr(OmniCliGrid) grid = NULL;

  if (sessions->len == 0)
    {
      omni_cli_output_print (ctx->out, open_only ? _("No open stock counts.\n")
                                                 : _("No stock counts.\n"));
      return;
    }

  grid = omni_cli_grid_new (_("Count"), _("Location"), _("Scope"), _("State"),
                            _("Started (UTC)"), _("Lines"), _("Counted"), NULL);
  omni_cli_grid_align_right (grid, 0);
  omni_cli_grid_align_right (grid, 5);
  omni_cli_grid_align_right (grid, 6);
  for (guint i = 0; i < sessions->len; i++)
    {
      const OmniCountSession *session = g_ptr_array_index (sessions, i);
      g_autofree char *scope = describe_scope (session);
      g_autofree char *started = omni_cli_display_time (session->started_at);

      omni_cli_grid_add (grid, "%" PRId64, session->id);
      omni_cli_grid_add (grid, "%s", session->location);
      omni_cli_grid_add (grid, "%s", scope);
      omni_cli_grid_add (grid, "%s", session->state);
      omni_cli_grid_add (grid, "%s", started);
      omni_cli_grid_add (grid, "%" PRId64, session->lines);
      omni_cli_grid_add (grid, "%" PRId64, session->counted_units);
    }

  omni_cli_output_grid (ctx->out, grid);
}

gboolean
omni_cli_count_list (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  gboolean open_only = FALSE;
  const GOptionEntry entries[] = {
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only, N_("Only counts still open"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  sessions = omni_store_count_list (store, open_only, error);
  if (sessions == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < sessions->len; i++)
        {
          const OmniCountSession *session = g_ptr_array_index (sessions, i);

          json_builder_begin_object (builder);
          add_session_members (builder, session);
          omni_cli_json_add_int (builder, "lines", session->lines);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    print_sessions_text (ctx, sessions, open_only);

  return TRUE;
}

/* count set, remove and link ------------------------------------------ */

gboolean
omni_cli_count_set (OmniCliContext  *ctx,
                    GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniCountLine) line = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 session_id;
  gint64 counted;
  gint64 variant_id;

  if (!omni_cli_context_parse (ctx, NULL, 3, 3, error) ||
      !omni_cli_parse_session (ctx->argv[1], &session_id, error) ||
      !omni_cli_parse_int (ctx->argv[3], "COUNTED", 0, G_MAXINT32, &counted, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, &local_error);
  if (store == NULL)
    {
      if (omni_cli_db_is_unreachable (ctx, local_error))
        return omni_cli_till_record_count_offline (ctx, session_id, ctx->argv[2], counted, TRUE,
                                                   local_error, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if ((variant_id = omni_store_find_variant (store, ctx->argv[2], error)) == 0 ||
      !omni_store_count_set_line (store, session_id, variant_id, counted, error) ||
      (line = find_line (store, session_id, variant_id, error)) == NULL)
    return FALSE;

  print_line (ctx, session_id, line);
  return TRUE;
}

gboolean
omni_cli_count_remove (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  gint64 session_id;
  gint64 variant_id;

  if (!omni_cli_context_parse (ctx, NULL, 2, 2, error) ||
      !omni_cli_parse_session (ctx->argv[1], &session_id, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if ((variant_id = omni_store_find_variant (store, ctx->argv[2], error)) == 0 ||
      (row = omni_store_get_variant (store, variant_id, error)) == NULL ||
      !omni_store_count_remove_line (store, session_id, variant_id, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "session", session_id);
      omni_cli_json_add_string (builder, "sku", row->sku);
      omni_cli_json_add_int (builder, "variant_id", variant_id);
      omni_cli_json_add_boolean (builder, "removed", TRUE);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           _("Removed %s from stock count %" PRId64
                             "; committing leaves its stock alone.\n"),
                           row->sku != NULL ? row->sku : ctx->argv[2], session_id);

  return TRUE;
}

/* How many times @code was scanned unknown in the count, 0 if never. */
static gint64
unknown_scans (OmniStore   *store,
               gint64       session_id,
               const char  *code,
               GError     **error)
{
  g_autoptr(GPtrArray) unknown = omni_store_count_unknown_codes (store, session_id, error);

  if (unknown == NULL)
    return -1;

  for (guint i = 0; i < unknown->len; i++)
    {
      const OmniCountUnknown *entry = g_ptr_array_index (unknown, i);

      if (g_str_equal (entry->code, code))
        return entry->scans;
    }

  return 0;
}

static void
print_linked (OmniCliContext       *ctx,
              gint64                session_id,
              const char           *code,
              const OmniVariantRow *before,
              const OmniVariantRow *after,
              gint64                scans)
{
  g_autoptr(JsonBuilder) builder = NULL;
  const char *name = after->sku != NULL ? after->sku : code;

  if (ctx->json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "session", session_id);
      omni_cli_json_add_string (builder, "code", code);
      omni_cli_json_add_string (builder, "sku", after->sku);
      omni_cli_json_add_int (builder, "variant_id", after->id);
      omni_cli_json_add_int (builder, "scans", scans);
      omni_cli_json_add_string (builder, "barcode", after->barcode);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return;
    }

  omni_cli_output_print (ctx->out,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "Counted %" PRId64 " scan of “%s” as %s.\n",
                                      "Counted %" PRId64 " scans of “%s” as %s.\n",
                                      (gulong) scans),
                         scans, code, name);
  if (before->barcode == NULL)
    omni_cli_output_print (ctx->out, _("%s now has the barcode %s.\n"), name, after->barcode);
  else
    omni_cli_output_print (ctx->out, _("%s keeps its barcode %s.\n"), name, before->barcode);
}

gboolean
omni_cli_count_link (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniVariantRow) before = NULL;
  g_autoptr(OmniVariantRow) after = NULL;
  const char *code;
  gint64 session_id;
  gint64 variant_id;
  gint64 scans;

  if (!omni_cli_context_parse (ctx, NULL, 3, 3, error) ||
      !omni_cli_parse_session (ctx->argv[1], &session_id, error))
    return FALSE;
  code = ctx->argv[2];

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if ((variant_id = omni_store_find_variant (store, ctx->argv[3], error)) == 0 ||
      (before = omni_store_get_variant (store, variant_id, error)) == NULL ||
      (scans = unknown_scans (store, session_id, code, error)) < 0 ||
      !omni_store_count_link_code (store, session_id, code, variant_id, error) ||
      (after = omni_store_get_variant (store, variant_id, error)) == NULL)
    return FALSE;

  print_linked (ctx, session_id, code, before, after, scans);
  return TRUE;
}
