/* omni-count-start-dialog.c: where and what to count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A count covers one location, whole or limited to one vendor, product type
 * or tag. The lists to choose from grow with the catalog, so a worker reads
 * them while the dialog shows a spinner; "Start Count" is enabled once a
 * complete choice is on screen. The dialog only asks: the page starts the
 * count when it hears the "start" response.
 */
#define G_LOG_DOMAIN "omni-count-start-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-count-start-dialog.h"
#include "omni-count-worker.h"

/* In the order of the scope row's items. */
static const char * const scope_kinds[] = { "all", "vendor", "type", "tag" };

struct _OmniCountStartDialog
{
  AdwMessageDialog  parent_instance;

  GtkStack         *stack;
  AdwComboRow      *location_row;
  GtkStringList    *location_names;
  AdwComboRow      *scope_row;
  AdwComboRow      *value_row;
  GtkLabel         *error_label;

  char             *path;
  GCancellable     *cancellable;
  OmniCountChoices *choices;
  gboolean          ready;
};

G_DEFINE_FINAL_TYPE (OmniCountStartDialog, omni_count_start_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_PATH,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GStrv
values_for_kind (OmniCountStartDialog *self,
                 guint                 kind)
{
  if (self->choices == NULL)
    return NULL;

  switch (kind)
    {
    case 1:
      return self->choices->vendors;
    case 2:
      return self->choices->types;
    case 3:
      return self->choices->tags;
    default:
      return NULL;
    }
}

static void
update_ready (OmniCountStartDialog *self)
{
  guint kind = adw_combo_row_get_selected (self->scope_row);
  gboolean ready = self->choices != NULL &&
                   adw_combo_row_get_selected (self->location_row) != GTK_INVALID_LIST_POSITION &&
                   (kind == 0 || adw_combo_row_get_selected (self->value_row) !=
                                 GTK_INVALID_LIST_POSITION);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "start", ready);
  if (self->ready != ready)
    {
      self->ready = ready;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
}

static void
scope_changed_cb (OmniCountStartDialog *self)
{
  static const char *titles[] = { NULL, N_("_Vendor"), N_("Product _Type"), N_("_Tag") };
  guint kind = adw_combo_row_get_selected (self->scope_row);
  GStrv values = values_for_kind (self, kind);
  g_autoptr(GtkStringList) model = gtk_string_list_new ((const char * const *) values);

  if (kind >= G_N_ELEMENTS (titles))
    kind = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->value_row), kind != 0);
  if (titles[kind] != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->value_row), _(titles[kind]));
  adw_combo_row_set_model (self->value_row, G_LIST_MODEL (model));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->value_row),
                               kind != 0 && (values == NULL || values[0] == NULL) ?
                               _("None in the catalog") : "");

  update_ready (self);
}

static void
show_choices (OmniCountStartDialog *self)
{
  guint selected = 0;

  for (guint i = 0; i < self->choices->locations->len; i++)
    {
      const OmniCountLocation *location = g_ptr_array_index (self->choices->locations, i);

      gtk_string_list_append (self->location_names,
                              location->name != NULL ? location->name : _("Default Location"));
      if (location->is_default)
        selected = i;
    }
  adw_combo_row_set_selected (self->location_row, selected);

  scope_changed_cb (self);
  gtk_stack_set_visible_child_name (self->stack, "choices");
}

static void
choices_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  OmniCountStartDialog *self;
  g_autoptr(OmniCountChoices) choices = NULL;
  g_autoptr(GError) error = NULL;

  choices = omni_count_worker_choices_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_COUNT_START_DIALOG (user_data);
  g_clear_object (&self->cancellable);

  if (choices == NULL)
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->choices = g_steal_pointer (&choices);
  show_choices (self);
}

static void
omni_count_start_dialog_constructed (GObject *object)
{
  OmniCountStartDialog *self = OMNI_COUNT_START_DIALOG (object);

  G_OBJECT_CLASS (omni_count_start_dialog_parent_class)->constructed (object);

  g_assert (self->path != NULL);
  self->cancellable = g_cancellable_new ();
  omni_count_worker_choices_async (self->path, self->cancellable, choices_cb, self);
}

static void
omni_count_start_dialog_dispose (GObject *object)
{
  OmniCountStartDialog *self = OMNI_COUNT_START_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_COUNT_START_DIALOG);

  G_OBJECT_CLASS (omni_count_start_dialog_parent_class)->dispose (object);
}

static void
omni_count_start_dialog_finalize (GObject *object)
{
  OmniCountStartDialog *self = OMNI_COUNT_START_DIALOG (object);

  g_free (self->path);
  g_clear_pointer (&self->choices, omni_count_choices_free);

  G_OBJECT_CLASS (omni_count_start_dialog_parent_class)->finalize (object);
}

static void
omni_count_start_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  OmniCountStartDialog *self = OMNI_COUNT_START_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_count_start_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  OmniCountStartDialog *self = OMNI_COUNT_START_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_count_start_dialog_class_init (OmniCountStartDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_count_start_dialog_constructed;
  object_class->dispose = omni_count_start_dialog_dispose;
  object_class->finalize = omni_count_start_dialog_finalize;
  object_class->get_property = omni_count_start_dialog_get_property;
  object_class->set_property = omni_count_start_dialog_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/count/omni-count-start-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniCountStartDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, OmniCountStartDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, OmniCountStartDialog, location_names);
  gtk_widget_class_bind_template_child (widget_class, OmniCountStartDialog, scope_row);
  gtk_widget_class_bind_template_child (widget_class, OmniCountStartDialog, value_row);
  gtk_widget_class_bind_template_child (widget_class, OmniCountStartDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, scope_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_ready);
}

static void
omni_count_start_dialog_init (OmniCountStartDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * omni_count_start_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @path: the database file, read for the choices
 *
 * Returns: (transfer none): a new dialog, owned by GTK until destroyed
 */
OmniCountStartDialog *
omni_count_start_dialog_new (GtkWindow  *parent,
                             const char *path)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (OMNI_TYPE_COUNT_START_DIALOG,
                       "transient-for", parent,
                       "path", path,
                       NULL);
}

/**
 * omni_count_start_dialog_get_ready:
 *
 * Returns: whether a complete choice is made and the count can start
 */
gboolean
omni_count_start_dialog_get_ready (OmniCountStartDialog *self)
{
  g_return_val_if_fail (OMNI_IS_COUNT_START_DIALOG (self), FALSE);

  return self->ready;
}

/**
 * omni_count_start_dialog_get_location_id:
 *
 * Returns: the chosen location; 0 before the choices are read
 */
gint64
omni_count_start_dialog_get_location_id (OmniCountStartDialog *self)
{
  guint selected;

  g_return_val_if_fail (OMNI_IS_COUNT_START_DIALOG (self), 0);

  selected = adw_combo_row_get_selected (self->location_row);
  if (self->choices == NULL || selected >= self->choices->locations->len)
    return 0;

  return ((OmniCountLocation *) g_ptr_array_index (self->choices->locations, selected))->id;
}

/**
 * omni_count_start_dialog_get_scope_kind:
 *
 * Returns: "all", "vendor", "type" or "tag"
 */
const char *
omni_count_start_dialog_get_scope_kind (OmniCountStartDialog *self)
{
  guint selected;

  g_return_val_if_fail (OMNI_IS_COUNT_START_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->scope_row);

  return selected < G_N_ELEMENTS (scope_kinds) ? scope_kinds[selected] : scope_kinds[0];
}

/**
 * omni_count_start_dialog_get_scope_value:
 *
 * Returns: (nullable): the chosen vendor, type or tag; %NULL for a whole location
 */
const char *
omni_count_start_dialog_get_scope_value (OmniCountStartDialog *self)
{
  GObject *item;

  g_return_val_if_fail (OMNI_IS_COUNT_START_DIALOG (self), NULL);

  if (adw_combo_row_get_selected (self->scope_row) == 0)
    return NULL;

  item = adw_combo_row_get_selected_item (self->value_row);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/**
 * omni_count_start_dialog_set_scope:
 * @kind: "all", "vendor", "type" or "tag"
 * @value: (nullable): the vendor, type or tag to choose
 *
 * Chooses the scope as the merchant would, once the choices are read.
 *
 * Returns: %FALSE when @kind or @value is not among the choices
 */
gboolean
omni_count_start_dialog_set_scope (OmniCountStartDialog *self,
                                   const char           *kind,
                                   const char           *value)
{
  GStrv values;

  g_return_val_if_fail (OMNI_IS_COUNT_START_DIALOG (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (scope_kinds); i++)
    {
      if (!g_str_equal (scope_kinds[i], kind))
        continue;

      adw_combo_row_set_selected (self->scope_row, i);
      if (i == 0)
        return TRUE;

      values = values_for_kind (self, i);
      for (guint j = 0; values != NULL && values[j] != NULL; j++)
        {
          if (g_strcmp0 (values[j], value) == 0)
            {
              adw_combo_row_set_selected (self->value_row, j);
              return TRUE;
            }
        }
      return FALSE;
    }

  return FALSE;
}
