/* omni-count-page.h: the Stock Count page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_PAGE (omni_count_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountPage, omni_count_page, OMNI, COUNT_PAGE, OmniPage)

GtkWidget  *omni_count_page_new            (OmniContext   *context);
gint64      omni_count_page_get_session_id (OmniCountPage *self);
const char *omni_count_page_get_view       (OmniCountPage *self);
gboolean    omni_count_page_get_busy       (OmniCountPage *self);
GtkWidget  *omni_count_page_get_scan_panel (OmniCountPage *self);
GtkWidget  *omni_count_page_get_review     (OmniCountPage *self);
GListModel *omni_count_page_get_lines      (OmniCountPage *self);
GListModel *omni_count_page_get_codes      (OmniCountPage *self);
void        omni_count_page_export_async   (OmniCountPage       *self,
                                            GFile               *file,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gssize      omni_count_page_export_finish  (OmniCountPage       *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
