/* omni-sql-sorter.h: column-header sorting that SQL carries out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "omni-store-catalog.h"

G_BEGIN_DECLS

#define OMNI_TYPE_SQL_SORTER (omni_sql_sorter_get_type ())
G_DECLARE_FINAL_TYPE (OmniSqlSorter, omni_sql_sorter, OMNI, SQL_SORTER, GtkSorter)

GtkSorter   *omni_sql_sorter_new      (OmniSortKey  key);
OmniSortKey  omni_sql_sorter_get_key  (OmniSqlSorter *self);
gboolean     omni_sql_sorter_read     (GtkSorter    *view_sorter,
                                       OmniSortKey  *key,
                                       gboolean     *descending);

G_END_DECLS
