/* omni-cli-backup.h: backup and restore of the whole database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_backup  (OmniCliContext  *ctx,
                           GError         **error);
gboolean omni_cli_restore (OmniCliContext  *ctx,
                           GError         **error);

G_END_DECLS
