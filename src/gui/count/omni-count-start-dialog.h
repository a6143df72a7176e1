/* omni-count-start-dialog.h: where and what to count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_START_DIALOG (omni_count_start_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountStartDialog, omni_count_start_dialog, OMNI, COUNT_START_DIALOG,
                      AdwMessageDialog)

OmniCountStartDialog *omni_count_start_dialog_new             (GtkWindow            *parent,
                                                               const char           *path);
gboolean              omni_count_start_dialog_get_ready       (OmniCountStartDialog *self);
gint64                omni_count_start_dialog_get_location_id (OmniCountStartDialog *self);
const char           *omni_count_start_dialog_get_scope_kind  (OmniCountStartDialog *self);
const char           *omni_count_start_dialog_get_scope_value (OmniCountStartDialog *self);
gboolean              omni_count_start_dialog_set_scope       (OmniCountStartDialog *self,
                                                               const char           *kind,
                                                               const char           *value);

G_END_DECLS
