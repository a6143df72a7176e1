/* test-cli-labels.c: `omnistock-cli labels`, barcode labels as a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include "omni-store-catalog.h"
#include "test-cli-util.h"

/* Two variants: JAR with a valid EAN-13, LID with none (a Code 128 of its
 * SKU), and a third whose SKU is no Latin-1 a Code 128 can carry. */
static void
make_shop (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Stoneware", .option_names = { "Item" } };
  const OmniVariantSpec variants[] = {
    { .sku = "JAR", .barcode = "4006381333931", .options = { "Jar" }, .price = 2400,
      .compare_at_price = -1, .cost = 1000, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "LID-07", .options = { "Lid" }, .price = 600, .compare_at_price = -1,
      .cost = 200, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "ΚΑΠΑΚΙ", .options = { "Greek Lid" }, .price = 700, .compare_at_price = -1,
      .cost = 200, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[3];

  omni_store_create_product (store, &product, variants, 3, ids, &error);
  g_assert_no_error (error);
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
test_pdf (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (fixture->dir, "labels.pdf", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_auto(CliResult) wrote = { 0 };
  g_auto(CliResult) plain = { 0 };

  make_shop (fixture->db);
  run_cli (fixture, &wrote, "--db", fixture->db, "--json", "labels", "--sku", "JAR,LID-07",
           "--preset", "a4-3x8", "--copies", "13", "--output", pdf);
  assert_success (&wrote);
  json = parse_json_object (wrote.out);
  g_assert_cmpstr (member_string (json, "output"), ==, pdf);
  g_assert_cmpstr (member_string (json, "preset"), ==, "a4-3x8");
  g_assert_cmpint (member_int (json, "variants_count"), ==, 2);
  g_assert_cmpint (member_int (json, "copies"), ==, 13);
  g_assert_cmpint (member_int (json, "labels_count"), ==, 26);
  g_assert_cmpint (member_int (json, "pages_count"), ==, 2);

  /* --sku given twice reads the same as a list; the default is A4. */
  run_cli (fixture, &plain, "--db", fixture->db, "labels", "--sku", "LID-07", "--sku",
           "4006381333931", "--output", pdf);
  assert_success (&plain);
  {
    g_autofree char *expected = g_strdup_printf ("Wrote 2 labels on 1 page to %s\n", pdf);

    g_assert_cmpstr (plain.out, ==, expected);
  }

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext is not installed: the PDF's text is not read back");
      return;
    }
  {
    const char *argv[] = { pdftotext, pdf, "-", NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, &text, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
  }
  g_assert_cmpuint (occurrences (text, "Stoneware"), ==, 2);
  g_assert_cmpuint (occurrences (text, "24.00 USD"), ==, 1);
  g_assert_cmpuint (occurrences (text, "6.00 USD"), ==, 1);
  g_assert_cmpuint (occurrences (text, "LID-07"), ==, 1);
  g_assert_cmpuint (occurrences (text, "Jar · JAR"), ==, 1);
  g_assert_cmpuint (occurrences (text, "333931"), ==, 1);
}

static void
assert_refused (Fixture    *fixture,
                int         status,
                const char *says,
                const char *sku,
                const char *preset,
                const char *copies)
{
  g_autofree char *pdf = g_build_filename (fixture->dir, "refused.pdf", NULL);
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "labels", "--sku", sku, "--preset", preset,
           "--copies", copies, "--output", pdf);
  assert_failure (&result, status);
  g_assert_nonnull (strstr (result.err, says));
  g_assert_cmpstr (result.out, ==, "");
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(CliResult) no_output = { 0 };

  make_shop (fixture->db);
  assert_refused (fixture, 3, "“NOPE”", "JAR,NOPE", "a4-3x8", "1");
  assert_refused (fixture, 1, "--preset must be one of a4-3x8, letter-3x10, thermal-57x32",
                  "JAR", "a5", "1");
  assert_refused (fixture, 2, "between 1 and 500, not 0", "JAR", "a4-3x8", "0");
  assert_refused (fixture, 2, "between 1 and 500, not 501", "JAR", "a4-3x8", "501");
  assert_refused (fixture, 1, "--sku", " , ", "a4-3x8", "1");
  assert_refused (fixture, 2, "cannot be printed as a Code 128", "JAR,ΚΑΠΑΚΙ", "a4-3x8", "1");

  run_cli (fixture, &no_output, "--db", fixture->db, "labels", "--sku", "JAR");
  assert_failure (&no_output, 1);
  g_assert_nonnull (strstr (no_output.err, "--output"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/cli-labels/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("pdf", test_pdf);
  ADD ("refused", test_refused);
#undef ADD

  return g_test_run ();
}
