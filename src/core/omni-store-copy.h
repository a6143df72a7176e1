/* omni-store-copy.h: moving a whole store between SQLite and PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint  n_tables;
  gint64 n_rows;
} OmniStoreCopyResult;

/* Called after each table: @done of @total tables, @rows copied so far. */
typedef void (*OmniStoreCopyProgress) (guint    done,
                                       guint    total,
                                       gint64   rows,
                                       gpointer user_data);

gboolean omni_store_copy_into (OmniStore             *source,
                               OmniStore             *target,
                               OmniStoreCopyResult   *result,
                               OmniStoreCopyProgress  progress,
                               gpointer               user_data,
                               GCancellable          *cancellable,
                               GError               **error);

G_END_DECLS
