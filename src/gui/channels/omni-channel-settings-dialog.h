/* omni-channel-settings-dialog.h: a channel's sync settings, allocation rules
 * and the live preview of what it will list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_CHANNEL_PREVIEW_ITEM (omni_channel_preview_item_get_type ())
G_DECLARE_FINAL_TYPE (OmniChannelPreviewItem, omni_channel_preview_item, OMNI,
                      CHANNEL_PREVIEW_ITEM, GObject)

const char *omni_channel_preview_item_get_sku       (OmniChannelPreviewItem *self);
const char *omni_channel_preview_item_get_title     (OmniChannelPreviewItem *self);
gint64      omni_channel_preview_item_get_available (OmniChannelPreviewItem *self);
gint64      omni_channel_preview_item_get_listed    (OmniChannelPreviewItem *self);

#define OMNI_TYPE_CHANNEL_SETTINGS_DIALOG (omni_channel_settings_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniChannelSettingsDialog, omni_channel_settings_dialog, OMNI,
                      CHANNEL_SETTINGS_DIALOG, AdwWindow)

OmniChannelSettingsDialog *omni_channel_settings_dialog_new         (GtkWindow                 *parent,
                                                                     const char                *db_path,
                                                                     gint64                     channel_id);
GListModel                *omni_channel_settings_dialog_get_preview (OmniChannelSettingsDialog *self);
gboolean                   omni_channel_settings_dialog_is_busy     (OmniChannelSettingsDialog *self);

G_END_DECLS
