/* omni-pq.h: libpq, loaded when the first PostgreSQL store opens
 *
 * Linking libpq loads it and the 20-odd libraries it needs (TLS, Kerberos,
 * LDAP) into every start of the app and the CLI, about 12 ms each, though
 * most shops never open a PostgreSQL store. So libpq's functions are called
 * through _omni_pq, filled by _omni_pq_load() from libpq.so.5 at the first
 * use. Its header still gives the types and the signatures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* Every libpq function the store calls. */
#define OMNI_PQ_FUNCTIONS(F) \
  F (PQclear) F (PQcmdStatus) F (PQcmdTuples) F (PQconnectdbParams) \
  F (PQconnectionNeedsPassword) F (PQconnectionUsedPassword) F (PQconninfoFree) \
  F (PQconninfoParse) F (PQconsumeInput) F (PQenterPipelineMode) F (PQerrorMessage) \
  F (PQescapeIdentifier) F (PQexec) F (PQexecParams) F (PQexecPrepared) \
  F (PQexitPipelineMode) F (PQfinish) F (PQfname) F (PQfreemem) F (PQftype) \
  F (PQgetResult) F (PQgetisnull) F (PQgetlength) F (PQgetvalue) F (PQnfields) \
  F (PQnotifies) F (PQntuples) F (PQpipelineSync) F (PQprepare) F (PQreset) \
  F (PQresultErrorField) F (PQresultErrorMessage) F (PQresultStatus) F (PQsendPrepare) \
  F (PQsendQueryParams) F (PQsendQueryPrepared) F (PQsetNoticeProcessor) F (PQsocket) \
  F (PQstatus) F (PQtransactionStatus) F (PQunescapeBytea)

#define OMNI_PQ_POINTER(name) __typeof__ (name) *name;
typedef struct
{
  OMNI_PQ_FUNCTIONS (OMNI_PQ_POINTER)
} OmniPqFunctions;
#undef OMNI_PQ_POINTER

/* Valid once _omni_pq_load() has returned TRUE, in any thread. */
extern OmniPqFunctions _omni_pq;

gboolean _omni_pq_load (GError **error);

G_END_DECLS
