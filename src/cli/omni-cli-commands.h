/* omni-cli-commands.h: the table of omnistock-cli commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

const OmniCliCommand *omni_cli_get_commands   (guint               *n_commands);
const OmniCliCommand *omni_cli_find_command   (const char * const  *words,
                                               guint               *n_words,
                                               GError             **error);
char                 *omni_cli_describe_group (const char          *group);

G_END_DECLS
