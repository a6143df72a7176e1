/* omni-shopify-bulk.c: variants through a Shopify bulk operation
 *
 * Cursor paging stops at 25,000 objects, so a big catalog is read with
 * bulkOperationRunQuery: Shopify runs variants-bulk.graphql in the
 * background and, when the operation is COMPLETED, serves the result as a
 * JSONL file (one JSON object per line) at a signed URL.
 *
 * The operation is polled with a doubling wait, bounded in total and
 * cancellable. The result is downloaded as a stream and read line by line:
 * no line may exceed a bound (1 MiB by default), nor the whole result its
 * own; each variant line goes through the same linking as a cursor page
 * (apply_variant_node in omni-shopify-connector.c), in transactions of a
 * few hundred rows. The URL is signed, so the access token is never sent
 * with the download.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "omni-json.h"
#include "omni-shopify-private.h"
#include "omni-store-channel.h"

#define READ_CHUNK (64 * 1024)

/* Starts the bulk query; returns the operation's ID. */
static char *
bulk_start (OmniShopifyRun  *run,
            GError         **error)
{
  g_autoptr(GBytes) inner = omni_shopify_get_document ("variants-bulk");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *key = g_strconcat ("bulk-variants:", uuid, NULL);
  JsonObject *payload, *operation;
  JsonArray *user_errors;
  const char *id;

  g_return_val_if_fail (inner != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, g_bytes_get_data (inner, NULL));
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_end_object (builder);

  data = _omni_shopify_run_graphql (run, "bulk-run-query", 10, json_builder_get_root (builder),
                                    error);
  if (data == NULL)
    return NULL;
  payload = omni_json_object (json_node_get_object (data), "bulkOperationRunQuery");
  user_errors = omni_json_array (payload, "userErrors");
  if (user_errors != NULL && json_array_get_length (user_errors) > 0)
    {
      JsonObject *first = json_array_get_object_element (user_errors, 0);
      const char *message = omni_json_string (first, "message");
      const char *code = omni_json_string (first, "code");

      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Shopify refused to start a bulk read of the variants: %s%s%s%s",
                   message ? message : "no reason given",
                   code ? " (" : "", code ? code : "", code ? ")" : "");
      _omni_shopify_run_redact_error (run, *error);
      _omni_shopify_run_log (run, "bulk-run-query", "error", 200, 0, (*error)->message);
      return NULL;
    }
  operation = omni_json_object (payload, "bulkOperation");
  id = omni_json_string (operation, "id");
  if (id == NULL || *id == '\0')
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Shopify accepted the bulk read of the variants but named no operation");
      _omni_shopify_run_log (run, "bulk-run-query", "error", 200, 0, (*error)->message);
      return NULL;
    }
  return g_strdup (id);
}

/* Polls the operation until it ends. Returns FALSE with @error when it
 * failed, was canceled, expired or outlasted the bound; on COMPLETED,
 * @url is the result (NULL: the query matched nothing). */
static gboolean
bulk_wait (OmniShopifyRun               *run,
           const OmniShopifyBulkLimits  *limits,
           const char                   *id,
           char                        **url,
           guint64                      *objects,
           GError                      **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)limits->max_wait_s * G_USEC_PER_SEC;
  gint64 wait_ms = limits->poll_first_ms;

  *url = NULL;
  for (;;)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) data = NULL;
      g_autofree char *reason = NULL;
      JsonObject *operation;
      const char *status, *code;
      gint64 count = 0;

      if (g_get_monotonic_time () + wait_ms * 1000 > deadline)
        {
          g_autofree char *span = limits->max_wait_s >= 120
                                  ? g_strdup_printf ("%u minutes", limits->max_wait_s / 60)
                                  : g_strdup_printf ("%u seconds", limits->max_wait_s);

          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED,
                       "Shopify's bulk read of the variants did not finish within %s; "
                       "the next sync starts a new one", span);
          _omni_shopify_run_log (run, "bulk-operation", "error", 0, 0, (*error)->message);
          return FALSE;
        }
      if (!omni_http_sleep (wait_ms, _omni_shopify_run_get_cancellable (run), error))
        return FALSE;
      wait_ms = MIN (wait_ms * 2, (gint64)limits->poll_max_ms);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_end_object (builder);
      data = _omni_shopify_run_graphql (run, "bulk-operation", 1, json_builder_get_root (builder),
                                        error);
      if (data == NULL)
        return FALSE;
      operation = omni_json_object (json_node_get_object (data), "bulkOperation");
      status = omni_json_string (operation, "status");
      code = omni_json_string (operation, "errorCode");
      if (status == NULL)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "Shopify does not know the bulk operation %s any more", id);
          _omni_shopify_run_log (run, "bulk-operation", "error", 200, 0, (*error)->message);
          return FALSE;
        }

      if (g_str_equal (status, "CREATED") || g_str_equal (status, "RUNNING") ||
          g_str_equal (status, "CANCELING"))
        continue;

      if (g_str_equal (status, "COMPLETED"))
        {
          const char *where = omni_json_string (operation, "url");

          /* objectCount is an UnsignedInt64, which GraphQL sends as a string. */
          if (!omni_json_int (operation, "objectCount", &count))
            {
              const char *text = omni_json_string (operation, "objectCount");

              count = text ? g_ascii_strtoll (text, NULL, 10) : 0;
            }
          *objects = (guint64)MAX (count, 0);
          *url = where && *where ? g_strdup (where) : NULL;
          return TRUE;
        }

      if (g_str_equal (status, "FAILED"))
        reason = g_strdup_printf ("failed on Shopify's side (%s)", code ? code : "no error code");
      else if (g_str_equal (status, "CANCELED"))
        reason = g_strdup ("was canceled on Shopify's side");
      else if (g_str_equal (status, "EXPIRED"))
        reason = g_strdup ("expired before its result was read");
      else
        reason = g_strdup_printf ("ended in a state this version does not know (%s)", status);
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Shopify's bulk read of the variants %s; no variant was read from it. "
                   "The next sync starts a new one", reason);
      _omni_shopify_run_redact_error (run, *error);
      _omni_shopify_run_log (run, "bulk-operation", "error", 200, 0, (*error)->message);
      return FALSE;
    }
}

typedef struct
{
  OmniShopifyRun              *run;
  const OmniShopifyBulkLimits *limits;
  GHashTable                  *fresh;
  char                       **newest;
  JsonParser                  *parser;
  guint64                      lines;
  guint64                      variants;
  guint                        in_batch;
} Reader;

/* One JSONL line: a variant (linked), or a nested object (skipped: the
 * query has no nested connection, so none is expected). */
static gboolean
read_line (Reader      *reader,
           const char  *text,
           gsize        length,
           GError     **error)
{
  OmniStore *store = _omni_shopify_run_get_store (reader->run);
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonObject *node;
  const char *id;

  reader->lines++;
  if (length > 0 && text[length - 1] == '\r')
    length--;
  if (length == 0)
    return TRUE;

  if (!json_parser_load_from_data (reader->parser, text, (gssize)length, &parse_error) ||
      (root = json_parser_get_root (reader->parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Line %" G_GUINT64_FORMAT " of Shopify's bulk result is not a JSON object",
                   reader->lines);
      return FALSE;
    }
  node = json_node_get_object (root);
  id = omni_json_string (node, "id");
  if (json_object_has_member (node, "__parentId") || id == NULL ||
      !g_str_has_prefix (id, "gid://shopify/ProductVariant/"))
    return TRUE;

  if (reader->in_batch == 0 && !omni_store_begin (store, error))
    return FALSE;
  if (!_omni_shopify_run_apply_variant (reader->run, node, reader->fresh, reader->newest, error))
    {
      omni_store_rollback (store);
      reader->in_batch = 0;
      return FALSE;
    }
  reader->variants++;
  if (++reader->in_batch >= reader->limits->batch)
    {
      reader->in_batch = 0;
      if (!omni_store_commit (store, error))
        return FALSE;
    }
  return TRUE;
}

/* Reads @stream line by line; a line is never longer than the bound, so at
 * most one line and one chunk are in memory. */
static gboolean
read_stream (Reader        *reader,
             GInputStream  *stream,
             guint64       *total,
             GError       **error)
{
  GCancellable *cancellable = _omni_shopify_run_get_cancellable (reader->run);
  g_autofree char *chunk = g_malloc (READ_CHUNK);
  g_autoptr(GByteArray) line = g_byte_array_new ();
  const OmniShopifyBulkLimits *limits = reader->limits;

  *total = 0;
  for (;;)
    {
      gssize n;
      gsize start = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = g_input_stream_read (stream, chunk, READ_CHUNK, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      *total += (guint64)n;
      if (*total > limits->max_bytes)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "Shopify's bulk result is larger than %" G_GUINT64_FORMAT " bytes; "
                       "it was refused after line %" G_GUINT64_FORMAT,
                       limits->max_bytes, reader->lines);
          return FALSE;
        }

      while (start < (gsize)n)
        {
          const char *newline = memchr (chunk + start, '\n', (gsize)n - start);
          gsize end = newline ? (gsize)(newline - chunk) : (gsize)n;

          if (line->len + (end - start) > limits->max_line)
            {
              g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                           "Line %" G_GUINT64_FORMAT " of Shopify's bulk result is longer "
                           "than %" G_GSIZE_FORMAT " bytes; the result was refused from there",
                           reader->lines + 1, limits->max_line);
              return FALSE;
            }
          if (newline == NULL)
            {
              g_byte_array_append (line, (const guint8 *)chunk + start, (guint)(end - start));
              break;
            }
          if (line->len == 0)
            {
              if (!read_line (reader, chunk + start, end - start, error))
                return FALSE;
            }
          else
            {
              g_byte_array_append (line, (const guint8 *)chunk + start, (guint)(end - start));
              if (!read_line (reader, (const char *)line->data, line->len, error))
                return FALSE;
              g_byte_array_set_size (line, 0);
            }
          start = end + 1;
        }
    }

  /* The last line may lack its newline. */
  if (line->len > 0 && !read_line (reader, (const char *)line->data, line->len, error))
    return FALSE;
  return TRUE;
}

/* Downloads @url as a stream into @reader. The signed URL needs no
 * credential, and gets none. */
static gboolean
bulk_download (Reader      *reader,
               const char  *url,
               guint64     *bytes,
               GError     **error)
{
  OmniShopifyRun *run = reader->run;
  GCancellable *cancellable = _omni_shopify_run_get_cancellable (run);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;
  guint status;

  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Shopify's bulk result is not at a web address");
      return FALSE;
    }

  session = soup_session_new_with_options ("timeout", reader->limits->timeout_s,
                                           "idle-timeout", reader->limits->timeout_s,
                                           "user-agent", "OmniStock/" PACKAGE_VERSION " ",
                                           NULL);
  message = soup_message_new_from_uri ("GET", uri);
  stream = soup_session_send (session, message, cancellable, &local_error);
  if (stream == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_prefix_error (&local_error, "Shopify's bulk result could not be downloaded: ");
          _omni_shopify_run_log (run, "bulk-download", "error", 0, 0, local_error->message);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                   "Shopify's bulk result could not be downloaded (HTTP %u)", status);
      _omni_shopify_run_log (run, "bulk-download", "error", status, 0, (*error)->message);
      g_input_stream_close (stream, NULL, NULL);
      return FALSE;
    }

  ok = read_stream (reader, stream, bytes, &local_error);
  g_input_stream_close (stream, NULL, NULL);
  if (!ok)
    {
      /* The unfinished batch goes first, so that the log entry stays. */
      if (reader->in_batch > 0)
        {
          omni_store_rollback (_omni_shopify_run_get_store (run));
          reader->in_batch = 0;
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _omni_shopify_run_log (run, "bulk-download", "error", status, 0, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * _omni_shopify_bulk_pull_variants:
 * @fresh: the newly linked inventory items, as pull_variants records them
 * @newest: (inout): the latest updatedAt seen
 *
 * Reads every variant of the shop through one bulk operation. What was
 * committed before a failure stays linked (each batch is whole); the
 * variants cursor is set only by the caller, after a complete read.
 */
gboolean
_omni_shopify_bulk_pull_variants (OmniShopifyRun               *run,
                                  const OmniShopifyBulkLimits  *limits,
                                  GHashTable                   *fresh,
                                  char                        **newest,
                                  GError                      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *note = NULL;
  guint64 objects = 0, bytes = 0;
  gint64 started = g_get_monotonic_time ();
  Reader reader = {
    .run = run, .limits = limits, .fresh = fresh, .newest = newest, .parser = parser,
  };

  id = bulk_start (run, error);
  if (id == NULL)
    return FALSE;
  if (!bulk_wait (run, limits, id, &url, &objects, error))
    return FALSE;

  if (url == NULL)
    {
      _omni_shopify_run_log (run, "bulk-download", "ok", 0, 0,
                             "Shopify's bulk read found no variants");
      return TRUE;
    }

  if (!bulk_download (&reader, url, &bytes, error))
    return FALSE;
  if (reader.in_batch > 0 && !omni_store_commit (_omni_shopify_run_get_store (run), error))
    return FALSE;

  note = g_strdup_printf ("Bulk read: %" G_GUINT64_FORMAT " variants in %" G_GUINT64_FORMAT
                          " lines, %" G_GUINT64_FORMAT " bytes (Shopify counted %"
                          G_GUINT64_FORMAT " objects)",
                          reader.variants, reader.lines, bytes, objects);
  _omni_shopify_run_log (run, "bulk-download", "ok", 200,
                         (g_get_monotonic_time () - started) / 1000, note);
  return TRUE;
}
