/* omni-alerts-monitor.h: raises each low-stock alert once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_ALERTS_MONITOR (omni_alerts_monitor_get_type ())
G_DECLARE_FINAL_TYPE (OmniAlertsMonitor, omni_alerts_monitor, OMNI, ALERTS_MONITOR, GObject)

OmniAlertsMonitor *omni_alerts_monitor_new      (OmniContext       *context);
void               omni_alerts_monitor_check    (OmniAlertsMonitor *self);
gboolean           omni_alerts_monitor_get_busy (OmniAlertsMonitor *self);
GNotification     *omni_alerts_monitor_build_notification (const char *title,
                                                           const char *body);

void               omni_alerts_monitor_send_notification  (GApplication *application,
                                                           const char   *title,
                                                           const char   *body);

G_END_DECLS
