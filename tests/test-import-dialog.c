/* test-import-dialog.c: the CSV import dialog, in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-import-dialog"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "omni-application.h"
#include "omni-context.h"
#include "omni-import-dialog.h"
#include "omni-import.h"
#include "omni-store-catalog.h"
#include "omni-window.h"

#define WAIT_SECONDS 60
#include "test-gui-util.h"

static OmniApplication *app;

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

  fixture->dir = g_dir_make_tmp ("omnistock-import-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = omni_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  fixture->context = omni_context_new (fixture->store, fixture->settings);
  fixture->window = g_object_ref (omni_window_new (GTK_APPLICATION (app), fixture->context));
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Let the dashboard's worker finish before the database goes. */
  g_usleep (G_USEC_PER_SEC / 10);
  drain_main_context ();
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  drain_main_context ();
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->context);
  g_clear_object (&fixture->settings);
  g_assert_finalize_object (fixture->store);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_remove (file);
    }
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_remove (file);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_switch (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_SWITCH (child))
        return child;
      if ((found = find_switch (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Whether a label (or a row title) under @root contains @text. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child) &&
          strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return TRUE;
      if (ADW_IS_PREFERENCES_ROW (child) &&
          strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), text) != NULL)
        return TRUE;
      if (shows_text (child, text))
        return TRUE;
    }
  return FALSE;
}

/* With OMNISTOCK_SCREENSHOT_DIR set, saves the screen as NAME.png (the
 * tests run on their own X server). */
static void
maybe_screenshot (GtkWidget  *widget,
                  const char *name)
{
  const char *dir = g_getenv ("OMNISTOCK_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (dir == NULL)
    return;
  /* Let it draw. */
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  file = g_strdup_printf ("%s/%s.png", dir, name);
  {
    const char *argv[] = { "import", "-window", "root", file, NULL };

    g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
}

static gint64
count_variants (OmniStore      *store,
                OmniStockFilter filter)
{
  OmniVariantQuery query = { .stock = filter };

  return omni_store_count_variants (store, &query, NULL);
}

static void
test_preview_and_import (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("OMNISTOCK_FIXTURES"), "shopify",
                                            "product_template_2023.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  OmniImportDialog *dialog;
  GtkWidget *import_button;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->window), "import-csv"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->window), "export-csv"));
  {
    g_autoptr(GListModel) controllers =
      gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (g_strcmp0 (gtk_event_controller_get_name (controller), "omni-import-shortcuts") == 0)
          {
            g_autoptr(GtkShortcut) shortcut =
              g_list_model_get_item (G_LIST_MODEL (controller), 0);
            g_autofree char *trigger =
              gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

            g_assert_cmpstr (trigger, ==, "<Control>i");
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  dialog = omni_import_dialog_new (fixture->context, GTK_WINDOW (fixture->window), file);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  import_button = find_button (GTK_WIDGET (dialog), "_Import");
  g_assert_nonnull (import_button);

  wait_for (!omni_import_dialog_is_busy (dialog));
  g_assert_true (gtk_widget_get_sensitive (import_button));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "3 new products"));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "16 new variants"));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "SRT_COT_111"));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "Line 2, column Variant Barcode"));
  g_assert_cmpuint (omni_import_dialog_get_n_problems (dialog), ==, 16);
  maybe_screenshot (GTK_WIDGET (dialog), "import-preview");
  /* A preview writes nothing. */
  g_assert_cmpint (count_variants (fixture->store, OMNI_STOCK_ANY), ==, 0);

  gtk_widget_activate (import_button);
  wait_for (dialog == NULL);
  g_assert_cmpint (count_variants (fixture->store, OMNI_STOCK_ANY), ==, 15);
  g_assert_cmpint (count_variants (fixture->store, OMNI_STOCK_ARCHIVED), ==, 1);

  /* The window says so in a toast, which goes away by itself. */
  wait_for (shows_text (GTK_WIDGET (fixture->window),
                        "Imported 16 new and 0 updated variants, 4 stock changes"));
  wait_for (!shows_text (GTK_WIDGET (fixture->window), "Imported 16 new"));
}

static void
test_errors_block_import (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "bad.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  OmniImportDialog *dialog;
  GtkWidget *import_button;

  g_file_set_contents (path,
                       "Handle,Title,Variant SKU,Variant Price\n"
                       "cap,Cap,CAP-1,12.00\n"
                       "hat,Hat,CAP-1,14.00\n", -1, &error);
  g_assert_no_error (error);

  dialog = omni_import_dialog_new (fixture->context, GTK_WINDOW (fixture->window), file);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  import_button = find_button (GTK_WIDGET (dialog), "_Import");
  wait_for (!omni_import_dialog_is_busy (dialog));
  g_assert_false (gtk_widget_get_sensitive (import_button));
  g_assert_cmpuint (omni_import_dialog_get_n_problems (dialog), ==, 1);
  g_assert_true (shows_text (GTK_WIDGET (dialog),
                             "Line 3, column Variant SKU: duplicate SKU “CAP-1” also on line 2"));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "has 1 error"));
  maybe_screenshot (GTK_WIDGET (dialog), "import-errors");

  gtk_widget_activate (find_button (GTK_WIDGET (dialog), "_Cancel"));
  wait_for (dialog == NULL);
  g_assert_cmpint (count_variants (fixture->store, OMNI_STOCK_ANY), ==, 0);
}

static void
test_skip_rows (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "bad.csv", NULL);
  g_autofree char *rejects = g_build_filename (fixture->dir, "bad-rejects.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  OmniImportDialog *dialog;
  GtkWidget *import_button;

  g_file_set_contents (path,
                       "Handle,Title,Variant SKU,Variant Price\n"
                       "cap,Cap,CAP-1,12.00\n"
                       "hat,Hat,CAP-1,14.00\n", -1, &error);
  g_assert_no_error (error);

  dialog = omni_import_dialog_new (fixture->context, GTK_WINDOW (fixture->window), file);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  import_button = find_button (GTK_WIDGET (dialog), "_Import");
  wait_for (!omni_import_dialog_is_busy (dialog));
  g_assert_false (gtk_widget_get_sensitive (import_button));

  /* Leaving the bad row out makes the rest importable. */
  gtk_switch_set_active (GTK_SWITCH (find_switch (GTK_WIDGET (dialog))), TRUE);
  wait_for (!omni_import_dialog_is_busy (dialog) && gtk_widget_get_sensitive (import_button));
  g_assert_true (shows_text (GTK_WIDGET (dialog),
                             "1 rows with errors will be left out and saved to "
                             "bad-rejects.csv"));
  g_assert_false (g_file_test (rejects, G_FILE_TEST_EXISTS));

  gtk_widget_activate (import_button);
  wait_for (dialog == NULL);
  /* The dialog closes once the import is in; the first test waits for a
   * toast to go away by itself, this one only reads it. */
  g_assert_true (shows_text (GTK_WIDGET (fixture->window),
                             "Imported 1 new and 0 updated variants; 1 rows left out"));
  g_assert_cmpint (count_variants (fixture->store, OMNI_STOCK_ANY), ==, 1);
  g_assert_true (g_file_get_contents (rejects, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "hat,Hat,CAP-1,14.00,\"Line 3, column Variant SKU: "
                                      "duplicate SKU “CAP-1” also on line 2\""));
}

static void
test_generic_mapping (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "list.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) saved = NULL;
  OmniImportDialog *dialog;
  GtkWidget *import_button;

  g_file_set_contents (path, "SKU;Name;Qty\nPEN-1;Blue pen;12\nPEN-2;Red pen;3\n", -1, &error);
  g_assert_no_error (error);

  /* An unknown header: the dialog turns to the generic layout, with the
   * columns guessed from their names. */
  dialog = omni_import_dialog_new (fixture->context, GTK_WINDOW (fixture->window), file);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  import_button = find_button (GTK_WIDGET (dialog), "_Import");
  wait_for (!omni_import_dialog_is_busy (dialog) && gtk_widget_get_sensitive (import_button));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "Generic layout, 2 rows"));
  g_assert_true (shows_text (GTK_WIDGET (dialog), "PEN-2"));
  maybe_screenshot (GTK_WIDGET (dialog), "import-generic");

  gtk_widget_activate (import_button);
  wait_for (dialog == NULL);
  g_assert_true (shows_text (GTK_WIDGET (fixture->window),
                             "Imported 2 new and 0 updated variants, 2 stock changes"));
  g_assert_cmpint (count_variants (fixture->store, OMNI_STOCK_ANY), ==, 2);
  saved = omni_import_load_mapping (fixture->store);
  g_assert_nonnull (saved);
  g_assert_true (g_strv_contains ((const char * const *)saved, "SKU=sku"));
  g_assert_true (g_strv_contains ((const char * const *)saved, "Qty=quantity"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/omni/import-dialog/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("preview-and-import", test_preview_and_import);
  ADD ("errors-block-import", test_errors_block_import);
  ADD ("skip-rows", test_skip_rows);
  ADD ("generic-mapping", test_generic_mapping);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
