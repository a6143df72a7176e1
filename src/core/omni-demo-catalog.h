/* omni-demo-catalog.h: the products of the demo shop, Fernwood Outfitters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_DEMO_MAX_VENDORS 8

/**
 * OmniDemoProduct:
 * @spec: ready for omni_store_create_product(); its strings are static or
 *   point into @option_names, so keep the struct where it is while used
 * @vendor: index of the vendor, below %OMNI_DEMO_MAX_VENDORS
 * @lead_days: days from a purchase order to its delivery
 */
typedef struct
{
  OmniProductSpec spec;
  char            option_names[3][24];
  guint           vendor;
  guint           lead_days;
} OmniDemoProduct;

/**
 * OmniDemoItem:
 * @product: index of its product, for omni_demo_catalog_get_product()
 * @title: product title and option values, as an order line shows them
 * @barcode: an EAN-13, or %NULL for the few without one
 * @compare_at: -1 for none
 * @reorder_point: the catalog's minimum; -1 for none
 * @reorder_qty: the catalog's minimum; -1 for none
 * @demand: the variant's share of the shop's sales, before the seed varies
 *   it; 0 for what never sells and for drafts and archived products
 *
 * One variant of the catalog.
 */
typedef struct
{
  guint      product;
  char      *sku;
  char      *barcode;
  char      *title;
  char      *options[3];
  OmniMoney  price;
  OmniMoney  compare_at;
  OmniMoney  cost;
  gint64     grams;
  gint64     reorder_point;
  gint64     reorder_qty;
  double     demand;
} OmniDemoItem;

guint    omni_demo_catalog_n_products  (void);
void     omni_demo_catalog_get_product (guint            index,
                                        OmniDemoProduct *product);
GArray  *omni_demo_catalog_expand      (void);

G_END_DECLS
