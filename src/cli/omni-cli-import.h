/* omni-cli-import.h: `import` and `export`, CSV in and out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_import (OmniCliContext  *ctx,
                          GError         **error);
gboolean omni_cli_export (OmniCliContext  *ctx,
                          GError         **error);

G_END_DECLS
