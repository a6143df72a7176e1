/* omni-store-drift.c: reconciliation of local and channel quantities
 *
 * `channel_levels` holds each channel's quantity as last seen (pulled,
 * pushed or received by webhook); the store is the truth and a channel
 * should show the available stock minus the link's buffer. A difference is
 * a drift. It is explained by the local movements since the channel's
 * quantity was seen and by the outbox entries still waiting, and fixed in
 * one transaction in either direction: a push of the local quantity through
 * the outbox, or a movement that takes the channel's quantity as the truth.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include "omni-store-private.h"
#include "omni-store-channel.h"
#include "omni-store-drift.h"

#define DRIFT_SELECT \
  "SELECT rl.channel_id, rl.variant_id, cl.location_id, v.sku," \
  "       p.title || coalesce (' – ' || v.option1, '') || coalesce (' / ' || v.option2, '')" \
  "         || coalesce (' / ' || v.option3, '')," \
  "       loc.name, rl.remote_location_id, coalesce (s.available, 0)," \
  "       max (coalesce (s.available, 0) - l.buffer, 0), rl.quantity, rl.updated_at," \
  "       (SELECT count (*) FROM outbox o WHERE o.channel_id = rl.channel_id" \
  "          AND o.variant_id = rl.variant_id AND o.location_id = cl.location_id" \
  "          AND o.state IN ('pending', 'sending'))," \
  "       (SELECT count (*) FROM outbox o WHERE o.channel_id = rl.channel_id" \
  "          AND o.variant_id = rl.variant_id AND o.location_id = cl.location_id" \
  "          AND o.state = 'conflict')" \
  "  FROM channel_levels rl" \
  "  JOIN channel_links l ON l.channel_id = rl.channel_id AND l.variant_id = rl.variant_id" \
  "  JOIN channel_locations cl ON cl.channel_id = rl.channel_id" \
  "   AND cl.remote_id = rl.remote_location_id AND cl.active = 1 AND cl.location_id IS NOT NULL" \
  "  JOIN variants v ON v.id = rl.variant_id" \
  "  JOIN products p ON p.id = v.product_id" \
  "  JOIN locations loc ON loc.id = cl.location_id" \
  "  LEFT JOIN stock_levels s ON s.variant_id = rl.variant_id AND s.location_id = cl.location_id" \
  " WHERE rl.channel_id = ?1 AND rl.quantity <> max (coalesce (s.available, 0) - l.buffer, 0)"

static char *
dup_text (OmniDbStmt *stmt,
          int           column)
{
  const unsigned char *text = omni_db_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *)text) : NULL;
}

void
omni_drift_free (OmniDrift *drift)
{
  if (drift == NULL)
    return;
  g_free (drift->sku);
  g_free (drift->title);
  g_free (drift->location_name);
  g_free (drift->remote_location_id);
  g_free (drift->remote_seen_at);
  g_free (drift);
}

void
omni_drift_event_free (OmniDriftEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->at);
  g_free (event->side);
  g_free (event->what);
  g_free (event->detail);
  g_free (event);
}

static OmniDrift *
drift_from_row (OmniDbStmt *stmt)
{
  OmniDrift *d = g_new0 (OmniDrift, 1);

  d->channel_id = omni_db_column_int64 (stmt, 0);
  d->variant_id = omni_db_column_int64 (stmt, 1);
  d->location_id = omni_db_column_int64 (stmt, 2);
  d->sku = dup_text (stmt, 3);
  d->title = dup_text (stmt, 4);
  d->location_name = dup_text (stmt, 5);
  d->remote_location_id = dup_text (stmt, 6);
  d->available = omni_db_column_int64 (stmt, 7);
  d->expected = omni_db_column_int64 (stmt, 8);
  d->remote = omni_db_column_int64 (stmt, 9);
  d->remote_seen_at = dup_text (stmt, 10);
  d->pending = omni_db_column_int64 (stmt, 11);
  d->conflicts = omni_db_column_int64 (stmt, 12);
  return d;
}

/**
 * omni_store_list_drift:
 * @limit: at most this many (0: 500)
 *
 * Every linked variant at a mapped location of @channel_id whose quantity
 * last seen on the channel differs from what the channel should show,
 * largest difference first.
 *
 * Returns: (transfer full) (element-type OmniDrift): the drifts, or %NULL
 *   with @error set
 */
GPtrArray *
omni_store_list_drift (OmniStore  *self,
                       gint64      channel_id,
                       guint       limit,
                       GError    **error)
{
  g_autoptr(GPtrArray) drifts = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_drift_free);
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              DRIFT_SELECT
                              " ORDER BY abs (rl.quantity - max (coalesce (s.available, 0) - l.buffer, 0))"
                              " DESC, v.sku LIMIT ?2",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, limit > 0 ? limit : 500);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (drifts, drift_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not compare the channel’s quantities");
      return NULL;
    }
  return g_steal_pointer (&drifts);
}

static OmniDrift *
get_drift (OmniStore  *self,
           gint64      channel_id,
           gint64      variant_id,
           gint64      location_id,
           GError    **error)
{
  OmniDbStmt *stmt;
  OmniDrift *drift = NULL;

  stmt = _omni_store_prepare (self, DRIFT_SELECT " AND rl.variant_id = ?2 AND cl.location_id = ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_int64 (stmt, 3, location_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    drift = drift_from_row (stmt);
  omni_db_reset (stmt);
  if (drift == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "The channel already shows what OmniStock expects for this variant and location,"
                 " so there is nothing to fix");
  return drift;
}

/**
 * omni_store_explain_drift:
 * @limit: at most this many local movements (0: 50)
 *
 * What explains a drift, oldest first: the channel's quantity as last seen,
 * the local movements at that location since then, and the outbox entries
 * of the variant that have not reached the channel.
 *
 * Returns: (transfer full) (element-type OmniDriftEvent): the events
 */
GPtrArray *
omni_store_explain_drift (OmniStore  *self,
                          gint64      channel_id,
                          gint64      variant_id,
                          gint64      location_id,
                          guint       limit,
                          GError    **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_drift_event_free);
  g_autoptr(OmniDrift) drift = NULL;
  OmniDriftEvent *event;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  drift = get_drift (self, channel_id, variant_id, location_id, error);
  if (drift == NULL)
    return NULL;

  event = g_new0 (OmniDriftEvent, 1);
  event->at = g_strdup (drift->remote_seen_at);
  event->side = g_strdup ("remote");
  event->what = g_strdup ("seen");
  event->quantity = drift->remote;
  event->detail = g_strdup_printf ("The channel had %" G_GINT64_FORMAT " at %s", drift->remote,
                                   drift->location_name);
  g_ptr_array_add (events, event);

  stmt = _omni_store_prepare (self,
                              "SELECT created_at, reason, on_hand_delta - committed_delta,"
                              " coalesce (reference, ''), source, actor FROM movements"
                              " WHERE variant_id = ?1 AND location_id = ?2 AND created_at >= ?3"
                              " AND on_hand_delta - committed_delta <> 0"
                              " ORDER BY id DESC LIMIT ?4",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  omni_db_bind_text (stmt, 3, drift->remote_seen_at, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 4, limit > 0 ? limit : 50);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      const char *reference = (const char *)omni_db_column_text (stmt, 3);

      event = g_new0 (OmniDriftEvent, 1);
      event->at = dup_text (stmt, 0);
      event->side = g_strdup ("local");
      event->what = dup_text (stmt, 1);
      event->quantity = omni_db_column_int64 (stmt, 2);
      event->detail = g_strdup_printf ("%+" G_GINT64_FORMAT " %s by %s (%s)%s%s",
                                       event->quantity, event->what,
                                       (const char *)omni_db_column_text (stmt, 5),
                                       (const char *)omni_db_column_text (stmt, 4),
                                       *reference ? ", " : "", reference);
      g_ptr_array_insert (events, 1, event);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the movements");
      return NULL;
    }

  stmt = _omni_store_prepare (self,
                              "SELECT updated_at, state,"
                              " coalesce (CAST (json_extract (payload, '$.quantity') AS INTEGER), -1),"
                              " coalesce (last_error, '') FROM outbox"
                              " WHERE channel_id = ?1 AND variant_id = ?2 AND location_id = ?3"
                              " AND state IN ('pending', 'sending', 'conflict', 'failed')"
                              " ORDER BY id LIMIT 20",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_int64 (stmt, 3, location_id);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      const char *why = (const char *)omni_db_column_text (stmt, 3);

      event = g_new0 (OmniDriftEvent, 1);
      event->at = dup_text (stmt, 0);
      event->side = g_strdup ("remote");
      event->what = dup_text (stmt, 1);
      event->quantity = omni_db_column_int64 (stmt, 2);
      if (event->quantity >= 0)
        event->detail = g_strdup_printf ("A push of %" G_GINT64_FORMAT " is %s%s%s",
                                         event->quantity, event->what, *why ? ": " : "", why);
      else
        event->detail = g_strdup_printf ("A push is %s%s%s", event->what, *why ? ": " : "", why);
      g_ptr_array_add (events, event);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the outbox");
      return NULL;
    }
  return g_steal_pointer (&events);
}

/* Entries that wait for a decision are settled by the fix. */
static gboolean
settle_conflicts (OmniStore   *self,
                  gint64       channel_id,
                  gint64       variant_id,
                  gint64       location_id,
                  const char  *note,
                  GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "UPDATE outbox SET state = 'done', next_attempt_at = NULL,"
                              " last_error = ?4, updated_at = ?5"
                              " WHERE channel_id = ?1 AND variant_id = ?2 AND location_id = ?3"
                              " AND state = 'conflict'",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_int64 (stmt, 3, location_id);
  omni_db_bind_text (stmt, 4, note, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, error);
}

/**
 * omni_store_drift_push_local:
 *
 * Fixes a drift in favour of OmniStock: settles the entries waiting for a
 * decision and queues one push of the local quantity, in one transaction.
 * The pusher sends max (available - buffer, 0) with the quantity last seen
 * as "change from".
 *
 * Returns: the outbox entry, or 0 with @error set
 */
gint64
omni_store_drift_push_local (OmniStore  *self,
                             gint64      channel_id,
                             gint64      variant_id,
                             gint64      location_id,
                             GError    **error)
{
  g_autoptr(OmniDrift) drift = NULL;
  gint64 entry;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (!omni_store_begin (self, error))
    return 0;
  drift = get_drift (self, channel_id, variant_id, location_id, error);
  if (drift == NULL ||
      !settle_conflicts (self, channel_id, variant_id, location_id,
                         "Settled: OmniStock’s quantity is pushed again", error) ||
      (entry = omni_store_enqueue_push (self, channel_id, variant_id, location_id, error)) == 0)
    {
      omni_store_rollback (self);
      return 0;
    }
  if (!omni_store_commit (self, error))
    return 0;
  return entry;
}

/**
 * omni_store_drift_accept_remote:
 * @actor: (nullable): who decided
 * @delta: (out) (optional): the change to on hand recorded
 *
 * Fixes a drift in favour of the channel: one `sync` movement brings the
 * available stock to the channel's quantity plus the link's buffer, and the
 * entries waiting for a decision are settled, in one transaction. The
 * movement names the channel as its source, so nothing is pushed back to it
 * (other channels do receive the new quantity).
 */
gboolean
omni_store_drift_accept_remote (OmniStore   *self,
                                gint64       channel_id,
                                gint64       variant_id,
                                gint64       location_id,
                                const char  *actor,
                                gint64      *delta,
                                GError     **error)
{
  g_autoptr(OmniDrift) drift = NULL;
  g_autofree char *source = g_strdup_printf ("channel:%" G_GINT64_FORMAT, channel_id);
  OmniMovementSpec m = { 0 };
  gint64 buffer;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (delta)
    *delta = 0;
  if (!omni_store_begin (self, error))
    return FALSE;
  drift = get_drift (self, channel_id, variant_id, location_id, error);
  if (drift == NULL)
    goto fail;

  buffer = drift->available - drift->expected;
  if (drift->expected == 0)
    {
      OmniDbStmt *stmt = _omni_store_prepare (self,
                                                "SELECT buffer FROM channel_links"
                                                " WHERE channel_id = ?1 AND variant_id = ?2",
                                                error);

      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, channel_id);
      omni_db_bind_int64 (stmt, 2, variant_id);
      buffer = omni_db_step (stmt) == SQLITE_ROW ? omni_db_column_int64 (stmt, 0) : 0;
      omni_db_reset (stmt);
    }

  m.variant_id = variant_id;
  m.location_id = location_id;
  m.on_hand_delta = drift->remote + buffer - drift->available;
  m.reason = OMNI_REASON_SYNC;
  m.source = source;
  m.note = "Channel quantity accepted in the drift view";
  m.actor = actor;
  if (m.on_hand_delta != 0 && !omni_store_record_movements (self, &m, 1, error))
    goto fail;
  if (!settle_conflicts (self, channel_id, variant_id, location_id,
                         "Settled: the channel’s quantity was accepted", error))
    goto fail;
  if (!omni_store_commit (self, error))
    return FALSE;
  if (delta)
    *delta = m.on_hand_delta;
  return TRUE;

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_channel_fresh_at:
 *
 * Returns: (transfer full) (nullable): when the channel's data was last
 *   confirmed — the later of its last completed sync and its last applied
 *   webhook delivery — or %NULL when never
 */
char *
omni_store_channel_fresh_at (OmniStore *self,
                             gint64     channel_id)
{
  OmniDbStmt *stmt;
  char *at = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT max (coalesce (c.last_sync_at, ''),"
                              " coalesce ((SELECT max (applied_at) FROM webhook_events w"
                              "          WHERE w.channel_id = c.id AND w.state = 'applied'), ''))"
                              " FROM channels c WHERE c.id = ?1",
                              NULL);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    at = dup_text (stmt, 0);
  omni_db_reset (stmt);
  if (at != NULL && *at == '\0')
    g_clear_pointer (&at, g_free);
  return at;
}

/**
 * omni_store_reconcile_is_due:
 * @now_us: the wall-clock time, in microseconds since the epoch
 *
 * Whether the channel's last full reconciliation (the `reconcile` sync
 * cursor) is at least %OMNI_RECONCILE_INTERVAL_US old, or never ran. An
 * unreadable cursor counts as never; one in the future (a clock set back)
 * as due, so a wrong clock cannot postpone the comparison forever.
 */
gboolean
omni_store_reconcile_is_due (OmniStore *self,
                             gint64     channel_id,
                             gint64     now_us)
{
  g_autofree char *cursor = NULL;
  g_autoptr(GDateTime) last = NULL;
  gint64 last_us;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  cursor = omni_store_get_sync_cursor (self, channel_id, OMNI_RECONCILE_CURSOR);
  if (cursor == NULL)
    return TRUE;
  last = g_date_time_new_from_iso8601 (cursor, NULL);
  if (last == NULL)
    return TRUE;
  last_us = g_date_time_to_unix (last) * G_USEC_PER_SEC + g_date_time_get_microsecond (last);
  return last_us > now_us || now_us - last_us >= OMNI_RECONCILE_INTERVAL_US;
}

/**
 * omni_store_record_reconcile:
 * @now_us: when the comparison finished, in microseconds since the epoch
 * @n_drifts: how many variants differ
 * @duration_ms: how long the pull and the comparison took
 * @failure: (nullable): why the comparison could not run, or %NULL
 *
 * Writes a `reconcile` line to the sync log and, when the comparison ran,
 * moves the channel's `reconcile` cursor to @now_us. A failure leaves the
 * cursor alone, so the next scheduled sync tries again.
 */
gboolean
omni_store_record_reconcile (OmniStore   *self,
                             gint64       channel_id,
                             gint64       now_us,
                             guint        n_drifts,
                             gint64       duration_ms,
                             const char  *failure,
                             GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *message = NULL;
  OmniSyncLogEntry entry = { 0 };

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (failure != NULL)
    message = g_strdup_printf ("The full comparison could not run: %s", failure);
  else if (n_drifts == 0)
    message = g_strdup ("Full comparison: the channel shows what OmniStock expects");
  else
    message = g_strdup_printf (n_drifts == 1 ? "Full comparison: %u variant differs"
                                             : "Full comparison: %u variants differ",
                               n_drifts);
  entry.channel_id = channel_id;
  entry.direction = "reconcile";
  entry.operation = "levels";
  entry.status = failure != NULL ? "error" : (n_drifts > 0 ? "conflict" : "ok");
  entry.duration_ms = duration_ms;
  entry.message = message;
  if (failure == NULL)
    {
      now = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);
      if (now == NULL)
        {
          g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                               "The reconciliation time is out of range");
          return FALSE;
        }
      stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
    }

  /* The log line and the cursor move together. */
  if (!omni_store_begin (self, error))
    return FALSE;
  if (!omni_store_log_sync (self, &entry, error) ||
      (stamp != NULL &&
       !omni_store_set_sync_cursor (self, channel_id, OMNI_RECONCILE_CURSOR, stamp, error)))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}
