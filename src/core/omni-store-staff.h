/* omni-store-staff.h: staff profiles that say who made each change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/* PINs are 4 to 12 digits. */
#define OMNI_STAFF_PIN_MIN 4
#define OMNI_STAFF_PIN_MAX 12

typedef struct
{
  gint64    id;
  char     *name;
  char     *role;        /* "owner" or "staff" */
  gboolean  has_pin;
} OmniStaff;

gint64     omni_store_add_staff     (OmniStore    *self,
                                     const char   *name,
                                     const char   *role,
                                     const char   *pin,
                                     GError      **error);
GPtrArray *omni_store_list_staff    (OmniStore    *self,
                                     GError      **error);
gboolean   omni_store_check_pin     (OmniStore    *self,
                                     gint64        staff_id,
                                     const char   *pin,
                                     GError      **error);
gboolean   omni_store_set_staff_pin (OmniStore    *self,
                                     gint64        staff_id,
                                     const char   *pin,
                                     GError      **error);
gboolean   omni_store_archive_staff (OmniStore    *self,
                                     gint64        staff_id,
                                     GError      **error);
void       omni_staff_free          (OmniStaff    *staff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniStaff, omni_staff_free)

G_END_DECLS
