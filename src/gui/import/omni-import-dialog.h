/* omni-import-dialog.h: choose a layout, preview, then import a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_IMPORT_DIALOG (omni_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniImportDialog, omni_import_dialog, OMNI, IMPORT_DIALOG, AdwWindow)

OmniImportDialog *omni_import_dialog_new            (OmniContext      *context,
                                                     GtkWindow        *parent,
                                                     GFile            *file);
gboolean          omni_import_dialog_is_busy        (OmniImportDialog *self);
guint             omni_import_dialog_get_n_problems (OmniImportDialog *self);

G_END_DECLS
