/* omni-money.h: amounts in minor units, as people read and type them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "omni-types.h"

G_BEGIN_DECLS

/* The longest amount omni_money_parse() reads, in bytes. */
#define OMNI_MONEY_MAX_TEXT 64

guint     omni_money_decimals  (const char   *currency);
char     *omni_money_format    (OmniMoney     amount,
                                const char   *currency);
char     *omni_money_format_grouped (OmniMoney  amount,
                                     const char *currency);
char     *omni_money_group_digits   (guint64     magnitude,
                                     guint       decimals);
char     *omni_money_group_digits_full (guint64     magnitude,
                                        guint       decimals,
                                        const char *thousands_sep,
                                        const char *grouping,
                                        const char *decimal_point);
gboolean  omni_money_parse     (const char   *text,
                                const char   *currency,
                                OmniMoney    *out,
                                GError      **error);

G_END_DECLS
