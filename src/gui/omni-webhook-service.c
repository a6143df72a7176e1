/* omni-webhook-service.c: the webhook receiver while the app is open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows two GSettings keys, webhook-receive and webhook-port: while the
 * switch is on and a database is open, an OmniWebhookServer (the same
 * receiver as `omnistock-cli webhook serve`) listens on 127.0.0.1 at that
 * port, with the signing secrets read from the keyring. Starting reads the
 * keyring and binds, and stopping waits for the delivery being applied, so
 * both run on a worker thread, one at a time; a change made meanwhile is
 * applied when the running one finishes. A failure (port taken, no Shopify
 * channel) becomes the status and the "error" the window shows; it never
 * stops the app.
 */
#define G_LOG_DOMAIN "omni-webhook-service"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-webhook-server.h"
#include "omni-webhook-service.h"

struct _OmniWebhookService
{
  GObject            parent_instance;

  GSettings         *settings;
  char              *db_path;
  OmniWebhookServer *server;       /* running, owned by the main thread */
  char              *server_db;    /* what it serves */
  guint              server_port;  /* the port asked for */
  gboolean           busy;         /* a start or stop is on a worker */
  gboolean           again;        /* settings changed while busy */
  char              *status;
  char              *error;
};

G_DEFINE_FINAL_TYPE (OmniWebhookService, omni_webhook_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reconcile (OmniWebhookService *self);

typedef struct
{
  OmniWebhookServer *old;      /* to stop */
  char              *db_path;  /* to start, or %NULL */
  guint              port;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->old);
  g_free (job->db_path);
  g_free (job);
}

static void
set_status (OmniWebhookService *self,
            const char         *status,
            const char         *error)
{
  g_free (self->status);
  self->status = g_strdup (status);
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(OmniWebhookServer) server = NULL;
  GError *error = NULL;

  if (job->old != NULL)
    omni_webhook_server_stop (job->old);
  if (job->db_path == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  server = omni_webhook_server_new (job->db_path);
  if (!omni_webhook_server_start (server, OMNI_WEBHOOK_DEFAULT_BIND, job->port, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&server), g_object_unref);
}

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OmniWebhookService) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  OmniWebhookServer *server = g_task_propagate_pointer (G_TASK (result), &error);

  self->busy = FALSE;
  if (server != NULL && self->settings == NULL)
    {
      /* Shut down while it was starting. */
      omni_webhook_server_stop (server);
      g_object_unref (server);
      return;
    }
  if (server != NULL)
    {
      g_autofree char *url = omni_webhook_server_get_url (server);
      g_autofree char *status = NULL;

      self->server = server;
      self->server_db = g_strdup (job->db_path);
      self->server_port = job->port;
      /* Translators: %s is an address such as http://127.0.0.1:8787/webhooks/shopify */
      status = g_strdup_printf (_("Receiving at %s"), url);
      set_status (self, status, NULL);
    }
  else if (error != NULL)
    {
      g_autofree char *status = g_strdup_printf (_("Not receiving: %s"), error->message);

      g_message ("The webhook receiver did not start: %s", error->message);
      /* Not retried until something changes: the same port would fail again. */
      self->server_db = g_strdup (job->db_path);
      self->server_port = job->port;
      set_status (self, status, error->message);
    }
  else
    set_status (self, _("Off"), NULL);

  if (self->again)
    {
      self->again = FALSE;
      reconcile (self);
    }
}

static void
reconcile (OmniWebhookService *self)
{
  gboolean want = self->settings != NULL && self->db_path != NULL &&
                  g_settings_get_boolean (self->settings, "webhook-receive");
  guint port = self->settings != NULL ? (guint)g_settings_get_int (self->settings, "webhook-port") : 0;
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  /* Already as wanted (running, or failed with these very settings). */
  if (want && g_strcmp0 (self->server_db, self->db_path) == 0 && self->server_port == port)
    return;
  if (!want && self->server == NULL)
    {
      g_clear_pointer (&self->server_db, g_free);
      if (self->error != NULL || g_strcmp0 (self->status, _("Off")) != 0)
        set_status (self, _("Off"), NULL);
      return;
    }

  job = g_new0 (Job, 1);
  job->old = g_steal_pointer (&self->server);
  job->db_path = want ? g_strdup (self->db_path) : NULL;
  job->port = port;
  g_clear_pointer (&self->server_db, g_free);
  self->server_port = 0;
  self->busy = TRUE;
  set_status (self, want ? _("Starting…") : _("Stopping…"), NULL);

  /* The owner is not the task's source: see omni_worker_task_new(). */
  task = g_task_new (NULL, NULL, job_done, g_object_ref (self));
  g_task_set_source_tag (task, reconcile);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, job_thread);
}

static void
settings_changed_cb (GSettings          *settings,
                     const char         *key,
                     OmniWebhookService *self)
{
  if (g_strcmp0 (key, "webhook-receive") == 0 || g_strcmp0 (key, "webhook-port") == 0)
    reconcile (self);
}

/**
 * omni_webhook_service_set_database:
 * @db_path: (nullable): the database deliveries go to; %NULL when no
 *   window has one open
 */
void
omni_webhook_service_set_database (OmniWebhookService *self,
                                   const char         *db_path)
{
  g_return_if_fail (OMNI_IS_WEBHOOK_SERVICE (self));

  if (g_strcmp0 (self->db_path, db_path) == 0)
    return;
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  reconcile (self);
}

gboolean
omni_webhook_service_is_running (OmniWebhookService *self)
{
  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVICE (self), FALSE);
  return self->server != NULL;
}

gboolean
omni_webhook_service_is_busy (OmniWebhookService *self)
{
  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVICE (self), FALSE);
  return self->busy;
}

/**
 * omni_webhook_service_get_port:
 *
 * Returns: the port listened on, 0 when not running
 */
guint
omni_webhook_service_get_port (OmniWebhookService *self)
{
  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVICE (self), 0);
  return self->server != NULL ? omni_webhook_server_get_port (self->server) : 0;
}

const char *
omni_webhook_service_get_status (OmniWebhookService *self)
{
  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVICE (self), NULL);
  return self->status;
}

/**
 * omni_webhook_service_get_error:
 *
 * Returns: (nullable): why the receiver is not running though it should
 */
const char *
omni_webhook_service_get_error (OmniWebhookService *self)
{
  g_return_val_if_fail (OMNI_IS_WEBHOOK_SERVICE (self), NULL);
  return self->error;
}

/**
 * omni_webhook_service_shutdown:
 *
 * Stops listening now (the app is quitting); queued deliveries stay in the
 * database and are applied at the next start.
 */
void
omni_webhook_service_shutdown (OmniWebhookService *self)
{
  g_return_if_fail (OMNI_IS_WEBHOOK_SERVICE (self));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, settings_changed_cb, self);
  g_clear_object (&self->settings);
  if (self->server != NULL)
    omni_webhook_server_stop (self->server);
  g_clear_object (&self->server);
}

static void
omni_webhook_service_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OmniWebhookService *self = OMNI_WEBHOOK_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_webhook_service_dispose (GObject *object)
{
  omni_webhook_service_shutdown (OMNI_WEBHOOK_SERVICE (object));
  G_OBJECT_CLASS (omni_webhook_service_parent_class)->dispose (object);
}

static void
omni_webhook_service_finalize (GObject *object)
{
  OmniWebhookService *self = OMNI_WEBHOOK_SERVICE (object);

  g_free (self->db_path);
  g_free (self->server_db);
  g_free (self->status);
  g_free (self->error);
  G_OBJECT_CLASS (omni_webhook_service_parent_class)->finalize (object);
}

static void
omni_webhook_service_class_init (OmniWebhookServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = omni_webhook_service_get_property;
  object_class->dispose = omni_webhook_service_dispose;
  object_class->finalize = omni_webhook_service_finalize;

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_webhook_service_init (OmniWebhookService *self)
{
  self->status = g_strdup (_("Off"));
}

/**
 * omni_webhook_service_new:
 * @settings: (nullable): the application's settings
 *
 * Returns: (transfer full): a service, idle until it has a database
 */
OmniWebhookService *
omni_webhook_service_new (GSettings *settings)
{
  OmniWebhookService *self = g_object_new (OMNI_TYPE_WEBHOOK_SERVICE, NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect (settings, "changed", G_CALLBACK (settings_changed_cb), self);
    }
  return self;
}
