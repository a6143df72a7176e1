/* omni-store-ledger.c: the append-only movement ledger and orders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include "omni-store-private.h"
#include "omni-text.h"

/* @seen: (nullable): the rows found already in this transaction, as
 * "sql\x1fkey", so a batch asks about each variant or location once. */
static gboolean
row_exists (OmniStore   *self,
            GHashTable  *seen,
            const char  *sql,
            gint64       id,
            const char  *text)
{
  g_autofree char *key = NULL;
  OmniDbStmt *stmt;
  gboolean found;

  if (seen != NULL)
    {
      key = text != NULL ? g_strconcat (sql, "\x1f", text, NULL)
                         : g_strdup_printf ("%s\x1f%" G_GINT64_FORMAT, sql, id);
      if (g_hash_table_contains (seen, key))
        return TRUE;
    }

  stmt = _omni_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    omni_db_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    omni_db_bind_int64 (stmt, 1, id);
  found = omni_db_step (stmt) == SQLITE_ROW;
  omni_db_reset (stmt);
  if (found && seen != NULL)
    g_hash_table_add (seen, g_steal_pointer (&key));
  return found;
}

/* Checks what SQLite's constraints would also refuse, but with a sentence a
 * merchant can act on instead of "FOREIGN KEY constraint failed". */
static gboolean
validate_movement (OmniStore               *self,
                   GHashTable              *seen,
                   const OmniMovementSpec  *m,
                   guint                    index,
                   GError                 **error)
{
  if (m->on_hand_delta == 0 && m->committed_delta == 0)
    g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                         "the change is zero");
  else if (m->reason == NULL ||
           !row_exists (self, seen, "SELECT 1 FROM movement_reasons WHERE name = ?1", 0, m->reason))
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                 "“%s” is not a known reason", m->reason ? m->reason : "");
  else if (!row_exists (self, seen, "SELECT 1 FROM variants WHERE id = ?1", m->variant_id, NULL))
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "variant %" G_GINT64_FORMAT " does not exist", m->variant_id);
  else if (!row_exists (self, seen, "SELECT 1 FROM locations WHERE id = ?1", m->location_id, NULL))
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "location %" G_GINT64_FORMAT " does not exist", m->location_id);
  else if (!omni_text_check (m->op_id, "Operation id", 200, FALSE, error) ||
           !omni_text_check (m->operation, "Operation", 200, FALSE, error) ||
           !omni_text_check (m->note, "Note", 4096, FALSE, error) ||
           !omni_text_check (m->reference, "Reference", OMNI_TEXT_MAX_LINE, FALSE, error) ||
           !omni_text_check (m->actor, "Actor", OMNI_TEXT_MAX_LINE, FALSE, error) ||
           !omni_text_check (m->source, "Source", OMNI_TEXT_MAX_LINE, FALSE, error))
    ;
  else
    return TRUE;

  g_prefix_error (error, "Movement %u: ", index + 1);
  return FALSE;
}

static gboolean
insert_movement (OmniStore               *self,
                 const OmniMovementSpec  *m,
                 GError                 **error)
{
  g_autofree char *op_id = NULL;
  g_autofree char *time = NULL;
  OmniDbStmt *stmt;

  /* A movement whose op_id is already in the ledger is skipped, so replaying
   * an operation (a retried sync, an order seen twice) never applies twice.
   * The level trigger fires only for rows actually inserted. */
  stmt = _omni_store_prepare (self,
                              "INSERT INTO movements (op_id, variant_id, location_id,"
                              " on_hand_delta, committed_delta, reason, source, reference,"
                              " note, actor, created_at, operation)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                              " ON CONFLICT (op_id) DO NOTHING",
                              error);
  if (stmt == NULL)
    return FALSE;

  op_id = m->op_id ? g_strdup (m->op_id) : g_uuid_string_random ();
  time = _omni_store_format_time (m->time_us);

  omni_db_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, m->variant_id);
  omni_db_bind_int64 (stmt, 3, m->location_id);
  omni_db_bind_int64 (stmt, 4, m->on_hand_delta);
  omni_db_bind_int64 (stmt, 5, m->committed_delta);
  omni_db_bind_text (stmt, 6, m->reason, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 7, m->source ? m->source : "app", -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 8, m->reference);
  _omni_store_bind_text_or_null (stmt, 9, m->note);
  omni_db_bind_text (stmt, 10, m->actor ? m->actor : _omni_store_default_actor (), -1,
                     SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 11, time, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 12, m->operation ? m->operation : op_id, -1, SQLITE_TRANSIENT);

  return _omni_store_step_done (self, stmt, error);
}

/**
 * _omni_store_append_movement:
 * @seen: a set (g_str_hash) this keeps for one transaction: the variants,
 *   locations and reasons checked already
 *
 * One movement of a larger operation (a batch adjustment, an undo), inside
 * the caller's transaction, which rolls it all back on failure: checked as
 * omni_store_record_movements() checks it, without a savepoint of its own
 * (one round trip less per line on PostgreSQL, two statements less on
 * SQLite) and asking about each variant, location and reason once.
 */
gboolean
_omni_store_append_movement (OmniStore               *self,
                             GHashTable              *seen,
                             const OmniMovementSpec  *movement,
                             GError                 **error)
{
  g_return_val_if_fail (!omni_db_get_autocommit (_omni_store_get_db (self)), FALSE);

  return validate_movement (self, seen, movement, 0, error) &&
         insert_movement (self, movement, error);
}

/**
 * _omni_store_retry_busy:
 * @error: the failure of one try of a write operation
 * @attempt: which try failed, from 0
 *
 * SQLite waits for a busy database (its busy timeout) before a write
 * begins. PostgreSQL lets concurrent writers run and breaks a deadlock or a
 * serialization conflict by failing one of them (SQLITE_BUSY here), which
 * then has to run again. A write operation runs in a loop on this: it says
 * whether to try again, after a short random pause, having cleared @error.
 * Only an outermost transaction is retried (a nested one belongs to its
 * caller, which sees the error), and only a few times.
 *
 * Returns: %TRUE when the operation should run again
 */
gboolean
_omni_store_retry_busy (OmniStore  *self,
                        GError    **error,
                        guint       attempt)
{
  if (!_omni_store_is_postgresql (self) ||
      attempt + 1 >= OMNI_STORE_WRITE_TRIES ||
      !g_error_matches (*error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_BUSY) ||
      !omni_db_get_autocommit (_omni_store_get_db (self)))
    return FALSE;

  g_debug ("Write ran into another one (%s); trying again", (*error)->message);
  g_clear_error (error);
  g_usleep ((attempt + 1) * g_random_int_range (2000, 20000));
  return TRUE;
}

static gboolean
record_movements_once (OmniStore               *self,
                       const OmniMovementSpec  *movements,
                       guint                    n_movements,
                       GError                 **error)
{
  for (guint i = 0; i < n_movements; i++)
    if (!validate_movement (self, NULL, &movements[i], i, error))
      return FALSE;

  if (!omni_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < n_movements; i++)
    if (!insert_movement (self, &movements[i], error))
      {
        omni_store_rollback (self);
        return FALSE;
      }

  return omni_store_commit (self, error);
}

/**
 * omni_store_record_movements:
 * @movements: (array length=n_movements): the ledger lines
 *
 * Appends movements to the ledger, all or none, in one transaction; each
 * level changes in the same statement as its movement (a trigger), so the
 * ledger and the levels always agree. A movement whose op_id is already
 * recorded is skipped: replays are harmless.
 *
 * Returns: %TRUE on success; on failure nothing was written
 */
gboolean
omni_store_record_movements (OmniStore               *self,
                             const OmniMovementSpec  *movements,
                             guint                    n_movements,
                             GError                 **error)
{
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (movements != NULL || n_movements == 0, FALSE);

  for (guint attempt = 0; ; attempt++)
    if ((ok = record_movements_once (self, movements, n_movements, &local_error)) ||
        !_omni_store_retry_busy (self, &local_error, attempt))
      break;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return ok;
}

/* Bulk writes ---------------------------------------------------------- */

/* Every trigger on the tables a bulk write touches, by name. A bulk write
 * switches triggers off and does their work itself, set by set; a schema
 * with any other trigger there (one added by a later migration) makes
 * _omni_store_bulk_triggers_known() say no, so the writer keeps to the
 * row-by-row way and no trigger is ever skipped unnoticed. */
static const char known_bulk_triggers[] =
  "movements_append_only_delete,movements_append_only_update,movements_apply,"
  "movements_enqueue_push,movements_last_sold,"
  "products_aggregate_delete,products_aggregate_insert,products_aggregate_update,"
  "settings_aggregate_delete,settings_aggregate_insert,settings_aggregate_update,"
  "stock_levels_alert_insert,stock_levels_alert_update,"
  "variants_aggregate_delete,variants_aggregate_insert,variants_aggregate_move,"
  "variants_aggregate_update,variants_reorder_at_insert,variants_reorder_at_update";

/**
 * _omni_store_bulk_triggers_known:
 *
 * Returns: %TRUE when the triggers on locations, products, product_options,
 *   variants, movements, stock_levels and settings are exactly those whose
 *   work _omni_store_bulk_apply_movements() and
 *   _omni_store_bulk_refresh_aggregates() redo
 */
gboolean
_omni_store_bulk_triggers_known (OmniStore *self)
{
  OmniDbStmt *stmt;
  gboolean known = FALSE;

  /* Switching triggers off per connection is SQLite's; PostgreSQL keeps the
   * row-by-row path. */
  if (_omni_store_get_sqlite (self) == NULL)
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT group_concat (name, ',') FROM"
                              " (SELECT name FROM sqlite_schema WHERE type = 'trigger'"
                              "  AND tbl_name IN ('locations', 'products', 'product_options',"
                              "   'variants', 'movements', 'stock_levels', 'settings')"
                              "  ORDER BY name)",
                              NULL);
  if (stmt == NULL)
    return FALSE;
  if (omni_db_step (stmt) == SQLITE_ROW)
    known = g_strcmp0 ((const char *)omni_db_column_text (stmt, 0), known_bulk_triggers) == 0;
  omni_db_reset (stmt);
  return known;
}

/**
 * _omni_store_set_triggers_enabled:
 *
 * Switches every trigger of this connection on or off (other connections
 * keep theirs). Only for a bulk write inside a transaction, which switches
 * them back on before it commits.
 */
gboolean
_omni_store_set_triggers_enabled (OmniStore  *self,
                                  gboolean    enabled,
                                  GError    **error)
{
  int now = -1;
  int rc = sqlite3_db_config (_omni_store_get_sqlite (self), SQLITE_DBCONFIG_ENABLE_TRIGGER,
                              enabled ? 1 : 0, &now);

  if (rc != SQLITE_OK || now != (enabled ? 1 : 0))
    {
      _omni_store_set_error (self, error, rc == SQLITE_OK ? SQLITE_ERROR : rc,
                             "switching the database triggers");
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_with_id (OmniStore  *self,
             const char *sql,
             gint64      id,
             GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, id);
  return _omni_store_step_done (self, stmt, error);
}

/* What the triggers on `movements` and `stock_levels` do row by row, done
 * once for every movement above an id: the variants' totals, one upsert per
 * level, the stock alerts of the variants moved (from their final totals,
 * which is where the row triggers end too), and the latest sale. */
static const char * const bulk_movement_sql[] = {
  "UPDATE variants SET on_hand = variants.on_hand + d.on_hand,"
  " available = variants.available + d.on_hand - d.committed"
  " FROM (SELECT variant_id, sum (on_hand_delta) AS on_hand, sum (committed_delta) AS committed"
  "       FROM movements WHERE id > ?1 GROUP BY variant_id) d"
  " WHERE variants.id = d.variant_id",

  /* A bare column next to max() comes from the row holding the max: the
   * level's last movement and its time, as the row trigger leaves them. */
  "INSERT INTO stock_levels (variant_id, location_id, on_hand, committed,"
  "                          last_movement_id, updated_at)"
  " SELECT variant_id, location_id, sum (on_hand_delta), sum (committed_delta),"
  "        max (id), created_at"
  " FROM movements WHERE id > ?1 GROUP BY variant_id, location_id"
  " ON CONFLICT (variant_id, location_id) DO UPDATE SET"
  "   on_hand = on_hand + excluded.on_hand,"
  "   committed = committed + excluded.committed,"
  "   last_movement_id = excluded.last_movement_id,"
  "   updated_at = excluded.updated_at",

  "DELETE FROM stock_alerts"
  " WHERE variant_id IN (SELECT variant_id FROM movements WHERE id > ?1)"
  "   AND (SELECT available FROM variants WHERE id = stock_alerts.variant_id)"
  "       > coalesce ((SELECT reorder_point FROM variant_reorder_points r"
  "                  WHERE r.variant_id = stock_alerts.variant_id), -1)",

  "INSERT INTO stock_alerts (variant_id, available, reorder_point, raised_at)"
  " SELECT r.variant_id, v.available, r.reorder_point, m.at"
  " FROM (SELECT variant_id, max (created_at) AS at FROM movements WHERE id > ?1"
  "       GROUP BY variant_id) m"
  " JOIN variant_reorder_points r ON r.variant_id = m.variant_id"
  " JOIN variants v ON v.id = m.variant_id"
  " WHERE r.reorder_point IS NOT NULL AND v.available <= r.reorder_point"
  " ON CONFLICT (variant_id) DO UPDATE SET available = excluded.available",

  "UPDATE variants SET last_sold_at = s.at"
  " FROM (SELECT variant_id, max (created_at) AS at FROM movements"
  "       WHERE id > ?1 AND reason = 'sold' GROUP BY variant_id) s"
  " WHERE variants.id = s.variant_id"
  "   AND (variants.last_sold_at IS NULL OR variants.last_sold_at < s.at)",
};

/**
 * _omni_store_bulk_apply_movements:
 * @after: movements with a higher id were inserted with triggers off
 *
 * Brings variants, levels, alerts and the latest sales up to date with
 * those movements, as their triggers would have. The outbox is not
 * touched: movements of variants linked to a channel must be inserted with
 * triggers on. Run it with triggers off, inside the transaction that
 * inserted the movements.
 */
gboolean
_omni_store_bulk_apply_movements (OmniStore  *self,
                                  gint64      after,
                                  GError    **error)
{
  g_return_val_if_fail (!omni_db_get_autocommit (_omni_store_get_db (self)), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (bulk_movement_sql); i++)
    if (!run_with_id (self, bulk_movement_sql[i], after, error))
      return FALSE;
  return TRUE;
}

/**
 * _omni_store_bulk_refresh_aggregates:
 *
 * Recomputes what the variant and product triggers keep (each variant's
 * reorder point in force, the dashboard's stock figures) from the rows, as
 * `omnistock-cli check` does to verify them. Costs one pass over the
 * catalog, so it pays after a write that touched a good part of it.
 */
gboolean
_omni_store_bulk_refresh_aggregates (OmniStore  *self,
                                     GError    **error)
{
  g_return_val_if_fail (!omni_db_get_autocommit (_omni_store_get_db (self)), FALSE);

  return _omni_store_exec (self,
                           "UPDATE variants SET reorder_at = r.reorder_at"
                           " FROM (SELECT v.id, coalesce (v.reorder_point,"
                           "        (SELECT CAST (value AS INTEGER) FROM settings"
                           "         WHERE key = 'default_reorder_point' AND value <> ''))"
                           "        AS reorder_at FROM variants v) r"
                           " WHERE variants.id = r.id AND variants.reorder_at IS NOT r.reorder_at;"
                           "DELETE FROM stock_aggregates;"
                           "INSERT INTO stock_aggregates (grouping, label, products, variants,"
                           " units, cost_value, retail_value, out_of_stock, low_stock, due)"
                           " SELECT grouping, label, coalesce (products, 0), coalesce (variants, 0),"
                           "  coalesce (units, 0), coalesce (cost_value, 0), coalesce (retail_value, 0),"
                           "  coalesce (out_of_stock, 0), coalesce (low_stock, 0), coalesce (due, 0)"
                           " FROM stock_aggregates_expected WHERE true"
                           " ON CONFLICT DO NOTHING;"
                           "INSERT OR IGNORE INTO stock_aggregates (grouping, label)"
                           " VALUES ('total', '');",
                           error);
}

/* Orders -------------------------------------------------------------- */

static gint64
find_order (OmniStore   *self,
            gint64       channel_id,
            const char  *remote_id)
{
  OmniDbStmt *stmt;
  gint64 id = 0;

  stmt = _omni_store_prepare (self,
                              "SELECT id FROM orders"
                              " WHERE coalesce (channel_id, 0) = ?1 AND remote_id = ?2",
                              NULL);
  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, remote_id, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  return id;
}

static gboolean
validate_order (const OmniOrderSpec  *order,
                GError              **error)
{
  if (!omni_text_check (order->remote_id, "Order id", OMNI_TEXT_MAX_LINE, TRUE, error) ||
      !omni_text_check (order->name, "Order name", OMNI_TEXT_MAX_LINE, TRUE, error))
    return FALSE;

  if (order->n_lines == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "Order %s has no lines", order->name);
      return FALSE;
    }

  for (guint i = 0; i < order->n_lines; i++)
    {
      const OmniOrderLineSpec *line = &order->lines[i];

      if (line->quantity <= 0 || line->price < 0)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "Order %s, line %u: the quantity must be positive and the price "
                       "cannot be negative", order->name, i + 1);
          return FALSE;
        }
      if (line->track_fulfilment &&
          (line->fulfilled < 0 || line->unfulfilled < 0 ||
           line->fulfilled > line->quantity - line->unfulfilled))
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "Order %s, line %u: the fulfilled and unfulfilled units cannot "
                       "be negative nor exceed the quantity", order->name, i + 1);
          return FALSE;
        }
      if (!omni_text_check (line->title, "Line title", OMNI_TEXT_MAX_LINE, FALSE, error) ||
          !omni_text_check (line->sku, "Line SKU", OMNI_TEXT_MAX_LINE, FALSE, error))
        return FALSE;
    }

  return TRUE;
}

static const char *
order_status (const OmniOrderSpec *order)
{
  gint64 fulfilled = 0, unfulfilled = 0;

  for (guint i = 0; i < order->n_lines; i++)
    {
      const OmniOrderLineSpec *line = &order->lines[i];

      fulfilled += line->track_fulfilment ? line->fulfilled : line->quantity;
      unfulfilled += line->track_fulfilment ? line->unfulfilled : 0;
    }
  if (unfulfilled == 0)
    return "fulfilled";
  return fulfilled > 0 ? "partially_fulfilled" : "open";
}

static gint64
insert_order_row (OmniStore            *self,
                  const OmniOrderSpec  *order,
                  OmniMoney             total,
                  GError              **error)
{
  g_autofree char *placed = _omni_store_format_time (order->placed_us);
  g_autofree char *now = _omni_store_format_time (0);
  g_autofree char *currency = NULL;
  OmniDbStmt *stmt;

  currency = order->currency ? g_strdup (order->currency)
                             : omni_store_get_setting (self, "currency");

  stmt = _omni_store_prepare (self,
                              "INSERT INTO orders (channel_id, remote_id, name, currency,"
                              " status, total, location_id, placed_at, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?9, ?5, ?6, ?7, ?8) RETURNING id",
                              error);
  if (stmt == NULL)
    return 0;

  if (order->channel_id > 0)
    omni_db_bind_int64 (stmt, 1, order->channel_id);
  else
    omni_db_bind_null (stmt, 1);
  omni_db_bind_text (stmt, 2, order->remote_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, order->name, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, currency ? currency : "USD", -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 5, total);
  if (order->location_id > 0)
    omni_db_bind_int64 (stmt, 6, order->location_id);
  else
    omni_db_bind_null (stmt, 6);
  omni_db_bind_text (stmt, 7, placed, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 9, order_status (order), -1, SQLITE_STATIC);

  return _omni_store_step_insert (self, stmt, error);
}

/* Every movement of one order line shares one operation, so the stock the
 * line still holds in reserve is the sum of their committed deltas: no
 * counter to keep in step with the ledger. */
char *
_omni_store_order_line_operation (gint64       channel_id,
                                  const char  *remote_id,
                                  const char  *line_key)
{
  return g_strdup_printf ("order:%" G_GINT64_FORMAT ":%s:%s", channel_id, remote_id, line_key);
}

/* Restocked refund lines are filed under their order, known or not yet. */
char *
_omni_store_refund_operation (gint64       channel_id,
                              const char  *order_remote_id)
{
  return g_strdup_printf ("refund:%" G_GINT64_FORMAT ":%s", channel_id, order_remote_id);
}

/* The units an order line still holds in reserve, or -1 on error. */
gint64
_omni_store_order_line_committed (OmniStore   *self,
                                  const char  *operation,
                                  GError     **error)
{
  OmniDbStmt *stmt;
  gint64 committed = -1;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT coalesce (sum (committed_delta), 0) FROM movements"
                              " WHERE operation = ?1",
                              error);
  if (stmt == NULL)
    return -1;
  omni_db_bind_text (stmt, 1, operation, -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    committed = omni_db_column_int64 (stmt, 0);
  else
    _omni_store_set_error (self, error, rc, "Could not read the order’s reserved stock");
  omni_db_reset (stmt);
  return committed;
}

/* Counts @quantity units of @variant_id as refunded on the order's lines,
 * first lines first, never more than a line's quantity. */
gboolean
_omni_store_mark_order_refunded (OmniStore   *self,
                                 gint64       order_id,
                                 gint64       variant_id,
                                 gint64       quantity,
                                 GError     **error)
{
  OmniDbStmt *stmt;

  while (quantity > 0)
    {
      gint64 line_id = 0, room = 0;

      stmt = _omni_store_prepare (self,
                                  "SELECT id, quantity - refunded FROM order_lines"
                                  " WHERE order_id = ?1 AND variant_id = ?2 AND refunded < quantity"
                                  " ORDER BY id LIMIT 1",
                                  error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, order_id);
      omni_db_bind_int64 (stmt, 2, variant_id);
      if (omni_db_step (stmt) == SQLITE_ROW)
        {
          line_id = omni_db_column_int64 (stmt, 0);
          room = omni_db_column_int64 (stmt, 1);
        }
      omni_db_reset (stmt);
      if (line_id == 0)
        return TRUE;

      stmt = _omni_store_prepare (self,
                                  "UPDATE order_lines SET refunded = refunded + ?2 WHERE id = ?1",
                                  error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, line_id);
      omni_db_bind_int64 (stmt, 2, MIN (room, quantity));
      if (!_omni_store_step_done (self, stmt, error))
        return FALSE;
      quantity -= MIN (room, quantity);
    }
  return TRUE;
}

/* A refund that arrived before its order returned its units without an
 * order line to mark (see omni_store_record_refund(), which files those
 * movements under the order's id): mark them now, so a later cancellation
 * returns only what the refund did not. */
static gboolean
apply_early_refunds (OmniStore            *self,
                     const OmniOrderSpec  *order,
                     gint64                order_id,
                     GError              **error)
{
  g_autofree char *operation = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  OmniDbStmt *stmt;
  int rc;

  if (order->channel_id <= 0)
    return TRUE;
  operation = _omni_store_refund_operation (order->channel_id, order->remote_id);
  stmt = _omni_store_prepare (self,
                              "SELECT variant_id, sum (on_hand_delta) FROM movements"
                              " WHERE operation = ?1 AND reason = 'returned'"
                              " GROUP BY variant_id",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, operation, -1, SQLITE_TRANSIENT);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair[2] = { omni_db_column_int64 (stmt, 0), omni_db_column_int64 (stmt, 1) };

      g_array_append_vals (pairs, pair, 2);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the order’s refunds");
      return FALSE;
    }

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (!_omni_store_mark_order_refunded (self, order_id, g_array_index (pairs, gint64, i),
                                          g_array_index (pairs, gint64, i + 1), error))
      return FALSE;
  return TRUE;
}

static gboolean
insert_order_line (OmniStore                *self,
                   const OmniOrderSpec      *order,
                   gint64                    order_id,
                   guint                     index,
                   GError                  **error)
{
  const OmniOrderLineSpec *line = &order->lines[index];
  g_autofree char *key = g_strdup_printf ("%u", index + 1);
  g_autofree char *operation = _omni_store_order_line_operation (order->channel_id,
                                                                 order->remote_id, key);
  g_autofree char *sold_op = NULL;
  g_autofree char *committed_op = NULL;
  OmniDbStmt *stmt;
  gboolean moves = line->variant_id > 0 && order->location_id > 0;
  gint64 fulfilled = line->track_fulfilment ? line->fulfilled : line->quantity;
  gint64 unfulfilled = line->track_fulfilment ? line->unfulfilled : 0;
  OmniMovementSpec m[2] = { { 0 } };
  guint n = 0;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO order_lines (order_id, remote_line_id, variant_id,"
                              " sku, title, quantity, price, fulfilled)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              error);
  if (stmt == NULL)
    return FALSE;

  omni_db_bind_int64 (stmt, 1, order_id);
  omni_db_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (line->variant_id > 0)
    omni_db_bind_int64 (stmt, 3, line->variant_id);
  else
    omni_db_bind_null (stmt, 3);
  _omni_store_bind_text_or_null (stmt, 4, line->sku);
  omni_db_bind_text (stmt, 5, line->title ? line->title : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 6, line->quantity);
  omni_db_bind_int64 (stmt, 7, line->price);
  omni_db_bind_int64 (stmt, 8, moves ? fulfilled : 0);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;

  if (!moves)
    return TRUE;

  /* The op_ids are derived from the order, so the same order arriving twice
   * (webhook and poll) can never sell or reserve twice. Shipped units leave
   * the shelf; the rest stay on hand, committed until they ship. */
  sold_op = g_strdup_printf ("%s:sold", operation);
  committed_op = g_strdup_printf ("%s:committed", operation);
  for (guint i = 0; i < 2; i++)
    {
      m[i].variant_id = line->variant_id;
      m[i].location_id = order->location_id;
      m[i].source = order->channel_id > 0 ? "channel" : "shop";
      m[i].reference = order->name;
      m[i].actor = order->actor;
      m[i].operation = operation;
      m[i].time_us = order->placed_us;
    }
  if (fulfilled > 0)
    {
      m[n].on_hand_delta = -fulfilled;
      m[n].reason = OMNI_REASON_SOLD;
      m[n].op_id = sold_op;
      n++;
    }
  if (unfulfilled > 0)
    {
      m[n].committed_delta = unfulfilled;
      m[n].reason = OMNI_REASON_COMMITTED;
      m[n].note = "Reserved for an order not yet fulfilled";
      m[n].op_id = committed_op;
      n++;
    }
  return n == 0 || omni_store_record_movements (self, m, n, error);
}

/* An order seen again: units fulfilled since leave the shelf and their
 * reservation (`sold`, on hand and committed both down), reservations the
 * order no longer needs are `released`. Compared with what the line already
 * recorded, inside the caller's transaction; the op_ids carry the new
 * counts, so a replay changes nothing and an older copy of the order (a
 * late webhook) never moves anything backwards. */
static gboolean
update_order_line (OmniStore            *self,
                   const OmniOrderSpec  *order,
                   gint64                order_id,
                   gint64                location_id,
                   guint                 index,
                   GError              **error)
{
  const OmniOrderLineSpec *line = &order->lines[index];
  g_autofree char *key = g_strdup_printf ("%u", index + 1);
  g_autofree char *operation = NULL;
  g_autofree char *op_id = NULL;
  OmniDbStmt *stmt;
  gint64 line_id = 0, variant_id = 0, quantity = 0, fulfilled = 0, committed;
  OmniMovementSpec m = { 0 };

  if (!line->track_fulfilment || location_id <= 0)
    return TRUE;

  stmt = _omni_store_prepare (self,
                              "SELECT id, coalesce (variant_id, 0), quantity, fulfilled FROM order_lines"
                              " WHERE order_id = ?1 AND remote_line_id = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, order_id);
  omni_db_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      line_id = omni_db_column_int64 (stmt, 0);
      variant_id = omni_db_column_int64 (stmt, 1);
      quantity = omni_db_column_int64 (stmt, 2);
      fulfilled = omni_db_column_int64 (stmt, 3);
    }
  omni_db_reset (stmt);
  if (line_id == 0 || variant_id == 0)
    return TRUE;

  operation = _omni_store_order_line_operation (order->channel_id, order->remote_id, key);
  committed = _omni_store_order_line_committed (self, operation, error);
  if (committed < 0)
    return FALSE;

  m.variant_id = variant_id;
  m.location_id = location_id;
  m.source = order->channel_id > 0 ? "channel" : "shop";
  m.reference = order->name;
  m.actor = order->actor;
  m.operation = operation;

  if (MIN (line->fulfilled, quantity) > fulfilled)
    {
      gint64 shipped = MIN (line->fulfilled, quantity) - fulfilled;
      gint64 reserved = MIN (shipped, committed);

      op_id = g_strdup_printf ("%s:sold:%" G_GINT64_FORMAT, operation, fulfilled + shipped);
      m.on_hand_delta = -shipped;
      m.committed_delta = -reserved;
      m.reason = OMNI_REASON_SOLD;
      m.note = "Order fulfilled on the channel";
      m.op_id = op_id;
      if (!omni_store_record_movements (self, &m, 1, error))
        return FALSE;
      committed -= reserved;

      stmt = _omni_store_prepare (self, "UPDATE order_lines SET fulfilled = ?2 WHERE id = ?1",
                                  error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, line_id);
      omni_db_bind_int64 (stmt, 2, fulfilled + shipped);
      if (!_omni_store_step_done (self, stmt, error))
        return FALSE;
    }

  if (line->unfulfilled < committed)
    {
      g_free (op_id);
      op_id = g_strdup_printf ("%s:released:%" G_GINT64_FORMAT, operation, line->unfulfilled);
      m.on_hand_delta = 0;
      m.committed_delta = -(committed - line->unfulfilled);
      m.reason = OMNI_REASON_RELEASED;
      m.note = "Removed from the order before it shipped";
      m.op_id = op_id;
      if (!omni_store_record_movements (self, &m, 1, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
update_order (OmniStore            *self,
              const OmniOrderSpec  *order,
              gint64                order_id,
              GError              **error)
{
  OmniDbStmt *stmt;
  gint64 location_id = 0;
  gboolean open = FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT coalesce (location_id, 0), status IN ('open', 'partially_fulfilled')"
                              " FROM orders WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, order_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      location_id = omni_db_column_int64 (stmt, 0);
      open = omni_db_column_int (stmt, 1) != 0;
    }
  omni_db_reset (stmt);
  /* Fulfilled orders have nothing left to ship, cancelled ones nothing to
   * move: only open orders change. */
  if (!open)
    return TRUE;

  for (guint i = 0; i < order->n_lines; i++)
    if (!update_order_line (self, order, order_id, location_id, i, error))
      return FALSE;

  stmt = _omni_store_prepare (self,
                              "UPDATE orders SET status = ?2 WHERE id = ?1 AND status IS DISTINCT FROM ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, order_id);
  omni_db_bind_text (stmt, 2, order_status (order), -1, SQLITE_STATIC);
  return _omni_store_step_done (self, stmt, error);
}

/* One try of omni_store_record_order(). */
static gint64
record_order_once (OmniStore            *self,
                   const OmniOrderSpec  *order,
                   GError              **error)
{
  OmniMoney total = 0;
  gint64 id;

  for (guint i = 0; i < order->n_lines; i++)
    total += order->lines[i].quantity * order->lines[i].price;

  if (!omni_store_begin (self, error))
    return 0;

  id = find_order (self, order->channel_id, order->remote_id);
  if (id > 0)
    {
      if (!update_order (self, order, id, error))
        id = 0;
    }
  else
    {
      id = insert_order_row (self, order, total, error);
      for (guint i = 0; id > 0 && i < order->n_lines; i++)
        if (!insert_order_line (self, order, id, i, error))
          id = 0;
      if (id > 0 && !apply_early_refunds (self, order, id, error))
        id = 0;
    }

  if (id == 0)
    {
      omni_store_rollback (self);
      return 0;
    }
  if (!omni_store_commit (self, error))
    return 0;
  return id;
}

/**
 * omni_store_record_order:
 * @order: the order
 *
 * Records an order once. Lines that name a local variant move stock at
 * @order->location_id in the same transaction: fulfilled units as `sold`
 * movements, unfulfilled ones as `committed` (reserved: on hand unchanged,
 * available down). A second call with the same channel and remote id
 * returns the first order's id and applies only what changed since: units
 * fulfilled since become `sold` (on hand and committed down), reservations
 * the order dropped are `released`. Replays change nothing.
 *
 * Returns: the order id, or 0 with @error set
 */
gint64
omni_store_record_order (OmniStore            *self,
                         const OmniOrderSpec  *order,
                         GError              **error)
{
  GError *local_error = NULL;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (order != NULL, 0);

  if (!validate_order (order, error))
    return 0;

  for (guint attempt = 0; ; attempt++)
    if ((id = record_order_once (self, order, &local_error)) > 0 ||
        !_omni_store_retry_busy (self, &local_error, attempt))
      break;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return id;
}
