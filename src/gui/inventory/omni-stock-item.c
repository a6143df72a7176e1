/* omni-stock-item.c: one variant at one location, in the inventory list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An item exists as soon as the view asks for its position; its figures
 * arrive later from the list's worker. Cells redraw on "notify::loaded",
 * which is emitted each time the figures are (re)set.
 */
#define G_LOG_DOMAIN "omni-stock-item"

#include "config.h"

#include "omni-stock-item.h"

struct _OmniStockItem
{
  GObject   parent_instance;

  guint     position;
  gboolean  loaded;
  gint64    variant_id;
  gint64    location_id;
  char     *title;
  char     *options;
  char     *sku;
  char     *location;
  gint64    on_hand;
  gint64    committed;
  gint64    available;
  gint64    total_available;   /* the variant's, over every location */
  gint64    incoming;          /* on open purchase orders to this location */
  gint64    reorder_point;     /* the variant's, else the shop's; -1 for none */
  gboolean  archived;
};

G_DEFINE_FINAL_TYPE (OmniStockItem, omni_stock_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
omni_stock_item_finalize (GObject *object)
{
  OmniStockItem *self = OMNI_STOCK_ITEM (object);

  g_free (self->title);
  g_free (self->options);
  g_free (self->sku);
  g_free (self->location);

  G_OBJECT_CLASS (omni_stock_item_parent_class)->finalize (object);
}

static void
omni_stock_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OmniStockItem *self = OMNI_STOCK_ITEM (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_stock_item_class_init (OmniStockItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_stock_item_finalize;
  object_class->get_property = omni_stock_item_get_property;

  /* Notified each time the figures are set, also when it stays TRUE. */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_stock_item_init (OmniStockItem *self)
{
  self->reorder_point = -1;
}

OmniStockItem *
omni_stock_item_new (guint position)
{
  OmniStockItem *self = g_object_new (OMNI_TYPE_STOCK_ITEM, NULL);

  self->position = position;
  return self;
}

guint
omni_stock_item_get_position (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->position;
}

gboolean
omni_stock_item_get_loaded (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), FALSE);
  return self->loaded;
}

static void
replace (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

/**
 * omni_stock_item_set_data:
 * @row: the variant
 * @level: its level at the item's location
 * @default_reorder_point: the shop's, -1 for none
 *
 * Fills (or refreshes) the item and notifies "loaded".
 */
void
omni_stock_item_set_data (OmniStockItem        *self,
                          const OmniVariantRow *row,
                          const OmniLevel      *level,
                          gint64                default_reorder_point)
{
  g_return_if_fail (OMNI_IS_STOCK_ITEM (self));
  g_return_if_fail (row != NULL && level != NULL);

  self->variant_id = row->id;
  self->location_id = level->location_id;
  replace (&self->title, row->title);
  replace (&self->options, row->options);
  replace (&self->sku, row->sku);
  replace (&self->location, level->location);
  self->on_hand = level->on_hand;
  self->committed = level->committed;
  self->available = level->available;
  self->total_available = row->available;
  self->reorder_point = row->reorder_point >= 0 ? row->reorder_point : default_reorder_point;
  self->archived = row->archived;
  self->loaded = TRUE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

gint64
omni_stock_item_get_variant_id (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->variant_id;
}

gint64
omni_stock_item_get_location_id (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->location_id;
}

const char *
omni_stock_item_get_title (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), NULL);
  return self->title != NULL ? self->title : "";
}

const char *
omni_stock_item_get_options (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), NULL);
  return self->options != NULL ? self->options : "";
}

const char *
omni_stock_item_get_sku (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), NULL);
  return self->sku != NULL ? self->sku : "";
}

const char *
omni_stock_item_get_location (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), NULL);
  return self->location != NULL ? self->location : "";
}

gint64
omni_stock_item_get_on_hand (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->on_hand;
}

gint64
omni_stock_item_get_committed (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->committed;
}

gint64
omni_stock_item_get_available (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->available;
}

/**
 * omni_stock_item_get_total_available:
 *
 * Returns: the variant's available stock over every location
 */
gint64
omni_stock_item_get_total_available (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->total_available;
}

/**
 * omni_stock_item_get_reorder_point:
 *
 * Returns: the variant's reorder point, else the shop's default; -1 for none
 */
gint64
omni_stock_item_get_reorder_point (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), -1);
  return self->reorder_point;
}

/**
 * omni_stock_item_get_stock_state:
 *
 * The variant's available stock over every location against its reorder
 * point, by the rule of the catalog's stock filter and of the low-stock
 * alerts: out at zero or below, low at or below the point. So the rows a
 * "Low Stock" filter shows all say "Low", whichever location they are.
 *
 * Returns: "archived", "out", "low", "in", or "" while not loaded
 */
const char *
omni_stock_item_get_stock_state (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), NULL);

  if (!self->loaded)
    return "";
  if (self->archived)
    return "archived";
  if (self->total_available <= 0)
    return "out";
  if (self->reorder_point >= 0 && self->total_available <= self->reorder_point)
    return "low";
  return "in";
}

/**
 * omni_stock_item_set_incoming:
 * @units: outstanding on ordered purchase orders to the item's location
 *
 * Set before omni_stock_item_set_data(), whose "loaded" notification shows
 * it.
 */
void
omni_stock_item_set_incoming (OmniStockItem *self,
                              gint64         units)
{
  g_return_if_fail (OMNI_IS_STOCK_ITEM (self));
  self->incoming = units;
}

gint64
omni_stock_item_get_incoming (OmniStockItem *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_ITEM (self), 0);
  return self->incoming;
}
