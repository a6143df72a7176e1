/* omni-store-catalog.h: reading, searching and editing the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/* The most search results one query returns. */
#define OMNI_SEARCH_MAX_RESULTS 1000
/* The longest search query accepted, in bytes. */
#define OMNI_SEARCH_MAX_QUERY 200

typedef enum
{
  OMNI_SORT_TITLE,
  OMNI_SORT_SKU,
  OMNI_SORT_PRICE,
  OMNI_SORT_AVAILABLE,
  OMNI_SORT_UPDATED,
} OmniSortKey;

typedef enum
{
  OMNI_STOCK_ANY,        /* active variants, whatever their stock */
  OMNI_STOCK_IN,         /* available above the reorder point (or > 0 without one) */
  OMNI_STOCK_LOW,        /* 0 < available <= reorder point */
  OMNI_STOCK_OUT,        /* available <= 0 */
  OMNI_STOCK_ARCHIVED,   /* archived variants or products */
} OmniStockFilter;

/**
 * OmniVariantQuery:
 * @search: (nullable): substring of title, options, SKU, barcode, vendor or
 *   tags; case- and accent-insensitive; several words must all match
 * @vendor: (nullable): exact vendor
 * @product_type: (nullable): exact product type
 * @tag: (nullable): one tag (exact, case-insensitive)
 * @stock: stock state
 * @sort: sort key
 * @descending: reverse the order
 *
 * What the product list shows. Sorting and filtering run in SQL.
 */
typedef struct
{
  const char      *search;
  const char      *vendor;
  const char      *product_type;
  const char      *tag;
  OmniStockFilter  stock;
  OmniSortKey      sort;
  gboolean         descending;
} OmniVariantQuery;

/* A row of the list. Its text lives in the same allocation as the row:
 * free it with omni_variant_row_free(), never a string of it. */
typedef struct
{
  gint64     id;
  gint64     product_id;
  char      *handle;
  char      *title;          /* the product's title */
  char      *options;        /* "Red / M", "" without options */
  char      *sku;
  char      *barcode;
  char      *vendor;
  char      *product_type;
  char      *tags;
  char      *status;         /* the product's: active, draft, archived */
  gboolean   archived;       /* the variant (or its product) is archived */
  OmniMoney  price;
  OmniMoney  compare_at_price;   /* -1 when not set */
  OmniMoney  cost;               /* -1 when not set */
  gint64     weight_grams;
  gint64     reorder_point;      /* -1 when not set */
  gint64     reorder_qty;        /* -1 when not set */
  gint64     on_hand;
  gint64     available;
  gint64     position;           /* within its product */
  char      *updated_at;
} OmniVariantRow;

/**
 * OmniVariantKey:
 * @sort: the order the key belongs to
 * @text: the title (%OMNI_SORT_TITLE), SKU (%OMNI_SORT_SKU, %NULL for a
 *   variant without one) or update time (%OMNI_SORT_UPDATED)
 * @number: the price (%OMNI_SORT_PRICE) or available quantity
 *   (%OMNI_SORT_AVAILABLE)
 * @product_id: the product (%OMNI_SORT_TITLE)
 * @position: the variant's position in its product (%OMNI_SORT_TITLE)
 * @id: the variant
 *
 * Where a row stands in the list's order: its sort value(s) and id, which
 * together are unique. omni_store_list_variants_after() starts a page just
 * past a key without counting the rows before it, so a page deep in a large
 * catalog costs what the first one does. A key holds values, not a row: it
 * stays valid when its row is edited or deleted.
 */
typedef struct
{
  OmniSortKey  sort;
  char        *text;
  gint64       number;
  gint64       product_id;
  gint64       position;
  gint64       id;
} OmniVariantKey;

typedef struct
{
  gint64     id;
  char      *handle;
  char      *title;
  char      *body;
  char      *vendor;
  char      *product_type;
  char      *tags;
  char      *status;
  char      *option_names[3];
  GPtrArray *variants;       /* OmniVariantRow */
} OmniProduct;

GPtrArray      *omni_store_list_variants     (OmniStore              *self,
                                              const OmniVariantQuery *query,
                                              guint                   offset,
                                              guint                   limit,
                                              GError                **error);
gint64          omni_store_count_variants    (OmniStore              *self,
                                              const OmniVariantQuery *query,
                                              GError                **error);
gint64          omni_store_variant_position  (OmniStore              *self,
                                              const OmniVariantQuery *query,
                                              gint64                  variant_id,
                                              GError                **error);
GPtrArray      *omni_store_list_variants_after  (OmniStore              *self,
                                                 const OmniVariantQuery *query,
                                                 const OmniVariantKey   *after,
                                                 guint                   limit,
                                                 GError                **error);
GPtrArray      *omni_store_list_variants_before (OmniStore              *self,
                                                 const OmniVariantQuery *query,
                                                 const OmniVariantKey   *before,
                                                 guint                   limit,
                                                 GError                **error);
GArray         *omni_store_list_variant_ids  (OmniStore              *self,
                                              const OmniVariantQuery *query,
                                              guint                   offset,
                                              guint                   limit,
                                              GError                **error);
GPtrArray      *omni_store_search            (OmniStore              *self,
                                              const char             *text,
                                              guint                   limit,
                                              GError                **error);
OmniVariantRow *omni_store_get_variant       (OmniStore              *self,
                                              gint64                  variant_id,
                                              GError                **error);
OmniProduct    *omni_store_get_product       (OmniStore              *self,
                                              gint64                  product_id,
                                              GError                **error);
gint64          omni_store_find_product      (OmniStore              *self,
                                              const char             *sku_or_handle,
                                              GError                **error);
GStrv           omni_store_list_distinct     (OmniStore              *self,
                                              const char             *field,
                                              GError                **error);

gboolean        omni_store_update_product    (OmniStore              *self,
                                              gint64                  product_id,
                                              const OmniProductSpec  *product,
                                              GError                **error);
gboolean        omni_store_update_variant    (OmniStore              *self,
                                              gint64                  variant_id,
                                              const OmniVariantSpec  *variant,
                                              GError                **error);
gint64          omni_store_add_variant       (OmniStore              *self,
                                              gint64                  product_id,
                                              const OmniVariantSpec  *variant,
                                              GError                **error);
gboolean        omni_store_set_product_archived (OmniStore           *self,
                                              gint64                  product_id,
                                              gboolean                archived,
                                              GError                **error);
gboolean        omni_store_set_variants_archived (OmniStore          *self,
                                              const gint64           *variant_ids,
                                              guint                   n_variants,
                                              gboolean                archived,
                                              GError                **error);
gboolean        omni_store_set_reorder_point (OmniStore              *self,
                                              const gint64           *variant_ids,
                                              guint                   n_variants,
                                              gint64                  reorder_point,
                                              gint64                  reorder_qty,
                                              GError                **error);
gint64          omni_store_duplicate_product (OmniStore              *self,
                                              gint64                  product_id,
                                              GError                **error);

gboolean        omni_barcode_check           (const char             *barcode,
                                              GError                **error);

void            omni_variant_row_free        (OmniVariantRow         *row);
void            omni_variant_query_copy      (OmniVariantQuery       *dest,
                                              const OmniVariantQuery *src);
void            omni_variant_query_clear     (OmniVariantQuery       *query);
OmniVariantKey *omni_variant_key_new         (const OmniVariantRow   *row,
                                              OmniSortKey             sort);
OmniVariantKey *omni_variant_key_copy        (const OmniVariantKey   *key);
void            omni_variant_key_free        (OmniVariantKey         *key);
void            omni_product_free            (OmniProduct            *product);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniVariantRow, omni_variant_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniVariantKey, omni_variant_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniProduct, omni_product_free)

G_END_DECLS
