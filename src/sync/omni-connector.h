/* omni-connector.h: what every sales channel implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"
#include "omni-store-channel.h"

G_BEGIN_DECLS

#define OMNI_SYNC_ERROR (omni_sync_error_quark ())

/**
 * OmniSyncError:
 * @OMNI_SYNC_ERROR_FAILED: an unexpected failure; the message says which
 * @OMNI_SYNC_ERROR_NETWORK: the platform could not be reached; retried later
 * @OMNI_SYNC_ERROR_THROTTLED: the platform asked us to slow down; retried later
 * @OMNI_SYNC_ERROR_AUTH: the credentials were refused; the channel stops until
 *   the merchant re-authenticates
 * @OMNI_SYNC_ERROR_REMOTE: the platform answered with an error for this request
 * @OMNI_SYNC_ERROR_CONFLICT: the remote quantity changed since we last saw it
 * @OMNI_SYNC_ERROR_NO_KEYRING: no Secret Service is available to keep credentials
 */
typedef enum
{
  OMNI_SYNC_ERROR_FAILED,
  OMNI_SYNC_ERROR_NETWORK,
  OMNI_SYNC_ERROR_THROTTLED,
  OMNI_SYNC_ERROR_AUTH,
  OMNI_SYNC_ERROR_REMOTE,
  OMNI_SYNC_ERROR_CONFLICT,
  OMNI_SYNC_ERROR_NO_KEYRING,
} OmniSyncError;

/**
 * OmniSyncStats:
 *
 * What the last pull or push of a connector did, for progress, the sync log
 * and tests. Platforms leave the counters that mean nothing to them at 0.
 */
typedef struct
{
  guint  requests;            /* HTTP requests sent (every attempt) */
  guint  throttled;           /* throttled answers received (429, THROTTLED) */
  gint64 throttle_wait_ms;    /* time spent waiting for the rate limit */
  guint  token_exchanges;     /* access tokens obtained */
  gint64 variants;            /* remote variants or listings seen */
  gint64 linked;              /* newly linked this time */
  gint64 unmatched;           /* remote variants matching no local one */
  gint64 levels;              /* remote levels read */
  gint64 orders;              /* orders recorded */
  gint64 cancelled;           /* orders reversed */
  gint64 pushed;              /* outbox entries acknowledged */
  gint64 conflicts;           /* compare-and-set conflicts resolved */
  gint64 failed;              /* outbox entries that failed */
} OmniSyncStats;

#define OMNI_TYPE_CONNECTOR (omni_connector_get_type ())
G_DECLARE_INTERFACE (OmniConnector, omni_connector, OMNI, CONNECTOR, GObject)

/**
 * OmniConnectorInterface:
 * @get_platform: the platform's short name ("shopify", "amazon", "ebay")
 * @pull: reads remote products, levels and orders since the last cursor
 *   into the store given at construction; blocks, so call it on a worker
 *   thread (or use omni_connector_pull_async())
 * @push: sends due outbox entries, each exactly once; blocks like @pull
 * @get_stats: copies what the last @pull or @push did; callable from any
 *   thread
 *
 * One implementation per platform, created for a channel by
 * omni_connector_new_for_channel(). A connector opens its own #OmniStore
 * on the database path it is given, so it can run on any thread.
 */
struct _OmniConnectorInterface
{
  GTypeInterface parent_iface;

  const char *(*get_platform) (OmniConnector  *self);
  gboolean    (*pull)         (OmniConnector  *self,
                               GCancellable   *cancellable,
                               GError        **error);
  gboolean    (*push)         (OmniConnector  *self,
                               GCancellable   *cancellable,
                               GError        **error);
  void        (*get_stats)    (OmniConnector  *self,
                               OmniSyncStats  *stats);
};

GQuark      omni_sync_error_quark        (void);

const char *omni_connector_get_platform  (OmniConnector        *self);
gboolean    omni_connector_pull          (OmniConnector        *self,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean    omni_connector_push          (OmniConnector        *self,
                                          GCancellable         *cancellable,
                                          GError              **error);
void        omni_connector_get_stats     (OmniConnector        *self,
                                          OmniSyncStats        *stats);
void        omni_connector_pull_async    (OmniConnector        *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    omni_connector_pull_finish   (OmniConnector        *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        omni_connector_push_async    (OmniConnector        *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    omni_connector_push_finish   (OmniConnector        *self,
                                          GAsyncResult         *result,
                                          GError              **error);

OmniConnector *omni_connector_new_for_channel (const char        *db_path,
                                               const OmniChannel *channel,
                                               GError           **error);

G_END_DECLS
