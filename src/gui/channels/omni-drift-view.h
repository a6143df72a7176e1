/* omni-drift-view.h: per channel drift, freshness and activity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_DRIFT_VIEW (omni_drift_view_get_type ())
G_DECLARE_FINAL_TYPE (OmniDriftView, omni_drift_view, OMNI, DRIFT_VIEW, AdwPreferencesGroup)

GtkWidget *omni_drift_view_new          (OmniContext   *context);
void       omni_drift_view_reload       (OmniDriftView *self);
gboolean   omni_drift_view_is_loading   (OmniDriftView *self);
char      *omni_drift_view_format_age   (const char    *platform,
                                         const char    *at_iso,
                                         GDateTime     *now);

G_END_DECLS
