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

G_END_DECLS
