/* omni-count-cell.h: one cell of a count line in a column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "omni-count-item.h"

G_BEGIN_DECLS

/**
 * OmniCountColumn:
 * @OMNI_COUNT_COLUMN_PRODUCT: title, with the options under it
 * @OMNI_COUNT_COLUMN_SKU: the SKU
 * @OMNI_COUNT_COLUMN_EXPECTED: the expected quantity
 * @OMNI_COUNT_COLUMN_COUNTED: the counted quantity, with a popover to correct it
 * @OMNI_COUNT_COLUMN_COUNTED_TEXT: the counted quantity, read only
 * @OMNI_COUNT_COLUMN_VARIANCE: counted − expected, signed and coloured
 * @OMNI_COUNT_COLUMN_VALUE: the variance at cost
 * @OMNI_COUNT_COLUMN_REMOVE: a button that takes the line out of the count
 */
typedef enum
{
  OMNI_COUNT_COLUMN_PRODUCT,
  OMNI_COUNT_COLUMN_SKU,
  OMNI_COUNT_COLUMN_EXPECTED,
  OMNI_COUNT_COLUMN_COUNTED,
  OMNI_COUNT_COLUMN_COUNTED_TEXT,
  OMNI_COUNT_COLUMN_VARIANCE,
  OMNI_COUNT_COLUMN_VALUE,
  OMNI_COUNT_COLUMN_REMOVE,
} OmniCountColumn;

#define OMNI_TYPE_COUNT_CELL (omni_count_cell_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountCell, omni_count_cell, OMNI, COUNT_CELL, GtkWidget)

GtkWidget     *omni_count_cell_new             (OmniCountColumn   column);
OmniCountItem *omni_count_cell_get_item        (OmniCountCell    *self);
void           omni_count_cell_set_item        (OmniCountCell    *self,
                                                OmniCountItem    *item);
void           omni_count_cell_set_currency    (OmniCountCell    *self,
                                                const char       *currency);
const char    *omni_count_cell_get_text        (OmniCountCell    *self);

char          *omni_count_format_variance      (gint64            variance);
void           omni_count_columns_append       (GtkColumnView    *view,
                                                const OmniCountColumn *columns,
                                                guint             n_columns,
                                                char * const     *currency);

G_END_DECLS
