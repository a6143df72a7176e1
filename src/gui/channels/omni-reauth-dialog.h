/* omni-reauth-dialog.h: new credentials for a stopped channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_REAUTH_DIALOG (omni_reauth_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniReauthDialog, omni_reauth_dialog, OMNI, REAUTH_DIALOG, AdwWindow)

OmniReauthDialog *omni_reauth_dialog_new (GtkWindow  *parent,
                                          const char *db_path,
                                          gint64      channel_id,
                                          const char *platform,
                                          const char *channel_name);
void              omni_reauth_dialog_preset (OmniReauthDialog *self,
                                             const char       *settings_json);

G_END_DECLS
