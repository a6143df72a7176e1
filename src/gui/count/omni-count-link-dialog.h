/* omni-count-link-dialog.h: give an unknown code to a variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_LINK_DIALOG (omni_count_link_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountLinkDialog, omni_count_link_dialog, OMNI, COUNT_LINK_DIALOG,
                      AdwWindow)

OmniCountLinkDialog *omni_count_link_dialog_new          (GtkWindow           *parent,
                                                          OmniStore           *store,
                                                          const char          *code,
                                                          gint64               scans);
const char          *omni_count_link_dialog_get_code     (OmniCountLinkDialog *self);
void                 omni_count_link_dialog_search       (OmniCountLinkDialog *self,
                                                          const char          *text);
guint                omni_count_link_dialog_get_n_results (OmniCountLinkDialog *self);
gboolean             omni_count_link_dialog_choose       (OmniCountLinkDialog *self,
                                                          guint                index);

G_END_DECLS
