/* omni-store-copy.c: moving a whole store between SQLite and PostgreSQL
 *
 * A shop that outgrows one computer copies its SQLite store into an empty
 * PostgreSQL database (`omnistock-cli migrate-to postgresql://…`), and can
 * copy it back into a new file. The copy is one transaction on the target:
 *
 * 1. the target must hold no catalog, stock or history (only the rows its
 *    schema seeds, which are replaced);
 * 2. every table both sides have is copied row by row, in the order the
 *    SQLite schema created them (so a row's foreign keys already exist),
 *    with the target's own triggers off: levels, outbox, aggregates and
 *    alerts are copied as they are, not recomputed from the movements;
 * 3. PostgreSQL's identity counters move past the copied ids;
 * 4. before committing, every table's row count is compared with the
 *    source and the ledger invariant is checked on the target; any
 *    difference rolls everything back.
 *
 * Table and column names come from the two schemas' catalogs, never from
 * input, and are quoted as identifiers; every value is a bound parameter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include "omni-store-copy.h"
#include "omni-store-private.h"

/* SQLite's own tables and FTS5's shadow tables are not data; the search
 * index is keyed differently on the two sides and copied by copy_search(),
 * and SQLite's index of runs of digits is made from it. */
static gboolean
is_copied_table (const char *name)
{
  if (g_str_has_prefix (name, "sqlite_"))
    return FALSE;
  if (g_str_has_prefix (name, "search_index") || g_str_has_prefix (name, "search_digits") ||
      g_str_equal (name, "search_ranks"))
    return FALSE;
  return TRUE;
}

/* The tables of the SQLite side, in the order its schema created them. */
static GPtrArray *
list_tables (OmniStore  *lite,
             GError    **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  OmniDbStmt *stmt = _omni_store_prepare (lite,
                                          "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                          " ORDER BY rowid", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *)omni_db_column_text (stmt, 0);

      if (is_copied_table (name))
        g_ptr_array_add (tables, g_strdup (name));
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (lite, error, rc, "Could not list the tables");
      return NULL;
    }
  return g_steal_pointer (&tables);
}

/* The columns a row is written with: the store's own, not generated ones. */
static GPtrArray *
list_columns (OmniStore   *store,
              const char  *table,
              GError     **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  OmniDbStmt *stmt;
  int rc;

  if (_omni_store_is_postgresql (store))
    stmt = _omni_store_prepare (store,
                                "SELECT column_name FROM information_schema.columns"
                                " WHERE table_schema = current_schema() AND table_name = ?1"
                                " AND is_generated = 'NEVER' ORDER BY ordinal_position", error);
  else
    stmt = _omni_store_prepare (store, "SELECT name FROM pragma_table_xinfo (?1)"
                                       " WHERE hidden = 0 ORDER BY cid", error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (columns, g_strdup ((const char *)omni_db_column_text (stmt, 0)));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (store, error, rc, "Could not list the columns");
      return NULL;
    }
  return g_steal_pointer (&columns);
}

static void
append_identifier (GString    *sql,
                   const char *name)
{
  g_string_append_c (sql, '"');
  for (const char *c = name; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (sql, '"');
      g_string_append_c (sql, *c);
    }
  g_string_append_c (sql, '"');
}

static gint64
count_rows (OmniStore   *store,
            const char  *table,
            GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM ");
  OmniDbStmt *stmt;
  gint64 n = -1;
  int rc;

  append_identifier (sql, table);
  stmt = _omni_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return -1;
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    n = omni_db_column_int64 (stmt, 0);
  else
    _omni_store_set_error (store, error, rc, "Could not count the rows");
  omni_db_reset (stmt);
  return n;
}

/* Whether @table has as many rows on @target as on @source; if not, says
 * so in @error, naming @what and counting in @unit. */
static gboolean
same_count (OmniStore   *source,
            OmniStore   *target,
            const char  *table,
            const char  *what,
            const char  *unit,
            GError     **error)
{
  gint64 a = count_rows (source, table, error);
  gint64 b = a < 0 ? -1 : count_rows (target, table, error);

  if (a < 0 || b < 0)
    return FALSE;
  if (a != b)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_FAILED,
                   "The copy of the %s has %" G_GINT64_FORMAT " %s instead of %"
                   G_GINT64_FORMAT "; nothing was kept", what, b, unit, a);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec_sql (OmniStore   *store,
          GString     *sql,
          GError     **error)
{
  return _omni_store_exec (store, sql->str, error);
}

/* The target holds nothing a merchant entered. */
static gboolean
check_target_empty (OmniStore   *target,
                    GError     **error)
{
  static const char * const tables[] = { "products", "variants", "locations", "movements",
                                         "orders", "channels", "suppliers" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      gint64 n = count_rows (target, tables[i], error);

      if (n < 0)
        return FALSE;
      if (n > 0)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "“%s” is not empty (its %s table has %" G_GINT64_FORMAT " rows); "
                       "copy into a new, empty database. Nothing was changed",
                       omni_store_get_path (target), tables[i], n);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
set_triggers (OmniStore  *target,
              GPtrArray  *tables,
              gboolean    enabled,
              GError    **error)
{
  if (!_omni_store_is_postgresql (target))
    return _omni_store_set_triggers_enabled (target, enabled, error);

  for (guint i = 0; i < tables->len; i++)
    {
      g_autoptr(GString) sql = g_string_new ("ALTER TABLE ");

      append_identifier (sql, tables->pdata[i]);
      g_string_append (sql, enabled ? " ENABLE TRIGGER USER" : " DISABLE TRIGGER USER");
      if (!exec_sql (target, sql, error))
        return FALSE;
    }
  return TRUE;
}

/* Copies the rows @select reads from @source into @target through
 * @insert, whose parameters are @select's columns in order. */
static gboolean
copy_rows (OmniStore     *source,
           OmniStore     *target,
           const char    *what,
           const char    *select,
           const char    *insert,
           gint64        *n_rows,
           GCancellable  *cancellable,
           GError       **error)
{
  OmniDbStmt *read, *write;
  int n_columns;
  int rc;

  /* The reading statement is not cached: it is used once. */
  if ((rc = omni_db_prepare (_omni_store_get_db (source), select, &read)) != SQLITE_OK)
    {
      _omni_store_set_error (source, error, rc, "Could not read the source");
      return FALSE;
    }
  write = _omni_store_prepare (target, insert, error);
  if (write == NULL)
    {
      omni_db_finalize (read);
      return FALSE;
    }

  while ((rc = omni_db_step (read)) == SQLITE_ROW)
    {
      n_columns = omni_db_column_count (read);
      for (int i = 0; i < n_columns; i++)
        {
          int index = i + 1;

          switch (omni_db_column_type (read, i))
            {
            case SQLITE_NULL:
              omni_db_bind_null (write, index);
              break;
            case SQLITE_INTEGER:
              omni_db_bind_int64 (write, index, omni_db_column_int64 (read, i));
              break;
            case SQLITE_FLOAT:
              omni_db_bind_double (write, index, omni_db_column_double (read, i));
              break;
            case SQLITE_BLOB:
              omni_db_bind_blob (write, index, omni_db_column_blob (read, i),
                                 omni_db_column_bytes (read, i), SQLITE_TRANSIENT);
              break;
            default:
              omni_db_bind_text (write, index, (const char *)omni_db_column_text (read, i),
                                 -1, SQLITE_TRANSIENT);
              break;
            }
        }
      if (!_omni_store_step_done (target, write, error))
        {
          g_prefix_error (error, "Copying the %s: ", what);
          omni_db_finalize (read);
          return FALSE;
        }
      (*n_rows)++;
      if ((*n_rows & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          omni_db_finalize (read);
          return FALSE;
        }
    }
  omni_db_finalize (read);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (source, error, rc, "Could not read the source");
      return FALSE;
    }
  return TRUE;
}

static gboolean
copy_table (OmniStore   *source,
            OmniStore   *target,
            const char  *table,
            GPtrArray   *columns,
            gint64      *n_rows,
            GCancellable *cancellable,
            GError     **error)
{
  g_autoptr(GString) select = g_string_new ("SELECT ");
  g_autoptr(GString) insert = g_string_new ("INSERT INTO ");
  g_autofree char *what = g_strdup_printf ("%s table", table);

  append_identifier (insert, table);
  g_string_append (insert, " (");
  for (guint i = 0; i < columns->len; i++)
    {
      if (i > 0)
        {
          g_string_append (select, ", ");
          g_string_append (insert, ", ");
        }
      append_identifier (select, columns->pdata[i]);
      append_identifier (insert, columns->pdata[i]);
    }
  g_string_append (select, " FROM ");
  append_identifier (select, table);
  g_string_append (select, " ORDER BY 1");
  g_string_append (insert, ") VALUES (");
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (insert, "%s?%u", i > 0 ? ", " : "", i + 1);
  g_string_append_c (insert, ')');

  return copy_rows (source, target, what, select->str, insert->str, n_rows, cancellable, error);
}

/* The search index's entries, by variant id on both sides: on SQLite its
 * rowid is a rank in title order (omni-store-search.c), so a SQLite
 * target ranks the copied variants first. */
static gboolean
copy_search (OmniStore     *source,
             OmniStore     *target,
             gint64        *n_rows,
             GCancellable  *cancellable,
             GError       **error)
{
  const char *select, *insert;

  if (_omni_store_is_postgresql (source))
    select = "SELECT rowid, title, sku, barcode, vendor, tags FROM search_index ORDER BY 1";
  else
    select = "SELECT r.variant_id, s.title, s.sku, s.barcode, s.vendor, s.tags"
             " FROM search_index s JOIN search_ranks r ON r.rank = s.rowid ORDER BY 1";

  if (_omni_store_is_postgresql (target))
    insert = "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  else
    {
      g_autofree char *rank = _omni_store_search_rank_sql (NULL);

      if (!_omni_store_exec (target, rank, error))
        return FALSE;
      insert = "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
               " VALUES ((SELECT rank FROM search_ranks WHERE variant_id = ?1),"
               " ?2, ?3, ?4, ?5, ?6)";
    }
  return copy_rows (source, target, "search index", select, insert, n_rows, cancellable, error) &&
         _omni_store_search_rebuild_digits (target, error) &&
         _omni_store_search_optimize (target, error);
}

/**
 * omni_store_copy_into:
 * @source: the store copied from (SQLite or PostgreSQL)
 * @target: an empty store of the other kind (or the same kind)
 *
 * Copies every row of @source into @target in one transaction, then checks
 * row counts and the ledger on @target before committing. On any failure,
 * a cancel included, @target is left as it was.
 */
gboolean
omni_store_copy_into (OmniStore             *source,
                      OmniStore             *target,
                      OmniStoreCopyResult   *result,
                      OmniStoreCopyProgress  progress,
                      gpointer               user_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  OmniStore *lite;
  gint64 n_rows = 0;

  g_return_val_if_fail (OMNI_IS_STORE (source), FALSE);
  g_return_val_if_fail (OMNI_IS_STORE (target), FALSE);

  if (omni_store_get_schema_version (source) != omni_store_get_schema_version (target))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The two databases have different schemas (%d and %d)",
                   omni_store_get_schema_version (source), omni_store_get_schema_version (target));
      return FALSE;
    }
  lite = !_omni_store_is_postgresql (source) ? source : target;
  if (_omni_store_is_postgresql (lite))
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "One of the two databases must be a SQLite file");
      return FALSE;
    }
  tables = list_tables (lite, error);
  if (tables == NULL)
    return FALSE;

  if (!omni_store_begin (target, error))
    return FALSE;
  if (!check_target_empty (target, error) || !set_triggers (target, tables, FALSE, error))
    goto fail;

  /* The schema's seeded rows (settings, reasons, kept totals) make way for
   * the source's, children first. */
  for (guint i = tables->len; i > 0; i--)
    {
      g_autoptr(GString) sql = g_string_new ("DELETE FROM ");

      append_identifier (sql, tables->pdata[i - 1]);
      if (!exec_sql (target, sql, error))
        goto fail;
    }

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = tables->pdata[i];
      g_autoptr(GPtrArray) columns = list_columns (target, table, error);

      if (columns == NULL || !copy_table (source, target, table, columns, &n_rows,
                                          cancellable, error))
        goto fail;
      if (progress != NULL)
        progress (i + 1, tables->len + 1, n_rows, user_data);
    }
  if (!copy_search (source, target, &n_rows, cancellable, error))
    goto fail;
  if (progress != NULL)
    progress (tables->len + 1, tables->len + 1, n_rows, user_data);

  /* New rows after the copy get ids past the copied ones (a function of
   * the PostgreSQL schema). */
  if (_omni_store_is_postgresql (target) &&
      !_omni_store_exec (target, "SELECT omni_reset_identities ()", error))
    goto fail;
  if (!set_triggers (target, tables, TRUE, error))
    goto fail;

  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *what = g_strdup_printf ("%s table", (const char *)tables->pdata[i]);

      if (!same_count (source, target, tables->pdata[i], what, "rows", error))
        goto fail;
    }
  if (!same_count (source, target, "search_index", "search index", "entries", error))
    goto fail;

  mismatches = omni_store_check_ledger (target, error);
  if (mismatches == NULL)
    goto fail;
  if (mismatches->len > 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_FAILED,
                   "After the copy, %u stock levels disagree with their movements; "
                   "nothing was kept", mismatches->len);
      goto fail;
    }

  if (!omni_store_commit (target, error))
    return FALSE;
  /* The planner's statistics of the new rows, now rather than when
   * autovacuum gets round to it: until then searches and lists on the copy
   * take plans made for empty tables. Only a hint: the copy stands either
   * way. */
  if (_omni_store_is_postgresql (target))
    {
      g_autoptr(GError) analyze_error = NULL;

      if (!_omni_store_exec (target, "ANALYZE", &analyze_error))
        g_debug ("Could not analyse the copy: %s", analyze_error->message);
    }
  if (result != NULL)
    {
      result->n_tables = tables->len;
      result->n_rows = n_rows;
    }
  return TRUE;

fail:
  omni_store_rollback (target);
  return FALSE;
}
