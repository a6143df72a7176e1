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

#include "fuzz-common.h"
#include "omni-connector.h"
#include "omni-ebay-private.h"
#include "omni-store-channel.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define CLIENT_SECRET "PRD-fuzzsecret0123-4567-89ab"
#define REFRESH_TOKEN "v^1.1#i^1#fuzz-refresh-token#r^1"
#define CREDENTIALS "{\"client_id\":\"OmniStoc-fuzz-PRD-0123456789\"," \
                    "\"client_secret\":\"" CLIENT_SECRET "\"," \
                    "\"refresh_token\":\"" REFRESH_TOKEN "\"}"

static GBytes *template_db[2];   /* orders cursor set, first pull */
static gint64  channel_id;

static OmniHttpResponse *
answer (const char  *method,
        const char  *url,
        const char  *content_type,
        GBytes      *body,
        gpointer     user_data,
        GError     **error)
{
  FUZZ_CHECK (method != NULL && url != NULL);
  FUZZ_CHECK ((body == NULL) == (content_type == NULL));
  g_debug ("%s %s", method, url);
  return fuzz_script_answer (user_data, url, error);
}

static void
make_template (void)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;
  static const char * const skus[] = { "GB-MUG-0001", "GB-MUG-0002", "GB-TEE-0003" };
  gint64 shop, variants[3];

  path = fuzz_work_init ("ebay");

  store = omni_store_open (path, &error);
  FUZZ_CHECK (store != NULL);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  FUZZ_CHECK (shop > 0);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const barcodes[] = { "4000000000006", "4000000000013", "4000000000020" };
      const OmniProductSpec product = { .title = skus[i] };
      const OmniVariantSpec variant = {
        .sku = skus[i], .barcode = barcodes[i], .price = 1000, .compare_at_price = -1,
        .cost = -1, .reorder_point = -1, .reorder_qty = -1,
      };

      FUZZ_CHECK (omni_store_create_product (store, &product, &variant, 1, &variants[i], &error) > 0);
    }

  channel_id = omni_store_add_channel (store, "ebay", "eBay Fuzz", "eBay Fuzz",
                                       "http://127.0.0.1:9", &error);
  FUZZ_CHECK (channel_id > 0);
  FUZZ_CHECK (omni_store_set_channel_settings (store, channel_id, "{\"marketplace\":\"EBAY_GB\"}",
                                          &error));
  FUZZ_CHECK (omni_store_upsert_channel_location (store, channel_id, OMNI_EBAY_LOCATION, "eBay",
                                             TRUE, TRUE, &error));
  FUZZ_CHECK (omni_store_map_channel_location (store, channel_id, OMNI_EBAY_LOCATION, shop, &error));
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

      FUZZ_CHECK (omni_store_link_variant (store, &link, &error));
      FUZZ_CHECK (omni_store_set_remote_level (store, channel_id, variants[i], OMNI_EBAY_LOCATION, 3,
                                          &error));
      FUZZ_CHECK (omni_store_record_movements (store, &m, 1, &error));
    }
  g_clear_object (&store);
  template_db[1] = fuzz_template_read (path);

  store = omni_store_open (path, &error);
  FUZZ_CHECK (store != NULL);
  FUZZ_CHECK (omni_store_set_sync_cursor (store, channel_id, "orders", "2026-01-01T00:00:00.000Z",
                                     &error));
  g_clear_object (&store);
  template_db[0] = fuzz_template_read (path);
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
  FUZZ_CHECK (channel->last_error == NULL || strstr (channel->last_error, CLIENT_SECRET) == NULL);
  FUZZ_CHECK (channel->last_error == NULL || strstr (channel->last_error, REFRESH_TOKEN) == NULL);
  FUZZ_CHECK (omni_store_count_links (store, channel_id) <= 3);
  {
    g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (store, &error);

    FUZZ_CHECK (mismatches != NULL && mismatches->len == 0);
  }
}

static void
check_error (GError *error)
{
  FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
  FUZZ_CHECK (strstr (error->message, CLIENT_SECRET) == NULL);
  FUZZ_CHECK (strstr (error->message, REFRESH_TOKEN) == NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OmniEbayConnector) connector = NULL;
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
  connector = omni_ebay_connector_new (fuzz_work_path (), channel_id);
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
