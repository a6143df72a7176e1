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

/* Rows of cells under a header line, for lists people read in a terminal;
 * scripts use --json. Cells fill row by row, n_columns to a row.
 */
struct _OmniCliGrid
{
  guint      n_columns;
  GPtrArray *cells;          /* headers first, then the rows */
  gboolean  *right;          /* per column: numbers line up on the right */
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
omni_cli_output_grid (OmniCliOutput *self,
                      OmniCliGrid   *grid)
{
  g_autofree glong *widths = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  g_return_if_fail (self != NULL);
  g_return_if_fail (grid != NULL);
  g_return_if_fail (grid->cells->len % grid->n_columns == 0);

  /* Widths in characters, not bytes, so accented titles line up too. */
  widths = g_new0 (glong, grid->n_columns);
  for (guint i = 0; i < grid->cells->len; i++)
    {
      glong length = g_utf8_strlen (g_ptr_array_index (grid->cells, i), -1);

      widths[i % grid->n_columns] = MAX (widths[i % grid->n_columns], length);
    }

  for (guint i = 0; i < grid->cells->len; i++)
    {
      guint column = i % grid->n_columns;
      const char *cell = g_ptr_array_index (grid->cells, i);
      int padding = (int) (widths[column] - g_utf8_strlen (cell, -1));
      gboolean last = column == grid->n_columns - 1;

      if (column > 0)
        g_string_append (line, "  ");
      if (grid->right[column])
        g_string_append_printf (line, "%*s%s", padding, "", cell);
      else if (!last)
        g_string_append_printf (line, "%s%*s", cell, padding, "");
      else
        g_string_append (line, cell);

      if (last)
        {
          /* A left-aligned last column leaves no trailing blanks; neither
           * does an empty cell at the end of a row.
           */
          while (line->len > 0 && line->str[line->len - 1] == ' ')
            g_string_truncate (line, line->len - 1);
          g_string_append_c (line, '\n');
          omni_cli_output_write_text (self, line->str);
          g_string_truncate (line, 0);
        }
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

OmniCliGrid *
omni_cli_grid_new (const char *first_header,
                   ...)
{
  OmniCliGrid *self;
  va_list args;

  g_return_val_if_fail (first_header != NULL, NULL);

  self = g_new0 (OmniCliGrid, 1);
  self->cells = g_ptr_array_new_with_free_func (g_free);

  va_start (args, first_header);
  for (const char *header = first_header; header != NULL; header = va_arg (args, const char *))
    g_ptr_array_add (self->cells, g_strdup (header));
  va_end (args);

  self->n_columns = self->cells->len;
  self->right = g_new0 (gboolean, self->n_columns);

  return self;
}

void
omni_cli_grid_free (OmniCliGrid *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->cells);
  g_free (self->right);
  g_free (self);
}

void
omni_cli_grid_align_right (OmniCliGrid *self,
                           guint        column)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (column < self->n_columns);

  self->right[column] = TRUE;
}

/* Adds the next cell; a row is complete after n_columns of them. */
void
omni_cli_grid_add (OmniCliGrid *self,
                   const char  *format,
                   ...)
{
  va_list args;
  char *cell;

  g_return_if_fail (self != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  cell = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line per row: a newline inside a title must not break the grid. */
  g_strdelimit (cell, "\n\r\t", ' ');
  g_ptr_array_add (self->cells, cell);
}

/* Returns: the rows added so far, not counting the header */
guint
omni_cli_grid_get_n_rows (OmniCliGrid *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->cells->len / self->n_columns - 1;
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

/* Settings the merchant has not made are null, not -1: reorder points,
 * compare-at prices and costs are "not set" when negative.
 */
void
omni_cli_json_add_optional_int (JsonBuilder *builder,
                                const char  *member,
                                gint64       value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (member != NULL);

  json_builder_set_member_name (builder, member);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

/* A path as a person reads it: UTF-8, whatever bytes the file name holds. */
char *
omni_cli_display_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_filename_display_name (path);
}

/* "Linen tee (S / Red)", or the title alone for a product without options. */
char *
omni_cli_variant_label (const char *title,
                        const char *options)
{
  if (options == NULL || *options == '\0')
    return g_strdup (title != NULL ? title : "");

  return g_strdup_printf ("%s (%s)", title != NULL ? title : "", options);
}

/* "2026-03-01 09:30:12" from the store's "2026-03-01T09:30:12.123456Z": UTC,
 * to the second, which is what a person compares in a list.
 */
char *
omni_cli_display_time (const char *stored)
{
  char *display;

  if (stored == NULL)
    return g_strdup ("");

  display = g_strndup (stored, 19);
  g_strdelimit (display, "T", ' ');
  return display;
}
