/* omni-json.c: reading members of untrusted JSON answers by type
 *
 * A platform's answer may lack any member or hold another type than its
 * documentation says; every accessor here returns "absent" (NULL, FALSE or
 * the fallback) for a missing object, a missing member and a member of the
 * wrong type alike, so callers check one thing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "omni-json.h"

/**
 * omni_json_root_object:
 * @node: (nullable): a parsed document
 *
 * Returns: (transfer none) (nullable): the document's object, or %NULL
 *   when it is not one
 */
JsonObject *
omni_json_root_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

JsonObject *
omni_json_object (JsonObject *object,
                  const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
omni_json_array (JsonObject *object,
                 const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

const char *
omni_json_string (JsonObject *object,
                  const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * omni_json_int:
 * @out: (out): the value; untouched when %FALSE is returned
 *
 * Reads an integer member; a number written with a fraction or exponent
 * counts when it lies in the range of a 64-bit integer (its fraction is
 * dropped).
 *
 * Returns: whether @name holds such a number
 */
gboolean
omni_json_int (JsonObject *object,
               const char *name,
               gint64     *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* Beyond ±2^63 the conversion is undefined. */
      if (!isfinite (value) || value >= 9223372036854775808.0 || value < -9223372036854775808.0)
        return FALSE;
      *out = (gint64)value;
      return TRUE;
    }
  return FALSE;
}

double
omni_json_double (JsonObject *object,
                  const char *name,
                  double      fallback)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return fallback;
}
