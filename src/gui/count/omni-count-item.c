/* omni-count-item.c: one line of a stock count, as the lists show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scan changes one line; the item changes with it and notifies, so the
 * cells that show it update in place instead of the list being rebuilt.
 * The order of the lists (largest variance first) is omni_count_item_compare(),
 * which the model keeps by moving only the item that changed.
 */
#define G_LOG_DOMAIN "omni-count-item"

#include "config.h"

#include "omni-count-item.h"

struct _OmniCountItem
{
  GObject    parent_instance;

  gint64     variant_id;
  char      *title;
  char      *options;
  char      *sku;
  char      *barcode;
  /* Ties in variance sort by name as the reader's language does. */
  char      *sort_key;
  gint64     expected;
  gint64     counted;
  OmniMoney  cost;
};

G_DEFINE_FINAL_TYPE (OmniCountItem, omni_count_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VARIANT_ID,
  PROP_TITLE,
  PROP_OPTIONS,
  PROP_SKU,
  PROP_BARCODE,
  PROP_EXPECTED,
  PROP_COUNTED,
  PROP_VARIANCE,
  PROP_VARIANCE_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
omni_count_item_finalize (GObject *object)
{
  OmniCountItem *self = OMNI_COUNT_ITEM (object);

  g_free (self->title);
  g_free (self->options);
  g_free (self->sku);
  g_free (self->barcode);
  g_free (self->sort_key);

  G_OBJECT_CLASS (omni_count_item_parent_class)->finalize (object);
}

static void
omni_count_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OmniCountItem *self = OMNI_COUNT_ITEM (object);

  switch (prop_id)
    {
    case PROP_VARIANT_ID:
      g_value_set_int64 (value, self->variant_id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_OPTIONS:
      g_value_set_string (value, self->options);
      break;

    case PROP_SKU:
      g_value_set_string (value, self->sku);
      break;

    case PROP_BARCODE:
      g_value_set_string (value, self->barcode);
      break;

    case PROP_EXPECTED:
      g_value_set_int64 (value, self->expected);
      break;

    case PROP_COUNTED:
      g_value_set_int64 (value, self->counted);
      break;

    case PROP_VARIANCE:
      g_value_set_int64 (value, omni_count_item_get_variance (self));
      break;

    case PROP_VARIANCE_VALUE:
      g_value_set_int64 (value, omni_count_item_get_variance_value (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                              G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int64_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                             G_PARAM_STATIC_STRINGS);
}

static void
omni_count_item_class_init (OmniCountItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_count_item_finalize;
  object_class->get_property = omni_count_item_get_property;

  properties[PROP_VARIANT_ID] = int64_property ("variant-id");
  properties[PROP_TITLE] = string_property ("title");
  properties[PROP_OPTIONS] = string_property ("options");
  properties[PROP_SKU] = string_property ("sku");
  properties[PROP_BARCODE] = string_property ("barcode");
  properties[PROP_EXPECTED] = int64_property ("expected");
  properties[PROP_COUNTED] = int64_property ("counted");
  properties[PROP_VARIANCE] = int64_property ("variance");
  properties[PROP_VARIANCE_VALUE] = int64_property ("variance-value");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_count_item_init (OmniCountItem *self)
{
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
update_sort_key (OmniCountItem *self)
{
  g_autofree char *name = g_strconcat (self->title ? self->title : "", " ",
                                       self->options ? self->options : "", NULL);

  g_free (self->sort_key);
  self->sort_key = g_utf8_collate_key (name, -1);
}

/**
 * omni_count_item_new:
 * @line: the line as the store returned it
 *
 * Returns: (transfer full): a new item
 */
OmniCountItem *
omni_count_item_new (const OmniCountLine *line)
{
  OmniCountItem *self;

  g_return_val_if_fail (line != NULL, NULL);

  self = g_object_new (OMNI_TYPE_COUNT_ITEM, NULL);
  self->variant_id = line->variant_id;
  omni_count_item_update (self, line);

  return self;
}

/**
 * omni_count_item_update:
 * @line: the same variant's line, newer
 *
 * Takes the line's figures and names, notifying what changed.
 */
void
omni_count_item_update (OmniCountItem       *self,
                        const OmniCountLine *line)
{
  gint64 old_variance;
  gboolean renamed = FALSE;

  g_return_if_fail (OMNI_IS_COUNT_ITEM (self));
  g_return_if_fail (line != NULL && line->variant_id == self->variant_id);

  g_object_freeze_notify (G_OBJECT (self));

  if (replace_string (&self->title, line->title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      renamed = TRUE;
    }
  if (replace_string (&self->options, line->options))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPTIONS]);
      renamed = TRUE;
    }
  if (renamed || self->sort_key == NULL)
    update_sort_key (self);
  if (replace_string (&self->sku, line->sku))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKU]);
  if (replace_string (&self->barcode, line->barcode))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BARCODE]);

  old_variance = omni_count_item_get_variance (self);
  if (self->expected != line->expected)
    {
      self->expected = line->expected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED]);
    }
  if (self->cost != line->cost)
    {
      self->cost = line->cost;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIANCE_VALUE]);
    }
  omni_count_item_set_counted (self, line->counted);
  if (old_variance != omni_count_item_get_variance (self))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIANCE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIANCE_VALUE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * omni_count_item_set_counted:
 * @counted: the counted quantity the store now holds for this line
 */
void
omni_count_item_set_counted (OmniCountItem *self,
                             gint64         counted)
{
  g_return_if_fail (OMNI_IS_COUNT_ITEM (self));

  if (self->counted == counted)
    return;

  self->counted = counted;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIANCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIANCE_VALUE]);
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
omni_count_item_get_variant_id (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), 0);

  return self->variant_id;
}

const char *
omni_count_item_get_title (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), NULL);

  return self->title;
}

/**
 * omni_count_item_get_options:
 *
 * Returns: the option values, such as "Red / M"; "" for a product without options
 */
const char *
omni_count_item_get_options (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), NULL);

  return self->options;
}

/**
 * omni_count_item_get_sku:
 *
 * Returns: (nullable): the SKU
 */
const char *
omni_count_item_get_sku (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), NULL);

  return self->sku;
}

/**
 * omni_count_item_get_barcode:
 *
 * Returns: (nullable): the barcode
 */
const char *
omni_count_item_get_barcode (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), NULL);

  return self->barcode;
}

gint64
omni_count_item_get_expected (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), 0);

  return self->expected;
}

gint64
omni_count_item_get_counted (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), 0);

  return self->counted;
}

/**
 * omni_count_item_get_variance:
 *
 * Returns: counted − expected: what committing the count changes
 */
gint64
omni_count_item_get_variance (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), 0);

  return self->counted - self->expected;
}

OmniMoney
omni_count_item_get_cost (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), 0);

  return self->cost;
}

/**
 * omni_count_item_get_variance_value:
 *
 * Returns: the variance at unit cost, in minor units (0 without a cost)
 */
OmniMoney
omni_count_item_get_variance_value (OmniCountItem *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_ITEM (self), 0);

  return omni_count_item_get_variance (self) * self->cost;
}

/**
 * omni_count_item_compare:
 *
 * A #GCompareDataFunc: the largest variance (either way) first, then by
 * name, then by variant, so the order is total and a moved line lands
 * where a full reload would put it.
 */
int
omni_count_item_compare (gconstpointer a,
                         gconstpointer b,
                         gpointer      user_data)
{
  OmniCountItem *item_a = OMNI_COUNT_ITEM ((gpointer) a);
  OmniCountItem *item_b = OMNI_COUNT_ITEM ((gpointer) b);
  gint64 size_a = ABS (omni_count_item_get_variance (item_a));
  gint64 size_b = ABS (omni_count_item_get_variance (item_b));
  int order;

  if (size_a != size_b)
    return size_a > size_b ? -1 : 1;

  order = g_strcmp0 (item_a->sort_key, item_b->sort_key);
  if (order != 0)
    return order;

  return (item_a->variant_id > item_b->variant_id) - (item_a->variant_id < item_b->variant_id);
}
