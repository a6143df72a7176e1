/* test-store.c: opening, migrating and refusing databases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "omni-store.h"
#include "test-store-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("omni-store-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = test_store_new_location (f->dir, "shop.db");
}

/* Cases about the SQLite file itself: its header, WAL, folders, bytes. */
static gboolean
skip_unless_sqlite (void)
{
  if (!test_store_is_postgresql ())
    return FALSE;
  g_test_skip ("This case reads or writes the SQLite file itself");
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Runs SQL on the file behind the store's back, as another program would. */
static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("raw_exec failed: %s", message);
  sqlite3_close (db);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

/* Opening `path` must fail with `code`, leave the file byte-for-byte as it
 * was, and leave no journal behind. */
static void
assert_refused_untouched (const char     *path,
                          OmniStoreError  code,
                          const char     *phrase)
{
  g_autoptr(GBytes) before = read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  store = omni_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, OMNI_STORE_ERROR, (int)code);
  g_assert_nonnull (strstr (error->message, phrase));
  g_assert_nonnull (strstr (error->message, "left untouched"));

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_create_and_reopen (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  int latest = omni_store_get_latest_schema_version ();

  if (skip_unless_sqlite ())
    return;

  g_assert_cmpint (latest, >=, 1);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (omni_store_get_path (store), ==, f->path);
  g_assert_cmpint (omni_store_get_schema_version (store), ==, latest);
  g_assert_true (omni_store_is_empty (store));
  g_assert_cmpint (omni_store_add_location (store, "Shop Floor", TRUE, &error), ==, 1);
  g_assert_no_error (error);
  g_clear_object (&store);

  /* What another program sees: our marks, WAL, every table of the design. */
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, latest);
  g_assert_cmpint (raw_int (f->path, "PRAGMA application_id"), ==, 0x4F4D4E49);
  g_assert_cmpint (raw_int (f->path,
                            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
                            " ('products', 'product_options', 'variants', 'locations',"
                            " 'stock_levels', 'movements', 'count_sessions', 'count_lines',"
                            " 'channels', 'channel_links', 'outbox', 'orders', 'order_lines',"
                            " 'webhook_events', 'sync_log', 'search_index', 'search_digits')"),
                   ==, 17);
  /* every table STRICT but FTS5's */
  g_assert_cmpint (raw_int (f->path,
                            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                            " AND name NOT LIKE 'search_index%' AND name NOT LIKE 'search_digits%'"
                            " AND name NOT LIKE 'sqlite%' AND sql NOT LIKE '%STRICT%'"), ==, 0);

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_schema_version (store), ==, latest);
  g_assert_cmpint (omni_store_find_location (store, "shop floor", &error), ==, 1);
  g_assert_no_error (error);
  currency = omni_store_get_setting (store, "currency");
  g_assert_cmpstr (currency, ==, "USD");
  /* WAL mode: the write-ahead log sits beside the open database. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_empty_file_is_migrated (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_unless_sqlite ())
    return;

  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_get_schema_version (store), ==,
                   omni_store_get_latest_schema_version ());
}

static void
test_creates_missing_folders (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *deep = g_build_filename (f->dir, "a", "b", "shop.db", NULL);
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_unless_sqlite ())
    return;

  store = omni_store_open (deep, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (deep, G_FILE_TEST_IS_REGULAR));
}

static void
test_refuses_newer_version (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_unless_sqlite ())
    return;

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  /* Checkpoint into the main file so the newer version lives there alone. */
  raw_exec (f->path, "PRAGMA user_version = 9999; PRAGMA journal_mode = DELETE;");

  assert_refused_untouched (f->path, OMNI_STORE_ERROR_TOO_NEW, "newer version of OmniStock");
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 9999);
}

static void
test_refuses_text_file (Fixture       *f,
                        gconstpointer  data)
{
  const char *text = "Handle,Title\nmug,Coffee Mug\n";

  if (skip_unless_sqlite ())
    return;

  g_assert_true (g_file_set_contents (f->path, text, -1, NULL));
  assert_refused_untouched (f->path, OMNI_STORE_ERROR_NOT_A_DATABASE, "not a SQLite file");
}

static void
test_refuses_short_file (Fixture       *f,
                         gconstpointer  data)
{
  if (skip_unless_sqlite ())
    return;

  g_assert_true (g_file_set_contents (f->path, "SQLite", -1, NULL));
  assert_refused_untouched (f->path, OMNI_STORE_ERROR_NOT_A_DATABASE, "not a SQLite file");
}

static void
test_refuses_foreign_database (Fixture       *f,
                               gconstpointer  data)
{
  if (skip_unless_sqlite ())
    return;

  raw_exec (f->path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                     "INSERT INTO moz_places (url) VALUES ('https://example.org');");
  assert_refused_untouched (f->path, OMNI_STORE_ERROR_NOT_A_DATABASE, "another program");
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM moz_places"), ==, 1);
}

static void
test_refuses_corrupt_file (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (skip_unless_sqlite ())
    return;

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  raw_exec (f->path, "PRAGMA journal_mode = DELETE;");

  /* Keep the 100-byte header, wreck the schema page behind it. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096);
  memset (contents + 100, 0xA5, 3000);
  g_assert_true (g_file_set_contents (f->path, contents, length, NULL));

  assert_refused_untouched (f->path, OMNI_STORE_ERROR_CORRUPT, "malformed");
}

static void
test_resolve_path (void)
{
  g_autofree char *from_cli = NULL;
  g_autofree char *from_env = NULL;
  g_autofree char *from_xdg = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("OMNISTOCK_DB"));

  g_setenv ("OMNISTOCK_DB", "/tmp/env.db", TRUE);
  from_cli = omni_store_resolve_path ("/tmp/cli.db");
  from_env = omni_store_resolve_path (NULL);
  g_unsetenv ("OMNISTOCK_DB");
  from_xdg = omni_store_resolve_path (NULL);
  expected = g_build_filename (g_get_user_data_dir (), "omnistock", "omnistock.db", NULL);
  if (saved != NULL)
    g_setenv ("OMNISTOCK_DB", saved, TRUE);

  g_assert_cmpstr (from_cli, ==, "/tmp/cli.db");
  g_assert_cmpstr (from_env, ==, "/tmp/env.db");
  g_assert_cmpstr (from_xdg, ==, expected);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_false (omni_store_set_setting (store, "currency", "euro", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ISO 4217"));
  g_clear_error (&error);

  g_assert_true (omni_store_set_setting (store, "currency", "EUR", &error));
  g_assert_no_error (error);
  currency = omni_store_get_setting (store, "currency");
  g_assert_cmpstr (currency, ==, "EUR");
  g_assert_null (omni_store_get_setting (store, "no-such-key"));
}

static void
test_nested_transactions (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_true (omni_store_begin (store, &error));
  g_assert_cmpint (omni_store_add_location (store, "Shop", TRUE, &error), >, 0);
  g_assert_true (omni_store_begin (store, &error));
  g_assert_cmpint (omni_store_add_location (store, "Cellar", FALSE, &error), >, 0);
  omni_store_rollback (store);   /* inner only */
  g_assert_true (omni_store_commit (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (omni_store_find_location (store, "Shop", NULL), >, 0);
  g_assert_cmpint (omni_store_find_location (store, "Cellar", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (omni_store_begin (store, &error));
  g_assert_cmpint (omni_store_add_location (store, "Van", FALSE, &error), >, 0);
  omni_store_rollback (store);
  g_assert_cmpint (omni_store_find_location (store, "Van", NULL), ==, 0);
}

static void
test_empty_stats (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(OmniStoreStats) stats = { 0 };
  g_autofree char *report = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_true (omni_store_get_stats (store, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.products, ==, 0);
  g_assert_cmpint (stats.variants, ==, 0);
  g_assert_cmpint (stats.units_on_hand, ==, 0);
  g_assert_cmpint (stats.stock_value, ==, 0);
  g_assert_cmpstr (stats.currency, ==, "USD");

  g_assert_true (omni_store_integrity_check (store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");
  mismatches = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

/* Another process opens and closes the database while this one has it open
 * twice. The second open must keep the process's locks on the file (closing
 * any other descriptor of it drops them all): without them, the other
 * process, believing itself the last one, checkpoints and deletes the
 * write-ahead log this one still writes into, and those writes are lost. */
static void
test_second_open_keeps_locks (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OmniStore) first = NULL;
  g_autoptr(OmniStore) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  if (g_test_subprocess ())
    {
      /* The other process: opens, reads, closes. */
      const char *expect = g_getenv ("OMNI_TEST_EXPECT");
      g_autoptr(OmniStore) other = omni_store_open (g_getenv ("OMNI_TEST_SHARED_DB"), &error);
      g_autofree char *value = NULL;

      g_assert_no_error (error);
      value = omni_store_get_setting (other, "probe");
      g_assert_cmpstr (value, ==, expect);
      return;
    }
  if (skip_unless_sqlite ())
    return;

  first = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_setting (first, "probe", "before", &error));
  second = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  g_setenv ("OMNI_TEST_SHARED_DB", f->path, TRUE);
  g_setenv ("OMNI_TEST_EXPECT", "before", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* Written after the other process closed: still seen by the next one. */
  g_assert_true (omni_store_set_setting (first, "probe", "after", &error));
  g_assert_no_error (error);
  g_setenv ("OMNI_TEST_EXPECT", "after", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unsetenv ("OMNI_TEST_SHARED_DB");
  g_unsetenv ("OMNI_TEST_EXPECT");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create-and-reopen", test_create_and_reopen);
  ADD ("empty-file-is-migrated", test_empty_file_is_migrated);
  ADD ("creates-missing-folders", test_creates_missing_folders);
  ADD ("refuses-newer-version", test_refuses_newer_version);
  ADD ("refuses-text-file", test_refuses_text_file);
  ADD ("refuses-short-file", test_refuses_short_file);
  ADD ("refuses-foreign-database", test_refuses_foreign_database);
  ADD ("refuses-corrupt-file", test_refuses_corrupt_file);
  ADD ("second-open-keeps-locks", test_second_open_keeps_locks);
  ADD ("settings", test_settings);
  ADD ("nested-transactions", test_nested_transactions);
  ADD ("empty-stats", test_empty_stats);
  g_test_add_func ("/omni/store/resolve-path", test_resolve_path);

#undef ADD

  return g_test_run ();
}
