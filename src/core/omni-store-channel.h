/* omni-store-channel.h: sales channels, links, the push outbox, cursors and
 * the sync log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniChannel:
 *
 * One connected sales channel. No credentials: those live in the keyring,
 * found by (platform, account).
 */
typedef struct
{
  gint64  id;
  char   *platform;       /* "shopify", "amazon", "ebay" */
  char   *name;           /* what `channel list` shows; unique */
  char   *account;        /* the shop domain or seller id */
  char   *api_url;        /* base URL override, or %NULL */
  char   *settings;       /* JSON object */
  char   *state;          /* "connected", "paused", "error", "auth_failed" */
  char   *last_error;
  char   *last_sync_at;
  char   *created_at;
  gint64  links;
  gint64  pending;        /* outbox entries not yet done */
  /* from the "sync" settings (omni-channel-settings.h) */
  gboolean paused;
  gboolean pulls;         /* direction is pull or both */
  gboolean pushes;        /* direction is push or both */
  int      interval;      /* minutes; 0: the application default */
} OmniChannel;

/**
 * OmniChannelLocation:
 *
 * A remote location and the local one it maps to (0 and %NULL: unmapped).
 */
typedef struct
{
  gint64    channel_id;
  char     *remote_id;
  char     *remote_name;
  gint64    location_id;
  char     *location_name;
  gboolean  active;
} OmniChannelLocation;

/**
 * OmniChannelLinkSpec:
 *
 * A local variant linked to a remote variant and its inventory item.
 */
typedef struct
{
  gint64      channel_id;
  gint64      variant_id;
  const char *remote_product_id;
  const char *remote_variant_id;
  const char *remote_inventory_id;
  const char *remote_sku;
  const char *linked_by;          /* "sku", "barcode", "manual", "import" */
} OmniChannelLinkSpec;

/**
 * OmniOutboxEntry:
 *
 * A pending push. @payload is '{}' until the entry is first claimed; from then
 * on it is fixed (`inventory_item_id`, `location_id`, `quantity`,
 * `change_from`), so every retry sends the same request under the same
 * @op_id, the idempotency key.
 */
typedef struct
{
  gint64  id;
  char   *op_id;
  gint64  channel_id;
  gint64  variant_id;
  gint64  location_id;
  char   *sku;
  char   *kind;
  char   *payload;
  char   *state;          /* pending, sending, done, failed, conflict */
  gint64  attempts;
  char   *next_attempt_at;
  char   *last_error;
  char   *created_at;
  char   *updated_at;
} OmniOutboxEntry;

/**
 * OmniSyncLogEntry:
 *
 * One attempt against a platform, for the activity view. @message never
 * holds a credential.
 */
typedef struct
{
  gint64      id;
  gint64      channel_id;
  char       *at;
  const char *direction;  /* pull, push, auth, webhook, reconcile */
  const char *operation;
  const char *status;     /* ok, retry, error, conflict */
  int         http_status;
  gint64      duration_ms;
  const char *message;
  /* owned copies when read back */
  char       *direction_owned;
  char       *operation_owned;
  char       *status_owned;
  char       *message_owned;
} OmniSyncLogEntry;

#define OMNI_OUTBOX_MAX_ATTEMPTS 12

gint64       omni_store_add_channel          (OmniStore           *self,
                                              const char          *platform,
                                              const char          *name,
                                              const char          *account,
                                              const char          *api_url,
                                              GError             **error);
OmniChannel *omni_store_get_channel          (OmniStore           *self,
                                              gint64               channel_id,
                                              GError             **error);
gint64       omni_store_find_channel         (OmniStore           *self,
                                              const char          *name_or_account,
                                              GError             **error);
GPtrArray   *omni_store_list_channels        (OmniStore           *self,
                                              GError             **error);
gboolean     omni_store_remove_channel       (OmniStore           *self,
                                              gint64               channel_id,
                                              GError             **error);
gboolean     omni_store_set_channel_state    (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *state,
                                              const char          *last_error,
                                              GError             **error);
gboolean     omni_store_mark_channel_synced  (OmniStore           *self,
                                              gint64               channel_id,
                                              GError             **error);
gboolean     omni_store_set_channel_settings (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *settings_json,
                                              GError             **error);
void         omni_channel_free               (OmniChannel         *channel);

gboolean     omni_store_upsert_channel_location (OmniStore        *self,
                                                 gint64            channel_id,
                                                 const char       *remote_id,
                                                 const char       *remote_name,
                                                 gboolean          active,
                                                 gboolean          ships_inventory,
                                                 GError          **error);
gboolean     omni_store_map_channel_location (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *remote_id,
                                              gint64               location_id,
                                              GError             **error);
GPtrArray   *omni_store_list_channel_locations (OmniStore         *self,
                                                gint64             channel_id,
                                                GError           **error);
gint64       omni_store_channel_local_location (OmniStore         *self,
                                                gint64             channel_id,
                                                const char        *remote_id);
void         omni_channel_location_free      (OmniChannelLocation *location);

gint64       omni_store_match_variant        (OmniStore           *self,
                                              const char          *sku,
                                              const char          *barcode,
                                              const char         **linked_by);
gboolean     omni_store_link_variant         (OmniStore           *self,
                                              const OmniChannelLinkSpec *link,
                                              GError             **error);
gint64       omni_store_find_linked_variant  (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *remote_inventory_id);
gint64       omni_store_count_links          (OmniStore           *self,
                                              gint64               channel_id);
gint64       omni_store_find_variant_for_remote (OmniStore        *self,
                                                 gint64            channel_id,
                                                 const char       *remote_variant_id);
char        *omni_store_get_link_remote_product (OmniStore        *self,
                                                 gint64            channel_id,
                                                 gint64            variant_id);
gint64       omni_store_get_available_at     (OmniStore           *self,
                                              gint64               variant_id,
                                              gint64               location_id);
gint64       omni_store_channel_order_location (OmniStore         *self,
                                                gint64             channel_id);
gboolean     omni_store_cancel_channel_order (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *remote_id,
                                              gboolean            *cancelled,
                                              GError             **error);

gboolean     omni_store_set_remote_level     (OmniStore           *self,
                                              gint64               channel_id,
                                              gint64               variant_id,
                                              const char          *remote_location_id,
                                              gint64               quantity,
                                              GError             **error);
gboolean     omni_store_get_remote_level     (OmniStore           *self,
                                              gint64               channel_id,
                                              gint64               variant_id,
                                              const char          *remote_location_id,
                                              gint64              *quantity);

gint64       omni_store_enqueue_push         (OmniStore           *self,
                                              gint64               channel_id,
                                              gint64               variant_id,
                                              gint64               location_id,
                                              GError             **error);
GPtrArray   *omni_store_claim_outbox         (OmniStore           *self,
                                              gint64               channel_id,
                                              guint                max_entries,
                                              gint64               now_us,
                                              gint64               lease_us,
                                              GError             **error);
gboolean     omni_store_ack_outbox           (OmniStore           *self,
                                              gint64               entry_id,
                                              GError             **error);
gboolean     omni_store_fail_outbox          (OmniStore           *self,
                                              gint64               entry_id,
                                              const char          *message,
                                              gboolean             permanent,
                                              gint64               now_us,
                                              GError             **error);
gboolean     omni_store_conflict_outbox      (OmniStore           *self,
                                              gint64               entry_id,
                                              const char          *message,
                                              gint64               remote_quantity,
                                              GError             **error);
GPtrArray   *omni_store_list_outbox          (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *state,
                                              guint                limit,
                                              GError             **error);
OmniOutboxEntry *omni_store_get_outbox_entry (OmniStore           *self,
                                              gint64               entry_id,
                                              GError             **error);
void         omni_outbox_entry_free          (OmniOutboxEntry     *entry);

char        *omni_store_get_sync_cursor      (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *resource);
gboolean     omni_store_set_sync_cursor      (OmniStore           *self,
                                              gint64               channel_id,
                                              const char          *resource,
                                              const char          *cursor,
                                              GError             **error);

gboolean     omni_store_log_sync             (OmniStore           *self,
                                              const OmniSyncLogEntry *entry,
                                              GError             **error);
GPtrArray   *omni_store_list_sync_log        (OmniStore           *self,
                                              gint64               channel_id,
                                              guint                limit,
                                              GError             **error);
void         omni_sync_log_entry_free        (OmniSyncLogEntry    *entry);

gboolean     omni_store_try_lock_channel_sync (OmniStore          *self,
                                               gint64              channel_id,
                                               gboolean           *held_elsewhere,
                                               GError            **error);
gboolean     omni_store_unlock_channel_sync  (OmniStore           *self,
                                              gint64               channel_id,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniChannel, omni_channel_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniChannelLocation, omni_channel_location_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniOutboxEntry, omni_outbox_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniSyncLogEntry, omni_sync_log_entry_free)

G_END_DECLS
