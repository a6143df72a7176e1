/* omni-cli-shop.c: the shop itself: locations and the database settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-shop.h"

/* The settings kept in the database file, which travel with it; the store
 * checks each value. Per-user preferences live in GSettings instead.
 */
static const char * const setting_keys[] = {
  "currency", "allow_negative_stock", "default_reorder_point", NULL
};

/* location add -------------------------------------------------------- */

gboolean
omni_cli_location_add (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  gboolean make_default = FALSE;
  gboolean is_default;
  const char *name;
  gint64 id;
  const GOptionEntry entries[] = {
    { "default", 0, 0, G_OPTION_ARG_NONE, &make_default,
      N_("Make it the default location (the first one always is)"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  name = ctx->argv[1];

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  id = omni_store_add_location (store, name, make_default, error);
  if (id == 0)
    return FALSE;
  is_default = omni_store_get_default_location (store, NULL) == id;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", id);
      omni_cli_json_add_string (builder, "location", name);
      omni_cli_json_add_boolean (builder, "default", is_default);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           is_default ? _("Added location “%s” (id %" PRId64 "), the default.\n")
                                      : _("Added location “%s” (id %" PRId64 ").\n"),
                           name, id);

  return TRUE;
}

/* settings ------------------------------------------------------------ */

static void
print_setting (OmniCliContext *ctx,
               const char     *key,
               const char     *value)
{
  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "key", key);
      omni_cli_json_add_string (builder, "value", value);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, "%s\n", omni_cli_or_empty (value));
}

gboolean
omni_cli_settings_get (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autofree char *value = NULL;
  const char *key;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  key = ctx->argv[1];

  if (!omni_cli_check_choice (key, "KEY", setting_keys, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  /* An unset value (no default reorder point) prints as an empty line, or null. */
  value = omni_store_get_setting (store, key);
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);

  print_setting (ctx, key, value);
  return TRUE;
}

gboolean
omni_cli_settings_set (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  const char *key;
  const char *value;

  if (!omni_cli_context_parse (ctx, NULL, 2, 2, error))
    return FALSE;
  key = ctx->argv[1];
  value = ctx->argv[2];

  if (!omni_cli_check_choice (key, "KEY", setting_keys, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (!omni_store_set_setting (store, key, value, error))
    return FALSE;

  if (ctx->json)
    print_setting (ctx, key, *value != '\0' ? value : NULL);
  else
    omni_cli_output_print (ctx->out, _("%s is now “%s”.\n"), key, value);

  return TRUE;
}
