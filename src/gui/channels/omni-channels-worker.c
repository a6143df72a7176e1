/* omni-channels-worker.c: channel work off the main thread
 *
 * Each call runs on a GTask thread with its own database connection; the
 * keyring and the network are only touched there, never on the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-channels"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "omni-channels-worker.h"
#include "omni-reconcile.h"
#include "omni-secret.h"

void
omni_channel_connect_free (OmniChannelConnect *connect)
{
  if (connect == NULL)
    return;
  g_free (connect->db_path);
  g_free (connect->shop);
  g_free (connect->api_url);
  g_free (connect->client_id);
  if (connect->credential != NULL)
    memset (connect->credential, 0, strlen (connect->credential));
  g_free (connect->credential);
  g_free (connect);
}

static OmniChannelConnect *
connect_copy (const OmniChannelConnect *c)
{
  OmniChannelConnect *copy = g_new0 (OmniChannelConnect, 1);

  copy->db_path = g_strdup (c->db_path);
  copy->shop = g_strdup (c->shop);
  copy->api_url = g_strdup (c->api_url);
  copy->client_id = g_strdup (c->client_id);
  copy->credential = g_strdup (c->credential);
  return copy;
}

/* Load ------------------------------------------------------------------ */

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(OmniStore) store = NULL;
  GPtrArray *channels;
  GError *error = NULL;

  store = omni_store_open (task_data, &error);
  if (store == NULL || (channels = omni_store_list_channels (store, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, channels, (GDestroyNotify)g_ptr_array_unref);
}

void
omni_channels_load_async (const char          *db_path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * omni_channels_load_finish:
 *
 * Returns: (transfer full) (element-type OmniChannel): the channels
 */
GPtrArray *
omni_channels_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Test ------------------------------------------------------------------ */

static void
test_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OmniChannelConnect *c = task_data;
  OmniShopifyShop *shop;
  GError *error = NULL;

  shop = omni_shopify_check_connection (c->shop, c->api_url, c->client_id, c->credential,
                                        cancellable, &error);
  if (shop == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, shop, (GDestroyNotify)omni_shopify_shop_free);
}

void
omni_channels_test_async (OmniChannelConnect  *connect,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, connect_copy (connect), (GDestroyNotify)omni_channel_connect_free);
  g_task_run_in_thread (task, test_thread);
}

OmniShopifyShop *
omni_channels_test_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Add ------------------------------------------------------------------- */

static void
add_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  OmniChannelConnect *c = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  gint64 id = 0;

  store = omni_store_open (c->db_path, &error);
  if (store != NULL)
    id = omni_shopify_add_channel (store, NULL, c->shop, c->api_url, c->client_id,
                                   c->credential, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

void
omni_channels_add_async (OmniChannelConnect  *connect,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, connect_copy (connect), (GDestroyNotify)omni_channel_connect_free);
  g_task_run_in_thread (task, add_thread);
}

gint64
omni_channels_add_finish (GAsyncResult  *result,
                          GError       **error)
{
  gssize id = g_task_propagate_int (G_TASK (result), error);

  return id > 0 ? id : 0;
}

/* Remove ---------------------------------------------------------------- */

typedef struct
{
  char   *db_path;
  gint64  channel_id;
} ChannelJob;

static void
channel_job_free (ChannelJob *job)
{
  g_free (job->db_path);
  g_free (job);
}

static void
remove_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ChannelJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  GError *error = NULL;

  store = omni_store_open (job->db_path, &error);
  if (store != NULL)
    channel = omni_store_get_channel (store, job->channel_id, &error);
  if (channel == NULL ||
      !omni_secret_clear (channel->platform, channel->account, cancellable, &error) ||
      !omni_store_remove_channel (store, job->channel_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static GTask *
channel_task (const char          *db_path,
              gint64               channel_id,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ChannelJob *job = g_new0 (ChannelJob, 1);

  job->db_path = g_strdup (db_path);
  job->channel_id = channel_id;
  g_task_set_task_data (task, job, (GDestroyNotify)channel_job_free);
  return task;
}

void
omni_channels_remove_async (const char          *db_path,
                            gint64               channel_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = channel_task (db_path, channel_id, cancellable, callback, user_data);

  g_task_run_in_thread (task, remove_thread);
}

gboolean
omni_channels_remove_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sync ------------------------------------------------------------------ */

static void
sync_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ChannelJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(OmniConnector) connector = NULL;
  OmniSyncStats *stats;
  OmniSyncStats pushed = { 0 };
  GError *error = NULL;

  store = omni_store_open (job->db_path, &error);
  if (store != NULL)
    channel = omni_store_get_channel (store, job->channel_id, &error);
  if (channel != NULL)
    connector = omni_connector_new_for_channel (job->db_path, channel, &error);
  if (connector == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  stats = g_new0 (OmniSyncStats, 1);
  /* A paused channel does nothing; its direction says which halves run. */
  if (channel->paused)
    {
      g_task_return_pointer (task, stats, g_free);
      return;
    }
  /* The connector writes through its own store; this one holds the
   * channel's sync lock, so on a shared store two computers never push
   * the same change (the other one's sync does the work; the watch shows
   * its result here). */
  if (!omni_store_try_lock_channel_sync (store, job->channel_id, NULL, &error))
    {
      g_free (stats);
      if (error == NULL)
        {
          g_debug ("Channel %" G_GINT64_FORMAT " is being synced by another computer",
                   job->channel_id);
          g_task_return_pointer (task, g_new0 (OmniSyncStats, 1), g_free);
        }
      else
        g_task_return_error (task, error);
      return;
    }
  if (channel->pulls && !omni_connector_pull (connector, cancellable, &error))
    {
      g_free (stats);
      g_task_return_error (task, error);
      return;
    }
  omni_connector_get_stats (connector, stats);
  if (channel->pushes && !omni_connector_push (connector, cancellable, &error))
    {
      g_free (stats);
      g_task_return_error (task, error);
      return;
    }
  omni_connector_get_stats (connector, &pushed);

  /* Once a day the levels are pulled in full and compared; the drift view
   * and the sync log show the result. A failure is logged there and tried
   * again at the next sync, without failing this one. */
  if (channel->pulls)
    {
      g_autoptr(OmniStore) check = omni_store_open (job->db_path, NULL);
      g_autoptr(GError) reconcile_error = NULL;

      if (check != NULL &&
          !omni_reconcile_if_due (check, connector, job->channel_id, g_get_real_time (),
                                  cancellable, NULL, NULL, &reconcile_error))
        g_debug ("Full comparison of channel %" G_GINT64_FORMAT " failed: %s",
                 job->channel_id, reconcile_error->message);
    }
  stats->pushed = pushed.pushed;
  stats->conflicts = pushed.conflicts;
  stats->failed = pushed.failed;
  g_task_return_pointer (task, stats, g_free);
}

void
omni_channels_sync_async (const char          *db_path,
                          gint64               channel_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = channel_task (db_path, channel_id, cancellable, callback, user_data);

  g_task_run_in_thread (task, sync_thread);
}

gboolean
omni_channels_sync_finish (GAsyncResult      *result,
                           OmniSyncStats     *stats,
                           GError           **error)
{
  g_autofree OmniSyncStats *result_stats = g_task_propagate_pointer (G_TASK (result), error);

  if (result_stats == NULL)
    return FALSE;
  if (stats != NULL)
    *stats = *result_stats;
  return TRUE;
}
