/* test-label-print.c: Print Labels… from the Products page, through
 * GtkPrintOperation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. The page's selection opens the dialog; its sheet and
 * copies change what it says it will print; the print operation, exported
 * to a PDF instead of shown, holds the pages and the text it says. The
 * purchasing window's Print Labels… labels an order's variants once per
 * unit ordered, then once per unit received.
 */
#define G_LOG_DOMAIN "test-label-print"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "omni-context.h"
#include "omni-label-print-dialog.h"
#include "omni-products-page.h"
#include "omni-purchasing-window.h"
#include "omni-store-catalog.h"
#include "omni-store-purchasing.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"

typedef struct
{
  char             *dir;
  char             *path;
  OmniStore        *store;
  GSettings        *settings;
  OmniContext      *context;
  GtkWindow        *window;
  OmniProductsPage *page;
} Fixture;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
settle (Fixture *f)
{
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  wait_for (g_get_monotonic_time () > until);
  wait_for (!omni_products_page_get_busy (f->page));
  drain_main_context ();
}

static void
create_catalog (Fixture *f)
{
  const OmniProductSpec towel = { .title = "Linen Towel", .option_names = { "Size" } };
  const OmniVariantSpec towels[] = {
    { .sku = "TOWEL-XL", .options = { "XL" }, .price = 2967235, .cost = -1,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "TOWEL-S", .options = { "S" }, .price = 1250, .cost = -1,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniProductSpec mug = { .title = "Stoneware Mug" };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG-1", .barcode = "4006381333931", .price = 900, .cost = -1,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[2];
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (omni_store_add_location (f->store, "Shop", TRUE, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (f->store, &towel, towels, 2, ids, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (f->store, &mug, mugs, 1, ids, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omnistock-labels-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  create_catalog (f);

  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  f->context = omni_context_new (f->store, f->settings);
  f->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref (f->window);
  gtk_window_set_default_size (f->window, 1000, 700);
  f->page = OMNI_PRODUCTS_PAGE (omni_products_page_new (f->context));
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  settle (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  settle (f);
  gtk_window_destroy (f->window);
  drain_main_context ();
  g_assert_finalize_object (f->window);
  drain_main_context ();
  g_assert_finalize_object (f->context);
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static OmniLabelPrintDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (OMNI_IS_LABEL_PRINT_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static char *
run_tool (const char *tool,
          const char *path)
{
  g_autofree char *program = g_find_program_in_path (tool);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;
  const char *argv[] = { program, path, "-", NULL };

  if (g_str_equal (tool, "pdfinfo"))
    argv[2] = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static guint
occurrences (const char *haystack,
             const char *needle)
{
  gsize length = strlen (needle);
  gsize size = strlen (haystack);
  guint n = 0;

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (haystack + i, needle, length) == 0)
      n++;
  return n;
}

static void
test_print_selection (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "labels.pdf", NULL);
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  OmniLabelPrintDialog *dialog;

  /* Nothing selected: nothing to label. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "products.print-labels", NULL);
  settle (f);
  g_assert_null (find_dialog ());

  omni_products_page_select_all (f->page);
  settle (f);
  g_assert_cmpuint (omni_products_page_get_n_selected (f->page), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "products.print-labels",
                                             NULL));
  wait_for (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == f->window);
  wait_for (!omni_label_print_dialog_get_loading (dialog));
  g_assert_null (omni_label_print_dialog_get_error (dialog));
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "3 variants · 3 labels on 1 page");
  g_assert_null (omni_label_print_dialog_get_copies_note (dialog));

  omni_label_print_dialog_set_copies (dialog, 9);
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "3 variants · 27 labels on 2 pages");
  omni_label_print_dialog_set_sheet (dialog, "thermal-57x32");
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "3 variants · 27 labels on 27 pages");
  omni_label_print_dialog_set_sheet (dialog, "letter-3x10");
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "3 variants · 27 labels on 1 page");

  /* The print operation itself, exported instead of shown. */
  g_assert_cmpint (omni_label_print_dialog_export_pdf (dialog, pdf, &error), ==,
                   GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  if (pdfinfo == NULL || pdftotext == NULL)
    g_test_skip ("poppler-utils is not installed: the PDF is not read back");
  else
    {
      info = run_tool ("pdfinfo", pdf);
      g_assert_nonnull (strstr (info, "Pages:           1\n"));
      /* US Letter is 612 × 792 points. */
      g_assert_nonnull (strstr (info, "612 x 792 pts"));
      text = run_tool ("pdftotext", pdf);
      g_assert_cmpuint (occurrences (text, "Linen Towel"), ==, 18);
      g_assert_cmpuint (occurrences (text, "Stoneware Mug"), ==, 9);
      g_assert_cmpuint (occurrences (text, "$29,672.35"), ==, 9);
      g_assert_cmpuint (occurrences (text, "$12.50"), ==, 9);
      g_assert_cmpuint (occurrences (text, "$9.00"), ==, 9);
      g_assert_cmpuint (occurrences (text, "TOWEL-XL"), ==, 9);
      g_assert_cmpuint (occurrences (text, "MUG-1"), ==, 9);
    }

  /* Escape closes it, printing nothing. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wait_for (find_dialog () == NULL);
}

static gint64
find_sku (Fixture    *f,
          const char *sku)
{
  g_autoptr(GError) error = NULL;
  gint64 id = omni_store_find_variant (f->store, sku, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static OmniLabelPrintDialog *
open_order_labels (OmniPurchasingWindow *purchasing)
{
  OmniLabelPrintDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (purchasing),
                                             "purchasing.print-labels", NULL));
  wait_for (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (purchasing));
  wait_for (!omni_label_print_dialog_get_loading (dialog));
  g_assert_null (omni_label_print_dialog_get_error (dialog));
  return dialog;
}

static void
test_print_order (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "order.pdf", NULL);
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GError) error = NULL;
  const OmniSupplierSpec supplier = { .name = "Fernwood Linen", .lead_time_days = 5 };
  OmniPurchaseLineSpec lines[] = {
    { .variant_id = find_sku (f, "TOWEL-XL"), .quantity = 10, .unit_cost = 900 },
    { .variant_id = find_sku (f, "TOWEL-S"), .quantity = 5, .unit_cost = 400 },
    { .variant_id = find_sku (f, "MUG-1"), .quantity = 4, .unit_cost = 300 },
  };
  OmniPurchaseOrderSpec spec = { .lines = lines, .n_lines = G_N_ELEMENTS (lines),
                                 .actor = "test" };
  const OmniReceiveLine arrived[] = {
    { .variant_id = lines[0].variant_id, .quantity = 7 },
    { .variant_id = lines[2].variant_id, .quantity = 2 },
  };
  g_auto(OmniReceiveResult) result = { 0 };
  OmniPurchasingWindow *purchasing;
  OmniLabelPrintDialog *dialog;
  gint64 po_id;

  spec.supplier_id = omni_store_add_supplier (f->store, &supplier, &error);
  g_assert_no_error (error);
  po_id = omni_store_create_purchase_order (f->store, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (po_id, >, 0);

  purchasing = omni_purchasing_window_new (f->window, f->context);
  gtk_window_present (GTK_WINDOW (purchasing));
  wait_for (!omni_purchasing_window_get_busy (purchasing)
            && omni_purchasing_window_get_n_orders (purchasing) == 1);
  omni_purchasing_window_select_order (purchasing, po_id);
  wait_for (!omni_purchasing_window_get_busy (purchasing)
            && omni_purchasing_window_get_order_id (purchasing) == po_id);

  /* A draft: nothing arrived, so one label per unit ordered. */
  dialog = open_order_labels (purchasing);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==,
                   "Print Labels for PO-00001");
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "3 variants · 19 labels on 1 page");
  g_assert_cmpstr (omni_label_print_dialog_get_copies_note (dialog), ==,
                   "One per unit ordered: nothing has been received yet");
  omni_label_print_dialog_set_sheet (dialog, "thermal-57x32");
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "3 variants · 19 labels on 19 pages");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wait_for (find_dialog () == NULL);

  /* 7 towels and 2 mugs arrive: those are what get labels now. */
  g_assert_true (omni_store_mark_purchase_ordered (f->store, po_id, &error));
  g_assert_no_error (error);
  g_assert_true (omni_store_receive_purchase (f->store, po_id, 0, arrived, G_N_ELEMENTS (arrived),
                                              "test", "test", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.units, ==, 9);

  dialog = open_order_labels (purchasing);
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "2 variants · 9 labels on 1 page");
  g_assert_cmpstr (omni_label_print_dialog_get_copies_note (dialog), ==,
                   "One per unit received on this order");
  omni_label_print_dialog_set_sheet (dialog, "thermal-57x32");
  g_assert_cmpstr (omni_label_print_dialog_get_summary (dialog), ==,
                   "2 variants · 9 labels on 9 pages");

  g_assert_cmpint (omni_label_print_dialog_export_pdf (dialog, pdf, &error), ==,
                   GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  if (pdfinfo == NULL || pdftotext == NULL)
    g_test_skip ("poppler-utils is not installed: the PDF is not read back");
  else
    {
      g_autofree char *info = run_tool ("pdfinfo", pdf);
      g_autofree char *text = run_tool ("pdftotext", pdf);

      g_assert_nonnull (strstr (info, "Pages:           9\n"));
      g_assert_cmpuint (occurrences (text, "TOWEL-XL"), ==, 7);
      g_assert_cmpuint (occurrences (text, "TOWEL-S"), ==, 0);
      g_assert_cmpuint (occurrences (text, "MUG-1"), ==, 2);
      g_assert_cmpuint (occurrences (text, "Stoneware Mug"), ==, 2);
    }

  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wait_for (find_dialog () == NULL);
  gtk_window_destroy (GTK_WINDOW (purchasing));
  drain_main_context ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/label-print/selection", Fixture, NULL, fixture_set_up, test_print_selection,
              fixture_tear_down);
  g_test_add ("/label-print/purchase-order", Fixture, NULL, fixture_set_up, test_print_order,
              fixture_tear_down);

  return g_test_run ();
}
