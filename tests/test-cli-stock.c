/* test-cli-stock.c: stock, adjust, set, transfer, undo, history, alerts,
 * locations and settings from omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include "omni-store-inventory.h"
#include "omni-store-staff.h"
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

/* A shop with two locations and one tee in two sizes:
 *   TEE-S  cost 500, reorder point 3; Back room 4 on hand, 1 committed;
 *          Shop floor 2 on hand
 *   TEE-M  no stock
 * Movements 1–3: received 4 (Back room), received 2 (Shop floor),
 * committed 1 (Back room).
 */
static void
make_shop (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Linen Tee", .option_names = { "Size" } };
  const OmniVariantSpec variants[] = {
    { .sku = "TEE-S", .options = { "S" }, .price = 1250, .compare_at_price = -1,
      .cost = 500, .reorder_point = 3, .reorder_qty = -1 },
    { .sku = "TEE-M", .options = { "M" }, .price = 1250, .compare_at_price = -1,
      .cost = 500, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[2];
  gint64 back = omni_store_add_location (store, "Back room", TRUE, &error);
  gint64 floor = omni_store_add_location (store, "Shop floor", FALSE, &error);

  g_assert_no_error (error);
  omni_store_create_product (store, &product, variants, 2, ids, &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec movements[] = {
      { .variant_id = ids[0], .location_id = back, .on_hand_delta = 4,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = ids[0], .location_id = floor, .on_hand_delta = 2,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = ids[0], .location_id = back, .committed_delta = 1,
        .reason = OMNI_REASON_COMMITTED, .source = "test" },
    };

    omni_store_record_movements (store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }
}

static const char * const alice[] = { "OMNISTOCK_ACTOR=alice", NULL };

static char *
stock_json (Fixture    *fixture,
            const char *sku)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "--json", "stock", sku);
  assert_success (&result);
  return g_steal_pointer (&result.out);
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

/* stock --------------------------------------------------------------- */

static void
test_stock (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(CliResult) text = { 0 };
  g_auto(CliResult) empty = { 0 };
  g_autofree char *json = NULL;

  make_shop (fixture->db);

  json = stock_json (fixture, "TEE-S");
  g_assert_cmpstr (json, ==,
                   "{\"sku\":\"TEE-S\",\"variant_id\":1,\"title\":\"Linen Tee\",\"options\":\"S\","
                   "\"barcode\":null,\"on_hand\":6,\"committed\":1,\"available\":5,"
                   "\"reorder_point\":3,\"locations\":["
                   "{\"location\":\"Back room\",\"location_id\":1,\"default\":true,"
                   "\"on_hand\":4,\"committed\":1,\"available\":3},"
                   "{\"location\":\"Shop floor\",\"location_id\":2,\"default\":false,"
                   "\"on_hand\":2,\"committed\":0,\"available\":2}]}\n");

  run_cli (fixture, &text, "--db", fixture->db, "stock", "TEE-S");
  assert_success (&text);
  g_assert_cmpstr (text.out, ==,
                   "TEE-S  Linen Tee (S)\n"
                   "\n"
                   "Location    On hand  Committed  Available\n"
                   "Back room         4          1          3\n"
                   "Shop floor        2          0          2\n"
                   "Total             6          1          5\n");

  /* Every active location is listed, stocked or not. */
  run_cli (fixture, &empty, "--db", fixture->db, "stock", "TEE-M");
  assert_success (&empty);
  g_assert_cmpstr (empty.out, ==,
                   "TEE-M  Linen Tee (M)\n"
                   "\n"
                   "Location    On hand  Committed  Available\n"
                   "Back room         0          0          0\n"
                   "Shop floor        0          0          0\n"
                   "Total             0          0          0\n");
}

/* adjust, set, transfer and the history they leave -------------------- */

static JsonObject *
run_write (Fixture            *fixture,
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
  return parse_json_object (result.out);
}

#define write_json(fixture, ...) \
  run_write ((fixture), (const char * const[]) { __VA_ARGS__, NULL })

static void
assert_movement (JsonObject *m,
                 gint64      id,
                 const char *location,
                 gint64      delta,
                 gint64      balance,
                 const char *reason,
                 const char *actor)
{
  g_autoptr(GDateTime) time = NULL;
  const char *text;

  g_assert_cmpint (member_int (m, "id"), ==, id);
  g_assert_cmpstr (member_string (m, "location"), ==, location);
  g_assert_cmpint (member_int (m, "delta"), ==, delta);
  g_assert_cmpint (member_int (m, "balance"), ==, balance);
  g_assert_cmpstr (member_string (m, "reason"), ==, reason);
  g_assert_cmpstr (member_string (m, "actor"), ==, actor);

  /* UTC, to the microsecond: "2026-03-01T09:30:12.123456Z". */
  text = member_string (m, "time");
  g_assert_cmpuint (strlen (text), ==, 27);
  g_assert_true (g_str_has_suffix (text, "Z"));
  time = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (time);
}

static void
test_adjust_set_transfer (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) adjust = NULL;
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonObject) unchanged = NULL;
  g_autoptr(JsonArray) history = NULL;
  g_autofree char *stock = NULL;
  g_auto(CliResult) result = { 0 };
  JsonObject *leg;

  make_shop (fixture->db);

  /* The default location, a reason and a note. */
  adjust = write_json (fixture, "adjust", "TEE-S", "-1", "--reason", "sold", "--note", "till 2");
  g_assert_cmpuint (strlen (member_string (adjust, "operation")), ==, 36);
  g_assert_cmpstr (member_string (adjust, "sku"), ==, "TEE-S");
  g_assert_cmpstr (member_string (adjust, "location"), ==, "Back room");
  g_assert_cmpstr (member_string (adjust, "reason"), ==, "sold");
  g_assert_cmpint (member_int (adjust, "delta"), ==, -1);
  g_assert_cmpint (member_int (adjust, "on_hand_before"), ==, 4);
  g_assert_cmpint (member_int (adjust, "on_hand"), ==, 3);
  g_assert_cmpint (member_int (adjust, "committed"), ==, 1);
  g_assert_cmpint (member_int (adjust, "available"), ==, 2);

  set = write_json (fixture, "set", "TEE-S", "10", "--location", "Shop floor",
                    "--reason", "received");
  g_assert_cmpint (member_int (set, "delta"), ==, 8);
  g_assert_cmpint (member_int (set, "on_hand_before"), ==, 2);
  g_assert_cmpint (member_int (set, "on_hand"), ==, 10);
  g_assert_cmpstr (member_string (set, "location"), ==, "Shop floor");

  transfer = write_json (fixture, "transfer", "TEE-S", "3", "--from", "Shop floor",
                         "--to", "Back room", "--note", "restock");
  g_assert_cmpint (member_int (transfer, "quantity"), ==, 3);
  leg = json_object_get_object_member (transfer, "from");
  g_assert_cmpstr (member_string (leg, "location"), ==, "Shop floor");
  g_assert_cmpint (member_int (leg, "on_hand_before"), ==, 10);
  g_assert_cmpint (member_int (leg, "on_hand"), ==, 7);
  leg = json_object_get_object_member (transfer, "to");
  g_assert_cmpstr (member_string (leg, "location"), ==, "Back room");
  g_assert_cmpint (member_int (leg, "on_hand_before"), ==, 3);
  g_assert_cmpint (member_int (leg, "on_hand"), ==, 6);
  g_assert_cmpint (member_int (leg, "available"), ==, 5);

  /* Setting what is already there records nothing, so there is nothing to undo. */
  unchanged = write_json (fixture, "set", "TEE-S", "6");
  g_assert_true (member_is_null (unchanged, "operation"));
  g_assert_cmpint (member_int (unchanged, "delta"), ==, 0);
  g_assert_cmpint (member_int (unchanged, "on_hand"), ==, 6);

  stock = stock_json (fixture, "TEE-S");
  g_assert_nonnull (strstr (stock, "\"on_hand\":13,\"committed\":1,\"available\":12,"));

  run_cli (fixture, &result, "--db", fixture->db, "--json", "history", "TEE-S");
  assert_success (&result);
  history = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (history), ==, 7);
  /* Newest first, each with the balance at its location after it. */
  assert_movement (json_array_get_object_element (history, 0), 7, "Back room", 3, 6,
                   "transfer", "alice");
  assert_movement (json_array_get_object_element (history, 1), 6, "Shop floor", -3, 7,
                   "transfer", "alice");
  assert_movement (json_array_get_object_element (history, 2), 5, "Shop floor", 8, 10,
                   "received", "alice");
  assert_movement (json_array_get_object_element (history, 3), 4, "Back room", -1, 3,
                   "sold", "alice");
  assert_movement (json_array_get_object_element (history, 4), 3, "Back room", 0, 4,
                   "committed", g_get_user_name ());
  assert_movement (json_array_get_object_element (history, 6), 1, "Back room", 4, 4,
                   "received", g_get_user_name ());
  g_assert_cmpint (member_int (json_array_get_object_element (history, 4), "committed_delta"),
                   ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (history, 3), "note"), ==,
                   "till 2");
  g_assert_cmpstr (member_string (json_array_get_object_element (history, 0), "note"), ==,
                   "restock");
  g_assert_cmpstr (member_string (json_array_get_object_element (history, 3), "operation"), ==,
                   member_string (adjust, "operation"));
  /* Both legs of the transfer are one operation. */
  g_assert_cmpstr (member_string (json_array_get_object_element (history, 0), "operation"), ==,
                   member_string (transfer, "operation"));
  g_assert_cmpstr (member_string (json_array_get_object_element (history, 1), "operation"), ==,
                   member_string (transfer, "operation"));
  g_assert_cmpstr (member_string (json_array_get_object_element (history, 1), "source"), ==,
                   "cli");
}

static void
test_adjust_text (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_auto(GStrv) lines = NULL;

  make_shop (fixture->db);

  /* After "--" a negative number cannot be taken for an option either. */
  run_cli (fixture, &result, "--db", fixture->db, "adjust", "TEE-S", "--", "-2");
  assert_success (&result);
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, "TEE-S at Back room: on hand 4 → 2 (-2, correction)");
  g_assert_true (g_str_has_prefix (lines[1], "Operation: "));
  g_assert_cmpuint (strlen (lines[1]), ==, strlen ("Operation: ") + 36);
  g_assert_cmpstr (lines[2], ==, "");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "set", "TEE-S", "2");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "TEE-S at Back room: on hand stays 2; nothing changed.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "transfer", "TEE-S", "1", "--to", "Back room",
           "--from", "Shop floor");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "Moved 1 × TEE-S from Shop floor (on hand 2 → 1) "
                                   "to Back room (2 → 3)\nOperation: "));
}

static void
test_history_filters (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct {
    const char *args[4];
    const char *ids;
  } cases[] = {
    { { NULL }, "5 4 3 2 1" },
    { { "--reason", "received" }, "4 2 1" },
    { { "--location", "Shop floor" }, "4 2" },
    { { "--limit", "2" }, "5 4" },
    { { "--from", "TODAY" }, "5 4 3 2 1" },
    { { "--to", "TODAY" }, "5 4 3 2 1" },
    { { "--to", "YESTERDAY" }, "" },
    { { "--from", "TOMORROW" }, "" },
    { { "--from", "2000-01-01T00:00:00+02:00" }, "5 4 3 2 1" },
    { { "--to", "2000-01-01T00:00:00Z" }, "" },
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *today_text = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *yesterday_text = g_date_time_format (yesterday, "%Y-%m-%d");
  g_autofree char *tomorrow_text = g_date_time_format (tomorrow, "%Y-%m-%d");
  g_autoptr(JsonObject) added = NULL;

  make_shop (fixture->db);
  added = write_json (fixture, "adjust", "TEE-S", "2", "--location", "Shop floor",
                      "--reason", "received");
  g_clear_pointer (&added, json_object_unref);
  added = write_json (fixture, "adjust", "TEE-S", "-1", "--reason", "damaged");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autoptr(GString) ids = g_string_new (NULL);
      g_autoptr(JsonArray) history = NULL;
      g_auto(GStrv) args = NULL;
      g_auto(CliResult) result = { 0 };

      g_strv_builder_add_many (builder, "--db", fixture->db, "--json", "history", "TEE-S", NULL);
      for (guint j = 0; j < 4 && cases[i].args[j] != NULL; j++)
        {
          const char *arg = cases[i].args[j];

          g_strv_builder_add (builder, g_str_equal (arg, "TODAY") ? today_text
                                       : g_str_equal (arg, "YESTERDAY") ? yesterday_text
                                       : g_str_equal (arg, "TOMORROW") ? tomorrow_text
                                       : arg);
        }
      args = g_strv_builder_end (builder);

      run_cli_env (fixture, NULL, &result, (const char * const *) args);
      assert_success (&result);
      history = parse_json_array (result.out);
      for (guint j = 0; j < json_array_get_length (history); j++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, j > 0 ? " " : "",
                                member_int (json_array_get_object_element (history, j), "id"));
      g_assert_cmpstr (ids->str, ==, cases[i].ids);
    }
}

static void
test_history_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct {
    const char *option;
    const char *value;
    int         status;
    const char *message;
  } cases[] = {
    { "--from", "2026-02-30", 2, "--from must be a date such as 2026-03-01 or an ISO 8601 time "
      "such as 2026-03-01T09:30:00Z, not “2026-02-30”" },
    { "--to", "yesterday", 2, "--to must be a date such as 2026-03-01 or an ISO 8601 time "
      "such as 2026-03-01T09:30:00Z, not “yesterday”" },
    { "--from", "2026-03-01T25:00:00Z", 2, "--from must be a date such as 2026-03-01 or an "
      "ISO 8601 time such as 2026-03-01T09:30:00Z, not “2026-03-01T25:00:00Z”" },
    { "--reason", "stolen", 2, "--reason must be one of received, sold, returned, damaged, lost, "
      "count, correction, import, sync, transfer, committed, released, not “stolen”" },
    { "--limit", "0", 2, "--limit must be a whole number from 1 to 2147483647, not “0”" },
    { "--location", "Attic", 3, "There is no location named “Attic”" },
  };
  g_auto(CliResult) result = { 0 };

  make_shop (fixture->db);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) refused = { 0 };
      g_autofree char *expected = g_strdup_printf ("omnistock-cli: %s.\n", cases[i].message);

      run_cli (fixture, &refused, "--db", fixture->db, "--json", "history", "TEE-S",
               cases[i].option, cases[i].value);
      assert_failure (&refused, cases[i].status);
      g_assert_cmpstr (refused.err, ==, expected);
    }

  run_cli (fixture, &result, "--db", fixture->db, "history", "TEE-S",
           "--from", "2026-03-02", "--to", "2026-03-01");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: --from 2026-03-02 is not before --to 2026-03-01.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "history", "TEE-XL");
  assert_failure (&result, 3);
}

/* undo ---------------------------------------------------------------- */

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonObject) undo = NULL;
  g_autoptr(JsonObject) received = NULL;
  g_autoptr(JsonObject) sold = NULL;
  g_auto(CliResult) result = { 0 };
  const char *operation;

  make_shop (fixture->db);
  before = stock_json (fixture, "TEE-S");

  /* Both legs of a transfer come back. */
  transfer = write_json (fixture, "transfer", "TEE-S", "2", "--from", "Shop floor",
                         "--to", "Back room");
  operation = member_string (transfer, "operation");
  undo = write_json (fixture, "undo", operation);
  g_assert_cmpstr (member_string (undo, "undone"), ==, operation);
  expected = g_strconcat ("undo:", operation, NULL);
  g_assert_cmpstr (member_string (undo, "operation"), ==, expected);
  after = stock_json (fixture, "TEE-S");
  g_assert_cmpstr (after, ==, before);

  run_cli (fixture, &result, "--db", fixture->db, "undo", operation);
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: This change has already been undone.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "undo", "no-such-operation");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: There is no change “no-such-operation” to undo.\n");
  cli_result_clear (&result);

  /* Undoing a delivery that has since been sold would go below zero. */
  received = write_json (fixture, "adjust", "TEE-S", "5", "--reason", "received",
                         "--location", "Shop floor");
  sold = write_json (fixture, "adjust", "TEE-S", "-6", "--reason", "sold",
                     "--location", "Shop floor");
  g_clear_pointer (&after, g_free);
  after = stock_json (fixture, "TEE-S");
  run_cli (fixture, &result, "--db", fixture->db, "undo", member_string (received, "operation"));
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: Not enough stock: TEE-S at Shop floor has 1 available, and "
                   "taking 5 would leave -4; negative stock is not allowed in Preferences.\n");
  g_clear_pointer (&before, g_free);
  before = stock_json (fixture, "TEE-S");
  g_assert_cmpstr (before, ==, after);
}

/* Refusals: nothing changes --------------------------------------------- */

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  static const struct {
    const char *args[8];
    int         status;
    const char *message;
  } cases[] = {
    { { "adjust", "TEE-S", "-4" }, 2, "Not enough stock: TEE-S at Back room has 3 available, and "
      "taking 4 would leave -1; negative stock is not allowed in Preferences" },
    { { "set", "TEE-S", "0" }, 2, "Not enough stock: TEE-S at Back room has 3 available, and "
      "taking 4 would leave -1; negative stock is not allowed in Preferences" },
    { { "transfer", "TEE-S", "3", "--from", "Shop floor", "--to", "Back room" }, 2,
      "Not enough stock: TEE-S at Shop floor has 2 available, and taking 3 would leave -1; "
      "negative stock is not allowed in Preferences" },
    { { "transfer", "TEE-S", "1", "--from", "Shop floor", "--to", "Shop floor" }, 2,
      "A transfer needs two different locations" },
    { { "adjust", "TEE-XL", "1" }, 3, "No active variant has the SKU or barcode “TEE-XL”" },
    { { "set", "TEE-XL", "1" }, 3, "No active variant has the SKU or barcode “TEE-XL”" },
    { { "stock", "TEE-XL" }, 3, "No active variant has the SKU or barcode “TEE-XL”" },
    { { "transfer", "TEE-XL", "1", "--from", "Shop floor", "--to", "Back room" }, 3,
      "No active variant has the SKU or barcode “TEE-XL”" },
    { { "adjust", "TEE-S", "1", "--location", "Attic" }, 3, "There is no location named “Attic”" },
    { { "adjust", "TEE-S", "12x" }, 2,
      "DELTA must be a whole number from -1000000000 to 1000000000, not “12x”" },
    { { "adjust", "TEE-S", "" }, 2,
      "DELTA must be a whole number from -1000000000 to 1000000000, not “”" },
    { { "adjust", "TEE-S", "1.5" }, 2,
      "DELTA must be a whole number from -1000000000 to 1000000000, not “1.5”" },
    { { "adjust", "TEE-S", "99999999999999999999" }, 2,
      "DELTA must be a whole number from -1000000000 to 1000000000, not “99999999999999999999”" },
    { { "set", "TEE-S", "-1" }, 2,
      "QUANTITY must be a whole number from 0 to 1000000000, not “-1”" },
    { { "transfer", "TEE-S", "0", "--from", "Shop floor", "--to", "Back room" }, 2,
      "QTY must be a whole number from 1 to 1000000000, not “0”" },
    { { "adjust", "TEE-S", "1", "--reason", "transfer" }, 2, "--reason must be one of "
      "correction, received, sold, returned, damaged, lost, not “transfer”" },
  };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 movements;

  make_shop (fixture->db);
  before = stock_json (fixture, "TEE-S");
  movements = count_movements (fixture->db);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autofree char *expected = g_strdup_printf ("omnistock-cli: %s.\n", cases[i].message);
      g_auto(GStrv) args = NULL;
      g_auto(CliResult) result = { 0 };

      g_strv_builder_add_many (builder, "--db", fixture->db, "--json", NULL);
      for (guint j = 0; cases[i].args[j] != NULL; j++)
        g_strv_builder_add (builder, cases[i].args[j]);
      args = g_strv_builder_end (builder);

      run_cli_env (fixture, alice, &result, (const char * const *) args);
      assert_failure (&result, cases[i].status);
      g_assert_cmpstr (result.err, ==, expected);
    }

  after = stock_json (fixture, "TEE-S");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count_movements (fixture->db), ==, movements);
}

/* Where the shop allows it, stock may go below zero. */
static void
test_allow_negative (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonObject) adjust = NULL;

  make_shop (fixture->db);

  run_cli (fixture, &result, "--db", fixture->db, "settings", "set", "allow_negative_stock", "1");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "allow_negative_stock is now “1”.\n");

  adjust = write_json (fixture, "adjust", "TEE-S", "-5", "--reason", "sold");
  g_assert_cmpint (member_int (adjust, "on_hand"), ==, -1);
  g_assert_cmpint (member_int (adjust, "available"), ==, -2);
}

/* alerts -------------------------------------------------------------- */

static void
test_alerts (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonArray) alerts = NULL;
  g_autoptr(JsonObject) adjust = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *alert;

  make_shop (fixture->db);

  run_cli (fixture, &result, "--db", fixture->db, "alerts");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "No variant is at or below its reorder point.\n");
  cli_result_clear (&result);

  /* Available 5 → 2, at or below the reorder point of 3. */
  adjust = write_json (fixture, "adjust", "TEE-S", "-3", "--reason", "damaged");

  run_cli (fixture, &result, "--db", fixture->db, "--json", "alerts", "--new");
  assert_success (&result);
  alerts = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
  alert = json_array_get_object_element (alerts, 0);
  g_assert_cmpstr (member_string (alert, "sku"), ==, "TEE-S");
  g_assert_cmpstr (member_string (alert, "title"), ==, "Linen Tee");
  g_assert_cmpint (member_int (alert, "available"), ==, 2);
  g_assert_cmpint (member_int (alert, "reorder_point"), ==, 3);
  g_assert_false (member_boolean (alert, "notified"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "alerts");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "SKU    Title      Available  Reorder point  "
                                   "Since (UTC)\nTEE-S  Linen Tee          2              3  "));
  cli_result_clear (&result);

  /* Once notified, an alert is no longer new. */
  store = open_store (fixture->db);
  omni_store_mark_alert_notified (store, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "alerts", "--new");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "[]\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "alerts");
  assert_success (&result);
  g_clear_pointer (&alerts, json_array_unref);
  alerts = parse_json_array (result.out);
  g_assert_true (member_boolean (json_array_get_object_element (alerts, 0), "notified"));
}

/* locations and settings ---------------------------------------------- */

static void
test_locations (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonObject) json = NULL;

  run_cli (fixture, &result, "--db", fixture->db, "location", "add", "Back room");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Added location “Back room” (id 1), the default.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "location", "add", "Shop floor");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Added location “Shop floor” (id 2).\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "location", "add", "Cellar",
           "--default");
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpint (member_int (json, "id"), ==, 3);
  g_assert_cmpstr (member_string (json, "location"), ==, "Cellar");
  g_assert_true (member_boolean (json, "default"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "location", "add", "Cellar");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: A location named “Cellar” already exists.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "location", "add", "");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: Location name is required and cannot be empty.\n");
}

/* Staff profiles from the CLI: the PIN read from stdin and kept only as
 * its hash; every refusal says why and adds nobody. */
static void
staff_names (Fixture *fixture,
             GString *names)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonArray) staff = NULL;

  run_cli (fixture, &result, "--db", fixture->db, "--json", "staff", "list");
  assert_success (&result);
  staff = parse_json_array (result.out);
  g_string_truncate (names, 0);
  for (guint i = 0; i < json_array_get_length (staff); i++)
    g_string_append_printf (names, "%s%s", i ? "|" : "",
                            member_string (json_array_get_object_element (staff, i), "name"));
}

static void
test_staff (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(JsonObject) olga = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "staff", "list");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "No staff profiles: changes name the account that made them.\n");
  cli_result_clear (&result);

  run_cli_stdin (fixture, "2468\n", &result, "--db", fixture->db, "--json", "staff", "add", "Olga",
                 "--role", "owner", "--pin");
  assert_success (&result);
  olga = parse_json_object (result.out);
  g_assert_cmpstr (member_string (olga, "name"), ==, "Olga");
  g_assert_cmpstr (member_string (olga, "role"), ==, "owner");
  g_assert_true (member_boolean (olga, "pin"));
  g_assert_null (strstr (result.out, "2468"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "staff", "add", "Bo & Cy");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Added staff profile “Bo & Cy” (staff).\n");
  cli_result_clear (&result);

  /* Refused, and nobody added: a name taken, an unknown role, a PIN that
   * is not 4 to 12 digits, a PIN asked for and not given. */
  run_cli (fixture, &result, "--db", fixture->db, "staff", "add", "Olga");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: A staff profile named “Olga” already exists.\n");
  cli_result_clear (&result);
  run_cli (fixture, &result, "--db", fixture->db, "staff", "add", "Xy", "--role", "boss");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: staff add: --role must be owner or staff, "
                                   "not “boss”.\n");
  cli_result_clear (&result);
  run_cli_stdin (fixture, "12\n", &result, "--db", fixture->db, "staff", "add", "Zed", "--pin");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: A PIN is 4 to 12 digits.\n");
  cli_result_clear (&result);
  run_cli_stdin (fixture, "", &result, "--db", fixture->db, "staff", "add", "Zed", "--pin");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "the PIN must be given on stdin"));
  cli_result_clear (&result);
  staff_names (fixture, names);
  g_assert_cmpstr (names->str, ==, "Olga|Bo & Cy");

  /* The store holds the PIN's hash, which checks. */
  store = open_store (fixture->db);
  g_assert_true (omni_store_check_pin (store, member_int (olga, "id"), "2468", &error));
  g_assert_no_error (error);
  g_assert_false (omni_store_check_pin (store, member_int (olga, "id"), "2469", NULL));
  g_clear_object (&store);

  run_cli (fixture, &result, "--db", fixture->db, "staff", "archive", "Bo & Cy");
  assert_success (&result);
  cli_result_clear (&result);
  run_cli (fixture, &result, "--db", fixture->db, "staff", "archive", "Nobody");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: there is no staff profile “Nobody”.\n");
  staff_names (fixture, names);
  g_assert_cmpstr (names->str, ==, "Olga");
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "settings", "get", "currency");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "USD\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "settings", "get",
           "default_reorder_point");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "{\"key\":\"default_reorder_point\",\"value\":null}\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "settings", "set", "currency", "JPY");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "{\"key\":\"currency\",\"value\":\"JPY\"}\n");
  cli_result_clear (&result);

  /* Prices are read in the shop currency: yen have no decimals. */
  run_cli (fixture, &result, "--db", fixture->db, "product", "add", "--title", "Mug",
           "--price", "12.5");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: --price: “12.5” has decimals, but JPY "
                   "amounts are whole numbers.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "settings", "set", "currency", "yen");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: Currency must be a three-letter ISO 4217 "
                   "code such as USD or EUR, not “yen”.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "settings", "set", "default_reorder_point",
           "-2");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: The default reorder point must be a whole "
                   "number from 0 to 1000000, not “-2”.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "settings", "get", "colour");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: KEY must be one of currency, "
                   "allow_negative_stock, default_reorder_point, not “colour”.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "settings", "get", "currency");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "JPY\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/cli-stock/" name, Fixture, NULL, store_set_up, func, fixture_tear_down)

  ADD ("stock", test_stock);
  ADD ("adjust-set-transfer", test_adjust_set_transfer);
  ADD ("adjust-text", test_adjust_text);
  ADD ("history-filters", test_history_filters);
  ADD ("history-refused", test_history_refused);
  ADD ("undo", test_undo);
  ADD ("refusals", test_refusals);
  ADD ("allow-negative", test_allow_negative);
  ADD ("alerts", test_alerts);
  ADD ("locations", test_locations);
  ADD ("settings", test_settings);
  ADD ("staff", test_staff);

#undef ADD

  return g_test_run ();
}
