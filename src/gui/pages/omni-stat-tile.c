/* omni-stat-tile.c: one figure on the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-stat-tile"

#include "config.h"

#include "omni-stat-tile.h"

struct _OmniStatTile
{
  AdwBin    parent_instance;

  GtkLabel *title_label;
  GtkLabel *value_label;
  GtkLabel *detail_label;
};

G_DEFINE_FINAL_TYPE (OmniStatTile, omni_stat_tile, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A screen reader reads the tile as one phrase, "Products: 42". */
static void
update_accessible_label (OmniStatTile *self)
{
  g_autofree char *label = g_strdup_printf ("%s: %s",
                                            gtk_label_get_label (self->title_label),
                                            gtk_label_get_label (self->value_label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
omni_stat_tile_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_STAT_TILE);

  G_OBJECT_CLASS (omni_stat_tile_parent_class)->dispose (object);
}

static void
omni_stat_tile_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OmniStatTile *self = OMNI_STAT_TILE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, omni_stat_tile_get_title (self));
      break;

    case PROP_VALUE:
      g_value_set_string (value, omni_stat_tile_get_value (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_stat_tile_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  OmniStatTile *self = OMNI_STAT_TILE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      omni_stat_tile_set_title (self, g_value_get_string (value));
      break;

    case PROP_VALUE:
      omni_stat_tile_set_value (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_stat_tile_class_init (OmniStatTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_stat_tile_dispose;
  object_class->get_property = omni_stat_tile_get_property;
  object_class->set_property = omni_stat_tile_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-stat-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniStatTile, title_label);
  gtk_widget_class_bind_template_child (widget_class, OmniStatTile, value_label);
  gtk_widget_class_bind_template_child (widget_class, OmniStatTile, detail_label);

  gtk_widget_class_set_css_name (widget_class, "stattile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
omni_stat_tile_init (OmniStatTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
omni_stat_tile_get_title (OmniStatTile *self)
{
  g_return_val_if_fail (OMNI_IS_STAT_TILE (self), NULL);

  return gtk_label_get_label (self->title_label);
}

void
omni_stat_tile_set_title (OmniStatTile *self,
                          const char   *title)
{
  g_return_if_fail (OMNI_IS_STAT_TILE (self));

  if (title == NULL)
    title = "";

  if (g_strcmp0 (title, gtk_label_get_label (self->title_label)) == 0)
    return;

  gtk_label_set_label (self->title_label, title);
  update_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
omni_stat_tile_get_value (OmniStatTile *self)
{
  g_return_val_if_fail (OMNI_IS_STAT_TILE (self), NULL);

  return gtk_label_get_label (self->value_label);
}

void
omni_stat_tile_set_value (OmniStatTile *self,
                          const char   *value)
{
  g_return_if_fail (OMNI_IS_STAT_TILE (self));

  if (value == NULL)
    value = "";

  if (g_strcmp0 (value, gtk_label_get_label (self->value_label)) == 0)
    return;

  gtk_label_set_label (self->value_label, value);
  update_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

const char *
omni_stat_tile_get_detail (OmniStatTile *self)
{
  g_return_val_if_fail (OMNI_IS_STAT_TILE (self), NULL);

  return gtk_label_get_label (self->detail_label);
}

/**
 * omni_stat_tile_set_detail:
 * @detail: (nullable): a line under the title ("42 units"); hidden when
 *   %NULL or empty
 */
void
omni_stat_tile_set_detail (OmniStatTile *self,
                           const char   *detail)
{
  g_return_if_fail (OMNI_IS_STAT_TILE (self));

  gtk_label_set_label (self->detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL && *detail != '\0');
}
