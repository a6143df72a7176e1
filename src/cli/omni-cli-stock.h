/* omni-cli-stock.h: stock levels and the ledger: stock, adjust, set,
 * transfer, undo, history, alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_stock            (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_adjust           (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_set              (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_transfer         (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_undo             (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_history          (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_alerts           (OmniCliContext  *ctx,
                                    GError         **error);

void     omni_cli_json_add_levels  (JsonBuilder     *builder,
                                    GPtrArray       *levels);

G_END_DECLS
