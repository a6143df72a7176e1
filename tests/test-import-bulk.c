/* test-import-bulk.c: a large import written the bulk way (triggers off,
 * their work redone set by set) ends in exactly the state the row-by-row
 * way leaves: the same variants, levels, alerts, dashboard figures, ledger
 * and outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "omni-import.h"
#include "omni-store.h"
#include "omni-store-channel.h"

#define PRODUCTS 250          /* × 12 variants */
#define ROW_PATH G_MAXUINT64  /* bulk_threshold that never takes the bulk way */

typedef struct
{
  char      *dir;
  OmniStore *bulk;     /* imports forced the bulk way */
  OmniStore *rows;     /* imports forced row by row */
} Fixture;

static const char * const colors[] = { "Red", "Blue", "Green" };
static const char * const sizes[] = { "S", "M", "L", "XL" };

/* A Shopify product CSV: @products products of 12 variants. @round moves
 * the quantities (some up, some down, some unchanged, some to zero), the
 * prices, and archives every 50th product on round 1. */
static char *
write_products (Fixture *f,
                guint    products,
                guint    round)
{
  g_autofree char *name = g_strdup_printf ("products-%u.csv", round);
  char *path = g_build_filename (f->dir, name, NULL);
  FILE *out = fopen (path, "w");
  guint n = 0;

  g_assert_nonnull (out);
  fputs ("Handle,Title,Vendor,Type,Tags,Option1 Name,Option1 Value,Option2 Name,Option2 Value,"
         "Variant SKU,Variant Inventory Qty,Variant Price,Cost per item,Status\n", out);
  for (guint p = 0; p < products; p++)
    for (guint c = 0; c < G_N_ELEMENTS (colors); c++)
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++, n++)
        {
          guint quantity = round == 0 ? n % 17 : (n % 5 == 0 ? n % 17 : (n * 7 + round) % 23);
          const char *status = round == 1 && p % 50 == 7 ? "archived" : "active";

          if (c == 0 && s == 0)
            fprintf (out, "item-%u,Item %u,Vendor %u,Type %u,\"t%u, t%u\",Color,%s,Size,%s,"
                     "SKU-%u,%u,%u.%02u,%u.50,%s\n",
                     p, p, p % 7, p % 5, p % 3, p % 4, colors[c], sizes[s], n, quantity,
                     10 + n % 30, round * 5, 4 + n % 9, status);
          else
            fprintf (out, "item-%u,,,,,,%s,,%s,SKU-%u,%u,%u.%02u,%u.50,\n",
                     p, colors[c], sizes[s], n, quantity, 10 + n % 30, round * 5, 4 + n % 9);
        }
  fclose (out);
  return path;
}

/* A generic inventory CSV setting the stock of every @step-th variant at
 * @location. */
static char *
write_inventory (Fixture    *f,
                 guint       variants,
                 guint       step,
                 const char *location)
{
  g_autofree char *name = g_strdup_printf ("stock-%u.csv", step);
  char *path = g_build_filename (f->dir, name, NULL);
  FILE *out = fopen (path, "w");

  g_assert_nonnull (out);
  fputs ("sku,quantity,location\n", out);
  for (guint n = 0; n < variants; n += step)
    if ((n / 12) % 50 != 7)   /* archived by the second product import */
      fprintf (out, "SKU-%u,%u,%s\n", n, (n * step) % 11, location);
  fclose (out);
  return path;
}

static OmniImportResult *
import (OmniStore        *store,
        const char       *path,
        OmniImportFormat  format,
        guint64           bulk_threshold)
{
  const char * const mapping[] = { "sku=sku", "quantity=quantity", "location=location", NULL };
  OmniImportOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  OmniImportResult *result;

  options.format = format;
  options.bulk_threshold = bulk_threshold;
  if (format == OMNI_IMPORT_FORMAT_GENERIC)
    options.mapping = mapping;
  result = omni_import_file (store, path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  for (guint i = 0; i < result->problems->len; i++)
    {
      const OmniImportProblem *problem = g_ptr_array_index (result->problems, i);

      if (!problem->warning)
        g_test_message ("%s: %s", path, problem->text);
    }
  g_assert_cmpuint (result->n_errors, ==, 0);
  g_assert_true (result->applied);
  return result;
}

/* Every derived table as text, in a fixed order. Movement ids and outbox
 * op_ids differ between the two ways (the bulk way writes the linked
 * variants' movements last; op_ids are random), so rows are named by what
 * identifies them; times differ between two imports, so a level's time is
 * checked against its last movement's and an alert's against a movement of
 * its variant. */
static const char * const dump_sql[] = {
  "SELECT 'variant', sku, product_id, on_hand, available, archived, price, cost,"
  " reorder_point, reorder_at, last_sold_at FROM variants ORDER BY id",
  "SELECT 'level', v.sku, l.location_id, l.on_hand, l.committed,"
  " l.updated_at = m.created_at, m.op_id"
  " FROM stock_levels l JOIN variants v ON v.id = l.variant_id"
  " JOIN movements m ON m.id = l.last_movement_id ORDER BY v.sku, l.location_id",
  "SELECT 'aggregate', * FROM stock_aggregates"
  " WHERE products <> 0 OR variants <> 0 OR units <> 0 OR cost_value <> 0"
  "  OR retail_value <> 0 OR out_of_stock <> 0 OR low_stock <> 0 OR due <> 0"
  " ORDER BY grouping, label",
  "SELECT 'alert', v.sku, a.available, a.reorder_point,"
  " a.raised_at IN (SELECT created_at FROM movements m WHERE m.variant_id = a.variant_id)"
  " FROM stock_alerts a JOIN variants v ON v.id = a.variant_id ORDER BY v.sku",
  "SELECT 'movement', op_id, variant_id, location_id, on_hand_delta, committed_delta,"
  " reason, source, operation FROM movements ORDER BY op_id",
  "SELECT 'outbox', channel_id, variant_id, location_id, kind, state, payload"
  " FROM outbox ORDER BY channel_id, variant_id, location_id",
  "SELECT 'product', handle, title, vendor, product_type, status FROM products ORDER BY id",
  "SELECT 'location', id, name FROM locations ORDER BY id",
  "SELECT 'search', rowid, title, sku FROM search_index ORDER BY rowid",
};

static char *
dump (OmniStore *store)
{
  GString *text = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (omni_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (dump_sql); i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, dump_sql[i], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *value = (const char *)sqlite3_column_text (stmt, c);

              g_string_append_printf (text, "%s%s", c ? "|" : "", value ? value : "NULL");
            }
          g_string_append_c (text, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (text, FALSE);
}

static gint64
count (OmniStore  *store,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (omni_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
assert_ledger_agrees (OmniStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = omni_store_check_ledger (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

/* Compares line by line, so a failure names the first row that differs.
 * The dumps run to megabytes: they are split only when they differ, since
 * splitting calls strstr() once per line, and AddressSanitizer's strstr()
 * measures the whole rest of the string each time. */
static void
assert_same (Fixture *f)
{
  g_autofree char *bulk = dump (f->bulk);
  g_autofree char *rows = dump (f->rows);

  assert_ledger_agrees (f->bulk);
  assert_ledger_agrees (f->rows);
  if (strcmp (bulk, rows) != 0)
    {
      g_auto(GStrv) bulk_lines = g_strsplit (bulk, "\n", -1);
      g_auto(GStrv) rows_lines = g_strsplit (rows, "\n", -1);

      for (guint i = 0; bulk_lines[i] != NULL || rows_lines[i] != NULL; i++)
        {
          g_assert_nonnull (bulk_lines[i]);
          g_assert_nonnull (rows_lines[i]);
          g_assert_cmpstr (bulk_lines[i], ==, rows_lines[i]);
        }
      g_assert_not_reached ();
    }
}

/* Both stores start alike: a small catalog imported row by row, a shop
 * default reorder point (so imports raise and clear alerts), and a Shopify
 * channel linked to the first product's variants at the shop location. */
static void
prepare (OmniStore  *store,
         const char *seed)
{
  g_autoptr(OmniImportResult) result = import (store, seed, OMNI_IMPORT_FORMAT_SHOPIFY, ROW_PATH);
  g_autoptr(GError) error = NULL;
  gint64 channel, shop;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_false (result->bulk);
  g_assert_true (omni_store_set_setting (store, "default_reorder_point", "4", &error));
  g_assert_no_error (error);
  channel = omni_store_add_channel (store, "shopify", "Web", "web.myshopify.com", NULL, &error);
  g_assert_no_error (error);
  shop = omni_store_find_location (store, "Shop", &error);
  g_assert_no_error (error);
  g_assert_cmpint (shop, >, 0);

  /* Linked the way a pull links them; the link functions' own rules are
   * tested elsewhere. */
  g_assert_cmpint (sqlite3_open (omni_store_get_path (store), &db), ==, SQLITE_OK);
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO channel_locations (channel_id, remote_id, remote_name, location_id, active)"
      " VALUES (%" G_GINT64_FORMAT ", 'gid://shopify/Location/1', 'Shop', %" G_GINT64_FORMAT ", 1);"
      "INSERT INTO channel_links (channel_id, variant_id, remote_variant_id, remote_inventory_id,"
      " remote_sku, linked_by, updated_at)"
      " SELECT %" G_GINT64_FORMAT ", id, 'gid://shopify/ProductVariant/' || id,"
      " 'gid://shopify/InventoryItem/' || id, sku, 'sku', '2026-11-01T00:00:00Z'"
      " FROM variants WHERE id <= 12;",
      channel, shop, channel);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, &message), ==, SQLITE_OK);
  }
  sqlite3_close (db);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bulk_path = NULL;
  g_autofree char *rows_path = NULL;
  g_autofree char *seed = NULL;

  f->dir = g_dir_make_tmp ("omni-import-bulk-XXXXXX", &error);
  g_assert_no_error (error);
  bulk_path = g_build_filename (f->dir, "bulk.db", NULL);
  rows_path = g_build_filename (f->dir, "rows.db", NULL);
  f->bulk = omni_store_open (bulk_path, &error);
  g_assert_no_error (error);
  f->rows = omni_store_open (rows_path, &error);
  g_assert_no_error (error);

  /* The seed is the first 5 products of the big file: the big import then
   * updates those and creates the rest. */
  seed = write_products (f, 5, 0);
  prepare (f->bulk, seed);
  prepare (f->rows, seed);
  assert_same (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->bulk);
  g_clear_object (&f->rows);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
both (Fixture          *f,
      const char       *path,
      OmniImportFormat  format)
{
  g_autoptr(OmniImportResult) bulk = import (f->bulk, path, format, 1);
  g_autoptr(OmniImportResult) rows = import (f->rows, path, format, ROW_PATH);

  g_assert_true (bulk->bulk);
  g_assert_false (rows->bulk);
  g_assert_cmpuint (bulk->variants_created, ==, rows->variants_created);
  g_assert_cmpuint (bulk->variants_updated, ==, rows->variants_updated);
  g_assert_cmpuint (bulk->quantity_changes, ==, rows->quantity_changes);
  g_assert_cmpint (bulk->units_delta, ==, rows->units_delta);
  assert_same (f);
}

static void
test_same_end_state (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *first = write_products (f, PRODUCTS, 0);
  g_autofree char *second = write_products (f, PRODUCTS, 1);
  g_autofree char *back = write_inventory (f, PRODUCTS * 12, 2, "Back Room");
  g_autofree char *shop = write_inventory (f, PRODUCTS * 12, 3, "Shop");

  /* Creates 245 products, updates the 5 seeded ones. */
  both (f, first, OMNI_IMPORT_FORMAT_SHOPIFY);
  g_assert_cmpint (count (f->bulk, "SELECT count (*) FROM variants"), ==, PRODUCTS * 12);
  g_assert_cmpint (count (f->bulk, "SELECT count (*) FROM stock_alerts"), >, 100);

  /* Moves quantities both ways, changes prices, archives 5 products. */
  both (f, second, OMNI_IMPORT_FORMAT_SHOPIFY);
  g_assert_cmpint (count (f->bulk, "SELECT count (*) FROM products WHERE status = 'archived'"),
                   ==, PRODUCTS / 50);

  /* Stock at a second, new location, then at the first one again. */
  both (f, back, OMNI_IMPORT_FORMAT_GENERIC);
  both (f, shop, OMNI_IMPORT_FORMAT_GENERIC);
  g_assert_cmpint (count (f->bulk, "SELECT count (DISTINCT location_id) FROM stock_levels"), ==, 2);

  /* The linked variants still queue their pushes the bulk way. */
  g_assert_cmpint (count (f->bulk, "SELECT count (*) FROM outbox"), >, 0);
  g_assert_cmpint (count (f->bulk, "SELECT count (*) FROM outbox"),
                   ==, count (f->rows, "SELECT count (*) FROM outbox"));
}

/* A small file into a large catalog keeps to the row-by-row way: redoing
 * the figures would cost a pass over the whole catalog. */
static void
test_small_file_rows (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *first = write_products (f, PRODUCTS, 0);
  g_autoptr(OmniImportResult) big = import (f->bulk, first, OMNI_IMPORT_FORMAT_SHOPIFY, 0);
  g_autoptr(OmniImportResult) small = NULL;
  g_autofree char *five = write_products (f, 5, 1);

  /* 3,000 rows, about 150 KB: above the default threshold's estimate. */
  g_assert_true (big->bulk);
  small = import (f->bulk, five, OMNI_IMPORT_FORMAT_SHOPIFY, 1);
  g_assert_false (small->bulk);
  assert_ledger_agrees (f->bulk);
}

/* A failed bulk import leaves nothing behind and the triggers on: the next
 * plain write still moves levels through them. */
static void
test_refused_bulk_changes_nothing (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *first = write_products (f, PRODUCTS, 0);
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
  g_autofree char *before = dump (f->bulk);
  g_autofree char *after = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(OmniImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OmniImportOptions options = { 0 };
  const OmniImportProblem *problem;
  gchar *contents = NULL;

  /* The big file with one bad price on its last line. */
  g_assert_true (g_file_get_contents (first, &contents, NULL, NULL));
  g_string_append (text, contents);
  g_free (contents);
  g_string_append (text, "item-9999,Last,V,T,,Color,Red,Size,S,SKU-LAST,3,twelve,1.00,active\n");
  g_assert_true (g_file_set_contents (bad, text->str, -1, NULL));

  options.format = OMNI_IMPORT_FORMAT_SHOPIFY;
  options.bulk_threshold = 1;
  result = omni_import_file (f->bulk, bad, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->bulk);
  g_assert_false (result->applied);
  g_assert_cmpuint (result->n_errors, ==, 1);
  problem = g_ptr_array_index (result->problems, 0);
  g_assert_cmpuint (problem->line, ==, PRODUCTS * 12 + 2);

  after = dump (f->bulk);
  g_assert_cmpstr (after, ==, before);

  /* Triggers are back: a row-by-row import still keeps levels and figures. */
  g_clear_pointer (&result, omni_import_result_free);
  result = import (f->bulk, first, OMNI_IMPORT_FORMAT_SHOPIFY, ROW_PATH);
  g_assert_false (result->bulk);
  g_assert_cmpint (count (f->bulk, "SELECT count (*) FROM stock_levels"), >, 2000);
  assert_ledger_agrees (f->bulk);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/omni/import-bulk/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("same-end-state", test_same_end_state);
  ADD ("small-file-rows", test_small_file_rows);
  ADD ("refused-changes-nothing", test_refused_bulk_changes_nothing);
#undef ADD

  return g_test_run ();
}
