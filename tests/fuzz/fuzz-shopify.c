/* fuzz-shopify.c: libFuzzer target for the Shopify connector's handling of
 * answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a script of answers: one flags byte, then answers separated
 * by "\n@@\n", each optionally starting with "HTTP nnn\n" (the status,
 * 200 otherwise) or "!\n" (the connection fails). A pull and/or a push run
 * against a copy of a small store (three variants, one linked, a push
 * queued); every request the connector makes takes the next answer, as
 * OmniHttp would give it (JSON parsed when it parses). So locations,
 * variants, orders, levels, set-quantities, userErrors, THROTTLED, pages
 * and the token exchange are read from hostile text, and the store must
 * come out consistent: the run succeeds or fails with a sync error in
 * words, never crashes, and the ledger invariant still holds.
 *
 * Flags: bit 0 pull, bit 1 push (neither: both), bit 2 sign in with client
 * credentials (the first answer is then the token exchange).
 */
#define G_LOG_DOMAIN "fuzz-shopify"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "omni-connector.h"
#include "omni-shopify-private.h"
#include "omni-store-channel.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static GBytes *template_db[2];   /* access token, client credentials */
static gint64  channel_id;

static OmniHttpResponse *
answer (const char  *url,
        const char  *content_type,
        GBytes      *body,
        gpointer     user_data,
        GError     **error)
{
  FUZZ_CHECK (url != NULL && body != NULL);
  return fuzz_script_answer (user_data, url, error);
}

static void
make_template (void)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;
  gint64 shop, variants[3];

  path = fuzz_work_init ("shopify");

  store = omni_store_open (path, &error);
  FUZZ_CHECK (store != NULL);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  FUZZ_CHECK (shop > 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *sku = g_strdup_printf ("SKU-%05u", i);
      static const char * const barcodes[] = { "4000000000006", "4000000000013", "4000000000020" };
      const char *barcode = barcodes[i];
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = {
        .sku = sku, .barcode = barcode, .price = 1000, .compare_at_price = -1, .cost = -1,
        .reorder_point = -1, .reorder_qty = -1,
      };

      FUZZ_CHECK (omni_store_create_product (store, &product, &variant, 1, &variants[i], &error) > 0);
    }

  channel_id = omni_store_add_channel (store, "shopify", "Fuzz", "fuzz.myshopify.com",
                                       "http://127.0.0.1:9", &error);
  FUZZ_CHECK (channel_id > 0);
  FUZZ_CHECK (omni_store_upsert_channel_location (store, channel_id, "gid://shopify/Location/1",
                                             "Shop Floor", TRUE, TRUE, &error));
  FUZZ_CHECK (omni_store_map_channel_location (store, channel_id, "gid://shopify/Location/1", shop,
                                          &error));
  {
    OmniChannelLinkSpec link = {
      .channel_id = channel_id, .variant_id = variants[0],
      .remote_product_id = "gid://shopify/Product/1",
      .remote_variant_id = "gid://shopify/ProductVariant/1",
      .remote_inventory_id = "gid://shopify/InventoryItem/1", .remote_sku = "SKU-00000",
      .linked_by = "sku",
    };
    OmniMovementSpec m = {
      .variant_id = variants[0], .location_id = shop, .on_hand_delta = 7,
      .reason = OMNI_REASON_RECEIVED, .source = "app",
    };

    FUZZ_CHECK (omni_store_link_variant (store, &link, &error));
    FUZZ_CHECK (omni_store_set_remote_level (store, channel_id, variants[0], "gid://shopify/Location/1",
                                        3, &error));
    FUZZ_CHECK (omni_store_record_movements (store, &m, 1, &error));
  }
  FUZZ_CHECK (omni_store_set_sync_cursor (store, channel_id, "orders", "2026-01-01T00:00:00Z", &error));
  FUZZ_CHECK (omni_store_set_channel_settings (store, channel_id, "{\"auth\":\"token\"}", &error));
  g_clear_object (&store);
  template_db[0] = fuzz_template_read (path);

  store = omni_store_open (path, &error);
  FUZZ_CHECK (store != NULL);
  FUZZ_CHECK (omni_store_set_channel_settings (store, channel_id,
                                          "{\"auth\":\"client_credentials\",\"client_id\":\"fuzz-client\"}",
                                          &error));
  g_clear_object (&store);
  template_db[1] = fuzz_template_read (path);
  g_unlink (path);
}

static void
check_store (void)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniChannel) channel = NULL;

  store = omni_store_open (fuzz_work_path (), &error);
  FUZZ_CHECK (store != NULL);
  channel = omni_store_get_channel (store, channel_id, &error);
  FUZZ_CHECK (channel != NULL);
  FUZZ_CHECK (channel->last_error == NULL || g_utf8_validate (channel->last_error, -1, NULL));
  FUZZ_CHECK (omni_store_count_links (store, channel_id) <= 3);
  {
    g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (store, &error);

    FUZZ_CHECK (mismatches != NULL && mismatches->len == 0);
  }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  FuzzScript script = { 0 };
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

  fuzz_work_reset (template_db[(flags & 4) ? 1 : 0]);
  connector = omni_shopify_connector_new (fuzz_work_path (), channel_id);
  _omni_shopify_connector_set_transport (connector, answer, &script, "shpat_fuzz_credential");
  /* Waiting (throttle, backoff) ends the run at once instead of sleeping. */
  g_cancellable_cancel (cancellable);

  if (pull)
    {
      g_autoptr(GError) error = NULL;

      if (!omni_shopify_connector_pull (connector, cancellable, &error))
        {
          FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
          FUZZ_CHECK (strstr (error->message, "shpat_fuzz_credential") == NULL);
        }
    }
  if (push)
    {
      g_autoptr(GError) error = NULL;

      if (!omni_shopify_connector_push (connector, cancellable, &error))
        {
          FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
          FUZZ_CHECK (strstr (error->message, "shpat_fuzz_credential") == NULL);
        }
    }
  check_store ();
  return 0;
}
