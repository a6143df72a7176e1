/* omni-stock-list.c: variants × locations as a GListModel paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inventory list shows one row per variant and location. Rather than
 * paging a join of the two, the model pages the catalog's own variant query
 * (omni_store_list_variants(): search, stock filter and order all in SQL)
 * and asks for the levels of each page's variants at once
 * (omni_store_list_levels()). Every variant has exactly one row per active
 * location shown, so row P is variant P / L at the (P % L)-th location, and
 * the count is the variant count × L. As in OmniVariantList, only recently
 * used pages are held, items are handed out empty and filled when their
 * page arrives, and all SQL runs on the model's own worker thread.
 */
#define G_LOG_DOMAIN "omni-stock-list"

#include "config.h"

#include <string.h>

#include "omni-inventory-util.h"
#include "omni-inventory-worker.h"
#include "omni-stock-list.h"
#include "omni-store-purchasing.h"

typedef struct
{
  guint            generation;
  guint            page;
  guint            n_locations;
  gint64           location_id;
  OmniVariantQuery query;         /* owns its strings */
} Request;

typedef struct
{
  gint64     n_variants;
  guint      n_locations;
  gint64     default_reorder_point;
  GPtrArray *locations;           /* OmniLocation, every active one */
} CountResult;

static void
count_result_free (CountResult *result)
{
  g_clear_pointer (&result->locations, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CountResult, count_result_free)

typedef struct
{
  GPtrArray *rows;                /* OmniVariantRow */
  GPtrArray *levels;              /* OmniLevel, n_locations per row */
  GArray    *incoming;            /* OmniIncomingLevel, only where some is */
} PageResult;

typedef struct
{
  GPtrArray *items;               /* OmniStockItem */
  guint64    last_used;
} Page;

struct _OmniStockList
{
  GObject              parent_instance;

  OmniInventoryWorker *worker;
  GCancellable        *cancellable;

  OmniVariantQuery     query;
  gint64               location_id;
  guint                generation;
  guint                n_variants;
  guint                n_locations;
  guint                n_items;
  gint64               default_reorder_point;
  GHashTable          *pages;       /* page index → Page */
  GPtrArray           *locations;   /* OmniLocation, as of the last count */
  guint64              use_clock;
  guint                pending;
  char                *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmniStockList, omni_stock_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_ERROR,
  PROP_LOCATIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
request_free (Request *request)
{
  omni_variant_query_clear (&request->query);
  g_free (request);
}

static void
page_result_free (PageResult *result)
{
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_clear_pointer (&result->levels, g_ptr_array_unref);
  g_clear_pointer (&result->incoming, g_array_unref);
  g_free (result);
}

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static guint
items_per_page (OmniStockList *self)
{
  return OMNI_STOCK_LIST_VARIANTS_PER_PAGE * MAX (self->n_locations, 1);
}

/* The worker thread ----------------------------------------------------- */

static void
count_job (OmniStore    *store,
           GTask        *task,
           gpointer      task_data,
           GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GPtrArray) locations = NULL;
  CountResult *result;
  GError *error = NULL;
  gint64 n;

  n = omni_store_count_variants (store, &request->query, &error);
  if (n >= 0)
    locations = omni_store_list_locations (store, FALSE, &error);
  if (n < 0 || locations == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  result = g_new0 (CountResult, 1);
  result->n_variants = n;
  result->default_reorder_point = omni_inventory_get_default_reorder_point (store);
  if (request->location_id == 0)
    result->n_locations = locations->len;
  else
    for (guint i = 0; i < locations->len; i++)
      if (((OmniLocation *) g_ptr_array_index (locations, i))->id == request->location_id)
        result->n_locations = 1;

  result->locations = g_steal_pointer (&locations);
  g_task_return_pointer (task, result, (GDestroyNotify) count_result_free);
}

static void
page_job (OmniStore    *store,
          GTask        *task,
          gpointer      task_data,
          GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GArray) ids = NULL;
  PageResult *result = g_new0 (PageResult, 1);
  GError *error = NULL;

  result->rows = omni_store_list_variants (store, &request->query,
                                           request->page * OMNI_STOCK_LIST_VARIANTS_PER_PAGE,
                                           OMNI_STOCK_LIST_VARIANTS_PER_PAGE, &error);
  if (result->rows != NULL)
    {
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), result->rows->len);
      for (guint i = 0; i < result->rows->len; i++)
        g_array_append_val (ids, ((OmniVariantRow *) g_ptr_array_index (result->rows, i))->id);
      result->levels = omni_store_list_levels (store, &g_array_index (ids, const gint64, 0), ids->len,
                                               request->location_id, &error);
      if (result->levels != NULL)
        result->incoming = omni_store_list_incoming_levels (store, &g_array_index (ids, const gint64, 0),
                                                            ids->len, request->location_id,
                                                            &error);
    }

  if (result->rows == NULL || result->levels == NULL || result->incoming == NULL)
    {
      page_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) page_result_free);
}

/* Requests from the main thread ------------------------------------------ */

static void
set_pending (OmniStockList *self,
             int            delta)
{
  gboolean was_loading = self->pending > 0;

  self->pending += delta;
  if (was_loading != (self->pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (OmniStockList *self,
           const char    *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
push_request (OmniStockList       *self,
              OmniInventoryJob     job,
              guint                page,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request = g_new0 (Request, 1);

  request->page = page;
  request->generation = self->generation;
  request->location_id = self->location_id;
  request->n_locations = self->n_locations;
  omni_variant_query_copy (&request->query, &self->query);

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, push_request);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  set_pending (self, +1);
  omni_inventory_worker_run (self->worker, task, job);
}

static void
evict_pages (OmniStockList *self)
{
  while (g_hash_table_size (self->pages) > OMNI_STOCK_LIST_MAX_PAGES)
    {
      GHashTableIter iter;
      gpointer key, value, oldest_key = NULL;
      guint64 oldest = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Page *page = value;

          if (page->last_used < oldest)
            {
              oldest = page->last_used;
              oldest_key = key;
            }
        }
      g_hash_table_remove (self->pages, oldest_key);
    }
}

static void restart (OmniStockList *self,
                     gboolean       in_place);

static void
page_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OmniStockList *self = OMNI_STOCK_LIST (source);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  PageResult *loaded = g_task_propagate_pointer (G_TASK (result), &error);
  guint n_locations = MAX (request->n_locations, 1);
  Page *page;

  set_pending (self, -1);
  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          request->generation == self->generation)
        set_error (self, error->message);
      return;
    }
  if (request->generation != self->generation ||
      (page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (request->page))) == NULL)
    {
      page_result_free (loaded);
      return;
    }

  /* A location added or archived, or variants gone, since the count: the
   * positions no longer hold; count again. */
  if (loaded->levels->len != loaded->rows->len * n_locations ||
      loaded->rows->len * n_locations < page->items->len)
    {
      page_result_free (loaded);
      restart (self, TRUE);
      return;
    }

  for (guint i = 0; i < page->items->len; i++)
    {
      const OmniLevel *level = g_ptr_array_index (loaded->levels, i);
      gint64 incoming = 0;

      /* A handful of open order lines at most per page: a plain scan. */
      for (guint j = 0; j < loaded->incoming->len; j++)
        {
          const OmniIncomingLevel *in = &g_array_index (loaded->incoming, OmniIncomingLevel, j);

          if (in->variant_id == level->variant_id && in->location_id == level->location_id)
            incoming = in->units;
        }
      omni_stock_item_set_incoming (g_ptr_array_index (page->items, i), incoming);
      omni_stock_item_set_data (g_ptr_array_index (page->items, i),
                                g_ptr_array_index (loaded->rows, i / n_locations),
                                level, self->default_reorder_point);
    }
  page_result_free (loaded);
}

static Page *
ensure_page (OmniStockList *self,
             guint          index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  guint per_page = items_per_page (self);
  guint first = index * per_page;
  guint last = MIN (first + per_page, self->n_items);

  if (page != NULL)
    return page;

  page = g_new0 (Page, 1);
  page->items = g_ptr_array_new_full (last - first, g_object_unref);
  for (guint position = first; position < last; position++)
    g_ptr_array_add (page->items, omni_stock_item_new (position));
  /* The newest, so the eviction below keeps it. */
  page->last_used = ++self->use_clock;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  push_request (self, page_job, index, page_loaded, NULL);
  evict_pages (self);
  return g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
}

static gboolean
same_locations (GPtrArray *a,
                GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const OmniLocation *x = g_ptr_array_index (a, i);
      const OmniLocation *y = g_ptr_array_index (b, i);

      if (x->id != y->id || x->is_default != y->is_default || g_strcmp0 (x->name, y->name) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
count_loaded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OmniStockList *self = OMNI_STOCK_LIST (source);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(CountResult) count = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean reload_in_place = user_data != NULL;
  guint old = self->n_items;
  guint n_items;

  set_pending (self, -1);
  if (request->generation != self->generation)
    return;
  if (count == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }
  set_error (self, NULL);

  n_items = (guint) MIN ((guint64) count->n_variants * count->n_locations, G_MAXUINT / 2);
  self->default_reorder_point = count->default_reorder_point;
  if (!same_locations (self->locations, count->locations))
    {
      g_clear_pointer (&self->locations, g_ptr_array_unref);
      self->locations = g_steal_pointer (&count->locations);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATIONS]);
    }

  /* The same shape: reload the held pages in place, so the view keeps its
   * scroll position and selection. */
  if (reload_in_place && n_items == old && count->n_locations == self->n_locations)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        push_request (self, page_job, GPOINTER_TO_UINT (key), page_loaded, NULL);
      return;
    }

  g_hash_table_remove_all (self->pages);
  self->n_variants = (guint) MIN (count->n_variants, G_MAXUINT / 2);
  self->n_locations = count->n_locations;
  self->n_items = n_items;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
restart (OmniStockList *self,
         gboolean       in_place)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  push_request (self, count_job, 0, count_loaded, in_place ? self : NULL);
}

/* GListModel ------------------------------------------------------------ */

static GType
omni_stock_list_get_item_type (GListModel *model)
{
  return OMNI_TYPE_STOCK_ITEM;
}

static guint
omni_stock_list_get_n_items (GListModel *model)
{
  return OMNI_STOCK_LIST (model)->n_items;
}

static gpointer
omni_stock_list_get_item (GListModel *model,
                          guint       position)
{
  OmniStockList *self = OMNI_STOCK_LIST (model);
  guint per_page = items_per_page (self);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = ensure_page (self, position / per_page);
  page->last_used = ++self->use_clock;
  return g_object_ref (g_ptr_array_index (page->items, position % per_page));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = omni_stock_list_get_item_type;
  iface->get_n_items = omni_stock_list_get_n_items;
  iface->get_item = omni_stock_list_get_item;
}

/* GObject --------------------------------------------------------------- */

static void
omni_stock_list_dispose (GObject *object)
{
  OmniStockList *self = OMNI_STOCK_LIST (object);

  g_cancellable_cancel (self->cancellable);
  /* Waits for the worker's thread: nothing holds the database after this. */
  g_clear_object (&self->worker);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->locations, g_ptr_array_unref);

  G_OBJECT_CLASS (omni_stock_list_parent_class)->dispose (object);
}

static void
omni_stock_list_finalize (GObject *object)
{
  OmniStockList *self = OMNI_STOCK_LIST (object);

  omni_variant_query_clear (&self->query);
  g_free (self->error);

  G_OBJECT_CLASS (omni_stock_list_parent_class)->finalize (object);
}

static void
omni_stock_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OmniStockList *self = OMNI_STOCK_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_LOCATIONS:
      g_value_set_boxed (value, self->locations);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_stock_list_class_init (OmniStockListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_stock_list_dispose;
  object_class->finalize = omni_stock_list_finalize;
  object_class->get_property = omni_stock_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The active locations, read with each count: notified when they change. */
  properties[PROP_LOCATIONS] =
    g_param_spec_boxed ("locations", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_stock_list_init (OmniStockList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->cancellable = g_cancellable_new ();
  self->query.sort = OMNI_SORT_TITLE;
  self->default_reorder_point = -1;
}

/**
 * omni_stock_list_new:
 * @db_path: the database; the model opens its own connection on its worker
 *
 * Returns: (transfer full): an empty model that starts counting at once
 */
OmniStockList *
omni_stock_list_new (const char *db_path)
{
  OmniStockList *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (OMNI_TYPE_STOCK_LIST, NULL);
  self->worker = omni_inventory_worker_new (db_path);
  restart (self, FALSE);
  return self;
}

/**
 * omni_stock_list_set_query:
 * @query: which variants, in which order
 * @location_id: one location, 0 for every active location
 *
 * Counts again and replaces every row.
 */
void
omni_stock_list_set_query (OmniStockList          *self,
                           const OmniVariantQuery *query,
                           gint64                  location_id)
{
  g_return_if_fail (OMNI_IS_STOCK_LIST (self));
  g_return_if_fail (query != NULL);

  omni_variant_query_clear (&self->query);
  omni_variant_query_copy (&self->query, query);
  self->location_id = location_id;
  restart (self, FALSE);
}

const OmniVariantQuery *
omni_stock_list_get_query (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), NULL);
  return &self->query;
}

gint64
omni_stock_list_get_location_id (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), 0);
  return self->location_id;
}

/* Rows per variant: the active locations shown. */
guint
omni_stock_list_get_n_locations (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), 0);
  return self->n_locations;
}

guint
omni_stock_list_get_n_variants (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), 0);
  return self->n_variants;
}

/**
 * omni_stock_list_refresh:
 *
 * The data changed: counts again; when the shape is the same the held
 * pages reload in place, otherwise the rows are replaced.
 */
void
omni_stock_list_refresh (OmniStockList *self)
{
  g_return_if_fail (OMNI_IS_STOCK_LIST (self));
  restart (self, TRUE);
}

gboolean
omni_stock_list_get_loading (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), FALSE);
  return self->pending > 0;
}

guint
omni_stock_list_get_cached_pages (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), 0);
  return g_hash_table_size (self->pages);
}

/**
 * omni_stock_list_get_error:
 *
 * Returns: (nullable): why the last count or page failed, as a sentence
 */
const char *
omni_stock_list_get_error (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), NULL);
  return self->error;
}

/**
 * omni_stock_list_get_locations:
 *
 * Returns: (transfer none) (nullable) (element-type OmniLocation): the
 *   active locations as of the last count, default first; %NULL before it
 */
GPtrArray *
omni_stock_list_get_locations (OmniStockList *self)
{
  g_return_val_if_fail (OMNI_IS_STOCK_LIST (self), NULL);
  return self->locations;
}
