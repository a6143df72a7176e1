/* omni-count-code.c: a code scanned during a count that matched no variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The count keeps such codes with how often they were scanned, so the
 * merchant can link each to a product later and lose none of the scans.
 */
#define G_LOG_DOMAIN "omni-count-code"

#include "config.h"

#include "omni-count-code.h"

struct _OmniCountCode
{
  GObject  parent_instance;

  char    *code;
  gint64   scans;
};

G_DEFINE_FINAL_TYPE (OmniCountCode, omni_count_code, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_SCANS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
omni_count_code_finalize (GObject *object)
{
  OmniCountCode *self = OMNI_COUNT_CODE (object);

  g_free (self->code);

  G_OBJECT_CLASS (omni_count_code_parent_class)->finalize (object);
}

static void
omni_count_code_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OmniCountCode *self = OMNI_COUNT_CODE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_SCANS:
      g_value_set_int64 (value, self->scans);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_count_code_class_init (OmniCountCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_count_code_finalize;
  object_class->get_property = omni_count_code_get_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCANS] =
    g_param_spec_int64 ("scans", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_count_code_init (OmniCountCode *self)
{
}

/**
 * omni_count_code_new:
 * @code: the code as scanned
 * @scans: how many times it was scanned
 *
 * Returns: (transfer full): a new code
 */
OmniCountCode *
omni_count_code_new (const char *code,
                     gint64      scans)
{
  OmniCountCode *self;

  g_return_val_if_fail (code != NULL, NULL);

  self = g_object_new (OMNI_TYPE_COUNT_CODE, NULL);
  self->code = g_strdup (code);
  self->scans = scans;

  return self;
}

const char *
omni_count_code_get_code (OmniCountCode *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_CODE (self), NULL);

  return self->code;
}

gint64
omni_count_code_get_scans (OmniCountCode *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_CODE (self), 0);

  return self->scans;
}

void
omni_count_code_set_scans (OmniCountCode *self,
                           gint64         scans)
{
  g_return_if_fail (OMNI_IS_COUNT_CODE (self));

  if (self->scans == scans)
    return;

  self->scans = scans;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANS]);
}
