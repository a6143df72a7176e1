/* bench-shopify-pull.c: a first Shopify pull of a large catalog against the
 * throttled mock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-shopify-pull [--variants N] [--bucket POINTS] [--restore-rate POINTS_PER_S] [--bulk]
 *
 * Builds a local catalog of N single-variant products and a mock Shopify
 * with the same SKUs, then runs the connector's pull (on its worker thread,
 * the mock serving on this one) with the mock enforcing a leaky cost bucket.
 * Reports the requests used against the minimum for 250-node pages, and the
 * time against the throttle's theoretical minimum: (points requested − the
 * full bucket at the start) / restore rate. Goal: ≥ 90 % of the allowed
 * rate, no THROTTLED answer, every quantity exact.
 *
 * By default the variants are read in cursor pages (the bulk threshold is
 * off, so what is measured is paging). With --bulk they come from one bulk
 * operation (JSONL streamed from the mock, answered COMPLETED at the first
 * poll, after the connector's first one-second wait); levels still page,
 * and the rate goal does not apply (the wait for the operation is Shopify's).
 *
 * Needs a Secret Service (the token is read from the keyring): run it in
 * `dbus-run-session` with an unlocked gnome-keyring, as build-aux/run-tests.sh
 * does for the tests.
 */
#define G_LOG_DOMAIN "bench-shopify"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "bench-common.h"
#include "mock-shopify.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"

#define PAGE 250
#define GOAL_RATE 0.90

static gboolean done;
static gboolean ok;
static GError *pull_error;

static void
on_pulled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &pull_error);
  done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniShopifyConnector) connector = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = g_strdup_printf ("shpat_bench_%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *account = g_strdup_printf ("bench-%08x.myshopify.com", g_random_int ());
  gint64 variants = bench_size_from_env ("OMNISTOCK_BENCH_SHOPIFY", 50000);
  double bucket = 2000, rate = 1000;
  gboolean bulk = FALSE;
  double started, elapsed_ms, points, minimum_s, efficiency;
  gint64 channel, shop, mismatches = 0;
  guint pages, minimum_requests;
  const MockShopifyStats *mock_stats;
  OmniShopifyStats stats;
  MockShopify *mock;
  GOptionEntry entries[] = {
    { "variants", 0, 0, G_OPTION_ARG_INT64, &variants, "Variants to pull", "N" },
    { "bucket", 0, 0, G_OPTION_ARG_DOUBLE, &bucket, "Cost bucket size in points", "POINTS" },
    { "restore-rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Points restored per second", "N" },
    { "bulk", 0, 0, G_OPTION_ARG_NONE, &bulk, "Read the variants through a bulk operation", NULL },
    G_OPTION_ENTRY_NULL
  };

  options = g_option_context_new (NULL);
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (!omni_secret_check_available (NULL, &error))
    {
      g_printerr ("Skipped: %s\n", error->message);
      return 77;
    }

  dir = g_dir_make_tmp ("bench-shopify-XXXXXX", NULL);
  path = g_build_filename (dir, "shop.db", NULL);
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);

  mock = mock_shopify_new ();
  mock_shopify_add_location (mock, "Shop Floor");
  mock_shopify_add_token (mock, token);

  started = bench_now_ms ();
  g_assert_true (omni_store_begin (store, &error));
  for (gint64 i = 0; i < variants; i++)
    {
      g_autofree char *sku = g_strdup_printf ("BENCH-%07" G_GINT64_FORMAT, i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = { .sku = sku, .compare_at_price = -1, .cost = -1,
                                        .reorder_point = -1, .reorder_qty = -1 };
      gint64 id = 0;

      if (omni_store_create_product (store, &product, &variant, 1, &id, &error) == 0)
        g_error ("%s", error->message);
      mock_shopify_add_variant (mock, sku, NULL, i % 97);
    }
  g_assert_true (omni_store_commit (store, &error));
  g_print ("Catalog of %" G_GINT64_FORMAT " variants built in %.1f s\n", variants,
           (bench_now_ms () - started) / 1000.0);

  channel = omni_store_add_channel (store, "shopify", NULL, account, mock_shopify_get_url (mock), &error);
  g_assert_no_error (error);
  omni_store_set_channel_settings (store, channel, "{\"auth\":\"token\"}", NULL);
  if (!omni_secret_store ("shopify", account, "OmniStock benchmark", token, NULL, &error))
    g_error ("%s", error->message);

  mock_shopify_set_throttle (mock, bucket, rate);
  connector = omni_shopify_connector_new (path, channel);
  if (bulk)
    {
      omni_shopify_connector_set_force_bulk (connector, TRUE);
      mock_shopify_bulk_set_outcome (mock, MOCK_SHOPIFY_BULK_COMPLETED, 0);
    }
  else
    omni_shopify_connector_set_bulk_threshold (connector, 0);

  started = bench_now_ms ();
  omni_connector_pull_async (OMNI_CONNECTOR (connector), NULL, on_pulled, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  elapsed_ms = bench_now_ms () - started;
  omni_secret_clear ("shopify", account, NULL, NULL);
  if (!ok)
    g_error ("The pull failed: %s", pull_error->message);

  omni_shopify_connector_get_stats (connector, &stats);
  mock_stats = mock_shopify_get_stats (mock);
  for (gint64 i = 0; i < variants; i++)
    {
      g_autofree char *sku = g_strdup_printf ("BENCH-%07" G_GINT64_FORMAT, i);
      gint64 id = omni_store_find_variant (store, sku, NULL);

      if (omni_store_get_available_at (store, id, shop) != i % 97)
        mismatches++;
    }

  pages = (guint)((variants + PAGE - 1) / PAGE);
  /* Variants pages, levels pages, one locations page. */
  minimum_requests = 2 * pages + 1;
  points = pages * (2.0 + 3 * PAGE) + pages * (3.0 + 2 * PAGE) + 2 + 100;
  if (bulk)
    {
      /* Levels pages, locations, the bulk run and one poll. */
      minimum_requests = pages + 1 + 2;
      points = pages * (3.0 + 2 * PAGE) + 2 + 100 + 10 + 1;
    }
  minimum_s = MAX (points - bucket, 0) / rate;
  efficiency = minimum_s > 0 ? minimum_s / (elapsed_ms / 1000.0) : 1.0;

  g_print ("\n%-38s %12s\n", bulk ? "Shopify first pull (bulk)" : "Shopify first pull", "");
  g_print ("%-38s %12" G_GINT64_FORMAT "\n", "variants", variants);
  g_print ("%-38s %12.0f / %.0f/s\n", "throttle: bucket / restore rate", bucket, rate);
  g_print ("%-38s %12u\n", "requests sent", mock_stats->requests);
  g_print ("%-38s %12u\n", "minimum requests (250 per page)", minimum_requests);
  g_print ("%-38s %12u\n", "THROTTLED answers", mock_stats->throttled);
  g_print ("%-38s %12u\n", "queries over 1,000 points", mock_stats->over_limit);
  g_print ("%-38s %12.0f\n", "points requested", points);
  g_print ("%-38s %12.1f s\n", "elapsed", elapsed_ms / 1000.0);
  g_print ("%-38s %12.1f s\n", "throttle's theoretical minimum", minimum_s);
  g_print ("%-38s %12.1f s\n", "of which waiting for the bucket", stats.throttle_wait_ms / 1000.0);
  g_print ("%-38s %11.1f %%\n", "share of the allowed rate used", efficiency * 100);
  g_print ("%-38s %12" G_GINT64_FORMAT "\n", "quantities wrong", mismatches);
  if (bulk)
    {
      const MockShopifyBulkStats *bs = mock_shopify_bulk_get_stats (mock);

      g_print ("%-38s %12u / %u\n", "bulk runs / polls", bs->runs, bs->polls);
      g_print ("%-38s %12" G_GUINT64_FORMAT " / %.1f MB\n", "JSONL lines / size streamed",
               bs->lines_served, bs->bytes_served / 1e6);
      g_print ("%-38s %12" G_GINT64_FORMAT "\n", "variants linked", stats.linked);
    }
  g_print ("\nSummary: %u requests for a minimum of %u, %.1f s for a minimum of %.1f s "
           "(%.0f %% of the allowed rate, goal %.0f %%), %u throttled, %" G_GINT64_FORMAT
           " wrong quantities: %s\n",
           mock_stats->requests, minimum_requests, elapsed_ms / 1000.0, minimum_s,
           efficiency * 100, GOAL_RATE * 100, mock_stats->throttled, mismatches,
           (mismatches == 0 && mock_stats->requests == minimum_requests &&
            (bulk || efficiency >= GOAL_RATE)) ? "PASS" : "FAIL");

  mock_shopify_free (mock);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
  return mismatches == 0 ? 0 : 1;
}
