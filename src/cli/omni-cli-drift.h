/* omni-cli-drift.h: reconciliation of a channel's quantities
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_channel_drift (OmniCliContext  *ctx,
                                 GError         **error);

G_END_DECLS
