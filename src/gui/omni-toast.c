/* omni-toast.c: toasts whose text is shown as written
 *
 * An AdwToast's title is Pango markup (always, before libadwaita 1.4), so
 * a message holding a product's name or an error's text ("Salt & Pepper",
 * "<none>") failed to parse: the toast came up empty and GTK warned. Text
 * that is not markup goes through omni_toast_new_text().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "omni-toast.h"

/**
 * omni_toast_new_text:
 * @text: plain text, never markup
 *
 * Returns: (transfer full): a toast that shows @text exactly
 */
AdwToast *
omni_toast_new_text (const char *text)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  escaped = g_markup_escape_text (text, -1);
  return adw_toast_new (escaped);
}
