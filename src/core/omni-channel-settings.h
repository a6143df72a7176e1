/* omni-channel-settings.h: per-channel sync settings and allocation rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniSyncDirection:
 * @OMNI_SYNC_BOTH: pull products, levels and orders, and push quantities
 * @OMNI_SYNC_PULL: only pull; local changes wait in the outbox
 * @OMNI_SYNC_PUSH: only push quantities; the platform is never read
 */
typedef enum
{
  OMNI_SYNC_BOTH,
  OMNI_SYNC_PULL,
  OMNI_SYNC_PUSH,
} OmniSyncDirection;

#define OMNI_CHANNEL_MAX_BUFFER     1000000
#define OMNI_CHANNEL_MAX_LISTED     1000000000
#define OMNI_CHANNEL_MAX_FLOOR      1000000
#define OMNI_CHANNEL_MAX_INTERVAL   1440
#define OMNI_CHANNEL_MAX_LOCATIONS  64

/**
 * OmniChannelSettings:
 * @direction: which way the channel syncs
 * @buffer: units held back: publish available − @buffer
 * @max_listed: never list more than this; -1: no cap
 * @percent: publish this share (0–100) of what the buffer leaves, rounded down
 * @floor: when the available stock is below it, the channel shows 0
 * @locations: (element-type gint64): the local locations whose available
 *   stock is summed for a channel with one remote location (Amazon, eBay);
 *   empty: the location mapped to it. Shopify publishes each mapped
 *   location on its own and refuses a list.
 * @interval: minutes between scheduled syncs; 0: the application default
 * @paused: nothing is pulled or pushed; local changes wait in the outbox
 *
 * Kept in the channel's settings JSON under "sync"; a key left out takes
 * its default (both ways, no buffer, no cap, 100 %, no floor, the mapped
 * location, the default interval, not paused).
 */
typedef struct
{
  OmniSyncDirection  direction;
  gint64             buffer;
  gint64             max_listed;
  int                percent;
  gint64             floor;
  GArray            *locations;
  int                interval;
  gboolean           paused;
} OmniChannelSettings;

/**
 * OmniChannelPreviewRow:
 *
 * What a channel will list for one linked variant at one remote location.
 */
typedef struct
{
  gint64  variant_id;
  char   *sku;
  char   *title;
  char   *remote_location;
  gint64  available;      /* the local available stock that feeds it */
  gint64  listed;         /* what the channel will show */
} OmniChannelPreviewRow;

void         omni_channel_settings_init        (OmniChannelSettings       *settings);
void         omni_channel_settings_clear       (OmniChannelSettings       *settings);
void         omni_channel_settings_copy        (OmniChannelSettings       *dest,
                                                const OmniChannelSettings *src);
gboolean     omni_channel_settings_equal_rules (const OmniChannelSettings *a,
                                                const OmniChannelSettings *b);
gboolean     omni_channel_settings_validate    (const OmniChannelSettings *settings,
                                                GError                   **error);
char        *omni_channel_settings_to_json     (const OmniChannelSettings *settings);
gboolean     omni_channel_settings_pulls       (const OmniChannelSettings *settings);
gboolean     omni_channel_settings_pushes      (const OmniChannelSettings *settings);
gboolean     omni_channel_settings_is_due      (const OmniChannelSettings *settings,
                                                const char                *last_sync_at,
                                                gint64                     now_us,
                                                int                        default_interval);

const char  *omni_sync_direction_to_string     (OmniSyncDirection          direction);
gboolean     omni_sync_direction_from_string   (const char                *text,
                                                OmniSyncDirection         *direction);

gint64       omni_channel_publish_quantity     (const gint64              *available,
                                                gsize                      n_available,
                                                const OmniChannelSettings *settings);

gboolean     omni_store_parse_channel_settings (OmniStore                 *self,
                                                const char                *channel_settings_json,
                                                OmniChannelSettings       *settings,
                                                GError                   **error);
gboolean     omni_store_load_channel_settings  (OmniStore                 *self,
                                                gint64                     channel_id,
                                                OmniChannelSettings       *settings,
                                                GError                   **error);
gboolean     omni_store_save_channel_settings  (OmniStore                 *self,
                                                gint64                     channel_id,
                                                const OmniChannelSettings *settings,
                                                gint64                    *queued,
                                                GError                   **error);
gint64       _omni_store_channel_quantity      (OmniStore                 *self,
                                                const OmniChannelSettings *settings,
                                                gboolean                   one_location,
                                                gint64                     variant_id,
                                                gint64                     location_id,
                                                gint64                     link_buffer);
GPtrArray   *omni_store_channel_preview        (OmniStore                 *self,
                                                gint64                     channel_id,
                                                const OmniChannelSettings *settings,
                                                guint                      limit,
                                                GError                   **error);
void         omni_channel_preview_row_free     (OmniChannelPreviewRow     *row);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OmniChannelSettings, omni_channel_settings_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniChannelPreviewRow, omni_channel_preview_row_free)

G_END_DECLS
