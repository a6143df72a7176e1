/* omni-inventory-batch.h: one change to many variants, one Undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

typedef enum
{
  OMNI_BATCH_ADJUST,           /* add quantity at a location */
  OMNI_BATCH_SET,              /* set on hand to quantity at a location */
  OMNI_BATCH_REORDER_POINT,    /* set the reorder point to quantity */
  OMNI_BATCH_TRANSFER,         /* move quantity of each from one location to another */
  OMNI_BATCH_ARCHIVE,          /* archive the variants */
} OmniBatchKind;

/**
 * OmniBatchSpec:
 * @kind: what to do
 * @variant_ids: (element-type gint64): the variants
 * @quantity: the delta, count, reorder point or units per variant to move
 * @location_id: where (from, for a transfer); 0 for the default location
 * @to_location_id: where a transfer goes
 * @reason: (nullable): an OMNI_REASON_* name for adjust and set
 * @note: (nullable): recorded with the movements
 * @actor: (nullable): who; %NULL for the context's actor
 */
typedef struct
{
  OmniBatchKind  kind;
  GArray        *variant_ids;
  gint64         quantity;
  gint64         location_id;
  gint64         to_location_id;
  char          *reason;
  char          *note;
  char          *actor;
} OmniBatchSpec;

OmniBatchSpec *omni_batch_spec_new            (OmniBatchKind        kind,
                                               const gint64        *variant_ids,
                                               guint                n_variants);
void           omni_batch_spec_free           (OmniBatchSpec       *spec);

void           omni_inventory_batch_run_async (OmniContext         *context,
                                               const OmniBatchSpec *spec,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
AdwToast      *omni_inventory_batch_run_finish (GAsyncResult       *result,
                                               GError             **error);

AdwMessageDialog *omni_inventory_batch_prompt (GtkWidget           *parent,
                                               OmniContext         *context,
                                               OmniBatchKind        kind,
                                               const gint64        *variant_ids,
                                               guint                n_variants,
                                               gint64               location_id);
void           omni_inventory_batch_prompt_set_quantity (AdwMessageDialog *dialog,
                                                         gint64            quantity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniBatchSpec, omni_batch_spec_free)

G_END_DECLS
