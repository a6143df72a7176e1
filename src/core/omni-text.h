/* omni-text.h: text rules shared by the catalog, search and importers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest text accepted for names, titles, SKUs and similar one-line fields. */
#define OMNI_TEXT_MAX_LINE 255
/* Longest free text (product descriptions, notes). */
#define OMNI_TEXT_MAX_BODY (64 * 1024)

char     *omni_text_fold      (const char  *text);
char     *omni_text_slugify   (const char  *text);
gboolean  omni_text_check     (const char  *text,
                               const char  *field,
                               gsize        max_bytes,
                               gboolean     required,
                               GError     **error);
gboolean  omni_text_is_blank  (const char  *text);
char     *omni_text_normalize_tags (const char *tags);

G_END_DECLS
