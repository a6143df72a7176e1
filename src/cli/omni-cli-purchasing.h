/* omni-cli-purchasing.h: suppliers and purchase orders from omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_supplier_add   (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_supplier_list  (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_supplier_link  (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_suggest     (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_create      (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_list        (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_show        (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_order       (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_cancel      (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_receive     (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_po_export      (OmniCliContext  *ctx,
                                  GError         **error);

G_END_DECLS
