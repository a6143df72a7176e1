/* omni-db-pg.c: placeholder replaced by the libpq driver */
#include "config.h"
#include "omni-db-pg.h"
#include <libpq-fe.h>
#include <gio/gio.h>

OmniDbPg *_omni_db_pg_open (const char *c, GError **e) { (void)c; g_set_error_literal (e, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "PostgreSQL driver not built yet"); return NULL; }
void _omni_db_pg_close (OmniDbPg *p) { (void)p; }
int _omni_db_pg_prepare (OmniDbPg *p, const char *s, OmniDbPgStmt **o) { (void)p; (void)s; *o = NULL; return SQLITE_ERROR; }
int _omni_db_pg_exec (OmniDbPg *p, const char *s) { (void)p; (void)s; return SQLITE_ERROR; }
const char *_omni_db_pg_errmsg (OmniDbPg *p) { (void)p; return ""; }
int _omni_db_pg_errcode (OmniDbPg *p) { (void)p; return SQLITE_ERROR; }
gint64 _omni_db_pg_changes (OmniDbPg *p) { (void)p; return 0; }
gboolean _omni_db_pg_in_transaction (OmniDbPg *p) { (void)p; return FALSE; }
int _omni_db_pg_bind_int64 (OmniDbPgStmt *s, int i, gint64 v) { (void)s; (void)i; (void)v; return SQLITE_ERROR; }
int _omni_db_pg_bind_double (OmniDbPgStmt *s, int i, double v) { (void)s; (void)i; (void)v; return SQLITE_ERROR; }
int _omni_db_pg_bind_text (OmniDbPgStmt *s, int i, const char *v, int l) { (void)s; (void)i; (void)v; (void)l; return SQLITE_ERROR; }
int _omni_db_pg_bind_blob (OmniDbPgStmt *s, int i, const void *v, int l) { (void)s; (void)i; (void)v; (void)l; return SQLITE_ERROR; }
int _omni_db_pg_bind_null (OmniDbPgStmt *s, int i) { (void)s; (void)i; return SQLITE_ERROR; }
int _omni_db_pg_bind_parameter_count (OmniDbPgStmt *s) { (void)s; return 0; }
int _omni_db_pg_step (OmniDbPgStmt *s) { (void)s; return SQLITE_ERROR; }
int _omni_db_pg_reset (OmniDbPgStmt *s) { (void)s; return SQLITE_OK; }
int _omni_db_pg_clear_bindings (OmniDbPgStmt *s) { (void)s; return SQLITE_OK; }
void _omni_db_pg_finalize (OmniDbPgStmt *s) { (void)s; }
int _omni_db_pg_column_count (OmniDbPgStmt *s) { (void)s; return 0; }
int _omni_db_pg_column_type (OmniDbPgStmt *s, int c) { (void)s; (void)c; return SQLITE_NULL; }
gint64 _omni_db_pg_column_int64 (OmniDbPgStmt *s, int c) { (void)s; (void)c; return 0; }
double _omni_db_pg_column_double (OmniDbPgStmt *s, int c) { (void)s; (void)c; return 0; }
const unsigned char *_omni_db_pg_column_text (OmniDbPgStmt *s, int c) { (void)s; (void)c; return NULL; }
const void *_omni_db_pg_column_blob (OmniDbPgStmt *s, int c) { (void)s; (void)c; return NULL; }
int _omni_db_pg_column_bytes (OmniDbPgStmt *s, int c) { (void)s; (void)c; return 0; }
const char *_omni_db_pg_column_name (OmniDbPgStmt *s, int c) { (void)s; (void)c; return NULL; }
char *_omni_db_pg_rewrite_sql (const char *s, int *n) { *n = 0; return g_strdup (s); }
