/* omni-store-inventory.h: adjustments, transfers, undo, levels, history, alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniAdjustMode:
 * @OMNI_ADJUST_DELTA: each line's quantity is added to on hand
 * @OMNI_ADJUST_SET: each line's quantity becomes the new on hand
 */
typedef enum
{
  OMNI_ADJUST_DELTA,
  OMNI_ADJUST_SET,
} OmniAdjustMode;

/**
 * OmniAdjustLine:
 * @variant_id: the variant
 * @location_id: where; 0 means the default location
 * @quantity: the delta, or the new on-hand count for %OMNI_ADJUST_SET
 */
typedef struct
{
  gint64 variant_id;
  gint64 location_id;
  gint64 quantity;
} OmniAdjustLine;

/**
 * OmniAdjustOptions:
 * @mode: delta or set-to
 * @reason: an OMNI_REASON_* name; %NULL means "correction"
 * @source: what made the change ("app", "cli", "import", …); %NULL means "app"
 * @operation: the operation id to record; %NULL generates one
 * @time_us: when it happened (microseconds since the epoch, UTC); 0 means now
 *   (a till replaying sales it made offline gives their own time)
 */
typedef struct
{
  OmniAdjustMode  mode;
  const char     *reason;
  const char     *note;
  const char     *reference;
  const char     *actor;
  const char     *source;
  const char     *operation;
  gint64          time_us;
} OmniAdjustOptions;

typedef struct
{
  gint64  location_id;
  char   *location;
  gboolean is_default;
  gint64  on_hand;
  gint64  committed;
  gint64  available;
  gint64  variant_id;          /* set by omni_store_list_levels() */
} OmniLevel;

typedef struct
{
  gint64    id;
  char     *name;
  gboolean  is_default;
  gboolean  archived;
} OmniLocation;

typedef struct
{
  gint64  id;                  /* ledger position */
  gint64  variant_id;
  char   *sku;
  char   *title;               /* product title and option values */
  char   *op_id;
  char   *operation;
  char   *time;                /* UTC ISO 8601 */
  gint64  location_id;
  char   *location;
  gint64  on_hand_delta;
  gint64  committed_delta;
  gint64  balance;             /* on hand at that location after this movement */
  char   *reason;
  char   *source;
  char   *reference;
  char   *note;
  char   *actor;
} OmniMovement;

/**
 * OmniHistoryFilter:
 * @reason: (nullable): only this reason
 * @location_id: only this location; 0 for all
 * @from: (nullable): UTC ISO 8601 date or time, inclusive
 * @to: (nullable): UTC ISO 8601 date or time, exclusive
 * @limit: at most this many (newest first); 0 for all
 */
typedef struct
{
  const char *reason;
  gint64      location_id;
  const char *from;
  const char *to;
  guint       limit;
} OmniHistoryFilter;

typedef struct
{
  gint64  variant_id;
  char   *sku;
  char   *title;
  gint64  available;
  gint64  reorder_point;
  char   *raised_at;
  gboolean notified;
} OmniStockAlert;

char       *omni_store_adjust               (OmniStore               *self,
                                             const OmniAdjustLine    *lines,
                                             guint                    n_lines,
                                             const OmniAdjustOptions *options,
                                             GError                 **error);
char       *omni_store_transfer             (OmniStore               *self,
                                             gint64                   variant_id,
                                             gint64                   from_location_id,
                                             gint64                   to_location_id,
                                             gint64                   quantity,
                                             const OmniAdjustOptions *options,
                                             GError                 **error);
char       *omni_store_undo                 (OmniStore               *self,
                                             const char              *operation,
                                             const char              *actor,
                                             GError                 **error);
gboolean    omni_store_get_allow_negative   (OmniStore               *self);

GPtrArray  *omni_store_get_levels           (OmniStore               *self,
                                             gint64                   variant_id,
                                             GError                 **error);
GPtrArray  *omni_store_get_history          (OmniStore               *self,
                                             gint64                   variant_id,
                                             const OmniHistoryFilter *filter,
                                             GError                 **error);
GPtrArray  *omni_store_list_alerts          (OmniStore               *self,
                                             gboolean                 only_new,
                                             GError                 **error);
gboolean    omni_store_mark_alert_notified  (OmniStore               *self,
                                             gint64                   variant_id,
                                             GError                 **error);

GPtrArray  *omni_store_list_levels          (OmniStore               *self,
                                             const gint64            *variant_ids,
                                             guint                    n_variants,
                                             gint64                   location_id,
                                             GError                 **error);
GPtrArray  *omni_store_list_locations       (OmniStore               *self,
                                             gboolean                 include_archived,
                                             GError                 **error);
gboolean    omni_store_rename_location      (OmniStore               *self,
                                             gint64                   location_id,
                                             const char              *name,
                                             GError                 **error);
gboolean    omni_store_set_default_location (OmniStore               *self,
                                             gint64                   location_id,
                                             GError                 **error);
gboolean    omni_store_set_location_archived (OmniStore              *self,
                                             gint64                   location_id,
                                             gboolean                 archived,
                                             GError                 **error);

void        omni_level_free                 (OmniLevel               *level);
void        omni_movement_free              (OmniMovement            *movement);
void        omni_stock_alert_free           (OmniStockAlert          *alert);
void        omni_location_free              (OmniLocation            *location);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniLevel, omni_level_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniMovement, omni_movement_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniStockAlert, omni_stock_alert_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniLocation, omni_location_free)

G_END_DECLS
