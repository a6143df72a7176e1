/* test-store-watch.c: an OmniStock window hears another till's change to a
 * shared (PostgreSQL) store within a second, and nothing for a change that
 * was rolled back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "omni-store.h"
#include "omni-store-private.h"
#include "omni-store-watch.h"
#include "pg-test-server.h"

typedef struct
{
  guint    n_changed;
  gboolean timed_out;
} Heard;

static void
on_changed (OmniStoreWatch *watch,
            Heard          *heard)
{
  heard->n_changed++;
}

static gboolean
on_timeout (gpointer data)
{
  Heard *heard = data;

  heard->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until a change is heard or @ms pass. */
static gint64
wait_for_change (Heard *heard,
                 guint  ms)
{
  gint64 start = g_get_monotonic_time ();
  guint timeout;

  heard->timed_out = FALSE;
  timeout = g_timeout_add (ms, on_timeout, heard);
  while (heard->n_changed == 0 && !heard->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!heard->timed_out)
    g_source_remove (timeout);
  return (g_get_monotonic_time () - start) / 1000;
}

static void
test_other_connection_heard (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_autoptr(OmniStore) till = NULL;
  g_autoptr(OmniStoreWatch) watch = NULL;
  Heard heard = { 0, };
  gint64 ms;

  g_assert_no_error (error);
  till = omni_store_open (uri, &error);
  g_assert_no_error (error);
  watch = omni_store_watch_new (uri, &error);
  g_assert_no_error (error);
  g_signal_connect (watch, "changed", G_CALLBACK (on_changed), &heard);

  /* Nothing happens: nothing is heard. */
  wait_for_change (&heard, 300);
  g_assert_cmpuint (heard.n_changed, ==, 0);

  /* A rolled-back change is never announced. */
  g_assert_true (omni_store_begin (till, &error));
  g_assert_cmpint (omni_store_add_location (till, "Back room", FALSE, &error), >, 0);
  g_assert_no_error (error);
  omni_store_rollback (till);
  wait_for_change (&heard, 500);
  g_assert_cmpuint (heard.n_changed, ==, 0);

  /* Another till's committed change is heard well within a second. */
  g_assert_cmpint (omni_store_add_location (till, "Shop floor", FALSE, &error), >, 0);
  g_assert_no_error (error);
  ms = wait_for_change (&heard, 5000);
  g_assert_cmpuint (heard.n_changed, >=, 1);
  g_assert_cmpint (ms, <, 1000);
  g_test_message ("change heard after %" G_GINT64_FORMAT " ms", ms);
}

/* The server drops the watch's connection (a restart, a network cut): the
 * watch reconnects on its own, off the main loop, says something may have
 * changed meanwhile, and hears the next change again. */
static void
test_reconnects (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_autoptr(OmniStore) till = NULL;
  g_autoptr(OmniStoreWatch) watch = NULL;
  Heard heard = { 0, };
  gint64 ms;

  g_assert_no_error (error);
  till = omni_store_open (uri, &error);
  g_assert_no_error (error);
  watch = omni_store_watch_new (uri, &error);
  g_assert_no_error (error);
  g_signal_connect (watch, "changed", G_CALLBACK (on_changed), &heard);

  g_assert_true (_omni_store_exec (till, "SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                                   " WHERE datname = current_database ()"
                                   " AND pid <> pg_backend_pid () AND query ILIKE 'LISTEN%'",
                                   &error));
  g_assert_no_error (error);

  /* Back within the retry interval (5 s) plus the reconnection. */
  ms = wait_for_change (&heard, 15000);
  g_assert_cmpuint (heard.n_changed, ==, 1);
  g_test_message ("reconnected and announced after %" G_GINT64_FORMAT " ms", ms);

  heard.n_changed = 0;
  g_assert_cmpint (omni_store_add_location (till, "Stock room", FALSE, &error), >, 0);
  g_assert_no_error (error);
  ms = wait_for_change (&heard, 5000);
  g_assert_cmpuint (heard.n_changed, >=, 1);
  g_assert_cmpint (ms, <, 1000);
}

static void
test_file_store_not_watched (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStoreWatch) watch = omni_store_watch_new ("/tmp/omni-watch-never.db", &error);

  g_assert_null (watch);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_false (g_file_test ("/tmp/omni-watch-never.db", G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-watch/other-connection-heard", test_other_connection_heard);
  g_test_add_func ("/store-watch/reconnects", test_reconnects);
  g_test_add_func ("/store-watch/file-store-not-watched", test_file_store_not_watched);

  return g_test_run ();
}
