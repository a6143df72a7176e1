/* omni-product-editor-private.h: what the editor's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-error-row.h"
#include "omni-product-editor.h"
#include "omni-product-options-group.h"

G_BEGIN_DECLS

typedef enum
{
  PRODUCT_FIELD_TITLE,
  PRODUCT_FIELD_VENDOR,
  PRODUCT_FIELD_TYPE,
  PRODUCT_FIELD_TAGS,
  N_PRODUCT_FIELDS
} ProductField;

struct _OmniProductEditor
{
  AdwWindow                parent_instance;

  OmniContext             *context;
  gint64                   product_id;
  gint64                   focus_variant_id;
  char                    *currency;
  gboolean                 archived;

  AdwWindowTitle          *window_title;
  GtkWidget               *save_button;
  AdwPreferencesGroup     *general_group;
  GtkLabel                *general_error;
  AdwEntryRow             *entries[N_PRODUCT_FIELDS];
  OmniErrorRow            *errors[N_PRODUCT_FIELDS];
  AdwComboRow             *status_row;
  GtkTextView             *description_view;
  OmniProductOptionsGroup *options_group;
  AdwPreferencesGroup     *variants_group;
  GtkWidget               *add_variant_button;

  GPtrArray               *rows;             /* OmniVariantEditorRow, in order */
  char                    *texts[N_PRODUCT_FIELDS];
  char                    *initial[N_PRODUCT_FIELDS];
  char                    *initial_description;
  guint                    initial_status;
  GHashTable              *sku_owners;       /* SKU → the active variant using it */

  gboolean                 title_touched;
  gboolean                 valid;
  gboolean                 closing;
  gboolean                 saving;
  gboolean                 close_after_save;
};

char     *_omni_product_editor_dup_description (OmniProductEditor *self);
void      _omni_product_editor_write_async     (OmniProductEditor   *self,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gint64    _omni_product_editor_write_finish    (OmniProductEditor   *self,
                                                GAsyncResult        *result);

G_END_DECLS
