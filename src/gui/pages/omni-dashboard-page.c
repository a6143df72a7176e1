/* omni-dashboard-page.c: the shop at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything on the page comes from aggregate queries (store statistics,
 * daily sales per channel, stock value by type and vendor, best sellers,
 * slow movers, what is due for reordering), read together by a worker with
 * its own connection each time the page is shown or the context says the
 * store changed; the main loop only lays the figures out. Changes that come
 * while a read runs mark it stale, and one more read follows. The tiles for
 * products, low and out of stock open the product list with that stock
 * filter. An empty database gets a welcome instead, with the offer of demo
 * data.
 */
#define G_LOG_DOMAIN "omni-dashboard-page"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-chart.h"
#include "omni-currency.h"
#include "omni-dashboard-page.h"
#include "omni-product-filter-bar.h"
#include "omni-products-page.h"
#include "omni-stat-tile.h"
#include "omni-store-channel.h"
#include "omni-store-demo.h"
#include "omni-store-report.h"
#include "omni-window.h"
#include "omni-worker.h"
#include "omni-toast.h"

/* The longest sales window the chart offers, in days. */
#define SALES_DAYS 90
#define SALES_WINDOW 30
#define TOP_SELLERS 6
#define SLOW_MOVERS 6
#define ATTENTION_ROWS 8
#define VALUE_GROUPS 8

/* What one read brings back. */
typedef struct
{
  gboolean        is_empty;
  OmniStoreStats  stats;
  char           *days[SALES_DAYS];   /* YYYY-MM-DD, oldest first, ending today (UTC) */
  GPtrArray      *daily;              /* OmniSalesRow: key day, label channel */
  GPtrArray      *by_type;            /* OmniValueGroup */
  GPtrArray      *by_vendor;          /* OmniValueGroup */
  GPtrArray      *top;                /* OmniSalesRow by variant, last 30 days */
  GPtrArray      *slow;               /* OmniReorderRow */
  GPtrArray      *due;                /* OmniReorderRow: the ATTENTION_ROWS with least cover */
  gint64          n_due;              /* all variants due for reordering */
  GPtrArray      *channels;           /* OmniChannel */
} DashboardData;

struct _OmniDashboardPage
{
  OmniPage        parent_instance;

  GtkStack       *stack;
  AdwStatusPage  *error_page;
  GtkFlowBox     *tiles;
  OmniStatTile   *products_tile;
  OmniStatTile   *variants_tile;
  OmniStatTile   *units_tile;
  OmniStatTile   *value_tile;
  OmniStatTile   *retail_tile;
  OmniStatTile   *low_tile;
  OmniStatTile   *out_tile;
  OmniStatTile   *sales7_tile;
  OmniStatTile   *sales30_tile;
  OmniStatTile   *sync_tile;
  OmniStatTile   *channels_tile;
  OmniChart      *sales_chart;
  OmniChart      *value_chart;
  OmniChart      *top_chart;
  GtkToggleButton *revenue_toggle;
  GtkToggleButton *days90_toggle;
  GtkToggleButton *vendor_toggle;
  GtkLabel       *attention_title;
  GtkListBox     *attention_list;
  GtkListBox     *slow_list;

  DashboardData  *data;

  /* Non-NULL while a worker runs; one of each at most. */
  GCancellable   *stats_cancellable;
  GCancellable   *demo_cancellable;

  /* The store changed while the figures were being read: read again. */
  guint           stats_stale : 1;
  /* "Start Empty" was chosen: show the (zero) figures, not the welcome. */
  guint           welcome_dismissed : 1;
};

G_DEFINE_FINAL_TYPE (OmniDashboardPage, omni_dashboard_page, OMNI_TYPE_PAGE)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (OmniDashboardPage *self);

static void
dashboard_data_free (DashboardData *data)
{
  if (data == NULL)
    return;

  omni_store_stats_clear (&data->stats);
  for (guint i = 0; i < SALES_DAYS; i++)
    g_free (data->days[i]);
  g_clear_pointer (&data->daily, g_ptr_array_unref);
  g_clear_pointer (&data->by_type, g_ptr_array_unref);
  g_clear_pointer (&data->by_vendor, g_ptr_array_unref);
  g_clear_pointer (&data->top, g_ptr_array_unref);
  g_clear_pointer (&data->slow, g_ptr_array_unref);
  g_clear_pointer (&data->due, g_ptr_array_unref);
  g_clear_pointer (&data->channels, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DashboardData, dashboard_data_free)

/* The worker ------------------------------------------------------------ */

static gboolean
read_sales (OmniStore      *store,
            DashboardData  *data,
            GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = g_date_time_new_utc (g_date_time_get_year (now),
                                                    g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now),
                                                    0, 0, 0);
  g_autoptr(GDateTime) first = g_date_time_add_days (today, 1 - SALES_DAYS);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  g_autofree char *from = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (tomorrow, "%Y-%m-%d");
  const OmniReportRange range = { from, to };

  for (int i = 0; i < SALES_DAYS; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (first, i);

      data->days[i] = g_date_time_format (day, "%Y-%m-%d");
    }

  data->daily = omni_report_sales_by_day_and_channel (store, &range, error);
  if (data->daily == NULL)
    return FALSE;
  /* Most units over the last SALES_WINDOW days, from the per-variant sums
   * the store keeps (schema 5): a few rows at any catalog size. */
  data->top = omni_report_top_sellers (store, NULL, SALES_WINDOW, TOP_SELLERS, error);
  if (data->top == NULL)
    return FALSE;

  return TRUE;
}

static DashboardData *
read_dashboard (const char    *path,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(DashboardData) data = g_new0 (DashboardData, 1);

  if (!(store = omni_store_open (path, error)) ||
      !omni_store_get_stats (store, &data->stats, error))
    return NULL;
  data->is_empty = omni_store_is_empty (store);
  if (data->is_empty)
    return g_steal_pointer (&data);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !read_sales (store, data, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !(data->by_type = omni_report_value_by (store, "product_type", error)) ||
      !(data->by_vendor = omni_report_value_by (store, "vendor", error)) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !(data->slow = omni_report_slow_movers (store, SALES_WINDOW, SLOW_MOVERS, error)) ||
      !(data->due = omni_report_reorder_top (store, SALES_WINDOW, ATTENTION_ROWS,
                                             &data->n_due, error)) ||
      !(data->channels = omni_store_list_channels (store, error)))
    return NULL;

  return g_steal_pointer (&data);
}

static void
read_dashboard_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  DashboardData *data = read_dashboard (task_data, cancellable, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) dashboard_data_free);
}

/* Showing the figures ----------------------------------------------------- */

static void
notify_busy (OmniDashboardPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_toast (OmniDashboardPage *self,
            const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), omni_toast_new_text (text));
}

static void
set_count (OmniStatTile *tile,
           gint64        count)
{
  g_autofree char *text = g_strdup_printf ("%'" G_GINT64_FORMAT, count);

  omni_stat_tile_set_value (tile, text);
}

/* Tiles that need attention take the warning or error colour. */
static void
set_alert (OmniStatTile *tile,
           const char   *css_class,
           gboolean      alert)
{
  if (alert)
    gtk_widget_add_css_class (GTK_WIDGET (tile), css_class);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (tile), css_class);
}

static const char *
currency_of (OmniDashboardPage *self)
{
  return self->data != NULL && self->data->stats.currency != NULL
         ? self->data->stats.currency : "USD";
}

/* Units and revenue over the last @days days, from the daily rows. */
static void
sum_sales (const DashboardData *data,
           guint                days,
           gint64              *units,
           OmniMoney           *revenue)
{
  const char *first = data->days[SALES_DAYS - days];

  *units = 0;
  *revenue = 0;
  for (guint i = 0; data->daily != NULL && i < data->daily->len; i++)
    {
      const OmniSalesRow *row = g_ptr_array_index (data->daily, i);

      if (g_strcmp0 (row->key, first) >= 0)
        {
          *units += row->units;
          *revenue += row->revenue;
        }
    }
}

static void
show_sales_tile (OmniDashboardPage *self,
                 OmniStatTile      *tile,
                 guint              days)
{
  gint64 units;
  OmniMoney revenue;
  g_autofree char *value = NULL;
  g_autofree char *detail = NULL;

  sum_sales (self->data, days, &units, &revenue);
  value = omni_currency_format (revenue, currency_of (self));
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" PRId64 " unit",
                                         "%'" PRId64 " units", units), units);
  omni_stat_tile_set_value (tile, value);
  omni_stat_tile_set_detail (tile, detail);
}

static void
show_channels_tile (OmniDashboardPage *self)
{
  GPtrArray *channels = self->data->channels;
  guint connected = 0, failing = 0;
  const char *message = NULL;
  g_autofree char *value = NULL;

  for (guint i = 0; channels != NULL && i < channels->len; i++)
    {
      const OmniChannel *channel = g_ptr_array_index (channels, i);

      if (g_str_equal (channel->state, "connected"))
        connected++;
      else if (g_str_equal (channel->state, "error") ||
               g_str_equal (channel->state, "auth_failed"))
        {
          failing++;
          if (message == NULL)
            message = channel->last_error;
        }
    }

  if (channels == NULL || channels->len == 0)
    {
      omni_stat_tile_set_value (self->channels_tile, _("None"));
      omni_stat_tile_set_detail (self->channels_tile, NULL);
    }
  else if (failing > 0)
    {
      value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Error", "%u Errors", failing),
                               failing);
      omni_stat_tile_set_value (self->channels_tile, value);
      omni_stat_tile_set_detail (self->channels_tile, message);
    }
  else
    {
      value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Connected", "%u Connected",
                                            connected), connected);
      omni_stat_tile_set_value (self->channels_tile, value);
      omni_stat_tile_set_detail (self->channels_tile,
                                 self->data->stats.pending_outbox > 0 ? _("Syncing") : NULL);
    }
  set_alert (self->channels_tile, "error", failing > 0);
}

static void
show_tiles (OmniDashboardPage *self)
{
  const OmniStoreStats *stats = &self->data->stats;
  g_autofree char *value = omni_currency_format (stats->stock_value, stats->currency);
  g_autofree char *retail = omni_currency_format (stats->retail_value, stats->currency);

  set_count (self->products_tile, stats->products);
  set_count (self->variants_tile, stats->variants);
  set_count (self->units_tile, stats->units_on_hand);
  omni_stat_tile_set_value (self->value_tile, value);
  omni_stat_tile_set_value (self->retail_tile, retail);
  set_count (self->low_tile, stats->low_stock);
  set_count (self->out_tile, stats->out_of_stock);
  set_alert (self->low_tile, "warning", stats->low_stock > 0);
  set_alert (self->out_tile, "error", stats->out_of_stock > 0);
  set_count (self->sync_tile, stats->pending_outbox);
  if (self->data->daily != NULL)
    {
      show_sales_tile (self, self->sales7_tile, 7);
      show_sales_tile (self, self->sales30_tile, SALES_WINDOW);
      show_channels_tile (self);
    }
}

/* "Nov 29" for the chart's axis. */
static char *
short_day (const char *day)
{
  g_autofree char *midnight = g_strconcat (day, "T00:00:00Z", NULL);
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (midnight, NULL);

  return time != NULL ? g_date_time_format (time, "%b %-d") : g_strdup (day);
}

static void
show_sales_chart (OmniDashboardPage *self)
{
  gboolean revenue = gtk_toggle_button_get_active (self->revenue_toggle);
  guint days = gtk_toggle_button_get_active (self->days90_toggle) ? SALES_DAYS : SALES_WINDOW;
  guint offset = SALES_DAYS - days;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) series = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) day_index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < days; i++)
    {
      g_ptr_array_add (labels, short_day (self->data->days[offset + i]));
      g_hash_table_insert (day_index, self->data->days[offset + i], GUINT_TO_POINTER (i + 1));
    }

  /* A series per channel, in the order the channels first sold. */
  for (guint i = 0; i < self->data->daily->len; i++)
    {
      const OmniSalesRow *row = g_ptr_array_index (self->data->daily, i);
      guint day = GPOINTER_TO_UINT (g_hash_table_lookup (day_index, row->key));
      double *values;

      if (day == 0)
        continue;
      values = g_hash_table_lookup (series, row->label);
      if (values == NULL)
        {
          values = g_new0 (double, days);
          g_hash_table_insert (series, row->label, values);
          g_ptr_array_add (names, row->label);
        }
      values[day - 1] += revenue ? (double) row->revenue : (double) row->units;
    }

  omni_chart_set_format (self->sales_chart,
                         revenue ? OMNI_CHART_FORMAT_MONEY : OMNI_CHART_FORMAT_COUNT,
                         currency_of (self));
  if (names->len == 0)
    {
      omni_chart_set_categories (self->sales_chart, NULL, 0);
      return;
    }
  omni_chart_set_categories (self->sales_chart, (const char * const *) labels->pdata,
                             labels->len);
  for (guint i = 0; i < names->len; i++)
    omni_chart_add_series (self->sales_chart, names->pdata[i],
                           g_hash_table_lookup (series, names->pdata[i]), days);
}

static void
show_value_chart (OmniDashboardPage *self)
{
  gboolean vendor = gtk_toggle_button_get_active (self->vendor_toggle);
  GPtrArray *groups = vendor ? self->data->by_vendor : self->data->by_type;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  double rest = 0;

  for (guint i = 0; i < groups->len; i++)
    {
      const OmniValueGroup *group = g_ptr_array_index (groups, i);
      double value = group->cost_value;

      /* The largest groups by name; the rest summed into "Other". */
      if (i >= VALUE_GROUPS - 1 && groups->len > VALUE_GROUPS)
        {
          rest += value;
          continue;
        }
      g_ptr_array_add (labels, (gpointer) (*group->label != '\0'
                                           ? group->label
                                           : vendor ? _("No vendor") : _("No type")));
      g_array_append_val (values, value);
    }
  if (groups->len > VALUE_GROUPS)
    {
      g_ptr_array_add (labels, (gpointer) _("Other"));
      g_array_append_val (values, rest);
    }

  omni_chart_set_format (self->value_chart, OMNI_CHART_FORMAT_MONEY, currency_of (self));
  omni_chart_set_categories (self->value_chart, (const char * const *) labels->pdata,
                             labels->len);
  if (labels->len > 0)
    omni_chart_add_series (self->value_chart, _("Value at cost"),
                           &g_array_index (values, const double, 0), values->len);
}

static void
show_top_chart (OmniDashboardPage *self)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < self->data->top->len; i++)
    {
      const OmniSalesRow *row = g_ptr_array_index (self->data->top, i);
      double units = row->units;

      if (row->units <= 0)
        continue;
      g_ptr_array_add (labels, row->label);
      g_array_append_val (values, units);
    }

  omni_chart_set_categories (self->top_chart, (const char * const *) labels->pdata,
                             labels->len);
  if (labels->len > 0)
    omni_chart_add_series (self->top_chart, _("Units sold"), &g_array_index (values, const double, 0),
                           values->len);
}

static char *
variant_title (const OmniReorderRow *row)
{
  if (row->options == NULL || *row->options == '\0')
    return g_strdup (row->title);
  return g_strdup_printf ("%s — %s", row->title, row->options);
}

static char *
cover_text (gint64 available,
            double days)
{
  if (available <= 0)
    return g_strdup (_("Out of stock"));
  if (days < 0)
    return g_strdup (_("No recent sales"));
  /* TRANSLATORS: days of cover: how long the stock lasts at the recent rate */
  return g_strdup_printf (_("%.1f days of cover"), days);
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle,
         const char *suffix,
         const char *suffix_detail)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *main_label = gtk_label_new (suffix);
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (main_label), 1);
  gtk_widget_add_css_class (main_label, "numeric");
  gtk_box_append (GTK_BOX (box), main_label);
  if (suffix_detail != NULL)
    {
      GtkWidget *detail = gtk_label_new (suffix_detail);

      gtk_label_set_xalign (GTK_LABEL (detail), 1);
      gtk_widget_add_css_class (detail, "caption");
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_box_append (GTK_BOX (box), detail);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void
show_attention (OmniDashboardPage *self)
{
  GPtrArray *due = self->data->due;
  guint n_due = (guint) MIN (self->data->n_due, G_MAXUINT);
  g_autofree char *title = NULL;

  clear_list (self->attention_list);
  for (guint i = 0; i < MIN (due->len, ATTENTION_ROWS); i++)
    {
      const OmniReorderRow *row = g_ptr_array_index (due, i);
      g_autofree char *name = variant_title (row);
      g_autofree char *subtitle = NULL;
      g_autofree char *order = NULL;
      g_autofree char *cover = cover_text (row->available, row->days_of_cover);

      subtitle = g_strdup_printf (_("%s · %'" PRId64 " available, reorder at %'"
                                    PRId64), row->sku != NULL ? row->sku : "",
                                  row->available, MAX (row->reorder_point, 0));
      order = g_strdup_printf (_("Order %'" PRId64), row->suggested);
      gtk_list_box_append (self->attention_list, new_row (name, subtitle, order, cover));
    }
  if (n_due == 0)
    add_placeholder (self->attention_list, _("Nothing is below its reorder point"));

  if (n_due > ATTENTION_ROWS)
    title = g_strdup_printf (_("Needs Attention (%u, the %u with least cover shown)"),
                             n_due, ATTENTION_ROWS);
  else if (n_due > 0)
    title = g_strdup_printf (_("Needs Attention (%u)"), n_due);
  else
    title = g_strdup (_("Needs Attention"));
  gtk_label_set_label (self->attention_title, title);
}

static void
show_slow_movers (OmniDashboardPage *self)
{
  GPtrArray *slow = self->data->slow;

  clear_list (self->slow_list);
  for (guint i = 0; i < slow->len; i++)
    {
      const OmniReorderRow *row = g_ptr_array_index (slow, i);
      g_autofree char *name = variant_title (row);
      g_autofree char *subtitle = NULL;
      g_autofree char *tied = omni_currency_format (MAX (row->available, 0) * row->unit_cost,
                                                    currency_of (self));
      g_autofree char *sold = NULL;

      subtitle = g_strdup_printf (_("%s · %'" PRId64 " available"),
                                  row->sku != NULL ? row->sku : "", row->available);
      sold = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" PRId64 " sold",
                                           "%'" PRId64 " sold", row->units_sold),
                              row->units_sold);
      gtk_list_box_append (self->slow_list, new_row (name, subtitle, tied, sold));
    }
  if (slow->len == 0)
    add_placeholder (self->slow_list, _("No stock on hand"));
}

static void
show_figures (OmniDashboardPage *self)
{
  show_tiles (self);
  if (self->data->daily != NULL)
    {
      show_sales_chart (self);
      show_value_chart (self);
      show_top_chart (self);
      show_attention (self);
      show_slow_movers (self);
    }

  gtk_stack_set_visible_child_name (self->stack, "figures");
}

static void
toggled_cb (OmniDashboardPage *self,
            GtkToggleButton   *button)
{
  /* Each group toggles twice (off, then on): redraw once, on the "on". */
  if (!gtk_toggle_button_get_active (button) || self->data == NULL ||
      self->data->daily == NULL)
    return;

  show_sales_chart (self);
  show_value_chart (self);
}

/* Tiles open the product list with the matching stock filter. */
static void
tile_activated_cb (OmniDashboardPage *self,
                   GtkFlowBoxChild   *child)
{
  GtkWidget *tile = gtk_flow_box_child_get_child (child);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  OmniStockFilter filter;
  GtkWidget *products;

  if (tile == GTK_WIDGET (self->low_tile))
    filter = OMNI_STOCK_LOW;
  else if (tile == GTK_WIDGET (self->out_tile))
    filter = OMNI_STOCK_OUT;
  else if (tile == GTK_WIDGET (self->products_tile) || tile == GTK_WIDGET (self->variants_tile))
    filter = OMNI_STOCK_ANY;
  else
    return;

  if (!OMNI_IS_WINDOW (root))
    return;
  products = omni_window_get_page (OMNI_WINDOW (root), "products");
  if (OMNI_IS_PRODUCTS_PAGE (products))
    {
      OmniProductFilterBar *bar =
        OMNI_PRODUCT_FILTER_BAR (omni_products_page_get_filter_bar (OMNI_PRODUCTS_PAGE (products)));

      omni_product_filter_bar_clear (bar);
      omni_product_filter_bar_set_stock (bar, filter);
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "products");
}

static void
show_error (OmniDashboardPage *self,
            const GError      *error)
{
  /* The description is markup; the message is plain text. */
  g_autofree char *markup = g_markup_escape_text (error->message, -1);

  adw_status_page_set_description (self->error_page, markup);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
read_dashboard_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OmniDashboardPage *self;
  g_autoptr(DashboardData) data = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled only in dispose: the page may be gone, touch nothing. */
  data = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_DASHBOARD_PAGE (user_data);
  g_clear_object (&self->stats_cancellable);

  if (data != NULL)
    {
      g_clear_pointer (&self->data, dashboard_data_free);
      self->data = g_steal_pointer (&data);
    }

  if (self->stats_stale)
    refresh (self);
  else if (self->demo_cancellable != NULL)
    ; /* the demo's end brings fresh figures */
  else if (error != NULL)
    show_error (self, error);
  else if (self->data->is_empty && !self->welcome_dismissed)
    gtk_stack_set_visible_child_name (self->stack, "welcome");
  else
    show_figures (self);

  notify_busy (self);
}

/* Rapid changes cost one read at a time: a change during a read marks the
 * figures stale, and the read starts over when it ends. */
static void
refresh (OmniDashboardPage *self)
{
  OmniStore *store = omni_context_get_store (omni_page_get_context (OMNI_PAGE (self)));
  g_autoptr(GTask) task = NULL;

  if (self->stats_cancellable != NULL)
    {
      self->stats_stale = TRUE;
      return;
    }

  self->stats_stale = FALSE;
  self->stats_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->stats_cancellable, read_dashboard_cb, self);
  g_task_set_source_tag (task, refresh);
  g_task_set_task_data (task, g_strdup (omni_store_get_path (store)), g_free);
  g_task_run_in_thread (task, read_dashboard_thread);
  notify_busy (self);
}

static void
load_demo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  OmniDashboardPage *self;
  g_autoptr(GError) error = NULL;
  gboolean loaded = FALSE;

  if (!omni_worker_load_demo_finish (result, &loaded, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_DASHBOARD_PAGE (user_data);
  g_clear_object (&self->demo_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.load-demo", TRUE);

  if (error != NULL)
    show_toast (self, error->message);
  else if (loaded)
    show_toast (self, _("Demo data loaded"));

  /* Every view of the context re-reads, this page included. */
  if (loaded)
    omni_context_store_changed (omni_page_get_context (OMNI_PAGE (self)));
  else
    refresh (self);

  notify_busy (self);
}

static void
load_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  omni_dashboard_page_load_demo (OMNI_DASHBOARD_PAGE (widget));
}

static void
start_empty_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  OmniDashboardPage *self = OMNI_DASHBOARD_PAGE (widget);

  self->welcome_dismissed = TRUE;
  refresh (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  refresh (OMNI_DASHBOARD_PAGE (widget));
}

static void
omni_dashboard_page_constructed (GObject *object)
{
  OmniDashboardPage *self = OMNI_DASHBOARD_PAGE (object);

  G_OBJECT_CLASS (omni_dashboard_page_parent_class)->constructed (object);

  g_signal_connect_object (omni_page_get_context (OMNI_PAGE (self)),
                           "store-changed",
                           G_CALLBACK (refresh),
                           self,
                           G_CONNECT_SWAPPED);
}

static void
omni_dashboard_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (omni_dashboard_page_parent_class)->map (widget);

  refresh (OMNI_DASHBOARD_PAGE (widget));
}

static void
omni_dashboard_page_dispose (GObject *object)
{
  OmniDashboardPage *self = OMNI_DASHBOARD_PAGE (object);

  g_cancellable_cancel (self->stats_cancellable);
  g_clear_object (&self->stats_cancellable);
  g_cancellable_cancel (self->demo_cancellable);
  g_clear_object (&self->demo_cancellable);
  g_clear_pointer (&self->data, dashboard_data_free);

  /* The stack is both a template child and the bin's child: let the bin
   * unparent it first, or both would. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_DASHBOARD_PAGE);

  G_OBJECT_CLASS (omni_dashboard_page_parent_class)->dispose (object);
}

static void
omni_dashboard_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OmniDashboardPage *self = OMNI_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, omni_dashboard_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_dashboard_page_class_init (OmniDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_dashboard_page_constructed;
  object_class->dispose = omni_dashboard_page_dispose;
  object_class->get_property = omni_dashboard_page_get_property;

  /* Whether a worker reads or writes the database for this page. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = omni_dashboard_page_map;

  g_type_ensure (OMNI_TYPE_STAT_TILE);
  g_type_ensure (OMNI_TYPE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, products_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, variants_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, units_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, value_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, low_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, out_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, tiles);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, retail_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, sales7_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, sales30_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, sync_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, channels_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, sales_chart);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, value_chart);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, top_chart);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, revenue_toggle);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, days90_toggle);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, vendor_toggle);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, attention_title);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, attention_list);
  gtk_widget_class_bind_template_child (widget_class, OmniDashboardPage, slow_list);
  gtk_widget_class_bind_template_callback (widget_class, tile_activated_cb);

  gtk_widget_class_install_action (widget_class, "dashboard.load-demo", NULL, load_demo_action);
  gtk_widget_class_install_action (widget_class, "dashboard.start-empty", NULL,
                                   start_empty_action);
  gtk_widget_class_install_action (widget_class, "dashboard.refresh", NULL, refresh_action);
}

static void
omni_dashboard_page_init (OmniDashboardPage *self)
{
  GtkToggleButton *toggles[3];

  gtk_widget_init_template (GTK_WIDGET (self));

  omni_chart_set_kind (self->sales_chart, OMNI_CHART_LINE);
  omni_chart_set_kind (self->value_chart, OMNI_CHART_BAR);
  omni_chart_set_kind (self->top_chart, OMNI_CHART_BAR);
  omni_chart_set_empty_text (self->sales_chart, _("No sales in this period"));
  omni_chart_set_empty_text (self->value_chart, _("No stock on hand"));
  omni_chart_set_empty_text (self->top_chart, _("No sales in the last 30 days"));

  /* The other button of each pair turns off when these turn on. */
  toggles[0] = self->revenue_toggle;
  toggles[1] = self->days90_toggle;
  toggles[2] = self->vendor_toggle;
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      GtkWidget *group = gtk_widget_get_parent (GTK_WIDGET (toggles[i]));

      for (GtkWidget *child = gtk_widget_get_first_child (group); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_signal_connect_object (child, "toggled", G_CALLBACK (toggled_cb), self,
                                 G_CONNECT_SWAPPED);
    }
}

/**
 * omni_dashboard_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_dashboard_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_DASHBOARD_PAGE,
                       "context", context,
                       NULL);
}

/**
 * omni_dashboard_page_get_view:
 *
 * Which view the page shows: "loading", "welcome", "loading-demo",
 * "figures" or "error".
 *
 * Returns: the view's name
 */
const char *
omni_dashboard_page_get_view (OmniDashboardPage *self)
{
  g_return_val_if_fail (OMNI_IS_DASHBOARD_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * omni_dashboard_page_get_busy:
 *
 * Returns: whether a worker is reading or writing the database for the page
 */
gboolean
omni_dashboard_page_get_busy (OmniDashboardPage *self)
{
  g_return_val_if_fail (OMNI_IS_DASHBOARD_PAGE (self), FALSE);

  return self->stats_cancellable != NULL || self->demo_cancellable != NULL;
}

/**
 * omni_dashboard_page_load_demo:
 *
 * Fills an empty database with demo data in a worker, showing progress
 * meanwhile. A database that holds data already is left alone.
 */
void
omni_dashboard_page_load_demo (OmniDashboardPage *self)
{
  OmniStore *store;

  g_return_if_fail (OMNI_IS_DASHBOARD_PAGE (self));

  if (self->demo_cancellable != NULL)
    return;

  store = omni_context_get_store (omni_page_get_context (OMNI_PAGE (self)));
  self->demo_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.load-demo", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading-demo");

  omni_worker_load_demo_async (omni_store_get_path (store),
                               OMNI_DEMO_DEFAULT_SEED,
                               self->demo_cancellable,
                               load_demo_cb,
                               self);
  notify_busy (self);
}

/**
 * omni_dashboard_page_get_chart:
 * @name: "sales", "value" or "top"
 *
 * Returns: (transfer none) (nullable): that chart
 */
OmniChart *
omni_dashboard_page_get_chart (OmniDashboardPage *self,
                               const char        *name)
{
  g_return_val_if_fail (OMNI_IS_DASHBOARD_PAGE (self), NULL);

  if (g_strcmp0 (name, "sales") == 0)
    return self->sales_chart;
  if (g_strcmp0 (name, "value") == 0)
    return self->value_chart;
  if (g_strcmp0 (name, "top") == 0)
    return self->top_chart;
  return NULL;
}

/**
 * omni_dashboard_page_get_tile:
 * @name: "products", "variants", "units", "value", "retail", "low", "out",
 *   "sales7", "sales30", "sync" or "channels"
 *
 * Returns: (transfer none) (nullable): that tile
 */
OmniStatTile *
omni_dashboard_page_get_tile (OmniDashboardPage *self,
                              const char        *name)
{
  struct { const char *name; OmniStatTile *tile; } tiles[] = {
    { "products", self->products_tile }, { "variants", self->variants_tile },
    { "units", self->units_tile }, { "value", self->value_tile },
    { "retail", self->retail_tile }, { "low", self->low_tile }, { "out", self->out_tile },
    { "sales7", self->sales7_tile }, { "sales30", self->sales30_tile },
    { "sync", self->sync_tile }, { "channels", self->channels_tile },
  };

  g_return_val_if_fail (OMNI_IS_DASHBOARD_PAGE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      if (g_strcmp0 (tiles[i].name, name) == 0)
        return tiles[i].tile;
    }
  return NULL;
}

/**
 * omni_dashboard_page_get_list:
 * @name: "attention" or "slow"
 *
 * Returns: (transfer none) (nullable): that list
 */
GtkListBox *
omni_dashboard_page_get_list (OmniDashboardPage *self,
                              const char        *name)
{
  g_return_val_if_fail (OMNI_IS_DASHBOARD_PAGE (self), NULL);

  if (g_strcmp0 (name, "attention") == 0)
    return self->attention_list;
  if (g_strcmp0 (name, "slow") == 0)
    return self->slow_list;
  return NULL;
}

/**
 * omni_dashboard_page_get_toggle:
 * @name: "revenue", "units", "days30", "days90", "type" or "vendor"
 *
 * Returns: (transfer none) (nullable): the chart toggle of that name
 */
GtkToggleButton *
omni_dashboard_page_get_toggle (OmniDashboardPage *self,
                                const char        *name)
{
  GtkToggleButton *first = NULL;
  GtkWidget *other;

  g_return_val_if_fail (OMNI_IS_DASHBOARD_PAGE (self), NULL);

  if (g_strcmp0 (name, "revenue") == 0 || g_strcmp0 (name, "units") == 0)
    first = self->revenue_toggle;
  else if (g_strcmp0 (name, "days90") == 0 || g_strcmp0 (name, "days30") == 0)
    first = self->days90_toggle;
  else if (g_strcmp0 (name, "vendor") == 0 || g_strcmp0 (name, "type") == 0)
    first = self->vendor_toggle;
  if (first == NULL)
    return NULL;
  if (g_str_equal (name, "revenue") || g_str_equal (name, "days90") ||
      g_str_equal (name, "vendor"))
    return first;

  /* The other button of the pair comes first in its box. */
  other = gtk_widget_get_prev_sibling (GTK_WIDGET (first));
  return other != NULL ? GTK_TOGGLE_BUTTON (other) : NULL;
}
