/* omni-preferences-window.h: the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PREFERENCES_WINDOW (omni_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (OmniPreferencesWindow, omni_preferences_window,
                      OMNI, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *omni_preferences_window_new (GtkWindow   *parent,
                                        OmniContext *context);

G_END_DECLS
