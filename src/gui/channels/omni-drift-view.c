/* omni-drift-view.c: per channel drift, freshness and activity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under the channel list of the Sales Channels page: for each channel how
 * fresh its data is ("Shopify: 40 s ago", kept current by a timer), every
 * variant whose quantity on the channel differs from what OmniStock expects
 * (omni_store_list_drift()), expandable to the local movements and channel
 * events that explain it, with a fix in either direction — Push Local
 * (one outbox entry, then a sync) or Accept Remote (one movement) — and the
 * channel's activity: its sync log with the full messages. Conflicts that
 * wait for a decision raise one notification per channel. Reading and
 * fixing run on worker threads with their own database connection.
 */
#define G_LOG_DOMAIN "omni-drift-view"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-drift-view.h"
#include "omni-notifier.h"
#include "omni-store-channel.h"
#include "omni-store-drift.h"
#include "omni-toast.h"

#define MAX_DRIFTS     50
#define MAX_EXPLAINED  20
#define MAX_LOG        20

struct _OmniDriftView
{
  AdwPreferencesGroup  parent_instance;

  OmniContext         *context;
  GCancellable        *cancellable;
  GPtrArray           *rows;          /* rows added to the group */
  GPtrArray           *fresh;         /* FreshLabel, for the timer */
  guint                timer_id;
  gboolean             loading;
  gboolean             again;
};

G_DEFINE_FINAL_TYPE (OmniDriftView, omni_drift_view, ADW_TYPE_PREFERENCES_GROUP)

enum {
  SIGNAL_SYNC_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  OmniChannel *channel;
  char        *fresh_at;
  GPtrArray   *drifts;         /* OmniDrift */
  GPtrArray   *explanations;   /* GPtrArray of OmniDriftEvent, per drift (may be NULL) */
  GPtrArray   *log;            /* OmniSyncLogEntry */
  guint        conflicts;
} ChannelHealth;

typedef struct
{
  AdwActionRow *row;
  char         *platform;
  char         *at;
  char         *rest;
} FreshLabel;

static void
channel_health_free (ChannelHealth *h)
{
  omni_channel_free (h->channel);
  g_free (h->fresh_at);
  g_clear_pointer (&h->drifts, g_ptr_array_unref);
  g_clear_pointer (&h->explanations, g_ptr_array_unref);
  g_clear_pointer (&h->log, g_ptr_array_unref);
  g_free (h);
}

static void
fresh_label_free (FreshLabel *f)
{
  g_free (f->platform);
  g_free (f->at);
  g_free (f->rest);
  g_free (f);
}

static const char *
platform_name (const char *platform)
{
  if (g_strcmp0 (platform, "shopify") == 0)
    return "Shopify";
  if (g_strcmp0 (platform, "amazon") == 0)
    return "Amazon";
  if (g_strcmp0 (platform, "ebay") == 0)
    return "eBay";
  return platform;
}

/**
 * omni_drift_view_format_age:
 * @at_iso: (nullable): when the channel's data was last confirmed
 *
 * Returns: (transfer full): "Shopify: 40 s ago", "Shopify: 5 min ago", …
 */
char *
omni_drift_view_format_age (const char *platform,
                            const char *at_iso,
                            GDateTime  *now)
{
  g_autoptr(GDateTime) at = at_iso ? g_date_time_new_from_iso8601 (at_iso, NULL) : NULL;
  const char *name = platform_name (platform);
  gint64 seconds;

  if (at == NULL)
    /* Translators: %s is a platform, "Shopify" */
    return g_strdup_printf (_("%s: never synced"), name);
  seconds = MAX (g_date_time_difference (now, at) / G_TIME_SPAN_SECOND, 0);
  if (seconds < 60)
    /* Translators: %s is a platform, "Shopify: 40 s ago" */
    return g_strdup_printf (_("%s: %" PRId64 " s ago"), name, seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%s: %" PRId64 " min ago"), name, seconds / 60);
  if (seconds < 48 * 3600)
    return g_strdup_printf (_("%s: %" PRId64 " h ago"), name, seconds / 3600);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %" PRId64 " day ago",
                                       "%s: %" PRId64 " days ago", seconds / 86400),
                          name, seconds / 86400);
}

static void
refresh_ages (OmniDriftView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint i = 0; i < self->fresh->len; i++)
    {
      FreshLabel *f = self->fresh->pdata[i];
      g_autofree char *age = omni_drift_view_format_age (f->platform, f->at, now);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", age, f->rest);

      adw_action_row_set_subtitle (f->row, subtitle);
    }
}

static gboolean
timer_cb (gpointer data)
{
  refresh_ages (data);
  return G_SOURCE_CONTINUE;
}

/* Loading (worker) ------------------------------------------------------ */

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify)channel_health_free);
  GError *error = NULL;

  store = omni_store_open (task_data, &error);
  if (store == NULL || (channels = omni_store_list_channels (store, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < channels->len; i++)
    {
      ChannelHealth *h = g_new0 (ChannelHealth, 1);
      g_autoptr(GPtrArray) conflicts = NULL;

      h->channel = g_steal_pointer (&channels->pdata[i]);
      h->fresh_at = omni_store_channel_fresh_at (store, h->channel->id);
      h->drifts = omni_store_list_drift (store, h->channel->id, MAX_DRIFTS, &error);
      if (h->drifts == NULL)
        {
          channel_health_free (h);
          g_task_return_error (task, error);
          return;
        }
      h->explanations = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
      for (guint d = 0; d < h->drifts->len && d < MAX_EXPLAINED; d++)
        {
          OmniDrift *drift = h->drifts->pdata[d];
          GPtrArray *events = omni_store_explain_drift (store, drift->channel_id, drift->variant_id,
                                                        drift->location_id, 10, NULL);

          g_ptr_array_add (h->explanations,
                           events ? events : g_ptr_array_new_with_free_func (
                                               (GDestroyNotify)omni_drift_event_free));
        }
      h->log = omni_store_list_sync_log (store, h->channel->id, MAX_LOG, NULL);
      conflicts = omni_store_list_outbox (store, h->channel->id, "conflict", 0, NULL);
      h->conflicts = conflicts ? conflicts->len : 0;
      g_ptr_array_add (result, h);
    }
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify)g_ptr_array_unref);
}

/* Fixing (worker) ------------------------------------------------------- */

typedef struct
{
  char    *db_path;
  char    *actor;
  char    *sku;
  gint64   channel_id;
  gint64   variant_id;
  gint64   location_id;
  gboolean accept;
} FixJob;

static void
fix_job_free (FixJob *job)
{
  g_free (job->db_path);
  g_free (job->actor);
  g_free (job->sku);
  g_free (job);
}

static void
fix_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  FixJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  gint64 delta = 0;

  store = omni_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->accept)
    {
      if (!omni_store_drift_accept_remote (store, job->channel_id, job->variant_id,
                                           job->location_id, job->actor, &delta, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (omni_store_drift_push_local (store, job->channel_id, job->variant_id,
                                        job->location_id, &error) == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
add_toast (OmniDriftView *self,
           const char    *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), omni_toast_new_text (text));
}

static void
fixed_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OmniDriftView) self = user_data;
  FixJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not fix %s: %s"), job->sku, error->message);
    }
  else if (job->accept)
    /* Translators: %s is a SKU */
    text = g_strdup_printf (_("%s now has the channel’s quantity"), job->sku);
  else
    text = g_strdup_printf (_("%s: OmniStock’s quantity is being pushed"), job->sku);
  add_toast (self, text);

  if (error == NULL && !job->accept)
    g_signal_emit (self, signals[SIGNAL_SYNC_REQUESTED], 0, job->channel_id);
  if (self->context != NULL)
    omni_context_store_changed (self->context);
}

static void
fix_clicked_cb (GtkButton     *button,
                OmniDriftView *self)
{
  OmniDrift *drift = g_object_get_data (G_OBJECT (button), "drift");
  g_autoptr(GTask) task = NULL;
  FixJob *job;

  if (self->context == NULL || drift == NULL)
    return;
  job = g_new0 (FixJob, 1);
  job->db_path = g_strdup (omni_store_get_path (omni_context_get_store (self->context)));
  job->actor = omni_context_dup_actor (self->context);
  job->sku = g_strdup (drift->sku ? drift->sku : drift->title);
  job->channel_id = drift->channel_id;
  job->variant_id = drift->variant_id;
  job->location_id = drift->location_id;
  job->accept = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "accept"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);

  task = g_task_new (NULL, self->cancellable, fixed_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify)fix_job_free);
  g_task_run_in_thread (task, fix_thread);
}

/* Rows ------------------------------------------------------------------ */

static void
add_row (OmniDriftView *self,
         GtkWidget     *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

static OmniDrift *drift_copy (const OmniDrift *d);

static GtkWidget *
fix_button (const OmniDrift *drift,
            gboolean         accept)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (accept ? _("_Accept Remote")
                                                           : _("_Push Local"));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, accept
                               ? _("Take the channel’s quantity as the truth: one stock movement here")
                               : _("Send OmniStock’s quantity to the channel"));
  g_object_set_data (G_OBJECT (button), "accept", GINT_TO_POINTER (accept));
  /* A copy lives as long as the button. */
  g_object_set_data_full (G_OBJECT (button), "drift", drift_copy (drift),
                          (GDestroyNotify)omni_drift_free);
  return button;
}

static OmniDrift *
drift_copy (const OmniDrift *d)
{
  OmniDrift *copy = g_memdup2 (d, sizeof *d);

  copy->sku = g_strdup (d->sku);
  copy->title = g_strdup (d->title);
  copy->location_name = g_strdup (d->location_name);
  copy->remote_location_id = g_strdup (d->remote_location_id);
  copy->remote_seen_at = g_strdup (d->remote_seen_at);
  return copy;
}

static GtkWidget *
drift_row (OmniDriftView   *self,
           ChannelHealth   *h,
           OmniDrift       *d,
           GPtrArray       *events)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *push, *accept;

  title = g_strdup_printf ("%s · %s · %s", d->sku ? d->sku : "—", d->title, d->location_name);
  /* SKUs, titles, names and the platforms' messages are text, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_string_printf (subtitle, _("%s shows %" PRId64 ", OmniStock expects %" PRId64),
                   platform_name (h->channel->platform), d->remote, d->expected);
  if (d->conflicts > 0)
    g_string_append (subtitle, _(" · needs a decision"));
  else if (d->pending > 0)
    g_string_append (subtitle, _(" · a push is waiting"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);

  push = fix_button (d, FALSE);
  accept = fix_button (d, TRUE);
  g_signal_connect (push, "clicked", G_CALLBACK (fix_clicked_cb), self);
  g_signal_connect (accept, "clicked", G_CALLBACK (fix_clicked_cb), self);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), accept);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), push);

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      OmniDriftEvent *e = events->pdata[i];
      g_autoptr(GDateTime) utc = e->at ? g_date_time_new_from_iso8601 (e->at, NULL) : NULL;
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%x %X") : g_strdup (e->at);
      GtkWidget *line = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line),
                                     g_str_equal (e->side, "local") ? _("Here") : _("On the channel"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (line), e->detail);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (line), 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (line), gtk_label_new (when));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), line);
    }
  return row;
}

static GtkWidget *
activity_row (ChannelHealth *h)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *title = g_strdup_printf (_("Activity of %s"), h->channel->name);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recent event", "%u recent events",
                                           h->log ? h->log->len : 0),
                              h->log ? h->log->len : 0);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  for (guint i = 0; h->log != NULL && i < h->log->len; i++)
    {
      OmniSyncLogEntry *e = h->log->pdata[i];
      g_autoptr(GDateTime) utc = e->at ? g_date_time_new_from_iso8601 (e->at, NULL) : NULL;
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%x %X") : g_strdup (e->at);
      g_autofree char *line_title = g_strdup_printf ("%s · %s · %s", e->direction, e->operation,
                                                     e->status);
      GtkWidget *line = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line), line_title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (line), e->message ? e->message : "");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (line), 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (line), gtk_label_new (when));
      if (g_strcmp0 (e->status, "error") == 0 || g_strcmp0 (e->status, "conflict") == 0)
        adw_action_row_add_prefix (ADW_ACTION_ROW (line),
                                   gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), line);
    }
  gtk_widget_set_sensitive (row, h->log != NULL && h->log->len > 0);
  return row;
}

static void
notify_conflicts (ChannelHealth *h)
{
  g_autofree char *id = g_strdup_printf ("channel-conflicts-%" G_GINT64_FORMAT, h->channel->id);
  g_autofree char *body = NULL;

  if (h->conflicts == 0)
    {
      omni_notifier_withdraw (id);
      return;
    }
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %u quantity changed on the channel while OmniStock’s "
                                       "was waiting to be sent. Choose which one to keep in Sales "
                                       "Channels.",
                                       "%s: %u quantities changed on the channel while OmniStock’s "
                                       "were waiting to be sent. Choose which ones to keep in Sales "
                                       "Channels.", h->conflicts),
                          h->channel->name, h->conflicts);
  omni_notifier_raise (id, _("Stock Conflicts Need a Decision"), body);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OmniDriftView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) health = g_task_propagate_pointer (G_TASK (result), &error);

  self->loading = FALSE;
  /* Taken out of its window while it compared: nothing to show, and the
   * store may be gone with the window. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  if (health == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not compare the channels: %s", error->message);
      return;
    }

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->fresh, 0);

  for (guint i = 0; i < health->len; i++)
    {
      ChannelHealth *h = health->pdata[i];
      GtkWidget *header = adw_action_row_new ();
      FreshLabel *fresh = g_new0 (FreshLabel, 1);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (header), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (header), h->channel->name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (header),
                                 gtk_image_new_from_icon_name (h->drifts->len > 0
                                                               ? "dialog-warning-symbolic"
                                                               : "emblem-ok-symbolic"));
      fresh->row = ADW_ACTION_ROW (header);
      fresh->platform = g_strdup (h->channel->platform);
      fresh->at = g_strdup (h->fresh_at);
      fresh->rest = h->drifts->len == 0
                    ? g_strdup (_("every linked quantity as expected"))
                    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u quantity differs",
                                                    "%u quantities differ", h->drifts->len),
                                       h->drifts->len);
      g_ptr_array_add (self->fresh, fresh);
      add_row (self, header);

      for (guint d = 0; d < h->drifts->len; d++)
        add_row (self, drift_row (self, h, h->drifts->pdata[d],
                                  d < h->explanations->len ? h->explanations->pdata[d] : NULL));
      add_row (self, activity_row (h));
      notify_conflicts (h);
    }
  refresh_ages (self);
  gtk_widget_set_visible (GTK_WIDGET (self), health->len > 0);

  if (self->again)
    {
      self->again = FALSE;
      omni_drift_view_reload (self);
    }
}

/**
 * omni_drift_view_reload:
 *
 * Compares again (after a sync, a fix or any change to the stock).
 */
void
omni_drift_view_reload (OmniDriftView *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OMNI_IS_DRIFT_VIEW (self));

  if (self->context == NULL)
    return;
  if (self->loading)
    {
      self->again = TRUE;
      return;
    }
  self->loading = TRUE;
  task = g_task_new (NULL, self->cancellable, loaded_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (omni_store_get_path (omni_context_get_store (self->context))),
                        g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
omni_drift_view_is_loading (OmniDriftView *self)
{
  g_return_val_if_fail (OMNI_IS_DRIFT_VIEW (self), FALSE);
  return self->loading || self->again;
}

static void
store_changed_cb (OmniContext   *context,
                  OmniDriftView *self)
{
  omni_drift_view_reload (self);
}

static void
omni_drift_view_dispose (GObject *object)
{
  OmniDriftView *self = OMNI_DRIFT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (omni_drift_view_parent_class)->dispose (object);
}

static void
omni_drift_view_finalize (GObject *object)
{
  OmniDriftView *self = OMNI_DRIFT_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->fresh, g_ptr_array_unref);
  G_OBJECT_CLASS (omni_drift_view_parent_class)->finalize (object);
}

static void
omni_drift_view_class_init (OmniDriftViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_drift_view_dispose;
  object_class->finalize = omni_drift_view_finalize;

  /**
   * OmniDriftView::sync-requested:
   * @channel_id: the channel to sync now
   *
   * A fix queued a push that should go out without waiting for the timer.
   */
  signals[SIGNAL_SYNC_REQUESTED] =
    g_signal_new ("sync-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
omni_drift_view_init (OmniDriftView *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->fresh = g_ptr_array_new_with_free_func ((GDestroyNotify)fresh_label_free);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Reconciliation"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("How fresh each channel’s data is, every quantity that "
                                           "differs from what OmniStock expects, and what happened."));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * omni_drift_view_new:
 * @context: the window's context
 *
 * Returns: (transfer floating): a new view; it reloads on every change to
 *   the store
 */
GtkWidget *
omni_drift_view_new (OmniContext *context)
{
  OmniDriftView *self;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_DRIFT_VIEW, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_object (context, "store-changed", G_CALLBACK (store_changed_cb), self, 0);
  self->timer_id = g_timeout_add_seconds (5, timer_cb, self);
  omni_drift_view_reload (self);
  return GTK_WIDGET (self);
}
