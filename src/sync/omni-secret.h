/* omni-secret.h: channel credentials in the Secret Service (keyring)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OMNI_SECRET_SCHEMA_NAME "io.github.omnistock.OmniStock.Credential"

gboolean  omni_secret_check_available (GCancellable  *cancellable,
                                       GError       **error);
gboolean  omni_secret_store           (const char    *platform,
                                       const char    *account,
                                       const char    *label,
                                       const char    *secret,
                                       GCancellable  *cancellable,
                                       GError       **error);
char     *omni_secret_lookup          (const char    *platform,
                                       const char    *account,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean  omni_secret_clear           (const char    *platform,
                                       const char    *account,
                                       GCancellable  *cancellable,
                                       GError       **error);
void      omni_secret_free            (char          *secret);
void      omni_secret_release         (void);

G_END_DECLS
