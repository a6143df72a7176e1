/* omni-report-pdf.c: a report table as a PDF document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Cairo PDF surface that writes straight into the caller's stream: A4,
 * turned on its side for wide tables, laid out by omni-report-layout.c with
 * the title, the filters, the header on every page, page numbers and the
 * totals. The text is real text, so it can be searched and copied.
 */
#define G_LOG_DOMAIN "omni-report"

#include "config.h"

#include <cairo-pdf.h>

#include "omni-report-layout.h"
#include "omni-report-render.h"

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

  /* After the first failure Cairo stops writing; keep that first error. */
  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;

  if (!g_output_stream_write_all (sink->stream, data, length, NULL, sink->cancellable,
                                  &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
surface_failed (cairo_surface_t  *surface,
                PdfSink          *sink,
                GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (sink->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sink->error));
      return TRUE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The PDF could not be drawn: %s", cairo_status_to_string (status));
      return TRUE;
    }

  return FALSE;
}

/**
 * omni_report_table_write_pdf:
 * @stream: where the PDF goes; flushed, left open
 *
 * Returns: %TRUE when the whole document was written
 */
gboolean
omni_report_table_write_pdf (OmniReportTable  *table,
                             GOutputStream    *stream,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(OmniReportLayout) layout = NULL;
  PdfSink sink = { stream, cancellable, NULL };
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean landscape;
  double width, height;
  gboolean ok = TRUE;
  guint n_pages;

  g_return_val_if_fail (OMNI_IS_REPORT_TABLE (table), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  landscape = omni_report_layout_prefers_landscape (table);
  width = landscape ? OMNI_REPORT_PAGE_HEIGHT : OMNI_REPORT_PAGE_WIDTH;
  height = landscape ? OMNI_REPORT_PAGE_WIDTH : OMNI_REPORT_PAGE_HEIGHT;

  surface = cairo_pdf_surface_create_for_stream (pdf_write, &sink, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  omni_report_table_get_title (table));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "OmniStock");
  cr = cairo_create (surface);

  layout = omni_report_layout_new (table, cr, width, height);
  n_pages = omni_report_layout_get_n_pages (layout);
  for (guint page = 0; page < n_pages && ok; page++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      else
        {
          omni_report_layout_draw_page (layout, cr, page);
          cairo_show_page (cr);
          ok = !surface_failed (surface, &sink, error);
        }
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (ok)
    ok = !surface_failed (surface, &sink, error);
  cairo_surface_destroy (surface);
  g_clear_error (&sink.error);

  if (ok)
    ok = g_output_stream_flush (stream, cancellable, error);

  return ok;
}
