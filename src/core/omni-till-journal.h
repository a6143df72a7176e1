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

/**
 * OmniTillEntry:
 * @operation: the operation id the movement carries to the server (unique)
 * @sku: the variant's SKU or barcode, as scanned
 * @location: the location's name; %NULL for the server's default
 * @quantity: the change to on hand (a sale of two is -2)
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
} OmniTillEntry;

typedef struct
{
  guint applied;          /* sent now */
  guint already_there;    /* found on the server from an earlier, cut-off replay */
  guint conflicts;        /* refused by the server: listed for the owner */
  guint pending;          /* left for later (the server went away again) */
} OmniTillReplayResult;

void             omni_till_entry_free        (OmniTillEntry         *entry);

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

G_END_DECLS
