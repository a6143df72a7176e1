/* omni-locations-group.h: the shop's locations, in the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_LOCATIONS_GROUP (omni_locations_group_get_type ())
G_DECLARE_FINAL_TYPE (OmniLocationsGroup, omni_locations_group, OMNI, LOCATIONS_GROUP, AdwPreferencesGroup)

void     omni_locations_group_set_context  (OmniLocationsGroup *self,
                                            OmniContext        *context);
gboolean omni_locations_group_add          (OmniLocationsGroup *self,
                                            const char         *name);
gboolean omni_locations_group_rename       (OmniLocationsGroup *self,
                                            gint64              location_id,
                                            const char         *name);
gboolean omni_locations_group_make_default (OmniLocationsGroup *self,
                                            gint64              location_id);
gboolean omni_locations_group_set_archived (OmniLocationsGroup *self,
                                            gint64              location_id,
                                            gboolean            archived);
guint    omni_locations_group_get_n_rows   (OmniLocationsGroup *self);

G_END_DECLS
