/* omni-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_WINDOW (omni_window_get_type ())
G_DECLARE_FINAL_TYPE (OmniWindow, omni_window, OMNI, WINDOW, AdwApplicationWindow)

OmniWindow  *omni_window_new              (GtkApplication *application,
                                           OmniContext    *context);
OmniWindow  *omni_window_new_for_error    (GtkApplication *application,
                                           const char     *path,
                                           const GError   *error);
OmniWindow  *omni_window_new_for_offline  (GtkApplication *application,
                                           const char     *location,
                                           const GError   *error);
OmniWindow  *omni_window_new_for_shared   (GtkApplication *application,
                                           const char     *location,
                                           gboolean        load_demo);
const char  *omni_window_get_opening      (OmniWindow     *self);
OmniContext *omni_window_get_context      (OmniWindow     *self);
const char  *omni_window_get_visible_page (OmniWindow     *self);
gboolean     omni_window_set_visible_page (OmniWindow     *self,
                                           const char     *name);
GtkWidget   *omni_window_get_page         (OmniWindow     *self,
                                           const char     *name);
void         omni_window_load_demo        (OmniWindow     *self);

G_END_DECLS
