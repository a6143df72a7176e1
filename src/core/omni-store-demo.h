/* omni-store-demo.h: the demo shop a first start can load
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/* The seed the app uses, so every fresh demo shows the same shop. */
#define OMNI_DEMO_DEFAULT_SEED 20261125

/**
 * OmniDemoVariant:
 * @sku: the variant's SKU
 * @barcode: (nullable): its EAN-13, or %NULL for the few without one
 * @title: product title and option values, as an order line shows them
 * @status: the product's status: "active", "draft" or "archived"
 *
 * One variant of the demo catalog. The catalog does not depend on the seed;
 * only the history does.
 */
typedef struct
{
  char *sku;
  char *barcode;
  char *title;
  char *status;
} OmniDemoVariant;

gboolean   omni_store_load_demo        (OmniStore        *store,
                                        guint32           seed,
                                        GError          **error);
gboolean   omni_store_load_demo_until  (OmniStore        *store,
                                        guint32           seed,
                                        gint64            end_us,
                                        GError          **error);

GPtrArray *omni_demo_list_variants     (void);
void       omni_demo_variant_free      (OmniDemoVariant  *variant);

char      *omni_ean13_complete         (const char       *digits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniDemoVariant, omni_demo_variant_free)

G_END_DECLS
