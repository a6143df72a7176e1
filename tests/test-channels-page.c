/* test-channels-page.c: the Channels page and its connection wizard, in a
 * real window, against the in-process Shopify mock and the real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-channels-page"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-application.h"
#include "omni-channel-wizard.h"
#include "omni-channels-page.h"
#include "omni-context.h"
#include "omni-secret.h"
#include "omni-store-channel.h"
#include "omni-window.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"

static OmniApplication *app;
static gboolean have_keyring;

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

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  g_error ("No row titled “%s”", title);
  return NULL;
}

static GtkEditable *
find_entry (GtkWidget  *root,
            const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  g_error ("No entry titled “%s”", title);
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

/* A sensitive button with that label, without failing when there is none. */
static gboolean
button_ready (GtkWidget  *root,
              const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0 &&
        gtk_widget_is_sensitive (buttons->pdata[i]))
      return TRUE;
  return FALSE;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkWindow *
find_wizard (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (OMNI_IS_CHANNEL_WIZARD (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static const char *
first_row_subtitle (GtkWidget *page)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (page, ADW_TYPE_ACTION_ROW, rows);
  return rows->len > 0 ? adw_action_row_get_subtitle (rows->pdata[0]) : NULL;
}

static void
test_connect_and_sync (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniContext) context = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = g_strdup_printf ("shpat_GUI%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *account = g_strdup_printf ("gui-%08x.myshopify.com", g_random_int ());
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  OmniWindow *window;
  GtkWidget *page;
  GtkStack *stack;
  GtkWindow *wizard;
  GtkLabel *error_label = NULL;
  gpointer wizard_alive;
  MockShopify *mock;
  gint64 shop, ids[3], channel;
  char *secret;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }

  dir = g_dir_make_tmp ("omni-channels-page-XXXXXX", NULL);
  path = g_build_filename (dir, "shop.db", NULL);
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  mock = mock_shopify_new ();
  mock_shopify_add_location (mock, "Shop Floor");
  mock_shopify_add_token (mock, token);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *sku = g_strdup_printf ("GUI-%u", i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = { .sku = sku, .compare_at_price = -1, .cost = -1,
                                        .reorder_point = -1, .reorder_qty = -1 };

      g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &ids[i], &error), >, 0);
      mock_shopify_add_variant (mock, sku, NULL, 4 + i);
    }

  settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  context = omni_context_new (store, settings);
  window = omni_window_new (GTK_APPLICATION (app), context);
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  omni_window_set_visible_page (window, "channels");
  page = omni_window_get_page (window, "channels");

  /* Empty state first. */
  {
    g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

    collect (page, GTK_TYPE_STACK, stacks);
    stack = stacks->pdata[0];
  }
  wait_for (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "empty") == 0);

  click (find_button (page, "_Connect Shopify…"));
  wait_for ((wizard = find_wizard ()) != NULL);
  wizard_alive = wizard;
  g_object_add_weak_pointer (G_OBJECT (wizard), &wizard_alive);

  /* A legacy access token. */
  collect (GTK_WIDGET (wizard), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 2);
  gtk_check_button_set_active (checks->pdata[1], TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_entry (GTK_WIDGET (wizard), "Client ID"))));

  /* A wrong address is refused in words, nothing sent. */
  gtk_editable_set_text (find_entry (GTK_WIDGET (wizard), "Shop address (NAME.myshopify.com)"),
                         "fern.example.com");
  gtk_editable_set_text (find_entry (GTK_WIDGET (wizard), "Admin API access token"), token);
  gtk_editable_set_text (find_entry (GTK_WIDGET (wizard), "API address instead of https://SHOP"),
                         mock_shopify_get_url (mock));
  click (find_button (GTK_WIDGET (wizard), "_Test Connection"));
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    collect (GTK_WIDGET (wizard), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (gtk_widget_has_css_class (labels->pdata[i], "error"))
        error_label = labels->pdata[i];
  }
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "NAME.myshopify.com"));
  g_assert_cmpuint (mock_shopify_get_stats (mock)->requests, ==, 0);

  /* The right one: tested, then the shop is shown. */
  gtk_editable_set_text (find_entry (GTK_WIDGET (wizard), "Shop address (NAME.myshopify.com)"),
                         account);
  click (find_button (GTK_WIDGET (wizard), "_Test Connection"));
  {
    g_autoptr(GPtrArray) stacks = g_ptr_array_new ();
    GtkStack *steps;

    collect (GTK_WIDGET (wizard), GTK_TYPE_STACK, stacks);
    steps = stacks->pdata[0];
    wait_for (g_strcmp0 (gtk_stack_get_visible_child_name (steps), "summary") == 0);
  }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  {
    g_autoptr(GPtrArray) status = g_ptr_array_new ();

    collect (GTK_WIDGET (wizard), ADW_TYPE_STATUS_PAGE, status);
    g_assert_cmpstr (adw_status_page_get_title (status->pdata[0]), ==, "Fernwood Goods");
    g_assert_nonnull (strstr (adw_status_page_get_description (status->pdata[0]), "EUR"));
  }
  find_row (GTK_WIDGET (wizard), "Shop Floor");
  /* Tested, not yet kept. */
  g_assert_cmpint (omni_store_find_channel (store, account, NULL), ==, 0);

  click (find_button (GTK_WIDGET (wizard), "_Connect"));
  /* The last step is the first sync, with its progress, then its result. */
  wait_for (wizard_alive == NULL || button_ready (GTK_WIDGET (wizard), "_Done"));
  g_assert_nonnull (wizard_alive);
  {
    g_autoptr(GPtrArray) status = g_ptr_array_new ();

    collect (GTK_WIDGET (wizard), ADW_TYPE_STATUS_PAGE, status);
    g_assert_cmpstr (adw_status_page_get_title (status->pdata[status->len - 1]), ==, "Connected and Synced");
    g_assert_nonnull (strstr (adw_status_page_get_description (status->pdata[status->len - 1]),
                              "3 Shopify variants read: 3 linked"));
  }
  click (find_button (GTK_WIDGET (wizard), "_Done"));
  wait_for (wizard_alive == NULL);

  /* Kept: in the database (no secret there) and in the keyring... */
  channel = omni_store_find_channel (store, account, &error);
  g_assert_no_error (error);
  secret = omni_secret_lookup ("shopify", account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, token);
  omni_secret_free (secret);

  /* ...and the first sync ran, with its result on the row. */
  wait_for (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "list") == 0);
  wait_for (first_row_subtitle (page) != NULL &&
            strstr (first_row_subtitle (page), "last sync") != NULL);
  g_assert_nonnull (strstr (first_row_subtitle (page), "3 linked variants"));
  g_assert_cmpint (omni_store_count_links (store, channel), ==, 3);
  g_assert_cmpint (omni_store_get_available_at (store, ids[2], shop), ==, 6);

  /* A local change, then Sync Now: Shopify follows. */
  {
    OmniMovementSpec m = { .variant_id = ids[0], .location_id = shop, .on_hand_delta = 5,
                           .reason = OMNI_REASON_RECEIVED };

    g_assert_true (omni_store_record_movements (store, &m, 1, &error));
  }
  omni_context_store_changed (context);
  wait_for (strstr (first_row_subtitle (page), "1 quantity to push") != NULL);
  click (find_button (page, "_Sync Now"));
  wait_for (mock_shopify_get_quantity (mock, 0, 0) == 9);
  wait_for (strstr (first_row_subtitle (page), "to push") == NULL &&
            strstr (first_row_subtitle (page), "Syncing") == NULL);

  omni_secret_clear ("shopify", account, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (window);
  mock_shopify_free (mock);
  g_clear_object (&context);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
    g_remove (path);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* Without a window manager, focus moves between the window and the wizard
   * without focus events; a blinking cursor would then warn. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping: %s", error->message);
  g_clear_error (&error);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/omni/channels-page/connect-and-sync", test_connect_and_sync);

  status = g_test_run ();
  /* libsecret keeps its Secret Service proxy for the process. */
  secret_service_disconnect ();
  return status;
}
