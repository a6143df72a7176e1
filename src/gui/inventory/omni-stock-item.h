/* omni-stock-item.h: one variant at one location, in the inventory list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "omni-store-catalog.h"
#include "omni-store-inventory.h"

G_BEGIN_DECLS

#define OMNI_TYPE_STOCK_ITEM (omni_stock_item_get_type ())
G_DECLARE_FINAL_TYPE (OmniStockItem, omni_stock_item, OMNI, STOCK_ITEM, GObject)

OmniStockItem *omni_stock_item_new              (guint                 position);
guint          omni_stock_item_get_position     (OmniStockItem        *self);
gboolean       omni_stock_item_get_loaded       (OmniStockItem        *self);
void           omni_stock_item_set_data         (OmniStockItem        *self,
                                                 const OmniVariantRow *row,
                                                 const OmniLevel      *level,
                                                 gint64                default_reorder_point);
gint64         omni_stock_item_get_variant_id   (OmniStockItem        *self);
gint64         omni_stock_item_get_location_id  (OmniStockItem        *self);
const char    *omni_stock_item_get_title        (OmniStockItem        *self);
const char    *omni_stock_item_get_options      (OmniStockItem        *self);
const char    *omni_stock_item_get_sku          (OmniStockItem        *self);
const char    *omni_stock_item_get_location     (OmniStockItem        *self);
gint64         omni_stock_item_get_on_hand      (OmniStockItem        *self);
gint64         omni_stock_item_get_committed    (OmniStockItem        *self);
gint64         omni_stock_item_get_available    (OmniStockItem        *self);
gint64         omni_stock_item_get_total_available (OmniStockItem     *self);
gint64         omni_stock_item_get_reorder_point (OmniStockItem       *self);
const char    *omni_stock_item_get_stock_state  (OmniStockItem        *self);
void           omni_stock_item_set_incoming     (OmniStockItem        *self,
                                                 gint64                units);
gint64         omni_stock_item_get_incoming     (OmniStockItem        *self);

G_END_DECLS
