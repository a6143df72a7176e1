/* omni-inventory-worker.h: one worker thread with its own connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniInventoryJob:
 * @store: the worker's own connection
 * @task: return through it (g_task_return_*), exactly once
 *
 * Runs in the worker thread; it never touches widgets.
 */
typedef void (*OmniInventoryJob) (OmniStore    *store,
                                  GTask        *task,
                                  gpointer      task_data,
                                  GCancellable *cancellable);

#define OMNI_TYPE_INVENTORY_WORKER (omni_inventory_worker_get_type ())
G_DECLARE_FINAL_TYPE (OmniInventoryWorker, omni_inventory_worker, OMNI, INVENTORY_WORKER, GObject)

OmniInventoryWorker *omni_inventory_worker_new  (const char          *db_path);
void                 omni_inventory_worker_run  (OmniInventoryWorker *self,
                                                 GTask               *task,
                                                 OmniInventoryJob     job);

G_END_DECLS
