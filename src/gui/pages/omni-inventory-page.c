/* omni-inventory-page.c: the Inventory page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For now the page says what it will hold; its features arrive in their
 * own issues.
 */
#define G_LOG_DOMAIN "omni-inventory-page"

#include "config.h"

#include "omni-inventory-page.h"

struct _OmniInventoryPage
{
  OmniPage parent_instance;
};

G_DEFINE_FINAL_TYPE (OmniInventoryPage, omni_inventory_page, OMNI_TYPE_PAGE)

static void
omni_inventory_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_INVENTORY_PAGE);

  G_OBJECT_CLASS (omni_inventory_page_parent_class)->dispose (object);
}

static void
omni_inventory_page_class_init (OmniInventoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_inventory_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-inventory-page.ui");
}

static void
omni_inventory_page_init (OmniInventoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * omni_inventory_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_inventory_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_INVENTORY_PAGE,
                       "context", context,
                       NULL);
}
