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

/**
 * omni_connector_pull:
 *
 * Reads what changed on the platform since the last cursor into the store.
 * Blocks on network I/O: call it on a worker thread.
 *
 * Returns: %TRUE on success, else %FALSE with @error in %OMNI_SYNC_ERROR
 */
gboolean
omni_connector_pull (OmniConnector  *self,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_return_val_if_fail (OMNI_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return OMNI_CONNECTOR_GET_IFACE (self)->pull (self, cancellable, error);
}

/**
 * omni_connector_push:
 *
 * Sends the channel's due outbox entries, each exactly once. Blocks on
 * network I/O: call it on a worker thread.
 *
 * Returns: %TRUE on success, else %FALSE with @error in %OMNI_SYNC_ERROR
 */
gboolean
omni_connector_push (OmniConnector  *self,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_return_val_if_fail (OMNI_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return OMNI_CONNECTOR_GET_IFACE (self)->push (self, cancellable, error);
}

void
omni_connector_get_stats (OmniConnector *self,
                          OmniSyncStats *stats)
{
  g_return_if_fail (OMNI_IS_CONNECTOR (self));
  g_return_if_fail (stats != NULL);

  OMNI_CONNECTOR_GET_IFACE (self)->get_stats (self, stats);
}

static void
pull_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (omni_connector_pull (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
push_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (omni_connector_push (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* A pull or push started on a worker keeps running to its end once
 * started (return_on_cancel is off): the store is left between two
 * transactions, never inside one. */
void
omni_connector_pull_async (OmniConnector       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OMNI_IS_CONNECTOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, omni_connector_pull_async);
  g_task_run_in_thread (task, pull_thread);
}

gboolean
omni_connector_pull_finish (OmniConnector  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (OMNI_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
omni_connector_push_async (OmniConnector       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OMNI_IS_CONNECTOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, omni_connector_push_async);
  g_task_run_in_thread (task, push_thread);
}

gboolean
omni_connector_push_finish (OmniConnector  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (OMNI_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
