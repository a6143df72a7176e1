/* omni-http.c: a bounded, retrying HTTP client for connectors
 *
 * Synchronous by design: connectors run it on a worker thread, one session
 * per thread, so the main loop never waits on the network. Each request has
 * a timeout, a bounded body (a hostile or broken server cannot exhaust
 * memory), and is retried with exponential backoff and jitter on transport
 * failures, 429 and 5xx, honouring Retry-After. Headers are never logged,
 * so an Authorization or access-token header cannot leak through here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "omni-connector.h"
#include "omni-http.h"

#define DEFAULT_MAX_BODY      (32 * 1024 * 1024)
#define DEFAULT_TIMEOUT_S     30
#define DEFAULT_MAX_ATTEMPTS  5
#define DEFAULT_BASE_MS       500
#define DEFAULT_MAX_MS        (60 * 1000)

struct _OmniHttp
{
  GObject              parent_instance;

  SoupSession         *session;
  gsize                max_body;
  guint                max_attempts;
  gint64               base_ms;
  gint64               max_ms;
  OmniHttpAttemptFunc  attempt_func;
  gpointer             attempt_data;
};

G_DEFINE_FINAL_TYPE (OmniHttp, omni_http, G_TYPE_OBJECT)

static void
omni_http_finalize (GObject *object)
{
  OmniHttp *self = (OmniHttp *)object;

  g_clear_object (&self->session);
  G_OBJECT_CLASS (omni_http_parent_class)->finalize (object);
}

static void
omni_http_class_init (OmniHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_http_finalize;
}

static void
omni_http_init (OmniHttp *self)
{
  self->session = soup_session_new_with_options ("timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "user-agent", "OmniStock/" PACKAGE_VERSION,
                                                 NULL);
  self->max_body = DEFAULT_MAX_BODY;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_ms = DEFAULT_BASE_MS;
  self->max_ms = DEFAULT_MAX_MS;
}

/**
 * omni_http_new:
 *
 * Returns: (transfer full): a client; use it from one thread
 */
OmniHttp *
omni_http_new (void)
{
  return g_object_new (OMNI_TYPE_HTTP, NULL);
}

void
omni_http_set_limits (OmniHttp *self,
                      gsize     max_body,
                      guint     timeout_s,
                      guint     max_attempts)
{
  g_return_if_fail (OMNI_IS_HTTP (self));

  if (max_body > 0)
    self->max_body = max_body;
  if (timeout_s > 0)
    soup_session_set_timeout (self->session, timeout_s);
  if (max_attempts > 0)
    self->max_attempts = max_attempts;
}

void
omni_http_set_backoff (OmniHttp *self,
                       gint64    base_ms,
                       gint64    max_ms)
{
  g_return_if_fail (OMNI_IS_HTTP (self));

  self->base_ms = MAX (base_ms, 1);
  self->max_ms = MAX (max_ms, self->base_ms);
}

void
omni_http_set_attempt_func (OmniHttp            *self,
                            OmniHttpAttemptFunc  func,
                            gpointer             user_data)
{
  g_return_if_fail (OMNI_IS_HTTP (self));

  self->attempt_func = func;
  self->attempt_data = user_data;
}

void
omni_http_response_free (OmniHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

/**
 * omni_http_backoff_ms:
 * @attempt: the attempt that failed, from 1
 *
 * Exponential backoff with full jitter: a random wait between half and all
 * of base × 2^(attempt − 1), capped.
 */
gint64
omni_http_backoff_ms (OmniHttp *self,
                      guint     attempt)
{
  gint64 ceiling = self->base_ms << MIN (attempt > 0 ? attempt - 1 : 0, 20);

  ceiling = MIN (ceiling, self->max_ms);
  return ceiling / 2 + g_random_int_range (0, (gint32)MAX (ceiling / 2, 1));
}

/**
 * omni_http_sleep:
 *
 * Waits @ms milliseconds on the calling (worker) thread, waking early and
 * failing with %G_IO_ERROR_CANCELLED when @cancellable is cancelled.
 */
gboolean
omni_http_sleep (gint64         ms,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (20000, MAX (end - g_get_monotonic_time (), 0)));
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gint64
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  g_autofree char *trimmed = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  trimmed = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (trimmed, 10, 0, 86400, &seconds, NULL))
    return (gint64)seconds * 1000;
  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (when != NULL)
      return MAX (g_date_time_difference (when, now) / 1000, 0);
  }
  return -1;
}

static GBytes *
read_bounded (OmniHttp      *self,
              GInputStream  *stream,
              const char    *url,
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
      if (buffer->len + (gsize)n > self->max_body)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "The answer from %s is larger than the %" G_GSIZE_FORMAT
                       " bytes allowed; it was not read", url, self->max_body);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint)n);
    }
  g_input_stream_close (stream, NULL, NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static gboolean
is_retryable_status (guint status)
{
  return status == 429 || (status >= 500 && status <= 599);
}

static gboolean
is_retryable_error (const GError *error)
{
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
         error->domain == G_TLS_ERROR;
}

static void
report_attempt (OmniHttp    *self,
                guint        attempt,
                guint        status,
                gint64       started,
                gint64       retry_in_ms,
                const char  *message)
{
  OmniHttpAttempt a = {
    .attempt = attempt, .status = status,
    .duration_ms = (g_get_monotonic_time () - started) / 1000,
    .retry_in_ms = retry_in_ms, .message = message,
  };

  if (self->attempt_func != NULL)
    self->attempt_func (&a, self->attempt_data);
}

/**
 * omni_http_request:
 * @method: "GET" or "POST"
 * @headers: (nullable) (array zero-terminated=1): name, value, name, value, …
 * @content_type: (nullable): of @body
 * @body: (nullable): the request body
 *
 * Sends a request, retrying transport failures, 429 and 5xx with backoff
 * (Retry-After when the server gives one) up to the attempt limit. Any other
 * status is returned to the caller to interpret. A JSON body is parsed.
 *
 * Returns: (transfer full): the response, or %NULL with @error set
 *   (%OMNI_SYNC_ERROR_NETWORK, _THROTTLED or _REMOTE once retries are spent)
 */
OmniHttpResponse *
omni_http_request (OmniHttp            *self,
                   const char          *method,
                   const char          *url,
                   const char * const  *headers,
                   const char          *content_type,
                   GBytes              *body,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(GError) last_error = NULL;
  guint last_status = 0;

  g_return_val_if_fail (OMNI_IS_HTTP (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  for (guint attempt = 1; attempt <= self->max_attempts; attempt++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GBytes) data = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 started = g_get_monotonic_time ();
      gint64 wait_ms = -1;
      guint status;

      msg = soup_message_new (method, url);
      if (msg == NULL)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                       "“%s” is not a valid address", url);
          return NULL;
        }
      for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
        soup_message_headers_replace (soup_message_get_request_headers (msg),
                                      headers[i], headers[i + 1]);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Accept", "application/json");
      if (body != NULL)
        soup_message_set_request_body_from_bytes (msg, content_type, body);

      stream = soup_session_send (self->session, msg, cancellable, &local_error);
      if (stream != NULL)
        data = read_bounded (self, stream, url, cancellable, &local_error);
      status = soup_message_get_status (msg);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (local_error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE))
        {
          report_attempt (self, attempt, status, started, -1, local_error->message);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      if (local_error == NULL && !is_retryable_status (status))
        {
          g_autoptr(OmniHttpResponse) response = g_new0 (OmniHttpResponse, 1);
          const char *type = soup_message_headers_get_content_type (
            soup_message_get_response_headers (msg), NULL);

          response->status = status;
          response->body = g_steal_pointer (&data);
          response->attempts = attempt;
          if (g_bytes_get_size (response->body) > 0 &&
              (type == NULL || g_str_has_suffix (type, "json")))
            {
              g_autoptr(JsonParser) parser = json_parser_new ();
              gsize size = 0;
              const char *text = g_bytes_get_data (response->body, &size);

              if (json_parser_load_from_data (parser, text, (gssize)size, NULL))
                response->json = json_node_ref (json_parser_get_root (parser));
              else if (status >= 200 && status < 300)
                {
                  report_attempt (self, attempt, status, started, -1,
                                  "The answer is not valid JSON");
                  g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                               "%s answered with something that is not valid JSON", url);
                  return NULL;
                }
            }
          report_attempt (self, attempt, status, started, -1, NULL);
          return g_steal_pointer (&response);
        }

      /* Transient: wait as told, or back off. */
      if (local_error == NULL)
        wait_ms = parse_retry_after (msg);
      if (wait_ms < 0)
        wait_ms = omni_http_backoff_ms (self, attempt);
      wait_ms = MIN (wait_ms, self->max_ms);

      g_clear_error (&last_error);
      last_status = status;
      if (local_error != NULL)
        {
          if (!is_retryable_error (local_error))
            {
              report_attempt (self, attempt, 0, started, -1, local_error->message);
              g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NETWORK,
                           "Could not reach %s: %s", url, local_error->message);
              return NULL;
            }
          last_error = g_steal_pointer (&local_error);
          last_status = 0;
        }

      report_attempt (self, attempt, last_status, started,
                      attempt < self->max_attempts ? wait_ms : -1,
                      last_error ? last_error->message : NULL);
      if (attempt < self->max_attempts && !omni_http_sleep (wait_ms, cancellable, error))
        return NULL;
    }

  if (last_error != NULL)
    g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NETWORK,
                 "Could not reach %s after %u attempts: %s", url, self->max_attempts,
                 last_error->message);
  else if (last_status == 429)
    g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_THROTTLED,
                 "%s kept asking to slow down (HTTP 429) after %u attempts; "
                 "it will be retried later", url, self->max_attempts);
  else
    g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                 "%s kept failing (HTTP %u) after %u attempts; it will be retried later",
                 url, last_status, self->max_attempts);
  return NULL;
}
