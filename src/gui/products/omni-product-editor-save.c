/* omni-product-editor-save.c: writing the edited product, and placing the
 * store's objections next to the fields they are about
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor checks what it can as the merchant types, but the store has
 * the last word (another window may have taken a SKU a moment ago). Its
 * messages name the field, and the variant as "Variant N (SKU): …", so they
 * can be shown under the field concerned rather than in a generic alert.
 * Every save is one transaction: nothing is written unless all of it is.
 * The write runs on a worker thread with its own connection, from a copy of
 * what the form holds, so the window stays responsive while SQLite works.
 */
#define G_LOG_DOMAIN "omni-product-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "omni-product-editor-private.h"
#include "omni-store-catalog.h"

static const char * const statuses[] = { "active", "draft" };

/* Where the store's messages point: by how they begin. */
static const struct
{
  const char       *prefix;
  OmniVariantField  field;
} variant_prefixes[] = {
  { "SKU", OMNI_VARIANT_FIELD_SKU },
  { "Barcode", OMNI_VARIANT_FIELD_BARCODE },
  { "Price", OMNI_VARIANT_FIELD_PRICE },
  { "Compare-at", OMNI_VARIANT_FIELD_COMPARE_AT_PRICE },
  { "Cost", OMNI_VARIANT_FIELD_COST },
  { "Weight", OMNI_VARIANT_FIELD_WEIGHT },
  { "The reorder", OMNI_VARIANT_FIELD_REORDER_POINT },
  { "Option 1", OMNI_VARIANT_FIELD_OPTION1 },
  { "Option 2", OMNI_VARIANT_FIELD_OPTION2 },
  { "Option 3", OMNI_VARIANT_FIELD_OPTION3 },
  { "Option value", OMNI_VARIANT_FIELD_OPTION1 },
};

static const struct
{
  const char   *prefix;
  ProductField  field;
} product_prefixes[] = {
  { "Title", PRODUCT_FIELD_TITLE },
  { "Handle", PRODUCT_FIELD_TITLE },
  { "A product with the handle", PRODUCT_FIELD_TITLE },
  { "Vendor", PRODUCT_FIELD_VENDOR },
  { "Product type", PRODUCT_FIELD_TYPE },
  { "Tags", PRODUCT_FIELD_TAGS },
};

static void
show_general_error (OmniProductEditor *self,
                    const char        *message)
{
  gtk_label_set_label (self->general_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->general_group), TRUE);
}

static OmniVariantEditorRow *
find_row_by_sku (OmniProductEditor *self,
                 const char        *message)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      OmniVariantEditorRow *row = g_ptr_array_index (self->rows, i);
      const char *sku = omni_variant_editor_row_get_sku (row);
      g_autofree char *quoted = g_strdup_printf ("“%s”", sku);

      if (*sku != '\0' && strstr (message, quoted) != NULL)
        return row;
    }
  return NULL;
}

static gboolean
show_variant_error (OmniVariantEditorRow *row,
                    const char           *message)
{
  for (guint i = 0; i < G_N_ELEMENTS (variant_prefixes); i++)
    if (g_str_has_prefix (message, variant_prefixes[i].prefix) &&
        omni_variant_editor_row_get_entry (row, variant_prefixes[i].field) != NULL)
      {
        omni_variant_editor_row_set_error (row, variant_prefixes[i].field, message);
        return TRUE;
      }
  return FALSE;
}

/*
 * @row: (nullable): the variant whose write failed, when known
 */
static void
show_store_error (OmniProductEditor    *self,
                  const GError         *error,
                  OmniVariantEditorRow *row)
{
  const char *message = error->message;
  const char *colon;

  /* "Variant 3 (TEE-S): Barcode …": the third variant of the list sent. */
  if (g_str_has_prefix (message, "Variant ") && (colon = strstr (message, ": ")) != NULL)
    {
      guint64 index = g_ascii_strtoull (message + strlen ("Variant "), NULL, 10);

      if (row == NULL && self->product_id == 0 && index >= 1 && index <= self->rows->len)
        row = g_ptr_array_index (self->rows, index - 1);
      message = colon + 2;
    }

  if (g_str_has_prefix (message, "SKU “") && row == NULL)
    row = find_row_by_sku (self, message);
  if (g_error_matches (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT))
    g_hash_table_remove_all (self->sku_owners);   /* the store changed under us */

  if (row != NULL && show_variant_error (row, message))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (product_prefixes); i++)
    if (g_str_has_prefix (message, product_prefixes[i].prefix))
      {
        omni_error_row_set_message (self->errors[product_prefixes[i].field], message);
        return;
      }

  if (omni_product_options_group_show_error (self->options_group, message))
    return;

  show_general_error (self, message);
}

/* A save, copied out of the widgets for the worker. */
typedef struct
{
  char            *path;
  gint64           product_id;      /* 0: create */
  OmniProductSpec  product;
  OmniVariantSpec *variants;
  gint64          *variant_ids;     /* per variant: 0 to add, else to update */
  guint           *row_indexes;     /* per variant: its row in the editor */
  guint            n_variants;
  GPtrArray       *strings;         /* owns every string above */

  gint64           written_id;
  int              failed;          /* the variant whose write failed, or -1 */
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->path);
  g_free (job->variants);
  g_free (job->variant_ids);
  g_free (job->row_indexes);
  g_ptr_array_unref (job->strings);
  g_free (job);
}

static const char *
job_strdup (SaveJob    *job,
            const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strdup (text);
  g_ptr_array_add (job->strings, copy);
  return copy;
}

static void
copy_variant (SaveJob               *job,
              OmniVariantEditorRow  *row,
              guint                  row_index)
{
  OmniVariantSpec spec;
  OmniVariantSpec *copy = &job->variants[job->n_variants];

  omni_variant_editor_row_get_spec (row, &spec);
  *copy = spec;
  copy->sku = job_strdup (job, spec.sku);
  copy->barcode = job_strdup (job, spec.barcode);
  for (guint i = 0; i < 3; i++)
    copy->options[i] = job_strdup (job, spec.options[i]);
  job->variant_ids[job->n_variants] = omni_variant_editor_row_get_variant_id (row);
  job->row_indexes[job->n_variants] = row_index;
  job->n_variants++;
}

static SaveJob *
save_job_new (OmniProductEditor *self,
              const char        *description)
{
  const char * const *names = omni_product_options_group_get_names (self->options_group);
  guint status = adw_combo_row_get_selected (self->status_row);
  SaveJob *job = g_new0 (SaveJob, 1);

  job->strings = g_ptr_array_new_with_free_func (g_free);
  job->path = g_strdup (omni_store_get_path (omni_context_get_store (self->context)));
  job->product_id = self->product_id;
  job->failed = -1;

  job->product.title = job_strdup (job, self->texts[PRODUCT_FIELD_TITLE]);
  job->product.vendor = job_strdup (job, self->texts[PRODUCT_FIELD_VENDOR]);
  job->product.product_type = job_strdup (job, self->texts[PRODUCT_FIELD_TYPE]);
  job->product.tags = job_strdup (job, self->texts[PRODUCT_FIELD_TAGS]);
  job->product.body = job_strdup (job, description);
  /* An archived product keeps its status: it is restored from the list. */
  job->product.status = self->archived || status >= G_N_ELEMENTS (statuses)
                        ? NULL : statuses[status];
  for (guint i = 0; i < 3 && names[i] != NULL; i++)
    job->product.option_names[i] = job_strdup (job, names[i]);

  job->variants = g_new0 (OmniVariantSpec, MAX (self->rows->len, 1));
  job->variant_ids = g_new0 (gint64, MAX (self->rows->len, 1));
  job->row_indexes = g_new0 (guint, MAX (self->rows->len, 1));
  for (guint i = 0; i < self->rows->len; i++)
    {
      OmniVariantEditorRow *row = g_ptr_array_index (self->rows, i);
      gint64 id = omni_variant_editor_row_get_variant_id (row);

      /* A stored product: only what changed, and never a locked variant. */
      if (self->product_id > 0 &&
          (omni_variant_editor_row_get_locked (row) ||
           (id > 0 && !omni_variant_editor_row_get_dirty (row))))
        continue;
      copy_variant (job, row, i);
    }
  return job;
}

static gboolean
write_existing (OmniStore  *store,
                SaveJob    *job,
                GError    **error)
{
  if (!omni_store_begin (store, error))
    return FALSE;
  if (!omni_store_update_product (store, job->product_id, &job->product, error))
    goto fail;

  for (guint i = 0; i < job->n_variants; i++)
    {
      gint64 id = job->variant_ids[i];

      job->failed = (int) i;
      if (id > 0 ? !omni_store_update_variant (store, id, &job->variants[i], error)
                 : omni_store_add_variant (store, job->product_id, &job->variants[i], error) == 0)
        goto fail;
    }
  job->failed = -1;
  if (!omni_store_commit (store, error))
    return FALSE;
  job->written_id = job->product_id;
  return TRUE;

fail:
  omni_store_rollback (store);
  return FALSE;
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  g_autoptr(OmniStore) store = NULL;
  GError *error = NULL;

  store = omni_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->product_id == 0)
    {
      job->written_id = omni_store_create_product (store, &job->product, job->variants,
                                                   job->n_variants, NULL, &error);
      if (job->written_id == 0)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (!write_existing (store, job, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The connection closes before the main thread hears back. */
  g_clear_object (&store);
  g_task_return_boolean (task, TRUE);
}

/*
 * Writes the product as the editor shows it, on a worker. @callback runs on
 * the main thread; finish with _omni_product_editor_write_finish().
 */
void
_omni_product_editor_write_async (OmniProductEditor   *self,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *description = _omni_product_editor_dup_description (self);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  gtk_widget_set_visible (GTK_WIDGET (self->general_group), FALSE);
  g_task_set_source_tag (task, _omni_product_editor_write_async);
  g_task_set_task_data (task, save_job_new (self, description), (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

/*
 * Returns: the product written, or 0 when the store refused; the reason is
 *   then shown next to its field and nothing was written
 */
gint64
_omni_product_editor_write_finish (OmniProductEditor *self,
                                   GAsyncResult      *result)
{
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  OmniVariantEditorRow *failed = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    return job->written_id;

  if (job->failed >= 0 && job->row_indexes[job->failed] < self->rows->len)
    failed = g_ptr_array_index (self->rows, job->row_indexes[job->failed]);
  show_store_error (self, error, failed);
  return 0;
}
