/* test-purchasing-window.c: planning, ordering and receiving by scan in the
 * purchasing window, opened from the main window's win.purchasing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-purchasing-window"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "omni-application.h"
#include "omni-context.h"
#include "omni-purchasing-window.h"
#include "omni-store-catalog.h"
#include "omni-store-purchasing.h"
#include "omni-window.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"
#define DAY_US ((gint64)24 * 3600 * G_USEC_PER_SEC)

static OmniApplication *app;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static OmniPurchasingWindow *
find_purchasing_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (OMNI_IS_PURCHASING_WINDOW (window))
        return OMNI_PURCHASING_WINDOW (window);
    }
  return NULL;
}

static void
test_plan_order_receive (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omnistock-purchasing-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "test.db", NULL);
  g_autoptr(OmniStore) store = omni_store_open (path, &error);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(OmniContext) context = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(OmniPurchaseOrder) order = NULL;
  g_autoptr(OmniVariantRow) jar = NULL;
  const OmniProductSpec product = { .title = "Stoneware", .option_names = { "Item" } };
  const OmniVariantSpec variants[] = {
    { .sku = "JAR", .barcode = "4006381333931", .options = { "Jar" }, .price = 2400,
      .compare_at_price = -1, .cost = 1000, .reorder_point = 6, .reorder_qty = -1 },
    { .sku = "LID", .options = { "Lid" }, .price = 600, .compare_at_price = -1,
      .cost = 200, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniSupplierSpec fernwood = { .name = "Fernwood Pottery", .lead_time_days = 10 };
  gint64 ids[2], shop, supplier, now = g_get_real_time ();
  OmniWindow *window;
  OmniPurchasingWindow *purchasing;
  gint64 po;

  g_assert_no_error (error);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  omni_store_create_product (store, &product, variants, 2, ids, &error);
  g_assert_no_error (error);
  {
    /* JAR: 5 left after 45 sold in 30 days; LID: 2 left after 10. */
    const OmniMovementSpec movements[] = {
      { .variant_id = ids[0], .location_id = shop, .on_hand_delta = 50,
        .reason = OMNI_REASON_RECEIVED, .time_us = now - 60 * DAY_US },
      { .variant_id = ids[0], .location_id = shop, .on_hand_delta = -45,
        .reason = OMNI_REASON_SOLD, .time_us = now - 3 * DAY_US },
      { .variant_id = ids[1], .location_id = shop, .on_hand_delta = 12,
        .reason = OMNI_REASON_RECEIVED, .time_us = now - 60 * DAY_US },
      { .variant_id = ids[1], .location_id = shop, .on_hand_delta = -10,
        .reason = OMNI_REASON_SOLD, .time_us = now - 5 * DAY_US },
    };

    omni_store_record_movements (store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }
  supplier = omni_store_add_supplier (store, &fernwood, &error);
  {
    const OmniSupplierVariantSpec links[] = {
      { supplier, ids[0], "FW-J", 900, 24, 12, TRUE },
      { supplier, ids[1], NULL, 150, 1, 6, TRUE },
    };

    omni_store_set_supplier_variant (store, &links[0], &error);
    omni_store_set_supplier_variant (store, &links[1], &error);
    g_assert_no_error (error);
  }

  settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_settings_set_string (settings, "actor-name", "Maya");
  context = omni_context_new (store, settings);
  window = omni_window_new (GTK_APPLICATION (app), context);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* Reachable from the main window by Ctrl+Shift+P (and the inventory
   * page's menu, win.purchasing): the window's shortcut runs the action. */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
    GtkShortcut *found = NULL;

    for (guint i = 0; found == NULL && i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            g_autofree char *trigger = gtk_shortcut_trigger_to_string (
                                         gtk_shortcut_get_trigger (shortcut));
            g_autofree char *action = gtk_shortcut_action_to_string (
                                        gtk_shortcut_get_action (shortcut));

            if (g_str_equal (trigger, "<Shift><Control>p") && g_str_equal (action, "action(win.purchasing)"))
              found = g_steal_pointer (&shortcut);
          }
      }
    g_assert_nonnull (found);
    g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (found), 0,
                                                 GTK_WIDGET (window), NULL));
    g_object_unref (found);
  }
  purchasing = find_purchasing_window ();
  g_assert_nonnull (purchasing);
  wait_for (!omni_purchasing_window_get_busy (purchasing));
  g_assert_cmpuint (omni_purchasing_window_get_n_orders (purchasing), ==, 0);

  /* Plan: JAR 24 (lead 10 + 7 safety: ⌈1.5 × 17⌉ = 26 + 6 − 5 = 27 → 36),
   * LID ⌈10 × 17 ÷ 30⌉ = 6 − 2 = 4 → 6. Edit the jar down to 30. */
  g_assert_true (omni_purchasing_window_plan (purchasing, "Fernwood Pottery"));
  wait_for (!omni_purchasing_window_get_busy (purchasing)
            && omni_purchasing_window_get_n_suggestions (purchasing) == 2);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     omni_purchasing_window_get_suggestion_spin (purchasing, 0)), ==, 36);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     omni_purchasing_window_get_suggestion_spin (purchasing, 1)), ==, 6);
  gtk_spin_button_set_value (omni_purchasing_window_get_suggestion_spin (purchasing, 0), 30);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (purchasing), "purchasing.create", NULL));
  wait_for (!omni_purchasing_window_get_busy (purchasing)
            && omni_purchasing_window_get_n_orders (purchasing) == 1);
  po = omni_purchasing_window_get_order_id (purchasing);
  g_assert_cmpint (po, ==, omni_store_find_purchase_order (store, "PO-00001", &error));
  lines = omni_store_get_purchase_lines (store, po, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 0))->quantity, ==, 30);
  g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 0))->unit_cost, ==, 900);
  g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 1))->quantity, ==, 6);
  g_assert_cmpstr (omni_purchasing_window_get_line_text (purchasing, 0), ==, "JAR 0 / 30");
  g_assert_nonnull (strstr (omni_purchasing_window_get_summary (purchasing), "Draft"));

  /* The draft's lines are edited in place. */
  {
    GtkSpinButton *quantity = NULL;
    GtkEditable *cost = NULL;
    GtkButton *remove = NULL;
    GtkEditable *entry = omni_purchasing_window_get_scan_entry (purchasing);
    g_autoptr(OmniPurchaseOrder) draft = NULL;

    g_assert_true (omni_purchasing_window_get_line_editors (purchasing, 0, &quantity, &cost,
                                                            &remove));
    g_assert_cmpint (gtk_spin_button_get_value_as_int (quantity), ==, 30);
    g_assert_cmpstr (gtk_editable_get_text (cost), ==, "9.00");

    /* Quantity 28, then a cost of 8.50 typed and confirmed. */
    gtk_spin_button_set_value (quantity, 28);
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    g_assert_cmpstr (omni_purchasing_window_get_line_text (purchasing, 0), ==, "JAR 0 / 28");
    gtk_editable_set_text (cost, "8.50");
    g_signal_emit_by_name (cost, "activate");
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    g_clear_pointer (&lines, g_ptr_array_unref);
    lines = omni_store_get_purchase_lines (store, po, &error);
    g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 0))->quantity, ==, 28);
    g_assert_cmpint (((OmniPurchaseLine *)g_ptr_array_index (lines, 0))->unit_cost, ==, 850);
    /* 28 × 8.50 + 6 × 1.50 */
    g_assert_nonnull (strstr (omni_purchasing_window_get_summary (purchasing), "0 of 34"));
    g_assert_nonnull (strstr (omni_purchasing_window_get_summary (purchasing), "247.00"));

    /* Not an amount: refused, the entry shows the cost again, nothing changes. */
    gtk_editable_set_text (cost, "eight");
    g_signal_emit_by_name (cost, "activate");
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    g_assert_cmpstr (gtk_editable_get_text (cost), ==, "8.50");
    draft = omni_store_get_purchase_order (store, po, &error);
    g_assert_cmpint (draft->total, ==, 28 * 850 + 6 * 150);
    g_clear_pointer (&draft, omni_purchase_order_free);

    /* A scan adds one to the draft (the lid: 7), rather than receiving. */
    g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (entry)));
    gtk_editable_set_text (entry, "LID");
    g_signal_emit_by_name (entry, "activate");
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    g_assert_cmpstr (omni_purchasing_window_get_line_text (purchasing, 1), ==, "LID 0 / 7");
    g_assert_cmpint (omni_store_get_incoming (store, ids[1], &error), ==, 0);

    /* Remove the lid's line, then Undo brings it back as it was. */
    g_assert_true (omni_purchasing_window_get_line_editors (purchasing, 1, NULL, NULL, &remove));
    g_signal_emit_by_name (remove, "clicked");
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    g_assert_null (omni_purchasing_window_get_line_text (purchasing, 1));
    draft = omni_store_get_purchase_order (store, po, &error);
    g_assert_cmpint (draft->n_lines, ==, 1);
    g_clear_pointer (&draft, omni_purchase_order_free);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (purchasing),
                                               "purchasing.undo-remove", NULL));
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    g_assert_cmpstr (omni_purchasing_window_get_line_text (purchasing, 1), ==, "LID 0 / 7");

    /* Back to the planned 30 at 9.00 and 6 lids, for what follows. */
    g_assert_true (omni_purchasing_window_get_line_editors (purchasing, 0, &quantity, &cost,
                                                            NULL));
    gtk_spin_button_set_value (quantity, 30);
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    gtk_editable_set_text (cost, "9");
    g_signal_emit_by_name (cost, "activate");
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    g_assert_true (omni_purchasing_window_get_line_editors (purchasing, 1, &quantity, NULL,
                                                            NULL));
    gtk_spin_button_set_value (quantity, 6);
    wait_for (!omni_purchasing_window_get_busy (purchasing));
    draft = omni_store_get_purchase_order (store, po, &error);
    g_assert_cmpint (draft->total, ==, 30 * 900 + 6 * 150);
    g_assert_cmpint (draft->units_ordered, ==, 36);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (purchasing), "purchasing.mark-ordered",
                                             NULL));
  wait_for (!omni_purchasing_window_get_busy (purchasing));
  /* Placed: the lines are read-only. */
  g_assert_false (omni_purchasing_window_get_line_editors (purchasing, 0, NULL, NULL, NULL));
  g_assert_nonnull (strstr (omni_purchasing_window_get_summary (purchasing), "Ordered"));
  g_assert_cmpint (omni_store_get_incoming (store, ids[0], &error), ==, 30);

  /* Two scans of the jar's barcode receive two. */
  for (guint i = 0; i < 2; i++)
    {
      GtkEditable *entry = omni_purchasing_window_get_scan_entry (purchasing);

      g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (entry)));
      gtk_editable_set_text (entry, "4006381333931");
      g_signal_emit_by_name (entry, "activate");
      wait_for (!omni_purchasing_window_get_busy (purchasing));
    }
  g_assert_cmpstr (omni_purchasing_window_get_line_text (purchasing, 0), ==, "JAR 2 / 30");
  g_assert_nonnull (strstr (omni_purchasing_window_get_summary (purchasing),
                            "Partially received"));
  jar = omni_store_get_variant (store, ids[0], &error);
  g_assert_cmpint (jar->on_hand, ==, 7);
  /* (5 × 1000 + 1 × 900) ÷ 6 = 983.3, then (6 × 983 + 900) ÷ 7 = 971.1 */
  g_assert_cmpint (jar->cost, ==, 971);
  g_clear_pointer (&jar, omni_variant_row_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (purchasing), "purchasing.receive-all",
                                             NULL));
  wait_for (!omni_purchasing_window_get_busy (purchasing));
  order = omni_store_get_purchase_order (store, po, &error);
  g_assert_cmpstr (order->status, ==, OMNI_PO_RECEIVED);
  g_assert_cmpstr (omni_purchasing_window_get_line_text (purchasing, 0), ==, "JAR 30 / 30");
  g_assert_nonnull (strstr (omni_purchasing_window_get_summary (purchasing), "36 of 36"));
  jar = omni_store_get_variant (store, ids[0], &error);
  g_assert_cmpint (jar->on_hand, ==, 35);
  /* Closed: no more receiving or cancelling. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (
                    omni_purchasing_window_get_scan_entry (purchasing))));

  /* Nothing keeps the window alive once closed. */
  g_object_add_weak_pointer (G_OBJECT (purchasing), (gpointer *)&purchasing);
  gtk_window_destroy (GTK_WINDOW (purchasing));
  gtk_window_destroy (GTK_WINDOW (window));
  drain_main_context ();
  wait_for (purchasing == NULL);
  g_clear_object (&context);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/omni/purchasing-window/plan-order-receive", test_plan_order_receive);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
