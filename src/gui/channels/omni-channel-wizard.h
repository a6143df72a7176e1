/* omni-channel-wizard.h: connecting a Shopify shop, step by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_CHANNEL_WIZARD (omni_channel_wizard_get_type ())
G_DECLARE_FINAL_TYPE (OmniChannelWizard, omni_channel_wizard, OMNI, CHANNEL_WIZARD, AdwWindow)

OmniChannelWizard *omni_channel_wizard_new (GtkWindow  *parent,
                                            const char *db_path);

G_END_DECLS
