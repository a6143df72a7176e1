/* test-cli-catalog.c: search and the product commands of omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-inventory.h"
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

/* What `product list --json` prints for one variant of the tee that
 * test_product_add makes: everything but the SKU, options and id is shared.
 */
static char *
tee_json (gint64      id,
          const char *sku,
          const char *options)
{
  return g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"product_id\":1,\"sku\":\"%s\","
                          "\"title\":\"Linen Tee\",\"options\":\"%s\",\"barcode\":null,"
                          "\"vendor\":\"Fernwood\",\"product_type\":\"Shirts\","
                          "\"handle\":\"linen-tee\",\"status\":\"active\",\"archived\":false,"
                          "\"price_minor\":1250,\"compare_at_price_minor\":1500,"
                          "\"cost_minor\":500,\"weight_grams\":0,\"reorder_point\":3,"
                          "\"reorder_qty\":10,\"on_hand\":0,\"available\":0}",
                          id, sku, options);
}

static void
add_tee (Fixture *fixture)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "product", "add", "--title", "Linen Tee",
           "--vendor", "Fernwood", "--type", "Shirts", "--tags", "summer, linen",
           "--option", "Size=S,M", "--option", "Colour = Red, Sky blue",
           "--sku-prefix", "TEE", "--price", "12.50", "--cost", "5", "--compare-at", "15",
           "--reorder-point", "3", "--reorder-qty", "10");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "Added “Linen Tee” (handle linen-tee, product 1, active) with 4 variants:\n"
                   "SKU             Options\n"
                   "TEE-S-RED       S / Red\n"
                   "TEE-S-SKY-BLUE  S / Sky blue\n"
                   "TEE-M-RED       M / Red\n"
                   "TEE-M-SKY-BLUE  M / Sky blue\n");
}

static gint64
count_products (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  g_auto(OmniStoreStats) stats = { 0 };

  omni_store_get_stats (store, &stats, &error);
  g_assert_no_error (error);
  return stats.products;
}

/* product add --------------------------------------------------------- */

/* Two options of two values: four variants, SKUs from the prefix and the
 * values, in the order the options were given.
 */
static void
test_product_add (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(CliResult) list = { 0 };
  g_auto(CliResult) mug = { 0 };
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *v1 = tee_json (1, "TEE-S-RED", "S / Red");
  g_autofree char *v2 = tee_json (2, "TEE-S-SKY-BLUE", "S / Sky blue");
  g_autofree char *v3 = tee_json (3, "TEE-M-RED", "M / Red");
  g_autofree char *v4 = tee_json (4, "TEE-M-SKY-BLUE", "M / Sky blue");
  g_autofree char *expected = NULL;
  JsonArray *variants;

  add_tee (fixture);

  run_cli (fixture, &list, "--db", fixture->db, "product", "list", "--json");
  assert_success (&list);
  expected = g_strdup_printf ("[%s,%s,%s,%s]\n", v1, v2, v3, v4);
  g_assert_cmpstr (list.out, ==, expected);

  /* Without options: one variant with the SKU and barcode given. */
  run_cli (fixture, &mug, "--db", fixture->db, "--json", "product", "add", "--title", "Café Mug",
           "--sku", "MUG-1", "--barcode", "4006381333931", "--price", "8", "--status", "draft");
  assert_success (&mug);
  json = parse_json_object (mug.out);
  g_assert_cmpint (member_int (json, "id"), ==, 2);
  g_assert_cmpstr (member_string (json, "handle"), ==, "cafe-mug");
  g_assert_cmpstr (member_string (json, "status"), ==, "draft");
  variants = json_object_get_array_member (json, "variants");
  g_assert_cmpuint (json_array_get_length (variants), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (variants, 0), "sku"), ==,
                   "MUG-1");
  g_assert_cmpstr (member_string (json_array_get_object_element (variants, 0), "barcode"), ==,
                   "4006381333931");
  g_assert_cmpint (member_int (json_array_get_object_element (variants, 0), "price_minor"), ==,
                   800);
  g_assert_true (member_is_null (json_array_get_object_element (variants, 0), "cost_minor"));
}

/* Options without a prefix make variants without SKUs; a prefix alone is the
 * SKU of a product without options.
 */
static void
test_product_add_skus (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "product", "add", "--title", "Sock",
           "--option", "Size=S,M");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "Added “Sock” (handle sock, product 1, active) with 2 variants:\n"
                   "SKU       Options\n"
                   "(no SKU)  S\n"
                   "(no SKU)  M\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "add", "--title", "Notebook",
           "--sku-prefix", "NB", "--price", "3");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "Added “Notebook” (handle notebook, product 2, active) with SKU NB.\n");
}

typedef struct
{
  const char *args[12];
  int         status;
  const char *message;
} Refusal;

/* Each refusal names what was wrong, and nothing is saved. */
static void
test_product_add_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  static const Refusal refusals[] = {
    { { "--title", "Tee", "--option", "A=1", "--option", "B=2", "--option", "C=3",
        "--option", "D=4" }, 2,
      "a product has at most 3 options (such as size, colour and material), but 4 were given" },
    { { "--title", "Tee", "--price", "1.234" }, 2,
      "--price: “1.234” has 3 decimals, but USD amounts have at most 2" },
    { { "--title", "Tee", "--cost", "5,50" }, 2,
      "--cost: “5,50” is not an amount: write digits with a dot for decimals, such as 12.50" },
    { { "--title", "Tee", "--option", "Size" }, 2,
      "--option must be a name and its values, such as “Size=S,M,L”, not “Size”" },
    { { "--title", "Tee", "--option", "Size=S,,M" }, 2,
      "--option must be a name and its values, such as “Size=S,M,L”, not “Size=S,,M”" },
    { { "--title", "Tee", "--option", "Size=S,M,s" }, 2, "--option “Size” lists “s” twice" },
    { { "--title", "Tee", "--option", "Size=S/M,S-M", "--sku-prefix", "T" }, 2,
      "two variants would get the SKU “T-S-M”; change an option value or the prefix" },
    { { "--title", "Tee", "--reorder-point", "3x" }, 2,
      "--reorder-point must be a whole number from 0 to 1000000, not “3x”" },
    { { "--title", "Tee", "--status", "archived" }, 2,
      "--status must be one of active, draft, not “archived”" },
    { { "--title", "Tee", "--barcode", "4006381333932" }, 2,
      "Variant 1: Barcode 4006381333932 is not a valid EAN-13: its check digit should be 1" },
    { { "--title", "Tee", "--option", "Size=S", "--sku", "T" }, 1,
      "--sku names one variant; with --option, use --sku-prefix" },
    { { "--title", "Tee", "--sku", "T", "--sku-prefix", "T" }, 1,
      "give either --sku or --sku-prefix, not both" },
    { { "--vendor", "Fernwood" }, 1, "product add needs --title" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) args = NULL;
      g_auto(CliResult) result = { 0 };
      g_autofree char *expected = g_strdup_printf ("omnistock-cli: %s.\n", refusals[i].message);

      g_strv_builder_add_many (builder, "--db", fixture->db, "product", "add", NULL);
      for (guint j = 0; refusals[i].args[j] != NULL; j++)
        g_strv_builder_add (builder, refusals[i].args[j]);
      args = g_strv_builder_end (builder);

      run_cli_env (fixture, NULL, &result, (const char * const *) args);
      assert_failure (&result, refusals[i].status);
      g_assert_cmpstr (result.err, ==, expected);
    }

  g_assert_cmpint (count_products (fixture->db), ==, 0);
}

/* A SKU already in use: a conflict, and the whole product is refused. */
static void
test_product_add_conflict (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };

  add_tee (fixture);
  run_cli (fixture, &result, "--db", fixture->db, "product", "add", "--title", "Other Tee",
           "--option", "Colour=Blue,Red", "--sku-prefix", "TEE-S");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: SKU “TEE-S-RED” is already used by another active variant.\n");
  g_assert_cmpint (count_products (fixture->db), ==, 1);
}

/* search -------------------------------------------------------------- */

static void
make_catalog (const char *path)
{
  g_autoptr(OmniStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  const OmniProductSpec mug = {
    .title = "Café Crème Mug", .vendor = "Jürgen's Pottery", .tags = "kitchen",
    .option_names = { "Colour" },
  };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG-SAGE", .barcode = "4006381333931", .options = { "Sage" }, .price = 1800,
      .cost = 600, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "MUG-CLAY", .barcode = "036000291452", .options = { "Clay" }, .price = 1850,
      .cost = 600, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniProductSpec tee = {
    .title = "Linen Tee", .vendor = "Fernwood", .tags = "summer", .option_names = { "Size" },
  };
  const OmniVariantSpec tees[] = {
    { .sku = "TEE-S", .options = { "S" }, .price = 2500, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = -1 },
    { .sku = "TEE-M", .options = { "M" }, .price = 2600, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = -1 },
  };
  gint64 mug_ids[2], tee_ids[2];
  gint64 location = omni_store_add_location (store, "Back room", TRUE, &error);

  g_assert_no_error (error);
  omni_store_create_product (store, &mug, mugs, 2, mug_ids, &error);
  g_assert_no_error (error);
  omni_store_create_product (store, &tee, tees, 2, tee_ids, &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec received[] = {
      { .variant_id = mug_ids[0], .location_id = location, .on_hand_delta = 6,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = tee_ids[0], .location_id = location, .on_hand_delta = 2,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = tee_ids[1], .location_id = location, .on_hand_delta = 9,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
    };

    omni_store_record_movements (store, received, G_N_ELEMENTS (received), &error);
    g_assert_no_error (error);
  }
}

/* The SKUs of a JSON list, joined with spaces. */
static char *
skus_of (const char *json_text)
{
  g_autoptr(JsonArray) rows = parse_json_array (json_text);
  g_autoptr(GString) skus = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      /* The keys scripts rely on are always there. */
      g_assert_true (json_object_has_member (row, "title"));
      g_assert_true (json_object_has_member (row, "barcode"));
      g_assert_true (json_object_has_member (row, "available"));
      g_string_append_printf (skus, "%s%s", i > 0 ? " " : "", member_string (row, "sku"));
    }

  return g_string_free (g_steal_pointer (&skus), FALSE);
}

static char *
search_skus (Fixture    *fixture,
             const char *query)
{
  g_auto(CliResult) result = { 0 };

  run_cli (fixture, &result, "--db", fixture->db, "--json", "search", query);
  assert_success (&result);
  return skus_of (result.out);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct {
    const char *query;
    const char *skus;
  } cases[] = {
    { "creme", "MUG-SAGE MUG-CLAY" },           /* accents do not matter */
    { "CAFÉ CLAY", "MUG-CLAY" },                /* every word must match */
    { "inen", "TEE-S TEE-M" },                  /* a substring */
    { "jurgen", "MUG-SAGE MUG-CLAY" },          /* the vendor */
    { "summer", "TEE-S TEE-M" },                /* a tag */
    { "4006381333931", "MUG-SAGE" },            /* a barcode */
    { "TEE-M", "TEE-M" },                       /* an exact SKU comes first */
    { "zzz", "" },
  };
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *row;

  make_catalog (fixture->db);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *skus = search_skus (fixture, cases[i].query);

      g_assert_cmpstr (skus, ==, cases[i].skus);
    }

  run_cli (fixture, &result, "--db", fixture->db, "search", "4006381333931", "--json");
  assert_success (&result);
  rows = parse_json_array (result.out);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (member_string (row, "sku"), ==, "MUG-SAGE");
  g_assert_cmpstr (member_string (row, "title"), ==, "Café Crème Mug");
  g_assert_cmpstr (member_string (row, "options"), ==, "Sage");
  g_assert_cmpstr (member_string (row, "barcode"), ==, "4006381333931");
  g_assert_cmpstr (member_string (row, "vendor"), ==, "Jürgen's Pottery");
  g_assert_cmpint (member_int (row, "available"), ==, 6);
  g_assert_cmpint (member_int (row, "price_minor"), ==, 1800);
  cli_result_clear (&result);

  /* For people: aligned columns, money in the shop currency. */
  run_cli (fixture, &result, "--db", fixture->db, "search", "mug");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "SKU       Title                  Barcode            Price  Available\n"
                   "MUG-SAGE  Café Crème Mug (Sage)  4006381333931  18.00 USD          6\n"
                   "MUG-CLAY  Café Crème Mug (Clay)  036000291452   18.50 USD          0\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "search", "zzz");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "No variant matches “zzz”.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "search", "e", "--limit", "2");
  assert_success (&result);
  g_clear_pointer (&rows, json_array_unref);
  rows = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "search", "e", "--limit", "5x");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==,
                   "omnistock-cli: --limit must be a whole number from 1 to 1000, not “5x”.\n");
}

/* product list -------------------------------------------------------- */

static char *
list_skus (Fixture *fixture,
           ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_auto(CliResult) result = { 0 };
  va_list ap;

  g_strv_builder_add_many (builder, "--db", fixture->db, "--json", "product", "list", NULL);
  va_start (ap, fixture);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);
  args = g_strv_builder_end (builder);

  run_cli_env (fixture, NULL, &result, (const char * const *) args);
  assert_success (&result);
  return skus_of (result.out);
}

static void
assert_list (Fixture    *fixture,
             const char *expected,
             const char *first_arg,
             ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *skus = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(CliResult) result = { 0 };
  va_list ap;

  g_strv_builder_add_many (builder, "--db", fixture->db, "--json", "product", "list", NULL);
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);
  args = g_strv_builder_end (builder);

  run_cli_env (fixture, NULL, &result, (const char * const *) args);
  assert_success (&result);
  skus = skus_of (result.out);
  g_assert_cmpstr (skus, ==, expected);
}

static void
test_product_list (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *all = NULL;
  g_auto(CliResult) result = { 0 };

  make_catalog (fixture->db);

  all = list_skus (fixture, NULL);
  g_assert_cmpstr (all, ==, "MUG-SAGE MUG-CLAY TEE-S TEE-M");

  assert_list (fixture, "TEE-S TEE-M", "--vendor", "Fernwood", NULL);
  assert_list (fixture, "MUG-SAGE MUG-CLAY", "--tag", "KITCHEN", NULL);
  assert_list (fixture, "TEE-S", "--stock", "low", NULL);
  assert_list (fixture, "MUG-CLAY", "--stock", "out", NULL);
  assert_list (fixture, "MUG-SAGE TEE-M", "--stock", "in", NULL);
  assert_list (fixture, "TEE-M TEE-S MUG-CLAY MUG-SAGE", "--sort", "price", "--desc", NULL);
  assert_list (fixture, "MUG-CLAY MUG-SAGE TEE-M TEE-S", "--sort", "sku", NULL);
  assert_list (fixture, "MUG-CLAY TEE-S", "--sort", "available", "--limit", "2", NULL);
  assert_list (fixture, "TEE-M", "--sort", "available", "--offset", "3", NULL);
  assert_list (fixture, "", "--stock", "archived", NULL);

  /* A page that is not the last says how to get the next. */
  run_cli (fixture, &result, "--db", fixture->db, "product", "list", "--limit", "1",
           "--offset", "1");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==,
                   "SKU       Title                  Barcode           Price  Available\n"
                   "MUG-CLAY  Café Crème Mug (Clay)  036000291452  18.50 USD          0\n"
                   "\n"
                   "Showing 2–2 of 4; use --offset 2 for more.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "list", "--sort", "colour");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: --sort must be one of title, sku, price, "
                   "available, updated, not “colour”.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "list", "--offset", "-1");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: --offset must be a whole number from 0 to "
                   "2147483647, not “-1”.\n");
}

/* product show -------------------------------------------------------- */

static void
test_product_show (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(CliResult) text = { 0 };
  g_auto(CliResult) json_run = { 0 };
  g_auto(CliResult) missing = { 0 };
  g_autoptr(JsonObject) json = NULL;
  JsonArray *variants;
  JsonArray *locations;
  JsonObject *variant;

  make_catalog (fixture->db);

  /* By handle, or by any variant's SKU or barcode. */
  run_cli (fixture, &text, "--db", fixture->db, "product", "show", "cafe-creme-mug");
  assert_success (&text);
  g_assert_cmpstr (text.out, ==,
                   "Title    Café Crème Mug\n"
                   "Handle   cafe-creme-mug\n"
                   "Product  1\n"
                   "Status   active\n"
                   "Vendor   Jürgen's Pottery\n"
                   "Tags     kitchen\n"
                   "Options  Colour\n"
                   "\n"
                   "SKU       Options  Barcode            Price  On hand  Available\n"
                   "MUG-SAGE  Sage     4006381333931  18.00 USD        6          6\n"
                   "MUG-CLAY  Clay     036000291452   18.50 USD        0          0\n");

  run_cli (fixture, &json_run, "--db", fixture->db, "--json", "product", "show", "TEE-M");
  assert_success (&json_run);
  json = parse_json_object (json_run.out);
  g_assert_cmpint (member_int (json, "id"), ==, 2);
  g_assert_cmpstr (member_string (json, "title"), ==, "Linen Tee");
  g_assert_cmpstr (member_string (json, "handle"), ==, "linen-tee");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json, "options")),
                    ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json, "options"),
                                                  0), ==, "Size");
  variants = json_object_get_array_member (json, "variants");
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  variant = json_array_get_object_element (variants, 1);
  g_assert_cmpstr (member_string (variant, "sku"), ==, "TEE-M");
  g_assert_cmpint (member_int (variant, "on_hand"), ==, 9);
  locations = json_object_get_array_member (variant, "locations");
  g_assert_cmpuint (json_array_get_length (locations), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (locations, 0), "location"), ==,
                   "Back room");
  g_assert_cmpint (member_int (json_array_get_object_element (locations, 0), "available"), ==, 9);

  run_cli (fixture, &missing, "--db", fixture->db, "product", "show", "nope");
  assert_failure (&missing, 3);
  g_assert_cmpstr (missing.err, ==,
                   "omnistock-cli: No product has the handle, SKU or barcode “nope”.\n");
}

/* product edit-variant ------------------------------------------------ */

static void
test_product_edit_variant (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonObject) json = NULL;
  JsonObject *variant;

  add_tee (fixture);

  run_cli (fixture, &result, "--db", fixture->db, "product", "edit-variant", "TEE-S-RED",
           "--price", "14", "--barcode", "4006381333931", "--cost", "");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Updated TEE-S-RED: barcode none → 4006381333931; "
                   "price 12.50 USD → 14.00 USD; cost 5.00 USD → none.\n");
  cli_result_clear (&result);

  /* Found by its new barcode; only the given field changes. */
  run_cli (fixture, &result, "--db", fixture->db, "--json", "product", "edit-variant",
           "4006381333931", "--sku", "TEE-SMALL-RED", "--reorder-point", "");
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_true (member_boolean (json, "changed"));
  variant = json_object_get_object_member (json, "variant");
  g_assert_cmpstr (member_string (variant, "sku"), ==, "TEE-SMALL-RED");
  g_assert_cmpstr (member_string (variant, "options"), ==, "S / Red");
  g_assert_cmpint (member_int (variant, "price_minor"), ==, 1400);
  g_assert_true (member_is_null (variant, "cost_minor"));
  g_assert_cmpint (member_int (variant, "compare_at_price_minor"), ==, 1500);
  g_assert_true (member_is_null (variant, "reorder_point"));
  g_assert_cmpint (member_int (variant, "reorder_qty"), ==, 10);
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "edit-variant", "TEE-SMALL-RED",
           "--price", "14.00");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "TEE-SMALL-RED already has these values; nothing changed.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "edit-variant", "TEE-M-RED",
           "--sku", "TEE-SMALL-RED");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: SKU “TEE-SMALL-RED” is already used by "
                   "another active variant.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "edit-variant", "TEE-M-RED",
           "--price", "-1");
  assert_failure (&result, 2);
  g_assert_cmpstr (result.err, ==, "omnistock-cli: Variant 1 (TEE-M-RED): Price cannot be "
                   "negative.\n");
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "edit-variant", "TEE-M-RED");
  assert_failure (&result, 1);
  g_assert_true (g_str_has_prefix (result.err, "omnistock-cli: product edit-variant: nothing "
                                   "to change; give at least one of --sku, "));
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "edit-variant", "TEE-XL",
           "--price", "1");
  assert_failure (&result, 3);
  cli_result_clear (&result);

  /* None of the refusals changed TEE-M-RED. */
  run_cli (fixture, &result, "--db", fixture->db, "--json", "search", "TEE-M-RED");
  assert_success (&result);
  g_clear_pointer (&json, json_object_unref);
  {
    g_autoptr(JsonArray) rows = parse_json_array (result.out);

    variant = json_array_get_object_element (rows, 0);
    g_assert_cmpstr (member_string (variant, "sku"), ==, "TEE-M-RED");
    g_assert_cmpint (member_int (variant, "price_minor"), ==, 1250);
  }
}

/* product archive, restore and duplicate ------------------------------ */

static void
test_product_archive_duplicate (Fixture       *fixture,
                                gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *archived = NULL;
  g_autofree char *active = NULL;
  JsonArray *variants;

  make_catalog (fixture->db);

  run_cli (fixture, &result, "--db", fixture->db, "product", "archive", "TEE-S");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Archived “Linen Tee” (handle linen-tee) with its variants.\n");
  cli_result_clear (&result);

  archived = list_skus (fixture, "--stock", "archived", NULL);
  g_assert_cmpstr (archived, ==, "TEE-S TEE-M");
  active = list_skus (fixture, NULL);
  g_assert_cmpstr (active, ==, "MUG-SAGE MUG-CLAY");

  /* An archived variant is not found by SKU; its product is, by handle. */
  run_cli (fixture, &result, "--db", fixture->db, "stock", "TEE-S");
  assert_failure (&result, 3);
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "--json", "product", "archive", "linen-tee",
           "--restore");
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_false (member_boolean (json, "archived"));
  g_assert_cmpint (member_int (json, "variants"), ==, 2);
  cli_result_clear (&result);
  g_clear_pointer (&json, json_object_unref);

  g_clear_pointer (&active, g_free);
  active = list_skus (fixture, NULL);
  g_assert_cmpstr (active, ==, "MUG-SAGE MUG-CLAY TEE-S TEE-M");

  /* A copy is a draft without SKUs, barcodes or stock. */
  run_cli (fixture, &result, "--db", fixture->db, "--json", "product", "duplicate",
           "cafe-creme-mug");
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpint (member_int (json, "id"), ==, 3);
  g_assert_cmpint (member_int (json, "source_id"), ==, 1);
  g_assert_cmpstr (member_string (json, "title"), ==, "Copy of Café Crème Mug");
  g_assert_cmpstr (member_string (json, "handle"), ==, "copy-of-cafe-creme-mug");
  g_assert_cmpstr (member_string (json, "status"), ==, "draft");
  variants = json_object_get_array_member (json, "variants");
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *variant = json_array_get_object_element (variants, i);

      g_assert_true (member_is_null (variant, "sku"));
      g_assert_true (member_is_null (variant, "barcode"));
      g_assert_cmpint (member_int (variant, "on_hand"), ==, 0);
    }
  cli_result_clear (&result);

  run_cli (fixture, &result, "--db", fixture->db, "product", "duplicate", "nope");
  assert_failure (&result, 3);
  g_assert_cmpint (count_products (fixture->db), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/cli-catalog/" name, Fixture, NULL, store_set_up, func, fixture_tear_down)

  ADD ("product-add", test_product_add);
  ADD ("product-add-skus", test_product_add_skus);
  ADD ("product-add-refused", test_product_add_refused);
  ADD ("product-add-conflict", test_product_add_conflict);
  ADD ("search", test_search);
  ADD ("product-list", test_product_list);
  ADD ("product-show", test_product_show);
  ADD ("product-edit-variant", test_product_edit_variant);
  ADD ("product-archive-duplicate", test_product_archive_duplicate);

#undef ADD

  return g_test_run ();
}
