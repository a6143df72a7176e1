/* test-search-util.c: checking searches against the whole list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-private.h"
#include "omni-text.h"
#include "test-search-util.h"

GArray *
test_row_ids (GPtrArray *rows)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (ids, ((OmniVariantRow *)rows->pdata[i])->id);
  return ids;
}

void
test_assert_same_ids (GArray     *expected,
                      GArray     *got,
                      const char *what)
{
  if (expected->len != got->len)
    g_error ("%s: %u rows, expected %u", what, got->len, expected->len);
  for (guint i = 0; i < expected->len; i++)
    if (g_array_index (expected, gint64, i) != g_array_index (got, gint64, i))
      g_error ("%s: row %u is variant %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
               what, i, g_array_index (got, gint64, i), g_array_index (expected, gint64, i));
}

/* Whether every term of @text is in @row's searchable text, worked out
 * here from the row rather than by the index. */
static gboolean
row_matches_text (const OmniVariantRow *row,
                  const char           *text)
{
  g_autofree char *options = row->options ? g_strdup (row->options) : g_strdup ("");
  g_autofree char *folded_text = omni_text_fold (text);
  g_auto(GStrv) terms = g_strsplit (folded_text, " ", -1);
  g_autofree char *full_title = NULL;
  char *fields[5];
  gboolean all = TRUE;

  /* the list shows "Brass / M", the index holds "brass m" */
  for (char *slash; (slash = strstr (options, " / ")) != NULL;)
    memmove (slash + 1, slash + 3, strlen (slash + 3) + 1);
  full_title = g_strjoin (" ", row->title, options, NULL);
  fields[0] = omni_text_fold (full_title);
  fields[1] = omni_text_fold (row->sku);
  fields[2] = omni_text_fold (row->barcode);
  fields[3] = omni_text_fold (row->vendor);
  fields[4] = omni_text_fold (row->tags);
  for (guint t = 0; terms[t] != NULL; t++)
    {
      gboolean found = FALSE;

      if (*terms[t] == '\0')
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (fields) && !found; i++)
        found = fields[i] != NULL && strstr (fields[i], terms[t]) != NULL;
      all = all && found;
    }
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_free (fields[i]);
  return all;
}

/* A search in title order lists exactly the rows the whole list has that
 * match, in the list's order, by offset and page by page from a key. */
guint
test_search_assert_in_list_order (OmniStore  *store,
                                  const char *text,
                                  gboolean    descending)
{
  OmniVariantQuery everything = { .sort = OMNI_SORT_TITLE, .descending = descending };
  OmniVariantQuery query = { .search = text, .sort = OMNI_SORT_TITLE, .descending = descending };
  g_autofree char *what = g_strdup_printf ("“%s”%s", text, descending ? " descending" : "");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = omni_store_list_variants (store, &everything, 0, 1000, &error);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) by_offset = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) by_key = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) got = NULL;
  g_autoptr(OmniVariantKey) key = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (row_matches_text (all->pdata[i], text))
      g_array_append_val (expected, ((OmniVariantRow *)all->pdata[i])->id);

  found = omni_store_list_variants (store, &query, 0, 1000, &error);
  g_assert_no_error (error);
  got = test_row_ids (found);
  test_assert_same_ids (expected, got, what);
  g_assert_cmpint (omni_store_count_variants (store, &query, NULL), ==, expected->len);

  for (guint offset = 0; offset < expected->len; offset += 5)
    {
      g_autoptr(GPtrArray) rows = omni_store_list_variants (store, &query, offset, 5, &error);
      g_autoptr(GArray) ids = test_row_ids (rows);

      g_array_append_vals (by_offset, ids->data, ids->len);
    }
  test_assert_same_ids (expected, by_offset, what);

  for (;;)
    {
      g_autoptr(GPtrArray) rows = omni_store_list_variants_after (store, &query, key, 5,
                                                                  &error);
      g_autoptr(GArray) ids = NULL;

      g_assert_no_error (error);
      if (rows->len == 0)
        break;
      ids = test_row_ids (rows);
      g_array_append_vals (by_key, ids->data, ids->len);
      g_clear_pointer (&key, omni_variant_key_free);
      key = omni_variant_key_new (rows->pdata[rows->len - 1], OMNI_SORT_TITLE);
    }
  test_assert_same_ids (expected, by_key, what);
  return expected->len;
}

static void
assert_no_rows (OmniStore  *store,
                const char *sql,
                const char *what)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_omni_store_get_sqlite (store), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_error ("Search index: %s (rowid %" G_GINT64_FORMAT ")", what,
             (gint64)sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
}

/* On SQLite, how many search entries wait in the tail, after checking that
 * the ranks below it follow the list's title order and that search_digits
 * holds each entry's runs of digits, and nothing else. */
gint64
test_search_tail (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 ranked = 0, tail;

  tail = _omni_store_search_tail (store, &ranked, &error);
  g_assert_no_error (error);
  if (_omni_store_is_postgresql (store))
    return 0;

  sql = g_strdup_printf ("SELECT count (*) FROM (SELECT r.rank, lag (r.rank) OVER"
                         " (ORDER BY p.title COLLATE NOCASE, p.id, v.position, v.id) AS before"
                         " FROM search_ranks r JOIN variants v ON v.id = r.variant_id"
                         " JOIN products p ON p.id = v.product_id WHERE r.rank < %" G_GINT64_FORMAT
                         ") WHERE before >= rank", OMNI_SEARCH_RANK_TAIL);
  g_assert_cmpint (sqlite3_prepare_v2 (_omni_store_get_sqlite (store), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  assert_no_rows (store,
                  "SELECT s.rowid FROM search_index s LEFT JOIN search_digits d ON d.rowid = s.rowid"
                  " WHERE omni_digit_grams (s.title, s.sku, s.barcode, s.vendor, s.tags)"
                  " IS NOT coalesce (d.grams, '')",
                  "an entry whose runs of digits search_digits does not hold as they are");
  assert_no_rows (store,
                  "SELECT rowid FROM search_digits WHERE rowid NOT IN (SELECT rowid FROM search_index)",
                  "runs of digits left in search_digits without their entry");
  g_assert_cmpint (ranked, ==, omni_store_count_variants (store,
                                                           &(OmniVariantQuery) { 0 }, NULL) +
                               omni_store_count_variants (store,
                                                           &(OmniVariantQuery) {
                                                             .stock = OMNI_STOCK_ARCHIVED },
                                                           NULL));
  return tail;
}

