/* omni-channels-page.c: the Sales Channels page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per connected channel with its state in words (connected,
 * syncing, stopped for re-authentication, last error), the last sync time,
 * linked variants and pending pushes, a Sync Now button, Locations… (which
 * remote location syncs with which local one) and Remove; a channel stopped
 * because its credentials were refused offers Re-authenticate… instead of
 * Sync Now, and syncs as soon as new credentials work. The connection
 * wizards add channels (the Shopify one runs the first sync itself; the
 * others' first sync starts here at once). Loading, syncing and removing run on
 * workers (channels/omni-channels-worker.c), and so do the scheduled syncs
 * (every sync-interval minutes, held while the network is down).
 */
#define G_LOG_DOMAIN "omni-channels-page"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-channel-settings.h"
#include "omni-channel-settings-dialog.h"
#include "omni-channel-wizard.h"
#include "omni-amazon-wizard.h"
#include "omni-ebay-wizard.h"
#include "omni-channels-page.h"
#include "omni-channels-page-private.h"
#include "omni-channels-worker.h"
#include "omni-drift-view.h"
#include "omni-location-map-dialog.h"
#include "omni-reauth-dialog.h"
#include "omni-unmatched-dialog.h"
#include "omni-notifier.h"

struct _OmniChannelsPage
{
  OmniPage      parent_instance;

  GtkStack     *stack;
  GtkListBox   *channels_list;
  GCancellable *cancellable;
  GHashTable   *syncing;        /* channel id → GINT_TO_POINTER (1) */
  GHashTable   *sync_errors;    /* channel id → last sync error of this session */
  GHashTable   *failures;       /* channel id → failed syncs in a row */
  gulong        changed_id;
  GArray       *due;            /* ids of channels the scheduler may sync */
  GHashTable   *intervals;      /* channel id → its own sync interval in minutes, 0: default */
  GHashTable   *last_run;       /* channel id → monotonic time its last sync started */
  guint         timer_id;
  gboolean      missed;         /* a scheduled sync found the network down */
  GNetworkMonitor *monitor;
  guint         tick_ms;        /* how often the scheduler looks: a minute */
  gint64        minute_us;      /* what an interval's minute lasts */
};

G_DEFINE_FINAL_TYPE (OmniChannelsPage, omni_channels_page, OMNI_TYPE_PAGE)

/* Failed syncs in a row (not authentication) before a notification. */
#define OMNI_CHANNELS_REPEATED_FAILURES 3

static void reload (OmniChannelsPage *self);
static void start_sync (OmniChannelsPage *self, gint64 channel_id);
static void notify_sync_result (OmniChannelsPage *self, gint64 id, const GError *error);

static const char *
db_path (OmniChannelsPage *self)
{
  return omni_store_get_path (omni_context_get_store (omni_page_get_context (OMNI_PAGE (self))));
}

static gint64 *
id_key (gint64 id)
{
  gint64 *key = g_new (gint64, 1);

  *key = id;
  return key;
}

static char *
describe (OmniChannelsPage  *self,
          const OmniChannel *c,
          const char       **icon)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *session_error = g_hash_table_lookup (self->sync_errors, &c->id);

  if (g_hash_table_contains (self->syncing, &c->id))
    {
      *icon = "emblem-synchronizing-symbolic";
      g_string_append (text, _("Syncing…"));
    }
  else if (c->paused)
    {
      *icon = "media-playback-pause-symbolic";
      g_string_append (text, _("Paused: changes wait here until you resume the channel"));
    }
  else if (g_strcmp0 (c->state, "auth_failed") == 0)
    {
      *icon = "dialog-password-symbolic";
      g_string_append (text, _("Stopped: the platform refused the credentials. "
                               "Re-authenticate to sync again."));
    }
  else if (g_strcmp0 (c->state, "error") == 0 || session_error != NULL)
    {
      *icon = "dialog-warning-symbolic";
      g_string_append_printf (text, _("Last sync failed: %s"),
                              session_error ? session_error : c->last_error);
    }
  else if (c->last_sync_at == NULL)
    {
      *icon = "network-transmit-receive-symbolic";
      g_string_append (text, _("Connected, not synced yet"));
    }
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (c->last_sync_at, NULL);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%x %X") : g_strdup (c->last_sync_at);

      *icon = "emblem-ok-symbolic";
      g_string_append_printf (text, _("Connected · last sync %s"), when);
    }

  g_string_append_c (text, '\n');
  if (g_strcmp0 (c->name, c->account) != 0)
    g_string_append_printf (text, "%s · ", c->account);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " linked variant",
                                             "%" PRId64 " linked variants", c->links),
                          c->links);
  if (c->pending > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%" PRId64 " quantity to push",
                                                 "%" PRId64 " quantities to push",
                                                 c->pending),
                              c->pending);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Actions --------------------------------------------------------------- */

typedef struct
{
  OmniChannelsPage *self;
  gint64            id;
} SyncJob;

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree SyncJob *job = user_data;
  g_autoptr(OmniChannelsPage) self = job->self;
  g_autoptr(GError) error = NULL;
  gint64 id = job->id;
  OmniSyncStats stats;

  if (!omni_channels_sync_finish (result, &stats, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_hash_table_remove (self->syncing, &id);
  if (error != NULL)
    g_hash_table_insert (self->sync_errors, id_key (id), g_strdup (error->message));
  else
    g_hash_table_remove (self->sync_errors, &id);

  notify_sync_result (self, id, error);
  /* Orders and first-sync quantities changed the stock: every page refreshes. */
  omni_context_store_changed (omni_page_get_context (OMNI_PAGE (self)));
}

/* Notifications: one per problem, withdrawn once it is resolved. */
static void
notify_sync_result (OmniChannelsPage *self,
                    gint64            id,
                    const GError     *error)
{
  g_autofree char *auth_id = g_strdup_printf ("channel-auth-%" G_GINT64_FORMAT, id);
  g_autofree char *errors_id = g_strdup_printf ("channel-errors-%" G_GINT64_FORMAT, id);
  guint failures;

  if (error == NULL)
    {
      g_hash_table_remove (self->failures, &id);
      omni_notifier_withdraw (auth_id);
      omni_notifier_withdraw (errors_id);
      return;
    }
  if (g_error_matches (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH))
    {
      omni_notifier_raise (auth_id, _("A Sales Channel Stopped Syncing"), error->message);
      return;
    }
  failures = GPOINTER_TO_UINT (g_hash_table_lookup (self->failures, &id)) + 1;
  g_hash_table_insert (self->failures, id_key (id), GUINT_TO_POINTER (failures));
  if (failures >= OMNI_CHANNELS_REPEATED_FAILURES)
    omni_notifier_raise (errors_id, _("A Sales Channel Keeps Failing to Sync"), error->message);
}

static void
start_sync (OmniChannelsPage *self,
            gint64            channel_id)
{
  SyncJob *job;

  if (g_hash_table_contains (self->syncing, &channel_id))
    return;
  g_hash_table_insert (self->syncing, id_key (channel_id), GINT_TO_POINTER (1));
  g_hash_table_insert (self->last_run, id_key (channel_id), id_key (g_get_monotonic_time ()));
  job = g_new0 (SyncJob, 1);
  job->self = g_object_ref (self);
  job->id = channel_id;
  omni_channels_sync_async (db_path (self), channel_id, self->cancellable, synced_cb, job);
  reload (self);
}

static void
sync_clicked_cb (GtkButton        *button,
                 OmniChannelsPage *self)
{
  /* At once, not when the list next reloads: a click never looks unheard,
   * and until the sync ends no row shows a Sync Now to click again. */
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  start_sync (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "channel-id")));
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OmniChannelsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!omni_channels_remove_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not remove the channel: %s", error->message);
    }
  omni_context_store_changed (omni_page_get_context (OMNI_PAGE (self)));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    OmniChannelsPage *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "channel-id"));

  if (g_strcmp0 (response, "remove") != 0)
    return;
  omni_channels_remove_async (db_path (self), id, self->cancellable, removed_cb,
                              g_object_ref (self));
}

static void
remove_clicked_cb (GtkButton        *button,
                   OmniChannelsPage *self)
{
  GtkWidget *dialog;
  const char *name = g_object_get_data (G_OBJECT (button), "channel-name");

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Remove Channel?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("OmniStock stops syncing with %s and deletes its credential "
                                    "from the keyring. Your stock and past orders stay."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data (G_OBJECT (dialog), "channel-id",
                     g_object_get_data (G_OBJECT (button), "channel-id"));
  g_signal_connect (dialog, "response", G_CALLBACK (remove_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connected_cb (OmniChannelWizard *wizard,
              gint64             channel_id,
              OmniChannelsPage  *self)
{
  /* The first sync follows at once, with its progress on the row. */
  start_sync (self, channel_id);
}

/* The Shopify wizard runs the first sync itself, with its progress. */
static void
shopify_connected_cb (OmniChannelWizard *wizard,
                      gint64             channel_id,
                      OmniChannelsPage  *self)
{
  omni_context_store_changed (omni_page_get_context (OMNI_PAGE (self)));
}

static void
add_clicked_cb (OmniChannelsPage *self)
{
  OmniChannelWizard *wizard;

  wizard = omni_channel_wizard_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                    db_path (self));
  g_signal_connect_object (wizard, "connected", G_CALLBACK (shopify_connected_cb), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
}

/* The add menu: Shopify…, Amazon…, eBay… (channels.add-*). */
static void
add_shopify_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  add_clicked_cb (OMNI_CHANNELS_PAGE (widget));
}

static void
add_amazon_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OmniChannelsPage *self = OMNI_CHANNELS_PAGE (widget);
  OmniAmazonWizard *wizard;

  wizard = omni_amazon_wizard_new (GTK_WINDOW (gtk_widget_get_root (widget)), db_path (self));
  g_signal_connect_object (wizard, "connected", G_CALLBACK (connected_cb), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
}

static void
add_ebay_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OmniChannelsPage *self = OMNI_CHANNELS_PAGE (widget);
  OmniEbayWizard *wizard;

  wizard = omni_ebay_wizard_new (GTK_WINDOW (gtk_widget_get_root (widget)), db_path (self));
  g_signal_connect_object (wizard, "connected", G_CALLBACK (connected_cb), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
}

static void
add_menu_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "channels.add-shopify", NULL, add_shopify_action);
  gtk_widget_class_install_action (widget_class, "channels.add-amazon", NULL, add_amazon_action);
  gtk_widget_class_install_action (widget_class, "channels.add-ebay", NULL, add_ebay_action);
}

/* Settings ---------------------------------------------------------------- */

static void
settings_saved_cb (OmniChannelSettingsDialog *dialog,
                   gint64                     queued,
                   OmniChannelsPage          *self)
{
  omni_context_store_changed (omni_page_get_context (OMNI_PAGE (self)));
}

static void
settings_clicked_cb (GtkButton        *button,
                     OmniChannelsPage *self)
{
  OmniChannelSettingsDialog *dialog;

  dialog = omni_channel_settings_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                             db_path (self),
                                             GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button),
                                                                                  "channel-id")));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (settings_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The gear opening the channel's sync settings and allocation preview. */
static void
add_settings_button (OmniChannelsPage  *self,
                     GtkWidget         *row,
                     const OmniChannel *c)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("emblem-system-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Channel Settings"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Channel Settings"), -1);
  g_object_set_data (G_OBJECT (button), "channel-id", GSIZE_TO_POINTER (c->id));
  g_signal_connect (button, "clicked", G_CALLBACK (settings_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

/* Locations and re-authentication ---------------------------------------- */

static void
locations_saved_cb (OmniLocationMapDialog *dialog,
                    gint64                 channel_id,
                    OmniChannelsPage      *self)
{
  omni_context_store_changed (omni_page_get_context (OMNI_PAGE (self)));
}

static void
locations_clicked_cb (GtkButton        *button,
                      OmniChannelsPage *self)
{
  OmniLocationMapDialog *dialog;

  dialog = omni_location_map_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         db_path (self),
                                         GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button),
                                                                              "channel-id")),
                                         g_object_get_data (G_OBJECT (button), "channel-name"));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (locations_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Which remote location syncs with which local one. */
static void
add_locations_button (OmniChannelsPage  *self,
                      GtkWidget         *row,
                      const OmniChannel *c)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("mark-location-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Locations…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Locations…"), -1);
  g_object_set_data (G_OBJECT (button), "channel-id", GSIZE_TO_POINTER (c->id));
  g_object_set_data_full (G_OBJECT (button), "channel-name", g_strdup (c->name), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (locations_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static void
reauthenticated_cb (OmniReauthDialog *dialog,
                    gint64            channel_id,
                    OmniChannelsPage *self)
{
  g_autofree char *auth_id = g_strdup_printf ("channel-auth-%" G_GINT64_FORMAT, channel_id);

  /* Connected again: the stop notice goes, and the channel catches up. */
  omni_notifier_withdraw (auth_id);
  g_hash_table_remove (self->sync_errors, &channel_id);
  start_sync (self, channel_id);
}

static void
reauth_clicked_cb (GtkButton        *button,
                   OmniChannelsPage *self)
{
  OmniReauthDialog *dialog;

  dialog = omni_reauth_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   db_path (self),
                                   GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button),
                                                                        "channel-id")),
                                   g_object_get_data (G_OBJECT (button), "channel-platform"),
                                   g_object_get_data (G_OBJECT (button), "channel-name"));
  omni_reauth_dialog_preset (dialog, g_object_get_data (G_OBJECT (button), "channel-settings"));
  g_signal_connect_object (dialog, "reauthenticated", G_CALLBACK (reauthenticated_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A channel stopped because its credentials were refused offers new ones. */
static void
add_reauth_button (OmniChannelsPage  *self,
                   GtkWidget         *row,
                   const OmniChannel *c)
{
  GtkWidget *button;

  if (g_strcmp0 (c->state, "auth_failed") != 0)
    return;
  button = gtk_button_new_with_mnemonic (_("_Re-authenticate…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data (G_OBJECT (button), "channel-id", GSIZE_TO_POINTER (c->id));
  g_object_set_data_full (G_OBJECT (button), "channel-name", g_strdup (c->name), g_free);
  g_object_set_data_full (G_OBJECT (button), "channel-platform", g_strdup (c->platform), g_free);
  g_object_set_data_full (G_OBJECT (button), "channel-settings", g_strdup (c->settings), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (reauth_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

/* What the scheduler needs of a channel: whether it may sync (not stopped,
 * not paused) and its own interval; a channel seen for the first time waits
 * one interval, as on start-up. */
static void
track_channel (OmniChannelsPage  *self,
               const OmniChannel *c)
{
  if (c->paused || (g_strcmp0 (c->state, "connected") != 0 && g_strcmp0 (c->state, "error") != 0))
    return;
  g_array_append_val (self->due, c->id);
  g_hash_table_insert (self->intervals, id_key (c->id), GINT_TO_POINTER (c->interval));
  if (!g_hash_table_contains (self->last_run, &c->id))
    g_hash_table_insert (self->last_run, id_key (c->id), id_key (g_get_monotonic_time ()));
}

/* The list -------------------------------------------------------------- */

static GtkWidget *
channel_row (OmniChannelsPage  *self,
             const OmniChannel *c)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sync = gtk_button_new_with_mnemonic (_("_Sync Now"));
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *spinner = gtk_spinner_new ();
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  const char *icon = NULL;
  gboolean busy = g_hash_table_contains (self->syncing, &c->id);

  subtitle = describe (self, c, &icon);
  title = g_strdup_printf ("%s (%s)", c->name, g_strcmp0 (c->platform, "shopify") == 0
                                               ? "Shopify" : c->platform);
  /* the merchant's name for the channel and errors quoted as they are:
   * text, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), busy);
  gtk_widget_set_visible (spinner, busy);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spinner);

  gtk_widget_set_valign (sync, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (sync, !busy && !c->paused && g_strcmp0 (c->state, "auth_failed") != 0);
  /* Stopped: "Re-authenticate…" takes its place. */
  gtk_widget_set_visible (sync, g_strcmp0 (c->state, "auth_failed") != 0);
  g_object_set_data (G_OBJECT (sync), "channel-id", GSIZE_TO_POINTER (c->id));
  g_signal_connect (sync, "clicked", G_CALLBACK (sync_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sync);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Channel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Channel"), -1);
  gtk_widget_set_sensitive (remove, !busy);
  g_object_set_data (G_OBJECT (remove), "channel-id", GSIZE_TO_POINTER (c->id));
  g_object_set_data_full (G_OBJECT (remove), "channel-name", g_strdup (c->name), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  add_settings_button (self, row, c);
  add_locations_button (self, row, c);
  add_reauth_button (self, row, c);
  /* Shown once a worker has found remote variants that match nothing. */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             omni_unmatched_button_new (omni_page_get_context (OMNI_PAGE (self)),
                                                        c->id, c->name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  gtk_widget_set_name (row, c->account);
  return row;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OmniChannelsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) channels = omni_channels_load_finish (result, &error);
  GtkWidget *child;

  /* A page taken out of its window while it read has nothing to show,
   * and its store may be gone with the window (the read then fails). */
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  if (channels == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the channels: %s", error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->channels_list))) != NULL)
    gtk_list_box_remove (self->channels_list, child);
  g_array_set_size (self->due, 0);
  for (guint i = 0; i < channels->len; i++)
    {
      OmniChannel *c = channels->pdata[i];

      gtk_list_box_append (self->channels_list, channel_row (self, c));
      track_channel (self, c);
    }
  gtk_stack_set_visible_child_name (self->stack, channels->len > 0 ? "list" : "empty");
}

static void
reload (OmniChannelsPage *self)
{
  if (omni_page_get_context (OMNI_PAGE (self)) == NULL)
    return;
  omni_channels_load_async (db_path (self), self->cancellable, loaded_cb, g_object_ref (self));
}

static void
store_changed_cb (OmniContext      *context,
                  OmniChannelsPage *self)
{
  reload (self);
}

/* The scheduler ---------------------------------------------------------
 *
 * Every minute, each channel that is neither stopped nor paused and whose
 * own interval (else sync-interval minutes) has passed syncs on a worker. While GNetworkMonitor says the network is down nothing is sent;
 * a sync missed that way runs as soon as it comes back. The outbox lives in
 * the database, so closing the app mid-sync loses nothing.
 */

/* A channel's own interval, else the preference, counted from its last
 * sync (or from when the page first saw it). */
static gboolean
channel_due_now (OmniChannelsPage *self,
                 gint64            id)
{
  GSettings *settings = omni_context_get_settings (omni_page_get_context (OMNI_PAGE (self)));
  int minutes = GPOINTER_TO_INT (g_hash_table_lookup (self->intervals, &id));
  gint64 *last = g_hash_table_lookup (self->last_run, &id);

  if (minutes <= 0)
    minutes = settings != NULL ? g_settings_get_int (settings, "sync-interval") : 15;
  return last == NULL ||
         g_get_monotonic_time () - *last >= (gint64)MAX (minutes, 1) * self->minute_us;
}

static gboolean
any_due_now (OmniChannelsPage *self)
{
  for (guint i = 0; i < self->due->len; i++)
    if (channel_due_now (self, g_array_index (self->due, gint64, i)))
      return TRUE;
  return FALSE;
}

static void
sync_due (OmniChannelsPage *self)
{
  if (!any_due_now (self))
    return;
  if (!g_network_monitor_get_network_available (self->monitor))
    {
      self->missed = TRUE;
      return;
    }
  self->missed = FALSE;
  for (guint i = 0; i < self->due->len; i++)
    if (channel_due_now (self, g_array_index (self->due, gint64, i)))
      start_sync (self, g_array_index (self->due, gint64, i));
}

static gboolean
timer_cb (gpointer data)
{
  sync_due (data);
  return G_SOURCE_CONTINUE;
}

static void
network_changed_cb (GNetworkMonitor  *monitor,
                    gboolean          available,
                    OmniChannelsPage *self)
{
  if (available && self->missed)
    sync_due (self);
}

static void
schedule (OmniChannelsPage *self)
{
  /* Each channel has its own interval: look every minute which are due. */
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->tick_ms % 1000 == 0)
    self->timer_id = g_timeout_add_seconds (self->tick_ms / 1000, timer_cb, self);
  else
    self->timer_id = g_timeout_add (self->tick_ms, timer_cb, self);
}

/* See omni-channels-page-private.h. */
void
_omni_channels_page_set_network_monitor (OmniChannelsPage *self,
                                         GNetworkMonitor  *monitor)
{
  g_return_if_fail (OMNI_IS_CHANNELS_PAGE (self));
  g_return_if_fail (G_IS_NETWORK_MONITOR (monitor));

  g_signal_handlers_disconnect_by_func (self->monitor, network_changed_cb, self);
  g_set_object (&self->monitor, monitor);
  g_signal_connect_object (self->monitor, "network-changed",
                           G_CALLBACK (network_changed_cb), self, 0);
}

void
_omni_channels_page_set_clock (OmniChannelsPage *self,
                               guint             tick_ms,
                               guint             minute_ms)
{
  g_return_if_fail (OMNI_IS_CHANNELS_PAGE (self));
  g_return_if_fail (tick_ms > 0 && minute_ms > 0);

  self->tick_ms = tick_ms;
  self->minute_us = (gint64)minute_ms * 1000;
  g_hash_table_remove_all (self->last_run);
  reload (self);
  schedule (self);
}

gboolean
_omni_channels_page_is_syncing (OmniChannelsPage *self,
                                gint64            channel_id)
{
  g_return_val_if_fail (OMNI_IS_CHANNELS_PAGE (self), FALSE);

  return g_hash_table_contains (self->syncing, &channel_id);
}

static void
interval_changed_cb (GSettings        *settings,
                     const char       *key,
                     OmniChannelsPage *self)
{
  schedule (self);
}

/* Reconciliation -------------------------------------------------------- */

static void
drift_sync_requested_cb (OmniDriftView    *view,
                         gint64            channel_id,
                         OmniChannelsPage *self)
{
  start_sync (self, channel_id);
}

/* The drift, freshness and activity view goes under the channel list, in
 * the same preferences page. */
static void
add_drift_view (OmniChannelsPage *self,
                OmniContext      *context)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self->channels_list),
                                             ADW_TYPE_PREFERENCES_PAGE);
  GtkWidget *view;

  if (page == NULL)
    return;
  view = omni_drift_view_new (context);
  g_signal_connect_object (view, "sync-requested", G_CALLBACK (drift_sync_requested_cb), self, 0);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (view));
}

/* GObject --------------------------------------------------------------- */

static void
omni_channels_page_constructed (GObject *object)
{
  OmniChannelsPage *self = OMNI_CHANNELS_PAGE (object);
  OmniContext *context;

  G_OBJECT_CLASS (omni_channels_page_parent_class)->constructed (object);

  context = omni_page_get_context (OMNI_PAGE (self));
  if (context != NULL)
    {
      self->changed_id = g_signal_connect_object (context, "store-changed",
                                                  G_CALLBACK (store_changed_cb), self, 0);
      if (omni_context_get_settings (context) != NULL)
        g_signal_connect_object (omni_context_get_settings (context), "changed::sync-interval",
                                 G_CALLBACK (interval_changed_cb), self, 0);
      g_signal_connect_object (self->monitor, "network-changed",
                               G_CALLBACK (network_changed_cb), self, 0);
      schedule (self);
      reload (self);
      add_drift_view (self, context);
    }
}

static void
omni_channels_page_dispose (GObject *object)
{
  OmniChannelsPage *self = OMNI_CHANNELS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_CHANNELS_PAGE);

  G_OBJECT_CLASS (omni_channels_page_parent_class)->dispose (object);
}

static void
omni_channels_page_finalize (GObject *object)
{
  OmniChannelsPage *self = OMNI_CHANNELS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->syncing, g_hash_table_unref);
  g_clear_pointer (&self->sync_errors, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->due, g_array_unref);
  g_clear_pointer (&self->intervals, g_hash_table_unref);
  g_clear_pointer (&self->last_run, g_hash_table_unref);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (omni_channels_page_parent_class)->finalize (object);
}

static void
omni_channels_page_class_init (OmniChannelsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_channels_page_constructed;
  object_class->dispose = omni_channels_page_dispose;
  object_class->finalize = omni_channels_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-channels-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniChannelsPage, channels_list);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  add_menu_install (widget_class);
}

static void
omni_channels_page_init (OmniChannelsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->syncing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->sync_errors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->failures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->due = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->intervals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->last_run = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->tick_ms = 60 * 1000;
  self->minute_us = 60 * G_USEC_PER_SEC;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's own child: not bound, since disposing the template would
   * unparent it behind AdwBin's back. */
  self->stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
}

/**
 * omni_channels_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_channels_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_CHANNELS_PAGE,
                       "context", context,
                       NULL);
}
