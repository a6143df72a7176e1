/* bench-common.c: catalogs, clocks and percentiles for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalogs come from omni_store_generate() with a fixed seed and the
 * generator's default proportions (3 locations, five movements and a tenth
 * of an order per variant), and are kept in the data directory
 * (OMNISTOCK_BENCH_DATA, else ./bench-data) as catalog-N.db, so the
 * benchmarks share them and a second run skips the generation. A catalog is
 * written under a temporary name and renamed when complete: an interrupted
 * generation never leaves a file that looks finished.
 */
#define G_LOG_DOMAIN "omnistock-bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-common.h"
#include "omni-store-generate.h"

#define BENCH_SEED 42

/**
 * bench_size_from_env:
 * @name: an environment variable
 * @fallback: the size when @name is unset
 *
 * Returns: the size @name gives ("100k" and "1M" are understood), or
 *   @fallback; exits with a message when @name holds something else
 */
gint64
bench_size_from_env (const char *name,
                     gint64      fallback)
{
  const char *text = g_getenv (name);
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    return fallback;

  value = g_ascii_strtoll (text, &end, 10);
  if (end != NULL && (*end == 'k' || *end == 'K'))
    value *= 1000, end++;
  else if (end != NULL && (*end == 'm' || *end == 'M'))
    value *= 1000000, end++;
  if (end == text || *end != '\0' || value < 1 || value > OMNI_GENERATE_MAX_VARIANTS)
    {
      g_printerr ("%s must be a number of variants from 1 to 10M, not “%s”\n", name, text);
      exit (2);
    }
  return value;
}

char *
bench_data_dir (void)
{
  const char *dir = g_getenv ("OMNISTOCK_BENCH_DATA");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_get_current_dir (), "bench-data", NULL);
}

typedef struct
{
  gint64 started_us;
  gint64 last_us;
} Progress;

static void
on_progress (OmniGeneratePhase phase,
             gint64            done,
             gint64            total,
             gpointer          user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();

  /* A line every few seconds is enough to show a large catalog is alive. */
  if (now - progress->last_us < 5 * G_USEC_PER_SEC && done < total)
    return;
  progress->last_us = now;
  g_printerr ("  generating: %s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " (%.0f s)\n",
              omni_generate_phase_name (phase), done, total,
              (double)(now - progress->started_us) / G_USEC_PER_SEC);
}

static void
remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

/**
 * bench_catalog:
 * @variants: the catalog size
 *
 * Returns: (transfer full): the path of a generated catalog with @variants
 *   variants, generated now if the data directory does not hold it yet
 */
char *
bench_catalog (gint64   variants,
               GError **error)
{
  g_autofree char *dir = bench_data_dir ();
  g_autofree char *name = g_strdup_printf ("catalog-%" G_GINT64_FORMAT ".db", variants);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *partial = NULL;
  g_autoptr(OmniStore) store = NULL;
  OmniGenerateSpec spec = { 0 };
  Progress progress = { 0 };

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create the benchmark data directory %s: %s",
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  partial = g_strconcat (path, ".partial", NULL);
  remove_database (partial);

  spec.variants = variants;
  spec.locations = 3;
  spec.movements = variants * 5;
  spec.orders = variants / 10;
  spec.seed = BENCH_SEED;

  g_printerr ("Generating a catalog of %" G_GINT64_FORMAT " variants into %s\n",
              variants, path);
  progress.started_us = progress.last_us = g_get_monotonic_time ();
  store = omni_store_open (partial, error);
  if (store == NULL || !omni_store_generate (store, &spec, on_progress, &progress, NULL, error))
    {
      g_clear_object (&store);
      remove_database (partial);
      return NULL;
    }
  g_clear_object (&store);

  if (g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not rename %s: %s", partial, g_strerror (saved_errno));
      remove_database (partial);
      return NULL;
    }
  g_printerr ("  generated in %.0f s\n",
              (double)(g_get_monotonic_time () - progress.started_us) / G_USEC_PER_SEC);
  return g_steal_pointer (&path);
}

/* Wall-clock milliseconds; with BENCH_CLOCK=cpu, the calling thread's CPU
 * time instead, which other processes on a busy machine disturb less (but
 * which leaves out time spent waiting). */
double
bench_now_ms (void)
{
  static int use_cpu = -1;

  if (use_cpu < 0)
    use_cpu = g_strcmp0 (g_getenv ("BENCH_CLOCK"), "cpu") == 0;
  if (use_cpu)
    {
      struct timespec ts;

      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
      return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
    }
  return (double)g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * bench_percentile:
 * @samples: (element-type double): the samples, in any order
 * @fraction: 0.5 for the median, 0.99 for p99
 *
 * Nearest-rank percentile: the smallest sample that at least @fraction of
 * the samples do not exceed.
 *
 * Returns: the percentile, or 0 without samples
 */
double
bench_percentile (const GArray *samples,
                  double        fraction)
{
  g_autoptr(GArray) sorted = NULL;
  guint rank;

  if (samples->len == 0)
    return 0;

  sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), samples->len);
  g_array_append_vals (sorted, samples->data, samples->len);
  g_array_sort (sorted, compare_doubles);

  rank = (guint)(fraction * sorted->len + 0.999999);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

double
bench_median (const GArray *samples)
{
  return bench_percentile (samples, 0.5);
}

double
bench_max (const GArray *samples)
{
  return bench_percentile (samples, 1.0);
}

/* "1000000" → "1M", "100000" → "100k": what the tables call a size. */
char *
bench_format_count (gint64 count)
{
  if (count >= 1000000 && count % 1000000 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "M", count / 1000000);
  if (count >= 1000 && count % 1000 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "k", count / 1000);
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}
