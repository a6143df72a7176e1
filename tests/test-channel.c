/* test-channel.c: channels, location mapping, links, the push outbox,
 * cursors and the sync log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "omni-db.h"
#include "omni-store.h"
#include "omni-store-channel.h"
#include "omni-store-webhook.h"
#include "test-store-util.h"

#define LEASE_US ((gint64)60 * G_USEC_PER_SEC)

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     cellar;
  gint64     tee_s;
  gint64     tee_m;
  gint64     channel;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec tee = { .title = "Organic Tee", .option_names = { "Size" } };
  const OmniVariantSpec sizes[] = {
    { .sku = "TEE-S", .barcode = "4006381333931", .options = { "S" }, .price = 2500,
      .compare_at_price = -1, .cost = 1000, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "TEE-M", .options = { "M" }, .price = 2500, .compare_at_price = -1,
      .cost = 250, .reorder_point = -1, .reorder_qty = -1 },
  };
  g_autoptr(GError) error = NULL;
  gint64 ids[2] = { 0 };

  f->dir = g_dir_make_tmp ("omni-channel-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  f->cellar = omni_store_add_location (f->store, "Cellar", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &tee, sizes, 2, ids, &error), >, 0);
  g_assert_no_error (error);
  f->tee_s = ids[0];
  f->tee_m = ids[1];

  f->channel = omni_store_add_channel (f->store, "shopify", NULL, "fern.myshopify.com",
                                       "http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->channel, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A second connection to the store's database, behind the store's back. */
static OmniDb *
open_raw (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = NULL;
  OmniDb *db;

  if (test_store_is_postgresql ())
    {
      db = omni_db_open_postgresql (f->path, &error);
      g_assert_no_error (error);
      return db;
    }
  g_assert_cmpint (sqlite3_open_v2 (f->path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return omni_db_new_sqlite (handle);
}

static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  OmniDb *db = open_raw (f);
  OmniDbStmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (omni_db_prepare (db, sql, &stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  n = omni_db_column_int64 (stmt, 0);
  omni_db_finalize (stmt);
  omni_db_close (db);
  return n;
}

static void
move (Fixture    *f,
      gint64      variant,
      gint64      location,
      gint64      delta,
      const char *source)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = {
    .variant_id = variant, .location_id = location, .on_hand_delta = delta,
    .reason = delta > 0 ? OMNI_REASON_RECEIVED : OMNI_REASON_SOLD, .source = source,
  };

  g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  g_assert_no_error (error);
}

/* Maps the remote "Shop Floor" location and links TEE-S to it. */
static void
link_tee_s (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  const OmniChannelLinkSpec link = {
    .channel_id = f->channel, .variant_id = f->tee_s,
    .remote_product_id = "gid://shopify/Product/1",
    .remote_variant_id = "gid://shopify/ProductVariant/11",
    .remote_inventory_id = "gid://shopify/InventoryItem/111",
    .remote_sku = "TEE-S", .linked_by = "sku",
  };

  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel,
                                                     "gid://shopify/Location/1", "Shop Floor",
                                                     TRUE, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_no_error (error);
}

static gint64
payload_int (const OmniOutboxEntry *entry,
             const char            *member,
             gboolean              *is_null)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, entry->payload, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (object, member));
  if (is_null)
    *is_null = json_object_get_null_member (object, member);
  if (json_object_get_null_member (object, member))
    return -1;
  return json_object_get_int_member (object, member);
}

/* Channels ------------------------------------------------------------ */

static void
test_channel_crud (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  gint64 second;

  g_assert_cmpint (omni_store_find_channel (f->store, "fern.myshopify.com", &error), ==, f->channel);
  g_assert_no_error (error);

  /* A second channel on the same shop is refused; nothing is added. */
  g_assert_cmpint (omni_store_add_channel (f->store, "shopify", "Other name",
                                           "fern.myshopify.com", NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_channel (f->store, "etsy", NULL, "x", NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM channels"), ==, 1);

  second = omni_store_add_channel (f->store, "shopify", "Outlet", "outlet.myshopify.com",
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_find_channel (f->store, "Outlet", NULL), ==, second);

  list = omni_store_list_channels (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((OmniChannel *)list->pdata[0])->name, ==, "fern.myshopify.com");
  g_assert_cmpstr (((OmniChannel *)list->pdata[0])->state, ==, "connected");
  g_assert_cmpstr (((OmniChannel *)list->pdata[1])->api_url, ==, NULL);

  g_assert_true (omni_store_set_channel_state (f->store, second, "auth_failed",
                                               "Shopify refused the access token", &error));
  g_assert_no_error (error);
  channel = omni_store_get_channel (f->store, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  g_assert_cmpstr (channel->last_error, ==, "Shopify refused the access token");
  g_assert_false (omni_store_set_channel_state (f->store, second, "happy", NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (omni_store_mark_channel_synced (f->store, second, &error));
  g_assert_no_error (error);
  g_clear_pointer (&channel, omni_channel_free);
  channel = omni_store_get_channel (f->store, second, &error);
  g_assert_cmpstr (channel->state, ==, "connected");
  g_assert_null (channel->last_error);
  g_assert_nonnull (channel->last_sync_at);

  g_assert_true (omni_store_remove_channel (f->store, second, &error));
  g_assert_no_error (error);
  g_assert_false (omni_store_remove_channel (f->store, second, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_find_channel (f->store, "Outlet", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
}

static void
test_channel_locations (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  /* Same name maps to the same-named local location, not the default. */
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, "gid://shopify/Location/2",
                                                     "Cellar", TRUE, TRUE, &error));
  /* Then the first active shipping location gets the default location. */
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, "gid://shopify/Location/3",
                                                     "Warehouse", TRUE, TRUE, &error));
  /* Any other stays unmapped. */
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, "gid://shopify/Location/4",
                                                     "Pop-up", TRUE, TRUE, &error));
  g_assert_no_error (error);

  g_assert_cmpint (omni_store_channel_local_location (f->store, f->channel,
                                                      "gid://shopify/Location/2"), ==, f->cellar);
  g_assert_cmpint (omni_store_channel_local_location (f->store, f->channel,
                                                      "gid://shopify/Location/3"), ==, f->shop);
  g_assert_cmpint (omni_store_channel_local_location (f->store, f->channel,
                                                      "gid://shopify/Location/4"), ==, 0);

  /* A local location receives one remote location at most. */
  g_assert_false (omni_store_map_channel_location (f->store, f->channel, "gid://shopify/Location/4",
                                                   f->shop, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (omni_store_map_channel_location (f->store, f->channel, "gid://shopify/Location/3",
                                                  0, &error));
  g_assert_true (omni_store_map_channel_location (f->store, f->channel, "gid://shopify/Location/4",
                                                  f->shop, &error));
  g_assert_no_error (error);
  g_assert_false (omni_store_map_channel_location (f->store, f->channel, "gid://shopify/Location/9",
                                                   f->shop, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A later pull renames but keeps the merchant's mapping. */
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, "gid://shopify/Location/4",
                                                     "Summer pop-up", TRUE, TRUE, &error));
  list = omni_store_list_channel_locations (f->store, f->channel, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((OmniChannelLocation *)list->pdata[1])->remote_name, ==, "Summer pop-up");
  g_assert_cmpint (((OmniChannelLocation *)list->pdata[1])->location_id, ==, f->shop);
  g_assert_cmpstr (((OmniChannelLocation *)list->pdata[1])->location_name, ==, "Shop Floor");
}

static void
test_channel_match (Fixture       *f,
                    gconstpointer  data)
{
  const char *by = NULL;

  g_assert_cmpint (omni_store_match_variant (f->store, "TEE-M", "4006381333931", &by), ==, f->tee_m);
  g_assert_cmpstr (by, ==, "sku");
  g_assert_cmpint (omni_store_match_variant (f->store, "UNKNOWN", "4006381333931", &by), ==, f->tee_s);
  g_assert_cmpstr (by, ==, "barcode");
  g_assert_cmpint (omni_store_match_variant (f->store, "UNKNOWN", "000", NULL), ==, 0);
  g_assert_cmpint (omni_store_match_variant (f->store, NULL, NULL, NULL), ==, 0);
}

/* Outbox -------------------------------------------------------------- */

static void
test_outbox_enqueue_same_transaction (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  link_tee_s (f);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);

  /* Rolled back movement: no outbox entry either. */
  g_assert_true (omni_store_begin (f->store, &error));
  move (f, f->tee_s, f->shop, 5, "app");
  omni_store_rollback (f->store);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);

  move (f, f->tee_s, f->shop, 5, "app");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 1);
  /* Unclaimed: a second movement is covered by the same entry. */
  move (f, f->tee_s, f->shop, 2, "app");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 1);

  /* Unlinked variant, unmapped location, and the channel's own pull: none. */
  move (f, f->tee_m, f->shop, 3, "app");
  move (f, f->tee_s, f->cellar, 3, "app");
  {
    g_autofree char *own = g_strdup_printf ("channel:%" G_GINT64_FORMAT, f->channel);
    move (f, f->tee_s, f->shop, 1, own);
  }
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op_id LIKE 'push:%'"), ==, 1);
}

static void
test_outbox_claim_ack (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autofree char *op_id = NULL;
  OmniOutboxEntry *e;
  gint64 now = g_get_real_time ();
  gint64 remote = 0;
  gboolean is_null = FALSE;

  link_tee_s (f);
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->tee_s,
                                              "gid://shopify/Location/1", 4, &error));
  move (f, f->tee_s, f->shop, 9, "app");

  claimed = omni_store_claim_outbox (f->store, f->channel, 10, now, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  e = claimed->pdata[0];
  g_assert_cmpstr (e->state, ==, "sending");
  g_assert_cmpint (e->attempts, ==, 1);
  g_assert_cmpstr (e->sku, ==, "TEE-S");
  g_assert_cmpint (payload_int (e, "quantity", NULL), ==, 9);
  g_assert_cmpint (payload_int (e, "change_from", &is_null), ==, 4);
  g_assert_false (is_null);
  op_id = g_strdup (e->op_id);

  /* Leased: not claimed twice while being sent. */
  again = omni_store_claim_outbox (f->store, f->channel, 10, now + 1, LEASE_US, &error);
  g_assert_cmpuint (again->len, ==, 0);

  /* A movement while it is being sent makes a new entry that waits for it. */
  move (f, f->tee_s, f->shop, -2, "app");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 2);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = omni_store_claim_outbox (f->store, f->channel, 10, now + 2, LEASE_US, &error);
  g_assert_cmpuint (again->len, ==, 0);

  /* A crash between send and acknowledgement: after the lease the same
   * request comes back, with the same key and the same quantities, even
   * though local stock moved meanwhile. */
  g_clear_object (&f->store);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  later = omni_store_claim_outbox (f->store, f->channel, 10, now + LEASE_US + 1, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 1);
  e = later->pdata[0];
  g_assert_cmpstr (e->op_id, ==, op_id);
  g_assert_cmpint (e->attempts, ==, 2);
  g_assert_cmpint (payload_int (e, "quantity", NULL), ==, 9);
  g_assert_cmpint (payload_int (e, "change_from", NULL), ==, 4);

  g_assert_true (omni_store_ack_outbox (f->store, e->id, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_get_remote_level (f->store, f->channel, f->tee_s,
                                              "gid://shopify/Location/1", &remote));
  g_assert_cmpint (remote, ==, 9);
  /* Acknowledged twice is refused: it is no longer being sent. */
  g_assert_false (omni_store_ack_outbox (f->store, e->id, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Now the second entry goes, compared against the acknowledged quantity. */
  second = omni_store_claim_outbox (f->store, f->channel, 10, now + LEASE_US + 2, LEASE_US, &error);
  g_assert_cmpuint (second->len, ==, 1);
  e = second->pdata[0];
  g_assert_cmpstr (e->op_id, !=, op_id);
  g_assert_cmpint (payload_int (e, "quantity", NULL), ==, 7);
  g_assert_cmpint (payload_int (e, "change_from", NULL), ==, 9);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'done'"), ==, 1);
}

static void
test_outbox_fail_backoff (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) early = NULL;
  g_autoptr(GPtrArray) retry = NULL;
  g_autoptr(OmniOutboxEntry) entry = NULL;
  gint64 now = g_get_real_time ();
  gboolean is_null = FALSE;

  link_tee_s (f);
  move (f, f->tee_s, f->shop, 3, "app");
  claimed = omni_store_claim_outbox (f->store, f->channel, 10, now, LEASE_US, &error);
  g_assert_cmpuint (claimed->len, ==, 1);
  /* Never seen remotely: the compare value is an explicit null. */
  g_assert_cmpint (payload_int (claimed->pdata[0], "change_from", &is_null), ==, -1);
  g_assert_true (is_null);

  g_assert_true (omni_store_fail_outbox (f->store, ((OmniOutboxEntry *)claimed->pdata[0])->id,
                                         "Shopify answered 503", FALSE, now, &error));
  g_assert_no_error (error);
  entry = omni_store_get_outbox_entry (f->store, ((OmniOutboxEntry *)claimed->pdata[0])->id, &error);
  g_assert_cmpstr (entry->state, ==, "pending");
  g_assert_cmpstr (entry->last_error, ==, "Shopify answered 503");

  /* Backed off: at least 30 s. */
  early = omni_store_claim_outbox (f->store, f->channel, 10, now + (gint64)29 * G_USEC_PER_SEC, LEASE_US, &error);
  g_assert_cmpuint (early->len, ==, 0);
  retry = omni_store_claim_outbox (f->store, f->channel, 10, now + (gint64)3600 * G_USEC_PER_SEC, LEASE_US, &error);
  g_assert_cmpuint (retry->len, ==, 1);
  g_assert_cmpstr (((OmniOutboxEntry *)retry->pdata[0])->op_id, ==, entry->op_id);
  g_assert_cmpstr (((OmniOutboxEntry *)retry->pdata[0])->payload, ==, entry->payload);
  g_assert_cmpint (((OmniOutboxEntry *)retry->pdata[0])->attempts, ==, 2);

  /* Permanent failure. */
  g_assert_true (omni_store_fail_outbox (f->store, entry->id, "Invalid inventory item", TRUE, 0, &error));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'failed'"), ==, 1);
}

static void
test_outbox_conflict_and_noop (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GPtrArray) none = NULL;
  gint64 now = g_get_real_time ();

  link_tee_s (f);
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->tee_s,
                                              "gid://shopify/Location/1", 0, &error));
  move (f, f->tee_s, f->shop, 6, "app");
  claimed = omni_store_claim_outbox (f->store, f->channel, 10, now, LEASE_US, &error);
  g_assert_cmpuint (claimed->len, ==, 1);

  /* The platform holds 2 now (an order there): conflict, re-pulled value
   * recorded, local quantity pushed again against it. */
  g_assert_true (omni_store_conflict_outbox (f->store, ((OmniOutboxEntry *)claimed->pdata[0])->id,
                                             "The quantity on Shopify changed from 0 to 2",
                                             2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'conflict'"), ==, 1);
  resolved = omni_store_claim_outbox (f->store, f->channel, 10, now + 1, LEASE_US, &error);
  g_assert_cmpuint (resolved->len, ==, 1);
  g_assert_cmpint (payload_int (resolved->pdata[0], "quantity", NULL), ==, 6);
  g_assert_cmpint (payload_int (resolved->pdata[0], "change_from", NULL), ==, 2);
  g_assert_true (omni_store_ack_outbox (f->store, ((OmniOutboxEntry *)resolved->pdata[0])->id, &error));

  /* A change that leaves the pushed quantity as it is sends nothing. */
  move (f, f->tee_s, f->shop, 1, "app");
  move (f, f->tee_s, f->shop, -1, "app");
  none = omni_store_claim_outbox (f->store, f->channel, 10, now + 2, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'done'"), ==, 2);
}

static void
test_channel_cursors_log_remove (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *cursor = NULL;
  OmniSyncLogEntry entry = {
    .channel_id = f->channel, .direction = "pull", .operation = "products",
    .status = "ok", .http_status = 200, .duration_ms = 12, .message = "250 variants",
  };

  g_assert_null (omni_store_get_sync_cursor (f->store, f->channel, "orders"));
  g_assert_true (omni_store_set_sync_cursor (f->store, f->channel, "orders",
                                             "2026-11-01T00:00:00Z", &error));
  g_assert_true (omni_store_set_sync_cursor (f->store, f->channel, "orders",
                                             "2026-11-02T00:00:00Z", &error));
  g_assert_no_error (error);
  cursor = omni_store_get_sync_cursor (f->store, f->channel, "orders");
  g_assert_cmpstr (cursor, ==, "2026-11-02T00:00:00Z");

  g_assert_true (omni_store_log_sync (f->store, &entry, &error));
  g_assert_no_error (error);
  log = omni_store_list_sync_log (f->store, f->channel, 10, &error);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (((OmniSyncLogEntry *)log->pdata[0])->operation, ==, "products");
  g_assert_cmpint (((OmniSyncLogEntry *)log->pdata[0])->http_status, ==, 200);

  link_tee_s (f);
  move (f, f->tee_s, f->shop, 2, "app");
  g_assert_true (omni_store_remove_channel (f->store, f->channel, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM channel_links"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_cursors"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_log"), ==, 0);
  /* Stock is untouched. */
  g_assert_cmpint (count_rows (f, "SELECT on_hand FROM variants WHERE sku = 'TEE-S'"), ==, 2);
}

/* Two instances on one database ---------------------------------------- */

/* @n more variants of a product, each linked and moved, so each has one
 * pending push; their ids in *@ids (caller frees). */
static void
queue_pushes (Fixture *f,
              guint    n,
              gint64 **ids)
{
  const OmniProductSpec cap = { .title = "Wool Cap", .option_names = { "Colour" } };
  g_autofree OmniVariantSpec *specs = g_new0 (OmniVariantSpec, n);
  g_auto(GStrv) skus = g_new0 (char *, n + 1);
  g_autoptr(GError) error = NULL;

  link_tee_s (f);
  *ids = g_new0 (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      skus[i] = g_strdup_printf ("CAP-%02u", i);
      specs[i].sku = skus[i];
      specs[i].options[0] = skus[i];
      specs[i].price = 1500;
      specs[i].compare_at_price = -1;
      specs[i].cost = -1;
      specs[i].reorder_point = -1;
      specs[i].reorder_qty = -1;
    }
  g_assert_cmpint (omni_store_create_product (f->store, &cap, specs, n, *ids, &error), >, 0);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *variant_gid = g_strdup_printf ("gid://shopify/ProductVariant/%u", 100 + i);
      g_autofree char *item_gid = g_strdup_printf ("gid://shopify/InventoryItem/%u", 100 + i);
      const OmniChannelLinkSpec link = {
        .channel_id = f->channel, .variant_id = (*ids)[i],
        .remote_product_id = "gid://shopify/Product/2", .remote_variant_id = variant_gid,
        .remote_inventory_id = item_gid, .remote_sku = skus[i], .linked_by = "sku",
      };

      g_assert_true (omni_store_link_variant (f->store, &link, &error));
      g_assert_no_error (error);
      move (f, (*ids)[i], f->shop, i + 1, "app");
    }
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, n);
}

static void
note_claimed (GHashTable *seen,
              GPtrArray  *claimed)
{
  for (guint i = 0; i < claimed->len; i++)
    {
      OmniOutboxEntry *e = claimed->pdata[i];

      /* Never handed out twice. */
      g_assert_false (g_hash_table_contains (seen, &e->id));
      g_hash_table_add (seen, g_memdup2 (&e->id, sizeof e->id));
    }
}

/* A second instance claims while the first one's claim is still open (on
 * PostgreSQL; SQLite lets one writer in at a time, so there the first one
 * has committed): each gets other entries, and together all of them. */
static void
test_outbox_two_claimers (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) other = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree gint64 *ids = NULL;
  gint64 now = g_get_real_time ();

  queue_pushes (f, 6, &ids);
  other = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_true (omni_store_begin (f->store, &error));
  first = omni_store_claim_outbox (f->store, f->channel, 4, now, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 4);
  if (!test_store_is_postgresql ())
    g_assert_true (omni_store_commit (f->store, &error));

  second = omni_store_claim_outbox (other, f->channel, 10, now, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, 2);
  if (test_store_is_postgresql ())
    g_assert_true (omni_store_commit (f->store, &error));
  g_assert_no_error (error);

  note_claimed (seen, first);
  note_claimed (seen, second);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 6);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'sending'"
                                  " AND attempts = 1"), ==, 6);

  /* Leased by one or the other: nothing left for either. */
  rest = omni_store_claim_outbox (f->store, f->channel, 10, now + 1, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rest->len, ==, 0);

  /* Each acknowledges its own; a second acknowledgement from the other
   * instance is refused. */
  for (guint i = 0; i < second->len; i++)
    {
      gint64 id = ((OmniOutboxEntry *)second->pdata[i])->id;

      g_assert_true (omni_store_ack_outbox (other, id, &error));
      g_assert_no_error (error);
      g_assert_false (omni_store_ack_outbox (f->store, id, &error));
      g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
      g_clear_error (&error);
    }
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'done'"), ==, 2);
}

typedef struct
{
  const char *location;
  gint64      channel;
  guint       n_events;
  GHashTable *claimed;    /* entry ids, shared */
  GMutex     *lock;
  guint       recorded;   /* webhook deliveries stored as new */
  guint       duplicates;
} Racer;

static gpointer
claim_until_empty (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (r->location, &error);

  g_assert_no_error (error);
  for (guint empty = 0; empty < 3;)
    {
      g_autoptr(GPtrArray) claimed = omni_store_claim_outbox (store, r->channel, 2, 0, LEASE_US,
                                                              &error);

      g_assert_no_error (error);
      empty = claimed->len == 0 ? empty + 1 : 0;
      g_mutex_lock (r->lock);
      note_claimed (r->claimed, claimed);
      g_mutex_unlock (r->lock);
      for (guint i = 0; i < claimed->len; i++)
        {
          g_assert_true (omni_store_ack_outbox (store, ((OmniOutboxEntry *)claimed->pdata[i])->id,
                                                &error));
          g_assert_no_error (error);
        }
    }
  return NULL;
}

/* Two instances drain one channel's outbox at the same time: every entry
 * is sent once and acknowledged once. */
static void
test_outbox_claim_race (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) claimed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree gint64 *ids = NULL;
  GMutex lock;
  Racer racers[2];
  GThread *threads[2];

  queue_pushes (f, 24, &ids);
  g_mutex_init (&lock);
  for (guint i = 0; i < 2; i++)
    {
      racers[i] = (Racer) { .location = f->path, .channel = f->channel, .claimed = claimed,
                            .lock = &lock };
      threads[i] = g_thread_new ("claimer", claim_until_empty, &racers[i]);
    }
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&lock);

  g_assert_cmpuint (g_hash_table_size (claimed), ==, 24);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE state = 'done'"
                                  " AND attempts = 1"), ==, 24);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM channel_levels"), ==, 24);
}

static gpointer
queue_deliveries (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (r->location, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < r->n_events; i++)
    {
      g_autofree char *event_id = g_strdup_printf ("event-%03u", i);
      gboolean duplicate = FALSE;
      gint64 id;

      id = omni_store_queue_webhook (store, r->channel, event_id, "inventory_levels/update",
                                     "{}", &duplicate, &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      if (duplicate)
        r->duplicates++;
      else
        r->recorded++;
    }
  return NULL;
}

/* The same deliveries reach two instances at the same time: each is stored
 * once, the other instance is told it is a duplicate, and nobody fails. */
static void
test_webhook_dedup_race (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniWebhookEvent) next = NULL;
  Racer racers[2];
  GThread *threads[2];
  gboolean duplicate = FALSE;

  for (guint i = 0; i < 2; i++)
    {
      racers[i] = (Racer) { .location = f->path, .channel = f->channel, .n_events = 60 };
      threads[i] = g_thread_new ("receiver", queue_deliveries, &racers[i]);
    }
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (racers[0].recorded + racers[1].recorded, ==, 60);
  g_assert_cmpuint (racers[0].duplicates + racers[1].duplicates, ==, 60);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM webhook_events"), ==, 60);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT event_id) FROM webhook_events"), ==, 60);

  /* Refused input changes nothing; a later copy names the first row. */
  g_assert_cmpint (omni_store_queue_webhook (f->store, f->channel, "", "orders/create", "{}",
                                             &duplicate, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_queue_webhook (f->store, f->channel, "event-000", "orders/create",
                                             "{}", &duplicate, &error), ==,
                   count_rows (f, "SELECT id FROM webhook_events WHERE event_id = 'event-000'"));
  g_assert_no_error (error);
  g_assert_true (duplicate);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM webhook_events"), ==, 60);
}

/* Duplicate and rejected counters add up from two instances. */
static gpointer
add_counts (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (r->location, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < r->n_events; i++)
    {
      g_assert_true (omni_store_add_webhook_counts (store, 1, 2, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_webhook_counts_race (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(OmniWebhookStats) stats = { 0 };
  Racer racers[2];
  GThread *threads[2];

  for (guint i = 0; i < 2; i++)
    {
      racers[i] = (Racer) { .location = f->path, .n_events = 40 };
      threads[i] = g_thread_new ("counter", add_counts, &racers[i]);
    }
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_assert_true (omni_store_get_webhook_stats (f->store, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.duplicates, ==, 80);
  g_assert_cmpint (stats.rejected, ==, 160);
}

/* Who syncs a channel: one connection at a time on PostgreSQL, and the
 * server lets go when that connection ends; always this store on SQLite. */
static void
test_sync_lock (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) other = NULL;
  g_autoptr(GPtrArray) in_flight = NULL;
  g_autoptr(GPtrArray) nothing = NULL;
  g_autoptr(GPtrArray) taken_over = NULL;
  gint64 second_channel;
  gboolean elsewhere = TRUE;
  gboolean shared = !test_store_is_postgresql ();

  second_channel = omni_store_add_channel (f->store, "amazon", "Amazon EU", "A1SELLER", NULL,
                                           &error);
  g_assert_no_error (error);
  other = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_true (omni_store_try_lock_channel_sync (f->store, f->channel, &elsewhere, &error));
  g_assert_no_error (error);
  g_assert_false (elsewhere);
  /* Taken twice by its holder, still one lock. */
  g_assert_true (omni_store_try_lock_channel_sync (f->store, f->channel, NULL, &error));
  g_assert_no_error (error);

  /* Inside a transaction that rolls back, the lock stays. */
  g_assert_true (omni_store_begin (f->store, &error));
  g_assert_true (omni_store_try_lock_channel_sync (f->store, f->channel, NULL, &error));
  omni_store_rollback (f->store);

  /* The other instance: refused, without an error; another channel is free. */
  g_assert_cmpint (omni_store_try_lock_channel_sync (other, f->channel, &elsewhere, &error), ==,
                   shared);
  g_assert_no_error (error);
  g_assert_cmpint (elsewhere, ==, !shared);
  g_assert_true (omni_store_try_lock_channel_sync (other, second_channel, &elsewhere, &error));
  g_assert_false (elsewhere);

  /* Released once (it was taken twice): the other instance may have it. */
  g_assert_true (omni_store_unlock_channel_sync (f->store, f->channel, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_try_lock_channel_sync (other, f->channel, &elsewhere, &error));
  g_assert_no_error (error);
  g_assert_false (elsewhere);
  g_assert_cmpint (omni_store_try_lock_channel_sync (f->store, f->channel, &elsewhere, &error), ==,
                   shared);
  g_assert_cmpint (elsewhere, ==, !shared);
  /* The holder claims a push and asks for the lock again: its lease stays. */
  link_tee_s (f);
  move (f, f->tee_s, f->shop, 3, "app");
  in_flight = omni_store_claim_outbox (other, f->channel, 10, 0, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in_flight->len, ==, 1);
  g_assert_true (omni_store_try_lock_channel_sync (other, f->channel, NULL, &error));
  nothing = omni_store_claim_outbox (f->store, f->channel, 10, 0, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nothing->len, ==, 0);

  /* Releasing what this store does not hold does nothing. */
  g_assert_true (omni_store_unlock_channel_sync (f->store, second_channel, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_try_lock_channel_sync (f->store, second_channel, NULL, &error), ==,
                   shared);

  /* The holder goes away (closed here; a crash ends its connection the
   * same way): the first instance takes over once the server notices. */
  g_clear_object (&other);
  for (guint i = 0; i < 100; i++)
    {
      if (omni_store_try_lock_channel_sync (f->store, f->channel, &elsewhere, &error))
        break;
      g_assert_no_error (error);
      g_usleep (50 * 1000);
    }
  g_assert_no_error (error);
  g_assert_false (elsewhere);
  g_assert_true (omni_store_try_lock_channel_sync (f->store, second_channel, &elsewhere, &error));
  g_assert_false (elsewhere);

  /* On PostgreSQL the push the gone instance left "sending" is sent again
   * at once by the new holder, with the same key; SQLite has no other
   * instance, and the lease runs its course. */
  taken_over = omni_store_claim_outbox (f->store, f->channel, 10, 0, LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken_over->len, ==, shared ? 0 : 1);
  if (!shared)
    {
      OmniOutboxEntry *e = taken_over->pdata[0];

      g_assert_cmpstr (e->op_id, ==, ((OmniOutboxEntry *)in_flight->pdata[0])->op_id);
      g_assert_cmpstr (e->payload, ==, ((OmniOutboxEntry *)in_flight->pdata[0])->payload);
      g_assert_cmpint (e->attempts, ==, 2);
    }
}

/* A database of schema 1 with stock in it is migrated: the channel tables
 * gain their levels, and movements start enqueuing pushes. */
static void
test_migrate_from_1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omni-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *script_path = g_test_build_filename (G_TEST_DIST, "..", "src", "core",
                                                        "migrations", "0001-initial.sql", NULL);
  g_autofree char *script = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  sqlite3 *db = NULL;
  gint64 count = 0;

  if (test_store_is_postgresql ())
    {
      g_test_skip ("This case builds a schema 1 SQLite file; PostgreSQL starts at schema 7");
      g_rmdir (dir);
      return;
    }

  g_assert_true (g_file_get_contents (script_path, &script, NULL, &error));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, script, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "PRAGMA application_id = 1330466377; PRAGMA user_version = 1;"
                                 "INSERT INTO products (id, handle, title, created_at, updated_at)"
                                 " VALUES (1, 'tee', 'Tee', 'x', 'x');"
                                 "INSERT INTO variants (id, product_id, sku, created_at, updated_at)"
                                 " VALUES (1, 1, 'TEE', 'x', 'x');"
                                 "INSERT INTO locations (id, name, is_default, created_at)"
                                 " VALUES (1, 'Shop', 1, 'x');"
                                 "INSERT INTO movements (op_id, operation, variant_id, location_id,"
                                 " on_hand_delta, reason, actor, created_at)"
                                 " VALUES ('m1', 'm1', 1, 1, 4, 'received', 'me', 'x');"
                                 "INSERT INTO channels (id, platform, name, account, created_at)"
                                 " VALUES (1, 'shopify', 'fern', 'fern.myshopify.com', 'x');"
                                 "INSERT INTO channel_locations (channel_id, remote_id, remote_name,"
                                 " location_id) VALUES (1, 'gid://shopify/Location/1', 'Shop', 1);"
                                 "INSERT INTO channel_links (channel_id, variant_id, remote_variant_id,"
                                 " remote_inventory_id, linked_by, updated_at)"
                                 " VALUES (1, 1, 'v1', 'i1', 'sku', 'x');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_schema_version (store), ==,
                   omni_store_get_latest_schema_version ());
  g_assert_cmpint (omni_store_get_available_at (store, 1, 1), ==, 4);

  {
    OmniMovementSpec m = { .variant_id = 1, .location_id = 1, .on_hand_delta = -1,
                           .reason = OMNI_REASON_SOLD };
    g_autoptr(GPtrArray) claimed = NULL;

    g_assert_true (omni_store_record_movements (store, &m, 1, &error));
    claimed = omni_store_claim_outbox (store, 1, 10, 0, LEASE_US, &error);
    g_assert_no_error (error);
    count = claimed->len;
    g_assert_cmpint (count, ==, 1);
    g_assert_cmpstr (((OmniOutboxEntry *)claimed->pdata[0])->payload, ==,
                     "{\"inventory_item_id\":\"i1\",\"location_id\":\"gid://shopify/Location/1\","
                     "\"quantity\":3,\"change_from\":null}");
  }

  g_clear_object (&store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/channel/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("crud", test_channel_crud);
  ADD ("locations", test_channel_locations);
  ADD ("match", test_channel_match);
  ADD ("outbox-same-transaction", test_outbox_enqueue_same_transaction);
  ADD ("outbox-claim-ack", test_outbox_claim_ack);
  ADD ("outbox-fail-backoff", test_outbox_fail_backoff);
  ADD ("outbox-conflict-noop", test_outbox_conflict_and_noop);
  ADD ("cursors-log-remove", test_channel_cursors_log_remove);
  ADD ("outbox-two-claimers", test_outbox_two_claimers);
  ADD ("outbox-claim-race", test_outbox_claim_race);
  ADD ("webhook-dedup-race", test_webhook_dedup_race);
  ADD ("webhook-counts-race", test_webhook_counts_race);
  ADD ("sync-lock", test_sync_lock);
  g_test_add_func ("/omni/channel/migrate-from-1", test_migrate_from_1);

  return g_test_run ();
}
