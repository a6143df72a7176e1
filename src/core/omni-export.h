/* omni-export.h: streaming CSV export of products and stock levels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniExportFormat:
 * @OMNI_EXPORT_FORMAT_SHOPIFY: Shopify's product CSV (or, for inventory, its
 *   inventory CSV): one row per variant, product fields on the first
 * @OMNI_EXPORT_FORMAT_GENERIC: one row per variant with every field, headed
 *   by the generic import's field names, so it imports back without a mapping
 */
typedef enum
{
  OMNI_EXPORT_FORMAT_SHOPIFY,
  OMNI_EXPORT_FORMAT_GENERIC,
} OmniExportFormat;

gboolean  omni_export_format_from_string (const char        *text,
                                          OmniExportFormat  *format);

gboolean  omni_export_products           (OmniStore         *store,
                                          GOutputStream     *stream,
                                          OmniExportFormat   format,
                                          guint64           *rows_out,
                                          GCancellable      *cancellable,
                                          GError           **error);
gboolean  omni_export_inventory          (OmniStore         *store,
                                          GOutputStream     *stream,
                                          OmniExportFormat   format,
                                          guint64           *rows_out,
                                          GCancellable      *cancellable,
                                          GError           **error);

gboolean  omni_export_movements          (OmniStore         *store,
                                          GOutputStream     *stream,
                                          const char        *from,
                                          const char        *to,
                                          guint64           *rows_out,
                                          GCancellable      *cancellable,
                                          GError           **error);

G_END_DECLS
