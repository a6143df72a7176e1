/* omni-pq.c: loading libpq at the first use (see omni-pq.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-db"

#include "config.h"

#include <gmodule.h>

#include "omni-pq.h"
#include "omni-store.h"

/* libpq's soname: version 5 since PostgreSQL 8.2. */
#define PQ_LIBRARY "libpq.so.5"

OmniPqFunctions _omni_pq;

static GMutex load_lock;
static gboolean loaded;
static char *load_failure;   /* why it failed, kept: a second try would fail alike */

/* Fills @functions from @module; %NULL, or what is missing. */
static char *
resolve (GModule         *module,
         OmniPqFunctions *functions)
{
#define RESOLVE(name) \
  if (!g_module_symbol (module, #name, (gpointer *) &functions->name) || \
      functions->name == NULL) \
    return g_strdup_printf ("%s has no %s", PQ_LIBRARY, #name);
  OMNI_PQ_FUNCTIONS (RESOLVE)
#undef RESOLVE
  return NULL;
}

/**
 * _omni_pq_load:
 *
 * Loads libpq once per process, from any thread; later calls only say how
 * that went.
 *
 * Returns: whether _omni_pq may be called; %FALSE with @error set
 *   (%OMNI_STORE_ERROR_FAILED) when libpq is not installed
 */
gboolean
_omni_pq_load (GError **error)
{
  gboolean ok;

  g_mutex_lock (&load_lock);
  if (!loaded && load_failure == NULL)
    {
      GModule *module = g_module_open (PQ_LIBRARY, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      OmniPqFunctions functions = { 0 };

      if (module == NULL)
        load_failure = g_strdup (g_module_error ());
      else if ((load_failure = resolve (module, &functions)) != NULL)
        g_module_close (module);
      else
        {
          /* never unloaded: connections may live until the process ends */
          g_module_make_resident (module);
          _omni_pq = functions;
          loaded = TRUE;
        }
    }
  ok = loaded;
  if (!ok)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_FAILED,
                 "PostgreSQL stores need libpq (%s), which could not be loaded: %s",
                 PQ_LIBRARY, load_failure);
  g_mutex_unlock (&load_lock);
  return ok;
}
