/* omni-page.h: what every page of the main window shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"

G_BEGIN_DECLS

#define OMNI_TYPE_PAGE (omni_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (OmniPage, omni_page, OMNI, PAGE, AdwBin)

struct _OmniPageClass
{
  AdwBinClass parent_class;

  /*< private >*/
  gpointer padding[4];
};

OmniContext *omni_page_get_context (OmniPage *self);

G_END_DECLS
