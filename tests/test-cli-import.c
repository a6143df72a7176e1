/* test-cli-import.c: `import` and `export` through omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include "test-cli-util.h"
#include "test-store-util.h"

/* The store is a file in the fixture's folder, or a fresh PostgreSQL
 * database when the test runs against that backend. */
static void
store_set_up (Fixture       *fixture,
              gconstpointer  data)
{
  fixture_set_up (fixture, data);
  g_free (fixture->db);
  fixture->db = test_store_new_location (fixture->dir, "shop.db");
}

static char *
fixture_file (const char *relative)
{
  const char *root = g_getenv ("OMNISTOCK_FIXTURES");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonObject *
stats (Fixture *fixture)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "--json", "stats");
  assert_success (&result);
  return parse_json_object (result.out);
}

static void
test_import_json (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = fixture_file ("shopify/product_template_2023.csv");
  g_auto(CliResult) result = { 0 };
  g_auto(CliResult) again = { 0 };
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) after = NULL;
  JsonArray *warnings;

  run_cli (fixture, &result, "--db", fixture->db, "--json", "import", "products", path);
  assert_success (&result);
  summary = parse_json_object (result.out);
  g_assert_cmpstr (member_string (summary, "format"), ==, "shopify");
  g_assert_true (member_boolean (summary, "applied"));
  g_assert_false (member_boolean (summary, "dry_run"));
  g_assert_cmpint (member_int (summary, "rows"), ==, 17);
  g_assert_cmpint (member_int (summary, "skipped_rows"), ==, 1);
  g_assert_cmpint (member_int (summary, "products_created"), ==, 3);
  g_assert_cmpint (member_int (summary, "variants_created"), ==, 16);
  g_assert_cmpint (member_int (summary, "quantity_changes"), ==, 4);
  g_assert_cmpint (member_int (summary, "units_delta"), ==, 95);
  g_assert_cmpint (member_int (summary, "locations_created"), ==, 1);
  g_assert_true (g_str_has_prefix (member_string (summary, "operation"), "import:"));
  warnings = json_object_get_array_member (summary, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 16);
  g_assert_cmpint (member_int (json_array_get_object_element (warnings, 0), "line"), ==, 2);

  after = stats (fixture);
  g_assert_cmpint (member_int (after, "variants"), ==, 15);   /* one is archived */
  g_assert_cmpint (member_int (after, "units_on_hand"), ==, 45);

  /* Again: nothing new, no stock moved. */
  run_cli (fixture, &again, "--db", fixture->db, "--json", "import", path);
  assert_success (&again);
  second = parse_json_object (again.out);
  g_assert_cmpint (member_int (second, "products_created"), ==, 0);
  g_assert_cmpint (member_int (second, "variants_unchanged"), ==, 16);
  g_assert_cmpint (member_int (second, "quantity_changes"), ==, 0);
}

static void
test_import_text_and_dry_run (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = fixture_file ("woocommerce/sample_products.csv");
  g_auto(CliResult) dry = { 0 };
  g_auto(CliResult) real = { 0 };
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;

  run_cli (fixture, &dry, "--db", fixture->db, "import", path, "--dry-run");
  assert_success (&dry);
  g_assert_nonnull (strstr (dry.out, "Dry run (woocommerce layout): nothing was written."));
  g_assert_nonnull (strstr (dry.out, "Products: 17 new, 0 updated, 0 unchanged"));
  g_assert_nonnull (strstr (dry.out, "Variants: 22 new, 0 updated, 0 unchanged"));
  g_assert_nonnull (strstr (dry.out, "Warning: Line 24, column Type:"));
  before = stats (fixture);
  g_assert_cmpint (member_int (before, "products"), ==, 0);

  run_cli (fixture, &real, "--db", fixture->db, "import", "products", path,
           "--format", "woocommerce");
  assert_success (&real);
  g_assert_nonnull (strstr (real.out, "Imported (woocommerce layout)."));
  after = stats (fixture);
  g_assert_cmpint (member_int (after, "products"), ==, 17);
  g_assert_cmpint (member_int (after, "variants"), ==, 22);
}

static void
test_import_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *good = write_file (fixture, "good.csv",
                                      "Handle,Title,Variant SKU,Variant Price,"
                                      "Variant Inventory Qty\n"
                                      "cap,Cap,CAP-1,12.00,4\n");
  g_autofree char *bad = write_file (fixture, "bad.csv",
                                     "Handle,Title,Option1 Name,Option1 Value,Variant SKU,"
                                     "Variant Price,Variant Inventory Qty\n"
                                     "tee,Tee,Size,S,TEE-1,10.00,1\n"
                                     "tee,,,M,TEE-2,ten,1\n"
                                     "tee,,,L,TEE-1,10.00,-2\n");
  g_autofree char *unknown = write_file (fixture, "unknown.csv", "colour,size\nred,M\n");
  g_auto(CliResult) first = { 0 };
  g_auto(CliResult) result = { 0 };
  g_auto(CliResult) other = { 0 };
  g_auto(CliResult) usage = { 0 };
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *expected = NULL;

  run_cli (fixture, &first, "--db", fixture->db, "import", good);
  assert_success (&first);
  before = stats (fixture);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "import", bad);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  expected = g_strdup_printf ("%s: Line 3, column Variant Price: “ten” is not an amount: write "
                              "digits with a dot for decimals, such as 12.50\n"
                              "%s: Line 4, column Variant Inventory Qty: the quantity cannot be "
                              "negative (-2)\n"
                              "%s: Line 4, column Variant SKU: duplicate SKU “TEE-1” also on "
                              "line 2\n"
                              "omnistock-cli: %s has 3 problems; nothing was imported.\n",
                              bad, bad, bad, bad);
  g_assert_cmpstr (result.err, ==, expected);
  after = stats (fixture);
  g_assert_cmpint (member_int (after, "products"), ==, member_int (before, "products"));
  g_assert_cmpint (member_int (after, "variants"), ==, member_int (before, "variants"));
  g_assert_cmpint (member_int (after, "units_on_hand"), ==, member_int (before, "units_on_hand"));
  g_assert_cmpint (member_int (after, "movements"), ==, member_int (before, "movements"));

  /* Leaving the bad rows out imports the good one, and says which. */
  {
    g_auto(CliResult) skipped = { 0 };
    g_autoptr(JsonObject) summary = NULL;
    g_autofree char *rejects = g_build_filename (fixture->dir, "rejects.csv", NULL);
    g_autofree char *contents = NULL;

    run_cli (fixture, &skipped, "--db", fixture->db, "--json", "import", bad,
             "--skip-invalid-rows", "--rejects", rejects);
    assert_success (&skipped);
    summary = parse_json_object (skipped.out);
    g_assert_true (member_boolean (summary, "applied"));
    g_assert_cmpint (member_int (summary, "rows_rejected"), ==, 2);
    g_assert_cmpint (member_int (summary, "variants_created"), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (summary,
                                                                           "rejected")), ==, 3);
    g_assert_true (g_file_get_contents (rejects, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "tee,,,M,TEE-2,ten,1,"));
  }

  run_cli (fixture, &other, "--db", fixture->db, "import", unknown);
  assert_failure (&other, 2);
  g_assert_nonnull (strstr (other.err, "matches no known layout"));

  run_cli (fixture, &usage, "--db", fixture->db, "import", good, "--format", "excel");
  assert_failure (&usage, 1);
}

static void
test_import_inventory_and_map (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *products = fixture_file ("shopify/products_export_1.csv");
  g_autofree char *inventory = fixture_file ("shopify/inventory_export_1.csv");
  g_autofree char *generic = write_file (fixture, "list.csv",
                                         "Code,Name,Units\nPEN-1,Blue pen,12\nPEN-2,Red pen,3\n");
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };
  g_auto(CliResult) c = { 0 };
  g_auto(CliResult) d = { 0 };
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) pen = NULL;

  run_cli (fixture, &a, "--db", fixture->db, "import", products, "--location", "Shop");
  assert_success (&a);
  run_cli (fixture, &b, "--db", fixture->db, "--json", "import", "inventory", inventory,
           "--location", "Shop");
  assert_success (&b);
  summary = parse_json_object (b.out);
  g_assert_cmpstr (member_string (summary, "format"), ==, "shopify-inventory");
  g_assert_cmpint (member_int (summary, "rows"), ==, 67);
  g_assert_cmpint (member_int (summary, "locations_created"), ==, 0);
  after = stats (fixture);
  g_assert_cmpint (member_int (after, "units_on_hand"), ==, 7043);

  run_cli (fixture, &c, "--db", fixture->db, "import", generic, "--format", "generic",
           "--map", "Code=sku", "--map", "Name=title", "--map", "Units=quantity",
           "--location", "Shop");
  assert_success (&c);
  run_cli (fixture, &d, "--db", fixture->db, "--json", "stock", "PEN-1");
  assert_success (&d);
  pen = parse_json_object (d.out);
  g_assert_cmpint (member_int (pen, "on_hand"), ==, 12);
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = fixture_file ("shopify/product_template_2023.csv");
  g_autofree char *out = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *copy = test_store_new_location (fixture->dir, "copy.db");
  g_autofree char *contents = NULL;
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };
  g_auto(CliResult) c = { 0 };
  g_auto(CliResult) d = { 0 };
  g_auto(CliResult) e = { 0 };
  g_auto(CliResult) f = { 0 };
  g_autoptr(JsonObject) written = NULL;
  g_autoptr(JsonObject) copied = NULL;

  run_cli (fixture, &a, "--db", fixture->db, "import", path);
  assert_success (&a);

  run_cli (fixture, &b, "--db", fixture->db, "--json", "export", "products", "-o", out);
  assert_success (&b);
  written = parse_json_object (b.out);
  g_assert_cmpint (member_int (written, "rows"), ==, 16);
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "Handle,Title,Body (HTML),Vendor,Type,Tags,"));

  run_cli (fixture, &c, "--db", copy, "--json", "import", out);
  assert_success (&c);
  copied = parse_json_object (c.out);
  g_assert_cmpint (member_int (copied, "variants_created"), ==, 16);
  g_assert_cmpint (member_int (copied, "units_delta"), ==, 95);

  run_cli (fixture, &d, "--db", fixture->db, "export", "inventory", "--format", "generic");
  assert_success (&d);
  g_assert_true (g_str_has_prefix (d.out, "handle,title,option1,option2,option3,sku,barcode,"
                                          "location,on_hand,committed,available\r\n"));
  g_assert_nonnull (strstr (d.out, "example-pants,Example Jeans,28,,,PNT_DEN_285,,Shop,20,0,20"));

  {
    g_auto(CliResult) m = { 0 };
    g_auto(CliResult) none = { 0 };
    g_auto(CliResult) bad_date = { 0 };

    run_cli (fixture, &m, "--db", fixture->db, "export", "movements", "--from", "2000-01-01");
    assert_success (&m);
    g_assert_true (g_str_has_prefix (m.out, "time,operation,op_id,sku,title,options,location,"
                                            "on_hand_delta,committed_delta,reason,source,"
                                            "reference,note,actor\r\n"));
    g_assert_nonnull (strstr (m.out, ",PNT_DEN_285,Example Jeans,28,Shop,20,0,import,import,"
                                     "product_template_2023.csv,,"));
    run_cli (fixture, &none, "--db", fixture->db, "export", "movements", "--to", "2000-01-01");
    assert_success (&none);
    g_assert_cmpuint (strlen (none.out), ==, strlen ("time,operation,op_id,sku,title,options,"
                                                     "location,on_hand_delta,committed_delta,"
                                                     "reason,source,reference,note,actor\r\n"));
    run_cli (fixture, &bad_date, "--db", fixture->db, "export", "movements", "--from", "soon");
    assert_failure (&bad_date, 2);
  }

  run_cli (fixture, &e, "--db", fixture->db, "export", "orders");
  assert_failure (&e, 1);
  run_cli (fixture, &f, "--db", fixture->db, "--json", "export", "products");
  assert_failure (&f, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/cli-import/" name, Fixture, NULL, store_set_up, func, fixture_tear_down)

  ADD ("json", test_import_json);
  ADD ("text-and-dry-run", test_import_text_and_dry_run);
  ADD ("refused", test_import_refused);
  ADD ("inventory-and-map", test_import_inventory_and_map);
  ADD ("export", test_export);

  return g_test_run ();
}
