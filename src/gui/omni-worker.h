/* omni-worker.h: database work that runs off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniStatsResult:
 * @is_empty: the database holds no catalog yet
 * @stats: the figures omni_store_get_stats() returned
 */
typedef struct
{
  gboolean       is_empty;
  OmniStoreStats stats;
} OmniStatsResult;

void             omni_stats_result_free       (OmniStatsResult     *result);

void             omni_worker_run_on_main      (GMainContext        *context,
                                               GSourceFunc          function,
                                               gpointer             data,
                                               GDestroyNotify       notify);
void             omni_worker_release_on_main  (GTask               *task);
GTask           *omni_worker_task_new         (gpointer             owner,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);

void             omni_worker_load_stats_async (const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
OmniStatsResult *omni_worker_load_stats_finish (GAsyncResult       *result,
                                                GError            **error);

void             omni_worker_load_demo_async  (const char          *path,
                                               guint32              seed,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean         omni_worker_load_demo_finish (GAsyncResult        *result,
                                               gboolean            *loaded,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniStatsResult, omni_stats_result_free)

G_END_DECLS
