/* omni-store-remote.h: remote variants a pull could not link, for the
 * merchant to link, import or ignore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_REMOTE_STATE_UNMATCHED "unmatched"
#define OMNI_REMOTE_STATE_IGNORED   "ignored"

/* Most rows one list call returns. */
#define OMNI_REMOTE_LIST_MAX 1000

/**
 * OmniRemoteVariantSpec:
 * @channel_id: the channel the pull read
 * @remote_variant_id: the platform's id of the variant (Shopify GID, or the
 *   seller SKU on Amazon and eBay); required
 * @remote_product_id: the remote product, or %NULL
 * @remote_inventory_id: what pushes address (Shopify inventory item GID, the
 *   seller SKU on Amazon and eBay), or %NULL when the listing takes no pushes
 * @sku: the remote SKU, or %NULL
 * @barcode: the remote barcode, or %NULL
 * @product_title: the remote product's title, or %NULL
 * @title: the variant's own title (its option values), or %NULL
 * @price: unit price in minor units; -1 when the pull does not know it
 * @currency: ISO 4217 code of @price, or %NULL
 *
 * What a pull saw of one remote variant that matched no local variant.
 */
typedef struct
{
  gint64      channel_id;
  const char *remote_variant_id;
  const char *remote_product_id;
  const char *remote_inventory_id;
  const char *sku;
  const char *barcode;
  const char *product_title;
  const char *title;
  OmniMoney   price;
  const char *currency;
} OmniRemoteVariantSpec;

/**
 * OmniRemoteVariant:
 *
 * A recorded remote variant; @price is -1 when unknown.
 */
typedef struct
{
  gint64     id;
  gint64     channel_id;
  char      *remote_variant_id;
  char      *remote_product_id;
  char      *remote_inventory_id;
  char      *sku;
  char      *barcode;
  char      *product_title;
  char      *title;
  OmniMoney  price;
  char      *currency;
  char      *state;            /* "unmatched" or "ignored" */
  char      *first_seen_at;
  char      *last_seen_at;
} OmniRemoteVariant;

gboolean           omni_store_record_remote_variant  (OmniStore                   *self,
                                                      const OmniRemoteVariantSpec *spec,
                                                      GError                     **error);
GPtrArray         *omni_store_list_remote_variants   (OmniStore                   *self,
                                                      gint64                       channel_id,
                                                      const char                  *search,
                                                      gboolean                     include_ignored,
                                                      guint                        offset,
                                                      guint                        limit,
                                                      gint64                      *total,
                                                      GError                     **error);
gint64             omni_store_count_remote_variants  (OmniStore                   *self,
                                                      gint64                       channel_id,
                                                      gboolean                     include_ignored);
OmniRemoteVariant *omni_store_find_remote_variant    (OmniStore                   *self,
                                                      gint64                       channel_id,
                                                      const char                  *id_or_sku,
                                                      GError                     **error);
gboolean           omni_store_ignore_remote_variant  (OmniStore                   *self,
                                                      gint64                       channel_id,
                                                      const char                  *remote_variant_id,
                                                      gboolean                     ignored,
                                                      GError                     **error);
gboolean           omni_store_link_remote_variant    (OmniStore                   *self,
                                                      gint64                       channel_id,
                                                      const char                  *remote_variant_id,
                                                      gint64                       variant_id,
                                                      GError                     **error);
gint64             omni_store_import_remote_variant  (OmniStore                   *self,
                                                      gint64                       channel_id,
                                                      const char                  *remote_variant_id,
                                                      GError                     **error);
gboolean           omni_store_import_all_remote_variants (OmniStore               *self,
                                                          gint64                   channel_id,
                                                          gint64                  *imported,
                                                          GError                 **error);
void               omni_remote_variant_free          (OmniRemoteVariant           *variant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniRemoteVariant, omni_remote_variant_free)

G_END_DECLS
