/* omni-amazon.h: the Amazon Selling Partner API connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-connector.h"
#include "omni-rate-limit.h"

G_BEGIN_DECLS

/* The local location that mirrors what Amazon's fulfilment centres hold. */
#define OMNI_AMAZON_FBA_LOCATION "Amazon FBA"

/* The remote location of merchant-fulfilled quantities. */
#define OMNI_AMAZON_MFN "MFN"

/**
 * OmniAmazonRegion:
 *
 * A Selling Partner API region: its code, endpoint and what it covers.
 */
typedef struct
{
  const char *code;         /* "na", "eu", "fe" */
  const char *endpoint;
  const char *name;
} OmniAmazonRegion;

/**
 * OmniAmazonMarketplace:
 *
 * A marketplace the wizard offers.
 */
typedef struct
{
  const char *id;
  const char *region;
  const char *country;
} OmniAmazonMarketplace;

/**
 * OmniAmazonCredentials:
 *
 * The keyring secret, parsed: a Login with Amazon client and the seller's
 * refresh token.
 */
typedef struct
{
  char *client_id;
  char *client_secret;
  char *refresh_token;
} OmniAmazonCredentials;

#define OMNI_TYPE_AMAZON_CONNECTOR (omni_amazon_connector_get_type ())
G_DECLARE_FINAL_TYPE (OmniAmazonConnector, omni_amazon_connector, OMNI, AMAZON_CONNECTOR, GObject)

OmniAmazonConnector *omni_amazon_connector_new          (const char           *db_path,
                                                          gint64                channel_id);
void                 omni_amazon_connector_set_retry    (OmniAmazonConnector  *self,
                                                          guint                 max_attempts,
                                                          guint                 base_ms);
void                 omni_amazon_connector_set_lease    (OmniAmazonConnector  *self,
                                                          guint                 seconds);
void                 omni_amazon_connector_set_page_size (OmniAmazonConnector *self,
                                                          guint                 page_size);
void                 omni_amazon_connector_set_token_margin (OmniAmazonConnector *self,
                                                          guint                 seconds);
OmniRateLimit       *omni_amazon_connector_get_rate_limit (OmniAmazonConnector *self);
gboolean             omni_amazon_connector_pull         (OmniAmazonConnector  *self,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
gboolean             omni_amazon_connector_push         (OmniAmazonConnector  *self,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
void                 omni_amazon_connector_get_stats    (OmniAmazonConnector  *self,
                                                          OmniSyncStats        *stats);

const OmniAmazonRegion      *omni_amazon_find_region     (const char           *code);
const OmniAmazonMarketplace *omni_amazon_marketplaces    (guint                *n_marketplaces);
const OmniAmazonMarketplace *omni_amazon_find_marketplace (const char          *id);
void                 omni_amazon_define_rate_limits      (OmniRateLimit        *limits);

OmniAmazonCredentials *omni_amazon_credentials_parse     (const char           *json,
                                                          GError              **error);
char                 *omni_amazon_credentials_to_json    (const OmniAmazonCredentials *credentials);
void                  omni_amazon_credentials_free       (OmniAmazonCredentials *credentials);

gboolean             omni_amazon_check_connection        (const char           *region,
                                                          const char           *api_url,
                                                          const char           *seller_id,
                                                          const char           *marketplace_id,
                                                          const OmniAmazonCredentials *credentials,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
gint64               omni_amazon_add_channel             (OmniStore            *store,
                                                          const char           *name,
                                                          const char           *seller_id,
                                                          const char           *region,
                                                          const char           *marketplace_id,
                                                          gint64                location_id,
                                                          const char           *api_url,
                                                          const OmniAmazonCredentials *credentials,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniAmazonCredentials, omni_amazon_credentials_free)

G_END_DECLS
