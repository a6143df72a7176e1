/* omni-store.c: opening, migrating and checking the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "omni-core-resources.h"
#include "omni-store-private.h"
#include "omni-pq.h"
#include "omni-text.h"

/* "OMNI" in ASCII: marks a SQLite file as ours so a foreign database is
 * never migrated into. */
#define OMNI_APPLICATION_ID _OMNI_STORE_APPLICATION_ID
#define BUSY_TIMEOUT_MS     5000

/* Each migration is one script in the core GResource, applied in one
 * transaction that also bumps user_version. Append only; never edit a
 * released one. */
static const char * const migrations[] = {
  "/io/github/omnistock/core/migrations/0001-initial.sql",
  "/io/github/omnistock/core/migrations/0002-channel-sync.sql",
  "/io/github/omnistock/core/migrations/0003-purchasing.sql",
  "/io/github/omnistock/core/migrations/0004-aggregates.sql",
  "/io/github/omnistock/core/migrations/0005-rolling-sales.sql",
  "/io/github/omnistock/core/migrations/0006-channel-feeds.sql",
  "/io/github/omnistock/core/migrations/0007-remote-variants.sql",
  "/io/github/omnistock/core/migrations/0008-offline-counts.sql",
  "/io/github/omnistock/core/migrations/0009-search-order.sql",
  "/io/github/omnistock/core/migrations/0010-search-digits.sql",
};

/* PostgreSQL starts at the schema SQLite reached with 0007, in one script;
 * each later migration adds a script here as well as above. Index =
 * version - PG_BASE_VERSION. */
#define PG_BASE_VERSION 7
static const char * const pg_migrations[] = {
  "/io/github/omnistock/core/migrations/pg/0007-schema.sql",
  "/io/github/omnistock/core/migrations/pg/0008-offline-counts.sql",
  "/io/github/omnistock/core/migrations/pg/0009-search-order.sql",
  "/io/github/omnistock/core/migrations/pg/0010-search-digits.sql",
};

struct _OmniStore
{
  GObject     parent_instance;

  char       *path;
  OmniDb     *db;
  GHashTable *statements;   /* SQL text → OmniDbStmt */
  guint       tx_depth;
  int         schema_version;
};

G_DEFINE_FINAL_TYPE (OmniStore, omni_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (omni-store-error-quark, omni_store_error)

static void
finalize_statement (gpointer data)
{
  omni_db_finalize (data);
}

static void
omni_store_finalize (GObject *object)
{
  OmniStore *self = (OmniStore *)object;

  if (self->tx_depth > 0)
    {
      g_warning ("Store closed inside a transaction; rolling back");
      omni_db_exec (self->db, "ROLLBACK");
    }

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      /* Lets SQLite fold the WAL back and remove it when we are the last
       * connection, so a closed store is one self-contained file. */
      omni_db_close (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (omni_store_parent_class)->finalize (object);
}

static void
omni_store_class_init (OmniStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_store_finalize;
}

static void
omni_store_init (OmniStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal,
                                            g_free, finalize_statement);
}

/* Private helpers ----------------------------------------------------- */

void
_omni_store_set_error (OmniStore   *self,
                       GError     **error,
                       int          rc,
                       const char  *what)
{
  const char *detail = self->db ? omni_db_errmsg (self->db) : sqlite3_errstr (rc);
  OmniStoreError code;

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      code = OMNI_STORE_ERROR_NOT_A_DATABASE;
      break;
    case SQLITE_CORRUPT:
      code = OMNI_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = OMNI_STORE_ERROR_BUSY;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_FULL:
      code = OMNI_STORE_ERROR_IO;
      break;
    case SQLITE_CONSTRAINT:
      code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
             ? OMNI_STORE_ERROR_CONFLICT : OMNI_STORE_ERROR_INVALID;
      break;
    default:
      code = OMNI_STORE_ERROR_FAILED;
      break;
    }

  /* The busy timeout ran out: say who, and that trying again is the cure. */
  if (code == OMNI_STORE_ERROR_BUSY && self->db != NULL &&
      omni_db_get_backend (self->db) == OMNI_DB_POSTGRESQL)
    g_set_error (error, OMNI_STORE_ERROR, code,
                 "%s: the database server stopped it because another computer was changing "
                 "the same stock at the same moment, several times over. Try again", what);
  else if (code == OMNI_STORE_ERROR_BUSY)
    g_set_error (error, OMNI_STORE_ERROR, code,
                 "%s: the database is busy: another program using it (an OmniStock window "
                 "or omnistock-cli) kept it locked for more than %d seconds. Try again",
                 what, BUSY_TIMEOUT_MS / 1000);
  else
    g_set_error (error, OMNI_STORE_ERROR, code, "%s: %s", what, detail);
}

OmniDb *
_omni_store_get_db (OmniStore *self)
{
  return self->db;
}

sqlite3 *
_omni_store_get_sqlite (OmniStore *self)
{
  return self->db != NULL ? self->db->lite : NULL;
}

/**
 * _omni_store_prepare:
 *
 * Returns a cached statement for @sql, reset and with bindings cleared. The
 * store owns it; callers only bind and step.
 */
OmniDbStmt *
_omni_store_prepare (OmniStore   *self,
                     const char  *sql,
                     GError     **error)
{
  OmniDbStmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      omni_db_reset (stmt);
      omni_db_clear_bindings (stmt);
      return stmt;
    }

  rc = omni_db_prepare (self->db, sql, &stmt);
  if (rc != SQLITE_OK)
    {
      _omni_store_set_error (self, error, rc, "Could not prepare a query");
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_omni_store_exec (OmniStore   *self,
                  const char  *sql,
                  GError     **error)
{
  int rc = omni_db_exec (self->db, sql);

  if (rc != SQLITE_OK)
    {
      _omni_store_set_error (self, error, rc, "Database error");
      return FALSE;
    }
  return TRUE;
}

/* Steps a write statement to completion and resets it. */
gboolean
_omni_store_step_done (OmniStore     *self,
                       OmniDbStmt  *stmt,
                       GError       **error)
{
  int rc = omni_db_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, omni_db_extended_errcode (self->db),
                             "Could not write to the database");
      omni_db_reset (stmt);
      return FALSE;
    }
  omni_db_reset (stmt);
  return TRUE;
}

/* Steps one write statement, already bound, in a transaction of its own:
 * committed (and so announced to the store's watchers) or rolled back. */
gboolean
_omni_store_write_one (OmniStore   *self,
                       OmniDbStmt  *stmt,
                       GError     **error)
{
  if (!omni_store_begin (self, error))
    return FALSE;
  if (!_omni_store_step_done (self, stmt, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

gint64
_omni_store_step_insert (OmniStore   *self,
                         OmniDbStmt  *stmt,
                         GError     **error)
{
  int rc = omni_db_step (stmt);
  gint64 id = 0;

  if (rc == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, omni_db_extended_errcode (self->db),
                             "Could not write to the database");
      omni_db_reset (stmt);
      return 0;
    }
  omni_db_reset (stmt);
  return id;
}

void
_omni_store_bind_text_or_null (OmniDbStmt *stmt,
                               int           index,
                               const char   *value)
{
  if (value == NULL || *value == '\0')
    omni_db_bind_null (stmt, index);
  else
    omni_db_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

void
_omni_store_bind_int_or_null (OmniDbStmt *stmt,
                              int           index,
                              gint64        value)
{
  if (value < 0)
    omni_db_bind_null (stmt, index);
  else
    omni_db_bind_int64 (stmt, index, value);
}

char *
_omni_store_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *seconds = NULL;
  gint64 whole, micro;

  if (time_us == 0)
    time_us = g_get_real_time ();
  /* Floor division, so times before 1970 keep a positive fraction. */
  micro = ((time_us % G_USEC_PER_SEC) + G_USEC_PER_SEC) % G_USEC_PER_SEC;
  whole = (time_us - micro) / G_USEC_PER_SEC;
  dt = g_date_time_new_from_unix_utc (whole);
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000000Z");

  seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%06" G_GINT64_FORMAT "Z", seconds, micro);
}

const char *
_omni_store_default_actor (void)
{
  return g_get_user_name ();
}

/* Paths --------------------------------------------------------------- */

/**
 * omni_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/omnistock/omnistock.db`
 */
char *
omni_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "omnistock", "omnistock.db", NULL);
}

/**
 * omni_store_resolve_path:
 * @cli_path: (nullable): a path given on the command line
 *
 * Returns: (transfer full): @cli_path, else `$OMNISTOCK_DB`, else the default
 */
char *
omni_store_resolve_path (const char *cli_path)
{
  const char *env = g_getenv ("OMNISTOCK_DB");

  if (cli_path != NULL && *cli_path != '\0')
    return g_strdup (cli_path);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return omni_store_default_path ();
}

/* Opening ------------------------------------------------------------- */

/**
 * _omni_store_read_sqlite_header:
 * @db: a connection just opened on the file, before any statement ran
 * @is_sqlite: (out): %TRUE when the file is empty or starts with SQLite's
 *   16-byte header
 *
 * Reads the header through @db's own file handle, so that a file that is no
 * database is refused without a byte written to it. Never through a
 * descriptor of our own: closing one drops every POSIX lock this process
 * holds on the file, through whichever connection. Another process closing
 * the database would then think itself the last one and delete the
 * write-ahead log our connections are still writing into.
 *
 * Returns: %FALSE with @error set when the file cannot be read
 */
gboolean
_omni_store_read_sqlite_header (sqlite3     *db,
                                const char  *path,
                                gboolean    *is_sqlite,
                                GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[sizeof magic];
  sqlite3_file *file = NULL;
  sqlite3_int64 size = 0;
  int rc;

  *is_sqlite = FALSE;
  rc = sqlite3_file_control (db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc == SQLITE_OK && (file == NULL || file->pMethods == NULL))
    rc = SQLITE_CANTOPEN;
  if (rc == SQLITE_OK)
    rc = file->pMethods->xFileSize (file, &size);
  if (rc == SQLITE_OK && size == 0)
    {
      *is_sqlite = TRUE;   /* An empty file is an empty database. */
      return TRUE;
    }
  if (rc == SQLITE_OK && size < (sqlite3_int64)sizeof header)
    return TRUE;
  if (rc == SQLITE_OK)
    rc = file->pMethods->xRead (file, header, sizeof header, 0);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                   "Cannot read the database “%s”: %s", path, sqlite3_errstr (rc));
      return FALSE;
    }
  *is_sqlite = memcmp (header, magic, sizeof header) == 0;
  return TRUE;
}

static gboolean
query_int (OmniStore   *self,
           const char  *sql,
           gint64      *out,
           GError     **error)
{
  OmniDbStmt *stmt;
  int rc;

  rc = omni_db_prepare (self->db, sql, &stmt);
  if (rc == SQLITE_OK)
    {
      rc = omni_db_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = omni_db_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else
        rc = omni_db_extended_errcode (self->db);
    }
  omni_db_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("Cannot read the database “%s”", self->path);
      _omni_store_set_error (self, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

/* Everything here only reads, so a refused file stays byte-for-byte as it
 * was. */
static gboolean
check_identity (OmniStore  *self,
                GError    **error)
{
  gint64 version = 0, app_id = 0, objects = 0;
  int latest = omni_store_get_latest_schema_version ();

  g_autoptr(GError) local_error = NULL;

  if (!query_int (self, "PRAGMA user_version", &version, &local_error) ||
      !query_int (self, "PRAGMA application_id", &app_id, &local_error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &objects, &local_error))
    {
      if (g_error_matches (local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CORRUPT) ||
          g_error_matches (local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE))
        g_set_error (error, OMNI_STORE_ERROR, local_error->code,
                     "“%s” is damaged and cannot be opened (%s); it was left untouched. "
                     "Restore it from a backup", self->path,
                     omni_db_errmsg (self->db));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (objects > 0 && app_id != OMNI_APPLICATION_ID)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE,
                   "“%s” is a SQLite database of another program, not an OmniStock one; "
                   "it was left untouched", self->path);
      return FALSE;
    }

  if (version > latest)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_TOO_NEW,
                   "“%s” was written by a newer version of OmniStock (schema %" G_GINT64_FORMAT
                   ", this version knows up to %d); update OmniStock to open it. "
                   "The file was left untouched", self->path, version, latest);
      return FALSE;
    }

  self->schema_version = (int)version;
  return TRUE;
}

/* Runs one migration script (@resource) in one transaction, then records
 * @version: on SQLite in PRAGMA user_version, on PostgreSQL by the script's
 * own omni_schema rows. */
static gboolean
apply_migration_script (OmniStore   *self,
                        const char  *resource,
                        int          version,
                        GError     **error)
{
  g_autoptr(GBytes) script = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *pragmas = NULL;
  int rc;

  /* Looked up in our own resource, not the global table: a static library's
   * registration constructor may not be linked into every program. */
  script = g_resource_lookup_data (omni_core_get_resource (), resource,
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (script == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (script, NULL), g_bytes_get_size (script));

  if (!omni_store_begin (self, error))
    return FALSE;

  rc = omni_db_exec (self->db, sql);
  if (rc == SQLITE_OK && omni_db_get_backend (self->db) == OMNI_DB_SQLITE)
    {
      /* PRAGMA takes no bound parameters; both values are integers we own. */
      pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                 OMNI_APPLICATION_ID, version);
      rc = omni_db_exec (self->db, pragmas);
    }

  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("Could not upgrade the database to schema %d",
                                               version);
      _omni_store_set_error (self, error, rc, what);
      omni_store_rollback (self);
      return FALSE;
    }

  if (!omni_store_commit (self, error))
    return FALSE;

  self->schema_version = version;
  g_debug ("Migrated %s to schema %d", self->path, version);
  return TRUE;
}

static gboolean
apply_migration (OmniStore  *self,
                 int         version,
                 GError    **error)
{
  return apply_migration_script (self, migrations[version - 1], version, error);
}

static gboolean
configure_connection (OmniStore  *self,
                      GError    **error)
{
  int rc;

  sqlite3_extended_result_codes (self->db->lite, TRUE);
  /* Plans that never depend on bound values: otherwise binding a new
   * pattern to `LIKE ?N` (a search's short terms) marks the cached
   * statement expired, and each search compiled its query again. No query
   * here gains from a plan made for one value (the patterns start with %,
   * and this SQLite has no STAT4). */
  rc = sqlite3_db_config (self->db->lite, SQLITE_DBCONFIG_ENABLE_QPSG, 1, NULL);
  if (rc == SQLITE_OK)
    rc = _omni_search_register_functions (self->db->lite);
  if (rc != SQLITE_OK)
    {
      _omni_store_set_error (self, error, rc, "Cannot set up the database connection");
      return FALSE;
    }

  return _omni_store_exec (self,
                           "PRAGMA foreign_keys = ON;"
                           "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = NORMAL;"
                           "PRAGMA temp_store = MEMORY;",
                           error);
}

static gboolean
ensure_parent_dir (const char  *path,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                   "Cannot create the folder “%s” for the database: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_store_open:
 * @path: the database file; created with its folder when missing
 * @error: return location for an #OmniStoreError
 *
 * Opens (creating or migrating) an OmniStock database. A file that is not a
 * SQLite database, belongs to another program, is damaged, or was written by
 * a newer OmniStock is refused with a sentence saying so, and left untouched.
 *
 * One #OmniStore is one SQLite connection: use it from one thread at a time,
 * and open another for a worker thread.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
OmniStore *
omni_store_open (const char  *path,
                 GError     **error)
{
  return omni_store_open_with_password (path, NULL, error);
}

static char *redact_uri (const char *uri);

/* Passwords of PostgreSQL servers, in this process's memory only: the
 * program reads each from the keyring once, and every connection it opens
 * later (workers open their own) finds it here. */
static GMutex passwords_lock;
static GHashTable *passwords;   /* redacted URI → password */

/**
 * omni_store_remember_password:
 * @uri: a `postgresql://` URI
 * @password: (nullable): its password, or %NULL to forget it
 *
 * Lets every later omni_store_open() of @uri in this process use
 * @password. Nothing is written anywhere.
 */
void
omni_store_remember_password (const char *uri,
                              const char *password)
{
  g_autofree char *key = NULL;

  g_return_if_fail (uri != NULL);

  key = redact_uri (uri);
  g_mutex_lock (&passwords_lock);
  if (passwords == NULL)
    passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (password != NULL)
    g_hash_table_insert (passwords, g_steal_pointer (&key), g_strdup (password));
  else
    g_hash_table_remove (passwords, key);
  g_mutex_unlock (&passwords_lock);
}

static void
remember_uri_password (const char *uri)
{
  PQconninfoOption *options;

  if (!_omni_pq_load (NULL) || (options = _omni_pq.PQconninfoParse (uri, NULL)) == NULL)
    return;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL)
      omni_store_remember_password (uri, o->val);
  _omni_pq.PQconninfoFree (options);
}

static char *
remembered_password (const char *redacted)
{
  char *password = NULL;

  g_mutex_lock (&passwords_lock);
  if (passwords != NULL)
    password = g_strdup (g_hash_table_lookup (passwords, redacted));
  g_mutex_unlock (&passwords_lock);
  return password;
}

/* A PostgreSQL URI as it may be shown: without a password, even if the
 * user typed one into it. */
static char *
redact_uri (const char *uri)
{
  const char *scheme_end = strstr (uri, "://");
  const char *at, *colon;

  if (scheme_end == NULL)
    return g_strdup (uri);
  at = strchr (scheme_end + 3, '@');
  if (at == NULL || memchr (scheme_end + 3, '/', at - (scheme_end + 3)) != NULL)
    return g_strdup (uri);
  colon = memchr (scheme_end + 3, ':', at - (scheme_end + 3));
  if (colon == NULL)
    return g_strdup (uri);
  return g_strdup_printf ("%.*s%s", (int)(colon - uri), uri, at);
}

gboolean
omni_store_location_is_shared (const char *location)
{
  return omni_db_is_postgresql_uri (location);
}

char *
omni_store_redact_location (const char *location)
{
  g_return_val_if_fail (location != NULL, NULL);
  return omni_db_is_postgresql_uri (location) ? redact_uri (location) : g_strdup (location);
}

static gboolean
pg_query_int (OmniStore   *self,
              const char  *sql,
              gint64      *out,
              GError     **error)
{
  OmniDbStmt *stmt = NULL;
  int rc = omni_db_prepare (self->db, sql, &stmt);

  if (rc == SQLITE_OK)
    {
      rc = omni_db_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = omni_db_column_type (stmt, 0) == SQLITE_NULL ? -1 : omni_db_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  omni_db_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("Cannot read the database “%s”", self->path);
      _omni_store_set_error (self, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

/* The same refusals as for a file: a database of another program, or of a
 * newer OmniStock, is left untouched; an empty one gets the whole schema. */
static gboolean
pg_open_schema (OmniStore  *self,
                GError    **error)
{
  int latest = omni_store_get_latest_schema_version ();
  gint64 tables = 0, ours = 0, version = 0, app_id = 0;

  if (!pg_query_int (self, "SELECT count(*) FROM pg_catalog.pg_tables"
                           " WHERE schemaname = current_schema()", &tables, error) ||
      !pg_query_int (self, "SELECT count(*) FROM pg_catalog.pg_tables"
                           " WHERE schemaname = current_schema()"
                           " AND tablename IN ('omni_schema', 'omni_schema_app')", &ours, error))
    return FALSE;

  if (tables > 0 && ours < 2)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE,
                   "“%s” is a PostgreSQL database of another program, not an OmniStock one; "
                   "it was left untouched", self->path);
      return FALSE;
    }

  if (tables > 0)
    {
      if (!pg_query_int (self, "SELECT max(version) FROM omni_schema", &version, error) ||
          !pg_query_int (self, "SELECT max(app_id) FROM omni_schema_app", &app_id, error))
        return FALSE;
      if (app_id != OMNI_APPLICATION_ID)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE,
                       "“%s” is a PostgreSQL database of another program, not an OmniStock "
                       "one; it was left untouched", self->path);
          return FALSE;
        }
      if (version > latest)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_TOO_NEW,
                       "“%s” was written by a newer version of OmniStock (schema %"
                       G_GINT64_FORMAT ", this version knows up to %d); update OmniStock to "
                       "open it. The database was left untouched", self->path, version, latest);
          return FALSE;
        }
      self->schema_version = (int)version;
    }

  /* The base script creates schema PG_BASE_VERSION whole; it never runs
   * over an existing one. */
  for (int v = MAX (self->schema_version + 1, PG_BASE_VERSION); v <= latest; v++)
    if (!apply_migration_script (self, pg_migrations[v - PG_BASE_VERSION], v, error))
      return FALSE;
  return TRUE;
}

static void
append_conninfo_value (GString    *out,
                       const char *keyword,
                       const char *value)
{
  g_string_append_printf (out, "%s%s='", out->len > 0 ? " " : "", keyword);
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '\'' || *c == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '\'');
}

/* @uri as libpq key=value pairs with the password added. */
static char *
conninfo_with_password (const char  *uri,
                        const char  *password,
                        GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  PQconninfoOption *options;
  char *message = NULL;

  if (!_omni_pq_load (error))
    return NULL;
  options = _omni_pq.PQconninfoParse (uri, &message);
  if (options == NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is not a PostgreSQL address: %s", uri,
                   message != NULL ? g_strstrip (message) : "out of memory");
      _omni_pq.PQfreemem (message);
      return NULL;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL && !g_str_equal (o->keyword, "password"))
      append_conninfo_value (out, o->keyword, o->val);
  _omni_pq.PQconninfoFree (options);
  append_conninfo_value (out, "password", password);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static OmniStore *
open_postgresql (const char  *uri,
                 const char  *password,
                 GError     **error)
{
  g_autoptr(OmniStore) self = g_object_new (OMNI_TYPE_STORE, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *remembered = NULL;

  self->path = redact_uri (uri);
  /* Workers and watches open omni_store_get_path(), which has no password:
   * one written into the URI is remembered for them. */
  if (password == NULL && !g_str_equal (self->path, uri))
    remember_uri_password (uri);
  if (password == NULL)
    password = remembered = remembered_password (self->path);
  /* A password from the keyring is added here, in memory only. */
  if (password != NULL && *password != '\0')
    {
      conninfo = conninfo_with_password (uri, password, error);
      if (conninfo == NULL)
        return NULL;
    }

  self->db = omni_db_open_postgresql (conninfo != NULL ? conninfo : uri, &local_error);
  if (conninfo != NULL)
    memset (conninfo, 0, strlen (conninfo));
  if (remembered != NULL)
    memset (remembered, 0, strlen (remembered));
  if (self->db == NULL)
    {
      /* A server that answered but wants another password is no server
       * out of reach: the caller asks for the password, not for patience. */
      g_set_error (error, OMNI_STORE_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
                   ? OMNI_STORE_ERROR_AUTH : OMNI_STORE_ERROR_IO,
                   "Cannot connect to the database “%s”: %s", self->path, local_error->message);
      return NULL;
    }

  if (!pg_open_schema (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * omni_store_open_with_password:
 * @path: a database file, or a `postgresql://` URI
 * @password: (nullable): the PostgreSQL password, from the keyring; never
 *   part of @path on disk
 *
 * As omni_store_open(), for either backend.
 */
OmniStore *
omni_store_open_with_password (const char  *path,
                               const char  *password,
                               GError     **error)
{
  g_autoptr(OmniStore) self = NULL;
  GStatBuf st;
  gboolean is_sqlite = FALSE;
  sqlite3 *lite = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (omni_db_is_postgresql_uri (path))
    return open_postgresql (path, password, error);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      if (saved != ENOENT)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                       "Cannot read the database “%s”: %s", path, g_strerror (saved));
          return NULL;
        }
      if (!ensure_parent_dir (path, error))
        return NULL;
    }

  self = g_object_new (OMNI_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &lite,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                   "Cannot open the database “%s”: %s", path,
                   lite != NULL ? sqlite3_errmsg (lite) : sqlite3_errstr (rc));
      sqlite3_close_v2 (lite);
      return NULL;
    }
  if (!_omni_store_read_sqlite_header (lite, path, &is_sqlite, error))
    {
      sqlite3_close_v2 (lite);
      return NULL;
    }
  if (!is_sqlite)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE,
                   "“%s” is not an OmniStock database (it is not a SQLite file); "
                   "it was left untouched", path);
      sqlite3_close_v2 (lite);
      return NULL;
    }
  self->db = omni_db_new_sqlite (lite);

  sqlite3_busy_timeout (lite, BUSY_TIMEOUT_MS);

  if (!check_identity (self, error))
    return NULL;

  if (!configure_connection (self, error))
    return NULL;

  /* An upgrade rewrites much of the file at once: a copy first, next to it
   * (omni-store-backup.c). A new, empty database needs none. */
  if (self->schema_version > 0 &&
      self->schema_version < omni_store_get_latest_schema_version () &&
      !_omni_store_backup_before_migration (self, omni_store_get_latest_schema_version (),
                                            NULL, error))
    return NULL;

  for (int v = self->schema_version + 1; v <= omni_store_get_latest_schema_version (); v++)
    if (!apply_migration (self, v, error))
      return NULL;

  return g_steal_pointer (&self);
}

const char *
omni_store_get_path (OmniStore *self)
{
  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  return self->path;
}

int
omni_store_get_schema_version (OmniStore *self)
{
  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  return self->schema_version;
}

int
omni_store_get_latest_schema_version (void)
{
  return (int)G_N_ELEMENTS (migrations);
}

/* Transactions -------------------------------------------------------- */

/**
 * omni_store_begin:
 *
 * Starts a write transaction (BEGIN IMMEDIATE, so a second writer waits at
 * the start instead of failing at the end). Nested calls use savepoints, so
 * an operation that is all-or-nothing on its own can also be part of a larger
 * one.
 */
gboolean
omni_store_begin (OmniStore  *self,
                  GError    **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (self->tx_depth == 0)
    sql = g_strdup (omni_db_get_backend (self->db) == OMNI_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
  else
    sql = g_strdup_printf ("SAVEPOINT omni_%u", self->tx_depth);

  if (!_omni_store_exec (self, sql, error))
    return FALSE;

  self->tx_depth++;
  return TRUE;
}

gboolean
omni_store_commit (OmniStore  *self,
                   GError    **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE omni_%u", self->tx_depth - 1);

  if (!_omni_store_exec (self, sql, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }

  self->tx_depth--;
  return TRUE;
}

void
omni_store_rollback (OmniStore *self)
{
  g_autofree char *sql = NULL;
  int rc;

  g_return_if_fail (OMNI_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO omni_%u; RELEASE omni_%u",
                           self->tx_depth - 1, self->tx_depth - 1);

  rc = omni_db_exec (self->db, sql);
  /* A PostgreSQL server that has lost the connection (stopped, restarted,
   * the network gone) has already thrown the transaction away with it:
   * nothing was left half-done, so that is no failure. */
  if (rc != SQLITE_OK && _omni_store_is_postgresql (self) && (rc & 0xff) == SQLITE_IOERR)
    g_debug ("Rollback not sent, the server ended the transaction with the connection: %s",
             omni_db_errmsg (self->db));
  else if (rc != SQLITE_OK)
    g_warning ("Rollback failed: %s", omni_db_errmsg (self->db));
  self->tx_depth--;
}

/* Runs a cached statement with no parameters, FALSE when it fails. */
static gboolean
step_cached (OmniStore  *self,
             const char *sql)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, sql, NULL);

  return stmt != NULL && _omni_store_step_done (self, stmt, NULL);
}

/**
 * _omni_store_begin_read:
 *
 * On SQLite outside any transaction, starts a read transaction for the
 * statements that follow, so they see one snapshot and take the file's
 * locks once: on its own each statement takes and drops them (a search's
 * three statements spent a twentieth of their time so). Nothing on
 * PostgreSQL, where a transaction costs round trips instead.
 *
 * Returns: whether one was started, for _omni_store_end_read()
 */
gboolean
_omni_store_begin_read (OmniStore *self)
{
  if (_omni_store_is_postgresql (self) || self->tx_depth > 0 ||
      !omni_db_get_autocommit (self->db))
    return FALSE;
  return step_cached (self, "BEGIN");
}

/**
 * _omni_store_end_read:
 * @started: what _omni_store_begin_read() returned
 *
 * Ends the read transaction _omni_store_begin_read() started, if it did.
 */
void
_omni_store_end_read (OmniStore *self,
                      gboolean   started)
{
  if (!started || omni_db_get_autocommit (self->db))
    return;
  /* a transaction that wrote nothing has nothing to lose */
  if (!step_cached (self, "COMMIT") && omni_db_exec (self->db, "ROLLBACK") != SQLITE_OK)
    g_warning ("Could not end a read transaction: %s", omni_db_errmsg (self->db));
}

/* Settings ------------------------------------------------------------ */

/**
 * omni_store_get_setting:
 *
 * Returns: (transfer full) (nullable): the value stored in the database
 */
char *
omni_store_get_setting (OmniStore  *self,
                        const char *key)
{
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _omni_store_prepare (self, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      char *value = g_strdup ((const char *)omni_db_column_text (stmt, 0));
      omni_db_reset (stmt);
      return value;
    }
  omni_db_reset (stmt);
  return NULL;
}

static gboolean
validate_setting (const char  *key,
                  const char  *value,
                  GError     **error)
{
  if (g_str_equal (key, "currency"))
    {
      gboolean ok = value != NULL && strlen (value) == 3;

      for (int i = 0; ok && i < 3; i++)
        ok = g_ascii_isupper (value[i]);
      if (!ok)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "Currency must be a three-letter ISO 4217 code such as USD or EUR, "
                       "not “%s”", value ? value : "");
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (key, "allow_negative_stock"))
    {
      if (g_strcmp0 (value, "0") != 0 && g_strcmp0 (value, "1") != 0)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "allow_negative_stock must be 0 or 1, not “%s”", value ? value : "");
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (key, "default_reorder_point"))
    {
      guint64 n;

      /* Empty means "no default": variants without their own point never alert. */
      if (value != NULL && (*value == '\0' ||
                            g_ascii_string_to_unsigned (value, 10, 0, 1000000, &n, NULL)))
        return TRUE;
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The default reorder point must be a whole number from 0 to 1000000, "
                   "not “%s”", value ? value : "");
      return FALSE;
    }

  return omni_text_check (value, key, OMNI_TEXT_MAX_BODY, TRUE, error);
}

gboolean
omni_store_set_setting (OmniStore   *self,
                        const char  *key,
                        const char  *value,
                        GError     **error)
{
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!validate_setting (key, value, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              error);
  if (stmt == NULL)
    return FALSE;

  omni_db_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  omni_db_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return _omni_store_step_done (self, stmt, error);
}

/* Figures and checks -------------------------------------------------- */

gboolean
omni_store_is_empty (OmniStore *self)
{
  gint64 n = 0;

  g_return_val_if_fail (OMNI_IS_STORE (self), TRUE);

  if (!query_int (self, "SELECT EXISTS (SELECT 1 FROM products)", &n, NULL))
    return FALSE;
  return n == 0;
}

void
omni_store_stats_clear (OmniStoreStats *stats)
{
  g_clear_pointer (&stats->currency, g_free);
  memset (stats, 0, sizeof *stats);
}

/* Reads the totals the triggers of schema 4 keep (stock_aggregates,
 * table_counts): a few rows whatever the size of the catalog. Every figure
 * the dashboard tiles show comes from here. */
static const char stats_sql[] =
  "SELECT a.products, a.variants,"
  "  (SELECT count(*) FROM locations WHERE archived = 0),"
  "  a.units, a.cost_value, a.retail_value,"
  "  (SELECT coalesce (max (id), 0) FROM movements),"
  "  (SELECT n FROM table_counts WHERE name = 'orders'),"
  "  a.low_stock, a.out_of_stock,"
  "  (SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending', 'failed')),"
  "  (SELECT value FROM settings WHERE key = 'currency')"
  " FROM stock_aggregates a WHERE a.grouping = 'total' AND a.label = ''";

gboolean
omni_store_get_stats (OmniStore       *self,
                      OmniStoreStats  *stats,
                      GError         **error)
{
  OmniDbStmt *stmt;
  const char *currency;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);
  stmt = _omni_store_prepare (self, stats_sql, error);
  if (stmt == NULL)
    return FALSE;

  rc = omni_db_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not read the stock figures");
      omni_db_reset (stmt);
      return FALSE;
    }

  stats->products = omni_db_column_int64 (stmt, 0);
  stats->variants = omni_db_column_int64 (stmt, 1);
  stats->locations = omni_db_column_int64 (stmt, 2);
  stats->units_on_hand = omni_db_column_int64 (stmt, 3);
  stats->stock_value = omni_db_column_int64 (stmt, 4);
  stats->retail_value = omni_db_column_int64 (stmt, 5);
  stats->movements = omni_db_column_int64 (stmt, 6);
  stats->orders = omni_db_column_int64 (stmt, 7);
  stats->low_stock = omni_db_column_int64 (stmt, 8);
  stats->out_of_stock = omni_db_column_int64 (stmt, 9);
  stats->pending_outbox = omni_db_column_int64 (stmt, 10);
  currency = (const char *)omni_db_column_text (stmt, 11);
  stats->currency = g_strdup (currency ? currency : "USD");
  omni_db_reset (stmt);

  return TRUE;
}

/**
 * omni_store_integrity_check:
 * @report: (out) (transfer full): "ok", or SQLite's list of problems
 *
 * Runs `PRAGMA integrity_check`. Returns %FALSE only when the check itself
 * could not run; a damaged file gives %TRUE with a report other than "ok".
 */
gboolean
omni_store_integrity_check (OmniStore  *self,
                            char      **report,
                            GError    **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  OmniDbStmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  /* PostgreSQL checks its own pages (checksums, WAL); what is ours to
   * check there is the ledger (omni_store_check_ledger()). */
  rc = omni_db_prepare (self->db, omni_db_get_backend (self->db) == OMNI_DB_SQLITE
                                  ? "PRAGMA integrity_check" : "SELECT 'ok'", &stmt);
  while (rc == SQLITE_OK && (rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, (const char *)omni_db_column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  omni_db_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not check the database");
      return FALSE;
    }

  *report = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

void
omni_ledger_mismatch_free (OmniLedgerMismatch *mismatch)
{
  if (mismatch == NULL)
    return;
  g_free (mismatch->sku);
  g_free (mismatch->location);
  g_free (mismatch);
}

/* Compares every materialised level with the sum of its movements, both ways:
 * a level without movements and movements without a level are mismatches too.
 * Levels and movements meet in one grouping of both, not a full join: SQLite
 * runs a full join of a grouped subquery as a nested loop, which took
 * minutes on a catalog of 10,000 variants. */
static const char ledger_check_sql[] =
  "WITH joined AS ("
  "  SELECT variant_id, location_id,"
  "         sum (level_on_hand) AS level_on_hand, sum (ledger_on_hand) AS ledger_on_hand,"
  "         sum (level_committed) AS level_committed,"
  "         sum (ledger_committed) AS ledger_committed"
  "  FROM (SELECT variant_id, location_id, on_hand AS level_on_hand, 0 AS ledger_on_hand,"
  "               committed AS level_committed, 0 AS ledger_committed"
  "        FROM stock_levels"
  "        UNION ALL"
  "        SELECT variant_id, location_id, 0, on_hand_delta, 0, committed_delta"
  "        FROM movements) u"
  "  GROUP BY variant_id, location_id)"
  "SELECT j.variant_id, j.location_id, v.sku, l.name,"
  "       j.level_on_hand, j.ledger_on_hand, j.level_committed, j.ledger_committed"
  " FROM joined j"
  " LEFT JOIN variants v ON v.id = j.variant_id"
  " LEFT JOIN locations l ON l.id = j.location_id"
  " WHERE j.level_on_hand <> j.ledger_on_hand OR j.level_committed <> j.ledger_committed"
  " UNION ALL "
  /* The per-variant totals the product list sorts by must match the levels
   * too; they are reported with location 0. */
  "SELECT v.id, 0, v.sku, 'all locations',"
  "       v.on_hand, coalesce (t.on_hand, 0),"
  "       v.on_hand - v.available, coalesce (t.committed, 0)"
  " FROM variants v LEFT JOIN ("
  "   SELECT variant_id, sum (on_hand) AS on_hand, sum (committed) AS committed"
  "   FROM stock_levels GROUP BY variant_id) t ON t.variant_id = v.id"
  " WHERE v.on_hand <> coalesce (t.on_hand, 0)"
  "    OR v.on_hand - v.available <> coalesce (t.committed, 0)"
  " ORDER BY 1, 2";

/* The aggregates the triggers keep (schema 4) against a recomputation from
 * the rows: one row per figure that differs, naming the group and the
 * figure, with the kept value then the recomputed one. All-zero kept rows
 * are the same as no row. */
#define AGGREGATE_FIGURE(figure) \
  " SELECT j.grouping, j.label, '" figure "', coalesce (j.s_" figure ", 0), coalesce (j.e_" figure ", 0)" \
  " FROM joined j WHERE coalesce (j.s_" figure ", 0) <> coalesce (j.e_" figure ", 0)"
#define SALES_FIGURE(figure) \
  " SELECT 'sales', j.day || ' ' || j.channel_id, '" figure "', coalesce (j.s_" figure ", 0)," \
  "        coalesce (j.e_" figure ", 0)" \
  " FROM sales j WHERE coalesce (j.s_" figure ", 0) <> coalesce (j.e_" figure ", 0)"

static const char aggregates_check_sql[] =
  "WITH expected AS MATERIALIZED (SELECT * FROM stock_aggregates_expected),"
  " expected_sales AS MATERIALIZED (SELECT * FROM sales_daily_expected),"
  " joined AS MATERIALIZED ("
  "  SELECT coalesce (s.grouping, e.grouping) AS grouping, coalesce (s.label, e.label) AS label,"
  "         s.products AS s_products, e.products AS e_products,"
  "         s.variants AS s_variants, e.variants AS e_variants,"
  "         s.units AS s_units, e.units AS e_units,"
  "         s.cost_value AS s_cost_value, e.cost_value AS e_cost_value,"
  "         s.retail_value AS s_retail_value, e.retail_value AS e_retail_value,"
  "         s.out_of_stock AS s_out_of_stock, e.out_of_stock AS e_out_of_stock,"
  "         s.low_stock AS s_low_stock, e.low_stock AS e_low_stock,"
  "         s.due AS s_due, e.due AS e_due"
  "  FROM stock_aggregates s FULL OUTER JOIN expected e"
  "    ON e.grouping = s.grouping AND e.label = s.label),"
  " sales AS MATERIALIZED ("
  "  SELECT coalesce (s.day, e.day) AS day, coalesce (s.channel_id, e.channel_id) AS channel_id,"
  "         s.units AS s_units, e.units AS e_units, s.revenue AS s_revenue,"
  "         e.revenue AS e_revenue, s.orders AS s_orders, e.orders AS e_orders"
  "  FROM sales_daily s FULL OUTER JOIN expected_sales e"
  "    ON e.day = s.day AND e.channel_id = s.channel_id)"
  AGGREGATE_FIGURE ("products")
  " UNION ALL"
  AGGREGATE_FIGURE ("variants")
  " UNION ALL"
  AGGREGATE_FIGURE ("units")
  " UNION ALL"
  AGGREGATE_FIGURE ("cost_value")
  " UNION ALL"
  AGGREGATE_FIGURE ("retail_value")
  " UNION ALL"
  AGGREGATE_FIGURE ("out_of_stock")
  " UNION ALL"
  AGGREGATE_FIGURE ("low_stock")
  " UNION ALL"
  AGGREGATE_FIGURE ("due")
  " UNION ALL"
  SALES_FIGURE ("units")
  " UNION ALL"
  SALES_FIGURE ("revenue")
  " UNION ALL"
  SALES_FIGURE ("orders")
  " UNION ALL"
  " SELECT 'count', 'variants with a stale reorder point in force', 'rows', count(*), 0"
  " FROM variants WHERE reorder_at IS DISTINCT FROM coalesce (reorder_point,"
  "   (SELECT CAST (value AS BIGINT) FROM settings"
  "    WHERE key = 'default_reorder_point' AND value <> ''))"
  " HAVING count(*) > 0"
  " UNION ALL"
  " SELECT 'count', 'variants with a stale last sale time', 'rows', count(*), 0"
  " FROM variants v LEFT JOIN (SELECT variant_id, max (created_at) AS at FROM movements"
  "                            WHERE reason = 'sold' GROUP BY variant_id) s"
  "   ON s.variant_id = v.id"
  " WHERE v.last_sold_at IS DISTINCT FROM s.at"
  " HAVING count(*) > 0"
  " UNION ALL"
  " SELECT 'count', 'orders', 'rows', coalesce ((SELECT n FROM table_counts WHERE name = 'orders'), -1),"
  "        (SELECT count(*) FROM orders)"
  " WHERE coalesce ((SELECT n FROM table_counts WHERE name = 'orders'), -1)"
  "       <> (SELECT count(*) FROM orders)"
  /* Schema 5: per variant and day, and the sums over the kept window,
   * kept and expected side by side through a grouping (a full join of the
   * grouped view would be a nested loop over it). */
  " UNION ALL"
  " SELECT 'variant sales', day || ' ' || variant_id,"
  "        CASE WHEN sum (ku) <> sum (eu) THEN 'units' ELSE 'revenue' END,"
  "        CASE WHEN sum (ku) <> sum (eu) THEN sum (ku) ELSE sum (kr) END,"
  "        CASE WHEN sum (ku) <> sum (eu) THEN sum (eu) ELSE sum (er) END"
  " FROM (SELECT day, variant_id, units AS ku, 0 AS eu, revenue AS kr, 0 AS er"
  "       FROM sales_variant_daily"
  "       UNION ALL"
  "       SELECT day, variant_id, 0, units, 0, revenue FROM sales_variant_daily_expected) u"
  " GROUP BY day, variant_id HAVING sum (ku) <> sum (eu) OR sum (kr) <> sum (er)"
  " UNION ALL"
  " SELECT 'recent sales', CAST (variant_id AS TEXT),"
  "        CASE WHEN sum (ku) <> sum (eu) THEN 'units' ELSE 'revenue' END,"
  "        CASE WHEN sum (ku) <> sum (eu) THEN sum (ku) ELSE sum (kr) END,"
  "        CASE WHEN sum (ku) <> sum (eu) THEN sum (eu) ELSE sum (er) END"
  " FROM (SELECT variant_id, units AS ku, 0 AS eu, revenue AS kr, 0 AS er"
  "       FROM sales_variant_recent"
  "       UNION ALL"
  "       SELECT variant_id, 0, units, 0, revenue FROM sales_variant_recent_expected) u"
  " GROUP BY variant_id HAVING sum (ku) <> sum (eu) OR sum (kr) <> sum (er)"
  " ORDER BY 1, 2, 3";

static gboolean
check_aggregates (OmniStore  *self,
                  GPtrArray  *found,
                  GError    **error)
{
  OmniDbStmt *stmt;
  int rc;

  /* On PostgreSQL a transaction's changes to the totals wait for its commit
   * (see stock_aggregate_changes in the schema); inside one, they are added
   * now so that the check compares like with like. */
  if (_omni_store_is_postgresql (self) && !omni_db_get_autocommit (self->db) &&
      !_omni_store_exec (self, "SELECT omni_fold_stock_aggregates ()", error))
    return FALSE;

  stmt = _omni_store_prepare (self, aggregates_check_sql, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniLedgerMismatch *m = g_new0 (OmniLedgerMismatch, 1);
      const char *grouping = (const char *)omni_db_column_text (stmt, 0);
      const char *label = (const char *)omni_db_column_text (stmt, 1);
      const char *figure = (const char *)omni_db_column_text (stmt, 2);

      m->location_id = -1;
      if (g_strcmp0 (grouping, "total") == 0)
        m->location = g_strdup_printf ("stock totals: %s", figure);
      else if (g_strcmp0 (grouping, "sales") == 0)
        m->location = g_strdup_printf ("daily sales (day, channel) %s: %s", label, figure);
      else if (g_strcmp0 (grouping, "count") == 0)
        m->location = g_strdup_printf ("count of %s", label);
      else if (g_strcmp0 (grouping, "variant sales") == 0)
        m->location = g_strdup_printf ("sales per variant and day (day, variant) %s: %s", label, figure);
      else if (g_strcmp0 (grouping, "recent sales") == 0)
        m->location = g_strdup_printf ("recent sales of variant %s: %s", label, figure);
      else
        m->location = g_strdup_printf ("stock totals of %s “%s”: %s", grouping, label, figure);
      m->level_on_hand = omni_db_column_int64 (stmt, 3);
      m->ledger_on_hand = omni_db_column_int64 (stmt, 4);
      g_ptr_array_add (found, m);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not check the kept totals");
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_store_check_ledger:
 *
 * Proves the invariant: every stock level equals the sum of its movements.
 *
 * Also recomputes the totals the triggers keep for the dashboard (stock
 * figures in total, per product type and per vendor, daily sales, the order
 * count): each that differs is a mismatch with variant_id 0 and
 * location_id -1, @location naming the figure, level_on_hand the kept
 * value and ledger_on_hand the recomputed one.
 *
 * Returns: (transfer full) (element-type OmniLedgerMismatch): the levels that
 *   disagree (empty when all agree), or %NULL with @error set
 */
GPtrArray *
omni_store_check_ledger (OmniStore  *self,
                         GError    **error)
{
  g_autoptr(GPtrArray) found = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, ledger_check_sql, error);
  if (stmt == NULL)
    return NULL;

  found = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_ledger_mismatch_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniLedgerMismatch *m = g_new0 (OmniLedgerMismatch, 1);

      m->variant_id = omni_db_column_int64 (stmt, 0);
      m->location_id = omni_db_column_int64 (stmt, 1);
      m->sku = g_strdup ((const char *)omni_db_column_text (stmt, 2));
      m->location = g_strdup ((const char *)omni_db_column_text (stmt, 3));
      m->level_on_hand = omni_db_column_int64 (stmt, 4);
      m->ledger_on_hand = omni_db_column_int64 (stmt, 5);
      m->level_committed = omni_db_column_int64 (stmt, 6);
      m->ledger_committed = omni_db_column_int64 (stmt, 7);
      g_ptr_array_add (found, m);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not check the ledger");
      return NULL;
    }

  if (!check_aggregates (self, found, error))
    return NULL;

  return g_steal_pointer (&found);
}

/**
 * omni_store_count_levels:
 *
 * Returns: the number of (variant, location) stock levels, for reports of
 *   how much omni_store_check_ledger() covered
 */
gint64
omni_store_count_levels (OmniStore *self)
{
  gint64 n = 0;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  query_int (self, "SELECT count(*) FROM stock_levels", &n, NULL);
  return n;
}
