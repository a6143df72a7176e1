/* omni-database-dialog.h: moving the shop to a shared PostgreSQL database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

/* The keyring entry of a PostgreSQL store's password: the same as the
 * CLI's (`omnistock-cli --db URI db password`), so both find it. The
 * account is the URI without its password, omni_store_redact_location(). */
#define OMNI_DATABASE_PASSWORD_PLATFORM "postgresql"
#define OMNI_DATABASE_PASSWORD_LABEL    "OmniStock database password"

#define OMNI_TYPE_DATABASE_DIALOG (omni_database_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmniDatabaseDialog, omni_database_dialog, OMNI, DATABASE_DIALOG, AdwWindow)

OmniDatabaseDialog *omni_database_dialog_new              (GtkWindow   *parent,
                                                           OmniContext *context);

char               *omni_database_describe_location       (const char  *location);

G_END_DECLS
