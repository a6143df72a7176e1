/* test-count-page.c: the Stock Count page, driven through its real widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. Each case builds a small catalog in a fresh temporary
 * database and shows the page in a window of its own (with the toast
 * overlay the main window gives it). Scans go through the scan entry as a
 * scanner types them: the text, then Enter ("activate"). Every case checks
 * the store (through its own connection) and what the page shows.
 */
#define G_LOG_DOMAIN "test-count-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "omni-context.h"
#include "omni-count-cell.h"
#include "omni-count-code.h"
#include "omni-count-item.h"
#include "omni-count-link-dialog.h"
#include "omni-count-page.h"
#include "omni-count-review.h"
#include "omni-count-scan-panel.h"
#include "omni-count-start-dialog.h"
#include "omni-store-catalog.h"
#include "omni-store-count.h"
#include "omni-store-inventory.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"

typedef struct
{
  char        *dir;
  char        *path;
  OmniStore   *store;
  GSettings   *settings;
  OmniContext *context;
  gint64       shop;
  gint64       back;
  gint64       ids[4];   /* CUP-1, CUP-2, CUP-3, CUP-4 */

  GtkWindow     *window;
  OmniCountPage *page;
} Fixture;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
pause_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop run (animations, frames) for @ms milliseconds. */
static void
pause_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, pause_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec cup = { .title = "Espresso Cup", .vendor = "Kiln", .tags = "ceramic",
                                .option_names = { "Glaze" } };
  const OmniVariantSpec glazes[] = {
    { .sku = "CUP-1", .barcode = "4006381333931", .options = { "Moss" }, .price = 900,
      .cost = 300, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-2", .barcode = "036000291452", .options = { "Ash" }, .price = 900,
      .cost = 300, .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-3", .options = { "Rust" }, .price = 900, .cost = 250,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "CUP-4", .options = { "Snow" }, .price = 900, .cost = 300,
      .compare_at_price = -1, .reorder_point = -1, .reorder_qty = -1 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  f->dir = g_dir_make_tmp ("omnistock-count-page-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  f->back = omni_store_add_location (f->store, "Back Room", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &cup, glazes, 4, f->ids, &error), >, 0);
  g_assert_no_error (error);

  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (f->settings, keys[i]);
  g_settings_set_string (f->settings, "actor-name", "Maya");

  f->context = omni_context_new (f->store, f->settings);
}

static void
close_page (Fixture *f)
{
  if (f->window == NULL)
    return;

  wait_for (!omni_count_page_get_busy (f->page));
  gtk_window_destroy (f->window);
  drain_main_context ();
  g_assert_finalize_object (f->window);
  f->window = NULL;
  f->page = NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  close_page (f);
  drain_main_context ();
  g_assert_finalize_object (f->context);
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

/* The page in a window of its own, as the main window holds it: under a
 * toast overlay. Waits for its first read. */
static void
open_page (Fixture *f)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  g_assert_null (f->window);
  f->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref (f->window);
  gtk_window_set_default_size (f->window, 1100, 800);
  f->page = OMNI_COUNT_PAGE (omni_count_page_new (f->context));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->page));
  gtk_window_set_child (f->window, overlay);
  gtk_window_present (f->window);

  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  wait_for (!omni_count_page_get_busy (f->page) &&
            g_strcmp0 (omni_count_page_get_view (f->page), "loading") != 0);
}

static void
set_stock (Fixture *f,
           gint64   variant,
           gint64   location,
           gint64   quantity)
{
  g_autoptr(GError) error = NULL;
  const OmniAdjustLine line = { variant, location, quantity };
  const OmniAdjustOptions options = { .mode = OMNI_ADJUST_SET, .reason = "received" };
  g_autofree char *op = omni_store_adjust (f->store, &line, 1, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (op);
}

/* A sale in the shop, recorded as the sales channel would. */
static void
sell (Fixture    *f,
      gint64      variant,
      const char *sku,
      gint64      quantity,
      const char *remote_id)
{
  g_autoptr(GError) error = NULL;
  const OmniOrderLineSpec lines[] = {
    { .variant_id = variant, .sku = sku, .title = "Espresso Cup", .quantity = quantity,
      .price = 900 },
  };
  const OmniOrderSpec order = {
    .remote_id = remote_id, .name = remote_id, .location_id = f->shop,
    .lines = lines, .n_lines = 1,
  };

  g_assert_cmpint (omni_store_record_order (f->store, &order, &error), >, 0);
  g_assert_no_error (error);
  omni_context_store_changed (f->context);
}

static gint64
on_hand (Fixture *f,
         gint64   variant,
         gint64   location)
{
  g_autoptr(GPtrArray) levels = omni_store_get_levels (f->store, variant, NULL);

  for (guint i = 0; i < levels->len; i++)
    if (((OmniLevel *) levels->pdata[i])->location_id == location)
      return ((OmniLevel *) levels->pdata[i])->on_hand;

  return 0;
}

/* The counted quantity the store holds; -1 when the count has no such line. */
static gint64
stored_counted (Fixture *f,
                gint64   session,
                gint64   variant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniCountLine) line = omni_store_count_get_line (f->store, session, variant, &error);

  if (line == NULL)
    {
      g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND);
      return -1;
    }

  return line->counted;
}

static OmniCountItem *
find_item (Fixture *f,
           gint64   variant)
{
  GListModel *lines = omni_count_page_get_lines (f->page);

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(OmniCountItem) item = g_list_model_get_item (lines, i);

      if (omni_count_item_get_variant_id (item) == variant)
        return item;   /* the model keeps it alive */
    }

  return NULL;
}

static OmniCountScanPanel *
scan_panel (Fixture *f)
{
  return OMNI_COUNT_SCAN_PANEL (omni_count_page_get_scan_panel (f->page));
}

static GtkEntry *
scan_entry (Fixture *f)
{
  return omni_count_scan_panel_get_entry (scan_panel (f));
}

/* What a scanner does: the code, then Enter. */
static void
type_scan (Fixture    *f,
           const char *text)
{
  GtkEntry *entry = scan_entry (f);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

static void
wait_idle (Fixture *f)
{
  wait_for (!omni_count_page_get_busy (f->page));
  drain_main_context ();
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_OBJECT_TYPE (window) == type && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

/* What clicking a response button of a message dialog does. */
static void
respond (GtkWindow  *dialog,
         const char *response)
{
  GType type = G_OBJECT_TYPE (dialog);

  /* A click responds, then closes the dialog. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (dialog);
  drain_main_context ();
  g_assert_null (find_toplevel (type));
}

/* Starts a count through the start dialog, as the merchant does. */
static gint64
start_count (Fixture    *f,
             const char *scope_kind,
             const char *scope_value)
{
  OmniCountStartDialog *dialog;

  g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "start");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.start", NULL));
  wait_for (find_toplevel (OMNI_TYPE_COUNT_START_DIALOG) != NULL);
  dialog = OMNI_COUNT_START_DIALOG (find_toplevel (OMNI_TYPE_COUNT_START_DIALOG));
  wait_for (omni_count_start_dialog_get_ready (dialog));
  g_assert_cmpint (omni_count_start_dialog_get_location_id (dialog), ==, f->shop);
  g_assert_true (omni_count_start_dialog_set_scope (dialog, scope_kind, scope_value));
  g_assert_true (omni_count_start_dialog_get_ready (dialog));
  respond (GTK_WINDOW (dialog), "start");

  wait_for (omni_count_page_get_session_id (f->page) > 0);
  wait_idle (f);
  g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "scan");

  return omni_count_page_get_session_id (f->page);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button (child, label)) != NULL)
        return found;
    }

  return NULL;
}

/* Clicks the Undo button of the toast on screen. */
static void
click_undo (Fixture *f)
{
  GtkWidget *button;

  wait_for ((button = find_button (GTK_WIDGET (f->window), "_Undo")) != NULL);
  /* As a person would: once the toast has finished sliding in. */
  pause_ms (500);
  g_assert_true (button == find_button (GTK_WIDGET (f->window), "_Undo"));
  g_signal_emit_by_name (button, "clicked");
}

static void
collect_cell_texts (GtkWidget     *widget,
                    GtkWidget     *skip,
                    OmniCountItem *item,
                    GPtrArray     *texts)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child == skip)
        continue;
      if (OMNI_IS_COUNT_CELL (child) && gtk_widget_get_mapped (child) &&
          omni_count_cell_get_item (OMNI_COUNT_CELL (child)) == item &&
          omni_count_cell_get_text (OMNI_COUNT_CELL (child)) != NULL)
        g_ptr_array_add (texts, (gpointer) omni_count_cell_get_text (OMNI_COUNT_CELL (child)));
      collect_cell_texts (child, skip, item, texts);
    }
}

/* What the counted list (or the review's, with @review) shows for
 * @variant's row, cell by cell (product, SKU, expected, counted, variance,
 * value), joined by "|". */
static char *
row_text (Fixture  *f,
          gint64    variant,
          gboolean  review)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  GtkWidget *review_widget = omni_count_page_get_review (f->page);

  if (review)
    collect_cell_texts (review_widget, NULL, find_item (f, variant), texts);
  else
    collect_cell_texts (GTK_WIDGET (f->page), review_widget, find_item (f, variant), texts);
  g_ptr_array_add (texts, NULL);

  return g_strjoinv ("|", (char **) texts->pdata);
}

static void
assert_sorted_by_variance (Fixture *f)
{
  GListModel *lines = omni_count_page_get_lines (f->page);
  gint64 previous = G_MAXINT64;

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(OmniCountItem) item = g_list_model_get_item (lines, i);
      gint64 size = ABS (omni_count_item_get_variance (item));

      g_assert_cmpint (size, <=, previous);
      previous = size;
    }
}

static gboolean
entry_has_focus (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == GTK_WIDGET (scan_entry (f)) ||
                           gtk_widget_is_ancestor (focus, GTK_WIDGET (scan_entry (f))));
}

/* Scans, a multiplier typed in front and as a chip, a burst of fifty,
 * keystrokes typed while writes are in flight. */
static void
test_scan (Fixture       *f,
           gconstpointer  data)
{
  OmniCountScanPanel *panel;
  OmniCountItem *item;
  gint64 session, burst_start, longest_scan = 0;

  set_stock (f, f->ids[0], f->shop, 10);
  set_stock (f, f->ids[1], f->shop, 10);
  set_stock (f, f->ids[2], f->shop, 4);
  set_stock (f, f->ids[3], f->back, 6);

  open_page (f);
  g_assert_cmpint (omni_count_page_get_session_id (f->page), ==, 0);
  session = start_count (f, "all", NULL);
  panel = scan_panel (f);
  wait_for (entry_has_focus (f));

  /* Started with what the shop floor held: three lines, nothing counted,
   * largest expected (so largest variance) first. */
  g_assert_cmpuint (g_list_model_get_n_items (omni_count_page_get_lines (f->page)), ==, 3);
  g_assert_null (find_item (f, f->ids[3]));
  g_assert_cmpint (omni_count_item_get_expected (find_item (f, f->ids[2])), ==, 4);
  assert_sorted_by_variance (f);

  /* One scan of the barcode, then "8*SKU". */
  type_scan (f, "4006381333931");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (scan_entry (f))), ==, "");
  type_scan (f, "8*CUP-1");
  wait_idle (f);
  g_assert_cmpint (stored_counted (f, session, f->ids[0]), ==, 9);
  item = find_item (f, f->ids[0]);
  g_assert_cmpint (omni_count_item_get_counted (item), ==, 9);
  g_assert_cmpint (omni_count_item_get_variance (item), ==, -1);
  g_assert_true (omni_count_scan_panel_get_item (panel) == item);
  g_assert_cmpstr (omni_count_scan_panel_get_count_text (panel), ==, "9");
  g_assert_null (omni_count_scan_panel_get_banner_text (panel));

  /* "12*" alone becomes a chip for the next scan only. */
  gtk_editable_set_text (GTK_EDITABLE (scan_entry (f)), "12*");
  wait_for (omni_count_scan_panel_get_multiplier (panel) == 12);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (scan_entry (f))), ==, "");
  type_scan (f, "036000291452");
  g_assert_cmpint (omni_count_scan_panel_get_multiplier (panel), ==, 1);
  type_scan (f, "036000291452");
  wait_idle (f);
  g_assert_cmpint (stored_counted (f, session, f->ids[1]), ==, 13);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[1])), ==, 13);
  g_assert_cmpstr (omni_count_scan_panel_get_count_text (panel), ==, "13");

  /* A burst: fifty codes as fast as a scanner types them, the main loop
   * turning only now and then, so batches run while codes keep coming. */
  burst_start = g_get_monotonic_time ();
  for (guint i = 0; i < 50; i++)
    {
      gint64 before = g_get_monotonic_time ();

      type_scan (f, i % 5 == 4 ? "4006381333931" : "CUP-3");
      longest_scan = MAX (longest_scan, g_get_monotonic_time () - before);
      if (i % 7 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (omni_count_page_get_busy (f->page));

  /* Keystrokes typed while those writes are in flight stay in the entry. */
  gtk_editable_set_text (GTK_EDITABLE (scan_entry (f)), "CUP-");
  wait_idle (f);
  g_test_message ("50 scans: longest on the main thread %" G_GINT64_FORMAT " us, "
                  "all on disk after %" G_GINT64_FORMAT " ms",
                  longest_scan, (g_get_monotonic_time () - burst_start) / 1000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (scan_entry (f))), ==, "CUP-");
  gtk_editable_insert_text (GTK_EDITABLE (scan_entry (f)), "2", -1, &(int) { 4 });
  g_signal_emit_by_name (scan_entry (f), "activate");
  wait_idle (f);

  g_assert_cmpint (stored_counted (f, session, f->ids[2]), ==, 40);
  g_assert_cmpint (stored_counted (f, session, f->ids[0]), ==, 19);
  g_assert_cmpint (stored_counted (f, session, f->ids[1]), ==, 14);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[2])), ==, 40);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[0])), ==, 19);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[1])), ==, 14);
  g_assert_cmpint (omni_count_item_get_variance (find_item (f, f->ids[2])), ==, 36);
  /* The last scan is the one shown. */
  g_assert_true (omni_count_scan_panel_get_item (panel) == find_item (f, f->ids[1]));
  g_assert_cmpstr (omni_count_scan_panel_get_count_text (panel), ==, "14");

  /* And the list on screen says so, row by row. */
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  drain_main_context ();
  {
    g_autofree char *cup3 = row_text (f, f->ids[2], FALSE);
    g_autofree char *cup1 = row_text (f, f->ids[0], FALSE);

    g_assert_cmpstr (cup3, ==, "Espresso Cup|CUP-3|4|40|+36|+$90.00");
    g_assert_cmpstr (cup1, ==, "Espresso Cup|CUP-1|10|19|+9|+$27.00");
  }

  /* Largest variance first: CUP-3 (+36), CUP-1 (+9), CUP-2 (+4). */
  assert_sorted_by_variance (f);
  {
    g_autoptr(OmniCountItem) first = g_list_model_get_item (omni_count_page_get_lines (f->page), 0);

    g_assert_cmpint (omni_count_item_get_variant_id (first), ==, f->ids[2]);
  }

  /* The page fits a narrow (folded) window: phones, small tablets. */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_test_message ("minimum width of the count page: %d", minimum);
    g_assert_cmpint (minimum, <=, 360);
    /* A 500 pixel high window, less its header bar. */
    gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_VERTICAL, 360,
                        &minimum, NULL, NULL, NULL);
    g_test_message ("minimum height of the count page at 360 wide: %d", minimum);
    g_assert_cmpint (minimum, <=, 440);
    gtk_widget_measure (omni_count_page_get_review (f->page), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }

  /* Nothing counted changes stock before the commit. */
  g_assert_cmpint (on_hand (f, f->ids[2], f->shop), ==, 4);
  g_assert_true (entry_has_focus (f));
}

/* A bad multiplier and a code too long are refused in the banner, and
 * change nothing. */
static void
test_refused_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *long_code = g_strnfill (OMNI_COUNT_MAX_CODE + 1, '7');
  OmniCountScanPanel *panel;
  gint64 session;

  set_stock (f, f->ids[0], f->shop, 3);
  open_page (f);
  session = start_count (f, "all", NULL);
  panel = scan_panel (f);

  type_scan (f, "0*CUP-1");
  wait_idle (f);
  g_assert_nonnull (omni_count_scan_panel_get_banner_text (panel));
  g_assert_null (omni_count_scan_panel_get_banner_code (panel));
  g_assert_cmpint (stored_counted (f, session, f->ids[0]), ==, 0);

  type_scan (f, long_code);
  wait_idle (f);
  g_assert_nonnull (omni_count_scan_panel_get_banner_text (panel));
  g_assert_null (omni_count_scan_panel_get_banner_code (panel));
  g_assert_cmpint (stored_counted (f, session, f->ids[0]), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (omni_count_page_get_codes (f->page)), ==, 0);

  type_scan (f, "CUP-1");
  wait_idle (f);
  g_assert_null (omni_count_scan_panel_get_banner_text (panel));
  g_assert_cmpint (stored_counted (f, session, f->ids[0]), ==, 1);
}

/* An unknown code rings, shows the red banner, is listed, and is linked to
 * a variant on the spot: its scans count for that variant. */
static void
test_unknown_code (Fixture       *f,
                   gconstpointer  data)
{
  OmniCountScanPanel *panel;
  OmniCountLinkDialog *dialog;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  gint64 session;

  set_stock (f, f->ids[3], f->shop, 1);
  open_page (f);
  session = start_count (f, "all", NULL);
  panel = scan_panel (f);

  type_scan (f, "9780306406157");
  wait_idle (f);
  g_assert_cmpstr (omni_count_scan_panel_get_banner_code (panel), ==, "9780306406157");
  g_assert_cmpstr (omni_count_scan_panel_get_banner_text (panel), ==,
                   "Unknown code “9780306406157”");
  g_assert_cmpuint (g_list_model_get_n_items (omni_count_page_get_codes (f->page)), ==, 1);

  type_scan (f, " 9780306406157 ");
  wait_idle (f);
  {
    g_autoptr(OmniCountCode) code = g_list_model_get_item (omni_count_page_get_codes (f->page), 0);

    g_assert_cmpuint (g_list_model_get_n_items (omni_count_page_get_codes (f->page)), ==, 1);
    g_assert_cmpstr (omni_count_code_get_code (code), ==, "9780306406157");
    g_assert_cmpint (omni_count_code_get_scans (code), ==, 2);
  }
  unknown = omni_store_count_unknown_codes (f->store, session, NULL);
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_cmpint (((OmniCountUnknown *) unknown->pdata[0])->scans, ==, 2);
  /* Nothing counted for it yet. */
  g_assert_cmpint (stored_counted (f, session, f->ids[3]), ==, 0);

  /* The banner's Link button. */
  g_signal_emit_by_name (panel, "link-requested", "9780306406157");
  wait_for (find_toplevel (OMNI_TYPE_COUNT_LINK_DIALOG) != NULL);
  dialog = OMNI_COUNT_LINK_DIALOG (find_toplevel (OMNI_TYPE_COUNT_LINK_DIALOG));
  g_assert_cmpstr (omni_count_link_dialog_get_code (dialog), ==, "9780306406157");
  omni_count_link_dialog_search (dialog, "CUP-4");
  g_assert_cmpuint (omni_count_link_dialog_get_n_results (dialog), ==, 1);
  g_assert_true (omni_count_link_dialog_choose (dialog, 0));
  wait_idle (f);

  g_assert_null (find_toplevel (OMNI_TYPE_COUNT_LINK_DIALOG));
  g_assert_cmpint (stored_counted (f, session, f->ids[3]), ==, 2);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[3])), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (omni_count_page_get_codes (f->page)), ==, 0);
  g_assert_null (omni_count_scan_panel_get_banner_text (panel));
  row = omni_store_get_variant (f->store, f->ids[3], NULL);
  g_assert_cmpstr (row->barcode, ==, "9780306406157");

  /* Now it scans like any barcode. */
  type_scan (f, "9780306406157");
  wait_idle (f);
  g_assert_cmpint (stored_counted (f, session, f->ids[3]), ==, 3);
  g_assert_cmpstr (omni_count_scan_panel_get_count_text (panel), ==, "3");
}

/* Sales during the count, in both orders, then review, commit and undo. */
static void
test_sale_and_commit (Fixture       *f,
                      gconstpointer  data)
{
  OmniCountReview *review;
  g_autoptr(OmniCountSession) committed = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const OmniHistoryFilter counts_only = { .reason = "count" };
  g_autofree char *operation = NULL;
  gint64 session;

  set_stock (f, f->ids[0], f->shop, 10);
  set_stock (f, f->ids[1], f->shop, 10);
  set_stock (f, f->ids[2], f->shop, 4);
  set_stock (f, f->ids[3], f->back, 6);

  open_page (f);
  session = start_count (f, "all", NULL);

  /* CUP-1: 5 on the shelf counted, then 3 sold: the shelf holds 2. */
  type_scan (f, "5*4006381333931");
  wait_idle (f);
  sell (f, f->ids[0], "CUP-1", 3, "S-1");
  /* CUP-2: 2 sold before anyone got to it. */
  sell (f, f->ids[1], "CUP-2", 2, "S-2");
  wait_idle (f);

  /* Expected stays what the store held at the scan (CUP-1) or at the start
   * (CUP-2, not scanned yet). */
  g_assert_cmpint (omni_count_item_get_expected (find_item (f, f->ids[0])), ==, 10);
  g_assert_cmpint (omni_count_item_get_variance (find_item (f, f->ids[0])), ==, -5);
  g_assert_cmpint (omni_count_item_get_expected (find_item (f, f->ids[1])), ==, 10);

  /* Scanned after the sale: the 8 left are all there. */
  type_scan (f, "8*036000291452");
  wait_idle (f);
  g_assert_cmpint (omni_count_item_get_expected (find_item (f, f->ids[1])), ==, 8);
  g_assert_cmpint (omni_count_item_get_variance (find_item (f, f->ids[1])), ==, 0);

  /* The review lists the lines that differ, largest first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.review", NULL));
  g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "review");
  review = OMNI_COUNT_REVIEW (omni_count_page_get_review (f->page));
  {
    GListModel *variances = omni_count_review_get_variance_lines (review);
    g_autoptr(OmniCountItem) first = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (variances), ==, 2);
    first = g_list_model_get_item (variances, 0);
    g_assert_cmpint (omni_count_item_get_variant_id (first), ==, f->ids[0]);
    g_assert_cmpint (omni_count_item_get_variance_value (first), ==, -1500);
  }
  drain_main_context ();
  {
    g_autofree char *cup1 = row_text (f, f->ids[0], TRUE);

    g_assert_cmpstr (cup1, ==, "Espresso Cup|CUP-1|10|5|−5|−$15.00");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.commit", NULL));
  wait_for (omni_count_page_get_session_id (f->page) == 0);
  wait_idle (f);
  g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "start");

  /* CUP-1: 5 counted − 3 sold after = 2. CUP-2: 8, the earlier sale already
   * on the shelf. CUP-3: not found, 0. The back room is untouched. */
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 2);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 8);
  g_assert_cmpint (on_hand (f, f->ids[2], f->shop), ==, 0);
  g_assert_cmpint (on_hand (f, f->ids[3], f->back), ==, 6);
  committed = omni_store_count_get (f->store, session, NULL);
  g_assert_cmpstr (committed->state, ==, "committed");

  /* One operation of count movements, with the actor. */
  history = omni_store_get_history (f->store, f->ids[0], &counts_only, NULL);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (((OmniMovement *) history->pdata[0])->on_hand_delta, ==, -5);
  g_assert_cmpstr (((OmniMovement *) history->pdata[0])->actor, ==, "Maya");
  operation = g_strdup (((OmniMovement *) history->pdata[0])->operation);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = omni_store_get_history (f->store, f->ids[2], &counts_only, NULL);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (((OmniMovement *) history->pdata[0])->operation, ==, operation);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = omni_store_get_history (f->store, f->ids[1], &counts_only, NULL);
  g_assert_cmpuint (history->len, ==, 0);

  /* The toast's Undo puts every level back. */
  click_undo (f);
  wait_idle (f);
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 7);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 8);
  g_assert_cmpint (on_hand (f, f->ids[2], f->shop), ==, 4);
  g_assert_cmpint (on_hand (f, f->ids[3], f->back), ==, 6);
}

/* Correcting and removing lines; cancelling leaves stock alone. */
static void
test_edit_and_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OmniCountSession) cancelled = NULL;
  GtkWindow *confirm;
  gint64 session;

  set_stock (f, f->ids[0], f->shop, 10);
  set_stock (f, f->ids[1], f->shop, 10);

  open_page (f);
  session = start_count (f, "vendor", "Kiln");
  type_scan (f, "3*CUP-1");
  wait_idle (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.set-line", "(xx)",
                                             f->ids[0], (gint64) 11));
  wait_idle (f);
  g_assert_cmpint (stored_counted (f, session, f->ids[0]), ==, 11);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[0])), ==, 11);
  assert_sorted_by_variance (f);

  type_scan (f, "6*CUP-2");
  wait_idle (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.remove-line", "x",
                                             f->ids[1]));
  wait_idle (f);
  g_assert_null (find_item (f, f->ids[1]));
  g_assert_cmpint (stored_counted (f, session, f->ids[1]), ==, -1);

  /* The toast's Undo brings it back, with what was counted. */
  click_undo (f);
  wait_idle (f);
  g_assert_cmpint (stored_counted (f, session, f->ids[1]), ==, 6);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[1])), ==, 6);

  /* Cancel asks first; keeping on changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.cancel", NULL));
  wait_for ((confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  respond (confirm, "keep");
  wait_idle (f);
  g_assert_cmpint (omni_count_page_get_session_id (f->page), ==, session);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.cancel", NULL));
  wait_for ((confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  respond (confirm, "discard");
  wait_for (omni_count_page_get_session_id (f->page) == 0);
  wait_idle (f);

  g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "start");
  cancelled = omni_store_count_get (f->store, session, NULL);
  g_assert_cmpstr (cancelled->state, ==, "cancelled");
  g_assert_cmpint (on_hand (f, f->ids[0], f->shop), ==, 10);
  g_assert_cmpint (on_hand (f, f->ids[1], f->shop), ==, 10);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gssize *written = user_data;
  g_autoptr(GError) error = NULL;

  *written = omni_count_page_export_finish (OMNI_COUNT_PAGE (object), result, &error);
  g_assert_no_error (error);
}

/* The count sheet as CSV, written after the scans made before it. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *csv_path = g_build_filename (f->dir, "sheet.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) rows = NULL;
  gssize written = -2;

  set_stock (f, f->ids[0], f->shop, 10);
  set_stock (f, f->ids[2], f->shop, 4);
  open_page (f);
  start_count (f, "all", NULL);

  /* Not waited for: the export queues behind the scan. */
  type_scan (f, "7*CUP-1");
  omni_count_page_export_async (f->page, file, export_cb, &written);
  wait_for (written != -2);
  wait_idle (f);

  g_assert_cmpint (written, ==, 2);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  rows = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpstr (rows[0], ==, "SKU,Barcode,Product,Options,Expected,Counted,Variance,"
                                "Unit Cost,Variance Value,Currency");
  g_assert_true (g_str_has_prefix (rows[1], "CUP-3,,Espresso Cup,Rust,4,0,-4,2.50,-10.00,"));
  g_assert_true (g_str_has_prefix (rows[2], "CUP-1,4006381333931,Espresso Cup,Moss,10,7,-3,"
                                            "3.00,-9.00,"));
  g_assert_cmpstr (rows[3], ==, "");
  g_assert_null (rows[4]);
  g_assert_cmpint (g_remove (csv_path), ==, 0);
}

/* Closing the window mid-count and opening the database again (a new
 * connection, a new window) resumes the count where it was. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniContext) context = NULL;
  g_autoptr(GError) error = NULL;
  OmniContext *first_context = f->context;
  gint64 session;

  set_stock (f, f->ids[0], f->shop, 10);
  open_page (f);
  session = start_count (f, "all", NULL);
  type_scan (f, "CUP-1");
  type_scan (f, "CUP-1");
  type_scan (f, "4*CUP-2");

  /* Closed at once, the writes still queued: they reach the disk all the
   * same. */
  g_assert_true (omni_count_page_get_busy (f->page));
  gtk_window_destroy (f->window);
  g_assert_finalize_object (g_steal_pointer (&f->window));
  f->page = NULL;
  wait_for (stored_counted (f, session, f->ids[0]) == 2 &&
            stored_counted (f, session, f->ids[1]) == 4);

  store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  context = omni_context_new (store, f->settings);
  f->context = context;
  open_page (f);

  g_assert_cmpint (omni_count_page_get_session_id (f->page), ==, session);
  g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "scan");
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[0])), ==, 2);
  g_assert_cmpint (omni_count_item_get_counted (find_item (f, f->ids[1])), ==, 4);
  /* The card shows the line scanned last, as it was left. */
  g_assert_true (omni_count_scan_panel_get_item (scan_panel (f)) == find_item (f, f->ids[1]));
  g_assert_cmpstr (omni_count_scan_panel_get_count_text (scan_panel (f)), ==, "4");
  wait_for (entry_has_focus (f));

  type_scan (f, "CUP-1");
  wait_idle (f);
  g_assert_cmpint (stored_counted (f, session, f->ids[0]), ==, 3);

  /* With two counts open, the page lists them and resumes the one chosen. */
  close_page (f);
  {
    gint64 other = omni_store_count_start (f->store, f->back, "all", NULL, NULL, &error);

    g_assert_no_error (error);
    open_page (f);
    g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "start");
    g_assert_cmpint (omni_count_page_get_session_id (f->page), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "count.resume", "x",
                                               other));
    wait_for (omni_count_page_get_session_id (f->page) == other);
    g_assert_cmpstr (omni_count_page_get_view (f->page), ==, "scan");
  }

  close_page (f);
  f->context = first_context;
  g_clear_object (&context);
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) \
  g_test_add ("/omni/count-page/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("scan", test_scan);
  ADD ("refused-input", test_refused_input);
  ADD ("unknown-code", test_unknown_code);
  ADD ("sale-and-commit", test_sale_and_commit);
  ADD ("edit-and-cancel", test_edit_and_cancel);
  ADD ("export", test_export);
  ADD ("resume", test_resume);

  return g_test_run ();
}
