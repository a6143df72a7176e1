/* omni-inventory-page.c: the Inventory page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per variant and location: on hand, committed, available and a
 * stock indicator against the reorder point. The rows come from an
 * OmniStockList, paged on its own worker, so a million variants cost the
 * memory of the rows in view. Search, the location and the stock filter
 * and the column sort all run in SQL.
 *
 * A row opens the adjust dialog (Enter, a double click, Ctrl+E), the
 * transfer dialog (Ctrl+T) or the history window (Ctrl+H); the toolbar's
 * menu changes every selected variant at once, as one operation with one
 * Undo. The page also keeps the low-stock monitor of its window: each new
 * alert is sent once as a desktop notification.
 */
#define G_LOG_DOMAIN "omni-inventory-page"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-adjust-dialog.h"
#include "omni-alerts-monitor.h"
#include "omni-history-window.h"
#include "omni-inventory-batch.h"
#include "omni-inventory-page.h"
#include "omni-inventory-util.h"
#include "omni-sql-sorter.h"
#include "omni-stock-list.h"
#include "omni-transfer-dialog.h"

typedef enum
{
  COLUMN_PRODUCT,
  COLUMN_SKU,
  COLUMN_LOCATION,
  COLUMN_ON_HAND,
  COLUMN_COMMITTED,
  COLUMN_AVAILABLE,
  COLUMN_INCOMING,
  COLUMN_STATE,
} Column;

struct _OmniInventoryPage
{
  OmniPage             parent_instance;

  OmniStockList       *list;
  GtkMultiSelection   *selection;
  GPtrArray           *locations;          /* OmniLocation, active, as the list read them */
  GtkStringList       *location_names;     /* "All Locations", then locations */
  OmniAlertsMonitor   *alerts;
  guint                notifications_sent;
  guint                filling_locations : 1;

  GtkSearchEntry      *search_entry;
  GtkDropDown         *location_dropdown;
  GtkDropDown         *stock_dropdown;
  GtkStack            *stack;
  GtkColumnView       *column_view;
  AdwStatusPage       *error_page;
  GtkLabel            *summary_label;
};

G_DEFINE_FINAL_TYPE (OmniInventoryPage, omni_inventory_page, OMNI_TYPE_PAGE)

/* Locations --------------------------------------------------------------- */

static void apply_query (OmniInventoryPage *self);

static gint64
selected_location_id (OmniInventoryPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->location_dropdown);

  /* Entry 0 is "All Locations". */
  if (self->locations == NULL || selected == 0 || selected > self->locations->len)
    return 0;
  return ((OmniLocation *) g_ptr_array_index (self->locations, selected - 1))->id;
}

/* The locations arrive with each count of the list (read on its worker);
 * the one chosen stays chosen while it exists. */
static void
locations_changed_cb (OmniInventoryPage *self)
{
  GPtrArray *locations = omni_stock_list_get_locations (self->list);
  gint64 chosen = selected_location_id (self);
  guint selected = 0;

  if (locations == NULL)
    return;

  self->filling_locations = TRUE;
  g_clear_pointer (&self->locations, g_ptr_array_unref);
  self->locations = g_ptr_array_ref (locations);
  gtk_string_list_splice (self->location_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->location_names)), NULL);
  gtk_string_list_append (self->location_names, _("All Locations"));
  for (guint i = 0; i < self->locations->len; i++)
    {
      OmniLocation *location = g_ptr_array_index (self->locations, i);

      gtk_string_list_append (self->location_names, location->name);
      if (location->id == chosen)
        selected = i + 1;
    }
  gtk_drop_down_set_selected (self->location_dropdown, selected);
  self->filling_locations = FALSE;

  /* The chosen location is gone: show them all. */
  if (chosen != 0 && selected == 0)
    apply_query (self);
}

/* The query --------------------------------------------------------------- */

static void
apply_query (OmniInventoryPage *self)
{
  static const OmniStockFilter filters[] = {
    OMNI_STOCK_ANY, OMNI_STOCK_IN, OMNI_STOCK_LOW, OMNI_STOCK_OUT,
  };
  g_autofree char *search = NULL;
  OmniVariantQuery query = { 0 };
  guint stock = gtk_drop_down_get_selected (self->stock_dropdown);

  if (self->list == NULL || self->filling_locations)
    return;

  search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  query.search = search[0] != '\0' ? search : NULL;
  query.stock = stock < G_N_ELEMENTS (filters) ? filters[stock] : OMNI_STOCK_ANY;
  query.sort = OMNI_SORT_TITLE;
  omni_sql_sorter_read (gtk_column_view_get_sorter (self->column_view),
                        &query.sort, &query.descending);

  omni_stock_list_set_query (self->list, &query, selected_location_id (self));
}

static void
query_changed_cb (OmniInventoryPage *self)
{
  apply_query (self);
}

static void
update_view (OmniInventoryPage *self)
{
  const char *error = omni_stock_list_get_error (self->list);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint n_variants = omni_stock_list_get_n_variants (self->list);
  guint n_locations = omni_stock_list_get_n_locations (self->list);
  const OmniVariantQuery *query = omni_stock_list_get_query (self->list);
  g_autofree char *variants = NULL;
  g_autofree char *summary = NULL;
  gboolean filtered = query->search != NULL || query->stock != OMNI_STOCK_ANY;

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (n_items > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (!omni_stock_list_get_loading (self->list))
    gtk_stack_set_visible_child_name (self->stack, filtered ? "no-match" : "empty");

  variants = g_strdup_printf (ngettext ("%u variant", "%u variants", n_variants), n_variants);
  /* Translators: "41 variants at 2 locations" */
  summary = g_strdup_printf (ngettext ("%s at %u location", "%s at %u locations", n_locations),
                             variants, n_locations);
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);
}

static void
sorter_changed_cb (OmniInventoryPage *self)
{
  apply_query (self);
}

static void
store_changed_cb (OmniInventoryPage *self)
{
  if (self->list != NULL)
    omni_stock_list_refresh (self->list);
}

/* Cells ------------------------------------------------------------------- */

static char *
format_count (gint64 count)
{
  return omni_inventory_format_count (count);
}

static void
update_cell (GtkListItem *list_item)
{
  OmniStockItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "omni-column"));
  g_autofree char *text = NULL;
  gboolean loaded = item != NULL && omni_stock_item_get_loaded (item);

  if (!loaded)
    {
      if (column == COLUMN_PRODUCT)
        {
          gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (child)), "");
          gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (child)), "");
        }
      else
        gtk_label_set_text (GTK_LABEL (child), "");
      return;
    }

  switch (column)
    {
    case COLUMN_PRODUCT:
      {
        GtkWidget *options = gtk_widget_get_last_child (child);
        const char *text_options = omni_stock_item_get_options (item);

        gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (child)),
                            omni_stock_item_get_title (item));
        /* Kept even when empty, so every row has the same height. */
        gtk_label_set_text (GTK_LABEL (options), text_options);
        return;
      }
    case COLUMN_SKU:
      gtk_label_set_text (GTK_LABEL (child), omni_stock_item_get_sku (item));
      return;
    case COLUMN_LOCATION:
      gtk_label_set_text (GTK_LABEL (child), omni_stock_item_get_location (item));
      return;
    case COLUMN_ON_HAND:
      text = format_count (omni_stock_item_get_on_hand (item));
      break;
    case COLUMN_COMMITTED:
      text = format_count (omni_stock_item_get_committed (item));
      break;
    case COLUMN_AVAILABLE:
      text = format_count (omni_stock_item_get_available (item));
      break;
    case COLUMN_INCOMING:
      /* Nothing on order reads as a dash, so what is coming stands out. */
      if (omni_stock_item_get_incoming (item) > 0)
        text = format_count (omni_stock_item_get_incoming (item));
      else
        text = g_strdup ("—");
      break;
    case COLUMN_STATE:
      {
        const char *state = omni_stock_item_get_stock_state (item);
        gint64 point = omni_stock_item_get_reorder_point (item);
        g_autofree char *tooltip = NULL;

        gtk_widget_remove_css_class (child, "success");
        gtk_widget_remove_css_class (child, "warning");
        gtk_widget_remove_css_class (child, "error");
        gtk_widget_remove_css_class (child, "dim-label");
        if (g_str_equal (state, "out"))
          {
            gtk_label_set_text (GTK_LABEL (child), _("Out of stock"));
            gtk_widget_add_css_class (child, "error");
          }
        else if (g_str_equal (state, "low"))
          {
            gtk_label_set_text (GTK_LABEL (child), _("Low"));
            gtk_widget_add_css_class (child, "warning");
          }
        else if (g_str_equal (state, "archived"))
          {
            gtk_label_set_text (GTK_LABEL (child), _("Archived"));
            gtk_widget_add_css_class (child, "dim-label");
          }
        else
          {
            gtk_label_set_text (GTK_LABEL (child), _("In stock"));
            gtk_widget_add_css_class (child, "success");
          }

        text = format_count (omni_stock_item_get_total_available (item));
        if (point >= 0)
          {
            g_autofree char *point_text = format_count (point);

            /* Translators: "12 available at all locations, reorder point 5" */
            tooltip = g_strdup_printf (_("%s available at all locations, reorder point %s"),
                                       text, point_text);
          }
        else
          /* Translators: %s is a quantity */
          tooltip = g_strdup_printf (_("%s available at all locations, no reorder point"), text);
        gtk_widget_set_tooltip_text (child, tooltip);
        return;
      }
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (GTK_LABEL (child), text);
  if (column == COLUMN_AVAILABLE)
    {
      if (omni_stock_item_get_available (item) < 0)
        gtk_widget_add_css_class (child, "error");
      else
        gtk_widget_remove_css_class (child, "error");
    }
}

static void
item_loaded_cb (OmniStockItem *item,
                GParamSpec    *pspec,
                GtkListItem   *list_item)
{
  if (gtk_list_item_get_item (list_item) == (gpointer) item)
    update_cell (list_item);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child;

  if (column == COLUMN_PRODUCT)
    {
      GtkWidget *title = gtk_label_new (NULL);
      GtkWidget *options = gtk_label_new (NULL);

      child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (options), 0);
      gtk_label_set_ellipsize (GTK_LABEL (options), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (options, "dim-label");
      gtk_widget_add_css_class (options, "caption");
      gtk_box_append (GTK_BOX (child), title);
      gtk_box_append (GTK_BOX (child), options);
    }
  else
    {
      gboolean numeric = column == COLUMN_ON_HAND || column == COLUMN_COMMITTED ||
                         column == COLUMN_AVAILABLE || column == COLUMN_INCOMING;

      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), numeric ? 1.0 : 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
      if (numeric)
        gtk_widget_add_css_class (child, "numeric");
      if (column == COLUMN_STATE)
        {
          gtk_widget_add_css_class (child, "heading");
          gtk_widget_set_margin_end (child, 12);
        }
    }

  g_object_set_data (G_OBJECT (child), "omni-column", GINT_TO_POINTER (column));
  gtk_list_item_set_child (list_item, child);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  OmniStockItem *item = gtk_list_item_get_item (list_item);

  g_signal_connect_object (item, "notify::loaded", G_CALLBACK (item_loaded_cb), list_item, 0);
  update_cell (list_item);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  OmniStockItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_loaded_cb, list_item);
}

static void
add_column (OmniInventoryPage *self,
            Column             column,
            const char        *title,
            gboolean           expand,
            int                sort_key)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (sort_key >= 0)
    {
      g_autoptr(GtkSorter) sorter = omni_sql_sorter_new ((OmniSortKey) sort_key);

      gtk_column_view_column_set_sorter (view_column, sorter);
    }
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
setup_columns (OmniInventoryPage *self)
{
  add_column (self, COLUMN_PRODUCT, _("Product"), TRUE, OMNI_SORT_TITLE);
  add_column (self, COLUMN_SKU, _("SKU"), FALSE, OMNI_SORT_SKU);
  add_column (self, COLUMN_LOCATION, _("Location"), FALSE, -1);
  /* Translators: a column: units physically held */
  add_column (self, COLUMN_ON_HAND, _("On Hand"), FALSE, -1);
  /* Translators: a column: units reserved for unfulfilled orders */
  add_column (self, COLUMN_COMMITTED, _("Committed"), FALSE, -1);
  add_column (self, COLUMN_AVAILABLE, _("Available"), FALSE, OMNI_SORT_AVAILABLE);
  /* Translators: a column: units on purchase orders not received yet */
  add_column (self, COLUMN_INCOMING, _("Incoming"), FALSE, -1);
  add_column (self, COLUMN_STATE, _("Stock"), FALSE, -1);
}

/* Rows and actions -------------------------------------------------------- */

/* The item the actions work on: the first selected row, loaded. */
static OmniStockItem *
dup_current_item (OmniInventoryPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(OmniStockItem) item = NULL;

  if (gtk_bitset_is_empty (selected))
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (self->list), gtk_bitset_get_minimum (selected));
  if (item == NULL || !omni_stock_item_get_loaded (item))
    return NULL;
  return g_steal_pointer (&item);
}

static OmniStockItem *
require_current_item (OmniInventoryPage *self)
{
  OmniStockItem *item = dup_current_item (self);

  if (item == NULL)
    omni_inventory_show_error (GTK_WIDGET (self), _("Select a row first"));
  return item;
}

static void
adjust_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (widget);
  g_autoptr(OmniStockItem) item = require_current_item (self);

  if (item != NULL)
    omni_adjust_dialog_show (widget, omni_page_get_context (OMNI_PAGE (self)),
                             omni_stock_item_get_variant_id (item),
                             omni_stock_item_get_location_id (item));
}

static void
transfer_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (widget);
  g_autoptr(OmniStockItem) item = require_current_item (self);
  OmniTransferDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);
  gint64 from;

  if (item == NULL || !GTK_IS_WINDOW (root))
    return;

  dialog = omni_transfer_dialog_new (GTK_WINDOW (root), omni_page_get_context (OMNI_PAGE (self)),
                                     omni_stock_item_get_variant_id (item));
  if (dialog == NULL)
    return;

  /* From the row's location to the first other one. */
  from = omni_stock_item_get_location_id (item);
  for (guint i = 0; self->locations != NULL && i < self->locations->len; i++)
    {
      OmniLocation *location = g_ptr_array_index (self->locations, i);

      if (location->id != from)
        {
          omni_transfer_dialog_set_locations (dialog, from, location->id);
          break;
        }
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (widget);
  g_autoptr(OmniStockItem) item = require_current_item (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  OmniHistoryWindow *history;

  if (item == NULL || !GTK_IS_WINDOW (root))
    return;

  history = omni_history_window_new (GTK_WINDOW (root), omni_page_get_context (OMNI_PAGE (self)),
                                     omni_stock_item_get_variant_id (item));
  gtk_window_present (GTK_WINDOW (history));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
row_activated_cb (OmniInventoryPage *self,
                  guint              position)
{
  g_autoptr(OmniStockItem) item = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (item == NULL || !omni_stock_item_get_loaded (item))
    return;
  omni_adjust_dialog_show (GTK_WIDGET (self), omni_page_get_context (OMNI_PAGE (self)),
                           omni_stock_item_get_variant_id (item),
                           omni_stock_item_get_location_id (item));
}

/* Batches ----------------------------------------------------------------- */

typedef struct
{
  OmniBatchKind     kind;
  gint64            location_id;
  char             *path;
  OmniVariantQuery  query;            /* borrowed strings copied below */
  char             *search;
  GArray           *indexes;          /* guint: variant positions, ascending */
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_free (resolve->path);
  g_free (resolve->search);
  g_array_unref (resolve->indexes);
  g_free (resolve);
}

/* Turns variant positions of the current query into ids, a run of
 * consecutive positions per query. */
static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Resolve *resolve = task_data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError *error = NULL;
  guint i = 0;

  store = omni_store_open (resolve->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  while (i < resolve->indexes->len)
    {
      guint first = g_array_index (resolve->indexes, guint, i);
      guint n = 1;
      g_autoptr(GPtrArray) rows = NULL;

      while (i + n < resolve->indexes->len && n < 1000 &&
             g_array_index (resolve->indexes, guint, i + n) == first + n)
        n++;
      rows = omni_store_list_variants (store, &resolve->query, first, n, &error);
      if (rows == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint j = 0; j < rows->len; j++)
        g_array_append_val (ids, ((OmniVariantRow *) g_ptr_array_index (rows, j))->id);
      i += n;
    }

  g_task_return_pointer (task, g_steal_pointer (&ids), (GDestroyNotify) g_array_unref);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (source);
  Resolve *resolve = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_task_propagate_pointer (G_TASK (result), &error);

  if (ids == NULL)
    {
      omni_inventory_show_error (GTK_WIDGET (self), error->message);
      return;
    }
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;

  omni_inventory_batch_prompt (GTK_WIDGET (self), omni_page_get_context (OMNI_PAGE (self)),
                               resolve->kind, &g_array_index (ids, const gint64, 0), ids->len,
                               resolve->location_id);
}

static gboolean
parse_kind (const char    *name,
            OmniBatchKind *kind)
{
  static const struct { const char *name; OmniBatchKind kind; } kinds[] = {
    { "adjust", OMNI_BATCH_ADJUST },
    { "set", OMNI_BATCH_SET },
    { "transfer", OMNI_BATCH_TRANSFER },
    { "reorder-point", OMNI_BATCH_REORDER_POINT },
    { "archive", OMNI_BATCH_ARCHIVE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      {
        *kind = kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

static void
batch_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GTask) task = NULL;
  const OmniVariantQuery *query = omni_stock_list_get_query (self->list);
  guint n_locations = MAX (omni_stock_list_get_n_locations (self->list), 1);
  OmniContext *context = omni_page_get_context (OMNI_PAGE (self));
  GtkBitsetIter iter;
  OmniBatchKind kind;
  Resolve *resolve;
  guint position;
  gint64 location_id = selected_location_id (self);

  if (!parse_kind (g_variant_get_string (param, NULL), &kind))
    return;
  if (gtk_bitset_is_empty (selected))
    {
      omni_inventory_show_error (widget, _("Select one or more variants first"));
      return;
    }

  resolve = g_new0 (Resolve, 1);
  resolve->kind = kind;
  resolve->path = g_strdup (omni_store_get_path (omni_context_get_store (context)));
  resolve->indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  resolve->query = *query;
  resolve->search = g_strdup (query->search);
  resolve->query.search = resolve->search;
  resolve->query.vendor = resolve->query.product_type = resolve->query.tag = NULL;

  /* Rows of one variant are consecutive: P / L is the variant's position. */
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more; more = gtk_bitset_iter_next (&iter, &position))
    {
      guint index = position / n_locations;

      if (resolve->indexes->len == 0 ||
          g_array_index (resolve->indexes, guint, resolve->indexes->len - 1) != index)
        g_array_append_val (resolve->indexes, index);
    }

  /* A single row also offers its location first. */
  if (location_id == 0)
    {
      g_autoptr(OmniStockItem) item = dup_current_item (self);

      if (item != NULL)
        location_id = omni_stock_item_get_location_id (item);
    }
  resolve->location_id = location_id;

  task = g_task_new (self, NULL, resolved_cb, NULL);
  g_task_set_source_tag (task, batch_action);
  g_task_set_task_data (task, resolve, (GDestroyNotify) resolve_free);
  g_task_run_in_thread (task, resolve_thread);
}

/* Alerts ------------------------------------------------------------------ */

static void
alert_raised_cb (OmniInventoryPage *self,
                 const char        *title,
                 const char        *body,
                 guint              n_alerts)
{
  GApplication *application = g_application_get_default ();

  self->notifications_sent++;
  if (application != NULL && g_application_get_is_registered (application))
    omni_alerts_monitor_send_notification (application, title, body);
}

/* GObject ----------------------------------------------------------------- */

static void
omni_inventory_page_constructed (GObject *object)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (object);
  OmniContext *context;
  GtkSorter *sorter;

  G_OBJECT_CLASS (omni_inventory_page_parent_class)->constructed (object);

  context = omni_page_get_context (OMNI_PAGE (self));
  if (context == NULL)
    return;

  self->list = omni_stock_list_new (omni_store_get_path (omni_context_get_store (context)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->list, "notify::n-items", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::error", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::locations", G_CALLBACK (locations_changed_cb),
                           self, G_CONNECT_SWAPPED);
  sorter = gtk_column_view_get_sorter (self->column_view);
  g_signal_connect_object (sorter, "changed", G_CALLBACK (sorter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "store-changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->alerts = omni_alerts_monitor_new (context);
  g_signal_connect_object (self->alerts, "alert-raised", G_CALLBACK (alert_raised_cb), self,
                           G_CONNECT_SWAPPED);

  apply_query (self);
}

static void
omni_inventory_page_dispose (GObject *object)
{
  OmniInventoryPage *self = OMNI_INVENTORY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_INVENTORY_PAGE);
  g_clear_object (&self->alerts);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->location_names);
  g_clear_pointer (&self->locations, g_ptr_array_unref);

  G_OBJECT_CLASS (omni_inventory_page_parent_class)->dispose (object);
}

static void
omni_inventory_page_class_init (OmniInventoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_inventory_page_constructed;
  object_class->dispose = omni_inventory_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-inventory-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniInventoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniInventoryPage, location_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmniInventoryPage, stock_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmniInventoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniInventoryPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, OmniInventoryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, OmniInventoryPage, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "inventory.adjust", NULL, adjust_action);
  gtk_widget_class_install_action (widget_class, "inventory.transfer", NULL, transfer_action);
  gtk_widget_class_install_action (widget_class, "inventory.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "inventory.batch", "s", batch_action);
  gtk_widget_class_install_action (widget_class, "inventory.focus-search", NULL,
                                   focus_search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "inventory.adjust", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "inventory.transfer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "inventory.history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "inventory.focus-search", NULL);
}

static void
omni_inventory_page_init (OmniInventoryPage *self)
{
  self->location_names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_drop_down_set_model (self->location_dropdown, G_LIST_MODEL (self->location_names));
  setup_columns (self);
}

/**
 * omni_inventory_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_inventory_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_INVENTORY_PAGE,
                       "context", context,
                       NULL);
}

/**
 * omni_inventory_page_get_model:
 *
 * Returns: (transfer none): the rows, as #OmniStockItem
 */
GListModel *
omni_inventory_page_get_model (OmniInventoryPage *self)
{
  g_return_val_if_fail (OMNI_IS_INVENTORY_PAGE (self), NULL);
  return G_LIST_MODEL (self->list);
}

/**
 * omni_inventory_page_get_selection:
 *
 * Returns: (transfer none): the rows' selection; the actions work on it
 */
GtkSelectionModel *
omni_inventory_page_get_selection (OmniInventoryPage *self)
{
  g_return_val_if_fail (OMNI_IS_INVENTORY_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

gboolean
omni_inventory_page_get_loading (OmniInventoryPage *self)
{
  g_return_val_if_fail (OMNI_IS_INVENTORY_PAGE (self), FALSE);
  return self->list != NULL && omni_stock_list_get_loading (self->list);
}

/**
 * omni_inventory_page_set_search:
 *
 * Types @text into the search entry.
 */
void
omni_inventory_page_set_search (OmniInventoryPage *self,
                                const char        *text)
{
  g_return_if_fail (OMNI_IS_INVENTORY_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  apply_query (self);   /* without the entry's delay */
}

/**
 * omni_inventory_page_set_location:
 * @location_id: an active location, 0 for all
 *
 * Returns: %FALSE when the location is not offered
 */
gboolean
omni_inventory_page_set_location (OmniInventoryPage *self,
                                  gint64             location_id)
{
  g_return_val_if_fail (OMNI_IS_INVENTORY_PAGE (self), FALSE);

  if (location_id == 0)
    {
      gtk_drop_down_set_selected (self->location_dropdown, 0);
      return TRUE;
    }
  for (guint i = 0; self->locations != NULL && i < self->locations->len; i++)
    if (((OmniLocation *) g_ptr_array_index (self->locations, i))->id == location_id)
      {
        gtk_drop_down_set_selected (self->location_dropdown, i + 1);
        return TRUE;
      }
  return FALSE;
}

/**
 * omni_inventory_page_show_stock:
 * @filter: %OMNI_STOCK_ANY, _IN, _LOW or _OUT
 *
 * Chooses the stock filter, as the drop-down does: the low-stock alerts
 * are the rows of %OMNI_STOCK_LOW and %OMNI_STOCK_OUT.
 */
void
omni_inventory_page_show_stock (OmniInventoryPage *self,
                                OmniStockFilter    filter)
{
  g_return_if_fail (OMNI_IS_INVENTORY_PAGE (self));
  g_return_if_fail (filter <= OMNI_STOCK_OUT);

  gtk_drop_down_set_selected (self->stock_dropdown, (guint) filter);
}

/**
 * omni_inventory_page_get_alerts_monitor:
 *
 * Returns: (transfer none) (type OmniAlertsMonitor): the low-stock monitor
 */
GObject *
omni_inventory_page_get_alerts_monitor (OmniInventoryPage *self)
{
  g_return_val_if_fail (OMNI_IS_INVENTORY_PAGE (self), NULL);
  return G_OBJECT (self->alerts);
}

/* How many low-stock notifications the page has raised. */
guint
omni_inventory_page_get_notifications_sent (OmniInventoryPage *self)
{
  g_return_val_if_fail (OMNI_IS_INVENTORY_PAGE (self), 0);
  return self->notifications_sent;
}
