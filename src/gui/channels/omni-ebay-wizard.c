/* omni-ebay-wizard.c: connecting an eBay seller account, step by step
 *
 * Step 1 asks what to call the channel, the marketplace, which local
 * location's stock eBay lists, and the three credentials of the seller's
 * eBay developer keyset (client ID, client secret, a user refresh token with
 * the sell.inventory and sell.fulfillment scopes). "Test Connection"
 * obtains an access token and reads the inventory on a worker; step 2 shows
 * what eBay answered, and "Connect" keeps the credentials in the keyring
 * and adds the channel. The window then emits ::connected and closes; the
 * page runs the first sync. Nothing blocks the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-channels"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-ebay-wizard.h"
#include "omni-ebay.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"

struct _OmniEbayWizard
{
  AdwWindow            parent_instance;

  char                *db_path;
  GCancellable        *cancellable;
  GArray              *location_ids;     /* gint64, by combo position */

  GtkStack            *stack;
  GtkButton           *next_button;
  GtkButton           *back_button;
  GtkSpinner          *spinner;
  AdwEntryRow         *name_row;
  AdwComboRow         *marketplace_row;
  AdwComboRow         *location_row;
  AdwEntryRow         *client_id_row;
  AdwPasswordEntryRow *secret_row;
  AdwPasswordEntryRow *refresh_row;
  GtkSwitch           *sandbox_switch;
  AdwEntryRow         *api_url_row;
  GtkLabel            *error_label;
  AdwStatusPage       *summary_page;
};

G_DEFINE_FINAL_TYPE (OmniEbayWizard, omni_ebay_wizard, ADW_TYPE_WINDOW)

enum { CONNECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* What a test or an add works on, owned by its task. */
typedef struct
{
  char                *db_path;
  char                *name;
  char                *marketplace;
  char                *api_url;
  gint64               location_id;
  OmniEbayCredentials *credentials;
} Request;

static void
request_free (Request *request)
{
  g_free (request->db_path);
  g_free (request->name);
  g_free (request->marketplace);
  g_free (request->api_url);
  omni_ebay_credentials_free (request->credentials);
  g_free (request);
}

/* What the marketplace list shows, in omni_ebay_marketplaces() order. */
static const struct { const char *id; const char *name; } marketplace_names[] = {
  { "EBAY_US", N_("United States") }, { "EBAY_GB", N_("United Kingdom") },
  { "EBAY_DE", N_("Germany") }, { "EBAY_AU", N_("Australia") }, { "EBAY_CA", N_("Canada") },
  { "EBAY_FR", N_("France") }, { "EBAY_IT", N_("Italy") }, { "EBAY_ES", N_("Spain") },
  { "EBAY_AT", N_("Austria") }, { "EBAY_BE", N_("Belgium") }, { "EBAY_CH", N_("Switzerland") },
  { "EBAY_IE", N_("Ireland") }, { "EBAY_NL", N_("Netherlands") }, { "EBAY_PL", N_("Poland") },
  { "EBAY_HK", N_("Hong Kong") }, { "EBAY_SG", N_("Singapore") },
  { "EBAY_MOTORS_US", N_("eBay Motors (United States)") },
};

static char *
marketplace_label (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (marketplace_names); i++)
    if (g_str_equal (marketplace_names[i].id, id))
      /* TRANSLATORS: a country or site name, then eBay's marketplace id */
      return g_strdup_printf (_("%s (%s)"), _(marketplace_names[i].name), id);
  return g_strdup (id);
}

static const char steps[] =
  N_("1. Sign in to the eBay Developers Program and open the application keys of a "
     "production keyset.\n"
     "2. Copy its App ID (client ID) and Cert ID (client secret).\n"
     "3. Get a user token for your seller account with the sell.inventory and "
     "sell.fulfillment scopes, and copy its refresh token.\n"
     "OmniStock exchanges the refresh token for access tokens, which last two hours, and "
     "renews them.");

static void
set_busy (OmniEbayWizard *self,
          gboolean        busy)
{
  /* GTK 4.8 warns when a focused text field turns insensitive. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !busy);
}

static void
show_error (OmniEbayWizard *self,
            const char     *message)
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

static const char *
selected_marketplace (OmniEbayWizard *self)
{
  guint position = adw_combo_row_get_selected (self->marketplace_row);
  const char * const *all = omni_ebay_marketplaces ();

  return position < g_strv_length ((char **)all) ? all[position] : NULL;
}

/* Locations (worker) -------------------------------------------------------- */

static void
locations_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  GPtrArray *locations;

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
locations_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OmniEbayWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) locations = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  if (g_cancellable_is_cancelled (self->cancellable))
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

      if (location->is_default)
        selected = i;
      gtk_string_list_append (names, location->name);
      g_array_append_val (self->location_ids, location->id);
    }
  adw_combo_row_set_model (self->location_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->location_row, selected);
}

/* Step 2 ---------------------------------------------------------------- */

static void
test_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;
  OmniEbayAccount *account;

  account = omni_ebay_check_connection (request->credentials, request->marketplace,
                                        request->api_url, cancellable, &error);
  if (account == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, account, (GDestroyNotify)omni_ebay_account_free);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OmniEbayWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniEbayAccount) account = g_task_propagate_pointer (G_TASK (result), &error);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autofree char *market = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  const char *location = adw_combo_row_get_selected_item (self->location_row)
                         ? gtk_string_object_get_string (
                             adw_combo_row_get_selected_item (self->location_row))
                         : "";

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (account == NULL)
    {
      show_error (self, error->message);
      return;
    }

  market = marketplace_label (request->marketplace);
  title = g_strdup_printf (_("eBay %s"), market);
  /* the description is markup; the location's name is text */
  escaped = g_markup_escape_text (location, -1);
  description = g_strdup_printf (ngettext ("The credentials work: %" PRId64 " inventory item "
                                           "on eBay. Listings are linked to your variants by "
                                           "SKU, and eBay will list the available stock of %s.",
                                           "The credentials work: %" PRId64 " inventory items "
                                           "on eBay. Listings are linked to your variants by "
                                           "SKU, and eBay will list the available stock of %s.",
                                           (gulong)account->inventory_items),
                                 account->inventory_items, escaped);
  adw_status_page_set_title (self->summary_page, title);
  adw_status_page_set_description (self->summary_page, description);
  gtk_stack_set_visible_child_name (self->stack, "summary");
  gtk_button_set_label (self->next_button, _("_Connect"));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), TRUE);
}

/* Reads step 1 into a request, or says what is missing. */
static Request *
read_request (OmniEbayWizard *self)
{
  g_autofree char *name = row_text (self->name_row);
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *secret = row_text (self->secret_row);
  g_autofree char *refresh = row_text (self->refresh_row);
  g_autofree char *api_url = row_text (self->api_url_row);
  guint location = adw_combo_row_get_selected (self->location_row);
  Request *request;
  struct { gpointer row; const char *text; const char *missing; } fields[] = {
    { self->name_row, name, N_("Enter a name for the channel.") },
    { self->client_id_row, client_id, N_("Enter the keyset’s client ID (App ID).") },
    { self->secret_row, secret, N_("Enter the keyset’s client secret (Cert ID).") },
    { self->refresh_row, refresh, N_("Enter the seller’s refresh token.") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].text == NULL)
      {
        show_error (self, _(fields[i].missing));
        gtk_widget_grab_focus (GTK_WIDGET (fields[i].row));
        return NULL;
      }
  if (location >= self->location_ids->len)
    {
      show_error (self, _("Choose the location whose stock eBay lists."));
      return NULL;
    }
  if (api_url == NULL && gtk_switch_get_active (self->sandbox_switch))
    api_url = g_strdup (OMNI_EBAY_SANDBOX_URL);
  if (api_url != NULL && !g_str_has_prefix (api_url, "https://") &&
      !g_str_has_prefix (api_url, "http://127.0.0.1") &&
      !g_str_has_prefix (api_url, "http://localhost"))
    {
      show_error (self, _("The API address must start with https:// (plain http only on this computer)."));
      return NULL;
    }

  request = g_new0 (Request, 1);
  request->db_path = g_strdup (self->db_path);
  request->name = g_steal_pointer (&name);
  request->marketplace = g_strdup (selected_marketplace (self));
  request->api_url = g_steal_pointer (&api_url);
  request->location_id = g_array_index (self->location_ids, gint64, location);
  request->credentials = g_new0 (OmniEbayCredentials, 1);
  request->credentials->client_id = g_steal_pointer (&client_id);
  request->credentials->client_secret = g_steal_pointer (&secret);
  request->credentials->refresh_token = g_steal_pointer (&refresh);
  return request;
}

static void
test_connection (OmniEbayWizard *self)
{
  g_autoptr(GTask) task = NULL;
  Request *request = read_request (self);

  if (request == NULL)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  task = g_task_new (NULL, self->cancellable, tested_cb, g_object_ref (self));
  g_task_set_source_tag (task, test_connection);
  g_task_set_task_data (task, request, (GDestroyNotify)request_free);
  g_task_run_in_thread (task, test_thread);
}

/* Connect --------------------------------------------------------------- */

static void
add_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  gint64 id;

  store = omni_store_open (request->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  id = omni_ebay_add_channel (store, request->name, request->marketplace, request->location_id,
                              request->api_url, request->credentials, cancellable, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize)id);
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OmniEbayWizard) self = user_data;
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
  /* GTK 4.8 warns when a focused text field goes away with its window. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
connect_channel (OmniEbayWizard *self)
{
  g_autoptr(GTask) task = NULL;
  Request *request = read_request (self);

  if (request == NULL)
    return;
  set_busy (self, TRUE);
  task = g_task_new (NULL, self->cancellable, added_cb, g_object_ref (self));
  g_task_set_source_tag (task, connect_channel);
  g_task_set_task_data (task, request, (GDestroyNotify)request_free);
  g_task_run_in_thread (task, add_thread);
}

static void
next_clicked_cb (GtkButton      *button,
                 OmniEbayWizard *self)
{
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "details"))
    test_connection (self);
  else
    connect_channel (self);
}

static void
back_clicked_cb (GtkButton      *button,
                 OmniEbayWizard *self)
{
  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "details");
  gtk_button_set_label (self->next_button, _("_Test Connection"));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
}

static void
cancel_clicked_cb (GtkButton      *button,
                   OmniEbayWizard *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

/* Building -------------------------------------------------------------- */

static AdwEntryRow *
entry_row (AdwPreferencesGroup *group,
           GtkWidget           *row,
           const char          *title)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, row);
  return ADW_ENTRY_ROW (row);
}

static GtkWidget *
build_details (OmniEbayWizard *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group;
  GtkWidget *advanced;
  GtkWidget *sandbox_row;
  GtkWidget *label;
  g_autoptr(GtkStringList) markets = gtk_string_list_new (NULL);
  const char * const *ids = omni_ebay_marketplaces ();

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Channel"));
  self->name_row = entry_row (ADW_PREFERENCES_GROUP (group), adw_entry_row_new (), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), _("eBay"));
  self->marketplace_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->marketplace_row), _("Marketplace"));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *shown = marketplace_label (ids[i]);

      gtk_string_list_append (markets, shown);
    }
  adw_combo_row_set_model (self->marketplace_row, G_LIST_MODEL (markets));
  adw_combo_row_set_use_subtitle (self->marketplace_row, TRUE);
  adw_combo_row_set_selected (self->marketplace_row, 1);      /* EBAY_GB */
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->marketplace_row));
  self->location_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->location_row), _("Stock from"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->location_row),
                               _("The location whose available stock eBay lists"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->location_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("eBay Keyset and Token"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Kept only in your keyring."));
  self->client_id_row = entry_row (ADW_PREFERENCES_GROUP (group), adw_entry_row_new (),
                                   _("Client ID (App ID)"));
  self->secret_row = ADW_PASSWORD_ENTRY_ROW (
    entry_row (ADW_PREFERENCES_GROUP (group), adw_password_entry_row_new (),
               _("Client secret (Cert ID)")));
  self->refresh_row = ADW_PASSWORD_ENTRY_ROW (
    entry_row (ADW_PREFERENCES_GROUP (group), adw_password_entry_row_new (),
               _("Refresh token")));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Steps on eBay"));
  label = gtk_label_new (_(steps));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), label);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  advanced = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (advanced), _("Advanced"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (advanced), _("For eBay’s sandbox and tests"));
  sandbox_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sandbox_row), _("Use eBay’s sandbox"));
  self->sandbox_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->sandbox_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (sandbox_row), GTK_WIDGET (self->sandbox_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (sandbox_row),
                                         GTK_WIDGET (self->sandbox_switch));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (advanced), sandbox_row);
  self->api_url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->api_url_row),
                                 _("API address instead of eBay’s"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (advanced), GTK_WIDGET (self->api_url_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), advanced);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  return page;
}

static GtkWidget *
build_summary (OmniEbayWizard *self)
{
  self->summary_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->summary_page, "emblem-ok-symbolic");
  return GTK_WIDGET (self->summary_page);
}

static void
omni_ebay_wizard_dispose (GObject *object)
{
  OmniEbayWizard *self = OMNI_EBAY_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (omni_ebay_wizard_parent_class)->dispose (object);
}

static void
omni_ebay_wizard_finalize (GObject *object)
{
  OmniEbayWizard *self = OMNI_EBAY_WIZARD (object);

  g_clear_object (&self->cancellable);
  g_array_unref (self->location_ids);
  g_free (self->db_path);
  G_OBJECT_CLASS (omni_ebay_wizard_parent_class)->finalize (object);
}

static void
omni_ebay_wizard_class_init (OmniEbayWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_ebay_wizard_dispose;
  object_class->finalize = omni_ebay_wizard_finalize;

  /**
   * OmniEbayWizard::connected:
   * @channel_id: the new channel
   *
   * The channel was added and its credentials stored.
   */
  signals[CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
omni_ebay_wizard_init (OmniEbayWizard *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));

  self->cancellable = g_cancellable_new ();
  self->location_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_window_set_title (GTK_WINDOW (self), _("Connect eBay"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  self->back_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Back")));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), GTK_WIDGET (self->back_button));
  g_signal_connect (self->back_button, "clicked", G_CALLBACK (back_clicked_cb), self);

  self->next_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Test Connection")));
  gtk_widget_add_css_class (GTK_WIDGET (self->next_button), "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->next_button));
  g_signal_connect (self->next_button, "clicked", G_CALLBACK (next_clicked_cb), self);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (box), header);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->error_label), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->error_label), 18);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Connection error"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, build_details (self), "details");
  gtk_stack_add_named (self->stack, build_summary (self), "summary");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * omni_ebay_wizard_new:
 * @parent: the window it belongs to
 * @db_path: the database the channel is added to
 */
OmniEbayWizard *
omni_ebay_wizard_new (GtkWindow  *parent,
                      const char *db_path)
{
  OmniEbayWizard *self = g_object_new (OMNI_TYPE_EBAY_WIZARD,
                                       "transient-for", parent,
                                       NULL);
  g_autoptr(GTask) task = NULL;

  self->db_path = g_strdup (db_path);
  task = g_task_new (NULL, self->cancellable, locations_cb, g_object_ref (self));
  g_task_set_source_tag (task, omni_ebay_wizard_new);
  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_task_run_in_thread (task, locations_thread);
  return self;
}
