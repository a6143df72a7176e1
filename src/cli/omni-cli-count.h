/* omni-cli-count.h: stock counts from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_count_start    (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_scan     (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_show     (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_commit   (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_cancel   (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_list     (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_set      (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_remove   (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_count_link     (OmniCliContext  *ctx,
                                  GError         **error);

G_END_DECLS
