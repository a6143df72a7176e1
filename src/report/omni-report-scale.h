/* omni-report-scale.h: value axes with round ticks, for charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OmniScale:
 * @min: the axis's first tick, at or below the smallest value
 * @max: the axis's last tick, at or above the largest value
 * @step: the distance between ticks: 1, 2, 2.5 or 5 times a power of ten
 * @n_ticks: ticks from @min to @max, both included
 */
typedef struct
{
  double min;
  double max;
  double step;
  guint  n_ticks;
} OmniScale;

void    omni_scale_compute     (double     low,
                                double     high,
                                guint      max_ticks,
                                gboolean   whole_numbers,
                                OmniScale *scale);
double  omni_scale_tick        (const OmniScale *scale,
                                guint            index);
double  omni_scale_fraction    (const OmniScale *scale,
                                double           value);
char   *omni_scale_format_tick (double     value,
                                double     step);

G_END_DECLS
