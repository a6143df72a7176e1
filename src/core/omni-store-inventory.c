/* omni-store-inventory.c: adjustments, transfers, undo, levels, history, alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-inventory.h"
#include "omni-store-private.h"
#include "omni-text.h"

typedef struct
{
  gint64 on_hand;
  gint64 committed;
} Level;

/* Two tills selling the last unit at once: on PostgreSQL the variant's
 * row stays locked until this transaction ends, so the second till reads
 * the level the first one left (on SQLite, BEGIN IMMEDIATE already lets
 * one writer in at a time). */
static gboolean
lock_variant (OmniStore  *self,
              gint64      variant_id,
              GError    **error)
{
  OmniDbStmt *stmt;
  int rc;

  if (!_omni_store_is_postgresql (self))
    return TRUE;
  stmt = _omni_store_prepare (self, "SELECT 1 FROM variants WHERE id = ?1 FOR UPDATE", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  rc = omni_db_step (stmt);
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not lock the stock level");
      return FALSE;
    }
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* On PostgreSQL a batch locks its variants in one order, by id, before it
 * reads any level: two tills adjusting the same variants in opposite
 * orders then wait for each other. Locked line by line they deadlocked,
 * the server failed one, and that batch ran again: under load five times
 * over, and the till got "Try again". *@locked says whether it took the
 * locks, so the lines need not ask the server for them again. */
static gboolean
lock_variants_in_order (OmniStore             *self,
                        const OmniAdjustLine  *lines,
                        guint                  n_lines,
                        gboolean              *locked,
                        GError               **error)
{
  g_autoptr(GArray) ids = NULL;

  *locked = FALSE;
  if (!_omni_store_is_postgresql (self) || n_lines < 2)
    return TRUE;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_lines);
  for (guint i = 0; i < n_lines; i++)
    g_array_append_val (ids, lines[i].variant_id);
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    if ((i == 0 || g_array_index (ids, gint64, i) != g_array_index (ids, gint64, i - 1)) &&
        !lock_variant (self, g_array_index (ids, gint64, i), error))
      return FALSE;
  *locked = TRUE;
  return TRUE;
}

/* The level of @variant_id at @location_id, with the variant locked first
 * unless @locked says this transaction already holds its lock (a batch
 * takes them all in id order before its first line). */
static gboolean
read_level (OmniStore  *self,
            gint64      variant_id,
            gint64      location_id,
            gboolean    locked,
            Level      *level,
            GError    **error)
{
  OmniDbStmt *stmt;
  int rc;

  if (!locked && !lock_variant (self, variant_id, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT on_hand, committed FROM stock_levels"
                              " WHERE variant_id = ?1 AND location_id = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;

  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  level->on_hand = level->committed = 0;
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      level->on_hand = omni_db_column_int64 (stmt, 0);
      level->committed = omni_db_column_int64 (stmt, 1);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the stock level");
      return FALSE;
    }
  return TRUE;
}

/* "TEE-S at Shop Floor", for messages. */
static char *
describe (OmniStore *self,
          gint64     variant_id,
          gint64     location_id)
{
  OmniDbStmt *stmt;
  char *text;

  stmt = _omni_store_prepare (self,
                              "SELECT coalesce (v.sku, p.title), l.name"
                              " FROM variants v JOIN products p ON p.id = v.product_id,"
                              " locations l WHERE v.id = ?1 AND l.id = ?2",
                              NULL);
  if (stmt == NULL)
    return g_strdup_printf ("variant %" G_GINT64_FORMAT, variant_id);

  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    text = g_strdup_printf ("%s at %s", omni_db_column_text (stmt, 0),
                            omni_db_column_text (stmt, 1));
  else
    text = g_strdup_printf ("variant %" G_GINT64_FORMAT " at location %" G_GINT64_FORMAT,
                            variant_id, location_id);
  omni_db_reset (stmt);
  return text;
}

gboolean
omni_store_get_allow_negative (OmniStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  value = omni_store_get_setting (self, "allow_negative_stock");
  return g_strcmp0 (value, "1") == 0;
}

/* Refuses a decrease that would leave less than zero available, unless the
 * shop allows negative stock. Increases are always fine, even from below
 * zero: they bring the number back towards the truth. */
static gboolean
check_available (OmniStore    *self,
                 gint64        variant_id,
                 gint64        location_id,
                 const Level  *level,
                 gint64        delta,
                 gboolean      allow_negative,
                 GError      **error)
{
  gint64 available = level->on_hand - level->committed;
  g_autofree char *what = NULL;

  if (delta >= 0 || available + delta >= 0 || allow_negative)
    return TRUE;

  what = describe (self, variant_id, location_id);
  g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
               "Not enough stock: %s has %" G_GINT64_FORMAT " available, and taking %"
               G_GINT64_FORMAT " would leave %" G_GINT64_FORMAT
               "; negative stock is not allowed in Preferences",
               what, available, -delta, available + delta);
  return FALSE;
}

static gboolean
resolve_location (OmniStore  *self,
                  gint64     *location_id,
                  GError    **error)
{
  if (*location_id > 0)
    return TRUE;
  *location_id = omni_store_get_default_location (self, error);
  return *location_id > 0;
}

static gboolean
apply_line (OmniStore               *self,
            GHashTable              *seen,
            const OmniAdjustLine    *line,
            guint                    index,
            const OmniAdjustOptions *options,
            const char              *operation,
            gboolean                 allow_negative,
            gboolean                 locked,
            GError                 **error)
{
  g_autofree char *op_id = NULL;
  gint64 location_id = line->location_id;
  OmniMovementSpec m = { 0 };
  Level level;
  gint64 delta;

  if (!resolve_location (self, &location_id, error) ||
      !read_level (self, line->variant_id, location_id, locked, &level, error))
    return FALSE;

  if (options->mode == OMNI_ADJUST_SET && line->quantity < 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "Line %u: stock on hand cannot be set below zero (%" G_GINT64_FORMAT ")",
                   index + 1, line->quantity);
      return FALSE;
    }

  delta = options->mode == OMNI_ADJUST_SET ? line->quantity - level.on_hand : line->quantity;
  if (delta == 0)
    return TRUE;
  if (!check_available (self, line->variant_id, location_id, &level, delta,
                        allow_negative, error))
    return FALSE;

  op_id = g_strdup_printf ("%s:%u", operation, index + 1);
  m.variant_id = line->variant_id;
  m.location_id = location_id;
  m.on_hand_delta = delta;
  m.reason = options->reason ? options->reason : OMNI_REASON_CORRECTION;
  m.source = options->source;
  m.reference = options->reference;
  m.note = options->note;
  m.actor = options->actor;
  m.op_id = op_id;
  m.operation = operation;
  m.time_us = options->time_us;
  return _omni_store_append_movement (self, seen, &m, error);
}

/* One try of omni_store_adjust(). */
static char *
adjust_once (OmniStore                *self,
             const OmniAdjustLine     *lines,
             guint                     n_lines,
             const OmniAdjustOptions  *options,
             GError                  **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *operation = NULL;
  gboolean allow_negative;
  gboolean locked;

  operation = options->operation ? g_strdup (options->operation) : g_uuid_string_random ();
  allow_negative = omni_store_get_allow_negative (self);

  if (!omni_store_begin (self, error))
    return NULL;

  if (!lock_variants_in_order (self, lines, n_lines, &locked, error))
    {
      omni_store_rollback (self);
      return NULL;
    }
  for (guint i = 0; i < n_lines; i++)
    if (!apply_line (self, seen, &lines[i], i, options, operation, allow_negative, locked, error))
      {
        omni_store_rollback (self);
        return NULL;
      }

  if (!omni_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&operation);
}

/**
 * omni_store_adjust:
 * @lines: (array length=n_lines): what to change
 * @options: mode, reason, note and who
 *
 * Adjusts stock by a delta or to a count, for one variant or a batch, as one
 * transaction and one operation (one Undo). A line whose result equals the
 * current count records nothing. Refuses, and writes nothing, when a line
 * would leave negative available stock and the shop does not allow it.
 *
 * Returns: (transfer full): the operation id, for omni_store_undo(); %NULL
 *   with @error set on failure
 */
char *
omni_store_adjust (OmniStore                *self,
                   const OmniAdjustLine     *lines,
                   guint                     n_lines,
                   const OmniAdjustOptions  *options,
                   GError                  **error)
{
  GError *local_error = NULL;
  char *operation;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (lines != NULL || n_lines == 0, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  for (guint attempt = 0; ; attempt++)
    if ((operation = adjust_once (self, lines, n_lines, options, &local_error)) != NULL ||
        !_omni_store_retry_busy (self, &local_error, attempt))
      break;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return operation;
}

/**
 * omni_store_transfer:
 *
 * Moves @quantity units of a variant between two locations: two `transfer`
 * movements in one transaction and one operation.
 *
 * Returns: (transfer full): the operation id, or %NULL with @error set
 */
char *
omni_store_transfer (OmniStore                *self,
                     gint64                    variant_id,
                     gint64                    from_location_id,
                     gint64                    to_location_id,
                     gint64                    quantity,
                     const OmniAdjustOptions  *options,
                     GError                  **error)
{
  OmniAdjustOptions transfer = { 0 };
  OmniAdjustLine legs[2] = {
    { variant_id, from_location_id, -quantity },
    { variant_id, to_location_id, quantity },
  };

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (quantity <= 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A transfer moves a positive quantity, not %" G_GINT64_FORMAT, quantity);
      return NULL;
    }
  if (from_location_id == to_location_id || from_location_id <= 0 || to_location_id <= 0)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "A transfer needs two different locations");
      return NULL;
    }

  if (options != NULL)
    transfer = *options;
  transfer.mode = OMNI_ADJUST_DELTA;
  transfer.reason = OMNI_REASON_TRANSFER;
  return omni_store_adjust (self, legs, G_N_ELEMENTS (legs), &transfer, error);
}

static GPtrArray *
operation_movements (OmniStore   *self,
                     const char  *operation,
                     GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT op_id, variant_id, location_id, on_hand_delta,"
                              " committed_delta, reason FROM movements"
                              " WHERE operation = ?1 ORDER BY id",
                              error);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_text (stmt, 1, operation, -1, SQLITE_TRANSIENT);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      /* One block: the spec and its op_id string live and die together. */
      const char *op_id = (const char *)omni_db_column_text (stmt, 0);
      gsize len = strlen (op_id) + 1;
      OmniMovementSpec *m = g_malloc0 (sizeof *m + len + strlen ("undo:"));
      char *undo_id = (char *)(m + 1);

      g_stpcpy (g_stpcpy (undo_id, "undo:"), op_id);
      m->op_id = undo_id;
      m->variant_id = omni_db_column_int64 (stmt, 1);
      m->location_id = omni_db_column_int64 (stmt, 2);
      m->on_hand_delta = -omni_db_column_int64 (stmt, 3);
      m->committed_delta = -omni_db_column_int64 (stmt, 4);
      g_ptr_array_add (found, m);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the operation");
      return NULL;
    }
  return g_steal_pointer (&found);
}

static gboolean
already_undone (OmniStore  *self,
                const char *undo_operation)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT 1 FROM movements WHERE operation = ?1",
                                            NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, undo_operation, -1, SQLITE_TRANSIENT);
  found = omni_db_step (stmt) == SQLITE_ROW;
  omni_db_reset (stmt);
  return found;
}

/* One try of omni_store_undo(). */
static char *
undo_once (OmniStore   *self,
           const char  *operation,
           const char  *actor,
           GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *undo_operation = NULL;
  g_autoptr(GPtrArray) reversals = NULL;
  gboolean allow_negative;

  undo_operation = g_strconcat ("undo:", operation, NULL);
  if (already_undone (self, undo_operation))
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                           "This change has already been undone");
      return NULL;
    }

  reversals = operation_movements (self, operation, error);
  if (reversals == NULL)
    return NULL;
  if (reversals->len == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "There is no change “%s” to undo", operation);
      return NULL;
    }

  allow_negative = omni_store_get_allow_negative (self);
  if (!omni_store_begin (self, error))
    return NULL;

  for (guint i = 0; i < reversals->len; i++)
    {
      OmniMovementSpec *m = g_ptr_array_index (reversals, i);
      Level level;

      m->reason = OMNI_REASON_CORRECTION;
      m->source = "undo";
      m->reference = operation;
      m->note = "Undo";
      m->actor = actor;
      m->operation = undo_operation;

      if (!read_level (self, m->variant_id, m->location_id, FALSE, &level, error) ||
          !check_available (self, m->variant_id, m->location_id, &level,
                            m->on_hand_delta - m->committed_delta, allow_negative, error) ||
          !_omni_store_append_movement (self, seen, m, error))
        {
          omni_store_rollback (self);
          return NULL;
        }
    }

  if (!omni_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&undo_operation);
}

/**
 * omni_store_undo:
 * @operation: an operation id from omni_store_adjust() or omni_store_transfer()
 *
 * Reverses an operation with compensating `correction` movements; history is
 * never rewritten. An operation can be undone once.
 *
 * Returns: (transfer full): the undo's own operation id, or %NULL with @error
 */
char *
omni_store_undo (OmniStore   *self,
                 const char  *operation,
                 const char  *actor,
                 GError     **error)
{
  GError *local_error = NULL;
  char *undo_operation;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (operation != NULL, NULL);

  for (guint attempt = 0; ; attempt++)
    if ((undo_operation = undo_once (self, operation, actor, &local_error)) != NULL ||
        !_omni_store_retry_busy (self, &local_error, attempt))
      break;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return undo_operation;
}

/* Reading ------------------------------------------------------------- */

static char *
column_strdup (OmniDbStmt *stmt,
               int           column)
{
  return g_strdup ((const char *)omni_db_column_text (stmt, column));
}

void
omni_level_free (OmniLevel *level)
{
  if (level == NULL)
    return;
  g_free (level->location);
  g_free (level);
}

/**
 * omni_store_get_levels:
 *
 * Returns: (transfer full) (element-type OmniLevel): one level per active
 *   location (zero where nothing was ever recorded), plus archived locations
 *   that still hold stock; default location first
 */
GPtrArray *
omni_store_get_levels (OmniStore  *self,
                       gint64      variant_id,
                       GError    **error)
{
  g_autoptr(GPtrArray) levels = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (!_omni_store_require_variant (self, variant_id, error))
    return NULL;

  stmt = _omni_store_prepare (self,
                              "SELECT l.id, l.name, l.is_default, coalesce (s.on_hand, 0),"
                              " coalesce (s.committed, 0), coalesce (s.available, 0)"
                              " FROM locations l LEFT JOIN stock_levels s"
                              "   ON s.location_id = l.id AND s.variant_id = ?1"
                              " WHERE l.archived = 0 OR coalesce (s.on_hand, 0) <> 0"
                              "   OR coalesce (s.committed, 0) <> 0"
                              " ORDER BY l.is_default DESC, l.name",
                              error);
  if (stmt == NULL)
    return NULL;

  levels = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_level_free);
  omni_db_bind_int64 (stmt, 1, variant_id);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniLevel *level = g_new0 (OmniLevel, 1);

      level->location_id = omni_db_column_int64 (stmt, 0);
      level->location = column_strdup (stmt, 1);
      level->is_default = omni_db_column_int (stmt, 2) != 0;
      level->on_hand = omni_db_column_int64 (stmt, 3);
      level->committed = omni_db_column_int64 (stmt, 4);
      level->available = omni_db_column_int64 (stmt, 5);
      g_ptr_array_add (levels, level);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the stock levels");
      return NULL;
    }
  return g_steal_pointer (&levels);
}

void
omni_movement_free (OmniMovement *movement)
{
  if (movement == NULL)
    return;
  g_free (movement->sku);
  g_free (movement->title);
  g_free (movement->op_id);
  g_free (movement->operation);
  g_free (movement->time);
  g_free (movement->location);
  g_free (movement->reason);
  g_free (movement->source);
  g_free (movement->reference);
  g_free (movement->note);
  g_free (movement->actor);
  g_free (movement);
}

/* The running balance is computed over the whole history first, then
 * filtered, so a filtered view still shows true balances. */
static const char history_sql[] =
  "SELECT h.*, v.sku, p.title || coalesce (' — ' || v.option1, '')"
  "       || coalesce (' / ' || v.option2, '') || coalesce (' / ' || v.option3, '')"
  " FROM ("
  "  SELECT m.id, m.op_id, m.operation, m.created_at, m.location_id, l.name,"
  "         m.on_hand_delta, m.committed_delta,"
  "         sum (m.on_hand_delta) OVER (PARTITION BY m.location_id ORDER BY m.id),"
  "         m.reason, m.source, m.reference, m.note, m.actor, m.variant_id"
  "  FROM movements m JOIN locations l ON l.id = m.location_id"
  "  WHERE m.variant_id = ?1) h"
  " JOIN variants v ON v.id = h.variant_id JOIN products p ON p.id = v.product_id"
  " WHERE (CAST (?2 AS TEXT) IS NULL OR h.reason = ?2) AND (?3 = 0 OR h.location_id = ?3)"
  "   AND (CAST (?4 AS TEXT) IS NULL OR h.created_at >= ?4)"
  "   AND (CAST (?5 AS TEXT) IS NULL OR h.created_at < ?5)"
  " ORDER BY h.id DESC LIMIT ?6";

/* Reads the columns of history_sql (and of the movements report, which
 * selects the same ones). */
OmniMovement *
_omni_movement_from_row (OmniDbStmt *stmt)
{
  OmniMovement *m = g_new0 (OmniMovement, 1);

  m->id = omni_db_column_int64 (stmt, 0);
  m->op_id = column_strdup (stmt, 1);
  m->operation = column_strdup (stmt, 2);
  m->time = column_strdup (stmt, 3);
  m->location_id = omni_db_column_int64 (stmt, 4);
  m->location = column_strdup (stmt, 5);
  m->on_hand_delta = omni_db_column_int64 (stmt, 6);
  m->committed_delta = omni_db_column_int64 (stmt, 7);
  m->balance = omni_db_column_int64 (stmt, 8);
  m->reason = column_strdup (stmt, 9);
  m->source = column_strdup (stmt, 10);
  m->reference = column_strdup (stmt, 11);
  m->note = column_strdup (stmt, 12);
  m->actor = column_strdup (stmt, 13);
  m->variant_id = omni_db_column_int64 (stmt, 14);
  m->sku = column_strdup (stmt, 15);
  m->title = column_strdup (stmt, 16);
  return m;
}

/**
 * omni_store_get_history:
 * @filter: (nullable): what to show
 *
 * Returns: (transfer full) (element-type OmniMovement): the variant's
 *   movements, newest first, each with the on-hand balance at its location
 *   after it
 */
GPtrArray *
omni_store_get_history (OmniStore                *self,
                        gint64                    variant_id,
                        const OmniHistoryFilter  *filter,
                        GError                  **error)
{
  const OmniHistoryFilter all = { 0 };
  g_autoptr(GPtrArray) history = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (filter == NULL)
    filter = &all;
  if (!_omni_store_require_variant (self, variant_id, error))
    return NULL;

  stmt = _omni_store_prepare (self, history_sql, error);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_int64 (stmt, 1, variant_id);
  _omni_store_bind_text_or_null (stmt, 2, filter->reason);
  omni_db_bind_int64 (stmt, 3, filter->location_id);
  _omni_store_bind_text_or_null (stmt, 4, filter->from);
  _omni_store_bind_text_or_null (stmt, 5, filter->to);
  /* No limit: the largest one (PostgreSQL refuses a negative LIMIT). */
  omni_db_bind_int64 (stmt, 6, filter->limit > 0 ? (gint64)filter->limit : G_MAXINT64);

  history = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_movement_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (history, _omni_movement_from_row (stmt));
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the history");
      return NULL;
    }
  return g_steal_pointer (&history);
}

/* Alerts -------------------------------------------------------------- */

void
omni_stock_alert_free (OmniStockAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->sku);
  g_free (alert->title);
  g_free (alert->raised_at);
  g_free (alert);
}

/**
 * omni_store_list_alerts:
 * @only_new: only alerts no notification was sent for yet
 *
 * Returns: (transfer full) (element-type OmniStockAlert): variants at or
 *   below their reorder point, lowest available first
 */
GPtrArray *
omni_store_list_alerts (OmniStore  *self,
                        gboolean    only_new,
                        GError    **error)
{
  g_autoptr(GPtrArray) alerts = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT a.variant_id, v.sku, p.title, a.available, a.reorder_point,"
                              " a.raised_at, a.notified_at IS NOT NULL"
                              " FROM stock_alerts a JOIN variants v ON v.id = a.variant_id"
                              " JOIN products p ON p.id = v.product_id"
                              " WHERE (?1 = 0 OR a.notified_at IS NULL)"
                              "   AND v.archived = 0 AND p.status <> 'archived'"
                              " ORDER BY a.available, p.title",
                              error);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_int (stmt, 1, only_new ? 1 : 0);
  alerts = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_stock_alert_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniStockAlert *alert = g_new0 (OmniStockAlert, 1);

      alert->variant_id = omni_db_column_int64 (stmt, 0);
      alert->sku = column_strdup (stmt, 1);
      alert->title = column_strdup (stmt, 2);
      alert->available = omni_db_column_int64 (stmt, 3);
      alert->reorder_point = omni_db_column_int64 (stmt, 4);
      alert->raised_at = column_strdup (stmt, 5);
      alert->notified = omni_db_column_int (stmt, 6) != 0;
      g_ptr_array_add (alerts, alert);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the stock alerts");
      return NULL;
    }
  return g_steal_pointer (&alerts);
}

gboolean
omni_store_mark_alert_notified (OmniStore  *self,
                                gint64      variant_id,
                                GError    **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  stmt = _omni_store_prepare (self,
                              "UPDATE stock_alerts SET notified_at = ?2"
                              " WHERE variant_id = ?1 AND notified_at IS NULL",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, error);
}

/* Stock of many variants ------------------------------------------------ */

/**
 * omni_store_list_levels:
 * @variant_ids: (array length=n_variants): the variants, in the order wanted
 * @location_id: only this location; 0 for every active location
 *
 * The levels of a page of variants at once, for the inventory list: each
 * variant gets exactly one level per active location (zero where nothing
 * was ever recorded), or one level at @location_id, in the order of
 * @variant_ids and, within a variant, the default location first then by
 * name. Unknown variant ids are skipped. The ids travel as one bound JSON
 * array, so the statement text never changes.
 *
 * Returns: (transfer full) (element-type OmniLevel): the levels, with
 *   variant_id set
 */
GPtrArray *
omni_store_list_levels (OmniStore     *self,
                        const gint64  *variant_ids,
                        guint          n_variants,
                        gint64         location_id,
                        GError       **error)
{
  g_autoptr(GPtrArray) levels = NULL;
  g_autoptr(GString) ids = g_string_new ("[");
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (variant_ids != NULL || n_variants == 0, NULL);

  levels = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_level_free);
  if (n_variants == 0)
    return g_steal_pointer (&levels);

  for (guint i = 0; i < n_variants; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", variant_ids[i]);
  g_string_append_c (ids, ']');

  stmt = _omni_store_prepare (self,
                              "SELECT v.id, l.id, l.name, l.is_default, coalesce (s.on_hand, 0),"
                              " coalesce (s.committed, 0), coalesce (s.available, 0)"
                              " FROM json_each (?1) j"
                              " JOIN variants v ON v.id = CAST (j.value AS BIGINT)"
                              " JOIN locations l ON l.archived = 0 AND (?2 = 0 OR l.id = ?2)"
                              " LEFT JOIN stock_levels s"
                              "   ON s.variant_id = v.id AND s.location_id = l.id"
                              " ORDER BY j.key, l.is_default DESC, l.name",
                              error);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_text (stmt, 1, ids->str, (int) ids->len, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, location_id);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniLevel *level = g_new0 (OmniLevel, 1);

      level->variant_id = omni_db_column_int64 (stmt, 0);
      level->location_id = omni_db_column_int64 (stmt, 1);
      level->location = column_strdup (stmt, 2);
      level->is_default = omni_db_column_int (stmt, 3) != 0;
      level->on_hand = omni_db_column_int64 (stmt, 4);
      level->committed = omni_db_column_int64 (stmt, 5);
      level->available = omni_db_column_int64 (stmt, 6);
      g_ptr_array_add (levels, level);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the stock levels");
      return NULL;
    }
  return g_steal_pointer (&levels);
}

/* Locations ----------------------------------------------------------- */

void
omni_location_free (OmniLocation *location)
{
  if (location == NULL)
    return;
  g_free (location->name);
  g_free (location);
}

/**
 * omni_store_list_locations:
 * @include_archived: also the archived locations, after the active ones
 *
 * Returns: (transfer full) (element-type OmniLocation): the locations, the
 *   default first, then by name
 */
GPtrArray *
omni_store_list_locations (OmniStore  *self,
                           gboolean    include_archived,
                           GError    **error)
{
  g_autoptr(GPtrArray) locations = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT id, name, is_default, archived FROM locations"
                              " WHERE ?1 = 1 OR archived = 0"
                              " ORDER BY archived, is_default DESC, name",
                              error);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_int (stmt, 1, include_archived ? 1 : 0);
  locations = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_location_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniLocation *location = g_new0 (OmniLocation, 1);

      location->id = omni_db_column_int64 (stmt, 0);
      location->name = column_strdup (stmt, 1);
      location->is_default = omni_db_column_int (stmt, 2) != 0;
      location->archived = omni_db_column_int (stmt, 3) != 0;
      g_ptr_array_add (locations, location);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the locations");
      return NULL;
    }
  return g_steal_pointer (&locations);
}

/* Reads one location; FALSE with NOT_FOUND when there is none. */
static gboolean
read_location (OmniStore     *self,
               gint64         location_id,
               OmniLocation  *location,
               GError       **error)
{
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT name, is_default, archived FROM locations WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;

  omni_db_bind_int64 (stmt, 1, location_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      location->id = location_id;
      location->name = column_strdup (stmt, 0);
      location->is_default = omni_db_column_int (stmt, 1) != 0;
      location->archived = omni_db_column_int (stmt, 2) != 0;
    }
  omni_db_reset (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "There is no location with id %" G_GINT64_FORMAT, location_id);
  else
    _omni_store_set_error (self, error, rc, "Could not read the location");
  return FALSE;
}

/**
 * omni_store_rename_location:
 * @name: the new name, unique among all locations (any case)
 *
 * Returns: %TRUE on success; %FALSE with %OMNI_STORE_ERROR_CONFLICT when
 *   another location has that name
 */
gboolean
omni_store_rename_location (OmniStore   *self,
                            gint64       location_id,
                            const char  *name,
                            GError     **error)
{
  OmniLocation location = { 0 };
  g_autofree char *stripped = NULL;
  OmniDbStmt *stmt;
  gint64 other;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stripped = g_strstrip (g_strdup (name));
  if (!omni_text_check (stripped, "Location name", 120, TRUE, error) ||
      !read_location (self, location_id, &location, error))
    return FALSE;
  g_free (location.name);

  stmt = _omni_store_prepare (self, "SELECT id FROM locations WHERE name = ?1 AND id <> ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, stripped, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, location_id);
  rc = omni_db_step (stmt);
  other = rc == SQLITE_ROW ? omni_db_column_int64 (stmt, 0) : 0;
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not rename the location");
      return FALSE;
    }
  if (other != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "A location named “%s” already exists", stripped);
      return FALSE;
    }

  if (!omni_store_begin (self, error))
    return FALSE;
  stmt = _omni_store_prepare (self, "UPDATE locations SET name = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, location_id);
  omni_db_bind_text (stmt, 2, stripped, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_set_default_location:
 *
 * Makes an active location the default: adjustments without a location
 * and new stock go there. The previous default stops being it.
 *
 * Returns: %TRUE on success
 */
gboolean
omni_store_set_default_location (OmniStore  *self,
                                 gint64      location_id,
                                 GError    **error)
{
  OmniLocation location = { 0 };
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!read_location (self, location_id, &location, error))
    return FALSE;
  if (location.archived)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is archived: restore it before making it the default",
                   location.name);
      g_free (location.name);
      return FALSE;
    }
  g_free (location.name);

  if (!omni_store_begin (self, error))
    return FALSE;
  stmt = _omni_store_prepare (self,
                              "UPDATE locations SET is_default = 0"
                              " WHERE is_default = 1 AND id <> ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, location_id);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;
  stmt = _omni_store_prepare (self, "UPDATE locations SET is_default = 1 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, location_id);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_set_location_archived:
 * @archived: %TRUE to archive, %FALSE to restore
 *
 * An archived location keeps its history but is no longer offered. The
 * default location cannot be archived, nor one that still holds or owes
 * stock (move it first), so no stock ever hides in an archived location.
 *
 * Returns: %TRUE on success; %FALSE with %OMNI_STORE_ERROR_INVALID when
 *   refused, nothing changed
 */
gboolean
omni_store_set_location_archived (OmniStore  *self,
                                  gint64      location_id,
                                  gboolean    archived,
                                  GError    **error)
{
  OmniLocation location = { 0 };
  OmniDbStmt *stmt;
  gint64 holding = 0;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!read_location (self, location_id, &location, error))
    return FALSE;

  if (archived && location.is_default)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is the default location: make another location the default first",
                   location.name);
      g_free (location.name);
      return FALSE;
    }

  if (archived)
    {
      stmt = _omni_store_prepare (self,
                                  "SELECT count(*) FROM stock_levels WHERE location_id = ?1"
                                  " AND (on_hand <> 0 OR committed <> 0)",
                                  error);
      if (stmt == NULL)
        {
          g_free (location.name);
          return FALSE;
        }
      omni_db_bind_int64 (stmt, 1, location_id);
      rc = omni_db_step (stmt);
      if (rc == SQLITE_ROW)
        holding = omni_db_column_int64 (stmt, 0);
      omni_db_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          _omni_store_set_error (self, error, rc, "Could not read the location's stock");
          g_free (location.name);
          return FALSE;
        }
      if (holding > 0)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "“%s” still holds stock of %" G_GINT64_FORMAT " variant(s):"
                       " transfer or adjust it to zero before archiving",
                       location.name, holding);
          g_free (location.name);
          return FALSE;
        }
    }
  g_free (location.name);

  if (!omni_store_begin (self, error))
    return FALSE;
  stmt = _omni_store_prepare (self, "UPDATE locations SET archived = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, location_id);
  omni_db_bind_int (stmt, 2, archived ? 1 : 0);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}
