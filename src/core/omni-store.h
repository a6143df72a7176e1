/* omni-store.h: the SQLite store, the only code that speaks SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-types.h"

G_BEGIN_DECLS

#define OMNI_TYPE_STORE (omni_store_get_type ())
G_DECLARE_FINAL_TYPE (OmniStore, omni_store, OMNI, STORE, GObject)

#define OMNI_STORE_ERROR (omni_store_error_quark ())

/**
 * OmniStoreError:
 * @OMNI_STORE_ERROR_FAILED: an unexpected SQLite failure; the message says which
 * @OMNI_STORE_ERROR_NOT_A_DATABASE: the file is not an OmniStock (SQLite) database
 * @OMNI_STORE_ERROR_CORRUPT: the database file is damaged
 * @OMNI_STORE_ERROR_TOO_NEW: written by a newer OmniStock; refused, left untouched
 * @OMNI_STORE_ERROR_IO: the file or its folder cannot be read or written
 * @OMNI_STORE_ERROR_BUSY: another program holds the database locked for too long
 * @OMNI_STORE_ERROR_INVALID: the caller's input breaks a rule; nothing was written
 * @OMNI_STORE_ERROR_NOT_FOUND: the named record does not exist
 * @OMNI_STORE_ERROR_CONFLICT: the write clashes with existing data (duplicate, stale)
 * @OMNI_STORE_ERROR_AUTH: the PostgreSQL server was reached but asks for a
 *   password none was given for, or refused the one given
 */
typedef enum
{
  OMNI_STORE_ERROR_FAILED,
  OMNI_STORE_ERROR_NOT_A_DATABASE,
  OMNI_STORE_ERROR_CORRUPT,
  OMNI_STORE_ERROR_TOO_NEW,
  OMNI_STORE_ERROR_IO,
  OMNI_STORE_ERROR_BUSY,
  OMNI_STORE_ERROR_INVALID,
  OMNI_STORE_ERROR_NOT_FOUND,
  OMNI_STORE_ERROR_CONFLICT,
  OMNI_STORE_ERROR_AUTH,
} OmniStoreError;

/**
 * OmniStoreStats:
 *
 * The figures `omnistock-cli stats` and the dashboard tiles show. Archived
 * products and variants are not counted; value is on hand × unit cost/price.
 */
typedef struct
{
  gint64    products;
  gint64    variants;
  gint64    locations;
  gint64    units_on_hand;
  OmniMoney stock_value;          /* at cost */
  OmniMoney retail_value;         /* at price */
  gint64    movements;
  gint64    orders;
  gint64    low_stock;            /* available > 0 and <= reorder point */
  gint64    out_of_stock;         /* available <= 0 */
  gint64    pending_outbox;
  char     *currency;             /* ISO 4217 */
} OmniStoreStats;

/**
 * OmniLedgerMismatch:
 *
 * One (variant, location) whose materialised level disagrees with the sum of
 * its movements, as found by omni_store_check_ledger(). With location_id 0
 * (location "all locations") it is the variant's stored total that disagrees
 * with the sum of its levels: level_* are the total, ledger_* the sum.
 * With variant_id 0 and location_id -1 it is a figure the store keeps for
 * the dashboard (@location names it): level_on_hand is the kept value,
 * ledger_on_hand the one recomputed from the rows.
 */
typedef struct
{
  gint64  variant_id;
  gint64  location_id;
  char   *sku;
  char   *location;
  gint64  level_on_hand;
  gint64  ledger_on_hand;
  gint64  level_committed;
  gint64  ledger_committed;
} OmniLedgerMismatch;

/* Where each kind of change comes from, and why stock moved. */
#define OMNI_REASON_RECEIVED   "received"
#define OMNI_REASON_SOLD       "sold"
#define OMNI_REASON_RETURNED   "returned"
#define OMNI_REASON_DAMAGED    "damaged"
#define OMNI_REASON_LOST       "lost"
#define OMNI_REASON_COUNT      "count"
#define OMNI_REASON_CORRECTION "correction"
#define OMNI_REASON_IMPORT     "import"
#define OMNI_REASON_SYNC       "sync"
#define OMNI_REASON_TRANSFER   "transfer"
#define OMNI_REASON_COMMITTED  "committed"
#define OMNI_REASON_RELEASED   "released"

/**
 * OmniMovementSpec:
 * @variant_id: the variant whose stock moves
 * @location_id: where
 * @on_hand_delta: change to on hand
 * @committed_delta: change to committed (reserved for unfulfilled orders)
 * @reason: one of the OMNI_REASON_* names
 * @source: what made the change ("app", "cli", "import", "count", "demo", "channel:ID")
 * @reference: optional external reference (order name, file, count session)
 * @note: optional free text
 * @actor: who; %NULL means the OS user name
 * @op_id: unique id that makes the change idempotent; %NULL generates a UUID
 * @operation: groups the movements of one action (a transfer's two legs, a
 *   batch) so it can be shown and undone as one; %NULL means the op_id
 * @time_us: UTC time in microseconds since the epoch; 0 means now
 *
 * One line of the append-only ledger. Levels follow in the same transaction.
 */
typedef struct
{
  gint64      variant_id;
  gint64      location_id;
  gint64      on_hand_delta;
  gint64      committed_delta;
  const char *reason;
  const char *source;
  const char *reference;
  const char *note;
  const char *actor;
  const char *op_id;
  gint64      time_us;
  const char *operation;
} OmniMovementSpec;

/**
 * OmniProductSpec:
 *
 * A product to create. Strings may be %NULL for empty; option_names holds up
 * to three option names (Size, Colour, …) with unused slots %NULL.
 */
typedef struct
{
  const char *handle;              /* %NULL: derived from the title */
  const char *title;
  const char *body;
  const char *vendor;
  const char *product_type;
  const char *tags;                /* comma separated */
  const char *status;              /* "active" (default), "draft", "archived" */
  const char *option_names[3];
} OmniProductSpec;

/**
 * OmniVariantSpec:
 *
 * A variant to create. Money is in minor units; -1 means "not set" for
 * compare_at_price, cost, reorder_point and reorder_qty.
 */
typedef struct
{
  const char *sku;
  const char *barcode;
  const char *options[3];
  OmniMoney   price;
  OmniMoney   compare_at_price;
  OmniMoney   cost;
  gint64      weight_grams;
  gint64      reorder_point;
  gint64      reorder_qty;
} OmniVariantSpec;

/**
 * OmniOrderLineSpec:
 * @track_fulfilment: %FALSE (the default) when the whole quantity has
 *   shipped; %TRUE when @fulfilled and @unfulfilled say how much did
 * @fulfilled: units shipped so far (with @track_fulfilment)
 * @unfulfilled: units still to ship, reserved as committed stock (with
 *   @track_fulfilment); units neither fulfilled nor unfulfilled were
 *   removed from the order
 *
 * One line of an order; variant_id 0 when the line matches no local variant.
 */
typedef struct
{
  gint64      variant_id;
  const char *sku;
  const char *title;
  gint64      quantity;
  OmniMoney   price;              /* unit price */
  gboolean    track_fulfilment;
  gint64      fulfilled;
  gint64      unfulfilled;
} OmniOrderLineSpec;

/**
 * OmniOrderSpec:
 *
 * An order as recorded locally. channel_id 0 is a sale made in the shop.
 * Recording an order with a remote_id already stored for that channel
 * returns the existing id and applies only what changed since: units
 * fulfilled since, and reservations released. Fulfilled units become `sold`
 * movements at location_id, unfulfilled ones `committed` movements.
 */
typedef struct
{
  gint64                   channel_id;
  const char              *remote_id;
  const char              *name;
  const char              *currency;
  gint64                   placed_us;
  gint64                   location_id;
  const OmniOrderLineSpec *lines;
  guint                    n_lines;
  const char              *actor;
} OmniOrderSpec;

GQuark          omni_store_error_quark          (void);

OmniStore      *omni_store_open                 (const char          *path,
                                                 GError             **error);
OmniStore      *omni_store_open_with_password   (const char          *path,
                                                 const char          *password,
                                                 GError             **error);
void            omni_store_remember_password    (const char          *uri,
                                                 const char          *password);
/* The address of a store as it may be shown and used as a keyring account:
 * a file path, or a PostgreSQL URI without its password. */
char           *omni_store_redact_location      (const char          *location);
/* Whether @location names a store on a server (PostgreSQL), shared by
 * several computers, rather than a file. */
gboolean        omni_store_location_is_shared   (const char          *location);
const char     *omni_store_get_path             (OmniStore           *self);
int             omni_store_get_schema_version   (OmniStore           *self);
int             omni_store_get_latest_schema_version (void);
char           *omni_store_default_path         (void);
char           *omni_store_resolve_path         (const char          *cli_path);

gboolean        omni_store_begin                (OmniStore           *self,
                                                 GError             **error);
gboolean        omni_store_commit               (OmniStore           *self,
                                                 GError             **error);
void            omni_store_rollback             (OmniStore           *self);

char           *omni_store_get_setting          (OmniStore           *self,
                                                 const char          *key);
gboolean        omni_store_set_setting          (OmniStore           *self,
                                                 const char          *key,
                                                 const char          *value,
                                                 GError             **error);

gboolean        omni_store_is_empty             (OmniStore           *self);
gboolean        omni_store_get_stats            (OmniStore           *self,
                                                 OmniStoreStats      *stats,
                                                 GError             **error);
void            omni_store_stats_clear          (OmniStoreStats      *stats);

gboolean        omni_store_integrity_check      (OmniStore           *self,
                                                 char               **report,
                                                 GError             **error);
GPtrArray      *omni_store_check_ledger         (OmniStore           *self,
                                                 GError             **error);
gint64          omni_store_count_levels         (OmniStore           *self);
void            omni_ledger_mismatch_free       (OmniLedgerMismatch  *mismatch);

gint64          omni_store_add_location         (OmniStore           *self,
                                                 const char          *name,
                                                 gboolean             is_default,
                                                 GError             **error);
gint64          omni_store_find_location        (OmniStore           *self,
                                                 const char          *name,
                                                 GError             **error);
gint64          omni_store_get_default_location (OmniStore           *self,
                                                 GError             **error);

gint64          omni_store_create_product       (OmniStore           *self,
                                                 const OmniProductSpec *product,
                                                 const OmniVariantSpec *variants,
                                                 guint                n_variants,
                                                 gint64              *variant_ids_out,
                                                 GError             **error);
gint64          omni_store_find_variant         (OmniStore           *self,
                                                 const char          *sku_or_barcode,
                                                 GError             **error);

gint64          omni_store_record_order         (OmniStore           *self,
                                                 const OmniOrderSpec *order,
                                                 GError             **error);

gboolean        omni_store_record_movements     (OmniStore           *self,
                                                 const OmniMovementSpec *movements,
                                                 guint                n_movements,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniLedgerMismatch, omni_ledger_mismatch_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OmniStoreStats, omni_store_stats_clear)

G_END_DECLS
