/* omni-product-columns.c: the columns of the product list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each column has a signal factory. Cells are created once and re-bound as
 * the view scrolls; a cell whose row has not arrived from the worker yet
 * stays empty at the same height (an empty label keeps its line) and fills
 * in when the item notifies "loaded", so rows never jump. Sortable columns carry an
 * OmniSqlSorter: the page turns a header click into an ORDER BY.
 *
 * A page of rows arriving from the worker fills every visible row at once
 * (after a jump, a whole screen of cells needs new text layouts in one
 * frame, on top of the rows scrolling brings in): cells whose item has just
 * loaded are queued and filled a few rows a frame from a tick callback, so
 * no frame takes much longer than its neighbours. A cell bound to an item
 * already loaded is filled at once.
 */
#define G_LOG_DOMAIN "omni-product-columns"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "omni-currency.h"
#include "omni-product-columns.h"
#include "omni-sql-sorter.h"
#include "omni-variant-item.h"

#define NO_SORT (-1)
/* Cells filled per frame when a page arrives: about four rows of seven. */
#define FILLS_PER_FRAME 28

typedef struct _ColumnInfo ColumnInfo;

struct _ColumnInfo
{
  const char  *id;
  const char  *title;
  int          sort_key;
  gboolean     expand;
  gboolean     wide_only;
  GtkWidget *(*create) (void);
  void       (*update) (OmniProductColumns   *self,
                        GtkWidget            *cell,
                        OmniVariantItem      *item);
};

struct _OmniProductColumns
{
  GObject              parent_instance;

  GtkColumnView       *view;
  GPtrArray           *columns;      /* GtkColumnViewColumn, in info order */
  GHashTable          *bound;        /* GtkListItem, bound now */
  GQueue               to_fill;      /* GtkListItem whose item just loaded */
  guint                fill_tick;
  char                *currency;
  gboolean             narrow;
};

G_DEFINE_FINAL_TYPE (OmniProductColumns, omni_product_columns, G_TYPE_OBJECT)

static GQuark info_quark;
static GQuark columns_quark;
static GQuark list_item_quark;

/* Cells ------------------------------------------------------------------ */

static GtkWidget *
label_new (const char *css_class,
           float       xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
create_image (void)
{
  GtkWidget *avatar = adw_avatar_new (32, NULL, TRUE);

  adw_avatar_set_icon_name (ADW_AVATAR (avatar), "package-x-generic-symbolic");
  gtk_widget_set_valign (avatar, GTK_ALIGN_CENTER);
  return avatar;
}

static void
update_image (OmniProductColumns *self,
              GtkWidget          *cell,
              OmniVariantItem    *item)
{
  const OmniVariantRow *row = omni_variant_item_get_row (item);
  adw_avatar_set_text (ADW_AVATAR (cell), row != NULL ? row->title : NULL);
}

static GtkWidget *
create_title (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label_new (NULL, 0));
  gtk_box_append (GTK_BOX (box), label_new ("caption", 0));
  gtk_widget_add_css_class (gtk_widget_get_last_child (box), "dim-label");
  return box;
}

/* Under the title: the vendor on a wide window; on a narrow one, where the
 * SKU and options columns are hidden, those. */
static char *
title_detail (OmniProductColumns   *self,
              const OmniVariantRow *row)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (self->narrow)
    {
      if (row->sku != NULL && *row->sku != '\0')
        g_ptr_array_add (parts, row->sku);
      if (row->options != NULL && *row->options != '\0')
        g_ptr_array_add (parts, row->options);
    }
  else if (row->vendor != NULL && *row->vendor != '\0')
    g_ptr_array_add (parts, row->vendor);

  if (g_strcmp0 (row->status, "draft") == 0)
    g_ptr_array_add (parts, _("Draft"));

  g_ptr_array_add (parts, NULL);
  /* Translators: separates the details under a product's title */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static void
update_title (OmniProductColumns *self,
              GtkWidget          *cell,
              OmniVariantItem    *item)
{
  const OmniVariantRow *row = omni_variant_item_get_row (item);
  GtkWidget *title = gtk_widget_get_first_child (cell);
  GtkWidget *detail = gtk_widget_get_last_child (cell);
  g_autofree char *text = row != NULL ? title_detail (self, row) : NULL;

  gtk_label_set_label (GTK_LABEL (title), row != NULL ? row->title : "");
  gtk_label_set_label (GTK_LABEL (detail), text != NULL ? text : "");
}

static GtkWidget *
create_text (void)
{
  return label_new (NULL, 0);
}

static GtkWidget *
create_dim_text (void)
{
  return label_new ("dim-label", 0);
}

static void
update_sku (OmniProductColumns *self,
            GtkWidget          *cell,
            OmniVariantItem    *item)
{
  const OmniVariantRow *row = omni_variant_item_get_row (item);
  gtk_label_set_label (GTK_LABEL (cell), row != NULL && row->sku != NULL ? row->sku : "");
}

static void
update_options (OmniProductColumns *self,
                GtkWidget          *cell,
                OmniVariantItem    *item)
{
  const OmniVariantRow *row = omni_variant_item_get_row (item);
  gtk_label_set_label (GTK_LABEL (cell),
                       row != NULL && row->options != NULL ? row->options : "");
}

static GtkWidget *
create_number (void)
{
  return label_new ("numeric", 1);
}

static void
update_price (OmniProductColumns *self,
              GtkWidget          *cell,
              OmniVariantItem    *item)
{
  const OmniVariantRow *row = omni_variant_item_get_row (item);
  g_autofree char *text = row != NULL ? omni_currency_format (row->price, self->currency)
                                      : NULL;

  gtk_label_set_label (GTK_LABEL (cell), text != NULL ? text : "");
}

static void
update_available (OmniProductColumns *self,
                  GtkWidget          *cell,
                  OmniVariantItem    *item)
{
  const OmniVariantRow *row = omni_variant_item_get_row (item);
  g_autofree char *text = NULL;

  if (row != NULL)
    text = row->available < 0
           ? g_strdup_printf ("−%'" G_GINT64_FORMAT, -row->available)
           : g_strdup_printf ("%'" G_GINT64_FORMAT, row->available);
  gtk_label_set_label (GTK_LABEL (cell), text != NULL ? text : "");
}

static GtkWidget *
create_status (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption-heading");
  return label;
}

/* The state is said in words; the colour only repeats it. */
static void
update_status (OmniProductColumns *self,
               GtkWidget          *cell,
               OmniVariantItem    *item)
{
  /* The style classes are libadwaita's: coloured text that follows the
   * light and dark styles and the high-contrast one. */
  static const struct {
    const char *state;
    const char *label;
    const char *css_class;
  } states[] = {
    { "in", N_("In Stock"), "success" },
    { "low", N_("Low Stock"), "warning" },
    { "out", N_("Out of Stock"), "error" },
    { "archived", N_("Archived"), "dim-label" },
    { "loading", "", NULL },
  };
  const char *state = omni_variant_item_get_stock_state (item);
  /* The state shown, plus one (0: none yet): a cell re-bound to a row in
   * the same state keeps its style, and restyling is not cheap. */
  guint shown = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "omni-stock-state"));

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (states[i].state, state))
      {
        if (shown == i + 1)
          return;
        if (shown > 0 && states[shown - 1].css_class != NULL)
          gtk_widget_remove_css_class (cell, states[shown - 1].css_class);
        if (states[i].css_class != NULL)
          gtk_widget_add_css_class (cell, states[i].css_class);
        gtk_label_set_label (GTK_LABEL (cell), *states[i].label ? _(states[i].label) : "");
        g_object_set_data (G_OBJECT (cell), "omni-stock-state", GUINT_TO_POINTER (i + 1));
      }
}

static const ColumnInfo column_infos[] = {
  { "image", "", NO_SORT, FALSE, TRUE, create_image, update_image },
  { "title", N_("Product"), OMNI_SORT_TITLE, TRUE, FALSE, create_title, update_title },
  { "sku", N_("SKU"), OMNI_SORT_SKU, FALSE, TRUE, create_text, update_sku },
  { "options", N_("Options"), NO_SORT, FALSE, TRUE, create_dim_text, update_options },
  { "price", N_("Price"), OMNI_SORT_PRICE, FALSE, FALSE, create_number, update_price },
  { "available", N_("Available"), OMNI_SORT_AVAILABLE, FALSE, FALSE, create_number,
    update_available },
  { "status", N_("Status"), NO_SORT, FALSE, FALSE, create_status, update_status },
};

/* Factories -------------------------------------------------------------- */

static void
update_cell (GtkListItem *list_item)
{
  OmniProductColumns *self = g_object_get_qdata (G_OBJECT (list_item), columns_quark);
  const ColumnInfo *info = g_object_get_qdata (G_OBJECT (list_item), info_quark);
  OmniVariantItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    info->update (self, gtk_list_item_get_child (list_item), item);
}

static gboolean
fill_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       data)
{
  OmniProductColumns *self = data;

  for (guint i = 0; i < FILLS_PER_FRAME && !g_queue_is_empty (&self->to_fill); i++)
    update_cell (g_queue_pop_head (&self->to_fill));
  if (!g_queue_is_empty (&self->to_fill))
    return G_SOURCE_CONTINUE;
  self->fill_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
item_loaded_cb (OmniVariantItem *item,
                GParamSpec      *pspec,
                GtkListItem     *list_item)
{
  OmniProductColumns *self = g_object_get_qdata (G_OBJECT (list_item), columns_quark);

  /* Off screen there are no frames to spread the work over. */
  if (self->view == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self->view)))
    {
      update_cell (list_item);
      return;
    }
  if (g_queue_find (&self->to_fill, list_item) == NULL)
    g_queue_push_tail (&self->to_fill, list_item);
  if (self->fill_tick == 0)
    self->fill_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->view), fill_tick_cb,
                                                    self, NULL);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          OmniProductColumns       *self)
{
  const ColumnInfo *info = g_object_get_qdata (G_OBJECT (factory), info_quark);
  GtkWidget *cell = info->create ();

  g_object_set_qdata (G_OBJECT (list_item), info_quark, (gpointer) info);
  g_object_set_qdata (G_OBJECT (list_item), columns_quark, self);
  /* The way back from a widget under the pointer or the focus to its row. */
  g_object_set_qdata (G_OBJECT (cell), list_item_quark, list_item);
  gtk_list_item_set_child (list_item, cell);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         OmniProductColumns       *self)
{
  OmniVariantItem *item = gtk_list_item_get_item (list_item);

  g_signal_connect_object (item, "notify::loaded", G_CALLBACK (item_loaded_cb), list_item, 0);
  g_hash_table_add (self->bound, list_item);
  g_queue_remove (&self->to_fill, list_item);
  update_cell (list_item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           OmniProductColumns       *self)
{
  OmniVariantItem *item = gtk_list_item_get_item (list_item);

  g_hash_table_remove (self->bound, list_item);
  g_queue_remove (&self->to_fill, list_item);
  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_loaded_cb, list_item);
}

static GtkColumnViewColumn *
column_new (OmniProductColumns *self,
            const ColumnInfo   *info)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_qdata (G_OBJECT (factory), info_quark, (gpointer) info);
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_cb), self, 0);

  column = gtk_column_view_column_new (*info->title ? _(info->title) : "", factory);
  gtk_column_view_column_set_expand (column, info->expand);
  gtk_column_view_column_set_resizable (column, info->expand);
  if (info->sort_key != NO_SORT)
    {
      g_autoptr(GtkSorter) sorter = omni_sql_sorter_new (info->sort_key);

      gtk_column_view_column_set_sorter (column, sorter);
    }
  return column;
}

/* GObject ---------------------------------------------------------------- */

static void
omni_product_columns_dispose (GObject *object)
{
  OmniProductColumns *self = OMNI_PRODUCT_COLUMNS (object);

  if (self->fill_tick != 0 && self->view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->view), self->fill_tick);
  self->fill_tick = 0;
  g_queue_clear (&self->to_fill);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_weak_pointer (&self->view);

  G_OBJECT_CLASS (omni_product_columns_parent_class)->dispose (object);
}

static void
omni_product_columns_finalize (GObject *object)
{
  OmniProductColumns *self = OMNI_PRODUCT_COLUMNS (object);

  g_free (self->currency);

  G_OBJECT_CLASS (omni_product_columns_parent_class)->finalize (object);
}

static void
omni_product_columns_class_init (OmniProductColumnsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_product_columns_dispose;
  object_class->finalize = omni_product_columns_finalize;

  info_quark = g_quark_from_static_string ("omni-product-column-info");
  columns_quark = g_quark_from_static_string ("omni-product-columns");
  list_item_quark = g_quark_from_static_string ("omni-product-column-list-item");
}

static void
omni_product_columns_init (OmniProductColumns *self)
{
  self->columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->bound = g_hash_table_new (NULL, NULL);
}

/**
 * omni_product_columns_new:
 * @view: an empty column view over OmniVariantItems
 *
 * Appends the product list's columns to @view and sorts it by title.
 *
 * Returns: (transfer full): the object that formats the cells
 */
OmniProductColumns *
omni_product_columns_new (GtkColumnView *view)
{
  OmniProductColumns *self;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);

  self = g_object_new (OMNI_TYPE_PRODUCT_COLUMNS, NULL);
  g_set_weak_pointer (&self->view, view);

  for (guint i = 0; i < G_N_ELEMENTS (column_infos); i++)
    {
      GtkColumnViewColumn *column = column_new (self, &column_infos[i]);

      gtk_column_view_append_column (view, column);
      g_ptr_array_add (self->columns, column);
    }

  gtk_column_view_sort_by_column (view, omni_product_columns_get_column (self, "title"),
                                  GTK_SORT_ASCENDING);
  return self;
}

static void
update_bound_cells (OmniProductColumns *self)
{
  GHashTableIter iter;
  gpointer list_item;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &list_item, NULL))
    update_cell (list_item);
}

/* Prices show in the shop currency; changing it re-formats what shows. */
void
omni_product_columns_set_currency (OmniProductColumns *self,
                                   const char         *currency)
{
  g_return_if_fail (OMNI_IS_PRODUCT_COLUMNS (self));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  update_bound_cells (self);
}

/**
 * omni_product_columns_set_narrow:
 * @narrow: the view is too narrow for every column
 *
 * A narrow view hides the image, SKU and options columns and shows the SKU
 * and options under the title instead.
 */
void
omni_product_columns_set_narrow (OmniProductColumns *self,
                                 gboolean            narrow)
{
  g_return_if_fail (OMNI_IS_PRODUCT_COLUMNS (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;

  self->narrow = narrow;
  for (guint i = 0; i < G_N_ELEMENTS (column_infos); i++)
    if (column_infos[i].wide_only)
      gtk_column_view_column_set_visible (g_ptr_array_index (self->columns, i), !narrow);
  update_bound_cells (self);
}

gboolean
omni_product_columns_get_narrow (OmniProductColumns *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_COLUMNS (self), FALSE);

  return self->narrow;
}

/**
 * omni_product_columns_get_column:
 * @id: "image", "title", "sku", "options", "price", "available" or "status"
 *
 * Returns: (transfer none) (nullable): the column
 */
GtkColumnViewColumn *
omni_product_columns_get_column (OmniProductColumns *self,
                                 const char         *id)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_COLUMNS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (column_infos); i++)
    if (g_str_equal (column_infos[i].id, id))
      return g_ptr_array_index (self->columns, i);
  return NULL;
}

static GtkListItem *
list_item_below (GtkWidget *widget)
{
  GtkListItem *item = g_object_get_qdata (G_OBJECT (widget), list_item_quark);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL && item == NULL;
       child = gtk_widget_get_next_sibling (child))
    item = list_item_below (child);
  return item;
}

/**
 * omni_product_columns_find_position:
 * @view: the column view
 * @widget: a widget in @view: a cell, part of a cell, or a row (the focus
 *   of a row selected by the keyboard)
 * @position: (out): the position of the row @widget belongs to
 *
 * Returns: whether @widget belongs to a row of @view
 */
gboolean
omni_product_columns_find_position (GtkColumnView *view,
                                    GtkWidget     *widget,
                                    guint         *position)
{
  GtkListItem *item = NULL;
  guint found;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  if (!gtk_widget_is_ancestor (widget, GTK_WIDGET (view)))
    return FALSE;

  /* Up to the cell; from a row (or its cell wrapper), down to its first cell. */
  for (GtkWidget *w = widget; w != GTK_WIDGET (view) && item == NULL; w = gtk_widget_get_parent (w))
    {
      const char *name = gtk_widget_get_css_name (w);

      item = g_object_get_qdata (G_OBJECT (w), list_item_quark);
      if (item == NULL && (g_str_equal (name, "row") || g_str_equal (name, "cell")))
        item = list_item_below (w);
    }
  if (item == NULL)
    return FALSE;

  found = gtk_list_item_get_position (item);
  if (found == GTK_INVALID_LIST_POSITION)
    return FALSE;
  *position = found;
  return TRUE;
}
