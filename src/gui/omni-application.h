/* omni-application.h: the OmniStock application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-store.h"
#include "omni-webhook-service.h"

G_BEGIN_DECLS

#define OMNI_TYPE_APPLICATION (omni_application_get_type ())
G_DECLARE_FINAL_TYPE (OmniApplication, omni_application, OMNI, APPLICATION, AdwApplication)

OmniApplication *omni_application_new  (void);
GtkWindow       *omni_application_open (OmniApplication *self,
                                        const char      *path,
                                        gboolean         load_demo);
GtkWindow       *omni_application_open_store (OmniApplication *self,
                                              OmniStore       *store);
OmniWebhookService *omni_application_get_webhook_service (OmniApplication *self);

G_END_DECLS
