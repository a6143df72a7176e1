/* pg-test-server.h: a private PostgreSQL server for one test process
 *
 * pg_test_server_start() runs initdb into a fresh temporary directory and
 * starts `postgres` on a Unix socket in that directory only (no TCP), with
 * trust authentication for the role `omnistock` and durability switched off.
 * When the test runs as root, initdb and postgres (which refuse root) run as
 * the `postgres` system user. The server receives SIGTERM if the thread that
 * started it dies, so a crashed test leaves no server behind.
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
/* A new empty database; returns its libpq URI,
 * postgresql://omnistock@<percent-encoded socket dir>:PORT/NAME */
char         *pg_test_server_create_database (PgTestServer  *server,
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
