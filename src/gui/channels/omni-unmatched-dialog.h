/* omni-unmatched-dialog.h: a channel's remote variants that match no local
 * variant: link, import or ignore them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_UNMATCHED_DIALOG (omni_unmatched_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniUnmatchedDialog, omni_unmatched_dialog, OMNI, UNMATCHED_DIALOG, AdwWindow)

OmniUnmatchedDialog *omni_unmatched_dialog_new     (GtkWindow           *parent,
                                                    OmniContext         *context,
                                                    gint64               channel_id,
                                                    const char          *channel_name);
gboolean             omni_unmatched_dialog_is_busy (OmniUnmatchedDialog *self);

GtkWidget           *omni_unmatched_button_new     (OmniContext         *context,
                                                    gint64               channel_id,
                                                    const char          *channel_name);

G_END_DECLS
