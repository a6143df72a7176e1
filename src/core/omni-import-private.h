/* omni-import-private.h: what omni-import.c and omni-import-rows.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-import.h"

G_BEGIN_DECLS

/* What a column holds, whatever the layout calls it. */
typedef enum
{
  F_HANDLE,
  F_TITLE,
  F_BODY,
  F_VENDOR,
  F_TYPE,
  F_TAGS,
  F_STATUS,
  F_PUBLISHED,
  F_OPT1_NAME,
  F_OPT1,
  F_OPT2_NAME,
  F_OPT2,
  F_OPT3_NAME,
  F_OPT3,
  F_SKU,
  F_BARCODE,
  F_PRICE,
  F_COMPARE_AT,
  F_COST,
  F_GRAMS,
  F_QUANTITY,
  F_LOCATION,
  F_AVAILABLE,
  F_IMAGE,
  F_WOO_ID,
  F_WOO_TYPE,
  F_WOO_PARENT,
  F_WOO_SALE,
  F_WOO_SHORT,
  F_WOO_ATTR1_NAME,
  F_WOO_ATTR1,
  F_WOO_ATTR2_NAME,
  F_WOO_ATTR2,
  F_WOO_ATTR3_NAME,
  F_WOO_ATTR3,
  N_FIELDS
} ImportField;

/* The product rows are being written to. id 0 means it could not be made:
 * its variant rows are still checked but not written. */
typedef struct
{
  gint64    id;
  guint64   line;
  char     *handle;
  char     *title;
  gboolean  archived;
  gboolean  created;
  gboolean  options_known;   /* WooCommerce decides at the first variation */
  guint     n_options;
  char     *option_names[3];
  char     *attr_names[3];   /* WooCommerce: the parent's attributes */
  guint     next_position;   /* 0: not looked up yet */
  gboolean  has_variants;
  GHashTable *option_keys;   /* created products: "o1\x1fo2\x1fo3" → line */
} ImportProduct;

typedef struct
{
  OmniStore                *store;
  const OmniImportOptions  *options;
  GHashTable               *statements;   /* SQL literal (by address) → statement */
  OmniImportResult         *result;
  GError                   *db_error;     /* a database failure stops the run */

  char                    **header;
  guint                     n_header;
  int                       columns[N_FIELDS];
  double                    weight_factor;

  const char * const       *fields;
  guint                     n_fields;
  guint64                   line;
  gboolean                  row_failed;
  gboolean                  fatal;            /* a problem of the file, not of a row */
  struct _OmniCsvWriter    *rejects;
  GOutputStream            *rejects_stream;
  gboolean                  rejects_closed;

  guint64                   max_rows;
  guint                     max_problems;
  guint64                   file_size;
  char                     *file_name;
  char                     *hash16;
  char                     *currency;
  char                     *now;
  gint64                    max_variant_id;   /* before the import: later ids are new */
  guint64                   bulk_threshold;   /* rows from which the bulk way pays */
  gboolean                  bulk;             /* triggers are off: see choose_bulk() */

  ImportProduct             product;          /* current Shopify/generic group */
  char                     *location_name;    /* cache of the last location looked up */
  gint64                    location_id;

  GHashTable               *woo_parents;      /* "sku:X" / "id:N" → ImportProduct* */
  GPtrArray                *woo_parent_list;  /* owns them */
} ImportRun;

void      _omni_import_add_problem      (ImportRun   *im,
                                         guint64      line,
                                         const char  *column,
                                         gboolean     warning,
                                         const char  *format,
                                         ...) G_GNUC_PRINTF (5, 6);
const char *_omni_import_column_name    (ImportRun   *im,
                                         ImportField  field);
gboolean  _omni_import_has              (ImportRun   *im,
                                         ImportField  field);
char     *_omni_import_get              (ImportRun   *im,
                                         ImportField  field);
gboolean  _omni_import_check_text       (ImportRun   *im,
                                         ImportField  field,
                                         const char  *value,
                                         const char  *label,
                                         gsize        max_bytes);
gboolean  _omni_import_get_money        (ImportRun   *im,
                                         ImportField  field,
                                         gint64      *out);
gboolean  _omni_import_get_quantity     (ImportRun   *im,
                                         ImportField  field,
                                         gint64      *out);
gboolean  _omni_import_get_grams        (ImportRun   *im,
                                         ImportField  field,
                                         double       grams_per_unit,
                                         gint64      *out);
char     *_omni_import_get_barcode      (ImportRun   *im,
                                         ImportField  field);

void      _omni_import_product_clear    (ImportProduct *product);
gboolean  _omni_import_load_state       (ImportRun     *im,
                                         GError       **error);
void      _omni_import_catalog_row      (ImportRun     *im);
void      _omni_import_inventory_row    (ImportRun     *im);
void      _omni_import_woo_row          (ImportRun     *im);
gboolean  _omni_import_finish_rows      (ImportRun     *im,
                                         GError       **error);
gboolean  _omni_import_write_movements  (ImportRun     *im,
                                         gboolean       write,
                                         GError       **error);
gboolean  _omni_import_write_search_index (ImportRun    *im,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
