/* test-faults.c: sync converges under injected faults
 *
 * Each case scripts faults into the mock Shopify server (dropped
 * connections, answers slower than the client waits, 500, 429, THROTTLED,
 * truncated JSON, a wrong Content-Type, userErrors), before or after the
 * request took effect, then syncs until the faults are used up. Afterwards
 * the remote quantities, the local quantities and the ledger must equal a
 * fault-free run of the same work, every pending push must be done, and no
 * change may have been applied twice (counted per idempotency key).
 *
 * Webhooks: a stream of deliveries sent over loopback with duplicates and in
 * shuffled orders must end in the state of the stream delivered once in
 * order, and no delivery may move a level or an order backwards.
 *
 * Needs a Secret Service on the session bus (build-aux/run-tests.sh starts
 * one); without it every case is skipped with a message saying so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "mock-shopify.h"
#include "omni-http.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-store-webhook.h"
#include "omni-webhook-server.h"

#define N_VARIANTS 6

static gboolean have_keyring;

typedef struct
{
  char                 *dir;
  char                 *path;
  char                 *account;
  char                 *token;
  OmniStore            *store;
  MockShopify          *mock;
  gint64                shop;
  gint64                channel;
  GArray               *variants;
  gboolean              done;
  gboolean              ok;
  GError               *error;
} World;

/* What a finished sync leaves behind, to compare runs. */
typedef struct
{
  gint64  remote[N_VARIANTS];
  gint64  local[N_VARIANTS];
  char   *ledger;
  guint   applied;
} Outcome;

#define REQUIRE_KEYRING() \
  G_STMT_START { \
    if (!have_keyring) \
      { \
        g_test_skip ("No Secret Service on the session bus: run the suite with " \
                     "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)"); \
        return; \
      } \
  } G_STMT_END

/* Direct SQL on the database file, for what the app has no API for: reading
 * the ledger as a whole and letting the outbox's retry delay pass. */
static char *
query_text (const char *path,
            const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const unsigned char *text = sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i ? "|" : "", text ? (const char *)text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Shopify ---------------------------------------------------------------- */

static void
world_open (World *w)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());

  w->variants = g_array_new (FALSE, FALSE, sizeof (gint64));
  w->dir = g_dir_make_tmp ("omni-faults-XXXXXX", NULL);
  w->path = g_build_filename (w->dir, "shop.db", NULL);
  w->store = omni_store_open (w->path, &error);
  g_assert_no_error (error);
  w->shop = omni_store_add_location (w->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);

  w->mock = mock_shopify_new ();
  mock_shopify_add_location (w->mock, "Shop Floor");
  w->token = g_strdup_printf ("shpat_FAULTS%s%08x", suffix, g_random_int ());
  mock_shopify_add_token (w->mock, w->token);
  w->account = g_strdup_printf ("faults-%s.myshopify.com", suffix);
  w->channel = omni_store_add_channel (w->store, "shopify", NULL, w->account,
                                       mock_shopify_get_url (w->mock), &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_set_channel_settings (w->store, w->channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_secret_store ("shopify", w->account, "OmniStock test", w->token, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (omni_store_begin (w->store, &error));
  for (guint i = 0; i < N_VARIANTS; i++)
    {
      g_autofree char *sku = g_strdup_printf ("FAULT-%02u", i);
      const OmniProductSpec product = { .title = sku };
      const OmniVariantSpec variant = {
        .sku = sku, .price = 500, .compare_at_price = -1, .cost = -1,
        .reorder_point = -1, .reorder_qty = -1,
      };
      gint64 id = 0;

      g_assert_cmpint (omni_store_create_product (w->store, &product, &variant, 1, &id, &error), >, 0);
      g_array_append_val (w->variants, id);
      mock_shopify_add_variant (w->mock, sku, NULL, (gint64)i + 4);
    }
  g_assert_true (omni_store_commit (w->store, &error));
}

static void
world_close (World *w)
{
  g_autofree char *wal = g_strconcat (w->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (w->path, "-shm", NULL);

  omni_secret_clear ("shopify", w->account, NULL, NULL);
  g_clear_object (&w->store);
  mock_shopify_free (w->mock);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (w->path);
  g_rmdir (w->dir);
  g_free (w->path);
  g_free (w->dir);
  g_free (w->account);
  g_free (w->token);
  g_array_unref (w->variants);
  g_clear_error (&w->error);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  World *w = user_data;

  g_clear_error (&w->error);
  w->ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &w->error);
  w->done = TRUE;
}

/* Runs a pull or push on its worker while this thread serves the mock. */
static gboolean
run (World    *w,
     gboolean  push)
{
  g_autoptr(OmniShopifyConnector) connector = omni_shopify_connector_new (w->path, w->channel);

  omni_shopify_connector_set_retry (connector, 4, 20);
  omni_shopify_connector_set_timeout (connector, 1);
  w->done = FALSE;
  if (push)
    omni_connector_push_async (OMNI_CONNECTOR (connector), NULL, on_done, w);
  else
    omni_connector_pull_async (OMNI_CONNECTOR (connector), NULL, on_done, w);
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
  return w->ok;
}

static void
adjust (World  *w,
        guint   index,
        gint64  delta)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = {
    .variant_id = g_array_index (w->variants, gint64, index), .location_id = w->shop,
    .on_hand_delta = delta, .reason = OMNI_REASON_CORRECTION, .source = "app",
  };

  g_assert_true (omni_store_record_movements (w->store, &m, 1, &error));
  g_assert_no_error (error);
}

/* The same work in every run: local corrections, a sale on the shop, an
 * edit made in Shopify's admin. */
static void
do_work (World *w)
{
  adjust (w, 0, 5);
  adjust (w, 1, -1);
  adjust (w, 2, 3);
  adjust (w, 2, -1);
  mock_shopify_add_order (w->mock, "#1001", 3, 2);
  mock_shopify_set_quantity (w->mock, 4, 0, 40);
}

static guint
count_outbox (World      *w,
              const char *state)
{
  g_autoptr(GPtrArray) list = omni_store_list_outbox (w->store, w->channel, state, 0, NULL);

  return list->len;
}

static void
outcome_take (World   *w,
              Outcome *out)
{
  for (guint i = 0; i < N_VARIANTS; i++)
    {
      out->remote[i] = mock_shopify_get_quantity (w->mock, i, 0);
      out->local[i] = omni_store_get_available_at (w->store, g_array_index (w->variants, gint64, i),
                                                   w->shop);
    }
  out->ledger = query_text (w->path,
                            "SELECT v.sku, m.reason, m.source, SUM (m.on_hand_delta),"
                            " SUM (m.committed_delta), COUNT (*) FROM movements m"
                            " JOIN variants v ON v.id = m.variant_id"
                            " GROUP BY v.sku, m.reason, m.source ORDER BY 1, 2, 3");
  out->applied = mock_shopify_get_stats (w->mock)->applied;
}

/* Every change Shopify applied belongs to exactly one outbox entry, once. */
static void
assert_applied_once (World *w)
{
  g_autoptr(GPtrArray) all = omni_store_list_outbox (w->store, w->channel, NULL, 0, NULL);
  g_autoptr(GPtrArray) done = omni_store_list_outbox (w->store, w->channel, "done", 0, NULL);
  guint sum = 0;

  /* NULL lists every state but "done". */
  g_ptr_array_extend_and_steal (all, g_steal_pointer (&done));

  for (guint i = 0; i < all->len; i++)
    {
      OmniOutboxEntry *e = all->pdata[i];
      guint n = mock_shopify_applied_count (w->mock, e->op_id);

      if (n > 1)
        g_error ("Outbox entry %s was applied %u times", e->op_id, n);
      sum += n;
    }
  g_assert_cmpuint (sum, ==, mock_shopify_get_stats (w->mock)->applied);
}

static void
fault_free_run (Outcome *out)
{
  World w = { 0 };

  world_open (&w);
  g_assert_true (run (&w, FALSE));
  do_work (&w);
  g_assert_true (run (&w, FALSE));
  g_assert_true (run (&w, TRUE));
  g_assert_cmpuint (mock_shopify_faults_served (w.mock), ==, 0);
  outcome_take (&w, out);
  assert_applied_once (&w);
  world_close (&w);
}

typedef struct
{
  const char           *name;
  MockShopifyFaultKind  kind;
  MockShopifyOperation  operation;
  gboolean              after_apply;
  guint                 param;
  const char           *code;
  guint                 times;
} Scenario;

static const Scenario scenarios[] = {
  /* Pull: reading variants, levels and orders fails. */
  { "pull/drop-variants", MOCK_SHOPIFY_FAULT_DROP, MOCK_SHOPIFY_OP_VARIANTS, FALSE, 0, NULL, 2 },
  { "pull/stall-levels", MOCK_SHOPIFY_FAULT_STALL, MOCK_SHOPIFY_OP_LEVELS, FALSE, 2500, NULL, 1 },
  { "pull/500-orders", MOCK_SHOPIFY_FAULT_HTTP_500, MOCK_SHOPIFY_OP_ORDERS, FALSE, 0, NULL, 5 },
  { "pull/429-variants", MOCK_SHOPIFY_FAULT_HTTP_429, MOCK_SHOPIFY_OP_VARIANTS, FALSE, 1, NULL, 1 },
  { "pull/throttled-levels", MOCK_SHOPIFY_FAULT_THROTTLED, MOCK_SHOPIFY_OP_LEVELS, FALSE, 0, NULL, 3 },
  { "pull/truncated-orders", MOCK_SHOPIFY_FAULT_TRUNCATED, MOCK_SHOPIFY_OP_ORDERS, TRUE, 0, NULL, 1 },
  { "pull/truncated-levels", MOCK_SHOPIFY_FAULT_TRUNCATED, MOCK_SHOPIFY_OP_LEVELS, TRUE, 0, NULL, 2 },
  { "pull/wrong-type-variants", MOCK_SHOPIFY_FAULT_WRONG_TYPE, MOCK_SHOPIFY_OP_VARIANTS, FALSE, 0, NULL, 1 },
  { "pull/errors-orders", MOCK_SHOPIFY_FAULT_USER_ERRORS, MOCK_SHOPIFY_OP_ORDERS, FALSE, 0, NULL, 1 },
  /* Push: the mutation is refused, or applied and its answer lost. */
  { "push/drop-before", MOCK_SHOPIFY_FAULT_DROP, MOCK_SHOPIFY_OP_SET, FALSE, 0, NULL, 1 },
  { "push/drop-after", MOCK_SHOPIFY_FAULT_DROP, MOCK_SHOPIFY_OP_SET, TRUE, 0, NULL, 2 },
  { "push/stall-after", MOCK_SHOPIFY_FAULT_STALL, MOCK_SHOPIFY_OP_SET, TRUE, 2500, NULL, 1 },
  { "push/500", MOCK_SHOPIFY_FAULT_HTTP_500, MOCK_SHOPIFY_OP_SET, FALSE, 0, NULL, 5 },
  { "push/429", MOCK_SHOPIFY_FAULT_HTTP_429, MOCK_SHOPIFY_OP_SET, FALSE, 1, NULL, 1 },
  { "push/throttled", MOCK_SHOPIFY_FAULT_THROTTLED, MOCK_SHOPIFY_OP_SET, FALSE, 0, NULL, 2 },
  { "push/truncated-after", MOCK_SHOPIFY_FAULT_TRUNCATED, MOCK_SHOPIFY_OP_SET, TRUE, 0, NULL, 2 },
  { "push/wrong-type-after", MOCK_SHOPIFY_FAULT_WRONG_TYPE, MOCK_SHOPIFY_OP_SET, TRUE, 0, NULL, 1 },
  { "push/user-errors", MOCK_SHOPIFY_FAULT_USER_ERRORS, MOCK_SHOPIFY_OP_SET, FALSE, 0, "INTERNAL_ERROR", 1 },
  { "push/user-errors-transient", MOCK_SHOPIFY_FAULT_USER_ERRORS, MOCK_SHOPIFY_OP_SET, FALSE, 0,
    "IDEMPOTENCY_CONCURRENT_REQUEST", 2 },
};

/* A storm: one of each, on whatever request comes next. */
static const Scenario storm[] = {
  { "drop", MOCK_SHOPIFY_FAULT_DROP, MOCK_SHOPIFY_OP_ANY, TRUE, 0, NULL, 1 },
  { "500", MOCK_SHOPIFY_FAULT_HTTP_500, MOCK_SHOPIFY_OP_ANY, FALSE, 0, NULL, 1 },
  { "truncated", MOCK_SHOPIFY_FAULT_TRUNCATED, MOCK_SHOPIFY_OP_ANY, TRUE, 0, NULL, 1 },
  { "throttled", MOCK_SHOPIFY_FAULT_THROTTLED, MOCK_SHOPIFY_OP_ANY, FALSE, 0, NULL, 1 },
  { "wrong-type", MOCK_SHOPIFY_FAULT_WRONG_TYPE, MOCK_SHOPIFY_OP_ANY, TRUE, 0, NULL, 1 },
  { "429", MOCK_SHOPIFY_FAULT_HTTP_429, MOCK_SHOPIFY_OP_ANY, FALSE, 1, NULL, 1 },
  { "user-errors", MOCK_SHOPIFY_FAULT_USER_ERRORS, MOCK_SHOPIFY_OP_ANY, FALSE, 0, NULL, 1 },
  { "drop-set", MOCK_SHOPIFY_FAULT_DROP, MOCK_SHOPIFY_OP_SET, TRUE, 0, NULL, 1 },
  { "stall", MOCK_SHOPIFY_FAULT_STALL, MOCK_SHOPIFY_OP_ANY, TRUE, 2500, NULL, 1 },
};

static void
add_faults (World          *w,
            const Scenario *list,
            guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      MockShopifyFault fault = {
        .kind = list[i].kind, .operation = list[i].operation,
        .after_apply = list[i].after_apply, .param = list[i].param, .code = list[i].code,
      };

      mock_shopify_add_fault (w->mock, &fault, list[i].times);
    }
}

/* Syncs (time passing between rounds) until the faults are used up and a
 * whole round succeeds with nothing left to send; returns how many rounds
 * failed. A change Shopify refused for good is pushed again only once the
 * next pull sees the difference, so that takes one more round. */
static guint
sync_until_clean (World *w)
{
  guint failed_rounds = 0;

  for (guint round = 0; ; round++)
    {
      guint mutations = mock_shopify_get_stats (w->mock)->mutations;
      gboolean ok;

      g_assert_cmpuint (round, <, 12);
      /* The outbox's retry delay (30 s and up) has passed. */
      exec_sql (w->path, "UPDATE outbox SET next_attempt_at = NULL WHERE state = 'pending'");
      ok = run (w, FALSE);
      ok = run (w, TRUE) && ok;
      if (ok && mock_shopify_pending_faults (w->mock) == 0 &&
          mock_shopify_get_stats (w->mock)->mutations == mutations)
        break;
      failed_rounds += !ok;
    }
  return failed_rounds;
}

static void
check_converged (World         *w,
                 const Outcome *expected)
{
  Outcome got = { 0 };
  guint mutations = mock_shopify_get_stats (w->mock)->mutations;

  /* Converged: one more round sends nothing. */
  g_assert_true (run (w, FALSE));
  g_assert_true (run (w, TRUE));
  g_assert_cmpuint (mock_shopify_get_stats (w->mock)->mutations, ==, mutations);
  g_assert_cmpuint (count_outbox (w, "pending"), ==, 0);
  g_assert_cmpuint (count_outbox (w, "sending"), ==, 0);

  outcome_take (w, &got);
  for (guint i = 0; i < N_VARIANTS; i++)
    {
      g_assert_cmpint (got.remote[i], ==, expected->remote[i]);
      g_assert_cmpint (got.local[i], ==, expected->local[i]);
    }
  g_assert_cmpstr (got.ledger, ==, expected->ledger);
  g_assert_cmpuint (got.applied, ==, expected->applied);
  assert_applied_once (w);
  g_free (got.ledger);
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  Outcome expected = { 0 };
  World w = { 0 };
  guint failed_rounds;

  REQUIRE_KEYRING ();

  fault_free_run (&expected);
  /* The fault-free numbers themselves: corrections pushed, the sale
   * recorded once, the admin edit overwritten by the store's quantity. */
  g_assert_cmpint (expected.local[0], ==, 4 + 5);
  g_assert_cmpint (expected.local[2], ==, 6 + 2);
  g_assert_cmpint (expected.local[3], ==, 7 - 2);
  g_assert_cmpint (expected.remote[0], ==, 9);
  g_assert_cmpint (expected.remote[1], ==, 4);
  g_assert_cmpint (expected.remote[4], ==, 8);
  g_assert_cmpuint (expected.applied, ==, 4);

  world_open (&w);
  g_assert_true (run (&w, FALSE));
  add_faults (&w, scenario, 1);
  do_work (&w);
  failed_rounds = sync_until_clean (&w);
  g_test_message ("%s: %u faults served, %u failed rounds", scenario->name,
                  mock_shopify_faults_served (w.mock), failed_rounds);
  g_assert_cmpuint (mock_shopify_faults_served (w.mock), ==, scenario->times);
  check_converged (&w, &expected);
  world_close (&w);
  g_free (expected.ledger);
}

static void
test_storm (void)
{
  Outcome expected = { 0 };
  World w = { 0 };

  REQUIRE_KEYRING ();

  fault_free_run (&expected);
  world_open (&w);
  g_assert_true (run (&w, FALSE));
  add_faults (&w, storm, G_N_ELEMENTS (storm));
  do_work (&w);
  sync_until_clean (&w);
  g_assert_cmpuint (mock_shopify_faults_served (w.mock), ==, G_N_ELEMENTS (storm));
  check_converged (&w, &expected);
  world_close (&w);
  g_free (expected.ledger);
}

typedef struct
{
  OmniHttp         *http;
  const char       *url;
  GBytes           *body;
  OmniHttpResponse *response;
  GError           *error;
  gboolean          done;
} Request;

static gpointer
request_thread (gpointer data)
{
  Request *r = data;
  const char *headers[] = { "X-Shopify-Access-Token", "shpat_bound", NULL };

  r->response = omni_http_request (r->http, "POST", r->url, headers, "application/json",
                                   r->body, NULL, &r->error);
  g_atomic_int_set (&r->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Sends on a worker while this thread serves the mock. */
static OmniHttpResponse *
request (OmniHttp    *http,
         const char  *url,
         GBytes      *body,
         GError     **error)
{
  Request r = { http, url, body, NULL, NULL, FALSE };
  GThread *thread = g_thread_new ("request", request_thread, &r);

  while (!g_atomic_int_get (&r.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.response;
}

/* A response larger than the client's limit is refused in words, unread. */
static void
test_response_size_bound (void)
{
  g_autoptr(OmniHttp) http = omni_http_new ();
  g_autoptr(OmniHttpResponse) small = NULL;
  g_autoptr(OmniHttpResponse) large = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  static const char text[] = "{\"query\":\"query OmniVariants { x }\",\"variables\":{\"first\":250}}";
  g_autoptr(GBytes) body = g_bytes_new_static (text, sizeof text - 1);
  MockShopify *mock = mock_shopify_new ();

  mock_shopify_add_location (mock, "Shop Floor");
  mock_shopify_add_token (mock, "shpat_bound");
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *sku = g_strdup_printf ("BOUND-%03u", i);
      mock_shopify_add_variant (mock, sku, NULL, 1);
    }
  url = g_strconcat (mock_shopify_get_url (mock), "/admin/api/2026-07/graphql.json", NULL);

  /* Within the limit: read and parsed. */
  omni_http_set_limits (http, 1024 * 1024, 5, 1);
  small = request (http, url, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (small->body), >, 4096);
  g_assert_nonnull (small->json);

  /* Past it: an error naming the limit, no partial body. */
  omni_http_set_limits (http, 4096, 5, 1);
  large = request (http, url, body, &error);
  g_assert_null (large);
  g_assert_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_REMOTE);
  g_assert_nonnull (strstr (error->message, "larger than the 4096 bytes allowed"));
  mock_shopify_free (mock);
}

/* Webhooks --------------------------------------------------------------- */

#define HOOK_SECRET "faults-webhook-secret"
#define HOOK_ITEM   "271878346596884015"
#define HOOK_LOC    "24826418"

typedef struct
{
  const char *topic;
  const char *id;
  char       *body;
} Delivery;

typedef struct
{
  char              *dir;
  char              *path;
  char              *account;
  OmniStore         *store;
  gint64             shop;
  gint64             channel;
  gint64             variant;
  OmniWebhookServer *server;
  SoupSession       *session;
  char              *url;
} Hook;

static void
hook_open (Hook *h)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("%08x", g_random_int ());
  const OmniProductSpec product = { .title = "Hook Tee" };
  const OmniVariantSpec variant = {
    .sku = "HOOK-TEE", .price = 1500, .compare_at_price = -1, .cost = -1,
    .reorder_point = -1, .reorder_qty = -1,
  };
  OmniMovementSpec received = { .on_hand_delta = 50, .reason = OMNI_REASON_RECEIVED, .source = "app" };
  OmniChannelLinkSpec link = {
    .remote_product_id = "gid://shopify/Product/632910392",
    .remote_variant_id = "gid://shopify/ProductVariant/808950810",
    .remote_inventory_id = "gid://shopify/InventoryItem/" HOOK_ITEM, .remote_sku = "HOOK-TEE",
    .linked_by = "sku",
  };

  h->dir = g_dir_make_tmp ("omni-hook-faults-XXXXXX", NULL);
  h->path = g_build_filename (h->dir, "shop.db", NULL);
  h->store = omni_store_open (h->path, &error);
  g_assert_no_error (error);
  h->shop = omni_store_add_location (h->store, "Shop Floor", TRUE, &error);
  g_assert_cmpint (omni_store_create_product (h->store, &product, &variant, 1, &h->variant, &error), >, 0);
  received.variant_id = h->variant;
  received.location_id = h->shop;
  g_assert_true (omni_store_record_movements (h->store, &received, 1, &error));
  h->account = g_strdup_printf ("hook-%s.myshopify.com", suffix);
  h->channel = omni_store_add_channel (h->store, "shopify", "Hook", h->account, NULL, &error);
  g_assert_true (omni_store_set_channel_settings (h->store, h->channel, "{\"auth\":\"token\"}", &error));
  g_assert_true (omni_store_upsert_channel_location (h->store, h->channel, "gid://shopify/Location/" HOOK_LOC,
                                                     "Shop Floor", TRUE, TRUE, &error));
  g_assert_true (omni_store_map_channel_location (h->store, h->channel, "gid://shopify/Location/" HOOK_LOC,
                                                  h->shop, &error));
  link.channel_id = h->channel;
  link.variant_id = h->variant;
  g_assert_true (omni_store_link_variant (h->store, &link, &error));
  g_assert_true (omni_secret_store (OMNI_WEBHOOK_SECRET_PLATFORM, h->account, "OmniStock test",
                                    HOOK_SECRET, NULL, &error));
  g_assert_no_error (error);

  h->session = soup_session_new ();
  h->server = omni_webhook_server_new (h->path);
  g_assert_true (omni_webhook_server_start (h->server, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  h->url = omni_webhook_server_get_url (h->server);
}

static void
hook_close (Hook *h)
{
  g_autofree char *wal = g_strconcat (h->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (h->path, "-shm", NULL);

  omni_webhook_server_stop (h->server);
  g_clear_object (&h->server);
  g_clear_object (&h->session);
  omni_secret_clear (OMNI_WEBHOOK_SECRET_PLATFORM, h->account, NULL, NULL);
  g_clear_object (&h->store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (h->path);
  g_rmdir (h->dir);
  g_free (h->path);
  g_free (h->dir);
  g_free (h->account);
  g_free (h->url);
}

static guint
hook_post (Hook           *h,
           const Delivery *d)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", h->url);
  g_autoptr(GBytes) body = g_bytes_new_static (d->body, strlen (d->body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hmac = omni_webhook_sign (HOOK_SECRET, (const guint8 *)d->body, strlen (d->body));
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "X-Shopify-Hmac-Sha256", hmac);
  soup_message_headers_replace (headers, "X-Shopify-Shop-Domain", h->account);
  soup_message_headers_replace (headers, "X-Shopify-Topic", d->topic);
  soup_message_headers_replace (headers, "X-Shopify-Event-Id", d->id);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (h->session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static char *
level_body (gint64      available,
            const char *updated_at)
{
  return g_strdup_printf ("{\"inventory_item_id\":%s,\"location_id\":%s,\"available\":%" G_GINT64_FORMAT
                          ",\"updated_at\":\"%s\",\"admin_graphql_api_id\":"
                          "\"gid://shopify/InventoryLevel/%s?inventory_item_id=%s\"}",
                          HOOK_ITEM, HOOK_LOC, available, updated_at, HOOK_LOC, HOOK_ITEM);
}

static char *
order_body (guint       number,
            gint64      quantity,
            const char *cancelled_at)
{
  return g_strdup_printf ("{\"id\":%u,\"admin_graphql_api_id\":\"gid://shopify/Order/%u\","
                          "\"name\":\"#%u\",\"currency\":\"EUR\",\"created_at\":"
                          "\"2026-11-20T10:00:00+01:00\",\"cancelled_at\":%s%s%s,"
                          "\"line_items\":[{\"id\":%u1,\"variant_id\":808950810,\"sku\":\"HOOK-TEE\","
                          "\"name\":\"Hook Tee\",\"quantity\":%" G_GINT64_FORMAT "}]}",
                          number, number, number,
                          cancelled_at ? "\"" : "", cancelled_at ? cancelled_at : "null",
                          cancelled_at ? "\"" : "", number, quantity);
}

/* A day of deliveries: three orders (one cancelled), level updates. */
static GPtrArray *
make_stream (void)
{
  GPtrArray *stream = g_ptr_array_new ();
  static Delivery d[] = {
    { "orders/create", "ev-o1", NULL },
    { "inventory_levels/update", "ev-l1", NULL },
    { "orders/create", "ev-o2", NULL },
    { "inventory_levels/update", "ev-l2", NULL },
    { "orders/cancelled", "ev-o2c", NULL },
    { "orders/create", "ev-o3", NULL },
    { "inventory_levels/update", "ev-l3", NULL },
    { "orders/updated", "ev-o1u", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (d); i++)
    g_clear_pointer (&d[i].body, g_free);
  d[0].body = order_body (1001, 2, NULL);
  d[1].body = level_body (47, "2026-11-20T10:00:01Z");
  d[2].body = order_body (1002, 3, NULL);
  d[3].body = level_body (44, "2026-11-20T10:05:00Z");
  d[4].body = order_body (1002, 3, "2026-11-20T10:07:00+01:00");
  d[5].body = order_body (1003, 1, NULL);
  d[6].body = level_body (46, "2026-11-20T10:09:00Z");
  d[7].body = order_body (1001, 2, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (d); i++)
    g_ptr_array_add (stream, &d[i]);
  return stream;
}

static char *
hook_state (Hook *h)
{
  /* A cancellation that arrives before its order leaves no order row and
   * no movements, one that arrives after leaves both (sold, then returned):
   * the same stock either way, so compare the net ledger and open orders. */
  g_autofree char *ledger = query_text (h->path, "SELECT SUM (on_hand_delta) FROM movements");
  g_autofree char *orders = query_text (h->path,
                                        "SELECT o.remote_id, SUM (l.quantity) FROM orders o"
                                        " JOIN order_lines l ON l.order_id = o.id"
                                        " WHERE o.status <> 'cancelled'"
                                        " GROUP BY o.id ORDER BY o.remote_id");
  gint64 remote = -1;

  omni_store_get_remote_level (h->store, h->channel, h->variant, "gid://shopify/Location/" HOOK_LOC,
                               &remote);
  return g_strdup_printf ("available %" G_GINT64_FORMAT ", remote %" G_GINT64_FORMAT "\n%s%s",
                          omni_store_get_available_at (h->store, h->variant, h->shop), remote,
                          ledger, orders);
}

static void
test_webhooks_duplicated_reordered (void)
{
  g_autoptr(GPtrArray) stream = NULL;
  g_autofree char *expected = NULL;

  REQUIRE_KEYRING ();

  stream = make_stream ();
  {
    Hook h = { 0 };

    hook_open (&h);
    for (guint i = 0; i < stream->len; i++)
      g_assert_cmpuint (hook_post (&h, stream->pdata[i]), ==, 200);
    g_assert_true (omni_webhook_server_wait_idle (h.server, 10000));
    expected = hook_state (&h);
    hook_close (&h);
  }
  /* In order, once: 50 − 2 (#1001) − 1 (#1003); #1002 sold and reversed;
   * the newest level (46) recorded. */
  g_assert_true (g_str_has_prefix (expected, "available 47, remote 46\n"));
  g_test_message ("in order: %s", expected);

  for (guint seed = 1; seed <= 8; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) shuffled = g_ptr_array_new ();
      g_autofree char *got = NULL;
      Hook h = { 0 };
      gint64 newest_level_seen = -1;

      /* Every delivery one to three times, all shuffled. */
      for (guint i = 0; i < stream->len; i++)
        for (guint n = g_rand_int_range (rand, 1, 4); n > 0; n--)
          g_ptr_array_add (shuffled, stream->pdata[i]);
      for (guint i = shuffled->len - 1; i > 0; i--)
        {
          guint j = g_rand_int_range (rand, 0, (gint32)i + 1);
          gpointer t = shuffled->pdata[i];

          shuffled->pdata[i] = shuffled->pdata[j];
          shuffled->pdata[j] = t;
        }

      hook_open (&h);
      for (guint i = 0; i < shuffled->len; i++)
        {
          const Delivery *d = shuffled->pdata[i];
          gint64 remote = -1;

          g_assert_cmpuint (hook_post (&h, d), ==, 200);
          g_assert_true (omni_webhook_server_wait_idle (h.server, 10000));

          /* Never backwards: the recorded level only moves to newer ones. */
          if (omni_store_get_remote_level (h.store, h.channel, h.variant,
                                           "gid://shopify/Location/" HOOK_LOC, &remote))
            {
              gint64 rank = remote == 47 ? 1 : remote == 44 ? 2 : remote == 46 ? 3 : 0;

              g_assert_cmpint (rank, >, 0);
              g_assert_cmpint (rank, >=, newest_level_seen);
              newest_level_seen = rank;
            }
        }
      got = hook_state (&h);
      if (g_strcmp0 (got, expected) != 0)
        g_error ("seed %u: %u deliveries ended in\n%s\nnot\n%s", seed, shuffled->len, got, expected);

      /* Each event id stored once, whatever the repeats. */
      {
        g_autofree char *events = query_text (h.path, "SELECT COUNT (*), COUNT (DISTINCT event_id)"
                                                      " FROM webhook_events");
        g_assert_cmpstr (events, ==, "8|8\n");
      }
      hook_close (&h);
    }

  for (guint i = 0; i < stream->len; i++)
    g_clear_pointer (&((Delivery *)stream->pdata[i])->body, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping the keyring cases: %s", error->message);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strconcat ("/omni/faults/", scenarios[i].name, NULL);
      g_test_add_data_func (path, &scenarios[i], test_scenario);
    }
  g_test_add_func ("/omni/faults/storm", test_storm);
  g_test_add_func ("/omni/faults/response-size-bound", test_response_size_bound);
  g_test_add_func ("/omni/faults/webhooks-duplicated-reordered", test_webhooks_duplicated_reordered);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
