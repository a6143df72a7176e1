/* omni-amazon-wizard.c: connecting an Amazon seller account
 *
 * One page: what to call the channel, the seller id, the marketplace (which
 * decides the Selling Partner API region), the local location whose stock
 * is published as the merchant-fulfilled quantity, and the Login with
 * Amazon credentials of the seller's private app (client ID, client secret,
 * refresh token). "Connect" tests them on a worker (an access token, then
 * one listing read), keeps them in the keyring as one secret and adds the
 * channel; the window then emits ::connected and closes, and the page runs
 * the first sync. Nothing blocks the main loop, and nothing is kept for
 * credentials that do not work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-channels"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "omni-amazon.h"
#include "omni-amazon-wizard.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"

struct _OmniAmazonWizard
{
  AdwWindow            parent_instance;

  char                *db_path;
  char                *api_url;
  GCancellable        *cancellable;
  GArray              *location_ids;     /* gint64, by combo position */

  GtkWidget           *connect_button;
  GtkSpinner          *spinner;
  AdwEntryRow         *name_row;
  AdwEntryRow         *seller_row;
  AdwComboRow         *marketplace_row;
  AdwComboRow         *location_row;
  AdwEntryRow         *client_id_row;
  AdwPasswordEntryRow *secret_row;
  AdwPasswordEntryRow *refresh_row;
  GtkLabel            *error_label;
  GtkWidget           *form;
};

G_DEFINE_FINAL_TYPE (OmniAmazonWizard, omni_amazon_wizard, ADW_TYPE_WINDOW)

enum { CONNECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* What a connection works on, owned by its task. */
typedef struct
{
  char                  *db_path;
  char                  *api_url;
  char                  *name;
  char                  *seller;
  char                  *region;
  char                  *marketplace;
  gint64                 location_id;
  OmniAmazonCredentials *credentials;
} Request;

static void
request_free (Request *request)
{
  g_free (request->db_path);
  g_free (request->api_url);
  g_free (request->name);
  g_free (request->seller);
  g_free (request->region);
  g_free (request->marketplace);
  omni_amazon_credentials_free (request->credentials);
  g_free (request);
}

/* The marketplaces the list shows, translated, in omni_amazon_marketplaces()
 * order. */
static const char * const countries[] = {
  N_("United States"), N_("Canada"), N_("Mexico"), N_("Brazil"), N_("United Kingdom"),
  N_("Germany"), N_("France"), N_("Italy"), N_("Spain"), N_("Netherlands"), N_("Belgium"),
  N_("Sweden"), N_("Poland"), N_("Turkey"), N_("United Arab Emirates"), N_("Saudi Arabia"),
  N_("Egypt"), N_("India"), N_("Japan"), N_("Australia"), N_("Singapore"),
};

static const char steps[] =
  N_("In Seller Central, open Apps and Services › Develop Apps, add a private app for "
     "your own account with the Product Listing, Inventory and Order Tracking and "
     "Amazon Fulfillment roles, and authorize it. Copy its Login with Amazon client ID "
     "and client secret, and the refresh token the authorization shows. Your seller "
     "id (merchant token) is under Settings › Account Info › Merchant Token.");

static void
set_busy (OmniAmazonWizard *self,
          gboolean          busy)
{
  /* GTK 4.8 warns when a focused text field turns insensitive. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->connect_button, !busy);
  gtk_widget_set_sensitive (self->form, !busy);
}

static void
show_error (OmniAmazonWizard *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
row_text (gpointer row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

/* Locations ------------------------------------------------------------- */

static void
load_locations_thread (GTask        *task,
                       gpointer      source,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  g_autoptr(OmniStore) store = NULL;
  GPtrArray *locations;
  GError *error = NULL;

  store = omni_store_open (task_data, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  locations = omni_store_list_locations (store, FALSE, &error);
  if (locations == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, locations, (GDestroyNotify)g_ptr_array_unref);
}

static void
locations_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(OmniAmazonWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) locations = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (locations == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_array_set_size (self->location_ids, 0);
  for (guint i = 0; i < locations->len; i++)
    {
      OmniLocation *location = locations->pdata[i];

      /* Amazon's own stock is never what the merchant ships. */
      if (g_str_equal (location->name, OMNI_AMAZON_FBA_LOCATION))
        continue;
      if (location->is_default)
        selected = self->location_ids->len;
      g_array_append_val (self->location_ids, location->id);
      gtk_string_list_append (names, location->name);
    }
  adw_combo_row_set_model (self->location_row, G_LIST_MODEL (names));
  if (self->location_ids->len > 0)
    adw_combo_row_set_selected (self->location_row, selected);
}

/* Connecting ------------------------------------------------------------- */

static void
connect_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  gint64 id;

  if (!omni_amazon_check_connection (request->region, request->api_url, request->seller,
                                     request->marketplace, request->credentials, cancellable,
                                     &error))
    {
      g_task_return_error (task, error);
      return;
    }
  store = omni_store_open (request->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  id = omni_amazon_add_channel (store, request->name, request->seller, request->region,
                                request->marketplace, request->location_id, request->api_url,
                                request->credentials, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OmniAmazonWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = g_task_propagate_int (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[CONNECTED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
connect_clicked_cb (OmniAmazonWizard *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *secret = row_text (self->secret_row);
  g_autofree char *refresh = row_text (self->refresh_row);
  g_autoptr(GError) error = NULL;
  const OmniAmazonMarketplace *marketplaces;
  guint n_marketplaces, selected;
  Request *request;

  show_error (self, NULL);
  request = g_new0 (Request, 1);
  request->db_path = g_strdup (self->db_path);
  request->api_url = g_strdup (self->api_url);
  request->name = row_text (self->name_row);
  request->seller = row_text (self->seller_row);
  marketplaces = omni_amazon_marketplaces (&n_marketplaces);
  selected = adw_combo_row_get_selected (self->marketplace_row);
  if (selected < n_marketplaces)
    {
      request->marketplace = g_strdup (marketplaces[selected].id);
      request->region = g_strdup (marketplaces[selected].region);
    }
  selected = adw_combo_row_get_selected (self->location_row);
  if (selected < self->location_ids->len)
    request->location_id = g_array_index (self->location_ids, gint64, selected);

  if (request->name == NULL || request->seller == NULL)
    show_error (self, _("Enter a name for the channel and your seller id."));
  else if (request->marketplace == NULL)
    show_error (self, _("Choose the marketplace to sync."));
  else if (request->location_id == 0)
    show_error (self, _("Choose the location whose stock you ship Amazon orders from."));
  else if (client_id == NULL || secret == NULL || refresh == NULL)
    show_error (self, _("Enter the client ID, client secret and refresh token of your app."));
  else
    {
      OmniAmazonCredentials given = {
        .client_id = client_id, .client_secret = secret, .refresh_token = refresh,
      };
      g_autofree char *json = omni_amazon_credentials_to_json (&given);

      request->credentials = omni_amazon_credentials_parse (json, &error);
      memset (json, 0, strlen (json));
      if (request->credentials == NULL)
        show_error (self, error->message);
    }
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  if (refresh != NULL)
    memset (refresh, 0, strlen (refresh));
  if (request->credentials == NULL)
    {
      request_free (request);
      return;
    }

  set_busy (self, TRUE);
  task = g_task_new (NULL, self->cancellable, connected_cb, g_object_ref (self));
  g_task_set_source_tag (task, connect_clicked_cb);
  g_task_set_task_data (task, request, (GDestroyNotify)request_free);
  g_task_run_in_thread (task, connect_thread);
}

static void
cancel_clicked_cb (OmniAmazonWizard *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Building --------------------------------------------------------------- */

static GtkWidget *
build_marketplaces (OmniAmazonWizard *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const OmniAmazonMarketplace *marketplaces;
  guint n, selected = 0;

  marketplaces = omni_amazon_marketplaces (&n);
  for (guint i = 0; i < n; i++)
    {
      const char *country = i < G_N_ELEMENTS (countries) ? _(countries[i]) : marketplaces[i].country;
      const OmniAmazonRegion *region = omni_amazon_find_region (marketplaces[i].region);
      /* TRANSLATORS: a country, then the Selling Partner API region's code */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), country,
                                                region ? region->code : marketplaces[i].region);

      gtk_string_list_append (names, label);
      if (g_str_equal (marketplaces[i].id, "A1F83G8C2ARO7P"))
        selected = i;
    }
  self->marketplace_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->marketplace_row), _("Marketplace"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->marketplace_row),
                               _("Where your listings are; it decides the region"));
  adw_combo_row_set_model (self->marketplace_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->marketplace_row, selected);
  return GTK_WIDGET (self->marketplace_row);
}

static GtkWidget *
entry_row (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static GtkWidget *
password_row (const char *title)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static void
build (OmniAmazonWizard *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *intro = gtk_label_new (_(steps));
  GtkWidget *channel_group = adw_preferences_group_new ();
  GtkWidget *app_group = adw_preferences_group_new ();
  GtkWidget *title = adw_window_title_new (_("Connect Amazon"), _("Selling Partner API"));

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);

  self->connect_button = gtk_button_new_with_mnemonic (_("C_onnect"));
  gtk_widget_add_css_class (self->connect_button, "suggested-action");
  g_signal_connect_swapped (self->connect_button, "clicked", G_CALLBACK (connect_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->connect_button);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Testing the connection"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (box), header);

  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_widget_add_css_class (intro, "dim-label");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (channel_group), _("Channel"));
  self->name_row = ADW_ENTRY_ROW (entry_row (_("Name")));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), _("Amazon"));
  self->seller_row = ADW_ENTRY_ROW (entry_row (_("Seller ID (merchant token)")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (channel_group), GTK_WIDGET (self->name_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (channel_group), GTK_WIDGET (self->seller_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (channel_group), build_marketplaces (self));
  self->location_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->location_row), _("Ships From"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->location_row),
                               _("Its available stock is what you offer as merchant-fulfilled; "
                                 "Amazon's own stock appears at “Amazon FBA”"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (channel_group),
                             GTK_WIDGET (self->location_row));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (app_group), _("Login with Amazon"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (app_group),
                                         _("Kept in the keyring; access tokens stay in memory"));
  self->client_id_row = ADW_ENTRY_ROW (entry_row (_("Client ID")));
  self->secret_row = ADW_PASSWORD_ENTRY_ROW (password_row (_("Client Secret")));
  self->refresh_row = ADW_PASSWORD_ENTRY_ROW (password_row (_("Refresh Token")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (app_group), GTK_WIDGET (self->client_id_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (app_group), GTK_WIDGET (self->secret_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (app_group), GTK_WIDGET (self->refresh_row));
  g_signal_connect_swapped (self->refresh_row, "entry-activated",
                            G_CALLBACK (connect_clicked_cb), self);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->refresh_row), FALSE);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_selectable (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  self->form = content;
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_box_append (GTK_BOX (content), intro);
  gtk_box_append (GTK_BOX (content), channel_group);
  gtk_box_append (GTK_BOX (content), app_group);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  adw_window_set_content (ADW_WINDOW (self), box);
}

/* GObject ----------------------------------------------------------------- */

static void
omni_amazon_wizard_dispose (GObject *object)
{
  OmniAmazonWizard *self = (OmniAmazonWizard *)object;

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (omni_amazon_wizard_parent_class)->dispose (object);
}

static void
omni_amazon_wizard_finalize (GObject *object)
{
  OmniAmazonWizard *self = (OmniAmazonWizard *)object;

  g_clear_object (&self->cancellable);
  g_free (self->db_path);
  g_free (self->api_url);
  g_array_unref (self->location_ids);
  G_OBJECT_CLASS (omni_amazon_wizard_parent_class)->finalize (object);
}

static void
omni_amazon_wizard_class_init (OmniAmazonWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_amazon_wizard_dispose;
  object_class->finalize = omni_amazon_wizard_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  /**
   * OmniAmazonWizard::connected:
   * @channel_id: the new channel
   *
   * The channel was added and its credentials stored.
   */
  signals[CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
omni_amazon_wizard_init (OmniAmazonWizard *self)
{
  self->cancellable = g_cancellable_new ();
  self->location_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_window_set_title (GTK_WINDOW (self), _("Connect Amazon"));
  gtk_window_set_default_size (GTK_WINDOW (self), 600, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  build (self);
}

/**
 * omni_amazon_wizard_new:
 * @parent: the main window
 * @db_path: the database the channel is added to
 *
 * Returns: (transfer none): a new wizard window; present it
 */
OmniAmazonWizard *
omni_amazon_wizard_new (GtkWindow  *parent,
                        const char *db_path)
{
  OmniAmazonWizard *self = g_object_new (OMNI_TYPE_AMAZON_WIZARD,
                                         "transient-for", parent,
                                         NULL);
  g_autoptr(GTask) task = NULL;

  self->db_path = g_strdup (db_path);
  task = g_task_new (NULL, self->cancellable, locations_loaded_cb, g_object_ref (self));
  g_task_set_source_tag (task, omni_amazon_wizard_new);
  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_task_run_in_thread (task, load_locations_thread);
  return self;
}

/* A base URL replacing Amazon's, for the API and Login with Amazon
 * (tests, sandboxes). */
void
omni_amazon_wizard_set_api_url (OmniAmazonWizard *self,
                                const char       *api_url)
{
  g_free (self->api_url);
  self->api_url = g_strdup (api_url);
}
