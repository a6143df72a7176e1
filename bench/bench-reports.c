/* bench-reports.c: generating the reports, small catalog vs large
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-reports [--small N] [--large N] [--runs N]
 *
 * Generates what the reports page and `omnistock-cli report` offer, as data
 * (the rows each report returns, before rendering): stock valuation now and
 * per location, a month of movements, a month of sales per product and per
 * day, the whole reorder list and the slow movers. Runs alternate between the
 * two catalogs; the medians are compared. No goal is set for these: the
 * table says how each grows with the catalog.
 */
#define G_LOG_DOMAIN "bench-reports"

#include "config.h"

#include "bench-common.h"
#include "omni-store-report.h"

#define WINDOW_DAYS 30

enum
{
  STEP_VALUATION,
  STEP_VALUATION_BY_LOCATION,
  STEP_MOVEMENTS,
  STEP_SALES_BY_PRODUCT,
  STEP_SALES_BY_DAY,
  STEP_REORDER,
  STEP_SLOW,
  N_STEPS,
};

static const char * const step_names[N_STEPS] = {
  [STEP_VALUATION] = "valuation",
  [STEP_VALUATION_BY_LOCATION] = "valuation by location",
  [STEP_MOVEMENTS] = "movements, 30 d",
  [STEP_SALES_BY_PRODUCT] = "sales by product, 30 d",
  [STEP_SALES_BY_DAY] = "sales by day, 30 d",
  [STEP_REORDER] = "reorder list, all",
  [STEP_SLOW] = "slow movers, 100",
};

static char *
day (GDateTime *today,
     int        offset)
{
  g_autoptr(GDateTime) date = g_date_time_add_days (today, offset);

  return g_date_time_format (date, "%Y-%m-%d");
}

/* Every report once on @store; @times gets each one's milliseconds and
 * @rows how many rows it returned. */
static gboolean
generate (OmniStore  *store,
          double      times[N_STEPS],
          guint       counts[N_STEPS],
          GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = g_date_time_new_utc (g_date_time_get_year (now),
                                                    g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now),
                                                    0, 0, 0);
  g_autofree char *from = day (today, 1 - WINDOW_DAYS);
  g_autofree char *to = day (today, 1);
  const OmniReportRange range = { from, to };
  OmniValuationTotals totals = { 0 };
  GPtrArray *rows = NULL;
  double t = bench_now_ms (), next;

#define STEP(id, expr)                                   \
  G_STMT_START {                                         \
    if (!(rows = (expr)))                                \
      return FALSE;                                      \
    counts[id] = rows->len;                              \
    g_clear_pointer (&rows, g_ptr_array_unref);          \
    next = bench_now_ms ();                              \
    times[id] = next - t;                                \
    t = next;                                            \
  } G_STMT_END

  STEP (STEP_VALUATION, omni_report_valuation (store, NULL, FALSE, &totals, error));
  STEP (STEP_VALUATION_BY_LOCATION, omni_report_valuation (store, NULL, TRUE, &totals, error));
  STEP (STEP_MOVEMENTS, omni_report_movements (store, &range, NULL, error));
  STEP (STEP_SALES_BY_PRODUCT, omni_report_sales (store, &range, OMNI_SALES_BY_PRODUCT, error));
  STEP (STEP_SALES_BY_DAY, omni_report_sales (store, &range, OMNI_SALES_BY_DAY, error));
  STEP (STEP_REORDER, omni_report_reorder (store, WINDOW_DAYS, FALSE, error));
  STEP (STEP_SLOW, omni_report_slow_movers (store, WINDOW_DAYS, 100, error));
#undef STEP

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  gint64 sizes[2] = { 0, 0 };
  int n_runs = 3;
  GOptionEntry entries[] = {
    { "small", 0, 0, G_OPTION_ARG_INT64, &sizes[0],
      "Baseline catalog (OMNISTOCK_BENCH_SMALL, else 1000)", "N" },
    { "large", 0, 0, G_OPTION_ARG_INT64, &sizes[1],
      "Large catalog (OMNISTOCK_BENCH_LARGE, else 10000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs of each (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— report generation by catalog size");
  g_autoptr(GError) error = NULL;
  OmniStore *stores[2] = { NULL, NULL };
  char *labels[2] = { NULL, NULL };
  GArray *samples[2][N_STEPS];
  guint counts[2][N_STEPS] = { { 0 } };
  double medians[2][N_STEPS];
  double total[2] = { 0, 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-reports: %s\n", error->message);
      return 2;
    }
  if (n_runs < 1 || n_runs > 1000)
    {
      g_printerr ("bench-reports: --runs must be from 1 to 1000\n");
      return 2;
    }
  if (sizes[0] <= 0)
    sizes[0] = bench_size_from_env ("OMNISTOCK_BENCH_SMALL", BENCH_DEFAULT_SMALL);
  if (sizes[1] <= 0)
    sizes[1] = bench_size_from_env ("OMNISTOCK_BENCH_LARGE", BENCH_DEFAULT_LARGE);

  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *path = bench_catalog (sizes[s], &error);
      double warm[N_STEPS];

      if (path == NULL || !(stores[s] = omni_store_open (path, &error)) ||
          !generate (stores[s], warm, counts[s], &error))   /* untimed: fills the caches */
        {
          g_printerr ("bench-reports: %s\n", error->message);
          return 1;
        }
      labels[s] = bench_format_count (sizes[s]);
      for (guint i = 0; i < N_STEPS; i++)
        samples[s][i] = g_array_new (FALSE, FALSE, sizeof (double));
    }

  for (int r = 0; r < n_runs; r++)
    for (guint s = 0; s < 2; s++)
      {
        double times[N_STEPS];

        if (!generate (stores[s], times, counts[s], &error))
          {
            g_printerr ("bench-reports: %s\n", error->message);
            return 1;
          }
        for (guint i = 0; i < N_STEPS; i++)
          g_array_append_val (samples[s][i], times[i]);
      }

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < N_STEPS; i++)
      {
        medians[s][i] = bench_median (samples[s][i]);
        total[s] += medians[s][i];
      }

  g_print ("Report generation (rows, before rendering), median of %d each\n", n_runs);
  g_print ("%-24s %10s %10s %9s %9s %8s\n", "report", labels[0], "ms", labels[1], "ms", "ratio");
  for (guint i = 0; i < N_STEPS; i++)
    g_print ("%-24s %10u %10.2f %9u %9.2f %7.1fx\n", step_names[i], counts[0][i], medians[0][i],
             counts[1][i], medians[1][i], medians[0][i] > 0 ? medians[1][i] / medians[0][i] : 0);
  g_print ("SUMMARY reports %s vs %s: all seven %.0f ms vs %.0f ms = %.1fx (no goal set)\n",
           labels[1], labels[0], total[1], total[0], total[1] / total[0]);

  for (guint s = 0; s < 2; s++)
    {
      for (guint i = 0; i < N_STEPS; i++)
        g_array_unref (samples[s][i]);
      g_object_unref (stores[s]);
      g_free (labels[s]);
    }
  return 0;
}
