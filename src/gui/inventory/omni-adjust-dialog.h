/* omni-adjust-dialog.h: adjust one variant's stock at one location
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"
#include "omni-store-inventory.h"

G_BEGIN_DECLS

#define OMNI_TYPE_ADJUST_DIALOG (omni_adjust_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniAdjustDialog, omni_adjust_dialog, OMNI, ADJUST_DIALOG, AdwWindow)

OmniAdjustDialog *omni_adjust_dialog_new          (GtkWindow        *parent,
                                                   OmniContext      *context,
                                                   gint64            variant_id);
OmniAdjustDialog *omni_adjust_dialog_show         (GtkWidget        *from,
                                                   OmniContext      *context,
                                                   gint64            variant_id,
                                                   gint64            location_id);
gint64            omni_adjust_dialog_get_variant_id (OmniAdjustDialog *self);
void              omni_adjust_dialog_set_mode     (OmniAdjustDialog *self,
                                                   OmniAdjustMode    mode);
void              omni_adjust_dialog_set_quantity (OmniAdjustDialog *self,
                                                   gint64            quantity);
gboolean          omni_adjust_dialog_set_location (OmniAdjustDialog *self,
                                                   gint64            location_id);
gboolean          omni_adjust_dialog_set_reason   (OmniAdjustDialog *self,
                                                   const char       *reason);
void              omni_adjust_dialog_set_note     (OmniAdjustDialog *self,
                                                   const char       *note);
gint64            omni_adjust_dialog_get_result   (OmniAdjustDialog *self);
gboolean          omni_adjust_dialog_get_busy     (OmniAdjustDialog *self);
const char       *omni_adjust_dialog_get_error    (OmniAdjustDialog *self);

G_END_DECLS
