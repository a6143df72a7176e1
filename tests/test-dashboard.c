/* test-dashboard.c: the dashboard's figures and charts, the chart widget,
 * and the Reports page, in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb with GSETTINGS_BACKEND=memory, each case on a fresh
 * temporary database with known figures.
 */
#define G_LOG_DOMAIN "test-dashboard"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "omni-application.h"
#include "omni-chart.h"
#include "omni-context.h"
#include "omni-dashboard-page.h"
#include "omni-product-filter-bar.h"
#include "omni-products-page.h"
#include "omni-reports-page.h"
#include "omni-stat-tile.h"
#include "omni-store-inventory.h"
#include "omni-window.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"
#define DAY_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

static OmniApplication *app;

typedef struct
{
  char        *dir;
  char        *path;
  OmniStore   *store;
  GSettings   *settings;
  OmniContext *context;
  gint64       shop;
  gint64       mug;
  gint64       tee;
  gint64       cap;
} Fixture;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A second past midnight UTC, @days days ago: in the past, and on the
 * calendar day the dashboard counts it under, whenever the test runs. */
static gint64
days_ago (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) midnight = g_date_time_new_utc (g_date_time_get_year (now),
                                                       g_date_time_get_month (now),
                                                       g_date_time_get_day_of_month (now),
                                                       0, 0, 1);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC - days * DAY_US;
}

static void
order (Fixture *fixture,
       const char *name,
       gint64   variant,
       const char *sku,
       gint64   quantity,
       OmniMoney price,
       gint64   time_us)
{
  g_autoptr(GError) error = NULL;
  const OmniOrderLineSpec line = {
    .variant_id = variant, .sku = sku, .title = sku, .quantity = quantity, .price = price,
  };
  const OmniOrderSpec spec = {
    .remote_id = name, .name = name, .location_id = fixture->shop, .lines = &line,
    .n_lines = 1, .placed_us = time_us,
  };

  g_assert_cmpint (omni_store_record_order (fixture->store, &spec, &error), >, 0);
  g_assert_no_error (error);
}

/* A shop with known figures:
 *   MUG  Home, Kiln      cost 4.00, price 10.00, point 5; 40 in, 36 sold → 4 left
 *   TEE  Apparel, Fern   cost 10.00, price 25.00, point 3; 10 in, 2 sold → 8
 *   CAP  Apparel, Fern   cost 6.00, price 15.00; 5 in, none sold
 * Sales: MUG 30 two days ago (one order), 6 twelve days ago; TEE 2 forty
 * days ago. Stock value at cost 4×4 + 8×10 + 5×6 = 126.00.
 */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  const OmniProductSpec mug = { .title = "Mug", .vendor = "Kiln", .product_type = "Home" };
  const OmniVariantSpec mugs[] = {
    { .sku = "MUG", .price = 1000, .cost = 400, .compare_at_price = -1, .reorder_point = 5,
      .reorder_qty = -1 },
  };
  const OmniProductSpec apparel = { .title = "Apparel", .vendor = "Fern",
                                    .product_type = "Apparel", .option_names = { "Item" } };
  const OmniVariantSpec clothes[] = {
    { .sku = "TEE", .options = { "Tee" }, .price = 2500, .cost = 1000, .compare_at_price = -1,
      .reorder_point = 3, .reorder_qty = -1 },
    { .sku = "CAP", .options = { "Cap" }, .price = 1500, .cost = 600, .compare_at_price = -1,
      .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[2];

  fixture->dir = g_dir_make_tmp ("omnistock-dashboard-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = omni_store_open (fixture->path, &error);
  g_assert_no_error (error);

  fixture->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);

  fixture->shop = omni_store_add_location (fixture->store, "Shop", TRUE, &error);
  g_assert_no_error (error);
  omni_store_create_product (fixture->store, &mug, mugs, 1, &fixture->mug, &error);
  g_assert_no_error (error);
  omni_store_create_product (fixture->store, &apparel, clothes, 2, ids, &error);
  g_assert_no_error (error);
  fixture->tee = ids[0];
  fixture->cap = ids[1];

  {
    const OmniMovementSpec received[] = {
      { .variant_id = fixture->mug, .location_id = fixture->shop, .on_hand_delta = 40,
        .reason = OMNI_REASON_RECEIVED, .time_us = days_ago (60) },
      { .variant_id = fixture->tee, .location_id = fixture->shop, .on_hand_delta = 10,
        .reason = OMNI_REASON_RECEIVED, .time_us = days_ago (60) },
      { .variant_id = fixture->cap, .location_id = fixture->shop, .on_hand_delta = 5,
        .reason = OMNI_REASON_RECEIVED, .time_us = days_ago (60) },
    };

    omni_store_record_movements (fixture->store, received, G_N_ELEMENTS (received), &error);
    g_assert_no_error (error);
  }
  order (fixture, "#1", fixture->tee, "TEE", 2, 2500, days_ago (40));
  order (fixture, "#2", fixture->mug, "MUG", 6, 1000, days_ago (12));
  order (fixture, "#3", fixture->mug, "MUG", 30, 1000, days_ago (2));

  fixture->context = omni_context_new (fixture->store, fixture->settings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  drain_main_context ();
  g_assert_finalize_object (fixture->context);
  g_clear_object (&fixture->settings);
  g_assert_finalize_object (fixture->store);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static OmniWindow *
open_window (Fixture *fixture)
{
  OmniWindow *window = omni_window_new (GTK_APPLICATION (app), fixture->context);

  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (window)));

  return window;
}

static void
close_window (OmniWindow *window)
{
  OmniDashboardPage *dashboard =
    OMNI_DASHBOARD_PAGE (omni_window_get_page (window, "dashboard"));
  OmniReportsPage *reports = OMNI_REPORTS_PAGE (omni_window_get_page (window, "reports"));

  wait_for (!omni_dashboard_page_get_busy (dashboard));
  wait_for (!omni_reports_page_get_busy (reports));
  gtk_window_destroy (GTK_WINDOW (window));
  drain_main_context ();
  g_assert_finalize_object (window);
}

static OmniDashboardPage *
show_dashboard (OmniWindow *window)
{
  OmniDashboardPage *page = OMNI_DASHBOARD_PAGE (omni_window_get_page (window, "dashboard"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("dashboard"));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (page)));
  wait_for (!omni_dashboard_page_get_busy (page) &&
            g_strcmp0 (omni_dashboard_page_get_view (page), "figures") == 0);
  return page;
}

static const char *
tile (OmniDashboardPage *page,
      const char        *name)
{
  return omni_stat_tile_get_value (omni_dashboard_page_get_tile (page, name));
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static double
series_total (OmniChart *chart,
              guint      series)
{
  double total = 0;

  for (guint i = 0; i < omni_chart_get_n_categories (chart); i++)
    total += omni_chart_get_value (chart, series, i);
  return total;
}

static void
test_figures (Fixture       *fixture,
              gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  OmniDashboardPage *page = show_dashboard (window);
  OmniChart *sales = omni_dashboard_page_get_chart (page, "sales");
  OmniChart *value = omni_dashboard_page_get_chart (page, "value");
  OmniChart *top = omni_dashboard_page_get_chart (page, "top");
  GtkListBox *attention = omni_dashboard_page_get_list (page, "attention");
  g_autoptr(GError) error = NULL;
  g_autofree char *operation = NULL;
  AdwActionRow *row;

  g_assert_cmpstr (tile (page, "products"), ==, "2");
  g_assert_cmpstr (tile (page, "variants"), ==, "3");
  g_assert_cmpstr (tile (page, "units"), ==, "17");
  g_assert_cmpstr (tile (page, "value"), ==, "$126.00");
  g_assert_cmpstr (tile (page, "low"), ==, "1");
  g_assert_cmpstr (tile (page, "out"), ==, "0");
  /* Last 7 days: order #3 only; 30 days: #2 and #3. */
  g_assert_cmpstr (tile (page, "sales7"), ==, "$300.00");
  g_assert_cmpstr (omni_stat_tile_get_detail (omni_dashboard_page_get_tile (page, "sales7")),
                   ==, "30 units");
  g_assert_cmpstr (tile (page, "sales30"), ==, "$360.00");

  /* Units per day over 30 days, one series for the shop's own sales. */
  g_assert_cmpuint (omni_chart_get_n_categories (sales), ==, 30);
  g_assert_cmpuint (omni_chart_get_n_series (sales), ==, 1);
  g_assert_cmpstr (omni_chart_get_series_name (sales, 0), ==, "Shop");
  g_assert_cmpfloat (omni_chart_get_value (sales, 0, 27), ==, 30);
  g_assert_cmpfloat (omni_chart_get_value (sales, 0, 17), ==, 6);
  g_assert_cmpfloat (series_total (sales, 0), ==, 36);
  g_assert_cmpfloat (omni_chart_get_axis_max (sales), ==, 30);

  /* Stock value by type: Apparel 8×10 + 5×6 = 110.00, Home 16.00. */
  g_assert_cmpuint (omni_chart_get_n_categories (value), ==, 2);
  g_assert_cmpstr (omni_chart_get_category (value, 0), ==, "Apparel");
  g_assert_cmpfloat (omni_chart_get_value (value, 0, 0), ==, 11000);
  g_assert_cmpstr (omni_chart_get_category (value, 1), ==, "Home");
  g_assert_cmpfloat (omni_chart_get_value (value, 0, 1), ==, 1600);

  /* Top sellers over 30 days: only the mug sold. */
  g_assert_cmpuint (omni_chart_get_n_categories (top), ==, 1);
  g_assert_cmpstr (omni_chart_get_category (top, 0), ==, "Mug");
  g_assert_cmpfloat (omni_chart_get_value (top, 0, 0), ==, 36);

  /* Revenue over 90 days takes in the tee sold 40 days ago. */
  gtk_toggle_button_set_active (omni_dashboard_page_get_toggle (page, "revenue"), TRUE);
  gtk_toggle_button_set_active (omni_dashboard_page_get_toggle (page, "days90"), TRUE);
  g_assert_cmpuint (omni_chart_get_n_categories (sales), ==, 90);
  g_assert_cmpfloat (series_total (sales, 0), ==, 2 * 2500 + 36 * 1000);
  g_assert_cmpfloat (omni_chart_get_value (sales, 0, 89 - 40), ==, 5000);
  g_assert_cmpfloat (omni_chart_get_axis_max (sales), ==, 30000);

  /* By vendor: Fern's tee and cap, Kiln's mug. */
  gtk_toggle_button_set_active (omni_dashboard_page_get_toggle (page, "vendor"), TRUE);
  g_assert_cmpstr (omni_chart_get_category (value, 0), ==, "Fern");
  g_assert_cmpfloat (omni_chart_get_value (value, 0, 0), ==, 11000);
  g_assert_cmpstr (omni_chart_get_category (value, 1), ==, "Kiln");
  gtk_toggle_button_set_active (omni_dashboard_page_get_toggle (page, "type"), TRUE);

  /* The mug: 4 left ≤ 5; 36 sold in 30 days is 1.2 a day: 3.3 days of
   * cover, 5 − 4 + 36 = 37 to order. */
  g_assert_cmpuint (count_rows (attention), ==, 1);
  row = ADW_ACTION_ROW (gtk_widget_get_first_child (GTK_WIDGET (attention)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Mug");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "MUG · 4 available, reorder at 5");

  /* An adjustment elsewhere: the page reads again, off the main loop. */
  {
    const OmniAdjustLine line = { .variant_id = fixture->tee, .location_id = fixture->shop,
                                  .quantity = -8 };
    const OmniAdjustOptions options = { .reason = OMNI_REASON_DAMAGED };

    operation = omni_store_adjust (fixture->store, &line, 1, &options, &error);
  }
  g_assert_no_error (error);
  omni_context_store_changed (fixture->context);
  wait_for (g_strcmp0 (tile (page, "out"), "1") == 0);
  wait_for (!omni_dashboard_page_get_busy (page));
  g_assert_cmpstr (tile (page, "units"), ==, "9");
  g_assert_cmpstr (tile (page, "value"), ==, "$46.00");
  g_assert_cmpfloat (omni_chart_get_value (value, 0, 0), ==, 3000);
  g_assert_cmpstr (omni_chart_get_category (value, 0), ==, "Apparel");
  g_assert_cmpuint (count_rows (attention), ==, 2);

  close_window (window);
}

/* The tiles for low and out of stock open the product list, filtered. */
static void
test_tiles_open_products (Fixture       *fixture,
                          gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  OmniDashboardPage *page = show_dashboard (window);
  GtkWidget *products = omni_window_get_page (window, "products");
  OmniProductFilterBar *bar =
    OMNI_PRODUCT_FILTER_BAR (omni_products_page_get_filter_bar (OMNI_PRODUCTS_PAGE (products)));
  GtkWidget *low = GTK_WIDGET (omni_dashboard_page_get_tile (page, "low"));
  GtkWidget *out = GTK_WIDGET (omni_dashboard_page_get_tile (page, "out"));

  g_assert_cmpint (omni_product_filter_bar_get_stock (bar), ==, OMNI_STOCK_ANY);
  g_assert_true (gtk_widget_activate (gtk_widget_get_parent (low)));
  wait_for (g_strcmp0 (omni_window_get_visible_page (window), "products") == 0);
  g_assert_cmpint (omni_product_filter_bar_get_stock (bar), ==, OMNI_STOCK_LOW);

  show_dashboard (window);
  g_assert_true (gtk_widget_activate (gtk_widget_get_parent (out)));
  wait_for (g_strcmp0 (omni_window_get_visible_page (window), "products") == 0);
  g_assert_cmpint (omni_product_filter_bar_get_stock (bar), ==, OMNI_STOCK_OUT);

  /* The units tile opens nothing. */
  show_dashboard (window);
  gtk_widget_activate (gtk_widget_get_parent (GTK_WIDGET (omni_dashboard_page_get_tile (page,
                                                                                         "units"))));
  drain_main_context ();
  g_assert_cmpstr (omni_window_get_visible_page (window), ==, "dashboard");

  close_window (window);
}

static void
read_pixel (cairo_surface_t *surface,
            int              x,
            int              y,
            guint8          *r,
            guint8          *g,
            guint8          *b)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel;

  /* Cairo's rows are 4-byte aligned; memcpy says so without a cast. */
  memcpy (&pixel, data + y * stride + x * 4, sizeof pixel);

  *r = (pixel >> 16) & 0xff;
  *g = (pixel >> 8) & 0xff;
  *b = pixel & 0xff;
}

/* The blue of the first series: clearly more blue than red. */
static gboolean
is_series_blue (cairo_surface_t *surface,
                double           x,
                double           y)
{
  guint8 r, g, b;

  read_pixel (surface, (int) round (x), (int) round (y), &r, &g, &b);
  return b > 150 && r < 140 && b > g;
}

/* Drawn into an image surface, the points land where the values say. */
static void
test_chart_points (void)
{
  const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri" };
  const double units[] = { 0, 10, 20, 30, 37 };
  g_autoptr(OmniChart) chart = g_object_ref_sink (OMNI_CHART (omni_chart_new (OMNI_CHART_LINE)));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 220);
  cairo_t *cr = cairo_create (surface);
  double x[5], y[5], zero_y, top_y;
  guint series, index;
  g_autofree char *tooltip = NULL;

  omni_chart_set_categories (chart, days, G_N_ELEMENTS (days));
  omni_chart_add_series (chart, "Units", units, G_N_ELEMENTS (units));
  /* 0 to 37 in at most 6 ticks: steps of 10, up to 40. */
  g_assert_cmpfloat (omni_chart_get_axis_max (chart), ==, 40);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  omni_chart_draw (chart, cr, 400, 220);
  cairo_surface_flush (surface);

  for (guint i = 0; i < 5; i++)
    g_assert_true (omni_chart_get_point (chart, 400, 220, 0, i, &x[i], &y[i]));
  /* Evenly spaced across, in order. */
  for (guint i = 1; i < 5; i++)
    {
      g_assert_cmpfloat (x[i], >, x[i - 1]);
      g_assert_cmpfloat_with_epsilon (x[i] - x[i - 1], x[1] - x[0], 1e-6);
    }
  g_assert_cmpfloat (x[0], >=, 8);
  g_assert_cmpfloat (x[4], <=, 400 - 8);
  /* Heights in proportion: 10 a quarter of the way from 0 to 40. */
  zero_y = y[0];
  top_y = zero_y - (zero_y - y[1]) * 4;
  g_assert_cmpfloat_with_epsilon (zero_y - y[2], 2 * (zero_y - y[1]), 1e-6);
  g_assert_cmpfloat_with_epsilon (y[4], zero_y - (zero_y - top_y) * 37 / 40, 1e-6);
  g_assert_cmpfloat (top_y, >=, 0);
  g_assert_cmpfloat (zero_y, <=, 220);

  /* The line passes through each point, in the series' colour, and not
   * just anywhere: a point of the plot away from the line is background. */
  for (guint i = 0; i < 5; i++)
    g_assert_true (is_series_blue (surface, x[i], y[i]));
  g_assert_false (is_series_blue (surface, x[1], (y[1] + top_y) / 2));

  /* Hovering next to the fourth point reads its value. */
  g_assert_true (omni_chart_pick (chart, 400, 220, x[3] + 3, y[3] - 5, &series, &index));
  g_assert_cmpuint (index, ==, 3);
  tooltip = omni_chart_describe_point (chart, series, index);
  g_assert_cmpstr (tooltip, ==, "Thu\nUnits: 30");
  g_assert_false (omni_chart_pick (chart, 400, 220, 2, 2, &series, &index));

  /* As bars: the bar for 20 ends half-way along the axis to 40. */
  omni_chart_set_kind (chart, OMNI_CHART_BAR);
  {
    double x0, y0, x2, y2, x4, y4;

    g_assert_true (omni_chart_get_point (chart, 400, 220, 0, 0, &x0, &y0));
    g_assert_true (omni_chart_get_point (chart, 400, 220, 0, 2, &x2, &y2));
    g_assert_true (omni_chart_get_point (chart, 400, 220, 0, 4, &x4, &y4));
    g_assert_cmpfloat (y2, >, y0);
    g_assert_cmpfloat (y4, >, y2);
    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_paint (cr);
    omni_chart_draw (chart, cr, 400, 220);
    cairo_surface_flush (surface);
    g_assert_true (is_series_blue (surface, x2 - 3, y2));
    g_assert_false (is_series_blue (surface, x2 + 6, y2));
    g_assert_true (is_series_blue (surface, (x0 + x2) / 2, y2));
  }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* An empty chart draws its message and has no points. */
static void
test_chart_empty (void)
{
  g_autoptr(OmniChart) chart = g_object_ref_sink (OMNI_CHART (omni_chart_new (OMNI_CHART_BAR)));
  double x, y;
  guint series, index;

  omni_chart_set_empty_text (chart, "No sales");
  g_assert_false (omni_chart_get_point (chart, 300, 200, 0, 0, &x, &y));
  g_assert_false (omni_chart_pick (chart, 300, 200, 150, 100, &series, &index));
  g_assert_cmpfloat (omni_chart_get_axis_max (chart), ==, 1);
}

static GtkWidget *
find_button_with_action (GtkWidget  *widget,
                         const char *action,
                         const char *target)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        {
          GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (child));

          if (target == NULL || (value != NULL && g_strcmp0 (g_variant_get_string (value, NULL),
                                                             target) == 0))
            return child;
        }
      found = find_button_with_action (child, action, target);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Pages of a PDF as cairo writes them: one "/Type /Page" dictionary each
 * (the page tree is "/Type /Pages"). */
static guint
count_pdf_pages (const char *contents,
                 gsize       length)
{
  static const char needle[] = "/Type /Page";
  guint n = 0;

  /* Streams hold binary data, NULs included: compare byte by byte. */
  for (gsize i = 0; i + sizeof needle <= length; i++)
    if (memcmp (contents + i, needle, sizeof needle - 1) == 0 && contents[i + sizeof needle - 1] != 's')
      n++;
  return n;
}

/* The text of a PDF by pdftotext, or %NULL when it is not installed. */
static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  int status = -1;

  if (pdftotext == NULL)
    return NULL;
  {
    const char *argv[] = { pdftotext, "-layout", path, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, &text, NULL, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return text;
}

static void
test_reports_page (Fixture       *fixture,
                   gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  OmniReportsPage *page = OMNI_REPORTS_PAGE (omni_window_get_page (window, "reports"));
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *csv_path = g_build_filename (fixture->dir, "sales.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (fixture->dir, "sales.pdf", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autofree char *contents = NULL;
  OmniReportTable *table;
  GtkWidget *run;

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("reports"));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_null (omni_reports_page_get_table (page));

  /* Sales by product over the last 30 days: the mug's two orders. */
  omni_reports_page_select (page, OMNI_REPORT_SALES);
  g_assert_true (gtk_widget_is_visible (omni_reports_page_get_widget (page, "from")));
  g_assert_false (gtk_widget_is_visible (omni_reports_page_get_widget (page, "at")));
  {
    g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (days_ago (29) / G_USEC_PER_SEC);
    g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (days_ago (0) / G_USEC_PER_SEC);

    from = g_date_time_format (start, "%Y-%m-%d");
    to = g_date_time_format (end, "%Y-%m-%d");
  }
  gtk_editable_set_text (GTK_EDITABLE (omni_reports_page_get_widget (page, "from")), from);
  gtk_editable_set_text (GTK_EDITABLE (omni_reports_page_get_widget (page, "to")), to);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (omni_reports_page_get_widget (page, "group")),
                              OMNI_SALES_BY_PRODUCT);
  run = find_button_with_action (GTK_WIDGET (page), "reports.run", NULL);
  g_assert_nonnull (run);
  g_assert_true (gtk_widget_activate (run));
  wait_for (!omni_reports_page_get_busy (page) && omni_reports_page_get_table (page) != NULL);

  table = omni_reports_page_get_table (page);
  g_assert_cmpstr (omni_report_table_get_key (table), ==, "sales");
  g_assert_cmpuint (omni_report_table_get_n_rows (table), ==, 1);
  g_assert_cmpstr (omni_report_table_get_text (table, 0, 1), ==, "Mug");
  g_assert_cmpint (omni_report_table_get_int (table, 0, 2), ==, 36);
  g_assert_cmpint (omni_report_table_get_int (table, OMNI_REPORT_TOTALS, 4), ==, 36000);
  /* The preview shows the row and the totals. */
  {
    GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (
      GTK_COLUMN_VIEW (omni_reports_page_get_widget (page, "view"))));

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (
      GTK_COLUMN_VIEW (omni_reports_page_get_widget (page, "view")))), ==, 5);
  }

  /* A bad date is refused with a message, and the preview stays. */
  gtk_editable_set_text (GTK_EDITABLE (omni_reports_page_get_widget (page, "from")),
                         "2026-02-30");
  g_assert_true (gtk_widget_activate (run));
  wait_for (!omni_reports_page_get_busy (page));
  g_assert_true (omni_reports_page_get_table (page) == table);

  omni_reports_page_export (page, csv, OMNI_REPORT_FORMAT_CSV);
  g_assert_true (omni_reports_page_get_busy (page));
  wait_for (!omni_reports_page_get_busy (page));
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "Handle,Product,Units,Orders,Revenue\r\nmug,Mug,36,2,360.00\r\n");

  omni_reports_page_export (page, pdf, OMNI_REPORT_FORMAT_PDF);
  wait_for (!omni_reports_page_get_busy (page));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (pdf_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));

  /* Print, to a file as "Print to File" does: the print job's own pages. */
  {
    g_autofree char *print_path = g_build_filename (fixture->dir, "printed.pdf", NULL);
    g_autofree char *printed = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    gsize length = 0;

    g_assert_true (omni_reports_page_print_to_file (page, print_path, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (print_path, &printed, &length, NULL));
    g_assert_true (g_str_has_prefix (printed, "%PDF-"));
    g_assert_cmpuint (count_pdf_pages (printed, length), ==, 1);
    text = pdf_text (print_path);
    if (text == NULL)
      g_test_message ("pdftotext is not installed: the printed text is not checked");
    else
      {
        g_assert_nonnull (strstr (text, "Sales"));
        g_assert_nonnull (strstr (text, "Mug"));
        g_assert_nonnull (strstr (text, "360.00"));
        g_assert_nonnull (strstr (text, "Page 1 of 1"));
      }
    g_remove (print_path);
  }

  g_remove (csv_path);
  g_remove (pdf_path);
  close_window (window);
}

static void
save_window_png (OmniWindow *window,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                            ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                            name, NULL);
  int width, height;

  /* Let the page lay out its figures and draw once. */
  for (guint i = 0; i < 20; i++)
    {
      g_usleep (10000);
      drain_main_context ();
    }

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         NULL);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* Pictures of the dashboard and a report, for looking at: saved next to
 * the tests. */
static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  OmniWindow *window = open_window (fixture);
  OmniReportsPage *reports = OMNI_REPORTS_PAGE (omni_window_get_page (window, "reports"));

  show_dashboard (window);
  save_window_png (window, "dashboard-screenshot.png");

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("reports"));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (reports)));
  omni_reports_page_select (reports, OMNI_REPORT_VALUATION);
  gtk_widget_activate_action (GTK_WIDGET (reports), "reports.run", NULL);
  wait_for (!omni_reports_page_get_busy (reports) &&
            omni_reports_page_get_table (reports) != NULL);
  save_window_png (window, "reports-screenshot.png");

  close_window (window);
}

/* The pages on their own, in a plain window, come and go cleanly. */
static void
test_pages_alone (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *pages[] = {
    omni_dashboard_page_new (fixture->context),
    omni_reports_page_new (fixture->context),
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *window = gtk_window_new ();

      g_object_ref (window);
      gtk_window_set_child (GTK_WINDOW (window), pages[i]);
      gtk_window_present (GTK_WINDOW (window));
      wait_for (gtk_widget_get_mapped (pages[i]));
      if (OMNI_IS_DASHBOARD_PAGE (pages[i]))
        wait_for (!omni_dashboard_page_get_busy (OMNI_DASHBOARD_PAGE (pages[i])) &&
                  g_strcmp0 (omni_dashboard_page_get_view (OMNI_DASHBOARD_PAGE (pages[i])),
                             "figures") == 0);
      /* A narrow window (the sidebar folded away) still fits the page. */
      {
        int minimum = 0;

        gtk_widget_measure (pages[i], GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                            NULL);
        g_test_message ("%s: at least %d pixels wide", G_OBJECT_TYPE_NAME (pages[i]), minimum);
        g_assert_cmpint (minimum, <=, 340);
      }
      gtk_window_destroy (GTK_WINDOW (window));
      drain_main_context ();
      g_assert_finalize_object (window);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/omni/dashboard/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("pages-alone", test_pages_alone);
  ADD ("figures", test_figures);
  ADD ("tiles-open-products", test_tiles_open_products);
  ADD ("reports-page", test_reports_page);
  ADD ("screenshot", test_screenshot);
  g_test_add_func ("/omni/dashboard/chart-points", test_chart_points);
  g_test_add_func ("/omni/dashboard/chart-empty", test_chart_empty);

#undef ADD

  status = g_test_run ();

  g_clear_object (&app);

  return status;
}
