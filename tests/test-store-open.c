/* test-store-open.c: opening a shared store from the app — the keyring and
 * the server asked on a worker, and the right window for each failure —
 * in real windows, with the real keyring and a private PostgreSQL server
 *
 * The server lets the role `till` in only with its password (scram), so a
 * refused password is the server's own refusal; port 1 on loopback, where
 * nothing listens, is a server out of reach.
 *
 * With OMNI_SCREENSHOT_DIR set, the status pages are saved there as PNG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-store-open"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <adwaita.h>
#include <libpq-fe.h>
#include <libsecret/secret.h>

#include "omni-application.h"
#include "omni-context.h"
#include "omni-database-dialog.h"
#include "omni-offline-till.h"
#include "omni-secret.h"
#include "omni-store-inventory.h"
#include "omni-store-opener.h"
#include "omni-till-journal.h"
#include "omni-window.h"
#include "pg-test-server.h"

#define WAIT_SECONDS 60
#include "test-database-util.h"
#include "test-gui-util.h"

#define UNREACHABLE_URI "postgresql://omnistock@127.0.0.1:1/shop"
#define TILL_PASSWORD   "counter-7f3a"

static OmniApplication *app;
static gboolean have_keyring;
static char *local_db;       /* "this computer's database": $OMNISTOCK_DB */
static char *work_dir;

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static gpointer
find_child (GtkWidget *root,
            GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  return found->len > 0 ? found->pdata[0] : NULL;
}

/* The button labelled so that can be seen now (the opener has two "Use
 * This Computer's Database", one per state). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0 &&
        gtk_widget_is_drawable (buttons->pdata[i]))
      return buttons->pdata[i];
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static AdwStatusPage *
shown_status_page (GtkWidget *root)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  collect (root, ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_is_drawable (pages->pdata[i]))
      return pages->pdata[i];
  return NULL;
}

static const char *
shown_title (GtkWidget *root)
{
  AdwStatusPage *page = shown_status_page (root);

  return page != NULL ? adw_status_page_get_title (page) : NULL;
}

static guint
count_windows (void)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

/* The application's window with a store at @location, once there is one. */
static OmniWindow *
shop_window_on (const char *location)
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

static GtkWidget *
find_toplevel (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (g_type_is_a (G_OBJECT_TYPE (l->data), type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
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

static void
keep_password (const char *account,
               const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (omni_secret_store (OMNI_DATABASE_PASSWORD_PLATFORM, account,
                                    OMNI_DATABASE_PASSWORD_LABEL, password, NULL, &error));
  g_assert_no_error (error);
}

/* SQL as the server's superuser, on database @dbname. */
static void
run_sql (const char *dbname,
         const char *sql)
{
  PgTestServer *server = pg_test_server_get_shared ();
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%u user=omnistock dbname=%s",
                                               pg_test_server_get_socket_dir (server),
                                               pg_test_server_get_port (server), dbname);
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *res;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}

static char *
query_text (const char *sql)
{
  PgTestServer *server = pg_test_server_get_shared ();
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%u user=omnistock dbname=postgres",
                                               pg_test_server_get_socket_dir (server),
                                               pg_test_server_get_port (server));
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *res;
  char *value;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

/* The role `till`, let in only with its password; returns the address of
 * a new, empty database it owns (without the password). */
static char *
create_password_database (const char *name)
{
  PgTestServer *server = pg_test_server_get_shared ();
  static gboolean role_made;
  g_autofree char *socket = g_uri_escape_string (pg_test_server_get_socket_dir (server), NULL,
                                                 FALSE);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s OWNER till", name);

  if (!role_made)
    {
      g_autofree char *hba = query_text ("SHOW hba_file");
      g_autoptr(GError) error = NULL;
      g_autofree char *probe = g_strdup_printf ("host=%s port=%u user=till dbname=postgres",
                                                pg_test_server_get_socket_dir (server),
                                                pg_test_server_get_port (server));
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      gboolean asks = FALSE;

      run_sql ("postgres", "CREATE ROLE till LOGIN PASSWORD '" TILL_PASSWORD "'");
      g_assert_true (g_file_set_contents (hba,
                                          "local all till scram-sha-256\n"
                                          "local all all trust\n", -1, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (hba, 0644), ==, 0);
      run_sql ("postgres", "SELECT pg_reload_conf()");
      /* The postmaster reloads on its own time. */
      while (!asks && g_get_monotonic_time () < deadline)
        {
          PGconn *conn = PQconnectdb (probe);

          asks = PQstatus (conn) == CONNECTION_BAD && PQconnectionNeedsPassword (conn);
          PQfinish (conn);
          if (!asks)
            g_usleep (50 * 1000);
        }
      g_assert_true (asks);
      role_made = TRUE;
    }
  run_sql ("postgres", sql);
  return g_strdup_printf ("postgresql://till@%s:%u/%s", socket,
                          pg_test_server_get_port (server), name);
}

static OmniStoreOpener *
opener_of (GtkWindow *window)
{
  OmniStoreOpener *opener = find_child (GTK_WIDGET (window), OMNI_TYPE_STORE_OPENER);

  g_assert_nonnull (opener);
  return opener;
}

/* Enter in the password's text: what the keyboard does. */
static void
press_enter (GtkWidget *row)
{
  GtkWidget *text = find_child (row, GTK_TYPE_TEXT);

  g_assert_nonnull (text);
  g_signal_emit_by_name (text, "activate");
}

/* Enter Password… then the dialog, typed and confirmed with Enter. */
static void
enter_password (GtkWindow  *window,
                const char *password)
{
  GtkWidget *dialog;
  GtkWidget *row;

  click (find_button (GTK_WIDGET (window), "_Enter Password…"));
  wait_for ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == window);
  row = find_child (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_nonnull (row);
  /* Nothing typed, nothing to send. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "connect"));
  gtk_editable_set_text (GTK_EDITABLE (row), password);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                          "connect"));
  wait_for (gtk_widget_get_mapped (dialog));
  press_enter (row);
  wait_for (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL);
}

/* A password refused: the status page, not the offline till; the right
 * one typed opens the shop, and only then does the keyring keep it. */
static void
test_password (void)
{
  g_autofree char *name = g_strdup_printf ("pw_%d", (int)getpid ());
  g_autofree char *uri = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *key = NULL;
  GtkWindow *window;
  OmniWindow *shop;
  gpointer alive;
  gint64 before, took;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }
  uri = create_password_database (name);
  omni_secret_clear (OMNI_DATABASE_PASSWORD_PLATFORM, uri, NULL, NULL);
  omni_store_remember_password (uri, NULL);
  set_key (uri);

  /* The store tells a refusal from a server out of reach. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OmniStore) store = omni_store_open (uri, &error);

    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_AUTH);
    g_clear_error (&error);
    store = omni_store_open_with_password (uri, "not-the-password", &error);
    g_assert_null (store);
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_AUTH);
    g_assert_null (strstr (error->message, "not-the-password"));
    g_clear_error (&error);
    store = omni_store_open (UNREACHABLE_URI, &error);
    g_assert_null (store);
    g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO);
  }

  /* No password anywhere. The window comes at once, connecting: the
   * keyring and the server are asked on a worker. */
  before = g_get_monotonic_time ();
  window = omni_application_open (app, uri, FALSE);
  took = g_get_monotonic_time () - before;
  g_test_message ("omni_application_open returned after %" G_GINT64_FORMAT " µs", took);
  g_assert_true (omni_store_opener_is_busy (opener_of (window)));
  g_assert_null (omni_window_get_context (OMNI_WINDOW (window)));
  g_assert_cmpstr (omni_window_get_opening (OMNI_WINDOW (window)), ==, uri);
  g_assert_cmpstr (shown_title (GTK_WIDGET (window)), ==, "Connecting to the Shared Database…");
  /* A second launch on the same store presents this window. */
  g_assert_true (omni_application_open (app, uri, FALSE) == window);
  g_assert_cmpuint (count_windows (), ==, 1);
  alive = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive);

  wait_for (!omni_store_opener_is_busy (opener_of (window)));
  g_assert_error ((GError *)omni_store_opener_get_error (opener_of (window)),
                  OMNI_STORE_ERROR, OMNI_STORE_ERROR_AUTH);
  g_assert_cmpstr (shown_title (GTK_WIDGET (window)), ==, "The Shared Database Needs a Password");
  g_assert_nonnull (strstr (adw_status_page_get_description (shown_status_page (GTK_WIDGET (window))),
                            "asks for a password"));
  g_assert_nonnull (find_button (GTK_WIDGET (window), "_Try Again"));
  g_assert_nonnull (find_button (GTK_WIDGET (window), "Use This Computer’s _Database"));
  g_assert_null (find_child (GTK_WIDGET (window), OMNI_TYPE_OFFLINE_TILL));
  g_assert_cmpuint (count_windows (), ==, 1);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* The keyring holds a stale password: refused, and Try Again says so. */
  keep_password (uri, "stale-one");
  click (find_button (GTK_WIDGET (window), "_Try Again"));
  g_assert_true (omni_store_opener_is_busy (opener_of (window)));
  wait_for (!omni_store_opener_is_busy (opener_of (window)));
  g_assert_error ((GError *)omni_store_opener_get_error (opener_of (window)),
                  OMNI_STORE_ERROR, OMNI_STORE_ERROR_AUTH);
  g_assert_nonnull (strstr (adw_status_page_get_description (shown_status_page (GTK_WIDGET (window))),
                            "refused the password"));
  save_shot ("store-open-password.png");

  /* An overlong password cannot be sent; Cancel leaves all as it was. */
  {
    g_autofree char *overlong = g_strnfill (1025, 'x');
    GtkWidget *dialog, *row;

    click (find_button (GTK_WIDGET (window), "_Enter Password…"));
    wait_for ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
    row = find_child (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW);
    gtk_editable_set_text (GTK_EDITABLE (row), overlong);
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                             "connect"));
    wait_for (gtk_widget_get_mapped (dialog));
    press_enter (row);
    g_assert_false (omni_store_opener_is_busy (opener_of (window)));
    g_assert_true (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == dialog);
    click (find_button (dialog, "_Cancel"));
    wait_for (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL);
    g_assert_false (omni_store_opener_is_busy (opener_of (window)));
    g_assert_cmpstr (shown_title (GTK_WIDGET (window)), ==, "The Shared Database Needs a Password");
  }

  /* A wrong password typed: refused, and not kept. */
  enter_password (window, "not-the-password");
  wait_for (!omni_store_opener_is_busy (opener_of (window)));
  g_assert_cmpstr (shown_title (GTK_WIDGET (window)), ==, "Wrong Password");
  g_assert_error ((GError *)omni_store_opener_get_error (opener_of (window)),
                  OMNI_STORE_ERROR, OMNI_STORE_ERROR_AUTH);
  kept = kept_password (uri);
  g_assert_cmpstr (kept, ==, "stale-one");
  g_clear_pointer (&kept, g_free);
  g_assert_null (shop_window_on (uri));
  g_assert_nonnull (alive);
  save_shot ("store-open-wrong-password.png");

  /* The right one: the shop's window takes this one's place, and the
   * keyring keeps the password, under the CLI's entry. */
  enter_password (window, TILL_PASSWORD);
  wait_for ((shop = shop_window_on (uri)) != NULL && alive == NULL);
  g_assert_cmpuint (count_windows (), ==, 1);
  kept = kept_password (uri);
  g_assert_cmpstr (kept, ==, TILL_PASSWORD);
  g_clear_pointer (&kept, g_free);
  key = get_key ();
  g_assert_cmpstr (key, ==, uri);
  g_clear_pointer (&key, g_free);
  g_assert_true (omni_store_is_empty (omni_context_get_store (omni_window_get_context (shop))));
  close_all_windows ();

  /* The next start finds the password in the keyring and opens straight. */
  omni_store_remember_password (uri, NULL);
  window = omni_application_open (app, uri, FALSE);
  g_assert_null (omni_window_get_context (OMNI_WINDOW (window)));
  wait_for (shop_window_on (uri) != NULL);
  g_assert_cmpuint (count_windows (), ==, 1);
  close_all_windows ();

  omni_secret_clear (OMNI_DATABASE_PASSWORD_PLATFORM, uri, NULL, NULL);
  omni_store_remember_password (uri, NULL);
  set_key ("");
}

/* The server out of reach: the offline till, whose menu goes back to this
 * computer's database after saying the sales stay queued. */
static void
test_unreachable (void)
{
  g_autofree char *journal_dir = g_build_filename (work_dir, "journal", NULL);
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  GtkWindow *window;
  GtkWidget *offline, *till, *dialog;
  gpointer alive;

  g_assert_cmpint (g_mkdir_with_parents (journal_dir, 0700), ==, 0);
  g_setenv ("OMNISTOCK_JOURNAL_DIR", journal_dir, TRUE);
  set_key (UNREACHABLE_URI);

  window = omni_application_open (app, UNREACHABLE_URI, FALSE);
  alive = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  wait_for (alive == NULL);
  g_assert_cmpuint (count_windows (), ==, 1);
  offline = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  g_assert_null (omni_window_get_context (OMNI_WINDOW (offline)));
  till = find_child (offline, OMNI_TYPE_OFFLINE_TILL);
  g_assert_nonnull (till);
  g_assert_cmpstr (shown_title (offline), ==, "Working Offline");
  wait_for (gtk_widget_get_mapped (offline));

  /* One sale kept on this computer. */
  {
    GtkEntry *entry = find_child (till, GTK_TYPE_ENTRY);

    gtk_editable_set_text (GTK_EDITABLE (entry), "MUG-RED");
    g_signal_emit_by_name (entry, "activate");
    wait_for (omni_offline_till_get_n_waiting (OMNI_OFFLINE_TILL (till)) == 1);
  }

  /* The menu asks first; Cancel changes nothing. */
  g_assert_true (gtk_widget_activate_action (offline, "win.use-local-database", NULL));
  wait_for ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Use This Computer’s Database?");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                                   "The 1 sale recorded offline stays queued on this computer "
                                   "for the shared database."));
  save_shot ("store-open-offline-confirm.png");
  wait_for (gtk_widget_get_mapped (dialog));
  click (find_button (dialog, "_Cancel"));
  wait_for (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL);
  g_assert_cmpuint (count_windows (), ==, 1);
  key = get_key ();
  g_assert_cmpstr (key, ==, UNREACHABLE_URI);
  g_clear_pointer (&key, g_free);

  /* Confirmed: the file on this computer opens, the offline window goes,
   * and the sale is still queued for the shared database. */
  alive = offline;
  g_object_add_weak_pointer (G_OBJECT (offline), &alive);
  g_assert_true (gtk_widget_activate_action (offline, "win.use-local-database", NULL));
  wait_for ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  wait_for (gtk_widget_get_mapped (dialog));
  click (find_button (dialog, "_Use This Computer’s Database"));
  wait_for (alive == NULL && shop_window_on (local_db) != NULL);
  g_assert_cmpuint (count_windows (), ==, 1);
  key = get_key ();
  g_assert_cmpstr (key, ==, "");
  journal = omni_till_journal_open (UNREACHABLE_URI, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING), ==, 1);
  close_all_windows ();
  g_clear_object (&journal);
  g_unsetenv ("OMNISTOCK_JOURNAL_DIR");
}

/* An offline till whose server comes back but no longer takes its password
 * (changed meanwhile): Try Again does not say "Still offline" for ever, the
 * window that says why and asks for the password takes its place. */
static void
test_offline_then_refused (void)
{
  g_autofree char *name = g_strdup_printf ("pwoff_%d", (int)getpid ());
  g_autofree char *uri = NULL;
  g_autoptr(GError) cause = NULL;
  g_autofree char *journal_dir = g_build_filename (work_dir, "journal-refused", NULL);
  OmniWindow *window;
  GtkWindow *shared;
  GtkWidget *till;
  gpointer alive;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (journal_dir, 0700), ==, 0);
  g_setenv ("OMNISTOCK_JOURNAL_DIR", journal_dir, TRUE);
  uri = create_password_database (name);
  omni_secret_clear (OMNI_DATABASE_PASSWORD_PLATFORM, uri, NULL, NULL);
  omni_store_remember_password (uri, NULL);
  set_key (uri);

  cause = g_error_new_literal (OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                               "Cannot connect to the database: the network is down");
  window = omni_window_new_for_offline (GTK_APPLICATION (app), uri, cause);
  gtk_window_present (GTK_WINDOW (window));
  alive = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  till = find_child (GTK_WIDGET (window), OMNI_TYPE_OFFLINE_TILL);
  g_assert_nonnull (till);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));

  wait_for (!omni_offline_till_is_trying (OMNI_OFFLINE_TILL (till)));
  omni_offline_till_try_again (OMNI_OFFLINE_TILL (till));
  wait_for (alive == NULL);
  g_assert_cmpuint (count_windows (), ==, 1);
  shared = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  g_assert_null (find_child (GTK_WIDGET (shared), OMNI_TYPE_OFFLINE_TILL));
  wait_for (!omni_store_opener_is_busy (opener_of (shared)));
  g_assert_error ((GError *)omni_store_opener_get_error (opener_of (shared)),
                  OMNI_STORE_ERROR, OMNI_STORE_ERROR_AUTH);
  g_assert_cmpstr (shown_title (GTK_WIDGET (shared)), ==, "The Shared Database Needs a Password");
  close_all_windows ();
  g_unsetenv ("OMNISTOCK_JOURNAL_DIR");
}

/* A database of another program, or of a newer OmniStock: said on the
 * status page (no password to ask for), and the way back to the file. */
static void
test_refused (void)
{
  PgTestServer *server = pg_test_server_get_shared ();
  g_autoptr(GError) error = NULL;
  g_autofree char *foreign = pg_test_server_create_database (server, &error);
  g_autofree char *newer = NULL;
  g_autofree char *key = NULL;
  GtkWindow *window;
  gpointer alive;

  g_assert_no_error (error);
  run_sql (strrchr (foreign, '/') + 1, "CREATE TABLE invoices (id bigint PRIMARY KEY)");
  newer = pg_test_server_create_database (server, &error);
  g_assert_no_error (error);
  {
    g_autoptr(OmniStore) store = omni_store_open (newer, &error);

    g_assert_no_error (error);
  }
  run_sql (strrchr (newer, '/') + 1, "UPDATE omni_schema SET version = 999");

  set_key (newer);
  window = omni_application_open (app, newer, FALSE);
  wait_for (!omni_store_opener_is_busy (opener_of (window)));
  g_assert_error ((GError *)omni_store_opener_get_error (opener_of (window)),
                  OMNI_STORE_ERROR, OMNI_STORE_ERROR_TOO_NEW);
  g_assert_cmpstr (shown_title (GTK_WIDGET (window)), ==, "Made by a Newer OmniStock");
  g_assert_null (find_button (GTK_WIDGET (window), "_Enter Password…"));
  g_assert_null (find_child (GTK_WIDGET (window), OMNI_TYPE_OFFLINE_TILL));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  save_shot ("store-open-newer.png");
  close_all_windows ();

  set_key (foreign);
  window = omni_application_open (app, foreign, FALSE);
  wait_for (!omni_store_opener_is_busy (opener_of (window)));
  g_assert_error ((GError *)omni_store_opener_get_error (opener_of (window)),
                  OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE);
  g_assert_cmpstr (shown_title (GTK_WIDGET (window)), ==, "Not an OmniStock Database");
  g_assert_nonnull (strstr (adw_status_page_get_description (shown_status_page (GTK_WIDGET (window))),
                            "is a PostgreSQL database of another program"));
  g_assert_null (find_button (GTK_WIDGET (window), "_Enter Password…"));
  g_assert_cmpuint (count_windows (), ==, 1);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  save_shot ("store-open-foreign.png");

  /* Use This Computer's Database: the key emptied, the file opened. */
  alive = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  click (find_button (GTK_WIDGET (window), "Use This Computer’s _Database"));
  wait_for (alive == NULL && shop_window_on (local_db) != NULL);
  g_assert_cmpuint (count_windows (), ==, 1);
  key = get_key ();
  g_assert_cmpstr (key, ==, "");
  close_all_windows ();
}

static void
count_change (guint *changes)
{
  (*changes)++;
}

/* Sales kept on this computer while the server was away are sent when
 * the app next opens the shared store, once. */
static void
test_sends_queued (void)
{
  PgTestServer *server = pg_test_server_get_shared ();
  g_autofree char *journal_dir = g_build_filename (work_dir, "queued", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = pg_test_server_create_database (server, &error);
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GPtrArray) levels = NULL;
  const OmniProductSpec mug = { .title = "Enamel Mug", .option_names = { "Colour" } };
  OmniVariantSpec spec = { .sku = "MUG-RED", .options = { "Red" }, .price = 1800,
                           .compare_at_price = -1, .cost = 700, .reorder_point = -1,
                           .reorder_qty = -1 };
  OmniAdjustLine line = { 0, 0, 10 };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .reason = "received" };
  g_autofree char *op = NULL;
  gint64 variant;
  OmniWindow *shop;
  guint changes = 0, sold;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (journal_dir, 0700), ==, 0);
  g_setenv ("OMNISTOCK_JOURNAL_DIR", journal_dir, TRUE);
  store = omni_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (store, "Shop Floor", TRUE, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (store, &mug, &spec, 1, &variant, &error), >, 0);
  g_assert_no_error (error);
  line.variant_id = variant;
  op = omni_store_adjust (store, &line, 1, &options, &error);
  g_assert_no_error (error);

  journal = omni_till_journal_open (uri, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *sale = omni_till_journal_record (journal, "MUG-RED", NULL, -1,
                                                        OMNI_REASON_SOLD, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (sale);
    }

  omni_application_open (app, uri, FALSE);
  wait_for (shop_window_on (uri) != NULL);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING), ==, 0);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_APPLIED), ==, 2);
  levels = omni_store_get_levels (store, variant, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (levels->len, ==, 1);
  g_assert_cmpint (((OmniLevel *)levels->pdata[0])->on_hand, ==, 8);
  close_all_windows ();

  /* Once: a second opening sends nothing more. */
  omni_application_open (app, uri, FALSE);
  wait_for ((shop = shop_window_on (uri)) != NULL);
  g_clear_pointer (&levels, g_ptr_array_unref);
  levels = omni_store_get_levels (store, variant, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((OmniLevel *)levels->pdata[0])->on_hand, ==, 8);

  /* Another till's sale reaches the window (its watch connects on a
   * worker: sales go on until one is heard). */
  g_signal_connect_swapped (omni_window_get_context (shop), "store-changed",
                            G_CALLBACK (count_change), &changes);
  for (sold = 0; changes == 0 && sold < 100; sold++)
    {
      OmniAdjustLine sale = { variant, 0, -1 };
      OmniAdjustOptions sold_options = { .mode = OMNI_ADJUST_DELTA, .reason = "sold" };
      g_autofree char *sale_op = omni_store_adjust (store, &sale, 1, &sold_options, &error);
      gint64 until = g_get_monotonic_time () + 100 * 1000;

      g_assert_no_error (error);
      while (changes == 0 && g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (changes, >, 0);
  g_test_message ("The window heard another till after %u sale(s)", sold);
  close_all_windows ();
  g_clear_object (&journal);
  g_unsetenv ("OMNISTOCK_JOURNAL_DIR");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the keyring cases: %s", error->message);
  g_clear_error (&error);

  work_dir = g_dir_make_tmp ("omni-store-open-XXXXXX", &error);
  g_assert_no_error (error);
  local_db = g_build_filename (work_dir, "this-computer.db", NULL);
  g_setenv ("OMNISTOCK_DB", local_db, TRUE);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/omni/store-open/password", test_password);
  g_test_add_func ("/omni/store-open/unreachable", test_unreachable);
  g_test_add_func ("/omni/store-open/offline-then-refused", test_offline_then_refused);
  g_test_add_func ("/omni/store-open/refused", test_refused);
  g_test_add_func ("/omni/store-open/sends-queued", test_sends_queued);

  status = g_test_run ();
  g_clear_object (&app);
  secret_service_disconnect ();
  remove_tree (work_dir);
  g_free (work_dir);
  g_free (local_db);
  return status;
}
