/* omni-json.h: reading members of untrusted JSON answers by type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *omni_json_root_object (JsonNode    *node);
JsonObject *omni_json_object      (JsonObject  *object,
                                   const char  *member);
JsonArray  *omni_json_array       (JsonObject  *object,
                                   const char  *member);
const char *omni_json_string      (JsonObject  *object,
                                   const char  *member);
gboolean    omni_json_int         (JsonObject  *object,
                                   const char  *member,
                                   gint64      *out);
double      omni_json_double      (JsonObject  *object,
                                   const char  *member,
                                   double       fallback);

G_END_DECLS
