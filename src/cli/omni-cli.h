/* omni-cli.h: omnistock-cli, global options, dispatch and exit statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "omni-cli-output.h"
#include "omni-store.h"

G_BEGIN_DECLS

#define OMNI_CLI_NAME "omnistock-cli"

/**
 * OmniCliExit:
 * @OMNI_CLI_EXIT_OK: success
 * @OMNI_CLI_EXIT_USAGE: unknown command, missing or extra argument, bad option
 * @OMNI_CLI_EXIT_INVALID: invalid input (not a database, too new, bad value); nothing changed
 * @OMNI_CLI_EXIT_NOT_FOUND: not found or conflict; also `check` finding a problem
 * @OMNI_CLI_EXIT_REMOTE: network, authentication or remote error
 *
 * The exit statuses scripts rely on (DESIGN section 4).
 */
typedef enum
{
  OMNI_CLI_EXIT_OK        = 0,
  OMNI_CLI_EXIT_USAGE     = 1,
  OMNI_CLI_EXIT_INVALID   = 2,
  OMNI_CLI_EXIT_NOT_FOUND = 3,
  OMNI_CLI_EXIT_REMOTE    = 4,
} OmniCliExit;

#define OMNI_CLI_ERROR (omni_cli_error_quark ())

/**
 * OmniCliError:
 * @OMNI_CLI_ERROR_USAGE: the command line is wrong (exit 1)
 * @OMNI_CLI_ERROR_INVALID: an argument's value is unusable (exit 2)
 * @OMNI_CLI_ERROR_NOT_FOUND: a named thing does not exist (exit 3)
 * @OMNI_CLI_ERROR_CONFLICT: the request clashes with the data (exit 3)
 * @OMNI_CLI_ERROR_CHECK_FAILED: `check` found a problem; the report is on stdout (exit 3)
 * @OMNI_CLI_ERROR_REMOTE: a channel or the network failed (exit 4)
 *
 * Errors raised by the commands themselves; errors from the store and GLib
 * keep their own domains and omni_cli_exit_status_for_error() maps them.
 */
typedef enum
{
  OMNI_CLI_ERROR_USAGE,
  OMNI_CLI_ERROR_INVALID,
  OMNI_CLI_ERROR_NOT_FOUND,
  OMNI_CLI_ERROR_CONFLICT,
  OMNI_CLI_ERROR_CHECK_FAILED,
  OMNI_CLI_ERROR_REMOTE,
} OmniCliError;

typedef struct _OmniCliContext OmniCliContext;

/**
 * OmniCliHandler:
 * @ctx: the command line, the database path and the output
 * @error: where a failure goes; its domain and code choose the exit status
 *
 * Runs one command. A handler parses its own options with
 * omni_cli_context_parse(), does its work, and prints its result last, so
 * that on failure stdout stays empty.
 *
 * Returns: %TRUE on success
 */
typedef gboolean (*OmniCliHandler) (OmniCliContext  *ctx,
                                    GError         **error);

/**
 * OmniCliCommand:
 * @name: what the user types
 * @args: positional arguments for the usage line, or %NULL
 * @summary: one line for `--help`, marked with N_()
 * @run: the handler
 *
 * One row of the command table (omni-cli-commands.c).
 */
typedef struct
{
  const char     *name;
  const char     *args;
  const char     *summary;
  OmniCliHandler  run;
} OmniCliCommand;

/**
 * OmniCliContext:
 * @command: the command being run
 * @db_option: `--db` as given, or %NULL
 * @store_path: the database path resolved by omni_cli_context_parse()
 * @json: `--json` was given, before or after the command
 * @argv: the command's arguments, %NULL-terminated; argv[0] is its name.
 *   After omni_cli_context_parse() only positional arguments remain.
 * @out: where results go (stdout)
 */
struct _OmniCliContext
{
  const OmniCliCommand  *command;
  char                  *db_option;
  char                  *store_path;
  gboolean               json;
  char                 **argv;
  OmniCliOutput         *out;
};

GQuark          omni_cli_error_quark            (void);

int             omni_cli_run                    (int                  argc,
                                                 char               **argv);
int             omni_cli_exit_status_for_error  (const GError        *error);

gboolean        omni_cli_context_parse          (OmniCliContext      *ctx,
                                                 const GOptionEntry  *entries,
                                                 guint                min_args,
                                                 guint                max_args,
                                                 GError             **error);
guint           omni_cli_context_get_n_args     (OmniCliContext      *ctx);
OmniStore      *omni_cli_context_open_store     (OmniCliContext      *ctx,
                                                 GError             **error);

G_END_DECLS
