/* omni-store-drift.h: reconciliation of local and channel quantities
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/* A full comparison runs once a day per channel. */
#define OMNI_RECONCILE_INTERVAL_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)
#define OMNI_RECONCILE_CURSOR "reconcile"

/**
 * OmniDrift:
 *
 * A linked variant at a mapped location whose quantity on the channel (as
 * last seen by a pull, a push or a webhook) differs from what OmniStock
 * expects the channel to show: the available stock minus the link's buffer.
 */
typedef struct
{
  gint64  channel_id;
  gint64  variant_id;
  gint64  location_id;
  char   *sku;
  char   *title;
  char   *location_name;
  char   *remote_location_id;
  gint64  available;      /* local available stock at location_id */
  gint64  expected;       /* max (available - buffer, 0) */
  gint64  remote;         /* the channel's quantity last seen */
  char   *remote_seen_at;
  gint64  pending;        /* outbox entries pending or sending */
  gint64  conflicts;      /* outbox entries waiting for a decision */
} OmniDrift;

/**
 * OmniDriftEvent:
 *
 * One line of the explanation of a drift: a local movement since the
 * channel's quantity was last seen ("local"), or what the channel side
 * recorded ("remote": the quantity seen, a push in the outbox).
 */
typedef struct
{
  char   *at;
  char   *side;           /* "local" or "remote" */
  char   *what;           /* movement reason or outbox state */
  gint64  quantity;       /* delta (local) or absolute quantity (remote) */
  char   *detail;
} OmniDriftEvent;

GPtrArray *omni_store_list_drift          (OmniStore    *self,
                                           gint64        channel_id,
                                           guint         limit,
                                           GError      **error);
GPtrArray *omni_store_explain_drift       (OmniStore    *self,
                                           gint64        channel_id,
                                           gint64        variant_id,
                                           gint64        location_id,
                                           guint         limit,
                                           GError      **error);
gint64     omni_store_drift_push_local    (OmniStore    *self,
                                           gint64        channel_id,
                                           gint64        variant_id,
                                           gint64        location_id,
                                           GError      **error);
gboolean   omni_store_drift_accept_remote (OmniStore    *self,
                                           gint64        channel_id,
                                           gint64        variant_id,
                                           gint64        location_id,
                                           const char   *actor,
                                           gint64       *delta,
                                           GError      **error);
char      *omni_store_channel_fresh_at    (OmniStore    *self,
                                           gint64        channel_id);
gboolean   omni_store_reconcile_is_due    (OmniStore    *self,
                                           gint64        channel_id,
                                           gint64        now_us);
gboolean   omni_store_record_reconcile    (OmniStore    *self,
                                           gint64        channel_id,
                                           gint64        now_us,
                                           guint         n_drifts,
                                           gint64        duration_ms,
                                           const char   *failure,
                                           GError      **error);
void       omni_drift_free                (OmniDrift      *drift);
void       omni_drift_event_free          (OmniDriftEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniDrift, omni_drift_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniDriftEvent, omni_drift_event_free)

G_END_DECLS
