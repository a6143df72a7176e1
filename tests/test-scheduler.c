/* test-scheduler.c: the Channels page's scheduler, in a real window,
 * against the in-process Shopify mock and the real keyring
 *
 * A network monitor the test controls replaces GNetworkMonitor's default
 * one, and a faster clock makes a "minute" of the sync interval 100 ms
 * (both through omni-channels-page-private.h). Proves: a due channel syncs
 * on a worker while the main loop keeps running; nothing is sent while
 * offline; the missed sync runs and drains the outbox as soon as the
 * network is back; closing the window while a push is in flight loses no
 * outbox entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-scheduler"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "mock-shopify.h"
#include "omni-application.h"
#include "omni-channels-page.h"
#include "omni-channels-page-private.h"
#include "omni-connector.h"
#include "omni-context.h"
#include "omni-notifier.h"
#include "omni-secret.h"
#include "omni-shopify.h"
#include "omni-store-channel.h"
#include "omni-window.h"

#define WAIT_SECONDS 30
#include "test-gui-util.h"
#define TICK_MS      50
#define MINUTE_MS    100      /* sync-interval 5 → due every 500 ms */

static OmniApplication *app;
static gboolean have_keyring;

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)ms * 1000;
  guint ticker = g_timeout_add (10, tick_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
}

/* A network monitor the test switches ----------------------------------- */

typedef struct
{
  GObject  parent_instance;
  gboolean available;
} FakeMonitor;

typedef GObjectClass FakeMonitorClass;

static GType fake_monitor_get_type (void);
static void fake_monitor_network_iface_init (GNetworkMonitorInterface *iface);
static void fake_monitor_initable_iface_init (GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE (FakeMonitor, fake_monitor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                fake_monitor_initable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                fake_monitor_network_iface_init))

enum { PROP_0, PROP_AVAILABLE, PROP_METERED, PROP_CONNECTIVITY };

static void
fake_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FakeMonitor *self = (FakeMonitor *)object;

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fake_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  if (((FakeMonitor *)monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Offline (test)");
  return FALSE;
}

static gboolean
fake_monitor_init_sync (GInitable     *initable,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return TRUE;
}

static void
fake_monitor_network_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = fake_monitor_can_reach;
}

static void
fake_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = fake_monitor_init_sync;
}

static void
fake_monitor_class_init (FakeMonitorClass *klass)
{
  klass->get_property = fake_monitor_get_property;
  g_object_class_override_property (klass, PROP_AVAILABLE, "network-available");
  g_object_class_override_property (klass, PROP_METERED, "network-metered");
  g_object_class_override_property (klass, PROP_CONNECTIVITY, "connectivity");
}

static void
fake_monitor_init (FakeMonitor *self)
{
  self->available = TRUE;
}

static void
fake_monitor_set_available (FakeMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* Fixture --------------------------------------------------------------- */

typedef struct
{
  char         *dir;
  char         *path;
  char         *account;
  char         *token;
  MockShopify  *mock;
  OmniStore    *store;
  OmniContext  *context;
  GSettings    *settings;
  OmniWindow   *window;
  gpointer      window_alive;
  GtkWidget    *page;
  FakeMonitor  *monitor;
  gint64        shop, channel, variant;
} Fixture;

static void
record_send (const char    *id,
             GNotification *notification,
             gpointer       user_data)
{
}

static void
record_withdraw (const char *id,
                 gpointer    user_data)
{
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Wait;

static void
pulled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = omni_connector_pull_finish (OMNI_CONNECTOR (source), result, &w->error);
  w->done = TRUE;
}

static void
pushed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = omni_connector_push_finish (OMNI_CONNECTOR (source), result, &w->error);
  w->done = TRUE;
}

/* A first sync outside the page, so that the channel has links. */
static void
connector_sync (Fixture *f,
                gboolean push)
{
  g_autoptr(OmniChannel) channel = omni_store_get_channel (f->store, f->channel, NULL);
  g_autoptr(OmniConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };

  connector = omni_connector_new_for_channel (f->path, channel, &error);
  g_assert_no_error (error);
  if (push)
    omni_connector_push_async (connector, NULL, pushed_cb, &w);
  else
    omni_connector_pull_async (connector, NULL, pulled_cb, &w);
  wait_for (w.done);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const OmniProductSpec product = { .title = "Scheduled Mug" };
  const OmniVariantSpec variant = { .sku = "SCHED-1", .compare_at_price = -1, .cost = -1,
                                    .reorder_point = -1, .reorder_qty = -1 };

  if (!have_keyring)
    return;
  f->dir = g_dir_make_tmp ("omni-scheduler-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "shop.db", NULL);
  f->account = g_strdup_printf ("sched-%08x.myshopify.com", g_random_int ());
  f->token = g_strdup_printf ("shpat_SCH%08x%08x", g_random_int (), g_random_int ());
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &product, &variant, 1, &f->variant,
                                              &error), >, 0);

  f->mock = mock_shopify_new ();
  mock_shopify_add_location (f->mock, "Shop Floor");
  mock_shopify_add_token (f->mock, f->token);
  mock_shopify_add_variant (f->mock, "SCHED-1", NULL, 12);
  f->channel = omni_shopify_add_channel (f->store, NULL, f->account,
                                         mock_shopify_get_url (f->mock), NULL, f->token, &error);
  g_assert_no_error (error);
  connector_sync (f, FALSE);
  g_assert_cmpint (omni_store_count_links (f->store, f->channel), ==, 1);
  g_assert_cmpint (omni_store_get_available_at (f->store, f->variant, f->shop), ==, 12);

  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  g_settings_set_int (f->settings, "sync-interval", 5);
  f->context = omni_context_new (f->store, f->settings);
  f->window = omni_window_new (GTK_APPLICATION (app), f->context);
  f->window_alive = f->window;
  g_object_add_weak_pointer (G_OBJECT (f->window), &f->window_alive);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  omni_window_set_visible_page (f->window, "channels");
  f->page = omni_window_get_page (f->window, "channels");

  f->monitor = g_object_new (fake_monitor_get_type (), NULL);
  _omni_channels_page_set_network_monitor (OMNI_CHANNELS_PAGE (f->page),
                                           G_NETWORK_MONITOR (f->monitor));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (!have_keyring)
    return;
  omni_secret_clear ("shopify", f->account, NULL, NULL);
  if (f->window_alive != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  /* Let cancelled workers end before the mock and the files go. */
  spin (1000);
  g_clear_object (&f->monitor);
  mock_shopify_free (f->mock);
  g_settings_reset (f->settings, "sync-interval");
  g_clear_object (&f->settings);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  wal = g_strconcat (f->path, "-wal", NULL);
  shm = g_strconcat (f->path, "-shm", NULL);
  g_remove (wal);
  g_remove (shm);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->account);
  g_free (f->token);
}

#define REQUIRE_KEYRING() \
  G_STMT_START { \
    if (!have_keyring) \
      { \
        g_test_skip ("No Secret Service on the session bus: run the suite with " \
                     "build-aux/run-tests.sh (D-Bus session and GNOME Keyring)"); \
        return; \
      } \
  } G_STMT_END

static void
adjust (Fixture *f,
        gint64   delta)
{
  g_autoptr(GError) error = NULL;
  OmniMovementSpec m = { .variant_id = f->variant, .location_id = f->shop,
                         .on_hand_delta = delta, .reason = OMNI_REASON_RECEIVED };

  g_assert_true (omni_store_record_movements (f->store, &m, 1, &error));
  g_assert_no_error (error);
}

static guint
outbox_count (Fixture    *f,
              const char *state)
{
  g_autoptr(GPtrArray) list = omni_store_list_outbox (f->store, f->channel, state, 100, NULL);

  g_assert_nonnull (list);
  return list->len;
}

/* How long the main loop went without running, while it was watched. */
typedef struct
{
  gint64 last;
  gint64 longest;
  guint  ticks;
} Watch;

static gboolean
watch_cb (gpointer data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time ();

  if (w->last > 0)
    w->longest = MAX (w->longest, now - w->last);
  w->last = now;
  w->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Due: the page syncs the channel by itself, on a worker. Every answer of
 * the mock takes 400 ms and is served by this very main loop, so a sync on
 * the main loop could not even finish. */
static void
test_due_channel_syncs (Fixture       *f,
                        gconstpointer  data)
{
  OmniChannelsPage *page;
  Watch watch = { 0 };
  guint before, watcher, started;

  REQUIRE_KEYRING ();
  page = OMNI_CHANNELS_PAGE (f->page);

  /* Not due yet at the normal pace: a minute of interval is a minute. */
  before = mock_shopify_get_stats (f->mock)->requests;
  spin (700);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, ==, before);
  g_assert_false (_omni_channels_page_is_syncing (page, f->channel));

  mock_shopify_set_delay (f->mock, 400);
  adjust (f, 3);
  g_assert_cmpuint (outbox_count (f, "pending"), ==, 1);
  _omni_channels_page_set_clock (page, TICK_MS, MINUTE_MS);
  watcher = g_timeout_add (10, watch_cb, &watch);
  wait_for (_omni_channels_page_is_syncing (page, f->channel));
  watch.longest = 0;
  watch.ticks = 0;
  started = mock_shopify_get_stats (f->mock)->requests;
  wait_for (!_omni_channels_page_is_syncing (page, f->channel));
  g_source_remove (watcher);

  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, >=, before + 3);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 15);
  g_assert_cmpuint (outbox_count (f, "pending"), ==, 0);
  /* While the channel was syncing, this main loop served the mock's
   * answers (each 400 ms late) and ran its timers: the sync was elsewhere.
   * The longest pause depends on the machine's load, so it is only shown. */
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests - started, >=, 3);
  g_assert_cmpuint (watch.ticks, >=, 10);
  g_test_message ("main loop during the sync: %u ticks, longest pause %" G_GINT64_FORMAT " ms",
                  watch.ticks, watch.longest / 1000);

  /* And again one interval later, by itself. */
  before = mock_shopify_get_stats (f->mock)->requests;
  mock_shopify_set_delay (f->mock, 0);
  wait_for (mock_shopify_get_stats (f->mock)->requests > before);
  /* Settled before the window goes: the next sync is an interval away. */
  _omni_channels_page_set_clock (page, 60 * 1000, 60 * 1000);
  wait_for (!_omni_channels_page_is_syncing (page, f->channel));
}

/* Offline: nothing is sent however many intervals pass, and the outbox
 * waits; back online, the missed sync runs at once and drains it. */
static void
test_offline_then_back (Fixture       *f,
                        gconstpointer  data)
{
  OmniChannelsPage *page;
  guint before;

  REQUIRE_KEYRING ();
  page = OMNI_CHANNELS_PAGE (f->page);

  fake_monitor_set_available (f->monitor, FALSE);
  _omni_channels_page_set_clock (page, TICK_MS, MINUTE_MS);
  adjust (f, -4);
  adjust (f, -1);
  g_assert_cmpuint (outbox_count (f, "pending"), ==, 1);
  before = mock_shopify_get_stats (f->mock)->requests;

  spin (2000);    /* four intervals */
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, ==, before);
  g_assert_false (_omni_channels_page_is_syncing (page, f->channel));
  g_assert_cmpuint (outbox_count (f, "pending"), ==, 1);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 12);

  /* Back: the ticker is slowed down so that only the network change can
   * start the sync now. */
  _omni_channels_page_set_clock (page, 60 * 1000, MINUTE_MS);
  spin (600);
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, ==, before);
  fake_monitor_set_available (f->monitor, TRUE);
  g_assert_true (_omni_channels_page_is_syncing (page, f->channel));
  wait_for (!_omni_channels_page_is_syncing (page, f->channel));
  g_assert_cmpuint (mock_shopify_get_stats (f->mock)->requests, >, before);
  /* The two changes went out as one quantity: 12 - 5. */
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 7);
  g_assert_cmpuint (outbox_count (f, "pending"), ==, 0);
  g_assert_cmpuint (outbox_count (f, "done"), ==, 1);
}

static void
close_window_hook (MockShopify *mock,
                   const char  *key,
                   gpointer     user_data)
{
  Fixture *f = user_data;

  /* Shopify applied it; the app goes away before the answer arrives. */
  mock_shopify_set_mutation_hook (mock, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (f->window));
}

/* Closing the window while a push is in flight: the entry is neither lost
 * nor applied twice. It stays "sending" under its lease (or "done" if the
 * answer won the race); once the lease ends it is claimed again with the
 * same operation id, the idempotency key Shopify answers a retry with. */
static void
test_close_mid_sync (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;
  OmniOutboxEntry *entry;
  const MockShopifyFault stall = { .kind = MOCK_SHOPIFY_FAULT_STALL,
                                   .operation = MOCK_SHOPIFY_OP_SET,
                                   .after_apply = TRUE, .param = 3000 };

  REQUIRE_KEYRING ();

  adjust (f, 8);
  /* Shopify applies the push, then its answer is slow to come. */
  mock_shopify_add_fault (f->mock, &stall, 1);
  mock_shopify_set_mutation_hook (f->mock, close_window_hook, f);
  _omni_channels_page_set_clock (OMNI_CHANNELS_PAGE (f->page), TICK_MS, MINUTE_MS);
  wait_for (f->window_alive == NULL);
  spin (800);

  /* Exactly one entry, whatever its state: waiting ones, then done ones. */
  entries = omni_store_list_outbox (f->store, f->channel, NULL, 100, &error);
  g_assert_no_error (error);
  if (entries->len == 0)
    {
      g_ptr_array_unref (entries);
      entries = omni_store_list_outbox (f->store, f->channel, "done", 100, &error);
      g_assert_no_error (error);
    }
  else
    g_assert_cmpuint (outbox_count (f, "done"), ==, 0);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = entries->pdata[0];
  g_test_message ("after closing mid-push the entry is %s", entry->state);
  g_assert_true (g_strcmp0 (entry->state, "sending") == 0 ||
                 g_strcmp0 (entry->state, "done") == 0);
  op_id = g_strdup (entry->op_id);
  g_assert_cmpuint (mock_shopify_applied_count (f->mock, op_id), ==, 1);
  g_assert_cmpint (mock_shopify_get_quantity (f->mock, 0, 0), ==, 20);

  if (g_strcmp0 (entry->state, "sending") == 0)
    {
      /* After the lease (five minutes), the next run takes it again. */
      claimed = omni_store_claim_outbox (f->store, f->channel, 10,
                                         g_get_real_time () + 301 * G_USEC_PER_SEC,
                                         60 * G_USEC_PER_SEC, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (claimed->len, ==, 1);
      g_assert_cmpstr (((OmniOutboxEntry *)claimed->pdata[0])->op_id, ==, op_id);
      g_assert_nonnull (strstr (((OmniOutboxEntry *)claimed->pdata[0])->payload, "\"quantity\":20"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  have_keyring = omni_secret_check_available (NULL, &error);
  if (!have_keyring)
    g_test_message ("Skipping: %s", error->message);
  g_clear_error (&error);
  omni_notifier_set_hooks (record_send, record_withdraw, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/omni/scheduler/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("due-channel-syncs", test_due_channel_syncs);
  ADD ("offline-then-back", test_offline_then_back);
  ADD ("close-mid-sync", test_close_mid_sync);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
