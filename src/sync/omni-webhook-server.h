/* omni-webhook-server.h: the optional receiver of Shopify webhooks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Bodies above this are refused with 413 before they are read. */
#define OMNI_WEBHOOK_MAX_BODY      (1024 * 1024)
#define OMNI_WEBHOOK_SHOPIFY_PATH  "/webhooks/shopify"
#define OMNI_WEBHOOK_DEFAULT_BIND  "127.0.0.1"
#define OMNI_WEBHOOK_DEFAULT_PORT  8787
/* The keyring entry (platform, account = shop domain) of a webhook signing
 * secret, for channels signed in with a legacy access token. Channels of a
 * Dev Dashboard app use the app's client secret, already in the keyring. */
#define OMNI_WEBHOOK_SECRET_PLATFORM "shopify-webhook"

#define OMNI_TYPE_WEBHOOK_SERVER (omni_webhook_server_get_type ())
G_DECLARE_FINAL_TYPE (OmniWebhookServer, omni_webhook_server, OMNI, WEBHOOK_SERVER, GObject)

OmniWebhookServer *omni_webhook_server_new            (const char         *db_path);
void               omni_webhook_server_set_channel    (OmniWebhookServer  *self,
                                                       gint64              channel_id);
gboolean           omni_webhook_server_start          (OmniWebhookServer  *self,
                                                       const char         *address,
                                                       guint               port,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
void               omni_webhook_server_stop           (OmniWebhookServer  *self);
guint              omni_webhook_server_get_port       (OmniWebhookServer  *self);
char              *omni_webhook_server_get_url        (OmniWebhookServer  *self);
guint              omni_webhook_server_count_channels (OmniWebhookServer  *self,
                                                       guint              *with_secret);
gboolean           omni_webhook_server_wait_idle      (OmniWebhookServer  *self,
                                                       guint               timeout_ms);

char              *omni_webhook_sign                  (const char         *secret,
                                                       const guint8       *body,
                                                       gsize               length);
gboolean           omni_webhook_verify                (const char         *secret,
                                                       const guint8       *body,
                                                       gsize               length,
                                                       const char         *header);

G_END_DECLS
