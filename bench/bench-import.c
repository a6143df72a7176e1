/* bench-import.c: `omnistock-cli import` of a generated Shopify product CSV
 * against `sqlite3`'s `.import` of the same file, in the same run
 *
 * Usage: bench-import [ROWS...]   (default: OMNISTOCK_BENCH_IMPORT, else 100k)
 *
 * For each size it writes a Shopify-layout CSV (12 variants per product:
 * Color × Size, prices, cost, grams, a quantity on every row), then times,
 * each in a fresh database:
 *   - omnistock-cli import (validation, catalog, ledger movements, search)
 *   - sqlite3 FILE.db ".import --csv" into a bare table (the baseline)
 *   - sqlite3 :memory: ".import --csv"
 *   - the store's floor: the same rows moved by SQL alone from that bare
 *     table into a new OmniStock database (products, variants, the import
 *     movements, the levels, the totals on the variants and the search
 *     index; triggers off, no parsing, no checks), each step timed
 * and prints wall time, rows/s, the ratio to the file baseline and the peak
 * resident memory of the import. With two sizes or more it also prints the
 * peak memory ratio between the largest and the smallest.
 *
 * The floor shows how much of the gap to the baseline is the writing the
 * store must do whatever reads the file: an import cannot take less.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bench-common.h"

typedef struct
{
  double seconds;
  long   max_rss_kib;
  int    status;
} Run;

static const char * const colors[] = { "Red", "Blue", "Green" };
static const char * const sizes[] = { "S", "M", "L", "XL" };

static char *
write_csv (const char *dir,
           gint64      rows)
{
  g_autofree char *name = g_strdup_printf ("shopify-%" G_GINT64_FORMAT ".csv", rows);
  char *path = g_build_filename (dir, name, NULL);
  FILE *out = fopen (path, "w");
  gint64 n = 0;

  g_assert_nonnull (out);
  fputs ("Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,"
         "Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,"
         "Variant Inventory Tracker,Variant Inventory Qty,Variant Price,"
         "Variant Compare At Price,Variant Barcode,Cost per item,Status\r\n", out);
  for (gint64 p = 0; n < rows; p++)
    for (guint c = 0; c < G_N_ELEMENTS (colors) && n < rows; c++)
      for (guint s = 0; s < G_N_ELEMENTS (sizes) && n < rows; s++, n++)
        {
          if (c == 0 && s == 0)
            fprintf (out, "product-%" G_GINT64_FORMAT ",Product %" G_GINT64_FORMAT ","
                     "\"<p>A fine product, number %" G_GINT64_FORMAT ".</p>\",Vendor %d,"
                     "Type %d,\"tag%d, tag%d\",TRUE,Color,%s,Size,%s,,,SKU-%" G_GINT64_FORMAT
                     ",250,shopify,%d,%d.99,,,%d.50,active\r\n",
                     p, p, p, (int)(p % 97), (int)(p % 13), (int)(p % 7), (int)(p % 11),
                     colors[c], sizes[s], n, (int)(n % 40), 10 + (int)(n % 90),
                     5 + (int)(n % 20));
          else
            fprintf (out, "product-%" G_GINT64_FORMAT ",,,,,,,,%s,,%s,,,SKU-%" G_GINT64_FORMAT
                     ",250,shopify,%d,%d.99,,,%d.50,\r\n",
                     p, colors[c], sizes[s], n, (int)(n % 40), 10 + (int)(n % 90),
                     5 + (int)(n % 20));
        }
  fclose (out);
  return path;
}

/* Runs @argv and waits, measuring wall time and the child's peak memory. */
static Run
run (const char * const *argv)
{
  Run result = { 0 };
  struct rusage usage = { 0 };
  GPid pid = 0;
  int status = 0;
  double start = bench_now_ms ();
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (NULL, (char **)argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("Cannot run %s: %s", argv[0], error->message);
  if (wait4 (pid, &status, 0, &usage) < 0)
    g_error ("wait4 failed");
  result.seconds = (bench_now_ms () - start) / 1000.0;
  result.max_rss_kib = usage.ru_maxrss;
  result.status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  g_spawn_close_pid (pid);
  return result;
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

typedef struct
{
  gint64 rows;
  double seconds;
  double baseline;
  double floor;
  long   max_rss_kib;
} Figures;

/* The floor's steps, run by sqlite3 on a database `omnistock-cli init`
 * made, with the bare table attached as "bare". Each step is what the
 * import writes for these files, minus the checks: a product per handle,
 * a variant per row, an `import` movement per non-zero quantity, a level
 * per variant, the variants' totals and a search index row per variant,
 * keyed by its rank in title order, with its runs of six digits beside it,
 * both merged into one segment (omni-store-search.c). */
static const struct
{
  const char *name;
  const char *sql;
} floor_steps[] = {
  { "products",
    "INSERT INTO products (handle, title, body, vendor, product_type, tags, status,"
    " created_at, updated_at) SELECT Handle, Title, \"Body (HTML)\", Vendor, Type, Tags,"
    " 'active', 'now', 'now' FROM bare.t WHERE Title <> '';" },
  { "variants",
    "INSERT INTO variants (product_id, position, sku, barcode, option1, option2, option3,"
    " price, cost, weight_grams, created_at, updated_at)"
    " SELECT p.id, t.rowid, \"Variant SKU\", nullif (\"Variant Barcode\", ''),"
    " \"Option1 Value\", \"Option2 Value\", nullif (\"Option3 Value\", ''),"
    " CAST (\"Variant Price\" * 100 AS INTEGER), CAST (\"Cost per item\" * 100 AS INTEGER),"
    " CAST (\"Variant Grams\" AS INTEGER), 'now', 'now'"
    " FROM bare.t t JOIN products p ON p.handle = t.Handle;" },
  { "movements",
    "INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,"
    " reason, source, actor, created_at)"
    " SELECT 'import:' || v.id, 'import:floor', v.id, 1,"
    " CAST (t.\"Variant Inventory Qty\" AS INTEGER), 'import', 'import', 'bench', 'now'"
    " FROM bare.t t JOIN variants v ON v.sku = t.\"Variant SKU\""
    " WHERE CAST (t.\"Variant Inventory Qty\" AS INTEGER) <> 0;" },
  { "levels",
    "INSERT INTO stock_levels (variant_id, location_id, on_hand, committed,"
    " last_movement_id, updated_at) SELECT variant_id, location_id, sum (on_hand_delta), 0,"
    " max (id), 'now' FROM movements GROUP BY variant_id, location_id;" },
  { "variant totals",
    "UPDATE variants SET on_hand = l.on_hand, available = l.on_hand"
    " FROM stock_levels l WHERE l.variant_id = variants.id;" },
  { "search ranks",
    "INSERT INTO search_ranks (variant_id, rank)"
    " SELECT v.id, 1099511627776 + row_number () OVER (ORDER BY p.title COLLATE NOCASE, p.id,"
    " v.position, v.id) * 1024 FROM variants v JOIN products p ON p.id = v.product_id;" },
  { "search index",
    "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
    " SELECT r.rank, p.title, v.sku, v.barcode, p.vendor, p.tags"
    " FROM search_ranks r JOIN variants v ON v.id = r.variant_id"
    " JOIN products p ON p.id = v.product_id ORDER BY r.rank;" },
  /* the runs of six digits omni_digit_grams() finds in these files: the
   * number of a SKU (SKU-N, six digits or more from the 100,001st row on;
   * the files have no barcodes) */
  { "search digits",
    "INSERT INTO search_digits (rowid, grams)"
    " SELECT rank, substr (b, 1, 6)"
    " || iif (length (b) >= 7, ' ' || substr (b, 2, 6), '')"
    " || iif (length (b) >= 8, ' ' || substr (b, 3, 6), '')"
    " || iif (length (b) >= 9, ' ' || substr (b, 4, 6), '')"
    " || iif (length (b) >= 10, ' ' || substr (b, 5, 6), '')"
    " || iif (length (b) >= 11, ' ' || substr (b, 6, 6), '')"
    " || iif (length (b) >= 12, ' ' || substr (b, 7, 6), '')"
    " || iif (length (b) >= 13, ' ' || substr (b, 8, 6), '')"
    " || iif (length (b) >= 14, ' ' || substr (b, 9, 6), '')"
    " FROM (SELECT r.rank, substr (v.sku, 5) AS b"
    " FROM search_ranks r JOIN variants v ON v.id = r.variant_id"
    " WHERE length (v.sku) >= 10) ORDER BY rank;" },
  { "search index merge",
    "INSERT INTO search_index (search_index) VALUES ('optimize');"
    "INSERT INTO search_digits (search_digits) VALUES ('optimize');" },
  { "commit", "COMMIT;" },
};

/* Runs the floor's steps in one sqlite3 process and prints each one's
 * time; returns the whole run's wall time, or a negative number when it
 * failed. */
static double
run_floor (const char *sqlite,
           const char *cli,
           const char *dir,
           const char *bare)
{
  g_autofree char *db = g_build_filename (dir, "floor.db", NULL);
  g_autofree char *script_path = g_build_filename (dir, "floor.sql", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GString) script = g_string_new (".dbconfig enable_trigger off\n");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  const char *init_argv[] = { cli, "--db", db, "init", NULL };
  const char *argv[] = { sqlite, db, NULL, NULL };
  g_autofree char *read_script = NULL;
  int status = 0;
  double start;
  guint step = 0;

  remove_db (db);
  if (run (init_argv).status != 0)
    return -1;
  g_string_append_printf (script, "ATTACH '%s' AS bare;\nBEGIN;\n.timer on\n", bare);
  for (guint i = 0; i < G_N_ELEMENTS (floor_steps); i++)
    g_string_append_printf (script, "%s\n", floor_steps[i].sql);
  if (!g_file_set_contents (script_path, script->str, -1, &error))
    g_error ("Cannot write %s: %s", script_path, error->message);
  read_script = g_strdup_printf (".read %s", script_path);
  argv[2] = read_script;

  start = bench_now_ms ();
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("Cannot run %s: %s", sqlite, error->message);
  if (!g_spawn_check_wait_status (status, NULL) || (err != NULL && *err != '\0'))
    {
      printf ("  the store's floor failed: %s\n", err != NULL ? err : "");
      remove_db (db);
      g_unlink (script_path);
      return -1;
    }
  {
    double seconds = (bench_now_ms () - start) / 1000.0;
    g_autoptr(GString) steps = g_string_new (NULL);

    /* ".timer on" prints "Run Time: real R user U sys S" after each step. */
    lines = g_strsplit (out, "\n", -1);
    for (guint i = 0; lines[i] != NULL && step < G_N_ELEMENTS (floor_steps); i++)
      {
        double real = 0;

        if (sscanf (lines[i], "Run Time: real %lf", &real) != 1)
          continue;
        g_string_append_printf (steps, "%s%s %.2f", step > 0 ? ", " : "",
                                floor_steps[step].name, real);
        step++;
      }
    printf ("%-10s %11s  store's floor by SQL %7.2f s (%s)\n", "", "", seconds, steps->str);
    remove_db (db);
    g_unlink (script_path);
    return seconds;
  }
}

static Figures
bench_size (const char *dir,
            const char *cli,
            const char *sqlite,
            gint64      rows)
{
  g_autofree char *csv = write_csv (dir, rows);
  g_autofree char *db = g_build_filename (dir, "import.db", NULL);
  g_autofree char *bare = g_build_filename (dir, "bare.db", NULL);
  g_autofree char *dot_import = g_strdup_printf (".import --csv %s t", csv);
  g_autofree char *count = bench_format_count (rows);
  GStatBuf st;
  Run init, omni, file_base = { 0 }, memory_base = { 0 };
  double floor_s = -1;

  g_stat (csv, &st);
  remove_db (db);
  remove_db (bare);
  {
    const char *argv[] = { cli, "--db", db, "init", NULL };

    init = run (argv);
    g_assert_cmpint (init.status, ==, 0);
  }
  {
    const char *argv[] = { cli, "--db", db, "import", csv, NULL };

    omni = run (argv);
    if (omni.status != 0)
      g_error ("omnistock-cli import failed with status %d", omni.status);
  }
  if (sqlite != NULL)
    {
      const char *argv_file[] = { sqlite, bare, dot_import, NULL };
      const char *argv_memory[] = { sqlite, ":memory:", dot_import, NULL };

      file_base = run (argv_file);
      memory_base = run (argv_memory);
    }

  printf ("%-10s %8.1f MB  omnistock-cli import %7.2f s (%9.0f rows/s, peak %6.1f MB)\n",
          count, st.st_size / 1e6, omni.seconds, rows / omni.seconds,
          omni.max_rss_kib / 1024.0);
  if (sqlite != NULL)
    {
      printf ("%-10s %11s  sqlite3 .import file %7.2f s   :memory: %6.2f s   "
              "ratio %.2f× (file), %.2f× (memory)\n",
              "", "", file_base.seconds, memory_base.seconds,
              omni.seconds / file_base.seconds, omni.seconds / memory_base.seconds);
      floor_s = run_floor (sqlite, cli, dir, bare);
      if (floor_s > 0)
        printf ("%-10s %11s  floor %.2f× .import; the import %.2f× its floor\n", "", "",
                floor_s / file_base.seconds, omni.seconds / floor_s);
    }

  remove_db (db);
  remove_db (bare);
  g_unlink (csv);
  return (Figures) { rows, omni.seconds, file_base.seconds, floor_s, omni.max_rss_kib };
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *sqlite = g_find_program_in_path ("sqlite3");
  g_autoptr(GArray) sizes_arg = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *cli = g_getenv ("OMNISTOCK_CLI");
  g_autoptr(GError) error = NULL;
  Figures first = { 0 }, last = { 0 };

  if (cli == NULL)
    {
      g_printerr ("Set OMNISTOCK_CLI to the omnistock-cli to measure\n");
      return 1;
    }
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *name = g_strdup_printf ("BENCH_IMPORT_ARG_%d", i);
      gint64 rows;

      g_setenv (name, argv[i], TRUE);
      rows = bench_size_from_env (name, 0);
      if (rows <= 0)
        {
          g_printerr ("“%s” is not a row count (1000, 100k, 1M)\n", argv[i]);
          return 1;
        }
      g_array_append_val (sizes_arg, rows);
    }
  if (sizes_arg->len == 0)
    {
      gint64 rows = bench_size_from_env ("OMNISTOCK_BENCH_IMPORT", 100000);

      g_array_append_val (sizes_arg, rows);
    }

  dir = g_dir_make_tmp ("omni-bench-import-XXXXXX", &error);
  g_assert_no_error (error);
  printf ("Import of a generated Shopify product CSV (12 variants per product, a quantity "
          "on every row)\n");
  if (sqlite == NULL)
    printf ("sqlite3 is not installed: no baseline\n");

  for (guint i = 0; i < sizes_arg->len; i++)
    {
      last = bench_size (dir, cli, sqlite, g_array_index (sizes_arg, gint64, i));
      if (i == 0)
        first = last;
    }
  if (sizes_arg->len > 1)
    printf ("Peak memory, largest size against smallest: %.2f×\n",
            (double)last.max_rss_kib / (double)first.max_rss_kib);

  /* The goals: at most twice sqlite3's .import; memory flat (≤ 1.5×). */
  printf ("SUMMARY import: %" G_GINT64_FORMAT " rows in %.2f s (%.0f rows/s)",
          last.rows, last.seconds, last.rows / last.seconds);
  if (sqlite != NULL)
    printf (", %.2f× sqlite3 .import (goal ≤ 2×: %s)", last.seconds / last.baseline,
            last.seconds <= 2 * last.baseline ? "met" : "not met");
  if (last.floor > 0)
    printf (", the store's floor %.2f× .import", last.floor / last.baseline);
  if (sizes_arg->len > 1)
    printf (", peak memory %.2f× from the smallest size (goal ≤ 1.5×: %s)",
            (double)last.max_rss_kib / (double)first.max_rss_kib,
            last.max_rss_kib <= 1.5 * first.max_rss_kib ? "met" : "not met");
  printf ("\n");
  g_rmdir (dir);
  return 0;
}
