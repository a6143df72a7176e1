/* omni-store-purchasing.c: suppliers, the reorder planner, purchase orders
 * and receiving
 *
 * A purchase order goes draft → ordered → partially received → received,
 * or is cancelled before it is complete. Receiving records a `received`
 * movement per line at the chosen location, the receipt, the line's received
 * count, the order's status and the variant's moving-average cost, all in
 * one transaction; the ledger triggers keep the levels and queue the push to
 * the channels in that same transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-private.h"
#include "omni-store-purchasing.h"
#include "omni-store-report.h"

#define OPTIONS_SQL \
  "trim (coalesce (v.option1, '') || coalesce (' / ' || v.option2, '')" \
  " || coalesce (' / ' || v.option3, ''))"

static char *
column_dup (OmniDbStmt *stmt,
            int           column)
{
  const unsigned char *text = omni_db_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *)text) : NULL;
}

static char *
now_text (void)
{
  return _omni_store_format_time (g_get_real_time ());
}

void
omni_supplier_free (OmniSupplier *supplier)
{
  if (supplier == NULL)
    return;
  g_free (supplier->name);
  g_free (supplier->contact);
  g_free (supplier->currency);
  g_free (supplier);
}

void
omni_supplier_variant_free (OmniSupplierVariant *link)
{
  if (link == NULL)
    return;
  g_free (link->supplier);
  g_free (link->sku);
  g_free (link->title);
  g_free (link->options);
  g_free (link->supplier_sku);
  g_free (link);
}

void
omni_purchase_suggestion_free (OmniPurchaseSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->supplier);
  g_free (suggestion->sku);
  g_free (suggestion->supplier_sku);
  g_free (suggestion->title);
  g_free (suggestion->options);
  g_free (suggestion->currency);
  g_free (suggestion);
}

void
omni_purchase_order_free (OmniPurchaseOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->number);
  g_free (order->supplier);
  g_free (order->contact);
  g_free (order->location);
  g_free (order->currency);
  g_free (order->status);
  g_free (order->note);
  g_free (order->actor);
  g_free (order->created_at);
  g_free (order->ordered_at);
  g_free (order->closed_at);
  g_free (order);
}

void
omni_purchase_line_free (OmniPurchaseLine *line)
{
  if (line == NULL)
    return;
  g_free (line->sku);
  g_free (line->barcode);
  g_free (line->supplier_sku);
  g_free (line->title);
  g_free (line->options);
  g_free (line);
}

void
omni_receive_result_clear (OmniReceiveResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->status, g_free);
  g_clear_pointer (&result->operation, g_free);
  result->units = 0;
  result->over_received = 0;
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
valid_currency (const char *currency)
{
  if (currency == NULL || strlen (currency) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isupper (currency[i]))
      return FALSE;
  return TRUE;
}

/* Suppliers ------------------------------------------------------------ */

/**
 * omni_store_add_supplier:
 *
 * Returns: the new supplier's id, or 0 with @error set (a duplicate name is
 *   %OMNI_STORE_ERROR_CONFLICT; nothing is written)
 */
gint64
omni_store_add_supplier (OmniStore              *self,
                         const OmniSupplierSpec *spec,
                         GError                **error)
{
  g_autofree char *name = NULL;
  g_autofree char *shop_currency = NULL;
  g_autofree char *now = NULL;
  const char *currency;
  OmniDbStmt *stmt;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (spec != NULL, 0);

  name = g_strstrip (g_strdup (spec->name != NULL ? spec->name : ""));
  if (!g_utf8_validate (name, -1, NULL) || *name == '\0' || g_utf8_strlen (name, -1) > 120)
    return invalid (error, "A supplier needs a name of 1 to 120 characters");
  if (spec->contact != NULL
      && (!g_utf8_validate (spec->contact, -1, NULL) || g_utf8_strlen (spec->contact, -1) > 500))
    return invalid (error, "The contact may hold at most 500 characters of text");
  if (spec->lead_time_days < 0 || spec->lead_time_days > OMNI_PURCHASE_MAX_LEAD_DAYS)
    return invalid (error, "The lead time must be 0 to %d days, not %" G_GINT64_FORMAT,
                    OMNI_PURCHASE_MAX_LEAD_DAYS, spec->lead_time_days);

  shop_currency = omni_store_get_setting (self, "currency");
  currency = spec->currency != NULL ? spec->currency : shop_currency;
  if (!valid_currency (currency))
    return invalid (error, "“%s” is not a currency code (three capital letters, like EUR)",
                    currency != NULL ? currency : "");

  if (!omni_store_begin (self, error))
    return 0;

  stmt = _omni_store_prepare (self, "SELECT 1 FROM suppliers WHERE name = ?1", error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      omni_db_reset (stmt);
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "A supplier named “%s” already exists", name);
      goto fail;
    }
  omni_db_reset (stmt);

  now = now_text ();
  stmt = _omni_store_prepare (self,
                              "INSERT INTO suppliers (name, contact, currency, lead_time_days,"
                              " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 2, spec->contact != NULL ? spec->contact : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, currency, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 4, spec->lead_time_days);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
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

/**
 * omni_store_find_supplier:
 *
 * Returns: the id of the supplier of that name (case-insensitive), or 0 with
 *   %OMNI_STORE_ERROR_NOT_FOUND
 */
gint64
omni_store_find_supplier (OmniStore   *self,
                          const char  *name,
                          GError     **error)
{
  OmniDbStmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  stmt = _omni_store_prepare (self, "SELECT id FROM suppliers WHERE name = ?1", error);
  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, name != NULL ? name : "", -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _omni_store_set_error (self, error, rc, "Could not look up the supplier");
  else if (id == 0)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "No supplier is named “%s”", name != NULL ? name : "");
  return id;
}

#define SUPPLIER_SQL \
  "SELECT s.id, s.name, s.contact, s.currency, s.lead_time_days," \
  " (SELECT count (*) FROM supplier_variants sv WHERE sv.supplier_id = s.id)," \
  " (SELECT count (*) FROM purchase_orders o WHERE o.supplier_id = s.id" \
  "   AND o.status IN ('ordered', 'partially_received'))" \
  " FROM suppliers s "

static OmniSupplier *
supplier_from_row (OmniDbStmt *stmt)
{
  OmniSupplier *supplier = g_new0 (OmniSupplier, 1);

  supplier->id = omni_db_column_int64 (stmt, 0);
  supplier->name = column_dup (stmt, 1);
  supplier->contact = column_dup (stmt, 2);
  supplier->currency = column_dup (stmt, 3);
  supplier->lead_time_days = omni_db_column_int64 (stmt, 4);
  supplier->n_variants = omni_db_column_int64 (stmt, 5);
  supplier->open_orders = omni_db_column_int64 (stmt, 6);
  return supplier;
}

OmniSupplier *
omni_store_get_supplier (OmniStore  *self,
                         gint64      supplier_id,
                         GError    **error)
{
  OmniDbStmt *stmt;
  OmniSupplier *supplier = NULL;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, SUPPLIER_SQL "WHERE s.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, supplier_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    supplier = supplier_from_row (stmt);
  omni_db_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _omni_store_set_error (self, error, rc, "Could not read the supplier");
  else if (supplier == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Supplier %" G_GINT64_FORMAT " does not exist", supplier_id);
  return supplier;
}

/**
 * omni_store_list_suppliers:
 *
 * Returns: (transfer full) (element-type OmniSupplier): by name
 */
GPtrArray *
omni_store_list_suppliers (OmniStore  *self,
                           GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, SUPPLIER_SQL "ORDER BY s.name", error);
  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_supplier_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, supplier_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the suppliers");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
require_supplier (OmniStore  *self,
                  gint64      supplier_id,
                  GError    **error)
{
  g_autoptr(OmniSupplier) supplier = omni_store_get_supplier (self, supplier_id, error);

  return supplier != NULL;
}

/**
 * omni_store_set_supplier_variant:
 *
 * Adds or replaces what a supplier charges for a variant. Making it
 * preferred clears the flag on the variant's other suppliers, in the same
 * transaction.
 */
gboolean
omni_store_set_supplier_variant (OmniStore                     *self,
                                 const OmniSupplierVariantSpec *spec,
                                 GError                       **error)
{
  g_autofree char *now = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (spec->unit_cost < 0)
    return invalid (error, "A unit cost cannot be negative");
  if (spec->moq < 1 || spec->moq > OMNI_PURCHASE_MAX_QUANTITY)
    return invalid (error, "The minimum order quantity must be 1 to %d, not %" G_GINT64_FORMAT,
                    OMNI_PURCHASE_MAX_QUANTITY, spec->moq);
  if (spec->order_multiple < 1 || spec->order_multiple > OMNI_PURCHASE_MAX_QUANTITY)
    return invalid (error, "The order multiple must be 1 to %d, not %" G_GINT64_FORMAT,
                    OMNI_PURCHASE_MAX_QUANTITY, spec->order_multiple);
  if (spec->supplier_sku != NULL
      && (!g_utf8_validate (spec->supplier_sku, -1, NULL) || strlen (spec->supplier_sku) > 255))
    return invalid (error, "A supplier SKU may hold at most 255 bytes of text");

  if (!omni_store_begin (self, error))
    return FALSE;
  if (!require_supplier (self, spec->supplier_id, error)
      || !_omni_store_require_variant (self, spec->variant_id, error))
    goto fail;

  now = now_text ();
  if (spec->preferred)
    {
      stmt = _omni_store_prepare (self,
                                  "UPDATE supplier_variants SET preferred = 0, updated_at = ?3"
                                  " WHERE variant_id = ?1 AND supplier_id <> ?2 AND preferred = 1",
                                  error);
      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, spec->variant_id);
      omni_db_bind_int64 (stmt, 2, spec->supplier_id);
      omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        goto fail;
    }

  stmt = _omni_store_prepare (self,
                              "INSERT INTO supplier_variants (supplier_id, variant_id, supplier_sku,"
                              " unit_cost, moq, order_multiple, preferred, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                              " ON CONFLICT (supplier_id, variant_id) DO UPDATE SET"
                              " supplier_sku = excluded.supplier_sku, unit_cost = excluded.unit_cost,"
                              " moq = excluded.moq, order_multiple = excluded.order_multiple,"
                              " preferred = excluded.preferred, updated_at = excluded.updated_at",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, spec->supplier_id);
  omni_db_bind_int64 (stmt, 2, spec->variant_id);
  _omni_store_bind_text_or_null (stmt, 3, spec->supplier_sku);
  omni_db_bind_int64 (stmt, 4, spec->unit_cost);
  omni_db_bind_int64 (stmt, 5, spec->moq);
  omni_db_bind_int64 (stmt, 6, spec->order_multiple);
  omni_db_bind_int (stmt, 7, spec->preferred ? 1 : 0);
  omni_db_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;

  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_list_supplier_variants:
 * @supplier_id: 0 for every supplier
 * @variant_id: 0 for every variant
 *
 * Returns: (transfer full) (element-type OmniSupplierVariant): by supplier,
 *   then SKU
 */
GPtrArray *
omni_store_list_supplier_variants (OmniStore  *self,
                                   gint64      supplier_id,
                                   gint64      variant_id,
                                   GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT sv.supplier_id, s.name, sv.variant_id, v.sku, p.title, "
                              OPTIONS_SQL ", sv.supplier_sku, sv.unit_cost, sv.moq,"
                              " sv.order_multiple, sv.preferred"
                              " FROM supplier_variants sv"
                              " JOIN suppliers s ON s.id = sv.supplier_id"
                              " JOIN variants v ON v.id = sv.variant_id"
                              " JOIN products p ON p.id = v.product_id"
                              " WHERE (?1 = 0 OR sv.supplier_id = ?1)"
                              " AND (?2 = 0 OR sv.variant_id = ?2)"
                              " ORDER BY s.name, v.sku, v.id",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, supplier_id);
  omni_db_bind_int64 (stmt, 2, variant_id);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_supplier_variant_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniSupplierVariant *link = g_new0 (OmniSupplierVariant, 1);

      link->supplier_id = omni_db_column_int64 (stmt, 0);
      link->supplier = column_dup (stmt, 1);
      link->variant_id = omni_db_column_int64 (stmt, 2);
      link->sku = column_dup (stmt, 3);
      link->title = column_dup (stmt, 4);
      link->options = column_dup (stmt, 5);
      link->supplier_sku = column_dup (stmt, 6);
      link->unit_cost = omni_db_column_int64 (stmt, 7);
      link->moq = omni_db_column_int64 (stmt, 8);
      link->order_multiple = omni_db_column_int64 (stmt, 9);
      link->preferred = omni_db_column_int (stmt, 10) != 0;
      g_ptr_array_add (rows, link);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list what the suppliers supply");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Incoming ------------------------------------------------------------- */

#define INCOMING_SQL \
  "SELECT l.variant_id, sum (max (l.quantity - l.received, 0))" \
  " FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.po_id" \
  " WHERE o.status IN ('ordered', 'partially_received') "

/**
 * omni_store_get_incoming:
 *
 * Returns: units on ordered and partially received orders not received yet
 *   (over-received lines count as nothing outstanding), or -1 on error
 */
gint64
omni_store_get_incoming (OmniStore  *self,
                         gint64      variant_id,
                         GError    **error)
{
  OmniDbStmt *stmt;
  gint64 units = 0;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), -1);

  stmt = _omni_store_prepare (self, INCOMING_SQL "AND l.variant_id = ?1 GROUP BY l.variant_id",
                              error);
  if (stmt == NULL)
    return -1;
  omni_db_bind_int64 (stmt, 1, variant_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    units = omni_db_column_int64 (stmt, 1);
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not add up the incoming stock");
      return -1;
    }
  return units;
}

/**
 * omni_store_list_incoming:
 *
 * Returns: (transfer full): variant id (a pointer to a gint64 key) → units
 *   incoming (a pointer to a gint64), only for variants with something
 *   outstanding; %NULL on error
 */
GHashTable *
omni_store_list_incoming (OmniStore  *self,
                          GError    **error)
{
  g_autoptr(GHashTable) table = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, INCOMING_SQL "GROUP BY l.variant_id", error);
  if (stmt == NULL)
    return NULL;
  table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      gint64 units = omni_db_column_int64 (stmt, 1);
      gint64 id = omni_db_column_int64 (stmt, 0);

      if (units > 0)
        g_hash_table_insert (table, g_memdup2 (&id, sizeof id), g_memdup2 (&units, sizeof units));
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not add up the incoming stock");
      return NULL;
    }
  return g_steal_pointer (&table);
}

/**
 * omni_store_list_incoming_levels:
 * @variant_ids: (array length=n_variants): the variants asked about
 * @location_id: the receiving location, 0 for every location
 *
 * What omni_store_list_incoming() adds up, per variant and receiving
 * location, for a few variants (a page of a list) at once.
 *
 * Returns: (transfer full) (element-type OmniIncomingLevel): only the pairs
 *   with something outstanding, by variant then location; %NULL on error
 */
GArray *
omni_store_list_incoming_levels (OmniStore     *self,
                                 const gint64  *variant_ids,
                                 guint          n_variants,
                                 gint64         location_id,
                                 GError       **error)
{
  g_autoptr(GArray) levels = NULL;
  g_autoptr(GString) ids = g_string_new ("[");
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (variant_ids != NULL || n_variants == 0, NULL);

  levels = g_array_new (FALSE, TRUE, sizeof (OmniIncomingLevel));
  if (n_variants == 0)
    return g_steal_pointer (&levels);
  for (guint i = 0; i < n_variants; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", variant_ids[i]);
  g_string_append_c (ids, ']');

  stmt = _omni_store_prepare (self,
                              "SELECT l.variant_id, o.location_id,"
                              " sum (max (l.quantity - l.received, 0))"
                              " FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.po_id"
                              " WHERE o.status IN ('ordered', 'partially_received')"
                              "   AND l.variant_id IN (SELECT value FROM json_each (?1))"
                              "   AND (?2 = 0 OR o.location_id = ?2)"
                              " GROUP BY 1, 2 ORDER BY 1, 2",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_text (stmt, 1, ids->str, (int)ids->len, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, location_id);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniIncomingLevel level = {
        .variant_id = omni_db_column_int64 (stmt, 0),
        .location_id = omni_db_column_int64 (stmt, 1),
        .units = omni_db_column_int64 (stmt, 2),
      };

      if (level.units > 0)
        g_array_append_val (levels, level);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not add up the incoming stock");
      return NULL;
    }
  return g_steal_pointer (&levels);
}

static gint64
lookup_units (GHashTable *table,
              gint64      variant_id)
{
  gint64 *units = g_hash_table_lookup (table, &variant_id);

  return units != NULL ? *units : 0;
}

/* Reorder planner ------------------------------------------------------ */

/**
 * omni_purchase_round_quantity:
 * @need: units short of the target
 *
 * Returns: 0 when nothing is needed; otherwise max (@need, @moq) rounded up
 *   to a multiple of @order_multiple
 */
gint64
omni_purchase_round_quantity (gint64 need,
                              gint64 moq,
                              gint64 order_multiple)
{
  gint64 quantity;

  if (need <= 0)
    return 0;
  quantity = MAX (need, MAX (moq, 1));
  order_multiple = MAX (order_multiple, 1);
  return (quantity + order_multiple - 1) / order_multiple * order_multiple;
}

static int
compare_suggestions (gconstpointer a,
                     gconstpointer b)
{
  const OmniPurchaseSuggestion *sa = *(OmniPurchaseSuggestion * const *)a;
  const OmniPurchaseSuggestion *sb = *(OmniPurchaseSuggestion * const *)b;
  double ca = sa->cover_now < 0 ? G_MAXDOUBLE : sa->cover_now;
  double cb = sb->cover_now < 0 ? G_MAXDOUBLE : sb->cover_now;

  if (ca != cb)
    return ca < cb ? -1 : 1;
  if (g_strcmp0 (sa->supplier, sb->supplier) != 0)
    return g_strcmp0 (sa->supplier, sb->supplier);
  return g_strcmp0 (sa->sku, sb->sku);
}

/* Which supplier each variant is planned with: with a supplier chosen, all
 * it supplies; otherwise the preferred one, or the lowest supplier id when
 * the variant has no preferred supplier. */
static const char links_sql[] =
  "SELECT sv.variant_id, sv.supplier_id, s.name, s.currency, s.lead_time_days,"
  " sv.supplier_sku, sv.unit_cost, sv.moq, sv.order_multiple"
  " FROM supplier_variants sv JOIN suppliers s ON s.id = sv.supplier_id"
  " WHERE CASE WHEN ?1 <> 0 THEN sv.supplier_id = ?1"
  "  ELSE sv.preferred = 1 OR NOT EXISTS (SELECT 1 FROM supplier_variants o"
  "       WHERE o.variant_id = sv.variant_id AND o.supplier_id <> sv.supplier_id"
  "       AND (o.preferred = 1 OR o.supplier_id < sv.supplier_id)) END";

/**
 * omni_store_suggest_purchases:
 *
 * The sales velocity comes from omni_report_reorder() (net units sold over
 * the window), so the planner and the reorder report agree. See
 * #OmniPurchaseSuggestion for the arithmetic.
 *
 * Returns: (transfer full) (element-type OmniPurchaseSuggestion): fewest
 *   days of cover first
 */
GPtrArray *
omni_store_suggest_purchases (OmniStore                *self,
                              const OmniSuggestOptions *options,
                              GError                  **error)
{
  g_autoptr(GPtrArray) velocity = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) by_variant = NULL;
  g_autoptr(GHashTable) incoming = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (options->safety_days > OMNI_PURCHASE_MAX_SAFETY_DAYS)
    {
      invalid (error, "The safety margin must be 0 to %d days, not %u",
               OMNI_PURCHASE_MAX_SAFETY_DAYS, options->safety_days);
      return NULL;
    }
  if (options->supplier_id != 0 && !require_supplier (self, options->supplier_id, error))
    return NULL;

  velocity = omni_report_reorder (self, options->window_days, FALSE, error);
  if (velocity == NULL)
    return NULL;
  by_variant = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < velocity->len; i++)
    {
      OmniReorderRow *row = g_ptr_array_index (velocity, i);

      g_hash_table_insert (by_variant, &row->variant_id, row);
    }

  incoming = omni_store_list_incoming (self, error);
  if (incoming == NULL)
    return NULL;

  stmt = _omni_store_prepare (self, links_sql, error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, options->supplier_id);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_purchase_suggestion_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      gint64 variant_id = omni_db_column_int64 (stmt, 0);
      const OmniReorderRow *sales = g_hash_table_lookup (by_variant, &variant_id);
      OmniPurchaseSuggestion *s;
      gint64 days, demand, stock;

      /* Archived variants and products are not planned. */
      if (sales == NULL)
        continue;

      s = g_new0 (OmniPurchaseSuggestion, 1);
      s->variant_id = variant_id;
      s->supplier_id = omni_db_column_int64 (stmt, 1);
      s->supplier = column_dup (stmt, 2);
      s->currency = column_dup (stmt, 3);
      s->lead_time_days = omni_db_column_int64 (stmt, 4);
      s->supplier_sku = column_dup (stmt, 5);
      s->unit_cost = omni_db_column_int64 (stmt, 6);
      s->moq = omni_db_column_int64 (stmt, 7);
      s->order_multiple = omni_db_column_int64 (stmt, 8);
      s->sku = g_strdup (sales->sku);
      s->title = g_strdup (sales->title);
      s->options = g_strdup (sales->options);
      s->available = sales->available;
      s->reorder_point = sales->reorder_point;
      s->units_sold = sales->units_sold;
      s->daily_sales = sales->daily_sales;
      s->incoming = lookup_units (incoming, variant_id);

      /* ⌈units sold × days ÷ window⌉ in integers, so the figure is exact. */
      days = s->lead_time_days + options->safety_days;
      demand = (s->units_sold * days + options->window_days - 1) / options->window_days;
      s->target = MAX (s->reorder_point, 0) + demand;
      stock = MAX (s->available, 0) + s->incoming;
      s->need = s->target - stock;
      s->suggested = omni_purchase_round_quantity (s->need, s->moq, s->order_multiple);
      s->cover_now = s->daily_sales > 0 ? MAX (s->available, 0) / s->daily_sales : -1;
      s->cover_after = s->daily_sales > 0 ? (stock + s->suggested) / s->daily_sales : -1;

      if (s->suggested > 0 || options->include_all)
        g_ptr_array_add (rows, s);
      else
        omni_purchase_suggestion_free (s);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read what the suppliers supply");
      return NULL;
    }

  g_ptr_array_sort (rows, compare_suggestions);
  return g_steal_pointer (&rows);
}

/* Purchase orders ------------------------------------------------------ */

static gboolean
require_location (OmniStore  *self,
                  gint64      location_id,
                  GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT archived FROM locations WHERE id = ?1", error);
  int rc;
  gboolean archived = FALSE;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, location_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    archived = omni_db_column_int (stmt, 0) != 0;
  omni_db_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Location %" G_GINT64_FORMAT " does not exist", location_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not read the location");
      return FALSE;
    }
  if (archived)
    return invalid (error, "Location %" G_GINT64_FORMAT " is archived; goods cannot arrive there",
                    location_id);
  return TRUE;
}

/* The cost a line takes when the caller gave none: the supplier's, else the
 * variant's own, else 0. */
static gboolean
default_cost (OmniStore  *self,
              gint64      supplier_id,
              gint64      variant_id,
              OmniMoney  *cost,
              GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT coalesce ((SELECT unit_cost FROM supplier_variants"
                                            " WHERE supplier_id = ?1 AND variant_id = ?2),"
                                            " (SELECT cost FROM variants WHERE id = ?2), 0)",
                                            error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, supplier_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    *cost = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not read the unit cost");
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_line (const OmniPurchaseLineSpec *line,
               guint                       index,
               gboolean                    allow_zero,
               GError                    **error)
{
  if (line->quantity < (allow_zero ? 0 : 1) || line->quantity > OMNI_PURCHASE_MAX_QUANTITY)
    return invalid (error, "Line %u: the quantity must be %d to %d, not %" G_GINT64_FORMAT,
                    index + 1, allow_zero ? 0 : 1, OMNI_PURCHASE_MAX_QUANTITY, line->quantity);
  if (line->unit_cost < -1)
    return invalid (error, "Line %u: a unit cost cannot be negative", index + 1);
  return TRUE;
}

/* Inserts or replaces one line of a draft (quantity 0 removes it). */
static gboolean
write_line (OmniStore                  *self,
            gint64                      po_id,
            gint64                      supplier_id,
            const OmniPurchaseLineSpec *line,
            GError                    **error)
{
  OmniDbStmt *stmt;
  OmniMoney cost = line->unit_cost;

  if (!_omni_store_require_variant (self, line->variant_id, error))
    return FALSE;

  if (line->quantity == 0)
    {
      stmt = _omni_store_prepare (self,
                                  "DELETE FROM purchase_order_lines WHERE po_id = ?1 AND variant_id = ?2",
                                  error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, po_id);
      omni_db_bind_int64 (stmt, 2, line->variant_id);
      return _omni_store_step_done (self, stmt, error);
    }

  if (cost < 0 && !default_cost (self, supplier_id, line->variant_id, &cost, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO purchase_order_lines (po_id, variant_id, supplier_sku,"
                              " quantity, unit_cost)"
                              " VALUES (?1, ?2, (SELECT supplier_sku FROM supplier_variants"
                              "  WHERE supplier_id = ?3 AND variant_id = ?2), ?4, ?5)"
                              " ON CONFLICT (po_id, variant_id) DO UPDATE SET"
                              " quantity = excluded.quantity, unit_cost = excluded.unit_cost",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, po_id);
  omni_db_bind_int64 (stmt, 2, line->variant_id);
  omni_db_bind_int64 (stmt, 3, supplier_id);
  omni_db_bind_int64 (stmt, 4, line->quantity);
  omni_db_bind_int64 (stmt, 5, cost);
  return _omni_store_step_done (self, stmt, error);
}

/**
 * omni_store_create_purchase_order:
 *
 * Creates a draft order numbered PO-00001, PO-00002, … in the supplier's
 * currency. A variant may appear once.
 *
 * Returns: the order's id, or 0 with @error set and nothing written
 */
gint64
omni_store_create_purchase_order (OmniStore                   *self,
                                  const OmniPurchaseOrderSpec *spec,
                                  GError                     **error)
{
  g_autoptr(OmniSupplier) supplier = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *now = NULL;
  g_autofree char *number = NULL;
  OmniDbStmt *stmt;
  gint64 location_id, po_id;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (spec != NULL, 0);

  if (spec->n_lines == 0 || spec->lines == NULL)
    return invalid (error, "A purchase order needs at least one line");
  if (spec->n_lines > OMNI_PURCHASE_MAX_LINES)
    return invalid (error, "A purchase order holds at most %d lines", OMNI_PURCHASE_MAX_LINES);
  if (spec->note != NULL && (!g_utf8_validate (spec->note, -1, NULL) || strlen (spec->note) > 2000))
    return invalid (error, "The note may hold at most 2000 bytes of text");

  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < spec->n_lines; i++)
    {
      if (!validate_line (&spec->lines[i], i, FALSE, error))
        return 0;
      if (!g_hash_table_add (seen, (gpointer)&spec->lines[i].variant_id))
        return invalid (error, "Line %u: variant %" G_GINT64_FORMAT " is already on the order",
                        i + 1, spec->lines[i].variant_id);
    }

  if (!omni_store_begin (self, error))
    return 0;

  supplier = omni_store_get_supplier (self, spec->supplier_id, error);
  if (supplier == NULL)
    goto fail;
  location_id = spec->location_id;
  if (location_id == 0)
    {
      location_id = omni_store_get_default_location (self, error);
      if (location_id == 0)
        goto fail;
    }
  if (!require_location (self, location_id, error))
    goto fail;

  /* The number follows the last order's. SQLite's write lock already keeps
   * two writers from taking the same one; on PostgreSQL two tills creating
   * orders at once queue here instead (the lock ends with the transaction). */
  if (_omni_store_is_postgresql (self) &&
      !_omni_store_exec (self, "LOCK TABLE purchase_orders IN SHARE ROW EXCLUSIVE MODE", error))
    goto fail;
  stmt = _omni_store_prepare (self, "SELECT coalesce (max (id), 0) + 1 FROM purchase_orders", error);
  if (stmt == NULL)
    goto fail;
  rc = omni_db_step (stmt);
  po_id = rc == SQLITE_ROW ? omni_db_column_int64 (stmt, 0) : 0;
  omni_db_reset (stmt);
  if (po_id == 0)
    {
      _omni_store_set_error (self, error, rc, "Could not number the purchase order");
      goto fail;
    }
  number = g_strdup_printf ("PO-%05" G_GINT64_FORMAT, po_id);
  now = now_text ();

  stmt = _omni_store_prepare (self,
                              "INSERT INTO purchase_orders (id, number, supplier_id, location_id,"
                              " currency, note, actor, created_at, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, po_id);
  omni_db_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 3, supplier->id);
  omni_db_bind_int64 (stmt, 4, location_id);
  omni_db_bind_text (stmt, 5, supplier->currency, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 6, spec->note);
  omni_db_bind_text (stmt, 7, spec->actor != NULL ? spec->actor : _omni_store_default_actor (),
                     -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;

  for (guint i = 0; i < spec->n_lines; i++)
    if (!write_line (self, po_id, supplier->id, &spec->lines[i], error))
      goto fail;

  if (!omni_store_commit (self, error))
    return 0;
  return po_id;

fail:
  omni_store_rollback (self);
  return 0;
}

/**
 * omni_store_find_purchase_order:
 * @number: "PO-00012", or the bare id "12"
 *
 * Returns: the order's id, or 0 with %OMNI_STORE_ERROR_NOT_FOUND
 */
gint64
omni_store_find_purchase_order (OmniStore   *self,
                                const char  *number,
                                GError     **error)
{
  OmniDbStmt *stmt;
  gint64 id = 0, bare = 0;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (number == NULL)
    number = "";
  if (!g_ascii_string_to_signed (number, 10, 1, G_MAXINT64, &bare, NULL))
    bare = 0;

  stmt = _omni_store_prepare (self,
                              "SELECT id FROM purchase_orders WHERE number = ?1 COLLATE NOCASE"
                              " OR id = ?2",
                              error);
  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, bare);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _omni_store_set_error (self, error, rc, "Could not look up the purchase order");
  else if (id == 0)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "No purchase order is numbered “%s”", number);
  return id;
}

#define ORDER_SQL \
  "SELECT o.id, o.number, o.supplier_id, s.name, s.contact, o.location_id, l.name," \
  " o.currency, o.status, o.note, o.actor, o.created_at, o.ordered_at, o.closed_at," \
  " (SELECT count (*) FROM purchase_order_lines x WHERE x.po_id = o.id)," \
  " (SELECT coalesce (sum (quantity), 0) FROM purchase_order_lines x WHERE x.po_id = o.id)," \
  " (SELECT coalesce (sum (received), 0) FROM purchase_order_lines x WHERE x.po_id = o.id)," \
  " (SELECT coalesce (sum (quantity * unit_cost), 0) FROM purchase_order_lines x" \
  "   WHERE x.po_id = o.id)" \
  " FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id" \
  " JOIN locations l ON l.id = o.location_id "

static OmniPurchaseOrder *
order_from_row (OmniDbStmt *stmt)
{
  OmniPurchaseOrder *order = g_new0 (OmniPurchaseOrder, 1);

  order->id = omni_db_column_int64 (stmt, 0);
  order->number = column_dup (stmt, 1);
  order->supplier_id = omni_db_column_int64 (stmt, 2);
  order->supplier = column_dup (stmt, 3);
  order->contact = column_dup (stmt, 4);
  order->location_id = omni_db_column_int64 (stmt, 5);
  order->location = column_dup (stmt, 6);
  order->currency = column_dup (stmt, 7);
  order->status = column_dup (stmt, 8);
  order->note = column_dup (stmt, 9);
  order->actor = column_dup (stmt, 10);
  order->created_at = column_dup (stmt, 11);
  order->ordered_at = column_dup (stmt, 12);
  order->closed_at = column_dup (stmt, 13);
  order->n_lines = omni_db_column_int64 (stmt, 14);
  order->units_ordered = omni_db_column_int64 (stmt, 15);
  order->units_received = omni_db_column_int64 (stmt, 16);
  order->total = omni_db_column_int64 (stmt, 17);
  return order;
}

OmniPurchaseOrder *
omni_store_get_purchase_order (OmniStore  *self,
                               gint64      po_id,
                               GError    **error)
{
  OmniDbStmt *stmt;
  OmniPurchaseOrder *order = NULL;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, ORDER_SQL "WHERE o.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, po_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    order = order_from_row (stmt);
  omni_db_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _omni_store_set_error (self, error, rc, "Could not read the purchase order");
  else if (order == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Purchase order %" G_GINT64_FORMAT " does not exist", po_id);
  return order;
}

/**
 * omni_store_list_purchase_orders:
 * @status: (nullable): one OMNI_PO_* state, "open" (ordered or partially
 *   received), or %NULL for all
 *
 * Returns: (transfer full) (element-type OmniPurchaseOrder): newest first
 */
GPtrArray *
omni_store_list_purchase_orders (OmniStore   *self,
                                 const char  *status,
                                 GError     **error)
{
  static const char * const known[] = {
    OMNI_PO_DRAFT, OMNI_PO_ORDERED, OMNI_PO_PARTIALLY_RECEIVED, OMNI_PO_RECEIVED,
    OMNI_PO_CANCELLED, "open", NULL
  };
  g_autoptr(GPtrArray) rows = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (status != NULL && !g_strv_contains (known, status))
    {
      invalid (error, "“%s” is not a purchase order status (draft, ordered,"
               " partially_received, received, cancelled or open)", status);
      return NULL;
    }

  stmt = _omni_store_prepare (self,
                              ORDER_SQL "WHERE CAST (?1 AS TEXT) IS NULL OR o.status = ?1"
                              " OR (?1 = 'open' AND o.status IN ('ordered', 'partially_received'))"
                              " ORDER BY o.id DESC",
                              error);
  if (stmt == NULL)
    return NULL;
  _omni_store_bind_text_or_null (stmt, 1, status);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_purchase_order_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, order_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the purchase orders");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * omni_store_get_purchase_lines:
 *
 * Returns: (transfer full) (element-type OmniPurchaseLine): in the order
 *   they were added
 */
GPtrArray *
omni_store_get_purchase_lines (OmniStore  *self,
                               gint64      po_id,
                               GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT l.id, l.variant_id, v.sku, v.barcode, l.supplier_sku, p.title, "
                              OPTIONS_SQL ", l.quantity, l.received, l.unit_cost"
                              " FROM purchase_order_lines l JOIN variants v ON v.id = l.variant_id"
                              " JOIN products p ON p.id = v.product_id"
                              " WHERE l.po_id = ?1 ORDER BY l.id",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, po_id);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_purchase_line_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniPurchaseLine *line = g_new0 (OmniPurchaseLine, 1);

      line->id = omni_db_column_int64 (stmt, 0);
      line->variant_id = omni_db_column_int64 (stmt, 1);
      line->sku = column_dup (stmt, 2);
      line->barcode = column_dup (stmt, 3);
      line->supplier_sku = column_dup (stmt, 4);
      line->title = column_dup (stmt, 5);
      line->options = column_dup (stmt, 6);
      line->quantity = omni_db_column_int64 (stmt, 7);
      line->received = omni_db_column_int64 (stmt, 8);
      line->unit_cost = omni_db_column_int64 (stmt, 9);
      line->line_total = line->quantity * line->unit_cost;
      g_ptr_array_add (rows, line);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the purchase order's lines");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Reads the order inside the caller's transaction and checks its state is
 * one of @allowed. */
static OmniPurchaseOrder *
order_in_state (OmniStore          *self,
                gint64              po_id,
                const char * const *allowed,
                const char         *doing,
                GError            **error)
{
  g_autoptr(OmniPurchaseOrder) order = omni_store_get_purchase_order (self, po_id, error);

  if (order == NULL)
    return NULL;
  if (!g_strv_contains (allowed, order->status))
    {
      invalid (error, "%s is %s; it cannot %s", order->number, order->status, doing);
      return NULL;
    }
  return g_steal_pointer (&order);
}

static gboolean
set_status (OmniStore  *self,
            gint64      po_id,
            const char *status,
            GError    **error)
{
  g_autofree char *now = now_text ();
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "UPDATE purchase_orders SET status = ?2, updated_at = ?3,"
                                            " ordered_at = CASE WHEN ?2 = 'ordered' THEN ?3"
                                            "   ELSE ordered_at END,"
                                            " closed_at = CASE WHEN ?2 IN ('received', 'cancelled')"
                                            "   THEN ?3 ELSE NULL END"
                                            " WHERE id = ?1",
                                            error);

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, po_id);
  omni_db_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, error);
}

/**
 * omni_store_set_purchase_line:
 *
 * Adds, changes or (quantity 0) removes a line of a draft order.
 */
gboolean
omni_store_set_purchase_line (OmniStore                  *self,
                              gint64                      po_id,
                              const OmniPurchaseLineSpec *line,
                              GError                    **error)
{
  static const char * const drafts[] = { OMNI_PO_DRAFT, NULL };
  g_autoptr(OmniPurchaseOrder) order = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  if (!validate_line (line, 0, TRUE, error))
    return FALSE;
  if (!omni_store_begin (self, error))
    return FALSE;
  order = order_in_state (self, po_id, drafts, "be edited (only drafts can)", error);
  if (order == NULL || !write_line (self, po_id, order->supplier_id, line, error)
      || !set_status (self, po_id, OMNI_PO_DRAFT, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

/**
 * omni_store_add_purchase_scan:
 * @code: a scanned barcode or a typed SKU
 * @variant_id: (out) (optional): the variant @code names
 *
 * Adds one unit of the variant @code names to a draft order: a new line at
 * the supplier's cost (else the variant's), or one more on its line.
 *
 * Returns: the line's quantity afterwards, or 0 with @error set and
 *   nothing written
 */
gint64
omni_store_add_purchase_scan (OmniStore   *self,
                              gint64       po_id,
                              const char  *code,
                              gint64      *variant_id,
                              GError     **error)
{
  static const char * const drafts[] = { OMNI_PO_DRAFT, NULL };
  g_autoptr(OmniPurchaseOrder) order = NULL;
  OmniPurchaseLineSpec line = { 0, 1, -1 };
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (code == NULL || *code == '\0' || strlen (code) > 255)
    {
      invalid (error, "A scanned code must be 1 to 255 bytes long");
      return 0;
    }
  if (!omni_store_begin (self, error))
    return 0;
  order = order_in_state (self, po_id, drafts, "take new lines (only drafts can)", error);
  if (order == NULL || (line.variant_id = omni_store_find_variant (self, code, error)) == 0)
    goto fail;

  stmt = _omni_store_prepare (self,
                              "SELECT quantity, unit_cost FROM purchase_order_lines"
                              " WHERE po_id = ?1 AND variant_id = ?2",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, po_id);
  omni_db_bind_int64 (stmt, 2, line.variant_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      line.quantity = omni_db_column_int64 (stmt, 0) + 1;
      line.unit_cost = omni_db_column_int64 (stmt, 1);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the order's lines");
      goto fail;
    }
  if (!validate_line (&line, 0, FALSE, error)
      || !write_line (self, po_id, order->supplier_id, &line, error)
      || !set_status (self, po_id, OMNI_PO_DRAFT, error))
    goto fail;
  /* A failed commit rolls back by itself. */
  if (!omni_store_commit (self, error))
    return 0;
  if (variant_id != NULL)
    *variant_id = line.variant_id;
  return line.quantity;

fail:
  omni_store_rollback (self);
  return 0;
}

/**
 * omni_store_mark_purchase_ordered:
 *
 * A draft with at least one line becomes ordered: its quantities now count
 * as incoming.
 */
gboolean
omni_store_mark_purchase_ordered (OmniStore  *self,
                                  gint64      po_id,
                                  GError    **error)
{
  static const char * const drafts[] = { OMNI_PO_DRAFT, NULL };
  g_autoptr(OmniPurchaseOrder) order = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!omni_store_begin (self, error))
    return FALSE;
  order = order_in_state (self, po_id, drafts, "be ordered (only drafts can)", error);
  if (order != NULL && order->n_lines == 0)
    {
      invalid (error, "%s has no lines; add one before ordering", order->number);
      g_clear_pointer (&order, omni_purchase_order_free);
    }
  if (order == NULL || !set_status (self, po_id, OMNI_PO_ORDERED, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

/**
 * omni_store_cancel_purchase_order:
 *
 * Cancels an order that is not fully received. What was received stays in
 * stock; what was not stops counting as incoming.
 */
gboolean
omni_store_cancel_purchase_order (OmniStore  *self,
                                  gint64      po_id,
                                  GError    **error)
{
  static const char * const open[] = {
    OMNI_PO_DRAFT, OMNI_PO_ORDERED, OMNI_PO_PARTIALLY_RECEIVED, NULL
  };
  g_autoptr(OmniPurchaseOrder) order = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!omni_store_begin (self, error))
    return FALSE;
  order = order_in_state (self, po_id, open, "be cancelled", error);
  if (order == NULL || !set_status (self, po_id, OMNI_PO_CANCELLED, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

/* Receiving ------------------------------------------------------------ */

__extension__ typedef __int128 Wide;

/* The moving-average cost after @quantity units at @unit_cost join @on_hand
 * units at @old_cost (-1: no cost yet), rounded half up. Stock at or below
 * zero carries no cost, so the new units set it. */
static OmniMoney
moving_average (gint64    on_hand,
                OmniMoney old_cost,
                gint64    quantity,
                OmniMoney unit_cost)
{
  Wide numerator, denominator;

  if (on_hand <= 0 || old_cost < 0)
    return unit_cost;
  numerator = (Wide)on_hand * old_cost + (Wide)quantity * unit_cost;
  denominator = (Wide)on_hand + quantity;
  return (OmniMoney)((numerator + denominator / 2) / denominator);
}

typedef struct
{
  gint64    line_id;
  gint64    quantity;
  gint64    received;
  OmniMoney unit_cost;
} LineState;

static gboolean
read_line_state (OmniStore  *self,
                 gint64      po_id,
                 gint64      variant_id,
                 const char *number,
                 LineState  *state,
                 GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT id, quantity, received, unit_cost"
                                            " FROM purchase_order_lines"
                                            " WHERE po_id = ?1 AND variant_id = ?2",
                                            error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, po_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->line_id = omni_db_column_int64 (stmt, 0);
      state->quantity = omni_db_column_int64 (stmt, 1);
      state->received = omni_db_column_int64 (stmt, 2);
      state->unit_cost = omni_db_column_int64 (stmt, 3);
    }
  omni_db_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *sku = NULL;

      stmt = _omni_store_prepare (self, "SELECT sku FROM variants WHERE id = ?1", NULL);
      if (stmt != NULL)
        {
          omni_db_bind_int64 (stmt, 1, variant_id);
          if (omni_db_step (stmt) == SQLITE_ROW)
            sku = column_dup (stmt, 0);
          omni_db_reset (stmt);
        }
      if (sku != NULL)
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                     "%s is not on %s", sku, number);
      else
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                     "Variant %" G_GINT64_FORMAT " is not on %s", variant_id, number);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not read the purchase order line");
      return FALSE;
    }
  return TRUE;
}

static gboolean
update_cost (OmniStore  *self,
             gint64      variant_id,
             gint64      quantity,
             OmniMoney   unit_cost,
             const char *now,
             GError    **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT on_hand, coalesce (cost, -1) FROM variants"
                                            " WHERE id = ?1",
                                            error);
  gint64 on_hand = 0;
  OmniMoney old_cost = -1;
  int rc;

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      on_hand = omni_db_column_int64 (stmt, 0);
      old_cost = omni_db_column_int64 (stmt, 1);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not read the variant's cost");
      return FALSE;
    }

  stmt = _omni_store_prepare (self, "UPDATE variants SET cost = ?2, updated_at = ?3 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, moving_average (on_hand, old_cost, quantity, unit_cost));
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_done (self, stmt, error);
}

static gboolean
receive_one (OmniStore               *self,
             const OmniPurchaseOrder *order,
             gint64                   location_id,
             const OmniReceiveLine   *line,
             gboolean                 same_currency,
             const char              *source,
             const char              *actor,
             const char              *operation,
             const char              *now,
             OmniReceiveResult       *result,
             GError                 **error)
{
  g_autofree char *op_id = g_uuid_string_random ();
  LineState state = { 0 };
  OmniMovementSpec movement = { 0 };
  OmniDbStmt *stmt;
  gint64 over_before, over_after;

  if (!read_line_state (self, order->id, line->variant_id, order->number, &state, error))
    return FALSE;

  /* The cost is averaged over the stock before this receipt arrives. */
  if (same_currency
      && !update_cost (self, line->variant_id, line->quantity, state.unit_cost, now, error))
    return FALSE;

  movement.variant_id = line->variant_id;
  movement.location_id = location_id;
  movement.on_hand_delta = line->quantity;
  movement.reason = OMNI_REASON_RECEIVED;
  movement.source = source;
  movement.reference = order->number;
  movement.actor = actor;
  movement.op_id = op_id;
  movement.operation = operation;
  if (!omni_store_record_movements (self, &movement, 1, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "UPDATE purchase_order_lines SET received = received + ?2 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, state.line_id);
  omni_db_bind_int64 (stmt, 2, line->quantity);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO purchase_receipts (line_id, location_id, quantity,"
                              " unit_cost, op_id, actor, received_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, state.line_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  omni_db_bind_int64 (stmt, 3, line->quantity);
  omni_db_bind_int64 (stmt, 4, state.unit_cost);
  omni_db_bind_text (stmt, 5, op_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 6, actor, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;

  over_before = MAX (state.received - state.quantity, 0);
  over_after = MAX (state.received + line->quantity - state.quantity, 0);
  result->units += line->quantity;
  result->over_received += over_after - over_before;
  return TRUE;
}

/**
 * omni_store_receive_purchase:
 * @location_id: where the goods arrive; 0 means the order's location
 * @source: what the movements say made them ("app", "cli"); %NULL: "app"
 * @actor: (nullable): who; %NULL means the OS user
 * @result: (out caller-allocates): what happened; clear it with
 *   omni_receive_result_clear()
 *
 * Receives part or all of some lines of an ordered or partially received
 * order, in one transaction: a `received` movement per line (reference: the
 * order number), the receipts, the lines' received counts, the order's
 * status and, when the order is in the shop currency, each variant's
 * moving-average cost. Receiving more than ordered is allowed: the excess is
 * reported in @result's over_received.
 */
gboolean
omni_store_receive_purchase (OmniStore             *self,
                             gint64                 po_id,
                             gint64                 location_id,
                             const OmniReceiveLine *lines,
                             guint                  n_lines,
                             const char            *source,
                             const char            *actor,
                             OmniReceiveResult     *result,
                             GError               **error)
{
  static const char * const receivable[] = {
    OMNI_PO_ORDERED, OMNI_PO_PARTIALLY_RECEIVED, NULL
  };
  g_autoptr(OmniPurchaseOrder) order = NULL;
  g_autofree char *operation = NULL;
  g_autofree char *now = NULL;
  g_autofree char *shop_currency = NULL;
  OmniReceiveResult partial = { 0 };
  OmniDbStmt *stmt;
  gint64 outstanding = -1;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  if (n_lines == 0 || lines == NULL)
    return invalid (error, "Nothing to receive: give at least one line");
  if (n_lines > OMNI_PURCHASE_MAX_LINES)
    return invalid (error, "At most %d lines can be received at once", OMNI_PURCHASE_MAX_LINES);
  for (guint i = 0; i < n_lines; i++)
    if (lines[i].quantity < 1 || lines[i].quantity > OMNI_PURCHASE_MAX_QUANTITY)
      return invalid (error, "A received quantity must be 1 to %d, not %" G_GINT64_FORMAT,
                      OMNI_PURCHASE_MAX_QUANTITY, lines[i].quantity);

  if (source == NULL)
    source = "app";
  if (actor == NULL)
    actor = _omni_store_default_actor ();

  if (!omni_store_begin (self, error))
    return FALSE;

  order = order_in_state (self, po_id, receivable,
                          "be received (mark it ordered first; received and cancelled"
                          " orders are closed)",
                          error);
  if (order == NULL)
    goto fail;
  if (location_id == 0)
    location_id = order->location_id;
  if (!require_location (self, location_id, error))
    goto fail;

  shop_currency = omni_store_get_setting (self, "currency");
  operation = g_uuid_string_random ();
  now = now_text ();
  for (guint i = 0; i < n_lines; i++)
    if (!receive_one (self, order, location_id, &lines[i],
                      g_strcmp0 (shop_currency, order->currency) == 0,
                      source, actor, operation, now, &partial, error))
      goto fail;

  stmt = _omni_store_prepare (self,
                              "SELECT coalesce (sum (max (quantity - received, 0)), 0)"
                              " FROM purchase_order_lines WHERE po_id = ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, po_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    outstanding = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (outstanding < 0)
    {
      _omni_store_set_error (self, error, rc, "Could not read the purchase order's lines");
      goto fail;
    }

  partial.status = g_strdup (outstanding == 0 ? OMNI_PO_RECEIVED : OMNI_PO_PARTIALLY_RECEIVED);
  if (!set_status (self, po_id, partial.status, error))
    goto fail;

  if (!omni_store_commit (self, error))
    {
      omni_receive_result_clear (&partial);
      return FALSE;
    }

  partial.operation = g_steal_pointer (&operation);
  omni_receive_result_clear (result);
  *result = partial;
  return TRUE;

fail:
  omni_receive_result_clear (&partial);
  omni_store_rollback (self);
  return FALSE;
}

/**
 * omni_store_receive_purchase_all:
 *
 * Receives what is still outstanding on every line.
 */
gboolean
omni_store_receive_purchase_all (OmniStore         *self,
                                 gint64             po_id,
                                 gint64             location_id,
                                 const char        *source,
                                 const char        *actor,
                                 OmniReceiveResult *result,
                                 GError           **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GArray) receive = NULL;
  g_autoptr(OmniPurchaseOrder) order = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  order = omni_store_get_purchase_order (self, po_id, error);
  if (order == NULL)
    return FALSE;
  lines = omni_store_get_purchase_lines (self, po_id, error);
  if (lines == NULL)
    return FALSE;

  receive = g_array_new (FALSE, TRUE, sizeof (OmniReceiveLine));
  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);
      OmniReceiveLine r = { line->variant_id, line->quantity - line->received };

      if (r.quantity > 0)
        g_array_append_val (receive, r);
    }
  if (receive->len == 0)
    return invalid (error, "Nothing is outstanding on %s", order->number);

  return omni_store_receive_purchase (self, po_id, location_id,
                                      (const OmniReceiveLine *)(gpointer)receive->data,
                                      receive->len, source, actor, result, error);
}

/**
 * omni_store_receive_purchase_scan:
 * @code: a scanned barcode or a typed SKU
 *
 * Receives one unit of the variant @code names, as a scan does when counting.
 */
gboolean
omni_store_receive_purchase_scan (OmniStore         *self,
                                  gint64             po_id,
                                  gint64             location_id,
                                  const char        *code,
                                  const char        *source,
                                  const char        *actor,
                                  OmniReceiveResult *result,
                                  GError           **error)
{
  OmniReceiveLine line = { 0, 1 };

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (code == NULL || *code == '\0' || strlen (code) > 255)
    return invalid (error, "A scanned code must be 1 to 255 bytes long");
  line.variant_id = omni_store_find_variant (self, code, error);
  if (line.variant_id == 0)
    return FALSE;
  return omni_store_receive_purchase (self, po_id, location_id, &line, 1, source, actor,
                                      result, error);
}
