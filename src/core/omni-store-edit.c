/* omni-store-edit.c: editing, archiving and duplicating catalog records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-private.h"
#include "omni-text.h"

/**
 * omni_barcode_check:
 * @barcode: (nullable): a barcode as typed or scanned
 *
 * A 12-digit (UPC-A) or 13-digit (EAN-13) number must carry a correct GS1
 * check digit, which catches nearly every mistyped or misread code. Anything
 * else is free text (a shop's own codes, Code 128 labels).
 *
 * Returns: %TRUE when @barcode is acceptable
 */
gboolean
omni_barcode_check (const char  *barcode,
                    GError     **error)
{
  gsize len;
  int sum = 0;

  if (barcode == NULL || *barcode == '\0')
    return TRUE;

  len = strlen (barcode);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (barcode[i]))
      return TRUE;
  if (len != 12 && len != 13)
    return TRUE;

  /* GS1: from the right, excluding the check digit, weights 3, 1, 3, … */
  for (gsize i = 0; i + 1 < len; i++)
    {
      int digit = barcode[len - 2 - i] - '0';

      sum += digit * (i % 2 == 0 ? 3 : 1);
    }

  if ((10 - sum % 10) % 10 != barcode[len - 1] - '0')
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "Barcode %s is not a valid %s: its check digit should be %d",
                   barcode, len == 12 ? "UPC-A" : "EAN-13", (10 - sum % 10) % 10);
      return FALSE;
    }
  return TRUE;
}

static int
count_options (OmniStore *self,
               gint64     product_id)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT count(*) FROM product_options"
                                            " WHERE product_id = ?1",
                                            NULL);
  int n = 0;

  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, product_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    n = omni_db_column_int (stmt, 0);
  omni_db_reset (stmt);
  return n;
}

static gboolean
reindex_product (OmniStore  *self,
                 gint64      product_id,
                 GError    **error)
{
  OmniDbStmt *stmt;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  stmt = _omni_store_prepare (self, "SELECT id FROM variants WHERE product_id = ?1"
                                     " ORDER BY position, id", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product_id);
  while (omni_db_step (stmt) == SQLITE_ROW)
    {
      gint64 id = omni_db_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  omni_db_reset (stmt);

  /* all out first: under a new title they are out of order together */
  if (!_omni_store_search_forget_product (self, product_id, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!_omni_store_reindex_variant (self, g_array_index (ids, gint64, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
check_option_names_kept (OmniStore              *self,
                         gint64                  product_id,
                         const OmniProductSpec  *product,
                         guint                  *n_options,
                         GError                **error)
{
  if (!_omni_store_validate_product (product, n_options, error))
    return FALSE;

  if ((int)*n_options != count_options (self, product_id))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A product's number of options cannot change once it has variants "
                   "(it has %d, the edit gives %u); rename them, or make a new product",
                   count_options (self, product_id), *n_options);
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_store_update_product:
 * @product: the new values; a %NULL handle keeps the current one
 *
 * Updates a product's fields and option names (their number stays), and its
 * variants' search entries, in one transaction.
 */
gboolean
omni_store_update_product (OmniStore              *self,
                           gint64                  product_id,
                           const OmniProductSpec  *product,
                           GError                **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  g_autofree char *tags = NULL;
  GError *local_error = NULL;
  OmniDbStmt *stmt;
  guint n_options = 0;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (product != NULL, FALSE);

  if (!_omni_store_require_product (self, product_id, error) ||
      !check_option_names_kept (self, product_id, product, &n_options, error))
    return FALSE;
  if (g_strcmp0 (product->status, "archived") == 0)
    return omni_store_set_product_archived (self, product_id, TRUE, error);

  if (!omni_store_begin (self, error))
    return FALSE;

  tags = omni_text_normalize_tags (product->tags);
  stmt = _omni_store_prepare (self,
                              "UPDATE products SET title = ?2, body = ?3, vendor = ?4,"
                              " product_type = ?5, tags = ?6, status = coalesce (?7, status),"
                              " handle = coalesce (?8, handle), updated_at = ?9 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, product_id);
  omni_db_bind_text (stmt, 2, product->title, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, product->body ? product->body : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, product->vendor ? product->vendor : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 5, product->product_type ? product->product_type : "", -1,
                     SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 6, tags, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 7, product->status);
  _omni_store_bind_text_or_null (stmt, 8, product->handle);
  omni_db_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, &local_error))
    {
      if (g_error_matches (local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT))
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "A product with the handle “%s” already exists", product->handle);
        }
      g_propagate_error (error, local_error);
      goto fail;
    }

  for (guint i = 0; i < n_options; i++)
    {
      stmt = _omni_store_prepare (self,
                                  "UPDATE product_options SET name = ?3"
                                  " WHERE product_id = ?1 AND position = ?2",
                                  error);
      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, product_id);
      omni_db_bind_int (stmt, 2, (int)i + 1);
      omni_db_bind_text (stmt, 3, product->option_names[i], -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        goto fail;
    }

  if (!reindex_product (self, product_id, error))
    goto fail;
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

static void
rewrite_sku_conflict (GError     **error,
                      const char  *sku)
{
  if (error != NULL && g_error_matches (*error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT))
    {
      g_clear_error (error);
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "SKU “%s” is already used by another active variant", sku);
    }
}

/**
 * omni_store_update_variant:
 *
 * Replaces a variant's SKU, barcode, option values, prices, weight and
 * reorder settings. Stock is never edited here: it moves only through the
 * ledger.
 */
gboolean
omni_store_update_variant (OmniStore              *self,
                           gint64                  variant_id,
                           const OmniVariantSpec  *variant,
                           GError                **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  g_autoptr(OmniVariantRow) current = NULL;
  GError *local_error = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (variant != NULL, FALSE);

  current = omni_store_get_variant (self, variant_id, error);
  if (current == NULL ||
      !_omni_store_validate_variant (variant, 0, (guint)count_options (self, current->product_id),
                                     error))
    return FALSE;

  if (!omni_store_begin (self, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "UPDATE variants SET sku = ?2, barcode = ?3, option1 = ?4,"
                              " option2 = ?5, option3 = ?6, price = ?7, compare_at_price = ?8,"
                              " cost = ?9, weight_grams = ?10, reorder_point = ?11,"
                              " reorder_qty = ?12, updated_at = ?13 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, variant_id);
  _omni_store_bind_text_or_null (stmt, 2, variant->sku);
  _omni_store_bind_text_or_null (stmt, 3, variant->barcode);
  for (int i = 0; i < 3; i++)
    _omni_store_bind_text_or_null (stmt, 4 + i, variant->options[i]);
  omni_db_bind_int64 (stmt, 7, variant->price);
  _omni_store_bind_int_or_null (stmt, 8, variant->compare_at_price);
  _omni_store_bind_int_or_null (stmt, 9, variant->cost);
  omni_db_bind_int64 (stmt, 10, variant->weight_grams);
  _omni_store_bind_int_or_null (stmt, 11, variant->reorder_point);
  _omni_store_bind_int_or_null (stmt, 12, variant->reorder_qty);
  omni_db_bind_text (stmt, 13, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, &local_error))
    {
      rewrite_sku_conflict (&local_error, variant->sku);
      g_propagate_error (error, local_error);
      goto fail;
    }

  if (!_omni_store_reindex_variant (self, variant_id, error))
    goto fail;
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_add_variant:
 *
 * Returns: the new variant's id, or 0 with @error set
 */
gint64
omni_store_add_variant (OmniStore              *self,
                        gint64                  product_id,
                        const OmniVariantSpec  *variant,
                        GError                **error)
{
  g_autoptr(OmniProduct) product = NULL;
  OmniProductSpec spec = { 0 };

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  product = omni_store_get_product (self, product_id, error);
  if (product == NULL)
    return 0;

  spec.title = product->title;
  spec.vendor = product->vendor;
  spec.tags = product->tags;
  spec.status = product->status;
  for (guint i = 0; i < 3; i++)
    spec.option_names[i] = product->option_names[i];

  return _omni_store_insert_variant (self, product_id, product->variants->len + 1, &spec,
                                     variant, error);
}

static gboolean
set_variant_archived (OmniStore  *self,
                      gint64      variant_id,
                      gboolean    archived,
                      const char *now,
                      GError    **error)
{
  GError *local_error = NULL;
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "UPDATE variants SET archived = ?2, updated_at = ?3"
                              " WHERE id = ?1 AND archived <> ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int (stmt, 2, archived ? 1 : 0);
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, &local_error))
    {
      /* Bringing a variant back clashes with an active one using its SKU. */
      if (g_error_matches (local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT))
        {
          g_autoptr(OmniVariantRow) row = omni_store_get_variant (self, variant_id, NULL);

          g_clear_error (&local_error);
          g_set_error (&local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "Cannot restore SKU “%s”: an active variant uses it now",
                       row && row->sku ? row->sku : "");
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_store_set_variants_archived:
 *
 * Archives (hides, never deletes) or restores variants, all or none. History
 * and stock stay as they were.
 */
gboolean
omni_store_set_variants_archived (OmniStore     *self,
                                  const gint64  *variant_ids,
                                  guint          n_variants,
                                  gboolean       archived,
                                  GError       **error)
{
  g_autofree char *now = _omni_store_format_time (0);

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!omni_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_variants; i++)
    if (!_omni_store_require_variant (self, variant_ids[i], error) ||
        !set_variant_archived (self, variant_ids[i], archived, now, error))
      {
        omni_store_rollback (self);
        return FALSE;
      }
  return omni_store_commit (self, error);
}

/**
 * omni_store_set_product_archived:
 *
 * Archives a product with all its variants, or restores both.
 */
gboolean
omni_store_set_product_archived (OmniStore  *self,
                                 gint64      product_id,
                                 gboolean    archived,
                                 GError    **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  g_autoptr(OmniProduct) product = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  product = omni_store_get_product (self, product_id, error);
  if (product == NULL || !omni_store_begin (self, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "UPDATE products SET status = ?2, updated_at = ?3 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, product_id);
  omni_db_bind_text (stmt, 2, archived ? "archived" : "active", -1, SQLITE_STATIC);
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;

  for (guint i = 0; i < product->variants->len; i++)
    {
      OmniVariantRow *row = g_ptr_array_index (product->variants, i);

      if (!set_variant_archived (self, row->id, archived, now, error))
        goto fail;
    }
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_set_reorder_point:
 * @reorder_point: the new point; -1 clears it (the shop default applies)
 * @reorder_qty: the new reorder quantity; -1 clears it, -2 keeps each one's
 *
 * Sets the reorder point of many variants at once, all or none.
 */
gboolean
omni_store_set_reorder_point (OmniStore     *self,
                              const gint64  *variant_ids,
                              guint          n_variants,
                              gint64         reorder_point,
                              gint64         reorder_qty,
                              GError       **error)
{
  g_autofree char *now = _omni_store_format_time (0);

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (reorder_point < -1 || reorder_point > 1000000 || reorder_qty < -2)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "The reorder point must be a whole number from 0 to 1000000, not %"
                   G_GINT64_FORMAT, reorder_point);
      return FALSE;
    }

  if (!omni_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < n_variants; i++)
    {
      OmniDbStmt *stmt = _omni_store_prepare (self,
                                                "UPDATE variants SET reorder_point = ?2,"
                                                " reorder_qty = CASE WHEN ?3 = -2 THEN reorder_qty"
                                                " ELSE ?4 END, updated_at = ?5 WHERE id = ?1",
                                                error);
      if (stmt == NULL || !_omni_store_require_variant (self, variant_ids[i], error))
        goto fail;
      omni_db_bind_int64 (stmt, 1, variant_ids[i]);
      _omni_store_bind_int_or_null (stmt, 2, reorder_point);
      omni_db_bind_int64 (stmt, 3, reorder_qty);
      _omni_store_bind_int_or_null (stmt, 4, reorder_qty);
      omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        goto fail;
    }
  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_duplicate_product:
 *
 * Copies a product with its options and variants as a draft titled
 * "Copy of …". SKUs and barcodes are left empty (they name one item each)
 * and no stock is copied.
 *
 * Returns: the copy's id, or 0 with @error set
 */
gint64
omni_store_duplicate_product (OmniStore  *self,
                              gint64      product_id,
                              GError    **error)
{
  g_autoptr(OmniProduct) product = NULL;
  g_autoptr(GArray) specs = NULL;
  g_autofree char *title = NULL;
  OmniProductSpec copy = { 0 };

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  product = omni_store_get_product (self, product_id, error);
  if (product == NULL)
    return 0;

  title = g_strdup_printf ("Copy of %s", product->title);
  if (strlen (title) > OMNI_TEXT_MAX_LINE)
    title[g_utf8_find_prev_char (title, title + OMNI_TEXT_MAX_LINE) - title] = '\0';
  copy.title = title;
  copy.body = product->body;
  copy.vendor = product->vendor;
  copy.product_type = product->product_type;
  copy.tags = product->tags;
  copy.status = "draft";
  for (guint i = 0; i < 3; i++)
    copy.option_names[i] = product->option_names[i];

  specs = g_array_new (FALSE, TRUE, sizeof (OmniVariantSpec));
  for (guint i = 0; i < product->variants->len; i++)
    {
      OmniVariantRow *row = g_ptr_array_index (product->variants, i);
      OmniVariantSpec spec = {
        .price = row->price, .compare_at_price = row->compare_at_price, .cost = row->cost,
        .weight_grams = row->weight_grams, .reorder_point = row->reorder_point,
        .reorder_qty = row->reorder_qty,
      };

      if (row->archived)
        continue;
      /* Read each value from its column, not from the joined "A / B" label,
       * which would split wrongly on a value containing " / ". */
      for (guint j = 0; j < 3 && product->option_names[j] != NULL; j++)
        spec.options[j] = _omni_store_variant_option (self, row->id, j);
      g_array_append_val (specs, spec);
    }

  {
    gint64 id = omni_store_create_product (self, &copy, &g_array_index (specs, OmniVariantSpec, 0),
                                           specs->len, NULL, error);

    for (guint i = 0; i < specs->len; i++)
      for (guint j = 0; j < 3; j++)
        g_free ((char *)g_array_index (specs, OmniVariantSpec, i).options[j]);
    return id;
  }
}
