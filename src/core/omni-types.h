/* omni-types.h: forward declarations shared by every layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS


/* Money is held in integer minor units (cents) of the shop currency. */
typedef gint64 OmniMoney;

G_END_DECLS
