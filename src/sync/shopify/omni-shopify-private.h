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

/**
 * OmniShopifyBulkLimits:
 * @poll_first_ms: the first wait before asking how a bulk operation goes
 * @poll_max_ms: the longest wait between two polls (the wait doubles)
 * @max_wait_s: how long the operation may run before the pull gives up
 * @max_line: the longest JSONL line accepted, in bytes
 * @max_bytes: the largest result accepted, in bytes
 * @batch: variants linked per transaction
 * @timeout_s: seconds without progress before the download fails
 *
 * The bounds of a bulk pull (omni-shopify-bulk.c).
 */
typedef struct
{
  guint   poll_first_ms;
  guint   poll_max_ms;
  guint   max_wait_s;
  gsize   max_line;
  guint64 max_bytes;
  guint   batch;
  guint   timeout_s;
} OmniShopifyBulkLimits;

void _omni_shopify_connector_set_bulk_limits (OmniShopifyConnector        *self,
                                              const OmniShopifyBulkLimits *limits);

/* One pull or push of the connector, as the bulk path sees it. */
typedef struct _OmniShopifyRun OmniShopifyRun;

JsonNode     *_omni_shopify_run_graphql         (OmniShopifyRun  *run,
                                                 const char      *document,
                                                 double           estimate,
                                                 JsonNode        *variables,
                                                 GError         **error);
void          _omni_shopify_run_log             (OmniShopifyRun  *run,
                                                 const char      *operation,
                                                 const char      *status,
                                                 guint            http_status,
                                                 gint64           duration_ms,
                                                 const char      *message);
void          _omni_shopify_run_redact_error    (OmniShopifyRun  *run,
                                                 GError          *error);
OmniStore    *_omni_shopify_run_get_store       (OmniShopifyRun  *run);
GCancellable *_omni_shopify_run_get_cancellable (OmniShopifyRun  *run);
gboolean      _omni_shopify_run_apply_variant   (OmniShopifyRun  *run,
                                                 JsonObject      *node,
                                                 GHashTable      *fresh,
                                                 char           **newest,
                                                 GError         **error);

gboolean      _omni_shopify_bulk_pull_variants  (OmniShopifyRun              *run,
                                                 const OmniShopifyBulkLimits *limits,
                                                 GHashTable                  *fresh,
                                                 char                       **newest,
                                                 GError                     **error);

G_END_DECLS
