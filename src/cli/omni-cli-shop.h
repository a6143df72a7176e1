/* omni-cli-shop.h: the shop itself: locations and the database settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_location_add   (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_staff_list     (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_staff_add      (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_staff_archive  (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_settings_get   (OmniCliContext  *ctx,
                                  GError         **error);
gboolean omni_cli_settings_set   (OmniCliContext  *ctx,
                                  GError         **error);

G_END_DECLS
