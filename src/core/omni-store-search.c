/* omni-store-search.c: writing the search index
 *
 * The search index holds each variant's folded text (omni_text_fold():
 * title with option values, SKU, barcode, vendor, tags) under an FTS5
 * trigram index on SQLite, a pg_trgm index on PostgreSQL.
 *
 * On SQLite its rowid is not the variant id but the variant's rank: its
 * place in the list's title order (p.title COLLATE NOCASE, p.id,
 * v.position, v.id), because FTS5 returns matches in rowid order and a
 * search page then is the first matches found (omni-store-query.c).
 * search_ranks maps variants to ranks (0009-search-order.sql).
 *
 * - Ranks below RANK_TAIL are in title order. A renumbering spaces them
 *   RANK_GAP apart from RANK_BASE; a variant written later takes a rank
 *   between those of its neighbours in title order, or keeps its own while
 *   it still lies between them. That needs its neighbours in order: a
 *   product's new title puts all its variants out of place at once, so
 *   their entries are taken out (_omni_store_search_forget_product())
 *   before any is written again.
 * - Where two neighbours have no rank left between them, the entries
 *   around them are given new ranks further apart (spread_ranks()), as
 *   one makes room on a shelf, and the variant takes one between them.
 * - Where that cannot make room, or no ranked neighbour is near
 *   (NEIGHBOUR_WINDOW), the variant goes to the tail: RANK_TAIL and up, in
 *   no order. A search reads the tail whole and sorts what it finds there,
 *   so the tail costs speed, never a row; an import renumbers the index
 *   when the tail has grown.
 *
 * The gap is a trade: every doclist entry of the index stores the rowid's
 * distance from the one before it, so a wider gap makes a larger index
 * (2^10 costs 19 % more than dense ranks, 2^16 36 %).
 *
 * On PostgreSQL, whose trigram index has no order of its own, the rowid is
 * the variant id, as it was everywhere before schema 9.
 *
 * A term of digits only (a barcode's, scanned or typed in part) has
 * trigrams that a great share of all entries hold (`000`, `123`): FTS5
 * decodes their long doclists to find a row or two, the slowest searches
 * there were. So on SQLite, search_digits holds, under the same rowid as
 * search_index, each run of six digits in the entry (omni_digit_grams()):
 * a million of them can be told apart, where digit trigrams are a
 * thousand. A term of six digits or more matches in the entries that hold
 * a few of its own runs of six (_omni_search_digit_query()), read in rank
 * order; the term itself is then checked in their text
 * (omni-store-query.c). Every writer of search_index writes it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-private.h"

/* A run of variants placed one after another (a new product's, in
 * position order) steps by at most RANK_STEP, leaving room for more
 * variants and for products later placed around them. */
#define RANK_STEP (OMNI_SEARCH_RANK_GAP / 16)

/* How many rows find_neighbours() reads on each side before it gives up:
 * rows not ranked yet (an import's new variants bunched together, a
 * renamed product's) are walked over, and a walk through thousands of them
 * for each would make an import quadratic. */
#define NEIGHBOUR_WINDOW 64

/* Making room where there is none (spread_ranks()): entries taken on each
 * side, at first and at most, and how far apart they must then stand. */
#define SPREAD_FIRST 16
#define SPREAD_MOST  4096
#define SPREAD_STEP  (OMNI_SEARCH_RANK_GAP / 4)
#define NEIGHBOUR_UNKNOWN (-1)

/* The ranks of the ranked neighbours of a variant in title order, itself
 * left out: 0 for none before it (or after it), NEIGHBOUR_UNKNOWN when the
 * nearest NEIGHBOUR_WINDOW rows on that side have no rank. */
static gboolean
find_neighbours (OmniStore  *self,
                 gint64      variant_id,
                 gint64     *before,
                 gint64     *after,
                 GError    **error)
{
  /* The variant's own key first, then the rows next to it on each side,
   * found by walking products_title and variants_product from the key as
   * the list's pages do. Ranks below the tail follow title order, so the
   * nearest ranked row before is the highest rank among them, the nearest
   * after the lowest. */
  static const char * const sql[2] = {
    "SELECT count (*), max (CASE WHEN w.rank < ?2 THEN w.rank END) FROM"
    " (SELECT r.rank FROM variants k JOIN products kp ON kp.id = k.product_id,"
    "  products p CROSS JOIN variants v ON v.product_id = p.id"
    "  LEFT JOIN search_ranks r ON r.variant_id = v.id"
    "  WHERE k.id = ?1 AND p.title COLLATE NOCASE <= kp.title COLLATE NOCASE"
    "  AND (p.title COLLATE NOCASE, p.id, v.position, v.id)"
    "      < (kp.title COLLATE NOCASE, kp.id, k.position, k.id)"
    "  ORDER BY p.title COLLATE NOCASE DESC, p.id DESC, v.position DESC, v.id DESC"
    "  LIMIT ?3) w",
    "SELECT count (*), min (CASE WHEN w.rank < ?2 THEN w.rank END) FROM"
    " (SELECT r.rank FROM variants k JOIN products kp ON kp.id = k.product_id,"
    "  products p CROSS JOIN variants v ON v.product_id = p.id"
    "  LEFT JOIN search_ranks r ON r.variant_id = v.id"
    "  WHERE k.id = ?1 AND p.title COLLATE NOCASE >= kp.title COLLATE NOCASE"
    "  AND (p.title COLLATE NOCASE, p.id, v.position, v.id)"
    "      > (kp.title COLLATE NOCASE, kp.id, k.position, k.id)"
    "  ORDER BY p.title COLLATE NOCASE, p.id, v.position, v.id"
    "  LIMIT ?3) w",
  };
  gint64 *out[2] = { before, after };

  for (guint i = 0; i < 2; i++)
    {
      OmniDbStmt *stmt = _omni_store_prepare (self, sql[i], error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, variant_id);
      omni_db_bind_int64 (stmt, 2, OMNI_SEARCH_RANK_TAIL);
      omni_db_bind_int (stmt, 3, NEIGHBOUR_WINDOW);
      rc = omni_db_step (stmt);
      if (rc == SQLITE_ROW && omni_db_column_type (stmt, 1) != SQLITE_NULL)
        *out[i] = omni_db_column_int64 (stmt, 1);
      else if (rc == SQLITE_ROW && omni_db_column_int64 (stmt, 0) < NEIGHBOUR_WINDOW)
        *out[i] = 0;
      else
        *out[i] = NEIGHBOUR_UNKNOWN;
      omni_db_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          _omni_store_set_error (self, error, rc, "Could not place the variant in the search index");
          return FALSE;
        }
    }
  return TRUE;
}

/* The number @sql returns with @values bound to ?1, ?2 …, 0 for no row,
 * -1 with @error set. */
static gint64
query_numbers (OmniStore     *self,
               const char    *sql,
               const gint64  *values,
               guint          n_values,
               GError       **error)
{
  OmniDbStmt *stmt = _omni_store_prepare (self, sql, error);
  gint64 number = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  for (guint i = 0; i < n_values; i++)
    omni_db_bind_int64 (stmt, (int)i + 1, values[i]);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    number = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not read the search index");
      return -1;
    }
  return number;
}

/* The number @sql (one parameter, @value) returns. */
static gint64
query_number (OmniStore   *self,
              const char  *sql,
              gint64       value,
              GError     **error)
{
  return query_numbers (self, sql, &value, 1, error);
}

/* Runs the first @n of @sql in turn, each with @id bound to ?1. */
static gboolean
run_each_with_id (OmniStore          *self,
                  const char * const *sql,
                  guint               n,
                  gint64              id,
                  GError            **error)
{
  for (guint i = 0; i < n; i++)
    {
      OmniDbStmt *stmt = _omni_store_prepare (self, sql[i], error);

      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, id);
      if (!_omni_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* A rank between the ranked neighbours @before and @after (0 for none on
 * that side): @old again when it still lies between them, 0 when there is
 * no room. */
static gint64
rank_between (gint64 before,
              gint64 after,
              gint64 old)
{
  if (old > 0 && old < OMNI_SEARCH_RANK_TAIL && old > before && (after == 0 || old < after))
    return old;
  if (before == 0 && after == 0)
    return OMNI_SEARCH_RANK_BASE;
  if (after == 0)
    return before <= OMNI_SEARCH_RANK_TAIL - 2 * OMNI_SEARCH_RANK_GAP
           ? before + OMNI_SEARCH_RANK_GAP : 0;
  if (before == 0)
    return after > 1 ? after - MAX (MIN (after / 2, RANK_STEP), 1) : 0;
  if (after - before >= 2)
    return before + MIN ((after - before) / 2, RANK_STEP);
  return 0;
}

/* The rank of the entry @offset places below @rank, itself included
 * (@down), or above it and below the tail; 0 when there is none. */
static gint64
rank_away (OmniStore  *self,
           gint64      rank,
           gint64      offset,
           gboolean    down,
           GError    **error)
{
  const gint64 values[] = { rank, offset, OMNI_SEARCH_RANK_TAIL };

  if (down)
    return query_numbers (self, "SELECT rank FROM search_ranks WHERE rank <= ?1"
                          " ORDER BY rank DESC LIMIT 1 OFFSET ?2", values, 2, error);
  return query_numbers (self, "SELECT rank FROM search_ranks WHERE rank >= ?1 AND rank < ?3"
                        " ORDER BY rank LIMIT 1 OFFSET ?2", values, 3, error);
}

/* Gives the entries ranked @lo to @hi new ranks, in the same order, @step
 * apart from @base + @step: their text is kept aside, their entries taken
 * out and written again under the new ranks. */
static gboolean
respace_entries (OmniStore  *self,
                 gint64      lo,
                 gint64      hi,
                 gint64      base,
                 gint64      step,
                 GError    **error)
{
  /* ?1..?2 the range, ?3 + position * ?4 the new ranks */
  static const struct { const char *text; gboolean range, ranks; } sql[] = {
    { "DELETE FROM temp.omni_search_spread", FALSE, FALSE },
    { "INSERT INTO temp.omni_search_spread (variant_id, title, sku, barcode, vendor, tags)"
      " SELECT r.variant_id, s.title, s.sku, s.barcode, s.vendor, s.tags"
      " FROM search_ranks r JOIN search_index s ON s.rowid = r.rank"
      " WHERE r.rank BETWEEN ?1 AND ?2 ORDER BY r.rank", TRUE, FALSE },
    { "DELETE FROM search_index WHERE rowid BETWEEN ?1 AND ?2", TRUE, FALSE },
    { "DELETE FROM search_digits WHERE rowid BETWEEN ?1 AND ?2", TRUE, FALSE },
    { "DELETE FROM search_ranks WHERE rank BETWEEN ?1 AND ?2", TRUE, FALSE },
    /* positions count from 1 in rank order: the table was empty */
    { "INSERT INTO search_ranks (variant_id, rank)"
      " SELECT variant_id, ?3 + position * ?4 FROM temp.omni_search_spread", FALSE, TRUE },
    { "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
      " SELECT ?3 + position * ?4, title, sku, barcode, vendor, tags"
      " FROM temp.omni_search_spread ORDER BY position", FALSE, TRUE },
    { "INSERT INTO search_digits (rowid, grams)"
      " SELECT rank, grams FROM (SELECT ?3 + position * ?4 AS rank,"
      "  omni_digit_grams (title, sku, barcode, vendor, tags) AS grams"
      "  FROM temp.omni_search_spread ORDER BY position) WHERE grams <> ''", FALSE, TRUE },
    { "DELETE FROM temp.omni_search_spread", FALSE, FALSE },
  };

  if (!_omni_store_exec (self,
                         "CREATE TEMP TABLE IF NOT EXISTS omni_search_spread ("
                         " position INTEGER PRIMARY KEY, variant_id INTEGER NOT NULL,"
                         " title TEXT, sku TEXT, barcode TEXT, vendor TEXT, tags TEXT)",
                         error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      OmniDbStmt *stmt = _omni_store_prepare (self, sql[i].text, error);

      if (stmt == NULL)
        return FALSE;
      if (sql[i].range)
        {
          omni_db_bind_int64 (stmt, 1, lo);
          omni_db_bind_int64 (stmt, 2, hi);
        }
      if (sql[i].ranks)
        {
          omni_db_bind_int64 (stmt, 3, base);
          omni_db_bind_int64 (stmt, 4, step);
        }
      if (!_omni_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* No rank is left between the ranked neighbours @before and @after (0 for
 * none on that side): spreads the entries around them out so there is, as
 * one would make room on a shelf. It takes SPREAD_FIRST entries on each
 * side, then four times as many, until they can stand SPREAD_STEP apart
 * between the entries beyond them (or 0, or a gap's room past the last);
 * FALSE in *@spread when not even SPREAD_MOST on each side can, and the
 * variant then goes to the tail. Each time costs writing those entries
 * again: a hand-made product of 36 variants between two others, which
 * used to leave 15 of them in the tail, spreads 32 entries once. */
static gboolean
spread_ranks (OmniStore  *self,
              gint64      before,
              gint64      after,
              gboolean   *spread,
              GError    **error)
{
  *spread = FALSE;
  for (gint64 k = SPREAD_FIRST; k <= SPREAD_MOST; k *= 4)
    {
      gint64 lo, hi, below, above, count, step;

      /* the window: k entries down from before, k up from after */
      lo = before > 0 ? rank_away (self, before, k - 1, TRUE, error) : after;
      if (lo == 0)
        lo = rank_away (self, 1, 0, FALSE, error);
      hi = after > 0 ? rank_away (self, after, k - 1, FALSE, error) : before;
      if (hi == 0)
        hi = rank_away (self, OMNI_SEARCH_RANK_TAIL - 1, 0, TRUE, error);
      if (lo < 0 || hi < 0)
        return FALSE;
      /* what lies beyond it */
      below = lo > 1 ? rank_away (self, lo - 1, 0, TRUE, error) : 0;
      above = rank_away (self, hi + 1, 0, FALSE, error);
      count = query_numbers (self, "SELECT count (*) FROM search_ranks"
                             " WHERE rank BETWEEN ?1 AND ?2", (gint64[]) { lo, hi }, 2, error);
      if (below < 0 || above < 0 || count < 0)
        return FALSE;
      if (above == 0)
        above = MIN (hi + (count + 1) * OMNI_SEARCH_RANK_GAP, OMNI_SEARCH_RANK_TAIL - 1);
      step = (above - below) / (count + 1);
      if (step >= SPREAD_STEP)
        {
          *spread = TRUE;
          return respace_entries (self, lo, hi, below, step, error);
        }
    }
  return TRUE;
}

/* The rank for @variant_id, whose entry (if any, at *@old) is being
 * rewritten; *@old becomes 0 when making room took its old rank away. */
static gint64
choose_rank (OmniStore  *self,
             gint64      variant_id,
             gint64     *old,
             GError    **error)
{
  gint64 before, after, rank, tail;
  gboolean spread = FALSE;

  if (!find_neighbours (self, variant_id, &before, &after, error))
    return -1;
  if (before != NEIGHBOUR_UNKNOWN && after != NEIGHBOUR_UNKNOWN &&
      (rank = rank_between (before, after, *old)) > 0)
    return rank;

  /* No room between known neighbours: make some. Its own old rank goes
   * first, so the entries moved cannot meet it. */
  if (before != NEIGHBOUR_UNKNOWN && after != NEIGHBOUR_UNKNOWN)
    {
      static const char * const forget[] = { "DELETE FROM search_ranks WHERE variant_id = ?1" };

      if (*old > 0 && !run_each_with_id (self, forget, 1, variant_id, error))
        return -1;
      *old = 0;
      if (!spread_ranks (self, before, after, &spread, error))
        return -1;
      if (spread && !find_neighbours (self, variant_id, &before, &after, error))
        return -1;
      if (spread && before != NEIGHBOUR_UNKNOWN && after != NEIGHBOUR_UNKNOWN &&
          (rank = rank_between (before, after, 0)) > 0)
        return rank;
    }

  /* No room, or no telling where it belongs: the tail, past every rank
   * there is. */
  tail = query_number (self, "SELECT max (rank) FROM search_ranks WHERE rank >= ?1",
                       OMNI_SEARCH_RANK_TAIL, error);
  if (tail < 0)
    return -1;
  return tail == 0 ? OMNI_SEARCH_RANK_TAIL : tail + 1;
}

/* Runs of digits ---------------------------------------------------- */

/* Appends to @out, space-separated, every run of OMNI_SEARCH_DIGIT_GRAM
 * ASCII digits in @text (a bytes' walk: no byte of a multi-byte UTF-8
 * character is an ASCII digit). */
static void
append_digit_grams (GString    *out,
                    const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;
      gsize len;

      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      for (start = p; g_ascii_isdigit (*p); p++)
        ;
      len = (gsize)(p - start);
      for (gsize i = 0; len >= OMNI_SEARCH_DIGIT_GRAM && i <= len - OMNI_SEARCH_DIGIT_GRAM; i++)
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_len (out, start + i, OMNI_SEARCH_DIGIT_GRAM);
        }
    }
}

/* omni_digit_grams (text, ...): the runs of six digits of all its
 * arguments (NULLs skipped), '' when there are none. */
static void
digit_grams_sql (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (int i = 0; i < argc; i++)
    {
      const unsigned char *text = sqlite3_value_text (argv[i]);

      if (text != NULL)
        append_digit_grams (out, (const char *)text);
    }
  sqlite3_result_text (context, out->str, (int)out->len, SQLITE_TRANSIENT);
}

/**
 * _omni_search_digit_grams:
 *
 * Returns: (transfer full) (nullable): the runs of six digits of @text's
 *   fields, as omni_digit_grams() makes them, or %NULL for none
 */
char *
_omni_search_digit_grams (const OmniSearchText *text)
{
  const char *fields[] = { text->title, text->sku, text->barcode, text->vendor, text->tags };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL)
      append_digit_grams (out, fields[i]);
  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/**
 * _omni_search_register_functions:
 *
 * Gives @db the SQL functions the search index is written with
 * (omni_digit_grams()), before any migration runs.
 *
 * Returns: an SQLite result code
 */
int
_omni_search_register_functions (sqlite3 *db)
{
  return sqlite3_create_function (db, "omni_digit_grams", -1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, digit_grams_sql, NULL, NULL);
}

/**
 * _omni_search_is_digit_term:
 * @term: a folded search term
 *
 * Returns: whether search_digits finds @term: OMNI_SEARCH_DIGIT_GRAM
 *   digits or more, and nothing else
 */
gboolean
_omni_search_is_digit_term (const char *term)
{
  gsize len = strlen (term);

  if (len < OMNI_SEARCH_DIGIT_GRAM)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (term[i]))
      return FALSE;
  return TRUE;
}

/**
 * _omni_search_digit_query:
 * @term: a term _omni_search_is_digit_term() accepts
 *
 * Returns: (transfer full): the FTS5 query of search_digits for the
 *   entries that may hold @term: those of its runs of six that follow one
 *   another without overlapping, and its last one; not every run, as each
 *   is one more doclist to read and the term is checked afterwards anyway
 */
char *
_omni_search_digit_query (const char *term)
{
  g_autoptr(GString) query = g_string_new (NULL);
  gsize len = strlen (term);

  for (gsize i = 0; i + OMNI_SEARCH_DIGIT_GRAM <= len; i += OMNI_SEARCH_DIGIT_GRAM)
    g_string_append_printf (query, "%s\"%.*s\"", i > 0 ? " " : "", OMNI_SEARCH_DIGIT_GRAM,
                            term + i);
  if (len % OMNI_SEARCH_DIGIT_GRAM != 0)
    g_string_append_printf (query, " \"%s\"", term + len - OMNI_SEARCH_DIGIT_GRAM);
  return g_string_free (g_steal_pointer (&query), FALSE);
}

/**
 * _omni_store_search_rebuild_digits:
 *
 * On SQLite, writes search_digits anew from search_index, after a writer
 * that rewrote the whole index; the caller holds the transaction.
 */
gboolean
_omni_store_search_rebuild_digits (OmniStore  *self,
                                   GError    **error)
{
  if (_omni_store_is_postgresql (self))
    return TRUE;
  return _omni_store_exec (self,
                           "DROP TABLE search_digits;"
                           "CREATE VIRTUAL TABLE search_digits USING fts5 ("
                           " grams, tokenize = 'ascii', detail = 'none', columnsize = 0);"
                           "INSERT INTO search_digits (rowid, grams)"
                           " SELECT rowid, d FROM (SELECT rowid, omni_digit_grams"
                           "  (title, sku, barcode, vendor, tags) AS d FROM search_index)"
                           " WHERE d <> '' ORDER BY rowid;",
                           error);
}

/* Entries -------------------------------------------------------------- */

static gboolean
delete_entry (OmniStore  *self,
              gint64      rowid,
              GError    **error)
{
  static const char * const sql[] = {
    "DELETE FROM search_index WHERE rowid = ?1",
    "DELETE FROM search_digits WHERE rowid = ?1",
  };

  return run_each_with_id (self, sql, _omni_store_is_postgresql (self) ? 1 : G_N_ELEMENTS (sql),
                           rowid, error);
}

/**
 * _omni_store_search_put:
 * @variant_id: the variant, stored already with its product
 * @text: its folded text
 * @is_new: @variant_id has no entry yet (saves looking for one)
 * @rank: on SQLite, the rank to give it when the caller knows it (an
 *   import filling an empty index in title order, or putting a great many
 *   entries in the tail before renumbering), or 0 to find its place
 *
 * Writes or rewrites @variant_id's search entry.
 */
gboolean
_omni_store_search_put (OmniStore             *self,
                        gint64                 variant_id,
                        const OmniSearchText  *text,
                        gboolean               is_new,
                        gint64                 rank,
                        GError               **error)
{
  OmniDbStmt *stmt;
  gint64 old = 0;

  if (_omni_store_is_postgresql (self))
    {
      if (!is_new && !delete_entry (self, variant_id, error))
        return FALSE;
      rank = variant_id;
    }
  else
    {
      if (!is_new)
        old = query_number (self, "SELECT rank FROM search_ranks WHERE variant_id = ?1",
                          variant_id, error);
      if (old < 0 || (old > 0 && !delete_entry (self, old, error)))
        return FALSE;
      if (rank == 0)
        rank = choose_rank (self, variant_id, &old, error);
      if (rank < 0)
        return FALSE;
      if (rank != old)
        {
          stmt = _omni_store_prepare (self,
                                      "INSERT INTO search_ranks (variant_id, rank) VALUES (?1, ?2)"
                                      " ON CONFLICT (variant_id) DO UPDATE SET rank = excluded.rank",
                                      error);
          if (stmt == NULL)
            return FALSE;
          omni_db_bind_int64 (stmt, 1, variant_id);
          omni_db_bind_int64 (stmt, 2, rank);
          if (!_omni_store_step_done (self, stmt, error))
            return FALSE;
        }
    }

  stmt = _omni_store_prepare (self,
                              "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, rank);
  omni_db_bind_text (stmt, 2, text->title, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 3, text->sku, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 4, text->barcode, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 5, text->vendor, -1, SQLITE_TRANSIENT);
  omni_db_bind_text (stmt, 6, text->tags, -1, SQLITE_TRANSIENT);
  if (!_omni_store_step_done (self, stmt, error))
    return FALSE;

  /* on SQLite, its runs of digits beside it */
  if (!_omni_store_is_postgresql (self))
    {
      g_autofree char *grams = _omni_search_digit_grams (text);

      if (grams == NULL)
        return TRUE;
      stmt = _omni_store_prepare (self, OMNI_SEARCH_DIGITS_INSERT, error);
      if (stmt == NULL)
        return FALSE;
      omni_db_bind_int64 (stmt, 1, rank);
      omni_db_bind_text (stmt, 2, grams, -1, SQLITE_TRANSIENT);
      if (!_omni_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * _omni_store_search_forget_product:
 *
 * Takes the search entries of @product_id's variants out of the index,
 * before they are written again under a new title.
 */
gboolean
_omni_store_search_forget_product (OmniStore  *self,
                                   gint64      product_id,
                                   GError    **error)
{
  static const char * const lite[] = {
    "DELETE FROM search_index WHERE rowid IN (SELECT r.rank FROM search_ranks r"
    " JOIN variants v ON v.id = r.variant_id WHERE v.product_id = ?1)",
    "DELETE FROM search_digits WHERE rowid IN (SELECT r.rank FROM search_ranks r"
    " JOIN variants v ON v.id = r.variant_id WHERE v.product_id = ?1)",
    "DELETE FROM search_ranks WHERE variant_id IN"
    " (SELECT id FROM variants WHERE product_id = ?1)",
  };
  static const char * const pg[] = {
    "DELETE FROM search_index WHERE rowid IN (SELECT id FROM variants WHERE product_id = ?1)",
  };

  if (_omni_store_is_postgresql (self))
    return run_each_with_id (self, pg, G_N_ELEMENTS (pg), product_id, error);
  return run_each_with_id (self, lite, G_N_ELEMENTS (lite), product_id, error);
}

/**
 * _omni_store_search_tail:
 *
 * Returns: on SQLite, how many entries wait in the tail (and in *@ranked,
 *   how many there are in all); 0 on PostgreSQL; -1 with @error set
 */
gint64
_omni_store_search_tail (OmniStore  *self,
                         gint64     *ranked,
                         GError    **error)
{
  static const char count[] = "SELECT count (*) FROM search_ranks WHERE rank >= ?1";

  *ranked = 0;
  if (_omni_store_is_postgresql (self))
    return 0;
  *ranked = query_number (self, count, 0, error);
  if (*ranked < 0)
    return -1;
  return query_number (self, count, OMNI_SEARCH_RANK_TAIL, error);
}

/**
 * _omni_store_search_optimize:
 *
 * On SQLite, merges the search index's segments into one after a large
 * write: FTS5 then reads one doclist per term instead of one per segment
 * (at a million variants, 9 s once; a common word's first page went from
 * 0.40 to 0.22 ms, a barcode's digits from 2.3 to 1.5 ms). Nothing to do on
 * PostgreSQL.
 */
gboolean
_omni_store_search_optimize (OmniStore  *self,
                             GError    **error)
{
  if (_omni_store_is_postgresql (self))
    return TRUE;
  return _omni_store_exec (self,
                           "INSERT INTO search_index (search_index) VALUES ('optimize');"
                           "INSERT INTO search_digits (search_digits) VALUES ('optimize');",
                           error);
}

/**
 * _omni_store_search_rank_sql:
 * @variants: an SQL condition on variants v, or %NULL for all of them
 *
 * Returns: (transfer full): an INSERT that ranks @variants in title order
 *   from RANK_BASE, RANK_GAP apart, into an empty search_ranks
 */
char *
_omni_store_search_rank_sql (const char *variants)
{
  /* The constants are ours: no value from outside reaches the SQL. */
  return g_strdup_printf ("INSERT INTO search_ranks (variant_id, rank)"
                          " SELECT v.id, %" G_GINT64_FORMAT " + row_number () OVER"
                          " (ORDER BY p.title COLLATE NOCASE, p.id, v.position, v.id) * %"
                          G_GINT64_FORMAT
                          " FROM variants v JOIN products p ON p.id = v.product_id WHERE %s",
                          OMNI_SEARCH_RANK_BASE, OMNI_SEARCH_RANK_GAP,
                          variants != NULL ? variants : "TRUE");
}

/**
 * _omni_store_search_renumber:
 *
 * On SQLite, gives every entry of the search index a fresh rank in title
 * order, RANK_GAP apart from RANK_BASE, emptying the tail, then merges it
 * into one segment; the caller holds the transaction. Its cost is that of
 * writing the index anew (about 40 s at a million variants). Nothing to do
 * on PostgreSQL.
 */
gboolean
_omni_store_search_renumber (OmniStore  *self,
                             GError    **error)
{
  g_autofree char *rank_sql = NULL;

  if (_omni_store_is_postgresql (self))
    return TRUE;

  rank_sql = _omni_store_search_rank_sql ("v.id IN (SELECT variant_id FROM temp.omni_search_copy)");
  return _omni_store_exec (self,
                           "CREATE TEMP TABLE omni_search_copy AS"
                           " SELECT r.variant_id, s.title, s.sku, s.barcode, s.vendor, s.tags"
                           " FROM search_ranks r JOIN search_index s ON s.rowid = r.rank;"
                           "DELETE FROM search_ranks;"
                           "DROP TABLE search_index;"
                           "CREATE VIRTUAL TABLE search_index USING fts5 ("
                           " title, sku, barcode, vendor, tags, tokenize = 'trigram');",
                           error) &&
         _omni_store_exec (self, rank_sql, error) &&
         _omni_store_exec (self,
                           "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
                           " SELECT r.rank, c.title, c.sku, c.barcode, c.vendor, c.tags"
                           " FROM search_ranks r JOIN temp.omni_search_copy c"
                           "  ON c.variant_id = r.variant_id"
                           " ORDER BY r.rank;"
                           "DROP TABLE temp.omni_search_copy;",
                           error) &&
         _omni_store_search_rebuild_digits (self, error) &&
         _omni_store_search_optimize (self, error);
}
