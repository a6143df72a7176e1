/* omni-connector.c: what every sales channel implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include "omni-connector.h"

G_DEFINE_QUARK (omni-sync-error-quark, omni_sync_error)

G_DEFINE_INTERFACE (OmniConnector, omni_connector, G_TYPE_OBJECT)

static void
omni_connector_default_init (OmniConnectorInterface *iface)
{
}

const char *
omni_connector_get_platform (OmniConnector *self)
{
  g_return_val_if_fail (OMNI_IS_CONNECTOR (self), NULL);

  return OMNI_CONNECTOR_GET_IFACE (self)->get_platform (self);
}

void
omni_connector_pull_async (OmniConnector       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (OMNI_IS_CONNECTOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  OMNI_CONNECTOR_GET_IFACE (self)->pull_async (self, cancellable, callback, user_data);
}

gboolean
omni_connector_pull_finish (OmniConnector  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (OMNI_IS_CONNECTOR (self), FALSE);

  return OMNI_CONNECTOR_GET_IFACE (self)->pull_finish (self, result, error);
}

void
omni_connector_push_async (OmniConnector       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (OMNI_IS_CONNECTOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  OMNI_CONNECTOR_GET_IFACE (self)->push_async (self, cancellable, callback, user_data);
}

gboolean
omni_connector_push_finish (OmniConnector  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (OMNI_IS_CONNECTOR (self), FALSE);

  return OMNI_CONNECTOR_GET_IFACE (self)->push_finish (self, result, error);
}
