/* omni-cli-db.h: where the database lives (a file or a PostgreSQL server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

#define OMNI_CLI_DB_PASSWORD_PLATFORM "postgresql"

void     omni_cli_db_load_password (const char      *location);
gboolean omni_cli_db_password      (OmniCliContext  *ctx,
                                    GError         **error);
gboolean omni_cli_migrate_to       (OmniCliContext  *ctx,
                                    GError         **error);

G_END_DECLS
