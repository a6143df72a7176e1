/* pg-test-server.h: a private PostgreSQL server for one test process
 *
 * pg_test_server_start() puts a newly initialised cluster into a fresh
 * directory (in /dev/shm when it has room, since creating a database there
 * is ten times faster than on a disk; else in the temporary directory;
 * OMNISTOCK_PG_TEST_DIR names another parent) and starts `postgres` on a Unix socket in that
 * directory only (no TCP), with trust authentication for the role
 * `omnistock` and durability switched off. When the test runs as root, initdb and postgres (which refuse root) run as
 * the `postgres` system user. The server receives SIGTERM if the thread that
 * started it dies, so a crashed test leaves no server behind.
 *
 * initdb runs once per PostgreSQL version and locale: its data directory is
 * kept in pg-test-cache/ under G_TEST_BUILDDIR (else under the temporary
 * directory), created under a lock so that parallel tests wait for the
 * first, and each server starts on a copy of it. OMNISTOCK_PG_TEST_NO_CACHE
 * in the environment runs initdb for every server instead.
 *
 * The server logs to server.log in its directory, or appends to the file
 * named by OMNISTOCK_PG_TEST_LOG (kept after the test: every failed
 * statement is there with its SQL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PgTestServer PgTestServer;

PgTestServer *pg_test_server_start           (GError       **error);
/* The same with the cluster's default collation and character classes set
 * to @locale (initdb --locale, e.g. "en_US.UTF-8") instead of none, as a
 * server set up for a merchant's language has them; %NULL: no locale. */
PgTestServer *pg_test_server_start_with_locale (const char  *locale,
                                                GError     **error);
/* A new empty database; returns its libpq URI,
 * postgresql://omnistock@<percent-encoded socket dir>:PORT/NAME */
char         *pg_test_server_create_database (PgTestServer  *server,
                                              GError       **error);
/* A new empty database named @name (an identifier), e.g. one to become a
 * template for pg_test_server_copy_database(); returns its URI. */
char         *pg_test_server_create_named_database (PgTestServer  *server,
                                                    const char    *name,
                                                    GError       **error);
/* A new database that is a copy of the database @template_name (CREATE
 * DATABASE … TEMPLATE), which nobody may be connected to; returns its URI. */
char         *pg_test_server_copy_database  (PgTestServer  *server,
                                             const char    *template_name,
                                             GError       **error);
/* Fast shutdown, then the directory is removed. */
void          pg_test_server_stop            (PgTestServer  *server);

const char   *pg_test_server_get_socket_dir  (PgTestServer  *server);
guint         pg_test_server_get_port        (PgTestServer  *server);

/* One server per test process, started on first use (from the main thread)
 * and stopped at exit; aborts the test with the server's log if it cannot
 * start. */
PgTestServer *pg_test_server_get_shared      (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgTestServer, pg_test_server_stop)

G_END_DECLS
