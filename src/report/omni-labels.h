/* omni-labels.h: barcode labels for variants, laid out on sheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "omni-store-catalog.h"

G_BEGIN_DECLS

/* The most copies of one label a job prints, and the most labels in all. */
#define OMNI_LABELS_MAX_COPIES 500
#define OMNI_LABELS_MAX_LABELS 20000

#define OMNI_LABELS_ERROR (omni_labels_error_quark ())

/**
 * OmniLabelsError:
 * @OMNI_LABELS_ERROR_INVALID: a request that cannot be printed (no labels,
 *   copies out of range, a label with nothing to encode)
 * @OMNI_LABELS_ERROR_ENCODE: the barcode library refused a label's code
 * @OMNI_LABELS_ERROR_DRAW: Cairo could not draw or write the document
 */
typedef enum
{
  OMNI_LABELS_ERROR_INVALID,
  OMNI_LABELS_ERROR_ENCODE,
  OMNI_LABELS_ERROR_DRAW,
} OmniLabelsError;

/**
 * OmniLabelSheet:
 * @id: what the CLI and the settings call it: "a4-3x8"
 * @name: a name for people, marked with N_()
 *
 * A sheet of labels; every length is in millimetres. A thermal roll is a
 * sheet of one label.
 */
typedef struct
{
  const char *id;
  const char *name;
  double      paper_width;
  double      paper_height;
  guint       columns;
  guint       rows;
  double      label_width;
  double      label_height;
  double      margin_left;
  double      margin_top;
  double      pitch_x;       /* from one label's left edge to the next one's */
  double      pitch_y;       /* from one label's top edge to the next one's */
} OmniLabelSheet;

/**
 * OmniLabelSymbology:
 * @OMNI_LABEL_CODE128: the SKU (or a barcode that is no GTIN) as Code 128
 * @OMNI_LABEL_EAN13: a valid 13-digit EAN
 * @OMNI_LABEL_UPCA: a valid 12-digit UPC-A
 */
typedef enum
{
  OMNI_LABEL_CODE128,
  OMNI_LABEL_EAN13,
  OMNI_LABEL_UPCA,
} OmniLabelSymbology;

/**
 * OmniLabel:
 * @title: the product's title
 * @options: (nullable): "Red / M"
 * @price: (nullable): the price as it should read, already formatted
 * @sku: (nullable): the SKU
 * @barcode: (nullable): the GTIN or other code on the package
 *
 * What one label shows.
 */
typedef struct
{
  char *title;
  char *options;
  char *price;
  char *sku;
  char *barcode;
} OmniLabel;

/**
 * OmniLabelCount:
 * @OMNI_LABEL_COUNT_AUTO: the units received on the order, or the units
 *   ordered while nothing has arrived yet
 * @OMNI_LABEL_COUNT_RECEIVED: the units received on the order
 * @OMNI_LABEL_COUNT_ORDERED: the units ordered
 *
 * How many labels each line of a purchase order gets.
 */
typedef enum
{
  OMNI_LABEL_COUNT_AUTO,
  OMNI_LABEL_COUNT_RECEIVED,
  OMNI_LABEL_COUNT_ORDERED,
} OmniLabelCount;

/**
 * OmniLabelOrder:
 * @number: the order's number, "PO-00001"
 * @count: what @copies are: %OMNI_LABEL_COUNT_RECEIVED or
 *   %OMNI_LABEL_COUNT_ORDERED, never AUTO
 * @variant_ids: (element-type gint64): the variants of the lines with
 *   something to label, in the order's order
 * @copies: (element-type guint): the labels of each of @variant_ids
 *
 * The labels a purchase order calls for.
 */
typedef struct
{
  char           *number;
  OmniLabelCount  count;
  GArray         *variant_ids;
  GArray         *copies;
} OmniLabelOrder;

typedef struct _OmniLabelJob OmniLabelJob;

GQuark                omni_labels_error_quark     (void);

const OmniLabelSheet *omni_label_sheet_get_all    (guint                 *n_sheets);
const OmniLabelSheet *omni_label_sheet_lookup     (const char            *id);
guint                 omni_label_sheet_get_per_page (const OmniLabelSheet *sheet);

gboolean              omni_labels_is_gtin         (const char            *code);

OmniLabel            *omni_label_new              (const char            *title,
                                                   const char            *options,
                                                   const char            *price,
                                                   const char            *sku,
                                                   const char            *barcode);
OmniLabel            *omni_label_new_for_variant  (const OmniVariantRow  *row,
                                                   const char            *price);
void                  omni_label_free             (OmniLabel             *label);
OmniLabelSymbology    omni_label_get_symbology    (const OmniLabel       *label,
                                                   const char           **data);

OmniLabelOrder       *omni_label_order_read       (OmniStore             *store,
                                                   gint64                 po_id,
                                                   OmniLabelCount         count,
                                                   GError               **error);
void                  omni_label_order_free       (OmniLabelOrder        *order);

OmniLabelJob         *omni_label_job_new          (const OmniLabelSheet  *sheet,
                                                   GPtrArray             *labels,
                                                   guint                  copies,
                                                   GError               **error);
OmniLabelJob         *omni_label_job_new_with_copies (const OmniLabelSheet *sheet,
                                                   GPtrArray             *labels,
                                                   const guint           *copies,
                                                   GError               **error);
void                  omni_label_job_free         (OmniLabelJob          *job);
const OmniLabelSheet *omni_label_job_get_sheet    (OmniLabelJob          *job);
guint                 omni_label_job_get_n_labels (OmniLabelJob          *job);
guint                 omni_label_job_get_n_pages  (OmniLabelJob          *job);
void                  omni_label_job_draw_page    (OmniLabelJob          *job,
                                                   cairo_t               *cr,
                                                   guint                  page);
gboolean              omni_label_job_write_pdf    (OmniLabelJob          *job,
                                                   GOutputStream         *stream,
                                                   GCancellable          *cancellable,
                                                   GError               **error);
gboolean              omni_label_job_save_pdf     (OmniLabelJob          *job,
                                                   GFile                 *file,
                                                   GCancellable          *cancellable,
                                                   GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniLabel, omni_label_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniLabelJob, omni_label_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniLabelOrder, omni_label_order_free)

G_END_DECLS
