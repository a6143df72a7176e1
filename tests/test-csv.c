/* test-csv.c: the streaming CSV reader and writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-csv"

#include "config.h"

#include <string.h>

#include "omni-csv.h"

/* ---- a stream that serves data in small pieces ---------------------------
 *
 * Either a copy of some bytes, or @total bytes repeating a pattern (so a
 * 20 MB line costs no memory). It counts what it served, and can cancel a
 * GCancellable once a number of bytes has gone out. */

#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *pattern;
  guint64       total;
  guint64       served;
  gsize         chunk;
  GCancellable *cancel;
  guint64       cancel_after;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize plen;
  const guint8 *pdata = g_bytes_get_data (self->pattern, &plen);
  guint8 *out = buffer;
  gsize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  n = MIN (count, self->chunk);
  n = MIN (n, self->total - self->served);
  for (gsize i = 0; i < n; i++)
    out[i] = pdata[(self->served + i) % plen];
  self->served += n;

  if (self->cancel != NULL && self->served >= self->cancel_after)
    g_cancellable_cancel (self->cancel);

  return n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (object);

  g_clear_pointer (&self->pattern, g_bytes_unref);
  g_clear_object (&self->cancel);
  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trickle_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static TestTrickleStream *
trickle_new (const char *pattern,
             gsize       pattern_len,
             guint64     total,
             gsize       chunk)
{
  TestTrickleStream *self = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  self->pattern = g_bytes_new (pattern, pattern_len);
  self->total = total;
  self->chunk = chunk;
  return self;
}

/* ---- helpers ------------------------------------------------------------- */

typedef struct
{
  GPtrArray *records;   /* of GStrv */
  GArray    *lines;     /* guint64: where each record started */
  GError    *error;
  char      *encoding;
  char       delimiter;
  guint64    bytes_read;
} Parsed;

static void
parsed_free (Parsed *parsed)
{
  g_ptr_array_unref (parsed->records);
  g_array_unref (parsed->lines);
  g_clear_error (&parsed->error);
  g_free (parsed->encoding);
  g_free (parsed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parsed, parsed_free)

static Parsed *
parse_reader (OmniCsvReader *reader)
{
  Parsed *parsed = g_new0 (Parsed, 1);
  const char * const *fields;
  guint n_fields;

  parsed->records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  parsed->lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  while (omni_csv_reader_next (reader, &fields, &n_fields, NULL, &parsed->error))
    {
      guint64 line = omni_csv_reader_get_line (reader);

      g_assert_nonnull (fields);
      g_assert_cmpuint (n_fields, >=, 1);
      g_assert_null (fields[n_fields]);
      g_assert_cmpuint (g_strv_length ((char **) fields), ==, n_fields);
      g_ptr_array_add (parsed->records, g_strdupv ((char **) fields));
      g_array_append_val (parsed->lines, line);
    }
  parsed->encoding = g_strdup (omni_csv_reader_get_encoding (reader));
  parsed->delimiter = omni_csv_reader_get_delimiter (reader);
  parsed->bytes_read = omni_csv_reader_get_bytes_read (reader);
  return parsed;
}

static Parsed *
parse_len (const char           *data,
           gsize                 len,
           const OmniCsvOptions *options)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (data, len),
                                                                        len, g_free);
  g_autoptr(OmniCsvReader) reader = omni_csv_reader_new (stream, options);

  return parse_reader (reader);
}

static Parsed *
parse (const char *data)
{
  return parse_len (data, strlen (data), NULL);
}

static Parsed *
parse_fixture (const char *relative)
{
  const char *dir = g_getenv ("OMNISTOCK_FIXTURES");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniCsvReader) reader = NULL;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, relative, NULL);
  reader = omni_csv_reader_new_for_path (path, NULL, &error);
  g_assert_no_error (error);
  return parse_reader (reader);
}

static const char *
field (Parsed *parsed,
       guint   record,
       guint   column)
{
  char **fields;

  g_assert_cmpuint (record, <, parsed->records->len);
  fields = g_ptr_array_index (parsed->records, record);
  g_assert_cmpuint (column, <, g_strv_length (fields));
  return fields[column];
}

static guint
width (Parsed *parsed,
       guint   record)
{
  g_assert_cmpuint (record, <, parsed->records->len);
  return g_strv_length (g_ptr_array_index (parsed->records, record));
}

static guint64
line_of (Parsed *parsed,
         guint   record)
{
  g_assert_cmpuint (record, <, parsed->lines->len);
  return g_array_index (parsed->lines, guint64, record);
}

static guint
count_char (const char *s,
            char        c)
{
  guint n = 0;

  for (; *s != '\0'; s++)
    n += *s == c;
  return n;
}

/* Asserts record @record is exactly the NULL-terminated list of fields. */
static void
assert_record (Parsed *parsed,
               guint   record,
               ...)
{
  va_list args;
  guint i = 0;
  const char *expected;

  va_start (args, record);
  while ((expected = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpstr (field (parsed, record, i), ==, expected);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (width (parsed, record), ==, i);
}

static void
assert_all_widths (Parsed *parsed,
                   guint   expected)
{
  for (guint i = 0; i < parsed->records->len; i++)
    g_assert_cmpuint (width (parsed, i), ==, expected);
}

/* ---- real exports -------------------------------------------------------- */

static void
test_fixture_legacy (void)
{
  g_autoptr(Parsed) p = parse_fixture ("shopify/product_template_legacy.csv");

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 4);
  assert_all_widths (p, 47);
  g_assert_cmpstr (p->encoding, ==, "UTF-8");
  g_assert_cmpint (p->delimiter, ==, ',');
  g_assert_cmpstr (field (p, 0, 0), ==, "Handle");
  g_assert_cmpstr (field (p, 0, 46), ==, "Cost per item");
  g_assert_cmpstr (field (p, 1, 0), ==, "example-t-shirt");
  g_assert_cmpstr (field (p, 1, 8), ==, "Lithograph - Height: 9\" x Width: 12\"");
  /* A variant row continues the handle with an empty title. */
  g_assert_cmpstr (field (p, 3, 0), ==, "example-t-shirt");
  g_assert_cmpstr (field (p, 3, 1), ==, "");
  g_assert_cmpstr (field (p, 3, 8), ==, "Medium");
  g_assert_cmpuint (line_of (p, 3), ==, 4);
  g_assert_cmpuint (p->bytes_read, ==, 1623);
}

static void
test_fixture_2023 (void)
{
  g_autoptr(Parsed) p = parse_fixture ("shopify/product_template_2023.csv");

  g_assert_no_error (p->error);
  /* CRLF, and the last record has no line end. */
  g_assert_cmpuint (p->records->len, ==, 18);
  assert_all_widths (p, 48);
  g_assert_cmpstr (field (p, 0, 41), ==, "Included / United States");
  g_assert_cmpstr (field (p, 0, 45), ==, "Price / International");
  g_assert_cmpstr (field (p, 0, 47), ==, "Status");
  g_assert_cmpstr (field (p, 1, 0), ==, "example-shirt");
  g_assert_cmpstr (field (p, 1, 47), ==, "active");
  g_assert_cmpstr (field (p, 17, 0), ==, "example-hat");
  g_assert_cmpstr (field (p, 17, 1), ==, "Example Beanie");
  g_assert_cmpuint (line_of (p, 17), ==, 18);
  g_assert_cmpuint (p->bytes_read, ==, 6280);
}

static void
test_fixture_products_export (void)
{
  g_autoptr(Parsed) p = parse_fixture ("shopify/products_export_1.csv");
  const char *body;

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 116);
  assert_all_widths (p, 56);
  g_assert_cmpstr (field (p, 0, 55), ==, "Status");

  /* The Body (HTML) of the first product spans lines 2 to 5. */
  body = field (p, 1, 2);
  g_assert_cmpuint (strlen (body), ==, 1006);
  g_assert_true (g_str_has_prefix (body, "<div><div><div><div>\n<p><i>This is a demonstration"));
  g_assert_true (g_str_has_suffix (body, "and tee combination."));
  g_assert_cmpuint (count_char (body, '\n'), ==, 3);
  g_assert_cmpuint (line_of (p, 1), ==, 2);
  g_assert_cmpuint (line_of (p, 2), ==, 6);
  g_assert_cmpstr (field (p, 2, 0), ==, "otti-combat-boot");

  /* U+00A0 stays a no-break space. */
  g_assert_cmpstr (field (p, 100, 0), ==, "navy-sport-jacket");
  g_assert_true (g_str_has_prefix (field (p, 100, 2),
                                   "<p>Long-sleeved navy waterproof jacket\xC2\xA0in thin, "
                                   "polyester fabric with a\xC2\xA0soft mesh"));
  g_assert_cmpuint (line_of (p, 100), ==, 104);
  g_assert_cmpstr (field (p, 115, 0), ==, "ocean-blue-shirt");
  g_assert_cmpstr (field (p, 115, 55), ==, "active");
  g_assert_cmpuint (line_of (p, 115), ==, 119);
}

static void
test_fixture_inventory_export (void)
{
  g_autoptr(Parsed) p = parse_fixture ("shopify/inventory_export_1.csv");

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 68);
  assert_all_widths (p, 17);
  g_assert_cmpstr (field (p, 0, 11), ==, "Location");
  g_assert_cmpstr (field (p, 0, 16), ==, "On hand");
  assert_record (p, 1, "puff-large", "Puff Large", "Color", "Latte", "", "", "", "", "", "", "",
                 "Shop location", "0", "0", "0", "103", "103", NULL);
  g_assert_cmpstr (field (p, 67, 0), ==, "studio-bag");
}

static void
test_fixture_woocommerce (void)
{
  g_autoptr(Parsed) p = parse_fixture ("woocommerce/sample_products.csv");

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 26);
  assert_all_widths (p, 51);
  g_assert_cmpstr (field (p, 0, 0), ==, "ID");
  g_assert_cmpstr (field (p, 0, 50), ==, "Download 2 URL");
  g_assert_cmpstr (field (p, 13, 0), ==, "73");
  g_assert_cmpstr (field (p, 13, 1), ==, "simple, downloadable, virtual");
  g_assert_cmpstr (field (p, 13, 2), ==, "woo-album");
  g_assert_cmpstr (field (p, 1, 39), ==, "Blue, Green, Red");
  g_assert_cmpstr (field (p, 25, 2), ==, "woo-hoodie-blue-logo");
}

/* ---- syntax -------------------------------------------------------------- */

static void
test_quoted_fields (void)
{
  g_autoptr(Parsed) p = parse ("sku,title,note\n"
                               "A-1,\"Mug, large\",\"He said \"\"hi\"\"\"\n"
                               "A-2,\"two\nlines\",\"crlf\r\ninside\"\n"
                               "A-3,\"\",\"\"\"\"\n"
                               "A-4,,\n");

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 5);
  assert_record (p, 0, "sku", "title", "note", NULL);
  assert_record (p, 1, "A-1", "Mug, large", "He said \"hi\"", NULL);
  assert_record (p, 2, "A-2", "two\nlines", "crlf\r\ninside", NULL);
  assert_record (p, 3, "A-3", "", "\"", NULL);
  assert_record (p, 4, "A-4", "", "", NULL);
  g_assert_cmpuint (line_of (p, 2), ==, 3);
  /* "two\nlines" and "crlf\r\ninside" each add a line. */
  g_assert_cmpuint (line_of (p, 3), ==, 6);
  g_assert_cmpuint (line_of (p, 4), ==, 7);
}

static void
test_lenient_quotes (void)
{
  /* Real exports put quotes inside unquoted fields, and text after a
   * closing quote; both are kept rather than refused. */
  g_autoptr(Parsed) p = parse ("Print 9\" x 12\",b\n\"ab\"cd,\"x\"\"\"y\n");

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 2);
  assert_record (p, 0, "Print 9\" x 12\"", "b", NULL);
  assert_record (p, 1, "abcd", "x\"y", NULL);
}

static void
test_line_ends (void)
{
  const char *variants[] = {
    "a,b\nc,\"d\"\n\ne,f\n",
    "a,b\r\nc,\"d\"\r\n\r\ne,f\r\n",
    "a,b\rc,\"d\"\r\re,f\r",
    "a,b\r\nc,\"d\"\n\re,f",
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(Parsed) p = parse (variants[i]);

      g_assert_no_error (p->error);
      g_assert_cmpuint (p->records->len, ==, 3);
      assert_record (p, 0, "a", "b", NULL);
      assert_record (p, 1, "c", "d", NULL);
      assert_record (p, 2, "e", "f", NULL);
      /* The blank line is skipped but counted. */
      g_assert_cmpuint (line_of (p, 0), ==, 1);
      g_assert_cmpuint (line_of (p, 1), ==, 2);
      g_assert_cmpuint (line_of (p, 2), ==, 4);
      g_assert_cmpuint (p->bytes_read, ==, strlen (variants[i]));
    }
}

static void
test_blank_lines_and_empty (void)
{
  g_autoptr(Parsed) empty = parse ("");
  g_autoptr(Parsed) blanks = parse ("\n\r\n\r\n\n");
  g_autoptr(Parsed) p = parse ("\n\nx\n\n\"\"\n");

  g_assert_no_error (empty->error);
  g_assert_cmpuint (empty->records->len, ==, 0);
  g_assert_cmpstr (empty->encoding, ==, "UTF-8");
  g_assert_no_error (blanks->error);
  g_assert_cmpuint (blanks->records->len, ==, 0);

  /* A line holding just "" is one empty field, not a blank line. */
  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 2);
  assert_record (p, 0, "x", NULL);
  assert_record (p, 1, "", NULL);
  g_assert_cmpuint (line_of (p, 0), ==, 3);
  g_assert_cmpuint (line_of (p, 1), ==, 5);
}

static void
test_bom (void)
{
  g_autoptr(Parsed) p = parse ("\xEF\xBB\xBFHandle,Title\ncafe,Caf\xC3\xA9\n");

  g_assert_no_error (p->error);
  g_assert_cmpstr (p->encoding, ==, "UTF-8 (BOM)");
  g_assert_cmpuint (p->records->len, ==, 2);
  assert_record (p, 0, "Handle", "Title", NULL);
  assert_record (p, 1, "cafe", "Café", NULL);
}

static void
test_sniff_delimiter (void)
{
  g_autoptr(Parsed) semi = parse ("Name;Price;Qty\nTasse;4,50;3\nBol;12,00;1\n");
  g_autoptr(Parsed) tab = parse ("Name\tNote\n\"Mug; blue\"\ta, b; c\n");
  g_autoptr(Parsed) single = parse ("sku\nA-1\n");
  g_autoptr(Parsed) quoted = parse ("\"a;b\",c\n\"d;e\",f\n");
  g_autoptr(Parsed) excel = parse ("sep=;\r\nA;B,C\r\n1;2\r\n");
  OmniCsvOptions forced = { .delimiter = ';' };
  g_autoptr(Parsed) forced_p = parse_len ("a,b;c\n", 6, &forced);

  g_assert_cmpint (semi->delimiter, ==, ';');
  assert_record (semi, 1, "Tasse", "4,50", "3", NULL);
  g_assert_cmpint (tab->delimiter, ==, '\t');
  assert_record (tab, 1, "Mug; blue", "a, b; c", NULL);
  g_assert_cmpint (single->delimiter, ==, ',');
  assert_record (single, 1, "A-1", NULL);
  /* Delimiters inside quotes do not count. */
  g_assert_cmpint (quoted->delimiter, ==, ',');
  assert_record (quoted, 0, "a;b", "c", NULL);
  /* Excel's "sep=" line names the delimiter and is not a record. */
  g_assert_no_error (excel->error);
  g_assert_cmpint (excel->delimiter, ==, ';');
  g_assert_cmpuint (excel->records->len, ==, 2);
  assert_record (excel, 0, "A", "B,C", NULL);
  g_assert_cmpuint (line_of (excel, 0), ==, 2);
  g_assert_cmpint (forced_p->delimiter, ==, ';');
  assert_record (forced_p, 0, "a,b", "c", NULL);
}

/* ---- encodings ----------------------------------------------------------- */

static void
test_windows_1252 (void)
{
  g_autoptr(Parsed) p = parse ("Name,Price\nCaf\xE9 cr\xE8me \x80 5,\x93quoted\x94\n");

  g_assert_no_error (p->error);
  g_assert_cmpstr (p->encoding, ==, "Windows-1252");
  assert_record (p, 1, "Café crème € 5", "“quoted”", NULL);
}

static void
test_ascii_then_windows_1252 (void)
{
  /* ASCII for more than the 64 KiB sniffing window, then a Latin-1 byte:
   * that is still a Windows-1252 file, not broken UTF-8. */
  g_autoptr(GString) data = g_string_new ("sku,name\n");
  g_autoptr(Parsed) p = NULL;
  guint n = 0;

  while (data->len < 70 * 1024)
    g_string_append_printf (data, "S-%05u,plain\n", n++);
  g_string_append (data, "S-X,na\xEFve \xA3" "5\nS-Y,\xE9t\xE9\n");

  p = parse_len (data->str, data->len, NULL);
  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, n + 3);
  assert_record (p, n + 1, "S-X", "naïve £5", NULL);
  assert_record (p, n + 2, "S-Y", "été", NULL);
  g_assert_cmpstr (p->encoding, ==, "Windows-1252");
}

static void
test_invalid_utf8_later (void)
{
  g_autoptr(GString) data = g_string_new ("sku,name\nA,Caf\xC3\xA9\n");
  g_autoptr(Parsed) p = NULL;
  g_autoptr(Parsed) quoted = NULL;

  /* Past the sniffing window, so the first chunk is valid UTF-8. */
  for (guint i = 0; i < 8000; i++)
    g_string_append (data, "B,plain text\n");
  g_string_append (data, "C,bad\xFF\n");   /* line 8003 */

  p = parse_len (data->str, data->len, NULL);
  g_assert_error (p->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_ENCODING);
  g_assert_cmpstr (p->error->message, ==,
                   "Line 8003, column 2: the text is not valid UTF-8 (byte 0xFF); "
                   "save the file as UTF-8 and try again");
  g_assert_cmpuint (p->records->len, ==, 8002);

  /* Inside a multi-line field the error names the line of the bad byte. */
  g_string_truncate (data, data->len - strlen ("C,bad\xFF\n"));
  g_string_append (data, "x,\"caf\xC3\xA9\nline two\nbad \xC3\x28\"\n");
  quoted = parse_len (data->str, data->len, NULL);
  g_assert_error (quoted->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_ENCODING);
  g_assert_cmpstr (quoted->error->message, ==,
                   "Line 8005, column 2: the text is not valid UTF-8 (byte 0xC3); "
                   "save the file as UTF-8 and try again");
}

static void
test_binary (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
  g_autoptr(Parsed) p = parse_len (png, sizeof png - 1, NULL);
  g_autoptr(Parsed) controls = parse ("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f,a\nb,c\n");
  static const char utf16[] = "\xFF\xFEH\0a\0,\0b\0\n\0";
  g_autoptr(Parsed) u16 = parse_len (utf16, sizeof utf16 - 1, NULL);
  g_autoptr(GString) late = g_string_new ("a,b\n");
  g_autoptr(Parsed) late_p = NULL;

  g_assert_error (p->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_BINARY);
  g_assert_cmpstr (p->error->message, ==,
                   "Line 3: this looks like a binary file, not CSV (it contains NUL bytes)");
  g_assert_cmpuint (p->records->len, ==, 0);
  g_assert_error (controls->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_BINARY);
  g_assert_error (u16->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_ENCODING);
  g_assert_cmpstr (u16->error->message, ==,
                   "Line 1: the file is UTF-16 text; save it as “CSV UTF-8” and try again");

  /* A NUL past the sniffing window is caught where it is. */
  for (guint i = 0; i < 7000; i++)
    g_string_append (late, "1234567,abcdefgh\n");
  g_string_append_len (late, "x,y\0z\n", 6);
  late_p = parse_len (late->str, late->len, NULL);
  g_assert_error (late_p->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_BINARY);
  g_assert_true (g_str_has_prefix (late_p->error->message, "Line 7002, column 2: "));
  g_assert_cmpuint (late_p->records->len, ==, 7001);
}

/* ---- bad input ----------------------------------------------------------- */

static void
test_unbalanced_quote (void)
{
  g_autoptr(Parsed) p = parse ("sku,note\nA,ok\nB,\"never closed\nC,more\nD,end\n");
  g_autoptr(OmniCsvReader) reader = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *fields;
  guint n;

  g_assert_error (p->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_UNBALANCED_QUOTE);
  g_assert_cmpstr (p->error->message, ==,
                   "Line 3, column 2: a quoted field is never closed "
                   "(the file may be truncated)");
  g_assert_cmpuint (p->records->len, ==, 2);

  /* The failure is sticky. */
  stream = g_memory_input_stream_new_from_data ("\"x", 2, NULL);
  reader = omni_csv_reader_new (stream, NULL);
  g_assert_false (omni_csv_reader_next (reader, &fields, &n, NULL, &error));
  g_assert_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_UNBALANCED_QUOTE);
  g_clear_error (&error);
  g_assert_false (omni_csv_reader_next (reader, &fields, &n, NULL, &error));
  g_assert_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_UNBALANCED_QUOTE);
  g_assert_cmpuint (omni_csv_reader_get_line (reader), ==, 1);
}

static void
test_limits (void)
{
  OmniCsvOptions small = { .max_field_bytes = 8, .max_record_bytes = 20, .max_fields = 3 };
  g_autoptr(Parsed) field_p = parse_len ("a,b\nc,123456789\n", 16, &small);
  g_autoptr(Parsed) exact = parse_len ("12345678,1234567,1\n", 19, &small);
  g_autoptr(Parsed) row_p = parse_len ("12345678,12345678,123\n", 22, &small);
  g_autoptr(Parsed) many = parse_len ("a,b,c\na,b,c,d\n", 14, &small);
  g_autoptr(Parsed) conv = parse_len ("\xE9\xE9\xE9\xE9\xE9\n", 6, &small);

  g_assert_error (field_p->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_cmpstr (field_p->error->message, ==,
                   "Line 2, column 2: the field is longer than 8 bytes, the most a field may hold");
  g_assert_cmpuint (field_p->records->len, ==, 1);

  /* At the limits exactly is fine: 8 + 7 + 1 bytes plus three terminators. */
  g_assert_no_error (exact->error);
  assert_record (exact, 0, "12345678", "1234567", "1", NULL);

  g_assert_error (row_p->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_ROW_TOO_LONG);
  g_assert_cmpstr (row_p->error->message, ==,
                   "Line 1: the row is longer than 20 bytes, the most a row may hold; "
                   "is this really a CSV file?");

  g_assert_error (many->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_TOO_MANY_FIELDS);
  g_assert_cmpstr (many->error->message, ==, "Line 2: the row has more than 3 fields");
  g_assert_cmpuint (many->records->len, ==, 1);

  /* Limits count UTF-8 bytes: five Windows-1252 bytes become ten. */
  g_assert_error (conv->error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_FIELD_TOO_LONG);
}

/* A huge single line fails after reading about the limit, not the file. */
static void
check_huge_line (const char *pattern,
                 gint        code,
                 const char *message,
                 guint64     max_served)
{
  g_autoptr(TestTrickleStream) stream = trickle_new (pattern, strlen (pattern),
                                                     20 * 1000 * 1000, 64 * 1024);
  g_autoptr(OmniCsvReader) reader = omni_csv_reader_new (G_INPUT_STREAM (stream), NULL);
  g_autoptr(GError) error = NULL;
  const char * const *fields;
  guint n;

  g_assert_false (omni_csv_reader_next (reader, &fields, &n, NULL, &error));
  g_assert_error (error, OMNI_CSV_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (omni_csv_reader_get_line (reader), ==, 1);
  g_assert_cmpuint (stream->served, <=, max_served);
}

static void
test_huge_line (void)
{
  check_huge_line ("abcdefghij", OMNI_CSV_ERROR_FIELD_TOO_LONG,
                   "Line 1, column 1: the field is longer than 1.0\xC2\xA0MiB, "
                   "the most a field may hold",
                   1024 * 1024 + 64 * 1024);
  /* "abcdefgh""abcdefgh""… opens a quoted field and only ever escapes quotes. */
  check_huge_line ("\"abcdefgh\"", OMNI_CSV_ERROR_FIELD_TOO_LONG,
                   "Line 1, column 1: a quoted field runs on for more than 1.0\xC2\xA0MiB; "
                   "a closing quote is probably missing",
                   1024 * 1024 / 9 * 10 + 64 * 1024);   /* 9 bytes of field per 10 read */
  check_huge_line ("a,", OMNI_CSV_ERROR_TOO_MANY_FIELDS,
                   "Line 1: the row has more than 1024 fields", 64 * 1024);
  check_huge_line ("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789"
                   "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789,",
                   OMNI_CSV_ERROR_TOO_MANY_FIELDS,
                   "Line 1: the row has more than 1024 fields",
                   3 * 64 * 1024);   /* 145 × 1025 bytes */
}

static void
test_huge_row (void)
{
  OmniCsvOptions options = { .max_fields = 1000000 };
  const char *pattern = "0123456789012345678901234567890123456789,";
  g_autoptr(TestTrickleStream) stream = trickle_new (pattern, strlen (pattern),
                                                     20 * 1000 * 1000, 64 * 1024);
  g_autoptr(OmniCsvReader) reader = omni_csv_reader_new (G_INPUT_STREAM (stream), &options);
  g_autoptr(GError) error = NULL;
  const char * const *fields;
  guint n;

  g_assert_false (omni_csv_reader_next (reader, &fields, &n, NULL, &error));
  g_assert_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_ROW_TOO_LONG);
  g_assert_cmpstr (error->message, ==,
                   "Line 1: the row is longer than 4.0\xC2\xA0MiB, the most a row may hold; "
                   "is this really a CSV file?");
  g_assert_cmpuint (stream->served, <=, 4 * 1024 * 1024 + 64 * 1024);
}

static void
test_huge_file_in_memory (void)
{
  /* The same through a plain memory stream, as an importer would see it. */
  gsize size = 20 * 1000 * 1000;
  char *data = g_malloc (size);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(OmniCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *fields;
  guint n;

  memset (data, 'x', size);
  stream = g_memory_input_stream_new_from_data (data, size, g_free);
  reader = omni_csv_reader_new (stream, NULL);
  g_assert_false (omni_csv_reader_next (reader, &fields, &n, NULL, &error));
  g_assert_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_cmpuint (g_seekable_tell (G_SEEKABLE (stream)), <=, 1024 * 1024 + 64 * 1024);
  g_assert_cmpuint (omni_csv_reader_get_bytes_read (reader), <=, 1024 * 1024 + 64 * 1024);
}

static void
test_cancel (void)
{
  const char *row = "SKU-0001,Some product title,12.50,3\n";
  g_autoptr(TestTrickleStream) stream = trickle_new (row, strlen (row), 1000 * strlen (row) * 10,
                                                     4096);
  g_autoptr(OmniCsvReader) reader = omni_csv_reader_new (G_INPUT_STREAM (stream), NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const char * const *fields;
  guint n, count = 0;

  /* Cancelled from inside a read, part-way through the file. */
  stream->cancel = g_object_ref (cancellable);
  stream->cancel_after = 100 * 1024;
  while (omni_csv_reader_next (reader, &fields, &n, cancellable, &error))
    {
      g_assert_cmpuint (n, ==, 4);
      count++;
    }
  g_assert_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_CANCELLED);
  g_assert_cmpuint (count, >, 0);
  g_assert_cmpuint (count, <, 10000);

  /* Cancelling is not a broken file: with a fresh cancellable, go on. */
  g_clear_error (&error);
  g_clear_object (&stream->cancel);
  while (omni_csv_reader_next (reader, &fields, &n, NULL, &error))
    {
      g_assert_cmpstr (fields[0], ==, "SKU-0001");
      g_assert_cmpstr (fields[3], ==, "3");
      count++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 10000);
}

static void
test_buffer_boundaries (void)
{
  /* Tricky sequences straddle read boundaries: served one byte at a time
   * after the first 64 KiB, every byte is a boundary. */
  static const char tail[] = "\"a\"\"b\",\"c\r\nd\"\r\n"
                             "\"\",x\r"
                             "caf\xC3\xA9,\"\xE2\x82\xAC\"\r\n\r\n"
                             "\"q\"\n";
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(TestTrickleStream) stream = NULL;
  g_autoptr(OmniCsvReader) reader = NULL;
  g_autoptr(Parsed) whole = NULL;
  g_autoptr(Parsed) trickled = NULL;
  guint pad = 0;

  while (data->len < 64 * 1024 - 3)
    {
      g_string_append (data, "p,q\n");
      pad++;
    }
  g_string_append_len (data, tail, sizeof tail - 1);

  whole = parse_len (data->str, data->len, NULL);
  stream = trickle_new (data->str, data->len, data->len, 1);
  reader = omni_csv_reader_new (G_INPUT_STREAM (stream), NULL);
  trickled = parse_reader (reader);

  g_assert_no_error (whole->error);
  g_assert_no_error (trickled->error);
  g_assert_cmpuint (whole->records->len, ==, pad + 4);
  g_assert_cmpuint (trickled->records->len, ==, pad + 4);
  for (guint i = 0; i < whole->records->len; i++)
    {
      g_assert_true (g_strv_equal (g_ptr_array_index (whole->records, i),
                                   g_ptr_array_index (trickled->records, i)));
      g_assert_cmpuint (line_of (whole, i), ==, line_of (trickled, i));
    }
  assert_record (trickled, pad, "a\"b", "c\r\nd", NULL);
  assert_record (trickled, pad + 1, "", "x", NULL);
  assert_record (trickled, pad + 2, "café", "€", NULL);
  assert_record (trickled, pad + 3, "q", NULL);
  g_assert_cmpuint (line_of (trickled, pad + 1), ==, pad + 3);
  g_assert_cmpuint (line_of (trickled, pad + 3), ==, pad + 6);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniCsvReader) reader = NULL;

  reader = omni_csv_reader_new_for_path ("/nonexistent/omnistock/products.csv", NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Could not open “/nonexistent/omnistock/products.csv”: "));
}

/* ---- writer -------------------------------------------------------------- */

static char *
write_rows (const OmniCsvWriterOptions *options,
            const char * const         *rows[],
            guint                       n_rows)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(OmniCsvWriter) writer = omni_csv_writer_new (out, options);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_rows; i++)
    {
      g_assert_true (omni_csv_writer_write_row (writer, rows[i],
                                                g_strv_length ((char **) rows[i]), &error));
      g_assert_no_error (error);
    }
  g_assert_true (omni_csv_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_is_closed (out));
  /* NUL-terminate: a text export is easiest compared as a string. */
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
}

static const char * const header[] = { "Handle", "Title", "Price", NULL };
static const char * const tricky[] = {
  "mug", "Mug, \"large\"", " padded ", "two\nlines", "cr\rhere", "", "café €", "-5",
  "=SUM(A1)", NULL
};

static void
test_writer_quoting (void)
{
  const char * const *rows[] = { header, tricky };
  g_autofree char *crlf = write_rows (NULL, rows, 2);
  OmniCsvWriterOptions lf = { .lf_line_ends = TRUE, .delimiter = ';' };
  g_autofree char *lf_out = write_rows (&lf, rows, 2);

  g_assert_cmpstr (crlf, ==,
                   "Handle,Title,Price\r\n"
                   "mug,\"Mug, \"\"large\"\"\",\" padded \",\"two\nlines\",\"cr\rhere\",,"
                   "café €,-5,=SUM(A1)\r\n");
  g_assert_cmpstr (lf_out, ==,
                   "Handle;Title;Price\n"
                   "mug;\"Mug, \"\"large\"\"\";\" padded \";\"two\nlines\";\"cr\rhere\";;"
                   "café €;-5;=SUM(A1)\n");
}

static void
test_writer_formula_injection (void)
{
  static const char * const row[] = {
    "=HYPERLINK(\"http://x\")", "+1 555 0100", "-2+3", "@SUM(A1)", "\tTab", "-12.50", "+3",
    "safe", "a=b", NULL
  };
  const char * const *rows[] = { row };
  OmniCsvWriterOptions options = { .neutralize_formulas = TRUE, .lf_line_ends = TRUE };
  g_autofree char *out = write_rows (&options, rows, 1);

  g_assert_cmpstr (out, ==,
                   "\"'=HYPERLINK(\"\"http://x\"\")\",'+1 555 0100,'-2+3,'@SUM(A1),"
                   "\"'\tTab\",-12.50,+3,safe,a=b\n");
}

static void
test_writer_bom_and_edges (void)
{
  static const char * const empty[] = { "", NULL };
  static const char * const sep[] = { "sep=;", NULL };
  static const char * const nulls[] = { "a", NULL, "c" };
  const char * const *rows[] = { sep, empty };
  OmniCsvWriterOptions bom = { .write_bom = TRUE, .lf_line_ends = TRUE };
  g_autofree char *out = write_rows (&bom, rows, 2);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(OmniCsvWriter) writer = omni_csv_writer_new (stream, NULL);
  g_autoptr(GError) error = NULL;

  /* A lone empty field is written "" so it does not read back as a blank
   * line, and a first field that looks like Excel's "sep=" line is quoted. */
  g_assert_cmpstr (out, ==, "\xEF\xBB\xBF\"sep=;\"\n\"\"\n");

  g_assert_true (omni_csv_writer_write_row (writer, nulls, 3, &error));
  g_assert_true (omni_csv_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), ==, 6);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)), 6,
                   "a,,c\r\n", 6);
}

static void
test_writer_round_trip (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(OmniCsvWriter) writer = omni_csv_writer_new (out, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(Parsed) p = NULL;
  static const char * const empty[] = { "", NULL };
  const char * const *rows[] = { header, tricky, empty, tricky };
  const char *big_row[3];

  /* One field bigger than the writer's buffer, full of quotes. */
  while (big->len < 200 * 1024)
    g_string_append (big, "say \"yes\", then\r\nnew line; ");
  big_row[0] = "big";
  big_row[1] = big->str;
  big_row[2] = "end";

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_true (omni_csv_writer_write_row (writer, rows[i],
                                              g_strv_length ((char **) rows[i]), &error));
  g_assert_true (omni_csv_writer_write_row (writer, big_row, 3, &error));
  g_assert_true (omni_csv_writer_close (writer, &error));
  g_assert_no_error (error);

  p = parse_len (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                 g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), NULL);
  g_assert_no_error (p->error);
  g_assert_cmpuint (p->records->len, ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_true (g_strv_equal (g_ptr_array_index (p->records, i), rows[i]));
  assert_record (p, 4, "big", big->str, "end", NULL);
  g_assert_cmpstr (p->encoding, ==, "UTF-8");
}

static void
test_writer_round_trip_fixture (void)
{
  /* Every field of a real export survives a write and a read. */
  g_autoptr(Parsed) original = parse_fixture ("shopify/products_export_1.csv");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(OmniCsvWriter) writer = omni_csv_writer_new (out, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(Parsed) again = NULL;

  g_assert_no_error (original->error);
  for (guint i = 0; i < original->records->len; i++)
    {
      char **fields = g_ptr_array_index (original->records, i);

      g_assert_true (omni_csv_writer_write_row (writer, (const char * const *) fields,
                                                g_strv_length (fields), &error));
    }
  g_assert_true (omni_csv_writer_close (writer, &error));
  g_assert_no_error (error);

  again = parse_len (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                     g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), NULL);
  g_assert_no_error (again->error);
  g_assert_cmpuint (again->records->len, ==, original->records->len);
  for (guint i = 0; i < original->records->len; i++)
    g_assert_true (g_strv_equal (g_ptr_array_index (original->records, i),
                                 g_ptr_array_index (again->records, i)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/csv/fixture/shopify-legacy", test_fixture_legacy);
  g_test_add_func ("/omni/csv/fixture/shopify-2023", test_fixture_2023);
  g_test_add_func ("/omni/csv/fixture/shopify-products-export", test_fixture_products_export);
  g_test_add_func ("/omni/csv/fixture/shopify-inventory-export", test_fixture_inventory_export);
  g_test_add_func ("/omni/csv/fixture/woocommerce", test_fixture_woocommerce);
  g_test_add_func ("/omni/csv/quoted-fields", test_quoted_fields);
  g_test_add_func ("/omni/csv/lenient-quotes", test_lenient_quotes);
  g_test_add_func ("/omni/csv/line-ends", test_line_ends);
  g_test_add_func ("/omni/csv/blank-lines-and-empty", test_blank_lines_and_empty);
  g_test_add_func ("/omni/csv/bom", test_bom);
  g_test_add_func ("/omni/csv/sniff-delimiter", test_sniff_delimiter);
  g_test_add_func ("/omni/csv/windows-1252", test_windows_1252);
  g_test_add_func ("/omni/csv/ascii-then-windows-1252", test_ascii_then_windows_1252);
  g_test_add_func ("/omni/csv/invalid-utf8-later", test_invalid_utf8_later);
  g_test_add_func ("/omni/csv/binary", test_binary);
  g_test_add_func ("/omni/csv/unbalanced-quote", test_unbalanced_quote);
  g_test_add_func ("/omni/csv/limits", test_limits);
  g_test_add_func ("/omni/csv/huge-line", test_huge_line);
  g_test_add_func ("/omni/csv/huge-row", test_huge_row);
  g_test_add_func ("/omni/csv/huge-file-in-memory", test_huge_file_in_memory);
  g_test_add_func ("/omni/csv/cancel", test_cancel);
  g_test_add_func ("/omni/csv/buffer-boundaries", test_buffer_boundaries);
  g_test_add_func ("/omni/csv/missing-file", test_missing_file);
  g_test_add_func ("/omni/csv/writer/quoting", test_writer_quoting);
  g_test_add_func ("/omni/csv/writer/formula-injection", test_writer_formula_injection);
  g_test_add_func ("/omni/csv/writer/bom-and-edges", test_writer_bom_and_edges);
  g_test_add_func ("/omni/csv/writer/round-trip", test_writer_round_trip);
  g_test_add_func ("/omni/csv/writer/round-trip-fixture", test_writer_round_trip_fixture);

  return g_test_run ();
}
