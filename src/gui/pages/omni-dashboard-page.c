/* omni-dashboard-page.c: the shop at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures come from omni_store_get_stats(), a query that grows with the
 * catalog, so they are read by a worker with its own connection each time
 * the page is shown or the context says the store changed. An empty
 * database gets a welcome instead, with the offer of demo data.
 */
#define G_LOG_DOMAIN "omni-dashboard-page"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-currency.h"
#include "omni-dashboard-page.h"
#include "omni-stat-tile.h"
#include "omni-store-demo.h"
#include "omni-worker.h"

struct _OmniDashboardPage
{
  OmniPage        parent_instance;

  GtkStack       *stack;
  AdwStatusPage  *error_page;
  OmniStatTile   *products_tile;
  OmniStatTile   *variants_tile;
  OmniStatTile   *units_tile;
  OmniStatTile   *value_tile;
  OmniStatTile   *low_tile;
  OmniStatTile   *out_tile;

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
notify_busy (OmniDashboardPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Toast titles are markup; @text is plain. */
static void
show_toast (OmniDashboardPage *self,
            const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *title = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
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

static void
show_figures (OmniDashboardPage    *self,
              const OmniStoreStats *stats)
{
  g_autofree char *value = omni_currency_format (stats->stock_value, stats->currency);

  set_count (self->products_tile, stats->products);
  set_count (self->variants_tile, stats->variants);
  set_count (self->units_tile, stats->units_on_hand);
  omni_stat_tile_set_value (self->value_tile, value);
  set_count (self->low_tile, stats->low_stock);
  set_count (self->out_tile, stats->out_of_stock);
  set_alert (self->low_tile, "warning", stats->low_stock > 0);
  set_alert (self->out_tile, "error", stats->out_of_stock > 0);

  gtk_stack_set_visible_child_name (self->stack, "figures");
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
load_stats_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  OmniDashboardPage *self;
  g_autoptr(OmniStatsResult) stats = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled only in dispose: the page may be gone, touch nothing. */
  stats = omni_worker_load_stats_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_DASHBOARD_PAGE (user_data);
  g_clear_object (&self->stats_cancellable);

  if (self->stats_stale)
    refresh (self);
  else if (self->demo_cancellable != NULL)
    ; /* the demo's end brings fresh figures */
  else if (stats == NULL)
    show_error (self, error);
  else if (stats->is_empty && !self->welcome_dismissed)
    gtk_stack_set_visible_child_name (self->stack, "welcome");
  else
    show_figures (self, &stats->stats);

  notify_busy (self);
}

/* Rapid changes cost one read at a time: a change during a read marks the
 * figures stale, and the read starts over when it ends. */
static void
refresh (OmniDashboardPage *self)
{
  OmniStore *store = omni_context_get_store (omni_page_get_context (OMNI_PAGE (self)));

  if (self->stats_cancellable != NULL)
    {
      self->stats_stale = TRUE;
      return;
    }

  self->stats_stale = FALSE;
  self->stats_cancellable = g_cancellable_new ();
  omni_worker_load_stats_async (omni_store_get_path (store),
                                self->stats_cancellable,
                                load_stats_cb,
                                self);
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

  gtk_widget_class_install_action (widget_class, "dashboard.load-demo", NULL, load_demo_action);
  gtk_widget_class_install_action (widget_class, "dashboard.start-empty", NULL,
                                   start_empty_action);
  gtk_widget_class_install_action (widget_class, "dashboard.refresh", NULL, refresh_action);
}

static void
omni_dashboard_page_init (OmniDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
