/* omni-staff-button.h: who works now, in the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_STAFF_BUTTON (omni_staff_button_get_type ())
G_DECLARE_FINAL_TYPE (OmniStaffButton, omni_staff_button, OMNI, STAFF_BUTTON, AdwBin)

GtkWidget *omni_staff_button_new    (OmniContext     *context);
gboolean   omni_staff_button_choose (OmniStaffButton *self,
                                     gint64           staff_id);

G_END_DECLS
