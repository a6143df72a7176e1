/* omni-count-page.h: the Stock Count page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-page.h"

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_PAGE (omni_count_page_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountPage, omni_count_page, OMNI, COUNT_PAGE, OmniPage)

GtkWidget *omni_count_page_new (OmniContext *context);

G_END_DECLS
