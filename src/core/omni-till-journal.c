/* omni-till-journal.c: a till that keeps selling while the shared store's
 * server is out of reach
 *
 * A till on a shared (PostgreSQL) store that cannot reach the server writes
 * each sale or adjustment into a journal of its own: a small SQLite file on
 * the till (one per store address), each entry with the operation id it
 * will carry to the server and the time it happened, committed with
 * synchronous=FULL so it survives a power cut. When the server is back,
 * omni_till_journal_replay() sends the entries in the order they were made:
 *
 * - an entry whose operation is already on the server (a replay cut off
 *   between the server's commit and the journal's) is only marked applied,
 *   so every entry reaches the ledger exactly once;
 * - the server's rules apply as for any sale: when the stock went too low
 *   meanwhile (another till sold the same units), or the SKU or location is
 *   unknown there, the entry becomes a conflict, listed for the owner, who
 *   applies it anyway (the goods are gone; stock goes negative and shows
 *   up for a recount) or drops it;
 * - a lost connection stops the replay; what is left stays pending.
 *
 * Count scans made offline are entries too (kind count-scan or count-set,
 * with the count's number): replayed in the same order through
 * omni_store_count_scan_offline(), which knows them by their operation id
 * and counts the shelf as it was at their time. A count closed meanwhile,
 * an archived location or an unknown code makes a conflict; applying one
 * sends it to its count if still open, else to the newest open count of
 * that location. The journal also notes which counts were open when the
 * server was last reached (omni_till_journal_remember_counts()), for a
 * till that must keep counting without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "omni-store-count.h"
#include "omni-store-inventory.h"
#include "omni-store-private.h"
#include "omni-text.h"
#include "omni-till-journal.h"

#define MAX_QUANTITY 1000000000

struct _OmniTillJournal
{
  GObject  parent_instance;

  char    *path;
  char    *store;     /* the redacted store address it belongs to */
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (OmniTillJournal, omni_till_journal, G_TYPE_OBJECT)

static const char * const state_names[] = { "pending", "applied", "conflict", "dropped" };

/* The journal's own schema, versioned in PRAGMA user_version. Version 1
 * (user_version 0) had adjustments only; version 2 adds count entries
 * (kind, session) and the counts this till last saw open. */
#define JOURNAL_VERSION 2

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS entries ("
  "  id         INTEGER PRIMARY KEY,"
  "  operation  TEXT NOT NULL UNIQUE,"
  "  kind       TEXT NOT NULL DEFAULT 'adjust'"
  "             CHECK (kind IN ('adjust', 'count-scan', 'count-set')),"
  "  session    INTEGER,"
  "  sku        TEXT NOT NULL CHECK (length (sku) BETWEEN 1 AND 200),"
  "  location   TEXT,"
  "  quantity   INTEGER NOT NULL,"
  "  reason     TEXT NOT NULL,"
  "  note       TEXT,"
  "  actor      TEXT NOT NULL,"
  "  created_us INTEGER NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  state      TEXT NOT NULL DEFAULT 'pending'"
  "             CHECK (state IN ('pending', 'applied', 'conflict', 'dropped')),"
  "  message    TEXT,"
  "  CHECK (CASE kind WHEN 'adjust' THEN quantity <> 0 AND session IS NULL"
  "                   WHEN 'count-scan' THEN quantity <> 0 AND session > 0"
  "                   ELSE quantity >= 0 AND session > 0 END)"
  ") STRICT;"
  "CREATE INDEX IF NOT EXISTS entries_state ON entries (state, id);"
  "CREATE TABLE IF NOT EXISTS journal (store TEXT NOT NULL) STRICT;"
  "CREATE TABLE IF NOT EXISTS counts ("
  "  session     INTEGER PRIMARY KEY,"
  "  location    TEXT NOT NULL,"
  "  scope       TEXT NOT NULL,"
  "  scope_value TEXT,"
  "  started_at  TEXT NOT NULL"
  ") STRICT;";

/* Version 1's entries, moved into version 2's table (SQLite cannot change
 * a table's CHECK in place). */
static const char upgrade_from_1_sql[] =
  "ALTER TABLE entries RENAME TO entries_v1;"
  "DROP INDEX IF EXISTS entries_state;";
static const char copy_from_1_sql[] =
  "INSERT INTO entries (id, operation, kind, session, sku, location, quantity, reason, note,"
  " actor, created_us, created_at, state, message)"
  " SELECT id, operation, 'adjust', NULL, sku, location, quantity, reason, note, actor,"
  " created_us, created_at, state, message FROM entries_v1;"
  "DROP TABLE entries_v1;";

static const char * const kind_names[] = { "adjust", "count-scan", "count-set" };

static void
omni_till_journal_finalize (GObject *object)
{
  OmniTillJournal *self = OMNI_TILL_JOURNAL (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->store);

  G_OBJECT_CLASS (omni_till_journal_parent_class)->finalize (object);
}

static void
omni_till_journal_class_init (OmniTillJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_till_journal_finalize;
}

static void
omni_till_journal_init (OmniTillJournal *self)
{
}

void
omni_till_entry_free (OmniTillEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->operation);
  g_free (entry->sku);
  g_free (entry->location);
  g_free (entry->reason);
  g_free (entry->note);
  g_free (entry->actor);
  g_free (entry->created_at);
  g_free (entry->message);
  g_free (entry);
}

static gboolean
journal_error (OmniTillJournal  *self,
               GError          **error,
               const char       *what)
{
  g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO, "%s (till journal “%s”): %s",
               what, self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

/**
 * omni_till_journal_path_for:
 * @store_location: a store address
 *
 * Returns: (transfer full): the journal file of that store on this till:
 *   `$OMNISTOCK_JOURNAL_DIR` or `$XDG_DATA_HOME/omnistock/journal`, named
 *   after a hash of the address without its password
 */
char *
omni_till_journal_path_for (const char *store_location)
{
  g_autofree char *redacted = omni_store_redact_location (store_location);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, redacted, -1);
  g_autofree char *name = g_strdup_printf ("till-%.16s.db", hash);
  const char *dir = g_getenv ("OMNISTOCK_JOURNAL_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, name, NULL);
  return g_build_filename (g_get_user_data_dir (), "omnistock", "journal", name, NULL);
}

static gint64
query_int (OmniTillJournal *self,
           const char      *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Creates the schema, or brings a journal of an earlier version up to date,
 * in one transaction (another program of this till may open it at once). */
static gboolean
prepare_schema (OmniTillJournal  *self,
                GError          **error)
{
  g_autofree char *set_version = NULL;
  gint64 version;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return journal_error (self, error, "Cannot prepare the till journal");
  version = query_int (self, "PRAGMA user_version");
  if (version == JOURNAL_VERSION)
    return sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ||
           journal_error (self, error, "Cannot prepare the till journal");
  if (version < 0 || version > JOURNAL_VERSION)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_TOO_NEW,
                   "The till journal “%s” was written by a newer version of OmniStock; "
                   "update OmniStock to send what it holds", self->path);
      return FALSE;
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %d;", JOURNAL_VERSION);
  if (query_int (self, "SELECT count(*) FROM sqlite_schema"
                       " WHERE type = 'table' AND name = 'entries'") > 0)
    {
      if (sqlite3_exec (self->db, upgrade_from_1_sql, NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (self->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (self->db, copy_from_1_sql, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    }
  else if (sqlite3_exec (self->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
    goto fail;
  if (sqlite3_exec (self->db, set_version, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    goto fail;
  return TRUE;

fail:
  journal_error (self, error, "Cannot prepare the till journal");
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/**
 * omni_till_journal_open:
 * @store_location: the shared store this till works on
 *
 * Opens (creating) this till's journal for @store_location. Needs no server.
 *
 * Returns: (transfer full): the journal, or %NULL with @error set
 */
OmniTillJournal *
omni_till_journal_open (const char  *store_location,
                        GError     **error)
{
  g_autoptr(OmniTillJournal) self = g_object_new (OMNI_TYPE_TILL_JOURNAL, NULL);
  g_autofree char *dir = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store_location != NULL, NULL);

  self->path = omni_till_journal_path_for (store_location);
  self->store = omni_store_redact_location (store_location);
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO,
                   "Cannot create the folder “%s” for the till journal: %s", dir,
                   g_strerror (saved));
      return NULL;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      journal_error (self, error, "Cannot open the till journal");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  /* A sale recorded here must survive a power cut, as the ledger would. */
  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                    NULL, NULL, NULL) != SQLITE_OK ||
      !prepare_schema (self, error))
    {
      if (error != NULL && *error == NULL)
        journal_error (self, error, "Cannot prepare the till journal");
      return NULL;
    }

  /* One journal belongs to one store: the name is a hash; this says which. */
  rc = sqlite3_prepare_v2 (self->db, "SELECT store FROM journal", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), self->store) != 0)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "The till journal “%s” belongs to another database (%s)", self->path,
                       (const char *)sqlite3_column_text (stmt, 0));
          sqlite3_finalize (stmt);
          return NULL;
        }
      sqlite3_finalize (stmt);
    }
  else
    {
      sqlite3_finalize (stmt);
      if (sqlite3_prepare_v2 (self->db, "INSERT INTO journal (store) VALUES (?1)", -1, &stmt,
                              NULL) != SQLITE_OK)
        {
          journal_error (self, error, "Cannot prepare the till journal");
          return NULL;
        }
      sqlite3_bind_text (stmt, 1, self->store, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          journal_error (self, error, "Cannot prepare the till journal");
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

const char *
omni_till_journal_get_path (OmniTillJournal *self)
{
  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), NULL);
  return self->path;
}

/**
 * omni_till_journal_record:
 * @sku: the variant's SKU or barcode
 * @location: (nullable): a location name; %NULL for the server's default
 * @quantity: the change to on hand (negative for a sale)
 * @reason: an OMNI_REASON_* name
 *
 * Records a change made while the server is unreachable, durably.
 *
 * Returns: (transfer full): the operation id it will carry, or %NULL with
 *   @error set (nothing recorded)
 */
char *
omni_till_journal_record (OmniTillJournal  *self,
                          const char       *sku,
                          const char       *location,
                          gint64            quantity,
                          const char       *reason,
                          const char       *note,
                          const char       *actor,
                          GError          **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *operation = g_strconcat ("till:", uuid, NULL);
  g_autofree char *created_at = NULL;
  gint64 now = g_get_real_time ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), NULL);

  if (!omni_text_check (sku, "SKU", 200, TRUE, error) ||
      (location != NULL && !omni_text_check (location, "Location", 120, TRUE, error)) ||
      (note != NULL && !omni_text_check (note, "Note", 1000, FALSE, error)))
    return NULL;
  if (quantity == 0 || quantity > MAX_QUANTITY || quantity < -MAX_QUANTITY)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A quantity is a change of 1 to %d units, not %" G_GINT64_FORMAT,
                   MAX_QUANTITY, quantity);
      return NULL;
    }

  created_at = _omni_store_format_time (now);
  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO entries (operation, sku, location, quantity, reason, note,"
                           " actor, created_us, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                           " ?8, ?9)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      journal_error (self, error, "Could not record the change");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, operation, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sku, -1, SQLITE_TRANSIENT);
  if (location != NULL)
    sqlite3_bind_text (stmt, 3, location, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, quantity);
  sqlite3_bind_text (stmt, 5, reason != NULL ? reason : OMNI_REASON_SOLD, -1, SQLITE_TRANSIENT);
  if (note != NULL)
    sqlite3_bind_text (stmt, 6, note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, actor != NULL ? actor : _omni_store_default_actor (), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_text (stmt, 9, created_at, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      journal_error (self, error, "Could not record the change");
      return NULL;
    }
  return g_steal_pointer (&operation);
}

/**
 * omni_till_journal_record_count:
 * @session_id: the stock count (its number on the server)
 * @code: the barcode or SKU, as scanned
 * @quantity: the units the scan adds (negative takes back); with @set, the
 *   line's counted quantity
 * @set: a correction of the line rather than a scan
 *
 * Records a count scan made while the server is unreachable, durably, with
 * the time it was made: sent later, it counts the shelf as it was then.
 *
 * Returns: (transfer full): the operation id it will carry, or %NULL with
 *   @error set (nothing recorded)
 */
char *
omni_till_journal_record_count (OmniTillJournal  *self,
                                gint64            session_id,
                                const char       *code,
                                gint64            quantity,
                                gboolean          set,
                                const char       *actor,
                                GError          **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *operation = g_strconcat ("till-count:", uuid, NULL);
  g_autofree char *trimmed = NULL;
  g_autofree char *created_at = NULL;
  gint64 now = g_get_real_time ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), NULL);

  if (!omni_text_check (code, "The scanned code", OMNI_COUNT_MAX_CODE, TRUE, error))
    return NULL;
  if (session_id <= 0)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "A stock count's number is 1 or more, not %" G_GINT64_FORMAT, session_id);
      return NULL;
    }
  if (set ? quantity < 0 || quantity > G_MAXINT32
          : quantity == 0 || ABS (quantity) > OMNI_COUNT_MAX_QUANTITY)
    {
      if (set)
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                     "A counted quantity must be zero or more, not %" G_GINT64_FORMAT, quantity);
      else
        g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                     "A scan adds from 1 to %d (or takes back as many), not %" G_GINT64_FORMAT,
                     OMNI_COUNT_MAX_QUANTITY, quantity);
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (code));
  created_at = _omni_store_format_time (now);
  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO entries (operation, kind, session, sku, quantity, reason,"
                           " actor, created_us, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                           " ?8, ?9)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      journal_error (self, error, "Could not record the scan");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, operation, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind_names[set ? OMNI_TILL_ENTRY_COUNT_SET
                                             : OMNI_TILL_ENTRY_COUNT_SCAN], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, session_id);
  sqlite3_bind_text (stmt, 4, trimmed, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, quantity);
  sqlite3_bind_text (stmt, 6, OMNI_REASON_COUNT, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, actor != NULL ? actor : _omni_store_default_actor (), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_text (stmt, 9, created_at, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      journal_error (self, error, "Could not record the scan");
      return NULL;
    }
  return g_steal_pointer (&operation);
}

void
omni_till_count_free (OmniTillCount *count)
{
  if (count == NULL)
    return;
  g_free (count->location);
  g_free (count->scope);
  g_free (count->scope_value);
  g_free (count->started_at);
  g_free (count);
}

/**
 * omni_till_journal_remember_counts:
 * @store: the shared store, reachable
 *
 * Notes the stock counts open on the server now, replacing what was noted:
 * while the server is away, omni_till_journal_list_counts() says where
 * count scans can go.
 */
gboolean
omni_till_journal_remember_counts (OmniTillJournal  *self,
                                   OmniStore        *store,
                                   GError          **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), FALSE);
  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);

  sessions = omni_store_count_list (store, TRUE, error);
  if (sessions == NULL)
    return FALSE;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE; DELETE FROM counts;", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "INSERT INTO counts (session, location, scope, scope_value,"
                                    " started_at) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      journal_error (self, error, "Could not note the open stock counts");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  for (guint i = 0; i < sessions->len && rc == SQLITE_DONE; i++)
    {
      const OmniCountSession *session = sessions->pdata[i];

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, session->id);
      sqlite3_bind_text (stmt, 2, session->location, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, session->scope_kind, -1, SQLITE_TRANSIENT);
      if (session->scope_value != NULL)
        sqlite3_bind_text (stmt, 4, session->scope_value, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_text (stmt, 5, session->started_at, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      journal_error (self, error, "Could not note the open stock counts");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_till_journal_list_counts:
 *
 * Returns: (transfer full) (element-type OmniTillCount): the stock counts
 *   open when this till last reached the server, newest first
 */
GPtrArray *
omni_till_journal_list_counts (OmniTillJournal  *self,
                               GError          **error)
{
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_till_count_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT session, location, scope, scope_value, started_at"
                                    " FROM counts ORDER BY session DESC", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      journal_error (self, error, "Could not read the till journal");
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OmniTillCount *count = g_new0 (OmniTillCount, 1);

      count->session_id = sqlite3_column_int64 (stmt, 0);
      count->location = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      count->scope = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      count->scope_value = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      count->started_at = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      g_ptr_array_add (counts, count);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      journal_error (self, error, "Could not read the till journal");
      return NULL;
    }
  return g_steal_pointer (&counts);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

#define ENTRY_COLUMNS \
  "id, operation, sku, location, quantity, reason, note, actor, created_at, state, message," \
  " created_us, kind, coalesce (session, 0)"

static OmniTillEntry *
entry_from_row (sqlite3_stmt *stmt,
                gint64       *created_us)
{
  OmniTillEntry *e = g_new0 (OmniTillEntry, 1);
  const char *state = (const char *)sqlite3_column_text (stmt, 9);
  const char *kind;

  e->id = sqlite3_column_int64 (stmt, 0);
  e->operation = column_dup (stmt, 1);
  e->sku = column_dup (stmt, 2);
  e->location = column_dup (stmt, 3);
  e->quantity = sqlite3_column_int64 (stmt, 4);
  e->reason = column_dup (stmt, 5);
  e->note = column_dup (stmt, 6);
  e->actor = column_dup (stmt, 7);
  e->created_at = column_dup (stmt, 8);
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (state, state_names[i]) == 0)
      e->state = (OmniTillEntryState)i;
  e->message = column_dup (stmt, 10);
  if (created_us != NULL)
    *created_us = sqlite3_column_int64 (stmt, 11);
  kind = (const char *)sqlite3_column_text (stmt, 12);
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind, kind_names[i]) == 0)
      e->kind = (OmniTillEntryKind)i;
  e->session_id = sqlite3_column_int64 (stmt, 13);
  return e;
}

/**
 * omni_till_journal_list:
 * @state: an #OmniTillEntryState, or -1 for every entry
 *
 * Returns: (transfer full) (element-type OmniTillEntry): oldest first
 */
GPtrArray *
omni_till_journal_list (OmniTillJournal  *self,
                        int               state,
                        GError          **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_till_entry_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), NULL);

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT " ENTRY_COLUMNS " FROM entries"
                           " WHERE ?1 IS NULL OR state = ?1 ORDER BY id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      journal_error (self, error, "Could not read the till journal");
      return NULL;
    }
  if (state >= 0 && state < (int)G_N_ELEMENTS (state_names))
    sqlite3_bind_text (stmt, 1, state_names[state], -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt, NULL));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      journal_error (self, error, "Could not read the till journal");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gint64
omni_till_journal_count (OmniTillJournal    *self,
                         OmniTillEntryState  state)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), 0);

  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM entries WHERE state = ?1", -1, &stmt,
                          NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, state_names[state], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
mark (OmniTillJournal     *self,
      gint64               id,
      OmniTillEntryState   state,
      const char          *message,
      GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "UPDATE entries SET state = ?2, message = ?3 WHERE id = ?1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, state_names[state], -1, SQLITE_STATIC);
      if (message != NULL)
        sqlite3_bind_text (stmt, 3, message, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return journal_error (self, error, "Could not update the till journal");
  return TRUE;
}

/* Whether the server's ledger already holds @operation. */
static int
operation_on_server (OmniStore   *store,
                     const char  *operation,
                     GError     **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (store,
                                          "SELECT 1 FROM movements WHERE operation = ?1 LIMIT 1",
                                          error);
  int rc;

  if (stmt == NULL)
    return -1;
  omni_db_bind_text (stmt, 1, operation, -1, SQLITE_TRANSIENT);
  rc = omni_db_step (stmt);
  omni_db_reset (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  _omni_store_set_error (store, error, rc, "Could not read the ledger");
  return -1;
}

/* The refusals that are about this entry, not about the connection. */
static gboolean
is_conflict (const GError *error)
{
  return error->domain == OMNI_STORE_ERROR &&
         (error->code == OMNI_STORE_ERROR_INVALID || error->code == OMNI_STORE_ERROR_NOT_FOUND ||
          error->code == OMNI_STORE_ERROR_CONFLICT);
}

static gboolean
resolve_ids (OmniStore            *store,
             const OmniTillEntry  *e,
             gint64               *variant_id,
             gint64               *location_id,
             GError              **error)
{
  *variant_id = omni_store_find_variant (store, e->sku, error);
  if (*variant_id == 0)
    return FALSE;
  *location_id = 0;
  if (e->location != NULL)
    {
      *location_id = omni_store_find_location (store, e->location, error);
      if (*location_id == 0)
        return FALSE;
    }
  return TRUE;
}

/* Sends a count entry to @session_id under @op_id. */
static gboolean
send_count_entry (OmniStore            *store,
                  const OmniTillEntry  *e,
                  gint64                created_us,
                  gint64                session_id,
                  const char           *op_id,
                  gboolean             *already,
                  GError              **error)
{
  g_autoptr(OmniCountLine) line = NULL;
  OmniCountScanOptions options = {
    .op_id = op_id, .time_us = created_us, .set = e->kind == OMNI_TILL_ENTRY_COUNT_SET,
  };
  GError *local_error = NULL;

  line = omni_store_count_scan_offline (store, session_id, e->sku, e->quantity, &options, already,
                                        &local_error);
  /* Added before and the line removed since: sent all the same. */
  if (line != NULL || *already)
    {
      g_clear_error (&local_error);
      return TRUE;
    }
  g_propagate_error (error, local_error);
  return FALSE;
}

/**
 * omni_till_journal_replay:
 * @store: the shared store, reachable again
 * @result: (out caller-allocates) (optional): what happened to the entries
 *
 * Sends the pending entries, oldest first, each exactly once. Returns
 * %FALSE, with @error set, only when the replay could not go on (the
 * connection failed again, the journal cannot be written): the entries not
 * sent stay pending. Conflicts are not errors: they are counted and kept.
 */
gboolean
omni_till_journal_replay (OmniTillJournal       *self,
                          OmniStore             *store,
                          OmniTillReplayResult  *result,
                          GCancellable          *cancellable,
                          GError               **error)
{
  OmniTillReplayResult local = { 0, };
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), FALSE);
  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT " ENTRY_COLUMNS " FROM entries WHERE state = 'pending'"
                           " AND id > ?1 ORDER BY id LIMIT 1", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return journal_error (self, error, "Could not read the till journal");

  for (gint64 last = 0; ok;)
    {
      g_autoptr(OmniTillEntry) e = NULL;
      g_autoptr(GError) refused = NULL;
      g_autofree char *done = NULL;
      OmniAdjustLine line = { 0, };
      OmniAdjustOptions options = { .mode = OMNI_ADJUST_DELTA, .source = "till" };
      gint64 created_us = 0;
      int there;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, last);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        break;
      if (rc != SQLITE_ROW)
        {
          ok = journal_error (self, error, "Could not read the till journal");
          break;
        }
      e = entry_from_row (stmt, &created_us);
      last = e->id;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }

      if (e->kind != OMNI_TILL_ENTRY_ADJUST)
        {
          gboolean already = FALSE;

          if (send_count_entry (store, e, created_us, e->session_id, e->operation, &already,
                                &refused))
            {
              ok = mark (self, e->id, OMNI_TILL_ENTRY_APPLIED,
                         already ? "already on the server" : NULL, error);
              if (already)
                local.already_there++;
              else
                local.applied++;
            }
          else if (is_conflict (refused))
            {
              ok = mark (self, e->id, OMNI_TILL_ENTRY_CONFLICT, refused->message, error);
              local.conflicts++;
            }
          else
            {
              g_propagate_error (error, g_steal_pointer (&refused));
              ok = FALSE;
            }
          continue;
        }

      there = operation_on_server (store, e->operation, error);
      if (there < 0)
        {
          ok = FALSE;
          break;
        }
      if (there == 1)
        {
          ok = mark (self, e->id, OMNI_TILL_ENTRY_APPLIED, "already on the server", error);
          local.already_there++;
          continue;
        }

      line.quantity = e->quantity;
      options.reason = e->reason;
      options.note = e->note;
      options.actor = e->actor;
      options.operation = e->operation;
      options.time_us = created_us;
      if (resolve_ids (store, e, &line.variant_id, &line.location_id, &refused))
        done = omni_store_adjust (store, &line, 1, &options, &refused);

      if (done != NULL)
        {
          ok = mark (self, e->id, OMNI_TILL_ENTRY_APPLIED, NULL, error);
          local.applied++;
        }
      else if (is_conflict (refused))
        {
          ok = mark (self, e->id, OMNI_TILL_ENTRY_CONFLICT, refused->message, error);
          local.conflicts++;
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&refused));
          ok = FALSE;
        }
    }
  sqlite3_finalize (stmt);

  /* Where count scans can go the next time the server is away. */
  if (ok)
    {
      g_autoptr(GError) unnoted = NULL;

      if (!omni_till_journal_remember_counts (self, store, &unnoted))
        g_debug ("The open stock counts were not noted: %s", unnoted->message);
    }

  local.pending = (guint)omni_till_journal_count (self, OMNI_TILL_ENTRY_PENDING);
  if (result != NULL)
    *result = local;
  return ok;
}

/* The open count a refused count entry goes to: its own when it is open
 * (the code was unknown, and is known now), else the newest open count of
 * the same location; 0 with @error set when there is none. */
static gint64
count_for_conflict (OmniStore            *store,
                    const OmniTillEntry  *e,
                    GError              **error)
{
  g_autoptr(OmniCountSession) original = NULL;
  g_autoptr(GPtrArray) open = NULL;

  original = omni_store_count_get (store, e->session_id, error);
  if (original == NULL)
    return 0;
  if (g_strcmp0 (original->state, "open") == 0)
    return original->id;
  open = omni_store_count_list (store, TRUE, error);
  if (open == NULL)
    return 0;
  for (guint i = 0; i < open->len; i++)
    {
      const OmniCountSession *session = open->pdata[i];

      if (session->location_id == original->location_id)
        return session->id;
    }
  g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
               "Stock count %" G_GINT64_FORMAT " is %s and no other count of “%s” is open; "
               "start one, then apply this scan again, or drop it", original->id,
               original->state, original->location);
  return 0;
}

/* Applying a refused count scan: into the count it belongs to, if it is
 * still open, else into the newest open count of the same location; it
 * still counts the shelf as it was when it was scanned. */
static gboolean
resolve_count (OmniTillJournal      *self,
               OmniStore            *store,
               const OmniTillEntry  *e,
               gint64                created_us,
               GError              **error)
{
  g_autofree char *op_id = NULL;
  g_autofree char *message = NULL;
  gboolean already = FALSE;
  gint64 target;

  target = count_for_conflict (store, e, error);
  if (target == 0)
    return FALSE;
  /* One operation per count it is applied to: a second try adds nothing. */
  op_id = g_strdup_printf ("%s:%" G_GINT64_FORMAT, e->operation, target);
  if (!send_count_entry (store, e, created_us, target, op_id, &already, error))
    return FALSE;
  message = g_strdup_printf ("applied by the owner to stock count %" G_GINT64_FORMAT, target);
  return mark (self, e->id, OMNI_TILL_ENTRY_APPLIED, message, error);
}

/**
 * omni_till_journal_resolve:
 * @entry_id: a conflict's id
 * @apply: %TRUE to record it on the server anyway (stock may go below
 *   zero: the goods are gone), %FALSE to drop it
 *
 * The owner's decision on a conflict.
 */
gboolean
omni_till_journal_resolve (OmniTillJournal  *self,
                           OmniStore        *store,
                           gint64            entry_id,
                           gboolean          apply,
                           GError          **error)
{
  g_autoptr(OmniTillEntry) e = NULL;
  g_autofree char *op_id = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 created_us = 0;
  OmniMovementSpec m = { 0, };
  int rc;

  g_return_val_if_fail (OMNI_IS_TILL_JOURNAL (self), FALSE);

  rc = sqlite3_prepare_v2 (self->db, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?1", -1,
                           &stmt, NULL);
  if (rc != SQLITE_OK)
    return journal_error (self, error, "Could not read the till journal");
  sqlite3_bind_int64 (stmt, 1, entry_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    e = entry_from_row (stmt, &created_us);
  sqlite3_finalize (stmt);
  if (e == NULL || e->state != OMNI_TILL_ENTRY_CONFLICT)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "The till journal has no conflict %" G_GINT64_FORMAT, entry_id);
      return FALSE;
    }

  if (!apply)
    return mark (self, e->id, OMNI_TILL_ENTRY_DROPPED, "dropped by the owner", error);

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  if (e->kind != OMNI_TILL_ENTRY_ADJUST)
    return resolve_count (self, store, e, created_us, error);
  if (!resolve_ids (store, e, &m.variant_id, &m.location_id, error))
    return FALSE;
  if (m.location_id == 0 && (m.location_id = omni_store_get_default_location (store, error)) == 0)
    return FALSE;
  /* The same op_id omni_store_adjust() would have used: applied once. */
  op_id = g_strconcat (e->operation, ":1", NULL);
  m.on_hand_delta = e->quantity;
  m.reason = e->reason;
  m.source = "till";
  m.note = e->note;
  m.actor = e->actor;
  m.op_id = op_id;
  m.operation = e->operation;
  m.time_us = created_us;
  if (!omni_store_record_movements (store, &m, 1, error))
    return FALSE;
  return mark (self, e->id, OMNI_TILL_ENTRY_APPLIED, "applied by the owner", error);
}
