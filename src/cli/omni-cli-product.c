/* omni-cli-product.c: changing the catalog: product add, archive, duplicate,
 * edit-variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-catalog.h"
#include "omni-cli-product.h"
#include "omni-money.h"
#include "omni-store-catalog.h"
#include "omni-text.h"

#define MAX_OPTIONS 3
/* The store's bound on reorder points and quantities. */
#define MAX_REORDER 1000000

/* Prints a product as it was stored: id, handle, title, and each variant's
 * SKU and options, for `product add` and `product duplicate`.
 */
static void
print_new_product (OmniCliContext    *ctx,
                   const char        *verb,
                   const OmniProduct *product,
                   gint64             source_id)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(OmniCliGrid) grid = NULL;

  if (ctx->json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", product->id);
      omni_cli_json_add_string (builder, "handle", product->handle);
      omni_cli_json_add_string (builder, "title", product->title);
      omni_cli_json_add_string (builder, "status", product->status);
      if (source_id > 0)
        omni_cli_json_add_int (builder, "source_id", source_id);
      json_builder_set_member_name (builder, "variants");
      json_builder_begin_array (builder);
      for (guint i = 0; i < product->variants->len; i++)
        omni_cli_json_add_variant (builder, g_ptr_array_index (product->variants, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return;
    }

  /* A product without options is one variant: one line says it all. */
  if (product->option_names[0] == NULL && product->variants->len == 1)
    {
      const OmniVariantRow *row = g_ptr_array_index (product->variants, 0);

      omni_cli_output_print (ctx->out,
                             _("%s “%s” (handle %s, product %" PRId64 ", %s) with SKU %s.\n"),
                             verb, product->title, product->handle, product->id,
                             product->status, row->sku != NULL ? row->sku : _("(none)"));
      return;
    }

  omni_cli_output_print (ctx->out,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%s “%s” (handle %s, product %" PRId64 ", %s) with %u "
                                      "variant:\n",
                                      "%s “%s” (handle %s, product %" PRId64 ", %s) with %u "
                                      "variants:\n",
                                      product->variants->len),
                         verb, product->title, product->handle, product->id, product->status,
                         product->variants->len);

  grid = omni_cli_grid_new (_("SKU"), _("Options"), NULL);
  for (guint i = 0; i < product->variants->len; i++)
    {
      const OmniVariantRow *row = g_ptr_array_index (product->variants, i);

      omni_cli_grid_add (grid, "%s", row->sku != NULL ? row->sku : _("(no SKU)"));
      omni_cli_grid_add (grid, "%s", omni_cli_or_empty (row->options));
    }
  omni_cli_output_grid (ctx->out, grid);
}

/* product add: options and the variant matrix ------------------------ */

typedef struct
{
  char  *name;
  GStrv  values;
} Option;

static void
option_clear (Option *option)
{
  g_clear_pointer (&option->name, g_free);
  g_clear_pointer (&option->values, g_strfreev);
}

static void
set_bad_option (GError     **error,
                const char  *text)
{
  g_autofree char *shown = g_utf8_make_valid (text, -1);

  g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
               _("--option must be a name and its values, such as “Size=S,M,L”, not “%s”"),
               shown);
}

static gboolean
has_value (GPtrArray  *values,
           const char *value)
{
  g_autofree char *key = g_utf8_casefold (value, -1);

  for (guint i = 0; i < values->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (values, i), -1);

      if (g_str_equal (key, other))
        return TRUE;
    }

  return FALSE;
}

/* "Size=S, M ,L" → Size with S, M and L. */
static gboolean
parse_option (const char  *text,
              Option      *option,
              GError     **error)
{
  const char *equals = strchr (text, '=');
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  g_auto(GStrv) parts = NULL;

  if (equals == NULL)
    {
      set_bad_option (error, text);
      return FALSE;
    }

  name = g_strstrip (g_strndup (text, equals - text));
  parts = g_strsplit (equals + 1, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *value = g_strstrip (parts[i]);

      if (*value == '\0')
        {
          set_bad_option (error, text);
          return FALSE;
        }
      if (has_value (values, value))
        {
          g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                       _("--option “%s” lists “%s” twice"), name, value);
          return FALSE;
        }
      g_ptr_array_add (values, g_strdup (value));
    }

  if (*name == '\0' || values->len == 0)
    {
      set_bad_option (error, text);
      return FALSE;
    }

  g_ptr_array_add (values, NULL);
  option->name = g_steal_pointer (&name);
  option->values = (GStrv) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

static gboolean
parse_options (char   **texts,
               Option  *options,
               guint   *n_options,
               GError **error)
{
  guint n = texts != NULL ? g_strv_length (texts) : 0;

  *n_options = 0;
  if (n > MAX_OPTIONS)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("a product has at most %d options (such as size, colour and material), "
                     "but %u were given"),
                   MAX_OPTIONS, n);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      if (!parse_option (texts[i], &options[i], error))
        return FALSE;
      (*n_options)++;
    }

  return TRUE;
}

/* An option value as part of a SKU: "Light blue" → "LIGHT-BLUE", "Écru" → "ECRU". */
static char *
sku_part (const char *value)
{
  g_autofree char *folded = omni_text_fold (value);
  GString *part = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && part->len > 0)
            g_string_append_c (part, '-');
          g_string_append_c (part, g_ascii_toupper (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  return g_string_free (part, FALSE);
}

typedef struct
{
  Option      options[MAX_OPTIONS];
  guint       n_options;
  GArray     *specs;      /* OmniVariantSpec, pointing into the strings below */
  GPtrArray  *strings;    /* what the specs point at */
} Matrix;

static void
matrix_clear (Matrix *matrix)
{
  for (guint i = 0; i < MAX_OPTIONS; i++)
    option_clear (&matrix->options[i]);
  g_clear_pointer (&matrix->specs, g_array_unref);
  g_clear_pointer (&matrix->strings, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Matrix, matrix_clear)

/* The SKU of the combination @choice (one value index per option), with
 * @prefix; NULL without a prefix.
 */
static char *
matrix_sku (const Matrix  *matrix,
            const char    *prefix,
            const guint   *choice,
            GError       **error)
{
  g_autoptr(GString) sku = NULL;

  if (prefix == NULL)
    return NULL;

  sku = g_string_new (prefix);
  for (guint i = 0; i < matrix->n_options; i++)
    {
      const char *value = matrix->options[i].values[choice[i]];
      g_autofree char *part = sku_part (value);

      if (*part == '\0')
        {
          g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                       _("the option value “%s” has no letters or digits to put in a SKU; "
                         "leave out --sku-prefix and give SKUs with product edit-variant"),
                       value);
          return NULL;
        }
      g_string_append_printf (sku, "-%s", part);
    }

  return g_string_free (g_steal_pointer (&sku), FALSE);
}

static gboolean
matrix_add_variant (Matrix                 *matrix,
                    const OmniVariantSpec  *base,
                    const char             *prefix,
                    const guint            *choice,
                    GHashTable             *skus,
                    GError                **error)
{
  OmniVariantSpec spec = *base;
  GError *local_error = NULL;
  char *sku = matrix_sku (matrix, prefix, choice, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* "S/M" and "S-M" would make the same SKU; say so before the store does. */
  if (sku != NULL && !g_hash_table_add (skus, g_strdup (sku)))
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("two variants would get the SKU “%s”; change an option value or the prefix"),
                   sku);
      g_free (sku);
      return FALSE;
    }

  if (sku != NULL)
    {
      g_ptr_array_add (matrix->strings, sku);
      spec.sku = sku;
    }
  for (guint i = 0; i < matrix->n_options; i++)
    spec.options[i] = matrix->options[i].values[choice[i]];

  g_array_append_val (matrix->specs, spec);
  return TRUE;
}

/* Steps @choice to the next combination, the last option fastest:
 * S/Red, S/Blue, M/Red, M/Blue. Returns FALSE after the last one.
 */
static gboolean
next_choice (const Matrix *matrix,
             guint        *choice)
{
  for (guint i = matrix->n_options; i-- > 0;)
    {
      if (matrix->options[i].values[++choice[i]] != NULL)
        return TRUE;
      choice[i] = 0;
    }

  return FALSE;
}

static gboolean
check_matrix_size (const Matrix  *matrix,
                   GError       **error)
{
  guint64 n = 1;

  for (guint i = 0; i < matrix->n_options; i++)
    n *= g_strv_length (matrix->options[i].values);

  if (n > OMNI_CLI_MAX_VARIANTS)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("these options make %" PRIu64 " variants; a product has at "
                     "most %d"),
                   n, OMNI_CLI_MAX_VARIANTS);
      return FALSE;
    }

  return TRUE;
}

/* One variant per combination of option values, or one without options. */
static gboolean
build_matrix (Matrix                 *matrix,
              const OmniVariantSpec  *base,
              const char             *prefix,
              GError                **error)
{
  g_autoptr(GHashTable) skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint choice[MAX_OPTIONS] = { 0 };

  matrix->specs = g_array_new (FALSE, TRUE, sizeof (OmniVariantSpec));
  matrix->strings = g_ptr_array_new_with_free_func (g_free);

  if (!check_matrix_size (matrix, error))
    return FALSE;

  do
    {
      if (!matrix_add_variant (matrix, base, prefix, choice, skus, error))
        return FALSE;
    }
  while (next_choice (matrix, choice));

  return TRUE;
}

typedef struct
{
  char     *title;
  char     *handle;
  char     *vendor;
  char     *type;
  char     *tags;
  char     *status;
  char    **options;
  char     *sku_prefix;
  char     *sku;
  char     *price;
  char     *cost;
  char     *compare_at;
  char     *barcode;
  char     *reorder_point;
  char     *reorder_qty;
} AddOptions;

static void
add_options_clear (AddOptions *options)
{
  g_free (options->title);
  g_free (options->handle);
  g_free (options->vendor);
  g_free (options->type);
  g_free (options->tags);
  g_free (options->status);
  g_strfreev (options->options);
  g_free (options->sku_prefix);
  g_free (options->sku);
  g_free (options->price);
  g_free (options->cost);
  g_free (options->compare_at);
  g_free (options->barcode);
  g_free (options->reorder_point);
  g_free (options->reorder_qty);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* Options that cannot go together, or are missing: usage errors. */
static gboolean
check_add_usage (const AddOptions  *options,
                 GError           **error)
{
  gboolean has_options = options->options != NULL && options->options[0] != NULL;
  const char *message = NULL;

  if (options->title == NULL)
    message = _("product add needs --title");
  else if (options->sku != NULL && options->sku_prefix != NULL)
    message = _("give either --sku or --sku-prefix, not both");
  else if (options->sku != NULL && has_options)
    message = _("--sku names one variant; with --option, use --sku-prefix");
  else if (options->barcode != NULL && has_options)
    message = _("--barcode names one variant; with --option, give barcodes with "
                "product edit-variant");

  if (message == NULL)
    return TRUE;

  g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE, message);
  return FALSE;
}

static gboolean
parse_optional_money (OmniStore   *store,
                      const char  *text,
                      const char  *what,
                      OmniMoney    fallback,
                      OmniMoney   *out,
                      GError     **error)
{
  *out = fallback;
  return text == NULL || omni_cli_parse_money (store, text, what, out, error);
}

static gboolean
parse_optional_int (const char  *text,
                    const char  *what,
                    gint64       fallback,
                    gint64       max,
                    gint64      *out,
                    GError     **error)
{
  *out = fallback;
  return text == NULL || omni_cli_parse_int (text, what, 0, max, out, error);
}

/* Fills what every variant of the new product shares. */
static gboolean
build_base_variant (OmniStore         *store,
                    const AddOptions  *options,
                    OmniVariantSpec   *base,
                    GError           **error)
{
  base->sku = options->sku;
  base->barcode = options->barcode;

  return parse_optional_money (store, options->price, "--price", 0, &base->price, error) &&
         parse_optional_money (store, options->cost, "--cost", -1, &base->cost, error) &&
         parse_optional_money (store, options->compare_at, "--compare-at", -1,
                               &base->compare_at_price, error) &&
         parse_optional_int (options->reorder_point, "--reorder-point", -1, MAX_REORDER,
                             &base->reorder_point, error) &&
         parse_optional_int (options->reorder_qty, "--reorder-qty", -1, MAX_REORDER,
                             &base->reorder_qty, error);
}

static gboolean
create_product (OmniCliContext    *ctx,
                OmniStore         *store,
                const AddOptions  *options,
                Matrix            *matrix,
                GError           **error)
{
  g_autoptr(OmniProduct) product = NULL;
  OmniProductSpec spec = {
    .title = options->title, .handle = options->handle, .vendor = options->vendor,
    .product_type = options->type, .tags = options->tags,
    .status = options->status != NULL ? options->status : "active",
  };
  OmniVariantSpec base = { 0 };
  const char *prefix = options->sku_prefix;
  gint64 product_id;

  if (!build_base_variant (store, options, &base, error))
    return FALSE;

  /* Without options, a prefix is the one variant's SKU. */
  if (matrix->n_options == 0 && prefix != NULL)
    {
      base.sku = prefix;
      prefix = NULL;
    }
  for (guint i = 0; i < matrix->n_options; i++)
    spec.option_names[i] = matrix->options[i].name;

  if (!build_matrix (matrix, &base, prefix, error))
    return FALSE;

  product_id = omni_store_create_product (store, &spec, &g_array_index (matrix->specs, OmniVariantSpec, 0),
                                          matrix->specs->len, NULL, error);
  if (product_id == 0)
    return FALSE;

  product = omni_store_get_product (store, product_id, error);
  if (product == NULL)
    return FALSE;

  print_new_product (ctx, _("Added"), product, 0);
  return TRUE;
}

gboolean
omni_cli_product_add (OmniCliContext  *ctx,
                      GError         **error)
{
  static const char * const statuses[] = { "active", "draft", NULL };
  g_auto(AddOptions) options = { 0 };
  g_auto(Matrix) matrix = { 0 };
  g_autoptr(OmniStore) store = NULL;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &options.title, N_("The title (required)"), N_("T") },
    { "handle", 0, 0, G_OPTION_ARG_STRING, &options.handle,
      N_("The handle (default: made from the title)"), N_("H") },
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &options.vendor, N_("The vendor"), N_("V") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &options.type, N_("The product type"), N_("T") },
    { "tags", 0, 0, G_OPTION_ARG_STRING, &options.tags,
      N_("Tags separated by commas"), N_("\"a, b\"") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &options.status,
      N_("active (default) or draft"), N_("STATUS") },
    { "option", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.options,
      N_("An option and its values, up to three times; one variant per combination"),
      N_("\"Size=S,M,L\"") },
    { "sku-prefix", 0, 0, G_OPTION_ARG_STRING, &options.sku_prefix,
      N_("Make SKUs PREFIX-S-RED from the option values"), N_("P") },
    { "sku", 0, 0, G_OPTION_ARG_STRING, &options.sku,
      N_("The SKU of a product without options"), N_("S") },
    { "price", 0, 0, G_OPTION_ARG_STRING, &options.price,
      N_("The price, in the shop currency"), N_("12.50") },
    { "cost", 0, 0, G_OPTION_ARG_STRING, &options.cost, N_("The unit cost"), N_("5") },
    { "compare-at", 0, 0, G_OPTION_ARG_STRING, &options.compare_at,
      N_("The compare-at price"), N_("15") },
    { "barcode", 0, 0, G_OPTION_ARG_STRING, &options.barcode,
      N_("The barcode of a product without options"), N_("B") },
    { "reorder-point", 0, 0, G_OPTION_ARG_STRING, &options.reorder_point,
      N_("Alert at or below this many available"), N_("N") },
    { "reorder-qty", 0, 0, G_OPTION_ARG_STRING, &options.reorder_qty,
      N_("How many to reorder"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error) ||
      !check_add_usage (&options, error) ||
      (options.status != NULL &&
       !omni_cli_check_choice (options.status, "--status", statuses, error)) ||
      !parse_options (options.options, matrix.options, &matrix.n_options, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  return create_product (ctx, store, &options, &matrix, error);
}

/* product archive and duplicate -------------------------------------- */

static OmniProduct *
find_product (OmniStore   *store,
              const char  *sku_or_handle,
              GError     **error)
{
  gint64 product_id = omni_store_find_product (store, sku_or_handle, error);

  if (product_id == 0)
    return NULL;

  return omni_store_get_product (store, product_id, error);
}

gboolean
omni_cli_product_archive (OmniCliContext  *ctx,
                          GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniProduct) product = NULL;
  gboolean restore = FALSE;
  const GOptionEntry entries[] = {
    { "restore", 0, 0, G_OPTION_ARG_NONE, &restore,
      N_("Bring an archived product back, with its variants"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  product = find_product (store, ctx->argv[1], error);
  if (product == NULL ||
      !omni_store_set_product_archived (store, product->id, !restore, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", product->id);
      omni_cli_json_add_string (builder, "handle", product->handle);
      omni_cli_json_add_string (builder, "title", product->title);
      omni_cli_json_add_boolean (builder, "archived", !restore);
      omni_cli_json_add_int (builder, "variants", product->variants->len);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           restore ? _("Restored “%s” (handle %s) with its variants.\n")
                                   : _("Archived “%s” (handle %s) with its variants.\n"),
                           product->title, product->handle);

  return TRUE;
}

gboolean
omni_cli_product_duplicate (OmniCliContext  *ctx,
                            GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniProduct) product = NULL;
  gint64 source_id;
  gint64 copy_id;

  if (!omni_cli_context_parse (ctx, NULL, 1, 1, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if ((source_id = omni_store_find_product (store, ctx->argv[1], error)) == 0 ||
      (copy_id = omni_store_duplicate_product (store, source_id, error)) == 0 ||
      (product = omni_store_get_product (store, copy_id, error)) == NULL)
    return FALSE;

  print_new_product (ctx, _("Created"), product, source_id);
  return TRUE;
}

/* product edit-variant ------------------------------------------------ */

typedef struct
{
  char *sku;
  char *barcode;
  char *price;
  char *cost;
  char *compare_at;
  char *reorder_point;
  char *reorder_qty;
} EditOptions;

static void
edit_options_clear (EditOptions *options)
{
  g_free (options->sku);
  g_free (options->barcode);
  g_free (options->price);
  g_free (options->cost);
  g_free (options->compare_at);
  g_free (options->reorder_point);
  g_free (options->reorder_qty);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EditOptions, edit_options_clear)

/* An empty value clears a setting that may be unset. */
static gboolean
parse_clearable_money (OmniStore   *store,
                       const char  *text,
                       const char  *what,
                       OmniMoney   *value,
                       GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (*text == '\0')
    {
      *value = -1;
      return TRUE;
    }

  return omni_cli_parse_money (store, text, what, value, error);
}

static gboolean
parse_clearable_int (const char  *text,
                     const char  *what,
                     gint64      *value,
                     GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (*text == '\0')
    {
      *value = -1;
      return TRUE;
    }

  return omni_cli_parse_int (text, what, 0, MAX_REORDER, value, error);
}

/* The option values one by one. The store gives a variant's options joined
 * as "S / Red"; a value that itself holds " / " cannot be told apart, and
 * rewriting it would change it, so such a variant is refused.
 */
static gboolean
split_options (OmniStore             *store,
               const OmniVariantRow  *row,
               GStrv                 *values,
               GError               **error)
{
  g_autoptr(OmniProduct) product = omni_store_get_product (store, row->product_id, error);
  guint n_options = 0;

  if (product == NULL)
    return FALSE;

  while (n_options < MAX_OPTIONS && product->option_names[n_options] != NULL)
    n_options++;

  *values = n_options > 0 ? g_strsplit (row->options, " / ", -1) : g_new0 (char *, 1);
  if (g_strv_length (*values) != n_options)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("the options of %s (“%s”) contain “ / ”, which the command line cannot "
                     "edit safely; edit this variant in the app"),
                   omni_cli_or_empty (row->sku), row->options);
      g_clear_pointer (values, g_strfreev);
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_edits (OmniStore          *store,
             const EditOptions  *options,
             OmniVariantSpec    *spec,
             GError            **error)
{
  if (options->sku != NULL)
    spec->sku = options->sku;
  if (options->barcode != NULL)
    spec->barcode = options->barcode;

  return (options->price == NULL ||
          omni_cli_parse_money (store, options->price, "--price", &spec->price, error)) &&
         parse_clearable_money (store, options->cost, "--cost", &spec->cost, error) &&
         parse_clearable_money (store, options->compare_at, "--compare-at",
                                &spec->compare_at_price, error) &&
         parse_clearable_int (options->reorder_point, "--reorder-point",
                              &spec->reorder_point, error) &&
         parse_clearable_int (options->reorder_qty, "--reorder-qty", &spec->reorder_qty, error);
}

static void
describe_money_change (GString    *changes,
                       const char *field,
                       OmniMoney   before,
                       OmniMoney   after,
                       const char *currency)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  if (before == after)
    return;

  old_text = before < 0 ? g_strdup (_("none")) : omni_money_format (before, currency);
  new_text = after < 0 ? g_strdup (_("none")) : omni_money_format (after, currency);
  g_string_append_printf (changes, "%s%s %s → %s", changes->len > 0 ? "; " : "", field,
                          old_text, new_text);
}

static void
describe_int_change (GString    *changes,
                     const char *field,
                     gint64      before,
                     gint64      after)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  if (before == after)
    return;

  old_text = before < 0 ? g_strdup (_("none")) : g_strdup_printf ("%" PRId64, before);
  new_text = after < 0 ? g_strdup (_("none")) : g_strdup_printf ("%" PRId64, after);
  g_string_append_printf (changes, "%s%s %s → %s", changes->len > 0 ? "; " : "", field,
                          old_text, new_text);
}

static void
describe_text_change (GString    *changes,
                      const char *field,
                      const char *before,
                      const char *after)
{
  before = before != NULL && *before != '\0' ? before : _("none");
  after = after != NULL && *after != '\0' ? after : _("none");

  if (g_str_equal (before, after))
    return;

  g_string_append_printf (changes, "%s%s %s → %s", changes->len > 0 ? "; " : "", field,
                          before, after);
}

/* "price 5.00 USD → 6.00 USD; barcode none → 4006381333931", or "". */
static char *
describe_changes (const OmniVariantRow  *row,
                  const OmniVariantSpec *spec,
                  const char            *currency)
{
  GString *changes = g_string_new (NULL);

  describe_text_change (changes, _("SKU"), row->sku, spec->sku);
  describe_text_change (changes, _("barcode"), row->barcode, spec->barcode);
  describe_money_change (changes, _("price"), row->price, spec->price, currency);
  describe_money_change (changes, _("compare-at price"), row->compare_at_price,
                         spec->compare_at_price, currency);
  describe_money_change (changes, _("cost"), row->cost, spec->cost, currency);
  describe_int_change (changes, _("reorder point"), row->reorder_point, spec->reorder_point);
  describe_int_change (changes, _("reorder quantity"), row->reorder_qty, spec->reorder_qty);

  return g_string_free (changes, FALSE);
}

static void
print_edit (OmniCliContext       *ctx,
            const OmniVariantRow *updated,
            const char           *typed,
            const char           *changes)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!ctx->json)
    {
      const char *name = updated->sku != NULL ? updated->sku : typed;

      if (*changes == '\0')
        omni_cli_output_print (ctx->out, _("%s already has these values; nothing changed.\n"),
                               name);
      else
        omni_cli_output_print (ctx->out, _("Updated %s: %s.\n"), name, changes);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  omni_cli_json_add_boolean (builder, "changed", *changes != '\0');
  json_builder_set_member_name (builder, "variant");
  omni_cli_json_add_variant (builder, updated);
  json_builder_end_object (builder);
  omni_cli_output_json (ctx->out, builder);
}

static gboolean
edit_variant (OmniCliContext     *ctx,
              OmniStore          *store,
              const EditOptions  *options,
              GError            **error)
{
  g_autoptr(OmniVariantRow) row = NULL;
  g_autoptr(OmniVariantRow) updated = NULL;
  g_auto(GStrv) values = NULL;
  g_autofree char *currency = omni_cli_get_currency (store);
  g_autofree char *changes = NULL;
  OmniVariantSpec spec = { 0 };
  gint64 variant_id;

  if ((variant_id = omni_store_find_variant (store, ctx->argv[1], error)) == 0 ||
      (row = omni_store_get_variant (store, variant_id, error)) == NULL ||
      !split_options (store, row, &values, error))
    return FALSE;

  spec = (OmniVariantSpec) {
    .sku = row->sku, .barcode = row->barcode, .price = row->price,
    .compare_at_price = row->compare_at_price, .cost = row->cost,
    .weight_grams = row->weight_grams, .reorder_point = row->reorder_point,
    .reorder_qty = row->reorder_qty,
  };
  for (guint i = 0; values[i] != NULL; i++)
    spec.options[i] = values[i];

  if (!apply_edits (store, options, &spec, error))
    return FALSE;

  changes = describe_changes (row, &spec, currency);
  if (*changes != '\0' && !omni_store_update_variant (store, variant_id, &spec, error))
    return FALSE;

  updated = omni_store_get_variant (store, variant_id, error);
  if (updated == NULL)
    return FALSE;

  print_edit (ctx, updated, ctx->argv[1], changes);
  return TRUE;
}

gboolean
omni_cli_product_edit_variant (OmniCliContext  *ctx,
                               GError         **error)
{
  g_auto(EditOptions) options = { 0 };
  g_autoptr(OmniStore) store = NULL;
  const GOptionEntry entries[] = {
    { "sku", 0, 0, G_OPTION_ARG_STRING, &options.sku, N_("A new SKU"), N_("NEW") },
    { "barcode", 0, 0, G_OPTION_ARG_STRING, &options.barcode,
      N_("A new barcode (empty clears it)"), N_("B") },
    { "price", 0, 0, G_OPTION_ARG_STRING, &options.price, N_("A new price"), N_("P") },
    { "cost", 0, 0, G_OPTION_ARG_STRING, &options.cost,
      N_("A new unit cost (empty clears it)"), N_("C") },
    { "compare-at", 0, 0, G_OPTION_ARG_STRING, &options.compare_at,
      N_("A new compare-at price (empty clears it)"), N_("P") },
    { "reorder-point", 0, 0, G_OPTION_ARG_STRING, &options.reorder_point,
      N_("A new reorder point (empty: the shop default)"), N_("N") },
    { "reorder-qty", 0, 0, G_OPTION_ARG_STRING, &options.reorder_qty,
      N_("A new reorder quantity (empty clears it)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 1, 1, error))
    return FALSE;

  if (options.sku == NULL && options.barcode == NULL && options.price == NULL &&
      options.cost == NULL && options.compare_at == NULL && options.reorder_point == NULL &&
      options.reorder_qty == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                           _("product edit-variant: nothing to change; give at least one of "
                             "--sku, --barcode, --price, --cost, --compare-at, --reorder-point "
                             "and --reorder-qty"));
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  return edit_variant (ctx, store, &options, error);
}
