/* omni-export.c: streaming CSV export of products and stock levels
 *
 * One SELECT walks the catalog in product order and each row is written as
 * it comes, so memory does not grow with the catalog. While that statement
 * is open its read transaction holds one snapshot: the file is consistent
 * even when other writers carry on (WAL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-export"

#include "config.h"

#include "omni-csv.h"
#include "omni-export.h"
#include "omni-money.h"
#include "omni-store-private.h"

gboolean
omni_export_format_from_string (const char       *text,
                                OmniExportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_strcmp0 (text, "shopify") == 0)
    *format = OMNI_EXPORT_FORMAT_SHOPIFY;
  else if (g_strcmp0 (text, "generic") == 0)
    *format = OMNI_EXPORT_FORMAT_GENERIC;
  else
    return FALSE;
  return TRUE;
}

static const char * const shopify_product_header[] = {
  "Handle", "Title", "Body (HTML)", "Vendor", "Type", "Tags", "Published",
  "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value",
  "Option3 Name", "Option3 Value", "Variant SKU", "Variant Grams",
  "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Price",
  "Variant Compare At Price", "Variant Barcode", "Cost per item", "Status",
};

static const char * const generic_product_header[] = {
  "handle", "title", "description", "vendor", "product_type", "tags", "status",
  "option1_name", "option1", "option2_name", "option2", "option3_name", "option3",
  "sku", "barcode", "price", "compare_at_price", "cost", "weight_grams", "quantity",
};

static const char * const shopify_inventory_header[] = {
  "Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value",
  "Option3 Name", "Option3 Value", "SKU", "Location", "Committed", "Available", "On hand",
};

static const char * const generic_inventory_header[] = {
  "handle", "title", "option1", "option2", "option3", "sku", "barcode", "location",
  "on_hand", "committed", "available",
};

static const char * const movements_header[] = {
  "time", "operation", "op_id", "sku", "title", "options", "location", "on_hand_delta",
  "committed_delta", "reason", "source", "reference", "note", "actor",
};

typedef struct
{
  OmniStore     *store;
  OmniCsvWriter *writer;
  char          *currency;
  gint64         product_id;
  char          *option_names[3];
} Export;

static void
export_clear (Export *ex)
{
  g_clear_pointer (&ex->writer, omni_csv_writer_free);
  g_free (ex->currency);
  for (guint i = 0; i < 3; i++)
    g_free (ex->option_names[i]);
}

static const char *
column (OmniDbStmt *stmt,
        int           index)
{
  const char *text = (const char *)omni_db_column_text (stmt, index);

  return text ? text : "";
}

static char *
format_int (OmniDbStmt *stmt,
            int           index)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)omni_db_column_int64 (stmt, index));
}

/* An amount as a plain number in major units ("25.00"); "" when unset. */
static char *
format_money (Export       *ex,
              OmniDbStmt *stmt,
              int           index)
{
  if (omni_db_column_type (stmt, index) == SQLITE_NULL)
    return g_strdup ("");
  return omni_money_format (omni_db_column_int64 (stmt, index), NULL);
  (void)ex;
}

static gboolean
load_option_names (Export  *ex,
                   gint64   product_id,
                   GError **error)
{
  OmniDbStmt *stmt;

  if (product_id == ex->product_id)
    return TRUE;
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&ex->option_names[i], g_free);
  ex->product_id = product_id;

  stmt = _omni_store_prepare (ex->store, "SELECT position, name FROM product_options"
                                         " WHERE product_id = ?1 ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product_id);
  while (omni_db_step (stmt) == SQLITE_ROW)
    {
      int position = omni_db_column_int (stmt, 0);

      if (position >= 1 && position <= 3)
        ex->option_names[position - 1] = g_strdup (column (stmt, 1));
    }
  omni_db_reset (stmt);
  return TRUE;
}

static gboolean
start_export (Export         *ex,
              OmniStore      *store,
              GOutputStream  *stream,
              const char * const *header,
              guint           n_columns,
              GError        **error)
{
  OmniCsvWriterOptions options = { 0 };

  ex->store = store;
  ex->currency = omni_store_get_setting (store, "currency");
  ex->product_id = -1;
  ex->writer = omni_csv_writer_new (stream, &options);
  return omni_csv_writer_write_row (ex->writer, header, n_columns, error);
}

typedef gboolean (*WriteRow) (Export *, OmniDbStmt *, GError **);

/* Steps @stmt (prepared and bound) and writes each row, then closes. */
static gboolean
walk_stmt (Export        *ex,
           OmniDbStmt  *stmt,
           WriteRow       write,
           guint64       *rows_out,
           GCancellable  *cancellable,
           GError       **error)
{
  guint64 rows = 0;
  int rc;

  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !write (ex, stmt, error))
        {
          omni_db_reset (stmt);
          return FALSE;
        }
      rows++;
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (ex->store, error, rc, "Could not read the catalog");
      return FALSE;
    }
  if (rows_out != NULL)
    *rows_out = rows;
  return omni_csv_writer_close (ex->writer, error);
}

static gboolean
walk (Export        *ex,
      const char    *sql,
      WriteRow       write,
      guint64       *rows_out,
      GCancellable  *cancellable,
      GError       **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (ex->store, sql, error);

  return stmt != NULL && walk_stmt (ex, stmt, write, rows_out, cancellable, error);
}

/* Columns: 0 product id, 1 handle, 2 title, 3 body, 4 vendor, 5 type,
 * 6 tags, 7 status, 8–10 options, 11 sku, 12 barcode, 13 price,
 * 14 compare-at, 15 cost, 16 grams, 17 on hand. */
#define PRODUCT_SQL \
  "SELECT p.id, p.handle, p.title, p.body, p.vendor, p.product_type, p.tags, p.status," \
  " v.option1, v.option2, v.option3, v.sku, v.barcode, v.price, v.compare_at_price," \
  " v.cost, v.weight_grams, v.on_hand" \
  " FROM products p JOIN variants v ON v.product_id = p.id" \
  " WHERE v.archived = 0 OR p.status = 'archived'" \
  " ORDER BY p.id, v.position, v.id"

static gboolean
write_shopify_product (Export        *ex,
                       OmniDbStmt  *stmt,
                       GError       **error)
{
  gint64 product_id = omni_db_column_int64 (stmt, 0);
  gboolean first = product_id != ex->product_id;
  g_autofree char *grams = format_int (stmt, 16);
  g_autofree char *qty = format_int (stmt, 17);
  g_autofree char *price = format_money (ex, stmt, 13);
  g_autofree char *compare = format_money (ex, stmt, 14);
  g_autofree char *cost = format_money (ex, stmt, 15);
  const char *status = column (stmt, 7);
  const char *fields[G_N_ELEMENTS (shopify_product_header)] = { 0 };
  gboolean no_options;

  if (!load_option_names (ex, product_id, error))
    return FALSE;
  no_options = ex->option_names[0] == NULL;

  fields[0] = column (stmt, 1);
  if (first)
    {
      fields[1] = column (stmt, 2);
      fields[2] = column (stmt, 3);
      fields[3] = column (stmt, 4);
      fields[4] = column (stmt, 5);
      fields[5] = column (stmt, 6);
      fields[6] = g_str_equal (status, "active") ? "TRUE" : "FALSE";
      fields[21] = status;
    }
  for (guint i = 0; i < 3; i++)
    {
      if (first)
        fields[7 + 2 * i] = ex->option_names[i];
      fields[8 + 2 * i] = column (stmt, 8 + (int)i);
    }
  if (no_options)
    {
      fields[7] = first ? "Title" : NULL;
      fields[8] = "Default Title";
    }
  fields[13] = column (stmt, 11);
  fields[14] = grams;
  fields[15] = "shopify";
  fields[16] = qty;
  fields[17] = price;
  fields[18] = compare;
  fields[19] = column (stmt, 12);
  fields[20] = cost;
  return omni_csv_writer_write_row (ex->writer, fields, G_N_ELEMENTS (fields), error);
}

static gboolean
write_generic_product (Export        *ex,
                       OmniDbStmt  *stmt,
                       GError       **error)
{
  gint64 product_id = omni_db_column_int64 (stmt, 0);
  g_autofree char *grams = format_int (stmt, 16);
  g_autofree char *qty = format_int (stmt, 17);
  g_autofree char *price = format_money (ex, stmt, 13);
  g_autofree char *compare = format_money (ex, stmt, 14);
  g_autofree char *cost = format_money (ex, stmt, 15);
  const char *fields[G_N_ELEMENTS (generic_product_header)] = { 0 };

  if (!load_option_names (ex, product_id, error))
    return FALSE;
  for (int i = 0; i < 7; i++)
    fields[i] = column (stmt, 1 + i);
  for (guint i = 0; i < 3; i++)
    {
      fields[7 + 2 * i] = ex->option_names[i];
      fields[8 + 2 * i] = column (stmt, 8 + (int)i);
    }
  fields[13] = column (stmt, 11);
  fields[14] = column (stmt, 12);
  fields[15] = price;
  fields[16] = compare;
  fields[17] = cost;
  fields[18] = grams;
  fields[19] = qty;
  return omni_csv_writer_write_row (ex->writer, fields, G_N_ELEMENTS (fields), error);
}

/**
 * omni_export_products:
 * @stream: where the CSV goes; it is closed at the end
 * @rows_out: (out) (optional): variants written
 *
 * Writes every active variant (and every variant of an archived product)
 * with its product. The Shopify layout imports back into OmniStock (and
 * into Shopify) with nothing lost but the split of stock over locations,
 * which the inventory export keeps.
 */
gboolean
omni_export_products (OmniStore         *store,
                      GOutputStream     *stream,
                      OmniExportFormat   format,
                      guint64           *rows_out,
                      GCancellable      *cancellable,
                      GError           **error)
{
  Export ex = { 0 };
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (format == OMNI_EXPORT_FORMAT_SHOPIFY)
    ok = start_export (&ex, store, stream, shopify_product_header,
                       G_N_ELEMENTS (shopify_product_header), error) &&
         walk (&ex, PRODUCT_SQL, write_shopify_product, rows_out, cancellable, error);
  else
    ok = start_export (&ex, store, stream, generic_product_header,
                       G_N_ELEMENTS (generic_product_header), error) &&
         walk (&ex, PRODUCT_SQL, write_generic_product, rows_out, cancellable, error);
  export_clear (&ex);
  return ok;
}

/* Columns: 0 product id, 1 handle, 2 title, 3–5 options, 6 sku, 7 barcode,
 * 8 location, 9 on hand, 10 committed, 11 available. */
#define INVENTORY_SQL \
  "SELECT p.id, p.handle, p.title, v.option1, v.option2, v.option3, v.sku, v.barcode," \
  " l.name, s.on_hand, s.committed, s.available" \
  " FROM stock_levels s JOIN variants v ON v.id = s.variant_id" \
  " JOIN products p ON p.id = v.product_id JOIN locations l ON l.id = s.location_id" \
  " WHERE v.archived = 0" \
  " ORDER BY p.id, v.position, v.id, l.name"

static gboolean
write_shopify_level (Export        *ex,
                     OmniDbStmt  *stmt,
                     GError       **error)
{
  g_autofree char *committed = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (gint64)omni_db_column_int64 (stmt, 10));
  g_autofree char *available = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (gint64)omni_db_column_int64 (stmt, 11));
  g_autofree char *on_hand = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              (gint64)omni_db_column_int64 (stmt, 9));
  const char *fields[G_N_ELEMENTS (shopify_inventory_header)] = { 0 };

  if (!load_option_names (ex, omni_db_column_int64 (stmt, 0), error))
    return FALSE;
  fields[0] = column (stmt, 1);
  fields[1] = column (stmt, 2);
  for (guint i = 0; i < 3; i++)
    {
      fields[2 + 2 * i] = ex->option_names[i];
      fields[3 + 2 * i] = column (stmt, 3 + (int)i);
    }
  if (ex->option_names[0] == NULL)
    {
      fields[2] = "Title";
      fields[3] = "Default Title";
    }
  fields[8] = column (stmt, 6);
  fields[9] = column (stmt, 8);
  fields[10] = committed;
  fields[11] = available;
  fields[12] = on_hand;
  return omni_csv_writer_write_row (ex->writer, fields, G_N_ELEMENTS (fields), error);
}

static gboolean
write_generic_level (Export        *ex,
                     OmniDbStmt  *stmt,
                     GError       **error)
{
  g_autofree char *on_hand = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              (gint64)omni_db_column_int64 (stmt, 9));
  g_autofree char *committed = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (gint64)omni_db_column_int64 (stmt, 10));
  g_autofree char *available = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (gint64)omni_db_column_int64 (stmt, 11));
  const char *fields[G_N_ELEMENTS (generic_inventory_header)];

  for (int i = 0; i < 8; i++)
    fields[i] = column (stmt, 1 + i);
  fields[8] = on_hand;
  fields[9] = committed;
  fields[10] = available;
  (void)ex;
  return omni_csv_writer_write_row (ex->writer, fields, G_N_ELEMENTS (fields), error);
}

/**
 * omni_export_inventory:
 *
 * Writes one row per stock level (variant and location). The Shopify layout
 * is Shopify's inventory CSV, which omni_import_file() reads back.
 */
gboolean
omni_export_inventory (OmniStore         *store,
                       GOutputStream     *stream,
                       OmniExportFormat   format,
                       guint64           *rows_out,
                       GCancellable      *cancellable,
                       GError           **error)
{
  Export ex = { 0 };
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (format == OMNI_EXPORT_FORMAT_SHOPIFY)
    ok = start_export (&ex, store, stream, shopify_inventory_header,
                       G_N_ELEMENTS (shopify_inventory_header), error) &&
         walk (&ex, INVENTORY_SQL, write_shopify_level, rows_out, cancellable, error);
  else
    ok = start_export (&ex, store, stream, generic_inventory_header,
                       G_N_ELEMENTS (generic_inventory_header), error) &&
         walk (&ex, INVENTORY_SQL, write_generic_level, rows_out, cancellable, error);
  export_clear (&ex);
  return ok;
}

/* Columns: 0 time, 1 operation, 2 op_id, 3 sku, 4 title, 5–7 options,
 * 8 location, 9 on-hand delta, 10 committed delta, 11 reason, 12 source,
 * 13 reference, 14 note, 15 actor. */
#define MOVEMENTS_SQL \
  "SELECT m.created_at, m.operation, m.op_id, v.sku, p.title, v.option1, v.option2," \
  " v.option3, l.name, m.on_hand_delta, m.committed_delta, m.reason, m.source," \
  " m.reference, m.note, m.actor" \
  " FROM movements m JOIN variants v ON v.id = m.variant_id" \
  " JOIN products p ON p.id = v.product_id JOIN locations l ON l.id = m.location_id" \
  " WHERE (CAST (?1 AS TEXT) IS NULL OR m.created_at >= ?1)" \
  "   AND (CAST (?2 AS TEXT) IS NULL OR m.created_at < ?2)" \
  " ORDER BY m.id"

static gboolean
write_movement (Export        *ex,
                OmniDbStmt  *stmt,
                GError       **error)
{
  g_autofree char *on_hand = format_int (stmt, 9);
  g_autofree char *committed = format_int (stmt, 10);
  g_autofree char *options = NULL;
  const char *fields[G_N_ELEMENTS (movements_header)];
  GString *joined = g_string_new (NULL);

  for (int i = 5; i <= 7; i++)
    if (omni_db_column_type (stmt, i) != SQLITE_NULL)
      g_string_append_printf (joined, "%s%s", joined->len ? " / " : "", column (stmt, i));
  options = g_string_free (joined, FALSE);

  for (int i = 0; i < 5; i++)
    fields[i] = column (stmt, i);
  fields[5] = options;
  fields[6] = column (stmt, 8);
  fields[7] = on_hand;
  fields[8] = committed;
  for (int i = 9; i < 14; i++)
    fields[i] = column (stmt, i + 2);
  return omni_csv_writer_write_row (ex->writer, fields, G_N_ELEMENTS (fields), error);
}

/**
 * omni_export_movements:
 * @from: (nullable): UTC ISO 8601 date or time, inclusive
 * @to: (nullable): UTC ISO 8601 date or time, exclusive
 *
 * Writes the ledger in order, one row per movement, as the generic CSV
 * (the layout has no Shopify counterpart).
 */
gboolean
omni_export_movements (OmniStore      *store,
                       GOutputStream  *stream,
                       const char     *from,
                       const char     *to,
                       guint64        *rows_out,
                       GCancellable   *cancellable,
                       GError        **error)
{
  Export ex = { 0 };
  OmniDbStmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (start_export (&ex, store, stream, movements_header, G_N_ELEMENTS (movements_header),
                    error) &&
      (stmt = _omni_store_prepare (store, MOVEMENTS_SQL, error)) != NULL)
    {
      _omni_store_bind_text_or_null (stmt, 1, from);
      _omni_store_bind_text_or_null (stmt, 2, to);
      ok = walk_stmt (&ex, stmt, write_movement, rows_out, cancellable, error);
    }
  export_clear (&ex);
  return ok;
}
