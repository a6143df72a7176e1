/* omni-report-table.h: a report as a table every renderer reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "omni-types.h"

G_BEGIN_DECLS

/**
 * OmniCellKind:
 * @OMNI_CELL_TEXT: free text, left-aligned
 * @OMNI_CELL_INTEGER: a whole number (units, counts)
 * @OMNI_CELL_MONEY: minor units of the table's currency
 * @OMNI_CELL_DECIMAL: a measure shown with one decimal (days of cover)
 * @OMNI_CELL_TIME: a UTC time as the store keeps it (ISO 8601); shown to
 *   people in local time, written to files as it is
 *
 * What a column holds; integer, money and decimal columns are numbers,
 * right-aligned; text and time are left-aligned.
 */
typedef enum
{
  OMNI_CELL_TEXT,
  OMNI_CELL_INTEGER,
  OMNI_CELL_MONEY,
  OMNI_CELL_DECIMAL,
  OMNI_CELL_TIME,
} OmniCellKind;

/**
 * OmniCellFormat:
 * @OMNI_CELL_FORMAT_DISPLAY: for people: digit grouping, the locale's
 *   decimal point
 * @OMNI_CELL_FORMAT_DATA: for files and programs: "1234.50", no grouping,
 *   always a dot
 */
typedef enum
{
  OMNI_CELL_FORMAT_DISPLAY,
  OMNI_CELL_FORMAT_DATA,
} OmniCellFormat;

/* The row index that addresses the totals row. */
#define OMNI_REPORT_TOTALS G_MAXUINT

/* Columns a table may have: blank cells are one bit each in a row. */
#define OMNI_REPORT_MAX_COLUMNS 32

#define OMNI_TYPE_REPORT_TABLE (omni_report_table_get_type ())
G_DECLARE_FINAL_TYPE (OmniReportTable, omni_report_table, OMNI, REPORT_TABLE, GObject)

OmniReportTable *omni_report_table_new            (const char      *key,
                                                   const char      *title);

const char      *omni_report_table_get_key        (OmniReportTable *self);
const char      *omni_report_table_get_title      (OmniReportTable *self);
void             omni_report_table_add_filter     (OmniReportTable *self,
                                                   const char      *label,
                                                   const char      *value);
const char * const *omni_report_table_get_filters (OmniReportTable *self);
void             omni_report_table_add_note       (OmniReportTable *self,
                                                   const char      *note);
const char * const *omni_report_table_get_notes   (OmniReportTable *self);
void             omni_report_table_set_currency   (OmniReportTable *self,
                                                   const char      *currency);
const char      *omni_report_table_get_currency   (OmniReportTable *self);
void             omni_report_table_set_generated  (OmniReportTable *self,
                                                   GDateTime       *time);
GDateTime       *omni_report_table_get_generated  (OmniReportTable *self);
char            *omni_report_table_format_generated (OmniReportTable *self);

guint            omni_report_table_add_column     (OmniReportTable *self,
                                                   const char      *key,
                                                   const char      *title,
                                                   OmniCellKind     kind);
guint            omni_report_table_get_n_columns  (OmniReportTable *self);
const char      *omni_report_table_get_column_key (OmniReportTable *self,
                                                   guint            column);
const char      *omni_report_table_get_column_title (OmniReportTable *self,
                                                   guint            column);
OmniCellKind     omni_report_table_get_column_kind (OmniReportTable *self,
                                                   guint            column);
gboolean         omni_report_table_column_is_numeric (OmniReportTable *self,
                                                   guint            column);

guint            omni_report_table_append_row     (OmniReportTable *self);
guint            omni_report_table_get_n_rows     (OmniReportTable *self);
gboolean         omni_report_table_has_totals     (OmniReportTable *self);

void             omni_report_table_set_text       (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column,
                                                   const char      *text);
void             omni_report_table_set_int        (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column,
                                                   gint64           value);
void             omni_report_table_set_decimal    (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column,
                                                   double           value);

gboolean         omni_report_table_is_blank       (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column);
const char      *omni_report_table_get_text       (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column);
gint64           omni_report_table_get_int        (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column);
double           omni_report_table_get_decimal    (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column);
char            *omni_report_table_format_cell    (OmniReportTable *self,
                                                   guint            row,
                                                   guint            column,
                                                   OmniCellFormat   format);
int              omni_report_table_compare_rows   (OmniReportTable *self,
                                                   guint            a,
                                                   guint            b,
                                                   guint            column);

G_END_DECLS
