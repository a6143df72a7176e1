/* omni-labels.c: barcode labels for variants, laid out on sheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A label shows the product's title, its options, the price and the SKU,
 * over a barcode: the variant's GTIN as EAN-13 or UPC-A when it is a valid
 * one, otherwise the SKU as Code 128. libzint encodes the symbol and lays it
 * out as vector shapes (bars as rectangles, the digits under them as
 * strings); Cairo draws those shapes, so the bars stay sharp on a PDF and on
 * any printer's resolution. A job encodes every label once, then draws any
 * page on any Cairo context in points: a PDF surface for the CLI, the
 * context GtkPrintOperation hands the window, an image surface for tests.
 */
#define G_LOG_DOMAIN "omni-labels"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <zint.h>

#include "omni-labels.h"
#include "omni-store-purchasing.h"

#define POINTS_PER_MM (72.0 / 25.4)

G_DEFINE_QUARK (omni-labels-error-quark, omni_labels_error)

/* Avery L7159 (A4, 63.5 × 33.9 mm), Avery 5160 (US Letter, 2⅝ × 1 in) and a
 * 57 × 32 mm thermal roll label. */
static const OmniLabelSheet sheets[] = {
  { "a4-3x8", N_("A4, 3 × 8 labels (63.5 × 33.9 mm)"),
    210.0, 297.0, 3, 8, 63.5, 33.9, 7.25, 12.9, 66.0, 33.9 },
  { "letter-3x10", N_("US Letter, 3 × 10 labels (2⅝ × 1 in)"),
    215.9, 279.4, 3, 10, 66.675, 25.4, 4.7625, 12.7, 69.85, 25.4 },
  { "thermal-57x32", N_("Thermal roll, 57 × 32 mm"),
    57.0, 32.0, 1, 1, 57.0, 32.0, 0.0, 0.0, 57.0, 32.0 },
};

/**
 * omni_label_sheet_get_all:
 * @n_sheets: (out): how many there are
 *
 * Returns: (array length=n_sheets): the sheets labels can be printed on
 */
const OmniLabelSheet *
omni_label_sheet_get_all (guint *n_sheets)
{
  g_return_val_if_fail (n_sheets != NULL, NULL);

  *n_sheets = G_N_ELEMENTS (sheets);
  return sheets;
}

/**
 * omni_label_sheet_lookup:
 * @id: (nullable): "a4-3x8", "letter-3x10" or "thermal-57x32"
 *
 * Returns: (nullable): the sheet, or %NULL for an unknown id
 */
const OmniLabelSheet *
omni_label_sheet_lookup (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sheets); i++)
    if (g_str_equal (sheets[i].id, id))
      return &sheets[i];

  return NULL;
}

guint
omni_label_sheet_get_per_page (const OmniLabelSheet *sheet)
{
  g_return_val_if_fail (sheet != NULL, 0);

  return sheet->columns * sheet->rows;
}

/**
 * omni_labels_is_gtin:
 * @code: (nullable): a code as printed on a package
 *
 * Whether @code is 12 digits (UPC-A) or 13 digits (EAN-13) whose last
 * digit is the GS1 check digit of the others.
 */
gboolean
omni_labels_is_gtin (const char *code)
{
  gsize length;
  guint sum = 0;

  if (code == NULL)
    return FALSE;
  length = strlen (code);
  if (length != 12 && length != 13)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (code[i]))
      return FALSE;

  /* From the right, leaving out the check digit: weights 3, 1, 3, … */
  for (gsize i = 0; i + 1 < length; i++)
    {
      guint digit = code[length - 2 - i] - '0';

      sum += i % 2 == 0 ? 3 * digit : digit;
    }

  return (10 - sum % 10) % 10 == (guint) (code[length - 1] - '0');
}

static char *
dup_stripped (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  return g_strstrip (g_strdup (text));
}

/**
 * omni_label_new:
 * @title: the product's title
 * @options: (nullable): the variant's options
 * @price: (nullable): the price as it should read
 * @sku: (nullable): the SKU
 * @barcode: (nullable): the code on the package
 *
 * Returns: (transfer full): a label; surrounding spaces are dropped
 */
OmniLabel *
omni_label_new (const char *title,
                const char *options,
                const char *price,
                const char *sku,
                const char *barcode)
{
  OmniLabel *label = g_new0 (OmniLabel, 1);

  label->title = dup_stripped (title);
  label->options = dup_stripped (options);
  label->price = dup_stripped (price);
  label->sku = dup_stripped (sku);
  label->barcode = dup_stripped (barcode);

  return label;
}

/**
 * omni_label_new_for_variant:
 * @row: the variant
 * @price: (nullable): its price, formatted the way the caller shows money
 *
 * Returns: (transfer full): the variant's label
 */
OmniLabel *
omni_label_new_for_variant (const OmniVariantRow *row,
                            const char           *price)
{
  g_return_val_if_fail (row != NULL, NULL);

  return omni_label_new (row->title, row->options, price, row->sku, row->barcode);
}

void
omni_label_free (OmniLabel *label)
{
  if (label == NULL)
    return;

  g_free (label->title);
  g_free (label->options);
  g_free (label->price);
  g_free (label->sku);
  g_free (label->barcode);
  g_free (label);
}

/**
 * omni_label_get_symbology:
 * @data: (out) (optional): the text the symbol encodes (owned by @label)
 *
 * A valid GTIN is printed as what it is, so a till scanning the label reads
 * the same code as on the package; anything else as Code 128 of the SKU, or
 * of the barcode for a variant without a SKU. @data is "" when the label
 * has nothing to encode.
 */
OmniLabelSymbology
omni_label_get_symbology (const OmniLabel  *label,
                          const char      **data)
{
  const char *unused;

  g_return_val_if_fail (label != NULL, OMNI_LABEL_CODE128);

  if (data == NULL)
    data = &unused;

  if (omni_labels_is_gtin (label->barcode))
    {
      *data = label->barcode;
      return strlen (label->barcode) == 13 ? OMNI_LABEL_EAN13 : OMNI_LABEL_UPCA;
    }

  *data = label->sku[0] != '\0' ? label->sku : label->barcode;
  return OMNI_LABEL_CODE128;
}

/* The job ------------------------------------------------------------------ */

typedef struct
{
  float x, y, width, height;
} Bar;

typedef struct
{
  float  x, y, size;
  int    halign;      /* 0 centre, 1 left, 2 right */
  char  *text;
} Digits;

/* A symbol as zint laid it out, in zint's units. */
typedef struct
{
  OmniLabelSymbology symbology;
  float              width;
  float              height;
  GArray            *bars;      /* Bar */
  GArray            *digits;    /* Digits */
} Symbol;

struct _OmniLabelJob
{
  const OmniLabelSheet *sheet;
  GPtrArray            *labels;    /* OmniLabel */
  GPtrArray            *symbols;   /* Symbol, one per label */
  guint                *ends;      /* per label: the labels placed up to and with its copies */
};

static void
digits_clear (Digits *digits)
{
  g_free (digits->text);
}

static void
symbol_free (Symbol *symbol)
{
  g_array_unref (symbol->bars);
  g_array_unref (symbol->digits);
  g_free (symbol);
}

static const char *
symbology_name (OmniLabelSymbology symbology)
{
  switch (symbology)
    {
    case OMNI_LABEL_EAN13:
      return "EAN-13";
    case OMNI_LABEL_UPCA:
      return "UPC-A";
    case OMNI_LABEL_CODE128:
    default:
      return "Code 128";
    }
}

static Symbol *
encode_label (const OmniLabel  *label,
              GError          **error)
{
  const char *data = NULL;
  OmniLabelSymbology symbology = omni_label_get_symbology (label, &data);
  struct zint_symbol *zs;
  g_autofree char *input = NULL;
  Symbol *symbol;
  int status;

  if (data[0] == '\0')
    {
      g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID,
                   _("“%s” has neither a SKU nor a barcode to print"), label->title);
      return NULL;
    }

  zs = ZBarcode_Create ();
  if (zs == NULL)
    {
      g_set_error_literal (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_ENCODE,
                           _("The barcode library is out of memory"));
      return NULL;
    }
  zs->input_mode = UNICODE_MODE;
  zs->output_options |= BARCODE_QUIET_ZONES;
  switch (symbology)
    {
    case OMNI_LABEL_EAN13:
      /* zint adds the check digit, verified above. */
      zs->symbology = BARCODE_EANX;
      input = g_strndup (data, 12);
      break;
    case OMNI_LABEL_UPCA:
      zs->symbology = BARCODE_UPCA;
      input = g_strndup (data, 11);
      break;
    case OMNI_LABEL_CODE128:
    default:
      zs->symbology = BARCODE_CODE128;
      input = g_strdup (data);
      break;
    }

  status = ZBarcode_Encode (zs, (const unsigned char *) input, (int) strlen (input));
  if (status < ZINT_ERROR)
    status = ZBarcode_Buffer_Vector (zs, 0);
  if (status >= ZINT_ERROR || zs->vector == NULL)
    {
      g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_ENCODE,
                   _("“%s” cannot be printed as a %s barcode: %s"),
                   data, symbology_name (symbology), zs->errtxt);
      ZBarcode_Delete (zs);
      return NULL;
    }

  symbol = g_new0 (Symbol, 1);
  symbol->symbology = symbology;
  symbol->width = zs->vector->width;
  symbol->height = zs->vector->height;
  symbol->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  symbol->digits = g_array_new (FALSE, FALSE, sizeof (Digits));
  g_array_set_clear_func (symbol->digits, (GDestroyNotify) digits_clear);

  for (struct zint_vector_rect *r = zs->vector->rectangles; r != NULL; r = r->next)
    {
      /* -1 is the foreground; 8 is white, drawn as paper. */
      Bar bar = { r->x, r->y, r->width, r->height };

      if (r->colour != 8)
        g_array_append_val (symbol->bars, bar);
    }
  for (struct zint_vector_string *s = zs->vector->strings; s != NULL; s = s->next)
    {
      Digits digits = { s->x, s->y, s->fsize, s->halign,
                        g_strndup ((const char *) s->text, s->length) };

      g_array_append_val (symbol->digits, digits);
    }

  ZBarcode_Delete (zs);
  return symbol;
}

/* Purchase orders ----------------------------------------------------------- */

/**
 * omni_label_order_read:
 * @po_id: the purchase order
 * @count: what each line's copies are
 *
 * Reads which variants of a purchase order to label and how many labels
 * each gets, for `labels --po` and Print Labels… in the purchasing window.
 * Lines with nothing to count are left out. Fails when the order does not
 * exist or no line has anything to label (nothing received yet when
 * @count is %OMNI_LABEL_COUNT_RECEIVED).
 *
 * Returns: (transfer full) (nullable): what to label, or %NULL with @error
 *   set
 */
OmniLabelOrder *
omni_label_order_read (OmniStore       *store,
                       gint64           po_id,
                       OmniLabelCount   count,
                       GError         **error)
{
  g_autoptr(OmniPurchaseOrder) po = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(OmniLabelOrder) order = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  po = omni_store_get_purchase_order (store, po_id, error);
  if (po == NULL)
    return NULL;
  lines = omni_store_get_purchase_lines (store, po_id, error);
  if (lines == NULL)
    return NULL;

  order = g_new0 (OmniLabelOrder, 1);
  order->number = g_strdup (po->number);
  if (count == OMNI_LABEL_COUNT_AUTO)
    count = po->units_received > 0 ? OMNI_LABEL_COUNT_RECEIVED : OMNI_LABEL_COUNT_ORDERED;
  order->count = count;
  order->variant_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), lines->len);
  order->copies = g_array_sized_new (FALSE, FALSE, sizeof (guint), lines->len);

  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);
      gint64 units = count == OMNI_LABEL_COUNT_RECEIVED ? line->received : line->quantity;
      guint copies;

      if (units <= 0)
        continue;
      copies = (guint) MIN (units, (gint64) G_MAXUINT);
      g_array_append_val (order->variant_ids, line->variant_id);
      g_array_append_val (order->copies, copies);
    }

  if (order->variant_ids->len == 0)
    {
      if (count == OMNI_LABEL_COUNT_RECEIVED)
        g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID,
                     _("Nothing has been received on %s yet; label what was ordered instead"),
                     po->number);
      else
        g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID,
                     _("%s has no units to label"), po->number);
      return NULL;
    }

  return g_steal_pointer (&order);
}

void
omni_label_order_free (OmniLabelOrder *order)
{
  if (order == NULL)
    return;

  g_free (order->number);
  g_clear_pointer (&order->variant_ids, g_array_unref);
  g_clear_pointer (&order->copies, g_array_unref);
  g_free (order);
}

static OmniLabelJob *
job_new (const OmniLabelSheet  *sheet,
         GPtrArray             *labels,
         const guint           *copies,
         guint                  uniform,
         GError               **error)
{
  g_autoptr(OmniLabelJob) job = NULL;
  guint64 total = 0;

  if (labels->len == 0)
    {
      g_set_error_literal (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID,
                           _("There are no labels to print"));
      return NULL;
    }
  for (guint i = 0; i < labels->len; i++)
    {
      guint n = copies != NULL ? copies[i] : uniform;

      if (n == 0 || n > OMNI_LABELS_MAX_COPIES)
        {
          g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID,
                       _("Print between 1 and %u copies of each label, not %u"),
                       OMNI_LABELS_MAX_COPIES, n);
          return NULL;
        }
      total += n;
    }
  if (total > OMNI_LABELS_MAX_LABELS)
    {
      if (copies == NULL)
        g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID,
                     _("%u copies of %u labels is more than the %u labels one job prints"),
                     uniform, labels->len, OMNI_LABELS_MAX_LABELS);
      else
        g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_INVALID,
                     _("%" PRIu64 " labels is more than the %u labels one job prints"),
                     (guint64) total, OMNI_LABELS_MAX_LABELS);
      return NULL;
    }

  job = g_new0 (OmniLabelJob, 1);
  job->sheet = sheet;
  job->labels = g_ptr_array_ref (labels);
  job->ends = g_new (guint, labels->len);
  total = 0;
  for (guint i = 0; i < labels->len; i++)
    {
      total += copies != NULL ? copies[i] : uniform;
      job->ends[i] = (guint) total;
    }
  job->symbols = g_ptr_array_new_full (labels->len, (GDestroyNotify) symbol_free);

  for (guint i = 0; i < labels->len; i++)
    {
      Symbol *symbol = encode_label (g_ptr_array_index (labels, i), error);

      if (symbol == NULL)
        return NULL;
      g_ptr_array_add (job->symbols, symbol);
    }

  return g_steal_pointer (&job);
}

/**
 * omni_label_job_new:
 * @sheet: what the labels are printed on
 * @labels: (element-type OmniLabel): the labels, in order; the job keeps a
 *   reference
 * @copies: how many of each label, one after another
 *
 * Encodes every label's barcode. Fails, drawing nothing, when there is no
 * label, @copies is 0 or above %OMNI_LABELS_MAX_COPIES, there would be more
 * than %OMNI_LABELS_MAX_LABELS labels, or a label's code cannot be encoded.
 *
 * Returns: (transfer full) (nullable): the job, or %NULL with @error set
 */
OmniLabelJob *
omni_label_job_new (const OmniLabelSheet  *sheet,
                    GPtrArray             *labels,
                    guint                  copies,
                    GError               **error)
{
  g_return_val_if_fail (sheet != NULL, NULL);
  g_return_val_if_fail (labels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return job_new (sheet, labels, NULL, copies, error);
}

/**
 * omni_label_job_new_with_copies:
 * @copies: (array): for each label of @labels, how many of it, from 1 to
 *   %OMNI_LABELS_MAX_COPIES
 *
 * Like omni_label_job_new(), each label with its own number of copies (the
 * units that arrived on a purchase order, say).
 *
 * Returns: (transfer full) (nullable): the job, or %NULL with @error set
 */
OmniLabelJob *
omni_label_job_new_with_copies (const OmniLabelSheet  *sheet,
                                GPtrArray             *labels,
                                const guint           *copies,
                                GError               **error)
{
  g_return_val_if_fail (sheet != NULL, NULL);
  g_return_val_if_fail (labels != NULL, NULL);
  g_return_val_if_fail (copies != NULL || labels->len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return job_new (sheet, labels, copies, 0, error);
}

void
omni_label_job_free (OmniLabelJob *job)
{
  if (job == NULL)
    return;

  g_clear_pointer (&job->labels, g_ptr_array_unref);
  g_clear_pointer (&job->symbols, g_ptr_array_unref);
  g_free (job->ends);
  g_free (job);
}

const OmniLabelSheet *
omni_label_job_get_sheet (OmniLabelJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  return job->sheet;
}

/* Returns: the labels the job places: each label times the copies */
guint
omni_label_job_get_n_labels (OmniLabelJob *job)
{
  g_return_val_if_fail (job != NULL, 0);

  return job->ends[job->labels->len - 1];
}

guint
omni_label_job_get_n_pages (OmniLabelJob *job)
{
  guint per_page;

  g_return_val_if_fail (job != NULL, 0);

  per_page = omni_label_sheet_get_per_page (job->sheet);
  return (omni_label_job_get_n_labels (job) + per_page - 1) / per_page;
}

/* Drawing ------------------------------------------------------------------- */

/* One line of text in a box @width points wide, its top at @y; returns its
 * height. */
static double
draw_text (cairo_t      *cr,
           PangoLayout  *layout,
           const char   *text,
           const char   *family,
           double        size,
           gboolean      bold,
           double        x,
           double        y,
           double        width,
           PangoAlignment alignment)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  int text_height;

  pango_font_description_set_family (font, family);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_text (layout, text, -1);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &text_height);

  return (double) text_height / PANGO_SCALE;
}

/* The digits under an EAN or a Code 128, where zint put them: @y is the
 * baseline and @x the point @halign aligns to. */
static void
draw_digits (cairo_t      *cr,
             PangoLayout  *layout,
             const Symbol *symbol,
             const Digits *digits,
             double        scale)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  int width, baseline;
  double x = digits->x * scale;

  pango_font_description_set_family (font, symbol->symbology == OMNI_LABEL_CODE128
                                           ? "Sans" : "Monospace");
  pango_font_description_set_absolute_size (font, digits->size * scale * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, -1);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  pango_layout_set_text (layout, digits->text, -1);
  pango_layout_get_size (layout, &width, NULL);
  baseline = pango_layout_get_baseline (layout);

  if (digits->halign == 0)
    x -= (double) width / PANGO_SCALE / 2;
  else if (digits->halign == 2)
    x -= (double) width / PANGO_SCALE;

  cairo_move_to (cr, x, digits->y * scale - (double) baseline / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
}

/* The symbol as large as fits a box @width × @height points, centred. */
static void
draw_symbol (cairo_t      *cr,
             PangoLayout  *layout,
             const Symbol *symbol,
             double        x,
             double        y,
             double        width,
             double        height)
{
  double scale = MIN (width / symbol->width, height / symbol->height);

  cairo_save (cr);
  cairo_translate (cr,
                   x + (width - symbol->width * scale) / 2,
                   y + (height - symbol->height * scale) / 2);

  for (guint i = 0; i < symbol->bars->len; i++)
    {
      const Bar *bar = &g_array_index (symbol->bars, Bar, i);

      cairo_rectangle (cr, bar->x * scale, bar->y * scale,
                       bar->width * scale, bar->height * scale);
    }
  cairo_fill (cr);

  for (guint i = 0; i < symbol->digits->len; i++)
    draw_digits (cr, layout, symbol, &g_array_index (symbol->digits, Digits, i), scale);

  cairo_restore (cr);
}

/* One label with its top left corner at the origin, in points. */
static void
draw_label (cairo_t         *cr,
            PangoLayout     *layout,
            const OmniLabel *label,
            const Symbol    *symbol,
            double           width,
            double           height)
{
  double pad = MAX (1.5 * POINTS_PER_MM, MIN (width, height) * 0.05);
  double inner = width - 2 * pad;
  double title_width = inner;
  /* 9 points on a 34 mm label, 7 on a one-inch one. */
  double size = MIN (9.0, height / POINTS_PER_MM * 0.27);
  double y = pad;
  double line;
  g_autofree char *details = NULL;

  if (symbol->symbology != OMNI_LABEL_CODE128 && label->sku[0] != '\0')
    details = label->options[0] != '\0'
              ? g_strdup_printf ("%s · %s", label->options, label->sku)
              : g_strdup (label->sku);
  else
    details = g_strdup (label->options);

  /* The price on the right of the title, which gets what is left; the
   * options and SKU below, across the label. */
  line = 0;
  if (label->price[0] != '\0')
    {
      int price_width;

      line = draw_text (cr, layout, label->price, "Sans", size + 1, TRUE, pad, y, inner,
                        PANGO_ALIGN_RIGHT);
      pango_layout_get_pixel_size (layout, &price_width, NULL);
      title_width -= MIN (title_width, price_width + pad);
    }
  if (title_width > 0)
    line = MAX (line, draw_text (cr, layout, label->title, "Sans", size, TRUE, pad, y,
                                 title_width, PANGO_ALIGN_LEFT));
  y += line;
  if (details[0] != '\0')
    y += draw_text (cr, layout, details, "Sans", size - 1, FALSE, pad, y, inner,
                    PANGO_ALIGN_LEFT);
  y += line + 0.5 * POINTS_PER_MM;

  if (height - pad - y > 0)
    draw_symbol (cr, layout, symbol, pad, y, width - 2 * pad, height - pad - y);
}

/* The label whose copies include the @position-th label placed. */
static guint
label_at (OmniLabelJob *job,
          guint         position)
{
  guint low = 0, high = job->labels->len - 1;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (job->ends[middle] > position)
        high = middle;
      else
        low = middle + 1;
    }
  return low;
}

/**
 * omni_label_job_draw_page:
 * @cr: a context in points with the origin at the paper's top left corner
 * @page: from 0
 *
 * Draws one page's labels in black; the paper is left as it is.
 */
void
omni_label_job_draw_page (OmniLabelJob *job,
                          cairo_t      *cr,
                          guint         page)
{
  const OmniLabelSheet *sheet;
  g_autoptr(PangoLayout) layout = NULL;
  guint per_page, first, n_labels, index;

  g_return_if_fail (job != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page < omni_label_job_get_n_pages (job));

  sheet = job->sheet;
  per_page = omni_label_sheet_get_per_page (sheet);
  first = page * per_page;
  n_labels = MIN (per_page, omni_label_job_get_n_labels (job) - first);

  layout = pango_cairo_create_layout (cr);
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72);
  pango_layout_context_changed (layout);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  index = label_at (job, first);
  for (guint k = 0; k < n_labels; k++)
    {
      guint column = k % sheet->columns;
      guint row = k / sheet->columns;

      cairo_save (cr);
      cairo_translate (cr,
                       (sheet->margin_left + column * sheet->pitch_x) * POINTS_PER_MM,
                       (sheet->margin_top + row * sheet->pitch_y) * POINTS_PER_MM);
      cairo_rectangle (cr, 0, 0,
                       sheet->label_width * POINTS_PER_MM, sheet->label_height * POINTS_PER_MM);
      cairo_clip (cr);
      while (first + k >= job->ends[index])
        index++;
      draw_label (cr, layout,
                  g_ptr_array_index (job->labels, index),
                  g_ptr_array_index (job->symbols, index),
                  sheet->label_width * POINTS_PER_MM, sheet->label_height * POINTS_PER_MM);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}

/* PDF ----------------------------------------------------------------------- */

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} PdfSink;

static cairo_status_t
pdf_write (void                *user_data,
           const unsigned char *data,
           unsigned int         length)
{
  PdfSink *sink = user_data;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, sink->cancellable,
                                  &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

/**
 * omni_label_job_write_pdf:
 * @stream: where the PDF goes; flushed, left open
 *
 * Writes every page on paper of the sheet's size.
 *
 * Returns: %TRUE when the whole document was written
 */
gboolean
omni_label_job_write_pdf (OmniLabelJob   *job,
                          GOutputStream  *stream,
                          GCancellable   *cancellable,
                          GError        **error)
{
  PdfSink sink = { stream, cancellable, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  surface = cairo_pdf_surface_create_for_stream (pdf_write, &sink,
                                                 job->sheet->paper_width * POINTS_PER_MM,
                                                 job->sheet->paper_height * POINTS_PER_MM);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Labels"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "OmniStock");
  cr = cairo_create (surface);
  for (guint page = 0; page < omni_label_job_get_n_pages (job); page++)
    {
      if (g_cancellable_is_cancelled (cancellable) || sink.error != NULL)
        break;
      omni_label_job_draw_page (job, cr, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.error != NULL)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, OMNI_LABELS_ERROR, OMNI_LABELS_ERROR_DRAW,
                   _("The labels could not be drawn: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return g_output_stream_flush (stream, cancellable, error);
}

/**
 * omni_label_job_save_pdf:
 * @file: the PDF to write; replaced only when the whole document is written
 */
gboolean
omni_label_job_save_pdf (OmniLabelJob  *job,
                         GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (stream == NULL)
    return FALSE;
  if (!omni_label_job_write_pdf (job, G_OUTPUT_STREAM (stream), cancellable, error))
    {
      /* Closing after a cancel drops the half-written file. */
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error);
}
