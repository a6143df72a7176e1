/* omni-preferences-window.c: the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything but the currency is a GSettings key bound to its row, so the
 * rows need no handlers. The currency belongs to the data file (amounts in
 * it are minor units of that currency), so it is a store setting.
 *
 * The Database group says where the shop's data is and moves it: to a
 * shared PostgreSQL database (OmniDatabaseDialog), or back to the file on
 * this computer. Either way a new window opens on the other store and this
 * one closes.
 */
#define G_LOG_DOMAIN "omni-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-application.h"
#include "omni-currency.h"
#include "omni-database-dialog.h"
#include "omni-locations-group.h"
#include "omni-preferences-window.h"
#include "omni-staff-group.h"
#include "omni-store-inventory.h"
#include "omni-toast.h"

struct _OmniPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  OmniContext          *context;

  AdwComboRow          *currency_row;
  AdwActionRow         *database_row;
  GtkWidget            *shared_button;
  GtkWidget            *file_button;
  GCancellable         *file_cancellable;
  AdwPreferencesGroup  *staff_group;
  AdwEntryRow          *actor_row;
  GtkSpinButton        *reorder_point_spin;
  GtkSwitch            *notify_low_stock_switch;
  GtkSwitch            *allow_negative_switch;
  GtkSpinButton        *sync_interval_spin;
  AdwActionRow         *webhook_row;
  GtkSwitch            *webhook_switch;
  GtkSpinButton        *webhook_port_spin;
  OmniLocationsGroup   *locations_group;
  OmniStaffGroup       *staff_profiles_group;

  GtkStringList        *currency_codes;
};

G_DEFINE_FINAL_TYPE (OmniPreferencesWindow, omni_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
currency_label (GtkStringObject *item)
{
  const char *code = gtk_string_object_get_string (item);
  const OmniCurrency *currency = omni_currency_lookup (code);

  if (currency == NULL)
    return g_strdup (code);

  /* Translators: a currency name and its ISO 4217 code, "Euro (EUR)" */
  return g_strdup_printf (_("%s (%s)"), _(currency->name), currency->code);
}

/* The known currencies, plus the database's own if it is not among them. */
static void
fill_currencies (OmniPreferencesWindow *self,
                 const char            *current)
{
  const OmniCurrency *all;
  guint n_all;

  all = omni_currency_get_all (&n_all);
  for (guint i = 0; i < n_all; i++)
    gtk_string_list_append (self->currency_codes, all[i].code);

  if (current != NULL && omni_currency_lookup (current) == NULL)
    gtk_string_list_append (self->currency_codes, current);
}

static guint
find_currency (OmniPreferencesWindow *self,
               const char            *code)
{
  GListModel *model = G_LIST_MODEL (self->currency_codes);

  for (guint i = 0; code != NULL && i < g_list_model_get_n_items (model); i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (self->currency_codes, i), code) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
currency_selected_cb (OmniPreferencesWindow *self)
{
  OmniStore *store = omni_context_get_store (self->context);
  GtkStringObject *item = adw_combo_row_get_selected_item (self->currency_row);
  g_autofree char *current = omni_store_get_setting (store, "currency");
  g_autoptr(GError) error = NULL;
  const char *code;

  if (item == NULL)
    return;

  code = gtk_string_object_get_string (item);
  if (g_strcmp0 (code, current) == 0)
    return;

  if (!omni_store_set_setting (store, "currency", code, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        omni_toast_new_text (error->message));
      /* Show what the database still holds. */
      adw_combo_row_set_selected (self->currency_row, find_currency (self, current));
      return;
    }

  omni_context_store_changed (self->context);
}

static void
setup_currency (OmniPreferencesWindow *self)
{
  OmniStore *store = omni_context_get_store (self->context);
  g_autofree char *current = omni_store_get_setting (store, "currency");
  GtkExpression *expression;

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (currency_label),
                                            NULL, NULL);
  adw_combo_row_set_expression (self->currency_row, expression);
  gtk_expression_unref (expression);

  fill_currencies (self, current);
  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (self->currency_codes));
  adw_combo_row_set_selected (self->currency_row, find_currency (self, current));

  g_signal_connect_object (self->currency_row, "notify::selected",
                           G_CALLBACK (currency_selected_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Whether stock may go negative belongs to the data file, where the store
 * enforces it for every writer (the app, the CLI, imports): a store setting,
 * not a GSettings key. */
static void
allow_negative_toggled_cb (OmniPreferencesWindow *self)
{
  OmniStore *store = omni_context_get_store (self->context);
  gboolean active = gtk_switch_get_active (self->allow_negative_switch);
  g_autoptr(GError) error = NULL;

  if (active == omni_store_get_allow_negative (store))
    return;
  if (!omni_store_set_setting (store, "allow_negative_stock", active ? "1" : "0", &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        omni_toast_new_text (error->message));
      gtk_switch_set_active (self->allow_negative_switch, !active);
      return;
    }
  g_settings_set_boolean (omni_context_get_settings (self->context), "allow-negative-stock",
                          active);
  omni_context_store_changed (self->context);
}

static void
setup_allow_negative (OmniPreferencesWindow *self)
{
  gtk_switch_set_active (self->allow_negative_switch,
                         omni_store_get_allow_negative (omni_context_get_store (self->context)));
  g_signal_connect_object (self->allow_negative_switch, "notify::active",
                           G_CALLBACK (allow_negative_toggled_cb), self, G_CONNECT_SWAPPED);
}

/* The database ----------------------------------------------------------- */

/* The file "Use This Computer’s File" opens: the one the next start opens
 * once the `database` key is empty. */
static char *
dup_local_location (void)
{
  const char *env = g_getenv ("OMNISTOCK_DB");

  if (env != NULL && *env != '\0' && !omni_store_location_is_shared (env))
    return g_strdup (env);
  return omni_store_default_path ();
}

static void
setup_database (OmniPreferencesWindow *self)
{
  const char *location = omni_store_get_path (omni_context_get_store (self->context));
  gboolean shared = omni_store_location_is_shared (location);
  g_autofree char *subtitle = g_markup_escape_text (location, -1);
  g_autofree char *local = dup_local_location ();
  g_autofree char *tooltip = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->database_row),
                                 shared ? _("Shared Database") : _("On This Computer"));
  adw_action_row_set_subtitle (self->database_row, subtitle);
  gtk_widget_set_visible (self->file_button, shared);
  /* Translators: %s is the database file's path */
  tooltip = g_strdup_printf (_("Open %s"), local);
  gtk_widget_set_tooltip_text (self->file_button, tooltip);
}

/* The shop moved to @store: a window opens on it, this one and the window
 * it belongs to close. */
static void
switch_to_store (OmniPreferencesWindow *self,
                 OmniStore             *store)
{
  g_autoptr(GtkWindow) main_window = NULL;
  GtkApplication *app;
  GtkWindow *opened = NULL;

  if (gtk_window_get_transient_for (GTK_WINDOW (self)) != NULL)
    main_window = g_object_ref (gtk_window_get_transient_for (GTK_WINDOW (self)));
  app = main_window != NULL ? gtk_window_get_application (main_window) : NULL;
  if (OMNI_IS_APPLICATION (app))
    opened = omni_application_open_store (OMNI_APPLICATION (app), store);

  /* Parted from the window first: this one may outlive it by a moment
   * (a reference held up the stack), and must not point at it then. */
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
  if (opened != NULL && opened != main_window)
    gtk_window_close (main_window);
}

static void
database_chosen_cb (OmniPreferencesWindow *self,
                    OmniStore             *store)
{
  g_object_ref (self);
  switch_to_store (self, store);
  g_object_unref (self);
}

static void
use_shared_clicked_cb (OmniPreferencesWindow *self)
{
  OmniDatabaseDialog *dialog = omni_database_dialog_new (GTK_WINDOW (self), self->context);

  g_signal_connect_object (dialog, "database-chosen", G_CALLBACK (database_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  OmniStore *store = omni_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
open_file_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OmniPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->file_cancellable);
  gtk_widget_set_sensitive (self->file_button, TRUE);
  gtk_widget_set_sensitive (self->shared_button, TRUE);
  if (store == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        omni_toast_new_text (error->message));
      return;
    }
  g_settings_set_string (omni_context_get_settings (self->context), "database", "");
  g_object_ref (self);
  switch_to_store (self, store);
  g_object_unref (self);
}

/* Back to the file: opened on a worker first, so a file that cannot be
 * opened leaves everything as it is. */
static void
use_file_clicked_cb (OmniPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->file_cancellable != NULL)
    return;
  self->file_cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->file_button, FALSE);
  gtk_widget_set_sensitive (self->shared_button, FALSE);
  /* The owner is not the task's source: see omni_worker_task_new(). */
  task = g_task_new (NULL, self->file_cancellable, open_file_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, use_file_clicked_cb);
  g_task_set_task_data (task, dup_local_location (), g_free);
  g_task_run_in_thread (task, open_file_thread);
}

/* The receiver's state in words under its switch; a failure to start is
 * also a toast, since it answers the switch just flipped. */
static void
webhook_status_cb (OmniPreferencesWindow *self,
                   GParamSpec            *pspec,
                   OmniWebhookService    *service)
{
  const char *error = omni_webhook_service_get_error (service);

  adw_action_row_set_subtitle (self->webhook_row, omni_webhook_service_get_status (service));
  if (error != NULL && pspec != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Webhooks are not received: %s"), error);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), omni_toast_new_text (title));
    }
}

static void
setup_webhooks (OmniPreferencesWindow *self,
                GSettings             *settings)
{
  GApplication *app = g_application_get_default ();
  OmniWebhookService *service = OMNI_IS_APPLICATION (app)
                                ? omni_application_get_webhook_service (OMNI_APPLICATION (app))
                                : NULL;

  g_settings_bind (settings, "webhook-receive", self->webhook_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "webhook-port", self->webhook_port_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  if (service == NULL)
    return;
  g_signal_connect_object (service, "notify::status", G_CALLBACK (webhook_status_cb), self,
                           G_CONNECT_SWAPPED);
  webhook_status_cb (self, NULL, service);
}

static void
omni_preferences_window_constructed (GObject *object)
{
  OmniPreferencesWindow *self = OMNI_PREFERENCES_WINDOW (object);
  GSettings *settings = omni_context_get_settings (self->context);
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (omni_preferences_window_parent_class)->constructed (object);

  g_assert (OMNI_IS_CONTEXT (self->context));

  g_settings_bind (settings, "actor-name", self->actor_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-reorder-point", self->reorder_point_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-low-stock", self->notify_low_stock_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sync-interval", self->sync_interval_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  /* Translators: %s is the user name of the operating system account */
  description = g_markup_printf_escaped (_("Recorded with every stock change made here. "
                                           "Leave empty to use your account name, “%s”."),
                                         g_get_user_name ());
  adw_preferences_group_set_description (self->staff_group, description);

  setup_currency (self);
  setup_database (self);
  setup_allow_negative (self);
  setup_webhooks (self, settings);
  omni_locations_group_set_context (self->locations_group, self->context);
  omni_staff_group_set_context (self->staff_profiles_group, self->context);
}

static void
omni_preferences_window_dispose (GObject *object)
{
  OmniPreferencesWindow *self = OMNI_PREFERENCES_WINDOW (object);

  if (self->file_cancellable != NULL)
    g_cancellable_cancel (self->file_cancellable);
  g_clear_object (&self->file_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OMNI_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->currency_codes);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (omni_preferences_window_parent_class)->dispose (object);
}

static void
omni_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  OmniPreferencesWindow *self = OMNI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  OmniPreferencesWindow *self = OMNI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_preferences_window_class_init (OmniPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = omni_preferences_window_constructed;
  object_class->dispose = omni_preferences_window_dispose;
  object_class->get_property = omni_preferences_window_get_property;
  object_class->set_property = omni_preferences_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         OMNI_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (OMNI_TYPE_LOCATIONS_GROUP);
  g_type_ensure (OMNI_TYPE_STAFF_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/omni-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, shared_button);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, file_button);
  gtk_widget_class_bind_template_callback (widget_class, use_shared_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_file_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, staff_group);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, actor_row);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, reorder_point_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow,
                                        notify_low_stock_switch);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow,
                                        allow_negative_switch);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, sync_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, webhook_row);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, webhook_switch);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, webhook_port_spin);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow, locations_group);
  gtk_widget_class_bind_template_child (widget_class, OmniPreferencesWindow,
                                        staff_profiles_group);
}

static void
omni_preferences_window_init (OmniPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->currency_codes = gtk_string_list_new (NULL);
}

/**
 * omni_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @context: whose settings and database it edits
 *
 * Returns: (transfer none): a new preferences window, owned by GTK
 */
GtkWidget *
omni_preferences_window_new (GtkWindow   *parent,
                             OmniContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "context", context,
                       NULL);
}
