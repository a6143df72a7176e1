/* omni-cli-till.c: selling on while a shared store's server is away
 *
 * `adjust SKU DELTA` on a postgresql:// store whose server cannot be
 * reached records the change in this computer's till journal
 * (src/core/omni-till-journal.c) instead of failing, and says so. The next
 * command that reaches the server sends what waits, exactly once, before
 * doing its own work; `till replay` does only that. What the server
 * refuses (stock sold meanwhile by another till, an unknown SKU) is listed
 * by `till pending --conflicts` and settled by `till resolve ID --apply` or
 * `--drop`.
 *
 * `count scan` and `count set` fall back the same way: the scan is kept
 * with the time it was made and sent to its count later. A refused scan
 * (the count was committed or cancelled meanwhile, its location archived,
 * the code unknown) is a conflict too; `--apply` sends it to the count if
 * it is still open, else to the newest open count of the same location.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-cli-args.h"
#include "omni-cli-db.h"
#include "omni-cli-till.h"
#include "omni-till-journal.h"

/* The server of a shared store could not be reached (not: it refused what
 * was asked). */
gboolean
omni_cli_db_is_unreachable (OmniCliContext *ctx,
                            const GError   *error)
{
  return error != NULL && omni_store_location_is_shared (ctx->store_path) &&
         g_error_matches (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_IO);
}

gboolean
omni_cli_till_record_offline (OmniCliContext  *ctx,
                              const char      *sku,
                              const char      *location,
                              gint64           quantity,
                              const char      *reason,
                              const char      *note,
                              const GError    *cause,
                              GError         **error)
{
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autofree char *operation = NULL;

  journal = omni_till_journal_open (ctx->store_path, error);
  if (journal == NULL)
    return FALSE;
  operation = omni_till_journal_record (journal, sku, location, quantity, reason, note,
                                        omni_cli_get_actor (), error);
  if (operation == NULL)
    return FALSE;

  g_printerr (_("omnistock-cli: %s\n"), cause->message);
  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_string (builder, "operation", operation);
      omni_cli_json_add_string (builder, "sku", sku);
      omni_cli_json_add_int (builder, "delta", quantity);
      omni_cli_json_add_boolean (builder, "offline", TRUE);
      omni_cli_json_add_int (builder, "pending",
                             omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING));
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           _("Recorded offline: %s %+" PRId64 " (operation %s). "
                             "%" PRId64 " change(s) wait in this computer's till journal and "
                             "are sent when the server is back.\n"),
                           sku, quantity, operation,
                           omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING));
  return TRUE;
}

/**
 * omni_cli_till_record_count_offline:
 * @set: @quantity is the line's counted quantity (`count set`), not a scan
 *
 * `count scan` and `count set` on a shared store whose server is away: the
 * scan is kept in the till journal with the time it was made, and sent to
 * count @session_id when the server is back.
 */
gboolean
omni_cli_till_record_count_offline (OmniCliContext  *ctx,
                                    gint64           session_id,
                                    const char      *code,
                                    gint64           quantity,
                                    gboolean         set,
                                    const GError    *cause,
                                    GError         **error)
{
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autofree char *operation = NULL;
  gint64 pending;

  journal = omni_till_journal_open (ctx->store_path, error);
  if (journal == NULL)
    return FALSE;
  operation = omni_till_journal_record_count (journal, session_id, code, quantity, set,
                                              omni_cli_get_actor (), error);
  if (operation == NULL)
    return FALSE;
  pending = omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING);

  g_printerr (_("omnistock-cli: %s\n"), cause->message);
  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "session", session_id);
      omni_cli_json_add_string (builder, "operation", operation);
      omni_cli_json_add_string (builder, "code", code);
      omni_cli_json_add_int (builder, set ? "counted" : "quantity", quantity);
      omni_cli_json_add_boolean (builder, "offline", TRUE);
      omni_cli_json_add_int (builder, "pending", pending);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else if (set)
    omni_cli_output_print (ctx->out,
                           _("Recorded offline: %s counted %" PRId64 " in stock count %" PRId64
                             " (operation %s). %" PRId64 " change(s) wait in this computer's "
                             "till journal and are sent when the server is back.\n"),
                           code, quantity, session_id, operation, pending);
  else
    omni_cli_output_print (ctx->out,
                           _("Recorded offline: scan of %s %+" PRId64 " in stock count %" PRId64
                             " (operation %s). %" PRId64 " change(s) wait in this computer's "
                             "till journal and are sent when the server is back.\n"),
                           code, quantity, session_id, operation, pending);
  return TRUE;
}

/**
 * omni_cli_till_note_counts:
 *
 * On a shared store, notes the stock counts open now in this computer's
 * till journal: the offline till offers them while the server is away.
 */
void
omni_cli_till_note_counts (OmniCliContext *ctx,
                           OmniStore      *store)
{
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  if (!omni_store_location_is_shared (ctx->store_path))
    return;
  journal = omni_till_journal_open (ctx->store_path, &error);
  if (journal == NULL || !omni_till_journal_remember_counts (journal, store, &error))
    g_debug ("The open stock counts were not noted: %s", error->message);
}

static const char *
kind_name (OmniTillEntryKind kind)
{
  switch (kind)
    {
    case OMNI_TILL_ENTRY_COUNT_SCAN:
      return "count-scan";
    case OMNI_TILL_ENTRY_COUNT_SET:
      return "count-set";
    case OMNI_TILL_ENTRY_ADJUST:
    default:
      return "adjust";
    }
}

static void
report_replay (const OmniTillReplayResult *result)
{
  if (result->applied + result->already_there + result->conflicts == 0)
    return;
  g_printerr (_("omnistock-cli: sent %u change(s) made offline (%u already there); "
                "%u conflict(s) need the owner (till pending --conflicts); %u still waiting\n"),
              result->applied + result->already_there, result->already_there,
              result->conflicts, result->pending);
}

/* Called when a command has reached a shared store: what this till recorded
 * offline goes first. A failure leaves the entries for next time. */
void
omni_cli_till_replay_pending (OmniCliContext *ctx,
                              OmniStore      *store)
{
  g_autofree char *path = NULL;
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  OmniTillReplayResult result = { 0, };

  if (!omni_store_location_is_shared (ctx->store_path))
    return;
  path = omni_till_journal_path_for (ctx->store_path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  journal = omni_till_journal_open (ctx->store_path, &error);
  if (journal == NULL || omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING) == 0)
    return;
  if (!omni_till_journal_replay (journal, store, &result, NULL, &error))
    g_printerr (_("omnistock-cli: the changes made offline could not all be sent: %s\n"),
                error->message);
  report_replay (&result);
}

static const char *
state_name (OmniTillEntryState state)
{
  switch (state)
    {
    case OMNI_TILL_ENTRY_PENDING:
      return "pending";
    case OMNI_TILL_ENTRY_APPLIED:
      return "applied";
    case OMNI_TILL_ENTRY_CONFLICT:
      return "conflict";
    case OMNI_TILL_ENTRY_DROPPED:
    default:
      return "dropped";
    }
}

gboolean
omni_cli_till_pending (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gboolean conflicts = FALSE, all = FALSE;
  const GOptionEntry options[] = {
    { "conflicts", 0, 0, G_OPTION_ARG_NONE, &conflicts,
      N_("Only what the server refused, waiting for the owner"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Also what was sent or dropped"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, options, 0, 0, error))
    return FALSE;
  journal = omni_till_journal_open (ctx->store_path, error);
  if (journal == NULL)
    return FALSE;
  entries = omni_till_journal_list (journal, all ? -1 : conflicts ? OMNI_TILL_ENTRY_CONFLICT
                                                                   : OMNI_TILL_ENTRY_PENDING,
                                    error);
  if (entries == NULL)
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
      for (guint i = 0; i < entries->len; i++)
        {
          const OmniTillEntry *e = entries->pdata[i];

          json_builder_begin_object (builder);
          omni_cli_json_add_int (builder, "id", e->id);
          omni_cli_json_add_string (builder, "operation", e->operation);
          omni_cli_json_add_string (builder, "sku", e->sku);
          omni_cli_json_add_string (builder, "location", e->location);
          omni_cli_json_add_int (builder, "delta", e->quantity);
          omni_cli_json_add_string (builder, "reason", e->reason);
          omni_cli_json_add_string (builder, "created_at", e->created_at);
          omni_cli_json_add_string (builder, "state", state_name (e->state));
          omni_cli_json_add_string (builder, "message", e->message);
          omni_cli_json_add_string (builder, "kind", kind_name (e->kind));
          if (e->kind != OMNI_TILL_ENTRY_ADJUST)
            omni_cli_json_add_int (builder, "session", e->session_id);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
      return TRUE;
    }

  if (entries->len == 0)
    {
      omni_cli_output_print (ctx->out, conflicts ? _("No conflicts.\n")
                                                 : _("Nothing waits to be sent.\n"));
      return TRUE;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const OmniTillEntry *e = entries->pdata[i];
      g_autofree char *what = NULL;

      /* The reason column says what a count entry does, and where. */
      if (e->kind == OMNI_TILL_ENTRY_COUNT_SCAN)
        what = g_strdup_printf (_("count %" PRId64 " scan"), e->session_id);
      else if (e->kind == OMNI_TILL_ENTRY_COUNT_SET)
        what = g_strdup_printf (_("count %" PRId64 " set"), e->session_id);
      else
        what = g_strdup (e->reason);
      omni_cli_output_print (ctx->out, "%" PRId64 "\t%s\t%s\t%s%" PRId64 "\t%s\t%s%s%s\n",
                             e->id, e->created_at, e->sku,
                             e->kind == OMNI_TILL_ENTRY_COUNT_SET ? "=" : e->quantity > 0 ? "+" : "",
                             e->quantity, what, state_name (e->state),
                             e->message != NULL ? ": " : "", omni_cli_or_empty (e->message));
    }
  return TRUE;
}

gboolean
omni_cli_till_replay (OmniCliContext  *ctx,
                      GError         **error)
{
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(OmniStore) store = NULL;
  OmniTillReplayResult result = { 0, };
  gboolean ok;

  if (!omni_cli_context_parse (ctx, NULL, 0, 0, error))
    return FALSE;
  journal = omni_till_journal_open (ctx->store_path, error);
  if (journal == NULL)
    return FALSE;
  /* Opened without the automatic replay, to report on this one. */
  omni_cli_db_load_password (ctx->store_path);
  store = omni_store_open (ctx->store_path, error);
  if (store == NULL)
    return FALSE;
  ok = omni_till_journal_replay (journal, store, &result, NULL, error);

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "applied", result.applied);
      omni_cli_json_add_int (builder, "already_there", result.already_there);
      omni_cli_json_add_int (builder, "conflicts", result.conflicts);
      omni_cli_json_add_int (builder, "pending", result.pending);
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out,
                           _("Sent %u, already there %u, conflicts %u, still waiting %u.\n"),
                           result.applied, result.already_there, result.conflicts,
                           result.pending);
  if (!ok)
    return FALSE;
  if (result.conflicts > 0)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_CONFLICT,
                   _("%u change(s) made offline were refused by the server; see "
                     "“till pending --conflicts”"), result.conflicts);
      return FALSE;
    }
  return TRUE;
}

gboolean
omni_cli_till_resolve (OmniCliContext  *ctx,
                       GError         **error)
{
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(OmniStore) store = NULL;
  gboolean apply = FALSE, drop = FALSE;
  gint64 id;
  const GOptionEntry options[] = {
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply,
      N_("Record it anyway (stock may go below zero: count it)"), NULL },
    { "drop", 0, 0, G_OPTION_ARG_NONE, &drop, N_("Forget it"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!omni_cli_context_parse (ctx, options, 1, 1, error))
    return FALSE;
  if (apply == drop)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("say what to do with the conflict: --apply or --drop"));
      return FALSE;
    }
  if (!omni_cli_parse_int (ctx->argv[1], "ID", 1, G_MAXINT64, &id, error))
    return FALSE;
  journal = omni_till_journal_open (ctx->store_path, error);
  if (journal == NULL)
    return FALSE;
  if (apply && (store = omni_cli_context_open_store (ctx, error)) == NULL)
    return FALSE;
  if (!omni_till_journal_resolve (journal, store, id, apply, error))
    return FALSE;

  if (ctx->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      omni_cli_json_add_int (builder, "id", id);
      omni_cli_json_add_string (builder, "state", apply ? "applied" : "dropped");
      json_builder_end_object (builder);
      omni_cli_output_json (ctx->out, builder);
    }
  else
    omni_cli_output_print (ctx->out, apply ? _("Conflict %" PRId64 " recorded on the server.\n")
                                           : _("Conflict %" PRId64 " dropped.\n"), id);
  return TRUE;
}
