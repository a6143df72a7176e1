/* omni-location-map-dialog.c: which remote location syncs with which local one
 *
 * Each remote location (a Shopify location, eBay's and Amazon's single one)
 * gets a row whose drop-down says where its stock lives here: one of the
 * local locations, a new local location named like it, or nowhere ("not
 * synced": its levels are neither pulled nor pushed). The connection wizard
 * uses the rows for its mapping step; the dialog, opened from a channel's
 * row, changes an existing channel's mapping. Reading and saving run on
 * workers, and saving is one transaction: a mapping is changed whole or not
 * at all. The same store calls serve `channel locations` and `channel map`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-channels"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-location-map-dialog.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"

void
omni_location_choice_free (OmniLocationChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->remote_id);
  g_free (choice->remote_name);
  g_free (choice);
}

static GPtrArray *
choices_copy (GPtrArray *choices)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_location_choice_free);

  for (guint i = 0; i < choices->len; i++)
    {
      OmniLocationChoice *c = choices->pdata[i];
      OmniLocationChoice *d = g_new0 (OmniLocationChoice, 1);

      d->remote_id = g_strdup (c->remote_id);
      d->remote_name = g_strdup (c->remote_name);
      d->location_id = c->location_id;
      g_ptr_array_add (copy, d);
    }
  return copy;
}

/* Rows ------------------------------------------------------------------ */

/**
 * omni_location_map_row_new:
 * @locals: (element-type OmniLocation): the local locations to offer
 * @selected: the local location chosen now, or %OMNI_LOCATION_MAP_NONE /
 *   %OMNI_LOCATION_MAP_NEW
 *
 * Returns: (transfer floating): an #AdwComboRow
 */
GtkWidget *
omni_location_map_row_new (const char *remote_id,
                           const char *remote_name,
                           GPtrArray  *locals,
                           gint64      selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *fresh = g_strdup_printf (_("New location “%s”"), remote_name);
  gint64 special[] = { OMNI_LOCATION_MAP_NONE, OMNI_LOCATION_MAP_NEW };
  guint position = 0;

  gtk_string_list_append (names, _("Not synced"));
  gtk_string_list_append (names, fresh);
  g_array_append_vals (ids, special, G_N_ELEMENTS (special));
  for (guint i = 0; locals != NULL && i < locals->len; i++)
    {
      OmniLocation *l = locals->pdata[i];

      if (l->archived)
        continue;
      gtk_string_list_append (names, l->name);
      g_array_append_val (ids, l->id);
    }
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == selected)
      position = i;

  /* the platform's name for it: text, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), remote_name);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("mark-location-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "remote-id", g_strdup (remote_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "remote-name", g_strdup (remote_name), g_free);
  g_object_set_data_full (G_OBJECT (row), "local-ids", ids, (GDestroyNotify)g_array_unref);
  return row;
}

/**
 * omni_location_map_row_get_choice:
 *
 * Returns: (transfer full): what @row says
 */
OmniLocationChoice *
omni_location_map_row_get_choice (GtkWidget *row)
{
  GArray *ids = g_object_get_data (G_OBJECT (row), "local-ids");
  guint position = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
  OmniLocationChoice *choice = g_new0 (OmniLocationChoice, 1);

  choice->remote_id = g_strdup (g_object_get_data (G_OBJECT (row), "remote-id"));
  choice->remote_name = g_strdup (g_object_get_data (G_OBJECT (row), "remote-name"));
  choice->location_id = position < ids->len ? g_array_index (ids, gint64, position)
                                            : OMNI_LOCATION_MAP_NONE;
  return choice;
}

/* Checking and saving --------------------------------------------------- */

/**
 * omni_location_map_check:
 * @choices: (element-type OmniLocationChoice)
 *
 * A local location receives at most one remote location of a channel.
 *
 * Returns: %FALSE with @error (a sentence naming both) when two choose the
 *   same local location
 */
gboolean
omni_location_map_check (GPtrArray  *choices,
                         GError    **error)
{
  for (guint i = 0; i < choices->len; i++)
    for (guint j = i + 1; j < choices->len; j++)
      {
        OmniLocationChoice *a = choices->pdata[i];
        OmniLocationChoice *b = choices->pdata[j];

        if (a->location_id > 0 && a->location_id == b->location_id)
          {
            g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                         _("“%s” and “%s” cannot both sync with the same local location: "
                           "choose another one, or a new location, for one of them"),
                         a->remote_name, b->remote_name);
            return FALSE;
          }
      }
  return TRUE;
}

/**
 * omni_location_map_apply:
 * @choices: (element-type OmniLocationChoice)
 *
 * Saves @choices in one transaction: remote locations the channel does not
 * know yet are recorded, new local locations are created (or an existing
 * one of that name is used), then every remote location is mapped. Blocks.
 */
gboolean
omni_location_map_apply (OmniStore  *store,
                         gint64      channel_id,
                         GPtrArray  *choices,
                         GError    **error)
{
  g_autoptr(GPtrArray) known = NULL;
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!omni_location_map_check (choices, error))
    return FALSE;
  known = omni_store_list_channel_locations (store, channel_id, error);
  if (known == NULL || !omni_store_begin (store, error))
    return FALSE;

  /* Unmapped first, so that two remote locations can swap local ones. */
  for (guint i = 0; i < choices->len; i++)
    {
      OmniLocationChoice *c = choices->pdata[i];
      gboolean found = FALSE;
      gint64 target = c->location_id;

      for (guint k = 0; k < known->len && !found; k++)
        found = g_strcmp0 (((OmniChannelLocation *)known->pdata[k])->remote_id, c->remote_id) == 0;
      if (!found &&
          !omni_store_upsert_channel_location (store, channel_id, c->remote_id, c->remote_name,
                                               TRUE, TRUE, error))
        goto fail;
      if (!omni_store_map_channel_location (store, channel_id, c->remote_id, 0, error))
        goto fail;
      if (target == OMNI_LOCATION_MAP_NEW)
        {
          target = omni_store_find_location (store, c->remote_name, NULL);
          if (target <= 0)
            target = omni_store_add_location (store, c->remote_name, FALSE, error);
          if (target <= 0)
            goto fail;
        }
      g_array_append_val (targets, target);
    }
  for (guint i = 0; i < choices->len; i++)
    {
      OmniLocationChoice *c = choices->pdata[i];
      gint64 target = g_array_index (targets, gint64, i);

      if (target > 0 && !omni_store_map_channel_location (store, channel_id, c->remote_id, target,
                                                          error))
        goto fail;
    }
  return omni_store_commit (store, error);

fail:
  omni_store_rollback (store);
  return FALSE;
}

typedef struct
{
  char      *db_path;
  gint64     channel_id;
  GPtrArray *choices;
} ApplyJob;

static void
apply_job_free (ApplyJob *job)
{
  g_free (job->db_path);
  g_clear_pointer (&job->choices, g_ptr_array_unref);
  g_free (job);
}

static void
apply_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ApplyJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;

  store = omni_store_open (job->db_path, &error);
  if (store == NULL || !omni_location_map_apply (store, job->channel_id, job->choices, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
omni_location_map_apply_async (const char          *db_path,
                               gint64               channel_id,
                               GPtrArray           *choices,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ApplyJob *job = g_new0 (ApplyJob, 1);

  job->db_path = g_strdup (db_path);
  job->channel_id = channel_id;
  job->choices = choices_copy (choices);
  g_task_set_task_data (task, job, (GDestroyNotify)apply_job_free);
  g_task_run_in_thread (task, apply_thread);
}

gboolean
omni_location_map_apply_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Loading --------------------------------------------------------------- */

typedef struct
{
  GPtrArray *locals;    /* OmniLocation */
  GPtrArray *remote;    /* OmniChannelLocation; NULL when only the locals are wanted */
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->locals, g_ptr_array_unref);
  g_clear_pointer (&loaded->remote, g_ptr_array_unref);
  g_free (loaded);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const ApplyJob *job = task_data;
  const char *db_path = job->db_path;
  gint64 channel_id = job->channel_id;
  g_autoptr(OmniStore) store = NULL;
  Loaded *loaded = g_new0 (Loaded, 1);
  GError *error = NULL;

  store = omni_store_open (db_path, &error);
  if (store != NULL)
    loaded->locals = omni_store_list_locations (store, FALSE, &error);
  if (loaded->locals != NULL && channel_id > 0)
    loaded->remote = omni_store_list_channel_locations (store, channel_id, &error);
  if (loaded->locals == NULL || (channel_id > 0 && loaded->remote == NULL))
    {
      loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, loaded, (GDestroyNotify)loaded_free);
}

static void
load_async (const char          *db_path,
            gint64               channel_id,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ApplyJob *job = g_new0 (ApplyJob, 1);

  /* The same job as saving, without choices. */
  job->db_path = g_strdup (db_path);
  job->channel_id = channel_id;
  g_task_set_task_data (task, job, (GDestroyNotify)apply_job_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * omni_location_map_load_locals_async:
 *
 * Reads the local locations that are not archived, on a worker.
 */
void
omni_location_map_load_locals_async (const char          *db_path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  load_async (db_path, 0, cancellable, callback, user_data);
}

/**
 * omni_location_map_load_locals_finish:
 *
 * Returns: (transfer full) (element-type OmniLocation): the locations
 */
GPtrArray *
omni_location_map_load_locals_finish (GAsyncResult  *result,
                                      GError       **error)
{
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), error);
  GPtrArray *locals;

  if (loaded == NULL)
    return NULL;
  locals = g_steal_pointer (&loaded->locals);
  loaded_free (loaded);
  return locals;
}

/* The dialog ------------------------------------------------------------ */

struct _OmniLocationMapDialog
{
  AdwWindow          parent_instance;

  char              *db_path;
  gint64             channel_id;
  GCancellable      *cancellable;

  GtkStack          *stack;
  AdwPreferencesGroup *group;
  GtkWidget         *save_button;
  GtkSpinner        *spinner;
  GtkLabel          *error_label;
  GPtrArray         *rows;
};

G_DEFINE_FINAL_TYPE (OmniLocationMapDialog, omni_location_map_dialog, ADW_TYPE_WINDOW)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_error (OmniLocationMapDialog *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (OmniLocationMapDialog *self,
          gboolean               busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->save_button, !busy && self->rows->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !busy);
}

static void
dialog_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OmniLocationMapDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (loaded == NULL)
    {
      show_error (self, error->message);
      set_busy (self, FALSE);
      return;
    }
  for (guint i = 0; i < loaded->remote->len; i++)
    {
      OmniChannelLocation *l = loaded->remote->pdata[i];
      GtkWidget *row = omni_location_map_row_new (l->remote_id, l->remote_name, loaded->locals,
                                                  l->location_id);

      if (!l->active)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Inactive on the channel"));
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_stack_set_visible_child_name (self->stack, self->rows->len > 0 ? "rows" : "empty");
  loaded_free (loaded);
  set_busy (self, FALSE);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OmniLocationMapDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!omni_location_map_apply_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, self->channel_id);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_clicked_cb (GtkButton             *button,
                 OmniLocationMapDialog *self)
{
  g_autoptr(GPtrArray) choices =
    g_ptr_array_new_with_free_func ((GDestroyNotify)omni_location_choice_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (choices, omni_location_map_row_get_choice (self->rows->pdata[i]));
  if (!omni_location_map_check (choices, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  omni_location_map_apply_async (self->db_path, self->channel_id, choices, self->cancellable,
                                 saved_cb, g_object_ref (self));
}

static void
cancel_clicked_cb (GtkButton             *button,
                   OmniLocationMapDialog *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
omni_location_map_dialog_dispose (GObject *object)
{
  OmniLocationMapDialog *self = OMNI_LOCATION_MAP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (omni_location_map_dialog_parent_class)->dispose (object);
}

static void
omni_location_map_dialog_finalize (GObject *object)
{
  OmniLocationMapDialog *self = OMNI_LOCATION_MAP_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->db_path);
  G_OBJECT_CLASS (omni_location_map_dialog_parent_class)->finalize (object);
}

static void
omni_location_map_dialog_class_init (OmniLocationMapDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_location_map_dialog_dispose;
  object_class->finalize = omni_location_map_dialog_finalize;

  /**
   * OmniLocationMapDialog::saved:
   * @channel_id: the channel whose mapping changed
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
omni_location_map_dialog_init (OmniLocationMapDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Channel Locations"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 480);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (box), header);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->error_label), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->error_label), 18);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (self->group,
                                         _("Where each of the channel’s locations keeps its stock "
                                           "here. A location that is not synced is neither read "
                                           "nor updated."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "mark-location-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Channel Locations Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("The channel’s locations are read at its first sync. "
                                     "Sync it, then choose here where each one keeps its stock."));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, page, "rows");
  gtk_stack_add_named (self->stack, empty, "empty");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * omni_location_map_dialog_new:
 * @parent: the window it belongs to
 * @db_path: the database
 * @channel_id: the channel whose locations are mapped
 * @channel_name: shown in the title
 */
OmniLocationMapDialog *
omni_location_map_dialog_new (GtkWindow  *parent,
                              const char *db_path,
                              gint64      channel_id,
                              const char *channel_name)
{
  OmniLocationMapDialog *self = g_object_new (OMNI_TYPE_LOCATION_MAP_DIALOG,
                                              "transient-for", parent,
                                              NULL);
  /* a group's title is markup; the channel's name is text */
  g_autofree char *title = g_markup_printf_escaped (_("Locations of %s"), channel_name);

  self->db_path = g_strdup (db_path);
  self->channel_id = channel_id;
  adw_preferences_group_set_title (self->group, title);
  set_busy (self, TRUE);
  load_async (db_path, channel_id, self->cancellable, dialog_loaded_cb, g_object_ref (self));
  return self;
}
