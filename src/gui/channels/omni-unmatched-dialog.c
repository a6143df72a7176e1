/* omni-unmatched-dialog.c: a channel's remote variants that match no local
 * variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sync lists what it could not link by SKU or barcode (omni-store-remote.c)
 * and never guesses. This window shows that list, with a search, and lets
 * the merchant link a row to a local variant (a second page: search or scan
 * its SKU or barcode, pick it), import it as a new local product, ignore it,
 * or import them all (all or none). Every read and write runs on a worker
 * with its own store connection; a write ends in a toast and
 * omni_context_store_changed(). omni_unmatched_button_new() is the Channels
 * page's entry: a button that counts on a worker and shows itself only when
 * the channel has unmatched variants.
 */
#define G_LOG_DOMAIN "omni-unmatched-dialog"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-currency.h"
#include "omni-store-catalog.h"
#include "omni-store-remote.h"
#include "omni-unmatched-dialog.h"
#include "omni-worker.h"
#include "omni-toast.h"

/* Rows shown at once; the search narrows a longer list. */
#define SHOWN_LIMIT 200
/* Local variants offered for a link. */
#define LOCAL_LIMIT 50

struct _OmniUnmatchedDialog
{
  AdwWindow        parent_instance;

  OmniContext     *context;
  char            *db_path;
  gint64           channel_id;
  char            *channel_name;

  AdwToastOverlay *toasts;
  GtkStack        *pages;           /* "list", "link" */
  GtkWidget       *back_button;
  GtkWidget       *import_all_button;
  AdwWindowTitle  *window_title;

  GtkSearchEntry  *search_entry;
  GtkStack        *list_stack;      /* "loading", "rows", "empty" */
  GtkListBox      *rows;
  GtkLabel        *more_label;
  AdwStatusPage   *empty_page;
  gint64           total;

  GtkSearchEntry  *local_entry;
  GtkStack        *local_stack;     /* "hint", "rows" */
  GtkListBox      *local_rows;
  GtkLabel        *link_heading;
  char            *linking_remote;
  char            *linking_label;
  char            *local_text;      /* what the last local search was for */

  GCancellable    *cancellable;
  GCancellable    *load_cancellable;
  GCancellable    *search_cancellable;
  guint            loads;
  guint            writes;
  gboolean         disposed;
};

G_DEFINE_FINAL_TYPE (OmniUnmatchedDialog, omni_unmatched_dialog, ADW_TYPE_WINDOW)

/* Worker ---------------------------------------------------------------- */

typedef enum
{
  JOB_LOAD,
  JOB_COUNT,
  JOB_SEARCH_LOCAL,
  JOB_LINK,
  JOB_IMPORT,
  JOB_IMPORT_ALL,
  JOB_IGNORE,
} JobKind;

typedef struct
{
  JobKind  kind;
  char    *db_path;
  gint64   channel_id;
  char    *remote_id;
  char    *label;
  char    *text;
  gint64   variant_id;
} Job;

typedef struct
{
  GPtrArray *rows;       /* OmniRemoteVariant or OmniVariantRow */
  gint64     total;
  char      *sku;        /* the local variant linked or made */
} JobResult;

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_free (job->remote_id);
  g_free (job->label);
  g_free (job->text);
  g_free (job);
}

static void
job_result_free (JobResult *result)
{
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result->sku);
  g_free (result);
}

static char *
variant_sku (OmniStore *store,
             gint64     variant_id)
{
  g_autoptr(OmniVariantRow) row = omni_store_get_variant (store, variant_id, NULL);

  return row != NULL ? g_strdup (row->sku) : NULL;
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  JobResult *result = g_new0 (JobResult, 1);
  GError *error = NULL;
  gboolean ok = FALSE;
  gint64 id;

  store = omni_store_open (job->db_path, &error);
  if (store != NULL)
    switch (job->kind)
      {
      case JOB_LOAD:
        result->rows = omni_store_list_remote_variants (store, job->channel_id, job->text, FALSE, 0,
                                                        SHOWN_LIMIT, &result->total, &error);
        ok = result->rows != NULL;
        break;
      case JOB_COUNT:
        result->total = omni_store_count_remote_variants (store, job->channel_id, FALSE);
        ok = TRUE;
        break;
      case JOB_SEARCH_LOCAL:
        result->rows = omni_store_search (store, job->text, LOCAL_LIMIT, &error);
        ok = result->rows != NULL;
        break;
      case JOB_LINK:
        ok = omni_store_link_remote_variant (store, job->channel_id, job->remote_id,
                                             job->variant_id, &error);
        if (ok)
          result->sku = variant_sku (store, job->variant_id);
        break;
      case JOB_IMPORT:
        id = omni_store_import_remote_variant (store, job->channel_id, job->remote_id, &error);
        ok = id > 0;
        if (ok)
          result->sku = variant_sku (store, id);
        break;
      case JOB_IMPORT_ALL:
        ok = omni_store_import_all_remote_variants (store, job->channel_id, &result->total, &error);
        break;
      case JOB_IGNORE:
        ok = omni_store_ignore_remote_variant (store, job->channel_id, job->remote_id, TRUE, &error);
        break;
      default:
        g_assert_not_reached ();
      }

  if (!ok)
    {
      job_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) job_result_free);
}

static Job *
job_new (OmniUnmatchedDialog *self,
         JobKind              kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->db_path = g_strdup (self->db_path);
  job->channel_id = self->channel_id;
  return job;
}

static void
job_run (gpointer             source,
         Job                 *job,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = source != NULL
                            ? omni_worker_task_new (source, cancellable, callback, user_data)
                            : g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, job_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

/* The list -------------------------------------------------------------- */

static void load (OmniUnmatchedDialog *self);
static void run_write (OmniUnmatchedDialog *self, Job *job);

static void
toast (OmniUnmatchedDialog *self,
       const char          *text)
{
  AdwToast *t = omni_toast_new_text (text);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toasts, t);
}

static char *
remote_title (const OmniRemoteVariant *r)
{
  if (r->product_title != NULL && r->title != NULL &&
      g_strcmp0 (r->title, "Default Title") != 0 &&
      g_strcmp0 (r->title, r->product_title) != 0)
    return g_strdup_printf ("%s — %s", r->product_title, r->title);
  if (r->product_title != NULL)
    return g_strdup (r->product_title);
  if (r->title != NULL)
    return g_strdup (r->title);
  return g_strdup (r->sku != NULL ? r->sku : r->remote_variant_id);
}

static char *
remote_subtitle (const OmniRemoteVariant *r)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (r->sku != NULL)
    /* TRANSLATORS: a remote variant's SKU */
    g_string_append_printf (text, _("SKU %s"), r->sku);
  else
    g_string_append (text, _("No SKU"));
  if (r->barcode != NULL)
    /* TRANSLATORS: appended to the SKU of a remote variant */
    g_string_append_printf (text, _(" · Barcode %s"), r->barcode);
  if (r->price >= 0 && r->currency != NULL)
    {
      g_autofree char *price = omni_currency_format (r->price, r->currency);

      g_string_append_printf (text, " · %s", price);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
remote_action_clicked_cb (GtkButton           *button,
                          OmniUnmatchedDialog *self)
{
  const char *action = gtk_widget_get_name (GTK_WIDGET (button));
  const char *remote_id = g_object_get_data (G_OBJECT (button), "remote-id");
  const char *label = g_object_get_data (G_OBJECT (button), "remote-label");

  if (g_str_equal (action, "link"))
    {
      g_autofree char *heading = NULL;

      g_free (self->linking_remote);
      self->linking_remote = g_strdup (remote_id);
      g_free (self->linking_label);
      self->linking_label = g_strdup (label);
      /* TRANSLATORS: above the local variant search; %s is the remote variant */
      heading = g_strdup_printf (_("Choose the local variant that is “%s”"), label);
      gtk_label_set_label (self->link_heading, heading);
      gtk_editable_set_text (GTK_EDITABLE (self->local_entry), "");
      g_clear_pointer (&self->local_text, g_free);
      gtk_stack_set_visible_child_name (self->local_stack, "hint");
      gtk_stack_set_visible_child_name (self->pages, "link");
      gtk_widget_set_visible (self->back_button, TRUE);
      gtk_widget_set_visible (self->import_all_button, FALSE);
      adw_window_title_set_title (self->window_title, _("Link Variant"));
      gtk_widget_grab_focus (GTK_WIDGET (self->local_entry));
      return;
    }

  {
    Job *job = job_new (self, g_str_equal (action, "import") ? JOB_IMPORT : JOB_IGNORE);

    job->remote_id = g_strdup (remote_id);
    job->label = g_strdup (label);
    run_write (self, job);
  }
}

static GtkWidget *
action_button (OmniUnmatchedDialog *self,
               GtkWidget           *button,
               const char          *action,
               const char          *remote_id,
               const char          *label)
{
  gtk_widget_set_name (button, action);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "remote-id", g_strdup (remote_id), g_free);
  g_object_set_data_full (G_OBJECT (button), "remote-label", g_strdup (label), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (remote_action_clicked_cb), self);
  return button;
}

static GtkWidget *
remote_row (OmniUnmatchedDialog     *self,
            const OmniRemoteVariant *r)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = remote_title (r);
  g_autofree char *subtitle = remote_subtitle (r);
  GtkWidget *ignore = gtk_button_new_from_icon_name ("view-conceal-symbolic");
  GtkWidget *link = gtk_button_new_with_mnemonic (_("_Link…"));
  GtkWidget *import = gtk_button_new_with_mnemonic (_("_Import"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, r->remote_variant_id);

  gtk_widget_add_css_class (ignore, "flat");
  gtk_widget_set_tooltip_text (ignore, _("Ignore"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (ignore), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Ignore"), -1);
  gtk_widget_set_tooltip_text (link, _("Link to a local variant"));
  gtk_widget_set_tooltip_text (import, _("Create a local product from it"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             action_button (self, link, "link", r->remote_variant_id, title));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             action_button (self, import, "import", r->remote_variant_id, title));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             action_button (self, ignore, "ignore", r->remote_variant_id, title));
  return row;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OmniUnmatchedDialog *self = OMNI_UNMATCHED_DIALOG (source);
  g_autoptr(GError) error = NULL;
  JobResult *loaded = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;
  gboolean searching;

  self->loads--;
  if (loaded != NULL && self->disposed)
    g_clear_pointer (&loaded, job_result_free);
  if (loaded == NULL)
    {
      if (self->disposed)
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows))) != NULL)
    gtk_list_box_remove (self->rows, child);
  for (guint i = 0; i < loaded->rows->len; i++)
    gtk_list_box_append (self->rows, remote_row (self, loaded->rows->pdata[i]));
  self->total = loaded->total;

  searching = gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0';
  if (loaded->total > (gint64) loaded->rows->len)
    {
      g_autofree char *more = g_strdup_printf (_("Showing %u of %" PRId64
                                                 "; search to find the others."),
                                               loaded->rows->len, loaded->total);

      gtk_label_set_label (self->more_label, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), loaded->total > (gint64) loaded->rows->len);
  gtk_widget_set_sensitive (self->import_all_button, loaded->total > 0 && !searching &&
                                                     self->writes == 0);
  if (loaded->rows->len > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "rows");
  else
    {
      adw_status_page_set_title (self->empty_page, searching ? _("No Matches")
                                                             : _("Every Variant Is Linked"));
      adw_status_page_set_description (self->empty_page,
                                       searching ? _("No unmatched variant has that SKU, barcode "
                                                     "or title.")
                                                 : _("Each variant this channel sells is linked "
                                                     "to a local one."));
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }
  job_result_free (loaded);
}

static void
load (OmniUnmatchedDialog *self)
{
  Job *job = job_new (self, JOB_LOAD);

  job->text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loads++;
  job_run (self, job, self->load_cancellable, loaded_cb, NULL);
}

static void
search_changed_cb (OmniUnmatchedDialog *self)
{
  load (self);
}

/* Writes ---------------------------------------------------------------- */

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OmniUnmatchedDialog *self = OMNI_UNMATCHED_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  JobResult *done = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;

  self->writes--;
  if (self->disposed)
    {
      /* Closed meanwhile: the pages still learn of a write. */
      if (done != NULL)
        omni_context_store_changed (self->context);
      g_clear_pointer (&done, job_result_free);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->rows), self->writes == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->local_rows), self->writes == 0);
  if (done == NULL)
    {
      toast (self, error->message);
      load (self);
      return;
    }

  switch (job->kind)
    {
    case JOB_LINK:
      /* TRANSLATORS: toast; the remote variant, then the local SKU */
      message = g_strdup_printf (_("Linked “%s” to %s"), job->label,
                                 done->sku != NULL ? done->sku : _("the local variant"));
      break;
    case JOB_IMPORT:
      /* TRANSLATORS: toast after an import */
      message = g_strdup_printf (_("Imported “%s” as a new product"), job->label);
      break;
    case JOB_IMPORT_ALL:
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %" PRId64
                                              " variant as new products",
                                              "Imported %" PRId64
                                              " variants as new products",
                                              (gulong) done->total),
                                 done->total);
      break;
    case JOB_IGNORE:
      /* TRANSLATORS: toast after hiding a remote variant */
      message = g_strdup_printf (_("“%s” is ignored"), job->label);
      break;
    default:
      g_assert_not_reached ();
    }
  toast (self, message);
  job_result_free (done);
  omni_context_store_changed (self->context);
  load (self);
}

static void
run_write (OmniUnmatchedDialog *self,
           Job                 *job)
{
  self->writes++;
  /* The lists only: an entry that has the focus keeps it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->rows), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->local_rows), FALSE);
  gtk_widget_set_sensitive (self->import_all_button, FALSE);
  /* Not cancelled with the window: a write that started completes. */
  job_run (self, job, NULL, written_cb, NULL);
}

static void
import_all_response_cb (AdwMessageDialog    *dialog,
                        const char          *response,
                        OmniUnmatchedDialog *self)
{
  if (g_strcmp0 (response, "import") == 0)
    run_write (self, job_new (self, JOB_IMPORT_ALL));
}

static void
import_all_clicked_cb (OmniUnmatchedDialog *self)
{
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%" PRId64 " remote variant becomes a new local "
                                       "product, linked to it. If one of them cannot be imported, "
                                       "none is.",
                                       "%" PRId64 " remote variants become new local "
                                       "products, linked to them. If one of them cannot be "
                                       "imported, none is.",
                                       (gulong) self->total),
                          self->total);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Import All Unmatched Variants?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import All"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (import_all_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The link page --------------------------------------------------------- */

static void
show_list (OmniUnmatchedDialog *self)
{
  gtk_stack_set_visible_child_name (self->pages, "list");
  gtk_widget_set_visible (self->back_button, FALSE);
  gtk_widget_set_visible (self->import_all_button, TRUE);
  adw_window_title_set_title (self->window_title, _("Unmatched Variants"));
}

static void
link_to (OmniUnmatchedDialog *self,
         gint64               variant_id)
{
  Job *job = job_new (self, JOB_LINK);

  job->remote_id = g_strdup (self->linking_remote);
  job->label = g_strdup (self->linking_label);
  job->variant_id = variant_id;
  show_list (self);
  run_write (self, job);
}

static GtkWidget *
local_row (const OmniVariantRow *v)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (v->options != NULL && v->options[0] != '\0')
    title = g_strdup_printf ("%s — %s", v->title, v->options);
  else
    title = g_strdup (v->title);
  if (v->barcode != NULL)
    /* TRANSLATORS: a local variant: its SKU and barcode */
    subtitle = g_strdup_printf (_("%s · Barcode %s"), v->sku != NULL ? v->sku : "", v->barcode);
  else
    subtitle = g_strdup (v->sku != NULL ? v->sku : "");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_widget_set_name (row, v->sku != NULL ? v->sku : "");
  g_object_set_data_full (G_OBJECT (row), "variant-id", g_memdup2 (&v->id, sizeof v->id), g_free);
  return row;
}

static void
local_searched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OmniUnmatchedDialog *self = OMNI_UNMATCHED_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  gboolean pick = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  JobResult *found = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;

  self->loads--;
  if (found != NULL && self->disposed)
    g_clear_pointer (&found, job_result_free);
  if (found == NULL)
    {
      if (self->disposed)
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->local_rows))) != NULL)
    gtk_list_box_remove (self->local_rows, child);
  for (guint i = 0; i < found->rows->len; i++)
    gtk_list_box_append (self->local_rows, local_row (found->rows->pdata[i]));
  gtk_stack_set_visible_child_name (self->local_stack, found->rows->len > 0 ? "rows" : "hint");

  /* Enter (a scanner ends with it) links an exact SKU or barcode, or the
   * only match. */
  if (pick && found->rows->len > 0)
    {
      OmniVariantRow *first = found->rows->pdata[0];

      if (found->rows->len == 1 || g_strcmp0 (first->sku, job->text) == 0 ||
          g_strcmp0 (first->barcode, job->text) == 0)
        link_to (self, first->id);
    }
  job_result_free (found);
}

static void
search_local (OmniUnmatchedDialog *self,
              gboolean             pick)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->local_entry))));
  Job *job;

  /* The entry's delayed search-changed after Enter must not cancel the
   * search that Enter started. */
  if (!pick && g_strcmp0 (text, self->local_text) == 0)
    return;
  g_free (self->local_text);
  self->local_text = g_strdup (text);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (*text == '\0')
    {
      gtk_stack_set_visible_child_name (self->local_stack, "hint");
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  job = job_new (self, JOB_SEARCH_LOCAL);
  job->text = g_steal_pointer (&text);
  self->loads++;
  job_run (self, job, self->search_cancellable, local_searched_cb, GINT_TO_POINTER (pick));
}

static void
local_changed_cb (OmniUnmatchedDialog *self)
{
  search_local (self, FALSE);
}

static void
local_activate_cb (OmniUnmatchedDialog *self)
{
  search_local (self, TRUE);
}

static void
local_row_activated_cb (GtkListBox          *box,
                        GtkListBoxRow       *row,
                        OmniUnmatchedDialog *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "variant-id");

  if (id != NULL)
    link_to (self, *id);
}

/* Construction ---------------------------------------------------------- */

static GtkWidget *
boxed_list (GtkListBox **out)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  *out = GTK_LIST_BOX (list);
  return list;
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *window = gtk_scrolled_window_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), child);
  gtk_widget_set_margin_top (child, 6);
  gtk_widget_set_margin_bottom (child, 18);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (window), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (window), clamp);
  gtk_widget_set_vexpand (window, TRUE);
  return window;
}

static GtkWidget *
search_bar (GtkSearchEntry *entry)
{
  GtkWidget *clamp = adw_clamp_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  gtk_widget_set_margin_top (GTK_WIDGET (entry), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (entry), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (entry), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (entry), 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (entry));
  return clamp;
}

static GtkWidget *
build_list_page (OmniUnmatchedDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *rows_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *spinner = gtk_spinner_new ();

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search_entry, "placeholder-text", _("Search SKU, barcode or title"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search unmatched variants"),
                                  -1);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb),
                            self);
  gtk_box_append (GTK_BOX (box), search_bar (self->search_entry));

  self->list_stack = GTK_STACK (gtk_stack_new ());
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_stack_add_named (self->list_stack, spinner, "loading");

  gtk_box_append (GTK_BOX (rows_box), boxed_list (&self->rows));
  self->more_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->more_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), FALSE);
  gtk_box_append (GTK_BOX (rows_box), GTK_WIDGET (self->more_label));
  gtk_stack_add_named (self->list_stack, scrolled (rows_box), "rows");

  self->empty_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
  adw_status_page_set_title (self->empty_page, _("Every Variant Is Linked"));
  gtk_stack_add_named (self->list_stack, GTK_WIDGET (self->empty_page), "empty");
  gtk_widget_set_vexpand (GTK_WIDGET (self->list_stack), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list_stack));
  return box;
}

static GtkWidget *
build_link_page (OmniUnmatchedDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *hint = adw_status_page_new ();
  GtkWidget *heading_clamp = adw_clamp_new ();

  self->link_heading = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->link_heading, TRUE);
  gtk_label_set_xalign (self->link_heading, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->link_heading), "heading");
  gtk_widget_set_margin_top (GTK_WIDGET (self->link_heading), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->link_heading), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->link_heading), 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (heading_clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (heading_clamp), GTK_WIDGET (self->link_heading));
  gtk_box_append (GTK_BOX (box), heading_clamp);

  self->local_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->local_entry, "placeholder-text", _("Type or scan a SKU, barcode or title"),
                NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->local_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search local variants"), -1);
  g_signal_connect_swapped (self->local_entry, "search-changed", G_CALLBACK (local_changed_cb), self);
  g_signal_connect_swapped (self->local_entry, "activate", G_CALLBACK (local_activate_cb), self);
  gtk_box_append (GTK_BOX (box), search_bar (self->local_entry));

  self->local_stack = GTK_STACK (gtk_stack_new ());
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (hint), "system-search-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (hint), _("Find the Local Variant"));
  adw_status_page_set_description (ADW_STATUS_PAGE (hint),
                                   _("Scanning its barcode links it at once."));
  gtk_stack_add_named (self->local_stack, hint, "hint");
  gtk_stack_add_named (self->local_stack, scrolled (boxed_list (&self->local_rows)), "rows");
  g_signal_connect (self->local_rows, "row-activated", G_CALLBACK (local_row_activated_cb), self);
  gtk_widget_set_vexpand (GTK_WIDGET (self->local_stack), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->local_stack));
  return box;
}

static void
omni_unmatched_dialog_dispose (GObject *object)
{
  OmniUnmatchedDialog *self = OMNI_UNMATCHED_DIALOG (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  G_OBJECT_CLASS (omni_unmatched_dialog_parent_class)->dispose (object);
}

static void
omni_unmatched_dialog_finalize (GObject *object)
{
  OmniUnmatchedDialog *self = OMNI_UNMATCHED_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->search_cancellable);
  g_free (self->db_path);
  g_free (self->channel_name);
  g_free (self->linking_remote);
  g_free (self->linking_label);
  g_free (self->local_text);
  G_OBJECT_CLASS (omni_unmatched_dialog_parent_class)->finalize (object);
}

static void
omni_unmatched_dialog_class_init (OmniUnmatchedDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_unmatched_dialog_dispose;
  object_class->finalize = omni_unmatched_dialog_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_unmatched_dialog_init (OmniUnmatchedDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  self->cancellable = g_cancellable_new ();

  self->window_title = ADW_WINDOW_TITLE (adw_window_title_new (_("Unmatched Variants"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->window_title));
  self->back_button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (self->back_button, _("Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  gtk_widget_set_visible (self->back_button, FALSE);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (show_list), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->back_button);
  self->import_all_button = gtk_button_new_with_mnemonic (_("Import _All…"));
  gtk_widget_set_sensitive (self->import_all_button, FALSE);
  gtk_widget_set_name (self->import_all_button, "import-all");
  g_signal_connect_swapped (self->import_all_button, "clicked", G_CALLBACK (import_all_clicked_cb),
                            self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_all_button);
  gtk_box_append (GTK_BOX (content), header);

  self->pages = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->pages, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_stack_add_named (self->pages, build_list_page (self), "list");
  gtk_stack_add_named (self->pages, build_link_page (self), "link");
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->pages));
  gtk_widget_set_vexpand (GTK_WIDGET (self->toasts), TRUE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->toasts));

  adw_window_set_content (ADW_WINDOW (self), content);
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 560);
}

/**
 * omni_unmatched_dialog_new:
 * @parent: the window it belongs to
 * @context: the application context (its store's path; store-changed)
 * @channel_id: the channel
 * @channel_name: its name, for the title
 *
 * Returns: (transfer none): the window, not yet shown
 */
OmniUnmatchedDialog *
omni_unmatched_dialog_new (GtkWindow   *parent,
                           OmniContext *context,
                           gint64       channel_id,
                           const char  *channel_name)
{
  OmniUnmatchedDialog *self;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_UNMATCHED_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       "title", _("Unmatched Variants"),
                       NULL);
  self->context = g_object_ref (context);
  self->db_path = g_strdup (omni_store_get_path (omni_context_get_store (context)));
  self->channel_id = channel_id;
  self->channel_name = g_strdup (channel_name);
  adw_window_title_set_subtitle (self->window_title, channel_name);
  load (self);
  return self;
}

/* Whether a load, search or write is still running (for tests). */
gboolean
omni_unmatched_dialog_is_busy (OmniUnmatchedDialog *self)
{
  g_return_val_if_fail (OMNI_IS_UNMATCHED_DIALOG (self), FALSE);

  return self->loads > 0 || self->writes > 0;
}

/* The Channels page's button -------------------------------------------- */

static void
button_clicked_cb (GtkButton   *button,
                   OmniContext *context)
{
  OmniUnmatchedDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  dialog = omni_unmatched_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, context,
                                      GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button),
                                                                           "channel-id")),
                                      g_object_get_data (G_OBJECT (button), "channel-name"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) button = user_data;
  g_autoptr(GError) error = NULL;
  JobResult *counted = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *tooltip = NULL;
  g_autofree char *label = NULL;

  if (counted == NULL)
    {
      g_debug ("Could not count the unmatched variants: %s", error->message);
      return;
    }
  if (counted->total > 0)
    {
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%" PRId64 " remote variant matches no "
                                              "local variant",
                                              "%" PRId64 " remote variants match no "
                                              "local variant",
                                              (gulong) counted->total),
                                 counted->total);
      /* TRANSLATORS: a short button on a channel's row; it opens the
       * Unmatched Variants window */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " _Unmatched…",
                                            "%" PRId64 " _Unmatched…",
                                            (gulong) counted->total),
                               counted->total);
      gtk_button_set_label (GTK_BUTTON (button), label);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_widget_set_visible (button, TRUE);
    }
  job_result_free (counted);
}

/**
 * omni_unmatched_button_new:
 *
 * A button for a channel's row, "Unmatched Variants…", hidden until a worker
 * has counted the channel's unmatched variants and found some; it opens
 * the dialog.
 *
 * Returns: (transfer floating): the button
 */
GtkWidget *
omni_unmatched_button_new (OmniContext *context,
                           gint64       channel_id,
                           const char  *channel_name)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Unmatched Variants…"));
  Job *job = g_new0 (Job, 1);

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (button, FALSE);
  gtk_widget_set_name (button, "unmatched-variants");
  g_object_set_data (G_OBJECT (button), "channel-id", GSIZE_TO_POINTER (channel_id));
  g_object_set_data_full (G_OBJECT (button), "channel-name", g_strdup (channel_name), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (button_clicked_cb), context, 0);

  job->kind = JOB_COUNT;
  job->db_path = g_strdup (omni_store_get_path (omni_context_get_store (context)));
  job->channel_id = channel_id;
  job_run (NULL, job, NULL, counted_cb, g_object_ref (button));
  return button;
}
