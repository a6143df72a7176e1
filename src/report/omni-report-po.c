/* omni-report-po.c: a purchase order as a report table
 *
 * The supplier reads the order number, the supplier and delivery address in
 * the header, one row per line (our SKU, their SKU, the item, quantity, unit
 * cost, line total) and the totals; the table renders to PDF (Cairo) and CSV
 * through the report layer like any other report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-report-po.h"
#include "omni-store-purchasing.h"

enum
{
  COL_SKU,
  COL_SUPPLIER_SKU,
  COL_ITEM,
  COL_QUANTITY,
  COL_UNIT_COST,
  COL_TOTAL,
  COL_RECEIVED,
};

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, OMNI_PO_DRAFT) == 0)
    return _("Draft");
  if (g_strcmp0 (status, OMNI_PO_ORDERED) == 0)
    return _("Ordered");
  if (g_strcmp0 (status, OMNI_PO_PARTIALLY_RECEIVED) == 0)
    return _("Partially received");
  if (g_strcmp0 (status, OMNI_PO_RECEIVED) == 0)
    return _("Received");
  if (g_strcmp0 (status, OMNI_PO_CANCELLED) == 0)
    return _("Cancelled");
  return status;
}

/**
 * omni_report_purchase_order:
 * @po_id: the order
 *
 * Returns: (transfer full): the order as a table keyed "purchase-order",
 *   money in the order's currency, or %NULL with @error set
 */
OmniReportTable *
omni_report_purchase_order (OmniStore  *store,
                            gint64      po_id,
                            GError    **error)
{
  g_autoptr(OmniPurchaseOrder) order = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(OmniReportTable) table = NULL;
  g_autofree char *title = NULL;
  gint64 units = 0, received = 0;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  order = omni_store_get_purchase_order (store, po_id, error);
  if (order == NULL)
    return NULL;
  lines = omni_store_get_purchase_lines (store, po_id, error);
  if (lines == NULL)
    return NULL;

  /* Translators: %s is a purchase order number such as PO-00012 */
  title = g_strdup_printf (_("Purchase Order %s"), order->number);
  table = omni_report_table_new ("purchase-order", title);
  omni_report_table_set_currency (table, order->currency);
  omni_report_table_add_filter (table, _("Supplier"), order->supplier);
  if (order->contact != NULL && *order->contact != '\0')
    omni_report_table_add_filter (table, _("Contact"), order->contact);
  omni_report_table_add_filter (table, _("Deliver to"), order->location);
  omni_report_table_add_filter (table, _("Status"), status_label (order->status));
  omni_report_table_add_filter (table, _("Currency"), order->currency);
  if (order->note != NULL && *order->note != '\0')
    omni_report_table_add_note (table, order->note);

  omni_report_table_add_column (table, "sku", _("SKU"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "supplier_sku", _("Supplier SKU"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "item", _("Item"), OMNI_CELL_TEXT);
  omni_report_table_add_column (table, "quantity", _("Quantity"), OMNI_CELL_INTEGER);
  omni_report_table_add_column (table, "unit_cost", _("Unit Cost"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "line_total", _("Line Total"), OMNI_CELL_MONEY);
  omni_report_table_add_column (table, "received", _("Received"), OMNI_CELL_INTEGER);

  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);
      g_autofree char *item = NULL;
      guint row = omni_report_table_append_row (table);

      item = line->options != NULL && *line->options != '\0'
             ? g_strdup_printf ("%s — %s", line->title, line->options)
             : g_strdup (line->title);
      omni_report_table_set_text (table, row, COL_SKU, line->sku);
      omni_report_table_set_text (table, row, COL_SUPPLIER_SKU, line->supplier_sku);
      omni_report_table_set_text (table, row, COL_ITEM, item);
      omni_report_table_set_int (table, row, COL_QUANTITY, line->quantity);
      omni_report_table_set_int (table, row, COL_UNIT_COST, line->unit_cost);
      omni_report_table_set_int (table, row, COL_TOTAL, line->line_total);
      omni_report_table_set_int (table, row, COL_RECEIVED, line->received);
      units += line->quantity;
      received += line->received;
    }

  omni_report_table_set_text (table, OMNI_REPORT_TOTALS, COL_SKU, _("Total"));
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, COL_QUANTITY, units);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, COL_TOTAL, order->total);
  omni_report_table_set_int (table, OMNI_REPORT_TOTALS, COL_RECEIVED, received);
  return g_steal_pointer (&table);
}
