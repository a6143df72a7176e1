/* omni-count-scan-panel.c: the scan entry and the last scanned item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A USB scanner is a keyboard: it types the code quickly and presses Enter.
 * The panel turns each Enter into one "scan" signal and clears the entry at
 * once, so the next code can follow without waiting; the page writes the
 * scan and answers with the item (or an unknown code) to show.
 *
 * A multiplier can be typed before the code ("12*4006381333931") or on its
 * own ("12*", then scan): typed on its own it becomes a chip, "× 12", that
 * applies to the next scan only. Escape drops it, as does Backspace in an
 * empty entry.
 */
#define G_LOG_DOMAIN "omni-count-scan-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "omni-count-cell.h"
#include "omni-count-scan-panel.h"
#include "omni-store-count.h"

struct _OmniCountScanPanel
{
  GtkWidget      parent_instance;

  GtkLabel      *multiplier_label;
  GtkEntry      *entry;
  GtkRevealer   *banner_revealer;
  GtkLabel      *banner_label;
  GtkWidget     *link_button;
  GtkStack      *card_stack;
  GtkLabel      *title_label;
  GtkLabel      *options_label;
  GtkLabel      *codes_label;
  GtkLabel      *expected_label;
  GtkLabel      *count_label;

  OmniCountItem *item;
  gint64         multiplier;
  /* The unknown code the banner offers to link; NULL for other messages. */
  char          *banner_code;
  guint          multiplier_idle;
};

G_DEFINE_FINAL_TYPE (OmniCountScanPanel, omni_count_scan_panel, GTK_TYPE_WIDGET)

enum {
  SCAN,
  LINK_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_multiplier (OmniCountScanPanel *self,
                gint64              multiplier)
{
  g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, multiplier);
  g_autofree char *text = NULL;

  self->multiplier = multiplier;
  /* TRANSLATORS: the pending multiplier for the next scan, as in "× 12" */
  text = g_strdup_printf (_("× %s"), number);
  gtk_label_set_label (self->multiplier_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->multiplier_label), multiplier != 1);
}

static void
hide_banner (OmniCountScanPanel *self)
{
  g_clear_pointer (&self->banner_code, g_free);
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
show_banner (OmniCountScanPanel *self,
             const char         *text,
             const char         *code)
{
  g_free (self->banner_code);
  self->banner_code = g_strdup (code);
  gtk_label_set_label (self->banner_label, text);
  gtk_widget_set_visible (self->link_button, code != NULL);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

/* "12*" → 12; "12*4006" → 12, leaving "4006". Anything else is left to
 * omni_count_parse_input() when Enter comes. */
static gboolean
take_multiplier (const char  *text,
                 gint64      *multiplier,
                 const char **rest)
{
  const char *star = strchr (text, '*');
  g_autofree char *number = NULL;
  guint64 value;

  if (star == NULL)
    return FALSE;

  number = g_strstrip (g_strndup (text, star - text));
  if (!g_ascii_string_to_unsigned (number, 10, 1, OMNI_COUNT_MAX_QUANTITY, &value, NULL))
    return FALSE;

  *multiplier = (gint64) value;
  *rest = star + 1;
  while (g_ascii_isspace (**rest))
    (*rest)++;

  return TRUE;
}

/* Deferred: the entry is still inside its own change when ::changed runs. */
static gboolean
multiplier_idle_cb (gpointer user_data)
{
  OmniCountScanPanel *self = OMNI_COUNT_SCAN_PANEL (user_data);
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  const char *rest;
  gint64 multiplier;

  self->multiplier_idle = 0;

  if (take_multiplier (text, &multiplier, &rest))
    {
      set_multiplier (self, multiplier);
      gtk_editable_set_text (GTK_EDITABLE (self->entry), rest);
      gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
    }

  return G_SOURCE_REMOVE;
}

static void
entry_changed_cb (OmniCountScanPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  if (strchr (text, '*') != NULL && self->multiplier_idle == 0)
    self->multiplier_idle = g_idle_add (multiplier_idle_cb, self);
}

static void
clear_entry (OmniCountScanPanel *self)
{
  g_clear_handle_id (&self->multiplier_idle, g_source_remove);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

static void
entry_activate_cb (OmniCountScanPanel *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  gint64 quantity = 1;
  gint64 multiplier = self->multiplier;

  if (g_strstrip (text)[0] == '\0')
    return;

  /* Cleared before anything else, so the scanner's next code starts in an
   * empty entry whatever this one turns out to be. */
  clear_entry (self);
  set_multiplier (self, 1);

  if (!omni_count_parse_input (text, &code, &quantity, &error))
    {
      omni_count_scan_panel_show_error (self, error->message);
      return;
    }
  if (quantity > OMNI_COUNT_MAX_QUANTITY / multiplier)
    {
      g_autofree char *message =
        g_strdup_printf (_("A scan can count at most %'d items at once"),
                         OMNI_COUNT_MAX_QUANTITY);

      omni_count_scan_panel_show_error (self, message);
      return;
    }

  g_signal_emit (self, signals[SCAN], 0, code, quantity * multiplier);
}

static void
link_clicked_cb (OmniCountScanPanel *self)
{
  g_autofree char *code = g_strdup (self->banner_code);

  if (code != NULL)
    g_signal_emit (self, signals[LINK_REQUESTED], 0, code);
}

static void
dismiss_clicked_cb (OmniCountScanPanel *self)
{
  hide_banner (self);
  omni_count_scan_panel_focus_entry (self);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  OmniCountScanPanel *self = OMNI_COUNT_SCAN_PANEL (widget);

  clear_entry (self);
  set_multiplier (self, 1);
}

static gboolean
entry_key_pressed_cb (OmniCountScanPanel    *self,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      GtkEventControllerKey *controller)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  if (keyval == GDK_KEY_BackSpace && text[0] == '\0' && self->multiplier != 1)
    {
      set_multiplier (self, 1);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
update_card (OmniCountScanPanel *self)
{
  OmniCountItem *item = self->item;
  const char *options = omni_count_item_get_options (item);
  const char *sku = omni_count_item_get_sku (item);
  const char *barcode = omni_count_item_get_barcode (item);
  g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT,
                                            omni_count_item_get_counted (item));
  g_autofree char *variance = omni_count_format_variance (omni_count_item_get_variance (item));
  g_autofree char *expected_count = g_strdup_printf ("%'" G_GINT64_FORMAT,
                                                     omni_count_item_get_expected (item));
  g_autofree char *codes = NULL;
  g_autofree char *expected = NULL;

  if (sku != NULL && barcode != NULL)
    /* TRANSLATORS: the SKU and the barcode of the last scanned item */
    codes = g_strdup_printf (_("SKU %s · Barcode %s"), sku, barcode);
  else if (sku != NULL)
    codes = g_strdup_printf (_("SKU %s"), sku);
  else if (barcode != NULL)
    codes = g_strdup_printf (_("Barcode %s"), barcode);

  /* TRANSLATORS: the expected quantity and the variance, such as "+2" */
  expected = g_strdup_printf (_("Expected %s · Variance %s"), expected_count, variance);

  gtk_label_set_label (self->title_label, omni_count_item_get_title (item));
  gtk_label_set_label (self->options_label, options != NULL ? options : "");
  gtk_widget_set_visible (GTK_WIDGET (self->options_label), options != NULL && options[0] != '\0');
  gtk_label_set_label (self->codes_label, codes != NULL ? codes : "");
  gtk_widget_set_visible (GTK_WIDGET (self->codes_label), codes != NULL);
  gtk_label_set_label (self->expected_label, expected);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->card_stack, "item");
}

static void
set_item (OmniCountScanPanel *self,
          OmniCountItem      *item)
{
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, update_card, self);
  g_set_object (&self->item, item);

  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->card_stack, "empty");
      return;
    }

  g_signal_connect_swapped (item, "notify", G_CALLBACK (update_card), self);
  update_card (self);
}

static void
omni_count_scan_panel_dispose (GObject *object)
{
  OmniCountScanPanel *self = OMNI_COUNT_SCAN_PANEL (object);
  GtkWidget *child;

  set_item (self, NULL);
  g_clear_handle_id (&self->multiplier_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_COUNT_SCAN_PANEL);
  /* The template's own top-level children have no field to clear. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (omni_count_scan_panel_parent_class)->dispose (object);
}

static void
omni_count_scan_panel_finalize (GObject *object)
{
  OmniCountScanPanel *self = OMNI_COUNT_SCAN_PANEL (object);

  g_free (self->banner_code);

  G_OBJECT_CLASS (omni_count_scan_panel_parent_class)->finalize (object);
}

static void
omni_count_scan_panel_class_init (OmniCountScanPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_count_scan_panel_dispose;
  object_class->finalize = omni_count_scan_panel_finalize;

  /**
   * OmniCountScanPanel::scan:
   * @code: the code as scanned or typed
   * @quantity: how many to count, the multiplier applied
   */
  signals[SCAN] = g_signal_new ("scan",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
  /**
   * OmniCountScanPanel::link-requested:
   * @code: the unknown code the banner shows
   */
  signals[LINK_REQUESTED] = g_signal_new ("link-requested",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/count/omni-count-scan-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, multiplier_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, entry);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, banner_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, link_button);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, card_stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, options_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, codes_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, expected_label);
  gtk_widget_class_bind_template_child (widget_class, OmniCountScanPanel, count_label);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);

  gtk_widget_class_install_action (widget_class, "scan.clear", NULL, clear_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "scan.clear", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "countscanpanel");
}

static void
omni_count_scan_panel_init (OmniCountScanPanel *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), controller);

  set_multiplier (self, 1);
}

GtkWidget *
omni_count_scan_panel_new (void)
{
  return g_object_new (OMNI_TYPE_COUNT_SCAN_PANEL, NULL);
}

/**
 * omni_count_scan_panel_show_item:
 * @item: the line a scan just changed
 *
 * Shows @item large, following its changes, and takes down the banner.
 */
void
omni_count_scan_panel_show_item (OmniCountScanPanel *self,
                                 OmniCountItem      *item)
{
  g_return_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self));
  g_return_if_fail (OMNI_IS_COUNT_ITEM (item));

  hide_banner (self);
  set_item (self, item);
}

/**
 * omni_count_scan_panel_show_unknown:
 * @code: a code that matched no variant
 *
 * Rings the bell and shows a banner that offers to link @code.
 */
void
omni_count_scan_panel_show_unknown (OmniCountScanPanel *self,
                                    const char         *code)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self));
  g_return_if_fail (code != NULL);

  text = g_strdup_printf (_("Unknown code “%s”"), code);
  gtk_widget_error_bell (GTK_WIDGET (self->entry));
  show_banner (self, text, code);
}

/**
 * omni_count_scan_panel_show_error:
 * @message: a sentence saying what went wrong
 *
 * Rings the bell and shows @message in the banner.
 */
void
omni_count_scan_panel_show_error (OmniCountScanPanel *self,
                                  const char         *message)
{
  g_return_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self));
  g_return_if_fail (message != NULL);

  gtk_widget_error_bell (GTK_WIDGET (self->entry));
  show_banner (self, message, NULL);
}

/**
 * omni_count_scan_panel_forget_code:
 * @code: an unknown code that is now linked
 *
 * Takes the banner down if it shows @code.
 */
void
omni_count_scan_panel_forget_code (OmniCountScanPanel *self,
                                   const char         *code)
{
  g_return_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self));

  if (g_strcmp0 (self->banner_code, code) == 0)
    hide_banner (self);
}

/**
 * omni_count_scan_panel_reset:
 *
 * Forgets the last scan, the banner and the multiplier, for another count.
 */
void
omni_count_scan_panel_reset (OmniCountScanPanel *self)
{
  g_return_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self));

  hide_banner (self);
  set_item (self, NULL);
  clear_entry (self);
  set_multiplier (self, 1);
}

/**
 * omni_count_scan_panel_focus_entry:
 *
 * Returns: whether the entry took the focus
 */
gboolean
omni_count_scan_panel_focus_entry (OmniCountScanPanel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self), FALSE);

  return gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/**
 * omni_count_scan_panel_get_entry:
 *
 * Returns: (transfer none): the scan entry
 */
GtkEntry *
omni_count_scan_panel_get_entry (OmniCountScanPanel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self), NULL);

  return self->entry;
}

/**
 * omni_count_scan_panel_get_multiplier:
 *
 * Returns: the multiplier the next scan takes; 1 when none is pending
 */
gint64
omni_count_scan_panel_get_multiplier (OmniCountScanPanel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self), 1);

  return self->multiplier;
}

/**
 * omni_count_scan_panel_get_item:
 *
 * Returns: (transfer none) (nullable): the last scanned item
 */
OmniCountItem *
omni_count_scan_panel_get_item (OmniCountScanPanel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self), NULL);

  return self->item;
}

/**
 * omni_count_scan_panel_get_count_text:
 *
 * Returns: the running count shown for the last scanned item
 */
const char *
omni_count_scan_panel_get_count_text (OmniCountScanPanel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self), NULL);

  return gtk_label_get_label (self->count_label);
}

/**
 * omni_count_scan_panel_get_banner_code:
 *
 * Returns: (nullable): the unknown code the banner shows, if it shows one
 */
const char *
omni_count_scan_panel_get_banner_code (OmniCountScanPanel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self), NULL);

  return self->banner_code;
}

/**
 * omni_count_scan_panel_get_banner_text:
 *
 * Returns: (nullable): what the banner says, %NULL when it is hidden
 */
const char *
omni_count_scan_panel_get_banner_text (OmniCountScanPanel *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_SCAN_PANEL (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;

  return gtk_label_get_label (self->banner_label);
}
