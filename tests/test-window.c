/* test-window.c: the application shell, in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb with GSETTINGS_BACKEND=memory. Each case builds a context
 * around a fresh temporary database, so nothing touches a real one. Waits
 * iterate the main context until a condition holds, and fail after a
 * timeout instead of sleeping.
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gstdio.h>

#include "omni-application.h"
#include "omni-channels-page.h"
#include "omni-context.h"
#include "omni-count-page.h"
#include "omni-dashboard-page.h"
#include "omni-inventory-page.h"
#include "omni-preferences-window.h"
#include "omni-products-page.h"
#include "omni-reports-page.h"
#include "omni-stat-tile.h"
#include "omni-window.h"

#define WAIT_SECONDS 30

static OmniApplication *app;

typedef struct
{
  char        *dir;
  char        *path;
  OmniStore   *store;
  GSettings   *settings;
  OmniContext *context;
} Fixture;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The ticker wakes the loop so the condition is re-checked even when
 * nothing else happens (a worker thread finishing, say). */
#define wait_for(cond)                                                      \
  G_STMT_START {                                                            \
    gint64 wait_deadline_ = g_get_monotonic_time () +                       \
                            WAIT_SECONDS * G_USEC_PER_SEC;                  \
    guint wait_ticker_ = g_timeout_add (10, tick_cb, NULL);                 \
    while (!(cond))                                                         \
      {                                                                     \
        if (g_get_monotonic_time () > wait_deadline_)                       \
          g_error ("Timed out waiting for %s", #cond);                      \
        g_main_context_iteration (NULL, TRUE);                              \
      }                                                                     \
    g_source_remove (wait_ticker_);                                         \
  } G_STMT_END

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  fixture->dir = g_dir_make_tmp ("omnistock-window-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = omni_store_open (fixture->path, &error);
  g_assert_no_error (error);

  /* The memory backend lives as long as the process: start each case from
   * the schema defaults. */
  fixture->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);

  fixture->context = omni_context_new (fixture->store, fixture->settings);
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
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  drain_main_context ();
  g_assert_finalize_object (fixture->context);
  g_clear_object (&fixture->settings);
  g_assert_finalize_object (fixture->store);

  remove_database_files (fixture->path);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Returns a reference the caller drops with g_assert_finalize_object()
 * after destroying the window. */
static OmniWindow *
open_window (Fixture *fixture)
{
  OmniWindow *window = omni_window_new (GTK_APPLICATION (app), fixture->context);

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));

  return window;
}

/* No worker may still hold the database when the case removes it. */
static void
wait_for_workers (OmniWindow *window)
{
  GtkWidget *page;

  if (omni_window_get_context (window) == NULL)
    return;

  /* Pages read the store on workers when they are shown or refreshed. */
  if ((page = omni_window_get_page (window, "dashboard")) != NULL)
    wait_for (!omni_dashboard_page_get_busy (OMNI_DASHBOARD_PAGE (page)));
  if ((page = omni_window_get_page (window, "products")) != NULL)
    wait_for (!omni_products_page_get_busy (OMNI_PRODUCTS_PAGE (page)));
  if ((page = omni_window_get_page (window, "count")) != NULL)
    wait_for (!omni_count_page_get_busy (OMNI_COUNT_PAGE (page)));
  if ((page = omni_window_get_page (window, "reports")) != NULL)
    wait_for (!omni_reports_page_get_busy (OMNI_REPORTS_PAGE (page)));
}

static void
close_window (OmniWindow *window)
{
  wait_for_workers (window);
  gtk_window_destroy (GTK_WINDOW (window));
  drain_main_context ();
  g_assert_finalize_object (window);
}

/* The size the window manager sees, which is what the window saves; the
 * window widget itself may be smaller by its client-side decorations. */
static int
surface_width (OmniWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return surface != NULL ? gdk_surface_get_width (surface) : 0;
}

static int
surface_height (OmniWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return surface != NULL ? gdk_surface_get_height (surface) : 0;
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

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_descendants (widget, type, found);
  g_assert_cmpuint (found->len, >, 0);

  return g_ptr_array_index (found, 0);
}

static const char *
tile_value (GtkWidget  *page,
            const char *title)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();

  collect_descendants (page, OMNI_TYPE_STAT_TILE, tiles);
  for (guint i = 0; i < tiles->len; i++)
    {
      OmniStatTile *tile = g_ptr_array_index (tiles, i);

      if (g_str_equal (omni_stat_tile_get_title (tile), title))
        return omni_stat_tile_get_value (tile);
    }

  g_error ("No tile titled “%s”", title);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type))
        return window;
    }

  return NULL;
}

static char *
visible_page_state (OmniWindow *window)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window),
                                                               "visible-page");

  return g_variant_dup_string (state, NULL);
}

/* A small catalog with known figures: 3 variants, 23 units on hand worth
 * 3 × 2.50 + 20 × 1.00 = 27.50 at cost, one low (3 ≤ 5) and one out. */
static void
add_small_catalog (OmniStore *store)
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
  gint64 ids[G_N_ELEMENTS (variants)];
  g_autoptr(GError) error = NULL;
  gint64 location;

  location = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  omni_store_create_product (store, &product, variants, G_N_ELEMENTS (variants), ids, &error);
  g_assert_no_error (error);

  {
    const OmniMovementSpec movements[] = {
      { .variant_id = ids[0], .location_id = location, .on_hand_delta = 3,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = ids[2], .location_id = location, .on_hand_delta = 20,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
    };

    omni_store_record_movements (store, movements, G_N_ELEMENTS (movements), &error);
    g_assert_no_error (error);
  }
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct {
    const char *name;
    GType     (*get_type) (void);
  } pages[] = {
    { "dashboard", omni_dashboard_page_get_type },
    { "products", omni_products_page_get_type },
    { "inventory", omni_inventory_page_get_type },
    { "count", omni_count_page_get_type },
    { "reports", omni_reports_page_get_type },
    { "channels", omni_channels_page_get_type },
  };
  OmniWindow *window = open_window (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *state = NULL;
      GtkWidget *page;

      g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                      g_variant_new_string (pages[i].name));

      g_assert_cmpstr (omni_window_get_visible_page (window), ==, pages[i].name);
      state = visible_page_state (window);
      g_assert_cmpstr (state, ==, pages[i].name);

      page = omni_window_get_page (window, pages[i].name);
      g_assert_true (G_OBJECT_TYPE (page) == pages[i].get_type ());
      g_assert_true (omni_page_get_context (OMNI_PAGE (page)) == fixture->context);
      wait_for (gtk_widget_get_mapped (page));
    }

  close_window (window);
}

/* Alt+1…Alt+6 are class shortcuts of the window: find each one and run it. */
static void
test_page_shortcuts (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char *expected[] = {
    "dashboard", "products", "inventory", "count", "reports", "channels",
  };
  OmniWindow *window = open_window (fixture);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  guint found = 0;

  /* Start elsewhere, so Alt+1 has something to change. */
  omni_window_set_visible_page (window, "channels");

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *trigger = NULL;
          g_autofree char *expected_trigger = NULL;
          const char *name;

          if (!GTK_IS_NAMED_ACTION (action) ||
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                         "win.show-page") != 0)
            continue;

          name = g_variant_get_string (gtk_shortcut_get_arguments (shortcut), NULL);
          trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
            if (g_str_equal (expected[k], name))
              expected_trigger = g_strdup_printf ("<Alt>%u", k + 1);
          g_assert_cmpstr (trigger, ==, expected_trigger);

          g_assert_true (gtk_shortcut_action_activate (action, 0, GTK_WIDGET (window),
                                                       gtk_shortcut_get_arguments (shortcut)));
          g_assert_cmpstr (omni_window_get_visible_page (window), ==, name);
          found++;
        }
    }

  g_assert_cmpuint (found, ==, G_N_ELEMENTS (expected));

  close_window (window);
}

static void
test_dashboard (Fixture       *fixture,
                gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  GtkWidget *page = omni_window_get_page (window, "dashboard");
  OmniDashboardPage *dashboard = OMNI_DASHBOARD_PAGE (page);

  g_assert_true (omni_window_set_visible_page (window, "dashboard"));
  wait_for (g_strcmp0 (omni_dashboard_page_get_view (dashboard), "welcome") == 0);

  add_small_catalog (fixture->store);
  omni_context_store_changed (fixture->context);
  wait_for (g_strcmp0 (omni_dashboard_page_get_view (dashboard), "figures") == 0);

  g_assert_cmpstr (tile_value (page, "Products"), ==, "1");
  g_assert_cmpstr (tile_value (page, "Variants"), ==, "3");
  g_assert_cmpstr (tile_value (page, "Units on Hand"), ==, "23");
  g_assert_cmpstr (tile_value (page, "Stock Value at Cost"), ==, "$27.50");
  g_assert_cmpstr (tile_value (page, "Low on Stock"), ==, "1");
  g_assert_cmpstr (tile_value (page, "Out of Stock"), ==, "1");

  close_window (window);
}

static void
test_dashboard_start_empty (Fixture       *fixture,
                            gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  GtkWidget *page = omni_window_get_page (window, "dashboard");
  OmniDashboardPage *dashboard = OMNI_DASHBOARD_PAGE (page);

  omni_window_set_visible_page (window, "dashboard");
  wait_for (g_strcmp0 (omni_dashboard_page_get_view (dashboard), "welcome") == 0);

  g_assert_true (gtk_widget_activate_action (page, "dashboard.start-empty", NULL));
  wait_for (g_strcmp0 (omni_dashboard_page_get_view (dashboard), "figures") == 0);

  g_assert_cmpstr (tile_value (page, "Products"), ==, "0");
  g_assert_cmpstr (tile_value (page, "Stock Value at Cost"), ==, "$0.00");
  g_assert_true (omni_store_is_empty (fixture->store));

  close_window (window);
}

static void
test_dashboard_demo (Fixture       *fixture,
                     gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  GtkWidget *page = omni_window_get_page (window, "dashboard");
  OmniDashboardPage *dashboard = OMNI_DASHBOARD_PAGE (page);
  g_auto(OmniStoreStats) stats = { 0 };
  g_autofree char *products = NULL;
  g_autofree char *variants = NULL;
  g_autoptr(GError) error = NULL;

  omni_window_set_visible_page (window, "dashboard");
  wait_for (g_strcmp0 (omni_dashboard_page_get_view (dashboard), "welcome") == 0);

  g_assert_true (gtk_widget_activate_action (page, "dashboard.load-demo", NULL));
  g_assert_cmpstr (omni_dashboard_page_get_view (dashboard), ==, "loading-demo");
  wait_for (g_strcmp0 (omni_dashboard_page_get_view (dashboard), "figures") == 0);

  /* Written by the worker's own connection, read here on the main one. */
  g_assert_false (omni_store_is_empty (fixture->store));
  omni_store_get_stats (fixture->store, &stats, &error);
  g_assert_no_error (error);
  products = g_strdup_printf ("%'" G_GINT64_FORMAT, stats.products);
  variants = g_strdup_printf ("%'" G_GINT64_FORMAT, stats.variants);
  g_assert_cmpstr (tile_value (page, "Products"), ==, products);
  g_assert_cmpstr (tile_value (page, "Variants"), ==, variants);

  close_window (window);
}

static void
test_window_state (Fixture       *fixture,
                   gconstpointer  data)
{
  OmniWindow *window;
  g_autofree char *last_page = NULL;

  g_settings_set_int (fixture->settings, "window-width", 800);
  g_settings_set_int (fixture->settings, "window-height", 500);
  window = open_window (fixture);
  wait_for (surface_width (window) == 800 && surface_height (window) == 500);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 650);
  wait_for (surface_width (window) == 900 && surface_height (window) == 650);
  omni_window_set_visible_page (window, "reports");

  wait_for_workers (window);
  gtk_window_close (GTK_WINDOW (window));
  drain_main_context ();
  g_assert_finalize_object (window);

  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 650);
  g_assert_false (g_settings_get_boolean (fixture->settings, "window-maximized"));
  last_page = g_settings_get_string (fixture->settings, "last-page");
  g_assert_cmpstr (last_page, ==, "reports");

  /* The next window opens where this one left off. */
  window = open_window (fixture);
  g_assert_cmpstr (omni_window_get_visible_page (window), ==, "reports");
  close_window (window);
}

static void
test_narrow_window_folds (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct {
    int      width;
    gboolean folded;
  } cases[] = { { 600, TRUE }, { 800, FALSE }, { 400, TRUE } };
  static const char *pages[] = {
    "dashboard", "products", "inventory", "count", "reports", "channels",
  };
  OmniWindow *probe = open_window (fixture);

  /* Every page fits a phone-sized window (360 px), or a folded window could
   * not get narrower than its widest page. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      int minimum = 0;

      gtk_widget_measure (omni_window_get_page (probe, pages[i]), GTK_ORIENTATION_HORIZONTAL,
                          -1, &minimum, NULL, NULL, NULL);
      g_test_message ("%s page: minimum width %d px", pages[i], minimum);
      g_assert_cmpint (minimum, <=, 360);
    }
  close_window (probe);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      OmniWindow *window;
      AdwLeaflet *leaflet;

      g_settings_set_int (fixture->settings, "window-width", cases[i].width);
      window = open_window (fixture);
      wait_for (surface_width (window) == cases[i].width);
      leaflet = ADW_LEAFLET (find_descendant (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
      g_assert_cmpint (adw_leaflet_get_folded (leaflet), ==, cases[i].folded);

      /* Folded, a page shows instead of the sidebar. */
      if (cases[i].folded)
        g_assert_true (gtk_widget_get_mapped (omni_window_get_page (window, "dashboard")));

      close_window (window);
    }
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autofree char *currency = NULL;
  GtkWindow *preferences;
  AdwComboRow *currency_row;
  GListModel *codes;
  guint euro = GTK_INVALID_LIST_POSITION;
  gboolean found_interval = FALSE;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_object_ref (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (preferences)));

  /* GSettings-bound: a change of the key shows in the row. */
  g_settings_set_int (fixture->settings, "sync-interval", 30);
  collect_descendants (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON, spins);
  for (guint i = 0; i < spins->len; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (spins, i);

      if (gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (spin)) == 5)
        {
          g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 30);
          gtk_spin_button_set_value (spin, 60);
          found_interval = TRUE;
        }
    }
  g_assert_true (found_interval);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "sync-interval"), ==, 60);

  /* The currency is the database's, not a GSettings key. */
  currency_row = ADW_COMBO_ROW (find_descendant (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW));
  codes = adw_combo_row_get_model (currency_row);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (currency_row)),
                   ==, "USD");
  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(GtkStringObject) code = g_list_model_get_item (codes, i);

      if (g_str_equal (gtk_string_object_get_string (code), "EUR"))
        euro = i;
    }
  g_assert_cmpuint (euro, !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (currency_row, euro);
  currency = omni_store_get_setting (fixture->store, "currency");
  g_assert_cmpstr (currency, ==, "EUR");

  gtk_window_destroy (preferences);
  drain_main_context ();
  g_assert_finalize_object (preferences);

  close_window (window);
}

static void
test_about (Fixture       *fixture,
            gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_object_ref (about);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (about)));

  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "OmniStock");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), ==,
                   "https://github.com/omnistock/omnistock");
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));

  gtk_window_destroy (about);
  drain_main_context ();
  g_assert_finalize_object (about);

  close_window (window);
}

/* The help overlay comes from the resource base path and lists every
 * shortcut the window and the application define. */
static void
test_shortcuts_window (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char *accels[] = {
    "<Control>comma", "<Control>question", "<Control>w", "<Control>q",
    "<Alt>1", "<Alt>2", "<Alt>3", "<Alt>4", "<Alt>5", "<Alt>6",
  };
  OmniWindow *window = open_window (fixture);
  GtkShortcutsWindow *overlay;
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  g_auto(GStrv) quit_accels = NULL;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);

  collect_descendants (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT, shortcuts);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < shortcuts->len; j++)
        {
          g_autofree char *accelerator = NULL;
          guint key, listed_key;
          GdkModifierType mods, listed_mods;

          g_object_get (g_ptr_array_index (shortcuts, j), "accelerator", &accelerator, NULL);
          gtk_accelerator_parse (accels[i], &key, &mods);
          gtk_accelerator_parse (accelerator, &listed_key, &listed_mods);
          listed |= key == listed_key && mods == listed_mods;
        }
      g_assert_true (listed);
    }

  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (quit_accels[0], ==, "<Control>q");

  close_window (window);
}

/* A file that is no database gets a window that says so, and stays as it
 * was, byte for byte. */
static void
test_open_error (void)
{
  static const char garbage[] = "These are not the droids you are looking for.\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omnistock-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) open_error = NULL;
  AdwStatusPage *status_page;
  GtkWindow *window;
  gsize length;

  g_assert_no_error (error);
  g_file_set_contents (path, garbage, -1, &error);
  g_assert_no_error (error);
  g_assert_null (omni_store_open (path, &open_error));
  g_assert_nonnull (open_error);

  window = g_object_ref (omni_application_open (app, path, FALSE));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_null (omni_window_get_context (OMNI_WINDOW (window)));
  g_assert_null (omni_window_get_page (OMNI_WINDOW (window), "dashboard"));

  status_page = ADW_STATUS_PAGE (find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status_page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (status_page),
                            open_error->message));

  close_window (OMNI_WINDOW (window));

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, garbage);
  g_assert_cmpuint (length, ==, strlen (garbage));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A database written by a newer OmniStock is refused and left as it was:
 * the schema version lives in the header's user_version (offset 60). */
static void
test_open_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omnistock-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "future.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;
  OmniStore *store;
  GtkWindow *window;
  AdwStatusPage *status_page;

  g_assert_no_error (error);
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  g_file_get_contents (path, &before, &before_length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before_length, >, 100);
  before[60] = 0x00;
  before[61] = 0x00;
  before[62] = 0x03;
  before[63] = (char) 0xe7;
  g_file_set_contents (path, before, before_length, &error);
  g_assert_no_error (error);

  window = g_object_ref (omni_application_open (app, path, FALSE));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_null (omni_window_get_context (OMNI_WINDOW (window)));
  status_page = ADW_STATUS_PAGE (find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));
  g_assert_cmpstr (adw_status_page_get_title (status_page), ==, "Cannot Open the Database");
  close_window (OMNI_WINDOW (window));

  g_file_get_contents (path, &after, &after_length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after_length, ==, before_length);
  g_assert_cmpmem (after, after_length, before, before_length);

  remove_database_files (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Asking for a database that a window shows already presents that window. */
static void
test_open_twice (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omnistock-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "shop.db", NULL);
  GtkWindow *first;
  GtkWindow *second;

  g_assert_no_error (error);

  first = g_object_ref (omni_application_open (app, path, FALSE));
  second = omni_application_open (app, path, FALSE);
  g_assert_true (first == second);
  g_assert_nonnull (omni_window_get_context (OMNI_WINDOW (first)));
  g_assert_cmpstr (omni_store_get_path (omni_context_get_store (
                     omni_window_get_context (OMNI_WINDOW (first)))), ==, path);

  close_window (OMNI_WINDOW (first));

  remove_database_files (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

#define add_window_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  /* Registered, never run: startup loads the style, the accelerators and
   * the help overlay just as in the real application. No session bus is
   * needed or wanted. */
  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  add_window_test ("/omni/window/pages", test_pages);
  add_window_test ("/omni/window/page-shortcuts", test_page_shortcuts);
  add_window_test ("/omni/window/dashboard", test_dashboard);
  add_window_test ("/omni/window/dashboard-start-empty", test_dashboard_start_empty);
  add_window_test ("/omni/window/dashboard-demo", test_dashboard_demo);
  add_window_test ("/omni/window/state", test_window_state);
  add_window_test ("/omni/window/narrow", test_narrow_window_folds);
  add_window_test ("/omni/window/preferences", test_preferences);
  add_window_test ("/omni/window/about", test_about);
  add_window_test ("/omni/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/omni/window/open-error", test_open_error);
  g_test_add_func ("/omni/window/open-too-new", test_open_too_new);
  g_test_add_func ("/omni/window/open-twice", test_open_twice);

  status = g_test_run ();

  g_clear_object (&app);

  return status;
}
