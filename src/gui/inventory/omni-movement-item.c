/* omni-movement-item.c: one ledger movement, for list models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Movements never change once written, so the item is a plain holder:
 * the history view reads the struct when it binds a cell.
 */
#define G_LOG_DOMAIN "omni-movement-item"

#include "config.h"

#include "omni-movement-item.h"

struct _OmniMovementItem
{
  GObject       parent_instance;

  OmniMovement *movement;
};

G_DEFINE_FINAL_TYPE (OmniMovementItem, omni_movement_item, G_TYPE_OBJECT)

static void
omni_movement_item_finalize (GObject *object)
{
  OmniMovementItem *self = OMNI_MOVEMENT_ITEM (object);

  g_clear_pointer (&self->movement, omni_movement_free);

  G_OBJECT_CLASS (omni_movement_item_parent_class)->finalize (object);
}

static void
omni_movement_item_class_init (OmniMovementItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_movement_item_finalize;
}

static void
omni_movement_item_init (OmniMovementItem *self)
{
}

/**
 * omni_movement_item_new:
 * @movement: (transfer full): the movement
 *
 * Returns: (transfer full): a new item
 */
OmniMovementItem *
omni_movement_item_new (OmniMovement *movement)
{
  OmniMovementItem *self;

  g_return_val_if_fail (movement != NULL, NULL);

  self = g_object_new (OMNI_TYPE_MOVEMENT_ITEM, NULL);
  self->movement = movement;

  return self;
}

const OmniMovement *
omni_movement_item_get_movement (OmniMovementItem *self)
{
  g_return_val_if_fail (OMNI_IS_MOVEMENT_ITEM (self), NULL);

  return self->movement;
}
