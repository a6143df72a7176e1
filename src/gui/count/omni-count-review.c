/* omni-count-review.c: the totals and variances before a count is committed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The totals are sums over the lines the page already holds (no query), and
 * the list is the same lines filtered to those with a variance, in the same
 * order, largest first. The buttons are the page's actions, so the page
 * decides when each is allowed.
 */
#define G_LOG_DOMAIN "omni-count-review"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-count-cell.h"
#include "omni-count-review.h"
#include "omni-currency.h"
#include "omni-stat-tile.h"

struct _OmniCountReview
{
  GtkWidget          parent_instance;

  GtkWidget         *content;
  GtkLabel          *subtitle_label;
  OmniStatTile      *lines_tile;
  OmniStatTile      *units_tile;
  OmniStatTile      *variance_tile;
  OmniStatTile      *value_tile;
  GtkLabel          *variance_heading;
  GtkStack          *variance_stack;
  GtkColumnView     *variance_view;
  GtkWidget         *busy_box;
  GtkSpinner        *busy_spinner;
  GtkLabel          *busy_label;
  GtkWidget         *back_button;

  OmniCountModel    *model;
  GtkFilter         *filter;
  GtkFilterListModel *variance_lines;
  char              *currency;
};

G_DEFINE_FINAL_TYPE (OmniCountReview, omni_count_review, GTK_TYPE_WIDGET)

static const OmniCountColumn review_columns[] = {
  OMNI_COUNT_COLUMN_PRODUCT,
  OMNI_COUNT_COLUMN_SKU,
  OMNI_COUNT_COLUMN_EXPECTED,
  OMNI_COUNT_COLUMN_COUNTED_TEXT,
  OMNI_COUNT_COLUMN_VARIANCE,
  OMNI_COUNT_COLUMN_VALUE,
};

static gboolean
has_variance (gpointer item,
              gpointer user_data)
{
  return omni_count_item_get_variance (OMNI_COUNT_ITEM (item)) != 0;
}

static void
omni_count_review_dispose (GObject *object)
{
  OmniCountReview *self = OMNI_COUNT_REVIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_COUNT_REVIEW);
  /* The template's own top-level children have no field to clear. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->variance_lines);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (omni_count_review_parent_class)->dispose (object);
}

static void
omni_count_review_finalize (GObject *object)
{
  OmniCountReview *self = OMNI_COUNT_REVIEW (object);

  g_free (self->currency);

  G_OBJECT_CLASS (omni_count_review_parent_class)->finalize (object);
}

static void
omni_count_review_class_init (OmniCountReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_count_review_dispose;
  object_class->finalize = omni_count_review_finalize;

  g_type_ensure (OMNI_TYPE_STAT_TILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/count/omni-count-review.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, content);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, lines_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, units_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, variance_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, value_tile);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, variance_heading);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, variance_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, variance_view);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, busy_box);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, busy_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountReview, back_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "countreview");
}

static void
omni_count_review_init (OmniCountReview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = GTK_FILTER (gtk_custom_filter_new (has_variance, NULL, NULL));
  omni_count_columns_append (self->variance_view, review_columns,
                             G_N_ELEMENTS (review_columns), &self->currency);
}

GtkWidget *
omni_count_review_new (void)
{
  return g_object_new (OMNI_TYPE_COUNT_REVIEW, NULL);
}

/**
 * omni_count_review_set_model:
 * @model: the count's lines
 */
void
omni_count_review_set_model (OmniCountReview *self,
                             OmniCountModel  *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (OMNI_IS_COUNT_REVIEW (self));
  g_return_if_fail (OMNI_IS_COUNT_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  g_clear_object (&self->variance_lines);
  self->variance_lines = gtk_filter_list_model_new (g_object_ref (omni_count_model_get_lines (model)),
                                                    g_object_ref (self->filter));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->variance_lines)));
  gtk_column_view_set_model (self->variance_view, GTK_SELECTION_MODEL (selection));
}

static void
set_tile_sign (OmniStatTile *tile,
               gint64        value)
{
  if (value < 0)
    gtk_widget_add_css_class (GTK_WIDGET (tile), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (tile), "error");
}

static void
show_totals (OmniCountReview       *self,
             const OmniCountTotals *totals)
{
  g_autofree char *lines = g_strdup_printf ("%'u", totals->lines);
  g_autofree char *units = g_strdup_printf ("%'" G_GINT64_FORMAT, totals->units_counted);
  g_autofree char *variance = omni_count_format_variance (totals->variance_units);
  g_autofree char *value = omni_currency_format (totals->variance_value, self->currency);
  g_autofree char *signed_value = totals->variance_value > 0 ?
                                  g_strconcat ("+", value, NULL) : g_strdup (value);
  g_autofree char *heading = NULL;

  omni_stat_tile_set_value (self->lines_tile, lines);
  omni_stat_tile_set_value (self->units_tile, units);
  omni_stat_tile_set_value (self->variance_tile, variance);
  omni_stat_tile_set_value (self->value_tile, signed_value);
  set_tile_sign (self->variance_tile, totals->variance_units);
  set_tile_sign (self->value_tile, totals->variance_value);

  heading = g_strdup_printf (ngettext ("%u Line With a Variance",
                                       "%u Lines With a Variance",
                                       totals->lines_with_variance),
                             totals->lines_with_variance);
  gtk_label_set_label (self->variance_heading, heading);
  gtk_stack_set_visible_child_name (self->variance_stack,
                                    totals->lines_with_variance > 0 ? "list" : "none");
}

/**
 * omni_count_review_refresh:
 * @currency: (nullable): the shop currency
 * @subtitle: what is counted, where
 *
 * Sums the lines again and filters the variances again, for a review about
 * to be shown.
 */
void
omni_count_review_refresh (OmniCountReview *self,
                           const char      *currency,
                           const char      *subtitle)
{
  OmniCountTotals totals = { 0 };

  g_return_if_fail (OMNI_IS_COUNT_REVIEW (self));

  if (g_strcmp0 (self->currency, currency) != 0)
    {
      g_free (self->currency);
      self->currency = g_strdup (currency);
      /* Cells take the currency when bound: bind them again. */
      if (self->variance_lines != NULL)
        {
          g_autoptr(GtkNoSelection) selection =
            gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->variance_lines)));

          gtk_column_view_set_model (self->variance_view, GTK_SELECTION_MODEL (selection));
        }
    }
  gtk_label_set_label (self->subtitle_label, subtitle != NULL ? subtitle : "");

  if (self->model != NULL)
    omni_count_model_get_totals (self->model, &totals);
  show_totals (self, &totals);

  /* Scans change items in place, which a filter does not see by itself. */
  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
}

/**
 * omni_count_review_set_busy:
 * @message: (nullable): what is being done, or %NULL when nothing is
 *
 * Shows a spinner with @message over the review while a commit runs.
 */
void
omni_count_review_set_busy (OmniCountReview *self,
                            const char      *message)
{
  g_return_if_fail (OMNI_IS_COUNT_REVIEW (self));

  gtk_label_set_label (self->busy_label, message != NULL ? message : "");
  gtk_spinner_set_spinning (self->busy_spinner, message != NULL);
  gtk_widget_set_visible (self->busy_box, message != NULL);
  gtk_widget_set_sensitive (self->content, message == NULL);
}

/**
 * omni_count_review_get_variance_lines:
 *
 * Returns: (transfer none) (nullable): the lines the review lists
 */
GListModel *
omni_count_review_get_variance_lines (OmniCountReview *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_REVIEW (self), NULL);

  return G_LIST_MODEL (self->variance_lines);
}

/**
 * omni_count_review_focus_back:
 *
 * Puts the focus on "Back to Scanning", for a review just shown: an Enter
 * from a scanner must never commit the count.
 */
void
omni_count_review_focus_back (OmniCountReview *self)
{
  g_return_if_fail (OMNI_IS_COUNT_REVIEW (self));

  gtk_widget_grab_focus (self->back_button);
}
