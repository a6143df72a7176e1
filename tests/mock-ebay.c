/* mock-ebay.c: an in-process eBay Sell API server for tests
 *
 * Serves, on 127.0.0.1, what the eBay connector calls, in the shapes of
 * eBay's published contracts (sell_inventory_v1_oas3.json for the Inventory
 * API; the Fulfillment API's getOrders; the OAuth refresh-token grant):
 *   POST /identity/v1/oauth2/token            Basic client auth, expiring tokens
 *   GET  /sell/inventory/v1/inventory_item     limit/offset pages with `next`
 *   GET  /sell/inventory/v1/offer?sku=         the offers of one SKU
 *   POST /sell/inventory/v1/bulk_update_price_quantity
 *                                              ≤ 25 requests, one answer per
 *                                              offer (or SKU), 200 or 207
 *   GET  /sell/fulfillment/v1/order            filter=lastmodifieddate:[X..]
 * plus 429 with error 2001 on demand. It runs on the thread that iterates
 * the default main context (the test's), while the connector runs on a
 * worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mock-ebay.h"

#define SCOPE_INVENTORY   "https://api.ebay.com/oauth/api_scope/sell.inventory"
#define SCOPE_FULFILLMENT "https://api.ebay.com/oauth/api_scope/sell.fulfillment"

typedef struct
{
  char   *id;
  gint64  quantity;
} Offer;

typedef struct
{
  char      *sku;
  gint64     quantity;
  GPtrArray *offers;
  guint      updates;
  gint64     last_sent;
  guint      fail_status;
  gint64     fail_error_id;
  char      *fail_message;
} Item;

typedef struct
{
  char   *id;
  char   *sku;
  gint64  quantity;
  char   *line_total;
  gint64  created_us;
  gint64  modified_us;
  gboolean cancelled;
} Order;

struct _MockEbay
{
  SoupServer    *server;
  char          *url;
  char          *client_id;
  char          *client_secret;
  char          *refresh_token;
  guint          expires_in;
  GHashTable    *tokens;          /* token → expiry (monotonic µs) */
  guint          throttle_count;
  guint          retry_after_s;
  MockEbayHook   bulk_hook;
  gpointer       bulk_hook_data;
  GPtrArray     *items;
  GPtrArray     *orders;
  guint          next_offer;
  MockEbayStats  stats;
};

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->sku);
  g_ptr_array_unref (item->offers);
  g_free (item->fail_message);
  g_free (item);
}

static void
offer_free (gpointer data)
{
  Offer *offer = data;

  g_free (offer->id);
  g_free (offer);
}

static void
order_free (gpointer data)
{
  Order *order = data;

  g_free (order->id);
  g_free (order->sku);
  g_free (order->line_total);
  g_free (order);
}

static Item *
find_item (MockEbay   *mock,
           const char *sku)
{
  for (guint i = 0; sku != NULL && i < mock->items->len; i++)
    {
      Item *item = mock->items->pdata[i];

      if (g_str_equal (item->sku, sku))
        return item;
    }
  return NULL;
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int)(time_us % G_USEC_PER_SEC / 1000));
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static void
add_error (JsonBuilder *b,
           gint64       id,
           const char  *domain,
           const char  *message,
           const char  *long_message)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "errorId");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "domain");
  json_builder_add_string_value (b, domain);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, "REQUEST");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (long_message != NULL)
    {
      json_builder_set_member_name (b, "longMessage");
      json_builder_add_string_value (b, long_message);
    }
  json_builder_end_object (b);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               gint64             id,
               const char        *domain,
               const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  add_error (b, id, domain, message, NULL);
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_json (msg, status, b);
}

static void
respond_oauth_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *error,
                     const char        *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_set_member_name (b, "error_description");
  json_builder_add_string_value (b, description);
  json_builder_end_object (b);
  respond_json (msg, status, b);
}

/* OAuth ------------------------------------------------------------------ */

static void
handle_token (MockEbay          *mock,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *pair = g_strconcat (mock->client_id ? mock->client_id : "", ":",
                                       mock->client_secret ? mock->client_secret : "", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *text = g_strndup (body->data, body->length);
  g_autoptr(GHashTable) form = soup_form_decode (text);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *token = NULL;
  const char *scope = g_hash_table_lookup (form, "scope");
  g_auto(GStrv) scopes = NULL;

  mock->stats.token_requests++;
  {
    g_autofree char *encoded = g_base64_encode ((const guchar *)pair, strlen (pair));

    expected = g_strconcat ("Basic ", encoded, NULL);
  }
  if (mock->client_id == NULL || g_strcmp0 (authorization, expected) != 0)
    {
      respond_oauth_error (msg, 401, "invalid_client", "client authentication failed");
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "refresh_token") != 0 ||
      g_strcmp0 (g_hash_table_lookup (form, "refresh_token"), mock->refresh_token) != 0)
    {
      respond_oauth_error (msg, 400, "invalid_grant",
                           "the provided authorization refresh token is invalid or was issued "
                           "to another client");
      return;
    }
  scopes = g_strsplit (scope ? scope : "", " ", -1);
  if (!g_strv_contains ((const char * const *)scopes, SCOPE_INVENTORY) ||
      !g_strv_contains ((const char * const *)scopes, SCOPE_FULFILLMENT))
    {
      mock->stats.bad_scope++;
      respond_oauth_error (msg, 400, "invalid_scope",
                           "the requested scope is invalid, unknown, malformed, or exceeds the "
                           "scope granted to the client");
      return;
    }

  token = g_strdup_printf ("v^1.1#i^1#mock%u#%08x%08x", ++mock->stats.tokens_issued,
                           g_random_int (), g_random_int ());
  g_string_append (mock->stats.issued_tokens, token);
  g_string_append_c (mock->stats.issued_tokens, '\n');
  g_hash_table_insert (mock->tokens, g_strdup (token),
                       g_memdup2 ((gint64[]){ g_get_monotonic_time () +
                                              (gint64)mock->expires_in * G_USEC_PER_SEC },
                                  sizeof (gint64)));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, mock->expires_in);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "User Access Token");
  json_builder_end_object (b);
  respond_json (msg, 200, b);
}

static gboolean
authorized (MockEbay          *mock,
            SoupServerMessage *msg)
{
  const char *authorization = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization");
  gint64 *expiry;

  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer ") &&
      (expiry = g_hash_table_lookup (mock->tokens, authorization + 7)) != NULL &&
      *expiry > g_get_monotonic_time ())
    return TRUE;
  mock->stats.unauthorized++;
  respond_error (msg, 401, 1001, "OAuth", "Invalid access token");
  return FALSE;
}

/* Inventory API --------------------------------------------------------- */

static guint
query_uint (GHashTable *query,
            const char *name,
            guint       fallback)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;
  guint64 n;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &n, NULL))
    return fallback;
  return (guint)n;
}

static void
handle_items (MockEbay          *mock,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint limit = query_uint (query, "limit", 100);
  guint offset = query_uint (query, "offset", 0);
  guint end;

  mock->stats.item_pages++;
  if (limit < 1 || limit > 200)
    {
      respond_error (msg, 400, 25709, "API_INVENTORY", "Invalid value for limit.");
      return;
    }
  end = MIN (offset + limit, mock->items->len);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, "inventory_item");
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, mock->items->len);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, end > offset ? end - offset : 0);
  json_builder_set_member_name (b, "limit");
  json_builder_add_int_value (b, limit);
  if (end < mock->items->len)
    {
      /* eBay gives `next` as an absolute URL on its own host. */
      g_autofree char *next = g_strdup_printf ("https://api.ebay.com/sell/inventory/v1/"
                                               "inventory_item?offset=%u&limit=%u", end, limit);
      json_builder_set_member_name (b, "next");
      json_builder_add_string_value (b, next);
    }
  json_builder_set_member_name (b, "inventoryItems");
  json_builder_begin_array (b);
  for (guint i = offset; i < end; i++)
    {
      Item *item = mock->items->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sku");
      json_builder_add_string_value (b, item->sku);
      json_builder_set_member_name (b, "locale");
      json_builder_add_string_value (b, "en_GB");
      json_builder_set_member_name (b, "condition");
      json_builder_add_string_value (b, "NEW");
      json_builder_set_member_name (b, "product");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, item->sku);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "availability");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "shipToLocationAvailability");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, item->quantity);
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_json (msg, 200, b);
}

static void
handle_offers (MockEbay          *mock,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Item *item = find_item (mock, query ? g_hash_table_lookup (query, "sku") : NULL);

  mock->stats.offer_requests++;
  if (item == NULL || item->offers->len == 0)
    {
      respond_error (msg, 404, 25713, "API_INVENTORY", "This Offer is not available.");
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, item->offers->len);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, item->offers->len);
  json_builder_set_member_name (b, "offers");
  json_builder_begin_array (b);
  for (guint i = 0; i < item->offers->len; i++)
    {
      Offer *offer = item->offers->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "offerId");
      json_builder_add_string_value (b, offer->id);
      json_builder_set_member_name (b, "sku");
      json_builder_add_string_value (b, item->sku);
      json_builder_set_member_name (b, "marketplaceId");
      json_builder_add_string_value (b, "EBAY_GB");
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, "FIXED_PRICE");
      json_builder_set_member_name (b, "availableQuantity");
      json_builder_add_int_value (b, offer->quantity);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, "PUBLISHED");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_json (msg, 200, b);
}

static void
answer (JsonBuilder *b,
        const char  *sku,
        const char  *offer_id,
        guint        status,
        const Item  *failing,
        const char  *refusal)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statusCode");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "sku");
  json_builder_add_string_value (b, sku);
  if (offer_id != NULL)
    {
      json_builder_set_member_name (b, "offerId");
      json_builder_add_string_value (b, offer_id);
    }
  if (status != 200)
    {
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      if (failing != NULL)
        add_error (b, failing->fail_error_id, "API_INVENTORY", "Request failed",
                   failing->fail_message);
      else
        add_error (b, 25709, "API_INVENTORY", "Invalid value", refusal);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
handle_bulk (MockEbay          *mock,
             SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonObject *root = NULL;
  JsonArray *requests = NULL;
  gboolean all_ok = TRUE;
  guint n;

  mock->stats.bulk_calls++;
  if (json_parser_load_from_data (parser, body->data, body->length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_get_object (json_parser_get_root (parser));
  if (root != NULL && json_object_has_member (root, "requests") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "requests")))
    requests = json_object_get_array_member (root, "requests");
  if (requests == NULL || json_array_get_length (requests) == 0)
    {
      respond_error (msg, 400, 25002, "API_INVENTORY", "Any User error. No requests.");
      return;
    }
  n = json_array_get_length (requests);
  g_array_append_val (mock->stats.bulk_sizes, n);
  if (n > 25)
    {
      mock->stats.too_large++;
      respond_error (msg, 400, 25709, "API_INVENTORY",
                     "Invalid value for requests. At most 25 are allowed.");
      return;
    }

  if (mock->bulk_hook != NULL)
    mock->bulk_hook (mock, mock->bulk_hook_data);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *sku = json_object_has_member (request, "sku")
                        ? json_object_get_string_member (request, "sku") : NULL;
      JsonObject *ship = json_object_has_member (request, "shipToLocationAvailability")
                         ? json_object_get_object_member (request, "shipToLocationAvailability")
                         : NULL;
      JsonArray *offers = json_object_has_member (request, "offers")
                          ? json_object_get_array_member (request, "offers") : NULL;
      Item *item = find_item (mock, sku);
      gint64 quantity = ship && json_object_has_member (ship, "quantity")
                        ? json_object_get_int_member (ship, "quantity") : -1;
      guint status = 200;
      const char *refusal = NULL;
      const Item *failing = NULL;

      if (item == NULL)
        {
          status = 404;
          refusal = "The SKU could not be found.";
        }
      else if (item->fail_status != 0)
        {
          status = item->fail_status;
          failing = item;
        }
      else if (quantity < 0)
        {
          status = 400;
          refusal = "Invalid value for shipToLocationAvailability.quantity.";
        }

      if (status == 200)
        {
          item->quantity = quantity;
          item->updates++;
          item->last_sent = quantity;
          for (guint o = 0; offers != NULL && o < json_array_get_length (offers); o++)
            {
              JsonObject *sent = json_array_get_object_element (offers, o);
              const char *id = json_object_get_string_member_with_default (sent, "offerId", "");

              for (guint k = 0; k < item->offers->len; k++)
                {
                  Offer *offer = item->offers->pdata[k];

                  if (g_str_equal (offer->id, id))
                    offer->quantity = json_object_get_int_member_with_default (sent,
                                                                               "availableQuantity",
                                                                               offer->quantity);
                }
            }
        }
      else
        all_ok = FALSE;

      if (offers != NULL && json_array_get_length (offers) > 0)
        for (guint o = 0; o < json_array_get_length (offers); o++)
          answer (b, sku ? sku : "", json_object_get_string_member_with_default (
                    json_array_get_object_element (offers, o), "offerId", ""),
                  status, failing, refusal);
      else
        answer (b, sku ? sku : "", NULL, status, failing, refusal);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_json (msg, all_ok ? 200 : 207, b);
}

/* Fulfillment API -------------------------------------------------------- */

static void
handle_orders (MockEbay          *mock,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  const char *filter = query ? g_hash_table_lookup (query, "filter") : NULL;
  guint limit = query_uint (query, "limit", 50);
  guint offset = query_uint (query, "offset", 0);
  gint64 since = 0;
  guint end;

  mock->stats.order_pages++;
  if (filter != NULL)
    {
      g_autofree char *start = NULL;
      g_autoptr(GDateTime) dt = NULL;
      const char *dots;

      if (!g_str_has_prefix (filter, "lastmodifieddate:[") ||
          (dots = strstr (filter, "..")) == NULL)
        {
          respond_error (msg, 400, 30800, "API_FULFILLMENT", "Invalid filter.");
          return;
        }
      start = g_strndup (filter + strlen ("lastmodifieddate:["),
                         dots - filter - strlen ("lastmodifieddate:["));
      dt = g_date_time_new_from_iso8601 (start, NULL);
      if (dt == NULL)
        {
          respond_error (msg, 400, 30800, "API_FULFILLMENT", "Invalid filter date.");
          return;
        }
      since = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
    }
  if (limit < 1 || limit > 200)
    {
      respond_error (msg, 400, 30700, "API_FULFILLMENT", "Invalid limit.");
      return;
    }
  for (guint i = 0; i < mock->orders->len; i++)
    {
      Order *order = mock->orders->pdata[i];

      if (order->modified_us / 1000 >= since / 1000)
        g_ptr_array_add (matching, order);
    }
  end = MIN (offset + limit, matching->len);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, "order");
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, matching->len);
  json_builder_set_member_name (b, "limit");
  json_builder_add_int_value (b, limit);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, offset);
  if (end < matching->len)
    {
      g_autofree char *escaped = g_uri_escape_string (filter ? filter : "", NULL, FALSE);
      g_autofree char *next = g_strdup_printf ("https://api.ebay.com/sell/fulfillment/v1/order"
                                               "?filter=%s&limit=%u&offset=%u",
                                               escaped, limit, end);
      json_builder_set_member_name (b, "next");
      json_builder_add_string_value (b, next);
    }
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);
  for (guint i = offset; i < end; i++)
    {
      Order *order = matching->pdata[i];
      g_autofree char *created = format_time (order->created_us);
      g_autofree char *modified = format_time (order->modified_us);
      g_autofree char *line_id = g_strdup_printf ("%s-1", order->id);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "orderId");
      json_builder_add_string_value (b, order->id);
      json_builder_set_member_name (b, "creationDate");
      json_builder_add_string_value (b, created);
      json_builder_set_member_name (b, "lastModifiedDate");
      json_builder_add_string_value (b, modified);
      json_builder_set_member_name (b, "orderFulfillmentStatus");
      json_builder_add_string_value (b, "NOT_STARTED");
      json_builder_set_member_name (b, "orderPaymentStatus");
      json_builder_add_string_value (b, order->cancelled ? "FULLY_REFUNDED" : "PAID");
      json_builder_set_member_name (b, "cancelStatus");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "cancelState");
      json_builder_add_string_value (b, order->cancelled ? "CANCELED" : "NONE_REQUESTED");
      json_builder_set_member_name (b, "cancelRequests");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "lineItems");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "lineItemId");
      json_builder_add_string_value (b, line_id);
      json_builder_set_member_name (b, "sku");
      json_builder_add_string_value (b, order->sku);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, order->sku);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, order->quantity);
      json_builder_set_member_name (b, "lineItemCost");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, order->line_total);
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, "GBP");
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_json (msg, 200, b);
}

/* Routing ---------------------------------------------------------------- */

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  MockEbay *mock = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/identity/v1/oauth2/token") && g_str_equal (method, "POST"))
    {
      handle_token (mock, msg);
      return;
    }
  if (!g_str_has_prefix (path, "/sell/"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (mock->throttle_count > 0)
    {
      g_autofree char *after = g_strdup_printf ("%u", mock->retry_after_s);

      mock->throttle_count--;
      mock->stats.throttled++;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", after);
      respond_error (msg, 429, 2001, "ACCESS",
                     "Too many requests. The request limit has been reached for the resource.");
      return;
    }
  if (!authorized (mock, msg))
    return;

  if (g_str_equal (path, "/sell/inventory/v1/inventory_item") && g_str_equal (method, "GET"))
    handle_items (mock, msg, query);
  else if (g_str_equal (path, "/sell/inventory/v1/offer") && g_str_equal (method, "GET"))
    handle_offers (mock, msg, query);
  else if (g_str_equal (path, "/sell/inventory/v1/bulk_update_price_quantity") &&
           g_str_equal (method, "POST"))
    handle_bulk (mock, msg);
  else if (g_str_equal (path, "/sell/fulfillment/v1/order") && g_str_equal (method, "GET"))
    handle_orders (mock, msg, query);
  else
    respond_error (msg, 404, 2002, "ACCESS", "Resource not found");
}

/* Set-up ----------------------------------------------------------------- */

MockEbay *
mock_ebay_new (void)
{
  MockEbay *mock = g_new0 (MockEbay, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri = NULL;

  mock->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  mock->items = g_ptr_array_new_with_free_func (item_free);
  mock->orders = g_ptr_array_new_with_free_func (order_free);
  mock->stats.bulk_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  mock->stats.issued_tokens = g_string_new (NULL);
  mock->expires_in = 7200;
  mock->next_offer = 100000;

  mock->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (mock->server, NULL, server_callback, mock, NULL);
  if (!soup_server_listen_local (mock->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The mock eBay server cannot listen: %s", error->message);
  uris = soup_server_get_uris (mock->server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);
  if (g_str_has_suffix (uri, "/"))
    uri[strlen (uri) - 1] = '\0';
  mock->url = g_steal_pointer (&uri);
  return mock;
}

void
mock_ebay_free (MockEbay *mock)
{
  soup_server_disconnect (mock->server);
  g_object_unref (mock->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (mock->url);
  g_free (mock->client_id);
  g_free (mock->client_secret);
  g_free (mock->refresh_token);
  g_hash_table_unref (mock->tokens);
  g_ptr_array_unref (mock->items);
  g_ptr_array_unref (mock->orders);
  g_array_unref (mock->stats.bulk_sizes);
  g_string_free (mock->stats.issued_tokens, TRUE);
  g_free (mock);
}

const char *
mock_ebay_get_url (MockEbay *mock)
{
  return mock->url;
}

void
mock_ebay_set_credentials (MockEbay   *mock,
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
mock_ebay_set_expires_in (MockEbay *mock,
                          guint     seconds)
{
  mock->expires_in = seconds;
}

void
mock_ebay_revoke_tokens (MockEbay *mock)
{
  g_hash_table_remove_all (mock->tokens);
}

void
mock_ebay_throttle_next (MockEbay *mock,
                         guint     count,
                         guint     retry_after_s)
{
  mock->throttle_count = count;
  mock->retry_after_s = retry_after_s;
}

void
mock_ebay_set_bulk_hook (MockEbay     *mock,
                         MockEbayHook  hook,
                         gpointer      user_data)
{
  mock->bulk_hook = hook;
  mock->bulk_hook_data = user_data;
}

guint
mock_ebay_add_item (MockEbay   *mock,
                    const char *sku,
                    gint64      quantity,
                    guint       n_offers)
{
  Item *item = g_new0 (Item, 1);

  item->sku = g_strdup (sku);
  item->quantity = quantity;
  item->last_sent = -1;
  item->offers = g_ptr_array_new_with_free_func (offer_free);
  for (guint i = 0; i < n_offers; i++)
    {
      Offer *offer = g_new0 (Offer, 1);

      offer->id = g_strdup_printf ("%u", ++mock->next_offer);
      offer->quantity = quantity;
      g_ptr_array_add (item->offers, offer);
    }
  g_ptr_array_add (mock->items, item);
  return mock->items->len - 1;
}

/* status 0 clears the failure. */
void
mock_ebay_fail_sku (MockEbay   *mock,
                    const char *sku,
                    guint       status,
                    gint64      error_id,
                    const char *message)
{
  Item *item = find_item (mock, sku);

  g_return_if_fail (item != NULL);
  item->fail_status = status;
  item->fail_error_id = error_id;
  g_free (item->fail_message);
  item->fail_message = g_strdup (message);
}

gint64
mock_ebay_get_quantity (MockEbay   *mock,
                        const char *sku)
{
  Item *item = find_item (mock, sku);

  return item ? item->quantity : G_MININT64;
}

gint64
mock_ebay_get_offer_quantity (MockEbay   *mock,
                              const char *sku,
                              guint       offer)
{
  Item *item = find_item (mock, sku);

  if (item == NULL || offer >= item->offers->len)
    return G_MININT64;
  return ((Offer *)item->offers->pdata[offer])->quantity;
}

guint
mock_ebay_sku_updates (MockEbay   *mock,
                       const char *sku)
{
  Item *item = find_item (mock, sku);

  return item ? item->updates : 0;
}

gint64
mock_ebay_last_sent (MockEbay   *mock,
                     const char *sku)
{
  Item *item = find_item (mock, sku);

  return item ? item->last_sent : G_MININT64;
}

void
mock_ebay_add_order (MockEbay   *mock,
                     const char *order_id,
                     const char *sku,
                     gint64      quantity,
                     const char *line_total)
{
  Order *order = g_new0 (Order, 1);

  order->id = g_strdup (order_id);
  order->sku = g_strdup (sku);
  order->quantity = quantity;
  order->line_total = g_strdup (line_total);
  order->created_us = g_get_real_time ();
  order->modified_us = order->created_us;
  g_ptr_array_add (mock->orders, order);
  /* eBay takes a sale off the listing's quantity itself. */
  if (find_item (mock, sku) != NULL)
    find_item (mock, sku)->quantity -= quantity;
}

void
mock_ebay_cancel_order (MockEbay   *mock,
                        const char *order_id)
{
  for (guint i = 0; i < mock->orders->len; i++)
    {
      Order *order = mock->orders->pdata[i];

      if (g_str_equal (order->id, order_id) && !order->cancelled)
        {
          if (find_item (mock, order->sku) != NULL)
            find_item (mock, order->sku)->quantity += order->quantity;
          order->cancelled = TRUE;
          order->modified_us = g_get_real_time ();
        }
    }
}

const MockEbayStats *
mock_ebay_get_stats (MockEbay *mock)
{
  return &mock->stats;
}
