/* test-cli-labels.c: `omnistock-cli labels`, barcode labels as a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-purchasing.h"
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

/* PO-00001: 30 jars and 4 lids ordered. */
static gint64
make_order (Fixture *fixture)
{
  g_autoptr(OmniStore) store = open_store (fixture->db);
  g_autoptr(GError) error = NULL;
  const OmniSupplierSpec supplier = { .name = "Fernwood Pottery", .lead_time_days = 10 };
  OmniPurchaseLineSpec lines[] = {
    { .variant_id = omni_store_find_variant (store, "JAR", NULL), .quantity = 30,
      .unit_cost = 1000 },
    { .variant_id = omni_store_find_variant (store, "LID-07", NULL), .quantity = 4,
      .unit_cost = 200 },
  };
  OmniPurchaseOrderSpec spec = { .lines = lines, .n_lines = 2, .actor = "test" };
  gint64 po_id;

  g_assert_cmpint (omni_store_add_location (store, "Shop", TRUE, &error), >, 0);
  g_assert_no_error (error);
  spec.supplier_id = omni_store_add_supplier (store, &supplier, &error);
  g_assert_no_error (error);
  po_id = omni_store_create_purchase_order (store, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (po_id, >, 0);
  return po_id;
}

static void
assert_po_labels (Fixture    *fixture,
                  const char *count_flag,
                  const char *preset,
                  const char *count,
                  gint64      n_variants,
                  gint64      n_labels,
                  gint64      n_pages)
{
  g_autofree char *pdf = g_build_filename (fixture->dir, "po.pdf", NULL);
  g_autoptr(JsonObject) json = NULL;
  g_auto(CliResult) result = { 0 };

  g_remove (pdf);
  if (count_flag != NULL)
    run_cli (fixture, &result, "--db", fixture->db, "--json", "labels", "--po", "PO-00001",
             count_flag, "--preset", preset, "--output", pdf);
  else
    run_cli (fixture, &result, "--db", fixture->db, "--json", "labels", "--po", "PO-00001",
             "--preset", preset, "--output", pdf);
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpstr (member_string (json, "po"), ==, "PO-00001");
  g_assert_cmpstr (member_string (json, "count"), ==, count);
  g_assert_cmpstr (member_string (json, "preset"), ==, preset);
  g_assert_cmpint (member_int (json, "variants_count"), ==, n_variants);
  g_assert_cmpint (member_int (json, "labels_count"), ==, n_labels);
  g_assert_cmpint (member_int (json, "pages_count"), ==, n_pages);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
}

static void
assert_po_refused (Fixture    *fixture,
                   int         status,
                   const char *says,
                   const char *arg1,
                   const char *arg2)
{
  g_autofree char *pdf = g_build_filename (fixture->dir, "refused.pdf", NULL);
  g_auto(CliResult) result = { 0 };

  if (arg2 != NULL)
    run_cli (fixture, &result, "--db", fixture->db, "labels", arg1, arg2, "--output", pdf);
  else
    run_cli (fixture, &result, "--db", fixture->db, "labels", arg1, "--output", pdf);
  assert_failure (&result, status);
  g_assert_nonnull (strstr (result.err, says));
  g_assert_cmpstr (result.out, ==, "");
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

static void
test_purchase_order (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(OmniReceiveResult) received = { 0 };
  g_auto(CliResult) refused = { 0 };
  g_autofree char *pdf = g_build_filename (fixture->dir, "refused.pdf", NULL);
  gint64 po_id;

  make_shop (fixture->db);
  po_id = make_order (fixture);

  /* Nothing arrived yet: a label per unit ordered, 24 to an A4 sheet. */
  assert_po_labels (fixture, NULL, "a4-3x8", "ordered", 2, 34, 2);
  assert_po_labels (fixture, "--ordered", "letter-3x10", "ordered", 2, 34, 2);
  run_cli (fixture, &refused, "--db", fixture->db, "labels", "--po", "PO-00001", "--received",
           "--output", pdf);
  assert_failure (&refused, 2);
  g_assert_nonnull (strstr (refused.err, "Nothing has been received on PO-00001 yet"));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));

  /* 5 jars arrive: by default those are what get labels. */
  {
    g_autoptr(OmniStore) store = open_store (fixture->db);
    const OmniReceiveLine line = { .variant_id = omni_store_find_variant (store, "JAR", NULL),
                                   .quantity = 5 };

    g_assert_true (omni_store_mark_purchase_ordered (store, po_id, &error));
    g_assert_no_error (error);
    g_assert_true (omni_store_receive_purchase (store, po_id, 0, &line, 1, "test", "test",
                                                &received, &error));
    g_assert_no_error (error);
  }
  assert_po_labels (fixture, NULL, "a4-3x8", "received", 1, 5, 1);
  assert_po_labels (fixture, "--received", "thermal-57x32", "received", 1, 5, 5);
  assert_po_labels (fixture, "--ordered", "thermal-57x32", "ordered", 2, 34, 34);

  assert_po_refused (fixture, 3, "PO-00404", "--po", "PO-00404");
  assert_po_refused (fixture, 1, "--received and --ordered go with --po", "--sku=JAR",
                     "--received");
  assert_po_refused (fixture, 1, "either --po or --sku", "--sku=JAR", "--po=PO-00001");
  assert_po_refused (fixture, 1, "--copies does not go with --po", "--copies=2",
                     "--po=PO-00001");
  {
    g_auto(CliResult) both = { 0 };

    run_cli (fixture, &both, "--db", fixture->db, "labels", "--po", "PO-00001", "--received",
             "--ordered", "--output", pdf);
    assert_failure (&both, 1);
    g_assert_nonnull (strstr (both.err, "either --received or --ordered"));
    g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  }
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
  ADD ("purchase-order", test_purchase_order);
#undef ADD

  return g_test_run ();
}
