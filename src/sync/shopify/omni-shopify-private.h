/* omni-shopify-private.h: the Shopify connector without the network
 *
 * For the fuzz target and tests only: a transport answers the connector's
 * requests instead of OmniHttp, and the credential is given instead of read
 * from the keyring, so every answer goes through the same interpretation
 * (GraphQL errors, throttle status, pages, userErrors) as a real one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-http.h"
#include "omni-shopify.h"

G_BEGIN_DECLS

/**
 * OmniShopifyTransport:
 * @url: the GraphQL or token endpoint
 * @content_type: of @body
 * @body: the request
 *
 * Returns: (transfer full): the answer, or %NULL with @error set, as
 *   omni_http_request() would give them
 */
typedef OmniHttpResponse *(*OmniShopifyTransport) (const char  *url,
                                                   const char  *content_type,
                                                   GBytes      *body,
                                                   gpointer     user_data,
                                                   GError     **error);

void _omni_shopify_connector_set_transport (OmniShopifyConnector *self,
                                            OmniShopifyTransport  transport,
                                            gpointer              user_data,
                                            const char           *credential);

G_END_DECLS
