/* omni-cli-ebay.h: `channel add ebay`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_channel_add_ebay (OmniCliContext  *ctx,
                                    GError         **error);

G_END_DECLS
