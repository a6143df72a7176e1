/* test-channel-settings.c: per-channel sync settings, allocation rules, the
 * outbox payload that follows them, pause and direction, the preview, and
 * `channel settings` / `channel preview` / `sync` from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>

#include "omni-channel-settings.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "test-cli-util.h"
#include "test-store-util.h"

#define LEASE_US ((gint64)60 * G_USEC_PER_SEC)

/* The published quantity, by hand --------------------------------------- */

typedef struct
{
  gint64 available[3];
  gsize  n;
  gint64 buffer;
  gint64 max_listed;
  int    percent;
  gint64 floor;
  gint64 expected;
} PublishCase;

static const PublishCase publish_cases[] = {
  /* available           n  buffer max  pct  floor  expected */
  { { 10 },              1, 0,     -1,  100, 0,     10 },
  { { 10 },              1, 3,     -1,  100, 0,     7 },
  { { 2 },               1, 3,     -1,  100, 0,     0 },     /* never negative */
  { { 3 },               1, 3,     -1,  100, 0,     0 },
  { { -5 },              1, 0,     -1,  100, 0,     0 },     /* oversold */
  { { -5, 8 },           2, 0,     -1,  100, 0,     3 },     /* net over locations */
  { { 4, 6 },            2, 1,     -1,  100, 0,     9 },
  { { 4, 6, 5 },         3, 0,     12,  100, 0,     12 },
  { { 10 },              1, 0,     -1,  50,  0,     5 },
  { { 7 },               1, 0,     -1,  50,  0,     3 },     /* 3.5 rounds down */
  { { 10 },              1, 3,     -1,  50,  0,     3 },     /* (10 − 3) × 50 % = 3.5 */
  { { 1 },               1, 0,     -1,  99,  0,     0 },
  { { 10 },              1, 0,     -1,  0,   0,     0 },
  { { 10 },              1, 0,     4,   100, 0,     4 },
  { { 3 },               1, 0,     4,   100, 0,     3 },
  { { 10 },              1, 0,     0,   100, 0,     0 },
  { { 4 },               1, 0,     -1,  100, 5,     0 },     /* below the floor */
  { { 5 },               1, 0,     -1,  100, 5,     5 },
  { { 5 },               1, 2,     -1,  100, 5,     3 },
  { { 2, 2 },            2, 0,     -1,  100, 5,     0 },
  { { 3, 2 },            2, 0,     -1,  100, 5,     5 },
  { { 100 },             1, 10,    25,  33,  0,     25 },    /* 90 × 33 % = 29.7 → 29 → 25 */
  { { 100 },             1, 10,    -1,  33,  0,     29 },
  { { 0 },               0, 0,     -1,  100, 0,     0 },     /* no location */
  { { G_MAXINT64, 5 },   2, 0,     -1,  100, 0,     G_MAXINT64 },
  { { G_MAXINT64 },      1, 0,     -1,  50,  0,     G_GINT64_CONSTANT (4611686018427387903) },
  { { G_MININT64, -5 },  2, 0,     -1,  100, 0,     0 },
};

static void
test_publish_quantity (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (publish_cases); i++)
    {
      const PublishCase *c = &publish_cases[i];
      g_auto(OmniChannelSettings) s = { 0 };

      omni_channel_settings_init (&s);
      s.buffer = c->buffer;
      s.max_listed = c->max_listed;
      s.percent = c->percent;
      s.floor = c->floor;
      g_test_message ("case %u", i);
      g_assert_true (omni_channel_settings_validate (&s, NULL));
      g_assert_cmpint (omni_channel_publish_quantity (c->available, c->n, &s), ==, c->expected);
    }
}

static void
test_is_due (void)
{
  g_auto(OmniChannelSettings) s = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 29, 12, 0, 0);
  gint64 now_us = g_date_time_to_unix (now) * G_USEC_PER_SEC;

  omni_channel_settings_init (&s);
  g_assert_true (omni_channel_settings_is_due (&s, NULL, now_us, 15));
  /* 20 minutes ago: due with the default 15, not with the channel's 30. */
  g_assert_true (omni_channel_settings_is_due (&s, "2026-11-29T11:40:00.000000Z", now_us, 15));
  s.interval = 30;
  g_assert_false (omni_channel_settings_is_due (&s, "2026-11-29T11:40:00.000000Z", now_us, 15));
  g_assert_true (omni_channel_settings_is_due (&s, "2026-11-29T11:30:00.000000Z", now_us, 15));
  s.paused = TRUE;
  g_assert_false (omni_channel_settings_is_due (&s, "2026-11-29T11:00:00.000000Z", now_us, 15));
  g_assert_false (omni_channel_settings_is_due (&s, NULL, now_us, 15));
}

/* A shop with two locations, two variants, a Shopify and an Amazon channel -- */

typedef struct
{
  Fixture    cli;
  OmniStore *store;
  gint64     shop;
  gint64     cellar;
  gint64     tee_s;
  gint64     tee_m;
  gint64     shopify;
  gint64     amazon;
} Shop;

static void
move (Shop   *f,
      gint64  variant,
      gint64  location,
      gint64  delta)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = {
    .variant_id = variant, .location_id = location, .on_hand_delta = delta,
    .reason = delta > 0 ? OMNI_REASON_RECEIVED : OMNI_REASON_SOLD,
  };

  g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  g_assert_no_error (error);
}

static void
shop_set_up (Shop          *f,
             gconstpointer  data)
{
  const OmniProductSpec tee = { .title = "Organic Tee", .option_names = { "Size" } };
  const OmniVariantSpec sizes[] = {
    { .sku = "TEE-S", .options = { "S" }, .price = 2500, .compare_at_price = -1,
      .cost = 1000, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "TEE-M", .options = { "M" }, .price = 2500, .compare_at_price = -1,
      .cost = 1000, .reorder_point = -1, .reorder_qty = -1 },
  };
  OmniChannelLinkSpec link = {
    .remote_product_id = "gid://shopify/Product/1", .linked_by = "sku",
  };
  g_autoptr(GError) error = NULL;
  gint64 ids[2] = { 0 };

  fixture_set_up (&f->cli, data);
  /* A file in the fixture's folder, or a fresh PostgreSQL database. */
  g_free (f->cli.db);
  f->cli.db = test_store_new_location (f->cli.dir, "shop.db");
  f->store = open_store (f->cli.db);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->cellar = omni_store_add_location (f->store, "Cellar", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &tee, sizes, 2, ids, &error), >, 0);
  g_assert_no_error (error);
  f->tee_s = ids[0];
  f->tee_m = ids[1];
  /* Stock before any link: nothing is queued yet. */
  move (f, f->tee_s, f->shop, 10);
  move (f, f->tee_m, f->shop, 4);

  f->shopify = omni_store_add_channel (f->store, "shopify", "Fern", "fern.myshopify.com",
                                       "http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, f->shopify, "{\"auth\":\"token\"}",
                                                  &error));
  g_assert_true (omni_store_upsert_channel_location (f->store, f->shopify, "gid://shopify/Location/1",
                                                     "Shop Floor", TRUE, TRUE, &error));
  g_assert_no_error (error);
  link.channel_id = f->shopify;
  link.variant_id = f->tee_s;
  link.remote_variant_id = "gid://shopify/ProductVariant/11";
  link.remote_inventory_id = "gid://shopify/InventoryItem/111";
  link.remote_sku = "TEE-S";
  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_no_error (error);

  /* Amazon: one remote location, "MFN", mapped to the default location. */
  f->amazon = omni_store_add_channel (f->store, "amazon", "Amazon EU", "A1SELLER",
                                      "http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_upsert_channel_location (f->store, f->amazon, "MFN",
                                                     "Merchant fulfilled", TRUE, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_channel_local_location (f->store, f->amazon, "MFN"), ==, f->shop);
  link.channel_id = f->amazon;
  link.variant_id = f->tee_m;
  link.remote_product_id = NULL;
  link.remote_variant_id = "TEE-M";
  link.remote_inventory_id = "TEE-M";
  link.remote_sku = "TEE-M";
  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_no_error (error);
}

static void
shop_tear_down (Shop          *f,
                gconstpointer  data)
{
  g_clear_object (&f->store);
  fixture_tear_down (&f->cli, data);
}

static char *
stored_settings (Shop   *f,
                 gint64  channel)
{
  g_autoptr(OmniChannel) c = omni_store_get_channel (f->store, channel, NULL);

  g_assert_nonnull (c);
  return g_strdup (c->settings);
}

static gint64
count_outbox (Shop       *f,
              gint64      channel,
              const char *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = omni_store_list_outbox (f->store, channel, state, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list->len;
}

static JsonObject *
payload_object (const OmniOutboxEntry *e)
{
  g_autofree char *line = g_strconcat (e->payload, "\n", NULL);

  return parse_json_object (line);
}

static gint64
payload_member (const OmniOutboxEntry *e,
                const char            *member)
{
  g_autoptr(JsonObject) object = payload_object (e);

  return member_int (object, member);
}

/* Claims the channel's due entries; there must be @expected of them. */
static GPtrArray *
claim (Shop   *f,
       gint64  channel,
       guint   expected)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *claimed = omni_store_claim_outbox (f->store, channel, 50, 0, LEASE_US, &error);

  g_assert_no_error (error);
  g_assert_nonnull (claimed);
  g_assert_cmpuint (claimed->len, ==, expected);
  return claimed;
}

static void
ack_all (Shop      *f,
         GPtrArray *claimed)
{
  for (guint i = 0; i < claimed->len; i++)
    {
      OmniOutboxEntry *e = claimed->pdata[i];

      g_assert_true (omni_store_ack_outbox (f->store, e->id, NULL));
    }
}

static void
save (Shop                      *f,
      gint64                     channel,
      const OmniChannelSettings *s,
      gint64                     expected_queued)
{
  g_autoptr(GError) error = NULL;
  gint64 queued = -1;

  g_assert_true (omni_store_save_channel_settings (f->store, channel, s, &queued, &error));
  g_assert_no_error (error);
  g_assert_cmpint (queued, ==, expected_queued);
}

static void
test_parse (Shop          *f,
            gconstpointer  data)
{
  static const struct
  {
    const char *json;
    const char *message_part;
  } refused[] = {
    { "{\"sync\":{\"colour\":\"red\"}}", "“colour” is not a channel setting" },
    { "{\"sync\":{\"buffer\":\"3\"}}", "“buffer” must be a whole number" },
    { "{\"sync\":{\"buffer\":2.5}}", "“buffer” must be a whole number" },
    { "{\"sync\":{\"floor\":true}}", "“floor” must be a whole number" },
    { "{\"sync\":{\"buffer\":-1}}", "buffer must be a whole number from 0" },
    { "{\"sync\":{\"percent\":101}}", "percentage must be a whole number from 0 to 100" },
    { "{\"sync\":{\"max\":-1}}", "maximum listed quantity" },
    { "{\"sync\":{\"floor\":99999999999}}", "floor must be" },
    { "{\"sync\":{\"interval\":1441}}", "sync interval" },
    { "{\"sync\":{\"direction\":\"sideways\"}}", "pull, push or both" },
    { "{\"sync\":{\"paused\":1}}", "true or false" },
    { "{\"sync\":{\"locations\":[1,\"Cellar\"]}}", "list of location ids" },
    { "{\"sync\":{\"locations\":[2,2]}}", "listed twice" },
    { "{\"sync\":[1]}", "not a JSON object" },
  };
  g_auto(OmniChannelSettings) s = { 0 };
  g_auto(OmniChannelSettings) back = { 0 };
  g_autofree char *json = NULL;
  g_autofree char *wrapped = NULL;
  g_autoptr(GError) error = NULL;

  /* No "sync" object: the defaults. */
  g_assert_true (omni_store_parse_channel_settings (f->store, "{\"auth\":\"token\"}", &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.direction, ==, OMNI_SYNC_BOTH);
  g_assert_cmpint (s.buffer, ==, 0);
  g_assert_cmpint (s.max_listed, ==, -1);
  g_assert_cmpint (s.percent, ==, 100);
  g_assert_cmpint (s.floor, ==, 0);
  g_assert_cmpuint (s.locations->len, ==, 0);
  g_assert_cmpint (s.interval, ==, 0);
  g_assert_false (s.paused);
  omni_channel_settings_clear (&s);

  g_assert_true (omni_store_parse_channel_settings (f->store,
                                                    "{\"sync\":{\"direction\":\"pull\",\"buffer\":2,"
                                                    "\"max\":40,\"percent\":80,\"floor\":3,"
                                                    "\"locations\":[2,1],\"interval\":30,"
                                                    "\"paused\":true}}",
                                                    &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.direction, ==, OMNI_SYNC_PULL);
  g_assert_cmpint (s.buffer, ==, 2);
  g_assert_cmpint (s.max_listed, ==, 40);
  g_assert_cmpint (s.percent, ==, 80);
  g_assert_cmpint (s.floor, ==, 3);
  g_assert_cmpuint (s.locations->len, ==, 2);
  g_assert_cmpint (g_array_index (s.locations, gint64, 0), ==, 2);
  g_assert_cmpint (s.interval, ==, 30);
  g_assert_true (s.paused);
  g_assert_false (omni_channel_settings_pushes (&s));
  g_assert_false (omni_channel_settings_pulls (&s));

  /* What is written reads back the same. */
  json = omni_channel_settings_to_json (&s);
  wrapped = g_strdup_printf ("{\"sync\":%s}", json);
  g_assert_true (omni_store_parse_channel_settings (f->store, wrapped, &back, &error));
  g_assert_no_error (error);
  g_assert_true (omni_channel_settings_equal_rules (&s, &back));
  g_assert_cmpint (back.direction, ==, s.direction);
  g_assert_cmpint (back.interval, ==, 30);
  g_assert_true (back.paused);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      omni_channel_settings_clear (&s);
      g_test_message ("%s", refused[i].json);
      g_assert_false (omni_store_parse_channel_settings (f->store, refused[i].json, &s, &error));
      g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, refused[i].message_part));
      g_clear_error (&error);
      /* Refused: the defaults, never half of the input. */
      g_assert_cmpint (s.buffer, ==, 0);
      g_assert_cmpint (s.percent, ==, 100);
    }
}

static void
test_save_refused (Shop          *f,
                   gconstpointer  data)
{
  g_auto(OmniChannelSettings) s = { 0 };
  g_autofree char *shopify_before = stored_settings (f, f->shopify);
  g_autofree char *amazon_before = stored_settings (f, f->amazon);
  g_autofree char *shopify_after = NULL;
  g_autofree char *amazon_after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 outbox = count_outbox (f, 0, NULL);
  gint64 queued = -1;

  omni_channel_settings_init (&s);
  s.buffer = 2;
  /* Shopify publishes each mapped location: no feeding locations. */
  g_array_append_val (s.locations, f->cellar);
  g_assert_false (omni_store_save_channel_settings (f->store, f->shopify, &s, &queued, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Shopify"));
  g_assert_cmpint (queued, ==, 0);
  g_clear_error (&error);

  /* A location that does not exist, or is archived. */
  g_array_index (s.locations, gint64, 0) = 999;
  g_assert_false (omni_store_save_channel_settings (f->store, f->amazon, &s, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (omni_store_set_location_archived (f->store, f->cellar, TRUE, &error));
  g_assert_no_error (error);
  g_array_index (s.locations, gint64, 0) = f->cellar;
  g_assert_false (omni_store_save_channel_settings (f->store, f->amazon, &s, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "archived"));
  g_clear_error (&error);

  /* Out of range. */
  g_array_set_size (s.locations, 0);
  s.percent = 120;
  g_assert_false (omni_store_save_channel_settings (f->store, f->amazon, &s, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  s.percent = 100;
  s.buffer = -3;
  g_assert_false (omni_store_save_channel_settings (f->store, f->amazon, &s, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Unknown channel. */
  s.buffer = 1;
  g_assert_false (omni_store_save_channel_settings (f->store, 4242, &s, NULL, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing changed anywhere. */
  shopify_after = stored_settings (f, f->shopify);
  amazon_after = stored_settings (f, f->amazon);
  g_assert_cmpstr (shopify_after, ==, shopify_before);
  g_assert_cmpstr (amazon_after, ==, amazon_before);
  g_assert_cmpint (count_outbox (f, 0, NULL), ==, outbox);
}

static void
test_connector_keys_kept (Shop          *f,
                          gconstpointer  data)
{
  g_auto(OmniChannelSettings) s = { 0 };
  g_auto(OmniChannelSettings) back = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniChannel) channel = NULL;

  omni_channel_settings_init (&s);
  s.buffer = 4;
  save (f, f->shopify, &s, 1);
  channel = omni_store_get_channel (f->store, f->shopify, &error);
  g_assert_nonnull (strstr (channel->settings, "\"auth\":\"token\""));

  /* A connector rewriting its own keys keeps the sync settings, whatever
   * it passes under "sync". */
  g_assert_true (omni_store_set_channel_settings (f->store, f->shopify,
                                                  "{\"auth\":\"client_credentials\","
                                                  "\"client_id\":\"abc\",\"sync\":{\"buffer\":99}}",
                                                  &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_load_channel_settings (f->store, f->shopify, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.buffer, ==, 4);
  g_clear_pointer (&channel, omni_channel_free);
  channel = omni_store_get_channel (f->store, f->shopify, &error);
  g_assert_nonnull (strstr (channel->settings, "\"client_id\":\"abc\""));

  /* Without sync settings stored, none slips in unvalidated. */
  g_assert_true (omni_store_set_channel_settings (f->store, f->amazon, "{\"sync\":{\"buffer\":-5}}",
                                                  &error));
  g_assert_no_error (error);
  omni_channel_settings_clear (&back);
  g_assert_true (omni_store_load_channel_settings (f->store, f->amazon, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.buffer, ==, 0);
}

static void
test_payload_follows_rules (Shop          *f,
                            gconstpointer  data)
{
  g_auto(OmniChannelSettings) s = { 0 };
  g_autoptr(GPtrArray) claimed = NULL;
  OmniOutboxEntry *e;

  /* Saving new rules queues a push of the linked variant (TEE-S: 10). */
  omni_channel_settings_init (&s);
  s.buffer = 3;
  save (f, f->shopify, &s, 1);
  /* The same rules again queue nothing more. */
  save (f, f->shopify, &s, 0);

  claimed = claim (f, f->shopify, 1);
  e = claimed->pdata[0];
  g_assert_cmpint (e->variant_id, ==, f->tee_s);
  g_assert_cmpint (payload_member (e, "quantity"), ==, 7);
  ack_all (f, claimed);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* A sale: 9 left, 50 % of 9 − 3 = 3, capped at 2. */
  s.percent = 50;
  s.max_listed = 2;
  save (f, f->shopify, &s, 1);
  move (f, f->tee_s, f->shop, -1);
  claimed = claim (f, f->shopify, 1);
  g_assert_cmpint (payload_member (claimed->pdata[0], "quantity"), ==, 2);
  g_assert_cmpint (payload_member (claimed->pdata[0], "change_from"), ==, 7);
  ack_all (f, claimed);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* Below the floor the channel shows 0. */
  s.floor = 20;
  save (f, f->shopify, &s, 1);
  claimed = claim (f, f->shopify, 1);
  g_assert_cmpint (payload_member (claimed->pdata[0], "quantity"), ==, 0);
  ack_all (f, claimed);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* A buffer larger than the stock never publishes a negative number. */
  omni_channel_settings_clear (&s);
  omni_channel_settings_init (&s);
  s.buffer = 500;
  save (f, f->shopify, &s, 1);
  claimed = claim (f, f->shopify, 0);  /* 0 is what the remote holds: done unsent */
  g_assert_cmpint (count_outbox (f, f->shopify, "done"), ==, 4);
}

static void
test_feeding_locations (Shop          *f,
                        gconstpointer  data)
{
  g_auto(OmniChannelSettings) s = { 0 };
  g_autoptr(GPtrArray) claimed = NULL;
  OmniOutboxEntry *e;

  /* The Cellar moves, but only the Shop Floor feeds Amazon so far. */
  move (f, f->tee_m, f->cellar, 6);
  g_assert_cmpint (count_outbox (f, f->amazon, NULL), ==, 0);

  omni_channel_settings_init (&s);
  s.buffer = 1;
  g_array_append_val (s.locations, f->shop);
  g_array_append_val (s.locations, f->cellar);
  save (f, f->amazon, &s, 1);

  claimed = claim (f, f->amazon, 1);
  e = claimed->pdata[0];
  g_assert_cmpint (e->variant_id, ==, f->tee_m);
  g_assert_cmpint (e->location_id, ==, f->shop);
  {
    g_autoptr(JsonObject) payload = payload_object (e);

    g_assert_cmpstr (member_string (payload, "inventory_item_id"), ==, "TEE-M");
    g_assert_cmpstr (member_string (payload, "location_id"), ==, "MFN");
    /* (4 + 6) − 1 */
    g_assert_cmpint (member_int (payload, "quantity"), ==, 9);
  }
  ack_all (f, claimed);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* Now a sale in the Cellar queues a push to Amazon's one location... */
  move (f, f->tee_m, f->cellar, -2);
  claimed = claim (f, f->amazon, 1);
  g_assert_cmpint (payload_member (claimed->pdata[0], "quantity"), ==, 7);
  g_assert_cmpint (payload_member (claimed->pdata[0], "change_from"), ==, 9);
  ack_all (f, claimed);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* ...but none to Shopify, whose mapped location is the Shop Floor only. */
  move (f, f->tee_s, f->cellar, 3);
  g_assert_cmpint (count_outbox (f, f->shopify, "pending"), ==, 0);

  /* Back to the mapped location alone: 4 − 1. */
  g_array_set_size (s.locations, 0);
  save (f, f->amazon, &s, 1);
  claimed = claim (f, f->amazon, 1);
  g_assert_cmpint (payload_member (claimed->pdata[0], "quantity"), ==, 3);
}

static void
test_pause_and_direction (Shop          *f,
                          gconstpointer  data)
{
  g_auto(OmniChannelSettings) s = { 0 };
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GError) error = NULL;

  omni_channel_settings_init (&s);
  s.paused = TRUE;
  save (f, f->shopify, &s, 0);
  channel = omni_store_get_channel (f->store, f->shopify, &error);
  g_assert_true (channel->paused);
  g_assert_cmpstr (channel->state, ==, "paused");
  g_clear_pointer (&channel, omni_channel_free);

  /* Sales while paused wait in the outbox; nothing is claimed. */
  move (f, f->tee_s, f->shop, -2);
  move (f, f->tee_s, f->shop, -1);
  claimed = claim (f, f->shopify, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  g_assert_cmpint (count_outbox (f, f->shopify, "pending"), ==, 1);
  /* A sync that was running when the channel paused leaves it paused. */
  g_assert_true (omni_store_mark_channel_synced (f->store, f->shopify, &error));
  channel = omni_store_get_channel (f->store, f->shopify, &error);
  g_assert_cmpstr (channel->state, ==, "paused");
  g_clear_pointer (&channel, omni_channel_free);

  /* Resumed: the waiting entry goes out with the latest quantity. */
  s.paused = FALSE;
  save (f, f->shopify, &s, 0);
  channel = omni_store_get_channel (f->store, f->shopify, &error);
  g_assert_cmpstr (channel->state, ==, "connected");
  g_assert_false (channel->paused);
  g_assert_true (channel->pulls && channel->pushes);
  g_clear_pointer (&channel, omni_channel_free);
  claimed = claim (f, f->shopify, 1);
  g_assert_cmpint (payload_member (claimed->pdata[0], "quantity"), ==, 7);
  ack_all (f, claimed);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* Pull only: pushes wait too. Push only: the channel reads nothing. */
  s.direction = OMNI_SYNC_PULL;
  save (f, f->shopify, &s, 0);
  move (f, f->tee_s, f->shop, -1);
  claimed = claim (f, f->shopify, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  channel = omni_store_get_channel (f->store, f->shopify, &error);
  g_assert_true (channel->pulls);
  g_assert_false (channel->pushes);
  g_clear_pointer (&channel, omni_channel_free);

  s.direction = OMNI_SYNC_PUSH;
  save (f, f->shopify, &s, 0);   /* the waiting entry already covers it */
  channel = omni_store_get_channel (f->store, f->shopify, &error);
  g_assert_false (channel->pulls);
  g_assert_true (channel->pushes);
  claimed = claim (f, f->shopify, 1);
  g_assert_cmpint (payload_member (claimed->pdata[0], "quantity"), ==, 6);
}

static void
test_preview (Shop          *f,
              gconstpointer  data)
{
  g_auto(OmniChannelSettings) s = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  OmniChannelPreviewRow *r;

  move (f, f->tee_m, f->cellar, 6);
  rows = omni_store_channel_preview (f->store, f->amazon, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = rows->pdata[0];
  g_assert_cmpstr (r->sku, ==, "TEE-M");
  g_assert_cmpstr (r->title, ==, "Organic Tee");
  g_assert_cmpstr (r->remote_location, ==, "Merchant fulfilled");
  g_assert_cmpint (r->available, ==, 4);
  g_assert_cmpint (r->listed, ==, 4);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Unsaved rules: both locations, buffer 2, at most 5. */
  omni_channel_settings_init (&s);
  s.buffer = 2;
  s.max_listed = 5;
  g_array_append_val (s.locations, f->shop);
  g_array_append_val (s.locations, f->cellar);
  rows = omni_store_channel_preview (f->store, f->amazon, &s, 0, &error);
  g_assert_no_error (error);
  r = rows->pdata[0];
  g_assert_cmpint (r->available, ==, 10);
  g_assert_cmpint (r->listed, ==, 5);
  g_clear_pointer (&rows, g_ptr_array_unref);
  /* Nothing was saved by previewing. */
  g_assert_cmpint (count_outbox (f, f->amazon, NULL), ==, 0);

  /* The preview is what a push sends. */
  save (f, f->amazon, &s, 1);
  rows = omni_store_channel_preview (f->store, f->amazon, NULL, 0, &error);
  {
    g_autoptr(GPtrArray) claimed = claim (f, f->amazon, 1);

    g_assert_cmpint (payload_member (claimed->pdata[0], "quantity"), ==,
                     ((OmniChannelPreviewRow *)rows->pdata[0])->listed);
  }
}

/* The command line ------------------------------------------------------ */

static JsonObject *
cli_settings (Shop       *f,
              const char *channel)
{
  g_auto(CliResult) result = { 0 };

  run_cli (&f->cli, &result, "channel", "settings", channel, "--json", "--db", f->cli.db);
  assert_success (&result);
  return parse_json_object (result.out);
}

static void
test_cli_settings (Shop          *f,
                   gconstpointer  data)
{
  static const char * const refused[][3] = {
    { "--buffer", "-1", "--buffer must be a whole number" },
    { "--buffer", "lots", "--buffer must be a whole number" },
    { "--percent", "150", "--percent must be a whole number from 0 to 100" },
    { "--max", "-4", "--max must be a whole number" },
    { "--floor", "1e3", "--floor must be a whole number" },
    { "--interval", "9999", "--interval must be a whole number from 0 to 1440" },
    { "--direction", "sideways", "--direction must be both, pull or push" },
    { "--locations", "Nowhere", "no location is named “Nowhere”" },
  };
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonArray) feed = NULL;
  g_autofree char *before = NULL;
  g_auto(OmniChannelSettings) s = { 0 };
  g_autoptr(GError) error = NULL;

  /* No flags: shown, with the defaults. */
  shown = cli_settings (f, "Amazon EU");
  g_assert_cmpstr (member_string (shown, "direction"), ==, "both");
  g_assert_cmpint (member_int (shown, "buffer"), ==, 0);
  g_assert_true (member_is_null (shown, "max"));
  g_assert_cmpint (member_int (shown, "percent"), ==, 100);
  g_assert_false (member_boolean (shown, "paused"));
  g_clear_pointer (&shown, json_object_unref);

  {
    g_auto(CliResult) result = { 0 };

    run_cli (&f->cli, &result, "channel", "settings", "Amazon EU", "--buffer", "2", "--max", "30",
             "--percent", "90", "--floor", "1", "--locations", "Shop Floor,Cellar",
             "--interval", "30", "--direction", "push", "--pause", "--json", "--db", f->cli.db);
    assert_success (&result);
    shown = parse_json_object (result.out);
    g_assert_cmpint (member_int (shown, "queued_pushes"), ==, 1);
    feed = json_array_ref (json_object_get_array_member (shown, "locations"));
    g_assert_cmpuint (json_array_get_length (feed), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (feed, 1), ==, "Cellar");
  }
  /* The store has them. */
  g_assert_true (omni_store_load_channel_settings (f->store, f->amazon, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.buffer, ==, 2);
  g_assert_cmpint (s.max_listed, ==, 30);
  g_assert_cmpint (s.percent, ==, 90);
  g_assert_cmpint (s.floor, ==, 1);
  g_assert_cmpint (s.interval, ==, 30);
  g_assert_cmpint (s.direction, ==, OMNI_SYNC_PUSH);
  g_assert_true (s.paused);
  g_assert_cmpuint (s.locations->len, ==, 2);
  g_assert_cmpint (g_array_index (s.locations, gint64, 0), ==, f->shop);
  g_assert_cmpint (g_array_index (s.locations, gint64, 1), ==, f->cellar);

  /* Refused values exit 2 with a clear message and change nothing. */
  before = stored_settings (f, f->amazon);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(CliResult) result = { 0 };
      g_autofree char *after = NULL;

      run_cli (&f->cli, &result, "channel", "settings", "Amazon EU", "--buffer", "7",
               refused[i][0], refused[i][1], "--db", f->cli.db);
      assert_failure (&result, 2);
      g_assert_nonnull (strstr (result.err, refused[i][2]));
      after = stored_settings (f, f->amazon);
      g_assert_cmpstr (after, ==, before);
    }
  {
    g_auto(CliResult) result = { 0 };
    g_autofree char *shopify_before = stored_settings (f, f->shopify);
    g_autofree char *shopify_after = NULL;

    run_cli (&f->cli, &result, "channel", "settings", "Fern", "--locations", "Cellar",
             "--buffer", "1", "--db", f->cli.db);
    assert_failure (&result, 2);
    g_assert_nonnull (strstr (result.err, "Shopify channel publishes each mapped location"));
    shopify_after = stored_settings (f, f->shopify);
    g_assert_cmpstr (shopify_after, ==, shopify_before);
  }
  {
    g_auto(CliResult) result = { 0 };

    run_cli (&f->cli, &result, "channel", "settings", "Amazon EU", "--pause", "--resume",
             "--db", f->cli.db);
    assert_failure (&result, 1);
  }

  /* --resume alone. */
  g_clear_pointer (&shown, json_object_unref);
  {
    g_auto(CliResult) result = { 0 };

    run_cli (&f->cli, &result, "channel", "settings", "Amazon EU", "--resume", "--json",
             "--db", f->cli.db);
    assert_success (&result);
    shown = parse_json_object (result.out);
    g_assert_false (member_boolean (shown, "paused"));
    g_assert_cmpint (member_int (shown, "buffer"), ==, 2);
  }
}

static void
test_cli_preview_and_sync (Shop          *f,
                           gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonArray) synced = NULL;
  JsonObject *row;

  run_cli (&f->cli, &result, "channel", "settings", "Fern", "--buffer", "4", "--pause",
           "--db", f->cli.db);
  assert_success (&result);
  cli_result_clear (&result);

  run_cli (&f->cli, &result, "channel", "preview", "Fern", "--json", "--db", f->cli.db);
  assert_success (&result);
  rows = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (member_string (row, "sku"), ==, "TEE-S");
  g_assert_cmpint (member_int (row, "available"), ==, 10);
  g_assert_cmpint (member_int (row, "listed"), ==, 6);
  cli_result_clear (&result);

  /* A paused channel is skipped: no connector runs (this one would fail: it
   * has no credential and points at a closed port), its entries wait. */
  run_cli (&f->cli, &result, "sync", "Fern", "--json", "--db", f->cli.db);
  assert_success (&result);
  synced = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (synced), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (synced, 0), "skipped"), ==,
                   "paused");
  g_assert_cmpint (count_outbox (f, f->shopify, "pending"), ==, 1);
  cli_result_clear (&result);

  run_cli (&f->cli, &result, "sync", "Fern", "--db", f->cli.db);
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "Fern: skipped (paused)"));
  cli_result_clear (&result);

  /* --due: Amazon synced a moment ago with a 30-minute interval is not due
   * (it would fail too: no credential, a closed port). */
  g_assert_true (omni_store_mark_channel_synced (f->store, f->amazon, NULL));
  run_cli (&f->cli, &result, "channel", "settings", "Amazon EU", "--interval", "30",
           "--db", f->cli.db);
  assert_success (&result);
  cli_result_clear (&result);
  run_cli (&f->cli, &result, "sync", "--due", "--json", "--db", f->cli.db);
  assert_success (&result);
  g_clear_pointer (&synced, json_array_unref);
  synced = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (synced), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *one = json_array_get_object_element (synced, i);

      g_assert_cmpstr (member_string (one, "skipped"), ==,
                       g_str_equal (member_string (one, "channel"), "Fern") ? "paused" : "not due");
      g_assert_cmpint (member_int (one, "pushed"), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/channel-settings/publish-quantity", test_publish_quantity);
  g_test_add_func ("/channel-settings/is-due", test_is_due);
  g_test_add ("/channel-settings/parse", Shop, NULL, shop_set_up, test_parse, shop_tear_down);
  g_test_add ("/channel-settings/save-refused", Shop, NULL, shop_set_up, test_save_refused,
              shop_tear_down);
  g_test_add ("/channel-settings/connector-keys-kept", Shop, NULL, shop_set_up,
              test_connector_keys_kept, shop_tear_down);
  g_test_add ("/channel-settings/payload-follows-rules", Shop, NULL, shop_set_up,
              test_payload_follows_rules, shop_tear_down);
  g_test_add ("/channel-settings/feeding-locations", Shop, NULL, shop_set_up,
              test_feeding_locations, shop_tear_down);
  g_test_add ("/channel-settings/pause-and-direction", Shop, NULL, shop_set_up,
              test_pause_and_direction, shop_tear_down);
  g_test_add ("/channel-settings/preview", Shop, NULL, shop_set_up, test_preview, shop_tear_down);
  g_test_add ("/channel-settings/cli-settings", Shop, NULL, shop_set_up, test_cli_settings,
              shop_tear_down);
  g_test_add ("/channel-settings/cli-preview-and-sync", Shop, NULL, shop_set_up,
              test_cli_preview_and_sync, shop_tear_down);

  return g_test_run ();
}
