/* omni-count-page.c: the Stock Count page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three views: "start" (no count open, or the list of open counts), "scan"
 * (the scan entry, the last scanned item, the counted lines and the unknown
 * codes) and "review" (totals and variances, then commit or cancel).
 *
 * Reading a count runs in a worker (omni-count-worker.c) and replaces the
 * lines; every write (a scan, an edit, a link, start, commit, cancel, undo,
 * export) goes to an OmniCountQueue, which runs them in order off the main
 * thread and reports each back here, where the one line it changed is
 * updated in place. The entry is never made insensitive and never waits: a
 * burst of scans queues up behind the write in flight.
 *
 * A read that started before a write reported back may be older than what
 * is on screen; such a read is thrown away and made again once the queue is
 * idle (the writes counter tells).
 */
#define G_LOG_DOMAIN "omni-count-page"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-count-cell.h"
#include "omni-count-link-dialog.h"
#include "omni-count-model.h"
#include "omni-count-page.h"
#include "omni-count-queue.h"
#include "omni-count-review.h"
#include "omni-count-scan-panel.h"
#include "omni-count-start-dialog.h"
#include "omni-count-worker.h"
#include "omni-toast.h"

struct _OmniCountPage
{
  OmniPage             parent_instance;

  GtkStack            *view_stack;
  AdwStatusPage       *start_page;
  AdwPreferencesGroup *open_group;
  GtkListBox          *open_list;
  GtkLabel            *session_title;
  GtkLabel            *session_subtitle;
  OmniCountScanPanel  *scan_panel;
  AdwViewStack        *list_stack;
  AdwViewStackPage    *codes_page;
  GtkStack            *lines_stack;
  GtkStack            *codes_stack;
  GtkColumnView       *lines_view;
  GtkListBox          *codes_list;
  OmniCountReview     *review;

  OmniCountModel      *model;
  OmniCountQueue      *queue;
  /* The count on screen; NULL on the start view. */
  OmniCountSession    *session;
  char                *currency;
  /* Cancelled in dispose: no worker reports to a page that is gone. */
  GCancellable        *cancellable;
  /* Exports waiting for the queue, oldest first. */
  GQueue               exports;

  /* Writes reported back so far, and how many there were when the running
   * read started. */
  guint64              writes;
  guint64              load_writes;
  /* The count the next read asks for: 0 picks the only open one, -1 none. */
  gint64               load_target;

  guint                loaded : 1;
  guint                loading : 1;
  guint                load_again : 1;
  guint                own_change : 1;
  guint                committing : 1;
};

G_DEFINE_FINAL_TYPE (OmniCountPage, omni_count_page, OMNI_TYPE_PAGE)

static const OmniCountColumn line_columns[] = {
  OMNI_COUNT_COLUMN_PRODUCT,
  OMNI_COUNT_COLUMN_SKU,
  OMNI_COUNT_COLUMN_EXPECTED,
  OMNI_COUNT_COLUMN_COUNTED,
  OMNI_COUNT_COLUMN_VARIANCE,
  OMNI_COUNT_COLUMN_VALUE,
  OMNI_COUNT_COLUMN_REMOVE,
};

static void request_load (OmniCountPage *self);

/* Helpers ---------------------------------------------------------------- */

static OmniContext *
get_context (OmniCountPage *self)
{
  return omni_page_get_context (OMNI_PAGE (self));
}

static const char *
get_path (OmniCountPage *self)
{
  return omni_store_get_path (omni_context_get_store (get_context (self)));
}

static GtkWindow *
get_window (OmniCountPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
add_toast (OmniCountPage *self,
           AdwToast      *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
toast (OmniCountPage *self,
       const char    *text)
{
  add_toast (self, omni_toast_new_text (text));
}

/* The toast lives in the window's overlay, outside the page, where the
 * page's actions cannot be reached by name: its button runs the action
 * on the page itself. */
static void
undo_clicked_cb (AdwToast      *undo,
                 OmniCountPage *self)
{
  gtk_widget_activate_action_variant (GTK_WIDGET (self),
                                      g_object_get_data (G_OBJECT (undo), "omni-action"),
                                      g_object_get_data (G_OBJECT (undo), "omni-target"));
}

/* @target is sunk. */
static void
undo_toast (OmniCountPage *self,
            const char    *text,
            const char    *action,
            GVariant      *target)
{
  AdwToast *undo = omni_toast_new_text (text);

  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (undo), "omni-action", (gpointer) action);
  g_object_set_data_full (G_OBJECT (undo), "omni-target", g_variant_ref_sink (target),
                          (GDestroyNotify) g_variant_unref);
  g_signal_connect_object (undo, "button-clicked", G_CALLBACK (undo_clicked_cb), self, 0);
  add_toast (self, undo);
}

/* Other pages hear about it; this one already shows it. */
static void
store_changed (OmniCountPage *self)
{
  self->own_change = TRUE;
  omni_context_store_changed (get_context (self));
  self->own_change = FALSE;
}

static const char *
session_location (const OmniCountSession *session)
{
  return session->location != NULL ? session->location : _("Default Location");
}

/* "Whole location", "Vendor Kiln & Co." … */
static char *
describe_scope (const OmniCountSession *session)
{
  const char *kind = session->scope_kind != NULL ? session->scope_kind : "all";
  const char *value = session->scope_value != NULL ? session->scope_value : "";

  if (g_str_equal (kind, "vendor"))
    return g_strdup_printf (_("Vendor “%s”"), value);
  if (g_str_equal (kind, "type"))
    return g_strdup_printf (_("Product type “%s”"), value);
  if (g_str_equal (kind, "tag"))
    return g_strdup_printf (_("Tag “%s”"), value);

  return g_strdup (_("Whole location"));
}

/* The store keeps UTC ISO 8601 times; people read local ones. */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso != NULL ? iso : "");

  local = g_date_time_to_local (utc);
  /* TRANSLATORS: when a count started; a g_date_time_format() string */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

static char *
describe_session (const OmniCountSession *session)
{
  g_autofree char *scope = describe_scope (session);
  g_autofree char *started = format_time (session->started_at);

  /* TRANSLATORS: what a count covers, then when it started */
  return g_strdup_printf (_("%s · started %s"), scope, started);
}

/* State ------------------------------------------------------------------ */

static void
update_actions (OmniCountPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean open = self->session != NULL;
  gboolean idle = !self->committing;

  gtk_widget_action_set_enabled (widget, "count.start", !open);
  gtk_widget_action_set_enabled (widget, "count.review", open && idle);
  gtk_widget_action_set_enabled (widget, "count.back", open && idle);
  gtk_widget_action_set_enabled (widget, "count.commit", open && idle);
  gtk_widget_action_set_enabled (widget, "count.cancel", open && idle);
  gtk_widget_action_set_enabled (widget, "count.export", open);
  gtk_widget_action_set_enabled (widget, "count.show-open", open && idle);
  gtk_widget_action_set_enabled (widget, "count.set-line", open && idle);
  gtk_widget_action_set_enabled (widget, "count.remove-line", open && idle);
  gtk_widget_action_set_enabled (widget, "count.restore-line", open && idle);
  gtk_widget_action_set_enabled (widget, "count.link", open && idle);
}

static void
update_lists (OmniCountPage *self)
{
  guint lines = g_list_model_get_n_items (omni_count_model_get_lines (self->model));
  guint codes = g_list_model_get_n_items (omni_count_model_get_codes (self->model));

  gtk_stack_set_visible_child_name (self->lines_stack, lines > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->codes_stack, codes > 0 ? "list" : "empty");
  adw_view_stack_page_set_badge_number (self->codes_page, codes);
  adw_view_stack_page_set_needs_attention (self->codes_page, codes > 0);
}

static void
refresh_review (OmniCountPage *self)
{
  g_autofree char *description = NULL;
  g_autofree char *subtitle = NULL;

  if (self->session == NULL)
    return;

  description = describe_session (self->session);
  subtitle = g_strdup_printf ("%s · %s", session_location (self->session), description);
  omni_count_review_refresh (self->review, self->currency, subtitle);
}

static void
show_view (OmniCountPage *self,
           const char    *name)
{
  gtk_stack_set_visible_child_name (self->view_stack, name);

  if (g_str_equal (name, "scan"))
    omni_count_scan_panel_focus_entry (self->scan_panel);
  else if (g_str_equal (name, "review"))
    {
      refresh_review (self);
      omni_count_review_focus_back (self->review);
    }
}

/* Open counts ------------------------------------------------------------ */

static GtkWidget *
create_open_row (const OmniCountSession *session)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *scope = describe_session (session);
  g_autofree char *units = g_strdup_printf ("%'" G_GINT64_FORMAT, session->counted_units);
  g_autofree char *subtitle = NULL;

  /* TRANSLATORS: an open count: its scope and start, then the units counted */
  subtitle = g_strdup_printf (ngettext ("%s · %s unit counted", "%s · %s units counted",
                                        (gulong) CLAMP (session->counted_units, 0, G_MAXLONG)),
                              scope, units);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), session_location (session));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "count.resume");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", session->id);

  return row;
}

static void
show_open_sessions (OmniCountPage *self,
                    GPtrArray     *sessions)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->open_list))) != NULL)
    gtk_list_box_remove (self->open_list, child);

  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    gtk_list_box_append (self->open_list, create_open_row (g_ptr_array_index (sessions, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->open_group), sessions != NULL && sessions->len > 0);
}

/* Unknown codes ---------------------------------------------------------- */

static GtkWidget *
create_code_row (gpointer item,
                 gpointer user_data)
{
  OmniCountCode *code = OMNI_COUNT_CODE (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Link…"));
  gint64 scans = omni_count_code_get_scans (code);
  g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, scans);
  g_autofree char *subtitle = g_strdup_printf (ngettext ("Scanned %s time", "Scanned %s times",
                                                         (gulong) CLAMP (scans, 0, G_MAXLONG)),
                                               number);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), omni_count_code_get_code (code));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Link the Code to a Product"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "count.link");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", omni_count_code_get_code (code));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

/* Loading ---------------------------------------------------------------- */

/* A count resumed shows the line scanned last, as it was left. */
static void
show_last_scanned (OmniCountPage *self,
                   GPtrArray     *lines)
{
  const OmniCountLine *last = NULL;

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const OmniCountLine *line = g_ptr_array_index (lines, i);

      if (line->scanned && line->last_scan_at != NULL &&
          (last == NULL || g_strcmp0 (line->last_scan_at, last->last_scan_at) > 0))
        last = line;
    }

  if (last != NULL)
    omni_count_scan_panel_show_item (self->scan_panel,
                                     omni_count_model_lookup (self->model, last->variant_id));
}

static void
apply_snapshot (OmniCountPage     *self,
                OmniCountSnapshot *snapshot)
{
  const char *view = gtk_stack_get_visible_child_name (self->view_stack);
  gboolean resumed = FALSE;

  if (g_strcmp0 (self->currency, snapshot->currency) != 0)
    {
      g_autoptr(GtkNoSelection) selection = NULL;

      g_free (self->currency);
      self->currency = g_steal_pointer (&snapshot->currency);
      /* Cells take the currency when bound: bind them again. */
      selection = gtk_no_selection_new (g_object_ref (omni_count_model_get_lines (self->model)));
      gtk_column_view_set_model (self->lines_view, GTK_SELECTION_MODEL (selection));
    }
  show_open_sessions (self, snapshot->open_sessions);

  if (snapshot->session == NULL)
    {
      g_clear_pointer (&self->session, omni_count_session_free);
      omni_count_model_reset (self->model, NULL, NULL);
      omni_count_scan_panel_reset (self->scan_panel);
      show_view (self, "start");
      update_lists (self);
      update_actions (self);
      return;
    }

  if (self->session == NULL || self->session->id != snapshot->session->id)
    {
      omni_count_scan_panel_reset (self->scan_panel);
      view = "scan";
      resumed = TRUE;
    }
  else if (g_strcmp0 (view, "review") != 0)
    view = "scan";

  g_clear_pointer (&self->session, omni_count_session_free);
  self->session = g_steal_pointer (&snapshot->session);
  self->load_target = self->session->id;

  {
    g_autofree char *title = g_strdup_printf (_("Counting %s"), session_location (self->session));
    g_autofree char *subtitle = describe_session (self->session);

    gtk_label_set_label (self->session_title, title);
    gtk_label_set_label (self->session_subtitle, subtitle);
  }

  omni_count_model_reset (self->model, snapshot->lines, snapshot->unknown);
  if (resumed)
    show_last_scanned (self, snapshot->lines);
  update_lists (self);
  update_actions (self);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), view) != 0)
    show_view (self, view);
  else if (g_str_equal (view, "review"))
    refresh_review (self);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  OmniCountPage *self;
  g_autoptr(OmniCountSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  snapshot = omni_count_worker_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_COUNT_PAGE (user_data);
  self->loading = FALSE;

  if (snapshot == NULL)
    {
      toast (self, error->message);
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "loading") == 0)
        show_view (self, "start");
      return;
    }

  /* Older than what a write reported since: read again once writes stop. */
  if (self->load_again || self->writes != self->load_writes ||
      omni_count_queue_get_busy (self->queue))
    {
      self->load_again = TRUE;
      if (!omni_count_queue_get_busy (self->queue))
        request_load (self);
      return;
    }

  self->loaded = TRUE;
  apply_snapshot (self, snapshot);
}

static void
request_load (OmniCountPage *self)
{
  if (self->loading || omni_count_queue_get_busy (self->queue))
    {
      /* Read again after the running read, or once the queue is idle. */
      self->load_again = TRUE;
      return;
    }

  self->loading = TRUE;
  self->load_again = FALSE;
  self->load_writes = self->writes;
  omni_count_worker_load_async (get_path (self), self->load_target, self->cancellable,
                                load_cb, self);
}

static void
queue_busy_cb (OmniCountPage *self)
{
  if (!omni_count_queue_get_busy (self->queue) && self->load_again && !self->loading)
    request_load (self);
}

static void
context_store_changed_cb (OmniCountPage *self)
{
  /* Sales and adjustments elsewhere change what is expected. */
  if (!self->own_change && self->loaded)
    request_load (self);
}

static void
map_cb (OmniCountPage *self)
{
  if (!self->loaded && !self->loading)
    request_load (self);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "scan") == 0)
    omni_count_scan_panel_focus_entry (self->scan_panel);
}

/* Writes ----------------------------------------------------------------- */

static gboolean
is_current (OmniCountPage     *self,
            const OmniCountOp *op)
{
  return self->session != NULL && self->session->id == op->session_id;
}

static void
scan_done (OmniCountPage *self,
           OmniCountOp   *op)
{
  if (!is_current (self, op))
    return;

  if (op->line != NULL)
    {
      OmniCountItem *item = omni_count_model_apply_line (self->model, op->line);

      omni_count_scan_panel_show_item (self->scan_panel, item);
      return;
    }

  if (g_error_matches (op->error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND))
    {
      g_autofree char *code = g_strstrip (g_strdup (op->code));

      omni_count_model_add_unknown (self->model, code);
      omni_count_scan_panel_show_unknown (self->scan_panel, code);
      return;
    }

  omni_count_scan_panel_show_error (self->scan_panel, op->error->message);
}

static void
line_done (OmniCountPage *self,
           OmniCountOp   *op)
{
  if (!is_current (self, op))
    return;

  if (op->error != NULL)
    {
      toast (self, op->error->message);
      request_load (self);
      return;
    }

  if (op->kind == OMNI_COUNT_OP_LINK)
    {
      OmniCountItem *item = omni_count_model_apply_line (self->model, op->line);

      omni_count_model_remove_unknown (self->model, op->code);
      omni_count_scan_panel_forget_code (self->scan_panel, op->code);
      omni_count_scan_panel_show_item (self->scan_panel, item);
      /* The variant has a barcode now. */
      store_changed (self);
      return;
    }

  if (op->line != NULL)
    omni_count_model_apply_line (self->model, op->line);
}

static void
start_done (OmniCountPage *self,
            OmniCountOp   *op)
{
  if (op->error != NULL)
    {
      toast (self, op->error->message);
      return;
    }

  self->load_target = op->session_id;
  store_changed (self);
  request_load (self);
}

static void
commit_done (OmniCountPage *self,
             OmniCountOp   *op)
{
  self->committing = FALSE;
  omni_count_review_set_busy (self->review, NULL);
  update_actions (self);

  if (op->error != NULL)
    {
      toast (self, op->error->message);
      request_load (self);
      return;
    }

  undo_toast (self, _("Count committed: stock now matches what was counted"),
              "count.undo-commit", g_variant_new_string (op->operation));

  self->load_target = -1;
  store_changed (self);
  request_load (self);
}

static void
cancel_done (OmniCountPage *self,
             OmniCountOp   *op)
{
  if (op->error != NULL)
    {
      toast (self, op->error->message);
      request_load (self);
      return;
    }

  toast (self, _("Count cancelled: stock is unchanged"));
  self->load_target = -1;
  store_changed (self);
  request_load (self);
}

static void
undo_done (OmniCountPage *self,
           OmniCountOp   *op)
{
  if (op->error != NULL)
    {
      toast (self, op->error->message);
      return;
    }

  toast (self, _("Count undone: stock is back as it was"));
  store_changed (self);
}

static void
export_done (OmniCountPage *self,
             OmniCountOp   *op)
{
  g_autoptr(GTask) task = g_queue_pop_head (&self->exports);

  g_return_if_fail (task != NULL);

  if (op->error != NULL)
    g_task_return_error (task, g_error_copy (op->error));
  else
    g_task_return_int (task, op->written);
}

static void
op_done_cb (OmniCountPage *self,
            OmniCountOp   *op)
{
  self->writes++;

  switch (op->kind)
    {
    case OMNI_COUNT_OP_SCAN:
      scan_done (self, op);
      break;

    case OMNI_COUNT_OP_SET:
    case OMNI_COUNT_OP_REMOVE:
    case OMNI_COUNT_OP_LINK:
      line_done (self, op);
      break;

    case OMNI_COUNT_OP_START:
      start_done (self, op);
      break;

    case OMNI_COUNT_OP_COMMIT:
      commit_done (self, op);
      break;

    case OMNI_COUNT_OP_CANCEL:
      cancel_done (self, op);
      break;

    case OMNI_COUNT_OP_UNDO:
      undo_done (self, op);
      break;

    case OMNI_COUNT_OP_EXPORT:
      export_done (self, op);
      break;

    default:
      g_assert_not_reached ();
    }

  update_lists (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "review") == 0)
    refresh_review (self);
}

static void
push (OmniCountPage *self,
      OmniCountOp   *op)
{
  omni_count_queue_push (self->queue, op);
}

static void
scan_cb (OmniCountPage *self,
         const char    *code,
         gint64         quantity)
{
  OmniCountOp *op;

  if (self->session == NULL)
    return;

  op = omni_count_op_new (OMNI_COUNT_OP_SCAN, self->session->id);
  op->code = g_strdup (code);
  op->quantity = quantity;
  push (self, op);
}

/* Linking ---------------------------------------------------------------- */

static void
linked_cb (OmniCountLinkDialog *dialog,
           gint64               variant_id,
           const char          *title,
           OmniCountPage       *self)
{
  OmniCountOp *op;

  if (self->session == NULL)
    return;

  op = omni_count_op_new (OMNI_COUNT_OP_LINK, self->session->id);
  op->code = g_strdup (omni_count_link_dialog_get_code (dialog));
  op->variant_id = variant_id;
  push (self, op);
}

static gint64
code_scans (OmniCountPage *self,
            const char    *code)
{
  GListModel *codes = omni_count_model_get_codes (self->model);

  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(OmniCountCode) entry = g_list_model_get_item (codes, i);

      if (g_str_equal (omni_count_code_get_code (entry), code))
        return omni_count_code_get_scans (entry);
    }

  return 1;
}

static void
open_link_dialog (OmniCountPage *self,
                  const char    *code)
{
  OmniCountLinkDialog *dialog;

  if (self->session == NULL)
    return;

  dialog = omni_count_link_dialog_new (get_window (self),
                                       omni_context_get_store (get_context (self)),
                                       code, code_scans (self, code));
  g_signal_connect_object (dialog, "linked", G_CALLBACK (linked_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
link_requested_cb (OmniCountPage *self,
                   const char    *code)
{
  open_link_dialog (self, code);
}

/* Actions ---------------------------------------------------------------- */

static void
start_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   OmniCountPage    *self)
{
  OmniCountStartDialog *start = OMNI_COUNT_START_DIALOG (dialog);
  OmniCountOp *op;

  if (!g_str_equal (response, "start") || !omni_count_start_dialog_get_ready (start) ||
      self->session != NULL)
    return;

  op = omni_count_op_new (OMNI_COUNT_OP_START, 0);
  op->quantity = omni_count_start_dialog_get_location_id (start);
  op->scope_kind = g_strdup (omni_count_start_dialog_get_scope_kind (start));
  op->code = g_strdup (omni_count_start_dialog_get_scope_value (start));
  op->actor = omni_context_dup_actor (get_context (self));
  push (self, op);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);
  OmniCountStartDialog *dialog = omni_count_start_dialog_new (get_window (self), get_path (self));

  g_signal_connect_object (dialog, "response", G_CALLBACK (start_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);

  self->load_target = g_variant_get_int64 (param);
  request_load (self);
}

static void
show_open_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);

  self->load_target = -1;
  request_load (self);
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  show_view (OMNI_COUNT_PAGE (widget), "review");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  show_view (OMNI_COUNT_PAGE (widget), "scan");
}

static void
commit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);
  OmniCountOp *op;

  if (self->session == NULL || self->committing)
    return;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "review") != 0)
    show_view (self, "review");

  self->committing = TRUE;
  omni_count_review_set_busy (self->review, _("Committing the count…"));
  update_actions (self);

  op = omni_count_op_new (OMNI_COUNT_OP_COMMIT, self->session->id);
  op->actor = omni_context_dup_actor (get_context (self));
  push (self, op);
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    OmniCountPage    *self)
{
  gint64 session_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "omni-session"));

  if (!g_str_equal (response, "discard") || self->session == NULL ||
      self->session->id != session_id)
    return;

  push (self, omni_count_op_new (OMNI_COUNT_OP_CANCEL, session_id));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);
  GtkWidget *dialog;

  if (self->session == NULL)
    return;

  dialog = adw_message_dialog_new (get_window (self), _("Cancel This Count?"),
                                   _("Its scans are discarded and stock stays as it is."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Counting"),
                                    "discard", _("_Cancel Count"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data (G_OBJECT (dialog), "omni-session", GSIZE_TO_POINTER (self->session->id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gssize written;

  written = omni_count_page_export_finish (self, result, &error);
  if (written < 0)
    {
      toast (self, error->message);
      return;
    }

  text = g_strdup_printf (ngettext ("Exported %'" PRIdPTR " line",
                                    "Exported %'" PRIdPTR " lines",
                                    (gulong) written),
                          written);
  toast (self, text);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    OmniCountPage   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    omni_count_page_export_async (self, file, export_cb, NULL);

  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->session == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Count Sheet"), get_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strdup_printf ("stock-count-%" G_GINT64_FORMAT ".csv", self->session->id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
set_line_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);
  OmniCountOp *op;
  gint64 variant_id, counted;

  if (self->session == NULL)
    return;

  g_variant_get (param, "(xx)", &variant_id, &counted);
  op = omni_count_op_new (OMNI_COUNT_OP_SET, self->session->id);
  op->variant_id = variant_id;
  op->quantity = counted;
  push (self, op);
}

static void
remove_line_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);
  gint64 variant_id = g_variant_get_int64 (param);
  g_autoptr(OmniCountItem) item = NULL;
  g_autofree char *text = NULL;
  OmniCountOp *op;

  if (self->session == NULL ||
      !(item = omni_count_model_remove_line (self->model, variant_id)))
    return;

  op = omni_count_op_new (OMNI_COUNT_OP_REMOVE, self->session->id);
  op->variant_id = variant_id;
  push (self, op);
  update_lists (self);

  text = g_strdup_printf (_("“%s” taken out of the count"), omni_count_item_get_title (item));
  undo_toast (self, text, "count.restore-line",
              g_variant_new ("(xx)", variant_id, omni_count_item_get_counted (item)));
}

static void
link_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  open_link_dialog (OMNI_COUNT_PAGE (widget), g_variant_get_string (param, NULL));
}

static void
undo_commit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (widget);
  OmniCountOp *op = omni_count_op_new (OMNI_COUNT_OP_UNDO, 0);

  op->code = g_variant_dup_string (param, NULL);
  op->actor = omni_context_dup_actor (get_context (self));
  push (self, op);
}

/* Keys ------------------------------------------------------------------- */

/* A scanner types wherever the focus is. While a count is on screen, a
 * printable key pressed outside any text field (after a click in the list,
 * say, or on the review) goes to the scan entry, focus and all, so no code
 * is lost. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                OmniCountPage         *self)
{
  GtkEntry *entry = omni_count_scan_panel_get_entry (self->scan_panel);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gunichar character = gdk_keyval_to_unicode (keyval);
  const char *view = gtk_stack_get_visible_child_name (self->view_stack);

  if (self->session == NULL || self->committing ||
      (g_strcmp0 (view, "scan") != 0 && g_strcmp0 (view, "review") != 0) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 ||
      character == 0 || !g_unichar_isgraph (character) ||
      (focus != NULL && GTK_IS_EDITABLE (focus)))
    return GDK_EVENT_PROPAGATE;

  if (g_str_equal (view, "scan"))
    omni_count_scan_panel_focus_entry (self->scan_panel);
  else
    show_view (self, "scan");

  return gtk_event_controller_key_forward (GTK_EVENT_CONTROLLER_KEY (controller),
                                           gtk_editable_get_delegate (GTK_EDITABLE (entry)) != NULL ?
                                           GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry))) :
                                           GTK_WIDGET (entry));
}

/* Object ----------------------------------------------------------------- */

static void
omni_count_page_constructed (GObject *object)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (object);

  G_OBJECT_CLASS (omni_count_page_parent_class)->constructed (object);

  self->queue = omni_count_queue_new (get_path (self));
  g_signal_connect_object (self->queue, "done", G_CALLBACK (op_done_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::busy", G_CALLBACK (queue_busy_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (get_context (self), "store-changed",
                           G_CALLBACK (context_store_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
omni_count_page_dispose (GObject *object)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (object);
  GTask *task;

  g_cancellable_cancel (self->cancellable);
  /* Writes still queued go on to the disk; nobody hears back. */
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  while ((task = g_queue_pop_head (&self->exports)) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The count page was closed");
      g_object_unref (task);
    }

  /* The stack is both a template child and the bin's child: let the bin
   * unparent it first, or both would. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_COUNT_PAGE);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (omni_count_page_parent_class)->dispose (object);
}

static void
omni_count_page_finalize (GObject *object)
{
  OmniCountPage *self = OMNI_COUNT_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, omni_count_session_free);
  g_free (self->currency);

  G_OBJECT_CLASS (omni_count_page_parent_class)->finalize (object);
}

static void
omni_count_page_class_init (OmniCountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_count_page_constructed;
  object_class->dispose = omni_count_page_dispose;
  object_class->finalize = omni_count_page_finalize;

  g_type_ensure (OMNI_TYPE_COUNT_SCAN_PANEL);
  g_type_ensure (OMNI_TYPE_COUNT_REVIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-count-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, start_page);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, open_group);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, open_list);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, session_title);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, session_subtitle);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, scan_panel);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, codes_page);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, lines_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, codes_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, lines_view);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, codes_list);
  gtk_widget_class_bind_template_child (widget_class, OmniCountPage, review);
  gtk_widget_class_bind_template_callback (widget_class, scan_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_requested_cb);

  gtk_widget_class_install_action (widget_class, "count.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "count.resume", "x", resume_action);
  gtk_widget_class_install_action (widget_class, "count.show-open", NULL, show_open_action);
  gtk_widget_class_install_action (widget_class, "count.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "count.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "count.commit", NULL, commit_action);
  gtk_widget_class_install_action (widget_class, "count.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "count.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "count.set-line", "(xx)", set_line_action);
  gtk_widget_class_install_action (widget_class, "count.remove-line", "x", remove_line_action);
  gtk_widget_class_install_action (widget_class, "count.restore-line", "(xx)", set_line_action);
  gtk_widget_class_install_action (widget_class, "count.link", "s", link_action);
  gtk_widget_class_install_action (widget_class, "count.undo-commit", "s", undo_commit_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "count.review", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "count.review", NULL);
}

static void
omni_count_page_init (OmniCountPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->exports);
  self->model = omni_count_model_new ();

  omni_count_columns_append (self->lines_view, line_columns, G_N_ELEMENTS (line_columns),
                             &self->currency);
  selection = gtk_no_selection_new (g_object_ref (omni_count_model_get_lines (self->model)));
  gtk_column_view_set_model (self->lines_view, GTK_SELECTION_MODEL (selection));
  gtk_list_box_bind_model (self->codes_list, omni_count_model_get_codes (self->model),
                           create_code_row, self, NULL);
  omni_count_review_set_model (self->review, self->model);

  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  update_lists (self);
  update_actions (self);
}

/**
 * omni_count_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_count_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_COUNT_PAGE,
                       "context", context,
                       NULL);
}

/**
 * omni_count_page_get_session_id:
 *
 * Returns: the count on screen, 0 when none is
 */
gint64
omni_count_page_get_session_id (OmniCountPage *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_PAGE (self), 0);

  return self->session != NULL ? self->session->id : 0;
}

/**
 * omni_count_page_get_view:
 *
 * Returns: "loading", "start", "scan" or "review"
 */
const char *
omni_count_page_get_view (OmniCountPage *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->view_stack);
}

/**
 * omni_count_page_get_busy:
 *
 * Returns: whether a read or a write is still running or waiting
 */
gboolean
omni_count_page_get_busy (OmniCountPage *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_PAGE (self), FALSE);

  return self->loading || self->load_again || omni_count_queue_get_busy (self->queue);
}

/**
 * omni_count_page_get_scan_panel:
 *
 * Returns: (transfer none): the #OmniCountScanPanel
 */
GtkWidget *
omni_count_page_get_scan_panel (OmniCountPage *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_PAGE (self), NULL);

  return GTK_WIDGET (self->scan_panel);
}

/**
 * omni_count_page_get_review:
 *
 * Returns: (transfer none): the #OmniCountReview
 */
GtkWidget *
omni_count_page_get_review (OmniCountPage *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_PAGE (self), NULL);

  return GTK_WIDGET (self->review);
}

/**
 * omni_count_page_get_lines:
 *
 * Returns: (transfer none): the #OmniCountItem lines the list shows, in its order
 */
GListModel *
omni_count_page_get_lines (OmniCountPage *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_PAGE (self), NULL);

  return omni_count_model_get_lines (self->model);
}

/**
 * omni_count_page_get_codes:
 *
 * Returns: (transfer none): the #OmniCountCode unknown codes
 */
GListModel *
omni_count_page_get_codes (OmniCountPage *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_PAGE (self), NULL);

  return omni_count_model_get_codes (self->model);
}

/**
 * omni_count_page_export_async:
 * @file: the CSV file to write (replaced if it exists)
 *
 * Writes the count sheet of the count on screen, after every scan made so
 * far: all lines, expected, counted, variance and its value at cost.
 */
void
omni_count_page_export_async (OmniCountPage       *self,
                              GFile               *file,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OmniCountOp *op;

  g_return_if_fail (OMNI_IS_COUNT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, omni_count_page_export_async);

  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "No count is open to export");
      return;
    }

  op = omni_count_op_new (OMNI_COUNT_OP_EXPORT, self->session->id);
  op->file = g_object_ref (file);
  g_queue_push_tail (&self->exports, g_steal_pointer (&task));
  push (self, op);
}

/**
 * omni_count_page_export_finish:
 *
 * Returns: the number of lines written, or -1 with @error set
 */
gssize
omni_count_page_export_finish (OmniCountPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        omni_count_page_export_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
