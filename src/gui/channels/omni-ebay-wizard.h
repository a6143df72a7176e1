/* omni-ebay-wizard.h: connecting an eBay seller account, step by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_EBAY_WIZARD (omni_ebay_wizard_get_type ())
G_DECLARE_FINAL_TYPE (OmniEbayWizard, omni_ebay_wizard, OMNI, EBAY_WIZARD, AdwWindow)

OmniEbayWizard *omni_ebay_wizard_new (GtkWindow  *parent,
                                      const char *db_path);

G_END_DECLS
