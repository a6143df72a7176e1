/* omni-store-purchasing.h: suppliers, the reorder planner, purchase orders
 * and receiving
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/* Bounds the store enforces on what people type. */
#define OMNI_PURCHASE_MAX_LEAD_DAYS   365
#define OMNI_PURCHASE_MAX_SAFETY_DAYS 365
#define OMNI_PURCHASE_MAX_QUANTITY    1000000000
#define OMNI_PURCHASE_MAX_LINES       5000

/* Purchase order states. */
#define OMNI_PO_DRAFT              "draft"
#define OMNI_PO_ORDERED            "ordered"
#define OMNI_PO_PARTIALLY_RECEIVED "partially_received"
#define OMNI_PO_RECEIVED           "received"
#define OMNI_PO_CANCELLED          "cancelled"

/**
 * OmniSupplierSpec:
 * @name: unique (case-insensitive), 1–120 characters
 * @contact: free text (person, e-mail, phone); %NULL for none
 * @currency: ISO 4217 code; %NULL means the shop currency
 * @lead_time_days: days from ordering to delivery, 0–365
 */
typedef struct
{
  const char *name;
  const char *contact;
  const char *currency;
  gint64      lead_time_days;
} OmniSupplierSpec;

typedef struct
{
  gint64  id;
  char   *name;
  char   *contact;
  char   *currency;
  gint64  lead_time_days;
  gint64  n_variants;        /* variants it supplies */
  gint64  open_orders;       /* ordered or partially received */
} OmniSupplier;

/**
 * OmniSupplierVariantSpec:
 * @supplier_sku: the supplier's own code; %NULL for none
 * @unit_cost: minor units of the supplier's currency
 * @moq: minimum order quantity, at least 1
 * @order_multiple: orders are rounded up to a multiple of this, at least 1
 * @preferred: make this the variant's preferred supplier (any other
 *   supplier of the variant stops being preferred)
 */
typedef struct
{
  gint64      supplier_id;
  gint64      variant_id;
  const char *supplier_sku;
  OmniMoney   unit_cost;
  gint64      moq;
  gint64      order_multiple;
  gboolean    preferred;
} OmniSupplierVariantSpec;

typedef struct
{
  gint64     supplier_id;
  char      *supplier;
  gint64     variant_id;
  char      *sku;
  char      *title;
  char      *options;
  char      *supplier_sku;
  OmniMoney  unit_cost;
  gint64     moq;
  gint64     order_multiple;
  gboolean   preferred;
} OmniSupplierVariant;

/**
 * OmniSuggestOptions:
 * @supplier_id: only what this supplier supplies; 0 means every variant
 *   with a supplier, each at its preferred one (or, with none preferred,
 *   the one that linked it first)
 * @window_days: the sales window for the velocity, 1–3650
 * @safety_days: extra days of sales to hold on top of the lead time
 * @include_all: also return variants that need nothing (suggested 0)
 */
typedef struct
{
  gint64   supplier_id;
  guint    window_days;
  guint    safety_days;
  gboolean include_all;
} OmniSuggestOptions;

/**
 * OmniPurchaseSuggestion:
 *
 * target = max (reorder point, 0) + ⌈daily sales × (lead time + safety days)⌉;
 * need = target − (available + incoming); when need > 0 the suggestion is
 * max (need, MOQ) rounded up to the order multiple, otherwise 0.
 * Days of cover are −1 when nothing sold over the window.
 */
typedef struct
{
  gint64     variant_id;
  gint64     supplier_id;
  char      *supplier;
  char      *sku;
  char      *supplier_sku;
  char      *title;
  char      *options;
  gint64     available;
  gint64     incoming;
  gint64     reorder_point;   /* -1 when not set */
  gint64     units_sold;
  double     daily_sales;
  gint64     lead_time_days;
  gint64     target;
  gint64     need;
  gint64     moq;
  gint64     order_multiple;
  gint64     suggested;
  OmniMoney  unit_cost;
  char      *currency;
  double     cover_now;
  double     cover_after;
} OmniPurchaseSuggestion;

/**
 * OmniPurchaseLineSpec:
 * @unit_cost: minor units; -1 takes the supplier's cost for the variant,
 *   or the variant's own cost when the supplier has none
 */
typedef struct
{
  gint64     variant_id;
  gint64     quantity;
  OmniMoney  unit_cost;
} OmniPurchaseLineSpec;

/**
 * OmniPurchaseOrderSpec:
 * @location_id: where the goods arrive; 0 means the default location
 * @lines: at least one line, each variant once
 */
typedef struct
{
  gint64                      supplier_id;
  gint64                      location_id;
  const char                 *note;
  const char                 *actor;
  const OmniPurchaseLineSpec *lines;
  guint                       n_lines;
} OmniPurchaseOrderSpec;

typedef struct
{
  gint64     id;
  char      *number;           /* "PO-00001" */
  gint64     supplier_id;
  char      *supplier;
  char      *contact;
  gint64     location_id;
  char      *location;
  char      *currency;
  char      *status;           /* OMNI_PO_* */
  char      *note;
  char      *actor;
  char      *created_at;
  char      *ordered_at;       /* nullable */
  char      *closed_at;        /* nullable: received or cancelled */
  gint64     n_lines;
  gint64     units_ordered;
  gint64     units_received;
  OmniMoney  total;            /* Σ quantity × unit cost */
} OmniPurchaseOrder;

typedef struct
{
  gint64     id;
  gint64     variant_id;
  char      *sku;
  char      *barcode;
  char      *supplier_sku;
  char      *title;
  char      *options;
  gint64     quantity;
  gint64     received;
  OmniMoney  unit_cost;
  OmniMoney  line_total;
} OmniPurchaseLine;

/**
 * OmniReceiveLine:
 * @variant_id: a variant on the order
 * @quantity: units arriving now, > 0
 */
typedef struct
{
  gint64 variant_id;
  gint64 quantity;
} OmniReceiveLine;

/**
 * OmniReceiveResult:
 * @status: the order's status afterwards (OMNI_PO_*), owned
 * @units: units received by this call
 * @over_received: units beyond the ordered quantity (a warning, not an error)
 * @operation: the operation id of the `received` movements, owned
 */
typedef struct
{
  char   *status;
  gint64  units;
  gint64  over_received;
  char   *operation;
} OmniReceiveResult;

/* Suppliers */
gint64      omni_store_add_supplier          (OmniStore                     *self,
                                              const OmniSupplierSpec        *spec,
                                              GError                       **error);
gint64      omni_store_find_supplier         (OmniStore                     *self,
                                              const char                    *name,
                                              GError                       **error);
OmniSupplier *omni_store_get_supplier        (OmniStore                     *self,
                                              gint64                         supplier_id,
                                              GError                       **error);
GPtrArray  *omni_store_list_suppliers        (OmniStore                     *self,
                                              GError                       **error);
gboolean    omni_store_set_supplier_variant  (OmniStore                     *self,
                                              const OmniSupplierVariantSpec *spec,
                                              GError                       **error);
GPtrArray  *omni_store_list_supplier_variants (OmniStore                    *self,
                                              gint64                         supplier_id,
                                              gint64                         variant_id,
                                              GError                       **error);

/* Reorder planner */
GPtrArray  *omni_store_suggest_purchases     (OmniStore                     *self,
                                              const OmniSuggestOptions      *options,
                                              GError                       **error);
gint64      omni_purchase_round_quantity     (gint64                         need,
                                              gint64                         moq,
                                              gint64                         order_multiple);

/* Purchase orders */
gint64      omni_store_create_purchase_order (OmniStore                     *self,
                                              const OmniPurchaseOrderSpec   *spec,
                                              GError                       **error);
gint64      omni_store_find_purchase_order   (OmniStore                     *self,
                                              const char                    *number,
                                              GError                       **error);
OmniPurchaseOrder *omni_store_get_purchase_order (OmniStore                 *self,
                                              gint64                         po_id,
                                              GError                       **error);
GPtrArray  *omni_store_list_purchase_orders  (OmniStore                     *self,
                                              const char                    *status,
                                              GError                       **error);
GPtrArray  *omni_store_get_purchase_lines    (OmniStore                     *self,
                                              gint64                         po_id,
                                              GError                       **error);
gboolean    omni_store_set_purchase_line     (OmniStore                     *self,
                                              gint64                         po_id,
                                              const OmniPurchaseLineSpec    *line,
                                              GError                       **error);
gint64      omni_store_add_purchase_scan     (OmniStore                     *self,
                                              gint64                         po_id,
                                              const char                    *code,
                                              gint64                        *variant_id,
                                              GError                       **error);
gboolean    omni_store_mark_purchase_ordered (OmniStore                     *self,
                                              gint64                         po_id,
                                              GError                       **error);
gboolean    omni_store_cancel_purchase_order (OmniStore                     *self,
                                              gint64                         po_id,
                                              GError                       **error);

/* Receiving */
gboolean    omni_store_receive_purchase      (OmniStore                     *self,
                                              gint64                         po_id,
                                              gint64                         location_id,
                                              const OmniReceiveLine         *lines,
                                              guint                          n_lines,
                                              const char                    *source,
                                              const char                    *actor,
                                              OmniReceiveResult             *result,
                                              GError                       **error);
gboolean    omni_store_receive_purchase_all  (OmniStore                     *self,
                                              gint64                         po_id,
                                              gint64                         location_id,
                                              const char                    *source,
                                              const char                    *actor,
                                              OmniReceiveResult             *result,
                                              GError                       **error);
gboolean    omni_store_receive_purchase_scan (OmniStore                     *self,
                                              gint64                         po_id,
                                              gint64                         location_id,
                                              const char                    *code,
                                              const char                    *source,
                                              const char                    *actor,
                                              OmniReceiveResult             *result,
                                              GError                       **error);

/* Incoming: units on ordered and partially received orders not yet in */
gint64      omni_store_get_incoming          (OmniStore                     *self,
                                              gint64                         variant_id,
                                              GError                       **error);
GHashTable *omni_store_list_incoming         (OmniStore                     *self,
                                              GError                       **error);

/**
 * OmniIncomingLevel:
 *
 * Units outstanding on open orders of one variant to be received at one
 * location.
 */
typedef struct
{
  gint64 variant_id;
  gint64 location_id;
  gint64 units;
} OmniIncomingLevel;

GArray     *omni_store_list_incoming_levels  (OmniStore                     *self,
                                              const gint64                  *variant_ids,
                                              guint                          n_variants,
                                              gint64                         location_id,
                                              GError                       **error);

void        omni_supplier_free               (OmniSupplier                  *supplier);
void        omni_supplier_variant_free       (OmniSupplierVariant           *link);
void        omni_purchase_suggestion_free    (OmniPurchaseSuggestion        *suggestion);
void        omni_purchase_order_free         (OmniPurchaseOrder             *order);
void        omni_purchase_line_free          (OmniPurchaseLine              *line);
void        omni_receive_result_clear        (OmniReceiveResult             *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniSupplier, omni_supplier_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniSupplierVariant, omni_supplier_variant_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniPurchaseSuggestion, omni_purchase_suggestion_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniPurchaseOrder, omni_purchase_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniPurchaseLine, omni_purchase_line_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OmniReceiveResult, omni_receive_result_clear)

G_END_DECLS
