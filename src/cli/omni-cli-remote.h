/* omni-cli-remote.h: remote variants a sync could not link
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_channel_unmatched (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_link      (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_import    (OmniCliContext  *ctx,
                                     GError         **error);
gboolean omni_cli_channel_ignore    (OmniCliContext  *ctx,
                                     GError         **error);

G_END_DECLS
