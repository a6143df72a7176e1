/* omni-ebay-private.h: the eBay connector without the network
 *
 * For the fuzz target and tests only: a transport answers the connector's
 * requests instead of OmniHttp, and the credentials are given instead of
 * read from the keyring, so every answer goes through the same
 * interpretation (token exchange, eBay's errors, pages, per-SKU results)
 * as a real one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-http.h"
#include "omni-ebay.h"

G_BEGIN_DECLS

/**
 * OmniEbayTransport:
 * @method: the HTTP method
 * @url: the token endpoint or a Sell API address
 * @content_type: (nullable): of @body
 * @body: (nullable): the request
 *
 * Returns: (transfer full): the answer, or %NULL with @error set, as
 *   omni_http_request() would give them
 */
typedef OmniHttpResponse *(*OmniEbayTransport) (const char  *method,
                                                const char  *url,
                                                const char  *content_type,
                                                GBytes      *body,
                                                gpointer     user_data,
                                                GError     **error);

void _omni_ebay_connector_set_transport (OmniEbayConnector *self,
                                         OmniEbayTransport  transport,
                                         gpointer           user_data,
                                         const char        *credentials_json);

G_END_DECLS
