/* omni-store-backup.c: online backups and verified restores of the store
 *
 * Both directions use SQLite's online backup API: a backup is one
 * consistent snapshot (committed WAL content included) taken while other
 * connections, the app's among them, keep reading and writing; a restore
 * copies a verified file over the live database in one step, under the
 * write lock, so other connections see either the old or the new database.
 *
 * A backup is written to a temporary file next to its destination, made a
 * self-contained rollback-journal database, checked, then renamed into
 * place: the destination is never a half-written file. A restore checks the
 * file first (an OmniStock database of a schema this version knows, passing
 * PRAGMA integrity_check) and touches nothing when it fails; before it
 * replaces a database that holds data it keeps a copy of it next to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "omni-store-backup.h"
#include "omni-store-private.h"

/* How long a backup or restore waits for another connection's lock, in
 * steps of BUSY_STEP_MS: as long as the store's own busy timeout. */
#define BUSY_STEP_MS  20
#define BUSY_STEPS    250
/* The most "-N" suffixes tried for an automatic copy's file name. */
#define MAX_SUFFIXES  1000

void
omni_backup_info_free (OmniBackupInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->safety_copy);
  g_free (info);
}

static OmniStoreError
code_for_rc (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      return OMNI_STORE_ERROR_NOT_A_DATABASE;
    case SQLITE_CORRUPT:
      return OMNI_STORE_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return OMNI_STORE_ERROR_BUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_FULL:
      return OMNI_STORE_ERROR_IO;
    default:
      return OMNI_STORE_ERROR_FAILED;
    }
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return -1;
  return (gint64) st.st_size;
}

/* TRUE when both name the same existing file. */
static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  if (g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return FALSE;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void
remove_side_files (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (path, suffixes[i], NULL);

      g_unlink (side);
    }
}

/* Copies all of @src into @dst in one step, waiting out other connections'
 * locks for as long as the store's busy timeout. */
static gboolean
copy_database (sqlite3     *src,
               sqlite3     *dst,
               const char  *what,
               GError     **error)
{
  sqlite3_backup *backup;
  guint waits = 0;
  int rc, finish_rc;

  backup = sqlite3_backup_init (dst, "main", src, "main");
  if (backup == NULL)
    {
      rc = sqlite3_extended_errcode (dst);
      g_set_error (error, OMNI_STORE_ERROR, code_for_rc (rc), "%s: %s", what, sqlite3_errmsg (dst));
      return FALSE;
    }

  do
    {
      rc = sqlite3_backup_step (backup, -1);
      if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        {
          if (++waits > BUSY_STEPS)
            break;
          g_usleep (BUSY_STEP_MS * 1000);
        }
    }
  while (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED);
  finish_rc = sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_BUSY,
                     "%s: another program kept the database locked for more than %d seconds; "
                     "try again when it is done", what, BUSY_STEPS * BUSY_STEP_MS / 1000);
      else
        g_set_error (error, OMNI_STORE_ERROR, code_for_rc (rc), "%s: %s", what, sqlite3_errstr (rc));
      return FALSE;
    }
  if (finish_rc != SQLITE_OK)
    {
      g_set_error (error, OMNI_STORE_ERROR, code_for_rc (finish_rc), "%s: %s",
                   what, sqlite3_errmsg (dst));
      return FALSE;
    }
  return TRUE;
}

/* The first row of a one-column query, as text. */
static char *
query_text (sqlite3     *db,
            const char  *sql,
            int         *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
      else
        rc = sqlite3_extended_errcode (db);
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;
  return text;
}

/* Writes a consistent copy of @src's main database to @dest_path. */
static gboolean
backup_connection (sqlite3     *src,
                   const char  *dest_path,
                   gboolean     overwrite,
                   GError     **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *check = NULL;
  sqlite3 *dst = NULL;
  int fd, rc;
  gboolean ok = FALSE;

  if (!overwrite && g_file_test (dest_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "“%s” already exists; choose another name, or overwrite it on purpose "
                   "(nothing was written)", dest_path);
      return FALSE;
    }

  tmp = g_strconcat (dest_path, ".partial-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *dir = g_path_get_dirname (dest_path);

      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                   "Cannot write a backup in the folder “%s”: %s", dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                        SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OMNI_STORE_ERROR, code_for_rc (rc),
                   "Cannot write the backup “%s”: %s", dest_path, sqlite3_errstr (rc));
      goto out;
    }

  if (!copy_database (src, dst, "Could not back up the database", error))
    goto out;

  /* One self-contained file, readable without its -wal, and checked. */
  g_free (query_text (dst, "PRAGMA journal_mode = DELETE", &rc));
  if (rc == SQLITE_OK)
    check = query_text (dst, "PRAGMA quick_check", &rc);
  if (rc != SQLITE_OK || g_strcmp0 (check, "ok") != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR,
                   rc != SQLITE_OK ? code_for_rc (rc) : OMNI_STORE_ERROR_CORRUPT,
                   "The backup “%s” did not pass its check (%s); it was not kept",
                   dest_path, rc != SQLITE_OK ? sqlite3_errmsg (dst) : check);
      goto out;
    }

  rc = sqlite3_close (dst);
  dst = NULL;
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OMNI_STORE_ERROR, code_for_rc (rc),
                   "Could not finish the backup “%s”: %s", dest_path, sqlite3_errstr (rc));
      goto out;
    }

  /* An overwritten database's leftover WAL would be replayed into the copy. */
  if (overwrite)
    remove_side_files (dest_path);
  if (g_rename (tmp, dest_path) != 0)
    {
      int saved = errno;

      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                   "Could not write the backup “%s”: %s", dest_path, g_strerror (saved));
      goto out;
    }
  ok = TRUE;

out:
  if (dst != NULL)
    sqlite3_close (dst);
  if (!ok)
    {
      remove_side_files (tmp);
      g_unlink (tmp);
    }
  return ok;
}

/**
 * omni_store_backup:
 * @self: the open store
 * @dest_path: the file to write
 * @overwrite: replace @dest_path when it exists; otherwise that is refused
 *
 * Writes a consistent copy of the database, committed changes still in the
 * WAL included, while other connections go on using it. The copy is a
 * self-contained SQLite file (no -wal beside it), private to the user.
 *
 * Returns: (transfer full): the file written, or %NULL with @error set and
 *   nothing written
 */
OmniBackupInfo *
omni_store_backup (OmniStore   *self,
                   const char  *dest_path,
                   gboolean     overwrite,
                   GError     **error)
{
  OmniBackupInfo *info;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (dest_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*dest_path == '\0' || same_file (dest_path, omni_store_get_path (self)))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A backup needs a file other than the database itself");
      return NULL;
    }

  if (!backup_connection (_omni_store_get_sqlite (self), dest_path, overwrite, error))
    return NULL;

  info = g_new0 (OmniBackupInfo, 1);
  info->path = g_strdup (dest_path);
  info->bytes = file_size (dest_path);
  info->schema_version = omni_store_get_schema_version (self);
  g_debug ("Backed up %s to %s (%" G_GINT64_FORMAT " bytes)",
           omni_store_get_path (self), dest_path, info->bytes);
  return info;
}

/* "<db>.<tag>.bak", or "<db>.<tag>-N.bak" when taken. */
static char *
free_copy_name (const char *db_path,
                const char *tag)
{
  for (guint n = 1; n <= MAX_SUFFIXES; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("%s.%s.bak", db_path, tag)
                                     : g_strdup_printf ("%s.%s-%u.bak", db_path, tag, n);

      if (!g_file_test (name, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&name);
    }
  return NULL;
}

/**
 * _omni_store_backup_before_migration:
 * @self: a store just opened at its old schema version
 * @target_version: the version the migrations will bring it to
 * @backup_path: (out) (optional): the copy written
 *
 * Copies the database to `<db>.before-v<target>.bak` (`-2`, `-3`… when that
 * is taken) before a migration changes it.
 */
gboolean
_omni_store_backup_before_migration (OmniStore  *self,
                                     int         target_version,
                                     char      **backup_path,
                                     GError    **error)
{
  g_autofree char *tag = g_strdup_printf ("before-v%d", target_version);
  g_autofree char *path = free_copy_name (omni_store_get_path (self), tag);
  g_autoptr(GError) local_error = NULL;

  if (path == NULL ||
      !backup_connection (_omni_store_get_sqlite (self), path, FALSE, &local_error))
    {
      g_set_error (error, OMNI_STORE_ERROR,
                   local_error != NULL ? local_error->code : OMNI_STORE_ERROR_IO,
                   "The database “%s” was not upgraded to schema %d, because a copy of it "
                   "could not be made first: %s", omni_store_get_path (self), target_version,
                   local_error != NULL ? local_error->message : "too many earlier copies");
      return FALSE;
    }

  g_info ("Copied %s to %s before upgrading it to schema %d",
             omni_store_get_path (self), path, target_version);
  if (backup_path != NULL)
    *backup_path = g_steal_pointer (&path);
  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *out)
{
  int rc;
  g_autofree char *text = query_text (db, sql, &rc);

  if (rc != SQLITE_OK || text == NULL)
    return FALSE;
  *out = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

/* Identity and version of a database just opened; @objects is 0 for an
 * empty one. A file that is no database is refused before SQLite reads it. */
static gboolean
read_identity (sqlite3     *db,
               const char  *path,
               gint64      *version,
               gint64      *objects,
               GError     **error)
{
  gint64 app_id = 0;
  gboolean is_sqlite = FALSE;

  if (!_omni_store_read_sqlite_header (db, path, &is_sqlite, error))
    return FALSE;
  if (!is_sqlite)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE,
                   "“%s” is not an OmniStock database (it is not a SQLite file)", path);
      return FALSE;
    }
  if (!query_int (db, "PRAGMA user_version", version) ||
      !query_int (db, "PRAGMA application_id", &app_id) ||
      !query_int (db, "SELECT count(*) FROM sqlite_schema", objects))
    {
      int rc = sqlite3_extended_errcode (db);

      if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, OMNI_STORE_ERROR, code_for_rc (rc),
                     "“%s” is damaged and cannot be read: %s", path, sqlite3_errmsg (db));
      else
        g_set_error (error, OMNI_STORE_ERROR, code_for_rc (rc),
                     "“%s” cannot be read as a database: %s", path, sqlite3_errmsg (db));
      return FALSE;
    }
  if (*objects > 0 && app_id != _OMNI_STORE_APPLICATION_ID)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE,
                   "“%s” is a SQLite database of another program, not an OmniStock one", path);
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_store_verify_backup:
 * @path: a backup file
 *
 * Checks, reading only, that @path is an OmniStock database of a schema
 * version this program knows, and that it passes PRAGMA integrity_check.
 *
 * Returns: (transfer full): its size and schema version, or %NULL with
 *   @error saying what is wrong with it
 */
OmniBackupInfo *
omni_store_verify_backup (const char  *path,
                          GError     **error)
{
  sqlite3 *db = NULL;
  g_autofree char *integrity = NULL;
  OmniBackupInfo *info = NULL;
  gint64 version = 0, objects = 0;
  int latest = omni_store_get_latest_schema_version ();
  GStatBuf st;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, OMNI_STORE_ERROR,
                   saved == ENOENT ? OMNI_STORE_ERROR_NOT_FOUND : OMNI_STORE_ERROR_IO,
                   "Cannot read “%s”: %s", path, g_strerror (saved));
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX |
                        SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OMNI_STORE_ERROR, code_for_rc (rc),
                   "Cannot open “%s”: %s", path, sqlite3_errstr (rc));
      goto out;
    }

  if (!read_identity (db, path, &version, &objects, error))
    goto out;
  if (objects == 0 || version < 1)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE,
                   "“%s” is an empty database, not an OmniStock backup", path);
      goto out;
    }
  if (version > latest)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_TOO_NEW,
                   "“%s” was written by a newer version of OmniStock (schema %" G_GINT64_FORMAT
                   ", this version knows up to %d); update OmniStock to restore it",
                   path, version, latest);
      goto out;
    }

  integrity = query_text (db, "PRAGMA integrity_check", &rc);
  if (rc != SQLITE_OK || g_strcmp0 (integrity, "ok") != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CORRUPT,
                   "“%s” is damaged: SQLite’s integrity check reports “%s”", path,
                   rc != SQLITE_OK ? sqlite3_errmsg (db) : integrity);
      goto out;
    }

  info = g_new0 (OmniBackupInfo, 1);
  info->path = g_strdup (path);
  info->bytes = file_size (path);
  info->schema_version = (int) version;

out:
  sqlite3_close (db);
  return info;
}

/**
 * omni_store_restore:
 * @db_path: the live database (created when missing)
 * @backup_path: the backup to put in its place
 *
 * Verifies @backup_path (see omni_store_verify_backup()) and only then
 * copies it over @db_path in one step, under the write lock: connections
 * that have the database open (the app's) see the restored database on
 * their next query. A database with data in it is first copied to
 * `<db>.before-restore.bak` (`-2`… when taken). A backup of an older
 * schema is upgraded the next time the database is opened.
 *
 * Returns: (transfer full): the restored file's figures and the safety
 *   copy, or %NULL with @error set and @db_path unchanged
 */
OmniBackupInfo *
omni_store_restore (const char  *db_path,
                    const char  *backup_path,
                    GError     **error)
{
  g_autoptr(OmniBackupInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *safety = NULL;
  sqlite3 *live = NULL, *src = NULL;
  gint64 version = 0, objects = 0;
  gboolean existed;
  int rc;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (backup_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (same_file (db_path, backup_path))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is the database itself, not a backup of it", backup_path);
      return NULL;
    }

  info = omni_store_verify_backup (backup_path, &local_error);
  if (info == NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, local_error->code,
                   "%s. Nothing was restored: “%s” is unchanged",
                   local_error->message, db_path);
      return NULL;
    }

  existed = g_file_test (db_path, G_FILE_TEST_EXISTS);

  rc = sqlite3_open_v2 (db_path, &live, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (&local_error, OMNI_STORE_ERROR, code_for_rc (rc),
                   "Cannot open “%s”: %s", db_path, sqlite3_errstr (rc));
      goto refuse;
    }
  sqlite3_busy_timeout (live, BUSY_STEPS * BUSY_STEP_MS);
  if (!read_identity (live, db_path, &version, &objects, &local_error))
    goto refuse;

  if (objects > 0)
    {
      safety = free_copy_name (db_path, "before-restore");
      if (safety == NULL)
        {
          g_set_error (&local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                       "Too many earlier copies of “%s” named *.before-restore*.bak", db_path);
          goto refuse;
        }
      if (!backup_connection (live, safety, FALSE, &local_error))
        {
          g_clear_pointer (&safety, g_free);
          goto refuse;
        }
    }

  rc = sqlite3_open_v2 (backup_path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX |
                        SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (&local_error, OMNI_STORE_ERROR, code_for_rc (rc),
                   "Cannot open “%s”: %s", backup_path, sqlite3_errstr (rc));
      goto refuse;
    }
  if (!copy_database (src, live, "Could not restore the database", &local_error))
    goto refuse;

  sqlite3_close (src);
  sqlite3_close (live);
  g_free (info->safety_copy);
  info->safety_copy = g_steal_pointer (&safety);
  g_info ("Restored %s from %s", db_path, backup_path);
  return g_steal_pointer (&info);

refuse:
  if (src != NULL)
    sqlite3_close (src);
  if (live != NULL)
    sqlite3_close (live);
  if (safety != NULL)
    g_unlink (safety);
  /* Opening may have created the missing file: as it was, it was not there. */
  if (!existed && file_size (db_path) == 0)
    g_unlink (db_path);
  g_set_error (error, OMNI_STORE_ERROR, local_error->code,
               "%s. Nothing was restored: “%s” is unchanged", local_error->message, db_path);
  return NULL;
}
