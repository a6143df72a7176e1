/* omni-variant-list.c: the product list as a GListModel paged from SQLite
 *
 * The model knows how many rows the query has and holds only the pages the
 * view has asked for recently (OMNI_VARIANT_LIST_MAX_PAGES of
 * OMNI_VARIANT_LIST_PAGE_SIZE rows), so a million variants cost the memory of
 * the visible rows. Counting and fetching run on one worker thread with its
 * own SQLite connection: the main loop never waits for the database. An item
 * is handed out at once, empty, and filled when its page arrives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-variant-list"

#include "config.h"

#include <string.h>

#include "omni-variant-list.h"
#include "omni-worker.h"

/* Rows from a page boundary at which the page beyond it is fetched ahead. */
#define PREFETCH_MARGIN (OMNI_VARIANT_LIST_PAGE_SIZE / 4)

typedef enum
{
  REQUEST_COUNT,
  REQUEST_PAGE,
} RequestKind;

typedef struct
{
  RequestKind      kind;
  guint            generation;
  guint            page;
  OmniVariantQuery query;   /* owns its strings */
  OmniVariantKey  *after;   /* the page follows this row (a neighbour's last) */
  OmniVariantKey  *before;  /* or precedes this one (a neighbour's first) */
} Request;

/* The worker's connection: used only from the pool's one thread at a time. */
typedef struct
{
  char      *path;
  OmniStore *store;
} Worker;

typedef struct
{
  GPtrArray      *items;       /* OmniVariantItem */
  guint64         last_used;
  gboolean        loading;
  gboolean        requested;   /* asked of the worker (else waits for a neighbour) */
  /* Where the page's first and last rows stand in the list's order, valid
   * for keys_generation: a neighbouring page starts from them. */
  OmniVariantKey *first_key;
  OmniVariantKey *last_key;
  guint           keys_generation;
} Page;

struct _OmniVariantList
{
  GObject           parent_instance;

  Worker           *worker;
  GThreadPool      *pool;
  GCancellable     *cancellable;

  OmniVariantQuery  query;
  guint             generation;
  guint             n_items;
  GHashTable       *pages;         /* page index → Page */
  guint64           use_clock;
  guint             pending;
  guint             keyed_fetches;
  char             *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmniVariantList, omni_variant_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Queries ------------------------------------------------------------- */

static void
request_free (Request *request)
{
  omni_variant_query_clear (&request->query);
  omni_variant_key_free (request->after);
  omni_variant_key_free (request->before);
  g_free (request);
}

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  omni_variant_key_free (page->first_key);
  omni_variant_key_free (page->last_key);
  g_free (page);
}

/* The worker thread ----------------------------------------------------- */

static OmniStore *
worker_store (Worker  *worker,
              GError **error)
{
  if (worker->store == NULL)
    worker->store = omni_store_open (worker->path, error);
  return worker->store;
}

static void run_request (GTask  *task,
                         Worker *worker);

/* The last reference to the task, and so maybe to the list, its source
 * object, is dropped on the main thread: a list disposed here would wait
 * for this very thread to end. */
static void
worker_run (gpointer data,
            gpointer user_data)
{
  GTask *task = data;

  run_request (task, user_data);
  omni_worker_release_on_main (task);
}

static void
run_request (GTask  *task,
             Worker *worker)
{
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  OmniStore *store;

  if (g_task_return_error_if_cancelled (task))
    return;

  store = worker_store (worker, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (request->kind == REQUEST_COUNT)
    {
      gint64 n = omni_store_count_variants (store, &request->query, &error);

      if (n < 0)
        g_task_return_error (task, error);
      else
        g_task_return_int (task, MIN (n, (gint64)G_MAXUINT));
    }
  else
    {
      GPtrArray *rows;

      /* Next to a page already loaded, the page starts from that page's
       * key: a deep page costs what the first does. A jump counts rows. */
      if (request->after != NULL)
        rows = omni_store_list_variants_after (store, &request->query, request->after,
                                               OMNI_VARIANT_LIST_PAGE_SIZE, &error);
      else if (request->before != NULL)
        rows = omni_store_list_variants_before (store, &request->query, request->before,
                                                OMNI_VARIANT_LIST_PAGE_SIZE, &error);
      else
        rows = omni_store_list_variants (store, &request->query,
                                         request->page * OMNI_VARIANT_LIST_PAGE_SIZE,
                                         OMNI_VARIANT_LIST_PAGE_SIZE, &error);

      if (rows == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, rows, (GDestroyNotify)g_ptr_array_unref);
    }
}

static void
worker_free (Worker *worker)
{
  g_clear_object (&worker->store);
  g_free (worker->path);
  g_free (worker);
}

/* Requests from the main thread ------------------------------------------ */

static void
set_pending (OmniVariantList *self,
             int              delta)
{
  gboolean was_loading = self->pending > 0;

  self->pending += delta;
  if (was_loading != (self->pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (OmniVariantList *self,
           const char      *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
push_request (OmniVariantList      *self,
              RequestKind           kind,
              guint                 page,
              const OmniVariantKey *after,
              const OmniVariantKey *before,
              GAsyncReadyCallback   callback,
              gpointer              user_data)
{
  Request *request = g_new0 (Request, 1);
  GTask *task;

  request->kind = kind;
  request->page = page;
  request->after = omni_variant_key_copy (after);
  request->before = omni_variant_key_copy (before);
  request->generation = self->generation;
  omni_variant_query_copy (&request->query, &self->query);

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, push_request);
  g_task_set_task_data (task, request, (GDestroyNotify)request_free);
  set_pending (self, +1);
  g_thread_pool_push (self->pool, task, NULL);
}

static void request_waiting_neighbours (OmniVariantList *self,
                                        guint            index);

static void
evict_pages (OmniVariantList *self)
{
  while (g_hash_table_size (self->pages) > OMNI_VARIANT_LIST_MAX_PAGES)
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
      /* A neighbour waiting for the page dropped would wait forever. */
      request_waiting_neighbours (self, GPOINTER_TO_UINT (oldest_key));
    }
}

static void page_loaded (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data);

/* The key a new page @index can start from: the last row of the page
 * before it (@after) or the first row of the page after it, when that page
 * holds rows of the current generation. With @after false, only when there
 * is no page before to start from. */
static const OmniVariantKey *
neighbour_key (OmniVariantList *self,
               guint            index,
               gboolean         after)
{
  Page *before = index > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index - 1)) : NULL;
  Page *next = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index + 1));
  gboolean before_ok = before != NULL && !before->loading && before->last_key != NULL &&
                       before->keys_generation == self->generation &&
                       before->items->len == OMNI_VARIANT_LIST_PAGE_SIZE;

  if (after)
    return before_ok ? before->last_key : NULL;
  if (before_ok || next == NULL || next->loading || next->first_key == NULL ||
      next->keys_generation != self->generation)
    return NULL;
  return next->first_key;
}

/* Whether page @index is on its way: asked of the worker, or waiting for
 * a neighbour that is. */
static gboolean
page_coming (OmniVariantList *self,
             guint            index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  return page != NULL && page->loading;
}

/* Asks the worker for page @index: from a neighbour's key when one is
 * loaded; by offset otherwise. */
static void
request_page (OmniVariantList *self,
              guint            index,
              Page            *page)
{
  const OmniVariantKey *after = neighbour_key (self, index, TRUE);
  const OmniVariantKey *before = neighbour_key (self, index, FALSE);

  if (after != NULL || before != NULL)
    self->keyed_fetches++;
  page->requested = TRUE;
  push_request (self, REQUEST_PAGE, index, after, before, page_loaded, NULL);
}

/* Pages next to @index that wait for it to load, so they can start from its
 * keys: asked for now (by offset if @index was dropped or failed). */
static void
request_waiting_neighbours (OmniVariantList *self,
                            guint            index)
{
  guint neighbours[2] = { index + 1, index - 1 };

  for (guint i = 0; i < (index > 0 ? 2u : 1u); i++)
    {
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (neighbours[i]));

      if (page != NULL && page->loading && !page->requested)
        request_page (self, neighbours[i], page);
    }
}

static void
page_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OmniVariantList *self = OMNI_VARIANT_LIST (source);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_task_propagate_pointer (G_TASK (result), &error);
  Page *page = NULL;

  if (request->generation != self->generation)
    goto out;
  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      goto out;
    }

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (request->page));
  if (page == NULL)
    goto out;   /* evicted while it loaded */

  page->loading = FALSE;
  g_clear_pointer (&page->first_key, omni_variant_key_free);
  g_clear_pointer (&page->last_key, omni_variant_key_free);
  if (rows->len > 0)
    {
      page->first_key = omni_variant_key_new (rows->pdata[0], request->query.sort);
      page->last_key = omni_variant_key_new (rows->pdata[MIN (rows->len, page->items->len) - 1],
                                             request->query.sort);
      page->keys_generation = request->generation;
    }
  for (guint i = 0; i < page->items->len && i < rows->len; i++)
    {
      omni_variant_item_set_row (g_ptr_array_index (page->items, i), rows->pdata[i]);
      rows->pdata[i] = NULL;   /* the item owns it now */
    }

  /* Fewer rows than expected: the data changed under us; count again. */
  if (rows->len < page->items->len)
    omni_variant_list_refresh (self);

out:
  /* Before this request counts as done, so "loading" does not flicker
   * between a page and the neighbour that waited for it. */
  if (request->generation == self->generation)
    request_waiting_neighbours (self, request->page);
  set_pending (self, -1);
}

static Page *
ensure_page (OmniVariantList *self,
             guint            index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  guint first = index * OMNI_VARIANT_LIST_PAGE_SIZE;
  guint last = MIN (first + OMNI_VARIANT_LIST_PAGE_SIZE, self->n_items);

  if (page != NULL)
    return page;

  page = g_new0 (Page, 1);
  page->items = g_ptr_array_new_full (last - first, g_object_unref);
  for (guint position = first; position < last; position++)
    g_ptr_array_add (page->items, omni_variant_item_new (position));
  page->loading = TRUE;
  /* Stamped before eviction runs, so the new page is the newest one. */
  page->last_used = ++self->use_clock;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  /* Next to a page on its way (after a jump, or scrolling faster than pages
   * arrive), the page waits for that one's keys rather than count rows;
   * page_loaded() asks for it. Scrolling on past a slow page makes a chain
   * of pages that each wait for the one before, then load one key after
   * the other. */
  if (!(index > 0 && page_coming (self, index - 1)) && !page_coming (self, index + 1))
    request_page (self, index, page);
  evict_pages (self);
  /* Eviction never drops the page just added: it is the newest. */
  return g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
}

/* When the count changes, the positions shift: the whole list is replaced. */
static void
count_loaded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OmniVariantList *self = OMNI_VARIANT_LIST (source);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  guint old = self->n_items;
  gboolean reload_in_place = user_data != NULL;

  set_pending (self, -1);
  if (request->generation != self->generation)
    return;
  if (n < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }
  set_error (self, NULL);

  /* A refresh that keeps the count reloads the pages it holds in place, so
   * the view keeps its scroll position and selection. */
  if (reload_in_place && (guint)n == old)
    {
      GHashTableIter iter;
      gpointer key, value;

      /* Each run of held pages reloads its first page by offset and the
       * others each from the fresh keys of the page before, as it arrives;
       * the items keep showing their rows until then. */
      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          ((Page *)value)->loading = TRUE;
          ((Page *)value)->requested = FALSE;
        }
      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint index = GPOINTER_TO_UINT (key);

          if (!(index > 0 && page_coming (self, index - 1)))
            request_page (self, index, value);
        }
      return;
    }

  g_hash_table_remove_all (self->pages);
  self->n_items = (guint)n;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
restart (OmniVariantList *self,
         gboolean         in_place)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  push_request (self, REQUEST_COUNT, 0, NULL, NULL, count_loaded, in_place ? self : NULL);
}

/* GListModel ------------------------------------------------------------ */

static GType
omni_variant_list_get_item_type (GListModel *model)
{
  return OMNI_TYPE_VARIANT_ITEM;
}

static guint
omni_variant_list_get_n_items (GListModel *model)
{
  return OMNI_VARIANT_LIST (model)->n_items;
}

static gpointer
omni_variant_list_get_item (GListModel *model,
                            guint       position)
{
  OmniVariantList *self = OMNI_VARIANT_LIST (model);
  guint index = position / OMNI_VARIANT_LIST_PAGE_SIZE;
  OmniVariantItem *item;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = ensure_page (self, index);
  page->last_used = ++self->use_clock;
  item = g_object_ref (g_ptr_array_index (page->items, position % OMNI_VARIANT_LIST_PAGE_SIZE));

  /* Near the end of a page the next one is fetched ahead of the view (near
   * its start, the previous one, for a view scrolling up), from this page's
   * key once it has loaded: the view reaches it already filled. */
  if (position % OMNI_VARIANT_LIST_PAGE_SIZE >= OMNI_VARIANT_LIST_PAGE_SIZE - PREFETCH_MARGIN)
    {
      if ((guint64)(index + 1) * OMNI_VARIANT_LIST_PAGE_SIZE < self->n_items)
        ensure_page (self, index + 1);
    }
  else if (position % OMNI_VARIANT_LIST_PAGE_SIZE < PREFETCH_MARGIN && index > 0)
    ensure_page (self, index - 1);

  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = omni_variant_list_get_item_type;
  iface->get_n_items = omni_variant_list_get_n_items;
  iface->get_item = omni_variant_list_get_item;
}

/* GObject --------------------------------------------------------------- */

static void
omni_variant_list_dispose (GObject *object)
{
  OmniVariantList *self = OMNI_VARIANT_LIST (object);

  g_cancellable_cancel (self->cancellable);
  if (self->pool != NULL)
    {
      /* Drops queued requests and waits for the one running, so the worker's
       * connection is never used after it is closed. */
      g_thread_pool_free (g_steal_pointer (&self->pool), TRUE, TRUE);
    }
  g_clear_pointer (&self->worker, worker_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (omni_variant_list_parent_class)->dispose (object);
}

static void
omni_variant_list_finalize (GObject *object)
{
  OmniVariantList *self = OMNI_VARIANT_LIST (object);

  omni_variant_query_clear (&self->query);
  g_free (self->error);

  G_OBJECT_CLASS (omni_variant_list_parent_class)->finalize (object);
}

static void
omni_variant_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OmniVariantList *self = OMNI_VARIANT_LIST (object);

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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_variant_list_class_init (OmniVariantListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_variant_list_dispose;
  object_class->finalize = omni_variant_list_finalize;
  object_class->get_property = omni_variant_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_variant_list_init (OmniVariantList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)page_free);
  self->cancellable = g_cancellable_new ();
  self->query.sort = OMNI_SORT_TITLE;
}

/**
 * omni_variant_list_new:
 * @db_path: the database; the model opens its own connection to it on its
 *   worker thread
 *
 * Returns: (transfer full): an empty model that starts counting at once
 */
OmniVariantList *
omni_variant_list_new (const char *db_path)
{
  OmniVariantList *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (OMNI_TYPE_VARIANT_LIST, NULL);
  self->worker = g_new0 (Worker, 1);
  self->worker->path = g_strdup (db_path);
  self->pool = g_thread_pool_new_full (worker_run, self->worker, g_object_unref, 1, FALSE, NULL);
  restart (self, FALSE);
  return self;
}

/**
 * omni_variant_list_set_query:
 *
 * Shows another filter or order: counts again and replaces every row.
 */
void
omni_variant_list_set_query (OmniVariantList        *self,
                             const OmniVariantQuery *query)
{
  g_return_if_fail (OMNI_IS_VARIANT_LIST (self));
  g_return_if_fail (query != NULL);

  omni_variant_query_clear (&self->query);
  omni_variant_query_copy (&self->query, query);
  restart (self, FALSE);
}

const OmniVariantQuery *
omni_variant_list_get_query (OmniVariantList *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_LIST (self), NULL);
  return &self->query;
}

/**
 * omni_variant_list_refresh:
 *
 * The data changed: counts again; when the count is the same the held pages
 * reload in place (the view keeps its scroll position), otherwise the rows
 * are replaced.
 */
void
omni_variant_list_refresh (OmniVariantList *self)
{
  g_return_if_fail (OMNI_IS_VARIANT_LIST (self));
  restart (self, TRUE);
}

gboolean
omni_variant_list_get_loading (OmniVariantList *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_LIST (self), FALSE);
  return self->pending > 0;
}

/* How many pages of rows are held in memory; for tests and benchmarks. */
guint
omni_variant_list_get_cached_pages (OmniVariantList *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_LIST (self), 0);
  return g_hash_table_size (self->pages);
}

/* How many pages were fetched from a neighbouring page's key rather than
 * by offset; for tests and benchmarks. */
guint
omni_variant_list_get_keyed_fetches (OmniVariantList *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_LIST (self), 0);
  return self->keyed_fetches;
}

/**
 * omni_variant_list_get_error:
 *
 * Returns: (nullable): why the last count or page failed, as a sentence
 */
const char *
omni_variant_list_get_error (OmniVariantList *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_LIST (self), NULL);
  return self->error;
}
