/* omni-product-editor.c: the window that creates and edits a product
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A modal window over the main one. For a new product the variants are the
 * matrix of the option values, regenerated as the merchant types them (rows
 * already filled in keep what was typed); for a stored product the options'
 * number is fixed, its variants are listed for editing and more can be
 * added. Every change is checked at once: a field that is refused gets the
 * "error" style and the reason under it, and Save stays disabled until the
 * form is acceptable. Closing with unsaved changes asks first.
 *
 * Reads here are one product's worth, so they use the context's store on
 * the main thread; the SKU check is an indexed lookup per SKU, remembered
 * for as long as the window is open. Saving writes on a worker thread
 * (omni-product-editor-save.c); the form is insensitive meanwhile.
 */
#define G_LOG_DOMAIN "omni-product-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "omni-adjust-dialog.h"
#include "omni-product-editor-private.h"
#include "omni-store-catalog.h"
#include "omni-text.h"

G_DEFINE_FINAL_TYPE (OmniProductEditor, omni_product_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void validate (OmniProductEditor *self);

char *
_omni_product_editor_dup_description (OmniProductEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Product fields ------------------------------------------------------------ */

static char *
check_product_field (OmniProductEditor *self,
                     ProductField       field,
                     const char        *text)
{
  gsize max = field == PRODUCT_FIELD_TAGS ? 4096 : OMNI_TEXT_MAX_LINE;

  if (field == PRODUCT_FIELD_TITLE && *text == '\0')
    return g_strdup (_("Enter a title"));
  if (strlen (text) > max)
    return g_strdup_printf (_("This is too long: at most %u bytes"), (guint) max);
  return NULL;
}

static gboolean
validate_product (OmniProductEditor *self)
{
  g_autofree char *description = _omni_product_editor_dup_description (self);
  gboolean valid = TRUE;

  for (ProductField field = 0; field < N_PRODUCT_FIELDS; field++)
    {
      g_autofree char *message = NULL;

      g_free (self->texts[field]);
      self->texts[field] = g_strstrip (g_strdup (entry_text (self->entries[field])));
      message = check_product_field (self, field, self->texts[field]);
      valid &= message == NULL;

      /* An empty title is not an error before the merchant has typed one. */
      if (field == PRODUCT_FIELD_TITLE && !self->title_touched)
        g_clear_pointer (&message, g_free);
      omni_error_row_set_message (self->errors[field], message);
    }

  if (strlen (description) > OMNI_TEXT_MAX_BODY)
    {
      g_autofree char *message =
        g_strdup_printf (_("The description is too long: at most %u bytes"),
                         (guint) OMNI_TEXT_MAX_BODY);

      gtk_label_set_label (self->general_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->general_group), TRUE);
      valid = FALSE;
    }
  return valid;
}

/* Variants ------------------------------------------------------------------ */

static void
row_changed_cb (OmniProductEditor *self)
{
  validate (self);
}

static void
append_row (OmniProductEditor    *self,
            OmniVariantEditorRow *row)
{
  g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->variants_group, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, row);
}

/* Every combination of the option values, the first option outermost. */
static GPtrArray *
option_combinations (OmniProductOptionsGroup *options)
{
  guint n_options = omni_product_options_group_get_n_options (options);
  GPtrArray *combos = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_ptr_array_add (combos, g_new0 (char *, 4));
  for (guint i = 0; i < n_options; i++)
    {
      g_auto(GStrv) values = omni_product_options_group_get_values (options, i);
      GPtrArray *next = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      for (guint c = 0; c < combos->len; c++)
        for (guint v = 0; values[v] != NULL; v++)
          {
            GStrv combo = g_strdupv (g_ptr_array_index (combos, c));

            combo = g_renew (char *, combo, 4);
            combo[i] = g_strdup (values[v]);
            combo[i + 1] = NULL;
            g_ptr_array_add (next, combo);
          }
      g_ptr_array_unref (combos);
      combos = next;
    }
  return combos;
}

static char *
combination_key (const char * const *combo)
{
  g_autoptr(GString) key = g_string_new (NULL);

  for (guint i = 0; combo[i] != NULL; i++)
    {
      g_autofree char *folded = g_utf8_casefold (combo[i], -1);

      g_string_append (key, folded);
      g_string_append_c (key, '\x1f');
    }
  return g_string_free (g_steal_pointer (&key), FALSE);
}

/* Whether the rows are the combinations already, in order. */
static gboolean
rows_match (OmniProductEditor *self,
            GPtrArray         *combos)
{
  if (combos->len != self->rows->len)
    return FALSE;

  for (guint i = 0; i < combos->len; i++)
    {
      g_autofree char *wanted = combination_key (g_ptr_array_index (combos, i));
      g_autofree char *key = omni_variant_editor_row_dup_option_key (g_ptr_array_index (self->rows,
                                                                                         i));

      if (!g_str_equal (wanted, key))
        return FALSE;
      omni_variant_editor_row_set_option_values (g_ptr_array_index (self->rows, i),
                                                 g_ptr_array_index (combos, i));
    }
  return TRUE;
}

/* A new product: one row per combination, keeping the rows already there
 * (and what was typed into them). */
static void
regenerate_matrix (OmniProductEditor *self)
{
  const char * const *names = omni_product_options_group_get_names (self->options_group);
  g_autoptr(GPtrArray) combos = option_combinations (self->options_group);
  g_autoptr(GHashTable) old = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (rows_match (self, combos))
    return;

  old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->rows->len; i++)
    {
      OmniVariantEditorRow *row = g_ptr_array_index (self->rows, i);

      g_hash_table_insert (old, omni_variant_editor_row_dup_option_key (row),
                           g_object_ref (row));
      adw_preferences_group_remove (self->variants_group, GTK_WIDGET (row));
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint c = 0; c < combos->len; c++)
    {
      const char * const *combo = g_ptr_array_index (combos, c);
      g_autofree char *key = NULL;
      OmniVariantEditorRow *row;
      gpointer stolen_key, stolen_row;

      key = combination_key (combo);
      if (g_hash_table_steal_extended (old, key, &stolen_key, &stolen_row))
        {
          g_free (stolen_key);
          row = stolen_row;
          g_signal_handlers_disconnect_by_data (row, self);
        }
      else
        {
          row = OMNI_VARIANT_EDITOR_ROW (omni_variant_editor_row_new (self->currency, names,
                                                                      FALSE));
          g_object_ref_sink (row);
        }
      omni_variant_editor_row_set_option_values (row, combo);
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i < rows->len; i++)
    append_row (self, g_ptr_array_index (rows, i));
}

static gboolean
sku_taken (OmniProductEditor    *self,
           OmniVariantEditorRow *row,
           const char           *sku)
{
  OmniStore *store = omni_context_get_store (self->context);
  gint64 *owner = g_hash_table_lookup (self->sku_owners, sku);

  if (owner == NULL)
    {
      gint64 id = omni_store_find_variant (store, sku, NULL);
      g_autoptr(OmniVariantRow) found = id > 0 ? omni_store_get_variant (store, id, NULL) : NULL;

      /* omni_store_find_variant() also finds barcodes: only a SKU counts. */
      owner = g_new (gint64, 1);
      *owner = found != NULL && g_strcmp0 (found->sku, sku) == 0 ? id : 0;
      g_hash_table_insert (self->sku_owners, g_strdup (sku), owner);
    }

  if (*owner == 0 || *owner == omni_variant_editor_row_get_variant_id (row))
    return FALSE;

  /* A variant of this product that is giving the SKU up in this edit. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      OmniVariantEditorRow *other = g_ptr_array_index (self->rows, i);

      if (omni_variant_editor_row_get_variant_id (other) == *owner)
        return g_strcmp0 (omni_variant_editor_row_get_sku (other), sku) == 0;
    }
  return TRUE;
}

static gboolean
validate_variant (OmniProductEditor    *self,
                  OmniVariantEditorRow *row,
                  GHashTable           *skus,
                  GHashTable           *keys)
{
  gboolean valid = omni_variant_editor_row_validate (row);
  const char *sku = omni_variant_editor_row_get_sku (row);
  g_autofree char *key = omni_variant_editor_row_dup_option_key (row);
  g_autofree char *message = NULL;

  if (*sku != '\0' && omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_SKU) == NULL)
    {
      if (!g_hash_table_add (skus, (gpointer) sku))
        message = g_strdup (_("Another variant of this product has this SKU"));
      else if (sku_taken (self, row, sku))
        message = g_strdup_printf (_("SKU “%s” is already used by another active variant"), sku);
      omni_variant_editor_row_set_error (row, OMNI_VARIANT_FIELD_SKU, message);
    }

  if (!g_hash_table_add (keys, g_steal_pointer (&key)) &&
      omni_variant_editor_row_get_entry (row, OMNI_VARIANT_FIELD_OPTION1) != NULL &&
      omni_variant_editor_row_get_error (row, OMNI_VARIANT_FIELD_OPTION1) == NULL)
    {
      omni_variant_editor_row_set_error (row, OMNI_VARIANT_FIELD_OPTION1,
                                         _("Another variant has these option values"));
      valid = FALSE;
    }

  return valid && message == NULL;
}

static gboolean
validate_variants (OmniProductEditor *self)
{
  g_autoptr(GHashTable) skus = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean valid = TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    valid &= validate_variant (self, g_ptr_array_index (self->rows, i), skus, keys);
  return valid;
}

/* Checking the whole form ----------------------------------------------------- */

static void
validate (OmniProductEditor *self)
{
  gboolean valid;

  gtk_widget_set_visible (GTK_WIDGET (self->general_group), FALSE);
  valid = validate_product (self);
  valid &= omni_product_options_group_validate (self->options_group);
  valid &= validate_variants (self);
  valid &= self->rows->len > 0;

  self->valid = valid;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 valid && !self->saving &&
                                 (self->product_id == 0 ||
                                  omni_product_editor_get_dirty (self)));
}

static void
title_changed_cb (OmniProductEditor *self)
{
  self->title_touched = TRUE;
  validate (self);
}

static void
field_changed_cb (OmniProductEditor *self)
{
  validate (self);
}

static void
options_changed_cb (OmniProductEditor *self)
{
  if (self->product_id == 0 && omni_product_options_group_validate (self->options_group))
    regenerate_matrix (self);
  validate (self);
}

/* Loading --------------------------------------------------------------------- */

static void
take_snapshot (OmniProductEditor *self)
{
  for (ProductField field = 0; field < N_PRODUCT_FIELDS; field++)
    {
      g_free (self->initial[field]);
      self->initial[field] = g_strdup (entry_text (self->entries[field]));
    }
  g_free (self->initial_description);
  self->initial_description = _omni_product_editor_dup_description (self);
  self->initial_status = adw_combo_row_get_selected (self->status_row);
}

/* "Red / M" back into its values; NULL when a value holds " / " itself. */
static GStrv
split_options (const char *label,
               guint       n_options)
{
  GStrv values;

  if (n_options == 0)
    return g_new0 (char *, 1);
  values = g_strsplit (label != NULL ? label : "", " / ", -1);
  if (g_strv_length (values) != n_options)
    g_clear_pointer (&values, g_strfreev);
  return values;
}

/* Stock is not part of the product form: it changes only through the ledger.
 * A saved variant gets a button that opens the same adjust dialog as the
 * inventory page (a movement with a reason, one Undo). */
static void
adjust_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  OmniProductEditor *self = OMNI_PRODUCT_EDITOR (user_data);
  OmniVariantEditorRow *row = g_object_get_data (G_OBJECT (button), "omni-variant-row");

  omni_adjust_dialog_show (GTK_WIDGET (self), self->context,
                           omni_variant_editor_row_get_variant_id (row), 0);
}

static void
add_adjust_button (OmniProductEditor    *self,
                   OmniVariantEditorRow *row)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("document-edit-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Adjust Stock…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Adjust Stock…"), -1);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "omni-variant-row", row);
  g_signal_connect_object (button, "clicked", G_CALLBACK (adjust_clicked_cb), self, 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
}

static void
load_product (OmniProductEditor *self,
              const OmniProduct *product)
{
  const char * const *names = (const char * const *) product->option_names;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  guint n_options = 0;

  gtk_editable_set_text (GTK_EDITABLE (self->entries[PRODUCT_FIELD_TITLE]), product->title);
  gtk_editable_set_text (GTK_EDITABLE (self->entries[PRODUCT_FIELD_VENDOR]), product->vendor);
  gtk_editable_set_text (GTK_EDITABLE (self->entries[PRODUCT_FIELD_TYPE]),
                         product->product_type);
  gtk_editable_set_text (GTK_EDITABLE (self->entries[PRODUCT_FIELD_TAGS]), product->tags);
  gtk_text_buffer_set_text (buffer, product->body != NULL ? product->body : "", -1);

  self->archived = g_strcmp0 (product->status, "archived") == 0;
  adw_combo_row_set_selected (self->status_row, g_strcmp0 (product->status, "draft") == 0);
  if (self->archived)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->status_row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->status_row),
                                   _("Archived: restore it from the product list"));
    }

  while (n_options < 3 && names[n_options] != NULL)
    n_options++;
  omni_product_options_group_set_fixed (self->options_group, names);

  for (guint i = 0; i < product->variants->len; i++)
    {
      const OmniVariantRow *variant = g_ptr_array_index (product->variants, i);
      g_auto(GStrv) values = split_options (variant->options, n_options);
      GtkWidget *row = omni_variant_editor_row_new (self->currency, names, FALSE);

      omni_variant_editor_row_load (OMNI_VARIANT_EDITOR_ROW (row), variant,
                                    (const char * const *) values);
      add_adjust_button (self, OMNI_VARIANT_EDITOR_ROW (row));
      append_row (self, OMNI_VARIANT_EDITOR_ROW (row));
      if (variant->id == self->focus_variant_id)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }

  self->title_touched = TRUE;
  gtk_widget_set_visible (self->add_variant_button, TRUE);
}

/* Closing --------------------------------------------------------------------- */

static gboolean
destroy_idle_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
confirm_response_cb (OmniProductEditor *self,
                     const char        *response)
{
  if (g_str_equal (response, "discard"))
    {
      /* Once the dialog, which is transient for this window, is gone. */
      self->closing = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_idle_cb, g_object_ref (self),
                       g_object_unref);
    }
  else if (g_str_equal (response, "save"))
    {
      self->close_after_save = TRUE;
      omni_product_editor_save (self);
    }
}

static void
ask_before_closing (OmniProductEditor *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"),
                                   _("This product has changes that are not saved. "
                                     "Changes you discard are lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", self->valid);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           self->valid ? "save" : "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
omni_product_editor_close_request (GtkWindow *window)
{
  OmniProductEditor *self = OMNI_PRODUCT_EDITOR (window);

  /* A save in progress finishes first; it closes the window itself. */
  if (self->saving)
    return TRUE;

  if (!self->closing && omni_product_editor_get_dirty (self))
    {
      ask_before_closing (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (omni_product_editor_parent_class)->close_request (window);
}

/* Actions --------------------------------------------------------------------- */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  OmniProductEditor *self = OMNI_PRODUCT_EDITOR (widget);

  self->close_after_save = TRUE;
  omni_product_editor_save (self);
}

static void
remove_variant_cb (OmniProductEditor *self,
                   GtkButton         *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), OMNI_TYPE_VARIANT_EDITOR_ROW);

  g_ptr_array_remove (self->rows, row);
  adw_preferences_group_remove (self->variants_group, row);
  validate (self);
}

static void
add_variant_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  OmniProductEditor *self = OMNI_PRODUCT_EDITOR (widget);
  const char * const *names = omni_product_options_group_get_names (self->options_group);
  GtkWidget *row = omni_variant_editor_row_new (self->currency, names, TRUE);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Variant"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Variant"), -1);
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_variant_cb), self,
                           G_CONNECT_SWAPPED);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);

  append_row (self, OMNI_VARIANT_EDITOR_ROW (row));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  validate (self);
  gtk_widget_grab_focus (row);
}

/* GObject --------------------------------------------------------------------- */

static void
omni_product_editor_dispose (GObject *object)
{
  OmniProductEditor *self = OMNI_PRODUCT_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_PRODUCT_EDITOR);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (omni_product_editor_parent_class)->dispose (object);
}

static void
omni_product_editor_finalize (GObject *object)
{
  OmniProductEditor *self = OMNI_PRODUCT_EDITOR (object);

  for (guint i = 0; i < N_PRODUCT_FIELDS; i++)
    {
      g_free (self->texts[i]);
      g_free (self->initial[i]);
    }
  g_free (self->initial_description);
  g_free (self->currency);
  g_hash_table_unref (self->sku_owners);

  G_OBJECT_CLASS (omni_product_editor_parent_class)->finalize (object);
}

static void
omni_product_editor_class_init (OmniProductEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = omni_product_editor_dispose;
  object_class->finalize = omni_product_editor_finalize;
  window_class->close_request = omni_product_editor_close_request;

  /**
   * OmniProductEditor::saved:
   * @product_id: the product written
   * @created: whether it was created rather than edited
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                 G_TYPE_INT64, G_TYPE_BOOLEAN);
  /**
   * OmniProductEditor::save-failed:
   *
   * The store refused the save; the reason shows next to its field.
   */
  signals[SAVE_FAILED] = g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 0);

  g_type_ensure (OMNI_TYPE_ERROR_ROW);
  g_type_ensure (OMNI_TYPE_PRODUCT_OPTIONS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/products/omni-product-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, general_group);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, description_view);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, options_group);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, variants_group);
  gtk_widget_class_bind_template_child (widget_class, OmniProductEditor, add_variant_button);
#define BIND_FIELD(name, field)                                                        \
  gtk_widget_class_bind_template_child_full (widget_class, name "_row", FALSE,         \
      G_STRUCT_OFFSET (OmniProductEditor, entries[field]));                            \
  gtk_widget_class_bind_template_child_full (widget_class, name "_error", FALSE,       \
      G_STRUCT_OFFSET (OmniProductEditor, errors[field]))
  BIND_FIELD ("title", PRODUCT_FIELD_TITLE);
  BIND_FIELD ("vendor", PRODUCT_FIELD_VENDOR);
  BIND_FIELD ("type", PRODUCT_FIELD_TYPE);
  BIND_FIELD ("tags", PRODUCT_FIELD_TAGS);
#undef BIND_FIELD
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, options_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-variant", NULL,
                                   add_variant_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_product_editor_init (OmniProductEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  self->sku_owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
description_changed_cb (OmniProductEditor *self)
{
  validate (self);
}

/**
 * omni_product_editor_new:
 * @context: the store to write to
 * @parent: (nullable): the window the editor is modal over
 * @product_id: the product to edit, or 0 for a new one
 * @focus_variant_id: a variant to open for editing, or 0
 *
 * Returns: (transfer none) (nullable): the editor, owned by GTK; %NULL with
 *   @error set when the product cannot be read
 */
GtkWidget *
omni_product_editor_new (OmniContext  *context,
                         GtkWindow    *parent,
                         gint64        product_id,
                         gint64        focus_variant_id,
                         GError      **error)
{
  g_autoptr(OmniProduct) product = NULL;
  OmniProductEditor *self;
  OmniStore *store;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  store = omni_context_get_store (context);
  if (product_id > 0 && (product = omni_store_get_product (store, product_id, error)) == NULL)
    return NULL;

  self = g_object_new (OMNI_TYPE_PRODUCT_EDITOR, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->product_id = product_id;
  self->focus_variant_id = focus_variant_id;
  self->currency = omni_store_get_setting (store, "currency");

  adw_window_title_set_title (self->window_title,
                              product != NULL ? _("Edit Product") : _("New Product"));
  gtk_button_set_label (GTK_BUTTON (self->save_button),
                        product != NULL ? _("_Save") : _("C_reate"));
  if (product != NULL)
    {
      adw_window_title_set_subtitle (self->window_title, product->title);
      load_product (self, product);
    }

  else
    regenerate_matrix (self);

  g_signal_connect_object (gtk_text_view_get_buffer (self->description_view), "changed",
                           G_CALLBACK (description_changed_cb), self, G_CONNECT_SWAPPED);
  take_snapshot (self);
  validate (self);
  return GTK_WIDGET (self);
}

/* 0 for a product not created yet. */
gint64
omni_product_editor_get_product_id (OmniProductEditor *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), 0);

  return self->product_id;
}

/* The variant the editor was opened for, or 0. */
gint64
omni_product_editor_get_focus_variant (OmniProductEditor *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), 0);

  return self->focus_variant_id;
}

/* Whether every field is acceptable. */
gboolean
omni_product_editor_get_valid (OmniProductEditor *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), FALSE);

  return self->valid;
}

/* Whether anything differs from what was loaded (or, for a new product,
 * from the empty form). */
gboolean
omni_product_editor_get_dirty (OmniProductEditor *self)
{
  g_autofree char *description = NULL;

  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), FALSE);

  for (ProductField field = 0; field < N_PRODUCT_FIELDS; field++)
    if (g_strcmp0 (self->initial[field], entry_text (self->entries[field])) != 0)
      return TRUE;
  description = _omni_product_editor_dup_description (self);
  if (g_strcmp0 (self->initial_description, description) != 0 ||
      self->initial_status != adw_combo_row_get_selected (self->status_row) ||
      omni_product_options_group_get_dirty (self->options_group))
    return TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      OmniVariantEditorRow *row = g_ptr_array_index (self->rows, i);

      /* A variant added to a stored product is a change in itself. */
      if (omni_variant_editor_row_get_dirty (row) ||
          (self->product_id > 0 && omni_variant_editor_row_get_variant_id (row) == 0))
        return TRUE;
    }
  return FALSE;
}

guint
omni_product_editor_get_n_variants (OmniProductEditor *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), 0);

  return self->rows->len;
}

/* Returns: (transfer none): the variant row at @index */
OmniVariantEditorRow *
omni_product_editor_get_variant_row (OmniProductEditor *self,
                                     guint              index)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, index);
}

/* Whether a save is being written. */
gboolean
omni_product_editor_get_saving (OmniProductEditor *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), FALSE);

  return self->saving;
}

static void
set_saving (OmniProductEditor *self,
            gboolean           saving)
{
  self->saving = saving;
  gtk_widget_set_sensitive (adw_window_get_content (ADW_WINDOW (self)), !saving);
  validate (self);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OmniProductEditor *self = OMNI_PRODUCT_EDITOR (source);
  gboolean created = self->product_id == 0;
  gint64 id;

  /* Destroyed meanwhile (its main window closed): nothing left to show. */
  if (self->context == NULL)
    return;

  id = _omni_product_editor_write_finish (self, result);

  if (id == 0)
    {
      /* The store refused: its reason shows next to the field. */
      self->close_after_save = FALSE;
      self->saving = FALSE;
      gtk_widget_set_sensitive (adw_window_get_content (ADW_WINDOW (self)), TRUE);
      self->valid = FALSE;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
      g_signal_emit (self, signals[SAVE_FAILED], 0);
      return;
    }

  self->product_id = id;
  take_snapshot (self);
  set_saving (self, FALSE);
  omni_context_store_changed (self->context);
  g_signal_emit (self, signals[SAVED], 0, self->product_id, created);

  if (self->close_after_save)
    {
      self->closing = TRUE;
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

/**
 * omni_product_editor_save:
 *
 * Checks the form and, when it is acceptable, writes the product on a
 * worker. Then the context hears that the store changed and "saved" is
 * emitted; if the store refuses, its reason shows next to the field and
 * "save-failed" is emitted. Refused fields are shown and nothing is written.
 *
 * Returns: %TRUE when the write started
 */
gboolean
omni_product_editor_save (OmniProductEditor *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_EDITOR (self), FALSE);

  if (self->saving)
    return FALSE;

  self->title_touched = TRUE;
  validate (self);
  if (!self->valid)
    {
      self->close_after_save = FALSE;
      return FALSE;
    }

  set_saving (self, TRUE);
  _omni_product_editor_write_async (self, save_done_cb, NULL);
  return TRUE;
}
