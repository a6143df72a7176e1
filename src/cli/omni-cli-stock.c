/* omni-cli-stock.c: stock levels and the ledger: stock, adjust, set,
 * transfer, undo, history, alerts
 *
 * Every write goes through the store's inventory operations, which refuse
 * negative stock, record movements and levels in one transaction and return
 * an operation id; the commands print that id so a script can undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-stock.h"
#include "omni-cli-till.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"

/* What `adjust` and `set` record. Transfers, counts, sync and imports have
 * commands of their own, which keep their movements honest.
 */
static const char * const adjust_reasons[] = {
  OMNI_REASON_CORRECTION, OMNI_REASON_RECEIVED, OMNI_REASON_SOLD, OMNI_REASON_RETURNED,
  OMNI_REASON_DAMAGED, OMNI_REASON_LOST, NULL
};

/* Every reason the ledger knows, for filtering the history. */
static const char * const all_reasons[] = {
  OMNI_REASON_RECEIVED, OMNI_REASON_SOLD, OMNI_REASON_RETURNED, OMNI_REASON_DAMAGED,
  OMNI_REASON_LOST, OMNI_REASON_COUNT, OMNI_REASON_CORRECTION, OMNI_REASON_IMPORT,
  OMNI_REASON_SYNC, OMNI_REASON_TRANSFER, OMNI_REASON_COMMITTED, OMNI_REASON_RELEASED, NULL
};

/* What movements made by this program say about where they came from. */
#define SOURCE "cli"

/**
 * omni_cli_json_add_levels:
 * @builder: a builder inside an object
 * @levels: (element-type OmniLevel): from omni_store_get_levels()
 *
 * Adds the member `locations`: one object per location with `location`,
 * `on_hand`, `committed` and `available` (DESIGN section 4).
 */
void
omni_cli_json_add_levels (JsonBuilder *builder,
                          GPtrArray   *levels)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (levels != NULL);

  json_builder_set_member_name (builder, "locations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (levels, i);

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "location", level->location);
      omni_cli_json_add_int (builder, "location_id", level->location_id);
      omni_cli_json_add_boolean (builder, "default", level->is_default);
      omni_cli_json_add_int (builder, "on_hand", level->on_hand);
      omni_cli_json_add_int (builder, "committed", level->committed);
      omni_cli_json_add_int (builder, "available", level->available);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The variant a SKU or barcode names, as the store has it now. */
static OmniVariantRow *
find_variant (OmniStore   *store,
              const char  *sku_or_barcode,
              GError     **error)
{
  gint64 variant_id = omni_store_find_variant (store, sku_or_barcode, error);

  if (variant_id == 0)
    return NULL;

  return omni_store_get_variant (store, variant_id, error);
}

/* How messages name a variant: its SKU, or what the user typed to find it. */
static const char *
variant_name (const OmniVariantRow *row,
              const char           *typed)
{
  return row->sku != NULL ? row->sku : typed;
}

/* The level of one variant at one location (zero where nothing moved yet). */
static OmniLevel *
level_at (OmniStore  *store,
          gint64      variant_id,
          gint64      location_id,
          GError    **error)
{
  g_autoptr(GPtrArray) levels = omni_store_get_levels (store, variant_id, error);
  OmniLevel *level;

  if (levels == NULL)
    return NULL;

  for (guint i = 0; i < levels->len; i++)
    {
      level = g_ptr_array_index (levels, i);
      if (level->location_id == location_id)
        return g_ptr_array_steal_index (levels, i);
    }

  /* An archived location without stock is not listed: it holds nothing. */
  level = g_new0 (OmniLevel, 1);
  level->location_id = location_id;
  level->location = g_strdup_printf (_("location %" PRId64), location_id);
  return level;
}

/* stock --------------------------------------------------------------- */

typedef struct
{
  gint64 on_hand;
  gint64 committed;
  gint64 available;
} Totals;

static Totals
sum_levels (GPtrArray *levels)
{
  Totals totals = { 0 };

  for (guint i = 0; i < levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (levels, i);

      totals.on_hand += level->on_hand;
      totals.committed += level->committed;
      totals.available += level->available;
    }

  return totals;
}

static void
print_stock_json (OmniCliContext       *ctx,
                  const OmniVariantRow *row,
                  GPtrArray            *levels)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Totals totals = sum_levels (levels);

  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "sku", row->sku);
  omni_cli_json_add_int (builder, "variant_id", row->id);
  omni_cli_json_add_string (builder, "title", row->title);
  omni_cli_json_add_string (builder, "options", row->options);
  omni_cli_json_add_string (builder, "barcode", row->barcode);
  omni_cli_json_add_int (builder, "on_hand", totals.on_hand);
  omni_cli_json_add_int (builder, "committed", totals.committed);
  omni_cli_json_add_int (builder, "available", totals.available);
  omni_cli_json_add_optional_int (builder, "reorder_point", row->reorder_point);
  omni_cli_json_add_levels (builder, levels);
  json_builder_end_object (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
print_stock_text (OmniCliContext       *ctx,
                  const OmniVariantRow *row,
                  const char           *typed,
                  GPtrArray            *levels)
{
  g_autofree char *label = omni_cli_variant_label (row->title, row->options);
  g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("Location"), _("On hand"), _("Committed"),
                                                   _("Available"), NULL);
  Totals totals = sum_levels (levels);

  for (guint column = 1; column <= 3; column++)
    omni_cli_grid_align_right (grid, column);

  for (guint i = 0; i < levels->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (levels, i);

      omni_cli_grid_add (grid, "%s", level->location);
      omni_cli_grid_add (grid, "%" PRId64, level->on_hand);
      omni_cli_grid_add (grid, "%" PRId64, level->committed);
      omni_cli_grid_add (grid, "%" PRId64, level->available);
    }

  omni_cli_grid_add (grid, "%s", _("Total"));
  omni_cli_grid_add (grid, "%" PRId64, totals.on_hand);
  omni_cli_grid_add (grid, "%" PRId64, totals.committed);
  omni_cli_grid_add (grid, "%" PRId64, totals.available);

  omni_cli_output_print (ctx->out, "%s  %s\n\n", variant_name (row, typed), label);
  omni_cli_output_grid (ctx->out, grid);
}

gboolean
omni_cli_stock (OmniCliContext  *ctx,
                GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autoptr(GPtrArray) levels = NULL;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  row = find_variant (store, ctx->argv[1], error);
  if (row == NULL)
    return FALSE;

  levels = omni_store_get_levels (store, row->id, error);
  if (levels == NULL)
    return FALSE;

  if (ctx->json)
    print_stock_json (ctx, row, levels);
  else
    print_stock_text (ctx, row, ctx->argv[1], levels);

  return TRUE;
}

/* adjust and set ------------------------------------------------------ */

typedef struct
{
  const OmniVariantRow *row;
  const char           *typed;
  const char           *reason;
  const char           *operation;   /* NULL when nothing changed */
  const OmniLevel      *before;
  const OmniLevel      *after;
} AdjustResult;

static void
print_adjust_json (OmniCliContext     *ctx,
                   const AdjustResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "operation", result->operation);
  omni_cli_json_add_string (builder, "sku", result->row->sku);
  omni_cli_json_add_int (builder, "variant_id", result->row->id);
  omni_cli_json_add_string (builder, "location", result->after->location);
  omni_cli_json_add_int (builder, "location_id", result->after->location_id);
  omni_cli_json_add_string (builder, "reason", result->reason);
  omni_cli_json_add_int (builder, "delta", result->after->on_hand - result->before->on_hand);
  omni_cli_json_add_int (builder, "on_hand_before", result->before->on_hand);
  omni_cli_json_add_int (builder, "on_hand", result->after->on_hand);
  omni_cli_json_add_int (builder, "committed", result->after->committed);
  omni_cli_json_add_int (builder, "available", result->after->available);
  json_builder_end_object (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
print_adjust_text (OmniCliContext     *ctx,
                   const AdjustResult *result)
{
  const char *name = variant_name (result->row, result->typed);
  gint64 delta = result->after->on_hand - result->before->on_hand;

  if (result->operation == NULL)
    {
      omni_cli_output_print (ctx->out, _("%s at %s: on hand stays %" PRId64 "; nothing changed.\n"),
                             name, result->after->location, result->after->on_hand);
      return;
    }

  omni_cli_output_print (ctx->out,
                         _("%s at %s: on hand %" PRId64 " → %" PRId64 " (%+" PRId64 ", %s)\n"
                           "Operation: %s\n"),
                         name, result->after->location, result->before->on_hand,
                         result->after->on_hand, delta, result->reason, result->operation);
}

static gboolean
omni_cli_run_adjust (OmniCliContext  *ctx,
                     OmniAdjustMode   mode,
                     GError         **error)
{
  g_autofree char *location = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *note = NULL;
  g_autofree char *operation = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autoptr(OmniLevel) before = NULL;
  g_autoptr(OmniLevel) after = NULL;
  g_autoptr(GError) local_error = NULL;
  OmniAdjustOptions options = { .mode = mode, .source = SOURCE };
  OmniAdjustLine line = { 0 };
  AdjustResult result = { 0 };
  const GOptionEntry entries[] = {
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Where (default: the default location)"), N_("NAME") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("correction (default), received, sold, returned, damaged or lost"), N_("REASON") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("A note kept with the movement"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 2, 2, error))
    return FALSE;

  if (reason == NULL)
    reason = g_strdup (OMNI_REASON_CORRECTION);
  if (!omni_cli_check_choice (reason, "--reason", adjust_reasons, error))
    return FALSE;

  if (mode == OMNI_ADJUST_DELTA
      ? !omni_cli_parse_int (ctx->argv[2], "DELTA", -OMNI_CLI_MAX_QUANTITY,
                             OMNI_CLI_MAX_QUANTITY, &line.quantity, error)
      : !omni_cli_parse_int (ctx->argv[2], "QUANTITY", 0, OMNI_CLI_MAX_QUANTITY,
                             &line.quantity, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, &local_error);
  if (store == NULL)
    {
      /* A till on a shared store keeps selling while the server is away. */
      if (mode == OMNI_ADJUST_DELTA && omni_cli_db_is_unreachable (ctx, local_error))
        return omni_cli_till_record_offline (ctx, ctx->argv[1], location, line.quantity, reason,
                                             note, local_error, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if ((row = find_variant (store, ctx->argv[1], error)) == NULL ||
      (line.location_id = omni_cli_find_location (store, location, error)) == 0 ||
      (before = level_at (store, row->id, line.location_id, error)) == NULL)
    return FALSE;

  line.variant_id = row->id;
  options.reason = reason;
  options.note = note;
  options.actor = omni_cli_get_actor ();
  operation = omni_store_adjust (store, &line, 1, &options, error);
  if (operation == NULL)
    return FALSE;

  after = level_at (store, row->id, line.location_id, error);
  if (after == NULL)
    return FALSE;

  result.row = row;
  result.typed = ctx->argv[1];
  result.reason = reason;
  /* The store hands out an id even when the line changed nothing; there is
   * then nothing to undo, so none is shown.
   */
  result.operation = after->on_hand != before->on_hand ? operation : NULL;
  result.before = before;
  result.after = after;

  if (ctx->json)
    print_adjust_json (ctx, &result);
  else
    print_adjust_text (ctx, &result);

  return TRUE;
}

gboolean
omni_cli_adjust (OmniCliContext  *ctx,
                 GError         **error)
{
  return omni_cli_run_adjust (ctx, OMNI_ADJUST_DELTA, error);
}

gboolean
omni_cli_set (OmniCliContext  *ctx,
              GError         **error)
{
  return omni_cli_run_adjust (ctx, OMNI_ADJUST_SET, error);
}

/* transfer ------------------------------------------------------------ */

static void
add_transfer_leg (JsonBuilder     *builder,
                  const char      *member,
                  const OmniLevel *before,
                  const OmniLevel *after)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "location", after->location);
  omni_cli_json_add_int (builder, "location_id", after->location_id);
  omni_cli_json_add_int (builder, "on_hand_before", before->on_hand);
  omni_cli_json_add_int (builder, "on_hand", after->on_hand);
  omni_cli_json_add_int (builder, "available", after->available);
  json_builder_end_object (builder);
}

static void
print_transfer (OmniCliContext        *ctx,
                const OmniVariantRow  *row,
                const char            *typed,
                gint64                 quantity,
                const char            *operation,
                OmniLevel * const     *levels)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!ctx->json)
    {
      omni_cli_output_print (ctx->out,
                             _("Moved %" PRId64 " × %s from %s (on hand %" PRId64 " → %" PRId64
                               ") to %s (%" PRId64 " → %" PRId64 ")\nOperation: %s\n"),
                             quantity, variant_name (row, typed),
                             levels[2]->location, levels[0]->on_hand, levels[2]->on_hand,
                             levels[3]->location, levels[1]->on_hand, levels[3]->on_hand,
                             operation);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "operation", operation);
  omni_cli_json_add_string (builder, "sku", row->sku);
  omni_cli_json_add_int (builder, "variant_id", row->id);
  omni_cli_json_add_int (builder, "quantity", quantity);
  add_transfer_leg (builder, "from", levels[0], levels[2]);
  add_transfer_leg (builder, "to", levels[1], levels[3]);
  json_builder_end_object (builder);
  omni_cli_output_json (ctx->out, builder);
}

static void
free_levels (OmniLevel **levels)
{
  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&levels[i], omni_level_free);
}

static gboolean
transfer_levels (OmniStore  *store,
                 gint64      variant_id,
                 gint64      from_id,
                 gint64      to_id,
                 OmniLevel **from,
                 OmniLevel **to,
                 GError    **error)
{
  *from = level_at (store, variant_id, from_id, error);
  if (*from == NULL)
    return FALSE;

  *to = level_at (store, variant_id, to_id, error);
  return *to != NULL;
}

gboolean
omni_cli_transfer (OmniCliContext  *ctx,
                   GError         **error)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *note = NULL;
  g_autofree char *operation = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  /* From and to, before; from and to, after. */
  OmniLevel *levels[4] = { NULL };
  OmniAdjustOptions options = { .source = SOURCE };
  gint64 quantity, from_id, to_id;
  gboolean ok = FALSE;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The location the stock leaves"), N_("NAME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The location it goes to"), N_("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("A note kept with the movements"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 2, 2, error))
    return FALSE;

  if (from == NULL || to == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("transfer needs both --from and --to"));
      return FALSE;
    }

  if (!omni_cli_parse_int (ctx->argv[2], "QTY", 1, OMNI_CLI_MAX_QUANTITY, &quantity, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if ((row = find_variant (store, ctx->argv[1], error)) == NULL ||
      (from_id = omni_store_find_location (store, from, error)) == 0 ||
      (to_id = omni_store_find_location (store, to, error)) == 0 ||
      !transfer_levels (store, row->id, from_id, to_id, &levels[0], &levels[1], error))
    goto out;

  options.note = note;
  options.actor = omni_cli_get_actor ();
  operation = omni_store_transfer (store, row->id, from_id, to_id, quantity, &options, error);
  if (operation == NULL ||
      !transfer_levels (store, row->id, from_id, to_id, &levels[2], &levels[3], error))
    goto out;

  print_transfer (ctx, row, ctx->argv[1], quantity, operation, levels);
  ok = TRUE;

out:
  free_levels (levels);
  return ok;
}

/* undo ---------------------------------------------------------------- */

gboolean
omni_cli_undo (OmniCliContext  *ctx,
               GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autofree char *operation = NULL;
  const char *undone;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  undone = ctx->argv[1];

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  operation = omni_store_undo (store, undone, omni_cli_get_actor (), error);
  if (operation == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "operation", operation);
      omni_cli_json_add_string (builder, "undone", undone);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, _("Undid operation %s.\nOperation: %s\n"), undone, operation);

  return TRUE;
}

/* history ------------------------------------------------------------- */

typedef struct
{
  char *reason;
  char *location;
  char *from;
  char *to;
  char *limit;
} HistoryOptions;

static void
history_options_clear (HistoryOptions *options)
{
  g_free (options->reason);
  g_free (options->location);
  g_free (options->from);
  g_free (options->to);
  g_free (options->limit);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HistoryOptions, history_options_clear)

static void
print_history_json (OmniCliContext       *ctx,
                    const OmniVariantRow *row,
                    GPtrArray            *movements)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < movements->len; i++)
    {
      const OmniMovement *m = g_ptr_array_index (movements, i);

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", m->id);
      omni_cli_json_add_string (builder, "time", m->time);
      omni_cli_json_add_string (builder, "sku", row->sku);
      omni_cli_json_add_string (builder, "location", m->location);
      omni_cli_json_add_int (builder, "location_id", m->location_id);
      omni_cli_json_add_int (builder, "delta", m->on_hand_delta);
      omni_cli_json_add_int (builder, "committed_delta", m->committed_delta);
      omni_cli_json_add_int (builder, "balance", m->balance);
      omni_cli_json_add_string (builder, "reason", m->reason);
      omni_cli_json_add_string (builder, "source", m->source);
      omni_cli_json_add_string (builder, "reference", m->reference);
      omni_cli_json_add_string (builder, "note", m->note);
      omni_cli_json_add_string (builder, "actor", m->actor);
      omni_cli_json_add_string (builder, "operation", m->operation);
      omni_cli_json_add_string (builder, "op_id", m->op_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
add_history_row (OmniCliGrid        *grid,
                 const OmniMovement *m)
{
  g_autofree char *when = omni_cli_display_time (m->time);
  const char *remark = m->note != NULL ? m->note : m->reference;

  omni_cli_grid_add (grid, "%s", when);
  omni_cli_grid_add (grid, "%s", m->location);
  if (m->committed_delta == 0)
    omni_cli_grid_add (grid, "%+" PRId64, m->on_hand_delta);
  else
    omni_cli_grid_add (grid, _("%+" PRId64 " (committed %+" PRId64 ")"),
                       m->on_hand_delta, m->committed_delta);
  omni_cli_grid_add (grid, "%" PRId64, m->balance);
  omni_cli_grid_add (grid, "%s", m->reason);
  omni_cli_grid_add (grid, "%s", omni_cli_or_empty (m->actor));
  omni_cli_grid_add (grid, "%s", omni_cli_or_empty (remark));
}

static void
print_history_text (OmniCliContext       *ctx,
                    const OmniVariantRow *row,
                    const char           *typed,
                    GPtrArray            *movements)
{
  g_autofree char *label = omni_cli_variant_label (row->title, row->options);
  g_autoptr(OmniCliGrid) grid = NULL;

  omni_cli_output_print (ctx->out, "%s  %s\n\n", variant_name (row, typed), label);
  if (movements->len == 0)
    {
      omni_cli_output_print (ctx->out, _("No movements.\n"));
      return;
    }

  grid = omni_cli_grid_new (_("Time (UTC)"), _("Location"), _("Change"), _("Balance"),
                            _("Reason"), _("Actor"), _("Note"), NULL);
  omni_cli_grid_align_right (grid, 2);
  omni_cli_grid_align_right (grid, 3);
  for (guint i = 0; i < movements->len; i++)
    add_history_row (grid, g_ptr_array_index (movements, i));

  omni_cli_output_grid (ctx->out, grid);
}

/* Checks the options that need no database, and fills in @filter. */
static gboolean
build_history_filter (HistoryOptions     *options,
                      OmniHistoryFilter  *filter,
                      GError            **error)
{
  gint64 limit = 0;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if ((options->reason != NULL &&
       !omni_cli_check_choice (options->reason, "--reason", all_reasons, error)) ||
      (options->limit != NULL &&
       !omni_cli_parse_int (options->limit, "--limit", 1, G_MAXINT32, &limit, error)) ||
      (options->from != NULL &&
       (from = omni_cli_parse_date (options->from, "--from", FALSE, error)) == NULL) ||
      (options->to != NULL &&
       (to = omni_cli_parse_date (options->to, "--to", TRUE, error)) == NULL))
    return FALSE;

  if (from != NULL && to != NULL && g_strcmp0 (from, to) >= 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("--from %s is not before --to %s"), options->from, options->to);
      return FALSE;
    }

  /* The filter borrows the normalised bounds from @options. */
  g_free (options->from);
  options->from = g_steal_pointer (&from);
  g_free (options->to);
  options->to = g_steal_pointer (&to);

  filter->reason = options->reason;
  filter->from = options->from;
  filter->to = options->to;
  filter->limit = (guint) limit;
  return TRUE;
}

gboolean
omni_cli_history (OmniCliContext  *ctx,
                  GError         **error)
{
  g_auto(HistoryOptions) options = { 0 };
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  OmniHistoryFilter filter = { 0 };
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &options.reason,
      N_("Only movements with this reason"), N_("REASON") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &options.location,
      N_("Only movements at this location"), N_("NAME") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &options.from,
      N_("From this date (YYYY-MM-DD) or ISO 8601 time, UTC"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options.to,
      N_("Up to this date, inclusive, or before this ISO 8601 time"), N_("DATE") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &options.limit,
      N_("Only the N newest movements"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error) ||
      !build_history_filter (&options, &filter, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if ((row = find_variant (store, ctx->argv[1], error)) == NULL ||
      (options.location != NULL &&
       (filter.location_id = omni_store_find_location (store, options.location, error)) == 0))
    return FALSE;

  movements = omni_store_get_history (store, row->id, &filter, error);
  if (movements == NULL)
    return FALSE;

  if (ctx->json)
    print_history_json (ctx, row, movements);
  else
    print_history_text (ctx, row, ctx->argv[1], movements);

  return TRUE;
}

/* alerts -------------------------------------------------------------- */

static void
print_alerts_json (OmniCliContext *ctx,
                   GPtrArray      *alerts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < alerts->len; i++)
    {
      const OmniStockAlert *alert = g_ptr_array_index (alerts, i);

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "sku", alert->sku);
      omni_cli_json_add_int (builder, "variant_id", alert->variant_id);
      omni_cli_json_add_string (builder, "title", alert->title);
      omni_cli_json_add_int (builder, "available", alert->available);
      omni_cli_json_add_int (builder, "reorder_point", alert->reorder_point);
      omni_cli_json_add_string (builder, "raised_at", alert->raised_at);
      omni_cli_json_add_boolean (builder, "notified", alert->notified);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
print_alerts_text (OmniCliContext *ctx,
                   GPtrArray      *alerts)
{
  g_autoptr(OmniCliGrid) grid = NULL;

  if (alerts->len == 0)
    {
      omni_cli_output_print (ctx->out, _("No variant is at or below its reorder point.\n"));
      return;
    }

  grid = omni_cli_grid_new (_("SKU"), _("Title"), _("Available"), _("Reorder point"),
                            _("Since (UTC)"), NULL);
  omni_cli_grid_align_right (grid, 2);
  omni_cli_grid_align_right (grid, 3);
  for (guint i = 0; i < alerts->len; i++)
    {
      const OmniStockAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *since = omni_cli_display_time (alert->raised_at);

      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (alert->sku));
      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (alert->title));
      omni_cli_grid_add (grid, "%" PRId64, alert->available);
      omni_cli_grid_add (grid, "%" PRId64, alert->reorder_point);
      omni_cli_grid_add (grid, "%s", since);
    }

  omni_cli_output_grid (ctx->out, grid);
}

gboolean
omni_cli_alerts (OmniCliContext  *ctx,
                 GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  gboolean only_new = FALSE;
  const GOptionEntry entries[] = {
    { "new", 0, 0, G_OPTION_ARG_NONE, &only_new,
      N_("Only alerts no notification was sent for yet"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  alerts = omni_store_list_alerts (store, only_new, error);
  if (alerts == NULL)
    return FALSE;

  if (ctx->json)
    print_alerts_json (ctx, alerts);
  else
    print_alerts_text (ctx, alerts);

  return TRUE;
}
