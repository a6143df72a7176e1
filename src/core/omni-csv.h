/* omni-csv.h: streaming CSV reader and writer (RFC 4180, as real exports write it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OMNI_CSV_ERROR (omni_csv_error_quark ())

/**
 * OmniCsvError:
 * @OMNI_CSV_ERROR_FAILED: an unexpected failure; the message says which
 * @OMNI_CSV_ERROR_IO: the file could not be opened, read or written
 * @OMNI_CSV_ERROR_ENCODING: the text is neither UTF-8 nor Windows-1252 (for
 *   example UTF-16, or invalid UTF-8 in a file that started as UTF-8)
 * @OMNI_CSV_ERROR_UNBALANCED_QUOTE: a quoted field is still open at the end
 *   of the file; the message names the line where its record started
 * @OMNI_CSV_ERROR_FIELD_TOO_LONG: a field is longer than
 *   #OmniCsvOptions.max_field_bytes
 * @OMNI_CSV_ERROR_ROW_TOO_LONG: a record is longer than
 *   #OmniCsvOptions.max_record_bytes
 * @OMNI_CSV_ERROR_TOO_MANY_FIELDS: a record has more than
 *   #OmniCsvOptions.max_fields fields
 * @OMNI_CSV_ERROR_BINARY: the input holds NUL bytes or many control
 *   characters: it is not a text file
 * @OMNI_CSV_ERROR_CANCELLED: the #GCancellable was cancelled (the reader
 *   translates %G_IO_ERROR_CANCELLED into this code so callers check one domain)
 *
 * Every message about the file's content is a sentence that starts with the
 * physical line, 1-based ("Line 12, column 4: …"). "Column" is the field number, 1-based, as a
 * spreadsheet shows it, not a character offset. A limit error names the line
 * where the record started; an encoding error names the line of the bad byte.
 */
typedef enum
{
  OMNI_CSV_ERROR_FAILED,
  OMNI_CSV_ERROR_IO,
  OMNI_CSV_ERROR_ENCODING,
  OMNI_CSV_ERROR_UNBALANCED_QUOTE,
  OMNI_CSV_ERROR_FIELD_TOO_LONG,
  OMNI_CSV_ERROR_ROW_TOO_LONG,
  OMNI_CSV_ERROR_TOO_MANY_FIELDS,
  OMNI_CSV_ERROR_BINARY,
  OMNI_CSV_ERROR_CANCELLED,
} OmniCsvError;

GQuark omni_csv_error_quark (void);

/**
 * OmniCsvOptions:
 * @delimiter: ',' ';' '\t' or '|'; 0 sniffs ',' ';' or '\t' from the first
 *   records, defaulting to ','. An Excel `sep=X` first line is always skipped,
 *   and names the delimiter when sniffing.
 * @max_field_bytes: longest field in UTF-8 bytes; 0 means 1 MiB
 * @max_record_bytes: longest record in UTF-8 bytes, counting one byte per
 *   field for its separator; 0 means 4 MiB
 * @max_fields: most fields in one record; 0 means 1024
 *
 * The limits bound the reader's memory: it holds one 64 KiB read buffer and
 * one record, whatever the size of the file.
 */
typedef struct
{
  char     delimiter;
  gsize    max_field_bytes;
  gsize    max_record_bytes;
  guint    max_fields;
} OmniCsvOptions;

/**
 * OmniCsvReader:
 *
 * Reads records one at a time from a #GInputStream.
 *
 * - RFC 4180 quoting: doubled quotes inside quoted fields; delimiters, CR and
 *   LF inside quotes belong to the field (line numbers still count them).
 *   Leniencies real exports need: a quote inside an unquoted field is kept
 *   literally, and text after a closing quote is appended to the field.
 * - CRLF, LF and lone CR end records; the last record may lack a newline;
 *   blank lines are skipped but counted.
 * - Encoding: a UTF-8 BOM is stripped. If the first 64 KiB are not valid
 *   UTF-8 the file is read as Windows-1252 (a superset of Latin-1 in
 *   practice) and converted. A file that is plain ASCII so far switches to
 *   Windows-1252 at its first byte that is not UTF-8; once real UTF-8 has been
 *   seen, an invalid byte is an %OMNI_CSV_ERROR_ENCODING error.
 * - Fields are returned as UTF-8, NUL-terminated; the array is
 *   NULL-terminated too.
 */
typedef struct _OmniCsvReader OmniCsvReader;

OmniCsvReader *omni_csv_reader_new            (GInputStream          *stream,
                                               const OmniCsvOptions  *options);
OmniCsvReader *omni_csv_reader_new_for_path   (const char            *path,
                                               const OmniCsvOptions  *options,
                                               GError               **error);
gboolean       omni_csv_reader_next           (OmniCsvReader         *reader,
                                               const char * const   **fields,
                                               guint                 *n_fields,
                                               GCancellable          *cancellable,
                                               GError               **error);
guint64        omni_csv_reader_get_line       (OmniCsvReader         *reader);
guint64        omni_csv_reader_get_bytes_read (OmniCsvReader         *reader);
char           omni_csv_reader_get_delimiter  (OmniCsvReader         *reader);
const char    *omni_csv_reader_get_encoding   (OmniCsvReader         *reader);
void           omni_csv_reader_free           (OmniCsvReader         *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCsvReader, omni_csv_reader_free)

/**
 * OmniCsvWriterOptions:
 * @delimiter: field separator; 0 means ','
 * @lf_line_ends: end records with LF; the default (%FALSE) is CRLF, which
 *   Shopify and Excel expect
 * @write_bom: start the output with a UTF-8 BOM (Excel on Windows needs it to
 *   recognise UTF-8); off by default
 * @neutralize_formulas: for files meant for a spreadsheet: a field starting
 *   with = + - @ tab or CR gets a leading apostrophe so it is shown as text,
 *   never run as a formula. Plain numbers such as -12.50 are left alone.
 */
typedef struct
{
  char     delimiter;
  gboolean lf_line_ends;
  gboolean write_bom;
  gboolean neutralize_formulas;
} OmniCsvWriterOptions;

/**
 * OmniCsvWriter:
 *
 * Writes RFC 4180 records through a buffer. A field is quoted only when it
 * must be: it holds the delimiter, a quote, CR or LF, starts or ends with a
 * space or tab, or is the only field of a record and empty (so the record
 * does not read back as a blank line). Fields must be UTF-8; NULL is written
 * as an empty field.
 */
typedef struct _OmniCsvWriter OmniCsvWriter;

OmniCsvWriter *omni_csv_writer_new            (GOutputStream               *stream,
                                               const OmniCsvWriterOptions  *options);
gboolean       omni_csv_writer_write_row      (OmniCsvWriter               *writer,
                                               const char * const          *fields,
                                               guint                        n_fields,
                                               GError                     **error);
gboolean       omni_csv_writer_flush          (OmniCsvWriter               *writer,
                                               GError                     **error);
gboolean       omni_csv_writer_close          (OmniCsvWriter               *writer,
                                               GError                     **error);
void           omni_csv_writer_free           (OmniCsvWriter               *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCsvWriter, omni_csv_writer_free)

G_END_DECLS
