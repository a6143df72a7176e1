/* omni-cli-channel.h: sales channels, sync and the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_channel_add       (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_list      (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_remove    (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_locations (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_map       (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_reauth    (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_sync              (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_outbox_list       (OmniCliContext  *ctx,
                                     GError         **error);

G_END_DECLS
