/* omni-store-generate.h: realistic large catalogs for benchmarks and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"

G_BEGIN_DECLS

/* Bounds on what one generation may ask for. */
#define OMNI_GENERATE_MAX_VARIANTS   10000000
#define OMNI_GENERATE_MAX_MOVEMENTS  100000000
#define OMNI_GENERATE_MAX_ORDERS     10000000
#define OMNI_GENERATE_MAX_LOCATIONS  5
/* Rows written per transaction when the spec does not say. */
#define OMNI_GENERATE_DEFAULT_BATCH  50000

/**
 * OmniGeneratePhase:
 * @OMNI_GENERATE_PHASE_CATALOG: locations, products, variants, search index
 *   and opening stock; progress counts variants
 * @OMNI_GENERATE_PHASE_HISTORY: a year of orders, till sales, deliveries,
 *   counts and transfers; progress counts movements
 * @OMNI_GENERATE_PHASE_FINISH: `ANALYZE`, `PRAGMA optimize` and a WAL
 *   checkpoint; progress goes from 0 to 1
 */
typedef enum
{
  OMNI_GENERATE_PHASE_CATALOG,
  OMNI_GENERATE_PHASE_HISTORY,
  OMNI_GENERATE_PHASE_FINISH,
} OmniGeneratePhase;

/**
 * OmniGenerateSpec:
 * @variants: active variants to create (exact), 1 to %OMNI_GENERATE_MAX_VARIANTS
 * @locations: locations to create (exact), 1 to %OMNI_GENERATE_MAX_LOCATIONS
 * @movements: ledger rows to write (exact), opening stock and order sales
 *   included; at least one per order line
 * @orders: fulfilled shop orders to record (exact), each with 1–3 lines that
 *   become `sold` movements
 * @seed: the same seed (and the same other fields) gives the same database
 * @end_us: UTC microseconds at which the history ends; 0 means now
 * @history_days: length of the order and movement history; 0 means 365
 * @batch_rows: rows per transaction; 0 means %OMNI_GENERATE_DEFAULT_BATCH
 *
 * What omni_store_generate() makes.
 */
typedef struct
{
  gint64   variants;
  guint    locations;
  gint64   movements;
  gint64   orders;
  guint32  seed;
  gint64   end_us;
  guint    history_days;
  guint    batch_rows;
} OmniGenerateSpec;

/**
 * OmniGenerateProgress:
 * @phase: what is being written
 * @done: units finished in this phase
 * @total: units in this phase
 *
 * Called after every committed batch, on the generating thread.
 */
typedef void (*OmniGenerateProgress) (OmniGeneratePhase  phase,
                                      gint64             done,
                                      gint64             total,
                                      gpointer           user_data);

gboolean     omni_store_generate       (OmniStore               *store,
                                        const OmniGenerateSpec  *spec,
                                        OmniGenerateProgress     progress,
                                        gpointer                 user_data,
                                        GCancellable            *cancellable,
                                        GError                 **error);
const char  *omni_generate_phase_name  (OmniGeneratePhase        phase);

G_END_DECLS
