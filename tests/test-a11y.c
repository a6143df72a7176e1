/* test-a11y.c: every control the user can reach has an accessible name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb with GSETTINGS_BACKEND=memory on a temporary database
 * holding the demo shop. Each case shows one surface of the real window (a
 * page, the shell around them, the preferences, the product editor, the
 * adjust, transfer and history windows, the count start dialog and scan
 * view), walks its widget tree and lists every visible interactive widget
 * that a screen reader could not name. GTK 4.8 has no getter for the
 * computed name, so a widget counts as named when it has one of:
 *   - an accessible label set on it, or a label whose mnemonic points at it,
 *   - visible text of its own (a button or check button label, a label
 *     inside it),
 *   - a titled libadwaita row around it (the row names what it holds).
 * A tooltip alone does not count: GTK 4.8 makes it the description. A case
 * prints every offender and fails when there is any.
 */
#define G_LOG_DOMAIN "test-a11y"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "omni-adjust-dialog.h"
#include "omni-application.h"
#include "omni-count-page.h"
#include "omni-count-start-dialog.h"
#include "omni-context.h"
#include "omni-dashboard-page.h"
#include "omni-history-window.h"
#include "omni-page.h"
#include "omni-preferences-window.h"
#include "omni-product-editor.h"
#include "omni-products-page.h"
#include "omni-reports-page.h"
#include "omni-store-count.h"
#include "omni-store-demo.h"
#include "omni-transfer-dialog.h"
#include "omni-window.h"

#define WAIT_SECONDS 60
#include "test-gui-util.h"

static OmniApplication *app;
static char            *dir;
static char            *path;
static OmniStore       *store;
static GSettings       *settings;
static OmniContext     *context;
static OmniWindow      *window;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
pause_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets workers report back and the frame clock lay out what they filled. */
static void
pause_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, pause_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_workers (void)
{
  GtkWidget *page;

  if ((page = omni_window_get_page (window, "dashboard")) != NULL)
    wait_for (!omni_dashboard_page_get_busy (OMNI_DASHBOARD_PAGE (page)));
  if ((page = omni_window_get_page (window, "products")) != NULL)
    wait_for (!omni_products_page_get_busy (OMNI_PRODUCTS_PAGE (page)));
  if ((page = omni_window_get_page (window, "count")) != NULL)
    wait_for (!omni_count_page_get_busy (OMNI_COUNT_PAGE (page)));
  if ((page = omni_window_get_page (window, "reports")) != NULL)
    wait_for (!omni_reports_page_get_busy (OMNI_REPORTS_PAGE (page)));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (toplevel), type))
        return toplevel;
    }

  return NULL;
}

/* The rule ---------------------------------------------------------------- */

static gboolean
is_interactive (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* The text inside an entry is named through the entry. */
  if (GTK_IS_TEXT (widget))
    return parent == NULL ||
           !(GTK_IS_EDITABLE (parent) ||
             gtk_widget_get_ancestor (parent, ADW_TYPE_ENTRY_ROW) != NULL);

  /* The button inside a menu button or a drop-down is named through it. */
  if (parent != NULL && (GTK_IS_MENU_BUTTON (parent) || GTK_IS_DROP_DOWN (parent)))
    return FALSE;

  if (ADW_IS_ACTION_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget));

  return GTK_IS_BUTTON (widget) ||   /* toggle, link and font buttons too */
         GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_EDITABLE (widget) ||  /* entries, search entries, spin buttons */
         GTK_IS_SWITCH (widget) ||
         GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SCALE (widget) ||
         ADW_IS_ENTRY_ROW (widget) ||
         ADW_IS_COMBO_ROW (widget) ||
         ADW_IS_SPLIT_BUTTON (widget);
}

static gboolean
has_text (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

static gboolean
has_visible_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child) && has_text (gtk_label_get_text (GTK_LABEL (child))))
        return TRUE;
      if (has_visible_label (child))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  g_autoptr(GList) mnemonic_labels = gtk_widget_list_mnemonic_labels (widget);
  GtkWidget *row;

  /* gtk_test_accessible_has_relation() answers TRUE for widgets without
   * the relation in GTK 4.8, so a label pointing at the widget is read
   * through the mnemonic labels instead. */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      mnemonic_labels != NULL)
    return TRUE;

  if (GTK_IS_BUTTON (widget) && has_text (gtk_button_get_label (GTK_BUTTON (widget))))
    return TRUE;
  if (GTK_IS_MENU_BUTTON (widget) &&
      has_text (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget))))
    return TRUE;
  if (GTK_IS_CHECK_BUTTON (widget) &&
      has_text (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget))))
    return TRUE;

  /* Buttons, menu buttons and check buttons show their text as a child
   * label; an entry's children are its own text, not a name. */
  if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) ||
       ADW_IS_SPLIT_BUTTON (widget)) &&
      has_visible_label (widget))
    return TRUE;

  /* A titled row names itself and the controls it holds. */
  row = ADW_IS_PREFERENCES_ROW (widget)
          ? widget
          : gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  if (row != NULL && has_text (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))))
    return TRUE;

  return FALSE;
}

static char *
widget_path (GtkWidget *widget)
{
  GString *path_string = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *name = gtk_widget_get_name (w);
      g_autofree char *step = NULL;

      /* The widget name is the type name unless the template set one. */
      if (name != NULL && !g_str_equal (name, G_OBJECT_TYPE_NAME (w)))
        step = g_strdup_printf ("%s#%s", gtk_widget_get_css_name (w), name);
      else
        step = g_strdup (gtk_widget_get_css_name (w));

      if (path_string->len > 0)
        g_string_prepend (path_string, " > ");
      g_string_prepend (path_string, step);

      if (GTK_IS_ROOT (w))
        break;
    }

  return g_string_free (path_string, FALSE);
}

/* Walks what is visible, mapped or not: the views of a stack that are not
 * on screen now are reachable by a click, and count too. Popovers are
 * hidden until they pop up. Pages are skipped when @skip_pages is set, as
 * each page has a case of its own. */
static void
collect_offenders (const char *surface,
                   GtkWidget  *widget,
                   gboolean    skip_pages,
                   guint      *checked,
                   guint      *offenders)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (!gtk_widget_get_visible (widget) || (skip_pages && OMNI_IS_PAGE (widget)))
    return;

  /* A preferences window keeps its search entry in the header bar even
   * with search disabled, where nothing can reach it. */
  if (GTK_IS_SEARCH_ENTRY (widget) && ADW_IS_PREFERENCES_WINDOW (root) &&
      !adw_preferences_window_get_search_enabled (ADW_PREFERENCES_WINDOW (root)))
    return;

  if (is_interactive (widget))
    {
      (*checked)++;
      if (!has_accessible_name (widget))
        {
          g_autofree char *where = widget_path (widget);

          g_printerr ("%s: %s (%s): no accessible name\n",
                      surface, G_OBJECT_TYPE_NAME (widget), where);
          (*offenders)++;
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_offenders (surface, child, skip_pages, checked, offenders);
}

static void
assert_all_named (const char *surface,
                  GtkWidget  *root,
                  gboolean    skip_pages)
{
  guint checked = 0;
  guint offenders = 0;

  collect_offenders (surface, root, skip_pages, &checked, &offenders);
  g_test_message ("%s: %u interactive widgets, %u without a name", surface, checked, offenders);

  /* A walk that found nothing to check would pass without looking. */
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (offenders, ==, 0);
}

/* The cases --------------------------------------------------------------- */

static void
test_page (gconstpointer data)
{
  const char *name = data;
  GtkWidget *page;

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string (name));
  page = omni_window_get_page (window, name);
  g_assert_nonnull (page);
  wait_for (gtk_widget_get_mapped (page));
  wait_for_workers ();
  pause_ms (300);

  assert_all_named (name, page, FALSE);
}

/* The rule itself, on controls with and without a name. */
static void
test_rule (void)
{
  GtkWidget *box = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *widget;
  guint checked = 0;
  guint offenders = 0;

  /* Unnamed: an icon alone, an icon with only a tooltip (GTK 4.8 makes the
   * tooltip the description, not the name), a bare entry, a bare switch. */
  gtk_box_append (GTK_BOX (box), gtk_button_new_from_icon_name ("list-add-symbolic"));
  widget = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_tooltip_text (widget, "Add");
  gtk_box_append (GTK_BOX (box), widget);
  gtk_box_append (GTK_BOX (box), gtk_entry_new ());
  gtk_box_append (GTK_BOX (box), gtk_switch_new ());

  /* Named: by an accessible label, a label, a titled row. */
  widget = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Remove", -1);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_box_append (GTK_BOX (box), gtk_button_new_with_label ("Save"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Notify");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_switch_new ());
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_box_append (GTK_BOX (box), list);

  /* Not checked: hidden, and a row that does nothing when activated. */
  widget = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  gtk_widget_set_visible (widget, FALSE);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  collect_offenders ("rule", box, FALSE, &checked, &offenders);
  g_assert_cmpuint (checked, ==, 7);
  g_assert_cmpuint (offenders, ==, 4);

  /* An accessible label on the icon-only button names it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (box)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Add", -1);
  checked = offenders = 0;
  collect_offenders ("rule", box, FALSE, &checked, &offenders);
  g_assert_cmpuint (checked, ==, 7);
  g_assert_cmpuint (offenders, ==, 3);

  g_object_unref (box);
}

/* The window around the pages: header bar, sidebar, menus. */
static void
test_shell (void)
{
  assert_all_named ("window", GTK_WIDGET (window), TRUE);
}

static void
check_toplevel (const char *surface,
                GtkWindow  *toplevel)
{
  g_assert_nonnull (toplevel);
  g_object_ref (toplevel);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (toplevel)));
  wait_for_workers ();
  pause_ms (300);

  assert_all_named (surface, GTK_WIDGET (toplevel), FALSE);

  gtk_window_destroy (toplevel);
  drain_main_context ();
  g_object_unref (toplevel);
}

static void
test_preferences (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  check_toplevel ("preferences", find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW));
}

static void
test_product_editor (void)
{
  GtkWidget *page = omni_window_get_page (window, "products");

  omni_window_set_visible_page (window, "products");
  wait_for (gtk_widget_get_mapped (page));
  g_assert_true (gtk_widget_activate_action (page, "products.new", NULL));
  check_toplevel ("product editor", find_toplevel (OMNI_TYPE_PRODUCT_EDITOR));
}

static void
test_adjust_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniVariantRow) variant = omni_store_get_variant (store, 1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (variant);

  g_action_group_activate_action (G_ACTION_GROUP (window), "adjust-stock",
                                  g_variant_new_int64 (1));
  check_toplevel ("adjust dialog", find_toplevel (OMNI_TYPE_ADJUST_DIALOG));
}

static void
test_transfer_dialog (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "transfer-stock",
                                  g_variant_new_int64 (1));
  check_toplevel ("transfer dialog", find_toplevel (OMNI_TYPE_TRANSFER_DIALOG));
}

static void
test_history_window (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "stock-history",
                                  g_variant_new_int64 (1));
  check_toplevel ("history window", find_toplevel (OMNI_TYPE_HISTORY_WINDOW));
}

static void
test_count_start (void)
{
  GtkWidget *page = omni_window_get_page (window, "count");

  omni_window_set_visible_page (window, "count");
  wait_for (gtk_widget_get_mapped (page));
  wait_for_workers ();
  g_assert_cmpstr (omni_count_page_get_view (OMNI_COUNT_PAGE (page)), ==, "start");
  assert_all_named ("count start", page, FALSE);

  g_assert_true (gtk_widget_activate_action (page, "count.start", NULL));
  check_toplevel ("count start dialog", find_toplevel (OMNI_TYPE_COUNT_START_DIALOG));
}

/* The scan view of an open count, with one counted line in its list. */
static void
test_count_scan (void)
{
  GtkWidget *page = omni_window_get_page (window, "count");
  g_autoptr(GError) error = NULL;
  gint64 session;

  session = omni_store_count_start (store, 1, "all", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (session, >, 0);
  g_assert_true (omni_store_count_set_line (store, session, 1, 3, &error));
  g_assert_no_error (error);
  omni_context_store_changed (context);

  omni_window_set_visible_page (window, "count");
  wait_for (gtk_widget_get_mapped (page));
  wait_for_workers ();
  g_assert_true (gtk_widget_activate_action (page, "count.resume", "x", session));
  wait_for (omni_count_page_get_session_id (OMNI_COUNT_PAGE (page)) == session);
  wait_for_workers ();
  pause_ms (300);
  g_assert_cmpstr (omni_count_page_get_view (OMNI_COUNT_PAGE (page)), ==, "scan");

  assert_all_named ("count scan", page, FALSE);
}

/* Setting up -------------------------------------------------------------- */

static void
remove_database_files (const char *file_path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (file_path, suffixes[i], NULL);

      g_remove (file);
    }
}

static void
open_demo_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  dir = g_dir_make_tmp ("omnistock-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "demo.db", NULL);
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_load_demo (store, OMNI_DEMO_DEFAULT_SEED, &error));
  g_assert_no_error (error);

  settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  context = omni_context_new (store, settings);
  window = g_object_ref (omni_window_new (GTK_APPLICATION (app), context));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
}

static void
close_demo_window (void)
{
  wait_for_workers ();
  gtk_window_destroy (GTK_WINDOW (window));
  drain_main_context ();
  g_assert_finalize_object (window);
  drain_main_context ();
  g_assert_finalize_object (context);
  g_clear_object (&settings);
  g_assert_finalize_object (store);

  remove_database_files (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_free (path);
  g_free (dir);
}

int
main (int   argc,
      char *argv[])
{
  static const char *pages[] = {
    "dashboard", "products", "inventory", "count", "reports", "channels",
  };
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/omni/a11y/page/%s", pages[i]);

      g_test_add_data_func (test_path, pages[i], test_page);
    }
  g_test_add_func ("/omni/a11y/rule", test_rule);
  g_test_add_func ("/omni/a11y/shell", test_shell);
  g_test_add_func ("/omni/a11y/preferences", test_preferences);
  g_test_add_func ("/omni/a11y/product-editor", test_product_editor);
  g_test_add_func ("/omni/a11y/adjust-dialog", test_adjust_dialog);
  g_test_add_func ("/omni/a11y/transfer-dialog", test_transfer_dialog);
  g_test_add_func ("/omni/a11y/history-window", test_history_window);
  g_test_add_func ("/omni/a11y/count-start", test_count_start);
  g_test_add_func ("/omni/a11y/count-scan", test_count_scan);

  open_demo_window ();
  status = g_test_run ();
  close_demo_window ();

  g_clear_object (&app);

  return status;
}
