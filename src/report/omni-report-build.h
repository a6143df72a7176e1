/* omni-report-build.h: report tables built from the core's report queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-report-table.h"
#include "omni-store.h"
#include "omni-store-report.h"

G_BEGIN_DECLS

/**
 * OmniReportKind:
 * @OMNI_REPORT_VALUATION: stock value at cost and retail, now or at a date
 * @OMNI_REPORT_LOW_STOCK: variants at or below their reorder point
 * @OMNI_REPORT_REORDER: every variant with something to order
 * @OMNI_REPORT_MOVEMENTS: the ledger over a date range
 * @OMNI_REPORT_SALES: units and revenue by variant, product, channel or day
 * @OMNI_REPORT_COUNT_VARIANCES: what a stock count found against the books
 * @OMNI_REPORT_SLOW_MOVERS: stock that sold least, most money tied up first
 */
typedef enum
{
  OMNI_REPORT_VALUATION,
  OMNI_REPORT_LOW_STOCK,
  OMNI_REPORT_REORDER,
  OMNI_REPORT_MOVEMENTS,
  OMNI_REPORT_SALES,
  OMNI_REPORT_COUNT_VARIANCES,
  OMNI_REPORT_SLOW_MOVERS,
} OmniReportKind;

#define OMNI_REPORT_N_KINDS (OMNI_REPORT_SLOW_MOVERS + 1)

/* How many rows the slow movers report lists by default. */
#define OMNI_REPORT_DEFAULT_LIMIT 50

/* The sales window low-stock and reorder figures use by default. */
#define OMNI_REPORT_DEFAULT_WINDOW 30

/**
 * OmniReportOptions:
 * @from: (nullable): first day ("2026-10-01") or time, inclusive
 * @to: (nullable): last day, inclusive ("2026-10-31" covers that whole
 *   day), or a time, exclusive; %NULL means now
 * @at: (nullable): valuation as of the end of this day, or at this time;
 *   %NULL means now
 * @by_location: valuation per variant and location instead of per variant
 * @sales_by: how sales are grouped
 * @reason: (nullable): movements with this reason only
 * @window_days: sales window for low stock and reorder; 0 means
 *   %OMNI_REPORT_DEFAULT_WINDOW
 * @session_id: the stock count for count variances; 0 means the latest
 * @location: (nullable): valuation and movements at this location only
 *   (its name)
 * @limit: rows of the slow movers report; 0 means
 *   %OMNI_REPORT_DEFAULT_LIMIT
 *
 * What a report covers. Each report reads the fields it needs.
 */
typedef struct
{
  const char        *from;
  const char        *to;
  const char        *at;
  gboolean           by_location;
  OmniSalesGrouping  sales_by;
  const char        *reason;
  guint              window_days;
  gint64             session_id;
  const char        *location;
  guint              limit;
} OmniReportOptions;

const char      *omni_report_kind_to_key           (OmniReportKind            kind);
gboolean         omni_report_kind_from_key         (const char               *key,
                                                    OmniReportKind           *kind);
const char      *omni_report_kind_get_title        (OmniReportKind            kind);
const char      *omni_report_kind_get_description  (OmniReportKind            kind);

const char      *omni_report_sales_grouping_to_key (OmniSalesGrouping         grouping);
gboolean         omni_report_sales_grouping_from_key (const char             *key,
                                                    OmniSalesGrouping        *grouping);

OmniReportTable *omni_report_build                 (OmniStore                *store,
                                                    OmniReportKind            kind,
                                                    const OmniReportOptions  *options,
                                                    GError                  **error);

OmniReportTable *omni_report_build_valuation       (OmniStore                *store,
                                                    const char               *at,
                                                    gboolean                  by_location,
                                                    GError                  **error);
OmniReportTable *omni_report_build_valuation_at_location (OmniStore          *store,
                                                    const char               *at,
                                                    const char               *location,
                                                    GError                  **error);
OmniReportTable *omni_report_build_low_stock       (OmniStore                *store,
                                                    guint                     window_days,
                                                    GError                  **error);
OmniReportTable *omni_report_build_reorder         (OmniStore                *store,
                                                    guint                     window_days,
                                                    GError                  **error);
OmniReportTable *omni_report_build_movements       (OmniStore                *store,
                                                    const char               *from,
                                                    const char               *to,
                                                    const char               *reason,
                                                    GError                  **error);
OmniReportTable *omni_report_build_movements_at_location (OmniStore          *store,
                                                    const char               *from,
                                                    const char               *to,
                                                    const char               *reason,
                                                    const char               *location,
                                                    GError                  **error);
OmniReportTable *omni_report_build_slow_movers     (OmniStore                *store,
                                                    guint                     window_days,
                                                    guint                     limit,
                                                    GError                  **error);
OmniReportTable *omni_report_build_sales           (OmniStore                *store,
                                                    const char               *from,
                                                    const char               *to,
                                                    OmniSalesGrouping         grouping,
                                                    GError                  **error);
OmniReportTable *omni_report_build_count_variances (OmniStore                *store,
                                                    gint64                    session_id,
                                                    GError                  **error);

G_END_DECLS
