/* omni-report-scale.c: value axes with round ticks, for charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An axis reads best in steps of 1, 2, 2.5 or 5 times a power of ten,
 * starting and ending on a tick. omni_scale_compute() picks the smallest
 * such step that keeps the ticks at or under the number asked for, and
 * omni_scale_format_tick() writes a tick as briefly as its step allows
 * ("1,500", "15k", "2M", "0.25"). No toolkit here: the chart widget and the tests
 * share it.
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <math.h>

#include "omni-report-scale.h"

static const double nice_steps[] = { 1.0, 2.0, 2.5, 5.0, 10.0 };

/**
 * omni_scale_compute:
 * @low: the smallest value to show (charts pass 0 or less, so bars have a
 *   base)
 * @high: the largest value to show
 * @max_ticks: ticks at most, 2 or more
 * @whole_numbers: steps below 1 make no sense (units, orders)
 * @scale: (out caller-allocates): the axis
 */
void
omni_scale_compute (double     low,
                    double     high,
                    guint      max_ticks,
                    gboolean   whole_numbers,
                    OmniScale *scale)
{
  double range, rough, magnitude, step = 1;
  guint intervals;

  g_return_if_fail (scale != NULL);

  max_ticks = MAX (max_ticks, 2);
  intervals = max_ticks - 1;
  if (!isfinite (low) || !isfinite (high))
    low = high = 0;
  if (low > high)
    {
      double swap = low;

      low = high;
      high = swap;
    }
  /* A flat line still needs an axis: one step above it. */
  if (high == low)
    high = low + (low == 0 ? 1 : fabs (low));

  range = high - low;
  rough = range / intervals;
  magnitude = pow (10, floor (log10 (rough)));

  /* The smallest round step whose ticks, once the ends are rounded out,
   * still number no more than asked. */
  for (double scale_up = magnitude; ; scale_up *= 10)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (nice_steps); i++)
        {
          double candidate = nice_steps[i] * scale_up;
          double first, last;

          if (whole_numbers && candidate < 1)
            continue;
          /* 2.5 only where it lands on round numbers: not for units. */
          if (whole_numbers && nice_steps[i] == 2.5 && candidate < 10)
            continue;
          first = floor (low / candidate + 1e-9) * candidate;
          last = ceil (high / candidate - 1e-9) * candidate;
          if ((last - first) / candidate <= intervals + 1e-9)
            {
              step = candidate;
              found = TRUE;
              break;
            }
        }
      if (found)
        break;
    }

  scale->step = step;
  scale->min = floor (low / step + 1e-9) * step;
  scale->max = ceil (high / step - 1e-9) * step;
  scale->n_ticks = (guint) lround ((scale->max - scale->min) / step) + 1;
}

/**
 * omni_scale_tick:
 * @index: from 0 to n_ticks − 1
 *
 * Returns: the tick's value, computed, not summed, so no error creeps in
 */
double
omni_scale_tick (const OmniScale *scale,
                 guint            index)
{
  double value;

  g_return_val_if_fail (scale != NULL, 0);

  value = scale->min + index * scale->step;
  /* -0 would print as "-0". */
  return fabs (value) < scale->step * 1e-9 ? 0 : value;
}

/**
 * omni_scale_fraction:
 *
 * Returns: where @value falls between min (0) and max (1)
 */
double
omni_scale_fraction (const OmniScale *scale,
                     double           value)
{
  g_return_val_if_fail (scale != NULL, 0);

  if (scale->max <= scale->min)
    return 0;
  return (value - scale->min) / (scale->max - scale->min);
}

/* Decimals needed to write multiples of @step exactly, at most 6. */
static int
decimals_for (double step)
{
  int decimals = 0;

  while (decimals < 6)
    {
      double shifted = step * pow (10, decimals);

      if (fabs (shifted - round (shifted)) < 1e-6 * MAX (1, shifted))
        break;
      decimals++;
    }
  return decimals;
}

/**
 * omni_scale_format_tick:
 * @value: the tick
 * @step: the axis's step, which decides the decimals
 *
 * Returns: (transfer full): "0", "250", "1,500", "12k", "2.5M", "0.25", in
 *   the locale's decimal point and grouping
 */
char *
omni_scale_format_tick (double value,
                        double step)
{
  double magnitude = MAX (fabs (value), fabs (step));
  const char *suffix = "";
  double divisor = 1;

  if (magnitude >= 1e9 && step >= 1e8)
    divisor = 1e9, suffix = "G";
  else if (magnitude >= 1e6 && step >= 1e5)
    divisor = 1e6, suffix = "M";
  else if (magnitude >= 1e4 && step >= 1e3)
    divisor = 1e3, suffix = "k";

  if (value == 0)
    return g_strdup ("0");

  return g_strdup_printf ("%'.*f%s", decimals_for (step / divisor), value / divisor, suffix);
}
