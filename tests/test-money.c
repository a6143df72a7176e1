/* test-money.c: amounts in minor units, formatted and parsed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-money"

#include "config.h"

#include <string.h>

#include "omni-money.h"
#include "omni-store.h"

static void
test_decimals (void)
{
  g_assert_cmpuint (omni_money_decimals ("USD"), ==, 2);
  g_assert_cmpuint (omni_money_decimals ("EUR"), ==, 2);
  g_assert_cmpuint (omni_money_decimals ("JPY"), ==, 0);
  g_assert_cmpuint (omni_money_decimals ("jpy"), ==, 0);
  g_assert_cmpuint (omni_money_decimals ("KRW"), ==, 0);
  g_assert_cmpuint (omni_money_decimals ("KWD"), ==, 3);
  g_assert_cmpuint (omni_money_decimals ("BHD"), ==, 3);
  g_assert_cmpuint (omni_money_decimals ("CLF"), ==, 4);
  /* Unknown or missing: the common case. */
  g_assert_cmpuint (omni_money_decimals ("XYZ"), ==, 2);
  g_assert_cmpuint (omni_money_decimals (NULL), ==, 2);
}

static void
test_format (void)
{
  static const struct {
    OmniMoney   amount;
    const char *currency;
    const char *expected;
  } cases[] = {
    { 123450, "USD", "1234.50 USD" },
    { -5, "USD", "-0.05 USD" },
    { 0, "USD", "0.00 USD" },
    { 7, "EUR", "0.07 EUR" },
    { 1500, "JPY", "1500 JPY" },
    { -1500, "JPY", "-1500 JPY" },
    { 4000, "KWD", "4.000 KWD" },
    { 12345, "CLF", "1.2345 CLF" },
    { 1999, NULL, "19.99" },
    { 1999, "", "19.99" },
    { G_MAXINT64, "USD", "92233720368547758.07 USD" },
    { G_MININT64, "USD", "-92233720368547758.08 USD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = omni_money_format (cases[i].amount, cases[i].currency);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* Grouping for people: the locale's separators, or English ones in C. */
static void
test_grouped (void)
{
  static const struct {
    guint64     magnitude;
    guint       decimals;
    const char *sep;
    const char *grouping;
    const char *point;
    const char *expected;
  } cases[] = {
    { 2967235, 2, ",", "\3", ".", "29,672.35" },
    { 2967235, 2, ".", "\3", ",", "29.672,35" },
    { 2967235, 2, "\u202f", "\3", ",", "29\u202f672,35" },
    { 123456789, 2, ",", "\3\2", ".", "12,34,567.89" },
    { 99999, 2, ",", "\3", ".", "999.99" },
    { 100000, 2, ",", "\3", ".", "1,000.00" },
    { 7, 2, ",", "\3", ".", "0.07" },
    { 1234567, 0, ",", "\3", ".", "1,234,567" },
    { 1234567, 3, ",", "\3", ".", "1,234.567" },
    /* No separator, no grouping, or grouping that stops. */
    { 2967235, 2, "", "\3", ".", "29672.35" },
    { 2967235, 2, ",", "", ".", "29672.35" },
    { 123456789, 0, ",", "\3\177", ".", "123456,789" },
    { G_MAXUINT64, 2, ",", "\3", ".", "184,467,440,737,095,516.15" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = omni_money_group_digits_full (cases[i].magnitude,
                                                            cases[i].decimals,
                                                            cases[i].sep,
                                                            cases[i].grouping,
                                                            cases[i].point);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  /* The tests run in the C locale, which groups nothing: English then. */
  {
    g_autofree char *usd = omni_money_format_grouped (2967235, "USD");
    g_autofree char *negative = omni_money_format_grouped (-123456, "USD");
    g_autofree char *yen = omni_money_format_grouped (1500000, "JPY");
    g_autofree char *bare = omni_money_format_grouped (99, NULL);
    g_autofree char *plain = omni_money_format (2967235, "USD");

    g_assert_cmpstr (usd, ==, "29,672.35 USD");
    g_assert_cmpstr (negative, ==, "-1,234.56 USD");
    g_assert_cmpstr (yen, ==, "1,500,000 JPY");
    g_assert_cmpstr (bare, ==, "0.99");
    /* What scripts and CSV read stays ungrouped. */
    g_assert_cmpstr (plain, ==, "29672.35 USD");
  }
}

static void
test_parse (void)
{
  static const struct {
    const char *text;
    const char *currency;
    OmniMoney   expected;
  } cases[] = {
    { "12", "USD", 1200 },
    { "12.5", "USD", 1250 },
    { "12.50", "USD", 1250 },
    { "12.05", "USD", 1205 },
    { "0.07", "USD", 7 },
    { "-3.99", "USD", -399 },
    { "+4", "USD", 400 },
    { " 7.25 ", "USD", 725 },
    { ".5", "USD", 50 },
    { "12.", "USD", 1200 },
    { "0", "USD", 0 },
    { "-0", "USD", 0 },
    /* Extra decimals that are zeros change nothing. */
    { "12.500", "USD", 1250 },
    { "1500", "JPY", 1500 },
    { "1500.0", "JPY", 1500 },
    { "4.5", "KWD", 4500 },
    { "4.125", "KWD", 4125 },
    { "19.99", NULL, 1999 },
    { "92233720368547758.07", "USD", G_MAXINT64 },
    { "-92233720368547758.07", "USD", -G_MAXINT64 },
    { "9223372036854775807", "JPY", G_MAXINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      OmniMoney amount = -42;

      g_assert_true (omni_money_parse (cases[i].text, cases[i].currency, &amount, &error));
      g_assert_no_error (error);
      g_assert_cmpint (amount, ==, cases[i].expected);
    }
}

/* Formatting then parsing gives the amount back. */
static void
test_round_trip (void)
{
  static const OmniMoney amounts[] = { 0, 1, -1, 99, 100, 123456789, -987654321 };
  static const char * const currencies[] = { "USD", "JPY", "KWD", "CLF" };

  for (guint c = 0; c < G_N_ELEMENTS (currencies); c++)
    for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = omni_money_format (amounts[i], currencies[c]);
        OmniMoney back = 0;

        /* The number without the code, in that currency's decimals. */
        *strchr (text, ' ') = '\0';
        g_assert_true (omni_money_parse (text, currencies[c], &back, &error));
        g_assert_no_error (error);
        g_assert_cmpint (back, ==, amounts[i]);
      }
}

static void
test_parse_errors (void)
{
  static const struct {
    const char *text;
    const char *currency;
    const char *message;
  } cases[] = {
    { "1.234", "USD", "“1.234” has 3 decimals, but USD amounts have at most 2" },
    { "-3.999", "USD", "“-3.999” has 3 decimals, but USD amounts have at most 2" },
    { "12.5", "JPY", "“12.5” has decimals, but JPY amounts are whole numbers" },
    { "4.1255", "KWD", "“4.1255” has 4 decimals, but KWD amounts have at most 3" },
    { "1.234", NULL, "“1.234” has 3 decimals, but amounts have at most 2" },
    { "12x", "USD", "“12x” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "abc", "KWD", "“abc” is not an amount: write digits with a dot for decimals, "
      "such as 12.500" },
    { "12,50", "EUR", "“12,50” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "1,234.50", "USD", "“1,234.50” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "$5", "USD", "“$5” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "1e3", "USD", "“1e3” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "--1", "USD", "“--1” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "1 000", "USD", "“1 000” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "-", "USD", "“-” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { ".", "USD", "“.” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "1.2.3", "USD", "“1.2.3” is not an amount: write digits with a dot for decimals, "
      "such as 12.50" },
    { "x", "JPY", "“x” is not an amount: write it as a whole number, such as 12" },
    { "", "USD", "The amount is empty" },
    { "   ", "USD", "The amount is empty" },
    { NULL, "USD", "The amount is empty" },
    { "92233720368547758.08", "USD", "“92233720368547758.08” is too large an amount" },
    { "92233720368547759", "USD", "“92233720368547759” is too large an amount" },
    { "9223372036854775808", "JPY", "“9223372036854775808” is too large an amount" },
    { "99999999999999999999999999", "USD",
      "“99999999999999999999999999” is too large an amount" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      OmniMoney amount = -42;

      g_assert_false (omni_money_parse (cases[i].text, cases[i].currency, &amount, &error));
      g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      /* Nothing is written on failure. */
      g_assert_cmpint (amount, ==, -42);
    }
}

static void
test_parse_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (100, '1');
  OmniMoney amount = 0;

  g_assert_false (omni_money_parse (text, "USD", &amount, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message, "…” is too long to be an amount"));

  /* Invalid UTF-8 is quoted as valid text. */
  g_clear_error (&error);
  g_assert_false (omni_money_parse ("1\xff", "USD", &amount, &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/money/decimals", test_decimals);
  g_test_add_func ("/omni/money/format", test_format);
  g_test_add_func ("/omni/money/grouped", test_grouped);
  g_test_add_func ("/omni/money/parse", test_parse);
  g_test_add_func ("/omni/money/round-trip", test_round_trip);
  g_test_add_func ("/omni/money/parse-errors", test_parse_errors);
  g_test_add_func ("/omni/money/parse-long", test_parse_long);

  return g_test_run ();
}
