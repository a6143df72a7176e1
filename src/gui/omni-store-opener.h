/* omni-store-opener.h: opening a shared store without freezing the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_TYPE_STORE_OPENER (omni_store_opener_get_type ())
G_DECLARE_FINAL_TYPE (OmniStoreOpener, omni_store_opener, OMNI, STORE_OPENER, GtkBox)

GtkWidget    *omni_store_opener_new              (const char      *location);
const char   *omni_store_opener_get_location     (OmniStoreOpener *self);
void          omni_store_opener_try_again        (OmniStoreOpener *self);
gboolean      omni_store_opener_is_busy          (OmniStoreOpener *self);
const GError *omni_store_opener_get_error        (OmniStoreOpener *self);
void          omni_store_opener_submit_password  (OmniStoreOpener *self,
                                                  const char      *password);

void          omni_store_opener_use_local        (GtkWidget       *widget);
void          omni_store_opener_confirm_use_local (GtkWidget      *widget,
                                                   guint           n_waiting);

G_END_DECLS
