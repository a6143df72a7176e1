/* test-backup-action.c: "Back Up Database…" in the primary menu, and one
 * running instance of the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-backup-action"

#include "config.h"

#include <glib/gstdio.h>

#include "omni-application.h"
#include "omni-context.h"
#include "omni-window.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"

static GtkMenuButton *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label of the item with @action in @model or its sections. */
static char *
find_item_label (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_action = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_str_equal (item_action, action) &&
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        return g_steal_pointer (&label);

      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        {
          char *found = find_item_label (section, action);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

static void
test_menu_item (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omnistock-backup-action-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "test.db", NULL);
  g_autofree char *label = NULL;
  g_autoptr(OmniStore) store = omni_store_open (path, &error);
  g_autoptr(GSettings) settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_autoptr(OmniContext) context = NULL;
  OmniWindow *window;
  GtkMenuButton *button;

  g_assert_no_error (error);
  context = omni_context_new (store, settings);
  window = omni_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "backup-database"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "backup-database"));

  button = find_primary_menu_button (GTK_WIDGET (window));
  g_assert_nonnull (button);
  label = find_item_label (gtk_menu_button_get_menu_model (button), "win.backup-database");
  g_assert_cmpstr (label, ==, "_Back Up Database…");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&context);
  g_clear_object (&store);
  {
    static const char * const suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_remove (file);
      }
  }
  g_rmdir (dir);
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* A second launch finds the first on the session bus and hands it its
 * command line instead of opening the database again. */
static void
test_second_instance_is_remote (void)
{
  /* Kept to the end of the process: GApplication has no way to leave the
   * bus before 2.80, and warns when finalized registered. */
  static OmniApplication *first;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = NULL;
  GApplicationFlags flags;
  gboolean exited = FALSE;

  first = omni_application_new ();
  flags = g_application_get_flags (G_APPLICATION (first));
  g_assert_true (flags & G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_false (flags & G_APPLICATION_NON_UNIQUE);
  g_assert_nonnull (g_application_get_application_id (G_APPLICATION (first)));

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No session bus: run the suite with build-aux/run-tests.sh");
      return;
    }

  g_application_register (G_APPLICATION (first), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (first)));

  self = g_file_read_link ("/proc/self/exe", NULL);
  second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self, "--second-instance", NULL);
  g_assert_no_error (error);
  /* The first instance answers the second's questions from this loop. */
  g_subprocess_wait_async (second, NULL, waited_cb, &exited);
  wait_for (exited);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);
}

/* The second process: exits 0 only when it found the first one. */
static int
second_instance (void)
{
  /* Not finalized, for the same reason as the first instance. */
  OmniApplication *app = omni_application_new ();
  g_autoptr(GError) error = NULL;

  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("second instance: %s\n", error->message);
      return 2;
    }
  return g_application_get_is_remote (G_APPLICATION (app)) ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  if (argc > 1 && g_str_equal (argv[1], "--second-instance"))
    return second_instance ();

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/backup-action/menu-item", test_menu_item);
  g_test_add_func ("/omni/backup-action/second-instance", test_second_instance_is_remote);

  return g_test_run ();
}
