/* omni-http.h: a bounded, retrying HTTP client for connectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OMNI_TYPE_HTTP (omni_http_get_type ())
G_DECLARE_FINAL_TYPE (OmniHttp, omni_http, OMNI, HTTP, GObject)

/**
 * OmniHttpAttempt:
 * @attempt: 1 for the first try
 * @status: the HTTP status, or 0 when the request failed in transport
 * @duration_ms: how long the attempt took
 * @retry_in_ms: the wait before the next attempt, or -1 when there is none
 * @message: the transport failure, or %NULL; never holds a credential
 *
 * What an attempt observer (the sync log) sees of each try.
 */
typedef struct
{
  guint       attempt;
  guint       status;
  gint64      duration_ms;
  gint64      retry_in_ms;
  const char *message;
} OmniHttpAttempt;

typedef void (*OmniHttpAttemptFunc) (const OmniHttpAttempt *attempt,
                                     gpointer               user_data);

/**
 * OmniHttpResponse:
 * @status: the final HTTP status
 * @body: the body, at most the configured limit
 * @json: (nullable): the body parsed as JSON, when it is JSON
 * @attempts: how many tries it took
 */
typedef struct
{
  guint     status;
  GBytes   *body;
  JsonNode *json;
  guint     attempts;
} OmniHttpResponse;

OmniHttp         *omni_http_new                (void);
void              omni_http_set_limits         (OmniHttp             *self,
                                                gsize                 max_body,
                                                guint                 timeout_s,
                                                guint                 max_attempts);
void              omni_http_set_backoff        (OmniHttp             *self,
                                                gint64                base_ms,
                                                gint64                max_ms);
void              omni_http_set_attempt_func   (OmniHttp             *self,
                                                OmniHttpAttemptFunc   func,
                                                gpointer              user_data);
OmniHttpResponse *omni_http_request            (OmniHttp             *self,
                                                const char           *method,
                                                const char           *url,
                                                const char * const   *headers,
                                                const char           *content_type,
                                                GBytes               *body,
                                                GCancellable         *cancellable,
                                                GError              **error);
gint64            omni_http_backoff_ms         (OmniHttp             *self,
                                                guint                 attempt);
gboolean          omni_http_sleep              (gint64                ms,
                                                GCancellable         *cancellable,
                                                GError              **error);
void              omni_http_response_free      (OmniHttpResponse     *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniHttpResponse, omni_http_response_free)

G_END_DECLS
