/* test-cli-purchasing.c: supplier and po commands of omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-inventory.h"
#include "omni-store-purchasing.h"
#include "test-cli-util.h"

#define DAY_US ((gint64)24 * 3600 * G_USEC_PER_SEC)

/* A shop with one location and two variants:
 *   JAR  cost 10.00, reorder point 6; received 50 60 days ago, sold 45 over
 *        the last 30 days (15 at 3, 10 and 20 days ago) → available 5,
 *        1.5 a day
 *   LID  cost 2.00, no reorder point; received 12, sold 10 five days ago
 *        → available 2, 1/3 a day
 */
static void
make_shop (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Stoneware", .option_names = { "Item" } };
  const OmniVariantSpec variants[] = {
    { .sku = "JAR", .barcode = "4006381333931", .options = { "Jar" }, .price = 2400,
      .compare_at_price = -1, .cost = 1000, .reorder_point = 6, .reorder_qty = -1 },
    { .sku = "LID", .options = { "Lid" }, .price = 600, .compare_at_price = -1,
      .cost = 200, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[2];
  gint64 shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  gint64 now = g_get_real_time ();

  g_assert_no_error (error);
  omni_store_create_product (store, &product, variants, 2, ids, &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec movements[] = {
      { .variant_id = ids[0], .location_id = shop, .on_hand_delta = 50,
        .reason = OMNI_REASON_RECEIVED, .source = "test", .time_us = now - 60 * DAY_US },
      { .variant_id = ids[0], .location_id = shop, .on_hand_delta = -15,
        .reason = OMNI_REASON_SOLD, .source = "test", .time_us = now - 20 * DAY_US },
      { .variant_id = ids[0], .location_id = shop, .on_hand_delta = -15,
        .reason = OMNI_REASON_SOLD, .source = "test", .time_us = now - 10 * DAY_US },
      { .variant_id = ids[0], .location_id = shop, .on_hand_delta = -15,
        .reason = OMNI_REASON_SOLD, .source = "test", .time_us = now - 3 * DAY_US },
      { .variant_id = ids[1], .location_id = shop, .on_hand_delta = 12,
        .reason = OMNI_REASON_RECEIVED, .source = "test", .time_us = now - 60 * DAY_US },
      { .variant_id = ids[1], .location_id = shop, .on_hand_delta = -10,
        .reason = OMNI_REASON_SOLD, .source = "test", .time_us = now - 5 * DAY_US },
    };

    omni_store_record_movements (store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }
}

static const char * const alice[] = { "OMNISTOCK_ACTOR=alice", NULL };

static JsonNode *
run_json (Fixture            *fixture,
          const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(CliResult) result = { 0 };

  g_strv_builder_add_many (builder, "--db", fixture->db, "--json", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  run_cli_env (fixture, alice, &result, (const char * const *) argv);
  assert_success (&result);
  return parse_json (result.out);
}

#define cli_json(fixture, ...) \
  run_json ((fixture), (const char * const[]) { __VA_ARGS__, NULL })

static void
assert_refused (Fixture            *fixture,
                int                 status,
                const char         *message,
                const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(CliResult) result = { 0 };

  g_strv_builder_add_many (builder, "--db", fixture->db, NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  run_cli_env (fixture, alice, &result, (const char * const *) argv);
  assert_failure (&result, status);
  if (message != NULL && strstr (result.err, message) == NULL)
    g_error ("expected “%s” in stderr, got: %s", message, result.err);
}

#define refused(fixture, status, message, ...) \
  assert_refused ((fixture), (status), (message), (const char * const[]) { __VA_ARGS__, NULL })

static JsonObject *
line_of (JsonObject *order,
         guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (order, "lines"), index);
}

static void
set_up_suppliers (Fixture *fixture)
{
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) linked = NULL;
  g_autoptr(JsonNode) lid = NULL;
  JsonObject *o;

  make_shop (fixture->db);
  added = cli_json (fixture, "supplier", "add", "Fernwood Pottery", "--lead-time", "10",
                    "--contact", "orders@fernwood.example");
  o = json_node_get_object (added);
  g_assert_cmpstr (member_string (o, "name"), ==, "Fernwood Pottery");
  g_assert_cmpstr (member_string (o, "currency"), ==, "USD");
  g_assert_cmpint (member_int (o, "lead_time_days"), ==, 10);

  linked = cli_json (fixture, "supplier", "link", "Fernwood Pottery", "JAR", "--cost", "9.00",
                     "--moq", "24", "--multiple", "12", "--supplier-sku", "FW-J", "--preferred");
  o = json_node_get_object (linked);
  g_assert_cmpint (member_int (o, "unit_cost_minor"), ==, 900);
  g_assert_true (member_boolean (o, "preferred"));
  lid = cli_json (fixture, "supplier", "link", "fernwood pottery", "LID", "--cost", "1.50",
                  "--multiple", "6");
  g_assert_cmpint (member_int (json_node_get_object (lid), "order_multiple"), ==, 6);
}

static void
test_suppliers (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;
  g_auto(CliResult) text = { 0 };
  JsonObject *s;

  set_up_suppliers (fixture);

  /* Refusals change nothing. */
  refused (fixture, 3, "already exists", "supplier", "add", "FERNWOOD POTTERY");
  refused (fixture, 2, "lead time", "supplier", "add", "Kiln", "--lead-time", "999");
  refused (fixture, 2, "currency", "supplier", "add", "Kiln", "--currency", "dollars");
  refused (fixture, 3, "No supplier", "supplier", "link", "Nobody", "JAR", "--cost", "1");
  refused (fixture, 1, "--cost", "supplier", "link", "Fernwood Pottery", "JAR");
  refused (fixture, 2, "minimum order", "supplier", "link", "Fernwood Pottery", "JAR",
           "--cost", "1", "--moq", "0");

  list = cli_json (fixture, "supplier", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  s = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (member_string (s, "name"), ==, "Fernwood Pottery");
  g_assert_cmpstr (member_string (s, "contact"), ==, "orders@fernwood.example");
  g_assert_cmpint (member_int (s, "variants"), ==, 2);
  g_assert_cmpint (member_int (s, "open_orders"), ==, 0);

  run_cli (fixture, &text, "--db", fixture->db, "supplier", "list");
  assert_success (&text);
  g_assert_nonnull (strstr (text.out, "Fernwood Pottery"));
  g_assert_nonnull (strstr (text.out, "orders@fernwood.example"));
}

static void
test_suggest (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_auto(CliResult) text = { 0 };
  JsonArray *rows;
  JsonObject *jar, *lid;

  set_up_suppliers (fixture);

  /* Window 30, safety 4, lead 10:
   *   JAR ⌈1.5 × 14⌉ = 21 + reorder point 6 = 27 − 5 = 22 → MOQ 24
   *   LID ⌈10 × 14 ÷ 30⌉ = 5 − 2 = 3 → multiple 6 */
  node = cli_json (fixture, "po", "suggest", "--supplier", "Fernwood Pottery", "--safety", "4");
  g_assert_cmpint (member_int (json_node_get_object (node), "window_days"), ==, 30);
  rows = json_object_get_array_member (json_node_get_object (node), "suggestions");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  jar = json_array_get_object_element (rows, 0);
  lid = json_array_get_object_element (rows, 1);
  g_assert_cmpstr (member_string (jar, "sku"), ==, "JAR");
  g_assert_cmpint (member_int (jar, "units_sold"), ==, 45);
  g_assert_cmpint (member_int (jar, "target"), ==, 27);
  g_assert_cmpint (member_int (jar, "suggested"), ==, 24);
  g_assert_cmpint (member_int (jar, "unit_cost_minor"), ==, 900);
  g_assert_cmpstr (member_string (jar, "supplier_sku"), ==, "FW-J");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (jar, "daily_sales"), 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (jar, "days_of_cover"), 3.3, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (jar, "days_of_cover_after"),
                                  19.3, 1e-9);
  g_assert_cmpstr (member_string (lid, "sku"), ==, "LID");
  g_assert_cmpint (member_int (lid, "suggested"), ==, 6);
  g_assert_true (member_is_null (lid, "reorder_point"));

  /* A week's safety (the default): JAR ⌈1.5 × 17⌉ = 26 + 6 − 5 = 27 → 36. */
  none = cli_json (fixture, "po", "suggest");
  rows = json_object_get_array_member (json_node_get_object (none), "suggestions");
  g_assert_cmpint (member_int (json_array_get_object_element (rows, 0), "suggested"), ==, 36);

  refused (fixture, 3, "No supplier", "po", "suggest", "--supplier", "Nobody");
  refused (fixture, 2, "--window", "po", "suggest", "--window", "0");

  run_cli (fixture, &text, "--db", fixture->db, "po", "suggest", "--safety", "4");
  assert_success (&text);
  g_assert_nonnull (strstr (text.out, "JAR"));
  g_assert_nonnull (strstr (text.out, "9.00"));
}

static gint64
count_movements (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  g_auto(OmniStoreStats) stats = { 0 };

  omni_store_get_stats (store, &stats, &error);
  g_assert_no_error (error);
  return stats.movements;
}

static void
test_create_receive (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) ordered = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) stock = NULL;
  g_autoptr(JsonNode) open = NULL;
  g_auto(CliResult) check = { 0 };
  g_auto(CliResult) over = { 0 };
  JsonObject *o;
  gint64 movements;

  set_up_suppliers (fixture);

  /* From the suggestions (JAR 24, LID 6), the lid line edited to 12 at 1.40. */
  created = cli_json (fixture, "po", "create", "--supplier", "Fernwood Pottery",
                      "--from-suggestions", "--safety", "4", "--line", "LID:12:1.40",
                      "--note", "Back door");
  o = json_node_get_object (created);
  g_assert_cmpstr (member_string (o, "number"), ==, "PO-00001");
  g_assert_cmpstr (member_string (o, "status"), ==, "draft");
  g_assert_cmpstr (member_string (o, "created_by"), ==, "alice");
  g_assert_cmpstr (member_string (o, "note"), ==, "Back door");
  g_assert_cmpint (member_int (o, "units_ordered"), ==, 36);
  g_assert_cmpint (member_int (o, "total_minor"), ==, 24 * 900 + 12 * 140);
  g_assert_cmpstr (member_string (line_of (o, 0), "sku"), ==, "JAR");
  g_assert_cmpint (member_int (line_of (o, 0), "quantity"), ==, 24);
  g_assert_cmpint (member_int (line_of (o, 1), "quantity"), ==, 12);
  g_assert_cmpint (member_int (line_of (o, 1), "unit_cost_minor"), ==, 140);

  movements = count_movements (fixture->db);
  refused (fixture, 2, "mark it ordered first", "po", "receive", "PO-00001", "JAR", "1");
  refused (fixture, 1, "--supplier", "po", "create", "--line", "JAR:1");
  refused (fixture, 3, "NOPE", "po", "create", "--supplier", "Fernwood Pottery",
           "--line", "NOPE:1");
  refused (fixture, 2, "QTY", "po", "create", "--supplier", "Fernwood Pottery",
           "--line", "JAR:0");
  refused (fixture, 3, "No purchase order", "po", "show", "PO-00042");
  g_assert_cmpint (count_movements (fixture->db), ==, movements);

  ordered = cli_json (fixture, "po", "order", "PO-00001");
  g_assert_cmpstr (member_string (json_node_get_object (ordered), "status"), ==, "ordered");

  /* Incoming now counts: nothing more is suggested for the jar. */
  {
    g_autoptr(JsonNode) again = cli_json (fixture, "po", "suggest", "--safety", "4");
    JsonArray *rows = json_object_get_array_member (json_node_get_object (again), "suggestions");

    g_assert_cmpuint (json_array_get_length (rows), ==, 0);
  }

  /* Part of the jars, then a scan-sized one by barcode. */
  first = cli_json (fixture, "po", "receive", "PO-00001", "JAR", "10");
  o = json_node_get_object (first);
  g_assert_cmpstr (member_string (o, "status"), ==, "partially_received");
  g_assert_cmpint (member_int (o, "received"), ==, 10);
  g_assert_cmpint (member_int (o, "over_received"), ==, 0);
  second = cli_json (fixture, "po", "receive", "1", "4006381333931", "1");
  g_assert_cmpint (member_int (json_node_get_object (second), "units_received"), ==, 11);

  stock = cli_json (fixture, "stock", "JAR");
  g_assert_cmpint (member_int (json_node_get_object (stock), "on_hand"), ==, 5 + 11);

  /* Bad receipts change nothing. */
  movements = count_movements (fixture->db);
  refused (fixture, 2, "QTY", "po", "receive", "PO-00001", "JAR", "0");
  refused (fixture, 3, NULL, "po", "receive", "PO-00001", "NOPE", "1");
  refused (fixture, 1, NULL, "po", "receive", "PO-00001", "JAR");
  refused (fixture, 3, NULL, "po", "receive", "PO-00001", "JAR", "1", "--location", "Attic");
  g_assert_cmpint (count_movements (fixture->db), ==, movements);

  /* Over-receipt is allowed, with a warning. */
  run_cli_with_env (fixture, alice, &over, "--db", fixture->db, "--json", "po", "receive",
                    "PO-00001", "LID", "15");
  assert_success (&over);
  {
    g_autoptr(JsonObject) r = parse_json_object (over.out);

    g_assert_cmpint (member_int (r, "over_received"), ==, 3);
    g_assert_cmpstr (member_string (r, "status"), ==, "partially_received");
  }
  {
    g_auto(CliResult) warned = { 0 };

    run_cli (fixture, &warned, "--db", fixture->db, "po", "receive", "PO-00001", "LID", "1");
    assert_success (&warned);
    g_assert_nonnull (strstr (warned.out, "Warning: 1 more than ordered received on PO-00001"));
  }

  open = cli_json (fixture, "po", "receive", "PO-00001", "--all");
  o = json_node_get_object (open);
  g_assert_cmpstr (member_string (o, "status"), ==, "received");
  g_assert_cmpint (member_int (o, "received"), ==, 13);

  shown = cli_json (fixture, "po", "show", "PO-00001");
  o = json_node_get_object (shown);
  g_assert_cmpstr (member_string (o, "status"), ==, "received");
  g_assert_false (member_is_null (o, "closed_at"));
  g_assert_cmpint (member_int (line_of (o, 0), "received"), ==, 24);
  g_assert_cmpint (member_int (line_of (o, 1), "received"), ==, 16);
  refused (fixture, 2, "closed", "po", "receive", "PO-00001", "JAR", "1");
  refused (fixture, 2, NULL, "po", "cancel", "PO-00001");

  /* The ledger still adds up. */
  run_cli (fixture, &check, "--db", fixture->db, "check");
  assert_success (&check);
}

static void
test_list_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) cancelled = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) drafts = NULL;

  set_up_suppliers (fixture);
  a = cli_json (fixture, "po", "create", "--supplier", "Fernwood Pottery", "--line", "JAR:5",
                "--order");
  g_assert_cmpstr (member_string (json_node_get_object (a), "status"), ==, "ordered");
  /* No cost given: the supplier's. */
  g_assert_cmpint (member_int (line_of (json_node_get_object (a), 0), "unit_cost_minor"), ==, 900);
  b = cli_json (fixture, "po", "create", "--supplier", "Fernwood Pottery", "--line", "LID:6");

  cancelled = cli_json (fixture, "po", "cancel", "PO-00001");
  g_assert_cmpstr (member_string (json_node_get_object (cancelled), "status"), ==, "cancelled");

  all = cli_json (fixture, "po", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (all)), ==, 2);
  g_assert_cmpstr (member_string (json_array_get_object_element (json_node_get_array (all), 0),
                                  "number"), ==, "PO-00002");
  drafts = cli_json (fixture, "po", "list", "--status", "draft");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (drafts)), ==, 1);
  refused (fixture, 2, "status", "po", "list", "--status", "shipped");
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) pdf = NULL;
  g_autofree char *csv_path = g_build_filename (fixture->dir, "po.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (fixture->dir, "po.pdf", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_auto(CliResult) wrote = { 0 };

  set_up_suppliers (fixture);
  created = cli_json (fixture, "po", "create", "--supplier", "Fernwood Pottery",
                      "--line", "JAR:24", "--line", "LID:12:1.40");

  run_cli (fixture, &wrote, "--db", fixture->db, "po", "export", "PO-00001",
           "--format", "csv", "--output", csv_path);
  assert_success (&wrote);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_cmpstr (csv, ==,
                   "SKU,Supplier SKU,Item,Quantity,Unit Cost,Line Total,Received\r\n"
                   "JAR,FW-J,Stoneware — Jar,24,9.00,216.00,0\r\n"
                   "LID,,Stoneware — Lid,12,1.40,16.80,0\r\n");

  pdf = cli_json (fixture, "po", "export", "PO-00001", "--output", pdf_path);
  g_assert_cmpstr (member_string (json_node_get_object (pdf), "format"), ==, "pdf");
  g_assert_cmpint (member_int (json_node_get_object (pdf), "lines_count"), ==, 2);

  {
    g_autofree char *head = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (pdf_path, &head, &length, NULL));
    g_assert_cmpuint (length, >, 1000);
    g_assert_true (g_str_has_prefix (head, "%PDF-"));
  }

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext is not installed: the PDF's text is not read back");
      return;
    }
  {
    const char *argv[] = { pdftotext, "-layout", pdf_path, "-", NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, &text, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
  }
  g_assert_nonnull (strstr (text, "Purchase Order PO-00001"));
  g_assert_nonnull (strstr (text, "Fernwood Pottery"));
  g_assert_nonnull (strstr (text, "orders@fernwood.example"));
  g_assert_nonnull (strstr (text, "FW-J"));
  g_assert_nonnull (strstr (text, "Stoneware — Lid"));
  g_assert_nonnull (strstr (text, "216.00"));
  g_assert_nonnull (strstr (text, "232.80"));

  refused (fixture, 1, "--output", "po", "export", "PO-00001");
  refused (fixture, 1, "csv or pdf", "po", "export", "PO-00001", "--output", "x.txt");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/cli-purchasing/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("suppliers", test_suppliers);
  ADD ("suggest", test_suggest);
  ADD ("create-receive", test_create_receive);
  ADD ("list-cancel", test_list_cancel);
  ADD ("export", test_export);

#undef ADD

  return g_test_run ();
}
