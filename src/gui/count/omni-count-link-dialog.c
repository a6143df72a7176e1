/* omni-count-link-dialog.c: give an unknown code to a variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A code the scanner read but no variant carries is usually a product that
 * was never given its barcode. The dialog finds the variant and says which
 * one was chosen ("linked"); the page then queues the link behind the scans
 * already waiting, which stores the code as the variant's barcode (when it
 * has none) and adds the scans made of it to the count, in one transaction
 * (omni_store_count_link_code()). The search is an indexed query with a
 * limit, quick enough for the main thread.
 */
#define G_LOG_DOMAIN "omni-count-link-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-count-link-dialog.h"
#include "omni-store-catalog.h"

/* Enough to find a variant by a word of its title; a longer list means the
 * merchant should type more. */
#define RESULT_LIMIT 50

struct _OmniCountLinkDialog
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkSearchEntry  *search_entry;
  GtkLabel        *error_label;
  GtkStack        *results_stack;
  AdwStatusPage   *hint_page;
  GtkListBox      *results_list;

  OmniStore       *store;
  char            *code;
  gint64           scans;
  guint            n_results;
};

G_DEFINE_FINAL_TYPE (OmniCountLinkDialog, omni_count_link_dialog, ADW_TYPE_WINDOW)

enum {
  LINKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (OmniCountLinkDialog *self,
            const char          *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static GtkWidget *
create_row (const OmniVariantRow *variant)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (variant->options != NULL && variant->options[0] != '\0')
    title = g_strdup_printf ("%s — %s", variant->title, variant->options);
  else
    title = g_strdup (variant->title);

  if (variant->barcode != NULL && variant->barcode[0] != '\0')
    /* TRANSLATORS: a search result: its SKU and the barcode it has already */
    subtitle = g_strdup_printf (_("%s · Barcode %s"),
                                variant->sku != NULL ? variant->sku : "", variant->barcode);
  else
    subtitle = g_strdup_printf (_("%s · No barcode yet"), variant->sku != NULL ? variant->sku : "");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "omni-variant", g_memdup2 (&variant->id, sizeof (gint64)),
                          g_free);

  return row;
}

static void
clear_results (OmniCountLinkDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  self->n_results = 0;
}

static void
run_search (OmniCountLinkDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(GError) error = NULL;

  clear_results (self);
  show_error (self, NULL);

  if (text[0] == '\0')
    {
      gtk_stack_set_visible_child_name (self->results_stack, "hint");
      return;
    }

  variants = omni_store_search (self->store, text, RESULT_LIMIT, &error);
  if (variants == NULL)
    {
      show_error (self, error->message);
      gtk_stack_set_visible_child_name (self->results_stack, "none");
      return;
    }

  for (guint i = 0; i < variants->len; i++)
    gtk_list_box_append (self->results_list, create_row (g_ptr_array_index (variants, i)));
  self->n_results = variants->len;

  gtk_stack_set_visible_child_name (self->results_stack, variants->len > 0 ? "results" : "none");
}

static void
search_changed_cb (OmniCountLinkDialog *self)
{
  run_search (self);
}

static void
link_row (OmniCountLinkDialog *self,
          GtkListBoxRow       *row)
{
  const gint64 *variant_id = g_object_get_data (G_OBJECT (row), "omni-variant");
  g_autofree char *title = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  if (variant_id == NULL)
    return;

  g_signal_emit (self, signals[LINKED], 0, *variant_id, title);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
row_activated_cb (OmniCountLinkDialog *self,
                  GtkListBoxRow       *row)
{
  link_row (self, row);
}

/* Enter in the search links the only match: scanning the product's other
 * code (its SKU label, say) and pressing Enter is all it takes. */
static void
search_activate_cb (OmniCountLinkDialog *self)
{
  if (self->n_results == 1)
    link_row (self, gtk_list_box_get_row_at_index (self->results_list, 0));
}

static void
update_texts (OmniCountLinkDialog *self)
{
  g_autofree char *subtitle = g_strdup_printf (_("Code “%s”"), self->code);
  g_autofree char *scans = g_strdup_printf ("%'" G_GINT64_FORMAT, self->scans);
  g_autofree char *description = NULL;

  description = g_strdup_printf (ngettext ("The code becomes the barcode of the product you "
                                           "choose, unless it has one, and its %s scan is "
                                           "added to the count.",
                                           "The code becomes the barcode of the product you "
                                           "choose, unless it has one, and its %s scans are "
                                           "added to the count.",
                                           (gulong) CLAMP (self->scans, 0, G_MAXLONG)),
                                 scans);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  adw_status_page_set_description (self->hint_page, description);
}

static void
omni_count_link_dialog_dispose (GObject *object)
{
  OmniCountLinkDialog *self = OMNI_COUNT_LINK_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_COUNT_LINK_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (omni_count_link_dialog_parent_class)->dispose (object);
}

static void
omni_count_link_dialog_finalize (GObject *object)
{
  OmniCountLinkDialog *self = OMNI_COUNT_LINK_DIALOG (object);

  g_free (self->code);

  G_OBJECT_CLASS (omni_count_link_dialog_parent_class)->finalize (object);
}

static void
omni_count_link_dialog_class_init (OmniCountLinkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_count_link_dialog_dispose;
  object_class->finalize = omni_count_link_dialog_finalize;

  /**
   * OmniCountLinkDialog::linked:
   * @variant_id: the variant the code is to belong to
   * @title: its title and options, as the list showed them
   */
  signals[LINKED] = g_signal_new ("linked",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/count/omni-count-link-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniCountLinkDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OmniCountLinkDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OmniCountLinkDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountLinkDialog, results_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountLinkDialog, hint_page);
  gtk_widget_class_bind_template_child (widget_class, OmniCountLinkDialog, results_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_count_link_dialog_init (OmniCountLinkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * omni_count_link_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @store: the store to search in (the main thread's)
 * @code: the unknown code
 * @scans: how many times it was scanned, to say so
 *
 * Returns: (transfer none): a new dialog, owned by GTK until destroyed
 */
OmniCountLinkDialog *
omni_count_link_dialog_new (GtkWindow  *parent,
                            OmniStore  *store,
                            const char *code,
                            gint64      scans)
{
  OmniCountLinkDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  self = g_object_new (OMNI_TYPE_COUNT_LINK_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->code = g_strdup (code);
  self->scans = scans;
  update_texts (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));

  return self;
}

const char *
omni_count_link_dialog_get_code (OmniCountLinkDialog *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_LINK_DIALOG (self), NULL);

  return self->code;
}

/**
 * omni_count_link_dialog_search:
 * @text: what to search for
 *
 * Types @text into the search and searches at once, without the entry's
 * typing delay.
 */
void
omni_count_link_dialog_search (OmniCountLinkDialog *self,
                               const char          *text)
{
  g_return_if_fail (OMNI_IS_COUNT_LINK_DIALOG (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  run_search (self);
}

guint
omni_count_link_dialog_get_n_results (OmniCountLinkDialog *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_LINK_DIALOG (self), 0);

  return self->n_results;
}

/**
 * omni_count_link_dialog_choose:
 * @index: a result, from 0
 *
 * Links the code to that result, as activating its row does.
 *
 * Returns: %FALSE when there is no such result
 */
gboolean
omni_count_link_dialog_choose (OmniCountLinkDialog *self,
                               guint                index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (OMNI_IS_COUNT_LINK_DIALOG (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->results_list, (int) index);
  if (row == NULL)
    return FALSE;

  g_signal_emit_by_name (self->results_list, "row-activated", row);

  return TRUE;
}
