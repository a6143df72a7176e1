/* omni-channels-page.h: the Sales Channels page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"

G_BEGIN_DECLS

#define OMNI_TYPE_CHANNELS_PAGE (omni_channels_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniChannelsPage, omni_channels_page, OMNI, CHANNELS_PAGE, OmniPage)

GtkWidget *omni_channels_page_new (OmniContext *context);

G_END_DECLS
