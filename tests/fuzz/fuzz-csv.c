/* fuzz-csv.c: libFuzzer target for the CSV reader, with a round-trip oracle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first input byte picks the options (delimiter, tight limits, line
 * ends); the rest is the file. Every record read must be valid UTF-8 within
 * the limits, and writing the records with OmniCsvWriter then reading them
 * back must give the same records.
 */
#define G_LOG_DOMAIN "fuzz-csv"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "omni-csv.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static const char delimiters[] = { 0, ',', ';', '\t' };

#define CHECK(cond) G_STMT_START {                  \
    if (!(cond))                                      \
      {                                               \
        g_printerr ("check failed: %s\n", #cond);     \
        abort ();                                     \
      }                                               \
  } G_STMT_END

/* Reads every record into @records (a GPtrArray of GStrv); returns the error. */
static GError *
read_all (GBytes               *bytes,
          const OmniCsvOptions *options,
          GPtrArray            *records,
          char                 *delimiter)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(OmniCsvReader) reader = omni_csv_reader_new (stream, options);
  GError *error = NULL;
  const char * const *fields;
  guint n_fields;
  guint64 last_line = 0;

  while (omni_csv_reader_next (reader, &fields, &n_fields, NULL, &error))
    {
      gsize total = 0;

      CHECK (n_fields >= 1);
      CHECK (n_fields <= options->max_fields);
      CHECK (fields[n_fields] == NULL);
      CHECK (omni_csv_reader_get_line (reader) > last_line);
      last_line = omni_csv_reader_get_line (reader);
      for (guint i = 0; i < n_fields; i++)
        {
          gsize len = strlen (fields[i]);

          CHECK (g_utf8_validate (fields[i], len, NULL));
          CHECK (len <= options->max_field_bytes);
          total += len + 1;
        }
      CHECK (total <= options->max_record_bytes);
      g_ptr_array_add (records, g_strdupv ((char **) fields));
    }

  CHECK (omni_csv_reader_get_bytes_read (reader) <= g_bytes_get_size (bytes));
  *delimiter = omni_csv_reader_get_delimiter (reader);
  return error;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(OmniCsvWriter) writer = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  OmniCsvOptions options = { 0, };
  OmniCsvWriterOptions wopts = { 0, };
  guint8 flags;
  char delimiter = 0;

  if (size == 0)
    return 0;
  flags = data[0];
  input = g_bytes_new (data + 1, size - 1);

  options.delimiter = delimiters[flags & 3];
  if (flags & 4)
    {
      options.max_field_bytes = 40;
      options.max_record_bytes = 120;
      options.max_fields = 6;
    }
  else
    {
      options.max_field_bytes = 1024 * 1024;
      options.max_record_bytes = 4 * 1024 * 1024;
      options.max_fields = 1024;
    }

  error = read_all (input, &options, records, &delimiter);
  if (error != NULL)
    {
      CHECK (error->domain == OMNI_CSV_ERROR);
      CHECK (g_str_has_prefix (error->message, "Line "));
    }
  if (records->len == 0)
    return 0;

  /* Round trip through the writer. */
  out = g_memory_output_stream_new_resizable ();
  wopts.delimiter = delimiter;
  wopts.lf_line_ends = (flags & 8) != 0;
  wopts.write_bom = (flags & 16) != 0;
  writer = omni_csv_writer_new (out, &wopts);
  for (guint i = 0; i < records->len; i++)
    {
      char **fields = g_ptr_array_index (records, i);

      CHECK (omni_csv_writer_write_row (writer, (const char * const *) fields,
                                        g_strv_length (fields), NULL));
    }
  CHECK (omni_csv_writer_close (writer, NULL));
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  options.delimiter = delimiter;
  error2 = read_all (written, &options, again, &delimiter);
  /* Binary detection weighs control characters against the first buffer's
   * size, which quoting changes; everything else must read back alike. */
  if (error2 != NULL && g_error_matches (error2, OMNI_CSV_ERROR, OMNI_CSV_ERROR_BINARY))
    return 0;
  if (error2 != NULL)
    g_printerr ("re-read failed: %s\n", error2->message);
  CHECK (error2 == NULL);
  CHECK (again->len == records->len);
  for (guint i = 0; i < records->len; i++)
    {
      char **a = g_ptr_array_index (records, i);
      char **b = g_ptr_array_index (again, i);

      CHECK (g_strv_equal ((const char * const *) a, (const char * const *) b));
    }

  return 0;
}
