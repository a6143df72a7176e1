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
typedef struct _OmniCliGrid   OmniCliGrid;

OmniCliOutput  *omni_cli_output_new          (FILE           *stream);
void            omni_cli_output_free         (OmniCliOutput  *self);
void            omni_cli_output_print        (OmniCliOutput  *self,
                                              const char     *format,
                                              ...) G_GNUC_PRINTF (2, 3);
void            omni_cli_output_table        (OmniCliOutput  *self,
                                              OmniCliTable   *table);
void            omni_cli_output_grid         (OmniCliOutput  *self,
                                              OmniCliGrid    *grid);
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

OmniCliGrid    *omni_cli_grid_new            (const char     *first_header,
                                              ...) G_GNUC_NULL_TERMINATED;
void            omni_cli_grid_free           (OmniCliGrid    *self);
void            omni_cli_grid_align_right    (OmniCliGrid    *self,
                                              guint           column);
void            omni_cli_grid_add            (OmniCliGrid    *self,
                                              const char     *format,
                                              ...) G_GNUC_PRINTF (2, 3);
guint           omni_cli_grid_get_n_rows     (OmniCliGrid    *self);

void            omni_cli_json_add_string     (JsonBuilder    *builder,
                                              const char     *member,
                                              const char     *value);
void            omni_cli_json_add_int        (JsonBuilder    *builder,
                                              const char     *member,
                                              gint64          value);
void            omni_cli_json_add_boolean    (JsonBuilder    *builder,
                                              const char     *member,
                                              gboolean        value);
void            omni_cli_json_add_optional_int (JsonBuilder  *builder,
                                              const char     *member,
                                              gint64          value);

char           *omni_cli_display_path        (const char     *path);
char           *omni_cli_variant_label       (const char     *title,
                                              const char     *options);
char           *omni_cli_display_time        (const char     *stored);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCliOutput, omni_cli_output_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCliTable, omni_cli_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCliGrid, omni_cli_grid_free)

G_END_DECLS
