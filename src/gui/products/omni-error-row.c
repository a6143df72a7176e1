/* omni-error-row.c: why a field of a form is refused, shown under it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row placed right after the field it explains. With a message it shows,
 * marks the field with the "error" style class, and gives the field the
 * message as its accessible description and the invalid state, so a screen
 * reader says why as well; without one it hides and clears all that.
 */
#define G_LOG_DOMAIN "omni-error-row"

#include "config.h"

#include "omni-error-row.h"

struct _OmniErrorRow
{
  AdwPreferencesRow  parent_instance;

  GtkWidget         *field;      /* weak */
  GtkLabel          *label;
};

G_DEFINE_FINAL_TYPE (OmniErrorRow, omni_error_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_FIELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
omni_error_row_dispose (GObject *object)
{
  OmniErrorRow *self = OMNI_ERROR_ROW (object);

  g_clear_weak_pointer (&self->field);

  G_OBJECT_CLASS (omni_error_row_parent_class)->dispose (object);
}

static void
omni_error_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OmniErrorRow *self = OMNI_ERROR_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_object (value, self->field);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_error_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  OmniErrorRow *self = OMNI_ERROR_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_set_weak_pointer (&self->field, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_error_row_class_init (OmniErrorRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_error_row_dispose;
  object_class->get_property = omni_error_row_get_property;
  object_class->set_property = omni_error_row_set_property;

  /* The row or entry the messages are about; set in a template with
   * <property name="field">some_row</property>. */
  properties[PROP_FIELD] =
    g_param_spec_object ("field", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_error_row_init (OmniErrorRow *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "error");
  self->label = GTK_LABEL (label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "error-row");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * omni_error_row_new:
 * @field: the row (or entry) whose errors this row explains
 *
 * Returns: (transfer floating): a hidden row; add it after @field
 */
GtkWidget *
omni_error_row_new (GtkWidget *field)
{
  g_return_val_if_fail (GTK_IS_WIDGET (field), NULL);

  return g_object_new (OMNI_TYPE_ERROR_ROW, "field", field, NULL);
}

/* Returns: (transfer none) (nullable): the field, %NULL once it is gone */
GtkWidget *
omni_error_row_get_field (OmniErrorRow *self)
{
  g_return_val_if_fail (OMNI_IS_ERROR_ROW (self), NULL);

  return self->field;
}

/* Returns: (nullable): the message shown, %NULL when the field is fine */
const char *
omni_error_row_get_message (OmniErrorRow *self)
{
  g_return_val_if_fail (OMNI_IS_ERROR_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self)) ? gtk_label_get_label (self->label) : NULL;
}

/**
 * omni_error_row_set_message:
 * @message: (nullable): why the field is refused, a sentence; %NULL clears
 */
void
omni_error_row_set_message (OmniErrorRow *self,
                            const char   *message)
{
  gboolean invalid;

  g_return_if_fail (OMNI_IS_ERROR_ROW (self));

  invalid = message != NULL && *message != '\0';
  if (!invalid && !gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  if (invalid && g_strcmp0 (omni_error_row_get_message (self), message) == 0)
    return;

  gtk_label_set_label (self->label, invalid ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self), invalid);
  if (self->field == NULL)
    return;

  if (invalid)
    gtk_widget_add_css_class (self->field, "error");
  else
    gtk_widget_remove_css_class (self->field, "error");

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->field),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (invalid)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->field),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->field),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}
