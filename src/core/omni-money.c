/* omni-money.c: amounts in minor units, as people read and type them
 *
 * The store keeps money as integers in the currency's minor unit (cents), so
 * sums are exact. This file is the one place that turns them into text and
 * back, for the CLI, the window and the exporters alike: a dot for decimals
 * and no grouping, which is what scripts and spreadsheets read everywhere.
 * For people, omni_money_format_grouped() and omni_money_group_digits()
 * group the digits the way the user's locale does ("29,672.35",
 * "29.672,35", "12,34,567.00"); the window and labels use them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-money"

#include "config.h"

#include <limits.h>
#include <locale.h>
#include <string.h>

#include "omni-money.h"
#include "omni-store.h"

/* Minor units per major unit, from ISO 4217. Most currencies have two
 * decimals; these are the exceptions in use today.
 */
static const char * const zero_decimal_currencies[] = {
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
  "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
};

static const char * const three_decimal_currencies[] = {
  "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
};

static const char * const four_decimal_currencies[] = {
  "CLF", "UYW",
};

static gboolean
currency_in (const char         *currency,
             const char * const *list,
             gsize               n_list)
{
  for (gsize i = 0; i < n_list; i++)
    {
      if (g_ascii_strcasecmp (currency, list[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * omni_money_decimals:
 * @currency: (nullable): an ISO 4217 code such as "USD"
 *
 * Returns: how many decimals the currency's minor unit has: 2 for most
 *   (and for %NULL or an unknown code), 0 for JPY, 3 for KWD
 */
guint
omni_money_decimals (const char *currency)
{
  if (currency == NULL)
    return 2;
  if (currency_in (currency, zero_decimal_currencies, G_N_ELEMENTS (zero_decimal_currencies)))
    return 0;
  if (currency_in (currency, three_decimal_currencies, G_N_ELEMENTS (three_decimal_currencies)))
    return 3;
  if (currency_in (currency, four_decimal_currencies, G_N_ELEMENTS (four_decimal_currencies)))
    return 4;

  return 2;
}

static guint64
power_of_ten (guint exponent)
{
  guint64 scale = 1;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;

  return scale;
}

/**
 * omni_money_format:
 * @amount: minor units
 * @currency: (nullable): an ISO 4217 code; %NULL or "" prints the number alone
 *
 * Formats minor units as major units with a dot: 123450 USD is
 * "1234.50 USD", -5 USD is "-0.05 USD", 1500 JPY is "1500 JPY".
 *
 * Returns: (transfer full): the text
 */
char *
omni_money_format (OmniMoney   amount,
                   const char *currency)
{
  guint decimals = omni_money_decimals (currency);
  /* Negating in unsigned arithmetic also works for G_MININT64. */
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  const char *sign = amount < 0 ? "-" : "";
  guint64 scale = power_of_ten (decimals);
  g_autofree char *number = NULL;

  if (decimals == 0)
    number = g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, magnitude);
  else
    number = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                              sign, magnitude / scale, (int) decimals, magnitude % scale);

  if (currency == NULL || *currency == '\0')
    return g_steal_pointer (&number);

  return g_strdup_printf ("%s %s", number, currency);
}

/**
 * omni_money_group_digits_full:
 * @magnitude: the amount in minor units, without its sign
 * @decimals: the currency's minor-unit digits
 * @thousands_sep: what goes between groups ("" for none)
 * @grouping: group sizes from the right, as in `struct lconv`: "\3" is
 *   threes, "\3\2" a three then twos (India); the last size repeats, and
 *   CHAR_MAX (or a 0 at the start) means no more grouping
 * @decimal_point: what goes before the decimals
 *
 * Returns: (transfer full): the amount in major units, such as "29,672.35"
 */
char *
omni_money_group_digits_full (guint64     magnitude,
                              guint       decimals,
                              const char *thousands_sep,
                              const char *grouping,
                              const char *decimal_point)
{
  guint64 scale = power_of_ten (decimals);
  g_autofree char *whole = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / scale);
  gsize length = strlen (whole);
  GString *text = g_string_sized_new (length * 2 + decimals + 4);
  /* Where each group starts, counted from the right. */
  g_autoptr(GArray) breaks = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize position = 0;
  const char *g = grouping != NULL ? grouping : "";
  guint size = 0;

  if (thousands_sep != NULL && *thousands_sep != '\0')
    {
      while (TRUE)
        {
          if (*g != '\0')
            size = (guchar) *g++;
          if (size == 0 || size == CHAR_MAX)
            break;
          position += size;
          if (position >= length)
            break;
          g_array_append_val (breaks, position);
        }
    }

  for (gsize i = 0; i < length; i++)
    {
      gsize from_right = length - i;

      for (guint b = 0; b < breaks->len; b++)
        if (g_array_index (breaks, gsize, b) == from_right)
          g_string_append (text, thousands_sep);
      g_string_append_c (text, whole[i]);
    }

  if (decimals > 0)
    g_string_append_printf (text, "%s%0*" G_GUINT64_FORMAT,
                            decimal_point != NULL && *decimal_point != '\0' ? decimal_point : ".",
                            (int) decimals, magnitude % scale);

  return g_string_free (text, FALSE);
}

/* The C locale groups nothing: that is no one's preference, only the
 * default of a program that did not ask, so amounts then read the way
 * the untranslated interface does, in English. */
static gboolean
numeric_locale_is_c (void)
{
  const char *name = setlocale (LC_NUMERIC, NULL);

  return name == NULL || g_str_equal (name, "C") || g_str_equal (name, "POSIX") ||
         g_str_has_prefix (name, "C.");
}

/**
 * omni_money_group_digits:
 * @magnitude: the amount in minor units, without its sign
 * @decimals: the currency's minor-unit digits
 *
 * Groups the digits as the LC_NUMERIC locale does, with its decimal point;
 * in the C locale as English does: "29,672.35".
 *
 * Returns: (transfer full): the amount in major units
 */
char *
omni_money_group_digits (guint64 magnitude,
                         guint   decimals)
{
  const struct lconv *conv = localeconv ();

  if ((conv->thousands_sep == NULL || *conv->thousands_sep == '\0') && numeric_locale_is_c ())
    return omni_money_group_digits_full (magnitude, decimals, ",", "\3", ".");

  return omni_money_group_digits_full (magnitude, decimals, conv->thousands_sep,
                                       conv->grouping, conv->decimal_point);
}

/**
 * omni_money_format_grouped:
 * @amount: minor units
 * @currency: (nullable): an ISO 4217 code; %NULL or "" prints the number alone
 *
 * Like omni_money_format(), for people: the digits grouped as the locale
 * does, "29,672.35 USD". Never for CSV or JSON, which stay ungrouped.
 *
 * Returns: (transfer full): the text
 */
char *
omni_money_format_grouped (OmniMoney   amount,
                           const char *currency)
{
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  g_autofree char *number = omni_money_group_digits (magnitude, omni_money_decimals (currency));

  if (currency == NULL || *currency == '\0')
    return g_strdup_printf ("%s%s", amount < 0 ? "-" : "", number);

  return g_strdup_printf ("%s%s %s", amount < 0 ? "-" : "", number, currency);
}

/* "12.50" for cents, "12" for yen, "12.500" for dinars: what an error
 * message offers as the way to write an amount.
 */
static char *
example_amount (guint decimals)
{
  if (decimals == 0)
    return g_strdup ("12");

  return g_strdup_printf ("12.5%0*d", (int) decimals - 1, 0);
}

static void
set_not_an_amount (GError     **error,
                   const char  *shown,
                   guint        decimals)
{
  g_autofree char *example = example_amount (decimals);

  if (decimals == 0)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                 "“%s” is not an amount: write it as a whole number, such as %s",
                 shown, example);
  else
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                 "“%s” is not an amount: write digits with a dot for decimals, such as %s",
                 shown, example);
}

static void
set_too_many_decimals (GError     **error,
                       const char  *shown,
                       const char  *currency,
                       guint        given,
                       guint        decimals)
{
  g_autofree char *in_currency = NULL;

  in_currency = currency != NULL && *currency != '\0'
                ? g_strdup_printf ("%s amounts", currency)
                : g_strdup ("amounts");

  if (decimals == 0)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                 "“%s” has decimals, but %s are whole numbers", shown, in_currency);
  else
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                 "“%s” has %u decimals, but %s have at most %u",
                 shown, given, in_currency, decimals);
}

/* Reads the digits at *p into *value (value × 10 + digit each), stopping at
 * the first non-digit. Returns FALSE when the result would pass @limit.
 */
static gboolean
accumulate_digits (const char **p,
                   guint        max_digits,
                   guint64     *value,
                   guint       *n_digits,
                   guint64      limit)
{
  *n_digits = 0;

  for (; g_ascii_isdigit (**p); (*p)++, (*n_digits)++)
    {
      guint digit = **p - '0';

      if (*n_digits >= max_digits)
        continue;
      if (*value > (limit - digit) / 10)
        return FALSE;
      *value = *value * 10 + digit;
    }

  return TRUE;
}

/**
 * omni_money_parse:
 * @text: an amount as typed: "12", "12.5", "12.50", "-3.99", " 7 "
 * @currency: (nullable): the ISO 4217 code that says how many decimals fit
 * @out: (out): the amount in minor units
 * @error: %OMNI_STORE_ERROR_INVALID, with a sentence that quotes @text
 *
 * Reads an amount in major units with an optional sign and a dot for
 * decimals. Surrounding spaces are ignored; grouping separators, a decimal
 * comma, currency symbols and exponents are refused rather than guessed at.
 * More decimals than the currency has are refused too ("1.234" for USD),
 * unless the extra ones are zeros, because rounding would change a price
 * without anyone noticing.
 *
 * Returns: %TRUE when @text is an amount that fits in #OmniMoney
 */
gboolean
omni_money_parse (const char  *text,
                  const char  *currency,
                  OmniMoney   *out,
                  GError     **error)
{
  guint decimals = omni_money_decimals (currency);
  g_autofree char *trimmed = NULL;
  g_autofree char *shown = NULL;
  const char *p;
  gboolean negative = FALSE;
  guint64 whole = 0;
  guint64 fraction = 0;
  guint n_whole = 0;
  guint n_fraction = 0;
  guint64 limit = G_MAXINT64;
  guint64 scale = power_of_ten (decimals);

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  shown = g_utf8_make_valid (trimmed, MIN (strlen (trimmed), OMNI_MONEY_MAX_TEXT));

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "The amount is empty");
      return FALSE;
    }

  p = trimmed;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  if (strlen (trimmed) > OMNI_MONEY_MAX_TEXT)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s…” is too long to be an amount", shown);
      return FALSE;
    }

  /* Whole units, bounded so that whole × scale cannot overflow. */
  if (!accumulate_digits (&p, G_MAXUINT, &whole, &n_whole, limit / scale))
    goto too_large;

  if (*p == '.')
    {
      p++;
      if (!accumulate_digits (&p, decimals, &fraction, &n_fraction, G_MAXUINT64))
        goto too_large;
    }

  if (*p != '\0' || n_whole + n_fraction == 0)
    {
      set_not_an_amount (error, shown, decimals);
      return FALSE;
    }

  /* Extra decimals are fine only as zeros: "12.500" is 12.50 exactly. */
  if (n_fraction > decimals)
    {
      const char *dot = strchr (trimmed, '.');

      for (const char *q = dot + 1 + decimals; *q != '\0'; q++)
        if (*q != '0')
          {
            set_too_many_decimals (error, shown, currency, n_fraction, decimals);
            return FALSE;
          }
    }

  /* "12.5" in cents: the fraction read so far is 5, worth 50. */
  for (guint i = MIN (n_fraction, decimals); i < decimals; i++)
    fraction *= 10;

  if (whole * scale > limit - fraction)
    goto too_large;

  *out = (OmniMoney) (whole * scale + fraction);
  if (negative)
    *out = -*out;

  return TRUE;

too_large:
  g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
               "“%s” is too large an amount", shown);
  return FALSE;
}
