/* omni-report-table.c: a report as a table every renderer reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A builder fills a table once from a core report; after that the table is
 * only read, so a worker can build it and hand it to the main thread, and
 * the screen, CSV, PDF, print and terminal renderers all show the same
 * figures. Cells keep their values (numbers stay numbers) and are turned
 * into text only when rendered: grouped digits for people, plain digits for
 * files.
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "omni-money.h"
#include "omni-report-table.h"

typedef struct
{
  char         *key;
  char         *title;
  OmniCellKind  kind;
} Column;

typedef union
{
  char   *text;
  gint64  integer;
  double  real;
} Cell;

/* One allocation per row: the blank mask, then a cell per column. A cell
 * that was never set is blank. */
typedef struct
{
  guint32 set_mask;
  Cell    cells[];
} Row;

struct _OmniReportTable
{
  GObject     parent_instance;

  char       *key;
  char       *title;
  GPtrArray  *filters;
  GPtrArray  *notes;
  char       *currency;
  GDateTime  *generated;
  GArray     *columns;
  GPtrArray  *rows;
  Row        *totals;
  /* Set once the first row exists: columns can no longer be added. */
  gboolean    sealed;
};

G_DEFINE_FINAL_TYPE (OmniReportTable, omni_report_table, G_TYPE_OBJECT)

static void
column_clear (Column *column)
{
  g_free (column->key);
  g_free (column->title);
}

static void
row_free (OmniReportTable *self,
          Row             *row)
{
  if (row == NULL)
    return;

  for (guint i = 0; i < self->columns->len; i++)
    {
      const Column *column = &g_array_index (self->columns, Column, i);

      if (column->kind == OMNI_CELL_TEXT || column->kind == OMNI_CELL_TIME)
        g_free (row->cells[i].text);
    }
  g_free (row);
}

static Row *
row_new (OmniReportTable *self)
{
  self->sealed = TRUE;

  return g_malloc0 (sizeof (Row) + self->columns->len * sizeof (Cell));
}

static void
omni_report_table_finalize (GObject *object)
{
  OmniReportTable *self = OMNI_REPORT_TABLE (object);

  for (guint i = 0; i < self->rows->len; i++)
    row_free (self, g_ptr_array_index (self->rows, i));
  g_ptr_array_unref (self->rows);
  row_free (self, self->totals);
  g_array_unref (self->columns);
  g_ptr_array_unref (self->filters);
  g_ptr_array_unref (self->notes);
  g_clear_pointer (&self->generated, g_date_time_unref);
  g_free (self->currency);
  g_free (self->title);
  g_free (self->key);

  G_OBJECT_CLASS (omni_report_table_parent_class)->finalize (object);
}

static void
omni_report_table_class_init (OmniReportTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_report_table_finalize;
}

static void
omni_report_table_init (OmniReportTable *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, (GDestroyNotify) column_clear);
  self->rows = g_ptr_array_new ();
  /* NULL-terminated, so they read as string vectors. */
  self->filters = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->notes = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->generated = g_date_time_new_now_local ();
}

/**
 * omni_report_table_new:
 * @key: what scripts call the report ("valuation")
 * @title: what people read ("Inventory Valuation")
 *
 * Returns: (transfer full): an empty table; add the columns, then the rows
 */
OmniReportTable *
omni_report_table_new (const char *key,
                       const char *title)
{
  OmniReportTable *self;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (OMNI_TYPE_REPORT_TABLE, NULL);
  self->key = g_strdup (key);
  self->title = g_strdup (title);

  return self;
}

const char *
omni_report_table_get_key (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);

  return self->key;
}

const char *
omni_report_table_get_title (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);

  return self->title;
}

/**
 * omni_report_table_add_filter:
 * @label: what the filter is ("Date range")
 * @value: what it was set to ("2026-10-01 to 2026-10-31")
 *
 * Adds a line "Label: value" that every rendering shows above the table,
 * so a printed report says what it covers.
 */
void
omni_report_table_add_filter (OmniReportTable *self,
                              const char      *label,
                              const char      *value)
{
  g_return_if_fail (OMNI_IS_REPORT_TABLE (self));
  g_return_if_fail (label != NULL && value != NULL);

  g_ptr_array_add (self->filters, g_strdup_printf ("%s: %s", label, value));
}

/* A null-terminated array has no storage until its first element. */
static const char * const *
strv_or_empty (GPtrArray *array)
{
  static const char * const empty[] = { NULL };

  return array->pdata != NULL ? (const char * const *) array->pdata : empty;
}

/**
 * omni_report_table_get_filters:
 *
 * Returns: (transfer none): the filter lines, %NULL-terminated
 */
const char * const *
omni_report_table_get_filters (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);

  return strv_or_empty (self->filters);
}

/**
 * omni_report_table_add_note:
 * @note: a sentence about how to read the figures
 *
 * Notes follow the filters ("Unit costs are today’s").
 */
void
omni_report_table_add_note (OmniReportTable *self,
                            const char      *note)
{
  g_return_if_fail (OMNI_IS_REPORT_TABLE (self));
  g_return_if_fail (note != NULL);

  g_ptr_array_add (self->notes, g_strdup (note));
}

/**
 * omni_report_table_get_notes:
 *
 * Returns: (transfer none): the notes, %NULL-terminated
 */
const char * const *
omni_report_table_get_notes (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);

  return strv_or_empty (self->notes);
}

void
omni_report_table_set_currency (OmniReportTable *self,
                                const char      *currency)
{
  g_return_if_fail (OMNI_IS_REPORT_TABLE (self));

  g_free (self->currency);
  self->currency = g_strdup (currency);
}

/**
 * omni_report_table_get_currency:
 *
 * Returns: (nullable): the ISO 4217 code of the money columns
 */
const char *
omni_report_table_get_currency (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);

  return self->currency;
}

/**
 * omni_report_table_set_generated:
 * @time: when the figures were read; tests fix it so renderings compare
 */
void
omni_report_table_set_generated (OmniReportTable *self,
                                 GDateTime       *time)
{
  g_return_if_fail (OMNI_IS_REPORT_TABLE (self));
  g_return_if_fail (time != NULL);

  g_clear_pointer (&self->generated, g_date_time_unref);
  self->generated = g_date_time_ref (time);
}

/**
 * omni_report_table_get_generated:
 *
 * Returns: (transfer none): when the figures were read
 */
GDateTime *
omni_report_table_get_generated (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);

  return self->generated;
}

/**
 * omni_report_table_format_generated:
 *
 * Returns: (transfer full): "2026-11-25 14:30", in the time zone the time
 *   was given in
 */
char *
omni_report_table_format_generated (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);

  return g_date_time_format (self->generated, "%Y-%m-%d %H:%M");
}

/**
 * omni_report_table_add_column:
 * @key: the name scripts use (JSON member, stable)
 * @title: the header people read (translated)
 * @kind: what the cells hold
 *
 * Columns come before the first row.
 *
 * Returns: the column's index
 */
guint
omni_report_table_add_column (OmniReportTable *self,
                              const char      *key,
                              const char      *title,
                              OmniCellKind     kind)
{
  Column column = { 0 };

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), 0);
  g_return_val_if_fail (!self->sealed, 0);
  g_return_val_if_fail (self->columns->len < OMNI_REPORT_MAX_COLUMNS, 0);
  g_return_val_if_fail (key != NULL && title != NULL, 0);

  column.key = g_strdup (key);
  column.title = g_strdup (title);
  column.kind = kind;
  g_array_append_val (self->columns, column);

  return self->columns->len - 1;
}

guint
omni_report_table_get_n_columns (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), 0);

  return self->columns->len;
}

static const Column *
get_column (OmniReportTable *self,
            guint            column)
{
  return &g_array_index (self->columns, Column, column);
}

const char *
omni_report_table_get_column_key (OmniReportTable *self,
                                  guint            column)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  return get_column (self, column)->key;
}

const char *
omni_report_table_get_column_title (OmniReportTable *self,
                                    guint            column)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  return get_column (self, column)->title;
}

OmniCellKind
omni_report_table_get_column_kind (OmniReportTable *self,
                                   guint            column)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), OMNI_CELL_TEXT);
  g_return_val_if_fail (column < self->columns->len, OMNI_CELL_TEXT);

  return get_column (self, column)->kind;
}

/**
 * omni_report_table_column_is_numeric:
 *
 * Returns: whether the column holds numbers, which every renderer
 *   right-aligns
 */
gboolean
omni_report_table_column_is_numeric (OmniReportTable *self,
                                     guint            column)
{
  OmniCellKind kind = omni_report_table_get_column_kind (self, column);

  return kind != OMNI_CELL_TEXT && kind != OMNI_CELL_TIME;
}

/**
 * omni_report_table_append_row:
 *
 * Returns: the new row's index; its cells are blank until set
 */
guint
omni_report_table_append_row (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), 0);

  g_ptr_array_add (self->rows, row_new (self));

  return self->rows->len - 1;
}

guint
omni_report_table_get_n_rows (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), 0);

  return self->rows->len;
}

/**
 * omni_report_table_has_totals:
 *
 * Returns: whether a cell of the totals row (%OMNI_REPORT_TOTALS) was set
 */
gboolean
omni_report_table_has_totals (OmniReportTable *self)
{
  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), FALSE);

  return self->totals != NULL;
}

static Row *
lookup_row (OmniReportTable *self,
            guint            row)
{
  if (row == OMNI_REPORT_TOTALS)
    return self->totals;

  return row < self->rows->len ? g_ptr_array_index (self->rows, row) : NULL;
}

static OmniCellKind
slot_kind (OmniCellKind kind)
{
  switch (kind)
    {
    case OMNI_CELL_MONEY:
      return OMNI_CELL_INTEGER;
    case OMNI_CELL_TIME:
      return OMNI_CELL_TEXT;
    case OMNI_CELL_TEXT:
    case OMNI_CELL_INTEGER:
    case OMNI_CELL_DECIMAL:
    default:
      return kind;
    }
}

/* The row to write into, creating the totals row on first use. */
static Row *
writable_cell (OmniReportTable *self,
               guint            row,
               guint            column,
               OmniCellKind     kind)
{
  Row *found;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  if (row == OMNI_REPORT_TOTALS && self->totals == NULL)
    self->totals = row_new (self);

  found = lookup_row (self, row);
  g_return_val_if_fail (found != NULL, NULL);

  /* Money and whole numbers share the integer slot, times the text one. */
  g_return_val_if_fail (slot_kind (get_column (self, column)->kind) == kind, NULL);

  found->set_mask |= 1u << column;
  return found;
}

/**
 * omni_report_table_set_text:
 * @row: a row index, or %OMNI_REPORT_TOTALS
 * @text: (nullable): the text; %NULL leaves the cell blank
 */
void
omni_report_table_set_text (OmniReportTable *self,
                            guint            row,
                            guint            column,
                            const char      *text)
{
  Row *found;

  if (text == NULL)
    return;

  found = writable_cell (self, row, column, OMNI_CELL_TEXT);
  if (found == NULL)
    return;

  g_free (found->cells[column].text);
  found->cells[column].text = g_strdup (text);
}

/**
 * omni_report_table_set_int:
 * @row: a row index, or %OMNI_REPORT_TOTALS
 * @value: a whole number, or minor units for a money column
 */
void
omni_report_table_set_int (OmniReportTable *self,
                           guint            row,
                           guint            column,
                           gint64           value)
{
  Row *found = writable_cell (self, row, column, OMNI_CELL_INTEGER);

  if (found != NULL)
    found->cells[column].integer = value;
}

void
omni_report_table_set_decimal (OmniReportTable *self,
                               guint            row,
                               guint            column,
                               double           value)
{
  Row *found = writable_cell (self, row, column, OMNI_CELL_DECIMAL);

  if (found != NULL)
    found->cells[column].real = value;
}

static const Cell *
readable_cell (OmniReportTable *self,
               guint            row,
               guint            column)
{
  Row *found;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  found = lookup_row (self, row);
  if (found == NULL || (found->set_mask & (1u << column)) == 0)
    return NULL;

  return &found->cells[column];
}

gboolean
omni_report_table_is_blank (OmniReportTable *self,
                            guint            row,
                            guint            column)
{
  return readable_cell (self, row, column) == NULL;
}

/**
 * omni_report_table_get_text:
 *
 * Returns: (nullable): a text cell's text; %NULL when blank
 */
const char *
omni_report_table_get_text (OmniReportTable *self,
                            guint            row,
                            guint            column)
{
  const Cell *cell = readable_cell (self, row, column);

  g_return_val_if_fail (slot_kind (get_column (self, column)->kind) == OMNI_CELL_TEXT, NULL);

  return cell != NULL ? cell->text : NULL;
}

/**
 * omni_report_table_get_int:
 *
 * Returns: a whole-number or money cell's value; 0 when blank
 */
gint64
omni_report_table_get_int (OmniReportTable *self,
                           guint            row,
                           guint            column)
{
  const Cell *cell = readable_cell (self, row, column);

  g_return_val_if_fail (slot_kind (get_column (self, column)->kind) == OMNI_CELL_INTEGER, 0);

  return cell != NULL ? cell->integer : 0;
}

double
omni_report_table_get_decimal (OmniReportTable *self,
                               guint            row,
                               guint            column)
{
  const Cell *cell = readable_cell (self, row, column);

  g_return_val_if_fail (get_column (self, column)->kind == OMNI_CELL_DECIMAL, 0);

  return cell != NULL ? cell->real : 0;
}

/* "12,345" in the locale's grouping (printf's ' flag), sign in ASCII so a
 * terminal in any charset shows it. */
static char *
format_grouped (gint64 value)
{
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  return g_strdup_printf ("%s%'" G_GUINT64_FORMAT, value < 0 ? "-" : "", magnitude);
}

static char *
format_money (gint64          minor,
              const char     *currency,
              OmniCellFormat  format)
{
  guint digits = omni_money_decimals (currency);
  guint64 magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;
  guint64 scale = 1;
  g_autofree char *major = NULL;

  if (format == OMNI_CELL_FORMAT_DATA)
    return omni_money_format (minor, NULL);

  for (guint i = 0; i < digits; i++)
    scale *= 10;

  major = g_strdup_printf ("%s%'" G_GUINT64_FORMAT, minor < 0 ? "-" : "", magnitude / scale);
  if (digits == 0)
    return g_steal_pointer (&major);

  return g_strdup_printf ("%s%s%0*" G_GUINT64_FORMAT,
                          major, localeconv ()->decimal_point, (int) digits,
                          magnitude % scale);
}

static char *
format_decimal (double         value,
                OmniCellFormat format)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (format == OMNI_CELL_FORMAT_DATA)
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));

  return g_strdup_printf ("%'.1f", value);
}

/* Stored times are UTC ISO 8601; people read them in local time, to the
 * minute. Text that is no time is shown as it is. */
static char *
format_time (const char     *stored,
             OmniCellFormat  format)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (format == OMNI_CELL_FORMAT_DATA ||
      (utc = g_date_time_new_from_iso8601 (stored, NULL)) == NULL)
    return g_strdup (stored);

  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/**
 * omni_report_table_format_cell:
 * @row: a row index, or %OMNI_REPORT_TOTALS
 * @format: for people or for files
 *
 * Returns: (transfer full): the cell as text; "" when blank
 */
char *
omni_report_table_format_cell (OmniReportTable *self,
                               guint            row,
                               guint            column,
                               OmniCellFormat   format)
{
  const Cell *cell = readable_cell (self, row, column);

  if (cell == NULL)
    return g_strdup ("");

  switch (get_column (self, column)->kind)
    {
    case OMNI_CELL_TEXT:
      return g_strdup (cell->text);

    case OMNI_CELL_INTEGER:
      if (format == OMNI_CELL_FORMAT_DATA)
        return g_strdup_printf ("%" G_GINT64_FORMAT, cell->integer);
      return format_grouped (cell->integer);

    case OMNI_CELL_MONEY:
      return format_money (cell->integer, self->currency, format);

    case OMNI_CELL_DECIMAL:
      return format_decimal (cell->real, format);

    case OMNI_CELL_TIME:
      return format_time (cell->text, format);

    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

/**
 * omni_report_table_compare_rows:
 * @column: the column to compare by
 *
 * Blank cells sort first; text compares as people sort it.
 *
 * Returns: <0, 0 or >0 as row @a comes before, with or after row @b
 */
int
omni_report_table_compare_rows (OmniReportTable *self,
                                guint            a,
                                guint            b,
                                guint            column)
{
  const Cell *ca = readable_cell (self, a, column);
  const Cell *cb = readable_cell (self, b, column);

  if (ca == NULL || cb == NULL)
    return (ca != NULL) - (cb != NULL);

  switch (get_column (self, column)->kind)
    {
    case OMNI_CELL_TEXT:
      return g_utf8_collate (ca->text, cb->text);

    case OMNI_CELL_TIME:
      return strcmp (ca->text, cb->text);

    case OMNI_CELL_INTEGER:
    case OMNI_CELL_MONEY:
      return (ca->integer > cb->integer) - (ca->integer < cb->integer);

    case OMNI_CELL_DECIMAL:
      return (ca->real > cb->real) - (ca->real < cb->real);

    default:
      g_return_val_if_reached (0);
    }
}
