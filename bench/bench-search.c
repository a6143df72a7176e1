/* bench-search.c: substring search through the index vs a LIKE scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-search [--variants N] [--db PATH] [--queries N] [--limit N] [--seed N]
 *   bench-search [--variants N] [--db PATH] --deep-page N
 *
 * Draws substring queries (2 to 12 characters) from the catalog's own text:
 * fragments of title words, accented fragments, upper-case fragments, two
 * fragments at once, SKU and barcode pieces, vendor names and two-letter
 * prefixes. Each query runs through omni_store_search(), the API behind the
 * search entry and `omnistock-cli search`, and through a naive query on a
 * second connection to the same file that returns the same page (active
 * variants whose title, options, SKU, barcode, vendor or tags contain the
 * text, in title order, LIMIT N) with `LIKE '%q%'` instead of the trigram
 * index. The two alternate query by query, so both see the same machine.
 *
 * Every query comes from an active variant's text, so the index must find
 * at least that variant: a query that finds nothing fails the run.
 */
#define G_LOG_DOMAIN "bench-search"

#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "omni-store-catalog.h"

#define GOAL_SPEEDUP 50.0
#define GOAL_P99_MS  16.0
#define FILTER_PAGE  100   /* OMNI_VARIANT_LIST_PAGE_SIZE */

typedef enum
{
  KIND_WORD,
  KIND_ACCENT,
  KIND_UPPER,
  KIND_TWO_WORDS,
  KIND_SKU,
  KIND_BARCODE,
  KIND_VENDOR,
  KIND_SHORT,
  N_KINDS,
} Kind;

static const char * const kind_names[N_KINDS] = {
  [KIND_WORD] = "title fragment",
  [KIND_ACCENT] = "accented fragment",
  [KIND_UPPER] = "upper-case fragment",
  [KIND_TWO_WORDS] = "two fragments",
  [KIND_SKU] = "SKU fragment",
  [KIND_BARCODE] = "barcode digits",
  [KIND_VENDOR] = "vendor fragment",
  [KIND_SHORT] = "two letters",
};

typedef struct
{
  Kind  kind;
  char *text;
  char *terms[2];   /* LIKE patterns for the naive query */
} Query;

static void
query_free (gpointer data)
{
  Query *query = data;

  g_free (query->text);
  g_free (query->terms[0]);
  g_free (query->terms[1]);
  g_free (query);
}

typedef struct
{
  char *title;
  char *options;
  char *sku;
  char *barcode;
  char *vendor;
} Sample;

static void
sample_clear (Sample *sample)
{
  g_free (sample->title);
  g_free (sample->options);
  g_free (sample->sku);
  g_free (sample->barcode);
  g_free (sample->vendor);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sample, sample_clear)

static sqlite3 *
open_raw (const char  *path,
          GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA temp_store = MEMORY;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not open %s: %s",
                   path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return g_strdup (text ? text : "");
}

/* A random active variant's text. */
static gboolean
draw_sample (sqlite3      *db,
             GRand        *rand,
             gint64        max_id,
             Sample       *sample)
{
  static const char sql[] =
    "SELECT p.title, trim (ifnull (v.option1, '') || ' ' || ifnull (v.option2, '')"
    "                      || ' ' || ifnull (v.option3, '')),"
    " ifnull (v.sku, ''), ifnull (v.barcode, ''), p.vendor"
    " FROM variants v JOIN products p ON p.id = v.product_id"
    " WHERE v.id >= ?1 AND v.archived = 0 AND p.status <> 'archived'"
    " ORDER BY v.id LIMIT 1";
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_rand_int_range (rand, 1, (gint32)MIN (max_id, G_MAXINT32 - 1) + 1));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sample_clear (sample);
      sample->title = column_dup (stmt, 0);
      sample->options = column_dup (stmt, 1);
      sample->sku = column_dup (stmt, 2);
      sample->barcode = column_dup (stmt, 3);
      sample->vendor = column_dup (stmt, 4);
      found = TRUE;
    }
  sqlite3_finalize (stmt);
  return found;
}

/* The words of @text: runs of letters and digits. */
static GPtrArray *
split_words (const char *text,
             guint       min_chars,
             gboolean    need_accent)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p)
    {
      const char *start;
      gboolean accent = FALSE;
      guint chars = 0;

      while (*p && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        {
          accent |= (guchar)*p >= 0x80;
          chars++;
          p = g_utf8_next_char (p);
        }
      if (chars >= min_chars && (!need_accent || accent))
        g_ptr_array_add (words, g_strndup (start, (gsize)(p - start)));
    }
  return words;
}

/* @chars characters of @word from character @from. */
static char *
utf8_slice (const char *word,
            glong       from,
            glong       chars)
{
  const char *start = g_utf8_offset_to_pointer (word, from);
  const char *end = g_utf8_offset_to_pointer (start, chars);

  return g_strndup (start, (gsize)(end - start));
}

/* A fragment of 3 to @max_chars characters of a random word of @text. */
static char *
fragment (GRand      *rand,
          const char *text,
          guint       max_chars,
          gboolean    need_accent)
{
  g_autoptr(GPtrArray) words = split_words (text, 3, need_accent);
  const char *word;
  glong len, chars, from;

  if (words->len == 0)
    return NULL;
  word = g_ptr_array_index (words, g_rand_int_range (rand, 0, (gint32)words->len));
  len = g_utf8_strlen (word, -1);
  chars = g_rand_int_range (rand, 3, (gint32)MIN ((glong)max_chars, len) + 1);

  if (need_accent)
    {
      /* Keep an accented character inside the fragment. */
      glong accent_at = 0;

      for (const char *p = word; *p; p = g_utf8_next_char (p), accent_at++)
        if ((guchar)*p >= 0x80)
          break;
      from = g_rand_int_range (rand, (gint32)MAX (0, accent_at - chars + 1),
                               (gint32)MIN (accent_at, len - chars) + 1);
    }
  else
    from = g_rand_int_range (rand, 0, (gint32)(len - chars) + 1);

  return utf8_slice (word, from, chars);
}

static char *
ascii_slice (GRand      *rand,
             const char *text,
             guint       min_chars,
             guint       max_chars)
{
  guint len = (guint)strlen (text);
  guint chars;

  if (len < min_chars)
    return NULL;
  chars = (guint)g_rand_int_range (rand, (gint32)min_chars, (gint32)MIN (max_chars, len) + 1);
  return g_strndup (text + g_rand_int_range (rand, 0, (gint32)(len - chars) + 1), chars);
}

static char *
make_query_text (Kind          kind,
                 GRand        *rand,
                 const Sample *sample)
{
  g_autofree char *all = g_strjoin (" ", sample->title, sample->options, sample->vendor, NULL);

  switch (kind)
    {
    case KIND_WORD:
      return fragment (rand, sample->title, 8, FALSE);
    case KIND_ACCENT:
      return fragment (rand, all, 8, TRUE);
    case KIND_UPPER:
      {
        g_autofree char *text = fragment (rand, sample->title, 8, FALSE);

        return text ? g_utf8_strup (text, -1) : NULL;
      }
    case KIND_TWO_WORDS:
      {
        g_autofree char *a = fragment (rand, sample->title, 5, FALSE);
        g_autofree char *b = fragment (rand, sample->title, 5, FALSE);

        if (a == NULL || b == NULL || g_str_equal (a, b))
          return NULL;
        return g_strdup_printf ("%s %s", a, b);
      }
    case KIND_SKU:
      return ascii_slice (rand, sample->sku, 4, 10);
    case KIND_BARCODE:
      return ascii_slice (rand, sample->barcode, 6, 12);
    case KIND_VENDOR:
      return fragment (rand, sample->vendor, 10, FALSE);
    case KIND_SHORT:
      {
        g_autoptr(GPtrArray) words = split_words (sample->title, 3, FALSE);

        if (words->len == 0)
          return NULL;
        return utf8_slice (g_ptr_array_index (words, g_rand_int_range (rand, 0, (gint32)words->len)),
                           0, 2);
      }
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
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

static GPtrArray *
make_queries (sqlite3  *db,
              guint     n_queries,
              guint32   seed,
              GError  **error)
{
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (query_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_auto(Sample) sample = { 0 };
  sqlite3_stmt *stmt = NULL;
  gint64 max_id = 0;

  if (sqlite3_prepare_v2 (db, "SELECT ifnull (max (id), 0) FROM variants", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    max_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (max_id <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The catalog has no variants");
      return NULL;
    }

  for (guint i = 0; i < n_queries; i++)
    {
      Kind kind = (Kind)(i % N_KINDS);
      char *text = NULL;

      for (guint tries = 0; text == NULL && tries < 1000; tries++)
        if (draw_sample (db, rand, max_id, &sample))
          text = make_query_text (kind, rand, &sample);
      if (text == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Could not draw a %s query from the catalog", kind_names[kind]);
          return NULL;
        }

      {
        Query *query = g_new0 (Query, 1);
        g_auto(GStrv) terms = g_strsplit (text, " ", 2);

        query->kind = kind;
        query->text = text;
        query->terms[0] = like_pattern (terms[0]);
        query->terms[1] = terms[1] ? like_pattern (terms[1]) : NULL;
        g_ptr_array_add (queries, query);
      }
    }
  return g_steal_pointer (&queries);
}

/* The naive query: the same page of results as omni_store_search(), found by
 * testing every active variant's text with LIKE. */
#define NAIVE_MATCH(n) \
  " AND (p.title LIKE ?" n " ESCAPE '\\' OR v.option1 LIKE ?" n " ESCAPE '\\'" \
  " OR v.option2 LIKE ?" n " ESCAPE '\\' OR v.option3 LIKE ?" n " ESCAPE '\\'" \
  " OR v.sku LIKE ?" n " ESCAPE '\\' OR v.barcode LIKE ?" n " ESCAPE '\\'" \
  " OR p.vendor LIKE ?" n " ESCAPE '\\' OR p.tags LIKE ?" n " ESCAPE '\\')"
#define NAIVE_SELECT \
  "SELECT v.id, p.title, v.option1, v.option2, v.option3, v.sku, v.barcode, p.vendor," \
  " p.tags, v.price, v.available" \
  " FROM variants v JOIN products p ON p.id = v.product_id" \
  " WHERE v.archived = 0 AND p.status <> 'archived'"
#define NAIVE_ORDER " ORDER BY p.title COLLATE NOCASE, p.id, v.position LIMIT ?3"

#define NAIVE_COUNT \
  "SELECT count (*) FROM variants v JOIN products p ON p.id = v.product_id" \
  " WHERE v.archived = 0 AND p.status <> 'archived'"

typedef struct
{
  sqlite3_stmt *one;
  sqlite3_stmt *two;
  sqlite3_stmt *count_one;
  sqlite3_stmt *count_two;
} Naive;

/* What the products page asks when a search is typed: how many rows, and
 * the first page. Returns the count, or -1. */
static gint64
run_naive_filter (Naive       *naive,
                  const Query *query,
                  guint        page)
{
  sqlite3_stmt *stmt = query->terms[1] ? naive->count_two : naive->count_one;
  gint64 count = -1;

  sqlite3_bind_text (stmt, 1, query->terms[0], -1, SQLITE_STATIC);
  if (query->terms[1])
    sqlite3_bind_text (stmt, 2, query->terms[1], -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/* Returns the rows found, or -1. */
static int
run_naive (Naive       *naive,
           const Query *query,
           guint        limit)
{
  sqlite3_stmt *stmt = query->terms[1] ? naive->two : naive->one;
  int rows = 0, rc;

  sqlite3_bind_text (stmt, 1, query->terms[0], -1, SQLITE_STATIC);
  if (query->terms[1])
    sqlite3_bind_text (stmt, 2, query->terms[1], -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int)limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* Copy the text out, as omni_store_search() does into its rows. */
      for (int c = 1; c <= 8; c++)
        g_free (g_strdup ((const char *)sqlite3_column_text (stmt, c)));
      rows++;
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? rows : -1;
}

/* The floor under any index: the page's own rows, each fetched by its id
 * on a third connection, with the columns omni_store_search() reads. A
 * search can be no faster than this, whatever finds the ids. */
#define ROW_BY_ID \
  "SELECT v.id, v.product_id, p.handle, p.title, v.option1, v.sku, v.barcode, p.vendor," \
  " p.product_type, p.tags, p.status, v.archived, v.price, v.compare_at_price, v.cost," \
  " v.weight_grams, v.reorder_point, v.reorder_qty, v.on_hand, v.available, v.position," \
  " v.updated_at, v.option2, v.option3" \
  " FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id = ?1"

/* Returns the rows fetched, or -1. */
static int
run_rows_by_id (sqlite3_stmt *stmt,
                GPtrArray    *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const OmniVariantRow *row = g_ptr_array_index (rows, i);

      sqlite3_bind_int64 (stmt, 1, row->id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          return -1;
        }
      for (int c = 2; c <= 10; c++)
        g_free (g_strdup ((const char *)sqlite3_column_text (stmt, c)));
      sqlite3_reset (stmt);
    }
  return (int)rows->len;
}

typedef struct
{
  GArray *app;     /* ms */
  GArray *naive;   /* ms */
} Times;

static void
print_row (const char *label,
           guint       n,
           Times      *times)
{
  double a50 = bench_median (times->app), a99 = bench_percentile (times->app, 0.99);
  double n50 = bench_median (times->naive), n99 = bench_percentile (times->naive, 0.99);

  g_print ("%-20s %4u  %9.3f %9.3f  %10.2f %10.2f  %8.0fx %8.0fx\n",
           label, n, a50, a99, n50, n99,
           a50 > 0 ? n50 / a50 : 0, a99 > 0 ? n99 / a99 : 0);
}

/* --deep-page N: one page of the products list N rows down, in every
 * order the list offers, through omni_store_list_variants() (OFFSET: SQLite
 * steps over the N rows before the page) and through
 * omni_store_list_variants_after() from the key of the row before it (what
 * the list model does next to a loaded page). Both must return the same
 * rows. Prints the medians of three runs of each and their ratio. */
static int
run_deep_page (OmniStore *store,
               gint64     offset)
{
  static const char * const sort_names[] = { "title", "sku", "price", "available", "updated" };
  g_autoptr(GArray) offset_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) key_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  g_print ("A page of %d rows %" G_GINT64_FORMAT " rows down the products list\n",
           FILTER_PAGE, offset);
  g_print ("%-16s %12s %12s %9s\n", "order", "OFFSET ms", "by key ms", "speed-up");
  for (OmniSortKey sort = OMNI_SORT_TITLE; sort <= OMNI_SORT_UPDATED; sort++)
    for (guint descending = 0; descending < 2; descending++)
      {
        const OmniVariantQuery query = { .sort = sort, .descending = descending };
        g_autoptr(GArray) by_offset = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) by_key = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GPtrArray) before = NULL;
        g_autoptr(OmniVariantKey) key = NULL;
        g_autofree char *label = g_strdup_printf ("%s %s", sort_names[sort],
                                                  descending ? "desc" : "asc");

        /* Untimed: the row before the page gives the key. */
        before = omni_store_list_variants (store, &query, (guint)offset - 1, 1, &error);
        if (before == NULL || before->len != 1)
          {
            g_printerr ("bench-search: no row %" G_GINT64_FORMAT " in %s order%s%s\n",
                        offset - 1, label, error ? ": " : "", error ? error->message : "");
            return 1;
          }
        key = omni_variant_key_new (before->pdata[0], sort);

        for (guint r = 0; r < 3; r++)
          {
            g_autoptr(GPtrArray) a = NULL;
            g_autoptr(GPtrArray) b = NULL;
            double t0, t1, t2, ms;

            t0 = bench_now_ms ();
            a = omni_store_list_variants (store, &query, (guint)offset, FILTER_PAGE, &error);
            t1 = bench_now_ms ();
            if (a != NULL)
              b = omni_store_list_variants_after (store, &query, key, FILTER_PAGE, &error);
            t2 = bench_now_ms ();
            if (a == NULL || b == NULL)
              {
                g_printerr ("bench-search: %s: %s\n", label, error->message);
                return 1;
              }
            if (a->len != b->len)
              {
                g_printerr ("bench-search: %s: %u rows by OFFSET, %u by key\n",
                            label, a->len, b->len);
                return 1;
              }
            for (guint i = 0; i < a->len; i++)
              if (((OmniVariantRow *)a->pdata[i])->id != ((OmniVariantRow *)b->pdata[i])->id)
                {
                  g_printerr ("bench-search: %s: row %u differs between OFFSET and key\n",
                              label, i);
                  return 1;
                }
            ms = t1 - t0;
            g_array_append_val (by_offset, ms);
            g_array_append_val (offset_all, ms);
            ms = t2 - t1;
            g_array_append_val (by_key, ms);
            g_array_append_val (key_all, ms);
          }
        g_print ("%-16s %12.2f %12.2f %8.0fx\n", label, bench_median (by_offset),
                 bench_median (by_key), bench_median (by_offset) / bench_median (by_key));
      }
  g_print ("SUMMARY deep page at row %" G_GINT64_FORMAT ": OFFSET median %.2f ms (max %.2f),"
           " by key median %.2f ms (max %.2f), %.0fx faster\n",
           offset, bench_median (offset_all), bench_max (offset_all), bench_median (key_all),
           bench_max (key_all), bench_median (offset_all) / bench_median (key_all));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  gint64 variants = 0, deep_page = 0;
  int n_queries = 200, limit = 50, seed = 7;
  gboolean filter = TRUE;
  double filter_ratio = 0;
  g_autofree char *db_path = NULL;
  GOptionEntry entries[] = {
    { "variants", 0, 0, G_OPTION_ARG_INT64, &variants,
      "Catalog size (OMNISTOCK_BENCH_LARGE, else 10000)", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Use this database instead", "PATH" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Queries to time (200)", "N" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Results per query (50)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed for drawing the queries (7)", "N" },
    { "no-filter", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &filter,
      "Skip the products page's count + first page", NULL },
    { "deep-page", 0, 0, G_OPTION_ARG_INT64, &deep_page,
      "Only time a page this many rows down, by OFFSET and by key", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— search latency vs a LIKE scan");
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  Times per_kind[N_KINDS];
  Times all;
  Naive naive = { 0 };
  sqlite3 *raw = NULL;
  sqlite3 *floor_db = NULL;
  sqlite3_stmt *row_by_id = NULL;
  g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint missed = 0;
  gint64 n_variants;
  double a50, a99, n50, n99;
  gboolean met;
  g_autofree char *size = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-search: %s\n", error->message);
      return 2;
    }
  if (n_queries < N_KINDS || limit < 1 || limit > OMNI_SEARCH_MAX_RESULTS || seed < 0)
    {
      g_printerr ("bench-search: --queries must be at least %d and --limit from 1 to %d\n",
                  N_KINDS, OMNI_SEARCH_MAX_RESULTS);
      return 2;
    }
  if (variants <= 0)
    variants = bench_size_from_env ("OMNISTOCK_BENCH_LARGE", BENCH_DEFAULT_LARGE);
  if (db_path == NULL && !(db_path = bench_catalog (variants, &error)))
    {
      g_printerr ("bench-search: %s\n", error->message);
      return 2;
    }

  if (deep_page > 0)
    {
      if (deep_page > G_MAXINT || !(store = omni_store_open (db_path, &error)))
        {
          g_printerr ("bench-search: %s\n", error ? error->message : "--deep-page is too large");
          return 2;
        }
      return run_deep_page (store, deep_page);
    }

  if (!(store = omni_store_open (db_path, &error)) ||
      !(raw = open_raw (db_path, &error)) ||
      !(queries = make_queries (raw, (guint)n_queries, (guint32)seed, &error)))
    {
      g_printerr ("bench-search: %s\n", error->message);
      sqlite3_close (raw);
      return 2;
    }
  n_variants = omni_store_count_variants (store, &(OmniVariantQuery) { 0 }, NULL);
  size = bench_format_count (n_variants);

  if (sqlite3_prepare_v2 (raw, NAIVE_SELECT NAIVE_MATCH ("1") NAIVE_ORDER, -1,
                          &naive.one, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (raw, NAIVE_SELECT NAIVE_MATCH ("1") NAIVE_MATCH ("2") NAIVE_ORDER, -1,
                          &naive.two, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (raw, NAIVE_COUNT NAIVE_MATCH ("1"), -1,
                          &naive.count_one, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (raw, NAIVE_COUNT NAIVE_MATCH ("1") NAIVE_MATCH ("2"), -1,
                          &naive.count_two, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-search: %s\n", sqlite3_errmsg (raw));
      sqlite3_close (raw);
      return 2;
    }
  if (!(floor_db = open_raw (db_path, &error)) ||
      sqlite3_prepare_v2 (floor_db, ROW_BY_ID, -1, &row_by_id, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-search: %s\n", error ? error->message : sqlite3_errmsg (floor_db));
      sqlite3_close (floor_db);
      sqlite3_close (raw);
      return 2;
    }

  for (guint k = 0; k < N_KINDS; k++)
    {
      per_kind[k].app = g_array_new (FALSE, FALSE, sizeof (double));
      per_kind[k].naive = g_array_new (FALSE, FALSE, sizeof (double));
    }
  all.app = g_array_new (FALSE, FALSE, sizeof (double));
  all.naive = g_array_new (FALSE, FALSE, sizeof (double));

  /* One untimed pass of each, so neither pays for the first reads of the
   * file or the first preparation of its statements. */
  for (guint i = 0; i < MIN (queries->len, (guint)N_KINDS); i++)
    {
      Query *query = g_ptr_array_index (queries, i);
      g_autoptr(GPtrArray) rows = omni_store_search (store, query->text, (guint)limit, NULL);

      g_assert_nonnull (rows);
      run_naive (&naive, query, (guint)limit);
    }

  for (guint i = 0; i < queries->len; i++)
    {
      Query *query = g_ptr_array_index (queries, i);
      g_autoptr(GPtrArray) rows = NULL;
      double t0, t1, t2, t3;
      int naive_rows;

      t0 = bench_now_ms ();
      rows = omni_store_search (store, query->text, (guint)limit, &error);
      t1 = bench_now_ms ();
      naive_rows = run_naive (&naive, query, (guint)limit);
      t2 = bench_now_ms ();
      /* after the scan, as the search itself runs after the last one */
      if (rows != NULL && run_rows_by_id (row_by_id, rows) >= 0)
        {
          double floor_one;

          t3 = bench_now_ms ();
          floor_one = t3 - t2;
          g_array_append_val (floor_ms, floor_one);
        }

      if (rows == NULL || naive_rows < 0)
        {
          g_printerr ("bench-search: “%s”: %s\n", query->text,
                      error ? error->message : sqlite3_errmsg (raw));
          return 1;
        }
      if (rows->len == 0)
        {
          g_printerr ("bench-search: the index found nothing for “%s” (%s)\n",
                      query->text, kind_names[query->kind]);
          missed++;
        }
      if (g_getenv ("BENCH_SEARCH_VERBOSE"))
        g_printerr ("%-22s %-14s %4u rows %8.3f ms   LIKE %4d rows %9.2f ms\n",
                    query->text, kind_names[query->kind], rows->len, t1 - t0, naive_rows, t2 - t1);

      {
        double app_ms = t1 - t0, naive_ms = t2 - t1;

        g_array_append_val (per_kind[query->kind].app, app_ms);
        g_array_append_val (per_kind[query->kind].naive, naive_ms);
        g_array_append_val (all.app, app_ms);
        g_array_append_val (all.naive, naive_ms);
      }
    }

  g_print ("Substring search over %s active variants (%s), %u queries, %d results each\n",
           size, db_path, queries->len, limit);
  g_print ("%-20s %4s  %9s %9s  %10s %10s  %9s %9s\n", "query", "n",
           "index p50", "p99 ms", "LIKE p50", "p99 ms", "p50 gain", "p99 gain");
  for (guint k = 0; k < N_KINDS; k++)
    print_row (kind_names[k], per_kind[k].app->len, &per_kind[k]);
  print_row ("all", all.app->len, &all);
  if (floor_ms->len > 0)
    g_print ("%-20s %4u  %9.3f %9.3f  the page's rows by id alone: no index can beat"
             " %.0fx at p50\n", "rows by id (floor)", floor_ms->len, bench_median (floor_ms),
             bench_percentile (floor_ms, 0.99), bench_median (all.naive) / bench_median (floor_ms));

  /* The products page: count and first page, as its list model asks. */
  if (filter)
    {
      Times page_times = { g_array_new (FALSE, FALSE, sizeof (double)),
                           g_array_new (FALSE, FALSE, sizeof (double)) };

      for (guint i = 0; i < queries->len; i++)
        {
          Query *query = g_ptr_array_index (queries, i);
          OmniVariantQuery list_query = { .search = query->text, .sort = OMNI_SORT_TITLE };
          g_autoptr(GPtrArray) rows = NULL;
          double t0, t1, t2, app_ms, naive_ms;
          gint64 count;

          t0 = bench_now_ms ();
          count = omni_store_count_variants (store, &list_query, &error);
          if (count >= 0)
            rows = omni_store_list_variants (store, &list_query, 0, FILTER_PAGE, &error);
          t1 = bench_now_ms ();
          if (rows == NULL ||
              run_naive_filter (&naive, query, FILTER_PAGE) < 0 ||
              run_naive (&naive, query, FILTER_PAGE) < 0)
            {
              g_printerr ("bench-search: “%s”: %s\n", query->text,
                          error ? error->message : sqlite3_errmsg (raw));
              return 1;
            }
          t2 = bench_now_ms ();
          app_ms = t1 - t0, naive_ms = t2 - t1;
          g_array_append_val (page_times.app, app_ms);
          g_array_append_val (page_times.naive, naive_ms);
        }
      g_print ("%-20s %4u  %9.3f %9.3f  %10.2f %10.2f  %8.0fx %8.0fx\n", "count + first page",
               queries->len, bench_median (page_times.app),
               bench_percentile (page_times.app, 0.99), bench_median (page_times.naive),
               bench_percentile (page_times.naive, 0.99),
               bench_median (page_times.naive) / bench_median (page_times.app),
               bench_percentile (page_times.naive, 0.99) / bench_percentile (page_times.app, 0.99));
      filter_ratio = bench_median (page_times.naive) / bench_median (page_times.app);
      g_array_unref (page_times.app);
      g_array_unref (page_times.naive);
    }

  a50 = bench_median (all.app), a99 = bench_percentile (all.app, 0.99);
  n50 = bench_median (all.naive), n99 = bench_percentile (all.naive, 0.99);
  met = n50 / a50 >= GOAL_SPEEDUP && a99 < GOAL_P99_MS;
  g_print ("SUMMARY search %s: index p50 %.3f ms p99 %.3f ms; LIKE scan p50 %.2f ms p99 %.2f ms;"
           " %.0fx faster at p50, %.0fx at p99 (goal >= %.0fx, p99 < %.0f ms): %s",
           size, a50, a99, n50, n99, n50 / a50, n99 / a99, GOAL_SPEEDUP, GOAL_P99_MS,
           met ? "met" : "MISSED");
  if (filter)
    g_print ("; count + first page %.0fx at p50", filter_ratio);
  g_print ("\n");

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_array_unref (per_kind[k].app);
      g_array_unref (per_kind[k].naive);
    }
  g_array_unref (all.app);
  g_array_unref (all.naive);
  sqlite3_finalize (naive.one);
  sqlite3_finalize (naive.two);
  sqlite3_finalize (naive.count_one);
  sqlite3_finalize (naive.count_two);
  sqlite3_finalize (row_by_id);
  sqlite3_close (floor_db);
  sqlite3_close (raw);

  if (missed > 0)
    {
      g_printerr ("bench-search: %u queries drawn from the catalog found nothing\n", missed);
      return 1;
    }
  return 0;
}
