/* omni-product-columns.h: the columns of the product list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OMNI_TYPE_PRODUCT_COLUMNS (omni_product_columns_get_type ())
G_DECLARE_FINAL_TYPE (OmniProductColumns, omni_product_columns, OMNI, PRODUCT_COLUMNS, GObject)

OmniProductColumns   *omni_product_columns_new          (GtkColumnView      *view);
void                  omni_product_columns_set_currency (OmniProductColumns *self,
                                                         const char         *currency);
void                  omni_product_columns_set_narrow   (OmniProductColumns *self,
                                                         gboolean            narrow);
gboolean              omni_product_columns_get_narrow   (OmniProductColumns *self);
GtkColumnViewColumn  *omni_product_columns_get_column   (OmniProductColumns *self,
                                                         const char         *id);
gboolean              omni_product_columns_find_position (GtkColumnView     *view,
                                                          GtkWidget         *widget,
                                                          guint             *position);

G_END_DECLS
