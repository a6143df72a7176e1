/* omni-report-po.h: a purchase order as a report table, for the PDF and
 * CSV sent to the supplier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-report-table.h"
#include "omni-store.h"

G_BEGIN_DECLS

OmniReportTable *omni_report_purchase_order (OmniStore  *store,
                                             gint64      po_id,
                                             GError    **error);

G_END_DECLS
