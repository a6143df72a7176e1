/* omnistock-generate.c: writes a realistic large catalog into a new database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   omnistock-generate --db PATH --variants N [--locations N] [--movements N]
 *                      [--orders N] [--seed N] [--batch N]
 *
 * Defaults: 3 locations, five movements and a tenth of an order per variant,
 * seed 42. Progress goes to stderr; the figures to stdout.
 */
#define G_LOG_DOMAIN "omnistock-generate"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "omni-store-generate.h"

typedef struct
{
  gint64 started_us;
  gint64 phase_started_us;
  int    last_phase;
} Progress;

static void
on_progress (OmniGeneratePhase phase,
             gint64            done,
             gint64            total,
             gpointer          user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();
  double elapsed = (double)(now - progress->started_us) / G_USEC_PER_SEC;
  double in_phase;

  if ((int)phase != progress->last_phase)
    {
      progress->last_phase = (int)phase;
      progress->phase_started_us = now;
    }
  in_phase = (double)(now - progress->phase_started_us) / G_USEC_PER_SEC;

  g_printerr ("%-8s %12" G_GINT64_FORMAT " / %-12" G_GINT64_FORMAT " %5.1f%%  %8.1f s",
              omni_generate_phase_name (phase), done, total,
              total > 0 ? 100.0 * (double)done / (double)total : 100.0, elapsed);
  if (phase != OMNI_GENERATE_PHASE_FINISH && in_phase > 0.5 && done > 0)
    g_printerr ("  (%.0f/s)", (double)done / in_phase);
  g_printerr ("\n");
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64)st.st_size : -1;
}

static void
print_stats (OmniStore  *store,
             const char *path,
             double      seconds)
{
  g_auto(OmniStoreStats) stats = { 0 };
  g_autoptr(GError) error = NULL;

  if (!omni_store_get_stats (store, &stats, &error))
    {
      g_printerr ("omnistock-generate: %s\n", error->message);
      return;
    }

  g_print ("database        %s\n", path);
  g_print ("size            %.1f MiB\n", (double)file_size (path) / (1024.0 * 1024.0));
  g_print ("time            %.1f s\n", seconds);
  g_print ("products        %" G_GINT64_FORMAT "\n", stats.products);
  g_print ("variants        %" G_GINT64_FORMAT "\n", stats.variants);
  g_print ("locations       %" G_GINT64_FORMAT "\n", stats.locations);
  g_print ("movements       %" G_GINT64_FORMAT "\n", stats.movements);
  g_print ("orders          %" G_GINT64_FORMAT "\n", stats.orders);
  g_print ("units on hand   %" G_GINT64_FORMAT "\n", stats.units_on_hand);
  g_print ("stock value     %" G_GINT64_FORMAT ".%02d %s (at cost)\n",
           stats.stock_value / 100, (int)(stats.stock_value % 100), stats.currency);
  g_print ("retail value    %" G_GINT64_FORMAT ".%02d %s\n",
           stats.retail_value / 100, (int)(stats.retail_value % 100), stats.currency);
  g_print ("low stock       %" G_GINT64_FORMAT "\n", stats.low_stock);
  g_print ("out of stock    %" G_GINT64_FORMAT "\n", stats.out_of_stock);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  gint64 variants = 0, movements = -1, orders = -1;
  int locations = 3, seed = 42, batch = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "New database file to write", "PATH" },
    { "variants", 0, 0, G_OPTION_ARG_INT64, &variants, "Variants to create", "N" },
    { "locations", 0, 0, G_OPTION_ARG_INT, &locations, "Locations, 1 to 5 (3)", "N" },
    { "movements", 0, 0, G_OPTION_ARG_INT64, &movements,
      "Ledger rows, opening stock and sales included (5 × variants)", "N" },
    { "orders", 0, 0, G_OPTION_ARG_INT64, &orders, "Orders (variants / 10)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (42)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Rows per transaction (50000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  OmniGenerateSpec spec = { 0 };
  Progress progress = { 0 };
  gint64 started;

  context = g_option_context_new ("— write a realistic large catalog into a new database");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("omnistock-generate: %s\n", error->message);
      return 1;
    }
  if (db == NULL || variants <= 0 || locations <= 0 || seed < 0 || batch < 0)
    {
      g_printerr ("omnistock-generate: --db PATH and --variants N (N > 0) are required\n");
      return 1;
    }

  spec.variants = variants;
  spec.locations = (guint)locations;
  spec.movements = movements >= 0 ? movements : variants * 5;
  spec.orders = orders >= 0 ? orders : variants / 10;
  spec.seed = (guint32)seed;
  spec.batch_rows = (guint)batch;

  store = omni_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("omnistock-generate: %s\n", error->message);
      return 2;
    }

  g_printerr ("Generating %" G_GINT64_FORMAT " variants, %u locations, %" G_GINT64_FORMAT
              " movements, %" G_GINT64_FORMAT " orders (seed %u) into %s\n",
              spec.variants, spec.locations, spec.movements, spec.orders, spec.seed, db);
  started = progress.started_us = progress.phase_started_us = g_get_monotonic_time ();
  progress.last_phase = -1;
  if (!omni_store_generate (store, &spec, on_progress, &progress, NULL, &error))
    {
      g_printerr ("omnistock-generate: %s\n", error->message);
      return g_error_matches (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT) ? 3 : 2;
    }

  print_stats (store, db, (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC);
  return 0;
}
