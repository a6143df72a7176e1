/* omni-store-watch.h: hearing about changes other programs make to the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_STORE_WATCH_CHANNEL "omnistock_changes"

#define OMNI_TYPE_STORE_WATCH (omni_store_watch_get_type ())
G_DECLARE_FINAL_TYPE (OmniStoreWatch, omni_store_watch, OMNI, STORE_WATCH, GObject)

OmniStoreWatch *omni_store_watch_new (const char  *location,
                                      GError     **error);

G_END_DECLS
