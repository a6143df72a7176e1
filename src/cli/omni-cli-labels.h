/* omni-cli-labels.h: barcode labels from omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_labels (OmniCliContext  *ctx,
                          GError         **error);

G_END_DECLS
