/* omni-count-model.c: the lines and unknown codes of the open count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A count may hold tens of thousands of lines and the scanner adds one every
 * second, so a scan never reloads the list: the scanned line is updated in
 * place and, when its variance moves it, taken out and put back at its new
 * place (a binary search; GListStore keeps a balanced tree). Only a reload
 * from the database (a count resumed, or stock changed elsewhere) replaces
 * the whole list, and even then the items that stay are kept, so a cell or
 * the "last scanned" card showing one keeps showing it.
 */
#define G_LOG_DOMAIN "omni-count-model"

#include "config.h"

#include "omni-count-model.h"

struct _OmniCountModel
{
  GObject     parent_instance;

  GListStore *lines;
  GListStore *codes;
  /* variant id → item, the items the lines hold */
  GHashTable *index;
};

G_DEFINE_FINAL_TYPE (OmniCountModel, omni_count_model, G_TYPE_OBJECT)

static void
omni_count_model_finalize (GObject *object)
{
  OmniCountModel *self = OMNI_COUNT_MODEL (object);

  g_clear_object (&self->lines);
  g_clear_object (&self->codes);
  g_clear_pointer (&self->index, g_hash_table_unref);

  G_OBJECT_CLASS (omni_count_model_parent_class)->finalize (object);
}

static void
omni_count_model_class_init (OmniCountModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_count_model_finalize;
}

static void
omni_count_model_init (OmniCountModel *self)
{
  self->lines = g_list_store_new (OMNI_TYPE_COUNT_ITEM);
  self->codes = g_list_store_new (OMNI_TYPE_COUNT_CODE);
  self->index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

OmniCountModel *
omni_count_model_new (void)
{
  return g_object_new (OMNI_TYPE_COUNT_MODEL, NULL);
}

/**
 * omni_count_model_get_lines:
 *
 * Returns: (transfer none): the #OmniCountItem lines, largest variance first
 */
GListModel *
omni_count_model_get_lines (OmniCountModel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_MODEL (self), NULL);

  return G_LIST_MODEL (self->lines);
}

/**
 * omni_count_model_get_codes:
 *
 * Returns: (transfer none): the #OmniCountCode unknown codes, last scanned first
 */
GListModel *
omni_count_model_get_codes (OmniCountModel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_MODEL (self), NULL);

  return G_LIST_MODEL (self->codes);
}

static void
index_add (OmniCountModel *self,
           OmniCountItem  *item)
{
  gint64 *key = g_new (gint64, 1);

  *key = omni_count_item_get_variant_id (item);
  g_hash_table_replace (self->index, key, g_object_ref (item));
}

static int
compare_item_pointers (gconstpointer a,
                       gconstpointer b)
{
  return omni_count_item_compare (*(gpointer const *) a, *(gpointer const *) b, NULL);
}

static void
reset_lines (OmniCountModel *self,
             GPtrArray      *lines)
{
  g_autoptr(GHashTable) old_index = g_steal_pointer (&self->index);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  self->index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const OmniCountLine *line = g_ptr_array_index (lines, i);
      OmniCountItem *item = g_hash_table_lookup (old_index, &line->variant_id);

      if (item != NULL)
        {
          g_object_ref (item);
          omni_count_item_update (item, line);
        }
      else
        item = omni_count_item_new (line);

      index_add (self, item);
      g_ptr_array_add (items, item);
    }

  g_ptr_array_sort (items, compare_item_pointers);
  g_list_store_splice (self->lines, 0, g_list_model_get_n_items (G_LIST_MODEL (self->lines)),
                       items->pdata, items->len);
}

static void
reset_codes (OmniCountModel *self,
             GPtrArray      *unknown)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; unknown != NULL && i < unknown->len; i++)
    {
      const OmniCountUnknown *entry = g_ptr_array_index (unknown, i);

      g_ptr_array_add (codes, omni_count_code_new (entry->code, entry->scans));
    }

  g_list_store_splice (self->codes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->codes)),
                       codes->pdata, codes->len);
}

/**
 * omni_count_model_reset:
 * @lines: (element-type OmniCountLine) (nullable): the count's lines
 * @unknown: (element-type OmniCountUnknown) (nullable): its unknown codes
 *
 * Replaces the contents with what the store returned; lines that stay keep
 * their items.
 */
void
omni_count_model_reset (OmniCountModel *self,
                        GPtrArray      *lines,
                        GPtrArray      *unknown)
{
  g_return_if_fail (OMNI_IS_COUNT_MODEL (self));

  reset_lines (self, lines);
  reset_codes (self, unknown);
}

/**
 * omni_count_model_lookup:
 *
 * Returns: (transfer none) (nullable): the line of @variant_id
 */
OmniCountItem *
omni_count_model_lookup (OmniCountModel *self,
                         gint64          variant_id)
{
  g_return_val_if_fail (OMNI_IS_COUNT_MODEL (self), NULL);

  return g_hash_table_lookup (self->index, &variant_id);
}

static gboolean
in_order_at (OmniCountModel *self,
             OmniCountItem  *item,
             guint           position)
{
  GListModel *lines = G_LIST_MODEL (self->lines);
  guint n_items = g_list_model_get_n_items (lines);
  g_autoptr(OmniCountItem) before = position > 0 ?
                                    g_list_model_get_item (lines, position - 1) : NULL;
  g_autoptr(OmniCountItem) after = position + 1 < n_items ?
                                   g_list_model_get_item (lines, position + 1) : NULL;

  return (before == NULL || omni_count_item_compare (before, item, NULL) < 0) &&
         (after == NULL || omni_count_item_compare (item, after, NULL) < 0);
}

/* The item's figures changed: move it only if it is out of order now. */
static void
reposition (OmniCountModel *self,
            OmniCountItem  *item)
{
  guint position;

  if (!g_list_store_find (self->lines, item, &position))
    g_return_if_reached ();

  if (in_order_at (self, item, position))
    return;

  g_object_ref (item);
  g_list_store_remove (self->lines, position);
  g_list_store_insert_sorted (self->lines, item, omni_count_item_compare, NULL);
  g_object_unref (item);
}

/**
 * omni_count_model_apply_line:
 * @line: a line as a scan returned it
 *
 * Updates the line's item, or adds one for a variant scanned for the first
 * time, keeping the order.
 *
 * Returns: (transfer none): the item
 */
OmniCountItem *
omni_count_model_apply_line (OmniCountModel      *self,
                             const OmniCountLine *line)
{
  OmniCountItem *item;

  g_return_val_if_fail (OMNI_IS_COUNT_MODEL (self), NULL);
  g_return_val_if_fail (line != NULL, NULL);

  item = omni_count_model_lookup (self, line->variant_id);
  if (item != NULL)
    {
      omni_count_item_update (item, line);
      reposition (self, item);
      return item;
    }

  item = omni_count_item_new (line);
  index_add (self, item);
  g_list_store_insert_sorted (self->lines, item, omni_count_item_compare, NULL);
  g_object_unref (item);

  return item;
}

/**
 * omni_count_model_remove_line:
 *
 * Returns: (transfer full) (nullable): the item taken out, %NULL when there
 *   was no line for @variant_id
 */
OmniCountItem *
omni_count_model_remove_line (OmniCountModel *self,
                              gint64          variant_id)
{
  OmniCountItem *item;
  guint position;

  g_return_val_if_fail (OMNI_IS_COUNT_MODEL (self), NULL);

  item = omni_count_model_lookup (self, variant_id);
  if (item == NULL)
    return NULL;

  g_object_ref (item);
  g_hash_table_remove (self->index, &variant_id);
  if (g_list_store_find (self->lines, item, &position))
    g_list_store_remove (self->lines, position);

  return item;
}

static gboolean
find_code (OmniCountModel *self,
           const char     *code,
           guint          *position)
{
  GListModel *codes = G_LIST_MODEL (self->codes);

  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(OmniCountCode) entry = g_list_model_get_item (codes, i);

      if (g_str_equal (omni_count_code_get_code (entry), code))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * omni_count_model_add_unknown:
 * @code: a code the store did not know, as it recorded it
 *
 * Counts one more scan of @code and moves it first, as the store lists it.
 *
 * Returns: (transfer none): the code's entry
 */
OmniCountCode *
omni_count_model_add_unknown (OmniCountModel *self,
                              const char     *code)
{
  g_autoptr(OmniCountCode) entry = NULL;
  guint position;

  g_return_val_if_fail (OMNI_IS_COUNT_MODEL (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (find_code (self, code, &position))
    {
      entry = g_list_model_get_item (G_LIST_MODEL (self->codes), position);
      g_list_store_remove (self->codes, position);
      omni_count_code_set_scans (entry, omni_count_code_get_scans (entry) + 1);
    }
  else
    entry = omni_count_code_new (code, 1);

  g_list_store_insert (self->codes, 0, entry);

  return entry;
}

/**
 * omni_count_model_remove_unknown:
 *
 * Returns: %FALSE when @code was not listed
 */
gboolean
omni_count_model_remove_unknown (OmniCountModel *self,
                                 const char     *code)
{
  guint position;

  g_return_val_if_fail (OMNI_IS_COUNT_MODEL (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (!find_code (self, code, &position))
    return FALSE;

  g_list_store_remove (self->codes, position);

  return TRUE;
}

/**
 * omni_count_model_get_totals:
 * @totals: (out caller-allocates): the sums over every line
 */
void
omni_count_model_get_totals (OmniCountModel  *self,
                             OmniCountTotals *totals)
{
  GListModel *lines;
  guint n_items;

  g_return_if_fail (OMNI_IS_COUNT_MODEL (self));
  g_return_if_fail (totals != NULL);

  lines = G_LIST_MODEL (self->lines);
  n_items = g_list_model_get_n_items (lines);
  *totals = (OmniCountTotals) { .lines = n_items };

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(OmniCountItem) item = g_list_model_get_item (lines, i);
      gint64 variance = omni_count_item_get_variance (item);

      totals->units_counted += omni_count_item_get_counted (item);
      totals->variance_units += variance;
      totals->variance_value += omni_count_item_get_variance_value (item);
      if (variance != 0)
        totals->lines_with_variance++;
    }
}
