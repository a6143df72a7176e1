/* omni-db-pg.h: the PostgreSQL (libpq) half of a store connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-db.h"

G_BEGIN_DECLS

OmniDbPg   *_omni_db_pg_open           (const char    *conninfo,
                                        GError       **error);
void        _omni_db_pg_close          (OmniDbPg      *pg);
int         _omni_db_pg_prepare        (OmniDbPg      *pg,
                                        const char    *sql,
                                        OmniDbPgStmt **out);
/* Runs one or more statements without parameters (migrations, BEGIN, …). */
int         _omni_db_pg_exec           (OmniDbPg      *pg,
                                        const char    *sql);
const char *_omni_db_pg_errmsg         (OmniDbPg      *pg);
int         _omni_db_pg_errcode        (OmniDbPg      *pg);
gint64      _omni_db_pg_changes        (OmniDbPg      *pg);
gboolean    _omni_db_pg_in_transaction (OmniDbPg      *pg);

/* The SQL a statement written for SQLite becomes on PostgreSQL (exposed for
 * tests): `?NNN` and `?` become `$N`, `BEGIN IMMEDIATE` becomes `BEGIN`,
 * `INSERT OR IGNORE` becomes `INSERT … ON CONFLICT DO NOTHING`; string
 * literals, quoted identifiers and comments are left as they are. */
char       *_omni_db_pg_rewrite_sql    (const char    *sql,
                                        int           *n_params);

G_END_DECLS
