/* omni-variant-editor-row.h: one variant in the product editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-store-catalog.h"

G_BEGIN_DECLS

/**
 * OmniVariantField:
 *
 * The fields of a variant the editor shows, in the order it shows them.
 * The option values are editable only on a variant being added to an
 * existing product; a generated variant has the values of its place in the
 * option matrix.
 */
typedef enum
{
  OMNI_VARIANT_FIELD_OPTION1,
  OMNI_VARIANT_FIELD_OPTION2,
  OMNI_VARIANT_FIELD_OPTION3,
  OMNI_VARIANT_FIELD_SKU,
  OMNI_VARIANT_FIELD_BARCODE,
  OMNI_VARIANT_FIELD_PRICE,
  OMNI_VARIANT_FIELD_COMPARE_AT_PRICE,
  OMNI_VARIANT_FIELD_COST,
  OMNI_VARIANT_FIELD_WEIGHT,
  OMNI_VARIANT_FIELD_REORDER_POINT,
  OMNI_VARIANT_FIELD_REORDER_QTY,
  OMNI_VARIANT_N_FIELDS
} OmniVariantField;

#define OMNI_TYPE_VARIANT_EDITOR_ROW (omni_variant_editor_row_get_type ())
G_DECLARE_FINAL_TYPE (OmniVariantEditorRow, omni_variant_editor_row, OMNI, VARIANT_EDITOR_ROW,
                      AdwExpanderRow)

GtkWidget   *omni_variant_editor_row_new           (const char            *currency,
                                                    const char * const    *option_names,
                                                    gboolean               options_editable);
void         omni_variant_editor_row_load          (OmniVariantEditorRow  *self,
                                                    const OmniVariantRow  *row,
                                                    const char * const    *option_values);
void         omni_variant_editor_row_set_option_values (OmniVariantEditorRow *self,
                                                        const char * const   *values);
char        *omni_variant_editor_row_dup_option_key (OmniVariantEditorRow *self);
gint64       omni_variant_editor_row_get_variant_id (OmniVariantEditorRow *self);
gboolean     omni_variant_editor_row_get_locked    (OmniVariantEditorRow  *self);
gboolean     omni_variant_editor_row_get_dirty     (OmniVariantEditorRow  *self);
const char  *omni_variant_editor_row_get_sku       (OmniVariantEditorRow  *self);
gboolean     omni_variant_editor_row_validate      (OmniVariantEditorRow  *self);
gboolean     omni_variant_editor_row_get_spec      (OmniVariantEditorRow  *self,
                                                    OmniVariantSpec       *spec);
void         omni_variant_editor_row_set_error     (OmniVariantEditorRow  *self,
                                                    OmniVariantField       field,
                                                    const char            *message);
const char  *omni_variant_editor_row_get_error     (OmniVariantEditorRow  *self,
                                                    OmniVariantField       field);
AdwEntryRow *omni_variant_editor_row_get_entry     (OmniVariantEditorRow  *self,
                                                    OmniVariantField       field);
void         omni_variant_editor_row_set_text      (OmniVariantEditorRow  *self,
                                                    OmniVariantField       field,
                                                    const char            *text);

G_END_DECLS
