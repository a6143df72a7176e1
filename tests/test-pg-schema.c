/* test-pg-schema.c: the PostgreSQL schema script against the SQLite schema
 *
 * Loads src/core/migrations/pg/0007-schema.sql into a fresh database on a
 * private server and compares it with a fresh SQLite store: the same
 * tables, columns, views, indexes and triggers, the same rows written by
 * the same plain SQL statements on both (levels, totals, aggregates,
 * outbox, sales), the same refusals with the same messages, and the
 * SQLite functions of the store's SQL giving the same results for the
 * arguments the store passes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "omni-core-resources.h"
#include "omni-store.h"
#include "omni-store-private.h"
#include "pg-test-server.h"

#define PG_SCHEMA "/io/github/omnistock/core/migrations/pg/0007-schema.sql"
/* The later migrations, applied over it in order, as the store does. */
static const char * const pg_later[] = {
  "/io/github/omnistock/core/migrations/pg/0008-offline-counts.sql",
};
#define PG_SCHEMA_VERSION 10

typedef struct
{
  char      *dir;
  OmniStore *store;
  sqlite3   *lite;
  char      *uri;
  PGconn    *pg;
} Fixture;

/* A bound parameter, as the store binds them: integers, text or NULL. */
typedef struct
{
  char        kind;   /* 'i', 't' or 'n' */
  gint64      i;
  const char *t;
} Param;

#define PI(v) { 'i', (v), NULL }
#define PT(s) { 't', 0, (s) }
#define PN    { 'n', 0, NULL }
#define NO_PARAMS NULL, 0

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) script = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  PGresult *res;

  f->dir = g_dir_make_tmp ("omni-pg-schema-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "store.db", NULL);
  f->store = omni_store_open (path, &error);
  g_assert_no_error (error);
  f->lite = _omni_store_get_sqlite (f->store);
  g_assert_nonnull (f->lite);

  f->uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  f->pg = PQconnectdb (f->uri);
  g_assert_cmpint (PQstatus (f->pg), ==, CONNECTION_OK);
  res = PQexec (f->pg, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);

  script = g_resource_lookup_data (omni_core_get_resource (), PG_SCHEMA,
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  sql = g_strconcat ("BEGIN;\n", (const char *)g_bytes_get_data (script, NULL), "\nCOMMIT;", NULL);
  res = PQexec (f->pg, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("The PostgreSQL schema did not load: %s", PQerrorMessage (f->pg));
  PQclear (res);
  for (guint i = 0; i < G_N_ELEMENTS (pg_later); i++)
    {
      g_autoptr(GBytes) later = g_resource_lookup_data (omni_core_get_resource (), pg_later[i],
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_autofree char *later_sql = NULL;

      g_assert_no_error (error);
      later_sql = g_strconcat ("BEGIN;\n", (const char *)g_bytes_get_data (later, NULL),
                               "\nCOMMIT;", NULL);
      res = PQexec (f->pg, later_sql);
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_error ("%s did not load: %s", pg_later[i], PQerrorMessage (f->pg));
      PQclear (res);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "store.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  PQfinish (f->pg);
  g_free (f->uri);
  g_clear_object (&f->store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Running one statement on each side ---------------------------------- */

/* ?N -> $N: the only place where the two dialects of these statements
 * differ. */
static char *
pg_sql (const char *sql)
{
  GString *out = g_string_new (NULL);

  for (const char *p = sql; *p != '\0'; p++)
    g_string_append_c (out, *p == '?' && g_ascii_isdigit (p[1]) ? '$' : *p);
  return g_string_free (out, FALSE);
}

static void
append_value (GString    *rows,
              const char *value)
{
  g_string_append (rows, value != NULL ? value : "NULL");
}

/* Every row as "a|b|c\n"; a float that holds an integer is written as that
 * integer, as PostgreSQL writes a float8. Returns NULL with *message set
 * when the statement fails. */
static char *
lite_run (Fixture      *f,
          const char   *sql,
          const Param  *params,
          guint         n_params,
          char        **message)
{
  sqlite3_stmt *stmt = NULL;
  GString *rows;
  int rc;

  rc = sqlite3_prepare_v2 (f->lite, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("SQLite could not prepare “%s”: %s", sql, sqlite3_errmsg (f->lite));
  for (guint i = 0; i < n_params; i++)
    {
      if (params[i].kind == 'i')
        sqlite3_bind_int64 (stmt, (int)i + 1, params[i].i);
      else if (params[i].kind == 't')
        sqlite3_bind_text (stmt, (int)i + 1, params[i].t, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, (int)i + 1);
    }

  rows = g_string_new (NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          if (c > 0)
            g_string_append_c (rows, '|');
          if (sqlite3_column_type (stmt, c) == SQLITE_FLOAT)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (rows, g_ascii_formatd (buffer, sizeof buffer, "%.15g",
                                                      sqlite3_column_double (stmt, c)));
            }
          else
            append_value (rows, (const char *)sqlite3_column_text (stmt, c));
        }
      g_string_append_c (rows, '\n');
    }
  if (rc != SQLITE_DONE)
    {
      *message = g_strdup (sqlite3_errmsg (f->lite));
      sqlite3_finalize (stmt);
      g_string_free (rows, TRUE);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_string_free (rows, FALSE);
}

/* The same on PostgreSQL, with the parameter types the store's driver
 * sends: int8 for integers, unknown (inferred) for text and NULL. */
static char *
pg_run (Fixture      *f,
        const char   *sql,
        const Param  *params,
        guint         n_params,
        char        **message,
        char        **sqlstate)
{
  g_autofree char *text = pg_sql (sql);
  g_autofree Oid *types = g_new0 (Oid, n_params + 1);
  g_autofree const char **values = g_new0 (const char *, n_params + 1);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  PGresult *res;
  GString *rows;

  for (guint i = 0; i < n_params; i++)
    {
      if (params[i].kind == 'i')
        {
          char *number = g_strdup_printf ("%" G_GINT64_FORMAT, params[i].i);

          g_ptr_array_add (numbers, number);
          types[i] = 20;   /* INT8OID */
          values[i] = number;
        }
      else
        values[i] = params[i].kind == 't' ? params[i].t : NULL;
    }

  res = PQexecParams (f->pg, text, (int)n_params, types, values, NULL, NULL, 0);
  if (PQresultStatus (res) != PGRES_TUPLES_OK && PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      if (message == NULL)
        g_error ("PostgreSQL refused “%s”: %s", sql, PQresultErrorMessage (res));
      *message = g_strdup (PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY));
      if (sqlstate != NULL)
        *sqlstate = g_strdup (PQresultErrorField (res, PG_DIAG_SQLSTATE));
      PQclear (res);
      return NULL;
    }

  rows = g_string_new (NULL);
  for (int r = 0; r < PQntuples (res); r++)
    {
      for (int c = 0; c < PQnfields (res); c++)
        {
          if (c > 0)
            g_string_append_c (rows, '|');
          /* Booleans are SQLite's 1 and 0. */
          if (PQftype (res, c) == 16 && !PQgetisnull (res, r, c))
            g_string_append (rows, g_str_equal (PQgetvalue (res, r, c), "t") ? "1" : "0");
          else
            append_value (rows, PQgetisnull (res, r, c) ? NULL : PQgetvalue (res, r, c));
        }
      g_string_append_c (rows, '\n');
    }
  PQclear (res);
  return g_string_free (rows, FALSE);
}

/* Runs @sql on both; both must succeed with the same rows, returned. */
static char *
both (Fixture     *f,
      const char  *sql,
      const Param *params,
      guint        n_params)
{
  g_autofree char *lite_error = NULL;
  g_autofree char *pg_error = NULL;
  g_autofree char *lite = lite_run (f, sql, params, n_params, &lite_error);
  char *pg = pg_run (f, sql, params, n_params, &pg_error, NULL);

  if (lite == NULL)
    g_error ("SQLite refused “%s”: %s", sql, lite_error);
  if (pg == NULL)
    g_error ("PostgreSQL refused “%s”: %s", sql, pg_error);
  if (g_strcmp0 (lite, pg) != 0)
    g_error ("“%s” differs:\nSQLite:\n%sPostgreSQL:\n%s", sql, lite, pg);
  return pg;
}

/* Runs @sql on both, asserts the rows equal @expected (on both). */
static void
assert_both (Fixture     *f,
             const char  *sql,
             const Param *params,
             guint        n_params,
             const char  *expected)
{
  g_autofree char *rows = both (f, sql, params, n_params);

  if (g_strcmp0 (rows, expected) != 0)
    g_error ("“%s” gave on both:\n%swhere this was expected:\n%s", sql, rows, expected);
}

static void
exec_both (Fixture    *f,
           const char *sql)
{
  g_free (both (f, sql, NO_PARAMS));
}

/* Both refuse @sql with the same primary message, which is returned. */
static char *
refused_on_both (Fixture     *f,
                 const char  *sql,
                 const Param *params,
                 guint        n_params,
                 const char  *expected_sqlstate)
{
  g_autofree char *lite_error = NULL;
  g_autofree char *pg_error = NULL;
  g_autofree char *sqlstate = NULL;
  g_autofree char *lite = lite_run (f, sql, params, n_params, &lite_error);
  g_autofree char *pg = pg_run (f, sql, params, n_params, &pg_error, &sqlstate);

  g_assert_null (lite);
  g_assert_null (pg);
  g_assert_cmpstr (sqlstate, ==, expected_sqlstate);
  return g_steal_pointer (&pg_error);
}

/* Every table, column, view, index and trigger -------------------------- */

/* "a\nb\n" -> a set */
static GHashTable *
row_set (char *rows)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_hash_table_add (set, g_strdup (lines[i]));
  g_free (rows);
  return set;
}

static const char *
pg_type_of (const char *sqlite_type)
{
  if (g_str_equal (sqlite_type, "INTEGER"))
    return "bigint";
  if (g_str_equal (sqlite_type, "REAL"))
    return "double precision";
  if (g_str_equal (sqlite_type, "BLOB"))
    return "bytea";
  /* TEXT, and the untyped columns of the full-text table */
  return "text";
}

/* '0', '''active''::text' -> as SQLite writes the default. */
static char *
normalize_default (const char *pg_default)
{
  char *text;

  if (pg_default == NULL || g_str_equal (pg_default, "NULL"))
    return g_strdup ("NULL");
  text = g_strdup (pg_default);
  if (g_str_has_suffix (text, "::text"))
    text[strlen (text) - strlen ("::text")] = '\0';
  else if (g_str_has_suffix (text, "::bigint"))
    text[strlen (text) - strlen ("::bigint")] = '\0';
  return text;
}

/* Columns PostgreSQL has beyond SQLite's: FTS5's implicit rowid and the
 * folded text under the trigram index. */
static gboolean
pg_only_column (const char *table,
                const char *column)
{
  return g_str_equal (table, "search_index") &&
         (g_str_equal (column, "rowid") || g_str_equal (column, "search_index"));
}

static void
compare_columns (Fixture    *f,
                 const char *table,
                 gboolean    is_view)
{
  g_autofree char *lite_error = NULL;
  g_autofree char *pg_error = NULL;
  const Param name[] = { PT (table) };
  g_autofree char *lite_rows = lite_run (f,
                                         "SELECT name, type, \"notnull\", pk, hidden,"
                                         " ifnull (dflt_value, 'NULL')"
                                         " FROM pragma_table_xinfo (?1) WHERE hidden <> 1"
                                         " ORDER BY cid",
                                         name, 1, &lite_error);
  g_autofree char *pg_rows = pg_run (f,
                                     "SELECT column_name, data_type, is_nullable,"
                                     " is_generated, ifnull (column_default, 'NULL')"
                                     " FROM information_schema.columns"
                                     " WHERE table_schema = 'public' AND table_name = ?1"
                                     " ORDER BY ordinal_position",
                                     name, 1, &pg_error, NULL);
  g_auto(GStrv) lite_lines = NULL;
  g_auto(GStrv) pg_lines = NULL;
  guint p = 0;

  g_assert_nonnull (lite_rows);
  g_assert_nonnull (pg_rows);
  lite_lines = g_strsplit (lite_rows, "\n", -1);
  pg_lines = g_strsplit (pg_rows, "\n", -1);
  g_assert_cmpstr (lite_lines[0], !=, "");

  /* Same columns in the same order, PostgreSQL's extras aside. */
  for (guint l = 0; lite_lines[l] != NULL && lite_lines[l][0] != '\0'; l++)
    {
      g_auto(GStrv) lc = g_strsplit (lite_lines[l], "|", 6);
      g_auto(GStrv) pc = NULL;
      g_autofree char *pg_default = NULL;
      gboolean lite_not_null, pg_not_null;

      while (pg_lines[p] != NULL && pg_lines[p][0] != '\0')
        {
          g_auto(GStrv) skip = g_strsplit (pg_lines[p], "|", 2);

          if (!pg_only_column (table, skip[0]))
            break;
          p++;
        }
      if (pg_lines[p] == NULL || pg_lines[p][0] == '\0')
        g_error ("%s.%s is missing on PostgreSQL", table, lc[0]);
      pc = g_strsplit (pg_lines[p++], "|", 5);

      if (!g_str_equal (lc[0], pc[0]))
        g_error ("%s: column %s on SQLite, %s on PostgreSQL at the same place",
                 table, lc[0], pc[0]);
      /* A view's column types come from its expressions: names only. */
      if (is_view)
        continue;
      if (!g_str_equal (pg_type_of (lc[1]), pc[1]))
        g_error ("%s.%s is %s on SQLite, %s on PostgreSQL", table, lc[0], lc[1], pc[1]);
      /* NOT NULL as declared; a primary key column is NOT NULL on
       * PostgreSQL even where SQLite lets a NULL through. */
      lite_not_null = g_str_equal (lc[2], "1");
      pg_not_null = g_str_equal (pc[2], "NO");
      if (lite_not_null != pg_not_null && !(pg_not_null && !g_str_equal (lc[3], "0")))
        g_error ("%s.%s: NOT NULL differs", table, lc[0]);
      /* hidden 2 or 3: a generated column */
      if ((g_str_equal (lc[4], "2") || g_str_equal (lc[4], "3")) !=
          g_str_equal (pc[3], "ALWAYS"))
        g_error ("%s.%s: generated on one side only", table, lc[0]);
      pg_default = normalize_default (pc[4]);
      if (!g_str_equal (lc[5], pg_default))
        g_error ("%s.%s: default %s on SQLite, %s on PostgreSQL", table, lc[0], lc[5],
                 pg_default);
    }
  while (pg_lines[p] != NULL && pg_lines[p][0] != '\0')
    {
      g_auto(GStrv) pc = g_strsplit (pg_lines[p++], "|", 2);

      if (!pg_only_column (table, pc[0]))
        g_error ("%s.%s exists on PostgreSQL only", table, pc[0]);
    }
}

static void
test_tables_and_views (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) lite_tables = NULL;
  g_autoptr(GHashTable) pg_tables = NULL;
  g_autoptr(GHashTable) lite_views = NULL;
  g_autoptr(GHashTable) pg_views = NULL;
  g_autofree char *unused = NULL;
  GHashTableIter iter;
  const char *name;

  /* FTS5 keeps its index in shadow tables search_index_*; search_ranks
   * keys SQLite's index by title order, where PostgreSQL's is keyed by
   * variant id (0009-search-order.sql); search_digits and its shadow
   * tables index the runs of digits FTS5 finds slowly, and PostgreSQL's
   * trigram index does not (0010-search-digits.sql). */
  lite_tables = row_set (lite_run (f, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                   " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                                   " AND name NOT LIKE 'search\\_index\\_%' ESCAPE '\\'"
                                   " AND name NOT LIKE 'search\\_digits%' ESCAPE '\\'"
                                   " AND name <> 'search_ranks'",
                                   NO_PARAMS, &unused));
  pg_tables = row_set (pg_run (f, "SELECT table_name FROM information_schema.tables"
                               " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                               NO_PARAMS, &unused, NULL));
  lite_views = row_set (lite_run (f, "SELECT name FROM sqlite_schema WHERE type = 'view'",
                                  NO_PARAMS, &unused));
  pg_views = row_set (pg_run (f, "SELECT table_name FROM information_schema.views"
                              " WHERE table_schema = 'public'",
                              NO_PARAMS, &unused, NULL));

  g_assert_cmpuint (g_hash_table_size (lite_tables), ==, 37);
  g_assert_cmpuint (g_hash_table_size (lite_views), ==, 6);

  g_hash_table_iter_init (&iter, lite_tables);
  while (g_hash_table_iter_next (&iter, (gpointer *)&name, NULL))
    {
      if (!g_hash_table_contains (pg_tables, name))
        g_error ("Table %s is missing on PostgreSQL", name);
      compare_columns (f, name, FALSE);
    }
  /* The version lives in two tables of its own there. */
  g_assert_true (g_hash_table_remove (pg_tables, "omni_schema"));
  g_assert_true (g_hash_table_remove (pg_tables, "omni_schema_app"));
  /* The totals' changes wait there for their transaction's commit. */
  g_assert_true (g_hash_table_remove (pg_tables, "stock_aggregate_changes"));
  g_assert_cmpuint (g_hash_table_size (pg_tables), ==, g_hash_table_size (lite_tables));

  g_hash_table_iter_init (&iter, lite_views);
  while (g_hash_table_iter_next (&iter, (gpointer *)&name, NULL))
    {
      if (!g_hash_table_contains (pg_views, name))
        g_error ("View %s is missing on PostgreSQL", name);
      compare_columns (f, name, TRUE);
    }
  g_assert_cmpuint (g_hash_table_size (pg_views), ==, g_hash_table_size (lite_views));

  /* The store's identity checks. */
  g_free (unused);
  unused = pg_run (f, "SELECT (SELECT version FROM omni_schema), (SELECT app_id FROM omni_schema_app),"
                   " (SELECT count(*) FROM omni_schema), (SELECT count(*) FROM omni_schema_app)",
                   NO_PARAMS, NULL, NULL);
  g_assert_cmpstr (unused, ==, "8|1330466377|1|1\n");
  g_assert_cmpint (_OMNI_STORE_APPLICATION_ID, ==, 1330466377);
  /* A later SQLite migration needs its PostgreSQL script. */
  g_assert_cmpint (omni_store_get_latest_schema_version (), ==, PG_SCHEMA_VERSION);
  g_assert_cmpint (omni_store_get_schema_version (f->store), ==, PG_SCHEMA_VERSION);
}

/* Indexes: the same names on the same tables, unique and partial alike. */
static void
test_indexes (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *unused = NULL;
  g_autoptr(GHashTable) lite = row_set (lite_run (f,
                                        "SELECT name || '|' || tbl_name || '|'"
                                        " || (sql LIKE 'CREATE UNIQUE%') || '|'"
                                        " || (sql LIKE '% WHERE %')"
                                        " FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL",
                                        NO_PARAMS, &unused));
  /* Constraint indexes (_pkey, _key) are SQLite's unnamed autoindexes. */
  g_autoptr(GHashTable) pg = row_set (pg_run (f,
                                      "SELECT indexname || '|' || tablename || '|'"
                                      " || CAST (indexdef LIKE 'CREATE UNIQUE%' AS integer) || '|'"
                                      " || CAST (indexdef LIKE '% WHERE %' AS integer)"
                                      " FROM pg_indexes WHERE schemaname = 'public'"
                                      " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'"
                                      " AND indexname <> 'search_index_trigrams'",
                                      NO_PARAMS, &unused, NULL));
  g_autofree char *trigram = NULL;
  GHashTableIter iter;
  const char *row;

  g_assert_cmpuint (g_hash_table_size (lite), ==, 38);
  g_hash_table_iter_init (&iter, lite);
  while (g_hash_table_iter_next (&iter, (gpointer *)&row, NULL))
    if (!g_hash_table_contains (pg, row))
      g_error ("Index (name|table|unique|partial) %s is missing on PostgreSQL", row);
  g_hash_table_iter_init (&iter, pg);
  while (g_hash_table_iter_next (&iter, (gpointer *)&row, NULL))
    if (!g_hash_table_contains (lite, row))
      g_error ("Index %s exists on PostgreSQL only", row);

  g_free (unused);
  unused = NULL;
  trigram = pg_run (f, "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_index_trigrams'",
                    NO_PARAMS, &unused, NULL);
  g_assert_true (g_str_has_suffix (trigram, "USING gin (search_index gin_trgm_ops)\n"));
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *)a, *(char * const *)b);
}

/* "AFTER|UPDATE|cost,price|variants|1" from either side's definition. */
static char *
trigger_signature (const char *definition,
                   const char *table)
{
  g_autoptr(GRegex) regex = g_regex_new ("\\b(BEFORE|AFTER)\\s+(INSERT|UPDATE|DELETE)"
                                         "(?:\\s+OF\\s+(.*?))?\\s+ON\\s",
                                         G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *head = NULL;
  g_autofree char *timing = NULL;
  g_autofree char *event = NULL;
  g_autofree char *columns = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *sorted = NULL;
  const char *body;

  /* What comes before the body (SQLite) or the function (PostgreSQL). */
  body = strstr (definition, "BEGIN");
  if (body == NULL)
    body = strstr (definition, "EXECUTE FUNCTION");
  g_assert_nonnull (body);
  head = g_strndup (definition, (gsize)(body - definition));

  if (!g_regex_match (regex, head, 0, &match))
    g_error ("Unexpected trigger definition: %s", definition);
  timing = g_match_info_fetch (match, 1);
  event = g_match_info_fetch (match, 2);
  for (char *c = timing; *c != '\0'; c++)
    *c = g_ascii_toupper (*c);
  for (char *c = event; *c != '\0'; c++)
    *c = g_ascii_toupper (*c);
  columns = g_match_info_fetch (match, 3);
  if (columns != NULL && *g_strstrip (columns) != '\0')
    {
      names = g_regex_split_simple ("\\s*,\\s*", columns, 0, 0);
      qsort (names, g_strv_length (names), sizeof (char *), compare_strings);
      sorted = g_strjoinv (",", names);
    }
  else
    sorted = g_strdup ("");
  return g_strdup_printf ("%s|%s|%s|%s|%d", timing, event, sorted, table,
                          strstr (head, "WHEN") != NULL);
}

static GHashTable *
trigger_set (Fixture  *f,
             gboolean  postgresql)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *unused = NULL;
  g_autofree char *rows = postgresql
    ? pg_run (f, "SELECT t.tgname, c.relname, replace (pg_get_triggerdef (t.oid), E'\\n', ' ')"
              " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
              /* Statement triggers are PostgreSQL's own (live-update
               * notifications); SQLite has row triggers only. */
              " AND t.tgtype & 1 = 1",
              NO_PARAMS, &unused, NULL)
    : lite_run (f, "SELECT name, tbl_name, replace (sql, char (10), ' ') FROM sqlite_schema"
                " WHERE type = 'trigger'",
                NO_PARAMS, &unused);
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;

      if (lines[i][0] == '\0')
        continue;
      parts = g_strsplit (lines[i], "|", 3);
      g_hash_table_insert (set, g_strdup (parts[0]), trigger_signature (parts[2], parts[1]));
    }
  return set;
}

/* Triggers: the same names, each on the same table, at the same time, for
 * the same event and columns, with a condition on both sides or neither. */
static void
test_triggers (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GHashTable) lite = trigger_set (f, FALSE);
  g_autoptr(GHashTable) pg = trigger_set (f, TRUE);
  GHashTableIter iter;
  const char *name;
  const char *signature;

  g_assert_cmpuint (g_hash_table_size (lite), ==, 36);
  g_assert_cmpstr (g_hash_table_lookup (lite, "variants_aggregate_update"), ==,
                   "AFTER|UPDATE|archived,available,cost,on_hand,price,reorder_point|variants|1");
  g_hash_table_iter_init (&iter, lite);
  while (g_hash_table_iter_next (&iter, (gpointer *)&name, (gpointer *)&signature))
    {
      const char *other = g_hash_table_lookup (pg, name);

      if (other == NULL)
        g_error ("Trigger %s is missing on PostgreSQL", name);
      if (!g_str_equal (signature, other))
        g_error ("Trigger %s: %s on SQLite, %s on PostgreSQL", name, signature, other);
    }
  /* The deferred one that adds a transaction's changes to the totals. */
  g_assert_cmpstr (g_hash_table_lookup (pg, "stock_aggregate_changes_commit"), ==,
                   "AFTER|INSERT||stock_aggregate_changes|0");
  g_assert_cmpuint (g_hash_table_size (pg), ==, g_hash_table_size (lite) + 1);
}

/* The rows of a fresh store: settings, reasons, the empty aggregates. */
static void
test_initial_rows (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const queries[] = {
    "SELECT key, value FROM settings ORDER BY key",
    "SELECT name FROM movement_reasons ORDER BY name",
    "SELECT * FROM stock_aggregates ORDER BY grouping, label",
    "SELECT * FROM table_counts ORDER BY name",
    "SELECT * FROM sales_window",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_free (both (f, queries[i], NO_PARAMS));
  assert_both (f, "SELECT count(*) FROM settings", NO_PARAMS, "3\n");
  assert_both (f, "SELECT * FROM stock_aggregates", NO_PARAMS, "total||0|0|0|0|0|0|0|0\n");
  assert_both (f, "SELECT days, length (first_day), end_day > first_day FROM sales_window",
               NO_PARAMS, "30|10|1\n");
}

/* Behaviour ------------------------------------------------------------- */

static void
insert_catalog (Fixture *f)
{
  exec_both (f, "INSERT INTO products (id, handle, title, vendor, product_type, created_at, updated_at)"
             " VALUES (1, 'tee', 'Tee', 'Acme', 'Shirts', '2026-11-30T08:00:00.000000Z',"
             "         '2026-11-30T08:00:00.000000Z')");
  exec_both (f, "INSERT INTO variants (id, product_id, sku, price, cost, reorder_point,"
             " created_at, updated_at)"
             " VALUES (1, 1, 'TEE-S', 1500, 700, 4, '2026-11-30T08:00:00.000000Z',"
             "         '2026-11-30T08:00:00.000000Z'),"
             "        (2, 1, 'TEE-M', 1500, NULL, NULL, '2026-11-30T08:00:00.000000Z',"
             "         '2026-11-30T08:00:00.000000Z')");
  exec_both (f, "INSERT INTO locations (id, name, is_default, created_at)"
             " VALUES (1, 'Shop Floor', 1, '2026-11-30T08:00:00.000000Z'),"
             "        (2, 'Back Room', 0, '2026-11-30T08:00:00.000000Z')");
}

static void
move (Fixture    *f,
      const char *op_id,
      gint64      variant,
      gint64      location,
      gint64      on_hand,
      gint64      committed,
      const char *reason,
      const char *source,
      const char *at)
{
  const Param params[] = {
    PT (op_id), PI (variant), PI (location), PI (on_hand), PI (committed), PT (reason),
    PT (source), PT (at),
  };

  g_free (both (f, "INSERT INTO movements (op_id, operation, variant_id, location_id,"
                " on_hand_delta, committed_delta, reason, source, actor, created_at)"
                " VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'tester', ?8)",
                params, G_N_ELEMENTS (params)));
}

#define LEVELS "SELECT variant_id, location_id, on_hand, committed, available, last_movement_id," \
               " updated_at FROM stock_levels ORDER BY variant_id, location_id"
#define TOTALS "SELECT id, on_hand, available, reorder_at, ifnull (last_sold_at, '-')" \
               " FROM variants ORDER BY id"
#define AGGREGATES "SELECT * FROM stock_aggregates ORDER BY grouping, label"
#define EXPECTED_AGGREGATES "SELECT grouping, label, ifnull (products, 0), ifnull (variants, 0)," \
  " ifnull (units, 0), ifnull (cost_value, 0), ifnull (retail_value, 0)," \
  " ifnull (out_of_stock, 0), ifnull (low_stock, 0), ifnull (due, 0)" \
  " FROM stock_aggregates_expected ORDER BY grouping, label"
#define EXPECTED_AGGREGATES_NOT_EMPTY "SELECT * FROM (SELECT grouping, label," \
  " ifnull (products, 0) AS products, ifnull (variants, 0) AS variants," \
  " ifnull (units, 0) AS units, ifnull (cost_value, 0) AS cost_value," \
  " ifnull (retail_value, 0) AS retail_value, ifnull (out_of_stock, 0) AS out_of_stock," \
  " ifnull (low_stock, 0) AS low_stock, ifnull (due, 0) AS due" \
  " FROM stock_aggregates_expected) e" \
  " WHERE products <> 0 OR variants <> 0 OR units <> 0 OR cost_value <> 0" \
  " OR retail_value <> 0 OR out_of_stock <> 0 OR low_stock <> 0 OR due <> 0" \
  " ORDER BY grouping, label"

static void
test_ledger (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *message = NULL;
  g_autofree char *aggregates = NULL;
  g_autofree char *expected = NULL;

  insert_catalog (f);
  move (f, "m1", 1, 1, 10, 0, "received", "app", "2026-11-30T09:00:00.000000Z");
  move (f, "m2", 1, 2, 5, 0, "received", "app", "2026-11-30T09:01:00.000000Z");
  move (f, "m3", 1, 1, -3, 0, "sold", "app", "2026-11-30T09:02:00.000000Z");
  move (f, "m4", 1, 1, 0, 2, "committed", "app", "2026-11-30T09:03:00.000000Z");
  move (f, "m5", 2, 2, 1, 0, "received", "app", "2026-11-30T09:04:00.000000Z");
  move (f, "m6", 2, 2, -2, 0, "sold", "app", "2026-11-30T09:05:00.000000Z");

  assert_both (f, LEVELS, NO_PARAMS,
               "1|1|7|2|5|4|2026-11-30T09:03:00.000000Z\n"
               "1|2|5|0|5|2|2026-11-30T09:01:00.000000Z\n"
               "2|2|-1|0|-1|6|2026-11-30T09:05:00.000000Z\n");
  assert_both (f, TOTALS, NO_PARAMS,
               "1|12|10|4|2026-11-30T09:02:00.000000Z\n"
               "2|-1|-1|NULL|2026-11-30T09:05:00.000000Z\n");
  /* Units count negative stock as 0; the oversold variant is out of stock. */
  assert_both (f, AGGREGATES, NO_PARAMS,
               "product_type|Shirts|1|2|12|8400|18000|1|0|0\n"
               "total||1|2|12|8400|18000|1|0|0\n"
               "vendor|Acme|1|2|12|8400|18000|1|0|0\n");
  aggregates = both (f, AGGREGATES, NO_PARAMS);
  expected = both (f, EXPECTED_AGGREGATES, NO_PARAMS);
  g_assert_cmpstr (aggregates, ==, expected);

  /* Low stock: the shop default reaches the variant without its own. */
  exec_both (f, "UPDATE settings SET value = '0' WHERE key = 'default_reorder_point'");
  assert_both (f, "SELECT variant_id, available, reorder_point, raised_at FROM stock_alerts",
               NO_PARAMS, "");
  move (f, "m7", 1, 1, -6, 0, "sold", "app", "2026-11-30T09:06:00.000000Z");
  assert_both (f, "SELECT variant_id, available, reorder_point, raised_at FROM stock_alerts",
               NO_PARAMS, "1|4|4|2026-11-30T09:06:00.000000Z\n");
  assert_both (f, TOTALS, NO_PARAMS,
               "1|6|4|4|2026-11-30T09:06:00.000000Z\n"
               "2|-1|-1|0|2026-11-30T09:05:00.000000Z\n");
  g_clear_pointer (&aggregates, g_free);
  g_clear_pointer (&expected, g_free);
  aggregates = both (f, AGGREGATES, NO_PARAMS);
  expected = both (f, EXPECTED_AGGREGATES, NO_PARAMS);
  g_assert_cmpstr (aggregates, ==, "product_type|Shirts|1|2|6|4200|9000|1|1|2\n"
                                   "total||1|2|6|4200|9000|1|1|2\n"
                                   "vendor|Acme|1|2|6|4200|9000|1|1|2\n");
  g_assert_cmpstr (aggregates, ==, expected);

  /* Archiving the product takes its figures out; a variant moving to a
   * new product takes its own along. */
  exec_both (f, "INSERT INTO products (id, handle, title, vendor, product_type, created_at, updated_at)"
             " VALUES (2, 'cap', 'Cap', 'Hatters', 'Hats', 't', 't')");
  exec_both (f, "UPDATE variants SET product_id = 2 WHERE id = 2");
  exec_both (f, "UPDATE products SET status = 'archived' WHERE id = 1");
  g_clear_pointer (&aggregates, g_free);
  g_clear_pointer (&expected, g_free);
  aggregates = both (f, AGGREGATES, NO_PARAMS);
  expected = both (f, EXPECTED_AGGREGATES_NOT_EMPTY, NO_PARAMS);
  g_assert_cmpstr (aggregates, ==, "product_type|Hats|1|1|0|0|0|1|0|1\n"
                                   "total||1|1|0|0|0|1|0|1\n"
                                   "vendor|Hatters|1|1|0|0|0|1|0|1\n");
  g_assert_cmpstr (aggregates, ==, expected);

  /* The ledger refuses changes with one message on both, and keeps its rows. */
  message = refused_on_both (f, "UPDATE movements SET note = 'edited' WHERE op_id = 'm1'",
                             NO_PARAMS, "P0001");
  g_assert_cmpstr (message, ==, "the movement ledger is append-only");
  g_clear_pointer (&message, g_free);
  message = refused_on_both (f, "DELETE FROM movements", NO_PARAMS, "P0001");
  g_assert_cmpstr (message, ==, "the movement ledger is append-only");
  assert_both (f, "SELECT count(*), sum (on_hand_delta), count (note) FROM movements",
               NO_PARAMS, "7|5|0\n");

  /* Refused movements leave levels and totals as they were. */
  g_clear_pointer (&message, g_free);
  message = refused_on_both (f, "INSERT INTO movements (op_id, operation, variant_id, location_id,"
                             " reason, actor, created_at) VALUES ('z', 'z', 1, 1, 'sold', 'me', 't')",
                             NO_PARAMS, "23514");
  g_clear_pointer (&message, g_free);
  message = refused_on_both (f, "INSERT INTO movements (op_id, operation, variant_id, location_id,"
                             " on_hand_delta, reason, actor, created_at)"
                             " VALUES ('m1', 'z', 1, 1, 5, 'sold', 'me', 't')",
                             NO_PARAMS, "23505");
  assert_both (f, LEVELS, NO_PARAMS,
               "1|1|1|2|-1|7|2026-11-30T09:06:00.000000Z\n"
               "1|2|5|0|5|2|2026-11-30T09:01:00.000000Z\n"
               "2|2|-1|0|-1|6|2026-11-30T09:05:00.000000Z\n");
  assert_both (f, "SELECT id, on_hand, available FROM variants ORDER BY id", NO_PARAMS,
               "1|6|4\n2|-1|-1\n");
}

#define OUTBOX "SELECT channel_id, variant_id, location_id, kind, payload, state, created_at," \
               " substr (op_id, 1, 7), length (op_id) FROM outbox ORDER BY id"

/* A movement of a linked variant queues one push per channel location,
 * as on SQLite; a channel's own pull is not echoed back. */
static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *unused = NULL;
  g_autofree char *op_ids = NULL;
  g_autofree char *lite = NULL;

  insert_catalog (f);
  exec_both (f, "INSERT INTO channels (id, platform, name, account, created_at)"
             " VALUES (1, 'shopify', 'Web shop', 'shop.example', 't')");
  exec_both (f, "INSERT INTO channels (id, platform, name, account, settings, created_at)"
             " VALUES (2, 'amazon', 'Amazon', 'seller', '{\"sync\":{\"locations\":[1,2]}}', 't')");
  exec_both (f, "INSERT INTO channel_locations (channel_id, remote_id, remote_name, location_id)"
             " VALUES (1, 'gid://L/1', 'Main', 1), (2, 'DEFAULT', 'Amazon', 1)");
  exec_both (f, "INSERT INTO remote_variants (channel_id, remote_variant_id, first_seen_at, last_seen_at)"
             " VALUES (1, 'gid://V/1', 't', 't'), (1, 'gid://V/2', 't', 't')");
  exec_both (f, "INSERT INTO channel_links (channel_id, variant_id, remote_variant_id,"
             " remote_inventory_id, linked_by, updated_at)"
             " VALUES (1, 1, 'gid://V/1', 'gid://I/1', 'sku', 't'),"
             "        (2, 1, 'SKU-1', 'SKU-1', 'sku', 't')");
  /* Linking took the remote variant off the unmatched list. */
  assert_both (f, "SELECT remote_variant_id FROM remote_variants", NO_PARAMS, "gid://V/2\n");

  move (f, "m1", 1, 1, 4, 0, "received", "app", "2026-11-30T10:00:00.000000Z");
  assert_both (f, OUTBOX, NO_PARAMS,
               "1|1|1|set_quantity|{}|pending|2026-11-30T10:00:00.000000Z|push:1:|39\n"
               "2|1|1|set_quantity|{}|pending|2026-11-30T10:00:00.000000Z|push:2:|39\n");
  /* Unclaimed entries cover later movements, at the Amazon feeding
   * location (2) too; the other variant is not linked. */
  move (f, "m2", 1, 2, 3, 0, "received", "app", "2026-11-30T10:01:00.000000Z");
  move (f, "m3", 2, 2, 3, 0, "received", "app", "2026-11-30T10:02:00.000000Z");
  assert_both (f, "SELECT count(*) FROM outbox", NO_PARAMS, "2\n");

  /* Claimed: the next movement queues again, except for the channel's own
   * pull; the Shopify channel does not take location 2. */
  exec_both (f, "UPDATE outbox SET payload = '{\"quantity\":4}', state = 'sending'");
  move (f, "m4", 1, 1, -1, 0, "sold", "channel:1", "2026-11-30T10:03:00.000000Z");
  move (f, "m5", 1, 2, -1, 0, "sold", "app", "2026-11-30T10:04:00.000000Z");
  assert_both (f, OUTBOX, NO_PARAMS,
               "1|1|1|set_quantity|{\"quantity\":4}|sending|2026-11-30T10:00:00.000000Z|push:1:|39\n"
               "2|1|1|set_quantity|{\"quantity\":4}|sending|2026-11-30T10:00:00.000000Z|push:2:|39\n"
               "2|1|1|set_quantity|{}|pending|2026-11-30T10:03:00.000000Z|push:2:|39\n");
  op_ids = pg_run (f, "SELECT count(*) FROM outbox WHERE op_id ~ '^push:[12]:[0-9a-f]{32}$'",
                   NO_PARAMS, &unused, NULL);
  g_assert_cmpstr (op_ids, ==, "3\n");
  g_free (unused);
  unused = NULL;
  lite = lite_run (f, "SELECT count(*) FROM outbox WHERE op_id GLOB 'push:[12]:" \
                     "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]" \
                     "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]" \
                     "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]" \
                     "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'",
                     NO_PARAMS, &unused);
  g_assert_cmpstr (lite, ==, "3\n");

  /* An imported variant's first remote level becomes its opening stock. */
  exec_both (f, "INSERT INTO channel_links (channel_id, variant_id, remote_variant_id,"
             " remote_inventory_id, linked_by, updated_at)"
             " VALUES (1, 2, 'gid://V/2', 'gid://I/2', 'import', 't')");
  g_free (both (f, "INSERT INTO channel_levels (channel_id, variant_id, remote_location_id,"
                " quantity, updated_at) VALUES (1, 2, 'gid://L/1', 9, '2026-11-30T10:05:00.000000Z')",
                NO_PARAMS));
  assert_both (f, "SELECT op_id, operation, variant_id, location_id, on_hand_delta, reason,"
               " source, reference, note, actor, created_at FROM movements WHERE reason = 'sync'",
               NO_PARAMS,
               "sync:1:import:2:1|sync:1:import:2|2|1|9|sync|channel:1|Web shop|"
               "Imported variant: opening stock taken from the channel|sync|"
               "2026-11-30T10:05:00.000000Z\n");
  assert_both (f, "SELECT count(*) FROM remote_variants", NO_PARAMS, "0\n");
  assert_both (f, LEVELS, NO_PARAMS,
               "1|1|3|0|3|4|2026-11-30T10:03:00.000000Z\n"
               "1|2|2|0|2|5|2026-11-30T10:04:00.000000Z\n"
               "2|1|9|0|9|6|2026-11-30T10:05:00.000000Z\n"
               "2|2|3|0|3|3|2026-11-30T10:02:00.000000Z\n");
}

static void
pg_exec (PGconn     *conn,
         const char *sql)
{
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("PostgreSQL refused “%s”: %s", sql, PQerrorMessage (conn));
  PQclear (res);
}

/* Two writers of one linked variant at once: the second waits on the row
 * the first one's movement locked (its variant), then sees the first one's
 * work, so there is one push entry, not two, and the levels hold both
 * movements, as when SQLite runs them one after the other. */
static void
test_concurrent_movements (Fixture       *f,
                           gconstpointer  data)
{
  PGconn *other = PQconnectdb (f->uri);
  PGresult *res;
  g_autofree char *unused = NULL;
  g_autofree char *rows = NULL;
  gboolean waiting = TRUE;

  g_assert_cmpint (PQstatus (other), ==, CONNECTION_OK);
  insert_catalog (f);
  exec_both (f, "INSERT INTO channels (id, platform, name, account, created_at)"
             " VALUES (1, 'shopify', 'Web shop', 'shop.example', 't')");
  exec_both (f, "INSERT INTO channel_locations (channel_id, remote_id, remote_name, location_id)"
             " VALUES (1, 'gid://L/1', 'Main', 1)");
  exec_both (f, "INSERT INTO channel_links (channel_id, variant_id, remote_variant_id,"
             " remote_inventory_id, linked_by, updated_at)"
             " VALUES (1, 1, 'gid://V/1', 'gid://I/1', 'sku', 't')");

  pg_exec (f->pg, "BEGIN");
  pg_exec (f->pg, "INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,"
           " reason, actor, created_at) VALUES ('a', 'a', 1, 1, 5, 'received', 'till 1', 't1')");
  pg_exec (other, "BEGIN");
  g_assert_cmpint (PQsendQuery (other, "INSERT INTO movements (op_id, operation, variant_id,"
                                " location_id, on_hand_delta, reason, actor, created_at)"
                                " VALUES ('b', 'b', 1, 1, -2, 'sold', 'till 2', 't2')"), ==, 1);
  /* Still waiting for the first transaction after half a second. */
  for (int i = 0; i < 10 && waiting; i++)
    {
      g_usleep (G_USEC_PER_SEC / 20);
      g_assert_cmpint (PQconsumeInput (other), ==, 1);
      waiting = PQisBusy (other);
    }
  g_assert_true (waiting);
  pg_exec (f->pg, "COMMIT");

  res = PQgetResult (other);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  g_assert_null (PQgetResult (other));
  pg_exec (other, "COMMIT");
  PQfinish (other);

  rows = pg_run (f, "SELECT count(*), min (location_id), max (created_at) FROM outbox",
                 NO_PARAMS, &unused, NULL);
  g_assert_cmpstr (rows, ==, "1|1|t1\n");
  g_free (rows);
  rows = pg_run (f, "SELECT on_hand, available, last_movement_id FROM stock_levels",
                 NO_PARAMS, &unused, NULL);
  g_assert_cmpstr (rows, ==, "3|3|2\n");
  g_free (rows);
  rows = pg_run (f, "SELECT on_hand, available FROM variants WHERE id = 1",
                 NO_PARAMS, &unused, NULL);
  g_assert_cmpstr (rows, ==, "3|3\n");
}

static char *
pg_rows (Fixture    *f,
         const char *sql)
{
  return pg_run (f, sql, NO_PARAMS, NULL, NULL);
}

/* The kept totals on PostgreSQL take a transaction's changes at its commit:
 * thousands of movements in one transaction end in the same totals as row
 * by row, a rolled-back savepoint takes its changes with it, a check inside
 * the transaction adds them early, and a second till moving another variant
 * of the same groups does not wait for the first one's commit. */
static void
test_totals_at_commit (Fixture       *f,
                       gconstpointer  data)
{
  PGconn *other = PQconnectdb (f->uri);
  PGresult *res;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  gboolean waiting = TRUE;

  g_assert_cmpint (PQstatus (other), ==, CONNECTION_OK);
  insert_catalog (f);
  rows = pg_rows (f, AGGREGATES);
  g_assert_cmpstr (rows, ==, "product_type|Shirts|1|2|0|0|0|2|0|1\n"
                             "total||1|2|0|0|0|2|0|1\n"
                             "vendor|Acme|1|2|0|0|0|2|0|1\n");

  pg_exec (f->pg, "BEGIN");
  pg_exec (f->pg, "INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,"
           " reason, actor, created_at)"
           " SELECT 'g' || i, 'g' || i, 1, 1, 1, 'received', 'importer', 't'"
           " FROM generate_series (1, 2000) i");
  pg_exec (f->pg, "SAVEPOINT refused");
  pg_exec (f->pg, "INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,"
           " reason, actor, created_at) VALUES ('r', 'r', 2, 1, 100, 'received', 'importer', 't')");
  pg_exec (f->pg, "ROLLBACK TO SAVEPOINT refused");
  /* Waiting, not yet added: the totals are as before the transaction. */
  g_clear_pointer (&rows, g_free);
  rows = pg_rows (f, "SELECT count(*), sum (units) FROM stock_aggregate_changes");
  g_assert_cmpstr (rows, ==, "2000|2000\n");
  g_clear_pointer (&rows, g_free);
  rows = pg_rows (f, "SELECT units FROM stock_aggregates WHERE grouping = 'total'");
  g_assert_cmpstr (rows, ==, "0\n");

  /* Another till sells the other variant meanwhile: it touches the same
   * three groups and still does not wait. */
  pg_exec (other, "BEGIN");
  g_assert_cmpint (PQsendQuery (other, "INSERT INTO movements (op_id, operation, variant_id,"
                                " location_id, on_hand_delta, reason, actor, created_at)"
                                " VALUES ('t2', 't2', 2, 2, 7, 'received', 'till 2', 't')"), ==, 1);
  for (int i = 0; i < 100 && waiting; i++)
    {
      g_assert_cmpint (PQconsumeInput (other), ==, 1);
      waiting = PQisBusy (other);
      if (waiting)
        g_usleep (G_USEC_PER_SEC / 20);
    }
  g_assert_false (waiting);
  res = PQgetResult (other);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  g_assert_null (PQgetResult (other));
  pg_exec (other, "COMMIT");
  PQfinish (other);

  /* Added early on request (the check does), then more changes. */
  pg_exec (f->pg, "SELECT omni_fold_stock_aggregates ()");
  g_clear_pointer (&rows, g_free);
  rows = pg_rows (f, "SELECT units, out_of_stock FROM stock_aggregates WHERE grouping = 'total'");
  g_assert_cmpstr (rows, ==, "2007|0\n");
  pg_exec (f->pg, "INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,"
           " reason, actor, created_at) VALUES ('s', 's', 1, 1, -5, 'sold', 'till 1', 't')");
  pg_exec (f->pg, "COMMIT");

  g_clear_pointer (&rows, g_free);
  rows = pg_rows (f, AGGREGATES);
  g_assert_cmpstr (rows, ==, "product_type|Shirts|1|2|2002|1396500|3003000|0|0|0\n"
                             "total||1|2|2002|1396500|3003000|0|0|0\n"
                             "vendor|Acme|1|2|2002|1396500|3003000|0|0|0\n");
  expected = pg_rows (f, EXPECTED_AGGREGATES);
  g_assert_cmpstr (rows, ==, expected);
  g_clear_pointer (&rows, g_free);
  rows = pg_rows (f, "SELECT count(*) FROM stock_aggregate_changes");
  g_assert_cmpstr (rows, ==, "0\n");
}

/* Orders feed the daily and per-variant sales and the order count. */
static void
test_sales (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *today = NULL;
  g_autofree char *placed = NULL;
  g_autofree char *unused = NULL;
  g_autofree char *message = NULL;
  Param at[1];

  insert_catalog (f);
  today = pg_run (f, "SELECT to_char (now () AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
                  NO_PARAMS, &unused, NULL);
  today[10] = '\0';
  placed = g_strdup_printf ("%sT12:00:00.000000Z", today);
  at[0] = (Param) PT (placed);

  g_free (both (f, "INSERT INTO orders (id, remote_id, name, currency, placed_at, created_at)"
                " VALUES (1, 'A-1', '#1', 'USD', ?1, 't')", at, 1));
  g_free (both (f, "INSERT INTO orders (id, channel_id, remote_id, name, currency, placed_at, created_at)"
                " VALUES (2, NULL, 'A-2', '#2', 'USD', ?1, 't')", at, 1));
  exec_both (f, "INSERT INTO order_lines (order_id, variant_id, title, quantity, price)"
             " VALUES (1, 1, 'Tee S', 2, 1500), (1, 2, 'Tee M', 1, 1400), (2, 1, 'Tee S', 3, 1500)");
  assert_both (f, "SELECT n FROM table_counts WHERE name = 'orders'", NO_PARAMS, "2\n");
  g_free (both (f, "SELECT day = substr (?1, 1, 10), channel_id, units, revenue, orders FROM sales_daily",
                at, 1));
  assert_both (f, "SELECT channel_id, units, revenue, orders FROM sales_daily", NO_PARAMS,
               "0|6|8900|2\n");
  assert_both (f, "SELECT variant_id, units, revenue FROM sales_variant_daily ORDER BY variant_id",
               NO_PARAMS, "1|5|7500\n2|1|1400\n");
  assert_both (f, "SELECT variant_id, units, revenue FROM sales_variant_recent ORDER BY variant_id",
               NO_PARAMS, "1|5|7500\n2|1|1400\n");

  /* A refund, a cancelled order, a deleted line and a deleted order. */
  exec_both (f, "UPDATE order_lines SET refunded = 1 WHERE order_id = 2");
  exec_both (f, "UPDATE orders SET status = 'cancelled' WHERE id = 1");
  assert_both (f, "SELECT channel_id, units, revenue, orders FROM sales_daily", NO_PARAMS,
               "0|2|3000|1\n");
  assert_both (f, "SELECT variant_id, units, revenue FROM sales_variant_recent ORDER BY variant_id",
               NO_PARAMS, "1|2|3000\n2|0|0\n");
  exec_both (f, "UPDATE orders SET status = 'open' WHERE id = 1");
  exec_both (f, "DELETE FROM order_lines WHERE variant_id = 2");
  exec_both (f, "DELETE FROM orders WHERE id = 2");
  assert_both (f, "SELECT n FROM table_counts WHERE name = 'orders'", NO_PARAMS, "1\n");
  assert_both (f, "SELECT channel_id, units, revenue, orders FROM sales_daily", NO_PARAMS,
               "0|2|3000|1\n");
  assert_both (f, "SELECT variant_id, units, revenue FROM sales_variant_recent ORDER BY variant_id",
               NO_PARAMS, "1|2|3000\n2|0|0\n");
  /* Several lines of one order in one statement count it once, in and out. */
  g_free (both (f, "INSERT INTO orders (id, remote_id, name, currency, placed_at, created_at)"
                " VALUES (3, 'A-3', '#3', 'USD', ?1, 't')", at, 1));
  exec_both (f, "INSERT INTO order_lines (order_id, variant_id, title, quantity, price)"
             " VALUES (3, 1, 'Tee S', 1, 100), (3, 2, 'Tee M', 1, 200), (3, NULL, 'Gift', 1, 0)");
  assert_both (f, "SELECT channel_id, units, revenue, orders FROM sales_daily", NO_PARAMS,
               "0|5|3300|2\n");
  exec_both (f, "DELETE FROM order_lines WHERE order_id = 3 AND variant_id IS NOT NULL");
  assert_both (f, "SELECT channel_id, units, revenue, orders FROM sales_daily", NO_PARAMS,
               "0|3|3000|2\n");
  exec_both (f, "DELETE FROM order_lines WHERE order_id = 3");
  assert_both (f, "SELECT channel_id, units, revenue, orders FROM sales_daily", NO_PARAMS,
               "0|2|3000|1\n");
  assert_both (f, "SELECT variant_id, units, revenue FROM sales_variant_recent ORDER BY variant_id",
               NO_PARAMS, "1|2|3000\n2|0|0\n");
  /* What the check recomputes agrees with what the triggers kept. */
  assert_both (f, "SELECT day, channel_id, units, revenue, orders FROM sales_daily"
               " EXCEPT SELECT day, channel_id, units, revenue, orders FROM sales_daily_expected",
               NO_PARAMS, "");
  assert_both (f, "SELECT variant_id, units, revenue FROM sales_variant_recent WHERE units <> 0"
               " EXCEPT SELECT variant_id, units, revenue FROM sales_variant_recent_expected",
               NO_PARAMS, "");
  /* Orders of one channel are unique by remote id, the shop's too. */
  message = refused_on_both (f, "INSERT INTO orders (id, remote_id, name, currency, placed_at,"
                             " created_at) VALUES (9, 'A-1', '#1 again', 'USD', 't', 't')",
                             NO_PARAMS, "23505");
  g_assert_cmpstr (message, ==, "duplicate key value violates unique constraint \"orders_remote\"");
}

/* Rows copied in with their ids (a move from SQLite): the identity
 * columns then continue after the highest id, as SQLite's rowids do. */
static void
test_identities (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *rows = NULL;
  g_autofree char *unused = NULL;

  insert_catalog (f);
  exec_both (f, "INSERT INTO products (id, handle, title, created_at, updated_at)"
             " VALUES (7, 'seven', 'Seven', 't', 't')");
  g_free (pg_run (f, "SELECT omni_reset_identities ()", NO_PARAMS, NULL, NULL));
  exec_both (f, "INSERT INTO products (handle, title, created_at, updated_at)"
             " VALUES ('eight', 'Eight', 't', 't')");
  exec_both (f, "INSERT INTO locations (name, created_at) VALUES ('Van', 't')");
  exec_both (f, "INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,"
             " reason, actor, created_at) VALUES ('m', 'm', 2, 3, 1, 'received', 'me', 't')");
  assert_both (f, "SELECT id, handle FROM products ORDER BY id", NO_PARAMS,
               "1|tee\n7|seven\n8|eight\n");
  assert_both (f, "SELECT id, name FROM locations ORDER BY id", NO_PARAMS,
               "1|Shop Floor\n2|Back Room\n3|Van\n");
  assert_both (f, "SELECT id, variant_id, location_id FROM movements", NO_PARAMS, "1|2|3\n");
  rows = pg_run (f, "SELECT count(*) FROM information_schema.columns"
                 " WHERE table_schema = 'public' AND is_identity = 'YES'", NO_PARAMS, &unused, NULL);
  g_assert_cmpstr (rows, ==, "18\n");
}

/* SQLite's NOCASE: equal but for case, unique alike, sorted alike. */
static void
test_nocase (Fixture       *f,
             gconstpointer  data)
{
  const Param shop[] = { PT ("SHOP FLOOR") };
  g_autofree char *message = NULL;

  insert_catalog (f);
  message = refused_on_both (f, "INSERT INTO locations (id, name, created_at)"
                             " VALUES (3, 'shop floor', 't')", NO_PARAMS, "23505");
  g_assert_cmpstr (message, ==,
                   "duplicate key value violates unique constraint \"locations_name_key\"");
  g_free (refused_on_both (f, "INSERT INTO staff (name, created_at) VALUES ('Ann', 't'), ('ANN', 't')",
                           NO_PARAMS, "23505"));
  g_free (refused_on_both (f, "INSERT INTO suppliers (name, currency, created_at, updated_at)"
                           " VALUES ('Acme', 'USD', 't', 't'), ('acme', 'USD', 't', 't')",
                           NO_PARAMS, "23505"));
  assert_both (f, "SELECT count(*) FROM staff", NO_PARAMS, "0\n");
  assert_both (f, "SELECT id FROM locations WHERE name = ?1", shop, 1, "1\n");
  assert_both (f, "SELECT id FROM locations WHERE name = ?1 COLLATE NOCASE", shop, 1, "1\n");
  exec_both (f, "INSERT INTO products (id, handle, title, created_at, updated_at)"
             " VALUES (2, 'b', 'banana', 't', 't'), (3, 'c', 'Apple', 't', 't'),"
             "        (4, 'd', 'cherry', 't', 't'), (5, 'e', 'apple', 't', 't')");
  assert_both (f, "SELECT title FROM products ORDER BY title COLLATE NOCASE, id", NO_PARAMS,
               "Apple\napple\nbanana\ncherry\nTee\n");
  assert_both (f, "SELECT title FROM products WHERE title COLLATE NOCASE >= 'BANANA'"
               " ORDER BY title COLLATE NOCASE DESC, id DESC", NO_PARAMS,
               "Tee\ncherry\nbanana\n");
}

/* The full-text table: the same rowid-keyed rows, the same LIKE answers,
 * and the trigram search of PostgreSQL finding what MATCH finds. */
static void
test_search_index (Fixture       *f,
                   gconstpointer  data)
{
  const Param pattern[] = { PT ("%ee%") };
  const Param escaped[] = { PT ("%50\\%%") };
  g_autofree char *lite = NULL;
  g_autofree char *pg = NULL;
  g_autofree char *unused = NULL;

  exec_both (f, "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
             " VALUES (1, 'tee shirt', 'tee-s', '4006381333931', 'acme', 'summer'),"
             "        (2, 'cap', 'cap-1', NULL, 'hatters', 'summer, 50% off'),"
             "        (3, 'green tea', 'tea', NULL, 'leaf', '')");
  exec_both (f, "DELETE FROM search_index WHERE rowid = 3");
  exec_both (f, "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
             " VALUES (3, 'green tea', 'tea-2', NULL, 'leaf', '')");
  assert_both (f, "SELECT rowid FROM search_index s WHERE (s.title LIKE ?1 ESCAPE '\\'"
               " OR s.sku LIKE ?1 ESCAPE '\\' OR s.barcode LIKE ?1 ESCAPE '\\'"
               " OR s.vendor LIKE ?1 ESCAPE '\\' OR s.tags LIKE ?1 ESCAPE '\\') ORDER BY rowid",
               pattern, 1, "1\n3\n");
  assert_both (f, "SELECT rowid FROM search_index s WHERE s.tags LIKE ?1 ESCAPE '\\'",
               escaped, 1, "2\n");

  /* MATCH '"ee"' AND '"sum"' on SQLite; one LIKE per term on PostgreSQL,
   * over the column the trigram index covers. A term never spans two
   * fields ("acme" + "summer" holds no "esu"). */
  lite = lite_run (f, "SELECT rowid FROM search_index WHERE search_index MATCH"
                   " '\"tee\" AND \"sum\"' ORDER BY rowid", NO_PARAMS, &unused);
  pg = pg_run (f, "SELECT rowid FROM search_index WHERE search_index LIKE '%tee%'"
               " AND search_index LIKE '%sum%' ORDER BY rowid", NO_PARAMS, &unused, NULL);
  g_assert_cmpstr (lite, ==, "1\n");
  g_assert_cmpstr (pg, ==, lite);
  g_free (lite);
  g_free (pg);
  lite = lite_run (f, "SELECT rowid FROM search_index WHERE search_index MATCH '\"mesu\"'",
                   NO_PARAMS, &unused);
  pg = pg_run (f, "SELECT rowid FROM search_index WHERE search_index LIKE '%mesu%'",
               NO_PARAMS, &unused, NULL);
  g_assert_cmpstr (lite, ==, "");
  g_assert_cmpstr (pg, ==, "");

  /* That LIKE is what the trigram index answers. */
  g_free (pg);
  pg_exec (f->pg, "SET enable_seqscan = off");
  pg = pg_run (f, "EXPLAIN SELECT rowid FROM search_index WHERE search_index LIKE ?1 ESCAPE '\\'",
               pattern, 1, NULL, NULL);
  pg_exec (f->pg, "RESET enable_seqscan");
  g_assert_nonnull (strstr (pg, "Bitmap Index Scan on search_index_trigrams"));
}

/* The SQLite functions of the store's SQL, with the store's arguments. */
static void
test_functions (Fixture       *f,
                gconstpointer  data)
{
  const Param none[] = { PN };
  const Param two[] = { PI (3), PI (5) };
  const Param tags[] = { PT ("Sale") };
  const Param filter[] = { PT ("TEE") };
  const Param settings_locations[] = { PT ("{\"sync\":{\"locations\":[3,1],\"paused\":false}}") };
  const Param settings_bad[] = { PT ("{\"sync\":{\"locations\":[1,\"2\",1.5,null,true]}}") };
  const Param sync_object[] = { PT ("{\"sync\":{\"paused\":true,\"buffer\":2,\"name\":\"x\","
                                    "\"locations\":[1]}}") };
  const Param sync_array[] = { PT ("{\"sync\":[1]}") };
  const Param sync_missing[] = { PT ("{\"other\":1}") };
  const Param not_json[] = { PT ("{\"sync\":") };
  const Param ids[] = { PT ("[2,1,2]") };
  const Param set_sync[] = {
    PT ("{\"a\":1,\"sync\":{\"paused\":true},\"z\":2}"), PT ("{ \"locations\" : [1, 2] }"),
  };
  const Param payload[] = { PT ("gid://shopify/InventoryItem/1"), PT ("gid://shopify/Location/2"),
                            PI (7), PN };
  const Param payload_from[] = { PT ("gid://shopify/InventoryItem/1"), PT ("gid://shopify/Location/2"),
                                 PI (7), PI (4) };
  const Param quantity[] = { PT ("{\"quantity\":5,\"note\":\"x\"}") };
  const Param body[] = { PT ("{\"admin_graphql_api_id\":\"gid://shopify/Order/1\","
                             "\"cancelled_at\":\"2026-11-30T10:00:00Z\"}"),
                         PT ("gid://shopify/Order/1") };
  const Param body_uncancelled[] = { PT ("{\"admin_graphql_api_id\":\"gid://shopify/Order/1\","
                                         "\"cancelled_at\":null}"),
                                     PT ("gid://shopify/Order/1") };
  const Param body_broken[] = { PT ("{\"admin_graphql_api_id\""), PT ("gid://shopify/Order/1") };
  const Param channel_update[] = {
    PT ("{\"sync\":{\"paused\":true}}"), PT ("{\"note\" : \"n\", \"sync\":{\"paused\":false}}"),
  };
  const Param channel_update_unset[] = { PT ("{}"), PT ("{\"note\":\"n\",\"sync\":{\"x\":1}}") };
  const Param webhook_all[] = { PI (0) };
  g_autofree char *random = NULL;
  g_autofree char *message = NULL;

  insert_catalog (f);

  /* ifnull, iif, instr, max/min of two, abs, trim, nullif, substr */
  assert_both (f, "SELECT ifnull (?1, 'none'), ifnull (max (id), 0), ifnull (NULL, 0) + 1"
               " FROM movements", none, 1, "none|0|1\n");
  assert_both (f, "SELECT iif (?1 <> ?2, 'units', 'revenue'), iif (?1 <> ?2, ?1, ?2),"
               " iif (?1 = ?1, ?2, ?1)", two, 2, "units|3|5\n");
  assert_both (f, "SELECT max (?1 - ?2, 0), max (?2, ?1), min (?1, ?2), max (?1, NULL),"
               " max (ifnull (NULL, ''), ifnull ('2026-11-30', ''))", two, 2,
               "0|5|3|NULL|2026-11-30\n");
  assert_both (f, "SELECT v.id, sum (max (v.on_hand - 3, 0)) FROM variants v GROUP BY v.id ORDER BY 1",
               NO_PARAMS, "1|0\n2|0\n");
  assert_both (f, "SELECT instr (',' || lower (replace ('Summer, Sale, New', ', ', ',')) || ',',"
               " ',' || lower (?1) || ','), instr ('abc', 'x'), instr (NULL, 'x')", tags, 1,
               "8|0|NULL\n");
  assert_both (f, "SELECT count(*) FROM products p WHERE instr (',' || lower (replace ("
               "'Summer, Sale', ', ', ',')) || ',', ',' || lower (?1) || ',') > 0", tags, 1, "1\n");
  /* (omni-store-remote.c writes "?3 IS NULL OR instr (...)": PostgreSQL
   * cannot type an untyped parameter from IS NULL alone.) */
  assert_both (f, "SELECT id FROM variants WHERE (CAST (?1 AS TEXT) IS NULL OR instr (lower ("
               "ifnull (sku, '') || ' ' || ifnull (barcode, '')), lower (?1)) > 0) ORDER BY id",
               filter, 1, "1\n2\n");
  assert_both (f, "SELECT trim (ifnull ('S', '') || ifnull (' / ' || NULL, '')),"
               " 'Tee' || ifnull (' — ' || nullif ('', ''), ''), abs (3 - 7),"
               " substr ('2026-11-30T10:00:00Z', 1, 10), CAST (nullif ('', '') AS INTEGER)",
               NO_PARAMS, "S|Tee|4|2026-11-30|NULL\n");

  /* total() counts the rows where a condition holds; group_concat() */
  exec_both (f, "INSERT INTO webhook_events (channel_id, event_id, topic, state, received_at)"
             " VALUES (NULL, 'e1', 't', 'queued', '2026-11-30T01:00:00Z'),"
             "        (NULL, 'e2', 't', 'applied', '2026-11-30T02:00:00Z'),"
             "        (NULL, 'e3', 't', 'queued', '2026-11-30T03:00:00Z')");
  assert_both (f, "SELECT count(*), total (state = 'queued'), total (state = 'applied'),"
               " total (state = 'ignored'), total (state = 'failed'), max (received_at)"
               " FROM webhook_events WHERE ?1 = 0 OR channel_id = ?1", webhook_all, 1,
               "3|2|1|0|0|2026-11-30T03:00:00Z\n");
  assert_both (f, "SELECT total (state = 'queued') FROM webhook_events WHERE 1 = 0", NO_PARAMS, "0\n");
  assert_both (f, "SELECT group_concat (name, ',') FROM (SELECT name FROM movement_reasons"
               " WHERE name LIKE 's%' ORDER BY name) r", NO_PARAMS, "sold,sync\n");
  assert_both (f, "SELECT group_concat (name, ',') FROM movement_reasons WHERE 1 = 0", NO_PARAMS,
               "NULL\n");

  /* randomblob and hex: 32 lower-case hex digits, different each time */
  assert_both (f, "SELECT length (lower (hex (randomblob (16)))), hex ('A'),"
               " lower (hex (randomblob (16))) <> lower (hex (randomblob (16)))",
               NO_PARAMS, "32|41|1\n");
  random = pg_run (f, "SELECT count(*) FROM generate_series (1, 50)"
                   " WHERE lower (hex (randomblob (16))) ~ '^[0-9a-f]{32}$'", NO_PARAMS, NULL, NULL);
  g_assert_cmpstr (random, ==, "50\n");

  /* JSON as the channel settings read and write it */
  assert_both (f, "SELECT type, value FROM json_each (?1, '$.sync.locations')",
               settings_locations, 1, "integer|3\ninteger|1\n");
  assert_both (f, "SELECT type, value FROM json_each (?1, '$.sync.locations')",
               settings_bad, 1, "integer|1\ntext|2\nreal|1.5\nnull|NULL\ntrue|1\n");
  assert_both (f, "SELECT CASE WHEN json_valid (?1) THEN json_type (?1, '$.sync')"
               " ELSE 'invalid' END", sync_object, 1, "object\n");
  assert_both (f, "SELECT CASE WHEN json_valid (?1) THEN json_type (?1, '$.sync')"
               " ELSE 'invalid' END", sync_array, 1, "array\n");
  assert_both (f, "SELECT CASE WHEN json_valid (?1) THEN json_type (?1, '$.sync')"
               " ELSE 'invalid' END", sync_missing, 1, "NULL\n");
  assert_both (f, "SELECT CASE WHEN json_valid (?1) THEN json_type (?1, '$.sync')"
               " ELSE 'invalid' END", not_json, 1, "invalid\n");
  assert_both (f, "SELECT key, type, atom FROM json_each (?1, '$.sync')", sync_object, 1,
               "paused|true|1\nbuffer|integer|2\nname|text|x\nlocations|array|NULL\n");
  assert_both (f, "SELECT json_set (?1, '$.sync', json (?2))", set_sync, 2,
               "{\"a\":1,\"sync\":{\"locations\":[1,2]},\"z\":2}\n");
  assert_both (f, "SELECT CASE WHEN json_type (settings, '$.sync') IS NULL"
               "  THEN json_remove (json (?2), '$.sync')"
               " ELSE json_set (json (?2), '$.sync', json (settings -> '$.sync')) END"
               " FROM (SELECT ?1 AS settings) s", channel_update, 2,
               "{\"note\":\"n\",\"sync\":{\"paused\":true}}\n");
  assert_both (f, "SELECT CASE WHEN json_type (settings, '$.sync') IS NULL"
               "  THEN json_remove (json (?2), '$.sync')"
               " ELSE json_set (json (?2), '$.sync', json (settings -> '$.sync')) END"
               " FROM (SELECT ?1 AS settings) s", channel_update_unset, 2, "{\"note\":\"n\"}\n");
  assert_both (f, "SELECT json_object ('inventory_item_id', ?1, 'location_id', ?2,"
               " 'quantity', ?3, 'change_from', ?4)", payload, 4,
               "{\"inventory_item_id\":\"gid://shopify/InventoryItem/1\","
               "\"location_id\":\"gid://shopify/Location/2\",\"quantity\":7,\"change_from\":null}\n");
  assert_both (f, "SELECT json_object ('inventory_item_id', ?1, 'location_id', ?2,"
               " 'quantity', ?3, 'change_from', ?4)", payload_from, 4,
               "{\"inventory_item_id\":\"gid://shopify/InventoryItem/1\","
               "\"location_id\":\"gid://shopify/Location/2\",\"quantity\":7,\"change_from\":4}\n");
  assert_both (f, "SELECT json_extract (?1, '$.quantity'), json_extract (?1, '$.note'),"
               " json_extract (?1, '$.none')", quantity, 1, "5|x|NULL\n");
  assert_both (f, "SELECT v.id, j.key FROM json_each (?1) j JOIN variants v ON v.id = j.value"
               " ORDER BY j.key", ids, 1, "2|0\n1|1\n2|2\n");
  assert_both (f, "SELECT id FROM variants WHERE id IN (SELECT value FROM json_each (?1))"
               " ORDER BY id", ids, 1, "1\n2\n");
  assert_both (f, "SELECT 1 FROM (SELECT ?1 AS body) w WHERE json_valid (body)"
               " AND body ->> '$.admin_graphql_api_id' = ?2"
               " AND body ->> '$.cancelled_at' IS NOT NULL", body, 2, "1\n");
  assert_both (f, "SELECT 1 FROM (SELECT ?1 AS body) w WHERE json_valid (body)"
               " AND body ->> '$.admin_graphql_api_id' = ?2"
               " AND body ->> '$.cancelled_at' IS NOT NULL", body_uncancelled, 2, "");
  /* Malformed JSON: SQLite stops the statement even behind the json_valid()
   * guard; PostgreSQL reads no value (its guard order is not promised). */
  g_free (random);
  random = lite_run (f, "SELECT 1 FROM (SELECT ?1 AS body) w WHERE json_valid (body)"
                     " AND body ->> '$.admin_graphql_api_id' = ?2", body_broken, 2, &message);
  g_assert_null (random);
  g_assert_cmpstr (message, ==, "malformed JSON");
  random = pg_run (f, "SELECT 1 FROM (SELECT ?1 AS body) w WHERE json_valid (body)"
                   " AND body ->> '$.admin_graphql_api_id' = ?2", body_broken, 2, NULL, NULL);
  g_assert_cmpstr (random, ==, "");
  /* The CHECK on channel settings and outbox payloads */
  g_free (refused_on_both (f, "INSERT INTO channels (platform, name, account, settings, created_at)"
                           " VALUES ('ebay', 'E', 'e', '{\"sync\":', 't')", NO_PARAMS, "23514"));
  assert_both (f, "SELECT count(*) FROM channels", NO_PARAMS, "0\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pg-schema/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("tables-and-views", test_tables_and_views);
  ADD ("indexes", test_indexes);
  ADD ("triggers", test_triggers);
  ADD ("initial-rows", test_initial_rows);
  ADD ("ledger", test_ledger);
  ADD ("outbox", test_outbox);
  ADD ("concurrent-movements", test_concurrent_movements);
  ADD ("totals-at-commit", test_totals_at_commit);
  ADD ("sales", test_sales);
  ADD ("identities", test_identities);
  ADD ("nocase", test_nocase);
  ADD ("search-index", test_search_index);
  ADD ("functions", test_functions);

#undef ADD

  return g_test_run ();
}
