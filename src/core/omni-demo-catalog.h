/* omni-demo-catalog.h: what the demo shop stocks, and how it restocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_DEMO_MAX_VENDORS 8

/* Where stock sits: the shop floor sells, the back room refills it. */
#define OMNI_DEMO_FLOOR       0
#define OMNI_DEMO_BACK        1
#define OMNI_DEMO_N_LOCATIONS 2

/* What the last days of the history do to a variant. */
typedef enum
{
  OMNI_DEMO_FATE_NONE,
  OMNI_DEMO_FATE_OUT,           /* sells out */
  OMNI_DEMO_FATE_LOW,           /* ends at or below its reorder point */
} OmniDemoFate;

/**
 * OmniDemoItem:
 * @product: index of its product in the catalog
 * @title: product title and option values, as an order line shows them
 * @barcode: an EAN-13, or %NULL for the few without one
 * @compare_at: -1 for none
 * @min_reorder_point: the catalog's floor for the reorder point; -1 for none
 * @min_reorder_qty: the catalog's floor for the reorder quantity; -1 for none
 * @vendor: index of the vendor, below %OMNI_DEMO_MAX_VENDORS
 * @demand: the variant's share of the shop's sales before the seed varies it;
 *   0 for what never sells, and for drafts and archived products
 *
 * One variant of the catalog and, once omni_demo_catalog_plan() has run, the
 * plan for stocking it: the fields from @share on.
 */
typedef struct
{
  guint        product;
  char        *sku;
  char        *barcode;
  char        *title;
  char        *options[3];
  OmniMoney    price;
  OmniMoney    compare_at;
  OmniMoney    cost;
  gint64       grams;
  gint64       min_reorder_point;
  gint64       min_reorder_qty;
  guint        vendor;
  guint        lead_days;       /* from purchase order to delivery */
  gboolean     stocked;         /* not archived */
  gboolean     sellable;
  double       demand;

  double       share;           /* of the shop's sales, all variants summing to 1 */
  double       running_share;   /* share of this and every earlier item */
  double       per_day;         /* expected units sold per day */
  gint64       reorder_point;   /* as stored; -1 for none */
  gint64       reorder_qty;     /* as stored; -1 for none */
  gint64       trigger;         /* a purchase order goes out at this much stock */
  gint64       order_qty;
  gint64       floor_target;    /* what a shelf refill brings the shop floor to */
  gint64       opening[OMNI_DEMO_N_LOCATIONS];
  OmniDemoFate fate;
  gint64       fate_level;      /* what the run-down leaves on hand */
} OmniDemoItem;

GArray   *omni_demo_catalog_expand (void);
void      omni_demo_catalog_plan   (GArray     *items,
                                    GRand      *rand,
                                    double      units_per_day);
guint     omni_demo_catalog_pick   (GArray     *items,
                                    GRand      *rand);
gboolean  omni_demo_catalog_create (OmniStore  *store,
                                    GArray     *items,
                                    gint64     *ids,
                                    GError    **error);

G_END_DECLS
