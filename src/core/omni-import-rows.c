/* omni-import-rows.c: what each layout's rows write
 *
 * Shopify product rows and generic rows share one path (a group of rows per
 * product, one variant per row); Shopify inventory rows only set stock;
 * WooCommerce rows are products, variable parents or their variations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-import"

#include "config.h"

#include <string.h>

#include "omni-import-private.h"
#include "omni-store-private.h"
#include "omni-text.h"

typedef struct
{
  char   *sku;
  char   *barcode;
  char   *options[3];
  gint64  price;
  gint64  compare_at;
  gint64  cost;
  gint64  grams;
  gint64  quantity;
  char   *location;
} VariantIn;

static const ImportField option_fields[3] = { F_OPT1, F_OPT2, F_OPT3 };
static const ImportField option_name_fields[3] = { F_OPT1_NAME, F_OPT2_NAME, F_OPT3_NAME };

static void
variant_in_clear (VariantIn *v)
{
  g_free (v->sku);
  g_free (v->barcode);
  for (guint i = 0; i < 3; i++)
    g_free (v->options[i]);
  g_free (v->location);
}

void
_omni_import_product_clear (ImportProduct *product)
{
  g_free (product->handle);
  g_free (product->title);
  for (guint i = 0; i < 3; i++)
    {
      g_free (product->option_names[i]);
      g_free (product->attr_names[i]);
    }
  g_clear_pointer (&product->option_keys, g_hash_table_unref);
  memset (product, 0, sizeof *product);
}

static void
product_free (gpointer data)
{
  _omni_import_product_clear (data);
  g_free (data);
}

/* Database helpers ----------------------------------------------------- */

static OmniDbStmt *
prepare (ImportRun  *im,
         const char *sql)
{
  OmniDbStmt *stmt;

  if (im->db_error != NULL)
    return NULL;
  /* Each statement is a string literal of this file: keyed by its address,
   * the lookup costs no hashing of the SQL text on every row. */
  stmt = g_hash_table_lookup (im->statements, sql);
  if (stmt != NULL)
    {
      omni_db_reset (stmt);
      omni_db_clear_bindings (stmt);
      return stmt;
    }
  stmt = _omni_store_prepare (im->store, sql, &im->db_error);
  if (stmt != NULL)
    g_hash_table_insert (im->statements, (gpointer)sql, stmt);
  return stmt;
}

/* The INSERTs run once per row of the file, and SQLite gives any statement
 * with a RETURNING clause a statement journal: every page the row touches
 * copied aside first, to a file once the import has outgrown 64 KiB of it,
 * which took a fifth of an import's time. On SQLite they are plain INSERTs
 * and the id comes from last_insert_rowid(); PostgreSQL needs RETURNING. */
#define INSERT_RETURNING_ID(im, sql) \
  (_omni_store_is_postgresql ((im)->store) ? sql " RETURNING id" : sql)

/* Steps a write. A constraint failure becomes a problem of the row (with
 * @what as its sentence when given); anything else stops the import. For an
 * INSERT_RETURNING_ID() statement, @id (nullable) receives the new row's id
 * (0 when it inserted none). */
static gboolean
step_write_id (ImportRun    *im,
               OmniDbStmt   *stmt,
               ImportField   field,
               const char   *what,
               gint64       *id)
{
  OmniDb *db = _omni_store_get_db (im->store);
  int rc = omni_db_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      if (id != NULL && rc == SQLITE_ROW)
        *id = omni_db_column_int64 (stmt, 0);
      else if (id != NULL)
        *id = !_omni_store_is_postgresql (im->store) && omni_db_changes (db) > 0
                ? omni_db_last_insert_rowid (db) : 0;
      omni_db_reset (stmt);
      return TRUE;
    }
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "%s", what ? what : omni_db_errmsg (db));
      omni_db_reset (stmt);
      return FALSE;
    }
  _omni_store_set_error (im->store, &im->db_error, omni_db_extended_errcode (db),
                         "Could not write the import");
  omni_db_reset (stmt);
  return FALSE;
}

static gboolean
step_write (ImportRun    *im,
            OmniDbStmt   *stmt,
            ImportField   field,
            const char   *what)
{
  return step_write_id (im, stmt, field, what, NULL);
}

static gint64
query_int (ImportRun    *im,
           OmniDbStmt *stmt,
           gint64        missing)
{
  gint64 value = missing;
  int rc = omni_db_step (stmt);

  if (rc == SQLITE_ROW)
    value = omni_db_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    _omni_store_set_error (im->store, &im->db_error, rc, "Could not read the store");
  omni_db_reset (stmt);
  return value;
}

static void
bind_text (OmniDbStmt *stmt,
           int           index,
           const char   *value)
{
  if (value == NULL)
    omni_db_bind_null (stmt, index);
  else
    omni_db_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_int (OmniDbStmt *stmt,
          int           index,
          gint64        value)
{
  if (value < 0)
    omni_db_bind_null (stmt, index);
  else
    omni_db_bind_int64 (stmt, index, value);
}

gboolean
_omni_import_load_state (ImportRun  *im,
                         GError    **error)
{
  OmniDbStmt *stmt;

  im->currency = omni_store_get_setting (im->store, "currency");
  if (im->currency == NULL)
    im->currency = g_strdup ("USD");
  im->now = _omni_store_format_time (0);

  stmt = _omni_store_prepare (im->store, "SELECT coalesce (max (id), 0) FROM variants", error);
  if (stmt == NULL)
    return FALSE;
  im->max_variant_id = query_int (im, stmt, 0);
  if (im->db_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&im->db_error));
      return FALSE;
    }
  return TRUE;
}

/* Locations ------------------------------------------------------------ */

static gint64
create_location (ImportRun  *im,
                 const char *name,
                 gboolean    make_default)
{
  OmniDbStmt *stmt = prepare (im, "INSERT INTO locations (name, is_default, created_at)"
                                    " VALUES (?1, ?2, ?3) RETURNING id");
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  omni_db_bind_int (stmt, 2, make_default ? 1 : 0);
  omni_db_bind_text (stmt, 3, im->now, -1, SQLITE_TRANSIENT);
  if (!step_write_id (im, stmt, F_LOCATION, NULL, &id))
    return 0;
  im->result->locations_created++;
  return id;
}

/* The location a quantity goes to: --location, else the row's Location,
 * else the default one (made in an empty store). 0 when it failed. */
static gint64
resolve_location (ImportRun  *im,
                  const char *row_name)
{
  const char *wanted = im->options->location ? im->options->location : row_name;
  const char *key = wanted ? wanted : "";
  OmniDbStmt *stmt;
  gint64 id;
  gint64 default_id;

  if (im->location_id > 0 && g_strcmp0 (im->location_name, key) == 0)
    return im->location_id;

  stmt = prepare (im, "SELECT id FROM locations WHERE is_default = 1 AND archived = 0");
  if (stmt == NULL)
    return 0;
  default_id = query_int (im, stmt, 0);

  if (wanted == NULL)
    {
      id = default_id;
      if (id == 0)
        id = create_location (im, OMNI_IMPORT_FIRST_LOCATION, TRUE);
    }
  else
    {
      if (!_omni_import_check_text (im, F_LOCATION, wanted, "Location name", 120))
        return 0;
      stmt = prepare (im, "SELECT id FROM locations WHERE name = ?1 AND archived = 0");
      if (stmt == NULL)
        return 0;
      omni_db_bind_text (stmt, 1, wanted, -1, SQLITE_TRANSIENT);
      id = query_int (im, stmt, 0);
      if (id == 0 && im->db_error == NULL)
        {
          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_LOCATION),
                                    TRUE, "there is no location named “%s”; it will be created",
                                    wanted);
          id = create_location (im, wanted, default_id == 0);
        }
    }

  if (id > 0)
    {
      g_free (im->location_name);
      im->location_name = g_strdup (key);
      im->location_id = id;
    }
  return id;
}

/* Stock ---------------------------------------------------------------- */

static gboolean
check_level_once (ImportRun *im,
                  gint64     variant_id,
                  gint64     location_id)
{
  OmniDbStmt *stmt = prepare (im, "INSERT INTO temp.omni_import_level"
                                    " (variant_id, location_id, line) VALUES (?1, ?2, ?3)"
                                    " ON CONFLICT DO NOTHING");
  OmniDb *db = _omni_store_get_db (im->store);
  gint64 line;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  omni_db_bind_int64 (stmt, 3, (gint64)im->line);
  if (!step_write (im, stmt, F_QUANTITY, NULL))
    return FALSE;
  if (omni_db_changes (db) > 0)
    return TRUE;

  stmt = prepare (im, "SELECT line FROM temp.omni_import_level"
                      " WHERE variant_id = ?1 AND location_id = ?2");
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  line = query_int (im, stmt, 0);
  _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_QUANTITY), FALSE,
                            "the stock of this variant at this location is also set on line %"
                            G_GINT64_FORMAT, line);
  return FALSE;
}

/* Sets on hand at a location to @quantity with one `import` movement. */
static void
set_quantity (ImportRun  *im,
              gint64      variant_id,
              gboolean    is_new,
              gint64      quantity,
              const char *row_location,
              gboolean    check_once)
{
  g_autofree char *op_id = NULL;
  OmniDbStmt *stmt;
  gint64 location_id;
  gint64 current = 0;
  gint64 delta;

  if (quantity < 0 || im->row_failed)
    return;
  location_id = resolve_location (im, row_location);
  if (location_id == 0)
    return;
  if (check_once && !check_level_once (im, variant_id, location_id))
    return;

  if (!is_new)
    {
      stmt = prepare (im, "SELECT on_hand FROM stock_levels"
                          " WHERE variant_id = ?1 AND location_id = ?2");
      if (stmt == NULL)
        return;
      omni_db_bind_int64 (stmt, 1, variant_id);
      omni_db_bind_int64 (stmt, 2, location_id);
      current = query_int (im, stmt, 0);
    }
  delta = quantity - current;
  if (delta == 0)
    return;

  /* The op_id is the file and the line: importing the same file again
   * finds it in the ledger and changes nothing. The movement is staged and
   * written with all the others by _omni_import_write_movements(): one
   * statement instead of one per row, whose trigger work is the same. */
  op_id = g_strdup_printf ("import:%s:%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT,
                           im->hash16, im->line, location_id);
  stmt = prepare (im, "INSERT INTO temp.omni_import_movement (op_id, variant_id, location_id,"
                      " delta) VALUES (?1, ?2, ?3, ?4)");
  if (stmt == NULL)
    return;
  omni_db_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_int64 (stmt, 3, location_id);
  omni_db_bind_int64 (stmt, 4, delta);
  if (!step_write (im, stmt, F_QUANTITY, NULL))
    return;
  im->result->quantity_changes++;
  im->result->units_delta += delta;
}

#define INSERT_STAGED_MOVEMENTS(where) \
  "INSERT INTO movements (op_id, variant_id, location_id," \
  " on_hand_delta, committed_delta, reason, source, reference," \
  " note, actor, created_at, operation)" \
  " SELECT op_id, variant_id, location_id, delta, 0, 'import'," \
  " 'import', ?1, NULL, ?2, ?3, ?4" \
  " FROM temp.omni_import_movement WHERE " where " ORDER BY rowid" \
  " ON CONFLICT (op_id) DO NOTHING"

static const char insert_all_sql[] = INSERT_STAGED_MOVEMENTS ("1 = 1");
static const char insert_unlinked_sql[] =
  INSERT_STAGED_MOVEMENTS ("variant_id NOT IN (SELECT variant_id FROM channel_links)");
static const char insert_linked_sql[] =
  INSERT_STAGED_MOVEMENTS ("variant_id IN (SELECT variant_id FROM channel_links)");

static gboolean insert_movements (ImportRun   *im,
                                  const char  *sql,
                                  GError     **error);

/* Writes the staged movements to the ledger in file order, skipping those
 * whose op_id is already there (an earlier import of the same file); the
 * ledger trigger moves the levels with them, or, for a batch of
 * im->bulk_threshold or more, the ledger's bulk way does the same once per
 * variant and level. With @write FALSE (a dry run) only the counts are
 * corrected. */
gboolean
_omni_import_write_movements (ImportRun  *im,
                              gboolean    write,
                              GError    **error)
{
  OmniDbStmt *stmt;
  gint64 after = G_MAXINT64;

  stmt = _omni_store_prepare (im->store,
                              "SELECT count (*), coalesce (sum (s.delta), 0)"
                              " FROM temp.omni_import_movement s"
                              " WHERE EXISTS (SELECT 1 FROM movements m WHERE m.op_id = s.op_id)",
                              error);
  if (stmt == NULL)
    return FALSE;
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      gint64 applied = omni_db_column_int64 (stmt, 0);

      im->result->quantities_already_applied += (guint64)applied;
      im->result->quantity_changes -= (guint64)applied;
      im->result->units_delta -= omni_db_column_int64 (stmt, 1);
    }
  omni_db_reset (stmt);
  if (!write)
    return TRUE;
  if (!im->bulk)
    return insert_movements (im, insert_all_sql, error);

  /* Triggers are off: the unlinked variants' movements go in bare and the
   * store applies them; the linked ones go in with triggers back on, so the
   * outbox queues their pushes exactly as usual. */
  stmt = _omni_store_prepare (im->store, "SELECT coalesce (max (id), 0) FROM movements", error);
  if (stmt == NULL)
    return FALSE;
  if (omni_db_step (stmt) == SQLITE_ROW)
    after = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  return insert_movements (im, insert_unlinked_sql, error) &&
         _omni_store_bulk_apply_movements (im->store, after, error) &&
         _omni_store_set_triggers_enabled (im->store, TRUE, error) &&
         insert_movements (im, insert_linked_sql, error);
}

static gboolean
insert_movements (ImportRun   *im,
                  const char  *sql,
                  GError     **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (im->store, sql, error);

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, im->file_name, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 2, im->options->actor ? im->options->actor
                                                 : _omni_store_default_actor (),
                     -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, im->now, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, im->result->operation, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (im->store, stmt, error);
}

/* Preview -------------------------------------------------------------- */

static void
add_preview (ImportRun      *im,
             ImportProduct  *product,
             const VariantIn *v,
             const char     *action)
{
  OmniImportPreviewRow *row;
  GString *options;

  if (im->result->preview->len >= im->options->preview_rows)
    return;

  row = g_new0 (OmniImportPreviewRow, 1);
  options = g_string_new (NULL);
  for (guint i = 0; i < 3; i++)
    if (v->options[i] != NULL)
      g_string_append_printf (options, "%s%s", options->len ? " / " : "", v->options[i]);
  row->line = im->line;
  row->handle = g_strdup (product ? product->handle : NULL);
  row->title = g_strdup (product ? product->title : NULL);
  row->options = g_string_free (options, FALSE);
  row->sku = g_strdup (v->sku);
  row->price = v->price;
  row->quantity = v->quantity;
  row->action = g_strdup (action);
  g_ptr_array_add (im->result->preview, row);
}

/* Reading a row -------------------------------------------------------- */

static void
read_variant (ImportRun *im,
              VariantIn *v,
              double     grams_per_unit)
{
  memset (v, 0, sizeof *v);
  v->sku = _omni_import_get (im, F_SKU);
  if (v->sku != NULL && !_omni_import_check_text (im, F_SKU, v->sku, "SKU", OMNI_TEXT_MAX_LINE))
    g_clear_pointer (&v->sku, g_free);
  v->barcode = _omni_import_get_barcode (im, F_BARCODE);
  for (guint i = 0; i < 3; i++)
    {
      v->options[i] = _omni_import_get (im, option_fields[i]);
      if (v->options[i] != NULL &&
          !_omni_import_check_text (im, option_fields[i], v->options[i], "Option value",
                                    OMNI_TEXT_MAX_LINE))
        g_clear_pointer (&v->options[i], g_free);
    }
  _omni_import_get_money (im, F_PRICE, &v->price);
  _omni_import_get_money (im, F_COMPARE_AT, &v->compare_at);
  _omni_import_get_money (im, F_COST, &v->cost);
  _omni_import_get_grams (im, F_GRAMS, grams_per_unit, &v->grams);
  _omni_import_get_quantity (im, F_QUANTITY, &v->quantity);
  v->location = _omni_import_get (im, F_LOCATION);
}

/* Shopify writes a product without options as option "Title" with the value
 * "Default Title". */
static gboolean
is_default_title (const char *name,
                  const char *value)
{
  return (name == NULL || g_ascii_strcasecmp (name, "Title") == 0) &&
         g_strcmp0 (value, "Default Title") == 0;
}

/* Checks the row's option values against the product's options. */
static void
check_option_values (ImportRun     *im,
                     ImportProduct *product,
                     VariantIn     *v,
                     const ImportField fields[3])
{
  if (product->n_options == 0 && is_default_title (NULL, v->options[0]) &&
      v->options[1] == NULL && v->options[2] == NULL)
    g_clear_pointer (&v->options[0], g_free);

  for (guint i = 0; i < 3; i++)
    {
      if (i < product->n_options && v->options[i] == NULL)
        _omni_import_add_problem (im, im->line, _omni_import_column_name (im, fields[i]), FALSE,
                                  "option %u (“%s”) needs a value", i + 1,
                                  product->option_names[i]);
      else if (i >= product->n_options && v->options[i] != NULL)
        _omni_import_add_problem (im, im->line, _omni_import_column_name (im, fields[i]), FALSE,
                                  "unknown option: the value “%s” is given, but “%s” has no "
                                  "option %u", v->options[i], product->handle, i + 1);
    }
}

/* Products ------------------------------------------------------------- */

static gboolean
mark_product (ImportRun *im,
              gint64     product_id,
              gboolean   reindex)
{
  OmniDbStmt *stmt = prepare (im, "INSERT INTO temp.omni_import_product AS t"
                                    " (product_id, line, reindex) VALUES (?1, ?2, ?3)"
                                    " ON CONFLICT (product_id) DO UPDATE SET"
                                    " reindex = max (t.reindex, excluded.reindex)");

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product_id);
  omni_db_bind_int64 (stmt, 2, (gint64)im->line);
  omni_db_bind_int (stmt, 3, reindex ? 1 : 0);
  return step_write (im, stmt, F_HANDLE, NULL);
}

static gboolean
product_seen (ImportRun *im,
              gint64     product_id)
{
  OmniDbStmt *stmt = prepare (im, "SELECT 1 FROM temp.omni_import_product"
                                    " WHERE product_id = ?1");

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product_id);
  return query_int (im, stmt, 0) == 1;
}

static void
load_product_options (ImportRun     *im,
                      ImportProduct *product)
{
  OmniDbStmt *stmt = prepare (im, "SELECT position, name FROM product_options"
                                    " WHERE product_id = ?1 ORDER BY position");

  if (stmt == NULL)
    return;
  omni_db_bind_int64 (stmt, 1, product->id);
  product->n_options = 0;
  while (omni_db_step (stmt) == SQLITE_ROW)
    {
      int position = omni_db_column_int (stmt, 0);

      if (position >= 1 && position <= 3)
        {
          g_free (product->option_names[position - 1]);
          product->option_names[position - 1] =
            g_strdup ((const char *)omni_db_column_text (stmt, 1));
          product->n_options = MAX (product->n_options, (guint)position);
        }
    }
  omni_db_reset (stmt);
  product->options_known = TRUE;
}

static gint64
find_product (ImportRun  *im,
              const char *handle,
              gboolean   *archived)
{
  OmniDbStmt *stmt = prepare (im, "SELECT id, status = 'archived' FROM products"
                                    " WHERE handle = ?1");
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, handle, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      id = omni_db_column_int64 (stmt, 0);
      if (archived != NULL)
        *archived = omni_db_column_int (stmt, 1) != 0;
    }
  omni_db_reset (stmt);
  return id;
}

typedef struct
{
  char *title;
  char *body;
  char *vendor;
  char *type;
  char *tags;
  char *status;
  char *option_names[3];
  guint n_options;
} ProductIn;

static void
product_in_clear (ProductIn *p)
{
  g_free (p->title);
  g_free (p->body);
  g_free (p->vendor);
  g_free (p->type);
  g_free (p->tags);
  g_free (p->status);
  for (guint i = 0; i < 3; i++)
    g_free (p->option_names[i]);
}

static char *
read_status (ImportRun *im)
{
  g_autofree char *status = _omni_import_get (im, F_STATUS);
  g_autofree char *published = NULL;

  if (status != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (status, -1);

      if (g_str_equal (lower, "active") || g_str_equal (lower, "draft") ||
          g_str_equal (lower, "archived"))
        return g_steal_pointer (&lower);
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_STATUS), FALSE,
                                "the status must be active, draft or archived, not “%s”",
                                status);
      return NULL;
    }

  published = _omni_import_get (im, F_PUBLISHED);
  if (published == NULL)
    return NULL;
  if (g_ascii_strcasecmp (published, "false") == 0 || g_str_equal (published, "0") ||
      g_str_equal (published, "-1") || g_ascii_strcasecmp (published, "no") == 0)
    return g_strdup ("draft");
  return g_strdup ("active");
}

/* Product fields of the row; body and the like are %NULL when their column
 * is absent (keep what is stored) and "" when present but empty. */
static void
read_product (ImportRun *im,
              ProductIn *p,
              const char *title)
{
  static const struct { ImportField field; const char *label; gsize max; } texts[] = {
    { F_BODY, "Description", OMNI_TEXT_MAX_BODY },
    { F_VENDOR, "Vendor", OMNI_TEXT_MAX_LINE },
    { F_TYPE, "Product type", OMNI_TEXT_MAX_LINE },
    { F_TAGS, "Tags", 4096 },
  };
  char **slots[] = { &p->body, &p->vendor, &p->type, &p->tags };

  memset (p, 0, sizeof *p);
  p->title = g_strdup (title);
  if (p->title != NULL &&
      !_omni_import_check_text (im, F_TITLE, p->title, "Title", OMNI_TEXT_MAX_LINE))
    g_clear_pointer (&p->title, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (!_omni_import_has (im, texts[i].field))
        continue;
      *slots[i] = _omni_import_get (im, texts[i].field);
      if (*slots[i] == NULL)
        *slots[i] = g_strdup ("");
      else if (!_omni_import_check_text (im, texts[i].field, *slots[i], texts[i].label,
                                         texts[i].max))
        g_clear_pointer (slots[i], g_free);
    }
  if (p->tags != NULL)
    {
      char *normalized = omni_text_normalize_tags (p->tags);

      g_free (p->tags);
      p->tags = normalized;
    }
  p->status = read_status (im);

  for (guint i = 0; i < 3; i++)
    {
      p->option_names[i] = _omni_import_get (im, option_name_fields[i]);
      if (p->option_names[i] != NULL &&
          !_omni_import_check_text (im, option_name_fields[i], p->option_names[i],
                                    "Option name", OMNI_TEXT_MAX_LINE))
        g_clear_pointer (&p->option_names[i], g_free);
    }
  {
    g_autofree char *value = _omni_import_get (im, F_OPT1);

    if (p->option_names[1] == NULL && is_default_title (p->option_names[0], value))
      g_clear_pointer (&p->option_names[0], g_free);
  }
  for (guint i = 0; i < 3; i++)
    {
      if (p->option_names[i] == NULL)
        continue;
      if (i != p->n_options)
        {
          _omni_import_add_problem (im, im->line,
                                    _omni_import_column_name (im, option_name_fields[i]), FALSE,
                                    "option %u is named but option %u is not; options fill "
                                    "from the first", i + 1, p->n_options + 1);
          break;
        }
      for (guint j = 0; j < i; j++)
        if (g_strcmp0 (p->option_names[j], p->option_names[i]) == 0)
          _omni_import_add_problem (im, im->line,
                                    _omni_import_column_name (im, option_name_fields[i]), FALSE,
                                    "the option name “%s” is used twice", p->option_names[i]);
      p->n_options++;
    }
}

static gboolean
write_options (ImportRun     *im,
               gint64         product_id,
               char * const   names[3],
               guint          n_options)
{
  for (guint i = 0; i < n_options; i++)
    {
      OmniDbStmt *stmt = prepare (im, "INSERT INTO product_options (product_id, position, name)"
                                        " VALUES (?1, ?2, ?3) ON CONFLICT (product_id, position)"
                                        " DO UPDATE SET name = excluded.name"
                                        " WHERE product_options.name IS DISTINCT FROM excluded.name");

      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, product_id);
      omni_db_bind_int (stmt, 2, (int)i + 1);
      omni_db_bind_text (stmt, 3, names[i], -1, SQLITE_TRANSIENT);
      if (!step_write (im, stmt, option_name_fields[i], NULL))
        return FALSE;
    }
  return TRUE;
}

static gint64
insert_product (ImportRun       *im,
                const char      *handle,
                const ProductIn *p)
{
  OmniDbStmt *stmt = prepare (im, INSERT_RETURNING_ID (im, "INSERT INTO products (handle, title,"
                                    " body, vendor, product_type, tags, status, created_at,"
                                    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"));
  gint64 id = 0;
  g_autofree char *what = g_strdup_printf ("a product with the handle “%s” already exists",
                                           handle);

  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, handle, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 2, p->title, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, p->body ? p->body : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, p->vendor ? p->vendor : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 5, p->type ? p->type : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 6, p->tags ? p->tags : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 7, p->status ? p->status : "active", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 8, im->now, -1, SQLITE_TRANSIENT);
  if (!step_write_id (im, stmt, F_HANDLE, what, &id))
    return 0;
  return id;
}

/* Updates a product's fields; TRUE in @changed when anything differed. */
static gboolean
update_product (ImportRun       *im,
                gint64           product_id,
                const ProductIn *p,
                gboolean        *changed)
{
  OmniDbStmt *stmt = prepare (im, "UPDATE products SET title = ?2,"
                                    " body = coalesce (?3, body), vendor = coalesce (?4, vendor),"
                                    " product_type = coalesce (?5, product_type),"
                                    " tags = coalesce (?6, tags), status = coalesce (?7, status),"
                                    " updated_at = ?8"
                                    " WHERE id = ?1 AND (title IS DISTINCT FROM ?2"
                                    " OR body IS DISTINCT FROM coalesce (?3, body)"
                                    " OR vendor IS DISTINCT FROM coalesce (?4, vendor)"
                                    " OR product_type IS DISTINCT FROM coalesce (?5, product_type)"
                                    " OR tags IS DISTINCT FROM coalesce (?6, tags)"
                                    " OR status IS DISTINCT FROM coalesce (?7, status))");

  *changed = FALSE;
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product_id);
  omni_db_bind_text (stmt, 2, p->title, -1, SQLITE_TRANSIENT);
  bind_text (stmt, 3, p->body);
  bind_text (stmt, 4, p->vendor);
  bind_text (stmt, 5, p->type);
  bind_text (stmt, 6, p->tags);
  bind_text (stmt, 7, p->status);
  omni_db_bind_text (stmt, 8, im->now, -1, SQLITE_TRANSIENT);
  if (!step_write (im, stmt, F_TITLE, NULL))
    return FALSE;
  *changed = omni_db_changes (_omni_store_get_db (im->store)) > 0;
  return TRUE;
}

/* Makes @product the product of the rows that follow: found by handle and
 * updated, or created. */
static void
start_product (ImportRun     *im,
               ImportProduct *product,
               const char    *handle,
               ProductIn     *p)
{
  gboolean archived = FALSE;
  gint64 id;

  _omni_import_product_clear (product);
  product->line = im->line;
  product->handle = g_strdup (handle);
  product->title = g_strdup (p->title);
  if (im->row_failed || im->db_error != NULL)
    return;

  id = find_product (im, handle, &archived);
  if (id > 0)
    {
      gboolean seen = product_seen (im, id);
      gboolean changed = FALSE;

      product->id = id;
      load_product_options (im, product);
      product->archived = p->status ? g_str_equal (p->status, "archived") : archived;
      if (seen || p->title == NULL)
        return;

      if (p->n_options > 0 && p->n_options != product->n_options)
        {
          _omni_import_add_problem (im, im->line,
                                    _omni_import_column_name (im, F_OPT1_NAME), FALSE,
                                    "“%s” has %u option(s) in the store, but the file gives %u; "
                                    "a product’s number of options cannot change",
                                    handle, product->n_options, p->n_options);
          product->id = 0;
          return;
        }
      if (p->n_options > 0)
        {
          for (guint i = 0; i < p->n_options; i++)
            if (g_strcmp0 (product->option_names[i], p->option_names[i]) != 0)
              {
                changed = TRUE;
                g_free (product->option_names[i]);
                product->option_names[i] = g_strdup (p->option_names[i]);
              }
          if (changed && !write_options (im, id, p->option_names, p->n_options))
            return;
        }
      {
        gboolean fields_changed = FALSE;

        if (!update_product (im, id, p, &fields_changed))
          return;
        changed = changed || fields_changed;
      }
      if (changed)
        im->result->products_updated++;
      else
        im->result->products_unchanged++;
      mark_product (im, id, changed);
      return;
    }

  if (p->title == NULL)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_TITLE), FALSE,
                                "“%s” is a new product, so its first row needs a title", handle);
      return;
    }

  id = insert_product (im, handle, p);
  if (id == 0 || !write_options (im, id, p->option_names, p->n_options))
    return;
  product->id = id;
  product->created = TRUE;
  product->options_known = TRUE;
  product->archived = g_strcmp0 (p->status, "archived") == 0;
  product->n_options = p->n_options;
  for (guint i = 0; i < 3; i++)
    product->option_names[i] = g_strdup (p->option_names[i]);
  product->next_position = 1;
  im->result->products_created++;
  mark_product (im, id, FALSE);
}

/* Variants ------------------------------------------------------------- */

static gint64
find_variant_by_sku (ImportRun  *im,
                     const char *sku,
                     gint64     *product_id)
{
  OmniDbStmt *stmt = prepare (im, "SELECT id, product_id FROM variants"
                                    " WHERE sku = ?1 AND archived = 0");
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, sku, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      id = omni_db_column_int64 (stmt, 0);
      *product_id = omni_db_column_int64 (stmt, 1);
    }
  omni_db_reset (stmt);
  return id;
}

static gint64
find_variant_by_options (ImportRun   *im,
                         gint64       product_id,
                         char * const options[3])
{
  OmniDbStmt *stmt = prepare (im, "SELECT id FROM variants WHERE product_id = ?1"
                                    " AND option1 IS NOT DISTINCT FROM ?2"
                                    " AND option2 IS NOT DISTINCT FROM ?3"
                                    " AND option3 IS NOT DISTINCT FROM ?4"
                                    " ORDER BY archived, id LIMIT 1");

  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, product_id);
  for (int i = 0; i < 3; i++)
    bind_text (stmt, 2 + i, options[i]);
  return query_int (im, stmt, 0);
}

static char *
handle_of_product (ImportRun *im,
                   gint64     product_id)
{
  OmniDbStmt *stmt = prepare (im, "SELECT handle FROM products WHERE id = ?1");
  char *handle = NULL;

  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, product_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    handle = g_strdup ((const char *)omni_db_column_text (stmt, 0));
  omni_db_reset (stmt);
  return handle;
}

/* Remembers a SKU of the file; a second row with it is an error. */
static gboolean
check_sku_once (ImportRun  *im,
                const char *sku)
{
  OmniDbStmt *stmt = prepare (im, "INSERT INTO temp.omni_import_sku (sku, line)"
                                    " VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  gint64 line;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, sku, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, (gint64)im->line);
  if (!step_write (im, stmt, F_SKU, NULL))
    return FALSE;
  if (omni_db_changes (_omni_store_get_db (im->store)) > 0)
    return TRUE;

  stmt = prepare (im, "SELECT line FROM temp.omni_import_sku WHERE sku = ?1");
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, sku, -1, SQLITE_TRANSIENT);
  line = query_int (im, stmt, 0);
  _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_SKU), FALSE,
                            "duplicate SKU “%s” also on line %" G_GINT64_FORMAT, sku, line);
  return FALSE;
}

/* Remembers a variant the file names; a second row for it is an error. */
static gboolean
check_variant_once (ImportRun *im,
                    gint64     variant_id,
                    gboolean   reindex)
{
  OmniDbStmt *stmt = prepare (im, "INSERT INTO temp.omni_import_variant"
                                    " (variant_id, line, reindex) VALUES (?1, ?2, ?3)"
                                    " ON CONFLICT DO NOTHING");
  gint64 line;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, (gint64)im->line);
  omni_db_bind_int (stmt, 3, reindex ? 1 : 0);
  if (!step_write (im, stmt, F_SKU, NULL))
    return FALSE;
  if (omni_db_changes (_omni_store_get_db (im->store)) > 0)
    return TRUE;

  stmt = prepare (im, "SELECT line FROM temp.omni_import_variant WHERE variant_id = ?1");
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  line = query_int (im, stmt, 0);
  _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_OPT1), FALSE,
                            "the same variant is also on line %" G_GINT64_FORMAT, line);
  return FALSE;
}

static void
set_variant_reindex (ImportRun *im,
                     gint64     variant_id)
{
  OmniDbStmt *stmt = prepare (im, "UPDATE temp.omni_import_variant SET reindex = 1"
                                    " WHERE variant_id = ?1");

  if (stmt == NULL)
    return;
  omni_db_bind_int64 (stmt, 1, variant_id);
  step_write (im, stmt, F_SKU, NULL);
}

static gint64
insert_variant (ImportRun       *im,
                ImportProduct   *product,
                const VariantIn *v)
{
  OmniDbStmt *stmt;
  g_autofree char *what = NULL;
  gint64 id = 0;

  if (product->next_position == 0)
    {
      stmt = prepare (im, "SELECT coalesce (max (position), 0) + 1 FROM variants"
                          " WHERE product_id = ?1");
      if (stmt == NULL)
        return 0;
      omni_db_bind_int64 (stmt, 1, product->id);
      product->next_position = (guint)query_int (im, stmt, 1);
    }

  stmt = prepare (im, INSERT_RETURNING_ID (im, "INSERT INTO variants (product_id, position,"
                      " sku, barcode, option1, option2, option3, price, compare_at_price, cost,"
                      " weight_grams, archived, created_at, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)"));
  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, product->id);
  omni_db_bind_int (stmt, 2, (int)product->next_position);
  bind_text (stmt, 3, v->sku);
  bind_text (stmt, 4, v->barcode);
  for (int i = 0; i < 3; i++)
    bind_text (stmt, 5 + i, v->options[i]);
  omni_db_bind_int64 (stmt, 8, v->price >= 0 ? v->price : 0);
  bind_int (stmt, 9, v->compare_at);
  bind_int (stmt, 10, v->cost);
  omni_db_bind_int64 (stmt, 11, v->grams >= 0 ? v->grams : 0);
  omni_db_bind_int (stmt, 12, product->archived ? 1 : 0);
  omni_db_bind_text (stmt, 13, im->now, -1, SQLITE_TRANSIENT);
  what = g_strdup_printf ("SKU “%s” is already used by another active variant",
                          v->sku ? v->sku : "");
  if (!step_write_id (im, stmt, F_SKU, what, &id))
    return 0;
  product->next_position++;
  return id;
}

static gboolean
update_variant (ImportRun       *im,
                gint64           variant_id,
                gboolean         archived,
                const VariantIn *v,
                gboolean        *changed)
{
  OmniDbStmt *stmt = prepare (im, "UPDATE variants SET sku = coalesce (?2, sku),"
                                    " barcode = coalesce (?3, barcode), option1 = ?4,"
                                    " option2 = ?5, option3 = ?6, price = coalesce (?7, price),"
                                    " compare_at_price = coalesce (?8, compare_at_price),"
                                    " cost = coalesce (?9, cost),"
                                    " weight_grams = coalesce (?10, weight_grams),"
                                    " archived = ?11, updated_at = ?12"
                                    " WHERE id = ?1 AND (sku IS DISTINCT FROM coalesce (?2, sku)"
                                    " OR barcode IS DISTINCT FROM coalesce (?3, barcode)"
                                    " OR option1 IS DISTINCT FROM ?4"
                                    " OR option2 IS DISTINCT FROM ?5"
                                    " OR option3 IS DISTINCT FROM ?6"
                                    " OR price IS DISTINCT FROM coalesce (?7, price)"
                                    " OR compare_at_price IS DISTINCT FROM"
                                    "    coalesce (?8, compare_at_price)"
                                    " OR cost IS DISTINCT FROM coalesce (?9, cost)"
                                    " OR weight_grams IS DISTINCT FROM coalesce (?10, weight_grams)"
                                    " OR archived IS DISTINCT FROM ?11)");
  g_autofree char *what = g_strdup_printf ("SKU “%s” is already used by another active "
                                           "variant", v->sku ? v->sku : "");

  *changed = FALSE;
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  bind_text (stmt, 2, v->sku);
  bind_text (stmt, 3, v->barcode);
  for (int i = 0; i < 3; i++)
    bind_text (stmt, 4 + i, v->options[i]);
  bind_int (stmt, 7, v->price);
  bind_int (stmt, 8, v->compare_at);
  bind_int (stmt, 9, v->cost);
  bind_int (stmt, 10, v->grams);
  omni_db_bind_int (stmt, 11, archived ? 1 : 0);
  omni_db_bind_text (stmt, 12, im->now, -1, SQLITE_TRANSIENT);
  if (!step_write (im, stmt, F_SKU, what))
    return FALSE;
  *changed = omni_db_changes (_omni_store_get_db (im->store)) > 0;
  return TRUE;
}

/* Writes one variant row into @product: matched by SKU, then by option
 * values, updated or created; then its stock. */
static void
write_variant (ImportRun     *im,
               ImportProduct *product,
               VariantIn     *v)
{
  gint64 variant_id = 0;
  gint64 owner = 0;
  gboolean changed = FALSE;
  gboolean is_new = FALSE;

  if (im->db_error != NULL)
    return;
  /* Checked even on a row with other problems, so that every problem of the
   * file is listed at once. */
  if (v->sku != NULL && !check_sku_once (im, v->sku))
    return;
  if (im->row_failed || product->id == 0)
    return;

  /* A SKU first seen in this file can match only a variant that was in the
   * store before: none when the store had no variant. */
  if (v->sku != NULL && im->max_variant_id > 0)
    {
      variant_id = find_variant_by_sku (im, v->sku, &owner);
      if (variant_id > 0 && owner != product->id)
        {
          g_autofree char *other = handle_of_product (im, owner);

          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_SKU), FALSE,
                                    "SKU “%s” belongs to the product “%s” in the store, not "
                                    "to “%s”", v->sku, other ? other : "", product->handle);
          return;
        }
    }
  if (variant_id == 0 && product->created)
    {
      /* A product made by this import has only the variants of its rows so
       * far: a repeated combination is found in memory, not by a query. */
      char *key = g_strjoin ("\x1f", v->options[0] ? v->options[0] : "",
                             v->options[1] ? v->options[1] : "",
                             v->options[2] ? v->options[2] : "", NULL);
      gpointer line;

      if (product->option_keys == NULL)
        product->option_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (g_hash_table_lookup_extended (product->option_keys, key, NULL, &line))
        {
          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_OPT1), FALSE,
                                    "the same variant is also on line %" G_GUINT64_FORMAT,
                                    (guint64)GPOINTER_TO_SIZE (line));
          g_free (key);
          return;
        }
      g_hash_table_insert (product->option_keys, key, GSIZE_TO_POINTER ((gsize)im->line));
    }
  else if (variant_id == 0)
    variant_id = find_variant_by_options (im, product->id, v->options);
  if (im->db_error != NULL)
    return;

  if (variant_id > 0)
    {
      if (!check_variant_once (im, variant_id, FALSE) ||
          !update_variant (im, variant_id, product->archived, v, &changed))
        return;
      if (changed)
        {
          im->result->variants_updated++;
          set_variant_reindex (im, variant_id);
        }
      else
        im->result->variants_unchanged++;
    }
  else
    {
      /* A new variant cannot have been named by an earlier row. */
      variant_id = insert_variant (im, product, v);
      if (variant_id == 0)
        return;
      is_new = TRUE;
      im->result->variants_created++;
    }
  product->has_variants = TRUE;

  add_preview (im, product, v, is_new ? "new" : changed ? "update" : "unchanged");
  set_quantity (im, variant_id, is_new, v->quantity, v->location, FALSE);
}

/* Shopify and generic rows --------------------------------------------- */

static gboolean
is_image_only_row (ImportRun *im)
{
  static const ImportField variant_fields[] = {
    F_TITLE, F_OPT1, F_OPT2, F_OPT3, F_SKU, F_BARCODE, F_PRICE, F_QUANTITY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (variant_fields); i++)
    {
      g_autofree char *value = _omni_import_get (im, variant_fields[i]);

      if (value != NULL)
        return FALSE;
    }
  return TRUE;
}

/* A generic row whose SKU is already in the store updates that variant in
 * its own product. TRUE when it did (or failed trying). */
static gboolean
generic_update_by_sku (ImportRun *im,
                       VariantIn *v)
{
  g_autofree char *handle = NULL;
  ImportProduct product = { 0 };
  gint64 owner = 0;
  gboolean archived = FALSE;

  if (v->sku == NULL || im->max_variant_id == 0 ||
      find_variant_by_sku (im, v->sku, &owner) == 0)
    return FALSE;

  handle = handle_of_product (im, owner);
  product.id = find_product (im, handle, &archived);
  product.handle = g_steal_pointer (&handle);
  product.archived = archived;
  product.line = im->line;
  load_product_options (im, &product);
  for (guint i = 0; i < 3 && product.n_options == 0; i++)
    g_clear_pointer (&v->options[i], g_free);
  if (product.n_options > 0 && v->options[0] == NULL)
    {
      /* Without option columns the row keeps the variant's values. */
      OmniDbStmt *stmt = prepare (im, "SELECT option1, option2, option3 FROM variants"
                                        " WHERE sku = ?1 AND archived = 0");

      if (stmt != NULL)
        {
          omni_db_bind_text (stmt, 1, v->sku, -1, SQLITE_TRANSIENT);
          if (omni_db_step (stmt) == SQLITE_ROW)
            for (int i = 0; i < 3; i++)
              v->options[i] = g_strdup ((const char *)omni_db_column_text (stmt, i));
          omni_db_reset (stmt);
        }
    }
  check_option_values (im, &product, v, option_fields);
  write_variant (im, &product, v);
  _omni_import_product_clear (&product);
  return TRUE;
}

void
_omni_import_catalog_row (ImportRun *im)
{
  gboolean shopify = im->result->format == OMNI_IMPORT_FORMAT_SHOPIFY;
  g_autofree char *handle = _omni_import_get (im, F_HANDLE);
  g_autofree char *title = _omni_import_get (im, F_TITLE);
  gboolean continuation;
  VariantIn v;

  if (handle != NULL &&
      !_omni_import_check_text (im, F_HANDLE, handle, "Handle", OMNI_TEXT_MAX_LINE))
    return;

  if (shopify && handle == NULL)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_HANDLE), FALSE,
                                "the handle is empty; every row of a Shopify file names its "
                                "product’s handle");
      return;
    }

  /* Rows that only add an image to the product above hold no variant. */
  if (shopify && g_strcmp0 (handle, im->product.handle) == 0 && is_image_only_row (im))
    {
      im->result->skipped_rows++;
      return;
    }

  read_variant (im, &v, 1.0);

  if (!shopify && handle == NULL && generic_update_by_sku (im, &v))
    {
      variant_in_clear (&v);
      return;
    }

  if (handle == NULL && title != NULL)
    handle = omni_text_slugify (title);
  if (handle == NULL)
    {
      _omni_import_add_problem (im, im->line,
                                _omni_import_column_name (im, _omni_import_has (im, F_SKU)
                                                                ? F_SKU : F_TITLE),
                                FALSE,
                                v.sku ? "no variant has the SKU “%s”, and without a title "
                                        "or handle no product can be made for it"
                                      : "the row has no title, handle or SKU%s",
                                v.sku ? v.sku : "");
      variant_in_clear (&v);
      return;
    }

  continuation = g_strcmp0 (handle, im->product.handle) == 0 &&
                 (shopify ? title == NULL || im->product.id == 0 ||
                            g_strcmp0 (title, im->product.title) == 0
                          : TRUE);
  if (!continuation || im->product.handle == NULL)
    {
      ProductIn p;

      read_product (im, &p, title);
      start_product (im, &im->product, handle, &p);
      product_in_clear (&p);
    }
  else if (im->product.id == 0)
    {
      /* Its product could not be made: with skip_invalid_rows the row is
       * left out too, and says why. */
      if (im->options->skip_invalid_rows)
        _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_HANDLE), FALSE,
                                  "the first row of “%s” (line %" G_GUINT64_FORMAT ") was left "
                                  "out, so this one is too", handle, im->product.line);
      im->row_failed = TRUE;
    }

  if (im->product.id > 0)
    check_option_values (im, &im->product, &v, option_fields);
  write_variant (im, &im->product, &v);
  variant_in_clear (&v);
}

/* Shopify inventory rows ----------------------------------------------- */

void
_omni_import_inventory_row (ImportRun *im)
{
  g_autofree char *handle = _omni_import_get (im, F_HANDLE);
  gint64 variant_id = 0;
  gint64 owner = 0;
  VariantIn v;

  read_variant (im, &v, 1.0);
  if (im->row_failed)
    goto out;
  if (v.quantity < 0)
    {
      im->result->skipped_rows++;
      goto out;
    }

  if (v.sku != NULL)
    {
      variant_id = find_variant_by_sku (im, v.sku, &owner);
      if (variant_id == 0)
        {
          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_SKU), FALSE,
                                    "no variant has the SKU “%s”", v.sku);
          goto out;
        }
    }
  else
    {
      if (handle == NULL)
        {
          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_HANDLE),
                                    FALSE, "the row has neither a SKU nor a handle");
          goto out;
        }
      if (g_strcmp0 (handle, im->product.handle) != 0)
        {
          gboolean archived = FALSE;

          _omni_import_product_clear (&im->product);
          im->product.handle = g_strdup (handle);
          im->product.id = find_product (im, handle, &archived);
          if (im->product.id > 0)
            load_product_options (im, &im->product);
        }
      if (im->product.id == 0)
        {
          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_HANDLE),
                                    FALSE, "no product has the handle “%s”", handle);
          goto out;
        }
      check_option_values (im, &im->product, &v, option_fields);
      if (im->row_failed)
        goto out;
      variant_id = find_variant_by_options (im, im->product.id, v.options);
      if (variant_id == 0)
        {
          g_autofree char *joined = g_strjoin (" / ", v.options[0] ? v.options[0] : "",
                                               v.options[1], v.options[2], NULL);

          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_OPT1), FALSE,
                                    "“%s” has no variant “%s”", handle, joined);
          goto out;
        }
    }

  if (im->db_error == NULL)
    {
      add_preview (im, NULL, &v, "stock");
      set_quantity (im, variant_id, FALSE, v.quantity, v.location, TRUE);
    }

out:
  variant_in_clear (&v);
}

/* WooCommerce rows ----------------------------------------------------- */

static const ImportField woo_attr_names[3] = {
  F_WOO_ATTR1_NAME, F_WOO_ATTR2_NAME, F_WOO_ATTR3_NAME,
};
static const ImportField woo_attr_values[3] = { F_WOO_ATTR1, F_WOO_ATTR2, F_WOO_ATTR3 };

static gboolean
woo_type_has (const char *type,
              const char *word)
{
  g_auto(GStrv) parts = g_strsplit (type ? type : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (parts[i]), word) == 0)
      return TRUE;
  return FALSE;
}

/* Sale price is the price when set, and the regular price becomes the
 * compare-at price. */
static void
woo_read_variant (ImportRun *im,
                  VariantIn *v)
{
  gint64 sale = -1;

  read_variant (im, v, im->weight_factor);
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&v->options[i], g_free);
  _omni_import_get_money (im, F_WOO_SALE, &sale);
  if (sale >= 0)
    {
      v->compare_at = v->price;
      v->price = sale;
    }
}

static void
woo_read_product (ImportRun *im,
                  ProductIn *p,
                  const char *title)
{

  read_product (im, p, title);
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&p->option_names[i], g_free);
  p->n_options = 0;

  /* The first category names the product type: "Clothing > Tshirts". */
  if (p->type != NULL)
    {
      const char *comma = strchr (p->type, ',');

      if (comma != NULL)
        {
          char *first = g_strstrip (g_strndup (p->type, comma - p->type));

          g_free (p->type);
          p->type = first;
        }
    }
  if (p->body != NULL && *p->body == '\0')
    {
      char *short_description = _omni_import_get (im, F_WOO_SHORT);

      if (short_description != NULL)
        {
          g_free (p->body);
          p->body = short_description;
        }
    }
}

static char *
woo_handle (const char *sku,
            const char *title)
{
  return omni_text_slugify (sku != NULL ? sku : title);
}

static void
woo_remember_parent (ImportRun     *im,
                     ImportProduct *parent,
                     const char    *sku,
                     const char    *id)
{
  if (im->woo_parents == NULL)
    {
      im->woo_parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      im->woo_parent_list = g_ptr_array_new_with_free_func (product_free);
    }
  g_ptr_array_add (im->woo_parent_list, parent);
  if (sku != NULL)
    g_hash_table_insert (im->woo_parents, g_strdup_printf ("sku:%s", sku), parent);
  if (id != NULL)
    g_hash_table_insert (im->woo_parents, g_strdup_printf ("id:%s", id), parent);
}

static void
woo_parent_row (ImportRun  *im,
                const char *sku,
                const char *title)
{
  g_autofree char *id = _omni_import_get (im, F_WOO_ID);
  g_autofree char *handle = woo_handle (sku, title);
  ImportProduct *parent = g_new0 (ImportProduct, 1);
  ProductIn p;

  woo_read_product (im, &p, title);
  start_product (im, parent, handle, &p);
  product_in_clear (&p);

  for (guint i = 0, n = 0; i < 3; i++)
    {
      char *name = _omni_import_get (im, woo_attr_names[i]);

      if (name != NULL && n < 3)
        parent->attr_names[n++] = name;
      else
        g_free (name);
    }
  if (parent->created)
    {
      parent->options_known = FALSE;
      parent->n_options = 0;
    }
  woo_remember_parent (im, parent, sku, id);
}

static ImportProduct *
woo_find_parent (ImportRun  *im,
                 const char *reference)
{
  g_autofree char *key = NULL;
  ImportProduct *parent = NULL;

  if (im->woo_parents != NULL)
    {
      key = g_str_has_prefix (reference, "id:") ? g_strdup (reference)
                                               : g_strdup_printf ("sku:%s", reference);
      parent = g_hash_table_lookup (im->woo_parents, key);
    }
  if (parent == NULL && !g_str_has_prefix (reference, "id:"))
    {
      /* A parent imported earlier, from another file. */
      g_autofree char *handle = woo_handle (reference, NULL);
      gboolean archived = FALSE;
      gint64 id = find_product (im, handle, &archived);

      if (id == 0)
        return NULL;
      parent = g_new0 (ImportProduct, 1);
      parent->id = id;
      parent->handle = g_steal_pointer (&handle);
      parent->archived = archived;
      load_product_options (im, parent);
      woo_remember_parent (im, parent, reference, NULL);
    }
  return parent;
}

/* The first variation of a new parent decides its options: the parent's
 * attributes this variation gives a value to ("any" is an empty value). */
static void
woo_decide_options (ImportRun     *im,
                    ImportProduct *parent,
                    char          *values[3])
{
  guint n = 0;

  for (guint i = 0; i < 3; i++)
    if (parent->attr_names[i] != NULL && values[i] != NULL)
      parent->option_names[n++] = g_strdup (parent->attr_names[i]);
  parent->n_options = n;
  parent->options_known = TRUE;
  write_options (im, parent->id, parent->option_names, n);
}

static void
woo_variation_row (ImportRun  *im,
                   const char *title)
{
  g_autofree char *reference = _omni_import_get (im, F_WOO_PARENT);
  char *by_attr[3] = { NULL, NULL, NULL };
  ImportProduct *parent;
  VariantIn v;

  woo_read_variant (im, &v);
  if (reference == NULL)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_WOO_PARENT),
                                FALSE, "a variation needs its parent’s SKU in Parent");
      goto out;
    }
  parent = woo_find_parent (im, reference);
  if (parent != NULL && parent->id == 0 && im->options->skip_invalid_rows)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_WOO_PARENT),
                                FALSE, "the parent “%s” (line %" G_GUINT64_FORMAT ") was left "
                                "out, so this variation is too", reference, parent->line);
      goto out;
    }
  if (parent == NULL)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_WOO_PARENT),
                                FALSE, "the parent “%s” is neither earlier in the file nor in "
                                "the store", reference);
      goto out;
    }

  /* Values by the parent's attribute order; a name the parent lacks is an
   * unknown option. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = _omni_import_get (im, woo_attr_names[i]);
      char *value = _omni_import_get (im, woo_attr_values[i]);
      gboolean placed = FALSE;

      if (name == NULL)
        {
          g_free (value);
          continue;
        }
      for (guint j = 0; j < 3 && !placed; j++)
        {
          const char *known = parent->options_known && !parent->created
                              ? parent->option_names[j] : parent->attr_names[j];

          if (known != NULL && g_ascii_strcasecmp (known, name) == 0)
            {
              g_free (by_attr[j]);
              by_attr[j] = value;
              placed = TRUE;
            }
        }
      if (!placed && value != NULL)
        {
          _omni_import_add_problem (im, im->line,
                                    _omni_import_column_name (im, woo_attr_names[i]), FALSE,
                                    "unknown option: “%s” is not an attribute of “%s”", name,
                                    reference);
          g_free (value);
        }
      else if (!placed)
        g_free (value);
    }

  if (parent->id > 0 && !parent->options_known && !im->row_failed)
    woo_decide_options (im, parent, by_attr);

  /* Keep the values of the product's options, in their order. */
  for (guint j = 0; j < 3; j++)
    {
      const char *option = parent->option_names[j];

      v.options[j] = NULL;
      for (guint k = 0; option != NULL && k < 3; k++)
        {
          const char *attr = parent->created ? parent->attr_names[k] : parent->option_names[k];

          if (attr != NULL && g_ascii_strcasecmp (attr, option) == 0)
            {
              v.options[j] = g_steal_pointer (&by_attr[k]);
              break;
            }
        }
    }
  for (guint k = 0; k < 3; k++)
    if (by_attr[k] != NULL && parent->options_known)
      {
        _omni_import_add_problem (im, im->line,
                                  _omni_import_column_name (im, woo_attr_values[0]), FALSE,
                                  "unknown option: “%s” has no option for the value “%s”",
                                  reference, by_attr[k]);
        g_clear_pointer (&by_attr[k], g_free);
      }

  if (parent->id > 0)
    check_option_values (im, parent, &v, woo_attr_values);
  g_free (parent->title);
  parent->title = g_strdup (title);
  write_variant (im, parent, &v);

out:
  for (guint k = 0; k < 3; k++)
    g_free (by_attr[k]);
  variant_in_clear (&v);
}

static void
woo_simple_row (ImportRun  *im,
                const char *sku,
                const char *title)
{
  g_autofree char *handle = NULL;
  ImportProduct product = { 0 };
  gint64 owner = 0;
  ProductIn p;
  VariantIn v;

  woo_read_variant (im, &v);
  woo_read_product (im, &p, title);
  if (sku != NULL && find_variant_by_sku (im, sku, &owner) > 0)
    handle = handle_of_product (im, owner);
  else
    handle = woo_handle (sku, title);

  if (handle == NULL)
    _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_TITLE), FALSE,
                              "the product has neither a SKU nor a name");
  else
    {
      start_product (im, &product, handle, &p);
      if (product.id > 0 && !product.created && product.n_options > 0)
        _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_SKU), FALSE,
                                  "“%s” is a product with options in the store, not a simple "
                                  "product", handle);
      write_variant (im, &product, &v);
    }

  _omni_import_product_clear (&product);
  product_in_clear (&p);
  variant_in_clear (&v);
}

void
_omni_import_woo_row (ImportRun *im)
{
  g_autofree char *type = _omni_import_get (im, F_WOO_TYPE);
  g_autofree char *sku = _omni_import_get (im, F_SKU);
  g_autofree char *title = _omni_import_get (im, F_TITLE);

  if (woo_type_has (type, "variation"))
    woo_variation_row (im, title);
  else if (woo_type_has (type, "variable"))
    woo_parent_row (im, sku, title);
  else if (woo_type_has (type, "grouped"))
    {
      /* A grouped product lists other products; it holds no stock itself. */
      im->result->skipped_rows++;
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_WOO_TYPE), TRUE,
                                "“%s” is a grouped product, which holds no stock of its own; "
                                "it was skipped", title ? title : sku ? sku : "");
    }
  else if (woo_type_has (type, "simple") || woo_type_has (type, "external"))
    woo_simple_row (im, sku, title);
  else
    _omni_import_add_problem (im, im->line, _omni_import_column_name (im, F_WOO_TYPE), FALSE,
                              "“%s” is not a WooCommerce product type (simple, variable, "
                              "variation, grouped or external)", type ? type : "");
}

gboolean
_omni_import_finish_rows (ImportRun  *im,
                          GError    **error)
{
  if (im->db_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&im->db_error));
      return FALSE;
    }

  for (guint i = 0; im->woo_parent_list != NULL && i < im->woo_parent_list->len; i++)
    {
      ImportProduct *parent = g_ptr_array_index (im->woo_parent_list, i);

      if (parent->id > 0 && parent->created && !parent->has_variants)
        {
          _omni_import_add_problem (im, parent->line,
                                    _omni_import_column_name (im, F_WOO_TYPE), FALSE,
                                    "the variable product “%s” has no variations in the file",
                                    parent->handle);
          /* Its row is written already: no leaving it out afterwards. */
          im->fatal = TRUE;
        }
    }
  return TRUE;
}

/* Search index --------------------------------------------------------- */

/* How write_search_rows() ranks the entries it writes on SQLite (see
 * omni-store-search.c). */
typedef enum
{
  RANK_PLACE,     /* each between its neighbours in title order */
  RANK_FILL,      /* the index was empty: one after the other, rows in title order */
  RANK_TAIL,      /* in the tail, renumbered afterwards */
} RankMode;

static gboolean
write_search_rows (ImportRun     *im,
                   const char    *sql,
                   gboolean       is_new,
                   RankMode       mode,
                   gint64        *next_rank,
                   GCancellable  *cancellable,
                   GError       **error)
{
  OmniDbStmt *select = _omni_store_prepare (im->store, sql, error);
  gint64 last_product = -1;
  g_autofree char *vendor = NULL;
  g_autofree char *tags = NULL;
  guint n = 0;
  int rc;

  if (select == NULL)
    return FALSE;
  /* The SELECT stays open while the entries are written: each is a
   * different statement. */
  omni_db_bind_int64 (select, 1, im->max_variant_id);

  while ((rc = omni_db_step (select)) == SQLITE_ROW)
    {
      gint64 id = omni_db_column_int64 (select, 0);
      gint64 product_id = omni_db_column_int64 (select, 9);
      const char *o[3];
      g_autofree char *full_title = NULL;
      g_autofree char *title = NULL;
      g_autofree char *sku = NULL;
      g_autofree char *barcode = NULL;
      OmniSearchText text;
      gint64 rank = 0;

      if ((++n & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      if (product_id != last_product)
        {
          g_free (vendor);
          g_free (tags);
          vendor = omni_text_fold ((const char *)omni_db_column_text (select, 7));
          tags = omni_text_fold ((const char *)omni_db_column_text (select, 8));
          last_product = product_id;
        }
      for (int i = 0; i < 3; i++)
        {
          o[i] = (const char *)omni_db_column_text (select, 2 + i);
          if (o[i] == NULL)
            o[i] = "";
        }
      /* The same text omni-store-catalog.c's writer stores. */
      full_title = g_strjoin (" ", (const char *)omni_db_column_text (select, 1),
                              o[0], o[1], o[2], NULL);
      title = omni_text_fold (full_title);
      sku = omni_text_fold ((const char *)omni_db_column_text (select, 5));
      barcode = omni_text_fold ((const char *)omni_db_column_text (select, 6));

      if (mode == RANK_FILL)
        rank = *next_rank += OMNI_SEARCH_RANK_GAP;
      else if (mode == RANK_TAIL)
        rank = (*next_rank)++;
      text = (OmniSearchText) {
        .title = title, .sku = sku, .barcode = barcode, .vendor = vendor, .tags = tags,
      };
      if (!_omni_store_search_put (im->store, id, &text, is_new, rank, error))
        goto fail;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (im->store, error, rc, "Could not index the imported products");
      goto fail;
    }
  omni_db_reset (select);
  return TRUE;

fail:
  omni_db_reset (select);
  return FALSE;
}

#define SEARCH_COLUMNS \
  "SELECT v.id, p.title, v.option1, v.option2, v.option3, v.sku, v.barcode," \
  " p.vendor, p.tags, p.id"

/* Writes the search entries of every variant the import created or changed,
 * once each, at the end: new ones first, changed ones replaced.
 *
 * On SQLite the new ones go into an empty index one after the other in
 * title order (merged into one segment afterwards); into a small one (a
 * tenth of the new ones or fewer) in the tail, renumbered afterwards;
 * otherwise each between its neighbours. The index is renumbered, too,
 * when its tail has grown past a hundredth of its entries (and a
 * thousand). */
gboolean
_omni_import_write_search_index (ImportRun     *im,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  gboolean lite = !_omni_store_is_postgresql (im->store);
  gint64 ranked = 0, tail = 0, added = 0, next_rank = 0;
  RankMode mode = RANK_PLACE;
  g_autoptr(GArray) renamed = g_array_new (FALSE, FALSE, sizeof (gint64));
  OmniDbStmt *stmt;
  int rc;

  /* Products written again (a new title, perhaps): their entries out of the
   * index first, as they may all be out of order at once. */
  stmt = _omni_store_prepare (im->store, "SELECT product_id FROM temp.omni_import_product"
                                         " WHERE reindex = 1", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = omni_db_column_int64 (stmt, 0);

      g_array_append_val (renamed, id);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (im->store, error, rc, "Could not index the imported products");
      return FALSE;
    }
  for (guint i = 0; i < renamed->len; i++)
    if (!_omni_store_search_forget_product (im->store, g_array_index (renamed, gint64, i), error))
      return FALSE;

  if (lite)
    {
      tail = _omni_store_search_tail (im->store, &ranked, error);
      if (tail < 0)
        return FALSE;
      stmt = _omni_store_prepare (im->store, "SELECT count (*) FROM variants WHERE id > ?1",
                                  error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, im->max_variant_id);
      if (omni_db_step (stmt) == SQLITE_ROW)
        added = omni_db_column_int64 (stmt, 0);
      omni_db_reset (stmt);

      if (ranked == 0)
        mode = RANK_FILL;
      else if (added >= 10 * ranked)
        {
          mode = RANK_TAIL;
          /* past every rank in use, the tail's included */
          stmt = _omni_store_prepare (im->store, "SELECT max (rank) FROM search_ranks", error);
          if (stmt == NULL)
            return FALSE;
          if (omni_db_step (stmt) == SQLITE_ROW)
            next_rank = MAX (omni_db_column_int64 (stmt, 0) + 1, OMNI_SEARCH_RANK_TAIL);
          omni_db_reset (stmt);
        }
    }

  if (!write_search_rows (im, SEARCH_COLUMNS
                          " FROM variants v JOIN products p ON p.id = v.product_id"
                          " WHERE v.id > ?1"
                          " ORDER BY p.title COLLATE NOCASE, p.id, v.position, v.id",
                          TRUE, mode, &next_rank, cancellable, error) ||
      !write_search_rows (im, SEARCH_COLUMNS
                          " FROM temp.omni_import_variant t"
                          " JOIN variants v ON v.id = t.variant_id"
                          " JOIN products p ON p.id = v.product_id"
                          " WHERE t.reindex = 1 AND v.id <= ?1 ORDER BY v.id",
                          FALSE, RANK_PLACE, NULL, cancellable, error) ||
      !write_search_rows (im, SEARCH_COLUMNS
                          " FROM temp.omni_import_product t"
                          " JOIN variants v ON v.product_id = t.product_id"
                          " JOIN products p ON p.id = v.product_id"
                          " WHERE t.reindex = 1 AND v.id <= ?1 ORDER BY v.id",
                          FALSE, RANK_PLACE, NULL, cancellable, error))
    return FALSE;

  if (lite && mode != RANK_TAIL)
    {
      tail = _omni_store_search_tail (im->store, &ranked, error);
      if (tail < 0)
        return FALSE;
    }
  if (lite && (mode == RANK_TAIL || (tail > 1000 && tail > ranked / 100)))
    return _omni_store_search_renumber (im->store, error);
  /* a whole new index: one segment, as a renumbering leaves it */
  if (mode == RANK_FILL)
    return _omni_store_search_optimize (im->store, error);
  return TRUE;
}
