/* test-products-menu.c: the context menu of the product list's rows,
 * driven through its real widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. Each case puts a products page in a window over a fresh
 * temporary catalog, opens the row menu the ways a merchant does (the Menu
 * key or Shift+F10 on the focused row, through the page's own shortcuts; a
 * right click, through the view's own gesture), activates the menu's items
 * (GtkModelButtons) and checks the selection, the clipboard, the toasts and
 * what the store holds. Waits iterate the main context until a condition
 * holds; they never sleep.
 *
 * With OMNISTOCK_SCREENSHOT_DIR set, the screen with the menu open is saved
 * there: products-row-menu.png (demo catalog, right click) and
 * products-row-menu-keyboard.png (Menu key on a two-row selection).
 */
#define G_LOG_DOMAIN "test-products-menu"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "omni-context.h"
#include "omni-product-columns.h"
#include "omni-product-filter-bar.h"
#include "omni-products-page.h"
#include "omni-store-catalog.h"
#include "omni-store-demo.h"
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
  gint64            tee;
  gint64            mug;
  gint64            notebook;
} Fixture;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
settle (Fixture *f)
{
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  wait_for (g_get_monotonic_time () > until);
  wait_for (!omni_products_page_get_busy (f->page));
  drain_main_context ();
  wait_for (!omni_products_page_get_busy (f->page));
}

/* Rows by title: MUG-SAGE MUG-CLAY | NB-A5 | TEE-S-RED TEE-M-RED TEE-S-BLU
 * TEE-M-BLU. */
static void
create_catalog (Fixture *f)
{
  const OmniProductSpec tee = {
    .title = "Organic Tee", .vendor = "Fernwood", .product_type = "Apparel",
    .option_names = { "Size", "Colour" },
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
    .option_names = { "Colour" },
  };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG-SAGE", .options = { "Sage" }, .price = 1800, .cost = 600,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "MUG-CLAY", .options = { "Clay" }, .price = 1800, .cost = 600,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniProductSpec notebook = {
    .title = "Dot Grid Notebook", .vendor = "Fernwood", .product_type = "Stationery",
  };
  const OmniVariantSpec notebooks[] = {
    { .sku = "NB-A5", .price = 1200, .cost = 400, .compare_at_price = -1,
      .reorder_point = 5, .reorder_qty = 20 },
  };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (omni_store_add_location (f->store, "Shop", TRUE, &error), >, 0);
  f->tee = omni_store_create_product (f->store, &tee, tees, 4, NULL, &error);
  g_assert_no_error (error);
  f->mug = omni_store_create_product (f->store, &mug, mugs, 2, NULL, &error);
  g_assert_no_error (error);
  f->notebook = omni_store_create_product (f->store, &notebook, notebooks, 1, NULL, &error);
  g_assert_no_error (error);
}

/* 300 more variants, so that Ctrl+A selects rows that have not loaded. */
static void
create_large_catalog (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  create_catalog (f);
  for (guint p = 0; p < 3; p++)
    {
      g_autofree char *title = g_strdup_printf ("Zine Volume %u", p + 1);
      OmniProductSpec zine = { .title = title, .option_names = { "Issue" } };
      g_autofree OmniVariantSpec *specs = g_new0 (OmniVariantSpec, 100);
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < 100; i++)
        {
          char *sku = g_strdup_printf ("ZINE-%u-%03u", p + 1, i);
          char *issue = g_strdup_printf ("%03u", i);

          g_ptr_array_add (strings, sku);
          g_ptr_array_add (strings, issue);
          specs[i].sku = sku;
          specs[i].options[0] = issue;
          specs[i].price = 500;
          specs[i].cost = -1;
          specs[i].compare_at_price = -1;
          specs[i].reorder_point = -1;
          specs[i].reorder_qty = -1;
        }
      g_assert_cmpint (omni_store_create_product (f->store, &zine, specs, 100, NULL, &error),
                       >, 0);
      g_assert_no_error (error);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  f->dir = g_dir_make_tmp ("omnistock-products-menu-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  if (g_strcmp0 (data, "demo") == 0)
    g_assert_true (omni_store_load_demo (f->store, OMNI_DEMO_DEFAULT_SEED, &error));
  else if (g_strcmp0 (data, "large") == 0)
    create_large_catalog (f);
  else
    create_catalog (f);
  g_assert_no_error (error);

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
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  settle (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  settle (f);
  gtk_window_destroy (f->window);
  drain_main_context ();
  g_assert_finalize_object (f->window);
  drain_main_context ();
  g_assert_finalize_object (f->context);
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

/* Finding widgets ---------------------------------------------------------- */

static GtkSelectionModel *
selection_model (Fixture *f)
{
  return gtk_column_view_get_model (omni_products_page_get_column_view (f->page));
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (omni_products_page_get_list (f->page)));
}

/* The row widget showing @position. */
static GtkWidget *
find_row (GtkWidget *widget,
          GtkColumnView *view,
          guint      position)
{
  guint found;

  if (g_str_equal (gtk_widget_get_css_name (widget), "row") &&
      omni_product_columns_find_position (view, widget, &found) && found == position)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = find_row (child, view, position);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static GtkWidget *
row_widget (Fixture *f,
            guint    position)
{
  GtkColumnView *view = omni_products_page_get_column_view (f->page);
  GtkWidget *row = find_row (GTK_WIDGET (view), view, position);

  g_assert_nonnull (row);
  return row;
}

/* The row menu: the popover menu the page holds. */
static GtkPopover *
row_menu (Fixture *f)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->page)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      return GTK_POPOVER (child);
  g_error ("The products page has no row menu");
  return NULL;
}

static char *
strip_underline (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The menu item (a GtkModelButton) labelled @label, or NULL. */
static GtkWidget *
find_item (GtkWidget  *widget,
           const char *label)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton"))
    {
      g_autofree char *text = NULL;
      g_autofree char *plain = NULL;

      g_object_get (widget, "text", &text, NULL);
      plain = strip_underline (text != NULL ? text : "");
      if (g_str_equal (plain, label))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *item = find_item (child, label);

      if (item != NULL)
        return item;
    }
  return NULL;
}

/* Whether the open menu offers @label, and whether it can be chosen. */
static gboolean
item_shown (Fixture    *f,
            const char *label)
{
  GtkWidget *item = find_item (GTK_WIDGET (row_menu (f)), label);

  return item != NULL && gtk_widget_get_mapped (item);
}

static gboolean
item_enabled (Fixture    *f,
              const char *label)
{
  GtkWidget *item = find_item (GTK_WIDGET (row_menu (f)), label);

  g_assert_nonnull (item);
  g_assert_true (gtk_widget_get_mapped (item));
  return gtk_widget_is_sensitive (item);
}

static void
choose (Fixture    *f,
        const char *label)
{
  GtkWidget *item = find_item (GTK_WIDGET (row_menu (f)), label);

  g_assert_nonnull (item);
  g_assert_true (gtk_widget_get_mapped (item));
  g_assert_true (gtk_widget_is_sensitive (item));
  g_assert_true (gtk_widget_activate (item));
  wait_for (!gtk_widget_get_visible (GTK_WIDGET (row_menu (f))));
}

/* Opening the menu -------------------------------------------------------- */

/* The key goes where GTK sends it: the page's shortcuts, the focus being
 * inside the page. */
static gboolean
press_key (Fixture         *f,
           guint            keyval,
           GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->page));
  gboolean handled = FALSE;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !handled; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (!GTK_IS_KEYVAL_TRIGGER (trigger) ||
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) != keyval ||
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) != mods)
            continue;
          found = TRUE;
          handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                  GTK_WIDGET (f->page),
                                                  gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_assert_true (found);
  drain_main_context ();
  return handled;
}

static void
focus_row (Fixture *f,
           guint    position)
{
  GtkWidget *row = row_widget (f, position);

  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == row);
}

static void
open_by_menu_key (Fixture *f,
                  guint    position)
{
  focus_row (f, position);
  g_assert_true (press_key (f, GDK_KEY_Menu, 0));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (row_menu (f))));
}

/* A right click in the middle of the row, through the view's gesture. */
static void
open_by_right_click (Fixture *f,
                     guint    position)
{
  GtkColumnView *view = omni_products_page_get_column_view (f->page);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  GtkWidget *row = row_widget (f, position);
  graphene_rect_t bounds;
  GtkGesture *click = NULL;

  g_assert_true (gtk_widget_compute_bounds (row, GTK_WIDGET (view), &bounds));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
        click = GTK_GESTURE (controller);
    }
  g_assert_nonnull (click);
  g_signal_emit_by_name (click, "pressed", 1,
                         (double) (bounds.origin.x + bounds.size.width / 3),
                         (double) (bounds.origin.y + bounds.size.height / 2));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (row_menu (f))));
}

static gboolean
selected_exactly (Fixture     *f,
                  const guint *positions,
                  guint        n)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection_model (f));

  if (gtk_bitset_get_size (selected) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!gtk_bitset_contains (selected, positions[i]))
      return FALSE;
  return TRUE;
}

static char *
product_status (Fixture *f,
                gint64   product_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniProduct) product = omni_store_get_product (f->store, product_id, &error);

  g_assert_no_error (error);
  return g_strdup (product->status);
}

#define assert_status(f, id, expected)                                      \
  G_STMT_START {                                                            \
    g_autofree char *status_ = product_status ((f), (id));                  \
    g_assert_cmpstr (status_, ==, (expected));                              \
  } G_STMT_END

/* The Undo button of the toast the last write raised. */
static GtkWidget *
find_undo_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "products.undo") == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_undo_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

/* Reading the clipboard as another application would. */
typedef struct
{
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static char *
read_clipboard (Fixture *f)
{
  ClipboardRead read = { FALSE, NULL };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), NULL,
                                 clipboard_read_cb, &read);
  wait_for (read.done);
  return read.text;
}

static void
set_clipboard (Fixture    *f,
               const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), text);
}

/* With OMNISTOCK_SCREENSHOT_DIR set, saves the screen as NAME.png (the
 * tests run on their own X server). */
static void
maybe_screenshot (const char *name)
{
  const char *dir = g_getenv ("OMNISTOCK_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (dir == NULL)
    return;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  file = g_strdup_printf ("%s/%s.png", dir, name);
  {
    const char *argv[] = { "import", "-window", "root", file, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  NULL, NULL);
  }
}

/* Cases -------------------------------------------------------------------- */

/* Menu key on a row of a two-row selection: the menu acts on both rows;
 * Archive archives both products in one go, and the toast's Undo puts them
 * back. */
static void
test_menu_key_archives_selection (Fixture       *f,
                                  gconstpointer  data)
{
  const guint both[] = { 0, 2 };
  GtkWidget *undo;

  g_assert_cmpuint (n_rows (f), ==, 7);
  gtk_selection_model_select_item (selection_model (f), 0, TRUE);
  gtk_selection_model_select_item (selection_model (f), 2, FALSE);
  drain_main_context ();

  open_by_menu_key (f, 2);
  g_assert_true (selected_exactly (f, both, 2));
  maybe_screenshot ("products-row-menu-keyboard");

  /* Two rows: what needs one row is off, the rest on. */
  g_assert_false (item_enabled (f, "Edit"));
  g_assert_false (item_enabled (f, "Duplicate"));
  g_assert_false (item_enabled (f, "Show History"));
  g_assert_true (item_enabled (f, "Adjust Stock…"));
  g_assert_true (item_enabled (f, "Print Labels…"));
  g_assert_true (item_enabled (f, "Copy SKU"));
  g_assert_true (item_enabled (f, "Archive"));
  g_assert_false (item_shown (f, "Restore"));

  choose (f, "Archive");
  settle (f);
  assert_status (f, f->mug, "archived");
  assert_status (f, f->notebook, "archived");
  assert_status (f, f->tee, "active");
  g_assert_cmpuint (n_rows (f), ==, 4);

  undo = find_undo_button (GTK_WIDGET (f->page));
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_activate (undo));
  settle (f);
  assert_status (f, f->mug, "active");
  assert_status (f, f->notebook, "active");
  assert_status (f, f->tee, "active");
  g_assert_cmpuint (n_rows (f), ==, 7);
}

/* A right click on a row outside the selection selects it first; one
 * inside keeps the selection. Copy SKU puts the SKUs on the clipboard. */
static void
test_right_click_copies_sku (Fixture       *f,
                             gconstpointer  data)
{
  const guint one[] = { 4 };
  const guint three[] = { 3, 4, 5 };
  g_autofree char *single = NULL;
  g_autofree char *several = NULL;

  gtk_selection_model_select_item (selection_model (f), 0, TRUE);
  gtk_selection_model_select_item (selection_model (f), 2, FALSE);
  drain_main_context ();
  set_clipboard (f, "before");

  open_by_right_click (f, 4);
  g_assert_true (selected_exactly (f, one, 1));
  g_assert_true (item_enabled (f, "Edit"));
  g_assert_true (item_enabled (f, "Show History"));
  choose (f, "Copy SKU");
  single = read_clipboard (f);
  g_assert_cmpstr (single, ==, "TEE-M-RED");

  gtk_selection_model_select_range (selection_model (f), 3, 3, TRUE);
  drain_main_context ();
  open_by_right_click (f, 4);
  g_assert_true (selected_exactly (f, three, 3));
  choose (f, "Copy SKU");
  several = read_clipboard (f);
  g_assert_cmpstr (several, ==, "TEE-S-RED\nTEE-M-RED\nTEE-S-BLU");
}

/* Whether a mapped label in @widget reads @text, as the merchant sees it. */
static gboolean
shows_mapped_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_mapped_label (child, text))
      return TRUE;
  return FALSE;
}

/* A SKU is free text: one with "&" and "<" is copied as it is, and the
 * toast says so as written. Toast titles are markup, where that text left
 * the toast empty (and GTK warned, which is fatal here). */
static void
test_copied_sku_toast_shows_text (Fixture       *f,
                                  gconstpointer  data)
{
  const OmniProductSpec spec = { .title = "Aardvark Salt & Pepper Set" };
  const OmniVariantSpec variant = {
    .sku = "S&P <1>", .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;

  g_assert_cmpint (omni_store_create_product (f->store, &spec, &variant, 1, NULL, &error), >, 0);
  g_assert_no_error (error);
  omni_context_store_changed (f->context);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 8);

  open_by_right_click (f, 0);
  choose (f, "Copy SKU");
  copied = read_clipboard (f);
  g_assert_cmpstr (copied, ==, "S&P <1>");
  wait_for (shows_mapped_label (GTK_WIDGET (f->window), "Copied “S&P <1>”"));
}

/* Shift+F10 opens the menu of the focused row; closing it gives the focus
 * back to the row. With the focus outside the list, the keys do nothing. */
static void
test_shift_f10_and_focus (Fixture       *f,
                          gconstpointer  data)
{
  const guint six[] = { 6 };
  GtkWidget *row;

  gtk_widget_grab_focus (omni_products_page_get_search_entry (f->page));
  g_assert_false (press_key (f, GDK_KEY_F10, GDK_SHIFT_MASK));
  g_assert_false (press_key (f, GDK_KEY_Menu, 0));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row_menu (f))));

  row = row_widget (f, 6);
  focus_row (f, 6);
  g_assert_true (press_key (f, GDK_KEY_F10, GDK_SHIFT_MASK));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (row_menu (f))));
  g_assert_true (selected_exactly (f, six, 1));
  /* The menu has the keyboard. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         GTK_WIDGET (row_menu (f))) ||
                 gtk_widget_has_focus (GTK_WIDGET (row_menu (f))) ||
                 gtk_widget_get_focus_child (GTK_WIDGET (row_menu (f))) != NULL);

  gtk_popover_popdown (row_menu (f));
  wait_for (!gtk_widget_get_visible (GTK_WIDGET (row_menu (f))));
  drain_main_context ();
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == row);
}

/* On an archived row the menu offers Restore, not Archive, and no stock
 * adjustment; Restore brings the product back, with an Undo. */
static void
test_archived_row (Fixture       *f,
                   gconstpointer  data)
{
  OmniProductFilterBar *bar = OMNI_PRODUCT_FILTER_BAR (omni_products_page_get_filter_bar (f->page));
  g_autoptr(GError) error = NULL;
  GtkWidget *undo;

  g_assert_true (omni_store_set_product_archived (f->store, f->notebook, TRUE, &error));
  g_assert_no_error (error);
  omni_context_store_changed (f->context);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 6);

  /* An active row first: Archive, and stock. */
  open_by_menu_key (f, 0);
  g_assert_true (item_enabled (f, "Archive"));
  g_assert_false (item_shown (f, "Restore"));
  g_assert_true (item_enabled (f, "Adjust Stock…"));
  gtk_popover_popdown (row_menu (f));
  wait_for (!gtk_widget_get_visible (GTK_WIDGET (row_menu (f))));

  omni_product_filter_bar_set_stock (bar, OMNI_STOCK_ARCHIVED);
  settle (f);
  g_assert_cmpuint (n_rows (f), ==, 1);
  open_by_menu_key (f, 0);
  g_assert_false (item_shown (f, "Archive"));
  g_assert_true (item_enabled (f, "Restore"));
  g_assert_false (item_enabled (f, "Adjust Stock…"));
  g_assert_true (item_enabled (f, "Edit"));
  g_assert_true (item_enabled (f, "Show History"));
  g_assert_true (item_enabled (f, "Copy SKU"));

  choose (f, "Restore");
  settle (f);
  assert_status (f, f->notebook, "active");
  g_assert_cmpuint (n_rows (f), ==, 0);

  undo = find_undo_button (GTK_WIDGET (f->page));
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_activate (undo));
  settle (f);
  assert_status (f, f->notebook, "archived");
  g_assert_cmpuint (n_rows (f), ==, 1);
}

/* Ctrl+A over rows that have not loaded: the SKUs are read on a worker,
 * in list order. */
static void
test_copy_unloaded_selection (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpuint (n_rows (f), ==, 307);
  set_clipboard (f, "before");
  omni_products_page_select_all (f->page);
  drain_main_context ();
  open_by_right_click (f, 1);
  g_assert_cmpuint (omni_products_page_get_n_selected (f->page), ==, 307);
  choose (f, "Copy SKU");
  settle (f);
  text = read_clipboard (f);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 307);
  g_assert_cmpstr (lines[0], ==, "MUG-SAGE");
  g_assert_cmpstr (lines[2], ==, "NB-A5");
  g_assert_cmpstr (lines[7], ==, "ZINE-1-000");
  g_assert_cmpstr (lines[306], ==, "ZINE-3-099");
}

/* What the page asked of the window's stock actions. */
static void
record_action_cb (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  GPtrArray *calls = user_data;
  g_autofree char *printed = g_variant_print (param, FALSE);

  g_ptr_array_add (calls, g_strdup_printf ("%s %s", g_action_get_name (G_ACTION (action)),
                                           printed));
}

static char *
last_call (GPtrArray *calls)
{
  g_assert_cmpuint (calls->len, >, 0);
  return g_ptr_array_index (calls, calls->len - 1);
}

/* Adjust Stock and Show History are the window's dialogs: the adjust
 * dialog or history of the one variant, the batch adjustment for several. */
static void
test_stock_items_reach_window (Fixture       *f,
                               gconstpointer  data)
{
  static const GActionEntry entries[] = {
    { "adjust-stock", record_action_cb, "x" },
    { "stock-history", record_action_cb, "x" },
    { "batch-selected", record_action_cb, "s" },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *adjust = NULL;
  g_autofree char *history = NULL;
  gint64 tee_m_red;

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), calls);
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", G_ACTION_GROUP (group));

  /* Row 4 is TEE-M-RED. */
  tee_m_red = omni_store_find_variant (f->store, "TEE-M-RED", &error);
  g_assert_no_error (error);
  adjust = g_strdup_printf ("adjust-stock %" G_GINT64_FORMAT, tee_m_red);
  history = g_strdup_printf ("stock-history %" G_GINT64_FORMAT, tee_m_red);

  open_by_menu_key (f, 4);
  choose (f, "Adjust Stock…");
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpstr (last_call (calls), ==, adjust);

  open_by_right_click (f, 4);
  choose (f, "Show History");
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_cmpstr (last_call (calls), ==, history);

  gtk_selection_model_select_item (selection_model (f), 5, FALSE);
  drain_main_context ();
  open_by_right_click (f, 5);
  g_assert_false (item_enabled (f, "Show History"));
  choose (f, "Adjust Stock…");
  g_assert_cmpuint (calls->len, ==, 3);
  g_assert_cmpstr (last_call (calls), ==, "batch-selected 'adjust'");
  ids = omni_products_page_dup_selected_variant_ids (f->page);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, tee_m_red);

  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", NULL);
}

/* The demo catalog, the menu open on its second row. */
static void
test_demo_catalog (Fixture       *f,
                   gconstpointer  data)
{
  const guint second[] = { 1 };

  g_assert_cmpuint (n_rows (f), >, 100);
  open_by_right_click (f, 1);
  g_assert_true (selected_exactly (f, second, 1));
  g_assert_true (item_enabled (f, "Edit"));
  g_assert_true (item_enabled (f, "Archive"));
  maybe_screenshot ("products-row-menu");
  gtk_popover_popdown (row_menu (f));
  wait_for (!gtk_widget_get_visible (GTK_WIDGET (row_menu (f))));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, data, func) \
  g_test_add ("/omni/products-menu/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("menu-key-archives-selection", NULL, test_menu_key_archives_selection);
  ADD ("right-click-copies-sku", NULL, test_right_click_copies_sku);
  ADD ("copied-sku-toast-shows-text", NULL, test_copied_sku_toast_shows_text);
  ADD ("shift-f10-and-focus", NULL, test_shift_f10_and_focus);
  ADD ("archived-row", NULL, test_archived_row);
  ADD ("stock-items-reach-window", NULL, test_stock_items_reach_window);
  ADD ("copy-unloaded-selection", "large", test_copy_unloaded_selection);
  ADD ("demo-catalog", "demo", test_demo_catalog);

#undef ADD

  return g_test_run ();
}
