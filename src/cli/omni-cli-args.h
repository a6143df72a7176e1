/* omni-cli-args.h: reading the values commands are given
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-cli.h"

G_BEGIN_DECLS

/* The most a credentials JSON read from stdin may hold. */
#define OMNI_CLI_MAX_CREDENTIALS_BYTES (16 * 1024)

/* The most a secret read from stdin on one line may hold. */
#define OMNI_CLI_MAX_SECRET_BYTES 4096

char        *omni_cli_read_secret       (const char          *what,
                                         GError             **error);
char        *omni_cli_read_credentials  (const char          *what,
                                         GError             **error);
void         omni_cli_free_credentials  (char                *text);

/* The largest quantity one command moves or sets: far beyond any shelf, and
 * far from overflowing a running total.
 */
#define OMNI_CLI_MAX_QUANTITY 1000000000

gboolean     omni_cli_parse_int        (const char          *text,
                                        const char          *what,
                                        gint64               min,
                                        gint64               max,
                                        gint64              *out,
                                        GError             **error);
gboolean     omni_cli_parse_money      (OmniStore           *store,
                                        const char          *text,
                                        const char          *what,
                                        OmniMoney           *out,
                                        GError             **error);
gboolean     omni_cli_parse_session    (const char          *text,
                                        gint64              *out,
                                        GError             **error);
char        *omni_cli_parse_date       (const char          *text,
                                        const char          *what,
                                        gboolean             is_end,
                                        GError             **error);
gboolean     omni_cli_check_choice     (const char          *value,
                                        const char          *what,
                                        const char * const  *choices,
                                        GError             **error);

const char  *omni_cli_get_actor        (void);
char        *omni_cli_get_currency     (OmniStore           *store);
gint64       omni_cli_find_location    (OmniStore           *store,
                                        const char          *name,
                                        GError             **error);

const char  *omni_cli_or_empty         (const char          *text);

G_END_DECLS
