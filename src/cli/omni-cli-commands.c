/* omni-cli-commands.c: the table of omnistock-cli commands, and the
 * commands that act on the database as a whole (init, stats, check, demo)
 *
 * A new command is one row in the table below; its handler lives in the file
 * of its area (omni-cli-catalog.c, omni-cli-product.c, omni-cli-stock.c,
 * omni-cli-count.c, omni-cli-shop.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli-backup.h"
#include "omni-cli-catalog.h"
#include "omni-cli-channel.h"
#include "omni-cli-channel-settings.h"
#include "omni-cli-drift.h"
#include "omni-cli-commands.h"
#include "omni-cli-count.h"
#include "omni-cli-db.h"
#include "omni-cli-till.h"
#include "omni-cli-import.h"
#include "omni-cli-labels.h"
#include "omni-cli-product.h"
#include "omni-cli-purchasing.h"
#include "omni-cli-remote.h"
#include "omni-cli-report.h"
#include "omni-cli-shop.h"
#include "omni-cli-stock.h"
#include "omni-cli-webhook.h"
#include "omni-money.h"
#include "omni-store-demo.h"

/* init ---------------------------------------------------------------- */

static gboolean
omni_cli_init (OmniCliContext  *ctx,
               GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_autofree char *display = NULL;
  gboolean created;

  if (!omni_cli_context_parse (ctx, NULL, 0, 0, error))
    return FALSE;

  created = !g_file_test (ctx->store_path, G_FILE_TEST_EXISTS);
  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "path", omni_store_get_path (store));
      omni_cli_json_add_int (builder, "schema_version", omni_store_get_schema_version (store));
      omni_cli_json_add_boolean (builder, "created", created);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  display = omni_cli_display_path (omni_store_get_path (store));
  omni_cli_output_print (ctx->out, _("Database ready at %s (schema version %d)\n"),
                         display, omni_store_get_schema_version (store));
  return TRUE;
}

/* stats --------------------------------------------------------------- */

static void
omni_cli_stats_print_json (OmniCliContext       *ctx,
                           OmniStore            *store,
                           const OmniStoreStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "path", omni_store_get_path (store));
  omni_cli_json_add_int (builder, "products", stats->products);
  omni_cli_json_add_int (builder, "variants", stats->variants);
  omni_cli_json_add_int (builder, "locations", stats->locations);
  omni_cli_json_add_int (builder, "units_on_hand", stats->units_on_hand);
  omni_cli_json_add_int (builder, "stock_value_minor", stats->stock_value);
  omni_cli_json_add_int (builder, "retail_value_minor", stats->retail_value);
  omni_cli_json_add_string (builder, "currency", stats->currency);
  omni_cli_json_add_int (builder, "low_stock", stats->low_stock);
  omni_cli_json_add_int (builder, "out_of_stock", stats->out_of_stock);
  omni_cli_json_add_int (builder, "movements", stats->movements);
  omni_cli_json_add_int (builder, "orders", stats->orders);
  omni_cli_json_add_int (builder, "pending_outbox", stats->pending_outbox);
  omni_cli_json_add_int (builder, "schema_version", omni_store_get_schema_version (store));
  json_builder_end_object (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
omni_cli_stats_print_table (OmniCliContext       *ctx,
                            OmniStore            *store,
                            const OmniStoreStats *stats)
{
  g_autoptr(OmniCliTable) table = omni_cli_table_new ();
  g_autofree char *display = omni_cli_display_path (omni_store_get_path (store));
  g_autofree char *stock_value = omni_money_format (stats->stock_value, stats->currency);
  g_autofree char *retail_value = omni_money_format (stats->retail_value, stats->currency);

  omni_cli_table_add (table, _("Database"), "%s", display);
  omni_cli_table_add (table, _("Products"), "%" G_GINT64_FORMAT, stats->products);
  omni_cli_table_add (table, _("Variants"), "%" G_GINT64_FORMAT, stats->variants);
  omni_cli_table_add (table, _("Locations"), "%" G_GINT64_FORMAT, stats->locations);
  omni_cli_table_add (table, _("Units on hand"), "%" G_GINT64_FORMAT, stats->units_on_hand);
  omni_cli_table_add (table, _("Stock value"), "%s", stock_value);
  omni_cli_table_add (table, _("Retail value"), "%s", retail_value);
  omni_cli_table_add (table, _("Low stock"), "%" G_GINT64_FORMAT, stats->low_stock);
  omni_cli_table_add (table, _("Out of stock"), "%" G_GINT64_FORMAT, stats->out_of_stock);
  omni_cli_table_add (table, _("Movements"), "%" G_GINT64_FORMAT, stats->movements);
  omni_cli_table_add (table, _("Orders"), "%" G_GINT64_FORMAT, stats->orders);
  omni_cli_table_add (table, _("Pending pushes"), "%" G_GINT64_FORMAT, stats->pending_outbox);
  omni_cli_table_add (table, _("Schema version"), "%d", omni_store_get_schema_version (store));

  omni_cli_output_table (ctx->out, table);
}

static gboolean
omni_cli_stats (OmniCliContext  *ctx,
                GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_auto(OmniStoreStats) stats = { 0 };

  if (!omni_cli_context_parse (ctx, NULL, 0, 0, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (!omni_store_get_stats (store, &stats, error))
    return FALSE;

  if (ctx->json)
    omni_cli_stats_print_json (ctx, store, &stats);
  else
    omni_cli_stats_print_table (ctx, store, &stats);

  return TRUE;
}

/* check --------------------------------------------------------------- */

typedef struct
{
  char      *integrity;      /* "ok", or SQLite's list of problems */
  GPtrArray *mismatches;     /* NULL when the ledger could not be checked */
  GError    *ledger_error;   /* why not */
  gint64     n_levels;
} CheckReport;

static void
check_report_clear (CheckReport *report)
{
  g_clear_pointer (&report->integrity, g_free);
  g_clear_pointer (&report->mismatches, g_ptr_array_unref);
  g_clear_error (&report->ledger_error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CheckReport, check_report_clear)

static gboolean
check_report_ok (const CheckReport *report)
{
  return g_strcmp0 (report->integrity, "ok") == 0 &&
         report->mismatches != NULL && report->mismatches->len == 0;
}

static void
omni_cli_check_print_json (OmniCliContext    *ctx,
                           const CheckReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *mismatches = report->mismatches;

  json_builder_begin_object (builder);
  omni_cli_json_add_string (builder, "integrity", report->integrity);
  omni_cli_json_add_boolean (builder, "ledger_ok", mismatches != NULL && mismatches->len == 0);
  if (report->ledger_error != NULL)
    omni_cli_json_add_string (builder, "ledger_error", report->ledger_error->message);
  omni_cli_json_add_int (builder, "levels_checked", report->n_levels);
  json_builder_set_member_name (builder, "mismatches");
  json_builder_begin_array (builder);
  for (guint i = 0; mismatches != NULL && i < mismatches->len; i++)
    {
      const OmniLedgerMismatch *m = g_ptr_array_index (mismatches, i);

      json_builder_begin_object (builder);
      /* "level": one location against its movements; "total": the
       * variant's running total against the sum of its levels.
       */
      omni_cli_json_add_string (builder, "kind",
                                m->location_id < 0 ? "aggregate"
                                : m->location_id == 0 ? "total" : "level");
      omni_cli_json_add_string (builder, "sku", m->sku);
      omni_cli_json_add_string (builder, "location", m->location);
      omni_cli_json_add_int (builder, "variant_id", m->variant_id);
      omni_cli_json_add_int (builder, "location_id", m->location_id);
      omni_cli_json_add_int (builder, "level_on_hand", m->level_on_hand);
      omni_cli_json_add_int (builder, "ledger_on_hand", m->ledger_on_hand);
      omni_cli_json_add_int (builder, "level_committed", m->level_committed);
      omni_cli_json_add_int (builder, "ledger_committed", m->ledger_committed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  omni_cli_output_json (ctx->out, builder);
}

static void
omni_cli_check_print_mismatch (OmniCliContext           *ctx,
                               const OmniLedgerMismatch *m)
{
  g_autofree char *variant = NULL;

  /* Location -1: a total kept for the dashboard, against a recount. */
  if (m->location_id < 0)
    {
      omni_cli_output_print (ctx->out,
                             _("totals: %s: %" PRId64 " (kept) vs %" PRId64 " (recomputed)\n"),
                             m->location, m->level_on_hand, m->ledger_on_hand);
      return;
    }

  /* A variant may have no SKU; its id still finds it. */
  if (m->sku != NULL)
    variant = g_strdup_printf (_("SKU %s"), m->sku);
  else
    variant = g_strdup_printf (_("variant #%" PRId64), m->variant_id);

  /* Location 0 is the variant's running total, checked against the sum of
   * its levels rather than against movements.
   */
  if (m->location_id == 0)
    omni_cli_output_print (ctx->out,
                           _("ledger: %s in total: on hand %" PRId64 " (variant total) vs %"
                             PRId64 " (sum of levels), committed %" PRId64
                             " (variant total) vs %" PRId64 " (sum of levels)\n"),
                           variant,
                           m->level_on_hand, m->ledger_on_hand,
                           m->level_committed, m->ledger_committed);
  else
    omni_cli_output_print (ctx->out,
                           _("ledger: %s at %s: on hand %" PRId64 " (level) vs %"
                             PRId64 " (ledger), committed %" PRId64
                             " (level) vs %" PRId64 " (ledger)\n"),
                           variant,
                           m->location != NULL ? m->location : _("an unknown location"),
                           m->level_on_hand, m->ledger_on_hand,
                           m->level_committed, m->ledger_committed);
}

static void
omni_cli_check_print_text (OmniCliContext    *ctx,
                           const CheckReport *report)
{
  g_auto(GStrv) lines = g_strsplit (report->integrity, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    omni_cli_output_print (ctx->out, "integrity: %s\n", lines[i]);

  if (report->mismatches == NULL)
    omni_cli_output_print (ctx->out, _("ledger: not checked: %s\n"),
                           report->ledger_error->message);
  else if (report->mismatches->len == 0)
    omni_cli_output_print (ctx->out,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "ledger: ok (%" PRId64 " level checked)\n",
                                        "ledger: ok (%" PRId64 " levels checked)\n",
                                        (gulong) report->n_levels),
                           report->n_levels);
  else
    for (guint i = 0; i < report->mismatches->len; i++)
      omni_cli_check_print_mismatch (ctx, g_ptr_array_index (report->mismatches, i));
}

static void
omni_cli_check_set_error (OmniStore          *store,
                          const CheckReport  *report,
                          GError            **error)
{
  g_autofree char *display = omni_cli_display_path (omni_store_get_path (store));

  if (g_strcmp0 (report->integrity, "ok") != 0)
    g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CHECK_FAILED,
                 _("the database “%s” is damaged: SQLite’s integrity check found problems"),
                 display);
  else
    g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CHECK_FAILED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "in “%s”, %u stock figure disagrees with the ledger",
                              "in “%s”, %u stock figures disagree with the ledger",
                              report->mismatches->len),
                 display, report->mismatches->len);
}

static gboolean
omni_cli_check (OmniCliContext  *ctx,
                GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_auto(CheckReport) report = { 0 };

  if (!omni_cli_context_parse (ctx, NULL, 0, 0, error))
    return FALSE;

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (!omni_store_integrity_check (store, &report.integrity, error))
    return FALSE;

  /* On a damaged file the ledger query may fail too; the integrity report
   * is then still the answer.
   */
  report.mismatches = omni_store_check_ledger (store, &report.ledger_error);
  if (report.mismatches == NULL && g_strcmp0 (report.integrity, "ok") == 0)
    {
      g_propagate_error (error, g_steal_pointer (&report.ledger_error));
      return FALSE;
    }
  report.n_levels = omni_store_count_levels (store);

  if (ctx->json)
    omni_cli_check_print_json (ctx, &report);
  else
    omni_cli_check_print_text (ctx, &report);

  if (check_report_ok (&report))
    return TRUE;

  /* The report above is the result; the error only sets the exit status and
   * sums it up on stderr.
   */
  omni_cli_check_set_error (store, &report, error);
  return FALSE;
}

/* demo ---------------------------------------------------------------- */

static void
omni_cli_demo_print (OmniCliContext       *ctx,
                     OmniStore            *store,
                     guint32               seed,
                     const OmniStoreStats *stats)
{
  g_autofree char *display = NULL;
  g_autofree char *value = NULL;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "path", omni_store_get_path (store));
      omni_cli_json_add_int (builder, "seed", seed);
      omni_cli_json_add_int (builder, "products", stats->products);
      omni_cli_json_add_int (builder, "variants", stats->variants);
      omni_cli_json_add_int (builder, "locations", stats->locations);
      omni_cli_json_add_int (builder, "units_on_hand", stats->units_on_hand);
      omni_cli_json_add_int (builder, "stock_value_minor", stats->stock_value);
      omni_cli_json_add_string (builder, "currency", stats->currency);
      omni_cli_json_add_int (builder, "movements", stats->movements);
      omni_cli_json_add_int (builder, "orders", stats->orders);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return;
    }

  display = omni_cli_display_path (omni_store_get_path (store));
  value = omni_money_format (stats->stock_value, stats->currency);
  omni_cli_output_print (ctx->out,
                         _("Loaded demo data into %s: %" PRId64 " products, %"
                           PRId64 " variants, %" PRId64
                           " units on hand worth %s\n"),
                         display, stats->products, stats->variants, stats->units_on_hand, value);
}

static gboolean
omni_cli_demo (OmniCliContext  *ctx,
               GError         **error)
{
  g_autoptr(OmniStore) store = NULL;
  g_auto(OmniStoreStats) stats = { 0 };
  /* The app's seed by default: the same shop every time, so screenshots and
   * bug reports made with it can be reproduced.
   */
  gint64 seed = OMNI_DEMO_DEFAULT_SEED;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Vary the generated history; without it, the shop the app shows"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, entries, 0, 0, error))
    return FALSE;

  if (seed < 0 || seed > G_MAXUINT32)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("demo: --seed must be between 0 and %u, not %" PRId64),
                   G_MAXUINT32, seed);
      return FALSE;
    }

  store = omni_cli_context_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  /* Demo data mixed into a real catalog could never be told apart again. */
  if (!omni_store_is_empty (store))
    {
      g_autofree char *display = omni_cli_display_path (omni_store_get_path (store));

      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("the database “%s” already holds products; demo data only goes into "
                     "an empty database (use --db with a new file)"),
                   display);
      return FALSE;
    }

  if (!omni_store_load_demo (store, (guint32) seed, error) ||
      !omni_store_get_stats (store, &stats, error))
    return FALSE;

  omni_cli_demo_print (ctx, store, (guint32) seed, &stats);
  return TRUE;
}

/* The table ----------------------------------------------------------- */

/* In the order --help lists them. A two-word name ("count scan") is a
 * command of a group; "omnistock-cli count --help" lists the group.
 */
static const OmniCliCommand commands[] = {
  { "init", NULL, N_("create or migrate the database"), omni_cli_init },
  { "stats", NULL, N_("products, variants, units on hand, stock value"), omni_cli_stats },
  { "import", "[products|inventory] FILE",
    N_("import a Shopify, WooCommerce or generic CSV, all or nothing (--dry-run)"),
    omni_cli_import },
  { "export", "products|inventory|movements",
    N_("write the catalog, the stock levels or the ledger as CSV"),
    omni_cli_export },
  { "search", "QUERY", N_("find variants by title, SKU, barcode, vendor or tag"),
    omni_cli_search },
  { "product list", NULL, N_("list variants, filtered and sorted"), omni_cli_product_list },
  { "product show", "SKU|HANDLE", N_("a product with its options and variants"),
    omni_cli_product_show },
  { "product add", NULL, N_("create a product (--title; --option makes the variants)"),
    omni_cli_product_add },
  { "product archive", "SKU|HANDLE", N_("archive a product, or --restore it"),
    omni_cli_product_archive },
  { "product duplicate", "SKU|HANDLE", N_("copy a product as a draft, without SKUs or stock"),
    omni_cli_product_duplicate },
  { "product edit-variant", "SKU", N_("change a variant's SKU, barcode, prices, reorder point"),
    omni_cli_product_edit_variant },
  { "stock", "SKU", N_("levels per location"), omni_cli_stock },
  { "adjust", "SKU DELTA", N_("add DELTA to on hand (negative removes)"), omni_cli_adjust },
  { "set", "SKU QUANTITY", N_("set on hand to QUANTITY"), omni_cli_set },
  { "transfer", "SKU QTY", N_("move stock --from a location --to another"), omni_cli_transfer },
  { "undo", "OPERATION", N_("reverse what adjust, set, transfer or a count did"),
    omni_cli_undo },
  { "history", "SKU", N_("a variant's movements, newest first"), omni_cli_history },
  { "alerts", NULL, N_("variants at or below their reorder point"), omni_cli_alerts },
  { "location add", "NAME", N_("add a location (--default makes it the default)"),
    omni_cli_location_add },
  { "staff list", NULL, N_("staff profiles: name, role, whether a PIN is set"),
    omni_cli_staff_list },
  { "staff add", "NAME", N_("add a profile (--role owner|staff; --pin reads a PIN from stdin)"),
    omni_cli_staff_add },
  { "staff archive", "NAME", N_("archive a profile; the changes it made keep its name"),
    omni_cli_staff_archive },
  { "settings get", "KEY", N_("currency, allow_negative_stock or default_reorder_point"),
    omni_cli_settings_get },
  { "settings set", "KEY VALUE", N_("change one of those settings"), omni_cli_settings_set },
  { "count start", NULL, N_("open a stock count; prints the session id"), omni_cli_count_start },
  { "count scan", "SESSION CODE [QUANTITY]", N_("count a barcode or SKU (also QTY*CODE)"),
    omni_cli_count_scan },
  { "count set", "SESSION SKU COUNTED", N_("correct a line's counted quantity"),
    omni_cli_count_set },
  { "count remove", "SESSION SKU", N_("take a variant out of the count"), omni_cli_count_remove },
  { "count link", "SESSION CODE SKU", N_("count an unknown code's scans as a variant"),
    omni_cli_count_link },
  { "count show", "SESSION", N_("lines, variances and unknown codes"), omni_cli_count_show },
  { "count commit", "SESSION", N_("apply the count to stock"), omni_cli_count_commit },
  { "count cancel", "SESSION", N_("discard the count; stock is unchanged"),
    omni_cli_count_cancel },
  { "count list", NULL, N_("stock counts, newest first (--open)"), omni_cli_count_list },
  { "report valuation", NULL, N_("stock value at cost and retail, now or --at a date"),
    omni_cli_report },
  { "report low-stock", NULL, N_("variants at or below their reorder point"), omni_cli_report },
  { "report reorder", NULL, N_("what to order, with days of cover"), omni_cli_report },
  { "report movements", NULL, N_("stock movements --from a day --to another"),
    omni_cli_report },
  { "report sales", NULL, N_("units and revenue --group-by variant, product, channel or day"),
    omni_cli_report },
  { "report slow-movers", NULL, N_("stock that sold least, most money tied up first"),
    omni_cli_report },
  { "report count-variances", NULL, N_("what a stock count found against the books"),
    omni_cli_report },
  { "supplier add", "NAME", N_("add a supplier (--contact, --currency, --lead-time DAYS)"),
    omni_cli_supplier_add },
  { "supplier list", NULL, N_("suppliers with their lead time and open orders"),
    omni_cli_supplier_list },
  { "supplier link", "SUPPLIER SKU", N_("what a supplier charges for a variant (--cost, --moq)"),
    omni_cli_supplier_link },
  { "po suggest", NULL, N_("what to order, from sales velocity and lead time (--supplier)"),
    omni_cli_po_suggest },
  { "po create", NULL, N_("a draft purchase order (--supplier, --line SKU:QTY, --from-suggestions)"),
    omni_cli_po_create },
  { "po list", NULL, N_("purchase orders, newest first (--status)"), omni_cli_po_list },
  { "po show", "PO", N_("a purchase order with its lines"), omni_cli_po_show },
  { "po order", "PO", N_("mark a draft ordered: its lines count as incoming"), omni_cli_po_order },
  { "po cancel", "PO", N_("cancel an order that is not fully received"), omni_cli_po_cancel },
  { "po receive", "PO [SKU QTY]", N_("receive part of a line into stock (or --all)"),
    omni_cli_po_receive },
  { "po export", "PO", N_("write the order as --format csv or pdf to --output FILE"),
    omni_cli_po_export },
  { "labels", NULL, N_("barcode labels for --sku SKU,SKU as a PDF (--preset, --copies, --output)"),
    omni_cli_labels },
  { "channel add", "shopify", N_("connect a shop (--shop; the token or client secret on stdin)"),
    omni_cli_channel_add },
  { "channel add", "ebay", N_("connect an eBay seller (--name, --marketplace, --location; "
                              "the credentials JSON on stdin)"),
    omni_cli_channel_add },
  { "channel add", "amazon", N_("connect an Amazon seller (--name, --seller, --region, "
                                "--marketplace, --location; the credentials JSON on stdin)"),
    omni_cli_channel_add },
  { "channel list", NULL, N_("connected channels, their state and last sync"),
    omni_cli_channel_list },
  { "channel remove", "CHANNEL", N_("disconnect a channel and delete its credential"),
    omni_cli_channel_remove },
  { "channel locations", "CHANNEL", N_("remote locations and the local ones they sync with"),
    omni_cli_channel_locations },
  { "channel map", "CHANNEL REMOTE LOCAL", N_("sync a remote location with a local one ('none' unmaps)"),
    omni_cli_channel_map },
  { "channel reauth", "CHANNEL", N_("new credentials for a stopped channel (on stdin, as for "
                                    "“channel add”; Shopify: --client-id)"),
    omni_cli_channel_reauth },
  { "channel settings", "CHANNEL", N_("show or change sync direction, allocation rules, feeding "
                                      "locations, interval, pause"),
    omni_cli_channel_settings },
  { "channel preview", "CHANNEL", N_("what the channel lists for each linked variant"),
    omni_cli_channel_preview },
  { "channel drift", "CHANNEL", N_("variants whose channel quantity differs from OmniStock's "
                                   "(--refresh; --fix local|remote --sku SKU [--location NAME])"),
    omni_cli_channel_drift },
  { "channel unmatched", "CHANNEL", N_("remote variants a sync could not link (--limit, --offset, "
                                       "--search, --ignored)"),
    omni_cli_channel_unmatched },
  { "channel link", "CHANNEL", N_("link a remote variant to a local one (--remote ID --sku SKU)"),
    omni_cli_channel_link },
  { "channel import", "CHANNEL", N_("create local products from remote variants (--remote ID or "
                                    "--all)"),
    omni_cli_channel_import },
  { "channel ignore", "CHANNEL", N_("stop listing a remote variant as unmatched (--remote ID; "
                                    "--undo)"),
    omni_cli_channel_ignore },
  { "sync", "[CHANNEL]", N_("pull products, levels and orders, then push quantities"),
    omni_cli_sync },
  { "outbox list", NULL, N_("quantities waiting to be pushed (--state, --channel)"),
    omni_cli_outbox_list },
  { "webhook serve", NULL, N_("receive Shopify webhooks until stopped (--bind, --port, --channel)"),
    omni_cli_webhook_serve },
  { "webhook status", NULL, N_("webhook deliveries received, applied, duplicate and rejected"),
    omni_cli_webhook_status },
  { "webhook secret", "CHANNEL", N_("keep a webhook signing secret (read from stdin) in the keyring"),
    omni_cli_webhook_secret },
  { "check", NULL, N_("integrity check plus the ledger invariant"), omni_cli_check },
  { "backup", "FILE", N_("copy the database to FILE while it stays in use (--force replaces FILE)"),
    omni_cli_backup },
  { "restore", "FILE", N_("replace the database with a checked backup, keeping a copy of it"),
    omni_cli_restore },
  { "demo", NULL, N_("load demo data into an empty database"), omni_cli_demo },
  { "db password", NULL, N_("keep the password of a PostgreSQL --db (read from stdin) in the "
                            "keyring (--clear removes it)"),
    omni_cli_db_password },
  { "migrate-to", "TARGET", N_("copy the whole database into an empty PostgreSQL database "
                               "(postgresql://…) or a new file, in one transaction, and verify it"),
    omni_cli_migrate_to },
  { "till pending", NULL, N_("changes this computer made while a shared database's server was "
                             "away (--conflicts, --all)"),
    omni_cli_till_pending },
  { "till replay", NULL, N_("send them now (any command reaching the server does it first)"),
    omni_cli_till_replay },
  { "till resolve", "ID", N_("settle a change the server refused: --apply anyway or --drop"),
    omni_cli_till_resolve },
};

/**
 * omni_cli_get_commands:
 * @n_commands: (out): how many there are
 *
 * Returns: the commands in the order `--help` lists them
 */
const OmniCliCommand *
omni_cli_get_commands (guint *n_commands)
{
  g_return_val_if_fail (n_commands != NULL, NULL);

  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}

static const OmniCliCommand *
lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, name))
        return &commands[i];
    }

  return NULL;
}

/* "list, show, add" for the group "product", or NULL for no such group. */
static char *
list_group (const char *group)
{
  g_autoptr(GString) names = NULL;
  g_autofree char *prefix = g_strconcat (group, " ", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_has_prefix (commands[i].name, prefix))
        continue;
      if (names == NULL)
        names = g_string_new (NULL);
      else
        g_string_append (names, ", ");
      g_string_append (names, commands[i].name + strlen (prefix));
    }

  return names != NULL ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

/**
 * omni_cli_describe_group:
 * @group: the first word of two-word commands, such as "count"
 *
 * Returns: (transfer full) (nullable): the group's commands as `--help`
 *   lists them, or %NULL when no command starts with @group
 */
char *
omni_cli_describe_group (const char *group)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *prefix = NULL;
  int width = 0;

  g_return_val_if_fail (group != NULL, NULL);

  prefix = g_strconcat (group, " ", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *synopsis = g_strjoin (" ", commands[i].name, commands[i].args, NULL);

      if (g_str_has_prefix (commands[i].name, prefix))
        width = MAX (width, (int) strlen (synopsis));
    }
  if (width == 0)
    return NULL;

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n  %s %s %s\n\n%s\n", _("Usage:"), OMNI_CLI_NAME, group,
                          _("COMMAND [ARGS…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *synopsis = g_strjoin (" ", commands[i].name, commands[i].args, NULL);

      if (g_str_has_prefix (commands[i].name, prefix))
        g_string_append_printf (text, "  %-*s  %s\n", width, synopsis, _(commands[i].summary));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * omni_cli_find_command:
 * @words: what follows the global options: the command's one or two words
 *   and its arguments, %NULL-terminated
 * @n_words: (out): how many words name the command
 * @error: a usage error that lists the commands of a group
 *
 * Returns: (nullable): the command @words name
 */
const OmniCliCommand *
omni_cli_find_command (const char * const  *words,
                       guint               *n_words,
                       GError             **error)
{
  const OmniCliCommand *command;
  g_autofree char *group = NULL;

  g_return_val_if_fail (words != NULL && words[0] != NULL, NULL);
  g_return_val_if_fail (n_words != NULL, NULL);

  *n_words = 1;
  if ((command = lookup (words[0])) != NULL)
    return command;

  group = list_group (words[0]);
  if (group == NULL)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("unknown command “%s”; run “%s --help” to see the commands"),
                   words[0], OMNI_CLI_NAME);
      return NULL;
    }

  if (words[1] != NULL)
    {
      g_autofree char *name = g_strjoin (" ", words[0], words[1], NULL);

      *n_words = 2;
      if ((command = lookup (name)) != NULL)
        return command;

      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("unknown command “%s”; the %s commands are %s"), name, words[0], group);
      return NULL;
    }

  g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
               _("“%s” needs a command: %s"), words[0], group);
  return NULL;
}
