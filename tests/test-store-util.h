/* test-store-util.h: where a store test keeps its store, on either backend
 *
 * With OMNISTOCK_TEST_BACKEND=postgresql in the environment, each new
 * location is a fresh database on a PostgreSQL server private to the test
 * process (tests/pg-test-server.h); otherwise it is a file in the test's
 * temporary directory, as before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  test_store_is_postgresql (void);
/* @tmp_dir/@name, or a postgresql:// URI of a new empty database. */
char     *test_store_new_location  (const char *tmp_dir,
                                    const char *name);

G_END_DECLS
