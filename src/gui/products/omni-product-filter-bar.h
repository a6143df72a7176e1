/* omni-product-filter-bar.h: vendor, type, tag and stock filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "omni-store-catalog.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PRODUCT_FILTER_BAR (omni_product_filter_bar_get_type ())
G_DECLARE_FINAL_TYPE (OmniProductFilterBar, omni_product_filter_bar, OMNI, PRODUCT_FILTER_BAR,
                      GtkWidget)

GtkWidget      *omni_product_filter_bar_new          (void);
void            omni_product_filter_bar_reload       (OmniProductFilterBar *self,
                                                      const char           *db_path);
gboolean        omni_product_filter_bar_get_busy     (OmniProductFilterBar *self);
const char     *omni_product_filter_bar_get_vendor   (OmniProductFilterBar *self);
void            omni_product_filter_bar_set_vendor   (OmniProductFilterBar *self,
                                                      const char           *vendor);
const char     *omni_product_filter_bar_get_product_type (OmniProductFilterBar *self);
void            omni_product_filter_bar_set_product_type (OmniProductFilterBar *self,
                                                          const char           *product_type);
const char     *omni_product_filter_bar_get_tag      (OmniProductFilterBar *self);
void            omni_product_filter_bar_set_tag      (OmniProductFilterBar *self,
                                                      const char           *tag);
OmniStockFilter omni_product_filter_bar_get_stock    (OmniProductFilterBar *self);
void            omni_product_filter_bar_set_stock    (OmniProductFilterBar *self,
                                                      OmniStockFilter       stock);
gboolean        omni_product_filter_bar_get_active   (OmniProductFilterBar *self);
void            omni_product_filter_bar_clear        (OmniProductFilterBar *self);

G_END_DECLS
