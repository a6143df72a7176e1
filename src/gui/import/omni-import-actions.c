/* omni-import-actions.c: the window's CSV import and export actions
 *
 * win.import-csv asks for a file and opens the import dialog on it;
 * win.export-csv and win.export-inventory-csv ask where to save and write
 * the Shopify-layout CSV of the products or of the stock levels on a worker
 * thread, then say so in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-import-actions"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-export.h"
#include "omni-import-actions.h"
#include "omni-import-dialog.h"
#include "omni-inventory-util.h"
#include "omni-toast.h"

typedef struct
{
  char     *db_path;
  GFile    *file;
  gboolean  inventory;
  guint64   rows;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->db_path);
  g_clear_object (&job->file);
  g_free (job);
}

static GtkFileFilter *
csv_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  return filter;
}

/* Import --------------------------------------------------------------- */

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         data)
{
  OmniWindow *window = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        omni_import_dialog_new (omni_window_get_context (window), GTK_WINDOW (window), file);
    }
  g_object_unref (chooser);
}

static void
import_csv_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       data)
{
  OmniWindow *window = data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = csv_filter ();

  chooser = gtk_file_chooser_native_new (_("Import a CSV File"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), window);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Export --------------------------------------------------------------- */

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  ExportJob *job = data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  store = omni_store_open (job->db_path, &error);
  if (store != NULL)
    stream = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->inventory)
    ok = omni_export_inventory (store, G_OUTPUT_STREAM (stream), OMNI_EXPORT_FORMAT_SHOPIFY,
                                &job->rows, cancellable, &error);
  else
    ok = omni_export_products (store, G_OUTPUT_STREAM (stream), OMNI_EXPORT_FORMAT_SHOPIFY,
                               &job->rows, cancellable, &error);
  if (!ok)
    {
      /* Closing a replace stream while cancelled keeps the old file. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      if (!g_output_stream_is_closed (G_OUTPUT_STREAM (stream)))
        g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(OmniWindow) window = data;
  g_autoptr(GError) error = NULL;
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *title = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    title = g_strdup_printf (_("Export failed: %s"), error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (job->file);

      title = g_strdup_printf (job->inventory
                               ? _("Exported %" PRIu64 " stock levels to %s")
                               : _("Exported %" PRIu64 " variants to %s"),
                               job->rows, name);
    }
  omni_inventory_add_toast (GTK_WIDGET (window), omni_toast_new_text (title));
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         data)
{
  OmniWindow *window = data;
  gboolean inventory = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "inventory"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GTask) task = NULL;
      ExportJob *job = g_new0 (ExportJob, 1);
      OmniContext *context = omni_window_get_context (window);

      job->db_path = g_strdup (omni_store_get_path (omni_context_get_store (context)));
      job->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      job->inventory = inventory;
      task = g_task_new (NULL, NULL, export_done_cb, g_object_ref (window));
      g_task_set_source_tag (task, export_response_cb);
      g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
      if (job->file != NULL)
        g_task_run_in_thread (task, export_thread);
    }
  g_object_unref (chooser);
}

static void
ask_export (OmniWindow *window,
            gboolean    inventory)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = csv_filter ();

  chooser = gtk_file_chooser_native_new (inventory ? _("Export Stock Levels")
                                                   : _("Export Products"),
                                         GTK_WINDOW (window), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     inventory ? _("stock-levels.csv") : _("products.csv"));
  g_object_set_data (G_OBJECT (chooser), "inventory", GINT_TO_POINTER (inventory));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), window);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_csv_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       data)
{
  ask_export (data, FALSE);
}

static void
export_inventory_csv_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       data)
{
  ask_export (data, TRUE);
}

static const GActionEntry action_entries[] = {
  { "import-csv", import_csv_action },
  { "export-csv", export_csv_action },
  { "export-inventory-csv", export_inventory_csv_action },
};

/**
 * omni_import_actions_install:
 *
 * Adds win.import-csv (Ctrl+I), win.export-csv and win.export-inventory-csv.
 */
void
omni_import_actions_install (OmniWindow *window)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  g_return_if_fail (OMNI_IS_WINDOW (window));
  g_return_if_fail (omni_window_get_context (window) != NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (window),
                                   action_entries, G_N_ELEMENTS (action_entries),
                                   window);
  /* Ctrl+I anywhere in the window. */
  shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>i"),
                               gtk_named_action_new ("win.import-csv"));
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, "omni-import-shortcuts");
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}
