/* omni-store-remote.c: remote variants a pull could not link
 *
 * A pull that finds no local variant with a remote variant's SKU or barcode
 * records what it saw here instead of guessing. The merchant then links the
 * remote variant to a local one, imports it as a new local product, or
 * ignores it. Linking, however it happens, removes the row (a trigger on
 * channel_links, schema version 7).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "omni-store-private.h"
#include "omni-store-catalog.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"
#include "omni-text.h"

#define REMOTE_COLUMNS \
  "id, channel_id, remote_variant_id, remote_product_id, remote_inventory_id, sku, barcode," \
  " product_title, title, price, currency, state, first_seen_at, last_seen_at"

/* The option name an import gives a variant that has its own title. */
#define IMPORT_OPTION_NAME "Variant"

void
omni_remote_variant_free (OmniRemoteVariant *variant)
{
  if (variant == NULL)
    return;
  g_free (variant->remote_variant_id);
  g_free (variant->remote_product_id);
  g_free (variant->remote_inventory_id);
  g_free (variant->sku);
  g_free (variant->barcode);
  g_free (variant->product_title);
  g_free (variant->title);
  g_free (variant->currency);
  g_free (variant->state);
  g_free (variant->first_seen_at);
  g_free (variant->last_seen_at);
  g_free (variant);
}

static char *
column_text (OmniDbStmt *stmt,
             int           column)
{
  const unsigned char *text = omni_db_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static OmniRemoteVariant *
remote_from_row (OmniDbStmt *stmt)
{
  OmniRemoteVariant *remote = g_new0 (OmniRemoteVariant, 1);

  remote->id = omni_db_column_int64 (stmt, 0);
  remote->channel_id = omni_db_column_int64 (stmt, 1);
  remote->remote_variant_id = column_text (stmt, 2);
  remote->remote_product_id = column_text (stmt, 3);
  remote->remote_inventory_id = column_text (stmt, 4);
  remote->sku = column_text (stmt, 5);
  remote->barcode = column_text (stmt, 6);
  remote->product_title = column_text (stmt, 7);
  remote->title = column_text (stmt, 8);
  remote->price = omni_db_column_type (stmt, 9) == SQLITE_NULL ? -1
                  : omni_db_column_int64 (stmt, 9);
  remote->currency = column_text (stmt, 10);
  remote->state = column_text (stmt, 11);
  remote->first_seen_at = column_text (stmt, 12);
  remote->last_seen_at = column_text (stmt, 13);
  return remote;
}

/* Untrusted remote text: kept when it is valid one-line UTF-8 of sane
 * length, dropped (NULL) otherwise, so one odd field never loses the row. */
static const char *
clean_field (const char *text)
{
  if (text == NULL || omni_text_is_blank (text) ||
      !omni_text_check (text, "field", OMNI_TEXT_MAX_LINE, FALSE, NULL))
    return NULL;
  return text;
}

static gboolean
require_channel (OmniStore  *self,
                 gint64      channel_id,
                 GError    **error)
{
  g_autoptr(OmniChannel) channel = omni_store_get_channel (self, channel_id, error);

  return channel != NULL;
}

static gboolean
remote_is_linked (OmniStore  *self,
                  gint64      channel_id,
                  const char *remote_variant_id)
{
  return omni_store_find_variant_for_remote (self, channel_id, remote_variant_id) > 0;
}

/**
 * omni_store_record_remote_variant:
 *
 * Records (or refreshes) a remote variant the pull could not link. Recording
 * the same remote variant again updates what was seen and its last-seen
 * time; an ignored one stays ignored, a price the pull does not know keeps
 * the one seen before. A remote variant that is linked already is not
 * recorded.
 */
gboolean
omni_store_record_remote_variant (OmniStore                   *self,
                                  const OmniRemoteVariantSpec *spec,
                                  GError                     **error)
{
  g_autofree char *now = _omni_store_format_time (0);
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!omni_text_check (spec->remote_variant_id, "Remote variant id", OMNI_TEXT_MAX_LINE,
                        TRUE, error))
    return FALSE;
  if (remote_is_linked (self, spec->channel_id, spec->remote_variant_id))
    return TRUE;

  stmt = _omni_store_prepare (self,
                              "INSERT INTO remote_variants (channel_id, remote_variant_id,"
                              " remote_product_id, remote_inventory_id, sku, barcode,"
                              " product_title, title, price, currency, first_seen_at, last_seen_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
                              " ON CONFLICT (channel_id, remote_variant_id) DO UPDATE SET"
                              " remote_product_id = excluded.remote_product_id,"
                              " remote_inventory_id = excluded.remote_inventory_id,"
                              " sku = excluded.sku, barcode = excluded.barcode,"
                              " product_title = excluded.product_title, title = excluded.title,"
                              " price = coalesce (excluded.price, remote_variants.price),"
                              " currency = coalesce (excluded.currency, remote_variants.currency),"
                              " last_seen_at = excluded.last_seen_at",
                              error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, spec->channel_id);
  omni_db_bind_text (stmt, 2, spec->remote_variant_id, -1, SQLITE_TRANSIENT);
  _omni_store_bind_text_or_null (stmt, 3, clean_field (spec->remote_product_id));
  _omni_store_bind_text_or_null (stmt, 4, clean_field (spec->remote_inventory_id));
  _omni_store_bind_text_or_null (stmt, 5, clean_field (spec->sku));
  _omni_store_bind_text_or_null (stmt, 6, clean_field (spec->barcode));
  _omni_store_bind_text_or_null (stmt, 7, clean_field (spec->product_title));
  _omni_store_bind_text_or_null (stmt, 8, clean_field (spec->title));
  _omni_store_bind_int_or_null (stmt, 9, spec->price >= 0 ? spec->price : -1);
  _omni_store_bind_text_or_null (stmt, 10, clean_field (spec->currency));
  omni_db_bind_text (stmt, 11, now, -1, SQLITE_TRANSIENT);

  return _omni_store_write_one (self, stmt, error);
}

/* The WHERE clause every list and count shares: ?1 channel, ?2 include
 * ignored, ?3 search text (NULL: all). */
#define REMOTE_FILTER \
  " WHERE channel_id = ?1 AND (?2 <> 0 OR state = 'unmatched')" \
  " AND (CAST (?3 AS TEXT) IS NULL" \
  " OR instr (lower (coalesce (sku, '') || ' ' || coalesce (barcode, '') || ' '" \
  " || coalesce (product_title, '') || ' ' || coalesce (title, '') || ' ' || remote_variant_id)," \
  " lower (?3)) > 0)"

static void
bind_filter (OmniDbStmt *stmt,
             gint64        channel_id,
             const char   *search,
             gboolean      include_ignored)
{
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int (stmt, 2, include_ignored ? 1 : 0);
  _omni_store_bind_text_or_null (stmt, 3, omni_text_is_blank (search) ? NULL : search);
}

/**
 * omni_store_count_remote_variants:
 *
 * Returns: how many remote variants of the channel wait for the merchant
 *   (with @include_ignored, the ignored ones too); 0 on error
 */
gint64
omni_store_count_remote_variants (OmniStore *self,
                                  gint64     channel_id,
                                  gboolean   include_ignored)
{
  OmniDbStmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  stmt = _omni_store_prepare (self, "SELECT count(*) FROM remote_variants" REMOTE_FILTER, NULL);
  if (stmt == NULL)
    return 0;
  bind_filter (stmt, channel_id, NULL, include_ignored);
  if (omni_db_step (stmt) == SQLITE_ROW)
    count = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  return count;
}

/**
 * omni_store_list_remote_variants:
 * @search: (nullable): text to find in the SKU, barcode, titles or remote id
 * @include_ignored: list ignored ones too
 * @offset: rows to skip
 * @limit: rows to return, at most %OMNI_REMOTE_LIST_MAX (0: that many)
 * @total: (out) (optional): how many rows match in all
 *
 * One page of a channel's unlinked remote variants, by SKU then remote id.
 *
 * Returns: (transfer container): #OmniRemoteVariant rows, or %NULL on error
 */
GPtrArray *
omni_store_list_remote_variants (OmniStore   *self,
                                 gint64       channel_id,
                                 const char  *search,
                                 gboolean     include_ignored,
                                 guint        offset,
                                 guint        limit,
                                 gint64      *total,
                                 GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  OmniDbStmt *stmt;
  int rc;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (!require_channel (self, channel_id, error))
    return NULL;
  if (search != NULL && !omni_text_check (search, "Search", OMNI_TEXT_MAX_LINE, FALSE, error))
    return NULL;
  if (limit == 0 || limit > OMNI_REMOTE_LIST_MAX)
    limit = OMNI_REMOTE_LIST_MAX;

  if (total != NULL)
    {
      stmt = _omni_store_prepare (self, "SELECT count(*) FROM remote_variants" REMOTE_FILTER,
                                  error);
      if (stmt == NULL)
        return NULL;
      bind_filter (stmt, channel_id, search, include_ignored);
      *total = omni_db_step (stmt) == SQLITE_ROW ? omni_db_column_int64 (stmt, 0) : 0;
      omni_db_reset (stmt);
    }

  stmt = _omni_store_prepare (self,
                              "SELECT " REMOTE_COLUMNS " FROM remote_variants" REMOTE_FILTER
                              " ORDER BY sku IS NULL, sku, remote_variant_id LIMIT ?4 OFFSET ?5",
                              error);
  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, channel_id, search, include_ignored);
  omni_db_bind_int64 (stmt, 4, limit);
  omni_db_bind_int64 (stmt, 5, offset);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_remote_variant_free);
  while ((rc = omni_db_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, remote_from_row (stmt));
  omni_db_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _omni_store_set_error (self, error, rc, "Could not list the unmatched remote variants");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static OmniRemoteVariant *
lookup_remote (OmniStore  *self,
               const char *sql,
               gint64      channel_id,
               const char *key,
               guint      *matches)
{
  OmniRemoteVariant *found = NULL;
  OmniDbStmt *stmt = _omni_store_prepare (self, sql, NULL);

  *matches = 0;
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  while (omni_db_step (stmt) == SQLITE_ROW)
    {
      if (found == NULL)
        found = remote_from_row (stmt);
      (*matches)++;
    }
  omni_db_reset (stmt);
  return found;
}

/**
 * omni_store_find_remote_variant:
 * @id_or_sku: the remote variant id, or a remote SKU only one of the
 *   channel's unlinked remote variants has
 *
 * Returns: (transfer full): the row, or %NULL with %OMNI_STORE_ERROR_NOT_FOUND
 *   (or %OMNI_STORE_ERROR_INVALID when the SKU names several)
 */
OmniRemoteVariant *
omni_store_find_remote_variant (OmniStore   *self,
                                gint64       channel_id,
                                const char  *id_or_sku,
                                GError     **error)
{
  OmniRemoteVariant *found;
  guint matches;

  g_return_val_if_fail (OMNI_IS_STORE (self), NULL);

  if (!omni_text_check (id_or_sku, "Remote variant", OMNI_TEXT_MAX_LINE, TRUE, error))
    return NULL;

  found = lookup_remote (self,
                         "SELECT " REMOTE_COLUMNS " FROM remote_variants"
                         " WHERE channel_id = ?1 AND remote_variant_id = ?2",
                         channel_id, id_or_sku, &matches);
  if (found != NULL)
    return found;

  found = lookup_remote (self,
                         "SELECT " REMOTE_COLUMNS " FROM remote_variants"
                         " WHERE channel_id = ?1 AND sku = ?2 ORDER BY remote_variant_id",
                         channel_id, id_or_sku, &matches);
  if (matches == 1)
    return found;
  omni_remote_variant_free (found);

  if (matches > 1)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                 "%u unmatched remote variants have the SKU “%s”; name one by its remote id",
                 matches, id_or_sku);
  else
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "No unmatched remote variant has the id or SKU “%s”", id_or_sku);
  return NULL;
}

/* The row by its exact remote id, or NOT_FOUND. */
static OmniRemoteVariant *
require_remote (OmniStore   *self,
                gint64       channel_id,
                const char  *remote_variant_id,
                GError     **error)
{
  OmniRemoteVariant *found;
  guint matches;

  if (!omni_text_check (remote_variant_id, "Remote variant id", OMNI_TEXT_MAX_LINE, TRUE, error))
    return NULL;
  found = lookup_remote (self,
                         "SELECT " REMOTE_COLUMNS " FROM remote_variants"
                         " WHERE channel_id = ?1 AND remote_variant_id = ?2",
                         channel_id, remote_variant_id, &matches);
  if (found == NULL)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_NOT_FOUND,
                 "No unmatched remote variant has the id “%s”", remote_variant_id);
  return found;
}

/**
 * omni_store_ignore_remote_variant:
 * @ignored: %TRUE to hide it from the list, %FALSE to bring it back
 *
 * Ignored remote variants stay recorded (a later pull does not bring them
 * back) but are not listed or counted unless asked for.
 */
gboolean
omni_store_ignore_remote_variant (OmniStore   *self,
                                  gint64       channel_id,
                                  const char  *remote_variant_id,
                                  gboolean     ignored,
                                  GError     **error)
{
  g_autoptr(OmniRemoteVariant) remote = NULL;
  OmniDbStmt *stmt;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  remote = require_remote (self, channel_id, remote_variant_id, error);
  if (remote == NULL)
    return FALSE;

  stmt = _omni_store_prepare (self, "UPDATE remote_variants SET state = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  omni_db_bind_int64 (stmt, 1, remote->id);
  omni_db_bind_text (stmt, 2, ignored ? OMNI_REMOTE_STATE_IGNORED : OMNI_REMOTE_STATE_UNMATCHED,
                     -1, SQLITE_STATIC);
  return _omni_store_write_one (self, stmt, error);
}

/* The remote variant a local variant is linked to on the channel, or NULL. */
static char *
linked_remote_of (OmniStore *self,
                  gint64     channel_id,
                  gint64     variant_id)
{
  OmniDbStmt *stmt;
  char *remote = NULL;

  stmt = _omni_store_prepare (self,
                              "SELECT remote_variant_id FROM channel_links"
                              " WHERE channel_id = ?1 AND variant_id = ?2",
                              NULL);
  if (stmt == NULL)
    return NULL;
  omni_db_bind_int64 (stmt, 1, channel_id);
  omni_db_bind_int64 (stmt, 2, variant_id);
  if (omni_db_step (stmt) == SQLITE_ROW)
    remote = column_text (stmt, 0);
  omni_db_reset (stmt);
  return remote;
}

static gboolean
link_remote (OmniStore                *self,
             const OmniRemoteVariant  *remote,
             gint64                    variant_id,
             const char               *linked_by,
             GError                  **error)
{
  OmniChannelLinkSpec link = {
    .channel_id = remote->channel_id, .variant_id = variant_id,
    .remote_product_id = remote->remote_product_id,
    .remote_variant_id = remote->remote_variant_id,
    .remote_inventory_id = remote->remote_inventory_id,
    .remote_sku = remote->sku, .linked_by = linked_by,
  };

  return omni_store_link_variant (self, &link, error);
}

/**
 * omni_store_link_remote_variant:
 * @variant_id: the active local variant to link it to
 *
 * Links an unmatched remote variant to a local variant the merchant chose
 * (linked_by "manual"); the row leaves the list. The local variant keeps its
 * stock, which the channel then follows. A local variant linked to another
 * remote variant of the channel already is a conflict: nothing is written.
 */
gboolean
omni_store_link_remote_variant (OmniStore   *self,
                                gint64       channel_id,
                                const char  *remote_variant_id,
                                gint64       variant_id,
                                GError     **error)
{
  g_autoptr(OmniRemoteVariant) remote = NULL;
  g_autoptr(OmniVariantRow) row = NULL;
  g_autofree char *other = NULL;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (!require_channel (self, channel_id, error))
    return FALSE;
  remote = require_remote (self, channel_id, remote_variant_id, error);
  if (remote == NULL)
    return FALSE;
  row = omni_store_get_variant (self, variant_id, error);
  if (row == NULL)
    return FALSE;
  if (row->archived)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "Variant %s is archived; restore it before linking it",
                   row->sku != NULL ? row->sku : "without SKU");
      return FALSE;
    }
  other = linked_remote_of (self, channel_id, variant_id);
  if (other != NULL)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                   "Variant %s is already linked to remote variant %s on this channel",
                   row->sku != NULL ? row->sku : "without SKU", other);
      return FALSE;
    }

  if (!omni_store_begin (self, error))
    return FALSE;
  if (!link_remote (self, remote, variant_id, "manual", error))
    {
      omni_store_rollback (self);
      return FALSE;
    }
  return omni_store_commit (self, error);
}

static gboolean
meaningful_title (const OmniRemoteVariant *remote)
{
  return !omni_text_is_blank (remote->title) &&
         g_strcmp0 (remote->title, "Default Title") != 0 &&
         g_strcmp0 (remote->title, remote->product_title) != 0;
}

/* The local product an earlier import of the same remote product made, when
 * the new variant fits it (one option, the import's), or 0. */
static gint64
import_sibling_product (OmniStore               *self,
                        const OmniRemoteVariant *remote)
{
  g_autoptr(OmniProduct) product = NULL;
  OmniDbStmt *stmt;
  gint64 product_id = 0;

  if (remote->remote_product_id == NULL || !meaningful_title (remote))
    return 0;

  stmt = _omni_store_prepare (self,
                              "SELECT v.product_id FROM channel_links l"
                              " JOIN variants v ON v.id = l.variant_id"
                              " WHERE l.channel_id = ?1 AND l.remote_product_id = ?2"
                              " AND l.linked_by = 'import' AND v.archived = 0"
                              " ORDER BY v.id LIMIT 1",
                              NULL);
  if (stmt == NULL)
    return 0;
  omni_db_bind_int64 (stmt, 1, remote->channel_id);
  omni_db_bind_text (stmt, 2, remote->remote_product_id, -1, SQLITE_TRANSIENT);
  if (omni_db_step (stmt) == SQLITE_ROW)
    product_id = omni_db_column_int64 (stmt, 0);
  omni_db_reset (stmt);
  if (product_id == 0)
    return 0;

  product = omni_store_get_product (self, product_id, NULL);
  if (product == NULL ||
      g_strcmp0 (product->option_names[0], IMPORT_OPTION_NAME) != 0 ||
      product->option_names[1] != NULL)
    return 0;
  for (guint i = 0; i < product->variants->len; i++)
    {
      OmniVariantRow *sibling = product->variants->pdata[i];

      /* Two remote variants with one title would be two identical rows. */
      if (g_strcmp0 (sibling->options, remote->title) == 0)
        return 0;
    }
  return product_id;
}

/**
 * omni_store_import_remote_variant:
 *
 * Creates a local variant from an unmatched remote variant, linked to it
 * (linked_by "import"), in one transaction: a new product titled as the
 * remote product (a variant with its own title gets it as the value of a
 * "Variant" option), or, when an earlier import made the local product of
 * the same remote product, a new variant of that product. It starts with no
 * stock: the first level a pull then reads becomes its opening stock. A
 * remote SKU that an active local variant uses is a conflict (link the
 * remote variant to that variant instead): nothing is written.
 *
 * Returns: the new local variant's id, or 0
 */
gint64
omni_store_import_remote_variant (OmniStore   *self,
                                  gint64       channel_id,
                                  const char  *remote_variant_id,
                                  GError     **error)
{
  g_autoptr(OmniRemoteVariant) remote = NULL;
  gint64 variant_id = 0;
  gint64 product_id;
  gint64 clash;
  OmniVariantSpec variant = {
    .compare_at_price = -1, .cost = -1, .reorder_point = -1, .reorder_qty = -1,
  };

  g_return_val_if_fail (OMNI_IS_STORE (self), 0);

  if (!require_channel (self, channel_id, error))
    return 0;
  remote = require_remote (self, channel_id, remote_variant_id, error);
  if (remote == NULL)
    return 0;

  if (remote->sku != NULL)
    {
      clash = omni_store_match_variant (self, remote->sku, NULL, NULL);
      if (clash > 0)
        {
          g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                       "Cannot import remote variant %s: the SKU “%s” is already used by a"
                       " local variant; link the remote variant to it instead",
                       remote->remote_variant_id, remote->sku);
          return 0;
        }
    }

  variant.sku = remote->sku;
  variant.barcode = remote->barcode;
  variant.price = remote->price >= 0 ? remote->price : 0;

  if (!omni_store_begin (self, error))
    return 0;

  product_id = import_sibling_product (self, remote);
  if (product_id > 0)
    {
      variant.options[0] = remote->title;
      variant_id = omni_store_add_variant (self, product_id, &variant, error);
    }
  else
    {
      const char *title = remote->product_title;
      OmniProductSpec product = { 0 };

      if (title == NULL && meaningful_title (remote))
        title = remote->title;
      if (title == NULL)
        title = remote->sku;
      if (title == NULL)
        title = remote->remote_variant_id;
      product.title = title;
      if (meaningful_title (remote))
        {
          product.option_names[0] = IMPORT_OPTION_NAME;
          variant.options[0] = remote->title;
        }
      if (omni_store_create_product (self, &product, &variant, 1, &variant_id, error) == 0)
        variant_id = 0;
    }

  if (variant_id == 0 || !link_remote (self, remote, variant_id, "import", error))
    {
      omni_store_rollback (self);
      return 0;
    }
  if (!omni_store_commit (self, error))
    return 0;
  return variant_id;
}

/**
 * omni_store_import_all_remote_variants:
 * @imported: (out) (optional): how many were imported
 *
 * Imports every unmatched (not ignored) remote variant of the channel, as
 * omni_store_import_remote_variant() does, all or none: the first that
 * cannot be imported (its SKU is in use, a bad barcode) stops it with that
 * error and nothing is written.
 */
gboolean
omni_store_import_all_remote_variants (OmniStore  *self,
                                       gint64      channel_id,
                                       gint64     *imported,
                                       GError    **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint offset = 0;

  g_return_val_if_fail (OMNI_IS_STORE (self), FALSE);

  if (imported != NULL)
    *imported = 0;

  /* Collect first: importing deletes rows, which would shift the pages. */
  for (;;)
    {
      g_autoptr(GPtrArray) page = omni_store_list_remote_variants (self, channel_id, NULL, FALSE,
                                                                   offset, OMNI_REMOTE_LIST_MAX,
                                                                   NULL, error);
      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          OmniRemoteVariant *remote = page->pdata[i];

          g_ptr_array_add (ids, g_strdup (remote->remote_variant_id));
        }
      if (page->len < OMNI_REMOTE_LIST_MAX)
        break;
      offset += page->len;
    }

  if (!omni_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (omni_store_import_remote_variant (self, channel_id, ids->pdata[i], error) == 0)
      {
        omni_store_rollback (self);
        return FALSE;
      }
  if (!omni_store_commit (self, error))
    return FALSE;
  if (imported != NULL)
    *imported = ids->len;
  return TRUE;
}
