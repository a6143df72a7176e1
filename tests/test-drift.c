/* test-drift.c: reconciliation of local and channel quantities, and
 * refunds counted once whichever path sees them first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "omni-db.h"
#include "omni-store.h"
#include "omni-store-channel.h"
#include "omni-store-drift.h"
#include "omni-store-inventory.h"
#include "omni-store-webhook.h"
#include "test-store-util.h"

#define LOCATION_GID "gid://shopify/Location/24826418"
#define OTHER_LOCATION_GID "gid://shopify/Location/9000"

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     back;
  gint64     channel;
  gint64     variant;
  gint64     other;     /* linked, never drifts */
} Fixture;

static gint64
make_variant (Fixture    *f,
              const char *title,
              const char *sku,
              gint64      on_hand)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = title };
  const OmniVariantSpec variant = {
    .sku = sku, .price = 1000, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  OmniMovementSpec received = {
    .on_hand_delta = on_hand, .reason = OMNI_REASON_RECEIVED, .source = "app",
  };
  g_autofree char *variant_gid = g_strdup_printf ("gid://shopify/ProductVariant/%s", sku);
  g_autofree char *item_gid = g_strdup_printf ("gid://shopify/InventoryItem/%s", sku);
  OmniChannelLinkSpec link = {
    .channel_id = f->channel, .remote_variant_id = variant_gid, .remote_inventory_id = item_gid,
    .remote_sku = sku, .linked_by = "sku",
  };
  gint64 id = 0;

  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
  g_assert_no_error (error);
  received.variant_id = id;
  received.location_id = f->shop;
  g_assert_true (omni_store_record_movements (f->store, &received, 1, &error));
  link.variant_id = id;
  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-drift-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->back = omni_store_add_location (f->store, "Back Room", FALSE, &error);
  g_assert_no_error (error);
  f->channel = omni_store_add_channel (f->store, "shopify", "Fern", "fern.myshopify.com", NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, LOCATION_GID,
                                                     "Shop Floor", TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (f->store, f->channel, LOCATION_GID, f->shop,
                                                  &error));
  g_assert_no_error (error);
  /* Linked before any stock arrives: the receipts enqueue pushes. */
  f->variant = make_variant (f, "Fern Pot", "FERN-POT", 10);
  f->other = make_variant (f, "Moss Jar", "MOSS-JAR", 4);
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->other, LOCATION_GID, 4,
                                              &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static guint
count_outbox (Fixture    *f,
              const char *state)
{
  g_autoptr(GPtrArray) entries = omni_store_list_outbox (f->store, f->channel, state, 0, NULL);
  guint n = 0;

  g_assert_nonnull (entries);
  for (guint i = 0; i < entries->len; i++)
    if (((OmniOutboxEntry *)entries->pdata[i])->variant_id == f->variant)
      n++;
  return n;
}

/* Sends what is queued, as the pusher would, and records it as seen. */
static void
drain_outbox (Fixture *f,
              gint64   expect_quantity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = omni_store_claim_outbox (f->store, f->channel, 50, 0,
                                                          60 * G_USEC_PER_SEC, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < claimed->len; i++)
    {
      OmniOutboxEntry *entry = claimed->pdata[i];
      g_autofree char *quantity = g_strdup_printf ("\"quantity\":%" G_GINT64_FORMAT,
                                                   expect_quantity);

      if (entry->variant_id == f->variant)
        g_assert_nonnull (strstr (entry->payload, quantity));
      g_assert_true (omni_store_ack_outbox (f->store, entry->id, &error));
      g_assert_no_error (error);
    }
}

static void
test_list_and_explain (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drifts = NULL;
  g_autoptr(GPtrArray) events = NULL;
  OmniMovementSpec sold = {
    .variant_id = f->variant, .location_id = f->shop, .on_hand_delta = -2,
    .reason = OMNI_REASON_SOLD, .source = "app", .reference = "#1001",
  };
  OmniDrift *d;
  gboolean saw_sale = FALSE, saw_push = FALSE;

  /* Nothing seen on the channel yet: nothing to compare. */
  drifts = omni_store_list_drift (f->store, f->channel, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drifts->len, ==, 0);
  g_clear_pointer (&drifts, g_ptr_array_unref);

  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->variant, LOCATION_GID, 7,
                                              &error));
  g_assert_true (omni_store_record_movements (f->store, &sold, 1, &error));
  g_assert_no_error (error);

  drifts = omni_store_list_drift (f->store, f->channel, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drifts->len, ==, 1);
  d = drifts->pdata[0];
  g_assert_cmpint (d->variant_id, ==, f->variant);
  g_assert_cmpint (d->location_id, ==, f->shop);
  g_assert_cmpstr (d->sku, ==, "FERN-POT");
  g_assert_cmpstr (d->title, ==, "Fern Pot");
  g_assert_cmpstr (d->location_name, ==, "Shop Floor");
  g_assert_cmpint (d->available, ==, 8);
  g_assert_cmpint (d->expected, ==, 8);
  g_assert_cmpint (d->remote, ==, 7);
  g_assert_cmpint (d->pending, ==, 1);
  g_assert_cmpint (d->conflicts, ==, 0);

  events = omni_store_explain_drift (f->store, f->channel, f->variant, f->shop, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 3);
  g_assert_cmpstr (((OmniDriftEvent *)events->pdata[0])->side, ==, "remote");
  g_assert_cmpint (((OmniDriftEvent *)events->pdata[0])->quantity, ==, 7);
  for (guint i = 1; i < events->len; i++)
    {
      OmniDriftEvent *e = events->pdata[i];

      if (g_str_equal (e->side, "local") && g_str_equal (e->what, "sold"))
        {
          g_assert_cmpint (e->quantity, ==, -2);
          g_assert_nonnull (strstr (e->detail, "#1001"));
          saw_sale = TRUE;
        }
      if (g_str_equal (e->side, "remote") && g_str_equal (e->what, "pending"))
        saw_push = TRUE;
    }
  g_assert_true (saw_sale);
  g_assert_true (saw_push);

  /* A variant in step is no drift and has nothing to explain. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = omni_store_explain_drift (f->store, f->channel, f->other, f->shop, 0, &error);
  g_assert_null (events);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
}

static void
test_push_local (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drifts = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  gint64 entry;

  drain_outbox (f, 10);
  /* Someone set 3 on the channel while a local push was pending. */
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->variant, LOCATION_GID, 3,
                                              &error));
  entry = omni_store_enqueue_push (f->store, f->channel, f->variant, f->shop, &error);
  g_assert_no_error (error);
  conflicts = omni_store_claim_outbox (f->store, f->channel, 10, 0, G_USEC_PER_SEC, &error);
  g_assert_true (omni_store_conflict_outbox (f->store, entry, "changed there", 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_outbox (f, "conflict"), ==, 1);

  entry = omni_store_drift_push_local (f->store, f->channel, f->variant, f->shop, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry, >, 0);
  g_assert_cmpuint (count_outbox (f, "conflict"), ==, 0);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 1);
  /* Local stock untouched; the push carries 10 and, once sent, no drift. */
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);
  drain_outbox (f, 10);
  g_assert_true (omni_store_get_remote_level (f->store, f->channel, f->variant, LOCATION_GID,
                                              &entry));
  g_assert_cmpint (entry, ==, 10);
  drifts = omni_store_list_drift (f->store, f->channel, 0, &error);
  g_assert_cmpuint (drifts->len, ==, 0);

  /* Nothing left to fix: refused, nothing written. */
  g_assert_cmpint (omni_store_drift_push_local (f->store, f->channel, f->variant, f->shop, &error),
                   ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);
}

static void
test_accept_remote (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drifts = NULL;
  g_auto(OmniStoreStats) before = { 0 };
  g_auto(OmniStoreStats) after = { 0 };
  gint64 delta = 0;

  drain_outbox (f, 10);
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->variant, LOCATION_GID, 6,
                                              &error));
  g_assert_true (omni_store_get_stats (f->store, &before, NULL));

  g_assert_true (omni_store_drift_accept_remote (f->store, f->channel, f->variant, f->shop,
                                                 "Tess", &delta, &error));
  g_assert_no_error (error);
  g_assert_cmpint (delta, ==, -4);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 6);
  g_assert_true (omni_store_get_stats (f->store, &after, NULL));
  g_assert_cmpint (after.movements, ==, before.movements + 1);
  /* Not echoed back to the channel it came from. */
  g_assert_cmpuint (count_outbox (f, "pending"), ==, 0);
  drifts = omni_store_list_drift (f->store, f->channel, 0, &error);
  g_assert_cmpuint (drifts->len, ==, 0);

  /* A second accept has nothing to fix and writes nothing. */
  g_assert_false (omni_store_drift_accept_remote (f->store, f->channel, f->variant, f->shop,
                                                  "Tess", &delta, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 6);
}

static void
test_accept_remote_with_buffer (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drifts = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE channel_links SET buffer = 2 WHERE variant_id = %"
                                          G_GINT64_FORMAT, f->variant);
  OmniDb *db;
  gint64 delta = 0;

  drain_outbox (f, 10);
  /* Behind the store's back, on a connection of its own. */
  if (test_store_is_postgresql ())
    {
      db = omni_db_open_postgresql (f->path, &error);
      g_assert_no_error (error);
    }
  else
    {
      sqlite3 *handle = NULL;

      g_assert_cmpint (sqlite3_open (f->path, &handle), ==, SQLITE_OK);
      db = omni_db_new_sqlite (handle);
    }
  g_assert_cmpint (omni_db_exec (db, sql), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_changes (db), ==, 1);
  omni_db_close (db);
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, f->variant, LOCATION_GID, 10,
                                              &error));

  /* Channel shows 10, OmniStock expects 10 - 2 = 8. */
  drifts = omni_store_list_drift (f->store, f->channel, 0, &error);
  g_assert_cmpuint (drifts->len, ==, 1);
  g_assert_cmpint (((OmniDrift *)drifts->pdata[0])->expected, ==, 8);
  g_assert_cmpint (((OmniDrift *)drifts->pdata[0])->remote, ==, 10);

  /* Accepting 10 on the channel means 12 available here. */
  g_assert_true (omni_store_drift_accept_remote (f->store, f->channel, f->variant, f->shop,
                                                 NULL, &delta, &error));
  g_assert_no_error (error);
  g_assert_cmpint (delta, ==, 2);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 12);
}

static void
test_freshness (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *at = omni_store_channel_fresh_at (f->store, f->channel);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_null (at);
  g_assert_true (omni_store_mark_channel_synced (f->store, f->channel, &error));
  at = omni_store_channel_fresh_at (f->store, f->channel);
  g_assert_nonnull (at);
  when = g_date_time_new_from_iso8601 (at, NULL);
  g_assert_nonnull (when);
  g_assert_cmpint (ABS (g_date_time_difference (now, when)), <, 60 * G_TIME_SPAN_SECOND);
}

/* Refunds by poll before webhook, and input refused without a trace. */
static void
test_refund_poll_first (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OmniOrderLineSpec lines[] = {
    { .variant_id = f->variant, .sku = "FERN-POT", .title = "Fern Pot", .quantity = 3 },
  };
  OmniOrderSpec order = {
    .channel_id = f->channel, .remote_id = "gid://shopify/Order/1", .name = "#1", .currency = "USD",
    .location_id = f->shop, .lines = lines, .n_lines = 1,
  };
  const OmniRefundLineSpec refund_lines[] = {
    { .remote_line_id = "gid://shopify/RefundLineItem/11", .variant_id = f->variant,
      .quantity = 2, .restock = TRUE },
  };
  OmniRefundSpec refund = {
    .channel_id = f->channel, .remote_id = "gid://shopify/Refund/5",
    .order_remote_id = "gid://shopify/Order/1", .lines = refund_lines, .n_lines = 1,
  };
  const OmniRefundLineSpec bad_lines[] = {
    { .remote_line_id = "gid://shopify/RefundLineItem/12", .variant_id = f->variant,
      .quantity = 1, .restock = TRUE },
    { .remote_line_id = NULL, .variant_id = f->variant, .quantity = 1, .restock = TRUE },
  };
  OmniRefundSpec bad = refund;
  gboolean cancelled = FALSE;
  gint64 returned = -1;

  g_assert_cmpint (omni_store_record_order (f->store, &order, &error), >, 0);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 7);

  g_assert_true (omni_store_record_refund (f->store, &refund, &returned, &error));
  g_assert_cmpint (returned, ==, 2);
  g_assert_true (omni_store_record_refund (f->store, &refund, &returned, &error));
  g_assert_no_error (error);
  g_assert_cmpint (returned, ==, 0);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 9);

  bad.lines = bad_lines;
  bad.n_lines = 2;
  g_assert_false (omni_store_record_refund (f->store, &bad, &returned, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 9);

  /* The cancellation returns only the unit not refunded. */
  g_assert_true (omni_store_cancel_channel_order (f->store, f->channel, "gid://shopify/Order/1",
                                                  &cancelled, &error));
  g_assert_true (cancelled);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/drift/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list-and-explain", test_list_and_explain);
  ADD ("push-local", test_push_local);
  ADD ("accept-remote", test_accept_remote);
  ADD ("accept-remote-with-buffer", test_accept_remote_with_buffer);
  ADD ("freshness", test_freshness);
  ADD ("refund-poll-first", test_refund_poll_first);
#undef ADD

  return g_test_run ();
}
