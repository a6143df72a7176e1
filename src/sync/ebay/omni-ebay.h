/* omni-ebay.h: the eBay Sell API connector (Inventory and Fulfillment APIs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-connector.h"

G_BEGIN_DECLS

#define OMNI_EBAY_PRODUCTION_URL "https://api.ebay.com"
#define OMNI_EBAY_SANDBOX_URL    "https://api.sandbox.ebay.com"

/* The one remote location of an eBay channel: the seller's ship-to-home
 * quantity (shipToLocationAvailability). */
#define OMNI_EBAY_LOCATION       "DEFAULT"

/* bulkUpdatePriceQuantity takes at most this many requests per call. */
#define OMNI_EBAY_MAX_BULK       25

/**
 * OmniEbayCredentials:
 *
 * What the keyring holds for an eBay channel, as one JSON object
 * `{"client_id", "client_secret", "refresh_token"}`.
 */
typedef struct
{
  char *client_id;
  char *client_secret;
  char *refresh_token;
} OmniEbayCredentials;

/**
 * OmniEbayAccount:
 *
 * The connection test's answer.
 */
typedef struct
{
  gint64  inventory_items;    /* what eBay reports as the total */
  guint   expires_in;         /* the access token's lifetime, seconds */
} OmniEbayAccount;

#define OMNI_TYPE_EBAY_CONNECTOR (omni_ebay_connector_get_type ())
G_DECLARE_FINAL_TYPE (OmniEbayConnector, omni_ebay_connector, OMNI, EBAY_CONNECTOR, GObject)

OmniEbayConnector   *omni_ebay_connector_new           (const char           *db_path,
                                                        gint64                channel_id);
void                 omni_ebay_connector_set_page_size (OmniEbayConnector    *self,
                                                        guint                 page_size);
void                 omni_ebay_connector_set_lease     (OmniEbayConnector    *self,
                                                        guint                 seconds);
void                 omni_ebay_connector_set_retry     (OmniEbayConnector    *self,
                                                        guint                 max_attempts,
                                                        guint                 base_ms);
void                 omni_ebay_connector_set_clock     (OmniEbayConnector    *self,
                                                        gint64                offset_us);
gboolean             omni_ebay_connector_pull          (OmniEbayConnector    *self,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
gboolean             omni_ebay_connector_push          (OmniEbayConnector    *self,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void                 omni_ebay_connector_get_stats     (OmniEbayConnector    *self,
                                                        OmniSyncStats        *stats);

OmniEbayCredentials *omni_ebay_credentials_parse       (const char           *json,
                                                        GError              **error);
char                *omni_ebay_credentials_to_json     (const OmniEbayCredentials *credentials);
void                 omni_ebay_credentials_free        (OmniEbayCredentials  *credentials);
const char * const  *omni_ebay_marketplaces            (void);
gboolean             omni_ebay_check_marketplace       (const char           *marketplace,
                                                        GError              **error);
char                *omni_ebay_base_url                (const char           *api_url);

OmniEbayAccount     *omni_ebay_check_connection        (const OmniEbayCredentials *credentials,
                                                        const char           *marketplace,
                                                        const char           *api_url,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void                 omni_ebay_account_free            (OmniEbayAccount      *account);

gint64               omni_ebay_add_channel             (OmniStore            *store,
                                                        const char           *name,
                                                        const char           *marketplace,
                                                        gint64                location_id,
                                                        const char           *api_url,
                                                        const OmniEbayCredentials *credentials,
                                                        GCancellable         *cancellable,
                                                        GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniEbayCredentials, omni_ebay_credentials_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniEbayAccount, omni_ebay_account_free)

G_END_DECLS
