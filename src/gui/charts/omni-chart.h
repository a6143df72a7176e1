/* omni-chart.h: line and bar charts drawn with Cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * OmniChartKind:
 * @OMNI_CHART_LINE: a line per series over categories in order (days)
 * @OMNI_CHART_BAR: a horizontal bar per category and series, categories
 *   top to bottom (types, vendors, products)
 */
typedef enum
{
  OMNI_CHART_LINE,
  OMNI_CHART_BAR,
} OmniChartKind;

/**
 * OmniChartFormat:
 * @OMNI_CHART_FORMAT_COUNT: whole numbers (units, orders)
 * @OMNI_CHART_FORMAT_MONEY: minor units of the chart's currency
 */
typedef enum
{
  OMNI_CHART_FORMAT_COUNT,
  OMNI_CHART_FORMAT_MONEY,
} OmniChartFormat;

#define OMNI_TYPE_CHART (omni_chart_get_type ())
G_DECLARE_FINAL_TYPE (OmniChart, omni_chart, OMNI, CHART, GtkWidget)

GtkWidget     *omni_chart_new              (OmniChartKind    kind);
OmniChartKind  omni_chart_get_kind         (OmniChart       *self);
void           omni_chart_set_kind         (OmniChart       *self,
                                            OmniChartKind    kind);
void           omni_chart_set_format       (OmniChart       *self,
                                            OmniChartFormat  format,
                                            const char      *currency);
void           omni_chart_set_empty_text   (OmniChart       *self,
                                            const char      *text);
void           omni_chart_set_categories   (OmniChart       *self,
                                            const char * const *labels,
                                            guint            n_labels);
void           omni_chart_clear_series     (OmniChart       *self);
guint          omni_chart_add_series       (OmniChart       *self,
                                            const char      *name,
                                            const double    *values,
                                            guint            n_values);

guint          omni_chart_get_n_categories (OmniChart       *self);
guint          omni_chart_get_n_series     (OmniChart       *self);
const char    *omni_chart_get_category     (OmniChart       *self,
                                            guint            index);
const char    *omni_chart_get_series_name  (OmniChart       *self,
                                            guint            series);
double         omni_chart_get_value        (OmniChart       *self,
                                            guint            series,
                                            guint            index);
double         omni_chart_get_axis_max     (OmniChart       *self);

void           omni_chart_draw             (OmniChart       *self,
                                            cairo_t         *cr,
                                            int              width,
                                            int              height);
gboolean       omni_chart_get_point        (OmniChart       *self,
                                            int              width,
                                            int              height,
                                            guint            series,
                                            guint            index,
                                            double          *x,
                                            double          *y);
gboolean       omni_chart_pick             (OmniChart       *self,
                                            int              width,
                                            int              height,
                                            double           x,
                                            double           y,
                                            guint           *series,
                                            guint           *index);
char          *omni_chart_describe_point   (OmniChart       *self,
                                            guint            series,
                                            guint            index);
void           omni_chart_set_hover        (OmniChart       *self,
                                            int              series,
                                            int              index);

G_END_DECLS
