/* test-pg-collation.c: a PostgreSQL server set up with a real locale
 * (en_US.UTF-8, as on a NAS or a managed database) lists, pages and searches
 * the catalog in exactly the order and with exactly the rows SQLite gives
 * for the same data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <libpq-fe.h>

#include <glib/gstdio.h>

#include "omni-store.h"
#include "omni-store-catalog.h"
#include "omni-store-copy.h"
#include "omni-store-generate.h"
#include "pg-test-server.h"

#define LOCALE "en_US.UTF-8"

static PgTestServer *server;

typedef struct
{
  char      *dir;
  char      *lite_path;
  OmniStore *lite;
  char      *pg_uri;
  OmniStore *pg;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omni-collate-XXXXXX", &error);
  g_assert_no_error (error);
  f->lite_path = g_build_filename (f->dir, "shop.db", NULL);
  f->lite = omni_store_open (f->lite_path, &error);
  g_assert_no_error (error);

  f->pg_uri = pg_test_server_create_database (server, &error);
  g_assert_no_error (error);
  f->pg = omni_store_open (f->pg_uri, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->pg);
  g_clear_object (&f->lite);
  g_free (f->pg_uri);
  g_remove (f->lite_path);
  g_free (f->lite_path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Products of one variant each: mixed case, accents, digits and
 * punctuation, which a locale sorts apart from byte order. */
static const struct
{
  const char *title;
  const char *sku;      /* NULL: no SKU */
  const char *vendor;
  const char *tags;
} catalog[] = {
  { "apple crate", "a-1", "Birch", "Red, kitchen" },
  { "Banana box", "B-2", "birch & co", "Ärger" },
  { "banana Bread", "b-10", "Äpfelhof", "ärger" },
  { "Äpfel", "Ä-3", "apfel", "" },
  { "Zebra mug", "Z-1", "Zinc", "kitchen" },
  { "éclair tin", "é-1", "Birch", "" },
  { "Eclair tin", "E-1", "birch", "Kitchen" },
  { "a b c", "a b", "", "" },
  { "ab", "ab", "", "" },
  { "a-b", "a_b", "", "" },
  { "_under", "_u", "", "" },
  { "Ärger", "ä-1", "", "" },
  { "zucchini", "z-2", "", "" },
  { "10 forks", "10", "", "" },
  { "9 knives", "9", "", "" },
  { "apple crate", "A-1", "", "" },
  { "no sku thing", NULL, "", "" },
  { "Another no sku", NULL, "", "" },
  { "b-2 lower", "b-2", "", "" },
  { "B-10 upper", "B-10", "", "" },
};

/* The SKUs in byte order (SQLite's BINARY): NULL first, upper case before
 * lower case, accented letters (two bytes from 0xC3) after 'z'. */
static const char * const sku_byte_order[] = {
  NULL, NULL, "10", "9", "A-1", "B-10", "B-2", "E-1", "Z-1", "_u",
  "a b", "a-1", "a_b", "ab", "b-10", "b-2", "z-2", "Ä-3", "ä-1", "é-1",
};

static void
fill (OmniStore *store)
{
  for (guint i = 0; i < G_N_ELEMENTS (catalog); i++)
    {
      g_autoptr(GError) error = NULL;
      const OmniProductSpec product = { .title = catalog[i].title, .vendor = catalog[i].vendor,
                                        .tags = catalog[i].tags };
      OmniVariantSpec variant = { .sku = catalog[i].sku, .price = 100 * (i + 1),
                                  .compare_at_price = -1, .cost = -1,
                                  .reorder_point = -1, .reorder_qty = -1 };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error),
                       >, 0);
      g_assert_no_error (error);
    }
}

static GPtrArray *
list_all (OmniStore              *store,
          const OmniVariantQuery *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = omni_store_list_variants (store, query, 0, 1000, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static char *
describe (GPtrArray *rows)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const OmniVariantRow *row = rows->pdata[i];

      g_string_append_printf (s, "%s%s|%s", i > 0 ? "; " : "",
                              row->sku != NULL ? row->sku : "(none)", row->title);
    }
  return g_string_free (s, FALSE);
}

static void
assert_same_rows (GPtrArray *expected,
                  GPtrArray *got)
{
  g_autofree char *a = describe (expected);
  g_autofree char *b = describe (got);

  g_assert_cmpstr (b, ==, a);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpint (((OmniVariantRow *)got->pdata[i])->id, ==,
                     ((OmniVariantRow *)expected->pdata[i])->id);
}

/* The server really sorts by its locale: without COLLATE "C" on the
 * columns, the lists below would come out in this order. */
static void
test_server_locale (Fixture       *f,
                    gconstpointer  data)
{
  PGconn *conn = PQconnectdb (f->pg_uri);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, "SELECT datcollate, 'b-10' < 'B-2', 'Ä-3' < 'B-2',"
                         " 'b-10' COLLATE \"C\" < 'B-2',"
                         " (SELECT collation_name FROM information_schema.columns"
                         "  WHERE table_name = 'variants' AND column_name = 'sku')"
                         " FROM pg_database WHERE datname = current_database ()");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, LOCALE);
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, "t");
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, "t");
  g_assert_cmpstr (PQgetvalue (result, 0, 3), ==, "f");
  g_assert_cmpstr (PQgetvalue (result, 0, 4), ==, "C");
  PQclear (result);
  PQfinish (conn);
}

static void
test_list_orders (Fixture       *f,
                  gconstpointer  data)
{
  const OmniSortKey sorts[] = { OMNI_SORT_SKU, OMNI_SORT_TITLE };

  fill (f->lite);
  fill (f->pg);

  /* SKU order going up is byte order, on both */
  {
    OmniVariantQuery query = { .sort = OMNI_SORT_SKU };
    g_autoptr(GPtrArray) lite = list_all (f->lite, &query);
    g_autoptr(GPtrArray) pg = list_all (f->pg, &query);

    g_assert_cmpuint (lite->len, ==, G_N_ELEMENTS (sku_byte_order));
    for (guint i = 0; i < lite->len; i++)
      g_assert_cmpstr (((OmniVariantRow *)lite->pdata[i])->sku, ==, sku_byte_order[i]);
    assert_same_rows (lite, pg);
  }

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int descending = 0; descending <= 1; descending++)
      {
        OmniVariantQuery query = { .sort = sorts[s], .descending = descending };
        g_autoptr(GPtrArray) lite = list_all (f->lite, &query);
        g_autoptr(GPtrArray) pg = list_all (f->pg, &query);

        g_assert_cmpuint (lite->len, ==, G_N_ELEMENTS (catalog));
        assert_same_rows (lite, pg);
      }

  /* title order: SQLite's NOCASE (ASCII letters lowered, then bytes) */
  {
    OmniVariantQuery query = { .sort = OMNI_SORT_TITLE };
    g_autoptr(GPtrArray) pg = list_all (f->pg, &query);

    g_assert_cmpstr (((OmniVariantRow *)pg->pdata[0])->title, ==, "10 forks");
    g_assert_cmpstr (((OmniVariantRow *)pg->pdata[pg->len - 1])->title, ==, "éclair tin");
  }

  /* a tag filter folds ASCII letters only, as SQLite's lower () */
  {
    OmniVariantQuery query = { .sort = OMNI_SORT_SKU, .tag = "ärger" };
    g_autoptr(GPtrArray) lite = list_all (f->lite, &query);
    g_autoptr(GPtrArray) pg = list_all (f->pg, &query);

    g_assert_cmpuint (lite->len, ==, 1);
    g_assert_cmpstr (((OmniVariantRow *)lite->pdata[0])->sku, ==, "b-10");
    assert_same_rows (lite, pg);
  }
  {
    OmniVariantQuery query = { .sort = OMNI_SORT_SKU, .tag = "KITCHEN" };
    g_autoptr(GPtrArray) lite = list_all (f->lite, &query);
    g_autoptr(GPtrArray) pg = list_all (f->pg, &query);

    g_assert_cmpuint (lite->len, ==, 3);
    assert_same_rows (lite, pg);
  }
}

/* Key pages of two rows through the whole list, down and back up, give
 * the list itself: the comparisons past a key follow the same order. */
static void
test_keyset_pages (Fixture       *f,
                   gconstpointer  data)
{
  const OmniSortKey sorts[] = { OMNI_SORT_SKU, OMNI_SORT_TITLE };

  fill (f->lite);
  fill (f->pg);

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int descending = 0; descending <= 1; descending++)
      {
        OmniVariantQuery query = { .sort = sorts[s], .descending = descending };
        g_autoptr(GPtrArray) lite = list_all (f->lite, &query);
        g_autoptr(GPtrArray) down = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_variant_row_free);
        g_autoptr(GPtrArray) up = g_ptr_array_new ();
        g_autoptr(OmniVariantKey) key = NULL;

        for (;;)
          {
            g_autoptr(GError) error = NULL;
            g_autoptr(GPtrArray) page = omni_store_list_variants_after (f->pg, &query, key, 2,
                                                                        &error);

            g_assert_no_error (error);
            g_assert_cmpuint (page->len, <=, 2);
            if (page->len == 0)
              break;
            g_clear_pointer (&key, omni_variant_key_free);
            key = omni_variant_key_new (page->pdata[page->len - 1], query.sort);
            for (guint i = 0; i < page->len; i++)
              g_ptr_array_add (down, g_steal_pointer (&page->pdata[i]));
            g_assert_cmpuint (down->len, <=, G_N_ELEMENTS (catalog));
          }
        assert_same_rows (lite, down);

        /* and back up from the end, two at a time */
        g_clear_pointer (&key, omni_variant_key_free);
        for (;;)
          {
            g_autoptr(GError) error = NULL;
            g_autoptr(GPtrArray) page = omni_store_list_variants_before (f->pg, &query, key, 2,
                                                                         &error);

            g_assert_no_error (error);
            if (page->len == 0)
              break;
            g_clear_pointer (&key, omni_variant_key_free);
            key = omni_variant_key_new (page->pdata[0], query.sort);
            for (guint i = page->len; i > 0; i--)
              g_ptr_array_add (up, GINT_TO_POINTER ((int)((OmniVariantRow *)page->pdata[i - 1])->id));
            g_assert_cmpuint (up->len, <=, G_N_ELEMENTS (catalog));
          }
        g_assert_cmpuint (up->len, ==, lite->len);
        for (guint i = 0; i < lite->len; i++)
          g_assert_cmpint (GPOINTER_TO_INT (up->pdata[lite->len - 1 - i]), ==,
                           ((OmniVariantRow *)lite->pdata[i])->id);
      }
}

/* min () and max () and UNIQUE on the columns: bytes, as in SQLite.
 * "a-1" and "A-1" are two SKUs on both; "a-1" twice is refused on both. */
static void
test_compare_and_unique (Fixture       *f,
                         gconstpointer  data)
{
  PGconn *conn;
  PGresult *result;

  fill (f->lite);
  fill (f->pg);

  conn = PQconnectdb (f->pg_uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, "SELECT min (sku), max (sku), min (title), max (title),"
                         " count (*) FILTER (WHERE sku > 'Z-1'),"
                         " min (vendor), max (vendor)"
                         " FROM variants v JOIN products p ON p.id = v.product_id");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "10");
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, "é-1");
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, "10 forks");
  g_assert_cmpstr (PQgetvalue (result, 0, 3), ==, "éclair tin");
  /* "_u" "a b" "a-1" "a_b" "ab" "b-10" "b-2" "z-2" "Ä-3" "ä-1" "é-1" */
  g_assert_cmpstr (PQgetvalue (result, 0, 4), ==, "11");
  g_assert_cmpstr (PQgetvalue (result, 0, 5), ==, "");
  g_assert_cmpstr (PQgetvalue (result, 0, 6), ==, "Äpfelhof");
  PQclear (result);
  PQfinish (conn);

  for (int backend = 0; backend < 2; backend++)
    {
      OmniStore *store = backend == 0 ? f->lite : f->pg;
      g_autoptr(GError) error = NULL;
      const OmniProductSpec product = { .title = "Second apple crate" };
      OmniVariantSpec variant = { .sku = "a-1", .compare_at_price = -1, .cost = -1,
                                  .reorder_point = -1, .reorder_qty = -1 };
      OmniVariantQuery query = { .sort = OMNI_SORT_SKU };
      g_autoptr(GPtrArray) rows = NULL;
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (store, &product, &variant, 1, &id, &error),
                       <=, 0);
      g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
      rows = list_all (store, &query);
      g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (catalog));
    }
}

/* Search in title order on a generated catalog: whatever way each query
 * takes (the trigram index, or a walk in title order with its budget),
 * PostgreSQL returns the rows SQLite returns, in the same order. */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  OmniGenerateSpec spec = { .variants = 3000, .locations = 1, .movements = 0, .orders = 0,
                            .seed = 11 };
  OmniStoreCopyResult result = { 0 };
  OmniVariantQuery all = { .sort = OMNI_SORT_TITLE };
  g_autoptr(GPtrArray) sample = NULL;
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  guint n_full_pages = 0;

  g_assert_true (omni_store_generate (f->lite, &spec, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_copy_into (f->lite, f->pg, &result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Two words common enough for a walk in title order: “fernlike” spread
   * over the whole list (the walk fills its page at once), “zygote” bunched
   * at its end (the walk spends its budget and the index takes over). */
  sample = omni_store_list_variants (f->lite, &all, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 900; i++)
    for (int backend = 0; backend < 2; backend++)
      {
        const OmniVariantRow *row = sample->pdata[i];
        g_autofree char *spread = g_strdup_printf ("%s fernlike", row->title);
        g_autofree char *bunched = g_strdup_printf ("Zygote %u", i);
        const OmniProductSpec products[] = { { .title = spread }, { .title = bunched } };
        OmniVariantSpec variant = { .compare_at_price = -1, .cost = -1,
                                    .reorder_point = -1, .reorder_qty = -1 };

        for (guint k = 0; k < G_N_ELEMENTS (products); k++)
          {
            gint64 id = 0;

            g_assert_cmpint (omni_store_create_product (backend == 0 ? f->lite : f->pg,
                                                        &products[k], &variant, 1, &id,
                                                        &error), >, 0);
            g_assert_no_error (error);
          }
      }
  g_ptr_array_add (queries, g_strdup ("fernlike"));
  g_ptr_array_add (queries, g_strdup ("zygote"));
  g_ptr_array_add (queries, g_strdup ("ZYG"));
  g_ptr_array_add (queries, g_strdup ("fernlike zy"));

  /* Queries from the catalog itself: whole words of titles (common and
   * rare), their first two letters, pieces of SKUs, two words at once, and
   * text found nowhere. */
  for (guint i = 0; i < sample->len; i += 97)
    {
      const OmniVariantRow *row = sample->pdata[i];
      g_auto(GStrv) words = g_strsplit (row->title, " ", -1);

      for (guint w = 0; words[w] != NULL; w++)
        {
          if (g_utf8_strlen (words[w], -1) < 2)
            continue;
          g_ptr_array_add (queries, g_strdup (words[w]));
          g_ptr_array_add (queries, g_utf8_substring (words[w], 0, 2));
          if (words[w + 1] != NULL)
            g_ptr_array_add (queries, g_strdup_printf ("%s %s", words[w], words[w + 1]));
        }
      if (row->sku != NULL && strlen (row->sku) > 4)
        g_ptr_array_add (queries, g_strndup (row->sku + 1, 4));
    }
  g_ptr_array_add (queries, g_strdup ("zzqx"));
  g_ptr_array_add (queries, g_strdup ("%_\\"));
  g_assert_cmpuint (queries->len, >, 40);

  for (guint q = 0; q < queries->len; q++)
    for (guint offset = 0; offset <= 100; offset += 100)
      for (int descending = 0; descending <= 1; descending++)
        {
          OmniVariantQuery query = { .search = queries->pdata[q], .sort = OMNI_SORT_TITLE,
                                     .descending = descending };
          g_autoptr(GPtrArray) lite = omni_store_list_variants (f->lite, &query, offset, 50, &error);
          g_autoptr(GPtrArray) pg = NULL;

          g_assert_no_error (error);
          pg = omni_store_list_variants (f->pg, &query, offset, 50, &error);
          g_assert_no_error (error);
          g_test_message ("“%s” offset %u%s: %u rows", (char *)queries->pdata[q], offset,
                          descending ? " descending" : "", lite->len);
          assert_same_rows (lite, pg);
          if (lite->len == 50)
            n_full_pages++;
        }

  /* the search entry's own call, exact SKU first */
  for (guint q = 0; q < queries->len; q++)
    {
      g_autoptr(GPtrArray) lite = omni_store_search (f->lite, queries->pdata[q], 20, &error);
      g_autoptr(GPtrArray) pg = NULL;

      g_assert_no_error (error);
      pg = omni_store_search (f->pg, queries->pdata[q], 20, &error);
      g_assert_no_error (error);
      assert_same_rows (lite, pg);
    }

  /* the common words filled whole pages */
  g_assert_cmpuint (n_full_pages, >, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  locale_t probe;
  int status;

  g_test_init (&argc, &argv, NULL);

  probe = newlocale (LC_ALL_MASK, LOCALE, (locale_t)0);
  if (probe == (locale_t)0)
    g_error ("The locale " LOCALE " is not installed; this test needs it for its "
             "PostgreSQL server (Debian: the locales-all package).");
  freelocale (probe);

  server = pg_test_server_start_with_locale (LOCALE, &error);
  if (server == NULL)
    g_error ("Could not start a PostgreSQL test server in " LOCALE ": %s", error->message);

  g_test_add ("/pg-collation/server-locale", Fixture, NULL,
              fixture_set_up, test_server_locale, fixture_tear_down);
  g_test_add ("/pg-collation/list-orders", Fixture, NULL,
              fixture_set_up, test_list_orders, fixture_tear_down);
  g_test_add ("/pg-collation/keyset-pages", Fixture, NULL,
              fixture_set_up, test_keyset_pages, fixture_tear_down);
  g_test_add ("/pg-collation/compare-and-unique", Fixture, NULL,
              fixture_set_up, test_compare_and_unique, fixture_tear_down);
  g_test_add ("/pg-collation/search", Fixture, NULL,
              fixture_set_up, test_search, fixture_tear_down);

  status = g_test_run ();
  pg_test_server_stop (server);
  return status;
}
