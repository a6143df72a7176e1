/* omni-db-pg.c: the PostgreSQL (libpq) half of a store connection
 *
 * The store's SQL is written for SQLite. This driver closes the gap in three
 * places:
 *
 * - A small lexer rewrites the few spellings PostgreSQL does not accept
 *   (`?NNN` and `?` parameters, `BEGIN IMMEDIATE`, `INSERT OR IGNORE`,
 *   `temp.`), leaving strings, quoted identifiers, comments and dollar
 *   quotes exactly as they were.
 * - A statement runs when it is first stepped, with PQexecParams() and text
 *   results; its rows are then handed out one step at a time, and SQLSTATEs
 *   become the SQLite result codes the store already handles.
 * - Inside a transaction SQLite undoes only the statement that failed, while
 *   PostgreSQL refuses everything until ROLLBACK. Each statement in a
 *   transaction therefore runs inside `SAVEPOINT omni_stmt`, released when it
 *   succeeds and rolled back to when it fails, so the caller can handle the
 *   error and carry on. The savepoint, the statement and the release go to
 *   the server in one pipeline, so the happy path costs no extra round trip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-db"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "omni-db-pg.h"

/* Type OIDs from pg_type.h (stable since forever; server headers are not a
 * build dependency). */
/* Seconds a connection attempt may take (libpq's connect_timeout). */
#define CONNECT_TIMEOUT_S "10"

#define OID_BOOL    16
#define OID_BYTEA   17
#define OID_INT8    20
#define OID_INT2    21
#define OID_INT4    23
#define OID_TEXT    25
#define OID_OID     26
#define OID_FLOAT4  700
#define OID_FLOAT8  701
#define OID_NUMERIC 1700

#define SESSION_SETUP \
  "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET application_name = 'omnistock'"

struct _OmniDbPg
{
  PGconn    *conn;
  int        errcode;
  char      *errmsg;
  gint64     changes;
  gboolean   statement_savepoints;
  GPtrArray *channels;   /* LISTENed channel names, for _omni_db_pg_reconnect() */
  GHashTable *statements;   /* the live OmniDbPgStmts, detached at close */
  GPtrArray *unused_names;  /* server-side statements to DEALLOCATE */
  guint      generation;    /* bumped by a reconnect: server statements are gone */
  guint      next_name;
};

typedef struct
{
  Oid   type;
  int   format;   /* 0 = text, 1 = binary */
  char *value;    /* NULL = SQL NULL */
  int   length;   /* binary values only */
} PgParam;

typedef struct
{
  guchar *data;   /* NUL-terminated copy of the unescaped bytes */
  gsize   length;
} PgBlob;

struct _OmniDbPgStmt
{
  OmniDbPg *pg;
  char     *sql;           /* as rewritten for PostgreSQL */
  int       n_params;
  guint8   *param_used;    /* [n_params]: whether $N appears in the text */
  PgParam  *params;        /* [n_params] */
  gboolean  tx_control;    /* BEGIN, COMMIT, SAVEPOINT …: never wrapped */

  /* Run a second time, a statement is prepared on the server (parsed and
   * planned once); this is how often it was prepared again for new types. */
  guint     n_runs;
  guint     n_reprepares;
  gboolean  prepared;
  guint     prepared_generation;
  Oid      *prepared_types;   /* [n_params] */
  char      name[24];

  gboolean  executed;      /* the current run has been sent */
  gboolean  finished;      /* the last step returned DONE or an error */
  int       last_rc;
  PGresult *result;
  int       n_rows;
  int       n_fields;
  int       row;           /* the current row; -1 before the first step */
  PgBlob   *blobs;         /* [n_fields]: bytea values of the current row */
  int       blob_row;
};

/* Errors --------------------------------------------------------------- */

static void
set_ok (OmniDbPg *pg)
{
  pg->errcode = SQLITE_OK;
  g_clear_pointer (&pg->errmsg, g_free);
}

/* libpq's messages end in a newline and continue on tab-indented lines:
 * one line reads better inside a sentence of ours. */
static char *
flatten_message (const char *message)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = message != NULL ? message : ""; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ')
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
set_error (OmniDbPg   *pg,
           int         rc,
           const char *message)
{
  pg->errcode = rc;
  g_free (pg->errmsg);
  pg->errmsg = flatten_message (message);
  if (pg->errmsg[0] == '\0')
    {
      g_free (pg->errmsg);
      pg->errmsg = g_strdup ("Unknown PostgreSQL error");
    }
}

static int
map_sqlstate (const char *state)
{
  static const struct {
    const char *state;
    int         rc;
  } exact[] = {
    { "23505", SQLITE_CONSTRAINT_UNIQUE },
    { "23503", SQLITE_CONSTRAINT_FOREIGNKEY },
    { "23502", SQLITE_CONSTRAINT_NOTNULL },
    { "23514", SQLITE_CONSTRAINT_CHECK },
    { "P0001", SQLITE_CONSTRAINT_TRIGGER },
    { "40001", SQLITE_BUSY },
    { "40P01", SQLITE_BUSY },
    { "55P03", SQLITE_BUSY },
    { "57014", SQLITE_INTERRUPT },
    { "57P01", SQLITE_IOERR },   /* the server is shutting down */
    { "57P02", SQLITE_IOERR },
    { "57P03", SQLITE_IOERR },
    { "53100", SQLITE_FULL },    /* disk full */
    { "53200", SQLITE_NOMEM },
  };

  if (state == NULL || strlen (state) != 5)
    return SQLITE_ERROR;
  for (gsize i = 0; i < G_N_ELEMENTS (exact); i++)
    if (strcmp (state, exact[i].state) == 0)
      return exact[i].rc;
  if (g_str_has_prefix (state, "08"))
    return SQLITE_IOERR;
  if (g_str_has_prefix (state, "23"))
    return SQLITE_CONSTRAINT;
  return SQLITE_ERROR;
}

/* Records the outcome of @res (which may be NULL when libpq could not even
 * produce a result) and returns SQLITE_OK or the mapped error code. */
static int
check_result (OmniDbPg *pg,
              PGresult *res)
{
  ExecStatusType status = res != NULL ? _omni_pq.PQresultStatus (res) : PGRES_FATAL_ERROR;
  const char *state = NULL;
  const char *primary = NULL;
  g_autofree char *fallback = NULL;
  int rc;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
    {
      const char *command = _omni_pq.PQcmdStatus (res);

      /* As sqlite3_changes(): only INSERT, UPDATE and DELETE count. */
      if (g_str_has_prefix (command, "INSERT ") || g_str_has_prefix (command, "UPDATE ") ||
          g_str_has_prefix (command, "DELETE ") || g_str_has_prefix (command, "MERGE "))
        pg->changes = g_ascii_strtoll (_omni_pq.PQcmdTuples (res), NULL, 10);
      set_ok (pg);
      return SQLITE_OK;
    }

  if (res != NULL)
    {
      state = _omni_pq.PQresultErrorField (res, PG_DIAG_SQLSTATE);
      primary = _omni_pq.PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY);
    }
  if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH)
    primary = "COPY is not supported through this connection";
  if (primary == NULL)
    primary = fallback = g_strdup (res != NULL && *_omni_pq.PQresultErrorMessage (res) != '\0'
                                   ? _omni_pq.PQresultErrorMessage (res)
                                   : _omni_pq.PQerrorMessage (pg->conn));

  rc = map_sqlstate (state);
  if (_omni_pq.PQstatus (pg->conn) == CONNECTION_BAD)
    rc = SQLITE_IOERR;

  if (rc == SQLITE_IOERR)
    {
      g_autofree char *message = g_strdup_printf ("Lost the connection to the PostgreSQL "
                                                  "server: %s", primary);
      set_error (pg, rc, message);
    }
  else
    set_error (pg, rc, primary);
  return rc;
}

/* The SQL rewriter ---------------------------------------------------- */

typedef struct
{
  GString   *out;
  int        max_param;
  GByteArray *used;        /* used->data[N] != 0: $N appears */
  gboolean   tx_control;
} Rewrite;

static gboolean
is_ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_' || (guchar)c >= 0x80;
}

static gboolean
is_ident_char (char c)
{
  return is_ident_start (c) || g_ascii_isdigit (c) || c == '$';
}

/* Skips a comment starting at @p; returns where it ends, or @p if none. */
static const char *
skip_comment (const char *p)
{
  if (p[0] == '-' && p[1] == '-')
    {
      while (*p != '\0' && *p != '\n')
        p++;
      return p;
    }
  if (p[0] == '/' && p[1] == '*')
    {
      int depth = 0;

      /* PostgreSQL nests block comments. */
      while (*p != '\0')
        {
          if (p[0] == '/' && p[1] == '*')
            {
              depth++;
              p += 2;
            }
          else if (p[0] == '*' && p[1] == '/')
            {
              p += 2;
              if (--depth == 0)
                return p;
            }
          else
            p++;
        }
      return p;
    }
  return p;
}

static const char *
skip_blank (const char *p)
{
  for (;;)
    {
      const char *next;

      while (g_ascii_isspace (*p))
        p++;
      next = skip_comment (p);
      if (next == p)
        return p;
      p = next;
    }
}

/* Whether the word at @p (after blanks and comments) is @keyword; sets
 * *@end after it. */
static gboolean
next_word_is (const char  *p,
              const char  *keyword,
              const char **end)
{
  gsize len = strlen (keyword);

  p = skip_blank (p);
  if (g_ascii_strncasecmp (p, keyword, len) != 0 || is_ident_char (p[len]))
    return FALSE;
  *end = p + len;
  return TRUE;
}

/* A quoted run ('…', "…", E'…'): copies it and returns where it ends. */
static const char *
copy_quoted (GString    *out,
             const char *p,
             char        quote,
             gboolean    backslashes)
{
  const char *start = p++;

  while (*p != '\0')
    {
      if (backslashes && *p == '\\' && p[1] != '\0')
        p += 2;
      else if (*p == quote && p[1] == quote)
        p += 2;
      else if (*p == quote)
        {
          p++;
          break;
        }
      else
        p++;
    }
  g_string_append_len (out, start, p - start);
  return p;
}

/* A dollar quote ($$…$$, $tag$…$tag$) starting at @p, or NULL if @p does
 * not start one. */
static const char *
copy_dollar_quote (GString    *out,
                   const char *p)
{
  const char *tag_end = p + 1;
  const char *close;
  g_autofree char *tag = NULL;

  if (*tag_end != '$')
    {
      if (!is_ident_start (*tag_end))
        return NULL;
      while (is_ident_char (*tag_end) && *tag_end != '$')
        tag_end++;
      if (*tag_end != '$')
        return NULL;
    }
  tag = g_strndup (p, tag_end + 1 - p);
  close = strstr (tag_end + 1, tag);
  close = close != NULL ? close + strlen (tag) : p + strlen (p);
  g_string_append_len (out, p, close - p);
  return close;
}

static void
note_param (Rewrite *rw,
            int      number)
{
  if (number > rw->max_param)
    rw->max_param = number;
  if ((guint)number >= rw->used->len)
    {
      guint old_len = rw->used->len;

      g_byte_array_set_size (rw->used, number + 1);
      memset (rw->used->data + old_len, 0, number + 1 - old_len);
    }
  rw->used->data[number] = 1;
}

static gboolean
is_tx_control_word (const char *word,
                    gsize       len)
{
  static const char *const words[] = {
    "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strlen (words[i]) == len && g_ascii_strncasecmp (word, words[i], len) == 0)
      return TRUE;
  return FALSE;
}

static void
rewrite (const char *sql,
         Rewrite    *rw)
{
  const char *p = sql;
  gboolean stmt_start = TRUE;
  gboolean after_dot = FALSE;
  int depth = 0;
  int ignore_depth = -1;   /* an INSERT OR IGNORE awaits its ON CONFLICT here */
  gsize last_token_end = 0;

#define CLOSE_IGNORE() \
  G_STMT_START { \
    g_string_insert (rw->out, last_token_end, " ON CONFLICT DO NOTHING"); \
    last_token_end += strlen (" ON CONFLICT DO NOTHING"); \
    ignore_depth = -1; \
  } G_STMT_END

  while (*p != '\0')
    {
      const char *next = skip_comment (p);
      gboolean was_dot = after_dot;

      if (next != p || g_ascii_isspace (*p))
        {
          if (next == p)
            next = p + 1;
          g_string_append_len (rw->out, p, next - p);
          p = next;
          continue;
        }

      after_dot = FALSE;
      if (*p == '\'')
        p = copy_quoted (rw->out, p, '\'', FALSE);
      else if (*p == '"')
        p = copy_quoted (rw->out, p, '"', FALSE);
      else if (*p == '?')
        {
          int number;

          p++;
          if (g_ascii_isdigit (*p))
            {
              number = 0;
              while (g_ascii_isdigit (*p))
                {
                  number = MIN (number * 10 + (*p - '0'), 1000000);
                  p++;
                }
            }
          else
            number = rw->max_param + 1;
          note_param (rw, number);
          g_string_append_printf (rw->out, "$%d", number);
        }
      else if (*p == '$' && g_ascii_isdigit (p[1]))
        {
          const char *start = p++;
          int number = 0;

          while (g_ascii_isdigit (*p))
            {
              number = MIN (number * 10 + (*p - '0'), 1000000);
              p++;
            }
          note_param (rw, number);
          g_string_append_len (rw->out, start, p - start);
        }
      else if (*p == '$' && (next = copy_dollar_quote (rw->out, p)) != NULL)
        p = next;
      else if (is_ident_start (*p) || g_ascii_isdigit (*p))
        {
          const char *start = p;
          const char *end;
          gsize len;

          while (is_ident_char (*p))
            p++;
          len = p - start;

          if (len == 1 && (*start == 'E' || *start == 'e') && *p == '\'')
            {
              g_string_append_c (rw->out, *start);
              p = copy_quoted (rw->out, p, '\'', TRUE);
            }
          else if (stmt_start && len == 5 && g_ascii_strncasecmp (start, "BEGIN", 5) == 0 &&
                   (next_word_is (p, "IMMEDIATE", &end) || next_word_is (p, "DEFERRED", &end) ||
                    next_word_is (p, "EXCLUSIVE", &end)))
            {
              g_string_append_len (rw->out, start, len);
              p = end;
            }
          else if (len == 6 && g_ascii_strncasecmp (start, "INSERT", 6) == 0 &&
                   next_word_is (p, "OR", &end) && next_word_is (end, "IGNORE", &end))
            {
              g_string_append_len (rw->out, start, len);
              p = end;
              ignore_depth = depth;
            }
          else if (len == 9 && ignore_depth == depth &&
                   g_ascii_strncasecmp (start, "RETURNING", 9) == 0)
            {
              CLOSE_IGNORE ();
              g_string_append_len (rw->out, start, len);
            }
          else if (len == 4 && !was_dot && *p == '.' &&
                   g_ascii_strncasecmp (start, "temp", 4) == 0)
            g_string_append (rw->out, "pg_temp");
          else
            g_string_append_len (rw->out, start, len);

          if (stmt_start && is_tx_control_word (start, len))
            rw->tx_control = TRUE;
        }
      else
        {
          if (*p == '(')
            depth++;
          else if (*p == ')')
            {
              if (ignore_depth >= 0 && depth - 1 < ignore_depth)
                CLOSE_IGNORE ();
              depth = MAX (depth - 1, 0);
            }
          else if (*p == ';')
            {
              if (ignore_depth >= 0)
                CLOSE_IGNORE ();
              depth = 0;
            }
          after_dot = *p == '.';
          g_string_append_c (rw->out, *p);
          p++;
          if (rw->out->str[rw->out->len - 1] == ';')
            {
              stmt_start = TRUE;
              last_token_end = rw->out->len;
              continue;
            }
        }
      stmt_start = FALSE;
      last_token_end = rw->out->len;
    }

  if (ignore_depth >= 0)
    CLOSE_IGNORE ();
#undef CLOSE_IGNORE
}

char *
_omni_db_pg_rewrite_sql (const char *sql,
                         int        *n_params)
{
  Rewrite rw = { g_string_new (NULL), 0, g_byte_array_new (), FALSE };

  g_return_val_if_fail (sql != NULL, NULL);

  rewrite (sql, &rw);
  if (n_params != NULL)
    *n_params = rw.max_param;
  g_byte_array_unref (rw.used);
  return g_string_free (rw.out, FALSE);
}

/* Connections ---------------------------------------------------------- */

static void
notice_processor (void       *data,
                  const char *message)
{
  g_autofree char *line = flatten_message (message);

  (void)data;
  g_debug ("PostgreSQL: %s", line);
}

static char *
password_of (const char *conninfo)
{
  PQconninfoOption *options = _omni_pq.PQconninfoParse (conninfo, NULL);
  char *password = NULL;

  if (options == NULL)
    return NULL;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && o->val[0] != '\0')
      password = g_strdup (o->val);
  _omni_pq.PQconninfoFree (options);
  return password;
}

/* libpq does not print passwords, but a message must never carry one even
 * if a future version or a server echoes it. */
static char *
scrub_password (const char *message,
                const char *password)
{
  g_autofree char *flat = flatten_message (message);
  GString *out;
  const char *p, *hit;

  if (password == NULL || password[0] == '\0')
    return g_steal_pointer (&flat);
  out = g_string_new (NULL);
  for (p = flat; (hit = strstr (p, password)) != NULL; p = hit + strlen (password))
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, "********");
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

static gboolean
setup_session (OmniDbPg  *pg,
               GError   **error)
{
  PGresult *res;
  int rc;

  _omni_pq.PQsetNoticeProcessor (pg->conn, notice_processor, NULL);
  res = _omni_pq.PQexec (pg->conn, SESSION_SETUP);
  rc = check_result (pg, res);
  _omni_pq.PQclear (res);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The PostgreSQL server refused the session settings: %s", pg->errmsg);
      return FALSE;
    }
  return TRUE;
}

OmniDbPg *
_omni_db_pg_open (const char  *conninfo,
                  GError     **error)
{
  g_autofree char *password = NULL;
  char *parse_error = NULL;
  PQconninfoOption *options;
  OmniDbPg *pg;

  g_return_val_if_fail (conninfo != NULL, NULL);

  if (!_omni_pq_load (error))
    return NULL;
  /* Parsed first so a malformed string is refused without echoing any of
   * it: it may hold a password. */
  options = _omni_pq.PQconninfoParse (conninfo, &parse_error);
  if (options == NULL)
    {
      _omni_pq.PQfreemem (parse_error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "The PostgreSQL connection string is not valid: write it as "
                           "postgresql://user@host/database or host=… dbname=…");
      return NULL;
    }
  _omni_pq.PQconninfoFree (options);

  pg = g_new0 (OmniDbPg, 1);
  pg->statement_savepoints = TRUE;
  pg->channels = g_ptr_array_new_with_free_func (g_free);
  pg->statements = g_hash_table_new (NULL, NULL);
  pg->unused_names = g_ptr_array_new_with_free_func (g_free);
  {
    /* A host that drops packets silently would otherwise keep a till
     * "connecting" for the system's TCP timeout (minutes) before it may
     * sell offline. A connect_timeout in @conninfo comes later and wins. */
    static const char * const keywords[] = { "connect_timeout", "dbname", NULL };
    const char *values[] = { CONNECT_TIMEOUT_S, conninfo, NULL };

    pg->conn = _omni_pq.PQconnectdbParams (keywords, values, 1);
  }
  if (pg->conn == NULL || _omni_pq.PQstatus (pg->conn) != CONNECTION_OK)
    {
      g_autofree char *message = NULL;

      password = password_of (conninfo);
      message = scrub_password (pg->conn != NULL ? _omni_pq.PQerrorMessage (pg->conn)
                                                 : "out of memory",
                                password);
      if (pg->conn != NULL && _omni_pq.PQconnectionNeedsPassword (pg->conn))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     "The PostgreSQL server asks for a password: %s", message);
      /* It asked for one, was given one, and did not let us in. */
      else if (pg->conn != NULL && _omni_pq.PQconnectionUsedPassword (pg->conn))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     "The PostgreSQL server refused the password: %s", message);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                     "Could not connect to the PostgreSQL server: %s", message);
      _omni_db_pg_close (pg);
      return NULL;
    }

  if (!setup_session (pg, error))
    {
      _omni_db_pg_close (pg);
      return NULL;
    }
  set_ok (pg);
  return pg;
}

void
_omni_db_pg_close (OmniDbPg *pg)
{
  GHashTableIter iter;
  gpointer stmt;

  if (pg == NULL)
    return;
  /* A statement finalized after its connection (as sqlite3_close_v2()
   * allows) must not reach back into it. */
  g_hash_table_iter_init (&iter, pg->statements);
  while (g_hash_table_iter_next (&iter, &stmt, NULL))
    ((OmniDbPgStmt *)stmt)->pg = NULL;
  g_clear_pointer (&pg->statements, g_hash_table_unref);
  g_clear_pointer (&pg->unused_names, g_ptr_array_unref);
  g_clear_pointer (&pg->conn, _omni_pq.PQfinish);
  g_clear_pointer (&pg->channels, g_ptr_array_unref);
  g_free (pg->errmsg);
  g_free (pg);
}

PGconn *
_omni_db_pg_get_conn (OmniDbPg *pg)
{
  g_return_val_if_fail (pg != NULL, NULL);
  return pg->conn;
}

int
_omni_db_pg_get_socket (OmniDbPg *pg)
{
  g_return_val_if_fail (pg != NULL, -1);
  return _omni_pq.PQsocket (pg->conn);
}

gboolean
_omni_db_pg_is_connected (OmniDbPg *pg)
{
  g_return_val_if_fail (pg != NULL, FALSE);
  return _omni_pq.PQstatus (pg->conn) == CONNECTION_OK;
}

void
_omni_db_pg_set_statement_savepoints (OmniDbPg *pg,
                                      gboolean  enabled)
{
  g_return_if_fail (pg != NULL);
  pg->statement_savepoints = enabled;
}

static gboolean
run_listen (OmniDbPg    *pg,
            const char  *channel,
            GError     **error)
{
  g_autofree char *sql = NULL;
  char *quoted;
  PGresult *res;
  int rc;

  quoted = _omni_pq.PQescapeIdentifier (pg->conn, channel, strlen (channel));
  if (quoted == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot listen for PostgreSQL notifications on “%s”: %s", channel,
                   _omni_pq.PQerrorMessage (pg->conn));
      return FALSE;
    }
  sql = g_strconcat ("LISTEN ", quoted, NULL);
  _omni_pq.PQfreemem (quoted);

  res = _omni_pq.PQexec (pg->conn, sql);
  rc = check_result (pg, res);
  _omni_pq.PQclear (res);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, rc == SQLITE_IOERR ? G_IO_ERROR_CLOSED : G_IO_ERROR_FAILED,
                   "Cannot listen for PostgreSQL notifications on “%s”: %s", channel,
                   pg->errmsg);
      return FALSE;
    }
  return TRUE;
}

gboolean
_omni_db_pg_listen (OmniDbPg    *pg,
                    const char  *channel,
                    GError     **error)
{
  g_return_val_if_fail (pg != NULL, FALSE);
  g_return_val_if_fail (channel != NULL && channel[0] != '\0', FALSE);

  if (!run_listen (pg, channel, error))
    return FALSE;
  for (guint i = 0; i < pg->channels->len; i++)
    if (g_str_equal (g_ptr_array_index (pg->channels, i), channel))
      return TRUE;
  g_ptr_array_add (pg->channels, g_strdup (channel));
  return TRUE;
}

GPtrArray *
_omni_db_pg_take_notifications (OmniDbPg *pg)
{
  GPtrArray *payloads = g_ptr_array_new_with_free_func (g_free);
  PGnotify *notify;

  g_return_val_if_fail (pg != NULL, payloads);

  /* Reads whatever the socket holds without waiting; a failure leaves the
   * connection bad, which the next statement reports. */
  if (_omni_pq.PQconsumeInput (pg->conn) == 0)
    g_debug ("PostgreSQL: %s", _omni_pq.PQerrorMessage (pg->conn));
  while ((notify = _omni_pq.PQnotifies (pg->conn)) != NULL)
    {
      g_ptr_array_add (payloads, g_strdup (notify->extra != NULL ? notify->extra : ""));
      _omni_pq.PQfreemem (notify);
    }
  return payloads;
}

gboolean
_omni_db_pg_reconnect (OmniDbPg  *pg,
                       GError   **error)
{
  g_return_val_if_fail (pg != NULL, FALSE);

  _omni_pq.PQreset (pg->conn);
  /* The server-side statements went with the old session. */
  pg->generation++;
  g_ptr_array_set_size (pg->unused_names, 0);
  if (_omni_pq.PQstatus (pg->conn) != CONNECTION_OK)
    {
      /* PQerrorMessage never holds the password. */
      g_autofree char *message = flatten_message (_omni_pq.PQerrorMessage (pg->conn));

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                   "Could not connect to the PostgreSQL server: %s", message);
      return FALSE;
    }
  if (!setup_session (pg, error))
    return FALSE;
  for (guint i = 0; i < pg->channels->len; i++)
    if (!run_listen (pg, g_ptr_array_index (pg->channels, i), error))
      return FALSE;
  set_ok (pg);
  return TRUE;
}

const char *
_omni_db_pg_errmsg (OmniDbPg *pg)
{
  g_return_val_if_fail (pg != NULL, "");
  return pg->errmsg != NULL ? pg->errmsg : "not an error";
}

int
_omni_db_pg_errcode (OmniDbPg *pg)
{
  g_return_val_if_fail (pg != NULL, SQLITE_MISUSE);
  return pg->errcode;
}

gint64
_omni_db_pg_changes (OmniDbPg *pg)
{
  g_return_val_if_fail (pg != NULL, 0);
  return pg->changes;
}

gboolean
_omni_db_pg_in_transaction (OmniDbPg *pg)
{
  PGTransactionStatusType status;

  g_return_val_if_fail (pg != NULL, FALSE);
  status = _omni_pq.PQtransactionStatus (pg->conn);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static gboolean
wrap_in_savepoint (OmniDbPg *pg,
                   gboolean  tx_control)
{
  return pg->statement_savepoints && !tx_control &&
         _omni_pq.PQtransactionStatus (pg->conn) == PQTRANS_INTRANS;
}

/* Undoes the failed statement only; errors here mean the connection is
 * gone, which the caller already reports. */
static void
rollback_statement (OmniDbPg *pg)
{
  PGresult *res = _omni_pq.PQexec (pg->conn,
                                   "ROLLBACK TO SAVEPOINT omni_stmt; RELEASE SAVEPOINT omni_stmt");

  if (_omni_pq.PQresultStatus (res) != PGRES_COMMAND_OK)
    g_debug ("Could not roll back the failed statement: %s", _omni_pq.PQerrorMessage (pg->conn));
  _omni_pq.PQclear (res);
}

/* Drops the server-side statements of finalized statements. Only between
 * transactions, so a failure can never abort one. */
static void
flush_unused_names (OmniDbPg *pg)
{
  g_autoptr(GString) sql = NULL;
  PGresult *res;

  if (pg->unused_names->len == 0 || _omni_pq.PQtransactionStatus (pg->conn) != PQTRANS_IDLE)
    return;
  sql = g_string_new (NULL);
  for (guint i = 0; i < pg->unused_names->len; i++)
    g_string_append_printf (sql, "DEALLOCATE %s;", (char *)g_ptr_array_index (pg->unused_names, i));
  g_ptr_array_set_size (pg->unused_names, 0);
  res = _omni_pq.PQexec (pg->conn, sql->str);
  if (_omni_pq.PQresultStatus (res) != PGRES_COMMAND_OK)
    g_debug ("Could not drop prepared statements: %s", _omni_pq.PQerrorMessage (pg->conn));
  _omni_pq.PQclear (res);
}

int
_omni_db_pg_exec (OmniDbPg   *pg,
                  const char *sql)
{
  Rewrite rw = { g_string_new (NULL), 0, g_byte_array_new (), FALSE };
  PGresult *res;
  gboolean wrap;
  int rc;

  g_return_val_if_fail (pg != NULL, SQLITE_MISUSE);
  g_return_val_if_fail (sql != NULL, SQLITE_MISUSE);

  flush_unused_names (pg);
  rewrite (sql, &rw);
  g_byte_array_unref (rw.used);
  wrap = wrap_in_savepoint (pg, rw.tx_control);
  /* A round trip of its own: the server parses a multi-statement string
   * whole, so a syntax error would come before a savepoint sent with it. */
  if (wrap)
    {
      res = _omni_pq.PQexec (pg->conn, "SAVEPOINT omni_stmt");
      rc = check_result (pg, res);
      _omni_pq.PQclear (res);
      if (rc != SQLITE_OK)
        {
          g_string_free (rw.out, TRUE);
          return rc;
        }
    }

  res = _omni_pq.PQexec (pg->conn, rw.out->str);
  g_string_free (rw.out, TRUE);
  rc = check_result (pg, res);
  _omni_pq.PQclear (res);

  if (wrap && rc == SQLITE_OK)
    {
      gint64 changes = pg->changes;

      res = _omni_pq.PQexec (pg->conn, "RELEASE SAVEPOINT omni_stmt");
      rc = check_result (pg, res);
      _omni_pq.PQclear (res);
      pg->changes = changes;
    }
  else if (wrap && _omni_pq.PQtransactionStatus (pg->conn) == PQTRANS_INERROR)
    rollback_statement (pg);
  return rc;
}

/* Statements ----------------------------------------------------------- */

int
_omni_db_pg_prepare (OmniDbPg      *pg,
                     const char    *sql,
                     OmniDbPgStmt **out)
{
  Rewrite rw = { g_string_new (NULL), 0, g_byte_array_new (), FALSE };
  OmniDbPgStmt *stmt;

  g_return_val_if_fail (pg != NULL, SQLITE_MISUSE);
  g_return_val_if_fail (sql != NULL, SQLITE_MISUSE);
  g_return_val_if_fail (out != NULL, SQLITE_MISUSE);

  rewrite (sql, &rw);
  stmt = g_new0 (OmniDbPgStmt, 1);
  stmt->pg = pg;
  stmt->sql = g_string_free (rw.out, FALSE);
  stmt->n_params = rw.max_param;
  stmt->tx_control = rw.tx_control;
  stmt->params = g_new0 (PgParam, stmt->n_params + 1);
  stmt->param_used = g_new0 (guint8, stmt->n_params + 1);
  for (int i = 1; i <= stmt->n_params && (guint)i < rw.used->len; i++)
    stmt->param_used[i - 1] = rw.used->data[i];
  g_byte_array_unref (rw.used);
  stmt->prepared_types = g_new0 (Oid, stmt->n_params + 1);
  stmt->row = -1;
  stmt->blob_row = -1;
  g_hash_table_add (pg->statements, stmt);
  set_ok (pg);
  *out = stmt;
  return SQLITE_OK;
}

static void
clear_blobs (OmniDbPgStmt *stmt)
{
  for (int i = 0; stmt->blobs != NULL && i < stmt->n_fields; i++)
    g_clear_pointer (&stmt->blobs[i].data, g_free);
  stmt->blob_row = -1;
}

static void
clear_result (OmniDbPgStmt *stmt)
{
  clear_blobs (stmt);
  g_clear_pointer (&stmt->blobs, g_free);
  g_clear_pointer (&stmt->result, _omni_pq.PQclear);
  stmt->n_rows = 0;
  stmt->n_fields = 0;
  stmt->row = -1;
  stmt->executed = FALSE;
  stmt->finished = FALSE;
}

static PgParam *
param_for_bind (OmniDbPgStmt *stmt,
                int           index)
{
  PgParam *param;

  if (index < 1 || index > stmt->n_params)
    return NULL;
  /* A new value means a new run, as after sqlite3_reset(). */
  clear_result (stmt);
  param = &stmt->params[index - 1];
  g_clear_pointer (&param->value, g_free);
  param->type = 0;
  param->format = 0;
  param->length = 0;
  return param;
}

int
_omni_db_pg_bind_int64 (OmniDbPgStmt *stmt,
                        int           index,
                        gint64        value)
{
  PgParam *param = param_for_bind (stmt, index);

  if (param == NULL)
    return SQLITE_RANGE;
  param->type = OID_INT8;
  param->value = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  return SQLITE_OK;
}

int
_omni_db_pg_bind_double (OmniDbPgStmt *stmt,
                         int           index,
                         double        value)
{
  PgParam *param = param_for_bind (stmt, index);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (param == NULL)
    return SQLITE_RANGE;
  param->type = OID_FLOAT8;
  if (isnan (value))
    param->value = g_strdup ("NaN");
  else if (isinf (value))
    param->value = g_strdup (value > 0 ? "Infinity" : "-Infinity");
  else
    param->value = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
  return SQLITE_OK;
}

int
_omni_db_pg_bind_text (OmniDbPgStmt *stmt,
                       int           index,
                       const char   *value,
                       int           length)
{
  PgParam *param = param_for_bind (stmt, index);

  if (param == NULL)
    return SQLITE_RANGE;
  /* Type 0: the server infers it from where the parameter appears. */
  if (value != NULL)
    param->value = length < 0 ? g_strdup (value) : g_strndup (value, length);
  return SQLITE_OK;
}

int
_omni_db_pg_bind_blob (OmniDbPgStmt *stmt,
                       int           index,
                       const void   *value,
                       int           length)
{
  PgParam *param = param_for_bind (stmt, index);

  if (param == NULL)
    return SQLITE_RANGE;
  if (value == NULL || length < 0)
    return SQLITE_OK;
  param->type = OID_BYTEA;
  param->format = 1;
  param->length = length;
  param->value = g_malloc (length + 1);
  memcpy (param->value, value, length);
  return SQLITE_OK;
}

int
_omni_db_pg_bind_null (OmniDbPgStmt *stmt,
                       int           index)
{
  return param_for_bind (stmt, index) != NULL ? SQLITE_OK : SQLITE_RANGE;
}

int
_omni_db_pg_bind_parameter_count (OmniDbPgStmt *stmt)
{
  return stmt->n_params;
}

int
_omni_db_pg_clear_bindings (OmniDbPgStmt *stmt)
{
  for (int i = 1; i <= stmt->n_params; i++)
    param_for_bind (stmt, i);
  return SQLITE_OK;
}

/* The server-side statement is no longer wanted: dropped between
 * transactions (flush_unused_names). */
static void
forget_prepared (OmniDbPgStmt *stmt)
{
  if (stmt->prepared && stmt->prepared_generation == stmt->pg->generation)
    g_ptr_array_add (stmt->pg->unused_names, g_strdup (stmt->name));
  stmt->prepared = FALSE;
}

/* Whether the server-side statement takes these values: NULL fits any
 * parameter type. */
static gboolean
prepared_types_match (OmniDbPgStmt *stmt,
                      const Oid    *types)
{
  for (int i = 0; i < stmt->n_params; i++)
    if (stmt->params[i].value != NULL && types[i] != stmt->prepared_types[i])
      return FALSE;
  return TRUE;
}

/* What a run sends: the statement as text (PQexecParams), or by the name
 * of a server-side statement, prepared first when @prepare. */
typedef struct
{
  const char        *sql;
  const char        *name;       /* NULL: unnamed, from sql */
  gboolean           prepare;
  gboolean           prepared;   /* out: the prepare succeeded */
  int                n_params;
  const Oid         *types;
  const char *const *values;
  const int         *lengths;
  const int         *formats;
} PgRun;

static gboolean
send_run (PGconn *conn,
          PgRun  *run)
{
  if (run->prepare &&
      _omni_pq.PQsendPrepare (conn, run->name, run->sql, run->n_params, run->types) != 1)
    return FALSE;
  if (run->name != NULL)
    return _omni_pq.PQsendQueryPrepared (conn, run->name, run->n_params, run->values, run->lengths,
                                run->formats, 0) == 1;
  return _omni_pq.PQsendQueryParams (conn, run->sql, run->n_params, run->types, run->values,
                            run->lengths, run->formats, 0) == 1;
}

static gboolean
result_ok (PGresult *res)
{
  return res != NULL && (_omni_pq.PQresultStatus (res) == PGRES_COMMAND_OK ||
                         _omni_pq.PQresultStatus (res) == PGRES_TUPLES_OK);
}

/* Outside a transaction: one round trip, two for the first prepared run. */
static PGresult *
exec_plain (OmniDbPg *pg,
            PgRun    *run)
{
  if (run->name == NULL)
    return _omni_pq.PQexecParams (pg->conn, run->sql, run->n_params, run->types, run->values,
                         run->lengths, run->formats, 0);
  if (run->prepare)
    {
      PGresult *res = _omni_pq.PQprepare (pg->conn, run->name, run->sql, run->n_params, run->types);

      if (!result_ok (res))
        return res;
      _omni_pq.PQclear (res);
      run->prepared = TRUE;
    }
  return _omni_pq.PQexecPrepared (pg->conn, run->name, run->n_params, run->values, run->lengths,
                         run->formats, 0);
}

/* Runs SAVEPOINT, the statement and RELEASE as one pipeline (one round
 * trip); after a failure, rolls back to the savepoint. Returns the
 * statement's own result, or the first error. */
static PGresult *
exec_in_savepoint (OmniDbPg *pg,
                   PgRun    *run)
{
  PGconn *conn = pg->conn;
  PGresult *results[4] = { NULL, NULL, NULL, NULL };
  guint n_queries = run->prepare ? 4 : 3;
  guint prepare_at = 1;
  guint exec_at = run->prepare ? 2 : 1;
  PGresult *answer = NULL;
  gboolean failed = FALSE;
  guint index = 0;

  if (_omni_pq.PQenterPipelineMode (conn) != 1)
    return exec_plain (pg, run);

  if (_omni_pq.PQsendQueryParams (conn, "SAVEPOINT omni_stmt",
                                  0, NULL, NULL, NULL, NULL, 0) == 1 &&
      send_run (conn, run) &&
      _omni_pq.PQsendQueryParams (conn, "RELEASE SAVEPOINT omni_stmt",
                                  0, NULL, NULL, NULL, NULL, 0) == 1)
    _omni_pq.PQpipelineSync (conn);

  /* Each query's results end with a NULL; the sync point ends the
   * pipeline. A dead connection only returns NULLs: stop after a few. */
  for (guint guard = 0; guard < 32; guard++)
    {
      PGresult *res = _omni_pq.PQgetResult (conn);

      if (res == NULL)
        {
          if (++index > n_queries)
            break;
          continue;
        }
      if (_omni_pq.PQresultStatus (res) == PGRES_PIPELINE_SYNC)
        {
          _omni_pq.PQclear (res);
          break;
        }
      if (index < n_queries && results[index] == NULL)
        results[index] = res;
      else
        _omni_pq.PQclear (res);
    }
  if (_omni_pq.PQexitPipelineMode (conn) != 1)
    g_debug ("Could not leave pipeline mode: %s", _omni_pq.PQerrorMessage (conn));

  if (run->prepare && result_ok (results[prepare_at]))
    run->prepared = TRUE;

  /* The first step that failed is the answer (NULL: the connection is
   * gone). */
  for (guint i = 0; i < n_queries && !failed; i++)
    if (!result_ok (results[i]))
      {
        failed = TRUE;
        answer = g_steal_pointer (&results[i]);
      }
  if (failed && _omni_pq.PQtransactionStatus (conn) == PQTRANS_INERROR)
    rollback_statement (pg);
  if (!failed)
    answer = g_steal_pointer (&results[exec_at]);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_clear_pointer (&results[i], _omni_pq.PQclear);
  return answer;
}

/* How often a statement may be prepared again for other parameter types
 * before it stays unprepared (a statement that binds NULL and numbers in
 * turn would otherwise be prepared on every run). */
#define MAX_REPREPARES 3

static int
stmt_execute (OmniDbPgStmt *stmt)
{
  OmniDbPg *pg = stmt->pg;
  g_autofree Oid *types = g_new0 (Oid, stmt->n_params + 1);
  g_autofree const char **values = g_new0 (const char *, stmt->n_params + 1);
  g_autofree int *lengths = g_new0 (int, stmt->n_params + 1);
  g_autofree int *formats = g_new0 (int, stmt->n_params + 1);
  PgRun run = { 0 };
  PGresult *res;
  gboolean by_name;
  int rc;

  clear_result (stmt);
  flush_unused_names (pg);
  for (int i = 0; i < stmt->n_params; i++)
    {
      /* A number SQLite allows to be skipped (?1 and ?3 only) still needs a
       * type on PostgreSQL. */
      types[i] = stmt->param_used[i] || stmt->params[i].type != 0 ? stmt->params[i].type
                                                                  : OID_TEXT;
      values[i] = stmt->params[i].value;
      lengths[i] = stmt->params[i].length;
      formats[i] = stmt->params[i].format;
    }

  if (stmt->prepared && (stmt->prepared_generation != pg->generation ||
                         !prepared_types_match (stmt, types)))
    {
      forget_prepared (stmt);
      stmt->n_reprepares++;
    }
  by_name = !stmt->tx_control && stmt->n_runs > 0 && stmt->n_reprepares <= MAX_REPREPARES;
  if (by_name && !stmt->prepared)
    g_snprintf (stmt->name, sizeof stmt->name, "omni_s%u", ++pg->next_name);

  run = (PgRun) {
    .sql = stmt->sql,
    .name = by_name ? stmt->name : NULL,
    .prepare = by_name && !stmt->prepared,
    .n_params = stmt->n_params,
    .types = types,
    .values = values,
    .lengths = lengths,
    .formats = formats,
  };
  if (wrap_in_savepoint (pg, stmt->tx_control))
    res = exec_in_savepoint (pg, &run);
  else
    res = exec_plain (pg, &run);

  if (run.prepared)
    {
      stmt->prepared = TRUE;
      stmt->prepared_generation = pg->generation;
      memcpy (stmt->prepared_types, types, sizeof (Oid) * stmt->n_params);
    }
  stmt->n_runs++;
  stmt->executed = TRUE;

  /* The server lost the statement (DEALLOCATE ALL, DISCARD) or its plan no
   * longer fits the tables (0A000 after ALTER TABLE): the run failed and was
   * undone, so run it once more from its text. */
  if (by_name && !run.prepare && res != NULL && !result_ok (res))
    {
      const char *state = _omni_pq.PQresultErrorField (res, PG_DIAG_SQLSTATE);

      if (state != NULL && (strcmp (state, "26000") == 0 || strcmp (state, "0A000") == 0) &&
          _omni_pq.PQtransactionStatus (pg->conn) != PQTRANS_INERROR)
        {
          /* after 0A000 the old statement is still there: drop it */
          if (strcmp (state, "0A000") == 0)
            forget_prepared (stmt);
          _omni_pq.PQclear (res);
          stmt->prepared = FALSE;
          stmt->n_reprepares++;
          run.name = NULL;
          run.prepare = FALSE;
          if (wrap_in_savepoint (pg, stmt->tx_control))
            res = exec_in_savepoint (pg, &run);
          else
            res = exec_plain (pg, &run);
        }
    }

  rc = check_result (pg, res);
  if (rc != SQLITE_OK)
    {
      _omni_pq.PQclear (res);
      return rc;
    }
  stmt->result = res;
  stmt->n_rows = _omni_pq.PQntuples (res);
  stmt->n_fields = _omni_pq.PQnfields (res);
  stmt->blobs = g_new0 (PgBlob, stmt->n_fields + 1);
  return SQLITE_OK;
}

int
_omni_db_pg_step (OmniDbPgStmt *stmt)
{
  int rc;

  /* After DONE or an error, SQLite resets and runs the statement again. */
  if (stmt->finished)
    clear_result (stmt);

  if (!stmt->executed)
    {
      rc = stmt_execute (stmt);
      if (rc != SQLITE_OK)
        {
          stmt->finished = TRUE;
          stmt->last_rc = rc;
          return rc;
        }
    }

  stmt->last_rc = SQLITE_OK;
  if (stmt->row < stmt->n_rows)
    stmt->row++;
  if (stmt->row < stmt->n_rows)
    return SQLITE_ROW;
  stmt->finished = TRUE;
  return SQLITE_DONE;
}

int
_omni_db_pg_reset (OmniDbPgStmt *stmt)
{
  int rc = stmt->last_rc;

  clear_result (stmt);
  stmt->last_rc = SQLITE_OK;
  return rc;
}

void
_omni_db_pg_finalize (OmniDbPgStmt *stmt)
{
  if (stmt == NULL)
    return;
  clear_result (stmt);
  if (stmt->pg != NULL)
    {
      forget_prepared (stmt);
      g_hash_table_remove (stmt->pg->statements, stmt);
    }
  for (int i = 0; i < stmt->n_params; i++)
    g_free (stmt->params[i].value);
  g_free (stmt->params);
  g_free (stmt->prepared_types);
  g_free (stmt->param_used);
  g_free (stmt->sql);
  g_free (stmt);
}

/* Columns -------------------------------------------------------------- */

static gboolean
has_value (OmniDbPgStmt *stmt,
           int           column)
{
  return stmt->result != NULL && stmt->row >= 0 && stmt->row < stmt->n_rows &&
         column >= 0 && column < stmt->n_fields &&
         !_omni_pq.PQgetisnull (stmt->result, stmt->row, column);
}

static const PgBlob *
column_bytea (OmniDbPgStmt *stmt,
              int           column)
{
  PgBlob *blob;

  if (stmt->blob_row != stmt->row)
    {
      clear_blobs (stmt);
      stmt->blob_row = stmt->row;
    }
  blob = &stmt->blobs[column];
  if (blob->data == NULL)
    {
      const char *escaped = _omni_pq.PQgetvalue (stmt->result, stmt->row, column);
      size_t length = 0;
      guchar *raw = _omni_pq.PQunescapeBytea ((const guchar *)escaped, &length);

      if (raw == NULL)
        g_error ("Out of memory reading a PostgreSQL bytea value");
      blob->data = g_malloc (length + 1);
      memcpy (blob->data, raw, length);
      blob->data[length] = '\0';
      blob->length = length;
      _omni_pq.PQfreemem (raw);
    }
  return blob;
}

static gint64
double_to_int64 (double value)
{
  if (isnan (value))
    return 0;
  if (value >= 9223372036854775807.0)
    return G_MAXINT64;
  if (value <= -9223372036854775808.0)
    return G_MININT64;
  return (gint64)value;
}

int
_omni_db_pg_column_count (OmniDbPgStmt *stmt)
{
  return stmt->result != NULL ? stmt->n_fields : 0;
}

const char *
_omni_db_pg_column_name (OmniDbPgStmt *stmt,
                         int           column)
{
  if (stmt->result == NULL || column < 0 || column >= stmt->n_fields)
    return NULL;
  return _omni_pq.PQfname (stmt->result, column);
}

int
_omni_db_pg_column_type (OmniDbPgStmt *stmt,
                         int           column)
{
  const char *text;

  if (!has_value (stmt, column))
    return SQLITE_NULL;
  switch (_omni_pq.PQftype (stmt->result, column))
    {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
      return SQLITE_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8:
      return SQLITE_FLOAT;
    case OID_NUMERIC:
      text = _omni_pq.PQgetvalue (stmt->result, stmt->row, column);
      return strpbrk (text, ".eEaI") == NULL ? SQLITE_INTEGER : SQLITE_FLOAT;
    case OID_BYTEA:
      return SQLITE_BLOB;
    default:
      return SQLITE_TEXT;
    }
}

gint64
_omni_db_pg_column_int64 (OmniDbPgStmt *stmt,
                          int           column)
{
  const char *text;
  char *end = NULL;
  gint64 value;

  if (!has_value (stmt, column))
    return 0;
  text = _omni_pq.PQgetvalue (stmt->result, stmt->row, column);
  if (_omni_pq.PQftype (stmt->result, column) == OID_BOOL)
    return text[0] == 't';
  if (_omni_pq.PQftype (stmt->result, column) == OID_BYTEA)
    text = (const char *)column_bytea (stmt, column)->data;

  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (errno == 0 && end != text && *end == '\0')
    return value;
  /* 12.7, 1e3, out of range, "12 apples": as SQLite, through a double. */
  return double_to_int64 (g_ascii_strtod (text, NULL));
}

double
_omni_db_pg_column_double (OmniDbPgStmt *stmt,
                           int           column)
{
  const char *text;

  if (!has_value (stmt, column))
    return 0.0;
  text = _omni_pq.PQgetvalue (stmt->result, stmt->row, column);
  if (_omni_pq.PQftype (stmt->result, column) == OID_BOOL)
    return text[0] == 't' ? 1.0 : 0.0;
  if (_omni_pq.PQftype (stmt->result, column) == OID_BYTEA)
    text = (const char *)column_bytea (stmt, column)->data;
  return g_ascii_strtod (text, NULL);
}

const unsigned char *
_omni_db_pg_column_text (OmniDbPgStmt *stmt,
                         int           column)
{
  const char *text;

  if (!has_value (stmt, column))
    return NULL;
  text = _omni_pq.PQgetvalue (stmt->result, stmt->row, column);
  switch (_omni_pq.PQftype (stmt->result, column))
    {
    case OID_BOOL:
      /* Flags read as SQLite writes them. */
      return (const unsigned char *)(text[0] == 't' ? "1" : "0");
    case OID_BYTEA:
      return column_bytea (stmt, column)->data;
    default:
      return (const unsigned char *)text;
    }
}

const void *
_omni_db_pg_column_blob (OmniDbPgStmt *stmt,
                         int           column)
{
  if (!has_value (stmt, column))
    return NULL;
  if (_omni_pq.PQftype (stmt->result, column) == OID_BYTEA)
    {
      const PgBlob *blob = column_bytea (stmt, column);

      return blob->length > 0 ? blob->data : NULL;
    }
  if (_omni_db_pg_column_bytes (stmt, column) == 0)
    return NULL;
  return _omni_db_pg_column_text (stmt, column);
}

int
_omni_db_pg_column_bytes (OmniDbPgStmt *stmt,
                          int           column)
{
  if (!has_value (stmt, column))
    return 0;
  switch (_omni_pq.PQftype (stmt->result, column))
    {
    case OID_BOOL:
      return 1;
    case OID_BYTEA:
      return (int)column_bytea (stmt, column)->length;
    default:
      return _omni_pq.PQgetlength (stmt->result, stmt->row, column);
    }
}
