/* omni-connector.h: what every sales channel implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"

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

#define OMNI_TYPE_CONNECTOR (omni_connector_get_type ())
G_DECLARE_INTERFACE (OmniConnector, omni_connector, OMNI, CONNECTOR, GObject)

/**
 * OmniConnectorInterface:
 * @get_platform: the platform's short name ("shopify", "amazon", "ebay")
 * @pull_async: reads remote products, levels and orders since the last cursor
 *   into the store given at construction
 * @push_async: sends due outbox entries, each exactly once
 *
 * One implementation per platform. Connectors run their network I/O on the
 * main context through libsoup's async API and their database work on a
 * worker with its own #OmniStore.
 */
struct _OmniConnectorInterface
{
  GTypeInterface parent_iface;

  const char *(*get_platform) (OmniConnector        *self);

  void        (*pull_async)   (OmniConnector        *self,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean    (*pull_finish)  (OmniConnector        *self,
                               GAsyncResult         *result,
                               GError              **error);

  void        (*push_async)   (OmniConnector        *self,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean    (*push_finish)  (OmniConnector        *self,
                               GAsyncResult         *result,
                               GError              **error);
};

GQuark      omni_sync_error_quark        (void);

const char *omni_connector_get_platform  (OmniConnector        *self);
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

G_END_DECLS
