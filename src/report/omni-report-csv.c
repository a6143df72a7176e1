/* omni-report-csv.c: a report table as CSV, and saving in any format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV is for spreadsheets and scripts: one header line of column titles,
 * then one line per row with plain numbers ("1234.50", no grouping), times
 * in UTC ISO 8601, and nothing else: no title, no totals line a spreadsheet
 * would add in twice.
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <string.h>

#include "omni-csv.h"
#include "omni-report-render.h"

static gboolean
write_header (OmniReportTable  *table,
              OmniCsvWriter    *writer,
              GError          **error)
{
  guint n_columns = omni_report_table_get_n_columns (table);
  g_autofree const char **fields = g_new0 (const char *, n_columns);

  for (guint c = 0; c < n_columns; c++)
    fields[c] = omni_report_table_get_column_title (table, c);

  return omni_csv_writer_write_row (writer, fields, n_columns, error);
}

static gboolean
write_row (OmniReportTable  *table,
           OmniCsvWriter    *writer,
           guint             row,
           GError          **error)
{
  guint n_columns = omni_report_table_get_n_columns (table);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_full (n_columns, g_free);

  for (guint c = 0; c < n_columns; c++)
    g_ptr_array_add (fields, omni_report_table_format_cell (table, row, c,
                                                            OMNI_CELL_FORMAT_DATA));

  return omni_csv_writer_write_row (writer, (const char * const *) fields->pdata, n_columns,
                                    error);
}

/**
 * omni_report_table_write_csv:
 * @stream: where the CSV goes; flushed, left open
 *
 * Writes RFC 4180 CSV with CRLF line ends. A text field that a spreadsheet
 * would run as a formula (=, +, - or @ first) is written with a leading
 * apostrophe; numbers, negative ones included, are left alone.
 *
 * Returns: %TRUE when every row was written
 */
gboolean
omni_report_table_write_csv (OmniReportTable  *table,
                             GOutputStream    *stream,
                             GCancellable     *cancellable,
                             GError          **error)
{
  const OmniCsvWriterOptions options = { .neutralize_formulas = TRUE };
  g_autoptr(OmniCsvWriter) writer = NULL;
  guint n_rows;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (table), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  writer = omni_csv_writer_new (stream, &options);
  if (!write_header (table, writer, error))
    return FALSE;

  n_rows = omni_report_table_get_n_rows (table);
  for (guint r = 0; r < n_rows; r++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !write_row (table, writer, r, error))
        return FALSE;
    }

  return omni_csv_writer_flush (writer, error);
}

/**
 * omni_report_table_write:
 * @format: CSV, PDF or a text table
 * @stream: where it goes; left open
 *
 * Returns: %TRUE when the whole report was written
 */
gboolean
omni_report_table_write (OmniReportTable   *table,
                         OmniReportFormat   format,
                         GOutputStream     *stream,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (table), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  switch (format)
    {
    case OMNI_REPORT_FORMAT_CSV:
      return omni_report_table_write_csv (table, stream, cancellable, error);
    case OMNI_REPORT_FORMAT_PDF:
      return omni_report_table_write_pdf (table, stream, cancellable, error);
    case OMNI_REPORT_FORMAT_TABLE:
      text = omni_report_table_to_text (table);
      return g_output_stream_write_all (stream, text, strlen (text), NULL, cancellable, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * omni_report_table_save:
 * @format: CSV, PDF or a text table
 * @file: the file to write; replaced only once the report is complete
 *
 * Returns: %TRUE when the file holds the whole report
 */
gboolean
omni_report_table_save (OmniReportTable   *table,
                        OmniReportFormat   format,
                        GFile             *file,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (table), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (stream == NULL)
    return FALSE;

  if (!omni_report_table_write (table, format, G_OUTPUT_STREAM (stream), cancellable, error))
    {
      /* Closing with a cancelled cancellable drops the temporary file and
       * leaves any earlier file as it was. */
      abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error);
}
