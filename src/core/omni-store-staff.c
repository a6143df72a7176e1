/* omni-store-staff.c: staff profiles that say who made each change
 *
 * The OS session is the login, as in other desktop finance tools; staff
 * profiles within it record who did what, and an owner's PIN guards the
 * settings that matter. A PIN is kept only as PBKDF2-HMAC-SHA256 with a
 * random salt: "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-private.h"
#include "omni-store-staff.h"
#include "omni-text.h"

#define PBKDF2_ITERATIONS 120000
#define SALT_BYTES        16
#define HASH_BYTES        32

/* PBKDF2 (RFC 8018) with HMAC-SHA256, one output block of 32 bytes. */
void
_omni_pbkdf2_sha256 (const char   *password,
                     const guint8 *salt,
                     gsize         salt_len,
                     guint         iterations,
                     guint8        out[32])
{
  g_autoptr(GHmac) first = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)password,
                                       strlen (password));
  guint8 block_index[4] = { 0, 0, 0, 1 };
  guint8 u[HASH_BYTES];
  gsize len = HASH_BYTES;

  g_hmac_update (first, salt, salt_len);
  g_hmac_update (first, block_index, sizeof block_index);
  g_hmac_get_digest (first, u, &len);
  memcpy (out, u, HASH_BYTES);

  for (guint i = 1; i < iterations; i++)
    {
      g_autoptr(GHmac) next = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)password,
                                          strlen (password));

      g_hmac_update (next, u, HASH_BYTES);
      len = HASH_BYTES;
      g_hmac_get_digest (next, u, &len);
      for (guint j = 0; j < HASH_BYTES; j++)
        out[j] ^= u[j];
    }
}

static char *
to_hex (const guint8 *bytes,
        gsize         n)
{
  GString *hex = g_string_sized_new (n * 2);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

static gboolean
from_hex (const char *hex,
          guint8     *out,
          gsize       n)
{
  if (strlen (hex) != n * 2)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8)(hi << 4 | lo);
    }
  return TRUE;
}

static gboolean
check_pin_format (const char  *pin,
                  GError     **error)
{
  gsize len = pin ? strlen (pin) : 0;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      len = 0;
  if (len < OMNI_STAFF_PIN_MIN || len > OMNI_STAFF_PIN_MAX)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A PIN is %d to %d digits", OMNI_STAFF_PIN_MIN, OMNI_STAFF_PIN_MAX);
      return FALSE;
    }
  return TRUE;
}

static char *
hash_pin (const char *pin)
{
  guint8 salt[SALT_BYTES];
  guint8 hash[HASH_BYTES];
  g_autofree char *salt_hex = NULL;
  g_autofree char *hash_hex = NULL;

  for (guint i = 0; i < SALT_BYTES; i++)
    salt[i] = (guint8)g_random_int_range (0, 256);
  _omni_pbkdf2_sha256 (pin, salt, SALT_BYTES, PBKDF2_ITERATIONS, hash);
  salt_hex = to_hex (salt, SALT_BYTES);
  hash_hex = to_hex (hash, HASH_BYTES);
  return g_strdup_printf ("pbkdf2-sha256$%u$%s$%s", PBKDF2_ITERATIONS, salt_hex, hash_hex);
}

/* Compares in constant time, so a wrong PIN takes as long as a near miss. */
static gboolean
verify_pin (const char *stored,
            const char *pin)
{
  g_auto(GStrv) parts = g_strsplit (stored, "$", 4);
  guint8 salt[SALT_BYTES], expected[HASH_BYTES], actual[HASH_BYTES];
  guint64 iterations;
  guint8 diff = 0;

  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], "pbkdf2-sha256") ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1000, 10000000, &iterations, NULL) ||
      !from_hex (parts[2], salt, SALT_BYTES) || !from_hex (parts[3], expected, HASH_BYTES))
    return FALSE;

  _omni_pbkdf2_sha256 (pin, salt, SALT_BYTES, (guint)iterations, actual);
  for (guint i = 0; i < HASH_BYTES; i++)
    diff |= expected[i] ^ actual[i];
  return diff == 0;
}

/**
 * omni_store_add_staff:
 * @role: "owner" or "staff"
 * @pin: (nullable): 4 to 12 digits, or %NULL for none
 *
 * Returns: the new profile's id, or 0 with @error set
 */
gint64
omni_store_add_staff (OmniStore   *self,
                      const char  *name,
                      const char  *role,
                      const char  *pin,
                      GError     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  g_autofree char *hash = NULL;
  GError *local_error = NULL;
  OmniDbStmt *stmt;
  gint64 id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (!omni_text_check (name, "Staff name", 120, TRUE, error))
    return 0;
  if (g_strcmp0 (role, "owner") != 0 && g_strcmp0 (role, "staff") != 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A role is owner or staff, not “%s”", role ? role : "");
      return 0;
    }
  if (pin != NULL && !check_pin_format (pin, error))
    return 0;
  hash = pin ? hash_pin (pin) : NULL;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO staff (name, role, pin_hash, created_at)"
                              " VALUES (?1, ?2, ?3, ?4) RETURNING id",
                              error);
  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 2, role, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 3, hash);
  omni_db_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  id = _omni_store_step_insert (self, stmt, &local_error);
  if (id == 0)
    {
      if (g_error_matches (local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT))
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "A staff profile named “%s” already exists", name);
        }
      g_propagate_error (error, local_error);
      return 0;
    }
  return id;
}

void
omni_staff_free (OmniStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->name);
  g_free (staff->role);
  g_free (staff);
}

/**
 * omni_store_list_staff:
 *
 * Returns: (transfer full) (element-type OmniStaff): active profiles, owners
 *   first
 */
GPtrArray *
omni_store_list_staff (OmniStore  *self,
                       GError    **error)
{
  g_autoptr(GPtrArray) staff = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT id, name, role, pin_hash IS NOT NULL FROM staff"
                              " WHERE archived = 0 ORDER BY role = 'staff', name",
                              error);
  if (stmt == NULL)
    return NULL;
  staff = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_staff_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      OmniStaff *s = g_new0 (OmniStaff, 1);

      s->id = omni_db_column_int64 (stmt, 0);
      s->name = g_strdup ((const char *)omni_db_column_text (stmt, 1));
      s->role = g_strdup ((const char *)omni_db_column_text (stmt, 2));
      s->has_pin = omni_db_column_int (stmt, 3) != 0;
      g_ptr_array_add (staff, s);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the staff");
      return NULL;
    }
  return g_steal_pointer (&staff);
}

/**
 * omni_store_check_pin:
 *
 * Returns: %TRUE when @pin is the profile's PIN, or the profile has none;
 *   %FALSE with %OMNI_STORE_ERROR_INVALID ("wrong PIN") otherwise
 */
gboolean
omni_store_check_pin (OmniStore   *self,
                      gint64       staff_id,
                      const char  *pin,
                      GError     **error)
{
  g_autofree char *stored = NULL;
  gboolean found = FALSE;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  stmt = _omni_store_prepare (self,
                              "SELECT pin_hash FROM staff WHERE id = ?1 AND archived = 0", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, staff_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      stored = g_strdup ((const char *)omni_db_column_text (stmt, 0));
    }
  omni_db_reset (stmt);

  if (!found)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Staff profile %" G_GINT64_FORMAT " does not exist", staff_id);
      return FALSE;
    }
  if (stored == NULL || (pin != NULL && verify_pin (stored, pin)))
    return TRUE;

  g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID, "Wrong PIN");
  return FALSE;
}

/**
 * omni_store_set_staff_pin:
 * @pin: (nullable): the new PIN, %NULL to remove it
 */
gboolean
omni_store_set_staff_pin (OmniStore   *self,
                          gint64       staff_id,
                          const char  *pin,
                          GError     **error)
{
  g_autofree char *hash = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (pin != NULL && !check_pin_format (pin, error))
    return FALSE;
  hash = pin ? hash_pin (pin) : NULL;

  stmt = _omni_store_prepare (self, "UPDATE staff SET pin_hash = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, staff_id);
  _omni_store_bind_text_or_null (stmt, 2, hash);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;
  if (omni_db_changes (_omni_store_get_db (self)) == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Staff profile %" G_GINT64_FORMAT " does not exist", staff_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
omni_store_archive_staff (OmniStore  *self,
                          gint64      staff_id,
                          GError    **error)
{
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  stmt = _omni_store_prepare (self, "UPDATE staff SET archived = 1 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, staff_id);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;
  if (omni_db_changes (_omni_store_get_db (self)) == 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Staff profile %" G_GINT64_FORMAT " does not exist", staff_id);
      return FALSE;
    }
  return TRUE;
}
