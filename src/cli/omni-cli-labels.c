/* omni-cli-labels.c: barcode labels from omnistock-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `labels --sku A,B --preset a4-3x8 --copies 2 --output labels.pdf` lays out
 * the variants' labels (omni-labels.c) and writes them as a PDF, for
 * printing from another machine or checking what the window would print.
 * `labels --po PO-00001 [--received|--ordered]` labels a purchase order's
 * variants, each as many times as units arrived (or were ordered), through
 * omni_label_order_read() like the purchasing window.
 */
#define G_LOG_DOMAIN "omni-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "omni-cli-labels.h"
#include "omni-labels.h"
#include "omni-money.h"
#include "omni-store-catalog.h"
#include "omni-store-purchasing.h"

static gboolean
usage_error (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage_error (GError     **error,
             const char  *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE, message);
  return FALSE;
}

static char *
preset_names (void)
{
  GString *names = g_string_new (NULL);
  const OmniLabelSheet *sheets;
  guint n;

  sheets = omni_label_sheet_get_all (&n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", sheets[i].id);
  return g_string_free (names, FALSE);
}

/* "A,B" given once or --sku A --sku B: the codes, in order, blanks dropped. */
static GPtrArray *
split_codes (char **given)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; given != NULL && given[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (given[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          char *code = g_strstrip (parts[j]);

          if (*code != '\0')
            g_ptr_array_add (codes, g_strdup (code));
        }
    }
  return codes;
}

gboolean
omni_cli_labels (OmniCliContext  *ctx,
                 GError         **error)
{
  g_auto(GStrv) skus = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *output = NULL;
  g_autofree char *currency = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniLabelJob) job = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(OmniLabelOrder) order = NULL;
  g_autofree char *po = NULL;
  g_autoptr(GArray) ids = NULL;
  const OmniLabelSheet *sheet;
  gint64 copies = G_MININT64;   /* not given */
  gboolean received = FALSE;
  gboolean ordered = FALSE;
  gboolean copies_given;
  const GOptionEntry entries[] = {
    { "sku", 0, 0, G_OPTION_ARG_STRING_ARRAY, &skus,
      N_("The variants, by SKU or barcode, comma-separated (repeatable)"), N_("SKU,…") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset,
      N_("a4-3x8 (default), letter-3x10 or thermal-57x32"), N_("SHEET") },
    { "copies", 0, 0, G_OPTION_ARG_INT64, &copies,
      N_("Labels per variant (default 1)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The PDF to write (required)"), N_("FILE") },
    { "po", 0, 0, G_OPTION_ARG_STRING, &po,
      N_("Label a purchase order's variants, one label per unit received (or ordered "
         "while nothing is received)"), N_("NUMBER") },
    { "received", 0, 0, G_OPTION_ARG_NONE, &received,
      N_("With --po: one label per unit received"), NULL },
    { "ordered", 0, 0, G_OPTION_ARG_NONE, &ordered,
      N_("With --po: one label per unit ordered"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;
  copies_given = copies != G_MININT64;
  if (!copies_given)
    copies = 1;
  if (output == NULL)
    return usage_error (error, _("Say where to write the labels with --output FILE"));
  codes = split_codes (skus);
  if (po != NULL && codes->len > 0)
    return usage_error (error, _("Give either --po or --sku, not both"));
  if (po != NULL && copies_given)
    return usage_error (error, _("--copies does not go with --po: each variant gets one "
                                 "label per unit"));
  if (po == NULL && (received || ordered))
    return usage_error (error, _("--received and --ordered go with --po NUMBER"));
  if (received && ordered)
    return usage_error (error, _("Give either --received or --ordered, not both"));
  if (po == NULL && codes->len == 0)
    return usage_error (error, _("Name the variants to label with --sku SKU,SKU or --po NUMBER"));
  if (codes->len > OMNI_LABELS_MAX_LABELS)
    return usage_error (error, _("At most %u variants can be labelled at once"),
                        OMNI_LABELS_MAX_LABELS);
  sheet = omni_label_sheet_lookup (preset != NULL ? preset : "a4-3x8");
  if (sheet == NULL)
    {
      g_autofree char *names = preset_names ();

      return usage_error (error, _("--preset must be one of %s, not “%s”"), names, preset);
    }
  if (copies < 1 || copies > OMNI_LABELS_MAX_COPIES)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                   _("--copies must be between 1 and %u, not %" PRId64),
                   OMNI_LABELS_MAX_COPIES, copies);
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  currency = omni_store_get_setting (store, "currency");

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (po != NULL)
    {
      gint64 po_id = omni_store_find_purchase_order (store, po, error);

      if (po_id == 0)
        return FALSE;
      order = omni_label_order_read (store, po_id,
                                     received ? OMNI_LABEL_COUNT_RECEIVED
                                     : ordered ? OMNI_LABEL_COUNT_ORDERED
                                     : OMNI_LABEL_COUNT_AUTO,
                                     &local_error);
      if (order == NULL)
        {
          g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID,
                               local_error->message);
          return FALSE;
        }
      g_array_append_vals (ids, order->variant_ids->data, order->variant_ids->len);
    }
  for (guint i = 0; i < codes->len; i++)
    {
      gint64 id = omni_store_find_variant (store, g_ptr_array_index (codes, i), error);

      if (id == 0)
        return FALSE;
      g_array_append_val (ids, id);
    }

  labels = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_label_free);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(OmniVariantRow) row = NULL;
      g_autofree char *price = NULL;

      row = omni_store_get_variant (store, g_array_index (ids, gint64, i), error);
      if (row == NULL)
        return FALSE;
      price = omni_money_format_grouped (row->price, currency);
      g_ptr_array_add (labels, omni_label_new_for_variant (row, price));
    }

  if (order != NULL)
    job = omni_label_job_new_with_copies (sheet, labels,
                                          (const guint *) (gpointer) order->copies->data,
                                          &local_error);
  else
    job = omni_label_job_new (sheet, labels, (guint) copies, &local_error);
  if (job == NULL)
    {
      g_set_error_literal (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_INVALID, local_error->message);
      return FALSE;
    }
  file = g_file_new_for_commandline_arg (output);
  if (!omni_label_job_save_pdf (job, file, NULL, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *path = g_file_get_path (file);

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "output", path);
      omni_cli_json_add_string (builder, "preset", sheet->id);
      omni_cli_json_add_int (builder, "variants_count", labels->len);
      if (order != NULL)
        {
          omni_cli_json_add_string (builder, "po", order->number);
          omni_cli_json_add_string (builder, "count",
                                    order->count == OMNI_LABEL_COUNT_RECEIVED
                                    ? "received" : "ordered");
        }
      else
        omni_cli_json_add_int (builder, "copies", copies);
      omni_cli_json_add_int (builder, "labels_count", omni_label_job_get_n_labels (job));
      omni_cli_json_add_int (builder, "pages_count", omni_label_job_get_n_pages (job));
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  {
    g_autofree char *display = omni_cli_display_path (output);
    guint n = omni_label_job_get_n_labels (job);
    guint pages = omni_label_job_get_n_pages (job);
    g_autofree char *on_pages = g_strdup_printf (ngettext ("%u page", "%u pages", pages), pages);

    omni_cli_output_print (ctx->out,
                           ngettext ("Wrote %u label on %s to %s\n",
                                     "Wrote %u labels on %s to %s\n", n),
                           n, on_pages, display);
  }
  return TRUE;
}
