/* omni-csv-writer.c: RFC 4180 writer, buffered, quoting only where needed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-csv"

#include "config.h"

#include <string.h>

#include "omni-csv.h"

#define WRITE_BUFFER_SIZE (64 * 1024)

struct _OmniCsvWriter
{
  GOutputStream *stream;
  char           delimiter;
  const char    *line_end;
  gsize          line_end_len;
  gboolean       neutralize_formulas;
  gboolean       bom_pending;
  gboolean       closed;
  gboolean       at_start;      /* nothing written yet */
  /* Bytes that force a field into quotes. */
  guint8         needs_quote[256];

  char          *buf;
  gsize          len;
};

/**
 * omni_csv_writer_new:
 * @stream: where the CSV goes; the writer keeps a reference
 * @options: (nullable): delimiter, line ends, BOM, formula neutralising
 *
 * Returns: (transfer full): a writer; call omni_csv_writer_close() to flush
 *   and close, since omni_csv_writer_free() alone drops buffered rows
 */
OmniCsvWriter *
omni_csv_writer_new (GOutputStream              *stream,
                     const OmniCsvWriterOptions *options)
{
  OmniCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (options == NULL || options->delimiter != '"', NULL);
  g_return_val_if_fail (options == NULL ||
                        (options->delimiter != '\r' && options->delimiter != '\n'), NULL);

  self = g_new0 (OmniCsvWriter, 1);
  self->stream = g_object_ref (stream);
  self->delimiter = (options != NULL && options->delimiter != 0) ? options->delimiter : ',';
  self->line_end = (options != NULL && options->lf_line_ends) ? "\n" : "\r\n";
  self->line_end_len = strlen (self->line_end);
  self->neutralize_formulas = options != NULL && options->neutralize_formulas;
  self->bom_pending = options != NULL && options->write_bom;
  self->buf = g_malloc (WRITE_BUFFER_SIZE);
  self->at_start = TRUE;

  self->needs_quote[(guchar) self->delimiter] = 1;
  self->needs_quote['"'] = 1;
  self->needs_quote['\r'] = 1;
  self->needs_quote['\n'] = 1;

  return self;
}

/**
 * omni_csv_writer_free:
 * @writer: (nullable): a writer
 *
 * Frees the writer. Rows not yet flushed are dropped, so an export that
 * failed half-way does not write a partial last row.
 */
void
omni_csv_writer_free (OmniCsvWriter *writer)
{
  if (writer == NULL)
    return;

  g_clear_object (&writer->stream);
  g_free (writer->buf);
  g_free (writer);
}

static gboolean
write_failed (GError  *local_error,
              GError **error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_CANCELLED,
                         "Writing the CSV file was cancelled");
  else
    g_set_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_IO,
                 "Could not write the CSV file: %s", local_error->message);
  return FALSE;
}

/**
 * omni_csv_writer_flush:
 * @writer: a writer
 * @error: an %OMNI_CSV_ERROR_IO error
 *
 * Writes the buffered rows to the stream and flushes it.
 *
 * Returns: %TRUE on success
 */
gboolean
omni_csv_writer_flush (OmniCsvWriter *writer,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (!writer->closed, FALSE);

  if (writer->len > 0 &&
      !g_output_stream_write_all (writer->stream, writer->buf, writer->len, NULL, NULL,
                                  &local_error))
    return write_failed (local_error, error);
  writer->len = 0;

  if (!g_output_stream_flush (writer->stream, NULL, &local_error))
    return write_failed (local_error, error);
  return TRUE;
}

static gboolean
put (OmniCsvWriter *self,
     const char    *data,
     gsize          len,
     GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->len + len <= WRITE_BUFFER_SIZE)
    {
      memcpy (self->buf + self->len, data, len);
      self->len += len;
      return TRUE;
    }

  if (self->len > 0 &&
      !g_output_stream_write_all (self->stream, self->buf, self->len, NULL, NULL, &local_error))
    return write_failed (local_error, error);
  self->len = 0;

  if (len >= WRITE_BUFFER_SIZE)
    {
      if (!g_output_stream_write_all (self->stream, data, len, NULL, NULL, &local_error))
        return write_failed (local_error, error);
      return TRUE;
    }

  memcpy (self->buf, data, len);
  self->len = len;
  return TRUE;
}

/* "-12", "+3.5", "-0.25": numbers a spreadsheet should keep as numbers. */
static gboolean
is_plain_number (const char *s)
{
  gboolean digits = FALSE;

  if (*s == '+' || *s == '-')
    s++;
  for (; g_ascii_isdigit (*s); s++)
    digits = TRUE;
  if (*s == '.')
    for (s++; g_ascii_isdigit (*s); s++)
      digits = TRUE;
  return digits && *s == '\0';
}

static gboolean
is_formula_like (const char *s)
{
  switch (s[0])
    {
    case '=':
    case '@':
    case '\t':
    case '\r':
      return TRUE;
    case '+':
    case '-':
      return !is_plain_number (s);
    default:
      return FALSE;
    }
}

static gboolean
put_field (OmniCsvWriter *self,
           const char    *field,
           gboolean       only_field,
           GError       **error)
{
  gsize len = strlen (field);
  gboolean apostrophe = self->neutralize_formulas && is_formula_like (field);
  gboolean quote = FALSE;
  gboolean first = self->at_start;
  const char *p, *q, *end = field + len;

  self->at_start = FALSE;
  if (len == 0)
    return !only_field || put (self, "\"\"", 2, error);

  if (field[0] == ' ' || field[0] == '\t' || field[len - 1] == ' ' || field[len - 1] == '\t')
    quote = TRUE;
  for (p = field; !quote && p < end; p++)
    quote = self->needs_quote[(guchar) *p];
  /* At the very start of the file, a BOM or an Excel "sep=" line would be
   * taken for file metadata by readers: quoting keeps it data. */
  if (first && (g_str_has_prefix (field, "\xEF\xBB\xBF") || g_str_has_prefix (field, "sep=")))
    quote = TRUE;

  if (!quote)
    return (!apostrophe || put (self, "'", 1, error)) && put (self, field, len, error);

  if (!put (self, apostrophe ? "\"'" : "\"", apostrophe ? 2 : 1, error))
    return FALSE;
  /* Copy runs between quotes, doubling each quote. */
  for (p = field; p < end; p = q + 1)
    {
      q = memchr (p, '"', end - p);
      if (q == NULL)
        {
          if (!put (self, p, end - p, error))
            return FALSE;
          break;
        }
      if (!put (self, p, q + 1 - p, error) || !put (self, "\"", 1, error))
        return FALSE;
    }
  return put (self, "\"", 1, error);
}

/**
 * omni_csv_writer_write_row:
 * @writer: a writer
 * @fields: (array length=n_fields): UTF-8 fields; a %NULL element is empty
 * @n_fields: how many, at least 1
 * @error: an %OMNI_CSV_ERROR_IO error when the stream fails
 *
 * Returns: %TRUE on success
 */
gboolean
omni_csv_writer_write_row (OmniCsvWriter       *writer,
                           const char * const  *fields,
                           guint                n_fields,
                           GError             **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (!writer->closed, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (n_fields > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (writer->bom_pending)
    {
      writer->bom_pending = FALSE;
      if (!put (writer, "\xEF\xBB\xBF", 3, error))
        return FALSE;
    }

  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0 && !put (writer, &writer->delimiter, 1, error))
        return FALSE;
      if (!put_field (writer, fields[i] != NULL ? fields[i] : "", n_fields == 1, error))
        return FALSE;
    }

  return put (writer, writer->line_end, writer->line_end_len, error);
}

/**
 * omni_csv_writer_close:
 * @writer: a writer
 * @error: an %OMNI_CSV_ERROR_IO error
 *
 * Flushes the buffered rows and closes the stream. Only a %TRUE return means
 * the whole file was written.
 *
 * Returns: %TRUE on success
 */
gboolean
omni_csv_writer_close (OmniCsvWriter *writer,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (!writer->closed, FALSE);

  if (writer->bom_pending)
    {
      writer->bom_pending = FALSE;
      if (!put (writer, "\xEF\xBB\xBF", 3, error))
        return FALSE;
    }
  if (!omni_csv_writer_flush (writer, error))
    return FALSE;

  writer->closed = TRUE;
  if (!g_output_stream_close (writer->stream, NULL, &local_error))
    return write_failed (local_error, error);
  return TRUE;
}
