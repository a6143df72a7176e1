/* omni-products-page.h: the Products page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"
#include "omni-variant-list.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PRODUCTS_PAGE (omni_products_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniProductsPage, omni_products_page, OMNI, PRODUCTS_PAGE, OmniPage)

GtkWidget       *omni_products_page_new                      (OmniContext      *context);
GArray          *omni_products_page_dup_selected_variant_ids (OmniProductsPage *self);
void             omni_products_page_list_selected_variant_ids_async  (OmniProductsPage    *self,
                                                                      GCancellable        *cancellable,
                                                                      GAsyncReadyCallback  callback,
                                                                      gpointer             user_data);
GArray          *omni_products_page_list_selected_variant_ids_finish (OmniProductsPage    *self,
                                                                      GAsyncResult        *result,
                                                                      GError             **error);
guint            omni_products_page_get_n_selected           (OmniProductsPage *self);
void             omni_products_page_select_all               (OmniProductsPage *self);
OmniVariantList *omni_products_page_get_list                 (OmniProductsPage *self);
GtkColumnView   *omni_products_page_get_column_view          (OmniProductsPage *self);
GtkWidget       *omni_products_page_get_search_entry         (OmniProductsPage *self);
GtkWidget       *omni_products_page_get_filter_bar           (OmniProductsPage *self);
const char      *omni_products_page_get_state                (OmniProductsPage *self);
gboolean         omni_products_page_get_busy                 (OmniProductsPage *self);
GtkWidget       *omni_products_page_get_editor               (OmniProductsPage *self);
GtkWidget       *omni_products_page_open_editor              (OmniProductsPage *self,
                                                              gint64            product_id,
                                                              gint64            variant_id);

G_END_DECLS
