/* omni-shopify-connector.c: the Shopify Admin GraphQL connector
 *
 * A pull or push runs on a worker thread (GTask) with its own database
 * connection and HTTP session, synchronously, so the main loop never waits.
 * Every request is paced by Shopify's cost bucket (extensions.cost.
 * throttleStatus): a query is sent only when the bucket holds its requested
 * cost. THROTTLED answers wait as long as the bucket needs; 429, 5xx and
 * timeouts back off (OmniHttp); 401/403 refresh a client-credentials token
 * once, then stop the channel.
 *
 * Pushes are compare-and-set writes (inventorySetQuantities with
 * changeFromQuantity) carrying the outbox entry's op_id in @idempotent(key:),
 * so a retry after a timeout or a crash is applied by Shopify once.
 *
 * The access token (or client secret) is read from the keyring, kept in
 * memory only, sent only in the X-Shopify-Access-Token header (or the token
 * exchange body), and scrubbed from every message that reaches the sync log
 * or an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "omni-http.h"
#include "omni-json.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-shopify-private.h"
#include "omni-shopify-resources.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"
#include "omni-store-webhook.h"

#define DEFAULT_PAGE_SIZE     250
#define ORDERS_PAGE_SIZE      16
#define LOCATIONS_PAGE_SIZE   100
#define DEFAULT_LEASE_S       300
#define MAX_THROTTLED_RETRIES 20
#define TOKEN_MARGIN_US       ((gint64)300 * G_USEC_PER_SEC)
#define PUSH_BATCH            50
#define PUSH_ROUNDS           20

struct _OmniShopifyConnector
{
  GObject               parent_instance;

  char                 *db_path;
  gint64                channel_id;
  OmniShopifyFirstSync  first;
  guint                 page_size;
  guint                 lease_s;
  guint                 max_attempts;
  guint                 base_ms;
  guint                 timeout_s;
  guint                 bulk_threshold;
  gboolean              force_bulk;
  OmniShopifyBulkLimits bulk_limits;

  /* set by the fuzz target instead of the network and keyring */
  OmniShopifyTransport  transport;
  gpointer              transport_data;
  char                 *transport_credential;

  GMutex                lock;
  OmniShopifyStats      stats;
};

static void omni_shopify_connector_iface_init (OmniConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmniShopifyConnector, omni_shopify_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OMNI_TYPE_CONNECTOR,
                                                      omni_shopify_connector_iface_init))

/* One pull or push, on one thread. */
typedef struct _OmniShopifyRun
{
  OmniShopifyConnector *self;
  OmniStore            *store;
  OmniHttp             *http;
  OmniChannel          *channel;
  GCancellable         *cancellable;
  char                 *graphql_url;
  char                 *token_url;
  char                 *client_id;          /* NULL: a legacy access token */
  char                 *credential;         /* keyring memory */
  char                 *token;
  gint64                token_expires_us;
  GHashTable           *costs;              /* document → last requested cost */
  double                bucket_max;
  double                available;
  double                restore_rate;
  gint64                available_at_us;
  const char           *direction;
  const char           *operation;
  OmniShopifyStats      stats;
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

/* Any message that may carry remote text goes through here before it is
 * logged or returned. */
static char *
redact (Run        *run,
        const char *message)
{
  char *copy = g_strdup (message);

  scrub (copy, run->token);
  scrub (copy, run->credential);
  return copy;
}

static void
redact_error (Run     *run,
              GError  *error)
{
  if (error == NULL)
    return;
  scrub (error->message, run->token);
  scrub (error->message, run->credential);
}

static void
log_sync (Run         *run,
          const char  *status,
          guint        http_status,
          gint64       duration_ms,
          const char  *message)
{
  g_autofree char *clean = message ? redact (run, message) : NULL;
  OmniSyncLogEntry entry = {
    .channel_id = run->channel ? run->channel->id : 0,
    .direction = run->direction, .operation = run->operation, .status = status,
    .http_status = (int)http_status, .duration_ms = duration_ms, .message = clean,
  };

  if (run->store != NULL && entry.channel_id > 0)
    omni_store_log_sync (run->store, &entry, NULL);
}

static void
on_http_attempt (const OmniHttpAttempt *attempt,
                 gpointer               user_data)
{
  Run *run = user_data;
  g_autofree char *message = NULL;

  run->stats.requests++;
  /* Successful and final answers are logged by their caller, which knows
   * what they meant; here only the attempts that will be retried. */
  if (attempt->retry_in_ms < 0)
    return;
  if (attempt->status == 0)
    message = g_strdup_printf ("Attempt %u failed (%s); retrying in %" G_GINT64_FORMAT " ms",
                               attempt->attempt, attempt->message ? attempt->message : "no answer",
                               attempt->retry_in_ms);
  else
    message = g_strdup_printf ("Attempt %u answered HTTP %u; retrying in %" G_GINT64_FORMAT " ms",
                               attempt->attempt, attempt->status, attempt->retry_in_ms);
  log_sync (run, "retry", attempt->status, attempt->duration_ms, message);
}

GBytes *
omni_shopify_get_document (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/io/github/omnistock/sync/shopify/%s.graphql", name);

  return g_resource_lookup_data (omni_shopify_get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/**
 * omni_shopify_normalize_shop:
 * @shop: what the merchant typed: "fern", "fern.myshopify.com",
 *   "https://fern.myshopify.com/admin"
 *
 * Returns: (transfer full): "NAME.myshopify.com", or %NULL with @error set
 */
char *
omni_shopify_normalize_shop (const char  *shop,
                             GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  char *slash;

  if (shop == NULL)
    shop = "";
  trimmed = g_strstrip (g_strdup (shop));
  text = g_ascii_strdown (trimmed, -1);
  if (g_str_has_prefix (text, "https://"))
    memmove (text, text + 8, strlen (text + 8) + 1);
  else if (g_str_has_prefix (text, "http://"))
    memmove (text, text + 7, strlen (text + 7) + 1);
  if ((slash = strchr (text, '/')) != NULL)
    *slash = '\0';

  if (g_str_has_suffix (text, ".myshopify.com"))
    name = g_strndup (text, strlen (text) - strlen (".myshopify.com"));
  else if (strchr (text, '.') == NULL)
    name = g_strdup (text);

  if (name != NULL && *name != '\0' && strlen (name) <= 60 && name[0] != '-')
    {
      gboolean ok = TRUE;

      for (const char *p = name; *p && ok; p++)
        ok = g_ascii_isalnum (*p) || *p == '-';
      if (ok)
        return g_strconcat (name, ".myshopify.com", NULL);
    }

  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
               "“%s” is not a Shopify shop address; it looks like NAME.myshopify.com", shop);
  return NULL;
}

static char *
base_url (const char *shop,
          const char *api_url)
{
  g_autofree char *base = NULL;

  if (api_url != NULL && *api_url != '\0')
    base = g_strdup (api_url);
  else
    base = g_strconcat ("https://", shop, NULL);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_steal_pointer (&base);
}

/**
 * omni_shopify_graphql_url:
 * @api_url: (nullable): a base URL replacing https://SHOP (tests, sandboxes)
 *
 * Returns: (transfer full): the Admin GraphQL endpoint of the pinned version
 */
char *
omni_shopify_graphql_url (const char *shop,
                          const char *api_url)
{
  g_autofree char *base = base_url (shop, api_url);

  return g_strconcat (base, "/admin/api/" OMNI_SHOPIFY_API_VERSION "/graphql.json", NULL);
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

/* Run set-up ------------------------------------------------------------- */

static void
run_clear (Run *run)
{
  g_clear_object (&run->store);
  g_clear_object (&run->http);
  g_clear_pointer (&run->channel, omni_channel_free);
  g_clear_pointer (&run->graphql_url, g_free);
  g_clear_pointer (&run->token_url, g_free);
  g_clear_pointer (&run->client_id, g_free);
  if (run->credential != NULL && run->self != NULL && run->self->transport != NULL)
    g_clear_pointer (&run->credential, g_free);
  g_clear_pointer (&run->credential, omni_secret_free);
  if (run->token != NULL)
    memset (run->token, 0, strlen (run->token));
  g_clear_pointer (&run->token, g_free);
  g_clear_pointer (&run->costs, g_hash_table_unref);
}

static void
run_init_http (Run          *run,
               const char   *shop,
               const char   *api_url,
               guint         max_attempts,
               guint         base_ms,
               guint         timeout_s)
{
  g_autofree char *base = base_url (shop, api_url);

  run->http = omni_http_new ();
  omni_http_set_limits (run->http, 64 * 1024 * 1024, timeout_s, max_attempts);
  omni_http_set_backoff (run->http, base_ms, 60 * 1000);
  omni_http_set_attempt_func (run->http, on_http_attempt, run);
  run->graphql_url = omni_shopify_graphql_url (shop, api_url);
  run->token_url = g_strconcat (base, "/admin/oauth/access_token", NULL);
  run->costs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->bucket_max = 0;
  run->restore_rate = 0;
}

static OmniHttpResponse *
send_request (Run                *run,
              const char         *url,
              const char * const *headers,
              const char         *content_type,
              GBytes             *body,
              GError            **error)
{
  OmniShopifyConnector *self = run->self;

  /* The connection test runs without a connector. */
  if (self != NULL && self->transport != NULL)
    return self->transport (url, content_type, body, self->transport_data, error);
  return omni_http_request (run->http, "POST", url, headers, content_type, body,
                            run->cancellable, error);
}

/* Client-credentials grant: the Dev Dashboard app's ID and secret become an
 * access token that lasts about a day. */
static gboolean
exchange_token (Run     *run,
                GError **error)
{
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const headers[] = { NULL };
  char *form;
  const char *token;
  JsonObject *object;
  gint64 expires_in = 86399;
  gint64 started = g_get_monotonic_time ();

  run->operation = "token";
  form = soup_form_encode ("grant_type", "client_credentials",
                           "client_id", run->client_id,
                           "client_secret", run->credential, NULL);
  body = g_bytes_new_with_free_func (form, strlen (form), g_free, form);

  response = send_request (run, run->token_url, headers, "application/x-www-form-urlencoded",
                           body, &local_error);
  run->stats.token_exchanges++;
  if (response == NULL)
    {
      redact_error (run, local_error);
      log_sync (run, "error", 0, 0, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  object = response->json && JSON_NODE_HOLDS_OBJECT (response->json)
           ? json_node_get_object (response->json) : NULL;
  token = omni_json_string (object, "access_token");
  if (response->status != 200 || token == NULL || *token == '\0')
    {
      log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000,
                "Shopify refused the app's client ID and secret");
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                   "Shopify refused the app's client ID and secret (HTTP %u). Check that the "
                   "app is installed on this shop, then re-authenticate", response->status);
      return FALSE;
    }

  if (run->token != NULL)
    memset (run->token, 0, strlen (run->token));
  g_free (run->token);
  run->token = g_strdup (token);
  omni_json_int (object, "expires_in", &expires_in);
  run->token_expires_us = g_get_real_time () + expires_in * G_USEC_PER_SEC;
  log_sync (run, "ok", response->status, (g_get_monotonic_time () - started) / 1000,
            "Access token obtained with the client credentials");
  return TRUE;
}

static gboolean
ensure_token (Run     *run,
              GError **error)
{
  const char *saved = run->operation;
  const char *direction = run->direction;
  gboolean ok;

  if (run->client_id == NULL)
    {
      if (run->token == NULL)
        run->token = g_strdup (run->credential);
      return TRUE;
    }
  if (run->token != NULL && g_get_real_time () < run->token_expires_us - TOKEN_MARGIN_US)
    return TRUE;

  run->direction = "auth";
  ok = exchange_token (run, error);
  run->direction = direction;
  run->operation = saved;
  return ok;
}

/* Throttling ------------------------------------------------------------- */

static double
bucket_now (Run *run)
{
  double elapsed = (g_get_monotonic_time () - run->available_at_us) / 1e6;

  return MIN (run->bucket_max, run->available + run->restore_rate * elapsed);
}

/* Waits until the bucket holds @cost, as far as the last throttle status
 * tells: no request is sent that the bucket cannot pay for. */
static gboolean
pace (Run     *run,
      double   cost,
      GError **error)
{
  double have;
  gint64 wait_ms;

  if (run->restore_rate <= 0 || run->bucket_max <= 0)
    return TRUE;
  cost = MIN (cost, run->bucket_max);
  have = bucket_now (run);
  if (have >= cost)
    return TRUE;
  wait_ms = (gint64)ceil ((cost - have) / run->restore_rate * 1000.0);
  run->stats.throttle_wait_ms += wait_ms;
  return omni_http_sleep (wait_ms, run->cancellable, error);
}

static void
read_cost (Run        *run,
           const char *document,
           JsonObject *root,
           double     *requested)
{
  JsonObject *cost = omni_json_object (omni_json_object (root, "extensions"), "cost");
  JsonObject *status = omni_json_object (cost, "throttleStatus");

  *requested = omni_json_double (cost, "requestedQueryCost", -1);
  if (*requested >= 0)
    g_hash_table_insert (run->costs, g_strdup (document), GINT_TO_POINTER ((int)*requested + 1));
  if (status != NULL)
    {
      run->bucket_max = omni_json_double (status, "maximumAvailable", run->bucket_max);
      run->available = omni_json_double (status, "currentlyAvailable", run->available);
      run->restore_rate = omni_json_double (status, "restoreRate", run->restore_rate);
      run->available_at_us = g_get_monotonic_time ();
    }
}

/* GraphQL ---------------------------------------------------------------- */

static void
set_channel_failed (Run        *run,
                    const char *state,
                    GError     *error)
{
  if (run->store != NULL && run->channel != NULL)
    omni_store_set_channel_state (run->store, run->channel->id, state, error->message, NULL);
}

/**
 * graphql:
 * @document: the name of a .graphql file in the resource
 * @estimate: the requested cost expected before the first answer tells
 * @variables: (transfer full): a JSON object, or %NULL
 *
 * Returns: (transfer full): the "data" object's node, or %NULL with @error
 */
static JsonNode *
graphql (Run         *run,
         const char  *document,
         double       estimate,
         JsonNode    *variables_in,
         GError     **error)
{
  g_autoptr(JsonNode) variables = variables_in;
  g_autoptr(GBytes) query = omni_shopify_get_document (document);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GBytes) body = NULL;
  gboolean refreshed = FALSE;
  char *text;

  g_return_val_if_fail (query != NULL, NULL);

  run->operation = document;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, g_bytes_get_data (query, NULL));
  if (variables != NULL)
    {
      json_builder_set_member_name (builder, "variables");
      json_builder_add_value (builder, json_node_ref (variables));
    }
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  json_generator_set_root (generator, request);
  text = json_generator_to_data (generator, NULL);
  body = g_bytes_new_take (text, strlen (text));

  for (guint throttled = 0; ; )
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autoptr(GError) local_error = NULL;
      gpointer known;
      double cost = estimate, requested = -1;
      gint64 started;
      JsonObject *root;
      JsonArray *errors;

      if (!ensure_token (run, error))
        {
          if (g_error_matches (*error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH))
            set_channel_failed (run, "auth_failed", *error);
          return NULL;
        }

      known = g_hash_table_lookup (run->costs, document);
      if (known != NULL)
        cost = GPOINTER_TO_INT (known) - 1;
      if (!pace (run, cost, error))
        return NULL;

      run->operation = document;
      started = g_get_monotonic_time ();
      {
        const char *headers[] = { "X-Shopify-Access-Token", run->token, NULL };

        response = send_request (run, run->graphql_url, (const char * const *)headers,
                                 "application/json", body, &local_error);
      }
      if (response == NULL)
        {
          redact_error (run, local_error);
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            log_sync (run, "error", 0, (g_get_monotonic_time () - started) / 1000,
                      local_error->message);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      if (response->status == 401 || response->status == 403)
        {
          log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000,
                    response->status == 401 ? "Shopify refused the access token"
                                            : "The access token lacks a required scope");
          if (response->status == 401 && run->client_id != NULL && !refreshed)
            {
              /* Expired or revoked early: exchange the credentials again, once. */
              refreshed = TRUE;
              run->token_expires_us = 0;
              continue;
            }
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                       response->status == 401
                       ? "Shopify refused the access token (HTTP 401): it was revoked or has "
                         "expired. The channel is stopped until you re-authenticate"
                       : "Shopify refused the request (HTTP 403): the app lacks a scope it "
                         "needs (read/write products, inventory, locations; read orders). "
                         "The channel is stopped until you re-authenticate");
          set_channel_failed (run, "auth_failed", *error);
          return NULL;
        }

      root = response->json && JSON_NODE_HOLDS_OBJECT (response->json)
             ? json_node_get_object (response->json) : NULL;
      if (response->status != 200 || root == NULL)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "Shopify answered HTTP %u to %s", response->status, document);
          log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000,
                    (*error)->message);
          return NULL;
        }

      read_cost (run, document, root, &requested);
      errors = omni_json_array (root, "errors");
      if (errors != NULL && json_array_get_length (errors) > 0)
        {
          JsonObject *first = json_array_get_object_element (errors, 0);
          const char *code = omni_json_string (omni_json_object (first, "extensions"), "code");
          g_autofree char *message = redact (run, omni_json_string (first, "message"));

          if (g_strcmp0 (code, "THROTTLED") == 0 && throttled++ < MAX_THROTTLED_RETRIES)
            {
              g_autofree char *note = NULL;
              double need = requested > 0 ? requested : cost;
              gint64 wait_ms = run->restore_rate > 0
                               ? (gint64)ceil (MAX (need - bucket_now (run), 0) / run->restore_rate * 1000.0)
                               : omni_http_backoff_ms (run->http, throttled);

              run->stats.throttled++;
              note = g_strdup_printf ("Throttled: the query needs %.0f points, %.0f are "
                                      "available; waiting %" G_GINT64_FORMAT " ms",
                                      need, run->available, wait_ms);
              log_sync (run, "retry", response->status,
                        (g_get_monotonic_time () - started) / 1000, note);
              run->stats.throttle_wait_ms += wait_ms;
              if (!omni_http_sleep (wait_ms, run->cancellable, error))
                return NULL;
              continue;
            }

          g_set_error (error, OMNI_SYNC_ERROR,
                       g_strcmp0 (code, "THROTTLED") == 0 ? OMNI_SYNC_ERROR_THROTTLED
                                                          : OMNI_SYNC_ERROR_REMOTE,
                       "Shopify refused %s: %s", document, message ? message : "unknown error");
          log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000,
                    (*error)->message);
          return NULL;
        }

      if (omni_json_object (root, "data") == NULL)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "Shopify answered %s without data", document);
          log_sync (run, "error", response->status, 0, (*error)->message);
          return NULL;
        }

      log_sync (run, "ok", response->status, (g_get_monotonic_time () - started) / 1000, NULL);
      return json_node_ref (json_object_get_member (root, "data"));
    }
}

static JsonNode *
page_variables (guint        first,
                const char  *after,
                const char  *name,
                const char  *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "first");
  json_builder_add_int_value (builder, first);
  json_builder_set_member_name (builder, "after");
  if (after != NULL)
    json_builder_add_string_value (builder, after);
  else
    json_builder_add_null_value (builder);
  if (name != NULL)
    {
      json_builder_set_member_name (builder, name);
      if (value != NULL)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads the connection and its pageInfo; returns the next cursor or NULL. */
static char *
next_page (JsonObject *connection)
{
  JsonObject *info = omni_json_object (connection, "pageInfo");
  JsonNode *has_next = info ? json_object_get_member (info, "hasNextPage") : NULL;

  if (has_next == NULL || !json_node_get_boolean (has_next))
    return NULL;
  return g_strdup (omni_json_string (info, "endCursor"));
}

/* Opening a run ---------------------------------------------------------- */

static gboolean
run_open (Run                   *run,
          OmniShopifyConnector  *self,
          GCancellable          *cancellable,
          GError               **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *settings = NULL;

  run->self = self;
  run->cancellable = cancellable;
  run->store = omni_store_open (self->db_path, error);
  if (run->store == NULL)
    return FALSE;
  run->channel = omni_store_get_channel (run->store, self->channel_id, error);
  if (run->channel == NULL)
    return FALSE;
  if (g_strcmp0 (run->channel->platform, "shopify") != 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "Channel %s is not a Shopify channel", run->channel->name);
      return FALSE;
    }
  if (g_strcmp0 (run->channel->state, "auth_failed") == 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                   "Channel %s is stopped because Shopify refused its credentials; "
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
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    settings = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (omni_json_string (settings, "auth"), "client_credentials") == 0)
    run->client_id = g_strdup (omni_json_string (settings, "client_id"));

  if (self->transport != NULL)
    run->credential = g_strdup (self->transport_credential);
  else
    run->credential = omni_secret_lookup ("shopify", run->channel->account, cancellable, error);
  if (run->credential == NULL)
    return FALSE;

  run_init_http (run, run->channel->account, run->channel->api_url,
                 self->max_attempts, self->base_ms, self->timeout_s);
  return TRUE;
}

static void
run_finish (Run     *run,
            GError  *error)
{
  OmniShopifyConnector *self = run->self;

  if (run->store != NULL && run->channel != NULL)
    {
      if (error == NULL)
        omni_store_mark_channel_synced (run->store, run->channel->id, NULL);
      else if (!g_error_matches (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH) &&
               !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_channel_failed (run, "error", error);
    }

  g_mutex_lock (&self->lock);
  self->stats = run->stats;
  g_mutex_unlock (&self->lock);
}

/* Pull ------------------------------------------------------------------- */

static gboolean
pull_locations (Run     *run,
                GError **error)
{
  g_autofree char *after = NULL;

  run->direction = "pull";
  do
    {
      g_autoptr(JsonNode) data = NULL;
      JsonObject *connection;
      JsonArray *nodes;

      data = graphql (run, "locations", 2 + LOCATIONS_PAGE_SIZE,
                      page_variables (LOCATIONS_PAGE_SIZE, after, NULL, NULL), error);
      if (data == NULL)
        return FALSE;
      connection = omni_json_object (json_node_get_object (data), "locations");
      nodes = omni_json_array (connection, "nodes");
      for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
        {
          JsonObject *node = json_array_get_object_element (nodes, i);
          JsonNode *active = json_object_get_member (node, "isActive");
          JsonNode *ships = json_object_get_member (node, "shipsInventory");

          if (omni_json_string (node, "id") == NULL || omni_json_string (node, "name") == NULL)
            continue;
          if (!omni_store_upsert_channel_location (run->store, run->channel->id,
                                                   omni_json_string (node, "id"),
                                                   omni_json_string (node, "name"),
                                                   active == NULL || json_node_get_boolean (active),
                                                   ships == NULL || json_node_get_boolean (ships),
                                                   error))
            return FALSE;
        }
      g_free (after);
      after = next_page (connection);
    }
  while (after != NULL);
  return TRUE;
}

/* Links one remote variant (a node of variants.graphql, or a line of the
 * bulk result) to a local one: SKU, then barcode. Records a newly linked one
 * in @fresh (inventory item id) and the latest updatedAt in @newest. Runs in
 * the caller's transaction. */
static gboolean
apply_variant_node (Run         *run,
                    JsonObject  *node,
                    GHashTable  *fresh,
                    char       **newest,
                    GError     **error)
{
  JsonObject *item = omni_json_object (node, "inventoryItem");
  JsonObject *product = omni_json_object (node, "product");
  const char *id = omni_json_string (node, "id");
  const char *item_id = omni_json_string (item, "id");
  const char *sku = omni_json_string (node, "sku");
  const char *updated = omni_json_string (node, "updatedAt");
  const char *by = "manual";
  gint64 variant;
  gboolean known;

  if (id == NULL)
    return TRUE;
  run->stats.variants++;
  if (updated != NULL && g_strcmp0 (updated, *newest) > 0)
    {
      g_free (*newest);
      *newest = g_strdup (updated);
    }

  variant = omni_store_find_variant_for_remote (run->store, run->channel->id, id);
  known = variant > 0;
  if (!known)
    variant = omni_store_match_variant (run->store, sku, omni_json_string (node, "barcode"), &by);
  if (variant == 0)
    {
      /* Listed for the merchant to link, import or ignore: never guessed. */
      OmniRemoteVariantSpec remote = {
        .channel_id = run->channel->id, .remote_variant_id = id,
        .remote_product_id = omni_json_string (product, "id"), .remote_inventory_id = item_id,
        .sku = sku, .barcode = omni_json_string (node, "barcode"),
        .product_title = omni_json_string (product, "title"),
        .title = omni_json_string (node, "title"), .price = -1,
      };
      g_autoptr(GError) record_error = NULL;

      run->stats.unmatched++;
      if (!omni_store_record_remote_variant (run->store, &remote, &record_error))
        {
          g_autofree char *note = g_strdup_printf ("Variant %s was not listed as unmatched: %s",
                                                   id, record_error->message);
          log_sync (run, "error", 0, 0, note);
        }
      return TRUE;
    }

  {
    OmniChannelLinkSpec link = {
      .channel_id = run->channel->id, .variant_id = variant,
      .remote_product_id = omni_json_string (product, "id"), .remote_variant_id = id,
      .remote_inventory_id = item_id, .remote_sku = sku, .linked_by = by,
    };
    g_autoptr(GError) link_error = NULL;

    if (!omni_store_link_variant (run->store, &link, &link_error))
      {
        /* One bad remote row (two remote variants claiming one local
         * SKU) is logged, not fatal. */
        g_autofree char *note = g_strdup_printf ("Variant %s was not linked: %s",
                                                 id, link_error->message);
        run->stats.unmatched++;
        log_sync (run, "error", 0, 0, note);
        return TRUE;
      }
  }
  if (!known)
    {
      run->stats.linked++;
      if (item_id != NULL)
        g_hash_table_insert (fresh, g_strdup (item_id), GINT_TO_POINTER (1));
    }
  return TRUE;
}

/* See omni-shopify-private.h: what the bulk path needs of a run. */
gboolean
_omni_shopify_run_apply_variant (OmniShopifyRun  *run,
                                 JsonObject      *node,
                                 GHashTable      *fresh,
                                 char           **newest,
                                 GError         **error)
{
  return apply_variant_node (run, node, fresh, newest, error);
}

JsonNode *
_omni_shopify_run_graphql (OmniShopifyRun  *run,
                           const char      *document,
                           double           estimate,
                           JsonNode        *variables,
                           GError         **error)
{
  return graphql (run, document, estimate, variables, error);
}

void
_omni_shopify_run_log (OmniShopifyRun *run,
                       const char     *operation,
                       const char     *status,
                       guint           http_status,
                       gint64          duration_ms,
                       const char     *message)
{
  run->operation = operation;
  log_sync (run, status, http_status, duration_ms, message);
}

void
_omni_shopify_run_redact_error (OmniShopifyRun *run,
                                GError         *error)
{
  redact_error (run, error);
}

OmniStore *
_omni_shopify_run_get_store (OmniShopifyRun *run)
{
  return run->store;
}

GCancellable *
_omni_shopify_run_get_cancellable (OmniShopifyRun *run)
{
  return run->cancellable;
}

/* A first pull of a catalog bigger than the threshold (or any pull, when
 * asked) goes through a bulk operation: cursor paging stops at 25,000
 * objects, and one bulk query costs a handful of requests whatever the
 * size. Incremental pulls page with updated_at filters. */
static gboolean
want_bulk (Run         *run,
           const char  *cursor,
           gboolean    *bulk,
           GError     **error)
{
  OmniShopifyConnector *self = run->self;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *count;
  gint64 n = 0;

  *bulk = self->force_bulk;
  if (self->force_bulk || cursor != NULL || self->bulk_threshold == 0)
    return TRUE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, (gint64)self->bulk_threshold + 1);
  json_builder_end_object (builder);
  data = graphql (run, "variants-count", 1, json_builder_get_root (builder), error);
  if (data == NULL)
    return FALSE;
  count = omni_json_object (json_node_get_object (data), "productVariantsCount");
  if (omni_json_int (count, "count", &n) && n > (gint64)self->bulk_threshold)
    *bulk = TRUE;
  return TRUE;
}

/* Links remote variants to local ones (SKU, then barcode); records the newly
 * linked ones in @fresh (inventory item id → variant id). */
static gboolean
pull_variants (Run         *run,
               GHashTable  *fresh,
               GError     **error)
{
  g_autofree char *after = NULL;
  g_autofree char *cursor = omni_store_get_sync_cursor (run->store, run->channel->id, "variants");
  g_autofree char *query = NULL;
  g_autofree char *newest = NULL;
  guint first = run->self->page_size;
  gboolean bulk = FALSE;

  if (!want_bulk (run, cursor, &bulk, error))
    return FALSE;
  if (bulk)
    {
      if (!_omni_shopify_bulk_pull_variants (run, &run->self->bulk_limits, fresh, &newest, error))
        return FALSE;
    }
  else
    {
      if (cursor != NULL)
        query = g_strdup_printf ("updated_at:>'%s'", cursor);

      do
        {
          g_autoptr(JsonNode) data = NULL;
          JsonObject *connection;
          JsonArray *nodes;

          data = graphql (run, "variants", 2 + 3.0 * first,
                          page_variables (first, after, "query", query), error);
          if (data == NULL)
            return FALSE;
          connection = omni_json_object (json_node_get_object (data), "productVariants");
          nodes = omni_json_array (connection, "nodes");

          if (!omni_store_begin (run->store, error))
            return FALSE;
          for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
            if (!apply_variant_node (run, json_array_get_object_element (nodes, i), fresh,
                                     &newest, error))
              {
                omni_store_rollback (run->store);
                return FALSE;
              }
          if (!omni_store_commit (run->store, error))
            return FALSE;

          g_free (after);
          after = next_page (connection);
        }
      while (after != NULL);
    }

  if (newest != NULL &&
      !omni_store_set_sync_cursor (run->store, run->channel->id, "variants", newest, error))
    return FALSE;
  return TRUE;
}

static gboolean
apply_level (Run         *run,
             GHashTable  *fresh,
             const char  *remote_location,
             gint64       local_location,
             const char  *item_id,
             gint64       quantity,
             GError     **error)
{
  g_autofree char *source = g_strdup_printf ("channel:%" G_GINT64_FORMAT, run->channel->id);
  gint64 variant = omni_store_find_linked_variant (run->store, run->channel->id, item_id);
  gint64 local_available;

  if (variant == 0)
    return TRUE;
  run->stats.levels++;

  if (!omni_store_set_remote_level (run->store, run->channel->id, variant, remote_location,
                                    quantity, error))
    return FALSE;

  local_available = omni_store_get_available_at (run->store, variant, local_location);

  if (g_hash_table_contains (fresh, item_id) && run->self->first == OMNI_SHOPIFY_FIRST_REMOTE)
    {
      /* First link, Shopify's quantity wins: one `sync` movement brings the
       * local available stock to it. Not echoed back (source channel:ID). */
      g_autofree char *op_id = g_strdup_printf ("sync:%" G_GINT64_FORMAT ":%s:%s:first",
                                                run->channel->id, item_id, remote_location);
      OmniMovementSpec m = {
        .variant_id = variant, .location_id = local_location,
        .on_hand_delta = quantity - local_available, .reason = OMNI_REASON_SYNC,
        .source = source, .reference = run->channel->name,
        .note = "First sync: quantity taken from Shopify", .op_id = op_id,
      };

      if (m.on_hand_delta != 0)
        return omni_store_record_movements (run->store, &m, 1, error);
      return TRUE;
    }

  /* The store is the truth: a remote quantity that differs from what we
   * would push gets a push (coalesced with any pending one). */
  if (quantity != MAX (local_available, 0))
    return omni_store_enqueue_push (run->store, run->channel->id, variant, local_location,
                                    error) > 0;
  return TRUE;
}

static gboolean
pull_levels (Run         *run,
             GHashTable  *fresh,
             GError     **error)
{
  g_autoptr(GPtrArray) locations = omni_store_list_channel_locations (run->store, run->channel->id,
                                                                      error);
  guint first = run->self->page_size;

  if (locations == NULL)
    return FALSE;

  for (guint l = 0; l < locations->len; l++)
    {
      OmniChannelLocation *loc = locations->pdata[l];
      g_autofree char *after = NULL;

      if (!loc->active || loc->location_id == 0)
        continue;

      do
        {
          g_autoptr(JsonNode) data = NULL;
          g_autoptr(JsonNode) vars = page_variables (first, after, "location", loc->remote_id);
          JsonObject *connection;
          JsonArray *nodes;

          data = graphql (run, "inventory-levels", 3 + 2.0 * first, g_steal_pointer (&vars), error);
          if (data == NULL)
            return FALSE;
          connection = omni_json_object (omni_json_object (json_node_get_object (data), "location"),
                                   "inventoryLevels");
          nodes = omni_json_array (connection, "nodes");

          if (!omni_store_begin (run->store, error))
            return FALSE;
          for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
            {
              JsonObject *node = json_array_get_object_element (nodes, i);
              const char *item_id = omni_json_string (omni_json_object (node, "item"), "id");
              JsonArray *quantities = omni_json_array (node, "quantities");
              gint64 quantity = 0;
              gboolean found = FALSE;

              for (guint q = 0; quantities != NULL && q < json_array_get_length (quantities); q++)
                {
                  JsonObject *named = json_array_get_object_element (quantities, q);

                  if (g_strcmp0 (omni_json_string (named, "name"), "available") == 0)
                    found = omni_json_int (named, "quantity", &quantity);
                }
              if (item_id == NULL || !found)
                continue;
              if (!apply_level (run, fresh, loc->remote_id, loc->location_id, item_id,
                                quantity, error))
                {
                  omni_store_rollback (run->store);
                  return FALSE;
                }
            }
          if (!omni_store_commit (run->store, error))
            return FALSE;

          g_free (after);
          after = next_page (connection);
        }
      while (after != NULL);
    }
  return TRUE;
}

/* The refunds of an order seen by the pull, applied through
 * omni_store_record_refund() with the same keys (refund line GIDs) as the
 * refunds/create webhook, so a refund both paths see returns its units once. */
static gboolean
pull_refunds (Run         *run,
              JsonObject  *order_node,
              GError     **error)
{
  JsonArray *refunds = omni_json_array (order_node, "refunds");

  for (guint r = 0; refunds != NULL && r < json_array_get_length (refunds); r++)
    {
      const char *refund_id = omni_json_string (json_array_get_object_element (refunds, r), "id");
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) data = NULL;
      g_autoptr(GArray) lines = NULL;
      JsonObject *refund;
      JsonArray *items;
      OmniRefundSpec spec = { 0 };

      if (refund_id == NULL)
        continue;
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, refund_id);
      json_builder_end_object (builder);
      data = graphql (run, "refund", 154, json_builder_get_root (builder), error);
      if (data == NULL)
        return FALSE;
      refund = omni_json_object (json_node_get_object (data), "node");
      items = omni_json_array (omni_json_object (refund, "refundLineItems"), "nodes");
      if (refund == NULL || omni_json_string (omni_json_object (refund, "order"), "id") == NULL)
        continue;

      lines = g_array_new (FALSE, TRUE, sizeof (OmniRefundLineSpec));
      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *type = omni_json_string (item, "restockType");
          const char *variant = omni_json_string (omni_json_object (omni_json_object (item, "lineItem"), "variant"),
                                            "id");
          const char *location = omni_json_string (omni_json_object (item, "location"), "id");
          OmniRefundLineSpec line = { 0 };

          line.remote_line_id = omni_json_string (item, "id");
          if (line.remote_line_id == NULL || !omni_json_int (item, "quantity", &line.quantity) ||
              line.quantity <= 0)
            continue;
          /* CANCEL restocks are the cancellation's, which returns them. */
          line.restock = g_strcmp0 (type, "RETURN") == 0 || g_strcmp0 (type, "LEGACY_RESTOCK") == 0;
          line.variant_id = variant
                            ? omni_store_find_variant_for_remote (run->store, run->channel->id,
                                                                  variant)
                            : 0;
          line.location_id = location
                             ? omni_store_channel_local_location (run->store, run->channel->id,
                                                                  location)
                             : 0;
          g_array_append_val (lines, line);
        }

      spec.channel_id = run->channel->id;
      spec.remote_id = refund_id;
      spec.order_remote_id = omni_json_string (omni_json_object (refund, "order"), "id");
      spec.order_name = omni_json_string (omni_json_object (refund, "order"), "name");
      spec.time_us = parse_time_us (omni_json_string (refund, "createdAt"));
      spec.lines = (const OmniRefundLineSpec *)(void *)lines->data;
      spec.n_lines = lines->len;
      spec.actor = run->channel->name;
      if (!omni_store_record_refund (run->store, &spec, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* How much of an order line has shipped. Shopify keeps the line's original
 * quantity, the units still ordered (currentQuantity: less those refunded
 * or removed) and the units not yet fulfilled; shipped ones are the units
 * still ordered that are not waiting to ship, the rest of the line was
 * removed. Without those counts the line is taken as fulfilled whole. */
static void
line_fulfilment (JsonObject         *item,
                 const char         *current_member,
                 const char         *unfulfilled_member,
                 OmniOrderLineSpec  *line)
{
  gint64 current = line->quantity, unfulfilled = 0;

  if (!omni_json_int (item, unfulfilled_member, &unfulfilled))
    return;
  if (!omni_json_int (item, current_member, &current))
    current = line->quantity;
  current = CLAMP (current, 0, line->quantity);
  unfulfilled = CLAMP (unfulfilled, 0, current);
  line->track_fulfilment = TRUE;
  line->fulfilled = current - unfulfilled;
  line->unfulfilled = unfulfilled;
}

static gboolean
record_order (Run         *run,
              JsonObject  *node,
              gint64       location,
              GError     **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (OmniOrderLineSpec));
  JsonArray *items = omni_json_array (omni_json_object (node, "lineItems"), "nodes");
  const char *id = omni_json_string (node, "id");
  OmniOrderSpec order = { 0 };

  if (id == NULL)
    return TRUE;

  if (json_object_has_member (node, "cancelledAt") &&
      !json_object_get_null_member (node, "cancelledAt"))
    {
      gboolean reversed = FALSE;

      /* Refunds first: the cancellation returns only what they did not. */
      if (!pull_refunds (run, node, error) ||
          !omni_store_cancel_channel_order (run->store, run->channel->id, id, &reversed, error))
        return FALSE;
      if (reversed)
        run->stats.cancelled++;
      return TRUE;
    }

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *variant_id = omni_json_string (omni_json_object (item, "variant"), "id");
      OmniOrderLineSpec line = { 0 };

      if (!omni_json_int (item, "quantity", &line.quantity) || line.quantity <= 0)
        continue;
      line.variant_id = variant_id
                        ? omni_store_find_variant_for_remote (run->store, run->channel->id,
                                                              variant_id)
                        : 0;
      line.sku = omni_json_string (item, "sku");
      line.title = omni_json_string (item, "name");
      line_fulfilment (item, "currentQuantity", "unfulfilledQuantity", &line);
      g_array_append_val (lines, line);
    }
  if (lines->len == 0)
    return TRUE;

  order.channel_id = run->channel->id;
  order.remote_id = id;
  order.name = omni_json_string (node, "name") ? omni_json_string (node, "name") : id;
  order.currency = omni_json_string (node, "currencyCode");
  order.placed_us = parse_time_us (omni_json_string (node, "createdAt"));
  order.location_id = location;
  order.lines = (const OmniOrderLineSpec *)(void *)lines->data;
  order.n_lines = lines->len;
  order.actor = run->channel->name;

  if (omni_store_record_order (run->store, &order, error) == 0 ||
      !pull_refunds (run, node, error))
    return FALSE;
  run->stats.orders++;
  return TRUE;
}

static gboolean
pull_orders (Run     *run,
             GError **error)
{
  g_autofree char *cursor = omni_store_get_sync_cursor (run->store, run->channel->id, "orders");
  g_autofree char *after = NULL;
  g_autofree char *query = NULL;
  g_autofree char *newest = NULL;
  gint64 location = omni_store_channel_order_location (run->store, run->channel->id);

  if (cursor == NULL)
    {
      /* First sync: past orders are already in Shopify's quantities; only
       * orders from now on become sold movements here. */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      return omni_store_set_sync_cursor (run->store, run->channel->id, "orders", stamp, error);
    }

  query = g_strdup_printf ("updated_at:>'%s'", cursor);
  do
    {
      g_autoptr(JsonNode) data = NULL;
      JsonObject *connection;
      JsonArray *nodes;

      data = graphql (run, "orders", 2 + 58.0 * ORDERS_PAGE_SIZE,
                      page_variables (ORDERS_PAGE_SIZE, after, "query", query), error);
      if (data == NULL)
        return FALSE;
      connection = omni_json_object (json_node_get_object (data), "orders");
      nodes = omni_json_array (connection, "nodes");
      for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
        {
          JsonObject *node = json_array_get_object_element (nodes, i);
          const char *updated = omni_json_string (node, "updatedAt");

          if (!record_order (run, node, location, error))
            return FALSE;
          if (updated != NULL && g_strcmp0 (updated, newest) > 0)
            {
              g_free (newest);
              newest = g_strdup (updated);
            }
        }
      g_free (after);
      after = next_page (connection);
    }
  while (after != NULL);

  if (newest != NULL &&
      !omni_store_set_sync_cursor (run->store, run->channel->id, "orders", newest, error))
    return FALSE;
  return TRUE;
}

/**
 * omni_shopify_connector_pull:
 *
 * Pulls locations, variants (linking them), orders since the cursor (as sold
 * movements, exactly once) and inventory levels, on the calling thread.
 * Blocks: call it from a worker, or use omni_connector_pull_async().
 */
gboolean
omni_shopify_connector_pull (OmniShopifyConnector  *self,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(GHashTable) fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };

  g_return_val_if_fail (OMNI_IS_SHOPIFY_CONNECTOR (self), FALSE);

  run.direction = "pull";
  if (run_open (&run, self, cancellable, &local_error) &&
      pull_locations (&run, &local_error) &&
      pull_variants (&run, fresh, &local_error) &&
      pull_orders (&run, &local_error) &&
      pull_levels (&run, fresh, &local_error))
    {
      g_autofree char *summary = g_strdup_printf ("Pulled %" G_GINT64_FORMAT " variants (%"
                                                  G_GINT64_FORMAT " newly linked, %" G_GINT64_FORMAT
                                                  " unmatched), %" G_GINT64_FORMAT " levels, %"
                                                  G_GINT64_FORMAT " orders",
                                                  run.stats.variants, run.stats.linked,
                                                  run.stats.unmatched, run.stats.levels,
                                                  run.stats.orders);
      run.operation = "summary";
      log_sync (&run, "ok", 0, 0, summary);
    }

  redact_error (&run, local_error);
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

static JsonNode *
push_variables (const OmniOutboxEntry *entry,
                JsonObject            *payload)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *reference = g_strdup_printf ("gid://omnistock/OutboxEntry/%" G_GINT64_FORMAT,
                                                entry->id);
  gint64 quantity = 0, change_from = 0;

  omni_json_int (payload, "quantity", &quantity);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, entry->op_id);
  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "available");
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, "correction");
  json_builder_set_member_name (builder, "referenceDocumentUri");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "quantities");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inventoryItemId");
  json_builder_add_string_value (builder, omni_json_string (payload, "inventory_item_id"));
  json_builder_set_member_name (builder, "locationId");
  json_builder_add_string_value (builder, omni_json_string (payload, "location_id"));
  json_builder_set_member_name (builder, "quantity");
  json_builder_add_int_value (builder, quantity);
  /* Mandatory in 2026-07, even when null (never seen: no compare). */
  json_builder_set_member_name (builder, "changeFromQuantity");
  if (omni_json_int (payload, "change_from", &change_from))
    json_builder_add_int_value (builder, change_from);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
repull_level (Run         *run,
              const char  *item_id,
              const char  *location_id,
              gint64      *quantity,
              GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  JsonObject *level;
  JsonArray *quantities;
  const char *direction = run->direction;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "item");
  json_builder_add_string_value (builder, item_id);
  json_builder_set_member_name (builder, "location");
  json_builder_add_string_value (builder, location_id);
  json_builder_end_object (builder);

  run->direction = "reconcile";
  data = graphql (run, "inventory-level", 4, json_builder_get_root (builder), error);
  run->direction = direction;
  if (data == NULL)
    return FALSE;

  level = omni_json_object (omni_json_object (json_node_get_object (data), "inventoryItem"), "inventoryLevel");
  quantities = omni_json_array (level, "quantities");
  for (guint q = 0; quantities != NULL && q < json_array_get_length (quantities); q++)
    {
      JsonObject *named = json_array_get_object_element (quantities, q);

      if (g_strcmp0 (omni_json_string (named, "name"), "available") == 0 &&
          omni_json_int (named, "quantity", quantity))
        return TRUE;
    }
  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
               "Shopify did not say how many of %s are available at %s", item_id, location_id);
  return FALSE;
}

/* Sends one claimed entry. Returns FALSE only for errors that stop the run
 * (authentication, cancellation, the network); the entry is then failed for
 * a later retry, or — when cancelled mid-request — left "sending" until its
 * lease runs out, exactly as a crash would leave it. */
static gboolean
push_entry (Run              *run,
            OmniOutboxEntry  *entry,
            GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *payload = NULL;
  JsonObject *result;
  JsonArray *user_errors;

  if (json_parser_load_from_data (parser, entry->payload, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    payload = json_node_get_object (json_parser_get_root (parser));
  if (payload == NULL || omni_json_string (payload, "inventory_item_id") == NULL ||
      omni_json_string (payload, "location_id") == NULL)
    {
      run->stats.failed++;
      return omni_store_fail_outbox (run->store, entry->id, "The entry has no usable request",
                                     TRUE, 0, error);
    }

  data = graphql (run, "set-quantities", 10, push_variables (entry, payload), &local_error);
  if (data == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      run->stats.failed++;
      omni_store_fail_outbox (run->store, entry->id, local_error->message, FALSE, 0, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  result = omni_json_object (json_node_get_object (data), "inventorySetQuantities");
  user_errors = omni_json_array (result, "userErrors");
  if (user_errors == NULL || json_array_get_length (user_errors) == 0)
    {
      run->stats.pushed++;
      return omni_store_ack_outbox (run->store, entry->id, error);
    }

  {
    JsonObject *first = json_array_get_object_element (user_errors, 0);
    const char *code = omni_json_string (first, "code");
    g_autofree char *message = redact (run, omni_json_string (first, "message"));

    if (g_strcmp0 (code, "CHANGE_FROM_QUANTITY_STALE") == 0 ||
        g_strcmp0 (code, "COMPARE_QUANTITY_STALE") == 0)
      {
        g_autofree char *note = NULL;
        gint64 remote = 0, expected = -1, quantity = 0;

        if (!repull_level (run, omni_json_string (payload, "inventory_item_id"),
                           omni_json_string (payload, "location_id"), &remote, &local_error))
          {
            omni_store_fail_outbox (run->store, entry->id, local_error->message, FALSE, 0, NULL);
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        omni_json_int (payload, "change_from", &expected);
        omni_json_int (payload, "quantity", &quantity);
        note = g_strdup_printf ("%s: Shopify had %" G_GINT64_FORMAT " available, not %"
                                G_GINT64_FORMAT " as last seen (changed there meanwhile); "
                                "OmniStock's quantity is pushed again over it",
                                entry->sku ? entry->sku : "variant", remote, expected);
        run->operation = "set-quantities";
        log_sync (run, "conflict", 200, 0, note);
        run->stats.conflicts++;
        return omni_store_conflict_outbox (run->store, entry->id, note, remote, error);
      }

    run->stats.failed++;
    {
      g_autofree char *note = g_strdup_printf ("Shopify refused the quantity of %s: %s",
                                               entry->sku ? entry->sku : "a variant",
                                               message ? message : "unknown error");
      gboolean transient = g_strcmp0 (code, "IDEMPOTENCY_CONCURRENT_REQUEST") == 0;

      run->operation = "set-quantities";
      log_sync (run, "error", 200, 0, note);
      return omni_store_fail_outbox (run->store, entry->id, note, !transient, 0, error);
    }
  }
}

/**
 * omni_shopify_connector_push:
 *
 * Sends the channel's due outbox entries, each exactly once, on the calling
 * thread. Blocks: call it from a worker, or use omni_connector_push_async().
 */
gboolean
omni_shopify_connector_push (OmniShopifyConnector  *self,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };

  g_return_val_if_fail (OMNI_IS_SHOPIFY_CONNECTOR (self), FALSE);

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
  run_finish (&run, local_error);
  run_clear (&run);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Connection test -------------------------------------------------------- */

void
omni_shopify_shop_free (OmniShopifyShop *shop)
{
  if (shop == NULL)
    return;
  g_free (shop->name);
  g_free (shop->currency);
  g_free (shop->domain);
  g_clear_pointer (&shop->locations, g_ptr_array_unref);
  g_clear_pointer (&shop->location_ids, g_ptr_array_unref);
  g_free (shop);
}

/**
 * omni_shopify_check_connection:
 * @shop: NAME.myshopify.com
 * @api_url: (nullable): base URL override
 * @client_id: (nullable): a Dev Dashboard app's client ID; then @credential
 *   is its client secret, else an Admin API access token
 *
 * Tests credentials before they are stored: exchanges them for a token when
 * needed, then reads the shop's name, currency and locations. Blocks.
 *
 * Returns: (transfer full): the shop, or %NULL with @error set
 */
OmniShopifyShop *
omni_shopify_check_connection (const char    *shop,
                               const char    *api_url,
                               const char    *client_id,
                               const char    *credential,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(OmniShopifyShop) result = g_new0 (OmniShopifyShop, 1);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) locations = NULL;
  Run run = { 0 };

  run.cancellable = cancellable;
  run.credential = g_strdup (credential);
  run.client_id = g_strdup (client_id);
  run.direction = "auth";
  run_init_http (&run, shop, api_url, 3, 500, 30);

  data = graphql (&run, "shop", 2, NULL, &local_error);
  if (data != NULL)
    locations = graphql (&run, "locations", 2 + LOCATIONS_PAGE_SIZE,
                         page_variables (LOCATIONS_PAGE_SIZE, NULL, NULL, NULL), &local_error);
  if (data != NULL && locations != NULL)
    {
      JsonObject *object = omni_json_object (json_node_get_object (data), "shop");
      JsonArray *nodes = omni_json_array (omni_json_object (json_node_get_object (locations), "locations"),
                                    "nodes");

      result->name = g_strdup (omni_json_string (object, "name"));
      result->currency = g_strdup (omni_json_string (object, "currencyCode"));
      result->domain = g_strdup (omni_json_string (object, "myshopifyDomain"));
      result->locations = g_ptr_array_new_with_free_func (g_free);
      result->location_ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
        {
          JsonObject *node = json_array_get_object_element (nodes, i);

          if (omni_json_string (node, "id") == NULL || omni_json_string (node, "name") == NULL)
            continue;
          g_ptr_array_add (result->locations, g_strdup (omni_json_string (node, "name")));
          g_ptr_array_add (result->location_ids, g_strdup (omni_json_string (node, "id")));
        }
    }

  redact_error (&run, local_error);
  if (run.credential != NULL)
    memset (run.credential, 0, strlen (run.credential));
  g_clear_pointer (&run.credential, g_free);
  run_clear (&run);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&result);
}

/**
 * omni_shopify_add_channel:
 * @name: (nullable): what to call it; %NULL: the shop domain
 * @shop: NAME.myshopify.com
 * @api_url: (nullable): base URL override
 * @client_id: (nullable): a Dev Dashboard app's client ID (then @credential
 *   is its client secret), or %NULL for an Admin API access token
 *
 * Keeps @credential in the keyring and adds the channel, or neither: a shop
 * already connected is a conflict, a missing keyring refuses the whole.
 *
 * Returns: the channel id, or 0 with @error set
 */
gint64
omni_shopify_add_channel (OmniStore   *store,
                          const char  *name,
                          const char  *shop,
                          const char  *api_url,
                          const char  *client_id,
                          const char  *credential,
                          GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *label = NULL;
  gint64 id;

  if (omni_store_find_channel (store, shop, NULL) > 0 ||
      (name != NULL && omni_store_find_channel (store, name, NULL) > 0))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "A channel for %s already exists; remove it first to connect again",
                   name ? name : shop);
      return 0;
    }

  label = g_strdup_printf ("OmniStock: Shopify %s", shop);
  if (!omni_secret_store ("shopify", shop, label, credential, NULL, error))
    return 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "auth");
  json_builder_add_string_value (builder, client_id ? "client_credentials" : "token");
  if (client_id != NULL)
    {
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, client_id);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  settings = json_generator_to_data (generator, NULL);

  id = omni_store_add_channel (store, "shopify", name, shop, api_url, error);
  if (id == 0 || !omni_store_set_channel_settings (store, id, settings, error))
    {
      if (id > 0)
        omni_store_remove_channel (store, id, NULL);
      omni_secret_clear ("shopify", shop, NULL, NULL);
      return 0;
    }
  return id;
}

/* GObject and the connector interface ----------------------------------- */

static void
omni_shopify_connector_finalize (GObject *object)
{
  OmniShopifyConnector *self = (OmniShopifyConnector *)object;

  g_free (self->db_path);
  g_free (self->transport_credential);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (omni_shopify_connector_parent_class)->finalize (object);
}

/* See omni-shopify-private.h. */
void
_omni_shopify_connector_set_transport (OmniShopifyConnector *self,
                                       OmniShopifyTransport  transport,
                                       gpointer              user_data,
                                       const char           *credential)
{
  g_return_if_fail (OMNI_IS_SHOPIFY_CONNECTOR (self));

  self->transport = transport;
  self->transport_data = user_data;
  g_free (self->transport_credential);
  self->transport_credential = g_strdup (credential);
}

static void
omni_shopify_connector_class_init (OmniShopifyConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_shopify_connector_finalize;
}

static void
omni_shopify_connector_init (OmniShopifyConnector *self)
{
  g_mutex_init (&self->lock);
  self->page_size = DEFAULT_PAGE_SIZE;
  self->lease_s = DEFAULT_LEASE_S;
  self->max_attempts = 5;
  self->base_ms = 500;
  self->timeout_s = 30;
  self->bulk_threshold = OMNI_SHOPIFY_DEFAULT_BULK_THRESHOLD;
  self->bulk_limits = (OmniShopifyBulkLimits) {
    .poll_first_ms = 1000, .poll_max_ms = 10000, .max_wait_s = 4 * 3600,
    .max_line = 1024 * 1024, .max_bytes = (guint64)4 << 30, .batch = 500, .timeout_s = 60,
  };
}

/**
 * omni_shopify_connector_new:
 * @db_path: the database; each run opens its own connection to it
 * @channel_id: a Shopify channel in that database
 */
OmniShopifyConnector *
omni_shopify_connector_new (const char *db_path,
                            gint64      channel_id)
{
  OmniShopifyConnector *self = g_object_new (OMNI_TYPE_SHOPIFY_CONNECTOR, NULL);

  self->db_path = g_strdup (db_path);
  self->channel_id = channel_id;
  return self;
}

void
omni_shopify_connector_set_first_sync (OmniShopifyConnector *self,
                                       OmniShopifyFirstSync  first)
{
  self->first = first;
}

/**
 * omni_shopify_connector_set_page_size:
 *
 * Variants and levels per page (at most 250, the most Shopify serves, which
 * keeps each query under the 1,000-point limit).
 */
void
omni_shopify_connector_set_page_size (OmniShopifyConnector *self,
                                      guint                 page_size)
{
  self->page_size = CLAMP (page_size, 1, 250);
}

/**
 * omni_shopify_connector_set_lease:
 *
 * How long a sent-but-unacknowledged push waits before it is presumed lost
 * in a crash and sent again (with the same idempotency key).
 */
void
omni_shopify_connector_set_lease (OmniShopifyConnector *self,
                                  guint                 seconds)
{
  self->lease_s = seconds;
}

void
omni_shopify_connector_set_retry (OmniShopifyConnector *self,
                                  guint                 max_attempts,
                                  guint                 base_ms)
{
  self->max_attempts = MAX (max_attempts, 1);
  self->base_ms = MAX (base_ms, 1);
}

/* Seconds without progress on a request before it fails and is retried. */
void
omni_shopify_connector_set_timeout (OmniShopifyConnector *self,
                                    guint                 seconds)
{
  self->timeout_s = MAX (seconds, 1);
}

/**
 * omni_shopify_connector_set_bulk_threshold:
 * @variants: 0 never chooses a bulk operation by size
 *
 * A first pull (no variants cursor yet) of a shop with more variants than
 * this reads them through a bulk operation instead of cursor pages.
 */
void
omni_shopify_connector_set_bulk_threshold (OmniShopifyConnector *self,
                                           guint                 variants)
{
  self->bulk_threshold = variants;
}

/* Every pull reads all variants through a bulk operation (`sync --bulk`). */
void
omni_shopify_connector_set_force_bulk (OmniShopifyConnector *self,
                                       gboolean              force)
{
  self->force_bulk = force;
}

/* See omni-shopify-private.h. */
void
_omni_shopify_connector_set_bulk_limits (OmniShopifyConnector        *self,
                                         const OmniShopifyBulkLimits *limits)
{
  g_return_if_fail (OMNI_IS_SHOPIFY_CONNECTOR (self));

  self->bulk_limits = *limits;
  self->bulk_limits.batch = MAX (limits->batch, 1);
  self->bulk_limits.poll_first_ms = MAX (limits->poll_first_ms, 1);
  self->bulk_limits.poll_max_ms = MAX (limits->poll_max_ms, self->bulk_limits.poll_first_ms);
  self->bulk_limits.timeout_s = MAX (limits->timeout_s, 1);
}

void
omni_shopify_connector_get_stats (OmniShopifyConnector *self,
                                  OmniShopifyStats     *stats)
{
  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

static const char *
omni_shopify_connector_get_platform (OmniConnector *connector)
{
  return "shopify";
}

static gboolean
connector_pull (OmniConnector  *connector,
                GCancellable   *cancellable,
                GError        **error)
{
  return omni_shopify_connector_pull (OMNI_SHOPIFY_CONNECTOR (connector), cancellable, error);
}

static gboolean
connector_push (OmniConnector  *connector,
                GCancellable   *cancellable,
                GError        **error)
{
  return omni_shopify_connector_push (OMNI_SHOPIFY_CONNECTOR (connector), cancellable, error);
}

static void
connector_get_stats (OmniConnector *connector,
                     OmniSyncStats *stats)
{
  omni_shopify_connector_get_stats (OMNI_SHOPIFY_CONNECTOR (connector), stats);
}

static void
omni_shopify_connector_iface_init (OmniConnectorInterface *iface)
{
  iface->get_platform = omni_shopify_connector_get_platform;
  iface->pull = connector_pull;
  iface->push = connector_push;
  iface->get_stats = connector_get_stats;
}
