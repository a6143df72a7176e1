/* omni-product-filter-bar.c: vendor, type, tag and stock filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four drop-downs, each with "All …" first. The vendor, type and tag values
 * come from omni_store_list_distinct(), which reads every product, so they
 * are read by a worker with its own connection. The bar emits "changed"
 * when the merchant picks something (not when a reload keeps the choice).
 */
#define G_LOG_DOMAIN "omni-product-filter-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-product-filter-bar.h"

typedef enum
{
  FIELD_VENDOR,
  FIELD_TYPE,
  FIELD_TAG,
  N_FIELDS
} Field;

/* The store's names for the fields omni_store_list_distinct() knows. */
static const char * const field_names[N_FIELDS] = { "vendor", "product_type", "tags" };

struct _OmniProductFilterBar
{
  GtkWidget       parent_instance;

  GtkDropDown    *dropdowns[N_FIELDS];
  GtkStringList  *models[N_FIELDS];
  GtkDropDown    *stock_dropdown;

  /* The chosen value of each field, NULL for "all". */
  char           *values[N_FIELDS];

  GCancellable   *cancellable;
  guint           updating;
};

G_DEFINE_FINAL_TYPE (OmniProductFilterBar, omni_product_filter_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
all_label (Field field)
{
  switch (field)
    {
    case FIELD_VENDOR:
      return _("All Vendors");
    case FIELD_TYPE:
      return _("All Types");
    case FIELD_TAG:
    case N_FIELDS:
    default:
      return _("All Tags");
    }
}

/* Shows @value selected in @field's drop-down, adding it when the list does
 * not hold it (yet), so a choice is never shown as something else. */
static void
show_value (OmniProductFilterBar *self,
            Field                 field)
{
  GListModel *model = G_LIST_MODEL (self->models[field]);
  guint n = g_list_model_get_n_items (model);
  guint selected = 0;

  for (guint i = 1; self->values[field] != NULL && i < n && selected == 0; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->models[field], i),
                   self->values[field]) == 0)
      selected = i;

  if (self->values[field] != NULL && selected == 0)
    {
      gtk_string_list_append (self->models[field], self->values[field]);
      selected = n;
    }

  self->updating++;
  gtk_drop_down_set_selected (self->dropdowns[field], selected);
  self->updating--;
}

static void
set_value (OmniProductFilterBar *self,
           Field                 field,
           const char           *value)
{
  if (g_strcmp0 (self->values[field], value) == 0)
    return;

  g_free (self->values[field]);
  self->values[field] = g_strdup (value);
  show_value (self, field);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
dropdown_selected_cb (OmniProductFilterBar *self,
                      GParamSpec           *pspec,
                      GtkDropDown          *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating > 0)
    return;

  for (Field field = 0; field < N_FIELDS; field++)
    if (dropdown == self->dropdowns[field])
      set_value (self, field,
                 selected == 0 || selected == GTK_INVALID_LIST_POSITION
                 ? NULL : gtk_string_list_get_string (self->models[field], selected));
}

static void
stock_selected_cb (OmniProductFilterBar *self)
{
  if (self->updating == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
fill_model (OmniProductFilterBar *self,
            Field                 field,
            const char * const   *values)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models[field]));

  self->updating++;
  gtk_string_list_splice (self->models[field], 1, n - 1, values);
  self->updating--;
  show_value (self, field);
}

/* Loading the values ---------------------------------------------------- */

static void
strvs_free (GStrv *lists)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_strfreev (lists[i]);
  g_free (lists);
}

static void
load_values_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  GStrv *lists;

  store = omni_store_open (task_data, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  lists = g_new0 (GStrv, N_FIELDS);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      lists[i] = omni_store_list_distinct (store, field_names[i], &error);
      if (lists[i] == NULL)
        {
          strvs_free (lists);
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_pointer (task, lists, (GDestroyNotify) strvs_free);
}

static void
load_values_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  OmniProductFilterBar *self = OMNI_PRODUCT_FILTER_BAR (object);
  g_autoptr(GError) error = NULL;
  GStrv *lists = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  /* The list itself reports database trouble; the filters keep what they
   * offered before. */
  if (lists == NULL)
    {
      g_debug ("Could not read the filter values: %s", error->message);
      return;
    }

  for (Field field = 0; field < N_FIELDS; field++)
    fill_model (self, field, (const char * const *) lists[field]);
  strvs_free (lists);
}

/* The drop-downs may be narrower than their longest value: a narrow window
 * still fits all four, and the popover shows the values in full. */
static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item)
{
  GtkStringObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  gtk_label_set_label (GTK_LABEL (label), gtk_string_object_get_string (item));
}

static GtkListItemFactory *
label_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
  return factory;
}

/* GObject ---------------------------------------------------------------- */

static void
omni_product_filter_bar_dispose (GObject *object)
{
  OmniProductFilterBar *self = OMNI_PRODUCT_FILTER_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_PRODUCT_FILTER_BAR);

  G_OBJECT_CLASS (omni_product_filter_bar_parent_class)->dispose (object);
}

static void
omni_product_filter_bar_finalize (GObject *object)
{
  OmniProductFilterBar *self = OMNI_PRODUCT_FILTER_BAR (object);

  for (guint i = 0; i < N_FIELDS; i++)
    g_free (self->values[i]);

  G_OBJECT_CLASS (omni_product_filter_bar_parent_class)->finalize (object);
}

static void
omni_product_filter_bar_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  OmniProductFilterBar *self = OMNI_PRODUCT_FILTER_BAR (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, omni_product_filter_bar_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_product_filter_bar_class_init (OmniProductFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_product_filter_bar_dispose;
  object_class->finalize = omni_product_filter_bar_finalize;
  object_class->get_property = omni_product_filter_bar_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmniProductFilterBar::changed:
   *
   * The merchant chose another filter.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/products/omni-product-filter-bar.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "vendor_dropdown", FALSE,
                                             G_STRUCT_OFFSET (OmniProductFilterBar,
                                                              dropdowns[FIELD_VENDOR]));
  gtk_widget_class_bind_template_child_full (widget_class, "type_dropdown", FALSE,
                                             G_STRUCT_OFFSET (OmniProductFilterBar,
                                                              dropdowns[FIELD_TYPE]));
  gtk_widget_class_bind_template_child_full (widget_class, "tag_dropdown", FALSE,
                                             G_STRUCT_OFFSET (OmniProductFilterBar,
                                                              dropdowns[FIELD_TAG]));
  gtk_widget_class_bind_template_child (widget_class, OmniProductFilterBar, stock_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, stock_selected_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "productfilterbar");
}

static void
omni_product_filter_bar_init (OmniProductFilterBar *self)
{
  g_autoptr(GtkListItemFactory) factory = label_factory_new ();
  GtkExpression *expression;
  GtkBoxLayout *layout;

  self->updating++;
  gtk_widget_init_template (GTK_WIDGET (self));
  layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));
  gtk_box_layout_set_spacing (layout, 6);
  gtk_box_layout_set_homogeneous (layout, FALSE);
  gtk_drop_down_set_factory (self->stock_dropdown, factory);

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  for (Field field = 0; field < N_FIELDS; field++)
    {
      const char * const first[] = { all_label (field), NULL };

      self->models[field] = gtk_string_list_new (first);
      gtk_drop_down_set_expression (self->dropdowns[field], expression);
      gtk_drop_down_set_factory (self->dropdowns[field], factory);
      gtk_drop_down_set_model (self->dropdowns[field], G_LIST_MODEL (self->models[field]));
      g_object_unref (self->models[field]);   /* the drop-down holds it */
    }
  gtk_expression_unref (expression);
  self->updating--;
}

GtkWidget *
omni_product_filter_bar_new (void)
{
  return g_object_new (OMNI_TYPE_PRODUCT_FILTER_BAR, NULL);
}

/**
 * omni_product_filter_bar_reload:
 * @db_path: the database to read the vendors, types and tags from
 *
 * Reads the values the filters offer again, keeping what is chosen.
 */
void
omni_product_filter_bar_reload (OmniProductFilterBar *self,
                                const char           *db_path)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self));
  g_return_if_fail (db_path != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, load_values_cb, NULL);
  g_task_set_source_tag (task, omni_product_filter_bar_reload);
  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_task_run_in_thread (task, load_values_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* TRUE while the filter values are being read. */
gboolean
omni_product_filter_bar_get_busy (OmniProductFilterBar *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self), FALSE);

  return self->cancellable != NULL;
}

/* Returns: (nullable): the chosen vendor, %NULL for all */
const char *
omni_product_filter_bar_get_vendor (OmniProductFilterBar *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self), NULL);

  return self->values[FIELD_VENDOR];
}

void
omni_product_filter_bar_set_vendor (OmniProductFilterBar *self,
                                    const char           *vendor)
{
  g_return_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self));

  set_value (self, FIELD_VENDOR, vendor);
}

/* Returns: (nullable): the chosen product type, %NULL for all */
const char *
omni_product_filter_bar_get_product_type (OmniProductFilterBar *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self), NULL);

  return self->values[FIELD_TYPE];
}

void
omni_product_filter_bar_set_product_type (OmniProductFilterBar *self,
                                          const char           *product_type)
{
  g_return_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self));

  set_value (self, FIELD_TYPE, product_type);
}

/* Returns: (nullable): the chosen tag, %NULL for all */
const char *
omni_product_filter_bar_get_tag (OmniProductFilterBar *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self), NULL);

  return self->values[FIELD_TAG];
}

void
omni_product_filter_bar_set_tag (OmniProductFilterBar *self,
                                 const char           *tag)
{
  g_return_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self));

  set_value (self, FIELD_TAG, tag);
}

/* The stock drop-down lists the OmniStockFilter values in order. */
OmniStockFilter
omni_product_filter_bar_get_stock (OmniProductFilterBar *self)
{
  guint selected;

  g_return_val_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self), OMNI_STOCK_ANY);

  selected = gtk_drop_down_get_selected (self->stock_dropdown);
  return selected <= OMNI_STOCK_ARCHIVED ? (OmniStockFilter) selected : OMNI_STOCK_ANY;
}

void
omni_product_filter_bar_set_stock (OmniProductFilterBar *self,
                                   OmniStockFilter       stock)
{
  g_return_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self));
  g_return_if_fail (stock <= OMNI_STOCK_ARCHIVED);

  gtk_drop_down_set_selected (self->stock_dropdown, stock);
}

/* Whether any filter narrows the list. */
gboolean
omni_product_filter_bar_get_active (OmniProductFilterBar *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self), FALSE);

  for (guint i = 0; i < N_FIELDS; i++)
    if (self->values[i] != NULL)
      return TRUE;
  return omni_product_filter_bar_get_stock (self) != OMNI_STOCK_ANY;
}

/* Shows everything again, with one "changed" at most. */
void
omni_product_filter_bar_clear (OmniProductFilterBar *self)
{
  gboolean changed;

  g_return_if_fail (OMNI_IS_PRODUCT_FILTER_BAR (self));

  changed = omni_product_filter_bar_get_active (self);
  self->updating++;
  for (Field field = 0; field < N_FIELDS; field++)
    {
      g_clear_pointer (&self->values[field], g_free);
      show_value (self, field);
    }
  gtk_drop_down_set_selected (self->stock_dropdown, OMNI_STOCK_ANY);
  self->updating--;

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}
