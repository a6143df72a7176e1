/* omni-channel-wizard.c: connecting a Shopify shop, step by step
 *
 * Step 1 asks for the shop address and how OmniStock signs in (an app made
 * in Shopify's Dev Dashboard — client ID and secret — or a legacy custom
 * app's Admin API access token), with the scopes to grant. "Test" runs the
 * connection test on a worker; step 2 shows the shop's name and currency
 * and lets the merchant choose, for each Shopify location, the local
 * location it syncs with (or a new one, or none). "Connect" stores the
 * credential in the keyring, adds the channel and saves that mapping; step 3
 * runs the first sync with its progress and result. The window emits
 * ::connected once that sync has ended and closes on "Done". Nothing blocks
 * the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-channels"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-channel-wizard.h"
#include "omni-channels-worker.h"
#include "omni-location-map-dialog.h"
#include "omni-store-inventory.h"

struct _OmniChannelWizard
{
  AdwWindow           parent_instance;

  char               *db_path;
  GCancellable       *cancellable;
  OmniChannelConnect *tested;

  GtkStack           *stack;
  GtkButton          *next_button;
  GtkButton          *back_button;
  GtkSpinner         *spinner;
  AdwEntryRow        *shop_row;
  GtkCheckButton     *app_check;
  GtkCheckButton     *token_check;
  AdwEntryRow        *client_id_row;
  AdwPasswordEntryRow *secret_row;
  AdwEntryRow        *api_url_row;
  GtkLabel           *error_label;
  GtkLabel           *steps_label;
  AdwStatusPage      *summary_page;
  GtkListBox         *locations_list;

  GPtrArray          *locals;       /* OmniLocation: what the mapping offers */
  GPtrArray          *map_rows;     /* one combo row per Shopify location */
  GPtrArray          *choices;      /* OmniLocationChoice, kept at Connect */
  gint64              channel_id;
  GtkWidget          *cancel_button;
  AdwStatusPage      *sync_page;
  GtkProgressBar     *progress;
  guint               pulse_id;
};

G_DEFINE_FINAL_TYPE (OmniChannelWizard, omni_channel_wizard, ADW_TYPE_WINDOW)

enum { CONNECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char app_steps[] =
  N_("1. Open the Shopify Dev Dashboard and create an app.\n"
     "2. Give it these Admin API scopes: read_products, write_products, read_inventory, "
     "write_inventory, read_locations and read_orders.\n"
     "3. Install the app on this shop.\n"
     "4. Copy the app’s client ID and client secret below.\n"
     "OmniStock exchanges them for an access token that lasts about a day, and renews it.");

static const char token_steps[] =
  N_("1. In the shop’s admin, open the custom app created before 2026.\n"
     "2. Check that its Admin API scopes include read_products, write_products, "
     "read_inventory, write_inventory, read_locations and read_orders.\n"
     "3. Copy its Admin API access token below.");

static void
set_busy (OmniChannelWizard *self,
          gboolean           busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !busy);
}

static void
show_error (OmniChannelWizard *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_mode (OmniChannelWizard *self)
{
  gboolean app = gtk_check_button_get_active (self->app_check);

  gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), app);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 app ? _("Client secret") : _("Admin API access token"));
  gtk_label_set_text (self->steps_label, app ? _(app_steps) : _(token_steps));
}

static void
mode_toggled_cb (GtkCheckButton    *button,
                 OmniChannelWizard *self)
{
  update_mode (self);
}

static char *
row_text (gpointer row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

/* Step 2 ---------------------------------------------------------------- */

static void
locals_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OmniChannelWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *locals = omni_location_map_load_locals_finish (result, &error);

  if (locals == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->locals, g_ptr_array_unref);
  self->locals = locals;
}

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
}

static gboolean
is_taken (GArray *taken,
          gint64  id)
{
  for (guint k = 0; k < taken->len; k++)
    if (g_array_index (taken, gint64, k) == id)
      return TRUE;
  return FALSE;
}

/* A free local location named like @remote_name, else (with @fallback) the
 * default location if free; 0 otherwise. */
static gint64
propose (OmniChannelWizard *self,
         const char        *remote_name,
         GArray            *taken,
         gboolean           fallback)
{
  for (guint i = 0; self->locals != NULL && i < self->locals->len; i++)
    {
      OmniLocation *l = self->locals->pdata[i];

      if (!l->archived && !is_taken (taken, l->id) && same_name (l->name, remote_name))
        return l->id;
    }
  for (guint i = 0; fallback && self->locals != NULL && i < self->locals->len; i++)
    {
      OmniLocation *l = self->locals->pdata[i];

      if (!l->archived && l->is_default && !is_taken (taken, l->id))
        return l->id;
    }
  return 0;
}

/* The proposal: a local location of the same name; else the first Shopify
 * location left takes the default local location; the others are not
 * synced until the merchant says where. */
static void
add_mapping_rows (OmniChannelWizard     *self,
                  const OmniShopifyShop *shop)
{
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < shop->locations->len; i++)
    {
      gint64 id = propose (self, shop->locations->pdata[i], taken, FALSE);

      g_array_append_val (chosen, id);
      if (id > 0)
        g_array_append_val (taken, id);
    }
  for (guint i = 0; i < shop->locations->len; i++)
    {
      GtkWidget *row;

      if (g_array_index (chosen, gint64, i) == 0)
        {
          gint64 id = propose (self, shop->locations->pdata[i], taken, TRUE);

          g_array_index (chosen, gint64, i) = id;
          if (id > 0)
            g_array_append_val (taken, id);
        }
      row = omni_location_map_row_new (shop->location_ids->pdata[i], shop->locations->pdata[i],
                                       self->locals, g_array_index (chosen, gint64, i));
      gtk_list_box_append (self->locations_list, row);
      g_ptr_array_add (self->map_rows, row);
    }
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OmniChannelWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniShopifyShop) shop = omni_channels_test_finish (result, &error);
  g_autofree char *description = NULL;
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (shop == NULL)
    {
      show_error (self, error->message);
      g_clear_pointer (&self->tested, omni_channel_connect_free);
      return;
    }

  adw_status_page_set_title (self->summary_page, shop->name ? shop->name : self->tested->shop);
  /* a status page's description is markup; the shop's answers are text */
  description = g_markup_printf_escaped (_("%s · currency %s\nChoose where each Shopify location "
                                           "keeps its stock here: one of your locations, a new "
                                           "one, or none. You can change it later from the "
                                           "channel’s row."),
                                         self->tested->shop, shop->currency ? shop->currency : "?");
  adw_status_page_set_description (self->summary_page, description);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->locations_list))) != NULL)
    gtk_list_box_remove (self->locations_list, child);
  g_ptr_array_set_size (self->map_rows, 0);
  add_mapping_rows (self, shop);

  gtk_stack_set_visible_child_name (self->stack, "summary");
  gtk_button_set_label (self->next_button, _("_Connect"));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), TRUE);
}

static void
test_connection (OmniChannelWizard *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shop_text = row_text (self->shop_row);
  g_autofree char *shop = omni_shopify_normalize_shop (shop_text, &error);
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));
  g_autofree char *api_url = row_text (self->api_url_row);
  gboolean app = gtk_check_button_get_active (self->app_check);

  if (shop == NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->shop_row));
      return;
    }
  if (app && client_id == NULL)
    {
      show_error (self, _("Enter the app’s client ID."));
      gtk_widget_grab_focus (GTK_WIDGET (self->client_id_row));
      return;
    }
  g_strstrip (secret);
  if (*secret == '\0')
    {
      show_error (self, app ? _("Enter the app’s client secret.")
                            : _("Enter the Admin API access token."));
      gtk_widget_grab_focus (GTK_WIDGET (self->secret_row));
      return;
    }
  if (api_url != NULL && !g_str_has_prefix (api_url, "https://") &&
      !g_str_has_prefix (api_url, "http://127.0.0.1") &&
      !g_str_has_prefix (api_url, "http://localhost"))
    {
      show_error (self, _("The API address must start with https:// (plain http only on this computer)."));
      return;
    }

  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->shop_row), shop);
  g_clear_pointer (&self->tested, omni_channel_connect_free);
  self->tested = g_new0 (OmniChannelConnect, 1);
  self->tested->db_path = g_strdup (self->db_path);
  self->tested->shop = g_steal_pointer (&shop);
  self->tested->api_url = g_steal_pointer (&api_url);
  self->tested->client_id = app ? g_steal_pointer (&client_id) : NULL;
  self->tested->credential = g_steal_pointer (&secret);

  set_busy (self, TRUE);
  omni_channels_test_async (self->tested, self->cancellable, tested_cb, g_object_ref (self));
}

/* Step 3: the first sync ------------------------------------------------- */

static gboolean
pulse_cb (gpointer data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (data));
  return G_SOURCE_CONTINUE;
}

static void
sync_step_done (OmniChannelWizard *self,
                gboolean           ok,
                const char        *message)
{
  g_autofree char *escaped = NULL;

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_progress_bar_set_fraction (self->progress, ok ? 1.0 : 0.0);
  gtk_progress_bar_set_text (self->progress, ok ? _("Done") : _("Stopped"));
  adw_status_page_set_icon_name (self->sync_page, ok ? "emblem-ok-symbolic"
                                                     : "dialog-warning-symbolic");
  adw_status_page_set_title (self->sync_page, ok ? _("Connected and Synced")
                                                 : _("Connected, First Sync Failed"));
  escaped = g_markup_escape_text (message, -1);
  adw_status_page_set_description (self->sync_page, escaped);
  gtk_button_set_label (self->next_button, _("_Done"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), TRUE);
  /* The page refreshes; the channel's row says the rest. */
  g_signal_emit (self, signals[CONNECTED], 0, self->channel_id);
}

static void
first_synced_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OmniChannelWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  OmniSyncStats stats = { 0 };

  if (!omni_channels_sync_finish (result, &stats, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("%s\nThe channel is kept: sync it again from its row."),
                              error->message);
      sync_step_done (self, FALSE, text);
      return;
    }
  text = g_strdup_printf (_("%" PRId64 " Shopify variants read: %" PRId64 " linked to yours, "
                            "%" PRId64 " without a match (link or import them later). %" PRId64
                            " stock levels and %" PRId64 " orders taken in, %" PRId64
                            " quantities pushed."),
                          (gint64)stats.variants, (gint64)stats.linked, (gint64)stats.unmatched,
                          (gint64)stats.levels, (gint64)stats.orders, (gint64)stats.pushed);
  sync_step_done (self, TRUE, text);
}

static void
mapped_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OmniChannelWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!omni_location_map_apply_finish (result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The locations could not be mapped: %s\nChoose them from the "
                                "channel’s row, then sync."), error->message);
      sync_step_done (self, FALSE, text);
      return;
    }
  gtk_progress_bar_set_text (self->progress,
                             _("Reading products, stock levels and orders from Shopify…"));
  omni_channels_sync_async (self->db_path, self->channel_id, self->cancellable,
                            first_synced_cb, g_object_ref (self));
}

static void
start_sync_step (OmniChannelWizard *self)
{
  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "sync");
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);
  gtk_progress_bar_set_text (self->progress, _("Saving the location mapping…"));
  self->pulse_id = g_timeout_add (120, pulse_cb, self->progress);
  omni_location_map_apply_async (self->db_path, self->channel_id, self->choices,
                                 self->cancellable, mapped_cb, g_object_ref (self));
}

/* Connect --------------------------------------------------------------- */

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OmniChannelWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = omni_channels_add_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (id == 0)
    {
      show_error (self, error->message);
      return;
    }
  self->channel_id = id;
  start_sync_step (self);
}

static void
next_clicked_cb (GtkButton         *button,
                 OmniChannelWizard *self)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "details"))
    {
      test_connection (self);
      return;
    }
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "sync"))
    {
      /* GTK 4.8 warns when a focused text field goes away with its window. */
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  g_ptr_array_set_size (self->choices, 0);
  for (guint i = 0; i < self->map_rows->len; i++)
    g_ptr_array_add (self->choices, omni_location_map_row_get_choice (self->map_rows->pdata[i]));
  if (!omni_location_map_check (self->choices, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  omni_channels_add_async (self->tested, self->cancellable, added_cb, g_object_ref (self));
}

static void
back_clicked_cb (GtkButton         *button,
                 OmniChannelWizard *self)
{
  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "details");
  gtk_button_set_label (self->next_button, _("_Test Connection"));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
}

static void
cancel_clicked_cb (GtkButton         *button,
                   OmniChannelWizard *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

/* Building -------------------------------------------------------------- */

static GtkWidget *
radio_row (const char      *title,
           const char      *subtitle,
           GtkCheckButton **check_out,
           GtkCheckButton  *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  *check_out = GTK_CHECK_BUTTON (check);
  return row;
}

static GtkWidget *
build_details (OmniChannelWizard *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group;
  GtkWidget *advanced;

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Shop"));
  self->shop_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->shop_row),
                                 _("Shop address (NAME.myshopify.com)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->shop_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("How OmniStock Signs In"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             radio_row (_("App from the Dev Dashboard"),
                                        _("Client ID and secret — how new shops connect"),
                                        &self->app_check, NULL));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             radio_row (_("Admin API access token"),
                                        _("From a custom app made in the shop admin before 2026"),
                                        &self->token_check, self->app_check));
  gtk_check_button_set_active (self->app_check, TRUE);
  g_signal_connect (self->app_check, "toggled", G_CALLBACK (mode_toggled_cb), self);

  self->client_id_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_id_row), _("Client ID"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->client_id_row));
  self->secret_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->secret_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Steps in Shopify"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("The credential is kept only in your keyring."));
  self->steps_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->steps_label, TRUE);
  gtk_label_set_xalign (self->steps_label, 0);
  gtk_label_set_selectable (self->steps_label, TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->steps_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  advanced = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (advanced), _("Advanced"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (advanced), _("For development stores and sandboxes"));
  self->api_url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->api_url_row),
                                 _("API address instead of https://SHOP"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (advanced), GTK_WIDGET (self->api_url_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), advanced);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  return page;
}

static GtkWidget *
build_summary (OmniChannelWizard *self)
{
  GtkWidget *clamp = adw_clamp_new ();

  self->summary_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->summary_page, "emblem-ok-symbolic");
  self->locations_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->locations_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->locations_list), "boxed-list");
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->locations_list));
  adw_status_page_set_child (self->summary_page, clamp);
  return GTK_WIDGET (self->summary_page);
}

static GtkWidget *
build_sync (OmniChannelWizard *self)
{
  GtkWidget *clamp = adw_clamp_new ();

  self->sync_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->sync_page, "emblem-synchronizing-symbolic");
  adw_status_page_set_title (self->sync_page, _("First Sync"));
  adw_status_page_set_description (self->sync_page,
                                   _("Shopify’s products are linked to yours by SKU, then "
                                     "barcode; stock levels and recent orders follow."));
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_progress_bar_set_pulse_step (self->progress, 0.08);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 420);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->progress));
  adw_status_page_set_child (self->sync_page, clamp);
  return GTK_WIDGET (self->sync_page);
}

static void
omni_channel_wizard_dispose (GObject *object)
{
  OmniChannelWizard *self = OMNI_CHANNEL_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  G_OBJECT_CLASS (omni_channel_wizard_parent_class)->dispose (object);
}

static void
omni_channel_wizard_finalize (GObject *object)
{
  OmniChannelWizard *self = OMNI_CHANNEL_WIZARD (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->tested, omni_channel_connect_free);
  g_clear_pointer (&self->locals, g_ptr_array_unref);
  g_clear_pointer (&self->map_rows, g_ptr_array_unref);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_free (self->db_path);
  G_OBJECT_CLASS (omni_channel_wizard_parent_class)->finalize (object);
}

static void
omni_channel_wizard_class_init (OmniChannelWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_channel_wizard_dispose;
  object_class->finalize = omni_channel_wizard_finalize;

  /**
   * OmniChannelWizard::connected:
   * @channel_id: the new channel
   *
   * The channel was added, its credential stored and its first sync
   * ended (the wizard ran it).
   */
  signals[CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
omni_channel_wizard_init (OmniChannelWizard *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));

  self->cancellable = g_cancellable_new ();
  self->map_rows = g_ptr_array_new ();
  self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_location_choice_free);
  self->cancel_button = cancel;
  gtk_window_set_title (GTK_WINDOW (self), _("Connect Shopify"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 680);
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
  gtk_stack_add_named (self->stack, build_sync (self), "sync");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  adw_window_set_content (ADW_WINDOW (self), box);
  update_mode (self);
}

/**
 * omni_channel_wizard_new:
 * @parent: the window it belongs to
 * @db_path: the database the channel is added to
 */
OmniChannelWizard *
omni_channel_wizard_new (GtkWindow  *parent,
                         const char *db_path)
{
  OmniChannelWizard *self = g_object_new (OMNI_TYPE_CHANNEL_WIZARD,
                                          "transient-for", parent,
                                          NULL);

  self->db_path = g_strdup (db_path);
  omni_location_map_load_locals_async (db_path, self->cancellable, locals_loaded_cb,
                                       g_object_ref (self));
  return self;
}
