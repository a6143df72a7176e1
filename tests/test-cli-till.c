/* test-cli-till.c: `count scan` and `count set` on a shared store whose
 * server is away are kept in the till journal and sent once it is back
 *
 * The server is "away" while the test renames the store's database (the
 * connection is refused as when the server is down); renamed back, it
 * answers again at the same address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include <libpq-fe.h>

#include "omni-store-count.h"
#include "omni-store-inventory.h"
#include "omni-till-journal.h"
#include "pg-test-server.h"
#include "test-cli-util.h"

typedef struct
{
  Fixture  cli;
  char    *uri;
  char    *name;       /* the database's name */
  char    *journal_dir;
  char    *env_dir;    /* OMNISTOCK_JOURNAL_DIR=… for the CLI */
  gint64   red;        /* MUG-RED: 10 on the shop floor */
  gint64   sand;       /* MUG-SAND: 4 */
} TillFixture;

static void
admin_exec (const char *sql)
{
  PgTestServer *server = pg_test_server_get_shared ();
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%u user=omnistock dbname=postgres",
                                               pg_test_server_get_socket_dir (server),
                                               pg_test_server_get_port (server));
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
}

static void
server_away (TillFixture *f,
             gboolean     away)
{
  g_autofree char *sql = away ? g_strdup_printf ("ALTER DATABASE %s RENAME TO %s_away", f->name,
                                                 f->name)
                              : g_strdup_printf ("ALTER DATABASE %s_away RENAME TO %s", f->name,
                                                 f->name);

  admin_exec (sql);
}

static void
till_set_up (TillFixture   *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = NULL;
  const OmniProductSpec mug = { .title = "Enamel Mug", .option_names = { "Colour" } };
  OmniVariantSpec specs[2] = {
    { .sku = "MUG-RED", .barcode = "4006381333931", .options = { "Red" }, .price = 1800,
      .compare_at_price = -1, .cost = 700, .reorder_point = -1, .reorder_qty = -1 },
    { .sku = "MUG-SAND", .options = { "Sand" }, .price = 1800, .compare_at_price = -1,
      .cost = 700, .reorder_point = -1, .reorder_qty = -1 },
  };
  gint64 ids[2], shop;
  const char *slash;

  fixture_set_up (&f->cli, data);
  f->journal_dir = g_build_filename (f->cli.dir, "journal", NULL);
  f->env_dir = g_strconcat ("OMNISTOCK_JOURNAL_DIR=", f->journal_dir, NULL);
  g_setenv ("OMNISTOCK_JOURNAL_DIR", f->journal_dir, TRUE);

  f->uri = pg_test_server_create_database (pg_test_server_get_shared (), &error);
  g_assert_no_error (error);
  slash = strrchr (f->uri, '/');
  g_assert_nonnull (slash);
  f->name = g_strndup (slash + 1, strcspn (slash + 1, "?"));

  store = omni_store_open (f->uri, &error);
  g_assert_no_error (error);
  shop = omni_store_add_location (store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  omni_store_create_product (store, &mug, specs, 2, ids, &error);
  g_assert_no_error (error);
  f->red = ids[0];
  f->sand = ids[1];
  {
    const OmniMovementSpec movements[] = {
      { .variant_id = f->red, .location_id = shop, .on_hand_delta = 10,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
      { .variant_id = f->sand, .location_id = shop, .on_hand_delta = 4,
        .reason = OMNI_REASON_RECEIVED, .source = "test" },
    };

    g_assert_true (omni_store_record_movements (store, movements, 2, &error));
    g_assert_no_error (error);
  }
}

static void
till_tear_down (TillFixture   *f,
                gconstpointer  data)
{
  fixture_tear_down (&f->cli, data);
  g_free (f->uri);
  g_free (f->name);
  g_free (f->journal_dir);
  g_free (f->env_dir);
}

#define till_cli(f, result, ...) \
  run_cli_env (&(f)->cli, (const char * const[]) { (f)->env_dir, NULL }, (result), \
               (const char * const[]) { "--db", (f)->uri, __VA_ARGS__, NULL })

static gint64
pending (TillFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniTillJournal) journal = omni_till_journal_open (f->uri, &error);

  g_assert_no_error (error);
  return omni_till_journal_count (journal, OMNI_TILL_ENTRY_PENDING);
}

/* Exit 0; the reason it went to the journal is on stderr. */
static void
assert_offline (const CliResult *result)
{
  if (result->status != 0)
    g_error ("omnistock-cli exited with %d: %s", result->status, result->err);
  g_assert_true (g_str_has_prefix (result->err, "omnistock-cli: Cannot connect to the database"));
}

static void
test_count_offline (TillFixture   *f,
                    gconstpointer  data)
{
  g_auto(CliResult) started = { 0 };
  g_auto(CliResult) scan = { 0 };
  g_auto(CliResult) text = { 0 };
  g_auto(CliResult) set = { 0 };
  g_auto(CliResult) listed = { 0 };
  g_auto(CliResult) replay = { 0 };
  g_auto(CliResult) again = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniTillJournal) journal = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(OmniStore) store = NULL;
  g_autoptr(OmniCountLine) red = NULL;
  g_autoptr(OmniCountLine) sand = NULL;
  g_autofree char *session_arg = NULL;
  g_autofree char *expected = NULL;
  JsonArray *entries;
  gint64 session;

  /* Online: the count starts, and this computer notes it. */
  till_cli (f, &started, "--json", "count", "start");
  assert_success (&started);
  object = parse_json_object (started.out);
  session = member_int (object, "session");
  g_clear_pointer (&object, json_object_unref);
  session_arg = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  journal = omni_till_journal_open (f->uri, &error);
  g_assert_no_error (error);
  counts = omni_till_journal_list_counts (journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts->len, ==, 1);
  g_assert_cmpint (((OmniTillCount *)counts->pdata[0])->session_id, ==, session);
  g_assert_cmpstr (((OmniTillCount *)counts->pdata[0])->location, ==, "Shop Floor");

  server_away (f, TRUE);

  till_cli (f, &scan, "--json", "count", "scan", session_arg, "4006381333931", "4");
  assert_offline (&scan);
  object = parse_json_object (scan.out);
  g_assert_true (member_boolean (object, "offline"));
  g_assert_cmpint (member_int (object, "session"), ==, session);
  g_assert_cmpstr (member_string (object, "code"), ==, "4006381333931");
  g_assert_cmpint (member_int (object, "quantity"), ==, 4);
  g_assert_cmpint (member_int (object, "pending"), ==, 1);
  g_assert_true (g_str_has_prefix (member_string (object, "operation"), "till-count:"));
  g_clear_pointer (&object, json_object_unref);

  till_cli (f, &text, "count", "scan", session_arg, "2*MUG-RED");
  assert_offline (&text);
  expected = g_strdup_printf ("Recorded offline: scan of MUG-RED +2 in stock count %"
                              G_GINT64_FORMAT " (operation ", session);
  g_assert_true (g_str_has_prefix (text.out, expected));
  g_assert_nonnull (strstr (text.out, "2 change(s) wait in this computer's till journal"));

  till_cli (f, &set, "--json", "count", "set", session_arg, "MUG-SAND", "3");
  assert_offline (&set);
  object = parse_json_object (set.out);
  g_assert_true (member_boolean (object, "offline"));
  g_assert_cmpint (member_int (object, "counted"), ==, 3);
  g_assert_cmpstr (member_string (object, "code"), ==, "MUG-SAND");
  g_clear_pointer (&object, json_object_unref);
  g_assert_cmpint (pending (f), ==, 3);

  /* Refused input is refused offline too, and nothing is kept. */
  {
    const char * const bad[][6] = {
      { "count", "scan", session_arg, "0*MUG-RED", NULL },
      { "count", "scan", session_arg, "MUG-RED", "0", NULL },
      { "count", "scan", "0", "MUG-RED", NULL },
      { "count", "scan", session_arg, "  ", NULL },
      { "count", "set", session_arg, "MUG-RED", "-1", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(CliResult) refused = { 0 };
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
        g_auto(GStrv) args = NULL;

        g_strv_builder_add_many (builder, "--db", f->uri, NULL);
        g_strv_builder_addv (builder, (const char **)bad[i]);
        args = g_strv_builder_end (builder);
        run_cli_env (&f->cli, (const char * const[]) { f->env_dir, NULL }, &refused,
                     (const char * const *)args);
        g_assert_cmpint (refused.status, !=, 0);
        g_assert_cmpstr (refused.out, ==, "");
      }
  }
  g_assert_cmpint (pending (f), ==, 3);

  till_cli (f, &listed, "--json", "till", "pending");
  assert_success (&listed);
  list = parse_json_object (listed.out);
  entries = json_object_get_array_member (list, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0),
                                                  "kind"), ==, "count-scan");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 0),
                                               "session"), ==, session);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 1),
                                               "delta"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 2),
                                                  "kind"), ==, "count-set");

  server_away (f, FALSE);

  till_cli (f, &replay, "--json", "till", "replay");
  assert_success (&replay);
  object = parse_json_object (replay.out);
  g_assert_cmpint (member_int (object, "applied"), ==, 3);
  g_assert_cmpint (member_int (object, "conflicts"), ==, 0);
  g_assert_cmpint (member_int (object, "pending"), ==, 0);
  g_clear_pointer (&object, json_object_unref);

  till_cli (f, &again, "--json", "till", "replay");
  assert_success (&again);
  object = parse_json_object (again.out);
  g_assert_cmpint (member_int (object, "applied"), ==, 0);
  g_assert_cmpint (member_int (object, "already_there"), ==, 0);

  store = omni_store_open (f->uri, &error);
  g_assert_no_error (error);
  red = omni_store_count_get_line (store, session, f->red, &error);
  g_assert_no_error (error);
  g_assert_cmpint (red->counted, ==, 6);
  g_assert_cmpint (red->expected, ==, 10);
  sand = omni_store_count_get_line (store, session, f->sand, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sand->counted, ==, 3);
  g_assert_cmpint (sand->variance, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-till/count-offline", TillFixture, NULL, till_set_up, test_count_offline,
              till_tear_down);

  return g_test_run ();
}
