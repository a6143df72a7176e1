/* omni-rate-limit.h: token buckets, one per API operation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _OmniRateLimit OmniRateLimit;

OmniRateLimit *omni_rate_limit_new        (void);
void           omni_rate_limit_free       (OmniRateLimit  *self);
void           omni_rate_limit_define     (OmniRateLimit  *self,
                                           const char     *operation,
                                           double          rate,
                                           double          burst);
void           omni_rate_limit_set_margin (OmniRateLimit  *self,
                                           gint64          margin_ms);
gboolean       omni_rate_limit_is_defined (OmniRateLimit  *self,
                                           const char     *operation);
gint64         omni_rate_limit_reserve    (OmniRateLimit  *self,
                                           const char     *operation,
                                           gint64          now_us);
gboolean       omni_rate_limit_acquire    (OmniRateLimit  *self,
                                           const char     *operation,
                                           GCancellable   *cancellable,
                                           gint64         *waited_ms,
                                           GError        **error);
void           omni_rate_limit_set_rate   (OmniRateLimit  *self,
                                           const char     *operation,
                                           double          rate);
void           omni_rate_limit_throttled  (OmniRateLimit  *self,
                                           const char     *operation,
                                           gint64          now_us);
double         omni_rate_limit_get_rate   (OmniRateLimit  *self,
                                           const char     *operation);
double         omni_rate_limit_get_burst  (OmniRateLimit  *self,
                                           const char     *operation);
double         omni_rate_limit_parse_header (const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniRateLimit, omni_rate_limit_free)

G_END_DECLS
