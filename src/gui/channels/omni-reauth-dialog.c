/* omni-reauth-dialog.c: new credentials for a stopped channel
 *
 * A channel whose platform refused its credentials (401/403: a revoked or
 * expired token, an uninstalled app) is stopped in state "auth_failed"; its
 * row offers "Re-authenticate…", which opens this dialog with the fields of
 * its platform: for Shopify a Dev Dashboard app's client ID and secret or a
 * legacy Admin API access token, for Amazon and eBay the client ID, client
 * secret and refresh token of the seller's app. "Re-authenticate" tests
 * them on a worker (omni_channel_reauthenticate()); only credentials that
 * work replace the keyring secret and set the channel back to connected.
 * The dialog then emits ::reauthenticated and closes; the page syncs the
 * channel. A refusal is shown in words and changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-channels"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "omni-channel-reauth.h"
#include "omni-reauth-dialog.h"

struct _OmniReauthDialog
{
  AdwWindow            parent_instance;

  char                *db_path;
  gint64               channel_id;
  gboolean             shopify;
  GCancellable        *cancellable;

  GtkWidget           *reauth_button;
  GtkSpinner          *spinner;
  GtkLabel            *error_label;
  AdwPreferencesGroup *group;
  GtkCheckButton      *app_check;
  GtkCheckButton      *token_check;
  AdwEntryRow         *client_id_row;
  AdwPasswordEntryRow *secret_row;
  AdwPasswordEntryRow *refresh_row;
};

G_DEFINE_FINAL_TYPE (OmniReauthDialog, omni_reauth_dialog, ADW_TYPE_WINDOW)

enum { REAUTHENTICATED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct
{
  char   *db_path;
  gint64  channel_id;
  char   *client_id;
  char   *credential;
} ReauthJob;

static void
wipe (char *text)
{
  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}

static void
reauth_job_free (ReauthJob *job)
{
  g_free (job->db_path);
  g_free (job->client_id);
  wipe (job->credential);
  g_free (job);
}

static void
reauth_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReauthJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;

  store = omni_store_open (job->db_path, &error);
  if (store == NULL ||
      !omni_channel_reauthenticate (store, job->channel_id, job->client_id, job->credential,
                                    cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
show_error (OmniReauthDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (OmniReauthDialog *self,
          gboolean          busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->reauth_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->group), !busy);
}

static char *
row_text (gpointer row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

static void
reauthenticated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OmniReauthDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      if (g_error_matches (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH))
        {
          g_autofree char *text = g_strdup_printf (_("These credentials do not work either, "
                                                     "and nothing was changed. %s"),
                                                   error->message);

          show_error (self, text);
        }
      else
        show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[REAUTHENTICATED], 0, self->channel_id);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Amazon and eBay keep their three fields as one JSON object. */
static char *
credentials_json (const char *client_id,
                  const char *client_secret,
                  const char *refresh_token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, client_id);
  json_builder_set_member_name (builder, "client_secret");
  json_builder_add_string_value (builder, client_secret);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, refresh_token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
reauth_clicked_cb (GtkButton        *button,
                   OmniReauthDialog *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *client_id = row_text (self->client_id_row);
  char *secret = row_text (self->secret_row);
  char *refresh = self->refresh_row ? row_text (self->refresh_row) : NULL;
  gboolean app = self->shopify && gtk_check_button_get_active (self->app_check);
  ReauthJob *job;

  if ((app || !self->shopify) && client_id == NULL)
    {
      show_error (self, _("Enter the app’s client ID."));
      gtk_widget_grab_focus (GTK_WIDGET (self->client_id_row));
      goto out;
    }
  if (secret == NULL)
    {
      show_error (self, self->shopify && !app ? _("Enter the Admin API access token.")
                                              : _("Enter the app’s client secret."));
      gtk_widget_grab_focus (GTK_WIDGET (self->secret_row));
      goto out;
    }
  if (!self->shopify && refresh == NULL)
    {
      show_error (self, _("Enter the refresh token."));
      gtk_widget_grab_focus (GTK_WIDGET (self->refresh_row));
      goto out;
    }

  show_error (self, NULL);
  job = g_new0 (ReauthJob, 1);
  job->db_path = g_strdup (self->db_path);
  job->channel_id = self->channel_id;
  if (self->shopify)
    {
      job->client_id = app ? g_steal_pointer (&client_id) : NULL;
      job->credential = g_steal_pointer (&secret);
    }
  else
    job->credential = credentials_json (client_id, secret, refresh);
  set_busy (self, TRUE);
  task = g_task_new (NULL, self->cancellable, reauthenticated_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify)reauth_job_free);
  g_task_run_in_thread (task, reauth_thread);

out:
  wipe (secret);
  wipe (refresh);
}

static void
cancel_clicked_cb (GtkButton        *button,
                   OmniReauthDialog *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
update_mode (OmniReauthDialog *self)
{
  gboolean app = gtk_check_button_get_active (self->app_check);

  gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), app);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 app ? _("Client secret") : _("Admin API access token"));
}

static void
mode_toggled_cb (GtkCheckButton   *button,
                 OmniReauthDialog *self)
{
  update_mode (self);
}

static GtkWidget *
radio_row (const char      *title,
           GtkCheckButton **check_out,
           GtkCheckButton  *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  *check_out = GTK_CHECK_BUTTON (check);
  return row;
}

/* The fields of @platform's credentials. */
static void
build_fields (OmniReauthDialog *self,
              const char       *platform)
{
  self->shopify = g_strcmp0 (platform, "shopify") == 0;
  if (self->shopify)
    {
      adw_preferences_group_add (self->group,
                                 radio_row (_("App from the Dev Dashboard"), &self->app_check, NULL));
      adw_preferences_group_add (self->group,
                                 radio_row (_("Admin API access token"), &self->token_check,
                                            self->app_check));
      gtk_check_button_set_active (self->app_check, TRUE);
      g_signal_connect (self->app_check, "toggled", G_CALLBACK (mode_toggled_cb), self);
    }
  self->client_id_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_id_row), _("Client ID"));
  adw_preferences_group_add (self->group, GTK_WIDGET (self->client_id_row));
  self->secret_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row), _("Client secret"));
  adw_preferences_group_add (self->group, GTK_WIDGET (self->secret_row));
  if (self->shopify)
    update_mode (self);
  else
    {
      self->refresh_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->refresh_row), _("Refresh token"));
      adw_preferences_group_add (self->group, GTK_WIDGET (self->refresh_row));
    }
}

static void
omni_reauth_dialog_dispose (GObject *object)
{
  OmniReauthDialog *self = OMNI_REAUTH_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (omni_reauth_dialog_parent_class)->dispose (object);
}

static void
omni_reauth_dialog_finalize (GObject *object)
{
  OmniReauthDialog *self = OMNI_REAUTH_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->db_path);
  G_OBJECT_CLASS (omni_reauth_dialog_parent_class)->finalize (object);
}

static void
omni_reauth_dialog_class_init (OmniReauthDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_reauth_dialog_dispose;
  object_class->finalize = omni_reauth_dialog_finalize;

  /**
   * OmniReauthDialog::reauthenticated:
   * @channel_id: the channel, connected again
   *
   * The new credentials work and are in the keyring.
   */
  signals[REAUTHENTICATED] = g_signal_new ("reauthenticated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
omni_reauth_dialog_init (OmniReauthDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Re-authenticate Channel"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 520);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  self->reauth_button = gtk_button_new_with_mnemonic (_("_Re-authenticate"));
  gtk_widget_add_css_class (self->reauth_button, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->reauth_button);
  g_signal_connect (self->reauth_button, "clicked", G_CALLBACK (reauth_clicked_cb), self);
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
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Re-authentication error"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * omni_reauth_dialog_preset:
 * @settings_json: (nullable): the channel's settings
 *
 * Starts from how the channel signed in so far: for Shopify, a legacy
 * access token or the Dev Dashboard app (its client ID filled in).
 */
void
omni_reauth_dialog_preset (OmniReauthDialog *self,
                           const char       *settings_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *settings;
  const char *client_id = NULL;

  g_return_if_fail (OMNI_IS_REAUTH_DIALOG (self));

  if (!self->shopify || settings_json == NULL ||
      !json_parser_load_from_data (parser, settings_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  settings = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (settings, "auth", ""), "token") == 0)
    {
      gtk_check_button_set_active (self->token_check, TRUE);
      return;
    }
  client_id = json_object_get_string_member_with_default (settings, "client_id", NULL);
  if (client_id != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
}

/**
 * omni_reauth_dialog_new:
 * @parent: the window it belongs to
 * @db_path: the database
 * @channel_id: the stopped channel
 * @platform: its platform, which decides the fields
 * @channel_name: shown in the explanation
 */
OmniReauthDialog *
omni_reauth_dialog_new (GtkWindow  *parent,
                        const char *db_path,
                        gint64      channel_id,
                        const char *platform,
                        const char *channel_name)
{
  OmniReauthDialog *self = g_object_new (OMNI_TYPE_REAUTH_DIALOG,
                                         "transient-for", parent,
                                         NULL);
  g_autofree char *title = NULL;

  self->db_path = g_strdup (db_path);
  self->channel_id = channel_id;
  /* a group's title is markup; the channel's name is text */
  title = g_markup_printf_escaped (_("New Credentials for %s"), channel_name);
  adw_preferences_group_set_title (self->group, title);
  adw_preferences_group_set_description (self->group,
                                         _("The platform refused the channel’s credentials: the "
                                           "token was revoked or expired, or the app was "
                                           "uninstalled. Enter new ones; they are tested first "
                                           "and replace the old ones in your keyring only if "
                                           "they work. Nothing waiting to be pushed is lost."));
  build_fields (self, platform);
  return self;
}
