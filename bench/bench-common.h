/* bench-common.h: what the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Catalog sizes when neither the command line nor the environment
 * (OMNISTOCK_BENCH_SMALL, OMNISTOCK_BENCH_LARGE) says otherwise: small
 * enough for `meson test --benchmark` to finish in a few minutes. */
#define BENCH_DEFAULT_SMALL 1000
#define BENCH_DEFAULT_LARGE 10000

gint64      bench_size_from_env     (const char   *name,
                                     gint64        fallback);
char       *bench_catalog           (gint64        variants,
                                     GError      **error);
char       *bench_data_dir          (void);

double      bench_now_ms            (void);
double      bench_percentile        (const GArray *samples,
                                     double        fraction);
double      bench_median            (const GArray *samples);
double      bench_max               (const GArray *samples);
char       *bench_format_count      (gint64        count);

G_END_DECLS
