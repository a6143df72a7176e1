/* omni-staff-group.h: the staff profiles, in the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_STAFF_GROUP (omni_staff_group_get_type ())
G_DECLARE_FINAL_TYPE (OmniStaffGroup, omni_staff_group, OMNI, STAFF_GROUP, AdwPreferencesGroup)

void     omni_staff_group_set_context  (OmniStaffGroup *self,
                                        OmniContext    *context);
void     omni_staff_group_fill_new     (OmniStaffGroup *self,
                                        const char     *name,
                                        const char     *role,
                                        const char     *pin);
gboolean omni_staff_group_remove       (OmniStaffGroup *self,
                                        gint64          staff_id);
guint    omni_staff_group_get_n_profiles (OmniStaffGroup *self);

G_END_DECLS
