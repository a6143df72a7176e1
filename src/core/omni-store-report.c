/* omni-store-report.c: the figures behind the dashboard and the reports
 *
 * Every report is one aggregate query over indexed columns, so it stays fast
 * at a million variants and millions of movements. Valuation at a past date
 * is rebuilt from the ledger: the quantity at a time is the sum of the
 * movements before it. Unit costs are today's (the catalog keeps no cost
 * history), which the report states.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <string.h>

#include "omni-store-private.h"
#include "omni-store-report.h"

#define OPTIONS_SQL \
  "trim (coalesce (v.option1, '') || coalesce (' / ' || v.option2, '')" \
  " || coalesce (' / ' || v.option3, ''))"

/* SQLite is told which index to walk; PostgreSQL has no such clause and
 * its planner picks the same partial indexes from the conditions. Each
 * statement that names an index is an array: [0] for SQLite, [1] for
 * PostgreSQL (see pick_sql). */
#define SQLITE_INDEX(name) " INDEXED BY " name
#define NO_INDEX(name) ""
#define BOTH_BACKENDS(sql) { sql (SQLITE_INDEX), sql (NO_INDEX) }

static const char *
pick_sql (OmniStore         *store,
          const char * const sql[2])
{
  return sql[_omni_store_is_postgresql (store) ? 1 : 0];
}

static char *
column_strdup (OmniDbStmt *stmt,
               int           column)
{
  return g_strdup ((const char *)omni_db_column_text (stmt, column));
}

/* "YYYY-MM-DD" naming a real day. */
static gboolean
is_day (const char *text)
{
  guint value[3] = { 0 };
  static const guint widths[3] = { 4, 2, 2 };
  const char *p = text;

  for (guint part = 0; part < 3; part++)
    {
      for (guint i = 0; i < widths[part]; i++, p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          value[part] = value[part] * 10 + (guint)(*p - '0');
        }
      if (*p != (part < 2 ? '-' : '\0'))
        return FALSE;
      p++;
    }
  return g_date_valid_dmy ((GDateDay)value[2], (GDateMonth)value[1], (GDateYear)value[0]);
}

/**
 * omni_report_normalize_time:
 * @text: "YYYY-MM-DD" (a UTC day) or an ISO 8601 time with a zone
 * @what: the argument's name for the message ("--from")
 *
 * Returns: (transfer full): the form the ledger's text times compare with:
 *   "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS.ffffffZ" in UTC; %NULL with
 *   %OMNI_STORE_ERROR_INVALID naming @what
 */
char *
omni_report_normalize_time (const char  *text,
                            const char  *what,
                            GError     **error)
{
  g_autoptr(GDateTime) time = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (is_day (text))
    return g_strdup (text);

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "%s must be a date like 2026-11-25 or a time like 2026-11-25T14:30:00Z, "
                   "not “%s”", what, text);
      return NULL;
    }
  return _omni_store_format_time (g_date_time_to_unix (time) * G_USEC_PER_SEC +
                                  g_date_time_get_microsecond (time));
}

static gboolean
normalize_range (const OmniReportRange  *range,
                 char                  **from,
                 char                  **to,
                 GError                **error)
{
  *from = *to = NULL;
  if (range == NULL)
    return TRUE;
  if (range->from != NULL && (*from = omni_report_normalize_time (range->from, "The start",
                                                                  error)) == NULL)
    return FALSE;
  if (range->to != NULL && (*to = omni_report_normalize_time (range->to, "The end",
                                                              error)) == NULL)
    return FALSE;
  if (*from != NULL && *to != NULL && strcmp (*from, *to) > 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The start (%s) is after the end (%s)", *from, *to);
      return FALSE;
    }
  return TRUE;
}

/* Valuation ------------------------------------------------------------ */

void
omni_valuation_row_free (OmniValuationRow *row)
{
  if (row == NULL)
    return;
  g_free (row->location);
  g_free (row->sku);
  g_free (row->title);
  g_free (row->options);
  g_free (row->vendor);
  g_free (row->product_type);
  g_free (row);
}

static const char valuation_sql[] =
  "SELECT v.id, CASE WHEN ?2 <> 0 THEN l.id ELSE 0 END, CASE WHEN ?2 <> 0 THEN l.name END,"
  "       v.sku, p.title, " OPTIONS_SQL ", p.vendor, p.product_type,"
  "       sum (q.quantity), coalesce (v.cost, 0), v.price"
  " FROM ("
  "   SELECT variant_id, location_id, on_hand AS quantity FROM stock_levels"
  "   WHERE CAST (?1 AS TEXT) IS NULL"
  "   UNION ALL"
  "   SELECT variant_id, location_id, sum (on_hand_delta) FROM movements"
  "   WHERE CAST (?1 AS TEXT) IS NOT NULL AND created_at < ?1"
  "   GROUP BY variant_id, location_id) q"
  " JOIN variants v ON v.id = q.variant_id JOIN products p ON p.id = v.product_id"
  " JOIN locations l ON l.id = q.location_id"
  " GROUP BY v.id, p.id, CASE WHEN ?2 <> 0 THEN l.id ELSE 0 END,"
  "          CASE WHEN ?2 <> 0 THEN l.name END"
  " HAVING sum (q.quantity) <> 0"
  " ORDER BY p.title COLLATE NOCASE, v.position, v.id, 3";

/**
 * omni_report_valuation:
 * @at: (nullable): a date or time: the stock as it was then (from the
 *   ledger); %NULL for now
 * @by_location: one row per variant and location instead of per variant
 * @totals: (out) (optional): the sums
 *
 * Stock value at cost and at retail. Negative stock counts as zero value.
 *
 * Returns: (transfer full) (element-type OmniValuationRow): rows with stock
 */
GPtrArray *
omni_report_valuation (OmniStore            *store,
                       const char           *at,
                       gboolean              by_location,
                       OmniValuationTotals  *totals,
                       GError              **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *when = NULL;
  OmniValuationTotals sums = { 0 };
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  /* A bare date means the end of that day: stock "at 2026-11-01" is what
   * was there when the shop closed. */
  if (at != NULL)
    {
      g_autofree char *normal = omni_report_normalize_time (at, "The valuation date", error);

      if (normal == NULL)
        return NULL;
      if (strlen (normal) == 10)
        {
          g_autofree char *midnight = g_strconcat (normal, "T00:00:00Z", NULL);
          g_autoptr(GDateTime) day = g_date_time_new_from_iso8601 (midnight, NULL);
          g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);

          when = g_date_time_format (next, "%Y-%m-%d");
        }
      else
        when = g_steal_pointer (&normal);
    }

  stmt = _omni_store_prepare (store, valuation_sql, error);
  if (stmt == NULL)
    return NULL;
  _omni_store_bind_text_or_null (stmt, 1, when);
  omni_db_bind_int (stmt, 2, by_location ? 1 : 0);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_valuation_row_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniValuationRow *row = g_new0 (OmniValuationRow, 1);

      row->variant_id = omni_db_column_int64 (stmt, 0);
      row->location_id = omni_db_column_int64 (stmt, 1);
      row->location = column_strdup (stmt, 2);
      row->sku = column_strdup (stmt, 3);
      row->title = column_strdup (stmt, 4);
      row->options = column_strdup (stmt, 5);
      row->vendor = column_strdup (stmt, 6);
      row->product_type = column_strdup (stmt, 7);
      row->quantity = omni_db_column_int64 (stmt, 8);
      row->unit_cost = omni_db_column_int64 (stmt, 9);
      row->unit_price = omni_db_column_int64 (stmt, 10);
      row->cost_value = MAX (row->quantity, 0) * row->unit_cost;
      row->retail_value = MAX (row->quantity, 0) * row->unit_price;
      sums.units += row->quantity;
      sums.cost_value += row->cost_value;
      sums.retail_value += row->retail_value;
      g_ptr_array_add (rows, row);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not value the stock");
      return NULL;
    }
  if (totals != NULL)
    *totals = sums;
  return g_steal_pointer (&rows);
}

/* Movements ------------------------------------------------------------ */

/* Same columns, in the same order, as the history query, so one reader
 * serves both. */
static const char movements_sql[] =
  "SELECT m.id, m.op_id, m.operation, m.created_at, m.location_id, l.name,"
  "       m.on_hand_delta, m.committed_delta, 0,"
  "       m.reason, m.source, m.reference, m.note, m.actor, m.variant_id,"
  "       v.sku, p.title || coalesce (' — ' || nullif (v.option1, ''), '')"
  "       || coalesce (' / ' || v.option2, '') || coalesce (' / ' || v.option3, '')"
  " FROM movements m JOIN locations l ON l.id = m.location_id"
  " JOIN variants v ON v.id = m.variant_id JOIN products p ON p.id = v.product_id"
  " WHERE (CAST (?1 AS TEXT) IS NULL OR m.created_at >= ?1)"
  "   AND (CAST (?2 AS TEXT) IS NULL OR m.created_at < ?2)"
  "   AND (CAST (?3 AS TEXT) IS NULL OR m.reason = ?3)"
  " ORDER BY m.id";

/**
 * omni_report_movements:
 * @reason: (nullable): only this reason
 *
 * Returns: (transfer full) (element-type OmniMovement): the movements in the
 *   range, oldest first (balance is not computed here: 0)
 */
GPtrArray *
omni_report_movements (OmniStore              *store,
                       const OmniReportRange  *range,
                       const char             *reason,
                       GError                **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (!normalize_range (range, &from, &to, error))
    return NULL;
  stmt = _omni_store_prepare (store, movements_sql, error);
  if (stmt == NULL)
    return NULL;
  _omni_store_bind_text_or_null (stmt, 1, from);
  _omni_store_bind_text_or_null (stmt, 2, to);
  _omni_store_bind_text_or_null (stmt, 3, reason);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_movement_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, _omni_movement_from_row (stmt));
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not read the movements");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Sales ---------------------------------------------------------------- */

void
omni_sales_row_free (OmniSalesRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

#define SALES_FROM \
  " FROM order_lines ol JOIN orders o ON o.id = ol.order_id" \
  " LEFT JOIN variants v ON v.id = ol.variant_id LEFT JOIN products p ON p.id = v.product_id" \
  " LEFT JOIN channels c ON c.id = o.channel_id" \
  " WHERE o.status <> 'cancelled' AND (CAST (?1 AS TEXT) IS NULL OR o.placed_at >= ?1)" \
  "   AND (CAST (?2 AS TEXT) IS NULL OR o.placed_at < ?2)"
#define SALES_FIGURES \
  ", sum (ol.quantity - ol.refunded), sum ((ol.quantity - ol.refunded) * ol.price)," \
  " count (DISTINCT o.id)"

static const char * const sales_sql[] = {
  [OMNI_SALES_BY_VARIANT] =
    "SELECT coalesce (v.sku, coalesce (ol.sku, ol.title)),"
    " min (coalesce (p.title || coalesce (' — ' || nullif (" OPTIONS_SQL ", ''), ''), ol.title))"
    SALES_FIGURES
    SALES_FROM " GROUP BY 1 ORDER BY 4 DESC, 1",
  [OMNI_SALES_BY_PRODUCT] =
    "SELECT coalesce (p.handle, ol.title), min (coalesce (p.title, ol.title))" SALES_FIGURES
    SALES_FROM " GROUP BY 1 ORDER BY 4 DESC, 1",
  [OMNI_SALES_BY_CHANNEL] =
    "SELECT coalesce (c.name, 'shop'), coalesce (c.name, 'Shop')" SALES_FIGURES
    SALES_FROM " GROUP BY 1, 2 ORDER BY 4 DESC, 1",
  [OMNI_SALES_BY_DAY] =
    "SELECT substr (o.placed_at, 1, 10), substr (o.placed_at, 1, 10)" SALES_FIGURES
    SALES_FROM " GROUP BY 1, 2 ORDER BY 1",
};

static const char sales_by_day_and_channel_sql[] =
  "SELECT substr (o.placed_at, 1, 10), coalesce (c.name, 'Shop')" SALES_FIGURES
  SALES_FROM " GROUP BY 1, 2 ORDER BY 1, 2";

/* Whole days read the daily sums the triggers keep (schema 4): at most one
 * row per day and channel, however many orders. */
static const char sales_daily_by_channel_sql[] =
  "SELECT s.day, coalesce (c.name, 'Shop'), sum (s.units), sum (s.revenue), sum (s.orders)"
  " FROM sales_daily s LEFT JOIN channels c ON c.id = s.channel_id"
  " WHERE (CAST (?1 AS TEXT) IS NULL OR s.day >= ?1)"
  "   AND (CAST (?2 AS TEXT) IS NULL OR s.day < ?2)"
  " GROUP BY 1, 2 HAVING sum (s.orders) > 0 ORDER BY 1, 2";

/**
 * omni_report_sales_by_day_and_channel:
 *
 * Units and revenue net of refunds per day and channel, the rows a chart
 * of daily sales per channel reads. Days without sales have no rows.
 *
 * Returns: (transfer full) (element-type OmniSalesRow): @key is the day
 *   (YYYY-MM-DD, UTC), @label the channel's name ("Shop" for sales made in
 *   the shop), by day then channel
 */
GPtrArray *
omni_report_sales_by_day_and_channel (OmniStore              *store,
                                      const OmniReportRange  *range,
                                      GError                **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (!normalize_range (range, &from, &to, error))
    return NULL;
  stmt = _omni_store_prepare (store,
                              (from == NULL || is_day (from)) && (to == NULL || is_day (to))
                              ? sales_daily_by_channel_sql : sales_by_day_and_channel_sql,
                              error);
  if (stmt == NULL)
    return NULL;
  _omni_store_bind_text_or_null (stmt, 1, from);
  _omni_store_bind_text_or_null (stmt, 2, to);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_sales_row_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniSalesRow *row = g_new0 (OmniSalesRow, 1);

      row->key = column_strdup (stmt, 0);
      row->label = column_strdup (stmt, 1);
      row->units = omni_db_column_int64 (stmt, 2);
      row->revenue = omni_db_column_int64 (stmt, 3);
      row->orders = omni_db_column_int64 (stmt, 4);
      g_ptr_array_add (rows, row);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not read the sales");
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* Days with no sales are rows of zero, so a chart has no gaps. */
static void
fill_days (GPtrArray  *rows,
           const char *from,
           const char *to)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *from_day = g_strndup (from, 10);
  g_autofree char *to_day = g_strndup (to, 10);
  g_autofree char *from_iso = g_strconcat (from_day, "T00:00:00Z", NULL);
  g_autofree char *to_iso = g_strconcat (to_day, "T00:00:00Z", NULL);

  day = g_date_time_new_from_iso8601 (from_iso, NULL);
  end = g_date_time_new_from_iso8601 (to_iso, NULL);
  if (day == NULL || end == NULL)
    return;
  /* An end with a time of day includes that day. */
  if (strlen (to) > 10)
    {
      GDateTime *next = g_date_time_add_days (end, 1);

      g_date_time_unref (end);
      end = next;
    }

  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add (seen, ((OmniSalesRow *)rows->pdata[i])->key);

  for (guint guard = 0; g_date_time_compare (day, end) < 0 && guard < 3700; guard++)
    {
      g_autofree char *key = g_date_time_format (day, "%Y-%m-%d");
      GDateTime *next;

      if (!g_hash_table_contains (seen, key))
        {
          OmniSalesRow *row = g_new0 (OmniSalesRow, 1);

          row->key = g_strdup (key);
          row->label = g_steal_pointer (&key);
          g_ptr_array_add (rows, row);
        }
      next = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = next;
    }
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const OmniSalesRow *ra = *(OmniSalesRow * const *)a;
  const OmniSalesRow *rb = *(OmniSalesRow * const *)b;

  return strcmp (ra->key, rb->key);
}

/**
 * omni_report_sales:
 * @grouping: by variant, product, channel or day
 *
 * Units and revenue net of refunds, from orders that are not cancelled.
 * By day, with both ends of @range set, days without sales are included.
 *
 * Returns: (transfer full) (element-type OmniSalesRow): best first, or by day
 */
GPtrArray *
omni_report_sales (OmniStore              *store,
                   const OmniReportRange  *range,
                   OmniSalesGrouping       grouping,
                   GError                **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);
  g_return_val_if_fail (grouping <= OMNI_SALES_BY_DAY, NULL);

  if (!normalize_range (range, &from, &to, error))
    return NULL;
  stmt = _omni_store_prepare (store, sales_sql[grouping], error);
  if (stmt == NULL)
    return NULL;
  _omni_store_bind_text_or_null (stmt, 1, from);
  _omni_store_bind_text_or_null (stmt, 2, to);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_sales_row_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniSalesRow *row = g_new0 (OmniSalesRow, 1);

      row->key = column_strdup (stmt, 0);
      row->label = column_strdup (stmt, 1);
      row->units = omni_db_column_int64 (stmt, 2);
      row->revenue = omni_db_column_int64 (stmt, 3);
      row->orders = omni_db_column_int64 (stmt, 4);
      g_ptr_array_add (rows, row);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not read the sales");
      return NULL;
    }

  if (grouping == OMNI_SALES_BY_DAY && from != NULL && to != NULL)
    {
      fill_days (rows, from, to);
      g_ptr_array_sort (rows, compare_keys);
    }
  return g_steal_pointer (&rows);
}

/* Best sellers -------------------------------------------------------- */

/* The sums schema 5 keeps per variant over sales_window's days. */
static gboolean
read_window (OmniStore  *store,
             gint64     *days,
             char      **first_day,
             char      **end_day,
             GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (store,
                                            "SELECT days, first_day, end_day FROM sales_window"
                                            " WHERE id = 1",
                                            error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *days = omni_db_column_int64 (stmt, 0);
      *first_day = column_strdup (stmt, 1);
      *end_day = column_strdup (stmt, 2);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (store, error, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                             "Could not read the window of recent sales");
      return FALSE;
    }
  return TRUE;
}

/* Adds @sign × the daily sums of [@from, @to) to the recent sums. */
static gboolean
shift_days (OmniStore  *store,
            const char *from,
            const char *to,
            int         sign,
            GError    **error)
{
  OmniDbStmt *stmt;

  if (strcmp (from, to) >= 0)
    return TRUE;
  stmt = _omni_store_prepare (store,
                              "INSERT INTO sales_variant_recent (variant_id, units, revenue)"
                              " SELECT variant_id, ?3 * sum (units), ?3 * sum (revenue)"
                              " FROM sales_variant_daily WHERE day >= ?1 AND day < ?2"
                              " GROUP BY variant_id"
                              " ON CONFLICT (variant_id) DO UPDATE SET"
                              " units = sales_variant_recent.units + excluded.units,"
                              " revenue = sales_variant_recent.revenue + excluded.revenue",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);
  omni_db_bind_int (stmt, 3, sign);
  return _omni_store_step_done (store, stmt, error);
}

static const char *
max_day (const char *a,
         const char *b)
{
  return strcmp (a, b) >= 0 ? a : b;
}

static const char *
min_day (const char *a,
         const char *b)
{
  return strcmp (a, b) <= 0 ? a : b;
}

/* Moves the window to [@first_day, @end_day): the days that left it are
 * subtracted, the days that entered added, so a daily move reads a day of
 * rows. */
static gboolean
move_window (OmniStore  *store,
             gint64      days,
             const char *first_day,
             const char *end_day,
             GError    **error)
{
  g_autofree char *old_first = NULL;
  g_autofree char *old_end = NULL;
  gint64 old_days = 0;
  OmniDbStmt *stmt;

  if (!omni_store_begin (store, error))
    return FALSE;
  /* Read again inside the transaction: another connection may have moved
   * it meanwhile. */
  if (!read_window (store, &old_days, &old_first, &old_end, error))
    goto fail;
  if (old_days == days && strcmp (old_first, first_day) == 0 && strcmp (old_end, end_day) == 0)
    {
      omni_store_rollback (store);
      return TRUE;
    }

  /* Old minus new: the part before the new window and the part after it;
   * new minus old likewise. */
  if (!shift_days (store, old_first, min_day (old_end, first_day), -1, error) ||
      !shift_days (store, max_day (old_first, end_day), old_end, -1, error) ||
      !shift_days (store, first_day, min_day (end_day, old_first), 1, error) ||
      !shift_days (store, max_day (first_day, old_end), end_day, 1, error) ||
      !_omni_store_exec (store, "DELETE FROM sales_variant_recent WHERE units = 0 AND revenue = 0",
                         error))
    goto fail;

  stmt = _omni_store_prepare (store,
                              "UPDATE sales_window SET days = ?1, first_day = ?2, end_day = ?3"
                              " WHERE id = 1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, days);
  omni_db_bind_text (stmt, 2, first_day, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, end_day, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (store, stmt, error))
    goto fail;
  return omni_store_commit (store, error);

fail:
  omni_store_rollback (store);
  return FALSE;
}

#define TOP_RECENT_SQL(INDEX) \
  "SELECT v.sku, p.title || coalesce (' — ' || nullif (" OPTIONS_SQL ", ''), '')," \
  "       r.units, r.revenue" \
  " FROM sales_variant_recent r" INDEX ("sales_variant_recent_units") \
  " JOIN variants v ON v.id = r.variant_id" \
  " JOIN products p ON p.id = v.product_id" \
  " WHERE r.units > 0 ORDER BY r.units DESC, r.variant_id LIMIT ?1"
static const char * const top_recent_sql[2] = BOTH_BACKENDS (TOP_RECENT_SQL);

/**
 * omni_report_top_sellers:
 * @until_day: (nullable): the last day of the window (YYYY-MM-DD, UTC),
 *   %NULL for today
 * @window_days: 1 to 3650
 * @limit: at most this many rows
 *
 * The variants that sold most units net of refunds over the @window_days
 * days up to and including @until_day, in orders that are not cancelled
 * (lines without a variant are not counted). Reads the per-variant sums
 * schema 5 keeps: when the window asked for is not the one kept, the kept
 * one moves first (a write: the days that left it and entered it), so a
 * dashboard asking every day reads a day of rows once, then @limit rows.
 * When that write cannot be made (a read-only or busy store), the daily
 * sums of the window are added up instead: the same rows, more slowly.
 *
 * Returns: (transfer full) (element-type OmniSalesRow): most units first,
 *   then by variant id; @key is the SKU, @label the title and options,
 *   @orders is not counted (0)
 */
GPtrArray *
omni_report_top_sellers (OmniStore   *store,
                         const char  *until_day,
                         guint        window_days,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *first_day = NULL;
  g_autofree char *end_day = NULL;
  g_autofree char *kept_first = NULL;
  g_autofree char *kept_end = NULL;
  gint64 kept_days = 0;
  gboolean from_daily = FALSE;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (window_days == 0 || window_days > 3650)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The sales window must be 1 to 3650 days, not %u", window_days);
      return NULL;
    }
  if (until_day != NULL)
    {
      g_autofree char *iso = NULL;

      if (!is_day (until_day))
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "“%s” is not a day; use YYYY-MM-DD", until_day);
          return NULL;
        }
      iso = g_strconcat (until_day, "T00:00:00Z", NULL);
      last = g_date_time_new_from_iso8601 (iso, NULL);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      last = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                                  g_date_time_get_day_of_month (now), 0, 0, 0);
    }
  if (last == NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is not a day; use YYYY-MM-DD", until_day);
      return NULL;
    }
  first = g_date_time_add_days (last, 1 - (int)window_days);
  end = g_date_time_add_days (last, 1);
  first_day = g_date_time_format (first, "%Y-%m-%d");
  end_day = g_date_time_format (end, "%Y-%m-%d");

  if (!read_window (store, &kept_days, &kept_first, &kept_end, error))
    return NULL;
  if (kept_days != window_days || strcmp (kept_first, first_day) != 0
      || strcmp (kept_end, end_day) != 0)
    {
      g_autoptr(GError) move_error = NULL;

      /* The store may be read-only or busy with a long write: then the
       * daily sums answer, slower but the same. */
      if (!move_window (store, window_days, first_day, end_day, &move_error))
        {
          g_debug ("Reading the best sellers from the daily sums: %s", move_error->message);
          from_daily = TRUE;
        }
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_sales_row_free);
  if (limit == 0)
    return g_steal_pointer (&rows);

  stmt = _omni_store_prepare (store,
                              from_daily
                              ? "SELECT v.sku, p.title || coalesce (' — ' || nullif (" OPTIONS_SQL ", ''), ''),"
                                "       r.units, r.revenue"
                                " FROM (SELECT variant_id, sum (units) AS units, sum (revenue) AS revenue"
                                "       FROM sales_variant_daily WHERE day >= ?2 AND day < ?3"
                                "       GROUP BY variant_id HAVING sum (units) > 0"
                                "       ORDER BY 2 DESC, 1 LIMIT ?1) r"
                                " JOIN variants v ON v.id = r.variant_id"
                                " JOIN products p ON p.id = v.product_id"
                                " ORDER BY r.units DESC, r.variant_id"
                              : pick_sql (store, top_recent_sql),
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, limit);
  if (from_daily)
    {
      omni_db_bind_text (stmt, 2, first_day, -1, SQLITE_TRANSIENT);
      omni_db_bind_text (stmt, 3, end_day, -1, SQLITE_TRANSIENT);
    }
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniSalesRow *row = g_new0 (OmniSalesRow, 1);

      row->key = column_strdup (stmt, 0);
      row->label = column_strdup (stmt, 1);
      row->units = omni_db_column_int64 (stmt, 2);
      row->revenue = omni_db_column_int64 (stmt, 3);
      g_ptr_array_add (rows, row);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not read the best sellers");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Reorder suggestions ---------------------------------------------------- */

void
omni_reorder_row_free (OmniReorderRow *row)
{
  if (row == NULL)
    return;
  g_free (row->sku);
  g_free (row->title);
  g_free (row->options);
  g_free (row->vendor);
  g_free (row);
}

/* Net units sold per variant since ?1: sales minus returns. */
#define VELOCITY_SQL(condition) \
  "WITH sold AS (" \
  "  SELECT variant_id, sum (-on_hand_delta) AS units FROM movements" \
  "  WHERE reason IN ('sold', 'returned') AND created_at >= ?1 GROUP BY variant_id)" \
  "SELECT v.id, v.sku, p.title, " OPTIONS_SQL ", p.vendor, v.available," \
  "       coalesce (r.reorder_point, -1), coalesce (v.reorder_qty, -1)," \
  "       max (coalesce (s.units, 0), 0), coalesce (v.cost, 0)" \
  " FROM variants v JOIN products p ON p.id = v.product_id" \
  " JOIN variant_reorder_points r ON r.variant_id = v.id" \
  " LEFT JOIN sold s ON s.variant_id = v.id" \
  " WHERE v.archived = 0 AND p.status <> 'archived' " condition

static const char reorder_sql[] =
  VELOCITY_SQL ("AND (?2 = 0 OR (r.reorder_point IS NOT NULL AND v.available <= r.reorder_point))");

/* Slow movers sorted and cut by SQLite: a top-N sort keeps @limit rows,
 * not one per variant. Fewest sold first, then the most money tied up,
 * then by title. Most variants are in stock, so the table is read in
 * order rather than through the available index ("+" keeps the index out:
 * a lookup per row costs three times the scan on a large catalog). */
static const char slow_sql[] =
  VELOCITY_SQL ("AND ?2 = 0 AND +v.available > 0"
                " ORDER BY 9, max (v.available, 0) * coalesce (v.cost, 0) DESC, p.title, v.id"
                " LIMIT ?3");

/* Walks for the dashboard, which wants the first few rows: variants are
 * read in the order of an index and each one's sales over the window are
 * summed from its own movements in the window (movements_variant_time:
 * "+" keeps the reason index out), so the work
 * follows the rows wanted, not the catalog or the window's sales. */
#define WALK_COLUMNS_WITH(units) \
  "SELECT v.id, v.sku, (SELECT title FROM products WHERE id = v.product_id)," \
  "       " OPTIONS_SQL ", (SELECT vendor FROM products WHERE id = v.product_id), v.available," \
  "       coalesce (coalesce (v.reorder_point, (SELECT CAST (value AS INTEGER) FROM settings" \
  "                WHERE key = 'default_reorder_point' AND value <> '')), -1)," \
  "       coalesce (v.reorder_qty, -1), " units ", coalesce (v.cost, 0)"
#define WALK_COLUMNS(INDEX) WALK_COLUMNS_WITH ( \
  "max (coalesce ((SELECT sum (-m.on_hand_delta) FROM movements m" \
  INDEX ("movements_variant_time") \
  "              WHERE m.variant_id = v.id AND m.created_at >= ?1" \
  "                AND m.reason IN ('sold', 'returned')), 0), 0)")

/* Products are looked up per row, not joined: a join would have SQLite
 * build a Bloom filter over every product first. */
#define PRODUCT_LIVE_SQL \
  "(SELECT status FROM products WHERE id = v.product_id) <> 'archived'"

/* In-stock variants, most money tied up first (variants_idle_value). */
#define IDLE_WALK_SQL(INDEX) \
  WALK_COLUMNS (INDEX) ", v.available * coalesce (v.cost, 0)" \
  " FROM variants v" INDEX ("variants_idle_value") \
  " WHERE v.archived = 0 AND v.available > 0 AND " PRODUCT_LIVE_SQL \
  " ORDER BY v.available * coalesce (v.cost, 0) DESC"
static const char * const idle_walk_sql[2] = BOTH_BACKENDS (IDLE_WALK_SQL);

/* Due variants (variants_due holds only those) that sold since ?1
 * (variants_due_sold): the only ones whose cover can be finite. */
#define DUE_SOLD_SQL(INDEX) \
  WALK_COLUMNS (INDEX) ", 0" \
  " FROM variants v" INDEX ("variants_due_sold") \
  " WHERE v.archived = 0 AND v.available <= v.reorder_at AND v.last_sold_at >= ?1" \
  "   AND " PRODUCT_LIVE_SQL
static const char * const due_sold_sql[2] = BOTH_BACKENDS (DUE_SOLD_SQL);

/* The first ?2 due variants that sold nothing since ?1 (no sale at all
 * since then), lowest available first and, among equals, in the order of
 * the index (by id): reading them in title order would mean reading every
 * tie, thousands of sold-out variants in a large shop. Only the rows kept
 * get their other columns. */
#define DUE_WALK_SQL(INDEX) \
  WALK_COLUMNS_WITH ("0") ", 0" \
  " FROM (SELECT d.id AS id FROM variants d" INDEX ("variants_due") \
  "       WHERE d.archived = 0 AND d.available <= d.reorder_at" \
  "         AND (d.last_sold_at IS NULL OR d.last_sold_at < ?1)" \
  "         AND (SELECT status FROM products WHERE id = d.product_id) <> 'archived'" \
  "       ORDER BY d.available, d.id" \
  "       LIMIT ?2) k" \
  " JOIN variants v ON v.id = k.id"
static const char * const due_walk_sql[2] = BOTH_BACKENDS (DUE_WALK_SQL);

static OmniReorderRow *velocity_row_new (OmniDbStmt *stmt,
                                         guint         window_days);

typedef enum
{
  KEEP_UNSOLD,
  KEEP_SOLD,
  KEEP_ALL,
} WalkKeep;

/* Reads @sql's rows in order and keeps those whose sales are zero
 * (KEEP_UNSOLD), not zero (KEEP_SOLD) or all, until @limit are kept and the order key
 * (last column) moves past the last one kept, so ties are all there.
 * @ran_out says the rows ended first. */
static GPtrArray *
walk_candidates (OmniStore   *store,
                 const char  *sql,
                 guint        window_days,
                 WalkKeep     keep,
                 guint        limit,
                 gboolean    *ran_out,
                 GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *since = NULL;
  gboolean have_cut = FALSE;
  gint64 cut = 0;
  OmniDbStmt *stmt;
  int rc;

  since = _omni_store_format_time (g_get_real_time () -
                                   (gint64)window_days * 24 * 3600 * G_USEC_PER_SEC);
  stmt = _omni_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_text (stmt, 1, since, -1, SQLITE_TRANSIENT);
  if (omni_db_bind_parameter_count (stmt) >= 2)
    omni_db_bind_int64 (stmt, 2, limit);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_reorder_row_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = omni_db_column_int64 (stmt, 10);

      if (have_cut && key != cut)
        break;
      if (keep != KEEP_ALL && (omni_db_column_int64 (stmt, 8) > 0) != (keep == KEEP_SOLD))
        continue;
      g_ptr_array_add (rows, velocity_row_new (stmt, window_days));
      if (rows->len == limit)
        {
          have_cut = TRUE;
          cut = key;
        }
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _omni_store_set_error (store, error, rc, "Could not work out the sales velocity");
      return NULL;
    }
  *ran_out = rc == SQLITE_DONE;
  return g_steal_pointer (&rows);
}

/* The suggestion refills to the reorder point plus another window's worth
 * of sales, and never less than the variant's reorder quantity. */
static gint64
suggest (const OmniReorderRow *row,
         guint                 window_days)
{
  gint64 point = MAX (row->reorder_point, 0);
  gint64 need = point - row->available + row->units_sold;

  /* The reorder quantity is a minimum order, not a reason to order. */
  if (need <= 0)
    return 0;
  return MAX (need, row->reorder_qty);
}

/* The last tie-breaker: variants of one product in the order they were
 * made, whatever order the rows came in. */
static int
compare_title_then_id (const OmniReorderRow *ra,
                       const OmniReorderRow *rb)
{
  int by_title = g_strcmp0 (ra->title, rb->title);

  if (by_title != 0)
    return by_title;
  return ra->variant_id < rb->variant_id ? -1 : ra->variant_id > rb->variant_id;
}

static int
compare_cover (gconstpointer a,
               gconstpointer b)
{
  const OmniReorderRow *ra = *(OmniReorderRow * const *)a;
  const OmniReorderRow *rb = *(OmniReorderRow * const *)b;
  double ca = ra->days_of_cover < 0 ? G_MAXDOUBLE : ra->days_of_cover;
  double cb = rb->days_of_cover < 0 ? G_MAXDOUBLE : rb->days_of_cover;

  if (ca != cb)
    return ca < cb ? -1 : 1;
  if (ra->available != rb->available)
    return ra->available < rb->available ? -1 : 1;
  return compare_title_then_id (ra, rb);
}

/* One row of the velocity queries' columns. */
static OmniReorderRow *
velocity_row_new (OmniDbStmt *stmt,
                  guint         window_days)
{
  OmniReorderRow *row = g_new0 (OmniReorderRow, 1);

  row->variant_id = omni_db_column_int64 (stmt, 0);
  row->sku = column_strdup (stmt, 1);
  row->title = column_strdup (stmt, 2);
  row->options = column_strdup (stmt, 3);
  row->vendor = column_strdup (stmt, 4);
  row->available = omni_db_column_int64 (stmt, 5);
  row->reorder_point = omni_db_column_int64 (stmt, 6);
  row->reorder_qty = omni_db_column_int64 (stmt, 7);
  row->units_sold = omni_db_column_int64 (stmt, 8);
  row->daily_sales = (double)row->units_sold / window_days;
  row->unit_cost = omni_db_column_int64 (stmt, 9);
  row->days_of_cover = row->daily_sales > 0 ? MAX (row->available, 0) / row->daily_sales : -1;
  row->suggested = suggest (row, window_days);
  return row;
}

static GPtrArray *
read_velocity (OmniStore  *store,
               const char *sql,
               guint       window_days,
               gboolean    only_due,
               guint       limit,
               GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *since = NULL;
  OmniDbStmt *stmt;
  int rc;

  since = _omni_store_format_time (g_get_real_time () -
                                   (gint64)window_days * 24 * 3600 * G_USEC_PER_SEC);
  stmt = _omni_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_text (stmt, 1, since, -1, SQLITE_TRANSIENT);
  omni_db_bind_int (stmt, 2, only_due ? 1 : 0);
  if (sql == slow_sql)
    omni_db_bind_int64 (stmt, 3, limit);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_reorder_row_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, velocity_row_new (stmt, window_days));
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not work out the sales velocity");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * omni_report_reorder:
 * @window_days: the sales window for the velocity (e.g. 30)
 * @only_due: only variants at or below their reorder point (the low-stock
 *   report); otherwise every active variant
 *
 * Days of cover are available ÷ average daily sales (net of returns) over the
 * window; the suggested quantity refills to the reorder point plus the
 * window's sales, and is never below the variant's reorder quantity.
 *
 * Returns: (transfer full) (element-type OmniReorderRow): fewest days of
 *   cover first
 */
GPtrArray *
omni_report_reorder (OmniStore  *store,
                     guint       window_days,
                     gboolean    only_due,
                     GError    **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (window_days == 0 || window_days > 3650)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The sales window must be 1 to 3650 days, not %u", window_days);
      return NULL;
    }
  rows = read_velocity (store, reorder_sql, window_days, only_due, 0, error);
  if (rows != NULL)
    g_ptr_array_sort (rows, compare_cover);
  return rows;
}

/**
 * omni_report_reorder_top:
 * @window_days: the sales window for the velocity (e.g. 30)
 * @limit: how many rows at most
 * @n_due: (out) (optional): how many variants are due in all
 *
 * The first @limit rows of omni_report_reorder() with @only_due, in the same
 * order, reading only the due variants that sold in the window (the only
 * ones with a finite cover) and the @limit lowest in stock of the others.
 * Among variants with the same cover and stock, which ones make the cut
 * goes by variant id rather than by title; the rows returned are sorted as
 * omni_report_reorder() sorts them. @n_due comes from the kept totals.
 *
 * Returns: (transfer full) (element-type OmniReorderRow): fewest days of
 *   cover first
 */
GPtrArray *
omni_report_reorder_top (OmniStore  *store,
                         guint       window_days,
                         guint       limit,
                         gint64     *n_due,
                         GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  gboolean ran_out = FALSE;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (window_days == 0 || window_days > 3650)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The sales window must be 1 to 3650 days, not %u", window_days);
      return NULL;
    }

  /* Every due variant that sold in the window (only those can have a
   * finite cover), then the lowest stock among those that did not: the
   * first @limit of both together are the answer. */
  rows = walk_candidates (store, pick_sql (store, due_sold_sql), window_days, KEEP_ALL,
                          G_MAXUINT, &ran_out, error);
  if (rows == NULL)
    return NULL;
  if (limit > 0)
    {
      g_autoptr(GPtrArray) rest = walk_candidates (store, pick_sql (store, due_walk_sql),
                                                   window_days, KEEP_ALL,
                                                   limit, &ran_out, error);

      if (rest == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (rows, g_steal_pointer (&rest));
    }

  if (n_due != NULL)
    {
      OmniDbStmt *stmt = _omni_store_prepare (store,
                                                "SELECT due FROM stock_aggregates"
                                                " WHERE grouping = 'total' AND label = ''",
                                                error);
      int rc;

      if (stmt == NULL)
        return NULL;
      rc = omni_db_step (stmt);
      *n_due = rc == SQLITE_ROW ? omni_db_column_int64 (stmt, 0) : 0;
      omni_db_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _omni_store_set_error (store, error, rc, "Could not count what is due for reordering");
          return NULL;
        }
    }

  g_ptr_array_sort (rows, compare_cover);
  if (rows->len > limit)
    g_ptr_array_set_size (rows, limit);
  return g_steal_pointer (&rows);
}

static int
compare_tied_up (gconstpointer a,
                 gconstpointer b)
{
  const OmniReorderRow *ra = *(OmniReorderRow * const *)a;
  const OmniReorderRow *rb = *(OmniReorderRow * const *)b;
  gint64 va = MAX (ra->available, 0) * ra->unit_cost;
  gint64 vb = MAX (rb->available, 0) * rb->unit_cost;

  if (va != vb)
    return va > vb ? -1 : 1;
  return compare_title_then_id (ra, rb);
}

/**
 * omni_report_slow_movers:
 *
 * Variants in stock that sold least over the window, the most money tied up
 * first among equals.
 *
 * Returns: (transfer full) (element-type OmniReorderRow): at most @limit rows
 */
GPtrArray *
omni_report_slow_movers (OmniStore  *store,
                         guint       window_days,
                         guint       limit,
                         GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  gboolean ran_out = FALSE;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (window_days == 0 || window_days > 3650)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The sales window must be 1 to 3650 days, not %u", window_days);
      return NULL;
    }
  if (limit == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify)omni_reorder_row_free);

  /* Usually plenty of stock sold nothing in the window: those come first,
   * most money tied up first, read straight from an index. */
  rows = walk_candidates (store, pick_sql (store, idle_walk_sql), window_days, KEEP_UNSOLD,
                          limit, &ran_out, error);
  if (rows == NULL)
    return NULL;
  if (!ran_out)
    {
      g_ptr_array_sort (rows, compare_tied_up);
      if (rows->len > limit)
        g_ptr_array_set_size (rows, limit);
      return g_steal_pointer (&rows);
    }

  return read_velocity (store, slow_sql, window_days, FALSE, limit, error);
}

/* Stock value by group ------------------------------------------------------ */

void
omni_value_group_free (OmniValueGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->label);
  g_free (group);
}

/* The per-group totals the triggers keep (schema 4): one row per group. */
static const char value_by_sql[] =
  "SELECT label, units, cost_value, retail_value FROM stock_aggregates"
  " WHERE grouping = ?1 AND variants > 0 ORDER BY cost_value DESC, label";

/**
 * omni_report_value_by:
 * @field: "product_type" or "vendor"
 *
 * Returns: (transfer full) (element-type OmniValueGroup): stock value per
 *   type or vendor, largest first; products without one are grouped under ""
 */
GPtrArray *
omni_report_value_by (OmniStore   *store,
                      const char  *field,
                      GError     **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (g_strcmp0 (field, "product_type") != 0 && g_strcmp0 (field, "vendor") != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "Stock value can be grouped by product_type or vendor, not “%s”",
                   field ? field : "");
      return NULL;
    }

  stmt = _omni_store_prepare (store, value_by_sql, error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_text (stmt, 1, field, -1, SQLITE_TRANSIENT);
  groups = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_value_group_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniValueGroup *group = g_new0 (OmniValueGroup, 1);

      group->label = column_strdup (stmt, 0);
      group->units = omni_db_column_int64 (stmt, 1);
      group->cost_value = omni_db_column_int64 (stmt, 2);
      group->retail_value = omni_db_column_int64 (stmt, 3);
      g_ptr_array_add (groups, group);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not group the stock value");
      return NULL;
    }
  return g_steal_pointer (&groups);
}
