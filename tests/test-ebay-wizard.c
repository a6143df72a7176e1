/* test-ebay-wizard.c: the eBay connection wizard, opened from the Channels
 * page of a real window, against the in-process eBay mock and the real
 * keyring
 *
 * With OMNI_SCREENSHOT_DIR set, the wizard's two steps are also saved there
 * as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ebay-wizard"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <adwaita.h>
#include <libsecret/secret.h>

#include "mock-ebay.h"
#include "omni-application.h"
#include "omni-context.h"
#include "omni-ebay-wizard.h"
#include "omni-ebay.h"
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
  g_signal_emit_by_name (button, "clicked");
}

static GtkWidget *
find_wizard (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (OMNI_IS_EBAY_WIZARD (l->data) && gtk_widget_get_visible (l->data))
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

static const char *
visible_step (GtkWidget *wizard)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  collect (wizard, GTK_TYPE_STACK, stacks);
  g_assert_cmpuint (stacks->len, >, 0);
  return gtk_stack_get_visible_child_name (stacks->pdata[0]);
}

static const char *
error_text (GtkWidget *wizard)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (wizard, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "error") &&
        gtk_widget_get_visible (labels->pdata[i]))
      return gtk_label_get_text (labels->pdata[i]);
  return NULL;
}

static void
on_connected (OmniEbayWizard *wizard,
              gint64          channel_id,
              gpointer        user_data)
{
  *(gint64 *)user_data = channel_id;
}

static void
test_connect (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = g_strdup_printf ("eBay GUI %08x", g_random_int ());
  g_autofree char *client_id = g_strdup_printf ("Fern-Omni-PRD-%08x", g_random_int ());
  g_autofree char *secret = g_strdup_printf ("PRD-%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *refresh = g_strdup_printf ("v^1.1#i^1#r^1#GUI%08x", g_random_int ());
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(OmniContext) context = NULL;
  OmniWindow *window;
  GtkWidget *page;
  GtkWidget *wizard;
  gint64 tee = 0;
  gpointer alive;
  MockEbay *mock;
  gint64 back_room;
  gint64 connected = 0;
  char *kept;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on the session bus: run the suite with "
                   "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)");
      return;
    }

  dir = g_dir_make_tmp ("omni-ebay-wizard-XXXXXX", NULL);
  path = g_build_filename (dir, "shop.db", NULL);
  store = omni_store_open (path, &error);
  g_assert_no_error (error);
  omni_store_add_location (store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  /* a name is text, not markup: "&" shows as written */
  back_room = omni_store_add_location (store, "Back Room & Yard", FALSE, &error);
  g_assert_no_error (error);

  {
    const OmniProductSpec product = { .title = "Tee" };
    const OmniVariantSpec variant = { .sku = "TEE-1", .compare_at_price = -1, .cost = -1,
                                      .reorder_point = -1, .reorder_qty = -1 };
    OmniMovementSpec m = { .location_id = back_room, .on_hand_delta = 7,
                           .reason = OMNI_REASON_RECEIVED };

    g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &tee, &error), >, 0);
    m.variant_id = tee;
    g_assert_true (omni_store_record_movements (store, &m, 1, &error));
    g_assert_no_error (error);
  }
  mock = mock_ebay_new ();
  mock_ebay_set_credentials (mock, client_id, secret, refresh);
  mock_ebay_add_item (mock, "TEE-1", 4, 1);
  mock_ebay_add_item (mock, "TEE-2", 0, 1);

  settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  context = omni_context_new (store, settings);
  window = omni_window_new (GTK_APPLICATION (app), context);
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));
  omni_window_set_visible_page (window, "channels");
  page = omni_window_get_page (window, "channels");

  /* The empty page offers eBay; its button opens the wizard. */
  click (find_button (page, "Connect _eBay…"));
  wait_for ((wizard = find_wizard ()) != NULL);
  g_signal_connect (wizard, "connected", G_CALLBACK (on_connected), &connected);
  alive = wizard;
  g_object_add_weak_pointer (G_OBJECT (wizard), &alive);

  /* The locations arrive from a worker; the default one is chosen. */
  {
    AdwComboRow *location = find_row (wizard, ADW_TYPE_COMBO_ROW, "Stock from");
    AdwComboRow *market = find_row (wizard, ADW_TYPE_COMBO_ROW, "Marketplace");

    wait_for (adw_combo_row_get_model (location) != NULL &&
              g_list_model_get_n_items (adw_combo_row_get_model (location)) == 2);
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (location)),
                     ==, "Shop Floor");
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (market)),
                     ==, "United Kingdom (EBAY_GB)");
    adw_combo_row_set_selected (location, 1);
  }
  save_shot ("ebay-wizard-details.png");

  /* Missing credentials are said, not sent. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (wizard, ADW_TYPE_ENTRY_ROW, "Name")), name);
  gtk_editable_set_text (GTK_EDITABLE (find_row (wizard, ADW_TYPE_ENTRY_ROW,
                                                 "API address instead of eBay’s")),
                         mock_ebay_get_url (mock));
  click (find_button (wizard, "_Test Connection"));
  g_assert_cmpstr (error_text (wizard), ==, "Enter the keyset’s client ID (App ID).");
  g_assert_cmpuint (mock_ebay_get_stats (mock)->token_requests, ==, 0);

  /* A refused refresh token shows eBay's answer and keeps step 1. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (wizard, ADW_TYPE_ENTRY_ROW, "Client ID (App ID)")),
                         client_id);
  gtk_editable_set_text (GTK_EDITABLE (find_row (wizard, ADW_TYPE_ENTRY_ROW,
                                                 "Client secret (Cert ID)")), secret);
  gtk_editable_set_text (GTK_EDITABLE (find_row (wizard, ADW_TYPE_ENTRY_ROW, "Refresh token")),
                         "v^1.1#WRONG");
  click (find_button (wizard, "_Test Connection"));
  wait_for (error_text (wizard) != NULL);
  g_assert_nonnull (strstr (error_text (wizard), "refused"));
  g_assert_cmpstr (visible_step (wizard), ==, "details");

  /* The right one: step 2 says what eBay has. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (wizard, ADW_TYPE_ENTRY_ROW, "Refresh token")),
                         refresh);
  click (find_button (wizard, "_Test Connection"));
  wait_for (g_strcmp0 (visible_step (wizard), "summary") == 0);
  {
    g_autoptr(GPtrArray) pages = g_ptr_array_new ();

    collect (wizard, ADW_TYPE_STATUS_PAGE, pages);
    g_assert_cmpstr (adw_status_page_get_title (pages->pdata[0]), ==,
                     "eBay United Kingdom (EBAY_GB)");
    g_assert_nonnull (strstr (adw_status_page_get_description (pages->pdata[0]),
                              "2 inventory items"));
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean shown = FALSE;

    collect (pages->pdata[0], GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      shown |= strstr (gtk_label_get_text (labels->pdata[i]),
                       "the available stock of Back Room & Yard.") != NULL;
    g_assert_true (shown);
  }
  save_shot ("ebay-wizard-summary.png");
  g_assert_cmpint (omni_store_find_channel (store, name, NULL), ==, 0);

  click (find_button (wizard, "_Connect"));
  wait_for (alive == NULL);
  g_assert_cmpint (connected, >, 0);

  channel = omni_store_get_channel (store, connected, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (channel->platform, ==, "ebay");
  g_assert_cmpstr (channel->name, ==, name);
  g_assert_nonnull (strstr (channel->settings, "\"EBAY_GB\""));
  g_assert_cmpstr (channel->api_url, ==, mock_ebay_get_url (mock));
  locations = omni_store_list_channel_locations (store, connected, &error);
  g_assert_cmpuint (locations->len, ==, 1);
  g_assert_cmpint (((OmniChannelLocation *)locations->pdata[0])->location_id, ==, back_room);
  kept = omni_secret_lookup ("ebay", name, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (kept, refresh));
  omni_secret_free (kept);

  /* The page ran the first sync: TEE-1 linked by SKU, and eBay now lists
   * the Back Room's 7. */
  wait_for (first_row_subtitle (page) != NULL &&
            strstr (first_row_subtitle (page), "last sync") != NULL);
  g_assert_nonnull (strstr (first_row_subtitle (page), "1 linked variant"));
  g_assert_cmpint (omni_store_count_links (store, connected), ==, 1);
  g_assert_cmpint (omni_store_find_linked_variant (store, connected, "TEE-1"), ==, tee);
  g_assert_cmpint (mock_ebay_get_quantity (mock, "TEE-1"), ==, 7);
  save_shot ("ebay-channels-page.png");

  omni_secret_clear ("ebay", name, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (window);
  mock_ebay_free (mock);
  g_clear_object (&context);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (path);
  g_rmdir (dir);
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

  g_test_add_func ("/omni/ebay-wizard/connect", test_connect);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
