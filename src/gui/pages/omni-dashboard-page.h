/* omni-dashboard-page.h: the shop at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"

G_BEGIN_DECLS

#define OMNI_TYPE_DASHBOARD_PAGE (omni_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniDashboardPage, omni_dashboard_page, OMNI, DASHBOARD_PAGE, OmniPage)

GtkWidget  *omni_dashboard_page_new       (OmniContext       *context);
const char *omni_dashboard_page_get_view  (OmniDashboardPage *self);
gboolean    omni_dashboard_page_get_busy  (OmniDashboardPage *self);
void        omni_dashboard_page_load_demo (OmniDashboardPage *self);

G_END_DECLS
