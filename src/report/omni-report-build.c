/* omni-report-build.c: report tables built from the core's report queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One builder per report turns the core's rows into a table: the columns a
 * merchant reads, the filters that say what the figures cover, and a totals
 * row where a total means something (units sold across orders do; the number
 * of orders across variants does not, as one order spans several).
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "omni-report-build.h"
#include "omni-store-count.h"

typedef struct
{
  OmniReportKind  kind;
  const char     *key;
  const char     *title;
  const char     *description;
} KindInfo;

static const KindInfo kinds[] = {
  { OMNI_REPORT_VALUATION, "valuation", N_("Inventory Valuation"),
    N_("Stock value at cost and at retail, now or at a past date") },
  { OMNI_REPORT_LOW_STOCK, "low-stock", N_("Low Stock"),
    N_("Variants at or below their reorder point, with days of cover") },
  { OMNI_REPORT_REORDER, "reorder", N_("Reorder Suggestions"),
    N_("What to order to cover the next month’s sales") },
  { OMNI_REPORT_MOVEMENTS, "movements", N_("Stock Movements"),
    N_("Every change to stock over a date range") },
  { OMNI_REPORT_SALES, "sales", N_("Sales"),
    N_("Units and revenue by variant, product, channel or day") },
  { OMNI_REPORT_COUNT_VARIANCES, "count-variances", N_("Count Variances"),
    N_("What a stock count found against the books") },
  { OMNI_REPORT_SLOW_MOVERS, "slow-movers", N_("Slow Movers"),
    N_("Stock that sold least, the most money tied up first") },
};

static const char * const grouping_keys[] = {
  [OMNI_SALES_BY_VARIANT] = "variant",
  [OMNI_SALES_BY_PRODUCT] = "product",
  [OMNI_SALES_BY_CHANNEL] = "channel",
  [OMNI_SALES_BY_DAY] = "day",
};

/**
 * omni_report_kind_to_key:
 *
 * Returns: the name the CLI takes ("low-stock")
 */
const char *
omni_report_kind_to_key (OmniReportKind kind)
{
  g_return_val_if_fail (kind < OMNI_REPORT_N_KINDS, NULL);

  return kinds[kind].key;
}

gboolean
omni_report_kind_from_key (const char     *key,
                           OmniReportKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (kinds[i].key, key))
        {
          *kind = kinds[i].kind;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * omni_report_kind_get_title:
 *
 * Returns: the report's title, translated
 */
const char *
omni_report_kind_get_title (OmniReportKind kind)
{
  g_return_val_if_fail (kind < OMNI_REPORT_N_KINDS, NULL);

  return _(kinds[kind].title);
}

/**
 * omni_report_kind_get_description:
 *
 * Returns: one line on what the report shows, translated
 */
const char *
omni_report_kind_get_description (OmniReportKind kind)
{
  g_return_val_if_fail (kind < OMNI_REPORT_N_KINDS, NULL);

  return _(kinds[kind].description);
}

const char *
omni_report_sales_grouping_to_key (OmniSalesGrouping grouping)
{
  g_return_val_if_fail (grouping <= OMNI_SALES_BY_DAY, NULL);

  return grouping_keys[grouping];
}

gboolean
omni_report_sales_grouping_from_key (const char        *key,
                                     OmniSalesGrouping *grouping)
{
  g_return_val_if_fail (grouping != NULL, FALSE);

  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (grouping_keys); i++)
    {
      if (g_str_equal (grouping_keys[i], key))
        {
          *grouping = (OmniSalesGrouping) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Shared pieces ----------------------------------------------------------- */

static OmniReportTable *
table_new (OmniStore      *store,
           OmniReportKind  kind)
{
  OmniReportTable *table = omni_report_table_new (kinds[kind].key, _(kinds[kind].title));
  g_autofree char *currency = omni_store_get_setting (store, "currency");

  omni_report_table_set_currency (table, currency != NULL ? currency : "USD");
  return table;
}

static void
add_currency_filter (OmniReportTable *table)
{
  omni_report_table_add_filter (table, _("Currency"), omni_report_table_get_currency (table));
}

/* "Mug — Red", or the title alone for a variant without options. */
static char *
variant_label (const char *title,
               const char *options)
{
  if (options == NULL || *options == '\0')
    return g_strdup (title != NULL ? title : "");

  return g_strdup_printf ("%s — %s", title != NULL ? title : "", options);
}

static void
set_variant (OmniReportTable *table,
             guint            row,
             guint            column,
             const char      *title,
             const char      *options)
{
  g_autofree char *label = variant_label (title, options);

  omni_report_table_set_text (table, row, column, label);
}

/* A -1 from the core means "not set": the cell stays blank. */
static void
set_optional_int (OmniReportTable *table,
                  guint            row,
                  guint            column,
                  gint64           value)
{
  if (value >= 0)
    omni_report_table_set_int (table, row, column, value);
}

/* The range as the core takes it (an end day becomes the next midnight, so
 * "to 2026-10-31" includes that day) and as a filter line shows it. */
typedef struct
{
  char *from;
  char *to;
  char *shown;
} Range;

static void
range_clear (Range *range)
{
  g_free (range->from);
  g_free (range->to);
  g_free (range->shown);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Range, range_clear)

static char *
day_after (const char *day)
{
  g_autofree char *midnight = g_strconcat (day, "T00:00:00Z", NULL);
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (midnight, NULL);
  g_autoptr(GDateTime) next = g_date_time_add_days (start, 1);

  return g_date_time_format (next, "%Y-%m-%d");
}

static char *
describe_range (const char *from,
                const char *to)
{
  if (from != NULL && to != NULL)
    /* TRANSLATORS: a date range, both ends included */
    return g_strdup_printf (_("%s to %s"), from, to);
  if (from != NULL)
    return g_strdup_printf (_("From %s"), from);
  if (to != NULL)
    return g_strdup_printf (_("Up to %s"), to);
  return g_strdup (_("All time"));
}

static gboolean
resolve_range (const char  *from,
               const char  *to,
               Range       *range,
               GError     **error)
{
  g_autofree char *end = NULL;

  if (from != NULL && (range->from = omni_report_normalize_time (from, "The start",
                                                                 error)) == NULL)
    return FALSE;

  if (to != NULL)
    {
      end = omni_report_normalize_time (to, "The end", error);
      if (end == NULL)
        return FALSE;
      range->to = strlen (end) == 10 ? day_after (end) : g_steal_pointer (&end);
    }

  range->shown = describe_range (from, to);
  return TRUE;
}

/* Valuation --------------------------------------------------------------- */

enum { VAL_SKU, VAL_PRODUCT };

static void
valuation_columns (OmniReportTable *table,
                   gboolean         by_location)
{
  omni_report_table_add_column (table, "sku", _("SKU"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "product", _("Product"), OMNI_CELL_TEXT);
  if (by_location)
    omni_report_table_add_column (table, "location", _("Location"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "quantity", _("On Hand"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "unit_cost", _("Unit Cost"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "unit_price", _("Unit Price"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "cost_value", _("Value at Cost"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "retail_value", _("Value at Retail"), OMNI_CELL_MONEY);
}

static void
valuation_row (OmniReportTable        *table,
               const OmniValuationRow *row,
               gboolean                by_location)
{
  guint r = omni_report_table_append_row (table);
  guint c = VAL_PRODUCT + 1;

  omni_report_table_set_text (table, r, VAL_SKU, row->sku);
  set_variant (table, r, VAL_PRODUCT, row->title, row->options);
  if (by_location)
    omni_report_table_set_text (table, r, c++, row->location);
  omni_report_table_set_int (table, r, c++, row->quantity);
  omni_report_table_set_int (table, r, c++, row->unit_cost);
  omni_report_table_set_int (table, r, c++, row->unit_price);
  omni_report_table_set_int (table, r, c++, row->cost_value);
  omni_report_table_set_int (table, r, c, row->retail_value);
}

static void
valuation_totals (OmniReportTable           *table,
                  const OmniValuationTotals *totals,
                  gboolean                   by_location)
{
  guint c = by_location ? 3 : 2;

  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, VAL_SKU, _("Total"));
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, c, totals->units);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, c + 3, totals->cost_value);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, c + 4, totals->retail_value);
}

static OmniReportTable *
build_valuation (OmniStore   *store,
                 const char  *at,
                 gboolean     by_location,
                 const char  *location,
                 GError     **error)
{
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  OmniValuationTotals totals = { 0 };
  gint64 location_id = 0;

  if (location != NULL)
    {
      location_id = omni_store_find_location (store, location, error);
      if (location_id == 0)
        return NULL;
      by_location = TRUE;
    }

  rows = omni_report_valuation (store, at, by_location, &totals, error);
  if (rows == NULL)
    return NULL;

  table = table_new (store, OMNI_REPORT_VALUATION);
  if (at == NULL)
    omni_report_table_add_filter (table, _("As of"), _("Now"));
  else if (strlen (at) == 10)
    {
      g_autofree char *end_of_day = g_strdup_printf (_("End of %s"), at);

      omni_report_table_add_filter (table, _("As of"), end_of_day);
    }
  else
    omni_report_table_add_filter (table, _("As of"), at);
  if (location != NULL)
    omni_report_table_add_filter (table, _("Location"), location);
  else
    omni_report_table_add_filter (table, _("Rows"), by_location ? _("Per variant and location")
                                                                : _("Per variant"));
  add_currency_filter (table);
  if (at != NULL)
    omni_report_table_add_note (table, _("Quantities are rebuilt from the stock ledger; "
                                         "unit costs and prices are today’s."));
  omni_report_table_add_note (table, _("Stock below zero counts as no value."));

  valuation_columns (table, by_location);
  if (location_id != 0)
    totals = (OmniValuationTotals) { 0 };
  for (guint i = 0; i < rows->len; i++)
    {
      const OmniValuationRow *row = g_ptr_array_index (rows, i);

      if (location_id != 0)
        {
          if (row->location_id != location_id)
            continue;
          totals.units += row->quantity;
          totals.cost_value += row->cost_value;
          totals.retail_value += row->retail_value;
        }
      valuation_row (table, row, by_location);
    }
  valuation_totals (table, &totals, by_location);

  return g_steal_pointer (&table);
}

/**
 * omni_report_build_valuation:
 * @at: (nullable): the end of this day, or this time; %NULL for now
 * @by_location: a row per variant and location
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
OmniReportTable *
omni_report_build_valuation (OmniStore   *store,
                             const char  *at,
                             gboolean     by_location,
                             GError     **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  return build_valuation (store, at, by_location, NULL, error);
}

/**
 * omni_report_build_valuation_at_location:
 * @at: (nullable): the end of this day, or this time; %NULL for now
 * @location: the location's name
 *
 * Returns: (transfer full): the stock at one location and its value, or
 *   %NULL with @error set (%OMNI_STORE_ERROR_NOT_FOUND for no such location)
 */
OmniReportTable *
omni_report_build_valuation_at_location (OmniStore   *store,
                                         const char  *at,
                                         const char  *location,
                                         GError     **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);
  g_return_val_if_fail (location != NULL, NULL);

  return build_valuation (store, at, TRUE, location, error);
}

/* Low stock and reorder --------------------------------------------------- */

enum {
  RE_SKU, RE_PRODUCT, RE_VENDOR, RE_AVAILABLE, RE_POINT, RE_SOLD, RE_COVER, RE_SUGGESTED,
  RE_UNIT_COST, RE_ORDER_COST
};

static void
reorder_columns (OmniReportTable *table,
                 guint            window_days)
{
  g_autofree char *sold = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sold in %u Day",
                                                        "Sold in %u Days", window_days),
                                           window_days);

  omni_report_table_add_column (table, "sku", _("SKU"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "product", _("Product"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "vendor", _("Vendor"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "available", _("Available"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "reorder_point", _("Reorder Point"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "units_sold", sold, OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "days_of_cover", _("Days of Cover"), OMNI_CELL_DECIMAL);
  omni_report_table_add_column (table, "suggested", _("Suggested"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "unit_cost", _("Unit Cost"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "order_cost", _("Order Cost"), OMNI_CELL_MONEY);
}

static void
reorder_row (OmniReportTable      *table,
             const OmniReorderRow *row)
{
  guint r = omni_report_table_append_row (table);

  omni_report_table_set_text (table, r, RE_SKU, row->sku);
  set_variant (table, r, RE_PRODUCT, row->title, row->options);
  omni_report_table_set_text (table, r, RE_VENDOR, row->vendor);
  omni_report_table_set_int (table, r, RE_AVAILABLE, row->available);
  set_optional_int (table, r, RE_POINT, row->reorder_point);
  omni_report_table_set_int (table, r, RE_SOLD, row->units_sold);
  if (row->days_of_cover >= 0)
    omni_report_table_set_decimal (table, r, RE_COVER, row->days_of_cover);
  omni_report_table_set_int (table, r, RE_SUGGESTED, row->suggested);
  omni_report_table_set_int (table, r, RE_UNIT_COST, row->unit_cost);
  omni_report_table_set_int (table, r, RE_ORDER_COST, row->suggested * row->unit_cost);
}

static OmniReportTable *
build_reorder_table (OmniStore       *store,
                     OmniReportKind   kind,
                     guint            window_days,
                     GError         **error)
{
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *window = NULL;
  gint64 units = 0;
  OmniMoney cost = 0;

  if (window_days == 0)
    window_days = OMNI_REPORT_DEFAULT_WINDOW;
  rows = omni_report_reorder (store, window_days, kind == OMNI_REPORT_LOW_STOCK, error);
  if (rows == NULL)
    return NULL;

  table = table_new (store, kind);
  window = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last %u day", "Last %u days",
                                         window_days), window_days);
  omni_report_table_add_filter (table, _("Sales window"), window);
  add_currency_filter (table);
  omni_report_table_add_note (table, _("Days of cover: stock available ÷ average daily sales. "
                                       "Suggested: back to the reorder point plus the "
                                       "window’s sales, at least the reorder quantity."));
  reorder_columns (table, window_days);

  for (guint i = 0; i < rows->len; i++)
    {
      const OmniReorderRow *row = g_ptr_array_index (rows, i);

      /* The reorder report lists what needs ordering; low stock lists
       * every variant at or below its point, even one not selling. */
      if (kind == OMNI_REPORT_REORDER && row->suggested <= 0)
        continue;
      reorder_row (table, row);
      units += row->suggested;
      cost += row->suggested * row->unit_cost;
    }

  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, RE_SKU, _("Total"));
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, RE_SUGGESTED, units);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, RE_ORDER_COST, cost);

  return g_steal_pointer (&table);
}

/**
 * omni_report_build_low_stock:
 * @window_days: the sales window; 0 for %OMNI_REPORT_DEFAULT_WINDOW
 *
 * Returns: (transfer full): variants at or below their reorder point,
 *   fewest days of cover first
 */
OmniReportTable *
omni_report_build_low_stock (OmniStore  *store,
                             guint       window_days,
                             GError    **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  return build_reorder_table (store, OMNI_REPORT_LOW_STOCK, window_days, error);
}

/**
 * omni_report_build_reorder:
 * @window_days: the sales window; 0 for %OMNI_REPORT_DEFAULT_WINDOW
 *
 * Returns: (transfer full): every variant with a quantity to order
 */
OmniReportTable *
omni_report_build_reorder (OmniStore  *store,
                           guint       window_days,
                           GError    **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  return build_reorder_table (store, OMNI_REPORT_REORDER, window_days, error);
}

/* Movements --------------------------------------------------------------- */

enum {
  MOV_TIME, MOV_SKU, MOV_PRODUCT, MOV_LOCATION, MOV_REASON, MOV_ON_HAND, MOV_COMMITTED,
  MOV_REFERENCE, MOV_ACTOR
};

static void
movement_columns (OmniReportTable *table)
{
  omni_report_table_add_column (table, "time", _("Time"), OMNI_CELL_TIME);
  omni_report_table_add_column (table, "sku", _("SKU"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "product", _("Product"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "location", _("Location"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "reason", _("Reason"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "on_hand_delta", _("On Hand"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "committed_delta", _("Committed"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "reference", _("Reference"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "actor", _("By"), OMNI_CELL_TEXT);
}

static void
movement_row (OmniReportTable    *table,
              const OmniMovement *movement)
{
  guint r = omni_report_table_append_row (table);

  omni_report_table_set_text (table, r, MOV_TIME, movement->time);
  omni_report_table_set_text (table, r, MOV_SKU, movement->sku);
  omni_report_table_set_text (table, r, MOV_PRODUCT, movement->title);
  omni_report_table_set_text (table, r, MOV_LOCATION, movement->location);
  omni_report_table_set_text (table, r, MOV_REASON, movement->reason);
  omni_report_table_set_int (table, r, MOV_ON_HAND, movement->on_hand_delta);
  omni_report_table_set_int (table, r, MOV_COMMITTED, movement->committed_delta);
  omni_report_table_set_text (table, r, MOV_REFERENCE, movement->reference);
  omni_report_table_set_text (table, r, MOV_ACTOR, movement->actor);
}

static OmniReportTable *
build_movements (OmniStore   *store,
                 const char  *from,
                 const char  *to,
                 const char  *reason,
                 const char  *location,
                 GError     **error)
{
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(Range) range = { 0 };
  OmniReportRange core_range;
  gint64 on_hand = 0;
  gint64 committed = 0;
  gint64 location_id = 0;

  if (location != NULL)
    {
      location_id = omni_store_find_location (store, location, error);
      if (location_id == 0)
        return NULL;
    }
  if (!resolve_range (from, to, &range, error))
    return NULL;
  core_range.from = range.from;
  core_range.to = range.to;
  rows = omni_report_movements (store, &core_range, reason, error);
  if (rows == NULL)
    return NULL;

  table = table_new (store, OMNI_REPORT_MOVEMENTS);
  omni_report_table_add_filter (table, _("Dates"), range.shown);
  omni_report_table_add_filter (table, _("Reason"), reason != NULL ? reason : _("Any"));
  omni_report_table_add_filter (table, _("Location"), location != NULL ? location : _("All"));
  movement_columns (table);

  for (guint i = 0; i < rows->len; i++)
    {
      const OmniMovement *movement = g_ptr_array_index (rows, i);

      if (location_id != 0 && movement->location_id != location_id)
        continue;
      movement_row (table, movement);
      on_hand += movement->on_hand_delta;
      committed += movement->committed_delta;
    }

  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, MOV_TIME, _("Net change"));
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, MOV_ON_HAND, on_hand);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, MOV_COMMITTED, committed);

  return g_steal_pointer (&table);
}

/**
 * omni_report_build_movements:
 * @from: (nullable): first day or time, inclusive
 * @to: (nullable): last day, inclusive, or a time, exclusive
 * @reason: (nullable): only this reason
 *
 * Returns: (transfer full): the movements, oldest first, with the net
 *   changes as totals
 */
OmniReportTable *
omni_report_build_movements (OmniStore   *store,
                             const char  *from,
                             const char  *to,
                             const char  *reason,
                             GError     **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  return build_movements (store, from, to, reason, NULL, error);
}

/**
 * omni_report_build_movements_at_location:
 * @location: (nullable): the location's name; %NULL for every location
 *
 * Returns: (transfer full): as omni_report_build_movements(), at one
 *   location; %OMNI_STORE_ERROR_NOT_FOUND for no such location
 */
OmniReportTable *
omni_report_build_movements_at_location (OmniStore   *store,
                                         const char  *from,
                                         const char  *to,
                                         const char  *reason,
                                         const char  *location,
                                         GError     **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  return build_movements (store, from, to, reason, location, error);
}

/* Slow movers ------------------------------------------------------------- */

enum {
  SLOW_SKU, SLOW_PRODUCT, SLOW_VENDOR, SLOW_AVAILABLE, SLOW_SOLD, SLOW_COVER, SLOW_UNIT_COST,
  SLOW_VALUE
};

/**
 * omni_report_build_slow_movers:
 * @window_days: the sales window; 0 for %OMNI_REPORT_DEFAULT_WINDOW
 * @limit: at most this many rows; 0 for %OMNI_REPORT_DEFAULT_LIMIT
 *
 * Returns: (transfer full): variants in stock that sold least over the
 *   window, with the cost value they tie up
 */
OmniReportTable *
omni_report_build_slow_movers (OmniStore  *store,
                               guint       window_days,
                               guint       limit,
                               GError    **error)
{
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *window = NULL;
  g_autofree char *sold = NULL;
  g_autofree char *shown_limit = NULL;
  gint64 available = 0;
  OmniMoney value = 0;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (window_days == 0)
    window_days = OMNI_REPORT_DEFAULT_WINDOW;
  if (limit == 0)
    limit = OMNI_REPORT_DEFAULT_LIMIT;
  rows = omni_report_slow_movers (store, window_days, limit, error);
  if (rows == NULL)
    return NULL;

  table = table_new (store, OMNI_REPORT_SLOW_MOVERS);
  window = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last %u day", "Last %u days",
                                         window_days), window_days);
  shown_limit = g_strdup_printf ("%u", limit);
  omni_report_table_add_filter (table, _("Sales window"), window);
  omni_report_table_add_filter (table, _("Rows"), shown_limit);
  add_currency_filter (table);

  sold = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sold in %u Day", "Sold in %u Days",
                                       window_days), window_days);
  omni_report_table_add_column (table, "sku", _("SKU"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "product", _("Product"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "vendor", _("Vendor"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "available", _("Available"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "units_sold", sold, OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "days_of_cover", _("Days of Cover"), OMNI_CELL_DECIMAL);
  omni_report_table_add_column (table, "unit_cost", _("Unit Cost"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "cost_value", _("Value at Cost"), OMNI_CELL_MONEY);

  for (guint i = 0; i < rows->len; i++)
    {
      const OmniReorderRow *row = g_ptr_array_index (rows, i);
      guint r = omni_report_table_append_row (table);
      OmniMoney tied = MAX (row->available, 0) * row->unit_cost;

      omni_report_table_set_text (table, r, SLOW_SKU, row->sku);
      set_variant (table, r, SLOW_PRODUCT, row->title, row->options);
      omni_report_table_set_text (table, r, SLOW_VENDOR, row->vendor);
      omni_report_table_set_int (table, r, SLOW_AVAILABLE, row->available);
      omni_report_table_set_int (table, r, SLOW_SOLD, row->units_sold);
      if (row->days_of_cover >= 0)
        omni_report_table_set_decimal (table, r, SLOW_COVER, row->days_of_cover);
      omni_report_table_set_int (table, r, SLOW_UNIT_COST, row->unit_cost);
      omni_report_table_set_int (table, r, SLOW_VALUE, tied);
      available += row->available;
      value += tied;
    }

  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, SLOW_SKU, _("Total"));
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, SLOW_AVAILABLE, available);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, SLOW_VALUE, value);

  return g_steal_pointer (&table);
}

/* Sales ------------------------------------------------------------------- */

static void
sales_columns (OmniReportTable   *table,
               OmniSalesGrouping  grouping)
{
  switch (grouping)
    {
    case OMNI_SALES_BY_VARIANT:
      omni_report_table_add_column (table, "sku", _("SKU"), OMNI_CELL_TEXT);
      omni_report_table_add_column (table, "product", _("Product"), OMNI_CELL_TEXT);
      break;
    case OMNI_SALES_BY_PRODUCT:
      omni_report_table_add_column (table, "handle", _("Handle"), OMNI_CELL_TEXT);
      omni_report_table_add_column (table, "product", _("Product"), OMNI_CELL_TEXT);
      break;
    case OMNI_SALES_BY_CHANNEL:
      omni_report_table_add_column (table, "channel", _("Channel"), OMNI_CELL_TEXT);
      break;
    case OMNI_SALES_BY_DAY:
    default:
      omni_report_table_add_column (table, "day", _("Day"), OMNI_CELL_TEXT);
      break;
    }
  omni_report_table_add_column (table, "units", _("Units"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "orders", _("Orders"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "revenue", _("Revenue"), OMNI_CELL_MONEY);
}

static const char *
describe_grouping (OmniSalesGrouping grouping)
{
  switch (grouping)
    {
    case OMNI_SALES_BY_VARIANT:
      return _("Variant");
    case OMNI_SALES_BY_PRODUCT:
      return _("Product");
    case OMNI_SALES_BY_CHANNEL:
      return _("Channel");
    case OMNI_SALES_BY_DAY:
    default:
      return _("Day");
    }
}

static void
sales_rows (OmniReportTable   *table,
            GPtrArray         *rows,
            OmniSalesGrouping  grouping)
{
  /* Variants and products have a key and a name; channels and days are
   * their own name. */
  gboolean two = grouping == OMNI_SALES_BY_VARIANT || grouping == OMNI_SALES_BY_PRODUCT;
  guint first = two ? 2 : 1;
  gint64 units = 0, orders = 0;
  OmniMoney revenue = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const OmniSalesRow *row = g_ptr_array_index (rows, i);
      guint r = omni_report_table_append_row (table);

      omni_report_table_set_text (table, r, 0, two ? row->key : row->label);
      if (two)
        omni_report_table_set_text (table, r, 1, row->label);
      omni_report_table_set_int (table, r, first, row->units);
      omni_report_table_set_int (table, r, first + 1, row->orders);
      omni_report_table_set_int (table, r, first + 2, row->revenue);
      units += row->units;
      orders += row->orders;
      revenue += row->revenue;
    }

  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, 0, _("Total"));
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, first, units);
  /* Each order has one channel and one day, but spans variants. */
  if (!two)
    omni_report_table_set_int (table, OMNI_REPORT_TOTALS, first + 1, orders);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, first + 2, revenue);
}

/**
 * omni_report_build_sales:
 * @from: (nullable): first day or time, inclusive
 * @to: (nullable): last day, inclusive, or a time, exclusive
 * @grouping: by variant, product, channel or day
 *
 * Returns: (transfer full): units and revenue net of refunds, best first or
 *   by day (with the days without sales when both ends are given)
 */
OmniReportTable *
omni_report_build_sales (OmniStore          *store,
                         const char         *from,
                         const char         *to,
                         OmniSalesGrouping   grouping,
                         GError            **error)
{
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(Range) range = { 0 };
  OmniReportRange core_range;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);
  g_return_val_if_fail (grouping <= OMNI_SALES_BY_DAY, NULL);

  if (!resolve_range (from, to, &range, error))
    return NULL;
  core_range.from = range.from;
  core_range.to = range.to;
  rows = omni_report_sales (store, &core_range, grouping, error);
  if (rows == NULL)
    return NULL;

  table = table_new (store, OMNI_REPORT_SALES);
  omni_report_table_add_filter (table, _("Dates"), range.shown);
  omni_report_table_add_filter (table, _("Grouped by"), describe_grouping (grouping));
  add_currency_filter (table);
  omni_report_table_add_note (table, _("Units and revenue are net of refunds; cancelled orders "
                                       "are left out."));
  sales_columns (table, grouping);
  sales_rows (table, rows, grouping);

  return g_steal_pointer (&table);
}

/* Count variances --------------------------------------------------------- */

enum {
  CV_SKU, CV_PRODUCT, CV_EXPECTED, CV_COUNTED, CV_VARIANCE, CV_UNIT_COST, CV_VALUE
};

static OmniCountSession *
find_session (OmniStore  *store,
              gint64      session_id,
              GError    **error)
{
  g_autoptr(GPtrArray) sessions = NULL;

  if (session_id > 0)
    return omni_store_count_get (store, session_id, error);

  sessions = omni_store_count_list (store, FALSE, error);
  if (sessions == NULL)
    return NULL;
  if (sessions->len == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   _("There is no stock count yet"));
      return NULL;
    }

  return g_ptr_array_steal_index (sessions, 0);
}

static void
count_filters (OmniReportTable        *table,
               const OmniCountSession *session)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, session->id);
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (session->started_at, NULL);
  g_autoptr(GDateTime) local = start != NULL ? g_date_time_to_local (start) : NULL;
  g_autofree char *started = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M")
                                           : g_strdup (session->started_at);

  omni_report_table_add_filter (table, _("Count"), number);
  omni_report_table_add_filter (table, _("Location"), session->location);
  omni_report_table_add_filter (table, _("Started"), started != NULL ? started : "");
  omni_report_table_add_filter (table, _("State"), session->state);
  add_currency_filter (table);
}

static void
count_columns (OmniReportTable *table)
{
  omni_report_table_add_column (table, "sku", _("SKU"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "product", _("Product"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "expected", _("Expected"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "counted", _("Counted"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "variance", _("Variance"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "unit_cost", _("Unit Cost"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "variance_value", _("Variance Value"), OMNI_CELL_MONEY);
}

static void
count_rows (OmniReportTable *table,
            GPtrArray       *lines)
{
  gint64 expected = 0, counted = 0, variance = 0;
  OmniMoney value = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const OmniCountLine *line = g_ptr_array_index (lines, i);
      guint r = omni_report_table_append_row (table);

      omni_report_table_set_text (table, r, CV_SKU, line->sku);
      set_variant (table, r, CV_PRODUCT, line->title, line->options);
      omni_report_table_set_int (table, r, CV_EXPECTED, line->expected);
      omni_report_table_set_int (table, r, CV_COUNTED, line->counted);
      omni_report_table_set_int (table, r, CV_VARIANCE, line->variance);
      omni_report_table_set_int (table, r, CV_UNIT_COST, line->cost);
      omni_report_table_set_int (table, r, CV_VALUE, line->variance_value);
      expected += line->expected;
      counted += line->counted;
      variance += line->variance;
      value += line->variance_value;
    }

  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, CV_SKU, _("Total"));
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, CV_EXPECTED, expected);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, CV_COUNTED, counted);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, CV_VARIANCE, variance);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, CV_VALUE, value);
}

/**
 * omni_report_build_count_variances:
 * @session_id: the stock count; 0 for the latest
 *
 * Returns: (transfer full): the count's lines, largest variance first
 */
OmniReportTable *
omni_report_build_count_variances (OmniStore  *store,
                                   gint64      session_id,
                                   GError    **error)
{
  g_autoptr(OmniReportTable) table = NULL;
  g_autoptr(OmniCountSession) session = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  session = find_session (store, session_id, error);
  if (session == NULL)
    return NULL;
  lines = omni_store_count_lines (store, session->id, error);
  if (lines == NULL)
    return NULL;

  table = table_new (store, OMNI_REPORT_COUNT_VARIANCES);
  count_filters (table, session);
  count_columns (table);
  count_rows (table, lines);

  return g_steal_pointer (&table);
}

/**
 * omni_report_build:
 * @kind: which report
 * @options: (nullable): what it covers; %NULL for the defaults
 *
 * Runs the report's query and builds its table. Blocking: call it from a
 * worker with its own store.
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
OmniReportTable *
omni_report_build (OmniStore                *store,
                   OmniReportKind            kind,
                   const OmniReportOptions  *options,
                   GError                  **error)
{
  static const OmniReportOptions defaults = { 0 };

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);
  g_return_val_if_fail (kind < OMNI_REPORT_N_KINDS, NULL);

  if (options == NULL)
    options = &defaults;

  switch (kind)
    {
    case OMNI_REPORT_VALUATION:
      return build_valuation (store, options->at, options->by_location, options->location,
                              error);
    case OMNI_REPORT_LOW_STOCK:
      return omni_report_build_low_stock (store, options->window_days, error);
    case OMNI_REPORT_REORDER:
      return omni_report_build_reorder (store, options->window_days, error);
    case OMNI_REPORT_MOVEMENTS:
      return build_movements (store, options->from, options->to, options->reason,
                              options->location, error);
    case OMNI_REPORT_SALES:
      return omni_report_build_sales (store, options->from, options->to, options->sales_by,
                                      error);
    case OMNI_REPORT_COUNT_VARIANCES:
      return omni_report_build_count_variances (store, options->session_id, error);
    case OMNI_REPORT_SLOW_MOVERS:
      return omni_report_build_slow_movers (store, options->window_days, options->limit, error);
    default:
      g_return_val_if_reached (NULL);
    }
}
