/* omni-offline-till.h: selling on while the shared store's server is away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_OFFLINE_TILL (omni_offline_till_get_type ())
G_DECLARE_FINAL_TYPE (OmniOfflineTill, omni_offline_till, OMNI, OFFLINE_TILL, GtkBox)

GtkWidget *omni_offline_till_new         (const char      *location,
                                          const GError    *cause);
void       omni_offline_till_try_again   (OmniOfflineTill *self);
guint      omni_offline_till_get_n_waiting (OmniOfflineTill *self);
const char *omni_offline_till_get_location (OmniOfflineTill *self);
gboolean   omni_offline_till_is_trying   (OmniOfflineTill *self);
guint      omni_offline_till_get_n_counts (OmniOfflineTill *self);
gboolean   omni_offline_till_get_counting (OmniOfflineTill *self);

G_END_DECLS
