/* omni-offline-till.c: selling on while the shared store's server is away
 *
 * When the window cannot reach the PostgreSQL server of a shared store, it
 * shows this page instead of an error: the till keeps recording what it
 * sells (scan or type a SKU or barcode, Enter) into this computer's till
 * journal (src/core/omni-till-journal.c), lists what waits, and tries the
 * server again every 30 seconds or on Try Again. Once the server answers,
 * the journal is sent (exactly once; what the server refuses is kept for
 * the owner: `omnistock-cli till pending --conflicts`) and the ::connected
 * signal lets the application open the shop's real window.
 *
 * Sell / Count switches what a scan records. In Count mode a scan ("CODE"
 * or "12*CODE", or the quantity beside it) goes to a stock count that was
 * open when this computer last reached the server (the journal notes them:
 * omni_till_journal_remember_counts()), kept with the time it was made;
 * sent later, it counts the shelf as it was then.
 *
 * Every journal write and every connection attempt runs on one worker
 * thread, in the order they were asked for; the main loop only queues.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-offline-till"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-offline-till.h"
#include "omni-store-count.h"
#include "omni-till-journal.h"
#include "omni-worker.h"

#define RETRY_SECONDS 30

struct _OmniOfflineTill
{
  GtkBox          parent_instance;

  char           *location;
  GThreadPool    *pool;       /* one thread: jobs run in order */
  guint           retry_id;
  gboolean        connecting;
  guint           n_waiting;
  GPtrArray      *counts;     /* OmniTillCount: where count scans can go */

  AdwStatusPage  *status;
  GtkToggleButton *sell_button;
  GtkToggleButton *count_button;
  GtkEntry       *code_entry;
  GtkSpinButton  *quantity;
  GtkDropDown    *reason;
  GtkDropDown    *count_choice;
  GtkLabel       *message;
  GtkListBox     *waiting;
  GtkButton      *retry_button;
};

G_DEFINE_FINAL_TYPE (OmniOfflineTill, omni_offline_till, GTK_TYPE_BOX)

enum { CONNECTED, REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef enum { JOB_RECORD, JOB_COUNT, JOB_LIST, JOB_CONNECT } JobKind;

typedef struct
{
  JobKind          kind;
  OmniOfflineTill *till;      /* strong reference */
  char            *sku;
  gint64           quantity;
  const char      *reason;
  gint64           session_id;
  /* results */
  GPtrArray       *entries;
  GPtrArray       *counts;
  OmniStore       *store;
  OmniTillReplayResult replay;
  GError          *error;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->till);
  g_free (job->sku);
  g_clear_pointer (&job->entries, g_ptr_array_unref);
  g_clear_pointer (&job->counts, g_ptr_array_unref);
  g_clear_object (&job->store);
  g_clear_error (&job->error);
  g_free (job);
}

static Job *new_job (OmniOfflineTill *self, JobKind kind, const char *sku, gint64 quantity,
                     const char *reason);
static void queue_job (OmniOfflineTill *self, JobKind kind, const char *sku, gint64 quantity,
                       const char *reason);

static void
show_entries (OmniOfflineTill *self,
              GPtrArray       *entries)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->waiting))) != NULL)
    gtk_list_box_remove (self->waiting, child);

  self->n_waiting = 0;
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const OmniTillEntry *e = entries->pdata[i];
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      AdwActionRow *row;

      if (e->state != OMNI_TILL_ENTRY_PENDING && e->state != OMNI_TILL_ENTRY_CONFLICT)
        continue;
      self->n_waiting++;
      title = g_strdup_printf ("%s  %+" G_GINT64_FORMAT, e->sku, e->quantity);
      if (e->state == OMNI_TILL_ENTRY_CONFLICT)
        subtitle = g_strdup_printf (_("Refused by the server: %s"), e->message);
      else if (e->kind == OMNI_TILL_ENTRY_ADJUST)
        subtitle = g_strdup_printf (_("%s, %s — waiting"), e->created_at, e->reason);
      else
        subtitle = g_strdup_printf (_("%s, counted for stock count %" PRId64 " — waiting"),
                                    e->created_at, e->session_id);
      row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (row, subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_append (self->waiting, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->waiting), self->n_waiting > 0);
}

static void update_mode (OmniOfflineTill *self);

/* The counts a scan can go to, as the journal last noted them. */
static void
show_counts (OmniOfflineTill *self,
             GPtrArray       *counts)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  if (counts == NULL)
    return;
  g_clear_pointer (&self->counts, g_ptr_array_unref);
  self->counts = g_ptr_array_ref (counts);
  for (guint i = 0; i < counts->len; i++)
    {
      const OmniTillCount *count = counts->pdata[i];
      g_autofree char *label = NULL;

      if (g_strcmp0 (count->scope, "all") == 0 || count->scope_value == NULL)
        label = g_strdup_printf (_("Count %" PRId64 " — %s"), count->session_id,
                                 count->location);
      else
        label = g_strdup_printf (_("Count %" PRId64 " — %s, %s"), count->session_id,
                                 count->location, count->scope_value);
      gtk_string_list_append (labels, label);
    }
  gtk_drop_down_set_model (self->count_choice, G_LIST_MODEL (labels));
  gtk_widget_set_sensitive (GTK_WIDGET (self->count_button), counts->len > 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_button),
                               counts->len > 0 ? NULL
                               : _("No stock count was open when this computer last reached "
                                   "the server"));
  if (counts->len == 0)
    gtk_toggle_button_set_active (self->sell_button, TRUE);
  update_mode (self);
}

static gboolean
job_done (gpointer data)
{
  Job *job = data;
  OmniOfflineTill *self = job->till;

  /* The page left its window: nothing to show any more. */
  if (self->pool == NULL)
    {
      job_free (job);
      return G_SOURCE_REMOVE;
    }

  switch (job->kind)
    {
    case JOB_RECORD:
      if (job->error != NULL)
        gtk_label_set_text (self->message, job->error->message);
      else
        {
          g_autofree char *text = g_strdup_printf (_("Recorded %s %+" PRId64
                                                     " on this computer."),
                                                   job->sku, job->quantity);

          gtk_label_set_text (self->message, text);
        }
      show_entries (self, job->entries);
      break;

    case JOB_COUNT:
      if (job->error != NULL)
        gtk_label_set_text (self->message, job->error->message);
      else
        {
          g_autofree char *text = g_strdup_printf (_("Counted %s %+" PRId64 " for stock count %"
                                                     PRId64 " on this computer."),
                                                   job->sku, job->quantity, job->session_id);

          gtk_label_set_text (self->message, text);
        }
      show_entries (self, job->entries);
      break;

    case JOB_LIST:
      show_entries (self, job->entries);
      show_counts (self, job->counts);
      break;

    case JOB_CONNECT:
      self->connecting = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), TRUE);
      if (job->store != NULL)
        {
          g_autofree char *text = NULL;

          show_entries (self, job->entries);
          text = g_strdup_printf (_("Back online: %u sale(s) sent, %u refused for the owner "
                                    "to settle."),
                                  job->replay.applied + job->replay.already_there,
                                  job->replay.conflicts);
          gtk_label_set_text (self->message, text);
          g_signal_emit (self, signals[CONNECTED], 0, job->store);
        }
      /* The server answered but will not let this till in (a changed
       * password, another program's database): that is for the owner to
       * settle, not for retrying. */
      else if (job->error->domain == OMNI_STORE_ERROR && job->error->code != OMNI_STORE_ERROR_IO)
        g_signal_emit (self, signals[REFUSED], 0, job->error);
      else
        {
          g_autofree char *text = g_strdup_printf (_("Still offline: %s"), job->error->message);

          gtk_label_set_text (self->message, text);
        }
      break;

    default:
      g_assert_not_reached ();
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  g_autoptr(OmniTillJournal) journal = NULL;
  const char *location = job->till->location;

  journal = omni_till_journal_open (location, &job->error);
  if (journal == NULL)
    goto out;

  switch (job->kind)
    {
    case JOB_RECORD:
      {
        g_autofree char *operation = omni_till_journal_record (journal, job->sku, NULL,
                                                               job->quantity, job->reason,
                                                               NULL, NULL, &job->error);

        (void)operation;
      }
      break;

    case JOB_COUNT:
      {
        g_autofree char *operation = omni_till_journal_record_count (journal, job->session_id,
                                                                     job->sku, job->quantity,
                                                                     FALSE, NULL, &job->error);

        (void)operation;
      }
      break;

    case JOB_CONNECT:
      job->store = omni_store_open (location, &job->error);
      if (job->store != NULL &&
          !omni_till_journal_replay (journal, job->store, &job->replay, NULL, &job->error))
        g_clear_object (&job->store);
      break;

    case JOB_LIST:
      job->counts = omni_till_journal_list_counts (journal, NULL);
      break;

    default:
      break;
    }
  job->entries = omni_till_journal_list (journal, -1, NULL);

out:
  omni_worker_run_on_main (NULL, job_done, job, NULL);
}

static Job *
new_job (OmniOfflineTill *self,
         JobKind          kind,
         const char      *sku,
         gint64           quantity,
         const char      *reason)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->till = g_object_ref (self);
  job->sku = g_strdup (sku);
  job->quantity = quantity;
  job->reason = reason;
  return job;
}

static void
queue_job (OmniOfflineTill *self,
           JobKind          kind,
           const char      *sku,
           gint64           quantity,
           const char      *reason)
{
  g_thread_pool_push (self->pool, new_job (self, kind, sku, quantity, reason), NULL);
}

/* A count scan: "CODE" or "12*CODE" (a scanner's keypad), times the
 * quantity beside it. Refused input is said, and nothing is queued. */
static gboolean
record_count (OmniOfflineTill *self,
              const char      *text,
              gint64           quantity)
{
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  const OmniTillCount *count;
  guint chosen = gtk_drop_down_get_selected (self->count_choice);
  gint64 times = 1;
  Job *job;

  if (self->counts == NULL || chosen >= self->counts->len)
    {
      gtk_label_set_text (self->message, _("Choose the stock count first."));
      return FALSE;
    }
  if (!omni_count_parse_input (text, &code, &times, &error))
    {
      gtk_label_set_text (self->message, error->message);
      return FALSE;
    }
  if (times * quantity > OMNI_COUNT_MAX_QUANTITY)
    {
      g_autofree char *message = g_strdup_printf (_("A scan adds at most %d."),
                                                  OMNI_COUNT_MAX_QUANTITY);

      gtk_label_set_text (self->message, message);
      return FALSE;
    }
  count = self->counts->pdata[chosen];
  job = new_job (self, JOB_COUNT, code, times * quantity, NULL);
  job->session_id = count->session_id;
  g_thread_pool_push (self->pool, job, NULL);
  return TRUE;
}

static void
record_sale (OmniOfflineTill *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_entry))));
  gint64 quantity = gtk_spin_button_get_value_as_int (self->quantity);
  gboolean returned = gtk_drop_down_get_selected (self->reason) == 1;

  if (*code == '\0')
    return;
  if (gtk_toggle_button_get_active (self->count_button))
    {
      if (!record_count (self, code, quantity))
        return;
    }
  else
    queue_job (self, JOB_RECORD, code, returned ? quantity : -quantity,
               returned ? OMNI_REASON_RETURNED : OMNI_REASON_SOLD);
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  gtk_spin_button_set_value (self->quantity, 1);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

/**
 * omni_offline_till_try_again:
 *
 * Tries the server now (on the worker); ::connected follows if it answers.
 */
void
omni_offline_till_try_again (OmniOfflineTill *self)
{
  g_return_if_fail (OMNI_IS_OFFLINE_TILL (self));

  if (self->connecting)
    return;
  self->connecting = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), FALSE);
  gtk_label_set_text (self->message, _("Trying the server…"));
  queue_job (self, JOB_CONNECT, NULL, 0, NULL);
}

static gboolean
retry_tick (gpointer data)
{
  omni_offline_till_try_again (data);
  return G_SOURCE_CONTINUE;
}

/* Whether a connection attempt is under way. */
gboolean
omni_offline_till_is_trying (OmniOfflineTill *self)
{
  g_return_val_if_fail (OMNI_IS_OFFLINE_TILL (self), FALSE);
  return self->connecting;
}

/* How many stock counts a scan can go to. */
guint
omni_offline_till_get_n_counts (OmniOfflineTill *self)
{
  g_return_val_if_fail (OMNI_IS_OFFLINE_TILL (self), 0);
  return self->counts != NULL ? self->counts->len : 0;
}

/* Whether a scan is counted (Count) rather than sold (Sell). */
gboolean
omni_offline_till_get_counting (OmniOfflineTill *self)
{
  g_return_val_if_fail (OMNI_IS_OFFLINE_TILL (self), FALSE);
  return gtk_toggle_button_get_active (self->count_button);
}

static void
update_mode (OmniOfflineTill *self)
{
  gboolean counting = gtk_toggle_button_get_active (self->count_button);

  gtk_widget_set_visible (GTK_WIDGET (self->reason), !counting);
  gtk_widget_set_visible (GTK_WIDGET (self->count_choice), counting);
  gtk_entry_set_placeholder_text (self->code_entry,
                                  counting ? _("Scan or type a code to count")
                                           : _("Scan or type a SKU or barcode"));
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

guint
omni_offline_till_get_n_waiting (OmniOfflineTill *self)
{
  g_return_val_if_fail (OMNI_IS_OFFLINE_TILL (self), 0);
  return self->n_waiting;
}

/**
 * omni_offline_till_get_location:
 *
 * Returns: the shared store's address this till records for
 */
const char *
omni_offline_till_get_location (OmniOfflineTill *self)
{
  g_return_val_if_fail (OMNI_IS_OFFLINE_TILL (self), NULL);
  return self->location;
}

static void
omni_offline_till_dispose (GObject *object)
{
  OmniOfflineTill *self = OMNI_OFFLINE_TILL (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  /* The jobs queued still run (a sale being recorded is kept), without
       * holding up the main loop; their results find no page. */
  if (self->pool != NULL)
    {
      GThreadPool *pool = g_steal_pointer (&self->pool);

      g_thread_pool_free (pool, FALSE, FALSE);
    }

  G_OBJECT_CLASS (omni_offline_till_parent_class)->dispose (object);
}

static void
omni_offline_till_finalize (GObject *object)
{
  OmniOfflineTill *self = OMNI_OFFLINE_TILL (object);

  g_free (self->location);
  g_clear_pointer (&self->counts, g_ptr_array_unref);

  G_OBJECT_CLASS (omni_offline_till_parent_class)->finalize (object);
}

static void
omni_offline_till_class_init (OmniOfflineTillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_offline_till_dispose;
  object_class->finalize = omni_offline_till_finalize;

  /**
   * OmniOfflineTill::connected:
   * @store: the store, open again, with the journal sent
   */
  signals[CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, OMNI_TYPE_STORE);

  /**
   * OmniOfflineTill::refused:
   * @error: why: the server answered and refused (anything but
   *   %OMNI_STORE_ERROR_IO)
   *
   * Trying again reached the server, which would not open the store.
   */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
omni_offline_till_init (OmniOfflineTill *self)
{
  static const char * const reasons[] = { N_("Sold"), N_("Returned"), NULL };
  const char *translated[G_N_ELEMENTS (reasons)];
  GtkWidget *form, *clamp, *box, *record, *scroller, *modes;

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    translated[i] = reasons[i] != NULL ? _(reasons[i]) : NULL;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  self->pool = g_thread_pool_new (run_job, NULL, 1, TRUE, NULL);

  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->status, "network-offline-symbolic");
  adw_status_page_set_title (self->status, _("Working Offline"));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  /* Sell or Count: what a scan records. */
  modes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (modes, "linked");
  gtk_widget_set_halign (modes, GTK_ALIGN_CENTER);
  self->sell_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_Sell")));
  self->count_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("C_ount")));
  gtk_toggle_button_set_group (self->count_button, self->sell_button);
  gtk_toggle_button_set_active (self->sell_button, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->count_button), FALSE);
  g_signal_connect_swapped (self->count_button, "toggled", G_CALLBACK (update_mode), self);
  gtk_box_append (GTK_BOX (modes), GTK_WIDGET (self->sell_button));
  gtk_box_append (GTK_BOX (modes), GTK_WIDGET (self->count_button));
  gtk_box_append (GTK_BOX (box), modes);

  form = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->code_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->code_entry, _("Scan or type a SKU or barcode"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->code_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->code_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("SKU or barcode"), -1);
  g_signal_connect_swapped (self->code_entry, "activate", G_CALLBACK (record_sale), self);
  self->quantity = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 999, 1));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->quantity),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quantity"), -1);
  self->reason = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (translated));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reason),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sold or returned"), -1);
  self->count_choice = GTK_DROP_DOWN (gtk_drop_down_new (NULL, gtk_property_expression_new (
      GTK_TYPE_STRING_OBJECT, NULL, "string")));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_choice),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Stock count"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->count_choice), FALSE);
  record = gtk_button_new_with_mnemonic (_("_Record"));
  g_signal_connect_swapped (record, "clicked", G_CALLBACK (record_sale), self);
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (self->code_entry));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (self->quantity));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (self->reason));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (self->count_choice));
  gtk_box_append (GTK_BOX (form), record);
  gtk_box_append (GTK_BOX (box), form);

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->message), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->message));

  self->waiting = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->waiting, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->waiting), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->waiting), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->waiting),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Waiting to be sent"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->waiting));

  self->retry_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Try Again")));
  gtk_widget_add_css_class (GTK_WIDGET (self->retry_button), "pill");
  gtk_widget_add_css_class (GTK_WIDGET (self->retry_button), "suggested-action");
  gtk_widget_set_halign (GTK_WIDGET (self->retry_button), GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->retry_button, "clicked",
                            G_CALLBACK (omni_offline_till_try_again), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->retry_button));

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  adw_status_page_set_child (self->status, clamp);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->status));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (self), scroller);
}

/**
 * omni_offline_till_new:
 * @location: the shared store's address
 * @cause: why it cannot be reached
 *
 * Returns: (transfer floating): the page
 */
GtkWidget *
omni_offline_till_new (const char   *location,
                       const GError *cause)
{
  OmniOfflineTill *self = g_object_new (OMNI_TYPE_OFFLINE_TILL, NULL);
  g_autofree char *shown = omni_store_redact_location (location);
  g_autofree char *description = NULL;

  self->location = g_strdup (location);
  description = g_markup_printf_escaped (_("The shop's database server cannot be reached. "
                                           "What you sell here is kept on this computer and "
                                           "sent, once, when the server is back.\n\n"
                                           "<small>%s</small>"),
                                         cause != NULL ? cause->message : shown);
  adw_status_page_set_description (self->status, description);
  queue_job (self, JOB_LIST, NULL, 0, NULL);
  self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_tick, self);
  return GTK_WIDGET (self);
}
