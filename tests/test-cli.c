/* test-cli.c: omnistock-cli as scripts see it — exit statuses, stdout, stderr
 *
 * The commands that act on the database as a whole (init, stats, check,
 * demo), usage errors and help. test-cli-util.c runs the binary; the other
 * test-cli-*.c files cover the catalog, stock and count commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"
#define _GNU_SOURCE   /* dladdr() */

#include "config.h"

#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "omni-store.h"
#include "test-cli-util.h"

/* A small shop: one product with two variants at one location.
 *   TEE-S  cost 250  price 500   on hand 4  reorder point 5 (so low stock)
 *   TEE-M  cost 1000 price 1999  on hand 3  no reorder point
 * Stock value 4 × 250 + 3 × 1000 = 4000; retail 4 × 500 + 3 × 1999 = 7997.
 */
typedef struct
{
  gint64 location_id;
  gint64 variant_ids[2];
} Shop;

static void
make_shop (const char *path,
           Shop       *shop)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = {
    .title = "Linen tee",
    .option_names = { "Size" },
  };
  const OmniVariantSpec variants[] = {
    { .sku = "TEE-S", .options = { "S" }, .price = 500, .compare_at_price = -1,
      .cost = 250, .reorder_point = 5, .reorder_qty = -1 },
    { .sku = "TEE-M", .options = { "M" }, .price = 1999, .compare_at_price = -1,
      .cost = 1000, .reorder_point = -1, .reorder_qty = -1 },
  };

  store = omni_store_open (path, &error);
  g_assert_no_error (error);

  shop->location_id = omni_store_add_location (store, "Back room", TRUE, &error);
  g_assert_no_error (error);
  omni_store_create_product (store, &product, variants, G_N_ELEMENTS (variants),
                             shop->variant_ids, &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec movements[] = {
      { .variant_id = shop->variant_ids[0], .location_id = shop->location_id,
        .on_hand_delta = 4, .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = shop->variant_ids[1], .location_id = shop->location_id,
        .on_hand_delta = 3, .reason = OMNI_REASON_RECEIVED, .source = "test" },
    };

    omni_store_record_movements (store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }
}

static void
set_currency (const char *path,
              const char *currency)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  omni_store_set_setting (store, "currency", currency, &error);
  g_assert_no_error (error);
}

/* Changes the file behind the store's back, as a bug or a hand edit would. */
static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
assert_file_unchanged (const char *path,
                       GBytes     *before)
{
  g_autoptr(GBytes) after = read_file (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* init ---------------------------------------------------------------- */

static void
test_init (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(CliResult) first = { 0 };
  g_auto(CliResult) again = { 0 };
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);

  run_cli (fixture, &first, "--db", fixture->db, "init");
  assert_success (&first);
  expected = g_strdup_printf ("Database ready at %s (schema version %d)\n",
                              fixture->db, omni_store_get_latest_schema_version ());
  g_assert_cmpstr (first.out, ==, expected);
  g_assert_true (g_file_test (fixture->db, G_FILE_TEST_IS_REGULAR));

  /* Again, on the existing file, with the global option after the command. */
  run_cli (fixture, &again, "init", "--json", "--db", fixture->db);
  assert_success (&again);
  json = parse_json_object (again.out);
  g_assert_cmpstr (member_string (json, "path"), ==, fixture->db);
  g_assert_cmpint (member_int (json, "schema_version"), ==,
                   omni_store_get_latest_schema_version ());
  g_assert_false (member_boolean (json, "created"));

  cli_result_clear (&again);
  g_clear_pointer (&json, json_object_unref);
  run_cli (fixture, &again, "--json", "--db", other, "init");
  assert_success (&again);
  json = parse_json_object (again.out);
  g_assert_true (member_boolean (json, "created"));
  g_assert_cmpint (member_int (json, "schema_version"), ==,
                   omni_store_get_latest_schema_version ());
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_REGULAR));
}

/* stats --------------------------------------------------------------- */

static void
test_stats_empty (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(CliResult) before = { 0 };
  g_auto(CliResult) after = { 0 };
  g_autoptr(JsonObject) json = NULL;

  run_cli (fixture, &before, "--json", "--db", fixture->db, "stats");
  assert_success (&before);
  json = parse_json_object (before.out);
  g_assert_cmpint (member_int (json, "products"), ==, 0);
  g_assert_cmpint (member_int (json, "variants"), ==, 0);
  g_assert_cmpint (member_int (json, "units_on_hand"), ==, 0);
  g_assert_cmpint (member_int (json, "stock_value_minor"), ==, 0);
  g_assert_cmpstr (member_string (json, "currency"), ==, "USD");
  g_assert_cmpint (member_int (json, "schema_version"), ==,
                   omni_store_get_latest_schema_version ());

  /* --json works on either side of the command, with the same result. */
  run_cli (fixture, &after, "stats", "--db", fixture->db, "--json");
  assert_success (&after);
  g_assert_cmpstr (after.out, ==, before.out);
}

static void
test_stats_shop (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(CliResult) json_run = { 0 };
  g_auto(CliResult) text_run = { 0 };
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *expected = NULL;
  Shop shop;

  make_shop (fixture->db, &shop);

  run_cli (fixture, &json_run, "--db", fixture->db, "--json", "stats");
  assert_success (&json_run);
  json = parse_json_object (json_run.out);
  g_assert_cmpstr (member_string (json, "path"), ==, fixture->db);
  g_assert_cmpint (member_int (json, "products"), ==, 1);
  g_assert_cmpint (member_int (json, "variants"), ==, 2);
  g_assert_cmpint (member_int (json, "locations"), ==, 1);
  g_assert_cmpint (member_int (json, "units_on_hand"), ==, 7);
  g_assert_cmpint (member_int (json, "stock_value_minor"), ==, 4000);
  g_assert_cmpint (member_int (json, "retail_value_minor"), ==, 7997);
  g_assert_cmpstr (member_string (json, "currency"), ==, "USD");
  g_assert_cmpint (member_int (json, "low_stock"), ==, 1);
  g_assert_cmpint (member_int (json, "out_of_stock"), ==, 0);
  g_assert_cmpint (member_int (json, "movements"), ==, 2);
  g_assert_cmpint (member_int (json, "orders"), ==, 0);
  g_assert_cmpint (member_int (json, "pending_outbox"), ==, 0);

  run_cli (fixture, &text_run, "--db", fixture->db, "stats");
  assert_success (&text_run);
  expected = g_strdup_printf ("Database        %s\n"
                              "Products        1\n"
                              "Variants        2\n"
                              "Locations       1\n"
                              "Units on hand   7\n"
                              "Stock value     40.00 USD\n"
                              "Retail value    79.97 USD\n"
                              "Low stock       1\n"
                              "Out of stock    0\n"
                              "Movements       2\n"
                              "Orders          0\n"
                              "Pending pushes  0\n"
                              "Schema version  %d\n",
                              fixture->db, omni_store_get_latest_schema_version ());
  g_assert_cmpstr (text_run.out, ==, expected);
}

static char *
stats_line (Fixture    *fixture,
            const char *label)
{
  g_auto(CliResult) result = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (fixture, &result, "--db", fixture->db, "stats");
  assert_success (&result);
  lines = g_strsplit (result.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], label))
        return g_strdup (lines[i]);
    }

  g_assert_not_reached ();
  return NULL;
}

/* Minor units follow ISO 4217: no decimals for yen, three for dinars. */
static void
test_stats_currency (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *currency;
    const char *stock_value;
    const char *retail_value;
  } cases[] = {
    { "JPY", "Stock value     4000 JPY", "Retail value    7997 JPY" },
    { "KRW", "Stock value     4000 KRW", "Retail value    7997 KRW" },
    { "BHD", "Stock value     4.000 BHD", "Retail value    7.997 BHD" },
    { "KWD", "Stock value     4.000 KWD", "Retail value    7.997 KWD" },
    { "EUR", "Stock value     40.00 EUR", "Retail value    79.97 EUR" },
  };
  Shop shop;

  make_shop (fixture->db, &shop);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *stock_value = NULL;
      g_autofree char *retail_value = NULL;

      set_currency (fixture->db, cases[i].currency);
      stock_value = stats_line (fixture, "Stock value");
      retail_value = stats_line (fixture, "Retail value");
      g_assert_cmpstr (stock_value, ==, cases[i].stock_value);
      g_assert_cmpstr (retail_value, ==, cases[i].retail_value);
    }
}

/* check --------------------------------------------------------------- */

static void
test_check_ok (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(CliResult) text_run = { 0 };
  g_auto(CliResult) json_run = { 0 };
  g_autoptr(JsonObject) json = NULL;
  Shop shop;

  make_shop (fixture->db, &shop);

  run_cli (fixture, &text_run, "--db", fixture->db, "check");
  assert_success (&text_run);
  g_assert_cmpstr (text_run.out, ==, "integrity: ok\nledger: ok (2 levels checked)\n");

  run_cli (fixture, &json_run, "check", "--json", "--db", fixture->db);
  assert_success (&json_run);
  json = parse_json_object (json_run.out);
  g_assert_cmpstr (member_string (json, "integrity"), ==, "ok");
  g_assert_true (member_boolean (json, "ledger_ok"));
  g_assert_cmpint (member_int (json, "levels_checked"), ==, 2);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (json, "mismatches")),
                   ==, 0);
}

static void
test_check_mismatch (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(CliResult) text_run = { 0 };
  g_auto(CliResult) json_run = { 0 };
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *summary = NULL;
  JsonArray *mismatches;
  JsonObject *mismatch;
  Shop shop;

  make_shop (fixture->db, &shop);
  sql = g_strdup_printf ("UPDATE stock_levels SET on_hand = on_hand + 5"
                         " WHERE variant_id = %" G_GINT64_FORMAT, shop.variant_ids[0]);
  exec_sql (fixture->db, sql);

  run_cli (fixture, &text_run, "--db", fixture->db, "check");
  g_assert_cmpint (text_run.status, ==, 3);
  /* The level no longer matches its movements, nor the variant's total. */
  g_assert_cmpstr (text_run.out, ==,
                   "integrity: ok\n"
                   "ledger: SKU TEE-S in total: on hand 4 (variant total) vs 9 (sum of levels), "
                   "committed 0 (variant total) vs 0 (sum of levels)\n"
                   "ledger: SKU TEE-S at Back room: on hand 9 (level) vs 4 (ledger), "
                   "committed 0 (level) vs 0 (ledger)\n");
  summary = g_strdup_printf ("omnistock-cli: in “%s”, 2 stock figures disagree with the "
                             "ledger.\n", fixture->db);
  g_assert_cmpstr (text_run.err, ==, summary);

  /* The report is the result, so --json still prints it when exiting with 3. */
  run_cli (fixture, &json_run, "--db", fixture->db, "--json", "check");
  g_assert_cmpint (json_run.status, ==, 3);
  g_assert_cmpstr (json_run.err, ==, summary);
  json = parse_json_object (json_run.out);
  g_assert_cmpstr (member_string (json, "integrity"), ==, "ok");
  g_assert_false (member_boolean (json, "ledger_ok"));
  mismatches = json_object_get_array_member (json, "mismatches");
  g_assert_cmpint (json_array_get_length (mismatches), ==, 2);

  mismatch = json_array_get_object_element (mismatches, 0);
  g_assert_cmpstr (member_string (mismatch, "kind"), ==, "total");
  g_assert_cmpstr (member_string (mismatch, "sku"), ==, "TEE-S");
  g_assert_cmpint (member_int (mismatch, "variant_id"), ==, shop.variant_ids[0]);
  g_assert_cmpint (member_int (mismatch, "location_id"), ==, 0);
  g_assert_cmpint (member_int (mismatch, "level_on_hand"), ==, 4);
  g_assert_cmpint (member_int (mismatch, "ledger_on_hand"), ==, 9);

  mismatch = json_array_get_object_element (mismatches, 1);
  g_assert_cmpstr (member_string (mismatch, "kind"), ==, "level");
  g_assert_cmpstr (member_string (mismatch, "sku"), ==, "TEE-S");
  g_assert_cmpstr (member_string (mismatch, "location"), ==, "Back room");
  g_assert_cmpint (member_int (mismatch, "variant_id"), ==, shop.variant_ids[0]);
  g_assert_cmpint (member_int (mismatch, "location_id"), ==, shop.location_id);
  g_assert_cmpint (member_int (mismatch, "level_on_hand"), ==, 9);
  g_assert_cmpint (member_int (mismatch, "ledger_on_hand"), ==, 4);
  g_assert_cmpint (member_int (mismatch, "level_committed"), ==, 0);
  g_assert_cmpint (member_int (mismatch, "ledger_committed"), ==, 0);
}

/* An index that no longer matches its table: the file opens, but SQLite's
 * integrity check reports the damage.
 */
static void
test_check_damaged (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(CliResult) text_run = { 0 };
  g_auto(CliResult) json_run = { 0 };
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *summary = NULL;
  Shop shop;

  make_shop (fixture->db, &shop);
  exec_sql (fixture->db,
            "PRAGMA writable_schema = ON;"
            "UPDATE sqlite_schema SET sql = 'CREATE INDEX products_vendor ON products (title)'"
            " WHERE name = 'products_vendor';");

  run_cli (fixture, &text_run, "--db", fixture->db, "check");
  g_assert_cmpint (text_run.status, ==, 3);
  g_assert_true (g_str_has_prefix (text_run.out, "integrity: "));
  g_assert_false (g_str_has_prefix (text_run.out, "integrity: ok\n"));
  g_assert_nonnull (strstr (text_run.out, "products_vendor"));
  /* The stock itself still adds up, and says so. */
  g_assert_true (g_str_has_suffix (text_run.out, "\nledger: ok (2 levels checked)\n"));
  summary = g_strdup_printf ("omnistock-cli: the database “%s” is damaged: SQLite’s integrity "
                             "check found problems.\n", fixture->db);
  g_assert_cmpstr (text_run.err, ==, summary);

  run_cli (fixture, &json_run, "--db", fixture->db, "--json", "check");
  g_assert_cmpint (json_run.status, ==, 3);
  g_assert_cmpstr (json_run.err, ==, summary);
  json = parse_json_object (json_run.out);
  g_assert_nonnull (strstr (member_string (json, "integrity"), "products_vendor"));
  g_assert_true (member_boolean (json, "ledger_ok"));
}

/* Usage errors -------------------------------------------------------- */

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "frobnicate");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: unknown command “frobnicate”; "
                   "run “omnistock-cli --help” to see the commands.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db);
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "no command"));
  cli_result_clear (&result);

  /* A missing argument: the value of --db, before or after the command. */
  run_cli (fixture, &result, "stats", "--db");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "--db"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "--db"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "stats", "extra");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: unexpected argument “extra” after “stats”.\n");
  cli_result_clear (&result);

  /* After "--" everything is an argument, even what looks like an option. */
  run_cli (fixture, &result, "--db", fixture->db, "stats", "--", "--json");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: unexpected argument “--json” after “stats”.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--bogus", "--db", fixture->db, "stats");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "--bogus"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "check", "--bogus");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: check: Unknown option --bogus.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "demo", "--seed", "many");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "many"));
  cli_result_clear (&result);

  /* Commands of two words: the group alone, or an unknown second word. */
  run_cli (fixture, &result, "--db", fixture->db, "product");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: “product” needs a command: list, show, add, "
                   "archive, duplicate, edit-variant.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "count", "begin", "--json");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: unknown command “count begin”; the count "
                   "commands are start, scan, set, remove, link, show, commit, cancel, list.\n");
  cli_result_clear (&result);

  /* A negative number is an argument; anything else with a dash is an option. */
  run_cli (fixture, &result, "--db", fixture->db, "adjust", "TEE-S", "-x");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: adjust: Unknown option -x.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "adjust", "TEE-S", "-3", "-5");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: unexpected argument “-5” after “adjust”.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "transfer", "TEE-S", "1", "--from", "A");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: transfer needs both --from and --to.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "demo", "--seed", "-1");
  assert_failure (&result, 1);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: demo: --seed must be between 0 and 4294967295, not -1.\n");

  /* None of these touched the database. */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

static void
test_help_version (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const commands[] = {
    "init", "stats", "check", "demo", "search QUERY", "product list", "product add",
    "product show SKU|HANDLE", "product edit-variant SKU", "stock SKU", "adjust SKU DELTA",
    "set SKU QUANTITY", "transfer SKU QTY", "undo OPERATION", "history SKU", "alerts",
    "location add NAME", "settings get KEY", "settings set KEY VALUE", "count start",
    "count scan SESSION CODE [QUANTITY]", "count show SESSION", "count commit SESSION",
    "count cancel SESSION", "count list",
  };
  g_auto(CliResult) help = { 0 };
  g_auto(CliResult) version = { 0 };
  g_auto(CliResult) command_help = { 0 };

  run_cli (fixture, &help, "--help");
  assert_success (&help);
  g_assert_true (g_str_has_prefix (help.out, "Usage:\n  omnistock-cli [OPTION…] COMMAND"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *row = g_strdup_printf ("\n  %s ", commands[i]);

      g_assert_nonnull (strstr (help.out, row));
    }
  g_assert_nonnull (strstr (help.out, "--json"));
  g_assert_nonnull (strstr (help.out, "Exit status:"));

  run_cli (fixture, &version, "--version");
  assert_success (&version);
  g_assert_cmpstr (version.out, ==, "omnistock-cli " PACKAGE_VERSION "\n");

  run_cli (fixture, &command_help, "demo", "--help");
  assert_success (&command_help);
  g_assert_true (g_str_has_prefix (command_help.out, "Usage:\n  omnistock-cli demo [OPTION…]\n"));
  g_assert_nonnull (strstr (command_help.out, "--seed=N"));
  cli_result_clear (&command_help);

  /* A command of a group: its words and arguments, then its options. */
  run_cli (fixture, &command_help, "count", "scan", "--help");
  assert_success (&command_help);
  g_assert_true (g_str_has_prefix (command_help.out,
                                   "Usage:\n  omnistock-cli count scan SESSION CODE [QUANTITY] "
                                   "[OPTION…]\n"));
  cli_result_clear (&command_help);

  /* A group lists its commands. */
  run_cli (fixture, &command_help, "count", "--help");
  assert_success (&command_help);
  g_assert_true (g_str_has_prefix (command_help.out,
                                   "Usage:\n  omnistock-cli count COMMAND [ARGS…]\n\n"
                                   "Commands:\n  count start "));
  g_assert_nonnull (strstr (command_help.out, "\n  count commit SESSION "));
  g_assert_null (strstr (command_help.out, "product"));

  /* Help opens no database. */
  g_assert_false (g_file_test (fixture->xdg_data, G_FILE_TEST_EXISTS));
}

/* Invalid input ------------------------------------------------------- */

static void
test_not_a_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  const char * const commands[] = { "init", "stats", "check", "demo" };

  g_file_set_contents (path, "Order more tees before the summer sale.\n", -1, &error);
  g_assert_no_error (error);
  before = read_file (path);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CliResult) result = { 0 };

      run_cli (fixture, &result, "--json", "--db", path, commands[i]);
      assert_failure (&result, 2);
      /* It says where. */
      g_assert_nonnull (strstr (result.err, path));
      assert_file_unchanged (path, before);
    }
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) before = NULL;
  g_autofree char *sql = NULL;
  const char * const commands[] = { "init", "stats", "check", "demo" };
  Shop shop;

  make_shop (fixture->db, &shop);
  sql = g_strdup_printf ("PRAGMA user_version = %d", omni_store_get_latest_schema_version () + 1);
  exec_sql (fixture->db, sql);
  before = read_file (fixture->db);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CliResult) result = { 0 };

      run_cli (fixture, &result, "--db", fixture->db, commands[i], "--json");
      assert_failure (&result, 2);
      g_assert_nonnull (strstr (result.err, "newer version"));
      g_assert_nonnull (strstr (result.err, fixture->db));
      assert_file_unchanged (fixture->db, before);
    }
}

/* A PostgreSQL store on a machine whose libpq cannot be loaded: the
 * library is opened only when such a store is (src/core/omni-pq.c). A
 * file that is not a library, then a library without libpq's functions
 * (GLib's own, under libpq's name), each first in the search path: the
 * command fails as a store that cannot be opened, says why, and never
 * repeats the password in the URI. */
static void
test_no_libpq (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *lib_dir = g_build_filename (fixture->dir, "lib", NULL);
  g_autofree char *fake = g_build_filename (lib_dir, "libpq.so.5", NULL);
  g_autofree char *search_path = g_strconcat ("LD_LIBRARY_PATH=", lib_dir, NULL);
  const char * const env[] = { search_path, NULL };
  const char *uri = "postgresql://omnistock:pq-secret-7@127.0.0.1:1/shop";
  g_autoptr(GError) error = NULL;
  Dl_info glib_info = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (lib_dir, 0700), ==, 0);
  g_file_set_contents (fake, "not a shared library\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dladdr ((void *) g_main_loop_new, &glib_info), !=, 0);
  g_assert_nonnull (glib_info.dli_fname);

  for (guint round = 0; round < 2; round++)
    {
      g_auto(CliResult) result = { 0 };

      if (round == 1)
        {
          g_assert_cmpint (g_unlink (fake), ==, 0);
          g_assert_cmpint (symlink (glib_info.dli_fname, fake), ==, 0);
        }
      run_cli_with_env (fixture, env, &result, "--db", uri, "stats");
      assert_failure (&result, 2);
      g_assert_nonnull (strstr (result.err, "PostgreSQL stores need libpq (libpq.so.5), "
                                            "which could not be loaded: "));
      if (round == 1)
        g_assert_nonnull (strstr (result.err, "libpq.so.5 has no PQ"));
      g_assert_null (strstr (result.err, "pq-secret-7"));
      g_assert_cmpstr (result.out, ==, "");
    }
}

/* Where the database is ----------------------------------------------- */

static void
test_db_precedence (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *from_env = g_build_filename (fixture->dir, "env.db", NULL);
  g_autofree char *from_xdg = g_build_filename (fixture->xdg_data, "omnistock", "omnistock.db",
                                                NULL);
  g_autofree char *env_var = g_strconcat ("OMNISTOCK_DB=", from_env, NULL);
  const char * const env[] = { env_var, NULL };
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonObject) json = NULL;

  /* --db beats $OMNISTOCK_DB... */
  run_cli_with_env (fixture, env, &result, "--json", "--db", fixture->db, "init");
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpstr (member_string (json, "path"), ==, fixture->db);
  g_assert_true (g_file_test (fixture->db, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (from_env, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (from_xdg, G_FILE_TEST_EXISTS));
  cli_result_clear (&result);
  g_clear_pointer (&json, json_object_unref);

  /* ...which beats $XDG_DATA_HOME... */
  run_cli_with_env (fixture, env, &result, "--json", "init");
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpstr (member_string (json, "path"), ==, from_env);
  g_assert_true (member_boolean (json, "created"));
  g_assert_true (g_file_test (from_env, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (from_xdg, G_FILE_TEST_EXISTS));
  cli_result_clear (&result);
  g_clear_pointer (&json, json_object_unref);

  /* ...which is the default, folder created as needed. */
  run_cli (fixture, &result, "--json", "init");
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpstr (member_string (json, "path"), ==, from_xdg);
  g_assert_true (member_boolean (json, "created"));
  g_assert_true (g_file_test (from_xdg, G_FILE_TEST_IS_REGULAR));
}

/* demo ---------------------------------------------------------------- */

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(CliResult) demo = { 0 };
  g_auto(CliResult) stats = { 0 };
  g_auto(CliResult) again = { 0 };
  g_auto(CliResult) stats_again = { 0 };
  g_auto(CliResult) check = { 0 };
  g_autoptr(JsonObject) demo_json = NULL;
  g_autoptr(JsonObject) stats_json = NULL;
  g_autofree char *refusal = NULL;

  run_cli (fixture, &demo, "--db", fixture->db, "--json", "demo");
  assert_success (&demo);
  demo_json = parse_json_object (demo.out);
  g_assert_cmpint (member_int (demo_json, "products"), >, 0);

  run_cli (fixture, &stats, "--db", fixture->db, "--json", "stats");
  assert_success (&stats);
  stats_json = parse_json_object (stats.out);
  g_assert_cmpint (member_int (stats_json, "products"), ==, member_int (demo_json, "products"));
  g_assert_cmpint (member_int (stats_json, "variants"), ==, member_int (demo_json, "variants"));
  g_assert_cmpint (member_int (stats_json, "units_on_hand"), >, 0);
  g_assert_cmpint (member_int (stats_json, "stock_value_minor"), >, 0);

  /* Demo data keeps the ledger invariant like any other writer. */
  run_cli (fixture, &check, "--db", fixture->db, "check");
  assert_success (&check);

  run_cli (fixture, &again, "--db", fixture->db, "--json", "demo", "--seed", "7");
  assert_failure (&again, 3);
  refusal = g_strdup_printf ("omnistock-cli: the database “%s” already holds products; demo "
                             "data only goes into an empty database (use --db with a new "
                             "file).\n", fixture->db);
  g_assert_cmpstr (again.err, ==, refusal);

  /* Nothing was added the second time. */
  run_cli (fixture, &stats_again, "--db", fixture->db, "--json", "stats");
  assert_success (&stats_again);
  g_assert_cmpstr (stats_again.out, ==, stats.out);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/cli/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("init", test_init);
  ADD ("stats-empty", test_stats_empty);
  ADD ("stats-shop", test_stats_shop);
  ADD ("stats-currency", test_stats_currency);
  ADD ("check-ok", test_check_ok);
  ADD ("check-mismatch", test_check_mismatch);
  ADD ("check-damaged", test_check_damaged);
  ADD ("usage-errors", test_usage_errors);
  ADD ("help-version", test_help_version);
  ADD ("not-a-database", test_not_a_database);
  ADD ("too-new", test_too_new);
  ADD ("no-libpq", test_no_libpq);
  ADD ("db-precedence", test_db_precedence);
  ADD ("demo", test_demo);

#undef ADD

  return g_test_run ();
}
