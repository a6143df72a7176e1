/* mock-shopify.c: an in-process Shopify Admin GraphQL server for tests
 *
 * A SoupServer on 127.0.0.1 that answers the documents OmniStock sends the
 * way the Admin API documents them: POST /admin/api/2026-07/graphql.json
 * with X-Shopify-Access-Token, connections with nodes and pageInfo, a
 * leaky-bucket cost limit reported in extensions.cost.throttleStatus
 * (THROTTLED errors when a query's requested cost exceeds what the bucket
 * holds, MAX_COST_EXCEEDED over 1,000 points), 401 for unknown or revoked
 * tokens, the client-credentials grant at /admin/oauth/access_token, and
 * inventorySetQuantities with changeFromQuantity (CHANGE_FROM_QUANTITY_STALE)
 * and @idempotent(key:) replays. Failures (5xx, slow or lost answers) can
 * be injected, and faults scripted per request (mock_shopify_add_fault):
 * dropped connections, answers slower than the client waits, 500, 429 with
 * Retry-After, THROTTLED, truncated JSON, a wrong Content-Type and
 * userErrors, each before or after the request took effect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "mock-shopify.h"

#define API_PATH "/admin/api/2026-07/graphql.json"

typedef struct
{
  char   *sku;
  char   *barcode;
  char   *updated_at;
  GArray *quantities;     /* gint64 per location */
} Variant;

typedef struct
{
  char    *name;
  guint    variant;
  gint64   quantity;
  gint64   fulfilled;     /* units shipped; the rest are committed */
  gboolean cancelled;
  char    *updated_at;
  char    *created_at;
} Order;

typedef struct
{
  char *fingerprint;
  char *response;
} Replay;

struct _MockShopify
{
  SoupServer      *server;
  char            *url;
  GPtrArray       *tokens;
  char            *client_id;
  char            *client_secret;
  char            *shop_name;     /* the shop query's name; NULL: "Fernwood Goods" */
  GPtrArray       *locations;     /* names */
  GPtrArray       *variants;
  GPtrArray       *orders;
  GHashTable      *keys;          /* key → Replay */
  GHashTable      *key_counts;    /* key → count */
  GHashTable      *applied_keys;  /* key → times applied */
  GQueue           faults;        /* MockShopifyFault, in order */
  guint            faults_served;
  double           bucket_max;
  double           restore_rate;
  double           available;
  gint64           available_at;
  guint            fail_status;
  guint            fail_count;
  guint            fail_retry_after;
  guint            delay_ms;
  gboolean         lose_next;
  gboolean         answered_later;  /* this request's answer is delayed or dropped */
  guint            clock;
  MockShopifyHook  hook;
  gpointer         hook_data;
  MockShopifyStats stats;
  struct _MockShopifyBulk *bulk;  /* bulk operations, once used */
};

enum {
  OP_SHOP = MOCK_SHOPIFY_OP_SHOP,
  OP_LOCATIONS = MOCK_SHOPIFY_OP_LOCATIONS,
  OP_VARIANTS = MOCK_SHOPIFY_OP_VARIANTS,
  OP_LEVELS = MOCK_SHOPIFY_OP_LEVELS,
  OP_LEVEL = MOCK_SHOPIFY_OP_LEVEL,
  OP_ORDERS = MOCK_SHOPIFY_OP_ORDERS,
  OP_SET = MOCK_SHOPIFY_OP_SET,
  OP_OTHER = MOCK_SHOPIFY_OP_OTHER,
};

typedef struct
{
  MockShopifyFault fault;
  char            *code;
} Fault;

static void
fault_free (gpointer data)
{
  Fault *f = data;

  g_free (f->code);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fault, fault_free)

static void
variant_free (gpointer data)
{
  Variant *v = data;

  g_free (v->sku);
  g_free (v->barcode);
  g_free (v->updated_at);
  g_array_unref (v->quantities);
  g_free (v);
}

static void
order_free (gpointer data)
{
  Order *o = data;

  g_free (o->name);
  g_free (o->updated_at);
  g_free (o->created_at);
  g_free (o);
}

static void
replay_free (gpointer data)
{
  Replay *r = data;

  g_free (r->fingerprint);
  g_free (r->response);
  g_free (r);
}

/* A strictly increasing modification time, so updated_at filters are exact. */
static char *
tick (MockShopify *mock)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, mock->clock++);

  return g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
}

/* Building answers ------------------------------------------------------- */

static void
add_cost (MockShopify *mock,
          JsonBuilder *b,
          double       requested,
          gboolean     charged)
{
  json_builder_set_member_name (b, "extensions");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cost");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "requestedQueryCost");
  json_builder_add_int_value (b, (gint64)requested);
  json_builder_set_member_name (b, "actualQueryCost");
  if (charged)
    json_builder_add_int_value (b, (gint64)requested);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "throttleStatus");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "maximumAvailable");
  json_builder_add_double_value (b, mock->bucket_max);
  json_builder_set_member_name (b, "currentlyAvailable");
  json_builder_add_int_value (b, (gint64)floor (mock->available));
  json_builder_set_member_name (b, "restoreRate");
  json_builder_add_double_value (b, mock->restore_rate);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
page_info (JsonBuilder *b,
           gboolean     has_next,
           guint        end)
{
  g_autofree char *cursor = g_strdup_printf ("c%u", end);
  g_autofree char *encoded = g_base64_encode ((const guchar *)cursor, strlen (cursor));

  json_builder_set_member_name (b, "pageInfo");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hasNextPage");
  json_builder_add_boolean_value (b, has_next);
  json_builder_set_member_name (b, "endCursor");
  json_builder_add_string_value (b, encoded);
  json_builder_end_object (b);
}

static guint
decode_cursor (JsonObject *vars)
{
  const char *after;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  guint64 n = 0;

  if (vars == NULL || !json_object_has_member (vars, "after") ||
      json_object_get_null_member (vars, "after"))
    return 0;
  after = json_object_get_string_member (vars, "after");
  raw = g_base64_decode (after, &len);
  text = g_strndup ((const char *)raw, len);
  if (text[0] == 'c')
    g_ascii_string_to_unsigned (text + 1, 10, 0, G_MAXUINT, &n, NULL);
  return (guint)n;
}

static gint64
var_int (JsonObject *vars,
         const char *name,
         gint64      fallback)
{
  if (vars == NULL || !json_object_has_member (vars, name) ||
      json_object_get_null_member (vars, name))
    return fallback;
  return json_object_get_int_member (vars, name);
}

static const char *
var_string (JsonObject *vars,
            const char *name)
{
  if (vars == NULL || !json_object_has_member (vars, name) ||
      json_object_get_null_member (vars, name))
    return NULL;
  return json_object_get_string_member (vars, name);
}

/* "updated_at:>'2026-…'" → the time, or NULL */
static char *
updated_since (JsonObject *vars)
{
  const char *query = var_string (vars, "query");
  const char *start;

  if (query == NULL || (start = strstr (query, "updated_at:>'")) == NULL)
    return NULL;
  start += strlen ("updated_at:>'");
  return g_strndup (start, strcspn (start, "'"));
}

static guint
location_index (MockShopify *mock,
                const char  *gid)
{
  guint64 n = 0;

  if (gid == NULL || !g_str_has_prefix (gid, "gid://shopify/Location/") ||
      !g_ascii_string_to_unsigned (gid + strlen ("gid://shopify/Location/"), 10, 1,
                                   mock->locations->len, &n, NULL))
    return G_MAXUINT;
  return (guint)n - 1;
}

static guint
item_index (MockShopify *mock,
            const char  *gid)
{
  guint64 n = 0;

  if (gid == NULL || !g_str_has_prefix (gid, "gid://shopify/InventoryItem/") ||
      !g_ascii_string_to_unsigned (gid + strlen ("gid://shopify/InventoryItem/"), 10, 1,
                                   mock->variants->len, &n, NULL))
    return G_MAXUINT;
  return (guint)n - 1;
}

static void
gid (JsonBuilder *b,
     const char  *member,
     const char  *type,
     guint        index)
{
  g_autofree char *id = g_strdup_printf ("gid://shopify/%s/%u", type, index + 1);

  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, id);
}

static double
requested_cost (int         op,
                JsonObject *vars)
{
  gint64 first = var_int (vars, "first", 0);

  switch (op)
    {
    case OP_SHOP: return 1;
    case OP_LOCATIONS: return 2 + first;
    case OP_VARIANTS: return 2 + 3 * first;
    case OP_LEVELS: return 3 + 2 * first;
    case OP_LEVEL: return 3;
    case OP_ORDERS: return 2 + 58 * first;
    case OP_SET: return 10;
    default: return 1;
    }
}

static void
answer_data (MockShopify *mock,
             JsonBuilder *b,
             int          op,
             JsonObject  *vars)
{
  guint first = (guint)var_int (vars, "first", 0);
  guint start = decode_cursor (vars);

  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);

  switch (op)
    {
    case OP_SHOP:
      json_builder_set_member_name (b, "shop");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, mock->shop_name ? mock->shop_name : "Fernwood Goods");
      json_builder_set_member_name (b, "currencyCode");
      json_builder_add_string_value (b, "EUR");
      json_builder_set_member_name (b, "myshopifyDomain");
      json_builder_add_string_value (b, "fern.myshopify.com");
      json_builder_end_object (b);
      break;

    case OP_LOCATIONS:
      {
        guint end = MIN (start + first, mock->locations->len);

        json_builder_set_member_name (b, "locations");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "nodes");
        json_builder_begin_array (b);
        for (guint i = start; i < end; i++)
          {
            json_builder_begin_object (b);
            gid (b, "id", "Location", i);
            json_builder_set_member_name (b, "name");
            json_builder_add_string_value (b, mock->locations->pdata[i]);
            json_builder_set_member_name (b, "isActive");
            json_builder_add_boolean_value (b, TRUE);
            json_builder_set_member_name (b, "shipsInventory");
            json_builder_add_boolean_value (b, TRUE);
            json_builder_end_object (b);
          }
        json_builder_end_array (b);
        page_info (b, end < mock->locations->len, end);
        json_builder_end_object (b);
      }
      break;

    case OP_VARIANTS:
      {
        g_autofree char *since = updated_since (vars);
        guint i = start, n = 0;

        json_builder_set_member_name (b, "productVariants");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "nodes");
        json_builder_begin_array (b);
        for (; i < mock->variants->len && n < first; i++)
          {
            Variant *v = mock->variants->pdata[i];

            if (since != NULL && g_strcmp0 (v->updated_at, since) <= 0)
              continue;
            n++;
            json_builder_begin_object (b);
            gid (b, "id", "ProductVariant", i);
            json_builder_set_member_name (b, "sku");
            if (v->sku)
              json_builder_add_string_value (b, v->sku);
            else
              json_builder_add_null_value (b);
            json_builder_set_member_name (b, "barcode");
            if (v->barcode)
              json_builder_add_string_value (b, v->barcode);
            else
              json_builder_add_null_value (b);
            json_builder_set_member_name (b, "title");
            json_builder_add_string_value (b, "Default Title");
            json_builder_set_member_name (b, "updatedAt");
            json_builder_add_string_value (b, v->updated_at);
            json_builder_set_member_name (b, "product");
            json_builder_begin_object (b);
            gid (b, "id", "Product", i);
            json_builder_set_member_name (b, "title");
            json_builder_add_string_value (b, v->sku ? v->sku : "Untitled");
            json_builder_set_member_name (b, "handle");
            json_builder_add_string_value (b, "product");
            json_builder_end_object (b);
            json_builder_set_member_name (b, "inventoryItem");
            json_builder_begin_object (b);
            gid (b, "id", "InventoryItem", i);
            json_builder_set_member_name (b, "tracked");
            json_builder_add_boolean_value (b, TRUE);
            json_builder_end_object (b);
            json_builder_end_object (b);
          }
        json_builder_end_array (b);
        page_info (b, i < mock->variants->len, i);
        json_builder_end_object (b);
      }
      break;

    case OP_LEVELS:
      {
        guint loc = location_index (mock, var_string (vars, "location"));
        guint end = MIN (start + first, mock->variants->len);

        json_builder_set_member_name (b, "location");
        if (loc == G_MAXUINT)
          {
            json_builder_add_null_value (b);
            break;
          }
        json_builder_begin_object (b);
        gid (b, "id", "Location", loc);
        json_builder_set_member_name (b, "inventoryLevels");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "nodes");
        json_builder_begin_array (b);
        for (guint i = start; i < end; i++)
          {
            Variant *v = mock->variants->pdata[i];

            json_builder_begin_object (b);
            json_builder_set_member_name (b, "item");
            json_builder_begin_object (b);
            gid (b, "id", "InventoryItem", i);
            json_builder_end_object (b);
            json_builder_set_member_name (b, "quantities");
            json_builder_begin_array (b);
            json_builder_begin_object (b);
            json_builder_set_member_name (b, "name");
            json_builder_add_string_value (b, "available");
            json_builder_set_member_name (b, "quantity");
            json_builder_add_int_value (b, g_array_index (v->quantities, gint64, loc));
            json_builder_end_object (b);
            json_builder_end_array (b);
            json_builder_end_object (b);
          }
        json_builder_end_array (b);
        page_info (b, end < mock->variants->len, end);
        json_builder_end_object (b);
        json_builder_end_object (b);
      }
      break;

    case OP_LEVEL:
      {
        guint item = item_index (mock, var_string (vars, "item"));
        guint loc = location_index (mock, var_string (vars, "location"));

        json_builder_set_member_name (b, "inventoryItem");
        if (item == G_MAXUINT || loc == G_MAXUINT)
          {
            json_builder_add_null_value (b);
            break;
          }
        json_builder_begin_object (b);
        gid (b, "id", "InventoryItem", item);
        json_builder_set_member_name (b, "inventoryLevel");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "quantities");
        json_builder_begin_array (b);
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "name");
        json_builder_add_string_value (b, "available");
        json_builder_set_member_name (b, "quantity");
        json_builder_add_int_value (b, g_array_index (((Variant *)mock->variants->pdata[item])->quantities,
                                                      gint64, loc));
        json_builder_end_object (b);
        json_builder_end_array (b);
        json_builder_end_object (b);
        json_builder_end_object (b);
      }
      break;

    case OP_ORDERS:
      {
        g_autofree char *since = updated_since (vars);
        guint i = start, n = 0;

        json_builder_set_member_name (b, "orders");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "nodes");
        json_builder_begin_array (b);
        for (; i < mock->orders->len && n < first; i++)
          {
            Order *o = mock->orders->pdata[i];
            Variant *v = mock->variants->pdata[o->variant];

            if (since != NULL && g_strcmp0 (o->updated_at, since) <= 0)
              continue;
            n++;
            json_builder_begin_object (b);
            gid (b, "id", "Order", i);
            json_builder_set_member_name (b, "name");
            json_builder_add_string_value (b, o->name);
            json_builder_set_member_name (b, "createdAt");
            json_builder_add_string_value (b, o->created_at);
            json_builder_set_member_name (b, "updatedAt");
            json_builder_add_string_value (b, o->updated_at);
            json_builder_set_member_name (b, "cancelledAt");
            if (o->cancelled)
              json_builder_add_string_value (b, o->updated_at);
            else
              json_builder_add_null_value (b);
            json_builder_set_member_name (b, "currencyCode");
            json_builder_add_string_value (b, "EUR");
            json_builder_set_member_name (b, "lineItems");
            json_builder_begin_object (b);
            json_builder_set_member_name (b, "nodes");
            json_builder_begin_array (b);
            json_builder_begin_object (b);
            gid (b, "id", "LineItem", i);
            json_builder_set_member_name (b, "sku");
            json_builder_add_string_value (b, v->sku ? v->sku : "");
            json_builder_set_member_name (b, "name");
            json_builder_add_string_value (b, v->sku ? v->sku : "Item");
            json_builder_set_member_name (b, "quantity");
            json_builder_add_int_value (b, o->quantity);
            json_builder_set_member_name (b, "currentQuantity");
            json_builder_add_int_value (b, o->quantity);
            json_builder_set_member_name (b, "unfulfilledQuantity");
            json_builder_add_int_value (b, o->quantity - o->fulfilled);
            json_builder_set_member_name (b, "variant");
            json_builder_begin_object (b);
            gid (b, "id", "ProductVariant", o->variant);
            json_builder_end_object (b);
            json_builder_end_object (b);
            json_builder_end_array (b);
            json_builder_end_object (b);
            json_builder_end_object (b);
          }
        json_builder_end_array (b);
        page_info (b, i < mock->orders->len, i);
        json_builder_end_object (b);
      }
      break;

    default:
      break;
    }

  json_builder_end_object (b);
}

/* The idempotency key: the @idempotent directive's argument, a variable or a
 * string literal. */
static char *
idempotency_key (const char *query,
                 JsonObject *vars)
{
  const char *p = strstr (query, "@idempotent(key:");

  if (p == NULL)
    return NULL;
  p += strlen ("@idempotent(key:");
  while (*p == ' ')
    p++;
  if (*p == '$')
    {
      g_autofree char *name = g_strndup (p + 1, strspn (p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"));
      return g_strdup (var_string (vars, name));
    }
  if (*p == '"')
    return g_strndup (p + 1, strcspn (p + 1, "\""));
  return NULL;
}

static void
user_error (JsonBuilder *b,
            const char  *code,
            const char  *message)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "input");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_end_object (b);
}

/* Applies (or replays) inventorySetQuantities; returns the "data" JSON. */
static char *
apply_set_quantities (MockShopify *mock,
                      const char  *key,
                      JsonObject  *vars)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *input = json_object_get_object_member (vars, "input");
  JsonArray *quantities = json_object_get_array_member (input, "quantities");
  gboolean ok = TRUE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "inventorySetQuantities");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "userErrors");
  json_builder_begin_array (b);

  /* Validate all first: the mutation is all or nothing. */
  for (guint i = 0; ok && i < json_array_get_length (quantities); i++)
    {
      JsonObject *q = json_array_get_object_element (quantities, i);
      guint item = item_index (mock, json_object_get_string_member (q, "inventoryItemId"));
      guint loc = location_index (mock, json_object_get_string_member (q, "locationId"));
      gint64 current;

      if (item == G_MAXUINT || loc == G_MAXUINT)
        {
          user_error (b, "INVALID_INVENTORY_ITEM", "The specified inventory item could not be found.");
          ok = FALSE;
          break;
        }
      if (!json_object_has_member (q, "changeFromQuantity"))
        {
          mock->stats.missing_change_from++;
          user_error (b, "COMPARE_QUANTITY_REQUIRED", "changeFromQuantity is required.");
          ok = FALSE;
          break;
        }
      current = g_array_index (((Variant *)mock->variants->pdata[item])->quantities, gint64, loc);
      if (!json_object_get_null_member (q, "changeFromQuantity") &&
          json_object_get_int_member (q, "changeFromQuantity") != current)
        {
          mock->stats.stale++;
          user_error (b, "CHANGE_FROM_QUANTITY_STALE",
                      "The specified compare quantity does not match the current quantity.");
          ok = FALSE;
        }
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "inventoryAdjustmentGroup");
  if (ok)
    {
      for (guint i = 0; i < json_array_get_length (quantities); i++)
        {
          JsonObject *q = json_array_get_object_element (quantities, i);
          guint item = item_index (mock, json_object_get_string_member (q, "inventoryItemId"));
          guint loc = location_index (mock, json_object_get_string_member (q, "locationId"));
          Variant *v = mock->variants->pdata[item];

          g_array_index (v->quantities, gint64, loc) = json_object_get_int_member (q, "quantity");
          g_free (v->updated_at);
          v->updated_at = tick (mock);
        }
      mock->stats.applied++;
      g_hash_table_insert (mock->applied_keys, g_strdup (key),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (mock->applied_keys, key)) + 1));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      {
        g_autofree char *id = g_strdup_printf ("gid://shopify/InventoryAdjustmentGroup/%u",
                                               mock->stats.applied);
        json_builder_add_string_value (b, id);
      }
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* Request handling ------------------------------------------------------- */

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static char *
builder_to_string (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

typedef struct
{
  SoupServerMessage *msg;
  gulong             handler;
  gboolean           gone;
} Paused;

static void
paused_disconnected (SoupServerMessage *msg,
                     gpointer           data)
{
  ((Paused *)data)->gone = TRUE;
}

/* Sends a delayed answer, unless the client gave up (timed out) first. */
static gboolean
unpause (gpointer data)
{
  Paused *p = data;

  g_signal_handler_disconnect (p->msg, p->handler);
  if (!p->gone)
    soup_server_message_unpause (p->msg);
  g_object_unref (p->msg);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* Answers @msg after @ms milliseconds (the client may have given up). */
static void
answer_later (SoupServerMessage *msg,
              guint              ms)
{
  Paused *p = g_new0 (Paused, 1);

  p->msg = g_object_ref (msg);
  p->handler = g_signal_connect (msg, "disconnected", G_CALLBACK (paused_disconnected), p);
  soup_server_message_pause (msg);
  g_timeout_add (ms, unpause, p);
}

/* Closes the connection under a paused message: no status line, no body. */
static gboolean
drop_connection (gpointer data)
{
  SoupServerMessage *msg = data;
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

/* Takes the first queued fault for @op, or returns NULL. */
static Fault *
take_fault (MockShopify *mock,
            int          op)
{
  for (GList *l = mock->faults.head; l != NULL; l = l->next)
    {
      Fault *f = l->data;

      if (f->fault.operation == MOCK_SHOPIFY_OP_ANY || (int)f->fault.operation == op)
        {
          g_queue_delete_link (&mock->faults, l);
          mock->faults_served++;
          return f;
        }
    }
  return NULL;
}

static char *
throttled_answer (MockShopify *mock,
                  double       requested)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "Throttled");
  json_builder_set_member_name (b, "extensions");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "THROTTLED");
  json_builder_set_member_name (b, "documentation");
  json_builder_add_string_value (b, "https://shopify.dev/api/usage/rate-limits");
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  add_cost (mock, b, requested, FALSE);
  json_builder_end_object (b);
  return builder_to_string (b);
}

/* Answers @msg as @fault says. @answer is the real answer when the request
 * was served first (after_apply), else NULL. */
static void
serve_fault (MockShopify       *mock,
             SoupServerMessage *msg,
             const Fault       *fault,
             int                op,
             double             requested,
             const char        *answer)
{
  static const char canned[] = "{\"data\":{\"shop\":{\"name\":\"Fernwood Goods\"}},"
                               "\"extensions\":{\"cost\":{\"requestedQueryCost\":1}}}";

  switch (fault->fault.kind)
    {
    case MOCK_SHOPIFY_FAULT_DROP:
      respond (msg, 200, answer ? answer : canned);
      soup_server_message_pause (msg);
      g_idle_add (drop_connection, g_object_ref (msg));
      mock->answered_later = TRUE;
      break;

    case MOCK_SHOPIFY_FAULT_STALL:
      respond (msg, 200, answer ? answer : canned);
      answer_later (msg, fault->fault.param);
      mock->answered_later = TRUE;
      break;

    case MOCK_SHOPIFY_FAULT_HTTP_500:
      respond (msg, 500, "{\"errors\":\"Internal Server Error\"}");
      break;

    case MOCK_SHOPIFY_FAULT_HTTP_429:
      {
        g_autofree char *value = g_strdup_printf ("%u", fault->fault.param);

        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", value);
        respond (msg, 429, "{\"errors\":\"Exceeded 2 calls per second for api client. "
                           "Reduce request rates to resume uninterrupted service.\"}");
      }
      break;

    case MOCK_SHOPIFY_FAULT_THROTTLED:
      {
        g_autofree char *text = throttled_answer (mock, requested);

        mock->stats.throttled++;
        respond (msg, 200, text);
      }
      break;

    case MOCK_SHOPIFY_FAULT_TRUNCATED:
      {
        const char *full = answer ? answer : canned;
        g_autofree char *half = g_strndup (full, strlen (full) / 2);

        respond (msg, 200, half);
      }
      break;

    case MOCK_SHOPIFY_FAULT_WRONG_TYPE:
      {
        static const char page[] = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title>"
                                   "</head><body><h1>502 Bad Gateway</h1></body></html>";

        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                          page, strlen (page));
      }
      break;

    case MOCK_SHOPIFY_FAULT_USER_ERRORS:
    default:
      {
        g_autofree char *text = NULL;

        if (op == OP_SET)
          text = g_strdup_printf ("{\"data\":{\"inventorySetQuantities\":{\"inventoryAdjustmentGroup\":null,"
                                  "\"userErrors\":[{\"field\":[\"input\"],\"message\":\"The quantities "
                                  "could not be set; try again\",\"code\":\"%s\"}]}}}",
                                  fault->code ? fault->code : "INTERNAL_ERROR");
        else
          text = g_strdup ("{\"errors\":[{\"message\":\"Internal error. Looks like something went "
                           "wrong on our end.\",\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\"}}]}");
        respond (msg, 200, text);
      }
      break;
    }
}

static gboolean
token_valid (MockShopify *mock,
             const char  *token)
{
  for (guint i = 0; token != NULL && i < mock->tokens->len; i++)
    if (g_str_equal (mock->tokens->pdata[i], token))
      return TRUE;
  return FALSE;
}

static void
handle_token (MockShopify       *mock,
              SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  g_autofree char *token = NULL;
  g_autofree char *answer = NULL;

  mock->stats.token_exchanges++;
  if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0 ||
      mock->client_id == NULL ||
      g_strcmp0 (g_hash_table_lookup (form, "client_id"), mock->client_id) != 0 ||
      g_strcmp0 (g_hash_table_lookup (form, "client_secret"), mock->client_secret) != 0)
    {
      respond (msg, 400, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
      return;
    }

  token = g_strdup_printf ("shpat_mock%u_%08x%08x", mock->stats.token_exchanges,
                           g_random_int (), g_random_int ());
  g_ptr_array_add (mock->tokens, g_strdup (token));
  answer = g_strdup_printf ("{\"access_token\":\"%s\",\"scope\":\"read_products,write_products,"
                            "read_inventory,write_inventory,read_locations,read_orders\","
                            "\"expires_in\":86399}", token);
  respond (msg, 200, answer);
}

/* Bulk operations -------------------------------------------------------- */

/* bulkOperationRunQuery, bulkOperation(id:) and productVariantsCount, and
 * the JSONL result at /bulk/ID.jsonl on the same server, written in chunks
 * as the client reads it (never built whole). */
struct _MockShopifyBulk
{
  guint                   next_id;
  guint                   id;             /* the last operation started, 0: none */
  guint                   polls;          /* status polls of it */
  guint                   running_polls;  /* RUNNING answers before the outcome */
  MockShopifyBulkOutcome  outcome;
  guint                   synthetic;      /* generated variant lines after the real ones */
  guint64                 long_line_at;   /* 1-based line padded past @long_line_bytes */
  gsize                   long_line_bytes;
  guint64                 stall_after;    /* lines written before the download stalls */
  MockShopifyBulkStats    stats;
};

#define BULK_LINES_PER_CHUNK 256
#define BULK_SYNTHETIC_BASE  100000000u

static MockShopifyBulk *
bulk_state (MockShopify *mock)
{
  if (mock->bulk == NULL)
    {
      mock->bulk = g_new0 (MockShopifyBulk, 1);
      mock->bulk->next_id = 1;
      mock->bulk->running_polls = 1;
      mock->bulk->outcome = MOCK_SHOPIFY_BULK_COMPLETED;
    }
  return mock->bulk;
}

static void
bulk_refill (MockShopify *mock)
{
  double elapsed = MAX (g_get_monotonic_time () - mock->available_at, 0) / 1e6;

  mock->available = MIN (mock->bucket_max, mock->available + elapsed * mock->restore_rate);
  mock->available_at = MAX (g_get_monotonic_time (), mock->available_at);
}

static void
bulk_json_string (GString    *out,
                  const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar)*p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar)*p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Line @n (0-based) of the result: the mock's variants, then synthetic
 * ones that match nothing locally. Same fields as a variants.graphql node. */
static void
bulk_append_line (MockShopify *mock,
                  GString     *out,
                  guint64      n)
{
  MockShopifyBulk *bulk = mock->bulk;
  guint index;
  g_autofree char *synthetic_sku = NULL;
  const char *sku, *barcode, *updated;

  if (n < mock->variants->len)
    {
      Variant *v = mock->variants->pdata[n];

      index = (guint)n;
      sku = v->sku;
      barcode = v->barcode;
      updated = v->updated_at;
    }
  else
    {
      index = BULK_SYNTHETIC_BASE + (guint)(n - mock->variants->len);
      synthetic_sku = g_strdup_printf ("REMOTE-BULK-%09u", index);
      sku = synthetic_sku;
      barcode = NULL;
      updated = "2026-01-01T00:00:00Z";
    }

  g_string_append_printf (out, "{\"id\":\"gid://shopify/ProductVariant/%u\",\"sku\":", index + 1);
  bulk_json_string (out, sku);
  g_string_append (out, ",\"barcode\":");
  bulk_json_string (out, barcode);
  g_string_append (out, ",\"title\":\"");
  if (bulk->long_line_at == n + 1)
    for (gsize i = 0; i < bulk->long_line_bytes; i++)
      g_string_append_c (out, 'x');
  else
    g_string_append (out, "Default Title");
  g_string_append (out, "\",\"updatedAt\":");
  bulk_json_string (out, updated);
  g_string_append_printf (out, ",\"product\":{\"id\":\"gid://shopify/Product/%u\",\"title\":", index + 1);
  bulk_json_string (out, sku ? sku : "Untitled");
  g_string_append_printf (out, ",\"handle\":\"product\"},\"inventoryItem\":"
                          "{\"id\":\"gid://shopify/InventoryItem/%u\",\"tracked\":true}}\n",
                          index + 1);
}

typedef struct
{
  MockShopify *mock;
  guint64      next;
  guint64      total;
} BulkDownload;

/* Appends the next chunk of lines, completes the body after the last one,
 * or appends nothing (the server then waits) once the stall point is hit. */
static void
bulk_write_more (SoupServerMessage *msg,
                 gpointer           data)
{
  BulkDownload *d = data;
  MockShopifyBulk *bulk = d->mock->bulk;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  GString *chunk;
  guint64 end;

  if (d->next >= d->total)
    {
      if (d->next == d->total)
        {
          d->next++;
          soup_message_body_complete (body);
        }
      return;
    }
  end = MIN (d->next + BULK_LINES_PER_CHUNK, d->total);
  if (bulk->stall_after > 0)
    {
      if (d->next >= bulk->stall_after)
        return;
      end = MIN (end, bulk->stall_after);
    }
  chunk = g_string_new (NULL);
  bulk->stats.lines_served += end - d->next;
  for (; d->next < end; d->next++)
    bulk_append_line (d->mock, chunk, d->next);
  bulk->stats.bytes_served += chunk->len;
  soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk->str, chunk->len);
  g_string_free (chunk, FALSE);
}

static void
bulk_download_callback (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  MockShopify *mock = user_data;
  MockShopifyBulk *bulk = bulk_state (mock);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *expected = g_strdup_printf ("/bulk/%u.jsonl", bulk->id);
  BulkDownload *d;

  soup_message_headers_replace (headers, "Connection", "close");
  if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0 || bulk->id == 0 ||
      !g_str_equal (path, expected))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  /* A signed URL: the access token has no business here. */
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                    "X-Shopify-Access-Token") != NULL)
    bulk->stats.token_sent++;

  bulk->stats.downloads++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/jsonl", NULL);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  d = g_new0 (BulkDownload, 1);
  d->mock = mock;
  d->total = (guint64)mock->variants->len + bulk->synthetic;
  g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (bulk_write_more), d,
                         (GClosureNotify)(void (*) (void))g_free, 0);
  bulk_write_more (msg, d);
}

/* Answers the bulk documents and the variants count; FALSE for others. */
static gboolean
bulk_handle (MockShopify       *mock,
             SoupServerMessage *msg,
             const char        *query,
             JsonObject        *vars)
{
  MockShopifyBulk *bulk;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *answer = NULL;
  double requested;

  if (strstr (query, "mutation OmniBulkRunQuery") != NULL)
    requested = 10;
  else if (strstr (query, "query OmniBulkOperation") != NULL ||
           strstr (query, "query OmniProductVariantsCount") != NULL)
    requested = 1;
  else
    return FALSE;

  bulk = bulk_state (mock);
  bulk_refill (mock);
  mock->available -= requested;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);

  if (strstr (query, "mutation OmniBulkRunQuery") != NULL)
    {
      g_autofree char *key = idempotency_key (query, vars);
      const char *inner = var_string (vars, "query");

      bulk->stats.runs++;
      if (key == NULL || *key == '\0')
        bulk->stats.missing_key++;
      json_builder_set_member_name (b, "bulkOperationRunQuery");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "bulkOperation");
      if (inner == NULL || strstr (inner, "productVariants") == NULL)
        {
          json_builder_add_null_value (b);
          json_builder_set_member_name (b, "userErrors");
          json_builder_begin_array (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "field");
          json_builder_begin_array (b);
          json_builder_add_string_value (b, "query");
          json_builder_end_array (b);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, "Invalid bulk query: it must include a connection field");
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, "INVALID");
          json_builder_end_object (b);
          json_builder_end_array (b);
        }
      else
        {
          g_autofree char *id = NULL;

          bulk->id = bulk->next_id++;
          bulk->polls = 0;
          id = g_strdup_printf ("gid://shopify/BulkOperation/%u", bulk->id);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, id);
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, "CREATED");
          json_builder_end_object (b);
          json_builder_set_member_name (b, "userErrors");
          json_builder_begin_array (b);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  else if (strstr (query, "query OmniBulkOperation") != NULL)
    {
      const char *id = var_string (vars, "id");
      g_autofree char *expected = g_strdup_printf ("gid://shopify/BulkOperation/%u", bulk->id);
      static const char * const names[] = {
        [MOCK_SHOPIFY_BULK_COMPLETED] = "COMPLETED", [MOCK_SHOPIFY_BULK_NO_RESULTS] = "COMPLETED",
        [MOCK_SHOPIFY_BULK_FAILED] = "FAILED", [MOCK_SHOPIFY_BULK_CANCELED] = "CANCELED",
        [MOCK_SHOPIFY_BULK_EXPIRED] = "EXPIRED", [MOCK_SHOPIFY_BULK_RUNNING_FOREVER] = "RUNNING",
      };
      guint64 total = (guint64)mock->variants->len + bulk->synthetic;
      const char *status;

      bulk->stats.polls++;
      json_builder_set_member_name (b, "bulkOperation");
      if (bulk->id == 0 || g_strcmp0 (id, expected) != 0)
        json_builder_add_null_value (b);
      else
        {
          gboolean done = ++bulk->polls > bulk->running_polls;
          g_autofree char *count = NULL;
          g_autofree char *url = NULL;

          status = done ? names[bulk->outcome] : "RUNNING";
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, id);
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, status);
          json_builder_set_member_name (b, "errorCode");
          if (done && bulk->outcome == MOCK_SHOPIFY_BULK_FAILED)
            json_builder_add_string_value (b, "INTERNAL_SERVER_ERROR");
          else
            json_builder_add_null_value (b);
          /* UnsignedInt64 travels as a string. */
          count = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                   done && bulk->outcome == MOCK_SHOPIFY_BULK_COMPLETED ? total : 0);
          json_builder_set_member_name (b, "objectCount");
          json_builder_add_string_value (b, count);
          json_builder_set_member_name (b, "fileSize");
          json_builder_add_null_value (b);
          json_builder_set_member_name (b, "url");
          if (done && bulk->outcome == MOCK_SHOPIFY_BULK_COMPLETED && total > 0)
            {
              url = g_strdup_printf ("%s/bulk/%u.jsonl", mock->url, bulk->id);
              json_builder_add_string_value (b, url);
            }
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
    }
  else
    {
      gint64 limit = var_int (vars, "limit", 10000);
      guint64 total = (guint64)mock->variants->len + bulk->synthetic;

      bulk->stats.counts++;
      json_builder_set_member_name (b, "productVariantsCount");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, (gint64)MIN (total, (guint64)MAX (limit, 0)));
      json_builder_set_member_name (b, "precision");
      json_builder_add_string_value (b, total > (guint64)MAX (limit, 0) ? "AT_LEAST" : "EXACT");
      json_builder_end_object (b);
    }

  json_builder_end_object (b);
  add_cost (mock, b, requested, TRUE);
  json_builder_end_object (b);
  answer = builder_to_string (b);
  respond (msg, 200, answer);
  return TRUE;
}

static int
operation_of (const char *query)
{
  static const struct { const char *name; int op; } names[] = {
    { "query OmniShop", OP_SHOP }, { "query OmniLocations", OP_LOCATIONS },
    { "query OmniVariants", OP_VARIANTS }, { "query OmniInventoryLevels", OP_LEVELS },
    { "query OmniInventoryLevel(", OP_LEVEL }, { "query OmniOrders", OP_ORDERS },
    { "mutation OmniSetQuantities", OP_SET },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strstr (query, names[i].name) != NULL)
      return names[i].op;
  return OP_OTHER;
}

static void
handle_graphql (MockShopify       *mock,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *token = soup_message_headers_get_one (headers, "X-Shopify-Access-Token");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *answer = NULL;
  g_autoptr(Fault) fault = NULL;
  JsonObject *request, *vars = NULL;
  const char *query;
  double requested, elapsed;
  int op;

  mock->stats.requests++;
  if (token != NULL)
    {
      g_string_append (mock->stats.seen_tokens, token);
      g_string_append_c (mock->stats.seen_tokens, '\n');
    }

  if (mock->fail_count > 0)
    {
      mock->fail_count--;
      mock->stats.injected_failures++;
      if (mock->fail_retry_after > 0)
        {
          g_autofree char *value = g_strdup_printf ("%u", mock->fail_retry_after);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", value);
        }
      respond (msg, mock->fail_status, "{\"errors\":\"Internal Server Error\"}");
      return;
    }

  if (!token_valid (mock, token))
    {
      mock->stats.unauthorized++;
      respond (msg, 401, "{\"errors\":\"[API] Invalid API key or access token "
                         "(unrecognized login or wrong password)\"}");
      return;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize)g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond (msg, 400, "{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}");
      return;
    }
  request = json_node_get_object (json_parser_get_root (parser));
  query = json_object_get_string_member_with_default (request, "query", "");
  if (json_object_has_member (request, "variables") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "variables")))
    vars = json_object_get_object_member (request, "variables");
  op = operation_of (query);
  mock->stats.by_operation[op]++;
  if (op == OP_OTHER && bulk_handle (mock, msg, query, vars))
    return;
  fault = take_fault (mock, op);

  /* The leaky bucket. */
  elapsed = MAX (g_get_monotonic_time () - mock->available_at, 0) / 1e6;
  mock->available = MIN (mock->bucket_max, mock->available + elapsed * mock->restore_rate);
  mock->available_at = MAX (g_get_monotonic_time (), mock->available_at);
  requested = requested_cost (op, vars);

  if (fault != NULL && !fault->fault.after_apply)
    {
      /* Before anything happened: the request is not served. */
      serve_fault (mock, msg, fault, op, requested, NULL);
      return;
    }

  json_builder_begin_object (b);
  if (requested > 1000)
    {
      mock->stats.over_limit++;
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "Query cost is higher than the maximum allowed cost of 1000");
      json_builder_set_member_name (b, "extensions");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, "MAX_COST_EXCEEDED");
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      add_cost (mock, b, requested, FALSE);
    }
  else if (requested > mock->available)
    {
      mock->stats.throttled++;
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "Throttled");
      json_builder_set_member_name (b, "extensions");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, "THROTTLED");
      json_builder_set_member_name (b, "documentation");
      json_builder_add_string_value (b, "https://shopify.dev/api/usage/rate-limits");
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      add_cost (mock, b, requested, FALSE);
    }
  else if (op == OP_SET)
    {
      g_autofree char *key = idempotency_key (query, vars);
      g_autofree char *fingerprint = NULL;
      g_autofree char *data = NULL;
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      Replay *replay;

      mock->available -= requested;
      mock->stats.mutations++;
      if (key == NULL || *key == '\0')
        {
          /* Required since 2026-04. */
          mock->stats.missing_key++;
          json_builder_end_object (b);
          respond (msg, 200, "{\"errors\":[{\"message\":\"An idempotency key is required\","
                             "\"extensions\":{\"code\":\"BAD_REQUEST\"}}]}");
          return;
        }
      g_hash_table_insert (mock->key_counts, g_strdup (key),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (mock->key_counts, key)) + 1));
      json_generator_set_root (gen, json_object_get_member (vars, "input"));
      fingerprint = json_generator_to_data (gen, NULL);
      replay = g_hash_table_lookup (mock->keys, key);
      if (replay != NULL && !g_str_equal (replay->fingerprint, fingerprint))
        data = g_strdup ("{\"inventorySetQuantities\":{\"inventoryAdjustmentGroup\":null,"
                         "\"userErrors\":[{\"field\":[\"input\"],\"message\":\"The idempotency key "
                         "was used with different parameters\",\"code\":\"IDEMPOTENCY_KEY_PARAMETER_MISMATCH\"}]}}");
      else if (replay != NULL)
        {
          mock->stats.replays++;
          data = g_strdup (replay->response);
        }
      else
        {
          replay = g_new0 (Replay, 1);
          replay->fingerprint = g_strdup (fingerprint);
          replay->response = apply_set_quantities (mock, key, vars);
          g_hash_table_insert (mock->keys, g_strdup (key), replay);
          data = g_strdup (replay->response);
          if (mock->hook != NULL)
            mock->hook (mock, key, mock->hook_data);
        }
      json_builder_set_member_name (b, "data");
      {
        g_autoptr(JsonParser) p = json_parser_new ();

        json_parser_load_from_data (p, data, -1, NULL);
        json_builder_add_value (b, json_node_copy (json_parser_get_root (p)));
      }
      add_cost (mock, b, requested, TRUE);

      if (mock->lose_next)
        {
          /* Applied, but the answer never arrives: a gateway error. */
          mock->lose_next = FALSE;
          json_builder_end_object (b);
          respond (msg, 504, "{\"errors\":\"Gateway Timeout\"}");
          return;
        }
    }
  else
    {
      mock->available -= requested;
      answer_data (mock, b, op, vars);
      add_cost (mock, b, requested, TRUE);
    }
  json_builder_end_object (b);

  answer = builder_to_string (b);
  if (fault != NULL)
    serve_fault (mock, msg, fault, op, requested, answer);
  else
    respond (msg, 200, answer);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  MockShopify *mock = user_data;

  /* One request per connection: none is left open when the mock goes. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      respond (msg, 405, "{\"errors\":\"Method not allowed\"}");
      return;
    }
  if (g_str_equal (path, "/admin/oauth/access_token"))
    handle_token (mock, msg);
  else if (g_str_equal (path, API_PATH))
    handle_graphql (mock, msg);
  else
    {
      respond (msg, 404, "{\"errors\":\"Not Found\"}");
      return;
    }

  if (mock->delay_ms > 0 && !mock->answered_later)
    answer_later (msg, mock->delay_ms);
  mock->answered_later = FALSE;
}

/* Public ----------------------------------------------------------------- */

MockShopify *
mock_shopify_new (void)
{
  MockShopify *mock = g_new0 (MockShopify, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri = NULL;

  mock->tokens = g_ptr_array_new_with_free_func (g_free);
  mock->locations = g_ptr_array_new_with_free_func (g_free);
  mock->variants = g_ptr_array_new_with_free_func (variant_free);
  mock->orders = g_ptr_array_new_with_free_func (order_free);
  mock->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, replay_free);
  mock->key_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  mock->applied_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&mock->faults);
  mock->stats.seen_tokens = g_string_new (NULL);
  mock->bucket_max = 2000;
  mock->restore_rate = 100000;
  mock->available = mock->bucket_max;
  mock->available_at = g_get_monotonic_time ();

  mock->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (mock->server, NULL, server_callback, mock, NULL);
  soup_server_add_handler (mock->server, "/bulk", bulk_download_callback, mock, NULL);
  if (!soup_server_listen_local (mock->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The mock Shopify server cannot listen: %s", error->message);
  uris = soup_server_get_uris (mock->server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);
  if (g_str_has_suffix (uri, "/"))
    uri[strlen (uri) - 1] = '\0';
  mock->url = g_steal_pointer (&uri);
  return mock;
}

void
mock_shopify_free (MockShopify *mock)
{
  soup_server_disconnect (mock->server);
  g_object_unref (mock->server);
  /* Closed connections are released from the main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (mock->url);
  g_free (mock->client_id);
  g_free (mock->shop_name);
  g_free (mock->client_secret);
  g_ptr_array_unref (mock->tokens);
  g_ptr_array_unref (mock->locations);
  g_ptr_array_unref (mock->variants);
  g_ptr_array_unref (mock->orders);
  g_hash_table_unref (mock->keys);
  g_hash_table_unref (mock->key_counts);
  g_hash_table_unref (mock->applied_keys);
  g_queue_clear_full (&mock->faults, fault_free);
  g_string_free (mock->stats.seen_tokens, TRUE);
  g_free (mock->bulk);
  g_free (mock);
}

const char *
mock_shopify_get_url (MockShopify *mock)
{
  return mock->url;
}

void
mock_shopify_add_token (MockShopify *mock,
                        const char  *token)
{
  g_ptr_array_add (mock->tokens, g_strdup (token));
}

void
mock_shopify_set_client (MockShopify *mock,
                         const char  *client_id,
                         const char  *client_secret)
{
  g_free (mock->client_id);
  g_free (mock->client_secret);
  mock->client_id = g_strdup (client_id);
  mock->client_secret = g_strdup (client_secret);
}

/* The shop's name in the answer to the shop query. */
void
mock_shopify_set_shop_name (MockShopify *mock,
                            const char  *name)
{
  g_free (mock->shop_name);
  mock->shop_name = g_strdup (name);
}

void
mock_shopify_revoke_tokens (MockShopify *mock)
{
  g_ptr_array_set_size (mock->tokens, 0);
}

void
mock_shopify_set_throttle (MockShopify *mock,
                           double       maximum,
                           double       restore_rate)
{
  mock->bucket_max = maximum;
  mock->restore_rate = restore_rate;
  mock->available = maximum;
  mock->available_at = g_get_monotonic_time ();
}

/* Another app keeps the bucket empty for @ms milliseconds. */
void
mock_shopify_drain (MockShopify *mock,
                    guint        ms)
{
  mock->available = 0;
  mock->available_at = g_get_monotonic_time () + (gint64)ms * 1000;
}

void
mock_shopify_fail_next (MockShopify *mock,
                        guint        status,
                        guint        count,
                        guint        retry_after_s)
{
  mock->fail_status = status;
  mock->fail_count = count;
  mock->fail_retry_after = retry_after_s;
}

void
mock_shopify_set_delay (MockShopify *mock,
                        guint        delay_ms)
{
  mock->delay_ms = delay_ms;
}

void
mock_shopify_set_mutation_hook (MockShopify     *mock,
                                MockShopifyHook  hook,
                                gpointer         user_data)
{
  mock->hook = hook;
  mock->hook_data = user_data;
}

void
mock_shopify_lose_next_response (MockShopify *mock)
{
  mock->lose_next = TRUE;
}

void
mock_shopify_add_location (MockShopify *mock,
                           const char  *name)
{
  g_ptr_array_add (mock->locations, g_strdup (name));
  for (guint i = 0; i < mock->variants->len; i++)
    {
      gint64 zero = 0;
      g_array_append_val (((Variant *)mock->variants->pdata[i])->quantities, zero);
    }
}

/* Returns the variant's index; its quantity is set at the first location. */
guint
mock_shopify_add_variant (MockShopify *mock,
                          const char  *sku,
                          const char  *barcode,
                          gint64       quantity)
{
  Variant *v = g_new0 (Variant, 1);

  v->sku = g_strdup (sku);
  v->barcode = g_strdup (barcode);
  v->updated_at = tick (mock);
  v->quantities = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_array_set_size (v->quantities, mock->locations->len);
  if (mock->locations->len > 0)
    g_array_index (v->quantities, gint64, 0) = quantity;
  g_ptr_array_add (mock->variants, v);
  return mock->variants->len - 1;
}

void
mock_shopify_set_quantity (MockShopify *mock,
                           guint        variant,
                           guint        location,
                           gint64       quantity)
{
  Variant *v = mock->variants->pdata[variant];

  g_array_index (v->quantities, gint64, location) = quantity;
  g_free (v->updated_at);
  v->updated_at = tick (mock);
}

gint64
mock_shopify_get_quantity (MockShopify *mock,
                           guint        variant,
                           guint        location)
{
  return g_array_index (((Variant *)mock->variants->pdata[variant])->quantities, gint64, location);
}

/* An order sells at the first location, as Shopify would. */
void
mock_shopify_add_order (MockShopify *mock,
                        const char  *name,
                        guint        variant,
                        gint64       quantity)
{
  Order *o = g_new0 (Order, 1);
  Variant *v = mock->variants->pdata[variant];

  o->name = g_strdup (name);
  o->variant = variant;
  o->quantity = quantity;
  o->fulfilled = quantity;
  o->created_at = tick (mock);
  o->updated_at = g_strdup (o->created_at);
  g_ptr_array_add (mock->orders, o);
  g_array_index (v->quantities, gint64, 0) -= quantity;
}

/* An order not shipped yet: Shopify commits its units (available goes down
 * at once, on hand when it ships). */
void
mock_shopify_add_unfulfilled_order (MockShopify *mock,
                                    const char  *name,
                                    guint        variant,
                                    gint64       quantity)
{
  mock_shopify_add_order (mock, name, variant, quantity);
  ((Order *)mock->orders->pdata[mock->orders->len - 1])->fulfilled = 0;
}

/* Ships @units more of the order (never more than it has): available does
 * not move, the order's updatedAt does. */
void
mock_shopify_fulfil_order (MockShopify *mock,
                           const char  *name,
                           gint64       units)
{
  for (guint i = 0; i < mock->orders->len; i++)
    {
      Order *o = mock->orders->pdata[i];

      if (g_str_equal (o->name, name) && !o->cancelled)
        {
          o->fulfilled = MIN (o->quantity, o->fulfilled + units);
          g_free (o->updated_at);
          o->updated_at = tick (mock);
        }
    }
}

void
mock_shopify_cancel_order (MockShopify *mock,
                           const char  *name)
{
  for (guint i = 0; i < mock->orders->len; i++)
    {
      Order *o = mock->orders->pdata[i];

      if (g_str_equal (o->name, name) && !o->cancelled)
        {
          Variant *v = mock->variants->pdata[o->variant];

          o->cancelled = TRUE;
          g_free (o->updated_at);
          o->updated_at = tick (mock);
          g_array_index (v->quantities, gint64, 0) += o->quantity;
        }
    }
}

const MockShopifyStats *
mock_shopify_get_stats (MockShopify *mock)
{
  return &mock->stats;
}

guint
mock_shopify_key_count (MockShopify *mock,
                        const char  *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (mock->key_counts, key));
}

/* How many times the mutation with idempotency key @key was applied (not
 * replayed): more than 1 would be a change applied twice. */
guint
mock_shopify_applied_count (MockShopify *mock,
                            const char  *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (mock->applied_keys, key));
}

/**
 * mock_shopify_add_fault:
 * @times: how many consecutive matching requests it hits
 *
 * Queues @fault (copied) for the next @times GraphQL requests of its operation.
 */
void
mock_shopify_add_fault (MockShopify            *mock,
                        const MockShopifyFault *fault,
                        guint                   times)
{
  for (guint i = 0; i < times; i++)
    {
      Fault *f = g_new0 (Fault, 1);

      f->fault = *fault;
      f->code = g_strdup (fault->code);
      f->fault.code = f->code;
      g_queue_push_tail (&mock->faults, f);
    }
}

/* Faults queued and not yet used. */
guint
mock_shopify_pending_faults (MockShopify *mock)
{
  return g_queue_get_length (&mock->faults);
}

/* Faults used so far. */
guint
mock_shopify_faults_served (MockShopify *mock)
{
  return mock->faults_served;
}

void
mock_shopify_clear_faults (MockShopify *mock)
{
  g_queue_clear_full (&mock->faults, fault_free);
  g_queue_init (&mock->faults);
}

/* Bulk operations (see the section above) ------------------------------- */

/**
 * mock_shopify_bulk_set_outcome:
 * @running_polls: status polls answered RUNNING before @outcome
 *
 * How the next bulk operations end.
 */
void
mock_shopify_bulk_set_outcome (MockShopify            *mock,
                               MockShopifyBulkOutcome  outcome,
                               guint                   running_polls)
{
  MockShopifyBulk *bulk = bulk_state (mock);

  bulk->outcome = outcome;
  bulk->running_polls = running_polls;
}

/* @count generated variants after the real ones in every result (and the
 * count), matching nothing locally: a big file that is never built. */
void
mock_shopify_bulk_add_synthetic (MockShopify *mock,
                                 guint        count)
{
  bulk_state (mock)->synthetic += count;
}

/* Line @line (1-based) of the result gets a title of @bytes bytes. */
void
mock_shopify_bulk_set_long_line (MockShopify *mock,
                                 guint64      line,
                                 gsize        bytes)
{
  MockShopifyBulk *bulk = bulk_state (mock);

  bulk->long_line_at = line;
  bulk->long_line_bytes = bytes;
}

/* The download stops after @lines lines and hangs until the client goes
 * (0: never stops). */
void
mock_shopify_bulk_stall_after (MockShopify *mock,
                               guint64      lines)
{
  bulk_state (mock)->stall_after = lines;
}

const MockShopifyBulkStats *
mock_shopify_bulk_get_stats (MockShopify *mock)
{
  return &bulk_state (mock)->stats;
}
