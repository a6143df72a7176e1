/* omni-cli-product.h: changing the catalog: product add, archive, duplicate, edit-variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

/* The most variants `product add` makes from its options: as many as the
 * largest channel accepts for one product, and a guard against a typo that
 * would multiply into thousands.
 */
#define OMNI_CLI_MAX_VARIANTS 2048

gboolean omni_cli_product_add            (OmniCliContext  *ctx,
                                          GError         **error);
gboolean omni_cli_product_archive        (OmniCliContext  *ctx,
                                          GError         **error);
gboolean omni_cli_product_duplicate      (OmniCliContext  *ctx,
                                          GError         **error);
gboolean omni_cli_product_edit_variant   (OmniCliContext  *ctx,
                                          GError         **error);

G_END_DECLS
