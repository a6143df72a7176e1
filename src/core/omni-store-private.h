/* omni-store-private.h: helpers shared by the files that make up OmniStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "omni-db.h"

#include "omni-store.h"
#include "omni-store-inventory.h"

G_BEGIN_DECLS

OmniDbStmt *_omni_store_prepare          (OmniStore    *self,
                                            const char   *sql,
                                            GError      **error);
gboolean      _omni_store_exec             (OmniStore    *self,
                                            const char   *sql,
                                            GError      **error);
gboolean      _omni_store_step_done        (OmniStore    *self,
                                            OmniDbStmt *stmt,
                                            GError      **error);
gboolean      _omni_store_write_one        (OmniStore    *self,
                                            OmniDbStmt   *stmt,
                                            GError      **error);
/* Steps an `INSERT … RETURNING id`: the new id, 0 when no row was inserted
 * or on error (@error set). */
gint64        _omni_store_step_insert      (OmniStore    *self,
                                            OmniDbStmt   *stmt,
                                            GError      **error);
gboolean      _omni_store_begin_read       (OmniStore    *self);
void          _omni_store_end_read         (OmniStore    *self,
                                            gboolean      started);
void          _omni_store_set_error        (OmniStore    *self,
                                            GError      **error,
                                            int           rc,
                                            const char   *what);
OmniDb       *_omni_store_get_db           (OmniStore    *self);
/* The SQLite handle, or NULL on PostgreSQL: for what only SQLite has. */
sqlite3      *_omni_store_get_sqlite       (OmniStore    *self);
/* For the few statements whose SQL must differ between the backends. */
#define _omni_store_is_postgresql(self) (_omni_store_get_sqlite (self) == NULL)
gboolean      _omni_store_read_sqlite_header (sqlite3     *db,
                                              const char  *path,
                                              gboolean    *is_sqlite,
                                              GError     **error);
char         *_omni_store_format_time      (gint64        time_us);
const char   *_omni_store_default_actor    (void);
gboolean      _omni_store_require_variant  (OmniStore    *self,
                                            gint64        variant_id,
                                            GError      **error);

gboolean      _omni_store_require_product  (OmniStore    *self,
                                            gint64        product_id,
                                            GError      **error);
gboolean      _omni_store_validate_product (const OmniProductSpec *product,
                                            guint                 *n_options,
                                            GError               **error);
gboolean      _omni_store_validate_variant (const OmniVariantSpec *variant,
                                            guint                  index,
                                            guint                  n_options,
                                            GError               **error);
gboolean      _omni_store_reindex_variant  (OmniStore    *self,
                                            gint64        variant_id,
                                            GError      **error);
/* The search index (omni-store-search.c). On SQLite its rowid is a rank in
 * title order: below OMNI_SEARCH_RANK_TAIL in order, renumbered from
 * OMNI_SEARCH_RANK_BASE (room for titles that sort before the first)
 * OMNI_SEARCH_RANK_GAP apart; from OMNI_SEARCH_RANK_TAIL up, in no order. */
#define OMNI_SEARCH_RANK_BASE (G_GINT64_CONSTANT (1) << 40)
#define OMNI_SEARCH_RANK_GAP  G_GINT64_CONSTANT (1024)
#define OMNI_SEARCH_RANK_TAIL (G_GINT64_CONSTANT (1) << 62)

/* Beside it, on SQLite, search_digits (0010-search-digits.sql) holds under
 * the same rowid every run of OMNI_SEARCH_DIGIT_GRAM digits in the entry's
 * text (omni_digit_grams()). A term of that many digits or more can only
 * be in entries that hold each of its own: a few short doclists, in rank
 * order, and then the term itself is checked against the entry's text. */
#define OMNI_SEARCH_DIGIT_GRAM 6
/* The row of search_digits for search_index's row ?1: ?2 from
 * _omni_search_digit_grams(), written only when there is one (a single-row
 * VALUES: an INSERT … SELECT into FTS5 costs a statement journal a row). */
#define OMNI_SEARCH_DIGITS_INSERT \
  "INSERT INTO search_digits (rowid, grams) VALUES (?1, ?2)"

/* A variant's entry, every field folded by omni_text_fold() (title joined
 * with the option values). */
typedef struct
{
  const char *title;
  const char *sku;
  const char *barcode;
  const char *vendor;
  const char *tags;
} OmniSearchText;

gboolean      _omni_store_search_put       (OmniStore             *self,
                                            gint64                 variant_id,
                                            const OmniSearchText  *text,
                                            gboolean               is_new,
                                            gint64                 rank,
                                            GError               **error);
gboolean      _omni_store_search_forget_product (OmniStore  *self,
                                                 gint64      product_id,
                                                 GError    **error);
gint64        _omni_store_search_tail      (OmniStore    *self,
                                            gint64       *ranked,
                                            GError      **error);
gboolean      _omni_store_search_optimize  (OmniStore    *self,
                                            GError      **error);
char         *_omni_store_search_rank_sql  (const char   *variants);
gboolean      _omni_store_search_renumber  (OmniStore    *self,
                                            GError      **error);
gboolean      _omni_store_search_rebuild_digits (OmniStore  *self,
                                                 GError    **error);
gboolean      _omni_search_is_digit_term   (const char   *term);
char         *_omni_search_digit_query     (const char   *term);
char         *_omni_search_digit_grams     (const OmniSearchText *text);
int           _omni_search_register_functions (sqlite3   *db);
gint64        _omni_store_insert_variant   (OmniStore              *self,
                                            gint64                  product_id,
                                            guint                   position,
                                            const OmniProductSpec  *product,
                                            const OmniVariantSpec  *variant,
                                            GError                **error);
char         *_omni_store_variant_option   (OmniStore    *self,
                                            gint64        variant_id,
                                            guint         index);

void          _omni_pbkdf2_sha256          (const char   *password,
                                            const guint8 *salt,
                                            gsize         salt_len,
                                            guint         iterations,
                                            guint8        out[32]);
OmniMovement *_omni_movement_from_row       (OmniDbStmt *stmt);

/* Binds a UTF-8 string, or NULL when @value is NULL or empty. */
void          _omni_store_bind_text_or_null (OmniDbStmt *stmt,
                                             int           index,
                                             const char   *value);
void          _omni_store_bind_int_or_null  (OmniDbStmt *stmt,
                                             int           index,
                                             gint64        value);

/* omni-store-ledger.c: a write that PostgreSQL failed as a deadlock or a
 * serialization conflict runs again, up to this many tries in all. */
#define OMNI_STORE_WRITE_TRIES 5
gboolean      _omni_store_retry_busy           (OmniStore  *self,
                                                GError    **error,
                                                guint       attempt);
gboolean      _omni_store_append_movement      (OmniStore               *self,
                                                GHashTable              *seen,
                                                const OmniMovementSpec  *movement,
                                                GError                 **error);

/* omni-store-ledger.c: orders (committed stock, fulfilment, refunds) */
char         *_omni_store_order_line_operation (gint64      channel_id,
                                                const char *remote_id,
                                                const char *line_key);
char         *_omni_store_refund_operation     (gint64      channel_id,
                                                const char *order_remote_id);
gint64        _omni_store_order_line_committed (OmniStore  *self,
                                                const char *operation,
                                                GError    **error);
gboolean      _omni_store_mark_order_refunded  (OmniStore  *self,
                                                gint64      order_id,
                                                gint64      variant_id,
                                                gint64      quantity,
                                                GError    **error);

/* omni-store-ledger.c: bulk writes (an import of thousands of rows) */
gboolean      _omni_store_bulk_triggers_known     (OmniStore  *self);
gboolean      _omni_store_set_triggers_enabled    (OmniStore  *self,
                                                   gboolean    enabled,
                                                   GError    **error);
gboolean      _omni_store_bulk_apply_movements    (OmniStore  *self,
                                                   gint64      after,
                                                   GError    **error);
gboolean      _omni_store_bulk_refresh_aggregates (OmniStore  *self,
                                                   GError    **error);

/* "OMNI" in ASCII: PRAGMA application_id of every OmniStock database. */
#define _OMNI_STORE_APPLICATION_ID 0x4F4D4E49

/* omni-store-backup.c: the copy omni_store_open() makes before migrating. */
gboolean      _omni_store_backup_before_migration (OmniStore  *self,
                                                   int         target_version,
                                                   char      **backup_path,
                                                   GError    **error);

G_END_DECLS
