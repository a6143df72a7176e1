/* test-database-util.h: the app's shared-store setting and keyring entry,
 * as the window tests of the database preferences and of opening a shared
 * store read and set them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-context.h"
#include "omni-database-dialog.h"
#include "omni-secret.h"

/* The `database` GSettings key: where the app opens its store. */
static inline char *
get_key (void)
{
  g_autoptr(GSettings) settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);

  return g_settings_get_string (settings, "database");
}

static inline void
set_key (const char *value)
{
  g_autoptr(GSettings) settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);

  g_settings_set_string (settings, "database", value);
}

/* The keyring's password for @account, or NULL when it holds none. */
static inline char *
kept_password (const char *account)
{
  g_autoptr(GError) error = NULL;
  char *secret = omni_secret_lookup (OMNI_DATABASE_PASSWORD_PLATFORM, account, NULL, &error);
  char *copy = g_strdup (secret);

  omni_secret_free (secret);
  return copy;
}
