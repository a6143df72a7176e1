/* omni-db.h: one connection to the store's database, SQLite or PostgreSQL
 *
 * The store's modules speak SQL through this layer only. A SQLite
 * connection is a thin pass-through (every call below is one branch and the
 * sqlite3_* call it names); a PostgreSQL connection (omni-db-pg.c, libpq)
 * rewrites the few places where the dialects differ and runs the statement
 * when it is first stepped.
 *
 * Result codes are SQLite's on both backends (SQLITE_OK, SQLITE_ROW,
 * SQLITE_DONE, SQLITE_CONSTRAINT_UNIQUE, SQLITE_BUSY, …): the PostgreSQL
 * driver maps each SQLSTATE onto the nearest one, so the store's error
 * handling is written once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum
{
  OMNI_DB_SQLITE,
  OMNI_DB_POSTGRESQL,
} OmniDbBackend;

typedef struct _OmniDb       OmniDb;
typedef struct _OmniDbStmt   OmniDbStmt;
typedef struct _OmniDbPg     OmniDbPg;       /* omni-db-pg.c */
typedef struct _OmniDbPgStmt OmniDbPgStmt;   /* omni-db-pg.c */

struct _OmniDb
{
  sqlite3  *lite;   /* exactly one of these is set */
  OmniDbPg *pg;
};

struct _OmniDbStmt
{
  sqlite3_stmt *lite;   /* exactly one of these is set */
  OmniDbPgStmt *pg;
  OmniDb       *db;
};

/* Connections ---------------------------------------------------------- */

/* Wraps an open SQLite handle; the OmniDb owns it from then on. */
OmniDb       *omni_db_new_sqlite           (sqlite3      *handle);
/* @conninfo: a libpq connection URI or key=value string. */
OmniDb       *omni_db_open_postgresql      (const char   *conninfo,
                                            GError      **error);
void          omni_db_close                (OmniDb       *db);
OmniDbBackend omni_db_get_backend          (OmniDb       *db);
gboolean      omni_db_is_postgresql_uri    (const char   *path);

int           omni_db_prepare              (OmniDb       *db,
                                            const char   *sql,
                                            OmniDbStmt  **out);
int           omni_db_exec                 (OmniDb       *db,
                                            const char   *sql);
const char   *omni_db_errmsg               (OmniDb       *db);
int           omni_db_extended_errcode     (OmniDb       *db);
/* Rows changed by the last INSERT, UPDATE or DELETE (not by its triggers). */
gint64        omni_db_changes              (OmniDb       *db);
/* SQLite only; write `INSERT … RETURNING id` where both backends must work. */
gint64        omni_db_last_insert_rowid    (OmniDb       *db);
gboolean      omni_db_get_autocommit       (OmniDb       *db);

/* PostgreSQL halves of the statement calls (omni-db-pg.c) -------------- */

int           _omni_db_pg_bind_int64       (OmniDbPgStmt *stmt, int index, gint64 value);
int           _omni_db_pg_bind_double      (OmniDbPgStmt *stmt, int index, double value);
int           _omni_db_pg_bind_text        (OmniDbPgStmt *stmt, int index,
                                            const char *value, int length);
int           _omni_db_pg_bind_blob        (OmniDbPgStmt *stmt, int index,
                                            const void *value, int length);
int           _omni_db_pg_bind_null        (OmniDbPgStmt *stmt, int index);
int           _omni_db_pg_bind_parameter_count (OmniDbPgStmt *stmt);
int           _omni_db_pg_step             (OmniDbPgStmt *stmt);
int           _omni_db_pg_reset            (OmniDbPgStmt *stmt);
int           _omni_db_pg_clear_bindings   (OmniDbPgStmt *stmt);
void          _omni_db_pg_finalize         (OmniDbPgStmt *stmt);
int           _omni_db_pg_column_count     (OmniDbPgStmt *stmt);
int           _omni_db_pg_column_type      (OmniDbPgStmt *stmt, int column);
gint64        _omni_db_pg_column_int64     (OmniDbPgStmt *stmt, int column);
double        _omni_db_pg_column_double    (OmniDbPgStmt *stmt, int column);
const unsigned char *_omni_db_pg_column_text (OmniDbPgStmt *stmt, int column);
const void   *_omni_db_pg_column_blob      (OmniDbPgStmt *stmt, int column);
int           _omni_db_pg_column_bytes     (OmniDbPgStmt *stmt, int column);
const char   *_omni_db_pg_column_name      (OmniDbPgStmt *stmt, int column);

/* Statements: the sqlite3_* signatures, so code reads the same --------- */

#define OMNI_DB_DISPATCH(stmt, lite_call, pg_call) \
  (G_LIKELY ((stmt)->lite != NULL) ? (lite_call) : (pg_call))

static inline int
omni_db_bind_int64 (OmniDbStmt *stmt, int index, gint64 value)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_bind_int64 (stmt->lite, index, value),
                           _omni_db_pg_bind_int64 (stmt->pg, index, value));
}

static inline int
omni_db_bind_int (OmniDbStmt *stmt, int index, int value)
{
  return omni_db_bind_int64 (stmt, index, value);
}

static inline int
omni_db_bind_double (OmniDbStmt *stmt, int index, double value)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_bind_double (stmt->lite, index, value),
                           _omni_db_pg_bind_double (stmt->pg, index, value));
}

/* @destructor as in sqlite3_bind_text(); the PostgreSQL driver always
 * copies, and calls a real destructor itself. */
static inline int
omni_db_bind_text (OmniDbStmt *stmt, int index, const char *value, int length,
                   void (*destructor) (void *))
{
  int rc;

  if (G_LIKELY (stmt->lite != NULL))
    return sqlite3_bind_text (stmt->lite, index, value, length, destructor);
  rc = _omni_db_pg_bind_text (stmt->pg, index, value, length);
  if (destructor != SQLITE_STATIC && destructor != SQLITE_TRANSIENT && destructor != NULL)
    destructor ((void *)value);
  return rc;
}

static inline int
omni_db_bind_blob (OmniDbStmt *stmt, int index, const void *value, int length,
                   void (*destructor) (void *))
{
  int rc;

  if (G_LIKELY (stmt->lite != NULL))
    return sqlite3_bind_blob (stmt->lite, index, value, length, destructor);
  rc = _omni_db_pg_bind_blob (stmt->pg, index, value, length);
  if (destructor != SQLITE_STATIC && destructor != SQLITE_TRANSIENT && destructor != NULL)
    destructor ((void *)value);
  return rc;
}

static inline int
omni_db_bind_null (OmniDbStmt *stmt, int index)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_bind_null (stmt->lite, index),
                           _omni_db_pg_bind_null (stmt->pg, index));
}

static inline int
omni_db_bind_parameter_count (OmniDbStmt *stmt)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_bind_parameter_count (stmt->lite),
                           _omni_db_pg_bind_parameter_count (stmt->pg));
}

static inline int
omni_db_step (OmniDbStmt *stmt)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_step (stmt->lite), _omni_db_pg_step (stmt->pg));
}

static inline int
omni_db_reset (OmniDbStmt *stmt)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_reset (stmt->lite), _omni_db_pg_reset (stmt->pg));
}

static inline int
omni_db_clear_bindings (OmniDbStmt *stmt)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_clear_bindings (stmt->lite),
                           _omni_db_pg_clear_bindings (stmt->pg));
}

static inline int
omni_db_column_count (OmniDbStmt *stmt)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_count (stmt->lite),
                           _omni_db_pg_column_count (stmt->pg));
}

/* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL. */
static inline int
omni_db_column_type (OmniDbStmt *stmt, int column)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_type (stmt->lite, column),
                           _omni_db_pg_column_type (stmt->pg, column));
}

static inline gint64
omni_db_column_int64 (OmniDbStmt *stmt, int column)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_int64 (stmt->lite, column),
                           _omni_db_pg_column_int64 (stmt->pg, column));
}

static inline int
omni_db_column_int (OmniDbStmt *stmt, int column)
{
  return (int)omni_db_column_int64 (stmt, column);
}

static inline double
omni_db_column_double (OmniDbStmt *stmt, int column)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_double (stmt->lite, column),
                           _omni_db_pg_column_double (stmt->pg, column));
}

/* Valid until the next step, reset or finalize of @stmt. */
static inline const unsigned char *
omni_db_column_text (OmniDbStmt *stmt, int column)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_text (stmt->lite, column),
                           _omni_db_pg_column_text (stmt->pg, column));
}

static inline const void *
omni_db_column_blob (OmniDbStmt *stmt, int column)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_blob (stmt->lite, column),
                           _omni_db_pg_column_blob (stmt->pg, column));
}

static inline int
omni_db_column_bytes (OmniDbStmt *stmt, int column)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_bytes (stmt->lite, column),
                           _omni_db_pg_column_bytes (stmt->pg, column));
}

static inline const char *
omni_db_column_name (OmniDbStmt *stmt, int column)
{
  return OMNI_DB_DISPATCH (stmt, sqlite3_column_name (stmt->lite, column),
                           _omni_db_pg_column_name (stmt->pg, column));
}

void          omni_db_finalize             (OmniDbStmt   *stmt);

G_END_DECLS
