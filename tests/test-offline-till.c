/* test-offline-till.c: a window whose shared store cannot be reached keeps
 * selling into the till journal, and once the store answers sends it and
 * opens the shop — in a real window, against a real PostgreSQL server
 *
 * The store is "unreachable" because its database does not exist yet (the
 * connection is refused as when the server is down); the test then creates
 * it, with the product the till sold, and presses Try Again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-offline-till"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "omni-context.h"
#include "omni-offline-till.h"
#include "omni-store-count.h"
#include "omni-store-inventory.h"
#include "omni-till-journal.h"
#include "omni-window.h"
#include "pg-test-server.h"

#define WAIT_SECONDS 60
#include "test-gui-util.h"

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The shop's window that replaced the offline one, once it exists. */
static OmniWindow *
find_shop_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (OMNI_IS_WINDOW (window) && omni_window_get_context (OMNI_WINDOW (window)) != NULL)
        return OMNI_WINDOW (window);
    }
  return NULL;
}

static void
admin_exec (PgTestServer *server,
            const char   *sql)
{
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%u user=omnistock dbname=postgres",
                                               pg_test_server_get_socket_dir (server),
                                               pg_test_server_get_port (server));
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
  PQfinish (conn);
}

static void
create_database (PgTestServer *server,
                 const char   *name)
{
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);

  admin_exec (server, sql);
}

/* The toggle button labelled @label under @widget. */
static GtkToggleButton *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_TOGGLE_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkToggleButton *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}


static void
remove_journal (const char *uri,
                const char *dir)
{
  g_autofree char *path = omni_till_journal_path_for (uri);
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

static void
sell (GtkEntry   *entry,
      const char *code)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), code);
  g_signal_emit_by_name (entry, "activate");
}

static void
test_sell_offline_then_send (void)
{
  PgTestServer *server = pg_test_server_get_shared ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omni-offline-till-XXXXXX", &error);
  g_autofree char *name = g_strdup_printf ("later_%d", (int)getpid ());
  g_autofree char *socket = g_uri_escape_string (pg_test_server_get_socket_dir (server), NULL,
                                                 FALSE);
  g_autofree char *uri = g_strdup_printf ("postgresql://omnistock@%s:%u/%s", socket,
                                          pg_test_server_get_port (server), name);
  g_autoptr(OmniStore) refused = NULL;
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
  OmniWindow *window, *shop;
  GtkWidget *till;
  GtkEntry *entry;
  gint64 variant;

  g_assert_no_error (error);
  g_setenv ("OMNISTOCK_JOURNAL_DIR", dir, TRUE);

  refused = omni_store_open (uri, &error);
  g_assert_null (refused);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO);

  window = omni_window_new_for_offline (NULL, uri, error);
  g_clear_error (&error);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  till = find_widget (GTK_WIDGET (window), OMNI_TYPE_OFFLINE_TILL);
  g_assert_nonnull (till);
  entry = GTK_ENTRY (find_widget (till, GTK_TYPE_ENTRY));
  g_assert_nonnull (entry);

  /* Three scans; each is kept on this computer and listed as waiting. */
  sell (entry, "MUG-RED");
  sell (entry, "MUG-RED");
  sell (entry, "MUG-RED");
  wait_for (omni_offline_till_get_n_waiting (OMNI_OFFLINE_TILL (till)) == 3);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  journal = omni_till_journal_open (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING), ==, 3);

  /* Still away: Try Again changes nothing. */
  omni_offline_till_try_again (OMNI_OFFLINE_TILL (till));
  g_assert_true (omni_offline_till_is_trying (OMNI_OFFLINE_TILL (till)));
  wait_for (!omni_offline_till_is_trying (OMNI_OFFLINE_TILL (till)));
  g_assert_cmpuint (omni_offline_till_get_n_waiting (OMNI_OFFLINE_TILL (till)), ==, 3);
  g_assert_null (find_shop_window ());

  /* The store comes back, with the mug on the shelf. */
  create_database (server, name);
  store = omni_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (store, "Shop Floor", TRUE, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (store, &mug, &spec, 1, &variant, &error), >, 0);
  g_assert_no_error (error);
  line.variant_id = variant;
  op = omni_store_adjust (store, &line, 1, &options, &error);
  g_assert_no_error (error);

  omni_offline_till_try_again (OMNI_OFFLINE_TILL (till));
  wait_for ((shop = find_shop_window ()) != NULL);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING), ==, 0);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_APPLIED), ==, 3);
  levels = omni_store_get_levels (store, variant, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (levels->len, ==, 1);
  g_assert_cmpint (((OmniLevel *)levels->pdata[0])->on_hand, ==, 7);
  g_assert_true (omni_store_location_is_shared (
      omni_store_get_path (omni_context_get_store (omni_window_get_context (shop)))));

  gtk_window_destroy (GTK_WINDOW (shop));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&journal);
  {
    g_autofree char *path = omni_till_journal_path_for (uri);
    static const char * const suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_remove (file);
      }
  }
  g_rmdir (dir);
}


/* A count was open when the till last reached the server; offline, the
 * window switches to Count and each scan is kept as a count scan; back
 * online, the scans reach the count and the sale the ledger. */
static void
test_count_offline_then_send (void)
{
  PgTestServer *server = pg_test_server_get_shared ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("omni-offline-count-XXXXXX", &error);
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  g_autofree char *away = NULL;
  g_autofree char *back = NULL;
  g_autofree char *op = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniStore) refused = NULL;
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(OmniCountLine) line = NULL;
  const OmniProductSpec mug = { .title = "Enamel Mug", .option_names = { "Colour" } };
  OmniVariantSpec spec = { .sku = "MUG-RED", .options = { "Red" }, .price = 1800,
                           .compare_at_price = -1, .cost = 700, .reorder_point = -1,
                           .reorder_qty = -1 };
  OmniAdjustLine stock = { 0, 0, 10 };
  OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .reason = "received" };
  OmniTillReplayResult replay = { 0, };
  OmniWindow *window, *shop;
  GtkWidget *till;
  GtkEntry *entry;
  GtkToggleButton *count_button, *sell_button;
  gint64 variant, session;
  const char *slash;

  g_assert_no_error (error);
  g_setenv ("OMNISTOCK_JOURNAL_DIR", dir, TRUE);

  /* Online: the shop, a count under way, noted by this till. */
  uri = pg_test_server_create_database (server, &error);
  g_assert_no_error (error);
  slash = strrchr (uri, '/');
  name = g_strndup (slash + 1, strcspn (slash + 1, "?"));
  store = omni_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (store, "Shop Floor", TRUE, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (store, &mug, &spec, 1, &variant, &error), >, 0);
  g_assert_no_error (error);
  stock.variant_id = variant;
  op = omni_store_adjust (store, &stock, 1, &options, &error);
  g_assert_no_error (error);
  session = omni_store_count_start (store, 0, "all", NULL, "owner", &error);
  g_assert_no_error (error);
  journal = omni_till_journal_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (omni_till_journal_replay (journal, store, &replay, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* The server goes away. */
  away = g_strdup_printf ("ALTER DATABASE %s RENAME TO %s_away", name, name);
  admin_exec (server, away);
  refused = omni_store_open (uri, &error);
  g_assert_null (refused);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO);

  window = omni_window_new_for_offline (NULL, uri, error);
  g_clear_error (&error);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  till = find_widget (GTK_WIDGET (window), OMNI_TYPE_OFFLINE_TILL);
  g_assert_nonnull (till);
  entry = GTK_ENTRY (find_widget (till, GTK_TYPE_ENTRY));
  count_button = find_toggle (till, "C_ount");
  sell_button = find_toggle (till, "_Sell");
  g_assert_nonnull (count_button);
  g_assert_nonnull (sell_button);
  wait_for (omni_offline_till_get_n_counts (OMNI_OFFLINE_TILL (till)) == 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (count_button)));
  g_assert_false (omni_offline_till_get_counting (OMNI_OFFLINE_TILL (till)));

  /* Count: 3*MUG-RED, then MUG-RED; a bad multiplier is refused. */
  gtk_widget_activate (GTK_WIDGET (count_button));
  wait_for (omni_offline_till_get_counting (OMNI_OFFLINE_TILL (till)));
  g_assert_cmpstr (gtk_entry_get_placeholder_text (entry), ==, "Scan or type a code to count");
  sell (entry, "0*MUG-RED");
  g_assert_true (shows_label (till, "“0” is not a quantity from 1 to 100000 before “*”"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "0*MUG-RED");
  sell (entry, "3*MUG-RED");
  wait_for (omni_offline_till_get_n_waiting (OMNI_OFFLINE_TILL (till)) == 1);
  sell (entry, "MUG-RED");
  wait_for (omni_offline_till_get_n_waiting (OMNI_OFFLINE_TILL (till)) == 2);
  /* And a sale, in Sell. */
  gtk_widget_activate (GTK_WIDGET (sell_button));
  wait_for (!omni_offline_till_get_counting (OMNI_OFFLINE_TILL (till)));
  sell (entry, "MUG-RED");
  wait_for (omni_offline_till_get_n_waiting (OMNI_OFFLINE_TILL (till)) == 3);

  entries = omni_till_journal_list (journal, OMNI_TILL_ENTRY_PENDING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[0])->kind, ==, OMNI_TILL_ENTRY_COUNT_SCAN);
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[0])->session_id, ==, session);
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[0])->quantity, ==, 3);
  g_assert_cmpstr (((OmniTillEntry *)entries->pdata[0])->sku, ==, "MUG-RED");
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[1])->quantity, ==, 1);
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[2])->kind, ==, OMNI_TILL_ENTRY_ADJUST);
  g_assert_cmpint (((OmniTillEntry *)entries->pdata[2])->quantity, ==, -1);

  /* The server is back. */
  back = g_strdup_printf ("ALTER DATABASE %s_away RENAME TO %s", name, name);
  admin_exec (server, back);
  omni_offline_till_try_again (OMNI_OFFLINE_TILL (till));
  wait_for ((shop = find_shop_window ()) != NULL);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING), ==, 0);
  g_assert_cmpint (omni_till_journal_count (journal, OMNI_TILL_ENTRY_APPLIED), ==, 3);

  store = omni_store_open (uri, &error);
  g_assert_no_error (error);
  line = omni_store_count_get_line (store, session, variant, &error);
  g_assert_no_error (error);
  /* Counted 4 when the books said 10; the sale came after the scans. */
  g_assert_cmpint (line->counted, ==, 4);
  g_assert_cmpint (line->expected, ==, 10);
  g_assert_cmpint (line->variance, ==, -6);

  gtk_window_destroy (GTK_WINDOW (shop));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&journal);
  remove_journal (uri, dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/omni/offline-till/sell-offline-then-send", test_sell_offline_then_send);
  g_test_add_func ("/omni/offline-till/count-offline-then-send", test_count_offline_then_send);

  return g_test_run ();
}
