/* omni-purchasing-window.h: purchase orders, the reorder planner and
 * receiving by scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PURCHASING_WINDOW (omni_purchasing_window_get_type ())
G_DECLARE_FINAL_TYPE (OmniPurchasingWindow, omni_purchasing_window, OMNI, PURCHASING_WINDOW,
                      AdwWindow)

OmniPurchasingWindow *omni_purchasing_window_new           (GtkWindow            *parent,
                                                            OmniContext          *context);
gboolean              omni_purchasing_window_get_busy      (OmniPurchasingWindow *self);
guint                 omni_purchasing_window_get_n_orders  (OmniPurchasingWindow *self);
gint64                omni_purchasing_window_get_order_id  (OmniPurchasingWindow *self);
void                  omni_purchasing_window_select_order  (OmniPurchasingWindow *self,
                                                            gint64                po_id);
gboolean              omni_purchasing_window_plan          (OmniPurchasingWindow *self,
                                                            const char           *supplier);
guint                 omni_purchasing_window_get_n_suggestions (OmniPurchasingWindow *self);
GtkSpinButton        *omni_purchasing_window_get_suggestion_spin (OmniPurchasingWindow *self,
                                                            guint                 index);
GtkEditable          *omni_purchasing_window_get_scan_entry (OmniPurchasingWindow *self);
const char           *omni_purchasing_window_get_summary   (OmniPurchasingWindow *self);
const char           *omni_purchasing_window_get_line_text (OmniPurchasingWindow *self,
                                                            guint                 index);
gboolean              omni_purchasing_window_get_line_editors (OmniPurchasingWindow  *self,
                                                            guint                  index,
                                                            GtkSpinButton        **quantity,
                                                            GtkEditable          **cost,
                                                            GtkButton            **remove);

void                  omni_purchasing_actions_install      (GtkApplicationWindow *window,
                                                            OmniContext          *context);

G_END_DECLS
