/* omni-cli-till.h: selling on while a shared store's server is away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

gboolean omni_cli_db_is_unreachable   (OmniCliContext  *ctx,
                                       const GError    *error);
gboolean omni_cli_till_record_offline (OmniCliContext  *ctx,
                                       const char      *sku,
                                       const char      *location,
                                       gint64           quantity,
                                       const char      *reason,
                                       const char      *note,
                                       const GError    *cause,
                                       GError         **error);
gboolean omni_cli_till_record_count_offline (OmniCliContext  *ctx,
                                             gint64           session_id,
                                             const char      *code,
                                             gint64           quantity,
                                             gboolean         set,
                                             const GError    *cause,
                                             GError         **error);
void     omni_cli_till_note_counts    (OmniCliContext  *ctx,
                                       OmniStore       *store);
void     omni_cli_till_replay_pending (OmniCliContext  *ctx,
                                       OmniStore       *store);
gboolean omni_cli_till_pending        (OmniCliContext  *ctx,
                                       GError         **error);
gboolean omni_cli_till_replay         (OmniCliContext  *ctx,
                                       GError         **error);
gboolean omni_cli_till_resolve        (OmniCliContext  *ctx,
                                       GError         **error);

G_END_DECLS
