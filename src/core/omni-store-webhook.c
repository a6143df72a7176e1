/* omni-store-webhook.c: the durable queue of webhook deliveries and the
 * store side of applying them
 *
 * A delivery is stored (de-duplicated on the platform's event id) before the
 * receiver answers, then applied by a worker that reads the queue oldest
 * first. Orders go through omni_store_record_order() and
 * omni_store_cancel_channel_order(), exactly like the polling path, so the
 * two paths cannot count an order twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-private.h"
#include "omni-store-channel.h"
#include "omni-store-webhook.h"

#define SETTING_DUPLICATES "webhook.duplicates"
#define SETTING_REJECTED   "webhook.rejected"

static char *
dup_text (OmniDbStmt *stmt,
          int           column)
{
  const unsigned char *text = omni_db_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *)text) : NULL;
}

void
omni_webhook_event_free (OmniWebhookEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->event_id);
  g_free (event->topic);
  g_free (event->body);
  g_free (event->state);
  g_free (event->error);
  g_free (event->received_at);
  g_free (event->applied_at);
  g_free (event);
}

void
omni_webhook_stats_clear (OmniWebhookStats *stats)
{
  g_clear_pointer (&stats->last_received_at, g_free);
}

/**
 * omni_store_queue_webhook:
 * @duplicate: (out): %TRUE when (@channel_id, @event_id) was seen before;
 *   then nothing is written
 *
 * Stores a verified delivery as `queued`, durably (the caller answers the
 * platform only after this returns).
 *
 * Returns: the row id (of the first delivery for a duplicate), or 0 with
 *   @error set
 */
gint64
omni_store_queue_webhook (OmniStore   *self,
                          gint64       channel_id,
                          const char  *event_id,
                          const char  *topic,
                          const char  *body,
                          gboolean    *duplicate,
                          GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  g_autoptr(GError) local_error = NULL;
  OmniDbStmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (duplicate != NULL, 0);

  *duplicate = FALSE;
  if (event_id == NULL || *event_id == '\0' || topic == NULL || *topic == '\0')
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A webhook delivery needs an event id and a topic");
      return 0;
    }

  if (!omni_store_begin (self, error))
    return 0;

  /* One statement decides: two instances receiving the same delivery at
   * once (each on its own connection to one PostgreSQL database) meet at
   * the unique index, and the second one waits for the first to commit,
   * then inserts nothing. */
  stmt = _omni_store_prepare (self,
                              "INSERT INTO webhook_events (channel_id, event_id, topic, body,"
                              " state, received_at) VALUES (?1, ?2, ?3, ?4, 'queued', ?5)"
                              " ON CONFLICT (channel_id, event_id) DO NOTHING"
                              " RETURNING id",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, event_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, topic, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 4, body);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  id = _omni_store_step_insert (self, stmt, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (id > 0)
    {
      if (!omni_store_commit (self, error))
        return 0;
      return id;
    }

  /* Seen before: the first delivery's row, committed by now. */
  stmt = _omni_store_prepare (self,
                              "SELECT id FROM webhook_events WHERE channel_id = ?1 AND event_id = ?2",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, event_id, -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      /* Another connection pruned it between the two statements. */
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_BUSY,
                   "Webhook delivery “%s” was removed while it was being recorded; "
                   "try again", event_id);
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not read the webhook deliveries");
      goto fail;
    }
  *duplicate = TRUE;
  omni_store_rollback (self);
  return id;

fail:
  omni_store_rollback (self);
  return 0;
}

static OmniWebhookEvent *
event_from_row (OmniDbStmt *stmt)
{
  OmniWebhookEvent *event = g_new0 (OmniWebhookEvent, 1);

  event->id = omni_db_column_int64 (stmt, 0);
  event->channel_id = omni_db_column_int64 (stmt, 1);
  event->event_id = dup_text (stmt, 2);
  event->topic = dup_text (stmt, 3);
  event->body = dup_text (stmt, 4);
  event->state = dup_text (stmt, 5);
  event->error = dup_text (stmt, 6);
  event->received_at = dup_text (stmt, 7);
  event->applied_at = dup_text (stmt, 8);
  return event;
}

#define EVENT_COLUMNS \
  "id, coalesce (channel_id, 0), event_id, topic, body, state, error, received_at, applied_at"

/**
 * omni_store_next_webhook:
 *
 * Returns: (transfer full) (nullable): the oldest queued delivery, or %NULL
 *   when the queue is empty (@error unset) or on failure (@error set)
 */
OmniWebhookEvent *
omni_store_next_webhook (OmniStore  *self,
                         GError    **error)
{
  OmniDbStmt *stmt;
  OmniWebhookEvent *event = NULL;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT " EVENT_COLUMNS " FROM webhook_events"
                              " WHERE state = 'queued' ORDER BY id LIMIT 1",
                              error);
  if (stmt == NULL)
    return NULL;
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    event = event_from_row (stmt);
  else if (rc != SQLITE_DONE)
    _omni_store_set_error (self, error, rc, "Could not read the webhook queue");
  omni_db_reset (stmt);
  return event;
}

/**
 * omni_store_finish_webhook:
 * @state: "applied", "ignored" or "failed"
 * @message: (nullable): what happened, for `failed` and `ignored`
 */
gboolean
omni_store_finish_webhook (OmniStore   *self,
                           gint64       event_row,
                           const char  *state,
                           const char  *message,
                           GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  if (g_strcmp0 (state, "applied") != 0 && g_strcmp0 (state, "ignored") != 0 &&
      g_strcmp0 (state, "failed") != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is not a final webhook state (applied, ignored or failed)",
                   state ? state : "");
      return FALSE;
    }

  stmt = _omni_store_prepare (self,
                              "UPDATE webhook_events SET state = ?2, error = ?3, applied_at = ?4"
                              " WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, event_row);
  omni_db_bind_text (stmt, 2, state, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 3, message);
  omni_db_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);

  if (!omni_store_begin (self, error))
    {
      omni_db_reset (stmt);
      return FALSE;
    }
  if (!_omni_store_step_done (self, stmt, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

/**
 * omni_store_list_webhooks:
 * @channel_id: a channel, or 0 for all
 *
 * Returns: (transfer full) (element-type OmniWebhookEvent): the newest
 *   deliveries first
 */
GPtrArray *
omni_store_list_webhooks (OmniStore  *self,
                          gint64      channel_id,
                          guint       limit,
                          GError    **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_webhook_event_free);
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT " EVENT_COLUMNS " FROM webhook_events"
                              " WHERE ?1 = 0 OR channel_id = ?1 ORDER BY id DESC LIMIT ?2",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : G_MAXINT64);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, event_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the webhook deliveries");
      return NULL;
    }
  return g_steal_pointer (&events);
}

static gint64
setting_int (OmniStore  *self,
             const char *key)
{
  g_autofree char *value = omni_store_get_setting (self, key);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static gboolean
add_to_setting (OmniStore   *self,
                const char  *key,
                gint64       amount,
                GError     **error)
{
  OmniDbStmt *stmt;

  if (amount == 0)
    return TRUE;
  stmt = _omni_store_prepare (self,
                              "INSERT INTO settings (key, value) VALUES (?1, CAST (?2 AS TEXT))"
                              " ON CONFLICT (key) DO UPDATE SET"
                              " value = CAST (CAST (settings.value AS BIGINT) + ?2 AS TEXT)",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  omni_db_bind_int64 (stmt, 2, amount);
  return _omni_store_step_done (self, stmt, error);
}

/**
 * omni_store_add_webhook_counts:
 *
 * Adds to the counters of duplicate and rejected deliveries (kept in
 * settings: a rejected delivery stores nothing else).
 */
gboolean
omni_store_add_webhook_counts (OmniStore  *self,
                               gint64      duplicates,
                               gint64      rejected,
                               GError    **error)
{
  if (duplicates == 0 && rejected == 0)
    return TRUE;
  if (!omni_store_begin (self, error))
    return FALSE;
  /* Added in the statement, not read and written back: another instance
   * may be counting at the same time. */
  if (!add_to_setting (self, SETTING_DUPLICATES, duplicates, error) ||
      !add_to_setting (self, SETTING_REJECTED, rejected, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

/**
 * omni_store_get_webhook_stats:
 * @channel_id: a channel, or 0 for all (the duplicate and rejected
 *   counters are always for all channels)
 */
gboolean
omni_store_get_webhook_stats (OmniStore         *self,
                              gint64             channel_id,
                              OmniWebhookStats  *stats,
                              GError           **error)
{
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);
  stmt = _omni_store_prepare (self,
                              "SELECT count(*), total (state = 'queued'), total (state = 'applied'),"
                              " total (state = 'ignored'), total (state = 'failed'), max (received_at)"
                              " FROM webhook_events WHERE ?1 = 0 OR channel_id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stats->received = omni_db_column_int64 (stmt, 0);
      stats->queued = omni_db_column_int64 (stmt, 1);
      stats->applied = omni_db_column_int64 (stmt, 2);
      stats->ignored = omni_db_column_int64 (stmt, 3);
      stats->failed = omni_db_column_int64 (stmt, 4);
      stats->last_received_at = dup_text (stmt, 5);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not count the webhook deliveries");
      return FALSE;
    }
  stats->duplicates = setting_int (self, SETTING_DUPLICATES);
  stats->rejected = setting_int (self, SETTING_REJECTED);
  return TRUE;
}

/**
 * omni_store_webhook_order_cancelled:
 *
 * Whether an applied delivery already said that the order @order_gid was
 * cancelled. Deliveries arrive in any order: a late `orders/create` for an
 * order whose cancellation came first must not sell anything.
 */
gboolean
omni_store_webhook_order_cancelled (OmniStore  *self,
                                    gint64      channel_id,
                                    const char *order_gid)
{
  OmniDbStmt *stmt;
  gboolean found = FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT 1 FROM webhook_events WHERE channel_id = ?1"
                              " AND state = 'applied' AND topic IN ('orders/cancelled', 'orders/updated')"
                              " AND json_valid (body)"
                              " AND body ->> '$.admin_graphql_api_id' = ?2"
                              " AND body ->> '$.cancelled_at' IS NOT NULL LIMIT 1",
                              NULL);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, order_gid, -1, SQLITE_TRANSIENT);
  found = omni_db_step (stmt) == SQLITE_ROW;
  omni_db_reset (stmt);
  return found;
}

/**
 * omni_store_apply_webhook_level:
 * @location_id: the local location mapped to @remote_location_id
 * @remote_updated_us: when the platform changed the level
 * @result: (out): what happened
 *
 * Records a remote quantity pushed by the platform, unless the quantity last
 * seen for that level is newer (deliveries arrive in any order; a pull or an
 * acknowledged push counts as seen at the time it happened). The store is the
 * truth: a quantity that differs from the one the channel should have
 * enqueues a push; if a local push was already waiting and the remote
 * quantity changed meanwhile, that push becomes a visible conflict instead
 * of silently overwriting the remote change.
 */
gboolean
omni_store_apply_webhook_level (OmniStore               *self,
                                gint64                   channel_id,
                                gint64                   variant_id,
                                gint64                   location_id,
                                const char              *remote_location_id,
                                gint64                   quantity,
                                gint64                   remote_updated_us,
                                OmniWebhookLevelResult  *result,
                                GError                 **error)
{
  g_autofree char *remote_at = _omni_store_format_time (remote_updated_us);
  g_autofree char *seen_at = NULL;
  g_autofree char *now = _omni_store_format_time (0);
  g_autofree char *message = NULL;
  OmniDbStmt *stmt;
  gboolean have_seen = FALSE;
  gint64 seen_quantity = 0;
  gint64 buffer = 0;
  gint64 expected;
  gint changed_pending;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (remote_location_id != NULL, FALSE);

  *result = OMNI_WEBHOOK_LEVEL_STALE;
  if (remote_updated_us <= 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The inventory level update has no valid “updated_at” time");
      return FALSE;
    }

  if (!omni_store_begin (self, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT quantity, updated_at FROM channel_levels WHERE channel_id = ?1"
                              " AND variant_id = ?2 AND remote_location_id = ?3",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_text (stmt, 3, remote_location_id, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      have_seen = TRUE;
      seen_quantity = omni_db_column_int64 (stmt, 0);
      seen_at = dup_text (stmt, 1);
    }
  omni_db_reset (stmt);

  if (have_seen && g_strcmp0 (remote_at, seen_at) < 0)
    {
      /* Older than what we know: never move the level backwards. */
      omni_store_rollback (self);
      return TRUE;
    }

  stmt = _omni_store_prepare (self,
                              "INSERT INTO channel_levels (channel_id, variant_id,"
                              " remote_location_id, quantity, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)"
                              " ON CONFLICT (channel_id, variant_id, remote_location_id)"
                              " DO UPDATE SET quantity = excluded.quantity,"
                              " updated_at = excluded.updated_at",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_text (stmt, 3, remote_location_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 4, quantity);
  omni_db_bind_text (stmt, 5, remote_at, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;

  stmt = _omni_store_prepare (self,
                              "SELECT buffer FROM channel_links WHERE channel_id = ?1 AND variant_id = ?2",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    buffer = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);

  expected = MAX (omni_store_get_available_at (self, variant_id, location_id) - buffer, 0);

  changed_pending = 0;
  /* A remote change that leaves the channel where the store wants it needs
   * no decision; any other one, while a push waits, does. */
  if (have_seen && seen_quantity != quantity && quantity != expected)
    {
      message = g_strdup_printf ("The channel's quantity changed from %" G_GINT64_FORMAT
                                 " to %" G_GINT64_FORMAT " while this push was waiting",
                                 seen_quantity, quantity);
      stmt = _omni_store_prepare (self,
                                  "UPDATE outbox SET state = 'conflict', next_attempt_at = NULL,"
                                  " last_error = ?4, updated_at = ?5"
                                  " WHERE channel_id = ?1 AND variant_id = ?2 AND location_id = ?3"
                                  " AND state = 'pending'",
                                  error);
      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, channel_id);
      omni_db_bind_int64 (stmt, 2, variant_id);
      omni_db_bind_int64 (stmt, 3, location_id);
      omni_db_bind_text (stmt, 4, message, -1, SQLITE_TRANSIENT);
      omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        goto fail;
      changed_pending = omni_db_changes (_omni_store_get_db (self));
    }

  if (changed_pending > 0)
    *result = OMNI_WEBHOOK_LEVEL_CONFLICT;
  else if (quantity != expected)
    *result = OMNI_WEBHOOK_LEVEL_PUSH;
  else
    *result = OMNI_WEBHOOK_LEVEL_IN_SYNC;

  if (*result != OMNI_WEBHOOK_LEVEL_IN_SYNC &&
      omni_store_enqueue_push (self, channel_id, variant_id, location_id, error) == 0)
    goto fail;

  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_request_product_refresh:
 * @product_gid: the remote product that changed
 *
 * Marks the channel for a pull when the product has linked variants: the
 * `refresh` cursor holds the time of the request, so the next pull relinks
 * them.
 *
 * Returns: the number of linked variants of that product (0: nothing
 *   marked), or -1 with @error set
 */
gint64
omni_store_request_product_refresh (OmniStore   *self,
                                    gint64       channel_id,
                                    const char  *product_gid,
                                    GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;
  gint64 links = 0;

  stmt = _omni_store_prepare (self,
                              "SELECT count(*) FROM channel_links WHERE channel_id = ?1"
                              " AND remote_product_id = ?2",
                              error);
  if (stmt == NULL)
    return -1;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, product_gid, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    links = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);

  if (links > 0 && !omni_store_set_sync_cursor (self, channel_id, "refresh", now, error))
    return -1;
  return links;
}

/* Refunds ------------------------------------------------------------- */

static gboolean
movement_exists (OmniStore  *self,
                 const char *op_id)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, "SELECT 1 FROM movements WHERE op_id = ?1", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  found = omni_db_step (stmt) == SQLITE_ROW;
  omni_db_reset (stmt);
  return found;
}

/**
 * omni_store_record_refund:
 * @refund: the refund, as the webhook or the polling path read it
 * @returned: (out) (optional): units this call brought back into stock
 *
 * Applies a channel refund exactly once. Each restocked line of a linked
 * variant becomes a `returned` movement whose op_id is derived from the
 * refund line's id (`refund:CHANNEL:LINE:returned`), so a refund delivered
 * by webhook and seen again by a poll, in either order, returns its units
 * once. The units also count as refunded on the order's line, which the
 * cancellation path leaves alone; a refund that arrives before its order
 * files its movements under the order (operation `refund:CHANNEL:ORDER`) and
 * omni_store_record_order() counts them when the order comes. Lines not restocked (or restocked by the
 * cancellation itself) move no stock. The movements carry the channel as
 * source: the channel restocked them already, so nothing is pushed back.
 */
gboolean
omni_store_record_refund (OmniStore             *self,
                          const OmniRefundSpec  *refund,
                          gint64                *returned,
                          GError               **error)
{
  g_autofree char *source = NULL;
  g_autofree char *operation = NULL;
  gint64 order_id = 0, order_location = 0, total = 0;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (refund != NULL, FALSE);

  if (returned)
    *returned = 0;
  if (refund->channel_id <= 0 || refund->remote_id == NULL || *refund->remote_id == '\0' ||
      refund->order_remote_id == NULL || *refund->order_remote_id == '\0' ||
      strlen (refund->order_remote_id) > 150)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A refund needs a channel, its own id and its order’s id");
      return FALSE;
    }
  for (guint i = 0; i < refund->n_lines; i++)
    if (refund->lines[i].restock &&
        (refund->lines[i].remote_line_id == NULL || *refund->lines[i].remote_line_id == '\0' ||
         strlen (refund->lines[i].remote_line_id) > 100 || refund->lines[i].quantity <= 0 ||
         refund->lines[i].quantity > 1000000))
      {
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                     "Line %u of refund %s has no id or a quantity out of range", i + 1,
                     refund->remote_id);
        return FALSE;
      }

  stmt = _omni_store_prepare (self,
                              "SELECT id, coalesce (location_id, 0) FROM orders"
                              " WHERE coalesce (channel_id, 0) = ?1 AND remote_id = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, refund->channel_id);
  omni_db_bind_text (stmt, 2, refund->order_remote_id, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      order_id = omni_db_column_int64 (stmt, 0);
      order_location = omni_db_column_int64 (stmt, 1);
    }
  omni_db_reset (stmt);
  if (order_location == 0)
    order_location = omni_store_channel_order_location (self, refund->channel_id);

  source = g_strdup_printf ("channel:%" G_GINT64_FORMAT, refund->channel_id);
  operation = _omni_store_refund_operation (refund->channel_id, refund->order_remote_id);
  if (!omni_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < refund->n_lines; i++)
    {
      const OmniRefundLineSpec *line = &refund->lines[i];
      g_autofree char *op_id = NULL;
      OmniMovementSpec m = { 0 };

      if (!line->restock || line->variant_id <= 0)
        continue;
      op_id = g_strdup_printf ("refund:%" G_GINT64_FORMAT ":%s:returned", refund->channel_id,
                               line->remote_line_id);
      if (movement_exists (self, op_id))
        continue;

      m.variant_id = line->variant_id;
      m.location_id = line->location_id > 0 ? line->location_id : order_location;
      m.on_hand_delta = line->quantity;
      m.reason = OMNI_REASON_RETURNED;
      m.source = source;
      m.reference = refund->order_name ? refund->order_name : refund->order_remote_id;
      m.note = "Refunded and restocked on the channel";
      m.actor = refund->actor;
      m.op_id = op_id;
      m.operation = operation;
      m.time_us = refund->time_us;
      if (m.location_id <= 0)
        continue;
      if (!omni_store_record_movements (self, &m, 1, error))
        goto fail;
      total += line->quantity;

      /* An order not recorded yet finds these units under its operation
       * when it is, and counts them as refunded then. */
      if (order_id != 0 &&
          !_omni_store_mark_order_refunded (self, order_id, line->variant_id, line->quantity, error))
        goto fail;
    }

  if (!omni_store_commit (self, error))
    return FALSE;
  if (returned)
    *returned = total;
  return TRUE;

fail:
  omni_store_rollback (self);
  return FALSE;
}
