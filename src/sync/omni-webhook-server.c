/* omni-webhook-server.c: the optional receiver of Shopify webhooks
 *
 * A SoupServer on its own thread and main context (so neither the window nor
 * a slow disk delays the answer), bound to 127.0.0.1 unless told otherwise.
 * A delivery is checked in this order: POST only, body at most 1 MiB (413
 * before the body is read), a configured shop, a valid
 * X-Shopify-Hmac-Sha256 (401 otherwise, nothing stored), a topic and an
 * event id. It is then stored in `webhook_events` (a repeated event id is
 * acknowledged and ignored) and answered 200; a second thread applies the
 * queue oldest first with its own database connection. Deliveries left
 * queued by a crash are applied at the next start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "omni-connector.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-store-webhook.h"
#include "omni-webhook-server.h"
#include "omni-webhook-server-private.h"

#define HMAC_LENGTH 32
/* A base64 SHA-256 digest is 44 characters; refuse anything much longer
 * before decoding it. */
#define MAX_HMAC_HEADER 64
#define MAX_ID_HEADER 255

typedef struct
{
  gint64  id;
  char   *account;
  char   *secret;    /* NULL: no signing secret in the keyring */
  gboolean secret_is_copy;   /* g_malloc'd, not keyring memory */
} Target;

struct _OmniWebhookServer
{
  GObject       parent_instance;

  char         *db_path;
  gint64        only_channel;
  GHashTable   *targets;          /* lower-case shop domain → Target */

  /* the server thread */
  GThread      *server_thread;
  GMainContext *context;
  GMainLoop    *loop;
  OmniStore    *queue_store;      /* used on the server thread only */
  guint         port;
  char         *address;

  /* the worker thread */
  GThread      *worker_thread;

  GMutex        lock;
  GCond         cond;
  gboolean      started;          /* server thread finished starting */
  GError       *start_error;
  gboolean      wake;
  gboolean      idle;
  gboolean      stopping;
  gint64        duplicates;       /* not yet added to the store */
  gint64        rejected;
};

G_DEFINE_FINAL_TYPE (OmniWebhookServer, omni_webhook_server, G_TYPE_OBJECT)

static void
target_free (Target *target)
{
  g_free (target->account);
  if (target->secret != NULL && target->secret_is_copy)
    g_free (target->secret);
  else if (target->secret != NULL)
    omni_secret_free (target->secret);
  g_free (target);
}

/* Signing ---------------------------------------------------------------- */

static void
compute_hmac (const char   *secret,
              const guint8 *body,
              gsize         length,
              guint8        digest[HMAC_LENGTH])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)secret, strlen (secret));
  gsize size = HMAC_LENGTH;

  if (length > 0)
    g_hmac_update (hmac, body, (gssize)length);
  g_hmac_get_digest (hmac, digest, &size);
}

/**
 * omni_webhook_sign:
 *
 * Returns: (transfer full): base64 HMAC-SHA256 of @body under @secret, the
 *   value of `X-Shopify-Hmac-Sha256`
 */
char *
omni_webhook_sign (const char   *secret,
                   const guint8 *body,
                   gsize         length)
{
  guint8 digest[HMAC_LENGTH];
  char *encoded;

  g_return_val_if_fail (secret != NULL, NULL);

  compute_hmac (secret, body, length, digest);
  encoded = g_base64_encode (digest, sizeof digest);
  memset (digest, 0, sizeof digest);
  return encoded;
}

/**
 * omni_webhook_verify:
 * @header: (nullable): the `X-Shopify-Hmac-Sha256` value
 *
 * Checks the signature in constant time (for a given length). A missing,
 * malformed or wrongly sized header fails; so does an empty body.
 */
gboolean
omni_webhook_verify (const char   *secret,
                     const guint8 *body,
                     gsize         length,
                     const char   *header)
{
  guint8 expected[HMAC_LENGTH];
  g_autofree guint8 *given = NULL;
  gsize given_length = 0;
  gsize header_length;
  guint8 diff = 0;

  if (secret == NULL || *secret == '\0' || header == NULL || length == 0)
    return FALSE;
  header_length = strlen (header);
  if (header_length == 0 || header_length > MAX_HMAC_HEADER)
    return FALSE;
  for (gsize i = 0; i < header_length; i++)
    if (!g_ascii_isalnum (header[i]) && header[i] != '+' && header[i] != '/' && header[i] != '=')
      return FALSE;

  given = g_base64_decode (header, &given_length);
  if (given == NULL || given_length != HMAC_LENGTH)
    return FALSE;

  compute_hmac (secret, body, length, expected);
  for (gsize i = 0; i < HMAC_LENGTH; i++)
    diff |= expected[i] ^ given[i];
  memset (expected, 0, sizeof expected);
  return diff == 0;
}

/* Receiving (server thread) --------------------------------------------- */

static void
respond (SoupServerMessage *msg,
         guint              status)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
}

static void
reject (OmniWebhookServer *self,
        SoupServerMessage *msg,
        guint              status,
        const char        *why)
{
  g_mutex_lock (&self->lock);
  self->rejected++;
  g_mutex_unlock (&self->lock);
  g_info ("Refused a webhook delivery from %s with %u: %s",
          soup_server_message_get_remote_host (msg), status, why);
  respond (msg, status);
}

/* Runs once the headers are in, before any of the body is read. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  OmniWebhookServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      reject (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "not a POST");
      return;
    }
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      reject (self, msg, SOUP_STATUS_LENGTH_REQUIRED, "no Content-Length");
      return;
    }
  if (soup_message_headers_get_content_length (headers) > OMNI_WEBHOOK_MAX_BODY)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      reject (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body too large");
      return;
    }
}

static const char *
bounded_value (const char *value)
{
  if (value == NULL || *value == '\0' || strlen (value) > MAX_ID_HEADER ||
      !g_utf8_validate (value, -1, NULL))
    return NULL;
  return value;
}

/* Checks a delivery whose body is in, in order (path, size, shop, HMAC,
 * topic and event id, text), and queues it. Returns the HTTP status to
 * answer, with @why set for a refusal. The header values are as received
 * (NULL when absent). Also the entry point of the fuzz target. */
static guint
receive_delivery (OmniWebhookServer  *self,
                  OmniStore          *queue_store,
                  const char         *path,
                  const char         *shop,
                  const char         *hmac,
                  const char         *topic,
                  const char         *event_id,
                  const char         *webhook_id,
                  const guint8       *data,
                  gsize               length,
                  const char        **why)
{
  g_autofree char *domain = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  Target *target;
  gboolean duplicate = FALSE;

  if (g_strcmp0 (path, OMNI_WEBHOOK_SHOPIFY_PATH) != 0)
    {
      *why = "unknown path";
      return SOUP_STATUS_NOT_FOUND;
    }
  if (length > OMNI_WEBHOOK_MAX_BODY)
    {
      *why = "body too large";
      return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
    }

  shop = bounded_value (shop);
  domain = shop != NULL ? g_ascii_strdown (shop, -1) : NULL;
  target = domain != NULL ? g_hash_table_lookup (self->targets, domain) : NULL;
  if (target == NULL || target->secret == NULL)
    {
      *why = target == NULL ? "unknown shop" : "no signing secret for this shop";
      return SOUP_STATUS_UNAUTHORIZED;
    }
  if (length == 0 || !omni_webhook_verify (target->secret, data, length, hmac))
    {
      *why = "missing or wrong signature";
      return SOUP_STATUS_UNAUTHORIZED;
    }

  topic = bounded_value (topic);
  event_id = bounded_value (event_id);
  if (event_id == NULL)
    event_id = bounded_value (webhook_id);
  if (topic == NULL || event_id == NULL || !g_utf8_validate ((const char *)data, (gssize)length, NULL))
    {
      *why = "no topic, no event id or a body that is not text";
      return SOUP_STATUS_BAD_REQUEST;
    }

  text = g_strndup ((const char *)data, length);
  if (omni_store_queue_webhook (queue_store, target->id, event_id, topic, text,
                                &duplicate, &error) == 0)
    {
      /* Not stored: Shopify retries a delivery that was not answered 2xx. */
      g_warning ("Could not queue a webhook delivery: %s", error->message);
      *why = NULL;
      return SOUP_STATUS_SERVICE_UNAVAILABLE;
    }

  g_mutex_lock (&self->lock);
  if (duplicate)
    self->duplicates++;
  else
    {
      self->wake = TRUE;
      self->idle = FALSE;
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return SOUP_STATUS_OK;
}

static void
handle_delivery (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  OmniWebhookServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = NULL;
  const char *why = NULL;
  const guint8 *data;
  gsize length;
  guint status;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      reject (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "not a POST");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &length);
  status = receive_delivery (self, self->queue_store, path,
                             soup_message_headers_get_one (headers, "X-Shopify-Shop-Domain"),
                             soup_message_headers_get_one (headers, "X-Shopify-Hmac-Sha256"),
                             soup_message_headers_get_one (headers, "X-Shopify-Topic"),
                             soup_message_headers_get_one (headers, "X-Shopify-Event-Id"),
                             soup_message_headers_get_one (headers, "X-Shopify-Webhook-Id"),
                             data, length, &why);
  if (why != NULL)
    reject (self, msg, status, why);
  else
    respond (msg, status);
}

/* Applying (worker thread) ---------------------------------------------- */

typedef struct
{
  const char *status;     /* sync_log status: ok, error, conflict */
  const char *state;      /* applied, ignored */
  char       *message;
} Outcome;

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return FALSE;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
member_is_set (JsonObject *object,
               const char *name)
{
  return object != NULL && json_object_has_member (object, name) &&
         !json_object_get_null_member (object, name);
}

static gint64
parse_time_us (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;

  if (iso == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  return dt ? g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt) : 0;
}

/* The GID of a REST object: admin_graphql_api_id, else built from the id. */
static char *
object_gid (JsonObject *object,
            const char *type)
{
  const char *gid = member_string (object, "admin_graphql_api_id");
  gint64 id;

  if (gid != NULL && g_str_has_prefix (gid, "gid://shopify/"))
    return g_strdup (gid);
  if (member_int (object, "id", &id) && id > 0)
    return g_strdup_printf ("gid://shopify/%s/%" G_GINT64_FORMAT, type, id);
  return NULL;
}

static gboolean
apply_order (OmniStore    *store,
             OmniChannel  *channel,
             JsonObject   *order,
             gboolean      cancelled_topic,
             Outcome      *out,
             GError      **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (OmniOrderLineSpec));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *gid = object_gid (order, "Order");
  JsonArray *items = NULL;
  OmniOrderSpec spec = { 0 };
  const char *name = member_string (order, "name");
  gint64 sold = 0, reserved = 0;

  if (gid == NULL)
    {
      out->state = "ignored";
      out->message = g_strdup ("The order has no id");
      return TRUE;
    }

  if (cancelled_topic || member_is_set (order, "cancelled_at"))
    {
      gboolean reversed = FALSE;

      if (!omni_store_cancel_channel_order (store, channel->id, gid, &reversed, error))
        return FALSE;
      out->state = "applied";
      out->message = reversed
                     ? g_strdup_printf ("Order %s cancelled: its sold units came back", name ? name : gid)
                     : g_strdup_printf ("Order %s cancelled; nothing to reverse here", name ? name : gid);
      return TRUE;
    }

  if (omni_store_webhook_order_cancelled (store, channel->id, gid))
    {
      out->state = "ignored";
      out->message = g_strdup_printf ("Order %s was already cancelled", name ? name : gid);
      return TRUE;
    }

  if (json_object_has_member (order, "line_items") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (order, "line_items")))
    items = json_object_get_array_member (order, "line_items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      OmniOrderLineSpec line = { 0 };
      gint64 variant = 0;

      if (item == NULL || !member_int (item, "quantity", &line.quantity) || line.quantity <= 0)
        continue;
      if (member_int (item, "variant_id", &variant) && variant > 0)
        {
          char *variant_gid = g_strdup_printf ("gid://shopify/ProductVariant/%" G_GINT64_FORMAT,
                                               variant);

          g_ptr_array_add (strings, variant_gid);
          line.variant_id = omni_store_find_variant_for_remote (store, channel->id, variant_gid);
        }
      line.sku = member_string (item, "sku");
      line.title = member_string (item, "name");
      /* fulfillable_quantity: units still to ship, reserved until they do;
       * current_quantity: units still ordered (less refunds and removals). */
      if (member_int (item, "fulfillable_quantity", &line.unfulfilled))
        {
          gint64 current = line.quantity;

          if (!member_int (item, "current_quantity", &current))
            current = line.quantity;
          current = CLAMP (current, 0, line.quantity);
          line.unfulfilled = CLAMP (line.unfulfilled, 0, current);
          line.fulfilled = current - line.unfulfilled;
          line.track_fulfilment = TRUE;
        }
      if (line.variant_id > 0)
        {
          sold += line.track_fulfilment ? line.fulfilled : line.quantity;
          reserved += line.track_fulfilment ? line.unfulfilled : 0;
        }
      g_array_append_val (lines, line);
    }
  if (lines->len == 0)
    {
      out->state = "ignored";
      out->message = g_strdup_printf ("Order %s has no line items", name ? name : gid);
      return TRUE;
    }

  spec.channel_id = channel->id;
  spec.remote_id = gid;
  spec.name = name ? name : gid;
  spec.currency = member_string (order, "currency");
  spec.placed_us = parse_time_us (member_string (order, "created_at"));
  spec.location_id = omni_store_channel_order_location (store, channel->id);
  spec.lines = (const OmniOrderLineSpec *)(void *)lines->data;
  spec.n_lines = lines->len;
  spec.actor = channel->name;

  if (omni_store_record_order (store, &spec, error) == 0)
    return FALSE;
  out->state = "applied";
  out->message = g_strdup_printf ("Order %s recorded once: %" G_GINT64_FORMAT " linked units "
                                  "shipped, %" G_GINT64_FORMAT " reserved until they ship",
                                  spec.name, sold, reserved);
  return TRUE;
}

/* refunds/create: restocked lines come back as `returned` movements through
 * omni_store_record_refund(), keyed on the refund line's GID exactly as the
 * polling path keys it, so the two paths return a unit once. */
static gboolean
apply_refund (OmniStore    *store,
              OmniChannel  *channel,
              JsonObject   *refund,
              Outcome      *out,
              GError      **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (OmniRefundLineSpec));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *gid = object_gid (refund, "Refund");
  g_autofree char *order_gid = NULL;
  JsonArray *items = NULL;
  OmniRefundSpec spec = { 0 };
  gint64 order = 0, returned = 0;
  gboolean legacy_restock = FALSE;
  guint skipped = 0;

  out->state = "ignored";
  if (gid == NULL || !member_int (refund, "order_id", &order) || order <= 0)
    {
      out->message = g_strdup ("The refund has no id or no order id");
      return TRUE;
    }
  order_gid = g_strdup_printf ("gid://shopify/Order/%" G_GINT64_FORMAT, order);
  if (json_object_has_member (refund, "restock") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (refund, "restock")))
    legacy_restock = json_object_get_boolean_member (refund, "restock");

  if (json_object_has_member (refund, "refund_line_items") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (refund, "refund_line_items")))
    items = json_object_get_array_member (refund, "refund_line_items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items) && i < 1000; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *line_item = NULL;
      const char *restock_type = member_string (item, "restock_type");
      OmniRefundLineSpec line = { 0 };
      gint64 variant = 0, location = 0;
      char *line_gid;

      if (item == NULL || !member_int (item, "quantity", &line.quantity) || line.quantity <= 0 ||
          (line_gid = object_gid (item, "RefundLineItem")) == NULL)
        continue;
      g_ptr_array_add (strings, line_gid);
      line.remote_line_id = line_gid;
      /* "cancel" restocks are the order's cancellation, which returns
       * the units itself. */
      line.restock = restock_type != NULL
                     ? (g_str_equal (restock_type, "return") ||
                        g_str_equal (restock_type, "legacy_restock"))
                     : legacy_restock;
      if (json_object_has_member (item, "line_item") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (item, "line_item")))
        line_item = json_object_get_object_member (item, "line_item");
      if (member_int (line_item, "variant_id", &variant) && variant > 0)
        {
          char *variant_gid = g_strdup_printf ("gid://shopify/ProductVariant/%" G_GINT64_FORMAT,
                                               variant);

          g_ptr_array_add (strings, variant_gid);
          line.variant_id = omni_store_find_variant_for_remote (store, channel->id, variant_gid);
        }
      if (member_int (item, "location_id", &location) && location > 0)
        {
          g_autofree char *location_gid = g_strdup_printf ("gid://shopify/Location/%"
                                                           G_GINT64_FORMAT, location);

          line.location_id = omni_store_channel_local_location (store, channel->id, location_gid);
        }
      if (!line.restock || line.variant_id == 0)
        skipped++;
      g_array_append_val (lines, line);
    }

  spec.channel_id = channel->id;
  spec.remote_id = gid;
  spec.order_remote_id = order_gid;
  spec.time_us = parse_time_us (member_string (refund, "created_at"));
  spec.lines = (const OmniRefundLineSpec *)(void *)lines->data;
  spec.n_lines = lines->len;
  spec.actor = channel->name;
  if (!omni_store_record_refund (store, &spec, &returned, error))
    return FALSE;

  out->state = "applied";
  out->message = g_strdup_printf ("Refund %s of order %s: %" G_GINT64_FORMAT " restocked units"
                                  " returned, %u lines not restocked or not linked", gid,
                                  order_gid, returned, skipped);
  return TRUE;
}

static gboolean
apply_level (OmniStore    *store,
             OmniChannel  *channel,
             JsonObject   *level,
             Outcome      *out,
             GError      **error)
{
  const char *level_gid = member_string (level, "admin_graphql_api_id");
  const char *item_param = level_gid ? strstr (level_gid, "inventory_item_id=") : NULL;
  g_autofree char *item_gid = NULL;
  g_autofree char *location_gid = NULL;
  OmniWebhookLevelResult result;
  gint64 item = 0, location = 0, available = 0, variant, local;
  gint64 updated_us = parse_time_us (member_string (level, "updated_at"));

  /* Ids above 2^53 must be exact: prefer the GID's digits. */
  if (item_param != NULL)
    {
      const char *digits = item_param + strlen ("inventory_item_id=");
      gsize n = strspn (digits, "0123456789");

      if (n > 0 && n < 20)
        item_gid = g_strdup_printf ("gid://shopify/InventoryItem/%.*s", (int)n, digits);
    }
  if (item_gid == NULL && member_int (level, "inventory_item_id", &item) && item > 0)
    item_gid = g_strdup_printf ("gid://shopify/InventoryItem/%" G_GINT64_FORMAT, item);
  if (member_int (level, "location_id", &location) && location > 0)
    location_gid = g_strdup_printf ("gid://shopify/Location/%" G_GINT64_FORMAT, location);

  out->state = "ignored";
  if (item_gid == NULL || location_gid == NULL || updated_us <= 0)
    {
      out->message = g_strdup ("The inventory level has no item, location or time");
      return TRUE;
    }
  if (!member_int (level, "available", &available))
    {
      out->message = g_strdup_printf ("No available quantity for %s", item_gid);
      return TRUE;
    }
  variant = omni_store_find_linked_variant (store, channel->id, item_gid);
  if (variant == 0)
    {
      out->message = g_strdup_printf ("%s is not linked to a local variant", item_gid);
      return TRUE;
    }
  local = omni_store_channel_local_location (store, channel->id, location_gid);
  if (local == 0)
    {
      out->message = g_strdup_printf ("%s is not mapped to a local location", location_gid);
      return TRUE;
    }

  if (!omni_store_apply_webhook_level (store, channel->id, variant, local, location_gid, available,
                                       updated_us, &result, error))
    return FALSE;

  switch (result)
    {
    case OMNI_WEBHOOK_LEVEL_STALE:
      out->message = g_strdup_printf ("Older than the quantity last seen for %s; left alone",
                                      item_gid);
      return TRUE;
    case OMNI_WEBHOOK_LEVEL_IN_SYNC:
      out->message = g_strdup_printf ("%s at %" G_GINT64_FORMAT ", as expected", item_gid,
                                      available);
      break;
    case OMNI_WEBHOOK_LEVEL_PUSH:
      out->message = g_strdup_printf ("%s at %" G_GINT64_FORMAT " on the channel; the local"
                                      " quantity will be pushed", item_gid, available);
      break;
    case OMNI_WEBHOOK_LEVEL_CONFLICT:
    default:
      out->status = "conflict";
      out->message = g_strdup_printf ("%s changed to %" G_GINT64_FORMAT " on the channel while a"
                                      " push was waiting: shown as a conflict", item_gid, available);
      break;
    }
  out->state = "applied";
  return TRUE;
}

static gboolean
apply_product (OmniStore    *store,
               OmniChannel  *channel,
               JsonObject   *product,
               Outcome      *out,
               GError      **error)
{
  g_autofree char *gid = object_gid (product, "Product");
  gint64 links;

  out->state = "ignored";
  if (gid == NULL)
    {
      out->message = g_strdup ("The product has no id");
      return TRUE;
    }
  links = omni_store_request_product_refresh (store, channel->id, gid, error);
  if (links < 0)
    return FALSE;
  if (links == 0)
    {
      out->message = g_strdup_printf ("%s has no linked variants", gid);
      return TRUE;
    }
  out->state = "applied";
  out->message = g_strdup_printf ("%s changed: its %" G_GINT64_FORMAT " linked variants are"
                                  " refreshed by the next pull", gid, links);
  return TRUE;
}

static void
apply_event (OmniStore        *store,
             OmniWebhookEvent *event)
{
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) finish_error = NULL;
  JsonNode *root = NULL;
  JsonObject *object = NULL;
  Outcome out = { "ok", "ignored", NULL };
  gint64 started = g_get_monotonic_time ();
  gboolean ok = TRUE;
  OmniSyncLogEntry entry = { 0 };

  channel = omni_store_get_channel (store, event->channel_id, NULL);
  if (event->body != NULL && json_parser_load_from_data (parser, event->body, -1, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (channel == NULL)
    out.message = g_strdup ("The channel of this delivery no longer exists");
  else if (object == NULL)
    {
      out.status = "error";
      out.state = "failed";
      out.message = g_strdup ("The body is not a JSON object");
    }
  else if (!omni_store_begin (store, &error))
    ok = FALSE;
  else
    {
      if (g_str_equal (event->topic, "orders/create") || g_str_equal (event->topic, "orders/updated") ||
          g_str_equal (event->topic, "orders/paid") || g_str_equal (event->topic, "orders/fulfilled") ||
          g_str_equal (event->topic, "orders/partially_fulfilled"))
        ok = apply_order (store, channel, object, FALSE, &out, &error);
      else if (g_str_equal (event->topic, "orders/cancelled"))
        ok = apply_order (store, channel, object, TRUE, &out, &error);
      else if (g_str_equal (event->topic, "refunds/create"))
        ok = apply_refund (store, channel, object, &out, &error);
      else if (g_str_equal (event->topic, "inventory_levels/update"))
        ok = apply_level (store, channel, object, &out, &error);
      else if (g_str_equal (event->topic, "products/update"))
        ok = apply_product (store, channel, object, &out, &error);
      else
        {
          g_message ("Webhook topic “%s” is not handled; delivery %s acknowledged and ignored",
                     event->topic, event->event_id);
          out.message = g_strdup_printf ("Topic %s is not handled", event->topic);
        }

      /* The change and the queue entry's new state commit together. */
      if (!ok || !omni_store_finish_webhook (store, event->id, out.state, out.message, &error) ||
          !omni_store_commit (store, &error))
        {
          omni_store_rollback (store);
          ok = FALSE;
        }
    }

  if (!ok)
    {
      out.status = "error";
      out.state = "failed";
      g_free (out.message);
      out.message = g_strdup_printf ("Could not apply %s: %s", event->topic,
                                     error ? error->message : "unknown error");
    }
  if ((!ok || channel == NULL || object == NULL) &&
      !omni_store_finish_webhook (store, event->id, out.state, out.message, &finish_error))
    g_warning ("Could not update webhook delivery %" G_GINT64_FORMAT ": %s", event->id,
               finish_error->message);

  entry.channel_id = channel != NULL ? channel->id : 0;
  entry.direction = "webhook";
  entry.operation = event->topic;
  entry.status = out.status;
  entry.duration_ms = (g_get_monotonic_time () - started) / 1000;
  entry.message = out.message;
  if (channel != NULL)
    omni_store_log_sync (store, &entry, NULL);
  g_free (out.message);
}

static gpointer
worker_main (gpointer data)
{
  OmniWebhookServer *self = data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = omni_store_open (self->db_path, &error);
  if (store == NULL)
    {
      g_warning ("The webhook worker could not open the database: %s", error->message);
      return NULL;
    }

  for (;;)
    {
      g_autoptr(OmniWebhookEvent) event = NULL;
      g_autoptr(GError) queue_error = NULL;
      gint64 duplicates, rejected;
      gboolean stopping;

      g_mutex_lock (&self->lock);
      duplicates = self->duplicates;
      rejected = self->rejected;
      self->duplicates = self->rejected = 0;
      self->wake = FALSE;
      stopping = self->stopping;
      g_mutex_unlock (&self->lock);

      if (!omni_store_add_webhook_counts (store, duplicates, rejected, &queue_error))
        {
          g_warning ("Could not count webhook deliveries: %s", queue_error->message);
          g_clear_error (&queue_error);
        }
      if (stopping)
        break;

      event = omni_store_next_webhook (store, &queue_error);
      if (event != NULL)
        {
          apply_event (store, event);
          continue;
        }
      if (queue_error != NULL)
        g_warning ("Could not read the webhook queue: %s", queue_error->message);

      g_mutex_lock (&self->lock);
      if (!self->wake && !self->stopping)
        {
          if (self->duplicates == 0 && self->rejected == 0)
            {
              self->idle = TRUE;
              g_cond_broadcast (&self->cond);
            }
          g_cond_wait_until (&self->cond, &self->lock, g_get_monotonic_time () + G_USEC_PER_SEC);
        }
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

/* Server thread ---------------------------------------------------------- */

static gpointer
server_main (gpointer data)
{
  OmniWebhookServer *self = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GSList *listeners;
  gboolean failed;

  g_main_context_push_thread_default (self->context);

  self->queue_store = omni_store_open (self->db_path, &error);
  if (self->queue_store != NULL)
    {
      server = soup_server_new ("server-header", "OmniStock ", NULL);
      soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
      soup_server_add_handler (server, NULL, handle_delivery, self, NULL);
      inet = g_inet_address_new_from_string (self->address);
      address = g_inet_socket_address_new (inet, self->port);
      if (soup_server_listen (server, address, 0, &error))
        {
          /* The port really bound (for port 0), read from the socket:
           * soup_server_get_uris() leaks an address in libsoup 3.2. */
          listeners = soup_server_get_listeners (server);
          if (listeners != NULL)
            {
              g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

              if (G_IS_INET_SOCKET_ADDRESS (local))
                self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
            }
          g_slist_free (listeners);
        }
    }

  /* Decided before unlocking: the starting thread takes start_error
   * away as soon as it sees started. */
  failed = error != NULL;
  g_mutex_lock (&self->lock);
  self->started = TRUE;
  if (error != NULL)
    self->start_error = g_steal_pointer (&error);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (!failed)
    g_main_loop_run (self->loop);

  if (server != NULL)
    soup_server_disconnect (server);
  g_clear_object (&server);
  /* Let the closed connections finish on this context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->queue_store);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Set-up ----------------------------------------------------------------- */

static char *
settings_client_id (const char *settings)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (settings == NULL || !json_parser_load_from_data (parser, settings, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (member_string (json_node_get_object (root), "client_id"));
}

static gboolean
load_targets (OmniWebhookServer  *self,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr(OmniStore) store = omni_store_open (self->db_path, error);
  g_autoptr(GPtrArray) channels = NULL;

  if (store == NULL)
    return FALSE;
  channels = omni_store_list_channels (store, error);
  if (channels == NULL)
    return FALSE;

  g_hash_table_remove_all (self->targets);
  for (guint i = 0; i < channels->len; i++)
    {
      OmniChannel *channel = channels->pdata[i];
      g_autoptr(GError) lookup_error = NULL;
      g_autofree char *client_id = NULL;
      Target *target;

      if (!g_str_equal (channel->platform, "shopify") ||
          (self->only_channel > 0 && channel->id != self->only_channel))
        continue;

      target = g_new0 (Target, 1);
      target->id = channel->id;
      target->account = g_ascii_strdown (channel->account, -1);
      target->secret = omni_secret_lookup (OMNI_WEBHOOK_SECRET_PLATFORM, channel->account,
                                           cancellable, &lookup_error);
      client_id = settings_client_id (channel->settings);
      /* No webhook entry (an authentication error): a Dev Dashboard app
       * signs with its client secret. */
      if (target->secret == NULL && client_id != NULL &&
          (lookup_error == NULL || g_error_matches (lookup_error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH)))
        {
          g_clear_error (&lookup_error);
          target->secret = omni_secret_lookup ("shopify", channel->account, cancellable,
                                             &lookup_error);
        }
      if (target->secret == NULL && g_error_matches (lookup_error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH))
        g_message ("The keyring holds no webhook signing secret for %s, so its deliveries are"
                   " refused; store one with “omnistock-cli webhook secret”", channel->name);
      else if (lookup_error != NULL)
        g_message ("No webhook signing secret for %s: %s", channel->name, lookup_error->message);
      g_hash_table_replace (self->targets, target->account, target);
    }

  if (g_hash_table_size (self->targets) == 0)
    {
      if (self->only_channel > 0)
        g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                     "Channel %" G_GINT64_FORMAT " is not a Shopify channel", self->only_channel);
      else
        g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                     "No Shopify channel is set up, so there is nothing to receive webhooks for;"
                     " add one with “channel add” first");
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_webhook_server_start:
 * @address: (nullable): an IP address to bind; %NULL is 127.0.0.1
 * @port: a TCP port, or 0 for any free one (see omni_webhook_server_get_port())
 *
 * Reads the Shopify channels and their signing secrets from the keyring
 * (blocking), listens, and starts applying queued deliveries, including any
 * left from an earlier run.
 */
gboolean
omni_webhook_server_start (OmniWebhookServer  *self,
                           const char         *address,
                           guint               port,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVER (self), FALSE);
  g_return_val_if_fail (self->server_thread == NULL, FALSE);

  if (address == NULL)
    address = OMNI_WEBHOOK_DEFAULT_BIND;
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address to listen on (for example 127.0.0.1)", address);
      return FALSE;
    }
  if (port > 65535)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Port %u is out of range (0 to 65535)", port);
      return FALSE;
    }
  if (!load_targets (self, cancellable, error))
    return FALSE;

  g_free (self->address);
  self->address = g_strdup (address);
  self->port = port;
  self->started = FALSE;
  self->stopping = FALSE;
  self->idle = FALSE;
  self->wake = TRUE;
  g_clear_error (&self->start_error);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->server_thread = g_thread_new ("omni-webhook-server", server_main, self);

  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->start_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&self->start_error),
                                  "Could not listen on %s port %u: ", address, port);
      g_thread_join (g_steal_pointer (&self->server_thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }

  self->worker_thread = g_thread_new ("omni-webhook-worker", worker_main, self);
  return TRUE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * omni_webhook_server_stop:
 *
 * Stops listening and waits for the delivery being applied; deliveries
 * still queued stay in the database for the next start.
 */
void
omni_webhook_server_stop (OmniWebhookServer *self)
{
  g_return_if_fail (OMNI_IS_WEBHOOK_SERVER (self));

  if (self->server_thread != NULL)
    {
      g_main_context_invoke (self->context, quit_loop, self->loop);
      g_thread_join (g_steal_pointer (&self->server_thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
    }
  if (self->worker_thread != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->worker_thread));
    }
}

/**
 * omni_webhook_server_wait_idle:
 *
 * Blocks until every stored delivery has been applied and the counters
 * written, or @timeout_ms passes.
 *
 * Returns: %TRUE when idle
 */
gboolean
omni_webhook_server_wait_idle (OmniWebhookServer *self,
                               guint              timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  gboolean idle;

  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVER (self), FALSE);

  g_mutex_lock (&self->lock);
  self->wake = TRUE;
  self->idle = FALSE;
  g_cond_broadcast (&self->cond);
  while (!self->idle && self->worker_thread != NULL)
    if (!g_cond_wait_until (&self->cond, &self->lock, end))
      break;
  idle = self->idle;
  g_mutex_unlock (&self->lock);
  return idle;
}

guint
omni_webhook_server_get_port (OmniWebhookServer *self)
{
  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVER (self), 0);
  return self->port;
}

/**
 * omni_webhook_server_get_url:
 *
 * Returns: (transfer full): the address Shopify (or the tunnel) posts to
 */
char *
omni_webhook_server_get_url (OmniWebhookServer *self)
{
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVER (self), NULL);
  inet = g_inet_address_new_from_string (self->address ? self->address : OMNI_WEBHOOK_DEFAULT_BIND);
  if (inet != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u%s", self->address, self->port, OMNI_WEBHOOK_SHOPIFY_PATH);
  return g_strdup_printf ("http://%s:%u%s", self->address ? self->address : OMNI_WEBHOOK_DEFAULT_BIND,
                          self->port, OMNI_WEBHOOK_SHOPIFY_PATH);
}

/**
 * omni_webhook_server_count_channels:
 * @with_secret: (out) (optional): how many of them have a signing secret
 *
 * Returns: the Shopify channels the receiver accepts deliveries for
 */
guint
omni_webhook_server_count_channels (OmniWebhookServer *self,
                                    guint             *with_secret)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVER (self), 0);
  g_hash_table_iter_init (&iter, self->targets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Target *)value)->secret != NULL)
      n++;
  if (with_secret)
    *with_secret = n;
  return g_hash_table_size (self->targets);
}

void
omni_webhook_server_set_channel (OmniWebhookServer *self,
                                 gint64             channel_id)
{
  g_return_if_fail (OMNI_IS_WEBHOOK_SERVER (self));
  self->only_channel = channel_id;
}

static void
omni_webhook_server_finalize (GObject *object)
{
  OmniWebhookServer *self = OMNI_WEBHOOK_SERVER (object);

  omni_webhook_server_stop (self);
  g_hash_table_unref (self->targets);
  g_clear_error (&self->start_error);
  g_free (self->db_path);
  g_free (self->address);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (omni_webhook_server_parent_class)->finalize (object);
}

static void
omni_webhook_server_class_init (OmniWebhookServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_webhook_server_finalize;
}

static void
omni_webhook_server_init (OmniWebhookServer *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->targets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)target_free);
}

/**
 * omni_webhook_server_new:
 * @db_path: the database the receiver queues into and applies to
 */
OmniWebhookServer *
omni_webhook_server_new (const char *db_path)
{
  OmniWebhookServer *self;

  g_return_val_if_fail (db_path != NULL, NULL);
  self = g_object_new (OMNI_TYPE_WEBHOOK_SERVER, NULL);
  self->db_path = g_strdup (db_path);
  return self;
}

/* Without HTTP (omni-webhook-server-private.h) ------------------------- */

void
_omni_webhook_server_add_target (OmniWebhookServer *self,
                                 gint64             channel_id,
                                 const char        *account,
                                 const char        *secret)
{
  Target *target = g_new0 (Target, 1);

  target->id = channel_id;
  target->account = g_ascii_strdown (account, -1);
  target->secret = secret != NULL ? g_strdup (secret) : NULL;
  target->secret_is_copy = TRUE;
  g_hash_table_replace (self->targets, target->account, target);
}

guint
_omni_webhook_server_receive (OmniWebhookServer *self,
                              OmniStore         *queue_store,
                              const char        *path,
                              const char        *shop,
                              const char        *hmac,
                              const char        *topic,
                              const char        *event_id,
                              const char        *webhook_id,
                              const guint8      *body,
                              gsize              length)
{
  const char *why = NULL;

  return receive_delivery (self, queue_store, path, shop, hmac, topic, event_id, webhook_id,
                           body, length, &why);
}

/* Applies every queued delivery, as the worker thread does; returns how many. */
guint
_omni_webhook_server_apply_queued (OmniStore *store)
{
  guint applied = 0;
  gint64 last = 0;

  for (;;)
    {
      g_autoptr(OmniWebhookEvent) event = omni_store_next_webhook (store, NULL);

      /* One that could not even be marked failed would come back forever. */
      if (event == NULL || event->id == last)
        return applied;
      last = event->id;
      apply_event (store, event);
      applied++;
    }
}
