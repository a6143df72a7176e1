/* test-backup.c: backups, restores, the copy before a migration, and two
 * processes writing one database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "omni-core-resources.h"
#include "omni-store-backup.h"
#include "omni-store-channel.h"
#include "omni-store-count.h"
#include "omni-store-inventory.h"
#include "test-cli-util.h"

#define N_VARIANTS 40

/* Helpers --------------------------------------------------------------- */

static char *
sku_of (guint i)
{
  return g_strdup_printf ("BK-%04u", i);
}

/* N_VARIANTS products with i + 1 on hand each at "Shop Floor". */
static void
add_catalog (OmniStore *store,
             guint      n)
{
  g_autoptr(GError) error = NULL;
  gint64 location = omni_store_add_location (store, "Shop Floor", TRUE, &error);

  g_assert_no_error (error);
  g_assert_true (omni_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = sku_of (i);
      g_autofree char *title = g_strdup_printf ("Backup item %u", i);
      const OmniProductSpec product = { .title = title };
      const OmniVariantSpec variant = {
        .sku = sku, .price = 500, .compare_at_price = -1, .cost = 200,
        .reorder_point = -1, .reorder_qty = -1,
      };
      gint64 id = 0;
      OmniMovementSpec m = {
        .location_id = location, .on_hand_delta = (gint64) i + 1,
        .reason = OMNI_REASON_RECEIVED, .source = "app",
      };

      g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error), >, 0);
      m.variant_id = id;
      g_assert_true (omni_store_record_movements (store, &m, 1, &error));
    }
  g_assert_true (omni_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
adjust_all (OmniStore *store,
            gint64     delta)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_VARIANTS; i++)
    {
      g_autofree char *sku = sku_of (i);
      OmniMovementSpec m = {
        .variant_id = omni_store_find_variant (store, sku, NULL),
        .location_id = omni_store_get_default_location (store, NULL),
        .on_hand_delta = delta, .reason = OMNI_REASON_CORRECTION, .source = "app",
      };

      g_assert_true (omni_store_record_movements (store, &m, 1, &error));
      g_assert_no_error (error);
    }
}

static gint64
on_hand (OmniStore *store,
         guint      i)
{
  g_autofree char *sku = sku_of (i);
  g_autoptr(GPtrArray) levels = omni_store_get_levels (store, omni_store_find_variant (store, sku, NULL),
                                                       NULL);
  gint64 total = 0;

  g_assert_nonnull (levels);
  for (guint l = 0; l < levels->len; l++)
    total += ((OmniLevel *) levels->pdata[l])->on_hand;
  return total;
}

/* Every variant has i + 1 + @delta, and the store passes `check`. */
static void
assert_quantities (const char *path,
                   gint64      delta)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (path, &error);
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autofree char *report = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < N_VARIANTS; i++)
    g_assert_cmpint (on_hand (store, i), ==, (gint64) i + 1 + delta);
  g_assert_true (omni_store_integrity_check (store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");
  mismatches = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

static gint64
size_of (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return -1;
  return (gint64) st.st_size;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GBytes) bytes = read_file (from);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (to, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
in_dir (Fixture    *f,
        const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Cases ----------------------------------------------------------------- */

/* A backup while the app holds the database open with changes only in its
 * WAL: the backup has them, a copy of the main file alone does not. */
static void
test_backup_includes_wal (Fixture       *f,
                          gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) app = open_store (f->db);
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(OmniStore) main_only = NULL;
  g_autofree char *backup = in_dir (f, "shop-backup.db");
  g_autofree char *plain = in_dir (f, "main-file-only.db");
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autoptr(OmniBackupInfo) verified = NULL;
  g_auto(OmniStoreStats) stats = { 0 };

  add_catalog (app, N_VARIANTS);
  adjust_all (app, 3);
  /* Everything so far is in the WAL; the main file alone lacks it (below).
   * (The CLI, closing last, may fold the WAL back after its backup.) */
  g_assert_cmpint (size_of (wal), >, 0);
  copy_file (f->db, plain);

  run_cli (f, &result, "--db", f->db, "--json", "backup", backup);
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpstr (member_string (json, "path"), ==, backup);
  g_assert_cmpint (member_int (json, "bytes"), ==, size_of (backup));
  g_assert_cmpint (member_int (json, "schema_version"), ==, omni_store_get_latest_schema_version ());

  /* Self-contained: no -wal beside it, and it verifies. */
  {
    g_autofree char *backup_wal = g_strconcat (backup, "-wal", NULL);

    g_assert_false (g_file_test (backup_wal, G_FILE_TEST_EXISTS));
  }
  verified = omni_store_verify_backup (backup, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verified->schema_version, ==, omni_store_get_latest_schema_version ());
  assert_quantities (backup, 3);

  main_only = omni_store_open (plain, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_get_stats (main_only, &stats, &error));
  g_assert_cmpint (stats.variants, <, N_VARIANTS);

  /* The text form. */
  cli_result_clear (&result);
  {
    g_autofree char *second = in_dir (f, "second.db");
    g_autofree char *expected = NULL;

    run_cli (f, &result, "--db", f->db, "backup", second);
    assert_success (&result);
    g_assert_true (g_str_has_prefix (result.out, "Backed up "));
    expected = g_strdup_printf (" to %s (", second);
    g_assert_nonnull (strstr (result.out, expected));
  }
}

static void
test_backup_refuses_existing (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autofree char *dest = in_dir (f, "precious.txt");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(OmniStore) store = open_store (f->db);

    add_catalog (store, N_VARIANTS);
  }
  g_assert_true (g_file_set_contents (dest, "not to be lost\n", -1, &error));
  before = read_file (dest);

  run_cli (f, &result, "--db", f->db, "backup", dest);
  assert_failure (&result, 3);
  g_assert_nonnull (strstr (result.err, "already exists"));
  g_assert_nonnull (strstr (result.err, "--force"));
  g_assert_cmpstr (result.out, ==, "");
  after = read_file (dest);
  g_assert_true (g_bytes_equal (before, after));

  /* Into the database itself: refused too. */
  cli_result_clear (&result);
  run_cli (f, &result, "--db", f->db, "backup", "--force", f->db);
  assert_failure (&result, 2);
  assert_quantities (f->db, 0);

  cli_result_clear (&result);
  run_cli (f, &result, "--db", f->db, "backup", "--force", dest);
  assert_success (&result);
  assert_quantities (dest, 0);
}

static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autofree char *backup = in_dir (f, "monday.db");
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniBackupInfo) info = NULL;

  {
    g_autoptr(OmniStore) store = open_store (f->db);

    add_catalog (store, N_VARIANTS);
    info = omni_store_backup (store, backup, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (info->bytes, ==, size_of (backup));
    /* Tuesday's changes, which the restore takes back. */
    adjust_all (store, -1);
  }
  assert_quantities (f->db, -1);

  run_cli (f, &result, "--db", f->db, "--json", "restore", backup);
  assert_success (&result);
  json = parse_json_object (result.out);
  g_assert_cmpstr (member_string (json, "path"), ==, f->db);
  g_assert_cmpstr (member_string (json, "from"), ==, backup);
  g_assert_cmpint (member_int (json, "schema_version"), ==, omni_store_get_latest_schema_version ());
  {
    g_autofree char *safety = g_strconcat (f->db, ".before-restore.bak", NULL);

    g_assert_cmpstr (member_string (json, "safety_copy"), ==, safety);
    /* What was replaced is kept. */
    assert_quantities (safety, -1);
  }
  assert_quantities (f->db, 0);
}

/* The app keeps its connection open across a restore, and sees the
 * restored quantities on its next read. */
static void
test_restore_while_open (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *backup = in_dir (f, "before.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) app = open_store (f->db);
  g_autoptr(OmniBackupInfo) saved = NULL;
  g_autoptr(OmniBackupInfo) restored = NULL;

  add_catalog (app, N_VARIANTS);
  saved = omni_store_backup (app, backup, FALSE, &error);
  g_assert_no_error (error);
  adjust_all (app, 5);
  g_assert_cmpint (on_hand (app, 7), ==, 13);

  restored = omni_store_restore (f->db, backup, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored->safety_copy);
  g_assert_cmpint (on_hand (app, 7), ==, 8);
  assert_quantities (f->db, 0);
}

/* Each refused restore names the problem and leaves the live database
 * byte for byte as it was. */
static void
test_restore_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *garbage = in_dir (f, "notes.txt");
  g_autofree char *foreign = in_dir (f, "other-program.db");
  g_autofree char *too_new = in_dir (f, "from-the-future.db");
  g_autofree char *damaged = in_dir (f, "damaged.db");
  g_autofree char *missing = in_dir (f, "missing.db");
  g_autofree char *good = in_dir (f, "good.db");
  g_autofree char *safety = g_strconcat (f->db, ".before-restore.bak", NULL);
  g_autofree char *future_sql = NULL;
  g_autoptr(GBytes) live_before = NULL;
  g_autoptr(GError) error = NULL;
  struct {
    const char *path;
    int         status;
    const char *says;
  } cases[] = {
    { garbage, 2, "is not an OmniStock database (it is not a SQLite file)" },
    { foreign, 2, "a SQLite database of another program" },
    { too_new, 2, "newer version of OmniStock" },
    { damaged, 2, "is damaged" },
    { missing, 3, "Cannot read" },
    { f->db, 2, "the database itself" },
  };

  {
    g_autoptr(OmniStore) store = open_store (f->db);
    g_autoptr(OmniBackupInfo) info = NULL;

    add_catalog (store, N_VARIANTS);
    info = omni_store_backup (store, good, FALSE, &error);
    g_assert_no_error (error);
  }

  g_assert_true (g_file_set_contents (garbage, "Monday: order more tees\n", -1, &error));
  raw_exec (foreign, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello');");
  copy_file (good, too_new);
  future_sql = g_strdup_printf ("PRAGMA user_version = %d;",
                                omni_store_get_latest_schema_version () + 1);
  raw_exec (too_new, future_sql);
  /* A good backup with one of its table pages overwritten. */
  {
    g_autoptr(GBytes) bytes = read_file (good);
    gsize len = g_bytes_get_size (bytes);
    g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), len);

    g_assert_cmpuint (len, >=, 4096 * 8);
    for (gsize i = 4096 * 2 + 100; i < len; i++)
      if (i % 4096 >= 100)
        copy[i] = (guint8) (i * 31);
    g_assert_true (g_file_set_contents (damaged, (const char *) copy, (gssize) len, &error));
  }

  live_before = read_file (f->db);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_auto(CliResult) result = { 0 };
      g_autoptr(GBytes) live_after = NULL;
      g_autoptr(OmniBackupInfo) info = NULL;
      g_autoptr(GError) local_error = NULL;

      run_cli (f, &result, "--db", f->db, "restore", cases[c].path);
      assert_failure (&result, cases[c].status);
      g_assert_cmpstr (result.out, ==, "");
      if (strstr (result.err, cases[c].says) == NULL)
        g_error ("restore of %s said: %s", cases[c].path, result.err);
      if (cases[c].path != f->db)
        g_assert_nonnull (strstr (result.err, "Nothing was restored"));
      live_after = read_file (f->db);
      g_assert_true (g_bytes_equal (live_before, live_after));
      g_assert_false (g_file_test (safety, G_FILE_TEST_EXISTS));

      /* The library call refuses the same way. */
      info = omni_store_restore (f->db, cases[c].path, &local_error);
      g_assert_null (info);
      g_assert_nonnull (local_error);
    }
  assert_quantities (f->db, 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* A database of the schema before the latest: migrations 1..latest-1
 * applied by hand, the way an older OmniStock left it. */
static void
make_old_database (const char *path,
                   int         version)
{
  g_auto(GStrv) names = g_resource_enumerate_children (omni_core_get_resource (),
                                                       "/io/github/omnistock/core/migrations/",
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autofree char *pragmas = NULL;
  sqlite3 *db = NULL;

  g_assert_nonnull (names);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (sorted, names[i]);
  g_ptr_array_sort (sorted, compare_names);
  g_assert_cmpuint (sorted->len, >=, (guint) version);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (int v = 1; v <= version; v++)
    {
      g_autofree char *res = g_strconcat ("/io/github/omnistock/core/migrations/",
                                          (const char *) sorted->pdata[v - 1], NULL);
      g_autoptr(GBytes) script = g_resource_lookup_data (omni_core_get_resource (), res,
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autofree char *sql = g_strndup (g_bytes_get_data (script, NULL), g_bytes_get_size (script));

      if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
        g_error ("%s: %s", res, sqlite3_errmsg (db));
    }
  pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                             0x4F4D4E49, version);
  g_assert_cmpint (sqlite3_exec (db, pragmas, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_backup_before_migration (Fixture       *f,
                              gconstpointer  data)
{
  int latest = omni_store_get_latest_schema_version ();
  g_autofree char *expected = g_strdup_printf ("%s.before-v%d.bak", f->db, latest);
  g_autofree char *second = g_strdup_printf ("%s.before-v%d-2.bak", f->db, latest);
  g_autoptr(GBytes) old_bytes = NULL;
  g_autoptr(GBytes) copy_bytes = NULL;
  g_autoptr(GError) error = NULL;

  make_old_database (f->db, latest - 1);
  old_bytes = read_file (f->db);

  {
    g_autoptr(OmniStore) store = omni_store_open (f->db, &error);
    g_autoptr(OmniBackupInfo) info = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (omni_store_get_schema_version (store), ==, latest);
    info = omni_store_verify_backup (expected, &error);
    g_assert_no_error (error);
    g_assert_cmpint (info->schema_version, ==, latest - 1);
  }

  /* Opening at the latest version copies nothing more. */
  {
    g_autoptr(OmniStore) store = omni_store_open (f->db, &error);

    g_assert_no_error (error);
    g_assert_nonnull (store);
    g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));
  }

  /* Another old database at the same place: the first copy is kept. */
  copy_bytes = read_file (expected);
  g_unlink (f->db);
  make_old_database (f->db, latest - 1);
  {
    g_autoptr(OmniStore) store = omni_store_open (f->db, &error);
    g_autoptr(GBytes) kept = read_file (expected);

    g_assert_no_error (error);
    g_assert_nonnull (store);
    g_assert_true (g_file_test (second, G_FILE_TEST_EXISTS));
    g_assert_true (g_bytes_equal (kept, copy_bytes));
  }
  g_assert_nonnull (old_bytes);
}

/* Two processes writing one database: adjustments in a loop while a count
 * of many lines commits. Each succeeds or fails cleanly with a sentence
 * about the busy database; nothing is corrupted or half applied. */
static void
test_two_writers (Fixture       *f,
                  gconstpointer  data)
{
  const guint n = 1500;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) counter = NULL;
  g_autofree char *session_arg = NULL;
  g_autofree char *count_out = NULL;
  g_autofree char *count_err = NULL;
  const char *cli = g_getenv ("OMNISTOCK_CLI");
  gint64 counted_total = 0, session;
  guint adjusted = 0, busy = 0, runs = 0, beside = 0;

  {
    g_autoptr(OmniStore) store = open_store (f->db);
    gint64 shop, back;

    shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
    back = omni_store_add_location (store, "Back Room", FALSE, &error);
    g_assert_no_error (error);
    g_assert_true (omni_store_begin (store, &error));
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *sku = sku_of (i);
        const OmniProductSpec product = { .title = sku };
        const OmniVariantSpec variant = {
          .sku = sku, .price = 100, .compare_at_price = -1, .cost = -1,
          .reorder_point = -1, .reorder_qty = -1,
        };
        gint64 id = 0;
        OmniMovementSpec m = {
          .location_id = shop, .on_hand_delta = 5, .reason = OMNI_REASON_RECEIVED, .source = "app",
        };

        g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error), >, 0);
        m.variant_id = id;
        g_assert_true (omni_store_record_movements (store, &m, 1, &error));
      }
    g_assert_true (omni_store_commit (store, &error));
    g_assert_cmpint (back, >, 0);

    session = omni_store_count_start (store, shop, "all", NULL, "test", &error);
    g_assert_no_error (error);
    g_assert_true (omni_store_begin (store, &error));
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *sku = sku_of (i);

        g_assert_true (omni_store_count_set_line (store, session,
                                                  omni_store_find_variant (store, sku, NULL),
                                                  (gint64) (i % 4), &error));
        counted_total += (gint64) (i % 4);
      }
    g_assert_true (omni_store_commit (store, &error));
  }

  session_arg = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  counter = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              cli, "--db", f->db, "count", "commit", session_arg, NULL);
  g_assert_no_error (error);

  /* Adjustments from another process, before, during and after the commit. */
  while (runs < 200)
    {
      g_auto(CliResult) result = { 0 };

      beside += g_subprocess_get_identifier (counter) != NULL;
      run_cli (f, &result, "--db", f->db, "adjust", "BK-0000", "1", "--location", "Back Room");
      runs++;
      if (result.status == 0)
        adjusted++;
      else
        {
          g_assert_cmpint (result.status, ==, 3);
          g_assert_nonnull (strstr (result.err, "the database is busy"));
          busy++;
        }
      if (runs >= 12 && g_subprocess_get_identifier (counter) == NULL)
        break;
    }

  g_assert_true (g_subprocess_communicate_utf8 (counter, NULL, NULL, &count_out, &count_err, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (counter) != 0)
    {
      g_assert_cmpint (g_subprocess_get_exit_status (counter), ==, 3);
      g_assert_nonnull (strstr (count_err, "the database is busy"));
    }
  g_test_message ("%u adjustments, %u started while the count commit ran: %u applied, "
                  "%u refused as busy", runs, beside, adjusted, busy);

  {
    g_auto(CliResult) check = { 0 };
    g_autoptr(OmniStore) store = open_store (f->db);
    g_autoptr(OmniCountSession) info = omni_store_count_get (store, session, &error);
    gint64 back = omni_store_find_location (store, "Back Room", &error);
    gint64 shop = omni_store_find_location (store, "Shop Floor", &error);
    gint64 shop_total = 0;

    run_cli (f, &check, "--db", f->db, "check");
    assert_success (&check);

    g_assert_cmpint (omni_store_get_available_at (store, omni_store_find_variant (store, "BK-0000", NULL),
                                                  back), ==, adjusted);
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *sku = sku_of (i);

        shop_total += omni_store_get_available_at (store, omni_store_find_variant (store, sku, NULL), shop);
      }
    if (g_subprocess_get_exit_status (counter) == 0)
      {
        g_assert_cmpstr (info->state, ==, "committed");
        g_assert_cmpint (shop_total, ==, counted_total);
      }
    else
      {
        g_assert_cmpstr (info->state, ==, "open");
        g_assert_cmpint (shop_total, ==, 5 * (gint64) n);
      }
  }
}

/* A writer that holds the lock past the busy timeout: the other one gives
 * up with a sentence, and changes nothing. */
static void
test_busy_message (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) holder = open_store (f->db);

  add_catalog (holder, 2);
  g_assert_true (omni_store_begin (holder, &error));

  run_cli (f, &result, "--db", f->db, "adjust", "BK-0001", "4");
  assert_failure (&result, 3);
  g_assert_cmpstr (result.out, ==, "");
  if (strstr (result.err, "the database is busy: another program using it (an OmniStock "
                          "window or omnistock-cli) kept it locked for more than 5 seconds. "
                          "Try again") == NULL)
    g_error ("unexpected message: %s", result.err);

  omni_store_rollback (holder);
  g_assert_cmpint (on_hand (holder, 1), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/backup/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("includes-wal", test_backup_includes_wal);
  ADD ("refuses-existing", test_backup_refuses_existing);
  ADD ("restore", test_restore);
  ADD ("restore-while-open", test_restore_while_open);
  ADD ("restore-refused", test_restore_refused);
  ADD ("before-migration", test_backup_before_migration);
  ADD ("two-writers", test_two_writers);
  ADD ("busy-message", test_busy_message);

#undef ADD

  return g_test_run ();
}
