/* omni-channels-worker.h: channel work off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-shopify.h"
#include "omni-store-channel.h"

G_BEGIN_DECLS

/**
 * OmniChannelConnect:
 *
 * What the connection wizard collected. @credential is wiped when freed.
 */
typedef struct
{
  char *db_path;
  char *shop;           /* NAME.myshopify.com */
  char *api_url;        /* nullable */
  char *client_id;      /* nullable: a legacy access token */
  char *credential;
} OmniChannelConnect;

void              omni_channel_connect_free          (OmniChannelConnect   *connect);

void              omni_channels_load_async           (const char           *db_path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray        *omni_channels_load_finish          (GAsyncResult         *result,
                                                      GError              **error);

void              omni_channels_test_async           (OmniChannelConnect   *connect,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
OmniShopifyShop  *omni_channels_test_finish          (GAsyncResult         *result,
                                                      GError              **error);

void              omni_channels_add_async            (OmniChannelConnect   *connect,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64            omni_channels_add_finish           (GAsyncResult         *result,
                                                      GError              **error);

void              omni_channels_remove_async         (const char           *db_path,
                                                      gint64                channel_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          omni_channels_remove_finish        (GAsyncResult         *result,
                                                      GError              **error);

void              omni_channels_sync_async           (const char           *db_path,
                                                      gint64                channel_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          omni_channels_sync_finish          (GAsyncResult         *result,
                                                      OmniSyncStats        *stats,
                                                      GError              **error);

G_END_DECLS
