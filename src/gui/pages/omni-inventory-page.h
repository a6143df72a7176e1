/* omni-inventory-page.h: the Inventory page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"
#include "omni-store-catalog.h"

G_BEGIN_DECLS

#define OMNI_TYPE_INVENTORY_PAGE (omni_inventory_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniInventoryPage, omni_inventory_page, OMNI, INVENTORY_PAGE, OmniPage)

GtkWidget          *omni_inventory_page_new            (OmniContext       *context);
GListModel         *omni_inventory_page_get_model      (OmniInventoryPage *self);
GtkSelectionModel  *omni_inventory_page_get_selection  (OmniInventoryPage *self);
gboolean            omni_inventory_page_get_loading    (OmniInventoryPage *self);
void                omni_inventory_page_set_search     (OmniInventoryPage *self,
                                                        const char        *text);
gboolean            omni_inventory_page_set_location   (OmniInventoryPage *self,
                                                        gint64             location_id);
void                omni_inventory_page_show_stock     (OmniInventoryPage *self,
                                                        OmniStockFilter    filter);
GObject            *omni_inventory_page_get_alerts_monitor (OmniInventoryPage *self);
guint               omni_inventory_page_get_notifications_sent (OmniInventoryPage *self);

G_END_DECLS
