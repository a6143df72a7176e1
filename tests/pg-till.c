/* pg-till.c: a till for the race tests, selling one unit per request
 *
 * Usage: pg-till STORE
 *
 * Opens the store (a file or a postgresql:// URI), prints "ready", then
 * answers each line read on stdin:
 *
 *   sell VARIANT LOCATION   sells one unit (an adjustment of −1, reason
 *                           "sold", negative stock refused) and prints
 *                           "ok", "refused <message>" when the store refused
 *                           it for lack of stock, or "error <message>"
 *
 * It ends with status 0 at the end of its input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-test"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "omni-store.h"
#include "omni-store-inventory.h"

#define MAX_LINE 256

/* One line of output, whatever the message holds. */
static void
answer (const char *word,
        const char *message)
{
  g_autofree char *flat = g_strdup (message != NULL ? message : "");

  g_strdelimit (flat, "\r\n", ' ');
  if (*flat != '\0')
    printf ("%s %s\n", word, flat);
  else
    printf ("%s\n", word);
  fflush (stdout);
}

static gboolean
parse_id (const char *text,
          gint64     *out)
{
  guint64 value = 0;

  if (text == NULL ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out = (gint64)value;
  return TRUE;
}

static void
sell (OmniStore  *store,
      char      **words)
{
  OmniAdjustLine line = { .quantity = -1 };
  const OmniAdjustOptions options = {
    .mode = OMNI_ADJUST_DELTA, .reason = OMNI_REASON_SOLD, .source = "till",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *operation = NULL;

  if (g_strv_length (words) != 3 ||
      !parse_id (words[1], &line.variant_id) ||
      !parse_id (words[2], &line.location_id))
    {
      answer ("error", "Expected “sell VARIANT LOCATION” with two positive ids");
      return;
    }

  operation = omni_store_adjust (store, &line, 1, &options, &error);
  if (operation != NULL)
    answer ("ok", NULL);
  else if (g_error_matches (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID))
    answer ("refused", error->message);
  else
    answer ("error", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[MAX_LINE];

  if (argc != 2)
    {
      fprintf (stderr, "Usage: %s STORE\n", argv[0]);
      return 2;
    }

  store = omni_store_open (argv[1], &error);
  if (store == NULL)
    {
      answer ("error", error->message);
      return 1;
    }
  if (omni_store_get_allow_negative (store))
    {
      answer ("error", "This store allows negative stock; the race needs it refused");
      return 1;
    }
  answer ("ready", NULL);

  while (fgets (buffer, sizeof buffer, stdin) != NULL)
    {
      g_auto(GStrv) words = NULL;

      if (strchr (buffer, '\n') == NULL && !feof (stdin))
        {
          int c;

          /* an over-long line: drop the rest of it */
          while ((c = getchar ()) != EOF && c != '\n')
            ;
          answer ("error", "Line too long");
          continue;
        }
      g_strstrip (buffer);
      words = g_strsplit (buffer, " ", -1);
      if (g_strcmp0 (words[0], "sell") == 0)
        sell (store, words);
      else
        answer ("error", "Unknown command; only “sell VARIANT LOCATION” is understood");
    }
  return 0;
}
