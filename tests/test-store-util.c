/* test-store-util.c: where a store test keeps its store, on either backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-test"

#include "config.h"

#include "pg-test-server.h"
#include "test-store-util.h"

gboolean
test_store_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("OMNISTOCK_TEST_BACKEND"), "postgresql") == 0;
}

char *
test_store_new_location (const char *tmp_dir,
                         const char *name)
{
  g_autoptr(GError) error = NULL;
  char *uri;

  g_return_val_if_fail (tmp_dir != NULL && name != NULL, NULL);

  if (!test_store_is_postgresql ())
    return g_build_filename (tmp_dir, name, NULL);

  uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  return uri;
}
