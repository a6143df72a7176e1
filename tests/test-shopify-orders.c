/* test-shopify-orders.c: channel orders reserve stock until they ship
 *
 * An unfulfilled order commits its units (available down, on hand
 * unchanged); fulfilment turns them into `sold` (on hand and committed
 * down) exactly once; a cancellation releases what is still reserved and
 * returns what shipped and was not refunded; a refund that arrives before
 * its order is counted once. The store cases need nothing else; the
 * connector cases run against the in-process Shopify mock with the real
 * keyring (build-aux/run-tests.sh's D-Bus session) and skip without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "omni-store-webhook.h"

static gboolean have_keyring;

typedef struct
{
  char         *dir;
  char         *path;
  OmniStore    *store;
  gint64        shop;
  gint64        channel;
  gint64        variant;
  /* connector cases */
  char         *account;
  char         *token;
  MockShopify  *mock;
  GArray       *variants;
  gboolean      done;
  gboolean      ok;
  GError       *error;
} Fixture;

typedef struct
{
  gint64 on_hand;
  gint64 committed;
  gint64 available;
} Level;

static Level
level_of (OmniStore *store,
          gint64     variant,
          gint64     location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) levels = omni_store_get_levels (store, variant, &error);
  Level level = { 0 };

  g_assert_no_error (error);
  for (guint i = 0; i < levels->len; i++)
    {
      OmniLevel *l = levels->pdata[i];

      if (l->location_id == location)
        {
          level.on_hand = l->on_hand;
          level.committed = l->committed;
          level.available = l->available;
        }
    }
  return level;
}

#define assert_level(f, variant, oh, c, a) \
  G_STMT_START { \
    Level _l = level_of ((f)->store, (variant), (f)->shop); \
    g_assert_cmpint (_l.on_hand, ==, (oh)); \
    g_assert_cmpint (_l.committed, ==, (c)); \
    g_assert_cmpint (_l.available, ==, (a)); \
    assert_ledger_ok ((f)->store); \
  } G_STMT_END

/* `omnistock-cli check`: every level is the sum of its movements and every
 * aggregate (stock figures, sales per day and per variant) what the rows
 * say. */
static void
assert_ledger_ok (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (mismatches);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

static guint
count_movements (OmniStore  *store,
                 gint64      variant,
                 const char *reason)
{
  OmniHistoryFilter filter = { .reason = reason };
  g_autoptr(GPtrArray) movements = omni_store_get_history (store, variant, &filter, NULL);

  return movements->len;
}

/* Store cases ------------------------------------------------------------ */

static void
store_set_up (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Fern" };
  const OmniVariantSpec variant = { .sku = "FERN-1", .price = 1000, .compare_at_price = -1,
                                    .cost = -1, .reorder_point = -1, .reorder_qty = -1 };
  OmniMovementSpec received = { .on_hand_delta = 10, .reason = OMNI_REASON_RECEIVED,
                                .source = "app" };

  f->dir = g_dir_make_tmp ("omni-orders-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->variants = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &f->variant, &error),
                   >, 0);
  received.variant_id = f->variant;
  received.location_id = f->shop;
  g_assert_true (omni_store_record_movements (f->store, &received, 1, &error));
  f->channel = omni_store_add_channel (f->store, "shopify", "Fern", "fern.myshopify.com",
                                       "http://127.0.0.1:9", &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel,
                                                     "gid://shopify/Location/1", "Shop Floor",
                                                     TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (f->store, f->channel,
                                                  "gid://shopify/Location/1", f->shop, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (f->account != NULL)
    omni_secret_clear ("shopify", f->account, NULL, NULL);
  g_clear_object (&f->store);
  g_clear_pointer (&f->mock, mock_shopify_free);
  g_clear_pointer (&f->variants, g_array_unref);
  g_clear_error (&f->error);
  if (f->path != NULL)
    {
      wal = g_strconcat (f->path, "-wal", NULL);
      shm = g_strconcat (f->path, "-shm", NULL);
      g_unlink (wal);
      g_unlink (shm);
      g_unlink (f->path);
      g_rmdir (f->dir);
    }
  g_free (f->path);
  g_free (f->dir);
  g_free (f->account);
  g_free (f->token);
}

/* One line of @quantity units of the fixture's variant, @fulfilled of them
 * shipped and @unfulfilled still to ship. */
static gint64
record (Fixture     *f,
        const char  *remote_id,
        gint64       quantity,
        gint64       fulfilled,
        gint64       unfulfilled,
        GError     **error)
{
  OmniOrderLineSpec line = {
    .variant_id = f->variant, .sku = "FERN-1", .title = "Fern", .quantity = quantity,
    .price = 1000, .track_fulfilment = TRUE, .fulfilled = fulfilled, .unfulfilled = unfulfilled,
  };
  OmniOrderSpec order = {
    .channel_id = f->channel, .remote_id = remote_id, .name = remote_id, .currency = "EUR",
    .location_id = f->shop, .lines = &line, .n_lines = 1, .actor = "Fern",
  };

  return omni_store_record_order (f->store, &order, error);
}

static gboolean
cancel (Fixture    *f,
        const char *remote_id)
{
  g_autoptr(GError) error = NULL;
  gboolean reversed = FALSE;

  g_assert_true (omni_store_cancel_channel_order (f->store, f->channel, remote_id, &reversed,
                                                  &error));
  g_assert_no_error (error);
  return reversed;
}

static gint64
refund (Fixture    *f,
        const char *order_remote_id,
        const char *line_id,
        gint64      quantity)
{
  g_autoptr(GError) error = NULL;
  OmniRefundLineSpec line = { .remote_line_id = line_id, .variant_id = f->variant,
                              .quantity = quantity, .restock = TRUE };
  OmniRefundSpec spec = { .channel_id = f->channel, .remote_id = line_id,
                          .order_remote_id = order_remote_id, .lines = &line, .n_lines = 1 };
  gint64 returned = -1;

  g_assert_true (omni_store_record_refund (f->store, &spec, &returned, &error));
  g_assert_no_error (error);
  return returned;
}

static void
test_committed_then_fulfilled (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* Ordered, nothing shipped: reserved. */
  id = record (f, "gid://shopify/Order/1", 3, 0, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  assert_level (f, f->variant, 10, 3, 7);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_COMMITTED), ==, 1);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_SOLD), ==, 0);

  /* The same order again (webhook and poll): nothing new. */
  g_assert_cmpint (record (f, "gid://shopify/Order/1", 3, 0, 3, &error), ==, id);
  assert_level (f, f->variant, 10, 3, 7);

  /* One shipped: on hand and committed both down one, available unchanged. */
  g_assert_cmpint (record (f, "gid://shopify/Order/1", 3, 1, 2, &error), ==, id);
  g_assert_no_error (error);
  assert_level (f, f->variant, 9, 2, 7);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_SOLD), ==, 1);

  /* Replayed, and an older copy arriving late: nothing moves backwards. */
  g_assert_cmpint (record (f, "gid://shopify/Order/1", 3, 1, 2, &error), ==, id);
  g_assert_cmpint (record (f, "gid://shopify/Order/1", 3, 0, 3, &error), ==, id);
  assert_level (f, f->variant, 9, 2, 7);
  g_assert_cmpuint (count_movements (f->store, f->variant, NULL), ==, 3);

  /* The rest shipped. */
  g_assert_cmpint (record (f, "gid://shopify/Order/1", 3, 3, 0, &error), ==, id);
  assert_level (f, f->variant, 7, 0, 7);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_SOLD), ==, 2);
  g_assert_cmpint (record (f, "gid://shopify/Order/1", 3, 3, 0, &error), ==, id);
  assert_level (f, f->variant, 7, 0, 7);
  g_assert_cmpuint (count_movements (f->store, f->variant, NULL), ==, 4);

  /* Ordered with one shipped already: one sold, one reserved. */
  g_assert_cmpint (record (f, "gid://shopify/Order/2", 2, 1, 1, &error), >, id);
  assert_level (f, f->variant, 6, 1, 5);

  /* A unit removed before it shipped is released, once. */
  g_assert_cmpint (record (f, "gid://shopify/Order/2", 2, 1, 0, &error), >, id);
  assert_level (f, f->variant, 6, 0, 6);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_RELEASED), ==, 1);
  g_assert_cmpint (record (f, "gid://shopify/Order/2", 2, 1, 0, &error), >, id);
  assert_level (f, f->variant, 6, 0, 6);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_RELEASED), ==, 1);
}

static void
test_default_ships_whole (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OmniOrderLineSpec line = { .variant_id = f->variant, .title = "Fern", .quantity = 2,
                             .price = 500 };
  OmniOrderSpec order = { .channel_id = f->channel, .remote_id = "AMZ-1", .name = "AMZ-1",
                          .location_id = f->shop, .lines = &line, .n_lines = 1 };

  /* Callers that say nothing of fulfilment (Amazon, eBay, the shop) sell
   * the whole line at once, as before. */
  g_assert_cmpint (omni_store_record_order (f->store, &order, &error), >, 0);
  g_assert_no_error (error);
  assert_level (f, f->variant, 8, 0, 8);
  g_assert_cmpint (omni_store_record_order (f->store, &order, &error), >, 0);
  assert_level (f, f->variant, 8, 0, 8);
  g_assert_true (cancel (f, "AMZ-1"));
  assert_level (f, f->variant, 10, 0, 10);
}

static void
test_refused_counts (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* More fulfilled and unfulfilled than ordered, or negative: refused,
   * nothing written. */
  g_assert_cmpint (record (f, "gid://shopify/Order/9", 2, 2, 1, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "cannot be negative nor exceed the quantity"));
  g_clear_error (&error);
  g_assert_cmpint (record (f, "gid://shopify/Order/9", 2, -1, 1, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_false (cancel (f, "gid://shopify/Order/9"));
  assert_level (f, f->variant, 10, 0, 10);
  g_assert_cmpuint (count_movements (f->store, f->variant, NULL), ==, 1);
}

static void
test_cancel_partly_fulfilled (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (record (f, "gid://shopify/Order/3", 4, 0, 4, &error), >, 0);
  g_assert_cmpint (record (f, "gid://shopify/Order/3", 4, 1, 3, &error), >, 0);
  assert_level (f, f->variant, 9, 3, 6);

  /* The shipped unit comes back, the three reserved are released. */
  g_assert_true (cancel (f, "gid://shopify/Order/3"));
  assert_level (f, f->variant, 10, 0, 10);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_RETURNED), ==, 1);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_RELEASED), ==, 1);

  /* Cancelled twice, or the order seen again afterwards: nothing. */
  g_assert_false (cancel (f, "gid://shopify/Order/3"));
  g_assert_cmpint (record (f, "gid://shopify/Order/3", 4, 4, 0, &error), >, 0);
  assert_level (f, f->variant, 10, 0, 10);
  g_assert_cmpuint (count_movements (f->store, f->variant, NULL), ==, 5);

  /* An order cancelled before anything shipped only releases. */
  g_assert_cmpint (record (f, "gid://shopify/Order/4", 2, 0, 2, &error), >, 0);
  assert_level (f, f->variant, 10, 2, 8);
  g_assert_true (cancel (f, "gid://shopify/Order/4"));
  assert_level (f, f->variant, 10, 0, 10);
  g_assert_cmpuint (count_movements (f->store, f->variant, OMNI_REASON_RETURNED), ==, 1);
}

static void
test_refund_after_fulfilment (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (record (f, "gid://shopify/Order/5", 3, 0, 3, &error), >, 0);
  g_assert_cmpint (record (f, "gid://shopify/Order/5", 3, 3, 0, &error), >, 0);
  assert_level (f, f->variant, 7, 0, 7);

  /* Two come back and are restocked, once. */
  g_assert_cmpint (refund (f, "gid://shopify/Order/5", "gid://shopify/RefundLineItem/51", 2), ==, 2);
  g_assert_cmpint (refund (f, "gid://shopify/Order/5", "gid://shopify/RefundLineItem/51", 2), ==, 0);
  assert_level (f, f->variant, 9, 0, 9);

  /* Cancelled afterwards: only the unit not refunded comes back. */
  g_assert_true (cancel (f, "gid://shopify/Order/5"));
  assert_level (f, f->variant, 10, 0, 10);
}

/* The refund's delivery comes before its order's (a webhook before the
 * poll, or the order before the cursor's window): the refund returns its
 * units, the order then sells them, the cancellation returns only the rest. */
static void
test_refund_before_order (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (refund (f, "gid://shopify/Order/6", "gid://shopify/RefundLineItem/61", 1), ==, 1);
  assert_level (f, f->variant, 11, 0, 11);

  g_assert_cmpint (record (f, "gid://shopify/Order/6", 3, 3, 0, &error), >, 0);
  g_assert_no_error (error);
  assert_level (f, f->variant, 8, 0, 8);

  /* The refund seen again by the poll: nothing. */
  g_assert_cmpint (refund (f, "gid://shopify/Order/6", "gid://shopify/RefundLineItem/61", 1), ==, 0);
  assert_level (f, f->variant, 8, 0, 8);

  /* 3 sold, 1 already back: the cancellation returns 2, not 3. */
  g_assert_true (cancel (f, "gid://shopify/Order/6"));
  assert_level (f, f->variant, 10, 0, 10);
  g_assert_false (cancel (f, "gid://shopify/Order/6"));
  assert_level (f, f->variant, 10, 0, 10);
}

/* The same events in the usual order: order, refund, cancellation. */
static void
test_refund_after_order (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (record (f, "gid://shopify/Order/7", 3, 3, 0, &error), >, 0);
  assert_level (f, f->variant, 7, 0, 7);
  g_assert_cmpint (refund (f, "gid://shopify/Order/7", "gid://shopify/RefundLineItem/71", 1), ==, 1);
  assert_level (f, f->variant, 8, 0, 8);
  g_assert_true (cancel (f, "gid://shopify/Order/7"));
  assert_level (f, f->variant, 10, 0, 10);

  /* An early refund of one order is not counted against another. */
  g_assert_cmpint (refund (f, "gid://shopify/Order/8", "gid://shopify/RefundLineItem/81", 1), ==, 1);
  g_assert_cmpint (record (f, "gid://shopify/Order/80", 2, 2, 0, &error), >, 0);
  assert_level (f, f->variant, 9, 0, 9);
  g_assert_true (cancel (f, "gid://shopify/Order/80"));
  assert_level (f, f->variant, 11, 0, 11);
}

/* Connector cases (mock Shopify, real keyring) --------------------------- */

#define REQUIRE_KEYRING() \
  G_STMT_START { \
    if (!have_keyring) \
      { \
        g_test_skip ("No Secret Service on the session bus: run the suite with " \
                     "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)"); \
        return; \
      } \
  } G_STMT_END

static void
mock_set_up (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());

  f->variants = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!have_keyring)
    return;

  f->dir = g_dir_make_tmp ("omni-orders-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);

  f->mock = mock_shopify_new ();
  mock_shopify_add_location (f->mock, "Shop Floor");
  f->token = g_strdup_printf ("shpat_TOKEN%s%08x", suffix, g_random_int ());
  mock_shopify_add_token (f->mock, f->token);
  f->account = g_strdup_printf ("orders-%s.myshopify.com", suffix);
  f->channel = omni_store_add_channel (f->store, "shopify", NULL, f->account,
                                       mock_shopify_get_url (f->mock), &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, f->channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_secret_store ("shopify", f->account, "OmniStock test", f->token, NULL, &error));
  g_assert_no_error (error);

  /* Two variants, 6 and 4 units on both sides. */
  g_assert_true (omni_store_begin (f->store, &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *sku = g_strdup_printf ("ORD-%u", i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = { .sku = sku, .price = 1000, .compare_at_price = -1,
                                        .cost = -1, .reorder_point = -1, .reorder_qty = -1 };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
      g_array_append_val (f->variants, id);
      g_assert_cmpuint (mock_shopify_add_variant (f->mock, sku, NULL, i == 0 ? 6 : 4), ==, i);
    }
  g_assert_true (omni_store_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_clear_error (&f->error);
  f->ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &f->error);
  f->done = TRUE;
}

/* A pull or push on the connector's worker while this thread serves the
 * mock, as the app does. */
static void
run (Fixture              *f,
     OmniShopifyConnector *connector,
     gboolean              push)
{
  f->done = FALSE;
  if (push)
    omni_connector_push_async (OMNI_CONNECTOR (connector), NULL, on_done, f);
  else
    omni_connector_pull_async (OMNI_CONNECTOR (connector), NULL, on_done, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
}

#define VARIANT(f, i) g_array_index ((f)->variants, gint64, (i))

static void
test_pull_commits_then_sells (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  guint movements;

  REQUIRE_KEYRING ();

  connector = omni_shopify_connector_new (f->path, f->channel);
  omni_shopify_connector_set_retry (connector, 4, 20);
  run (f, connector, FALSE);       /* first sync: links, levels, the orders cursor */
  assert_level (f, VARIANT (f, 0), 6, 0, 6);

  /* Ordered on Shopify, not shipped: committed +2, available −2, on hand
   * unchanged; Shopify's available went down too, so nothing to push. */
  mock_shopify_add_unfulfilled_order (f->mock, "#3001", 0, 2);
  run (f, connector, FALSE);
  assert_level (f, VARIANT (f, 0), 6, 2, 4);
  run (f, connector, TRUE);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->mutations, ==, 0);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 4);

  /* Replayed pull: nothing new. */
  movements = count_movements (f->store, VARIANT (f, 0), NULL);
  run (f, connector, FALSE);
  assert_level (f, VARIANT (f, 0), 6, 2, 4);
  g_assert_cmpuint (count_movements (f->store, VARIANT (f, 0), NULL), ==, movements);

  /* One shipped, then the other. */
  mock_shopify_fulfil_order (f->mock, "#3001", 1);
  run (f, connector, FALSE);
  assert_level (f, VARIANT (f, 0), 5, 1, 4);
  mock_shopify_fulfil_order (f->mock, "#3001", 1);
  run (f, connector, FALSE);
  run (f, connector, FALSE);
  assert_level (f, VARIANT (f, 0), 4, 0, 4);
  g_assert_cmpuint (count_movements (f->store, VARIANT (f, 0), OMNI_REASON_SOLD), ==, 2);
  g_assert_cmpuint (count_movements (f->store, VARIANT (f, 0), OMNI_REASON_COMMITTED), ==, 1);
  run (f, connector, TRUE);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->mutations, ==, 0);
}

static void
test_pull_cancel_partly_fulfilled (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;

  REQUIRE_KEYRING ();

  connector = omni_shopify_connector_new (f->path, f->channel);
  omni_shopify_connector_set_retry (connector, 4, 20);
  run (f, connector, FALSE);

  mock_shopify_add_unfulfilled_order (f->mock, "#3002", 1, 3);
  mock_shopify_fulfil_order (f->mock, "#3002", 1);
  run (f, connector, FALSE);
  /* Seen first with one of three shipped: one sold, two reserved. */
  assert_level (f, VARIANT (f, 1), 3, 2, 1);

  /* Cancelled on Shopify: the shipped unit back, the two released. */
  mock_shopify_cancel_order (f->mock, "#3002");
  run (f, connector, FALSE);
  assert_level (f, VARIANT (f, 1), 4, 0, 4);
  run (f, connector, FALSE);
  assert_level (f, VARIANT (f, 1), 4, 0, 4);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 1, 0), ==, 4);
  run (f, connector, TRUE);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->mutations, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the connector cases: %s", error->message);

#define ADD_STORE(name, func) \
  g_test_add ("/omni/shopify-orders/store/" name, Fixture, NULL, store_set_up, func, \
              fixture_tear_down)
#define ADD_MOCK(name, func) \
  g_test_add ("/omni/shopify-orders/pull/" name, Fixture, NULL, mock_set_up, func, \
              fixture_tear_down)
  ADD_STORE ("committed-then-fulfilled", test_committed_then_fulfilled);
  ADD_STORE ("default-ships-whole", test_default_ships_whole);
  ADD_STORE ("refused-counts", test_refused_counts);
  ADD_STORE ("cancel-partly-fulfilled", test_cancel_partly_fulfilled);
  ADD_STORE ("refund-after-fulfilment", test_refund_after_fulfilment);
  ADD_STORE ("refund-before-order", test_refund_before_order);
  ADD_STORE ("refund-after-order", test_refund_after_order);
  ADD_MOCK ("commits-then-sells", test_pull_commits_then_sells);
  ADD_MOCK ("cancel-partly-fulfilled", test_pull_cancel_partly_fulfilled);

  status = g_test_run ();
  if (have_keyring)
    secret_service_disconnect ();
  return status;
}
