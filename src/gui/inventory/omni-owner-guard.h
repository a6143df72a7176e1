/* omni-owner-guard.h: what only an owner may do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

typedef void (*OmniOwnerGuardFunc) (gpointer user_data);

gboolean omni_owner_guard_is_satisfied (OmniContext        *context);
void     omni_owner_guard_run          (GtkWindow          *parent,
                                        OmniContext        *context,
                                        const char         *message,
                                        OmniOwnerGuardFunc  func,
                                        gpointer            user_data,
                                        GDestroyNotify      destroy);

G_END_DECLS
