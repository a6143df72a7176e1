/* omni-product-row-menu.c: the context menu of the product list's rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkPopoverMenu over a menu model whose items name the owner's actions
 * (products.edit, products.archive…), so what is enabled follows the
 * selection the owner already tracks. It opens three ways:
 *
 *   - a right click on a row (a secondary-button GtkGestureClick),
 *   - a long press on a row (touch only, as a mouse press is a click),
 *   - the Menu key or Shift+F10 with a row focused, through the owner's
 *     shortcut calling omni_product_row_menu_popup_at_focus().
 *
 * The actions work on the selection, so a row opened on that is not
 * selected becomes the selection first; one that is keeps the selection it
 * is part of, as in a file manager. The popover hangs off the owner (not
 * off the view, whose children it would join) and points at the pointer,
 * or at the focused row for the keyboard. When it closes, the focus goes
 * back to the row it was opened from.
 */
#define G_LOG_DOMAIN "omni-product-row-menu"

#include "config.h"

#include "omni-product-columns.h"
#include "omni-product-row-menu.h"

struct _OmniProductRowMenu
{
  GObject             parent_instance;

  GtkWidget          *owner;        /* weak */
  GtkColumnView      *view;         /* weak */
  GtkSelectionModel  *selection;
  GtkWidget          *popover;      /* a child of the owner */
  GtkWidget          *return_focus; /* weak: focused when the menu opened */
};

G_DEFINE_FINAL_TYPE (OmniProductRowMenu, omni_product_row_menu, G_TYPE_OBJECT)

/* The selection the actions see: the row, unless it is part of it already. */
static void
select_row (OmniProductRowMenu *self,
            guint               position)
{
  if (!gtk_selection_model_is_selected (self->selection, position))
    gtk_selection_model_select_item (self->selection, position, TRUE);
}

static void
popup_at (OmniProductRowMenu    *self,
          const graphene_rect_t *rect,
          GtkPositionType        side)
{
  GdkRectangle area = {
    (int) rect->origin.x, (int) rect->origin.y,
    MAX ((int) rect->size.width, 1), MAX ((int) rect->size.height, 1),
  };
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (self->owner));

  g_set_weak_pointer (&self->return_focus, focus);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &area);
  gtk_popover_set_position (GTK_POPOVER (self->popover), side);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static gboolean
popup_at_view_point (OmniProductRowMenu *self,
                     double              x,
                     double              y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->view), x, y, GTK_PICK_DEFAULT);
  graphene_point_t point;
  graphene_rect_t rect;
  guint position;

  if (picked == NULL || !omni_product_columns_find_position (self->view, picked, &position))
    return FALSE;
  if (!gtk_widget_compute_point (GTK_WIDGET (self->view), self->owner,
                                 &GRAPHENE_POINT_INIT ((float) x, (float) y), &point))
    return FALSE;

  select_row (self, position);
  graphene_rect_init (&rect, point.x, point.y, 1, 1);
  popup_at (self, &rect, GTK_POS_BOTTOM);
  return TRUE;
}

static void
click_pressed_cb (GtkGestureClick    *gesture,
                  int                 n_press,
                  double              x,
                  double              y,
                  OmniProductRowMenu *self)
{
  if (n_press == 1 && popup_at_view_point (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 OmniProductRowMenu  *self)
{
  if (popup_at_view_point (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
popover_closed_cb (OmniProductRowMenu *self)
{
  GtkWidget *focus = self->return_focus;

  g_clear_weak_pointer (&self->return_focus);
  if (focus != NULL && gtk_widget_get_mapped (focus))
    gtk_widget_grab_focus (focus);
}

/* GObject --------------------------------------------------------------- */

static void
omni_product_row_menu_dispose (GObject *object)
{
  OmniProductRowMenu *self = OMNI_PRODUCT_ROW_MENU (object);

  if (self->popover != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->popover, self);
      gtk_widget_unparent (self->popover);
      self->popover = NULL;
    }
  g_clear_weak_pointer (&self->return_focus);
  g_clear_weak_pointer (&self->owner);
  g_clear_weak_pointer (&self->view);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (omni_product_row_menu_parent_class)->dispose (object);
}

static void
omni_product_row_menu_class_init (OmniProductRowMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = omni_product_row_menu_dispose;
}

static void
omni_product_row_menu_init (OmniProductRowMenu *self)
{
}

/**
 * omni_product_row_menu_new:
 * @owner: the widget whose actions the menu's items name; it holds the
 *   popover, and must keep the returned object no longer than it lives
 * @view: the list, a descendant of @owner, whose rows open the menu
 * @selection: @view's model
 * @model: the menu
 *
 * Returns: (transfer full): the row menu
 */
OmniProductRowMenu *
omni_product_row_menu_new (GtkWidget         *owner,
                           GtkColumnView     *view,
                           GtkSelectionModel *selection,
                           GMenuModel        *model)
{
  OmniProductRowMenu *self;
  GtkGesture *click, *long_press;

  g_return_val_if_fail (GTK_IS_WIDGET (owner), NULL);
  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);
  g_return_val_if_fail (GTK_IS_SELECTION_MODEL (selection), NULL);
  g_return_val_if_fail (G_IS_MENU_MODEL (model), NULL);

  self = g_object_new (OMNI_TYPE_PRODUCT_ROW_MENU, NULL);
  g_set_weak_pointer (&self->owner, owner);
  g_set_weak_pointer (&self->view, view);
  self->selection = g_object_ref (selection);

  self->popover = gtk_popover_menu_new_from_model (model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, owner);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self,
                           G_CONNECT_SWAPPED);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (click_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (view), GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_object (long_press, "pressed", G_CALLBACK (long_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (view), GTK_EVENT_CONTROLLER (long_press));

  /* Tells assistive technologies that the rows have a menu. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);

  return self;
}

/**
 * omni_product_row_menu_popup_at_focus:
 *
 * Opens the menu under the focused row (the Menu key, Shift+F10).
 *
 * Returns: %FALSE when the focus is not on a row of the list
 */
gboolean
omni_product_row_menu_popup_at_focus (OmniProductRowMenu *self)
{
  GtkWidget *focus;
  GtkWidget *row;
  graphene_rect_t bounds;
  guint position;

  g_return_val_if_fail (OMNI_IS_PRODUCT_ROW_MENU (self), FALSE);

  if (self->owner == NULL || self->view == NULL)
    return FALSE;
  focus = gtk_root_get_focus (gtk_widget_get_root (self->owner));
  if (focus == NULL || !omni_product_columns_find_position (self->view, focus, &position))
    return FALSE;

  /* Under the whole row, from its start. */
  row = focus;
  while (gtk_widget_get_parent (row) != NULL &&
         !g_str_equal (gtk_widget_get_css_name (row), "row"))
    row = gtk_widget_get_parent (row);
  if (!g_str_equal (gtk_widget_get_css_name (row), "row"))
    row = focus;
  if (!gtk_widget_compute_bounds (row, self->owner, &bounds))
    return FALSE;

  select_row (self, position);
  bounds.size.width = MIN (bounds.size.width, 48.f);
  bounds.origin.x += 12.f;
  popup_at (self, &bounds, GTK_POS_BOTTOM);
  return TRUE;
}

/**
 * omni_product_row_menu_popup_at_point:
 * @x: the view's coordinate
 * @y: the view's coordinate
 *
 * Opens the menu for the row at (@x, @y) of the view, as a right click
 * there would.
 *
 * Returns: %FALSE when no row is there
 */
gboolean
omni_product_row_menu_popup_at_point (OmniProductRowMenu *self,
                                      double              x,
                                      double              y)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_ROW_MENU (self), FALSE);

  return self->view != NULL && self->owner != NULL && popup_at_view_point (self, x, y);
}

/* Returns: (transfer none): the menu's popover */
GtkPopover *
omni_product_row_menu_get_popover (OmniProductRowMenu *self)
{
  g_return_val_if_fail (OMNI_IS_PRODUCT_ROW_MENU (self), NULL);

  return GTK_POPOVER (self->popover);
}

/* Keeps an open menu beside its row when the owner is allocated again. */
void
omni_product_row_menu_present (OmniProductRowMenu *self)
{
  g_return_if_fail (OMNI_IS_PRODUCT_ROW_MENU (self));

  if (self->popover != NULL && gtk_widget_get_visible (self->popover))
    gtk_popover_present (GTK_POPOVER (self->popover));
}
