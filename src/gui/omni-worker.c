/* omni-worker.c: database work that runs off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An OmniStore is one SQLite connection and is not thread-safe, so each job
 * opens its own store on the same file; WAL lets the main thread's
 * connection keep reading meanwhile. Jobs take the path, never a widget.
 */
#define G_LOG_DOMAIN "omni-worker"

#include "config.h"

#include "omni-store-demo.h"
#include "omni-worker.h"

typedef struct
{
  char    *path;
  guint32  seed;
} JobData;

static void
job_data_free (JobData *data)
{
  g_free (data->path);
  g_free (data);
}

static GTask *
job_new (const char          *path,
         guint32              seed,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  JobData *data = g_new0 (JobData, 1);

  data->path = g_strdup (path);
  data->seed = seed;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) job_data_free);

  return task;
}

/**
 * omni_worker_run_on_main:
 * @context: (nullable): the context to run @function in, %NULL for the
 *   global default one (the main thread's)
 * @function: called once (its return value is ignored)
 * @data: for @function
 * @notify: (nullable): frees @data afterwards
 *
 * From a worker thread: runs @function in the thread that iterates
 * @context, always later, through an idle source. g_main_context_invoke()
 * is not that: on a thread without a context of its own it runs the
 * function at once, on the worker, whenever it can acquire @context, which
 * it can whenever the main thread is between two iterations (as it is in a
 * test that iterates by hand). GTK must not be called from there, nor may
 * the last reference to a widget or a model be dropped there.
 */
void
omni_worker_run_on_main (GMainContext   *context,
                         GSourceFunc     function,
                         gpointer        data,
                         GDestroyNotify  notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, function, data, notify);
  g_source_set_static_name (source, "[omnistock] run on main");
  g_source_attach (source, context);
  g_source_unref (source);
}

static gboolean
release_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/**
 * omni_worker_release_on_main:
 * @task: (transfer full): a task a worker of our own pool has finished
 *
 * Drops the worker's reference to @task on the thread of the task's
 * context: the last reference to the task, and with it to its source object
 * (a view or a model, whose dispose may wait for this very worker), must
 * not go on the worker.
 */
void
omni_worker_release_on_main (GTask *task)
{
  omni_worker_run_on_main (g_task_get_context (task), release_cb, task, NULL);
}

typedef struct
{
  GObject            *owner;
  GAsyncReadyCallback callback;
  gpointer            user_data;
} Owned;

static void
owned_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Owned *owned = data;

  owned->callback (owned->owner, result, owned->user_data);
  g_clear_object (&owned->owner);
  g_free (owned);
}

/**
 * omni_worker_task_new:
 * @owner: (type GObject): the widget or model the task works for
 * @cancellable: (nullable): for g_task_new()
 * @callback: called with @owner as its source object
 * @user_data: for @callback
 *
 * Like g_task_new (@owner, …) for a task run in a thread, but @owner rides
 * with the callback rather than as the task's source object. The worker may
 * drop a task's last reference (GLib's thread pool unrefs it after the
 * result has gone to the main thread), and the owner's last reference must
 * not go with it there: GTK objects are finalized on the main thread only.
 * The task's own source object is %NULL.
 *
 * Returns: (transfer full): the task
 */
GTask *
omni_worker_task_new (gpointer             owner,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Owned *owned = g_new0 (Owned, 1);

  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);

  owned->owner = g_object_ref (owner);
  owned->callback = callback;
  owned->user_data = user_data;
  return g_task_new (NULL, cancellable, owned_ready_cb, owned);
}

void
omni_stats_result_free (OmniStatsResult *result)
{
  if (result == NULL)
    return;

  omni_store_stats_clear (&result->stats);
  g_free (result);
}

/* The connection is closed before the result goes back to the main thread,
 * so once a caller hears back no worker holds the file open. */
static OmniStatsResult *
read_stats (const char  *path,
            GError     **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniStatsResult) result = g_new0 (OmniStatsResult, 1);

  if (!(store = omni_store_open (path, error)) ||
      !omni_store_get_stats (store, &result->stats, error))
    return NULL;

  result->is_empty = omni_store_is_empty (store);

  return g_steal_pointer (&result);
}

static void
load_stats_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  JobData *data = task_data;
  OmniStatsResult *result;
  GError *error = NULL;

  if (!(result = read_stats (data->path, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) omni_stats_result_free);
}

/**
 * omni_worker_load_stats_async:
 * @path: the database file
 *
 * Reads the dashboard figures in a worker thread.
 */
void
omni_worker_load_stats_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = job_new (path, 0, cancellable, callback, user_data,
                  omni_worker_load_stats_async);
  g_task_run_in_thread (task, load_stats_thread);
}

/**
 * omni_worker_load_stats_finish:
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
OmniStatsResult *
omni_worker_load_stats_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        omni_worker_load_stats_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns 1 when demo data was written, 0 when the database was not empty
 * and -1 on error; the connection is closed before the caller hears back. */
static int
write_demo (const char  *path,
            guint32      seed,
            GError     **error)
{
  g_autoptr(OmniStore) store = NULL;

  if (!(store = omni_store_open (path, error)))
    return -1;

  /* Checked on this connection, right before writing, so a second request
   * (a click while --demo runs) never loads the demo twice. */
  if (!omni_store_is_empty (store))
    return 0;

  return omni_store_load_demo (store, seed, error) ? 1 : -1;
}

static void
load_demo_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  JobData *data = task_data;
  GError *error = NULL;
  int written;

  written = write_demo (data->path, data->seed, &error);
  if (written < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, written);
}

/**
 * omni_worker_load_demo_async:
 * @path: the database file
 * @seed: the demo generator's seed
 *
 * Fills an empty database with demo data in a worker thread. A database
 * that is no longer empty is left as it is.
 */
void
omni_worker_load_demo_async (const char          *path,
                             guint32              seed,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = job_new (path, seed, cancellable, callback, user_data,
                  omni_worker_load_demo_async);
  g_task_run_in_thread (task, load_demo_thread);
}

/**
 * omni_worker_load_demo_finish:
 * @loaded: (out) (optional): whether demo data was written
 *
 * Returns: %TRUE unless the job failed
 */
gboolean
omni_worker_load_demo_finish (GAsyncResult  *result,
                              gboolean      *loaded,
                              GError       **error)
{
  GError *local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        omni_worker_load_demo_async, FALSE);

  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (loaded != NULL)
    *loaded = value != 0;

  return TRUE;
}
