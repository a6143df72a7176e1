/* omni-currency.c: ISO 4217 currencies the shop can keep its books in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-currency"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-currency.h"
#include "omni-money.h"

/* The currencies the big sales channels settle in. Symbols are given only
 * where they are unambiguous on their own; "$" alone would be, so the
 * dollars other than USD print their code. */
static const OmniCurrency currencies[] = {
  { "AED", 2, NULL, N_("UAE Dirham") },
  { "AUD", 2, "A$", N_("Australian Dollar") },
  { "BRL", 2, "R$", N_("Brazilian Real") },
  { "CAD", 2, "CA$", N_("Canadian Dollar") },
  { "CHF", 2, NULL, N_("Swiss Franc") },
  { "CNY", 2, "CN¥", N_("Chinese Yuan") },
  { "CZK", 2, NULL, N_("Czech Koruna") },
  { "DKK", 2, NULL, N_("Danish Krone") },
  { "EUR", 2, "€", N_("Euro") },
  { "GBP", 2, "£", N_("Pound Sterling") },
  { "HKD", 2, "HK$", N_("Hong Kong Dollar") },
  { "HUF", 2, NULL, N_("Hungarian Forint") },
  { "IDR", 2, NULL, N_("Indonesian Rupiah") },
  { "ILS", 2, "₪", N_("Israeli New Shekel") },
  { "INR", 2, "₹", N_("Indian Rupee") },
  { "JPY", 0, "¥", N_("Japanese Yen") },
  { "KRW", 0, "₩", N_("South Korean Won") },
  { "KWD", 3, NULL, N_("Kuwaiti Dinar") },
  { "MXN", 2, "MX$", N_("Mexican Peso") },
  { "MYR", 2, NULL, N_("Malaysian Ringgit") },
  { "NOK", 2, NULL, N_("Norwegian Krone") },
  { "NZD", 2, "NZ$", N_("New Zealand Dollar") },
  { "PHP", 2, "₱", N_("Philippine Peso") },
  { "PLN", 2, NULL, N_("Polish Złoty") },
  { "RON", 2, NULL, N_("Romanian Leu") },
  { "SAR", 2, NULL, N_("Saudi Riyal") },
  { "SEK", 2, NULL, N_("Swedish Krona") },
  { "SGD", 2, "S$", N_("Singapore Dollar") },
  { "THB", 2, "฿", N_("Thai Baht") },
  { "TRY", 2, "₺", N_("Turkish Lira") },
  { "TWD", 2, "NT$", N_("New Taiwan Dollar") },
  { "UAH", 2, "₴", N_("Ukrainian Hryvnia") },
  { "USD", 2, "$", N_("US Dollar") },
  { "VND", 0, "₫", N_("Vietnamese Dong") },
  { "ZAR", 2, NULL, N_("South African Rand") },
};

/**
 * omni_currency_get_all:
 * @n_currencies: (out): the number of entries
 *
 * Returns: (array length=n_currencies): the known currencies, by code
 */
const OmniCurrency *
omni_currency_get_all (guint *n_currencies)
{
  g_return_val_if_fail (n_currencies != NULL, NULL);

  *n_currencies = G_N_ELEMENTS (currencies);

  return currencies;
}

/**
 * omni_currency_lookup:
 *
 * Returns: (nullable): the currency, or %NULL for a code not in the table
 */
const OmniCurrency *
omni_currency_lookup (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      if (g_ascii_strcasecmp (currencies[i].code, code) == 0)
        return &currencies[i];
    }

  return NULL;
}

/**
 * omni_currency_get_digits:
 *
 * Returns: the minor-unit digits of @code; 2 when the code is unknown
 */
guint
omni_currency_get_digits (const char *code)
{
  const OmniCurrency *currency = omni_currency_lookup (code);

  return currency != NULL ? currency->digits : 2;
}

/**
 * omni_currency_format:
 * @amount: money in minor units
 * @code: (nullable): the ISO 4217 code
 *
 * Formats @amount with the locale's digit grouping and decimal point, exact
 * to the minor unit (no floating point); in the C locale as English does
 * (see omni_money_group_digits()).
 *
 * Returns: (transfer full): the text, such as "€1,234.50" or "1,234.50 CHF"
 */
char *
omni_currency_format (OmniMoney   amount,
                      const char *code)
{
  const OmniCurrency *currency = omni_currency_lookup (code);
  guint digits = currency != NULL ? currency->digits : 2;
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  g_autofree char *number = omni_money_group_digits (magnitude, digits);
  const char *sign = amount < 0 ? "−" : "";

  if (currency != NULL && currency->symbol != NULL)
    return g_strdup_printf ("%s%s%s", sign, currency->symbol, number);

  if (code == NULL || code[0] == '\0')
    return g_strdup_printf ("%s%s", sign, number);

  return g_strdup_printf ("%s%s %s", sign, number, code);
}
