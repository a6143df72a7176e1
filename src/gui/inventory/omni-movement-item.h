/* omni-movement-item.h: one ledger movement, for list models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "omni-store-inventory.h"

G_BEGIN_DECLS

#define OMNI_TYPE_MOVEMENT_ITEM (omni_movement_item_get_type ())
G_DECLARE_FINAL_TYPE (OmniMovementItem, omni_movement_item, OMNI, MOVEMENT_ITEM, GObject)

OmniMovementItem   *omni_movement_item_new          (OmniMovement     *movement);
const OmniMovement *omni_movement_item_get_movement (OmniMovementItem *self);

G_END_DECLS
