/* omni-backup-action.c: the window's "Back Up Database…" action
 *
 * win.backup-database asks where to save (the file chooser confirms
 * replacing a file), then copies the database with the online backup API
 * on a worker thread, on a connection of its own, while the window goes on
 * using the database, and says how it went in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-backup-action"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-backup-action.h"
#include "omni-inventory-util.h"
#include "omni-store-backup.h"
#include "omni-toast.h"

typedef struct
{
  char *db_path;
  char *dest_path;
} BackupJob;

static void
backup_job_free (BackupJob *job)
{
  g_free (job->db_path);
  g_free (job->dest_path);
  g_free (job);
}

static void
backup_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BackupJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  OmniBackupInfo *info;
  GError *error = NULL;

  store = omni_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The chooser already asked before replacing an existing file. */
  info = omni_store_backup (store, job->dest_path, TRUE, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) omni_backup_info_free);
}

static void
backup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(OmniWindow) window = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniBackupInfo) info = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *title = NULL;

  if (info == NULL)
    title = g_strdup_printf (_("Backup failed: %s"), error->message);
  else
    {
      g_autofree char *name = g_path_get_basename (info->path);
      g_autofree char *size = g_format_size ((guint64) MAX (info->bytes, 0));

      title = g_strdup_printf (_("Database backed up to %s (%s)"), name, size);
    }
  omni_inventory_add_toast (GTK_WIDGET (window), omni_toast_new_text (title));
}

static void
backup_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         data)
{
  OmniWindow *window = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      OmniContext *context = omni_window_get_context (window);
      BackupJob *job = g_new0 (BackupJob, 1);
      g_autoptr(GTask) task = NULL;

      job->db_path = g_strdup (omni_store_get_path (omni_context_get_store (context)));
      job->dest_path = file != NULL ? g_file_get_path (file) : NULL;
      task = g_task_new (NULL, NULL, backup_done_cb, g_object_ref (window));
      g_task_set_source_tag (task, backup_response_cb);
      g_task_set_task_data (task, job, (GDestroyNotify) backup_job_free);
      if (job->dest_path != NULL)
        g_task_run_in_thread (task, backup_thread);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("the chosen place is not a local file"));
    }
  g_object_unref (chooser);
}

static void
backup_database_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       data)
{
  OmniWindow *window = data;
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  /* Translators: the suggested file name of a backup; %s is the date */
  g_autofree char *name = g_strdup_printf (_("omnistock-backup-%s.db"), day);

  chooser = gtk_file_chooser_native_new (_("Back Up Database"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (backup_response_cb), window);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static const GActionEntry action_entries[] = {
  { "backup-database", backup_database_action },
};

/**
 * omni_backup_action_install:
 *
 * Adds win.backup-database to a window that has a database.
 */
void
omni_backup_action_install (OmniWindow *window)
{
  g_return_if_fail (OMNI_IS_WINDOW (window));
  g_return_if_fail (omni_window_get_context (window) != NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (window),
                                   action_entries, G_N_ELEMENTS (action_entries),
                                   window);
}
