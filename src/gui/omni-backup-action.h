/* omni-backup-action.h: the window's "Back Up Database…" action
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-window.h"

G_BEGIN_DECLS

void omni_backup_action_install (OmniWindow *window);

G_END_DECLS
