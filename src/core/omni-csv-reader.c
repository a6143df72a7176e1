/* omni-csv-reader.c: streaming RFC 4180 reader with bounded memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-csv"

#include "config.h"

#include <string.h>

#include "omni-csv.h"

/* One read from the stream. Sniffing (encoding, delimiter, binary) looks at
 * the first buffer-full, so this is also the sniffing window. The fuzz target
 * shrinks it so that short inputs cross buffer boundaries too. */
#ifdef OMNI_CSV_READ_SIZE
#define READ_SIZE OMNI_CSV_READ_SIZE
#else
#define READ_SIZE (64 * 1024)
#endif

#define DEFAULT_MAX_FIELD_BYTES  (1024 * 1024)
#define DEFAULT_MAX_RECORD_BYTES (4 * 1024 * 1024)
#define DEFAULT_MAX_FIELDS       1024

/* How many records the delimiter sniffer compares. */
#define SNIFF_RECORDS 20

typedef enum
{
  ENCODING_UNKNOWN,    /* nothing read yet */
  ENCODING_ASCII,      /* only ASCII so far: UTF-8 and Windows-1252 still agree */
  ENCODING_UTF8,       /* real UTF-8 seen: invalid bytes are errors */
  ENCODING_UTF8_BOM,
  ENCODING_WINDOWS_1252,
} Encoding;

typedef enum
{
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,   /* a quote inside a quoted field: escape or close */
} State;

struct _OmniCsvReader
{
  GInputStream *stream;

  gsize         max_field_bytes;
  gsize         max_record_bytes;
  guint         max_fields;

  /* The read buffer. */
  guchar       *in;
  gsize         in_pos;
  gsize         in_len;
  guint64       stream_bytes;   /* read from the stream so far */
  gboolean      eof;
  gboolean      sniffed;

  char          delimiter;
  Encoding      encoding;
  /* Bytes that stop the scan inside an unquoted / quoted field. */
  guint8        stop_unquoted[256];
  guint8        stop_quoted[256];

  /* The record being assembled: fields NUL-terminated one after another. */
  char         *rec;
  gsize         rec_len;
  gsize         rec_cap;
  gsize         field_start;
  gsize        *starts;
  guint         n_fields;
  guint         starts_cap;
  const char  **fields;

  State         state;
  gboolean      in_record;
  gboolean      skip_lf;        /* the last byte was a CR ending a line */
  guint64       line;           /* physical line of the byte being scanned */
  guint64       record_line;

  GError       *failure;        /* sticky: once failed, every call fails alike */
};

G_DEFINE_QUARK (omni-csv-error-quark, omni_csv_error)

/* Windows-1252 0x80–0x9F. The five unassigned bytes map to the C1 controls of
 * the same value, as Latin-1 would read them. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static void
reader_fail (OmniCsvReader *self,
             GError       **error,
             OmniCsvError   code,
             const char    *format,
             ...) G_GNUC_PRINTF (4, 5);

static void
reader_fail (OmniCsvReader *self,
             GError       **error,
             OmniCsvError   code,
             const char    *format,
             ...)
{
  va_list args;

  g_assert (self->failure == NULL);

  va_start (args, format);
  self->failure = g_error_new_valist (OMNI_CSV_ERROR, code, format, args);
  va_end (args);

  if (error != NULL)
    *error = g_error_copy (self->failure);
}

static void
set_delimiter (OmniCsvReader *self,
               char           delimiter)
{
  self->delimiter = delimiter;

  memset (self->stop_unquoted, 0, sizeof self->stop_unquoted);
  self->stop_unquoted[(guchar) delimiter] = 1;
  self->stop_unquoted['\r'] = 1;
  self->stop_unquoted['\n'] = 1;

  memset (self->stop_quoted, 0, sizeof self->stop_quoted);
  self->stop_quoted['"'] = 1;
  self->stop_quoted['\r'] = 1;
  self->stop_quoted['\n'] = 1;
}

/**
 * omni_csv_reader_new:
 * @stream: the CSV bytes; the reader keeps a reference
 * @options: (nullable): limits and delimiter; %NULL for the defaults
 *
 * Returns: (transfer full): a reader; nothing is read until the first
 *   omni_csv_reader_next()
 */
OmniCsvReader *
omni_csv_reader_new (GInputStream         *stream,
                     const OmniCsvOptions *options)
{
  OmniCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (options == NULL || options->delimiter == 0 ||
                        options->delimiter == ',' || options->delimiter == ';' ||
                        options->delimiter == '\t' || options->delimiter == '|', NULL);

  self = g_new0 (OmniCsvReader, 1);
  self->stream = g_object_ref (stream);
  self->max_field_bytes = DEFAULT_MAX_FIELD_BYTES;
  self->max_record_bytes = DEFAULT_MAX_RECORD_BYTES;
  self->max_fields = DEFAULT_MAX_FIELDS;
  self->delimiter = 0;

  if (options != NULL)
    {
      if (options->max_field_bytes > 0)
        self->max_field_bytes = options->max_field_bytes;
      if (options->max_record_bytes > 0)
        self->max_record_bytes = options->max_record_bytes;
      if (options->max_fields > 0)
        self->max_fields = options->max_fields;
      self->delimiter = options->delimiter;
    }
  /* A field can never be longer than its record. */
  self->max_field_bytes = MIN (self->max_field_bytes, self->max_record_bytes);

  self->in = g_malloc (READ_SIZE);
  self->rec_cap = 4096;
  self->rec = g_malloc (self->rec_cap);
  self->starts_cap = 64;
  self->starts = g_new (gsize, self->starts_cap);
  self->fields = g_new (const char *, self->starts_cap + 1);
  self->line = 1;
  self->record_line = 1;
  self->encoding = ENCODING_UNKNOWN;
  self->state = STATE_FIELD_START;

  return self;
}

/**
 * omni_csv_reader_new_for_path:
 * @path: a file name in the GLib file name encoding
 * @options: (nullable): limits and delimiter
 * @error: set to an %OMNI_CSV_ERROR_IO error when the file cannot be opened
 *
 * Returns: (transfer full) (nullable): a reader, or %NULL on error
 */
OmniCsvReader *
omni_csv_reader_new_for_path (const char           *path,
                              const OmniCsvOptions *options,
                              GError              **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_IO,
                   "Could not open “%s”: %s", display, local_error->message);
      return NULL;
    }

  return omni_csv_reader_new (G_INPUT_STREAM (stream), options);
}

/**
 * omni_csv_reader_free:
 * @reader: (nullable): a reader
 *
 * Frees the reader and drops its reference on the stream (which closes a
 * stream nobody else holds).
 */
void
omni_csv_reader_free (OmniCsvReader *reader)
{
  if (reader == NULL)
    return;

  g_clear_object (&reader->stream);
  g_clear_error (&reader->failure);
  g_free (reader->in);
  g_free (reader->rec);
  g_free (reader->starts);
  g_free (reader->fields);
  g_free (reader);
}

/**
 * omni_csv_reader_get_line:
 * @reader: a reader
 *
 * Returns: the physical line (1-based) where the record last returned, or
 *   the record that failed, started
 */
guint64
omni_csv_reader_get_line (OmniCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->record_line;
}

/**
 * omni_csv_reader_get_bytes_read:
 * @reader: a reader
 *
 * Returns: how many bytes of the input have been parsed, for a progress bar
 *   (compare with the file size)
 */
guint64
omni_csv_reader_get_bytes_read (OmniCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->stream_bytes - (reader->in_len - reader->in_pos);
}

/**
 * omni_csv_reader_get_delimiter:
 * @reader: a reader
 *
 * Returns: the delimiter in use; before the first omni_csv_reader_next() it is
 *   the one from the options (0 when it will be sniffed)
 */
char
omni_csv_reader_get_delimiter (OmniCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->delimiter;
}

/**
 * omni_csv_reader_get_encoding:
 * @reader: a reader
 *
 * Returns: "UTF-8", "UTF-8 (BOM)" or "Windows-1252"; meaningful after the
 *   first omni_csv_reader_next()
 */
const char *
omni_csv_reader_get_encoding (OmniCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);

  switch (reader->encoding)
    {
    case ENCODING_UTF8_BOM:
      return "UTF-8 (BOM)";
    case ENCODING_WINDOWS_1252:
      return "Windows-1252";
    case ENCODING_UNKNOWN:
    case ENCODING_ASCII:
    case ENCODING_UTF8:
    default:
      return "UTF-8";
    }
}

/* ---- input --------------------------------------------------------------- */

static gboolean
translate_io_error (OmniCsvReader *self,
                    GError        *io_error,
                    GError       **error)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelling is not a property of the file: do not make it sticky. */
      g_set_error_literal (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_CANCELLED,
                           "Reading the CSV file was cancelled");
      return FALSE;
    }

  reader_fail (self, error, OMNI_CSV_ERROR_IO,
               "Line %" G_GUINT64_FORMAT ": could not read the file: %s",
               self->line, io_error->message);
  return FALSE;
}

/* Reads into the free space after in_len. Returns FALSE with @error set on
 * failure; sets eof at the end of the stream. */
static gboolean
read_more (OmniCsvReader *self,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) io_error = NULL;
  gssize n;

  n = g_input_stream_read (self->stream, self->in + self->in_len, READ_SIZE - self->in_len,
                           cancellable, &io_error);
  if (n < 0)
    return translate_io_error (self, io_error, error);
  if (n == 0)
    self->eof = TRUE;

  self->in_len += n;
  self->stream_bytes += n;
  return TRUE;
}

static gboolean
refill (OmniCsvReader *self,
        GCancellable  *cancellable,
        GError       **error)
{
  self->in_pos = 0;
  self->in_len = 0;
  return read_more (self, cancellable, error);
}

/* ---- sniffing ------------------------------------------------------------ */

/* TRUE when @len bytes at @s are a valid UTF-8 prefix cut by the end of the
 * buffer (a sequence that the next read would complete). */
static gboolean
is_truncated_utf8 (const guchar *s,
                   gsize         len)
{
  gsize need;

  if (len == 0 || len > 3)
    return FALSE;
  if ((s[0] & 0xE0) == 0xC0)
    need = 2;
  else if ((s[0] & 0xF0) == 0xE0)
    need = 3;
  else if ((s[0] & 0xF8) == 0xF0)
    need = 4;
  else
    return FALSE;
  if (len >= need)
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80)
      return FALSE;
  return TRUE;
}

static guint64
count_lines (const guchar *s,
             gsize         len)
{
  guint64 lines = 0;

  for (gsize i = 0; i < len; i++)
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
      lines++;
  return lines;
}

/* UTF-16 text is full of NUL bytes; say so instead of calling it binary. */
static gboolean
looks_like_utf16 (const guchar *s,
                  gsize         len)
{
  guint even = 0, odd = 0;
  gsize n = MIN (len, 512) & ~(gsize) 1;

  if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
    return TRUE;
  for (gsize i = 0; i < n; i += 2)
    {
      even += s[i] == 0;
      odd += s[i + 1] == 0;
    }
  return n >= 4 && (even * 4 >= n * 3 / 2 || odd * 4 >= n * 3 / 2) && (even == 0 || odd == 0);
}

static gboolean
check_binary (OmniCsvReader *self,
              const guchar  *s,
              gsize          len,
              GError       **error)
{
  const guchar *nul;
  gsize controls = 0;

  if (looks_like_utf16 (s, len))
    {
      reader_fail (self, error, OMNI_CSV_ERROR_ENCODING,
                   "Line 1: the file is UTF-16 text; save it as “CSV UTF-8” and try again");
      return FALSE;
    }

  nul = memchr (s, 0, len);
  if (nul != NULL)
    {
      reader_fail (self, error, OMNI_CSV_ERROR_BINARY,
                   "Line %" G_GUINT64_FORMAT ": this looks like a binary file, not CSV "
                   "(it contains NUL bytes)",
                   self->line + count_lines (s, nul - s));
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') || s[i] == 0x7F)
      controls++;

  /* Text has next to no control characters; a stray DOS end-of-file mark or
   * two is fine, a few percent is not text. */
  if (controls >= 4 && controls * 50 > len)
    {
      reader_fail (self, error, OMNI_CSV_ERROR_BINARY,
                   "Line 1: this looks like a binary file, not CSV "
                   "(it is full of control characters)");
      return FALSE;
    }

  return TRUE;
}

static Encoding
sniff_encoding (const guchar *s,
                gsize         len,
                gboolean      eof)
{
  const char *end = NULL;
  gsize i = 0;

  while (i < len && s[i] < 0x80)
    i++;
  if (i == len)
    return ENCODING_ASCII;

  if (g_utf8_validate_len ((const char *) s + i, len - i, &end))
    return ENCODING_UTF8;
  if (!eof && is_truncated_utf8 ((const guchar *) end, len - ((const guchar *) end - s)))
    return ENCODING_UTF8;
  return ENCODING_WINDOWS_1252;
}

/* Delimiters per record for the first records of @s, parsing with @delim;
 * returns how many records were complete. */
static guint
count_delimiters (const guchar *s,
                  gsize         len,
                  gboolean      eof,
                  char          delim,
                  guint        *counts)
{
  guint n = 0;
  guint count = 0;
  gboolean quoted = FALSE, at_start = TRUE, any = FALSE;

  for (gsize i = 0; i < len && n < SNIFF_RECORDS; i++)
    {
      guchar c = s[i];

      if (quoted)
        {
          if (c == '"')
            {
              if (i + 1 < len && s[i + 1] == '"')
                i++;
              else
                quoted = FALSE;
            }
          continue;
        }
      if (c == '"' && at_start)
        {
          quoted = TRUE;
          at_start = FALSE;
          any = TRUE;
        }
      else if (c == (guchar) delim)
        {
          count++;
          at_start = TRUE;
          any = TRUE;
        }
      else if (c == '\n' || c == '\r')
        {
          if (any)
            counts[n++] = count;
          count = 0;
          at_start = TRUE;
          any = FALSE;
        }
      else
        {
          at_start = FALSE;
          any = TRUE;
        }
    }
  if (eof && any && !quoted && n < SNIFF_RECORDS)
    counts[n++] = count;

  return n;
}

static char
sniff_delimiter (const guchar *s,
                 gsize         len,
                 gboolean      eof)
{
  static const char candidates[] = { ',', ';', '\t' };
  char best = ',';
  guint best_matches = 0, best_header = 0;
  gboolean best_consistent = FALSE;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint counts[SNIFF_RECORDS];
      guint n = count_delimiters (s, len, eof, candidates[c], counts);
      guint matches = 0;
      gboolean consistent, better;

      if (n == 0 || counts[0] == 0)
        continue;
      for (guint r = 1; r < n; r++)
        matches += counts[r] == counts[0];
      consistent = matches == n - 1;

      /* Prefer a delimiter that splits every record alike, then the one that
       * agrees with the header most often, then the one with more columns. */
      if (consistent != best_consistent)
        better = consistent;
      else if (matches != best_matches)
        better = matches > best_matches;
      else
        better = counts[0] > best_header;

      if (best_header == 0 || better)
        {
          best = candidates[c];
          best_consistent = consistent;
          best_matches = matches;
          best_header = counts[0];
        }
    }

  return best;
}

/* Excel writes and reads a first line "sep=;" naming the delimiter. */
static gsize
parse_sep_line (const guchar *s,
                gsize         len,
                gboolean      eof,
                char         *delimiter)
{
  if (len < 5 || memcmp (s, "sep=", 4) != 0 || s[4] == '\r' || s[4] == '\n' || s[4] == '"')
    return 0;
  if (len == 5 && eof)
    {
      *delimiter = (char) s[4];
      return 5;
    }
  if (len >= 6 && s[5] == '\n')
    {
      *delimiter = (char) s[4];
      return 6;
    }
  if (len >= 6 && s[5] == '\r')
    {
      *delimiter = (char) s[4];
      return (len >= 7 && s[6] == '\n') ? 7 : 6;
    }
  return 0;
}

static gboolean
sniff (OmniCsvReader *self,
       GCancellable  *cancellable,
       GError       **error)
{
  const guchar *s;
  gsize len;
  gsize skip = 0;
  gsize sep_len;
  char sep = 0;

  /* Fill the whole first buffer: sniffing wants a fair sample. */
  while (!self->eof && self->in_len < READ_SIZE)
    if (!read_more (self, cancellable, error))
      return FALSE;

  s = self->in;
  len = self->in_len;

  if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    {
      self->encoding = ENCODING_UTF8_BOM;
      skip = 3;
    }

  if (!check_binary (self, s + skip, len - skip, error))
    return FALSE;

  if (self->encoding != ENCODING_UTF8_BOM)
    self->encoding = sniff_encoding (s, len, self->eof);

  /* An Excel "sep=;" line is never data: skip it even when the caller chose
   * the delimiter, and use it when sniffing. */
  sep_len = parse_sep_line (s + skip, len - skip, self->eof, &sep);
  if (sep_len > 0 && sep != ',' && sep != ';' && sep != '\t' && sep != '|')
    sep_len = 0;
  if (sep_len > 0)
    {
      skip += sep_len;
      self->line = 2;
      self->record_line = 2;
      /* The LF of a CRLF may be in the next read. */
      self->skip_lf = s[skip - 1] == '\r';
    }

  if (self->delimiter != 0)
    set_delimiter (self, self->delimiter);
  else if (sep_len > 0)
    set_delimiter (self, sep);
  else
    set_delimiter (self, sniff_delimiter (s + skip, len - skip, self->eof));

  self->in_pos = skip;
  self->sniffed = TRUE;
  return TRUE;
}

/* ---- record assembly ----------------------------------------------------- */

static gboolean
fail_field_too_long (OmniCsvReader *self,
                     GError       **error)
{
  g_autofree char *limit = g_format_size_full (self->max_field_bytes, G_FORMAT_SIZE_IEC_UNITS);

  if (self->state == STATE_QUOTED)
    reader_fail (self, error, OMNI_CSV_ERROR_FIELD_TOO_LONG,
                 "Line %" G_GUINT64_FORMAT ", column %u: a quoted field runs on for more "
                 "than %s; a closing quote is probably missing",
                 self->record_line, self->n_fields + 1, limit);
  else
    reader_fail (self, error, OMNI_CSV_ERROR_FIELD_TOO_LONG,
                 "Line %" G_GUINT64_FORMAT ", column %u: the field is longer than %s, "
                 "the most a field may hold",
                 self->record_line, self->n_fields + 1, limit);
  return FALSE;
}

static gboolean
fail_record_too_long (OmniCsvReader *self,
                      GError       **error)
{
  g_autofree char *limit = g_format_size_full (self->max_record_bytes, G_FORMAT_SIZE_IEC_UNITS);

  reader_fail (self, error, OMNI_CSV_ERROR_ROW_TOO_LONG,
               "Line %" G_GUINT64_FORMAT ": the row is longer than %s, the most a row may "
               "hold; is this really a CSV file?",
               self->record_line, limit);
  return FALSE;
}

/* Makes room for @extra more bytes plus a NUL. Callers have checked the
 * limits, so this never grows past max_record_bytes plus one conversion. */
static void
reserve (OmniCsvReader *self,
         gsize          extra)
{
  gsize need = self->rec_len + extra + 1;

  if (need <= self->rec_cap)
    return;
  while (self->rec_cap < need)
    self->rec_cap *= 2;
  self->rec = g_realloc (self->rec, self->rec_cap);
}

static inline gboolean
check_limits (OmniCsvReader *self,
              gsize          extra,
              GError       **error)
{
  if (self->rec_len - self->field_start + extra > self->max_field_bytes)
    return fail_field_too_long (self, error);
  /* The record length counts each field's bytes plus its terminator. */
  if (self->rec_len + extra > self->max_record_bytes)
    return fail_record_too_long (self, error);
  return TRUE;
}

static gsize
cp1252_to_utf8 (const guchar *src,
                gsize         len,
                char         *dest)
{
  char *out = dest;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = src[i];
      gunichar u;

      if (c < 0x80)
        {
          *out++ = (char) c;
          continue;
        }
      u = c < 0xA0 ? cp1252_high[c - 0x80] : c;
      out += g_unichar_to_utf8 (u, out);
    }
  return out - dest;
}

/* Appends raw input bytes to the current field, converting them when the
 * file is Windows-1252. */
static gboolean
append (OmniCsvReader *self,
        const guchar  *data,
        gsize          len,
        GError       **error)
{
  if (len == 0)
    return TRUE;

  if (self->encoding != ENCODING_WINDOWS_1252)
    {
      if (!check_limits (self, len, error))
        return FALSE;
      reserve (self, len);
      memcpy (self->rec + self->rec_len, data, len);
      self->rec_len += len;
      return TRUE;
    }

  /* Each byte becomes at most three; check the real length after. */
  if (!check_limits (self, len, error))
    return FALSE;
  reserve (self, len * 3);
  self->rec_len += cp1252_to_utf8 (data, len, self->rec + self->rec_len);
  return check_limits (self, 0, error);
}

static gboolean
fail_encoding (OmniCsvReader *self,
               const char    *bad,
               GError       **error)
{
  /* Name the physical line of the bad byte: the record's first line plus the
   * newlines embedded in its fields so far (fields are NUL-separated). */
  guint64 line = self->record_line + count_lines ((const guchar *) self->rec, bad - self->rec);

  if (*bad == '\0')
    reader_fail (self, error, OMNI_CSV_ERROR_BINARY,
                 "Line %" G_GUINT64_FORMAT ", column %u: the file contains a NUL byte; "
                 "this looks like a binary file, not CSV",
                 line, self->n_fields + 1);
  else
    reader_fail (self, error, OMNI_CSV_ERROR_ENCODING,
                 "Line %" G_GUINT64_FORMAT ", column %u: the text is not valid UTF-8 "
                 "(byte 0x%02X); save the file as UTF-8 and try again",
                 line, self->n_fields + 1, (guchar) *bad);
  return FALSE;
}

/* The file was plain ASCII until this field: from here on it is read as
 * Windows-1252. Earlier fields are ASCII, so only this one needs converting. */
static gboolean
switch_to_cp1252 (OmniCsvReader *self,
                  GError       **error)
{
  gsize len = self->rec_len - self->field_start;
  g_autofree guchar *raw = g_memdup2 (self->rec + self->field_start, len);

  self->encoding = ENCODING_WINDOWS_1252;
  self->rec_len = self->field_start;
  return append (self, raw, len, error);
}

/* Checks the current field is UTF-8 without NUL bytes. */
static gboolean
validate_field (OmniCsvReader *self,
                GError       **error)
{
  const guchar *s = (const guchar *) self->rec + self->field_start;
  gsize len = self->rec_len - self->field_start;
  const char *end = NULL;
  gsize i = 0;

  /* Most fields are ASCII: check eight bytes at a time for a high bit or a NUL. */
  while (i + 8 <= len)
    {
      guint64 w;

      memcpy (&w, s + i, 8);
      if ((w & G_GUINT64_CONSTANT (0x8080808080808080)) != 0 ||
          ((w - G_GUINT64_CONSTANT (0x0101010101010101)) & ~w &
           G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
        break;
      i += 8;
    }
  while (i < len && s[i] < 0x80 && s[i] != 0)
    i++;
  if (i == len)
    return TRUE;

  if (g_utf8_validate_len ((const char *) s + i, len - i, &end))
    {
      if (self->encoding == ENCODING_ASCII)
        self->encoding = ENCODING_UTF8;
      return TRUE;
    }

  /* Plain ASCII so far, and no UTF-8 sequence before the bad byte: this is
   * the first sign of a Windows-1252 file, not a broken UTF-8 one. */
  if (self->encoding == ENCODING_ASCII && *end != '\0' && end == (const char *) s + i)
    return switch_to_cp1252 (self, error);
  if (self->encoding == ENCODING_ASCII && end != (const char *) s + i)
    self->encoding = ENCODING_UTF8;

  return fail_encoding (self, end, error);
}

static gboolean
end_field (OmniCsvReader *self,
           GError       **error)
{
  if (self->n_fields >= self->max_fields)
    {
      reader_fail (self, error, OMNI_CSV_ERROR_TOO_MANY_FIELDS,
                   "Line %" G_GUINT64_FORMAT ": the row has more than %u fields",
                   self->record_line, self->max_fields);
      return FALSE;
    }

  if (self->encoding == ENCODING_WINDOWS_1252)
    {
      /* Every byte converts, but a NUL would cut the field short. */
      const char *nul = memchr (self->rec + self->field_start, 0,
                                self->rec_len - self->field_start);

      if (nul != NULL)
        return fail_encoding (self, nul, error);
    }
  else if (!validate_field (self, error))
    return FALSE;

  /* The terminator counts towards the record, not the field. */
  if (self->rec_len + 1 > self->max_record_bytes)
    return fail_record_too_long (self, error);
  reserve (self, 1);
  self->rec[self->rec_len++] = '\0';

  if (self->n_fields == self->starts_cap)
    {
      self->starts_cap *= 2;
      self->starts = g_renew (gsize, self->starts, self->starts_cap);
      self->fields = g_renew (const char *, self->fields, self->starts_cap + 1);
    }
  self->starts[self->n_fields++] = self->field_start;
  self->field_start = self->rec_len;
  self->state = STATE_FIELD_START;
  return TRUE;
}

static void
begin_record (OmniCsvReader *self)
{
  if (self->in_record)
    return;
  self->in_record = TRUE;
  self->record_line = self->line;
  self->rec_len = 0;
  self->field_start = 0;
  self->n_fields = 0;
}

static void
finish_record (OmniCsvReader       *self,
               const char * const **fields,
               guint               *n_fields)
{
  for (guint i = 0; i < self->n_fields; i++)
    self->fields[i] = self->rec + self->starts[i];
  self->fields[self->n_fields] = NULL;
  self->in_record = FALSE;
  self->state = STATE_FIELD_START;

  if (fields != NULL)
    *fields = self->fields;
  if (n_fields != NULL)
    *n_fields = self->n_fields;
}

/* A CR or LF outside quotes: the line, and the record if one is open, ends. */
static void
end_line (OmniCsvReader *self,
          guchar         c)
{
  self->line++;
  self->skip_lf = c == '\r';
}

/* ---- the parser ---------------------------------------------------------- */

/**
 * omni_csv_reader_next:
 * @reader: a reader
 * @fields: (out) (transfer none) (array length=n_fields): the fields, UTF-8,
 *   NULL-terminated; valid until the next call or omni_csv_reader_free()
 * @n_fields: (out): the number of fields, at least 1
 * @cancellable: (nullable): cancels a long read
 * @error: an %OMNI_CSV_ERROR naming the line (and column) at fault
 *
 * Reads the next record, skipping blank lines.
 *
 * Returns: %TRUE with a record, %FALSE at the end of the input (@error
 *   unset) or on error. After an error other than cancellation, every later
 *   call fails with the same error.
 */
gboolean
omni_csv_reader_next (OmniCsvReader        *reader,
                      const char * const  **fields,
                      guint                *n_fields,
                      GCancellable         *cancellable,
                      GError              **error)
{
  OmniCsvReader *self = reader;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failure != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->failure);
      return FALSE;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_CANCELLED,
                           "Reading the CSV file was cancelled");
      return FALSE;
    }
  if (!self->sniffed && !sniff (self, cancellable, error))
    return FALSE;

  for (;;)
    {
      const guchar *p, *q, *end;
      guchar c;

      if (self->in_pos == self->in_len)
        {
          if (!self->eof && !refill (self, cancellable, error))
            return FALSE;
          if (self->in_pos == self->in_len)
            break;   /* end of input */
        }

      p = self->in + self->in_pos;
      end = self->in + self->in_len;

      if (self->skip_lf)
        {
          self->skip_lf = FALSE;
          if (*p == '\n')
            {
              self->in_pos++;
              continue;
            }
        }

      switch (self->state)
        {
        case STATE_FIELD_START:
          c = *p;
          if (c == '"')
            {
              begin_record (self);
              self->state = STATE_QUOTED;
              p++;
              break;
            }
          if (c == '\n' || c == '\r')
            {
              p++;
              end_line (self, c);
              if (!self->in_record)
                break;   /* a blank line */
              self->in_pos = p - self->in;
              if (!end_field (self, error))
                return FALSE;
              finish_record (self, fields, n_fields);
              return TRUE;
            }
          begin_record (self);
          if (c == (guchar) self->delimiter)
            {
              p++;
              self->in_pos = p - self->in;
              if (!end_field (self, error))
                return FALSE;
              break;
            }
          self->state = STATE_UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case STATE_UNQUOTED:
          q = p;
          while (q < end && !self->stop_unquoted[*q])
            q++;
          if (!append (self, p, q - p, error))
            return FALSE;
          p = q;
          if (p == end)
            break;
          c = *p++;
          self->in_pos = p - self->in;
          if (!end_field (self, error))
            return FALSE;
          if (c != (guchar) self->delimiter)
            {
              end_line (self, c);
              finish_record (self, fields, n_fields);
              return TRUE;
            }
          break;

        case STATE_QUOTED:
          q = p;
          while (q < end && !self->stop_quoted[*q])
            q++;
          if (!append (self, p, q - p, error))
            return FALSE;
          p = q;
          if (p == end)
            break;
          c = *p++;
          if (c == '"')
            {
              self->state = STATE_QUOTE_IN_QUOTED;
              break;
            }
          /* A newline inside quotes belongs to the field; a CRLF pair is one line. */
          if (c == '\r' || self->rec_len == self->field_start ||
              self->rec[self->rec_len - 1] != '\r')
            self->line++;
          if (!append (self, &c, 1, error))
            return FALSE;
          break;

        case STATE_QUOTE_IN_QUOTED:
          c = *p;
          if (c == '"')
            {
              /* A doubled quote stands for one. */
              p++;
              if (!append (self, &c, 1, error))
                return FALSE;
              self->state = STATE_QUOTED;
            }
          else if (c == (guchar) self->delimiter || c == '\n' || c == '\r')
            /* The field ends there; FIELD_START ends it (even "" is a field)
             * since the record is open. */
            self->state = STATE_FIELD_START;
          else
            self->state = STATE_UNQUOTED;       /* "ab"cd reads as abcd */
          break;

        default:
          g_assert_not_reached ();
        }

      self->in_pos = p - self->in;
    }

  /* End of input. */
  if (self->state == STATE_QUOTED)
    {
      reader_fail (self, error, OMNI_CSV_ERROR_UNBALANCED_QUOTE,
                   "Line %" G_GUINT64_FORMAT ", column %u: a quoted field is never closed "
                   "(the file may be truncated)",
                   self->record_line, self->n_fields + 1);
      return FALSE;
    }
  if (!self->in_record)
    return FALSE;

  if (!end_field (self, error))
    return FALSE;
  finish_record (self, fields, n_fields);
  return TRUE;
}
