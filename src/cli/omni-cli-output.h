/* omni-cli-output.h: where omnistock-cli writes its results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "omni-types.h"

G_BEGIN_DECLS

typedef struct _OmniCliOutput OmniCliOutput;
typedef struct _OmniCliTable  OmniCliTable;

OmniCliOutput  *omni_cli_output_new          (FILE           *stream);
void            omni_cli_output_free         (OmniCliOutput  *self);
void            omni_cli_output_print        (OmniCliOutput  *self,
                                              const char     *format,
                                              ...) G_GNUC_PRINTF (2, 3);
void            omni_cli_output_table        (OmniCliOutput  *self,
                                              OmniCliTable   *table);
void            omni_cli_output_json         (OmniCliOutput  *self,
                                              JsonBuilder    *builder);
gboolean        omni_cli_output_close        (OmniCliOutput  *self,
                                              GError        **error);

OmniCliTable   *omni_cli_table_new           (void);
void            omni_cli_table_free          (OmniCliTable   *self);
void            omni_cli_table_add           (OmniCliTable   *self,
                                              const char     *label,
                                              const char     *format,
                                              ...) G_GNUC_PRINTF (3, 4);

void            omni_cli_json_add_string     (JsonBuilder    *builder,
                                              const char     *member,
                                              const char     *value);
void            omni_cli_json_add_int        (JsonBuilder    *builder,
                                              const char     *member,
                                              gint64          value);
void            omni_cli_json_add_boolean    (JsonBuilder    *builder,
                                              const char     *member,
                                              gboolean        value);

guint           omni_cli_currency_decimals   (const char     *currency);
char           *omni_cli_format_money        (OmniMoney       amount,
                                              const char     *currency);
char           *omni_cli_display_path        (const char     *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCliOutput, omni_cli_output_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCliTable, omni_cli_table_free)

G_END_DECLS
