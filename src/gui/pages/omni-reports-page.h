/* omni-reports-page.h: the Reports page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"
#include "omni-report-build.h"
#include "omni-report-render.h"

G_BEGIN_DECLS

#define OMNI_TYPE_REPORTS_PAGE (omni_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniReportsPage, omni_reports_page, OMNI, REPORTS_PAGE, OmniPage)

GtkWidget       *omni_reports_page_new        (OmniContext      *context);
gboolean         omni_reports_page_get_busy   (OmniReportsPage  *self);
OmniReportTable *omni_reports_page_get_table  (OmniReportsPage  *self);
void             omni_reports_page_select     (OmniReportsPage  *self,
                                               OmniReportKind    kind);
GtkWidget       *omni_reports_page_get_widget (OmniReportsPage  *self,
                                               const char       *name);
void             omni_reports_page_export     (OmniReportsPage  *self,
                                               GFile            *file,
                                               OmniReportFormat  format);
gboolean         omni_reports_page_print_to_file (OmniReportsPage *self,
                                               const char       *path,
                                               GError          **error);

G_END_DECLS
