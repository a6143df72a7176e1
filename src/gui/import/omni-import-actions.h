/* omni-import-actions.h: the window's CSV import and export actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-window.h"

G_BEGIN_DECLS

void omni_import_actions_install (OmniWindow *window);

G_END_DECLS
