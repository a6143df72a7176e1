/* omni-cli-args.c: reading the values commands are given
 *
 * Every value a person types is checked here before the store sees it, and a
 * bad one is refused with exit status 2 and a sentence that names the
 * argument: "DELTA must be a whole number …, not “12x”".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-money.h"

/**
 * omni_cli_parse_int:
 * @text: the argument as typed
 * @what: its name for the message ("DELTA", "--limit")
 * @min: the smallest value accepted
 * @max: the largest value accepted
 * @out: (out): the value
 * @error: %OMNI_CLI_ERROR_INVALID naming @what
 *
 * Reads a whole number in decimal, with an optional sign and nothing else:
 * not "12x", not "", not "1e3", not a number past @min or @max.
 *
 * Returns: %TRUE when @text is such a number
 */
gboolean
omni_cli_parse_int (const char  *text,
                    const char  *what,
                    gint64       min,
                    gint64       max,
                    gint64      *out,
                    GError     **error)
{
  const char *digits;
  gint64 value;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* GLib accepts a leading "+" only for unsigned numbers; allow it here too. */
  digits = text[0] == '+' && g_ascii_isdigit (text[1]) ? text + 1 : text;

  if (!g_ascii_string_to_signed (digits, 10, min, max, &value, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("%s must be a whole number from %" PRId64 " to %" PRId64 ", not “%s”"),
                   what, min, max, shown);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/**
 * omni_cli_get_currency:
 * @store: the open store
 *
 * Returns: (transfer full): the shop currency, "USD" when none is set
 */
char *
omni_cli_get_currency (OmniStore *store)
{
  char *currency = omni_store_get_setting (store, "currency");

  return currency != NULL ? currency : g_strdup ("USD");
}

/**
 * omni_cli_parse_money:
 * @store: the store, whose currency says how many decimals an amount has
 * @text: the amount as typed ("12.50")
 * @what: the option's name ("--price")
 * @out: (out): minor units
 * @error: %OMNI_STORE_ERROR_INVALID, prefixed with @what
 *
 * Returns: %TRUE when @text is an amount in the shop currency
 */
gboolean
omni_cli_parse_money (OmniStore   *store,
                      const char  *text,
                      const char  *what,
                      OmniMoney   *out,
                      GError     **error)
{
  g_autofree char *currency = omni_cli_get_currency (store);

  if (!omni_money_parse (text, currency, out, error))
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }

  return TRUE;
}

/**
 * omni_cli_parse_session:
 * @text: a stock count number as `count start` printed it
 * @out: (out): the session id
 * @error: %OMNI_CLI_ERROR_INVALID
 *
 * Returns: %TRUE when @text is a positive whole number
 */
gboolean
omni_cli_parse_session (const char  *text,
                        gint64      *out,
                        GError     **error)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("SESSION must be a stock count’s number, as “count start” and "
                     "“count list” print it, not “%s”"),
                   shown);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
is_plain_date (const char *text)
{
  static const char pattern[] = "dddd-dd-dd";

  if (strlen (text) != strlen (pattern))
    return FALSE;

  for (guint i = 0; pattern[i] != '\0'; i++)
    {
      if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
        return FALSE;
    }

  return TRUE;
}

static char *
parse_plain_date (const char *text,
                  gboolean    is_end)
{
  g_autoptr(GDate) date = NULL;
  GDateYear year = (GDateYear) g_ascii_strtoull (text, NULL, 10);
  guint month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  GDateDay day = (GDateDay) g_ascii_strtoull (text + 8, NULL, 10);
  char buffer[16];

  if (month < 1 || month > 12 || !g_date_valid_dmy (day, (GDateMonth) month, year))
    return NULL;

  /* An end date includes its whole day: the store's bound is exclusive. */
  date = g_date_new_dmy (day, (GDateMonth) month, year);
  if (is_end)
    g_date_add_days (date, 1);

  g_date_strftime (buffer, sizeof buffer, "%Y-%m-%d", date);
  return g_strdup (buffer);
}

/**
 * omni_cli_parse_date:
 * @text: a date ("2026-03-01") or an ISO 8601 time ("2026-03-01T09:30:00Z",
 *   "2026-03-01T10:30+01:00"; a time without a zone is UTC, as stored)
 * @what: the option's name ("--from")
 * @is_end: @text ends a range: a plain date then includes its whole day
 * @error: %OMNI_CLI_ERROR_INVALID naming @what
 *
 * Returns: (transfer full): the bound in the form the store compares times
 *   in (UTC, "2026-03-01" or "2026-03-01T09:30:00.000000Z"), or %NULL
 */
char *
omni_cli_parse_date (const char  *text,
                     const char  *what,
                     gboolean     is_end,
                     GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) time_utc = NULL;
  g_autofree char *seconds = NULL;
  char *bound = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (is_plain_date (text))
    bound = parse_plain_date (text, is_end);
  else if (strchr (text, 'T') != NULL &&
           (parsed = g_date_time_new_from_iso8601 (text, utc)) != NULL)
    {
      time_utc = g_date_time_to_utc (parsed);
      seconds = g_date_time_format (time_utc, "%Y-%m-%dT%H:%M:%S");
      bound = g_strdup_printf ("%s.%06dZ", seconds, g_date_time_get_microsecond (time_utc));
    }

  if (bound == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("%s must be a date such as 2026-03-01 or an ISO 8601 time such as "
                     "2026-03-01T09:30:00Z, not “%s”"),
                   what, shown);
    }

  return bound;
}

/**
 * omni_cli_check_choice:
 * @value: what was typed
 * @what: the option's name ("--sort")
 * @choices: the values accepted, %NULL-terminated
 * @error: %OMNI_CLI_ERROR_INVALID listing @choices
 *
 * Returns: %TRUE when @value is one of @choices
 */
gboolean
omni_cli_check_choice (const char          *value,
                       const char          *what,
                       const char * const  *choices,
                       GError             **error)
{
  g_autofree char *list = NULL;
  g_autofree char *shown = NULL;

  if (g_strv_contains (choices, value))
    return TRUE;

  list = g_strjoinv (", ", (char **) choices);
  shown = g_utf8_make_valid (value, -1);
  g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
               _("%s must be one of %s, not “%s”"), what, list, shown);
  return FALSE;
}

/**
 * omni_cli_get_actor:
 *
 * Who the ledger names for a change: $OMNISTOCK_ACTOR when set (a till
 * script run by a shared account can say which cashier), else %NULL, which
 * the store takes as the user name.
 *
 * Returns: (nullable): the actor
 */
const char *
omni_cli_get_actor (void)
{
  const char *actor = g_getenv ("OMNISTOCK_ACTOR");

  return actor != NULL && *actor != '\0' ? actor : NULL;
}

/**
 * omni_cli_find_location:
 * @store: the open store
 * @name: (nullable): a location's name, or %NULL for the default one
 * @error: %OMNI_STORE_ERROR_NOT_FOUND when there is none
 *
 * Returns: the location's id, or 0
 */
gint64
omni_cli_find_location (OmniStore   *store,
                        const char  *name,
                        GError     **error)
{
  if (name == NULL)
    return omni_store_get_default_location (store, error);

  return omni_store_find_location (store, name, error);
}

/* For printf's "%s", which must not be given NULL. */
const char *
omni_cli_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/**
 * omni_cli_read_credentials:
 * @what: what is read, for the messages ("Amazon credentials")
 *
 * Reads all of stdin (a JSON object of OAuth credentials), bounded to
 * %OMNI_CLI_MAX_CREDENTIALS_BYTES; every buffer is wiped before it is freed.
 *
 * Returns: (transfer full): the text, without surrounding white space (free it
 *   with omni_cli_free_credentials()), or %NULL with @error set
 */
char *
omni_cli_read_credentials (const char  *what,
                           GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[1024];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    {
      if (text->len + n > OMNI_CLI_MAX_CREDENTIALS_BYTES)
        {
          memset (buffer, 0, sizeof buffer);
          memset (text->str, 0, text->len);
          g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                       _("the %s read from stdin are longer than %d bytes"), what,
                       OMNI_CLI_MAX_CREDENTIALS_BYTES);
          return NULL;
        }
      g_string_append_len (text, buffer, (gssize)n);
    }
  memset (buffer, 0, sizeof buffer);
  g_strstrip (text->str);
  if (*text->str == '\0')
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("the %s must be given on stdin as JSON: "
                     "{\"client_id\": …, \"client_secret\": …, \"refresh_token\": …}"), what);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * omni_cli_read_secret:
 * @what: what is read, for the messages ("access token", "PIN")
 *
 * Reads one line from stdin (a token, a PIN: never the command line, where
 * other users' `ps` would see it), bounded to %OMNI_CLI_MAX_SECRET_BYTES;
 * the newline and surrounding white space are dropped, and the buffer is
 * wiped before it is freed.
 *
 * Returns: (transfer full): the line, or %NULL with @error set
 */
char *
omni_cli_read_secret (const char  *what,
                      GError     **error)
{
  char buffer[OMNI_CLI_MAX_SECRET_BYTES + 2];
  size_t len;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("the %s must be given on stdin, on one line (for example: "
                     "secret-tool lookup … | omnistock-cli …)"), what);
      return NULL;
    }
  len = strcspn (buffer, "\r\n");
  if (strlen (buffer) > OMNI_CLI_MAX_SECRET_BYTES && buffer[strlen (buffer) - 1] != '\n')
    {
      memset (buffer, 0, sizeof buffer);
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("the %s read from stdin is longer than %d bytes"), what, OMNI_CLI_MAX_SECRET_BYTES);
      return NULL;
    }
  buffer[len] = '\0';
  {
    char *secret = g_strdup (g_strstrip (buffer));

    memset (buffer, 0, sizeof buffer);
    if (*secret == '\0')
      {
        g_free (secret);
        g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                     _("the %s read from stdin is empty"), what);
        return NULL;
      }
    return secret;
  }
}

/* Wipes and frees what omni_cli_read_credentials() returned. */
void
omni_cli_free_credentials (char *text)
{
  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}
