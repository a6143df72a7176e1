/* bench-dashboard.c: one dashboard refresh, small catalog vs large
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-dashboard [--small N] [--large N] [--runs N]
 *
 * Does what the dashboard page's worker does on every refresh (see
 * read_dashboard() in src/gui/pages/omni-dashboard-page.c): opens its own
 * connection, reads the store statistics, the daily sales per channel over
 * 90 days, the best sellers and slow movers of 30 days, the stock value by
 * type and by vendor, what is due for reordering and the channels. Each step
 * is timed; refreshes alternate between the two catalogs and the medians are
 * compared.
 */
#define G_LOG_DOMAIN "bench-dashboard"

#include "config.h"

#include "bench-common.h"
#include "omni-store-channel.h"
#include "omni-store-report.h"

#define GOAL_RATIO   3.0
#define SALES_DAYS   90
#define SALES_WINDOW 30
#define SLOW_MOVERS  6
#define TOP_SELLERS  6

enum
{
  STEP_OPEN,
  STEP_STATS,
  STEP_DAILY,
  STEP_TOP,
  STEP_BY_TYPE,
  STEP_BY_VENDOR,
  STEP_SLOW,
  STEP_REORDER,
  STEP_CHANNELS,
  N_STEPS,
};

static const char * const step_names[N_STEPS] = {
  [STEP_OPEN] = "open connection",
  [STEP_STATS] = "store statistics",
  [STEP_DAILY] = "sales by day, 90 d",
  [STEP_TOP] = "best sellers, 30 d",
  [STEP_BY_TYPE] = "value by type",
  [STEP_BY_VENDOR] = "value by vendor",
  [STEP_SLOW] = "slow movers, 30 d",
  [STEP_REORDER] = "due for reorder",
  [STEP_CHANNELS] = "channels",
};

static char *
day (GDateTime *today,
     int        offset)
{
  g_autoptr(GDateTime) date = g_date_time_add_days (today, offset);

  return g_date_time_format (date, "%Y-%m-%d");
}

/* One refresh; @times gets each step's milliseconds. */
static gboolean
refresh (const char  *path,
         double       times[N_STEPS],
         GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = g_date_time_new_utc (g_date_time_get_year (now),
                                                    g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now),
                                                    0, 0, 0);
  g_autofree char *from = day (today, 1 - SALES_DAYS);
  g_autofree char *to = day (today, 1);
  const OmniReportRange range = { from, to };
  g_autoptr(OmniStore) store = NULL;
  g_auto(OmniStoreStats) stats = { 0 };
  GPtrArray *rows = NULL;
  double t = bench_now_ms (), next;
  gint64 n_due = 0;

#define STEP(id, expr)                                   \
  G_STMT_START {                                         \
    if (!(expr))                                         \
      return FALSE;                                      \
    g_clear_pointer (&rows, g_ptr_array_unref);          \
    next = bench_now_ms ();                              \
    times[id] = next - t;                                \
    t = next;                                            \
  } G_STMT_END

  STEP (STEP_OPEN, (store = omni_store_open (path, error)) != NULL);
  STEP (STEP_STATS, omni_store_get_stats (store, &stats, error) && !omni_store_is_empty (store));
  STEP (STEP_DAILY, (rows = omni_report_sales_by_day_and_channel (store, &range, error)));
  STEP (STEP_TOP, (rows = omni_report_top_sellers (store, NULL, SALES_WINDOW, TOP_SELLERS, error)));
  STEP (STEP_BY_TYPE, (rows = omni_report_value_by (store, "product_type", error)));
  STEP (STEP_BY_VENDOR, (rows = omni_report_value_by (store, "vendor", error)));
  STEP (STEP_SLOW, (rows = omni_report_slow_movers (store, SALES_WINDOW, SLOW_MOVERS, error)));
  /* As the dashboard reads it: the few with least cover, and how many are due. */
  STEP (STEP_REORDER, (rows = omni_report_reorder_top (store, SALES_WINDOW, 8, &n_due, error)));
  STEP (STEP_CHANNELS, (rows = omni_store_list_channels (store, error)));
#undef STEP

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  gint64 sizes[2] = { 0, 0 };
  int n_runs = 5;
  GOptionEntry entries[] = {
    { "small", 0, 0, G_OPTION_ARG_INT64, &sizes[0],
      "Baseline catalog (OMNISTOCK_BENCH_SMALL, else 1000)", "N" },
    { "large", 0, 0, G_OPTION_ARG_INT64, &sizes[1],
      "Large catalog (OMNISTOCK_BENCH_LARGE, else 10000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Refreshes of each (5)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— dashboard refresh by catalog size");
  g_autoptr(GError) error = NULL;
  char *paths[2] = { NULL, NULL };
  char *labels[2] = { NULL, NULL };
  GArray *samples[2][N_STEPS + 1];
  double medians[2][N_STEPS + 1];
  double ratio;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-dashboard: %s\n", error->message);
      return 2;
    }
  if (n_runs < 1 || n_runs > 1000)
    {
      g_printerr ("bench-dashboard: --runs must be from 1 to 1000\n");
      return 2;
    }
  if (sizes[0] <= 0)
    sizes[0] = bench_size_from_env ("OMNISTOCK_BENCH_SMALL", BENCH_DEFAULT_SMALL);
  if (sizes[1] <= 0)
    sizes[1] = bench_size_from_env ("OMNISTOCK_BENCH_LARGE", BENCH_DEFAULT_LARGE);

  for (guint s = 0; s < 2; s++)
    {
      double warm[N_STEPS];

      if (!(paths[s] = bench_catalog (sizes[s], &error)) ||
          !refresh (paths[s], warm, &error))   /* untimed: fills the file cache */
        {
          g_printerr ("bench-dashboard: %s\n", error->message);
          return 1;
        }
      labels[s] = bench_format_count (sizes[s]);
      for (guint i = 0; i <= N_STEPS; i++)
        samples[s][i] = g_array_new (FALSE, FALSE, sizeof (double));
    }

  for (int r = 0; r < n_runs; r++)
    for (guint s = 0; s < 2; s++)
      {
        double times[N_STEPS], total = 0;

        if (!refresh (paths[s], times, &error))
          {
            g_printerr ("bench-dashboard: %s\n", error->message);
            return 1;
          }
        for (guint i = 0; i < N_STEPS; i++)
          {
            g_array_append_val (samples[s][i], times[i]);
            total += times[i];
          }
        g_array_append_val (samples[s][N_STEPS], total);
      }

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i <= N_STEPS; i++)
      medians[s][i] = bench_median (samples[s][i]);

  g_print ("Dashboard refresh, median of %d each (ms)\n", n_runs);
  g_print ("%-22s %10s %10s %8s\n", "step", labels[0], labels[1], "ratio");
  for (guint i = 0; i <= N_STEPS; i++)
    g_print ("%-22s %10.2f %10.2f %7.1fx\n", i < N_STEPS ? step_names[i] : "whole refresh",
             medians[0][i], medians[1][i],
             medians[0][i] > 0 ? medians[1][i] / medians[0][i] : 0);

  ratio = medians[1][N_STEPS] / medians[0][N_STEPS];
  g_print ("SUMMARY dashboard %s vs %s: refresh %.1f ms vs %.1f ms = %.1fx (goal <= %.0fx): %s\n",
           labels[1], labels[0], medians[1][N_STEPS], medians[0][N_STEPS], ratio, GOAL_RATIO,
           ratio <= GOAL_RATIO ? "met" : "MISSED");

  for (guint s = 0; s < 2; s++)
    {
      for (guint i = 0; i <= N_STEPS; i++)
        g_array_unref (samples[s][i]);
      g_free (paths[s]);
      g_free (labels[s]);
    }
  return 0;
}
