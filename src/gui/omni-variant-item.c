/* omni-variant-item.c: one row of the product list, loaded lazily
 *
 * An item exists as soon as the list view asks for its position; its row
 * arrives later from a worker thread. Cells bind to the properties below and
 * update when "loaded" turns true, so the view never waits on the database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-variant-item"

#include "config.h"

#include "omni-variant-item.h"

struct _OmniVariantItem
{
  GObject         parent_instance;

  guint           position;
  OmniVariantRow *row;
};

G_DEFINE_FINAL_TYPE (OmniVariantItem, omni_variant_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POSITION,
  PROP_LOADED,
  PROP_ID,
  PROP_TITLE,
  PROP_OPTIONS,
  PROP_SKU,
  PROP_BARCODE,
  PROP_VENDOR,
  PROP_PRICE,
  PROP_ON_HAND,
  PROP_AVAILABLE,
  PROP_STATUS,
  PROP_STOCK_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
omni_variant_item_finalize (GObject *object)
{
  OmniVariantItem *self = OMNI_VARIANT_ITEM (object);

  g_clear_pointer (&self->row, omni_variant_row_free);

  G_OBJECT_CLASS (omni_variant_item_parent_class)->finalize (object);
}

#define ROW_STRING(field) (self->row != NULL && self->row->field != NULL ? self->row->field : "")
#define ROW_INT(field)    (self->row != NULL ? self->row->field : 0)

static void
omni_variant_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OmniVariantItem *self = OMNI_VARIANT_ITEM (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->row != NULL);
      break;
    case PROP_ID:
      g_value_set_int64 (value, ROW_INT (id));
      break;
    case PROP_TITLE:
      g_value_set_string (value, ROW_STRING (title));
      break;
    case PROP_OPTIONS:
      g_value_set_string (value, ROW_STRING (options));
      break;
    case PROP_SKU:
      g_value_set_string (value, ROW_STRING (sku));
      break;
    case PROP_BARCODE:
      g_value_set_string (value, ROW_STRING (barcode));
      break;
    case PROP_VENDOR:
      g_value_set_string (value, ROW_STRING (vendor));
      break;
    case PROP_PRICE:
      g_value_set_int64 (value, ROW_INT (price));
      break;
    case PROP_ON_HAND:
      g_value_set_int64 (value, ROW_INT (on_hand));
      break;
    case PROP_AVAILABLE:
      g_value_set_int64 (value, ROW_INT (available));
      break;
    case PROP_STATUS:
      g_value_set_string (value, ROW_STRING (status));
      break;
    case PROP_STOCK_STATE:
      g_value_set_string (value, omni_variant_item_get_stock_state (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#undef ROW_STRING
#undef ROW_INT

static void
omni_variant_item_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OmniVariantItem *self = OMNI_VARIANT_ITEM (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      self->position = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int64_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
omni_variant_item_class_init (OmniVariantItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_variant_item_finalize;
  object_class->get_property = omni_variant_item_get_property;
  object_class->set_property = omni_variant_item_set_property;

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] = int64_property ("id");
  properties[PROP_TITLE] = string_property ("title");
  properties[PROP_OPTIONS] = string_property ("options");
  properties[PROP_SKU] = string_property ("sku");
  properties[PROP_BARCODE] = string_property ("barcode");
  properties[PROP_VENDOR] = string_property ("vendor");
  properties[PROP_PRICE] = int64_property ("price");
  properties[PROP_ON_HAND] = int64_property ("on-hand");
  properties[PROP_AVAILABLE] = int64_property ("available");
  properties[PROP_STATUS] = string_property ("status");
  properties[PROP_STOCK_STATE] = string_property ("stock-state");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_variant_item_init (OmniVariantItem *self)
{
}

OmniVariantItem *
omni_variant_item_new (guint position)
{
  return g_object_new (OMNI_TYPE_VARIANT_ITEM, "position", position, NULL);
}

guint
omni_variant_item_get_position (OmniVariantItem *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_ITEM (self), 0);
  return self->position;
}

gboolean
omni_variant_item_get_loaded (OmniVariantItem *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_ITEM (self), FALSE);
  return self->row != NULL;
}

/**
 * omni_variant_item_get_row:
 *
 * Returns: (nullable): the row, %NULL until it is loaded
 */
const OmniVariantRow *
omni_variant_item_get_row (OmniVariantItem *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_ITEM (self), NULL);
  return self->row;
}

/**
 * omni_variant_item_set_row:
 * @row: (transfer full): the loaded row
 *
 * Fills the item and notifies every property at once.
 */
void
omni_variant_item_set_row (OmniVariantItem *self,
                           OmniVariantRow  *row)
{
  g_return_if_fail (OMNI_IS_VARIANT_ITEM (self));

  g_clear_pointer (&self->row, omni_variant_row_free);
  self->row = row;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_LOADED; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
omni_variant_item_get_id (OmniVariantItem *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_ITEM (self), 0);
  return self->row ? self->row->id : 0;
}

const char *
omni_variant_item_get_title (OmniVariantItem *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_ITEM (self), NULL);
  return self->row ? self->row->title : NULL;
}

const char *
omni_variant_item_get_sku (OmniVariantItem *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_ITEM (self), NULL);
  return self->row ? self->row->sku : NULL;
}

/**
 * omni_variant_item_get_stock_state:
 *
 * Returns: "loading", "archived", "out" (nothing available), "low" (at or
 *   below the reorder point) or "in"
 */
const char *
omni_variant_item_get_stock_state (OmniVariantItem *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_ITEM (self), NULL);

  if (self->row == NULL)
    return "loading";
  if (self->row->archived)
    return "archived";
  if (self->row->available <= 0)
    return "out";
  if (self->row->reorder_point >= 0 && self->row->available <= self->row->reorder_point)
    return "low";
  return "in";
}
