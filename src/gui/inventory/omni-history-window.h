/* omni-history-window.h: one variant's movements with running balances
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_HISTORY_WINDOW (omni_history_window_get_type ())
G_DECLARE_FINAL_TYPE (OmniHistoryWindow, omni_history_window, OMNI, HISTORY_WINDOW, AdwWindow)

OmniHistoryWindow *omni_history_window_new           (GtkWindow         *parent,
                                                      OmniContext       *context,
                                                      gint64             variant_id);
GListModel        *omni_history_window_get_movements (OmniHistoryWindow *self);
gboolean           omni_history_window_get_loading   (OmniHistoryWindow *self);
gboolean           omni_history_window_set_reason    (OmniHistoryWindow *self,
                                                      const char        *reason);
void               omni_history_window_set_dates     (OmniHistoryWindow *self,
                                                      const char        *from,
                                                      const char        *to);
void               omni_history_window_export_async  (OmniHistoryWindow *self,
                                                      GFile             *file,
                                                      GCancellable      *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer           user_data);
gboolean           omni_history_window_export_finish (OmniHistoryWindow *self,
                                                      GAsyncResult      *result,
                                                      GError           **error);

G_END_DECLS
