/* omni-count-cell.c: one cell of a count line in a column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are recycled and a scan changes an item that may be on screen, so a
 * cell follows its item's notifications rather than copying it once at bind
 * time. Edits leave through the page's actions (count.set-line,
 * count.remove-line): the cell knows no store.
 */
#define G_LOG_DOMAIN "omni-count-cell"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-count-cell.h"
#include "omni-currency.h"

struct _OmniCountCell
{
  GtkWidget        parent_instance;

  OmniCountColumn  column;
  OmniCountItem   *item;
  char            *currency;

  GtkWidget       *child;
  GtkLabel        *label;
  GtkLabel        *sub_label;
  GtkSpinButton   *spin;
  GtkPopover      *popover;
};

G_DEFINE_FINAL_TYPE (OmniCountCell, omni_count_cell, GTK_TYPE_WIDGET)

static void
omni_count_cell_dispose (GObject *object)
{
  OmniCountCell *self = OMNI_COUNT_CELL (object);

  omni_count_cell_set_item (self, NULL);
  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (omni_count_cell_parent_class)->dispose (object);
}

static void
omni_count_cell_finalize (GObject *object)
{
  OmniCountCell *self = OMNI_COUNT_CELL (object);

  g_free (self->currency);

  G_OBJECT_CLASS (omni_count_cell_parent_class)->finalize (object);
}

static void
omni_count_cell_class_init (OmniCountCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_count_cell_dispose;
  object_class->finalize = omni_count_cell_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "countcell");
}

static void
omni_count_cell_init (OmniCountCell *self)
{
}

/**
 * omni_count_format_variance:
 *
 * Returns: (transfer full): "+3", "−2" (with a real minus sign) or "0"
 */
char *
omni_count_format_variance (gint64 variance)
{
  if (variance > 0)
    return g_strdup_printf ("+%'" G_GINT64_FORMAT, variance);
  if (variance < 0)
    return g_strdup_printf ("−%'" G_GUINT64_FORMAT, -(guint64) variance);
  return g_strdup ("0");
}

static char *
format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

static char *
format_value (OmniMoney   value,
              const char *currency)
{
  g_autofree char *text = omni_currency_format (value, currency);

  return value > 0 ? g_strconcat ("+", text, NULL) : g_steal_pointer (&text);
}

static void
set_sign_class (GtkWidget *widget,
                gint64     value)
{
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "dim-label");

  if (value > 0)
    gtk_widget_add_css_class (widget, "success");
  else if (value < 0)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_add_css_class (widget, "dim-label");
}

static void
update_product (OmniCountCell *self)
{
  const char *options = omni_count_item_get_options (self->item);

  gtk_label_set_label (self->label, omni_count_item_get_title (self->item));
  gtk_label_set_label (self->sub_label, options != NULL ? options : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sub_label), options != NULL && options[0] != '\0');
}

static void
update (OmniCountCell *self)
{
  g_autofree char *text = NULL;

  if (self->item == NULL)
    return;

  switch (self->column)
    {
    case OMNI_COUNT_COLUMN_PRODUCT:
      update_product (self);
      return;

    case OMNI_COUNT_COLUMN_SKU:
      gtk_label_set_label (self->label, omni_count_item_get_sku (self->item));
      return;

    case OMNI_COUNT_COLUMN_EXPECTED:
      text = format_count (omni_count_item_get_expected (self->item));
      break;

    case OMNI_COUNT_COLUMN_COUNTED:
      text = format_count (omni_count_item_get_counted (self->item));
      gtk_menu_button_set_label (GTK_MENU_BUTTON (self->child), text);
      return;

    case OMNI_COUNT_COLUMN_COUNTED_TEXT:
      text = format_count (omni_count_item_get_counted (self->item));
      break;

    case OMNI_COUNT_COLUMN_VARIANCE:
      text = omni_count_format_variance (omni_count_item_get_variance (self->item));
      set_sign_class (GTK_WIDGET (self->label), omni_count_item_get_variance (self->item));
      break;

    case OMNI_COUNT_COLUMN_VALUE:
      text = format_value (omni_count_item_get_variance_value (self->item), self->currency);
      set_sign_class (GTK_WIDGET (self->label), omni_count_item_get_variance_value (self->item));
      break;

    case OMNI_COUNT_COLUMN_REMOVE:
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->child), "x",
                                        omni_count_item_get_variant_id (self->item));
      return;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (self->label, text);
}

static GtkLabel *
create_label (float xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (xalign > 0.5)
    gtk_widget_add_css_class (label, "numeric");

  return GTK_LABEL (label);
}

static void
create_product (OmniCountCell *self)
{
  self->child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_valign (self->child, GTK_ALIGN_CENTER);
  self->label = create_label (0);
  self->sub_label = create_label (0);
  gtk_widget_add_css_class (GTK_WIDGET (self->sub_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->sub_label), "dim-label");
  gtk_box_append (GTK_BOX (self->child), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (self->child), GTK_WIDGET (self->sub_label));
}

static void
apply_edit (OmniCountCell *self)
{
  if (self->item == NULL)
    return;

  gtk_spin_button_update (self->spin);
  gtk_widget_activate_action (GTK_WIDGET (self), "count.set-line", "(xx)",
                              omni_count_item_get_variant_id (self->item),
                              (gint64) gtk_spin_button_get_value_as_int (self->spin));
  gtk_popover_popdown (self->popover);
}

static void
popover_show_cb (OmniCountCell *self)
{
  if (self->item != NULL)
    gtk_spin_button_set_value (self->spin, omni_count_item_get_counted (self->item));
  gtk_widget_grab_focus (GTK_WIDGET (self->spin));
}

static GtkWidget *
create_edit_popover (OmniCountCell *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Set"));

  self->spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, G_MAXINT32, 1));
  gtk_spin_button_set_numeric (self->spin, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->spin), "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Counted quantity"),
                                  -1);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spin));
  gtk_box_append (GTK_BOX (box), button);

  /* GtkSpinButton has no ::activate of its own before GTK 4.14; its text has. */
  g_signal_connect_swapped (gtk_editable_get_delegate (GTK_EDITABLE (self->spin)), "activate",
                            G_CALLBACK (apply_edit), self);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (apply_edit), self);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, box);
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (popover_show_cb), self);

  return GTK_WIDGET (self->popover);
}

static void
create_counted (OmniCountCell *self)
{
  self->child = gtk_menu_button_new ();
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->child), create_edit_popover (self));
  gtk_widget_set_halign (self->child, GTK_ALIGN_END);
  gtk_widget_add_css_class (self->child, "flat");
  gtk_widget_add_css_class (self->child, "numeric");
  gtk_widget_set_tooltip_text (self->child, _("Correct the Counted Quantity"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->child),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Correct the counted quantity"),
                                  -1);
}

static void
create_remove (OmniCountCell *self)
{
  self->child = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (self->child, "flat");
  gtk_widget_set_halign (self->child, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->child, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->child, _("Remove From Count"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->child),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove from count"),
                                  -1);
  /* A target of the action's type from the start; binding sets the variant. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->child), "x", (gint64) 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->child), "count.remove-line");
}

/**
 * omni_count_cell_new:
 * @column: what the cell shows
 *
 * Returns: (transfer floating): a new cell
 */
GtkWidget *
omni_count_cell_new (OmniCountColumn column)
{
  OmniCountCell *self = g_object_new (OMNI_TYPE_COUNT_CELL, NULL);

  self->column = column;
  switch (column)
    {
    case OMNI_COUNT_COLUMN_PRODUCT:
      create_product (self);
      break;

    case OMNI_COUNT_COLUMN_SKU:
      self->label = create_label (0);
      self->child = GTK_WIDGET (self->label);
      break;

    case OMNI_COUNT_COLUMN_COUNTED:
      create_counted (self);
      break;

    case OMNI_COUNT_COLUMN_REMOVE:
      create_remove (self);
      break;

    case OMNI_COUNT_COLUMN_EXPECTED:
    case OMNI_COUNT_COLUMN_COUNTED_TEXT:
    case OMNI_COUNT_COLUMN_VARIANCE:
    case OMNI_COUNT_COLUMN_VALUE:
    default:
      self->label = create_label (1);
      self->child = GTK_WIDGET (self->label);
      break;
    }

  gtk_widget_set_parent (self->child, GTK_WIDGET (self));

  return GTK_WIDGET (self);
}

/**
 * omni_count_cell_get_item:
 *
 * Returns: (transfer none) (nullable): the line shown
 */
OmniCountItem *
omni_count_cell_get_item (OmniCountCell *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_CELL (self), NULL);

  return self->item;
}

/**
 * omni_count_cell_set_item:
 * @item: (nullable): the line to show
 */
void
omni_count_cell_set_item (OmniCountCell *self,
                          OmniCountItem *item)
{
  g_return_if_fail (OMNI_IS_COUNT_CELL (self));
  g_return_if_fail (item == NULL || OMNI_IS_COUNT_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, update, self);
  g_set_object (&self->item, item);
  if (self->item != NULL)
    g_signal_connect_swapped (self->item, "notify", G_CALLBACK (update), self);

  update (self);
}

/**
 * omni_count_cell_set_currency:
 * @currency: (nullable): the ISO 4217 code values are shown in
 */
void
omni_count_cell_set_currency (OmniCountCell *self,
                              const char    *currency)
{
  g_return_if_fail (OMNI_IS_COUNT_CELL (self));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  update (self);
}

/**
 * omni_count_cell_get_text:
 *
 * Returns: (nullable): the text shown, %NULL for the remove button
 */
const char *
omni_count_cell_get_text (OmniCountCell *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_CELL (self), NULL);

  if (self->column == OMNI_COUNT_COLUMN_COUNTED)
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (self->child));
  if (self->label != NULL)
    return gtk_label_get_label (self->label);

  return NULL;
}

/* Column views ------------------------------------------------------------ */

typedef struct
{
  OmniCountColumn  column;
  char * const    *currency;
} ColumnData;

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          ColumnData               *data)
{
  gtk_list_item_set_child (list_item, omni_count_cell_new (data->column));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         ColumnData               *data)
{
  OmniCountCell *cell = OMNI_COUNT_CELL (gtk_list_item_get_child (list_item));

  if (data->currency != NULL)
    omni_count_cell_set_currency (cell, *data->currency);
  omni_count_cell_set_item (cell, gtk_list_item_get_item (list_item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           ColumnData               *data)
{
  omni_count_cell_set_item (OMNI_COUNT_CELL (gtk_list_item_get_child (list_item)), NULL);
}

static const char *
column_title (OmniCountColumn column)
{
  switch (column)
    {
    case OMNI_COUNT_COLUMN_PRODUCT:
      return _("Product");
    case OMNI_COUNT_COLUMN_SKU:
      return _("SKU");
    case OMNI_COUNT_COLUMN_EXPECTED:
      return _("Expected");
    case OMNI_COUNT_COLUMN_COUNTED:
    case OMNI_COUNT_COLUMN_COUNTED_TEXT:
      return _("Counted");
    case OMNI_COUNT_COLUMN_VARIANCE:
      return _("Variance");
    case OMNI_COUNT_COLUMN_VALUE:
      return _("Value at Cost");
    case OMNI_COUNT_COLUMN_REMOVE:
    default:
      return NULL;
    }
}

/**
 * omni_count_columns_append:
 * @view: a column view over #OmniCountItem
 * @columns: (array length=n_columns): the columns, in order
 * @currency: (nullable): where the owner keeps the currency for value cells;
 *   read at each bind, so it must outlive @view
 *
 * Adds the count's columns to @view.
 */
void
omni_count_columns_append (GtkColumnView          *view,
                           const OmniCountColumn  *columns,
                           guint                   n_columns,
                           char * const           *currency)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  for (guint i = 0; i < n_columns; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      ColumnData *data = g_new0 (ColumnData, 1);
      g_autoptr(GtkColumnViewColumn) column = NULL;

      data->column = columns[i];
      data->currency = currency;
      g_object_set_data_full (G_OBJECT (factory), "omni-count-column", data, g_free);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), data);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), data);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), data);

      column = gtk_column_view_column_new (column_title (columns[i]), factory);
      gtk_column_view_column_set_expand (column, columns[i] == OMNI_COUNT_COLUMN_PRODUCT);
      gtk_column_view_column_set_resizable (column, columns[i] != OMNI_COUNT_COLUMN_REMOVE);
      gtk_column_view_append_column (view, column);
    }
}
