/* omni-report-render.h: a report table as CSV, PDF or a terminal table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-report-table.h"

G_BEGIN_DECLS

/**
 * OmniReportFormat:
 * @OMNI_REPORT_FORMAT_TABLE: plain text for a terminal
 * @OMNI_REPORT_FORMAT_CSV: one header line and a line per row, for
 *   spreadsheets (the totals row is left out: a spreadsheet sums by itself)
 * @OMNI_REPORT_FORMAT_PDF: A4 pages with a title, the filters, page numbers
 *   and the totals
 */
typedef enum
{
  OMNI_REPORT_FORMAT_TABLE,
  OMNI_REPORT_FORMAT_CSV,
  OMNI_REPORT_FORMAT_PDF,
} OmniReportFormat;

char     *omni_report_table_to_text   (OmniReportTable   *table);
gboolean  omni_report_table_write_csv (OmniReportTable   *table,
                                       GOutputStream     *stream,
                                       GCancellable      *cancellable,
                                       GError           **error);
gboolean  omni_report_table_write_pdf (OmniReportTable   *table,
                                       GOutputStream     *stream,
                                       GCancellable      *cancellable,
                                       GError           **error);
gboolean  omni_report_table_write     (OmniReportTable   *table,
                                       OmniReportFormat   format,
                                       GOutputStream     *stream,
                                       GCancellable      *cancellable,
                                       GError           **error);
gboolean  omni_report_table_save      (OmniReportTable   *table,
                                       OmniReportFormat   format,
                                       GFile             *file,
                                       GCancellable      *cancellable,
                                       GError           **error);

G_END_DECLS
