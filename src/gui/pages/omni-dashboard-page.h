/* omni-dashboard-page.h: the shop at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-chart.h"
#include "omni-page.h"
#include "omni-stat-tile.h"

G_BEGIN_DECLS

#define OMNI_TYPE_DASHBOARD_PAGE (omni_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniDashboardPage, omni_dashboard_page, OMNI, DASHBOARD_PAGE, OmniPage)

GtkWidget  *omni_dashboard_page_new       (OmniContext       *context);
const char *omni_dashboard_page_get_view  (OmniDashboardPage *self);
gboolean    omni_dashboard_page_get_busy  (OmniDashboardPage *self);
void        omni_dashboard_page_load_demo (OmniDashboardPage *self);
OmniChart    *omni_dashboard_page_get_chart (OmniDashboardPage *self,
                                             const char        *name);
OmniStatTile *omni_dashboard_page_get_tile  (OmniDashboardPage *self,
                                             const char        *name);
GtkListBox   *omni_dashboard_page_get_list  (OmniDashboardPage *self,
                                             const char        *name);
GtkToggleButton *omni_dashboard_page_get_toggle (OmniDashboardPage *self,
                                                 const char        *name);

G_END_DECLS
