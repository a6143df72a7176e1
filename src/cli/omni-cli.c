/* omni-cli.c: omnistock-cli, global options, dispatch and exit statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omnistock-cli"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "omni-cli.h"
#include "omni-cli-commands.h"
#include "omni-cli-db.h"
#include "omni-cli-till.h"

G_DEFINE_QUARK (omni-cli-error-quark, omni_cli_error)

static char *
omni_cli_describe_commands (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const OmniCliCommand *commands;
  guint n_commands;
  int width = 0;

  commands = omni_cli_get_commands (&n_commands);

  for (guint i = 0; i < n_commands; i++)
    {
      g_autofree char *synopsis = g_strjoin (" ", commands[i].name, commands[i].args, NULL);

      width = MAX (width, (int) strlen (synopsis));
    }

  g_string_append_printf (text, "%s\n", _("Commands:"));
  for (guint i = 0; i < n_commands; i++)
    {
      g_autofree char *synopsis = g_strjoin (" ", commands[i].name, commands[i].args, NULL);

      g_string_append_printf (text, "  %-*s  %s\n", width, synopsis, _(commands[i].summary));
    }

  g_string_append_printf (text, "\n%s\n\n%s\n\n%s\n%s\n%s\n%s\n%s\n%s\n\n%s",
                          _("The database is --db PATH, else $OMNISTOCK_DB, else\n"
                            "$XDG_DATA_HOME/omnistock/omnistock.db; it is created or\n"
                            "migrated when first opened."),
                          _("Run “omnistock-cli COMMAND --help” for a command’s options. "
                            "Global options\nmay also follow the command."),
                          _("Exit status:"),
                          _("  0  success"),
                          _("  1  usage error: unknown command, missing or extra argument, bad option"),
                          _("  2  invalid input, such as a file that is not an OmniStock database;\n"
                            "     nothing changed"),
                          _("  3  not found or conflict; also “check” finding a problem"),
                          _("  4  network, authentication or remote error"),
                          _("With --json a command prints one JSON document on stdout. On error\n"
                            "stdout stays empty and one sentence saying what went wrong goes\n"
                            "to stderr; “check” still prints its report when it exits with 3."));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
omni_cli_print_error (const GError *error)
{
  gsize length = strlen (error->message);
  gboolean has_stop = length > 0 && strchr (".!?", error->message[length - 1]) != NULL;

  /* One sentence, prefixed with the program so it reads well in scripts' logs. */
  g_printerr ("%s: %s%s\n", OMNI_CLI_NAME, error->message, has_stop ? "" : ".");
}

int
omni_cli_exit_status_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, OMNI_CLI_EXIT_INVALID);

  if (error->domain == G_OPTION_ERROR)
    return OMNI_CLI_EXIT_USAGE;

  if (error->domain == OMNI_CLI_ERROR)
    {
      switch ((OmniCliError) error->code)
        {
        case OMNI_CLI_ERROR_USAGE:
          return OMNI_CLI_EXIT_USAGE;
        case OMNI_CLI_ERROR_INVALID:
          return OMNI_CLI_EXIT_INVALID;
        case OMNI_CLI_ERROR_NOT_FOUND:
        case OMNI_CLI_ERROR_CONFLICT:
        case OMNI_CLI_ERROR_CHECK_FAILED:
          return OMNI_CLI_EXIT_NOT_FOUND;
        case OMNI_CLI_ERROR_REMOTE:
          return OMNI_CLI_EXIT_REMOTE;
        default:
          return OMNI_CLI_EXIT_INVALID;
        }
    }

  if (error->domain == OMNI_STORE_ERROR)
    {
      switch ((OmniStoreError) error->code)
        {
        case OMNI_STORE_ERROR_NOT_FOUND:
        case OMNI_STORE_ERROR_CONFLICT:
        /* Another program holding the lock is a conflict, not bad input. */
        case OMNI_STORE_ERROR_BUSY:
          return OMNI_CLI_EXIT_NOT_FOUND;
        case OMNI_STORE_ERROR_NOT_A_DATABASE:
        case OMNI_STORE_ERROR_CORRUPT:
        case OMNI_STORE_ERROR_TOO_NEW:
        case OMNI_STORE_ERROR_INVALID:
        case OMNI_STORE_ERROR_IO:
        case OMNI_STORE_ERROR_FAILED:
        default:
          return OMNI_CLI_EXIT_INVALID;
        }
    }

  /* Files that cannot be read or written are invalid input: every write
   * command is all-or-nothing, so nothing changed.
   */
  return OMNI_CLI_EXIT_INVALID;
}

static char **
omni_cli_copy_args (int    argc,
                    char **argv)
{
  char **copy = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    copy[i] = g_strdup (argv[i]);

  return copy;
}

static gboolean
omni_cli_dispatch (OmniCliContext  *ctx,
                   int              argc,
                   char           **argv,
                   GError         **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autofree char *description = NULL;
  g_auto(GStrv) args = NULL;
  gboolean help = FALSE;
  gboolean version = FALSE;
  guint n_words = 0;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &ctx->db_option,
      N_("Use the database at PATH"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctx->json,
      N_("Print one JSON document on stdout"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help,
      N_("Show this help"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version"), NULL },
    G_OPTION_ENTRY_NULL
  };

  description = omni_cli_describe_commands ();
  options = g_option_context_new (_("COMMAND [ARGS…]"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (options, _("Manage an OmniStock inventory database."));
  g_option_context_set_description (options, description);
  /* Our own --help lists the commands and returns instead of exiting. */
  g_option_context_set_help_enabled (options, FALSE);
  /* Stop at the command: what follows is for the command to parse. */
  g_option_context_set_strict_posix (options, TRUE);

  args = omni_cli_copy_args (argc, argv);
  if (!g_option_context_parse_strv (options, &args, error))
    return FALSE;

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (options, TRUE, NULL);

      omni_cli_output_print (ctx->out, "%s", text);
      return TRUE;
    }

  if (version)
    {
      omni_cli_output_print (ctx->out, "%s %s\n", OMNI_CLI_NAME, PACKAGE_VERSION);
      return TRUE;
    }

  if (args[0] == NULL || args[1] == NULL)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("no command given; run “%s --help” to see the commands"),
                   OMNI_CLI_NAME);
      return FALSE;
    }

  /* "omnistock-cli count --help" lists the count commands. */
  if (args[2] != NULL && (g_str_equal (args[2], "--help") || g_str_equal (args[2], "-h")))
    {
      g_autofree char *group_help = omni_cli_describe_group (args[1]);

      if (group_help != NULL)
        {
          omni_cli_output_print (ctx->out, "%s", group_help);
          return TRUE;
        }
    }

  ctx->command = omni_cli_find_command ((const char * const *) args + 1, &n_words, error);
  if (ctx->command == NULL)
    return FALSE;

  /* Only the last word of "count scan" stays, as the argv[0] GOption skips. */
  ctx->argv = g_strdupv (args + n_words);

  return ctx->command->run (ctx, error);
}

/**
 * omni_cli_run:
 * @argc: as main() received it
 * @argv: as main() received it
 *
 * Runs omnistock-cli: parses the global options, dispatches to the command
 * and reports a failure on stderr.
 *
 * Returns: the exit status, one of #OmniCliExit
 */
int
omni_cli_run (int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) write_error = NULL;
  OmniCliContext ctx = { 0 };
  int status = OMNI_CLI_EXIT_OK;

  g_return_val_if_fail (argc >= 0, OMNI_CLI_EXIT_USAGE);

  ctx.out = omni_cli_output_new (stdout);

  if (!omni_cli_dispatch (&ctx, argc, argv, &error))
    {
      g_assert (error != NULL);
      status = omni_cli_exit_status_for_error (error);
    }

  if (!omni_cli_output_close (ctx.out, &write_error) && error == NULL)
    {
      error = g_steal_pointer (&write_error);
      status = omni_cli_exit_status_for_error (error);
    }

  if (error != NULL)
    omni_cli_print_error (error);

  g_clear_pointer (&ctx.out, omni_cli_output_free);
  g_clear_pointer (&ctx.argv, g_strfreev);
  g_clear_pointer (&ctx.db_option, g_free);
  g_clear_pointer (&ctx.store_path, g_free);

  return status;
}

static void
omni_cli_print_command_help (OmniCliContext *ctx,
                             GOptionContext *options)
{
  g_autofree char *text = g_option_context_get_help (options, TRUE, NULL);
  g_autofree char *synopsis = NULL;
  const char *body;

  /* GOption's usage line would put the options before the command; ours
   * says how the command is really typed.
   */
  body = strstr (text, "\n\n");
  if (ctx->command->args != NULL)
    synopsis = g_strdup_printf ("%s %s %s %s", OMNI_CLI_NAME, ctx->command->name,
                                ctx->command->args, _("[OPTION…]"));
  else
    synopsis = g_strdup_printf ("%s %s %s", OMNI_CLI_NAME, ctx->command->name, _("[OPTION…]"));
  omni_cli_output_print (ctx->out, "%s\n  %s%s", _("Usage:"), synopsis,
                         body != NULL ? body : "\n");
}

/* A negative number is an argument, not an option: "adjust SKU -5". */
static gboolean
omni_cli_is_negative_number (const char *arg)
{
  return arg[0] == '-' && (g_ascii_isdigit (arg[1]) || (arg[1] == '.' && g_ascii_isdigit (arg[2])));
}

/* GOption leaves the options it does not know in place (so that "-5" stays
 * an argument); anything else that looks like an option, before "--", is a
 * mistake.
 */
static gboolean
omni_cli_check_unknown_options (char   **args,
                                GError **error)
{
  for (guint i = 1; args[i] != NULL && !g_str_equal (args[i], "--"); i++)
    {
      const char *arg = args[i];

      if (arg[0] == '-' && arg[1] != '\0' && !omni_cli_is_negative_number (arg))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       _("Unknown option %s"), arg);
          return FALSE;
        }
    }

  return TRUE;
}

/* GOption keeps "--" when an argument after it starts with "-", as in
 * "adjust SKU -- -5"; it only separated options from arguments, so drop it.
 */
static void
omni_cli_drop_separator (char **args)
{
  for (guint i = 1; args[i] != NULL; i++)
    {
      if (g_str_equal (args[i], "--"))
        {
          g_free (args[i]);
          memmove (&args[i], &args[i + 1], (g_strv_length (&args[i + 1]) + 1) * sizeof (char *));
          return;
        }
    }
}

static gboolean
omni_cli_check_arg_count (OmniCliContext  *ctx,
                          guint            min_args,
                          guint            max_args,
                          GError         **error)
{
  guint n_args = omni_cli_context_get_n_args (ctx);

  if (n_args < min_args)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("“%s” needs %s; run “%s %s --help” for details"),
                   ctx->command->name, ctx->command->args, OMNI_CLI_NAME, ctx->command->name);
      return FALSE;
    }

  if (n_args > max_args)
    {
      g_set_error (error, OMNI_CLI_ERROR, OMNI_CLI_ERROR_USAGE,
                   _("unexpected argument “%s” after “%s”"),
                   ctx->argv[max_args + 1], ctx->command->name);
      return FALSE;
    }

  return TRUE;
}

/**
 * omni_cli_context_parse:
 * @ctx: the context of the running command
 * @entries: (nullable): the command's own options, %G_OPTION_ENTRY_NULL-terminated
 * @min_args: fewest positional arguments the command takes
 * @max_args: most positional arguments the command takes
 * @error: a usage error
 *
 * Parses the command's options together with the global ones (so
 * `omnistock-cli stats --json` works), checks the number of positional
 * arguments and resolves the database path. Like GOption's own `--help`,
 * `COMMAND --help` prints the command's help and exits with status 0.
 *
 * Returns: %TRUE when the command line is fine
 */
gboolean
omni_cli_context_parse (OmniCliContext      *ctx,
                        const GOptionEntry  *entries,
                        guint                min_args,
                        guint                max_args,
                        GError             **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autofree char *db_after = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json_after = FALSE;
  gboolean help = FALSE;
  const GOptionEntry global_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_after,
      N_("Use the database at PATH"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json_after,
      N_("Print one JSON document on stdout"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help,
      N_("Show this command’s options"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (ctx->command != NULL, FALSE);
  g_return_val_if_fail (ctx->argv != NULL, FALSE);
  g_return_val_if_fail (min_args <= max_args, FALSE);

  options = g_option_context_new (NULL);
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_set_summary (options, _(ctx->command->summary));
  g_option_context_set_help_enabled (options, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, global_entries, GETTEXT_PACKAGE);

  g_option_context_set_ignore_unknown_options (options, TRUE);

  args = g_strdupv (ctx->argv);
  if (!g_option_context_parse_strv (options, &args, error) ||
      (!help && !omni_cli_check_unknown_options (args, error)))
    {
      g_prefix_error (error, "%s: ", ctx->command->name);
      return FALSE;
    }

  if (help)
    {
      omni_cli_print_command_help (ctx, options);
      fflush (stdout);
      exit (OMNI_CLI_EXIT_OK);
    }

  omni_cli_drop_separator (args);
  g_strfreev (ctx->argv);
  ctx->argv = g_steal_pointer (&args);

  if (!omni_cli_check_arg_count (ctx, min_args, max_args, error))
    return FALSE;

  if (db_after != NULL)
    {
      g_free (ctx->db_option);
      ctx->db_option = g_steal_pointer (&db_after);
    }
  ctx->json = ctx->json || json_after;

  g_free (ctx->store_path);
  ctx->store_path = omni_store_resolve_path (ctx->db_option);

  return TRUE;
}

/**
 * omni_cli_context_get_n_args:
 * @ctx: the context of the running command
 *
 * Returns: how many positional arguments follow the command name
 */
guint
omni_cli_context_get_n_args (OmniCliContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, 0);
  g_return_val_if_fail (ctx->argv != NULL, 0);

  return ctx->argv[0] != NULL ? g_strv_length (ctx->argv) - 1 : 0;
}

/**
 * omni_cli_context_open_store:
 * @ctx: a context that omni_cli_context_parse() has filled in
 * @error: why the database cannot be used
 *
 * Opens the database, creating or migrating it as needed.
 *
 * Returns: (transfer full): the store, or %NULL
 */
OmniStore *
omni_cli_context_open_store (OmniCliContext  *ctx,
                             GError         **error)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (ctx->store_path != NULL, NULL);

  OmniStore *store;

  omni_cli_db_load_password (ctx->store_path);
  store = omni_store_open (ctx->store_path, error);
  if (store != NULL)
    omni_cli_till_replay_pending (ctx, store);
  return store;
}
