/* test-report-render.c: chart axis ticks, and report tables as CSV, text
 * and PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-report-render"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "omni-report-render.h"
#include "omni-report-scale.h"
#include "omni-report-table.h"

/* Ticks ------------------------------------------------------------------ */

static void
assert_scale (double      low,
              double      high,
              guint       max_ticks,
              gboolean    whole,
              double      min,
              double      max,
              double      step,
              guint       n_ticks)
{
  OmniScale scale;

  omni_scale_compute (low, high, max_ticks, whole, &scale);
  if (scale.min != min || scale.max != max || scale.step != step || scale.n_ticks != n_ticks)
    g_error ("%g..%g in %u ticks: got %g..%g step %g (%u ticks), expected %g..%g step %g (%u)",
             low, high, max_ticks, scale.min, scale.max, scale.step, scale.n_ticks,
             min, max, step, n_ticks);
}

static void
test_ticks (void)
{
  OmniScale scale;

  assert_scale (0, 97, 6, FALSE, 0, 100, 20, 6);
  assert_scale (0, 37, 6, TRUE, 0, 40, 10, 5);
  assert_scale (0, 100, 6, TRUE, 0, 100, 20, 6);
  assert_scale (0, 101, 6, TRUE, 0, 125, 25, 6);
  assert_scale (0, 0.9, 5, FALSE, 0, 1, 0.25, 5);
  assert_scale (-3, 7, 6, FALSE, -5, 7.5, 2.5, 6);
  assert_scale (-3, 7, 7, FALSE, -4, 8, 2, 7);
  /* Units never get fractional steps; 2.5 is kept for tens and up. */
  assert_scale (0, 3, 6, TRUE, 0, 3, 1, 4);
  assert_scale (0, 1, 6, TRUE, 0, 1, 1, 2);
  assert_scale (0, 23, 6, TRUE, 0, 25, 5, 6);
  assert_scale (0, 230, 6, TRUE, 0, 250, 50, 6);
  /* Money in cents: 1,234.56 → ticks every 250.00. */
  assert_scale (0, 123456, 6, TRUE, 0, 125000, 25000, 6);
  /* Nothing to show still gives an axis. */
  assert_scale (0, 0, 6, TRUE, 0, 1, 1, 2);
  assert_scale (5, 5, 6, FALSE, 5, 10, 1, 6);

  omni_scale_compute (0, 37, 6, TRUE, &scale);
  g_assert_cmpfloat (omni_scale_tick (&scale, 2), ==, 20);
  g_assert_cmpfloat (omni_scale_fraction (&scale, 30), ==, 0.75);
  omni_scale_compute (-0.3, 0.3, 7, FALSE, &scale);
  g_assert_cmpfloat (omni_scale_tick (&scale, 3), ==, 0);
}

static void
assert_tick_text (double      value,
                  double      step,
                  const char *expected)
{
  g_autofree char *text = omni_scale_format_tick (value, step);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_tick_labels (void)
{
  assert_tick_text (0, 20, "0");
  assert_tick_text (40, 10, "40");
  assert_tick_text (0.25, 0.25, "0.25");
  assert_tick_text (0.5, 0.25, "0.50");
  assert_tick_text (1500, 500, "1500");
  assert_tick_text (15000, 5000, "15k");
  assert_tick_text (12500, 2500, "12.5k");
  assert_tick_text (2500000, 500000, "2.5M");
  assert_tick_text (-4, 2, "-4");
}

/* Tables ------------------------------------------------------------------ */

/* Three lines of stock and their totals, in euros. */
static OmniReportTable *
small_table (void)
{
  OmniReportTable *table = omni_report_table_new ("stock", "Stock Check");
  g_autoptr(GDateTime) generated = g_date_time_new_utc (2026, 11, 25, 14, 30, 0);
  const struct { const char *sku; const char *name; gint64 units; gint64 value; } rows[] = {
    { "MUG-R", "Mug — Red", 15, 6000 },
    { "TEE", "Tee, \"classic\"", 7, 7000 },
    { "=SUM(A1)", "Formula", -2, 0 },
  };

  omni_report_table_set_currency (table, "EUR");
  omni_report_table_set_generated (table, generated);
  omni_report_table_add_filter (table, "As of", "End of 2026-10-15");
  omni_report_table_add_note (table, "Stock below zero counts as no value.");
  omni_report_table_add_column (table, "sku", "SKU", OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "product", "Product", OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "units", "Units", OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "value", "Value", OMNI_CELL_MONEY);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      guint r = omni_report_table_append_row (table);

      omni_report_table_set_text (table, r, 0, rows[i].sku);
      omni_report_table_set_text (table, r, 1, rows[i].name);
      omni_report_table_set_int (table, r, 2, rows[i].units);
      omni_report_table_set_int (table, r, 3, rows[i].value);
    }
  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, 0, "Total");
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, 2, 20);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, 3, 13000);

  return table;
}

static char *
render (OmniReportTable  *table,
        OmniReportFormat  format,
        gsize            *size)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_report_table_write (table, format, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  if (size != NULL)
    *size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)) - 1;
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_csv (void)
{
  g_autoptr(OmniReportTable) table = small_table ();
  g_autofree char *csv = render (table, OMNI_REPORT_FORMAT_CSV, NULL);

  /* Plain numbers, quotes doubled, a formula defused, no totals line. */
  g_assert_cmpstr (csv, ==,
                   "SKU,Product,Units,Value\r\n"
                   "MUG-R,Mug — Red,15,60.00\r\n"
                   "TEE,\"Tee, \"\"classic\"\"\",7,70.00\r\n"
                   "'=SUM(A1),Formula,-2,0.00\r\n");
}

static void
test_text (void)
{
  g_autoptr(OmniReportTable) table = small_table ();
  g_autofree char *text = render (table, OMNI_REPORT_FORMAT_TABLE, NULL);
  g_autoptr(OmniReportTable) empty = omni_report_table_new ("empty", "Nothing");
  g_autofree char *none = NULL;

  g_assert_cmpstr (text, ==,
                   "Stock Check\n"
                   "As of: End of 2026-10-15\n"
                   "Stock below zero counts as no value.\n"
                   "\n"
                   "SKU       Product         Units   Value\n"
                   "--------  --------------  -----  ------\n"
                   "MUG-R     Mug — Red          15   60.00\n"
                   "TEE       Tee, \"classic\"      7   70.00\n"
                   "=SUM(A1)  Formula            -2    0.00\n"
                   "--------  --------------  -----  ------\n"
                   "Total                        20  130.00\n");

  omni_report_table_add_column (empty, "what", "What", OMNI_CELL_TEXT);
  none = render (empty, OMNI_REPORT_FORMAT_TABLE, NULL);
  g_assert_nonnull (strstr (none, "No rows match these filters."));
}

/* PDF ----------------------------------------------------------------------- */

static char *
pdf_to_text (const char *pdf,
             gsize       size)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (pdftotext == NULL)
    return NULL;

  dir = g_dir_make_tmp ("omni-render-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "report.pdf", NULL);
  g_assert_true (g_file_set_contents (path, pdf, size, &error));
  {
    const char *argv[] = { pdftotext, "-layout", path, "-", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_remove (path);
  g_rmdir (dir);
  return out;
}

static guint
count_pages (const char *pdf,
             gsize       size)
{
  static const char needle[] = "/Type /Page";
  gsize length = strlen (needle);
  guint pages = 0;

  /* Each page object says /Type /Page; the tree says /Type /Pages. The
   * document is binary: compare bytes, not strings. */
  for (gsize i = 0; i + length < size; i++)
    {
      if (memcmp (pdf + i, needle, length) == 0 && pdf[i + length] != 's')
        pages++;
    }
  return pages;
}

static void
test_pdf (void)
{
  g_autoptr(OmniReportTable) table = small_table ();
  gsize size;
  g_autofree char *pdf = render (table, OMNI_REPORT_FORMAT_PDF, &size);
  g_autofree char *text = NULL;

  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_cmpuint (count_pages (pdf, size), ==, 1);

  text = pdf_to_text (pdf, size);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  g_assert_nonnull (strstr (text, "Stock Check"));
  g_assert_nonnull (strstr (text, "As of: End of 2026-10-15"));
  g_assert_nonnull (strstr (text, "Stock below zero counts as no value."));
  g_assert_true (g_regex_match_simple ("SKU +Product +Units +Value", text, 0, 0));
  g_assert_true (g_regex_match_simple ("MUG-R +Mug — Red +15 +60\\.00", text, 0, 0));
  g_assert_true (g_regex_match_simple ("=SUM\\(A1\\) +Formula +-2 +0\\.00", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Total +20 +130\\.00", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Stock Check · 2026-11-25 14:30 +Page 1 of 1", text, 0,
                                       0));
}

/* Three hundred rows run over pages: each page repeats the header and
 * numbers itself, the rows continue in order, the totals come once at the
 * end. */
static void
test_pdf_pages (void)
{
  g_autoptr(OmniReportTable) table = omni_report_table_new ("long", "Long Report");
  gsize size;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) pages = NULL;
  guint n_pages, next_row = 0;

  omni_report_table_add_column (table, "row", "Row", OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "units", "Units", OMNI_CELL_INTEGER);
  for (guint i = 0; i < 300; i++)
    {
      guint r = omni_report_table_append_row (table);
      g_autofree char *name = g_strdup_printf ("row-%03u", i);

      omni_report_table_set_text (table, r, 0, name);
      omni_report_table_set_int (table, r, 1, 1);
    }
  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, 0, "Total");
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, 1, 300);

  pdf = render (table, OMNI_REPORT_FORMAT_PDF, &size);
  text = pdf_to_text (pdf, size);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }

  pages = g_strsplit (text, "\f", -1);
  n_pages = g_strv_length (pages) - 1;
  g_assert_cmpuint (n_pages, >, 1);
  g_assert_cmpuint (count_pages (pdf, size), ==, n_pages);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", i + 1, n_pages);
      g_autoptr(GRegex) regex = g_regex_new ("row-(\\d{3})", 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      g_assert_true (g_regex_match_simple ("Row +Units", pages[i], 0, 0));
      g_assert_nonnull (strstr (pages[i], footer));
      /* The title heads the first page only. */
      g_assert_true ((strstr (pages[i], "Long Report\n") != NULL) == (i == 0));
      for (g_regex_match (regex, pages[i], 0, &match); g_match_info_matches (match);
           g_match_info_next (match, NULL))
        {
          g_autofree char *number = g_match_info_fetch (match, 1);

          g_assert_cmpuint (g_ascii_strtoull (number, NULL, 10), ==, next_row);
          next_row++;
        }
      g_assert_true ((strstr (pages[i], "Total") != NULL) == (i == n_pages - 1));
    }
  g_assert_cmpuint (next_row, ==, 300);
}

static void
test_pdf_write_error (void)
{
  g_autoptr(OmniReportTable) table = small_table ();
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-dir/report.pdf");
  g_autoptr(GError) error = NULL;

  g_assert_false (omni_report_table_save (table, OMNI_REPORT_FORMAT_PDF, file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  /* Grouping and the decimal point as in the C locale: fixed output. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/report-render/ticks", test_ticks);
  g_test_add_func ("/omni/report-render/tick-labels", test_tick_labels);
  g_test_add_func ("/omni/report-render/csv", test_csv);
  g_test_add_func ("/omni/report-render/text", test_text);
  g_test_add_func ("/omni/report-render/pdf", test_pdf);
  g_test_add_func ("/omni/report-render/pdf-pages", test_pdf_pages);
  g_test_add_func ("/omni/report-render/pdf-write-error", test_pdf_write_error);

  return g_test_run ();
}
