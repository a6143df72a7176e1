/* test-search-util.h: checking searches against the whole list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/* The ids of a page's rows (OmniVariantRow), in order. */
GArray *test_row_ids                     (GPtrArray  *rows);
/* Fails the test, naming @what and the first row that differs. */
void    test_assert_same_ids             (GArray     *expected,
                                          GArray     *got,
                                          const char *what);
/* Checks that a search for @text in title order lists exactly the rows of
 * the whole list (up to 1000) whose text holds every term, worked out here
 * rather than by the index, in the list's order: as one page, by offset
 * and page by page from a key. Returns: how many it lists */
guint   test_search_assert_in_list_order (OmniStore  *store,
                                          const char *text,
                                          gboolean    descending);
/* On SQLite, checks that the search index's ranks below its tail follow
 * the list's title order and that every variant has one. Returns: how many
 * entries wait in the tail; 0 on PostgreSQL */
gint64  test_search_tail                 (OmniStore  *store);

G_END_DECLS
