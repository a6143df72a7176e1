/* test-gui-util.h: waiting in window tests
 *
 * wait_for (COND) turns the main loop until COND holds and fails the test,
 * naming COND, after WAIT_SECONDS (30 unless the test defines it before
 * including this). A 10 ms ticker keeps the loop turning for conditions
 * that no event announces (a worker's result, a store written by another
 * process).
 *
 * shows_label (WIDGET, TEXT) says whether a label under WIDGET reads
 * exactly TEXT (mapped or not).
 *
 * save_shot (NAME) saves the whole screen (the tests run under Xvfb) as
 * $OMNI_SCREENSHOT_DIR/NAME, once the last changes are drawn; without that
 * variable it does nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

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

static inline gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

static inline void
save_shot (const char *name)
{
  const char *dir = g_getenv ("OMNI_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "import", "-window", "root", NULL, NULL };
  int wait_status = 0;

  if (dir == NULL)
    return;
  /* Let the last changes lay out and draw. */
  for (guint i = 0; i < 50; i++)
    {
      g_usleep (10 * 1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  path = g_build_filename (dir, name, NULL);
  argv[3] = path;
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &wait_status, &error) ||
      !g_spawn_check_wait_status (wait_status, &error))
    g_test_message ("No screenshot %s: %s", path, error->message);
  else
    g_test_message ("Saved %s", path);
}
