/* omni-ebay-connector.c: the eBay Sell API connector
 *
 * A pull or push runs on a worker thread (GTask) with its own database
 * connection and HTTP session, synchronously, so the main loop never waits.
 *
 * Authentication is eBay's OAuth refresh-token grant: the keyring holds one
 * JSON object {client_id, client_secret, refresh_token}; the access token it
 * yields (two hours) lives only in this object's memory, is renewed shortly
 * before it expires, and once more when eBay answers 401. A refused refresh
 * stops the channel ("auth_failed") until the merchant re-authenticates.
 *
 * Pull: inventory items (limit/offset pages, following `next`) are linked by
 * SKU — the SKU is the link's remote inventory id — and their ship-to-home
 * quantity becomes the remote level of the channel's one location,
 * "DEFAULT"; the offers of newly linked SKUs are read once so a push can
 * revise them; orders from the Fulfillment API modified since the cursor
 * become `sold` movements, exactly once per order, and cancelled ones are
 * reversed.
 *
 * Push: due outbox entries go out 25 at a time through
 * bulkUpdatePriceQuantity. eBay answers per SKU, so a partial failure
 * acknowledges what succeeded and retries only what failed; a refusal that a
 * retry cannot fix fails its entry with eBay's own message. Setting an
 * absolute quantity is idempotent, so an entry resent after a crash leaves
 * the listing as one send would. The outbox coalesces pending changes of a
 * variant into one entry whose quantity is read when it is claimed, which
 * keeps a listing well inside eBay's daily revision allowance.
 *
 * 429 and 5xx are retried with backoff by OmniHttp (Retry-After honoured);
 * an eBay "too many requests" error (2001) in any other answer backs off the
 * same way here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <string.h>

#include "omni-ebay.h"
#include "omni-ebay-private.h"
#include "omni-http.h"
#include "omni-json.h"
#include "omni-money.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"
#include "omni-text.h"

#define DEFAULT_PAGE_SIZE      100
#define MAX_PAGE_SIZE          200
#define ORDERS_PAGE_SIZE       50
#define MAX_PAGES              10000
#define DEFAULT_LEASE_S        300
#define PUSH_ROUNDS            40
#define MAX_OFFERS             OMNI_EBAY_MAX_BULK
#define MAX_BODY               (16 * 1024 * 1024)
#define MAX_CREDENTIALS        (16 * 1024)
#define MAX_CREDENTIAL_FIELD   4096
#define MAX_TOO_MANY_RETRIES   5
#define TOKEN_MARGIN_US        ((gint64)300 * G_USEC_PER_SEC)
#define EBAY_TOO_MANY_REQUESTS 2001

static const char * const scopes =
  "https://api.ebay.com/oauth/api_scope/sell.inventory "
  "https://api.ebay.com/oauth/api_scope/sell.fulfillment";

struct _OmniEbayConnector
{
  GObject        parent_instance;

  char          *db_path;
  gint64         channel_id;
  guint          page_size;
  guint          lease_s;
  guint          max_attempts;
  guint          base_ms;
  gint64         clock_offset_us;

  GMutex         lock;
  OmniSyncStats  stats;
  char          *token;              /* memory only */
  gint64         token_expires_us;   /* monotonic */
  gint64         token_margin_us;

  OmniEbayTransport transport;       /* tests: answers instead of OmniHttp */
  gpointer       transport_data;
  char          *transport_credentials;
};

static void omni_ebay_connector_iface_init (OmniConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmniEbayConnector, omni_ebay_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OMNI_TYPE_CONNECTOR,
                                                      omni_ebay_connector_iface_init))

/* One pull, push or connection test, on one thread. */
typedef struct
{
  OmniEbayConnector   *self;             /* NULL for a connection test */
  OmniStore           *store;
  OmniHttp            *http;
  OmniChannel         *channel;
  GCancellable        *cancellable;
  char                *base;
  char                *marketplace;
  char                *secret;           /* keyring memory */
  OmniEbayCredentials *credentials;
  char                *token;
  gint64               token_expires_us;
  gint64               token_margin_us;
  gint64               location;         /* local location of DEFAULT */
  const char          *direction;
  const char          *operation;
  OmniSyncStats        stats;
} Run;

/* Marketplaces the wizard and the CLI accept. */
static const char * const marketplaces[] = {
  "EBAY_US", "EBAY_GB", "EBAY_DE", "EBAY_AU", "EBAY_CA", "EBAY_FR", "EBAY_IT",
  "EBAY_ES", "EBAY_AT", "EBAY_BE", "EBAY_CH", "EBAY_IE", "EBAY_NL", "EBAY_PL",
  "EBAY_HK", "EBAY_SG", "EBAY_MOTORS_US", NULL
};

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
  scrub (text, run->secret);
  if (run->credentials != NULL)
    {
      scrub (text, run->credentials->client_secret);
      scrub (text, run->credentials->refresh_token);
    }
}

static void
redact_error (Run     *run,
              GError  *error)
{
  if (error != NULL)
    scrub_all (run, error->message);
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
    .http_status = (int)http_status, .duration_ms = duration_ms,
  };

  scrub_all (run, clean);
  entry.message = clean;
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
  if (attempt->status == 429)
    {
      run->stats.throttled++;
      if (attempt->retry_in_ms > 0)
        run->stats.throttle_wait_ms += attempt->retry_in_ms;
    }
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

static JsonObject *
response_object (OmniHttpResponse *response)
{
  if (response == NULL || response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  return json_node_get_object (response->json);
}

/* eBay's error list: the first error's long message, else its message. */
static char *
error_text (JsonArray *errors)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors) && i < 3; i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *e = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *message = omni_json_string (e, "longMessage");
      gint64 id = 0;

      if (message == NULL)
        message = omni_json_string (e, "message");
      if (message == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      if (omni_json_int (e, "errorId", &id))
        g_string_append_printf (text, "%s (error %" G_GINT64_FORMAT ")", message, id);
      else
        g_string_append (text, message);
    }
  if (text->len > 1024)
    g_string_truncate (text, 1024);
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static gboolean
has_error_id (JsonArray *errors,
              gint64     wanted)
{
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      gint64 id = 0;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          omni_json_int (json_node_get_object (node), "errorId", &id) && id == wanted)
        return TRUE;
    }
  return FALSE;
}

static gint64
now_us (Run *run)
{
  return g_get_real_time () + (run->self ? run->self->clock_offset_us : 0);
}

/**
 * omni_ebay_base_url:
 * @api_url: (nullable): a base URL replacing the production one (the
 *   sandbox, tests)
 *
 * Returns: (transfer full): the API root without a trailing slash
 */
char *
omni_ebay_base_url (const char *api_url)
{
  g_autofree char *base = g_strdup (api_url != NULL && *api_url != '\0'
                                    ? api_url : OMNI_EBAY_PRODUCTION_URL);

  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_steal_pointer (&base);
}

/**
 * omni_ebay_marketplaces:
 *
 * Returns: (transfer none) (array zero-terminated=1): the marketplace ids
 *   OmniStock accepts, most used first
 */
const char * const *
omni_ebay_marketplaces (void)
{
  return marketplaces;
}

gboolean
omni_ebay_check_marketplace (const char  *marketplace,
                             GError     **error)
{
  if (marketplace != NULL && g_strv_contains (marketplaces, marketplace))
    return TRUE;
  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
               "“%s” is not an eBay marketplace OmniStock knows (for example EBAY_GB or EBAY_US)",
               marketplace ? marketplace : "");
  return FALSE;
}

/* Credentials ------------------------------------------------------------ */

void
omni_ebay_credentials_free (OmniEbayCredentials *credentials)
{
  if (credentials == NULL)
    return;
  omni_secret_free (credentials->client_id);
  omni_secret_free (credentials->client_secret);
  omni_secret_free (credentials->refresh_token);
  g_free (credentials);
}

static char *
credential_field (JsonObject  *object,
                  const char  *member,
                  GError     **error)
{
  const char *value = omni_json_string (object, member);
  gsize len;

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "The eBay credentials have no “%s”", member);
      return NULL;
    }
  len = strlen (value);
  if (len > MAX_CREDENTIAL_FIELD)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "The eBay credentials’ “%s” is too long", member);
      return NULL;
    }
  for (gsize i = 0; i < len; i++)
    if (g_ascii_iscntrl (value[i]) || value[i] == ' ')
      {
        g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                     "The eBay credentials’ “%s” contains spaces or control characters", member);
        return NULL;
      }
  return g_strdup (value);
}

/**
 * omni_ebay_credentials_parse:
 * @json: `{"client_id": …, "client_secret": …, "refresh_token": …}`
 *
 * Returns: (transfer full): the credentials, or %NULL with @error set; the
 *   error never repeats a credential
 */
OmniEbayCredentials *
omni_ebay_credentials_parse (const char  *json,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(OmniEbayCredentials) credentials = g_new0 (OmniEbayCredentials, 1);
  JsonObject *object;
  gsize len = json ? strlen (json) : 0;

  if (len == 0 || len > MAX_CREDENTIALS)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   len == 0 ? "No eBay credentials were given"
                            : "The eBay credentials are too long to be real");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, (gssize)len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "The eBay credentials are not a JSON object with client_id, "
                   "client_secret and refresh_token");
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if ((credentials->client_id = credential_field (object, "client_id", error)) == NULL ||
      (credentials->client_secret = credential_field (object, "client_secret", error)) == NULL ||
      (credentials->refresh_token = credential_field (object, "refresh_token", error)) == NULL)
    return NULL;
  return g_steal_pointer (&credentials);
}

char *
omni_ebay_credentials_to_json (const OmniEbayCredentials *credentials)
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

/* Run set-up ------------------------------------------------------------- */

static void
run_clear (Run *run)
{
  g_clear_object (&run->store);
  g_clear_object (&run->http);
  g_clear_pointer (&run->channel, omni_channel_free);
  g_clear_pointer (&run->base, g_free);
  g_clear_pointer (&run->marketplace, g_free);
  g_clear_pointer (&run->secret, omni_secret_free);
  g_clear_pointer (&run->credentials, omni_ebay_credentials_free);
  g_clear_pointer (&run->token, omni_secret_free);
}

static void
run_init_http (Run        *run,
               const char *api_url,
               guint       max_attempts,
               guint       base_ms)
{
  run->http = omni_http_new ();
  omni_http_set_limits (run->http, MAX_BODY, 60, max_attempts);
  omni_http_set_backoff (run->http, base_ms, 60 * 1000);
  omni_http_set_attempt_func (run->http, on_http_attempt, run);
  run->base = omni_ebay_base_url (api_url);
}

static void
set_channel_failed (Run         *run,
                    const char  *state,
                    GError      *error)
{
  if (run->store != NULL && run->channel != NULL)
    omni_store_set_channel_state (run->store, run->channel->id, state, error->message, NULL);
}

/* Every request goes through OmniHttp, or through a test's transport. */
static OmniHttpResponse *
send_request (Run                *run,
              const char         *method,
              const char         *url,
              const char * const *headers,
              const char         *content_type,
              GBytes             *body,
              GError            **error)
{
  if (run->self != NULL && run->self->transport != NULL)
    return run->self->transport (method, url, content_type, body, run->self->transport_data,
                                 error);
  return omni_http_request (run->http, method, url, headers, content_type, body,
                            run->cancellable, error);
}

/* OAuth ----------------------------------------------------------------- */

static gboolean
exchange_token (Run     *run,
                GError **error)
{
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *url = g_strconcat (run->base, "/identity/v1/oauth2/token", NULL);
  g_autofree char *token_arg = NULL;
  g_autofree char *scope_arg = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *operation = run->operation;
  const char *direction = run->direction;
  JsonObject *object;
  const char *token;
  gint64 expires_in = 0;
  gint64 started = g_get_monotonic_time ();
  char *form;

  pair = g_strconcat (run->credentials->client_id, ":", run->credentials->client_secret, NULL);
  basic = g_base64_encode ((const guchar *)pair, strlen (pair));
  authorization = g_strconcat ("Basic ", basic, NULL);
  memset (pair, 0, strlen (pair));
  token_arg = g_uri_escape_string (run->credentials->refresh_token, NULL, FALSE);
  scope_arg = g_uri_escape_string (scopes, NULL, FALSE);
  form = g_strconcat ("grant_type=refresh_token&refresh_token=", token_arg,
                      "&scope=", scope_arg, NULL);
  body = g_bytes_new_with_free_func (form, strlen (form), g_free, form);

  {
    const char *headers[] = { "Authorization", authorization, NULL };

    response = send_request (run, "POST", url, (const char * const *)headers,
                             "application/x-www-form-urlencoded", body, &local_error);
  }
  memset (authorization, 0, strlen (authorization));
  memset (basic, 0, strlen (basic));
  memset (token_arg, 0, strlen (token_arg));

  run->direction = "auth";
  run->operation = "token";
  if (response == NULL)
    {
      redact_error (run, local_error);
      log_sync (run, "error", 0, (g_get_monotonic_time () - started) / 1000, local_error->message);
      run->direction = direction;
      run->operation = operation;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  object = response_object (response);
  token = omni_json_string (object, "access_token");
  if (response->status != 200 || token == NULL || *token == '\0' ||
      strlen (token) > MAX_CREDENTIAL_FIELD)
    {
      g_autofree char *reason = g_strdup (omni_json_string (object, "error_description"));
      gboolean refused = response->status == 400 || response->status == 401;

      if (reason == NULL)
        reason = g_strdup (omni_json_string (object, "error"));
      if (reason != NULL && strlen (reason) > 512)
        reason[512] = '\0';
      scrub_all (run, reason);
      g_set_error (error, OMNI_SYNC_ERROR, refused ? OMNI_SYNC_ERROR_AUTH : OMNI_SYNC_ERROR_REMOTE,
                   refused ? "eBay refused the channel’s credentials (HTTP %u: %s); "
                             "connect the channel again with a new refresh token"
                           : "eBay’s sign-in service answered HTTP %u (%s)",
                   response->status, reason ? reason : "no reason given");
      log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000,
                (*error)->message);
      run->direction = direction;
      run->operation = operation;
      return FALSE;
    }

  if (!omni_json_int (object, "expires_in", &expires_in) || expires_in <= 0)
    expires_in = 7200;
  expires_in = MIN (expires_in, (gint64)24 * 3600);
  omni_secret_free (run->token);
  run->token = g_strdup (token);
  run->token_margin_us = MIN (TOKEN_MARGIN_US, expires_in * G_USEC_PER_SEC / 2);
  run->token_expires_us = g_get_monotonic_time () + expires_in * G_USEC_PER_SEC;
  run->stats.token_exchanges++;
  log_sync (run, "ok", 200, (g_get_monotonic_time () - started) / 1000,
            "Obtained an access token");
  run->direction = direction;
  run->operation = operation;
  return TRUE;
}

static gboolean
ensure_token (Run       *run,
              gboolean   force,
              GError   **error)
{
  if (!force && run->token != NULL &&
      g_get_monotonic_time () + run->token_margin_us < run->token_expires_us)
    return TRUE;
  return exchange_token (run, error);
}

/* One API call: bearer token, one refresh on 401, backoff on eBay's "too
 * many requests" when it comes with a status OmniHttp does not retry.
 * Returns the response whatever its status; %NULL with @error set when it
 * could not be had. */
static OmniHttpResponse *
api (Run          *run,
     const char   *method,
     const char   *path,
     JsonNode     *json_body,
     GError      **error)
{
  g_autofree char *url = g_strconcat (run->base, path, NULL);
  g_autoptr(GBytes) body = NULL;
  gboolean refreshed = FALSE;
  guint too_many = 0;

  if (json_body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize len = 0;
      char *text;

      json_generator_set_root (generator, json_body);
      text = json_generator_to_data (generator, &len);
      body = g_bytes_new_take (text, len);
    }

  for (;;)
    {
      g_autoptr(OmniHttpResponse) response = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *authorization = NULL;
      gint64 started = g_get_monotonic_time ();
      JsonArray *errors;

      if (!ensure_token (run, FALSE, error))
        return NULL;
      authorization = g_strconcat ("Bearer ", run->token, NULL);
      {
        const char *headers[] = {
          "Authorization", authorization,
          "X-EBAY-C-MARKETPLACE-ID", run->marketplace ? run->marketplace : "EBAY_US",
          NULL
        };

        response = send_request (run, method, url, (const char * const *)headers,
                                 body ? "application/json" : NULL, body, &local_error);
      }
      memset (authorization, 0, strlen (authorization));

      if (response == NULL)
        {
          redact_error (run, local_error);
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            log_sync (run, "error", 0, (g_get_monotonic_time () - started) / 1000,
                      local_error->message);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      if (response->status == 401 && !refreshed)
        {
          /* Revoked or expired early: one new token, then the same call. */
          refreshed = TRUE;
          log_sync (run, "retry", 401, (g_get_monotonic_time () - started) / 1000,
                    "eBay refused the access token; getting a new one");
          if (!ensure_token (run, TRUE, error))
            return NULL;
          continue;
        }
      if (response->status == 401)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                       "eBay refused a fresh access token for %s; connect the channel again",
                       path);
          log_sync (run, "error", 401, (g_get_monotonic_time () - started) / 1000,
                    (*error)->message);
          return NULL;
        }

      errors = omni_json_array (response_object (response), "errors");
      if (response->status >= 400 && has_error_id (errors, EBAY_TOO_MANY_REQUESTS))
        {
          gint64 wait_ms = omni_http_backoff_ms (run->http, ++too_many);

          run->stats.throttled++;
          if (too_many > MAX_TOO_MANY_RETRIES)
            {
              g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_THROTTLED,
                           "eBay kept answering “too many requests” for %s; "
                           "it will be retried later", path);
              log_sync (run, "error", response->status, 0, (*error)->message);
              return NULL;
            }
          run->stats.throttle_wait_ms += wait_ms;
          log_sync (run, "retry", response->status, (g_get_monotonic_time () - started) / 1000,
                    "eBay asked to slow down (too many requests); waiting");
          if (!omni_http_sleep (wait_ms, run->cancellable, error))
            return NULL;
          continue;
        }

      return g_steal_pointer (&response);
    }
}

static gboolean
expect_ok (Run               *run,
           OmniHttpResponse  *response,
           const char        *what,
           GError           **error)
{
  g_autofree char *text = NULL;

  if (response->status >= 200 && response->status < 300 && response_object (response) != NULL)
    return TRUE;
  text = error_text (omni_json_array (response_object (response), "errors"));
  scrub_all (run, text);
  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
               "eBay answered HTTP %u to %s: %s", response->status, what,
               text ? text : "no explanation given");
  log_sync (run, "error", response->status, 0, (*error)->message);
  return FALSE;
}

/* The path and query of a `next` link, which eBay gives as an absolute URL
 * on its own host: requests always go to the configured base. */
static char *
next_path (const char *next,
           const char *expected_prefix)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;

  if (next == NULL || *next == '\0' || strlen (next) > 4096)
    return NULL;
  if (next[0] == '/')
    path = g_strdup (next);
  else if ((uri = g_uri_parse (next, G_URI_FLAGS_ENCODED, NULL)) != NULL)
    path = g_uri_get_query (uri) != NULL
           ? g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL)
           : g_strdup (g_uri_get_path (uri));
  if (path == NULL || !g_str_has_prefix (path, expected_prefix))
    return NULL;
  return g_steal_pointer (&path);
}

/* Opening a run ---------------------------------------------------------- */

static gboolean
run_open (Run                *run,
          OmniEbayConnector  *self,
          GCancellable       *cancellable,
          GError            **error)
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
  if (g_strcmp0 (run->channel->platform, "ebay") != 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "Channel %s is not an eBay channel", run->channel->name);
      return FALSE;
    }
  if (g_strcmp0 (run->channel->state, "auth_failed") == 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                   "Channel %s is stopped because eBay refused its credentials; "
                   "connect it again first", run->channel->name);
      return FALSE;
    }
  if (run->channel->paused || g_strcmp0 (run->channel->state, "paused") == 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "Channel %s is paused", run->channel->name);
      return FALSE;
    }

  if (run->channel->settings != NULL &&
      json_parser_load_from_data (parser, run->channel->settings, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    settings = json_node_get_object (json_parser_get_root (parser));
  run->marketplace = g_strdup (omni_json_string (settings, "marketplace"));
  if (!omni_ebay_check_marketplace (run->marketplace, error))
    return FALSE;

  if (self->transport != NULL)
    run->secret = g_strdup (self->transport_credentials);
  else
    run->secret = omni_secret_lookup ("ebay", run->channel->account, cancellable, error);
  if (run->secret == NULL)
    return FALSE;
  run->credentials = omni_ebay_credentials_parse (run->secret, error);
  if (run->credentials == NULL)
    {
      (*error)->code = OMNI_SYNC_ERROR_AUTH;
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  run->token = g_strdup (self->token);
  run->token_expires_us = self->token_expires_us;
  run->token_margin_us = self->token_margin_us;
  g_mutex_unlock (&self->lock);

  run->location = omni_store_channel_local_location (run->store, run->channel->id,
                                                     OMNI_EBAY_LOCATION);
  run_init_http (run, run->channel->api_url, self->max_attempts, self->base_ms);
  return TRUE;
}

static void
run_finish (Run     *run,
            GError  *error)
{
  OmniEbayConnector *self = run->self;

  if (run->store != NULL && run->channel != NULL)
    {
      if (error == NULL)
        omni_store_mark_channel_synced (run->store, run->channel->id, NULL);
      else if (g_error_matches (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH))
        {
          /* Keep the sentence that stopped it, not the refusal to run. */
          if (g_strcmp0 (run->channel->state, "auth_failed") != 0)
            set_channel_failed (run, "auth_failed", error);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_channel_failed (run, "error", error);
    }

  g_mutex_lock (&self->lock);
  self->stats = run->stats;
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (run->token);
  self->token_expires_us = run->token_expires_us;
  self->token_margin_us = run->token_margin_us;
  g_mutex_unlock (&self->lock);
}

/* Pull ------------------------------------------------------------------- */

typedef struct
{
  gint64 variant_id;
  gint64 quantity;
} Level;

static gboolean
apply_item (Run         *run,
            JsonObject  *item,
            GPtrArray   *need_offers,
            GArray      *levels,
            GError     **error)
{
  const char *sku = omni_json_string (item, "sku");
  JsonObject *ship = omni_json_object (omni_json_object (item, "availability"), "shipToLocationAvailability");
  JsonArray *eans = omni_json_array (omni_json_object (item, "product"), "ean");
  JsonArray *upcs = omni_json_array (omni_json_object (item, "product"), "upc");
  const char *barcode = NULL;
  const char *by = "sku";
  gint64 quantity = 0;
  gint64 variant;

  if (sku == NULL || !omni_text_check (sku, "SKU", OMNI_TEXT_MAX_LINE, TRUE, NULL))
    return TRUE;
  run->stats.variants++;

  if (eans != NULL && json_array_get_length (eans) > 0 &&
      json_node_get_value_type (json_array_get_element (eans, 0)) == G_TYPE_STRING)
    barcode = json_array_get_string_element (eans, 0);
  else if (upcs != NULL && json_array_get_length (upcs) > 0 &&
           json_node_get_value_type (json_array_get_element (upcs, 0)) == G_TYPE_STRING)
    barcode = json_array_get_string_element (upcs, 0);

  variant = omni_store_find_linked_variant (run->store, run->channel->id, sku);
  if (variant == 0)
    {
      OmniChannelLinkSpec link = {
        .channel_id = run->channel->id, .remote_variant_id = sku,
        .remote_inventory_id = sku, .remote_sku = sku,
      };
      g_autoptr(GError) link_error = NULL;

      variant = omni_store_match_variant (run->store, sku, barcode, &by);
      if (variant == 0)
        {
          /* Listed for the merchant to link, import or ignore. No remote
           * product: once linked, the next pull fetches the offers. */
          OmniRemoteVariantSpec remote = {
            .channel_id = run->channel->id, .remote_variant_id = sku,
            .remote_inventory_id = sku, .sku = sku, .barcode = barcode,
            .product_title = omni_json_string (omni_json_object (item, "product"), "title"),
            .price = -1,
          };
          g_autoptr(GError) record_error = NULL;

          run->stats.unmatched++;
          if (!omni_store_record_remote_variant (run->store, &remote, &record_error))
            {
              g_autofree char *note = g_strdup_printf ("SKU %s was not listed as unmatched: %s",
                                                       sku, record_error->message);
              log_sync (run, "error", 0, 0, note);
            }
          return TRUE;
        }
      link.variant_id = variant;
      link.linked_by = by;
      if (!omni_store_link_variant (run->store, &link, &link_error))
        {
          g_autofree char *note = g_strdup_printf ("SKU %s was not linked: %s",
                                                   sku, link_error->message);
          run->stats.unmatched++;
          log_sync (run, "error", 0, 0, note);
          return TRUE;
        }
      run->stats.linked++;
      g_ptr_array_add (need_offers, g_strdup (sku));
    }
  else
    {
      g_autofree char *offers = omni_store_get_link_remote_product (run->store, run->channel->id,
                                                                    variant);
      if (offers == NULL)
        g_ptr_array_add (need_offers, g_strdup (sku));
    }

  if (ship == NULL || !omni_json_int (ship, "quantity", &quantity))
    return TRUE;
  {
    Level level = { .variant_id = variant, .quantity = MAX (quantity, 0) };

    g_array_append_val (levels, level);
  }
  return TRUE;
}

/* Applied after the orders, so a sale eBay already counted is in the local
 * quantity before the two are compared. */
static gboolean
apply_levels (Run      *run,
              GArray   *levels,
              GError  **error)
{
  for (guint start = 0; start < levels->len; start += 500)
    {
      if (!omni_store_begin (run->store, error))
        return FALSE;
      for (guint i = start; i < levels->len && i < start + 500; i++)
        {
          Level *level = &g_array_index (levels, Level, i);

          run->stats.levels++;
          if (!omni_store_set_remote_level (run->store, run->channel->id, level->variant_id,
                                            OMNI_EBAY_LOCATION, level->quantity, error))
            goto fail;
          if (run->location <= 0)
            continue;
          /* The store is the truth: a listing that shows another quantity
           * than ours gets a push (coalesced with any pending one; the claim
           * drops it when the quantity to publish already matches). */
          if (level->quantity != MAX (omni_store_get_available_at (run->store, level->variant_id,
                                                                   run->location), 0) &&
              omni_store_enqueue_push (run->store, run->channel->id, level->variant_id,
                                       run->location, error) == 0)
            goto fail;
        }
      if (!omni_store_commit (run->store, error))
        return FALSE;
    }
  return TRUE;

fail:
  omni_store_rollback (run->store);
  return FALSE;
}

static gboolean
pull_items (Run        *run,
            GPtrArray  *need_offers,
            GArray     *levels,
            GError    **error)
{
  g_autofree char *path = g_strdup_printf ("/sell/inventory/v1/inventory_item?limit=%u&offset=0",
                                           run->self->page_size);

  run->operation = "inventory_item";
  for (guint page = 0; path != NULL && page < MAX_PAGES; page++)
    {
      g_autoptr(OmniHttpResponse) response = api (run, "GET", path, NULL, error);
      JsonObject *root;
      JsonArray *items;
      guint n;

      if (response == NULL || !expect_ok (run, response, "the inventory item list", error))
        return FALSE;
      root = response_object (response);
      items = omni_json_array (root, "inventoryItems");
      n = items ? json_array_get_length (items) : 0;

      if (!omni_store_begin (run->store, error))
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (items, i);

          if (JSON_NODE_HOLDS_OBJECT (node) &&
              !apply_item (run, json_node_get_object (node), need_offers, levels, error))
            {
              omni_store_rollback (run->store);
              return FALSE;
            }
        }
      if (!omni_store_commit (run->store, error))
        return FALSE;

      {
        char *next = n > 0 ? next_path (omni_json_string (root, "next"),
                                        "/sell/inventory/v1/inventory_item?") : NULL;

        /* A `next` that points back at this page would never end. */
        if (g_strcmp0 (next, path) == 0)
          g_clear_pointer (&next, g_free);
        g_free (path);
        path = next;
      }
    }
  return TRUE;
}

/* Reads the offers of one SKU and keeps their ids with its link, so pushes
 * can revise the listings too. "" means: looked, none. */
static gboolean
pull_offers (Run         *run,
             const char  *sku,
             GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (sku, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/sell/inventory/v1/offer?sku=%s&limit=%u",
                                           escaped, (guint)MAX_OFFERS);
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GError) link_error = NULL;
  JsonArray *offers;
  gint64 variant = omni_store_find_linked_variant (run->store, run->channel->id, sku);
  guint count = 0;

  if (variant == 0)
    return TRUE;
  run->operation = "offer";
  response = api (run, "GET", path, NULL, error);
  if (response == NULL)
    return FALSE;
  if (response->status != 404 && !expect_ok (run, response, "the offer list", error))
    return FALSE;

  offers = omni_json_array (response_object (response), "offers");
  for (guint i = 0; offers != NULL && i < json_array_get_length (offers) && count < MAX_OFFERS; i++)
    {
      JsonNode *node = json_array_get_element (offers, i);
      JsonObject *offer = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = omni_json_string (offer, "offerId");
      const char *market = omni_json_string (offer, "marketplaceId");

      if (id == NULL || *id == '\0' || strchr (id, ',') != NULL ||
          g_strcmp0 (omni_json_string (offer, "sku"), sku) != 0 ||
          (market != NULL && g_strcmp0 (market, run->marketplace) != 0))
        continue;
      if (ids->len + strlen (id) + 1 > OMNI_TEXT_MAX_LINE)
        break;
      if (ids->len > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, id);
      count++;
    }

  {
    OmniChannelLinkSpec link = {
      .channel_id = run->channel->id, .variant_id = variant, .remote_product_id = ids->str,
      .remote_variant_id = sku, .remote_inventory_id = sku, .remote_sku = sku,
    };

    if (!omni_store_link_variant (run->store, &link, &link_error))
      {
        g_autofree char *note = g_strdup_printf ("The offers of SKU %s were not kept: %s",
                                                 sku, link_error->message);
        log_sync (run, "error", 0, 0, note);
      }
  }
  return TRUE;
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

static gboolean
record_order (Run         *run,
              JsonObject  *order,
              gint64       location,
              GError     **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (OmniOrderLineSpec));
  JsonArray *items = omni_json_array (order, "lineItems");
  const char *id = omni_json_string (order, "orderId");
  const char *state = omni_json_string (omni_json_object (order, "cancelStatus"), "cancelState");
  const char *currency = NULL;
  OmniOrderSpec spec = { 0 };

  if (id == NULL || !omni_text_check (id, "Order id", OMNI_TEXT_MAX_LINE, TRUE, NULL))
    return TRUE;

  if (g_strcmp0 (state, "CANCELED") == 0)
    {
      gboolean reversed = FALSE;

      if (!omni_store_cancel_channel_order (run->store, run->channel->id, id, &reversed, error))
        return FALSE;
      if (reversed)
        run->stats.cancelled++;
      return TRUE;
    }

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *cost = omni_json_object (item, "lineItemCost");
      const char *sku = omni_json_string (item, "sku");
      OmniOrderLineSpec line = { 0 };
      OmniMoney total = 0;

      if (!omni_json_int (item, "quantity", &line.quantity) || line.quantity <= 0 ||
          line.quantity > 1000000)
        continue;
      if (sku != NULL && !omni_text_check (sku, "SKU", OMNI_TEXT_MAX_LINE, TRUE, NULL))
        sku = NULL;
      line.variant_id = sku ? omni_store_find_linked_variant (run->store, run->channel->id, sku)
                            : 0;
      line.sku = sku;
      line.title = omni_json_string (item, "title");
      if (line.title != NULL && strlen (line.title) > OMNI_TEXT_MAX_LINE)
        line.title = NULL;
      if (currency == NULL)
        currency = omni_json_string (cost, "currency");
      /* lineItemCost is the line's total: quantity × unit price. */
      if (omni_json_string (cost, "value") != NULL &&
          omni_money_parse (omni_json_string (cost, "value"), omni_json_string (cost, "currency"), &total, NULL))
        line.price = total / line.quantity;
      g_array_append_val (lines, line);
    }
  if (lines->len == 0)
    return TRUE;
  if (currency != NULL && (strlen (currency) != 3))
    currency = NULL;

  spec.channel_id = run->channel->id;
  spec.remote_id = id;
  spec.name = id;
  spec.currency = currency;
  spec.placed_us = parse_time_us (omni_json_string (order, "creationDate"));
  spec.location_id = location;
  spec.lines = (const OmniOrderLineSpec *)(void *)lines->data;
  spec.n_lines = lines->len;
  spec.actor = run->channel->name;

  if (omni_store_record_order (run->store, &spec, error) == 0)
    return FALSE;
  run->stats.orders++;
  return TRUE;
}

static char *
format_cursor (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int)(time_us % G_USEC_PER_SEC / 1000));
}

static gboolean
pull_orders (Run     *run,
             GError **error)
{
  g_autofree char *cursor = omni_store_get_sync_cursor (run->store, run->channel->id, "orders");
  g_autofree char *filter = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  gint64 newest = 0;
  gint64 location = omni_store_channel_order_location (run->store, run->channel->id);

  if (cursor == NULL || parse_time_us (cursor) == 0)
    {
      /* First sync: past orders are already in eBay's quantities; only
       * orders from now on become sold movements here. */
      g_autofree char *stamp = format_cursor (now_us (run));

      return omni_store_set_sync_cursor (run->store, run->channel->id, "orders", stamp, error);
    }

  filter = g_strdup_printf ("lastmodifieddate:[%s..]", cursor);
  escaped = g_uri_escape_string (filter, NULL, FALSE);
  path = g_strdup_printf ("/sell/fulfillment/v1/order?filter=%s&limit=%u&offset=0",
                          escaped, MIN (run->self->page_size, (guint)ORDERS_PAGE_SIZE));
  run->operation = "order";
  for (guint page = 0; path != NULL && page < MAX_PAGES; page++)
    {
      g_autoptr(OmniHttpResponse) response = api (run, "GET", path, NULL, error);
      JsonObject *root;
      JsonArray *orders;
      guint n;

      if (response == NULL || !expect_ok (run, response, "the order list", error))
        return FALSE;
      root = response_object (response);
      orders = omni_json_array (root, "orders");
      n = orders ? json_array_get_length (orders) : 0;
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (orders, i);
          JsonObject *order = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          gint64 modified;

          if (order == NULL)
            continue;
          if (!record_order (run, order, location, error))
            return FALSE;
          modified = parse_time_us (omni_json_string (order, "lastModifiedDate"));
          newest = MAX (newest, modified);
        }
      {
        char *next = n > 0 ? next_path (omni_json_string (root, "next"),
                                        "/sell/fulfillment/v1/order?") : NULL;

        if (g_strcmp0 (next, path) == 0)
          g_clear_pointer (&next, g_free);
        g_free (path);
        path = next;
      }
    }

  if (newest > parse_time_us (cursor))
    {
      g_autofree char *stamp = format_cursor (newest);

      return omni_store_set_sync_cursor (run->store, run->channel->id, "orders", stamp, error);
    }
  return TRUE;
}

/**
 * omni_ebay_connector_pull:
 *
 * Pulls inventory items (linking them by SKU, reading their quantity), the
 * offers of newly linked SKUs, and orders modified since the cursor (as sold
 * movements, exactly once), on the calling thread. Blocks: call it from a
 * worker, or use omni_connector_pull_async().
 */
gboolean
omni_ebay_connector_pull (OmniEbayConnector  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GPtrArray) need_offers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (Level));
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };

  g_return_val_if_fail (OMNI_IS_EBAY_CONNECTOR (self), FALSE);

  run.direction = "pull";
  if (run_open (&run, self, cancellable, &local_error) &&
      pull_items (&run, need_offers, levels, &local_error))
    {
      for (guint i = 0; i < need_offers->len && local_error == NULL; i++)
        pull_offers (&run, need_offers->pdata[i], &local_error);
      if (local_error == NULL && pull_orders (&run, &local_error) &&
          apply_levels (&run, levels, &local_error))
        {
          g_autofree char *summary = NULL;

          summary = g_strdup_printf ("Pulled %" G_GINT64_FORMAT " inventory items (%"
                                     G_GINT64_FORMAT " newly linked, %" G_GINT64_FORMAT
                                     " unmatched), %" G_GINT64_FORMAT " quantities, %"
                                     G_GINT64_FORMAT " orders, %" G_GINT64_FORMAT " cancelled",
                                     run.stats.variants, run.stats.linked, run.stats.unmatched,
                                     run.stats.levels, run.stats.orders, run.stats.cancelled);
          run.operation = "summary";
          log_sync (&run, "ok", 0, 0, summary);
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

/* Push ------------------------------------------------------------------- */

typedef struct
{
  OmniOutboxEntry *entry;
  const char      *sku;
  guint            worst;       /* highest statusCode eBay gave the SKU */
  gboolean         answered;
  gboolean         transient;
  char            *message;
} Pending;

static void
pending_clear (gpointer data)
{
  Pending *p = data;

  g_free (p->message);
}

/* Errors that may pass: eBay's system error, too many requests, and any
 * 5xx per-item status. */
static gboolean
is_transient (guint      status,
              JsonArray *errors)
{
  return status >= 500 || status == 429 || has_error_id (errors, EBAY_TOO_MANY_REQUESTS) ||
         has_error_id (errors, 25001);
}

static void
fail_all (Run          *run,
          GArray       *pending,
          const char   *message,
          gboolean      permanent)
{
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);

      run->stats.failed++;
      omni_store_fail_outbox (run->store, p->entry->id, message, permanent, now_us (run), NULL);
    }
}

/* Sends one claimed batch (at most 25 entries, one per SKU). Returns FALSE
 * only for what stops the run (authentication, cancellation, the network,
 * throttling that outlasted the retries); the batch is then put back for a
 * later retry or — when cancelled mid-request — left "sending" until its
 * lease runs out, exactly as a crash would leave it. */
static gboolean
push_batch (Run        *run,
            GPtrArray  *entries,
            GError    **error)
{
  g_autoptr(GArray) pending = g_array_sized_new (FALSE, TRUE, sizeof (Pending), entries->len);
  g_autoptr(GPtrArray) parsers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *responses;
  gint64 started = g_get_monotonic_time ();

  g_array_set_clear_func (pending, pending_clear);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      OmniOutboxEntry *entry = entries->pdata[i];
      JsonParser *parser = json_parser_new ();
      JsonObject *payload = NULL;
      g_autofree char *offers = NULL;
      g_auto(GStrv) offer_ids = NULL;
      const char *sku;
      gint64 quantity = 0;
      Pending p = { .entry = entry };

      g_ptr_array_add (parsers, parser);
      if (json_parser_load_from_data (parser, entry->payload, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        payload = json_node_get_object (json_parser_get_root (parser));
      sku = omni_json_string (payload, "inventory_item_id");
      if (sku == NULL || !omni_json_int (payload, "quantity", &quantity))
        {
          run->stats.failed++;
          if (!omni_store_fail_outbox (run->store, entry->id, "The entry has no usable request",
                                       TRUE, now_us (run), error))
            return FALSE;
          continue;
        }
      /* Never publish a negative quantity, whatever the rules computed. */
      quantity = MAX (quantity, 0);
      p.sku = sku;
      g_array_append_val (pending, p);

      offers = omni_store_get_link_remote_product (run->store, run->channel->id,
                                                   entry->variant_id);
      if (offers != NULL && *offers != '\0')
        offer_ids = g_strsplit (offers, ",", MAX_OFFERS);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sku");
      json_builder_add_string_value (builder, sku);
      json_builder_set_member_name (builder, "shipToLocationAvailability");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, quantity);
      json_builder_end_object (builder);
      if (offer_ids != NULL)
        {
          json_builder_set_member_name (builder, "offers");
          json_builder_begin_array (builder);
          for (guint o = 0; offer_ids[o] != NULL; o++)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "offerId");
              json_builder_add_string_value (builder, offer_ids[o]);
              json_builder_set_member_name (builder, "availableQuantity");
              json_builder_add_int_value (builder, quantity);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (pending->len == 0)
    return TRUE;
  body = json_builder_get_root (builder);

  run->operation = "bulk_update_price_quantity";
  response = api (run, "POST", "/sell/inventory/v1/bulk_update_price_quantity", body,
                  &local_error);
  if (response == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_all (run, pending, local_error->message, FALSE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (response->status != 200 && response->status != 207)
    {
      g_autofree char *text = error_text (omni_json_array (response_object (response), "errors"));
      g_autofree char *note = NULL;
      gboolean permanent = response->status >= 400 && response->status < 500;

      scrub_all (run, text);
      note = g_strdup_printf ("eBay refused the quantity update (HTTP %u): %s",
                              response->status, text ? text : "no explanation given");
      log_sync (run, "error", response->status, (g_get_monotonic_time () - started) / 1000, note);
      fail_all (run, pending, note, permanent);
      return TRUE;
    }

  /* One answer per offer, or per SKU without offers: a SKU succeeded when
   * every answer about it did. */
  responses = omni_json_array (response_object (response), "responses");
  for (guint r = 0; responses != NULL && r < json_array_get_length (responses); r++)
    {
      JsonNode *node = json_array_get_element (responses, r);
      JsonObject *answer = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *sku = omni_json_string (answer, "sku");
      JsonArray *errors = omni_json_array (answer, "errors");
      gint64 status = 0;

      if (sku == NULL || !omni_json_int (answer, "statusCode", &status))
        continue;
      for (guint i = 0; i < pending->len; i++)
        {
          Pending *p = &g_array_index (pending, Pending, i);

          if (g_strcmp0 (p->sku, sku) != 0)
            continue;
          p->answered = TRUE;
          if ((guint)status >= 300 && (guint)status >= p->worst)
            {
              g_free (p->message);
              p->message = error_text (errors);
              scrub_all (run, p->message);
              p->transient = is_transient ((guint)status, errors);
            }
          p->worst = MAX (p->worst, (guint)CLAMP (status, 0, 999));
        }
    }

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);

      if (p->answered && p->worst < 300)
        {
          run->stats.pushed++;
          if (!omni_store_ack_outbox (run->store, p->entry->id, error))
            return FALSE;
        }
      else
        {
          g_autofree char *note = NULL;

          if (!p->answered)
            note = g_strdup_printf ("eBay did not report on SKU %s; it will be sent again", p->sku);
          else
            note = g_strdup_printf ("eBay refused the quantity of SKU %s: %s", p->sku,
                                    p->message ? p->message : "no explanation given");
          run->stats.failed++;
          log_sync (run, "error", p->worst, 0, note);
          if (!omni_store_fail_outbox (run->store, p->entry->id, note,
                                       p->answered && !p->transient, now_us (run), error))
            return FALSE;
        }
    }
  {
    g_autofree char *note = g_strdup_printf ("Sent %u quantities", pending->len);

    log_sync (run, "ok", response->status, (g_get_monotonic_time () - started) / 1000, note);
  }
  return TRUE;
}

/**
 * omni_ebay_connector_push:
 *
 * Sends the channel's due outbox entries through bulkUpdatePriceQuantity,
 * 25 per call, on the calling thread. Blocks: call it from a worker, or use
 * omni_connector_push_async().
 */
gboolean
omni_ebay_connector_push (OmniEbayConnector  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };

  g_return_val_if_fail (OMNI_IS_EBAY_CONNECTOR (self), FALSE);

  run.direction = "push";
  if (run_open (&run, self, cancellable, &local_error))
    {
      for (guint round = 0; round < PUSH_ROUNDS && local_error == NULL; round++)
        {
          g_autoptr(GPtrArray) entries = NULL;

          entries = omni_store_claim_outbox (run.store, run.channel->id, OMNI_EBAY_MAX_BULK,
                                             now_us (&run),
                                             (gint64)self->lease_s * G_USEC_PER_SEC, &local_error);
          if (entries == NULL || entries->len == 0)
            break;
          push_batch (&run, entries, &local_error);
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

/* Connection test and channel creation ------------------------------------ */

void
omni_ebay_account_free (OmniEbayAccount *account)
{
  g_free (account);
}

/**
 * omni_ebay_check_connection:
 *
 * Obtains an access token with @credentials and reads the first inventory
 * item, on the calling thread (blocks: run it on a worker). Nothing is
 * stored.
 *
 * Returns: (transfer full): what eBay answered, or %NULL with @error set
 */
OmniEbayAccount *
omni_ebay_check_connection (const OmniEbayCredentials  *credentials,
                            const char                 *marketplace,
                            const char                 *api_url,
                            GCancellable               *cancellable,
                            GError                    **error)
{
  g_autoptr(OmniEbayAccount) account = g_new0 (OmniEbayAccount, 1);
  g_autoptr(OmniHttpResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };

  g_return_val_if_fail (credentials != NULL, NULL);

  if (!omni_ebay_check_marketplace (marketplace, error))
    return NULL;
  run.cancellable = cancellable;
  run.direction = "auth";
  run.marketplace = g_strdup (marketplace);
  run.credentials = g_new0 (OmniEbayCredentials, 1);
  run.credentials->client_id = g_strdup (credentials->client_id);
  run.credentials->client_secret = g_strdup (credentials->client_secret);
  run.credentials->refresh_token = g_strdup (credentials->refresh_token);
  run_init_http (&run, api_url, 2, 500);

  response = api (&run, "GET", "/sell/inventory/v1/inventory_item?limit=1&offset=0", NULL,
                  &local_error);
  if (response != NULL &&
      expect_ok (&run, response, "the inventory item list", &local_error))
    {
      if (!omni_json_int (response_object (response), "total", &account->inventory_items))
        account->inventory_items = 0;
      account->expires_in = (guint)((run.token_expires_us - g_get_monotonic_time ()) /
                                    G_USEC_PER_SEC);
    }
  redact_error (&run, local_error);
  run_clear (&run);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&account);
}

/**
 * omni_ebay_add_channel:
 * @name: what the merchant calls the channel; also the keyring account
 * @marketplace: e.g. "EBAY_GB"
 * @location_id: the local location whose stock eBay lists, or 0 for the
 *   default location
 * @api_url: (nullable): the sandbox's or a test server's base URL
 *
 * Keeps @credentials in the keyring and adds the channel with its one
 * remote location ("DEFAULT") mapped to @location_id. Nothing is kept when
 * any step fails.
 *
 * Returns: the channel id, or 0 with @error set
 */
gint64
omni_ebay_add_channel (OmniStore                  *store,
                       const char                 *name,
                       const char                 *marketplace,
                       gint64                      location_id,
                       const char                 *api_url,
                       const OmniEbayCredentials  *credentials,
                       GCancellable               *cancellable,
                       GError                    **error)
{
  g_autofree char *settings = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *label = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (store), 0);
  g_return_val_if_fail (credentials != NULL, 0);

  if (!omni_text_check (trimmed, "Channel name", OMNI_TEXT_MAX_LINE, TRUE, error) ||
      !omni_ebay_check_marketplace (marketplace, error))
    return 0;
  if (api_url != NULL && *api_url != '\0' &&
      !g_str_has_prefix (api_url, "https://") && !g_str_has_prefix (api_url, "http://127.0.0.1") &&
      !g_str_has_prefix (api_url, "http://localhost"))
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "The eBay API address must start with https://");
      return 0;
    }
  if (location_id <= 0)
    location_id = omni_store_get_default_location (store, NULL);
  if (location_id <= 0)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                   "There is no location whose stock eBay could list; add one first");
      return 0;
    }
  if (omni_store_find_channel (store, trimmed, NULL) > 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "A channel named “%s” already exists", trimmed);
      return 0;
    }
  if (!omni_secret_check_available (cancellable, error))
    return 0;

  secret = omni_ebay_credentials_to_json (credentials);
  label = g_strdup_printf ("OmniStock: eBay channel %s", trimmed);
  if (!omni_secret_store ("ebay", trimmed, label, secret, cancellable, error))
    {
      memset (secret, 0, strlen (secret));
      return 0;
    }
  memset (secret, 0, strlen (secret));

  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "marketplace");
    json_builder_add_string_value (builder, marketplace);
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    json_generator_set_root (generator, root);
    settings = json_generator_to_data (generator, NULL);
  }

  id = omni_store_add_channel (store, "ebay", trimmed, trimmed,
                               api_url && *api_url ? api_url : NULL, &local_error);
  if (id > 0 &&
      omni_store_set_channel_settings (store, id, settings, &local_error) &&
      omni_store_upsert_channel_location (store, id, OMNI_EBAY_LOCATION, "eBay", TRUE, TRUE,
                                          &local_error) &&
      omni_store_map_channel_location (store, id, OMNI_EBAY_LOCATION, location_id, &local_error))
    return id;

  if (id > 0)
    omni_store_remove_channel (store, id, NULL);
  omni_secret_clear ("ebay", trimmed, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return 0;
}

/* GObject ---------------------------------------------------------------- */

static void
omni_ebay_connector_finalize (GObject *object)
{
  OmniEbayConnector *self = OMNI_EBAY_CONNECTOR (object);

  g_free (self->db_path);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  if (self->transport_credentials != NULL)
    memset (self->transport_credentials, 0, strlen (self->transport_credentials));
  g_free (self->transport_credentials);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (omni_ebay_connector_parent_class)->finalize (object);
}

static void
omni_ebay_connector_class_init (OmniEbayConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_ebay_connector_finalize;
}

static void
omni_ebay_connector_init (OmniEbayConnector *self)
{
  g_mutex_init (&self->lock);
  self->page_size = DEFAULT_PAGE_SIZE;
  self->lease_s = DEFAULT_LEASE_S;
  self->max_attempts = 5;
  self->base_ms = 1000;
  self->token_margin_us = TOKEN_MARGIN_US;
}

/**
 * omni_ebay_connector_new:
 * @db_path: the database the connector opens its own store on
 * @channel_id: an eBay channel
 *
 * Returns: (transfer full): a new connector
 */
OmniEbayConnector *
omni_ebay_connector_new (const char *db_path,
                         gint64      channel_id)
{
  OmniEbayConnector *self = g_object_new (OMNI_TYPE_EBAY_CONNECTOR, NULL);

  self->db_path = g_strdup (db_path);
  self->channel_id = channel_id;
  return self;
}

/* Inventory items per page: 1 to 200 (eBay's documented range); orders
 * are read at most 50 a page. */
void
omni_ebay_connector_set_page_size (OmniEbayConnector *self,
                                   guint              page_size)
{
  g_return_if_fail (OMNI_IS_EBAY_CONNECTOR (self));
  self->page_size = CLAMP (page_size, 1, MAX_PAGE_SIZE);
}

void
omni_ebay_connector_set_lease (OmniEbayConnector *self,
                               guint              seconds)
{
  g_return_if_fail (OMNI_IS_EBAY_CONNECTOR (self));
  self->lease_s = seconds;
}

void
omni_ebay_connector_set_retry (OmniEbayConnector *self,
                               guint              max_attempts,
                               guint              base_ms)
{
  g_return_if_fail (OMNI_IS_EBAY_CONNECTOR (self));
  self->max_attempts = MAX (max_attempts, 1);
  self->base_ms = base_ms;
}

/* Moves the connector's idea of now (outbox claims and retry times) by
 * @offset_us: lets a test reach an entry's next attempt without waiting. */
void
omni_ebay_connector_set_clock (OmniEbayConnector *self,
                               gint64             offset_us)
{
  g_return_if_fail (OMNI_IS_EBAY_CONNECTOR (self));
  self->clock_offset_us = offset_us;
}

void
omni_ebay_connector_get_stats (OmniEbayConnector *self,
                               OmniSyncStats     *stats)
{
  g_return_if_fail (OMNI_IS_EBAY_CONNECTOR (self));
  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

static const char *
connector_get_platform (OmniConnector *connector)
{
  return "ebay";
}

static gboolean
connector_pull (OmniConnector  *connector,
                GCancellable   *cancellable,
                GError        **error)
{
  return omni_ebay_connector_pull (OMNI_EBAY_CONNECTOR (connector), cancellable, error);
}

static gboolean
connector_push (OmniConnector  *connector,
                GCancellable   *cancellable,
                GError        **error)
{
  return omni_ebay_connector_push (OMNI_EBAY_CONNECTOR (connector), cancellable, error);
}

static void
connector_get_stats (OmniConnector *connector,
                     OmniSyncStats *stats)
{
  omni_ebay_connector_get_stats (OMNI_EBAY_CONNECTOR (connector), stats);
}

static void
omni_ebay_connector_iface_init (OmniConnectorInterface *iface)
{
  iface->get_platform = connector_get_platform;
  iface->pull = connector_pull;
  iface->push = connector_push;
  iface->get_stats = connector_get_stats;
}

/* For tests: see omni-ebay-private.h. */
void
_omni_ebay_connector_set_transport (OmniEbayConnector *self,
                                    OmniEbayTransport  transport,
                                    gpointer           user_data,
                                    const char        *credentials_json)
{
  g_return_if_fail (OMNI_IS_EBAY_CONNECTOR (self));
  g_return_if_fail (transport == NULL || credentials_json != NULL);

  self->transport = transport;
  self->transport_data = user_data;
  if (self->transport_credentials != NULL)
    memset (self->transport_credentials, 0, strlen (self->transport_credentials));
  g_free (self->transport_credentials);
  self->transport_credentials = g_strdup (credentials_json);
}
