/* omni-db-pg.h: the PostgreSQL (libpq) half of a store connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-db.h"
#include "omni-pq.h"

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
 * `INSERT OR IGNORE` becomes `INSERT … ON CONFLICT DO NOTHING`, `temp.name`
 * becomes `pg_temp.name`; string literals, quoted identifiers, comments and
 * dollar quotes are left as they are. @n_params: the highest $N. */
char       *_omni_db_pg_rewrite_sql    (const char    *sql,
                                        int           *n_params);

/* The libpq connection, for what only libpq offers (advisory locks, COPY). */
PGconn     *_omni_db_pg_get_conn       (OmniDbPg      *pg);
/* LISTEN on @channel (quoted, so its case is kept); repeated after
 * _omni_db_pg_reconnect(). */
gboolean    _omni_db_pg_listen         (OmniDbPg      *pg,
                                        const char    *channel,
                                        GError       **error);
/* The payloads of the notifications received so far, oldest first; never
 * blocks. (transfer full) (element-type utf8): empty when there are none. */
GPtrArray  *_omni_db_pg_take_notifications (OmniDbPg  *pg);
/* The socket to watch (G_IO_IN) for notifications; -1 when not connected.
 * Notifications that arrive while a statement runs are read with its result
 * and do not wake the socket: take them after statements too. */
int         _omni_db_pg_get_socket     (OmniDbPg      *pg);
gboolean    _omni_db_pg_is_connected   (OmniDbPg      *pg);
/* Opens the connection again with the same parameters after it was lost,
 * restoring the session settings and LISTENs. Any transaction that was open
 * is gone: call it only between transactions. */
gboolean    _omni_db_pg_reconnect      (OmniDbPg      *pg,
                                        GError       **error);
/* Inside a transaction each statement runs in its own savepoint so that a
 * failure undoes that statement only, as on SQLite (the default, TRUE).
 * FALSE exists to measure what that costs. */
void        _omni_db_pg_set_statement_savepoints (OmniDbPg *pg,
                                                  gboolean  enabled);

G_END_DECLS
