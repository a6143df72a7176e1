/* omni-variant-item.h: one row of the product list, loaded lazily
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "omni-store-catalog.h"

G_BEGIN_DECLS

#define OMNI_TYPE_VARIANT_ITEM (omni_variant_item_get_type ())
G_DECLARE_FINAL_TYPE (OmniVariantItem, omni_variant_item, OMNI, VARIANT_ITEM, GObject)

OmniVariantItem      *omni_variant_item_new           (guint                 position);
guint                 omni_variant_item_get_position  (OmniVariantItem      *self);
gboolean              omni_variant_item_get_loaded    (OmniVariantItem      *self);
const OmniVariantRow *omni_variant_item_get_row       (OmniVariantItem      *self);
void                  omni_variant_item_set_row       (OmniVariantItem      *self,
                                                       OmniVariantRow       *row);
gint64                omni_variant_item_get_id        (OmniVariantItem      *self);
const char           *omni_variant_item_get_title     (OmniVariantItem      *self);
const char           *omni_variant_item_get_sku       (OmniVariantItem      *self);
const char           *omni_variant_item_get_stock_state (OmniVariantItem    *self);

G_END_DECLS
