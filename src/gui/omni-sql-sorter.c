/* omni-sql-sorter.c: column-header sorting that SQL carries out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A paged list cannot be sorted in memory: most of its rows are not loaded.
 * Yet the column view should still show sort arrows and toggle them on a
 * click. So each sortable column gets an OmniSqlSorter that only names what
 * to sort by (an OmniSortKey), and the page reads the column view's sorter
 * when it changes and hands the key to the query.
 *
 * GTK 4.8 has no call that tells which column sorts first
 * (gtk_column_view_sorter_get_primary_sort_column() is 4.10), so
 * omni_sql_sorter_read() asks the column view's sorter to compare two probe
 * objects. It consults the columns in order of precedence and stops at the
 * first one that is not indifferent; every OmniSqlSorter answers "larger"
 * and writes its name on the probe, so the probe ends up naming the primary
 * column. A column sorted descending has its answer inverted by the column
 * view, so "smaller" overall means descending.
 */
#define G_LOG_DOMAIN "omni-sql-sorter"

#include "config.h"

#include "omni-sql-sorter.h"

struct _OmniSqlSorter
{
  GtkSorter   parent_instance;

  OmniSortKey key;
};

G_DEFINE_FINAL_TYPE (OmniSqlSorter, omni_sql_sorter, GTK_TYPE_SORTER)

enum {
  PROP_0,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Set on the first probe object; the sorter asked first stores itself
 * under it. */
#define PROBE_KEY "omni-sql-sorter-asked"

static GtkOrdering
omni_sql_sorter_compare (GtkSorter *sorter,
                         gpointer   item1,
                         gpointer   item2)
{
  GObject *probe = G_OBJECT (item1);

  if (g_object_get_data (probe, PROBE_KEY) == NULL)
    g_object_set_data (probe, PROBE_KEY, sorter);

  return GTK_ORDERING_LARGER;
}

static GtkSorterOrder
omni_sql_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
omni_sql_sorter_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OmniSqlSorter *self = OMNI_SQL_SORTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_uint (value, self->key);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_sql_sorter_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  OmniSqlSorter *self = OMNI_SQL_SORTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
omni_sql_sorter_class_init (OmniSqlSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->get_property = omni_sql_sorter_get_property;
  object_class->set_property = omni_sql_sorter_set_property;

  sorter_class->compare = omni_sql_sorter_compare;
  sorter_class->get_order = omni_sql_sorter_get_order;

  properties[PROP_KEY] =
    g_param_spec_uint ("key", NULL, NULL,
                       OMNI_SORT_TITLE, OMNI_SORT_UPDATED, OMNI_SORT_TITLE,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
omni_sql_sorter_init (OmniSqlSorter *self)
{
}

/**
 * omni_sql_sorter_new:
 * @key: what the column sorts by, in SQL
 *
 * A sorter for gtk_column_view_column_set_sorter(). It never sorts anything
 * itself: do not use it in a GtkSortListModel.
 *
 * Returns: (transfer full): a new sorter
 */
GtkSorter *
omni_sql_sorter_new (OmniSortKey key)
{
  return g_object_new (OMNI_TYPE_SQL_SORTER, "key", (guint) key, NULL);
}

OmniSortKey
omni_sql_sorter_get_key (OmniSqlSorter *self)
{
  g_return_val_if_fail (OMNI_IS_SQL_SORTER (self), OMNI_SORT_TITLE);

  return self->key;
}

/**
 * omni_sql_sorter_read:
 * @view_sorter: the sorter of a column view whose columns carry OmniSqlSorters
 * @key: (out): the primary column's key
 * @descending: (out): whether it sorts in descending order
 *
 * Reads which column the merchant sorted by, and in which direction.
 *
 * Returns: %FALSE when no column sorts (@key and @descending are untouched)
 */
gboolean
omni_sql_sorter_read (GtkSorter   *view_sorter,
                      OmniSortKey *key,
                      gboolean    *descending)
{
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) second = NULL;
  GtkOrdering order;
  GObject *asked;

  g_return_val_if_fail (GTK_IS_SORTER (view_sorter), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (descending != NULL, FALSE);

  first = g_object_new (G_TYPE_OBJECT, NULL);
  second = g_object_new (G_TYPE_OBJECT, NULL);
  order = gtk_sorter_compare (view_sorter, first, second);
  asked = g_object_get_data (first, PROBE_KEY);

  if (order == GTK_ORDERING_EQUAL || !OMNI_IS_SQL_SORTER (asked))
    return FALSE;

  *key = OMNI_SQL_SORTER (asked)->key;
  *descending = order == GTK_ORDERING_SMALLER;
  return TRUE;
}
