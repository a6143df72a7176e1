/* omni-import.c: CSV import of products and stock (Shopify, WooCommerce, generic)
 *
 * One pass over the file, in one transaction: each record is checked and
 * written at once (prepared statements, looked up through the store's
 * statement cache), problems are collected with their line and column, and
 * at the end the transaction is committed only when there were none and the
 * caller did not ask for a dry run. A dry run therefore reports exactly what
 * the real import would do, database conflicts included.
 *
 * Memory stays flat in the size of the file: what must be remembered across
 * rows (SKUs seen, variants touched, for duplicate detection and for the
 * search index) lives in TEMP tables, which SQLite spills to disk. The
 * search index is written once per touched variant at the end, in rowid
 * order, rather than row by row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include "omni-csv.h"
#include "omni-import-private.h"
#include "omni-money.h"
#include "omni-store-catalog.h"
#include "omni-store-private.h"
#include "omni-text.h"

G_DEFINE_QUARK (omni-import-error-quark, omni_import_error)

#define PROGRESS_EVERY 4096

/* Column names of each layout, matched case-insensitively after trimming. */
typedef struct
{
  const char *name;
  ImportField field;
} ColumnName;

static const ColumnName shopify_columns[] = {
  { "Handle", F_HANDLE },
  { "Title", F_TITLE },
  { "Body (HTML)", F_BODY },
  { "Vendor", F_VENDOR },
  { "Type", F_TYPE },
  { "Tags", F_TAGS },
  { "Status", F_STATUS },
  { "Published", F_PUBLISHED },
  { "Option1 Name", F_OPT1_NAME },
  { "Option1 Value", F_OPT1 },
  { "Option2 Name", F_OPT2_NAME },
  { "Option2 Value", F_OPT2 },
  { "Option3 Name", F_OPT3_NAME },
  { "Option3 Value", F_OPT3 },
  { "Variant SKU", F_SKU },
  { "Variant Barcode", F_BARCODE },
  { "Variant Price", F_PRICE },
  { "Variant Compare At Price", F_COMPARE_AT },
  { "Cost per item", F_COST },
  { "Variant Grams", F_GRAMS },
  { "Variant Inventory Qty", F_QUANTITY },
  { "Image Src", F_IMAGE },
  { NULL, 0 },
};

static const ColumnName shopify_inventory_columns[] = {
  { "Handle", F_HANDLE },
  { "Title", F_TITLE },
  { "Option1 Name", F_OPT1_NAME },
  { "Option1 Value", F_OPT1 },
  { "Option2 Name", F_OPT2_NAME },
  { "Option2 Value", F_OPT2 },
  { "Option3 Name", F_OPT3_NAME },
  { "Option3 Value", F_OPT3 },
  { "SKU", F_SKU },
  { "Location", F_LOCATION },
  { "On hand", F_QUANTITY },
  { "Available", F_AVAILABLE },
  { NULL, 0 },
};

static const ColumnName woo_columns[] = {
  { "ID", F_WOO_ID },
  { "Type", F_WOO_TYPE },
  { "SKU", F_SKU },
  { "Name", F_TITLE },
  { "Published", F_PUBLISHED },
  { "Short description", F_WOO_SHORT },
  { "Description", F_BODY },
  { "Stock", F_QUANTITY },
  { "Sale price", F_WOO_SALE },
  { "Regular price", F_PRICE },
  { "Categories", F_TYPE },
  { "Tags", F_TAGS },
  { "Parent", F_WOO_PARENT },
  { "Attribute 1 name", F_WOO_ATTR1_NAME },
  { "Attribute 1 value(s)", F_WOO_ATTR1 },
  { "Attribute 2 name", F_WOO_ATTR2_NAME },
  { "Attribute 2 value(s)", F_WOO_ATTR2 },
  { "Attribute 3 name", F_WOO_ATTR3_NAME },
  { "Attribute 3 value(s)", F_WOO_ATTR3 },
  { NULL, 0 },
};

/* The generic layout's field names, as --map and the dialog use them. */
static const ColumnName generic_fields[] = {
  { "handle", F_HANDLE },
  { "title", F_TITLE },
  { "description", F_BODY },
  { "vendor", F_VENDOR },
  { "product_type", F_TYPE },
  { "tags", F_TAGS },
  { "status", F_STATUS },
  { "option1_name", F_OPT1_NAME },
  { "option1", F_OPT1 },
  { "option2_name", F_OPT2_NAME },
  { "option2", F_OPT2 },
  { "option3_name", F_OPT3_NAME },
  { "option3", F_OPT3 },
  { "sku", F_SKU },
  { "barcode", F_BARCODE },
  { "price", F_PRICE },
  { "compare_at_price", F_COMPARE_AT },
  { "cost", F_COST },
  { "weight_grams", F_GRAMS },
  { "quantity", F_QUANTITY },
  { "location", F_LOCATION },
  { NULL, 0 },
};

/* Other spellings a header may use for a generic field. */
static const ColumnName generic_aliases[] = {
  { "name", F_TITLE },
  { "product", F_TITLE },
  { "product name", F_TITLE },
  { "body", F_BODY },
  { "type", F_TYPE },
  { "category", F_TYPE },
  { "brand", F_VENDOR },
  { "ean", F_BARCODE },
  { "upc", F_BARCODE },
  { "gtin", F_BARCODE },
  { "qty", F_QUANTITY },
  { "stock", F_QUANTITY },
  { "on hand", F_QUANTITY },
  { "unit cost", F_COST },
  { "compare at price", F_COMPARE_AT },
  { "weight", F_GRAMS },
  { "grams", F_GRAMS },
  { NULL, 0 },
};

/* Formats ------------------------------------------------------------- */

static const char * const format_names[] = {
  [OMNI_IMPORT_FORMAT_AUTO] = "auto",
  [OMNI_IMPORT_FORMAT_SHOPIFY] = "shopify",
  [OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY] = "shopify-inventory",
  [OMNI_IMPORT_FORMAT_WOOCOMMERCE] = "woocommerce",
  [OMNI_IMPORT_FORMAT_GENERIC] = "generic",
};

const char *
omni_import_format_to_string (OmniImportFormat format)
{
  g_return_val_if_fail ((guint)format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

gboolean
omni_import_format_from_string (const char       *text,
                                OmniImportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (text, format_names[i]) == 0)
      {
        *format = (OmniImportFormat)i;
        return TRUE;
      }
  return FALSE;
}

/**
 * omni_import_list_fields:
 *
 * Returns: (transfer none): the field names a generic mapping may use, plus
 *   "ignore"; %NULL-terminated
 */
const char * const *
omni_import_list_fields (void)
{
  static const char *names[G_N_ELEMENTS (generic_fields) + 1];

  if (names[0] == NULL)
    {
      guint i;

      for (i = 0; generic_fields[i].name != NULL; i++)
        names[i] = generic_fields[i].name;
      names[i] = "ignore";
    }
  return names;
}

static char *
normalize_name (const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));

  return g_utf8_casefold (trimmed, -1);
}

static gboolean
name_matches (const char *column,
              const char *name)
{
  g_autofree char *a = normalize_name (column);
  g_autofree char *b = normalize_name (name);

  return strcmp (a, b) == 0;
}

static int
find_column_name (const ColumnName *table,
                  const char       *column)
{
  for (int i = 0; table[i].name != NULL; i++)
    if (name_matches (column, table[i].name))
      return i;
  return -1;
}

/**
 * omni_import_guess_field:
 * @column: a header name
 *
 * Returns: (nullable): the generic field a column of that name most likely
 *   holds ("SKU" → "sku", "Qty" → "quantity"), or %NULL
 */
const char *
omni_import_guess_field (const char *column)
{
  int i = find_column_name (generic_fields, column);

  if (i < 0)
    {
      /* Shopify's own names map too, so an edited Shopify file still works. */
      int j = find_column_name (shopify_columns, column);
      ImportField field;

      if (j >= 0)
        field = shopify_columns[j].field;
      else if ((j = find_column_name (generic_aliases, column)) >= 0)
        field = generic_aliases[j].field;
      else
        return NULL;
      for (i = 0; generic_fields[i].name != NULL; i++)
        if (generic_fields[i].field == field)
          return generic_fields[i].name;
      return NULL;
    }
  return generic_fields[i].name;
}

static gboolean
header_has (const char * const *header,
            guint               n_columns,
            const char         *name)
{
  for (guint i = 0; i < n_columns; i++)
    if (name_matches (header[i], name))
      return TRUE;
  return FALSE;
}

/**
 * omni_import_detect_format:
 * @header: (array length=n_columns): the first record
 *
 * Returns: the layout the header belongs to, or %OMNI_IMPORT_FORMAT_AUTO
 *   when it is none of the known ones
 */
OmniImportFormat
omni_import_detect_format (const char * const *header,
                           guint               n_columns)
{
  g_return_val_if_fail (header != NULL || n_columns == 0, OMNI_IMPORT_FORMAT_AUTO);

  if (header_has (header, n_columns, "Handle") &&
      (header_has (header, n_columns, "Variant SKU") ||
       header_has (header, n_columns, "Variant Price")))
    return OMNI_IMPORT_FORMAT_SHOPIFY;
  if (header_has (header, n_columns, "Handle") &&
      header_has (header, n_columns, "Location") &&
      (header_has (header, n_columns, "On hand") || header_has (header, n_columns, "Available")))
    return OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY;
  if (header_has (header, n_columns, "Type") && header_has (header, n_columns, "SKU") &&
      header_has (header, n_columns, "Parent") &&
      header_has (header, n_columns, "Regular price"))
    return OMNI_IMPORT_FORMAT_WOOCOMMERCE;
  return OMNI_IMPORT_FORMAT_AUTO;
}

/**
 * omni_import_read_header:
 * @header: (out) (transfer full): the column names
 * @format: (out): the detected layout (%OMNI_IMPORT_FORMAT_AUTO for none)
 *
 * Reads only the first record, for the import dialog's mapping step.
 */
gboolean
omni_import_read_header (const char        *path,
                         GStrv             *header,
                         OmniImportFormat  *format,
                         GError           **error)
{
  g_autoptr(OmniCsvReader) reader = NULL;
  const char * const *fields = NULL;
  guint n_fields = 0;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (header != NULL && format != NULL, FALSE);

  reader = omni_csv_reader_new_for_path (path, NULL, error);
  if (reader == NULL)
    return FALSE;
  if (!omni_csv_reader_next (reader, &fields, &n_fields, NULL, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_INVALID,
                             "The file is empty: it has no header line");
      return FALSE;
    }

  *header = g_strdupv ((char **)fields);
  *format = omni_import_detect_format (fields, n_fields);
  return TRUE;
}

/* Mapping ------------------------------------------------------------- */

static ImportField
generic_field_from_name (const char *name,
                         gboolean   *ignore)
{
  *ignore = g_ascii_strcasecmp (name, "ignore") == 0;
  for (guint i = 0; generic_fields[i].name != NULL; i++)
    if (g_ascii_strcasecmp (name, generic_fields[i].name) == 0)
      return generic_fields[i].field;
  return N_FIELDS;
}

/**
 * omni_import_load_mapping:
 *
 * Returns: (transfer full) (nullable): the generic mapping remembered by the
 *   last successful generic import, as "Column=field" strings
 */
GStrv
omni_import_load_mapping (OmniStore *store)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);

  value = omni_store_get_setting (store, OMNI_IMPORT_MAPPING_SETTING);
  if (value == NULL || *value == '\0')
    return NULL;
  return g_strsplit (value, "\n", -1);
}

/**
 * omni_import_save_mapping:
 * @mapping: "Column=field" strings
 *
 * Remembers a generic mapping in the database's settings.
 */
gboolean
omni_import_save_mapping (OmniStore           *store,
                          const char * const  *mapping,
                          GError             **error)
{
  g_autofree char *joined = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  for (guint i = 0; mapping[i] != NULL; i++)
    if (strchr (mapping[i], '\n') != NULL || strchr (mapping[i], '=') == NULL)
      {
        g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_MAPPING,
                     "“%s” is not a mapping: write COLUMN=FIELD", mapping[i]);
        return FALSE;
      }
  joined = g_strjoinv ("\n", (char **)mapping);
  return omni_store_set_setting (store, OMNI_IMPORT_MAPPING_SETTING, joined, error);
}

/* Fills @columns from a generic mapping; columns not named keep their
 * guessed field. */
static gboolean
apply_mapping (int                 columns[N_FIELDS],
               const char * const *header,
               guint               n_columns,
               const char * const *mapping,
               GError            **error)
{
  for (guint i = 0; mapping != NULL && mapping[i] != NULL; i++)
    {
      const char *eq = strchr (mapping[i], '=');
      g_autofree char *column = NULL;
      ImportField field;
      gboolean ignore;
      int index = -1;

      if (eq == NULL || eq == mapping[i])
        {
          g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_MAPPING,
                       "“%s” is not a mapping: write COLUMN=FIELD", mapping[i]);
          return FALSE;
        }
      column = g_strndup (mapping[i], eq - mapping[i]);
      field = generic_field_from_name (eq + 1, &ignore);
      if (field == N_FIELDS && !ignore)
        {
          g_autofree char *known = g_strjoinv (", ", (char **)omni_import_list_fields ());

          g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_MAPPING,
                       "“%s” is not a field; the fields are %s", eq + 1, known);
          return FALSE;
        }
      for (guint c = 0; c < n_columns; c++)
        if (name_matches (header[c], column))
          {
            index = (int)c;
            break;
          }
      if (index < 0)
        {
          g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_MAPPING,
                       "The mapping names the column “%s”, which the file does not have",
                       column);
          return FALSE;
        }
      for (int f = 0; f < N_FIELDS; f++)
        if (columns[f] == index)
          columns[f] = -1;
      if (!ignore)
        columns[field] = index;
    }
  return TRUE;
}

/* Problems ------------------------------------------------------------ */

void
omni_import_problem_free (OmniImportProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->column);
  g_free (problem->message);
  g_free (problem->text);
  g_free (problem);
}

void
omni_import_preview_row_free (OmniImportPreviewRow *row)
{
  if (row == NULL)
    return;
  g_free (row->handle);
  g_free (row->title);
  g_free (row->options);
  g_free (row->sku);
  g_free (row->action);
  g_free (row);
}

void
omni_import_result_free (OmniImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->encoding);
  g_free (result->file_hash);
  g_free (result->operation);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_clear_pointer (&result->preview, g_ptr_array_unref);
  g_free (result);
}

void
_omni_import_add_problem (ImportRun   *im,
                          guint64      line,
                          const char  *column,
                          gboolean     warning,
                          const char  *format,
                          ...)
{
  OmniImportProblem *problem;
  va_list args;

  if (warning)
    im->result->n_warnings++;
  else
    im->result->n_errors++;
  if (!warning)
    im->row_failed = TRUE;
  if (im->result->problems->len >= im->max_problems)
    return;

  problem = g_new0 (OmniImportProblem, 1);
  problem->line = line;
  problem->column = g_strdup (column);
  problem->warning = warning;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0 && column != NULL)
    problem->text = g_strdup_printf ("Line %" G_GUINT64_FORMAT ", column %s: %s",
                                     line, column, problem->message);
  else if (line > 0)
    problem->text = g_strdup_printf ("Line %" G_GUINT64_FORMAT ": %s", line, problem->message);
  else
    problem->text = g_strdup (problem->message);
  g_ptr_array_add (im->result->problems, problem);
}

/* Fields of the current record ---------------------------------------- */

const char *
_omni_import_column_name (ImportRun   *im,
                          ImportField  field)
{
  int index = im->columns[field];

  return index >= 0 && (guint)index < im->n_header ? im->header[index] : NULL;
}

gboolean
_omni_import_has (ImportRun   *im,
                  ImportField  field)
{
  return im->columns[field] >= 0;
}

/* Returns: (transfer full) (nullable): the trimmed value, %NULL when blank */
char *
_omni_import_get (ImportRun   *im,
                  ImportField  field)
{
  int index = im->columns[field];
  const char *raw;
  char *value;

  if (index < 0 || (guint)index >= im->n_fields)
    return NULL;
  raw = im->fields[index];
  if (raw[0] == '\0')
    return NULL;
  value = g_strstrip (g_strdup (raw));
  if (*value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/* Checks a text value against the catalog's rules. */
gboolean
_omni_import_check_text (ImportRun   *im,
                         ImportField  field,
                         const char  *value,
                         const char  *label,
                         gsize        max_bytes)
{
  g_autoptr(GError) local_error = NULL;

  if (omni_text_check (value, label, max_bytes, FALSE, &local_error))
    return TRUE;
  _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                            "%s", local_error->message);
  return FALSE;
}

/* Parses money in the shop currency into @out; %FALSE (reported) when bad. */
gboolean
_omni_import_get_money (ImportRun   *im,
                        ImportField  field,
                        gint64      *out)
{
  g_autofree char *text = _omni_import_get (im, field);
  g_autoptr(GError) local_error = NULL;

  *out = -1;
  if (text == NULL)
    return TRUE;
  if (!omni_money_parse (text, im->currency, out, &local_error))
    {
      *out = -1;
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "%s", local_error->message);
      return FALSE;
    }
  if (*out < 0)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "the amount “%s” cannot be negative", text);
      *out = -1;
      return FALSE;
    }
  return TRUE;
}

/* A quantity: a whole number ≥ 0 ("12", "12.0"); -1 when blank. */
gboolean
_omni_import_get_quantity (ImportRun   *im,
                           ImportField  field,
                           gint64      *out)
{
  g_autofree char *text = _omni_import_get (im, field);
  const char *p;
  gint64 value = 0;
  gboolean negative = FALSE;
  guint digits = 0;

  *out = -1;
  if (text == NULL)
    return TRUE;

  p = text;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++, digits++)
    {
      if (value > (G_MAXINT32 - (*p - '0')) / 10)
        {
          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                    "the quantity “%s” is too large", text);
          return FALSE;
        }
      value = value * 10 + (*p - '0');
    }
  /* Spreadsheets write whole numbers as "12.0". */
  if (*p == '.')
    for (p++; *p == '0'; p++)
      ;
  if (*p != '\0' || digits == 0)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "“%s” is not a whole number", text);
      return FALSE;
    }
  if (negative && value != 0)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "the quantity cannot be negative (%s)", text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* A weight in the column's unit, converted to whole grams; -1 when blank. */
gboolean
_omni_import_get_grams (ImportRun   *im,
                        ImportField  field,
                        double       grams_per_unit,
                        gint64      *out)
{
  g_autofree char *text = _omni_import_get (im, field);
  char *end = NULL;
  double value;

  *out = -1;
  if (text == NULL)
    return TRUE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "“%s” is not a number", text);
      return FALSE;
    }
  value *= grams_per_unit;
  if (value < 0 || value > 1e9)
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "the weight “%s” is out of range", text);
      return FALSE;
    }
  *out = (gint64)llround (value);
  return TRUE;
}

/* A barcode; one a spreadsheet turned into "3.65275E+11" has lost its
 * digits, so it is dropped with a warning rather than stored wrong. */
char *
_omni_import_get_barcode (ImportRun   *im,
                          ImportField  field)
{
  g_autofree char *text = _omni_import_get (im, field);
  g_autoptr(GError) local_error = NULL;
  const char *e;

  if (text == NULL)
    return NULL;
  e = strpbrk (text, "eE");
  if (e != NULL && (e[1] == '+' || e[1] == '-') && g_ascii_isdigit (text[0]))
    {
      char *end = NULL;

      g_ascii_strtod (text, &end);
      if (end != NULL && *end == '\0')
        {
          _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), TRUE,
                                    "the barcode “%s” was turned into a number by a "
                                    "spreadsheet and its digits are lost; it was left empty",
                                    text);
          return NULL;
        }
    }
  if (!_omni_import_check_text (im, field, text, "Barcode", 64))
    return NULL;
  if (!omni_barcode_check (text, &local_error))
    {
      _omni_import_add_problem (im, im->line, _omni_import_column_name (im, field), FALSE,
                                "%s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* Setting up ---------------------------------------------------------- */

static const ColumnName *
columns_for_format (OmniImportFormat format)
{
  switch (format)
    {
    case OMNI_IMPORT_FORMAT_SHOPIFY:
      return shopify_columns;
    case OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY:
      return shopify_inventory_columns;
    case OMNI_IMPORT_FORMAT_WOOCOMMERCE:
      return woo_columns;
    case OMNI_IMPORT_FORMAT_GENERIC:
    case OMNI_IMPORT_FORMAT_AUTO:
    default:
      return NULL;
    }
}

static void
map_header (ImportRun *im)
{
  const ColumnName *table = columns_for_format (im->result->format);

  for (int f = 0; f < N_FIELDS; f++)
    im->columns[f] = -1;
  im->weight_factor = 1.0;

  for (guint c = 0; c < im->n_header; c++)
    {
      const char *name = im->header[c];
      int i;

      if (table == NULL)
        {
          const char *guess = omni_import_guess_field (name);
          gboolean ignore;

          if (guess != NULL)
            {
              ImportField field = generic_field_from_name (guess, &ignore);

              if (im->columns[field] < 0)
                im->columns[field] = (int)c;
            }
          continue;
        }

      i = find_column_name (table, name);
      if (i >= 0)
        {
          if (im->columns[table[i].field] < 0)
            im->columns[table[i].field] = (int)c;
          continue;
        }

      /* WooCommerce names the weight column after the shop's unit. */
      if (im->result->format == OMNI_IMPORT_FORMAT_WOOCOMMERCE &&
          g_str_has_prefix (name, "Weight ("))
        {
          static const struct { const char *unit; double grams; } units[] = {
            { "Weight (lbs)", 453.59237 }, { "Weight (lb)", 453.59237 },
            { "Weight (kg)", 1000.0 }, { "Weight (oz)", 28.349523125 },
            { "Weight (g)", 1.0 },
          };
          for (guint u = 0; u < G_N_ELEMENTS (units); u++)
            if (name_matches (name, units[u].unit))
              {
                im->columns[F_GRAMS] = (int)c;
                im->weight_factor = units[u].grams;
              }
        }
    }
}

/* Required columns per layout; a missing one is reported on line 1. */
static gboolean
check_required_columns (ImportRun *im)
{
  static const struct
  {
    OmniImportFormat format;
    ImportField      field;
    const char      *name;
  } required[] = {
    { OMNI_IMPORT_FORMAT_SHOPIFY, F_HANDLE, "Handle" },
    { OMNI_IMPORT_FORMAT_SHOPIFY, F_TITLE, "Title" },
    { OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY, F_HANDLE, "Handle" },
    { OMNI_IMPORT_FORMAT_WOOCOMMERCE, F_WOO_TYPE, "Type" },
    { OMNI_IMPORT_FORMAT_WOOCOMMERCE, F_SKU, "SKU" },
    { OMNI_IMPORT_FORMAT_WOOCOMMERCE, F_TITLE, "Name" },
  };
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (required[i].format == im->result->format && im->columns[required[i].field] < 0)
      {
        _omni_import_add_problem (im, 1, NULL, FALSE,
                                  "the column “%s” is missing; a %s file needs it",
                                  required[i].name,
                                  omni_import_format_to_string (im->result->format));
        ok = FALSE;
      }

  if (im->result->format == OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY &&
      im->columns[F_QUANTITY] < 0 && im->columns[F_AVAILABLE] < 0)
    {
      _omni_import_add_problem (im, 1, NULL, FALSE,
                                "the column “On hand” (or “Available”) is missing; an "
                                "inventory file needs it");
      ok = FALSE;
    }
  if (im->result->format == OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY && im->columns[F_QUANTITY] < 0)
    im->columns[F_QUANTITY] = im->columns[F_AVAILABLE];

  if (im->result->format == OMNI_IMPORT_FORMAT_GENERIC &&
      im->columns[F_SKU] < 0 && im->columns[F_TITLE] < 0 && im->columns[F_HANDLE] < 0)
    {
      _omni_import_add_problem (im, 1, NULL, FALSE,
                                "no column is mapped to sku, title or handle; map at least one "
                                "so that rows can be matched to products");
      ok = FALSE;
    }
  return ok;
}

/* The same tables on PostgreSQL, where a TEMP table lives as long as the
 * connection; the movements' rowid (their order) is a column there. */
static const char pg_temp_tables_sql[] =
  "CREATE TEMP TABLE IF NOT EXISTS omni_import_sku ("
  " sku TEXT PRIMARY KEY, line BIGINT NOT NULL);"
  "CREATE TEMP TABLE IF NOT EXISTS omni_import_variant ("
  " variant_id BIGINT PRIMARY KEY, line BIGINT NOT NULL,"
  " reindex BIGINT NOT NULL DEFAULT 0);"
  "CREATE TEMP TABLE IF NOT EXISTS omni_import_level ("
  " variant_id BIGINT NOT NULL, location_id BIGINT NOT NULL,"
  " line BIGINT NOT NULL, PRIMARY KEY (variant_id, location_id));"
  "CREATE TEMP TABLE IF NOT EXISTS omni_import_product ("
  " product_id BIGINT PRIMARY KEY, line BIGINT NOT NULL,"
  " reindex BIGINT NOT NULL DEFAULT 0);"
  "CREATE TEMP TABLE IF NOT EXISTS omni_import_movement ("
  " rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
  " op_id TEXT NOT NULL, variant_id BIGINT NOT NULL,"
  " location_id BIGINT NOT NULL, delta BIGINT NOT NULL);";

static gboolean
prepare_temp_tables (OmniStore  *store,
                     GError    **error)
{
  if (_omni_store_is_postgresql (store))
    return _omni_store_exec (store, pg_temp_tables_sql, error);
  return _omni_store_exec (store,
                           "CREATE TEMP TABLE IF NOT EXISTS omni_import_sku ("
                           " sku TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;"
                           "CREATE TEMP TABLE IF NOT EXISTS omni_import_variant ("
                           " variant_id INTEGER PRIMARY KEY, line INTEGER NOT NULL,"
                           " reindex INTEGER NOT NULL DEFAULT 0);"
                           "CREATE TEMP TABLE IF NOT EXISTS omni_import_level ("
                           " variant_id INTEGER NOT NULL, location_id INTEGER NOT NULL,"
                           " line INTEGER NOT NULL, PRIMARY KEY (variant_id, location_id))"
                           " WITHOUT ROWID;"
                           "CREATE TEMP TABLE IF NOT EXISTS omni_import_product ("
                           " product_id INTEGER PRIMARY KEY, line INTEGER NOT NULL,"
                           " reindex INTEGER NOT NULL DEFAULT 0);"
                           "CREATE TEMP TABLE IF NOT EXISTS omni_import_movement ("
                           " op_id TEXT NOT NULL, variant_id INTEGER NOT NULL,"
                           " location_id INTEGER NOT NULL, delta INTEGER NOT NULL);",
                           error);
}

static gboolean
clear_temp_tables (OmniStore  *store,
                   GError    **error)
{
  return _omni_store_exec (store,
                           "DELETE FROM temp.omni_import_sku;"
                           "DELETE FROM temp.omni_import_variant;"
                           "DELETE FROM temp.omni_import_level;"
                           "DELETE FROM temp.omni_import_product;"
                           "DELETE FROM temp.omni_import_movement;",
                           error);
}

static char *
hash_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (256 * 1024);
  gssize n;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 256 * 1024,
                                   cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

/* The rejects file is written through a replace stream: it appears only
 * when the import is applied, and an older one stays otherwise. */
static gboolean
open_rejects (ImportRun  *im,
              GError    **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree const char **header = NULL;
  OmniCsvWriterOptions options = { .write_bom = TRUE, .neutralize_formulas = TRUE };

  if (!im->options->skip_invalid_rows || im->options->rejects_path == NULL ||
      im->options->dry_run)
    return TRUE;
  file = g_file_new_for_path (im->options->rejects_path);
  im->rejects_stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                        NULL, error));
  if (im->rejects_stream == NULL)
    return FALSE;
  im->rejects = omni_csv_writer_new (im->rejects_stream, &options);
  header = g_new0 (const char *, im->n_header + 2);
  for (guint i = 0; i < im->n_header; i++)
    header[i] = im->header[i];
  header[im->n_header] = "Import problems";
  return omni_csv_writer_write_row (im->rejects, header, im->n_header + 1, error);
}

static void
import_run_clear (ImportRun *im)
{
  if (im->rejects_stream != NULL && !im->rejects_closed)
    {
      /* Not applied: closing while cancelled abandons the new file. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (im->rejects_stream, abandon, NULL);
    }
  g_clear_pointer (&im->rejects, omni_csv_writer_free);
  g_clear_object (&im->rejects_stream);
  g_clear_pointer (&im->header, g_strfreev);
  g_free (im->currency);
  g_free (im->now);
  g_free (im->file_name);
  g_free (im->hash16);
  g_free (im->location_name);
  _omni_import_product_clear (&im->product);
  g_clear_pointer (&im->woo_parents, g_hash_table_unref);
  g_clear_pointer (&im->woo_parent_list, g_ptr_array_unref);
  g_clear_pointer (&im->statements, g_hash_table_unref);
}

/* Reads the header and works out the layout and its columns. */
static gboolean
start_layout (ImportRun          *im,
              const char * const *fields,
              guint               n_fields,
              GError            **error)
{
  OmniImportFormat format = im->options->format;
  g_auto(GStrv) saved = NULL;
  const char * const *mapping = im->options->mapping;

  im->header = g_new0 (char *, n_fields + 1);
  for (guint i = 0; i < n_fields; i++)
    im->header[i] = g_strstrip (g_strdup (fields[i]));
  im->n_header = n_fields;

  if (format == OMNI_IMPORT_FORMAT_AUTO)
    {
      format = omni_import_detect_format ((const char * const *)im->header, n_fields);
      if (format == OMNI_IMPORT_FORMAT_AUTO && mapping != NULL)
        format = OMNI_IMPORT_FORMAT_GENERIC;
      if (format == OMNI_IMPORT_FORMAT_AUTO)
        {
          g_set_error_literal (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_UNKNOWN_FORMAT,
                               "The file’s header matches no known layout (Shopify products, "
                               "Shopify inventory, WooCommerce products); import it with the "
                               "generic layout and map its columns");
          return FALSE;
        }
    }
  im->result->format = format;
  map_header (im);

  if (format == OMNI_IMPORT_FORMAT_GENERIC)
    {
      if (mapping == NULL)
        {
          saved = omni_import_load_mapping (im->store);
          mapping = (const char * const *)saved;
          /* A remembered mapping may be for another file: use only what fits. */
          for (guint i = 0; saved != NULL && saved[i] != NULL; i++)
            {
              const char * const one[] = { saved[i], NULL };

              apply_mapping (im->columns, (const char * const *)im->header, n_fields, one, NULL);
            }
          mapping = NULL;
        }
      if (!apply_mapping (im->columns, (const char * const *)im->header, n_fields, mapping,
                          error))
        return FALSE;
    }
  return TRUE;
}

static void
report_progress (ImportRun     *im,
                 OmniCsvReader *reader)
{
  if (im->options->progress != NULL)
    im->options->progress (omni_csv_reader_get_bytes_read (reader), im->file_size,
                           im->result->rows, im->options->progress_data);
}

static void
dispatch_row (ImportRun *im)
{
  switch (im->result->format)
    {
    case OMNI_IMPORT_FORMAT_SHOPIFY:
    case OMNI_IMPORT_FORMAT_GENERIC:
      _omni_import_catalog_row (im);
      break;
    case OMNI_IMPORT_FORMAT_SHOPIFY_INVENTORY:
      _omni_import_inventory_row (im);
      break;
    case OMNI_IMPORT_FORMAT_WOOCOMMERCE:
      _omni_import_woo_row (im);
      break;
    case OMNI_IMPORT_FORMAT_AUTO:
    default:
      g_assert_not_reached ();
    }
}

static void
check_and_dispatch_row (ImportRun *im)
{
  /* A short row is a file cut short (or a row that lost its commas), a
   * long one an unquoted delimiter: either way its values would land in
   * the wrong columns. */
  if (im->n_fields != im->n_header)
    _omni_import_add_problem (im, im->line, NULL, FALSE,
                              "the row has %u fields but the header has %u; %s", im->n_fields,
                              im->n_header,
                              im->n_fields < im->n_header
                              ? "is the file cut short?"
                              : "is a value with the delimiter missing its quotes?");
  else
    dispatch_row (im);
}

/* The counts a left-out row must not change. */
typedef struct
{
  guint64 products_created, products_updated, products_unchanged;
  guint64 variants_created, variants_updated, variants_unchanged;
  guint64 quantity_changes, locations_created, skipped_rows;
  gint64  units_delta;
  guint   preview_len;
} Counts;

static Counts
save_counts (OmniImportResult *r)
{
  return (Counts) {
    r->products_created, r->products_updated, r->products_unchanged,
    r->variants_created, r->variants_updated, r->variants_unchanged,
    r->quantity_changes, r->locations_created, r->skipped_rows,
    r->units_delta, r->preview->len,
  };
}

static void
restore_counts (OmniImportResult *r,
                const Counts     *c)
{
  r->products_created = c->products_created;
  r->products_updated = c->products_updated;
  r->products_unchanged = c->products_unchanged;
  r->variants_created = c->variants_created;
  r->variants_updated = c->variants_updated;
  r->variants_unchanged = c->variants_unchanged;
  r->quantity_changes = c->quantity_changes;
  r->locations_created = c->locations_created;
  r->skipped_rows = c->skipped_rows;
  r->units_delta = c->units_delta;
  g_ptr_array_set_size (r->preview, c->preview_len);
}

/* Writes a left-out row to the rejects file with its problems. */
static gboolean
write_reject (ImportRun  *im,
              guint       first_problem,
              GError    **error)
{
  g_autoptr(GString) why = g_string_new (NULL);
  g_autofree const char **row = NULL;

  if (im->rejects == NULL)
    return TRUE;
  for (guint i = first_problem; i < im->result->problems->len; i++)
    {
      OmniImportProblem *problem = g_ptr_array_index (im->result->problems, i);

      if (!problem->warning)
        g_string_append_printf (why, "%s%s", why->len ? "; " : "", problem->text);
    }
  row = g_new0 (const char *, im->n_header + 1);
  for (guint i = 0; i < im->n_header; i++)
    row[i] = i < im->n_fields ? im->fields[i] : "";
  row[im->n_header] = why->str;
  return omni_csv_writer_write_row (im->rejects, row, im->n_header + 1, error);
}

/* With skip_invalid_rows: each row in a savepoint, rolled back with its
 * counts when it has an error; what it started (a product, a WooCommerce
 * parent, a location) is forgotten so later rows do not build on it. */
static gboolean
run_row_alone (ImportRun  *im,
               GError    **error)
{
  Counts counts = save_counts (im->result);
  guint64 errors = im->result->n_errors;
  guint problems = im->result->problems->len;

  if (!omni_store_begin (im->store, error))
    return FALSE;
  check_and_dispatch_row (im);
  if (im->db_error != NULL)
    {
      omni_store_rollback (im->store);
      return TRUE;
    }
  if (im->result->n_errors == errors)
    return omni_store_commit (im->store, error);

  omni_store_rollback (im->store);
  restore_counts (im->result, &counts);
  im->result->rows_rejected++;
  if (im->product.line == im->line)
    im->product.id = 0;
  for (guint i = 0; im->woo_parent_list != NULL && i < im->woo_parent_list->len; i++)
    {
      ImportProduct *parent = g_ptr_array_index (im->woo_parent_list, i);

      if (parent->line == im->line)
        parent->id = 0;
    }
  im->location_id = 0;
  return write_reject (im, problems, error);
}

/* Reads every record after the header. FALSE only for cancellation or a
 * database failure (@error set); file problems become problems. */
static gboolean
read_rows (ImportRun      *im,
           OmniCsvReader  *reader,
           GCancellable   *cancellable,
           GError        **error)
{
  const char * const *fields = NULL;
  guint n_fields = 0;
  g_autoptr(GError) local_error = NULL;

  while (omni_csv_reader_next (reader, &fields, &n_fields, cancellable, &local_error))
    {
      im->fields = fields;
      im->n_fields = n_fields;
      im->line = omni_csv_reader_get_line (reader);
      im->row_failed = FALSE;
      im->result->rows++;

      if (im->result->rows > im->max_rows)
        {
          _omni_import_add_problem (im, im->line, NULL, FALSE,
                                    "the file has more than %" G_GUINT64_FORMAT " rows, the "
                                    "most one import accepts; split it", im->max_rows);
          im->fatal = TRUE;
          return TRUE;
        }

      /* A short row is a file cut short (or a row that lost its commas), a
       * long one an unquoted delimiter: either way its values would land in
       * the wrong columns. */
      if (im->options->skip_invalid_rows && !run_row_alone (im, error))
        return FALSE;
      else if (!im->options->skip_invalid_rows)
        check_and_dispatch_row (im);
      if (im->db_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&im->db_error));
          return FALSE;
        }
      if (im->result->rows % PROGRESS_EVERY == 0)
        report_progress (im, reader);
    }

  if (local_error == NULL)
    return TRUE;
  if (g_error_matches (local_error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_CANCELLED))
    {
      g_set_error_literal (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_CANCELLED,
                           "The import was cancelled; nothing was written");
      return FALSE;
    }

  /* A broken record stops the reading; it is a problem of the file. */
  im->fatal = TRUE;
  im->result->n_errors++;
  if (im->result->problems->len < im->max_problems)
    {
      OmniImportProblem *problem = g_new0 (OmniImportProblem, 1);

      problem->line = omni_csv_reader_get_line (reader);
      problem->message = g_strdup (local_error->message);
      problem->text = g_strdup (local_error->message);
      g_ptr_array_add (im->result->problems, problem);
    }
  return TRUE;
}

/* Row by row, every variant, product and movement an import writes runs
 * its triggers, which keep the dashboard figures, levels and alerts: most
 * of an import's time for a large file. A large import (against the
 * catalog it lands in) instead runs with this connection's triggers off
 * and has the store redo their work once, set by set, at the end (see
 * omni-store-ledger.c). Only when the schema's triggers are all ones the
 * store knows how to redo. The file size stands in for the row count: a
 * row takes 16 bytes or more even in a bare "SKU,quantity" stock file. */
#define BYTES_PER_ROW_AT_LEAST 16

static gboolean
choose_bulk (ImportRun *im)
{
  guint64 rows = im->file_size / BYTES_PER_ROW_AT_LEAST;

  if (im->bulk_threshold == G_MAXUINT64 || rows < im->bulk_threshold)
    return FALSE;
  /* Redoing the figures costs a pass over the whole catalog. */
  if (rows < (guint64)im->max_variant_id / 4)
    return FALSE;
  return _omni_store_bulk_triggers_known (im->store);
}

/* Turns the triggers back on if the import turned them off; with @error
 * %NULL only that (on the way out of a failed import). */
static gboolean
end_bulk (ImportRun  *im,
          GError    **error)
{
  if (!im->bulk)
    return TRUE;
  im->bulk = FALSE;
  if (!_omni_store_set_triggers_enabled (im->store, TRUE, error))
    return FALSE;
  return error == NULL || _omni_store_bulk_refresh_aggregates (im->store, error);
}

static gboolean
run_in_transaction (ImportRun      *im,
                    OmniCsvReader  *reader,
                    GCancellable   *cancellable,
                    GError        **error)
{
  if (!prepare_temp_tables (im->store, error) || !omni_store_begin (im->store, error))
    return FALSE;
  if (!clear_temp_tables (im->store, error) ||
      !_omni_import_load_state (im, error))
    goto fail;

  if (choose_bulk (im))
    {
      if (!_omni_store_set_triggers_enabled (im->store, FALSE, error))
        goto fail;
      im->bulk = TRUE;
      im->result->bulk = TRUE;
    }

  if (!read_rows (im, reader, cancellable, error) ||
      !_omni_import_finish_rows (im, error))
    goto fail;

  if (im->fatal || (im->result->n_errors > 0 && !im->options->skip_invalid_rows) ||
      im->options->dry_run)
    {
      gboolean ok = _omni_import_write_movements (im, FALSE, error);

      end_bulk (im, NULL);
      omni_store_rollback (im->store);
      return ok;
    }

  /* The bulk way turns the triggers back on once it no longer needs them
   * off, and recomputes what they would have kept. */
  if (!_omni_import_write_movements (im, TRUE, error) ||
      !end_bulk (im, error) ||
      !_omni_import_write_search_index (im, cancellable, error))
    goto fail;
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_CANCELLED,
                           "The import was cancelled; nothing was written");
      goto fail;
    }
  if (im->rejects != NULL &&
      (!omni_csv_writer_close (im->rejects, error) ||
       !(im->rejects_closed = TRUE)))
    goto fail;
  if (!omni_store_commit (im->store, error))
    return FALSE;
  im->result->applied = TRUE;
  return TRUE;

fail:
  end_bulk (im, NULL);
  omni_store_rollback (im->store);
  return FALSE;
}

/**
 * omni_import_file:
 * @store: the store to write to
 * @path: the CSV file
 * @options: (nullable): layout, location, dry run, bounds, progress
 * @cancellable: (nullable): cancelling rolls everything back
 *
 * Imports a product or inventory CSV in one transaction. Every row is
 * checked; each problem is listed with its line and column. When there is
 * any error, or for a dry run, nothing is written and the result tells what
 * would have happened. Stock quantities become `import` movements whose
 * op_ids come from the file's SHA-256 and the line, so importing the same
 * file again changes no stock twice.
 *
 * Returns: (transfer full): the result, also when the file has problems (see
 *   #OmniImportResult.applied); %NULL with @error when the file cannot be
 *   read, its layout is unknown, or the import was cancelled
 */
OmniImportResult *
omni_import_file (OmniStore                *store,
                  const char               *path,
                  const OmniImportOptions  *options,
                  GCancellable             *cancellable,
                  GError                  **error)
{
  static const OmniImportOptions defaults = { 0 };
  g_autoptr(OmniImportResult) result = g_new0 (OmniImportResult, 1);
  g_autoptr(OmniCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *hash = NULL;
  const char * const *fields = NULL;
  guint n_fields = 0;
  OmniCsvOptions csv_options = { 0 };
  ImportRun im = { 0 };
  gint64 started = g_get_monotonic_time ();
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_import_problem_free);
  result->preview = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_import_preview_row_free);
  result->dry_run = options->dry_run;

  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_IO, "Cannot read “%s”: %s", path,
                   local_error ? local_error->message : "it is not a regular file");
      return NULL;
    }

  im.store = store;
  im.options = options;
  im.result = result;
  im.max_problems = options->max_problems ? options->max_problems : OMNI_IMPORT_MAX_PROBLEMS;
  im.max_rows = options->max_rows ? options->max_rows : OMNI_IMPORT_MAX_ROWS;
  im.bulk_threshold = options->bulk_threshold ? options->bulk_threshold
                                              : OMNI_IMPORT_BULK_THRESHOLD;
  im.file_size = (guint64)g_file_info_get_size (info);

  if (im.file_size > (options->max_file_bytes ? options->max_file_bytes
                                              : OMNI_IMPORT_MAX_FILE_BYTES))
    {
      g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_TOO_LARGE,
                   "“%s” is %" G_GUINT64_FORMAT " bytes, more than the %" G_GUINT64_FORMAT
                   " an import accepts; split it", path, im.file_size,
                   options->max_file_bytes ? options->max_file_bytes
                                           : OMNI_IMPORT_MAX_FILE_BYTES);
      return NULL;
    }

  hash = hash_file (path, cancellable, &local_error);
  if (hash == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_CANCELLED,
                             "The import was cancelled; nothing was written");
      else
        g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_IO, "Cannot read “%s”: %s",
                     path, local_error->message);
      return NULL;
    }
  result->file_hash = g_strdup (hash);
  im.hash16 = g_strndup (hash, 16);
  result->operation = g_strdup_printf ("import:%s", im.hash16);
  im.file_name = g_path_get_basename (path);

  csv_options.max_field_bytes = options->max_field_bytes ? options->max_field_bytes
                                                         : OMNI_IMPORT_MAX_FIELD_BYTES;
  reader = omni_csv_reader_new_for_path (path, &csv_options, &local_error);
  if (reader == NULL)
    {
      g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_IO, "%s", local_error->message);
      import_run_clear (&im);
      return NULL;
    }

  if (!omni_csv_reader_next (reader, &fields, &n_fields, cancellable, &local_error))
    {
      if (g_error_matches (local_error, OMNI_CSV_ERROR, OMNI_CSV_ERROR_CANCELLED))
        g_set_error_literal (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_CANCELLED,
                             "The import was cancelled; nothing was written");
      else if (local_error != NULL)
        g_set_error (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_INVALID, "%s",
                     local_error->message);
      else
        g_set_error_literal (error, OMNI_IMPORT_ERROR, OMNI_IMPORT_ERROR_INVALID,
                             "The file is empty: it has no header line");
      import_run_clear (&im);
      return NULL;
    }

  if (!start_layout (&im, fields, n_fields, error))
    {
      import_run_clear (&im);
      return NULL;
    }

  if (!check_required_columns (&im))
    ok = im.fatal = TRUE;
  else if (!open_rejects (&im, error))
    ok = FALSE;
  else
    {
      /* The store keeps TEMP tables in memory; the import's would grow with
       * the file, so for its length they live in a file SQLite manages.
       * Switching back drops them. */
      im.statements = g_hash_table_new (g_direct_hash, g_direct_equal);
      gboolean lite = _omni_store_get_sqlite (store) != NULL;

      ok = (!lite || _omni_store_exec (store, "PRAGMA temp_store = FILE", error)) &&
           run_in_transaction (&im, reader, cancellable, error);
      /* The statements on TEMP tables go with them. */
      g_clear_pointer (&im.statements, g_hash_table_unref);
      if (lite && !_omni_store_exec (store, "PRAGMA temp_store = MEMORY", ok ? error : NULL))
        ok = FALSE;
    }

  result->file_error = im.fatal;
  result->encoding = g_strdup (omni_csv_reader_get_encoding (reader));
  result->delimiter = omni_csv_reader_get_delimiter (reader);
  report_progress (&im, reader);
  import_run_clear (&im);
  if (!ok)
    return NULL;

  if (result->applied && result->format == OMNI_IMPORT_FORMAT_GENERIC &&
      options->mapping != NULL)
    omni_import_save_mapping (store, options->mapping, NULL);

  result->seconds = (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;
  return g_steal_pointer (&result);
}
