/* test-remote-variants.c: unmatched remote variants (record, list, link,
 * import, ignore), in the store and through a Shopify pull from the mock
 *
 * The pull cases need a Secret Service (build-aux/run-tests.sh provides
 * one) and are skipped with a message without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mock-shopify.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-catalog.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"
#include "omni-db.h"
#include "test-store-util.h"

static gboolean have_keyring;

typedef struct
{
  char      *dir;
  char      *path;
  OmniStore *store;
  gint64     shop;
  gint64     channel;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-remote-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  f->channel = omni_store_add_channel (f->store, "shopify", "Fern", "fern.myshopify.com",
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, "gid://shopify/Location/1",
                                                     "Shop Floor", TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (f->store, f->channel, "gid://shopify/Location/1",
                                                  f->shop, &error));
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

/* One number from the database, read on a connection of its own. */
static gint64
count (Fixture    *f,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  OmniDb *db;
  OmniDbStmt *stmt = NULL;
  gint64 value = -1;

  if (test_store_is_postgresql ())
    {
      db = omni_db_open_postgresql (f->path, &error);
      g_assert_no_error (error);
    }
  else
    {
      sqlite3 *handle = NULL;

      g_assert_cmpint (sqlite3_open_v2 (f->path, &handle, SQLITE_OPEN_READONLY, NULL), ==,
                       SQLITE_OK);
      db = omni_db_new_sqlite (handle);
    }
  g_assert_cmpint (omni_db_prepare (db, sql, &stmt), ==, SQLITE_OK);
  if (omni_db_step (stmt) == SQLITE_ROW)
    value = omni_db_column_int64 (stmt, 0);
  omni_db_finalize (stmt);
  omni_db_close (db);
  return value;
}

static gint64
add_local (Fixture    *f,
           const char *sku,
           const char *barcode,
           gint64      stock)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = sku };
  const OmniVariantSpec variant = {
    .sku = sku, .barcode = barcode, .price = 1000, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  gint64 id = 0;

  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
  g_assert_no_error (error);
  if (stock != 0)
    {
      OmniMovementSpec m = {
        .variant_id = id, .location_id = f->shop, .on_hand_delta = stock,
        .reason = OMNI_REASON_RECEIVED, .source = "app",
      };

      g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
      g_assert_no_error (error);
    }
  return id;
}

static void
record (Fixture    *f,
        const char *remote_id,
        const char *product_id,
        const char *sku,
        const char *barcode,
        const char *product_title,
        const char *title,
        OmniMoney   price)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *item = g_strdup_printf ("%s-item", remote_id);
  OmniRemoteVariantSpec spec = {
    .channel_id = f->channel, .remote_variant_id = remote_id, .remote_product_id = product_id,
    .remote_inventory_id = item, .sku = sku, .barcode = barcode,
    .product_title = product_title, .title = title, .price = price,
    .currency = price >= 0 ? "EUR" : NULL,
  };

  g_assert_true (omni_store_record_remote_variant (f->store, &spec, &error));
  g_assert_no_error (error);
}

static OmniRemoteVariant *
find (Fixture    *f,
      const char *remote_id)
{
  return omni_store_find_remote_variant (f->store, f->channel, remote_id, NULL);
}

static gboolean
listed (Fixture    *f,
        const char *remote_id)
{
  g_autoptr(OmniRemoteVariant) found = find (f, remote_id);

  return found != NULL;
}

/* Cases ------------------------------------------------------------------ */

static void
test_record_idempotent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniRemoteVariant) first = NULL;
  g_autoptr(OmniRemoteVariant) again = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gint64 total = -1;

  record (f, "gid://shopify/ProductVariant/7", "gid://shopify/Product/3", "LS-BL-M", NULL,
          "Linen Shirt", "Blue / M", 4500);
  first = find (f, "gid://shopify/ProductVariant/7");
  g_assert_nonnull (first);
  g_assert_cmpstr (first->state, ==, "unmatched");
  g_assert_cmpint (first->price, ==, 4500);

  g_usleep (2000);
  /* Seen again: the title changed, the price is unknown this time. */
  record (f, "gid://shopify/ProductVariant/7", "gid://shopify/Product/3", "LS-BL-M", NULL,
          "Linen Shirt", "Navy / M", -1);
  again = find (f, "gid://shopify/ProductVariant/7");
  g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants"), ==, 1);
  g_assert_cmpint (again->id, ==, first->id);
  g_assert_cmpstr (again->title, ==, "Navy / M");
  g_assert_cmpint (again->price, ==, 4500);
  g_assert_cmpstr (again->currency, ==, "EUR");
  g_assert_cmpstr (again->first_seen_at, ==, first->first_seen_at);
  g_assert_cmpstr (again->remote_inventory_id, ==, "gid://shopify/ProductVariant/7-item");

  /* Ignored stays ignored when seen again, and leaves the list. */
  record (f, "gid://shopify/ProductVariant/8", NULL, "LS-BL-L", NULL, "Linen Shirt", "Blue / L", -1);
  g_assert_true (omni_store_ignore_remote_variant (f->store, f->channel,
                                                   "gid://shopify/ProductVariant/8", TRUE, &error));
  record (f, "gid://shopify/ProductVariant/8", NULL, "LS-BL-L", NULL, "Linen Shirt", "Blue / L", -1);
  g_assert_cmpint (omni_store_count_remote_variants (f->store, f->channel, FALSE), ==, 1);
  g_assert_cmpint (omni_store_count_remote_variants (f->store, f->channel, TRUE), ==, 2);

  /* Paging with the total; search. */
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *id = g_strdup_printf ("r%02u", i);
      g_autofree char *sku = g_strdup_printf ("MUG-%02u", i);

      record (f, id, NULL, sku, NULL, "Mug", NULL, -1);
    }
  page = omni_store_list_remote_variants (f->store, f->channel, NULL, FALSE, 20, 10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 26);
  g_assert_cmpuint (page->len, ==, 6);
  g_assert_cmpstr (((OmniRemoteVariant *) page->pdata[5])->sku, ==, "MUG-24");
  g_clear_pointer (&page, g_ptr_array_unref);
  page = omni_store_list_remote_variants (f->store, f->channel, "navy", FALSE, 0, 0, &total, &error);
  g_assert_cmpint (total, ==, 1);
  g_assert_cmpstr (((OmniRemoteVariant *) page->pdata[0])->sku, ==, "LS-BL-M");

  /* A remote id that is too long is refused; nothing is written. */
  {
    g_autofree char *long_id = g_strnfill (300, 'x');
    OmniRemoteVariantSpec spec = { .channel_id = f->channel, .remote_variant_id = long_id, .price = -1 };

    g_assert_false (omni_store_record_remote_variant (f->store, &spec, &error));
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
    g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants"), ==, 27);
  }
}

static void
test_link (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 local = add_local (f, "OLD-SKU-1", NULL, 12);
  gint64 movements = count (f, "SELECT count(*) FROM movements");

  record (f, "rv-1", "rp-1", "NEW-SKU-1", NULL, "Candle", NULL, -1);
  record (f, "rv-2", "rp-2", "NEW-SKU-2", NULL, "Candle tall", NULL, -1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox"), ==, 0);

  g_assert_true (omni_store_link_remote_variant (f->store, f->channel, "rv-1", local, &error));
  g_assert_no_error (error);
  g_assert_false (listed (f, "rv-1"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM channel_links WHERE remote_variant_id = 'rv-1'"
                             " AND remote_inventory_id = 'rv-1-item' AND remote_product_id = 'rp-1'"
                             " AND remote_sku = 'NEW-SKU-1' AND linked_by = 'manual'"), ==, 1);
  g_assert_cmpint (omni_store_find_linked_variant (f->store, f->channel, "rv-1-item"), ==, local);
  /* Linking moves no stock and queues no push: the local 12 stays. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM movements"), ==, movements);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (omni_store_get_available_at (f->store, local, f->shop), ==, 12);

  /* Once linked, a pull seeing it again does not list it. */
  record (f, "rv-1", "rp-1", "NEW-SKU-1", NULL, "Candle", NULL, -1);
  g_assert_false (listed (f, "rv-1"));

  /* The local variant is taken on this channel: refused, nothing written. */
  g_assert_false (omni_store_link_remote_variant (f->store, f->channel, "rv-2", local, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "already linked to remote variant rv-1"));
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM channel_links"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants"), ==, 1);

  /* Unknown remote variant, unknown local variant. */
  g_assert_false (omni_store_link_remote_variant (f->store, f->channel, "rv-9", local, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (omni_store_link_remote_variant (f->store, f->channel, "rv-2", 9999, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM channel_links"), ==, 1);

  /* A later stock change of the linked variant is pushed as usual. */
  {
    OmniMovementSpec m = {
      .variant_id = local, .location_id = f->shop, .on_hand_delta = -2,
      .reason = OMNI_REASON_SOLD, .source = "app",
    };

    g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
    g_assert_cmpint (count (f, "SELECT count(*) FROM outbox"), ==, 1);
  }
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autoptr(OmniProduct) product = NULL;
  gint64 id, sibling, single;

  record (f, "rv-7", "rp-3", "LS-BL-M", "4006381333931", "Linen Shirt", "Blue / M", 4500);
  record (f, "rv-8", "rp-3", "LS-BL-L", NULL, "Linen Shirt", "Blue / L", 4700);
  record (f, "rv-9", "rp-4", "TOTE", NULL, "Canvas Tote", "Default Title", -1);

  id = omni_store_import_remote_variant (f->store, f->channel, "rv-7", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  row = omni_store_get_variant (f->store, id, &error);
  g_assert_cmpstr (row->title, ==, "Linen Shirt");
  g_assert_cmpstr (row->sku, ==, "LS-BL-M");
  g_assert_cmpstr (row->barcode, ==, "4006381333931");
  g_assert_cmpstr (row->options, ==, "Blue / M");
  g_assert_cmpint (row->price, ==, 4500);
  g_assert_cmpint (row->cost, ==, -1);
  g_assert_cmpint (row->on_hand, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM channel_links WHERE remote_variant_id = 'rv-7'"
                             " AND remote_inventory_id = 'rv-7-item' AND remote_product_id = 'rp-3'"
                             " AND linked_by = 'import'"), ==, 1);
  g_assert_false (listed (f, "rv-7"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM movements"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox"), ==, 0);

  /* A second variant of the same remote product joins the same product. */
  sibling = omni_store_import_remote_variant (f->store, f->channel, "rv-8", &error);
  g_assert_no_error (error);
  product = omni_store_get_product (f->store, row->product_id, &error);
  g_assert_cmpstr (product->option_names[0], ==, "Variant");
  g_assert_cmpuint (product->variants->len, ==, 2);
  g_assert_cmpint (((OmniVariantRow *) product->variants->pdata[1])->id, ==, sibling);
  g_assert_cmpint (((OmniVariantRow *) product->variants->pdata[1])->price, ==, 4700);

  /* "Default Title": a product without options. */
  single = omni_store_import_remote_variant (f->store, f->channel, "rv-9", &error);
  g_assert_no_error (error);
  g_clear_pointer (&row, omni_variant_row_free);
  row = omni_store_get_variant (f->store, single, &error);
  g_assert_cmpstr (row->title, ==, "Canvas Tote");
  g_assert_cmpstr (row->options, ==, "");
  g_assert_cmpint (row->price, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM products"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants"), ==, 0);

  /* The first level a pull records becomes the opening stock, once, with
   * the channel as source (no push back); a later level is compared as
   * usual. */
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, id, "gid://shopify/Location/1",
                                              9, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_available_at (f->store, id, f->shop), ==, 9);
  g_assert_cmpint (count (f, "SELECT count(*) FROM movements WHERE reason = 'sync'"
                             " AND source = 'channel:1' AND on_hand_delta = 9"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_true (omni_store_set_remote_level (f->store, f->channel, id, "gid://shopify/Location/1",
                                              4, &error));
  g_assert_cmpint (omni_store_get_available_at (f->store, id, f->shop), ==, 9);
  g_assert_cmpint (count (f, "SELECT count(*) FROM movements"), ==, 1);
}

static void
test_import_clash (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 imported = -1;
  gint64 products, variants;

  add_local (f, "MUG-RED", NULL, 3);
  record (f, "rv-1", "rp-1", "MUG-BLUE", NULL, "Mug", "Blue", 1200);
  record (f, "rv-2", "rp-1", "MUG-RED", NULL, "Mug", "Red", 1200);
  products = count (f, "SELECT count(*) FROM products");
  variants = count (f, "SELECT count(*) FROM variants");

  g_assert_cmpint (omni_store_import_remote_variant (f->store, f->channel, "rv-2", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "“MUG-RED” is already used by a local variant"));
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM products"), ==, products);
  g_assert_cmpint (count (f, "SELECT count(*) FROM variants"), ==, variants);
  g_assert_cmpint (count (f, "SELECT count(*) FROM channel_links"), ==, 0);
  g_assert_true (listed (f, "rv-2"));

  /* All or none: the clash stops the import of both. */
  g_assert_false (omni_store_import_all_remote_variants (f->store, f->channel, &imported, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (imported, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM products"), ==, products);
  g_assert_cmpint (count (f, "SELECT count(*) FROM variants"), ==, variants);
  g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants"), ==, 2);

  /* Ignoring the clashing one lets the rest through. */
  g_assert_true (omni_store_ignore_remote_variant (f->store, f->channel, "rv-2", TRUE, &error));
  g_assert_true (omni_store_import_all_remote_variants (f->store, f->channel, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (imported, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM variants WHERE sku = 'MUG-BLUE'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants WHERE state = 'ignored'"), ==, 1);

  /* Removing the channel takes its rows with it. */
  g_assert_true (omni_store_remove_channel (f->store, f->channel, &error));
  g_assert_cmpint (count (f, "SELECT count(*) FROM remote_variants"), ==, 0);
}

/* A Shopify pull ------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} PullState;

static void
on_pulled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PullState *state = user_data;

  state->ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &state->error);
  state->done = TRUE;
}

static void
pull (const char *path,
      gint64      channel)
{
  g_autoptr(OmniShopifyConnector) connector = omni_shopify_connector_new (path, channel);
  PullState state = { 0 };

  omni_shopify_connector_set_retry (connector, 4, 20);
  omni_connector_pull_async (OMNI_CONNECTOR (connector), NULL, on_pulled, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} SpawnState;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SpawnState *state = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &state->out, &state->err,
                                        &state->error);
  state->done = TRUE;
}

static void
test_shopify_pull (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *account = NULL;
  g_autofree char *token = NULL;
  static const char * const unknown[] = { "ZZ-1", "ZZ-2", "ZZ-3" };
  Fixture fx = { 0 }, *f = &fx;
  MockShopify *mock;
  gint64 channel, total = -1, imported;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus");
      return;
    }

  f->dir = g_dir_make_tmp ("omni-remote-XXXXXX", NULL);
  f->path = test_store_new_location (f->dir, "shop.db");
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);

  mock = mock_shopify_new ();
  mock_shopify_add_location (mock, "Shop Floor");
  token = g_strdup_printf ("shpat_UNMATCHED%08x", g_random_int ());
  mock_shopify_add_token (mock, token);
  account = g_strdup_printf ("unmatched-%08x.myshopify.com", g_random_int ());
  channel = omni_store_add_channel (f->store, "shopify", NULL, account, mock_shopify_get_url (mock),
                                    &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_secret_store ("shopify", account, "OmniStock test", token, NULL, &error));
  g_assert_no_error (error);

  /* Five remote variants match local SKUs, three match nothing. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *sku = g_strdup_printf ("KNOWN-%u", i);

      if (i % 3 == 1 && i / 3 < 3)
        mock_shopify_add_variant (mock, unknown[i / 3], NULL, 10 + i);
      else
        {
          add_local (f, sku, NULL, 0);
          mock_shopify_add_variant (mock, sku, NULL, 10 + i);
        }
    }

  pull (f->path, channel);
  pull (f->path, channel);     /* seen twice, listed once */
  list = omni_store_list_remote_variants (f->store, channel, NULL, FALSE, 0, 0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 3);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      OmniRemoteVariant *r = list->pdata[i];
      guint index = 3 * i + 1;
      g_autofree char *id = g_strdup_printf ("gid://shopify/ProductVariant/%u", index + 1);
      g_autofree char *item = g_strdup_printf ("gid://shopify/InventoryItem/%u", index + 1);

      g_assert_cmpstr (r->sku, ==, unknown[i]);
      g_assert_cmpstr (r->remote_variant_id, ==, id);
      g_assert_cmpstr (r->remote_inventory_id, ==, item);
      g_assert_cmpstr (r->product_title, ==, unknown[i]);
    }
  g_assert_cmpint (omni_store_count_links (f->store, channel), ==, 5);

  /* Import one: the next pull gives it the remote quantity (11) as opening
   * stock and pushes nothing back. */
  imported = omni_store_import_remote_variant (f->store, channel, "gid://shopify/ProductVariant/2",
                                               &error);
  g_assert_no_error (error);
  pull (f->path, channel);
  g_assert_cmpint (omni_store_get_available_at (f->store, imported, f->shop), ==, 11);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 0);
  g_assert_cmpint (omni_store_count_remote_variants (f->store, channel, FALSE), ==, 2);
  g_assert_cmpint (omni_store_count_links (f->store, channel), ==, 6);

  /* `sync --import-unmatched` imports the other two and pulls again, so
   * they start with the channel's quantities (14 and 17). */
  {
    g_autoptr(OmniChannel) c = omni_store_get_channel (f->store, channel, &error);
    g_autoptr(GSubprocess) cli = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *result;
    SpawnState spawn = { 0 };

    g_assert_nonnull (g_getenv ("OMNISTOCK_CLI"));
    /* Asynchronous: this thread's main loop serves the mock meanwhile. */
    cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                            g_getenv ("OMNISTOCK_CLI"), "--db", f->path, "--json", "sync", c->name,
                            "--pull", "--import-unmatched", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8_async (cli, NULL, NULL, on_communicated, &spawn);
    while (!spawn.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (spawn.error);
    if (g_subprocess_get_exit_status (cli) != 0)
      g_error ("sync --import-unmatched failed: %s", spawn.err);
    g_assert_true (json_parser_load_from_data (parser, spawn.out, -1, &error));
    result = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
    g_assert_cmpint (json_object_get_int_member (result, "imported"), ==, 2);
    g_free (spawn.out);
    g_free (spawn.err);
    g_assert_cmpint (omni_store_count_remote_variants (f->store, channel, TRUE), ==, 0);
    g_assert_cmpint (omni_store_get_available_at (f->store,
                                                  omni_store_find_variant (f->store, "ZZ-2", NULL),
                                                  f->shop), ==, 14);
    g_assert_cmpint (omni_store_get_available_at (f->store,
                                                  omni_store_find_variant (f->store, "ZZ-3", NULL),
                                                  f->shop), ==, 17);
    g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 0);
  }

  omni_secret_clear ("shopify", account, NULL, NULL);
  mock_shopify_free (mock);
  fixture_tear_down (f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the pull case: %s", error->message);

  g_test_add ("/omni/remote/record-idempotent", Fixture, NULL, fixture_set_up,
              test_record_idempotent, fixture_tear_down);
  g_test_add ("/omni/remote/link", Fixture, NULL, fixture_set_up, test_link, fixture_tear_down);
  g_test_add ("/omni/remote/import", Fixture, NULL, fixture_set_up, test_import, fixture_tear_down);
  g_test_add ("/omni/remote/import-clash", Fixture, NULL, fixture_set_up, test_import_clash,
              fixture_tear_down);
  g_test_add_func ("/omni/remote/shopify-pull", test_shopify_pull);
  return g_test_run ();
}
