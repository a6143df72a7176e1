/* omni-chart.c: line and bar charts drawn with Cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart holds categories (days, types, products) and one or more series
 * of values over them. It is drawn with Cairo into the widget's snapshot,
 * so it is vector drawing at the display's scale: hairlines are snapped to
 * device pixels and text is laid out by Pango with the widget's font. The
 * value axis runs from zero (or below, for negative values) to a round
 * maximum with 1, 2, 2.5 or 5 × 10ⁿ steps (omni-report-scale.c). A legend
 * names the series; hovering shows the nearest value in a tooltip and marks
 * it. Colours come from the style: text and grid from the widget's
 * foreground, series from the GNOME palette in its light or dark shade as
 * AdwStyleManager says.
 *
 * omni_chart_draw(), omni_chart_get_point() and omni_chart_pick() work
 * for any size, so tests draw into an image surface and check where the
 * points land.
 */
#define G_LOG_DOMAIN "omni-chart"

#include "config.h"

#include <math.h>

#include <adwaita.h>

#include "omni-chart.h"
#include "omni-currency.h"
#include "omni-report-scale.h"

#define PADDING 8.0
#define LEGEND_SWATCH 10.0
#define LEGEND_GAP 16.0
#define MAX_VALUE_TICKS 6
#define MAX_BAR_LABEL_SHARE 0.38

typedef struct
{
  char   *name;
  GArray *values;   /* double, one per category */
} Series;

typedef struct
{
  double left;
  double top;
  double right;
  double bottom;
  double legend_top;
  double line_height;
  guint  label_every;   /* line charts: a category label every so many */
} Geometry;

struct _OmniChart
{
  GtkWidget        parent_instance;

  OmniChartKind    kind;
  OmniChartFormat  format;
  char            *currency;
  char            *empty_text;
  GPtrArray       *categories;
  GPtrArray       *series;
  OmniScale        scale;

  int              hover_series;
  int              hover_index;
};

G_DEFINE_FINAL_TYPE (OmniChart, omni_chart, GTK_TYPE_WIDGET)

static const GdkRGBA light_palette[] = {
  { 0.208, 0.518, 0.894, 1 },   /* blue 3 */
  { 0.902, 0.380, 0.000, 1 },   /* orange 5 */
  { 0.180, 0.761, 0.494, 1 },   /* green 4 */
  { 0.569, 0.255, 0.675, 1 },   /* purple 3 */
  { 0.753, 0.110, 0.157, 1 },   /* red 4 */
  { 0.596, 0.416, 0.267, 1 },   /* brown 3 */
};

static const GdkRGBA dark_palette[] = {
  { 0.384, 0.627, 0.918, 1 },   /* blue 2 */
  { 1.000, 0.639, 0.282, 1 },   /* orange 2 */
  { 0.341, 0.890, 0.537, 1 },   /* green 2 */
  { 0.753, 0.380, 0.796, 1 },   /* purple 2 */
  { 0.965, 0.380, 0.318, 1 },   /* red 1 */
  { 0.804, 0.671, 0.561, 1 },   /* brown 1 */
};

static void
series_free (Series *series)
{
  g_free (series->name);
  g_array_unref (series->values);
  g_free (series);
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static const GdkRGBA *
series_color (guint series)
{
  const GdkRGBA *palette = is_dark () ? dark_palette : light_palette;

  return &palette[series % G_N_ELEMENTS (light_palette)];
}

static GdkRGBA
foreground (OmniChart *self,
            double     alpha)
{
  GdkRGBA color;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  color.alpha *= alpha;
  return color;
}

static gboolean
has_data (OmniChart *self)
{
  return self->categories->len > 0 && self->series->len > 0;
}

static void
update_scale (OmniChart *self)
{
  double low = 0, high = 0;

  for (guint s = 0; s < self->series->len; s++)
    {
      GArray *values = ((Series *) g_ptr_array_index (self->series, s))->values;

      for (guint i = 0; i < values->len; i++)
        {
          low = MIN (low, g_array_index (values, double, i));
          high = MAX (high, g_array_index (values, double, i));
        }
    }

  omni_scale_compute (low, high, MAX_VALUE_TICKS, TRUE, &self->scale);
}

/* A value as the tick labels show it: money in major units. */
static char *
format_tick (OmniChart *self,
             double     value)
{
  double divisor = 1;

  if (self->format == OMNI_CHART_FORMAT_MONEY)
    divisor = pow (10, omni_currency_get_digits (self->currency));

  return omni_scale_format_tick (value / divisor, self->scale.step / divisor);
}

static char *
format_value (OmniChart *self,
              double     value)
{
  if (self->format == OMNI_CHART_FORMAT_MONEY)
    return omni_currency_format ((OmniMoney) llround (value), self->currency);

  return g_strdup_printf ("%'.0f", value);
}

static void
update_description (OmniChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!has_data (self))
    g_string_append (text, self->empty_text != NULL ? self->empty_text : "");
  for (guint s = 0; has_data (self) && s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);
      double total = 0;
      g_autofree char *shown = NULL;

      for (guint i = 0; i < series->values->len; i++)
        total += g_array_index (series->values, double, i);
      shown = format_value (self, total);
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: %s", series->name, shown);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
data_changed (OmniChart *self)
{
  self->hover_series = -1;
  self->hover_index = -1;
  update_scale (self);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Layout --------------------------------------------------------------- */

static PangoLayout *
new_text (OmniChart  *self,
          const char *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static void
text_size (OmniChart  *self,
           const char *text,
           double     *width,
           double     *height)
{
  g_autoptr(PangoLayout) layout = new_text (self, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

static double
widest_tick (OmniChart *self)
{
  double widest = 0;

  for (guint t = 0; t < self->scale.n_ticks; t++)
    {
      g_autofree char *label = format_tick (self, omni_scale_tick (&self->scale, t));
      double width;

      text_size (self, label, &width, NULL);
      widest = MAX (widest, width);
    }
  return widest;
}

static void
compute_geometry (OmniChart *self,
                  int        width,
                  int        height,
                  Geometry  *g)
{
  double line;

  text_size (self, "0", NULL, &line);
  g->line_height = line;
  g->legend_top = PADDING;
  g->top = PADDING + (self->series->len > 0 ? line + 8 : 0);
  g->right = width - PADDING;
  g->label_every = 1;

  if (self->kind == OMNI_CHART_LINE)
    {
      double widest_label = 0;
      double plot_width;

      g->left = PADDING + widest_tick (self) + 6;
      g->bottom = height - PADDING - line - 4;
      for (guint i = 0; i < self->categories->len; i++)
        {
          double w;

          text_size (self, g_ptr_array_index (self->categories, i), &w, NULL);
          widest_label = MAX (widest_label, w);
        }
      plot_width = MAX (g->right - g->left, 1);
      if (self->categories->len > 1)
        {
          double spacing = plot_width / (self->categories->len - 1);

          g->label_every = (guint) ceil ((widest_label + 12) / MAX (spacing, 1));
          g->label_every = MAX (g->label_every, 1);
        }
    }
  else
    {
      double widest_label = 0;

      for (guint i = 0; i < self->categories->len; i++)
        {
          double w;

          text_size (self, g_ptr_array_index (self->categories, i), &w, NULL);
          widest_label = MAX (widest_label, w);
        }
      g->left = PADDING + MIN (widest_label, width * MAX_BAR_LABEL_SHARE) + 8;
      g->bottom = height - PADDING - line - 4;
      /* The last tick label is centred on the right edge: keep it in. */
      g->right -= widest_tick (self) / 2;
    }

  g->right = MAX (g->right, g->left + 1);
  g->bottom = MAX (g->bottom, g->top + 1);
}

static gboolean
point_at (OmniChart      *self,
          const Geometry *g,
          guint           series,
          guint           index,
          double         *x,
          double         *y)
{
  Series *s;
  double value, plot_w = g->right - g->left, plot_h = g->bottom - g->top;
  guint n = self->categories->len;

  if (series >= self->series->len || index >= n)
    return FALSE;
  s = g_ptr_array_index (self->series, series);
  if (index >= s->values->len)
    return FALSE;
  value = g_array_index (s->values, double, index);

  if (self->kind == OMNI_CHART_LINE)
    {
      *x = n > 1 ? g->left + plot_w * index / (n - 1) : g->left + plot_w / 2;
      *y = g->bottom - plot_h * omni_scale_fraction (&self->scale, value);
    }
  else
    {
      double band = plot_h / n;
      double group = band * 0.7;
      double bar = group / self->series->len;

      *x = g->left + plot_w * omni_scale_fraction (&self->scale, value);
      *y = g->top + band * index + (band - group) / 2 + bar * series + bar / 2;
    }

  return TRUE;
}

/* Drawing -------------------------------------------------------------- */

/* A one-pixel line's centre on a device pixel's centre: sharp at any scale. */
static double
snap (double value,
      double scale)
{
  return (floor (value * scale) + 0.5) / scale;
}

static void
show_text (OmniChart     *self,
           cairo_t       *cr,
           const char    *text,
           double         x,
           double         y,
           double         x_align,
           double         max_width)
{
  g_autoptr(PangoLayout) layout = new_text (self, text);
  int width, height;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width * x_align, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_legend (OmniChart      *self,
             cairo_t        *cr,
             const Geometry *g)
{
  double x = g->left;
  double y = g->legend_top + g->line_height / 2;
  GdkRGBA text = foreground (self, 0.8);

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);
      double width;

      gdk_cairo_set_source_rgba (cr, series_color (s));
      cairo_rectangle (cr, x, y - LEGEND_SWATCH / 2, LEGEND_SWATCH, LEGEND_SWATCH);
      cairo_fill (cr);
      x += LEGEND_SWATCH + 6;
      gdk_cairo_set_source_rgba (cr, &text);
      show_text (self, cr, series->name, x, y, 0, 0);
      text_size (self, series->name, &width, NULL);
      x += width + LEGEND_GAP;
    }
}

static void
draw_value_axis (OmniChart      *self,
                 cairo_t        *cr,
                 const Geometry *g,
                 double          scale)
{
  GdkRGBA grid = foreground (self, 0.12);
  GdkRGBA text = foreground (self, 0.7);
  GdkRGBA base = foreground (self, 0.45);

  cairo_set_line_width (cr, 1 / scale);
  for (guint t = 0; t < self->scale.n_ticks; t++)
    {
      double value = omni_scale_tick (&self->scale, t);
      double fraction = omni_scale_fraction (&self->scale, value);
      g_autofree char *label = format_tick (self, value);

      gdk_cairo_set_source_rgba (cr, value == 0 ? &base : &grid);
      if (self->kind == OMNI_CHART_LINE)
        {
          double y = snap (g->bottom - (g->bottom - g->top) * fraction, scale);

          cairo_move_to (cr, g->left, y);
          cairo_line_to (cr, g->right, y);
          cairo_stroke (cr);
          gdk_cairo_set_source_rgba (cr, &text);
          show_text (self, cr, label, g->left - 6, y, 1, 0);
        }
      else
        {
          double x = snap (g->left + (g->right - g->left) * fraction, scale);

          cairo_move_to (cr, x, g->top);
          cairo_line_to (cr, x, g->bottom);
          cairo_stroke (cr);
          gdk_cairo_set_source_rgba (cr, &text);
          show_text (self, cr, label, x, g->bottom + 4 + g->line_height / 2, 0.5, 0);
        }
    }
}

static void
draw_line_chart (OmniChart      *self,
                 cairo_t        *cr,
                 const Geometry *g,
                 double          scale)
{
  GdkRGBA text = foreground (self, 0.7);
  guint n = self->categories->len;

  /* Category labels under the axis, as many as fit. */
  gdk_cairo_set_source_rgba (cr, &text);
  for (guint i = 0; i < n; i += g->label_every)
    {
      double x, y;

      point_at (self, g, 0, i, &x, &y);
      show_text (self, cr, g_ptr_array_index (self->categories, i), x,
                 g->bottom + 4 + g->line_height / 2, n > 1 ? (double) i / (n - 1) : 0.5, 0);
    }

  if (self->hover_index >= 0 && (guint) self->hover_index < n)
    {
      GdkRGBA marker = foreground (self, 0.35);
      double x, y;

      point_at (self, g, 0, self->hover_index, &x, &y);
      gdk_cairo_set_source_rgba (cr, &marker);
      cairo_set_line_width (cr, 1 / scale);
      cairo_move_to (cr, snap (x, scale), g->top);
      cairo_line_to (cr, snap (x, scale), g->bottom);
      cairo_stroke (cr);
    }

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint s = 0; s < self->series->len; s++)
    {
      gdk_cairo_set_source_rgba (cr, series_color (s));
      cairo_set_line_width (cr, 2);
      for (guint i = 0; i < n; i++)
        {
          double x, y;

          if (!point_at (self, g, s, i, &x, &y))
            break;
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);

      /* Dots where there are few enough points to tell apart. */
      for (guint i = 0; i < n; i++)
        {
          double x, y;
          gboolean hovered = (int) s == self->hover_series && (int) i == self->hover_index;

          if ((n > 40 && !hovered) || !point_at (self, g, s, i, &x, &y))
            continue;
          cairo_arc (cr, x, y, hovered ? 4.5 : 2.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
}

static void
draw_bar_chart (OmniChart      *self,
                cairo_t        *cr,
                const Geometry *g)
{
  GdkRGBA text = foreground (self, 0.8);
  double plot_w = g->right - g->left;
  double band = (g->bottom - g->top) / self->categories->len;
  double bar = band * 0.7 / self->series->len;
  double zero = g->left + plot_w * omni_scale_fraction (&self->scale, 0);

  for (guint i = 0; i < self->categories->len; i++)
    {
      gdk_cairo_set_source_rgba (cr, &text);
      show_text (self, cr, g_ptr_array_index (self->categories, i), g->left - 8,
                 g->top + band * i + band / 2, 1, g->left - 8 - PADDING);

      for (guint s = 0; s < self->series->len; s++)
        {
          double x, y;
          GdkRGBA color;

          if (!point_at (self, g, s, i, &x, &y))
            continue;
          color = *series_color (s);
          if ((int) i == self->hover_index && (int) s == self->hover_series)
            color.alpha = 0.75;
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_rectangle (cr, MIN (zero, x), y - bar / 2, fabs (x - zero), bar);
          cairo_fill (cr);
        }
    }
}

/**
 * omni_chart_draw:
 * @cr: where to draw, the chart's top left at the origin
 * @width: the chart's width in the units of @cr
 * @height: its height
 *
 * Draws the chart as the widget shows it at that size.
 */
void
omni_chart_draw (OmniChart *self,
                 cairo_t   *cr,
                 int        width,
                 int        height)
{
  Geometry g;
  double scale;

  g_return_if_fail (OMNI_IS_CHART (self));
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  {
    double sx = 1, sy = 1;

    /* Drawing to an image surface at its own scale: use that instead. */
    cairo_user_to_device_distance (cr, &sx, &sy);
    if (sx > 0 && fabs (sx - 1) > 1e-9)
      scale = sx;
  }

  cairo_save (cr);
  if (!has_data (self))
    {
      GdkRGBA text = foreground (self, 0.55);

      gdk_cairo_set_source_rgba (cr, &text);
      show_text (self, cr, self->empty_text != NULL ? self->empty_text : "", width / 2.0,
                 height / 2.0, 0.5, width - 2 * PADDING);
      cairo_restore (cr);
      return;
    }

  compute_geometry (self, width, height, &g);
  draw_legend (self, cr, &g);
  draw_value_axis (self, cr, &g, scale);
  if (self->kind == OMNI_CHART_LINE)
    draw_line_chart (self, cr, &g, scale);
  else
    draw_bar_chart (self, cr, &g);
  cairo_restore (cr);
}

/**
 * omni_chart_get_point:
 * @width: the chart's width
 * @height: its height
 * @x: (out): where the value is drawn: a line's point, a bar's end
 * @y: (out): likewise
 *
 * Returns: whether that series has a value at that index
 */
gboolean
omni_chart_get_point (OmniChart *self,
                      int        width,
                      int        height,
                      guint      series,
                      guint      index,
                      double    *x,
                      double    *y)
{
  Geometry g;

  g_return_val_if_fail (OMNI_IS_CHART (self), FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  if (!has_data (self))
    return FALSE;
  compute_geometry (self, width, height, &g);
  return point_at (self, &g, series, index, x, y);
}

/**
 * omni_chart_pick:
 * @series: (out): the series nearest (@x, @y)
 * @index: (out): the category nearest (@x, @y)
 *
 * Returns: whether (@x, @y) is over the plot
 */
gboolean
omni_chart_pick (OmniChart *self,
                 int        width,
                 int        height,
                 double     x,
                 double     y,
                 guint     *series,
                 guint     *index)
{
  Geometry g;
  guint n, best_series = 0, best_index;
  double best = G_MAXDOUBLE;

  g_return_val_if_fail (OMNI_IS_CHART (self), FALSE);
  g_return_val_if_fail (series != NULL && index != NULL, FALSE);

  if (!has_data (self))
    return FALSE;
  compute_geometry (self, width, height, &g);
  if (x < g.left - 4 || x > g.right + 4 || y < g.top - 4 || y > g.bottom + 4)
    return FALSE;
  n = self->categories->len;

  if (self->kind == OMNI_CHART_LINE)
    {
      double fraction = n > 1 ? (x - g.left) / (g.right - g.left) : 0;

      best_index = (guint) CLAMP (lround (fraction * (n - 1)), 0, (long) n - 1);
      for (guint s = 0; s < self->series->len; s++)
        {
          double px, py;

          if (point_at (self, &g, s, best_index, &px, &py) && fabs (py - y) < best)
            {
              best = fabs (py - y);
              best_series = s;
            }
        }
    }
  else
    {
      double band = (g.bottom - g.top) / n;
      double bar = band * 0.7 / self->series->len;
      double offset;

      best_index = (guint) CLAMP (floor ((y - g.top) / band), 0, n - 1);
      offset = y - (g.top + band * best_index + band * 0.15);
      best_series = (guint) CLAMP (floor (offset / bar), 0, self->series->len - 1);
    }

  *series = best_series;
  *index = best_index;
  return TRUE;
}

/**
 * omni_chart_describe_point:
 *
 * Returns: (transfer full): what the tooltip says: the category, then the
 *   series and its value
 */
char *
omni_chart_describe_point (OmniChart *self,
                           guint      series,
                           guint      index)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (OMNI_IS_CHART (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);

  text = g_string_new (g_ptr_array_index (self->categories, index));
  for (guint s = 0; s < self->series->len; s++)
    {
      g_autofree char *value = format_value (self, omni_chart_get_value (self, s, index));

      /* Line charts show every series of the day; bars just the one. */
      if (self->kind == OMNI_CHART_BAR && s != series)
        continue;
      g_string_append_printf (text, "\n%s: %s", omni_chart_get_series_name (self, s), value);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * omni_chart_set_hover:
 * @series: the series to mark, or -1
 * @index: the category to mark, or -1 for none
 */
void
omni_chart_set_hover (OmniChart *self,
                      int        series,
                      int        index)
{
  g_return_if_fail (OMNI_IS_CHART (self));

  if (self->hover_series == series && self->hover_index == index)
    return;
  self->hover_series = series;
  self->hover_index = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The widget ----------------------------------------------------------- */

static void
motion_cb (OmniChart *self,
           double     x,
           double     y)
{
  guint series, index;

  if (omni_chart_pick (self, gtk_widget_get_width (GTK_WIDGET (self)),
                       gtk_widget_get_height (GTK_WIDGET (self)), x, y, &series, &index))
    omni_chart_set_hover (self, (int) series, (int) index);
  else
    omni_chart_set_hover (self, -1, -1);
}

static void
leave_cb (OmniChart *self)
{
  omni_chart_set_hover (self, -1, -1);
}

static gboolean
query_tooltip_cb (OmniChart  *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  guint series, index;
  g_autofree char *text = NULL;

  if (keyboard || !omni_chart_pick (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                    gtk_widget_get_height (GTK_WIDGET (self)), x, y,
                                    &series, &index))
    return FALSE;

  text = omni_chart_describe_point (self, series, index);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
omni_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  omni_chart_draw (OMNI_CHART (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
omni_chart_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  OmniChart *self = OMNI_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 360;
    }
  else if (self->kind == OMNI_CHART_BAR)
    {
      /* Bars keep a readable height each. */
      *minimum = 120;
      *natural = MAX (160, 40 + 28 * (int) self->categories->len);
    }
  else
    {
      *minimum = 160;
      *natural = 220;
    }
}

static void
style_changed_cb (OmniChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
omni_chart_finalize (GObject *object)
{
  OmniChart *self = OMNI_CHART (object);

  g_ptr_array_unref (self->series);
  g_ptr_array_unref (self->categories);
  g_free (self->currency);
  g_free (self->empty_text);

  G_OBJECT_CLASS (omni_chart_parent_class)->finalize (object);
}

static void
omni_chart_class_init (OmniChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = omni_chart_finalize;
  widget_class->snapshot = omni_chart_snapshot;
  widget_class->measure = omni_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
omni_chart_init (OmniChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->categories = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  self->currency = g_strdup ("USD");
  self->hover_series = -1;
  self->hover_index = -1;
  update_scale (self);

  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  /* Series colours follow light and dark; text and grid follow the CSS
   * foreground, which GTK redraws for by itself. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * omni_chart_new:
 * @kind: line or bar
 *
 * Returns: (transfer floating): an empty chart
 */
GtkWidget *
omni_chart_new (OmniChartKind kind)
{
  OmniChart *self = g_object_new (OMNI_TYPE_CHART, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

OmniChartKind
omni_chart_get_kind (OmniChart *self)
{
  g_return_val_if_fail (OMNI_IS_CHART (self), OMNI_CHART_LINE);

  return self->kind;
}

void
omni_chart_set_kind (OmniChart     *self,
                     OmniChartKind  kind)
{
  g_return_if_fail (OMNI_IS_CHART (self));

  self->kind = kind;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * omni_chart_set_format:
 * @currency: (nullable): the ISO 4217 code money values are in
 */
void
omni_chart_set_format (OmniChart       *self,
                       OmniChartFormat  format,
                       const char      *currency)
{
  g_return_if_fail (OMNI_IS_CHART (self));

  self->format = format;
  g_free (self->currency);
  self->currency = g_strdup (currency != NULL ? currency : "USD");
  data_changed (self);
}

/**
 * omni_chart_set_empty_text:
 * @text: (nullable): shown instead of the chart when there is nothing to draw
 */
void
omni_chart_set_empty_text (OmniChart  *self,
                           const char *text)
{
  g_return_if_fail (OMNI_IS_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * omni_chart_set_categories:
 * @labels: (array length=n_labels): what each category is called
 *
 * Replaces the categories and drops the series.
 */
void
omni_chart_set_categories (OmniChart          *self,
                           const char * const *labels,
                           guint               n_labels)
{
  g_return_if_fail (OMNI_IS_CHART (self));
  g_return_if_fail (labels != NULL || n_labels == 0);

  g_ptr_array_set_size (self->categories, 0);
  g_ptr_array_set_size (self->series, 0);
  for (guint i = 0; i < n_labels; i++)
    g_ptr_array_add (self->categories, g_strdup (labels[i]));
  gtk_widget_queue_resize (GTK_WIDGET (self));
  data_changed (self);
}

void
omni_chart_clear_series (OmniChart *self)
{
  g_return_if_fail (OMNI_IS_CHART (self));

  g_ptr_array_set_size (self->series, 0);
  data_changed (self);
}

/**
 * omni_chart_add_series:
 * @name: what the legend calls it
 * @values: (array length=n_values): a value per category; missing ones
 *   count as 0
 *
 * Returns: the series' index
 */
guint
omni_chart_add_series (OmniChart    *self,
                       const char   *name,
                       const double *values,
                       guint         n_values)
{
  Series *series;

  g_return_val_if_fail (OMNI_IS_CHART (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (values != NULL || n_values == 0, 0);

  series = g_new0 (Series, 1);
  series->name = g_strdup (name);
  series->values = g_array_sized_new (FALSE, TRUE, sizeof (double), self->categories->len);
  g_array_set_size (series->values, self->categories->len);
  for (guint i = 0; i < MIN (n_values, self->categories->len); i++)
    g_array_index (series->values, double, i) = isfinite (values[i]) ? values[i] : 0;
  g_ptr_array_add (self->series, series);
  data_changed (self);

  return self->series->len - 1;
}

guint
omni_chart_get_n_categories (OmniChart *self)
{
  g_return_val_if_fail (OMNI_IS_CHART (self), 0);

  return self->categories->len;
}

guint
omni_chart_get_n_series (OmniChart *self)
{
  g_return_val_if_fail (OMNI_IS_CHART (self), 0);

  return self->series->len;
}

const char *
omni_chart_get_category (OmniChart *self,
                         guint      index)
{
  g_return_val_if_fail (OMNI_IS_CHART (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);

  return g_ptr_array_index (self->categories, index);
}

const char *
omni_chart_get_series_name (OmniChart *self,
                            guint      series)
{
  g_return_val_if_fail (OMNI_IS_CHART (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);

  return ((Series *) g_ptr_array_index (self->series, series))->name;
}

double
omni_chart_get_value (OmniChart *self,
                      guint      series,
                      guint      index)
{
  Series *s;

  g_return_val_if_fail (OMNI_IS_CHART (self), 0);
  g_return_val_if_fail (series < self->series->len, 0);

  s = g_ptr_array_index (self->series, series);
  g_return_val_if_fail (index < s->values->len, 0);

  return g_array_index (s->values, double, index);
}

/**
 * omni_chart_get_axis_max:
 *
 * Returns: the value at the top (or right end) of the value axis
 */
double
omni_chart_get_axis_max (OmniChart *self)
{
  g_return_val_if_fail (OMNI_IS_CHART (self), 0);

  return self->scale.max;
}
