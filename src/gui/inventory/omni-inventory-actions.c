/* omni-inventory-actions.c: the window's stock actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Window actions, so any page (the product editor, a report) and any
 * toast can reach them:
 *
 *   win.adjust-stock (x)      the adjust dialog for a variant id
 *   win.transfer-stock (x)    the transfer dialog for a variant id
 *   win.stock-history (x)     the history window for a variant id
 *   win.undo-stock (s)        reverses an operation (compensating movements)
 *   win.restore-variants (ax) un-archives variants (the Undo of an archive)
 *   win.restore-reorder-points (a(xx))  puts back (variant, reorder point)
 *                             pairs, -1 for none, in one transaction
 *   win.batch-selected (s)    "adjust", "set", "transfer", "reorder-point" or
 *                             "archive" for the variants selected on the
 *                             Products page: asks, then one operation
 *   win.lock                  covers the window with the staff profile
 *                             picker (Ctrl+L)
 *
 * It also gives the window its lock view (a page of the window's outer
 * stack) and the staff button in the header bar.
 */
#define G_LOG_DOMAIN "omni-inventory-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-adjust-dialog.h"
#include "omni-history-window.h"
#include "omni-inventory-actions.h"
#include "omni-inventory-batch.h"
#include "omni-inventory-util.h"
#include "omni-lock-view.h"
#include "omni-products-page.h"
#include "omni-staff-button.h"
#include "omni-store-catalog.h"
#include "omni-transfer-dialog.h"
#include "omni-toast.h"

static OmniContext *
window_context (gpointer user_data)
{
  return omni_window_get_context (OMNI_WINDOW (user_data));
}

static void
adjust_stock_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  OmniAdjustDialog *dialog;

  dialog = omni_adjust_dialog_new (GTK_WINDOW (user_data), window_context (user_data),
                                   g_variant_get_int64 (param));
  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

static void
transfer_stock_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  OmniTransferDialog *dialog;

  dialog = omni_transfer_dialog_new (GTK_WINDOW (user_data), window_context (user_data),
                                     g_variant_get_int64 (param));
  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

static void
stock_history_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  OmniHistoryWindow *history;

  history = omni_history_window_new (GTK_WINDOW (user_data), window_context (user_data),
                                     g_variant_get_int64 (param));
  if (history != NULL)
    gtk_window_present (GTK_WINDOW (history));
}

typedef struct
{
  char       *path;
  char       *operation;
  char       *actor;
  OmniWindow *window;           /* weak */
} Undo;

static void
undo_free (Undo *undo)
{
  g_free (undo->path);
  g_free (undo->operation);
  g_free (undo->actor);
  g_clear_weak_pointer (&undo->window);
  g_free (undo);
}

static void
undo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Undo *undo = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  char *done;

  store = omni_store_open (undo->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  done = omni_store_undo (store, undo->operation, undo->actor, &error);
  if (done == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, done, g_free);
}

static void
undone_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Undo *undo = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *done = g_task_propagate_pointer (G_TASK (result), &error);
  OmniContext *context;

  if (undo->window == NULL || (context = omni_window_get_context (undo->window)) == NULL)
    return;

  if (done == NULL)
    {
      omni_inventory_show_error (GTK_WIDGET (undo->window), error->message);
      return;
    }
  omni_inventory_add_toast (GTK_WIDGET (undo->window), omni_toast_new_text (_("Change undone")));
  omni_context_store_changed (context);
}

/* In a thread with its own connection: an Undo may reverse a large batch. */
static void
undo_stock_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  OmniContext *context = window_context (user_data);
  g_autoptr(GTask) task = NULL;
  Undo *undo = g_new0 (Undo, 1);

  undo->path = g_strdup (omni_store_get_path (omni_context_get_store (context)));
  undo->operation = g_variant_dup_string (param, NULL);
  undo->actor = omni_context_dup_actor (context);
  g_set_weak_pointer (&undo->window, OMNI_WINDOW (user_data));

  task = g_task_new (NULL, NULL, undone_cb, NULL);
  g_task_set_source_tag (task, undo_stock_action);
  g_task_set_task_data (task, undo, (GDestroyNotify) undo_free);
  g_task_run_in_thread (task, undo_thread);
}

static void
restore_variants_action (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  OmniContext *context = window_context (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const gint64 *ids;
  gsize n;

  ids = g_variant_get_fixed_array (param, &n, sizeof (gint64));
  if (!omni_store_set_variants_archived (omni_context_get_store (context), ids, (guint) n, FALSE,
                                         &error))
    {
      omni_inventory_show_error (GTK_WIDGET (user_data), error->message);
      return;
    }

  text = g_strdup_printf (ngettext ("Restored %u variant", "Restored %u variants", (gulong) n),
                          (guint) n);
  omni_inventory_add_toast (GTK_WIDGET (user_data), omni_toast_new_text (text));
  omni_context_store_changed (context);
}

static void
restore_reorder_points_action (GSimpleAction *action,
                               GVariant      *param,
                               gpointer       user_data)
{
  OmniContext *context = window_context (user_data);
  OmniStore *store = omni_context_get_store (context);
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  gint64 id, point;
  gboolean ok;

  /* One transaction: all points come back, or none. */
  ok = omni_store_begin (store, &error);
  g_variant_iter_init (&iter, param);
  while (ok && g_variant_iter_next (&iter, "(xx)", &id, &point))
    ok = omni_store_set_reorder_point (store, &id, 1, point, -2, &error);
  if (ok)
    ok = omni_store_commit (store, &error);
  else
    omni_store_rollback (store);

  if (!ok)
    {
      omni_inventory_show_error (GTK_WIDGET (user_data), error->message);
      return;
    }

  omni_inventory_add_toast (GTK_WIDGET (user_data), omni_toast_new_text (_("Change undone")));
  omni_context_store_changed (context);
}

static void
batch_selected_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  static const struct { const char *name; OmniBatchKind kind; } kinds[] = {
    { "adjust", OMNI_BATCH_ADJUST },
    { "set", OMNI_BATCH_SET },
    { "transfer", OMNI_BATCH_TRANSFER },
    { "reorder-point", OMNI_BATCH_REORDER_POINT },
    { "archive", OMNI_BATCH_ARCHIVE },
  };
  GtkWidget *products = omni_window_get_page (OMNI_WINDOW (user_data), "products");
  const char *name = g_variant_get_string (param, NULL);
  g_autoptr(GArray) ids = NULL;

  if (!OMNI_IS_PRODUCTS_PAGE (products))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      {
        ids = omni_products_page_dup_selected_variant_ids (OMNI_PRODUCTS_PAGE (products));
        omni_inventory_batch_prompt (products, window_context (user_data), kinds[i].kind,
                                     ids != NULL ? &g_array_index (ids, const gint64, 0) : NULL,
                                     ids != NULL ? ids->len : 0, 0);
        return;
      }
  g_warning ("There is no batch operation named “%s”", name);
}

static void
lock_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  OmniLockView *lock = g_object_get_data (G_OBJECT (user_data), "omni-lock-view");

  if (lock != NULL)
    omni_lock_view_lock (lock);
}

static const GActionEntry action_entries[] = {
  { "adjust-stock", adjust_stock_action, "x" },
  { "transfer-stock", transfer_stock_action, "x" },
  { "stock-history", stock_history_action, "x" },
  { "undo-stock", undo_stock_action, "s" },
  { "restore-variants", restore_variants_action, "ax" },
  { "restore-reorder-points", restore_reorder_points_action, "a(xx)" },
  { "lock", lock_action },
  { "batch-selected", batch_selected_action, "s" },
};

static GtkWidget *
find_header_bar (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_HEADER_BAR (child))
        return child;
      if ((found = find_header_bar (child)) != NULL)
        return found;
    }
  return NULL;
}

/* The lock view joins the window's outer stack (its content); the staff
 * button goes to the end of the content's header bar. */
static void
install_lock (OmniWindow *window)
{
  OmniContext *context = omni_window_get_context (window);
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  GtkEventController *shortcuts;
  GtkWidget *lock;
  GtkWidget *header;

  if (!GTK_IS_STACK (content))
    return;

  lock = omni_lock_view_new (context);
  gtk_stack_add_named (GTK_STACK (content), lock, "locked");
  g_object_set_data (G_OBJECT (window), "omni-lock-view", lock);

  header = find_header_bar (content);
  if (header != NULL)
    adw_header_bar_pack_end (ADW_HEADER_BAR (header), omni_staff_button_new (context));

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>l"),
                                                          gtk_named_action_new ("win.lock")));
  gtk_widget_add_controller (GTK_WIDGET (window), shortcuts);

  omni_lock_view_lock_if_needed (OMNI_LOCK_VIEW (lock));
}

/**
 * omni_inventory_actions_install:
 * @window: a window with a context
 *
 * Adds the stock actions to @window.
 */
void
omni_inventory_actions_install (OmniWindow *window)
{
  g_return_if_fail (OMNI_IS_WINDOW (window));
  g_return_if_fail (omni_window_get_context (window) != NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (window),
                                   action_entries, G_N_ELEMENTS (action_entries),
                                   window);
  install_lock (window);
}
