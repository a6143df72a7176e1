/* omni-channel-reauth.h: new credentials for a connected channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-connector.h"

G_BEGIN_DECLS

gboolean omni_channel_reauthenticate (OmniStore     *store,
                                      gint64         channel_id,
                                      const char    *client_id,
                                      const char    *credential,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
