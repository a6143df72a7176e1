/* omni-reports-page.c: the Reports page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For now the page says what it will hold; its features arrive in their
 * own issues.
 */
#define G_LOG_DOMAIN "omni-reports-page"

#include "config.h"

#include "omni-reports-page.h"

struct _OmniReportsPage
{
  OmniPage parent_instance;
};

G_DEFINE_FINAL_TYPE (OmniReportsPage, omni_reports_page, OMNI_TYPE_PAGE)

static void
omni_reports_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OMNI_TYPE_REPORTS_PAGE);

  G_OBJECT_CLASS (omni_reports_page_parent_class)->dispose (object);
}

static void
omni_reports_page_class_init (OmniReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_reports_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/omnistock/OmniStock"
                                               "/pages/omni-reports-page.ui");
}

static void
omni_reports_page_init (OmniReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * omni_reports_page_new:
 * @context: what the page shows
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
omni_reports_page_new (OmniContext *context)
{
  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  return g_object_new (OMNI_TYPE_REPORTS_PAGE,
                       "context", context,
                       NULL);
}
