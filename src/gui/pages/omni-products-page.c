/* omni-products-page.c: the Products page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView over an OmniVariantList, the paged model that holds only
 * the rows near the view, so a million variants cost the memory of a few
 * hundred. Everything that narrows or orders the list becomes part of one
 * OmniVariantQuery, which SQL carries out: the search entry (FTS5 trigram
 * search, as you type), the filter bar, and the column headers, whose
 * OmniSqlSorters only say which key to sort by.
 *
 * A SKU or barcode typed or scanned into the search entry also looks the
 * exact code up on a worker, asks the store where that variant stands in the
 * list, and selects and scrolls to that row once the list has counted.
 *
 * The list is a GtkMultiSelection (Ctrl/Shift-click, Ctrl+A). The selected
 * rows' variant ids come from omni_products_page_dup_selected_variant_ids(),
 * for actions that work on many variants at once.
 *
 * Writes (archive, restore, duplicate) run on a worker with their own
 * connection; then the context announces the change and every view of it,
 * this list included, reads again.
 */
#define G_LOG_DOMAIN "omni-products-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "omni-label-print-dialog.h"
#include "omni-product-columns.h"
#include "omni-product-editor.h"
#include "omni-product-filter-bar.h"
#include "omni-product-row-menu.h"
#include "omni-products-page.h"
#include "omni-sql-sorter.h"
#include "omni-store-catalog.h"
#include "omni-variant-list.h"
#include "omni-toast.h"

/* Longest text that is looked up as an exact SKU or barcode. */
#define MAX_CODE_LENGTH 64

/* Most SKUs Copy SKU puts on the clipboard at once. */
#define MAX_COPY_SKUS 10000

struct _OmniProductsPage
{
  OmniPage              parent_instance;

  AdwToastOverlay      *toast_overlay;    /* the child, not a template child */
  GtkSearchEntry       *search_entry;
  OmniProductFilterBar *filter_bar;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  AdwStatusPage        *error_page;
  GtkLabel             *count_label;
  GtkWidget            *selection_box;
  GMenuModel           *row_menu;

  OmniVariantList      *list;
  GtkMultiSelection    *selection;
  OmniProductColumns   *columns;
  GtkWidget            *editor;           /* weak */
  OmniProductRowMenu   *row_context_menu;

  OmniSortKey           sort;
  gboolean              descending;

  /* The exact-code lookup: where the typed SKU or barcode stands. */
  GCancellable         *jump_cancellable;
  gint64                jump_position;    /* -1 for none */
  gboolean              counted;          /* the list counted the current query */
  gboolean              normalizing;      /* resetting the headers' sorters */

  GCancellable         *cancellable;      /* writes; cancelled on dispose */
  guint                 jobs;
  GArray               *undo_products;    /* the products the last archive touched */
  gboolean              undo_archived;
  guint                 narrow_idle;
};

G_DEFINE_FINAL_TYPE (OmniProductsPage, omni_products_page, OMNI_TYPE_PAGE)

static OmniStore *
page_store (OmniProductsPage *self)
{
  return omni_context_get_store (omni_page_get_context (OMNI_PAGE (self)));
}

static const char *
page_db_path (OmniProductsPage *self)
{
  return omni_store_get_path (page_store (self));
}

/* The query ------------------------------------------------------------- */

static char *
dup_search_text (OmniProductsPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  /* The store refuses longer searches; no product needs more to be found. */
  if (strlen (text) > OMNI_SEARCH_MAX_QUERY)
    *g_utf8_find_prev_char (text, text + OMNI_SEARCH_MAX_QUERY + 1) = '\0';
  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
build_query (OmniProductsPage *self,
             OmniVariantQuery *query,
             char             *search)
{
  memset (query, 0, sizeof *query);
  query->search = search;
  query->vendor = omni_product_filter_bar_get_vendor (self->filter_bar);
  query->product_type = omni_product_filter_bar_get_product_type (self->filter_bar);
  query->tag = omni_product_filter_bar_get_tag (self->filter_bar);
  query->stock = omni_product_filter_bar_get_stock (self->filter_bar);
  query->sort = self->sort;
  query->descending = self->descending;
}

static void start_jump (OmniProductsPage *self,
                        const char       *code);
static void update_actions (OmniProductsPage *self);

static void
apply_query (OmniProductsPage *self)
{
  g_autofree char *search = dup_search_text (self);
  OmniVariantQuery query;

  build_query (self, &query, search);
  self->counted = FALSE;
  omni_variant_list_set_query (self->list, &query);
  start_jump (self, search);
  update_actions (self);
}

/* What shows -------------------------------------------------------------- */

static gboolean
narrowed (OmniProductsPage *self)
{
  const OmniVariantQuery *query = omni_variant_list_get_query (self->list);

  return query->search != NULL || omni_product_filter_bar_get_active (self->filter_bar);
}

static void
update_count_label (OmniProductsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint selected = omni_products_page_get_n_selected (self);
  g_autofree char *text = NULL;

  if (selected > 0)
    /* Translators: "3 of 1,200 variants selected" */
    text = g_strdup_printf (ngettext ("%'u of %'u variant selected",
                                      "%'u of %'u variants selected", n),
                            selected, n);
  else
    text = g_strdup_printf (ngettext ("%'u variant", "%'u variants", n), n);
  gtk_label_set_label (self->count_label, text);
}

static void
update_state (OmniProductsPage *self)
{
  const char *error = omni_variant_list_get_error (self->list);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  const char *state = "list";

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error);
      state = "error";
    }
  else if (n == 0 && !omni_variant_list_get_loading (self->list))
    state = narrowed (self) ? "empty" : "no-products";

  gtk_stack_set_visible_child_name (self->stack, state);
  update_count_label (self);
}

/* Jumping to an exact SKU or barcode ----------------------------------------- */

static void
query_copy_into (OmniVariantQuery       *dest,
                 const OmniVariantQuery *src)
{
  *dest = *src;
  dest->search = g_strdup (src->search);
  dest->vendor = g_strdup (src->vendor);
  dest->product_type = g_strdup (src->product_type);
  dest->tag = g_strdup (src->tag);
}

static void
query_free_strings (OmniVariantQuery *query)
{
  g_free ((char *) query->search);
  g_free ((char *) query->vendor);
  g_free ((char *) query->product_type);
  g_free ((char *) query->tag);
}


typedef struct
{
  char             *path;
  char             *code;
  OmniVariantQuery  query;   /* owns its strings */
} JumpJob;

static void
jump_job_free (JumpJob *job)
{
  g_free (job->path);
  g_free (job->code);
  query_free_strings (&job->query);
  g_free (job);
}

static void
jump_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  JumpJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  gint64 id, position;

  store = omni_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  id = omni_store_find_variant (store, job->code, NULL);
  position = id > 0 ? omni_store_variant_position (store, &job->query, id, &error) : -1;
  g_clear_object (&store);

  if (position < -1)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) position);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LIST_VIEW (child))
        return child;
      if ((found = find_list_view (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Selects the row the exact code named, once the list holds the rows of
 * the query the position was computed for: the lookup may well finish
 * before the count, and the rows replaced then would drop the selection. */
static void
try_jump (OmniProductsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  GtkWidget *list_view;

  if (self->jump_position < 0 || !self->counted || (guint64) self->jump_position >= n)
    return;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection),
                                   (guint) self->jump_position, TRUE);
  /* GTK 4.8 has no gtk_column_view_scroll_to(); its list view has the
   * action the keyboard navigation uses. */
  list_view = find_list_view (GTK_WIDGET (self->column_view));
  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u",
                                (guint) self->jump_position);
  self->jump_position = -1;
}

static void
jump_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (source);
  g_autoptr(GError) error = NULL;
  gssize position = g_task_propagate_int (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->jump_cancellable);
  if (error != NULL)
    {
      /* The list reports database trouble itself. */
      g_debug ("Could not look the code up: %s", error->message);
      return;
    }

  self->jump_position = position;
  try_jump (self);
}

static gboolean
looks_like_code (const char *text)
{
  if (text == NULL || strlen (text) > MAX_CODE_LENGTH)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static void
start_jump (OmniProductsPage *self,
            const char       *code)
{
  g_autoptr(GTask) task = NULL;
  JumpJob *job;

  g_cancellable_cancel (self->jump_cancellable);
  g_clear_object (&self->jump_cancellable);
  self->jump_position = -1;

  if (!looks_like_code (code))
    return;

  job = g_new0 (JumpJob, 1);
  job->path = g_strdup (page_db_path (self));
  job->code = g_strdup (code);
  query_copy_into (&job->query, omni_variant_list_get_query (self->list));

  self->jump_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->jump_cancellable, jump_done_cb, NULL);
  g_task_set_source_tag (task, start_jump);
  g_task_set_task_data (task, job, (GDestroyNotify) jump_job_free);
  g_task_run_in_thread (task, jump_thread);
}

/* Selection --------------------------------------------------------------- */

/* The selection as runs of consecutive positions: (first, n) pairs. */
static GArray *
selected_ranges (OmniProductsPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  GtkBitsetIter iter;
  guint position, run[2] = { 0, 0 };
  gboolean more;

  for (more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      if (run[1] > 0 && position == run[0] + run[1])
        {
          run[1]++;
          continue;
        }
      if (run[1] > 0)
        g_array_append_val (ranges, run);
      run[0] = position;
      run[1] = 1;
    }
  if (run[1] > 0)
    g_array_append_val (ranges, run);
  return ranges;
}

/* Reads the ids of @ranges of @query's rows. Every query sorts the rows
 * it walks, so many scattered runs are read as one span and picked from. */
static GArray *
read_range_ids (OmniStore               *store,
                const OmniVariantQuery  *query,
                GArray                  *ranges,
                GError                 **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint first, last;

  if (ranges->len == 0)
    return g_steal_pointer (&ids);

  first = g_array_index (ranges, guint, 0);
  last = g_array_index (ranges, guint, 2 * (ranges->len - 1)) +
         g_array_index (ranges, guint, 2 * (ranges->len - 1) + 1);

  if (ranges->len <= 4)
    {
      for (guint i = 0; i < ranges->len; i++)
        {
          g_autoptr(GArray) run = omni_store_list_variant_ids (store, query,
                                                               g_array_index (ranges, guint, 2 * i),
                                                               g_array_index (ranges, guint, 2 * i + 1),
                                                               error);

          if (run == NULL)
            return NULL;
          g_array_append_vals (ids, run->data, run->len);
        }
    }
  else
    {
      g_autoptr(GArray) span = omni_store_list_variant_ids (store, query, first, last - first,
                                                            error);

      if (span == NULL)
        return NULL;
      for (guint i = 0; i < ranges->len; i++)
        {
          guint start = g_array_index (ranges, guint, 2 * i) - first;
          guint n = g_array_index (ranges, guint, 2 * i + 1);

          if (start < span->len)
            g_array_append_vals (ids, &g_array_index (span, gint64, start),
                                 MIN (n, span->len - start));
        }
    }
  return g_steal_pointer (&ids);
}

/* A few rows clicked among those shown are loaded already. */
#define LOADED_FAST_PATH (2 * OMNI_VARIANT_LIST_PAGE_SIZE)

static GArray *
loaded_ids (OmniProductsPage *self,
            GArray           *ranges)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint total = 0;

  for (guint i = 0; i < ranges->len; i++)
    total += g_array_index (ranges, guint, 2 * i + 1);
  if (total > LOADED_FAST_PATH)
    return NULL;

  for (guint i = 0; i < ranges->len; i++)
    for (guint j = 0; j < g_array_index (ranges, guint, 2 * i + 1); j++)
      {
        guint position = g_array_index (ranges, guint, 2 * i) + j;
        g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (self->list),
                                                                 position);
        gint64 id;

        if (item == NULL || !omni_variant_item_get_loaded (item))
          return NULL;
        id = omni_variant_item_get_id (item);
        g_array_append_val (ids, id);
      }
  return g_steal_pointer (&ids);
}

/**
 * omni_products_page_dup_selected_variant_ids:
 *
 * The variants of the selected rows, in list order. Rows clicked among
 * those shown are loaded and answer at once. A selection with rows that are
 * not loaded (a Shift-click far down, Ctrl+A) is read from the store on
 * this thread, one query per run of rows: for a large catalog prefer
 * omni_products_page_list_selected_variant_ids_async().
 *
 * Returns: (transfer full) (element-type gint64): the ids; empty when
 *   nothing is selected (or, with a warning, when the store cannot be read)
 */
GArray *
omni_products_page_dup_selected_variant_ids (OmniProductsPage *self)
{
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids;

  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  ranges = selected_ranges (self);
  if ((ids = loaded_ids (self, ranges)) != NULL)
    return ids;

  ids = read_range_ids (page_store (self), omni_variant_list_get_query (self->list), ranges,
                        &error);
  if (ids == NULL)
    {
      g_warning ("Could not read the selected variants: %s", error->message);
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  return ids;
}

typedef struct
{
  char             *path;
  OmniVariantQuery  query;    /* owns its strings */
  GArray           *ranges;
} IdsJob;

static void
ids_job_free (IdsJob *job)
{
  g_free (job->path);
  query_free_strings (&job->query);
  g_array_unref (job->ranges);
  g_free (job);
}

static void
ids_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  IdsJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  GArray *ids;

  if ((store = omni_store_open (job->path, &error)) == NULL ||
      (ids = read_range_ids (store, &job->query, job->ranges, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

/**
 * omni_products_page_list_selected_variant_ids_async:
 *
 * Reads the variants of the selected rows, as they are now, on a worker
 * with its own connection: the way to go for a selection of many rows
 * (Ctrl+A over a large catalog). Rows clicked among those shown answer
 * without a query.
 */
void
omni_products_page_list_selected_variant_ids_async (OmniProductsPage    *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GArray) ranges = NULL;
  GArray *ids;
  IdsJob *job;

  g_return_if_fail (OMNI_IS_PRODUCTS_PAGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, omni_products_page_list_selected_variant_ids_async);

  ranges = selected_ranges (self);
  if ((ids = loaded_ids (self, ranges)) != NULL)
    {
      g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
      return;
    }

  job = g_new0 (IdsJob, 1);
  job->path = g_strdup (page_db_path (self));
  query_copy_into (&job->query, omni_variant_list_get_query (self->list));
  job->ranges = g_steal_pointer (&ranges);
  g_task_set_task_data (task, job, (GDestroyNotify) ids_job_free);
  g_task_run_in_thread (task, ids_thread);
}

/**
 * omni_products_page_list_selected_variant_ids_finish:
 *
 * Returns: (transfer full) (element-type gint64): the ids in list order, or
 *   %NULL with @error set
 */
GArray *
omni_products_page_list_selected_variant_ids_finish (OmniProductsPage  *self,
                                                     GAsyncResult      *result,
                                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        omni_products_page_list_selected_variant_ids_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
omni_products_page_get_n_selected (OmniProductsPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), 0);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  return (guint) MIN (gtk_bitset_get_size (selected), G_MAXUINT);
}

void
omni_products_page_select_all (OmniProductsPage *self)
{
  g_return_if_fail (OMNI_IS_PRODUCTS_PAGE (self));

  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

/* The single selected row, if it has loaded. */
static const OmniVariantRow *
selected_row (OmniProductsPage  *self,
              OmniVariantItem  **item_out)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  OmniVariantItem *item;

  *item_out = NULL;
  if (gtk_bitset_get_size (selected) != 1)
    return NULL;

  item = g_list_model_get_item (G_LIST_MODEL (self->list), gtk_bitset_get_minimum (selected));
  if (item == NULL)
    return NULL;
  *item_out = item;
  return omni_variant_item_get_row (item);
}

static void
update_actions (OmniProductsPage *self)
{
  guint selected = omni_products_page_get_n_selected (self);
  gboolean archived = omni_product_filter_bar_get_stock (self->filter_bar) == OMNI_STOCK_ARCHIVED;
  gboolean idle = self->jobs == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.edit", selected == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.duplicate",
                                 selected == 1 && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.archive",
                                 selected > 0 && !archived && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.restore",
                                 selected > 0 && archived && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.print-labels", selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.adjust-stock",
                                 selected > 0 && !archived);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.show-history", selected == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.copy-sku",
                                 selected > 0 && selected <= MAX_COPY_SKUS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "products.clear-filters",
                                 narrowed (self));
  gtk_widget_set_visible (self->selection_box, selected > 0);
}

static void
selection_changed_cb (OmniProductsPage *self)
{
  update_actions (self);
  update_count_label (self);
}

/* The editor ---------------------------------------------------------------- */

/**
 * omni_products_page_open_editor:
 * @product_id: the product to edit, 0 for a new one
 * @variant_id: the variant to open in the editor, or 0
 *
 * Returns: (transfer none) (nullable): the editor window, or %NULL when the
 *   product could not be read (a toast says why)
 */
GtkWidget *
omni_products_page_open_editor (OmniProductsPage *self,
                                gint64            product_id,
                                gint64            variant_id)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root;
  GtkWidget *editor;

  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  /* One product at a time: the open editor comes to the front. */
  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return self->editor;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  editor = omni_product_editor_new (omni_page_get_context (OMNI_PAGE (self)),
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    product_id, variant_id, &error);
  if (editor == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return NULL;
    }

  g_set_weak_pointer (&self->editor, editor);
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

/* Returns: (transfer none) (nullable): the open product editor */
GtkWidget *
omni_products_page_get_editor (OmniProductsPage *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  return self->editor;
}

static void
edit_row_at (OmniProductsPage *self,
             guint             position)
{
  g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (self->list), position);
  const OmniVariantRow *row = item != NULL ? omni_variant_item_get_row (item) : NULL;

  if (row != NULL)
    omni_products_page_open_editor (self, row->product_id, row->id);
}

static void
row_activated_cb (OmniProductsPage *self,
                  guint             position)
{
  edit_row_at (self, position);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  omni_products_page_open_editor (OMNI_PRODUCTS_PAGE (widget), 0, 0);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (gtk_bitset_get_size (selected) == 1)
    edit_row_at (self, gtk_bitset_get_minimum (selected));
}

/* Writes on a worker ------------------------------------------------------- */

typedef enum
{
  JOB_ARCHIVE,
  JOB_RESTORE,
  JOB_DUPLICATE,
} JobKind;

typedef struct
{
  JobKind  kind;
  char    *path;
  GArray  *variant_ids;    /* the selection, for archive and restore */
  GArray  *product_ids;    /* given, or found from the variants */
  gint64   new_product;    /* what a duplicate created */
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->variant_ids, g_array_unref);
  g_clear_pointer (&job->product_ids, g_array_unref);
  g_free (job);
}

/* The products of the selected variants, each once, in order. */
static gboolean
resolve_products (OmniStore  *store,
                  WriteJob   *job,
                  GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (job->product_ids->len > 0)
    return TRUE;

  for (guint i = 0; i < job->variant_ids->len; i++)
    {
      g_autoptr(OmniVariantRow) row = omni_store_get_variant (store,
                                                              g_array_index (job->variant_ids,
                                                                             gint64, i),
                                                              error);

      if (row == NULL)
        return FALSE;
      if (g_hash_table_add (seen, g_memdup2 (&row->product_id, sizeof row->product_id)))
        g_array_append_val (job->product_ids, row->product_id);
    }
  return TRUE;
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;
  gboolean ok = TRUE;

  store = omni_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->kind == JOB_DUPLICATE)
    {
      job->new_product = omni_store_duplicate_product (store,
                                                       g_array_index (job->product_ids, gint64, 0),
                                                       &error);
      ok = job->new_product > 0;
    }
  else
    {
      gboolean archive = job->kind == JOB_ARCHIVE;

      /* All the products or none. */
      ok = resolve_products (store, job, &error) && omni_store_begin (store, &error);
      if (ok)
        {
          for (guint i = 0; ok && i < job->product_ids->len; i++)
            ok = omni_store_set_product_archived (store,
                                                  g_array_index (job->product_ids, gint64, i),
                                                  archive, &error);
          /* A variant archived on its own comes back with its product. */
          if (ok && !archive && job->variant_ids->len > 0)
            ok = omni_store_set_variants_archived (store,
                                                   &g_array_index (job->variant_ids, const gint64, 0),
                                                   job->variant_ids->len, FALSE, &error);
          if (ok)
            ok = omni_store_commit (store, &error);
          else
            omni_store_rollback (store);
        }
    }

  g_clear_object (&store);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
set_jobs (OmniProductsPage *self,
          int               delta)
{
  self->jobs += delta;
  /* A job cancelled by dispose reports back after the widgets are gone. */
  if (self->list != NULL)
    update_actions (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param);

static void start_write (OmniProductsPage *self,
                         JobKind           kind,
                         GArray           *variant_ids,
                         GArray           *product_ids);

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (source);
  WriteJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AdwToast *toast;
  guint n;

  set_jobs (self, -1);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return;
    }

  omni_context_store_changed (omni_page_get_context (OMNI_PAGE (self)));
  n = job->product_ids->len;

  if (job->kind == JOB_DUPLICATE)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   omni_toast_new_text (_("Duplicated as a draft")));
      omni_products_page_open_editor (self, job->new_product, 0);
      return;
    }

  g_clear_pointer (&self->undo_products, g_array_unref);
  self->undo_products = g_array_ref (job->product_ids);
  self->undo_archived = job->kind == JOB_ARCHIVE;

  if (job->kind == JOB_ARCHIVE)
    message = g_strdup_printf (ngettext ("%u product archived", "%u products archived", n), n);
  else
    message = g_strdup_printf (ngettext ("%u product restored", "%u products restored", n), n);
  toast = omni_toast_new_text (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "products.undo");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
start_write (OmniProductsPage *self,
             JobKind           kind,
             GArray           *variant_ids,
             GArray           *product_ids)
{
  g_autoptr(GTask) task = NULL;
  WriteJob *job = g_new0 (WriteJob, 1);

  job->kind = kind;
  job->path = g_strdup (page_db_path (self));
  job->variant_ids = variant_ids != NULL ? g_array_ref (variant_ids)
                                         : g_array_new (FALSE, FALSE, sizeof (gint64));
  job->product_ids = product_ids != NULL ? g_array_ref (product_ids)
                                         : g_array_new (FALSE, FALSE, sizeof (gint64));

  task = g_task_new (self, self->cancellable, write_done_cb, NULL);
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  set_jobs (self, +1);
  g_task_run_in_thread (task, write_thread);
}

static void
archive_ids_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (source);
  JobKind kind = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  set_jobs (self, -1);
  ids = omni_products_page_list_selected_variant_ids_finish (self, result, &error);
  if (ids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return;
    }
  if (ids->len > 0)
    start_write (self, kind, ids, NULL);
}

/* The selection may span many rows: their ids are read on a worker too. */
static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);
  JobKind kind = g_str_equal (action_name, "products.archive") ? JOB_ARCHIVE : JOB_RESTORE;

  set_jobs (self, +1);
  omni_products_page_list_selected_variant_ids_async (self, self->cancellable, archive_ids_cb,
                                                      GINT_TO_POINTER (kind));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);
  g_autoptr(OmniVariantItem) item = NULL;
  const OmniVariantRow *row = selected_row (self, &item);
  g_autoptr(GArray) products = NULL;

  if (row == NULL)
    return;
  products = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (products, row->product_id);
  start_write (self, JOB_DUPLICATE, NULL, products);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);
  g_autoptr(GArray) products = g_steal_pointer (&self->undo_products);

  if (products != NULL && products->len > 0)
    start_write (self, self->undo_archived ? JOB_RESTORE : JOB_ARCHIVE, NULL, products);
}

/* Labels for the selection: its ids are read on a worker, as for archive. */
static void
print_labels_ids_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  OmniLabelPrintDialog *dialog;

  ids = omni_products_page_list_selected_variant_ids_finish (self, result, &error);
  if (ids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return;
    }
  if (ids->len == 0)
    return;

  dialog = omni_label_print_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        page_db_path (self), ids);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
print_labels_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);

  omni_products_page_list_selected_variant_ids_async (self, self->cancellable,
                                                      print_labels_ids_cb, NULL);
}

/* Stock of the selection, through the window's actions: the adjust dialog
 * for one variant, the batch adjustment (which confirms the count) for
 * several. */
static void
adjust_stock_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);
  g_autoptr(OmniVariantItem) item = NULL;
  const OmniVariantRow *row = selected_row (self, &item);

  if (omni_products_page_get_n_selected (self) > 1)
    gtk_widget_activate_action (widget, "win.batch-selected", "s", "adjust");
  else if (row != NULL)
    gtk_widget_activate_action (widget, "win.adjust-stock", "x", row->id);
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);
  g_autoptr(OmniVariantItem) item = NULL;
  const OmniVariantRow *row = selected_row (self, &item);

  if (row != NULL)
    gtk_widget_activate_action (widget, "win.stock-history", "x", row->id);
}

/* Copy SKU: one SKU a line, in list order; variants without one are left
 * out. */
static void
copy_skus (OmniProductsPage *self,
           GPtrArray        *skus)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *message = NULL;
  guint n = 0;

  for (guint i = 0; i < skus->len; i++)
    {
      const char *sku = g_ptr_array_index (skus, i);

      if (sku == NULL || *sku == '\0')
        continue;
      if (n++ > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, sku);
    }

  if (n == 0)
    message = g_strdup (ngettext ("The variant has no SKU", "The variants have no SKU",
                                  skus->len));
  else if (n == 1)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text->str);
      /* Translators: %s is the SKU put on the clipboard */
      message = g_strdup_printf (_("Copied “%s”"), text->str);
    }
  else
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text->str);
      message = g_strdup_printf (ngettext ("Copied %u SKU", "Copied %u SKUs", n), n);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (message));
}

/* The SKUs of the selected rows when they have all loaded, else %NULL. */
static GPtrArray *
loaded_skus (OmniProductsPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func (g_free);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_get_size (selected) > LOADED_FAST_PATH)
    return NULL;
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(OmniVariantItem) item = g_list_model_get_item (G_LIST_MODEL (self->list),
                                                               position);

      if (item == NULL || !omni_variant_item_get_loaded (item))
        return NULL;
      g_ptr_array_add (skus, g_strdup (omni_variant_item_get_sku (item)));
    }
  return g_steal_pointer (&skus);
}

typedef struct
{
  char   *path;
  GArray *ids;
} SkusJob;

static void
skus_job_free (SkusJob *job)
{
  g_free (job->path);
  g_array_unref (job->ids);
  g_free (job);
}

static void
skus_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SkusJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if ((store = omni_store_open (job->path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < job->ids->len; i++)
    {
      g_autoptr(OmniVariantRow) row = omni_store_get_variant (store,
                                                              g_array_index (job->ids, gint64, i),
                                                              &error);

      if (row == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (skus, g_strdup (row->sku));
    }
  g_task_return_pointer (task, g_steal_pointer (&skus), (GDestroyNotify) g_ptr_array_unref);
}

static void
skus_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) skus = g_task_propagate_pointer (G_TASK (result), &error);

  set_jobs (self, -1);
  if (skus != NULL)
    copy_skus (self, skus);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
}

static void
copy_sku_ids_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GTask) task = NULL;
  SkusJob *job;

  ids = omni_products_page_list_selected_variant_ids_finish (self, result, &error);
  if (ids == NULL)
    {
      set_jobs (self, -1);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (error->message));
      return;
    }

  job = g_new0 (SkusJob, 1);
  job->path = g_strdup (page_db_path (self));
  job->ids = g_steal_pointer (&ids);
  task = g_task_new (self, self->cancellable, skus_done_cb, NULL);
  g_task_set_source_tag (task, copy_sku_ids_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) skus_job_free);
  g_task_run_in_thread (task, skus_thread);
}

/* Rows shown have loaded: their SKUs are at hand. A selection reaching
 * rows not loaded (Shift-click far down) is read on a worker. */
static void
copy_sku_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);
  g_autoptr(GPtrArray) skus = loaded_skus (self);

  if (skus != NULL)
    {
      copy_skus (self, skus);
      return;
    }
  set_jobs (self, +1);
  omni_products_page_list_selected_variant_ids_async (self, self->cancellable, copy_sku_ids_cb,
                                                      NULL);
}

/* Menu, Shift+F10: the row menu of the focused row. */
static gboolean
row_menu_shortcut_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);

  return self->row_context_menu != NULL &&
         omni_product_row_menu_popup_at_focus (self->row_context_menu);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  omni_product_filter_bar_clear (self->filter_bar);
  apply_query (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Ctrl+F and Ctrl+N work wherever the focus is in the window (the sidebar,
 * say) while this page shows; on another page they are left to it. */
static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;

  return gtk_widget_activate_action (widget, user_data, NULL);
}

static void
add_shortcuts (OmniProductsPage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  static const struct {
    guint       key;
    const char *action;
  } shortcuts[] = {
    { GDK_KEY_f, "products.search" },
    { GDK_KEY_n, "products.new" },
    { GDK_KEY_p, "products.print-labels" },
  };

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (shortcuts[i].key,
                                                                                    GDK_CONTROL_MASK),
                                                            gtk_callback_action_new (shortcut_cb,
                                                                                     (gpointer) shortcuts[i].action,
                                                                                     NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Signals ------------------------------------------------------------------ */

static void
search_changed_cb (OmniProductsPage *self)
{
  apply_query (self);
}

/* Enter (or a scanner's trailing Return): on to the list, where the row the
 * code named is selected. */
static void
search_activate_cb (OmniProductsPage *self)
{
  if (omni_products_page_get_n_selected (self) > 0 ||
      g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    gtk_widget_child_focus (GTK_WIDGET (self->column_view), GTK_DIR_TAB_FORWARD);
}

static void
stop_search_cb (OmniProductsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
filters_changed_cb (OmniProductsPage *self)
{
  apply_query (self);
}

/* SQL sorts by one key; GTK 4.8 keeps the columns clicked before as
 * secondary keys and leaves their arrows showing. Taking each other
 * column's sorter off and back drops it from the view's sorter and resets
 * its arrow, so the headers show what the query does. */
static void
keep_primary_only (OmniProductsPage *self,
                   gboolean          sorted,
                   OmniSortKey       primary)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  self->normalizing = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);
      g_autoptr(GtkSorter) keep = NULL;

      if (!OMNI_IS_SQL_SORTER (sorter) ||
          (sorted && omni_sql_sorter_get_key (OMNI_SQL_SORTER (sorter)) == primary))
        continue;

      keep = g_object_ref (sorter);
      gtk_column_view_column_set_sorter (column, NULL);
      gtk_column_view_column_set_sorter (column, keep);
    }
  self->normalizing = FALSE;
}

static void
sorter_changed_cb (OmniProductsPage *self)
{
  OmniSortKey key = OMNI_SORT_TITLE;
  gboolean descending = FALSE;
  gboolean sorted;

  if (self->normalizing)
    return;

  /* No sorted column: the list's own order, by title. */
  sorted = omni_sql_sorter_read (gtk_column_view_get_sorter (self->column_view), &key,
                                 &descending);
  keep_primary_only (self, sorted, key);
  if (!sorted)
    {
      key = OMNI_SORT_TITLE;
      descending = FALSE;
    }
  if (key == self->sort && descending == self->descending)
    return;

  self->sort = key;
  self->descending = descending;
  apply_query (self);
}

static void
list_state_cb (OmniProductsPage *self)
{
  update_state (self);
}

/* The list replaces its rows once it has counted a new query (after the
 * selection model has dropped the selection of the old rows). */
static void
list_items_changed_cb (OmniProductsPage *self)
{
  self->counted = TRUE;
  try_jump (self);
}

static void
reload_settings (OmniProductsPage *self)
{
  g_autofree char *currency = omni_store_get_setting (page_store (self), "currency");

  omni_product_columns_set_currency (self->columns, currency);
}

static void
store_changed_cb (OmniProductsPage *self)
{
  reload_settings (self);
  omni_variant_list_refresh (self->list);
  omni_product_filter_bar_reload (self->filter_bar, page_db_path (self));
}

/* On a narrow window the SKU and options go under the title. Changing
 * columns during an allocation would resize again at once, so it waits for
 * an idle moment. */
#define NARROW_WIDTH 620

static gboolean
width_changed_cb (gpointer data)
{
  OmniProductsPage *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  self->narrow_idle = 0;
  if (width > 0)
    omni_product_columns_set_narrow (self->columns, width < NARROW_WIDTH);
  return G_SOURCE_REMOVE;
}

/* GObject ------------------------------------------------------------------- */

static void
omni_products_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (widget);

  GTK_WIDGET_CLASS (omni_products_page_parent_class)->size_allocate (widget, width, height,
                                                                     baseline);
  if (self->row_context_menu != NULL)
    omni_product_row_menu_present (self->row_context_menu);
  if (self->columns != NULL && self->narrow_idle == 0 &&
      omni_product_columns_get_narrow (self->columns) != (width < NARROW_WIDTH))
    self->narrow_idle = g_idle_add (width_changed_cb, self);
}

static void
omni_products_page_constructed (GObject *object)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (object);
  OmniContext *context;

  G_OBJECT_CLASS (omni_products_page_parent_class)->constructed (object);

  context = omni_page_get_context (OMNI_PAGE (self));
  g_return_if_fail (OMNI_IS_CONTEXT (context));

  self->list = omni_variant_list_new (page_db_path (self));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  self->columns = omni_product_columns_new (self->column_view);
  self->row_context_menu = omni_product_row_menu_new (GTK_WIDGET (self), self->column_view,
                                                      GTK_SELECTION_MODEL (self->selection),
                                                      self->row_menu);
  reload_settings (self);

  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "items-changed",
                           G_CALLBACK (list_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::n-items",
                           G_CALLBACK (list_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading",
                           G_CALLBACK (list_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::error",
                           G_CALLBACK (list_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "store-changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);

  omni_product_filter_bar_reload (self->filter_bar, page_db_path (self));
  update_actions (self);
  update_state (self);
}

static void
omni_products_page_dispose (GObject *object)
{
  OmniProductsPage *self = OMNI_PRODUCTS_PAGE (object);

  g_cancellable_cancel (self->jump_cancellable);
  g_clear_object (&self->jump_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  g_clear_object (&self->row_context_menu);

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));
  g_clear_weak_pointer (&self->editor);

  if (self->column_view != NULL)
    {
      /* Removing the columns changes the sorter: nothing to query then. */
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_PRODUCTS_PAGE);
  g_clear_object (&self->columns);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_pointer (&self->undo_products, g_array_unref);

  G_OBJECT_CLASS (omni_products_page_parent_class)->dispose (object);
}

static void
omni_products_page_class_init (OmniProductsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_products_page_constructed;
  object_class->dispose = omni_products_page_dispose;
  widget_class->size_allocate = omni_products_page_size_allocate;

  g_type_ensure (OMNI_TYPE_PRODUCT_FILTER_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-products-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, selection_box);
  gtk_widget_class_bind_template_child (widget_class, OmniProductsPage, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "products.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "products.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "products.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "products.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "products.restore", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "products.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "products.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_install_action (widget_class, "products.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "products.print-labels", NULL,
                                   print_labels_action);
  gtk_widget_class_install_action (widget_class, "products.adjust-stock", NULL,
                                   adjust_stock_action);
  gtk_widget_class_install_action (widget_class, "products.show-history", NULL,
                                   show_history_action);
  gtk_widget_class_install_action (widget_class, "products.copy-sku", NULL, copy_sku_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "products.archive", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, row_menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                row_menu_shortcut_cb, NULL);
}

static void
omni_products_page_init (OmniProductsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));

  self->sort = OMNI_SORT_TITLE;
  self->jump_position = -1;
  self->cancellable = g_cancellable_new ();
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  add_shortcuts (self);
}

/**
 * omni_products_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_products_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_PRODUCTS_PAGE,
                       "context", context,
                       NULL);
}

/* Returns: (transfer none): the list the page shows */
OmniVariantList *
omni_products_page_get_list (OmniProductsPage *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  return self->list;
}

/* Returns: (transfer none): the product list's view */
GtkColumnView *
omni_products_page_get_column_view (OmniProductsPage *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  return self->column_view;
}

/* Returns: (transfer none): the search entry */
GtkWidget *
omni_products_page_get_search_entry (OmniProductsPage *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

/* Returns: (transfer none): the OmniProductFilterBar */
GtkWidget *
omni_products_page_get_filter_bar (OmniProductsPage *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  return GTK_WIDGET (self->filter_bar);
}

/**
 * omni_products_page_get_state:
 *
 * Returns: what shows: "list", "empty" (nothing matches), "no-products" or
 *   "error"
 */
const char *
omni_products_page_get_state (OmniProductsPage *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* Whether the list, its filters, a code lookup or a write is working. */
gboolean
omni_products_page_get_busy (OmniProductsPage *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCTS_PAGE (self), FALSE);

  return self->jobs > 0 || self->jump_cancellable != NULL ||
         omni_variant_list_get_loading (self->list) ||
         omni_product_filter_bar_get_busy (self->filter_bar);
}
