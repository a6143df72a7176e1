/* mock-amazon.h: an in-process Amazon Selling Partner API for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MockAmazon MockAmazon;

/* The operations, as counted in MockAmazonStats.by_operation. */
typedef enum
{
  MOCK_AMAZON_OP_TOKEN,
  MOCK_AMAZON_OP_INVENTORY,       /* getInventorySummaries */
  MOCK_AMAZON_OP_SEARCH,          /* searchListingsItems */
  MOCK_AMAZON_OP_GET_ITEM,        /* getListingsItem */
  MOCK_AMAZON_OP_PATCH,           /* patchListingsItem */
  MOCK_AMAZON_OP_ORDERS,          /* getOrders */
  MOCK_AMAZON_OP_ORDER_ITEMS,     /* getOrderItems */
  MOCK_AMAZON_OP_OTHER,
  MOCK_AMAZON_N_OPS,
} MockAmazonOperation;

typedef struct
{
  guint requests;                 /* every request */
  guint token_exchanges;          /* access tokens issued */
  guint refused_grants;           /* token requests refused */
  guint unauthorized;             /* 401/403 answered */
  guint throttled;                /* 429 answered */
  guint patches;                  /* patchListingsItem accepted */
  guint applied;                  /* ... that changed a quantity */
  guint invalid;                  /* ... answered INVALID */
  guint bad_requests;             /* 400 answered: malformed requests */
  guint by_operation[MOCK_AMAZON_N_OPS];
  GString *seen_tokens;           /* every access token presented */
} MockAmazonStats;

typedef void (*MockAmazonHook) (MockAmazon *mock,
                                const char *sku,
                                gpointer    user_data);

MockAmazon  *mock_amazon_new                (const char   *seller_id,
                                             const char   *marketplace_id);
void         mock_amazon_free               (MockAmazon   *mock);
const char  *mock_amazon_get_url            (MockAmazon   *mock);

void         mock_amazon_set_client         (MockAmazon   *mock,
                                             const char   *client_id,
                                             const char   *client_secret,
                                             const char   *refresh_token);
void         mock_amazon_set_token_lifetime (MockAmazon   *mock,
                                             guint         seconds);
void         mock_amazon_expire_tokens      (MockAmazon   *mock);
void         mock_amazon_set_page_size      (MockAmazon   *mock,
                                             MockAmazonOperation operation,
                                             guint         page_size);
void         mock_amazon_throttle_next      (MockAmazon   *mock,
                                             MockAmazonOperation operation,
                                             guint         count,
                                             const char   *rate_header);
void         mock_amazon_enforce_rate       (MockAmazon   *mock,
                                             MockAmazonOperation operation,
                                             double        rate,
                                             double        burst);
void         mock_amazon_set_patch_hook     (MockAmazon   *mock,
                                             MockAmazonHook hook,
                                             gpointer      user_data);

guint        mock_amazon_add_listing        (MockAmazon   *mock,
                                             const char   *sku,
                                             const char   *product_type,
                                             gint64        merchant_quantity,
                                             gint64        fba_fulfillable);
gint64       mock_amazon_get_quantity       (MockAmazon   *mock,
                                             const char   *sku);
guint        mock_amazon_patch_count        (MockAmazon   *mock,
                                             const char   *sku);
void         mock_amazon_set_fba            (MockAmazon   *mock,
                                             const char   *sku,
                                             gint64        fulfillable);
void         mock_amazon_set_invalid        (MockAmazon   *mock,
                                             const char   *sku,
                                             const char   *message);

void         mock_amazon_add_order          (MockAmazon   *mock,
                                             const char   *order_id,
                                             const char   *fulfillment,
                                             const char   *status,
                                             const char   *sku,
                                             gint64        quantity,
                                             const char   *amount);
void         mock_amazon_set_order_status   (MockAmazon   *mock,
                                             const char   *order_id,
                                             const char   *status);

const MockAmazonStats *mock_amazon_get_stats (MockAmazon  *mock);

G_END_DECLS
