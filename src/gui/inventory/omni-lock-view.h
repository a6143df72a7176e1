/* omni-lock-view.h: the profile picker a locked window shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_LOCK_VIEW (omni_lock_view_get_type ())
G_DECLARE_FINAL_TYPE (OmniLockView, omni_lock_view, OMNI, LOCK_VIEW, AdwBin)

GtkWidget *omni_lock_view_new           (OmniContext  *context);
void       omni_lock_view_lock          (OmniLockView *self);
void       omni_lock_view_lock_if_needed (OmniLockView *self);
gboolean   omni_lock_view_get_locked    (OmniLockView *self);
gboolean   omni_lock_view_choose        (OmniLockView *self,
                                         gint64        staff_id);

G_END_DECLS
