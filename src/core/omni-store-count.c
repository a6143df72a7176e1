/* omni-store-count.c: stock count sessions driven by a barcode scanner
 *
 * A count records the ledger position of every scan. On commit each line's
 * level becomes `counted + movements recorded after its last scan`: a sale
 * after the item was counted is subtracted, one before it is already
 * reflected on the shelf, so a sale during the count is neither lost nor
 * counted twice. Positions, not wall-clock times, make that exact.
 *
 * A scan made on a till while the shared store's server was away arrives
 * later, after movements it never saw: it carries the time it was made,
 * and its line then counts the movements created after that time instead
 * (omni_store_count_scan_offline()), each such scan applied once by its
 * operation id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-count.h"
#include "omni-store-private.h"
#include "omni-text.h"

static char *
column_strdup (OmniDbStmt *stmt,
               int           column)
{
  return g_strdup ((const char *)omni_db_column_text (stmt, column));
}

static gboolean
read_ledger_position (OmniStore  *self,
                      gint64     *position,
                      GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, "SELECT coalesce (max (id), 0) FROM movements",
                                            error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    *position = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not read the ledger position");
      return FALSE;
    }
  return TRUE;
}

/* The ledger position now: movements with a higher id happen after it.
 *
 * On SQLite one writer at a time assigns the ids, so they follow the
 * order of commits. PostgreSQL assigns an id when the row is inserted, and a
 * transaction still running can commit a lower id than one already
 * visible: the highest visible id would then call that movement "before"
 * although the count never saw it. So the position is read under a SHARE
 * lock on movements, which waits for every transaction that is writing
 * movements and keeps new ones out until it is read: every id up to the
 * position is then committed (or gone), every later one is higher. */
static gboolean
ledger_position (OmniStore  *self,
                 gint64     *position,
                 GError    **error)
{
  GError *local_error = NULL;
  gboolean ok;

  *position = 0;
  if (!_omni_store_is_postgresql (self))
    return read_ledger_position (self, position, error);

  for (guint attempt = 0; ; attempt++)
    {
      ok = omni_store_begin (self, &local_error);
      if (ok && (!_omni_store_exec (self, "LOCK TABLE movements IN SHARE MODE", &local_error) ||
                 !read_ledger_position (self, position, &local_error)))
        {
          omni_store_rollback (self);
          ok = FALSE;
        }
      else if (ok)
        ok = omni_store_commit (self, &local_error);
      if (ok || !_omni_store_retry_busy (self, &local_error, attempt))
        break;
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return ok;
}

/* The open session's location and start position; NOT_FOUND or CONFLICT
 * (not open any more) otherwise. */
static gboolean
open_session (OmniStore  *self,
              gint64      session_id,
              gint64     *location_id,
              gint64     *started_position,
              GError    **error)
{
  OmniDbStmt *stmt;
  g_autofree char *state = NULL;

  stmt = _omni_store_prepare (self,
                              "SELECT location_id, started_position, state"
                              " FROM count_sessions WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      *location_id = omni_db_column_int64 (stmt, 0);
      *started_position = omni_db_column_int64 (stmt, 1);
      state = column_strdup (stmt, 2);
    }
  omni_db_reset (stmt);

  if (state == NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "There is no stock count %" G_GINT64_FORMAT, session_id);
      return FALSE;
    }
  if (!g_str_equal (state, "open"))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "Stock count %" G_GINT64_FORMAT " is already %s", session_id, state);
      return FALSE;
    }
  return TRUE;
}

/* Scans are human-paced and must survive power loss, not only a crash:
 * their commits wait for the disk. */
static void
set_durable (OmniStore *self,
             gboolean   durable)
{
  if (_omni_store_get_sqlite (self) != NULL)
    _omni_store_exec (self, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                      NULL);
}

static gboolean
check_scope (const char  *scope_kind,
             const char  *scope_value,
             GError     **error)
{
  static const char * const kinds[] = { "all", "vendor", "type", "tag", NULL };

  if (!g_strv_contains (kinds, scope_kind))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A count covers all, a vendor, a type or a tag, not “%s”", scope_kind);
      return FALSE;
    }
  if (!g_str_equal (scope_kind, "all") &&
      !omni_text_check (scope_value, "The count's vendor, type or tag", OMNI_TEXT_MAX_LINE,
                        TRUE, error))
    return FALSE;
  return TRUE;
}

/* Two open counts of one location may not cover the same goods. */
static gboolean
check_overlap (OmniStore   *self,
               gint64       location_id,
               const char  *scope_kind,
               const char  *scope_value,
               GError     **error)
{
  OmniDbStmt *stmt;
  gint64 other = 0;

  stmt = _omni_store_prepare (self,
                              "SELECT id FROM count_sessions"
                              " WHERE location_id = ?1 AND state = 'open'"
                              "   AND (scope_kind = 'all' OR ?2 = 'all'"
                              "        OR (scope_kind = ?2 AND scope_value = ?3))"
                              " LIMIT 1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, location_id);
  omni_db_bind_text (stmt, 2, scope_kind, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 3, scope_value);
  if (omni_db_step (stmt) == SQLITE_ROW)
    other = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);

  if (other > 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "Stock count %" G_GINT64_FORMAT " of this location is still open and "
                   "covers the same goods; finish or cancel it first", other);
      return FALSE;
    }
  return TRUE;
}

/* Every variant in scope that the store believes is at the location gets a
 * line at the start: one never scanned was not found, and counts as zero. */
static gboolean
insert_expected_lines (OmniStore   *self,
                       gint64       session_id,
                       gint64       location_id,
                       const char  *scope_kind,
                       const char  *scope_value,
                       GError     **error)
{
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO count_lines (session_id, variant_id, expected, counted)"
                              " SELECT ?1, s.variant_id, s.on_hand, 0"
                              " FROM stock_levels s JOIN variants v ON v.id = s.variant_id"
                              " JOIN products p ON p.id = v.product_id"
                              " WHERE s.location_id = ?2 AND s.on_hand <> 0 AND v.archived = 0"
                              "   AND (?3 = 'all'"
                              "     OR (?3 = 'vendor' AND p.vendor = ?4)"
                              "     OR (?3 = 'type' AND p.product_type = ?4)"
                              "     OR (?3 = 'tag' AND instr (',' || lower (replace (p.tags,"
                              "         ', ', ',')) || ',', ',' || lower (?4) || ',') > 0))",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  omni_db_bind_text (stmt, 3, scope_kind, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 4, scope_value);
  return _omni_store_step_done (self, stmt, error);
}

/* One try of omni_store_count_start(). */
static gint64
count_start_once (OmniStore   *self,
                  gint64       location_id,
                  const char  *scope_kind,
                  const char  *scope_value,
                  const char  *actor,
                  GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  g_autoptr(GError) local_error = NULL;
  OmniDbStmt *stmt;
  gint64 id, position;

  if (!omni_store_begin (self, error))
    return 0;
  /* First, as it waits for the writers of movements (who may want the
   * location's row, locked below). */
  if (!ledger_position (self, &position, error))
    goto fail;
  /* Two devices starting counts of one location at the same moment: on
   * PostgreSQL the location's row is locked until this one commits, so the
   * second sees the first's session (SQLite's BEGIN IMMEDIATE already lets
   * one writer in at a time). */
  if (_omni_store_is_postgresql (self))
    {
      int rc;

      stmt = _omni_store_prepare (self, "SELECT 1 FROM locations WHERE id = ?1 FOR UPDATE",
                                  error);
      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, location_id);
      rc = omni_db_step (stmt);
      omni_db_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _omni_store_set_error (self, error, rc, "Could not lock the location");
          goto fail;
        }
    }
  if (!check_overlap (self, location_id, scope_kind, scope_value, error))
    goto fail;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO count_sessions (location_id, scope_kind, scope_value,"
                              " started_at, started_position, actor)"
                              " SELECT id, ?2, ?3, ?4, ?5, ?6 FROM locations"
                              " WHERE id = ?1 AND archived = 0 RETURNING id",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, location_id);
  omni_db_bind_text (stmt, 2, scope_kind, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 3, scope_value);
  omni_db_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 5, position);
  omni_db_bind_text (stmt, 6, actor ? actor : _omni_store_default_actor (), -1,
                     SQLITE_TRANSIENT);
  id = _omni_store_step_insert (self, stmt, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (id == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Location %" G_GINT64_FORMAT " does not exist or is archived", location_id);
      goto fail;
    }

  if (!insert_expected_lines (self, id, location_id, scope_kind, scope_value, error))
    goto fail;
  if (!omni_store_commit (self, error))
    return 0;
  return id;

fail:
  omni_store_rollback (self);
  return 0;
}

/**
 * omni_store_count_start:
 * @location_id: the location to count; 0 for the default one
 * @scope_kind: (nullable): "all" (default), "vendor", "type" or "tag"
 * @scope_value: (nullable): the vendor, type or tag
 *
 * Opens a count. The expected quantities are those of the ledger now.
 *
 * Returns: the session id, or 0 with @error set
 */
gint64
omni_store_count_start (OmniStore   *self,
                        gint64       location_id,
                        const char  *scope_kind,
                        const char  *scope_value,
                        const char  *actor,
                        GError     **error)
{
  GError *local_error = NULL;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (scope_kind == NULL)
    scope_kind = "all";
  if (g_str_equal (scope_kind, "all"))
    scope_value = NULL;
  if (!check_scope (scope_kind, scope_value, error))
    return 0;
  if (location_id <= 0 && (location_id = omni_store_get_default_location (self, error)) == 0)
    return 0;

  for (guint attempt = 0; ; attempt++)
    if ((id = count_start_once (self, location_id, scope_kind, scope_value, actor,
                                &local_error)) > 0 ||
        !_omni_store_retry_busy (self, &local_error, attempt))
      break;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return id;
}

/* Lines ----------------------------------------------------------------- */

/* The movements m a line's counted quantity does not include: those after
 * its last scan (or the count's start, @start): by ledger position for a
 * scan made online, by creation time for one made offline on a till (see
 * omni_store_count_scan_offline()). */
#define AFTER_LAST_SCAN(start) \
  "(CASE WHEN c.last_scan_until IS NULL" \
  " THEN m.id > coalesce (c.last_scan_position, " start ")" \
  " ELSE m.created_at > c.last_scan_until END)"

/* expected = what the store held at the line's last scan (or the start):
 * the level now minus what moved since. */
#define LINE_SELECT \
  "SELECT c.variant_id, v.sku, v.barcode, p.title," \
  " trim (coalesce (v.option1, '') || coalesce (' / ' || v.option2, '')" \
  "       || coalesce (' / ' || v.option3, ''))," \
  " coalesce (s.on_hand, 0) - coalesce ((SELECT sum (m.on_hand_delta) FROM movements m" \
  "   WHERE m.variant_id = c.variant_id AND m.location_id = ses.location_id" \
  "     AND " AFTER_LAST_SCAN ("ses.started_position") "), 0) AS expected," \
  " c.counted, coalesce (v.cost, 0), c.last_scan_position IS NOT NULL, c.last_scan_at" \
  " FROM count_lines c JOIN count_sessions ses ON ses.id = c.session_id" \
  " JOIN variants v ON v.id = c.variant_id JOIN products p ON p.id = v.product_id" \
  " LEFT JOIN stock_levels s ON s.variant_id = c.variant_id AND s.location_id = ses.location_id"

static OmniCountLine *
line_from_row (OmniDbStmt *stmt)
{
  OmniCountLine *line = g_new0 (OmniCountLine, 1);

  line->variant_id = omni_db_column_int64 (stmt, 0);
  line->sku = column_strdup (stmt, 1);
  line->barcode = column_strdup (stmt, 2);
  line->title = column_strdup (stmt, 3);
  line->options = column_strdup (stmt, 4);
  line->expected = omni_db_column_int64 (stmt, 5);
  line->counted = omni_db_column_int64 (stmt, 6);
  line->cost = omni_db_column_int64 (stmt, 7);
  line->scanned = omni_db_column_int (stmt, 8) != 0;
  line->last_scan_at = column_strdup (stmt, 9);
  line->variance = line->counted - line->expected;
  line->variance_value = line->variance * line->cost;
  return line;
}

static OmniCountLine *
get_line (OmniStore  *self,
          gint64      session_id,
          gint64      variant_id,
          GError    **error)
{
  OmniDbStmt *stmt;
  OmniCountLine *line = NULL;

  stmt = _omni_store_prepare (self, LINE_SELECT
                              " WHERE c.session_id = ?1 AND c.variant_id = ?2", error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    line = line_from_row (stmt);
  omni_db_reset (stmt);

  if (line == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Variant %" G_GINT64_FORMAT " is not in stock count %" G_GINT64_FORMAT,
                 variant_id, session_id);
  return line;
}

static gboolean
remember_unknown (OmniStore   *self,
                  gint64       session_id,
                  const char  *code)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO count_unknown_codes (session_id, code, last_at)"
                              " VALUES (?1, ?2, ?3) ON CONFLICT (session_id, code)"
                              " DO UPDATE SET scans = count_unknown_codes.scans + 1, last_at = excluded.last_at",
                              NULL);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, NULL);
}

/* Writes a count line's upsert; the table's CHECK on counted becomes the
 * sentence a person reads. */
static gboolean
step_count_line (OmniStore   *self,
                 OmniDbStmt  *stmt,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (_omni_store_step_done (self, stmt, &local_error))
    return TRUE;
  if (g_error_matches (local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID))
    g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                         "A counted quantity cannot go below zero");
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
add_to_line (OmniStore  *self,
             gint64      session_id,
             gint64      location_id,
             gint64      variant_id,
             gint64      quantity,
             GError    **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;
  gint64 position;

  if (!ledger_position (self, &position, error))
    return FALSE;
  stmt = _omni_store_prepare (self,
                              "INSERT INTO count_lines (session_id, variant_id, expected, counted,"
                              " last_scan_position, last_scan_at)"
                              " VALUES (?1, ?2, coalesce ((SELECT on_hand FROM stock_levels"
                              "   WHERE variant_id = ?2 AND location_id = ?3), 0), ?4, ?5, ?6)"
                              " ON CONFLICT (session_id, variant_id) DO UPDATE SET"
                              "   counted = count_lines.counted + excluded.counted,"
                              "   last_scan_position = excluded.last_scan_position,"
                              "   last_scan_at = excluded.last_scan_at, last_scan_until = NULL",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_int64 (stmt, 3, location_id);
  omni_db_bind_int64 (stmt, 4, quantity);
  omni_db_bind_int64 (stmt, 5, position);
  omni_db_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  return step_count_line (self, stmt, error);
}

/**
 * omni_store_count_scan:
 * @code: a barcode or SKU, as the scanner typed it
 * @quantity: how many to add (a typed multiplier); negative takes back
 *
 * Adds a scan to an open count and commits it at once (durably), so a crash
 * or power loss loses at most the scan in flight. An unknown code is
 * remembered for the review and refused with %OMNI_STORE_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full): the line after the scan, or %NULL with @error
 */
OmniCountLine *
omni_store_count_scan (OmniStore   *self,
                       gint64       session_id,
                       const char  *code,
                       gint64       quantity,
                       GError     **error)
{
  g_autofree char *trimmed = NULL;
  gint64 location_id, started, variant_id;
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (!omni_text_check (code, "The scanned code", OMNI_COUNT_MAX_CODE, TRUE, error))
    return NULL;
  if (quantity == 0 || ABS (quantity) > OMNI_COUNT_MAX_QUANTITY)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A scan adds from 1 to %d (or takes back as many), not %" G_GINT64_FORMAT,
                   OMNI_COUNT_MAX_QUANTITY, quantity);
      return NULL;
    }
  if (!open_session (self, session_id, &location_id, &started, error))
    return NULL;

  trimmed = g_strstrip (g_strdup (code));
  variant_id = omni_store_find_variant (self, trimmed, NULL);

  set_durable (self, TRUE);
  if (variant_id == 0)
    {
      remember_unknown (self, session_id, trimmed);
      set_durable (self, FALSE);
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Unknown code “%s”: no active variant has this barcode or SKU", trimmed);
      return NULL;
    }
  ok = add_to_line (self, session_id, location_id, variant_id, quantity, error);
  set_durable (self, FALSE);

  return ok ? get_line (self, session_id, variant_id, error) : NULL;
}

/* Whether the scan @op_id reached the count already: 1 (with its variant,
 * 0 for an unknown code), 0 or -1 on error. */
static int
scan_op_seen (OmniStore   *self,
              const char  *op_id,
              gint64      *variant_id,
              GError     **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                          "SELECT coalesce (variant_id, 0) FROM count_scan_ops"
                                          " WHERE op_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  omni_db_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    *variant_id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  _omni_store_set_error (self, error, rc, "Could not read the count's scans");
  return -1;
}

static gboolean
note_scan_op (OmniStore                   *self,
              gint64                       session_id,
              gint64                       variant_id,
              gint64                       quantity,
              const char                  *scanned_at,
              const OmniCountScanOptions  *options,
              GError                     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO count_scan_ops (op_id, session_id, variant_id, quantity,"
                              " scanned_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, options->op_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, session_id);
  if (variant_id > 0)
    omni_db_bind_int64 (stmt, 3, variant_id);
  else
    omni_db_bind_null (stmt, 3);
  omni_db_bind_int64 (stmt, 4, quantity);
  omni_db_bind_text (stmt, 5, scanned_at, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, error);
}

/* The location of an open count, refused when it was archived meanwhile. */
static gboolean
check_location_active (OmniStore  *self,
                       gint64      location_id,
                       GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                          "SELECT name, archived FROM locations WHERE id = ?1",
                                          error);
  g_autofree char *name = NULL;
  gint64 archived = 1;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, location_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      name = column_strdup (stmt, 0);
      archived = omni_db_column_int64 (stmt, 1);
    }
  omni_db_reset (stmt);
  if (archived != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "The count's location “%s” was archived; it takes no more scans",
                   name != NULL ? name : "?");
      return FALSE;
    }
  return TRUE;
}

/* A count committed after @scanned_at for this variant and location set its
 * stock anew: a scan from before it no longer says anything. */
static gboolean
check_not_recounted (OmniStore   *self,
                     gint64       variant_id,
                     gint64       location_id,
                     const char  *code,
                     const char  *scanned_at,
                     GError     **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                          "SELECT reference FROM movements"
                                          " WHERE variant_id = ?1 AND location_id = ?2"
                                          "   AND reason = 'count' AND created_at > ?3"
                                          " ORDER BY id DESC LIMIT 1", error);
  g_autofree char *reference = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  omni_db_bind_text (stmt, 3, scanned_at, -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    reference = column_strdup (stmt, 0);
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the ledger");
      return FALSE;
    }
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "“%s” was counted again after this scan (%s); the scan is out of date",
                   code, reference != NULL ? reference : "a stock count");
      return FALSE;
    }
  return TRUE;
}

/* Adds (or, with options->set, sets) the scan, counting the shelf as it was
 * at @scanned_at. The line keeps the reference of its latest scan: an
 * older scan arriving late adds its units but does not move it back. */
static gboolean
add_offline_scan (OmniStore                   *self,
                  gint64                       session_id,
                  gint64                       location_id,
                  gint64                       variant_id,
                  gint64                       quantity,
                  const char                  *scanned_at,
                  const OmniCountScanOptions  *options,
                  GError                     **error)
{
  OmniDbStmt *stmt;
  gint64 position;

  if (!read_ledger_position (self, &position, error))
    return FALSE;
  stmt = _omni_store_prepare (self,
                              "INSERT INTO count_lines (session_id, variant_id, expected, counted,"
                              " last_scan_position, last_scan_at, last_scan_until)"
                              " VALUES (?1, ?2, coalesce ((SELECT on_hand FROM stock_levels"
                              "   WHERE variant_id = ?2 AND location_id = ?3), 0), ?4, ?5, ?6, ?6)"
                              " ON CONFLICT (session_id, variant_id) DO UPDATE SET"
                              "   counted = CASE WHEN ?7 = 1 THEN excluded.counted"
                              "     ELSE count_lines.counted + excluded.counted END,"
                              "   last_scan_position = CASE WHEN count_lines.last_scan_at IS NULL"
                              "     OR count_lines.last_scan_at <= excluded.last_scan_at"
                              "     THEN excluded.last_scan_position"
                              "     ELSE count_lines.last_scan_position END,"
                              "   last_scan_until = CASE WHEN count_lines.last_scan_at IS NULL"
                              "     OR count_lines.last_scan_at <= excluded.last_scan_at"
                              "     THEN excluded.last_scan_until"
                              "     ELSE count_lines.last_scan_until END,"
                              "   last_scan_at = CASE WHEN count_lines.last_scan_at IS NULL"
                              "     OR count_lines.last_scan_at <= excluded.last_scan_at"
                              "     THEN excluded.last_scan_at"
                              "     ELSE count_lines.last_scan_at END",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_int64 (stmt, 3, location_id);
  omni_db_bind_int64 (stmt, 4, quantity);
  omni_db_bind_int64 (stmt, 5, position);
  omni_db_bind_text (stmt, 6, scanned_at, -1, SQLITE_TRANSIENT);
  omni_db_bind_int (stmt, 7, options->set ? 1 : 0);
  return step_count_line (self, stmt, error);
}

/* One try of omni_store_count_scan_offline(): the variant it went to (0 for
 * an unknown code), or -1 with @error set. */
static gint64
count_scan_offline_once (OmniStore                   *self,
                         gint64                       session_id,
                         const char                  *code,
                         gint64                       quantity,
                         const OmniCountScanOptions  *options,
                         const char                  *scanned_at,
                         gboolean                    *already_there,
                         GError                     **error)
{
  gint64 location_id, started, variant_id = 0;
  int seen;

  if (!omni_store_begin (self, error))
    return -1;
  /* On PostgreSQL a commit or cancel of the count running now finishes
   * first; the scan then sees the count closed. */
  if (_omni_store_is_postgresql (self))
    {
      OmniDbStmt *stmt = _omni_store_prepare (self,
                                              "SELECT 1 FROM count_sessions WHERE id = ?1"
                                              " FOR UPDATE", error);
      int rc;

      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, session_id);
      rc = omni_db_step (stmt);
      omni_db_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _omni_store_set_error (self, error, rc, "Could not lock the count");
          goto fail;
        }
    }

  /* Sent before (a replay cut off after this commit): nothing to add, even
   * if the count was closed since. */
  seen = scan_op_seen (self, options->op_id, &variant_id, error);
  if (seen < 0)
    goto fail;
  if (seen == 1)
    {
      *already_there = TRUE;
      if (!omni_store_commit (self, error))
        return -1;
      return variant_id;
    }

  if (!open_session (self, session_id, &location_id, &started, error) ||
      !check_location_active (self, location_id, error))
    goto fail;

  variant_id = omni_store_find_variant (self, code, NULL);
  if (variant_id == 0)
    {
      /* Kept for the count's review, once, as an online scan would be. */
      if (!remember_unknown (self, session_id, code))
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                       "Could not keep the unknown code “%s” with the count", code);
          goto fail;
        }
      if (!note_scan_op (self, session_id, 0, quantity, scanned_at, options, error) ||
          !omni_store_commit (self, error))
        goto fail;
      return 0;
    }

  if (!check_not_recounted (self, variant_id, location_id, code, scanned_at, error) ||
      !add_offline_scan (self, session_id, location_id, variant_id, quantity, scanned_at,
                         options, error) ||
      !note_scan_op (self, session_id, variant_id, quantity, scanned_at, options, error))
    goto fail;
  if (!omni_store_commit (self, error))
    return -1;
  return variant_id;

fail:
  omni_store_rollback (self);
  return -1;
}

/**
 * omni_store_count_scan_offline:
 * @code: a barcode or SKU, as scanned
 * @quantity: how many to add (negative takes back); with @options->set, the
 *   line's counted quantity (0 or more)
 * @options: the scan's operation id and the time it was made
 * @already_there: (out) (optional): %TRUE when @options->op_id had reached
 *   the count before (nothing was added now)
 *
 * Adds a scan made on a till while the server was out of reach, sent when
 * it is back. Sent twice (a replay cut off after the commit), it is added
 * once. It counts the shelf as it was at @options->time_us: on commit,
 * the line gets what was counted plus the movements created after that
 * time, so a sale recorded on the server after the scan is not lost,
 * and one before it (even if sent later, by another till) is not counted
 * twice. Refused with %OMNI_STORE_ERROR_CONFLICT when the count is no
 * longer open, its location was archived, or the variant was counted again
 * (by another count's commit) after the scan; an unknown code is kept
 * with the count's unknown codes and refused with
 * %OMNI_STORE_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full): the line after the scan, or %NULL with @error
 */
OmniCountLine *
omni_store_count_scan_offline (OmniStore                   *self,
                               gint64                       session_id,
                               const char                  *code,
                               gint64                       quantity,
                               const OmniCountScanOptions  *options,
                               gboolean                    *already_there,
                               GError                     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *scanned_at = NULL;
  GError *local_error = NULL;
  gboolean already = FALSE;
  gint64 variant_id;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (already_there != NULL)
    *already_there = FALSE;
  if (!omni_text_check (code, "The scanned code", OMNI_COUNT_MAX_CODE, TRUE, error) ||
      !omni_text_check (options->op_id, "The scan's operation id", 200, TRUE, error))
    return NULL;
  if (options->set ? quantity < 0 || quantity > G_MAXINT32
                   : quantity == 0 || ABS (quantity) > OMNI_COUNT_MAX_QUANTITY)
    {
      if (options->set)
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                     "A counted quantity must be zero or more, not %" G_GINT64_FORMAT, quantity);
      else
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                     "A scan adds from 1 to %d (or takes back as many), not %" G_GINT64_FORMAT,
                     OMNI_COUNT_MAX_QUANTITY, quantity);
      return NULL;
    }
  if (options->time_us <= 0)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "A scan made offline needs the time it was made");
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (code));
  scanned_at = _omni_store_format_time (options->time_us);
  set_durable (self, TRUE);
  for (guint attempt = 0; ; attempt++)
    {
      already = FALSE;
      if ((variant_id = count_scan_offline_once (self, session_id, trimmed, quantity, options,
                                                 scanned_at, &already, &local_error)) >= 0 ||
          !_omni_store_retry_busy (self, &local_error, attempt))
        break;
    }
  set_durable (self, FALSE);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  /* An unknown code sent again is refused again, as the first time. */
  if (already_there != NULL)
    *already_there = already && variant_id > 0;
  if (variant_id == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Unknown code “%s”: no active variant has this barcode or SKU; it is listed "
                   "with the count's unknown codes", trimmed);
      return NULL;
    }
  return get_line (self, session_id, variant_id, error);
}

/**
 * omni_store_count_set_line:
 *
 * Corrects a line's counted quantity (the merchant's edit); it counts as a
 * scan now for the rule about sales during the count.
 */
gboolean
omni_store_count_set_line (OmniStore  *self,
                           gint64      session_id,
                           gint64      variant_id,
                           gint64      counted,
                           GError    **error)
{
  gint64 location_id, started, position;
  OmniDbStmt *stmt;
  g_autofree char *now = _omni_store_format_time (0);

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (counted < 0 || counted > G_MAXINT32)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A counted quantity must be zero or more, not %" G_GINT64_FORMAT, counted);
      return FALSE;
    }
  if (!open_session (self, session_id, &location_id, &started, error) ||
      !_omni_store_require_variant (self, variant_id, error))
    return FALSE;

  if (!add_to_line (self, session_id, location_id, variant_id, 0, error) ||
      !ledger_position (self, &position, error))
    return FALSE;
  stmt = _omni_store_prepare (self,
                              "UPDATE count_lines SET counted = ?3, last_scan_position = ?4,"
                              " last_scan_at = ?5, last_scan_until = NULL"
                              " WHERE session_id = ?1 AND variant_id = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_int64 (stmt, 3, counted);
  omni_db_bind_int64 (stmt, 4, position);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, error);
}

/**
 * omni_store_count_remove_line:
 *
 * Takes a variant out of the count: committing leaves its stock alone.
 */
gboolean
omni_store_count_remove_line (OmniStore  *self,
                              gint64      session_id,
                              gint64      variant_id,
                              GError    **error)
{
  gint64 location_id, started;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!open_session (self, session_id, &location_id, &started, error))
    return FALSE;
  stmt = _omni_store_prepare (self,
                              "DELETE FROM count_lines WHERE session_id = ?1 AND variant_id = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;
  if (omni_db_changes (_omni_store_get_db (self)) == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Variant %" G_GINT64_FORMAT " is not in stock count %" G_GINT64_FORMAT,
                   variant_id, session_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_store_count_link_code:
 * @code: an unknown code scanned during the count
 * @variant_id: the variant it belongs to
 *
 * Gives a variant without a barcode the scanned code (so the next scan finds
 * it) and adds the scans already made of it to the count, in one
 * transaction. A variant that already has a barcode keeps it; the scans are
 * still added.
 */
gboolean
omni_store_count_link_code (OmniStore   *self,
                            gint64       session_id,
                            const char  *code,
                            gint64       variant_id,
                            GError     **error)
{
  gint64 location_id, started, scans = 0;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!open_session (self, session_id, &location_id, &started, error) ||
      !_omni_store_require_variant (self, variant_id, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT scans FROM count_unknown_codes"
                              " WHERE session_id = ?1 AND code = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    scans = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (scans == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "“%s” was not scanned as an unknown code in this count", code);
      return FALSE;
    }
  if (!omni_barcode_check (code, error) || !omni_store_begin (self, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "UPDATE variants SET barcode = ?2 WHERE id = ?1 AND barcode IS NULL",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error) ||
      !_omni_store_reindex_variant (self, variant_id, error) ||
      !add_to_line (self, session_id, location_id, variant_id, scans, error))
    goto fail;

  stmt = _omni_store_prepare (self,
                              "DELETE FROM count_unknown_codes WHERE session_id = ?1 AND code = ?2",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_count_get_line:
 *
 * Reads one line of a count, as omni_store_count_lines() lists it.
 *
 * Returns: (transfer full): the line, or %NULL with @error set
 *   (%OMNI_STORE_ERROR_NOT_FOUND when the count has no line for @variant_id)
 */
OmniCountLine *
omni_store_count_get_line (OmniStore  *self,
                           gint64      session_id,
                           gint64      variant_id,
                           GError    **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  return get_line (self, session_id, variant_id, error);
}

/**
 * omni_store_count_lines:
 *
 * Returns: (transfer full) (element-type OmniCountLine): the lines, largest
 *   variance first
 */
GPtrArray *
omni_store_count_lines (OmniStore  *self,
                        gint64      session_id,
                        GError    **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(OmniCountSession) session = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  session = omni_store_count_get (self, session_id, error);
  if (session == NULL)
    return NULL;

  stmt = _omni_store_prepare (self, LINE_SELECT " WHERE c.session_id = ?1"
                              " ORDER BY abs (c.counted - expected) DESC, p.title, v.id",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, session_id);
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_count_line_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (lines, line_from_row (stmt));
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the count");
      return NULL;
    }
  return g_steal_pointer (&lines);
}

GPtrArray *
omni_store_count_unknown_codes (OmniStore  *self,
                                gint64      session_id,
                                GError    **error)
{
  g_autoptr(GPtrArray) codes = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT code, scans FROM count_unknown_codes"
                              " WHERE session_id = ?1 ORDER BY last_at DESC",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, session_id);
  codes = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_count_unknown_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniCountUnknown *unknown = g_new0 (OmniCountUnknown, 1);

      unknown->code = column_strdup (stmt, 0);
      unknown->scans = omni_db_column_int64 (stmt, 1);
      g_ptr_array_add (codes, unknown);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the unknown codes");
      return NULL;
    }
  return g_steal_pointer (&codes);
}

/* Sessions -------------------------------------------------------------- */

#define SESSION_SELECT \
  "SELECT ses.id, ses.location_id, l.name, ses.scope_kind, ses.scope_value, ses.state," \
  " ses.started_at, ses.finished_at, ses.actor," \
  " (SELECT count(*) FROM count_lines c WHERE c.session_id = ses.id)," \
  " (SELECT coalesce (sum (counted), 0) FROM count_lines c WHERE c.session_id = ses.id)" \
  " FROM count_sessions ses JOIN locations l ON l.id = ses.location_id"

static OmniCountSession *
session_from_row (OmniDbStmt *stmt)
{
  OmniCountSession *session = g_new0 (OmniCountSession, 1);

  session->id = omni_db_column_int64 (stmt, 0);
  session->location_id = omni_db_column_int64 (stmt, 1);
  session->location = column_strdup (stmt, 2);
  session->scope_kind = column_strdup (stmt, 3);
  session->scope_value = column_strdup (stmt, 4);
  session->state = column_strdup (stmt, 5);
  session->started_at = column_strdup (stmt, 6);
  session->finished_at = column_strdup (stmt, 7);
  session->actor = column_strdup (stmt, 8);
  session->lines = omni_db_column_int64 (stmt, 9);
  session->counted_units = omni_db_column_int64 (stmt, 10);
  return session;
}

OmniCountSession *
omni_store_count_get (OmniStore  *self,
                      gint64      session_id,
                      GError    **error)
{
  OmniDbStmt *stmt;
  OmniCountSession *session = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, SESSION_SELECT " WHERE ses.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, session_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    session = session_from_row (stmt);
  omni_db_reset (stmt);

  if (session == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "There is no stock count %" G_GINT64_FORMAT, session_id);
  return session;
}

/**
 * omni_store_count_list:
 * @open_only: only counts still open (to resume after a restart)
 *
 * Returns: (transfer full) (element-type OmniCountSession): newest first
 */
GPtrArray *
omni_store_count_list (OmniStore  *self,
                       gboolean    open_only,
                       GError    **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, SESSION_SELECT
                              " WHERE ?1 = 0 OR ses.state = 'open' ORDER BY ses.id DESC",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int (stmt, 1, open_only ? 1 : 0);
  sessions = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_count_session_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (sessions, session_from_row (stmt));
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the counts");
      return NULL;
    }
  return g_steal_pointer (&sessions);
}

static gboolean
finish_session (OmniStore   *self,
                gint64       session_id,
                const char  *state,
                GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "UPDATE count_sessions SET state = ?2, finished_at = ?3"
                              " WHERE id = ?1 AND state = 'open'",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, error);
}

typedef struct
{
  gint64 variant_id;
  gint64 delta;
} Change;

/* What each line changes: counted + movements after its last scan, minus
 * what is on hand now. */
static GArray *
compute_changes (OmniStore  *self,
                 gint64      session_id,
                 gint64      location_id,
                 gint64      started,
                 GError    **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT c.variant_id,"
                              " c.counted + coalesce ((SELECT sum (m.on_hand_delta) FROM movements m"
                              "   WHERE m.variant_id = c.variant_id AND m.location_id = ?2"
                              "     AND " AFTER_LAST_SCAN ("?3") "), 0)"
                              " - coalesce (s.on_hand, 0)"
                              " FROM count_lines c LEFT JOIN stock_levels s"
                              "   ON s.variant_id = c.variant_id AND s.location_id = ?2"
                              " WHERE c.session_id = ?1 ORDER BY c.variant_id",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, session_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  omni_db_bind_int64 (stmt, 3, started);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      Change change = { omni_db_column_int64 (stmt, 0), omni_db_column_int64 (stmt, 1) };

      if (change.delta != 0)
        g_array_append_val (changes, change);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not work out the count's changes");
      return NULL;
    }
  return g_steal_pointer (&changes);
}

/* One try of omni_store_count_commit(). */
static char *
count_commit_once (OmniStore   *self,
                   gint64       session_id,
                   const char  *actor,
                   GError     **error)
{
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GArray) specs = NULL;
  g_autoptr(GPtrArray) op_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *operation = NULL;
  g_autofree char *reference = NULL;
  gint64 location_id, started;

  if (!omni_store_begin (self, error))
    return NULL;
  if (!open_session (self, session_id, &location_id, &started, error) ||
      (changes = compute_changes (self, session_id, location_id, started, error)) == NULL)
    goto fail;

  operation = g_strdup_printf ("count:%" G_GINT64_FORMAT, session_id);
  reference = g_strdup_printf ("Stock count %" G_GINT64_FORMAT, session_id);
  specs = g_array_sized_new (FALSE, TRUE, sizeof (OmniMovementSpec), changes->len);
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);
      OmniMovementSpec m = {
        .variant_id = change->variant_id, .location_id = location_id,
        .on_hand_delta = change->delta, .reason = OMNI_REASON_COUNT, .source = "count",
        .reference = reference, .actor = actor, .operation = operation,
      };
      char *op_id = g_strdup_printf ("%s:%" G_GINT64_FORMAT, operation, change->variant_id);

      g_ptr_array_add (op_ids, op_id);
      m.op_id = op_id;
      g_array_append_val (specs, m);
    }

  if (!omni_store_record_movements (self, &g_array_index (specs, OmniMovementSpec, 0), specs->len, error) ||
      !finish_session (self, session_id, "committed", error))
    goto fail;
  if (!omni_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&operation);

fail:
  omni_store_rollback (self);
  return NULL;
}

/**
 * omni_store_count_commit:
 *
 * Applies the count: one `count` movement per line that differs, and the
 * session closed, in one transaction. Each movement's op_id names the count
 * and the variant, so a commit retried after a crash cannot apply twice.
 *
 * Returns: (transfer full): the operation id, or %NULL with @error set
 */
char *
omni_store_count_commit (OmniStore   *self,
                         gint64       session_id,
                         const char  *actor,
                         GError     **error)
{
  GError *local_error = NULL;
  char *operation;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  for (guint attempt = 0; ; attempt++)
    if ((operation = count_commit_once (self, session_id, actor, &local_error)) != NULL ||
        !_omni_store_retry_busy (self, &local_error, attempt))
      break;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return operation;
}

/**
 * omni_store_count_cancel:
 *
 * Discards an open count; stock is not touched.
 */
gboolean
omni_store_count_cancel (OmniStore  *self,
                         gint64      session_id,
                         GError    **error)
{
  gint64 location_id, started;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!open_session (self, session_id, &location_id, &started, error))
    return FALSE;
  return finish_session (self, session_id, "cancelled", error);
}

/**
 * omni_count_parse_input:
 * @text: what was typed into the scan entry: "CODE", or "12*CODE"
 * @code: (out) (transfer full): the code
 * @quantity: (out): the multiplier, 1 without one
 *
 * Returns: %TRUE when @text is a code with an optional multiplier
 */
gboolean
omni_count_parse_input (const char  *text,
                        char       **code,
                        gint64      *quantity,
                        GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *star;
  guint64 n = 1;

  g_return_val_if_fail (text != NULL && code != NULL && quantity != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  star = strchr (trimmed, '*');
  if (star != NULL)
    {
      g_autofree char *number = g_strndup (trimmed, star - trimmed);

      if (!g_ascii_string_to_unsigned (g_strstrip (number), 10, 1, OMNI_COUNT_MAX_QUANTITY,
                                       &n, NULL))
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "“%s” is not a quantity from 1 to %d before “*”", number,
                       OMNI_COUNT_MAX_QUANTITY);
          return FALSE;
        }
      star++;
    }
  else
    star = trimmed;

  while (g_ascii_isspace (*star))
    star++;
  if (!omni_text_check (star, "The scanned code", OMNI_COUNT_MAX_CODE, TRUE, error))
    return FALSE;

  *code = g_strdup (star);
  *quantity = (gint64)n;
  return TRUE;
}

void
omni_count_session_free (OmniCountSession *session)
{
  if (session == NULL)
    return;
  g_free (session->location);
  g_free (session->scope_kind);
  g_free (session->scope_value);
  g_free (session->state);
  g_free (session->started_at);
  g_free (session->finished_at);
  g_free (session->actor);
  g_free (session);
}

void
omni_count_line_free (OmniCountLine *line)
{
  if (line == NULL)
    return;
  g_free (line->sku);
  g_free (line->barcode);
  g_free (line->title);
  g_free (line->options);
  g_free (line->last_scan_at);
  g_free (line);
}

void
omni_count_unknown_free (OmniCountUnknown *unknown)
{
  if (unknown == NULL)
    return;
  g_free (unknown->code);
  g_free (unknown);
}
