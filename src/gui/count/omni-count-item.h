/* omni-count-item.h: one line of a stock count, as the lists show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "omni-store-count.h"

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_ITEM (omni_count_item_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountItem, omni_count_item, OMNI, COUNT_ITEM, GObject)

OmniCountItem *omni_count_item_new                (const OmniCountLine *line);
void           omni_count_item_update             (OmniCountItem       *self,
                                                   const OmniCountLine *line);
void           omni_count_item_set_counted        (OmniCountItem       *self,
                                                   gint64               counted);
gint64         omni_count_item_get_variant_id     (OmniCountItem       *self);
const char    *omni_count_item_get_title          (OmniCountItem       *self);
const char    *omni_count_item_get_options        (OmniCountItem       *self);
const char    *omni_count_item_get_sku            (OmniCountItem       *self);
const char    *omni_count_item_get_barcode        (OmniCountItem       *self);
gint64         omni_count_item_get_expected       (OmniCountItem       *self);
gint64         omni_count_item_get_counted        (OmniCountItem       *self);
gint64         omni_count_item_get_variance       (OmniCountItem       *self);
OmniMoney      omni_count_item_get_cost           (OmniCountItem       *self);
OmniMoney      omni_count_item_get_variance_value (OmniCountItem       *self);
int            omni_count_item_compare            (gconstpointer        a,
                                                   gconstpointer        b,
                                                   gpointer             user_data);

G_END_DECLS
