/* omni-cli-webhook.h: the webhook receiver from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_webhook_serve  (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_webhook_status (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_webhook_secret (OmniCliContext  *ctx,
                                  GError         **error);

G_END_DECLS
