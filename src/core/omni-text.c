/* omni-text.c: text rules shared by the catalog, search and importers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-text"

#include "config.h"

#include <string.h>

#include "omni-store.h"
#include "omni-text.h"

/**
 * omni_text_fold:
 * @text: UTF-8 text
 *
 * Folds @text for search: decomposed, combining marks removed, case folded,
 * so "Café" and "CAFE" compare equal. SQLite 3.40's trigram tokenizer folds
 * ASCII case only, so the search index stores this form and queries are folded
 * the same way.
 *
 * Returns: (transfer full): the folded text
 */
char *
omni_text_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) stripped = NULL;

  if (text == NULL)
    return g_strdup ("");

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");

  stripped = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK ||
          type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      g_string_append_unichar (stripped, c);
    }

  return g_utf8_casefold (stripped->str, stripped->len);
}

/**
 * omni_text_slugify:
 * @text: a title
 *
 * Makes a URL handle the way Shopify does: lower-case ASCII letters and digits
 * separated by single dashes ("Café Crème Mug" → "cafe-creme-mug").
 *
 * Returns: (transfer full): the handle, "product" when nothing is left
 */
char *
omni_text_slugify (const char *text)
{
  g_autofree char *folded = omni_text_fold (text);
  g_autoptr(GString) slug = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = folded; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;

      if (slug->len >= 200)
        break;
    }

  if (slug->len == 0)
    g_string_assign (slug, "product");

  return g_string_free (g_steal_pointer (&slug), FALSE);
}

gboolean
omni_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/**
 * omni_text_check:
 * @text: (nullable): the value
 * @field: the field's name as the merchant sees it ("Title", "SKU")
 * @max_bytes: the bound
 * @required: whether blank is refused
 * @error: set to %OMNI_STORE_ERROR_INVALID naming the field
 *
 * Returns: %TRUE when @text is valid UTF-8 within the bound (and present when
 * required)
 */
gboolean
omni_text_check (const char  *text,
                 const char  *field,
                 gsize        max_bytes,
                 gboolean     required,
                 GError     **error)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (omni_text_is_blank (text))
    {
      if (!required)
        return TRUE;
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "%s is required and cannot be empty", field);
      return FALSE;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "%s is not valid UTF-8 text", field);
      return FALSE;
    }

  if (strlen (text) > max_bytes)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "%s is too long (%zu bytes; at most %zu)",
                   field, strlen (text), max_bytes);
      return FALSE;
    }

  return TRUE;
}

/**
 * omni_text_normalize_tags:
 * @tags: (nullable): comma-separated tags as typed
 *
 * Trims each tag, drops empty ones and repeats (case-insensitively, keeping
 * the first spelling), and joins them with ", " as Shopify does.
 *
 * Returns: (transfer full): the normalised list, "" when there is none
 */
char *
omni_text_normalize_tags (const char *tags)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  if (tags == NULL)
    return g_strdup ("");

  parts = g_strsplit (tags, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *tag = g_strstrip (parts[i]);
      g_autofree char *key = NULL;

      if (*tag == '\0')
        continue;
      key = g_utf8_casefold (tag, -1);
      if (g_ptr_array_find_with_equal_func (seen, key, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, g_steal_pointer (&key));
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, tag);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
