/* mock-shopify.h: an in-process Shopify Admin GraphQL server for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MockShopify MockShopify;

typedef void (*MockShopifyHook) (MockShopify *mock,
                                 const char  *key,
                                 gpointer     user_data);

MockShopify *mock_shopify_new              (void);
void         mock_shopify_free             (MockShopify  *mock);
const char  *mock_shopify_get_url          (MockShopify  *mock);

void         mock_shopify_add_token        (MockShopify  *mock,
                                            const char   *token);
void         mock_shopify_set_client       (MockShopify  *mock,
                                            const char   *client_id,
                                            const char   *client_secret);
void         mock_shopify_set_shop_name    (MockShopify  *mock,
                                            const char   *name);
void         mock_shopify_revoke_tokens    (MockShopify  *mock);
void         mock_shopify_set_throttle     (MockShopify  *mock,
                                            double        maximum,
                                            double        restore_rate);
void         mock_shopify_drain            (MockShopify  *mock,
                                            guint         ms);
void         mock_shopify_fail_next        (MockShopify  *mock,
                                            guint         status,
                                            guint         count,
                                            guint         retry_after_s);
void         mock_shopify_set_delay        (MockShopify  *mock,
                                            guint         delay_ms);
void         mock_shopify_set_mutation_hook (MockShopify *mock,
                                             MockShopifyHook hook,
                                             gpointer     user_data);
void         mock_shopify_lose_next_response (MockShopify *mock);

void         mock_shopify_add_location     (MockShopify  *mock,
                                            const char   *name);
guint        mock_shopify_add_variant      (MockShopify  *mock,
                                            const char   *sku,
                                            const char   *barcode,
                                            gint64        quantity);
void         mock_shopify_set_quantity     (MockShopify  *mock,
                                            guint         variant,
                                            guint         location,
                                            gint64        quantity);
gint64       mock_shopify_get_quantity     (MockShopify  *mock,
                                            guint         variant,
                                            guint         location);
void         mock_shopify_add_order        (MockShopify  *mock,
                                            const char   *name,
                                            guint         variant,
                                            gint64        quantity);
void         mock_shopify_cancel_order     (MockShopify  *mock,
                                            const char   *name);
void         mock_shopify_add_unfulfilled_order (MockShopify *mock,
                                                 const char  *name,
                                                 guint        variant,
                                                 gint64       quantity);
void         mock_shopify_fulfil_order     (MockShopify  *mock,
                                            const char   *name,
                                            gint64        units);

typedef struct
{
  guint requests;            /* GraphQL requests received */
  guint unauthorized;        /* answered 401 */
  guint throttled;           /* answered THROTTLED */
  guint over_limit;          /* queries over the 1,000-point limit */
  guint injected_failures;   /* 5xx answered on purpose */
  guint token_exchanges;
  guint mutations;           /* inventorySetQuantities received */
  guint applied;             /* ... actually applied */
  guint replays;             /* ... answered from the idempotency cache */
  guint stale;               /* ... refused: changeFromQuantity stale */
  guint missing_change_from; /* ... without changeFromQuantity */
  guint missing_key;         /* ... without @idempotent key */
  guint by_operation[8];
  GString *seen_tokens;      /* every token presented, newline separated */
} MockShopifyStats;

const MockShopifyStats *mock_shopify_get_stats (MockShopify *mock);
guint        mock_shopify_key_count        (MockShopify  *mock,
                                            const char   *key);
guint        mock_shopify_applied_count    (MockShopify  *mock,
                                            const char   *key);

/* The GraphQL operations, as counted in MockShopifyStats.by_operation. */
typedef enum
{
  MOCK_SHOPIFY_OP_SHOP,
  MOCK_SHOPIFY_OP_LOCATIONS,
  MOCK_SHOPIFY_OP_VARIANTS,
  MOCK_SHOPIFY_OP_LEVELS,
  MOCK_SHOPIFY_OP_LEVEL,
  MOCK_SHOPIFY_OP_ORDERS,
  MOCK_SHOPIFY_OP_SET,
  MOCK_SHOPIFY_OP_OTHER,
  MOCK_SHOPIFY_OP_ANY = -1,
} MockShopifyOperation;

/**
 * MockShopifyFaultKind:
 * @MOCK_SHOPIFY_FAULT_DROP: the connection is closed without an answer
 * @MOCK_SHOPIFY_FAULT_STALL: the answer comes after @param ms (longer than
 *   the client waits)
 * @MOCK_SHOPIFY_FAULT_HTTP_500: HTTP 500 with a JSON error body
 * @MOCK_SHOPIFY_FAULT_HTTP_429: HTTP 429 with Retry-After: @param seconds
 * @MOCK_SHOPIFY_FAULT_THROTTLED: HTTP 200 with a GraphQL THROTTLED error
 * @MOCK_SHOPIFY_FAULT_TRUNCATED: HTTP 200, the JSON answer cut in half
 * @MOCK_SHOPIFY_FAULT_WRONG_TYPE: HTTP 200 with an HTML page (text/html),
 *   as a proxy in front of the shop would send
 * @MOCK_SHOPIFY_FAULT_USER_ERRORS: HTTP 200, inventorySetQuantities with
 *   userErrors (@code) and nothing applied
 */
typedef enum
{
  MOCK_SHOPIFY_FAULT_DROP,
  MOCK_SHOPIFY_FAULT_STALL,
  MOCK_SHOPIFY_FAULT_HTTP_500,
  MOCK_SHOPIFY_FAULT_HTTP_429,
  MOCK_SHOPIFY_FAULT_THROTTLED,
  MOCK_SHOPIFY_FAULT_TRUNCATED,
  MOCK_SHOPIFY_FAULT_WRONG_TYPE,
  MOCK_SHOPIFY_FAULT_USER_ERRORS,
} MockShopifyFaultKind;

/**
 * MockShopifyFault:
 * @kind: what goes wrong
 * @operation: the GraphQL operation it hits, or %MOCK_SHOPIFY_OP_ANY
 * @after_apply: the request is served first (a mutation is applied, its
 *   idempotency key remembered) and only its answer is lost or mangled
 * @param: milliseconds for STALL, seconds for HTTP_429
 * @code: the userErrors code for USER_ERRORS (%NULL: INTERNAL_ERROR)
 *
 * One scripted fault: queued faults are used in order, each by the first
 * later GraphQL request of its operation.
 */
typedef struct
{
  MockShopifyFaultKind  kind;
  MockShopifyOperation  operation;
  gboolean              after_apply;
  guint                 param;
  const char           *code;
} MockShopifyFault;

void         mock_shopify_add_fault        (MockShopify            *mock,
                                            const MockShopifyFault *fault,
                                            guint                   times);
guint        mock_shopify_pending_faults   (MockShopify            *mock);
guint        mock_shopify_faults_served    (MockShopify            *mock);
void         mock_shopify_clear_faults     (MockShopify            *mock);

/**
 * MockShopifyBulkOutcome:
 * @MOCK_SHOPIFY_BULK_COMPLETED: COMPLETED with the JSONL result's url
 * @MOCK_SHOPIFY_BULK_NO_RESULTS: COMPLETED with a null url
 * @MOCK_SHOPIFY_BULK_FAILED: FAILED (errorCode INTERNAL_SERVER_ERROR)
 * @MOCK_SHOPIFY_BULK_CANCELED: CANCELED
 * @MOCK_SHOPIFY_BULK_EXPIRED: EXPIRED
 * @MOCK_SHOPIFY_BULK_RUNNING_FOREVER: RUNNING at every poll
 *
 * How a bulk operation ends, after its RUNNING polls.
 */
typedef enum
{
  MOCK_SHOPIFY_BULK_COMPLETED,
  MOCK_SHOPIFY_BULK_NO_RESULTS,
  MOCK_SHOPIFY_BULK_FAILED,
  MOCK_SHOPIFY_BULK_CANCELED,
  MOCK_SHOPIFY_BULK_EXPIRED,
  MOCK_SHOPIFY_BULK_RUNNING_FOREVER,
} MockShopifyBulkOutcome;

typedef struct
{
  guint   runs;           /* bulkOperationRunQuery received */
  guint   missing_key;    /* ... without @idempotent key */
  guint   polls;          /* bulkOperation(id:) received */
  guint   counts;         /* productVariantsCount received */
  guint   downloads;      /* result downloads started */
  guint   token_sent;     /* downloads that carried the access token */
  guint64 lines_served;   /* JSONL lines written */
  guint64 bytes_served;
} MockShopifyBulkStats;

typedef struct _MockShopifyBulk MockShopifyBulk;

void         mock_shopify_bulk_set_outcome  (MockShopify            *mock,
                                             MockShopifyBulkOutcome  outcome,
                                             guint                   running_polls);
void         mock_shopify_bulk_add_synthetic (MockShopify           *mock,
                                              guint                  count);
void         mock_shopify_bulk_set_long_line (MockShopify           *mock,
                                              guint64                line,
                                              gsize                  bytes);
void         mock_shopify_bulk_stall_after  (MockShopify            *mock,
                                             guint64                 lines);
const MockShopifyBulkStats *mock_shopify_bulk_get_stats (MockShopify *mock);

G_END_DECLS
