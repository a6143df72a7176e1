/* test-reconcile.c: the full comparison of a channel's quantities, its two
 * fixes and the once-a-day rule, against a Shopify answered through the
 * connector's test transport (the same interpretation as real answers)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "omni-reconcile.h"
#include "omni-shopify-private.h"
#include "omni-store-channel.h"
#include "omni-store-drift.h"
#include "omni-store-inventory.h"

#define LOCATION_GID "gid://shopify/Location/1"
#define ITEM_GID "gid://shopify/InventoryItem/1"

#define COST "\"extensions\": {\"cost\": {\"requestedQueryCost\": 10, \"actualQueryCost\": 10," \
  " \"throttleStatus\": {\"maximumAvailable\": 2000.0, \"currentlyAvailable\": 1990," \
  " \"restoreRate\": 100.0}}}"

static const char locations_answer[] =
  "{\"data\": {\"locations\": {\"nodes\": [{\"id\": \"" LOCATION_GID "\", \"name\":"
  " \"Shop Floor\", \"isActive\": true, \"shipsInventory\": true}], \"pageInfo\":"
  " {\"hasNextPage\": false, \"endCursor\": \"YzE=\"}}}, " COST "}";

static const char variants_answer[] =
  "{\"data\": {\"productVariants\": {\"nodes\": [{\"id\": \"gid://shopify/ProductVariant/1\","
  " \"sku\": \"FERN-1\", \"barcode\": null, \"title\": \"Default Title\", \"updatedAt\":"
  " \"2026-11-21T10:00:00Z\", \"product\": {\"id\": \"gid://shopify/Product/1\", \"title\":"
  " \"Fern\", \"handle\": \"fern\"}, \"inventoryItem\": {\"id\": \"" ITEM_GID "\","
  " \"tracked\": true}}], \"pageInfo\": {\"hasNextPage\": false, \"endCursor\": \"YzE=\"}}}, "
  COST "}";

/* The first pull counts the shop's variants to choose between cursor
 * paging and a bulk operation: one is far below the threshold. */
static const char count_answer[] =
  "{\"data\": {\"productVariantsCount\": {\"count\": 1, \"precision\": \"EXACT\"}}, " COST "}";

static const char orders_answer[] =
  "{\"data\": {\"orders\": {\"nodes\": [], \"pageInfo\": {\"hasNextPage\": false,"
  " \"endCursor\": null}}}, " COST "}";

static const char set_answer[] =
  "{\"data\": {\"inventorySetQuantities\": {\"inventoryAdjustmentGroup\": {\"id\":"
  " \"gid://shopify/InventoryAdjustmentGroup/1\"}, \"userErrors\": []}}, " COST "}";

static const char stale_answer[] =
  "{\"data\": {\"inventorySetQuantities\": {\"inventoryAdjustmentGroup\": null, \"userErrors\":"
  " [{\"field\": [\"input\"], \"message\": \"The quantity changed\", \"code\":"
  " \"CHANGE_FROM_QUANTITY_STALE\"}]}}, " COST "}";

/* What the mock shop holds, and what it was asked. */
typedef struct
{
  gint64 level;           /* FERN-1's available quantity at the one location */
  guint  requests;
  guint  sets;
} Shop;

static OmniHttpResponse *
respond (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  OmniHttpResponse *response;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  response = g_new0 (OmniHttpResponse, 1);
  response->status = 200;
  response->body = g_bytes_new (text, strlen (text));
  response->json = json_node_ref (json_parser_get_root (parser));
  response->attempts = 1;
  return response;
}

/* A compare-and-set as Shopify applies it: only from the quantity it has. */
static OmniHttpResponse *
set_quantities (Shop       *shop,
                const char *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *change;
  gint64 quantity;

  g_assert_true (json_parser_load_from_data (parser, request, -1, NULL));
  change = json_array_get_object_element (
    json_object_get_array_member (
      json_object_get_object_member (
        json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                       "variables"), "input"), "quantities"), 0);
  g_assert_cmpstr (json_object_get_string_member (change, "inventoryItemId"), ==, ITEM_GID);
  g_assert_cmpstr (json_object_get_string_member (change, "locationId"), ==, LOCATION_GID);
  quantity = json_object_get_int_member (change, "quantity");
  if (json_object_get_null_member (change, "changeFromQuantity") == FALSE &&
      json_object_get_int_member (change, "changeFromQuantity") != shop->level)
    return respond (stale_answer);
  shop->level = quantity;
  shop->sets++;
  return respond (set_answer);
}

static OmniHttpResponse *
answer (const char  *url,
        const char  *content_type,
        GBytes      *body,
        gpointer     user_data,
        GError     **error)
{
  Shop *shop = user_data;
  g_autofree char *request = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  shop->requests++;
  if (strstr (request, "query OmniLocations") != NULL)
    return respond (locations_answer);
  if (strstr (request, "query OmniProductVariantsCount") != NULL)
    return respond (count_answer);
  if (strstr (request, "query OmniVariants") != NULL)
    return respond (variants_answer);
  if (strstr (request, "query OmniOrders") != NULL)
    return respond (orders_answer);
  if (strstr (request, "mutation OmniSetQuantities") != NULL)
    return set_quantities (shop, request);
  if (strstr (request, "query OmniInventoryLevels") != NULL ||
      strstr (request, "query OmniInventoryLevel(") != NULL)
    {
      g_autofree char *text = NULL;

      if (strstr (request, "query OmniInventoryLevels") != NULL)
        text = g_strdup_printf ("{\"data\": {\"location\": {\"id\": \"" LOCATION_GID "\","
                                " \"inventoryLevels\": {\"nodes\": [{\"item\": {\"id\": \""
                                ITEM_GID "\"}, \"quantities\": [{\"name\": \"available\","
                                " \"quantity\": %" G_GINT64_FORMAT "}]}], \"pageInfo\":"
                                " {\"hasNextPage\": false, \"endCursor\": \"YzE=\"}}}}, "
                                COST "}", shop->level);
      else
        text = g_strdup_printf ("{\"data\": {\"inventoryItem\": {\"inventoryLevel\":"
                                " {\"quantities\": [{\"name\": \"available\", \"quantity\": %"
                                G_GINT64_FORMAT "}]}}}, " COST "}", shop->level);
      return respond (text);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unexpected request %.60s", request);
  return NULL;
}

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop_floor;
  gint64     channel;
  gint64     variant;
  Shop       shop;
} Fixture;

static OmniShopifyConnector *
connector_new (Fixture *f)
{
  OmniShopifyConnector *connector = omni_shopify_connector_new (f->path, f->channel);

  _omni_shopify_connector_set_transport (connector, answer, &f->shop, "shpat_test_credential");
  return connector;
}

static void
pull (Fixture *f)
{
  g_autoptr(OmniShopifyConnector) connector = connector_new (f);
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_shopify_connector_pull (connector, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Fern" };
  const OmniVariantSpec variant = { .sku = "FERN-1", .price = 1000, .compare_at_price = -1,
                                    .cost = -1, .reorder_point = -1, .reorder_qty = -1 };
  OmniMovementSpec received = { .on_hand_delta = 10, .reason = OMNI_REASON_RECEIVED,
                                .source = "app" };
  OmniChannelLinkSpec link = {
    .remote_variant_id = "gid://shopify/ProductVariant/1", .remote_inventory_id = ITEM_GID,
    .remote_sku = "FERN-1", .linked_by = "sku",
  };

  f->dir = g_dir_make_tmp ("omni-reconcile-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop_floor = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &f->variant,
                                              &error), >, 0);
  received.variant_id = f->variant;
  received.location_id = f->shop_floor;
  g_assert_true (omni_store_record_movements (f->store, &received, 1, &error));
  f->channel = omni_store_add_channel (f->store, "shopify", "Fern", "fern.myshopify.com",
                                       "http://127.0.0.1:9", &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, f->channel, "{\"auth\":\"token\"}",
                                                  &error));
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, LOCATION_GID,
                                                     "Shop Floor", TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (f->store, f->channel, LOCATION_GID,
                                                  f->shop_floor, &error));
  /* Linked already and past the first sync: the remote quantity is not
   * taken as the truth, so the pull leaves a drift to find. */
  link.channel_id = f->channel;
  link.variant_id = f->variant;
  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_true (omni_store_set_sync_cursor (f->store, f->channel, "orders",
                                             "2026-01-01T00:00:00Z", &error));
  g_assert_no_error (error);
  /* Sold 3 on the channel's side without an order reaching OmniStock. */
  f->shop.level = 7;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static guint
count_outbox (Fixture    *f,
              const char *state)
{
  g_autoptr(GPtrArray) entries = omni_store_list_outbox (f->store, f->channel, state, 0, NULL);

  g_assert_nonnull (entries);
  return entries->len;
}

static guint
count_movements (Fixture *f)
{
  OmniHistoryFilter filter = { 0 };
  g_autoptr(GPtrArray) movements = omni_store_get_history (f->store, f->variant, &filter, NULL);

  g_assert_nonnull (movements);
  return movements->len;
}

static guint
count_drift (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drifts = omni_store_list_drift (f->store, f->channel, 0, &error);

  g_assert_no_error (error);
  return drifts->len;
}

static void
test_listed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drifts = NULL;
  g_autoptr(GPtrArray) events = NULL;
  OmniDrift *d;

  pull (f);
  drifts = omni_store_list_drift (f->store, f->channel, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drifts->len, ==, 1);
  d = drifts->pdata[0];
  g_assert_cmpstr (d->sku, ==, "FERN-1");
  g_assert_cmpstr (d->location_name, ==, "Shop Floor");
  g_assert_cmpint (d->variant_id, ==, f->variant);
  g_assert_cmpint (d->location_id, ==, f->shop_floor);
  g_assert_cmpint (d->available, ==, 10);
  g_assert_cmpint (d->expected, ==, 10);
  g_assert_cmpint (d->remote, ==, 7);
  g_assert_cmpint (d->remote - d->expected, ==, -3);
  /* The pull queued the push that will settle it; nothing was recorded. */
  g_assert_cmpint (d->pending, ==, 1);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop_floor), ==, 10);

  events = omni_store_explain_drift (f->store, f->channel, f->variant, f->shop_floor, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 1);
  g_assert_cmpstr (((OmniDriftEvent *)events->pdata[0])->side, ==, "remote");
  g_assert_cmpint (((OmniDriftEvent *)events->pdata[0])->quantity, ==, 7);
}

static void
test_fix_local (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  guint pending, movements;
  gint64 entry;

  /* The channel's 7 seen (as a webhook would report it), nothing queued. */
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->variant, LOCATION_GID, 7,
                                              &error));
  g_assert_no_error (error);
  pending = count_outbox (f, "pending");
  g_assert_cmpuint (pending, ==, 0);
  g_assert_cmpuint (count_drift (f), ==, 1);
  movements = count_movements (f);
  entry = omni_store_drift_push_local (f->store, f->channel, f->variant, f->shop_floor, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry, >, 0);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, pending + 1);
  g_assert_cmpuint (count_movements (f), ==, movements);

  /* A second click does not queue a second push. */
  g_assert_cmpint (omni_store_drift_push_local (f->store, f->channel, f->variant, f->shop_floor,
                                                &error), ==, entry);
  g_assert_no_error (error);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);

  connector = connector_new (f);
  g_assert_true (omni_shopify_connector_push (connector, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->shop.sets, ==, 1);
  g_assert_cmpint (f->shop.level, ==, 10);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop_floor), ==, 10);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);
  g_assert_cmpuint (count_drift (f), ==, 0);

  /* A fresh pull agrees. */
  pull (f);
  g_assert_cmpuint (count_drift (f), ==, 0);
}

static void
test_fix_remote (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint pending, movements;
  gint64 delta = 0;

  pull (f);
  pending = count_outbox (f, "pending");
  movements = count_movements (f);
  g_assert_true (omni_store_drift_accept_remote (f->store, f->channel, f->variant, f->shop_floor,
                                                 "tester", &delta, &error));
  g_assert_no_error (error);
  g_assert_cmpint (delta, ==, -3);
  g_assert_cmpuint (count_movements (f), ==, movements + 1);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop_floor), ==,
                   f->shop.level);
  g_assert_cmpint (f->shop.level, ==, 7);
  /* Nothing goes back to the channel the quantity came from. */
  g_assert_cmpuint (count_outbox (f, "pending"), ==, pending);
  g_assert_cmpuint (count_drift (f), ==, 0);
  pull (f);
  g_assert_cmpuint (count_drift (f), ==, 0);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint pending, movements;
  gint64 delta = 99;

  pull (f);
  pending = count_outbox (f, "pending");
  movements = count_movements (f);

  /* An unknown SKU names no variant; nothing is looked up further. */
  g_assert_cmpint (omni_store_find_variant (f->store, "NO-SUCH-SKU", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A variant or location without a drift: both fixes refuse. */
  g_assert_cmpint (omni_store_drift_push_local (f->store, f->channel, f->variant + 1000,
                                                f->shop_floor, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (omni_store_drift_accept_remote (f->store, f->channel, f->variant,
                                                  f->shop_floor + 1000, NULL, &delta, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (delta, ==, 0);

  g_assert_cmpuint (count_outbox (f, "pending"), ==, pending);
  g_assert_cmpuint (count_movements (f), ==, movements);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop_floor), ==, 10);
  g_assert_cmpuint (count_drift (f), ==, 1);
}

static void
set_reconciled (Fixture *f,
                gint64   at_us)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_set_sync_cursor (f->store, f->channel, OMNI_RECONCILE_CURSOR, stamp,
                                             &error));
  g_assert_no_error (error);
}

static guint
count_reconcile_log (Fixture     *f,
                     const char **last_status)
{
  static char status[16];
  g_autoptr(GPtrArray) log = omni_store_list_sync_log (f->store, f->channel, 0, NULL);
  guint n = 0;

  g_assert_nonnull (log);
  status[0] = '\0';
  for (guint i = 0; i < log->len; i++)
    {
      OmniSyncLogEntry *e = log->pdata[i];

      if (g_strcmp0 (e->direction, "reconcile") != 0)
        continue;
      if (n++ == 0)
        g_strlcpy (status, e->status, sizeof status);
    }
  if (last_status)
    *last_status = status;
  return n;
}

static void
test_nightly (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = connector_new (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  const gint64 hour = G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  gint64 now = g_get_real_time ();
  const char *status = NULL;
  gboolean ran = FALSE;
  guint n_drifts = 99;

  /* Never reconciled: due. */
  g_assert_true (omni_store_reconcile_is_due (f->store, f->channel, now));

  /* An hour ago: nothing is asked of the channel, nothing logged. */
  set_reconciled (f, now - hour);
  g_assert_true (omni_reconcile_if_due (f->store, OMNI_CONNECTOR (connector), f->channel, now,
                                        NULL, &ran, &n_drifts, &error));
  g_assert_no_error (error);
  g_assert_false (ran);
  g_assert_cmpuint (n_drifts, ==, 0);
  g_assert_cmpuint (f->shop.requests, ==, 0);
  g_assert_cmpuint (count_reconcile_log (f, NULL), ==, 0);
  g_assert_cmpuint (count_drift (f), ==, 0);

  /* 25 hours ago: a full pull, the comparison, a log line, a new cursor. */
  set_reconciled (f, now - 25 * hour);
  g_assert_true (omni_reconcile_if_due (f->store, OMNI_CONNECTOR (connector), f->channel, now,
                                        NULL, &ran, &n_drifts, &error));
  g_assert_no_error (error);
  g_assert_true (ran);
  g_assert_cmpuint (n_drifts, ==, 1);
  g_assert_cmpuint (f->shop.requests, >, 0);
  g_assert_cmpuint (count_drift (f), ==, 1);
  g_assert_cmpuint (count_reconcile_log (f, &status), ==, 1);
  g_assert_cmpstr (status, ==, "conflict");
  g_assert_false (omni_store_reconcile_is_due (f->store, f->channel, now));
  g_assert_false (omni_store_reconcile_is_due (f->store, f->channel, now + 23 * hour));
  g_assert_true (omni_store_reconcile_is_due (f->store, f->channel, now + 24 * hour));
  cursor = omni_store_get_sync_cursor (f->store, f->channel, OMNI_RECONCILE_CURSOR);
  g_assert_nonnull (cursor);

  /* Right after: not due again. */
  f->shop.requests = 0;
  g_assert_true (omni_reconcile_if_due (f->store, OMNI_CONNECTOR (connector), f->channel, now,
                                        NULL, &ran, NULL, &error));
  g_assert_false (ran);
  g_assert_cmpuint (f->shop.requests, ==, 0);
  g_assert_cmpuint (count_reconcile_log (f, NULL), ==, 1);
}

/* A failed pull is logged and leaves the cursor, so the next sync retries. */
static OmniHttpResponse *
refuse_all (const char  *url,
            const char  *content_type,
            GBytes      *body,
            gpointer     user_data,
            GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused");
  return NULL;
}

static void
test_nightly_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = omni_shopify_connector_new (f->path, f->channel);
  g_autoptr(GError) error = NULL;
  const gint64 hour = G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  gint64 now = g_get_real_time ();
  const char *status = NULL;
  gboolean ran = FALSE;

  _omni_shopify_connector_set_transport (connector, refuse_all, NULL, "shpat_test_credential");
  set_reconciled (f, now - 25 * hour);
  g_assert_false (omni_reconcile_if_due (f->store, OMNI_CONNECTOR (connector), f->channel, now,
                                         NULL, &ran, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (ran);
  g_assert_cmpuint (count_reconcile_log (f, &status), ==, 1);
  g_assert_cmpstr (status, ==, "error");
  g_assert_true (omni_store_reconcile_is_due (f->store, f->channel, now));
}

/* The command line: the listing, a refused fix and an applied one. */
static int
run_cli (Fixture     *f,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("OMNISTOCK_CLI");
  const char *arg;
  va_list args;
  int status = -1;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *)cli);
  g_ptr_array_add (argv, (char *)"--db");
  g_ptr_array_add (argv, f->path);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonObject *row;
  JsonArray *list;
  guint pending, movements;

  pull (f);
  pending = count_outbox (f, "pending");
  movements = count_movements (f);

  g_assert_cmpint (run_cli (f, &out, "channel", "drift", "Fern", "--json", NULL), ==, 3);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "drift");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  row = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "sku"), ==, "FERN-1");
  g_assert_cmpstr (json_object_get_string_member (row, "location"), ==, "Shop Floor");
  g_assert_cmpint (json_object_get_int_member (row, "expected"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (row, "remote"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (row, "difference"), ==, -3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (row, "explanation")),
                    >=, 1);
  g_clear_pointer (&out, g_free);

  /* Refused, nothing changed: an unknown SKU is not found (exit 3), a fix
   * that is neither local nor remote is invalid (exit 2). */
  g_assert_cmpint (run_cli (f, &out, "channel", "drift", "Fern", "--fix", "remote", "--sku",
                            "NO-SUCH-SKU", NULL), ==, 3);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, &out, "channel", "drift", "Fern", "--fix", "sideways", "--sku",
                            "FERN-1", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, pending);
  g_assert_cmpuint (count_movements (f), ==, movements);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop_floor), ==, 10);

  g_assert_cmpint (run_cli (f, &out, "channel", "drift", "Fern", "--fix", "remote", "--sku",
                            "FERN-1", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  /* Read what the other process wrote through a new connection. */
  g_clear_object (&f->store);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop_floor), ==, 7);
  g_assert_cmpuint (count_movements (f), ==, movements + 1);
  g_assert_cmpint (run_cli (f, &out, "channel", "drift", "Fern", NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/omni/reconcile/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("listed", test_listed);
  ADD ("fix-local", test_fix_local);
  ADD ("fix-remote", test_fix_remote);
  ADD ("refused", test_refused);
  ADD ("nightly", test_nightly);
  ADD ("nightly-failure", test_nightly_failure);
  ADD ("cli", test_cli);
#undef ADD
  return g_test_run ();
}
