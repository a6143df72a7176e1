/* omni-channels-page-private.h: test hooks of the Channels page's scheduler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-channels-page.h"

G_BEGIN_DECLS

/* The monitor whose "network-changed" and availability hold the scheduler
 * (default: g_network_monitor_get_default()). */
void     _omni_channels_page_set_network_monitor (OmniChannelsPage *self,
                                                  GNetworkMonitor  *monitor);
/* How often the scheduler looks for due channels, and how long a minute of
 * a sync interval lasts; restarts every channel's wait. */
void     _omni_channels_page_set_clock           (OmniChannelsPage *self,
                                                  guint             tick_ms,
                                                  guint             minute_ms);
gboolean _omni_channels_page_is_syncing          (OmniChannelsPage *self,
                                                  gint64            channel_id);

G_END_DECLS
