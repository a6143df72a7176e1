/* fuzz-ebay.c: libFuzzer target for the eBay connector's handling of
 * answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a script of answers: one flags byte, then answers separated
 * by "\n@@\n", each optionally starting with "HTTP nnn\n" (the status,
 * 200 otherwise) or "!\n" (the connection fails). A pull and/or a push run
 * against a copy of a small store (three variants, two linked, one with its
 * offers known, pushes queued); every request the connector makes takes the
 * next answer, as OmniHttp would give it (JSON parsed when it parses). So
 * the OAuth token, inventory item pages, offers, orders and the per-SKU
 * results of bulkUpdatePriceQuantity are read from hostile text, and the
 * store must come out consistent: the run succeeds or fails with a sync
 * error in words that never hold the credentials, never crashes, and the
 * ledger invariant still holds.
 *
 * Flags: bit 0 pull, bit 1 push (neither: both), bit 2 the first pull (no
 * orders cursor yet).
 */
#define G_LOG_DOMAIN "fuzz-ebay"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "omni-connector.h"
#include "omni-ebay-private.h"
#include "omni-store-channel.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define CHECK(cond) G_STMT_START {                  \
    if (!(cond))                                      \
      {                                               \
        g_printerr ("check failed: %s\n", #cond);     \
        abort ();                                     \
      }                                               \
  } G_STMT_END

#define CLIENT_SECRET "PRD-fuzzsecret0123-4567-89ab"
#define REFRESH_TOKEN "v^1.1#i^1#fuzz-refresh-token#r^1"
#define CREDENTIALS "{\"client_id\":\"OmniStoc-fuzz-PRD-0123456789\"," \
                    "\"client_secret\":\"" CLIENT_SECRET "\"," \
                    "\"refresh_token\":\"" REFRESH_TOKEN "\"}"

#define SEPARATOR "\n@@\n"
#define MAX_ANSWERS 64

static char   *work_dir;
static char   *work_path;
static GBytes *template_db[2];   /* orders cursor set, first pull */
static gint64  channel_id;

typedef struct
{
  const char *data;
  gsize       size;
  gsize       offset;
  guint       served;
} Script;

static OmniHttpResponse *
answer (const char  *method,
        const char  *url,
        const char  *content_type,
        GBytes      *body,
        gpointer     user_data,
        GError     **error)
{
  Script *script = user_data;
  g_autoptr(OmniHttpResponse) response = NULL;
  const char *start, *end, *found;
  gsize length;
  guint64 status = 200;

  CHECK (method != NULL && url != NULL);
  CHECK ((body == NULL) == (content_type == NULL));
  g_debug ("%s %s", method, url);
  if (script->offset >= script->size || script->served++ >= MAX_ANSWERS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                   "The script has no more answers");
      return NULL;
    }

  start = script->data + script->offset;
  found = g_strstr_len (start, (gssize)(script->size - script->offset), SEPARATOR);
  end = found ? found : script->data + script->size;
  script->offset = (gsize)(end - script->data) + (found ? strlen (SEPARATOR) : 0);
  length = (gsize)(end - start);

  if (length >= 2 && start[0] == '!' && start[1] == '\n')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "Connection reset by peer");
      return NULL;
    }
  if (length >= 9 && memcmp (start, "HTTP ", 5) == 0 && start[8] == '\n')
    {
      char digits[4] = { start[5], start[6], start[7], 0 };

      if (g_ascii_string_to_unsigned (digits, 10, 100, 599, &status, NULL))
        {
          start += 9;
          length -= 9;
        }
      else
        status = 200;
    }

  /* What OmniHttp hands back: the body, parsed when it is JSON. */
  response = g_new0 (OmniHttpResponse, 1);
  response->status = (guint)status;
  response->body = g_bytes_new (start, length);
  response->attempts = 1;
  if (length > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, start, (gssize)length, NULL))
        response->json = json_node_ref (json_parser_get_root (parser));
      else if (status >= 200 && status < 300)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "%s answered with something that is not valid JSON", url);
          return NULL;
        }
    }
  return g_steal_pointer (&response);
}

/* The scratch database goes with the process. */
static void
remove_work_files (void)
{
  g_autofree char *wal = g_strconcat (work_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (work_path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (work_path);
  g_rmdir (work_dir);
}

static void
make_template (void)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  static const char * const skus[] = { "GB-MUG-0001", "GB-MUG-0002", "GB-TEE-0003" };
  gint64 shop, variants[3];
  char *contents = NULL;
  gsize length = 0;

  work_dir = g_dir_make_tmp ("omni-fuzz-ebay-XXXXXX", &error);
  CHECK (work_dir != NULL);
  path = g_build_filename (work_dir, "template.db", NULL);
  work_path = g_build_filename (work_dir, "shop.db", NULL);
  atexit (remove_work_files);

  store = omni_store_open (path, &error);
  CHECK (store != NULL);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  CHECK (shop > 0);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const barcodes[] = { "4000000000006", "4000000000013", "4000000000020" };
      const OmniProductSpec product = { .title = skus[i] };
      const OmniVariantSpec variant = {
        .sku = skus[i], .barcode = barcodes[i], .price = 1000, .compare_at_price = -1,
        .cost = -1, .reorder_point = -1, .reorder_qty = -1,
      };

      CHECK (omni_store_create_product (store, &product, &variant, 1, &variants[i], &error) > 0);
    }

  channel_id = omni_store_add_channel (store, "ebay", "eBay Fuzz", "eBay Fuzz",
                                       "http://127.0.0.1:9", &error);
  CHECK (channel_id > 0);
  CHECK (omni_store_set_channel_settings (store, channel_id, "{\"marketplace\":\"EBAY_GB\"}",
                                          &error));
  CHECK (omni_store_upsert_channel_location (store, channel_id, OMNI_EBAY_LOCATION, "eBay",
                                             TRUE, TRUE, &error));
  CHECK (omni_store_map_channel_location (store, channel_id, OMNI_EBAY_LOCATION, shop, &error));
  for (guint i = 0; i < 2; i++)
    {
      /* The first SKU's offers are known, the second's are not yet. */
      OmniChannelLinkSpec link = {
        .channel_id = channel_id, .variant_id = variants[i],
        .remote_product_id = i == 0 ? "5005317010,5005317011" : NULL,
        .remote_variant_id = skus[i], .remote_inventory_id = skus[i], .remote_sku = skus[i],
        .linked_by = "sku",
      };
      OmniMovementSpec m = {
        .variant_id = variants[i], .location_id = shop, .on_hand_delta = 7 + i,
        .reason = OMNI_REASON_RECEIVED, .source = "app",
      };

      CHECK (omni_store_link_variant (store, &link, &error));
      CHECK (omni_store_set_remote_level (store, channel_id, variants[i], OMNI_EBAY_LOCATION, 3,
                                          &error));
      CHECK (omni_store_record_movements (store, &m, 1, &error));
    }
  g_clear_object (&store);
  CHECK (g_file_get_contents (path, &contents, &length, NULL));
  template_db[1] = g_bytes_new_take (contents, length);

  store = omni_store_open (path, &error);
  CHECK (store != NULL);
  CHECK (omni_store_set_sync_cursor (store, channel_id, "orders", "2026-01-01T00:00:00.000Z",
                                     &error));
  g_clear_object (&store);
  CHECK (g_file_get_contents (path, &contents, &length, NULL));
  template_db[0] = g_bytes_new_take (contents, length);
  g_unlink (path);
}

static void
reset_store (GBytes *template)
{
  g_autofree char *wal = g_strconcat (work_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (work_path, "-shm", NULL);
  gsize length = 0;
  const char *contents = g_bytes_get_data (template, &length);

  g_unlink (wal);
  g_unlink (shm);
  CHECK (g_file_set_contents (work_path, contents, (gssize)length, NULL));
}

static void
check_store (void)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniChannel) channel = NULL;

  store = omni_store_open (work_path, &error);
  CHECK (store != NULL);
  channel = omni_store_get_channel (store, channel_id, &error);
  CHECK (channel != NULL);
  CHECK (channel->last_error == NULL || g_utf8_validate (channel->last_error, -1, NULL));
  CHECK (channel->last_error == NULL || strstr (channel->last_error, CLIENT_SECRET) == NULL);
  CHECK (channel->last_error == NULL || strstr (channel->last_error, REFRESH_TOKEN) == NULL);
  CHECK (omni_store_count_links (store, channel_id) <= 3);
  {
    g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (store, &error);

    CHECK (mismatches != NULL && mismatches->len == 0);
  }
}

static void
check_error (GError *error)
{
  CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
  CHECK (strstr (error->message, CLIENT_SECRET) == NULL);
  CHECK (strstr (error->message, REFRESH_TOKEN) == NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Script script = { 0 };
  guint8 flags;
  gboolean pull, push;

  if (size == 0)
    return 0;
  if (template_db[0] == NULL)
    make_template ();

  flags = data[0];
  pull = (flags & 1) || !(flags & 2);
  push = (flags & 2) || !(flags & 1);
  script.data = (const char *)data + 1;
  script.size = size - 1;

  reset_store (template_db[(flags & 4) ? 1 : 0]);
  connector = omni_ebay_connector_new (work_path, channel_id);
  _omni_ebay_connector_set_transport (connector, answer, &script, CREDENTIALS);
  /* Waiting (eBay's "too many requests") ends the run at once instead of sleeping. */
  g_cancellable_cancel (cancellable);

  if (pull)
    {
      g_autoptr(GError) error = NULL;

      if (!omni_ebay_connector_pull (connector, cancellable, &error))
        check_error (error);
    }
  if (push)
    {
      g_autoptr(GError) error = NULL;

      if (!omni_ebay_connector_push (connector, cancellable, &error))
        check_error (error);
    }
  check_store ();
  return 0;
}
