/* omni-inventory-util.c: small helpers the inventory views share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-inventory"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-inventory-util.h"
#include "omni-toast.h"

/* The first N_ADJUST_REASONS are those a merchant picks by hand; import,
 * sync, transfer and the order reservations are written by their own paths. */
#define N_ADJUST_REASONS 7

static const OmniReasonChoice reasons[] = {
  { OMNI_REASON_CORRECTION, N_("Correction") },
  { OMNI_REASON_RECEIVED, N_("Received") },
  { OMNI_REASON_SOLD, N_("Sold") },
  { OMNI_REASON_RETURNED, N_("Returned") },
  { OMNI_REASON_DAMAGED, N_("Damaged") },
  { OMNI_REASON_LOST, N_("Lost") },
  { OMNI_REASON_COUNT, N_("Stock count") },
  { OMNI_REASON_IMPORT, N_("Import") },
  { OMNI_REASON_SYNC, N_("Channel sync") },
  { OMNI_REASON_TRANSFER, N_("Transfer") },
  { OMNI_REASON_COMMITTED, N_("Committed to an order") },
  { OMNI_REASON_RELEASED, N_("Released from an order") },
};

/**
 * omni_inventory_adjust_reasons:
 *
 * Returns: (array length=n_reasons): the reasons offered for an adjustment,
 *   the default first
 */
const OmniReasonChoice *
omni_inventory_adjust_reasons (guint *n_reasons)
{
  g_return_val_if_fail (n_reasons != NULL, NULL);

  *n_reasons = N_ADJUST_REASONS;
  return reasons;
}

/**
 * omni_inventory_all_reasons:
 *
 * Returns: (array length=n_reasons): every reason the ledger knows
 */
const OmniReasonChoice *
omni_inventory_all_reasons (guint *n_reasons)
{
  g_return_val_if_fail (n_reasons != NULL, NULL);

  *n_reasons = G_N_ELEMENTS (reasons);
  return reasons;
}

/**
 * omni_inventory_reason_label:
 *
 * Returns: the translated label of a ledger reason, or @reason itself when
 *   it is not one of the known ones
 */
const char *
omni_inventory_reason_label (const char *reason)
{
  g_return_val_if_fail (reason != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].reason, reason))
      return _(reasons[i].label);

  return reason;
}

/**
 * omni_inventory_format_delta:
 *
 * Returns: (transfer full): "+3", "−3" (with a real minus sign) or "0"
 */
char *
omni_inventory_format_delta (gint64 delta)
{
  if (delta > 0)
    return g_strdup_printf ("+%'" G_GINT64_FORMAT, delta);
  if (delta < 0)
    return g_strdup_printf ("\u2212%'" G_GINT64_FORMAT, -delta);
  return g_strdup ("0");
}

/**
 * omni_inventory_format_count:
 *
 * Returns: (transfer full): the count with thousands separators, a real
 *   minus sign when negative
 */
char *
omni_inventory_format_count (gint64 count)
{
  if (count < 0)
    return g_strdup_printf ("\u2212%'" G_GINT64_FORMAT, -count);
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

/**
 * omni_inventory_variant_label:
 *
 * Returns: (transfer full): how messages name a variant: its SKU, or its
 *   product title and options when it has none
 */
char *
omni_inventory_variant_label (const OmniVariantRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  if (row->sku != NULL && row->sku[0] != '\0')
    return g_strdup (row->sku);
  if (row->options != NULL && row->options[0] != '\0')
    /* Translators: a product title and its options, "Canvas Tote (Red / M)" */
    return g_strdup_printf (_("%s (%s)"), row->title, row->options);
  return g_strdup (row->title);
}

/**
 * omni_inventory_dup_variant_label:
 *
 * Returns: (transfer full): as omni_inventory_variant_label(), read from
 *   the store; a placeholder when the variant cannot be read
 */
char *
omni_inventory_dup_variant_label (OmniStore *store,
                                  gint64     variant_id)
{
  g_autoptr(OmniVariantRow) row = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  row = omni_store_get_variant (store, variant_id, NULL);
  if (row == NULL)
    return g_strdup (_("Unknown variant"));
  return omni_inventory_variant_label (row);
}

/**
 * omni_inventory_get_default_reorder_point:
 *
 * Returns: the shop's default reorder point, -1 when there is none
 */
gint64
omni_inventory_get_default_reorder_point (OmniStore *store)
{
  g_autofree char *value = NULL;
  gint64 point;

  g_return_val_if_fail (OMNI_IS_STORE (store), -1);

  value = omni_store_get_setting (store, "default_reorder_point");
  if (value == NULL || value[0] == '\0' ||
      !g_ascii_string_to_signed (value, 10, 0, G_MAXINT64, &point, NULL))
    return -1;
  return point;
}

/**
 * omni_inventory_effective_reorder_point:
 * @shop_default: the default reorder point, -1 for none
 *
 * Returns: the variant's own reorder point, or the shop's default when it
 *   has none; -1 when neither is set
 */
gint64
omni_inventory_effective_reorder_point (const OmniVariantRow *row,
                                        gint64                shop_default)
{
  g_return_val_if_fail (row != NULL, -1);

  return row->reorder_point >= 0 ? row->reorder_point : shop_default;
}

/**
 * omni_inventory_stock_state:
 *
 * The same rule as the catalog's stock filter (OMNI_STOCK_LOW and _OUT),
 * the shop default included, so a row shown under "Low" says "Low".
 *
 * Returns: "archived", "out", "low" or "in"
 */
const char *
omni_inventory_stock_state (const OmniVariantRow *row,
                            gint64                shop_default)
{
  gint64 point;

  g_return_val_if_fail (row != NULL, NULL);

  point = omni_inventory_effective_reorder_point (row, shop_default);
  if (row->archived)
    return "archived";
  if (row->available <= 0)
    return "out";
  if (point >= 0 && row->available <= point)
    return "low";
  return "in";
}

static AdwToastOverlay *
find_overlay (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *found;

      if (ADW_IS_TOAST_OVERLAY (child))
        return ADW_TOAST_OVERLAY (child);
      if ((found = find_overlay (child)) != NULL)
        return found;
    }

  return NULL;
}

/**
 * omni_inventory_add_toast:
 * @widget: a widget in the window, or the window itself
 * @toast: (transfer full): the toast
 *
 * Shows @toast in the window's toast overlay: the nearest one above
 * @widget, else the first one in its window. A dialog passes its parent
 * window, so the toast outlives the dialog.
 */
void
omni_inventory_add_toast (GtkWidget *widget,
                          AdwToast  *toast)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ADW_IS_TOAST (toast));

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    overlay = GTK_WIDGET (find_overlay (GTK_WIDGET (gtk_widget_get_root (widget))));

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/**
 * omni_inventory_preferences_toast:
 * @widget: a widget in the preferences window
 * @text: plain text, shown as written
 *
 * Shows @text as a toast of the preferences window @widget is in; nothing
 * when it is in none.
 */
void
omni_inventory_preferences_toast (GtkWidget  *widget,
                                  const char *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), omni_toast_new_text (text));
}

/**
 * omni_inventory_undo_toast_new:
 * @text: plain text (the toast title is markup; it is escaped here)
 * @operation: the operation that Undo reverses
 *
 * Returns: (transfer full): a toast whose Undo button runs
 *   `win.undo-stock` with @operation
 */
AdwToast *
omni_inventory_undo_toast_new (const char *text,
                               const char *operation)
{
  AdwToast *toast;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (operation != NULL, NULL);

  toast = omni_toast_new_text (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-stock");
  adw_toast_set_action_target_value (toast, g_variant_new_string (operation));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);

  return toast;
}

/**
 * omni_inventory_show_error:
 * @message: plain text
 *
 * Tells the merchant what went wrong in a toast of @widget's window.
 */
void
omni_inventory_show_error (GtkWidget  *widget,
                           const char *message)
{
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  toast = omni_toast_new_text (message);
  /* At once: queued, a refusal would wait out the undo toast of the
   * action before it (5 s), long after the merchant looked. That toast
   * comes back after this one. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  omni_inventory_add_toast (widget, toast);
}

/**
 * omni_inventory_staff_copy:
 *
 * Returns: (transfer full): a copy, freed with omni_staff_free()
 */
OmniStaff *
omni_inventory_staff_copy (const OmniStaff *staff)
{
  OmniStaff *copy;

  g_return_val_if_fail (staff != NULL, NULL);

  copy = g_new0 (OmniStaff, 1);
  copy->id = staff->id;
  copy->name = g_strdup (staff->name);
  copy->role = g_strdup (staff->role);
  copy->has_pin = staff->has_pin;

  return copy;
}

/**
 * omni_inventory_role_label:
 * @role: (nullable): "owner" or "staff"
 *
 * Returns: the translated name of a staff role
 */
const char *
omni_inventory_role_label (const char *role)
{
  return g_strcmp0 (role, "owner") == 0 ? _("Owner") : _("Staff");
}

/**
 * omni_inventory_spin_on_enter:
 * @callback: (scope notified): called, swapped, with @data after the typed
 *   value was read
 *
 * Runs @callback when Enter is pressed in @spin (GtkSpinButton has no
 * activate signal or activates-default property before GTK 4.14; its text
 * has). The spin button itself reads the typed value first.
 */
void
omni_inventory_spin_on_enter (GtkSpinButton *spin,
                              GCallback      callback,
                              gpointer       data)
{
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (spin));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TEXT (child))
      g_signal_connect_object (child, "activate", callback, data,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}
