/* omni-currency.h: ISO 4217 currencies the shop can keep its books in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "omni-types.h"

G_BEGIN_DECLS

/**
 * OmniCurrency:
 * @code: the ISO 4217 code
 * @digits: minor-unit digits (2 for cents, 0 for yen)
 * @symbol: (nullable): a symbol that is not ambiguous, or %NULL
 * @name: the English name, translated with _() when shown
 */
typedef struct
{
  const char *code;
  guint       digits;
  const char *symbol;
  const char *name;
} OmniCurrency;

const OmniCurrency *omni_currency_get_all   (guint       *n_currencies);
const OmniCurrency *omni_currency_lookup    (const char  *code);
guint               omni_currency_get_digits (const char *code);
char               *omni_currency_format    (OmniMoney    amount,
                                             const char  *code);

G_END_DECLS
