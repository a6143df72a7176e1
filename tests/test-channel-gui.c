/* test-channel-gui.c: choosing which Shopify location syncs with which local
 * one (in the connection wizard and later in the Locations dialog) and
 * re-authenticating a stopped channel in place, in a real window against
 * the in-process Shopify mock and the real keyring
 *
 * With OMNI_SCREENSHOT_DIR set, the wizard's mapping step, its first sync
 * and the re-authentication dialog are also saved there as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-channel-gui"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-application.h"
#include "omni-channel-wizard.h"
#include "omni-channels-page.h"
#include "omni-context.h"
#include "omni-location-map-dialog.h"
#include "omni-notifier.h"
#include "omni-reauth-dialog.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "omni-window.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"

static OmniApplication *app;
static gboolean have_keyring;
static guint notifications_sent;

/* What would reach the desktop: a test cannot see notifications. */
static void
record_send (const char    *id,
             GNotification *notification,
             gpointer       user_data)
{
  notifications_sent++;
}

static void
record_withdraw (const char *id,
                 gpointer    user_data)
{
}

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
find_titled (GtkWidget  *root,
             GType       type,
             const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  g_error ("No %s titled “%s”", g_type_name (type), title);
  return NULL;
}

static GtkWidget *
find_button_maybe (GtkWidget  *root,
                   const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0 ||
        g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), label) == 0)
      return buttons->pdata[i];
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  GtkWidget *button = find_button_maybe (root, label);

  if (button == NULL)
    g_error ("No button labelled “%s”", label);
  return button;
}

static gboolean
button_ready (GtkWidget  *root,
              const char *label)
{
  GtkWidget *button = find_button_maybe (root, label);

  return button != NULL && gtk_widget_is_sensitive (button);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkLabel *
error_label (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "error"))
      return labels->pdata[i];
  g_error ("No error label");
  return NULL;
}

static gboolean
error_shown (GtkWidget *root)
{
  GtkLabel *label = error_label (root);

  return gtk_widget_get_visible (GTK_WIDGET (label)) && *gtk_label_get_text (label) != '\0';
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (g_type_is_a (G_OBJECT_TYPE (l->data), type) && gtk_widget_get_visible (l->data))
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

/* Selects the combo row's item with that text. */
static void
choose (GtkWidget  *combo,
        const char *text)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i);
        return;
      }
  g_error ("No choice “%s”", text);
}

static const char *
chosen (GtkWidget *combo)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

  return gtk_string_list_get_string (GTK_STRING_LIST (model),
                                     adw_combo_row_get_selected (ADW_COMBO_ROW (combo)));
}

/* The local location a remote one (by name) is mapped to, 0: none. */
static gint64
mapped (OmniStore  *store,
        gint64      channel,
        const char *remote_name)
{
  g_autoptr(GPtrArray) list = omni_store_list_channel_locations (store, channel, NULL);

  g_assert_nonnull (list);
  for (guint i = 0; i < list->len; i++)
    {
      OmniChannelLocation *l = list->pdata[i];

      if (g_strcmp0 (l->remote_name, remote_name) == 0)
        return l->location_id;
    }
  g_error ("No remote location “%s”", remote_name);
  return -1;
}

typedef struct
{
  char        *dir;
  char        *path;
  char        *account;
  char        *token;
  MockShopify *mock;
  OmniStore   *store;
  OmniContext *context;
  OmniWindow  *window;
  GtkWidget   *page;
  gint64       floor, warehouse;
  gint64       ids[2];
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (!have_keyring)
    return;
  f->dir = g_dir_make_tmp ("omni-channel-gui-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->account = g_strdup_printf ("map-%08x.myshopify.com", g_random_int ());
  f->token = g_strdup_printf ("shpat_MAP%08x%08x", g_random_int (), g_random_int ());
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->floor = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  f->warehouse = omni_store_add_location (f->store, "Warehouse", FALSE, &error);
  g_assert_no_error (error);

  f->mock = mock_shopify_new ();
  mock_shopify_add_location (f->mock, "Shop Floor");
  mock_shopify_add_location (f->mock, "Back Room");
  mock_shopify_add_token (f->mock, f->token);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *sku = g_strdup_printf ("MAP-%u", i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = { .sku = sku, .compare_at_price = -1, .cost = -1,
                                        .reorder_point = -1, .reorder_qty = -1 };
      guint remote;

      g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &f->ids[i],
                                                  &error), >, 0);
      remote = mock_shopify_add_variant (f->mock, sku, NULL, 10 + i);
      mock_shopify_set_quantity (f->mock, remote, 1, 20 + i);
    }

  settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  f->context = omni_context_new (f->store, settings);
  f->window = omni_window_new (GTK_APPLICATION (app), f->context);
  g_object_ref (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  omni_window_set_visible_page (f->window, "channels");
  f->page = omni_window_get_page (f->window, "channels");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (!have_keyring)
    return;
  omni_secret_clear ("shopify", f->account, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (f->window));
  /* Let cancelled workers end before the mock and the files go. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;
    guint ticker = g_timeout_add (10, tick_cb, NULL);

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (ticker);
  }
  g_object_unref (f->window);
  mock_shopify_free (f->mock);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  wal = g_strconcat (f->path, "-wal", NULL);
  shm = g_strconcat (f->path, "-shm", NULL);
  g_remove (wal);
  g_remove (shm);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->account);
  g_free (f->token);
}

#define REQUIRE_KEYRING() \
  G_STMT_START { \
    if (!have_keyring) \
      { \
        g_test_skip ("No Secret Service on the session bus: run the suite with " \
                     "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)"); \
        return; \
      } \
  } G_STMT_END

/* The wizard proposes a mapping, refuses two Shopify locations on one local
 * location, saves the merchant's choice (a new local location included),
 * and the first sync follows it; the Locations dialog changes it later. */
static void
test_map_locations (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *wizard, *dialog;
  gpointer alive;
  GtkWidget *floor_row, *back_row;
  gint64 channel, back_room;

  REQUIRE_KEYRING ();

  /* The shop's name is text, shown as written. */
  mock_shopify_set_shop_name (f->mock, "Fern & Co <Goods>");
  click (find_button (f->page, "_Connect Shopify…"));
  wait_for ((wizard = find_toplevel (OMNI_TYPE_CHANNEL_WIZARD)) != NULL);
  alive = wizard;
  g_object_add_weak_pointer (G_OBJECT (wizard), &alive);
  collect (GTK_WIDGET (wizard), GTK_TYPE_CHECK_BUTTON, checks);
  gtk_check_button_set_active (checks->pdata[1], TRUE);
  gtk_editable_set_text (GTK_EDITABLE (find_titled (GTK_WIDGET (wizard), ADW_TYPE_ENTRY_ROW,
                                                    "Shop address (NAME.myshopify.com)")),
                         f->account);
  gtk_editable_set_text (GTK_EDITABLE (find_titled (GTK_WIDGET (wizard), ADW_TYPE_ENTRY_ROW,
                                                    "Admin API access token")), f->token);
  gtk_editable_set_text (GTK_EDITABLE (find_titled (GTK_WIDGET (wizard), ADW_TYPE_ENTRY_ROW,
                                                    "API address instead of https://SHOP")),
                         mock_shopify_get_url (f->mock));
  click (find_button (GTK_WIDGET (wizard), "_Test Connection"));
  wait_for (button_ready (GTK_WIDGET (wizard), "_Connect"));
  g_assert_true (shows_label (GTK_WIDGET (wizard), "Fern & Co <Goods>"));

  /* The proposal: the namesake; the other is not synced until chosen. */
  floor_row = find_titled (GTK_WIDGET (wizard), ADW_TYPE_COMBO_ROW, "Shop Floor");
  back_row = find_titled (GTK_WIDGET (wizard), ADW_TYPE_COMBO_ROW, "Back Room");
  g_assert_cmpstr (chosen (floor_row), ==, "Shop Floor");
  g_assert_cmpstr (chosen (back_row), ==, "Not synced");
  save_shot ("channel-wizard-locations.png");

  /* Two on one local location: refused in words, nothing kept. */
  choose (back_row, "Shop Floor");
  click (find_button (GTK_WIDGET (wizard), "_Connect"));
  g_assert_true (error_shown (GTK_WIDGET (wizard)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label (GTK_WIDGET (wizard))),
                            "cannot both sync"));
  g_assert_cmpint (omni_store_find_channel (f->store, f->account, NULL), ==, 0);

  choose (back_row, "New location “Back Room”");
  click (find_button (GTK_WIDGET (wizard), "_Connect"));
  wait_for (alive == NULL || button_ready (GTK_WIDGET (wizard), "_Done"));
  g_assert_nonnull (alive);
  g_assert_false (error_shown (GTK_WIDGET (wizard)));
  save_shot ("channel-wizard-first-sync.png");

  channel = omni_store_find_channel (f->store, f->account, &error);
  g_assert_no_error (error);
  back_room = omni_store_find_location (f->store, "Back Room", &error);
  g_assert_no_error (error);
  g_assert_cmpint (back_room, !=, f->floor);
  g_assert_cmpint (back_room, !=, f->warehouse);
  g_assert_cmpint (mapped (f->store, channel, "Shop Floor"), ==, f->floor);
  g_assert_cmpint (mapped (f->store, channel, "Back Room"), ==, back_room);
  /* The first sync took each Shopify location's quantities where chosen. */
  g_assert_cmpint (omni_store_get_available_at (f->store, f->ids[0], f->floor), ==, 10);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->ids[1], f->floor), ==, 11);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->ids[0], back_room), ==, 20);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->ids[1], back_room), ==, 21);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->ids[0], f->warehouse), ==, 0);
  click (find_button (GTK_WIDGET (wizard), "_Done"));
  wait_for (alive == NULL);

  /* Later, from the channel's row: Back Room now syncs with Warehouse. */
  wait_for (button_ready (f->page, "Locations…"));
  click (find_button (f->page, "Locations…"));
  wait_for ((dialog = find_toplevel (OMNI_TYPE_LOCATION_MAP_DIALOG)) != NULL);
  alive = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  wait_for (button_ready (GTK_WIDGET (dialog), "_Save"));
  back_row = find_titled (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, "Back Room");
  floor_row = find_titled (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, "Shop Floor");
  g_assert_cmpstr (chosen (back_row), ==, "Back Room");
  g_assert_cmpstr (chosen (floor_row), ==, "Shop Floor");
  save_shot ("channel-locations-dialog.png");

  /* The same refusal here, and nothing changed by it. */
  choose (back_row, "Shop Floor");
  click (find_button (GTK_WIDGET (dialog), "_Save"));
  g_assert_true (error_shown (GTK_WIDGET (dialog)));
  g_assert_cmpint (mapped (f->store, channel, "Back Room"), ==, back_room);

  /* Swapping works in one go: Shop Floor stops, Back Room takes Warehouse. */
  choose (floor_row, "Not synced");
  choose (back_row, "Warehouse");
  click (find_button (GTK_WIDGET (dialog), "_Save"));
  wait_for (alive == NULL);
  g_assert_cmpint (mapped (f->store, channel, "Back Room"), ==, f->warehouse);
  g_assert_cmpint (mapped (f->store, channel, "Shop Floor"), ==, 0);
}

static void
sync_now (Fixture *f)
{
  click (find_button (f->page, "_Sync Now"));
  wait_for (strstr (first_row_subtitle (f->page), "Syncing") == NULL);
}

/* A revoked token stops the channel; the row offers Re-authenticate…; a
 * token Shopify refuses changes nothing; a working one replaces the keyring
 * secret, reconnects the channel and the sync pushes what waited. */
static void
test_reauthenticate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autofree char *fresh = g_strdup_printf ("shpat_NEW%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *auth_id = NULL;
  OmniChannel *channel;
  GtkWindow *dialog;
  gpointer alive;
  gint64 id;
  guint requests;
  char *secret;

  REQUIRE_KEYRING ();

  /* named by the merchant (omnistock-cli channel add --name) */
  id = omni_shopify_add_channel (f->store, "Fern & Co <Goods>", f->account,
                                 mock_shopify_get_url (f->mock), NULL, f->token, &error);
  g_assert_no_error (error);
  auth_id = g_strdup_printf ("channel-auth-%" G_GINT64_FORMAT, id);
  omni_context_store_changed (f->context);
  wait_for (button_ready (f->page, "_Sync Now"));
  sync_now (f);
  wait_for (strstr (first_row_subtitle (f->page), "last sync") != NULL);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->ids[0], f->floor), ==, 10);
  g_assert_null (find_button_maybe (f->page, "_Re-authenticate…"));
  g_assert_true (shows_label (f->page, "Fern & Co <Goods> (Shopify)"));

  /* Revoked: stopped, in words, notified, and the button appears. */
  mock_shopify_revoke_tokens (f->mock);
  sync_now (f);
  wait_for (strstr (first_row_subtitle (f->page), "Stopped") != NULL);
  g_assert_cmpuint (notifications_sent, ==, 1);
  g_assert_true (omni_notifier_is_raised (auth_id));
  channel = omni_store_get_channel (f->store, id, &error);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  omni_channel_free (channel);
  g_assert_false (gtk_widget_get_visible (find_button (f->page, "_Sync Now")));

  /* A change made while stopped waits in the outbox. */
  {
    OmniMovementSpec m = { .variant_id = f->ids[0], .location_id = f->floor, .on_hand_delta = 7,
                           .reason = OMNI_REASON_RECEIVED };

    g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  }
  omni_context_store_changed (f->context);
  wait_for (strstr (first_row_subtitle (f->page), "1 quantity to push") != NULL);

  save_shot ("channel-row-stopped.png");
  click (find_button (f->page, "_Re-authenticate…"));
  wait_for ((dialog = find_toplevel (OMNI_TYPE_REAUTH_DIALOG)) != NULL);
  alive = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  /* the channel's name in the group's title, as written, not read as markup */
  g_assert_true (shows_label (GTK_WIDGET (dialog), "New Credentials for Fern & Co <Goods>"));
  /* It starts from how the channel signed in: a legacy access token. */
  collect (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 2);
  g_assert_true (gtk_check_button_get_active (checks->pdata[1]));

  /* Empty: refused before anything is sent. */
  requests = mock_shopify_get_stats (f->mock)->requests;
  click (find_button (GTK_WIDGET (dialog), "_Re-authenticate"));
  g_assert_true (error_shown (GTK_WIDGET (dialog)));
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, ==, requests);

  /* A token Shopify refuses: the error in words, the old state kept. */
  gtk_editable_set_text (GTK_EDITABLE (find_titled (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                                    "Admin API access token")),
                         "shpat_refused_0000");
  click (find_button (GTK_WIDGET (dialog), "_Re-authenticate"));
  wait_for (button_ready (GTK_WIDGET (dialog), "_Re-authenticate") &&
            error_shown (GTK_WIDGET (dialog)));
  g_assert_nonnull (alive);
  g_assert_null (strstr (gtk_label_get_text (error_label (GTK_WIDGET (dialog))),
                         "shpat_refused_0000"));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label (GTK_WIDGET (dialog))),
                            "nothing was changed"));
  save_shot ("channel-reauth-refused.png");
  channel = omni_store_get_channel (f->store, id, &error);
  g_assert_cmpstr (channel->state, ==, "auth_failed");
  omni_channel_free (channel);
  secret = omni_secret_lookup ("shopify", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, f->token);
  omni_secret_free (secret);

  /* The new token: tested, kept, connected, then synced. */
  mock_shopify_add_token (f->mock, fresh);
  gtk_editable_set_text (GTK_EDITABLE (find_titled (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                                    "Admin API access token")), fresh);
  click (find_button (GTK_WIDGET (dialog), "_Re-authenticate"));
  wait_for (alive == NULL);
  secret = omni_secret_lookup ("shopify", f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, fresh);
  omni_secret_free (secret);

  wait_for (mock_shopify_get_quantity (f->mock, 0, 0) == 17);
  wait_for (strstr (first_row_subtitle (f->page), "last sync") != NULL &&
            strstr (first_row_subtitle (f->page), "to push") == NULL);
  g_assert_null (find_button_maybe (f->page, "_Re-authenticate…"));
  g_assert_false (omni_notifier_is_raised (auth_id));
  channel = omni_store_get_channel (f->store, id, &error);
  g_assert_cmpstr (channel->state, ==, "connected");
  g_assert_null (channel->last_error);
  omni_channel_free (channel);
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
    g_test_message ("Skipping: %s", error->message);
  g_clear_error (&error);
  omni_notifier_set_hooks (record_send, record_withdraw, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/omni/channel-gui/map-locations", Fixture, NULL, fixture_set_up,
              test_map_locations, fixture_tear_down);
  g_test_add ("/omni/channel-gui/reauthenticate", Fixture, NULL, fixture_set_up,
              test_reauthenticate, fixture_tear_down);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
