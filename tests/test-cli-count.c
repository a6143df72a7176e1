/* test-cli-count.c: stock counts from omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include "omni-store-count.h"
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

/* Three cups by Fernwood, cost 3.00 each:
 *   CUP-1  barcode 4006381333931  Shop floor 10, Back room 7
 *   CUP-2  barcode 036000291452   Shop floor 5
 *   CUP-3  no barcode             Shop floor 4
 * The Shop floor is the default location.
 */
static void
make_shop (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = {
    .title = "Enamel Cup", .vendor = "Fernwood", .option_names = { "Colour" },
  };
  const OmniVariantSpec variants[] = {
    { .sku = "CUP-1", .barcode = "4006381333931", .options = { "Moss" }, .price = 900,
      .cost = 300, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-2", .barcode = "036000291452", .options = { "Sand" }, .price = 900,
      .cost = 300, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-3", .options = { "Rust" }, .price = 900,
      .cost = 300, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[3];
  gint64 floor = omni_store_add_location (store, "Shop floor", TRUE, &error);
  gint64 back = omni_store_add_location (store, "Back room", FALSE, &error);

  g_assert_no_error (error);
  omni_store_create_product (store, &product, variants, 3, ids, &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec movements[] = {
      { .variant_id = ids[0], .location_id = floor, .on_hand_delta = 10,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = ids[0], .location_id = back, .on_hand_delta = 7,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = ids[1], .location_id = floor, .on_hand_delta = 5,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = ids[2], .location_id = floor, .on_hand_delta = 4,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
    };

    omni_store_record_movements (store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }
}

static JsonObject *
run_json (Fixture            *fixture,
          const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(CliResult) result = { 0 };

  g_strv_builder_add_many (builder, "--db", fixture->db, "--json", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  run_cli_env (fixture, NULL, &result, (const char * const *) argv);
  assert_success (&result);
  return parse_json_object (result.out);
}

#define cli_json(fixture, ...) \
  run_json ((fixture), (const char * const[]) { __VA_ARGS__, NULL })

static char *
stock_json (Fixture    *fixture,
            const char *sku)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "--json", "stock", sku);
  assert_success (&result);
  return g_steal_pointer (&result.out);
}

static void
assert_scan (Fixture    *fixture,
             const char *code,
             const char *quantity,
             const char *sku,
             gint64      counted,
             gint64      expected)
{
  g_autoptr(JsonObject) line = NULL;

  if (quantity != NULL)
    line = cli_json (fixture, "count", "scan", "1", code, quantity);
  else
    line = cli_json (fixture, "count", "scan", "1", code);

  g_assert_cmpint (member_int (line, "session"), ==, 1);
  g_assert_cmpstr (member_string (line, "sku"), ==, sku);
  g_assert_cmpint (member_int (line, "counted"), ==, counted);
  g_assert_cmpint (member_int (line, "expected"), ==, expected);
  g_assert_cmpint (member_int (line, "variance"), ==, counted - expected);
}

static JsonObject *
find_line (JsonObject *report,
           const char *sku)
{
  JsonArray *lines = json_object_get_array_member (report, "lines");

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      if (g_strcmp0 (member_string (line, "sku"), sku) == 0)
        return line;
    }

  return NULL;
}

static void
assert_line (JsonObject *report,
             const char *sku,
             gint64      expected,
             gint64      counted,
             gint64      value)
{
  JsonObject *line = find_line (report, sku);

  g_assert_nonnull (line);
  g_assert_cmpint (member_int (line, "expected"), ==, expected);
  g_assert_cmpint (member_int (line, "counted"), ==, counted);
  g_assert_cmpint (member_int (line, "variance"), ==, counted - expected);
  g_assert_cmpint (member_int (line, "variance_value_minor"), ==, value);
}

/* A whole count: scans by barcode, by SKU, with a multiplier and with a
 * quantity, an unknown code, sales before and after items were counted,
 * then the commit and the stock it leaves.
 */
static void
test_count_commit (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) start = NULL;
  g_autoptr(JsonObject) sale = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) commit = NULL;
  g_autofree char *cup1 = NULL;
  g_autofree char *cup2 = NULL;
  g_autofree char *cup3 = NULL;
  g_auto(CliResult) result = { 0 };
  JsonArray *unknown;
  JsonObject *totals;

  make_shop (fixture->db);

  start = cli_json (fixture, "count", "start");
  g_assert_cmpint (member_int (start, "session"), ==, 1);
  g_assert_cmpstr (member_string (start, "location"), ==, "Shop floor");
  g_assert_cmpstr (member_string (start, "scope"), ==, "all");
  g_assert_cmpstr (member_string (start, "state"), ==, "open");
  g_assert_cmpint (member_int (start, "lines"), ==, 3);

  assert_scan (fixture, "4006381333931", NULL, "CUP-1", 1, 10);
  assert_scan (fixture, "8*CUP-1", NULL, "CUP-1", 9, 10);
  assert_scan (fixture, "036000291452", "3", "CUP-2", 3, 5);

  /* An unknown code is refused, and remembered for the review. */
  run_cli (fixture, &result, "--db", fixture->db, "--json", "count", "scan", "1", "999999");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: Unknown code “999999”: no active variant has "
                   "this barcode or SKU.\n");
  cli_result_clear (&result);

  /* Two CUP-1 sold after they were counted: the shelf now holds 7. */
  sale = cli_json (fixture, "adjust", "CUP-1", "-2", "--reason", "sold");
  g_assert_cmpint (member_int (sale, "on_hand"), ==, 8);
  g_clear_pointer (&sale, json_object_unref);

  /* One CUP-3 sold before it was counted: the count already sees 2 of 3. */
  sale = cli_json (fixture, "adjust", "CUP-3", "-1", "--reason", "sold");
  assert_scan (fixture, "12*CUP-3", NULL, "CUP-3", 12, 3);
  /* A correction: 2, not 12. */
  {
    g_autoptr(JsonObject) line = cli_json (fixture, "count", "set", "1", "CUP-3", "2");

    g_assert_cmpint (member_int (line, "counted"), ==, 2);
    g_assert_cmpint (member_int (line, "expected"), ==, 3);
  }

  report = cli_json (fixture, "count", "show", "1");
  g_assert_cmpstr (member_string (report, "state"), ==, "open");
  g_assert_cmpstr (member_string (report, "currency"), ==, "USD");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "lines")), ==, 3);
  /* Expected is what the shelf held when the line was last scanned. */
  assert_line (report, "CUP-1", 10, 9, -300);
  assert_line (report, "CUP-2", 5, 3, -600);
  assert_line (report, "CUP-3", 3, 2, -300);
  unknown = json_object_get_array_member (report, "unknown_codes");
  g_assert_cmpuint (json_array_get_length (unknown), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (unknown, 0), "code"), ==,
                   "999999");
  g_assert_cmpint (member_int (json_array_get_object_element (unknown, 0), "scans"), ==, 1);
  totals = json_object_get_object_member (report, "totals");
  g_assert_cmpint (member_int (totals, "expected"), ==, 18);
  g_assert_cmpint (member_int (totals, "counted"), ==, 14);
  g_assert_cmpint (member_int (totals, "variance"), ==, -4);
  g_assert_cmpint (member_int (totals, "variance_value_minor"), ==, -1200);

  commit = cli_json (fixture, "count", "commit", "1");
  g_assert_cmpstr (member_string (commit, "operation"), ==, "count:1");
  g_assert_cmpint (member_int (commit, "lines_changed"), ==, 3);
  g_assert_cmpint (member_int (commit, "units_added"), ==, 0);
  g_assert_cmpint (member_int (commit, "units_removed"), ==, 4);
  g_assert_cmpint (member_int (commit, "variance"), ==, -4);
  g_assert_cmpint (member_int (commit, "variance_value_minor"), ==, -1200);
  g_assert_cmpint (member_int (commit, "unknown_codes"), ==, 1);

  /* CUP-1: 9 counted, less the 2 sold after; the Back room untouched. */
  cup1 = stock_json (fixture, "CUP-1");
  g_assert_cmpstr (cup1, ==,
                   "{\"sku\":\"CUP-1\",\"variant_id\":1,\"title\":\"Enamel Cup\","
                   "\"options\":\"Moss\",\"barcode\":\"4006381333931\",\"on_hand\":14,"
                   "\"committed\":0,\"available\":14,\"reorder_point\":null,\"locations\":["
                   "{\"location\":\"Shop floor\",\"location_id\":1,\"default\":true,"
                   "\"on_hand\":7,\"committed\":0,\"available\":7},"
                   "{\"location\":\"Back room\",\"location_id\":2,\"default\":false,"
                   "\"on_hand\":7,\"committed\":0,\"available\":7}]}\n");
  cup2 = stock_json (fixture, "CUP-2");
  g_assert_nonnull (strstr (cup2, "\"on_hand\":3,\"committed\":0,\"available\":3,"));
  cup3 = stock_json (fixture, "CUP-3");
  g_assert_nonnull (strstr (cup3, "\"on_hand\":2,\"committed\":0,\"available\":2,"));

  /* A count is applied once. */
  run_cli (fixture, &result, "--db", fixture->db, "count", "commit", "1");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: Stock count 1 is already committed.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "scan", "1", "CUP-1");
  assert_failure (&result, 3);
  cli_result_clear (&result);

  /* The ledger still adds up. */
  run_cli (fixture, &result, "--db", fixture->db, "check");
  assert_success (&result);
}

static void
test_count_text (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_auto(GStrv) lines = NULL;

  make_shop (fixture->db);

  run_cli (fixture, &result, "--db", fixture->db, "count", "start");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "Started stock count 1 at Shop floor (everything): 3 variants expected "
                   "there.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "scan", "1", "3*CUP-2");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "CUP-2  Enamel Cup (Sand): counted 3, expected 5 (variance -2)\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "scan", "1", "ABC");
  assert_failure (&result, 3);
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "show", "1");
  assert_success (&result);
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "Stock count 1 at Shop floor (everything), open");
  g_assert_true (g_str_has_prefix (lines[1], "Started "));
  g_assert_true (g_str_has_suffix (result.out,
                                   "\n\n"
                                   "SKU    Title              Expected  Counted  Variance"
                                   "       Value\n"
                                   "CUP-1  Enamel Cup (Moss)        10        0       -10"
                                   "  -30.00 USD\n"
                                   "CUP-3  Enamel Cup (Rust)         4        0        -4"
                                   "  -12.00 USD\n"
                                   "CUP-2  Enamel Cup (Sand)         5        3        -2"
                                   "   -6.00 USD\n"
                                   "Total                           19        3       -16"
                                   "  -48.00 USD\n"
                                   "\n"
                                   "Unknown codes (link them with “count link”):\n"
                                   "  ABC  1 scan\n"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "list");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out,
                                   "Count  Location    Scope       State  Started (UTC)  "));
  g_assert_nonnull (strstr (result.out, "\n    1  Shop floor  everything  open   "));
  g_assert_true (g_str_has_suffix (result.out, "      3        3\n"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "commit", "1");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "Committed stock count 1: 3 of 3 lines changed, 0 units added, 16 removed "
                   "(net -16, -48.00 USD at cost)\n"
                   "Operation: count:1\n"
                   "1 unknown code was left out.\n");
}

/* Cancelling leaves stock as it was. */
static void
test_count_cancel (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonObject) start = NULL;
  g_autoptr(JsonArray) sessions = NULL;
  g_auto(CliResult) result = { 0 };

  make_shop (fixture->db);
  before = stock_json (fixture, "CUP-1");

  start = cli_json (fixture, "count", "start");
  assert_scan (fixture, "CUP-1", "2", "CUP-1", 2, 10);

  run_cli (fixture, &result, "--db", fixture->db, "count", "cancel", "1");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Cancelled stock count 1; stock is unchanged.\n");
  cli_result_clear (&result);

  after = stock_json (fixture, "CUP-1");
  g_assert_cmpstr (after, ==, before);

  run_cli (fixture, &result, "--db", fixture->db, "count", "cancel", "1");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: Stock count 1 is already cancelled.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "list", "--open");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "No open stock counts.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "count", "list");
  assert_success (&result);
  sessions = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (sessions, 0), "state"), ==,
                   "cancelled");
  g_assert_cmpint (member_int (json_array_get_object_element (sessions, 0), "counted_units"), ==,
                   2);
  g_assert_false (member_is_null (json_array_get_object_element (sessions, 0), "finished_at"));
}

/* The review: link an unknown code, correct a line, take one out. */
static void
test_count_review (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) start = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) removed = NULL;
  g_auto(CliResult) result = { 0 };

  make_shop (fixture->db);
  start = cli_json (fixture, "count", "start", "--location", "Back room", "--vendor", "Fernwood");
  g_assert_cmpstr (member_string (start, "location"), ==, "Back room");
  g_assert_cmpstr (member_string (start, "scope"), ==, "vendor");
  g_assert_cmpstr (member_string (start, "scope_value"), ==, "Fernwood");
  /* Only CUP-1 is in the Back room. */
  g_assert_cmpint (member_int (start, "lines"), ==, 1);

  for (guint i = 0; i < 2; i++)
    {
      g_auto(CliResult) unknown = { 0 };

      run_cli (fixture, &unknown, "--db", fixture->db, "count", "scan", "1", "SHELF-7");
      assert_failure (&unknown, 3);
    }

  run_cli (fixture, &result, "--db", fixture->db, "count", "link", "1", "SHELF-7", "CUP-3");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Counted 2 scans of “SHELF-7” as CUP-3.\n"
                   "CUP-3 now has the barcode SHELF-7.\n");
  cli_result_clear (&result);

  /* The code now finds its variant. */
  assert_scan (fixture, "SHELF-7", NULL, "CUP-3", 3, 0);

  run_cli (fixture, &result, "--db", fixture->db, "count", "set", "1", "CUP-3", "1");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "CUP-3  Enamel Cup (Rust): counted 1, expected 0 (variance +1)\n");
  cli_result_clear (&result);

  removed = cli_json (fixture, "count", "remove", "1", "CUP-1");
  g_assert_true (member_boolean (removed, "removed"));
  g_assert_cmpstr (member_string (removed, "sku"), ==, "CUP-1");

  report = cli_json (fixture, "count", "show", "1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "lines")), ==, 1);
  assert_line (report, "CUP-3", 0, 1, 300);
  g_assert_null (find_line (report, "CUP-1"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report,
                                                                         "unknown_codes")),
                    ==, 0);

  run_cli (fixture, &result, "--db", fixture->db, "count", "remove", "1", "CUP-2");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: Variant 2 is not in stock count 1.\n");
}

static void
test_count_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct {
    const char *args[8];
    int         status;
    const char *message;
  } cases[] = {
    { { "count", "start" }, 3, "Stock count 1 of this location is still open and covers the "
      "same goods; finish or cancel it first" },
    { { "count", "start", "--vendor", "Fernwood", "--tag", "summer" }, 1, "a count covers one "
      "vendor, type or tag: give only one of --vendor, --type and --tag" },
    { { "count", "start", "--location", "Attic" }, 3, "There is no location named “Attic”" },
    { { "count", "scan", "1", "x*CUP-1" }, 2,
      "“x” is not a quantity from 1 to 100000 before “*”" },
    { { "count", "scan", "1", "2*CUP-1", "3" }, 1,
      "give the quantity either as QUANTITY*CODE or after the code, not both" },
    { { "count", "scan", "1", "CUP-1", "0" }, 2,
      "A scan adds from 1 to 100000 (or takes back as many), not 0" },
    { { "count", "scan", "1", "CUP-1", "3x" }, 2,
      "QUANTITY must be a whole number from -100000 to 100000, not “3x”" },
    { { "count", "scan", "one", "CUP-1" }, 2, "SESSION must be a stock count’s number, as "
      "“count start” and “count list” print it, not “one”" },
    { { "count", "scan", "7", "CUP-1" }, 3, "There is no stock count 7" },
    { { "count", "show", "7" }, 3, "There is no stock count 7" },
    { { "count", "set", "1", "CUP-9", "1" }, 3, "No active variant has the SKU or barcode "
      "“CUP-9”" },
    { { "count", "set", "1", "CUP-1", "-1" }, 2,
      "COUNTED must be a whole number from 0 to 2147483647, not “-1”" },
    { { "count", "link", "1", "NEVER-SCANNED", "CUP-3" }, 3,
      "“NEVER-SCANNED” was not scanned as an unknown code in this count" },
  };
  g_autoptr(JsonObject) start = NULL;
  g_autoptr(JsonObject) report = NULL;

  make_shop (fixture->db);
  start = cli_json (fixture, "count", "start");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autofree char *expected = g_strdup_printf ("omnistock-cli: %s.\n", cases[i].message);
      g_auto(GStrv) args = NULL;
      g_auto(CliResult) result = { 0 };

      g_strv_builder_add_many (builder, "--db", fixture->db, NULL);
      for (guint j = 0; cases[i].args[j] != NULL; j++)
        g_strv_builder_add (builder, cases[i].args[j]);
      args = g_strv_builder_end (builder);

      run_cli_env (fixture, NULL, &result, (const char * const *) args);
      assert_failure (&result, cases[i].status);
      g_assert_cmpstr (result.err, ==, expected);
    }

  /* None of it counted anything. */
  report = cli_json (fixture, "count", "show", "1");
  g_assert_cmpint (member_int (report, "counted_units"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report,
                                                                         "unknown_codes")),
                    ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/cli-count/" name, Fixture, NULL, store_set_up, func, fixture_tear_down)

  ADD ("commit", test_count_commit);
  ADD ("text", test_count_text);
  ADD ("cancel", test_count_cancel);
  ADD ("review", test_count_review);
  ADD ("refused", test_count_refused);

#undef ADD

  return g_test_run ();
}
