/* fuzz-webhook.c: libFuzzer target for the webhook request handler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One delivery per input, through the receiver's own checks (size, shop,
 * HMAC, topic, event id, text), its queue and its topic dispatch (orders,
 * cancellations, refunds, levels, products) on a copy of a small store
 * with one linked variant, as omni-webhook-server-private.h exposes them
 * without HTTP. The first byte picks the topic (bits 1–3), whether the
 * body is signed with the right secret (bit 0; otherwise the input's first
 * line is the signature header) and whether the event id repeats (bit 4).
 * After it the store's ledger must still balance.
 */
#define G_LOG_DOMAIN "fuzz-webhook"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "omni-store-channel.h"
#include "omni-store-webhook.h"
#include "omni-webhook-server-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define CHECK(cond) G_STMT_START {                  \
    if (!(cond))                                      \
      {                                               \
        g_printerr ("check failed: %s\n", #cond);     \
        abort ();                                     \
      }                                               \
  } G_STMT_END

#define SECRET   "fuzz-webhook-secret"
#define ACCOUNT  "fuzz.myshopify.com"

static const char * const topics[] = {
  "orders/create", "orders/updated", "orders/paid", "orders/cancelled",
  "inventory_levels/update", "products/update", "refunds/create", "app/uninstalled",
};

static char              *work_dir;
static char              *work_path;
static GBytes            *template_db;
static OmniWebhookServer *server;
static guint              serial;

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
  g_autofree char *dir = g_dir_make_tmp ("omni-fuzz-webhook-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "template.db", NULL);
  const OmniProductSpec product = { .title = "IPod Nano - 8GB" };
  const OmniVariantSpec variant = {
    .sku = "IPOD2008PINK", .price = 19900, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  OmniChannelLinkSpec link = {
    .remote_product_id = "gid://shopify/Product/632910392",
    .remote_variant_id = "gid://shopify/ProductVariant/808950810",
    .remote_inventory_id = "gid://shopify/InventoryItem/271878346596884015",
    .remote_sku = "IPOD2008PINK", .linked_by = "sku",
  };
  OmniMovementSpec received = { .on_hand_delta = 10, .reason = OMNI_REASON_RECEIVED, .source = "app" };
  gint64 shop, variant_id = 0, channel;
  char *contents = NULL;
  gsize length = 0;

  CHECK (dir != NULL);
  work_dir = g_strdup (dir);
  work_path = g_build_filename (dir, "shop.db", NULL);
  atexit (remove_work_files);
  store = omni_store_open (path, &error);
  CHECK (store != NULL);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  CHECK (omni_store_create_product (store, &product, &variant, 1, &variant_id, &error) > 0);
  received.variant_id = variant_id;
  received.location_id = shop;
  CHECK (omni_store_record_movements (store, &received, 1, &error));
  channel = omni_store_add_channel (store, "shopify", "Fuzz", ACCOUNT, NULL, &error);
  CHECK (channel > 0);
  CHECK (omni_store_upsert_channel_location (store, channel, "gid://shopify/Location/24826418",
                                             "Shop Floor", TRUE, TRUE, &error));
  CHECK (omni_store_map_channel_location (store, channel, "gid://shopify/Location/24826418", shop,
                                          &error));
  link.channel_id = channel;
  link.variant_id = variant_id;
  CHECK (omni_store_link_variant (store, &link, &error));
  g_clear_object (&store);

  CHECK (g_file_get_contents (path, &contents, &length, NULL));
  template_db = g_bytes_new_take (contents, length);
  g_unlink (path);

  server = omni_webhook_server_new (work_path);
  _omni_webhook_server_add_target (server, channel, ACCOUNT, SECRET);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *hmac = NULL;
  g_autofree char *event_id = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *body;
  gsize length;
  guint8 flags;
  guint status;

  if (size == 0)
    return 0;
  if (template_db == NULL)
    make_template ();

  flags = data[0];
  body = data + 1;
  length = size - 1;
  if (flags & 1)
    hmac = omni_webhook_sign (SECRET, body, length);
  else
    {
      const guint8 *nl = memchr (body, '\n', length);
      gsize n = nl ? (gsize)(nl - body) : length;

      hmac = g_strndup ((const char *)body, n);
      body += nl ? n + 1 : n;
      length -= nl ? n + 1 : n;
    }
  event_id = (flags & 16) ? g_strdup ("event-1") : g_strdup_printf ("event-%u", ++serial);

  wal = g_strconcat (work_path, "-wal", NULL);
  shm = g_strconcat (work_path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  CHECK (g_file_set_contents (work_path, g_bytes_get_data (template_db, NULL),
                              (gssize)g_bytes_get_size (template_db), NULL));
  store = omni_store_open (work_path, &error);
  CHECK (store != NULL);

  status = _omni_webhook_server_receive (server, store, OMNI_WEBHOOK_SHOPIFY_PATH, ACCOUNT, hmac,
                                         topics[(flags >> 1) & 7], event_id, NULL, body, length);
  CHECK (status == 200 || status == 400 || status == 401 || status == 413);
  if (flags & 1)
    CHECK (status != 401);
  if (status == 200)
    {
      CHECK (_omni_webhook_server_apply_queued (store) <= 1);
      /* A repeat of the same delivery changes nothing more. */
      if (flags & 16)
        {
          CHECK (_omni_webhook_server_receive (server, store, OMNI_WEBHOOK_SHOPIFY_PATH, ACCOUNT,
                                               hmac, topics[(flags >> 1) & 7], event_id, NULL,
                                               body, length) == 200);
          CHECK (_omni_webhook_server_apply_queued (store) == 0);
        }
    }

  mismatches = omni_store_check_ledger (store, &error);
  CHECK (mismatches != NULL && mismatches->len == 0);
  return 0;
}
