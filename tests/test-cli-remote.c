/* test-cli-remote.c: `channel unmatched`, `channel link`, `channel import`
 * and `channel ignore` through the built omnistock-cli
 *
 * The unmatched rows are recorded through the store, as a pull would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "test-cli-util.h"
#include "omni-store-catalog.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"

static void
seed (Fixture *fixture)
{
  g_autoptr(OmniStore) store = open_store (fixture->db);
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Mug" };
  const OmniVariantSpec variant = {
    .sku = "MUG-RED", .price = 1200, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  gint64 channel, id;
  const struct
  {
    const char *id, *product, *sku, *title;
    OmniMoney   price;
  } rows[] = {
    { "gid://shopify/ProductVariant/11", "gid://shopify/Product/5", "MUG-BLUE", "Blue", 1250 },
    { "gid://shopify/ProductVariant/12", "gid://shopify/Product/5", "MUG-RED", "Red", 1250 },
    { "gid://shopify/ProductVariant/13", "gid://shopify/Product/6", "TEA-1", "Default Title", -1 },
    { "gid://shopify/ProductVariant/14", "gid://shopify/Product/7", "TEA-2", "Default Title", -1 },
  };

  g_assert_cmpint (omni_store_add_location (store, "Shop Floor", TRUE, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error), >, 0);
  channel = omni_store_add_channel (store, "shopify", "Fern", "fern.myshopify.com", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *item = g_strdup_printf ("gid://shopify/InventoryItem/%u", 11 + i);
      OmniRemoteVariantSpec spec = {
        .channel_id = channel, .remote_variant_id = rows[i].id,
        .remote_product_id = rows[i].product, .remote_inventory_id = item,
        .sku = rows[i].sku, .product_title = i < 2 ? "Mug" : rows[i].sku,
        .title = rows[i].title, .price = rows[i].price, .currency = "EUR",
      };

      g_assert_true (omni_store_record_remote_variant (store, &spec, &error));
    }
}

static gint64
db_count (Fixture    *fixture,
          const char *what)
{
  g_autoptr(OmniStore) store = open_store (fixture->db);
  g_autoptr(GError) error = NULL;
  gint64 channel = omni_store_find_channel (store, "Fern", NULL);

  if (g_str_equal (what, "unmatched"))
    return omni_store_count_remote_variants (store, channel, TRUE);
  if (g_str_equal (what, "links"))
    return omni_store_count_links (store, channel);
  if (g_str_equal (what, "variants"))
    {
      OmniStoreStats stats = { 0 };
      gint64 n;

      g_assert_true (omni_store_get_stats (store, &stats, &error));
      n = stats.variants;
      omni_store_stats_clear (&stats);
      return n;
    }
  g_assert_not_reached ();
}

static void
test_unmatched_list (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(CliResult) json = { 0 };
  g_auto(CliResult) page = { 0 };
  g_auto(CliResult) text = { 0 };
  g_auto(CliResult) missing = { 0 };
  g_auto(CliResult) bad = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) paged = NULL;
  JsonArray *variants;
  JsonObject *first;

  seed (fixture);
  run_cli (fixture, &json, "--db", fixture->db, "--json", "channel", "unmatched", "Fern");
  assert_success (&json);
  root = parse_json (json.out);
  g_assert_cmpint (member_int (json_node_get_object (root), "total"), ==, 4);
  variants = json_object_get_array_member (json_node_get_object (root), "variants");
  g_assert_cmpuint (json_array_get_length (variants), ==, 4);
  first = json_array_get_object_element (variants, 0);
  g_assert_cmpstr (member_string (first, "sku"), ==, "MUG-BLUE");
  g_assert_cmpstr (member_string (first, "remote_id"), ==, "gid://shopify/ProductVariant/11");
  g_assert_cmpstr (member_string (first, "remote_inventory_id"), ==, "gid://shopify/InventoryItem/11");
  g_assert_cmpint (member_int (first, "price_minor"), ==, 1250);
  g_assert_cmpstr (member_string (first, "state"), ==, "unmatched");
  g_assert_true (member_is_null (json_array_get_object_element (variants, 2), "price_minor"));

  run_cli (fixture, &page, "--db", fixture->db, "--json", "channel", "unmatched", "Fern",
           "--limit", "1", "--offset", "3");
  assert_success (&page);
  paged = parse_json (page.out);
  g_assert_cmpint (member_int (json_node_get_object (paged), "total"), ==, 4);
  variants = json_object_get_array_member (json_node_get_object (paged), "variants");
  g_assert_cmpuint (json_array_get_length (variants), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (variants, 0), "sku"), ==, "TEA-2");

  run_cli (fixture, &text, "--db", fixture->db, "channel", "unmatched", "Fern", "--limit", "2");
  assert_success (&text);
  g_assert_nonnull (strstr (text.out, "MUG-BLUE"));
  g_assert_nonnull (strstr (text.out, "Mug — Blue"));
  g_assert_null (strstr (text.out, "TEA-1"));
  g_assert_nonnull (strstr (text.out, "2 of 4 shown"));

  run_cli (fixture, &missing, "--db", fixture->db, "channel", "unmatched", "Nope");
  assert_failure (&missing, 3);
  g_assert_nonnull (strstr (missing.err, "no channel is named “Nope”"));
  run_cli (fixture, &bad, "--db", fixture->db, "channel", "unmatched", "Fern", "--limit", "0");
  assert_failure (&bad, 2);
}

static void
test_link (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(CliResult) linked = { 0 };
  g_auto(CliResult) again = { 0 };
  g_auto(CliResult) no_sku = { 0 };
  g_auto(CliResult) usage = { 0 };
  g_autoptr(JsonNode) root = NULL;

  seed (fixture);
  run_cli (fixture, &linked, "--db", fixture->db, "--json", "channel", "link", "Fern",
           "--remote", "gid://shopify/ProductVariant/12", "--sku", "MUG-RED");
  assert_success (&linked);
  root = parse_json (linked.out);
  g_assert_cmpstr (member_string (json_node_get_object (root), "sku"), ==, "MUG-RED");
  g_assert_cmpstr (member_string (json_node_get_object (root), "linked_by"), ==, "manual");
  g_assert_cmpint (db_count (fixture, "links"), ==, 1);
  g_assert_cmpint (db_count (fixture, "unmatched"), ==, 3);

  /* MUG-RED is linked now: a second remote variant for it is a conflict. */
  run_cli (fixture, &again, "--db", fixture->db, "channel", "link", "Fern",
           "--remote", "MUG-BLUE", "--sku", "MUG-RED");
  assert_failure (&again, 3);
  g_assert_nonnull (strstr (again.err, "already linked"));
  g_assert_cmpint (db_count (fixture, "links"), ==, 1);
  g_assert_cmpint (db_count (fixture, "unmatched"), ==, 3);

  run_cli (fixture, &no_sku, "--db", fixture->db, "channel", "link", "Fern",
           "--remote", "MUG-BLUE", "--sku", "NO-SUCH");
  assert_failure (&no_sku, 3);
  run_cli (fixture, &usage, "--db", fixture->db, "channel", "link", "Fern", "--remote", "MUG-BLUE");
  assert_failure (&usage, 1);
  g_assert_cmpint (db_count (fixture, "unmatched"), ==, 3);
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(CliResult) one = { 0 };
  g_auto(CliResult) clash = { 0 };
  g_auto(CliResult) all_fail = { 0 };
  g_auto(CliResult) ignore = { 0 };
  g_auto(CliResult) all = { 0 };
  g_auto(CliResult) both = { 0 };
  g_auto(CliResult) unknown = { 0 };
  g_auto(CliResult) stock = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) all_root = NULL;

  seed (fixture);
  g_assert_cmpint (db_count (fixture, "variants"), ==, 1);

  run_cli (fixture, &one, "--db", fixture->db, "--json", "channel", "import", "Fern",
           "--remote", "TEA-1");
  assert_success (&one);
  root = parse_json (one.out);
  g_assert_cmpint (member_int (json_node_get_object (root), "imported"), ==, 1);
  g_assert_cmpstr (member_string (json_node_get_object (root), "sku"), ==, "TEA-1");
  g_assert_cmpstr (member_string (json_node_get_object (root), "title"), ==, "TEA-1");
  g_assert_cmpint (db_count (fixture, "variants"), ==, 2);
  g_assert_cmpint (db_count (fixture, "links"), ==, 1);

  run_cli (fixture, &stock, "--db", fixture->db, "stock", "TEA-1");
  assert_success (&stock);

  /* MUG-RED exists locally: refused, nothing written. */
  run_cli (fixture, &clash, "--db", fixture->db, "channel", "import", "Fern",
           "--remote", "gid://shopify/ProductVariant/12");
  assert_failure (&clash, 3);
  g_assert_nonnull (strstr (clash.err, "“MUG-RED” is already used by a local variant"));
  run_cli (fixture, &all_fail, "--db", fixture->db, "channel", "import", "Fern", "--all");
  assert_failure (&all_fail, 3);
  g_assert_cmpint (db_count (fixture, "variants"), ==, 2);
  g_assert_cmpint (db_count (fixture, "links"), ==, 1);
  g_assert_cmpint (db_count (fixture, "unmatched"), ==, 3);

  run_cli (fixture, &ignore, "--db", fixture->db, "channel", "ignore", "Fern", "--remote", "MUG-RED");
  assert_success (&ignore);
  run_cli (fixture, &all, "--db", fixture->db, "--json", "channel", "import", "Fern", "--all");
  assert_success (&all);
  all_root = parse_json (all.out);
  g_assert_cmpint (member_int (json_node_get_object (all_root), "imported"), ==, 2);
  g_assert_cmpint (db_count (fixture, "variants"), ==, 4);
  g_assert_cmpint (db_count (fixture, "links"), ==, 3);
  g_assert_cmpint (db_count (fixture, "unmatched"), ==, 1);

  run_cli (fixture, &both, "--db", fixture->db, "channel", "import", "Fern", "--all",
           "--remote", "X");
  assert_failure (&both, 1);
  run_cli (fixture, &unknown, "--db", fixture->db, "channel", "import", "Fern", "--remote", "X");
  assert_failure (&unknown, 3);
  g_assert_nonnull (strstr (unknown.err, "No unmatched remote variant has the id or SKU “X”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/omni/cli/remote/unmatched", Fixture, NULL, fixture_set_up, test_unmatched_list,
              fixture_tear_down);
  g_test_add ("/omni/cli/remote/link", Fixture, NULL, fixture_set_up, test_link, fixture_tear_down);
  g_test_add ("/omni/cli/remote/import", Fixture, NULL, fixture_set_up, test_import,
              fixture_tear_down);
  return g_test_run ();
}
