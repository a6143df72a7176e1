/* omni-cli-output.c: where omnistock-cli writes its results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "omni-cli-output.h"

/* Results go to one stream. Text is converted to the locale's character set
 * for the terminal; JSON is always written as UTF-8, whatever the locale,
 * because it is meant for programs.
 */
struct _OmniCliOutput
{
  FILE     *stream;
  gboolean  pretty;
};

struct _OmniCliTable
{
  GPtrArray *labels;
  GPtrArray *values;
};

OmniCliOutput *
omni_cli_output_new (FILE *stream)
{
  OmniCliOutput *self;

  g_return_val_if_fail (stream != NULL, NULL);

  self = g_new0 (OmniCliOutput, 1);
  self->stream = stream;
  /* Pretty JSON for people reading a terminal, one compact line for pipes. */
  self->pretty = isatty (fileno (stream));

  return self;
}

void
omni_cli_output_free (OmniCliOutput *self)
{
  g_free (self);
}

static void
omni_cli_output_write_text (OmniCliOutput *self,
                            const char    *utf8)
{
  const char *charset;
  g_autofree char *converted = NULL;

  if (g_get_charset (&charset))
    {
      fputs (utf8, self->stream);
      return;
    }

  converted = g_convert_with_fallback (utf8, -1, charset, "UTF-8", "?", NULL, NULL, NULL);
  fputs (converted != NULL ? converted : utf8, self->stream);
}

void
omni_cli_output_print (OmniCliOutput *self,
                       const char    *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  g_return_if_fail (self != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  omni_cli_output_write_text (self, text);
}

void
omni_cli_output_table (OmniCliOutput *self,
                       OmniCliTable  *table)
{
  glong width = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (table != NULL);

  /* Width in characters, not bytes, so translated labels line up too. */
  for (guint i = 0; i < table->labels->len; i++)
    width = MAX (width, g_utf8_strlen (g_ptr_array_index (table->labels, i), -1));

  for (guint i = 0; i < table->labels->len; i++)
    {
      const char *label = g_ptr_array_index (table->labels, i);
      const char *value = g_ptr_array_index (table->values, i);
      int padding = (int) (width - g_utf8_strlen (label, -1)) + 2;

      omni_cli_output_print (self, "%s%*s%s\n", label, padding, "", value);
    }
}

void
omni_cli_output_json (OmniCliOutput *self,
                      JsonBuilder   *builder)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  root = json_builder_get_root (builder);
  g_return_if_fail (root != NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, self->pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  fwrite (data, 1, length, self->stream);
  fputc ('\n', self->stream);
}

gboolean
omni_cli_output_close (OmniCliOutput  *self,
                       GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A full disk or a closed pipe must not pass for success. */
  if (fflush (self->stream) != 0 || ferror (self->stream))
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("could not write the results to standard output: %s"),
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

OmniCliTable *
omni_cli_table_new (void)
{
  OmniCliTable *self = g_new0 (OmniCliTable, 1);

  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->values = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
omni_cli_table_free (OmniCliTable *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->labels);
  g_ptr_array_unref (self->values);
  g_free (self);
}

void
omni_cli_table_add (OmniCliTable *self,
                    const char   *label,
                    const char   *format,
                    ...)
{
  va_list args;

  g_return_if_fail (self != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  g_ptr_array_add (self->values, g_strdup_vprintf (format, args));
  va_end (args);

  g_ptr_array_add (self->labels, g_strdup (label));
}

/* JSON must be valid UTF-8 even when a file name or a value read from an old
 * database is not; invalid bytes become U+FFFD rather than breaking the
 * document.
 */
void
omni_cli_json_add_string (JsonBuilder *builder,
                          const char  *member,
                          const char  *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (member != NULL);

  json_builder_set_member_name (builder, member);

  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (builder, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
}

void
omni_cli_json_add_int (JsonBuilder *builder,
                       const char  *member,
                       gint64       value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (member != NULL);

  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
omni_cli_json_add_boolean (JsonBuilder *builder,
                           const char  *member,
                           gboolean     value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (member != NULL);

  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

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

guint
omni_cli_currency_decimals (const char *currency)
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

/* Formats minor units as major units with a dot, as scripts and spreadsheets
 * read them: 123450 USD is "1234.50 USD", -5 USD is "-0.05 USD", 1500 JPY is
 * "1500 JPY".
 */
char *
omni_cli_format_money (OmniMoney   amount,
                       const char *currency)
{
  guint decimals = omni_cli_currency_decimals (currency);
  /* Negating in unsigned arithmetic also works for G_MININT64. */
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  const char *sign = amount < 0 ? "-" : "";
  guint64 scale = 1;
  g_autofree char *number = NULL;

  for (guint i = 0; i < decimals; i++)
    scale *= 10;

  if (decimals == 0)
    number = g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, magnitude);
  else
    number = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                              sign, magnitude / scale, (int) decimals, magnitude % scale);

  if (currency == NULL || *currency == '\0')
    return g_steal_pointer (&number);

  return g_strdup_printf ("%s %s", number, currency);
}

/* A path as a person reads it: UTF-8, whatever bytes the file name holds. */
char *
omni_cli_display_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_filename_display_name (path);
}
