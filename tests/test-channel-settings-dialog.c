/* test-channel-settings-dialog.c: a channel's settings dialog and its live
 * preview, opened from the Sales Channels page of a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-channel-settings-dialog"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "omni-application.h"
#include "omni-channel-settings.h"
#include "omni-channel-settings-dialog.h"
#include "omni-context.h"
#include "omni-store-channel.h"
#include "omni-store-inventory.h"
#include "omni-window.h"

#define WAIT_SECONDS 60
#include "test-gui-util.h"

static OmniApplication *app;

typedef struct
{
  char        *dir;
  char        *path;
  OmniStore   *store;
  GSettings   *settings;
  OmniContext *context;
  OmniWindow  *window;
  gint64       shop;
  gint64       cellar;
  gint64       tee;
  gint64       channel;
} Fixture;

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

/* The spin button at the end of the row titled @title. */
static GtkSpinButton *
find_spin (GtkWidget  *root,
           const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      {
        g_autoptr(GPtrArray) spins = g_ptr_array_new ();

        collect (rows->pdata[i], GTK_TYPE_SPIN_BUTTON, spins);
        g_assert_cmpuint (spins->len, ==, 1);
        return spins->pdata[0];
      }
  g_error ("No row titled “%s”", title);
  return NULL;
}

static GtkCheckButton *
find_location_check (GtkWidget  *root,
                     const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      {
        g_autoptr(GPtrArray) checks = g_ptr_array_new ();

        collect (rows->pdata[i], GTK_TYPE_CHECK_BUTTON, checks);
        g_assert_cmpuint (checks->len, ==, 1);
        return checks->pdata[0];
      }
  g_error ("No location row titled “%s”", title);
  return NULL;
}

static GtkWidget *
find_button_by_tooltip (GtkWidget  *root,
                        const char *tooltip)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), tooltip) == 0)
      return buttons->pdata[i];
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
      return buttons->pdata[i];
  g_error ("No button labelled “%s”", label);
  return NULL;
}

/* Whether the preview's column view shows a cell reading @text. */
static gboolean
preview_shows (GtkWidget  *dialog,
               const char *text)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (dialog, GTK_TYPE_COLUMN_VIEW, views);
  g_assert_cmpuint (views->len, ==, 1);
  collect (views->pdata[0], GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

static OmniChannelSettingsDialog *
find_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (OMNI_IS_CHANNEL_SETTINGS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gint64
preview_listed (OmniChannelSettingsDialog *dialog)
{
  GListModel *preview = omni_channel_settings_dialog_get_preview (dialog);
  g_autoptr(OmniChannelPreviewItem) item = NULL;

  if (g_list_model_get_n_items (preview) != 1)
    return -1;
  item = g_list_model_get_item (preview, 0);
  return omni_channel_preview_item_get_listed (item);
}

static gint64
preview_available (OmniChannelSettingsDialog *dialog)
{
  GListModel *preview = omni_channel_settings_dialog_get_preview (dialog);
  g_autoptr(OmniChannelPreviewItem) item = g_list_model_get_item (preview, 0);

  return omni_channel_preview_item_get_available (item);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec tee = { .title = "Organic Tee", .option_names = { "Size" } };
  const OmniVariantSpec sizes[] = {
    { .sku = "TEE-S", .options = { "S" }, .price = 2500, .compare_at_price = -1,
      .cost = 1000, .reorder_point = -1, .reorder_qty = -1 },
  };
  const OmniChannelLinkSpec link_template = {
    .remote_variant_id = "TEE-S", .remote_inventory_id = "TEE-S", .remote_sku = "TEE-S",
    .linked_by = "sku",
  };
  OmniChannelLinkSpec link = link_template;
  OmniMovementSpec moves[] = {
    { .location_id = 0, .on_hand_delta = 10, .reason = OMNI_REASON_RECEIVED },
    { .location_id = 0, .on_hand_delta = 5, .reason = OMNI_REASON_RECEIVED },
  };
  g_autoptr(GError) error = NULL;
  gint64 ids[1] = { 0 };

  f->dir = g_dir_make_tmp ("omnistock-channel-settings-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);

  f->shop = omni_store_add_location (f->store, "Shop Floor", TRUE, &error);
  f->cellar = omni_store_add_location (f->store, "Cellar & Yard", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_create_product (f->store, &tee, sizes, 1, ids, &error), >, 0);
  g_assert_no_error (error);
  f->tee = ids[0];
  moves[0].variant_id = moves[1].variant_id = f->tee;
  moves[0].location_id = f->shop;
  moves[1].location_id = f->cellar;
  g_assert_true (omni_store_record_movements (f->store, moves, 2, &error));
  g_assert_no_error (error);

  f->channel = omni_store_add_channel (f->store, "ebay", "eBay", "fern-seller",
                                       "http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_true (omni_store_upsert_channel_location (f->store, f->channel, "DEFAULT",
                                                     "eBay listings", TRUE, TRUE, &error));
  g_assert_no_error (error);
  link.channel_id = f->channel;
  link.variant_id = f->tee;
  g_assert_true (omni_store_link_variant (f->store, &link, &error));
  g_assert_no_error (error);

  f->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);
  f->context = omni_context_new (f->store, f->settings);
  f->window = g_object_ref (omni_window_new (GTK_APPLICATION (app), f->context));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-page",
                                  g_variant_new_string ("channels"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_usleep (G_USEC_PER_SEC / 10);
  drain_main_context ();
  gtk_window_destroy (GTK_WINDOW (f->window));
  drain_main_context ();
  g_assert_finalize_object (f->window);
  g_assert_finalize_object (f->context);
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static OmniChannelSettingsDialog *
open_dialog (Fixture *f)
{
  OmniChannelSettingsDialog *dialog = NULL;
  GtkWidget *button = NULL;

  wait_for ((button = find_button_by_tooltip (GTK_WIDGET (f->window), "Channel Settings")) != NULL);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  wait_for ((dialog = find_dialog ()) != NULL);
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  wait_for (!omni_channel_settings_dialog_is_busy (dialog) && preview_listed (dialog) >= 0);
  return dialog;
}

static void
test_preview_follows_edits (Fixture       *f,
                            gconstpointer  data)
{
  OmniChannelSettingsDialog *dialog = open_dialog (f);
  gpointer alive = dialog;
  g_auto(OmniChannelSettings) saved = { 0 };
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;

  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "eBay Settings");
  /* The mapped location alone: 10 at the Shop Floor, listed as is. */
  g_assert_cmpint (preview_available (dialog), ==, 10);
  g_assert_cmpint (preview_listed (dialog), ==, 10);
  wait_for (preview_shows (GTK_WIDGET (dialog), "TEE-S"));

  /* A buffer of 3: the row shows 7, nothing is saved yet. */
  gtk_spin_button_set_value (find_spin (GTK_WIDGET (dialog), "Buffer"), 3);
  wait_for (preview_listed (dialog) == 7 && !omni_channel_settings_dialog_is_busy (dialog));
  wait_for (preview_shows (GTK_WIDGET (dialog), "7"));
  g_assert_true (omni_store_load_channel_settings (f->store, f->channel, &saved, &error));
  g_assert_cmpint (saved.buffer, ==, 0);
  omni_channel_settings_clear (&saved);

  /* The Cellar feeds the channel too: (10 + 5) − 3. */
  gtk_check_button_set_active (find_location_check (GTK_WIDGET (dialog), "Shop Floor"), TRUE);
  gtk_check_button_set_active (find_location_check (GTK_WIDGET (dialog), "Cellar & Yard"), TRUE);
  wait_for (preview_listed (dialog) == 12 && !omni_channel_settings_dialog_is_busy (dialog));
  g_assert_cmpint (preview_available (dialog), ==, 15);
  wait_for (preview_shows (GTK_WIDGET (dialog), "15") && preview_shows (GTK_WIDGET (dialog), "12"));

  /* Half of it, rounded down. */
  gtk_spin_button_set_value (find_spin (GTK_WIDGET (dialog), "Percentage"), 50);
  wait_for (preview_listed (dialog) == 6 && !omni_channel_settings_dialog_is_busy (dialog));

  /* Saved: the store has it, a push of the linked variant is queued, the
   * dialog closes. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), "_Save"), "clicked");
  wait_for (alive == NULL || !gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (omni_store_load_channel_settings (f->store, f->channel, &saved, &error));
  g_assert_no_error (error);
  g_assert_cmpint (saved.buffer, ==, 3);
  g_assert_cmpint (saved.percent, ==, 50);
  g_assert_cmpuint (saved.locations->len, ==, 2);
  g_assert_cmpint (g_array_index (saved.locations, gint64, 0), ==, f->shop);
  g_assert_cmpint (g_array_index (saved.locations, gint64, 1), ==, f->cellar);
  pending = omni_store_list_outbox (f->store, f->channel, "pending", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  if (alive != NULL)
    g_object_remove_weak_pointer (G_OBJECT (dialog), &alive);
}

static void
test_pause_shows_on_page (Fixture       *f,
                          gconstpointer  data)
{
  OmniChannelSettingsDialog *dialog = open_dialog (f);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(OmniChannel) channel = NULL;
  GtkWidget *sync = NULL;
  gboolean found = FALSE;

  collect (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), "Paused") == 0)
      {
        g_autoptr(GPtrArray) switches = g_ptr_array_new ();

        collect (rows->pdata[i], GTK_TYPE_SWITCH, switches);
        g_assert_cmpuint (switches->len, ==, 1);
        gtk_switch_set_active (switches->pdata[0], TRUE);
        found = TRUE;
      }
  g_assert_true (found);
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), "_Save"), "clicked");
  wait_for (find_dialog () == NULL);

  channel = omni_store_get_channel (f->store, f->channel, NULL);
  g_assert_true (channel->paused);
  g_assert_cmpstr (channel->state, ==, "paused");
  /* The page reloads: the row says paused and Sync Now is off. */
  wait_for ((sync = find_button (GTK_WIDGET (f->window), "_Sync Now")) != NULL &&
            !gtk_widget_is_sensitive (sync));
  {
    g_autoptr(GPtrArray) page_rows = g_ptr_array_new ();
    gboolean said = FALSE;

    collect (GTK_WIDGET (f->window), ADW_TYPE_ACTION_ROW, page_rows);
    for (guint i = 0; i < page_rows->len; i++)
      {
        const char *subtitle = adw_action_row_get_subtitle (page_rows->pdata[i]);

        said |= subtitle != NULL && g_str_has_prefix (subtitle, "Paused");
      }
    g_assert_true (said);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = omni_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/omni/channel-settings-dialog/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("preview-follows-edits", test_preview_follows_edits);
  ADD ("pause-shows-on-page", test_pause_shows_on_page);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
