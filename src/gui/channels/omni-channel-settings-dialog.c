/* omni-channel-settings-dialog.c: a channel's sync settings, allocation rules
 * and the live preview of what it will list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The settings are read, previewed and saved on workers, each with its own
 * database connection. Every edit restarts the preview (after a short pause,
 * so typing a number computes once): the unsaved rules are copied to a
 * worker that runs omni_store_channel_preview(), the very computation a push
 * makes, and only the newest answer is shown. Save validates and writes in
 * one transaction, which also queues the pushes the new rules call for.
 */
#define G_LOG_DOMAIN "omni-channels"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-channel-settings-dialog.h"
#include "omni-channel-settings.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "omni-toast.h"

#define PREVIEW_LIMIT      2000
#define PREVIEW_DELAY_MS   150

/* Preview items ----------------------------------------------------------- */

struct _OmniChannelPreviewItem
{
  GObject  parent_instance;

  char    *sku;
  char    *title;
  char    *remote_location;
  gint64   available;
  gint64   listed;
};

G_DEFINE_FINAL_TYPE (OmniChannelPreviewItem, omni_channel_preview_item, G_TYPE_OBJECT)

static void
omni_channel_preview_item_finalize (GObject *object)
{
  OmniChannelPreviewItem *self = OMNI_CHANNEL_PREVIEW_ITEM (object);

  g_free (self->sku);
  g_free (self->title);
  g_free (self->remote_location);
  G_OBJECT_CLASS (omni_channel_preview_item_parent_class)->finalize (object);
}

static void
omni_channel_preview_item_class_init (OmniChannelPreviewItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_channel_preview_item_finalize;
}

static void
omni_channel_preview_item_init (OmniChannelPreviewItem *self)
{
}

static OmniChannelPreviewItem *
preview_item_new (const OmniChannelPreviewRow *row)
{
  OmniChannelPreviewItem *self = g_object_new (OMNI_TYPE_CHANNEL_PREVIEW_ITEM, NULL);

  self->sku = g_strdup (row->sku);
  self->title = g_strdup (row->title);
  self->remote_location = g_strdup (row->remote_location);
  self->available = row->available;
  self->listed = row->listed;
  return self;
}

const char *
omni_channel_preview_item_get_sku (OmniChannelPreviewItem *self)
{
  g_return_val_if_fail (OMNI_IS_CHANNEL_PREVIEW_ITEM (self), NULL);
  return self->sku;
}

const char *
omni_channel_preview_item_get_title (OmniChannelPreviewItem *self)
{
  g_return_val_if_fail (OMNI_IS_CHANNEL_PREVIEW_ITEM (self), NULL);
  return self->title;
}

gint64
omni_channel_preview_item_get_available (OmniChannelPreviewItem *self)
{
  g_return_val_if_fail (OMNI_IS_CHANNEL_PREVIEW_ITEM (self), 0);
  return self->available;
}

gint64
omni_channel_preview_item_get_listed (OmniChannelPreviewItem *self)
{
  g_return_val_if_fail (OMNI_IS_CHANNEL_PREVIEW_ITEM (self), 0);
  return self->listed;
}

/* Workers ------------------------------------------------------------------ */

typedef struct
{
  char                *db_path;
  gint64               channel_id;
  OmniChannelSettings  settings;     /* preview and save: a copy of the rules */
  /* load results */
  char                *name;
  char                *platform;
  GPtrArray           *locations;    /* OmniLocation, not archived */
  /* preview and save results */
  GPtrArray           *rows;
  gint64               queued;
} Job;

static void
job_free (Job *job)
{
  g_free (job->db_path);
  omni_channel_settings_clear (&job->settings);
  g_free (job->name);
  g_free (job->platform);
  g_clear_pointer (&job->locations, g_ptr_array_unref);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (const char                *db_path,
         gint64                     channel_id,
         const OmniChannelSettings *settings)
{
  Job *job = g_new0 (Job, 1);

  job->db_path = g_strdup (db_path);
  job->channel_id = channel_id;
  /* Without rules (a load), the settings stay zeroed: loading fills them. */
  if (settings != NULL)
    omni_channel_settings_copy (&job->settings, settings);
  return job;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniChannel) channel = NULL;
  GError *error = NULL;

  store = omni_store_open (job->db_path, &error);
  if (store != NULL)
    channel = omni_store_get_channel (store, job->channel_id, &error);
  if (channel == NULL ||
      !omni_store_load_channel_settings (store, job->channel_id, &job->settings, &error) ||
      (job->locations = omni_store_list_locations (store, FALSE, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->name = g_strdup (channel->name);
  job->platform = g_strdup (channel->platform);
  g_task_return_boolean (task, TRUE);
}

static void
preview_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = omni_store_open (job->db_path, &error);
  if (store == NULL ||
      (job->rows = omni_store_channel_preview (store, job->channel_id, &job->settings,
                                               PREVIEW_LIMIT, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;

  store = omni_store_open (job->db_path, &error);
  if (store == NULL ||
      !omni_store_save_channel_settings (store, job->channel_id, &job->settings, &job->queued,
                                         &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_job (gpointer             source,
         Job                 *job,
         GTaskThreadFunc      func,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback)
{
  /* The owner is not the task's source: see omni_worker_task_new(). */
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, g_object_ref (source));

  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, func);
}

/* The dialog --------------------------------------------------------------- */

struct _OmniChannelSettingsDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkWidget            *save_button;
  AdwComboRow          *direction_row;
  GtkSpinButton        *interval_spin;
  GtkSwitch            *paused_switch;
  GtkSpinButton        *buffer_spin;
  GtkSpinButton        *percent_spin;
  GtkSpinButton        *floor_spin;
  AdwExpanderRow       *max_row;
  GtkSpinButton        *max_spin;
  AdwPreferencesGroup  *locations_group;
  GtkSpinner           *preview_spinner;
  GtkStack             *preview_stack;
  GtkColumnView        *preview_view;
  GtkLabel             *preview_note;

  char                 *db_path;
  gint64                channel_id;
  char                 *platform;
  GListStore           *preview;
  GPtrArray            *location_checks;   /* GtkCheckButton, "location-id" data */
  GCancellable         *cancellable;
  GCancellable         *preview_cancellable;
  guint                 preview_timeout;
  guint                 pending;            /* workers running */
  gboolean              loaded;
};

G_DEFINE_FINAL_TYPE (OmniChannelSettingsDialog, omni_channel_settings_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
collect_settings (OmniChannelSettingsDialog *self,
                  OmniChannelSettings       *s)
{
  static const OmniSyncDirection directions[] = { OMNI_SYNC_BOTH, OMNI_SYNC_PULL, OMNI_SYNC_PUSH };
  guint selected = adw_combo_row_get_selected (self->direction_row);

  omni_channel_settings_init (s);
  s->direction = directions[MIN (selected, G_N_ELEMENTS (directions) - 1)];
  s->interval = gtk_spin_button_get_value_as_int (self->interval_spin);
  s->paused = gtk_switch_get_active (self->paused_switch);
  s->buffer = (gint64)gtk_spin_button_get_value (self->buffer_spin);
  s->percent = gtk_spin_button_get_value_as_int (self->percent_spin);
  s->floor = (gint64)gtk_spin_button_get_value (self->floor_spin);
  s->max_listed = adw_expander_row_get_enable_expansion (self->max_row)
                  ? (gint64)gtk_spin_button_get_value (self->max_spin) : -1;
  for (guint i = 0; i < self->location_checks->len; i++)
    {
      GtkCheckButton *check = self->location_checks->pdata[i];

      if (gtk_check_button_get_active (check))
        {
          gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (check), "location-id");

          g_array_append_val (s->locations, id);
        }
    }
}

static void
busy_changed (OmniChannelSettingsDialog *self,
              int                        delta)
{
  self->pending += delta;
  /* Answers can arrive after the template is gone. */
  if (self->preview_spinner != NULL)
    gtk_spinner_set_spinning (self->preview_spinner, self->pending > 0);
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OmniChannelSettingsDialog) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  busy_changed (self, -1);
  /* Superseded by newer rules, or the dialog closed. */
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return;
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < job->rows->len; i++)
    g_ptr_array_add (items, preview_item_new (job->rows->pdata[i]));
  g_list_store_splice (self->preview, 0, g_list_model_get_n_items (G_LIST_MODEL (self->preview)),
                       items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->preview_stack, items->len > 0 ? "list" : "empty");
  if (items->len >= PREVIEW_LIMIT)
    {
      g_autofree char *note = g_strdup_printf (_("Showing the first %d linked variants by SKU; "
                                                 "every one follows the same rules."),
                                               PREVIEW_LIMIT);

      gtk_label_set_text (self->preview_note, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->preview_note), items->len >= PREVIEW_LIMIT);
}

static gboolean
preview_timeout_cb (gpointer data)
{
  OmniChannelSettingsDialog *self = data;
  g_auto(OmniChannelSettings) s = { 0 };

  self->preview_timeout = 0;
  /* Only the newest rules matter: an older computation is dropped. */
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();

  collect_settings (self, &s);
  busy_changed (self, 1);
  run_job (self, job_new (self->db_path, self->channel_id, &s), preview_thread,
           self->preview_cancellable, preview_done_cb);
  return G_SOURCE_REMOVE;
}

static void
rules_changed_cb (OmniChannelSettingsDialog *self)
{
  if (!self->loaded)
    return;
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

static void
add_location_rows (OmniChannelSettingsDialog *self,
                   GPtrArray                 *locations,
                   const OmniChannelSettings *s)
{
  for (guint i = 0; i < locations->len; i++)
    {
      OmniLocation *l = locations->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      gint64 *id = g_new (gint64, 1);
      gboolean active = FALSE;

      for (guint j = 0; j < s->locations->len; j++)
        active |= g_array_index (s->locations, gint64, j) == l->id;
      *id = l->id;
      g_object_set_data_full (G_OBJECT (check), "location-id", id, g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      l->name, -1);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (rules_changed_cb), self);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), l->name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->locations_group, row);
      g_ptr_array_add (self->location_checks, check);
    }
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OmniChannelSettingsDialog) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const OmniChannelSettings *s = &job->settings;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  busy_changed (self, -1);
  if (error != NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return;
    }

  title = g_strdup_printf (_("%s Settings"), job->name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  self->platform = g_strdup (job->platform);
  adw_combo_row_set_selected (self->direction_row,
                              s->direction == OMNI_SYNC_PULL ? 1 : s->direction == OMNI_SYNC_PUSH ? 2 : 0);
  gtk_spin_button_set_value (self->interval_spin, s->interval);
  gtk_switch_set_active (self->paused_switch, s->paused);
  gtk_spin_button_set_value (self->buffer_spin, (double)s->buffer);
  gtk_spin_button_set_value (self->percent_spin, s->percent);
  gtk_spin_button_set_value (self->floor_spin, (double)s->floor);
  adw_expander_row_set_enable_expansion (self->max_row, s->max_listed >= 0);
  gtk_spin_button_set_value (self->max_spin, (double)MAX (s->max_listed, 0));
  /* Shopify publishes each mapped location on its own. */
  if (g_strcmp0 (job->platform, "shopify") != 0)
    {
      add_location_rows (self, job->locations, s);
      gtk_widget_set_visible (GTK_WIDGET (self->locations_group), TRUE);
    }

  self->loaded = TRUE;
  gtk_widget_set_sensitive (self->save_button, TRUE);
  preview_timeout_cb (self);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OmniChannelSettingsDialog) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  busy_changed (self, -1);
  gtk_widget_set_sensitive (self->save_button, TRUE);
  if (error != NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, job->queued);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_clicked_cb (OmniChannelSettingsDialog *self)
{
  g_auto(OmniChannelSettings) s = { 0 };

  if (!self->loaded)
    return;
  /* A number typed but not yet confirmed counts. */
  gtk_spin_button_update (self->interval_spin);
  gtk_spin_button_update (self->buffer_spin);
  gtk_spin_button_update (self->percent_spin);
  gtk_spin_button_update (self->floor_spin);
  gtk_spin_button_update (self->max_spin);
  collect_settings (self, &s);
  gtk_widget_set_sensitive (self->save_button, FALSE);
  busy_changed (self, 1);
  run_job (self, job_new (self->db_path, self->channel_id, &s), save_thread, self->cancellable,
           saved_cb);
}

/* Preview columns ---------------------------------------------------------- */

typedef enum
{
  COLUMN_SKU,
  COLUMN_TITLE,
  COLUMN_LOCATION,
  COLUMN_AVAILABLE,
  COLUMN_LISTED,
} Column;

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  gboolean numeric = column == COLUMN_AVAILABLE || column == COLUMN_LISTED;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  /* A SKU is read whole; names may shorten. */
  if (column == COLUMN_TITLE || column == COLUMN_LOCATION)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  OmniChannelPreviewItem *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  g_autofree char *number = NULL;

  switch (column)
    {
    case COLUMN_SKU:
      gtk_label_set_text (label, row->sku ? row->sku : "");
      break;
    case COLUMN_TITLE:
      gtk_label_set_text (label, row->title ? row->title : "");
      break;
    case COLUMN_LOCATION:
      gtk_label_set_text (label, row->remote_location ? row->remote_location : "");
      break;
    case COLUMN_AVAILABLE:
    case COLUMN_LISTED:
      number = g_strdup_printf ("%" PRId64, column == COLUMN_LISTED ? row->listed : row->available);
      gtk_label_set_text (label, number);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
add_column (OmniChannelSettingsDialog *self,
            const char                *title,
            Column                     column,
            gboolean                   expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_append_column (self->preview_view, view_column);
  g_object_unref (view_column);
}

/* GObject ----------------------------------------------------------------- */

static void
omni_channel_settings_dialog_dispose (GObject *object)
{
  OmniChannelSettingsDialog *self = OMNI_CHANNEL_SETTINGS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_CHANNEL_SETTINGS_DIALOG);

  G_OBJECT_CLASS (omni_channel_settings_dialog_parent_class)->dispose (object);
}

static void
omni_channel_settings_dialog_finalize (GObject *object)
{
  OmniChannelSettingsDialog *self = OMNI_CHANNEL_SETTINGS_DIALOG (object);

  g_free (self->db_path);
  g_free (self->platform);
  g_clear_object (&self->preview);
  g_clear_pointer (&self->location_checks, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview_cancellable);

  G_OBJECT_CLASS (omni_channel_settings_dialog_parent_class)->finalize (object);
}

static void
omni_channel_settings_dialog_class_init (OmniChannelSettingsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_channel_settings_dialog_dispose;
  object_class->finalize = omni_channel_settings_dialog_finalize;

  /**
   * OmniChannelSettingsDialog::saved:
   * @queued: how many pushes the new rules queued
   *
   * The settings were saved; the dialog closes.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/channels/omni-channel-settings-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, direction_row);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, paused_switch);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, buffer_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, percent_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, floor_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, max_row);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, max_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, locations_group);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, preview_view);
  gtk_widget_class_bind_template_child (widget_class, OmniChannelSettingsDialog, preview_note);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_channel_settings_dialog_init (OmniChannelSettingsDialog *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->preview_cancellable = g_cancellable_new ();
  self->location_checks = g_ptr_array_new ();
  self->preview = g_list_store_new (OMNI_TYPE_CHANNEL_PREVIEW_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->preview)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));
  add_column (self, _("SKU"), COLUMN_SKU, FALSE);
  add_column (self, _("Product"), COLUMN_TITLE, TRUE);
  add_column (self, _("Remote Location"), COLUMN_LOCATION, FALSE);
  add_column (self, _("Available"), COLUMN_AVAILABLE, FALSE);
  add_column (self, _("Listed"), COLUMN_LISTED, FALSE);

  g_signal_connect_swapped (self->direction_row, "notify::selected",
                            G_CALLBACK (rules_changed_cb), self);
  g_signal_connect_swapped (self->buffer_spin, "value-changed", G_CALLBACK (rules_changed_cb), self);
  g_signal_connect_swapped (self->percent_spin, "value-changed", G_CALLBACK (rules_changed_cb), self);
  g_signal_connect_swapped (self->floor_spin, "value-changed", G_CALLBACK (rules_changed_cb), self);
  g_signal_connect_swapped (self->max_spin, "value-changed", G_CALLBACK (rules_changed_cb), self);
  g_signal_connect_swapped (self->max_row, "notify::enable-expansion",
                            G_CALLBACK (rules_changed_cb), self);
}

/**
 * omni_channel_settings_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @db_path: the database file
 * @channel_id: the channel whose settings to edit
 *
 * Returns: (transfer none): a new dialog, not yet presented
 */
OmniChannelSettingsDialog *
omni_channel_settings_dialog_new (GtkWindow  *parent,
                                  const char *db_path,
                                  gint64      channel_id)
{
  OmniChannelSettingsDialog *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (OMNI_TYPE_CHANNEL_SETTINGS_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->db_path = g_strdup (db_path);
  self->channel_id = channel_id;
  busy_changed (self, 1);
  run_job (self, job_new (db_path, channel_id, NULL), load_thread, self->cancellable, loaded_cb);
  return self;
}

/**
 * omni_channel_settings_dialog_get_preview:
 *
 * Returns: (transfer none): the preview rows (#OmniChannelPreviewItem)
 */
GListModel *
omni_channel_settings_dialog_get_preview (OmniChannelSettingsDialog *self)
{
  g_return_val_if_fail (OMNI_IS_CHANNEL_SETTINGS_DIALOG (self), NULL);

  return G_LIST_MODEL (self->preview);
}

/**
 * omni_channel_settings_dialog_is_busy:
 *
 * Returns: %TRUE while settings load, a preview computes or a save runs
 */
gboolean
omni_channel_settings_dialog_is_busy (OmniChannelSettingsDialog *self)
{
  g_return_val_if_fail (OMNI_IS_CHANNEL_SETTINGS_DIALOG (self), FALSE);

  return self->pending > 0 || self->preview_timeout != 0;
}
