/* omni-cli-shop.c: the shop itself: locations, staff profiles and the
 * database settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-shop.h"
#include "omni-store-staff.h"

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

/* staff --------------------------------------------------------------- */

/* Staff profiles say who made each change in the app (see
 * omni-store-staff.h). The CLI runs as the operating system's account,
 * which may open the database file anyway: it asks for no owner's PIN. A
 * new profile's PIN comes from stdin, never the command line. */

static void
add_staff_json (JsonBuilder *builder,
                gint64       id,
                const char  *name,
                const char  *role,
                gboolean     has_pin)
{
  json_builder_begin_object (builder);
  omni_cli_json_add_int (builder, "id", id);
  omni_cli_json_add_string (builder, "name", name);
  omni_cli_json_add_string (builder, "role", role);
  omni_cli_json_add_boolean (builder, "pin", has_pin);
  json_builder_end_object (builder);
}

static const char *
role_label (const char *role)
{
  return g_str_equal (role, "owner") ? _("owner") : _("staff");
}

/* The active profile named @name (case as stored), or %NULL with @error. */
static OmniStaff *
find_staff (GPtrArray   *staff,
            const char  *name,
            GError     **error)
{
  for (guint i = 0; i < staff->len; i++)
    if (g_strcmp0 (((OmniStaff *)staff->pdata[i])->name, name) == 0)
      return staff->pdata[i];
  g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_NOT_FOUND,
               _("there is no staff profile “%s”"), name);
  return NULL;
}

gboolean
omni_cli_staff_list (OmniCliContext  *ctx,
                     GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) staff = NULL;

  if (!omni_cli_context_parse (ctx, NULL, 0, 0, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  staff = omni_store_list_staff (store, error);
  if (staff == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < staff->len; i++)
        {
          OmniStaff *s = staff->pdata[i];

          add_staff_json (builder, s->id, s->name, s->role, s->has_pin);
        }
      json_builder_end_array (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }
  if (staff->len == 0)
    omni_cli_output_print (ctx->out, _("No staff profiles: changes name the account "
                                       "that made them.\n"));
  for (guint i = 0; i < staff->len; i++)
    {
      OmniStaff *s = staff->pdata[i];

      omni_cli_output_print (ctx->out, "%s\t%s%s\n", s->name, role_label (s->role),
                             s->has_pin ? _(", PIN") : "");
    }
  return TRUE;
}

gboolean
omni_cli_staff_add (OmniCliContext  *ctx,
                    GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autofree char *role = NULL;
  char *pin = NULL;
  gboolean with_pin = FALSE;
  const char *name;
  gint64 id;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      N_("owner or staff (staff unless given)"), N_("ROLE") },
    { "pin", 0, 0, G_OPTION_ARG_NONE, &with_pin,
      N_("Read a PIN of 4 to 12 digits from stdin"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;
  if (role != NULL && !g_str_equal (role, "owner") && !g_str_equal (role, "staff"))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("staff add: --role must be owner or staff, not “%s”"), role);
      return FALSE;
    }
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (with_pin && (pin = omni_cli_read_secret (_("PIN"), error)) == NULL)
    return FALSE;

  /* the store keeps the name as given */
  name = ctx->argv[1];
  if (role == NULL)
    role = g_strdup ("staff");
  id = omni_store_add_staff (store, name, role, pin, error);
  if (pin != NULL)
    {
      memset (pin, 0, strlen (pin));
      g_free (pin);
    }
  if (id == 0)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_staff_json (builder, id, name, role, with_pin);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, _("Added staff profile “%s” (%s%s).\n"), name,
                           role_label (role), with_pin ? _(", with a PIN") : "");
  return TRUE;
}

gboolean
omni_cli_staff_archive (OmniCliContext  *ctx,
                        GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  OmniStaff *found;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  staff = omni_store_list_staff (store, error);
  if (staff == NULL || (found = find_staff (staff, ctx->argv[1], error)) == NULL ||
      !omni_store_archive_staff (store, found->id, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_staff_json (builder, found->id, found->name, found->role, found->has_pin);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, _("Archived staff profile “%s”; the changes it made keep "
                                       "its name.\n"), found->name);
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
