/* omni-database-dialog.c: moving the shop to a shared PostgreSQL database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three steps, each on a worker so the window never freezes on a slow
 * server:
 *
 * 1. details: the address (postgresql://user@host/database, never with a
 *    password in it) and the password, if the server asks for one. Connect
 *    opens the database (an empty one gets the schema) with the password
 *    typed, or else the one the keyring holds for that address. Any refusal
 *    (no such server, wrong password, a database of another program or of a
 *    newer OmniStock) shows under the rows, and nothing is changed.
 * 2. choice: an empty shared database, with this shop's file holding
 *    products, is offered "Copy This Shop Into It"; anything else "Use It".
 * 3. copying: omni_store_copy_into() with a progress bar; Cancel rolls the
 *    whole copy back.
 *
 * Only when the last step succeeds is anything kept: the typed password in
 * the keyring (platform "postgresql", account = the address, as the CLI
 * keeps it), the address in the `database` key, and the password in this
 * process's memory for the store's workers and watch. Then
 * ::database-chosen hands the open store over; the preferences open a
 * window on it.
 */
#define G_LOG_DOMAIN "omni-database-dialog"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-database-dialog.h"
#include "omni-secret.h"
#include "omni-store-copy.h"
#include "omni-worker.h"

/* Bounds on what is typed, well above any real address or password. */
#define MAX_LOCATION_LENGTH 1024
#define MAX_PASSWORD_LENGTH 1024

struct _OmniDatabaseDialog
{
  AdwWindow       parent_instance;

  OmniContext    *context;
  GCancellable   *cancellable;     /* the running step's, or NULL */

  /* Once connected. */
  OmniStore      *target;
  char           *location;        /* the address, as the key keeps it */
  char           *password;        /* to remember in memory, or NULL */
  gboolean        keep_password;   /* typed: the keyring gets it at the end */
  gboolean        offer_copy;

  GtkWidget      *cancel_button;
  GtkWidget      *connect_button;
  GtkSpinner     *spinner;
  GtkStack       *stack;
  AdwEntryRow    *uri_row;
  AdwEntryRow    *password_row;
  GtkLabel       *error_label;
  AdwStatusPage  *choice_page;
  GtkWidget      *copy_button;
  GtkWidget      *use_button;
  GtkLabel       *choice_error_label;
  AdwStatusPage  *copying_page;
  GtkProgressBar *progress_bar;
};

G_DEFINE_FINAL_TYPE (OmniDatabaseDialog, omni_database_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DATABASE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Passwords are wiped before their memory goes back. */
static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

/**
 * omni_database_describe_location:
 * @location: a file path or a `postgresql://` URI
 *
 * Returns: (transfer full): a short name for where the store is: the file
 *   name, or "host/database" of a server
 */
char *
omni_database_describe_location (const char *location)
{
  g_autofree char *redacted = NULL;
  g_autofree char *host = NULL;
  g_autofree char *database = NULL;
  const char *rest, *at, *slash, *end;

  g_return_val_if_fail (location != NULL, NULL);

  if (!omni_store_location_is_shared (location))
    return g_path_get_basename (location);

  redacted = omni_store_redact_location (location);
  rest = strstr (redacted, "://") + 3;
  end = rest + strcspn (rest, "?#");
  slash = memchr (rest, '/', end - rest);
  at = memchr (rest, '@', (slash != NULL ? slash : end) - rest);
  if (at != NULL)
    rest = at + 1;
  if (slash == NULL)
    slash = end;
  /* The port is left out: host and database name the shop's database. */
  host = g_uri_unescape_segment (rest, rest + strcspn (rest, ":/?#"), NULL);
  database = slash < end ? g_uri_unescape_segment (slash + 1, end, NULL) : NULL;
  if (host == NULL || *host == '\0')
    {
      g_free (host);
      host = g_strdup ("localhost");
    }
  if (database == NULL || *database == '\0')
    return g_steal_pointer (&host);
  return g_strdup_printf ("%s/%s", host, database);
}

static void
set_busy (OmniDatabaseDialog *self,
          gboolean            busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->uri_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (self->copy_button, !busy);
  gtk_widget_set_sensitive (self->use_button, !busy);
}

static gboolean
is_busy (OmniDatabaseDialog *self)
{
  return self->cancellable != NULL;
}

static void
show_error (OmniDatabaseDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_choice_error (OmniDatabaseDialog *self,
                   const char         *message)
{
  gtk_label_set_text (self->choice_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->choice_error_label), message != NULL);
}

static void
forget_target (OmniDatabaseDialog *self)
{
  g_clear_object (&self->target);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->password, wipe_free);
  self->keep_password = FALSE;
  self->offer_copy = FALSE;
}

static char *
dup_typed_location (OmniDatabaseDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->uri_row))));
}

static void
update_connect_button (OmniDatabaseDialog *self)
{
  g_autofree char *typed = dup_typed_location (self);

  gtk_widget_set_sensitive (self->connect_button,
                            !is_busy (self) && *typed != '\0' &&
                            g_str_equal (gtk_stack_get_visible_child_name (self->stack),
                                         "details"));
}

static void
input_changed_cb (OmniDatabaseDialog *self)
{
  update_connect_button (self);
}

/* What the typed address is wrong about, before any server is asked. */
static char *
check_location (OmniDatabaseDialog *self,
                const char         *location,
                const char         *password)
{
  g_autofree char *redacted = NULL;
  g_autofree char *current = NULL;

  if (strlen (location) > MAX_LOCATION_LENGTH)
    return g_strdup_printf (_("The address is longer than %d characters."),
                            MAX_LOCATION_LENGTH);
  if (strlen (password) > MAX_PASSWORD_LENGTH)
    return g_strdup_printf (_("The password is longer than %d characters."),
                            MAX_PASSWORD_LENGTH);
  if (!omni_store_location_is_shared (location) ||
      !g_utf8_validate (location, -1, NULL))
    return g_strdup (_("Enter an address that starts with postgresql://, such as "
                       "postgresql://user@host/database."));
  redacted = omni_store_redact_location (location);
  if (!g_str_equal (redacted, location))
    return g_strdup (_("Leave the password out of the address and type it in the Password "
                       "field: the address is saved in the settings, the password only in "
                       "the keyring."));
  current = omni_store_redact_location (omni_store_get_path (omni_context_get_store (self->context)));
  if (g_str_equal (current, redacted))
    return g_strdup (_("This shop already uses that database."));
  return NULL;
}

/* Step 1: connecting ---------------------------------------------------- */

typedef struct
{
  char      *location;
  char      *password;            /* typed, or NULL */
  char      *current;             /* where the shop is now */

  OmniStore *target;
  char      *used_password;       /* typed or from the keyring, or NULL */
  gint64     target_products;
  gboolean   target_empty;
  gint64     current_products;    /* -1: the shop is not in a file, no copy */
} ConnectJob;

static void
connect_job_free (ConnectJob *job)
{
  g_free (job->location);
  wipe_free (job->password);
  g_free (job->current);
  g_clear_object (&job->target);
  wipe_free (job->used_password);
  g_free (job);
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectJob *job = task_data;
  g_auto(OmniStoreStats) stats = { 0, };
  GError *error = NULL;

  if (job->password != NULL)
    {
      /* Said now, before anything is asked of the server: a password the
       * keyring cannot keep would be needed again at every start. */
      if (!omni_secret_check_available (cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      job->used_password = g_strdup (job->password);
    }
  else
    {
      g_autoptr(GError) lookup_error = NULL;
      char *kept = omni_secret_lookup (OMNI_DATABASE_PASSWORD_PLATFORM, job->location,
                                       cancellable, &lookup_error);

      if (kept != NULL)
        {
          job->used_password = g_strdup (kept);
          omni_secret_free (kept);
        }
      else
        g_debug ("No password in the keyring for the database: %s", lookup_error->message);
    }

  job->target = omni_store_open_with_password (job->location, job->used_password, &error);
  if (job->target == NULL || !omni_store_get_stats (job->target, &stats, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->target_products = stats.products;
  /* What omni_store_copy_into() needs: nothing a merchant entered. */
  job->target_empty = omni_store_is_empty (job->target) && stats.locations == 0 &&
                      stats.movements == 0 && stats.orders == 0;

  job->current_products = -1;
  if (!omni_store_location_is_shared (job->current))
    {
      g_autoptr(OmniStore) current = omni_store_open (job->current, &error);

      if (current == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      job->current_products = omni_store_is_empty (current) ? 0 : 1;
      if (job->current_products > 0)
        {
          g_auto(OmniStoreStats) current_stats = { 0, };

          if (!omni_store_get_stats (current, &current_stats, &error))
            {
              g_task_return_error (task, error);
              return;
            }
          job->current_products = MAX (current_stats.products, 1);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
show_choice (OmniDatabaseDialog *self,
             ConnectJob         *job)
{
  g_autofree char *where = omni_database_describe_location (job->location);
  g_autofree char *description = NULL;

  self->offer_copy = job->target_empty && job->current_products > 0;
  if (self->offer_copy)
    description = g_strdup_printf (ngettext ("The shared database is empty. Copy this shop’s "
                                             "%" PRId64 " product, with its stock and history, "
                                             "into it, so every computer starts from the same "
                                             "stock. The file on this computer stays as it is.",
                                             "The shared database is empty. Copy this shop’s "
                                             "%" PRId64 " products, with their stock and "
                                             "history, into it, so every computer starts from "
                                             "the same stock. The file on this computer stays "
                                             "as it is.",
                                             (unsigned long)job->current_products),
                                   (int64_t)job->current_products);
  else if (job->target_empty)
    description = g_strdup (_("The shared database is empty: the shop starts afresh on it. "
                              "The database in use now stays as it is."));
  else
    description = g_strdup_printf (ngettext ("The shared database holds %" PRId64 " product. "
                                             "This computer will work on it; the database in "
                                             "use now stays as it is.",
                                             "The shared database holds %" PRId64 " products. "
                                             "This computer will work on it; the database in "
                                             "use now stays as it is.",
                                             (unsigned long)job->target_products),
                                   (int64_t)job->target_products);

  adw_status_page_set_title (self->choice_page, where);
  adw_status_page_set_description (self->choice_page, description);
  gtk_widget_set_visible (self->copy_button, self->offer_copy);
  gtk_widget_set_visible (self->use_button, !self->offer_copy);
  show_choice_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "choice");
  gtk_widget_set_visible (self->connect_button, FALSE);
  gtk_widget_grab_focus (self->offer_copy ? self->copy_button : self->use_button);
}

static void
connect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OmniDatabaseDialog) self = user_data;
  ConnectJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* Cancelled means closed: nothing to show, the store closes with the job. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error (self, error->message);
      update_connect_button (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->uri_row));
      return;
    }

  forget_target (self);
  self->target = g_steal_pointer (&job->target);
  self->location = g_strdup (job->location);
  self->password = g_strdup (job->used_password);
  self->keep_password = job->password != NULL;
  show_choice (self, job);
}

static void
connect_clicked_cb (OmniDatabaseDialog *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *problem = NULL;
  ConnectJob *job;
  const char *password;

  if (is_busy (self) || !gtk_widget_get_sensitive (self->connect_button))
    return;

  job = g_new0 (ConnectJob, 1);
  job->location = dup_typed_location (self);
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  problem = check_location (self, job->location, password);
  if (problem != NULL)
    {
      show_error (self, problem);
      connect_job_free (job);
      return;
    }
  job->password = *password != '\0' ? g_strdup (password) : NULL;
  job->current = g_strdup (omni_store_get_path (omni_context_get_store (self->context)));

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  update_connect_button (self);

  /* The owner is not the task's source: see omni_worker_task_new(). */
  task = g_task_new (NULL, self->cancellable, connect_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, connect_clicked_cb);
  g_task_set_task_data (task, job, (GDestroyNotify)connect_job_free);
  g_task_run_in_thread (task, connect_thread);
}

/* Steps 2 and 3: using it, or copying into it first ------------------- */

typedef struct
{
  OmniStore *target;
  char      *location;
  char      *password;            /* to keep in the keyring, or NULL */
  char      *source;              /* the shop's file to copy, or NULL */
  /* The task holds a reference until its callback ran on the main thread,
   * so the worker may point at it; only the main thread touches it. */
  OmniDatabaseDialog *dialog;
} FinishJob;

static void
finish_job_free (FinishJob *job)
{
  g_clear_object (&job->target);
  g_free (job->location);
  wipe_free (job->password);
  g_free (job->source);
  g_free (job);
}

typedef struct
{
  GWeakRef dialog;
  guint    done;
  guint    total;
  gint64   rows;
} Progress;

static void
progress_free (Progress *progress)
{
  g_weak_ref_clear (&progress->dialog);
  g_free (progress);
}

static gboolean
show_progress_cb (gpointer data)
{
  Progress *progress = data;
  g_autoptr(OmniDatabaseDialog) self = g_weak_ref_get (&progress->dialog);
  g_autofree char *text = NULL;

  if (self == NULL || self->progress_bar == NULL || progress->total == 0)
    return G_SOURCE_REMOVE;
  /* Translators: progress of copying the shop; "rows" are database records */
  text = g_strdup_printf (_("%u of %u tables, %" PRId64 " rows"),
                          progress->done, progress->total, (int64_t)progress->rows);
  gtk_progress_bar_set_fraction (self->progress_bar, (double)progress->done / progress->total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_REMOVE;
}

/* On the worker, after each table. */
static void
copy_progress (guint    done,
               guint    total,
               gint64   rows,
               gpointer user_data)
{
  FinishJob *job = user_data;
  Progress *progress = g_new0 (Progress, 1);

  g_weak_ref_init (&progress->dialog, job->dialog);
  progress->done = done;
  progress->total = total;
  progress->rows = rows;
  omni_worker_run_on_main (NULL, show_progress_cb, progress, (GDestroyNotify)progress_free);
}

static void
finish_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FinishJob *job = task_data;
  GError *error = NULL;

  if (job->source != NULL)
    {
      g_autoptr(OmniStore) source = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
          (source = omni_store_open (job->source, &error)) == NULL ||
          !omni_store_copy_into (source, job->target, NULL, copy_progress, job, cancellable,
                                 &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (job->password != NULL &&
      !omni_secret_store (OMNI_DATABASE_PASSWORD_PLATFORM, job->location,
                          OMNI_DATABASE_PASSWORD_LABEL, job->password, NULL, &error))
    {
      if (job->source != NULL)
        g_prefix_error (&error, "%s ", _("The shop was copied, but its password was not kept:"));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
finish_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OmniDatabaseDialog) self = user_data;
  FinishJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* Torn down meanwhile (the application quit): nobody to tell. */
  if (self->context == NULL)
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (!ok)
    {
      gtk_widget_set_sensitive (self->cancel_button, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "choice");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_choice_error (self, _("The copy was cancelled; the shared database was left "
                                   "as it was."));
      else
        show_choice_error (self, error->message);
      return;
    }

  /* Kept from now on: the password for this process's workers and watch,
   * the address (never with a password) for the next start. */
  if (self->password != NULL)
    omni_store_remember_password (job->location, self->password);
  g_settings_set_string (omni_context_get_settings (self->context), "database", job->location);
  store = g_steal_pointer (&job->target);
  g_clear_object (&self->target);

  /* The handler closes the windows this one belongs to: it must not
   * outlive them still pointing at them. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  g_signal_emit (self, signals[DATABASE_CHOSEN], 0, store);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
finish (OmniDatabaseDialog *self,
        gboolean            copy)
{
  g_autoptr(GTask) task = NULL;
  FinishJob *job;

  if (is_busy (self) || self->target == NULL)
    return;

  job = g_new0 (FinishJob, 1);
  /* The worker has the store to itself until it is done. */
  job->target = g_object_ref (self->target);
  job->location = g_strdup (self->location);
  job->password = self->keep_password ? g_strdup (self->password) : NULL;
  job->source = copy ? g_strdup (omni_store_get_path (omni_context_get_store (self->context)))
                     : NULL;
  job->dialog = self;

  show_choice_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  if (copy)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
      gtk_stack_set_visible_child_name (self->stack, "copying");
    }
  else
    gtk_widget_set_sensitive (self->cancel_button, FALSE);

  task = g_task_new (NULL, self->cancellable, finish_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, finish);
  /* The result is the copy's, even if Cancel came too late to stop it. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify)finish_job_free);
  g_task_run_in_thread (task, finish_thread);
}

static void
copy_clicked_cb (OmniDatabaseDialog *self)
{
  finish (self, TRUE);
}

static void
use_clicked_cb (OmniDatabaseDialog *self)
{
  finish (self, FALSE);
}

static void
cancel_clicked_cb (OmniDatabaseDialog *self)
{
  /* During the copy, Cancel stops it and the dialog stays. */
  if (is_busy (self) &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "copying"))
    {
      g_cancellable_cancel (self->cancellable);
      gtk_progress_bar_set_text (self->progress_bar, _("Cancelling…"));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
omni_database_dialog_close_request (GtkWindow *window)
{
  OmniDatabaseDialog *self = OMNI_DATABASE_DIALOG (window);
  const char *step = gtk_stack_get_visible_child_name (self->stack);

  if (is_busy (self) && g_str_equal (step, "copying"))
    {
      /* Closing during the copy is Cancel: it stops, the dialog stays. */
      cancel_clicked_cb (self);
      return TRUE;
    }
  /* The password going into the keyring: a moment, and then the shop has
   * moved, so it is not left unsaid. */
  if (is_busy (self) && g_str_equal (step, "choice"))
    return TRUE;
  /* A connection under way is dropped with its result. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (omni_database_dialog_parent_class)->close_request (window);
}

static void
omni_database_dialog_dispose (GObject *object)
{
  OmniDatabaseDialog *self = OMNI_DATABASE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_DATABASE_DIALOG);
  forget_target (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (omni_database_dialog_parent_class)->dispose (object);
}

static void
omni_database_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OmniDatabaseDialog *self = OMNI_DATABASE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_database_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  OmniDatabaseDialog *self = OMNI_DATABASE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_database_dialog_class_init (OmniDatabaseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = omni_database_dialog_dispose;
  object_class->get_property = omni_database_dialog_get_property;
  object_class->set_property = omni_database_dialog_set_property;
  window_class->close_request = omni_database_dialog_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         OMNI_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmniDatabaseDialog::database-chosen:
   * @store: the shared store, open; the `database` key names it already
   *
   * The shop moved: whoever opened the dialog opens a window on @store.
   */
  signals[DATABASE_CHOSEN] =
    g_signal_new ("database-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, OMNI_TYPE_STORE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/omni-database-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, uri_row);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, choice_page);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, use_button);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, choice_error_label);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, copying_page);
  gtk_widget_class_bind_template_child (widget_class, OmniDatabaseDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_database_dialog_init (OmniDatabaseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * omni_database_dialog_new:
 * @parent: (nullable): the preferences window
 * @context: the shop as it is now
 *
 * Returns: (transfer none): a new dialog, owned by GTK until destroyed
 */
OmniDatabaseDialog *
omni_database_dialog_new (GtkWindow   *parent,
                          OmniContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_DATABASE_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       NULL);
}
