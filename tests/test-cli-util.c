/* test-cli-util.c: running omnistock-cli from the CLI tests, and reading
 * what it printed
 *
 * Every case runs the built binary ($OMNISTOCK_CLI) with an explicit argv and
 * an environment of its own, on databases in a fresh temporary folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "test-cli-util.h"

void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("omnistock-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->xdg_data = g_build_filename (fixture->dir, "xdg", NULL);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->xdg_data);
}

/* Runs omnistock-cli with @args (NULL-terminated). The child sees only a UTF-8
 * locale, fatal warnings, HOME and XDG_DATA_HOME in the fixture, and @env
 * (NULL-terminated "NAME=VALUE" strings, may be NULL): never the developer's
 * database, nor whatever OMNISTOCK_DB or OMNISTOCK_ACTOR the runner has set.
 * With @input (may be NULL) the child reads it on stdin and then its end.
 */
void
run_cli_input (Fixture            *fixture,
               const char * const *env,
               const char         *input,
               CliResult          *result,
               const char * const *args)
{
  static const char * const passed_through[] = {
    "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "G_SLICE",
  };
  g_autoptr(GStrvBuilder) argv_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) env_builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree char *home = g_strconcat ("HOME=", fixture->dir, NULL);
  g_autofree char *xdg_data_home = g_strconcat ("XDG_DATA_HOME=", fixture->xdg_data, NULL);
  const char *cli = g_getenv ("OMNISTOCK_CLI");
  int wait_status = 0;

  g_assert_nonnull (cli);

  g_strv_builder_add (argv_builder, cli);
  g_strv_builder_addv (argv_builder, (const char **) args);
  argv = g_strv_builder_end (argv_builder);

  g_strv_builder_add (env_builder, "LC_ALL=C.UTF-8");
  g_strv_builder_add (env_builder, "G_DEBUG=fatal-warnings,gc-friendly");
  g_strv_builder_add (env_builder, home);
  g_strv_builder_add (env_builder, xdg_data_home);
  /* The sanitizers' settings (suppressions, leak checking) and the
   * allocator choice of a sanitized run reach the CLI too; nothing else
   * of the caller's environment does. */
  for (guint i = 0; i < G_N_ELEMENTS (passed_through); i++)
    {
      const char *value = g_getenv (passed_through[i]);
      g_autofree char *variable = NULL;

      if (value == NULL)
        continue;
      variable = g_strconcat (passed_through[i], "=", value, NULL);
      g_strv_builder_add (env_builder, variable);
    }
  if (env != NULL)
    g_strv_builder_addv (env_builder, (const char **) env);
  envp = g_strv_builder_end (env_builder);

  if (input == NULL)
    {
      g_spawn_sync (fixture->dir, argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                    &result->out, &result->err, &wait_status, &error);
      g_assert_no_error (error);

      /* A crash (a critical made fatal, say) is never an exit status. */
      g_assert_true (WIFEXITED (wait_status));
      result->status = WEXITSTATUS (wait_status);
    }
  else
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) process = NULL;

      g_subprocess_launcher_set_environ (launcher, envp);
      g_subprocess_launcher_set_cwd (launcher, fixture->dir);
      process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &result->out,
                                                    &result->err, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (process));
      result->status = g_subprocess_get_exit_status (process);
    }
}

void
run_cli_env (Fixture            *fixture,
             const char * const *env,
             CliResult          *result,
             const char * const *args)
{
  run_cli_input (fixture, env, NULL, result, args);
}

void
assert_success (const CliResult *result)
{
  if (result->status != 0)
    g_test_message ("stderr: %s", result->err);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->err, ==, "");
}

/* An error: the exit status, nothing on stdout, one line on stderr. */
void
assert_failure (const CliResult *result,
                int              status)
{
  g_assert_cmpint (result->status, ==, status);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_true (g_str_has_prefix (result->err, "omnistock-cli: "));
  g_assert_true (g_str_has_suffix (result->err, ".\n"));
  g_assert_cmpint (strchr (result->err, '\n') - result->err, ==, strlen (result->err) - 1);
}

/* Parses one JSON document; output to a pipe is compact: one line. */
JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_cmpint (strchr (text, '\n') - text, ==, strlen (text) - 1);

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);

  return json_node_copy (root);
}

JsonObject *
parse_json_object (const char *text)
{
  g_autoptr(JsonNode) root = parse_json (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

JsonArray *
parse_json_array (const char *text)
{
  g_autoptr(JsonNode) root = parse_json (text);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);

  return json_node_get_int (node);
}

const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);

  return json_node_get_string (node);
}

gboolean
member_boolean (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_BOOLEAN);

  return json_node_get_boolean (node);
}

/* TRUE when the member is there and null (a missing member fails). */
gboolean
member_is_null (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_NULL (node);
}

OmniStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  OmniStore *store = omni_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}
