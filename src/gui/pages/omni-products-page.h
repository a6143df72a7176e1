/* omni-products-page.h: the Products page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PRODUCTS_PAGE (omni_products_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniProductsPage, omni_products_page, OMNI, PRODUCTS_PAGE, OmniPage)

GtkWidget *omni_products_page_new (OmniContext *context);

G_END_DECLS
