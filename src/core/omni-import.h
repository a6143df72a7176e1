/* omni-import.h: CSV import of products and stock (Shopify, WooCommerce, generic)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_IMPORT_ERROR (omni_import_error_quark ())

/**
 * OmniImportError:
 * @OMNI_IMPORT_ERROR_INVALID: the file has problems (listed in the result);
 *   nothing was written
 * @OMNI_IMPORT_ERROR_UNKNOWN_FORMAT: the header matches no known layout
 * @OMNI_IMPORT_ERROR_TOO_LARGE: the file is larger than the import accepts
 * @OMNI_IMPORT_ERROR_IO: the file cannot be opened or read
 * @OMNI_IMPORT_ERROR_CANCELLED: the import was cancelled; nothing was written
 * @OMNI_IMPORT_ERROR_MAPPING: a generic column mapping is malformed
 */
typedef enum
{
  OMNI_IMPORT_ERROR_INVALID,
  OMNI_IMPORT_ERROR_UNKNOWN_FORMAT,
  OMNI_IMPORT_ERROR_TOO_LARGE,
  OMNI_IMPORT_ERROR_IO,
  OMNI_IMPORT_ERROR_CANCELLED,
  OMNI_IMPORT_ERROR_MAPPING,
} OmniImportError;

typedef enum
{
  OMNI_IMPORT_FORMAT_AUTO,
  OMNI_IMPORT_FORMAT_SHOPIFY,
  OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY,
  OMNI_IMPORT_FORMAT_WOOCOMMERCE,
  OMNI_IMPORT_FORMAT_GENERIC,
} OmniImportFormat;

/* Defaults of the bounds in #OmniImportOptions. */
#define OMNI_IMPORT_MAX_FILE_BYTES  (G_GUINT64_CONSTANT (2) * 1024 * 1024 * 1024)
#define OMNI_IMPORT_MAX_ROWS        5000000
#define OMNI_IMPORT_MAX_FIELD_BYTES (256 * 1024)
#define OMNI_IMPORT_MAX_PROBLEMS    1000
/* Below this many rows, the row-by-row triggers cost less than the bulk
 * way's fixed work. */
#define OMNI_IMPORT_BULK_THRESHOLD  2000
/* The location created when the store has none and the file sets stock. */
#define OMNI_IMPORT_FIRST_LOCATION  "Shop"
/* The settings key where the generic column mapping is remembered. */
#define OMNI_IMPORT_MAPPING_SETTING "import.generic_mapping"

/**
 * OmniImportProgress:
 * @bytes_read: bytes of the file parsed so far
 * @total_bytes: the file's size
 * @rows: records read so far
 *
 * Called from the thread running the import, every few thousand rows.
 */
typedef void (*OmniImportProgress) (guint64  bytes_read,
                                    guint64  total_bytes,
                                    guint64  rows,
                                    gpointer user_data);

/**
 * OmniImportOptions:
 * @format: the layout; %OMNI_IMPORT_FORMAT_AUTO recognises it from the header
 * @location: (nullable): where quantities go; %NULL means the file's Location
 *   column, else the default location (created as "Shop" in an empty store)
 * @mapping: (nullable): for the generic layout, "Column=field" strings
 *   (%NULL-terminated); %NULL uses the remembered mapping, then the header's
 *   own names. Fields: omni_import_list_fields().
 * @dry_run: check and count everything, then roll back: a preview
 * @actor: (nullable): who, for the ledger; %NULL means the OS user
 * @max_file_bytes: 0 means %OMNI_IMPORT_MAX_FILE_BYTES
 * @max_rows: 0 means %OMNI_IMPORT_MAX_ROWS
 * @max_field_bytes: 0 means %OMNI_IMPORT_MAX_FIELD_BYTES
 * @max_problems: problems kept in the result (all are counted); 0 means
 *   %OMNI_IMPORT_MAX_PROBLEMS
 * @preview_rows: how many rows to describe in #OmniImportResult.preview
 * @skip_invalid_rows: import the valid rows and leave out the rows with
 *   errors (each row then is all or nothing on its own); problems of the
 *   file itself (its header, a broken record, too many rows) still refuse
 *   the whole import
 * @rejects_path: (nullable): with @skip_invalid_rows, where to write the
 *   left-out rows as CSV (the file's columns plus "Import problems"); only
 *   written when the import is applied
 * @progress: (nullable): progress callback
 * @bulk_threshold: from how many rows (estimated from the file size) a
 *   file that is also large against the catalog is written in bulk, with
 *   triggers off and their work redone once (the same end state); 0 means
 *   %OMNI_IMPORT_BULK_THRESHOLD, %G_MAXUINT64 never
 */
typedef struct
{
  OmniImportFormat     format;
  const char          *location;
  const char * const  *mapping;
  gboolean             dry_run;
  const char          *actor;
  guint64              max_file_bytes;
  guint64              max_rows;
  gsize                max_field_bytes;
  guint                max_problems;
  guint                preview_rows;
  gboolean             skip_invalid_rows;
  const char          *rejects_path;
  OmniImportProgress   progress;
  gpointer             progress_data;
  guint64              bulk_threshold;
} OmniImportOptions;

/**
 * OmniImportProblem:
 * @line: the physical line (1-based) where the record starts; 0 for the file
 * @column: (nullable): the header name of the column at fault
 * @message: what is wrong, without the position
 * @text: the full sentence: "Line 17, column Variant SKU: …"
 * @warning: %TRUE for a note that does not stop the import
 */
typedef struct
{
  guint64   line;
  char     *column;
  char     *message;
  char     *text;
  gboolean  warning;
} OmniImportProblem;

/**
 * OmniImportPreviewRow:
 *
 * One variant as the import will store it, for the preview table.
 */
typedef struct
{
  guint64    line;
  char      *handle;
  char      *title;
  char      *options;        /* "Red / M" */
  char      *sku;
  gint64     price;          /* minor units; -1 when the row keeps the stored one */
  gint64     quantity;       /* -1 when the row sets none */
  char      *action;         /* "new", "update", "unchanged", "stock" */
} OmniImportPreviewRow;

/**
 * OmniImportResult:
 *
 * What an import found and did. @applied is %TRUE only when it was written:
 * never for a dry run, and with errors only when skip_invalid_rows left
 * their rows out (@rows_rejected).
 */
typedef struct
{
  OmniImportFormat  format;
  char             *encoding;
  char              delimiter;
  char             *file_hash;          /* SHA-256, hex */
  char             *operation;          /* the ledger operation of its movements */
  guint64           rows;               /* data records read */
  guint64           skipped_rows;       /* image-only rows, grouped products */
  guint64           products_created;
  guint64           products_updated;
  guint64           products_unchanged;
  guint64           variants_created;
  guint64           variants_updated;
  guint64           variants_unchanged;
  guint64           quantity_changes;   /* movements written */
  gint64            units_delta;        /* their sum */
  guint64           quantities_already_applied;
  guint64           locations_created;
  guint64           rows_rejected;      /* left out by skip_invalid_rows */
  gboolean          file_error;         /* the header, a broken record, too many rows:
                                         * nothing can be imported, even skipping rows */
  guint64           n_errors;
  guint64           n_warnings;
  GPtrArray        *problems;           /* OmniImportProblem, in file order */
  GPtrArray        *preview;            /* OmniImportPreviewRow */
  gboolean          dry_run;
  gboolean          applied;
  gboolean          bulk;               /* written with triggers off, their work
                                         * redone once (see bulk_threshold) */
  gdouble           seconds;
} OmniImportResult;

GQuark             omni_import_error_quark       (void);

OmniImportResult  *omni_import_file              (OmniStore                *store,
                                                  const char               *path,
                                                  const OmniImportOptions  *options,
                                                  GCancellable             *cancellable,
                                                  GError                  **error);

OmniImportFormat   omni_import_detect_format     (const char * const       *header,
                                                  guint                     n_columns);
gboolean           omni_import_read_header       (const char               *path,
                                                  GStrv                    *header,
                                                  OmniImportFormat         *format,
                                                  GError                  **error);
const char        *omni_import_format_to_string  (OmniImportFormat          format);
gboolean           omni_import_format_from_string (const char              *text,
                                                  OmniImportFormat         *format);
const char * const *omni_import_list_fields      (void);
const char        *omni_import_guess_field       (const char               *column);

GStrv              omni_import_load_mapping      (OmniStore                *store);
gboolean           omni_import_save_mapping      (OmniStore                *store,
                                                  const char * const       *mapping,
                                                  GError                  **error);

void               omni_import_result_free       (OmniImportResult         *result);
void               omni_import_problem_free      (OmniImportProblem        *problem);
void               omni_import_preview_row_free  (OmniImportPreviewRow     *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniImportResult, omni_import_result_free)

G_END_DECLS
