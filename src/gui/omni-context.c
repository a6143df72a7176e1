/* omni-context.c: what one window works on (store, settings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application builds one context per open database and hands it to the
 * window and its pages as a construct-only property, so nothing reaches for
 * globals and a test can build a context around a temporary database.
 */
#define G_LOG_DOMAIN "omni-context"

#include "config.h"

#include "omni-context.h"
#include "omni-store-watch.h"

struct _OmniContext
{
  GObject    parent_instance;

  OmniStore      *store;
  GSettings      *settings;
  /* Changes other computers make to a shared store (PostgreSQL). */
  OmniStoreWatch *watch;

  /* The staff profile working now; 0 when none is chosen. */
  gint64     staff_id;
  char      *staff_name;
  char      *staff_role;
};

G_DEFINE_FINAL_TYPE (OmniContext, omni_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_STAFF_ID,
  N_PROPS
};

enum {
  STORE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Listening takes a connection of its own: opened on a worker, so that a
 * window never waits for the server. The watch's socket is watched from
 * the default main context, whichever thread creates it. */
static void
watch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  OmniStoreWatch *watch = omni_store_watch_new (task_data, &error);

  if (watch == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, watch, g_object_unref);
}

static void
watch_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OmniContext) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStoreWatch) watch = g_task_propagate_pointer (G_TASK (result), &error);

  if (watch == NULL)
    {
      g_message ("Changes from other computers will show on the next refresh only: %s",
                 error->message);
      return;
    }
  /* Disposed meanwhile: nobody to tell. */
  if (self->store == NULL)
    return;
  self->watch = g_steal_pointer (&watch);
  g_signal_connect_object (self->watch, "changed", G_CALLBACK (omni_context_store_changed),
                           self, G_CONNECT_SWAPPED);
}

static void
omni_context_constructed (GObject *object)
{
  OmniContext *self = OMNI_CONTEXT (object);

  G_OBJECT_CLASS (omni_context_parent_class)->constructed (object);

  g_assert (OMNI_IS_STORE (self->store));

  if (self->settings == NULL)
    self->settings = g_settings_new (OMNI_SETTINGS_SCHEMA_ID);

  /* Another till's sale shows here within a second. A file store is only
   * written on this computer, by code that calls store_changed itself. */
  if (omni_store_location_is_shared (omni_store_get_path (self->store)))
    {
      /* The owner is not the task's source: see omni_worker_task_new(). */
      g_autoptr(GTask) task = g_task_new (NULL, NULL, watch_ready_cb, g_object_ref (self));

      g_task_set_source_tag (task, omni_context_constructed);
      g_task_set_task_data (task, g_strdup (omni_store_get_path (self->store)), g_free);
      g_task_run_in_thread (task, watch_thread);
    }
}

static void
omni_context_dispose (GObject *object)
{
  OmniContext *self = OMNI_CONTEXT (object);

  g_clear_object (&self->watch);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (omni_context_parent_class)->dispose (object);
}

static void
omni_context_finalize (GObject *object)
{
  OmniContext *self = OMNI_CONTEXT (object);

  g_free (self->staff_name);
  g_free (self->staff_role);

  G_OBJECT_CLASS (omni_context_parent_class)->finalize (object);
}

static void
omni_context_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OmniContext *self = OMNI_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_STAFF_ID:
      g_value_set_int64 (value, self->staff_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_context_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  OmniContext *self = OMNI_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_context_class_init (OmniContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = omni_context_constructed;
  object_class->dispose = omni_context_dispose;
  object_class->finalize = omni_context_finalize;
  object_class->get_property = omni_context_get_property;
  object_class->set_property = omni_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         OMNI_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /* NULL at construction means the application's own schema. */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /* The staff profile working now (omni_context_set_staff()); 0 for none. */
  properties[PROP_STAFF_ID] =
    g_param_spec_int64 ("staff-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmniContext::store-changed:
   *
   * Emitted on the main thread after something (a worker, a dialog) wrote
   * to the database, so views re-read what they show.
   */
  signals[STORE_CHANGED] =
    g_signal_new ("store-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
omni_context_init (OmniContext *self)
{
}

/**
 * omni_context_new:
 * @store: the open database
 * @settings: (nullable): the settings to use; %NULL for the application schema
 *
 * Returns: (transfer full): a new context
 */
OmniContext *
omni_context_new (OmniStore *store,
                  GSettings *settings)
{
  g_return_val_if_fail (OMNI_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (OMNI_TYPE_CONTEXT,
                       "store", store,
                       "settings", settings,
                       NULL);
}

/**
 * omni_context_get_store:
 *
 * The main thread's connection. Work that can grow with the catalog opens
 * its own connection on omni_store_get_path() in a worker instead.
 *
 * Returns: (transfer none): the store
 */
OmniStore *
omni_context_get_store (OmniContext *self)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (self), NULL);

  return self->store;
}

/**
 * omni_context_get_settings:
 *
 * Returns: (transfer none): the settings
 */
GSettings *
omni_context_get_settings (OmniContext *self)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (self), NULL);

  return self->settings;
}

/**
 * omni_context_dup_actor:
 *
 * The name recorded with stock changes: the staff profile working now,
 * else the staff name from the preferences, or the operating system user
 * name when that is empty too.
 *
 * Returns: (transfer full): the actor name
 */
char *
omni_context_dup_actor (OmniContext *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (OMNI_IS_CONTEXT (self), NULL);

  if (self->staff_id > 0)
    return g_strdup (self->staff_name);

  name = g_strstrip (g_settings_get_string (self->settings, "actor-name"));
  if (name[0] != '\0')
    return g_steal_pointer (&name);

  return g_strdup (g_get_user_name ());
}

/**
 * omni_context_store_changed:
 *
 * Tells every view of this context that the database changed.
 */
void
omni_context_store_changed (OmniContext *self)
{
  g_return_if_fail (OMNI_IS_CONTEXT (self));

  g_signal_emit (self, signals[STORE_CHANGED], 0);
}

/**
 * omni_context_set_staff:
 * @staff_id: the profile's id, 0 for none
 * @name: (nullable): its name
 * @role: (nullable): "owner" or "staff"
 *
 * Says which staff profile works now: its name becomes the actor of every
 * change. The caller has checked the PIN.
 */
void
omni_context_set_staff (OmniContext *self,
                        gint64       staff_id,
                        const char  *name,
                        const char  *role)
{
  g_return_if_fail (OMNI_IS_CONTEXT (self));
  g_return_if_fail (staff_id >= 0);
  g_return_if_fail (staff_id == 0 || name != NULL);

  if (staff_id == 0)
    name = role = NULL;
  if (self->staff_id == staff_id &&
      g_strcmp0 (self->staff_name, name) == 0 &&
      g_strcmp0 (self->staff_role, role) == 0)
    return;

  self->staff_id = staff_id;
  g_free (self->staff_name);
  self->staff_name = g_strdup (name);
  g_free (self->staff_role);
  self->staff_role = g_strdup (role);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_ID]);
}

gint64
omni_context_get_staff_id (OmniContext *self)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (self), 0);

  return self->staff_id;
}

/**
 * omni_context_get_staff_name:
 *
 * Returns: (nullable): the name of the staff profile working now
 */
const char *
omni_context_get_staff_name (OmniContext *self)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (self), NULL);

  return self->staff_name;
}

/**
 * omni_context_get_staff_role:
 *
 * Returns: (nullable): "owner" or "staff", %NULL when no profile is chosen
 */
const char *
omni_context_get_staff_role (OmniContext *self)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (self), NULL);

  return self->staff_role;
}
