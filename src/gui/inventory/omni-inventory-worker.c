/* omni-inventory-worker.c: one worker thread with its own connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inventory views read and write batches off the main thread. Each view
 * owns one worker: a single thread that opens its own OmniStore on the same
 * file the first time it is needed and runs the view's jobs one after the
 * other. Disposing the worker waits for the jobs already queued (a view
 * cancels them first, so they end at once), so no thread holds the database
 * once the view is gone: a window can close and its file be removed.
 */
#define G_LOG_DOMAIN "omni-inventory-worker"

#include "config.h"

#include "omni-inventory-worker.h"
#include "omni-worker.h"

typedef struct
{
  GTask            *task;
  OmniInventoryJob  job;
} Job;

/* Touched only from the pool's thread, one job at a time. */
typedef struct
{
  char      *path;
  OmniStore *store;
} Connection;

struct _OmniInventoryWorker
{
  GObject      parent_instance;

  Connection  *connection;
  GThreadPool *pool;
};

G_DEFINE_FINAL_TYPE (OmniInventoryWorker, omni_inventory_worker, G_TYPE_OBJECT)

static void
connection_free (Connection *connection)
{
  g_clear_object (&connection->store);
  g_free (connection->path);
  g_free (connection);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *queued = data;
  Connection *connection = user_data;
  GTask *task = queued->task;
  OmniInventoryJob job = queued->job;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  g_free (queued);

  if (!g_task_return_error_if_cancelled (task))
    {
      if (connection->store == NULL)
        connection->store = omni_store_open (connection->path, &error);
      if (connection->store == NULL)
        g_task_return_error (task, error);
      else
        job (connection->store, task, g_task_get_task_data (task), cancellable);
    }

  /* The last reference to the task (and so to its source object, a view
   * or a model) must not drop here: disposing the owner of this worker on
   * its own thread would wait for the thread forever. */
  omni_worker_release_on_main (task);
}

static void
omni_inventory_worker_dispose (GObject *object)
{
  OmniInventoryWorker *self = OMNI_INVENTORY_WORKER (object);

  /* Runs what is queued (cancelled jobs return at once) and waits. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_clear_pointer (&self->connection, connection_free);

  G_OBJECT_CLASS (omni_inventory_worker_parent_class)->dispose (object);
}

static void
omni_inventory_worker_class_init (OmniInventoryWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_inventory_worker_dispose;
}

static void
omni_inventory_worker_init (OmniInventoryWorker *self)
{
}

/**
 * omni_inventory_worker_new:
 * @db_path: the database; the worker opens its own connection to it
 *
 * Returns: (transfer full): a new worker
 */
OmniInventoryWorker *
omni_inventory_worker_new (const char *db_path)
{
  OmniInventoryWorker *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (OMNI_TYPE_INVENTORY_WORKER, NULL);
  self->connection = g_new0 (Connection, 1);
  self->connection->path = g_strdup (db_path);
  self->pool = g_thread_pool_new (run_job, self->connection, 1, FALSE, NULL);

  return self;
}

/**
 * omni_inventory_worker_run:
 * @task: the task, with its data and cancellable set
 * @job: what to do in the thread
 *
 * Queues @job. The task's callback runs on the main thread as usual.
 */
void
omni_inventory_worker_run (OmniInventoryWorker *self,
                           GTask               *task,
                           OmniInventoryJob     job)
{
  Job *queued;

  g_return_if_fail (OMNI_IS_INVENTORY_WORKER (self));
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (job != NULL);
  g_return_if_fail (self->pool != NULL);

  queued = g_new0 (Job, 1);
  queued->task = g_object_ref (task);
  queued->job = job;
  g_thread_pool_push (self->pool, queued, NULL);
}
