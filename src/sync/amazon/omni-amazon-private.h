/* omni-amazon-private.h: the Amazon connector without the network
 *
 * For the fuzz target and tests only: a transport answers the connector's
 * requests instead of its HTTP session, and the credentials are given
 * instead of read from the keyring, so every answer goes through the same
 * interpretation (token exchange, throttling, retries, pages, per-item
 * issues) as a real one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-http.h"
#include "omni-amazon.h"

G_BEGIN_DECLS

/**
 * OmniAmazonTransport:
 * @method: the HTTP method
 * @url: Login with Amazon's token endpoint or an SP-API address
 * @content_type: (nullable): of @body
 * @body: (nullable): the request
 *
 * Returns: (transfer full): the answer, or %NULL with @error set, as one
 *   attempt over the network would give them
 */
typedef OmniHttpResponse *(*OmniAmazonTransport) (const char  *method,
                                                  const char  *url,
                                                  const char  *content_type,
                                                  GBytes      *body,
                                                  gpointer     user_data,
                                                  GError     **error);

void _omni_amazon_connector_set_transport (OmniAmazonConnector *self,
                                           OmniAmazonTransport  transport,
                                           gpointer             user_data,
                                           const char          *credentials_json);

G_END_DECLS
