/* omni-store-query.c: listing, counting and searching the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "omni-store-catalog.h"
#include "omni-store-private.h"
#include "omni-text.h"

#define MAX_TERMS 8
#define TRIGRAM   3

/* Columns of an OmniVariantRow, in the order variant_from_row() reads. The
 * option values come apart and are joined there: joined in SQL, each row
 * cost SQLite three string copies. */
#define VARIANT_COLUMNS \
  "v.id, v.product_id, p.handle, p.title, v.option1," \
  " v.sku, v.barcode, p.vendor, p.product_type, p.tags, p.status," \
  " CASE WHEN v.archived <> 0 OR p.status = 'archived' THEN 1 ELSE 0 END," \
  " v.price, v.compare_at_price, v.cost," \
  " v.weight_grams, v.reorder_point, v.reorder_qty, v.on_hand, v.available," \
  " v.position, v.updated_at, v.option2, v.option3"

static char *
column_strdup (OmniDbStmt *stmt,
               int           column)
{
  return g_strdup ((const char *)omni_db_column_text (stmt, column));
}

static gint64
column_int_or (OmniDbStmt *stmt,
               int           column,
               gint64        fallback)
{
  if (omni_db_column_type (stmt, column) == SQLITE_NULL)
    return fallback;
  return omni_db_column_int64 (stmt, column);
}

/* Appends @len bytes of @text and a NUL at *@p, moving it on. */
static char *
pack_text (char       **p,
           const char  *text,
           gsize        len)
{
  char *start = *p;

  memcpy (start, text, len);
  start[len] = '\0';
  *p += len + 1;
  return start;
}

/* The row at @stmt (VARIANT_COLUMNS) in one allocation with all its text:
 * a search page is 50 rows, and the eleven allocations each row took
 * were a tenth of a search's time. */
static OmniVariantRow *
variant_from_row (OmniDbStmt *stmt)
{
  enum { N_TEXT = 9 };
  static const int text_columns[N_TEXT] = { 2, 3, 5, 6, 7, 8, 9, 10, 21 };
  static const int option_columns[3] = { 4, 22, 23 };
  const char *text[N_TEXT], *option[3];
  gsize len[N_TEXT], option_len[3];
  gsize size = sizeof (OmniVariantRow) + 1;
  OmniVariantRow *row;
  char *p, *options, *end;

  for (guint i = 0; i < N_TEXT; i++)
    {
      text[i] = (const char *)omni_db_column_text (stmt, text_columns[i]);
      len[i] = text[i] != NULL ? (gsize)omni_db_column_bytes (stmt, text_columns[i]) : 0;
      size += text[i] != NULL ? len[i] + 1 : 0;
    }
  for (guint i = 0; i < 3; i++)
    {
      option[i] = (const char *)omni_db_column_text (stmt, option_columns[i]);
      option_len[i] = option[i] != NULL ? (gsize)omni_db_column_bytes (stmt, option_columns[i]) : 0;
      size += option_len[i] + strlen (" / ");
    }

  row = g_malloc (size);
  p = (char *)(row + 1);
  {
    char **fields[N_TEXT] = {
      &row->handle, &row->title, &row->sku, &row->barcode, &row->vendor,
      &row->product_type, &row->tags, &row->status, &row->updated_at,
    };

    for (guint i = 0; i < N_TEXT; i++)
      *fields[i] = text[i] != NULL ? pack_text (&p, text[i], len[i]) : NULL;
  }

  /* "Red / M": the first value, then " / " and each further one, with
   * spaces at either end trimmed ("/ M" when only the second is set) */
  options = end = p;
  for (guint i = 0; i < 3; i++)
    {
      if (option[i] == NULL)
        continue;
      if (i > 0)
        {
          memcpy (end, " / ", strlen (" / "));
          end += strlen (" / ");
        }
      memcpy (end, option[i], option_len[i]);
      end += option_len[i];
    }
  while (end > options && end[-1] == ' ')
    end--;
  *end = '\0';
  while (*options == ' ')
    options++;
  row->options = options;

  row->id = omni_db_column_int64 (stmt, 0);
  row->product_id = omni_db_column_int64 (stmt, 1);
  row->archived = omni_db_column_int (stmt, 11) != 0;
  row->price = omni_db_column_int64 (stmt, 12);
  row->compare_at_price = column_int_or (stmt, 13, -1);
  row->cost = column_int_or (stmt, 14, -1);
  row->weight_grams = omni_db_column_int64 (stmt, 15);
  row->reorder_point = column_int_or (stmt, 16, -1);
  row->reorder_qty = column_int_or (stmt, 17, -1);
  row->on_hand = omni_db_column_int64 (stmt, 18);
  row->available = omni_db_column_int64 (stmt, 19);
  row->position = omni_db_column_int64 (stmt, 20);
  return row;
}

/**
 * omni_variant_row_free:
 *
 * Frees @row with its text, which it holds in the same allocation.
 */
void
omni_variant_row_free (OmniVariantRow *row)
{
  g_free (row);
}

/**
 * omni_variant_query_copy:
 * @dest: (out caller-allocates): where the copy goes
 *
 * Copies @src into @dest with copies of its strings, for a list that keeps
 * its query; free them with omni_variant_query_clear().
 */
void
omni_variant_query_copy (OmniVariantQuery       *dest,
                         const OmniVariantQuery *src)
{
  *dest = *src;
  dest->search = g_strdup (src->search);
  dest->vendor = g_strdup (src->vendor);
  dest->product_type = g_strdup (src->product_type);
  dest->tag = g_strdup (src->tag);
}

/**
 * omni_variant_query_clear:
 *
 * Frees the strings of a query omni_variant_query_copy() filled, and
 * empties it.
 */
void
omni_variant_query_clear (OmniVariantQuery *query)
{
  g_free ((char *)query->search);
  g_free ((char *)query->vendor);
  g_free ((char *)query->product_type);
  g_free ((char *)query->tag);
  memset (query, 0, sizeof *query);
}

/**
 * omni_variant_key_new:
 * @row: a row of the list
 * @sort: the list's order
 *
 * Returns: (transfer full): where @row stands in @sort's order
 */
OmniVariantKey *
omni_variant_key_new (const OmniVariantRow *row,
                      OmniSortKey           sort)
{
  OmniVariantKey *key;

  g_return_val_if_fail (row != NULL, NULL);

  key = g_new0 (OmniVariantKey, 1);
  key->sort = sort <= OMNI_SORT_UPDATED ? sort : OMNI_SORT_TITLE;
  key->id = row->id;
  switch (key->sort)
    {
    case OMNI_SORT_TITLE:
      key->text = g_strdup (row->title);
      key->product_id = row->product_id;
      key->position = row->position;
      break;
    case OMNI_SORT_SKU:
      key->text = g_strdup (row->sku);
      break;
    case OMNI_SORT_PRICE:
      key->number = row->price;
      break;
    case OMNI_SORT_AVAILABLE:
      key->number = row->available;
      break;
    case OMNI_SORT_UPDATED:
    default:
      key->text = g_strdup (row->updated_at);
      break;
    }
  return key;
}

OmniVariantKey *
omni_variant_key_copy (const OmniVariantKey *key)
{
  OmniVariantKey *copy;

  if (key == NULL)
    return NULL;
  copy = g_memdup2 (key, sizeof *key);
  copy->text = g_strdup (key->text);
  return copy;
}

void
omni_variant_key_free (OmniVariantKey *key)
{
  if (key == NULL)
    return;
  g_free (key->text);
  g_free (key);
}

/* Building the query ------------------------------------------------------
 *
 * The SQL text is assembled from constant fragments only; every value the
 * merchant typed is a bound parameter. Parameters are numbered by what they
 * carry, so one fragment can be left out without renumbering the others:
 *   ?1 vendor, ?2 type, ?3 tag, ?4 default reorder point,
 *   ?10.. FTS phrases (one per term of three characters or more),
 *   ?20.. LIKE patterns (one per shorter term),
 *   ?40 a key's text, ?41 its number, ?42 its product, ?43 its position,
 *   ?44 its variant id (see add_key()),
 *   ?30 limit, ?31 offset, ?32 a PostgreSQL walk's budget,
 *   ?33 offset + limit and ?34 the search index's tail (list_page_ranked()).
 *
 * On SQLite the search index's rowids are ranks in title order, mapped to
 * variants by search_ranks (omni-store-search.c): a search page in title
 * order reads the index in rank order (list_page_ranked()); any other
 * query takes the matching variants through search_ranks.
 *
 * On PostgreSQL every term is a LIKE pattern (?20..) over the search_index
 * column, the five fields joined by line breaks under a trigram index (see
 * the PostgreSQL schema): the same rows as FTS5's trigram MATCH, since
 * both sides are folded text and a term never holds a line break. Its
 * index returns matches in no order, so a search in title order either
 * lets it drive or walks the list (see choose_walk()), with a budget as a
 * LIMIT on the rows it reads (list_page_pg_walk()); the walk's terms test
 * those rows by rowid (?20..).
 */

/* SQLite's NOCASE order on PostgreSQL: ASCII letters lowered, then bytes
 * compared, as SQLite's NOCASE does, so both list the titles in the same
 * order. The PostgreSQL products_title index is on this expression. */
#define PG_TITLE     "lower (p.title COLLATE \"C\")"
#define PG_KEY_TITLE "lower (CAST (?40 AS TEXT) COLLATE \"C\")"

typedef struct
{
  GString   *where;
  GPtrArray *phrases;    /* FTS5 phrase strings */
  GPtrArray *patterns;   /* LIKE patterns */
  GPtrArray *trigram_patterns;   /* PostgreSQL: those of terms of three
                                  * characters or more (not owned) */
  char      *default_reorder_point;
  gboolean   walk;       /* PostgreSQL: terms test rows of a walk in list
                          * order */
  gboolean   ranked;     /* SQLite: terms test the search index's rows
                          * (alias s) read in rank order (see
                          * list_page_ranked()) */
  GString   *terms;      /* SQLite: the terms, on alias s */
  gboolean   digits_drive;  /* SQLite, ranked: the first term of digits
                             * only reads search_digits (alias dg) in rank
                             * order, and s follows it */
  gboolean   pg_hits;    /* PostgreSQL: the trigram index drives (see
                          * list_page()) */
  GString   *search;     /* PostgreSQL walk or pg_hits: the terms, apart
                          * from where */
  const OmniVariantKey *key;   /* rows past it only (?40..?44) */
  int        sku_part;   /* SkuPart, for a key in SKU order */
  gboolean   pg;         /* the store is on PostgreSQL */
} QueryParts;

/* SQLite sorts NULL first: in SKU order the variants without a SKU come
 * before every SKU going up and after every SKU going down. A condition
 * that spans both parts needs an OR no index serves, so a page past a key
 * in SKU order reads the part the key is in, then, if the page is not full
 * yet, the other part from its start. */
typedef enum
{
  SKU_PAST_KEY,       /* the key's own part, past the key */
  SKU_ALL_NULL,       /* every variant without a SKU */
  SKU_ALL_NOT_NULL,   /* every variant with one */
} SkuPart;

static void
query_parts_clear (QueryParts *parts)
{
  g_string_free (parts->where, TRUE);
  if (parts->terms != NULL)
    g_string_free (parts->terms, TRUE);
  if (parts->search != NULL)
    g_string_free (parts->search, TRUE);
  g_ptr_array_unref (parts->phrases);
  g_ptr_array_unref (parts->patterns);
  g_ptr_array_unref (parts->trigram_patterns);
  g_free (parts->default_reorder_point);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QueryParts, query_parts_clear)

/* A term for FTS5: a quoted phrase, inner quotes doubled, so nothing the
 * merchant types can be read as query syntax. */
static char *
fts_phrase (const char *term)
{
  g_autoptr(GString) phrase = g_string_new ("\"");

  for (const char *p = term; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (g_steal_pointer (&phrase), FALSE);
}

static char *
like_pattern (const char *term)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  for (const char *p = term; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

static gboolean
add_search (QueryParts  *parts,
            const char  *text,
            GError     **error)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) terms = NULL;

  if (!omni_text_check (text, "Search", OMNI_SEARCH_MAX_QUERY, FALSE, error))
    return FALSE;

  folded = omni_text_fold (text);
  terms = g_strsplit_set (folded, " \t\n", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *term = terms[i];
      guint n;

      if (*term == '\0')
        continue;
      /* (on SQLite a term of digits takes a phrase and a pattern) */
      if (parts->phrases->len + parts->patterns->len +
          (!parts->pg && _omni_search_is_digit_term (term) ? 2 : 1) > MAX_TERMS)
        break;

      if (parts->pg)
        {
          /* a walk tests the rows it reads, one by one through the primary
           * key; otherwise the trigram index finds the matches */
          if (parts->walk)
            g_string_append_printf (parts->search,
                                    " AND EXISTS (SELECT 1 FROM search_index s WHERE s.rowid = v.id"
                                    " AND s.search_index LIKE ?%u ESCAPE '\\')",
                                    20 + parts->patterns->len);
          else if (parts->pg_hits)
            g_string_append_printf (parts->search, " AND search_index LIKE ?%u ESCAPE '\\'",
                                    20 + parts->patterns->len);
          else
            g_string_append_printf (parts->where,
                                    " AND v.id IN (SELECT rowid FROM search_index"
                                    " WHERE search_index LIKE ?%u ESCAPE '\\')",
                                    20 + parts->patterns->len);
          g_ptr_array_add (parts->patterns, like_pattern (term));
          if (g_utf8_strlen (term, -1) >= TRIGRAM)
            g_ptr_array_add (parts->trigram_patterns,
                             g_ptr_array_index (parts->patterns, parts->patterns->len - 1));
          continue;
        }

      /* Trigrams find any substring of three characters or more through the
       * index (FTS5 ANDs MATCH constraints on one table); shorter terms are
       * matched by a scan of the index text. A term of six digits or more
       * is looked for in the entries holding its runs of six
       * (search_digits, omni-store-search.c), then checked in their text
       * as a short term is. */
      if (_omni_search_is_digit_term (term))
        {
          /* a page in rank order stops at its last match: the first such
           * term drives it (list_page_ranked()) */
          if (parts->ranked && !parts->digits_drive)
            g_string_append_printf (parts->terms, " AND dg.search_digits MATCH ?%u",
                                    10 + parts->phrases->len);
          else
            g_string_append_printf (parts->terms,
                                    " AND s.rowid IN (SELECT rowid FROM search_digits"
                                    " WHERE search_digits MATCH ?%u)",
                                    10 + parts->phrases->len);
          parts->digits_drive = parts->digits_drive || parts->ranked;
          g_ptr_array_add (parts->phrases, _omni_search_digit_query (term));
        }
      else if (g_utf8_strlen (term, -1) >= TRIGRAM)
        {
          g_string_append_printf (parts->terms, " AND s.search_index MATCH ?%u",
                                  10 + parts->phrases->len);
          g_ptr_array_add (parts->phrases, fts_phrase (term));
          continue;
        }

      /* a short term, or the digits found above */
      n = 20 + parts->patterns->len;
      g_string_append_printf (parts->terms,
                              " AND (s.title LIKE ?%u ESCAPE '\\' OR s.sku LIKE ?%u ESCAPE '\\'"
                              " OR s.barcode LIKE ?%u ESCAPE '\\' OR s.vendor LIKE ?%u ESCAPE '\\'"
                              " OR s.tags LIKE ?%u ESCAPE '\\')",
                              n, n, n, n, n);
      g_ptr_array_add (parts->patterns, like_pattern (term));
    }

  /* On SQLite the index's rowids are ranks: the matching variants through
   * search_ranks, unless the page reads the index itself. */
  if (!parts->pg && parts->terms->len > 0 && !parts->ranked)
    g_string_append_printf (parts->where,
                            " AND v.id IN (SELECT r.variant_id FROM search_index s"
                            " JOIN search_ranks r ON r.rank = s.rowid WHERE TRUE%s)",
                            parts->terms->str);
  else if (!parts->pg)
    g_string_append (parts->where, parts->terms->str);
  return TRUE;
}

static gboolean
build_where (OmniStore              *self,
             const OmniVariantQuery *query,
             QueryParts             *parts,
             GError                **error)
{
  parts->pg = _omni_store_is_postgresql (self);
  parts->where = g_string_new (NULL);
  parts->terms = g_string_new (NULL);
  if (parts->pg && (parts->walk || parts->pg_hits))
    parts->search = g_string_new (NULL);
  parts->phrases = g_ptr_array_new_with_free_func (g_free);
  parts->patterns = g_ptr_array_new_with_free_func (g_free);
  parts->trigram_patterns = g_ptr_array_new ();
  /* only the stock filters that compare with a reorder point read it */
  if (query->stock == OMNI_STOCK_IN || query->stock == OMNI_STOCK_LOW)
    parts->default_reorder_point = omni_store_get_setting (self, "default_reorder_point");

  if (query->stock == OMNI_STOCK_ARCHIVED)
    g_string_append (parts->where, " WHERE (v.archived = 1 OR p.status = 'archived')");
  else
    g_string_append (parts->where, " WHERE v.archived = 0 AND p.status <> 'archived'");

  if (query->vendor != NULL)
    g_string_append (parts->where, " AND p.vendor = ?1");
  if (query->product_type != NULL)
    g_string_append (parts->where, " AND p.product_type = ?2");
  /* SQLite's lower () folds ASCII letters only; on PostgreSQL lower ()
   * follows the collation, "C" folds ASCII only, the server's locale more. */
  if (query->tag != NULL && parts->pg)
    g_string_append (parts->where,
                     " AND instr (',' || lower (replace (p.tags, ', ', ',') COLLATE \"C\") || ',',"
                     " ',' || lower (CAST (?3 AS TEXT) COLLATE \"C\") || ',') > 0");
  else if (query->tag != NULL)
    g_string_append (parts->where,
                     " AND instr (',' || lower (replace (p.tags, ', ', ',')) || ',',"
                     " ',' || lower (?3) || ',') > 0");

#define REORDER_POINT "coalesce (v.reorder_point, CAST (nullif (?4, '') AS INTEGER))"
  switch (query->stock)
    {
    case OMNI_STOCK_IN:
      g_string_append (parts->where,
                       " AND v.available > 0 AND v.available > coalesce (" REORDER_POINT ", 0)");
      break;
    case OMNI_STOCK_LOW:
      g_string_append (parts->where,
                       " AND v.available > 0 AND v.available <= " REORDER_POINT);
      break;
    case OMNI_STOCK_OUT:
      g_string_append (parts->where, " AND v.available <= 0");
      break;
    case OMNI_STOCK_ANY:
    case OMNI_STOCK_ARCHIVED:
    default:
      break;
    }
#undef REORDER_POINT

  if (query->search != NULL && !add_search (parts, query->search, error))
    return FALSE;
  return TRUE;
}

/* Only the rows past parts->key in the order the page is read (@descending:
 * the query's own order, or its reverse for a page before the key). Each sort
 * ends in the variant id, so "past" is a strict comparison of the whole
 * tuple. Where an index serves the order, a looser comparison on its leading
 * columns alone lets SQLite start its scan at the key instead of at the top.
 * In SKU order, parts->sku_part says which part of the list to read. */
static void
add_key (QueryParts             *parts,
         const OmniVariantQuery *query,
         gboolean                descending)
{
  const OmniVariantKey *key = parts->key;
  const char *past = descending ? "<" : ">";

  if (key == NULL)
    return;

  switch (query->sort)
    {
    case OMNI_SORT_TITLE:
      if (parts->pg)
        g_string_append_printf (parts->where,
                                " AND " PG_TITLE " %s= " PG_KEY_TITLE
                                " AND (" PG_TITLE ", p.id, v.position, v.id)"
                                " %s (" PG_KEY_TITLE ", ?42, ?43, ?44)",
                                past, past);
      else
        g_string_append_printf (parts->where,
                                " AND p.title COLLATE NOCASE %s= ?40"
                                " AND (p.title COLLATE NOCASE, p.id, v.position, v.id)"
                                " %s (?40, ?42, ?43, ?44)",
                                past, past);
      break;
    case OMNI_SORT_SKU:
      if (parts->sku_part == SKU_ALL_NULL)
        g_string_append (parts->where, " AND v.sku IS NULL");
      else if (parts->sku_part == SKU_ALL_NOT_NULL)
        g_string_append (parts->where, " AND v.sku IS NOT NULL");
      else if (key->text == NULL)
        g_string_append_printf (parts->where, " AND v.sku IS NULL AND v.id %s ?44", past);
      else
        g_string_append_printf (parts->where, " AND v.sku %s= ?40 AND (v.sku, v.id) %s (?40, ?44)",
                                past, past);
      break;
    case OMNI_SORT_PRICE:
      g_string_append_printf (parts->where, " AND (v.price, v.id) %s (?41, ?44)", past);
      break;
    case OMNI_SORT_AVAILABLE:
      g_string_append_printf (parts->where, " AND v.available %s= ?41"
                              " AND (v.available, v.id) %s (?41, ?44)", past, past);
      break;
    case OMNI_SORT_UPDATED:
    default:
      g_string_append_printf (parts->where, " AND (v.updated_at, v.id) %s (?40, ?44)", past);
      break;
    }
}

static void
bind_parts (OmniDbStmt           *stmt,
            const OmniVariantQuery *query,
            const QueryParts       *parts)
{
  if (query->vendor != NULL)
    omni_db_bind_text (stmt, 1, query->vendor, -1, SQLITE_TRANSIENT);
  if (query->product_type != NULL)
    omni_db_bind_text (stmt, 2, query->product_type, -1, SQLITE_TRANSIENT);
  if (query->tag != NULL)
    omni_db_bind_text (stmt, 3, query->tag, -1, SQLITE_TRANSIENT);
  if (query->stock == OMNI_STOCK_IN || query->stock == OMNI_STOCK_LOW)
    _omni_store_bind_text_or_null (stmt, 4, parts->default_reorder_point);
  for (guint i = 0; i < parts->phrases->len; i++)
    omni_db_bind_text (stmt, 10 + (int)i, g_ptr_array_index (parts->phrases, i), -1,
                       SQLITE_TRANSIENT);
  for (guint i = 0; i < parts->patterns->len; i++)
    omni_db_bind_text (stmt, 20 + (int)i, g_ptr_array_index (parts->patterns, i), -1,
                       SQLITE_TRANSIENT);
  if (parts->key != NULL)
    {
      if (parts->key->text != NULL)
        omni_db_bind_text (stmt, 40, parts->key->text, -1, SQLITE_TRANSIENT);
      omni_db_bind_int64 (stmt, 41, parts->key->number);
      omni_db_bind_int64 (stmt, 42, parts->key->product_id);
      omni_db_bind_int64 (stmt, 43, parts->key->position);
      omni_db_bind_int64 (stmt, 44, parts->key->id);
    }
}

/* PostgreSQL sorts NULL last going up: NULLS FIRST/LAST keep SQLite's
 * place for variants without a SKU. */
static const char *
order_by_direction (const OmniVariantQuery *query,
                    const QueryParts       *parts,
                    gboolean                reverse)
{
  static const char * const pg_ascending[] = {
    [OMNI_SORT_TITLE] = " ORDER BY " PG_TITLE ", p.id, v.position, v.id",
    [OMNI_SORT_SKU] = " ORDER BY v.sku NULLS FIRST, v.id",
    [OMNI_SORT_PRICE] = " ORDER BY v.price, v.id",
    [OMNI_SORT_AVAILABLE] = " ORDER BY v.available, v.id",
    [OMNI_SORT_UPDATED] = " ORDER BY v.updated_at, v.id",
  };
  static const char * const pg_descending[] = {
    [OMNI_SORT_TITLE] = " ORDER BY " PG_TITLE " DESC, p.id DESC, v.position DESC, v.id DESC",
    [OMNI_SORT_SKU] = " ORDER BY v.sku DESC NULLS LAST, v.id DESC",
    [OMNI_SORT_PRICE] = " ORDER BY v.price DESC, v.id DESC",
    [OMNI_SORT_AVAILABLE] = " ORDER BY v.available DESC, v.id DESC",
    [OMNI_SORT_UPDATED] = " ORDER BY v.updated_at DESC, v.id DESC",
  };
  static const char * const ascending[] = {
    [OMNI_SORT_TITLE] = " ORDER BY p.title COLLATE NOCASE, p.id, v.position, v.id",
    [OMNI_SORT_SKU] = " ORDER BY v.sku, v.id",
    [OMNI_SORT_PRICE] = " ORDER BY v.price, v.id",
    [OMNI_SORT_AVAILABLE] = " ORDER BY v.available, v.id",
    [OMNI_SORT_UPDATED] = " ORDER BY v.updated_at, v.id",
  };
  static const char * const descending[] = {
    [OMNI_SORT_TITLE] = " ORDER BY p.title COLLATE NOCASE DESC, p.id DESC, v.position DESC,"
                        " v.id DESC",
    [OMNI_SORT_SKU] = " ORDER BY v.sku DESC, v.id DESC",
    [OMNI_SORT_PRICE] = " ORDER BY v.price DESC, v.id DESC",
    [OMNI_SORT_AVAILABLE] = " ORDER BY v.available DESC, v.id DESC",
    [OMNI_SORT_UPDATED] = " ORDER BY v.updated_at DESC, v.id DESC",
  };
  guint key = query->sort <= OMNI_SORT_UPDATED ? query->sort : OMNI_SORT_TITLE;
  /* A page that holds SKUs only: no NULLS FIRST/LAST, so PostgreSQL reads
   * it through the variants_sku index as SQLite does. */
  gboolean skus_only = key == OMNI_SORT_SKU && parts->key != NULL &&
                       (parts->sku_part == SKU_ALL_NOT_NULL ||
                        (parts->sku_part == SKU_PAST_KEY && parts->key->text != NULL));

  if (parts->pg && !skus_only)
    return (query->descending != reverse) ? pg_descending[key] : pg_ascending[key];
  return (query->descending != reverse) ? descending[key] : ascending[key];
}

static const char *
order_by (const OmniVariantQuery *query,
          const QueryParts       *parts)
{
  return order_by_direction (query, parts, FALSE);
}

/* Searching a page of the list in title order on PostgreSQL, there are two
 * ways: drive by the index (fetch every match, sort them, keep the page), which
 * costs in proportion to the matches M; or walk the list in title order
 * through products_title, test each row's index text, and stop when the page
 * is full, which costs about (offset + limit) × N / M rows for N variants
 * when the matches are spread evenly. Rare text wants the first, common text
 * the second: a term found in one title in twenty makes the index way sort
 * 50,000 rows of a million to show 50. A row walked costs about twice a
 * match sorted, so the walk should win once M² > 2 × (offset + limit) × N;
 * counting the matches up to that threshold T is cheap for the index (on
 * a large catalog, counting those among the first eighth of the rowids).
 * But matches may bunch up far down the list (a title's first word: all
 * "Rustic …" titles sit together under R), so a walk may read at most T
 * rows, about what the index way would cost at the threshold, and gives
 * way to the index after that. Terms too short for trigrams cannot be
 * counted: as the first letters of a word they are nearly always common, so
 * they try the walk first too.
 *
 * Returns: how many rows a walk may read, or 0 to let the index drive
 * (always 0 on SQLite: see list_page_ranked()) */
#define SAMPLE_FROM  100000
#define SAMPLE_PARTS 8

static gint64 choose_walk_pg (OmniStore        *self,
                              const QueryParts *parts,
                              gint64            variants,
                              gint64            threshold);

static gint64
choose_walk (OmniStore              *self,
             const OmniVariantQuery *query,
             const QueryParts       *parts,
             guint                   offset,
             guint                   limit)
{
  OmniDbStmt *stmt;
  gint64 variants = 0, threshold;

  if (!parts->pg || query->search == NULL || query->sort != OMNI_SORT_TITLE ||
      parts->patterns->len == 0)
    return 0;

  stmt = _omni_store_prepare (self, "SELECT coalesce (max (id), 0) FROM variants", NULL);
  if (stmt == NULL)
    return 0;
  if (omni_db_step (stmt) == SQLITE_ROW)
    variants = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  threshold = (gint64)sqrt (2.0 * (double)((gint64)offset + limit) * (double)variants);
  return choose_walk_pg (self, parts, variants, threshold);
}

/* The same choice on PostgreSQL: the terms of three characters or more
 * (LIKE patterns under the trigram index) counted together, up to the
 * threshold, among the first eighth of the rowids on a large catalog. */
static gint64
choose_walk_pg (OmniStore        *self,
                const QueryParts *parts,
                gint64            variants,
                gint64            threshold)
{
  g_autoptr(GString) sql = NULL;
  OmniDbStmt *stmt;
  gint64 matches = 0, sample = 1;

  if (parts->trigram_patterns->len == 0)
    return MAX (threshold, 1);

  /* rowid + 0: the trigram index drives and the first eighth is the
   * first pages of the heap, not a scan of the primary key testing each */
  sql = g_string_new ("SELECT count (*) FROM (SELECT 1 FROM search_index WHERE rowid + 0 <= ?1");
  for (guint i = 0; i < parts->trigram_patterns->len; i++)
    g_string_append_printf (sql, " AND search_index LIKE ?%u ESCAPE '\\'", 10 + i);
  g_string_append (sql, " LIMIT ?2) s");

  if (variants >= SAMPLE_FROM)
    sample = SAMPLE_PARTS;
  stmt = _omni_store_prepare (self, sql->str, NULL);
  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, variants / sample);
  omni_db_bind_int64 (stmt, 2, threshold / sample + 1);
  for (guint i = 0; i < parts->trigram_patterns->len; i++)
    omni_db_bind_text (stmt, 10 + (int)i, g_ptr_array_index (parts->trigram_patterns, i), -1,
                       SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    matches = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  return matches > threshold / sample ? threshold : 0;
}

/* Every row @stmt returns, then @stmt reset; %NULL with @error set (@what
 * failed) when a step fails. */
static GPtrArray *
step_rows (OmniStore   *self,
           OmniDbStmt  *stmt,
           const char  *what,
           GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_variant_row_free);
  int rc;

  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, variant_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* A walk on PostgreSQL: the rows of the page's filters and key in list
 * order, at most @walk_rows of them (the LIMIT of the inner query, which
 * PostgreSQL reads through products_title and stops reading as soon as the
 * outer query has its page), each tested against the terms by rowid. A
 * page left short either reached the end of the list or spent the budget:
 * counting the rows the walk may read tells which. */
static GPtrArray *
list_page_pg_walk (OmniStore               *self,
                   const OmniVariantQuery  *query,
                   const QueryParts        *parts,
                   gboolean                 reverse,
                   guint                    offset,
                   guint                    limit,
                   gint64                   walk_rows,
                   gboolean                *interrupted,
                   GError                 **error)
{
  static const char walk_ascending[] =
    " ORDER BY w.walk_title, w.walk_product, w.walk_position, w.walk_variant";
  static const char walk_descending[] =
    " ORDER BY w.walk_title DESC, w.walk_product DESC, w.walk_position DESC,"
    " w.walk_variant DESC";
  const char *walk_order = (query->descending != reverse) ? walk_descending : walk_ascending;
  g_autofree char *sql = NULL;
  g_autofree char *count_sql = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  OmniDbStmt *stmt;
  gint64 walked = 0;
  int rc;

  sql = g_strconcat ("SELECT " VARIANT_COLUMNS
                     " FROM (SELECT " PG_TITLE " AS walk_title, p.id AS walk_product,"
                     "        v.position AS walk_position, v.id AS walk_variant"
                     "       FROM products p JOIN variants v ON p.id = v.product_id",
                     parts->where->str, order_by_direction (query, parts, reverse),
                     " LIMIT ?32) w"
                     " JOIN variants v ON v.id = w.walk_variant"
                     " JOIN products p ON p.id = w.walk_product"
                     " WHERE TRUE", parts->search->str, walk_order,
                     " LIMIT ?30 OFFSET ?31", NULL);
  stmt = _omni_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_parts (stmt, query, parts);
  omni_db_bind_int (stmt, 30, (int)limit);
  omni_db_bind_int64 (stmt, 31, offset);
  omni_db_bind_int64 (stmt, 32, walk_rows);
  rows = step_rows (self, stmt, "Could not list the catalog", error);
  if (rows == NULL || rows->len >= limit)
    return g_steal_pointer (&rows);

  count_sql = g_strconcat ("SELECT count (*) FROM (SELECT 1"
                           " FROM products p JOIN variants v ON p.id = v.product_id",
                           parts->where->str, " LIMIT ?32) w", NULL);
  stmt = _omni_store_prepare (self, count_sql, error);
  if (stmt == NULL)
    return NULL;
  bind_parts (stmt, query, parts);
  omni_db_bind_int64 (stmt, 32, walk_rows);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    walked = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not list the catalog");
      return NULL;
    }
  if (walked >= walk_rows)
    {
      *interrupted = TRUE;
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* A page of a search in title order on SQLite. The search index's rowids
 * are ranks in title order (omni-store-search.c), so its ordered part read
 * in rowid order is the list's order: that read stops once offset + limit
 * rows have passed the filters, and is the page itself. The tail, in no
 * order, is read whole when there is one: then the two together, sorted,
 * hold the page. Past a key, the ordered part starts at the key's own
 * rank. */
static GPtrArray *
list_page_ranked_read (OmniStore               *self,
                       const OmniVariantQuery  *query,
                       const QueryParts        *parts,
                       gboolean                 reverse,
                       guint                    offset,
                       guint                    limit,
                       GError                 **error)
{
  /* The index read in rank order: search_index, or search_digits for a
   * term of digits (each entry's rowid is its rank in both), then the
   * other index's entry of the same rowid. */
  const char *rank = parts->digits_drive ? "dg.rowid" : "s.rowid";
  g_autofree char *hits =
    g_strconcat (parts->digits_drive
                 ? " FROM search_digits dg CROSS JOIN search_index s ON s.rowid = dg.rowid"
                 : " FROM search_index s",
                 " CROSS JOIN search_ranks r ON r.rank = s.rowid"
                 " JOIN variants v ON v.id = r.variant_id JOIN products p ON p.id = v.product_id",
                 NULL);
  gboolean descending = query->descending != reverse;
  gboolean has_tail;
  g_autofree char *past_key = NULL;
  g_autofree char *ordered = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *sql = NULL;
  OmniDbStmt *stmt;
  int rc;

  if (parts->key != NULL)
    past_key = g_strdup_printf (descending
                                ? " AND %s < coalesce ((SELECT rank FROM search_ranks"
                                  " WHERE variant_id = ?44 AND rank < ?34), ?34)"
                                : " AND %s > coalesce ((SELECT rank FROM search_ranks"
                                  " WHERE variant_id = ?44 AND rank < ?34), 0)",
                                rank);
  /* Reading the tail costs each term a seek to its end in the index, about
   * as much as the page itself when nothing is cached: only when there is
   * one. */
  stmt = _omni_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM search_ranks WHERE rank >= ?1)",
                              error);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, OMNI_SEARCH_RANK_TAIL);
  rc = omni_db_step (stmt);
  has_tail = rc == SQLITE_ROW && omni_db_column_int (stmt, 0) != 0;
  omni_db_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _omni_store_set_error (self, error, rc, "Could not search the catalog");
      return NULL;
    }

  ordered = g_strconcat (hits, parts->where->str, " AND ", rank, " < ?34",
                         past_key ? past_key : "", " ORDER BY ", rank,
                         descending ? " DESC" : "", NULL);
  if (has_tail)
    {
      tail = g_strconcat (" UNION ALL SELECT r.variant_id", hits, parts->where->str,
                          " AND ", rank, " >= ?34", NULL);
      sql = g_strconcat ("SELECT " VARIANT_COLUMNS
                         " FROM (SELECT hit FROM (SELECT r.variant_id AS hit", ordered,
                         " LIMIT ?33)", tail, ") h"
                         " JOIN variants v ON v.id = h.hit JOIN products p ON p.id = v.product_id",
                         order_by_direction (query, parts, reverse),
                         " LIMIT ?30 OFFSET ?31", NULL);
    }
  else
    /* Without a tail, rank order is the list's order: the rows read in
     * it are the page, with no second lookup of each and no sort (a
     * common word's page 0.16 → 0.09 ms inside SQLite at 1M). */
    sql = g_strconcat ("SELECT " VARIANT_COLUMNS, ordered, " LIMIT ?30 OFFSET ?31", NULL);
  stmt = _omni_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  bind_parts (stmt, query, parts);
  omni_db_bind_int (stmt, 30, (int)limit);
  omni_db_bind_int64 (stmt, 31, offset);
  omni_db_bind_int64 (stmt, 33, (gint64)offset + limit);
  omni_db_bind_int64 (stmt, 34, OMNI_SEARCH_RANK_TAIL);
  return step_rows (self, stmt, "Could not search the catalog", error);
}

/* list_page_ranked_read() in one read transaction: the tail check and the
 * page see one snapshot, so a tail another connection writes between them
 * cannot be missed. */
static GPtrArray *
list_page_ranked (OmniStore               *self,
                  const OmniVariantQuery  *query,
                  const QueryParts        *parts,
                  gboolean                 reverse,
                  guint                    offset,
                  guint                    limit,
                  GError                 **error)
{
  gboolean reading = _omni_store_begin_read (self);
  GPtrArray *rows = list_page_ranked_read (self, query, parts, reverse, offset, limit, error);

  _omni_store_end_read (self, reading);
  return rows;
}

/* One page for @parts. A walk on PostgreSQL that reads more than
 * @walk_rows rows stops with *@interrupted set and no error. */
static GPtrArray *
list_page (OmniStore               *self,
           const OmniVariantQuery  *query,
           const QueryParts        *parts,
           gboolean                 reverse,
           guint                    offset,
           guint                    limit,
           gint64                   walk_rows,
           gboolean                *interrupted,
           GError                 **error)
{
  g_autofree char *sql = NULL;
  OmniDbStmt *stmt;

  if (parts->pg && parts->walk)
    return list_page_pg_walk (self, query, parts, reverse, offset, limit, walk_rows,
                              interrupted, error);
  if (parts->ranked)
    return list_page_ranked (self, query, parts, reverse, offset, limit, error);

  if (parts->pg && parts->pg_hits && parts->search->len > 0)
    /* The matches first, through the trigram index, then each looked up by
     * its id and sorted for the page: an array of ids computed once keeps
     * the planner from walking the list instead. */
    sql = g_strconcat ("SELECT " VARIANT_COLUMNS
                       " FROM variants v JOIN products p ON p.id = v.product_id",
                       parts->where->str,
                       " AND v.id = ANY (ARRAY (SELECT rowid FROM search_index WHERE TRUE",
                       parts->search->str, "))", order_by_direction (query, parts, reverse),
                       " LIMIT ?30 OFFSET ?31", NULL);
  else
    sql = g_strconcat ("SELECT " VARIANT_COLUMNS
                       " FROM variants v JOIN products p ON p.id = v.product_id",
                       parts->where->str, order_by_direction (query, parts, reverse),
                       " LIMIT ?30 OFFSET ?31", NULL);
  stmt = _omni_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  bind_parts (stmt, query, parts);
  omni_db_bind_int (stmt, 30, (int)limit);
  omni_db_bind_int64 (stmt, 31, offset);
  return step_rows (self, stmt, "Could not list the catalog", error);
}

static GPtrArray *list_variants (OmniStore               *self,
                                  const OmniVariantQuery  *query,
                                  const OmniVariantKey    *key,
                                  int                      sku_part,
                                  gboolean                 reverse,
                                  guint                    offset,
                                  guint                    limit,
                                  GError                 **error);

/* A page past @key in SKU order: the key's part of the list first, then
 * the start of the other one (see SkuPart). */
static GPtrArray *
list_by_sku (OmniStore               *self,
             const OmniVariantQuery  *query,
             const OmniVariantKey    *key,
             gboolean                 reverse,
             guint                    limit,
             GError                 **error)
{
  gboolean descending = query->descending != reverse;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) more = NULL;
  int then;

  limit = MIN (limit, 1000u);
  rows = list_variants (self, query, key, SKU_PAST_KEY, reverse, 0, limit, error);
  if (rows == NULL || rows->len >= limit)
    return g_steal_pointer (&rows);

  if (key->text == NULL && !descending)
    then = SKU_ALL_NOT_NULL;
  else if (key->text != NULL && descending)
    then = SKU_ALL_NULL;
  else
    return g_steal_pointer (&rows);

  more = list_variants (self, query, key, then, reverse, 0, limit - rows->len, error);
  if (more == NULL)
    return NULL;
  for (guint i = 0; i < more->len; i++)
    g_ptr_array_add (rows, g_steal_pointer (&more->pdata[i]));
  return g_steal_pointer (&rows);
}

/* A page of @limit rows: @offset rows from the top, or just past @key when
 * there is one, read in the query's order or, with @reverse, against it. */
static GPtrArray *
list_variants (OmniStore               *self,
               const OmniVariantQuery  *query,
               const OmniVariantKey    *key,
               int                      sku_part,
               gboolean                 reverse,
               guint                    offset,
               guint                    limit,
               GError                 **error)
{
  /* in title order, PostgreSQL's planner would walk products_title for
   * any search and find common text bunched far down only after most of
   * the list: the walk below does that within a budget, and the index
   * drives otherwise */
  gboolean by_title = query->search != NULL && query->sort == OMNI_SORT_TITLE;
  g_auto(QueryParts) parts = { .key = key, .sku_part = sku_part,
                               .pg_hits = by_title,
                               .ranked = by_title && !_omni_store_is_postgresql (self) };
  gint64 walk_rows;

  if (!build_where (self, query, &parts, error))
    return NULL;
  /* whitespace alone is no search */
  if (parts.ranked && parts.terms->len == 0)
    parts.ranked = FALSE;
  add_key (&parts, query, query->descending != reverse);
  limit = MIN (limit, 1000u);

  walk_rows = choose_walk (self, query, &parts, offset, limit);
  if (walk_rows > 0)
    {
      g_auto(QueryParts) walk = { .walk = TRUE, .key = key, .sku_part = sku_part };
      gboolean interrupted = FALSE;
      GPtrArray *rows;

      if (!build_where (self, query, &walk, error))
        return NULL;
      add_key (&walk, query, query->descending != reverse);
      rows = list_page (self, query, &walk, reverse, offset, limit, walk_rows,
                        &interrupted, error);
      if (rows != NULL || !interrupted)
        return rows;
    }
  return list_page (self, query, &parts, reverse, offset, limit, 0, NULL, error);
}

/**
 * omni_store_list_variants:
 * @query: filters and order
 * @offset: rows to skip
 * @limit: rows to return, at most 1000
 *
 * One page of the product list. Filtering and sorting run in SQL, so a page
 * costs the same at ten thousand variants as at a million, apart from the
 * index walk to @offset: a page deep in a large list is cheaper through
 * omni_store_list_variants_after() from the key of the row before it.
 *
 * Returns: (transfer full) (element-type OmniVariantRow): the rows
 */
GPtrArray *
omni_store_list_variants (OmniStore               *self,
                          const OmniVariantQuery  *query,
                          guint                    offset,
                          guint                    limit,
                          GError                 **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return list_variants (self, query, NULL, SKU_PAST_KEY, FALSE, offset, limit, error);
}

static gboolean
check_key (const OmniVariantQuery  *query,
           const OmniVariantKey    *key,
           GError                 **error)
{
  OmniSortKey sort = query->sort <= OMNI_SORT_UPDATED ? query->sort : OMNI_SORT_TITLE;

  if (key == NULL || key->sort == sort)
    return TRUE;
  g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                       "The list position belongs to another sort order");
  return FALSE;
}

/**
 * omni_store_list_variants_after:
 * @query: filters and order
 * @after: (nullable): the key of the row before the page (made with
 *   omni_variant_key_new() for @query's sort); %NULL for the first page
 * @limit: rows to return, at most 1000
 *
 * The @limit rows that follow @after in omni_store_list_variants()'s order
 * for @query, found by the key's values instead of by counting the rows
 * before them: the same cost at the end of a million rows as at the top.
 * Rows added or removed before the key between two pages do not shift the
 * next one, so walking a list page by page never skips or repeats a row.
 *
 * Returns: (transfer full) (element-type OmniVariantRow): the rows in list
 *   order, or %NULL with @error set
 */
GPtrArray *
omni_store_list_variants_after (OmniStore               *self,
                                const OmniVariantQuery  *query,
                                const OmniVariantKey    *after,
                                guint                    limit,
                                GError                 **error)
{
  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!check_key (query, after, error))
    return NULL;
  if (after != NULL && query->sort == OMNI_SORT_SKU)
    return list_by_sku (self, query, after, FALSE, limit, error);
  return list_variants (self, query, after, SKU_PAST_KEY, FALSE, 0, limit, error);
}

/**
 * omni_store_list_variants_before:
 * @query: filters and order
 * @before: (nullable): the key of the row after the page; %NULL for the
 *   last page of the list
 * @limit: rows to return, at most 1000
 *
 * The @limit rows that come just before @before in list order, for a view
 * scrolling up: the mirror of omni_store_list_variants_after().
 *
 * Returns: (transfer full) (element-type OmniVariantRow): the rows in list
 *   order, or %NULL with @error set
 */
GPtrArray *
omni_store_list_variants_before (OmniStore               *self,
                                 const OmniVariantQuery  *query,
                                 const OmniVariantKey    *before,
                                 guint                    limit,
                                 GError                 **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!check_key (query, before, error))
    return NULL;
  if (before != NULL && query->sort == OMNI_SORT_SKU)
    rows = list_by_sku (self, query, before, TRUE, limit, error);
  else
    rows = list_variants (self, query, before, SKU_PAST_KEY, TRUE, 0, limit, error);
  if (rows != NULL)
    for (guint i = 0, j = rows->len; i + 1 < j; i++, j--)
      {
        gpointer row = rows->pdata[i];

        rows->pdata[i] = rows->pdata[j - 1];
        rows->pdata[j - 1] = row;
      }
  return rows;
}

/**
 * omni_store_count_variants:
 *
 * Returns: how many rows omni_store_list_variants() has for @query, or -1
 *   with @error set
 */
gint64
omni_store_count_variants (OmniStore               *self,
                           const OmniVariantQuery  *query,
                           GError                 **error)
{
  g_auto(QueryParts) parts = { 0 };
  g_autofree char *sql = NULL;
  OmniDbStmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), -1);
  g_return_val_if_fail (query != NULL, -1);

  if (!build_where (self, query, &parts, error))
    return -1;

  sql = g_strconcat ("SELECT count(*) FROM variants v JOIN products p ON p.id = v.product_id",
                     parts.where->str, NULL);
  stmt = _omni_store_prepare (self, sql, error);
  if (stmt == NULL)
    return -1;

  bind_parts (stmt, query, &parts);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    count = omni_db_column_int64 (stmt, 0);
  else
    _omni_store_set_error (self, error, rc, "Could not count the catalog");
  omni_db_reset (stmt);
  return count;
}

/**
 * omni_store_search:
 * @text: what the merchant typed or scanned
 * @limit: at most this many results (and at most %OMNI_SEARCH_MAX_RESULTS)
 *
 * Active variants matching @text as a substring of title, options, SKU,
 * barcode, vendor or tags (case- and accent-insensitive). A scanned barcode
 * or exact SKU comes first, so a scan jumps straight to its variant.
 *
 * Returns: (transfer full) (element-type OmniVariantRow): the matches
 */
GPtrArray *
omni_store_search (OmniStore   *self,
                   const char  *text,
                   guint        limit,
                   GError     **error)
{
  OmniVariantQuery query = { .search = text, .sort = OMNI_SORT_TITLE };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *trimmed = NULL;
  gint64 exact = 0;
  gboolean reading;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  limit = CLAMP (limit, 1, OMNI_SEARCH_MAX_RESULTS);
  reading = _omni_store_begin_read (self);
  rows = omni_store_list_variants (self, &query, 0, limit, error);
  if (rows == NULL)
    {
      _omni_store_end_read (self, reading);
      return NULL;
    }

  /* The exact SKU or barcode: a row of the page with that SKU is the one
   * omni_store_find_variant() would find (a SKU is unique among active
   * variants, and the page holds active ones only). */
  trimmed = g_strstrip (g_strdup (text));
  for (guint i = 0; i < rows->len && exact == 0; i++)
    if (g_strcmp0 (((OmniVariantRow *)rows->pdata[i])->sku, trimmed) == 0)
      exact = ((OmniVariantRow *)rows->pdata[i])->id;
  if (exact == 0 && *trimmed)
    exact = omni_store_find_variant (self, trimmed, NULL);
  if (exact > 0)
    {
      OmniVariantRow *found = NULL;

      for (guint i = 0; i < rows->len && found == NULL; i++)
        if (((OmniVariantRow *)rows->pdata[i])->id == exact)
          found = g_ptr_array_steal_index (rows, i);
      if (found == NULL)
        found = omni_store_get_variant (self, exact, NULL);
      if (found != NULL)
        g_ptr_array_insert (rows, 0, found);
      if (rows->len > limit)
        g_ptr_array_set_size (rows, limit);
    }

  _omni_store_end_read (self, reading);
  return g_steal_pointer (&rows);
}

/**
 * omni_store_get_variant:
 *
 * Returns: (transfer full): the variant, archived or not, or %NULL with
 *   %OMNI_STORE_ERROR_NOT_FOUND
 */
OmniVariantRow *
omni_store_get_variant (OmniStore  *self,
                        gint64      variant_id,
                        GError    **error)
{
  OmniDbStmt *stmt;
  OmniVariantRow *row = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT " VARIANT_COLUMNS
                              " FROM variants v JOIN products p ON p.id = v.product_id"
                              " WHERE v.id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_int64 (stmt, 1, variant_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    row = variant_from_row (stmt);
  omni_db_reset (stmt);

  if (row == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "Variant %" G_GINT64_FORMAT " does not exist", variant_id);
  return row;
}

void
omni_product_free (OmniProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->handle);
  g_free (product->title);
  g_free (product->body);
  g_free (product->vendor);
  g_free (product->product_type);
  g_free (product->tags);
  g_free (product->status);
  for (guint i = 0; i < G_N_ELEMENTS (product->option_names); i++)
    g_free (product->option_names[i]);
  g_clear_pointer (&product->variants, g_ptr_array_unref);
  g_free (product);
}

static gboolean
read_product_options (OmniStore    *self,
                      OmniProduct  *product,
                      GError      **error)
{
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT position, name FROM product_options"
                              " WHERE product_id = ?1 ORDER BY position",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product->id);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      int position = omni_db_column_int (stmt, 0);

      if (position >= 1 && position <= 3)
        product->option_names[position - 1] = column_strdup (stmt, 1);
    }
  omni_db_reset (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
read_product_variants (OmniStore    *self,
                       OmniProduct  *product,
                       GError      **error)
{
  OmniDbStmt *stmt;
  int rc;

  stmt = _omni_store_prepare (self,
                              "SELECT " VARIANT_COLUMNS
                              " FROM variants v JOIN products p ON p.id = v.product_id"
                              " WHERE v.product_id = ?1 ORDER BY v.position, v.id",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, product->id);
  product->variants = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_variant_row_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (product->variants, variant_from_row (stmt));
  omni_db_reset (stmt);
  return rc == SQLITE_DONE;
}

/**
 * omni_store_get_product:
 *
 * Returns: (transfer full): the product with its option names and every
 *   variant (archived ones too), or %NULL with @error set
 */
OmniProduct *
omni_store_get_product (OmniStore  *self,
                        gint64      product_id,
                        GError    **error)
{
  g_autoptr(OmniProduct) product = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  stmt = _omni_store_prepare (self,
                              "SELECT id, handle, title, body, vendor, product_type, tags, status"
                              " FROM products WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;

  omni_db_bind_int64 (stmt, 1, product_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    {
      product = g_new0 (OmniProduct, 1);
      product->id = omni_db_column_int64 (stmt, 0);
      product->handle = column_strdup (stmt, 1);
      product->title = column_strdup (stmt, 2);
      product->body = column_strdup (stmt, 3);
      product->vendor = column_strdup (stmt, 4);
      product->product_type = column_strdup (stmt, 5);
      product->tags = column_strdup (stmt, 6);
      product->status = column_strdup (stmt, 7);
    }
  omni_db_reset (stmt);

  if (product == NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                   "Product %" G_GINT64_FORMAT " does not exist", product_id);
      return NULL;
    }

  if (!read_product_options (self, product, error) ||
      !read_product_variants (self, product, error))
    {
      if (error != NULL && *error == NULL)
        _omni_store_set_error (self, error, SQLITE_ERROR, "Could not read the product");
      return NULL;
    }
  return g_steal_pointer (&product);
}

/**
 * omni_store_find_product:
 * @sku_or_handle: a product handle, or a SKU or barcode of one of its variants
 *
 * Returns: the product id, or 0 with %OMNI_STORE_ERROR_NOT_FOUND
 */
gint64
omni_store_find_product (OmniStore   *self,
                         const char  *sku_or_handle,
                         GError     **error)
{
  OmniDbStmt *stmt;
  gint64 id = 0;
  gint64 variant_id;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);
  g_return_val_if_fail (sku_or_handle != NULL, 0);

  stmt = _omni_store_prepare (self, "SELECT id FROM products WHERE handle = ?1", error);
  if (stmt == NULL)
    return 0;
  omni_db_bind_text (stmt, 1, sku_or_handle, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (id > 0)
    return id;

  variant_id = omni_store_find_variant (self, sku_or_handle, NULL);
  if (variant_id > 0)
    {
      g_autoptr(OmniVariantRow) row = omni_store_get_variant (self, variant_id, error);

      return row ? row->product_id : 0;
    }

  g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
               "No product has the handle, SKU or barcode “%s”", sku_or_handle);
  return 0;
}

static void
add_tags (GHashTable *seen,
          const char *tags)
{
  g_auto(GStrv) parts = g_strsplit (tags, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *tag = g_strstrip (parts[i]);

      if (*tag != '\0')
        g_hash_table_add (seen, g_strdup (tag));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *)a, *(const char * const *)b);
}

/**
 * omni_store_list_distinct:
 * @field: "vendor", "product_type" or "tags"
 *
 * The values the product list's filters offer, from active products.
 *
 * Returns: (transfer full): sorted, distinct, non-empty values
 */
GStrv
omni_store_list_distinct (OmniStore   *self,
                          const char  *field,
                          GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) values = NULL;
  const char *sql;
  OmniDbStmt *stmt;
  GHashTableIter iter;
  gpointer key;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (g_strcmp0 (field, "vendor") == 0)
    sql = "SELECT DISTINCT vendor FROM products WHERE status <> 'archived' AND vendor <> ''";
  else if (g_strcmp0 (field, "product_type") == 0)
    sql = "SELECT DISTINCT product_type FROM products"
          " WHERE status <> 'archived' AND product_type <> ''";
  else if (g_strcmp0 (field, "tags") == 0)
    sql = "SELECT DISTINCT tags FROM products WHERE status <> 'archived' AND tags <> ''";
  else
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "Cannot list values of “%s”", field ? field : "");
      return NULL;
    }

  stmt = _omni_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      const char *value = (const char *)omni_db_column_text (stmt, 0);

      if (g_str_equal (field, "tags"))
        add_tags (seen, value);
      else
        g_hash_table_add (seen, g_strdup (value));
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the filter values");
      return NULL;
    }

  values = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_ptr_array_add (values, key);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (values, compare_strings);
  g_ptr_array_add (values, NULL);
  return (GStrv)g_ptr_array_free (g_steal_pointer (&values), FALSE);
}

/**
 * omni_store_variant_position:
 * @query: filters and order, as the list shows them
 * @variant_id: the variant to find
 *
 * Where @variant_id stands in omni_store_list_variants()'s rows for @query,
 * so a view can scroll to it and select it. Numbering the rows costs a walk
 * over the rows @query matches: cheap once a search has narrowed them.
 *
 * Returns: the 0-based position; -1 when @query does not list the variant,
 *   or -2 with @error set
 */
gint64
omni_store_variant_position (OmniStore               *self,
                             const OmniVariantQuery  *query,
                             gint64                   variant_id,
                             GError                 **error)
{
  g_auto(QueryParts) parts = { 0 };
  g_autofree char *sql = NULL;
  OmniDbStmt *stmt;
  gint64 position = -1;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), -2);
  g_return_val_if_fail (query != NULL, -2);

  if (!build_where (self, query, &parts, error))
    return -2;

  sql = g_strconcat ("SELECT n FROM (SELECT v.id AS vid, row_number () OVER (",
                     order_by (query, &parts), ") - 1 AS n"
                     " FROM variants v JOIN products p ON p.id = v.product_id",
                     parts.where->str, ") AS ranked WHERE vid = ?32", NULL);
  stmt = _omni_store_prepare (self, sql, error);
  if (stmt == NULL)
    return -2;

  bind_parts (stmt, query, &parts);
  omni_db_bind_int64 (stmt, 32, variant_id);
  rc = omni_db_step (stmt);
  if (rc == SQLITE_ROW)
    position = omni_db_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not find the variant in the list");
      position = -2;
    }
  omni_db_reset (stmt);
  return position;
}

/**
 * omni_store_list_variant_ids:
 * @query: filters and order
 * @offset: rows to skip
 * @limit: rows to return; 0 for all
 *
 * The ids of omni_store_list_variants()'s rows, without the rest: what a
 * selection of many rows of the list stands for.
 *
 * Returns: (transfer full) (element-type gint64): the ids in list order, or
 *   %NULL with @error set
 */
GArray *
omni_store_list_variant_ids (OmniStore               *self,
                             const OmniVariantQuery  *query,
                             guint                    offset,
                             guint                    limit,
                             GError                 **error)
{
  g_auto(QueryParts) parts = { 0 };
  g_autofree char *sql = NULL;
  g_autoptr(GArray) ids = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!build_where (self, query, &parts, error))
    return NULL;

  sql = g_strconcat ("SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id",
                     parts.where->str, order_by (query, &parts), " LIMIT ?30 OFFSET ?31", NULL);
  stmt = _omni_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  bind_parts (stmt, query, &parts);
  /* No limit: -1 on SQLite, NULL on PostgreSQL (which refuses -1). */
  if (limit > 0)
    omni_db_bind_int64 (stmt, 30, limit);
  else if (parts.pg)
    omni_db_bind_null (stmt, 30);
  else
    omni_db_bind_int64 (stmt, 30, -1);
  omni_db_bind_int64 (stmt, 31, offset);

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = omni_db_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  omni_db_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the catalog");
      return NULL;
    }
  return g_steal_pointer (&ids);
}
