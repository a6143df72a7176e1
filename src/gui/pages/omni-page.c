/* omni-page.c: what every page of the main window shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base class exists so each page receives the context the same way: a
 * construct-only property, set before the page's constructed() runs.
 */
#define G_LOG_DOMAIN "omni-page"

#include "config.h"

#include "omni-page.h"

typedef struct
{
  OmniContext *context;
} OmniPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (OmniPage, omni_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
omni_page_dispose (GObject *object)
{
  OmniPage *self = OMNI_PAGE (object);
  OmniPagePrivate *priv = omni_page_get_instance_private (self);

  g_clear_object (&priv->context);

  G_OBJECT_CLASS (omni_page_parent_class)->dispose (object);
}

static void
omni_page_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  OmniPage *self = OMNI_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, omni_page_get_context (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_page_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  OmniPage *self = OMNI_PAGE (object);
  OmniPagePrivate *priv = omni_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_page_class_init (OmniPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_page_dispose;
  object_class->get_property = omni_page_get_property;
  object_class->set_property = omni_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         OMNI_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_page_init (OmniPage *self)
{
}

/**
 * omni_page_get_context:
 *
 * Returns: (transfer none): the context the page shows
 */
OmniContext *
omni_page_get_context (OmniPage *self)
{
  OmniPagePrivate *priv;

  g_return_val_if_fail (OMNI_IS_PAGE (self), NULL);

  priv = omni_page_get_instance_private (self);

  return priv->context;
}
