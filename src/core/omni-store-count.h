/* omni-store-count.h: stock count sessions driven by a barcode scanner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/* The longest code a scan may carry, in bytes. */
#define OMNI_COUNT_MAX_CODE 128
/* The largest quantity one scan may add. */
#define OMNI_COUNT_MAX_QUANTITY 100000

typedef struct
{
  gint64  id;
  gint64  location_id;
  char   *location;
  char   *scope_kind;     /* all, vendor, type, tag */
  char   *scope_value;
  char   *state;          /* open, committed, cancelled */
  char   *started_at;
  char   *finished_at;
  char   *actor;
  gint64  lines;
  gint64  counted_units;
} OmniCountSession;

/**
 * OmniCountLine:
 * @expected: what the store held when the line was last scanned (or at the
 *   start of the count, for a line not scanned yet)
 * @variance: counted − expected: what committing will change
 * @variance_value: the variance at cost, in minor units
 */
typedef struct
{
  gint64     variant_id;
  char      *sku;
  char      *barcode;
  char      *title;
  char      *options;
  gint64     expected;
  gint64     counted;
  gint64     variance;
  OmniMoney  cost;
  OmniMoney  variance_value;
  gboolean   scanned;
  char      *last_scan_at;
} OmniCountLine;

typedef struct
{
  char   *code;
  gint64  scans;
} OmniCountUnknown;

/**
 * OmniCountScanOptions:
 * @op_id: the scan's operation id: sent twice, it is added once
 * @time_us: when it was scanned (microseconds since 1970, UTC)
 * @set: the quantity is the line's counted total (a correction), not an
 *   addition
 */
typedef struct
{
  const char *op_id;
  gint64      time_us;
  gboolean    set;
} OmniCountScanOptions;

gint64            omni_store_count_start         (OmniStore    *self,
                                                  gint64        location_id,
                                                  const char   *scope_kind,
                                                  const char   *scope_value,
                                                  const char   *actor,
                                                  GError      **error);
OmniCountLine    *omni_store_count_scan          (OmniStore    *self,
                                                  gint64        session_id,
                                                  const char   *code,
                                                  gint64        quantity,
                                                  GError      **error);
OmniCountLine    *omni_store_count_scan_offline  (OmniStore                   *self,
                                                  gint64                       session_id,
                                                  const char                  *code,
                                                  gint64                       quantity,
                                                  const OmniCountScanOptions  *options,
                                                  gboolean                    *already_there,
                                                  GError                     **error);
gboolean          omni_store_count_set_line      (OmniStore    *self,
                                                  gint64        session_id,
                                                  gint64        variant_id,
                                                  gint64        counted,
                                                  GError      **error);
gboolean          omni_store_count_remove_line   (OmniStore    *self,
                                                  gint64        session_id,
                                                  gint64        variant_id,
                                                  GError      **error);
gboolean          omni_store_count_link_code     (OmniStore    *self,
                                                  gint64        session_id,
                                                  const char   *code,
                                                  gint64        variant_id,
                                                  GError      **error);
OmniCountSession *omni_store_count_get           (OmniStore    *self,
                                                  gint64        session_id,
                                                  GError      **error);
GPtrArray        *omni_store_count_list          (OmniStore    *self,
                                                  gboolean      open_only,
                                                  GError      **error);
OmniCountLine    *omni_store_count_get_line      (OmniStore    *self,
                                                  gint64        session_id,
                                                  gint64        variant_id,
                                                  GError      **error);
GPtrArray        *omni_store_count_lines         (OmniStore    *self,
                                                  gint64        session_id,
                                                  GError      **error);
GPtrArray        *omni_store_count_unknown_codes (OmniStore    *self,
                                                  gint64        session_id,
                                                  GError      **error);
char             *omni_store_count_commit        (OmniStore    *self,
                                                  gint64        session_id,
                                                  const char   *actor,
                                                  GError      **error);
gboolean          omni_store_count_cancel        (OmniStore    *self,
                                                  gint64        session_id,
                                                  GError      **error);

gboolean          omni_count_parse_input         (const char   *text,
                                                  char        **code,
                                                  gint64       *quantity,
                                                  GError      **error);

void              omni_count_session_free        (OmniCountSession *session);
void              omni_count_line_free           (OmniCountLine    *line);
void              omni_count_unknown_free        (OmniCountUnknown *unknown);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCountSession, omni_count_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniCountLine, omni_count_line_free)

G_END_DECLS
