/* omni-context.h: what one window works on (store, settings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_SETTINGS_SCHEMA_ID "io.github.omnistock.OmniStock"

#define OMNI_TYPE_CONTEXT (omni_context_get_type ())
G_DECLARE_FINAL_TYPE (OmniContext, omni_context, OMNI, CONTEXT, GObject)

OmniContext *omni_context_new                (OmniStore   *store,
                                              GSettings   *settings);
OmniStore   *omni_context_get_store          (OmniContext *self);
GSettings   *omni_context_get_settings       (OmniContext *self);
char        *omni_context_dup_actor          (OmniContext *self);
void         omni_context_set_staff          (OmniContext *self,
                                              gint64       staff_id,
                                              const char  *name,
                                              const char  *role);
gint64       omni_context_get_staff_id       (OmniContext *self);
const char  *omni_context_get_staff_name     (OmniContext *self);
const char  *omni_context_get_staff_role     (OmniContext *self);
void         omni_context_store_changed      (OmniContext *self);

G_END_DECLS
