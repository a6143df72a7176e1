/* omni-error-row.h: why a field of a form is refused, shown under it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_ERROR_ROW (omni_error_row_get_type ())
G_DECLARE_FINAL_TYPE (OmniErrorRow, omni_error_row, OMNI, ERROR_ROW, AdwPreferencesRow)

GtkWidget  *omni_error_row_new         (GtkWidget    *field);
GtkWidget  *omni_error_row_get_field   (OmniErrorRow *self);
const char *omni_error_row_get_message (OmniErrorRow *self);
void        omni_error_row_set_message (OmniErrorRow *self,
                                        const char   *message);

G_END_DECLS
