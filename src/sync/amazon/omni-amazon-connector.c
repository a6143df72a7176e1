/* omni-amazon-connector.c: the Amazon Selling Partner API connector
 *
 * A pull or push runs on a worker thread (GTask) with its own database
 * connection and HTTP session, synchronously, so the main loop never waits.
 *
 * Authentication: the keyring holds one JSON secret per seller, {client_id,
 * client_secret, refresh_token}. Login with Amazon exchanges it for an
 * access token that lasts an hour; the token lives only in this object's
 * memory, is renewed a minute before it expires, and once more when the
 * API refuses it (401/403). Neither the token nor the secret ever reaches
 * the sync log or an error: every message is scrubbed of them.
 *
 * Rate limits: every operation has its own token bucket (OmniRateLimit)
 * with the documented rate and burst, shared by the pulls and pushes of the
 * channel. A request waits for its token; a 429 empties the bucket and backs
 * off; the x-amzn-RateLimit-Limit header, when present, sets the bucket's
 * rate to what Amazon applied.
 *
 * Pull: listings (searchListingsItems) link local variants by SKU; orders
 * since the cursor (getOrders, getOrderItems) become `sold` movements once
 * per order, cancellations are reversed; FBA inventory summaries set the
 * levels of the read-only local location "Amazon FBA" to what is
 * fulfillable there (movements with source channel:ID, never pushed).
 *
 * Push: merchant-fulfilled quantities, one patchListingsItem `merge` of
 * fulfillment_availability per outbox entry (lead time and restock date are
 * kept). Setting a quantity is idempotent, so a crash between the request
 * and its acknowledgement is healed by sending the same entry again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "omni-amazon.h"
#include "omni-amazon-private.h"
#include "omni-http.h"
#include "omni-json.h"
#include "omni-money.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"

#define LWA_URL               "https://api.amazon.com/auth/o2/token"
#define LISTINGS_PATH         "/listings/2021-08-01/items/"
#define DEFAULT_PAGE_SIZE     20
#define DEFAULT_LEASE_S       300
#define DEFAULT_MARGIN_S      60
#define MAX_BODY              (16 * 1024 * 1024)
#define MAX_THROTTLED_RETRIES 8
#define MAX_PAGES             10000
#define PUSH_BATCH            50
#define PUSH_ROUNDS           20

static const OmniAmazonRegion regions[] = {
  { "na", "https://sellingpartnerapi-na.amazon.com", "North America" },
  { "eu", "https://sellingpartnerapi-eu.amazon.com", "Europe, Middle East and India" },
  { "fe", "https://sellingpartnerapi-fe.amazon.com", "Far East" },
};

static const OmniAmazonMarketplace marketplaces[] = {
  { "ATVPDKIKX0DER", "na", "United States" },
  { "A2EUQ1WTGCTBG2", "na", "Canada" },
  { "A1AM78C64UM0Y8", "na", "Mexico" },
  { "A2Q3Y263D00KWC", "na", "Brazil" },
  { "A1F83G8C2ARO7P", "eu", "United Kingdom" },
  { "A1PA6795UKMFR9", "eu", "Germany" },
  { "A13V1IB3VIYZZH", "eu", "France" },
  { "APJ6JRA9NG5V4", "eu", "Italy" },
  { "A1RKKUPIHCS9HS", "eu", "Spain" },
  { "A1805IZSGTT6HS", "eu", "Netherlands" },
  { "AMEN7PMS3EDWL", "eu", "Belgium" },
  { "A2NODRKZP88ZB9", "eu", "Sweden" },
  { "A1C3SOZRARQ6R3", "eu", "Poland" },
  { "A33AVAJ2PDY3EV", "eu", "Turkey" },
  { "A2VIGQ35RCS4UG", "eu", "United Arab Emirates" },
  { "A17E79C6D8DWNP", "eu", "Saudi Arabia" },
  { "ARBP9OOSHTCHU", "eu", "Egypt" },
  { "A21TJRUUN4KGV", "eu", "India" },
  { "A1VC38T7YXB528", "fe", "Japan" },
  { "A39IBJ37TRP1C6", "fe", "Australia" },
  { "A19VAU5U5O7RUS", "fe", "Singapore" },
};

struct _OmniAmazonConnector
{
  GObject        parent_instance;

  char          *db_path;
  gint64         channel_id;
  guint          max_attempts;
  guint          base_ms;
  guint          lease_s;
  guint          page_size;
  guint          timeout_s;
  gint64         margin_us;
  OmniRateLimit *limits;

  GMutex         lock;
  OmniSyncStats  stats;
  char          *token;             /* memory only */
  gint64         token_expires_us;
  OmniAmazonCredentials *credentials; /* read from the keyring once */
  GHashTable    *product_types;     /* SKU → productType, from the last pull */

  OmniAmazonTransport transport;    /* tests: answers instead of the network */
  gpointer       transport_data;
  char          *transport_credentials;
};

static void omni_amazon_connector_iface_init (OmniConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmniAmazonConnector, omni_amazon_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OMNI_TYPE_CONNECTOR,
                                                      omni_amazon_connector_iface_init))

/* One pull or push, on one thread. */
typedef struct
{
  OmniAmazonConnector   *self;             /* NULL for a connection test */
  OmniStore             *store;
  OmniChannel           *channel;
  GCancellable          *cancellable;
  SoupSession           *session;
  OmniRateLimit         *limits;
  OmniAmazonCredentials *credentials;
  char                  *sp_url;
  char                  *lwa_url;
  char                  *seller;
  char                  *marketplace;
  char                  *token;
  gint64                 token_expires_us;
  gint64                 margin_us;
  guint                  max_attempts;
  guint                  base_ms;
  gint64                 fba_location;
  gboolean               first_remote;
  const char            *direction;
  const char            *operation;
  OmniSyncStats          stats;
} Run;

/* Helpers --------------------------------------------------------------- */

static void
scrub (char       *text,
       const char *secret)
{
  char *hit;
  gsize len;

  if (text == NULL || secret == NULL || *secret == '\0')
    return;
  len = strlen (secret);
  while ((hit = strstr (text, secret)) != NULL)
    memset (hit, '*', len);
}

static void
scrub_all (Run  *run,
           char *text)
{
  scrub (text, run->token);
  if (run->credentials != NULL)
    {
      scrub (text, run->credentials->client_secret);
      scrub (text, run->credentials->refresh_token);
    }
}

static void
redact_error (Run    *run,
              GError *error)
{
  if (error != NULL)
    scrub_all (run, error->message);
}

static void
wipe (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
  g_free (text);
}

static void
log_sync (Run         *run,
          const char  *status,
          guint        http_status,
          gint64       duration_ms,
          const char  *message)
{
  g_autofree char *clean = g_strdup (message);
  OmniSyncLogEntry entry = {
    .channel_id = run->channel ? run->channel->id : 0,
    .direction = run->direction, .operation = run->operation, .status = status,
    .http_status = (int)http_status, .duration_ms = duration_ms, .message = clean,
  };

  scrub_all (run, clean);
  if (run->store != NULL && entry.channel_id > 0)
    omni_store_log_sync (run->store, &entry, NULL);
}

static JsonObject *
root_object (OmniHttpResponse *response)
{
  if (response == NULL || response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  return json_node_get_object (response->json);
}

/* The first message of an SP-API error answer ({"errors":[{code, message}]}). */
static char *
remote_message (Run              *run,
                OmniHttpResponse *response)
{
  JsonArray *errors = omni_json_array (root_object (response), "errors");
  JsonObject *first = errors && json_array_get_length (errors) > 0
                      ? json_array_get_object_element (errors, 0) : NULL;
  const char *message = omni_json_string (first, "message");
  const char *code = omni_json_string (first, "code");
  char *text;

  if (message == NULL)
    return g_strdup_printf ("HTTP %u", response->status);
  text = code ? g_strdup_printf ("%s (%s)", message, code) : g_strdup (message);
  if (strlen (text) > 500)
    text[500] = '\0';
  scrub_all (run, text);
  return text;
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

static char *
format_time (gint64 unix_s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_s);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static gint64
backoff_ms (Run   *run,
            guint  attempt)
{
  gint64 ceiling = (gint64)run->base_ms << MIN (attempt > 0 ? attempt - 1 : 0, 16);

  ceiling = MIN (ceiling, 60 * 1000);
  return ceiling / 2 + g_random_int_range (0, (gint32)MAX (ceiling / 2, 1));
}

/* The next page's token; a token that repeats the last one would loop. */
static gboolean
next_token (char       **page,
            const char  *next,
            const char  *operation,
            GError     **error)
{
  if (next != NULL && *next != '\0' && g_strcmp0 (next, *page) == 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Amazon answered %s with the same page again", operation);
      return FALSE;
    }
  g_free (*page);
  *page = next && *next ? g_strdup (next) : NULL;
  return TRUE;
}

/* Regions, marketplaces, rate limits ------------------------------------ */

const OmniAmazonRegion *
omni_amazon_find_region (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    if (g_strcmp0 (regions[i].code, code) == 0)
      return &regions[i];
  return NULL;
}

const OmniAmazonMarketplace *
omni_amazon_marketplaces (guint *n_marketplaces)
{
  *n_marketplaces = G_N_ELEMENTS (marketplaces);
  return marketplaces;
}

const OmniAmazonMarketplace *
omni_amazon_find_marketplace (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (marketplaces); i++)
    if (g_strcmp0 (marketplaces[i].id, id) == 0)
      return &marketplaces[i];
  return NULL;
}

/**
 * omni_amazon_define_rate_limits:
 *
 * The default usage plans of the operations the connector calls, as the
 * Selling Partner API reference documents them (requests per second, burst).
 */
void
omni_amazon_define_rate_limits (OmniRateLimit *limits)
{
  omni_rate_limit_define (limits, "token", 1, 5);
  omni_rate_limit_define (limits, "getInventorySummaries", 2, 2);
  omni_rate_limit_define (limits, "searchListingsItems", 5, 5);
  omni_rate_limit_define (limits, "getListingsItem", 5, 5);
  omni_rate_limit_define (limits, "patchListingsItem", 5, 5);
  omni_rate_limit_define (limits, "getOrders", 0.0167, 20);
  omni_rate_limit_define (limits, "getOrderItems", 0.5, 30);
  omni_rate_limit_set_margin (limits, 25);
}

/* Credentials ------------------------------------------------------------ */

void
omni_amazon_credentials_free (OmniAmazonCredentials *credentials)
{
  if (credentials == NULL)
    return;
  wipe (credentials->client_id);
  wipe (credentials->client_secret);
  wipe (credentials->refresh_token);
  g_free (credentials);
}

static gboolean
check_field (const char  *value,
             const char  *what,
             GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "The Amazon credentials lack the %s", what);
      return FALSE;
    }
  if (strlen (value) > 2048)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "The %s in the Amazon credentials is too long", what);
      return FALSE;
    }
  for (const char *p = value; *p; p++)
    if ((guchar)*p < 0x21 || (guchar)*p > 0x7e)
      {
        g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                     "The %s in the Amazon credentials holds a space or a character "
                     "that cannot be part of it", what);
        return FALSE;
      }
  return TRUE;
}

/**
 * omni_amazon_credentials_parse:
 * @json: {"client_id": …, "client_secret": …, "refresh_token": …}
 *
 * Returns: (transfer full): the credentials, or %NULL with @error set (the
 *   message never repeats a secret)
 */
OmniAmazonCredentials *
omni_amazon_credentials_parse (const char  *json,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(OmniAmazonCredentials) credentials = g_new0 (OmniAmazonCredentials, 1);
  JsonObject *object = NULL;

  if (json != NULL && strlen (json) <= 8192 &&
      json_parser_load_from_data (parser, json, -1, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  if (object == NULL)
    {
      g_set_error_literal (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                           "The Amazon credentials must be a JSON object with client_id, "
                           "client_secret and refresh_token");
      return NULL;
    }
  if (!check_field (omni_json_string (object, "client_id"), "client_id", error) ||
      !check_field (omni_json_string (object, "client_secret"), "client_secret", error) ||
      !check_field (omni_json_string (object, "refresh_token"), "refresh_token", error))
    return NULL;
  credentials->client_id = g_strdup (omni_json_string (object, "client_id"));
  credentials->client_secret = g_strdup (omni_json_string (object, "client_secret"));
  credentials->refresh_token = g_strdup (omni_json_string (object, "refresh_token"));
  return g_steal_pointer (&credentials);
}

char *
omni_amazon_credentials_to_json (const OmniAmazonCredentials *credentials)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, credentials->client_id);
  json_builder_set_member_name (builder, "client_secret");
  json_builder_add_string_value (builder, credentials->client_secret);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, credentials->refresh_token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static OmniAmazonCredentials *
credentials_copy (const OmniAmazonCredentials *credentials)
{
  OmniAmazonCredentials *copy = g_new0 (OmniAmazonCredentials, 1);

  copy->client_id = g_strdup (credentials->client_id);
  copy->client_secret = g_strdup (credentials->client_secret);
  copy->refresh_token = g_strdup (credentials->refresh_token);
  return copy;
}

/* HTTP ------------------------------------------------------------------- */

static GBytes *
read_bounded (GInputStream  *stream,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[16384];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buffer->len + (gsize)n > MAX_BODY)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "Amazon's answer is larger than the %d bytes allowed; it was not read",
                       MAX_BODY);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint)n);
    }
  g_input_stream_close (stream, NULL, NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* One attempt. Returns the answer (any status) or %NULL on a transport
 * failure; @rate gets the x-amzn-RateLimit-Limit header's rate (0: none). */
static OmniHttpResponse *
send_once (Run            *run,
           const char     *method,
           const char     *url,
           const char     *token,
           const char     *content_type,
           GBytes         *body,
           double         *rate,
           GError        **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(OmniHttpResponse) response = NULL;
  SoupMessageHeaders *headers;
  const char *type;
  gsize size = 0;
  const char *text;

  *rate = 0;
  if (run->self != NULL && run->self->transport != NULL)
    return run->self->transport (method, url, body ? content_type : NULL, body,
                                 run->self->transport_data, error);
  if (msg == NULL)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "“%s” is not a valid address", url);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token != NULL)
    soup_message_headers_replace (headers, "x-amz-access-token", token);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  stream = soup_session_send (run->session, msg, run->cancellable, error);
  if (stream == NULL)
    return NULL;
  response = g_new0 (OmniHttpResponse, 1);
  response->body = read_bounded (stream, run->cancellable, error);
  if (response->body == NULL)
    return NULL;
  response->status = soup_message_get_status (msg);
  response->attempts = 1;
  *rate = omni_rate_limit_parse_header (
    soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                  "x-amzn-RateLimit-Limit"));

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  text = g_bytes_get_data (response->body, &size);
  if (size > 0 && (type == NULL || g_str_has_suffix (type, "json")))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, text, (gssize)size, NULL))
        response->json = json_node_ref (json_parser_get_root (parser));
    }
  return g_steal_pointer (&response);
}

static void
set_channel_state (Run        *run,
                   const char *state,
                   GError     *error)
{
  if (run->store != NULL && run->channel != NULL)
    omni_store_set_channel_state (run->store, run->channel->id, state, error->message, NULL);
}

static void
forget_token (Run *run)
{
  wipe (run->token);
  run->token = NULL;
  run->token_expires_us = 0;
  if (run->self != NULL)
    {
      g_mutex_lock (&run->self->lock);
      wipe (run->self->token);
      run->self->token = NULL;
      run->self->token_expires_us = 0;
      g_mutex_unlock (&run->self->lock);
    }
}

/* Login with Amazon: the refresh token becomes an access token for an hour. */
static gboolean
exchange_token (Run     *run,
                GError **error)
{
  const char *saved_direction = run->direction, *saved_operation = run->operation;
  guint failures = 0;

  run->direction = "auth";
  run->operation = "token";
  for (;;)
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) body = NULL;
      gint64 started = g_get_monotonic_time ();
      gint64 expires_in = 3600;
      const char *token, *code;
      JsonObject *object;
      double rate;
      char *form;

      if (!omni_rate_limit_acquire (run->limits, "token", run->cancellable,
                                    &run->stats.throttle_wait_ms, error))
        break;
      form = soup_form_encode ("grant_type", "refresh_token",
                               "refresh_token", run->credentials->refresh_token,
                               "client_id", run->credentials->client_id,
                               "client_secret", run->credentials->client_secret, NULL);
      body = g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify)wipe, form);
      response = send_once (run, "POST", run->lwa_url, NULL,
                            "application/x-www-form-urlencoded;charset=UTF-8", body, &rate,
                            &local_error);
      run->stats.requests++;
      run->stats.token_exchanges++;

      if (response == NULL || response->status >= 500 || response->status == 429)
        {
          g_autofree char *note = NULL;
          gint64 wait;

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              break;
            }
          if (++failures >= run->max_attempts)
            {
              if (local_error != NULL)
                {
                  redact_error (run, local_error);
                  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NETWORK,
                               "Could not reach Login with Amazon: %s", local_error->message);
                }
              else
                g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                             "Login with Amazon kept failing (HTTP %u); it will be retried later",
                             response->status);
              log_sync (run, "error", response ? response->status : 0,
                        (g_get_monotonic_time () - started) / 1000, (*error)->message);
              break;
            }
          wait = backoff_ms (run, failures);
          note = g_strdup_printf ("Login with Amazon: attempt %u failed (%s); retrying in %"
                                  G_GINT64_FORMAT " ms", failures,
                                  local_error ? local_error->message : "server error", wait);
          log_sync (run, "retry", response ? response->status : 0,
                    (g_get_monotonic_time () - started) / 1000, note);
          if (!omni_http_sleep (wait, run->cancellable, error))
            break;
          continue;
        }

      object = root_object (response);
      token = omni_json_string (object, "access_token");
      if (response->status != 200 || token == NULL || *token == '\0' || strlen (token) > 8192)
        {
          code = omni_json_string (object, "error");
          if (run->self != NULL)
            {
              g_mutex_lock (&run->self->lock);
              g_clear_pointer (&run->self->credentials, omni_amazon_credentials_free);
              g_mutex_unlock (&run->self->lock);
            }
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                       "Login with Amazon refused the credentials (HTTP %u%s%s). Authorize "
                       "the app again in Seller Central, then re-authenticate the channel",
                       response->status, code ? ", " : "",
                       code && strlen (code) < 64 ? code : "");
          log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000,
                    (*error)->message);
          break;
        }

      forget_token (run);
      run->token = g_strdup (token);
      omni_json_int (object, "expires_in", &expires_in);
      expires_in = CLAMP (expires_in, 1, 24 * 3600);
      run->token_expires_us = g_get_real_time () + expires_in * G_USEC_PER_SEC;
      if (run->self != NULL)
        {
          g_mutex_lock (&run->self->lock);
          run->self->token = g_strdup (run->token);
          run->self->token_expires_us = run->token_expires_us;
          g_mutex_unlock (&run->self->lock);
        }
      log_sync (run, "ok", response->status, (g_get_monotonic_time () - started) / 1000,
                "Access token obtained from Login with Amazon");
      run->direction = saved_direction;
      run->operation = saved_operation;
      return TRUE;
    }
  run->direction = saved_direction;
  run->operation = saved_operation;
  return FALSE;
}

static gboolean
ensure_token (Run     *run,
              GError **error)
{
  if (run->token != NULL && g_get_real_time () < run->token_expires_us - run->margin_us)
    return TRUE;
  return exchange_token (run, error);
}

/**
 * sp_call:
 * @operation: the SP-API operation, whose rate limit applies
 * @path: the path and query, after the endpoint
 * @body: (nullable): a JSON request body
 *
 * Sends one SP-API request: waits for the operation's token, retries 429
 * (after the bucket refills and a backoff), 5xx and transport failures,
 * renews the access token once on 401/403.
 *
 * Returns: (transfer full): any other answer, for the caller to read; or
 *   %NULL with @error set
 */
static OmniHttpResponse *
sp_call (Run         *run,
         const char  *operation,
         const char  *method,
         const char  *path,
         JsonNode    *body,
         GError     **error)
{
  g_autofree char *url = g_strconcat (run->sp_url, path, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gboolean refreshed = FALSE;
  guint failures = 0, throttles = 0;

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, NULL);
      bytes = g_bytes_new_take (text, strlen (text));
    }

  for (;;)
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 started;
      double rate = 0;

      if (!ensure_token (run, error))
        {
          if (g_error_matches (*error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH))
            set_channel_state (run, "auth_failed", *error);
          return NULL;
        }
      run->operation = operation;
      if (!omni_rate_limit_acquire (run->limits, operation, run->cancellable,
                                    &run->stats.throttle_wait_ms, error))
        return NULL;

      started = g_get_monotonic_time ();
      response = send_once (run, method, url, run->token, "application/json", bytes, &rate,
                            &local_error);
      run->stats.requests++;
      if (rate > 0)
        omni_rate_limit_set_rate (run->limits, operation, rate);

      if (response == NULL)
        {
          g_autofree char *note = NULL;
          gint64 wait;

          redact_error (run, local_error);
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              local_error->domain == OMNI_SYNC_ERROR)
            {
              if (local_error->domain == OMNI_SYNC_ERROR)
                log_sync (run, "error", 0, (g_get_monotonic_time () - started) / 1000,
                          local_error->message);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (++failures >= run->max_attempts)
            {
              g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NETWORK,
                           "Could not reach Amazon for %s after %u attempts: %s", operation,
                           failures, local_error->message);
              log_sync (run, "error", 0, (g_get_monotonic_time () - started) / 1000,
                        (*error)->message);
              return NULL;
            }
          wait = backoff_ms (run, failures);
          note = g_strdup_printf ("Attempt %u failed (%s); retrying in %" G_GINT64_FORMAT " ms",
                                  failures, local_error->message, wait);
          log_sync (run, "retry", 0, (g_get_monotonic_time () - started) / 1000, note);
          if (!omni_http_sleep (wait, run->cancellable, error))
            return NULL;
          continue;
        }

      if (response->status == 429)
        {
          g_autofree char *note = NULL;
          gint64 wait;

          run->stats.throttled++;
          omni_rate_limit_throttled (run->limits, operation, 0);
          if (++throttles > MAX_THROTTLED_RETRIES)
            {
              g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_THROTTLED,
                           "Amazon kept throttling %s (HTTP 429) after %u tries; it will be "
                           "retried later", operation, throttles);
              log_sync (run, "error", 429, (g_get_monotonic_time () - started) / 1000,
                        (*error)->message);
              return NULL;
            }
          wait = backoff_ms (run, throttles);
          note = g_strdup_printf ("Throttled (HTTP 429) at %.4g requests per second; waiting %"
                                  G_GINT64_FORMAT " ms and for the next token",
                                  omni_rate_limit_get_rate (run->limits, operation), wait);
          log_sync (run, "retry", 429, (g_get_monotonic_time () - started) / 1000, note);
          run->stats.throttle_wait_ms += wait;
          if (!omni_http_sleep (wait, run->cancellable, error))
            return NULL;
          continue;
        }

      if (response->status >= 500)
        {
          g_autofree char *note = NULL;
          gint64 wait;

          if (++failures >= run->max_attempts)
            {
              g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                           "Amazon kept failing %s (HTTP %u) after %u attempts; it will be "
                           "retried later", operation, response->status, failures);
              log_sync (run, "error", response->status,
                        (g_get_monotonic_time () - started) / 1000, (*error)->message);
              return NULL;
            }
          wait = backoff_ms (run, failures);
          note = g_strdup_printf ("Attempt %u answered HTTP %u; retrying in %" G_GINT64_FORMAT
                                  " ms", failures, response->status, wait);
          log_sync (run, "retry", response->status, (g_get_monotonic_time () - started) / 1000,
                    note);
          if (!omni_http_sleep (wait, run->cancellable, error))
            return NULL;
          continue;
        }

      if (response->status == 401 || response->status == 403)
        {
          g_autofree char *message = remote_message (run, response);

          log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000,
                    message);
          if (!refreshed)
            {
              /* Expired or revoked early: a new access token, once. */
              refreshed = TRUE;
              forget_token (run);
              continue;
            }
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                       "Amazon refused the access token for %s (HTTP %u: %s). The channel is "
                       "stopped until you re-authenticate", operation, response->status, message);
          set_channel_state (run, "auth_failed", *error);
          return NULL;
        }

      log_sync (run, response->status < 300 ? "ok" : "error", response->status,
                (g_get_monotonic_time () - started) / 1000, NULL);
      return g_steal_pointer (&response);
    }
}

/* An answer that is not 200 with a JSON object is an error for a read. */
static JsonObject *
expect_object (Run               *run,
               OmniHttpResponse  *response,
               const char        *operation,
               GError           **error)
{
  JsonObject *root = root_object (response);

  if (response->status != 200 || root == NULL)
    {
      g_autofree char *message = remote_message (run, response);

      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Amazon refused %s: %s", operation, message);
      return NULL;
    }
  return root;
}

/* Opening a run ---------------------------------------------------------- */

static void
run_clear (Run *run)
{
  g_clear_object (&run->store);
  g_clear_object (&run->session);
  g_clear_pointer (&run->channel, omni_channel_free);
  g_clear_pointer (&run->credentials, omni_amazon_credentials_free);
  g_clear_pointer (&run->sp_url, g_free);
  g_clear_pointer (&run->lwa_url, g_free);
  g_clear_pointer (&run->seller, g_free);
  g_clear_pointer (&run->marketplace, g_free);
  wipe (run->token);
  run->token = NULL;
}

static void
run_init_http (Run         *run,
               const char  *region,
               const char  *api_url,
               guint        timeout_s)
{
  const OmniAmazonRegion *r = omni_amazon_find_region (region);

  if (api_url != NULL && *api_url != '\0')
    {
      g_autofree char *base = g_strdup (api_url);

      while (g_str_has_suffix (base, "/"))
        base[strlen (base) - 1] = '\0';
      run->sp_url = g_strdup (base);
      run->lwa_url = g_strconcat (base, "/auth/o2/token", NULL);
    }
  else
    {
      run->sp_url = g_strdup (r ? r->endpoint : regions[0].endpoint);
      run->lwa_url = g_strdup (LWA_URL);
    }
  run->session = soup_session_new_with_options ("timeout", timeout_s, "idle-timeout", 60,
                                                "user-agent",
                                                "OmniStock/" PACKAGE_VERSION " (Language=C)",
                                                NULL);
}

static gboolean
run_open (Run                  *run,
          OmniAmazonConnector  *self,
          GCancellable         *cancellable,
          GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  char *secret;
  JsonObject *settings = NULL;
  const char *fba_name;

  run->self = self;
  run->cancellable = cancellable;
  run->limits = self->limits;
  run->max_attempts = self->max_attempts;
  run->base_ms = self->base_ms;
  run->margin_us = self->margin_us;
  run->store = omni_store_open (self->db_path, error);
  if (run->store == NULL)
    return FALSE;
  run->channel = omni_store_get_channel (run->store, self->channel_id, error);
  if (run->channel == NULL)
    return FALSE;
  if (g_strcmp0 (run->channel->platform, "amazon") != 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "Channel %s is not an Amazon channel", run->channel->name);
      return FALSE;
    }
  if (g_strcmp0 (run->channel->state, "auth_failed") == 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                   "Channel %s is stopped because Amazon refused its credentials; "
                   "re-authenticate it first", run->channel->name);
      return FALSE;
    }
  if (g_strcmp0 (run->channel->state, "paused") == 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "Channel %s is paused", run->channel->name);
      return FALSE;
    }

  if (json_parser_load_from_data (parser, run->channel->settings, -1, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    settings = json_node_get_object (json_parser_get_root (parser));
  run->marketplace = g_strdup (omni_json_string (settings, "marketplace_id"));
  if (run->marketplace == NULL)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "Channel %s has no Amazon marketplace; connect it again", run->channel->name);
      return FALSE;
    }
  run->seller = g_strdup (run->channel->account);
  run->first_remote = g_strcmp0 (omni_json_string (settings, "first_sync"), "local") != 0;
  fba_name = omni_json_string (settings, "fba_location");
  if (fba_name == NULL)
    fba_name = OMNI_AMAZON_FBA_LOCATION;

  /* The keyring is read once per connector; a refused credential is
   * forgotten, so the next run reads what the merchant stored since. */
  g_mutex_lock (&self->lock);
  if (self->credentials != NULL)
    run->credentials = credentials_copy (self->credentials);
  g_mutex_unlock (&self->lock);
  if (run->credentials == NULL && self->transport != NULL)
    {
      run->credentials = omni_amazon_credentials_parse (self->transport_credentials, error);
      if (run->credentials == NULL)
        return FALSE;
    }
  if (run->credentials == NULL)
    {
      g_autoptr(GError) lookup_error = NULL;

      secret = omni_secret_lookup ("amazon", run->channel->account, cancellable, &lookup_error);
      if (secret == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&lookup_error));
          return FALSE;
        }
      run->credentials = omni_amazon_credentials_parse (secret, error);
      omni_secret_free (secret);
      if (run->credentials == NULL)
        return FALSE;
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->credentials, omni_amazon_credentials_free);
      self->credentials = credentials_copy (run->credentials);
      g_mutex_unlock (&self->lock);
    }

  run->fba_location = omni_store_find_location (run->store, fba_name, NULL);
  if (run->fba_location == 0)
    {
      run->fba_location = omni_store_add_location (run->store, fba_name, FALSE, error);
      if (run->fba_location == 0)
        return FALSE;
    }

  g_mutex_lock (&self->lock);
  run->token = g_strdup (self->token);
  run->token_expires_us = self->token_expires_us;
  g_mutex_unlock (&self->lock);

  run_init_http (run, omni_json_string (settings, "region"), run->channel->api_url, self->timeout_s);
  return TRUE;
}

static void
run_finish (Run     *run,
            GError  *error)
{
  OmniAmazonConnector *self = run->self;

  if (run->store != NULL && run->channel != NULL)
    {
      if (error == NULL)
        omni_store_mark_channel_synced (run->store, run->channel->id, NULL);
      else if (!g_error_matches (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH) &&
               !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_channel_state (run, "error", error);
    }

  g_mutex_lock (&self->lock);
  self->stats = run->stats;
  g_mutex_unlock (&self->lock);
}

static char *
source_of (Run *run)
{
  return g_strdup_printf ("channel:%" G_GINT64_FORMAT, run->channel->id);
}

/* Pull: listings --------------------------------------------------------- */

static const char *
summary_product_type (Run        *run,
                      JsonObject *item)
{
  JsonArray *summaries = omni_json_array (item, "summaries");
  const char *any = NULL;

  for (guint i = 0; summaries != NULL && i < json_array_get_length (summaries); i++)
    {
      JsonObject *summary = json_array_get_object_element (summaries, i);
      const char *type = omni_json_string (summary, "productType");

      if (type == NULL)
        continue;
      if (g_strcmp0 (omni_json_string (summary, "marketplaceId"), run->marketplace) == 0)
        return type;
      any = any ? any : type;
    }
  return any;
}

static void
remember_product_type (Run        *run,
                       const char *sku,
                       const char *type)
{
  if (run->self == NULL || sku == NULL || type == NULL)
    return;
  g_mutex_lock (&run->self->lock);
  g_hash_table_replace (run->self->product_types, g_strdup (sku), g_strdup (type));
  g_mutex_unlock (&run->self->lock);
}

/* The merchant-fulfilled quantity of a listing; FALSE when it has none
 * (fulfilled by Amazon only). */
static gboolean
mfn_quantity (JsonObject *item,
              gint64     *quantity)
{
  JsonArray *availability = omni_json_array (item, "fulfillmentAvailability");

  for (guint i = 0; availability != NULL && i < json_array_get_length (availability); i++)
    {
      JsonObject *entry = json_array_get_object_element (availability, i);

      if (g_strcmp0 (omni_json_string (entry, "fulfillmentChannelCode"), "DEFAULT") == 0)
        {
          *quantity = 0;
          omni_json_int (entry, "quantity", quantity);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
apply_listing (Run         *run,
               JsonObject  *item,
               GError     **error)
{
  const char *sku = omni_json_string (item, "sku");
  const char *type = summary_product_type (run, item);
  const char *by = "manual";
  gint64 variant, quantity = 0, local_location, local_available;
  gboolean known, merchant;

  if (sku == NULL || *sku == '\0')
    return TRUE;
  run->stats.variants++;
  remember_product_type (run, sku, type);
  merchant = mfn_quantity (item, &quantity);

  variant = omni_store_find_variant_for_remote (run->store, run->channel->id, sku);
  known = variant > 0;
  if (!known)
    variant = omni_store_match_variant (run->store, sku, NULL, &by);
  if (variant == 0)
    {
      /* Listed for the merchant to link, import or ignore, with the ids a
       * link needs (the product type, for pushes, as remote product). */
      OmniRemoteVariantSpec remote = {
        .channel_id = run->channel->id, .remote_variant_id = sku, .remote_product_id = type,
        .remote_inventory_id = merchant ? sku : NULL, .sku = sku, .price = -1,
      };
      JsonArray *summaries = omni_json_array (item, "summaries");
      JsonArray *offers = omni_json_array (item, "offers");
      g_autoptr(GError) record_error = NULL;

      for (guint i = 0; summaries != NULL && i < json_array_get_length (summaries); i++)
        {
          JsonObject *summary = json_array_get_object_element (summaries, i);

          if (remote.product_title == NULL ||
              g_strcmp0 (omni_json_string (summary, "marketplaceId"), run->marketplace) == 0)
            remote.product_title = omni_json_string (summary, "itemName");
        }
      for (guint i = 0; offers != NULL && i < json_array_get_length (offers); i++)
        {
          JsonObject *offer = json_array_get_object_element (offers, i);
          JsonObject *price = omni_json_object (offer, "price");
          OmniMoney amount;

          if (g_strcmp0 (omni_json_string (offer, "marketplaceId"), run->marketplace) == 0 &&
              omni_money_parse (omni_json_string (price, "amount"),
                                omni_json_string (price, "currencyCode"), &amount, NULL))
            {
              remote.price = amount;
              remote.currency = omni_json_string (price, "currencyCode");
            }
        }

      run->stats.unmatched++;
      if (!omni_store_record_remote_variant (run->store, &remote, &record_error))
        {
          g_autofree char *note = g_strdup_printf ("Listing %s was not listed as unmatched: %s",
                                                   sku, record_error->message);
          log_sync (run, "error", 0, 0, note);
        }
      return TRUE;
    }

  {
    /* Only merchant-fulfilled listings get pushes (remote_inventory_id set);
     * an FBA-only listing is linked for its orders and FBA level. */
    OmniChannelLinkSpec link = {
      .channel_id = run->channel->id, .variant_id = variant,
      .remote_product_id = type, .remote_variant_id = sku,
      .remote_inventory_id = merchant ? sku : NULL, .remote_sku = sku,
      .linked_by = by,       /* kept from the first link when known */
    };
    g_autoptr(GError) link_error = NULL;

    if (!omni_store_link_variant (run->store, &link, &link_error))
      {
        g_autofree char *note = g_strdup_printf ("Listing %s was not linked: %s",
                                                 sku, link_error->message);
        run->stats.unmatched++;
        log_sync (run, "error", 0, 0, note);
        return TRUE;
      }
  }
  if (!known)
    run->stats.linked++;
  if (!merchant)
    return TRUE;

  run->stats.levels++;
  if (!omni_store_set_remote_level (run->store, run->channel->id, variant, OMNI_AMAZON_MFN,
                                    quantity, error))
    return FALSE;
  local_location = omni_store_channel_local_location (run->store, run->channel->id,
                                                      OMNI_AMAZON_MFN);
  if (local_location == 0)
    return TRUE;
  local_available = omni_store_get_available_at (run->store, variant, local_location);

  if (!known && run->first_remote)
    {
      /* First link, Amazon's quantity wins: one `sync` movement brings the
       * local stock to it. Not echoed back (source channel:ID). */
      g_autofree char *source = source_of (run);
      g_autofree char *op_id = g_strdup_printf ("sync:%" G_GINT64_FORMAT ":%s:MFN:first",
                                                run->channel->id, sku);
      OmniMovementSpec m = {
        .variant_id = variant, .location_id = local_location,
        .on_hand_delta = quantity - local_available, .reason = OMNI_REASON_SYNC,
        .source = source, .reference = run->channel->name,
        .note = "First sync: merchant-fulfilled quantity taken from Amazon", .op_id = op_id,
      };

      if (m.on_hand_delta != 0)
        return omni_store_record_movements (run->store, &m, 1, error);
      return TRUE;
    }

  /* The store is the truth for what the merchant ships. */
  if (quantity != MAX (local_available, 0))
    return omni_store_enqueue_push (run->store, run->channel->id, variant, local_location,
                                    error) > 0;
  return TRUE;
}

static gboolean
pull_listings (Run     *run,
               GError **error)
{
  g_autofree char *seller = escape (run->seller);
  g_autofree char *marketplace = escape (run->marketplace);
  g_autofree char *page = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autofree char *path = NULL;
      g_autofree char *token = page ? escape (page) : NULL;
      JsonObject *root;
      JsonArray *items;

      path = g_strdup_printf (LISTINGS_PATH "%s?marketplaceIds=%s"
                              "&includedData=summaries,fulfillmentAvailability&pageSize=%u%s%s",
                              seller, marketplace, run->self->page_size,
                              token ? "&pageToken=" : "", token ? token : "");
      response = sp_call (run, "searchListingsItems", "GET", path, NULL, error);
      if (response == NULL)
        return FALSE;
      root = expect_object (run, response, "searchListingsItems", error);
      if (root == NULL)
        return FALSE;
      items = omni_json_array (root, "items");

      if (!omni_store_begin (run->store, error))
        return FALSE;
      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        if (!apply_listing (run, json_array_get_object_element (items, i), error))
          {
            omni_store_rollback (run->store);
            return FALSE;
          }
      if (!omni_store_commit (run->store, error))
        return FALSE;

      if (!next_token (&page, omni_json_string (omni_json_object (root, "pagination"), "nextToken"),
                       "searchListingsItems", error))
        return FALSE;
    }
  while (page != NULL && ++pages < MAX_PAGES);
  return TRUE;
}

/* Pull: FBA inventory ---------------------------------------------------- */

static gboolean
apply_fba (Run         *run,
           JsonObject  *summary,
           GError     **error)
{
  const char *sku = omni_json_string (summary, "sellerSku");
  gint64 fulfillable = 0, variant, local;

  if (sku == NULL || !omni_json_int (omni_json_object (summary, "inventoryDetails"),
                               "fulfillableQuantity", &fulfillable))
    return TRUE;
  variant = omni_store_find_variant_for_remote (run->store, run->channel->id, sku);
  if (variant == 0)
    return TRUE;
  run->stats.levels++;
  fulfillable = MAX (fulfillable, 0);
  if (!omni_store_set_remote_level (run->store, run->channel->id, variant, "FBA",
                                    fulfillable, error))
    return FALSE;

  local = omni_store_get_available_at (run->store, variant, run->fba_location);
  if (local != fulfillable)
    {
      g_autofree char *source = source_of (run);
      OmniMovementSpec m = {
        .variant_id = variant, .location_id = run->fba_location,
        .on_hand_delta = fulfillable - local, .reason = OMNI_REASON_SYNC,
        .source = source, .reference = run->channel->name,
        .note = "Fulfillable at Amazon's fulfilment centres",
      };

      return omni_store_record_movements (run->store, &m, 1, error);
    }
  return TRUE;
}

static gboolean
pull_fba (Run     *run,
          GError **error)
{
  g_autofree char *marketplace = escape (run->marketplace);
  g_autofree char *page = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autofree char *path = NULL;
      g_autofree char *token = page ? escape (page) : NULL;
      JsonObject *root;
      JsonArray *summaries;

      path = g_strdup_printf ("/fba/inventory/v1/summaries?details=true"
                              "&granularityType=Marketplace&granularityId=%s"
                              "&marketplaceIds=%s%s%s", marketplace, marketplace,
                              token ? "&nextToken=" : "", token ? token : "");
      response = sp_call (run, "getInventorySummaries", "GET", path, NULL, error);
      if (response == NULL)
        return FALSE;
      root = expect_object (run, response, "getInventorySummaries", error);
      if (root == NULL)
        return FALSE;
      summaries = omni_json_array (omni_json_object (root, "payload"), "inventorySummaries");

      if (!omni_store_begin (run->store, error))
        return FALSE;
      for (guint i = 0; summaries != NULL && i < json_array_get_length (summaries); i++)
        if (!apply_fba (run, json_array_get_object_element (summaries, i), error))
          {
            omni_store_rollback (run->store);
            return FALSE;
          }
      if (!omni_store_commit (run->store, error))
        return FALSE;

      if (!next_token (&page, omni_json_string (omni_json_object (root, "pagination"), "nextToken"),
                       "getInventorySummaries", error))
        return FALSE;
    }
  while (page != NULL && ++pages < MAX_PAGES);
  return TRUE;
}

/* Pull: orders ----------------------------------------------------------- */

static gboolean
fetch_order_lines (Run         *run,
                   const char  *order_id,
                   const char  *currency,
                   GArray      *lines,
                   GPtrArray   *strings,
                   GError     **error)
{
  g_autofree char *id = escape (order_id);
  g_autofree char *page = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autofree char *path = NULL;
      g_autofree char *token = page ? escape (page) : NULL;
      JsonObject *root, *payload;
      JsonArray *items;

      path = g_strdup_printf ("/orders/v0/orders/%s/orderItems%s%s", id,
                              token ? "?NextToken=" : "", token ? token : "");
      response = sp_call (run, "getOrderItems", "GET", path, NULL, error);
      if (response == NULL)
        return FALSE;
      root = expect_object (run, response, "getOrderItems", error);
      if (root == NULL)
        return FALSE;
      payload = omni_json_object (root, "payload");
      items = omni_json_array (payload, "OrderItems");
      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          JsonObject *price = omni_json_object (item, "ItemPrice");
          OmniOrderLineSpec line = { 0 };
          char *sku = g_strdup (omni_json_string (item, "SellerSKU"));
          char *title = g_strdup (omni_json_string (item, "Title"));
          OmniMoney total = 0;

          g_ptr_array_add (strings, sku);
          g_ptr_array_add (strings, title);
          if (!omni_json_int (item, "QuantityOrdered", &line.quantity) || line.quantity <= 0)
            continue;
          if (title != NULL && strlen (title) > 200)
            title[200] = '\0';
          line.sku = sku;
          line.title = title;
          line.variant_id = sku ? omni_store_find_variant_for_remote (run->store,
                                                                      run->channel->id, sku)
                                : 0;
          /* ItemPrice is the line's total: the unit price times the quantity. */
          if (omni_json_string (price, "Amount") != NULL &&
              omni_money_parse (omni_json_string (price, "Amount"),
                                currency ? currency : omni_json_string (price, "CurrencyCode"),
                                &total, NULL) && total > 0)
            line.price = total / line.quantity;
          g_array_append_val (lines, line);
        }
      if (!next_token (&page, omni_json_string (payload, "NextToken"), "getOrderItems", error))
        return FALSE;
    }
  while (page != NULL && ++pages < 100);
  return TRUE;
}

static gboolean
record_order (Run         *run,
              JsonObject  *order,
              const char  *cursor,
              char       **seen,
              gint64       mfn_location,
              GError     **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (OmniOrderLineSpec));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  const char *id = omni_json_string (order, "AmazonOrderId");
  const char *status = omni_json_string (order, "OrderStatus");
  const char *updated = omni_json_string (order, "LastUpdateDate");
  const char *currency = omni_json_string (omni_json_object (order, "OrderTotal"), "CurrencyCode");
  OmniOrderSpec spec = { 0 };

  if (id == NULL || status == NULL || strlen (id) > 64)
    return TRUE;

  if (g_strcmp0 (status, "Canceled") == 0)
    {
      gboolean reversed = FALSE;

      if (!omni_store_cancel_channel_order (run->store, run->channel->id, id, &reversed, error))
        return FALSE;
      if (reversed)
        run->stats.cancelled++;
      return TRUE;
    }
  /* Pending orders are not paid yet and come back when they change;
   * unfulfillable and pre-orders never leave our stock. */
  if (g_strcmp0 (status, "Unshipped") != 0 && g_strcmp0 (status, "PartiallyShipped") != 0 &&
      g_strcmp0 (status, "Shipped") != 0 && g_strcmp0 (status, "InvoiceUnconfirmed") != 0)
    return TRUE;
  /* Seen by an earlier pull: recorded then (exactly once anyway, but its
   * items need not be read again). */
  if (cursor != NULL && updated != NULL &&
      (parse_time_us (updated) < parse_time_us (cursor) ||
       (parse_time_us (updated) == parse_time_us (cursor) && seen != NULL &&
        g_strv_contains ((const char * const *)seen, id))))
    return TRUE;

  if (!fetch_order_lines (run, id, currency, lines, strings, error))
    return FALSE;
  if (lines->len == 0)
    return TRUE;

  spec.channel_id = run->channel->id;
  spec.remote_id = id;
  spec.name = id;
  spec.currency = currency;
  spec.placed_us = parse_time_us (omni_json_string (order, "PurchaseDate"));
  /* Amazon ships its own stock from the FBA location; the merchant ships
   * from the location mapped to merchant-fulfilled quantities. */
  spec.location_id = g_strcmp0 (omni_json_string (order, "FulfillmentChannel"), "AFN") == 0
                     ? run->fba_location : mfn_location;
  spec.lines = (const OmniOrderLineSpec *)(void *)lines->data;
  spec.n_lines = lines->len;
  spec.actor = run->channel->name;
  if (omni_store_record_order (run->store, &spec, error) == 0)
    return FALSE;
  run->stats.orders++;
  return TRUE;
}

static gboolean
pull_orders (Run     *run,
             GError **error)
{
  g_autofree char *cursor = omni_store_get_sync_cursor (run->store, run->channel->id, "orders");
  g_autofree char *marketplace = escape (run->marketplace);
  g_autofree char *after = NULL;
  g_autofree char *page = NULL;
  g_autofree char *newest = NULL;
  g_autofree char *seen_text = omni_store_get_sync_cursor (run->store, run->channel->id,
                                                           "orders-seen");
  g_auto(GStrv) seen = seen_text ? g_strsplit (seen_text, " ", -1) : NULL;
  g_autoptr(GPtrArray) newest_ids = g_ptr_array_new_with_free_func (g_free);
  gint64 mfn_location = omni_store_channel_order_location (run->store, run->channel->id);
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
  guint pages = 0;

  if (cursor == NULL)
    {
      /* First sync: past orders are already in Amazon's quantities; only
       * orders from now on become sold movements here. */
      g_autofree char *stamp = format_time (now_s);

      return omni_store_set_sync_cursor (run->store, run->channel->id, "orders", stamp, error);
    }

  /* Amazon wants LastUpdatedAfter at least two minutes in the past; what
   * was seen already is skipped (and recorded once anyway). */
  after = parse_time_us (cursor) / G_USEC_PER_SEC > now_s - 120
          ? format_time (now_s - 120) : g_strdup (cursor);
  do
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autofree char *path = NULL;
      g_autofree char *when = escape (after);
      g_autofree char *token = page ? escape (page) : NULL;
      JsonObject *root, *payload;
      JsonArray *orders;

      if (token != NULL)
        path = g_strdup_printf ("/orders/v0/orders?MarketplaceIds=%s&NextToken=%s",
                                marketplace, token);
      else
        path = g_strdup_printf ("/orders/v0/orders?MarketplaceIds=%s&LastUpdatedAfter=%s",
                                marketplace, when);
      response = sp_call (run, "getOrders", "GET", path, NULL, error);
      if (response == NULL)
        return FALSE;
      root = expect_object (run, response, "getOrders", error);
      if (root == NULL)
        return FALSE;
      payload = omni_json_object (root, "payload");
      orders = omni_json_array (payload, "Orders");
      for (guint i = 0; orders != NULL && i < json_array_get_length (orders); i++)
        {
          JsonObject *order = json_array_get_object_element (orders, i);
          const char *updated = omni_json_string (order, "LastUpdateDate");

          if (!record_order (run, order, cursor, seen, mfn_location, error))
            return FALSE;
          if (updated == NULL || omni_json_string (order, "AmazonOrderId") == NULL)
            continue;
          if (parse_time_us (updated) > parse_time_us (newest))
            {
              g_free (newest);
              newest = g_strdup (updated);
              g_ptr_array_set_size (newest_ids, 0);
            }
          if (parse_time_us (updated) == parse_time_us (newest) && newest_ids->len < 100)
            g_ptr_array_add (newest_ids, g_strdup (omni_json_string (order, "AmazonOrderId")));
        }
      if (!next_token (&page, omni_json_string (payload, "NextToken"), "getOrders", error))
        return FALSE;
    }
  while (page != NULL && ++pages < MAX_PAGES);

  /* The cursor is the newest update seen, with the orders updated at that
   * very second (Amazon's resolution), so the next pull knows which of
   * them it has already read. */
  if (newest != NULL && parse_time_us (newest) >= parse_time_us (cursor))
    {
      g_autofree char *ids = NULL;

      g_ptr_array_add (newest_ids, NULL);
      ids = g_strjoinv (" ", (char **)newest_ids->pdata);
      if (!omni_store_set_sync_cursor (run->store, run->channel->id, "orders", newest, error) ||
          !omni_store_set_sync_cursor (run->store, run->channel->id, "orders-seen", ids, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * omni_amazon_connector_pull:
 *
 * Pulls listings (linking them by SKU), orders since the cursor (as sold
 * movements, exactly once) and FBA inventory, on the calling thread.
 * Blocks: call it from a worker, or use omni_connector_pull_async().
 */
gboolean
omni_amazon_connector_pull (OmniAmazonConnector  *self,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };

  g_return_val_if_fail (OMNI_IS_AMAZON_CONNECTOR (self), FALSE);

  run.direction = "pull";
  if (run_open (&run, self, cancellable, &local_error) &&
      pull_listings (&run, &local_error) &&
      pull_orders (&run, &local_error) &&
      pull_fba (&run, &local_error))
    {
      g_autofree char *summary = g_strdup_printf ("Pulled %" G_GINT64_FORMAT " listings (%"
                                                  G_GINT64_FORMAT " newly linked, %" G_GINT64_FORMAT
                                                  " unmatched), %" G_GINT64_FORMAT " levels, %"
                                                  G_GINT64_FORMAT " orders, %" G_GINT64_FORMAT
                                                  " cancelled",
                                                  run.stats.variants, run.stats.linked,
                                                  run.stats.unmatched, run.stats.levels,
                                                  run.stats.orders, run.stats.cancelled);
      run.operation = "summary";
      log_sync (&run, "ok", 0, 0, summary);
    }

  redact_error (&run, local_error);
  if (run.self != NULL)
    run_finish (&run, local_error);
  run_clear (&run);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Push ------------------------------------------------------------------- */

static char *
lookup_product_type (Run         *run,
                     const char  *sku,
                     GError     **error)
{
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autofree char *seller = escape (run->seller);
  g_autofree char *item = escape (sku);
  g_autofree char *marketplace = escape (run->marketplace);
  g_autofree char *path = NULL;
  JsonObject *root;
  char *type = NULL;

  g_mutex_lock (&run->self->lock);
  type = g_strdup (g_hash_table_lookup (run->self->product_types, sku));
  g_mutex_unlock (&run->self->lock);
  if (type != NULL)
    return type;

  path = g_strdup_printf (LISTINGS_PATH "%s/%s?marketplaceIds=%s&includedData=summaries",
                          seller, item, marketplace);
  response = sp_call (run, "getListingsItem", "GET", path, NULL, error);
  if (response == NULL)
    return NULL;
  root = expect_object (run, response, "getListingsItem", error);
  if (root == NULL)
    return NULL;
  type = g_strdup (summary_product_type (run, root));
  if (type == NULL)
    g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                 "Amazon did not say the product type of %s", sku);
  else
    remember_product_type (run, sku, type);
  return type;
}

static JsonNode *
patch_body (const char *product_type,
            gint64      quantity)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "productType");
  json_builder_add_string_value (builder, product_type);
  json_builder_set_member_name (builder, "patches");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, "merge");
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, "/attributes/fulfillment_availability");
  json_builder_set_member_name (builder, "value");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fulfillment_channel_code");
  json_builder_add_string_value (builder, "DEFAULT");
  json_builder_set_member_name (builder, "quantity");
  json_builder_add_int_value (builder, quantity);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
fail_entry (Run              *run,
            OmniOutboxEntry  *entry,
            const char       *note,
            gboolean          permanent,
            GError          **error)
{
  run->stats.failed++;
  run->operation = "patchListingsItem";
  log_sync (run, "error", 0, 0, note);
  return omni_store_fail_outbox (run->store, entry->id, note, permanent, 0, error);
}

/* Sends one claimed entry. Returns FALSE only for errors that stop the run
 * (authentication, cancellation, the network, throttling): the entry is then
 * failed for a later retry, or — when cancelled mid-request — left
 * "sending" until its lease runs out, exactly as a crash would leave it. */
static gboolean
push_entry (Run              *run,
            OmniOutboxEntry  *entry,
            GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *type = NULL;
  g_autofree char *seller = escape (run->seller);
  g_autofree char *marketplace = escape (run->marketplace);
  g_autofree char *item = NULL;
  g_autofree char *path = NULL;
  JsonObject *payload = NULL, *root;
  const char *sku, *status;
  gint64 quantity = -1;

  if (json_parser_load_from_data (parser, entry->payload, -1, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    payload = json_node_get_object (json_parser_get_root (parser));
  sku = omni_json_string (payload, "inventory_item_id");
  if (sku == NULL || !omni_json_int (payload, "quantity", &quantity) || quantity < 0)
    return fail_entry (run, entry, "The entry has no usable request", TRUE, error);

  type = lookup_product_type (run, sku, &local_error);
  if (type == NULL)
    {
      if (local_error->domain == OMNI_SYNC_ERROR &&
          local_error->code == OMNI_SYNC_ERROR_REMOTE)
        {
          g_autofree char *note = g_strdup_printf ("Amazon has no listing %s to update: %s",
                                                   sku, local_error->message);
          return fail_entry (run, entry, note, TRUE, error);
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        omni_store_fail_outbox (run->store, entry->id, local_error->message, FALSE, 0, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  item = escape (sku);
  path = g_strdup_printf (LISTINGS_PATH "%s/%s?marketplaceIds=%s&issueLocale=en_US",
                          seller, item, marketplace);
  body = patch_body (type, quantity);
  response = sp_call (run, "patchListingsItem", "PATCH", path, body, &local_error);
  if (response == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          run->stats.failed++;
          omni_store_fail_outbox (run->store, entry->id, local_error->message, FALSE, 0, NULL);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  root = root_object (response);
  status = omni_json_string (root, "status");
  if (response->status == 200 && g_strcmp0 (status, "ACCEPTED") == 0)
    {
      run->stats.pushed++;
      return omni_store_ack_outbox (run->store, entry->id, error);
    }

  if (response->status == 200 && g_strcmp0 (status, "INVALID") == 0)
    {
      JsonArray *issues = omni_json_array (root, "issues");
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *note = NULL;

      for (guint i = 0; issues != NULL && i < json_array_get_length (issues) && i < 3; i++)
        {
          JsonObject *issue = json_array_get_object_element (issues, i);
          const char *message = omni_json_string (issue, "message");
          const char *code = omni_json_string (issue, "code");

          if (message == NULL || g_strcmp0 (omni_json_string (issue, "severity"), "ERROR") != 0)
            continue;
          if (text->len > 0)
            g_string_append (text, "; ");
          g_string_append_printf (text, "%.300s", message);
          if (code != NULL)
            g_string_append_printf (text, " (%.32s)", code);
        }
      note = g_strdup_printf ("Amazon refused the quantity of %s: %s", sku,
                              text->len > 0 ? text->str : "the listing is invalid");
      return fail_entry (run, entry, note, TRUE, error);
    }

  {
    g_autofree char *message = remote_message (run, response);
    g_autofree char *note = g_strdup_printf ("Amazon refused the quantity of %s: %s", sku,
                                             response->status == 200
                                             ? "an answer without a status" : message);

    /* 400 and 404 say the request itself is wrong: retrying sends it again. */
    return fail_entry (run, entry, note, response->status >= 400 && response->status < 500,
                       error);
  }
}

/**
 * omni_amazon_connector_push:
 *
 * Sends the channel's due outbox entries, each exactly once, on the calling
 * thread. Blocks: call it from a worker, or use omni_connector_push_async().
 */
gboolean
omni_amazon_connector_push (OmniAmazonConnector  *self,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };

  g_return_val_if_fail (OMNI_IS_AMAZON_CONNECTOR (self), FALSE);

  run.direction = "push";
  if (run_open (&run, self, cancellable, &local_error))
    {
      for (guint round = 0; round < PUSH_ROUNDS && local_error == NULL; round++)
        {
          g_autoptr(GPtrArray) entries = NULL;

          entries = omni_store_claim_outbox (run.store, run.channel->id, PUSH_BATCH, 0,
                                             (gint64)self->lease_s * G_USEC_PER_SEC, &local_error);
          if (entries == NULL || entries->len == 0)
            break;
          for (guint i = 0; i < entries->len && local_error == NULL; i++)
            push_entry (&run, entries->pdata[i], &local_error);

          /* What this round could not reach stays claimed until its lease
           * ends; put it back now so the next run retries it. */
          if (local_error != NULL &&
              !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            for (guint i = 0; i < entries->len; i++)
              {
                OmniOutboxEntry *e = entries->pdata[i];
                g_autoptr(OmniOutboxEntry) now = omni_store_get_outbox_entry (run.store, e->id, NULL);

                if (now != NULL && g_strcmp0 (now->state, "sending") == 0)
                  omni_store_fail_outbox (run.store, e->id, local_error->message, FALSE, 0, NULL);
              }
        }
    }

  redact_error (&run, local_error);
  if (run.self != NULL)
    run_finish (&run, local_error);
  run_clear (&run);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Connection test and channel creation ---------------------------------- */

/**
 * omni_amazon_check_connection:
 * @region: "na", "eu" or "fe"
 * @api_url: (nullable): base URL replacing the region's endpoint and Login
 *   with Amazon (tests, sandboxes)
 *
 * Tests credentials before they are stored: exchanges the refresh token for
 * an access token, then reads one listing of the seller in the marketplace.
 * Blocks.
 */
gboolean
omni_amazon_check_connection (const char                   *region,
                              const char                   *api_url,
                              const char                   *seller_id,
                              const char                   *marketplace_id,
                              const OmniAmazonCredentials  *credentials,
                              GCancellable                 *cancellable,
                              GError                      **error)
{
  g_autoptr(OmniRateLimit) limits = omni_rate_limit_new ();
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *seller = escape (seller_id);
  g_autofree char *marketplace = escape (marketplace_id);
  g_autofree char *path = NULL;
  Run run = { 0 };

  omni_amazon_define_rate_limits (limits);
  run.cancellable = cancellable;
  run.limits = limits;
  run.max_attempts = 3;
  run.base_ms = 500;
  run.margin_us = DEFAULT_MARGIN_S * G_USEC_PER_SEC;
  run.direction = "auth";
  run.credentials = credentials_copy (credentials);
  run.seller = g_strdup (seller_id);
  run.marketplace = g_strdup (marketplace_id);
  run_init_http (&run, region, api_url, 30);

  path = g_strdup_printf (LISTINGS_PATH "%s?marketplaceIds=%s&pageSize=1", seller, marketplace);
  response = sp_call (&run, "searchListingsItems", "GET", path, NULL, &local_error);
  if (response != NULL)
    expect_object (&run, response, "searchListingsItems", &local_error);

  redact_error (&run, local_error);
  run_clear (&run);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_id (const char  *value,
          const char  *what,
          GError     **error)
{
  gboolean ok = value != NULL && *value != '\0' && strlen (value) <= 64;

  for (const char *p = value; ok && *p; p++)
    ok = g_ascii_isalnum (*p) || *p == '-' || *p == '_';
  if (!ok)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                 "“%s” is not an Amazon %s: it holds letters and digits only",
                 value ? value : "", what);
  return ok;
}

/**
 * omni_amazon_add_channel:
 * @name: (nullable): what to call it; %NULL: "Amazon SELLER"
 * @seller_id: the merchant token (seller id) shown in Seller Central
 * @region: "na", "eu" or "fe"
 * @marketplace_id: the marketplace to sync, in @region
 * @location_id: the local location whose stock is the merchant-fulfilled
 *   quantity, or 0 for the default location
 * @api_url: (nullable): base URL override
 *
 * Keeps @credentials in the keyring (one JSON secret) and adds the channel
 * with its region and marketplace in the settings, or neither.
 *
 * Returns: the channel id, or 0 with @error set
 */
gint64
omni_amazon_add_channel (OmniStore                    *store,
                         const char                   *name,
                         const char                   *seller_id,
                         const char                   *region,
                         const char                   *marketplace_id,
                         gint64                        location_id,
                         const char                   *api_url,
                         const OmniAmazonCredentials  *credentials,
                         GError                      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *label = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *default_name = NULL;
  const OmniAmazonMarketplace *marketplace;
  gint64 id;

  if (!check_id (seller_id, "seller id", error) ||
      !check_id (marketplace_id, "marketplace id", error))
    return 0;
  if (omni_amazon_find_region (region) == NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is not an Amazon region: use na, eu or fe", region ? region : "");
      return 0;
    }
  marketplace = omni_amazon_find_marketplace (marketplace_id);
  if (marketplace != NULL && g_strcmp0 (marketplace->region, region) != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The %s marketplace is in the %s region, not %s",
                   marketplace->country, marketplace->region, region);
      return 0;
    }
  if (location_id == 0)
    location_id = omni_store_get_default_location (store, NULL);
  if (location_id == 0)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                           "There is no location to sell from; add one first");
      return 0;
    }
  if (name == NULL)
    name = default_name = g_strdup_printf ("Amazon %s", seller_id);
  if (omni_store_find_channel (store, seller_id, NULL) > 0 ||
      omni_store_find_channel (store, name, NULL) > 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "A channel for %s already exists; remove it first to connect again", name);
      return 0;
    }

  secret = omni_amazon_credentials_to_json (credentials);
  label = g_strdup_printf ("OmniStock: Amazon seller %s", seller_id);
  if (!omni_secret_store ("amazon", seller_id, label, secret, NULL, error))
    {
      wipe (g_steal_pointer (&secret));
      return 0;
    }
  wipe (g_steal_pointer (&secret));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, region);
  json_builder_set_member_name (builder, "marketplace_id");
  json_builder_add_string_value (builder, marketplace_id);
  json_builder_set_member_name (builder, "fba_location");
  json_builder_add_string_value (builder, OMNI_AMAZON_FBA_LOCATION);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  settings = json_generator_to_data (generator, NULL);

  id = omni_store_add_channel (store, "amazon", name, seller_id, api_url, error);
  if (id == 0 ||
      !omni_store_set_channel_settings (store, id, settings, error) ||
      !omni_store_upsert_channel_location (store, id, OMNI_AMAZON_MFN,
                                           "Merchant fulfilled", TRUE, TRUE, error) ||
      !omni_store_map_channel_location (store, id, OMNI_AMAZON_MFN, location_id, error))
    {
      if (id > 0)
        omni_store_remove_channel (store, id, NULL);
      omni_secret_clear ("amazon", seller_id, NULL, NULL);
      return 0;
    }
  return id;
}

/* GObject and the connector interface ----------------------------------- */

static void
omni_amazon_connector_finalize (GObject *object)
{
  OmniAmazonConnector *self = (OmniAmazonConnector *)object;

  g_free (self->db_path);
  wipe (self->token);
  g_clear_pointer (&self->credentials, omni_amazon_credentials_free);
  wipe (self->transport_credentials);
  g_hash_table_unref (self->product_types);
  omni_rate_limit_free (self->limits);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (omni_amazon_connector_parent_class)->finalize (object);
}

static void
omni_amazon_connector_class_init (OmniAmazonConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_amazon_connector_finalize;
}

static void
omni_amazon_connector_init (OmniAmazonConnector *self)
{
  g_mutex_init (&self->lock);
  self->max_attempts = 5;
  self->base_ms = 500;
  self->lease_s = DEFAULT_LEASE_S;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->timeout_s = 30;
  self->margin_us = (gint64)DEFAULT_MARGIN_S * G_USEC_PER_SEC;
  self->limits = omni_rate_limit_new ();
  omni_amazon_define_rate_limits (self->limits);
  self->product_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * omni_amazon_connector_new:
 * @db_path: the database; each run opens its own connection to it
 * @channel_id: an Amazon channel in that database
 */
OmniAmazonConnector *
omni_amazon_connector_new (const char *db_path,
                           gint64      channel_id)
{
  OmniAmazonConnector *self = g_object_new (OMNI_TYPE_AMAZON_CONNECTOR, NULL);

  self->db_path = g_strdup (db_path);
  self->channel_id = channel_id;
  return self;
}

void
omni_amazon_connector_set_retry (OmniAmazonConnector *self,
                                 guint                max_attempts,
                                 guint                base_ms)
{
  self->max_attempts = MAX (max_attempts, 1);
  self->base_ms = MAX (base_ms, 1);
}

/**
 * omni_amazon_connector_set_lease:
 *
 * How long a sent-but-unacknowledged push waits before it is presumed lost
 * in a crash and sent again.
 */
void
omni_amazon_connector_set_lease (OmniAmazonConnector *self,
                                 guint                seconds)
{
  self->lease_s = seconds;
}

/* Listings per searchListingsItems page: Amazon serves at most 20. */
void
omni_amazon_connector_set_page_size (OmniAmazonConnector *self,
                                     guint                page_size)
{
  self->page_size = CLAMP (page_size, 1, 20);
}

/* How long before its expiry an access token is renewed. */
void
omni_amazon_connector_set_token_margin (OmniAmazonConnector *self,
                                        guint                seconds)
{
  self->margin_us = (gint64)seconds * G_USEC_PER_SEC;
}

/**
 * omni_amazon_connector_get_rate_limit:
 *
 * Returns: (transfer none): the channel's buckets, one per operation
 */
OmniRateLimit *
omni_amazon_connector_get_rate_limit (OmniAmazonConnector *self)
{
  return self->limits;
}

void
omni_amazon_connector_get_stats (OmniAmazonConnector *self,
                                 OmniSyncStats       *stats)
{
  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

static const char *
connector_get_platform (OmniConnector *connector)
{
  return "amazon";
}

static gboolean
connector_pull (OmniConnector  *connector,
                GCancellable   *cancellable,
                GError        **error)
{
  return omni_amazon_connector_pull (OMNI_AMAZON_CONNECTOR (connector), cancellable, error);
}

static gboolean
connector_push (OmniConnector  *connector,
                GCancellable   *cancellable,
                GError        **error)
{
  return omni_amazon_connector_push (OMNI_AMAZON_CONNECTOR (connector), cancellable, error);
}

static void
connector_get_stats (OmniConnector *connector,
                     OmniSyncStats *stats)
{
  omni_amazon_connector_get_stats (OMNI_AMAZON_CONNECTOR (connector), stats);
}

static void
omni_amazon_connector_iface_init (OmniConnectorInterface *iface)
{
  iface->get_platform = connector_get_platform;
  iface->pull = connector_pull;
  iface->push = connector_push;
  iface->get_stats = connector_get_stats;
}

/* For tests: see omni-amazon-private.h. */
void
_omni_amazon_connector_set_transport (OmniAmazonConnector *self,
                                      OmniAmazonTransport  transport,
                                      gpointer             user_data,
                                      const char          *credentials_json)
{
  g_return_if_fail (OMNI_IS_AMAZON_CONNECTOR (self));
  g_return_if_fail (transport == NULL || credentials_json != NULL);

  self->transport = transport;
  self->transport_data = user_data;
  wipe (self->transport_credentials);
  self->transport_credentials = g_strdup (credentials_json);
}
