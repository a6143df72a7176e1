/* omni-variant-list.h: the product list as a GListModel paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store-catalog.h"
#include "omni-variant-item.h"

G_BEGIN_DECLS

/* Rows fetched per query, and how many such pages stay in memory. */
#define OMNI_VARIANT_LIST_PAGE_SIZE 100
#define OMNI_VARIANT_LIST_MAX_PAGES 40

#define OMNI_TYPE_VARIANT_LIST (omni_variant_list_get_type ())
G_DECLARE_FINAL_TYPE (OmniVariantList, omni_variant_list, OMNI, VARIANT_LIST, GObject)

OmniVariantList *omni_variant_list_new           (const char             *db_path);
void             omni_variant_list_set_query     (OmniVariantList        *self,
                                                  const OmniVariantQuery *query);
const OmniVariantQuery *omni_variant_list_get_query (OmniVariantList     *self);
void             omni_variant_list_refresh       (OmniVariantList        *self);
gboolean         omni_variant_list_get_loading   (OmniVariantList        *self);
guint            omni_variant_list_get_cached_pages (OmniVariantList     *self);
guint            omni_variant_list_get_keyed_fetches (OmniVariantList    *self);
const char      *omni_variant_list_get_error     (OmniVariantList        *self);

G_END_DECLS
