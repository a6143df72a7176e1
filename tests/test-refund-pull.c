/* test-refund-pull.c: refunds read by the Shopify pull (through the
 * connector's test transport, the same interpretation as real answers)
 * return their restocked units once, also when the refunds/create webhook
 * applied them first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "omni-shopify-private.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "omni-store-webhook.h"

#define COST "\"extensions\": {\"cost\": {\"requestedQueryCost\": 10, \"actualQueryCost\": 10," \
  " \"throttleStatus\": {\"maximumAvailable\": 2000.0, \"currentlyAvailable\": 1990," \
  " \"restoreRate\": 100.0}}}"

static const char locations_answer[] =
  "{\"data\": {\"locations\": {\"nodes\": [{\"id\": \"gid://shopify/Location/1\", \"name\":"
  " \"Shop Floor\", \"isActive\": true, \"shipsInventory\": true}], \"pageInfo\":"
  " {\"hasNextPage\": false, \"endCursor\": \"YzE=\"}}}, " COST "}";

static const char variants_answer[] =
  "{\"data\": {\"productVariants\": {\"nodes\": [{\"id\": \"gid://shopify/ProductVariant/1\","
  " \"sku\": \"FERN-1\", \"barcode\": null, \"title\": \"Default Title\", \"updatedAt\":"
  " \"2026-11-21T10:00:00Z\", \"product\": {\"id\": \"gid://shopify/Product/1\", \"title\":"
  " \"Fern\", \"handle\": \"fern\"}, \"inventoryItem\": {\"id\": \"gid://shopify/InventoryItem/1\","
  " \"tracked\": true}}], \"pageInfo\": {\"hasNextPage\": false, \"endCursor\": \"YzE=\"}}}, "
  COST "}";

/* The first pull counts the shop's variants to choose between cursor
 * paging and a bulk operation: one is far below the threshold. */
static const char count_answer[] =
  "{\"data\": {\"productVariantsCount\": {\"count\": 1, \"precision\": \"EXACT\"}}, " COST "}";

/* An order of 3, then a refund of 2 of them: one returned and restocked,
 * one kept by the customer. */
static const char orders_answer[] =
  "{\"data\": {\"orders\": {\"nodes\": [{\"id\": \"gid://shopify/Order/1001\", \"name\":"
  " \"#1001\", \"currencyCode\": \"EUR\", \"createdAt\": \"2026-11-20T10:00:00Z\","
  " \"updatedAt\": \"2026-11-21T10:00:00Z\", \"cancelledAt\": null, \"refunds\": [{\"id\":"
  " \"gid://shopify/Refund/77\"}], \"lineItems\": {\"nodes\": [{\"id\":"
  " \"gid://shopify/LineItem/501\", \"quantity\": 3, \"sku\": \"FERN-1\", \"name\": \"Fern\","
  " \"variant\": {\"id\": \"gid://shopify/ProductVariant/1\"}}]}}], \"pageInfo\":"
  " {\"hasNextPage\": false, \"endCursor\": \"YzE=\"}}}, " COST "}";

static const char refund_answer[] =
  "{\"data\": {\"node\": {\"id\": \"gid://shopify/Refund/77\", \"createdAt\":"
  " \"2026-11-21T10:00:00Z\", \"order\": {\"id\": \"gid://shopify/Order/1001\", \"name\":"
  " \"#1001\"}, \"refundLineItems\": {\"nodes\": [{\"id\": \"gid://shopify/RefundLineItem/88\","
  " \"quantity\": 1, \"restockType\": \"RETURN\", \"lineItem\": {\"variant\": {\"id\":"
  " \"gid://shopify/ProductVariant/1\"}}, \"location\": {\"id\": \"gid://shopify/Location/1\"}},"
  " {\"id\": \"gid://shopify/RefundLineItem/89\", \"quantity\": 1, \"restockType\":"
  " \"NO_RESTOCK\", \"lineItem\": {\"variant\": {\"id\": \"gid://shopify/ProductVariant/1\"}},"
  " \"location\": null}]}}}, " COST "}";

static const char levels_answer[] =
  "{\"data\": {\"location\": {\"id\": \"gid://shopify/Location/1\", \"inventoryLevels\":"
  " {\"nodes\": [{\"item\": {\"id\": \"gid://shopify/InventoryItem/1\"}, \"quantities\":"
  " [{\"name\": \"available\", \"quantity\": 8}]}], \"pageInfo\": {\"hasNextPage\": false,"
  " \"endCursor\": \"YzE=\"}}}}, " COST "}";

typedef struct
{
  guint refund_requests;
  guint requests;
} Served;

static OmniHttpResponse *
answer (const char  *url,
        const char  *content_type,
        GBytes      *body,
        gpointer     user_data,
        GError     **error)
{
  Served *served = user_data;
  g_autofree char *request = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(JsonParser) parser = json_parser_new ();
  OmniHttpResponse *response;
  const char *text = NULL;

  served->requests++;
  if (strstr (request, "query OmniLocations") != NULL)
    text = locations_answer;
  else if (strstr (request, "query OmniProductVariantsCount") != NULL)
    text = count_answer;
  else if (strstr (request, "query OmniVariants") != NULL)
    text = variants_answer;
  else if (strstr (request, "query OmniOrders") != NULL)
    text = orders_answer;
  else if (strstr (request, "query OmniRefund(") != NULL)
    {
      g_assert_nonnull (strstr (request, "gid://shopify/Refund/77"));
      served->refund_requests++;
      text = refund_answer;
    }
  else if (strstr (request, "query OmniInventoryLevels") != NULL)
    text = levels_answer;
  if (text == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unexpected request %.60s", request);
      return NULL;
    }

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  response = g_new0 (OmniHttpResponse, 1);
  response->status = 200;
  response->body = g_bytes_new (text, strlen (text));
  response->json = json_node_ref (json_parser_get_root (parser));
  response->attempts = 1;
  return response;
}

static gint64
returned_units (OmniStore *store,
                gint64     variant)
{
  OmniHistoryFilter filter = { .reason = OMNI_REASON_RETURNED };
  g_autoptr(GPtrArray) movements = omni_store_get_history (store, variant, &filter, NULL);
  gint64 total = 0;

  for (guint i = 0; i < movements->len; i++)
    if (g_strcmp0 (((OmniMovement *)movements->pdata[i])->reason, OMNI_REASON_RETURNED) == 0)
      total += ((OmniMovement *)movements->pdata[i])->on_hand_delta;
  return total;
}

static void
pull (const char *path,
      gint64      channel,
      Served     *served)
{
  g_autoptr(OmniShopifyConnector) connector = omni_shopify_connector_new (path, channel);
  g_autoptr(GError) error = NULL;

  _omni_shopify_connector_set_transport (connector, answer, served, "shpat_test_credential");
  g_assert_true (omni_shopify_connector_pull (connector, NULL, &error));
  g_assert_no_error (error);
}

static void
test_pull_then_webhook (gconstpointer data)
{
  gboolean webhook_first = GPOINTER_TO_INT (data);
  g_autofree char *dir = g_dir_make_tmp ("omni-refund-pull-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "shop.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Fern" };
  const OmniVariantSpec variant = { .sku = "FERN-1", .price = 1000, .compare_at_price = -1,
                                    .cost = -1, .reorder_point = -1, .reorder_qty = -1 };
  OmniMovementSpec received = { .on_hand_delta = 10, .reason = OMNI_REASON_RECEIVED,
                                .source = "app" };
  OmniRefundLineSpec hook_lines[] = {
    /* As the webhook reads them: REST ids made GIDs. */
    { .remote_line_id = "gid://shopify/RefundLineItem/88", .quantity = 1, .restock = TRUE },
    { .remote_line_id = "gid://shopify/RefundLineItem/89", .quantity = 1, .restock = FALSE },
  };
  OmniRefundSpec hook = {
    .remote_id = "gid://shopify/Refund/77", .order_remote_id = "gid://shopify/Order/1001",
    .lines = hook_lines, .n_lines = 2,
  };
  Served served = { 0 };
  gint64 shop, id = 0, channel, returned = -1;

  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error), >, 0);
  received.variant_id = id;
  received.location_id = shop;
  g_assert_true (omni_store_record_movements (store, &received, 1, &error));
  channel = omni_store_add_channel (store, "shopify", "Fern", "fern.myshopify.com",
                                    "http://127.0.0.1:9", &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (store, channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_store_upsert_channel_location (store, channel, "gid://shopify/Location/1",
                                                     "Shop Floor", TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (store, channel, "gid://shopify/Location/1", shop,
                                                  &error));
  /* Not a first sync: orders since the cursor count. */
  g_assert_true (omni_store_set_sync_cursor (store, channel, "orders", "2026-01-01T00:00:00Z",
                                             &error));
  g_assert_no_error (error);
  hook.channel_id = channel;
  hook_lines[0].variant_id = hook_lines[1].variant_id = id;

  if (webhook_first)
    {
      /* The refund's webhook arrives before the order was pulled. */
      g_assert_true (omni_store_record_refund (store, &hook, &returned, &error));
      g_assert_no_error (error);
      g_assert_cmpint (returned, ==, 1);
      g_assert_cmpint (omni_store_get_available_at (store, id, shop), ==, 11);
    }

  pull (path, channel, &served);
  g_assert_cmpuint (served.refund_requests, ==, 1);
  /* 10 − 3 sold + 1 restocked, whichever path came first. */
  g_assert_cmpint (omni_store_get_available_at (store, id, shop), ==, 8);
  g_assert_cmpint (returned_units (store, id), ==, 1);

  /* The webhook after the pull, and a second pull: nothing more. */
  g_assert_true (omni_store_record_refund (store, &hook, &returned, &error));
  g_assert_cmpint (returned, ==, 0);
  pull (path, channel, &served);
  g_assert_cmpint (omni_store_get_available_at (store, id, shop), ==, 8);
  g_assert_cmpint (returned_units (store, id), ==, 1);

  g_clear_object (&store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/omni/refund-pull/pull-first", GINT_TO_POINTER (FALSE),
                        test_pull_then_webhook);
  g_test_add_data_func ("/omni/refund-pull/webhook-first", GINT_TO_POINTER (TRUE),
                        test_pull_then_webhook);
  return g_test_run ();
}
