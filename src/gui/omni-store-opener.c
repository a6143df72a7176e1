/* omni-store-opener.c: opening a shared store without freezing the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window of a shared PostgreSQL store shows this page while the store
 * opens. Everything slow runs on a worker thread, never on the main loop:
 * the keyring lookup of the password (D-Bus), the connection and the
 * schema check, then the sales a till kept on this computer while the
 * server was away (src/core/omni-till-journal.c), sent once.
 *
 * What happens next depends on why the store did not open:
 *
 * - it opened: ::opened hands the store over, for the shop's window;
 * - the server cannot be reached (OMNI_STORE_ERROR_IO): ::unreachable, for
 *   the offline till, which keeps selling;
 * - anything else (a password refused or missing, a database of another
 *   program or of a newer OmniStock, an address that is no address): a
 *   status page says what is wrong, with Try Again and Use This Computer's
 *   Database, and for a password Enter Password…, whose password is tried
 *   on the worker and kept in the keyring (the CLI's entry: platform
 *   "postgresql", account = the address without password) only once the
 *   server has accepted it.
 */
#define G_LOG_DOMAIN "omni-store-opener"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "omni-database-dialog.h"
#include "omni-secret.h"
#include "omni-store-opener.h"
#include "omni-till-journal.h"

/* Well above any real password; longer input is refused unsent. */
#define MAX_PASSWORD_LENGTH 1024

struct _OmniStoreOpener
{
  GtkBox         parent_instance;

  char          *location;      /* as given: may hold a password */
  char          *shown;         /* without the password */
  GCancellable  *cancellable;   /* the attempt under way, or NULL */
  GError        *error;         /* the problem shown, or NULL */

  GtkStack      *stack;
  AdwWindowTitle *title;
  AdwStatusPage *connecting_page;
  AdwStatusPage *problem_page;
  GtkWidget     *password_button;
  GtkWidget     *retry_button;
  GtkWidget     *local_button;
};

G_DEFINE_FINAL_TYPE (OmniStoreOpener, omni_store_opener, GTK_TYPE_BOX)

enum { OPENED, UNREACHABLE, N_SIGNALS };
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

typedef struct
{
  char      *location;
  char      *password;        /* typed, or the keyring's, or NULL */
  gboolean   typed;
  OmniStore *store;
} OpenJob;

static void
open_job_free (OpenJob *job)
{
  g_free (job->location);
  wipe_free (job->password);
  g_clear_object (&job->store);
  g_free (job);
}

/* What this computer sold offline goes first, as the CLI does; what cannot
 * be sent now stays for the next time. */
static void
send_pending_sales (OpenJob *job)
{
  g_autofree char *path = omni_till_journal_path_for (job->location);
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  OmniTillReplayResult result = { 0, };

  /* The journal also notes which counts are open now, so that this till
   * can go on counting them if the server goes away later. */
  journal = omni_till_journal_open (job->location, &error);
  if (journal == NULL)
    {
      g_message ("This computer's till journal “%s” could not be opened: %s", path,
                 error->message);
      return;
    }
  if (omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING) == 0)
    {
      if (!omni_till_journal_remember_counts (journal, job->store, &error))
        g_message ("The open counts could not be noted for offline use: %s", error->message);
      return;
    }
  /* A replay notes the open counts itself. */
  if (!omni_till_journal_replay (journal, job->store, &result, NULL, &error))
    g_message ("The sales kept on this computer could not all be sent: %s", error->message);
  g_debug ("Sent %u sales kept offline, %u refused", result.applied, result.conflicts);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenJob *job = task_data;
  g_autofree char *account = omni_store_redact_location (job->location);
  GError *error = NULL;

  /* A password written into the address wins, as libpq would have it. */
  if (!job->typed && g_str_equal (account, job->location))
    {
      g_autoptr(GError) lookup_error = NULL;
      char *kept = omni_secret_lookup (OMNI_DATABASE_PASSWORD_PLATFORM, account,
                                       cancellable, &lookup_error);

      /* No keyring, or no entry, is no error: the server may want no
       * password, or libpq finds one in ~/.pgpass. */
      if (kept == NULL)
        g_debug ("No database password from the keyring: %s", lookup_error->message);
      else
        {
          job->password = g_strdup (kept);
          omni_secret_free (kept);
          /* For the store's workers and watch, and the offline till, which
           * open the address again. */
          omni_store_remember_password (job->location, job->password);
        }
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  job->store = omni_store_open_with_password (job->location, job->password, &error);
  if (job->store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->typed)
    {
      g_autoptr(GError) keep_error = NULL;

      omni_store_remember_password (job->location, job->password);
      if (!omni_secret_store (OMNI_DATABASE_PASSWORD_PLATFORM, account,
                              OMNI_DATABASE_PASSWORD_LABEL, job->password, NULL, &keep_error))
        g_message ("The database password works but the keyring did not keep it; it will "
                   "be asked for again at the next start: %s", keep_error->message);
    }

  send_pending_sales (job);
  g_task_return_boolean (task, TRUE);
}

static void
show_problem (OmniStoreOpener *self,
              gboolean         typed)
{
  g_autofree char *where = omni_database_describe_location (self->location);
  g_autofree char *what = NULL;
  g_autofree char *markup = NULL;
  const char *icon = "dialog-error-symbolic";
  const char *title;
  gboolean auth = g_error_matches (self->error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_AUTH);

  if (auth && typed)
    {
      icon = "dialog-password-symbolic";
      title = _("Wrong Password");
      /* Translators: %s is a database server and database, "nas.local/shop" */
      what = g_strdup_printf (_("The server of “%s” did not accept the password you entered. "
                                "Nothing was kept."), where);
    }
  else if (auth)
    {
      icon = "dialog-password-symbolic";
      title = _("The Shared Database Needs a Password");
      what = g_strdup_printf (_("The server of “%s” lets this computer in only with the "
                                "right password. Enter the password the shop’s database was "
                                "set up with; once the server accepts it, the keyring keeps "
                                "it."), where);
    }
  else if (g_error_matches (self->error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_A_DATABASE))
    {
      title = _("Not an OmniStock Database");
      /* Translators: %s is a database server and database, "nas.local/shop" */
      what = g_strdup_printf (_("“%s” belongs to another program. OmniStock left it "
                                "untouched. Use the database on this computer, then choose "
                                "the shop’s shared database in Preferences."), where);
    }
  else if (g_error_matches (self->error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_TOO_NEW))
    {
      icon = "software-update-available-symbolic";
      title = _("Made by a Newer OmniStock");
      what = g_strdup_printf (_("Another computer has moved “%s” on to a newer version of "
                                "OmniStock. Update OmniStock on this computer to use it; "
                                "nothing was changed."), where);
    }
  else if (g_error_matches (self->error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO))
    {
      icon = "network-offline-symbolic";
      title = _("The Server Cannot Be Reached");
      what = g_strdup_printf (_("The server of “%s” does not answer."), where);
    }
  else
    {
      title = _("The Shared Database Cannot Be Opened");
      what = g_strdup_printf (_("“%s” could not be opened; nothing was changed."), where);
    }

  markup = g_markup_printf_escaped ("%s\n\n<small>%s</small>", what, self->error->message);
  adw_status_page_set_icon_name (self->problem_page, icon);
  adw_status_page_set_title (self->problem_page, title);
  adw_status_page_set_description (self->problem_page, markup);
  gtk_widget_set_visible (self->password_button, auth);
  /* Without a password to give, the file here is the likely way on. */
  if (auth)
    gtk_widget_remove_css_class (self->local_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->local_button, "suggested-action");
  gtk_stack_set_visible_child_name (self->stack, "problem");
  gtk_widget_grab_focus (auth ? self->password_button : self->retry_button);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OmniStoreOpener) self = user_data;
  OpenJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* Cancelled means the page left its window: nobody to tell. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->cancellable);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_signal_emit (self, signals[OPENED], 0, job->store);
      return;
    }

  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  show_problem (self, job->typed);
  /* Only a server out of reach is worth a till that sells on offline. */
  if (g_error_matches (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO))
    g_signal_emit (self, signals[UNREACHABLE], 0, error);
}

static void
start (OmniStoreOpener *self,
       const char      *typed_password)
{
  g_autoptr(GTask) task = NULL;
  OpenJob *job;

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  g_clear_error (&self->error);

  adw_status_page_set_title (self->connecting_page,
                             typed_password != NULL ? _("Checking the Password…")
                                                    : _("Connecting to the Shared Database…"));
  gtk_stack_set_visible_child_name (self->stack, "connecting");

  job = g_new0 (OpenJob, 1);
  job->location = g_strdup (self->location);
  job->password = g_strdup (typed_password);
  job->typed = typed_password != NULL;

  /* The owner is not the task's source: see omni_worker_task_new(). */
  task = g_task_new (NULL, self->cancellable, open_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, start);
  g_task_set_task_data (task, job, (GDestroyNotify)open_job_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * omni_store_opener_try_again:
 *
 * Opens the store again, with the keyring's password; ::opened or
 * ::unreachable follows, or the problem shows. Does nothing while an
 * attempt is under way.
 */
void
omni_store_opener_try_again (OmniStoreOpener *self)
{
  g_return_if_fail (OMNI_IS_STORE_OPENER (self));
  start (self, NULL);
}

/**
 * omni_store_opener_submit_password:
 * @password: the password typed
 *
 * Opens the store with @password; the keyring keeps it once the server
 * accepts it. An empty or overlong password is refused at once.
 */
void
omni_store_opener_submit_password (OmniStoreOpener *self,
                                   const char      *password)
{
  g_return_if_fail (OMNI_IS_STORE_OPENER (self));
  g_return_if_fail (password != NULL);

  if (*password == '\0' || strlen (password) > MAX_PASSWORD_LENGTH)
    return;
  start (self, password);
}

/* Whether an attempt to open the store is under way. */
gboolean
omni_store_opener_is_busy (OmniStoreOpener *self)
{
  g_return_val_if_fail (OMNI_IS_STORE_OPENER (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * omni_store_opener_get_error:
 *
 * Returns: (nullable): why the last attempt failed, while the page says so
 */
const GError *
omni_store_opener_get_error (OmniStoreOpener *self)
{
  g_return_val_if_fail (OMNI_IS_STORE_OPENER (self), NULL);
  return self->error;
}

/**
 * omni_store_opener_get_location:
 *
 * Returns: the store's address, without any password
 */
const char *
omni_store_opener_get_location (OmniStoreOpener *self)
{
  g_return_val_if_fail (OMNI_IS_STORE_OPENER (self), NULL);
  return self->shown;
}

/* The password dialog ------------------------------------------------- */

static gboolean
password_acceptable (const char *text)
{
  return *text != '\0' && strlen (text) <= MAX_PASSWORD_LENGTH;
}

static void
password_changed_cb (GtkEditable      *row,
                     AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "connect",
                                           password_acceptable (gtk_editable_get_text (row)));
}

static void
password_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      OmniStoreOpener  *self)
{
  GtkEditable *row = g_object_get_data (G_OBJECT (dialog), "password-row");

  if (g_str_equal (response, "connect"))
    omni_store_opener_submit_password (self, gtk_editable_get_text (row));
  /* The dialog closes next: its entry lets go of the focus while all of
   * it is still there. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
}

static void
enter_password_clicked_cb (OmniStoreOpener *self)
{
  g_autofree char *where = omni_database_describe_location (self->location);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *list, *row;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Password for the Shared Database"), NULL);
  /* Translators: %s is a database server and database, "nas.local/shop" */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The server of “%s” checks it first; the keyring keeps it "
                                    "only if the server accepts it."), where);
  row = adw_password_entry_row_new ();
  /* Enter presses Connect (the default response), once it is enabled. */
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("_Password"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  g_object_set_data (G_OBJECT (dialog), "password-row", row);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "connect", _("C_onnect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "connect",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "connect");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect (row, "changed", G_CALLBACK (password_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (password_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (row);
}

/* Back to the file on this computer ----------------------------------- */

/**
 * omni_store_opener_use_local:
 * @widget: a widget of the window that gives up on the shared store
 *
 * Empties the `database` key and opens the database on this computer
 * (app.use-local-database), then closes @widget's window.
 */
void
omni_store_opener_use_local (GtkWidget *widget)
{
  g_autoptr(GtkWindow) window = NULL;
  GtkApplication *application;
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  root = gtk_widget_get_root (widget);
  if (!GTK_IS_WINDOW (root))
    return;
  window = g_object_ref (GTK_WINDOW (root));
  application = gtk_window_get_application (window);
  if (application == NULL)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (application), "use-local-database", NULL);
  /* The action closes the active window; this one may not be it. */
  if (g_list_find (gtk_application_get_windows (application), window) != NULL)
    gtk_window_destroy (window);
}

static gboolean
use_local_idle_cb (gpointer data)
{
  GtkWidget *widget = data;

  if (gtk_widget_get_root (widget) != NULL)
    omni_store_opener_use_local (widget);
  return G_SOURCE_REMOVE;
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GtkWidget        *widget)
{
  /* Once the dialog has closed: it must not outlive the window it is
   * transient for, which this closes. */
  if (g_str_equal (response, "use"))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, use_local_idle_cb, g_object_ref (widget),
                     g_object_unref);
}

/**
 * omni_store_opener_confirm_use_local:
 * @widget: a widget of the offline till's window
 * @n_waiting: the sales recorded offline, not sent yet
 *
 * Asks first, saying that what was sold offline stays queued for the
 * shared store; then as omni_store_opener_use_local().
 */
void
omni_store_opener_confirm_use_local (GtkWidget *widget,
                                     guint      n_waiting)
{
  GtkRoot *root;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  root = gtk_widget_get_root (widget);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Use This Computer’s Database?"), NULL);
  if (n_waiting > 0)
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    ngettext ("The %u sale recorded offline stays queued on "
                                              "this computer for the shared database. It is "
                                              "sent when this computer uses the shared "
                                              "database again.",
                                              "The %u sales recorded offline stay queued on "
                                              "this computer for the shared database. They "
                                              "are sent when this computer uses the shared "
                                              "database again.", n_waiting),
                                    n_waiting);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("Sales recorded offline stay queued on this computer for "
                                   "the shared database, and are sent when this computer "
                                   "uses it again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "use", _("_Use This Computer’s Database"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "use",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The page ------------------------------------------------------------ */

static GtkWidget *
pill_button (const char *label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (button, "pill");
  return button;
}

static void
omni_store_opener_dispose (GObject *object)
{
  OmniStoreOpener *self = OMNI_STORE_OPENER (object);

  /* The attempt runs on; its result finds no page. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (omni_store_opener_parent_class)->dispose (object);
}

static void
omni_store_opener_finalize (GObject *object)
{
  OmniStoreOpener *self = OMNI_STORE_OPENER (object);

  wipe_free (self->location);
  g_free (self->shown);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (omni_store_opener_parent_class)->finalize (object);
}

static void
omni_store_opener_class_init (OmniStoreOpenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_store_opener_dispose;
  object_class->finalize = omni_store_opener_finalize;

  /**
   * OmniStoreOpener::opened:
   * @store: the store, open, with the sales kept offline sent
   */
  signals[OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, OMNI_TYPE_STORE);
  /**
   * OmniStoreOpener::unreachable:
   * @error: why (OMNI_STORE_ERROR_IO)
   *
   * The server did not answer: time for the offline till.
   */
  signals[UNREACHABLE] = g_signal_new ("unreachable", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
omni_store_opener_init (OmniStoreOpener *self)
{
  GtkWidget *header, *spinner, *buttons, *scroller, *leave;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);

  header = adw_header_bar_new ();
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("OmniStock"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (self), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->stack));

  /* Connecting: a spinner, and the way out if the server takes long. */
  self->connecting_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->connecting_page, "network-server-symbolic");
  buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Connecting"), -1);
  leave = gtk_button_new_with_mnemonic (_("Use This Computer’s _Database"));
  gtk_widget_add_css_class (leave, "flat");
  gtk_widget_set_halign (leave, GTK_ALIGN_CENTER);
  g_signal_connect (leave, "clicked", G_CALLBACK (omni_store_opener_use_local), NULL);
  gtk_box_append (GTK_BOX (buttons), spinner);
  gtk_box_append (GTK_BOX (buttons), leave);
  adw_status_page_set_child (self->connecting_page, buttons);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->connecting_page), "connecting");

  /* What is wrong, and what to do about it. */
  self->problem_page = ADW_STATUS_PAGE (adw_status_page_new ());
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  self->password_button = pill_button (_("_Enter Password…"));
  gtk_widget_add_css_class (self->password_button, "suggested-action");
  g_signal_connect_swapped (self->password_button, "clicked",
                            G_CALLBACK (enter_password_clicked_cb), self);
  self->retry_button = pill_button (_("_Try Again"));
  g_signal_connect_swapped (self->retry_button, "clicked",
                            G_CALLBACK (omni_store_opener_try_again), self);
  self->local_button = pill_button (_("Use This Computer’s _Database"));
  g_signal_connect (self->local_button, "clicked", G_CALLBACK (omni_store_opener_use_local), NULL);
  gtk_box_append (GTK_BOX (buttons), self->password_button);
  gtk_box_append (GTK_BOX (buttons), self->retry_button);
  gtk_box_append (GTK_BOX (buttons), self->local_button);
  adw_status_page_set_child (self->problem_page, buttons);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller),
                                 GTK_WIDGET (self->problem_page));
  gtk_stack_add_named (self->stack, scroller, "problem");
}

/**
 * omni_store_opener_new:
 * @location: a shared store's `postgresql://` address
 *
 * The page starts opening the store at once.
 *
 * Returns: (transfer floating): the page
 */
GtkWidget *
omni_store_opener_new (const char *location)
{
  OmniStoreOpener *self;
  g_autofree char *where = NULL;
  g_autofree char *markup = NULL;

  g_return_val_if_fail (location != NULL, NULL);

  self = g_object_new (OMNI_TYPE_STORE_OPENER, NULL);
  self->location = g_strdup (location);
  self->shown = omni_store_redact_location (location);
  where = omni_database_describe_location (location);
  adw_window_title_set_subtitle (self->title, where);
  markup = g_markup_escape_text (where, -1);
  adw_status_page_set_description (self->connecting_page, markup);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), self->shown);
  start (self, NULL);
  return GTK_WIDGET (self);
}
