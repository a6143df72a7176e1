/* omni-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sidebar lists the pages; a stack shows one. On a narrow window the
 * leaflet folds so the sidebar and the page take turns, with a back button.
 * The pages receive the window's context when they are built, which is why
 * they are created here rather than in the template.
 */
#define G_LOG_DOMAIN "omni-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "omni-backup-action.h"
#include "omni-channels-page.h"
#include "omni-count-page.h"
#include "omni-dashboard-page.h"
#include "omni-database-dialog.h"
#include "omni-import-actions.h"
#include "omni-inventory-actions.h"
#include "omni-inventory-page.h"
#include "omni-offline-till.h"
#include "omni-products-page.h"
#include "omni-purchasing-window.h"
#include "omni-reports-page.h"
#include "omni-store-opener.h"
#include "omni-window.h"

typedef struct
{
  const char *name;
  const char *title;
  const char *icon_name;
  GType     (*get_type) (void);
} PageInfo;

/* The order of the sidebar and of the Alt+1…Alt+6 shortcuts. */
static const PageInfo page_infos[] = {
  { "dashboard", N_("Dashboard"), "view-grid-symbolic", omni_dashboard_page_get_type },
  { "products", N_("Products"), "package-x-generic-symbolic", omni_products_page_get_type },
  { "inventory", N_("Inventory"), "x-office-spreadsheet-symbolic", omni_inventory_page_get_type },
  { "count", N_("Stock Count"), "view-list-ordered-symbolic", omni_count_page_get_type },
  { "reports", N_("Reports"), "x-office-document-symbolic", omni_reports_page_get_type },
  { "channels", N_("Channels"), "emblem-synchronizing-symbolic", omni_channels_page_get_type },
};

struct _OmniWindow
{
  AdwApplicationWindow  parent_instance;

  OmniContext          *context;

  GtkStack             *main_stack;
  AdwStatusPage        *open_error_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *content_box;
  GtkListBox           *sidebar_list;
  GtkStack             *stack;
  AdwWindowTitle       *page_title;
  AdwWindowTitle       *sidebar_title;

  gboolean              demo_when_open;  /* --demo, for a store still opening */
};

G_DEFINE_FINAL_TYPE (OmniWindow, omni_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
find_page_info (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (page_infos); i++)
    {
      if (g_str_equal (page_infos[i].name, name))
        return (int) i;
    }

  return -1;
}

/* Window geometry keys have ranges; a size outside them is not saved. */
static void
save_int_in_range (GSettings  *settings,
                   const char *key,
                   int         value)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new_int32 (value));

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);

  if (g_settings_schema_key_range_check (schema_key, variant))
    g_settings_set_value (settings, key, variant);
}

static void
save_window_state (OmniWindow *self)
{
  GSettings *settings = omni_context_get_settings (self->context);
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  save_int_in_range (settings, "window-width", width);
  save_int_in_range (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static void
restore_window_state (OmniWindow *self)
{
  GSettings *settings = omni_context_get_settings (self->context);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));

  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
visible_page_changed (OmniWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  int index = find_page_info (name);
  GAction *action;

  if (index < 0)
    return;

  adw_window_title_set_title (self->page_title, _(page_infos[index].title));
  gtk_list_box_select_row (self->sidebar_list,
                           gtk_list_box_get_row_at_index (self->sidebar_list, index));

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "visible-page");
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));

  g_settings_set_string (omni_context_get_settings (self->context), "last-page", name);
}

static GtkWidget *
create_sidebar_row (const PageInfo *info)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_(info->title));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (info->icon_name));
  gtk_box_append (GTK_BOX (box), label);

  return box;
}

static void
add_pages (OmniWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    {
      const PageInfo *info = &page_infos[i];
      GtkWidget *page = g_object_new (info->get_type (), "context", self->context, NULL);
      GtkStackPage *stack_page;

      stack_page = gtk_stack_add_titled (self->stack, page, info->name, _(info->title));
      gtk_stack_page_set_icon_name (stack_page, info->icon_name);
      gtk_list_box_append (self->sidebar_list, create_sidebar_row (info));
    }
}

static void
sidebar_row_selected_cb (OmniWindow    *self,
                         GtkListBoxRow *row)
{
  if (row != NULL)
    gtk_stack_set_visible_child_name (self->stack,
                                      page_infos[gtk_list_box_row_get_index (row)].name);
}

/* On a folded window, choosing a page (even the current one) shows it. */
static void
sidebar_row_activated_cb (OmniWindow    *self,
                          GtkListBoxRow *row)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
back_clicked_cb (OmniWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_page_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  OmniWindow *self = OMNI_WINDOW (user_data);
  const char *name = g_variant_get_string (param, NULL);

  if (!omni_window_set_visible_page (self, name))
    g_warning ("There is no page named “%s”", name);
}

static GtkWidget *
first_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget) && gtk_widget_is_drawable (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *entry = first_search_entry (child);

      if (entry != NULL)
        return entry;
    }
  return NULL;
}

/* Ctrl+F with the focus outside the page (the sidebar, say): the search of
 * the page that shows. Pages with their own Ctrl+F handle it first. */
static gboolean
search_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  OmniWindow *self = OMNI_WINDOW (widget);
  GtkWidget *page = self->stack != NULL ? gtk_stack_get_visible_child (self->stack) : NULL;
  GtkWidget *entry = page != NULL ? first_search_entry (page) : NULL;

  return entry != NULL && gtk_widget_grab_focus (entry);
}

static const GActionEntry action_entries[] = {
  { "show-page", show_page_action, "s" },
  /* Stateful so tests and menus can read which page shows. */
  { "visible-page", NULL, "s", "'dashboard'", show_page_action },
};

static void
omni_window_constructed (GObject *object)
{
  OmniWindow *self = OMNI_WINDOW (object);
  g_autofree char *last_page = NULL;

  G_OBJECT_CLASS (omni_window_parent_class)->constructed (object);

  if (self->context == NULL)
    return;

  /* Read before the pages exist: adding them already records a page. */
  last_page = g_settings_get_string (omni_context_get_settings (self->context), "last-page");

  restore_window_state (self);
  omni_inventory_actions_install (self);
  omni_purchasing_actions_install (GTK_APPLICATION_WINDOW (self), self->context);
  omni_import_actions_install (self);
  omni_backup_action_install (self);
  add_pages (self);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (visible_page_changed), self,
                           G_CONNECT_SWAPPED);

  if (!omni_window_set_visible_page (self, last_page))
    omni_window_set_visible_page (self, page_infos[0].name);
  visible_page_changed (self);

  /* Which store: said only of a shared one, the file being the usual. */
  {
    const char *location = omni_store_get_path (omni_context_get_store (self->context));

    if (omni_store_location_is_shared (location))
      {
        g_autofree char *where = omni_database_describe_location (location);
        /* Translators: %s is a database server and database, "nas.local/shop" */
        g_autofree char *subtitle = g_strdup_printf (_("Shared database: %s"), where);

        adw_window_title_set_subtitle (self->sidebar_title, subtitle);
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->sidebar_title), location);
      }
  }
}

static gboolean
omni_window_close_request (GtkWindow *window)
{
  OmniWindow *self = OMNI_WINDOW (window);

  if (self->context != NULL)
    save_window_state (self);

  return GTK_WINDOW_CLASS (omni_window_parent_class)->close_request (window);
}

static void
omni_window_dispose (GObject *object)
{
  OmniWindow *self = OMNI_WINDOW (object);

  /* Tearing the stack down changes its visible child: that is no choice
   * of the merchant's to remember. */
  if (self->stack != NULL)
    g_signal_handlers_disconnect_by_data (self->stack, self);
  if (self->sidebar_list != NULL)
    g_signal_handlers_disconnect_by_data (self->sidebar_list, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (omni_window_parent_class)->dispose (object);
}

static void
omni_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OmniWindow *self = OMNI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OmniWindow *self = OMNI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_window_class_init (OmniWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = omni_window_constructed;
  object_class->dispose = omni_window_dispose;
  object_class->get_property = omni_window_get_property;
  object_class->set_property = omni_window_set_property;

  window_class->close_request = omni_window_close_request;

  /* NULL for a window that could not open its database: it shows why. */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         OMNI_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock/omni-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, open_error_page);
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, OmniWindow, sidebar_title);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", page_infos[i].name);
}

static void
omni_window_init (OmniWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   action_entries, G_N_ELEMENTS (action_entries),
                                   self);

  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f,
                                                                                    GDK_CONTROL_MASK),
                                                            gtk_callback_action_new (search_shortcut_cb,
                                                                                     NULL, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }

  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * omni_window_new:
 * @application: the application
 * @context: the database and settings the window shows
 *
 * Returns: (transfer none): a new window, owned by GTK until destroyed
 */
OmniWindow *
omni_window_new (GtkApplication *application,
                 OmniContext    *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

/**
 * omni_window_new_for_error:
 * @application: the application
 * @path: the database file that could not be opened
 * @error: why
 *
 * A window that explains why the database could not be opened, and does
 * nothing else: the file is left as it is.
 *
 * Returns: (transfer none): a new window, owned by GTK until destroyed
 */
OmniWindow *
omni_window_new_for_error (GtkApplication *application,
                           const char     *path,
                           const GError   *error)
{
  OmniWindow *self;
  g_autofree char *markup = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (OMNI_TYPE_WINDOW,
                       "application", application,
                       "default-width", 640,
                       "default-height", 480,
                       NULL);

  /* Name the file, unless the message does already. */
  if (strstr (error->message, path) != NULL)
    markup = g_markup_escape_text (error->message, -1);
  else
    markup = g_markup_printf_escaped ("%s\n\n<small>%s</small>", error->message, path);
  adw_status_page_set_description (self->open_error_page, markup);
  gtk_stack_set_visible_child_name (self->main_stack, "open-error");

  /* A shared database that cannot be used is no dead end: back to the
   * file on this computer (app.use-local-database). */
  if (omni_store_location_is_shared (path))
    {
      GtkWidget *close = g_object_ref (adw_status_page_get_child (self->open_error_page));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *local = gtk_button_new_with_mnemonic (_("Use This Computer’s _File"));

      gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (local, "pill");
      gtk_widget_add_css_class (local, "suggested-action");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (local), "app.use-local-database");
      adw_status_page_set_child (self->open_error_page, box);
      gtk_box_append (GTK_BOX (box), close);
      gtk_box_append (GTK_BOX (box), local);
      g_object_unref (close);
    }

  return self;
}

static void
on_till_connected (OmniOfflineTill *till,
                   OmniStore       *store,
                   OmniWindow      *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(OmniContext) context = omni_context_new (store, NULL);
  OmniWindow *window = omni_window_new (application, context);

  gtk_window_present (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The server is back but refuses this till: the window that opens shared
 * stores says why and offers the password or this computer's database. */
typedef struct
{
  OmniWindow *offline;
  char       *location;
} Replacement;

/* From the main loop, not from inside the till's own signal: the till and
 * its window go while nothing of theirs is on the stack. */
static gboolean
replace_with_shared (gpointer data)
{
  Replacement *replacement = data;
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (replacement->offline));

  if (application != NULL)
    {
      OmniWindow *window = omni_window_new_for_shared (application, replacement->location, FALSE);

      gtk_window_present (GTK_WINDOW (window));
    }
  gtk_window_destroy (GTK_WINDOW (replacement->offline));
  g_object_unref (replacement->offline);
  g_free (replacement->location);
  g_free (replacement);
  return G_SOURCE_REMOVE;
}

static void
on_till_refused (OmniOfflineTill *till,
                 const GError    *error,
                 OmniWindow      *self)
{
  Replacement *replacement = g_new0 (Replacement, 1);

  replacement->offline = g_object_ref (self);
  replacement->location = g_strdup (omni_offline_till_get_location (till));
  g_idle_add (replace_with_shared, replacement);
}

static void
offline_use_local_cb (GSimpleAction   *action,
                      GVariant        *param,
                      OmniOfflineTill *till)
{
  omni_store_opener_confirm_use_local (GTK_WIDGET (till), omni_offline_till_get_n_waiting (till));
}

static void
on_opener_unreachable (OmniStoreOpener *opener,
                       const GError    *error,
                       OmniWindow      *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  OmniWindow *window = omni_window_new_for_offline (application,
                                                    omni_store_opener_get_location (opener),
                                                    error);

  gtk_window_present (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_opener_opened (OmniStoreOpener *opener,
                  OmniStore       *store,
                  OmniWindow      *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(OmniContext) context = omni_context_new (store, NULL);
  OmniWindow *window = omni_window_new (application, context);

  if (self->demo_when_open)
    {
      omni_window_set_visible_page (window, "dashboard");
      omni_window_load_demo (window);
    }
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * omni_window_new_for_shared:
 * @application: the application
 * @location: a shared store's `postgresql://` address
 * @load_demo: load demo data once it is open, if it is empty
 *
 * A window that opens the shared store on a worker (the keyring, then the
 * server) and meanwhile says so. Once the store is open, a window on it
 * takes this one's place; if the server cannot be reached, the offline
 * till's window does; any other refusal shows here, with what to do.
 *
 * Returns: (transfer none): a new window, owned by GTK until destroyed
 */
OmniWindow *
omni_window_new_for_shared (GtkApplication *application,
                            const char     *location,
                            gboolean        load_demo)
{
  OmniWindow *self;
  GtkWidget *opener;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (location != NULL, NULL);

  self = g_object_new (OMNI_TYPE_WINDOW,
                       "application", application,
                       "default-width", 720,
                       "default-height", 560,
                       NULL);
  self->demo_when_open = load_demo;
  opener = omni_store_opener_new (location);
  g_signal_connect_object (opener, "opened", G_CALLBACK (on_opener_opened), self, 0);
  g_signal_connect_object (opener, "unreachable", G_CALLBACK (on_opener_unreachable), self, 0);
  gtk_stack_add_named (self->main_stack, opener, "opening");
  gtk_stack_set_visible_child_name (self->main_stack, "opening");
  return self;
}

/**
 * omni_window_get_opening:
 *
 * Returns: (nullable): the address (without password) of the shared store
 *   this window is opening, or %NULL
 */
const char *
omni_window_get_opening (OmniWindow *self)
{
  GtkWidget *opener;

  g_return_val_if_fail (OMNI_IS_WINDOW (self), NULL);

  opener = gtk_stack_get_child_by_name (self->main_stack, "opening");
  return opener != NULL ? omni_store_opener_get_location (OMNI_STORE_OPENER (opener)) : NULL;
}

/**
 * omni_window_new_for_offline:
 * @application: the application
 * @location: the shared store whose server cannot be reached
 * @error: why
 *
 * A window that keeps selling into this computer's till journal until the
 * server answers, then opens the shop's window in its place.
 *
 * Returns: (transfer none): a new window, owned by GTK until destroyed
 */
OmniWindow *
omni_window_new_for_offline (GtkApplication *application,
                             const char     *location,
                             const GError   *error)
{
  OmniWindow *self;
  GtkWidget *box, *header, *till, *title, *menu_button;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GSimpleAction) leave = g_simple_action_new ("use-local-database", NULL);

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (location != NULL, NULL);

  self = g_object_new (OMNI_TYPE_WINDOW,
                       "application", application,
                       "default-width", 720,
                       "default-height", 640,
                       NULL);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  title = adw_window_title_new (_("OmniStock"), _("Offline till"));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);
  till = omni_offline_till_new (location, error);
  gtk_widget_set_vexpand (till, TRUE);
  g_signal_connect_object (till, "connected", G_CALLBACK (on_till_connected), self, 0);
  g_signal_connect_object (till, "refused", G_CALLBACK (on_till_refused), self, 0);
  gtk_box_append (GTK_BOX (box), till);

  /* Giving up on the shared store, after a word on the sales queued. */
  g_signal_connect_object (leave, "activate", G_CALLBACK (offline_use_local_cb), till, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (leave));
  g_menu_append (menu, _("Use This Computer’s _Database…"), "win.use-local-database");
  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (menu_button, _("Main Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Main Menu"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu_button);

  gtk_stack_add_named (self->main_stack, box, "offline");
  gtk_stack_set_visible_child_name (self->main_stack, "offline");
  return self;
}

/**
 * omni_window_get_context:
 *
 * Returns: (transfer none) (nullable): the context, %NULL for an error window
 */
OmniContext *
omni_window_get_context (OmniWindow *self)
{
  g_return_val_if_fail (OMNI_IS_WINDOW (self), NULL);

  return self->context;
}

/**
 * omni_window_get_visible_page:
 *
 * Returns: (nullable): the name of the page shown, such as "dashboard"
 */
const char *
omni_window_get_visible_page (OmniWindow *self)
{
  g_return_val_if_fail (OMNI_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * omni_window_set_visible_page:
 * @name: "dashboard", "products", "inventory", "count", "reports" or "channels"
 *
 * Shows the page, also on a folded window.
 *
 * Returns: %FALSE when there is no such page
 */
gboolean
omni_window_set_visible_page (OmniWindow *self,
                              const char *name)
{
  g_return_val_if_fail (OMNI_IS_WINDOW (self), FALSE);

  if (self->context == NULL || find_page_info (name) < 0)
    return FALSE;

  gtk_stack_set_visible_child_name (self->stack, name);
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);

  return TRUE;
}

/**
 * omni_window_get_page:
 * @name: a page name, as for omni_window_set_visible_page()
 *
 * Returns: (transfer none) (nullable): the page, or %NULL
 */
GtkWidget *
omni_window_get_page (OmniWindow *self,
                      const char *name)
{
  g_return_val_if_fail (OMNI_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return gtk_stack_get_child_by_name (self->stack, name);
}

/**
 * omni_window_load_demo:
 *
 * Loads demo data into an empty database, with the dashboard's progress.
 */
void
omni_window_load_demo (OmniWindow *self)
{
  GtkWidget *dashboard;

  g_return_if_fail (OMNI_IS_WINDOW (self));

  dashboard = omni_window_get_page (self, "dashboard");
  if (dashboard != NULL)
    omni_dashboard_page_load_demo (OMNI_DASHBOARD_PAGE (dashboard));
}
