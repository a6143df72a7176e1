/* fuzz-replay.c: runs a fuzz target's inputs without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linked with a target's LLVMFuzzerTestOneInput, so that its seed corpus
 * and every crasher kept in tests/fuzz/regressions/ run as ordinary tests
 * in any build (gcc, sanitizers, valgrind), not only in the clang fuzzing
 * build. Arguments are files or directories (read one level deep); a
 * target's failed check aborts the process, which fails the test.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static guint
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("Cannot read %s: %s", path, error->message);
  g_print ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput ((const guint8 *)contents, length);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint inputs = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = NULL;
      const char *name;

      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          if (g_file_test (argv[i], G_FILE_TEST_EXISTS))
            inputs += run_file (argv[i]);
          continue;
        }
      dir = g_dir_open (argv[i], 0, NULL);
      names = g_ptr_array_new_with_free_func (g_free);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.' && !g_str_has_suffix (name, ".md"))
          g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
      g_ptr_array_sort (names, compare_names);
      for (guint n = 0; n < names->len; n++)
        if (g_file_test (names->pdata[n], G_FILE_TEST_IS_REGULAR))
          inputs += run_file (names->pdata[n]);
    }
  g_print ("%u inputs ran without a failed check\n", inputs);
  return 0;
}
