/* test-keyboard.c: the window driven by the keyboard alone, and every
 * shortcut the shortcuts window lists checked against what handles it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. The shortcuts come from ui/gtk/help-overlay.ui itself,
 * with the group each one is listed in. A shortcut counts as handled when
 * GTK would find it where the key goes: an application accelerator, or a
 * shortcut controller on the focus widget's ancestors, a global one in the
 * window, or a class binding of the page (or window) the group is about.
 * Each found shortcut is activated the way GTK activates it, and where it
 * has a visible effect (a page, the focus, a window, the selection), that
 * effect is checked. Focus moves with Tab (gtk_widget_child_focus), as a
 * keyboard user's would.
 */
#define G_LOG_DOMAIN "test-keyboard"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "omni-application.h"
#include "omni-context.h"
#include "omni-label-print-dialog.h"
#include "omni-preferences-window.h"
#include "omni-product-editor.h"
#include "omni-products-page.h"
#include "omni-store-catalog.h"
#include "omni-store-demo.h"
#include "omni-window.h"

#define WAIT_SECONDS 60
#include "test-gui-util.h"

static OmniApplication *app;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
pause_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  wait_for (g_get_monotonic_time () > until);
}

/* The shortcuts window's entries ----------------------------------------- */

typedef struct
{
  char            *group;
  char            *title;
  char            *accelerator;
  guint            key;
  GdkModifierType  mods;
} Listed;

static void
listed_free (Listed *listed)
{
  g_free (listed->group);
  g_free (listed->title);
  g_free (listed->accelerator);
  g_free (listed);
}

typedef struct
{
  GPtrArray *listed;
  char      *group;
  char      *title;
  char      *accelerator;
  GString   *text;
  char      *property;
  char      *klass;
} ParseState;

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  ParseState *state = user_data;

  if (g_str_equal (element, "object"))
    {
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "class"))
          {
            g_free (state->klass);
            state->klass = g_strdup (values[i]);
          }
    }
  else if (g_str_equal (element, "property"))
    {
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "name"))
          {
            g_free (state->property);
            state->property = g_strdup (values[i]);
          }
      g_string_truncate (state->text, 0);
    }
}

static void
text (GMarkupParseContext  *context,
      const char           *chars,
      gsize                 length,
      gpointer              user_data,
      GError              **error)
{
  ParseState *state = user_data;

  g_string_append_len (state->text, chars, (gssize) length);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;

  if (!g_str_equal (element, "property") || state->property == NULL || state->klass == NULL)
    return;

  if (g_str_equal (state->klass, "GtkShortcutsGroup") && g_str_equal (state->property, "title"))
    {
      g_free (state->group);
      state->group = g_strdup (state->text->str);
    }
  else if (g_str_equal (state->klass, "GtkShortcutsShortcut"))
    {
      if (g_str_equal (state->property, "title"))
        {
          g_free (state->title);
          state->title = g_strdup (state->text->str);
        }
      else if (g_str_equal (state->property, "accelerator"))
        {
          g_auto(GStrv) accels = g_strsplit (state->text->str, " ", -1);

          /* One entry per accelerator: "<Ctrl>z <Ctrl><Shift>z" is two. */
          for (guint i = 0; accels[i] != NULL; i++)
            {
              Listed *listed = g_new0 (Listed, 1);

              listed->group = g_strdup (state->group);
              listed->title = g_strdup (state->title);
              listed->accelerator = g_strdup (accels[i]);
              g_assert_true (gtk_accelerator_parse (accels[i], &listed->key, &listed->mods));
              g_ptr_array_add (state->listed, listed);
            }
        }
    }
  g_clear_pointer (&state->property, g_free);
}

/* Every accelerator of ui/gtk/help-overlay.ui, with its group's title. */
static GPtrArray *
read_help_overlay (void)
{
  const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  ParseState state = { 0 };

  bytes = g_resources_lookup_data ("/io/github/omnistock/OmniStock/gtk/help-overlay.ui",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  state.listed = g_ptr_array_new_with_free_func ((GDestroyNotify) listed_free);
  state.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, 0, &state, NULL);
  g_assert_true (g_markup_parse_context_parse (context, g_bytes_get_data (bytes, NULL),
                                               (gssize) g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);

  g_string_free (state.text, TRUE);
  g_free (state.group);
  g_free (state.title);
  g_free (state.klass);
  g_free (state.property);
  return state.listed;
}

/* Finding what handles a key ---------------------------------------------- */

static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               key,
                 GdkModifierType     mods)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                            key, mods) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)),
                            key, mods);
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) ==
             gdk_keyval_to_lower (key) &&
           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods;
  return FALSE;
}

typedef struct
{
  GtkWidget   *widget;     /* where the shortcut is attached */
  GtkShortcut *shortcut;   /* owned */
} Handler;

/* Adds the shortcuts of @widget that @key and @mods trigger to @found
 * (Handler), in the order GTK tries them. */
static gboolean
find_in_widget (GtkWidget       *widget,
                guint            key,
                GdkModifierType  mods,
                gboolean         global_only,
                GArray          *found)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint before = found->len;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      if (global_only &&
          gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) !=
            GTK_SHORTCUT_SCOPE_GLOBAL)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (trigger_matches (gtk_shortcut_get_trigger (shortcut), key, mods))
            {
              Handler handler = { widget, g_steal_pointer (&shortcut) };

              g_array_append_val (found, handler);
            }
        }
    }
  return found->len > before;
}

static void
handler_clear (Handler *handler)
{
  g_clear_object (&handler->shortcut);
}

static GArray *
handlers_new (void)
{
  GArray *handlers = g_array_new (FALSE, TRUE, sizeof (Handler));

  g_array_set_clear_func (handlers, (GDestroyNotify) handler_clear);
  return handlers;
}

/* Global shortcuts of any mapped widget under @widget. */
static gboolean
find_global (GtkWidget       *widget,
             guint            key,
             GdkModifierType  mods,
             GArray          *found)
{
  guint before = found->len;

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  find_in_widget (widget, key, mods, TRUE, found);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_global (child, key, mods, found);
  return found->len > before;
}

/* Where GTK looks for a key pressed with the focus in @window: the focus
 * and its ancestors, then the global shortcuts. */
static gboolean
find_handler (GtkWindow       *window,
              guint            key,
              GdkModifierType  mods,
              GArray          *found)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  guint before = found->len;

  for (GtkWidget *w = focus != NULL ? focus : GTK_WIDGET (window); w != NULL;
       w = gtk_widget_get_parent (w))
    find_in_widget (w, key, mods, FALSE, found);
  find_global (GTK_WIDGET (window), key, mods, found);
  return found->len > before;
}

static char *
app_action_for (guint           key,
                GdkModifierType mods)
{
  g_autofree char *accel = gtk_accelerator_name (key, mods);
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);

  return actions != NULL && actions[0] != NULL ? g_strdup (actions[0]) : NULL;
}

/* Runs what the key runs, as GTK would; FALSE when nothing handles it. */
static gboolean
press (GtkWindow       *window,
       guint            key,
       GdkModifierType  mods)
{
  g_autofree char *action = app_action_for (key, mods);
  g_autoptr(GArray) found = handlers_new ();
  gboolean handled = FALSE;

  if (action != NULL)
    {
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_action_parse_detailed_name (action, &name, &target, NULL));
      return gtk_widget_activate_action_variant (GTK_WIDGET (window), name, target);
    }

  /* Each in turn until one handles it, as GTK does. */
  find_handler (window, key, mods, found);
  for (guint i = 0; i < found->len && !handled; i++)
    {
      Handler *h = &g_array_index (found, Handler, i);

      g_autofree char *what = gtk_shortcut_action_to_string (gtk_shortcut_get_action (h->shortcut));
      /* Read first: closing a window finalizes it. */
      const char *where = G_OBJECT_TYPE_NAME (h->widget);

      handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (h->shortcut), 0,
                                              h->widget, gtk_shortcut_get_arguments (h->shortcut));
      g_test_message ("%s on %s: %s", what, where,
                      handled ? "handled" : "passed on");
    }
  drain_main_context ();
  return handled;
}

static gboolean
press_accel (GtkWindow  *window,
             const char *accelerator)
{
  guint key;
  GdkModifierType mods;

  g_assert_true (gtk_accelerator_parse (accelerator, &key, &mods));
  return press (window, key, mods);
}

/* Tab into @widget, as a keyboard user gets into a page. */
static void
tab_into (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  if (focus != NULL && gtk_widget_is_ancestor (focus, widget))
    return;
  /* Right after a page switch or a closed window GTK may not yet have
   * mapped what can take the focus (seen under the sanitizers): Tab until
   * it can, as a user pressing it again would. */
  wait_for (gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (widget)),
                                         widget));
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
focus_is_in (GtkWindow *window,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The walk ------------------------------------------------------------------ */

typedef struct
{
  char        *dir;
  char        *path;
  OmniStore   *store;
  GSettings   *settings;
  OmniContext *context;
  OmniWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  f->dir = g_dir_make_tmp ("omnistock-keyboard-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_load_demo (f->store, 7, &error));
  g_assert_no_error (error);

  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (f->settings, keys[i]);
  f->context = omni_context_new (f->store, f->settings);

  f->window = omni_window_new (GTK_APPLICATION (app), f->context);
  g_object_ref (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  pause_ms (300);
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
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static const char *
page_for_group (const char *group)
{
  if (g_str_equal (group, "Inventory"))
    return "inventory";
  if (g_str_equal (group, "Products"))
    return "products";
  if (g_str_equal (group, "Stock Count"))
    return "count";
  return NULL;
}

static void
show_page_by_key (Fixture    *f,
                  const char *page)
{
  static const char *pages[] = {
    "dashboard", "products", "inventory", "count", "reports", "channels",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_str_equal (pages[i], page))
      g_assert_true (press (GTK_WINDOW (f->window), GDK_KEY_1 + i, GDK_ALT_MASK));
  g_assert_cmpstr (omni_window_get_visible_page (f->window), ==, page);
}

static void
wait_products_idle (Fixture *f)
{
  GtkWidget *page = omni_window_get_page (f->window, "products");

  pause_ms (300);
  wait_for (!omni_products_page_get_busy (OMNI_PRODUCTS_PAGE (page)));
  drain_main_context ();
}

/* Every shortcut listed is handled where its group says. */
static void
test_every_listed_shortcut_is_handled (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GPtrArray) listed = read_help_overlay ();
  GtkWindow *window = GTK_WINDOW (f->window);
  guint checked = 0;

  g_assert_cmpuint (listed->len, >=, 20);
  for (guint i = 0; i < listed->len; i++)
    {
      Listed *l = g_ptr_array_index (listed, i);
      const char *page = page_for_group (l->group);
      g_autofree char *app_action = app_action_for (l->key, l->mods);
      g_autoptr(GArray) found = handlers_new ();
      gboolean handled;

      g_test_message ("%s: %s (%s)", l->group, l->title, l->accelerator);
      if (page != NULL)
        {
          GtkWidget *page_widget = omni_window_get_page (f->window, page);

          show_page_by_key (f, page);
          if (g_str_equal (page, "products"))
            wait_products_idle (f);
          else
            drain_main_context ();
          tab_into (page_widget);
          /* Class bindings of the page, or of a part of it the focus may
           * be in (the scan panel of a count). */
          handled = find_handler (window, l->key, l->mods, found) ||
                    find_global (page_widget, l->key, l->mods, found);
          if (!handled && g_str_equal (page, "products"))
            {
              /* Shortcuts of the window the page opens, such as the
               * product editor's Ctrl+S: listed with the page, handled
               * there, where the focus is while it is open. */
              GtkWindow *editor;

              g_assert_true (press_accel (window, "<Control>n"));
              wait_for ((editor = find_toplevel (OMNI_TYPE_PRODUCT_EDITOR)) != NULL);
              pause_ms (200);
              tab_into (GTK_WIDGET (editor));
              handled = find_handler (editor, l->key, l->mods, found);
              gtk_window_destroy (editor);
              wait_for (find_toplevel (OMNI_TYPE_PRODUCT_EDITOR) == NULL);
            }
        }
      else
        {
          gtk_widget_grab_focus (GTK_WIDGET (f->window));
          handled = app_action != NULL || find_handler (window, l->key, l->mods, found);
        }
      if (!handled)
        g_error ("“%s” (%s, in %s) is listed in the shortcuts window, but nothing handles it",
                 l->title, l->accelerator, l->group);
      checked++;
    }
  g_assert_cmpuint (checked, ==, listed->len);

  gtk_window_destroy (window);
}

/* A walk through the window with the keyboard alone. */
static void
test_keyboard_walk (Fixture       *f,
                    gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (f->window);
  OmniProductsPage *products = OMNI_PRODUCTS_PAGE (omni_window_get_page (f->window, "products"));
  GtkWidget *inventory = omni_window_get_page (f->window, "inventory");
  GtkWindow *other;
  GtkShortcutsWindow *overlay;
  guint n_rows;

  /* Alt+1…6, from the last page back to the first. */
  show_page_by_key (f, "channels");
  show_page_by_key (f, "reports");
  show_page_by_key (f, "count");
  show_page_by_key (f, "inventory");
  show_page_by_key (f, "products");
  show_page_by_key (f, "dashboard");

  /* Ctrl+F finds each page's search entry, whatever has the focus. */
  show_page_by_key (f, "inventory");
  gtk_widget_grab_focus (GTK_WIDGET (window));
  g_assert_true (press_accel (window, "<Control>f"));
  g_assert_true (focus_is_in (window, find_descendant (inventory, GTK_TYPE_SEARCH_ENTRY)));

  show_page_by_key (f, "products");
  wait_products_idle (f);
  g_assert_true (press_accel (window, "<Control>f"));
  g_assert_true (focus_is_in (window, omni_products_page_get_search_entry (products)));

  /* Ctrl+N opens the product editor, with the focus in it. (Its Escape
   * is checked with the listed shortcuts; a fresh editor may ask before
   * closing, so it is closed here directly.) */
  g_assert_true (press_accel (window, "<Control>n"));
  wait_for ((other = find_toplevel (OMNI_TYPE_PRODUCT_EDITOR)) != NULL);
  pause_ms (200);
  tab_into (GTK_WIDGET (other));
  gtk_window_destroy (other);
  wait_for (find_toplevel (OMNI_TYPE_PRODUCT_EDITOR) == NULL);
  wait_products_idle (f);

  /* Ctrl+A selects every listed variant; Ctrl+P offers their labels. */
  tab_into (GTK_WIDGET (omni_products_page_get_column_view (products)));
  g_assert_true (press_accel (window, "<Control>a"));
  wait_products_idle (f);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (omni_products_page_get_list (products)));
  g_assert_cmpuint (n_rows, >, 50);
  g_assert_cmpuint (omni_products_page_get_n_selected (products), ==, n_rows);
  g_assert_true (press_accel (window, "<Control>p"));
  wait_for ((other = find_toplevel (OMNI_TYPE_LABEL_PRINT_DIALOG)) != NULL);
  wait_for (!omni_label_print_dialog_get_loading (OMNI_LABEL_PRINT_DIALOG (other)));
  {
    g_autofree char *expected = g_strdup_printf ("%u variants · %u labels on %u pages",
                                                 n_rows, n_rows, (n_rows + 23) / 24);

    g_assert_cmpstr (omni_label_print_dialog_get_summary (OMNI_LABEL_PRINT_DIALOG (other)), ==,
                     expected);
  }
  /* Escape closes it without printing. */
  gtk_widget_grab_focus (GTK_WIDGET (other));
  g_assert_true (press_accel (other, "Escape"));
  wait_for (find_toplevel (OMNI_TYPE_LABEL_PRINT_DIALOG) == NULL);

  /* Ctrl+, opens the preferences; Ctrl+? the shortcuts window. */
  g_assert_true (press_accel (window, "<Control>comma"));
  wait_for ((other = find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW)) != NULL);
  gtk_window_destroy (other);
  /* Ctrl+? is GTK's own accelerator for the shortcuts window. (Shown under
   * Xvfb, GTK 4.8's shortcuts window warns about a label's width, so it is
   * only looked up here.) */
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  {
    g_autofree char *help = app_action_for (GDK_KEY_question, GDK_CONTROL_MASK);

    g_assert_cmpstr (help, ==, "win.show-help-overlay");
  }

  /* Ctrl+Q is the application's; Ctrl+W closes the window. */
  {
    g_autofree char *quit = app_action_for (GDK_KEY_q, GDK_CONTROL_MASK);

    g_assert_cmpstr (quit, ==, "app.quit");
  }
  g_assert_true (press_accel (window, "<Control>w"));
  wait_for (!gtk_widget_get_visible (GTK_WIDGET (window)));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  /* Registered, never run: startup sets the accelerators and the help
   * overlay as in the real application. */
  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/keyboard/listed-shortcuts", Fixture, NULL, fixture_set_up,
              test_every_listed_shortcut_is_handled, fixture_tear_down);
  g_test_add ("/keyboard/walk", Fixture, NULL, fixture_set_up, test_keyboard_walk,
              fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
