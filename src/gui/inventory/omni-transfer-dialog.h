/* omni-transfer-dialog.h: move one variant's stock between two locations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_TRANSFER_DIALOG (omni_transfer_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniTransferDialog, omni_transfer_dialog, OMNI, TRANSFER_DIALOG, AdwWindow)

OmniTransferDialog *omni_transfer_dialog_new            (GtkWindow          *parent,
                                                         OmniContext        *context,
                                                         gint64              variant_id);
gboolean            omni_transfer_dialog_set_locations  (OmniTransferDialog *self,
                                                         gint64              from_location_id,
                                                         gint64              to_location_id);
void                omni_transfer_dialog_set_quantity   (OmniTransferDialog *self,
                                                         gint64              quantity);
const char         *omni_transfer_dialog_get_error      (OmniTransferDialog *self);

G_END_DECLS
