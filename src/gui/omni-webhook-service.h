/* omni-webhook-service.h: the webhook receiver while the app is open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OMNI_TYPE_WEBHOOK_SERVICE (omni_webhook_service_get_type ())
G_DECLARE_FINAL_TYPE (OmniWebhookService, omni_webhook_service, OMNI, WEBHOOK_SERVICE, GObject)

OmniWebhookService *omni_webhook_service_new          (GSettings          *settings);
void                omni_webhook_service_set_database (OmniWebhookService *self,
                                                       const char         *db_path);
gboolean            omni_webhook_service_is_running   (OmniWebhookService *self);
gboolean            omni_webhook_service_is_busy      (OmniWebhookService *self);
guint               omni_webhook_service_get_port     (OmniWebhookService *self);
const char         *omni_webhook_service_get_status   (OmniWebhookService *self);
const char         *omni_webhook_service_get_error    (OmniWebhookService *self);
void                omni_webhook_service_shutdown     (OmniWebhookService *self);

G_END_DECLS
