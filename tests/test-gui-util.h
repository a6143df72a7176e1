/* test-gui-util.h: waiting in window tests
 *
 * wait_for (COND) turns the main loop until COND holds and fails the test,
 * naming COND, after WAIT_SECONDS (30 unless the test defines it before
 * including this). A 10 ms ticker keeps the loop turning for conditions
 * that no event announces (a worker's result, a store written by another
 * process).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#ifndef WAIT_SECONDS
#define WAIT_SECONDS 30
#endif

static inline gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define wait_for(cond)                                                      \
  G_STMT_START {                                                            \
    gint64 wait_deadline_ = g_get_monotonic_time () +                       \
                            WAIT_SECONDS * G_USEC_PER_SEC;                  \
    guint wait_ticker_ = g_timeout_add (10, tick_cb, NULL);                 \
    while (!(cond))                                                         \
      {                                                                     \
        if (g_get_monotonic_time () > wait_deadline_)                       \
          g_error ("Timed out waiting for %s", #cond);                      \
        g_main_context_iteration (NULL, TRUE);                              \
      }                                                                     \
    g_source_remove (wait_ticker_);                                         \
  } G_STMT_END
