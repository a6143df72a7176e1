/* omni-inventory-actions.h: the window's stock actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-window.h"

G_BEGIN_DECLS

void omni_inventory_actions_install (OmniWindow *window);

G_END_DECLS
