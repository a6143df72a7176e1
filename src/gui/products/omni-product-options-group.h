/* omni-product-options-group.h: a product's options in the editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The most variants one product's option values may make. */
#define OMNI_PRODUCT_MAX_VARIANTS 100

#define OMNI_TYPE_PRODUCT_OPTIONS_GROUP (omni_product_options_group_get_type ())
G_DECLARE_FINAL_TYPE (OmniProductOptionsGroup, omni_product_options_group, OMNI,
                      PRODUCT_OPTIONS_GROUP, AdwPreferencesGroup)

GtkWidget          *omni_product_options_group_new        (void);
void                omni_product_options_group_set_fixed  (OmniProductOptionsGroup *self,
                                                           const char * const      *names);
gboolean            omni_product_options_group_validate   (OmniProductOptionsGroup *self);
guint               omni_product_options_group_get_n_options (OmniProductOptionsGroup *self);
const char * const *omni_product_options_group_get_names  (OmniProductOptionsGroup *self);
GStrv               omni_product_options_group_get_values (OmniProductOptionsGroup *self,
                                                           guint                    index);
gboolean            omni_product_options_group_get_dirty  (OmniProductOptionsGroup *self);
gboolean            omni_product_options_group_show_error (OmniProductOptionsGroup *self,
                                                           const char              *message);
void                omni_product_options_group_set_text   (OmniProductOptionsGroup *self,
                                                           guint                    index,
                                                           const char              *name,
                                                           const char              *values);

G_END_DECLS
