/* fuzz-common.h: what the connector fuzz targets share — a script of
 * answers read from the input, and a scratch store reset from a template
 * before every input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdlib.h>

#include "omni-http.h"

G_BEGIN_DECLS

/* Aborts (a crash libFuzzer keeps) when @cond is false. */
#define FUZZ_CHECK(cond) G_STMT_START {               \
    if (!(cond))                                      \
      {                                               \
        g_printerr ("check failed: %s\n", #cond);     \
        abort ();                                     \
      }                                               \
  } G_STMT_END

/**
 * FuzzScript:
 *
 * Answers separated by "\n@@\n", each optionally starting with "HTTP nnn\n"
 * (the status, 200 otherwise) or "!\n" (the connection fails). At most
 * %FUZZ_MAX_ANSWERS are served; after the last, the connection closes.
 */
typedef struct
{
  const char *data;
  gsize       size;
  gsize       offset;
  guint       served;
} FuzzScript;

#define FUZZ_MAX_ANSWERS 64

OmniHttpResponse *fuzz_script_answer   (FuzzScript  *script,
                                        const char  *url,
                                        GError     **error);

const char       *fuzz_work_init       (const char  *name);
const char       *fuzz_work_path       (void);
GBytes           *fuzz_template_read   (const char  *path);
void              fuzz_work_reset      (GBytes      *template);

G_END_DECLS
