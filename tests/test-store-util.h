/* test-store-util.h: where a store test keeps its store, on either backend
 *
 * With OMNISTOCK_TEST_BACKEND=postgresql in the environment, each new
 * location is a fresh database on a PostgreSQL server private to the test
 * process (tests/pg-test-server.h); otherwise it is a file in the test's
 * temporary directory, as before.
 *
 * On PostgreSQL, test_store_new_location() gives a copy of a database that
 * omni_store_open() gave the current schema once per process: what a
 * store's first open leaves, without loading the schema again for every
 * case. A test of the first open itself (creating the schema in an empty
 * database) uses test_store_new_empty_location().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  test_store_is_postgresql (void);
/* @tmp_dir/@name, or a postgresql:// URI of a new database with the
 * store's schema and nothing else (as omni_store_open() creates it). */
char     *test_store_new_location  (const char *tmp_dir,
                                    const char *name);
/* @tmp_dir/@name, or a postgresql:// URI of a new empty database. */
char     *test_store_new_empty_location (const char *tmp_dir,
                                         const char *name);

G_END_DECLS
