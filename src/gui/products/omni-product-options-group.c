/* omni-product-options-group.c: a product's options in the editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Up to three options, each a name ("Size") and its values typed with
 * commas between them ("S, M, L"). A new product's variants are every
 * combination of the values, so the group checks what would make that
 * matrix wrong (a value listed twice, values without a name, too many
 * variants) and shows why under the row at fault. Once a product exists
 * its number of options is fixed by the store: the group then shows the
 * names only, for renaming.
 */
#define G_LOG_DOMAIN "omni-product-options-group"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "omni-error-row.h"
#include "omni-product-options-group.h"
#include "omni-text.h"

#define MAX_OPTIONS 3

struct _OmniProductOptionsGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwEntryRow         *name_rows[MAX_OPTIONS];
  AdwEntryRow         *value_rows[MAX_OPTIONS];
  OmniErrorRow        *name_errors[MAX_OPTIONS];
  OmniErrorRow        *value_errors[MAX_OPTIONS];
  char                *initial[2 * MAX_OPTIONS];

  gboolean             fixed;
  guint                n_fixed;

  /* As last validated: the options in use, gaps closed. */
  char                *names[MAX_OPTIONS + 1];
  GStrv                values[MAX_OPTIONS];
  guint                n_options;
};

G_DEFINE_FINAL_TYPE (OmniProductOptionsGroup, omni_product_options_group,
                     ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
changed_cb (OmniProductOptionsGroup *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static AdwEntryRow *
add_row (OmniProductOptionsGroup  *self,
         const char               *title,
         OmniErrorRow            **error_row)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_object (row, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  *error_row = OMNI_ERROR_ROW (omni_error_row_new (row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (*error_row));
  return ADW_ENTRY_ROW (row);
}

static void
clear_parsed (OmniProductOptionsGroup *self)
{
  for (guint i = 0; i < MAX_OPTIONS; i++)
    {
      g_clear_pointer (&self->names[i], g_free);
      g_clear_pointer (&self->values[i], g_strfreev);
    }
  self->n_options = 0;
}

static void
omni_product_options_group_finalize (GObject *object)
{
  OmniProductOptionsGroup *self = OMNI_PRODUCT_OPTIONS_GROUP (object);

  clear_parsed (self);
  for (guint i = 0; i < G_N_ELEMENTS (self->initial); i++)
    g_free (self->initial[i]);

  G_OBJECT_CLASS (omni_product_options_group_parent_class)->finalize (object);
}

static void
omni_product_options_group_class_init (OmniProductOptionsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_product_options_group_finalize;

  /**
   * OmniProductOptionsGroup::changed:
   *
   * The merchant edited an option name or its values.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
omni_product_options_group_init (OmniProductOptionsGroup *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Options"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Up to three, such as Size or Colour. Every "
                                           "combination of their values becomes a variant."));

  for (guint i = 0; i < MAX_OPTIONS; i++)
    {
      g_autofree char *name_title = g_strdup_printf (_("Option %u name"), i + 1);
      g_autofree char *values_title = g_strdup_printf (_("Option %u values, separated by "
                                                         "commas"), i + 1);

      self->name_rows[i] = add_row (self, name_title, &self->name_errors[i]);
      self->value_rows[i] = add_row (self, values_title, &self->value_errors[i]);
      self->initial[2 * i] = g_strdup ("");
      self->initial[2 * i + 1] = g_strdup ("");
    }
}

GtkWidget *
omni_product_options_group_new (void)
{
  return g_object_new (OMNI_TYPE_PRODUCT_OPTIONS_GROUP, NULL);
}

/**
 * omni_product_options_group_set_fixed:
 * @names: (array zero-terminated=1): the stored product's option names
 *
 * Shows only the names of the options the product has, for renaming.
 */
void
omni_product_options_group_set_fixed (OmniProductOptionsGroup *self,
                                      const char * const      *names)
{
  g_return_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self));

  self->fixed = TRUE;
  self->n_fixed = 0;
  while (names != NULL && self->n_fixed < MAX_OPTIONS && names[self->n_fixed] != NULL)
    self->n_fixed++;

  for (guint i = 0; i < MAX_OPTIONS; i++)
    {
      gboolean shown = i < self->n_fixed;

      gtk_editable_set_text (GTK_EDITABLE (self->name_rows[i]), shown ? names[i] : "");
      g_free (self->initial[2 * i]);
      self->initial[2 * i] = g_strdup (shown ? names[i] : "");
      gtk_widget_set_visible (GTK_WIDGET (self->name_rows[i]), shown);
      gtk_widget_set_visible (GTK_WIDGET (self->value_rows[i]), FALSE);
    }

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Options can be renamed. Their number is fixed "
                                           "once a product has variants."));
  gtk_widget_set_visible (GTK_WIDGET (self), self->n_fixed > 0);
  omni_product_options_group_validate (self);
}

/* Splits "S, M, L" into its values; NULL with @message set when a value is
 * listed twice or too long. */
static GStrv
split_values (const char  *text,
              char       **message)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *value = g_strstrip (parts[i]);

      if (*value == '\0')
        continue;
      if (strlen (value) > OMNI_TEXT_MAX_LINE)
        {
          *message = g_strdup_printf (_("A value is too long: at most %u bytes"),
                                      (guint) OMNI_TEXT_MAX_LINE);
          return NULL;
        }
      if (!g_hash_table_add (seen, g_utf8_casefold (value, -1)))
        {
          *message = g_strdup_printf (_("“%s” is listed twice"), value);
          return NULL;
        }
      g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}

static gboolean
name_used_before (OmniProductOptionsGroup *self,
                  const char              *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; i < self->n_options; i++)
    {
      g_autofree char *other = g_utf8_casefold (self->names[i], -1);

      if (g_str_equal (folded, other))
        return TRUE;
    }
  return FALSE;
}

/* Checks option @i; on success adds it to the parsed options. */
static gboolean
validate_option (OmniProductOptionsGroup *self,
                 guint                    i)
{
  g_autofree char *name = row_text (self->name_rows[i]);
  g_autofree char *text = row_text (self->value_rows[i]);
  g_autofree char *name_message = NULL;
  g_autofree char *values_message = NULL;
  g_auto(GStrv) values = NULL;
  gboolean used = self->fixed ? i < self->n_fixed : (*name != '\0' || *text != '\0');

  if (!used)
    goto done;

  if (!self->fixed)
    values = split_values (text, &values_message);
  if (*name == '\0')
    name_message = g_strdup (self->fixed ? _("An option needs a name")
                                         : _("Name this option, such as Size"));
  else if (strlen (name) > OMNI_TEXT_MAX_LINE)
    name_message = g_strdup_printf (_("This is too long: at most %u bytes"),
                                    (guint) OMNI_TEXT_MAX_LINE);
  else if (name_used_before (self, name))
    name_message = g_strdup (_("Another option has this name"));
  if (!self->fixed && values != NULL && values[0] == NULL)
    values_message = g_strdup (_("Enter at least one value"));

  if (name_message == NULL && values_message == NULL)
    {
      self->names[self->n_options] = g_steal_pointer (&name);
      self->values[self->n_options] = g_steal_pointer (&values);
      self->n_options++;
    }

done:
  omni_error_row_set_message (self->name_errors[i], name_message);
  omni_error_row_set_message (self->value_errors[i], values_message);
  return name_message == NULL && values_message == NULL;
}

/**
 * omni_product_options_group_validate:
 *
 * Reads the options again and shows what is wrong with them.
 *
 * Returns: %TRUE when the options are acceptable
 */
gboolean
omni_product_options_group_validate (OmniProductOptionsGroup *self)
{
  gboolean valid = TRUE;
  guint64 n_variants = 1;
  guint last = 0;

  g_return_val_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self), FALSE);

  clear_parsed (self);
  for (guint i = 0; i < MAX_OPTIONS; i++)
    valid &= validate_option (self, i);

  for (guint i = 0; !self->fixed && i < self->n_options; i++)
    n_variants *= g_strv_length (self->values[i]);
  for (guint i = 0; i < MAX_OPTIONS; i++)
    if (gtk_widget_get_visible (GTK_WIDGET (self->value_rows[i])) &&
        *gtk_editable_get_text (GTK_EDITABLE (self->value_rows[i])) != '\0')
      last = i;

  if (valid && n_variants > OMNI_PRODUCT_MAX_VARIANTS)
    {
      g_autofree char *message =
        g_strdup_printf (_("These values make %u variants; a product can have at most %u"),
                         (guint) n_variants, OMNI_PRODUCT_MAX_VARIANTS);

      omni_error_row_set_message (self->value_errors[last], message);
      valid = FALSE;
    }
  return valid;
}

/* How many options the product has, as last validated. */
guint
omni_product_options_group_get_n_options (OmniProductOptionsGroup *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self), 0);

  return self->n_options;
}

/**
 * omni_product_options_group_get_names:
 *
 * Returns: (array zero-terminated=1) (transfer none): the option names, as
 *   last validated
 */
const char * const *
omni_product_options_group_get_names (OmniProductOptionsGroup *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self), NULL);

  return (const char * const *) self->names;
}

/**
 * omni_product_options_group_get_values:
 *
 * Returns: (transfer full): the values of option @index, in the order typed
 */
GStrv
omni_product_options_group_get_values (OmniProductOptionsGroup *self,
                                       guint                    index)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self), NULL);
  g_return_val_if_fail (index < self->n_options, NULL);

  return g_strdupv (self->values[index]);
}

gboolean
omni_product_options_group_get_dirty (OmniProductOptionsGroup *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self), FALSE);

  for (guint i = 0; i < MAX_OPTIONS; i++)
    if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->name_rows[i])),
                   self->initial[2 * i]) != 0 ||
        g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->value_rows[i])),
                   self->initial[2 * i + 1]) != 0)
      return TRUE;
  return FALSE;
}

/**
 * omni_product_options_group_show_error:
 * @message: an error the store gave for the product
 *
 * Shows @message under the option name it is about, if it is about one.
 *
 * Returns: %TRUE when the message was placed
 */
gboolean
omni_product_options_group_show_error (OmniProductOptionsGroup *self,
                                       const char              *message)
{
  guint row = MAX_OPTIONS;

  g_return_val_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self), FALSE);

  if (!g_str_has_prefix (message, "Option name") && !g_str_has_prefix (message, "Option "))
    return FALSE;

  /* "Option name “Size” is used twice": the second row with that name. */
  for (guint i = 0; i < MAX_OPTIONS; i++)
    {
      g_autofree char *name = row_text (self->name_rows[i]);
      g_autofree char *quoted = g_strdup_printf ("“%s”", name);

      if (*name != '\0' && strstr (message, quoted) != NULL)
        row = i;
    }
  if (row == MAX_OPTIONS)
    row = 0;

  omni_error_row_set_message (self->name_errors[row], message);
  return TRUE;
}

/* Types an option's name and values as the merchant would. */
void
omni_product_options_group_set_text (OmniProductOptionsGroup *self,
                                     guint                    index,
                                     const char              *name,
                                     const char              *values)
{
  g_return_if_fail (OMNI_IS_PRODUCT_OPTIONS_GROUP (self));
  g_return_if_fail (index < MAX_OPTIONS);

  gtk_editable_set_text (GTK_EDITABLE (self->name_rows[index]), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->value_rows[index]), values != NULL ? values : "");
}
