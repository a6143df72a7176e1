/* omni-db.c: the backend-neutral half of a store connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-db"

#include "config.h"

#include "omni-db.h"
#include "omni-db-pg.h"

OmniDb *
omni_db_new_sqlite (sqlite3 *handle)
{
  OmniDb *db = g_new0 (OmniDb, 1);

  g_return_val_if_fail (handle != NULL, NULL);
  db->lite = handle;
  return db;
}

OmniDb *
omni_db_open_postgresql (const char  *conninfo,
                         GError     **error)
{
  OmniDbPg *pg = _omni_db_pg_open (conninfo, error);
  OmniDb *db;

  if (pg == NULL)
    return NULL;
  db = g_new0 (OmniDb, 1);
  db->pg = pg;
  return db;
}

void
omni_db_close (OmniDb *db)
{
  if (db == NULL)
    return;
  if (db->lite != NULL)
    sqlite3_close_v2 (db->lite);
  if (db->pg != NULL)
    _omni_db_pg_close (db->pg);
  g_free (db);
}

OmniDbBackend
omni_db_get_backend (OmniDb *db)
{
  return db->pg != NULL ? OMNI_DB_POSTGRESQL : OMNI_DB_SQLITE;
}

/* Whether a --db value names a PostgreSQL server instead of a file. */
gboolean
omni_db_is_postgresql_uri (const char *path)
{
  return path != NULL &&
         (g_str_has_prefix (path, "postgresql://") || g_str_has_prefix (path, "postgres://"));
}

int
omni_db_prepare (OmniDb      *db,
                 const char  *sql,
                 OmniDbStmt **out)
{
  OmniDbStmt *stmt;
  int rc;

  *out = NULL;
  if (db->lite != NULL)
    {
      sqlite3_stmt *lite = NULL;

      rc = sqlite3_prepare_v3 (db->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &lite, NULL);
      if (rc != SQLITE_OK)
        {
          sqlite3_finalize (lite);
          return rc;
        }
      stmt = g_new0 (OmniDbStmt, 1);
      stmt->lite = lite;
    }
  else
    {
      OmniDbPgStmt *pg = NULL;

      rc = _omni_db_pg_prepare (db->pg, sql, &pg);
      if (rc != SQLITE_OK)
        return rc;
      stmt = g_new0 (OmniDbStmt, 1);
      stmt->pg = pg;
    }
  stmt->db = db;
  *out = stmt;
  return SQLITE_OK;
}

void
omni_db_finalize (OmniDbStmt *stmt)
{
  if (stmt == NULL)
    return;
  if (stmt->lite != NULL)
    sqlite3_finalize (stmt->lite);
  if (stmt->pg != NULL)
    _omni_db_pg_finalize (stmt->pg);
  g_free (stmt);
}

int
omni_db_exec (OmniDb     *db,
              const char *sql)
{
  if (db->lite != NULL)
    return sqlite3_exec (db->lite, sql, NULL, NULL, NULL);
  return _omni_db_pg_exec (db->pg, sql);
}

const char *
omni_db_errmsg (OmniDb *db)
{
  if (db->lite != NULL)
    return sqlite3_errmsg (db->lite);
  return _omni_db_pg_errmsg (db->pg);
}

int
omni_db_extended_errcode (OmniDb *db)
{
  if (db->lite != NULL)
    return sqlite3_extended_errcode (db->lite);
  return _omni_db_pg_errcode (db->pg);
}

gint64
omni_db_changes (OmniDb *db)
{
  if (db->lite != NULL)
    return sqlite3_changes64 (db->lite);
  return _omni_db_pg_changes (db->pg);
}

gint64
omni_db_last_insert_rowid (OmniDb *db)
{
  if (db->lite != NULL)
    return sqlite3_last_insert_rowid (db->lite);
  g_critical ("last_insert_rowid() has no PostgreSQL equivalent; use INSERT … RETURNING id");
  return 0;
}

gboolean
omni_db_get_autocommit (OmniDb *db)
{
  if (db->lite != NULL)
    return sqlite3_get_autocommit (db->lite) != 0;
  return !_omni_db_pg_in_transaction (db->pg);
}
