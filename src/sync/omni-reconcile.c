/* omni-reconcile.c: the full comparison of a channel's quantities
 *
 * Webhooks may arrive late or never, so once a day (and whenever asked) a
 * channel's levels are pulled in full and compared with what OmniStock
 * expects. The pull refreshes `channel_levels`; the comparison itself is
 * omni_store_list_drift(). The time of the last comparison is the channel's
 * `reconcile` sync cursor, and each run leaves a `reconcile` line in the
 * sync log. Blocking: call it on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include "omni-reconcile.h"

/**
 * omni_reconcile_run:
 * @store: the store to compare in (the connector writes through its own)
 * @connector: the channel's connector
 * @now_us: the wall-clock time, in microseconds since the epoch
 * @n_drifts: (out) (optional): how many variants differ
 *
 * Pulls the channel in full, then counts the variants whose channel
 * quantity differs from what OmniStock expects. A failed pull is logged and
 * leaves the `reconcile` cursor where it was.
 */
gboolean
omni_reconcile_run (OmniStore      *store,
                    OmniConnector  *connector,
                    gint64          channel_id,
                    gint64          now_us,
                    GCancellable   *cancellable,
                    guint          *n_drifts,
                    GError        **error)
{
  g_autoptr(GPtrArray) drifts = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 duration_ms;

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (OMNI_IS_CONNECTOR (connector), FALSE);

  if (n_drifts)
    *n_drifts = 0;
  if (omni_connector_pull (connector, cancellable, &local_error))
    drifts = omni_store_list_drift (store, channel_id, G_MAXINT, &local_error);
  duration_ms = (g_get_monotonic_time () - started) / 1000;

  if (drifts == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        omni_store_record_reconcile (store, channel_id, now_us, 0, duration_ms,
                                     local_error->message, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!omni_store_record_reconcile (store, channel_id, now_us, drifts->len, duration_ms, NULL,
                                    error))
    return FALSE;
  if (n_drifts)
    *n_drifts = drifts->len;
  return TRUE;
}

/**
 * omni_reconcile_if_due:
 * @ran: (out) (optional): whether the comparison ran
 *
 * Runs omni_reconcile_run() when the channel's last full comparison is a
 * day old or never happened (omni_store_reconcile_is_due()); otherwise
 * does nothing and succeeds.
 */
gboolean
omni_reconcile_if_due (OmniStore      *store,
                       OmniConnector  *connector,
                       gint64          channel_id,
                       gint64          now_us,
                       GCancellable   *cancellable,
                       gboolean       *ran,
                       guint          *n_drifts,
                       GError        **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);

  if (ran)
    *ran = FALSE;
  if (n_drifts)
    *n_drifts = 0;
  if (!omni_store_reconcile_is_due (store, channel_id, now_us))
    return TRUE;
  if (ran)
    *ran = TRUE;
  return omni_reconcile_run (store, connector, channel_id, now_us, cancellable, n_drifts, error);
}
