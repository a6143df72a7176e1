/* omni-inventory-page.h: the Inventory page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"

G_BEGIN_DECLS

#define OMNI_TYPE_INVENTORY_PAGE (omni_inventory_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniInventoryPage, omni_inventory_page, OMNI, INVENTORY_PAGE, OmniPage)

GtkWidget *omni_inventory_page_new (OmniContext *context);

G_END_DECLS
