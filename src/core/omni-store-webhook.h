/* omni-store-webhook.h: the durable queue of webhook deliveries and the
 * store side of applying them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniWebhookEvent:
 *
 * One delivery kept in `webhook_events`: its platform id (for
 * de-duplication), topic and raw body.
 */
typedef struct
{
  gint64  id;
  gint64  channel_id;
  char   *event_id;
  char   *topic;
  char   *body;
  char   *state;          /* queued, applied, ignored, failed */
  char   *error;
  char   *received_at;
  char   *applied_at;
} OmniWebhookEvent;

/**
 * OmniWebhookStats:
 *
 * What `webhook status` prints. Rejected deliveries store nothing, so
 * @duplicates and @rejected are counters the receiver adds up in settings.
 */
typedef struct
{
  gint64  received;       /* rows in webhook_events */
  gint64  queued;
  gint64  applied;
  gint64  ignored;
  gint64  failed;
  gint64  duplicates;
  gint64  rejected;
  char   *last_received_at;
} OmniWebhookStats;

/**
 * OmniWebhookLevelResult:
 * @OMNI_WEBHOOK_LEVEL_STALE: older than the quantity last seen; nothing changed
 * @OMNI_WEBHOOK_LEVEL_IN_SYNC: recorded; it equals what the store expects
 * @OMNI_WEBHOOK_LEVEL_PUSH: recorded; it differs, so a push was enqueued
 * @OMNI_WEBHOOK_LEVEL_CONFLICT: recorded while a local push was waiting: that
 *   push became a visible conflict and the local quantity is enqueued again
 */
typedef enum
{
  OMNI_WEBHOOK_LEVEL_STALE,
  OMNI_WEBHOOK_LEVEL_IN_SYNC,
  OMNI_WEBHOOK_LEVEL_PUSH,
  OMNI_WEBHOOK_LEVEL_CONFLICT,
} OmniWebhookLevelResult;

gint64            omni_store_queue_webhook        (OmniStore         *self,
                                                   gint64             channel_id,
                                                   const char        *event_id,
                                                   const char        *topic,
                                                   const char        *body,
                                                   gboolean          *duplicate,
                                                   GError           **error);
OmniWebhookEvent *omni_store_next_webhook         (OmniStore         *self,
                                                   GError           **error);
gboolean          omni_store_finish_webhook       (OmniStore         *self,
                                                   gint64             event_row,
                                                   const char        *state,
                                                   const char        *message,
                                                   GError           **error);
GPtrArray        *omni_store_list_webhooks        (OmniStore         *self,
                                                   gint64             channel_id,
                                                   guint              limit,
                                                   GError           **error);
gboolean          omni_store_add_webhook_counts   (OmniStore         *self,
                                                   gint64             duplicates,
                                                   gint64             rejected,
                                                   GError           **error);
gboolean          omni_store_get_webhook_stats    (OmniStore         *self,
                                                   gint64             channel_id,
                                                   OmniWebhookStats  *stats,
                                                   GError           **error);
void              omni_webhook_stats_clear        (OmniWebhookStats  *stats);
void              omni_webhook_event_free         (OmniWebhookEvent  *event);

/**
 * OmniRefundLineSpec:
 * @remote_line_id: the refund line's id on the channel (the key that makes
 *   it count once)
 * @variant_id: the local variant, 0 when the line is not linked
 * @location_id: where it was restocked, 0 for the order's location
 * @restock: %TRUE when the channel put the units back into stock
 */
typedef struct
{
  const char *remote_line_id;
  gint64      variant_id;
  gint64      location_id;
  gint64      quantity;
  gboolean    restock;
} OmniRefundLineSpec;

typedef struct
{
  gint64                    channel_id;
  const char               *remote_id;        /* the refund */
  const char               *order_remote_id;
  const char               *order_name;       /* nullable */
  gint64                    time_us;
  const OmniRefundLineSpec *lines;
  guint                     n_lines;
  const char               *actor;
} OmniRefundSpec;

gboolean          omni_store_record_refund        (OmniStore         *self,
                                                   const OmniRefundSpec *refund,
                                                   gint64            *returned,
                                                   GError           **error);
gboolean          omni_store_webhook_order_cancelled (OmniStore      *self,
                                                      gint64          channel_id,
                                                      const char     *order_gid);
gboolean          omni_store_apply_webhook_level  (OmniStore         *self,
                                                   gint64             channel_id,
                                                   gint64             variant_id,
                                                   gint64             location_id,
                                                   const char        *remote_location_id,
                                                   gint64             quantity,
                                                   gint64             remote_updated_us,
                                                   OmniWebhookLevelResult *result,
                                                   GError           **error);
gint64            omni_store_request_product_refresh (OmniStore      *self,
                                                      gint64          channel_id,
                                                      const char     *product_gid,
                                                      GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniWebhookEvent, omni_webhook_event_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OmniWebhookStats, omni_webhook_stats_clear)

G_END_DECLS
