/* omni-variant-editor-row.c: one variant in the product editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An expander row titled by the variant's option values, with its SKU and
 * price in the subtitle, holding one entry row per field and, under each,
 * an OmniErrorRow that says why the field is refused. The row checks what
 * it can alone (amounts, whole numbers, the barcode's check digit, lengths);
 * the editor adds what needs the other rows or the store (a SKU used twice).
 * Money is typed in major units of the shop currency, as omni_money_parse()
 * reads it.
 */
#define G_LOG_DOMAIN "omni-variant-editor-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "omni-currency.h"
#include "omni-error-row.h"
#include "omni-money.h"
#include "omni-text.h"
#include "omni-variant-editor-row.h"

/* A reorder point or quantity above this is a typing mistake. */
#define MAX_REORDER 1000000
/* 1000 tonnes: anything heavier is a typing mistake. */
#define MAX_WEIGHT_GRAMS G_GINT64_CONSTANT (1000000000)

typedef enum
{
  KIND_OPTION,
  KIND_TEXT,
  KIND_BARCODE,
  KIND_PRICE,
  KIND_MONEY,
  KIND_WEIGHT,
  KIND_REORDER,
} Kind;

static const struct
{
  const char *title;
  Kind        kind;
} fields[OMNI_VARIANT_N_FIELDS] = {
  { NULL, KIND_OPTION },
  { NULL, KIND_OPTION },
  { NULL, KIND_OPTION },
  { N_("SKU"), KIND_TEXT },
  { N_("Barcode"), KIND_BARCODE },
  { N_("Price"), KIND_PRICE },
  { N_("Compare-at price"), KIND_MONEY },
  { N_("Cost"), KIND_MONEY },
  { N_("Weight in grams"), KIND_WEIGHT },
  { N_("Reorder point"), KIND_REORDER },
  { N_("Reorder quantity"), KIND_REORDER },
};

struct _OmniVariantEditorRow
{
  AdwExpanderRow  parent_instance;

  char           *currency;
  char           *option_names[3];
  guint           n_options;
  gboolean        options_editable;

  gint64          variant_id;
  gboolean        archived;
  gboolean        locked;
  char           *option_values[3];

  AdwEntryRow    *entries[OMNI_VARIANT_N_FIELDS];
  OmniErrorRow   *errors[OMNI_VARIANT_N_FIELDS];
  char           *initial[OMNI_VARIANT_N_FIELDS];
  char           *texts[OMNI_VARIANT_N_FIELDS];     /* trimmed, as last validated */
  gint64          numbers[OMNI_VARIANT_N_FIELDS];   /* parsed amounts and counts */
  guint           updating;
};

G_DEFINE_FINAL_TYPE (OmniVariantEditorRow, omni_variant_editor_row, ADW_TYPE_EXPANDER_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The amount as the merchant would type it: "12.50", "1500" for yen. */
static char *
amount_text (OmniMoney   amount,
             const char *currency)
{
  char *text = omni_money_format (amount, currency);
  char *space = strrchr (text, ' ');

  if (space != NULL)
    *space = '\0';
  return text;
}

static const char *
entry_text (OmniVariantEditorRow *self,
            OmniVariantField      field)
{
  return self->entries[field] != NULL
         ? gtk_editable_get_text (GTK_EDITABLE (self->entries[field])) : "";
}

/* Parsing --------------------------------------------------------------- */

static char *
check_money (OmniVariantEditorRow *self,
             const char           *text,
             gboolean              required,
             gint64               *out)
{
  g_autoptr(GError) error = NULL;

  *out = -1;
  if (*text == '\0')
    return required ? g_strdup (_("Enter a price; 0 is allowed")) : NULL;
  if (!omni_money_parse (text, self->currency, out, &error))
    return g_strdup (error->message);
  if (*out < 0)
    return g_strdup (_("Amounts cannot be negative"));
  return NULL;
}

static char *
check_count (const char *text,
             gint64      max,
             gint64      empty_value,
             gint64     *out)
{
  g_autofree char *max_text = g_strdup_printf ("%'" G_GINT64_FORMAT, max);
  guint64 value;

  *out = empty_value;
  if (*text == '\0')
    return NULL;
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    /* Translators: %s is the largest number allowed, such as 1,000,000 */
    return g_strdup_printf (_("Enter a whole number from 0 to %s"), max_text);
  *out = (gint64) value;
  return NULL;
}

static char *
check_text (const char *text,
            gsize       max_bytes)
{
  if (strlen (text) > max_bytes)
    return g_strdup_printf (ngettext ("This is too long: at most %u byte",
                                      "This is too long: at most %u bytes",
                                      (gulong) max_bytes),
                            (guint) max_bytes);
  return NULL;
}

static char *
check_field (OmniVariantEditorRow *self,
             OmniVariantField      field,
             const char           *text)
{
  g_autoptr(GError) error = NULL;
  gint64 *number = &self->numbers[field];

  switch (fields[field].kind)
    {
    case KIND_OPTION:
      if (*text == '\0')
        return g_strdup (_("Enter a value for this option"));
      return check_text (text, OMNI_TEXT_MAX_LINE);
    case KIND_TEXT:
      return check_text (text, OMNI_TEXT_MAX_LINE);
    case KIND_BARCODE:
      if (strlen (text) > 64)
        return check_text (text, 64);
      return omni_barcode_check (text, &error) ? NULL : g_strdup (error->message);
    case KIND_PRICE:
      return check_money (self, text, TRUE, number);
    case KIND_MONEY:
      return check_money (self, text, FALSE, number);
    case KIND_WEIGHT:
      return check_count (text, MAX_WEIGHT_GRAMS, 0, number);
    case KIND_REORDER:
    default:
      return check_count (text, MAX_REORDER, -1, number);
    }
}

/* Title and subtitle -------------------------------------------------------- */

static void
update_title (OmniVariantEditorRow *self)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  g_autofree char *markup = NULL;

  for (guint i = 0; i < self->n_options; i++)
    {
      const char *value = self->options_editable ? self->texts[i] : self->option_values[i];

      if (value != NULL && *value != '\0')
        g_ptr_array_add (values, (gpointer) value);
    }
  g_ptr_array_add (values, NULL);
  joined = g_strjoinv (" / ", (char **) values->pdata);

  if (*joined == '\0')
    markup = g_strdup (self->n_options == 0 ? _("Default Variant") : _("New Variant"));
  else
    markup = g_markup_escape_text (joined, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), markup);
}

static void
update_subtitle (OmniVariantEditorRow *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;
  const char *sku = self->texts[OMNI_VARIANT_FIELD_SKU];

  if (self->archived)
    g_ptr_array_add (parts, g_strdup (_("Archived")));
  if (self->locked)
    g_ptr_array_add (parts, g_strdup (_("Its option values cannot be edited here")));
  g_ptr_array_add (parts, g_strdup (sku != NULL && *sku != '\0' ? sku : _("No SKU")));
  if (self->numbers[OMNI_VARIANT_FIELD_PRICE] >= 0)
    g_ptr_array_add (parts, omni_currency_format (self->numbers[OMNI_VARIANT_FIELD_PRICE],
                                                  self->currency));
  g_ptr_array_add (parts, NULL);

  /* Translators: separates a variant's SKU, price and state */
  text = g_strjoinv (_(" · "), (char **) parts->pdata);
  markup = g_markup_escape_text (text, -1);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), markup);
}

/* Building ------------------------------------------------------------------ */

static void
entry_changed_cb (OmniVariantEditorRow *self)
{
  if (self->updating == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
add_field (OmniVariantEditorRow *self,
           OmniVariantField      field)
{
  GtkWidget *entry = adw_entry_row_new ();
  GtkWidget *error_row;
  g_autofree char *title = NULL;

  if (fields[field].kind == KIND_OPTION)
    title = g_markup_escape_text (self->option_names[field], -1);
  else if (fields[field].kind == KIND_PRICE || fields[field].kind == KIND_MONEY)
    /* Translators: a money field and the currency it is in, "Price (EUR)" */
    title = g_markup_printf_escaped (_("%s (%s)"), _(fields[field].title),
                                     self->currency != NULL ? self->currency : "");
  else
    title = g_markup_escape_text (_(fields[field].title), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);

  if (fields[field].kind >= KIND_PRICE)
    adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (entry),
                                     fields[field].kind >= KIND_WEIGHT
                                     ? GTK_INPUT_PURPOSE_DIGITS : GTK_INPUT_PURPOSE_NUMBER);
  g_signal_connect_object (entry, "changed", G_CALLBACK (entry_changed_cb), self,
                           G_CONNECT_SWAPPED);

  error_row = omni_error_row_new (entry);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), entry);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), error_row);
  self->entries[field] = ADW_ENTRY_ROW (entry);
  self->errors[field] = OMNI_ERROR_ROW (error_row);
}

static void
omni_variant_editor_row_finalize (GObject *object)
{
  OmniVariantEditorRow *self = OMNI_VARIANT_EDITOR_ROW (object);

  g_free (self->currency);
  for (guint i = 0; i < 3; i++)
    {
      g_free (self->option_names[i]);
      g_free (self->option_values[i]);
    }
  for (guint i = 0; i < OMNI_VARIANT_N_FIELDS; i++)
    {
      g_free (self->initial[i]);
      g_free (self->texts[i]);
    }

  G_OBJECT_CLASS (omni_variant_editor_row_parent_class)->finalize (object);
}

static void
omni_variant_editor_row_class_init (OmniVariantEditorRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = omni_variant_editor_row_finalize;

  /**
   * OmniVariantEditorRow::changed:
   *
   * The merchant edited a field.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
omni_variant_editor_row_init (OmniVariantEditorRow *self)
{
  for (guint i = 0; i < OMNI_VARIANT_N_FIELDS; i++)
    self->numbers[i] = -1;
}

static void
set_text (OmniVariantEditorRow *self,
          OmniVariantField      field,
          const char           *text)
{
  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (self->entries[field]), text != NULL ? text : "");
  self->updating--;
  g_free (self->initial[field]);
  self->initial[field] = g_strdup (entry_text (self, field));
}

/**
 * omni_variant_editor_row_new:
 * @currency: the shop currency's ISO 4217 code
 * @option_names: (array zero-terminated=1): the product's option names
 * @options_editable: show an entry for each option value (a variant added
 *   to an existing product); otherwise the values are set with
 *   omni_variant_editor_row_set_option_values()
 *
 * Returns: (transfer floating): a row for a new variant, priced 0
 */
GtkWidget *
omni_variant_editor_row_new (const char         *currency,
                             const char * const *option_names,
                             gboolean            options_editable)
{
  OmniVariantEditorRow *self = g_object_new (OMNI_TYPE_VARIANT_EDITOR_ROW, NULL);
  g_autofree char *zero = amount_text (0, currency);

  self->currency = g_strdup (currency);
  self->options_editable = options_editable;
  for (guint i = 0; option_names != NULL && i < 3 && option_names[i] != NULL; i++)
    self->option_names[self->n_options++] = g_strdup (option_names[i]);

  for (OmniVariantField field = 0; field < OMNI_VARIANT_N_FIELDS; field++)
    if (fields[field].kind != KIND_OPTION || (options_editable && field < self->n_options))
      add_field (self, field);

  set_text (self, OMNI_VARIANT_FIELD_PRICE, zero);
  omni_variant_editor_row_validate (self);
  return GTK_WIDGET (self);
}

static void
set_money (OmniVariantEditorRow *self,
           OmniVariantField      field,
           OmniMoney             amount)
{
  g_autofree char *text = amount >= 0 ? amount_text (amount, self->currency) : NULL;

  set_text (self, field, text);
}

static void
set_count (OmniVariantEditorRow *self,
           OmniVariantField      field,
           gint64                count)
{
  g_autofree char *text = count >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, count) : NULL;

  set_text (self, field, text);
}

/**
 * omni_variant_editor_row_load:
 * @row: the stored variant
 * @option_values: (nullable): its option values, one per option; %NULL
 *   when they could not be told apart, which leaves the row read-only
 *
 * Shows a stored variant; what it shows now counts as unchanged.
 */
void
omni_variant_editor_row_load (OmniVariantEditorRow *self,
                              const OmniVariantRow *row,
                              const char * const   *option_values)
{
  g_return_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self));
  g_return_if_fail (row != NULL);

  self->variant_id = row->id;
  self->archived = row->archived;
  self->locked = option_values == NULL && self->n_options > 0;
  if (option_values != NULL)
    omni_variant_editor_row_set_option_values (self, option_values);

  set_text (self, OMNI_VARIANT_FIELD_SKU, row->sku);
  set_text (self, OMNI_VARIANT_FIELD_BARCODE, row->barcode);
  set_money (self, OMNI_VARIANT_FIELD_PRICE, row->price);
  set_money (self, OMNI_VARIANT_FIELD_COMPARE_AT_PRICE, row->compare_at_price);
  set_money (self, OMNI_VARIANT_FIELD_COST, row->cost);
  set_count (self, OMNI_VARIANT_FIELD_WEIGHT, row->weight_grams);
  set_count (self, OMNI_VARIANT_FIELD_REORDER_POINT, row->reorder_point);
  set_count (self, OMNI_VARIANT_FIELD_REORDER_QTY, row->reorder_qty);

  for (guint i = 0; i < OMNI_VARIANT_N_FIELDS; i++)
    if (self->entries[i] != NULL)
      gtk_widget_set_sensitive (GTK_WIDGET (self->entries[i]), !self->locked);
  if (self->locked)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), row->options);

  omni_variant_editor_row_validate (self);
}

/**
 * omni_variant_editor_row_set_option_values:
 * @values: one value per option of the product
 *
 * The values of a variant whose options are not edited in the row.
 */
void
omni_variant_editor_row_set_option_values (OmniVariantEditorRow *self,
                                           const char * const   *values)
{
  g_return_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self));

  for (guint i = 0; i < self->n_options; i++)
    {
      g_free (self->option_values[i]);
      self->option_values[i] = g_strdup (values[i]);
    }
  update_title (self);
}

/**
 * omni_variant_editor_row_dup_option_key:
 *
 * Returns: (transfer full): the option values, joined so that two variants
 *   with the same values have the same key, whatever their case
 */
char *
omni_variant_editor_row_dup_option_key (OmniVariantEditorRow *self)
{
  g_autoptr(GString) key = g_string_new (NULL);

  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), NULL);

  for (guint i = 0; i < self->n_options; i++)
    {
      const char *value = self->options_editable ? self->texts[i] : self->option_values[i];
      g_autofree char *folded = g_utf8_casefold (value != NULL ? value : "", -1);

      g_string_append (key, folded);
      g_string_append_c (key, '\x1f');
    }
  return g_string_free (g_steal_pointer (&key), FALSE);
}

/* 0 for a variant not saved yet. */
gint64
omni_variant_editor_row_get_variant_id (OmniVariantEditorRow *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), 0);

  return self->variant_id;
}

/* A stored variant whose option values could not be read apart: shown,
 * never written. */
gboolean
omni_variant_editor_row_get_locked (OmniVariantEditorRow *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), FALSE);

  return self->locked;
}

/* Whether a field differs from what was loaded, or for a new row from
 * what it started with. */
gboolean
omni_variant_editor_row_get_dirty (OmniVariantEditorRow *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), FALSE);

  for (guint i = 0; i < OMNI_VARIANT_N_FIELDS; i++)
    if (self->entries[i] != NULL && g_strcmp0 (self->initial[i], entry_text (self, i)) != 0)
      return TRUE;
  return FALSE;
}

/* Returns: the SKU as typed, trimmed; "" when there is none */
const char *
omni_variant_editor_row_get_sku (OmniVariantEditorRow *self)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), "");

  return self->texts[OMNI_VARIANT_FIELD_SKU] != NULL ? self->texts[OMNI_VARIANT_FIELD_SKU] : "";
}

/**
 * omni_variant_editor_row_validate:
 *
 * Checks every field on its own and shows, under each, why it is refused.
 *
 * Returns: %TRUE when every field is acceptable
 */
gboolean
omni_variant_editor_row_validate (OmniVariantEditorRow *self)
{
  gboolean valid = TRUE;

  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), FALSE);

  for (OmniVariantField field = 0; field < OMNI_VARIANT_N_FIELDS; field++)
    {
      g_autofree char *message = NULL;

      if (self->entries[field] == NULL)
        continue;

      g_free (self->texts[field]);
      self->texts[field] = g_strstrip (g_strdup (entry_text (self, field)));
      message = check_field (self, field, self->texts[field]);
      omni_variant_editor_row_set_error (self, field, message);
      valid &= message == NULL;
    }

  update_title (self);
  update_subtitle (self);
  return valid;
}

static const char *
text_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

/**
 * omni_variant_editor_row_get_spec:
 * @spec: (out caller-allocates): the variant as the store takes it; its
 *   strings belong to the row and last until the next validation
 *
 * Returns: %FALSE when a field is refused (@spec is then incomplete)
 */
gboolean
omni_variant_editor_row_get_spec (OmniVariantEditorRow *self,
                                  OmniVariantSpec      *spec)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  memset (spec, 0, sizeof *spec);
  for (guint i = 0; i < self->n_options; i++)
    spec->options[i] = self->options_editable ? self->texts[i] : self->option_values[i];
  spec->sku = text_or_null (self->texts[OMNI_VARIANT_FIELD_SKU]);
  spec->barcode = text_or_null (self->texts[OMNI_VARIANT_FIELD_BARCODE]);
  spec->price = self->numbers[OMNI_VARIANT_FIELD_PRICE];
  spec->compare_at_price = self->numbers[OMNI_VARIANT_FIELD_COMPARE_AT_PRICE];
  spec->cost = self->numbers[OMNI_VARIANT_FIELD_COST];
  spec->weight_grams = self->numbers[OMNI_VARIANT_FIELD_WEIGHT];
  spec->reorder_point = self->numbers[OMNI_VARIANT_FIELD_REORDER_POINT];
  spec->reorder_qty = self->numbers[OMNI_VARIANT_FIELD_REORDER_QTY];

  for (guint i = 0; i < OMNI_VARIANT_N_FIELDS; i++)
    if (self->errors[i] != NULL && omni_error_row_get_message (self->errors[i]) != NULL)
      return FALSE;
  return spec->price >= 0;
}

/**
 * omni_variant_editor_row_set_error:
 * @message: (nullable): why the field is refused; %NULL clears
 *
 * Shows @message under the field, opening the row so it can be read.
 */
void
omni_variant_editor_row_set_error (OmniVariantEditorRow *self,
                                   OmniVariantField      field,
                                   const char           *message)
{
  g_return_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self));
  g_return_if_fail (field < OMNI_VARIANT_N_FIELDS);

  if (self->errors[field] == NULL)
    return;

  omni_error_row_set_message (self->errors[field], message);
  if (message != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
}

/* Returns: (nullable): the message shown under @field */
const char *
omni_variant_editor_row_get_error (OmniVariantEditorRow *self,
                                   OmniVariantField      field)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), NULL);
  g_return_val_if_fail (field < OMNI_VARIANT_N_FIELDS, NULL);

  return self->errors[field] != NULL ? omni_error_row_get_message (self->errors[field]) : NULL;
}

/* Returns: (transfer none) (nullable): the entry of @field, if shown */
AdwEntryRow *
omni_variant_editor_row_get_entry (OmniVariantEditorRow *self,
                                   OmniVariantField      field)
{
  g_return_val_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self), NULL);
  g_return_val_if_fail (field < OMNI_VARIANT_N_FIELDS, NULL);

  return self->entries[field];
}

/* Types into @field as the merchant would: "changed" follows. */
void
omni_variant_editor_row_set_text (OmniVariantEditorRow *self,
                                  OmniVariantField      field,
                                  const char           *text)
{
  g_return_if_fail (OMNI_IS_VARIANT_EDITOR_ROW (self));
  g_return_if_fail (field < OMNI_VARIANT_N_FIELDS);
  g_return_if_fail (self->entries[field] != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entries[field]), text != NULL ? text : "");
}
