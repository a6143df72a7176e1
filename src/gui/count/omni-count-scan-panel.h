/* omni-count-scan-panel.h: the scan entry and the last scanned item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "omni-count-item.h"

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_SCAN_PANEL (omni_count_scan_panel_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountScanPanel, omni_count_scan_panel, OMNI, COUNT_SCAN_PANEL, GtkWidget)

GtkWidget     *omni_count_scan_panel_new              (void);
void           omni_count_scan_panel_show_item        (OmniCountScanPanel *self,
                                                       OmniCountItem      *item);
void           omni_count_scan_panel_show_unknown     (OmniCountScanPanel *self,
                                                       const char         *code);
void           omni_count_scan_panel_show_error       (OmniCountScanPanel *self,
                                                       const char         *message);
void           omni_count_scan_panel_forget_code      (OmniCountScanPanel *self,
                                                       const char         *code);
void           omni_count_scan_panel_reset            (OmniCountScanPanel *self);
gboolean       omni_count_scan_panel_focus_entry      (OmniCountScanPanel *self);
GtkEntry      *omni_count_scan_panel_get_entry        (OmniCountScanPanel *self);
gint64         omni_count_scan_panel_get_multiplier   (OmniCountScanPanel *self);
OmniCountItem *omni_count_scan_panel_get_item         (OmniCountScanPanel *self);
const char    *omni_count_scan_panel_get_count_text   (OmniCountScanPanel *self);
const char    *omni_count_scan_panel_get_banner_code  (OmniCountScanPanel *self);
const char    *omni_count_scan_panel_get_banner_text  (OmniCountScanPanel *self);

G_END_DECLS
