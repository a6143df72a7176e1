/* bench-tills.c: adjustments per second from 1, 2 and 4 tills at once, on a
 * shared PostgreSQL store over loopback against one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-tills [--adjustments N] [--clients 1,2,4] [--lines N]
 *
 * Each till is a thread with a connection of its own, adjusting its own
 * variants one line per call (one transaction each, as a till sells), for N
 * adjustments (2,000 unless given). With --lines, each call is a batch of
 * that many lines (up to 20, each its own variant: a delivery booked in),
 * and the figures are lines per second. PostgreSQL runs from the test harness
 * (initdb into a temporary directory, a Unix socket, fsync on as a real
 * server would have it); SQLite is a file in WAL mode with the store's own
 * settings, where writers take turns on the file lock. Both go through
 * omni_store_adjust(), so the ledger's triggers run on both. Prints
 * adjustments/s per backend and client count, and their ratio.
 */
#define G_LOG_DOMAIN "bench-tills"

#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "bench-common.h"
#include "omni-store-inventory.h"
#include "pg-test-server.h"

#define VARIANTS_PER_TILL 20

typedef struct
{
  const char *location;
  gint64      first_variant;
  guint       n;
  guint       lines;
  GError     *error;
} Till;

static gpointer
till_run (gpointer data)
{
  Till *till = data;
  g_autoptr(OmniStore) store = omni_store_open (till->location, &till->error);
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .reason = "received",
                                .source = "bench" };

  if (store == NULL)
    return NULL;
  for (guint i = 0; i < till->n; i++)
    {
      OmniAdjustLine lines[VARIANTS_PER_TILL];
      g_autofree char *op = NULL;

      for (guint k = 0; k < till->lines; k++)
        lines[k] = (OmniAdjustLine) {
          till->first_variant + (i * till->lines + k) % VARIANTS_PER_TILL, 0, 1 };
      op = omni_store_adjust (store, lines, till->lines, &options, &till->error);
      if (op == NULL)
        return NULL;
    }
  return NULL;
}

/* One product per till, VARIANTS_PER_TILL variants each; returns the first
 * variant id of each. */
static gboolean
prepare_catalog (const char  *location,
                 guint        n_tills,
                 gint64      *first_variants,
                 GError     **error)
{
  g_autoptr(OmniStore) store = omni_store_open (location, error);

  if (store == NULL || omni_store_add_location (store, "Shop Floor", TRUE, error) == 0)
    return FALSE;
  for (guint t = 0; t < n_tills; t++)
    {
      g_autofree char *title = g_strdup_printf ("Till %u mug", t + 1);
      OmniProductSpec product = { .title = title, .option_names = { "Number" } };
      OmniVariantSpec specs[VARIANTS_PER_TILL];
      char values[VARIANTS_PER_TILL][8];
      gint64 ids[VARIANTS_PER_TILL];

      for (guint i = 0; i < VARIANTS_PER_TILL; i++)
        {
          g_snprintf (values[i], sizeof values[i], "%u", i + 1);
          specs[i] = (OmniVariantSpec) { .options = { values[i] }, .price = 1800,
                                         .compare_at_price = -1, .cost = 700,
                                         .reorder_point = -1, .reorder_qty = -1 };
        }
      if (omni_store_create_product (store, &product, specs, VARIANTS_PER_TILL, ids,
                                     error) == 0)
        return FALSE;
      first_variants[t] = ids[0];
    }
  return TRUE;
}

/* Lines adjusted per second by @n_tills tills together, each making
 * @per_till calls of @lines lines, or < 0 on error. */
static double
run (const char  *location,
     guint        n_tills,
     guint        per_till,
     guint        lines,
     GError     **error)
{
  g_autofree gint64 *firsts = g_new0 (gint64, n_tills);
  g_autofree Till *tills = g_new0 (Till, n_tills);
  g_autofree GThread **threads = g_new0 (GThread *, n_tills);
  double start, elapsed;

  if (!prepare_catalog (location, n_tills, firsts, error))
    return -1;

  start = bench_now_ms ();
  for (guint t = 0; t < n_tills; t++)
    {
      tills[t] = (Till) { location, firsts[t], per_till, lines, NULL };
      threads[t] = g_thread_new ("till", till_run, &tills[t]);
    }
  for (guint t = 0; t < n_tills; t++)
    g_thread_join (threads[t]);
  elapsed = bench_now_ms () - start;

  for (guint t = 0; t < n_tills; t++)
    if (tills[t].error != NULL)
      {
        g_propagate_error (error, tills[t].error);
        for (guint u = t + 1; u < n_tills; u++)
          g_clear_error (&tills[u].error);
        return -1;
      }
  return (double)n_tills * per_till * lines / (elapsed / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *clients_text = NULL;
  g_auto(GStrv) clients = NULL;
  PgTestServer *server;
  int adjustments = 2000;
  int lines = 1;
  double ratio_min = G_MAXDOUBLE;
  const GOptionEntry entries[] = {
    { "adjustments", 0, 0, G_OPTION_ARG_INT, &adjustments, "Per till (2000)", "N" },
    { "clients", 0, 0, G_OPTION_ARG_STRING, &clients_text, "Till counts (1,2,4)", "LIST" },
    { "lines", 0, 0, G_OPTION_ARG_INT, &lines, "Lines per adjustment, 1 to 20 (1)", "N" },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new ("— tills adjusting stock at once, PostgreSQL vs SQLite");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (lines < 1 || lines > VARIANTS_PER_TILL || adjustments < 1)
    {
      g_printerr ("bench-tills: --lines must be from 1 to %d and --adjustments at least 1\n",
                  VARIANTS_PER_TILL);
      return EXIT_FAILURE;
    }
  clients = g_strsplit (clients_text != NULL ? clients_text : "1,2,4", ",", -1);

  /* Durable commits on both sides: a benchmark of a real shop's server. */
  g_setenv ("OMNISTOCK_PG_TEST_DURABLE", "1", TRUE);
  server = pg_test_server_get_shared ();
  dir = g_dir_make_tmp ("bench-tills-XXXXXX", &error);
  g_assert_no_error (error);

  if (lines == 1)
    g_print ("Adjustments per second, %d per till, one transaction each\n\n", adjustments);
  else
    g_print ("Lines per second, %d adjustments of %d lines per till, one transaction each\n\n",
             adjustments, lines);
  g_print ("%-6s %16s %16s %10s\n", "Tills", "SQLite file", "PostgreSQL", "PG/SQLite");
  for (guint i = 0; clients[i] != NULL; i++)
    {
      guint n = (guint)g_ascii_strtoull (clients[i], NULL, 10);
      g_autofree char *file = g_strdup_printf ("%s/tills-%u.db", dir, n);
      g_autofree char *uri = pg_test_server_create_database (server, &error);
      double lite, pg;

      g_assert_no_error (error);
      if (n == 0 || n > 64)
        continue;
      lite = run (file, n, (guint)adjustments, (guint)lines, &error);
      if (lite < 0)
        {
          g_printerr ("SQLite, %u tills: %s\n", n, error->message);
          return EXIT_FAILURE;
        }
      pg = run (uri, n, (guint)adjustments, (guint)lines, &error);
      if (pg < 0)
        {
          g_printerr ("PostgreSQL, %u tills: %s\n", n, error->message);
          return EXIT_FAILURE;
        }
      g_print ("%-6u %16.0f %16.0f %9.2fx\n", n, lite, pg, pg / lite);
      ratio_min = MIN (ratio_min, pg / lite);
    }
  g_print ("\nSUMMARY tills: PostgreSQL over loopback reaches at least %.2fx SQLite's "
           "%s/s\n", ratio_min, lines == 1 ? "adjustments" : "lines");
  return EXIT_SUCCESS;
}
