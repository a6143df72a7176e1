/* omni-webhook-server-private.h: the webhook receiver without HTTP
 *
 * For the fuzz target only: the same checks (path, size, shop, HMAC, topic,
 * event id), queueing and topic dispatch as a delivery over HTTP, with the
 * signing secret given instead of read from the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"
#include "omni-webhook-server.h"

G_BEGIN_DECLS

void  _omni_webhook_server_add_target   (OmniWebhookServer *self,
                                         gint64             channel_id,
                                         const char        *account,
                                         const char        *secret);
guint _omni_webhook_server_receive      (OmniWebhookServer *self,
                                         OmniStore         *queue_store,
                                         const char        *path,
                                         const char        *shop,
                                         const char        *hmac,
                                         const char        *topic,
                                         const char        *event_id,
                                         const char        *webhook_id,
                                         const guint8      *body,
                                         gsize              length);
guint _omni_webhook_server_apply_queued (OmniStore         *store);

G_END_DECLS
