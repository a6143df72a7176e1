/* omni-channel-settings.c: per-channel sync settings and allocation rules
 *
 * A channel's sync settings live in its settings JSON under "sync", beside
 * the connector's own keys, which are left alone. They are validated as a
 * whole (an unknown key or an out-of-range value is refused) and saved in
 * one transaction that also queues a push of every linked variant when the
 * published quantities may change.
 *
 * What a channel lists is computed by omni_channel_publish_quantity(), a
 * pure function: the outbox payload (fixed when the pusher claims an entry)
 * and the live preview both call it, so what the merchant sees is what is
 * sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-channel-settings.h"
#include "omni-store-channel.h"
#include "omni-store-private.h"

/* Pure part ------------------------------------------------------------- */

void
omni_channel_settings_init (OmniChannelSettings *settings)
{
  g_return_if_fail (settings != NULL);

  memset (settings, 0, sizeof *settings);
  settings->direction = OMNI_SYNC_BOTH;
  settings->max_listed = -1;
  settings->percent = 100;
  settings->locations = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
omni_channel_settings_clear (OmniChannelSettings *settings)
{
  g_return_if_fail (settings != NULL);

  g_clear_pointer (&settings->locations, g_array_unref);
}

void
omni_channel_settings_copy (OmniChannelSettings       *dest,
                            const OmniChannelSettings *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  omni_channel_settings_init (dest);
  dest->direction = src->direction;
  dest->buffer = src->buffer;
  dest->max_listed = src->max_listed;
  dest->percent = src->percent;
  dest->floor = src->floor;
  dest->interval = src->interval;
  dest->paused = src->paused;
  if (src->locations != NULL)
    g_array_append_vals (dest->locations, src->locations->data, src->locations->len);
}

static gboolean
same_locations (const GArray *a,
                const GArray *b)
{
  guint na = a ? a->len : 0, nb = b ? b->len : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < nb && !found; j++)
        found = g_array_index (a, gint64, i) == g_array_index (b, gint64, j);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/**
 * omni_channel_settings_equal_rules:
 *
 * Returns: %TRUE when @a and @b publish the same quantities (allocation
 *   rules and feeding locations alike)
 */
gboolean
omni_channel_settings_equal_rules (const OmniChannelSettings *a,
                                   const OmniChannelSettings *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->buffer == b->buffer && a->max_listed == b->max_listed &&
         a->percent == b->percent && a->floor == b->floor &&
         same_locations (a->locations, b->locations);
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID, message);
  return FALSE;
}

/**
 * omni_channel_settings_validate:
 *
 * Checks every value against its range (the store also checks that the
 * feeding locations exist when saving).
 *
 * Returns: %TRUE when valid, else %FALSE with %OMNI_STORE_ERROR_INVALID
 */
gboolean
omni_channel_settings_validate (const OmniChannelSettings *s,
                                GError                   **error)
{
  g_return_val_if_fail (s != NULL, FALSE);

  if (s->direction != OMNI_SYNC_BOTH && s->direction != OMNI_SYNC_PULL &&
      s->direction != OMNI_SYNC_PUSH)
    return invalid (error, "The sync direction must be pull, push or both");
  if (s->buffer < 0 || s->buffer > OMNI_CHANNEL_MAX_BUFFER)
    return invalid (error, "The buffer must be a whole number from 0 to %d",
                    OMNI_CHANNEL_MAX_BUFFER);
  if (s->max_listed < -1 || s->max_listed > OMNI_CHANNEL_MAX_LISTED)
    return invalid (error, "The maximum listed quantity must be a whole number from 0 to %d",
                    OMNI_CHANNEL_MAX_LISTED);
  if (s->percent < 0 || s->percent > 100)
    return invalid (error, "The percentage must be a whole number from 0 to 100");
  if (s->floor < 0 || s->floor > OMNI_CHANNEL_MAX_FLOOR)
    return invalid (error, "The floor must be a whole number from 0 to %d",
                    OMNI_CHANNEL_MAX_FLOOR);
  if (s->interval < 0 || s->interval > OMNI_CHANNEL_MAX_INTERVAL)
    return invalid (error, "The sync interval must be from 1 to %d minutes (0: the default)",
                    OMNI_CHANNEL_MAX_INTERVAL);
  if (s->locations != NULL)
    {
      if (s->locations->len > OMNI_CHANNEL_MAX_LOCATIONS)
        return invalid (error, "At most %d locations can feed a channel",
                        OMNI_CHANNEL_MAX_LOCATIONS);
      for (guint i = 0; i < s->locations->len; i++)
        {
          gint64 id = g_array_index (s->locations, gint64, i);

          if (id <= 0)
            return invalid (error, "Location %" G_GINT64_FORMAT " does not exist", id);
          for (guint j = 0; j < i; j++)
            if (g_array_index (s->locations, gint64, j) == id)
              return invalid (error, "A location is listed twice among those feeding the channel");
        }
    }
  return TRUE;
}

/**
 * omni_channel_settings_to_json:
 *
 * Returns: (transfer full): the settings as the JSON object stored under
 *   "sync"
 */
char *
omni_channel_settings_to_json (const OmniChannelSettings *s)
{
  GString *json = g_string_new (NULL);

  g_return_val_if_fail (s != NULL, NULL);

  g_string_append_printf (json, "{\"direction\":\"%s\",\"buffer\":%" G_GINT64_FORMAT,
                          omni_sync_direction_to_string (s->direction), s->buffer);
  if (s->max_listed >= 0)
    g_string_append_printf (json, ",\"max\":%" G_GINT64_FORMAT, s->max_listed);
  else
    g_string_append (json, ",\"max\":null");
  g_string_append_printf (json, ",\"percent\":%d,\"floor\":%" G_GINT64_FORMAT
                          ",\"locations\":[", s->percent, s->floor);
  for (guint i = 0; s->locations != NULL && i < s->locations->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (s->locations, gint64, i));
  g_string_append_printf (json, "],\"interval\":%d,\"paused\":%s}", s->interval,
                          s->paused ? "true" : "false");
  return g_string_free (json, FALSE);
}

gboolean
omni_channel_settings_pulls (const OmniChannelSettings *s)
{
  g_return_val_if_fail (s != NULL, FALSE);

  return !s->paused && s->direction != OMNI_SYNC_PUSH;
}

gboolean
omni_channel_settings_pushes (const OmniChannelSettings *s)
{
  g_return_val_if_fail (s != NULL, FALSE);

  return !s->paused && s->direction != OMNI_SYNC_PULL;
}

/**
 * omni_channel_settings_is_due:
 * @last_sync_at: (nullable): when the channel last synced (ISO 8601 UTC)
 * @now_us: the current real time
 * @default_interval: minutes, used when the channel has no interval of its own
 *
 * Returns: %TRUE when a scheduled sync should run now: not paused, and never
 *   synced or its interval has passed since the last sync
 */
gboolean
omni_channel_settings_is_due (const OmniChannelSettings *s,
                              const char                *last_sync_at,
                              gint64                     now_us,
                              int                        default_interval)
{
  g_autoptr(GDateTime) last = NULL;
  int minutes;

  g_return_val_if_fail (s != NULL, FALSE);

  if (s->paused)
    return FALSE;
  if (last_sync_at == NULL ||
      (last = g_date_time_new_from_iso8601 (last_sync_at, NULL)) == NULL)
    return TRUE;
  minutes = s->interval > 0 ? s->interval : MAX (default_interval, 1);
  return now_us - g_date_time_to_unix (last) * G_USEC_PER_SEC -
         g_date_time_get_microsecond (last) >= (gint64)minutes * 60 * G_USEC_PER_SEC;
}

const char *
omni_sync_direction_to_string (OmniSyncDirection direction)
{
  switch (direction)
    {
    case OMNI_SYNC_PULL:
      return "pull";
    case OMNI_SYNC_PUSH:
      return "push";
    case OMNI_SYNC_BOTH:
    default:
      return "both";
    }
}

gboolean
omni_sync_direction_from_string (const char        *text,
                                 OmniSyncDirection *direction)
{
  g_return_val_if_fail (direction != NULL, FALSE);

  if (g_strcmp0 (text, "both") == 0)
    *direction = OMNI_SYNC_BOTH;
  else if (g_strcmp0 (text, "pull") == 0)
    *direction = OMNI_SYNC_PULL;
  else if (g_strcmp0 (text, "push") == 0)
    *direction = OMNI_SYNC_PUSH;
  else
    return FALSE;
  return TRUE;
}

static gint64
saturating_add (gint64 a,
                gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  if (b < 0 && a < G_MININT64 - b)
    return G_MININT64;
  return a + b;
}

/**
 * omni_channel_publish_quantity:
 * @available: (array length=n_available): the available stock at each
 *   feeding location (negative when oversold)
 * @settings: the channel's rules
 *
 * What the channel lists, in this order: the available stock summed over
 * the feeding locations; 0 when that sum is below the floor; less the
 * buffer; the percentage of what remains, rounded down; capped at the
 * maximum. Never negative.
 *
 * Returns: the quantity to publish, 0 or more
 */
gint64
omni_channel_publish_quantity (const gint64              *available,
                               gsize                      n_available,
                               const OmniChannelSettings *settings)
{
  gint64 total = 0;
  gint64 quantity;

  g_return_val_if_fail (available != NULL || n_available == 0, 0);
  g_return_val_if_fail (settings != NULL, 0);

  for (gsize i = 0; i < n_available; i++)
    total = saturating_add (total, available[i]);

  if (total <= 0 || total < settings->floor)
    return 0;
  quantity = total - MAX (settings->buffer, 0);
  if (quantity <= 0)
    return 0;
  if (settings->percent < 100)
    {
      int percent = MAX (settings->percent, 0);

      /* q × p / 100 without overflow: whole hundreds first, then the rest. */
      quantity = (quantity / 100) * percent + (quantity % 100) * percent / 100;
    }
  if (settings->max_listed >= 0 && quantity > settings->max_listed)
    quantity = settings->max_listed;
  return MAX (quantity, 0);
}

/* Store part ------------------------------------------------------------ */

static gboolean
parse_int (const char   *key,
           const char   *type,
           OmniDbStmt *stmt,
           gint64       *out,
           GError      **error)
{
  /* JSON true and false come back from json_each as integers: the type
   * column tells them apart. */
  if (g_strcmp0 (type, "integer") != 0)
    return invalid (error, "The channel setting “%s” must be a whole number", key);
  *out = omni_db_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
parse_key (OmniStore           *self,
           const char          *json,
           OmniDbStmt        *stmt,
           OmniChannelSettings *s,
           GError             **error)
{
  const char *key = (const char *)omni_db_column_text (stmt, 0);
  const char *type = (const char *)omni_db_column_text (stmt, 1);
  gint64 n = 0;

  if (g_strcmp0 (key, "direction") == 0)
    {
      if (!omni_sync_direction_from_string ((const char *)omni_db_column_text (stmt, 2),
                                            &s->direction) || g_strcmp0 (type, "text") != 0)
        return invalid (error, "The sync direction must be pull, push or both");
      return TRUE;
    }
  if (g_strcmp0 (key, "paused") == 0)
    {
      if (g_strcmp0 (type, "true") != 0 && g_strcmp0 (type, "false") != 0)
        return invalid (error, "The channel setting “paused” must be true or false");
      s->paused = g_strcmp0 (type, "true") == 0;
      return TRUE;
    }
  if (g_strcmp0 (key, "max") == 0 && g_strcmp0 (type, "null") == 0)
    {
      s->max_listed = -1;
      return TRUE;
    }
  if (g_strcmp0 (key, "locations") == 0)
    {
      OmniDbStmt *each;
      int rc;

      if (g_strcmp0 (type, "array") != 0)
        return invalid (error, "The channel setting “locations” must be a list of location ids");
      each = _omni_store_prepare (self, "SELECT type, value FROM json_each (?1, '$.sync.locations')",
                                  error);
      if (each == NULL)
        return FALSE;
      omni_db_bind_text (each, 1, json, -1, SQLITE_TRANSIENT);
      while ((rc = omni_db_step (each)) == SQLITE_ROW)
        {
          gint64 id = omni_db_column_int64 (each, 1);

          if (g_strcmp0 ((const char *)omni_db_column_text (each, 0), "integer") != 0 ||
              s->locations->len >= OMNI_CHANNEL_MAX_LOCATIONS + 1)
            {
              omni_db_reset (each);
              return invalid (error, "The channel setting “locations” must be a list of location ids");
            }
          g_array_append_val (s->locations, id);
        }
      omni_db_reset (each);
      if (rc != SQLITE_DONE)
        {
          _omni_store_set_error (self, error, rc, "Could not read the channel settings");
          return FALSE;
        }
      return TRUE;
    }

  if (g_strcmp0 (key, "buffer") == 0 || g_strcmp0 (key, "max") == 0 ||
      g_strcmp0 (key, "percent") == 0 || g_strcmp0 (key, "floor") == 0 ||
      g_strcmp0 (key, "interval") == 0)
    {
      if (!parse_int (key, type, stmt, &n, error))
        return FALSE;
      /* Clamp to one past the bound so validation names the setting. */
      n = CLAMP (n, -2, (gint64)OMNI_CHANNEL_MAX_LISTED + 1);
      if (g_str_equal (key, "buffer"))
        s->buffer = n;
      else if (g_str_equal (key, "max"))
        s->max_listed = n < 0 ? -2 : n;
      else if (g_str_equal (key, "percent"))
        s->percent = (int)n;
      else if (g_str_equal (key, "floor"))
        s->floor = n;
      else
        s->interval = (int)n;
      return TRUE;
    }

  return invalid (error, "“%s” is not a channel setting (direction, buffer, max, percent, "
                  "floor, locations, interval or paused)", key ? key : "");
}

/**
 * omni_store_parse_channel_settings:
 * @channel_settings_json: (nullable): a channel's whole settings JSON
 * @settings: (out caller-allocates): initialized here; clear it after use
 *
 * Reads the "sync" object of a channel's settings JSON; keys left out take
 * their defaults. @settings holds the defaults on failure.
 *
 * Returns: %TRUE, or %FALSE with %OMNI_STORE_ERROR_INVALID when the object
 *   holds an unknown key or a value out of range
 */
gboolean
omni_store_parse_channel_settings (OmniStore           *self,
                                   const char          *json,
                                   OmniChannelSettings *settings,
                                   GError             **error)
{
  g_auto(OmniChannelSettings) s = { 0 };
  OmniDbStmt *stmt;
  const char *type;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  omni_channel_settings_init (settings);
  omni_channel_settings_init (&s);
  if (json == NULL || *json == '\0')
    return TRUE;

  stmt = _omni_store_prepare (self,
                              "SELECT CASE WHEN json_valid (?1) THEN json_type (?1, '$.sync')"
                              " ELSE 'invalid' END", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  type = rc == SQLITE_ROW ? (const char *)omni_db_column_text (stmt, 0) : "invalid";
  if (type == NULL)
    {
      omni_db_reset (stmt);
      return TRUE;
    }
  if (!g_str_equal (type, "object"))
    {
      omni_db_reset (stmt);
      return invalid (error, "The channel's sync settings are not a JSON object");
    }
  omni_db_reset (stmt);

  stmt = _omni_store_prepare (self, "SELECT key, type, atom FROM json_each (?1, '$.sync')", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;

      if (!parse_key (self, json, stmt, &s, &local_error))
        {
          omni_db_reset (stmt);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the channel settings");
      return FALSE;
    }
  if (!omni_channel_settings_validate (&s, error))
    return FALSE;

  omni_channel_settings_clear (settings);
  *settings = s;
  memset (&s, 0, sizeof s);
  return TRUE;
}

static char *
channel_settings_json (OmniStore   *self,
                       gint64       channel_id,
                       char       **platform,
                       GError     **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self,
                                            "SELECT settings, platform FROM channels WHERE id = ?1",
                                            error);
  char *json = NULL;

  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      json = g_strdup ((const char *)omni_db_column_text (stmt, 0));
      if (platform != NULL)
        *platform = g_strdup ((const char *)omni_db_column_text (stmt, 1));
    }
  omni_db_reset (stmt);
  if (json == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Channel %" G_GINT64_FORMAT " does not exist", channel_id);
  return json;
}

/**
 * omni_store_load_channel_settings:
 * @settings: (out caller-allocates): initialized here; clear it after use
 *
 * Returns: %TRUE, or %FALSE when the channel does not exist or its stored
 *   settings are unreadable (@settings then holds the defaults)
 */
gboolean
omni_store_load_channel_settings (OmniStore           *self,
                                  gint64               channel_id,
                                  OmniChannelSettings *settings,
                                  GError             **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  json = channel_settings_json (self, channel_id, NULL, error);
  if (json == NULL)
    {
      omni_channel_settings_init (settings);
      return FALSE;
    }
  return omni_store_parse_channel_settings (self, json, settings, error);
}

static gboolean
check_locations (OmniStore                 *self,
                 const char                *platform,
                 const OmniChannelSettings *s,
                 GError                   **error)
{
  if (s->locations->len == 0)
    return TRUE;
  if (g_strcmp0 (platform, "shopify") == 0)
    return invalid (error, "A Shopify channel publishes each mapped location on its own; "
                    "map its locations instead of choosing feeding locations");
  for (guint i = 0; i < s->locations->len; i++)
    {
      gint64 id = g_array_index (s->locations, gint64, i);
      OmniDbStmt *stmt = _omni_store_prepare (self,
                                                "SELECT archived FROM locations WHERE id = ?1",
                                                error);
      int rc;
      gboolean archived;

      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, id);
      rc = omni_db_step (stmt);
      archived = rc == SQLITE_ROW && omni_db_column_int (stmt, 0) != 0;
      omni_db_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                       "Location %" G_GINT64_FORMAT " does not exist", id);
          return FALSE;
        }
      if (archived)
        return invalid (error, "An archived location cannot feed a channel");
    }
  return TRUE;
}

/* Queues a push of every linked variant at every mapped remote location of
 * the channel, except where an unclaimed entry already covers it. */
static gboolean
queue_all (OmniStore  *self,
           gint64      channel_id,
           gint64     *queued,
           GError    **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO outbox (op_id, channel_id, variant_id, location_id, kind,"
                              " created_at, updated_at)"
                              " SELECT 'push:' || l.channel_id || ':' || lower (hex (randomblob (16))),"
                              "  l.channel_id, l.variant_id, cl.location_id, 'set_quantity', ?2, ?2"
                              " FROM channel_links l"
                              " JOIN channel_locations cl ON cl.channel_id = l.channel_id"
                              "  AND cl.active = 1 AND cl.location_id IS NOT NULL"
                              " WHERE l.channel_id = ?1 AND l.remote_inventory_id IS NOT NULL"
                              "  AND NOT EXISTS (SELECT 1 FROM outbox o"
                              "   WHERE o.channel_id = l.channel_id AND o.variant_id = l.variant_id"
                              "    AND o.location_id = cl.location_id"
                              "    AND o.state = 'pending' AND o.payload = '{}')",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;
  *queued = omni_db_changes (_omni_store_get_db (self));
  return TRUE;
}

static gboolean
write_settings (OmniStore                 *self,
                gint64                     channel_id,
                const OmniChannelSettings *s,
                GError                   **error)
{
  g_autofree char *json = omni_channel_settings_to_json (s);
  OmniDbStmt *stmt;

  /* The state mirrors the pause for what lists channels; the settings
   * stay the truth. */
  stmt = _omni_store_prepare (self,
                              "UPDATE channels SET settings = json_set (settings, '$.sync', json (?2)),"
                              " state = CASE WHEN ?3 <> 0 THEN 'paused'"
                              "  WHEN state = 'paused' THEN 'connected' ELSE state END"
                              " WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, json, -1, SQLITE_TRANSIENT);
  omni_db_bind_int (stmt, 3, s->paused ? 1 : 0);
  return _omni_store_step_done (self, stmt, error);
}

/**
 * omni_store_save_channel_settings:
 * @queued: (out) (optional): how many pushes were queued
 *
 * Validates and saves a channel's sync settings in one transaction. When
 * the quantities it publishes may change (other rules or feeding locations,
 * or pushing turned back on), a push of every linked variant is queued in
 * the same transaction; while the channel is paused or pull-only those
 * entries wait. Nothing is written when a value is refused.
 *
 * Returns: %TRUE, or %FALSE with %OMNI_STORE_ERROR_INVALID (a value out of
 *   range, feeding locations on Shopify) or %OMNI_STORE_ERROR_NOT_FOUND
 */
gboolean
omni_store_save_channel_settings (OmniStore                 *self,
                                  gint64                     channel_id,
                                  const OmniChannelSettings *settings,
                                  gint64                    *queued,
                                  GError                   **error)
{
  g_auto(OmniChannelSettings) old = { 0 };
  g_autofree char *platform = NULL;
  g_autofree char *json = NULL;
  gint64 n = 0;
  gboolean requeue;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (settings != NULL && settings->locations != NULL, FALSE);

  if (queued != NULL)
    *queued = 0;
  if (!omni_channel_settings_validate (settings, error))
    return FALSE;
  if (!omni_store_begin (self, error))
    return FALSE;

  json = channel_settings_json (self, channel_id, &platform, error);
  if (json == NULL || !check_locations (self, platform, settings, error))
    goto fail;
  /* Unreadable stored settings are replaced whole: queue everything. */
  if (!omni_store_parse_channel_settings (self, json, &old, NULL))
    old.percent = -1;

  requeue = !omni_channel_settings_equal_rules (&old, settings) ||
            (!omni_channel_settings_pushes (&old) && omni_channel_settings_pushes (settings));
  if (!write_settings (self, channel_id, settings, error) ||
      (requeue && !queue_all (self, channel_id, &n, error)))
    goto fail;
  if (!omni_store_commit (self, error))
    return FALSE;
  if (queued != NULL)
    *queued = n;
  return TRUE;

fail:
  omni_store_rollback (self);
  return FALSE;
}

static char *
locations_json (const GArray *locations)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < locations->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (locations, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/**
 * _omni_store_channel_quantity:
 * @one_location: %TRUE for a channel that publishes each mapped location on
 *   its own (Shopify)
 * @location_id: the local location mapped to the remote one
 * @link_buffer: the link's own buffer, held back on top of the channel's
 *
 * What the channel publishes for a variant at the remote location mapped to
 * @location_id: the available stock there, or summed over the feeding
 * locations, through omni_channel_publish_quantity().
 */
gint64
_omni_store_channel_quantity (OmniStore                 *self,
                              const OmniChannelSettings *settings,
                              gboolean                   one_location,
                              gint64                     variant_id,
                              gint64                     location_id,
                              gint64                     link_buffer)
{
  g_autoptr(GArray) available = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *feed = NULL;
  OmniChannelSettings rules = *settings;
  OmniDbStmt *stmt;

  if (one_location || settings->locations->len == 0)
    {
      gint64 here = omni_store_get_available_at (self, variant_id, location_id);

      g_array_append_val (available, here);
    }
  else
    {
      feed = locations_json (settings->locations);
      stmt = _omni_store_prepare (self,
                                  "SELECT available FROM stock_levels WHERE variant_id = ?1"
                                  " AND location_id IN (SELECT value FROM json_each (?2))",
                                  NULL);
      if (stmt == NULL)
        return 0;
      omni_db_bind_int64 (stmt, 1, variant_id);
      omni_db_bind_text (stmt, 2, feed, -1, SQLITE_TRANSIENT);
      while (omni_db_step (stmt) == SQLITE_ROW)
        {
          gint64 value = omni_db_column_int64 (stmt, 0);

          g_array_append_val (available, value);
        }
      omni_db_reset (stmt);
    }

  rules.buffer = saturating_add (settings->buffer, MAX (link_buffer, 0));
  return omni_channel_publish_quantity ((const gint64 *)(gpointer)available->data,
                                        available->len, &rules);
}

/* Preview ----------------------------------------------------------------- */

void
omni_channel_preview_row_free (OmniChannelPreviewRow *row)
{
  if (row == NULL)
    return;
  g_free (row->sku);
  g_free (row->title);
  g_free (row->remote_location);
  g_free (row);
}

/**
 * omni_store_channel_preview:
 * @settings: (nullable): the rules to preview (unsaved ones); %NULL: the
 *   stored ones
 * @limit: at most this many rows; 0: all
 *
 * What the channel will list for each linked variant at each mapped remote
 * location, ordered by SKU, computed exactly as a push computes it.
 *
 * Returns: (transfer full) (element-type OmniChannelPreviewRow): the rows
 */
GPtrArray *
omni_store_channel_preview (OmniStore                 *self,
                            gint64                     channel_id,
                            const OmniChannelSettings *settings,
                            guint                      limit,
                            GError                   **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify)omni_channel_preview_row_free);
  g_auto(OmniChannelSettings) stored = { 0 };
  g_autofree char *platform = NULL;
  g_autofree char *json = NULL;
  g_autofree char *feed = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  json = channel_settings_json (self, channel_id, &platform, error);
  if (json == NULL)
    return NULL;
  if (settings == NULL)
    {
      if (!omni_store_parse_channel_settings (self, json, &stored, error))
        return NULL;
      settings = &stored;
    }
  if (!omni_channel_settings_validate (settings, error))
    return NULL;
  if (g_strcmp0 (platform, "shopify") != 0 && settings->locations->len > 0)
    feed = locations_json (settings->locations);

  stmt = _omni_store_prepare (self,
                              "SELECT l.variant_id, v.sku, p.title, cl.remote_name,"
                              " CASE WHEN CAST (?2 AS TEXT) IS NULL THEN coalesce (s.available, 0)"
                              "  ELSE (SELECT coalesce (sum (f.available), 0) FROM stock_levels f"
                              "   WHERE f.variant_id = l.variant_id"
                              "    AND f.location_id IN (SELECT value FROM json_each (?2))) END,"
                              " l.buffer"
                              " FROM channel_links l"
                              " JOIN variants v ON v.id = l.variant_id"
                              " JOIN products p ON p.id = v.product_id"
                              " JOIN channel_locations cl ON cl.channel_id = l.channel_id"
                              "  AND cl.active = 1 AND cl.location_id IS NOT NULL"
                              " LEFT JOIN stock_levels s ON s.variant_id = l.variant_id"
                              "  AND s.location_id = cl.location_id"
                              " WHERE l.channel_id = ?1 AND l.remote_inventory_id IS NOT NULL"
                              " ORDER BY v.sku, l.variant_id, cl.remote_name"
                              " LIMIT ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  _omni_store_bind_text_or_null (stmt, 2, feed);
  omni_db_bind_int64 (stmt, 3, limit > 0 ? (gint64)limit : G_MAXINT64);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniChannelPreviewRow *row = g_new0 (OmniChannelPreviewRow, 1);
      OmniChannelSettings rules = *settings;

      row->variant_id = omni_db_column_int64 (stmt, 0);
      row->sku = g_strdup ((const char *)omni_db_column_text (stmt, 1));
      row->title = g_strdup ((const char *)omni_db_column_text (stmt, 2));
      row->remote_location = g_strdup ((const char *)omni_db_column_text (stmt, 3));
      row->available = omni_db_column_int64 (stmt, 4);
      rules.buffer = saturating_add (settings->buffer, MAX (omni_db_column_int64 (stmt, 5), 0));
      row->listed = omni_channel_publish_quantity (&row->available, 1, &rules);
      g_ptr_array_add (rows, row);
    }
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not compute the channel preview");
      return NULL;
    }
  return g_steal_pointer (&rows);
}
