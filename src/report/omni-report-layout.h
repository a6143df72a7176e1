/* omni-report-layout.h: report pages, laid out once for PDF and print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "omni-report-table.h"

G_BEGIN_DECLS

/* A4 in points, portrait. */
#define OMNI_REPORT_PAGE_WIDTH  595.276
#define OMNI_REPORT_PAGE_HEIGHT 841.890
/* The PDF's margin on every side, in points. */
#define OMNI_REPORT_PAGE_MARGIN 36.0

typedef struct _OmniReportLayout OmniReportLayout;

gboolean          omni_report_layout_prefers_landscape (OmniReportTable  *table);
OmniReportLayout *omni_report_layout_new               (OmniReportTable  *table,
                                                        cairo_t          *cr,
                                                        double            width,
                                                        double            height);
guint             omni_report_layout_get_n_pages       (OmniReportLayout *self);
void              omni_report_layout_get_page_rows     (OmniReportLayout *self,
                                                        guint             page,
                                                        guint            *first,
                                                        guint            *n_rows);
void              omni_report_layout_draw_page         (OmniReportLayout *self,
                                                        cairo_t          *cr,
                                                        guint             page);
void              omni_report_layout_free              (OmniReportLayout *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniReportLayout, omni_report_layout_free)

G_END_DECLS
