/* omni-inventory-util.h: small helpers the inventory views share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "omni-context.h"
#include "omni-store-catalog.h"
#include "omni-store-inventory.h"
#include "omni-store-staff.h"

G_BEGIN_DECLS

/**
 * OmniReasonChoice:
 * @reason: the OMNI_REASON_* name stored in the ledger
 * @label: its untranslated label; translate with _()
 */
typedef struct
{
  const char *reason;
  const char *label;
} OmniReasonChoice;

const OmniReasonChoice *omni_inventory_adjust_reasons   (guint          *n_reasons);
const OmniReasonChoice *omni_inventory_all_reasons      (guint          *n_reasons);
const char             *omni_inventory_reason_label     (const char     *reason);
char                   *omni_inventory_format_delta     (gint64          delta);
char                   *omni_inventory_format_count     (gint64          count);
char                   *omni_inventory_variant_label    (const OmniVariantRow *row);
char                   *omni_inventory_dup_variant_label (OmniStore     *store,
                                                          gint64         variant_id);
gint64                  omni_inventory_get_default_reorder_point (OmniStore *store);
gint64                  omni_inventory_effective_reorder_point (const OmniVariantRow *row,
                                                                gint64          shop_default);
const char             *omni_inventory_stock_state      (const OmniVariantRow *row,
                                                         gint64          shop_default);
void                    omni_inventory_preferences_toast (GtkWidget  *widget,
                                                          const char *text);
void                    omni_inventory_add_toast        (GtkWidget      *widget,
                                                         AdwToast       *toast);
AdwToast               *omni_inventory_undo_toast_new   (const char     *text,
                                                         const char     *operation);
OmniStaff              *omni_inventory_staff_copy       (const OmniStaff *staff);
const char             *omni_inventory_role_label       (const char     *role);
void                    omni_inventory_show_error       (GtkWidget      *widget,
                                                         const char     *message);

void                    omni_inventory_spin_on_enter     (GtkSpinButton  *spin,
                                                          GCallback       callback,
                                                          gpointer        data);

G_END_DECLS
