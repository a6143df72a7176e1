/* omni-count-model.h: the lines and unknown codes of the open count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-count-code.h"
#include "omni-count-item.h"

G_BEGIN_DECLS

/**
 * OmniCountTotals:
 * @lines: lines in the count
 * @units_counted: the counted quantities, summed
 * @variance_units: the variances, summed (negative: fewer found than expected)
 * @variance_value: the variances at cost, summed, in minor units
 * @lines_with_variance: lines whose counted quantity differs from the expected
 */
typedef struct
{
  guint     lines;
  gint64    units_counted;
  gint64    variance_units;
  OmniMoney variance_value;
  guint     lines_with_variance;
} OmniCountTotals;

#define OMNI_TYPE_COUNT_MODEL (omni_count_model_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountModel, omni_count_model, OMNI, COUNT_MODEL, GObject)

OmniCountModel *omni_count_model_new            (void);
GListModel     *omni_count_model_get_lines      (OmniCountModel      *self);
GListModel     *omni_count_model_get_codes      (OmniCountModel      *self);
void            omni_count_model_reset          (OmniCountModel      *self,
                                                 GPtrArray           *lines,
                                                 GPtrArray           *unknown);
OmniCountItem  *omni_count_model_lookup         (OmniCountModel      *self,
                                                 gint64               variant_id);
OmniCountItem  *omni_count_model_apply_line     (OmniCountModel      *self,
                                                 const OmniCountLine *line);
OmniCountItem  *omni_count_model_remove_line    (OmniCountModel      *self,
                                                 gint64               variant_id);
OmniCountCode  *omni_count_model_add_unknown    (OmniCountModel      *self,
                                                 const char          *code);
gboolean        omni_count_model_remove_unknown (OmniCountModel      *self,
                                                 const char          *code);
void            omni_count_model_get_totals     (OmniCountModel      *self,
                                                 OmniCountTotals     *totals);

G_END_DECLS
