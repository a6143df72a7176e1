/* test-store-util.c: where a store test keeps its store, on either backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-test"

#include "config.h"

#include "omni-store.h"
#include "pg-test-server.h"
#include "test-store-util.h"

/* The database every store database of this process is copied from. */
#define STORE_TEMPLATE "omni_test_store_template"

gboolean
test_store_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("OMNISTOCK_TEST_BACKEND"), "postgresql") == 0;
}

/* Loading the whole schema takes most of a second; copying a database that
 * has it takes a few milliseconds. The template gets its schema from
 * omni_store_open() itself, so it is always this build's, with every
 * migration, exactly as a new store's first open leaves it. */
static const char *
store_template (PgTestServer *server)
{
  static PgTestServer *prepared_for;
  g_autoptr(GError) error = NULL;

  if (prepared_for != server)
    {
      g_autofree char *uri = pg_test_server_create_named_database (server, STORE_TEMPLATE,
                                                                   &error);
      g_autoptr(OmniStore) store = NULL;

      g_assert_no_error (error);
      store = omni_store_open (uri, &error);
      g_assert_no_error (error);
      g_assert_cmpint (omni_store_get_schema_version (store), ==,
                       omni_store_get_latest_schema_version ());
      g_clear_object (&store);
      prepared_for = server;
    }
  return STORE_TEMPLATE;
}

char *
test_store_new_location (const char *tmp_dir,
                         const char *name)
{
  static GMutex lock;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  PgTestServer *server;
  char *uri;

  g_return_val_if_fail (tmp_dir != NULL && name != NULL, NULL);

  if (!test_store_is_postgresql ())
    return g_build_filename (tmp_dir, name, NULL);

  locker = g_mutex_locker_new (&lock);
  server = pg_test_server_get_shared ();
  uri = pg_test_server_copy_database (server, store_template (server), &error);
  g_assert_no_error (error);
  return uri;
}

char *
test_store_new_empty_location (const char *tmp_dir,
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
