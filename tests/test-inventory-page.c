/* test-inventory-page.c: the Inventory page, its dialogs and its batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb with GSETTINGS_BACKEND=memory, in a real window over a
 * fresh temporary database. The cases drive the widgets a merchant uses
 * (actions, spin buttons, the toast's Undo button, the confirmation) and
 * check both the store and what the page shows.
 */
#define G_LOG_DOMAIN "test-inventory-page"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "omni-adjust-dialog.h"
#include "omni-alerts-monitor.h"
#include "omni-application.h"
#include "omni-context.h"
#include "omni-history-window.h"
#include "omni-inventory-batch.h"
#include "omni-inventory-page.h"
#include "omni-locations-group.h"
#include "omni-lock-view.h"
#include "omni-pin-dialog.h"
#include "omni-preferences-window.h"
#include "omni-store-staff.h"
#include "omni-movement-item.h"
#include "omni-stock-item.h"
#include "omni-stock-list.h"
#include "omni-store-generate.h"
#include "omni-store-inventory.h"
#include "omni-store-purchasing.h"
#include "omni-transfer-dialog.h"
#include "omni-window.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"

static OmniApplication *app;

typedef struct
{
  char              *dir;
  char              *path;
  OmniStore         *store;
  GSettings         *settings;
  OmniContext       *context;
  OmniWindow        *window;
  OmniInventoryPage *page;
  gint64             shop;
  gint64             back;
  gint64             ids[3];     /* TOTE-RED, TOTE-BLUE, TOTE-GREEN */
} Fixture;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
collect_descendants (GtkWidget *widget,
                     GType      type,
                     GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (found, child);
      collect_descendants (child, type, found);
    }
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

/* The Undo button of the newest toast in the main window that runs
 * @action_name. */
static GtkWidget *
find_toast_button (Fixture    *f,
                   const char *action_name)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_descendants (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, buttons);
  for (guint i = buttons->len; i > 0; i--)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i - 1);

      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), "_Undo") == 0 &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)),
                     action_name) == 0)
        return button;
    }
  return NULL;
}

static GtkWidget *
find_undo_button (Fixture *f)
{
  return find_toast_button (f, "win.undo-stock");
}

/* Whether a label in the main window (a toast, say) starts with @prefix. */
static gboolean
window_shows_prefix (Fixture    *f,
                     const char *prefix)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_descendants (GTK_WIDGET (f->window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (labels->pdata[i]), prefix))
      return TRUE;
  return FALSE;
}

static gint64
reorder_point_of (Fixture *f,
                  gint64   variant)
{
  g_autoptr(OmniVariantRow) row = omni_store_get_variant (f->store, variant, NULL);

  return row->reorder_point;
}

/* Whether any label of the page's list shows exactly @text. */
static gboolean
list_shows (Fixture    *f,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_descendants (GTK_WIDGET (f->page), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) == 0)
        return TRUE;
    }
  return FALSE;
}

static gint64
on_hand (Fixture *f,
         gint64   variant,
         gint64   location)
{
  g_autoptr(GPtrArray) levels = omni_store_get_levels (f->store, variant, NULL);

  for (guint i = 0; i < levels->len; i++)
    {
      OmniLevel *level = g_ptr_array_index (levels, i);

      if (level->location_id == location)
        return level->on_hand;
    }
  g_assert_not_reached ();
}

static GPtrArray *
history (Fixture *f,
         gint64   variant)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *movements = omni_store_get_history (f->store, variant, NULL, &error);

  g_assert_no_error (error);
  return movements;
}

static OmniStockItem *
item_at (Fixture *f,
         guint    position)
{
  return g_list_model_get_item (omni_inventory_page_get_model (f->page), position);
}

/* Row @position once loaded and showing @expected on hand. */
static gboolean
row_on_hand_is (Fixture *f,
                guint    position,
                gint64   expected)
{
  g_autoptr(OmniStockItem) item = item_at (f, position);

  return item != NULL && omni_stock_item_get_loaded (item) &&
         !omni_inventory_page_get_loading (f->page) &&
         omni_stock_item_get_on_hand (item) == expected;
}

static gint64
first_row_location (Fixture *f)
{
  g_autoptr(OmniStockItem) first = item_at (f, 0);

  if (first == NULL || !omni_stock_item_get_loaded (first) ||
      omni_inventory_page_get_loading (f->page))
    return 0;
  return omni_stock_item_get_location_id (first);
}

static void
select_rows (Fixture     *f,
             const guint *positions,
             guint        n)
{
  GtkSelectionModel *selection = omni_inventory_page_get_selection (f->page);

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < n; i++)
    gtk_selection_model_select_item (selection, positions[i], FALSE);
}

/* What a click on a response button does: the response, then closing. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec product = { .title = "Canvas Tote", .option_names = { "Colour" } };
  const OmniVariantSpec variants[] = {
    { .sku = "TOTE-RED", .options = { "Red" }, .price = 1500, .compare_at_price = -1,
      .cost = 250, .reorder_point = 5, .reorder_qty = -1 },
    { .sku = "TOTE-BLUE", .options = { "Blue" }, .price = 1500, .compare_at_price = -1,
      .cost = 250, .reorder_point = 2, .reorder_qty = -1 },
    { .sku = "TOTE-GREEN", .options = { "Green" }, .price = 900, .compare_at_price = -1,
      .cost = 100, .reorder_point = 2, .reorder_qty = -1 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  f->dir = g_dir_make_tmp ("omnistock-inventory-page-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (f->settings, keys[i]);
  g_settings_set_string (f->settings, "actor-name", "Maya");
  g_settings_set_string (f->settings, "last-page", "inventory");

  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->back = omni_store_add_location (f->store, "Back Room", FALSE, &error);
  g_assert_no_error (error);
  omni_store_create_product (f->store, &product, variants, G_N_ELEMENTS (variants), f->ids,
                             &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec movements[] = {
      { .variant_id = f->ids[0], .location_id = f->shop, .on_hand_delta = 10,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = f->ids[0], .location_id = f->back, .on_hand_delta = 4,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = f->ids[1], .location_id = f->shop, .on_hand_delta = 6,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = f->ids[2], .location_id = f->shop, .on_hand_delta = 20,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
    };

    omni_store_record_movements (f->store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }

  f->context = omni_context_new (f->store, f->settings);
  f->window = g_object_ref (omni_window_new (GTK_APPLICATION (app), f->context));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_assert_cmpstr (omni_window_get_visible_page (f->window), ==, "inventory");
  f->page = OMNI_INVENTORY_PAGE (omni_window_get_page (f->window, "inventory"));

  /* Rows: each variant in title order, the default location first. */
  wait_for (row_on_hand_is (f, 5, 0));
}

static void
remove_database_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *other;

  wait_for (!omni_inventory_page_get_loading (f->page) &&
            !omni_alerts_monitor_get_busy (OMNI_ALERTS_MONITOR (
              omni_inventory_page_get_alerts_monitor (f->page))));
  while ((other = find_toplevel (ADW_TYPE_WINDOW)) != NULL ||
         (other = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (other);
  /* Other pages may still be refreshing after the test's last change on
   * their workers; the window must go once they are done, not leak. */
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_object_unref (f->window);
  wait_for (f->window == NULL);
  g_object_add_weak_pointer (G_OBJECT (f->context), (gpointer *) &f->context);
  g_object_unref (f->context);
  wait_for (f->context == NULL);
  g_clear_object (&f->settings);
  g_object_add_weak_pointer (G_OBJECT (f->store), (gpointer *) &f->store);
  g_object_unref (f->store);
  wait_for (f->store == NULL);

  remove_database_files (f->path);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

static OmniAdjustDialog *
open_adjust (Fixture *f,
             guint    position)
{
  OmniAdjustDialog *dialog;

  select_rows (f, &position, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.adjust", NULL));
  wait_for ((dialog = (OmniAdjustDialog *) find_toplevel (OMNI_TYPE_ADJUST_DIALOG)) != NULL);
  return dialog;
}

/* The rows and what they show. */
static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(OmniStockItem) red_back = item_at (f, 1);
  g_autoptr(OmniStockItem) green_shop = item_at (f, 4);

  g_assert_cmpuint (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)), ==, 6);
  g_assert_cmpstr (omni_stock_item_get_sku (red_back), ==, "TOTE-RED");
  g_assert_cmpstr (omni_stock_item_get_location (red_back), ==, "Back Room");
  g_assert_cmpint (omni_stock_item_get_on_hand (red_back), ==, 4);
  g_assert_cmpint (omni_stock_item_get_available (red_back), ==, 4);
  g_assert_cmpstr (omni_stock_item_get_stock_state (red_back), ==, "in");
  g_assert_cmpstr (omni_stock_item_get_sku (green_shop), ==, "TOTE-GREEN");
  g_assert_cmpint (omni_stock_item_get_on_hand (green_shop), ==, 20);
  g_assert_true (list_shows (f, "TOTE-GREEN"));
  g_assert_true (list_shows (f, "20"));
  g_assert_true (list_shows (f, "Back Room"));

  /* One location: one row per variant. */
  g_assert_true (omni_inventory_page_set_location (f->page, f->back));
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 3 &&
            row_on_hand_is (f, 0, 4));

  /* Search narrows the variants. */
  omni_inventory_page_set_search (f->page, "blue");
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 1 &&
            row_on_hand_is (f, 0, 0));
  {
    g_autoptr(OmniStockItem) blue = item_at (f, 0);

    g_assert_cmpstr (omni_stock_item_get_sku (blue), ==, "TOTE-BLUE");
  }
  omni_inventory_page_set_search (f->page, "no such thing");
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 0 &&
            !omni_inventory_page_get_loading (f->page));

  /* The stock filter, all locations: nothing is out of stock, then the
   * one variant taken to zero is. */
  omni_inventory_page_set_search (f->page, NULL);
  g_assert_true (omni_inventory_page_set_location (f->page, 0));
  omni_inventory_page_show_stock (f->page, OMNI_STOCK_OUT);
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 0 &&
            !omni_inventory_page_get_loading (f->page));
  {
    const OmniAdjustLine line = { f->ids[1], f->shop, 0 };
    const OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .actor = "Maya" };

    g_free (omni_store_adjust (f->store, &line, 1, &options, NULL));
    omni_context_store_changed (f->context);
  }
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 2 &&
            row_on_hand_is (f, 0, 0));
  {
    g_autoptr(OmniStockItem) blue = item_at (f, 0);

    g_assert_cmpstr (omni_stock_item_get_sku (blue), ==, "TOTE-BLUE");
    g_assert_cmpstr (omni_stock_item_get_stock_state (blue), ==, "out");
    g_assert_true (list_shows (f, "Out of stock"));
  }
}

static gint64
incoming_at (Fixture *f,
             guint    position)
{
  g_autoptr(OmniStockItem) item = item_at (f, position);

  return omni_stock_item_get_incoming (item);
}

/* The Incoming column: what ordered purchase orders will bring to each
 * row's location; drafts bring nothing yet. */
static void
test_incoming (Fixture       *f,
               gconstpointer  data)
{
  const OmniSupplierSpec supplier = { .name = "Canvas Works", .lead_time_days = 5 };
  const OmniPurchaseLineSpec ordered_lines[] = {
    { .variant_id = f->ids[1], .quantity = 7, .unit_cost = 250 },
  };
  const OmniPurchaseLineSpec draft_lines[] = {
    { .variant_id = f->ids[2], .quantity = 5, .unit_cost = 100 },
  };
  g_autoptr(GError) error = NULL;
  OmniPurchaseOrderSpec spec = { .location_id = f->back, .actor = "Maya",
                                 .lines = ordered_lines, .n_lines = 1 };
  gint64 po;

  g_assert_cmpint (incoming_at (f, 3), ==, 0);
  g_assert_false (list_shows (f, "7"));
  spec.supplier_id = omni_store_add_supplier (f->store, &supplier, &error);
  g_assert_no_error (error);
  po = omni_store_create_purchase_order (f->store, &spec, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po, &error));
  g_assert_no_error (error);
  spec.lines = draft_lines;
  g_assert_cmpint (omni_store_create_purchase_order (f->store, &spec, &error), >, 0);
  g_assert_no_error (error);
  omni_context_store_changed (f->context);

  /* Rows: red, blue, green, each at the shop floor then the back room. */
  wait_for (!omni_inventory_page_get_loading (f->page) && incoming_at (f, 3) == 7);
  g_assert_cmpint (incoming_at (f, 2), ==, 0);
  g_assert_cmpint (incoming_at (f, 5), ==, 0);
  wait_for (list_shows (f, "7"));

  /* The back room alone: the blue row keeps its 7; the shop floor has none. */
  g_assert_true (omni_inventory_page_set_location (f->page, f->back));
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 3 &&
            row_on_hand_is (f, 0, 4) && incoming_at (f, 1) == 7);
  g_assert_true (omni_inventory_page_set_location (f->page, f->shop));
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 3 &&
            row_on_hand_is (f, 0, 10));
  g_assert_cmpint (incoming_at (f, 1), ==, 0);
  g_assert_false (list_shows (f, "7"));
}

/* Adjust +5 from the row: the level, the list and the ledger follow; the
 * toast's Undo puts it back with a compensating movement. */
static void
test_adjust_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) movements = NULL;
  OmniAdjustDialog *dialog = open_adjust (f, 0);
  const OmniMovement *m;
  GtkWidget *undo;
  g_autofree char *operation = NULL;

  g_assert_cmpint (omni_adjust_dialog_get_variant_id (dialog), ==, f->ids[0]);
  omni_adjust_dialog_set_quantity (dialog, 5);
  g_assert_true (omni_adjust_dialog_set_reason (dialog, OMNI_REASON_RECEIVED));
  omni_adjust_dialog_set_note (dialog, "Delivery 42");
  g_assert_cmpint (omni_adjust_dialog_get_result (dialog), ==, 15);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "adjust.apply", NULL));
  wait_for (find_toplevel (OMNI_TYPE_ADJUST_DIALOG) == NULL);

  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 15);
  g_assert_cmpint (on_hand (f, f->ids[0], f->back), ==, 4);
  movements = history (f, f->ids[0]);
  g_assert_cmpuint (movements->len, ==, 3);
  m = g_ptr_array_index (movements, 0);
  g_assert_cmpint (m->on_hand_delta, ==, 5);
  g_assert_cmpint (m->balance, ==, 15);
  g_assert_cmpstr (m->reason, ==, "received");
  g_assert_cmpstr (m->note, ==, "Delivery 42");
  g_assert_cmpstr (m->actor, ==, "Maya");
  g_assert_cmpstr (m->source, ==, "app");
  operation = g_strdup (m->operation);
  g_clear_pointer (&movements, g_ptr_array_unref);

  wait_for (row_on_hand_is (f, 0, 15));
  g_assert_true (list_shows (f, "15"));

  /* The toast's Undo button. */
  wait_for ((undo = find_undo_button (f)) != NULL);
  g_signal_emit_by_name (undo, "clicked");
  wait_for (on_hand (f, f->ids[0], f->shop) == 10);
  movements = history (f, f->ids[0]);
  g_assert_cmpuint (movements->len, ==, 4);
  m = g_ptr_array_index (movements, 0);
  g_assert_cmpint (m->on_hand_delta, ==, -5);
  g_assert_cmpint (m->balance, ==, 10);
  g_assert_cmpstr (m->operation, !=, operation);
  /* History is never rewritten: the +5 is still there. */
  m = g_ptr_array_index (movements, 1);
  g_assert_cmpint (m->on_hand_delta, ==, 5);
  g_assert_cmpstr (m->operation, ==, operation);
  wait_for (row_on_hand_is (f, 0, 10));
}

/* Set-to on the back room's row, and through the entry point the product
 * editor calls. */
static void
test_set_to (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) movements = NULL;
  OmniAdjustDialog *dialog;
  const guint row = 1;

  select_rows (f, &row, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.adjust", NULL));
  wait_for ((dialog = (OmniAdjustDialog *) find_toplevel (OMNI_TYPE_ADJUST_DIALOG)) != NULL);
  omni_adjust_dialog_set_mode (dialog, OMNI_ADJUST_SET);
  omni_adjust_dialog_set_quantity (dialog, 2);
  g_assert_cmpint (omni_adjust_dialog_get_result (dialog), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "adjust.apply", NULL));
  wait_for (find_toplevel (OMNI_TYPE_ADJUST_DIALOG) == NULL);

  /* The row was the back room's. */
  g_assert_cmpint (on_hand (f, f->ids[0], f->back), ==, 2);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 10);
  movements = history (f, f->ids[0]);
  g_assert_cmpint (((OmniMovement *) movements->pdata[0])->on_hand_delta, ==, -2);
  g_assert_cmpstr (((OmniMovement *) movements->pdata[0])->reason, ==, "correction");
  wait_for (row_on_hand_is (f, 1, 2));

  /* What the product editor calls. */
  dialog = omni_adjust_dialog_show (GTK_WIDGET (f->page), f->context, f->ids[2], f->shop);
  g_assert_nonnull (dialog);
  omni_adjust_dialog_set_mode (dialog, OMNI_ADJUST_SET);
  omni_adjust_dialog_set_quantity (dialog, 25);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "adjust.apply", NULL));
  wait_for (find_toplevel (OMNI_TYPE_ADJUST_DIALOG) == NULL);
  g_assert_cmpint (on_hand (f, f->ids[2], f->shop), ==, 25);
  wait_for (row_on_hand_is (f, 4, 25));
}

/* Taking more than there is: refused with the store's words, in the
 * dialog, and nothing changes. */
static void
test_negative_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) before = history (f, f->ids[1]);
  g_autoptr(GPtrArray) after = NULL;
  OmniAdjustDialog *dialog = open_adjust (f, 2);

  omni_adjust_dialog_set_quantity (dialog, -8);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "adjust.apply", NULL));
  wait_for (!omni_adjust_dialog_get_busy (dialog));

  g_assert_true (find_toplevel (OMNI_TYPE_ADJUST_DIALOG) == GTK_WINDOW (dialog));
  g_assert_cmpstr (omni_adjust_dialog_get_error (dialog), ==,
                   "Not enough stock: TOTE-BLUE at Shop Floor has 6 available, and taking 8 "
                   "would leave -2; negative stock is not allowed in Preferences");
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 6);
  after = history (f, f->ids[1]);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_null (find_undo_button (f));

  /* Typing again clears the message. */
  omni_adjust_dialog_set_quantity (dialog, -6);
  g_assert_null (omni_adjust_dialog_get_error (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A transfer moves both locations in one operation. */
static void
test_transfer (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) movements = NULL;
  OmniTransferDialog *dialog;
  const guint row = 0;
  GtkSpinButton *spin;
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();

  select_rows (f, &row, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.transfer", NULL));
  wait_for ((dialog = (OmniTransferDialog *) find_toplevel (OMNI_TYPE_TRANSFER_DIALOG)) != NULL);

  /* Typed into its spin button, as a merchant does. */
  collect_descendants (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, ==, 1);
  spin = g_ptr_array_index (spins, 0);
  gtk_editable_set_text (GTK_EDITABLE (spin), "3");
  /* Enter in its text: the value is read and Move runs. */
  {
    g_autoptr(GPtrArray) texts = g_ptr_array_new ();

    collect_descendants (GTK_WIDGET (spin), GTK_TYPE_TEXT, texts);
    g_assert_cmpuint (texts->len, ==, 1);
    g_signal_emit_by_name (texts->pdata[0], "activate");
  }
  wait_for (find_toplevel (OMNI_TYPE_TRANSFER_DIALOG) == NULL);

  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 7);
  g_assert_cmpint (on_hand (f, f->ids[0], f->back), ==, 7);
  movements = history (f, f->ids[0]);
  g_assert_cmpstr (((OmniMovement *) movements->pdata[0])->reason, ==, "transfer");
  g_assert_cmpstr (((OmniMovement *) movements->pdata[0])->operation, ==,
                   ((OmniMovement *) movements->pdata[1])->operation);
  wait_for (row_on_hand_is (f, 0, 7) && row_on_hand_is (f, 1, 7));
}

/* A batch over three selected variants is one operation with one Undo. */
static void
test_batch_adjust (Fixture       *f,
                   gconstpointer  data)
{
  const guint rows[] = { 0, 1, 2, 4 };   /* red twice, blue, green */
  AdwMessageDialog *dialog;
  GtkWidget *undo;
  g_autoptr(GPtrArray) red = NULL;
  g_autoptr(GPtrArray) blue = NULL;
  g_autoptr(GPtrArray) green = NULL;
  const char *operation;

  select_rows (f, rows, G_N_ELEMENTS (rows));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.batch", "s",
                                             "adjust"));
  wait_for ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  /* It says how many variants change: three, not four rows. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Adjust 3 Variants?");
  omni_inventory_batch_prompt_set_quantity (dialog, 4);
  respond (dialog, "apply");

  wait_for (on_hand (f, f->ids[2], f->shop) == 24);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 14);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 10);
  g_assert_cmpint (on_hand (f, f->ids[0], f->back), ==, 4);
  red = history (f, f->ids[0]);
  blue = history (f, f->ids[1]);
  green = history (f, f->ids[2]);
  operation = ((OmniMovement *) red->pdata[0])->operation;
  g_assert_cmpstr (((OmniMovement *) blue->pdata[0])->operation, ==, operation);
  g_assert_cmpstr (((OmniMovement *) green->pdata[0])->operation, ==, operation);
  wait_for (row_on_hand_is (f, 4, 24));

  /* One Undo reverses all three. */
  wait_for ((undo = find_undo_button (f)) != NULL);
  g_signal_emit_by_name (undo, "clicked");
  wait_for (on_hand (f, f->ids[2], f->shop) == 20);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 10);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 6);

  /* A refused line refuses the batch: nothing changes. */
  select_rows (f, rows, G_N_ELEMENTS (rows));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.batch", "s",
                                             "adjust"));
  wait_for ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  omni_inventory_batch_prompt_set_quantity (dialog, -7);
  respond (dialog, "apply");
  wait_for (window_shows_prefix (f, "Not enough stock: TOTE-BLUE at Shop Floor"));
  g_clear_pointer (&blue, g_ptr_array_unref);
  blue = history (f, f->ids[1]);
  g_assert_cmpuint (blue->len, ==, 3);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 10);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 6);
  g_assert_cmpint (on_hand (f, f->ids[2], f->shop), ==, 20);
}

/* Moving several variants is one operation too; archiving asks, then one
 * Undo restores them all. */
static void
test_batch_transfer_and_archive (Fixture       *f,
                                 gconstpointer  data)
{
  const guint rows[] = { 0, 2 };   /* red, blue at the shop */
  AdwMessageDialog *dialog;
  GtkWidget *undo;
  g_autoptr(GPtrArray) red = NULL;
  g_autoptr(GPtrArray) blue = NULL;
  g_autoptr(OmniVariantRow) row = NULL;

  select_rows (f, rows, G_N_ELEMENTS (rows));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.batch", "s",
                                             "transfer"));
  wait_for ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Move 2 Variants?");
  omni_inventory_batch_prompt_set_quantity (dialog, 2);
  respond (dialog, "apply");
  wait_for (on_hand (f, f->ids[1], f->back) == 2 &&
            find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 4);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 8);
  g_assert_cmpint (on_hand (f, f->ids[0], f->back), ==, 6);
  red = history (f, f->ids[0]);
  blue = history (f, f->ids[1]);
  g_assert_cmpstr (((OmniMovement *) red->pdata[0])->operation, ==,
                   ((OmniMovement *) blue->pdata[0])->operation);
  g_assert_cmpstr (((OmniMovement *) red->pdata[1])->operation, ==,
                   ((OmniMovement *) blue->pdata[1])->operation);

  wait_for ((undo = find_undo_button (f)) != NULL);
  g_signal_emit_by_name (undo, "clicked");
  wait_for (on_hand (f, f->ids[1], f->back) == 0);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 6);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 10);
  g_assert_cmpint (on_hand (f, f->ids[0], f->back), ==, 4);

  /* Archive: without staff profiles the session is the owner. */
  wait_for (row_on_hand_is (f, 2, 6));
  select_rows (f, rows, G_N_ELEMENTS (rows));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.batch", "s",
                                             "archive"));
  wait_for ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Archive 2 Variants?");
  respond (dialog, "apply");
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 2 &&
            row_on_hand_is (f, 0, 20));
  row = omni_store_get_variant (f->store, f->ids[0], NULL);
  g_assert_true (row->archived);
  g_clear_pointer (&row, omni_variant_row_free);

  wait_for ((undo = find_toast_button (f, "win.restore-variants")) != NULL);
  g_signal_emit_by_name (undo, "clicked");
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 6 &&
            row_on_hand_is (f, 0, 10));
  row = omni_store_get_variant (f->store, f->ids[1], NULL);
  g_assert_false (row->archived);
}

/* Reorder points for several variants at once, with Undo. */
static void
test_batch_reorder_point (Fixture       *f,
                          gconstpointer  data)
{
  const guint rows[] = { 2, 4 };
  AdwMessageDialog *dialog;
  GtkWidget *undo;

  select_rows (f, rows, G_N_ELEMENTS (rows));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.batch", "s",
                                             "reorder-point"));
  wait_for ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Set Reorder Point of 2 Variants?");
  omni_inventory_batch_prompt_set_quantity (dialog, 9);
  respond (dialog, "apply");
  wait_for (reorder_point_of (f, f->ids[2]) == 9);
  g_assert_cmpint (reorder_point_of (f, f->ids[1]), ==, 9);
  g_assert_cmpint (reorder_point_of (f, f->ids[0]), ==, 5);

  /* TOTE-BLUE (6 available) is now low, and says so. */
  {
    g_autoptr(OmniStockItem) item = item_at (f, 2);

    wait_for (g_str_equal (omni_stock_item_get_stock_state (item), "low"));
    g_assert_true (list_shows (f, "Low"));
  }

  wait_for ((undo = find_toast_button (f, "win.restore-reorder-points")) != NULL);
  g_signal_emit_by_name (undo, "clicked");
  wait_for (reorder_point_of (f, f->ids[1]) == 2);
  g_assert_cmpint (reorder_point_of (f, f->ids[2]), ==, 2);
}

/* The history window: running balances, filters and CSV export. */
static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_history_window_export_finish (OMNI_HISTORY_WINDOW (source), result,
                                                    &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gint64
shown_balance (OmniHistoryWindow *window,
               guint              position)
{
  g_autoptr(OmniMovementItem) item =
    g_list_model_get_item (omni_history_window_get_movements (window), position);

  return omni_movement_item_get_movement (item)->balance;
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  const OmniAdjustLine sold = { f->ids[0], f->shop, -3 };
  const OmniAdjustLine back = { f->ids[0], f->back, 2 };
  const OmniAdjustOptions sale = { .reason = OMNI_REASON_SOLD, .actor = "Maya" };
  const OmniAdjustOptions found = { .reason = OMNI_REASON_CORRECTION, .actor = "Maya" };
  OmniHistoryWindow *window;
  GListModel *shown;
  const guint row = 0;
  g_autofree char *csv_path = g_build_filename (f->dir, "history.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean exported = FALSE;

  g_free (omni_store_adjust (f->store, &sold, 1, &sale, NULL));
  g_free (omni_store_adjust (f->store, &back, 1, &found, NULL));
  g_free (omni_store_adjust (f->store, &sold, 1, &sale, NULL));
  omni_context_store_changed (f->context);

  select_rows (f, &row, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "inventory.history", NULL));
  wait_for ((window = (OmniHistoryWindow *) find_toplevel (OMNI_TYPE_HISTORY_WINDOW)) != NULL);
  shown = omni_history_window_get_movements (window);
  wait_for (!omni_history_window_get_loading (window) && g_list_model_get_n_items (shown) == 5);

  /* Newest first, each with the balance at its location after it:
   * shop 10 → 7 → 4, back 4 → 6. */
  g_assert_cmpint (shown_balance (window, 0), ==, 4);
  g_assert_cmpint (shown_balance (window, 1), ==, 6);
  g_assert_cmpint (shown_balance (window, 2), ==, 7);
  g_assert_cmpint (shown_balance (window, 3), ==, 4);
  g_assert_cmpint (shown_balance (window, 4), ==, 10);

  /* Sales only: the balances stay the true ones. */
  g_assert_true (omni_history_window_set_reason (window, OMNI_REASON_SOLD));
  wait_for (!omni_history_window_get_loading (window) && g_list_model_get_n_items (shown) == 2);
  g_assert_cmpint (shown_balance (window, 0), ==, 4);
  g_assert_cmpint (shown_balance (window, 1), ==, 7);

  /* A date range before anything happened shows nothing. */
  omni_history_window_set_dates (window, "2001-01-01", "2001-12-31");
  wait_for (!omni_history_window_get_loading (window) && g_list_model_get_n_items (shown) == 0);
  omni_history_window_set_dates (window, NULL, NULL);
  wait_for (!omni_history_window_get_loading (window) && g_list_model_get_n_items (shown) == 2);

  omni_history_window_export_async (window, csv, NULL, export_cb, &exported);
  wait_for (exported);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "time,sku,title,location,change,balance,reason"));
  g_assert_nonnull (strstr (lines[1], ",TOTE-RED,Canvas Tote — Red,Shop Floor,-3,4,sold,"));
  g_assert_nonnull (strstr (lines[2], ",TOTE-RED,Canvas Tote — Red,Shop Floor,-3,7,sold,"));
  g_remove (csv_path);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A low-stock alert is raised once per crossing, however it got there. */
static void
test_low_stock_notified_once (Fixture       *f,
                              gconstpointer  data)
{
  const OmniAdjustLine down = { f->ids[1], f->shop, -4 };     /* 6 → 2 ≤ 2 */
  const OmniAdjustLine less = { f->ids[1], f->shop, -1 };     /* 2 → 1 */
  const OmniAdjustLine up = { f->ids[1], f->shop, 10 };       /* 1 → 11 */
  const OmniAdjustLine drop = { f->ids[1], f->shop, -9 };     /* 11 → 2 */
  const OmniAdjustOptions options = { .actor = "Maya", .source = "cli" };
  OmniAlertsMonitor *monitor =
    OMNI_ALERTS_MONITOR (omni_inventory_page_get_alerts_monitor (f->page));
  g_autoptr(GPtrArray) alerts = NULL;

  wait_for (!omni_alerts_monitor_get_busy (monitor));
  g_assert_cmpuint (omni_inventory_page_get_notifications_sent (f->page), ==, 0);

  g_free (omni_store_adjust (f->store, &down, 1, &options, NULL));
  omni_context_store_changed (f->context);
  wait_for (omni_inventory_page_get_notifications_sent (f->page) == 1);

  /* Still low: nothing new. */
  g_free (omni_store_adjust (f->store, &less, 1, &options, NULL));
  omni_context_store_changed (f->context);
  wait_for (!omni_alerts_monitor_get_busy (monitor));
  drain_main_context ();
  g_assert_cmpuint (omni_inventory_page_get_notifications_sent (f->page), ==, 1);
  alerts = omni_store_list_alerts (f->store, FALSE, NULL);
  g_assert_cmpuint (alerts->len, ==, 1);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Recovered: cleared. Crossing again: raised again. */
  g_free (omni_store_adjust (f->store, &up, 1, &options, NULL));
  alerts = omni_store_list_alerts (f->store, FALSE, NULL);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  omni_context_store_changed (f->context);
  wait_for (!omni_alerts_monitor_get_busy (monitor));
  g_free (omni_store_adjust (f->store, &drop, 1, &options, NULL));
  omni_context_store_changed (f->context);
  wait_for (omni_inventory_page_get_notifications_sent (f->page) == 2);
  alerts = omni_store_list_alerts (f->store, FALSE, NULL);
  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpint (((OmniStockAlert *) alerts->pdata[0])->available, ==, 2);
  g_assert_true (((OmniStockAlert *) alerts->pdata[0])->notified);
}

/* Locations in the preferences: add, rename, default, archive, restore;
 * the page's location filter follows. The negative-stock switch is the
 * store's setting. */
static void
test_preferences_locations (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  GtkWindow *preferences;
  OmniLocationsGroup *group;
  GtkSwitch *allow_negative = NULL;
  gint64 van;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  wait_for ((preferences = find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW)) != NULL);
  collect_descendants (GTK_WIDGET (preferences), OMNI_TYPE_LOCATIONS_GROUP, groups);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpuint (omni_locations_group_get_n_rows (group), ==, 2);

  /* Adding one: a third row, and a third row per variant on the page. */
  g_assert_true (omni_locations_group_add (group, "  Market Van "));
  van = omni_store_find_location (f->store, "Market Van", NULL);
  g_assert_cmpint (van, >, 0);
  g_assert_cmpuint (omni_locations_group_get_n_rows (group), ==, 3);
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 9 &&
            !omni_inventory_page_get_loading (f->page));
  /* The page's location filter offers it. */
  wait_for (omni_inventory_page_set_location (f->page, van));
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 3 &&
            !omni_inventory_page_get_loading (f->page));
  g_assert_true (omni_inventory_page_set_location (f->page, 0));
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 9 &&
            !omni_inventory_page_get_loading (f->page));

  /* A clash is refused and changes nothing. */
  g_assert_false (omni_locations_group_rename (group, van, "back room"));
  g_assert_cmpint (omni_store_find_location (f->store, "Market Van", NULL), ==, van);
  g_assert_true (omni_locations_group_rename (group, van, "Van"));
  g_assert_cmpint (omni_store_find_location (f->store, "Van", NULL), ==, van);

  /* The back room holds stock: it cannot be archived. */
  g_assert_false (omni_locations_group_set_archived (group, f->back, TRUE));
  g_assert_cmpint (omni_store_find_location (f->store, "Back Room", NULL), ==, f->back);
  /* A name is text, not markup: "&" and "<" show as written. */
  g_assert_true (omni_locations_group_rename (group, van, "Van & Stall <2>"));
  g_assert_true (omni_locations_group_set_archived (group, van, TRUE));
  g_assert_cmpint (omni_store_find_location (f->store, "Van & Stall <2>", NULL), ==, 0);
  g_assert_cmpuint (omni_locations_group_get_n_rows (group), ==, 3);
  g_assert_true (shows_label (GTK_WIDGET (group), "Van & Stall <2>"));
  wait_for (g_list_model_get_n_items (omni_inventory_page_get_model (f->page)) == 6 &&
            !omni_inventory_page_get_loading (f->page));
  g_assert_true (omni_locations_group_set_archived (group, van, FALSE));

  g_assert_true (omni_locations_group_make_default (group, f->back));
  g_assert_cmpint (omni_store_get_default_location (f->store, NULL), ==, f->back);
  /* The default comes first on the page now. */
  wait_for (first_row_location (f) == f->back);

  /* Allowing negative stock is the store's setting, which it enforces. */
  collect_descendants (GTK_WIDGET (preferences), GTK_TYPE_SWITCH, switches);
  for (guint i = 0; i < switches->len; i++)
    {
      GtkWidget *row = gtk_widget_get_ancestor (switches->pdata[i], ADW_TYPE_ACTION_ROW);

      if (row != NULL &&
          g_str_equal (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                       "_Allow Negative Stock"))
        allow_negative = switches->pdata[i];
    }
  g_assert_nonnull (allow_negative);
  g_assert_false (gtk_switch_get_active (allow_negative));
  gtk_switch_set_active (allow_negative, TRUE);
  g_assert_true (omni_store_get_allow_negative (f->store));
  gtk_switch_set_active (allow_negative, FALSE);
  g_assert_false (omni_store_get_allow_negative (f->store));

  g_object_ref (preferences);
  gtk_window_destroy (preferences);
  drain_main_context ();
  g_assert_finalize_object (preferences);
}

/* Ctrl+L covers the window with the profile picker; picking a profile
 * (after its PIN) makes it the actor of the next change. */
static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = NULL;
  OmniLockView *lock = g_object_get_data (G_OBJECT (f->window), "omni-lock-view");
  gint64 ana;

  ana = omni_store_add_staff (f->store, "Ana", "staff", NULL, &error);
  g_assert_no_error (error);
  /* a name is text, not markup */
  g_assert_cmpint (omni_store_add_staff (f->store, "Bo & Cy <Sat>", "staff", NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  g_assert_false (omni_lock_view_get_locked (lock));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.lock", NULL));
  g_assert_true (omni_lock_view_get_locked (lock));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (lock)));
  wait_for (shows_label (GTK_WIDGET (lock), "Bo & Cy <Sat>"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  g_assert_cmpint (omni_context_get_staff_id (f->context), ==, 0);

  g_assert_true (omni_lock_view_choose (lock, ana));
  wait_for (!omni_lock_view_get_locked (lock));
  g_assert_cmpint (omni_context_get_staff_id (f->context), ==, ana);
  actor = omni_context_dup_actor (f->context);
  g_assert_cmpstr (actor, ==, "Ana");
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
}

/* With profiles, a staff member at work needs an owner's PIN to open the
 * preferences; a wrong PIN is refused in the dialog. */
static void
test_preferences_need_owner (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OmniPinDialog *dialog;
  GtkWindow *preferences;
  gint64 ana;

  g_assert_cmpint (omni_store_add_staff (f->store, "Olga", "owner", "2468", &error), >, 0);
  ana = omni_store_add_staff (f->store, "Ana", "staff", NULL, &error);
  g_assert_no_error (error);
  omni_context_set_staff (f->context, ana, "Ana", "staff");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  wait_for ((dialog = (OmniPinDialog *) find_toplevel (OMNI_TYPE_PIN_DIALOG)) != NULL);
  g_assert_null (find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW));

  omni_pin_dialog_set_pin (dialog, "1111");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "pin.apply", NULL));
  wait_for (omni_pin_dialog_get_error (dialog) != NULL);
  g_assert_null (find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW));

  omni_pin_dialog_set_pin (dialog, "2468");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "pin.apply", NULL));
  wait_for ((preferences = find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW)) != NULL);
  /* Approving is not switching: Ana is still the one at work. */
  g_assert_cmpint (omni_context_get_staff_id (f->context), ==, ana);
  gtk_window_destroy (preferences);
}

/* The list of a large catalog holds only the pages in view, and a row far
 * down is the right variant at the right location. Three times the
 * variants the page budget holds (OMNI_STOCK_LIST_MAX_PAGES pages of
 * OMNI_STOCK_LIST_VARIANTS_PER_PAGE) is enough to overflow it. */
static void
test_large_list_is_paged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omnistock-stock-list-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "large.db", NULL);
  const OmniGenerateSpec spec = {
    .variants = 3 * OMNI_STOCK_LIST_MAX_PAGES * OMNI_STOCK_LIST_VARIANTS_PER_PAGE,
    .locations = 3, .movements = 12000, .seed = 7, .history_days = 30,
  };
  OmniStore *store;
  OmniStockList *list;
  g_autoptr(OmniStockItem) far = NULL;
  g_autoptr(GPtrArray) levels = NULL;
  guint n_items;
  gint64 variant;
  guint n_locations;

  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_generate (store, &spec, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  list = omni_stock_list_new (path);
  wait_for (!omni_stock_list_get_loading (list));
  n_locations = omni_stock_list_get_n_locations (list);
  g_assert_cmpuint (n_locations, ==, 3);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n_items, ==, omni_stock_list_get_n_variants (list) * 3);
  g_assert_cmpuint (omni_stock_list_get_n_variants (list), >,
                    2 * OMNI_STOCK_LIST_MAX_PAGES * OMNI_STOCK_LIST_VARIANTS_PER_PAGE);

  /* Touch rows all over the list: at most the page budget stays. */
  for (guint position = 0; position < n_items; position += n_items / 200)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (list), position);

      g_assert_nonnull (item);
    }
  g_assert_cmpuint (omni_stock_list_get_cached_pages (list), <=, OMNI_STOCK_LIST_MAX_PAGES);

  far = g_list_model_get_item (G_LIST_MODEL (list), n_items - 2);
  wait_for (omni_stock_item_get_loaded (far) && !omni_stock_list_get_loading (list));
  variant = omni_stock_item_get_variant_id (far);
  levels = omni_store_get_levels (store, variant, &error);
  g_assert_no_error (error);
  /* The second-to-last row: the last variant at its second location. */
  g_assert_cmpint (omni_stock_item_get_location_id (far), ==,
                   ((OmniLevel *) levels->pdata[1])->location_id);
  g_assert_cmpint (omni_stock_item_get_on_hand (far), ==,
                   ((OmniLevel *) levels->pdata[1])->on_hand);

  g_clear_object (&far);
  /* The worker thread drops its hold on each task just after returning it. */
  wait_for (g_atomic_int_get (&G_OBJECT (list)->ref_count) == 1);
  g_assert_finalize_object (list);
  g_assert_finalize_object (store);
  remove_database_files (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* Without a window manager, a dialog's entry may keep the focus it lost;
   * its cursor blink would then warn (fatally here) on a slow run. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/omni/inventory-page/large-list-is-paged", test_large_list_is_paged);
  add_test ("/omni/inventory-page/rows", test_rows);
  add_test ("/omni/inventory-page/incoming", test_incoming);
  add_test ("/omni/inventory-page/adjust-and-undo", test_adjust_and_undo);
  add_test ("/omni/inventory-page/set-to", test_set_to);
  add_test ("/omni/inventory-page/negative-refused", test_negative_refused);
  add_test ("/omni/inventory-page/transfer", test_transfer);
  add_test ("/omni/inventory-page/batch-adjust", test_batch_adjust);
  add_test ("/omni/inventory-page/batch-reorder-point", test_batch_reorder_point);
  add_test ("/omni/inventory-page/batch-transfer-and-archive", test_batch_transfer_and_archive);
  add_test ("/omni/inventory-page/history", test_history);
  add_test ("/omni/inventory-page/low-stock-notified-once", test_low_stock_notified_once);
  add_test ("/omni/inventory-page/preferences-locations", test_preferences_locations);
  add_test ("/omni/inventory-page/lock", test_lock);
  add_test ("/omni/inventory-page/preferences-need-owner", test_preferences_need_owner);

  status = g_test_run ();

  g_clear_object (&app);

  return status;
}
