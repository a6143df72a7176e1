/* omni-count-queue.h: every write of a count, in order, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store-count.h"

G_BEGIN_DECLS

typedef enum
{
  OMNI_COUNT_OP_START,
  OMNI_COUNT_OP_SCAN,
  OMNI_COUNT_OP_SET,
  OMNI_COUNT_OP_REMOVE,
  OMNI_COUNT_OP_LINK,
  OMNI_COUNT_OP_COMMIT,
  OMNI_COUNT_OP_CANCEL,
  OMNI_COUNT_OP_UNDO,
  OMNI_COUNT_OP_EXPORT,
} OmniCountOpKind;

/**
 * OmniCountOp:
 * @kind: what to do
 * @session_id: the count (for %OMNI_COUNT_OP_START: the new count, once done)
 * @code: the scanned or linked code; for %OMNI_COUNT_OP_START the scope
 *   value; for %OMNI_COUNT_OP_UNDO the operation to undo
 * @quantity: a scan's quantity, or the counted quantity a line is set to;
 *   for %OMNI_COUNT_OP_START the location (0: the default one)
 * @variant_id: the line's variant (set, remove, link)
 * @scope_kind: for %OMNI_COUNT_OP_START: "all", "vendor", "type" or "tag"
 * @actor: who does it (start, commit, undo)
 * @file: where %OMNI_COUNT_OP_EXPORT writes
 * @line: (nullable): once done, the line the op changed, as the store holds it
 * @operation: once done, the commit's or the undo's operation id
 * @written: once done, the lines an export wrote
 * @error: (nullable): once done, why the op failed
 *
 * One write, and once it ran, what came of it.
 */
typedef struct
{
  OmniCountOpKind  kind;
  gint64           session_id;
  char            *code;
  gint64           quantity;
  gint64           variant_id;
  char            *scope_kind;
  char            *actor;
  GFile           *file;

  OmniCountLine   *line;
  char            *operation;
  gssize           written;
  GError          *error;
} OmniCountOp;

OmniCountOp *omni_count_op_new  (OmniCountOpKind  kind,
                                 gint64           session_id);
void         omni_count_op_free (OmniCountOp     *op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCountOp, omni_count_op_free)

#define OMNI_TYPE_COUNT_QUEUE (omni_count_queue_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountQueue, omni_count_queue, OMNI, COUNT_QUEUE, GObject)

OmniCountQueue *omni_count_queue_new         (const char     *path);
void            omni_count_queue_push        (OmniCountQueue *self,
                                              OmniCountOp    *op);
gboolean        omni_count_queue_get_busy    (OmniCountQueue *self);
guint           omni_count_queue_get_pending (OmniCountQueue *self);

G_END_DECLS
