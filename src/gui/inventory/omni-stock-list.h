/* omni-stock-list.h: variants × locations as a GListModel paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-stock-item.h"
#include "omni-store-catalog.h"

G_BEGIN_DECLS

/* Variants fetched per query (each gives one row per location shown), and
 * how many such pages stay in memory. */
#define OMNI_STOCK_LIST_VARIANTS_PER_PAGE 50
#define OMNI_STOCK_LIST_MAX_PAGES 40

#define OMNI_TYPE_STOCK_LIST (omni_stock_list_get_type ())
G_DECLARE_FINAL_TYPE (OmniStockList, omni_stock_list, OMNI, STOCK_LIST, GObject)

OmniStockList *omni_stock_list_new              (const char             *db_path);
void           omni_stock_list_set_query        (OmniStockList          *self,
                                                 const OmniVariantQuery *query,
                                                 gint64                  location_id);
const OmniVariantQuery *omni_stock_list_get_query (OmniStockList        *self);
gint64         omni_stock_list_get_location_id  (OmniStockList          *self);
guint          omni_stock_list_get_n_locations  (OmniStockList          *self);
guint          omni_stock_list_get_n_variants   (OmniStockList          *self);
void           omni_stock_list_refresh          (OmniStockList          *self);
gboolean       omni_stock_list_get_loading      (OmniStockList          *self);
guint          omni_stock_list_get_cached_pages (OmniStockList          *self);
GPtrArray     *omni_stock_list_get_locations    (OmniStockList          *self);
const char    *omni_stock_list_get_error        (OmniStockList          *self);

G_END_DECLS
