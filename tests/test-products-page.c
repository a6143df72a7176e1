/* test-products-page.c: the Products page and the product editor, driven
 * through their real widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. Each case puts a products page in a window over a fresh
 * temporary catalog of seven variants, drives it as the merchant would
 * (column headers, filters, the search entry, the editor's fields and
 * actions), then checks both what the page shows and what the store holds.
 * Waits iterate the main context until a condition holds; they never sleep.
 */
#define G_LOG_DOMAIN "test-products-page"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "omni-adjust-dialog.h"
#include "omni-context.h"
#include "omni-product-editor-private.h"
#include "omni-product-filter-bar.h"
#include "omni-products-page.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"

typedef struct
{
  char             *dir;
  char             *path;
  OmniStore        *store;
  GSettings        *settings;
  OmniContext      *context;
  GtkWindow        *window;
  OmniProductsPage *page;
  gint64            tee_ids[4];
  gint64            mug_ids[2];
  gint64            notebook_id;
  gint64            notebook;
  gboolean          search_pending;   /* typed, the entry's delay not yet over */
  guint             frames;
} Fixture;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
search_text_changed_cb (Fixture *f)
{
  f->search_pending = TRUE;
}

/* Connected after the page's own handler: the search it starts is under way
 * (the page is busy) when this runs. */
static void
search_changed_cb (Fixture *f)
{
  f->search_pending = FALSE;
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Fixture *f = user_data;

  f->frames++;
  return G_SOURCE_CONTINUE;
}

/* Lets the page settle: the search entry's typing delay over (the entry
 * says when: its search-changed signal), the list's count and the workers
 * all done, and the window drawn twice since, so rows are laid out. */
static void
settle (Fixture *f)
{
  guint tick;

  wait_for (!f->search_pending);
  wait_for (!omni_products_page_get_busy (f->page));
  drain_main_context ();
  f->frames = 0;
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (f->window), count_frame_cb, f, NULL);
  wait_for (f->frames >= 2);
  gtk_widget_remove_tick_callback (GTK_WIDGET (f->window), tick);
  wait_for (!omni_products_page_get_busy (f->page));
}

static void
create_catalog (Fixture *f)
{
  const OmniProductSpec tee = {
    .title = "Organic Tee", .vendor = "Fernwood", .product_type = "Apparel",
    .tags = "cotton, summer", .option_names = { "Size", "Colour" },
  };
  const OmniVariantSpec tees[] = {
    { .sku = "TEE-S-RED", .options = { "S", "Red" }, .price = 2500, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
    { .sku = "TEE-M-RED", .options = { "M", "Red" }, .price = 2600, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
    { .sku = "TEE-S-BLU", .options = { "S", "Blue" }, .price = 2500, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
    { .sku = "TEE-M-BLU", .options = { "M", "Blue" }, .price = 2600, .cost = 1000,
      .compare_at_price = -1, .reorder_point = 3, .reorder_qty = 10 },
  };
  const OmniProductSpec mug = {
    .title = "Café Crème Mug", .vendor = "Jürgen's Pottery", .product_type = "Home",
    .tags = "kitchen", .option_names = { "Colour" },
  };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG-SAGE", .barcode = "4006381333931", .options = { "Sage" }, .price = 1800,
      .cost = 600, .compare_at_price = 2200, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "MUG-CLAY", .barcode = "036000291452", .options = { "Clay" }, .price = 1800,
      .cost = 600, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniProductSpec notebook = {
    .title = "Dot Grid Notebook", .vendor = "Fernwood", .product_type = "Stationery",
    .tags = "paper",
  };
  const OmniVariantSpec notebooks[] = {
    { .sku = "NB-A5", .price = 1200, .cost = 400, .compare_at_price = -1,
      .reorder_point = 5, .reorder_qty = 20 },
  };
  const OmniAdjustOptions set = { .mode = OMNI_ADJUST_SET, .reason = "received" };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (omni_store_add_location (f->store, "Shop", TRUE, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (f->store, &tee, tees, 4, f->tee_ids, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (f->store, &mug, mugs, 2, f->mug_ids, &error), >, 0);
  f->notebook = omni_store_create_product (f->store, &notebook, notebooks, 1, &f->notebook_id,
                                           &error);
  g_assert_no_error (error);

  /* TEE-S-RED low (2 <= 3), TEE-M-RED in, MUG-SAGE in, NB-A5 low (5 <= 5);
   * the rest out. */
  {
    const OmniAdjustLine lines[] = {
      { f->tee_ids[0], 0, 2 }, { f->tee_ids[1], 0, 9 },
      { f->mug_ids[0], 0, 1 }, { f->notebook_id, 0, 5 },
    };
    g_autofree char *op = omni_store_adjust (f->store, lines, G_N_ELEMENTS (lines), &set, &error);

    g_assert_no_error (error);
    g_assert_nonnull (op);
  }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  f->dir = g_dir_make_tmp ("omnistock-products-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  create_catalog (f);

  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (f->settings, keys[i]);
  f->context = omni_context_new (f->store, f->settings);

  f->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref (f->window);
  gtk_window_set_default_size (f->window, 1100, 700);
  f->page = OMNI_PRODUCTS_PAGE (omni_products_page_new (f->context));
  g_signal_connect_swapped (omni_products_page_get_search_entry (f->page), "changed",
                            G_CALLBACK (search_text_changed_cb), f);
  g_signal_connect_swapped (omni_products_page_get_search_entry (f->page), "search-changed",
                            G_CALLBACK (search_changed_cb), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  settle (f);
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
  settle (f);
  gtk_window_destroy (f->window);
  drain_main_context ();
  g_assert_finalize_object (f->window);
  drain_main_context ();
  g_assert_finalize_object (f->context);
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->store);

  remove_database_files (f->path);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

/* Reading what the page shows ---------------------------------------------- */

/* The SKUs of the list's rows, in the order shown, joined with spaces. */
static char *
shown_skus (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (omni_products_page_get_list (f->page));
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OmniVariantItem) item = g_list_model_get_item (model, i);

      wait_for (omni_variant_item_get_loaded (item));
      g_string_append_printf (out, "%s%s", i ? " " : "", omni_variant_item_get_sku (item));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The SKUs the store lists for the same query, from SQL. */
static char *
store_skus (Fixture                *f,
            const OmniVariantQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = omni_store_list_variants (f->store, query, 0, 100, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            ((OmniVariantRow *) rows->pdata[i])->sku);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child))
        g_string_append_printf (out, "|%s", gtk_label_get_label (GTK_LABEL (child)));
      collect_labels (child, out);
    }
}

/* Every label the column view shows, for "is it on screen" checks. */
static char *
view_text (Fixture *f)
{
  g_autoptr(GString) out = g_string_new (NULL);

  drain_main_context ();
  collect_labels (GTK_WIDGET (omni_products_page_get_column_view (f->page)), out);
  g_string_append_c (out, '|');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_view_shows (Fixture    *f,
                   const char *text)
{
  g_autofree char *needle = g_strdup_printf ("|%s|", text);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *shown = view_text (f);

      if (strstr (shown, needle) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("The view does not show “%s”: %s", text, shown);
      g_main_context_iteration (NULL, TRUE);
    }
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (omni_products_page_get_list (f->page)));
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LIST_VIEW (child))
        return child;
      if ((found = find_list_view (child)) != NULL)
        return found;
    }
  return NULL;
}

static GtkSelectionModel *
selection_model (Fixture *f)
{
  return gtk_column_view_get_model (omni_products_page_get_column_view (f->page));
}

static void
type_search (Fixture    *f,
             const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (omni_products_page_get_search_entry (f->page)), text);
  settle (f);
}

static GtkColumnViewColumn *
column (Fixture *f,
        guint    index)
{
  GListModel *columns = gtk_column_view_get_columns (omni_products_page_get_column_view (f->page));
  GtkColumnViewColumn *result = g_list_model_get_item (columns, index);

  g_object_unref (result);   /* the view holds it */
  return result;
}

static gint64
count_store_variants (Fixture *f)
{
  const OmniVariantQuery all = { .sort = OMNI_SORT_TITLE };
  g_autoptr(GError) error = NULL;
  gint64 n = omni_store_count_variants (f->store, &all, &error);

  g_assert_no_error (error);
  return n;
}

/* The cases ------------------------------------------------------------------ */

static void
test_sort_by_header (Fixture       *f,
                     gconstpointer  data)
{
  const OmniVariantQuery by_price_desc = { .sort = OMNI_SORT_PRICE, .descending = TRUE };
  const OmniVariantQuery by_sku = { .sort = OMNI_SORT_SKU };
  const OmniVariantQuery by_available_desc = { .sort = OMNI_SORT_AVAILABLE, .descending = TRUE };
  GtkColumnView *view = omni_products_page_get_column_view (f->page);
  g_autofree char *initial = shown_skus (f);
  g_autofree char *by_price = NULL;
  g_autofree char *sql_price = store_skus (f, &by_price_desc);
  g_autofree char *by_sku_shown = NULL;
  g_autofree char *sql_sku = store_skus (f, &by_sku);
  g_autofree char *by_available = NULL;
  g_autofree char *sql_available = store_skus (f, &by_available_desc);

  g_assert_cmpstr (omni_products_page_get_state (f->page), ==, "list");
  g_assert_cmpstr (initial, ==, "MUG-SAGE MUG-CLAY NB-A5 TEE-S-RED TEE-M-RED TEE-S-BLU TEE-M-BLU");
  assert_view_shows (f, "Café Crème Mug");
  assert_view_shows (f, "TEE-M-BLU");

  /* The columns: image, title, SKU, options, price, available, status. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, 7);
  g_assert_cmpstr (gtk_column_view_column_get_title (column (f, 4)), ==, "Price");

  /* What a click on the header does: the column view's sorter changes. */
  gtk_column_view_sort_by_column (view, column (f, 4), GTK_SORT_DESCENDING);
  settle (f);
  by_price = shown_skus (f);
  g_assert_cmpstr (sql_price, ==, "TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED MUG-CLAY MUG-SAGE NB-A5");
  g_assert_cmpstr (by_price, ==, sql_price);

  gtk_column_view_sort_by_column (view, column (f, 2), GTK_SORT_ASCENDING);
  settle (f);
  by_sku_shown = shown_skus (f);
  g_assert_cmpstr (by_sku_shown, ==, sql_sku);
  g_assert_cmpstr (by_sku_shown, ==, "MUG-CLAY MUG-SAGE NB-A5 TEE-M-BLU TEE-M-RED TEE-S-BLU TEE-S-RED");

  gtk_column_view_sort_by_column (view, column (f, 5), GTK_SORT_DESCENDING);
  settle (f);
  by_available = shown_skus (f);
  g_assert_cmpstr (by_available, ==, sql_available);
  g_assert_true (g_str_has_prefix (by_available, "TEE-M-RED NB-A5 TEE-S-RED MUG-SAGE"));

  /* No sorted column: back to titles. */
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  settle (f);
  g_clear_pointer (&by_available, g_free);
  by_available = shown_skus (f);
  g_assert_cmpstr (by_available, ==, initial);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  OmniProductFilterBar *bar = OMNI_PRODUCT_FILTER_BAR (omni_products_page_get_filter_bar (f->page));
  g_autofree char *low = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpuint (n_rows (f), ==, 7);

  omni_product_filter_bar_set_vendor (bar, "Fernwood");
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 5);

  omni_product_filter_bar_set_tag (bar, "summer");
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 4);

  omni_product_filter_bar_set_product_type (bar, "Home");
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (omni_products_page_get_state (f->page), ==, "empty");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "products.clear-filters", NULL);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 7);
  g_assert_cmpstr (omni_products_page_get_state (f->page), ==, "list");

  omni_product_filter_bar_set_stock (bar, OMNI_STOCK_LOW);
  settle (f);
  low = shown_skus (f);
  g_assert_cmpstr (low, ==, "NB-A5 TEE-S-RED");
  assert_view_shows (f, "Low Stock");

  omni_product_filter_bar_set_stock (bar, OMNI_STOCK_OUT);
  settle (f);
  out = shown_skus (f);
  g_assert_cmpstr (out, ==, "MUG-CLAY TEE-S-BLU TEE-M-BLU");
  assert_view_shows (f, "Out of Stock");

  omni_product_filter_bar_set_stock (bar, OMNI_STOCK_ARCHIVED);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (omni_products_page_get_state (f->page), ==, "empty");
}

static gboolean
entry_has_focus (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  GtkWidget *entry = omni_products_page_get_search_entry (f->page);

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

/* Runs the page's shortcut for Ctrl+@key as a key press would. */
static gboolean
press_shortcut (Fixture *f,
                guint    key)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->page));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) !=
          GTK_SHORTCUT_SCOPE_GLOBAL)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (key, GDK_CONTROL_MASK);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                 GTK_WIDGET (f->page), NULL);
        }
    }
  g_error ("The page has no shortcut for Ctrl+%s", gdk_keyval_name (key));
  return FALSE;
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *mugs = NULL;
  g_autofree char *blue = NULL;

  /* Accent- and case-insensitive, through the FTS index. */
  type_search (f, "CREME");
  mugs = shown_skus (f);
  g_assert_cmpstr (mugs, ==, "MUG-SAGE MUG-CLAY");
  assert_view_shows (f, "MUG-CLAY");

  type_search (f, "tee blu");
  blue = shown_skus (f);
  g_assert_cmpstr (blue, ==, "TEE-S-BLU TEE-M-BLU");

  type_search (f, "nothing like this");
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (omni_products_page_get_state (f->page), ==, "empty");

  /* Longer than the store takes: cut, not an error. */
  {
    g_autofree char *long_text = g_strnfill (300, 'x');

    type_search (f, long_text);
    g_assert_cmpuint (n_rows (f), ==, 0);
    g_assert_cmpstr (omni_products_page_get_state (f->page), ==, "empty");
  }

  type_search (f, "");
  g_assert_cmpuint (n_rows (f), ==, 7);

  /* Ctrl+F, with the focus in the list, puts it in the entry. */
  gtk_widget_grab_focus (GTK_WIDGET (omni_products_page_get_column_view (f->page)));
  g_assert_false (entry_has_focus (f));
  g_assert_true (press_shortcut (f, GDK_KEY_f));
  drain_main_context ();
  g_assert_true (entry_has_focus (f));
}

static void
test_jump_to_code (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;

  /* A scanned barcode: that variant, selected. */
  type_search (f, "036000291452");
  wait_for (omni_products_page_get_n_selected (f->page) == 1);
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->mug_ids[1]);
  g_clear_pointer (&ids, g_array_unref);

  /* An exact SKU among other matches, sorted so it is not the first row. */
  gtk_column_view_sort_by_column (omni_products_page_get_column_view (f->page), column (f, 2),
                                  GTK_SORT_DESCENDING);
  type_search (f, "TEE-M-RED");
  wait_for (omni_products_page_get_n_selected (f->page) == 1);
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->tee_ids[1]);
  g_assert_true (gtk_selection_model_is_selected (selection_model (f), 0));
  g_clear_pointer (&ids, g_array_unref);

  /* Part of a SKU is a search, not a jump. */
  gtk_selection_model_unselect_all (selection_model (f));
  type_search (f, "TEE-S");
  g_assert_cmpuint (n_rows (f), ==, 2);
  g_assert_cmpuint (omni_products_page_get_n_selected (f->page), ==, 0);
}

static void
test_multi_select (Fixture       *f,
                   gconstpointer  data)
{
  const OmniVariantQuery by_title = { .sort = OMNI_SORT_TITLE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) expected = NULL;
  GtkWidget *list_view = find_list_view (GTK_WIDGET (omni_products_page_get_column_view (f->page)));

  g_assert_nonnull (list_view);
  g_assert_cmpuint (omni_products_page_get_n_selected (f->page), ==, 0);
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);

  /* A click, then Ctrl-clicks (select-item: position, modify, extend). */
  gtk_widget_activate_action (list_view, "list.select-item", "(ubb)", 0, FALSE, FALSE);
  gtk_widget_activate_action (list_view, "list.select-item", "(ubb)", 3, TRUE, FALSE);
  gtk_widget_activate_action (list_view, "list.select-item", "(ubb)", 6, TRUE, FALSE);
  drain_main_context ();
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->mug_ids[0]);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, f->tee_ids[0]);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, f->tee_ids[3]);
  g_clear_pointer (&ids, g_array_unref);

  /* Shift-click from row 1 to row 2. */
  gtk_widget_activate_action (list_view, "list.select-item", "(ubb)", 1, FALSE, FALSE);
  gtk_widget_activate_action (list_view, "list.select-item", "(ubb)", 2, FALSE, TRUE);
  drain_main_context ();
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->mug_ids[1]);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, f->notebook_id);
  g_clear_pointer (&ids, g_array_unref);

  /* Ctrl+A. */
  gtk_widget_activate_action (list_view, "list.select-all", NULL);
  drain_main_context ();
  g_assert_cmpuint (omni_products_page_get_n_selected (f->page), ==, 7);
  all = omni_products_page_dup_selected_variant_ids (f->page);
  expected = omni_store_list_variant_ids (f->store, &by_title, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 7);
  g_assert_cmpmem (all->data, all->len * sizeof (gint64),
                   expected->data, expected->len * sizeof (gint64));
}

static void
ids_ready_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = omni_products_page_list_selected_variant_ids_finish (OMNI_PRODUCTS_PAGE (source),
                                                              result, &error);
  g_assert_no_error (error);
}

static GArray *
list_selected_ids (Fixture *f)
{
  GArray *ids = NULL;

  omni_products_page_list_selected_variant_ids_async (f->page, NULL, ids_ready_cb, &ids);
  wait_for (ids != NULL);
  return ids;
}

/* More rows than are loaded: the ids come from the store. */
static void
test_multi_select_unloaded (Fixture       *f,
                            gconstpointer  data)
{
  const OmniVariantQuery by_title = { .sort = OMNI_SORT_TITLE };
  const guint picks[] = { 1, 3, 150, 151, 152, 260, 404 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) async_ids = NULL;

  g_assert_true (omni_store_begin (f->store, &error));
  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *title = g_strdup_printf ("Bulk Item %03u", i);
      g_autofree char *sku = g_strdup_printf ("BULK-%03u", i);
      const OmniProductSpec product = { .title = title };
      const OmniVariantSpec variant = { .sku = sku, .price = 100 + i, .compare_at_price = -1,
                                        .cost = -1, .reorder_point = -1, .reorder_qty = -1 };

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, NULL, &error),
                       >, 0);
    }
  g_assert_true (omni_store_commit (f->store, &error));
  omni_context_store_changed (f->context);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 407);
  expected = omni_store_list_variant_ids (f->store, &by_title, 0, 0, &error);
  g_assert_no_error (error);

  omni_products_page_select_all (f->page);
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  async_ids = list_selected_ids (f);
  g_assert_cmpuint (ids->len, ==, 407);
  g_assert_cmpmem (ids->data, ids->len * sizeof (gint64),
                   expected->data, expected->len * sizeof (gint64));
  g_assert_cmpmem (async_ids->data, async_ids->len * sizeof (gint64),
                   expected->data, expected->len * sizeof (gint64));
  g_clear_pointer (&ids, g_array_unref);
  g_clear_pointer (&async_ids, g_array_unref);

  /* Scattered rows, most never shown: read as one span. */
  gtk_selection_model_unselect_all (selection_model (f));
  for (guint i = 0; i < G_N_ELEMENTS (picks); i++)
    gtk_selection_model_select_item (selection_model (f), picks[i], FALSE);
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  async_ids = list_selected_ids (f);
  g_assert_cmpuint (ids->len, ==, G_N_ELEMENTS (picks));
  g_assert_cmpuint (async_ids->len, ==, G_N_ELEMENTS (picks));
  for (guint i = 0; i < G_N_ELEMENTS (picks); i++)
    {
      g_assert_cmpint (g_array_index (ids, gint64, i), ==,
                       g_array_index (expected, gint64, picks[i]));
      g_assert_cmpint (g_array_index (async_ids, gint64, i), ==,
                       g_array_index (expected, gint64, picks[i]));
    }
}

static OmniProductEditor *
open_new_editor (Fixture *f)
{
  GtkWidget *editor;

  gtk_widget_activate_action (GTK_WIDGET (f->page), "products.new", NULL);
  editor = omni_products_page_get_editor (f->page);
  g_assert_true (OMNI_IS_PRODUCT_EDITOR (editor));
  wait_for (gtk_widget_get_mapped (editor));
  return OMNI_PRODUCT_EDITOR (editor);
}

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
test_editor_creates_matrix (Fixture       *f,
                            gconstpointer  data)
{
  OmniProductEditor *editor = open_new_editor (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniProduct) product = NULL;
  const char *skus[] = { "LS-S-WHT", "LS-S-BLK", "LS-M-WHT", "LS-M-BLK" };
  const char *options[] = { "S / White", "S / Black", "M / White", "M / Black" };
  gint64 product_id;

  set_entry (editor->entries[PRODUCT_FIELD_TITLE], "Linen Shirt");
  set_entry (editor->entries[PRODUCT_FIELD_VENDOR], "Fernwood");
  omni_product_options_group_set_text (editor->options_group, 0, "Size", "S, M");
  omni_product_options_group_set_text (editor->options_group, 1, "Colour", "White, Black");
  g_assert_cmpuint (omni_product_editor_get_n_variants (editor), ==, 4);

  for (guint i = 0; i < 4; i++)
    {
      OmniVariantEditorRow *row = omni_product_editor_get_variant_row (editor, i);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, options[i]);
      omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_SKU, skus[i]);
      omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_PRICE, i < 2 ? "30" : "32.50");
    }
  omni_variant_editor_row_set_text (omni_product_editor_get_variant_row (editor, 0),
                                    OMNI_VARIANT_FIELD_BARCODE, "4006381333948");
  g_assert_true (omni_product_editor_get_valid (editor));
  g_assert_true (gtk_widget_is_sensitive (editor->save_button));

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  wait_for (omni_products_page_get_editor (f->page) == NULL);
  settle (f);

  product_id = omni_store_find_product (f->store, "LS-S-WHT", &error);
  g_assert_no_error (error);
  product = omni_store_get_product (f->store, product_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->title, ==, "Linen Shirt");
  g_assert_cmpstr (product->vendor, ==, "Fernwood");
  g_assert_cmpstr (product->option_names[0], ==, "Size");
  g_assert_cmpstr (product->option_names[1], ==, "Colour");
  g_assert_null (product->option_names[2]);
  g_assert_cmpuint (product->variants->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      OmniVariantRow *row = g_ptr_array_index (product->variants, i);

      g_assert_cmpstr (row->sku, ==, skus[i]);
      g_assert_cmpstr (row->options, ==, options[i]);
      g_assert_cmpint (row->price, ==, i < 2 ? 3000 : 3250);
    }
  g_assert_cmpstr (((OmniVariantRow *) product->variants->pdata[0])->barcode, ==,
                   "4006381333948");

  /* The list read the store again. */
  g_assert_cmpuint (n_rows (f), ==, 11);
  assert_view_shows (f, "Linen Shirt");
}

static void
test_editor_refuses (Fixture       *f,
                     gconstpointer  data)
{
  OmniProductEditor *editor = open_new_editor (f);
  OmniVariantEditorRow *row;
  gint64 before = count_store_variants (f);
  GtkWidget *dialog;

  /* No options: one default variant. */
  g_assert_cmpuint (omni_product_editor_get_n_variants (editor), ==, 1);
  row = omni_product_editor_get_variant_row (editor, 0);

  /* A SKU another active variant has. */
  set_entry (editor->entries[PRODUCT_FIELD_TITLE], "Another Mug");
  omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_SKU, "MUG-SAGE");
  g_assert_cmpstr (omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_SKU), ==,
                   "SKU “MUG-SAGE” is already used by another active variant");
  g_assert_true (gtk_widget_has_css_class (
    GTK_WIDGET (omni_variant_editor_row_get_entry (row, OMNI_VARIANT_FIELD_SKU)), "error"));
  g_assert_null (omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_PRICE));
  g_assert_null (omni_error_row_get_message (editor->errors[PRODUCT_FIELD_TITLE]));
  g_assert_false (omni_product_editor_get_valid (editor));
  g_assert_false (gtk_widget_is_sensitive (editor->save_button));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_false (omni_product_editor_save (editor));
  g_assert_false (omni_product_editor_get_saving (editor));

  /* An empty title. */
  omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_SKU, "MUG-NEW");
  g_assert_null (omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_SKU));
  g_assert_true (omni_product_editor_get_valid (editor));
  set_entry (editor->entries[PRODUCT_FIELD_TITLE], "   ");
  g_assert_cmpstr (omni_error_row_get_message (editor->errors[PRODUCT_FIELD_TITLE]), ==,
                   "Enter a title");
  g_assert_null (omni_error_row_get_message (editor->errors[PRODUCT_FIELD_VENDOR]));
  g_assert_false (omni_product_editor_save (editor));

  /* A negative price. */
  set_entry (editor->entries[PRODUCT_FIELD_TITLE], "Another Mug");
  omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_PRICE, "-5");
  g_assert_nonnull (omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_PRICE));
  g_assert_null (omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_SKU));
  g_assert_null (omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_COST));
  g_assert_null (omni_error_row_get_message (editor->errors[PRODUCT_FIELD_TITLE]));
  g_assert_false (omni_product_editor_save (editor));

  /* A value listed twice in an option. */
  omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_PRICE, "5");
  omni_product_options_group_set_text (editor->options_group, 0, "Size", "S, M, s");
  g_assert_false (omni_product_editor_get_valid (editor));
  g_assert_false (omni_product_editor_save (editor));

  drain_main_context ();
  g_assert_cmpint (count_store_variants (f), ==, before);
  g_assert_cmpint (omni_store_find_product (f->store, "MUG-NEW", NULL), ==, 0);

  /* Unsaved changes are never dropped silently: closing asks. */
  gtk_window_close (GTK_WINDOW (editor));
  drain_main_context ();
  g_assert_true (omni_products_page_get_editor (f->page) == GTK_WIDGET (editor));
  dialog = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (window))
          dialog = GTK_WIDGET (window);
      }
  }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  wait_for (omni_products_page_get_editor (f->page) == NULL);
  g_assert_cmpint (count_store_variants (f), ==, before);
}

static void
count_cb (gpointer data)
{
  (*(guint *) data)++;
}

/* The SKU was free when typed, and taken by another writer before the
 * save: the store's refusal lands under the SKU, and nothing is written. */
static void
test_editor_store_refuses (Fixture       *f,
                           gconstpointer  data)
{
  const OmniProductSpec other = { .title = "Other Shop Window" };
  const OmniVariantSpec other_variant = { .sku = "RACE-1", .price = 100, .compare_at_price = -1,
                                          .cost = -1, .reorder_point = -1, .reorder_qty = -1 };
  OmniProductEditor *editor = open_new_editor (f);
  OmniVariantEditorRow *row = omni_product_editor_get_variant_row (editor, 0);
  g_autoptr(GError) error = NULL;
  guint failed = 0, saved = 0;
  gint64 before;

  g_signal_connect_swapped (editor, "save-failed", G_CALLBACK (count_cb), &failed);
  g_signal_connect_swapped (editor, "saved", G_CALLBACK (count_cb), &saved);
  set_entry (editor->entries[PRODUCT_FIELD_TITLE], "Race Lamp");
  omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_SKU, "RACE-1");
  g_assert_true (omni_product_editor_get_valid (editor));

  g_assert_cmpint (omni_store_create_product (f->store, &other, &other_variant, 1, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  before = count_store_variants (f);

  g_assert_true (omni_product_editor_save (editor));
  wait_for (failed == 1);
  g_assert_cmpuint (saved, ==, 0);
  g_assert_false (omni_product_editor_get_saving (editor));
  g_assert_cmpstr (omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_SKU), ==,
                   "SKU “RACE-1” is already used by another active variant");
  g_assert_null (omni_error_row_get_message (editor->errors[PRODUCT_FIELD_TITLE]));
  g_assert_true (omni_products_page_get_editor (f->page) == GTK_WIDGET (editor));
  g_assert_cmpint (count_store_variants (f), ==, before);
  g_assert_cmpint (omni_store_find_product (f->store, "Race Lamp", NULL), ==, 0);

  /* Another SKU, and it saves. */
  omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_SKU, "RACE-2");
  g_assert_true (omni_product_editor_save (editor));
  wait_for (saved == 1);
  g_assert_cmpint (count_store_variants (f), ==, before + 1);
  g_assert_cmpint (omni_store_find_product (f->store, "RACE-2", NULL), >, 0);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_editor_edits (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniVariantRow) variant = NULL;
  OmniProductEditor *editor;
  OmniVariantEditorRow *row = NULL;

  /* Double-click (activate) on the notebook's row: position 2 by title. */
  g_signal_emit_by_name (omni_products_page_get_column_view (f->page), "activate", 2);
  editor = OMNI_PRODUCT_EDITOR (omni_products_page_get_editor (f->page));
  g_assert_nonnull (editor);
  g_assert_cmpint (omni_product_editor_get_product_id (editor), ==, f->notebook);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->entries[PRODUCT_FIELD_TITLE])),
                   ==, "Dot Grid Notebook");
  g_assert_false (omni_product_editor_get_dirty (editor));

  row = omni_product_editor_get_variant_row (editor, 0);
  omni_variant_editor_row_set_text (row, OMNI_VARIANT_FIELD_PRICE, "14.00");
  g_assert_true (omni_product_editor_get_dirty (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  wait_for (omni_products_page_get_editor (f->page) == NULL);
  settle (f);

  variant = omni_store_get_variant (f->store, f->notebook_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (variant->price, ==, 1400);
  g_assert_cmpstr (variant->sku, ==, "NB-A5");
}

static GtkWidget *
find_button_with_tooltip (GtkWidget  *widget,
                          const char *tooltip)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static OmniAdjustDialog *
find_adjust_dialog (void)
{
  g_autoptr(GListModel) toplevels = NULL;

  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (OMNI_IS_ADJUST_DIALOG (window))
        return OMNI_ADJUST_DIALOG (window);
    }
  return NULL;
}

/* Stock is adjusted from the editor through the inventory's adjust dialog,
 * for the variant of the row the button is on. */
static void
test_editor_adjusts_stock (Fixture       *f,
                           gconstpointer  data)
{
  OmniProductEditor *editor;
  OmniAdjustDialog *dialog;
  GtkWidget *button;

  g_signal_emit_by_name (omni_products_page_get_column_view (f->page), "activate", 2);
  editor = OMNI_PRODUCT_EDITOR (omni_products_page_get_editor (f->page));
  g_assert_nonnull (editor);
  g_assert_cmpint (omni_product_editor_get_product_id (editor), ==, f->notebook);

  button = find_button_with_tooltip (GTK_WIDGET (omni_product_editor_get_variant_row (editor, 0)),
                                     "Adjust Stock…");
  g_assert_nonnull (button);
  g_assert_null (find_adjust_dialog ());
  g_signal_emit_by_name (button, "clicked");
  wait_for ((dialog = find_adjust_dialog ()) != NULL);
  g_assert_cmpint (omni_adjust_dialog_get_variant_id (dialog), ==, f->notebook_id);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (editor));
  settle (f);
}

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniProduct) copy = NULL;
  OmniProductEditor *editor;
  gint64 copy_id;

  /* The notebook's row, then Duplicate: the copy opens in the editor. */
  gtk_selection_model_select_item (selection_model (f), 2, TRUE);
  drain_main_context ();
  gtk_widget_activate_action (GTK_WIDGET (f->page), "products.duplicate", NULL);
  wait_for (omni_products_page_get_editor (f->page) != NULL);
  settle (f);

  editor = OMNI_PRODUCT_EDITOR (omni_products_page_get_editor (f->page));
  copy_id = omni_product_editor_get_product_id (editor);
  g_assert_cmpint (copy_id, >, f->notebook);
  copy = omni_store_get_product (f->store, copy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->title, ==, "Copy of Dot Grid Notebook");
  g_assert_cmpstr (copy->status, ==, "draft");
  g_assert_cmpuint (copy->variants->len, ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->entries[PRODUCT_FIELD_TITLE])),
                   ==, "Copy of Dot Grid Notebook");
  g_assert_cmpuint (n_rows (f), ==, 8);
  assert_view_shows (f, "Copy of Dot Grid Notebook");

  gtk_window_close (GTK_WINDOW (editor));
  wait_for (omni_products_page_get_editor (f->page) == NULL);
}

static void
test_archive_and_restore (Fixture       *f,
                          gconstpointer  data)
{
  OmniProductFilterBar *bar = OMNI_PRODUCT_FILTER_BAR (omni_products_page_get_filter_bar (f->page));
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniProduct) product = NULL;
  g_autofree char *left = NULL;
  gint64 products_before;

  /* The notebook is row 2 by title. */
  gtk_selection_model_select_item (selection_model (f), 2, TRUE);
  drain_main_context ();
  gtk_widget_activate_action (GTK_WIDGET (f->page), "products.archive", NULL);
  settle (f);

  product = omni_store_get_product (f->store, f->notebook, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->status, ==, "archived");
  g_assert_cmpuint (n_rows (f), ==, 6);
  left = shown_skus (f);
  g_assert_cmpstr (left, ==, "MUG-SAGE MUG-CLAY TEE-S-RED TEE-M-RED TEE-S-BLU TEE-M-BLU");
  products_before = count_store_variants (f);
  g_assert_cmpint (products_before, ==, 6);

  /* Archived products show under their own filter, and come back. */
  omni_product_filter_bar_set_stock (bar, OMNI_STOCK_ARCHIVED);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 1);
  gtk_selection_model_select_item (selection_model (f), 0, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "products.restore", NULL);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_clear_pointer (&product, omni_product_free);
  product = omni_store_get_product (f->store, f->notebook, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->status, ==, "active");

  omni_product_filter_bar_set_stock (bar, OMNI_STOCK_ANY);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 7);

  /* Undo from the toast archives it again. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "products.undo", NULL);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 6);
}

static void
test_empty_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omnistock-products-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);
  OmniStore *store = omni_store_open (path, &error);
  GSettings *settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  OmniContext *context = omni_context_new (store, settings);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  OmniProductsPage *page = OMNI_PRODUCTS_PAGE (omni_products_page_new (context));

  g_assert_no_error (error);
  g_object_ref (window);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (page)) && !omni_products_page_get_busy (page));
  g_assert_cmpstr (omni_products_page_get_state (page), ==, "no-products");

  gtk_window_destroy (window);
  drain_main_context ();
  g_assert_finalize_object (window);
  g_assert_finalize_object (context);
  g_object_unref (settings);
  g_assert_finalize_object (store);
  remove_database_files (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) \
  g_test_add ("/omni/products-page/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("sort-by-header", test_sort_by_header);
  ADD ("filters", test_filters);
  ADD ("search", test_search);
  ADD ("jump-to-code", test_jump_to_code);
  ADD ("multi-select", test_multi_select);
  ADD ("multi-select-unloaded", test_multi_select_unloaded);
  ADD ("editor-creates-matrix", test_editor_creates_matrix);
  ADD ("editor-refuses", test_editor_refuses);
  ADD ("editor-store-refuses", test_editor_store_refuses);
  ADD ("editor-edits", test_editor_edits);
  ADD ("editor-adjusts-stock", test_editor_adjusts_stock);
  ADD ("duplicate", test_duplicate);
  ADD ("archive-and-restore", test_archive_and_restore);
  g_test_add_func ("/omni/products-page/empty-catalog", test_empty_catalog);

#undef ADD

  return g_test_run ();
}
