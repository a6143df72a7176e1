/* omni-cli-catalog.h: reading the catalog: search, product list and show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"
#include "omni-store-catalog.h"

G_BEGIN_DECLS

gboolean omni_cli_search                 (OmniCliContext  *ctx,
                                          GError         **error);
gboolean omni_cli_product_list           (OmniCliContext  *ctx,
                                          GError         **error);
gboolean omni_cli_product_show           (OmniCliContext  *ctx,
                                          GError         **error);

void     omni_cli_json_add_variant       (JsonBuilder           *builder,
                                          const OmniVariantRow  *row);

G_END_DECLS
