/* omni-count-code.h: a code scanned during a count that matched no variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_CODE (omni_count_code_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountCode, omni_count_code, OMNI, COUNT_CODE, GObject)

OmniCountCode *omni_count_code_new       (const char    *code,
                                          gint64         scans);
const char    *omni_count_code_get_code  (OmniCountCode *self);
gint64         omni_count_code_get_scans (OmniCountCode *self);
void           omni_count_code_set_scans (OmniCountCode *self,
                                          gint64         scans);

G_END_DECLS
