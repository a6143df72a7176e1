/* omni-cli-purchasing.c: supplier add|list|link, po suggest|create|list|
 * show|order|cancel|receive|export
 *
 * Every write goes through the store's purchasing operations, which validate
 * and write in one transaction; these handlers parse, look names up and
 * print. Money typed for a supplier is in the supplier's currency.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-purchasing.h"
#include "omni-money.h"
#include "omni-report-po.h"
#include "omni-report-render.h"
#include "omni-store-purchasing.h"

/* What movements made by this program say about where they came from. */
#define SOURCE "cli"

#define DEFAULT_WINDOW_DAYS 30
#define DEFAULT_SAFETY_DAYS 7

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

static char *
money (OmniMoney   amount,
       const char *currency)
{
  return omni_money_format (amount, currency);
}

static void
json_add_double_or_null (JsonBuilder *builder,
                         const char  *member,
                         double       value)
{
  json_builder_set_member_name (builder, member);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, round (value * 10) / 10);
}

static char *
format_cover (double days)
{
  return days < 0 ? g_strdup ("—") : g_strdup_printf ("%.1f", days);
}

/* Reads a DAYS option that may be absent (-1 → @fallback). */
static gboolean
days_option (gint64       value,
             const char  *what,
             gint64       min,
             gint64       max,
             gint64       fallback,
             guint       *out,
             GError     **error)
{
  if (value == -1)
    value = fallback;
  if (value < min || value > max)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("%s must be %" PRId64 " to %" PRId64 ", not %" PRId64), what, min, max, value);
      return FALSE;
    }
  *out = (guint)value;
  return TRUE;
}

static gint64
find_order (OmniStore   *store,
            const char  *number,
            GError     **error)
{
  return omni_store_find_purchase_order (store, number, error);
}

/* supplier add -------------------------------------------------------- */

gboolean
omni_cli_supplier_add (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autofree char *contact = NULL;
  g_autofree char *currency = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniSupplier) supplier = NULL;
  gint64 lead = 0, id;
  const GOptionEntry entries[] = {
    { "contact", 0, 0, G_OPTION_ARG_STRING, &contact,
      N_("Who to write to: a name, e-mail or phone"), N_("TEXT") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency,
      N_("What the supplier bills in (default: the shop currency)"), N_("CODE") },
    { "lead-time", 0, 0, G_OPTION_ARG_INT64, &lead,
      N_("Days from ordering to delivery (default 0)"), N_("DAYS") },
    G_OPTION_ENTRY_NULL
  };
  OmniSupplierSpec spec = { 0 };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  spec.name = ctx->argv[1];
  spec.contact = contact;
  spec.currency = currency;
  spec.lead_time_days = lead;
  id = omni_store_add_supplier (store, &spec, error);
  if (id == 0)
    return FALSE;
  supplier = omni_store_get_supplier (store, id, error);
  if (supplier == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", supplier->id);
      omni_cli_json_add_string (builder, "name", supplier->name);
      omni_cli_json_add_string (builder, "contact", supplier->contact);
      omni_cli_json_add_string (builder, "currency", supplier->currency);
      omni_cli_json_add_int (builder, "lead_time_days", supplier->lead_time_days);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  omni_cli_output_print (ctx->out, _("Added supplier %s (%s, lead time %" PRId64 " days)\n"),
                         supplier->name, supplier->currency, supplier->lead_time_days);
  return TRUE;
}

/* supplier list ------------------------------------------------------- */

gboolean
omni_cli_supplier_list (OmniCliContext  *ctx,
                        GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) suppliers = NULL;

  if (!omni_cli_context_parse (ctx, NULL, 0, 0, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  suppliers = omni_store_list_suppliers (store, error);
  if (suppliers == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < suppliers->len; i++)
        {
          const OmniSupplier *s = g_ptr_array_index (suppliers, i);

          json_builder_begin_object (builder);
          omni_cli_json_add_int (builder, "id", s->id);
          omni_cli_json_add_string (builder, "name", s->name);
          omni_cli_json_add_string (builder, "contact", s->contact);
          omni_cli_json_add_string (builder, "currency", s->currency);
          omni_cli_json_add_int (builder, "lead_time_days", s->lead_time_days);
          omni_cli_json_add_int (builder, "variants", s->n_variants);
          omni_cli_json_add_int (builder, "open_orders", s->open_orders);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (suppliers->len == 0)
    {
      omni_cli_output_print (ctx->out, "%s\n",
                             _("No suppliers yet. Add one with: supplier add NAME"));
      return TRUE;
    }

  {
    g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("Supplier"), _("Contact"), _("Currency"),
                                                     _("Lead time"), _("Variants"),
                                                     _("Open orders"), NULL);

    for (guint column = 3; column <= 5; column++)
      omni_cli_grid_align_right (grid, column);
    for (guint i = 0; i < suppliers->len; i++)
      {
        const OmniSupplier *s = g_ptr_array_index (suppliers, i);

        omni_cli_grid_add (grid, "%s", s->name);
        omni_cli_grid_add (grid, "%s", omni_cli_or_empty (s->contact));
        omni_cli_grid_add (grid, "%s", s->currency);
        omni_cli_grid_add (grid, "%" PRId64, s->lead_time_days);
        omni_cli_grid_add (grid, "%" PRId64, s->n_variants);
        omni_cli_grid_add (grid, "%" PRId64, s->open_orders);
      }
    omni_cli_output_grid (ctx->out, grid);
  }
  return TRUE;
}

/* supplier link ------------------------------------------------------- */

gboolean
omni_cli_supplier_link (OmniCliContext  *ctx,
                        GError         **error)
{
  g_autofree char *cost = NULL;
  g_autofree char *supplier_sku = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniSupplier) supplier = NULL;
  gint64 moq = 1, multiple = 1, supplier_id, variant_id;
  gboolean preferred = FALSE;
  const GOptionEntry entries[] = {
    { "cost", 0, 0, G_OPTION_ARG_STRING, &cost,
      N_("Unit cost in the supplier's currency (required)"), N_("AMOUNT") },
    { "supplier-sku", 0, 0, G_OPTION_ARG_STRING, &supplier_sku,
      N_("The supplier's own code for the item"), N_("CODE") },
    { "moq", 0, 0, G_OPTION_ARG_INT64, &moq,
      N_("Minimum order quantity (default 1)"), N_("QTY") },
    { "multiple", 0, 0, G_OPTION_ARG_INT64, &multiple,
      N_("Orders are rounded up to a multiple of this (default 1)"), N_("QTY") },
    { "preferred", 0, 0, G_OPTION_ARG_NONE, &preferred,
      N_("Make this the variant's preferred supplier"), NULL },
    G_OPTION_ENTRY_NULL
  };
  OmniSupplierVariantSpec spec = { 0 };

  if (!omni_cli_context_parse (ctx, entries, 2, 2, error))
    return FALSE;
  if (cost == NULL)
    return usage_error (error, _("Give the unit cost with --cost AMOUNT"));

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  supplier_id = omni_store_find_supplier (store, ctx->argv[1], error);
  if (supplier_id == 0)
    return FALSE;
  supplier = omni_store_get_supplier (store, supplier_id, error);
  if (supplier == NULL)
    return FALSE;
  variant_id = omni_store_find_variant (store, ctx->argv[2], error);
  if (variant_id == 0)
    return FALSE;

  spec.supplier_id = supplier_id;
  spec.variant_id = variant_id;
  spec.supplier_sku = supplier_sku;
  spec.moq = moq;
  spec.order_multiple = multiple;
  spec.preferred = preferred;
  if (!omni_money_parse (cost, supplier->currency, &spec.unit_cost, error))
    {
      g_prefix_error (error, "--cost: ");
      return FALSE;
    }
  if (!omni_store_set_supplier_variant (store, &spec, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "supplier", supplier->name);
      omni_cli_json_add_string (builder, "sku", ctx->argv[2]);
      omni_cli_json_add_int (builder, "variant_id", variant_id);
      omni_cli_json_add_string (builder, "supplier_sku", supplier_sku);
      omni_cli_json_add_int (builder, "unit_cost_minor", spec.unit_cost);
      omni_cli_json_add_string (builder, "currency", supplier->currency);
      omni_cli_json_add_int (builder, "moq", moq);
      omni_cli_json_add_int (builder, "order_multiple", multiple);
      omni_cli_json_add_boolean (builder, "preferred", preferred);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  {
    g_autofree char *shown = money (spec.unit_cost, supplier->currency);

    omni_cli_output_print (ctx->out,
                           _("%s supplies %s at %s (minimum %" PRId64 ", multiple of %" PRId64 ")%s\n"),
                           supplier->name, ctx->argv[2], shown, moq, multiple,
                           preferred ? _(", preferred") : "");
  }
  return TRUE;
}

/* po suggest ---------------------------------------------------------- */

static void
print_suggestions_json (OmniCliContext *ctx,
                        GPtrArray      *rows,
                        guint           window,
                        guint           safety)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  omni_cli_json_add_int (builder, "window_days", window);
  omni_cli_json_add_int (builder, "safety_days", safety);
  json_builder_set_member_name (builder, "suggestions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const OmniPurchaseSuggestion *s = g_ptr_array_index (rows, i);

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "sku", s->sku);
      omni_cli_json_add_int (builder, "variant_id", s->variant_id);
      omni_cli_json_add_string (builder, "title", s->title);
      omni_cli_json_add_string (builder, "options", s->options);
      omni_cli_json_add_string (builder, "supplier", s->supplier);
      omni_cli_json_add_int (builder, "supplier_id", s->supplier_id);
      omni_cli_json_add_string (builder, "supplier_sku", s->supplier_sku);
      omni_cli_json_add_int (builder, "available", s->available);
      omni_cli_json_add_int (builder, "incoming", s->incoming);
      omni_cli_json_add_optional_int (builder, "reorder_point", s->reorder_point);
      omni_cli_json_add_int (builder, "units_sold", s->units_sold);
      json_builder_set_member_name (builder, "daily_sales");
      json_builder_add_double_value (builder, s->daily_sales);
      omni_cli_json_add_int (builder, "lead_time_days", s->lead_time_days);
      omni_cli_json_add_int (builder, "target", s->target);
      omni_cli_json_add_int (builder, "need", s->need);
      omni_cli_json_add_int (builder, "moq", s->moq);
      omni_cli_json_add_int (builder, "order_multiple", s->order_multiple);
      omni_cli_json_add_int (builder, "suggested", s->suggested);
      omni_cli_json_add_int (builder, "unit_cost_minor", s->unit_cost);
      omni_cli_json_add_string (builder, "currency", s->currency);
      json_add_double_or_null (builder, "days_of_cover", s->cover_now);
      json_add_double_or_null (builder, "days_of_cover_after", s->cover_after);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  omni_cli_output_json (ctx->out, builder);
}

static void
print_suggestions_text (OmniCliContext *ctx,
                        GPtrArray      *rows)
{
  g_autoptr(OmniCliGrid) grid = NULL;

  if (rows->len == 0)
    {
      omni_cli_output_print (ctx->out, "%s\n", _("Nothing needs ordering."));
      return;
    }

  grid = omni_cli_grid_new (_("SKU"), _("Supplier"), _("Available"), _("Incoming"),
                            _("Per day"), _("Cover"), _("Order"), _("Cover after"),
                            _("Unit cost"), NULL);
  for (guint column = 2; column <= 8; column++)
    omni_cli_grid_align_right (grid, column);
  for (guint i = 0; i < rows->len; i++)
    {
      const OmniPurchaseSuggestion *s = g_ptr_array_index (rows, i);
      g_autofree char *now = format_cover (s->cover_now);
      g_autofree char *after = format_cover (s->cover_after);
      g_autofree char *cost = money (s->unit_cost, s->currency);

      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (s->sku));
      omni_cli_grid_add (grid, "%s", s->supplier);
      omni_cli_grid_add (grid, "%" PRId64, s->available);
      omni_cli_grid_add (grid, "%" PRId64, s->incoming);
      omni_cli_grid_add (grid, "%.2f", s->daily_sales);
      omni_cli_grid_add (grid, "%s", now);
      omni_cli_grid_add (grid, "%" PRId64, s->suggested);
      omni_cli_grid_add (grid, "%s", after);
      omni_cli_grid_add (grid, "%s", cost);
    }
  omni_cli_output_grid (ctx->out, grid);
}

static GPtrArray *
suggest (OmniStore   *store,
         const char  *supplier,
         guint        window,
         guint        safety,
         gboolean     include_all,
         GError     **error)
{
  OmniSuggestOptions options = {
    .window_days = window, .safety_days = safety, .include_all = include_all,
  };

  if (supplier != NULL)
    {
      options.supplier_id = omni_store_find_supplier (store, supplier, error);
      if (options.supplier_id == 0)
        return NULL;
    }
  return omni_store_suggest_purchases (store, &options, error);
}

gboolean
omni_cli_po_suggest (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autofree char *supplier = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 window_opt = -1, safety_opt = -1;
  guint window, safety;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "supplier", 0, 0, G_OPTION_ARG_STRING, &supplier,
      N_("Only what this supplier supplies"), N_("NAME") },
    { "window", 0, 0, G_OPTION_ARG_INT64, &window_opt,
      N_("Days of sales the velocity is averaged over (default 30)"), N_("DAYS") },
    { "safety", 0, 0, G_OPTION_ARG_INT64, &safety_opt,
      N_("Extra days of sales to hold beyond the lead time (default 7)"), N_("DAYS") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Also list variants that need nothing"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;
  if (!days_option (window_opt, "--window", 1, 3650, DEFAULT_WINDOW_DAYS, &window, error)
      || !days_option (safety_opt, "--safety", 0, OMNI_PURCHASE_MAX_SAFETY_DAYS,
                       DEFAULT_SAFETY_DAYS, &safety, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  rows = suggest (store, supplier, window, safety, all, error);
  if (rows == NULL)
    return FALSE;

  if (ctx->json)
    print_suggestions_json (ctx, rows, window, safety);
  else
    print_suggestions_text (ctx, rows);
  return TRUE;
}

/* po show (also what create, order and cancel print) ------------------ */

static void
json_add_order (JsonBuilder             *builder,
                const OmniPurchaseOrder *order,
                GPtrArray               *lines)
{
  omni_cli_json_add_int (builder, "id", order->id);
  omni_cli_json_add_string (builder, "number", order->number);
  omni_cli_json_add_string (builder, "status", order->status);
  omni_cli_json_add_string (builder, "supplier", order->supplier);
  omni_cli_json_add_int (builder, "supplier_id", order->supplier_id);
  omni_cli_json_add_string (builder, "location", order->location);
  omni_cli_json_add_int (builder, "location_id", order->location_id);
  omni_cli_json_add_string (builder, "currency", order->currency);
  omni_cli_json_add_string (builder, "note", order->note);
  omni_cli_json_add_string (builder, "created_by", order->actor);
  omni_cli_json_add_string (builder, "created_at", order->created_at);
  omni_cli_json_add_string (builder, "ordered_at", order->ordered_at);
  omni_cli_json_add_string (builder, "closed_at", order->closed_at);
  omni_cli_json_add_int (builder, "lines_count", order->n_lines);
  omni_cli_json_add_int (builder, "units_ordered", order->units_ordered);
  omni_cli_json_add_int (builder, "units_received", order->units_received);
  omni_cli_json_add_int (builder, "total_minor", order->total);
  if (lines == NULL)
    return;

  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "sku", line->sku);
      omni_cli_json_add_int (builder, "variant_id", line->variant_id);
      omni_cli_json_add_string (builder, "supplier_sku", line->supplier_sku);
      omni_cli_json_add_string (builder, "title", line->title);
      omni_cli_json_add_string (builder, "options", line->options);
      omni_cli_json_add_int (builder, "quantity", line->quantity);
      omni_cli_json_add_int (builder, "received", line->received);
      omni_cli_json_add_int (builder, "unit_cost_minor", line->unit_cost);
      omni_cli_json_add_int (builder, "line_total_minor", line->line_total);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

typedef enum
{
  HEADLINE_NONE,
  HEADLINE_CREATED,
  HEADLINE_CREATED_ORDERED,
  HEADLINE_ORDERED,
  HEADLINE_CANCELLED,
} Headline;

static void
print_headline (OmniCliContext *ctx,
                Headline        headline,
                const char     *number)
{
  switch (headline)
    {
    case HEADLINE_CREATED:
      omni_cli_output_print (ctx->out, _("Created draft %s\n\n"), number);
      break;
    case HEADLINE_CREATED_ORDERED:
      omni_cli_output_print (ctx->out, _("Created %s and marked it ordered\n\n"), number);
      break;
    case HEADLINE_ORDERED:
      omni_cli_output_print (ctx->out, _("Marked %s ordered\n\n"), number);
      break;
    case HEADLINE_CANCELLED:
      omni_cli_output_print (ctx->out, _("Cancelled %s\n\n"), number);
      break;
    case HEADLINE_NONE:
    default:
      break;
    }
}

static gboolean
print_order (OmniCliContext  *ctx,
             OmniStore       *store,
             gint64           po_id,
             Headline         headline,
             GError         **error)
{
  g_autoptr(OmniPurchaseOrder) order = omni_store_get_purchase_order (store, po_id, error);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(OmniCliTable) table = NULL;
  g_autoptr(OmniCliGrid) grid = NULL;
  g_autofree char *total = NULL;

  if (order == NULL)
    return FALSE;
  lines = omni_store_get_purchase_lines (store, po_id, error);
  if (lines == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_order (builder, order, lines);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  print_headline (ctx, headline, order->number);

  total = money (order->total, order->currency);
  table = omni_cli_table_new ();
  omni_cli_table_add (table, _("Order"), "%s", order->number);
  omni_cli_table_add (table, _("Status"), "%s", order->status);
  omni_cli_table_add (table, _("Supplier"), "%s", order->supplier);
  omni_cli_table_add (table, _("Deliver to"), "%s", order->location);
  omni_cli_table_add (table, _("Units"), "%" PRId64 " ordered, %" PRId64 " received",
                      order->units_ordered, order->units_received);
  omni_cli_table_add (table, _("Total"), "%s", total);
  if (order->note != NULL)
    omni_cli_table_add (table, _("Note"), "%s", order->note);
  omni_cli_output_table (ctx->out, table);
  omni_cli_output_print (ctx->out, "\n");

  grid = omni_cli_grid_new (_("SKU"), _("Supplier SKU"), _("Item"), _("Ordered"),
                            _("Received"), _("Unit cost"), _("Line total"), NULL);
  for (guint column = 3; column <= 6; column++)
    omni_cli_grid_align_right (grid, column);
  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);
      g_autofree char *label = omni_cli_variant_label (line->title, line->options);
      g_autofree char *cost = money (line->unit_cost, order->currency);
      g_autofree char *line_total = money (line->line_total, order->currency);

      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (line->sku));
      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (line->supplier_sku));
      omni_cli_grid_add (grid, "%s", label);
      omni_cli_grid_add (grid, "%" PRId64, line->quantity);
      omni_cli_grid_add (grid, "%" PRId64, line->received);
      omni_cli_grid_add (grid, "%s", cost);
      omni_cli_grid_add (grid, "%s", line_total);
    }
  omni_cli_output_grid (ctx->out, grid);
  return TRUE;
}

gboolean
omni_cli_po_show (OmniCliContext  *ctx,
                  GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  gint64 po_id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  po_id = find_order (store, ctx->argv[1], error);
  if (po_id == 0)
    return FALSE;
  return print_order (ctx, store, po_id, HEADLINE_NONE, error);
}

/* po create ----------------------------------------------------------- */

/* SKU:QTY or SKU:QTY:COST; a SKU may itself hold colons, so the fields
 * are taken from the right. */
static gboolean
parse_line (OmniStore            *store,
            const char           *text,
            const char           *currency,
            OmniPurchaseLineSpec *line,
            GError              **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  guint n_sku = n - 1;
  g_autofree char *qty = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *sku = NULL;
  gint64 probe;

  if (n < 2)
    return usage_error (error, _("--line wants SKU:QTY or SKU:QTY:COST, not “%s”"), text);

  if (n >= 3 && g_ascii_string_to_signed (parts[n - 2], 10, 1, OMNI_CLI_MAX_QUANTITY,
                                          &probe, NULL))
    {
      n_sku = n - 2;
      cost = g_strdup (parts[n - 1]);
    }
  qty = g_strdup (parts[n_sku]);
  g_free (parts[n_sku]);
  parts[n_sku] = NULL;
  sku = g_strjoinv (":", parts);
  /* Restore the vector's tail so g_strfreev frees every field. */
  parts[n_sku] = g_strdup (qty);

  line->variant_id = omni_store_find_variant (store, sku, error);
  if (line->variant_id == 0)
    return FALSE;
  if (!omni_cli_parse_int (qty, "--line QTY", 1, OMNI_CLI_MAX_QUANTITY, &line->quantity, error))
    return FALSE;
  line->unit_cost = -1;
  if (cost != NULL && !omni_money_parse (cost, currency, &line->unit_cost, error))
    {
      g_prefix_error (error, "--line COST: ");
      return FALSE;
    }
  return TRUE;
}

gboolean
omni_cli_po_create (OmniCliContext  *ctx,
                    GError         **error)
{
  g_autofree char *supplier_name = NULL;
  g_autofree char *location = NULL;
  g_autofree char *note = NULL;
  g_auto(GStrv) line_texts = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniSupplier) supplier = NULL;
  g_autoptr(GArray) lines = NULL;
  gint64 window_opt = -1, safety_opt = -1, po_id;
  guint window, safety;
  gboolean from_suggestions = FALSE, order_now = FALSE;
  const GOptionEntry entries[] = {
    { "supplier", 0, 0, G_OPTION_ARG_STRING, &supplier_name,
      N_("Who the order goes to (required)"), N_("NAME") },
    { "line", 0, 0, G_OPTION_ARG_STRING_ARRAY, &line_texts,
      N_("A line; repeat for more (COST in the supplier's currency)"), N_("SKU:QTY[:COST]") },
    { "from-suggestions", 0, 0, G_OPTION_ARG_NONE, &from_suggestions,
      N_("Start from the planner's suggestions for the supplier; --line overrides"), NULL },
    { "window", 0, 0, G_OPTION_ARG_INT64, &window_opt,
      N_("Sales window for the suggestions (default 30)"), N_("DAYS") },
    { "safety", 0, 0, G_OPTION_ARG_INT64, &safety_opt,
      N_("Safety margin for the suggestions (default 7)"), N_("DAYS") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Where the goods arrive (default: the default location)"), N_("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("A note printed on the order"), N_("TEXT") },
    { "order", 0, 0, G_OPTION_ARG_NONE, &order_now,
      N_("Mark it ordered at once instead of leaving a draft"), NULL },
    G_OPTION_ENTRY_NULL
  };
  OmniPurchaseOrderSpec spec = { 0 };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;
  if (supplier_name == NULL)
    return usage_error (error, _("Say who the order goes to with --supplier NAME"));
  if (line_texts == NULL && !from_suggestions)
    return usage_error (error, _("Give lines with --line SKU:QTY, or use --from-suggestions"));
  if (!days_option (window_opt, "--window", 1, 3650, DEFAULT_WINDOW_DAYS, &window, error)
      || !days_option (safety_opt, "--safety", 0, OMNI_PURCHASE_MAX_SAFETY_DAYS,
                       DEFAULT_SAFETY_DAYS, &safety, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  spec.supplier_id = omni_store_find_supplier (store, supplier_name, error);
  if (spec.supplier_id == 0)
    return FALSE;
  supplier = omni_store_get_supplier (store, spec.supplier_id, error);
  if (supplier == NULL)
    return FALSE;
  spec.location_id = omni_cli_find_location (store, location, error);
  if (spec.location_id == 0)
    return FALSE;

  lines = g_array_new (FALSE, TRUE, sizeof (OmniPurchaseLineSpec));
  if (from_suggestions)
    {
      g_autoptr(GPtrArray) rows = suggest (store, supplier->name, window, safety, FALSE, error);

      if (rows == NULL)
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        {
          const OmniPurchaseSuggestion *s = g_ptr_array_index (rows, i);
          OmniPurchaseLineSpec line = { s->variant_id, s->suggested, s->unit_cost };

          g_array_append_val (lines, line);
        }
    }

  for (guint i = 0; line_texts != NULL && line_texts[i] != NULL; i++)
    {
      OmniPurchaseLineSpec line = { 0 };
      gboolean replaced = FALSE;

      if (!parse_line (store, line_texts[i], supplier->currency, &line, error))
        return FALSE;
      /* A typed line replaces the suggestion for the same variant. */
      for (guint j = 0; j < lines->len; j++)
        {
          OmniPurchaseLineSpec *existing = &g_array_index (lines, OmniPurchaseLineSpec, j);

          if (existing->variant_id == line.variant_id)
            {
              *existing = line;
              replaced = TRUE;
            }
        }
      if (!replaced)
        g_array_append_val (lines, line);
    }

  if (lines->len == 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("Nothing to order from %s: the planner suggests nothing and no --line was given"),
                   supplier->name);
      return FALSE;
    }

  spec.lines = (const OmniPurchaseLineSpec *)(gpointer)lines->data;
  spec.n_lines = lines->len;
  spec.note = note;
  spec.actor = omni_cli_get_actor ();
  po_id = omni_store_create_purchase_order (store, &spec, error);
  if (po_id == 0)
    return FALSE;
  if (order_now && !omni_store_mark_purchase_ordered (store, po_id, error))
    return FALSE;

  return print_order (ctx, store, po_id,
                      order_now ? HEADLINE_CREATED_ORDERED : HEADLINE_CREATED, error);
}

/* po list ------------------------------------------------------------- */

gboolean
omni_cli_po_list (OmniCliContext  *ctx,
                  GError         **error)
{
  g_autofree char *status = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("draft, ordered, partially_received, received, cancelled or open"), N_("STATUS") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  orders = omni_store_list_purchase_orders (store, status, error);
  if (orders == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < orders->len; i++)
        {
          json_builder_begin_object (builder);
          json_add_order (builder, g_ptr_array_index (orders, i), NULL);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (orders->len == 0)
    {
      omni_cli_output_print (ctx->out, "%s\n", _("No purchase orders."));
      return TRUE;
    }

  {
    g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("Order"), _("Status"), _("Supplier"),
                                                     _("Ordered"), _("Received"), _("Total"),
                                                     _("Created"), NULL);

    for (guint column = 3; column <= 5; column++)
      omni_cli_grid_align_right (grid, column);
    for (guint i = 0; i < orders->len; i++)
      {
        const OmniPurchaseOrder *o = g_ptr_array_index (orders, i);
        g_autofree char *total = money (o->total, o->currency);
        g_autofree char *created = omni_cli_display_time (o->created_at);

        omni_cli_grid_add (grid, "%s", o->number);
        omni_cli_grid_add (grid, "%s", o->status);
        omni_cli_grid_add (grid, "%s", o->supplier);
        omni_cli_grid_add (grid, "%" PRId64, o->units_ordered);
        omni_cli_grid_add (grid, "%" PRId64, o->units_received);
        omni_cli_grid_add (grid, "%s", total);
        omni_cli_grid_add (grid, "%s", created);
      }
    omni_cli_output_grid (ctx->out, grid);
  }
  return TRUE;
}

/* po order, po cancel ------------------------------------------------- */

static gboolean
change_state (OmniCliContext  *ctx,
              gboolean         cancel,
              GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  gint64 po_id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  po_id = find_order (store, ctx->argv[1], error);
  if (po_id == 0)
    return FALSE;
  if (cancel ? !omni_store_cancel_purchase_order (store, po_id, error)
             : !omni_store_mark_purchase_ordered (store, po_id, error))
    return FALSE;
  return print_order (ctx, store, po_id,
                      cancel ? HEADLINE_CANCELLED : HEADLINE_ORDERED, error);
}

gboolean
omni_cli_po_order (OmniCliContext  *ctx,
                   GError         **error)
{
  return change_state (ctx, FALSE, error);
}

gboolean
omni_cli_po_cancel (OmniCliContext  *ctx,
                    GError         **error)
{
  return change_state (ctx, TRUE, error);
}

/* po receive ---------------------------------------------------------- */

gboolean
omni_cli_po_receive (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autofree char *location = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniPurchaseOrder) order = NULL;
  g_auto(OmniReceiveResult) result = { 0 };
  gboolean all = FALSE;
  gint64 po_id, location_id;
  guint n_args;
  OmniReceiveLine line = { 0 };
  const GOptionEntry entries[] = {
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Where the goods arrive (default: the order's location)"), N_("NAME") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Receive everything still outstanding"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 3, error))
    return FALSE;
  n_args = omni_cli_context_get_n_args (ctx);
  if (all ? n_args != 1 : n_args != 3)
    return usage_error (error, all ? _("With --all, give only the order: po receive PO --all")
                                   : _("Give the order, a SKU and a quantity: po receive PO SKU QTY"));
  if (!all && !omni_cli_parse_int (ctx->argv[3], "QTY", 1, OMNI_CLI_MAX_QUANTITY,
                                   &line.quantity, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  po_id = find_order (store, ctx->argv[1], error);
  if (po_id == 0)
    return FALSE;
  location_id = location != NULL ? omni_store_find_location (store, location, error) : 0;
  if (location != NULL && location_id == 0)
    return FALSE;

  if (all)
    {
      if (!omni_store_receive_purchase_all (store, po_id, location_id, SOURCE,
                                            omni_cli_get_actor (), &result, error))
        return FALSE;
    }
  else
    {
      line.variant_id = omni_store_find_variant (store, ctx->argv[2], error);
      if (line.variant_id == 0)
        return FALSE;
      if (!omni_store_receive_purchase (store, po_id, location_id, &line, 1, SOURCE,
                                        omni_cli_get_actor (), &result, error))
        return FALSE;
    }

  order = omni_store_get_purchase_order (store, po_id, error);
  if (order == NULL)
    return FALSE;
  if (location_id == 0)
    location_id = order->location_id;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "number", order->number);
      omni_cli_json_add_string (builder, "status", result.status);
      omni_cli_json_add_int (builder, "received", result.units);
      omni_cli_json_add_int (builder, "over_received", result.over_received);
      omni_cli_json_add_string (builder, "operation", result.operation);
      omni_cli_json_add_int (builder, "location_id", location_id);
      omni_cli_json_add_int (builder, "units_ordered", order->units_ordered);
      omni_cli_json_add_int (builder, "units_received", order->units_received);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    {
      omni_cli_output_print (ctx->out,
                             _("Received %" PRId64 " on %s: %" PRId64 " of %" PRId64
                               " units in, now %s\nOperation: %s\n"),
                             result.units, order->number, order->units_received,
                             order->units_ordered, result.status, result.operation);
      /* Over-receipt is allowed, with a warning (JSON: over_received). */
      if (result.over_received > 0)
        omni_cli_output_print (ctx->out,
                               _("Warning: %" PRId64 " more than ordered received on %s\n"),
                               result.over_received, order->number);
    }

  return TRUE;
}

/* po export ----------------------------------------------------------- */

gboolean
omni_cli_po_export (OmniCliContext  *ctx,
                    GError         **error)
{
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(GFile) file = NULL;
  OmniReportFormat format;
  gint64 po_id;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("csv or pdf (default: the --output file's ending)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The file to write (required)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (output == NULL)
    return usage_error (error, _("Say where to write the order with --output FILE"));
  if (format_name == NULL)
    {
      g_autofree char *lower = g_ascii_strdown (output, -1);

      format_name = g_strdup (g_str_has_suffix (lower, ".pdf") ? "pdf"
                              : g_str_has_suffix (lower, ".csv") ? "csv" : "");
    }
  if (g_str_equal (format_name, "csv"))
    format = OMNI_REPORT_FORMAT_CSV;
  else if (g_str_equal (format_name, "pdf"))
    format = OMNI_REPORT_FORMAT_PDF;
  else
    return usage_error (error, _("--format must be csv or pdf, not “%s”"), format_name);

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  po_id = find_order (store, ctx->argv[1], error);
  if (po_id == 0)
    return FALSE;
  table = omni_report_purchase_order (store, po_id, error);
  if (table == NULL)
    return FALSE;
  file = g_file_new_for_commandline_arg (output);
  if (!omni_report_table_save (table, format, file, NULL, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *path = g_file_get_path (file);

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", po_id);
      omni_cli_json_add_string (builder, "output", path);
      omni_cli_json_add_string (builder, "format", format_name);
      omni_cli_json_add_int (builder, "lines_count", omni_report_table_get_n_rows (table));
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  {
    g_autofree char *display = omni_cli_display_path (output);

    guint n = omni_report_table_get_n_rows (table);

    omni_cli_output_print (ctx->out,
                           ngettext ("Wrote %s (%u line) to %s\n",
                                     "Wrote %s (%u lines) to %s\n", n),
                           omni_report_table_get_title (table), n, display);
  }
  return TRUE;
}
