/* omni-cli-channel-settings.h: a channel's sync settings and what it will list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_channel_settings (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_channel_preview  (OmniCliContext  *ctx,
                                    GError         **error);

G_END_DECLS
