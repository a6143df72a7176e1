/* test-unmatched-dialog.c: the Unmatched Variants window, opened from the
 * Sales Channels page of a real window: search, link one by a scanned SKU,
 * import one, import the rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-unmatched-dialog"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "omni-application.h"
#include "omni-context.h"
#include "omni-store-catalog.h"
#include "omni-store-channel.h"
#include "omni-store-remote.h"
#include "omni-unmatched-dialog.h"
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
  gint64       old_shirt;
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

static GtkWidget *
find_named (GtkWidget  *root,
            GType       type,
            const char *name)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (found->pdata[i]), name) == 0)
      return found->pdata[i];
  return NULL;
}

/* The remote rows the dialog lists now. */
static guint
n_remote_rows (GtkWidget *dialog)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n = 0;

  collect (dialog, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (gtk_widget_get_name (rows->pdata[i]), "remote-"))
      n++;
  return n;
}

static GtkWidget *
row_button (GtkWidget  *dialog,
            const char *remote_id,
            const char *action)
{
  GtkWidget *row = find_named (dialog, ADW_TYPE_ACTION_ROW, remote_id);

  g_assert_nonnull (row);
  return find_named (row, GTK_TYPE_BUTTON, action);
}

static GtkSearchEntry *
search_entry (GtkWidget *dialog,
              guint      index)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  collect (dialog, GTK_TYPE_SEARCH_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 2);
  return entries->pdata[index];
}

static OmniUnmatchedDialog *
find_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (OMNI_IS_UNMATCHED_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
save_png (GtkWidget  *window,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                            ? g_getenv ("G_TEST_BUILDDIR") : ".", name, NULL);
  int width, height;

  for (guint i = 0; i < 20; i++)
    {
      g_usleep (10000);
      drain_main_context ();
    }
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
record (Fixture    *f,
        const char *remote_id,
        const char *sku,
        const char *product_title,
        const char *title,
        OmniMoney   price)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *item = g_strdup_printf ("%s-item", remote_id);
  OmniRemoteVariantSpec spec = {
    .channel_id = f->channel, .remote_variant_id = remote_id, .remote_inventory_id = item,
    .remote_product_id = product_title,
    .sku = sku, .product_title = product_title, .title = title, .price = price,
    .currency = "EUR",
  };

  g_assert_true (omni_store_record_remote_variant (f->store, &spec, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const OmniProductSpec shirt = { .title = "Linen Shirt" };
  const OmniVariantSpec variant = {
    .sku = "LS-OLD", .barcode = "4006381333931", .price = 4500, .compare_at_price = -1,
    .cost = -1, .reorder_point = -1, .reorder_qty = -1,
  };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("omnistock-unmatched-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = omni_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni_store_add_location (f->store, "Shop Floor", TRUE, &error), >, 0);
  g_assert_cmpint (omni_store_create_product (f->store, &shirt, &variant, 1, &f->old_shirt, &error),
                   >, 0);
  g_assert_no_error (error);
  f->channel = omni_store_add_channel (f->store, "ebay", "eBay", "fern-seller",
                                       "http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  record (f, "remote-1", "TOTE-1", "Canvas Tote", NULL, 1800);
  record (f, "remote-2", "LS-NEW", "Linen Shirt", "White / M", 4500);
  record (f, "remote-3", "MUG-9", "Stoneware Mug", "Blue", 1250);
  record (f, "remote-4", "MUG-10", "Stoneware Mug", "Green", 1250);

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

static gint64
link_of (Fixture    *f,
         const char *remote_id)
{
  return omni_store_find_variant_for_remote (f->store, f->channel, remote_id);
}

static void
test_link_and_import (Fixture       *f,
                      gconstpointer  data)
{
  OmniUnmatchedDialog *dialog = NULL;
  GtkWidget *button = NULL;
  GtkWidget *w;
  gpointer alive;
  g_autoptr(OmniVariantRow) tote = NULL;
  AdwMessageDialog *confirm = NULL;
  gint64 id;

  /* The channel's row offers the window once a worker has counted. */
  wait_for ((button = find_named (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "unmatched-variants"))
            != NULL && gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                   "4 remote variants match no local variant");
  save_png (GTK_WIDGET (f->window), "unmatched-channels-page.png");
  g_signal_emit_by_name (button, "clicked");
  wait_for ((dialog = find_dialog ()) != NULL);
  w = GTK_WIDGET (dialog);
  alive = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  wait_for (gtk_widget_get_mapped (w));
  wait_for (!omni_unmatched_dialog_is_busy (dialog) && n_remote_rows (w) == 4);
  save_png (w, "unmatched-dialog.png");

  /* Search narrows the list; the ignore buttons are named for assistive
   * technology. */
  gtk_editable_set_text (GTK_EDITABLE (search_entry (w, 0)), "mug");
  wait_for (n_remote_rows (w) == 2 && !omni_unmatched_dialog_is_busy (dialog));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row_button (w, "remote-3", "ignore")), ==, "Ignore");
  gtk_editable_set_text (GTK_EDITABLE (search_entry (w, 0)), "");
  wait_for (n_remote_rows (w) == 4 && !omni_unmatched_dialog_is_busy (dialog));

  /* Link LS-NEW to the local LS-OLD by scanning its barcode on the link
   * page. */
  g_signal_emit_by_name (row_button (w, "remote-2", "link"), "clicked");
  wait_for (gtk_widget_get_mapped (GTK_WIDGET (search_entry (w, 1))));
  gtk_editable_set_text (GTK_EDITABLE (search_entry (w, 1)), "4006381333931");
  g_signal_emit_by_name (search_entry (w, 1), "activate");
  wait_for (link_of (f, "remote-2") != 0 && !omni_unmatched_dialog_is_busy (dialog) &&
            n_remote_rows (w) == 3);
  g_assert_cmpint (link_of (f, "remote-2"), ==, f->old_shirt);
  g_assert_null (find_named (w, ADW_TYPE_ACTION_ROW, "remote-2"));
  g_assert_cmpint (omni_store_count_remote_variants (f->store, f->channel, FALSE), ==, 3);

  /* Import the tote: a new product, linked. */
  g_signal_emit_by_name (row_button (w, "remote-1", "import"), "clicked");
  wait_for (link_of (f, "remote-1") != 0 && !omni_unmatched_dialog_is_busy (dialog) &&
            n_remote_rows (w) == 2);
  id = omni_store_find_variant (f->store, "TOTE-1", NULL);
  g_assert_cmpint (link_of (f, "remote-1"), ==, id);
  tote = omni_store_get_variant (f->store, id, NULL);
  g_assert_cmpstr (tote->title, ==, "Canvas Tote");
  g_assert_cmpint (tote->price, ==, 1800);

  /* Import All, confirmed: both mugs become one product, the list is empty. */
  g_signal_emit_by_name (find_named (w, GTK_TYPE_BUTTON, "import-all"), "clicked");
  wait_for ((confirm = find_message_dialog ()) != NULL);
  adw_message_dialog_response (confirm, "import");
  wait_for (omni_store_count_remote_variants (f->store, f->channel, TRUE) == 0 &&
            !omni_unmatched_dialog_is_busy (dialog) && n_remote_rows (w) == 0);
  g_assert_cmpint (link_of (f, "remote-3"), ==, omni_store_find_variant (f->store, "MUG-9", NULL));
  {
    g_autoptr(OmniVariantRow) mug = omni_store_get_variant (f->store, link_of (f, "remote-4"), NULL);
    g_autoptr(OmniProduct) product = omni_store_get_product (f->store, mug->product_id, NULL);

    g_assert_cmpuint (product->variants->len, ==, 2);
  }

  gtk_window_close (GTK_WINDOW (dialog));
  drain_main_context ();
  wait_for (alive == NULL);
  /* Nothing left unmatched: the page's button is gone after its reload. */
  wait_for ((button = find_named (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "unmatched-variants"))
            != NULL && !gtk_widget_get_visible (button));
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

  g_test_add ("/omni/unmatched-dialog/link-and-import", Fixture, NULL, fixture_set_up,
              test_link_and_import, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
