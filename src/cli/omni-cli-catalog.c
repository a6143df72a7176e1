/* omni-cli-catalog.c: reading the catalog: search, product list and show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-catalog.h"
#include "omni-cli-stock.h"
#include "omni-money.h"
#include "omni-store-inventory.h"

#define DEFAULT_SEARCH_LIMIT 50
#define DEFAULT_LIST_LIMIT   100
/* The store returns at most this many rows a page. */
#define MAX_PAGE             1000

static void
add_variant_members (JsonBuilder          *builder,
                     const OmniVariantRow *row)
{
  omni_cli_json_add_int (builder, "id", row->id);
  omni_cli_json_add_int (builder, "product_id", row->product_id);
  omni_cli_json_add_string (builder, "sku", row->sku);
  omni_cli_json_add_string (builder, "title", row->title);
  omni_cli_json_add_string (builder, "options", row->options);
  omni_cli_json_add_string (builder, "barcode", row->barcode);
  omni_cli_json_add_string (builder, "vendor", row->vendor);
  omni_cli_json_add_string (builder, "product_type", row->product_type);
  omni_cli_json_add_string (builder, "handle", row->handle);
  omni_cli_json_add_string (builder, "status", row->status);
  omni_cli_json_add_boolean (builder, "archived", row->archived);
  omni_cli_json_add_int (builder, "price_minor", row->price);
  omni_cli_json_add_optional_int (builder, "compare_at_price_minor", row->compare_at_price);
  omni_cli_json_add_optional_int (builder, "cost_minor", row->cost);
  omni_cli_json_add_int (builder, "weight_grams", row->weight_grams);
  omni_cli_json_add_optional_int (builder, "reorder_point", row->reorder_point);
  omni_cli_json_add_optional_int (builder, "reorder_qty", row->reorder_qty);
  omni_cli_json_add_int (builder, "on_hand", row->on_hand);
  omni_cli_json_add_int (builder, "available", row->available);
}

/**
 * omni_cli_json_add_variant:
 * @builder: a builder inside an array, or after a member name
 * @row: the variant
 *
 * Adds one variant as search and `product list` print it; `sku`, `title`,
 * `barcode` and `available` are the keys scripts rely on (DESIGN section 4).
 * Settings that are not set are null.
 */
void
omni_cli_json_add_variant (JsonBuilder          *builder,
                           const OmniVariantRow *row)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (row != NULL);

  json_builder_begin_object (builder);
  add_variant_members (builder, row);
  json_builder_end_object (builder);
}

static void
print_variants_json (OmniCliContext *ctx,
                     GPtrArray      *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    omni_cli_json_add_variant (builder, g_ptr_array_index (rows, i));
  json_builder_end_array (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
print_variants_table (OmniCliContext *ctx,
                      GPtrArray      *rows,
                      const char     *currency)
{
  g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("SKU"), _("Title"), _("Barcode"),
                                                   _("Price"), _("Available"), NULL);

  omni_cli_grid_align_right (grid, 3);
  omni_cli_grid_align_right (grid, 4);

  for (guint i = 0; i < rows->len; i++)
    {
      const OmniVariantRow *row = g_ptr_array_index (rows, i);
      g_autofree char *label = omni_cli_variant_label (row->title, row->options);
      g_autofree char *price = omni_money_format (row->price, currency);

      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (row->sku));
      omni_cli_grid_add (grid, "%s", label);
      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (row->barcode));
      omni_cli_grid_add (grid, "%s", price);
      omni_cli_grid_add (grid, "%" PRId64, row->available);
    }

  omni_cli_output_grid (ctx->out, grid);
}

static gboolean
parse_page_size (const char  *text,
                 const char  *what,
                 guint        fallback,
                 guint       *out,
                 GError     **error)
{
  gint64 value = fallback;

  if (text != NULL && !omni_cli_parse_int (text, what, 1, MAX_PAGE, &value, error))
    return FALSE;

  *out = (guint) value;
  return TRUE;
}

/* search -------------------------------------------------------------- */

gboolean
omni_cli_search (OmniCliContext  *ctx,
                 GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *currency = NULL;
  const char *query;
  guint limit;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_("Show at most N matches (default 50, at most 1000)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error) ||
      !parse_page_size (limit_text, "--limit", DEFAULT_SEARCH_LIMIT, &limit, error))
    return FALSE;
  query = ctx->argv[1];

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  rows = omni_store_search (store, query, limit, error);
  if (rows == NULL)
    return FALSE;

  if (ctx->json)
    print_variants_json (ctx, rows);
  else if (rows->len == 0)
    omni_cli_output_print (ctx->out, _("No variant matches “%s”.\n"), query);
  else
    {
      currency = omni_cli_get_currency (store);
      print_variants_table (ctx, rows, currency);
    }

  return TRUE;
}

/* product list -------------------------------------------------------- */

typedef struct
{
  char     *vendor;
  char     *type;
  char     *tag;
  char     *stock;
  char     *sort;
  gboolean  descending;
  char     *limit;
  char     *offset;
} ListOptions;

static void
list_options_clear (ListOptions *options)
{
  g_free (options->vendor);
  g_free (options->type);
  g_free (options->tag);
  g_free (options->stock);
  g_free (options->sort);
  g_free (options->limit);
  g_free (options->offset);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ListOptions, list_options_clear)

static const char * const stock_names[] = { "in", "low", "out", "archived", NULL };
static const OmniStockFilter stock_filters[] = {
  OMNI_STOCK_IN, OMNI_STOCK_LOW, OMNI_STOCK_OUT, OMNI_STOCK_ARCHIVED,
};

static const char * const sort_names[] = { "title", "sku", "price", "available", "updated", NULL };
static const OmniSortKey sort_keys[] = {
  OMNI_SORT_TITLE, OMNI_SORT_SKU, OMNI_SORT_PRICE, OMNI_SORT_AVAILABLE, OMNI_SORT_UPDATED,
};

static guint
choice_index (const char * const *choices,
              const char         *value)
{
  guint i = 0;

  while (choices[i] != NULL && !g_str_equal (choices[i], value))
    i++;

  return i;
}

static gboolean
build_query (const ListOptions  *options,
             OmniVariantQuery   *query,
             GError            **error)
{
  query->vendor = options->vendor;
  query->product_type = options->type;
  query->tag = options->tag;
  query->descending = options->descending;
  query->stock = OMNI_STOCK_ANY;
  query->sort = OMNI_SORT_TITLE;

  if (options->stock != NULL)
    {
      if (!omni_cli_check_choice (options->stock, "--stock", stock_names, error))
        return FALSE;
      query->stock = stock_filters[choice_index (stock_names, options->stock)];
    }

  if (options->sort != NULL)
    {
      if (!omni_cli_check_choice (options->sort, "--sort", sort_names, error))
        return FALSE;
      query->sort = sort_keys[choice_index (sort_names, options->sort)];
    }

  return TRUE;
}

static void
print_list_footer (OmniCliContext *ctx,
                   guint           offset,
                   guint           shown,
                   gint64          total)
{
  if (shown == 0 || offset + shown >= total)
    return;

  omni_cli_output_print (ctx->out,
                         _("\nShowing %u–%u of %" PRId64 "; use --offset %u for more.\n"),
                         offset + 1, offset + shown, total, offset + shown);
}

gboolean
omni_cli_product_list (OmniCliContext  *ctx,
                       GError         **error)
{
  g_auto(ListOptions) options = { 0 };
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *currency = NULL;
  OmniVariantQuery query = { 0 };
  gint64 offset = 0;
  gint64 total;
  guint limit;
  const GOptionEntry entries[] = {
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &options.vendor,
      N_("Only this vendor"), N_("VENDOR") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &options.type,
      N_("Only this product type"), N_("TYPE") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &options.tag,
      N_("Only products with this tag"), N_("TAG") },
    { "stock", 0, 0, G_OPTION_ARG_STRING, &options.stock,
      N_("Only variants in stock, low, out of stock, or archived ones"),
      N_("in|low|out|archived") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &options.sort,
      N_("Order by (default title)"), N_("title|sku|price|available|updated") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &options.descending,
      N_("Reverse the order"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &options.limit,
      N_("Show at most N variants (default 100, at most 1000)"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_STRING, &options.offset,
      N_("Skip the first N variants"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error) ||
      !build_query (&options, &query, error) ||
      !parse_page_size (options.limit, "--limit", DEFAULT_LIST_LIMIT, &limit, error) ||
      (options.offset != NULL &&
       !omni_cli_parse_int (options.offset, "--offset", 0, G_MAXINT32, &offset, error)))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  rows = omni_store_list_variants (store, &query, (guint) offset, limit, error);
  if (rows == NULL)
    return FALSE;

  if (ctx->json)
    {
      print_variants_json (ctx, rows);
      return TRUE;
    }

  total = omni_store_count_variants (store, &query, error);
  if (total < 0)
    return FALSE;

  if (rows->len == 0)
    omni_cli_output_print (ctx->out, _("No variants to show.\n"));
  else
    {
      currency = omni_cli_get_currency (store);
      print_variants_table (ctx, rows, currency);
      print_list_footer (ctx, (guint) offset, rows->len, total);
    }

  return TRUE;
}

/* product show -------------------------------------------------------- */

static gboolean
print_product_json (OmniCliContext     *ctx,
                    OmniStore          *store,
                    const OmniProduct  *product,
                    GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  omni_cli_json_add_int (builder, "id", product->id);
  omni_cli_json_add_string (builder, "handle", product->handle);
  omni_cli_json_add_string (builder, "title", product->title);
  omni_cli_json_add_string (builder, "body", product->body);
  omni_cli_json_add_string (builder, "vendor", product->vendor);
  omni_cli_json_add_string (builder, "product_type", product->product_type);
  omni_cli_json_add_string (builder, "tags", product->tags);
  omni_cli_json_add_string (builder, "status", product->status);

  json_builder_set_member_name (builder, "options");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (product->option_names); i++)
    if (product->option_names[i] != NULL)
      json_builder_add_string_value (builder, product->option_names[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "variants");
  json_builder_begin_array (builder);
  for (guint i = 0; i < product->variants->len; i++)
    {
      const OmniVariantRow *row = g_ptr_array_index (product->variants, i);
      g_autoptr(GPtrArray) levels = omni_store_get_levels (store, row->id, error);

      if (levels == NULL)
        return FALSE;

      json_builder_begin_object (builder);
      add_variant_members (builder, row);
      omni_cli_json_add_levels (builder, levels);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  omni_cli_output_json (ctx->out, builder);
  return TRUE;
}

static char *
join_option_names (const OmniProduct *product)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (product->option_names); i++)
    if (product->option_names[i] != NULL)
      g_strv_builder_add (names, product->option_names[i]);

  list = g_strv_builder_end (names);
  return g_strjoinv (", ", list);
}

static void
print_product_fields (OmniCliContext    *ctx,
                      const OmniProduct *product)
{
  g_autoptr(OmniCliTable) table = omni_cli_table_new ();
  g_autofree char *options = join_option_names (product);

  omni_cli_table_add (table, _("Title"), "%s", product->title);
  omni_cli_table_add (table, _("Handle"), "%s", product->handle);
  omni_cli_table_add (table, _("Product"), "%" PRId64, product->id);
  omni_cli_table_add (table, _("Status"), "%s", product->status);
  /* Fields the product does not use are left out rather than shown blank. */
  if (product->vendor != NULL && *product->vendor != '\0')
    omni_cli_table_add (table, _("Vendor"), "%s", product->vendor);
  if (product->product_type != NULL && *product->product_type != '\0')
    omni_cli_table_add (table, _("Type"), "%s", product->product_type);
  if (product->tags != NULL && *product->tags != '\0')
    omni_cli_table_add (table, _("Tags"), "%s", product->tags);
  if (*options != '\0')
    omni_cli_table_add (table, _("Options"), "%s", options);

  omni_cli_output_table (ctx->out, table);
}

static void
print_product_text (OmniCliContext    *ctx,
                    OmniStore         *store,
                    const OmniProduct *product)
{
  g_autofree char *currency = omni_cli_get_currency (store);
  g_autoptr(OmniCliGrid) grid = omni_cli_grid_new (_("SKU"), _("Options"), _("Barcode"),
                                                   _("Price"), _("On hand"), _("Available"),
                                                   NULL);

  print_product_fields (ctx, product);

  for (guint column = 3; column <= 5; column++)
    omni_cli_grid_align_right (grid, column);

  for (guint i = 0; i < product->variants->len; i++)
    {
      const OmniVariantRow *row = g_ptr_array_index (product->variants, i);
      g_autofree char *price = omni_money_format (row->price, currency);

      omni_cli_grid_add (grid, "%s%s", omni_cli_or_empty (row->sku),
                         row->archived ? _(" (archived)") : "");
      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (row->options));
      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (row->barcode));
      omni_cli_grid_add (grid, "%s", price);
      omni_cli_grid_add (grid, "%" PRId64, row->on_hand);
      omni_cli_grid_add (grid, "%" PRId64, row->available);
    }

  omni_cli_output_print (ctx->out, "\n");
  omni_cli_output_grid (ctx->out, grid);
}

gboolean
omni_cli_product_show (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniProduct) product = NULL;
  gint64 product_id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  product_id = omni_store_find_product (store, ctx->argv[1], error);
  if (product_id == 0)
    return FALSE;

  product = omni_store_get_product (store, product_id, error);
  if (product == NULL)
    return FALSE;

  if (ctx->json)
    return print_product_json (ctx, store, product, error);

  print_product_text (ctx, store, product);
  return TRUE;
}
