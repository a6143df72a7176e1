/* omni-connector-factory.c: the connector for a channel's platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include "omni-connector.h"
#include "omni-shopify.h"
#include "omni-ebay.h"
#include "omni-amazon.h"

/**
 * omni_connector_new_for_channel:
 * @db_path: the database the connector opens its own store on
 * @channel: the channel to sync
 *
 * Creates the connector of @channel's platform.
 *
 * Returns: (transfer full): a new connector, or %NULL with @error set when
 *   this build cannot sync with that platform
 */
OmniConnector *
omni_connector_new_for_channel (const char         *db_path,
                                const OmniChannel  *channel,
                                GError            **error)
{
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  if (g_strcmp0 (channel->platform, "shopify") == 0)
    return OMNI_CONNECTOR (omni_shopify_connector_new (db_path, channel->id));
  if (g_strcmp0 (channel->platform, "ebay") == 0)
    return OMNI_CONNECTOR (omni_ebay_connector_new (db_path, channel->id));
  if (g_strcmp0 (channel->platform, "amazon") == 0)
    return OMNI_CONNECTOR (omni_amazon_connector_new (db_path, channel->id));

  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
               "Channel “%s” is on %s, which this version of OmniStock cannot sync with",
               channel->name, channel->platform);
  return NULL;
}
