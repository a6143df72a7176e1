/* omni-notifier.c: one desktop notification per problem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sync problems (a channel that refused its credentials, errors that keep
 * coming back, conflicts that need a decision) each raise one
 * GNotification under an id that names the problem. Raising it again while
 * it is up sends nothing, so a failure repeated every sync interval is not
 * a stream of notifications; once the problem is resolved the notification
 * is withdrawn, and a later recurrence raises it anew. Everything goes
 * through two functions that tests can replace, since a test cannot see
 * the desktop's notifications.
 */
#define G_LOG_DOMAIN "omni-notifier"

#include "config.h"

#include "omni-notifier.h"

static GHashTable *raised;       /* id → TRUE, main thread only */
static OmniNotifierSendFunc send_func;
static OmniNotifierWithdrawFunc withdraw_func;
static gpointer hook_data;

static GHashTable *
get_raised (void)
{
  if (raised == NULL)
    raised = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return raised;
}

/**
 * omni_notifier_set_hooks:
 * @send: (nullable): replaces g_application_send_notification()
 * @withdraw: (nullable): replaces g_application_withdraw_notification()
 *
 * For tests: observe what would reach the desktop. %NULL restores the
 * default application's functions and forgets what was raised.
 */
void
omni_notifier_set_hooks (OmniNotifierSendFunc      send,
                         OmniNotifierWithdrawFunc  withdraw,
                         gpointer                  user_data)
{
  send_func = send;
  withdraw_func = withdraw;
  hook_data = user_data;
  if (send == NULL && raised != NULL)
    g_hash_table_remove_all (raised);
}

/**
 * omni_notifier_raise:
 * @id: what the problem is, e.g. "channel-auth-3"
 * @body: the full message
 *
 * Sends a notification for @id unless one is already up.
 *
 * Returns: %TRUE when a notification was sent
 */
gboolean
omni_notifier_raise (const char *id,
                     const char *title,
                     const char *body)
{
  g_autoptr(GNotification) notification = NULL;
  GApplication *app;

  g_return_val_if_fail (id != NULL && title != NULL, FALSE);

  if (g_hash_table_contains (get_raised (), id))
    return FALSE;
  g_hash_table_add (get_raised (), g_strdup (id));

  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "channels");

  if (send_func != NULL)
    send_func (id, notification, hook_data);
  else if ((app = g_application_get_default ()) != NULL && g_application_get_is_registered (app))
    g_application_send_notification (app, id, notification);
  return TRUE;
}

/**
 * omni_notifier_withdraw:
 *
 * The problem is resolved: takes its notification down, if it is up.
 *
 * Returns: %TRUE when one was withdrawn
 */
gboolean
omni_notifier_withdraw (const char *id)
{
  GApplication *app;

  g_return_val_if_fail (id != NULL, FALSE);

  if (!g_hash_table_remove (get_raised (), id))
    return FALSE;
  if (withdraw_func != NULL)
    withdraw_func (id, hook_data);
  else if ((app = g_application_get_default ()) != NULL && g_application_get_is_registered (app))
    g_application_withdraw_notification (app, id);
  return TRUE;
}

gboolean
omni_notifier_is_raised (const char *id)
{
  return id != NULL && g_hash_table_contains (get_raised (), id);
}
