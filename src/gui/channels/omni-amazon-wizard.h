/* omni-amazon-wizard.h: connecting an Amazon seller account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_AMAZON_WIZARD (omni_amazon_wizard_get_type ())
G_DECLARE_FINAL_TYPE (OmniAmazonWizard, omni_amazon_wizard, OMNI, AMAZON_WIZARD, AdwWindow)

OmniAmazonWizard *omni_amazon_wizard_new        (GtkWindow        *parent,
                                                 const char       *db_path);
void              omni_amazon_wizard_set_api_url (OmniAmazonWizard *self,
                                                 const char       *api_url);

G_END_DECLS
