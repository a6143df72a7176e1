/* bench-scroll.c: frame times while scrolling the product list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-scroll [--small N] [--large N] [--frames N] [--step F]
 *
 * Opens the application's window on each catalog (the small one first, as
 * the baseline), shows the products page, waits until the list has counted
 * its rows and painted them, then scrolls the column view: every frame, a
 * tick callback moves the vertical adjustment down by --step pages (half a
 * page by default); half way it jumps to the middle of the list and goes on,
 * so pages deep in the catalog are fetched too.
 *
 * From GTK's frame clock it records each frame's time (the interval between
 * frames is what the eye sees), and the time from "before-paint" to
 * "after-paint" (what the frame cost on the main thread). A frame longer than
 * twice the median is a visible stutter. It also counts the frames on which
 * a visible row was still waiting for its page from the worker (drawn empty),
 * and times how long the window took from creation to its first rows.
 *
 * Needs a display: run it under xvfb-run. Without one it exits 77 (skipped).
 * GSK_RENDERER=cairo avoids software GL, which Xvfb otherwise gets.
 */
#define G_LOG_DOMAIN "bench-scroll"

#include "config.h"

#include "bench-common.h"
#include "omni-application.h"
#include "omni-context.h"
#include "omni-products-page.h"
#include "omni-variant-item.h"
#include "omni-variant-list.h"
#include "omni-window.h"

#define GOAL_MAX_OVER_MEDIAN 2.0
#define WAIT_SECONDS         300

typedef struct
{
  GtkAdjustment *vadjustment;
  GListModel    *model;
  guint          frames_wanted;
  double         step;            /* pages per frame */
  guint          frame;
  gint64         last_frame_us;
  double         paint_started_ms;
  GArray        *intervals;       /* ms between frames */
  GArray        *work;            /* ms from before-paint to after-paint */
  guint          blank_frames;
  gboolean       done;
} Scroll;

typedef struct
{
  char   *label;
  guint   frames;
  double  fps;
  double  interval_median;
  double  interval_p99;
  double  interval_max;
  double  work_median;
  double  work_p99;
  double  work_max;
  guint   blank_frames;
  double  idle_fps;
  double  rows_ms;         /* from creating the window to rows on screen */
} Result;

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until @cond holds; a ticker wakes it so worker
 * results are noticed. */
static gboolean
wait_until (gboolean (*cond) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint ticker = g_timeout_add (10, wake_cb, NULL);
  gboolean ok = TRUE;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          ok = FALSE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
  return ok;
}

static void
spin_for (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);
  guint ticker = g_timeout_add (10, wake_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
}

/* Whether a row on screen is still waiting for its page. */
static gboolean
visible_rows_blank (Scroll *scroll)
{
  guint n = g_list_model_get_n_items (scroll->model);
  double upper = gtk_adjustment_get_upper (scroll->vadjustment);
  double row_height, value, page;
  guint first, last;

  if (n == 0 || upper <= 0)
    return FALSE;
  row_height = upper / n;
  value = gtk_adjustment_get_value (scroll->vadjustment);
  page = gtk_adjustment_get_page_size (scroll->vadjustment);
  first = (guint)(value / row_height);
  last = MIN (n, (guint)((value + page) / row_height) + 1);
  for (guint i = first; i < last; i++)
    {
      g_autoptr(OmniVariantItem) item = g_list_model_get_item (scroll->model, i);

      if (item != NULL && !omni_variant_item_get_loaded (item))
        return TRUE;
    }
  return FALSE;
}

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Scroll *scroll = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double value, page, upper;

  if (scroll->last_frame_us != 0)
    {
      double interval = (double)(now - scroll->last_frame_us) / 1000.0;

      g_array_append_val (scroll->intervals, interval);
      if (visible_rows_blank (scroll))
        scroll->blank_frames++;
    }
  scroll->last_frame_us = now;

  if (scroll->frame++ >= scroll->frames_wanted)
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  value = gtk_adjustment_get_value (scroll->vadjustment);
  page = gtk_adjustment_get_page_size (scroll->vadjustment);
  upper = gtk_adjustment_get_upper (scroll->vadjustment);
  if (scroll->frame == scroll->frames_wanted / 2)
    value = upper / 2;
  else
    value += page * scroll->step;
  if (value > upper - page)
    value = 0;
  gtk_adjustment_set_value (scroll->vadjustment, value);
  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  Scroll *scroll = user_data;

  scroll->paint_started_ms = bench_now_ms ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  Scroll *scroll = user_data;
  double work;

  if (scroll->paint_started_ms == 0 || scroll->last_frame_us == 0 || scroll->done)
    return;
  work = bench_now_ms () - scroll->paint_started_ms;
  g_array_append_val (scroll->work, work);
}

static void
count_frame_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  (*(guint *)user_data)++;
}

typedef struct
{
  OmniVariantList *list;
  GtkAdjustment   *vadjustment;
  gint64           expected;
} Ready;

static gboolean
list_ready (gpointer data)
{
  Ready *ready = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (ready->list));

  return n == ready->expected && !omni_variant_list_get_loading (ready->list) &&
         gtk_adjustment_get_upper (ready->vadjustment) >
         gtk_adjustment_get_page_size (ready->vadjustment);
}

static gboolean
scroll_done (gpointer data)
{
  return ((Scroll *)data)->done;
}

/* With BENCH_SCROLL_DEBUG set: the mapped widgets that animate, to find
 * what keeps an untouched window painting. */
static void
list_animated (GtkWidget *widget,
               guint      depth)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if ((GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget))) ||
      GTK_IS_PROGRESS_BAR (widget))
    g_printerr ("  animated: %s (%s) under %s\n", G_OBJECT_TYPE_NAME (widget),
                gtk_widget_get_name (widget),
                G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    list_animated (child, depth + 1);
}

/* With BENCH_SCROLL_DEBUG=2: hides widgets one by one to find the one
 * that keeps an untouched window painting. */
static void
bisect_painting (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 guint          depth)
{
  guint painted = 0;
  gulong handler;

  if (depth > 7 || !gtk_widget_get_visible (widget))
    return;
  gtk_widget_set_visible (widget, FALSE);
  spin_for (0.3);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &painted);
  spin_for (0.5);
  g_signal_handler_disconnect (clock, handler);
  gtk_widget_set_visible (widget, TRUE);
  g_printerr ("  %*s%s (%s): %u frames in 0.5 s when hidden\n", (int)depth * 2, "",
              G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget), painted);
  if (painted > 5)
    return;   /* still painting without it: look elsewhere */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    bisect_painting (child, clock, depth + 1);
}

static gboolean
run_size (OmniApplication  *app,
          gint64            variants,
          guint             frames,
          double            step,
          Result           *result,
          GError          **error)
{
  g_autofree char *path = bench_catalog (variants, error);
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(OmniContext) context = NULL;
  OmniWindow *window;
  OmniProductsPage *page;
  GtkColumnView *column_view;
  GdkFrameClock *clock;
  Ready ready = { 0 };
  Scroll scroll = { 0 };
  guint idle_frames = 0;
  gulong handler;
  double started_ms, rows_ms;

  if (path == NULL || !(store = omni_store_open (path, error)))
    return FALSE;
  ready.expected = omni_store_count_variants (store, &(OmniVariantQuery) { 0 }, error);
  if (ready.expected < 0)
    return FALSE;

  settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_settings_set_string (settings, "last-page", "products");
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 800);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  context = omni_context_new (store, settings);

  started_ms = bench_now_ms ();
  window = omni_window_new (GTK_APPLICATION (app), context);
  gtk_window_present (GTK_WINDOW (window));
  omni_window_set_visible_page (window, "products");
  page = OMNI_PRODUCTS_PAGE (omni_window_get_page (window, "products"));
  column_view = omni_products_page_get_column_view (page);
  ready.list = omni_products_page_get_list (page);
  ready.vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));

  if (!wait_until (list_ready, &ready))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "The product list of %s did not load within %d s", path, WAIT_SECONDS);
      gtk_window_destroy (GTK_WINDOW (window));
      return FALSE;
    }
  rows_ms = bench_now_ms () - started_ms;

  /* Let start-up work finish, and count the frames an untouched window
   * paints in a second. */
  spin_for (2.0);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (column_view));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &idle_frames);
  spin_for (1.0);
  g_signal_handler_disconnect (clock, handler);
  if (g_getenv ("BENCH_SCROLL_DEBUG"))
    {
      static const char * const names[] = { "dashboard", "inventory", "count", "reports",
                                            "channels", "products" };

      list_animated (GTK_WIDGET (window), 0);
      if (g_str_equal (g_getenv ("BENCH_SCROLL_DEBUG"), "2"))
        for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window)); child;
             child = gtk_widget_get_next_sibling (child))
          bisect_painting (child, clock, 0);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          guint painted = 0;

          omni_window_set_visible_page (window, names[i]);
          spin_for (1.0);
          handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &painted);
          spin_for (1.0);
          g_signal_handler_disconnect (clock, handler);
          g_printerr ("  idle frames a second on %s: %u\n", names[i], painted);
        }
    }

  scroll.vadjustment = ready.vadjustment;
  scroll.model = G_LIST_MODEL (ready.list);
  scroll.frames_wanted = frames;
  scroll.step = step;
  scroll.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  scroll.work = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &scroll);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &scroll);
  gtk_widget_add_tick_callback (GTK_WIDGET (column_view), scroll_tick, &scroll, NULL);
  if (!wait_until (scroll_done, &scroll))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 "Scrolling %u frames took more than %d s", frames, WAIT_SECONDS);
  g_signal_handlers_disconnect_by_data (clock, &scroll);

  /* With BENCH_SCROLL_FRAMES set: which frames were long, to tell the jump
   * half way, or a page arriving, from steady scrolling. */
  if (g_getenv ("BENCH_SCROLL_FRAMES"))
    {
      double work_median = bench_median (scroll.work);
      double interval_median = bench_median (scroll.intervals);

      for (guint i = 0; i < scroll.work->len; i++)
        if (g_array_index (scroll.work, double, i) > 2 * work_median)
          g_printerr ("  frame %u: work %.2f ms (median %.2f)\n", i,
                      g_array_index (scroll.work, double, i), work_median);
      for (guint i = 0; i < scroll.intervals->len; i++)
        if (g_array_index (scroll.intervals, double, i) > 2 * interval_median)
          g_printerr ("  frame %u: interval %.2f ms (median %.2f)\n", i,
                      g_array_index (scroll.intervals, double, i), interval_median);
    }

  result->label = bench_format_count (ready.expected);
  result->frames = scroll.intervals->len;
  result->interval_median = bench_median (scroll.intervals);
  result->interval_p99 = bench_percentile (scroll.intervals, 0.99);
  result->interval_max = bench_max (scroll.intervals);
  result->work_median = bench_median (scroll.work);
  result->work_p99 = bench_percentile (scroll.work, 0.99);
  result->work_max = bench_max (scroll.work);
  result->blank_frames = scroll.blank_frames;
  result->idle_fps = idle_frames;
  result->rows_ms = rows_ms;
  {
    double total = 0;

    for (guint i = 0; i < scroll.intervals->len; i++)
      total += g_array_index (scroll.intervals, double, i);
    result->fps = total > 0 ? 1000.0 * scroll.intervals->len / total : 0;
  }

  g_array_unref (scroll.intervals);
  g_array_unref (scroll.work);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (0.5);
  return error == NULL || *error == NULL;
}

int
main (int   argc,
      char *argv[])
{
  gint64 sizes[2] = { 0, 0 };
  int frames = 600;
  double step = 0.5;
  GOptionEntry entries[] = {
    { "small", 0, 0, G_OPTION_ARG_INT64, &sizes[0],
      "Baseline catalog (OMNISTOCK_BENCH_SMALL, else 1000)", "N" },
    { "large", 0, 0, G_OPTION_ARG_INT64, &sizes[1],
      "Large catalog (OMNISTOCK_BENCH_LARGE, else 10000)", "N" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames to scroll (600)", "N" },
    { "step", 0, 0, G_OPTION_ARG_DOUBLE, &step, "Pages per frame (0.5)", "F" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— frame times while scrolling");
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniApplication) app = NULL;
  Result results[2] = { 0 };
  const Result *large = &results[1];
  double ratio;

  /* The benchmark must not touch the user's settings. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-scroll: %s\n", error->message);
      return 2;
    }
  if (frames < 10 || frames > 100000 || step <= 0 || step > 10)
    {
      g_printerr ("bench-scroll: --frames must be from 10 to 100000, --step from 0 to 10\n");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("bench-scroll: no display; run it under xvfb-run (skipped)\n");
      return 77;
    }
  if (sizes[0] <= 0)
    sizes[0] = bench_size_from_env ("OMNISTOCK_BENCH_SMALL", BENCH_DEFAULT_SMALL);
  if (sizes[1] <= 0)
    sizes[1] = bench_size_from_env ("OMNISTOCK_BENCH_LARGE", BENCH_DEFAULT_LARGE);

  gtk_init ();
  adw_init ();
  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("bench-scroll: %s\n", error->message);
      return 2;
    }

  for (guint s = 0; s < 2; s++)
    if (!run_size (app, sizes[s], (guint)frames, step, &results[s], &error))
      {
        g_printerr ("bench-scroll: %s\n", error->message);
        return 1;
      }

  g_print ("Scrolling the product list, %d frames at %.2f pages a frame (renderer: %s)\n",
           frames, step, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  g_print ("%-8s %6s %6s | %9s %8s %8s %8s | %9s %8s %8s | %6s %8s %9s\n",
           "variants", "frames", "fps", "interval", "p99", "max", "max/med",
           "work med", "p99", "max", "blank", "idle fps", "rows ms");
  for (guint s = 0; s < 2; s++)
    {
      const Result *r = &results[s];

      g_print ("%-8s %6u %6.1f | %9.2f %8.2f %8.2f %7.2fx | %9.2f %8.2f %8.2f | %6u %8.0f %9.0f\n",
               r->label, r->frames, r->fps, r->interval_median, r->interval_p99, r->interval_max,
               r->interval_max / r->interval_median, r->work_median, r->work_p99, r->work_max,
               r->blank_frames, r->idle_fps, r->rows_ms);
    }
  ratio = large->interval_max / large->interval_median;
  g_print ("SUMMARY scroll %s: %.1f fps, frame interval median %.2f ms, p99 %.2f ms, max %.2f ms"
           " = %.2fx the median (goal <= %.0fx); %s: %.1f fps, max %.2fx: %s\n",
           large->label, large->fps, large->interval_median, large->interval_p99,
           large->interval_max, ratio, GOAL_MAX_OVER_MEDIAN, results[0].label, results[0].fps,
           results[0].interval_max / results[0].interval_median,
           ratio <= GOAL_MAX_OVER_MEDIAN ? "met" : "MISSED");

  for (guint s = 0; s < 2; s++)
    g_free (results[s].label);
  return 0;
}
