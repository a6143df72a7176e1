/* omni-locations-group.c: the shop's locations, in the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One editable row per location: type a new name and apply to rename it;
 * the star makes it the default; the archive button retires it (the store
 * refuses the default and any location still holding stock, and says
 * why). Archived locations are listed after the others with a button that
 * restores them. The last row adds a location. Archiving needs an owner.
 * Each change is one small transaction on the window's connection and is
 * announced with omni_context_store_changed(), so the pages follow.
 */
#define G_LOG_DOMAIN "omni-locations-group"

#include "config.h"

#include <glib/gi18n.h>

#include "omni-inventory-util.h"
#include "omni-locations-group.h"
#include "omni-owner-guard.h"
#include "omni-store-inventory.h"

struct _OmniLocationsGroup
{
  AdwPreferencesGroup  parent_instance;

  OmniContext         *context;     /* weak: the window's, which outlives it */
  GPtrArray           *rows;        /* GtkWidget, the location rows shown */
  AdwEntryRow         *add_row;
};

G_DEFINE_FINAL_TYPE (OmniLocationsGroup, omni_locations_group, ADW_TYPE_PREFERENCES_GROUP)

static void reload (OmniLocationsGroup *self);

/* After a write: tell everybody, or say why nothing changed. */
static gboolean
finish (OmniLocationsGroup *self,
        gboolean            ok,
        GError             *error)
{
  if (!ok)
    omni_inventory_preferences_toast (GTK_WIDGET (self), error->message);
  else
    omni_context_store_changed (self->context);
  reload (self);
  return ok;
}

static gint64
row_location (GtkWidget *row)
{
  return GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "omni-location-id"));
}

static void
rename_applied_cb (AdwEntryRow        *row,
                   OmniLocationsGroup *self)
{
  omni_locations_group_rename (self, row_location (GTK_WIDGET (row)),
                               gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
default_clicked_cb (GtkButton          *button,
                    OmniLocationsGroup *self)
{
  omni_locations_group_make_default (self, row_location (GTK_WIDGET (button)));
}

typedef struct
{
  OmniLocationsGroup *self;
  gint64              location_id;
} Archive;

static void
archive_guarded (gpointer data)
{
  Archive *archive = data;

  omni_locations_group_set_archived (archive->self, archive->location_id, TRUE);
}

static void
archive_free (gpointer data)
{
  Archive *archive = data;

  g_object_unref (archive->self);
  g_free (archive);
}

static void
archive_clicked_cb (GtkButton          *button,
                    OmniLocationsGroup *self)
{
  Archive *archive = g_new0 (Archive, 1);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  archive->self = g_object_ref (self);
  archive->location_id = row_location (GTK_WIDGET (button));
  omni_owner_guard_run (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->context,
                        _("Archiving a location needs an owner"),
                        archive_guarded, archive, archive_free);
}

static void
restore_clicked_cb (GtkButton          *button,
                    OmniLocationsGroup *self)
{
  omni_locations_group_set_archived (self, row_location (GTK_WIDGET (button)), FALSE);
}

static void
add_applied_cb (AdwEntryRow        *row,
                OmniLocationsGroup *self)
{
  if (omni_locations_group_add (self, gtk_editable_get_text (GTK_EDITABLE (row))))
    gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *tooltip,
             gint64      location_id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "omni-location-id", GSIZE_TO_POINTER (location_id));
  return button;
}

static GtkWidget *
create_row (OmniLocationsGroup *self,
            const OmniLocation *location)
{
  GtkWidget *row;
  GtkWidget *button;

  if (location->archived)
    {
      row = adw_action_row_new ();
      /* a name is text, not markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), location->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Archived"));
      button = icon_button ("edit-undo-symbolic", _("Restore"), location->id);
      g_signal_connect_object (button, "clicked", G_CALLBACK (restore_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  else
    {
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     location->is_default ? _("Default location")
                                                          : _("Location"));
      gtk_editable_set_text (GTK_EDITABLE (row), location->name);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      g_signal_connect_object (row, "apply", G_CALLBACK (rename_applied_cb), self, 0);

      if (location->is_default)
        {
          GtkWidget *star = gtk_image_new_from_icon_name ("starred-symbolic");

          gtk_widget_set_tooltip_text (star, _("The default location"));
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), star);
        }
      else
        {
          button = icon_button ("non-starred-symbolic", _("Make Default"), location->id);
          g_signal_connect_object (button, "clicked", G_CALLBACK (default_clicked_cb), self, 0);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
          button = icon_button ("user-trash-symbolic", _("Archive"), location->id);
          g_signal_connect_object (button, "clicked", G_CALLBACK (archive_clicked_cb), self, 0);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
        }
    }

  g_object_set_data (G_OBJECT (row), "omni-location-id", GSIZE_TO_POINTER (location->id));
  return row;
}

static void
reload (OmniLocationsGroup *self)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  if (self->add_row != NULL)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));

  if (self->context == NULL)
    return;

  locations = omni_store_list_locations (omni_context_get_store (self->context), TRUE, &error);
  if (locations == NULL)
    omni_inventory_preferences_toast (GTK_WIDGET (self), error->message);
  for (guint i = 0; locations != NULL && i < locations->len; i++)
    {
      GtkWidget *row = create_row (self, g_ptr_array_index (locations, i));

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }

  if (self->add_row == NULL)
    {
      self->add_row = ADW_ENTRY_ROW (g_object_ref_sink (adw_entry_row_new ()));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("Add a location"));
      adw_entry_row_set_show_apply_button (self->add_row, TRUE);
      g_signal_connect_object (self->add_row, "apply", G_CALLBACK (add_applied_cb), self, 0);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
}

static void
omni_locations_group_dispose (GObject *object)
{
  OmniLocationsGroup *self = OMNI_LOCATIONS_GROUP (object);

  g_clear_weak_pointer (&self->context);
  g_clear_object (&self->add_row);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (omni_locations_group_parent_class)->dispose (object);
}

static void
omni_locations_group_class_init (OmniLocationsGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = omni_locations_group_dispose;
}

static void
omni_locations_group_init (OmniLocationsGroup *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Locations"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Where stock is kept. Stock without a location "
                                           "goes to the default one."));
}

void
omni_locations_group_set_context (OmniLocationsGroup *self,
                                  OmniContext        *context)
{
  g_return_if_fail (OMNI_IS_LOCATIONS_GROUP (self));
  g_return_if_fail (OMNI_IS_CONTEXT (context));

  g_set_weak_pointer (&self->context, context);
  reload (self);
}

/**
 * omni_locations_group_add:
 *
 * Returns: %FALSE after a toast saying why, when the store refused
 */
gboolean
omni_locations_group_add (OmniLocationsGroup *self,
                          const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = NULL;
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_LOCATIONS_GROUP (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stripped = g_strstrip (g_strdup (name));
  ok = omni_store_add_location (omni_context_get_store (self->context), stripped,
                                FALSE, &error) > 0;
  return finish (self, ok, error);
}

gboolean
omni_locations_group_rename (OmniLocationsGroup *self,
                             gint64              location_id,
                             const char         *name)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_LOCATIONS_GROUP (self), FALSE);

  ok = omni_store_rename_location (omni_context_get_store (self->context),
                                   location_id, name, &error);
  return finish (self, ok, error);
}

gboolean
omni_locations_group_make_default (OmniLocationsGroup *self,
                                   gint64              location_id)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_LOCATIONS_GROUP (self), FALSE);

  ok = omni_store_set_default_location (omni_context_get_store (self->context),
                                        location_id, &error);
  return finish (self, ok, error);
}

/**
 * omni_locations_group_set_archived:
 *
 * Archives or restores without asking for an owner's PIN: the archive
 * button asks first.
 */
gboolean
omni_locations_group_set_archived (OmniLocationsGroup *self,
                                   gint64              location_id,
                                   gboolean            archived)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_LOCATIONS_GROUP (self), FALSE);

  ok = omni_store_set_location_archived (omni_context_get_store (self->context),
                                         location_id, archived, &error);
  return finish (self, ok, error);
}

/* The location rows shown, archived ones included. */
guint
omni_locations_group_get_n_rows (OmniLocationsGroup *self)
{
  g_return_val_if_fail (OMNI_IS_LOCATIONS_GROUP (self), 0);
  return self->rows->len;
}
