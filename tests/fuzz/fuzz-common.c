/* fuzz-common.c: the answer script and the scratch store of the connector
 * fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "omni-connector.h"

#define SEPARATOR "\n@@\n"

static char *work_dir;
static char *work_path;

/**
 * fuzz_script_answer:
 *
 * The next answer of @script as OmniHttp would hand it back: the status,
 * the body, and the body parsed when it is JSON; a 2xx body that is not
 * JSON fails as OmniHttp fails it.
 *
 * Returns: (transfer full): the answer, or %NULL with @error set
 */
OmniHttpResponse *
fuzz_script_answer (FuzzScript  *script,
                    const char  *url,
                    GError     **error)
{
  g_autoptr(OmniHttpResponse) response = NULL;
  const char *start, *end, *found;
  gsize length;
  guint64 status = 200;

  FUZZ_CHECK (url != NULL);
  if (script->offset >= script->size || script->served++ >= FUZZ_MAX_ANSWERS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                   "The script has no more answers");
      return NULL;
    }

  start = script->data + script->offset;
  found = g_strstr_len (start, (gssize)(script->size - script->offset), SEPARATOR);
  end = found ? found : script->data + script->size;
  script->offset = (gsize)(end - script->data) + (found ? strlen (SEPARATOR) : 0);
  length = (gsize)(end - start);

  if (length >= 2 && start[0] == '!' && start[1] == '\n')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "Connection reset by peer");
      return NULL;
    }
  if (length >= 9 && memcmp (start, "HTTP ", 5) == 0 && start[8] == '\n')
    {
      char digits[4] = { start[5], start[6], start[7], 0 };

      if (g_ascii_string_to_unsigned (digits, 10, 100, 599, &status, NULL))
        {
          start += 9;
          length -= 9;
        }
      else
        status = 200;
    }

  response = g_new0 (OmniHttpResponse, 1);
  response->status = (guint)status;
  response->body = g_bytes_new (start, length);
  response->attempts = 1;
  if (length > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, start, (gssize)length, NULL))
        response->json = json_node_ref (json_parser_get_root (parser));
      else if (status >= 200 && status < 300)
        {
          g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE,
                       "%s answered with something that is not valid JSON", url);
          return NULL;
        }
    }
  return g_steal_pointer (&response);
}

/* The scratch files go with the process. */
static void
remove_work_files (void)
{
  g_autofree char *wal = g_strconcat (work_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (work_path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (work_path);
  g_rmdir (work_dir);
}

/**
 * fuzz_work_init:
 * @name: the target's name, for the scratch directory
 *
 * Makes the scratch directory (removed at exit).
 *
 * Returns: where to build a template store (read it with
 *   fuzz_template_read(), which also removes it)
 */
const char *
fuzz_work_init (const char *name)
{
  static char *template_path;
  g_autoptr(GError) error = NULL;
  g_autofree char *pattern = g_strdup_printf ("omni-fuzz-%s-XXXXXX", name);

  FUZZ_CHECK (work_dir == NULL);
  work_dir = g_dir_make_tmp (pattern, &error);
  FUZZ_CHECK (work_dir != NULL);
  work_path = g_build_filename (work_dir, "shop.db", NULL);
  template_path = g_build_filename (work_dir, "template.db", NULL);
  atexit (remove_work_files);
  return template_path;
}

/* The store every input runs against. */
const char *
fuzz_work_path (void)
{
  FUZZ_CHECK (work_path != NULL);
  return work_path;
}

/* The bytes of the (closed) store at @path, to reset from. */
GBytes *
fuzz_template_read (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  FUZZ_CHECK (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

/* Puts the scratch store back as @template was, without its -wal and -shm. */
void
fuzz_work_reset (GBytes *template)
{
  g_autofree char *wal = g_strconcat (work_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (work_path, "-shm", NULL);
  gsize length = 0;
  const char *contents = g_bytes_get_data (template, &length);

  g_unlink (wal);
  g_unlink (shm);
  FUZZ_CHECK (g_file_set_contents (work_path, contents, (gssize)length, NULL));
}
