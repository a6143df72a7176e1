/* omni-product-editor.h: the window that creates and edits a product
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"
#include "omni-variant-editor-row.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PRODUCT_EDITOR (omni_product_editor_get_type ())
G_DECLARE_FINAL_TYPE (OmniProductEditor, omni_product_editor, OMNI, PRODUCT_EDITOR, AdwWindow)

GtkWidget            *omni_product_editor_new               (OmniContext       *context,
                                                             GtkWindow         *parent,
                                                             gint64             product_id,
                                                             gint64             focus_variant_id,
                                                             GError           **error);
gint64                omni_product_editor_get_product_id    (OmniProductEditor *self);
gint64                omni_product_editor_get_focus_variant (OmniProductEditor *self);
gboolean              omni_product_editor_get_valid         (OmniProductEditor *self);
gboolean              omni_product_editor_get_dirty         (OmniProductEditor *self);
guint                 omni_product_editor_get_n_variants    (OmniProductEditor *self);
OmniVariantEditorRow *omni_product_editor_get_variant_row   (OmniProductEditor *self,
                                                             guint              index);
gboolean              omni_product_editor_save              (OmniProductEditor *self);
gboolean              omni_product_editor_get_saving        (OmniProductEditor *self);

G_END_DECLS
