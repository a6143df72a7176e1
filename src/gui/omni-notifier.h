/* omni-notifier.h: one desktop notification per problem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef void (*OmniNotifierSendFunc)     (const char    *id,
                                          GNotification *notification,
                                          gpointer       user_data);
typedef void (*OmniNotifierWithdrawFunc) (const char    *id,
                                          gpointer       user_data);

gboolean omni_notifier_raise     (const char               *id,
                                  const char               *title,
                                  const char               *body);
gboolean omni_notifier_withdraw  (const char               *id);
gboolean omni_notifier_is_raised (const char               *id);
void     omni_notifier_set_hooks (OmniNotifierSendFunc      send,
                                  OmniNotifierWithdrawFunc  withdraw,
                                  gpointer                  user_data);

G_END_DECLS
