/* omni-location-map-dialog.h: which remote location syncs with which local one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-store.h"

G_BEGIN_DECLS

/* What a mapping row may say besides a local location's id. */
#define OMNI_LOCATION_MAP_NONE 0
#define OMNI_LOCATION_MAP_NEW  (-1)

/**
 * OmniLocationChoice:
 * @location_id: a local location, %OMNI_LOCATION_MAP_NONE (not synced) or
 *   %OMNI_LOCATION_MAP_NEW (a new local location named like the remote one)
 *
 * The merchant's choice for one remote location.
 */
typedef struct
{
  char   *remote_id;
  char   *remote_name;
  gint64  location_id;
} OmniLocationChoice;

void        omni_location_choice_free         (OmniLocationChoice  *choice);

GtkWidget  *omni_location_map_row_new         (const char          *remote_id,
                                               const char          *remote_name,
                                               GPtrArray           *locals,
                                               gint64               selected);
OmniLocationChoice *omni_location_map_row_get_choice (GtkWidget    *row);

gboolean    omni_location_map_check           (GPtrArray           *choices,
                                               GError             **error);
gboolean    omni_location_map_apply           (OmniStore           *store,
                                               gint64               channel_id,
                                               GPtrArray           *choices,
                                               GError             **error);

void        omni_location_map_apply_async     (const char          *db_path,
                                               gint64               channel_id,
                                               GPtrArray           *choices,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    omni_location_map_apply_finish    (GAsyncResult        *result,
                                               GError             **error);

void        omni_location_map_load_locals_async (const char        *db_path,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
GPtrArray  *omni_location_map_load_locals_finish (GAsyncResult     *result,
                                                  GError          **error);

#define OMNI_TYPE_LOCATION_MAP_DIALOG (omni_location_map_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniLocationMapDialog, omni_location_map_dialog, OMNI, LOCATION_MAP_DIALOG,
                      AdwWindow)

OmniLocationMapDialog *omni_location_map_dialog_new (GtkWindow  *parent,
                                                     const char *db_path,
                                                     gint64      channel_id,
                                                     const char *channel_name);

G_END_DECLS
