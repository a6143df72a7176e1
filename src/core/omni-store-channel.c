/* omni-store-channel.c: sales channels, links, the push outbox, cursors and
 * the sync log
 *
 * The outbox is filled by the movements_enqueue_push trigger (migration
 * 0002), so a push is queued in the very transaction that moves the stock.
 * The pusher claims entries (fixing their payload the first time), sends
 * them under their op_id as idempotency key, then acknowledges or fails
 * them; an entry left "sending" by a crash is claimed again once its lease
 * runs out, with the same payload and key, so the platform applies it once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-channel-settings.h"
#include "omni-store-channel.h"
#include "omni-store-private.h"
#include "omni-text.h"

static char *
dup_column (OmniDbStmt *stmt,
            int           column)
{
  const unsigned char *text = omni_db_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *)text) : NULL;
}

/* Channels ------------------------------------------------------------ */

void
omni_channel_free (OmniChannel *channel)
{
  if (channel == NULL)
    return;
  g_free (channel->platform);
  g_free (channel->name);
  g_free (channel->account);
  g_free (channel->api_url);
  g_free (channel->settings);
  g_free (channel->state);
  g_free (channel->last_error);
  g_free (channel->last_sync_at);
  g_free (channel->created_at);
  g_free (channel);
}

#define CHANNEL_COLUMNS \
  "c.id, c.platform, c.name, c.account, c.api_url, c.settings, c.state," \
  " c.last_error, c.last_sync_at, c.created_at," \
  " (SELECT count(*) FROM channel_links l WHERE l.channel_id = c.id)," \
  " (SELECT count(*) FROM outbox o WHERE o.channel_id = c.id" \
  "   AND o.state IN ('pending', 'sending', 'failed'))," \
  " coalesce (CAST (c.settings ->> '$.sync.paused' AS INTEGER), 0)," \
  " coalesce (c.settings ->> '$.sync.direction', 'both')," \
  " coalesce (CAST (c.settings ->> '$.sync.interval' AS INTEGER), 0)"

static OmniChannel *
channel_from_row (OmniDbStmt *stmt)
{
  OmniChannel *c = g_new0 (OmniChannel, 1);

  c->id = omni_db_column_int64 (stmt, 0);
  c->platform = dup_column (stmt, 1);
  c->name = dup_column (stmt, 2);
  c->account = dup_column (stmt, 3);
  c->api_url = dup_column (stmt, 4);
  c->settings = dup_column (stmt, 5);
  c->state = dup_column (stmt, 6);
  c->last_error = dup_column (stmt, 7);
  c->last_sync_at = dup_column (stmt, 8);
  c->created_at = dup_column (stmt, 9);
  c->links = omni_db_column_int64 (stmt, 10);
  c->pending = omni_db_column_int64 (stmt, 11);
  c->paused = omni_db_column_int (stmt, 12) != 0;
  c->pulls = g_strcmp0 ((const char *)omni_db_column_text (stmt, 13), "push") != 0;
  c->pushes = g_strcmp0 ((const char *)omni_db_column_text (stmt, 13), "pull") != 0;
  c->interval = omni_db_column_int (stmt, 14);
  return c;
}

static gboolean
validate_platform (const char  *platform,
                   GError     **error)
{
  if (g_strcmp0 (platform, "shopify") == 0 || g_strcmp0 (platform, "amazon") == 0 ||
      g_strcmp0 (platform, "ebay") == 0)
    return TRUE;
  g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
               "“%s” is not a supported platform (shopify, amazon or ebay)",
               platform ? platform : "");
  return FALSE;
}

/**
 * omni_store_add_channel:
 * @platform: "shopify", "amazon" or "ebay"
 * @name: (nullable): what the merchant calls it; %NULL uses @account
 * @account: the shop domain or seller id; unique per platform
 * @api_url: (nullable): base URL override (sandboxes, tests)
 *
 * Returns: the new channel's id, or 0 with @error set (a duplicate account
 *   or name is %OMNI_STORE_ERROR_CONFLICT)
 */
gint64
omni_store_add_channel (OmniStore   *self,
                        const char  *platform,
                        const char  *name,
                        const char  *account,
                        const char  *api_url,
                        GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (name == NULL || *name == '\0')
    name = account;
  if (!validate_platform (platform, error) ||
      !omni_text_check (account, "Account", OMNI_TEXT_MAX_LINE, TRUE, error) ||
      !omni_text_check (name, "Channel name", OMNI_TEXT_MAX_LINE, TRUE, error) ||
      !omni_text_check (api_url, "API URL", 2048, FALSE, error))
    return 0;

  if (omni_store_find_channel (self, account, NULL) > 0 ||
      omni_store_find_channel (self, name, NULL) > 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "A channel named “%s” already exists", name);
      return 0;
    }

  stmt = _omni_store_prepare (self,
                              "INSERT INTO channels (platform, name, account, api_url, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                              error);
  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, platform, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, account, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 4, api_url);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);

  if (!omni_store_begin (self, error))
    return 0;
  id = _omni_store_step_insert (self, stmt, error);
  if (id == 0)
    {
      omni_store_rollback (self);
      return 0;
    }
  if (!omni_store_commit (self, error))
    return 0;
  return id;
}

OmniChannel *
omni_store_get_channel (OmniStore  *self,
                        gint64      channel_id,
                        GError    **error)
{
  OmniDbStmt *stmt;
  OmniChannel *channel = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, "SELECT " CHANNEL_COLUMNS " FROM channels c WHERE c.id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    channel = channel_from_row (stmt);
  omni_db_reset (stmt);

  if (channel == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Channel %" G_GINT64_FORMAT " does not exist", channel_id);
  return channel;
}

/**
 * omni_store_find_channel:
 * @name_or_account: a channel name, an account (shop domain) or a numeric id
 *
 * Returns: the channel id, or 0 with @error set to NOT_FOUND
 */
gint64
omni_store_find_channel (OmniStore   *self,
                         const char  *name_or_account,
                         GError     **error)
{
  OmniDbStmt *stmt;
  gint64 id = 0;
  gint64 numeric = 0;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (name_or_account == NULL || *name_or_account == '\0')
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "No channel was named");
      return 0;
    }

  if (!g_ascii_string_to_signed (name_or_account, 10, 1, G_MAXINT64, &numeric, NULL))
    numeric = 0;

  stmt = _omni_store_prepare (self,
                              "SELECT id FROM channels WHERE name = ?1 OR account = ?1"
                              " OR id = ?2 ORDER BY name = ?1 DESC LIMIT 1",
                              error);
  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, name_or_account, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, numeric);
  if (omni_db_step (stmt) == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);

  if (id == 0)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "No channel is named “%s”", name_or_account);
  return id;
}

GPtrArray *
omni_store_list_channels (OmniStore  *self,
                          GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_channel_free);
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self, "SELECT " CHANNEL_COLUMNS " FROM channels c ORDER BY c.id",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, channel_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the channels");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * omni_store_remove_channel:
 *
 * Deletes a channel with its links, locations, cursors, outbox and log
 * (cascades). Orders it brought in stay, no longer attached to it; their
 * movements stay in the ledger.
 */
gboolean
omni_store_remove_channel (OmniStore   *self,
                           gint64       channel_id,
                           GError     **error)
{
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!omni_store_begin (self, error))
    return FALSE;
  stmt = _omni_store_prepare (self, "DELETE FROM channels WHERE id = ?1", error);
  if (stmt == NULL)
    {
      omni_store_rollback (self);
      return FALSE;
    }
  omni_db_bind_int64 (stmt, 1, channel_id);
  if (!_omni_store_step_done (self, stmt, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  if (omni_db_changes (_omni_store_get_db (self)) == 0)
    {
      omni_store_rollback (self);
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Channel %" G_GINT64_FORMAT " does not exist", channel_id);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

static gboolean
update_channel (OmniStore   *self,
                const char  *sql,
                gint64       channel_id,
                const char  *a,
                const char  *b,
                GError     **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  if (a != NULL)
    omni_db_bind_text (stmt, 2, a, -1, SQLITE_TRANSIENT);
  else
    omni_db_bind_null (stmt, 2);
  if (b != NULL)
    omni_db_bind_text (stmt, 3, b, -1, SQLITE_TRANSIENT);
  else
    omni_db_bind_null (stmt, 3);

  if (!omni_store_begin (self, error))
    return FALSE;
  if (!_omni_store_step_done (self, stmt, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  if (omni_db_changes (_omni_store_get_db (self)) == 0)
    {
      omni_store_rollback (self);
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Channel %" G_GINT64_FORMAT " does not exist", channel_id);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

/**
 * omni_store_set_channel_state:
 * @state: "connected", "paused", "error" or "auth_failed"
 * @last_error: (nullable): the last error in words, or %NULL to clear it
 */
gboolean
omni_store_set_channel_state (OmniStore   *self,
                              gint64       channel_id,
                              const char  *state,
                              const char  *last_error,
                              GError     **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (g_strcmp0 (state, "connected") != 0 && g_strcmp0 (state, "paused") != 0 &&
      g_strcmp0 (state, "error") != 0 && g_strcmp0 (state, "auth_failed") != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "“%s” is not a channel state", state ? state : "");
      return FALSE;
    }
  if (!omni_text_check (last_error, "Error", 4096, FALSE, error))
    return FALSE;

  return update_channel (self,
                         "UPDATE channels SET state = ?2, last_error = ?3 WHERE id = ?1",
                         channel_id, state, last_error, error);
}

gboolean
omni_store_mark_channel_synced (OmniStore   *self,
                                gint64       channel_id,
                                GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  return update_channel (self,
                         "UPDATE channels SET last_sync_at = ?2,"
                         " state = CASE state WHEN 'paused' THEN 'paused' ELSE 'connected' END,"
                         " last_error = ?3 WHERE id = ?1",
                         channel_id, now, NULL, error);
}

gboolean
omni_store_set_channel_settings (OmniStore   *self,
                                 gint64       channel_id,
                                 const char  *settings_json,
                                 GError     **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!omni_text_check (settings_json, "Settings", OMNI_TEXT_MAX_BODY, TRUE, error))
    return FALSE;
  /* The "sync" object belongs to omni_store_save_channel_settings(), which
   * validates it: whatever the caller passes there, the stored one stays. */
  return update_channel (self,
                         "UPDATE channels SET settings = CASE"
                         " WHEN json_type (settings, '$.sync') IS NULL"
                         "  THEN json_remove (json (?2), '$.sync')"
                         " ELSE json_set (json (?2), '$.sync', json (settings -> '$.sync')) END"
                         " WHERE id = ?1",
                         channel_id, settings_json, NULL, error);
}

/* Locations ----------------------------------------------------------- */

void
omni_channel_location_free (OmniChannelLocation *location)
{
  if (location == NULL)
    return;
  g_free (location->remote_id);
  g_free (location->remote_name);
  g_free (location->location_name);
  g_free (location);
}

static gint64
query_id (OmniStore   *self,
          const char  *sql,
          gint64       a,
          const char  *b)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, sql, NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, a);
  if (b != NULL)
    omni_db_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  return id;
}

/* The default mapping (DESIGN §5): the local location of the same name;
 * failing that, the first active remote location that ships inventory gets
 * the local default location; anything else stays unmapped. */
static gint64
default_mapping (OmniStore   *self,
                 gint64       channel_id,
                 const char  *remote_name,
                 gboolean     active,
                 gboolean     ships_inventory)
{
  gint64 local;

  local = query_id (self,
                    "SELECT l.id FROM locations l WHERE l.archived = 0 AND l.name = ?2"
                    " AND NOT EXISTS (SELECT 1 FROM channel_locations cl"
                    "   WHERE cl.channel_id = ?1 AND cl.location_id = l.id)",
                    channel_id, remote_name);
  if (local > 0 || !active || !ships_inventory)
    return local;

  return query_id (self,
                   "SELECT l.id FROM locations l WHERE l.is_default = 1 AND l.archived = 0"
                   " AND NOT EXISTS (SELECT 1 FROM channel_locations cl"
                   "   WHERE cl.channel_id = ?1 AND cl.location_id = l.id)",
                   channel_id, NULL);
}

/**
 * omni_store_upsert_channel_location:
 *
 * Records a remote location seen in a pull. A new one gets the default
 * mapping; an existing one keeps the merchant's mapping and has its name and
 * active flag refreshed.
 */
gboolean
omni_store_upsert_channel_location (OmniStore   *self,
                                    gint64       channel_id,
                                    const char  *remote_id,
                                    const char  *remote_name,
                                    gboolean     active,
                                    gboolean     ships_inventory,
                                    GError     **error)
{
  OmniDbStmt *stmt;
  gint64 local = 0;
  gboolean known;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!omni_text_check (remote_id, "Remote location id", OMNI_TEXT_MAX_LINE, TRUE, error) ||
      !omni_text_check (remote_name, "Remote location name", OMNI_TEXT_MAX_LINE, TRUE, error))
    return FALSE;

  if (!omni_store_begin (self, error))
    return FALSE;

  known = query_id (self,
                    "SELECT 1 FROM channel_locations WHERE channel_id = ?1 AND remote_id = ?2",
                    channel_id, remote_id) > 0;
  if (!known)
    local = default_mapping (self, channel_id, remote_name, active, ships_inventory);

  stmt = _omni_store_prepare (self,
                              "INSERT INTO channel_locations (channel_id, remote_id, remote_name,"
                              " location_id, active) VALUES (?1, ?2, ?3, ?4, ?5)"
                              " ON CONFLICT (channel_id, remote_id) DO UPDATE SET"
                              " remote_name = excluded.remote_name, active = excluded.active",
                              error);
  if (stmt == NULL)
    {
      omni_store_rollback (self);
      return FALSE;
    }
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, remote_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, remote_name, -1, SQLITE_TRANSIENT);
  if (local > 0)
    omni_db_bind_int64 (stmt, 4, local);
  else
    omni_db_bind_null (stmt, 4);
  omni_db_bind_int (stmt, 5, active ? 1 : 0);
  if (!_omni_store_step_done (self, stmt, error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

/**
 * omni_store_map_channel_location:
 * @location_id: the local location, or 0 to unmap
 */
gboolean
omni_store_map_channel_location (OmniStore   *self,
                                 gint64       channel_id,
                                 const char  *remote_id,
                                 gint64       location_id,
                                 GError     **error)
{
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (query_id (self, "SELECT 1 FROM channel_locations WHERE channel_id = ?1 AND remote_id = ?2",
                channel_id, remote_id) == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "The channel has no remote location “%s”", remote_id ? remote_id : "");
      return FALSE;
    }
  if (location_id > 0 &&
      query_id (self, "SELECT 1 FROM locations WHERE id = ?1", location_id, NULL) == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Location %" G_GINT64_FORMAT " does not exist", location_id);
      return FALSE;
    }

  stmt = _omni_store_prepare (self,
                              "UPDATE channel_locations SET location_id = ?3"
                              " WHERE channel_id = ?1 AND remote_id = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, remote_id, -1, SQLITE_TRANSIENT);
  if (location_id > 0)
    omni_db_bind_int64 (stmt, 3, location_id);
  else
    omni_db_bind_null (stmt, 3);

  if (!omni_store_begin (self, error))
    return FALSE;
  if (!_omni_store_step_done (self, stmt, error))
    {
      omni_store_rollback (self);
      if (error != NULL && *error != NULL && (*error)->code == OMNI_STORE_ERROR_CONFLICT)
        {
          g_clear_error (error);
          g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                               "That local location already receives another remote "
                               "location of this channel");
        }
      return FALSE;
    }
  return omni_store_commit (self, error);
}

GPtrArray *
omni_store_list_channel_locations (OmniStore  *self,
                                   gint64      channel_id,
                                   GError    **error)
{
  g_autoptr(GPtrArray) list =
    g_ptr_array_new_with_free_func ((GDestroyNotify)omni_channel_location_free);
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT cl.channel_id, cl.remote_id, cl.remote_name,"
                              " coalesce (cl.location_id, 0), l.name, cl.active"
                              " FROM channel_locations cl"
                              " LEFT JOIN locations l ON l.id = cl.location_id"
                              " WHERE cl.channel_id = ?1 ORDER BY cl.remote_name, cl.remote_id",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniChannelLocation *loc = g_new0 (OmniChannelLocation, 1);

      loc->channel_id = omni_db_column_int64 (stmt, 0);
      loc->remote_id = dup_column (stmt, 1);
      loc->remote_name = dup_column (stmt, 2);
      loc->location_id = omni_db_column_int64 (stmt, 3);
      loc->location_name = dup_column (stmt, 4);
      loc->active = omni_db_column_int (stmt, 5) != 0;
      g_ptr_array_add (list, loc);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the channel's locations");
      return NULL;
    }
  return g_steal_pointer (&list);
}

gint64
omni_store_channel_local_location (OmniStore  *self,
                                   gint64      channel_id,
                                   const char *remote_id)
{
  return query_id (self,
                   "SELECT coalesce (location_id, 0) FROM channel_locations"
                   " WHERE channel_id = ?1 AND remote_id = ?2 AND active = 1",
                   channel_id, remote_id);
}

/* Links --------------------------------------------------------------- */

/**
 * omni_store_match_variant:
 * @linked_by: (out) (optional): "sku" or "barcode"
 *
 * Finds the active local variant a remote one matches: by SKU first, then by
 * barcode when exactly one active variant carries it. Nothing is guessed.
 *
 * Returns: the variant id, or 0
 */
gint64
omni_store_match_variant (OmniStore    *self,
                          const char   *sku,
                          const char   *barcode,
                          const char  **linked_by)
{
  OmniDbStmt *stmt;
  gint64 id = 0;

  if (sku != NULL && *sku != '\0')
    {
      stmt = _omni_store_prepare (self,
                                  "SELECT id FROM variants WHERE sku = ?1 AND archived = 0", NULL);
      if (stmt == NULL)
        return 0;
      omni_db_bind_text (stmt, 1, sku, -1, SQLITE_TRANSIENT);
      if (omni_db_step (stmt) == SQLITE_ROW)
        id = omni_db_column_int64 (stmt, 0);
      omni_db_reset (stmt);
      if (id > 0)
        {
          if (linked_by)
            *linked_by = "sku";
          return id;
        }
    }

  if (barcode != NULL && *barcode != '\0')
    {
      stmt = _omni_store_prepare (self,
                                  "SELECT min (id), count(*) FROM variants"
                                  " WHERE barcode = ?1 AND archived = 0", NULL);
      if (stmt == NULL)
        return 0;
      omni_db_bind_text (stmt, 1, barcode, -1, SQLITE_TRANSIENT);
      if (omni_db_step (stmt) == SQLITE_ROW && omni_db_column_int64 (stmt, 1) == 1)
        id = omni_db_column_int64 (stmt, 0);
      omni_db_reset (stmt);
      if (id > 0 && linked_by)
        *linked_by = "barcode";
    }
  return id;
}

/**
 * omni_store_link_variant:
 *
 * Links (or re-links) a local variant to a remote variant. A remote variant
 * already linked to another local variant is a conflict.
 */
gboolean
omni_store_link_variant (OmniStore                  *self,
                         const OmniChannelLinkSpec  *link,
                         GError                    **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;
  const char *by = link->linked_by ? link->linked_by : "manual";

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!omni_text_check (link->remote_variant_id, "Remote variant id", OMNI_TEXT_MAX_LINE,
                        TRUE, error) ||
      !omni_text_check (link->remote_product_id, "Remote product id", OMNI_TEXT_MAX_LINE,
                        FALSE, error) ||
      !omni_text_check (link->remote_inventory_id, "Remote inventory item id",
                        OMNI_TEXT_MAX_LINE, FALSE, error) ||
      !omni_text_check (link->remote_sku, "Remote SKU", OMNI_TEXT_MAX_LINE, FALSE, error))
    return FALSE;
  if (!_omni_store_require_variant (self, link->variant_id, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO channel_links (channel_id, variant_id, remote_product_id,"
                              " remote_variant_id, remote_inventory_id, remote_sku, linked_by,"
                              " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                              " ON CONFLICT (channel_id, variant_id) DO UPDATE SET"
                              " remote_product_id = excluded.remote_product_id,"
                              " remote_variant_id = excluded.remote_variant_id,"
                              " remote_inventory_id = excluded.remote_inventory_id,"
                              " remote_sku = excluded.remote_sku,"
                              " updated_at = excluded.updated_at",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, link->channel_id);
  omni_db_bind_int64 (stmt, 2, link->variant_id);
  _omni_store_bind_text_or_null (stmt, 3, link->remote_product_id);
  omni_db_bind_text (stmt, 4, link->remote_variant_id, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 5, link->remote_inventory_id);
  _omni_store_bind_text_or_null (stmt, 6, link->remote_sku);
  omni_db_bind_text (stmt, 7, by, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);

  return _omni_store_write_one (self, stmt, error);
}

gint64
omni_store_find_linked_variant (OmniStore  *self,
                                gint64      channel_id,
                                const char *remote_inventory_id)
{
  return query_id (self,
                   "SELECT variant_id FROM channel_links"
                   " WHERE channel_id = ?1 AND remote_inventory_id = ?2",
                   channel_id, remote_inventory_id);
}

gint64
omni_store_count_links (OmniStore *self,
                        gint64     channel_id)
{
  return query_id (self, "SELECT count(*) FROM channel_links WHERE channel_id = ?1",
                   channel_id, NULL);
}

gint64
omni_store_find_variant_for_remote (OmniStore  *self,
                                    gint64      channel_id,
                                    const char *remote_variant_id)
{
  return query_id (self,
                   "SELECT variant_id FROM channel_links"
                   " WHERE channel_id = ?1 AND remote_variant_id = ?2",
                   channel_id, remote_variant_id);
}

/**
 * omni_store_get_link_remote_product:
 *
 * The remote product id stored with a variant's link to a channel (eBay
 * keeps the offer ids of a SKU there).
 *
 * Returns: (transfer full) (nullable): the id, or %NULL when the variant is
 *   not linked or the link has none
 */
char *
omni_store_get_link_remote_product (OmniStore *self,
                                    gint64     channel_id,
                                    gint64     variant_id)
{
  OmniDbStmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT remote_product_id FROM channel_links"
                              " WHERE channel_id = ?1 AND variant_id = ?2",
                              NULL);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    value = dup_column (stmt, 0);
  omni_db_reset (stmt);
  return value;
}

/* Available stock of a variant at one location (0 when it never moved). */
gint64
omni_store_get_available_at (OmniStore *self,
                             gint64     variant_id,
                             gint64     location_id)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT available FROM stock_levels"
                                            " WHERE variant_id = ?1 AND location_id = ?2",
                                            NULL);
  gint64 available = 0;

  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, variant_id);
  omni_db_bind_int64 (stmt, 2, location_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    available = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  return available;
}

/**
 * omni_store_channel_order_location:
 *
 * Where a channel's orders are sold from: the local location mapped to the
 * channel's first active remote location, else the default location.
 *
 * Returns: a location id, or 0 when there is none
 */
gint64
omni_store_channel_order_location (OmniStore *self,
                                   gint64     channel_id)
{
  gint64 id = query_id (self,
                        "SELECT location_id FROM channel_locations WHERE channel_id = ?1"
                        " AND active = 1 AND location_id IS NOT NULL"
                        " ORDER BY remote_name, remote_id LIMIT 1",
                        channel_id, NULL);

  if (id > 0)
    return id;
  return omni_store_get_default_location (self, NULL);
}

/**
 * omni_store_cancel_channel_order:
 * @cancelled: (out) (optional): %TRUE when this call reversed the order
 *
 * Reverses a recorded channel order that was cancelled remotely: its sold
 * lines, less units already refunded and restocked, come back as `returned`
 * movements, and what its unfulfilled lines still hold in reserve is
 * `released` (op_ids derived from the order, so a second call changes
 * nothing); the order becomes "cancelled". All of it is read and written in
 * one transaction. An order never recorded is left alone: it never sold
 * anything here.
 */
gboolean
omni_store_cancel_channel_order (OmniStore   *self,
                                 gint64       channel_id,
                                 const char  *remote_id,
                                 gboolean    *cancelled,
                                 GError     **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (OmniMovementSpec));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;
  gint64 order_id = 0;
  gint64 location_id = 0;
  gboolean already = FALSE;
  int rc;

  if (cancelled)
    *cancelled = FALSE;

  if (!omni_store_begin (self, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT id, coalesce (location_id, 0), status = 'cancelled' FROM orders"
                              " WHERE coalesce (channel_id, 0) = ?1 AND remote_id = ?2",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, remote_id, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      order_id = omni_db_column_int64 (stmt, 0);
      location_id = omni_db_column_int64 (stmt, 1);
      already = omni_db_column_int (stmt, 2) != 0;
    }
  omni_db_reset (stmt);
  if (order_id == 0 || already)
    {
      omni_store_rollback (self);
      return TRUE;
    }

  stmt = _omni_store_prepare (self,
                              "SELECT variant_id, max (fulfilled - refunded, 0), remote_line_id, id"
                              " FROM order_lines WHERE order_id = ?1 AND variant_id IS NOT NULL",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, order_id);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      const char *line_key = (const char *)omni_db_column_text (stmt, 2);
      g_autofree char *fallback = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   (gint64)omni_db_column_int64 (stmt, 3));
      OmniMovementSpec m = { 0 };

      m.variant_id = omni_db_column_int64 (stmt, 0);
      m.location_id = location_id;
      m.on_hand_delta = omni_db_column_int64 (stmt, 1);
      m.source = "channel";
      m.reference = remote_id;
      m.operation = _omni_store_order_line_operation (channel_id, remote_id,
                                                      line_key ? line_key : fallback);
      g_ptr_array_add (strings, (char *)m.operation);
      if (m.on_hand_delta > 0)
        {
          m.reason = OMNI_REASON_RETURNED;
          m.note = "Order cancelled on the channel";
          m.op_id = g_strdup_printf ("order:%" G_GINT64_FORMAT ":%s:%s:cancel", channel_id,
                                     remote_id, line_key ? line_key : fallback);
          g_ptr_array_add (strings, (char *)m.op_id);
          g_array_append_val (lines, m);
        }
      m.on_hand_delta = 0;
      g_array_append_val (lines, m);      /* the reservation, read below */
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the order");
      goto fail;
    }

  /* What each line still holds in reserve is its operation's sum. */
  for (guint i = 0; i < lines->len; i++)
    {
      OmniMovementSpec *m = &g_array_index (lines, OmniMovementSpec, i);
      gint64 committed;

      if (m->on_hand_delta != 0)
        continue;
      committed = _omni_store_order_line_committed (self, m->operation, error);
      if (committed < 0)
        goto fail;
      if (committed == 0)
        {
          g_array_remove_index (lines, i--);
          continue;
        }
      m->committed_delta = -committed;
      m->reason = OMNI_REASON_RELEASED;
      m->note = "Order cancelled before it shipped";
      m->op_id = g_strdup_printf ("%s:cancel-release", m->operation);
      g_ptr_array_add (strings, (char *)m->op_id);
    }

  if (location_id > 0 && lines->len > 0 &&
      !omni_store_record_movements (self, (OmniMovementSpec *)(void *)lines->data, lines->len, error))
    goto fail;
  stmt = _omni_store_prepare (self,
                              "UPDATE orders SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, order_id);
  omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;
  if (!omni_store_commit (self, error))
    return FALSE;
  if (cancelled)
    *cancelled = TRUE;
  return TRUE;

fail:
  omni_store_rollback (self);
  return FALSE;
}

/* Remote levels ------------------------------------------------------- */

gboolean
omni_store_set_remote_level (OmniStore   *self,
                             gint64       channel_id,
                             gint64       variant_id,
                             const char  *remote_location_id,
                             gint64       quantity,
                             GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO channel_levels (channel_id, variant_id,"
                              " remote_location_id, quantity, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)"
                              " ON CONFLICT (channel_id, variant_id, remote_location_id)"
                              " DO UPDATE SET quantity = excluded.quantity,"
                              " updated_at = excluded.updated_at",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_text (stmt, 3, remote_location_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 4, quantity);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);

  return _omni_store_write_one (self, stmt, error);
}

gboolean
omni_store_get_remote_level (OmniStore  *self,
                             gint64      channel_id,
                             gint64      variant_id,
                             const char *remote_location_id,
                             gint64     *quantity)
{
  OmniDbStmt *stmt;
  gboolean found = FALSE;

  stmt = _omni_store_prepare (self,
                              "SELECT quantity FROM channel_levels WHERE channel_id = ?1"
                              " AND variant_id = ?2 AND remote_location_id = ?3",
                              NULL);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  omni_db_bind_text (stmt, 3, remote_location_id, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (quantity)
        *quantity = omni_db_column_int64 (stmt, 0);
    }
  omni_db_reset (stmt);
  return found;
}

/* Outbox -------------------------------------------------------------- */

void
omni_outbox_entry_free (OmniOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->op_id);
  g_free (entry->sku);
  g_free (entry->kind);
  g_free (entry->payload);
  g_free (entry->state);
  g_free (entry->next_attempt_at);
  g_free (entry->last_error);
  g_free (entry->created_at);
  g_free (entry->updated_at);
  g_free (entry);
}

#define OUTBOX_COLUMNS \
  "o.id, o.op_id, o.channel_id, o.variant_id, coalesce (o.location_id, 0), v.sku, o.kind," \
  " o.payload, o.state, o.attempts, o.next_attempt_at, o.last_error, o.created_at," \
  " o.updated_at"

static OmniOutboxEntry *
outbox_from_row (OmniDbStmt *stmt)
{
  OmniOutboxEntry *e = g_new0 (OmniOutboxEntry, 1);

  e->id = omni_db_column_int64 (stmt, 0);
  e->op_id = dup_column (stmt, 1);
  e->channel_id = omni_db_column_int64 (stmt, 2);
  e->variant_id = omni_db_column_int64 (stmt, 3);
  e->location_id = omni_db_column_int64 (stmt, 4);
  e->sku = dup_column (stmt, 5);
  e->kind = dup_column (stmt, 6);
  e->payload = dup_column (stmt, 7);
  e->state = dup_column (stmt, 8);
  e->attempts = omni_db_column_int64 (stmt, 9);
  e->next_attempt_at = dup_column (stmt, 10);
  e->last_error = dup_column (stmt, 11);
  e->created_at = dup_column (stmt, 12);
  e->updated_at = dup_column (stmt, 13);
  return e;
}

static gint64
insert_push (OmniStore   *self,
             gint64       channel_id,
             gint64       variant_id,
             gint64       location_id,
             GError     **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *op_id = g_strdup_printf ("push:%" G_GINT64_FORMAT ":%s", channel_id, uuid);
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO outbox (op_id, channel_id, variant_id, location_id,"
                              " kind, created_at, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4, 'set_quantity', ?5, ?5) RETURNING id",
                              error);
  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 2, channel_id);
  omni_db_bind_int64 (stmt, 3, variant_id);
  omni_db_bind_int64 (stmt, 4, location_id);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  return _omni_store_step_insert (self, stmt, error);
}

/**
 * omni_store_enqueue_push:
 *
 * Queues a push of a linked variant's quantity at a local location (after
 * linking, or to resolve a conflict). An unclaimed entry for the same
 * variant and location already covers it and is returned instead.
 *
 * Returns: the entry id, or 0 with @error set
 */
gint64
omni_store_enqueue_push (OmniStore   *self,
                         gint64       channel_id,
                         gint64       variant_id,
                         gint64       location_id,
                         GError     **error)
{
  OmniDbStmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (!omni_store_begin (self, error))
    return 0;

  stmt = _omni_store_prepare (self,
                              "SELECT id FROM outbox WHERE channel_id = ?1 AND variant_id = ?2"
                              " AND location_id = ?3 AND state = 'pending' AND payload = '{}'",
                              error);
  if (stmt != NULL)
    {
      omni_db_bind_int64 (stmt, 1, channel_id);
      omni_db_bind_int64 (stmt, 2, variant_id);
      omni_db_bind_int64 (stmt, 3, location_id);
      if (omni_db_step (stmt) == SQLITE_ROW)
        id = omni_db_column_int64 (stmt, 0);
      omni_db_reset (stmt);
      if (id == 0)
        id = insert_push (self, channel_id, variant_id, location_id, error);
    }

  if (id == 0)
    {
      omni_store_rollback (self);
      return 0;
    }
  if (!omni_store_commit (self, error))
    return 0;
  return id;
}

/* Fixes an unclaimed entry's request: what the channel's allocation rules
 * publish (omni-channel-settings.c) from the local available stock, and the
 * remote quantity last seen as compare value. An entry that can no longer be
 * pushed (link or mapping gone) gets the payload 'null'. */
static const char fix_payload_sql[] =
  "SELECT o.variant_id, o.location_id, l.remote_inventory_id, l.buffer, cl.remote_id,"
  " rl.quantity"
  " FROM outbox o"
  " JOIN channel_links l ON l.channel_id = o.channel_id AND l.variant_id = o.variant_id"
  "  AND l.remote_inventory_id IS NOT NULL"
  " JOIN channel_locations cl ON cl.channel_id = o.channel_id"
  "  AND cl.location_id = o.location_id AND cl.active = 1"
  " LEFT JOIN channel_levels rl ON rl.channel_id = o.channel_id"
  "  AND rl.variant_id = o.variant_id AND rl.remote_location_id = cl.remote_id"
  " WHERE o.id = ?1 AND o.payload = '{}'";

static char *
channel_platform (OmniStore *self,
                  gint64     channel_id)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, "SELECT platform FROM channels WHERE id = ?1",
                                            NULL);
  char *platform = NULL;

  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    platform = dup_column (stmt, 0);
  omni_db_reset (stmt);
  return platform;
}

static gboolean
fix_payload (OmniStore                 *self,
             gint64                     entry_id,
             const OmniChannelSettings *rules,
             gboolean                   one_location,
             GError                   **error)
{
  g_autofree char *inventory_id = NULL;
  g_autofree char *remote_location = NULL;
  gint64 variant_id = 0, location_id = 0, link_buffer = 0, change_from = 0;
  gboolean found, has_change_from = FALSE;
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self, fix_payload_sql, error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, entry_id);
  found = omni_db_step (stmt) == SQLITE_ROW;
  if (found)
    {
      variant_id = omni_db_column_int64 (stmt, 0);
      location_id = omni_db_column_int64 (stmt, 1);
      inventory_id = dup_column (stmt, 2);
      link_buffer = omni_db_column_int64 (stmt, 3);
      remote_location = dup_column (stmt, 4);
      has_change_from = omni_db_column_type (stmt, 5) != SQLITE_NULL;
      change_from = omni_db_column_int64 (stmt, 5);
    }
  omni_db_reset (stmt);

  if (!found)
    {
      stmt = _omni_store_prepare (self,
                                  "UPDATE outbox SET payload = 'null' WHERE id = ?1 AND payload = '{}'",
                                  error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, entry_id);
      return _omni_store_step_done (self, stmt, error);
    }

  stmt = _omni_store_prepare (self,
                              "UPDATE outbox SET payload = json_object ('inventory_item_id', ?2,"
                              " 'location_id', ?3, 'quantity', ?4, 'change_from', ?5)"
                              " WHERE id = ?1 AND payload = '{}'",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, entry_id);
  omni_db_bind_text (stmt, 2, inventory_id, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, remote_location, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 4, _omni_store_channel_quantity (self, rules, one_location,
                                                             variant_id, location_id,
                                                             link_buffer));
  if (has_change_from)
    omni_db_bind_int64 (stmt, 5, change_from);
  else
    omni_db_bind_null (stmt, 5);
  return _omni_store_step_done (self, stmt, error);
}

/* The due entries of channel ?1 at time ?2, at most ?3, oldest first, never
 * one behind an earlier pending or sending entry of its variant and
 * location. On SQLite the write transaction already keeps every other
 * claimer out. On PostgreSQL two claimers run side by side: each locks the
 * rows it picks until it commits and passes over the rows another claimer
 * holds, so no entry is handed to two of them (a later entry of the same
 * variant and location stays behind the held one, which is still pending
 * or sending). */
static const char claim_due_sql[] =
  "SELECT o.id FROM outbox o WHERE o.channel_id = ?1"
  " AND ((o.state = 'pending'"
  "       AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?2))"
  "   OR (o.state = 'sending' AND o.next_attempt_at <= ?2))"
  " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel_id = o.channel_id"
  "   AND p.variant_id = o.variant_id AND p.location_id IS o.location_id"
  "   AND p.id < o.id AND p.state IN ('pending', 'sending'))"
  " ORDER BY o.id LIMIT ?3";

static const char claim_due_pg_sql[] =
  "SELECT o.id FROM outbox o WHERE o.channel_id = ?1"
  " AND ((o.state = 'pending'"
  "       AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?2))"
  "   OR (o.state = 'sending' AND o.next_attempt_at <= ?2))"
  " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel_id = o.channel_id"
  "   AND p.variant_id = o.variant_id AND p.location_id IS NOT DISTINCT FROM o.location_id"
  "   AND p.id < o.id AND p.state IN ('pending', 'sending'))"
  " ORDER BY o.id LIMIT ?3"
  " FOR UPDATE OF o SKIP LOCKED";

/**
 * omni_store_claim_outbox:
 * @channel_id: the channel whose entries to claim
 * @max_entries: at most this many
 * @now_us: the current time (0: now)
 * @lease_us: how long a claimed entry stays "sending" before a crash is
 *   assumed and it may be claimed again
 *
 * Claims the due entries of a channel, oldest first and never two of the
 * same variant and location at once, in one transaction: each becomes
 * "sending" with its payload fixed. An entry whose quantity already equals
 * the remote one is completed without being sent, and one that can no longer
 * be pushed (link or mapping removed) fails permanently.
 *
 * Returns: (transfer full) (element-type OmniOutboxEntry): the claimed entries
 */
GPtrArray *
omni_store_claim_outbox (OmniStore   *self,
                         gint64       channel_id,
                         guint        max_entries,
                         gint64       now_us,
                         gint64       lease_us,
                         GError     **error)
{
  g_autoptr(GPtrArray) claimed = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_outbox_entry_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = NULL;
  g_autofree char *lease = NULL;
  g_autofree char *platform = NULL;
  g_auto(OmniChannelSettings) rules = { 0 };
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (now_us == 0)
    now_us = g_get_real_time ();
  now = _omni_store_format_time (now_us);
  lease = _omni_store_format_time (now_us + lease_us);

  if (!omni_store_begin (self, error))
    return NULL;

  /* A paused or pull-only channel claims nothing: its entries wait. */
  if (!omni_store_load_channel_settings (self, channel_id, &rules, error))
    goto fail;
  if (!omni_channel_settings_pushes (&rules))
    {
      if (!omni_store_commit (self, error))
        return NULL;
      return g_steal_pointer (&claimed);
    }
  platform = channel_platform (self, channel_id);

  stmt = _omni_store_prepare (self,
                              _omni_store_is_postgresql (self) ? claim_due_pg_sql : claim_due_sql,
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  omni_db_bind_int64 (stmt, 3, max_entries);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = omni_db_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the outbox");
      goto fail;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(OmniOutboxEntry) entry = NULL;

      if (!fix_payload (self, id, &rules, g_strcmp0 (platform, "shopify") == 0, error))
        goto fail;

      /* Nothing to send: the link or mapping is gone (fails for good), or the
       * remote already holds the quantity (done without a request). */
      stmt = _omni_store_prepare (self,
                                  "UPDATE outbox SET"
                                  " state = CASE WHEN payload = 'null' THEN 'failed' ELSE 'done' END,"
                                  " last_error = CASE WHEN payload = 'null' THEN"
                                  "  'The variant is no longer linked to a mapped remote location'"
                                  "  ELSE NULL END,"
                                  " updated_at = ?2"
                                  " WHERE id = ?1 AND attempts = 0 AND (payload = 'null'"
                                  "  OR payload ->> '$.quantity'"
                                  "     IS NOT DISTINCT FROM payload ->> '$.change_from')",
                                  error);
      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, id);
      omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        goto fail;

      stmt = _omni_store_prepare (self,
                                  "UPDATE outbox SET state = 'sending', attempts = attempts + 1,"
                                  " next_attempt_at = ?2, updated_at = ?3"
                                  " WHERE id = ?1 AND state IN ('pending', 'sending')",
                                  error);
      if (stmt == NULL)
        goto fail;
      omni_db_bind_int64 (stmt, 1, id);
      omni_db_bind_text (stmt, 2, lease, -1, SQLITE_TRANSIENT);
      omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        goto fail;
      if (omni_db_changes (_omni_store_get_db (self)) == 0)
        continue;

      entry = omni_store_get_outbox_entry (self, id, error);
      if (entry == NULL)
        goto fail;
      g_ptr_array_add (claimed, g_steal_pointer (&entry));
    }

  if (!omni_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&claimed);

fail:
  omni_store_rollback (self);
  return NULL;
}

static gboolean
exec_durable (OmniStore  *self,
              gboolean    full)
{
  /* Acknowledgements are what exactly-once rests on: make them durable on
   * disk before the pusher moves on (DESIGN §2). */
  /* PostgreSQL commits are durable already (synchronous_commit). */
  if (_omni_store_get_sqlite (self) == NULL)
    return TRUE;
  return _omni_store_exec (self, full ? "PRAGMA synchronous = FULL"
                                      : "PRAGMA synchronous = NORMAL", NULL);
}

/**
 * omni_store_ack_outbox:
 *
 * Marks a sent entry done and records its quantity as the remote one, in one
 * durable transaction.
 */
gboolean
omni_store_ack_outbox (OmniStore   *self,
                       gint64       entry_id,
                       GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  exec_durable (self, TRUE);
  if (!omni_store_begin (self, error))
    {
      exec_durable (self, FALSE);
      return FALSE;
    }

  stmt = _omni_store_prepare (self,
                              "INSERT INTO channel_levels (channel_id, variant_id,"
                              " remote_location_id, quantity, updated_at)"
                              " SELECT channel_id, variant_id, payload ->> '$.location_id',"
                              " CAST (payload ->> '$.quantity' AS INTEGER), ?2 FROM outbox"
                              " WHERE id = ?1 AND state = 'sending'"
                              " AND payload ->> '$.location_id' IS NOT NULL"
                              " ON CONFLICT (channel_id, variant_id, remote_location_id)"
                              " DO UPDATE SET quantity = excluded.quantity,"
                              " updated_at = excluded.updated_at",
                              error);
  ok = stmt != NULL;
  if (ok)
    {
      omni_db_bind_int64 (stmt, 1, entry_id);
      omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
      ok = _omni_store_step_done (self, stmt, error);
    }
  if (ok)
    {
      stmt = _omni_store_prepare (self,
                                  "UPDATE outbox SET state = 'done', last_error = NULL,"
                                  " next_attempt_at = NULL, updated_at = ?2"
                                  " WHERE id = ?1 AND state = 'sending'",
                                  error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      omni_db_bind_int64 (stmt, 1, entry_id);
      omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
      ok = _omni_store_step_done (self, stmt, error);
    }
  if (ok && omni_db_changes (_omni_store_get_db (self)) == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "Outbox entry %" G_GINT64_FORMAT " is not being sent", entry_id);
      ok = FALSE;
    }

  if (!ok)
    omni_store_rollback (self);
  else
    ok = omni_store_commit (self, error);
  exec_durable (self, FALSE);
  return ok;
}

/**
 * omni_store_fail_outbox:
 * @message: what went wrong, in words (never a credential)
 * @permanent: %TRUE when retrying cannot help
 * @now_us: the current time (0: now)
 *
 * Puts a sent entry back for a later retry, exponentially spaced with
 * jitter (30 s, 1 min, 2 min, … up to an hour), keeping its payload and key;
 * after %OMNI_OUTBOX_MAX_ATTEMPTS attempts, or when @permanent, it fails.
 */
gboolean
omni_store_fail_outbox (OmniStore   *self,
                        gint64       entry_id,
                        const char  *message,
                        gboolean     permanent,
                        gint64       now_us,
                        GError     **error)
{
  g_autoptr(OmniOutboxEntry) entry = NULL;
  g_autofree char *now = NULL;
  g_autofree char *next = NULL;
  OmniDbStmt *stmt;
  gint64 delay_us;
  gboolean give_up;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  entry = omni_store_get_outbox_entry (self, entry_id, error);
  if (entry == NULL)
    return FALSE;

  if (now_us == 0)
    now_us = g_get_real_time ();
  give_up = permanent || entry->attempts >= OMNI_OUTBOX_MAX_ATTEMPTS;
  delay_us = (gint64)30 * G_USEC_PER_SEC << MIN (entry->attempts > 0 ? entry->attempts - 1 : 0, 7);
  delay_us = MIN (delay_us, (gint64)3600 * G_USEC_PER_SEC);
  delay_us += g_random_int_range (0, (gint32)MAX (1, delay_us / G_USEC_PER_SEC / 4)) *
              G_USEC_PER_SEC;
  now = _omni_store_format_time (now_us);
  next = _omni_store_format_time (now_us + delay_us);

  stmt = _omni_store_prepare (self,
                              "UPDATE outbox SET state = ?2, next_attempt_at = ?3,"
                              " last_error = ?4, updated_at = ?5 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, entry_id);
  omni_db_bind_text (stmt, 2, give_up ? "failed" : "pending", -1, SQLITE_STATIC);
  if (give_up)
    omni_db_bind_null (stmt, 3);
  else
    omni_db_bind_text (stmt, 3, next, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 4, message);
  omni_db_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);

  return _omni_store_write_one (self, stmt, error);
}

/**
 * omni_store_conflict_outbox:
 * @remote_quantity: the quantity the platform holds now (re-pulled)
 *
 * The platform refused an entry because its quantity changed since we last
 * saw it. The entry stays as a visible conflict, the fresh remote quantity
 * is recorded, and — the store being the truth for physical stock — a new
 * entry pushes the local quantity again, compared against the fresh value.
 * All in one transaction.
 */
gboolean
omni_store_conflict_outbox (OmniStore   *self,
                            gint64       entry_id,
                            const char  *message,
                            gint64       remote_quantity,
                            GError     **error)
{
  g_autoptr(OmniOutboxEntry) entry = NULL;
  g_autofree char *now = _omni_store_format_time (0);
  g_autofree char *remote_location = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  entry = omni_store_get_outbox_entry (self, entry_id, error);
  if (entry == NULL)
    return FALSE;

  if (!omni_store_begin (self, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "UPDATE outbox SET state = 'conflict', next_attempt_at = NULL,"
                              " last_error = ?2, updated_at = ?3 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, entry_id);
  _omni_store_bind_text_or_null (stmt, 2, message);
  omni_db_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    goto fail;

  stmt = _omni_store_prepare (self, "SELECT payload ->> '$.location_id' FROM outbox WHERE id = ?1",
                              error);
  if (stmt == NULL)
    goto fail;
  omni_db_bind_int64 (stmt, 1, entry_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    remote_location = dup_column (stmt, 0);
  omni_db_reset (stmt);

  if (remote_location != NULL &&
      !omni_store_set_remote_level (self, entry->channel_id, entry->variant_id,
                                    remote_location, remote_quantity, error))
    goto fail;

  if (insert_push (self, entry->channel_id, entry->variant_id, entry->location_id, error) == 0)
    goto fail;

  return omni_store_commit (self, error);

fail:
  omni_store_rollback (self);
  return FALSE;
}

OmniOutboxEntry *
omni_store_get_outbox_entry (OmniStore  *self,
                             gint64      entry_id,
                             GError    **error)
{
  OmniDbStmt *stmt;
  OmniOutboxEntry *entry = NULL;

  stmt = _omni_store_prepare (self,
                              "SELECT " OUTBOX_COLUMNS " FROM outbox o"
                              " JOIN variants v ON v.id = o.variant_id WHERE o.id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, entry_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    entry = outbox_from_row (stmt);
  omni_db_reset (stmt);
  if (entry == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Outbox entry %" G_GINT64_FORMAT " does not exist", entry_id);
  return entry;
}

/**
 * omni_store_list_outbox:
 * @channel_id: a channel, or 0 for all
 * @state: (nullable): only entries in this state; %NULL: all but "done"
 * @limit: at most this many, newest first (0: 1000)
 */
GPtrArray *
omni_store_list_outbox (OmniStore   *self,
                        gint64       channel_id,
                        const char  *state,
                        guint        limit,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_outbox_entry_free);
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT " OUTBOX_COLUMNS " FROM outbox o"
                              " JOIN variants v ON v.id = o.variant_id"
                              " WHERE (?1 = 0 OR o.channel_id = ?1)"
                              " AND (CASE WHEN CAST (?2 AS TEXT) IS NULL THEN o.state <> 'done'"
                              "      ELSE o.state = ?2 END)"
                              " ORDER BY o.id DESC LIMIT ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  if (state != NULL)
    omni_db_bind_text (stmt, 2, state, -1, SQLITE_TRANSIENT);
  else
    omni_db_bind_null (stmt, 2);
  omni_db_bind_int64 (stmt, 3, limit > 0 ? limit : 1000);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, outbox_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the outbox");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Cursors ------------------------------------------------------------- */

char *
omni_store_get_sync_cursor (OmniStore  *self,
                            gint64      channel_id,
                            const char *resource)
{
  OmniDbStmt *stmt;
  char *cursor = NULL;

  stmt = _omni_store_prepare (self,
                              "SELECT cursor FROM sync_cursors WHERE channel_id = ?1 AND resource = ?2",
                              NULL);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, resource, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    cursor = dup_column (stmt, 0);
  omni_db_reset (stmt);
  return cursor;
}

gboolean
omni_store_set_sync_cursor (OmniStore   *self,
                            gint64       channel_id,
                            const char  *resource,
                            const char  *cursor,
                            GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  if (!omni_text_check (resource, "Cursor resource", OMNI_TEXT_MAX_LINE, TRUE, error) ||
      !omni_text_check (cursor, "Cursor", 4096, TRUE, error))
    return FALSE;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO sync_cursors (channel_id, resource, cursor, updated_at)"
                              " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (channel_id, resource)"
                              " DO UPDATE SET cursor = excluded.cursor,"
                              " updated_at = excluded.updated_at",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, resource, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, cursor, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  return _omni_store_write_one (self, stmt, error);
}

/* Sync log ------------------------------------------------------------ */

void
omni_sync_log_entry_free (OmniSyncLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->direction_owned);
  g_free (entry->operation_owned);
  g_free (entry->status_owned);
  g_free (entry->message_owned);
  g_free (entry);
}

gboolean
omni_store_log_sync (OmniStore               *self,
                     const OmniSyncLogEntry  *entry,
                     GError                 **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  g_autofree char *message = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  /* Bounded: a remote error body cannot grow the log without limit. */
  if (entry->message != NULL)
    message = g_utf8_make_valid (entry->message, MIN (strlen (entry->message), 2000));

  stmt = _omni_store_prepare (self,
                              "INSERT INTO sync_log (channel_id, at, direction, operation, status,"
                              " http_status, duration_ms, message)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              error);
  if (stmt == NULL)
    return FALSE;
  if (entry->channel_id > 0)
    omni_db_bind_int64 (stmt, 1, entry->channel_id);
  else
    omni_db_bind_null (stmt, 1);
  omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, entry->direction, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, entry->operation ? entry->operation : "", -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 5, entry->status, -1, SQLITE_TRANSIENT);
  if (entry->http_status > 0)
    omni_db_bind_int (stmt, 6, entry->http_status);
  else
    omni_db_bind_null (stmt, 6);
  omni_db_bind_int64 (stmt, 7, entry->duration_ms);
  _omni_store_bind_text_or_null (stmt, 8, message);

  return _omni_store_write_one (self, stmt, error);
}

GPtrArray *
omni_store_list_sync_log (OmniStore  *self,
                          gint64      channel_id,
                          guint       limit,
                          GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_sync_log_entry_free);
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT id, coalesce (channel_id, 0), at, direction, operation, status,"
                              " coalesce (http_status, 0), coalesce (duration_ms, 0), message"
                              " FROM sync_log WHERE (?1 = 0 OR channel_id = ?1)"
                              " ORDER BY id DESC LIMIT ?2",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, limit > 0 ? limit : 1000);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniSyncLogEntry *e = g_new0 (OmniSyncLogEntry, 1);

      e->id = omni_db_column_int64 (stmt, 0);
      e->channel_id = omni_db_column_int64 (stmt, 1);
      e->at = dup_column (stmt, 2);
      e->direction = e->direction_owned = dup_column (stmt, 3);
      e->operation = e->operation_owned = dup_column (stmt, 4);
      e->status = e->status_owned = dup_column (stmt, 5);
      e->http_status = omni_db_column_int (stmt, 6);
      e->duration_ms = omni_db_column_int64 (stmt, 7);
      e->message = e->message_owned = dup_column (stmt, 8);
      g_ptr_array_add (list, e);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the sync log");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Who syncs a channel ---------------------------------------------------- */

/* A session-level advisory lock on PostgreSQL, keyed by "OMNI" and the
 * channel id (folded into 32 bits), in the database of the store: it lives
 * as long as the connection, whatever its transactions do, so the server
 * releases it when the computer holding it goes away. Locking twice from
 * one connection holds it once. */
#define CHANNEL_SYNC_LOCK_HELD \
  "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted" \
  " AND pid = pg_backend_pid ()" \
  " AND database = (SELECT oid FROM pg_database WHERE datname = current_database ())" \
  " AND classid = CAST (CAST (?1 AS INTEGER) AS OID)" \
  " AND objid = CAST (CAST (?2 AS INTEGER) AS OID) AND objsubid = 2)"

static gint32
channel_sync_lock_key (gint64 channel_id)
{
  return (gint32)(guint32)((guint64)channel_id ^ ((guint64)channel_id >> 32));
}

/**
 * omni_store_try_lock_channel_sync:
 * @channel_id: the channel about to be synced
 * @held_elsewhere: (out) (optional): %TRUE when another connection holds
 *   the lock (then %FALSE is returned without an error)
 *
 * Makes this store the one that syncs @channel_id, so pushes are never sent
 * from two computers. On PostgreSQL the lock belongs to the store's
 * connection until omni_store_unlock_channel_sync() or until the connection
 * ends (the store is closed, the process dies, the network goes): then
 * another instance may take over. A SQLite store is on one computer, where
 * its write lock already serializes every sync, so the lock is always
 * granted.
 *
 * Returns: %TRUE when this store holds the lock
 */
gboolean
omni_store_try_lock_channel_sync (OmniStore  *self,
                                  gint64      channel_id,
                                  gboolean   *held_elsewhere,
                                  GError    **error)
{
  OmniDbStmt *stmt;
  gboolean granted = FALSE, taken_now = FALSE;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (channel_id > 0, FALSE);

  if (held_elsewhere != NULL)
    *held_elsewhere = FALSE;
  if (!_omni_store_is_postgresql (self))
    return TRUE;

  stmt = _omni_store_prepare (self,
                              "SELECT CASE WHEN " CHANNEL_SYNC_LOCK_HELD " THEN 1"
                              " WHEN pg_try_advisory_lock (CAST (?1 AS INTEGER),"
                              "  CAST (?2 AS INTEGER)) THEN 2 ELSE 0 END",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, _OMNI_STORE_APPLICATION_ID);
  omni_db_bind_int64 (stmt, 2, channel_sync_lock_key (channel_id));
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    {
      /* 1: held already by this connection; 2: taken now; 0: held elsewhere. */
      granted = omni_db_column_int64 (stmt, 0) != 0;
      taken_now = omni_db_column_int64 (stmt, 0) == 2;
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not take the channel's sync lock");
      return FALSE;
    }
  if (!granted && held_elsewhere != NULL)
    *held_elsewhere = TRUE;

  /* Holding the lock, this store is the only one syncing the channel: an
   * entry still "sending" was left by an instance that went away (its lock
   * went with its connection). Its lease is over now, so the takeover
   * sends it at once, with the request and key it was claimed with. Only
   * when the lock changes hands: the holder asking again may have entries
   * of its own in flight. */
  if (taken_now)
    {
      g_autofree char *now = _omni_store_format_time (0);

      stmt = _omni_store_prepare (self,
                                  "UPDATE outbox SET next_attempt_at = ?2"
                                  " WHERE channel_id = ?1 AND state = 'sending'"
                                  " AND next_attempt_at > ?2",
                                  error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, channel_id);
      omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        return FALSE;
    }
  return granted;
}

/**
 * omni_store_unlock_channel_sync:
 *
 * Lets another instance sync @channel_id. Releasing a lock this store does
 * not hold does nothing.
 */
gboolean
omni_store_unlock_channel_sync (OmniStore  *self,
                                gint64      channel_id,
                                GError    **error)
{
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!_omni_store_is_postgresql (self))
    return TRUE;

  /* Only where held: PostgreSQL warns about releasing a lock it does not
   * see, and a repeated lock must not leave a second count behind. */
  stmt = _omni_store_prepare (self,
                              "SELECT pg_advisory_unlock (CAST (?1 AS INTEGER), CAST (?2 AS INTEGER))"
                              " WHERE " CHANNEL_SYNC_LOCK_HELD,
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, _OMNI_STORE_APPLICATION_ID);
  omni_db_bind_int64 (stmt, 2, channel_sync_lock_key (channel_id));
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    ;
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not release the channel's sync lock");
      return FALSE;
    }
  return TRUE;
}
