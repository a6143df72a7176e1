/* omni-report-layout.c: report pages, laid out once for PDF and print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A layout measures the table with Pango on the surface it will draw to,
 * chooses column widths that fill the page (text columns give way first,
 * cut with an ellipsis; numbers keep their full width), then splits the rows
 * into pages: the first page opens with the title, the filters and the
 * notes; every page repeats the column header and ends with the report's
 * title and "Page N of M"; the totals row follows the last row. Units are
 * points, so the same layout prints and writes PDF.
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "omni-report-layout.h"

/* Rows measured to size the columns: enough to see the long ones, few
 * enough that a report of a million rows lays out at once. */
#define MEASURED_ROWS 2000
#define CELL_PADDING 4.0
#define MIN_TEXT_WIDTH 48.0
#define BODY_SIZE 8.0
#define TITLE_SIZE 15.0
#define SMALL_SIZE 7.5

struct _OmniReportLayout
{
  OmniReportTable      *table;
  PangoContext         *context;
  PangoFontDescription *body_font;
  PangoFontDescription *bold_font;
  PangoFontDescription *title_font;
  PangoFontDescription *small_font;

  double                width;
  double                height;
  double                row_height;
  double                line_height;
  double                heading_height;
  double                footer_height;

  guint                 n_columns;
  double               *column_x;
  double               *column_width;

  /* First row of each page; one more entry than pages, the row count. */
  GArray               *page_starts;
};

static PangoLayout *
new_text (OmniReportLayout           *self,
          const PangoFontDescription *font,
          const char                 *text)
{
  PangoLayout *layout = pango_layout_new (self->context);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
text_width (OmniReportLayout           *self,
            const PangoFontDescription *font,
            const char                 *text)
{
  g_autoptr(PangoLayout) layout = new_text (self, font, text);
  int width;

  pango_layout_get_size (layout, &width, NULL);
  return (double) width / PANGO_SCALE;
}

static double
text_height (OmniReportLayout           *self,
             const PangoFontDescription *font,
             const char                 *text,
             double                      wrap_width)
{
  g_autoptr(PangoLayout) layout = new_text (self, font, text);
  int height;

  pango_layout_set_width (layout, (int) (wrap_width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static PangoFontDescription *
font_new (double      size,
          PangoWeight weight)
{
  PangoFontDescription *font = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, weight);
  return font;
}

/**
 * omni_report_layout_prefers_landscape:
 *
 * Returns: whether the table reads better across an A4 page turned on its
 *   side: many columns do
 */
gboolean
omni_report_layout_prefers_landscape (OmniReportTable *table)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (table), FALSE);

  return omni_report_table_get_n_columns (table) > 7;
}

static double
content_width (OmniReportLayout *self)
{
  return self->width - 2 * OMNI_REPORT_PAGE_MARGIN;
}

static void
measure_columns (OmniReportLayout *self)
{
  guint n_rows = omni_report_table_get_n_rows (self->table);
  guint measured = MIN (n_rows, MEASURED_ROWS);
  g_autofree double *natural = g_new0 (double, MAX (self->n_columns, 1));
  double available = content_width (self);
  double total = 0, shrinkable = 0, text_total = 0;
  double x = OMNI_REPORT_PAGE_MARGIN;

  for (guint c = 0; c < self->n_columns; c++)
    {
      natural[c] = text_width (self, self->bold_font,
                               omni_report_table_get_column_title (self->table, c));
      for (guint r = 0; r <= measured; r++)
        {
          guint row = r < measured ? r : OMNI_REPORT_TOTALS;
          g_autofree char *text = NULL;

          if (row == OMNI_REPORT_TOTALS && !omni_report_table_has_totals (self->table))
            continue;
          text = omni_report_table_format_cell (self->table, row, c, OMNI_CELL_FORMAT_DISPLAY);
          natural[c] = MAX (natural[c], text_width (self, row == OMNI_REPORT_TOTALS
                                                          ? self->bold_font
                                                          : self->body_font, text));
        }
      natural[c] += 2 * CELL_PADDING;
      total += natural[c];
      if (!omni_report_table_column_is_numeric (self->table, c))
        {
          text_total += natural[c];
          shrinkable += MAX (natural[c] - MIN_TEXT_WIDTH, 0);
        }
    }

  for (guint c = 0; c < self->n_columns; c++)
    {
      gboolean text = !omni_report_table_column_is_numeric (self->table, c);
      double width = natural[c];

      if (total <= available)
        {
          /* Room to spare goes to the text columns, or to all of them. */
          if (text_total > 0)
            width += text ? (available - total) * natural[c] / text_total : 0;
          else
            width += (available - total) / self->n_columns;
        }
      else if (total - shrinkable <= available)
        {
          /* Text columns give up what is needed, in proportion. */
          if (text)
            width -= (total - available) * MAX (natural[c] - MIN_TEXT_WIDTH, 0) / shrinkable;
        }
      else
        {
          /* Too wide even so: every column shrinks alike. */
          width = (text ? MIN (width, MIN_TEXT_WIDTH) : width) * available /
                  (total - shrinkable);
        }

      self->column_x[c] = x;
      self->column_width[c] = width;
      x += width;
    }
}

static double
heading_height (OmniReportLayout *self)
{
  const char * const *filters = omni_report_table_get_filters (self->table);
  const char * const *notes = omni_report_table_get_notes (self->table);
  double wrap = content_width (self);
  double height;

  height = text_height (self, self->title_font, omni_report_table_get_title (self->table), wrap);
  height += 6;
  for (guint i = 0; filters[i] != NULL; i++)
    height += text_height (self, self->body_font, filters[i], wrap);
  for (guint i = 0; notes[i] != NULL; i++)
    height += text_height (self, self->small_font, notes[i], wrap);

  return height + 12;
}

static void
paginate (OmniReportLayout *self)
{
  guint n_rows = omni_report_table_get_n_rows (self->table);
  double body = self->height - 2 * OMNI_REPORT_PAGE_MARGIN - self->footer_height -
                self->row_height;
  guint first_capacity = (guint) MAX (floor ((body - self->heading_height) /
                                             self->row_height), 1);
  guint capacity = (guint) MAX (floor (body / self->row_height), 1);
  guint row = 0, on_last = 0, last_capacity = first_capacity;

  g_array_set_size (self->page_starts, 0);
  do
    {
      guint fits = self->page_starts->len == 0 ? first_capacity : capacity;

      g_array_append_val (self->page_starts, row);
      on_last = MIN (fits, n_rows - row);
      last_capacity = fits;
      row += on_last;
    }
  while (row < n_rows);

  /* The totals row, or the line saying there are no rows, follows the last
   * row, a little apart: on a page of its own when the last one is full. */
  if (on_last + 2 > last_capacity && n_rows > 0)
    g_array_append_val (self->page_starts, row);
  g_array_append_val (self->page_starts, n_rows);
}

/**
 * omni_report_layout_new:
 * @cr: a context on the surface the pages go to, for measuring text
 * @width: the page's width in points
 * @height: the page's height in points
 *
 * Returns: (transfer full): the table laid out on pages of that size
 */
OmniReportLayout *
omni_report_layout_new (OmniReportTable *table,
                        cairo_t         *cr,
                        double           width,
                        double           height)
{
  OmniReportLayout *self;
  g_autoptr(PangoLayout) probe = NULL;
  int probe_height;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (table), NULL);
  g_return_val_if_fail (cr != NULL, NULL);
  g_return_val_if_fail (width > 4 * OMNI_REPORT_PAGE_MARGIN, NULL);
  g_return_val_if_fail (height > 4 * OMNI_REPORT_PAGE_MARGIN, NULL);

  self = g_new0 (OmniReportLayout, 1);
  self->table = g_object_ref (table);
  self->context = pango_cairo_create_context (cr);
  /* Font sizes in points, whatever the surface's resolution. */
  pango_cairo_context_set_resolution (self->context, 72.0);
  self->body_font = font_new (BODY_SIZE, PANGO_WEIGHT_NORMAL);
  self->bold_font = font_new (BODY_SIZE, PANGO_WEIGHT_BOLD);
  self->title_font = font_new (TITLE_SIZE, PANGO_WEIGHT_BOLD);
  self->small_font = font_new (SMALL_SIZE, PANGO_WEIGHT_NORMAL);
  self->width = width;
  self->height = height;
  self->n_columns = omni_report_table_get_n_columns (table);
  self->column_x = g_new0 (double, MAX (self->n_columns, 1));
  self->column_width = g_new0 (double, MAX (self->n_columns, 1));
  self->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));

  probe = new_text (self, self->body_font, "Ág");
  pango_layout_get_size (probe, NULL, &probe_height);
  self->line_height = (double) probe_height / PANGO_SCALE;
  self->row_height = ceil (self->line_height * 1.5);
  self->footer_height = self->row_height * 2;
  self->heading_height = heading_height (self);

  measure_columns (self);
  paginate (self);

  return self;
}

/**
 * omni_report_layout_get_n_pages:
 *
 * Returns: how many pages the report takes, at least one
 */
guint
omni_report_layout_get_n_pages (OmniReportLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->page_starts->len - 1;
}

/**
 * omni_report_layout_get_page_rows:
 * @page: from 0
 * @first: (out): the page's first row
 * @n_rows: (out): how many rows it shows
 */
void
omni_report_layout_get_page_rows (OmniReportLayout *self,
                                  guint             page,
                                  guint            *first,
                                  guint            *n_rows)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (page < omni_report_layout_get_n_pages (self));

  *first = g_array_index (self->page_starts, guint, page);
  *n_rows = g_array_index (self->page_starts, guint, page + 1) - *first;
}

static void
show_text (OmniReportLayout           *self,
           cairo_t                    *cr,
           const PangoFontDescription *font,
           const char                 *text,
           double                      x,
           double                      y,
           double                      width,
           PangoAlignment              alignment,
           gboolean                    wrap)
{
  g_autoptr(PangoLayout) layout = new_text (self, font, text);

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, alignment);
  if (wrap)
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  else
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static double
draw_heading (OmniReportLayout *self,
              cairo_t          *cr,
              double            y)
{
  const char * const *filters = omni_report_table_get_filters (self->table);
  const char * const *notes = omni_report_table_get_notes (self->table);
  const char *title = omni_report_table_get_title (self->table);
  double x = OMNI_REPORT_PAGE_MARGIN;
  double wrap = content_width (self);

  cairo_set_source_rgb (cr, 0, 0, 0);
  show_text (self, cr, self->title_font, title, x, y, wrap, PANGO_ALIGN_LEFT, TRUE);
  y += text_height (self, self->title_font, title, wrap) + 6;
  for (guint i = 0; filters[i] != NULL; i++)
    {
      show_text (self, cr, self->body_font, filters[i], x, y, wrap, PANGO_ALIGN_LEFT, TRUE);
      y += text_height (self, self->body_font, filters[i], wrap);
    }
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  for (guint i = 0; notes[i] != NULL; i++)
    {
      show_text (self, cr, self->small_font, notes[i], x, y, wrap, PANGO_ALIGN_LEFT, TRUE);
      y += text_height (self, self->small_font, notes[i], wrap);
    }

  return y + 12;
}

static void
draw_cells (OmniReportLayout *self,
            cairo_t          *cr,
            guint             row,
            double            y,
            gboolean          header)
{
  const PangoFontDescription *font = header || row == OMNI_REPORT_TOTALS ? self->bold_font
                                                                         : self->body_font;
  double top = y + (self->row_height - self->line_height) / 2;

  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autofree char *text = NULL;
      PangoAlignment alignment = omni_report_table_column_is_numeric (self->table, c)
                                 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
      double width = self->column_width[c] - 2 * CELL_PADDING;

      if (header)
        text = g_strdup (omni_report_table_get_column_title (self->table, c));
      else
        text = omni_report_table_format_cell (self->table, row, c, OMNI_CELL_FORMAT_DISPLAY);
      if (*text == '\0' || width <= 0)
        continue;
      show_text (self, cr, font, text, self->column_x[c] + CELL_PADDING, top, width,
                 alignment, FALSE);
    }
}

static void
draw_rule (OmniReportLayout *self,
           cairo_t          *cr,
           double            y,
           double            line_width)
{
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, line_width);
  cairo_move_to (cr, OMNI_REPORT_PAGE_MARGIN, y);
  cairo_line_to (cr, self->width - OMNI_REPORT_PAGE_MARGIN, y);
  cairo_stroke (cr);
}

static void
draw_footer (OmniReportLayout *self,
             cairo_t          *cr,
             guint             page)
{
  g_autofree char *generated = omni_report_table_format_generated (self->table);
  g_autofree char *left = g_strdup_printf ("%s · %s", omni_report_table_get_title (self->table),
                                           generated);
  /* TRANSLATORS: the page number at the foot of a printed report */
  g_autofree char *right = g_strdup_printf (_("Page %u of %u"), page + 1,
                                            omni_report_layout_get_n_pages (self));
  double y = self->height - OMNI_REPORT_PAGE_MARGIN - self->row_height;
  double half = content_width (self) / 2;

  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  show_text (self, cr, self->small_font, left, OMNI_REPORT_PAGE_MARGIN, y, half,
             PANGO_ALIGN_LEFT, FALSE);
  show_text (self, cr, self->small_font, right, OMNI_REPORT_PAGE_MARGIN + half, y, half,
             PANGO_ALIGN_RIGHT, FALSE);
}

/**
 * omni_report_layout_draw_page:
 * @cr: where to draw, with the page's top left at the origin, in points
 * @page: from 0
 */
void
omni_report_layout_draw_page (OmniReportLayout *self,
                              cairo_t          *cr,
                              guint             page)
{
  guint first, n_rows, n_pages;
  double y = OMNI_REPORT_PAGE_MARGIN;
  double table_width;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  n_pages = omni_report_layout_get_n_pages (self);
  g_return_if_fail (page < n_pages);

  omni_report_layout_get_page_rows (self, page, &first, &n_rows);
  table_width = content_width (self);

  cairo_save (cr);
  pango_cairo_update_context (cr, self->context);
  pango_cairo_context_set_resolution (self->context, 72.0);

  if (page == 0)
    y = draw_heading (self, cr, y);

  /* The header on every page, so a loose page still reads. */
  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_rectangle (cr, OMNI_REPORT_PAGE_MARGIN, y, table_width, self->row_height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_cells (self, cr, 0, y, TRUE);
  y += self->row_height;
  draw_rule (self, cr, y, 0.8);

  for (guint i = 0; i < n_rows; i++)
    {
      guint row = first + i;

      if (row % 2 == 1)
        {
          cairo_set_source_rgb (cr, 0.96, 0.96, 0.96);
          cairo_rectangle (cr, OMNI_REPORT_PAGE_MARGIN, y, table_width, self->row_height);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      draw_cells (self, cr, row, y, FALSE);
      y += self->row_height;
    }

  if (page == n_pages - 1)
    {
      if (omni_report_table_get_n_rows (self->table) == 0)
        {
          cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
          show_text (self, cr, self->body_font, _("No rows match these filters."),
                     OMNI_REPORT_PAGE_MARGIN + CELL_PADDING, y + 4, table_width,
                     PANGO_ALIGN_LEFT, FALSE);
          y += self->row_height;
        }
      if (omni_report_table_has_totals (self->table))
        {
          y += self->row_height / 2;
          draw_rule (self, cr, y, 0.8);
          cairo_set_source_rgb (cr, 0, 0, 0);
          draw_cells (self, cr, OMNI_REPORT_TOTALS, y, FALSE);
        }
    }

  draw_footer (self, cr, page);
  cairo_restore (cr);
}

void
omni_report_layout_free (OmniReportLayout *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->page_starts);
  g_free (self->column_x);
  g_free (self->column_width);
  pango_font_description_free (self->body_font);
  pango_font_description_free (self->bold_font);
  pango_font_description_free (self->title_font);
  pango_font_description_free (self->small_font);
  g_object_unref (self->context);
  g_object_unref (self->table);
  g_free (self);
}
