/* omni-reports-page.h: the Reports page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"

G_BEGIN_DECLS

#define OMNI_TYPE_REPORTS_PAGE (omni_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniReportsPage, omni_reports_page, OMNI, REPORTS_PAGE, OmniPage)

GtkWidget *omni_reports_page_new (OmniContext *context);

G_END_DECLS
