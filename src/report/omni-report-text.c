/* omni-report-text.c: a report table as plain text for a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `omnistock-cli report … --format table` prints: the title, the
 * filters, then columns padded to line up (numbers on the right), a rule,
 * and the totals under another rule. Widths count characters, not bytes, so
 * accented titles line up. Long text is cut, so a row stays one line.
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-report-render.h"

/* Characters a text cell shows before it is cut. */
#define MAX_TEXT_WIDTH 40

typedef struct
{
  OmniReportTable *table;
  guint            n_columns;
  glong           *widths;
} TextLayout;

static char *
cell_text (OmniReportTable *table,
           guint            row,
           guint            column)
{
  g_autofree char *text = omni_report_table_format_cell (table, row, column,
                                                         OMNI_CELL_FORMAT_DISPLAY);
  glong length = g_utf8_strlen (text, -1);
  g_autofree char *cut = NULL;

  if (omni_report_table_column_is_numeric (table, column) || length <= MAX_TEXT_WIDTH)
    return g_steal_pointer (&text);

  /* ASCII dots, since the terminal's charset may have no ellipsis. */
  cut = g_utf8_substring (text, 0, MAX_TEXT_WIDTH - 3);
  return g_strconcat (cut, "...", NULL);
}

static void
measure (TextLayout *layout,
         guint       row)
{
  for (guint c = 0; c < layout->n_columns; c++)
    {
      g_autofree char *text = cell_text (layout->table, row, c);

      layout->widths[c] = MAX (layout->widths[c], g_utf8_strlen (text, -1));
    }
}

static void
append_cell (GString    *line,
             const char *text,
             glong       width,
             gboolean    right)
{
  int padding = (int) (width - g_utf8_strlen (text, -1));

  if (line->len > 0)
    g_string_append (line, "  ");
  if (right)
    g_string_append_printf (line, "%*s%s", padding, "", text);
  else
    g_string_append_printf (line, "%s%*s", text, padding, "");
}

static void
end_line (GString *out,
          GString *line)
{
  /* No trailing blanks from a left-aligned last column. */
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  g_string_append (out, line->str);
  g_string_append_c (out, '\n');
  g_string_truncate (line, 0);
}

static void
append_row (TextLayout *layout,
            GString    *out,
            guint       row)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < layout->n_columns; c++)
    {
      g_autofree char *text = cell_text (layout->table, row, c);

      append_cell (line, text, layout->widths[c],
                   omni_report_table_column_is_numeric (layout->table, c));
    }
  end_line (out, line);
}

static void
append_header (TextLayout *layout,
               GString    *out)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < layout->n_columns; c++)
    append_cell (line, omni_report_table_get_column_title (layout->table, c),
                 layout->widths[c], omni_report_table_column_is_numeric (layout->table, c));
  end_line (out, line);
}

static void
append_rule (TextLayout *layout,
             GString    *out)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < layout->n_columns; c++)
    {
      if (c > 0)
        g_string_append (line, "  ");
      for (glong i = 0; i < layout->widths[c]; i++)
        g_string_append_c (line, '-');
    }
  end_line (out, line);
}

static void
append_heading (OmniReportTable *table,
                GString         *out)
{
  const char * const *filters = omni_report_table_get_filters (table);
  const char * const *notes = omni_report_table_get_notes (table);

  g_string_append_printf (out, "%s\n", omni_report_table_get_title (table));
  for (guint i = 0; filters[i] != NULL; i++)
    g_string_append_printf (out, "%s\n", filters[i]);
  for (guint i = 0; notes[i] != NULL; i++)
    g_string_append_printf (out, "%s\n", notes[i]);
  g_string_append_c (out, '\n');
}

/**
 * omni_report_table_to_text:
 *
 * Returns: (transfer full): the report as lines of UTF-8 text, each ending
 *   in a newline
 */
char *
omni_report_table_to_text (OmniReportTable *table)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree glong *widths = NULL;
  TextLayout layout = { 0 };
  guint n_rows;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (table), NULL);

  layout.table = table;
  layout.n_columns = omni_report_table_get_n_columns (table);
  layout.widths = widths = g_new0 (glong, MAX (layout.n_columns, 1));
  n_rows = omni_report_table_get_n_rows (table);

  for (guint c = 0; c < layout.n_columns; c++)
    widths[c] = g_utf8_strlen (omni_report_table_get_column_title (table, c), -1);
  for (guint r = 0; r < n_rows; r++)
    measure (&layout, r);
  if (omni_report_table_has_totals (table))
    measure (&layout, OMNI_REPORT_TOTALS);

  append_heading (table, out);
  append_header (&layout, out);
  append_rule (&layout, out);
  for (guint r = 0; r < n_rows; r++)
    append_row (&layout, out, r);
  if (n_rows == 0)
    g_string_append_printf (out, "%s\n", _("No rows match these filters."));
  if (omni_report_table_has_totals (table))
    {
      append_rule (&layout, out);
      append_row (&layout, out, OMNI_REPORT_TOTALS);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
