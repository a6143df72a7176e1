/* test-cli-util.h: running omnistock-cli from the CLI tests, and reading
 * what it printed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "omni-store.h"

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  char *db;          /* dir/shop.db, not created */
  char *xdg_data;    /* dir/xdg, what XDG_DATA_HOME points at */
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

void         fixture_set_up       (Fixture             *fixture,
                                   gconstpointer        data);
void         fixture_tear_down    (Fixture             *fixture,
                                   gconstpointer        data);

void         cli_result_clear     (CliResult           *result);
void         run_cli_env          (Fixture             *fixture,
                                   const char * const  *env,
                                   CliResult           *result,
                                   const char * const  *args);
void         run_cli_input        (Fixture             *fixture,
                                   const char * const  *env,
                                   const char          *input,
                                   CliResult           *result,
                                   const char * const  *args);
void         assert_success       (const CliResult     *result);
void         assert_failure       (const CliResult     *result,
                                   int                  status);

JsonNode    *parse_json           (const char          *text);
JsonObject  *parse_json_object    (const char          *text);
JsonArray   *parse_json_array     (const char          *text);
gint64       member_int           (JsonObject          *object,
                                   const char          *name);
const char  *member_string        (JsonObject          *object,
                                   const char          *name);
gboolean     member_boolean       (JsonObject          *object,
                                   const char          *name);
gboolean     member_is_null       (JsonObject          *object,
                                   const char          *name);

OmniStore   *open_store           (const char          *path);
GBytes      *read_file            (const char          *path);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

#define run_cli(fixture, result, ...) \
  run_cli_env ((fixture), NULL, (result), (const char * const[]) { __VA_ARGS__, NULL })

#define run_cli_stdin(fixture, input, result, ...) \
  run_cli_input ((fixture), NULL, (input), (result), (const char * const[]) { __VA_ARGS__, NULL })

#define run_cli_with_env(fixture, env, result, ...) \
  run_cli_env ((fixture), (env), (result), (const char * const[]) { __VA_ARGS__, NULL })

G_END_DECLS
