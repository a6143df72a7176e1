/* omni-application.c: the OmniStock application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One window per database: a second launch naming the same file presents
 * its window, one naming another file opens a second window with its own
 * context. A database that cannot be opened gets a window that says why
 * and leaves the file alone.
 *
 * Which database: --db, else $OMNISTOCK_DB, else the `database` key (a
 * shared PostgreSQL database chosen in the preferences), else the file in
 * the user's data folder. A postgresql:// address is no file name and is
 * used as it is; its password comes from the keyring.
 */
#define G_LOG_DOMAIN "omni-application"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-application.h"
#include "omni-database-dialog.h"
#include "omni-owner-guard.h"
#include "omni-preferences-window.h"
#include "omni-toast.h"
#include "omni-webhook-service.h"
#include "omni-window.h"

#define RESOURCE_BASE_PATH "/io/github/omnistock/OmniStock"

struct _OmniApplication
{
  AdwApplication      parent_instance;

  GSettings          *settings;
  OmniWebhookService *webhooks;
  guint               webhooks_idle;
};

G_DEFINE_FINAL_TYPE (OmniApplication, omni_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database at PATH (a file, or postgresql://USER@HOST/DATABASE) instead of the "
       "default one"), N_("PATH") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Load demo data if the database is empty"), NULL },
  { NULL }
};

static OmniWindow *
find_window (OmniApplication *self,
             const char      *location)
{
  /* A store's path never shows a password typed into its address. */
  g_autofree char *path = omni_store_redact_location (location);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      OmniContext *context;

      if (!OMNI_IS_WINDOW (l->data))
        continue;

      context = omni_window_get_context (l->data);
      if (context != NULL &&
          g_strcmp0 (omni_store_get_path (omni_context_get_store (context)), path) == 0)
        return l->data;
      /* A window still connecting to it counts too. */
      if (context == NULL && g_strcmp0 (omni_window_get_opening (l->data), path) == 0)
        return l->data;
    }

  return NULL;
}

static OmniWindow *
create_window (OmniApplication *self,
               const char      *path,
               gboolean         load_demo)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniContext) context = NULL;
  g_autoptr(GError) error = NULL;

  /* A shared store: the keyring and the server are asked on a worker while
   * the window says it is connecting; it becomes the shop's window, the
   * offline till (server out of reach) or says what else is wrong. */
  if (omni_store_location_is_shared (path))
    return omni_window_new_for_shared (GTK_APPLICATION (self), path, load_demo);

  store = omni_store_open (path, &error);
  if (store == NULL)
    {
      g_debug ("Cannot open %s: %s", path, error->message);
      return omni_window_new_for_error (GTK_APPLICATION (self), path, error);
    }

  context = omni_context_new (store, NULL);

  return omni_window_new (GTK_APPLICATION (self), context);
}

/* Which database to open, when --db gave @db or none. The environment and
 * working directory are the launching process's (@cmdline), which is not
 * this one when a second launch is forwarded to a running instance;
 * without @cmdline (activation) they are this process's. */
static char *
resolve_location (OmniApplication         *self,
                  GApplicationCommandLine *cmdline,
                  const char              *db)
{
  g_autofree char *chosen = NULL;

  if (db == NULL || db[0] == '\0')
    db = cmdline != NULL ? g_application_command_line_getenv (cmdline, "OMNISTOCK_DB")
                         : g_getenv ("OMNISTOCK_DB");

  if (db == NULL || db[0] == '\0')
    {
      chosen = g_settings_get_string (self->settings, "database");
      if (omni_store_location_is_shared (chosen))
        return g_steal_pointer (&chosen);
      if (chosen[0] != '\0')
        g_message ("The “database” setting is no postgresql:// address; "
                   "the database on this computer opens instead");
      return omni_store_default_path ();
    }

  /* A server's address passes through as it is: made a file name, it
   * would become a path under the working directory. */
  if (omni_store_location_is_shared (db))
    return g_strdup (db);

  if (cmdline != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, db);

      return g_file_get_path (file);
    }
  return omni_store_resolve_path (db);
}

static int
omni_application_command_line (GApplication            *application,
                               GApplicationCommandLine *cmdline)
{
  OmniApplication *self = OMNI_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *db = NULL;
  g_autofree char *path = NULL;

  g_variant_dict_lookup (options, "db", "^&ay", &db);
  path = resolve_location (self, cmdline, db);
  omni_application_open (self, path, g_variant_dict_contains (options, "demo"));

  return EXIT_SUCCESS;
}

static void
omni_application_activate (GApplication *application)
{
  OmniApplication *self = OMNI_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *path = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  path = resolve_location (self, NULL, NULL);
  omni_application_open (self, path, FALSE);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  /* Closing, not quitting outright, lets each window save its state. */
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    g_ptr_array_add (windows, g_object_ref (l->data));
  for (guint i = 0; i < windows->len; i++)
    gtk_window_close (g_ptr_array_index (windows, i));
}

static void
present_preferences (gpointer user_data)
{
  OmniWindow *parent = OMNI_WINDOW (user_data);
  OmniContext *context = omni_window_get_context (parent);

  gtk_window_present (GTK_WINDOW (omni_preferences_window_new (GTK_WINDOW (parent), context)));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  OmniContext *context;

  /* A window without a database has no preferences to edit. */
  if (!OMNI_IS_WINDOW (parent) ||
      !(context = omni_window_get_context (OMNI_WINDOW (parent))))
    return;

  /* With staff profiles, only an owner changes the preferences. */
  omni_owner_guard_run (parent, context, _("Changing the preferences needs an owner"),
                        present_preferences, g_object_ref (parent), g_object_unref);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *developers[] = { "OmniStock developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "application-name", "OmniStock",
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Inventory for small shops, in step with their "
                                      "online sales channels"),
                        "developer-name", _("OmniStock developers"),
                        "developers", developers,
                        "copyright", _("© OmniStock developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/omnistock/omnistock",
                        "issue-url", "https://github.com/omnistock/omnistock/issues",
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

/* Notifications can only name application actions: this one presents the
 * window and shows a page in it. */
static void
show_page_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (!OMNI_IS_WINDOW (window))
    return;
  omni_window_set_visible_page (OMNI_WINDOW (window), g_variant_get_string (param, NULL));
  gtk_window_present (window);
}

/* Back to the file on this computer, from a window that could not open the
 * shared database the `database` key names: the key is emptied, so the
 * next start opens the file too. */
static void
use_local_database_action (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  OmniApplication *self = OMNI_APPLICATION (user_data);
  GtkWindow *current = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *env = g_getenv ("OMNISTOCK_DB");
  g_autofree char *path = NULL;
  GtkWindow *opened;

  g_settings_set_string (self->settings, "database", "");
  if (env != NULL && env[0] != '\0' && !omni_store_location_is_shared (env))
    path = g_strdup (env);
  else
    path = omni_store_default_path ();
  opened = omni_application_open (self, path, FALSE);
  if (OMNI_IS_WINDOW (current) && omni_window_get_context (OMNI_WINDOW (current)) == NULL &&
      current != opened)
    gtk_window_close (current);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "use-local-database", use_local_database_action },
  { "show-page", show_page_action, "s" },
  { "preferences", preferences_action },
  { "about", about_action },
};

/* The webhook receiver ------------------------------------------------
 *
 * Runs while the app is open and the preference is on, for the database of
 * the first window that has one. */

static gboolean
update_webhooks_cb (gpointer data)
{
  OmniApplication *self = data;
  const char *path = NULL;

  self->webhooks_idle = 0;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      OmniContext *context;

      if (OMNI_IS_WINDOW (l->data) && (context = omni_window_get_context (l->data)) != NULL)
        {
          path = omni_store_get_path (omni_context_get_store (context));
          break;
        }
    }
  omni_webhook_service_set_database (self->webhooks, path);
  return G_SOURCE_REMOVE;
}

static void
windows_changed_cb (OmniApplication *self)
{
  /* A new window gets its context after it joins the application. */
  if (self->webhooks_idle == 0 && self->webhooks != NULL)
    self->webhooks_idle = g_idle_add (update_webhooks_cb, self);
}

static void
webhooks_status_cb (OmniApplication *self)
{
  const char *error = omni_webhook_service_get_error (self->webhooks);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *overlay = NULL;
  g_autofree char *title = NULL;

  if (error == NULL || window == NULL)
    return;
  /* The preferences show it on their row; the main window gets a toast. */
  if (OMNI_IS_WINDOW (window))
    {
      for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (window)); w != NULL && overlay == NULL;
           w = gtk_widget_get_first_child (w))
        if (ADW_IS_TOAST_OVERLAY (w))
          overlay = w;
    }
  if (overlay == NULL)
    return;
  title = g_strdup_printf (_("Webhooks are not received: %s"), error);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), omni_toast_new_text (title));
}

/**
 * omni_application_get_webhook_service:
 *
 * Returns: (transfer none) (nullable): the receiver, from start-up on
 */
OmniWebhookService *
omni_application_get_webhook_service (OmniApplication *self)
{
  g_return_val_if_fail (OMNI_IS_APPLICATION (self), NULL);
  return self->webhooks;
}

static void
omni_application_shutdown (GApplication *application)
{
  OmniApplication *self = OMNI_APPLICATION (application);

  g_clear_handle_id (&self->webhooks_idle, g_source_remove);
  if (self->webhooks != NULL)
    omni_webhook_service_shutdown (self->webhooks);
  g_clear_object (&self->webhooks);
  g_clear_object (&self->settings);
  G_APPLICATION_CLASS (omni_application_parent_class)->shutdown (application);
}

static void
omni_application_startup (GApplication *application)
{
  GtkApplication *gtk_application = GTK_APPLICATION (application);
  OmniApplication *self = OMNI_APPLICATION (application);

  G_APPLICATION_CLASS (omni_application_parent_class)->startup (application);

  self->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  self->webhooks = omni_webhook_service_new (self->settings);
  g_signal_connect_object (self->webhooks, "notify::status", G_CALLBACK (webhooks_status_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "window-added", G_CALLBACK (windows_changed_cb), NULL);
  g_signal_connect (self, "window-removed", G_CALLBACK (windows_changed_cb), NULL);

  gtk_application_set_accels_for_action (gtk_application, "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (gtk_application, "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (gtk_application, "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
omni_application_class_init (OmniApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->startup = omni_application_startup;
  application_class->shutdown = omni_application_shutdown;
  application_class->activate = omni_application_activate;
  application_class->command_line = omni_application_command_line;
}

static void
omni_application_init (OmniApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keep track of stock in your shop and on "
                                              "your sales channels."));
  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_entries, G_N_ELEMENTS (app_entries),
                                   self);
}

/* Benchmarks: with OMNISTOCK_BENCH_FIRST_FRAME=1 in the environment, the
 * monotonic time at which the first window finished painting its first
 * frame goes to stdout once, for bench/bench-gui.c to read. */
static void
bench_first_frame_painted (GdkFrameClock *clock,
                           gpointer       user_data)
{
  g_print ("OMNISTOCK_BENCH first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, bench_first_frame_painted, user_data);
}

static void
bench_watch_first_frame (GtkWidget *window)
{
  static gboolean watching;
  GdkFrameClock *clock;

  if (watching || g_strcmp0 (g_getenv ("OMNISTOCK_BENCH_FIRST_FRAME"), "1") != 0)
    return;
  if ((clock = gtk_widget_get_frame_clock (window)) == NULL)
    return;
  watching = TRUE;
  g_signal_connect (clock, "after-paint", G_CALLBACK (bench_first_frame_painted), NULL);
}

/**
 * omni_application_new:
 *
 * Returns: (transfer full): the application
 */
OmniApplication *
omni_application_new (void)
{
  return g_object_new (OMNI_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

/**
 * omni_application_open_store:
 * @store: a store opened already (a worker connected to it)
 *
 * Presents the window for @store's database, or opens one on @store.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
omni_application_open_store (OmniApplication *self,
                             OmniStore       *store)
{
  OmniWindow *window;

  g_return_val_if_fail (OMNI_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  if (!(window = find_window (self, omni_store_get_path (store))))
    {
      g_autoptr(OmniContext) context = omni_context_new (store, NULL);

      window = omni_window_new (GTK_APPLICATION (self), context);
    }
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

/**
 * omni_application_open:
 * @path: the database file, or a `postgresql://` address
 * @load_demo: load demo data if the database is empty
 *
 * Presents the window for @path, opening the database first if no window
 * shows it yet.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
omni_application_open (OmniApplication *self,
                       const char      *path,
                       gboolean         load_demo)
{
  OmniWindow *window;

  g_return_val_if_fail (OMNI_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!(window = find_window (self, path)))
    window = create_window (self, path, load_demo);

  if (load_demo && omni_window_get_context (window) != NULL)
    {
      omni_window_set_visible_page (window, "dashboard");
      omni_window_load_demo (window);
    }

  gtk_window_present (GTK_WINDOW (window));
  bench_watch_first_frame (GTK_WIDGET (window));

  return GTK_WINDOW (window);
}
