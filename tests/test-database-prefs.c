/* test-database-prefs.c: choosing the database in the app — the shop's
 * file, or a shared PostgreSQL database on a private test server — from
 * the preferences of a real window, with the real keyring
 *
 * With OMNI_SCREENSHOT_DIR set, the dialog's steps and the window on the
 * shared database are also saved there as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-database-prefs"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <adwaita.h>
#include <libpq-fe.h>
#include <libsecret/secret.h>

#include "omni-application.h"
#include "omni-context.h"
#include "omni-database-dialog.h"
#include "omni-preferences-window.h"
#include "omni-secret.h"
#include "omni-store-demo.h"
#include "omni-window.h"
#include "pg-test-server.h"

#define WAIT_SECONDS 60
#include "test-database-util.h"
#include "test-gui-util.h"

/* Nothing listens on port 1: connections are refused at once. */
#define UNREACHABLE_URI "postgresql://omnistock@127.0.0.1:1/shop"

static OmniApplication *app;
static gboolean have_keyring;
/* $OMNISTOCK_DB as the test started: a file in the build directory. */
static char *default_db;

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static gpointer
find_row (GtkWidget  *root,
          GType       type,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  g_error ("No row titled “%s”", title);
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
      return buttons->pdata[i];
  g_error ("No button labelled “%s”", label);
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkWidget *
find_toplevel (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (g_type_is_a (G_OBJECT_TYPE (l->data), type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* The application's window on @location (a path, or an address). */
static OmniWindow *
find_window_on (const char *location)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    {
      OmniContext *context;

      if (OMNI_IS_WINDOW (l->data) && (context = omni_window_get_context (l->data)) != NULL &&
          g_strcmp0 (omni_store_get_path (omni_context_get_store (context)), location) == 0)
        return l->data;
    }
  return NULL;
}

static guint
count_windows (void)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static const char *
visible_step (GtkWidget *dialog)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  collect (dialog, GTK_TYPE_STACK, stacks);
  g_assert_cmpuint (stacks->len, >, 0);
  return gtk_stack_get_visible_child_name (stacks->pdata[0]);
}

/* The message shown in red, if any. */
static const char *
error_text (GtkWidget *dialog)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (dialog, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "error") &&
        gtk_widget_is_drawable (labels->pdata[i]))
      return gtk_label_get_text (labels->pdata[i]);
  return NULL;
}

static const char *
status_description (GtkWidget *dialog)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  collect (dialog, ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_is_drawable (pages->pdata[i]))
      return adw_status_page_get_description (pages->pdata[i]);
  return NULL;
}

static const char *
sidebar_subtitle (OmniWindow *window)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  collect (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
  for (guint i = 0; i < titles->len; i++)
    if (g_strcmp0 (adw_window_title_get_title (titles->pdata[i]), "OmniStock") == 0 &&
        gtk_widget_is_drawable (titles->pdata[i]))
      {
        const char *subtitle = adw_window_title_get_subtitle (titles->pdata[i]);

        return subtitle != NULL && *subtitle != '\0' ? subtitle : NULL;
      }
  return NULL;
}

typedef struct
{
  gint64 products;
  gint64 variants;
  gint64 movements;
  gint64 units_on_hand;
} Figures;

static Figures
figures_of (OmniStore *store)
{
  g_auto(OmniStoreStats) stats = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;

  g_assert_true (omni_store_get_stats (store, &stats, &error));
  g_assert_no_error (error);
  mismatches = omni_store_check_ledger (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
  return (Figures) { stats.products, stats.variants, stats.movements, stats.units_on_hand };
}

static Figures
figures_at (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (location, &error);

  g_assert_no_error (error);
  return figures_of (store);
}

static void
assert_same_figures (Figures a,
                     Figures b)
{
  g_assert_cmpint (a.products, ==, b.products);
  g_assert_cmpint (a.variants, ==, b.variants);
  g_assert_cmpint (a.movements, ==, b.movements);
  g_assert_cmpint (a.units_on_hand, ==, b.units_on_hand);
}

static GtkWidget *
open_preferences (OmniWindow *window)
{
  GtkWidget *prefs;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  /* The action opens them over the active window: this one. */
  wait_for ((prefs = find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW)) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));
  return prefs;
}

static void
close_all_windows (void)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  wait_for (count_windows () == 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Short names for where a store is. */
static void
test_describe (void)
{
  const struct { const char *location; const char *shown; } cases[] = {
    { "/home/ann/.local/share/omnistock/omnistock.db", "omnistock.db" },
    { "postgresql://till@nas.local/shop", "nas.local/shop" },
    { "postgresql://till:secret@nas.local:5433/shop?sslmode=require", "nas.local/shop" },
    { "postgres://192.168.1.10/stock", "192.168.1.10/stock" },
    { "postgresql://omnistock@%2Ftmp%2Fpg:5432/omni_1", "/tmp/pg/omni_1" },
    { "postgresql://till@db.example.com", "db.example.com" },
    { "postgresql:///shop", "localhost/shop" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = omni_database_describe_location (cases[i].location);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_null (strstr (shown, "secret"));
    }
}

/* The whole way there and back: a file shop with demo data, copied into a
 * shared database from the preferences, then back to the file. */
static void
test_move_and_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *password = g_strdup_printf ("till-%08x", g_random_int ());
  g_autofree char *key = NULL;
  g_autofree char *kept = NULL;
  Figures before;
  OmniWindow *window;
  OmniWindow *shared_window;
  OmniWindow *file_window;
  GtkWidget *prefs;
  GtkWidget *dialog;
  gpointer alive_window, alive_dialog, alive_prefs;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }

  dir = g_dir_make_tmp ("omni-database-prefs-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "shop.db", NULL);
  {
    g_autoptr(OmniStore) store = omni_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (omni_store_load_demo (store, 7, &error));
    g_assert_no_error (error);
    before = figures_of (store);
    g_assert_cmpint (before.products, >, 0);
  }
  uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  omni_secret_clear (OMNI_DATABASE_PASSWORD_PLATFORM, uri, NULL, NULL);
  omni_secret_clear (OMNI_DATABASE_PASSWORD_PLATFORM, UNREACHABLE_URI, NULL, NULL);
  set_key ("");
  /* "This computer's file" is the one $OMNISTOCK_DB names. */
  g_setenv ("OMNISTOCK_DB", path, TRUE);

  window = OMNI_WINDOW (omni_application_open (app, path, FALSE));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_null (sidebar_subtitle (window));
  alive_window = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive_window);

  /* The preferences say where the shop is. */
  prefs = open_preferences (window);
  {
    AdwActionRow *row = find_row (prefs, ADW_TYPE_ACTION_ROW, "On This Computer");

    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, path);
    g_assert_false (gtk_widget_get_visible (find_button (prefs, "Use This Computer’s _File")));
  }
  save_shot ("database-preferences-file.png");
  click (find_button (prefs, "Use a _Shared Database…"));
  wait_for ((dialog = find_toplevel (OMNI_TYPE_DATABASE_DIALOG)) != NULL);
  alive_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive_dialog);
  g_assert_cmpstr (visible_step (dialog), ==, "details");
  g_assert_false (gtk_widget_is_sensitive (find_button (dialog, "C_onnect")));

  /* Not a PostgreSQL address, or one with a password in it: said at once. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, ADW_TYPE_ENTRY_ROW, "_Address")),
                         "/srv/shop.db");
  click (find_button (dialog, "C_onnect"));
  g_assert_cmpstr (error_text (dialog), ==,
                   "Enter an address that starts with postgresql://, such as "
                   "postgresql://user@host/database.");
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, ADW_TYPE_ENTRY_ROW, "_Address")),
                         "postgresql://omnistock:hunter2@127.0.0.1:1/shop");
  click (find_button (dialog, "C_onnect"));
  g_assert_nonnull (strstr (error_text (dialog), "Leave the password out of the address"));

  /* No server there: the error shows inline and nothing changes. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, ADW_TYPE_ENTRY_ROW, "_Address")),
                         UNREACHABLE_URI);
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW,
                                                 "_Password")), password);
  click (find_button (dialog, "C_onnect"));
  g_assert_null (error_text (dialog));
  wait_for (error_text (dialog) != NULL);
  g_assert_nonnull (strstr (error_text (dialog),
                            "Cannot connect to the database “" UNREACHABLE_URI "”"));
  g_assert_null (strstr (error_text (dialog), password));
  g_assert_cmpstr (visible_step (dialog), ==, "details");
  g_assert_true (gtk_widget_is_sensitive (find_button (dialog, "C_onnect")));
  key = get_key ();
  g_assert_cmpstr (key, ==, "");
  g_clear_pointer (&key, g_free);
  kept = kept_password (UNREACHABLE_URI);
  g_assert_null (kept);
  g_assert_cmpuint (count_windows (), ==, 1);
  g_assert_true (find_window_on (path) == window);
  save_shot ("database-dialog-error.png");

  /* The test server: connected, and offered the copy of this shop. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, ADW_TYPE_ENTRY_ROW, "_Address")), uri);
  save_shot ("database-dialog.png");
  click (find_button (dialog, "C_onnect"));
  wait_for (g_strcmp0 (visible_step (dialog), "choice") == 0);
  {
    g_autofree char *count = g_strdup_printf ("Copy this shop’s %" G_GINT64_FORMAT " products",
                                              before.products);

    g_assert_nonnull (strstr (status_description (dialog), count));
  }
  g_assert_true (gtk_widget_get_visible (find_button (dialog, "_Copy This Shop Into It")));
  g_assert_false (gtk_widget_get_visible (find_button (dialog, "_Use It")));
  /* Connecting changed nothing yet. */
  key = get_key ();
  g_assert_cmpstr (key, ==, "");
  g_clear_pointer (&key, g_free);
  kept = kept_password (uri);
  g_assert_null (kept);
  save_shot ("database-dialog-choice.png");

  /* A cancelled copy keeps nothing. The copy checks for Cancel before its
   * first row, and the worker cannot get there before the next line. */
  click (find_button (dialog, "_Copy This Shop Into It"));
  g_assert_cmpstr (visible_step (dialog), ==, "copying");
  click (find_button (dialog, "_Cancel"));
  wait_for (g_strcmp0 (visible_step (dialog), "choice") == 0 && error_text (dialog) != NULL);
  g_assert_cmpstr (error_text (dialog), ==,
                   "The copy was cancelled; the shared database was left as it was.");
  {
    g_autoptr(OmniStore) shared = omni_store_open (uri, &error);

    g_assert_no_error (error);
    g_assert_true (omni_store_is_empty (shared));
  }
  key = get_key ();
  g_assert_cmpstr (key, ==, "");
  g_clear_pointer (&key, g_free);
  kept = kept_password (uri);
  g_assert_null (kept);
  g_assert_true (alive_window != NULL);

  /* The copy: a new window on the shared store, the old one closed. */
  click (find_button (dialog, "_Copy This Shop Into It"));
  save_shot ("database-dialog-copying.png");
  wait_for (alive_dialog == NULL && alive_window == NULL);
  g_assert_null (find_toplevel (OMNI_TYPE_PREFERENCES_WINDOW));
  shared_window = find_window_on (uri);
  g_assert_nonnull (shared_window);
  g_assert_cmpuint (count_windows (), ==, 1);
  {
    OmniStore *store = omni_context_get_store (omni_window_get_context (shared_window));

    g_assert_true (omni_store_location_is_shared (omni_store_get_path (store)));
    assert_same_figures (figures_of (store), before);
    wait_for (gtk_widget_get_mapped (GTK_WIDGET (shared_window)));
    g_assert_true (g_str_has_prefix (sidebar_subtitle (shared_window), "Shared database: /"));
    g_assert_true (g_str_has_suffix (sidebar_subtitle (shared_window), strrchr (uri, '/')));
  }
  key = get_key ();
  g_assert_cmpstr (key, ==, uri);
  g_clear_pointer (&key, g_free);
  kept = kept_password (uri);
  g_assert_cmpstr (kept, ==, password);
  g_clear_pointer (&kept, g_free);
  /* The file is as it was. */
  assert_same_figures (figures_at (path), before);
  save_shot ("database-shared-window.png");

  /* And back to the file. */
  alive_window = shared_window;
  g_object_add_weak_pointer (G_OBJECT (shared_window), &alive_window);
  prefs = open_preferences (shared_window);
  alive_prefs = prefs;
  g_object_add_weak_pointer (G_OBJECT (prefs), &alive_prefs);
  {
    AdwActionRow *row = find_row (prefs, ADW_TYPE_ACTION_ROW, "Shared Database");
    g_autofree char *shown = g_markup_escape_text (uri, -1);

    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, shown);
  }
  save_shot ("database-preferences-shared.png");
  click (find_button (prefs, "Use This Computer’s _File"));
  wait_for (alive_window == NULL && alive_prefs == NULL);
  file_window = find_window_on (path);
  g_assert_nonnull (file_window);
  g_assert_cmpuint (count_windows (), ==, 1);
  g_assert_null (sidebar_subtitle (file_window));
  key = get_key ();
  g_assert_cmpstr (key, ==, "");
  g_clear_pointer (&key, g_free);
  assert_same_figures (figures_of (omni_context_get_store (omni_window_get_context (file_window))),
                       before);

  /* A shared database in use already is offered as it is; with no password
   * typed, the keyring's is used, and kept as it was. */
  alive_window = file_window;
  g_object_add_weak_pointer (G_OBJECT (file_window), &alive_window);
  prefs = open_preferences (file_window);
  click (find_button (prefs, "Use a _Shared Database…"));
  wait_for ((dialog = find_toplevel (OMNI_TYPE_DATABASE_DIALOG)) != NULL);
  alive_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive_dialog);
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, ADW_TYPE_ENTRY_ROW, "_Address")), uri);
  click (find_button (dialog, "C_onnect"));
  wait_for (g_strcmp0 (visible_step (dialog), "choice") == 0);
  {
    g_autofree char *count = g_strdup_printf ("The shared database holds %" G_GINT64_FORMAT
                                              " products.", before.products);

    g_assert_true (g_str_has_prefix (status_description (dialog), count));
  }
  g_assert_false (gtk_widget_get_visible (find_button (dialog, "_Copy This Shop Into It")));
  save_shot ("database-dialog-use.png");
  click (find_button (dialog, "_Use It"));
  wait_for (alive_dialog == NULL && alive_window == NULL);
  shared_window = find_window_on (uri);
  g_assert_nonnull (shared_window);
  g_assert_cmpuint (count_windows (), ==, 1);
  assert_same_figures (figures_of (omni_context_get_store (omni_window_get_context (shared_window))),
                       before);
  key = get_key ();
  g_assert_cmpstr (key, ==, uri);
  g_clear_pointer (&key, g_free);
  kept = kept_password (uri);
  g_assert_cmpstr (kept, ==, password);
  g_clear_pointer (&kept, g_free);

  close_all_windows ();
  set_key ("");
  omni_secret_clear (OMNI_DATABASE_PASSWORD_PLATFORM, uri, NULL, NULL);
  g_setenv ("OMNISTOCK_DB", default_db, TRUE);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* `omnistock --db …`, as main() hands it over. */
static void
run_command_line (const char *db)
{
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
  g_autoptr(GApplicationCommandLine) cmdline = NULL;
  const char *argv[] = { "omnistock", NULL };
  int status = -1;

  if (db != NULL)
    g_variant_dict_insert_value (options, "db", g_variant_new_bytestring (db));
  cmdline = g_object_new (G_TYPE_APPLICATION_COMMAND_LINE,
                          "arguments", g_variant_new_bytestring_array (argv, -1),
                          "options", g_variant_dict_end (options),
                          NULL);
  g_signal_emit_by_name (app, "command-line", cmdline, &status);
  g_assert_cmpint (status, ==, EXIT_SUCCESS);
}

/* Which database a launch opens: --db (a postgresql:// address as it is),
 * else $OMNISTOCK_DB, else the `database` key, else the default file. */
static void
test_resolve (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *relative = NULL;
  OmniWindow *window;

  g_assert_no_error (error);

  /* --db with an address: a window on that server, not a file named so
   * (once the worker has connected). */
  run_command_line (uri);
  wait_for ((window = find_window_on (uri)) != NULL);
  g_assert_true (omni_store_location_is_shared (omni_store_get_path (
                   omni_context_get_store (omni_window_get_context (window)))));
  g_assert_cmpuint (count_windows (), ==, 1);
  close_all_windows ();

  /* --db with a relative file name: under the launch's working directory. */
  run_command_line ("omni-resolve-test.db");
  relative = g_build_filename (cwd, "omni-resolve-test.db", NULL);
  g_assert_nonnull (find_window_on (relative));
  close_all_windows ();
  {
    g_autofree char *wal = g_strconcat (relative, "-wal", NULL);
    g_autofree char *shm = g_strconcat (relative, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (relative);

  /* The key, once neither --db nor $OMNISTOCK_DB says. */
  set_key (uri);
  run_command_line (NULL);
  g_assert_nonnull (find_window_on (default_db));
  close_all_windows ();
  g_unsetenv ("OMNISTOCK_DB");
  run_command_line (NULL);
  wait_for (find_window_on (uri) != NULL);
  close_all_windows ();

  /* A key naming a database the app must refuse (another program's) opens
   * a window that says why, and offers the way back to the file. */
  {
    g_autofree char *foreign = pg_test_server_create_database (pg_test_server_get_shared (),
                                                               &error);
    g_autofree char *key = NULL;
    PGconn *conn;
    PGresult *res;
    GtkWindow *error_window;
    gpointer alive;

    g_assert_no_error (error);
    conn = PQconnectdb (foreign);
    g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
    res = PQexec (conn, "CREATE TABLE invoices (id bigint PRIMARY KEY)");
    g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
    PQclear (res);
    PQfinish (conn);

    g_setenv ("OMNISTOCK_DB", default_db, TRUE);
    set_key (foreign);
    g_unsetenv ("OMNISTOCK_DB");
    run_command_line (NULL);
    g_assert_cmpuint (count_windows (), ==, 1);
    error_window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
    g_assert_null (omni_window_get_context (OMNI_WINDOW (error_window)));
    wait_for (gtk_widget_get_mapped (GTK_WIDGET (error_window)));
    /* Said once the worker has been refused. */
    wait_for (status_description (GTK_WIDGET (error_window)) != NULL &&
              strstr (status_description (GTK_WIDGET (error_window)),
                      "is a PostgreSQL database of another program") != NULL);
    save_shot ("database-error-window.png");
    alive = error_window;
    g_object_add_weak_pointer (G_OBJECT (error_window), &alive);
    g_setenv ("OMNISTOCK_DB", default_db, TRUE);
    click (find_button (GTK_WIDGET (error_window), "Use This Computer’s _Database"));
    wait_for (alive == NULL);
    g_assert_nonnull (find_window_on (default_db));
    g_assert_cmpuint (count_windows (), ==, 1);
    key = get_key ();
    g_assert_cmpstr (key, ==, "");
    close_all_windows ();
  }

  set_key ("");
  g_setenv ("OMNISTOCK_DB", default_db, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* Without a window manager, focus moves between the windows without
   * focus events; a blinking cursor would then warn. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  default_db = g_strdup (g_getenv ("OMNISTOCK_DB"));
  g_assert_nonnull (default_db);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the keyring cases: %s", error->message);
  g_clear_error (&error);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/omni/database-prefs/describe", test_describe);
  g_test_add_func ("/omni/database-prefs/move-and-back", test_move_and_back);
  g_test_add_func ("/omni/database-prefs/resolve", test_resolve);

  status = g_test_run ();
  g_clear_object (&app);
  g_free (default_db);
  secret_service_disconnect ();
  return status;
}
