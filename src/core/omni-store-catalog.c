/* omni-store-catalog.c: locations, products and variants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include "omni-store-catalog.h"
#include "omni-store-private.h"
#include "omni-text.h"

#define MAX_OPTIONS 3

/* Locations ----------------------------------------------------------- */

/**
 * omni_store_add_location:
 * @name: unique (case-insensitive) name, e.g. "Shop Floor"
 * @is_default: make it the default location (the previous default stops being it)
 *
 * The first location of a store always becomes the default.
 *
 * Returns: the new location id, or 0 with @error set
 */
gint64
omni_store_add_location (OmniStore   *self,
                         const char  *name,
                         gboolean     is_default,
                         GError     **error)
{
  g_autofree char *now = NULL;
  OmniDbStmt *stmt;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (!omni_text_check (name, "Location name", 120, TRUE, error))
    return 0;
  if (omni_store_find_location (self, name, NULL) > 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "A location named “%s” already exists", name);
      return 0;
    }
  if (omni_store_get_default_location (self, NULL) == 0)
    is_default = TRUE;

  if (!omni_store_begin (self, error))
    return 0;

  if (is_default)
    {
      stmt = _omni_store_prepare (self,
                                  "UPDATE locations SET is_default = 0 WHERE is_default = 1",
                                  error);
      if (stmt == NULL || !_omni_store_step_done (self, stmt, error))
        goto fail;
    }

  stmt = _omni_store_prepare (self,
                              "INSERT INTO locations (name, is_default, created_at) "
                              "VALUES (?1, ?2, ?3) RETURNING id",
                              error);
  if (stmt == NULL)
    goto fail;
  now = _omni_store_format_time (0);
  omni_db_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  omni_db_bind_int (stmt, 2, is_default ? 1 : 0);
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  id = _omni_store_step_insert (self, stmt, error);
  if (id == 0)
    goto fail;

  if (!omni_store_commit (self, error))
    return 0;
  return id;

fail:
  omni_store_rollback (self);
  return 0;
}

static gint64
lookup_id (OmniStore   *self,
           const char  *sql,
           const char  *key,
           GError     **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, sql, error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  if (key != NULL)
    omni_db_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    _omni_store_set_error (self, error, rc, "Could not look up the record");
  omni_db_reset (stmt);
  return id;
}

/**
 * omni_store_find_location:
 *
 * Returns: the id of the active location called @name (any case), or 0 with
 *   %OMNI_STORE_ERROR_NOT_FOUND
 */
gint64
omni_store_find_location (OmniStore   *self,
                          const char  *name,
                          GError     **error)
{
  GError *local_error = NULL;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  id = lookup_id (self, "SELECT id FROM locations WHERE name = ?1 AND archived = 0",
                  name, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (id == 0)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "There is no location named “%s”", name);
  return id;
}

/**
 * omni_store_get_default_location:
 *
 * Returns: the default location's id, or 0 with %OMNI_STORE_ERROR_NOT_FOUND
 *   when the store has no location yet
 */
gint64
omni_store_get_default_location (OmniStore  *self,
                                 GError    **error)
{
  GError *local_error = NULL;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  id = lookup_id (self, "SELECT id FROM locations WHERE is_default = 1 AND archived = 0",
                  NULL, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (id == 0)
    g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                         "The store has no default location yet");
  return id;
}

/* Products ------------------------------------------------------------ */

gboolean
_omni_store_validate_product (const OmniProductSpec  *product,
                              guint                  *n_options,
                              GError                **error)
{
  static const char * const statuses[] = { "active", "draft", "archived", NULL };

  if (!omni_text_check (product->title, "Title", OMNI_TEXT_MAX_LINE, TRUE, error) ||
      !omni_text_check (product->handle, "Handle", OMNI_TEXT_MAX_LINE, FALSE, error) ||
      !omni_text_check (product->body, "Description", OMNI_TEXT_MAX_BODY, FALSE, error) ||
      !omni_text_check (product->vendor, "Vendor", OMNI_TEXT_MAX_LINE, FALSE, error) ||
      !omni_text_check (product->product_type, "Product type", OMNI_TEXT_MAX_LINE, FALSE, error) ||
      !omni_text_check (product->tags, "Tags", 4096, FALSE, error))
    return FALSE;

  if (product->status != NULL && !g_strv_contains (statuses, product->status))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "Status must be active, draft or archived, not “%s”", product->status);
      return FALSE;
    }

  *n_options = 0;
  for (guint i = 0; i < MAX_OPTIONS; i++)
    {
      const char *name = product->option_names[i];

      if (omni_text_is_blank (name))
        continue;
      if (i != *n_options)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "Option %u is set but option %u is empty; options fill from the first",
                       i + 1, *n_options + 1);
          return FALSE;
        }
      if (!omni_text_check (name, "Option name", OMNI_TEXT_MAX_LINE, TRUE, error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (g_utf8_collate (product->option_names[j], name) == 0)
          {
            g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                         "Option name “%s” is used twice", name);
            return FALSE;
          }
      (*n_options)++;
    }

  return TRUE;
}

gboolean
_omni_store_validate_variant (const OmniVariantSpec  *variant,
                              guint                   index,
                              guint                   n_options,
                              GError                **error)
{
  if (!omni_text_check (variant->sku, "SKU", OMNI_TEXT_MAX_LINE, FALSE, error) ||
      !omni_text_check (variant->barcode, "Barcode", 64, FALSE, error) ||
      !omni_barcode_check (variant->barcode, error))
    goto fail;

  for (guint i = 0; i < MAX_OPTIONS; i++)
    {
      gboolean blank = omni_text_is_blank (variant->options[i]);

      if (i < n_options && blank)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "Option %u needs a value", i + 1);
          goto fail;
        }
      if (i >= n_options && !blank)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "Option value “%s” given, but the product has no option %u",
                       variant->options[i], i + 1);
          goto fail;
        }
      if (!omni_text_check (variant->options[i], "Option value", OMNI_TEXT_MAX_LINE,
                            FALSE, error))
        goto fail;
    }

  /* -1 means "not set" for the compare-at price and the cost. */
  if (variant->price < 0 || variant->compare_at_price < -1 || variant->cost < -1)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           variant->price < 0 ? "Price cannot be negative"
                           : variant->cost < -1 ? "Cost cannot be negative"
                           : "Compare-at price cannot be negative");
      goto fail;
    }
  if (variant->weight_grams < 0)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "Weight cannot be negative");
      goto fail;
    }
  return TRUE;

fail:
  g_prefix_error (error, "Variant %u%s%s%s: ", index + 1,
                  variant->sku ? " (" : "", variant->sku ? variant->sku : "",
                  variant->sku ? ")" : "");
  return FALSE;
}

/* Handles are unique: a derived one gets -2, -3, … until it is free. */
static char *
unique_handle (OmniStore  *self,
               const char *wanted,
               gboolean    derived,
               GError    **error)
{
  static const char sql[] = "SELECT id FROM products WHERE handle = ?1";
  g_autofree char *candidate = g_strdup (wanted);

  for (guint n = 2; lookup_id (self, sql, candidate, NULL) > 0; n++)
    {
      if (!derived)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "A product with the handle “%s” already exists", wanted);
          return NULL;
        }
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u", wanted, n);
    }

  return g_steal_pointer (&candidate);
}

static gint64
insert_product_row (OmniStore              *self,
                    const OmniProductSpec  *product,
                    const char             *handle,
                    const char             *now,
                    GError                **error)
{
  g_autofree char *tags = omni_text_normalize_tags (product->tags);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO products (handle, title, body, vendor, product_type,"
                              " tags, status, created_at, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
                              error);
  if (stmt == NULL)
    return 0;

  omni_db_bind_text (stmt, 1, handle, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 2, product->title, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, product->body ? product->body : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, product->vendor ? product->vendor : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 5, product->product_type ? product->product_type : "", -1,
                     SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 6, tags, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 7, product->status ? product->status : "active", -1,
                     SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);

  return _omni_store_step_insert (self, stmt, error);
}

static gboolean
insert_options (OmniStore              *self,
                gint64                  product_id,
                const OmniProductSpec  *product,
                guint                   n_options,
                GError                **error)
{
  for (guint i = 0; i < n_options; i++)
    {
      OmniDbStmt *stmt = _omni_store_prepare (self,
                                                "INSERT INTO product_options"
                                                " (product_id, position, name)"
                                                " VALUES (?1, ?2, ?3)",
                                                error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, product_id);
      omni_db_bind_int (stmt, 2, (int)i + 1);
      omni_db_bind_text (stmt, 3, product->option_names[i], -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Writes a variant's search entry: folded title with option values, SKU,
 * barcode, vendor and tags. */
static gboolean
write_index_row (OmniStore   *self,
                 gint64       variant_id,
                 const char  *title,
                 const char  *options[3],
                 const char  *sku,
                 const char  *barcode,
                 const char  *vendor,
                 const char  *tags,
                 GError     **error)
{
  g_autofree char *full_title = NULL;
  g_autofree char *title_folded = NULL;
  g_autofree char *sku_folded = omni_text_fold (sku);
  g_autofree char *barcode_folded = omni_text_fold (barcode);
  g_autofree char *vendor_folded = omni_text_fold (vendor);
  g_autofree char *tags_folded = omni_text_fold (tags);
  OmniSearchText text;

  /* Option values are searchable with the title ("tee red"). */
  full_title = g_strjoin (" ", title ? title : "", options[0] ? options[0] : "",
                          options[1] ? options[1] : "", options[2] ? options[2] : "", NULL);
  title_folded = omni_text_fold (full_title);

  text = (OmniSearchText) {
    .title = title_folded, .sku = sku_folded, .barcode = barcode_folded,
    .vendor = vendor_folded, .tags = tags_folded,
  };
  return _omni_store_search_put (self, variant_id, &text, FALSE, 0, error);
}

/* Rewrites a variant's search entry from what is stored, after an edit. */
gboolean
_omni_store_reindex_variant (OmniStore  *self,
                             gint64      variant_id,
                             GError    **error)
{
  g_autofree char *title = NULL, *sku = NULL, *barcode = NULL, *vendor = NULL, *tags = NULL;
  g_autofree char *o1 = NULL, *o2 = NULL, *o3 = NULL;
  const char *options[3];
  OmniDbStmt *stmt;
  gboolean found = FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT p.title, v.option1, v.option2, v.option3, v.sku,"
                              " v.barcode, p.vendor, p.tags"
                              " FROM variants v JOIN products p ON p.id = v.product_id"
                              " WHERE v.id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      title = g_strdup ((const char *)omni_db_column_text (stmt, 0));
      o1 = g_strdup ((const char *)omni_db_column_text (stmt, 1));
      o2 = g_strdup ((const char *)omni_db_column_text (stmt, 2));
      o3 = g_strdup ((const char *)omni_db_column_text (stmt, 3));
      sku = g_strdup ((const char *)omni_db_column_text (stmt, 4));
      barcode = g_strdup ((const char *)omni_db_column_text (stmt, 5));
      vendor = g_strdup ((const char *)omni_db_column_text (stmt, 6));
      tags = g_strdup ((const char *)omni_db_column_text (stmt, 7));
    }
  omni_db_reset (stmt);

  if (!found)
    return _omni_store_require_variant (self, variant_id, error);

  options[0] = o1;
  options[1] = o2;
  options[2] = o3;
  return write_index_row (self, variant_id, title, options, sku, barcode, vendor, tags, error);
}

static gint64
insert_variant (OmniStore              *self,
                gint64                  product_id,
                guint                   position,
                const OmniProductSpec  *product,
                const OmniVariantSpec  *variant,
                const char             *now,
                GError                **error)
{
  GError *local_error = NULL;
  OmniDbStmt *stmt;
  gint64 id;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO variants (product_id, position, sku, barcode,"
                              " option1, option2, option3, price, compare_at_price, cost,"
                              " weight_grams, reorder_point, reorder_qty, archived,"
                              " created_at, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                              " ?13, ?14, ?15, ?15) RETURNING id",
                              error);
  if (stmt == NULL)
    return 0;

  omni_db_bind_int64 (stmt, 1, product_id);
  omni_db_bind_int (stmt, 2, (int)position);
  _omni_store_bind_text_or_null (stmt, 3, variant->sku);
  _omni_store_bind_text_or_null (stmt, 4, variant->barcode);
  for (int i = 0; i < MAX_OPTIONS; i++)
    _omni_store_bind_text_or_null (stmt, 5 + i, variant->options[i]);
  omni_db_bind_int64 (stmt, 8, variant->price);
  _omni_store_bind_int_or_null (stmt, 9, variant->compare_at_price);
  _omni_store_bind_int_or_null (stmt, 10, variant->cost);
  omni_db_bind_int64 (stmt, 11, variant->weight_grams);
  _omni_store_bind_int_or_null (stmt, 12, variant->reorder_point);
  _omni_store_bind_int_or_null (stmt, 13, variant->reorder_qty);
  omni_db_bind_int (stmt, 14, g_strcmp0 (product->status, "archived") == 0);
  omni_db_bind_text (stmt, 15, now, -1, SQLITE_TRANSIENT);

  id = _omni_store_step_insert (self, stmt, &local_error);
  if (id == 0)
    {
      if (g_error_matches (local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT))
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "SKU “%s” is already used by another active variant", variant->sku);
        }
      g_propagate_error (error, local_error);
      return 0;
    }

  if (!write_index_row (self, id, product->title, (const char **)variant->options, variant->sku,
                        variant->barcode, product->vendor, product->tags, error))
    return 0;
  return id;
}

/**
 * omni_store_create_product:
 * @product: the product
 * @variants: (array length=n_variants): at least one variant
 * @variant_ids_out: (out caller-allocates) (optional): n_variants ids
 *
 * Creates a product with its options and variants in one transaction, and
 * indexes every variant for search. Nothing is written when any part is
 * invalid; the error names the field (and the variant) at fault.
 *
 * Returns: the product id, or 0 with @error set
 */
gint64
omni_store_create_product (OmniStore              *self,
                           const OmniProductSpec  *product,
                           const OmniVariantSpec  *variants,
                           guint                   n_variants,
                           gint64                 *variant_ids_out,
                           GError                **error)
{
  g_autofree char *handle = NULL;
  g_autofree char *wanted = NULL;
  g_autofree char *now = NULL;
  guint n_options = 0;
  gint64 product_id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (product != NULL, 0);
  g_return_val_if_fail (variants != NULL || n_variants == 0, 0);

  if (!_omni_store_validate_product (product, &n_options, error))
    return 0;
  if (n_variants == 0)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "A product needs at least one variant");
      return 0;
    }
  for (guint i = 0; i < n_variants; i++)
    if (!_omni_store_validate_variant (&variants[i], i, n_options, error))
      return 0;

  if (!omni_store_begin (self, error))
    return 0;

  wanted = omni_text_is_blank (product->handle) ? omni_text_slugify (product->title)
                                                : g_strdup (product->handle);
  handle = unique_handle (self, wanted, omni_text_is_blank (product->handle), error);
  now = _omni_store_format_time (0);
  if (handle == NULL ||
      (product_id = insert_product_row (self, product, handle, now, error)) == 0 ||
      !insert_options (self, product_id, product, n_options, error))
    goto fail;

  for (guint i = 0; i < n_variants; i++)
    {
      gint64 id = insert_variant (self, product_id, i + 1, product, &variants[i], now, error);

      if (id == 0)
        goto fail;
      if (variant_ids_out != NULL)
        variant_ids_out[i] = id;
    }

  if (!omni_store_commit (self, error))
    return 0;
  return product_id;

fail:
  omni_store_rollback (self);
  return 0;
}

/**
 * omni_store_find_variant:
 * @sku_or_barcode: a SKU (exact) or a barcode
 *
 * Finds the active variant a scanner or a script names: by SKU first, then by
 * barcode.
 *
 * Returns: the variant id, or 0 with %OMNI_STORE_ERROR_NOT_FOUND
 */
gint64
omni_store_find_variant (OmniStore   *self,
                         const char  *sku_or_barcode,
                         GError     **error)
{
  GError *local_error = NULL;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (sku_or_barcode != NULL, 0);

  /* one statement: each search asks this too */
  id = lookup_id (self,
                  "SELECT coalesce ((SELECT id FROM variants WHERE sku = ?1 AND archived = 0),"
                  " (SELECT id FROM variants WHERE barcode = ?1 AND archived = 0"
                  "  ORDER BY id LIMIT 1))",
                  sku_or_barcode, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (id == 0)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "No active variant has the SKU or barcode “%s”", sku_or_barcode);
  return id;
}

/* NOT_FOUND with a sentence when @variant_id names no variant. */
gboolean
_omni_store_require_variant (OmniStore  *self,
                             gint64      variant_id,
                             GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, "SELECT 1 FROM variants WHERE id = ?1", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  found = omni_db_step (stmt) == SQLITE_ROW;
  omni_db_reset (stmt);

  if (!found)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Variant %" G_GINT64_FORMAT " does not exist", variant_id);
  return found;
}

/* Inserts one variant into an existing product, validated, in its own
 * savepoint. */
gint64
_omni_store_insert_variant (OmniStore              *self,
                            gint64                  product_id,
                            guint                   position,
                            const OmniProductSpec  *product,
                            const OmniVariantSpec  *variant,
                            GError                **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  guint n_options = 0;
  gint64 id;

  while (n_options < MAX_OPTIONS && product->option_names[n_options] != NULL)
    n_options++;
  if (!_omni_store_validate_variant (variant, position - 1, n_options, error) ||
      !omni_store_begin (self, error))
    return 0;

  id = insert_variant (self, product_id, position, product, variant, now, error);
  if (id == 0)
    {
      omni_store_rollback (self);
      return 0;
    }
  if (!omni_store_commit (self, error))
    return 0;
  return id;
}

gboolean
_omni_store_require_product (OmniStore  *self,
                             gint64      product_id,
                             GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, "SELECT 1 FROM products WHERE id = ?1", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product_id);
  found = omni_db_step (stmt) == SQLITE_ROW;
  omni_db_reset (stmt);

  if (!found)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Product %" G_GINT64_FORMAT " does not exist", product_id);
  return found;
}

/* Returns: (transfer full) (nullable): option value @index (0–2) of a variant */
char *
_omni_store_variant_option (OmniStore *self,
                            gint64     variant_id,
                            guint      index)
{
  static const char * const sql[] = {
    "SELECT option1 FROM variants WHERE id = ?1",
    "SELECT option2 FROM variants WHERE id = ?1",
    "SELECT option3 FROM variants WHERE id = ?1",
  };
  OmniDbStmt *stmt;
  char *value = NULL;

  g_assert (index < G_N_ELEMENTS (sql));
  stmt = _omni_store_prepare (self, sql[index], NULL);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, variant_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)omni_db_column_text (stmt, 0));
  omni_db_reset (stmt);
  return value;
}
