/* omni-store-report.h: the figures behind the dashboard and the reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"
#include "omni-store-inventory.h"

G_BEGIN_DECLS

/**
 * OmniReportRange:
 * @from: (nullable): UTC date "YYYY-MM-DD" or ISO 8601 time, inclusive
 * @to: (nullable): UTC date or time, exclusive ("2026-11-01" ends before
 *   that day); %NULL means now
 */
typedef struct
{
  const char *from;
  const char *to;
} OmniReportRange;

typedef struct
{
  gint64     variant_id;
  gint64     location_id;      /* 0 when summed over locations */
  char      *location;
  char      *sku;
  char      *title;
  char      *options;
  char      *vendor;
  char      *product_type;
  gint64     quantity;
  OmniMoney  unit_cost;
  OmniMoney  unit_price;
  OmniMoney  cost_value;       /* quantity × unit cost, 0 below zero stock */
  OmniMoney  retail_value;
} OmniValuationRow;

typedef struct
{
  gint64    units;
  OmniMoney cost_value;
  OmniMoney retail_value;
} OmniValuationTotals;

typedef enum
{
  OMNI_SALES_BY_VARIANT,
  OMNI_SALES_BY_PRODUCT,
  OMNI_SALES_BY_CHANNEL,
  OMNI_SALES_BY_DAY,
} OmniSalesGrouping;

typedef struct
{
  char      *key;        /* SKU, handle, channel name or YYYY-MM-DD */
  char      *label;      /* what a person reads */
  gint64     units;
  OmniMoney  revenue;
  gint64     orders;
} OmniSalesRow;

typedef struct
{
  gint64     variant_id;
  char      *sku;
  char      *title;
  char      *options;
  char      *vendor;
  gint64     available;
  gint64     reorder_point;    /* -1 when neither the variant nor the shop sets one */
  gint64     reorder_qty;      /* -1 when not set */
  gint64     units_sold;       /* over the window, net of returns */
  double     daily_sales;      /* units_sold ÷ window days */
  double     days_of_cover;    /* available ÷ daily sales; -1 when nothing sells */
  gint64     suggested;        /* units to order */
  OmniMoney  unit_cost;
} OmniReorderRow;

typedef struct
{
  char      *label;
  gint64     units;
  OmniMoney  cost_value;
  OmniMoney  retail_value;
} OmniValueGroup;

GPtrArray *omni_report_valuation     (OmniStore             *store,
                                      const char            *at,
                                      gboolean               by_location,
                                      OmniValuationTotals   *totals,
                                      GError               **error);
GPtrArray *omni_report_movements     (OmniStore             *store,
                                      const OmniReportRange *range,
                                      const char            *reason,
                                      GError               **error);
GPtrArray *omni_report_sales         (OmniStore             *store,
                                      const OmniReportRange *range,
                                      OmniSalesGrouping      grouping,
                                      GError               **error);
GPtrArray *omni_report_top_sellers   (OmniStore             *store,
                                      const char            *until_day,
                                      guint                  window_days,
                                      guint                  limit,
                                      GError               **error);
GPtrArray *omni_report_sales_by_day_and_channel (OmniStore        *store,
                                      const OmniReportRange *range,
                                      GError               **error);
GPtrArray *omni_report_reorder       (OmniStore             *store,
                                      guint                  window_days,
                                      gboolean               only_due,
                                      GError               **error);
GPtrArray *omni_report_reorder_top   (OmniStore             *store,
                                      guint                  window_days,
                                      guint                  limit,
                                      gint64                *n_due,
                                      GError               **error);
GPtrArray *omni_report_value_by      (OmniStore             *store,
                                      const char            *field,
                                      GError               **error);
GPtrArray *omni_report_slow_movers   (OmniStore             *store,
                                      guint                  window_days,
                                      guint                  limit,
                                      GError               **error);

char      *omni_report_normalize_time (const char           *text,
                                      const char            *what,
                                      GError               **error);

void       omni_valuation_row_free   (OmniValuationRow      *row);
void       omni_sales_row_free       (OmniSalesRow          *row);
void       omni_reorder_row_free     (OmniReorderRow        *row);
void       omni_value_group_free     (OmniValueGroup        *group);

G_END_DECLS
