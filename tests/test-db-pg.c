/* test-db-pg.c: the libpq driver behind OmniDb, against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-db-pg"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "omni-db.h"
#include "omni-db-pg.h"
#include "omni-store.h"
#include "omni-store-private.h"
#include "pg-test-server.h"

/* Helpers -------------------------------------------------------------- */

static OmniDb *
open_new_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  OmniDb *db;

  g_assert_no_error (error);
  db = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (omni_db_get_backend (db), ==, OMNI_DB_POSTGRESQL);
  return db;
}

static void
exec_ok (OmniDb     *db,
         const char *sql)
{
  int rc = omni_db_exec (db, sql);

  if (rc != SQLITE_OK)
    g_error ("%s failed (%d): %s", sql, rc, omni_db_errmsg (db));
}

static gint64
query_int (OmniDb     *db,
           const char *sql)
{
  OmniDbStmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (omni_db_prepare (db, sql, &stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  value = omni_db_column_int64 (stmt, 0);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);
  omni_db_finalize (stmt);
  return value;
}

static char *
query_text (OmniDb     *db,
            const char *sql)
{
  OmniDbStmt *stmt = NULL;
  char *value;

  g_assert_cmpint (omni_db_prepare (db, sql, &stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *)omni_db_column_text (stmt, 0));
  omni_db_finalize (stmt);
  return value;
}

/* Steps an INSERT of one text value and returns the step's result code. */
static int
insert_text (OmniDb     *db,
             const char *sql,
             const char *value)
{
  OmniDbStmt *stmt = NULL;
  int rc;

  g_assert_cmpint (omni_db_prepare (db, sql, &stmt), ==, SQLITE_OK);
  omni_db_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  omni_db_finalize (stmt);
  return rc;
}

/* Rewriting ------------------------------------------------------------ */

static void
test_rewrite (void)
{
  static const struct {
    const char *sql;
    const char *expected;
    int         n_params;
  } cases[] = {
    { "SELECT 1", "SELECT 1", 0 },
    { "SELECT * FROM t WHERE a = ?1 AND b = ?2 OR c = ?1",
      "SELECT * FROM t WHERE a = $1 AND b = $2 OR c = $1", 2 },
    { "INSERT INTO t VALUES (?, ?, ?)", "INSERT INTO t VALUES ($1, $2, $3)", 3 },
    /* SQLite numbers a bare ? one above the highest so far */
    { "SELECT ?5, ?, ?2, ?", "SELECT $5, $6, $2, $7", 7 },
    { "SELECT ?007", "SELECT $7", 7 },
    /* strings, identifiers, comments and dollar quotes stay as they are */
    { "SELECT 'a ? b', 'it''s ?1', \"col?\" FROM t WHERE x = ?",
      "SELECT 'a ? b', 'it''s ?1', \"col?\" FROM t WHERE x = $1", 1 },
    { "SELECT 1 -- what ? INSERT OR IGNORE\n, ? /* ?2 BEGIN IMMEDIATE /* nested ? */ ? */",
      "SELECT 1 -- what ? INSERT OR IGNORE\n, $1 /* ?2 BEGIN IMMEDIATE /* nested ? */ ? */", 1 },
    { "CREATE FUNCTION f () RETURNS trigger AS $body$ BEGIN IF ? THEN 'x'; END IF; END $body$"
      " LANGUAGE plpgsql; SELECT $$ ? temp.x $$, ?",
      "CREATE FUNCTION f () RETURNS trigger AS $body$ BEGIN IF ? THEN 'x'; END IF; END $body$"
      " LANGUAGE plpgsql; SELECT $$ ? temp.x $$, $1", 1 },
    { "SELECT E'a\\'?', ?", "SELECT E'a\\'?', $1", 1 },
    { "SELECT price$ FROM t WHERE id = $2", "SELECT price$ FROM t WHERE id = $2", 2 },
    { "BEGIN IMMEDIATE", "BEGIN", 0 },
    { "begin  deferred transaction", "begin transaction", 0 },
    { "BEGIN EXCLUSIVE; SELECT 1", "BEGIN; SELECT 1", 0 },
    { "SELECT immediate FROM begin_log", "SELECT immediate FROM begin_log", 0 },
    { "INSERT OR IGNORE INTO tags (name) VALUES (?1)",
      "INSERT INTO tags (name) VALUES ($1) ON CONFLICT DO NOTHING", 1 },
    { "insert or ignore into tags (name) values (?) returning id",
      "insert into tags (name) values ($1) ON CONFLICT DO NOTHING returning id", 1 },
    { "INSERT OR IGNORE INTO t (a) SELECT x FROM (SELECT ?1 AS x) AS s -- done\n",
      "INSERT INTO t (a) SELECT x FROM (SELECT $1 AS x) AS s ON CONFLICT DO NOTHING -- done\n", 1 },
    { "INSERT OR IGNORE INTO a VALUES (1); INSERT INTO b VALUES (2)",
      "INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING; INSERT INTO b VALUES (2)", 0 },
    { "INSERT OR IGNORE INTO a (x) SELECT r FROM (SELECT 1 AS returning) s RETURNING x",
      "INSERT INTO a (x) SELECT r FROM (SELECT 1 AS returning) s"
      " ON CONFLICT DO NOTHING RETURNING x", 0 },
    { "INSERT INTO 'or ignore' VALUES (?)", "INSERT INTO 'or ignore' VALUES ($1)", 1 },
    { "CREATE TEMP TABLE ids (id BIGINT); INSERT INTO temp.ids SELECT id FROM TEMP.ids, x.temp",
      "CREATE TEMP TABLE ids (id BIGINT); INSERT INTO pg_temp.ids SELECT id FROM pg_temp.ids, x.temp",
      0 },
    { "SELECT temp.x, attempt.y, temp_a.z, 'temp.', \"temp\".w FROM t",
      "SELECT pg_temp.x, attempt.y, temp_a.z, 'temp.', \"temp\".w FROM t", 0 },
    /* unterminated quotes are copied, not run past */
    { "SELECT 'open ?", "SELECT 'open ?", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      int n_params = -1;

      out = _omni_db_pg_rewrite_sql (cases[i].sql, &n_params);
      g_assert_cmpstr (out, ==, cases[i].expected);
      g_assert_cmpint (n_params, ==, cases[i].n_params);
    }
}

/* Connections ---------------------------------------------------------- */

static void
test_session (void)
{
  OmniDb *db = open_new_database ();
  g_autofree char *encoding = query_text (db, "SHOW client_encoding");
  g_autofree char *zone = query_text (db, "SHOW TimeZone");
  g_autofree char *name = query_text (db, "SHOW application_name");
  g_autofree char *noon = query_text (db, "SELECT CAST ('2026-03-01 12:00:00+02' AS timestamptz)");

  g_assert_cmpstr (encoding, ==, "UTF8");
  g_assert_cmpstr (zone, ==, "UTC");
  g_assert_cmpstr (name, ==, "omnistock");
  g_assert_cmpstr (noon, ==, "2026-03-01 10:00:00+00");
  g_assert_true (omni_db_get_autocommit (db));
  g_assert_cmpint (_omni_db_pg_get_socket (db->pg), >=, 0);
  g_assert_true (_omni_db_pg_is_connected (db->pg));
  g_assert_cmpint (PQstatus (_omni_db_pg_get_conn (db->pg)), ==, CONNECTION_OK);
  omni_db_close (db);
}

/* Binds and columns ---------------------------------------------------- */

static void
test_round_trip (void)
{
  static const guchar blob[] = { 0x00, 0x01, 'a', 0x00, 0xff, 0x5c, 0x78 };
  const char *utf8 = "Crème brûlée — 寿司 🍣";
  OmniDb *db = open_new_database ();
  OmniDbStmt *stmt = NULL;

  exec_ok (db, "CREATE TABLE vals (i BIGINT, d DOUBLE PRECISION, t TEXT, b BYTEA, n TEXT)");
  g_assert_cmpint (omni_db_prepare (db, "INSERT INTO vals VALUES (?, ?, ?, ?, ?)", &stmt), ==,
                   SQLITE_OK);
  g_assert_cmpint (omni_db_bind_parameter_count (stmt), ==, 5);
  for (int row = 0; row < 2; row++)
    {
      g_assert_cmpint (omni_db_bind_int64 (stmt, 1, row == 0 ? G_MAXINT64 : G_MININT64), ==,
                       SQLITE_OK);
      g_assert_cmpint (omni_db_bind_double (stmt, 2, row == 0 ? 0.1 : -1234.5e-10), ==,
                       SQLITE_OK);
      g_assert_cmpint (omni_db_bind_text (stmt, 3, utf8, row == 0 ? -1 : 6, SQLITE_STATIC), ==,
                       SQLITE_OK);
      g_assert_cmpint (omni_db_bind_blob (stmt, 4, blob, row == 0 ? sizeof blob : 0,
                                          SQLITE_STATIC), ==, SQLITE_OK);
      g_assert_cmpint (omni_db_bind_null (stmt, 5), ==, SQLITE_OK);
      g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);
      g_assert_cmpint (omni_db_changes (db), ==, 1);
      omni_db_reset (stmt);
    }
  g_assert_cmpint (omni_db_bind_int64 (stmt, 6, 1), ==, SQLITE_RANGE);
  g_assert_cmpint (omni_db_bind_int64 (stmt, 0, 1), ==, SQLITE_RANGE);
  omni_db_finalize (stmt);

  g_assert_cmpint (omni_db_prepare (db, "SELECT i, d, t, b, n FROM vals ORDER BY i DESC", &stmt),
                   ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_count (stmt), ==, 5);
  g_assert_cmpstr (omni_db_column_name (stmt, 2), ==, "t");
  g_assert_cmpint (omni_db_column_type (stmt, 0), ==, SQLITE_INTEGER);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, G_MAXINT64);
  g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 0), ==, "9223372036854775807");
  g_assert_cmpint (omni_db_column_type (stmt, 1), ==, SQLITE_FLOAT);
  g_assert_cmpfloat (omni_db_column_double (stmt, 1), ==, 0.1);
  g_assert_cmpint (omni_db_column_type (stmt, 2), ==, SQLITE_TEXT);
  g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 2), ==, utf8);
  g_assert_cmpint (omni_db_column_bytes (stmt, 2), ==, strlen (utf8));
  g_assert_cmpint (omni_db_column_type (stmt, 3), ==, SQLITE_BLOB);
  g_assert_cmpint (omni_db_column_bytes (stmt, 3), ==, sizeof blob);
  g_assert_cmpmem (omni_db_column_blob (stmt, 3), omni_db_column_bytes (stmt, 3),
                   blob, sizeof blob);
  g_assert_cmpint (omni_db_column_type (stmt, 4), ==, SQLITE_NULL);
  g_assert_null (omni_db_column_text (stmt, 4));
  g_assert_null (omni_db_column_blob (stmt, 4));
  g_assert_cmpint (omni_db_column_bytes (stmt, 4), ==, 0);
  g_assert_cmpint (omni_db_column_int64 (stmt, 4), ==, 0);

  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, G_MININT64);
  g_assert_cmpfloat (omni_db_column_double (stmt, 1), ==, -1234.5e-10);
  g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 2), ==, "Crème");
  /* an empty blob is an empty blob, not NULL, as on SQLite */
  g_assert_cmpint (omni_db_column_type (stmt, 3), ==, SQLITE_BLOB);
  g_assert_cmpint (omni_db_column_bytes (stmt, 3), ==, 0);
  g_assert_null (omni_db_column_blob (stmt, 3));
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);
  omni_db_finalize (stmt);

  /* How the other server types read, as SQLite would read them */
  g_assert_cmpint (omni_db_prepare (db, "SELECT CAST (12.7 AS numeric), CAST (-12.7 AS numeric),"
                                        " CAST (42 AS numeric), 2 > 1, 1 > 2, CAST (7 AS int4),"
                                        " CAST ('2.5e3' AS float8), CAST (3 AS smallint),"
                                        " CAST ('NaN' AS numeric)", &stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_type (stmt, 0), ==, SQLITE_FLOAT);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 12);
  g_assert_cmpfloat (omni_db_column_double (stmt, 0), ==, 12.7);
  g_assert_cmpint (omni_db_column_int64 (stmt, 1), ==, -12);
  g_assert_cmpint (omni_db_column_type (stmt, 2), ==, SQLITE_INTEGER);
  g_assert_cmpint (omni_db_column_int64 (stmt, 2), ==, 42);
  g_assert_cmpint (omni_db_column_type (stmt, 3), ==, SQLITE_INTEGER);
  g_assert_cmpint (omni_db_column_int64 (stmt, 3), ==, 1);
  g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 3), ==, "1");
  g_assert_cmpint (omni_db_column_int64 (stmt, 4), ==, 0);
  g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 4), ==, "0");
  g_assert_cmpint (omni_db_column_type (stmt, 5), ==, SQLITE_INTEGER);
  g_assert_cmpint (omni_db_column_int64 (stmt, 5), ==, 7);
  g_assert_cmpint (omni_db_column_type (stmt, 6), ==, SQLITE_FLOAT);
  g_assert_cmpint (omni_db_column_int64 (stmt, 6), ==, 2500);
  g_assert_cmpint (omni_db_column_type (stmt, 7), ==, SQLITE_INTEGER);
  g_assert_cmpint (omni_db_column_type (stmt, 8), ==, SQLITE_FLOAT);
  g_assert_cmpint (omni_db_column_int64 (stmt, 8), ==, 0);
  omni_db_finalize (stmt);

  /* A number SQLite lets a statement skip (?2 here) */
  g_assert_cmpint (omni_db_prepare (db, "SELECT ?1 || '-' || ?3", &stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_bind_parameter_count (stmt), ==, 3);
  omni_db_bind_text (stmt, 1, "a", -1, SQLITE_STATIC);
  omni_db_bind_text (stmt, 3, "c", -1, SQLITE_STATIC);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 0), ==, "a-c");
  omni_db_finalize (stmt);
  omni_db_close (db);
}

static void
test_reset_rebind (void)
{
  OmniDb *db = open_new_database ();
  OmniDbStmt *stmt = NULL;
  int n = 0;

  g_assert_cmpint (omni_db_prepare (db, "SELECT ?1 * 2 FROM generate_series (1, ?2)", &stmt), ==,
                   SQLITE_OK);
  omni_db_bind_int64 (stmt, 1, 21);
  omni_db_bind_int64 (stmt, 2, 1);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 42);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);

  /* reset keeps the bindings and runs the statement again */
  g_assert_cmpint (omni_db_reset (stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 42);

  /* new values, without stepping to the end first */
  omni_db_reset (stmt);
  omni_db_bind_int64 (stmt, 1, 50);
  omni_db_bind_int64 (stmt, 2, 3);
  while (omni_db_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 100);
      n++;
    }
  g_assert_cmpint (n, ==, 3);

  /* after DONE, a step starts over (as sqlite3_step's automatic reset) */
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 100);

  /* cleared bindings are NULL */
  omni_db_reset (stmt);
  omni_db_clear_bindings (stmt);
  omni_db_bind_int64 (stmt, 2, 1);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_type (stmt, 0), ==, SQLITE_NULL);
  omni_db_finalize (stmt);

  /* a failed step is reported again by reset, then forgotten */
  g_assert_cmpint (omni_db_prepare (db, "SELECT 1 / ?1", &stmt), ==, SQLITE_OK);
  omni_db_bind_int64 (stmt, 1, 0);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ERROR);
  g_assert_cmpstr (omni_db_errmsg (db), ==, "division by zero");
  g_assert_cmpint (omni_db_reset (stmt), ==, SQLITE_ERROR);
  g_assert_cmpint (omni_db_reset (stmt), ==, SQLITE_OK);
  omni_db_bind_int64 (stmt, 1, 1);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 1);
  omni_db_finalize (stmt);
  omni_db_close (db);
}

/* A statement run more than once is prepared on the server: new parameter
 * types, a dropped statement or a changed table are handled, and a
 * finalized statement is dropped on the server too. */
static void
test_server_statements (void)
{
  static const guchar blob[] = { 'x', 0x00, 'y' };
  OmniDb *db = open_new_database ();
  OmniDbStmt *stmt = NULL, *star = NULL;

  exec_ok (db, "CREATE TABLE kv (k BIGINT, v BYTEA)");
  g_assert_cmpint (omni_db_prepare (db, "SELECT CAST (?1 AS text), CAST (?2 AS bigint) IS NULL", &stmt), ==,
                   SQLITE_OK);
  /* the same types each run (NULL fits any): prepared once */
  for (int i = 0; i < 5; i++)
    {
      omni_db_reset (stmt);
      omni_db_bind_int64 (stmt, 1, i);
      if (i % 2 == 0)
        omni_db_bind_null (stmt, 2);
      else
        omni_db_bind_int64 (stmt, 2, i);
      g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, i);
      g_assert_cmpint (omni_db_column_int64 (stmt, 1), ==, i % 2 == 0);
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_prepared_statements"), ==, 1);

  for (int i = 0; i < 12; i++)
    {
      g_autofree char *expected = NULL;

      omni_db_reset (stmt);
      /* numbers, text, NULL and a blob in turn at the same place */
      switch (i % 4)
        {
        case 0:
          omni_db_bind_int64 (stmt, 1, i);
          expected = g_strdup_printf ("%d", i);
          break;
        case 1:
          omni_db_bind_text (stmt, 1, "texte", -1, SQLITE_STATIC);
          expected = g_strdup ("texte");
          break;
        case 2:
          omni_db_bind_null (stmt, 1);
          break;
        default:
          omni_db_bind_double (stmt, 1, 2.5);
          expected = g_strdup ("2.5");
          break;
        }
      if (i % 2 == 0)
        omni_db_bind_null (stmt, 2);
      else
        omni_db_bind_int64 (stmt, 2, i);
      g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 0), ==, expected);
      g_assert_cmpint (omni_db_column_int64 (stmt, 1), ==, i % 2 == 0);
    }
  /* types that change every run: after a few new preparations the statement
   * runs from its text, and the old server statements are dropped */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_prepared_statements"), ==, 0);

  /* DEALLOCATE ALL behind the driver's back */
  exec_ok (db, "DEALLOCATE ALL");
  omni_db_reset (stmt);
  omni_db_bind_int64 (stmt, 1, 77);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)omni_db_column_text (stmt, 0), ==, "77");

  /* a table that changed under a prepared SELECT * */
  g_assert_cmpint (omni_db_prepare (db, "SELECT * FROM kv WHERE k = ?1", &star), ==, SQLITE_OK);
  exec_ok (db, "INSERT INTO kv VALUES (1, NULL)");
  for (int i = 0; i < 2; i++)
    {
      omni_db_reset (star);
      omni_db_bind_int64 (star, 1, 1);
      g_assert_cmpint (omni_db_step (star), ==, SQLITE_ROW);
      g_assert_cmpint (omni_db_column_count (star), ==, 2);
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_prepared_statements"), ==, 1);
  exec_ok (db, "BEGIN; ALTER TABLE kv ADD COLUMN note TEXT DEFAULT 'n'");
  omni_db_reset (star);
  g_assert_cmpint (omni_db_step (star), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_count (star), ==, 3);
  g_assert_cmpstr ((const char *)omni_db_column_text (star, 2), ==, "n");
  exec_ok (db, "COMMIT");

  /* binary blobs through a prepared INSERT, after text values */
  omni_db_finalize (stmt);
  g_assert_cmpint (omni_db_prepare (db, "INSERT INTO kv (k, v) VALUES (?1, ?2)", &stmt), ==,
                   SQLITE_OK);
  for (int i = 2; i < 6; i++)
    {
      omni_db_reset (stmt);
      omni_db_bind_int64 (stmt, 1, i);
      if (i < 4)
        omni_db_bind_text (stmt, 2, "plain", -1, SQLITE_STATIC);
      else
        omni_db_bind_blob (stmt, 2, blob, sizeof blob, SQLITE_STATIC);
      g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);
    }
  omni_db_reset (star);
  omni_db_bind_int64 (star, 1, 5);
  g_assert_cmpint (omni_db_step (star), ==, SQLITE_ROW);
  g_assert_cmpmem (omni_db_column_blob (star, 1), omni_db_column_bytes (star, 1), blob, sizeof blob);
  omni_db_reset (star);
  omni_db_bind_int64 (star, 1, 3);
  g_assert_cmpint (omni_db_step (star), ==, SQLITE_ROW);
  g_assert_cmpmem (omni_db_column_blob (star, 1), omni_db_column_bytes (star, 1), "plain", 5);

  /* finalized: gone from the server once the next statement runs */
  omni_db_finalize (stmt);
  omni_db_finalize (star);
  g_assert_cmpint (query_int (db, "SELECT 1"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_prepared_statements"), ==, 0);
  omni_db_close (db);
}

/* Errors and transactions ---------------------------------------------- */

static void
setup_items (OmniDb *db)
{
  exec_ok (db,
           "CREATE TABLE items (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
           " sku TEXT NOT NULL UNIQUE, qty BIGINT NOT NULL DEFAULT 0 CHECK (qty >= 0));"
           "CREATE TABLE notes (item_id BIGINT NOT NULL REFERENCES items (id), body TEXT)");
}

static void
test_unique_in_transaction (void)
{
  OmniDb *db = open_new_database ();

  setup_items (db);
  exec_ok (db, "BEGIN IMMEDIATE");
  g_assert_false (omni_db_get_autocommit (db));
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "A-1"), ==, SQLITE_DONE);
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "B-2"), ==, SQLITE_DONE);
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "A-1"), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (omni_db_extended_errcode (db), ==, SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpstr (omni_db_errmsg (db), ==,
                   "duplicate key value violates unique constraint \"items_sku_key\"");
  /* The transaction carries on, as on SQLite: only that statement was undone. */
  g_assert_false (omni_db_get_autocommit (db));
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "C-3"), ==, SQLITE_DONE);
  g_assert_cmpint (omni_db_exec (db, "INSERT INTO items (sku) VALUES ('B-2')"), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM items"), ==, 3);
  exec_ok (db, "COMMIT");
  g_assert_true (omni_db_get_autocommit (db));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM items"), ==, 3);
  {
    g_autofree char *skus = query_text (db, "SELECT string_agg (sku, ',' ORDER BY sku) FROM items");
    g_assert_cmpstr (skus, ==, "A-1,B-2,C-3");
  }

  /* The store's nested transactions (savepoints) work around the wrapping */
  exec_ok (db, "BEGIN IMMEDIATE");
  exec_ok (db, "SAVEPOINT omni_1");
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "D-4"), ==, SQLITE_DONE);
  exec_ok (db, "ROLLBACK TO omni_1; RELEASE omni_1");
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "E-5"), ==, SQLITE_DONE);
  exec_ok (db, "COMMIT");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM items WHERE sku IN ('D-4', 'E-5')"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM items WHERE sku = 'E-5'"), ==, 1);

  /* Without the savepoints, PostgreSQL refuses the rest of the transaction */
  _omni_db_pg_set_statement_savepoints (db->pg, FALSE);
  exec_ok (db, "BEGIN");
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "A-1"), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (insert_text (db, "INSERT INTO items (sku) VALUES (?)", "F-6"), ==, SQLITE_ERROR);
  g_assert_cmpstr (omni_db_errmsg (db), ==,
                   "current transaction is aborted, commands ignored until end of transaction block");
  exec_ok (db, "ROLLBACK");
  _omni_db_pg_set_statement_savepoints (db->pg, TRUE);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM items"), ==, 4);
  omni_db_close (db);
}

static void
test_constraint_codes (void)
{
  OmniDb *db = open_new_database ();
  OmniDbStmt *stmt = NULL;

  setup_items (db);
  exec_ok (db,
           "CREATE FUNCTION items_guard () RETURNS trigger LANGUAGE plpgsql AS $$\n"
           "BEGIN\n"
           "  IF NEW.qty > 1000 THEN\n"
           "    RAISE EXCEPTION 'Stock cannot exceed 1000 units for %', NEW.sku;\n"
           "  END IF;\n"
           "  RETURN NEW;\n"
           "END $$;\n"
           "CREATE TRIGGER items_guard BEFORE INSERT OR UPDATE ON items"
           " FOR EACH ROW EXECUTE FUNCTION items_guard ();\n"
           "INSERT INTO items (sku, qty) VALUES ('A-1', 5)");

  exec_ok (db, "BEGIN IMMEDIATE");
  g_assert_cmpint (omni_db_prepare (db, "UPDATE items SET qty = ?2 WHERE sku = ?1", &stmt), ==,
                   SQLITE_OK);
  omni_db_bind_text (stmt, 1, "A-1", -1, SQLITE_STATIC);
  omni_db_bind_int64 (stmt, 2, 1001);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpstr (omni_db_errmsg (db), ==, "Stock cannot exceed 1000 units for A-1");
  omni_db_reset (stmt);
  omni_db_bind_int64 (stmt, 2, -1);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_CONSTRAINT_CHECK);
  g_assert_cmpstr (omni_db_errmsg (db), ==,
                   "new row for relation \"items\" violates check constraint \"items_qty_check\"");
  omni_db_reset (stmt);
  omni_db_bind_int64 (stmt, 2, 7);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (omni_db_changes (db), ==, 1);
  omni_db_finalize (stmt);

  g_assert_cmpint (omni_db_exec (db, "INSERT INTO items (sku) VALUES (NULL)"), ==,
                   SQLITE_CONSTRAINT_NOTNULL);
  g_assert_cmpint (omni_db_exec (db, "INSERT INTO notes (item_id) VALUES (999)"), ==,
                   SQLITE_CONSTRAINT_FOREIGNKEY);
  g_assert_cmpstr (omni_db_errmsg (db), ==, "insert or update on table \"notes\" violates "
                                             "foreign key constraint \"notes_item_id_fkey\"");
  g_assert_cmpint (omni_db_exec (db, "SELEC 1"), ==, SQLITE_ERROR);
  g_assert_cmpstr (omni_db_errmsg (db), ==, "syntax error at or near \"SELEC\"");
  g_assert_cmpint (omni_db_exec (db, "SELECT * FROM no_such_table"), ==, SQLITE_ERROR);
  g_assert_cmpstr (omni_db_errmsg (db), ==, "relation \"no_such_table\" does not exist");
  exec_ok (db, "COMMIT");
  g_assert_cmpint (query_int (db, "SELECT qty FROM items WHERE sku = 'A-1'"), ==, 7);
  omni_db_close (db);
}

/* Row locks: a second writer that cannot get the lock gets SQLITE_BUSY, and
 * its transaction is still usable. */
static void
test_busy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  OmniDb *a, *b;

  g_assert_no_error (error);
  a = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  b = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  setup_items (a);
  exec_ok (a, "INSERT INTO items (sku, qty) VALUES ('A-1', 1), ('B-2', 1)");

  exec_ok (a, "BEGIN IMMEDIATE; UPDATE items SET qty = 0 WHERE sku = 'A-1'");
  exec_ok (b, "BEGIN IMMEDIATE; SET LOCAL lock_timeout = '50ms'");
  g_assert_cmpint (omni_db_exec (b, "UPDATE items SET qty = 5 WHERE sku = 'A-1'"), ==,
                   SQLITE_BUSY);
  g_assert_cmpstr (omni_db_errmsg (b), ==, "canceling statement due to lock timeout");
  exec_ok (b, "UPDATE items SET qty = 5 WHERE sku = 'B-2'");
  exec_ok (b, "COMMIT");
  exec_ok (a, "COMMIT");
  g_assert_cmpint (query_int (a, "SELECT qty FROM items WHERE sku = 'A-1'"), ==, 0);
  g_assert_cmpint (query_int (a, "SELECT qty FROM items WHERE sku = 'B-2'"), ==, 5);
  omni_db_close (b);
  omni_db_close (a);
}

static void
test_changes (void)
{
  OmniDb *db = open_new_database ();
  OmniDbStmt *stmt = NULL;

  setup_items (db);
  exec_ok (db, "INSERT INTO items (sku) VALUES ('A'), ('B'), ('C')");
  g_assert_cmpint (omni_db_changes (db), ==, 3);
  exec_ok (db, "UPDATE items SET qty = 2 WHERE sku <> 'B'");
  g_assert_cmpint (omni_db_changes (db), ==, 2);
  /* a SELECT leaves the count alone, as on SQLite */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM items"), ==, 3);
  g_assert_cmpint (omni_db_changes (db), ==, 2);

  g_assert_cmpint (omni_db_prepare (db, "INSERT OR IGNORE INTO items (sku) VALUES (?1)"
                                        " RETURNING id", &stmt), ==, SQLITE_OK);
  omni_db_bind_text (stmt, 1, "B", -1, SQLITE_STATIC);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (omni_db_changes (db), ==, 0);
  omni_db_reset (stmt);
  omni_db_bind_text (stmt, 1, "D", -1, SQLITE_STATIC);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  /* (the ignored row used up identity 4: PostgreSQL's sequences have gaps) */
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 5);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (omni_db_changes (db), ==, 1);
  omni_db_finalize (stmt);
  g_assert_cmpint (query_int (db, "SELECT id FROM items WHERE sku = 'D'"), ==, 5);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM items"), ==, 4);

  exec_ok (db, "DELETE FROM items WHERE sku = 'nothing'");
  g_assert_cmpint (omni_db_changes (db), ==, 0);
  exec_ok (db, "DELETE FROM items WHERE qty = 0");
  g_assert_cmpint (omni_db_changes (db), ==, 2);
  /* in a transaction, the release of the savepoint does not count */
  exec_ok (db, "BEGIN");
  exec_ok (db, "UPDATE items SET qty = qty + 1");
  g_assert_cmpint (omni_db_changes (db), ==, 2);
  exec_ok (db, "COMMIT");
  omni_db_close (db);
}

static void
test_exec_multi (void)
{
  OmniDb *db = open_new_database ();

  exec_ok (db,
           "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT);\n"
           "-- a comment between statements; with a ? in it\n"
           "INSERT INTO t VALUES (1, 'one; still one');\n"
           "INSERT OR IGNORE INTO t VALUES (1, 'dup');\n"
           "INSERT INTO t VALUES (2, $$two's$$) /* trailing */");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 2);
  {
    g_autofree char *names = query_text (db, "SELECT string_agg (name, '|' ORDER BY id) FROM t");
    g_assert_cmpstr (names, ==, "one; still one|two's");
  }

  /* an exec that fails in a transaction undoes itself only */
  exec_ok (db, "BEGIN");
  exec_ok (db, "INSERT INTO t VALUES (3, 'three')");
  g_assert_cmpint (omni_db_exec (db, "INSERT INTO t VALUES (4, 'four'); INSERT INTO t VALUES (1, 'x')"),
                   ==, SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpstr (omni_db_errmsg (db), ==, "duplicate key value violates unique constraint \"t_pkey\"");
  exec_ok (db, "INSERT INTO t VALUES (5, 'five')");
  exec_ok (db, "COMMIT");
  {
    g_autofree char *ids = query_text (db, "SELECT string_agg (CAST (id AS text), ',' ORDER BY id) FROM t");
    g_assert_cmpstr (ids, ==, "1,2,3,5");
  }

  /* temp. names the connection's temporary schema */
  exec_ok (db, "CREATE TEMP TABLE picked (id BIGINT); INSERT INTO temp.picked VALUES (2), (5)");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t WHERE id IN (SELECT id FROM temp.picked)"),
                   ==, 2);
  omni_db_close (db);
}

/* LISTEN/NOTIFY -------------------------------------------------------- */

static GPtrArray *
wait_for_notifications (OmniDb *db,
                        guint   n)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_free);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (all->len < n && g_get_monotonic_time () < deadline)
    {
      GPollFD fd = { _omni_db_pg_get_socket (db->pg), G_IO_IN, 0 };
      g_autoptr(GPtrArray) some = NULL;

      g_poll (&fd, 1, 200);
      some = _omni_db_pg_take_notifications (db->pg);
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (all, g_strdup (g_ptr_array_index (some, i)));
    }
  return all;
}

static void
test_listen_notify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_autoptr(GPtrArray) got = NULL;
  OmniDb *till, *office;
  OmniDbStmt *stmt = NULL;

  g_assert_no_error (error);
  till = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  office = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);

  g_assert_true (_omni_db_pg_listen (office->pg, "omni_Stock", &error));
  g_assert_no_error (error);
  got = _omni_db_pg_take_notifications (office->pg);
  g_assert_cmpuint (got->len, ==, 0);
  g_clear_pointer (&got, g_ptr_array_unref);

  exec_ok (till, "NOTIFY \"omni_Stock\", 'variant 7'");
  /* another channel, and the same name folded to lower case: not ours */
  exec_ok (till, "NOTIFY omni_other, 'x'; NOTIFY omni_Stock, 'folded'");
  /* sent at commit, in order */
  exec_ok (till, "BEGIN");
  g_assert_cmpint (omni_db_prepare (till, "SELECT pg_notify ('omni_Stock', ?1)", &stmt), ==,
                   SQLITE_OK);
  omni_db_bind_text (stmt, 1, "variant 8 — ünïcode", -1, SQLITE_STATIC);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  omni_db_finalize (stmt);
  exec_ok (till, "COMMIT");

  got = wait_for_notifications (office, 2);
  g_assert_cmpuint (got->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (got, 0), ==, "variant 7");
  g_assert_cmpstr (g_ptr_array_index (got, 1), ==, "variant 8 — ünïcode");
  g_clear_pointer (&got, g_ptr_array_unref);

  /* a rolled-back notification never arrives */
  exec_ok (till, "BEGIN; NOTIFY \"omni_Stock\", 'lost'; ROLLBACK; NOTIFY \"omni_Stock\", 'last'");
  got = wait_for_notifications (office, 1);
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (got, 0), ==, "last");

  omni_db_close (office);
  omni_db_close (till);
}

/* A stopped server ----------------------------------------------------- */

static void
test_stopped_server (void)
{
  g_autoptr(GError) error = NULL;
  PgTestServer *server = pg_test_server_start (&error);
  g_autofree char *uri = NULL;
  g_autofree char *conninfo = NULL;
  OmniDb *db, *in_tx;
  OmniDbStmt *stmt = NULL;

  g_assert_no_error (error);
  uri = pg_test_server_create_database (server, &error);
  g_assert_no_error (error);
  conninfo = g_strdup_printf ("host=%s port=%u user=omnistock password=secret dbname=omnistock",
                              pg_test_server_get_socket_dir (server),
                              pg_test_server_get_port (server));
  db = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  in_tx = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  exec_ok (in_tx, "BEGIN IMMEDIATE");
  g_assert_cmpint (omni_db_prepare (db, "SELECT ?1 + 1", &stmt), ==, SQLITE_OK);
  omni_db_bind_int64 (stmt, 1, 1);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 2);

  pg_test_server_stop (server);

  omni_db_reset (stmt);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_IOERR);
  g_assert_true (g_str_has_prefix (omni_db_errmsg (db),
                                   "Lost the connection to the PostgreSQL server: "));
  g_assert_false (_omni_db_pg_is_connected (db->pg));
  g_assert_cmpint (omni_db_exec (db, "SELECT 1"), ==, SQLITE_IOERR);
  g_assert_false (_omni_db_pg_reconnect (db->pg, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);
  omni_db_finalize (stmt);
  omni_db_close (db);

  /* The same inside a transaction, where statements go through a savepoint
   * pipeline */
  g_assert_cmpint (omni_db_prepare (in_tx, "SELECT 1", &stmt), ==, SQLITE_OK);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_IOERR);
  g_assert_true (g_str_has_prefix (omni_db_errmsg (in_tx),
                                   "Lost the connection to the PostgreSQL server: "));
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_IOERR);
  g_assert_cmpint (omni_db_exec (in_tx, "ROLLBACK"), ==, SQLITE_IOERR);
  omni_db_finalize (stmt);
  omni_db_close (in_tx);

  /* Connecting to it: a clear message, and never the password */
  db = omni_db_open_postgresql (conninfo, &error);
  g_assert_null (db);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_true (g_str_has_prefix (error->message, "Could not connect to the PostgreSQL server: "));
  g_assert_nonnull (strstr (error->message, "No such file or directory"));
  g_assert_null (strstr (error->message, "secret"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  /* A string libpq cannot parse is not echoed either */
  db = omni_db_open_postgresql ("host=/nowhere password=secret dbname", &error);
  g_assert_null (db);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (strstr (error->message, "secret"));
  g_clear_error (&error);
  db = omni_db_open_postgresql ("postgresql://omnistock:secret@/nowhere?sslmode=bogus", &error);
  g_assert_null (db);
  g_assert_null (strstr (error->message, "secret"));
}

/* Ends the server session of backend @pid from @admin's connection. */
static void
end_session (OmniDb *admin,
             gint64  pid)
{
  OmniDbStmt *stmt = NULL;

  g_assert_cmpint (omni_db_prepare (admin, "SELECT pg_terminate_backend (CAST (?1 AS integer))",
                                    &stmt), ==, SQLITE_OK);
  omni_db_bind_int64 (stmt, 1, pid);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 1);
  omni_db_finalize (stmt);
}

/* A session the server ended: reported as lost, then opened again with its
 * settings and LISTENs. */
static void
test_reconnect (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_autoptr(GPtrArray) got = NULL;
  OmniDb *db, *admin;
  OmniDbStmt *stmt = NULL;
  gint64 pid;

  g_assert_no_error (error);
  db = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  admin = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  g_assert_true (_omni_db_pg_listen (db->pg, "omni_stock", &error));
  g_assert_no_error (error);
  pid = query_int (db, "SELECT pg_backend_pid ()");
  /* ended in the middle of a transaction, where statements are pipelined */
  exec_ok (db, "BEGIN IMMEDIATE");

  end_session (admin, pid);

  g_assert_cmpint (omni_db_prepare (db, "SELECT ?1", &stmt), ==, SQLITE_OK);
  omni_db_bind_int64 (stmt, 1, 5);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_IOERR);
  g_assert_true (g_str_has_prefix (omni_db_errmsg (db),
                                   "Lost the connection to the PostgreSQL server: "));
  g_assert_false (_omni_db_pg_is_connected (db->pg));
  g_assert_cmpint (omni_db_exec (db, "ROLLBACK"), ==, SQLITE_IOERR);

  g_assert_true (_omni_db_pg_reconnect (db->pg, &error));
  g_assert_no_error (error);
  g_assert_true (_omni_db_pg_is_connected (db->pg));
  g_assert_cmpint (query_int (db, "SELECT pg_backend_pid ()"), !=, pid);
  g_assert_true (omni_db_get_autocommit (db));
  omni_db_reset (stmt);
  g_assert_cmpint (omni_db_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (omni_db_column_int64 (stmt, 0), ==, 5);
  omni_db_finalize (stmt);
  exec_ok (db, "BEGIN");
  g_assert_cmpint (query_int (db, "SELECT 6"), ==, 6);
  exec_ok (db, "COMMIT");
  {
    g_autofree char *zone = query_text (db, "SHOW TimeZone");
    g_assert_cmpstr (zone, ==, "UTC");
  }
  exec_ok (admin, "NOTIFY omni_stock, 'after the reconnect'");
  got = wait_for_notifications (db, 1);
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (got, 0), ==, "after the reconnect");
  omni_db_close (admin);
  omni_db_close (db);
}

/* A store whose session the server ended in a transaction: rolling back
 * cannot reach the server, which threw the transaction away with the
 * connection. That is no failure, and says nothing louder than a debug
 * line (a warning here would abort the test). */
static void
test_rollback_after_lost_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_autoptr(OmniStore) store = NULL;
  OmniDb *admin;
  gint64 pid;

  g_assert_no_error (error);
  store = omni_store_open (uri, &error);
  g_assert_no_error (error);
  admin = omni_db_open_postgresql (uri, &error);
  g_assert_no_error (error);
  pid = query_int (_omni_store_get_db (store), "SELECT pg_backend_pid ()");
  g_assert_true (omni_store_begin (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (store, "Back Room", FALSE, &error), >, 0);
  g_assert_no_error (error);

  end_session (admin, pid);

  omni_store_rollback (store);
  /* nothing of the transaction reached the server */
  g_assert_cmpint (query_int (admin, "SELECT count(*) FROM locations WHERE name = 'Back Room'"),
                   ==, 0);
  omni_db_close (admin);
}

/* What the per-statement savepoints cost ------------------------------- */

/* Runs @n adjustments shaped like the store's (three existence checks and
 * one ledger insert whose trigger updates the level, one transaction each);
 * returns the seconds they took. */
static double
run_adjustments (OmniDb *db,
                 int     first,
                 int     n)
{
  OmniDbStmt *check = NULL, *insert = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (omni_db_prepare (db, "SELECT 1 FROM variants WHERE id = ?1", &check), ==,
                   SQLITE_OK);
  g_assert_cmpint (omni_db_prepare (db, "INSERT INTO movements (op_id, variant_id, delta)"
                                        " VALUES (?1, ?2, ?3) RETURNING id", &insert), ==,
                   SQLITE_OK);
  for (int i = first; i < first + n; i++)
    {
      g_autofree char *op_id = g_strdup_printf ("op-%d", i);

      exec_ok (db, "BEGIN IMMEDIATE");
      for (int k = 0; k < 3; k++)
        {
          omni_db_reset (check);
          omni_db_bind_int64 (check, 1, 1 + i % 10);
          g_assert_cmpint (omni_db_step (check), ==, SQLITE_ROW);
        }
      omni_db_reset (insert);
      omni_db_bind_text (insert, 1, op_id, -1, SQLITE_TRANSIENT);
      omni_db_bind_int64 (insert, 2, 1 + i % 10);
      omni_db_bind_int64 (insert, 3, i % 2 == 0 ? 3 : -1);
      g_assert_cmpint (omni_db_step (insert), ==, SQLITE_ROW);
      exec_ok (db, "COMMIT");
    }
  omni_db_finalize (check);
  omni_db_finalize (insert);
  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

static void
test_savepoint_cost (void)
{
  OmniDb *db = open_new_database ();
  const int rounds = 10;
  int chunk = g_test_perf () ? 500 : 20;
  double with = 0, without = 0;
  int n = 0;

  exec_ok (db,
           "CREATE TABLE variants (id BIGINT PRIMARY KEY, on_hand BIGINT NOT NULL DEFAULT 0);"
           "CREATE TABLE movements (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
           " op_id TEXT NOT NULL UNIQUE, variant_id BIGINT NOT NULL REFERENCES variants (id),"
           " delta BIGINT NOT NULL);"
           "CREATE FUNCTION movements_apply () RETURNS trigger LANGUAGE plpgsql AS $$"
           " BEGIN UPDATE variants SET on_hand = on_hand + NEW.delta WHERE id = NEW.variant_id;"
           " RETURN NEW; END $$;"
           "CREATE TRIGGER movements_apply AFTER INSERT ON movements"
           " FOR EACH ROW EXECUTE FUNCTION movements_apply ();"
           "INSERT INTO variants (id) SELECT generate_series (1, 10)");

  /* Alternating rounds, so a busy machine weighs on both alike. */
  for (int round = 0; round < rounds; round++)
    {
      with += run_adjustments (db, n, chunk);
      n += chunk;
      _omni_db_pg_set_statement_savepoints (db->pg, FALSE);
      without += run_adjustments (db, n, chunk);
      n += chunk;
      _omni_db_pg_set_statement_savepoints (db->pg, TRUE);
    }

  g_test_message ("%d adjustments each way (3 checks + 1 ledger insert with a trigger, one "
                  "transaction each): %.0f/s with statement savepoints, %.0f/s without "
                  "(savepoints cost %.1f%%)", rounds * chunk, rounds * chunk / with,
                  rounds * chunk / without, 100.0 * (with - without) / without);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM movements"), ==, n);
  /* per variant, the ledger and the level agree */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM variants v WHERE on_hand <>"
                                  " (SELECT sum (delta) FROM movements m"
                                  "  WHERE m.variant_id = v.id)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT sum (on_hand) FROM variants"), ==, n / 2 * 3 - n / 2);
  omni_db_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/db-pg/rewrite", test_rewrite);
  g_test_add_func ("/omni/db-pg/session", test_session);
  g_test_add_func ("/omni/db-pg/round-trip", test_round_trip);
  g_test_add_func ("/omni/db-pg/reset-rebind", test_reset_rebind);
  g_test_add_func ("/omni/db-pg/server-statements", test_server_statements);
  g_test_add_func ("/omni/db-pg/unique-in-transaction", test_unique_in_transaction);
  g_test_add_func ("/omni/db-pg/constraint-codes", test_constraint_codes);
  g_test_add_func ("/omni/db-pg/busy", test_busy);
  g_test_add_func ("/omni/db-pg/changes", test_changes);
  g_test_add_func ("/omni/db-pg/exec-multi", test_exec_multi);
  g_test_add_func ("/omni/db-pg/listen-notify", test_listen_notify);
  g_test_add_func ("/omni/db-pg/stopped-server", test_stopped_server);
  g_test_add_func ("/omni/db-pg/reconnect", test_reconnect);
  g_test_add_func ("/omni/db-pg/rollback-after-lost-connection",
                   test_rollback_after_lost_connection);
  g_test_add_func ("/omni/db-pg/savepoint-cost", test_savepoint_cost);

  return g_test_run ();
}
