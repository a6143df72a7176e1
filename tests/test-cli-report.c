/* test-cli-report.c: `omnistock-cli report …` figures, files and refusals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include "omni-store-inventory.h"
#include "test-cli-util.h"
#include "test-store-util.h"

#define DAY_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

/* A shop with two locations and a fixed October:
 *   MUG-R  Mug / Red   cost 4.00, price 10.00, point 5, reorder qty 12
 *   MUG-B  Mug / Blue  cost 5.00, price 12.00
 *   TEE    Tee         cost 10.00, price 25.00, point 3
 * Oct 1   received MUG-R 20, MUG-B 10 (Shop), TEE 8 (Back)
 * Oct 5   TEE 3 from Back to Shop
 * Oct 10  order #1001: MUG-R 2 × 10.00, TEE 1 × 25.00 (Shop)
 * Oct 20  order #1002: MUG-R 3 × 10.00 (Shop)
 * Nov 2   MUG-B 1 damaged
 * Now: MUG-R 15, MUG-B 9, TEE 7 (Back 5, Shop 2).
 */
static void
make_shop (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  const OmniProductSpec mug = { .title = "Mug", .vendor = "Kiln", .product_type = "Home",
                                .option_names = { "Colour" } };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG-R", .options = { "Red" }, .price = 1000, .cost = 400,
      .compare_at_price = -1, .reorder_point = 5, .reorder_qty = 12 },
    { .sku = "MUG-B", .options = { "Blue" }, .price = 1200, .cost = 500,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniProductSpec tee = { .title = "Tee", .vendor = "Fernwood",
                                .product_type = "Apparel" };
  const OmniVariantSpec tees[] = {
    { .sku = "TEE", .price = 2500, .cost = 1000, .compare_at_price = -1, .reorder_point = 3,
      .reorder_qty = -1 },
  };
  gint64 ids[2], tee_id, shop, back;

  shop = omni_store_add_location (store, "Shop", TRUE, &error);
  back = omni_store_add_location (store, "Back", FALSE, &error);
  g_assert_no_error (error);
  omni_store_create_product (store, &mug, mugs, 2, ids, &error);
  g_assert_no_error (error);
  omni_store_create_product (store, &tee, tees, 1, &tee_id, &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec movements[] = {
      { .variant_id = ids[0], .location_id = shop, .on_hand_delta = 20,
        .reason = OMNI_REASON_RECEIVED, .time_us = at ("2026-10-01T09:00:00Z") },
      { .variant_id = ids[1], .location_id = shop, .on_hand_delta = 10,
        .reason = OMNI_REASON_RECEIVED, .time_us = at ("2026-10-01T09:00:00Z") },
      { .variant_id = tee_id, .location_id = back, .on_hand_delta = 8,
        .reason = OMNI_REASON_RECEIVED, .time_us = at ("2026-10-01T09:00:00Z") },
      { .variant_id = tee_id, .location_id = back, .on_hand_delta = -3,
        .reason = "transfer", .reference = "TR-1", .time_us = at ("2026-10-05T12:00:00Z") },
      { .variant_id = tee_id, .location_id = shop, .on_hand_delta = 3,
        .reason = "transfer", .reference = "TR-1", .time_us = at ("2026-10-05T12:00:00Z") },
    };

    omni_store_record_movements (store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }
  {
    const OmniOrderLineSpec first[] = {
      { .variant_id = ids[0], .sku = "MUG-R", .title = "Mug - Red", .quantity = 2,
        .price = 1000 },
      { .variant_id = tee_id, .sku = "TEE", .title = "Tee", .quantity = 1, .price = 2500 },
    };
    const OmniOrderLineSpec second[] = {
      { .variant_id = ids[0], .sku = "MUG-R", .title = "Mug - Red", .quantity = 3,
        .price = 1000 },
    };
    const OmniOrderSpec orders[] = {
      { .remote_id = "#1001", .name = "#1001", .location_id = shop, .lines = first,
        .n_lines = 2, .placed_us = at ("2026-10-10T10:00:00Z") },
      { .remote_id = "#1002", .name = "#1002", .location_id = shop, .lines = second,
        .n_lines = 1, .placed_us = at ("2026-10-20T10:00:00Z") },
    };

    for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
      {
        g_assert_cmpint (omni_store_record_order (store, &orders[i], &error), >, 0);
        g_assert_no_error (error);
      }
  }
  {
    const OmniMovementSpec damaged = {
      .variant_id = ids[1], .location_id = shop, .on_hand_delta = -1,
      .reason = OMNI_REASON_DAMAGED, .time_us = at ("2026-11-02T10:00:00Z"),
    };

    omni_store_record_movements (store, &damaged, 1, &error);
    g_assert_no_error (error);
  }
}

static void
shop_set_up (Fixture       *fixture,
             gconstpointer  data)
{
  fixture_set_up (fixture, data);
  g_free (fixture->db);
  fixture->db = test_store_new_location (fixture->dir, "shop.db");
  make_shop (fixture->db);
}

static JsonObject *
report_json (Fixture            *fixture,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(CliResult) result = { 0 };

  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, fixture->db);
  g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, (gpointer) "report");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  run_cli_env (fixture, NULL, &result, (const char * const *) argv->pdata);
  assert_success (&result);
  return parse_json_object (result.out);
}

#define REPORT_JSON(fixture, ...) \
  report_json ((fixture), (const char * const[]) { __VA_ARGS__, NULL })

static JsonObject *
find_row (JsonObject *report,
          const char *member,
          const char *value)
{
  JsonArray *rows = json_object_get_array_member (report, "rows");

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (member_string (row, member), value) == 0)
        return row;
    }

  g_error ("No row with %s = %s", member, value);
  return NULL;
}

static guint
n_rows (JsonObject *report)
{
  return json_array_get_length (json_object_get_array_member (report, "rows"));
}

static void
test_valuation (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) now = REPORT_JSON (fixture, "valuation");
  g_autoptr(JsonObject) past = REPORT_JSON (fixture, "valuation", "--at", "2026-10-15");
  g_autoptr(JsonObject) back = REPORT_JSON (fixture, "valuation", "--location", "Back");
  JsonObject *totals, *row;

  g_assert_cmpstr (member_string (now, "report"), ==, "valuation");
  g_assert_cmpstr (member_string (now, "currency"), ==, "USD");
  g_assert_cmpuint (n_rows (now), ==, 3);
  row = find_row (now, "sku", "MUG-R");
  g_assert_cmpstr (member_string (row, "product"), ==, "Mug — Red");
  g_assert_cmpint (member_int (row, "quantity"), ==, 15);
  g_assert_cmpint (member_int (row, "cost_value_minor"), ==, 6000);
  g_assert_cmpint (member_int (row, "retail_value_minor"), ==, 15000);
  /* 15 + 9 + 7 units; 15×4 + 9×5 + 7×10 at cost; 15×10 + 9×12 + 7×25 at retail. */
  totals = json_object_get_object_member (now, "totals");
  g_assert_cmpint (member_int (totals, "quantity"), ==, 31);
  g_assert_cmpint (member_int (totals, "cost_value_minor"), ==, 17500);
  g_assert_cmpint (member_int (totals, "retail_value_minor"), ==, 43300);

  /* End of Oct 15: MUG-R 20 − 2, MUG-B 10, TEE 8 − 1. */
  totals = json_object_get_object_member (past, "totals");
  g_assert_cmpint (member_int (totals, "quantity"), ==, 35);
  g_assert_cmpint (member_int (totals, "cost_value_minor"), ==, 18 * 400 + 10 * 500 + 7 * 1000);
  g_assert_cmpint (member_int (totals, "retail_value_minor"), ==,
                   18 * 1000 + 10 * 1200 + 7 * 2500);
  g_assert_cmpint (member_int (find_row (past, "sku", "MUG-R"), "quantity"), ==, 18);

  /* Back holds only tees: 8 in, 3 out. */
  g_assert_cmpuint (n_rows (back), ==, 1);
  row = find_row (back, "sku", "TEE");
  g_assert_cmpstr (member_string (row, "location"), ==, "Back");
  g_assert_cmpint (member_int (row, "quantity"), ==, 5);
  totals = json_object_get_object_member (back, "totals");
  g_assert_cmpint (member_int (totals, "quantity"), ==, 5);
  g_assert_cmpint (member_int (totals, "cost_value_minor"), ==, 5000);
}

static void
test_sales (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JsonObject) variants = REPORT_JSON (fixture, "sales", "--from", "2026-10-01",
                                                "--to", "2026-10-31");
  g_autoptr(JsonObject) days = REPORT_JSON (fixture, "sales", "--from", "2026-10-01",
                                            "--to", "2026-10-31", "--group-by", "day");
  g_autoptr(JsonObject) late = REPORT_JSON (fixture, "sales", "--from", "2026-10-11",
                                            "--to", "2026-10-31", "--group-by", "product");
  JsonObject *row, *totals;

  g_assert_cmpuint (n_rows (variants), ==, 2);
  row = find_row (variants, "sku", "MUG-R");
  g_assert_cmpint (member_int (row, "units"), ==, 5);
  g_assert_cmpint (member_int (row, "orders"), ==, 2);
  g_assert_cmpint (member_int (row, "revenue_minor"), ==, 5000);
  row = find_row (variants, "sku", "TEE");
  g_assert_cmpint (member_int (row, "units"), ==, 1);
  g_assert_cmpint (member_int (row, "revenue_minor"), ==, 2500);
  totals = json_object_get_object_member (variants, "totals");
  g_assert_cmpint (member_int (totals, "units"), ==, 6);
  g_assert_cmpint (member_int (totals, "revenue_minor"), ==, 7500);
  /* Orders span variants: no total of them by variant. */
  g_assert_false (json_object_has_member (totals, "orders"));

  /* Every day of October, sales or not. */
  g_assert_cmpuint (n_rows (days), ==, 31);
  g_assert_cmpint (member_int (find_row (days, "day", "2026-10-10"), "units"), ==, 3);
  g_assert_cmpint (member_int (find_row (days, "day", "2026-10-20"), "revenue_minor"), ==, 3000);
  g_assert_cmpint (member_int (find_row (days, "day", "2026-10-11"), "units"), ==, 0);
  totals = json_object_get_object_member (days, "totals");
  g_assert_cmpint (member_int (totals, "orders"), ==, 2);

  /* From Oct 11 only #1002 counts. */
  g_assert_cmpuint (n_rows (late), ==, 1);
  totals = json_object_get_object_member (late, "totals");
  g_assert_cmpint (member_int (totals, "units"), ==, 3);
  g_assert_cmpint (member_int (totals, "revenue_minor"), ==, 3000);
}

static void
test_movements (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) day = REPORT_JSON (fixture, "movements", "--from", "2026-10-05",
                                           "--to", "2026-10-05");
  g_autoptr(JsonObject) back = REPORT_JSON (fixture, "movements", "--from", "2026-10-05",
                                            "--to", "2026-10-05", "--location", "Back");
  g_autoptr(JsonObject) damaged = REPORT_JSON (fixture, "movements", "--reason", "damaged");
  JsonObject *row;

  g_assert_cmpuint (n_rows (day), ==, 2);
  g_assert_cmpint (member_int (json_object_get_object_member (day, "totals"), "on_hand_delta"),
                   ==, 0);

  g_assert_cmpuint (n_rows (back), ==, 1);
  row = json_array_get_object_element (json_object_get_array_member (back, "rows"), 0);
  g_assert_cmpstr (member_string (row, "sku"), ==, "TEE");
  g_assert_cmpstr (member_string (row, "reason"), ==, "transfer");
  g_assert_cmpstr (member_string (row, "reference"), ==, "TR-1");
  g_assert_cmpint (member_int (row, "on_hand_delta"), ==, -3);
  g_assert_cmpint (member_int (json_object_get_object_member (back, "totals"),
                               "on_hand_delta"), ==, -3);

  g_assert_cmpuint (n_rows (damaged), ==, 1);
  row = json_array_get_object_element (json_object_get_array_member (damaged, "rows"), 0);
  g_assert_cmpstr (member_string (row, "sku"), ==, "MUG-B");
  g_assert_cmpstr (member_string (row, "time"), ==, "2026-11-02T10:00:00.000000Z");
}

static void
sell_recently (Fixture *fixture)
{
  g_autoptr(OmniStore) store = open_store (fixture->db);
  g_autoptr(GError) error = NULL;
  gint64 variant = omni_store_find_variant (store, "MUG-R", &error);
  gint64 shop = omni_store_find_location (store, "Shop", &error);
  const OmniMovementSpec sold = {
    .variant_id = variant, .location_id = shop, .on_hand_delta = -12,
    .reason = OMNI_REASON_SOLD, .time_us = g_get_real_time () - 2 * DAY_US,
  };

  g_assert_no_error (error);
  omni_store_record_movements (store, &sold, 1, &error);
  g_assert_no_error (error);
}

static void
test_reorder_and_low_stock (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) quiet = NULL;
  g_autoptr(JsonObject) reorder = NULL;
  g_autoptr(JsonObject) low = NULL;
  g_autoptr(JsonObject) slow = NULL;
  JsonObject *row;

  /* Nothing sold in the last 30 days and all above their points. */
  quiet = REPORT_JSON (fixture, "reorder");
  g_assert_cmpuint (n_rows (quiet), ==, 0);
  g_assert_cmpint (member_int (quiet, "row_count"), ==, 0);

  /* MUG-R: 12 sold two days ago leaves 3 ≤ point 5; 0.4 a day, 7.5 days
   * of cover; 5 − 3 + 12 = 14 to order, 14 × 4.00 = 56.00. */
  sell_recently (fixture);
  reorder = REPORT_JSON (fixture, "reorder");
  g_assert_cmpuint (n_rows (reorder), ==, 1);
  row = find_row (reorder, "sku", "MUG-R");
  g_assert_cmpint (member_int (row, "available"), ==, 3);
  g_assert_cmpint (member_int (row, "reorder_point"), ==, 5);
  g_assert_cmpint (member_int (row, "units_sold"), ==, 12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "days_of_cover"), 7.5,
                                  1e-9);
  g_assert_cmpint (member_int (row, "suggested"), ==, 14);
  g_assert_cmpint (member_int (row, "order_cost_minor"), ==, 5600);
  g_assert_cmpint (member_int (json_object_get_object_member (reorder, "totals"),
                               "order_cost_minor"), ==, 5600);

  low = REPORT_JSON (fixture, "low-stock");
  g_assert_cmpuint (n_rows (low), ==, 1);
  g_assert_cmpstr (member_string (find_row (low, "sku", "MUG-R"), "vendor"), ==, "Kiln");

  /* Unsold stock, most money tied up first: TEE 7 × 10.00, then MUG-B
   * 9 × 5.00; MUG-R sold and comes last. */
  slow = REPORT_JSON (fixture, "slow-movers", "--limit", "2");
  g_assert_cmpuint (n_rows (slow), ==, 2);
  row = json_array_get_object_element (json_object_get_array_member (slow, "rows"), 0);
  g_assert_cmpstr (member_string (row, "sku"), ==, "TEE");
  g_assert_cmpint (member_int (row, "cost_value_minor"), ==, 7000);
  row = json_array_get_object_element (json_object_get_array_member (slow, "rows"), 1);
  g_assert_cmpstr (member_string (row, "sku"), ==, "MUG-B");
  g_assert_true (member_is_null (row, "days_of_cover"));
}

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_auto(CliResult) saved = { 0 };
  g_autofree char *path = g_build_filename (fixture->dir, "sales.csv", NULL);
  g_autoptr(GBytes) bytes = NULL;
  const char *expected =
    "SKU,Product,Units,Orders,Revenue\r\n"
    "MUG-R,Mug — Red,5,2,50.00\r\n"
    "TEE,Tee,1,1,25.00\r\n";

  run_cli (fixture, &result, "--db", fixture->db, "report", "sales", "--from", "2026-10-01",
           "--to", "2026-10-31", "--format", "csv");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, expected);

  /* The file's ending chooses the format. */
  run_cli (fixture, &saved, "--db", fixture->db, "report", "sales", "--from", "2026-10-01",
           "--to", "2026-10-31", "-o", path);
  assert_success (&saved);
  g_assert_nonnull (strstr (saved.out, "2 rows"));
  bytes = read_file (path);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

static void
test_table (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "report", "valuation");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "Inventory Valuation\n"));
  g_assert_nonnull (strstr (result.out, "As of: Now\n"));
  /* The totals line: units, then the values at cost and at retail. */
  g_assert_nonnull (strstr (result.out, "\nTotal "));
  g_assert_nonnull (strstr (result.out, "175.00"));
  g_assert_nonnull (strstr (result.out, "433.00"));
}

/* Drawing text loads fontconfig, whose caches live for the process: under
 * the sanitizers the CLI needs the suppressions the tests run with. */
static GStrv
sanitizer_env (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *names[] = { "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);

      g_autofree char *pair = NULL;

      if (value == NULL)
        continue;
      /* The list of suppressions used would land on stderr. */
      pair = g_strconcat (names[i], "=", value,
                          g_str_equal (names[i], "LSAN_OPTIONS") ? ":print_suppressions=0" : "",
                          NULL);
      g_strv_builder_add (builder, pair);
    }
  return g_strv_builder_end (builder);
}

static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;
  const char *argv[] = { pdftotext, "-layout", path, "-", NULL };

  if (pdftotext == NULL)
    return NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static guint
count_substrings (const char *text,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_pdf (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_auto(CliResult) year = { 0 };
  g_autofree char *path = g_build_filename (fixture->dir, "sales.pdf", NULL);
  g_autofree char *long_path = g_build_filename (fixture->dir, "year.pdf", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *long_text = NULL;
  g_auto(GStrv) pages = NULL;
  g_auto(GStrv) env = sanitizer_env ();
  guint n_pages;

  run_cli_with_env (fixture, (const char * const *) env, &result, "--db", fixture->db, "--json",
                    "report", "sales", "--from", "2026-10-01", "--to", "2026-10-31",
                    "--format", "pdf", "--output", path);
  assert_success (&result);
  {
    g_autoptr(JsonObject) summary = parse_json_object (result.out);

    g_assert_cmpstr (member_string (summary, "format"), ==, "pdf");
    g_assert_cmpstr (member_string (summary, "output"), ==, path);
    g_assert_cmpint (member_int (summary, "row_count"), ==, 2);
  }
  bytes = read_file (path);
  g_assert_true (g_bytes_get_size (bytes) > 5);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 5, "%PDF-", 5);

  text = pdf_text (path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  g_assert_nonnull (strstr (text, "Sales"));
  g_assert_nonnull (strstr (text, "Dates: 2026-10-01 to 2026-10-31"));
  g_assert_true (g_regex_match_simple ("MUG-R +Mug — Red +5 +2 +50\\.00", text, 0, 0));
  g_assert_true (g_regex_match_simple ("TEE +Tee +1 +1 +25\\.00", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Total +6 +75\\.00", text, 0, 0));
  g_assert_nonnull (strstr (text, "Page 1 of 1"));

  /* A year by day runs over pages: the header on each, the totals once,
   * at the end. */
  run_cli_with_env (fixture, (const char * const *) env, &year, "--db", fixture->db, "report",
                    "sales", "--from", "2026-01-01", "--to", "2026-12-31", "--group-by", "day",
                    "-o", long_path);
  assert_success (&year);
  long_text = pdf_text (long_path);
  pages = g_strsplit (long_text, "\f", -1);
  n_pages = g_strv_length (pages) - 1;   /* pdftotext ends each page with \f */
  g_assert_cmpuint (n_pages, >, 1);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", i + 1, n_pages);

      g_assert_true (g_regex_match_simple ("Day +Units +Orders +Revenue", pages[i], 0, 0));
      g_assert_nonnull (strstr (pages[i], footer));
    }
  g_assert_nonnull (strstr (pages[0], "2026-01-01"));
  g_assert_nonnull (strstr (pages[n_pages - 1], "2026-12-31"));
  g_assert_cmpuint (count_substrings (long_text, "Total"), ==, 1);
  g_assert_true (g_regex_match_simple ("Total +6 +2 +75\\.00", pages[n_pages - 1], 0, 0));
  g_assert_cmpuint (count_substrings (long_text, "2026-10-10"), ==, 1);
}

static void
assert_refused (Fixture            *fixture,
                int                 status,
                const char         *message,
                const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(CliResult) result = { 0 };

  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, fixture->db);
  g_ptr_array_add (argv, (gpointer) "report");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  run_cli_env (fixture, NULL, &result, (const char * const *) argv->pdata);
  assert_failure (&result, status);
  g_assert_cmpstr (result.out, ==, "");
  if (strstr (result.err, message) == NULL)
    g_error ("Expected “%s” in: %s", message, result.err);
}

#define REFUSED(fixture, status, message, ...) \
  assert_refused ((fixture), (status), (message), (const char * const[]) { __VA_ARGS__, NULL })

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "never.pdf", NULL);

  REFUSED (fixture, 1, "use --at DATE", "valuation", "--from", "2026-10-01");
  REFUSED (fixture, 1, "--group-by must be variant, product, channel or day, not “week”",
           "sales", "--group-by", "week");
  REFUSED (fixture, 1, "--format must be table, csv or pdf, not “xml”",
           "sales", "--format", "xml");
  REFUSED (fixture, 1, "A PDF needs a file", "movements", "--format", "pdf");
  REFUSED (fixture, 1, "--location applies to the valuation and movements reports only",
           "sales", "--location", "Shop");
  REFUSED (fixture, 2, "not “2026-13-01”", "sales", "--from", "2026-13-01");
  REFUSED (fixture, 2, "The start (2026-10-31) is after the end", "sales",
           "--from", "2026-10-31", "--to", "2026-10-01");
  REFUSED (fixture, 2, "--limit must be a whole number", "slow-movers", "--limit", "0");
  REFUSED (fixture, 3, "Attic", "valuation", "--location", "Attic", "-o", path);
  /* Nothing half-written was left behind. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  REFUSED (fixture, 3, "no stock count", "count-variances");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/cli/report/" name, Fixture, NULL, shop_set_up, func, fixture_tear_down)

  ADD ("valuation", test_valuation);
  ADD ("sales", test_sales);
  ADD ("movements", test_movements);
  ADD ("reorder-and-low-stock", test_reorder_and_low_stock);
  ADD ("csv", test_csv);
  ADD ("table", test_table);
  ADD ("pdf", test_pdf);
  ADD ("refusals", test_refusals);

#undef ADD

  return g_test_run ();
}
