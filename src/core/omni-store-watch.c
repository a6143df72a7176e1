/* omni-store-watch.c: hearing about changes other programs make to the store
 *
 * Another till, a laptop in the stock room or omnistock-cli may change the
 * stock while a window shows it. The watch owns a connection of its own and
 * emits ::changed, on the thread whose main context created it, soon after
 * any other connection commits a change:
 *
 * The schema's statement triggers send NOTIFY on OMNI_STORE_WATCH_CHANNEL;
 * PostgreSQL delivers it when the writer commits (never for a rollback).
 * The watch LISTENs and wakes on its socket, so a change is heard within
 * milliseconds and an idle store costs nothing; a lost server is retried
 * every few seconds on a worker thread, and a change is assumed once it is
 * back.
 *
 * The signal carries no detail: views re-read only the rows they show,
 * never the whole catalog.
 *
 * A SQLite store lives on one computer, where the program that writes also
 * tells its views (OmniContext::store-changed); it has no watch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <glib-unix.h>

#include "omni-db-pg.h"
#include "omni-store-private.h"
#include "omni-store-watch.h"

#define PG_RECONNECT_S 5

struct _OmniStoreWatch
{
  GObject    parent_instance;

  OmniStore *store;
  guint      source_id;
};

G_DEFINE_FINAL_TYPE (OmniStoreWatch, omni_store_watch, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Waits on the connection's socket; LISTEN has been sent. */
static gboolean watch_socket (OmniStoreWatch *self, GError **error);

static void
omni_store_watch_dispose (GObject *object)
{
  OmniStoreWatch *self = OMNI_STORE_WATCH (object);

  g_clear_handle_id (&self->source_id, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (omni_store_watch_parent_class)->dispose (object);
}

static void
omni_store_watch_class_init (OmniStoreWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = omni_store_watch_dispose;

  /**
   * OmniStoreWatch::changed:
   *
   * Another connection committed a change to the store.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
omni_store_watch_init (OmniStoreWatch *self)
{
}

static OmniDbPg *
watch_pg (OmniStoreWatch *self)
{
  return _omni_store_get_db (self->store)->pg;
}

/* Reconnecting is network I/O (up to libpq's connect timeout against a host
 * that does not answer): it runs on a worker, never in the main context the
 * watch serves. The task holds the watch until it is done. */
static void
reconnect_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  OmniStoreWatch *self = source_object;
  GError *error = NULL;

  if (!_omni_db_pg_reconnect (watch_pg (self), &error) ||
      !_omni_db_pg_listen (watch_pg (self), OMNI_STORE_WATCH_CHANNEL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean reconnect_postgresql (gpointer data);

static void
reconnected (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OmniStoreWatch *self = OMNI_STORE_WATCH (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || !watch_socket (self, &error))
    {
      g_debug ("Store watch: still no server (%s); trying again in %d s",
               error->message, PG_RECONNECT_S);
      self->source_id = g_timeout_add_seconds (PG_RECONNECT_S, reconnect_postgresql, self);
      return;
    }
  /* What changed while the server was away is unknown: say something did. */
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
reconnect_postgresql (gpointer data)
{
  OmniStoreWatch *self = data;
  g_autoptr(GTask) task = g_task_new (self, NULL, reconnected, NULL);

  self->source_id = 0;
  g_task_set_source_tag (task, reconnect_postgresql);
  g_task_run_in_thread (task, reconnect_thread);
  return G_SOURCE_REMOVE;
}

static gboolean
on_pg_readable (int          fd,
                GIOCondition condition,
                gpointer     data)
{
  OmniStoreWatch *self = data;
  g_autoptr(GPtrArray) payloads = _omni_db_pg_take_notifications (watch_pg (self));

  if (payloads->len > 0)
    g_signal_emit (self, signals[CHANGED], 0);

  if ((condition & (G_IO_HUP | G_IO_ERR)) != 0 || !_omni_db_pg_is_connected (watch_pg (self)))
    {
      g_debug ("Store watch: the server connection was lost; reconnecting");
      self->source_id = g_timeout_add_seconds (PG_RECONNECT_S, reconnect_postgresql, self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
watch_socket (OmniStoreWatch  *self,
                   GError         **error)
{
  int fd;

  fd = _omni_db_pg_get_socket (watch_pg (self));
  if (fd < 0)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                           "The database connection has no socket to wait on");
      return FALSE;
    }
  self->source_id = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_pg_readable, self);
  return TRUE;
}

/**
 * omni_store_watch_new:
 * @location: the store's `postgresql://` URI (omni_store_get_path())
 *
 * Starts watching in the thread-default main context.
 *
 * Returns: (transfer full): the watch, or %NULL with @error set (a SQLite
 *   store is %OMNI_STORE_ERROR_INVALID)
 */
OmniStoreWatch *
omni_store_watch_new (const char  *location,
                      GError     **error)
{
  g_autoptr(OmniStoreWatch) self = NULL;

  g_return_val_if_fail (location != NULL, NULL);

  if (!omni_store_location_is_shared (location))
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is a file on this computer; only a PostgreSQL store is watched",
                   location);
      return NULL;
    }

  self = g_object_new (OMNI_TYPE_STORE_WATCH, NULL);
  self->store = omni_store_open (location, error);
  if (self->store == NULL ||
      !_omni_db_pg_listen (watch_pg (self), OMNI_STORE_WATCH_CHANNEL, error) ||
      !watch_socket (self, error))
    return NULL;
  return g_steal_pointer (&self);
}
