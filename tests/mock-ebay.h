/* mock-ebay.h: an in-process eBay Sell API server for tests (OAuth token
 * endpoint, Inventory API items, offers and bulk quantity updates,
 * Fulfillment API orders)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MockEbay MockEbay;

typedef void (*MockEbayHook) (MockEbay  *mock,
                              gpointer   user_data);

typedef struct
{
  guint   token_requests;     /* POST /identity/v1/oauth2/token */
  guint   tokens_issued;
  guint   unauthorized;       /* API calls answered 401 */
  guint   throttled;          /* answered 429 on purpose */
  guint   item_pages;         /* GET inventory_item */
  guint   offer_requests;     /* GET offer?sku= */
  guint   order_pages;        /* GET order */
  guint   bulk_calls;         /* POST bulk_update_price_quantity */
  GArray *bulk_sizes;         /* guint: requests[] length of each call */
  guint   too_large;          /* bulk calls refused: more than 25 requests */
  guint   bad_scope;          /* token requests without both sell scopes */
  GString *issued_tokens;     /* every access token issued, one a line */
} MockEbayStats;

MockEbay            *mock_ebay_new              (void);
void                 mock_ebay_free             (MockEbay     *mock);
const char          *mock_ebay_get_url          (MockEbay     *mock);

void                 mock_ebay_set_credentials  (MockEbay     *mock,
                                                 const char   *client_id,
                                                 const char   *client_secret,
                                                 const char   *refresh_token);
void                 mock_ebay_set_expires_in   (MockEbay     *mock,
                                                 guint         seconds);
void                 mock_ebay_revoke_tokens    (MockEbay     *mock);
void                 mock_ebay_throttle_next    (MockEbay     *mock,
                                                 guint         count,
                                                 guint         retry_after_s);
void                 mock_ebay_set_bulk_hook    (MockEbay     *mock,
                                                 MockEbayHook  hook,
                                                 gpointer      user_data);

guint                mock_ebay_add_item         (MockEbay     *mock,
                                                 const char   *sku,
                                                 gint64        quantity,
                                                 guint         n_offers);
void                 mock_ebay_fail_sku         (MockEbay     *mock,
                                                 const char   *sku,
                                                 guint         status,
                                                 gint64        error_id,
                                                 const char   *message);
gint64               mock_ebay_get_quantity     (MockEbay     *mock,
                                                 const char   *sku);
gint64               mock_ebay_get_offer_quantity (MockEbay   *mock,
                                                 const char   *sku,
                                                 guint         offer);
guint                mock_ebay_sku_updates      (MockEbay     *mock,
                                                 const char   *sku);
gint64               mock_ebay_last_sent        (MockEbay     *mock,
                                                 const char   *sku);

void                 mock_ebay_add_order        (MockEbay     *mock,
                                                 const char   *order_id,
                                                 const char   *sku,
                                                 gint64        quantity,
                                                 const char   *line_total);
void                 mock_ebay_cancel_order     (MockEbay     *mock,
                                                 const char   *order_id);

const MockEbayStats *mock_ebay_get_stats        (MockEbay     *mock);

G_END_DECLS
