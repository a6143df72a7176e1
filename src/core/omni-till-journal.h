/* omni-till-journal.h: a till that keeps selling while the shared store's
 * server is out of reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_TYPE_TILL_JOURNAL (omni_till_journal_get_type ())
G_DECLARE_FINAL_TYPE (OmniTillJournal, omni_till_journal, OMNI, TILL_JOURNAL, GObject)

typedef enum
{
  OMNI_TILL_ENTRY_PENDING,
  OMNI_TILL_ENTRY_APPLIED,
  OMNI_TILL_ENTRY_CONFLICT,
  OMNI_TILL_ENTRY_DROPPED,
} OmniTillEntryState;

typedef enum
{
  OMNI_TILL_ENTRY_ADJUST,       /* a sale, return or other change to on hand */
  OMNI_TILL_ENTRY_COUNT_SCAN,   /* a scan added to a stock count */
  OMNI_TILL_ENTRY_COUNT_SET,    /* a count line's quantity corrected */
} OmniTillEntryKind;

/**
 * OmniTillEntry:
 * @operation: the operation id the movement carries to the server (unique)
 * @sku: the variant's SKU or barcode, as scanned
 * @location: the location's name; %NULL for the server's default
 * @quantity: the change to on hand (a sale of two is -2); for a count scan
 *   the units added, for a count correction the line's counted quantity
 * @kind: what the entry does on the server
 * @session_id: the stock count a count entry goes to, 0 for an adjustment
 */
typedef struct
{
  gint64              id;
  char               *operation;
  char               *sku;
  char               *location;
  gint64              quantity;
  char               *reason;
  char               *note;
  char               *actor;
  char               *created_at;
  OmniTillEntryState  state;
  char               *message;     /* why a conflict, or when applied */
  OmniTillEntryKind   kind;
  gint64              session_id;
} OmniTillEntry;

/**
 * OmniTillCount:
 * A stock count that was open on the server when this till last saw it:
 * where scans can go while the server is away.
 */
typedef struct
{
  gint64  session_id;
  char   *location;
  char   *scope;        /* all, vendor, type or tag */
  char   *scope_value;
  char   *started_at;
} OmniTillCount;

typedef struct
{
  guint applied;          /* sent now */
  guint already_there;    /* found on the server from an earlier, cut-off replay */
  guint conflicts;        /* refused by the server: listed for the owner */
  guint pending;          /* left for later (the server went away again) */
} OmniTillReplayResult;

void             omni_till_entry_free        (OmniTillEntry         *entry);
void             omni_till_count_free        (OmniTillCount         *count);

char            *omni_till_journal_path_for  (const char            *store_location);
OmniTillJournal *omni_till_journal_open      (const char            *store_location,
                                              GError               **error);
const char      *omni_till_journal_get_path  (OmniTillJournal       *self);

char            *omni_till_journal_record    (OmniTillJournal       *self,
                                              const char            *sku,
                                              const char            *location,
                                              gint64                 quantity,
                                              const char            *reason,
                                              const char            *note,
                                              const char            *actor,
                                              GError               **error);
char            *omni_till_journal_record_count (OmniTillJournal    *self,
                                                 gint64              session_id,
                                                 const char         *code,
                                                 gint64              quantity,
                                                 gboolean            set,
                                                 const char         *actor,
                                                 GError            **error);
gboolean         omni_till_journal_remember_counts (OmniTillJournal  *self,
                                                    OmniStore        *store,
                                                    GError          **error);
GPtrArray       *omni_till_journal_list_counts (OmniTillJournal     *self,
                                                GError             **error);
GPtrArray       *omni_till_journal_list      (OmniTillJournal       *self,
                                              int                    state,
                                              GError               **error);
gint64           omni_till_journal_count     (OmniTillJournal       *self,
                                              OmniTillEntryState     state);
gboolean         omni_till_journal_replay    (OmniTillJournal       *self,
                                              OmniStore             *store,
                                              OmniTillReplayResult  *result,
                                              GCancellable          *cancellable,
                                              GError               **error);
gboolean         omni_till_journal_resolve   (OmniTillJournal       *self,
                                              OmniStore             *store,
                                              gint64                 entry_id,
                                              gboolean               apply,
                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniTillEntry, omni_till_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniTillCount, omni_till_count_free)

G_END_DECLS
