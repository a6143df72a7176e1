/* omni-alerts-monitor.c: raises each low-stock alert once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store keeps low-stock alerts by trigger, whatever moved the stock (an
 * adjustment, an import, a count, a sync, an order), and clears them when
 * stock recovers. Each time the store changes, the monitor reads the alerts
 * no notification went out for yet, marks them notified in the same worker
 * job, and emits ::alert-raised once: one alert is named, several are
 * summed up. The window turns the signal into a GNotification; tests count
 * it. A later change that leaves a variant low raises nothing new: its alert
 * is already notified. The GSettings key notify-low-stock turns this off.
 */
#define G_LOG_DOMAIN "omni-alerts-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-alerts-monitor.h"
#include "omni-inventory-worker.h"
#include "omni-store-inventory.h"

/* How many variants a summary names before "and N more". */
#define NAMED_IN_SUMMARY 3

struct _OmniAlertsMonitor
{
  GObject              parent_instance;

  OmniContext         *context;
  OmniInventoryWorker *worker;
  GCancellable        *cancellable;
  guint                busy : 1;
  guint                stale : 1;
};

G_DEFINE_FINAL_TYPE (OmniAlertsMonitor, omni_alerts_monitor, G_TYPE_OBJECT)

enum {
  ALERT_RAISED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Reads and marks in one transaction, so an alert is either announced and
 * marked, or neither. */
static void
take_new_alerts_job (OmniStore    *store,
                     GTask        *task,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr(GPtrArray) alerts = NULL;
  GError *error = NULL;

  if (!omni_store_begin (store, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  alerts = omni_store_list_alerts (store, TRUE, &error);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      const OmniStockAlert *alert = g_ptr_array_index (alerts, i);

      if (!omni_store_mark_alert_notified (store, alert->variant_id, &error))
        g_clear_pointer (&alerts, g_ptr_array_unref);
    }

  if (alerts == NULL || !omni_store_commit (store, &error))
    {
      omni_store_rollback (store);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&alerts), (GDestroyNotify) g_ptr_array_unref);
}

static const char *
alert_label (const OmniStockAlert *alert)
{
  return alert->sku != NULL && alert->sku[0] != '\0' ? alert->sku : alert->title;
}

static void
describe_one (const OmniStockAlert  *alert,
              char                 **title,
              char                 **body)
{
  g_autofree char *available = g_strdup_printf ("%" G_GINT64_FORMAT, alert->available);
  g_autofree char *point = g_strdup_printf ("%" G_GINT64_FORMAT, alert->reorder_point);

  if (alert->available <= 0)
    /* Translators: %s is a SKU or a product title */
    *title = g_strdup_printf (_("%s is out of stock"), alert_label (alert));
  else
    /* Translators: %s is a SKU or a product title */
    *title = g_strdup_printf (_("%s is low on stock"), alert_label (alert));

  /* Translators: "Canvas Tote: 3 available, reorder point 5" */
  *body = g_strdup_printf (_("%s: %s available, reorder point %s"),
                           alert->title, available, point);
}

static void
describe_many (GPtrArray  *alerts,
               char      **title,
               char      **body)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint named = MIN (alerts->len, NAMED_IN_SUMMARY);

  *title = g_strdup_printf (ngettext ("%u item is low on stock",
                                      "%u items are low on stock", alerts->len),
                            alerts->len);

  for (guint i = 0; i < named; i++)
    {
      if (i > 0)
        /* Translators: the separator between names in a list */
        g_string_append (names, _(", "));
      g_string_append (names, alert_label (g_ptr_array_index (alerts, i)));
    }

  if (alerts->len > named)
    /* Translators: "TEE-S, TEE-M, MUG-1 and 4 more" */
    *body = g_strdup_printf (ngettext ("%s and %u more", "%s and %u more",
                                       alerts->len - named),
                             names->str, alerts->len - named);
  else
    *body = g_string_free (g_steal_pointer (&names), FALSE);
}

static void
take_new_alerts_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OmniAlertsMonitor *self;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  /* Cancelled only in dispose: the monitor may be gone. */
  alerts = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_ALERTS_MONITOR (user_data);
  self->busy = FALSE;

  if (alerts == NULL)
    g_warning ("Cannot read the low-stock alerts: %s", error->message);
  else if (alerts->len == 1)
    describe_one (g_ptr_array_index (alerts, 0), &title, &body);
  else if (alerts->len > 1)
    describe_many (alerts, &title, &body);

  if (title != NULL)
    g_signal_emit (self, signals[ALERT_RAISED], 0, title, body, alerts->len);

  if (self->stale)
    omni_alerts_monitor_check (self);
}

static void
omni_alerts_monitor_dispose (GObject *object)
{
  OmniAlertsMonitor *self = OMNI_ALERTS_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (omni_alerts_monitor_parent_class)->dispose (object);
}

static void
omni_alerts_monitor_class_init (OmniAlertsMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_alerts_monitor_dispose;

  /**
   * OmniAlertsMonitor::alert-raised:
   * @title: one line: "TEE-S is low on stock", "5 items are low on stock"
   * @body: the detail: figures of one variant, or the first names
   * @n_alerts: how many new alerts this covers
   *
   * Emitted once for the alerts that appeared since the last emission.
   */
  signals[ALERT_RAISED] =
    g_signal_new ("alert-raised",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
}

static void
omni_alerts_monitor_init (OmniAlertsMonitor *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * omni_alerts_monitor_new:
 * @context: the database and settings to watch
 *
 * Starts watching at once: alerts raised while the app was closed (by the
 * CLI, say) are announced now.
 *
 * Returns: (transfer full): a new monitor
 */
OmniAlertsMonitor *
omni_alerts_monitor_new (OmniContext *context)
{
  OmniAlertsMonitor *self;
  OmniStore *store;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_ALERTS_MONITOR, NULL);
  self->context = g_object_ref (context);
  store = omni_context_get_store (context);
  self->worker = omni_inventory_worker_new (omni_store_get_path (store));

  g_signal_connect_object (context, "store-changed", G_CALLBACK (omni_alerts_monitor_check),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (omni_context_get_settings (context), "changed::notify-low-stock",
                           G_CALLBACK (omni_alerts_monitor_check), self, G_CONNECT_SWAPPED);
  omni_alerts_monitor_check (self);

  return self;
}

/**
 * omni_alerts_monitor_check:
 *
 * Looks for new alerts now. The store-changed signal calls it; so may
 * anything that knows the database changed behind the context's back.
 */
void
omni_alerts_monitor_check (OmniAlertsMonitor *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OMNI_IS_ALERTS_MONITOR (self));

  if (!g_settings_get_boolean (omni_context_get_settings (self->context), "notify-low-stock"))
    return;
  if (self->busy)
    {
      self->stale = TRUE;
      return;
    }

  self->busy = TRUE;
  self->stale = FALSE;
  task = g_task_new (NULL, self->cancellable, take_new_alerts_cb, self);
  g_task_set_source_tag (task, omni_alerts_monitor_check);
  omni_inventory_worker_run (self->worker, task, take_new_alerts_job);
}

/**
 * omni_alerts_monitor_get_busy:
 *
 * Returns: whether a check is running
 */
gboolean
omni_alerts_monitor_get_busy (OmniAlertsMonitor *self)
{
  g_return_val_if_fail (OMNI_IS_ALERTS_MONITOR (self), FALSE);

  return self->busy;
}

/**
 * omni_alerts_monitor_build_notification:
 *
 * Returns: (transfer full): the desktop notification for an ::alert-raised
 *   emission; activating it brings the application's window forward
 */
GNotification *
omni_alerts_monitor_build_notification (const char *title,
                                        const char *body)
{
  GNotification *notification;

  g_return_val_if_fail (title != NULL, NULL);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);

  return notification;
}

/* Sending ------------------------------------------------------------------ */

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"

typedef struct
{
  GApplication  *application;
  GNotification *notification;
} Sending;

static void
sending_free (Sending *sending)
{
  g_object_unref (sending->application);
  g_object_unref (sending->notification);
  g_free (sending);
}

static void
send_now (Sending *sending)
{
  g_application_send_notification (sending->application, "low-stock", sending->notification);
  sending_free (sending);
}

static void
activatable_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply != NULL)
    {
      g_variant_get (reply, "(^a&s)", &names);
      if (g_strv_contains (names, NOTIFICATIONS_NAME))
        {
          send_now (sending);
          return;
        }
    }
  g_debug ("No notification server on the session bus: low-stock notification not sent");
  sending_free (sending);
}

static void
has_owner_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  if (owned)
    {
      send_now (sending);
      return;
    }

  g_dbus_connection_call (G_DBUS_CONNECTION (source), "org.freedesktop.DBus",
                          "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "ListActivatableNames", NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, activatable_cb, sending);
}

/**
 * omni_alerts_monitor_send_notification:
 * @application: the running application
 * @title: as ::alert-raised gives it
 * @body: (nullable): as ::alert-raised gives it
 *
 * Sends the low-stock notification (replacing the previous one). In a
 * sandbox the portal delivers it; otherwise it goes out only when the
 * session has a notification server, so a session without one (a kiosk, a
 * test run) gets no warning for each alert.
 */
void
omni_alerts_monitor_send_notification (GApplication *application,
                                       const char   *title,
                                       const char   *body)
{
  GDBusConnection *bus;
  Sending *sending;

  g_return_if_fail (G_IS_APPLICATION (application));
  g_return_if_fail (title != NULL);

  bus = g_application_get_dbus_connection (application);
  if (bus == NULL)
    return;

  sending = g_new0 (Sending, 1);
  sending->application = g_object_ref (application);
  sending->notification = omni_alerts_monitor_build_notification (title, body);

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      send_now (sending);
      return;
    }

  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          g_variant_new ("(s)", NOTIFICATIONS_NAME), G_VARIANT_TYPE ("(b)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, has_owner_cb, sending);
}
