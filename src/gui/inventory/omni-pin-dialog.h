/* omni-pin-dialog.h: asks a staff profile's PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PIN_DIALOG (omni_pin_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniPinDialog, omni_pin_dialog, OMNI, PIN_DIALOG, AdwWindow)

OmniPinDialog *omni_pin_dialog_new         (GtkWindow     *parent,
                                            OmniContext   *context,
                                            const char    *message,
                                            GPtrArray     *profiles);
void           omni_pin_dialog_set_pin     (OmniPinDialog *self,
                                            const char    *pin);
gboolean       omni_pin_dialog_select      (OmniPinDialog *self,
                                            gint64         staff_id);
const char    *omni_pin_dialog_get_error   (OmniPinDialog *self);

G_END_DECLS
