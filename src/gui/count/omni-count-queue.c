/* omni-count-queue.c: every write of a count, in order, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scanner types a code and Enter every few hundred milliseconds, and each
 * scan is a durable write (an fsync). The page hands each write to this
 * queue and goes straight back to the entry; the queue runs the writes in a
 * worker thread one after the other, in the order they came, and reports
 * each one back on the main thread ("done"). Whatever arrives while a batch
 * runs waits for the next batch, so nothing is lost or reordered however
 * fast the codes come.
 *
 * The queue keeps one connection of its own, opened by the first batch and
 * used by one thread at a time (a batch starts only after the previous one
 * reported back). Starting, committing, cancelling, undoing and exporting go
 * through the same queue, so a commit sees every scan made before it.
 *
 * While writes are pending the queue holds the application, so closing the
 * last window does not end the process before they are on disk.
 */
#define G_LOG_DOMAIN "omni-count-queue"

#include "config.h"

#include "omni-count-queue.h"
#include "omni-count-worker.h"
#include "omni-store-inventory.h"

/* Enough to drain a scanner burst in one trip to the thread. */
#define BATCH_MAX 64

struct _OmniCountQueue
{
  GObject       parent_instance;

  char         *path;
  /* Only the thread of the running batch touches it. */
  OmniStore    *store;
  GQueue        pending;
  GPtrArray    *running;
  GApplication *held;
};

G_DEFINE_FINAL_TYPE (OmniCountQueue, omni_count_queue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * omni_count_op_new:
 * @kind: what to do
 * @session_id: the count; 0 for %OMNI_COUNT_OP_START
 *
 * Returns: (transfer full): a new op; the caller fills in what @kind needs
 */
OmniCountOp *
omni_count_op_new (OmniCountOpKind kind,
                   gint64          session_id)
{
  OmniCountOp *op = g_new0 (OmniCountOp, 1);

  op->kind = kind;
  op->session_id = session_id;
  op->written = -1;

  return op;
}

void
omni_count_op_free (OmniCountOp *op)
{
  if (op == NULL)
    return;

  g_free (op->code);
  g_free (op->scope_kind);
  g_free (op->actor);
  g_clear_object (&op->file);
  g_clear_pointer (&op->line, omni_count_line_free);
  g_free (op->operation);
  g_clear_error (&op->error);
  g_free (op);
}

static void
omni_count_queue_finalize (GObject *object)
{
  OmniCountQueue *self = OMNI_COUNT_QUEUE (object);

  /* A running batch holds a reference: nothing runs now. */
  g_assert (self->running == NULL);
  g_queue_clear_full (&self->pending, (GDestroyNotify) omni_count_op_free);
  g_clear_object (&self->store);
  g_free (self->path);

  G_OBJECT_CLASS (omni_count_queue_parent_class)->finalize (object);
}

static void
omni_count_queue_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OmniCountQueue *self = OMNI_COUNT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, omni_count_queue_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_count_queue_class_init (OmniCountQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_count_queue_finalize;
  object_class->get_property = omni_count_queue_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmniCountQueue::done:
   * @op: (type gpointer): the op, with its outcome; valid during the emission
   *
   * An op ran. Ops report in the order they were pushed.
   */
  signals[DONE] = g_signal_new ("done",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
omni_count_queue_init (OmniCountQueue *self)
{
  g_queue_init (&self->pending);
}

/**
 * omni_count_queue_new:
 * @path: the database file
 *
 * Returns: (transfer full): a new queue
 */
OmniCountQueue *
omni_count_queue_new (const char *path)
{
  OmniCountQueue *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (OMNI_TYPE_COUNT_QUEUE, NULL);
  self->path = g_strdup (path);

  return self;
}

/* In the worker thread. */
static void
run_op (OmniStore   *store,
        OmniCountOp *op)
{
  switch (op->kind)
    {
    case OMNI_COUNT_OP_START:
      op->session_id = omni_store_count_start (store, op->quantity, op->scope_kind, op->code,
                                               op->actor, &op->error);
      break;

    case OMNI_COUNT_OP_SCAN:
      op->line = omni_store_count_scan (store, op->session_id, op->code, op->quantity,
                                        &op->error);
      break;

    case OMNI_COUNT_OP_SET:
      if (omni_store_count_set_line (store, op->session_id, op->variant_id, op->quantity,
                                     &op->error))
        op->line = omni_store_count_get_line (store, op->session_id, op->variant_id,
                                              &op->error);
      break;

    case OMNI_COUNT_OP_REMOVE:
      omni_store_count_remove_line (store, op->session_id, op->variant_id, &op->error);
      break;

    case OMNI_COUNT_OP_LINK:
      if (omni_store_count_link_code (store, op->session_id, op->code, op->variant_id,
                                      &op->error))
        op->line = omni_store_count_get_line (store, op->session_id, op->variant_id,
                                              &op->error);
      break;

    case OMNI_COUNT_OP_COMMIT:
      op->operation = omni_store_count_commit (store, op->session_id, op->actor, &op->error);
      break;

    case OMNI_COUNT_OP_CANCEL:
      omni_store_count_cancel (store, op->session_id, &op->error);
      break;

    case OMNI_COUNT_OP_UNDO:
      op->operation = omni_store_undo (store, op->code, op->actor, &op->error);
      break;

    case OMNI_COUNT_OP_EXPORT:
      op->written = omni_count_write_sheet (store, op->session_id, op->file, NULL, &op->error);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
batch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  OmniCountQueue *self = OMNI_COUNT_QUEUE (source_object);
  GPtrArray *batch = task_data;
  GError *error = NULL;

  if (self->store == NULL)
    self->store = omni_store_open (self->path, &error);

  for (guint i = 0; i < batch->len; i++)
    {
      OmniCountOp *op = g_ptr_array_index (batch, i);

      if (self->store == NULL)
        op->error = g_error_copy (error);
      else
        run_op (self->store, op);
    }

  g_clear_error (&error);
  g_task_return_boolean (task, TRUE);
}

static void run_next (OmniCountQueue *self);

static void
set_held (OmniCountQueue *self,
          gboolean        held)
{
  if (held && self->held == NULL)
    {
      GApplication *application = g_application_get_default ();

      if (application != NULL)
        {
          self->held = g_object_ref (application);
          g_application_hold (self->held);
        }
    }
  else if (!held && self->held != NULL)
    {
      g_application_release (self->held);
      g_clear_object (&self->held);
    }
}

static void
batch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  OmniCountQueue *self = OMNI_COUNT_QUEUE (object);
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->running);

  g_task_propagate_boolean (G_TASK (result), NULL);

  for (guint i = 0; i < batch->len; i++)
    g_signal_emit (self, signals[DONE], 0, g_ptr_array_index (batch, i));

  if (g_queue_is_empty (&self->pending))
    {
      set_held (self, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  run_next (self);
}

static void
run_next (OmniCountQueue *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->running != NULL || g_queue_is_empty (&self->pending))
    return;

  self->running = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_count_op_free);
  while (self->running->len < BATCH_MAX && !g_queue_is_empty (&self->pending))
    g_ptr_array_add (self->running, g_queue_pop_head (&self->pending));

  /* The task holds the queue (its source object) until the batch reports. */
  task = g_task_new (self, NULL, batch_done_cb, NULL);
  g_task_set_source_tag (task, run_next);
  g_task_set_task_data (task, g_ptr_array_ref (self->running), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, batch_thread);
}

/**
 * omni_count_queue_push:
 * @op: (transfer full): the write
 *
 * Runs @op after every op pushed before it; "done" reports it.
 */
void
omni_count_queue_push (OmniCountQueue *self,
                       OmniCountOp    *op)
{
  gboolean was_busy;

  g_return_if_fail (OMNI_IS_COUNT_QUEUE (self));
  g_return_if_fail (op != NULL);

  was_busy = omni_count_queue_get_busy (self);
  g_queue_push_tail (&self->pending, op);
  set_held (self, TRUE);
  run_next (self);

  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * omni_count_queue_get_busy:
 *
 * Returns: whether writes are waiting or running
 */
gboolean
omni_count_queue_get_busy (OmniCountQueue *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_QUEUE (self), FALSE);

  return self->running != NULL || !g_queue_is_empty (&self->pending);
}

/**
 * omni_count_queue_get_pending:
 *
 * Returns: how many writes have not reported back yet
 */
guint
omni_count_queue_get_pending (OmniCountQueue *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_QUEUE (self), 0);

  return g_queue_get_length (&self->pending) + (self->running != NULL ? self->running->len : 0);
}
