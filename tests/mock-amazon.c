/* mock-amazon.c: an in-process Amazon Selling Partner API for tests
 *
 * A SoupServer on 127.0.0.1 that answers what OmniStock sends the way the
 * SP-API documents it:
 *  - Login with Amazon: POST /auth/o2/token, grant_type=refresh_token with
 *    client_id, client_secret and refresh_token (form encoded), answering
 *    {access_token, token_type, expires_in, refresh_token}; tokens expire
 *    after their lifetime and are then refused with 401;
 *  - every SP-API request must carry a known token in x-amz-access-token
 *    (403 Unauthorized otherwise);
 *  - getInventorySummaries (payload.inventorySummaries, pagination.nextToken),
 *    searchListingsItems (items, pagination.nextToken), getListingsItem,
 *    patchListingsItem (a merge of fulfillment_availability: ACCEPTED, or
 *    INVALID with issues), getOrders (payload.Orders, payload.NextToken,
 *    LastUpdatedAfter) and getOrderItems;
 *  - 429 with x-amzn-RateLimit-Limit on demand, and optionally a real token
 *    bucket per operation that throttles a client sending too fast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "mock-amazon.h"

#define LISTINGS_PREFIX "/listings/2021-08-01/items/"

typedef struct
{
  char   *sku;
  char   *product_type;
  gboolean merchant;
  gint64   quantity;      /* merchant-fulfilled (DEFAULT) */
  gint64   fba;           /* fulfillable at Amazon, -1: not FBA */
  guint    patches;
  char    *invalid;       /* patch answered INVALID with this message */
} Listing;

typedef struct
{
  char   *id;
  char   *fulfillment;
  char   *status;
  char   *sku;
  gint64  quantity;
  char   *amount;
  char   *purchased;
  char   *updated;
  gboolean reserved;      /* took stock from the listing */
} Order;

typedef struct
{
  double rate;
  double burst;
  double tokens;
  gint64 at;
} Bucket;

struct _MockAmazon
{
  SoupServer      *server;
  char            *url;
  char            *seller;
  char            *marketplace;
  char            *client_id;
  char            *client_secret;
  char            *refresh_token;
  guint            lifetime_s;
  GHashTable      *tokens;          /* token → expiry (monotonic µs) */
  GPtrArray       *listings;
  GPtrArray       *orders;
  guint            page_size[MOCK_AMAZON_N_OPS];
  guint            throttle[MOCK_AMAZON_N_OPS];
  char            *rate_header[MOCK_AMAZON_N_OPS];
  Bucket           buckets[MOCK_AMAZON_N_OPS];
  MockAmazonHook   hook;
  gpointer         hook_data;
  MockAmazonStats  stats;
};

static void
listing_free (gpointer data)
{
  Listing *l = data;

  g_free (l->sku);
  g_free (l->product_type);
  g_free (l->invalid);
  g_free (l);
}

static void
order_free (gpointer data)
{
  Order *o = data;

  g_free (o->id);
  g_free (o->fulfillment);
  g_free (o->status);
  g_free (o->sku);
  g_free (o->amount);
  g_free (o->purchased);
  g_free (o->updated);
  g_free (o);
}

static char *
now_stamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "details");
  json_builder_add_string_value (builder, "");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_node (msg, status, root);
}

static Listing *
find_listing (MockAmazon *mock,
              const char *sku)
{
  for (guint i = 0; i < mock->listings->len; i++)
    {
      Listing *l = mock->listings->pdata[i];

      if (g_strcmp0 (l->sku, sku) == 0)
        return l;
    }
  return NULL;
}

static Order *
find_order (MockAmazon *mock,
            const char *id)
{
  for (guint i = 0; i < mock->orders->len; i++)
    {
      Order *o = mock->orders->pdata[i];

      if (g_strcmp0 (o->id, id) == 0)
        return o;
    }
  return NULL;
}

/* Login with Amazon ------------------------------------------------------ */

static void
handle_token (MockAmazon        *mock,
              SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);

  mock->stats.by_operation[MOCK_AMAZON_OP_TOKEN]++;
  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 ||
      g_strcmp0 (type, "application/x-www-form-urlencoded") != 0 ||
      g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "refresh_token") != 0)
    {
      mock->stats.refused_grants++;
      mock->stats.bad_requests++;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, "invalid_request");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      respond_node (msg, 400, root);
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), mock->client_id) != 0 ||
      g_strcmp0 (g_hash_table_lookup (form, "client_secret"), mock->client_secret) != 0)
    {
      mock->stats.refused_grants++;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, "invalid_client");
      json_builder_set_member_name (builder, "error_description");
      json_builder_add_string_value (builder, "Client authentication failed");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      respond_node (msg, 401, root);
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (form, "refresh_token"), mock->refresh_token) != 0)
    {
      mock->stats.refused_grants++;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, "invalid_grant");
      json_builder_set_member_name (builder, "error_description");
      json_builder_add_string_value (builder, "The request has an invalid grant parameter");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      respond_node (msg, 400, root);
      return;
    }

  mock->stats.token_exchanges++;
  token = g_strdup_printf ("Atza|mock-%08x%08x", g_random_int (), g_random_int ());
  g_hash_table_insert (mock->tokens, g_strdup (token),
                       g_memdup2 (&(gint64){ g_get_monotonic_time () +
                                             (gint64)mock->lifetime_s * G_USEC_PER_SEC },
                                  sizeof (gint64)));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, mock->lifetime_s);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, mock->refresh_token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_node (msg, 200, root);
}

/* Inventory -------------------------------------------------------------- */

static guint
page_size (MockAmazon          *mock,
           MockAmazonOperation  op,
           guint                fallback)
{
  return mock->page_size[op] > 0 ? mock->page_size[op] : fallback;
}

static guint
parse_offset (const char *token,
              const char *prefix)
{
  if (token == NULL || !g_str_has_prefix (token, prefix))
    return 0;
  return (guint)MIN (g_ascii_strtoull (token + strlen (prefix), NULL, 10), G_MAXUINT);
}

static void
handle_inventory (MockAmazon        *mock,
                  SoupServerMessage *msg,
                  GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint size = page_size (mock, MOCK_AMAZON_OP_INVENTORY, 50);
  guint offset = 0, seen = 0, i;
  const char *next = query ? g_hash_table_lookup (query, "nextToken") : NULL;

  if (query == NULL ||
      g_strcmp0 (g_hash_table_lookup (query, "granularityType"), "Marketplace") != 0 ||
      g_strcmp0 (g_hash_table_lookup (query, "granularityId"), mock->marketplace) != 0 ||
      g_strcmp0 (g_hash_table_lookup (query, "marketplaceIds"), mock->marketplace) != 0 ||
      g_strcmp0 (g_hash_table_lookup (query, "details"), "true") != 0)
    {
      mock->stats.bad_requests++;
      respond_error (msg, 400, "InvalidInput", "granularityType, granularityId, "
                     "marketplaceIds and details are required");
      return;
    }
  offset = parse_offset (next, "inv-");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payload");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "granularity");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "granularityType");
  json_builder_add_string_value (builder, "Marketplace");
  json_builder_set_member_name (builder, "granularityId");
  json_builder_add_string_value (builder, mock->marketplace);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "inventorySummaries");
  json_builder_begin_array (builder);
  for (i = 0; i < mock->listings->len; i++)
    {
      Listing *l = mock->listings->pdata[i];

      if (l->fba < 0)
        continue;
      if (seen++ < offset)
        continue;
      if (seen > offset + size)
        break;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "asin");
      json_builder_add_string_value (builder, "B0000MOCK0");
      json_builder_set_member_name (builder, "fnSku");
      json_builder_add_string_value (builder, "X0000MOCK0");
      json_builder_set_member_name (builder, "sellerSku");
      json_builder_add_string_value (builder, l->sku);
      json_builder_set_member_name (builder, "condition");
      json_builder_add_string_value (builder, "NewItem");
      json_builder_set_member_name (builder, "inventoryDetails");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fulfillableQuantity");
      json_builder_add_int_value (builder, l->fba);
      json_builder_set_member_name (builder, "inboundWorkingQuantity");
      json_builder_add_int_value (builder, 3);
      json_builder_set_member_name (builder, "inboundShippedQuantity");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "inboundReceivingQuantity");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "reservedQuantity");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "totalReservedQuantity");
      json_builder_add_int_value (builder, 1);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "lastUpdatedTime");
      json_builder_add_string_value (builder, "");
      json_builder_set_member_name (builder, "productName");
      json_builder_add_string_value (builder, l->sku);
      json_builder_set_member_name (builder, "totalQuantity");
      json_builder_add_int_value (builder, l->fba + 4);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (i < mock->listings->len)
    {
      g_autofree char *token = g_strdup_printf ("inv-%u", offset + size);

      json_builder_set_member_name (builder, "pagination");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "nextToken");
      json_builder_add_string_value (builder, token);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_node (msg, 200, root);
}

/* Listings --------------------------------------------------------------- */

static void
add_item (MockAmazon  *mock,
          JsonBuilder *builder,
          Listing     *l)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sku");
  json_builder_add_string_value (builder, l->sku);
  json_builder_set_member_name (builder, "summaries");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "marketplaceId");
  json_builder_add_string_value (builder, mock->marketplace);
  json_builder_set_member_name (builder, "asin");
  json_builder_add_string_value (builder, "B0000MOCK0");
  json_builder_set_member_name (builder, "productType");
  json_builder_add_string_value (builder, l->product_type);
  json_builder_set_member_name (builder, "conditionType");
  json_builder_add_string_value (builder, "new_new");
  json_builder_set_member_name (builder, "status");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "BUYABLE");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "itemName");
  json_builder_add_string_value (builder, l->sku);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "fulfillmentAvailability");
  json_builder_begin_array (builder);
  if (l->merchant)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fulfillmentChannelCode");
      json_builder_add_string_value (builder, "DEFAULT");
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, l->quantity);
      json_builder_end_object (builder);
    }
  if (l->fba >= 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fulfillmentChannelCode");
      json_builder_add_string_value (builder, "AMAZON_EU");
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, l->fba);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
handle_search (MockAmazon        *mock,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint64 size = 10;
  guint offset, i;
  const char *wanted = query ? g_hash_table_lookup (query, "pageSize") : NULL;

  mock->stats.by_operation[MOCK_AMAZON_OP_SEARCH]++;
  if (query == NULL || g_strcmp0 (g_hash_table_lookup (query, "marketplaceIds"),
                                  mock->marketplace) != 0 ||
      (wanted != NULL && !g_ascii_string_to_unsigned (wanted, 10, 1, 20, &size, NULL)))
    {
      mock->stats.bad_requests++;
      respond_error (msg, 400, "InvalidInput", "marketplaceIds is required; pageSize is 1 to 20");
      return;
    }
  size = MIN (size, page_size (mock, MOCK_AMAZON_OP_SEARCH, 20));
  offset = parse_offset (g_hash_table_lookup (query, "pageToken"), "lst-");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "numberOfResults");
  json_builder_add_int_value (builder, mock->listings->len);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (i = offset; i < mock->listings->len && i < offset + size; i++)
    add_item (mock, builder, mock->listings->pdata[i]);
  json_builder_end_array (builder);
  if (i < mock->listings->len)
    {
      g_autofree char *token = g_strdup_printf ("lst-%u", i);

      json_builder_set_member_name (builder, "pagination");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "nextToken");
      json_builder_add_string_value (builder, token);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_node (msg, 200, root);
}

static gboolean
read_patch (SoupServerMessage *msg,
            const char        *expected_type,
            gint64            *quantity)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *patch, *value;
  JsonArray *patches, *values;
  JsonNode *q;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize)g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "productType", NULL),
                 expected_type) != 0 ||
      !json_object_has_member (root, "patches"))
    return FALSE;
  patches = json_object_get_array_member (root, "patches");
  if (patches == NULL || json_array_get_length (patches) != 1)
    return FALSE;
  patch = json_array_get_object_element (patches, 0);
  if (g_strcmp0 (json_object_get_string_member_with_default (patch, "op", NULL), "merge") != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (patch, "path", NULL),
                 "/attributes/fulfillment_availability") != 0 ||
      !json_object_has_member (patch, "value"))
    return FALSE;
  values = json_object_get_array_member (patch, "value");
  if (values == NULL || json_array_get_length (values) != 1)
    return FALSE;
  value = json_array_get_object_element (values, 0);
  if (g_strcmp0 (json_object_get_string_member_with_default (value, "fulfillment_channel_code",
                                                             NULL), "DEFAULT") != 0)
    return FALSE;
  q = json_object_get_member (value, "quantity");
  if (q == NULL || json_node_get_value_type (q) != G_TYPE_INT64 || json_node_get_int (q) < 0)
    return FALSE;
  *quantity = json_node_get_int (q);
  return TRUE;
}

static void
handle_item (MockAmazon        *mock,
             SoupServerMessage *msg,
             GHashTable        *query,
             const char        *sku_escaped)
{
  g_autofree char *sku = g_uri_unescape_string (sku_escaped, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *method = soup_server_message_get_method (msg);
  Listing *l = sku ? find_listing (mock, sku) : NULL;
  gint64 quantity = 0;

  mock->stats.by_operation[g_str_equal (method, "PATCH") ? MOCK_AMAZON_OP_PATCH
                                                         : MOCK_AMAZON_OP_GET_ITEM]++;
  if (query == NULL || g_strcmp0 (g_hash_table_lookup (query, "marketplaceIds"),
                                  mock->marketplace) != 0)
    {
      mock->stats.bad_requests++;
      respond_error (msg, 400, "InvalidInput", "marketplaceIds is required");
      return;
    }
  if (l == NULL)
    {
      respond_error (msg, 404, "NOT_FOUND", "Requested item not found");
      return;
    }

  if (g_str_equal (method, "GET"))
    {
      add_item (mock, builder, l);
      root = json_builder_get_root (builder);
      respond_node (msg, 200, root);
      return;
    }
  if (!g_str_equal (method, "PATCH") || !read_patch (msg, l->product_type, &quantity))
    {
      mock->stats.bad_requests++;
      respond_error (msg, 400, "BAD_REQUEST", "Invalid input");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sku");
  json_builder_add_string_value (builder, l->sku);
  json_builder_set_member_name (builder, "submissionId");
  json_builder_add_string_value (builder, "f1dc2914-75dd-11ea-bc55-0242ac130003");
  json_builder_set_member_name (builder, "status");
  if (l->invalid != NULL)
    {
      mock->stats.invalid++;
      json_builder_add_string_value (builder, "INVALID");
      json_builder_set_member_name (builder, "issues");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, "90000900");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, l->invalid);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, "ERROR");
      json_builder_set_member_name (builder, "attributeNames");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "fulfillment_availability");
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  else
    {
      mock->stats.patches++;
      l->patches++;
      if (l->quantity != quantity || !l->merchant)
        mock->stats.applied++;
      l->quantity = quantity;
      l->merchant = TRUE;
      json_builder_add_string_value (builder, "ACCEPTED");
      json_builder_set_member_name (builder, "issues");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_node (msg, 200, root);

  if (l->invalid == NULL && mock->hook != NULL)
    mock->hook (mock, l->sku, mock->hook_data);
}

/* Orders ----------------------------------------------------------------- */

static void
add_money (JsonBuilder *builder,
           const char  *name,
           const char  *amount)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "CurrencyCode");
  json_builder_add_string_value (builder, "EUR");
  json_builder_set_member_name (builder, "Amount");
  json_builder_add_string_value (builder, amount);
  json_builder_end_object (builder);
}

static gint64
stamp_us (const char *iso)
{
  g_autoptr(GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return dt ? g_date_time_to_unix (dt) * G_USEC_PER_SEC : -1;
}

static void
handle_orders (MockAmazon        *mock,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *after = query ? g_hash_table_lookup (query, "LastUpdatedAfter") : NULL;
  const char *next = query ? g_hash_table_lookup (query, "NextToken") : NULL;
  g_autofree char *saved_after = NULL;
  guint size = page_size (mock, MOCK_AMAZON_OP_ORDERS, 100);
  guint offset = 0, seen = 0, i;
  gint64 after_us;

  mock->stats.by_operation[MOCK_AMAZON_OP_ORDERS]++;
  if (next != NULL)
    {
      /* NextToken = "ord-OFFSET-AFTER" */
      const char *dash;

      offset = parse_offset (next, "ord-");
      dash = strchr (next + 4, '-');
      saved_after = dash ? g_strdup (dash + 1) : NULL;
      after = saved_after;
    }
  after_us = stamp_us (after);
  if (query == NULL || g_strcmp0 (g_hash_table_lookup (query, "MarketplaceIds"),
                                  mock->marketplace) != 0 || after_us < 0)
    {
      mock->stats.bad_requests++;
      respond_error (msg, 400, "InvalidInput",
                     "MarketplaceIds and CreatedAfter or LastUpdatedAfter are required");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payload");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Orders");
  json_builder_begin_array (builder);
  for (i = 0; i < mock->orders->len; i++)
    {
      Order *o = mock->orders->pdata[i];

      if (stamp_us (o->updated) < after_us)
        continue;
      if (seen++ < offset)
        continue;
      if (seen > offset + size)
        break;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "AmazonOrderId");
      json_builder_add_string_value (builder, o->id);
      json_builder_set_member_name (builder, "PurchaseDate");
      json_builder_add_string_value (builder, o->purchased);
      json_builder_set_member_name (builder, "LastUpdateDate");
      json_builder_add_string_value (builder, o->updated);
      json_builder_set_member_name (builder, "OrderStatus");
      json_builder_add_string_value (builder, o->status);
      json_builder_set_member_name (builder, "FulfillmentChannel");
      json_builder_add_string_value (builder, o->fulfillment);
      json_builder_set_member_name (builder, "MarketplaceId");
      json_builder_add_string_value (builder, mock->marketplace);
      add_money (builder, "OrderTotal", o->amount);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (i < mock->orders->len)
    {
      g_autofree char *token = g_strdup_printf ("ord-%u-%s", offset + size, after);

      json_builder_set_member_name (builder, "NextToken");
      json_builder_add_string_value (builder, token);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_node (msg, 200, root);
}

static void
handle_order_items (MockAmazon        *mock,
                    SoupServerMessage *msg,
                    const char        *id_escaped)
{
  g_autofree char *id = g_uri_unescape_string (id_escaped, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  Order *o = id ? find_order (mock, id) : NULL;

  mock->stats.by_operation[MOCK_AMAZON_OP_ORDER_ITEMS]++;
  if (o == NULL)
    {
      respond_error (msg, 404, "NotFound", "Order not found");
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payload");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "AmazonOrderId");
  json_builder_add_string_value (builder, o->id);
  json_builder_set_member_name (builder, "OrderItems");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ASIN");
  json_builder_add_string_value (builder, "B0000MOCK0");
  json_builder_set_member_name (builder, "SellerSKU");
  json_builder_add_string_value (builder, o->sku);
  json_builder_set_member_name (builder, "OrderItemId");
  json_builder_add_string_value (builder, "68828574383266");
  json_builder_set_member_name (builder, "Title");
  json_builder_add_string_value (builder, o->sku);
  json_builder_set_member_name (builder, "QuantityOrdered");
  json_builder_add_int_value (builder, o->quantity);
  json_builder_set_member_name (builder, "QuantityShipped");
  json_builder_add_int_value (builder, 0);
  add_money (builder, "ItemPrice", o->amount);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_node (msg, 200, root);
}

/* Dispatch --------------------------------------------------------------- */

static MockAmazonOperation
operation_of (MockAmazon *mock,
              const char *method,
              const char *path)
{
  g_autofree char *prefix = g_strconcat (LISTINGS_PREFIX, mock->seller, NULL);

  if (g_str_equal (path, "/fba/inventory/v1/summaries"))
    return MOCK_AMAZON_OP_INVENTORY;
  if (g_str_equal (path, prefix))
    return MOCK_AMAZON_OP_SEARCH;
  if (g_str_has_prefix (path, prefix) && path[strlen (prefix)] == '/')
    return g_str_equal (method, "PATCH") ? MOCK_AMAZON_OP_PATCH : MOCK_AMAZON_OP_GET_ITEM;
  if (g_str_equal (path, "/orders/v0/orders"))
    return MOCK_AMAZON_OP_ORDERS;
  if (g_str_has_prefix (path, "/orders/v0/orders/") && g_str_has_suffix (path, "/orderItems"))
    return MOCK_AMAZON_OP_ORDER_ITEMS;
  return MOCK_AMAZON_OP_OTHER;
}

static gboolean
bucket_take (Bucket *b)
{
  gint64 now = g_get_monotonic_time ();

  if (b->rate <= 0)
    return TRUE;
  b->tokens = MIN (b->burst, b->tokens + b->rate * (now - b->at) / 1e6);
  b->at = now;
  /* A fifth of a token of slack: on a loaded test machine a request's
   * latency varies by tens of milliseconds, which a client pacing itself
   * exactly cannot foresee. */
  if (b->tokens < 0.8)
    return FALSE;
  b->tokens -= 1.0;
  return TRUE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  MockAmazon *mock = user_data;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *token;
  gint64 *expiry;
  MockAmazonOperation op;
  g_autofree char *prefix = g_strconcat (LISTINGS_PREFIX, mock->seller, "/", NULL);

  /* One request per connection: none is left open when the mock goes. */
  soup_message_headers_replace (response_headers, "Connection", "close");
  mock->stats.requests++;

  if (g_str_equal (path, "/auth/o2/token"))
    {
      handle_token (mock, msg);
      return;
    }

  op = operation_of (mock, method, path);
  token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "x-amz-access-token");
  if (token != NULL)
    {
      g_string_append (mock->stats.seen_tokens, token);
      g_string_append_c (mock->stats.seen_tokens, '\n');
    }
  expiry = token ? g_hash_table_lookup (mock->tokens, token) : NULL;
  if (expiry == NULL)
    {
      mock->stats.unauthorized++;
      respond_error (msg, 403, "Unauthorized", "Access to requested resource is denied.");
      return;
    }
  if (g_get_monotonic_time () >= *expiry)
    {
      mock->stats.unauthorized++;
      respond_error (msg, 401, "Unauthorized", "The access token you provided has expired.");
      return;
    }

  if (mock->rate_header[op] != NULL)
    soup_message_headers_replace (response_headers, "x-amzn-RateLimit-Limit",
                                  mock->rate_header[op]);
  if (mock->throttle[op] > 0 || !bucket_take (&mock->buckets[op]))
    {
      if (mock->throttle[op] > 0)
        mock->throttle[op]--;
      mock->stats.throttled++;
      respond_error (msg, 429, "QuotaExceeded", "You exceeded your quota for the requested "
                     "resource.");
      return;
    }

  switch (op)
    {
    case MOCK_AMAZON_OP_INVENTORY:
      mock->stats.by_operation[op]++;
      if (g_str_equal (method, "GET"))
        handle_inventory (mock, msg, query);
      else
        respond_error (msg, 405, "MethodNotAllowed", "Method not allowed");
      break;
    case MOCK_AMAZON_OP_SEARCH:
      handle_search (mock, msg, query);
      break;
    case MOCK_AMAZON_OP_GET_ITEM:
    case MOCK_AMAZON_OP_PATCH:
      handle_item (mock, msg, query, path + strlen (prefix));
      break;
    case MOCK_AMAZON_OP_ORDERS:
      handle_orders (mock, msg, query);
      break;
    case MOCK_AMAZON_OP_ORDER_ITEMS:
      {
        g_autofree char *id = g_strndup (path + strlen ("/orders/v0/orders/"),
                                         strlen (path) - strlen ("/orders/v0/orders/")
                                         - strlen ("/orderItems"));
        handle_order_items (mock, msg, id);
      }
      break;
    case MOCK_AMAZON_OP_TOKEN:
    case MOCK_AMAZON_OP_OTHER:
    case MOCK_AMAZON_N_OPS:
    default:
      mock->stats.by_operation[MOCK_AMAZON_OP_OTHER]++;
      respond_error (msg, 404, "NotFound", "Resource not found");
      break;
    }
}

/* Public ----------------------------------------------------------------- */

MockAmazon *
mock_amazon_new (const char *seller_id,
                 const char *marketplace_id)
{
  MockAmazon *mock = g_new0 (MockAmazon, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri = NULL;

  mock->seller = g_strdup (seller_id);
  mock->marketplace = g_strdup (marketplace_id);
  mock->lifetime_s = 3600;
  mock->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  mock->listings = g_ptr_array_new_with_free_func (listing_free);
  mock->orders = g_ptr_array_new_with_free_func (order_free);
  mock->stats.seen_tokens = g_string_new (NULL);

  mock->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (mock->server, NULL, server_callback, mock, NULL);
  if (!soup_server_listen_local (mock->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The mock Amazon server cannot listen: %s", error->message);
  uris = soup_server_get_uris (mock->server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);
  if (g_str_has_suffix (uri, "/"))
    uri[strlen (uri) - 1] = '\0';
  mock->url = g_steal_pointer (&uri);
  return mock;
}

void
mock_amazon_free (MockAmazon *mock)
{
  soup_server_disconnect (mock->server);
  g_object_unref (mock->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (mock->url);
  g_free (mock->seller);
  g_free (mock->marketplace);
  g_free (mock->client_id);
  g_free (mock->client_secret);
  g_free (mock->refresh_token);
  g_hash_table_unref (mock->tokens);
  g_ptr_array_unref (mock->listings);
  g_ptr_array_unref (mock->orders);
  for (guint i = 0; i < MOCK_AMAZON_N_OPS; i++)
    g_free (mock->rate_header[i]);
  g_string_free (mock->stats.seen_tokens, TRUE);
  g_free (mock);
}

const char *
mock_amazon_get_url (MockAmazon *mock)
{
  return mock->url;
}

void
mock_amazon_set_client (MockAmazon *mock,
                        const char *client_id,
                        const char *client_secret,
                        const char *refresh_token)
{
  g_free (mock->client_id);
  g_free (mock->client_secret);
  g_free (mock->refresh_token);
  mock->client_id = g_strdup (client_id);
  mock->client_secret = g_strdup (client_secret);
  mock->refresh_token = g_strdup (refresh_token);
}

void
mock_amazon_set_token_lifetime (MockAmazon *mock,
                                guint       seconds)
{
  mock->lifetime_s = seconds;
}

/* Every access token issued so far expires now (answered 401 from then on). */
void
mock_amazon_expire_tokens (MockAmazon *mock)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, mock->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    *(gint64 *)value = g_get_monotonic_time ();
}

void
mock_amazon_set_page_size (MockAmazon          *mock,
                           MockAmazonOperation  operation,
                           guint                size)
{
  mock->page_size[operation] = size;
}

/* The next @count requests of @operation are answered 429, with
 * x-amzn-RateLimit-Limit: @rate_header (and so are later answers). */
void
mock_amazon_throttle_next (MockAmazon          *mock,
                           MockAmazonOperation  operation,
                           guint                count,
                           const char          *rate_header)
{
  mock->throttle[operation] = count;
  g_free (mock->rate_header[operation]);
  mock->rate_header[operation] = g_strdup (rate_header);
}

/* Throttles @operation as Amazon does: a token bucket, full at first. */
void
mock_amazon_enforce_rate (MockAmazon          *mock,
                          MockAmazonOperation  operation,
                          double               rate,
                          double               burst)
{
  mock->buckets[operation].rate = rate;
  mock->buckets[operation].burst = burst;
  mock->buckets[operation].tokens = burst;
  mock->buckets[operation].at = g_get_monotonic_time ();
}

/* Called after a patch is applied, before it is answered. */
void
mock_amazon_set_patch_hook (MockAmazon     *mock,
                            MockAmazonHook  hook,
                            gpointer        user_data)
{
  mock->hook = hook;
  mock->hook_data = user_data;
}

/**
 * mock_amazon_add_listing:
 * @merchant_quantity: the DEFAULT (merchant-fulfilled) quantity, or -1 for
 *   a listing fulfilled by Amazon only
 * @fba_fulfillable: what is fulfillable at Amazon, or -1 when not FBA
 */
guint
mock_amazon_add_listing (MockAmazon *mock,
                         const char *sku,
                         const char *product_type,
                         gint64      merchant_quantity,
                         gint64      fba_fulfillable)
{
  Listing *l = g_new0 (Listing, 1);

  l->sku = g_strdup (sku);
  l->product_type = g_strdup (product_type);
  l->merchant = merchant_quantity >= 0;
  l->quantity = MAX (merchant_quantity, 0);
  l->fba = fba_fulfillable;
  g_ptr_array_add (mock->listings, l);
  return mock->listings->len - 1;
}

gint64
mock_amazon_get_quantity (MockAmazon *mock,
                          const char *sku)
{
  Listing *l = find_listing (mock, sku);

  return l && l->merchant ? l->quantity : -1;
}

guint
mock_amazon_patch_count (MockAmazon *mock,
                         const char *sku)
{
  Listing *l = find_listing (mock, sku);

  return l ? l->patches : 0;
}

void
mock_amazon_set_fba (MockAmazon *mock,
                     const char *sku,
                     gint64      fulfillable)
{
  Listing *l = find_listing (mock, sku);

  g_assert (l != NULL);
  l->fba = fulfillable;
}

void
mock_amazon_set_invalid (MockAmazon *mock,
                         const char *sku,
                         const char *message)
{
  Listing *l = find_listing (mock, sku);

  g_assert (l != NULL);
  g_free (l->invalid);
  l->invalid = g_strdup (message);
}

static void
reserve (MockAmazon *mock,
         Order      *o,
         gint64      sign)
{
  Listing *l = find_listing (mock, o->sku);

  if (l == NULL)
    return;
  if (g_strcmp0 (o->fulfillment, "AFN") == 0)
    l->fba = MAX (l->fba - sign * o->quantity, 0);
  else
    l->quantity = MAX (l->quantity - sign * o->quantity, 0);
}

/**
 * mock_amazon_add_order:
 * @fulfillment: "MFN" or "AFN"
 * @status: "Pending", "Unshipped", "Shipped", …
 * @amount: the line's total, "19.90"
 *
 * A new order of one line, updated now; its units leave the listing's
 * quantity as Amazon's do (unless it is Pending or Canceled).
 */
void
mock_amazon_add_order (MockAmazon *mock,
                       const char *order_id,
                       const char *fulfillment,
                       const char *status,
                       const char *sku,
                       gint64      quantity,
                       const char *amount)
{
  Order *o = g_new0 (Order, 1);

  o->id = g_strdup (order_id);
  o->fulfillment = g_strdup (fulfillment);
  o->status = g_strdup (status);
  o->sku = g_strdup (sku);
  o->quantity = quantity;
  o->amount = g_strdup (amount);
  o->purchased = now_stamp ();
  o->updated = now_stamp ();
  if (g_strcmp0 (status, "Pending") != 0 && g_strcmp0 (status, "Canceled") != 0)
    {
      reserve (mock, o, 1);
      o->reserved = TRUE;
    }
  g_ptr_array_add (mock->orders, o);
}

void
mock_amazon_set_order_status (MockAmazon *mock,
                              const char *order_id,
                              const char *status)
{
  Order *o = find_order (mock, order_id);

  g_assert (o != NULL);
  g_free (o->status);
  o->status = g_strdup (status);
  g_free (o->updated);
  o->updated = now_stamp ();
  /* Keep the orders sorted by their last update, as getOrders lists them. */
  for (guint i = 0; i < mock->orders->len; i++)
    if (mock->orders->pdata[i] == o)
      {
        g_ptr_array_steal_index (mock->orders, i);
        break;
      }
  g_ptr_array_add (mock->orders, o);
  if (g_strcmp0 (status, "Canceled") == 0 && o->reserved)
    {
      reserve (mock, o, -1);
      o->reserved = FALSE;
    }
  else if (g_strcmp0 (status, "Canceled") != 0 && g_strcmp0 (status, "Pending") != 0 &&
           !o->reserved)
    {
      reserve (mock, o, 1);
      o->reserved = TRUE;
    }
}

const MockAmazonStats *
mock_amazon_get_stats (MockAmazon *mock)
{
  return &mock->stats;
}
