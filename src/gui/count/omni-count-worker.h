/* omni-count-worker.h: stock count work that grows with the count, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store-count.h"

G_BEGIN_DECLS

/**
 * OmniCountSnapshot:
 * @open_sessions: (element-type OmniCountSession): every open count, newest first
 * @session: (nullable): the count that was loaded, %NULL when none was (no
 *   count open, several open and none asked for, or the one asked for is no
 *   longer open)
 * @lines: (element-type OmniCountLine) (nullable): its lines
 * @unknown: (element-type OmniCountUnknown) (nullable): its unknown codes
 * @currency: the shop currency
 */
typedef struct
{
  GPtrArray        *open_sessions;
  OmniCountSession *session;
  GPtrArray        *lines;
  GPtrArray        *unknown;
  char             *currency;
} OmniCountSnapshot;

/**
 * OmniCountLocation:
 * @id: the location
 * @name: its name
 * @is_default: the shop's default location
 */
typedef struct
{
  gint64    id;
  char     *name;
  gboolean  is_default;
} OmniCountLocation;

/**
 * OmniCountChoices:
 * @locations: (element-type OmniCountLocation): where a count can be made,
 *   default first
 * @vendors: the vendors of active products
 * @types: their product types
 * @tags: their tags
 */
typedef struct
{
  GPtrArray *locations;
  GStrv      vendors;
  GStrv      types;
  GStrv      tags;
} OmniCountChoices;

void               omni_count_snapshot_free     (OmniCountSnapshot    *snapshot);
void               omni_count_choices_free      (OmniCountChoices     *choices);

void               omni_count_worker_load_async (const char           *path,
                                                 gint64                session_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
OmniCountSnapshot *omni_count_worker_load_finish (GAsyncResult        *result,
                                                 GError              **error);

gssize             omni_count_write_sheet      (OmniStore            *store,
                                                 gint64                session_id,
                                                 GFile                *file,
                                                 GCancellable         *cancellable,
                                                 GError              **error);

void               omni_count_worker_choices_async (const char        *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
OmniCountChoices  *omni_count_worker_choices_finish (GAsyncResult     *result,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCountSnapshot, omni_count_snapshot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCountChoices, omni_count_choices_free)

G_END_DECLS
