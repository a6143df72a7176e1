/* omni-shopify.h: the Shopify Admin GraphQL connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-connector.h"

G_BEGIN_DECLS

/* The one place the Admin API version is chosen. Its schema is validated
 * against every document in this folder by tests/graphql. */
#define OMNI_SHOPIFY_API_VERSION "2026-07"

/* A first pull of more variants than this goes through a bulk operation. */
#define OMNI_SHOPIFY_DEFAULT_BULK_THRESHOLD 10000

/* Shopify refuses a single query that requests more than this. */
#define OMNI_SHOPIFY_MAX_QUERY_COST 1000

/**
 * OmniShopifyFirstSync:
 * @OMNI_SHOPIFY_FIRST_REMOTE: newly linked variants take Shopify's quantity
 * @OMNI_SHOPIFY_FIRST_LOCAL: newly linked variants push the local quantity
 */
typedef enum
{
  OMNI_SHOPIFY_FIRST_REMOTE,
  OMNI_SHOPIFY_FIRST_LOCAL,
} OmniShopifyFirstSync;

/* The connector's counters are the common ones; the old name stays for
 * the code that predates other platforms. */
typedef OmniSyncStats OmniShopifyStats;

/**
 * OmniShopifyShop:
 *
 * The connection test's answer.
 */
typedef struct
{
  char      *name;
  char      *currency;
  char      *domain;
  GPtrArray *locations;       /* element-type utf8: location names */
  GPtrArray *location_ids;    /* element-type utf8: their ids, in the same order */
} OmniShopifyShop;

#define OMNI_TYPE_SHOPIFY_CONNECTOR (omni_shopify_connector_get_type ())
G_DECLARE_FINAL_TYPE (OmniShopifyConnector, omni_shopify_connector, OMNI, SHOPIFY_CONNECTOR, GObject)

OmniShopifyConnector *omni_shopify_connector_new            (const char            *db_path,
                                                              gint64                 channel_id);
void                  omni_shopify_connector_set_first_sync  (OmniShopifyConnector  *self,
                                                              OmniShopifyFirstSync   first);
void                  omni_shopify_connector_set_page_size   (OmniShopifyConnector  *self,
                                                              guint                  page_size);
void                  omni_shopify_connector_set_lease       (OmniShopifyConnector  *self,
                                                              guint                  seconds);
void                  omni_shopify_connector_set_retry       (OmniShopifyConnector  *self,
                                                              guint                  max_attempts,
                                                              guint                  base_ms);
void                  omni_shopify_connector_set_timeout     (OmniShopifyConnector  *self,
                                                              guint                  seconds);
void                  omni_shopify_connector_set_bulk_threshold (OmniShopifyConnector *self,
                                                                 guint                 variants);
void                  omni_shopify_connector_set_force_bulk  (OmniShopifyConnector  *self,
                                                              gboolean               force);
gboolean              omni_shopify_connector_pull            (OmniShopifyConnector  *self,
                                                              GCancellable          *cancellable,
                                                              GError               **error);
gboolean              omni_shopify_connector_push            (OmniShopifyConnector  *self,
                                                              GCancellable          *cancellable,
                                                              GError               **error);
void                  omni_shopify_connector_get_stats       (OmniShopifyConnector  *self,
                                                              OmniShopifyStats      *stats);

char                 *omni_shopify_normalize_shop            (const char            *shop,
                                                              GError               **error);
char                 *omni_shopify_graphql_url               (const char            *shop,
                                                              const char            *api_url);
OmniShopifyShop      *omni_shopify_check_connection          (const char            *shop,
                                                              const char            *api_url,
                                                              const char            *client_id,
                                                              const char            *credential,
                                                              GCancellable          *cancellable,
                                                              GError               **error);
gint64                omni_shopify_add_channel               (OmniStore             *store,
                                                              const char            *name,
                                                              const char            *shop,
                                                              const char            *api_url,
                                                              const char            *client_id,
                                                              const char            *credential,
                                                              GError               **error);
void                  omni_shopify_shop_free                 (OmniShopifyShop       *shop);
GBytes               *omni_shopify_get_document              (const char            *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniShopifyShop, omni_shopify_shop_free)

G_END_DECLS
