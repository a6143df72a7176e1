/* omni-label-print-dialog.h: print barcode labels for some variants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-labels.h"

G_BEGIN_DECLS

#define OMNI_TYPE_LABEL_PRINT_DIALOG (omni_label_print_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniLabelPrintDialog, omni_label_print_dialog, OMNI, LABEL_PRINT_DIALOG,
                      AdwWindow)

OmniLabelPrintDialog *omni_label_print_dialog_new          (GtkWindow            *parent,
                                                            const char           *db_path,
                                                            GArray               *variant_ids);
OmniLabelPrintDialog *omni_label_print_dialog_new_for_order (GtkWindow          *parent,
                                                            const char           *db_path,
                                                            gint64                po_id);
gboolean              omni_label_print_dialog_get_loading  (OmniLabelPrintDialog *self);
const char           *omni_label_print_dialog_get_summary  (OmniLabelPrintDialog *self);
const char           *omni_label_print_dialog_get_error    (OmniLabelPrintDialog *self);
const char           *omni_label_print_dialog_get_copies_note (OmniLabelPrintDialog *self);
void                  omni_label_print_dialog_set_sheet    (OmniLabelPrintDialog *self,
                                                            const char           *sheet_id);
void                  omni_label_print_dialog_set_copies   (OmniLabelPrintDialog *self,
                                                            guint                 copies);
OmniLabelJob         *omni_label_print_dialog_build_job    (OmniLabelPrintDialog *self,
                                                            GError              **error);
GtkPrintOperationResult omni_label_print_dialog_export_pdf (OmniLabelPrintDialog *self,
                                                            const char           *path,
                                                            GError              **error);

G_END_DECLS
