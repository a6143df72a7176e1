/* omni-reconcile.h: the full comparison of a channel's quantities
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-connector.h"
#include "omni-store-drift.h"

G_BEGIN_DECLS

gboolean omni_reconcile_run    (OmniStore      *store,
                                OmniConnector  *connector,
                                gint64          channel_id,
                                gint64          now_us,
                                GCancellable   *cancellable,
                                guint          *n_drifts,
                                GError        **error);
gboolean omni_reconcile_if_due (OmniStore      *store,
                                OmniConnector  *connector,
                                gint64          channel_id,
                                gint64          now_us,
                                GCancellable   *cancellable,
                                gboolean       *ran,
                                guint          *n_drifts,
                                GError        **error);

G_END_DECLS
