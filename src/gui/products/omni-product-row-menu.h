/* omni-product-row-menu.h: the context menu of the product list's rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OMNI_TYPE_PRODUCT_ROW_MENU (omni_product_row_menu_get_type ())
G_DECLARE_FINAL_TYPE (OmniProductRowMenu, omni_product_row_menu, OMNI, PRODUCT_ROW_MENU, GObject)

OmniProductRowMenu *omni_product_row_menu_new             (GtkWidget          *owner,
                                                           GtkColumnView      *view,
                                                           GtkSelectionModel  *selection,
                                                           GMenuModel         *model);
gboolean            omni_product_row_menu_popup_at_focus  (OmniProductRowMenu *self);
gboolean            omni_product_row_menu_popup_at_point  (OmniProductRowMenu *self,
                                                           double              x,
                                                           double              y);
GtkPopover         *omni_product_row_menu_get_popover     (OmniProductRowMenu *self);
void                omni_product_row_menu_present         (OmniProductRowMenu *self);

G_END_DECLS
