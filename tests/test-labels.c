/* test-labels.c: barcode label sheets, their pages and the bars drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <zint.h>

#include "omni-labels.h"

static GPtrArray *
labels_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) omni_label_free);
}

/* Sheets -------------------------------------------------------------------- */

static void
test_sheets (void)
{
  static const struct {
    const char *id;
    guint       per_page;
  } expected[] = {
    { "a4-3x8", 24 },
    { "letter-3x10", 30 },
    { "thermal-57x32", 1 },
  };
  const OmniLabelSheet *all;
  guint n = 0;

  all = omni_label_sheet_get_all (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n; i++)
    {
      const OmniLabelSheet *sheet = omni_label_sheet_lookup (expected[i].id);

      g_assert_true (sheet == &all[i]);
      g_assert_cmpuint (omni_label_sheet_get_per_page (sheet), ==, expected[i].per_page);
      /* The last column and row stay on the paper. */
      g_assert_cmpfloat (sheet->margin_left + (sheet->columns - 1) * sheet->pitch_x +
                         sheet->label_width, <=, sheet->paper_width + 1e-9);
      g_assert_cmpfloat (sheet->margin_top + (sheet->rows - 1) * sheet->pitch_y +
                         sheet->label_height, <=, sheet->paper_height + 1e-9);
      g_assert_cmpfloat (sheet->pitch_x, >=, sheet->label_width);
    }
  g_assert_null (omni_label_sheet_lookup ("a4"));
  g_assert_null (omni_label_sheet_lookup (NULL));
}

static void
test_gtin (void)
{
  g_autoptr(OmniLabel) ean = omni_label_new ("Mug", NULL, NULL, "MUG-1", "4006381333931");
  g_autoptr(OmniLabel) upc = omni_label_new ("Cap", NULL, NULL, "CAP-1", " 036000291452 ");
  g_autoptr(OmniLabel) bad = omni_label_new ("Hat", NULL, NULL, "HAT-1", "4006381333932");
  g_autoptr(OmniLabel) no_sku = omni_label_new ("Pin", NULL, NULL, NULL, "PIN/77");
  const char *data = NULL;

  g_assert_true (omni_labels_is_gtin ("4006381333931"));
  g_assert_true (omni_labels_is_gtin ("036000291452"));
  g_assert_true (omni_labels_is_gtin ("0000000000000"));
  g_assert_false (omni_labels_is_gtin ("4006381333932"));
  g_assert_false (omni_labels_is_gtin ("036000291453"));
  g_assert_false (omni_labels_is_gtin ("40063813339a1"));
  g_assert_false (omni_labels_is_gtin ("12345670"));
  g_assert_false (omni_labels_is_gtin (""));
  g_assert_false (omni_labels_is_gtin (NULL));

  g_assert_cmpint (omni_label_get_symbology (ean, &data), ==, OMNI_LABEL_EAN13);
  g_assert_cmpstr (data, ==, "4006381333931");
  g_assert_cmpint (omni_label_get_symbology (upc, &data), ==, OMNI_LABEL_UPCA);
  g_assert_cmpstr (data, ==, "036000291452");
  g_assert_cmpint (omni_label_get_symbology (bad, &data), ==, OMNI_LABEL_CODE128);
  g_assert_cmpstr (data, ==, "HAT-1");
  g_assert_cmpint (omni_label_get_symbology (no_sku, &data), ==, OMNI_LABEL_CODE128);
  g_assert_cmpstr (data, ==, "PIN/77");
}

/* Jobs ---------------------------------------------------------------------- */

static void
assert_refused (GPtrArray  *labels,
                guint       copies,
                int         code,
                const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniLabelJob) job = NULL;

  job = omni_label_job_new (omni_label_sheet_lookup ("a4-3x8"), labels, copies, &error);
  g_assert_null (job);
  g_assert_error (error, OMNI_LABELS_ERROR, code);
  g_assert_nonnull (strstr (error->message, says));
}

static void
test_refused (void)
{
  g_autoptr(GPtrArray) none = labels_new ();
  g_autoptr(GPtrArray) one = labels_new ();
  g_autoptr(GPtrArray) blank = labels_new ();
  g_autoptr(GPtrArray) greek = labels_new ();
  g_autoptr(GPtrArray) many = labels_new ();

  g_ptr_array_add (one, omni_label_new ("Mug", "Blue", "$9.00", "MUG-1", NULL));
  g_ptr_array_add (blank, omni_label_new ("Mug", "Blue", "$9.00", "MUG-1", NULL));
  g_ptr_array_add (blank, omni_label_new ("Nameless", NULL, NULL, " ", ""));
  g_ptr_array_add (greek, omni_label_new ("Mug", NULL, NULL, "ΩΜΕΓΑ-1", NULL));
  for (guint i = 0; i < 201; i++)
    g_ptr_array_add (many, omni_label_new ("Mug", NULL, NULL, "MUG-1", NULL));

  assert_refused (none, 1, OMNI_LABELS_ERROR_INVALID, "no labels");
  assert_refused (one, 0, OMNI_LABELS_ERROR_INVALID, "not 0");
  assert_refused (one, OMNI_LABELS_MAX_COPIES + 1, OMNI_LABELS_ERROR_INVALID, "not 501");
  assert_refused (many, 100, OMNI_LABELS_ERROR_INVALID, "100 copies of 201 labels");
  assert_refused (blank, 1, OMNI_LABELS_ERROR_INVALID, "“Nameless” has neither a SKU");
  assert_refused (greek, 1, OMNI_LABELS_ERROR_ENCODE, "“ΩΜΕΓΑ-1” cannot be printed as a Code 128");
}

static OmniLabelJob *
job_of (const char *sheet_id,
        guint       n_labels,
        guint       copies)
{
  g_autoptr(GPtrArray) labels = labels_new ();
  g_autoptr(GError) error = NULL;
  OmniLabelJob *job;

  for (guint i = 0; i < n_labels; i++)
    {
      g_autofree char *sku = g_strdup_printf ("SKU-%03u", i);

      g_ptr_array_add (labels, omni_label_new ("Item", NULL, "$1.00", sku, NULL));
    }
  job = omni_label_job_new (omni_label_sheet_lookup (sheet_id), labels, copies, &error);
  g_assert_no_error (error);
  return job;
}

static void
test_pages (void)
{
  static const struct {
    const char *sheet;
    guint       labels, copies, placed, pages;
  } cases[] = {
    { "a4-3x8", 2, 2, 4, 1 },
    { "a4-3x8", 12, 2, 24, 1 },
    { "a4-3x8", 13, 2, 26, 2 },
    { "letter-3x10", 30, 1, 30, 1 },
    { "letter-3x10", 31, 1, 31, 2 },
    { "thermal-57x32", 3, 2, 6, 6 },
    { "a4-3x8", 40, 500, 20000, 834 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OmniLabelJob) job = job_of (cases[i].sheet, cases[i].labels, cases[i].copies);

      g_assert_cmpuint (omni_label_job_get_n_labels (job), ==, cases[i].placed);
      g_assert_cmpuint (omni_label_job_get_n_pages (job), ==, cases[i].pages);
    }
}

/* The bars drawn -------------------------------------------------------------- */

/* What zint encodes for @text: the widths of the bars and the spaces
 * between them, in modules, starting with a bar. */
static GArray *
expected_runs (int         symbology,
               const char *text)
{
  struct zint_symbol *zs = ZBarcode_Create ();
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (guint));
  gboolean dark = TRUE;
  guint run = 0;
  int column = 0;

  zs->symbology = symbology;
  g_assert_cmpint (ZBarcode_Encode (zs, (const unsigned char *) text, (int) strlen (text)), <,
                   ZINT_ERROR);

  /* Row 0 holds the modules, eight to a byte, least significant first. */
#define MODULE_SET(col) ((zs->encoded_data[0][(col) >> 3] >> ((col) & 7)) & 1)
  while (column < zs->width && !MODULE_SET (column))
    column++;
  for (; column < zs->width; column++)
    {
      gboolean set = MODULE_SET (column);

      if (set == dark)
        {
          run++;
          continue;
        }
      g_array_append_val (runs, run);
      run = 1;
      dark = set;
    }
#undef MODULE_SET
  if (dark)
    g_array_append_val (runs, run);
  ZBarcode_Delete (zs);
  return runs;
}

/* The dark and light runs of pixels along row @y, from the first dark one
 * to the last. */
static GArray *
pixel_runs (cairo_surface_t *surface,
            int              y)
{
  const unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int width = cairo_image_surface_get_width (surface);
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (guint));
  const guint32 *row = (const guint32 *) (gconstpointer) (data + (gsize) y * stride);
  gboolean dark = TRUE;
  guint run = 0;
  int x = 0;

  /* Black ink on white paper: the green channel says which. */
#define IS_DARK(x) ((((row[x]) >> 8) & 0xff) < 128)
  while (x < width && !IS_DARK (x))
    x++;
  for (; x < width; x++)
    {
      if (IS_DARK (x) == dark)
        {
          run++;
          continue;
        }
      g_array_append_val (runs, run);
      run = 1;
      dark = IS_DARK (x);
    }
#undef IS_DARK
  /* A trailing light run is paper, not a space between bars. */
  if (dark && run > 0)
    g_array_append_val (runs, run);
  return runs;
}

/* Whether the pixel runs are the module runs at one module width. */
static gboolean
runs_match (GArray *pixels,
            GArray *modules)
{
  guint total_pixels = 0, total_modules = 0;
  double module;

  if (pixels->len != modules->len)
    return FALSE;
  for (guint i = 0; i < pixels->len; i++)
    {
      total_pixels += g_array_index (pixels, guint, i);
      total_modules += g_array_index (modules, guint, i);
    }
  module = (double) total_pixels / total_modules;
  for (guint i = 0; i < pixels->len; i++)
    {
      double measured = g_array_index (pixels, guint, i) / module;

      if (ABS (measured - g_array_index (modules, guint, i)) > 0.5)
        return FALSE;
    }
  return TRUE;
}

/* Draws a one-label thermal page at @scale pixels per point, then looks for
 * a pixel row that reads as the bars zint encodes. Returns how many rows do. */
static guint
rows_reading_as (OmniLabel  *label,
                 int         symbology,
                 const char *encoded,
                 guint       n_bars)
{
  g_autoptr(GPtrArray) labels = labels_new ();
  g_autoptr(GArray) modules = expected_runs (symbology, encoded);
  g_autoptr(OmniLabelJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const OmniLabelSheet *sheet = omni_label_sheet_lookup ("thermal-57x32");
  const double scale = 8.0;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint matching = 0;

  g_assert_cmpuint ((modules->len + 1) / 2, ==, n_bars);

  g_ptr_array_add (labels, label);
  job = omni_label_job_new (sheet, labels, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (omni_label_job_get_n_pages (job), ==, 1);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                        (int) (sheet->paper_width * 72 / 25.4 * scale),
                                        (int) (sheet->paper_height * 72 / 25.4 * scale));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  omni_label_job_draw_page (job, cr, 0);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      g_autoptr(GArray) pixels = pixel_runs (surface, y);

      if (runs_match (pixels, modules))
        matching++;
    }
  cairo_surface_destroy (surface);
  return matching;
}

static void
test_code128_bars (void)
{
  /* Start, 8 characters, check, stop: 11 symbols of 3 bars, the stop has 4. */
  guint rows = rows_reading_as (omni_label_new ("Tee", "Red / M", "$29.00", "OMNI-128",
                                                "not-a-gtin"),
                                BARCODE_CODE128, "OMNI-128", 10 * 3 + 4);

  /* The bars are several millimetres tall: many rows read the same. */
  g_assert_cmpuint (rows, >, 20);
}

static void
test_ean13_bars (void)
{
  /* Two guard bars at each end and in the middle, two per digit. */
  guint rows = rows_reading_as (omni_label_new ("Mug", NULL, "$9.00", "MUG-1", "4006381333931"),
                                BARCODE_EANX, "400638133393", 30);

  g_assert_cmpuint (rows, >, 20);
}

/* PDF ----------------------------------------------------------------------- */

static char *
pdf_text (OmniLabelJob *job,
          guint        *n_pages)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *info = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *pages;
  int status = 0;

  dir = g_dir_make_tmp ("omni-labels-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "labels.pdf", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (omni_label_job_save_pdf (job, file, NULL, &error));
  g_assert_no_error (error);

  {
    const char *argv[] = { pdfinfo, path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &info,
                  NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    pages = strstr (info, "Pages:");
    g_assert_nonnull (pages);
    *n_pages = (guint) g_ascii_strtoull (pages + strlen ("Pages:"), NULL, 10);
  }
  {
    const char *argv[] = { pdftotext, path, "-", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_remove (path);
  g_rmdir (dir);
  return out;
}

static guint
occurrences (const char *haystack,
             const char *needle)
{
  gsize length = strlen (needle);
  gsize size = strlen (haystack);
  guint n = 0;

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (haystack + i, needle, length) == 0)
      n++;
  return n;
}

static void
test_pdf (void)
{
  g_autoptr(GPtrArray) labels = labels_new ();
  g_autoptr(OmniLabelJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  guint n_pages = 0;

  if (pdftotext == NULL || pdfinfo == NULL)
    {
      g_test_skip ("poppler-utils is not installed: the PDF is not read back");
      return;
    }

  g_ptr_array_add (labels, omni_label_new ("Linen Shirt", "Blue / L", "$29,672.35",
                                           "SHIRT-BL-L", NULL));
  g_ptr_array_add (labels, omni_label_new ("Stoneware Mug", "", "€9.00", "MUG-1",
                                           "4006381333931"));
  job = omni_label_job_new (omni_label_sheet_lookup ("letter-3x10"), labels, 16, &error);
  g_assert_no_error (error);

  text = pdf_text (job, &n_pages);
  /* 32 labels, 30 to a page. */
  g_assert_cmpuint (n_pages, ==, 2);
  g_assert_cmpuint (occurrences (text, "Linen Shirt"), ==, 16);
  g_assert_cmpuint (occurrences (text, "Stoneware Mug"), ==, 16);
  g_assert_cmpuint (occurrences (text, "$29,672.35"), ==, 16);
  g_assert_cmpuint (occurrences (text, "€9.00"), ==, 16);
  /* The shirt's SKU is its Code 128's human-readable line; the mug's EAN
   * shows its digits and the SKU goes with the options. */
  g_assert_cmpuint (occurrences (text, "SHIRT-BL-L"), ==, 16);
  g_assert_cmpuint (occurrences (text, "MUG-1"), ==, 16);
  g_assert_cmpuint (occurrences (text, "Blue / L"), ==, 16);
  g_assert_cmpuint (occurrences (text, "006381"), ==, 16);
  g_assert_cmpuint (occurrences (text, "333931"), ==, 16);
}

/* Each label its own number of copies, as for a purchase order's lines: in
 * order, across a page break, and refused out of range. */
static void
test_copies_per_label (void)
{
  g_autoptr(GPtrArray) labels = labels_new ();
  g_autoptr(GPtrArray) many = labels_new ();
  g_autoptr(OmniLabelJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  const guint copies[] = { 1, 24, 2 };
  const guint zero[] = { 1, 0, 2 };
  const guint too_many[] = { 1, 501, 2 };
  guint spread[41];
  guint n_pages = 0;

  g_ptr_array_add (labels, omni_label_new ("Apron", NULL, "$1.00", "APRON-1", NULL));
  g_ptr_array_add (labels, omni_label_new ("Bowl", NULL, "$2.00", "BOWL-2", NULL));
  g_ptr_array_add (labels, omni_label_new ("Cup", NULL, "$3.00", "CUP-3", NULL));
  for (guint i = 0; i < G_N_ELEMENTS (spread); i++)
    {
      spread[i] = OMNI_LABELS_MAX_COPIES;
      g_ptr_array_add (many, omni_label_new ("Mug", NULL, NULL, "MUG-1", NULL));
    }

  job = omni_label_job_new_with_copies (omni_label_sheet_lookup ("a4-3x8"), labels, zero,
                                        &error);
  g_assert_null (job);
  g_assert_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not 0"));
  g_clear_error (&error);
  job = omni_label_job_new_with_copies (omni_label_sheet_lookup ("a4-3x8"), labels, too_many,
                                        &error);
  g_assert_null (job);
  g_assert_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not 501"));
  g_clear_error (&error);
  job = omni_label_job_new_with_copies (omni_label_sheet_lookup ("a4-3x8"), many, spread,
                                        &error);
  g_assert_null (job);
  g_assert_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "20500 labels is more than the 20000"));
  g_clear_error (&error);

  job = omni_label_job_new_with_copies (omni_label_sheet_lookup ("a4-3x8"), labels, copies,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (omni_label_job_get_n_labels (job), ==, 27);
  g_assert_cmpuint (omni_label_job_get_n_pages (job), ==, 2);

  if (pdftotext == NULL || pdfinfo == NULL)
    {
      g_test_skip ("poppler-utils is not installed: the PDF is not read back");
      return;
    }
  text = pdf_text (job, &n_pages);
  g_assert_cmpuint (n_pages, ==, 2);
  g_assert_cmpuint (occurrences (text, "APRON-1"), ==, 1);
  g_assert_cmpuint (occurrences (text, "BOWL-2"), ==, 24);
  g_assert_cmpuint (occurrences (text, "CUP-3"), ==, 2);
  /* The page break falls after the 23rd bowl: the cups start page 2. */
  g_assert_cmpuint (occurrences (strchr (text, '\f'), "BOWL-2"), ==, 1);
  g_assert_cmpuint (occurrences (strchr (text, '\f'), "CUP-3"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/labels/sheets", test_sheets);
  g_test_add_func ("/labels/gtin", test_gtin);
  g_test_add_func ("/labels/refused", test_refused);
  g_test_add_func ("/labels/pages", test_pages);
  g_test_add_func ("/labels/bars/code128", test_code128_bars);
  g_test_add_func ("/labels/bars/ean13", test_ean13_bars);
  g_test_add_func ("/labels/pdf", test_pdf);
  g_test_add_func ("/labels/copies-per-label", test_copies_per_label);

  return g_test_run ();
}
