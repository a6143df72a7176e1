/* test-shopify-bulk.c: variants through a Shopify bulk operation, against
 * the in-process mock, with the real keyring
 *
 * A first pull of a catalog over the threshold starts bulkOperationRunQuery,
 * polls it and streams the JSONL result; these cases check the counts and
 * levels it leaves, each way the operation can end (FAILED, CANCELED,
 * EXPIRED, no result), the bounds on a line and on the whole result, and a
 * cancellation in the middle of the download.
 *
 * Needs a Secret Service on the session bus (build-aux/run-tests.sh starts
 * one); without one every case is skipped with a message saying so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-shopify-private.h"
#include "omni-store-channel.h"

static gboolean have_keyring;

typedef struct
{
  char         *dir;
  char         *path;
  char         *account;
  char         *token;
  OmniStore    *store;
  MockShopify  *mock;
  gint64        shop;
  gint64        channel;
  GArray       *variants;     /* local variant ids, by mock index */
  GCancellable *cancellable;
  gboolean      done;
  gboolean      ok;
  GError       *error;
} Fixture;

/* Under AddressSanitizer every row costs several times more: the sanitized
 * suite reads 12,000 variants (still over the threshold) instead of 30,000. */
#if defined(__SANITIZE_ADDRESS__)
#define BULK_VARIANTS 12000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULK_VARIANTS 12000
#endif
#endif
#ifndef BULK_VARIANTS
#define BULK_VARIANTS 30000
#endif

#define REQUIRE_KEYRING() \
  G_STMT_START { \
    if (!have_keyring) \
      { \
        g_test_skip ("No Secret Service on the session bus: run the suite with " \
                     "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)"); \
        return; \
      } \
  } G_STMT_END

/* @n local variants SKU-BULK-NNNNNN, the same on the mock with quantity
 * (i % 17) + 1, then @remote_only remote variants that match nothing. */
static void
add_catalog (Fixture *f,
             guint    n,
             guint    remote_only)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_store_begin (f->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = g_strdup_printf ("SKU-BULK-%06u", i);
      g_autofree char *title = g_strdup_printf ("Product %u", i);
      const OmniProductSpec product = { .title = title };
      const OmniVariantSpec variant = {
        .sku = sku, .price = 1000, .compare_at_price = -1, .cost = -1,
        .reorder_point = -1, .reorder_qty = -1,
      };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &id, &error), >, 0);
      g_assert_no_error (error);
      g_array_append_val (f->variants, id);
      g_assert_cmpuint (mock_shopify_add_variant (f->mock, sku, NULL, (gint64)(i % 17) + 1), ==, i);
    }
  g_assert_true (omni_store_commit (f->store, &error));
  for (guint i = 0; i < remote_only; i++)
    {
      g_autofree char *sku = g_strdup_printf ("REMOTE-ONLY-%u", i);

      mock_shopify_add_variant (f->mock, sku, NULL, 3);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());

  f->variants = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!have_keyring)
    return;

  f->dir = g_dir_make_tmp ("omni-shopify-bulk-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);

  f->mock = mock_shopify_new ();
  mock_shopify_add_location (f->mock, "Shop Floor");
  f->token = g_strdup_printf ("shpat_BULK%s%08x", suffix, g_random_int ());
  mock_shopify_add_token (f->mock, f->token);

  f->account = g_strdup_printf ("bulk-%s.myshopify.com", suffix);
  f->channel = omni_store_add_channel (f->store, "shopify", NULL, f->account,
                                       mock_shopify_get_url (f->mock), &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (f->store, f->channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_secret_store ("shopify", f->account, "OmniStock test", f->token, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_array_unref (f->variants);
  if (!have_keyring)
    return;

  omni_secret_clear ("shopify", f->account, NULL, NULL);
  g_clear_object (&f->store);
  g_clear_object (&f->cancellable);
  mock_shopify_free (f->mock);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->account);
  g_free (f->token);
  g_clear_error (&f->error);
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

/* Pulls on the worker thread while this thread serves the mock. */
static gboolean
pull (Fixture              *f,
      OmniShopifyConnector *connector)
{
  f->done = FALSE;
  omni_connector_pull_async (OMNI_CONNECTOR (connector), f->cancellable, on_done, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  return f->ok;
}

/* Quick polls, small bounds where a case needs them. */
static OmniShopifyConnector *
connector_new (Fixture *f,
               gsize    max_line,
               guint64  max_bytes)
{
  OmniShopifyConnector *connector = omni_shopify_connector_new (f->path, f->channel);
  const OmniShopifyBulkLimits limits = {
    .poll_first_ms = 5, .poll_max_ms = 40, .max_wait_s = 30,
    .max_line = max_line ? max_line : 1024 * 1024,
    .max_bytes = max_bytes ? max_bytes : (guint64)1 << 32,
    .batch = 500, .timeout_s = 10,
  };

  omni_shopify_connector_set_retry (connector, 4, 20);
  _omni_shopify_connector_set_bulk_limits (connector, &limits);
  return connector;
}

static gint64
available (Fixture *f,
           guint    index)
{
  return omni_store_get_available_at (f->store, g_array_index (f->variants, gint64, index), f->shop);
}

static gboolean
log_has (Fixture    *f,
         const char *status,
         const char *words)
{
  g_autoptr(GPtrArray) log = omni_store_list_sync_log (f->store, f->channel, 1000, NULL);

  for (guint i = 0; log != NULL && i < log->len; i++)
    {
      OmniSyncLogEntry *e = log->pdata[i];

      if (g_strcmp0 (e->status, status) == 0 && e->message != NULL && strstr (e->message, words))
        return TRUE;
    }
  return FALSE;
}

static gboolean
log_mentions (Fixture    *f,
              const char *text)
{
  g_autoptr(GPtrArray) log = omni_store_list_sync_log (f->store, f->channel, 1000, NULL);

  for (guint i = 0; log != NULL && i < log->len; i++)
    {
      OmniSyncLogEntry *e = log->pdata[i];

      if (e->message != NULL && strstr (e->message, text))
        return TRUE;
    }
  return FALSE;
}

static char *
variants_cursor (Fixture *f)
{
  return omni_store_get_sync_cursor (f->store, f->channel, "variants");
}

/* Cases ------------------------------------------------------------------ */

/* 30,000 variants (over the 10,000 default threshold, and over the 25,000
 * objects cursor paging serves): one bulk operation, no cursor page of
 * variants, every variant linked and its level taken. */
static void
test_bulk_30000 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autofree char *cursor = NULL;
  const MockShopifyBulkStats *bulk;
  OmniShopifyStats cs;
  gint64 expected = 0, total = 0;

  REQUIRE_KEYRING ();

  add_catalog (f, BULK_VARIANTS, 7);
  mock_shopify_bulk_set_outcome (f->mock, MOCK_SHOPIFY_BULK_COMPLETED, 3);
  connector = connector_new (f, 0, 0);
  g_assert_true (pull (f, connector));
  g_assert_no_error (f->error);

  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.variants, ==, BULK_VARIANTS + 7);
  g_assert_cmpint (cs.linked, ==, BULK_VARIANTS);
  g_assert_cmpint (cs.unmatched, ==, 7);
  g_assert_cmpint (cs.levels, ==, BULK_VARIANTS);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, BULK_VARIANTS);

  bulk = mock_shopify_bulk_get_stats (f->mock);
  g_assert_cmpuint (bulk->counts, ==, 1);
  g_assert_cmpuint (bulk->runs, ==, 1);
  g_assert_cmpuint (bulk->missing_key, ==, 0);
  g_assert_cmpuint (bulk->polls, ==, 4);          /* 3 × RUNNING, then COMPLETED */
  g_assert_cmpuint (bulk->downloads, ==, 1);
  g_assert_cmpuint (bulk->token_sent, ==, 0);
  g_assert_cmpuint (bulk->lines_served, ==, BULK_VARIANTS + 7);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->by_operation[MOCK_SHOPIFY_OP_VARIANTS], ==, 0);

  /* Shopify's quantities were taken on first link. */
  for (guint i = 0; i < BULK_VARIANTS; i++)
    {
      expected += (i % 17) + 1;
      total += available (f, i);
    }
  g_assert_cmpint (total, ==, expected);
  g_assert_cmpint (available (f, 0), ==, 1);
  g_assert_cmpint (available (f, 16), ==, 17);
  g_assert_cmpint (available (f, BULK_VARIANTS - 1), ==, ((BULK_VARIANTS - 1) % 17) + 1);
  {
    g_autofree char *summary = g_strdup_printf ("Bulk read: %d variants in %d lines",
                                                BULK_VARIANTS + 7, BULK_VARIANTS + 7);

    g_assert_true (log_has (f, "ok", summary));
  }
  g_assert_false (log_mentions (f, f->token));

  /* The next pull is incremental: cursor pages with updated_at, no bulk. */
  cursor = variants_cursor (f);
  g_assert_nonnull (cursor);
  g_clear_object (&connector);
  connector = connector_new (f, 0, 0);
  g_assert_true (pull (f, connector));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.variants, ==, 0);
  g_assert_cmpint (cs.linked, ==, 0);
  g_assert_cmpuint (bulk->runs, ==, 1);
  g_assert_cmpuint (bulk->counts, ==, 1);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->by_operation[MOCK_SHOPIFY_OP_VARIANTS], ==, 1);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, BULK_VARIANTS);
}

/* Below the threshold the first pull pages as before, after one count. */
static void
test_small_catalog_pages (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  const MockShopifyBulkStats *bulk;
  OmniShopifyStats cs;

  REQUIRE_KEYRING ();

  add_catalog (f, 300, 0);
  connector = connector_new (f, 0, 0);
  omni_shopify_connector_set_bulk_threshold (connector, 300);
  g_assert_true (pull (f, connector));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.linked, ==, 300);
  bulk = mock_shopify_bulk_get_stats (f->mock);
  g_assert_cmpuint (bulk->counts, ==, 1);
  g_assert_cmpuint (bulk->runs, ==, 0);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->by_operation[MOCK_SHOPIFY_OP_VARIANTS], ==, 2);
}

/* FAILED, CANCELED and EXPIRED: a clear error, in the sync log too, and
 * nothing linked; then a completed one links everything. */
static void
test_bulk_unsuccessful (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { MockShopifyBulkOutcome outcome; const char *words; } cases[] = {
    { MOCK_SHOPIFY_BULK_FAILED, "failed on Shopify's side (INTERNAL_SERVER_ERROR)" },
    { MOCK_SHOPIFY_BULK_CANCELED, "was canceled on Shopify's side" },
    { MOCK_SHOPIFY_BULK_EXPIRED, "expired before its result was read" },
  };
  g_autoptr(OmniShopifyConnector) connector = NULL;
  OmniShopifyStats cs;

  REQUIRE_KEYRING ();

  add_catalog (f, 120, 0);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(OmniChannel) channel = NULL;
      g_autofree char *cursor = NULL;

      mock_shopify_bulk_set_outcome (f->mock, cases[c].outcome, 1);
      g_clear_object (&connector);
      connector = connector_new (f, 0, 0);
      omni_shopify_connector_set_bulk_threshold (connector, 100);
      g_assert_false (pull (f, connector));
      g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE);
      g_assert_nonnull (strstr (f->error->message, cases[c].words));
      g_assert_nonnull (strstr (f->error->message, "no variant was read"));
      g_assert_true (log_has (f, "error", cases[c].words));

      g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 0);
      cursor = variants_cursor (f);
      g_assert_null (cursor);
      channel = omni_store_get_channel (f->store, f->channel, NULL);
      g_assert_cmpstr (channel->state, ==, "error");
      g_assert_nonnull (strstr (channel->last_error, cases[c].words));
      g_assert_cmpint (available (f, 5), ==, 0);
    }
  g_assert_cmpuint (mock_shopify_bulk_get_stats (f->mock)->downloads, ==, 0);

  mock_shopify_bulk_set_outcome (f->mock, MOCK_SHOPIFY_BULK_COMPLETED, 1);
  g_clear_object (&connector);
  connector = connector_new (f, 0, 0);
  omni_shopify_connector_set_bulk_threshold (connector, 100);
  g_assert_true (pull (f, connector));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.linked, ==, 120);
  g_assert_cmpint (available (f, 5), ==, 6);
  g_assert_cmpuint (mock_shopify_bulk_get_stats (f->mock)->runs, ==, 4);
}

/* COMPLETED with a null url: Shopify found nothing; zero variants, OK. */
static void
test_bulk_no_results (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  OmniShopifyStats cs;

  REQUIRE_KEYRING ();

  add_catalog (f, 10, 0);
  mock_shopify_bulk_set_outcome (f->mock, MOCK_SHOPIFY_BULK_NO_RESULTS, 0);
  connector = connector_new (f, 0, 0);
  omni_shopify_connector_set_force_bulk (connector, TRUE);
  g_assert_true (pull (f, connector));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.variants, ==, 0);
  g_assert_cmpint (cs.linked, ==, 0);
  g_assert_cmpint (cs.levels, ==, 0);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 0);
  g_assert_cmpuint (mock_shopify_bulk_get_stats (f->mock)->counts, ==, 0);
  g_assert_cmpuint (mock_shopify_bulk_get_stats (f->mock)->downloads, ==, 0);
  g_assert_true (log_has (f, "ok", "found no variants"));
}

/* A line over the bound is refused with a clear error; the batches
 * committed before it stay whole, the one it was in is rolled back. */
static void
test_bulk_line_too_long (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autofree char *cursor = NULL;
  OmniShopifyStats cs;

  REQUIRE_KEYRING ();

  add_catalog (f, 1200, 0);
  mock_shopify_bulk_set_long_line (f->mock, 1100, 2 * 1024 * 1024);
  connector = connector_new (f, 0, 0);
  omni_shopify_connector_set_bulk_threshold (connector, 1000);
  g_assert_false (pull (f, connector));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE);
  g_assert_nonnull (strstr (f->error->message, "Line 1100 of Shopify's bulk result is longer "
                                               "than 1048576 bytes"));
  g_assert_true (log_has (f, "error", "Line 1100 of Shopify's bulk result is longer"));

  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 1000);
  g_assert_cmpint (cs.levels, ==, 0);
  cursor = variants_cursor (f);
  g_assert_null (cursor);
  /* Linked, but no level was taken: nothing moved. */
  g_assert_cmpint (available (f, 0), ==, 0);
  g_assert_cmpint (available (f, 1050), ==, 0);

  /* Within a larger bound the same result is read whole. */
  g_clear_object (&connector);
  connector = connector_new (f, 4 * 1024 * 1024, 0);
  omni_shopify_connector_set_bulk_threshold (connector, 1000);
  g_assert_true (pull (f, connector));
  g_assert_no_error (f->error);
  omni_shopify_connector_get_stats (connector, &cs);
  g_assert_cmpint (cs.variants, ==, 1200);
  g_assert_cmpint (cs.linked, ==, 200);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 1200);
}

/* The whole result is bounded too. */
static void
test_bulk_result_too_large (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;

  REQUIRE_KEYRING ();

  add_catalog (f, 20, 0);
  mock_shopify_bulk_add_synthetic (f->mock, 5000);
  connector = connector_new (f, 0, 256 * 1024);
  omni_shopify_connector_set_bulk_threshold (connector, 1000);
  g_assert_false (pull (f, connector));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE);
  g_assert_nonnull (strstr (f->error->message, "Shopify's bulk result is larger than 262144 bytes"));
  /* About 330 bytes a line: the first batch (lines 1-500, with the 20 real
   * variants) was committed before the bound; the rest was refused. */
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 20);
  g_assert_true (log_has (f, "error", "larger than 262144 bytes; it was refused after line"));
}

/* An operation that never ends is waited for a bounded time. */
static void
test_bulk_wait_bounded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  const OmniShopifyBulkLimits limits = {
    .poll_first_ms = 5, .poll_max_ms = 100, .max_wait_s = 1,
    .max_line = 1024 * 1024, .max_bytes = 1 << 30, .batch = 500, .timeout_s = 10,
  };
  gint64 started;

  REQUIRE_KEYRING ();

  add_catalog (f, 30, 0);
  mock_shopify_bulk_set_outcome (f->mock, MOCK_SHOPIFY_BULK_RUNNING_FOREVER, 0);
  connector = connector_new (f, 0, 0);
  _omni_shopify_connector_set_bulk_limits (connector, &limits);
  omni_shopify_connector_set_force_bulk (connector, TRUE);
  started = g_get_monotonic_time ();
  g_assert_false (pull (f, connector));
  g_assert_error (f->error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_FAILED);
  g_assert_nonnull (strstr (f->error->message, "did not finish within 1 seconds"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (mock_shopify_bulk_get_stats (f->mock)->polls, >=, 5);
  g_assert_cmpuint (mock_shopify_bulk_get_stats (f->mock)->downloads, ==, 0);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 0);
}

typedef struct
{
  Fixture *f;
  gint64   links;
} CancelWatch;

/* Cancels once the download has stalled and five batches are committed. */
static gboolean
cancel_when_stalled (gpointer data)
{
  CancelWatch *w = data;

  if (mock_shopify_bulk_get_stats (w->f->mock)->lines_served >= 2600 &&
      omni_store_count_links (w->f->store, w->f->channel) == w->links)
    {
      g_cancellable_cancel (w->f->cancellable);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_bulk_cancel_mid_download (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autofree char *cursor = NULL;
  CancelWatch watch = { f, 2500 };

  REQUIRE_KEYRING ();

  add_catalog (f, 5000, 0);
  mock_shopify_bulk_stall_after (f->mock, 2600);
  f->cancellable = g_cancellable_new ();
  connector = connector_new (f, 0, 0);
  omni_shopify_connector_set_bulk_threshold (connector, 1000);
  g_timeout_add (10, cancel_when_stalled, &watch);
  g_assert_false (pull (f, connector));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (f->cancellable));

  /* Five whole batches of 500; the sixth (100 read) was rolled back. */
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 2500);
  cursor = variants_cursor (f);
  g_assert_null (cursor);
  channel = omni_store_get_channel (f->store, f->channel, NULL);
  g_assert_cmpstr (channel->state, !=, "error");
  g_assert_cmpuint (mock_shopify_bulk_get_stats (f->mock)->lines_served, ==, 2600);
}

typedef struct
{
  char     *out;
  char     *err;
  int       status;
  gboolean  done;
} CliRun;

static void
on_communicated (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  CliRun *r = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), res,
                                                       &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  r->done = TRUE;
}

/* `omnistock-cli sync CHANNEL --pull --bulk` reads the variants through a
 * bulk operation even for a small catalog, and counts nothing first. */
static void
test_cli_bulk_flag (Fixture       *f,
                    gconstpointer  data)
{
  const char *cli = g_getenv ("OMNISTOCK_CLI");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const MockShopifyBulkStats *bulk;
  JsonObject *summary;
  CliRun r = { 0 };

  REQUIRE_KEYRING ();
  g_assert_nonnull (cli);

  add_catalog (f, 40, 2);
  mock_shopify_bulk_set_outcome (f->mock, MOCK_SHOPIFY_BULK_COMPLETED, 0);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              cli, "--db", f->path, "--json", "sync", f->account, "--pull", "--bulk",
                              NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (r.status != 0)
    g_printerr ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);

  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  summary = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpint (json_object_get_int_member (summary, "variants"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (summary, "linked"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (summary, "unmatched"), ==, 2);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 40);
  g_assert_cmpint (available (f, 39), ==, (39 % 17) + 1);

  bulk = mock_shopify_bulk_get_stats (f->mock);
  g_assert_cmpuint (bulk->counts, ==, 0);
  g_assert_cmpuint (bulk->runs, ==, 1);
  g_assert_cmpuint (bulk->downloads, ==, 1);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->by_operation[MOCK_SHOPIFY_OP_VARIANTS], ==, 0);
  g_free (r.out);
  g_free (r.err);
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
    g_test_message ("Skipping the keyring cases: %s", error->message);

#define ADD(name, func) \
  g_test_add ("/omni/shopify-bulk/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("bulk-30000", test_bulk_30000);
  ADD ("small-catalog-pages", test_small_catalog_pages);
  ADD ("unsuccessful", test_bulk_unsuccessful);
  ADD ("no-results", test_bulk_no_results);
  ADD ("line-too-long", test_bulk_line_too_long);
  ADD ("result-too-large", test_bulk_result_too_large);
  ADD ("cancel-mid-download", test_bulk_cancel_mid_download);
  ADD ("wait-bounded", test_bulk_wait_bounded);
  ADD ("cli-bulk-flag", test_cli_bulk_flag);

  status = g_test_run ();
  /* libsecret keeps its Secret Service proxy for the process. */
  secret_service_disconnect ();
  return status;
}
