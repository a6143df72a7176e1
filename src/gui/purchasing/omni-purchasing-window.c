/* omni-purchasing-window.c: purchase orders, the reorder planner and
 * receiving by scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On the left the purchase orders, newest first; on the right either the
 * selected order (its lines, what arrived, Mark Ordered, Receive All,
 * Cancel, Export PDF and a scan entry that receives one unit per scan, as a
 * stock count does) or the planner: a supplier's suggestions with editable
 * quantities that become a draft order in one step. Every read and write
 * runs on a worker with its own connection; after a write the context's
 * store-changed signal refreshes the other pages.
 */
#define G_LOG_DOMAIN "omni-purchasing"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "omni-inventory-worker.h"
#include "omni-currency.h"
#include "omni-label-print-dialog.h"
#include "omni-money.h"
#include "omni-purchasing-window.h"
#include "omni-report-po.h"
#include "omni-report-render.h"
#include "omni-store-purchasing.h"
#include "omni-toast.h"

#define SUGGEST_WINDOW_DAYS 30
#define SUGGEST_SAFETY_DAYS 7

typedef enum
{
  JOB_LOAD,
  JOB_SUGGEST,
  JOB_CREATE,
  JOB_ORDER,
  JOB_CANCEL,
  JOB_RECEIVE_ALL,
  JOB_SCAN,
  JOB_EXPORT,
  JOB_SET_LINE,
  JOB_ADD_SCAN,
} JobKind;

typedef struct
{
  JobKind  kind;
  gint64   po_id;
  gint64   supplier_id;
  char    *code;
  char    *path;
  char    *actor;
  GArray  *lines;        /* OmniPurchaseLineSpec, for JOB_CREATE and JOB_SET_LINE */
} Request;

typedef struct
{
  GPtrArray         *orders;
  GPtrArray         *suppliers;
  OmniPurchaseOrder *order;
  GPtrArray         *lines;
  GPtrArray         *suggestions;
  gint64             po_id;
  OmniReceiveResult  received;
} Reply;

struct _OmniPurchasingWindow
{
  AdwWindow            parent_instance;

  OmniContext         *context;
  OmniInventoryWorker *worker;
  GCancellable        *cancellable;     /* cancelled in dispose */
  guint                busy;            /* jobs in flight */
  gint64               po_id;           /* the order shown, 0 for none */
  gint64               plan_supplier_id;
  gint64               removed_po_id;   /* the last line removed, for Undo */
  OmniPurchaseLineSpec removed;
  char                *status;          /* of the order shown */
  GPtrArray           *orders;
  GPtrArray           *suppliers;
  GPtrArray           *suggestions;
  GPtrArray           *spins;           /* one per suggestion */
  GPtrArray           *line_texts;
  GPtrArray           *lines;           /* OmniPurchaseLine of the order shown */
  GPtrArray           *line_spins;      /* per line of a draft: quantity */
  GPtrArray           *line_costs;      /* per line of a draft: unit cost entry */
  GPtrArray           *line_removes;    /* per line of a draft: remove button */
  char                *currency;        /* of the order shown */
  char                *summary;
  gboolean             selecting;
  gboolean             opened;          /* the first load is done */

  AdwToastOverlay     *toast_overlay;
  GtkListBox          *order_list;
  GtkStack            *detail;
  GtkLabel            *title_label;
  GtkLabel            *summary_label;
  GtkListBox          *line_list;
  GtkEntry            *scan_entry;
  GtkWidget           *order_button;
  GtkWidget           *receive_button;
  GtkWidget           *cancel_button;
  GtkDropDown         *supplier_dropdown;
  GtkStringList       *supplier_names;
  GtkListBox          *suggestion_list;
  GtkLabel            *plan_label;
};

G_DEFINE_FINAL_TYPE (OmniPurchasingWindow, omni_purchasing_window, ADW_TYPE_WINDOW)

static void request_job (OmniPurchasingWindow *self,
                         Request              *request);

static void
request_free (Request *request)
{
  g_free (request->code);
  g_free (request->path);
  g_free (request->actor);
  g_clear_pointer (&request->lines, g_array_unref);
  g_free (request);
}

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->orders, g_ptr_array_unref);
  g_clear_pointer (&reply->suppliers, g_ptr_array_unref);
  g_clear_pointer (&reply->order, omni_purchase_order_free);
  g_clear_pointer (&reply->lines, g_ptr_array_unref);
  g_clear_pointer (&reply->suggestions, g_ptr_array_unref);
  omni_receive_result_clear (&reply->received);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static Request *
request_new (OmniPurchasingWindow *self,
             JobKind               kind)
{
  Request *request = g_new0 (Request, 1);

  request->kind = kind;
  request->po_id = self->po_id;
  request->actor = omni_context_dup_actor (self->context);
  return request;
}

/* Worker --------------------------------------------------------------- */

static gboolean
run_write (OmniStore  *store,
           Request    *request,
           Reply      *reply,
           GError    **error)
{
  switch (request->kind)
    {
    case JOB_CREATE:
      {
        OmniPurchaseOrderSpec spec = {
          .supplier_id = request->supplier_id, .actor = request->actor,
          .lines = (const OmniPurchaseLineSpec *)(gpointer)request->lines->data,
          .n_lines = request->lines->len,
        };

        reply->po_id = omni_store_create_purchase_order (store, &spec, error);
        return reply->po_id != 0;
      }
    case JOB_ORDER:
      reply->po_id = request->po_id;
      return omni_store_mark_purchase_ordered (store, request->po_id, error);
    case JOB_CANCEL:
      reply->po_id = request->po_id;
      return omni_store_cancel_purchase_order (store, request->po_id, error);
    case JOB_RECEIVE_ALL:
      reply->po_id = request->po_id;
      return omni_store_receive_purchase_all (store, request->po_id, 0, "app", request->actor,
                                              &reply->received, error);
    case JOB_SCAN:
      reply->po_id = request->po_id;
      return omni_store_receive_purchase_scan (store, request->po_id, 0, request->code, "app",
                                               request->actor, &reply->received, error);
    case JOB_EXPORT:
      {
        g_autoptr(OmniReportTable) table = omni_report_purchase_order (store, request->po_id,
                                                                       error);
        g_autoptr(GFile) file = NULL;

        reply->po_id = request->po_id;
        if (table == NULL)
          return FALSE;
        file = g_file_new_for_path (request->path);
        return omni_report_table_save (table, OMNI_REPORT_FORMAT_PDF, file, NULL, error);
      }
    case JOB_SET_LINE:
      reply->po_id = request->po_id;
      return omni_store_set_purchase_line (store, request->po_id,
                                           &g_array_index (request->lines,
                                                           OmniPurchaseLineSpec, 0),
                                           error);
    case JOB_ADD_SCAN:
      reply->po_id = request->po_id;
      return omni_store_add_purchase_scan (store, request->po_id, request->code, NULL,
                                           error) > 0;
    case JOB_LOAD:
    case JOB_SUGGEST:
    default:
      return TRUE;
    }
}

static void
job (OmniStore    *store,
     GTask        *task,
     gpointer      task_data,
     GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(Reply) reply = g_new0 (Reply, 1);
  GError *error = NULL;
  gint64 show;

  if (!run_write (store, request, reply, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (request->kind == JOB_SUGGEST)
    {
      OmniSuggestOptions options = {
        .supplier_id = request->supplier_id, .window_days = SUGGEST_WINDOW_DAYS,
        .safety_days = SUGGEST_SAFETY_DAYS,
      };

      reply->suggestions = omni_store_suggest_purchases (store, &options, &error);
      if (reply->suggestions == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  /* Every reply carries the fresh list and the order to show. */
  reply->orders = omni_store_list_purchase_orders (store, NULL, &error);
  if (reply->orders != NULL)
    reply->suppliers = omni_store_list_suppliers (store, &error);
  show = reply->po_id != 0 ? reply->po_id : request->po_id;
  if (reply->suppliers != NULL && show != 0)
    {
      reply->order = omni_store_get_purchase_order (store, show, &error);
      if (reply->order != NULL)
        reply->lines = omni_store_get_purchase_lines (store, show, &error);
    }
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify)reply_free);
}

/* Showing -------------------------------------------------------------- */

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, OMNI_PO_DRAFT) == 0)
    return _("Draft");
  if (g_strcmp0 (status, OMNI_PO_ORDERED) == 0)
    return _("Ordered");
  if (g_strcmp0 (status, OMNI_PO_PARTIALLY_RECEIVED) == 0)
    return _("Partially received");
  if (g_strcmp0 (status, OMNI_PO_RECEIVED) == 0)
    return _("Received");
  if (g_strcmp0 (status, OMNI_PO_CANCELLED) == 0)
    return _("Cancelled");
  return status;
}

static void
toast (OmniPurchasingWindow *self,
       const char           *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, omni_toast_new_text (text));
}

static void
update_actions (OmniPurchasingWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean idle = self->busy == 0;
  gboolean draft = g_strcmp0 (self->status, OMNI_PO_DRAFT) == 0;
  gboolean receivable = g_strcmp0 (self->status, OMNI_PO_ORDERED) == 0
                        || g_strcmp0 (self->status, OMNI_PO_PARTIALLY_RECEIVED) == 0;

  gtk_widget_action_set_enabled (widget, "purchasing.mark-ordered", idle && draft);
  gtk_widget_action_set_enabled (widget, "purchasing.receive-all", idle && receivable);
  gtk_widget_action_set_enabled (widget, "purchasing.cancel",
                                 idle && (draft || receivable));
  gtk_widget_action_set_enabled (widget, "purchasing.export", idle && self->po_id != 0);
  gtk_widget_action_set_enabled (widget, "purchasing.print-labels", idle && self->po_id != 0);
  gtk_widget_action_set_enabled (widget, "purchasing.create",
                                 idle && self->suggestions != NULL && self->suggestions->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scan_entry), draft || receivable);
  gtk_entry_set_placeholder_text (self->scan_entry,
                                  draft ? _("Scan a barcode or type a SKU to add one")
                                        : _("Scan a barcode or type a SKU to receive one"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scan_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  draft ? _("Add by scan") : _("Receive by scan"), -1);
  /* Show only what the order's state allows, rather than greyed buttons. */
  gtk_widget_set_visible (self->order_button, draft);
  gtk_widget_set_visible (self->receive_button, receivable);
  gtk_widget_set_visible (self->cancel_button, draft || receivable);
}

static GtkWidget *
two_line_row (const char *title,
              const char *subtitle,
              const char *end_text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (labels), label);
  label = gtk_label_new (subtitle);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (labels), label);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (box), labels);

  if (end_text != NULL)
    {
      label = gtk_label_new (end_text);
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (box), label);
    }
  return box;
}

static void
clear_list (GtkListBox *list)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      g_ptr_array_add (rows, child);
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (list, g_ptr_array_index (rows, i));
}

static void
show_orders (OmniPurchasingWindow *self,
             GPtrArray            *orders)
{
  self->selecting = TRUE;
  clear_list (self->order_list);
  for (guint i = 0; i < orders->len; i++)
    {
      const OmniPurchaseOrder *o = g_ptr_array_index (orders, i);
      g_autofree char *units = g_strdup_printf ("%s · %s", o->supplier, status_label (o->status));
      g_autofree char *total = omni_currency_format (o->total, o->currency);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), two_line_row (o->number, units,
                                                                            total));
      g_object_set_data (G_OBJECT (row), "po-id", GINT_TO_POINTER ((int)o->id));
      gtk_list_box_append (self->order_list, row);
      if (o->id == self->po_id)
        gtk_list_box_select_row (self->order_list, GTK_LIST_BOX_ROW (row));
    }
  self->selecting = FALSE;
  g_clear_pointer (&self->orders, g_ptr_array_unref);
  self->orders = g_ptr_array_ref (orders);
}

static void
show_suppliers (OmniPurchasingWindow *self,
                GPtrArray            *suppliers)
{
  guint selected = GTK_INVALID_LIST_POSITION;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < suppliers->len; i++)
    {
      const OmniSupplier *s = g_ptr_array_index (suppliers, i);

      g_ptr_array_add (names, s->name);
      if (s->id == self->plan_supplier_id)
        selected = i;
    }
  g_ptr_array_add (names, NULL);

  /* Only when the list changed, so a reload keeps the choice. */
  if (self->suppliers == NULL || self->suppliers->len != suppliers->len)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->supplier_names));

      self->selecting = TRUE;
      gtk_string_list_splice (self->supplier_names, 0, n, (const char * const *)names->pdata);
      if (selected != GTK_INVALID_LIST_POSITION)
        gtk_drop_down_set_selected (self->supplier_dropdown, selected);
      self->selecting = FALSE;
    }
  g_clear_pointer (&self->suppliers, g_ptr_array_unref);
  self->suppliers = g_ptr_array_ref (suppliers);
}

static void line_quantity_changed_cb (GtkSpinButton        *spin,
                                      OmniPurchasingWindow *self);
static void line_cost_activate_cb    (GtkEntry             *entry,
                                      OmniPurchasingWindow *self);
static void line_cost_leave_cb       (GtkEventControllerFocus *controller,
                                      OmniPurchasingWindow    *self);
static void line_remove_clicked_cb   (GtkButton            *button,
                                      OmniPurchasingWindow *self);

/* The unit cost as typed in the entry: digits with the currency's
 * decimals, no symbol. */
static char *
format_cost (OmniMoney   cost,
             const char *currency)
{
  guint decimals = omni_money_decimals (currency);
  OmniMoney unit = 1;
  OmniMoney whole, part;

  for (guint i = 0; i < decimals; i++)
    unit *= 10;
  whole = cost / unit;
  part = cost % unit;
  if (decimals == 0)
    return g_strdup_printf ("%" PRId64, (gint64)whole);
  return g_strdup_printf ("%" PRId64 ".%0*" PRId64, (gint64)whole, (int)decimals, (gint64)part);
}

/* A draft's line: quantity, unit cost and a remove button, each editing
 * the order straight away. */
static GtkWidget *
editable_line_row (OmniPurchasingWindow   *self,
                   const OmniPurchaseLine *line,
                   const char             *title,
                   const char             *subtitle,
                   guint                   index)
{
  GtkWidget *box = two_line_row (title, subtitle, NULL);
  GtkWidget *spin = gtk_spin_button_new_with_range (1, OMNI_PURCHASE_MAX_QUANTITY, 1);
  GtkWidget *cost = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkWidget *label;
  g_autofree char *cost_text = format_cost (line->unit_cost, self->currency);
  g_autofree char *quantity_label = g_strdup_printf (_("Quantity of %s"), title);
  g_autofree char *cost_label = g_strdup_printf (_("Unit cost of %s"), title);
  g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), title);

  /* The editors take room: the title wraps rather than losing its options. */
  label = gtk_widget_get_first_child (gtk_widget_get_first_child (box));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double)line->quantity);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (spin), 5);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  quantity_label, -1);
  g_object_set_data (G_OBJECT (spin), "line-index", GUINT_TO_POINTER (index));
  g_signal_connect (spin, "value-changed", G_CALLBACK (line_quantity_changed_cb), self);
  gtk_box_append (GTK_BOX (box), spin);

  /* Reads "12 × 9.80 USD". */
  label = gtk_label_new ("×");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  gtk_editable_set_text (GTK_EDITABLE (cost), cost_text);
  gtk_editable_set_width_chars (GTK_EDITABLE (cost), 7);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (cost), 7);
  gtk_entry_set_alignment (GTK_ENTRY (cost), 1.0);
  gtk_widget_add_css_class (cost, "numeric");
  gtk_widget_set_valign (cost, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (cost, _("Unit cost"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cost), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cost_label, -1);
  g_object_set_data (G_OBJECT (cost), "line-index", GUINT_TO_POINTER (index));
  g_signal_connect (cost, "activate", G_CALLBACK (line_cost_activate_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (line_cost_leave_cb), self);
  gtk_widget_add_controller (cost, focus);
  gtk_box_append (GTK_BOX (box), cost);
  label = gtk_label_new (self->currency);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove the line"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data (G_OBJECT (remove), "line-index", GUINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (line_remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), remove);

  g_ptr_array_add (self->line_spins, spin);
  g_ptr_array_add (self->line_costs, cost);
  g_ptr_array_add (self->line_removes, remove);
  return box;
}

static void
show_summary (OmniPurchasingWindow *self,
              OmniPurchaseOrder    *order)
{
  g_autofree char *total = omni_currency_format (order->total, order->currency);

  g_free (self->status);
  self->status = g_strdup (order->status);
  g_free (self->currency);
  self->currency = g_strdup (order->currency);
  g_free (self->summary);
  self->summary = g_strdup_printf (_("%s · %s · deliver to %s · %" PRId64 " of %"
                                     PRId64 " received · %s"),
                                   order->supplier, status_label (order->status), order->location,
                                   order->units_received, order->units_ordered, total);
  gtk_label_set_text (self->title_label, order->number);
  gtk_label_set_text (self->summary_label, self->summary);
}

static void
set_line_texts (OmniPurchasingWindow *self,
                GPtrArray            *lines)
{
  g_ptr_array_set_size (self->line_texts, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);

      g_ptr_array_add (self->line_texts,
                       g_strdup_printf ("%s %" PRId64 " / %" PRId64, line->sku,
                                        line->received, line->quantity));
    }
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  self->lines = g_ptr_array_ref (lines);
}

/* Whether @lines are the lines shown, variant for variant: then an edit
 * leaves the rows (and the focus in them) alone. */
static gboolean
same_lines (OmniPurchasingWindow *self,
            gint64                po_id,
            GPtrArray            *lines)
{
  if (self->lines == NULL || self->po_id != po_id || self->lines->len != lines->len
      || self->line_spins->len != lines->len)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    if (((OmniPurchaseLine *)g_ptr_array_index (self->lines, i))->variant_id
        != ((OmniPurchaseLine *)g_ptr_array_index (lines, i))->variant_id)
      return FALSE;
  return TRUE;
}

static void
show_order (OmniPurchasingWindow *self,
            OmniPurchaseOrder    *order,
            GPtrArray            *lines)
{
  gboolean draft = g_strcmp0 (order->status, OMNI_PO_DRAFT) == 0;

  self->po_id = order->id;
  show_summary (self, order);
  set_line_texts (self, lines);

  /* Forget the old editors first: removing a focused entry emits its
   * focus-leave, which must not edit the new lines. */
  g_ptr_array_set_size (self->line_spins, 0);
  g_ptr_array_set_size (self->line_costs, 0);
  g_ptr_array_set_size (self->line_removes, 0);
  clear_list (self->line_list);
  for (guint i = 0; i < lines->len; i++)
    {
      const OmniPurchaseLine *line = g_ptr_array_index (lines, i);
      g_autofree char *title = NULL;
      g_autofree char *cost = omni_currency_format (line->unit_cost, order->currency);
      g_autofree char *subtitle = NULL;
      g_autofree char *count = g_strdup_printf (_("%" PRId64 " / %" PRId64),
                                                line->received, line->quantity);
      GtkWidget *row = gtk_list_box_row_new ();

      title = line->options != NULL && *line->options != '\0'
              ? g_strdup_printf ("%s — %s", line->title, line->options)
              : g_strdup (line->title);
      if (draft)
        {
          subtitle = g_strdup_printf ("%s%s%s", line->sku != NULL ? line->sku : "",
                                      line->supplier_sku != NULL ? " · " : "",
                                      line->supplier_sku != NULL ? line->supplier_sku : "");
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row),
                                      editable_line_row (self, line, title, subtitle, i));
        }
      else
        {
          subtitle = g_strdup_printf ("%s · %s", line->sku != NULL ? line->sku : "", cost);
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row),
                                      two_line_row (title, subtitle, count));
        }
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->line_list, row);
    }
  gtk_stack_set_visible_child_name (self->detail, "order");
}

static void
show_suggestions (OmniPurchasingWindow *self,
                  GPtrArray            *suggestions)
{
  clear_list (self->suggestion_list);
  g_ptr_array_set_size (self->spins, 0);
  g_clear_pointer (&self->suggestions, g_ptr_array_unref);
  self->suggestions = g_ptr_array_ref (suggestions);

  for (guint i = 0; i < suggestions->len; i++)
    {
      const OmniPurchaseSuggestion *s = g_ptr_array_index (suggestions, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *now = s->cover_now < 0 ? g_strdup ("—")
                                              : g_strdup_printf ("%.1f", s->cover_now);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box;
      GtkWidget *spin = gtk_spin_button_new_with_range (0, OMNI_PURCHASE_MAX_QUANTITY, 1);

      title = s->options != NULL && *s->options != '\0'
              ? g_strdup_printf ("%s — %s", s->title, s->options)
              : g_strdup (s->title);
      subtitle = g_strdup_printf (_("%s · %" PRId64 " available, %" PRId64
                                    " incoming · %.2f a day · %s days of cover"),
                                  s->sku != NULL ? s->sku : "", s->available, s->incoming,
                                  s->daily_sales, now);
      box = two_line_row (title, subtitle, NULL);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double)s->suggested);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
      gtk_box_append (GTK_BOX (box), spin);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->suggestion_list, row);
      g_ptr_array_add (self->spins, spin);
    }

  gtk_label_set_text (self->plan_label,
                      suggestions->len == 0
                      ? _("Nothing needs ordering from this supplier: stock and incoming orders "
                          "cover the lead time and the safety margin.")
                      : _("Suggested from the last 30 days of sales, the supplier's lead time, "
                          "a week of safety stock, the minimum order and the pack size. "
                          "Edit the quantities, then create the order."));
  gtk_stack_set_visible_child_name (self->detail, "plan");
}

static void
job_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  OmniPurchasingWindow *self;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GError) error = NULL;
  Request *request = g_task_get_task_data (G_TASK (result));
  JobKind kind = request->kind;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled only in dispose: the window may be gone, touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OMNI_PURCHASING_WINDOW (user_data);
  self->busy--;

  if (reply == NULL)
    {
      toast (self, error->message);
      update_actions (self);
      return;
    }

  if (kind != JOB_LOAD && kind != JOB_SUGGEST && kind != JOB_EXPORT)
    omni_context_store_changed (self->context);

  show_orders (self, reply->orders);
  show_suppliers (self, reply->suppliers);

  switch (kind)
    {
    case JOB_SUGGEST:
      show_suggestions (self, reply->suggestions);
      break;
    case JOB_SCAN:
    case JOB_RECEIVE_ALL:
      {
        g_autofree char *text = NULL;

        if (reply->received.over_received > 0)
          text = g_strdup_printf (_("Received %" PRId64 "; %" PRId64
                                    " more than ordered"),
                                  reply->received.units, reply->received.over_received);
        else
          text = g_strdup_printf (_("Received %" PRId64), reply->received.units);
        toast (self, text);
        if (reply->order != NULL)
          show_order (self, reply->order, reply->lines);
        break;
      }
    case JOB_EXPORT:
      toast (self, _("Purchase order saved as PDF"));
      break;
    case JOB_SET_LINE:
      /* A changed quantity or cost keeps the rows, and the focus in them. */
      if (reply->order != NULL && same_lines (self, reply->order->id, reply->lines))
        {
          show_summary (self, reply->order);
          set_line_texts (self, reply->lines);
        }
      else if (reply->order != NULL)
        show_order (self, reply->order, reply->lines);
      break;
    case JOB_ADD_SCAN:
      if (reply->order != NULL)
        show_order (self, reply->order, reply->lines);
      break;
    case JOB_CREATE:
    case JOB_ORDER:
    case JOB_CANCEL:
      if (kind == JOB_CREATE)
        g_clear_pointer (&self->suggestions, g_ptr_array_unref);
      if (reply->order != NULL)
        show_order (self, reply->order, reply->lines);
      break;
    case JOB_LOAD:
    default:
      /* A refresh never pulls the planner away from the person using it. */
      if (reply->order != NULL
          && g_strcmp0 (gtk_stack_get_visible_child_name (self->detail), "plan") != 0)
        show_order (self, reply->order, reply->lines);
      break;
    }

  /* On opening, show the newest order rather than an empty pane. */
  if (kind == JOB_LOAD && !self->opened)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->order_list, 0);

      self->opened = TRUE;
      if (first != NULL && self->po_id == 0)
        gtk_list_box_select_row (self->order_list, first);
    }

  if (reply->orders->len == 0 && g_strcmp0 (gtk_stack_get_visible_child_name (self->detail),
                                            "plan") != 0)
    gtk_stack_set_visible_child_name (self->detail, "empty");
  update_actions (self);
}

static void
request_job (OmniPurchasingWindow *self,
             Request              *request)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, job_cb, self);

  self->busy++;
  update_actions (self);
  g_task_set_source_tag (task, request_job);
  g_task_set_task_data (task, request, (GDestroyNotify)request_free);
  omni_inventory_worker_run (self->worker, task, job);
}

static void
reload (OmniPurchasingWindow *self)
{
  request_job (self, request_new (self, JOB_LOAD));
}

/* Signals and actions -------------------------------------------------- */

static void
order_selected_cb (GtkListBox           *list,
                   GtkListBoxRow        *row,
                   OmniPurchasingWindow *self)
{
  if (self->selecting || row == NULL)
    return;
  self->po_id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "po-id"));
  gtk_stack_set_visible_child_name (self->detail, "order");
  reload (self);
}

static void
scan_activate_cb (GtkEntry             *entry,
                  OmniPurchasingWindow *self)
{
  const char *code = gtk_editable_get_text (GTK_EDITABLE (entry));
  Request *request;

  if (code == NULL || *code == '\0' || self->po_id == 0)
    return;
  /* A draft takes the scanned variant as a line; a placed order receives it. */
  request = request_new (self, g_strcmp0 (self->status, OMNI_PO_DRAFT) == 0 ? JOB_ADD_SCAN
                                                                             : JOB_SCAN);
  request->code = g_strstrip (g_strdup (code));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  request_job (self, request);
}

/* Line editing (drafts) ------------------------------------------------- */

static const OmniPurchaseLine *
line_of (OmniPurchasingWindow *self,
         gpointer              widget)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "line-index"));

  if (self->lines == NULL || index >= self->lines->len)
    return NULL;
  return g_ptr_array_index (self->lines, index);
}

static void
request_set_line (OmniPurchasingWindow *self,
                  gint64                variant_id,
                  gint64                quantity,
                  OmniMoney             unit_cost)
{
  Request *request = request_new (self, JOB_SET_LINE);
  OmniPurchaseLineSpec line = { variant_id, quantity, unit_cost };

  request->lines = g_array_new (FALSE, TRUE, sizeof (OmniPurchaseLineSpec));
  g_array_append_val (request->lines, line);
  request_job (self, request);
}

/* The cost in the line's entry, or the line's own when the text is not an
 * amount. */
static OmniMoney
entry_cost (OmniPurchasingWindow   *self,
            guint                   index,
            const OmniPurchaseLine *line,
            GError                **error)
{
  GtkEditable *entry = g_ptr_array_index (self->line_costs, index);
  OmniMoney cost = 0;

  if (!omni_money_parse (gtk_editable_get_text (entry), self->currency, &cost, error))
    return -1;
  if (cost < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("A unit cost cannot be negative"));
      return -1;
    }
  return cost;
}

static void
line_quantity_changed_cb (GtkSpinButton        *spin,
                          OmniPurchasingWindow *self)
{
  const OmniPurchaseLine *line = line_of (self, spin);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "line-index"));
  gint64 quantity = gtk_spin_button_get_value_as_int (spin);
  OmniMoney cost;

  if (line == NULL || quantity == line->quantity)
    return;
  /* A cost typed but not yet confirmed goes with it. */
  cost = entry_cost (self, index, line, NULL);
  request_set_line (self, line->variant_id, quantity, cost >= 0 ? cost : line->unit_cost);
}

static void
commit_cost (OmniPurchasingWindow *self,
             GtkEditable          *entry)
{
  const OmniPurchaseLine *line = line_of (self, entry);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (entry), "line-index"));
  g_autoptr(GError) error = NULL;
  OmniMoney cost;

  if (line == NULL)
    return;
  cost = entry_cost (self, index, line, &error);
  if (cost < 0)
    {
      g_autofree char *text = format_cost (line->unit_cost, self->currency);

      toast (self, error->message);
      gtk_editable_set_text (entry, text);
      return;
    }
  if (cost == line->unit_cost)
    return;
  request_set_line (self, line->variant_id,
                    gtk_spin_button_get_value_as_int (g_ptr_array_index (self->line_spins, index)),
                    cost);
}

static void
line_cost_activate_cb (GtkEntry             *entry,
                       OmniPurchasingWindow *self)
{
  commit_cost (self, GTK_EDITABLE (entry));
}

static void
line_cost_leave_cb (GtkEventControllerFocus *controller,
                    OmniPurchasingWindow    *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  /* Rows being rebuilt lose the focus too; only a line still shown counts. */
  if (g_ptr_array_find (self->line_costs, entry, NULL))
    commit_cost (self, GTK_EDITABLE (entry));
}

static void
line_remove_clicked_cb (GtkButton            *button,
                        OmniPurchasingWindow *self)
{
  const OmniPurchaseLine *line = line_of (self, button);
  g_autofree char *text = NULL;
  AdwToast *undo;

  if (line == NULL)
    return;
  self->removed_po_id = self->po_id;
  self->removed = (OmniPurchaseLineSpec) { line->variant_id, line->quantity, line->unit_cost };
  /* Translators: %s is a SKU */
  text = g_strdup_printf (_("Removed %s"), line->sku != NULL ? line->sku : line->title);
  request_set_line (self, line->variant_id, 0, -1);
  undo = omni_toast_new_text (text);
  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_action_name (undo, "purchasing.undo-remove");
  adw_toast_overlay_add_toast (self->toast_overlay, undo);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (widget);

  if (self->removed_po_id == 0 || self->removed_po_id != self->po_id)
    return;
  self->removed_po_id = 0;
  request_set_line (self, self->removed.variant_id, self->removed.quantity,
                    self->removed.unit_cost);
}

static void
supplier_changed_cb (OmniPurchasingWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->supplier_dropdown);
  Request *request;

  if (self->selecting || self->suppliers == NULL || selected >= self->suppliers->len)
    return;
  self->plan_supplier_id = ((OmniSupplier *)g_ptr_array_index (self->suppliers, selected))->id;
  request = request_new (self, JOB_SUGGEST);
  request->supplier_id = self->plan_supplier_id;
  request_job (self, request);
}

static void
plan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->detail, "plan");
  if (self->suppliers == NULL || self->suppliers->len == 0)
    {
      gtk_label_set_text (self->plan_label,
                          _("Add a supplier first: omnistock-cli supplier add NAME, then "
                            "supplier link NAME SKU --cost AMOUNT."));
      return;
    }
  supplier_changed_cb (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (widget);
  Request *request;

  if (self->suggestions == NULL)
    return;
  request = request_new (self, JOB_CREATE);
  request->supplier_id = self->plan_supplier_id;
  request->lines = g_array_new (FALSE, TRUE, sizeof (OmniPurchaseLineSpec));
  for (guint i = 0; i < self->suggestions->len; i++)
    {
      const OmniPurchaseSuggestion *s = g_ptr_array_index (self->suggestions, i);
      GtkSpinButton *spin = g_ptr_array_index (self->spins, i);
      OmniPurchaseLineSpec line = {
        s->variant_id, gtk_spin_button_get_value_as_int (spin), s->unit_cost,
      };

      if (line.quantity > 0)
        g_array_append_val (request->lines, line);
    }
  if (request->lines->len == 0)
    {
      request_free (request);
      toast (self, _("Every quantity is zero: nothing to order"));
      return;
    }
  request->po_id = 0;
  request_job (self, request);
}

static void
simple_job_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (widget);
  JobKind kind;

  if (g_str_equal (action_name, "purchasing.mark-ordered"))
    kind = JOB_ORDER;
  else
    kind = JOB_RECEIVE_ALL;
  if (self->po_id != 0)
    request_job (self, request_new (self, kind));
}

static void
cancel_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    OmniPurchasingWindow *self)
{
  gint64 po_id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "po-id"));

  if (g_strcmp0 (response, "cancel-order") == 0 && po_id == self->po_id && po_id != 0)
    request_job (self, request_new (self, JOB_CANCEL));
}

/* Cancelling cannot be undone, so it is confirmed (without blocking). */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (widget);
  AdwMessageDialog *dialog;

  if (self->po_id == 0)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Cancel %s?"),
                                     gtk_label_get_text (self->title_label));
  adw_message_dialog_set_body (dialog, _("What has arrived stays in stock; the rest no longer "
                                         "counts as incoming. This cannot be undone."));
  adw_message_dialog_add_responses (dialog, "keep", _("_Keep Order"),
                                    "cancel-order", _("_Cancel Order"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel-order",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data (G_OBJECT (dialog), "po-id", GINT_TO_POINTER ((int)self->po_id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_response_cb (GtkNativeDialog      *dialog,
                    int                   response,
                    OmniPurchasingWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      Request *request = request_new (self, JOB_EXPORT);

      request->path = g_file_get_path (file);
      if (request->path == NULL)
        {
          request_free (request);
          toast (self, _("Choose a local file for the PDF"));
        }
      else
        request_job (self, request);
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Purchase Order"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.pdf", gtk_label_get_text (self->title_label));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Labels for what arrived on the order, or what was ordered while nothing
 * has: the dialog reads the lines on its own worker. */
static void
print_labels_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (widget);
  OmniLabelPrintDialog *dialog;
  const char *path;

  if (self->po_id == 0)
    return;
  path = omni_store_get_path (omni_context_get_store (self->context));
  dialog = omni_label_print_dialog_new_for_order (GTK_WINDOW (self), path, self->po_id);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Building ------------------------------------------------------------- */

static GtkWidget *
button (const char *label,
        const char *action,
        gboolean    suggested)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action);
  if (suggested)
    gtk_widget_add_css_class (b, "suggested-action");
  return b;
}

static GtkWidget *
scrolled_list (GtkListBox **list)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  *list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (*list), "boxed-list");
  gtk_widget_set_valign (GTK_WIDGET (*list), GTK_ALIGN_START);
  gtk_widget_set_margin_start (GTK_WIDGET (*list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (*list), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (*list), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (*list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

static GtkWidget *
build_order_page (OmniPurchasingWindow *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *widget;

  self->title_label = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "title-2");
  gtk_label_set_xalign (self->title_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->title_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->title_label), 12);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->title_label));

  self->summary_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->summary_label, 0);
  gtk_label_set_wrap (self->summary_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "dim-label");
  gtk_widget_set_margin_start (GTK_WIDGET (self->summary_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->summary_label), 12);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->summary_label));

  gtk_widget_set_margin_start (buttons, 12);
  gtk_widget_set_margin_end (buttons, 12);
  gtk_widget_set_margin_top (buttons, 6);
  self->order_button = button (_("Mark _Ordered"), "purchasing.mark-ordered", TRUE);
  gtk_box_append (GTK_BOX (buttons), self->order_button);
  self->receive_button = button (_("_Receive All"), "purchasing.receive-all", TRUE);
  gtk_box_append (GTK_BOX (buttons), self->receive_button);
  gtk_box_append (GTK_BOX (buttons), button (_("_Export PDF…"), "purchasing.export", FALSE));
  gtk_box_append (GTK_BOX (buttons), button (_("Print _Labels…"), "purchasing.print-labels",
                                             FALSE));
  widget = button (_("_Cancel Order"), "purchasing.cancel", FALSE);
  self->cancel_button = widget;
  gtk_widget_add_css_class (widget, "destructive-action");
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_halign (widget, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), widget);
  gtk_box_append (GTK_BOX (page), buttons);

  self->scan_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->scan_entry,
                                  _("Scan a barcode or type a SKU to receive one"));
  gtk_entry_set_icon_from_icon_name (self->scan_entry, GTK_ENTRY_ICON_PRIMARY,
                                     "edit-find-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scan_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Receive by scan"), -1);
  gtk_widget_set_margin_start (GTK_WIDGET (self->scan_entry), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->scan_entry), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->scan_entry), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->scan_entry), 6);
  g_signal_connect (self->scan_entry, "activate", G_CALLBACK (scan_activate_cb), self);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->scan_entry));

  gtk_box_append (GTK_BOX (page), scrolled_list (&self->line_list));
  return page;
}

static GtkWidget *
build_plan_page (OmniPurchasingWindow *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;

  gtk_widget_set_margin_top (top, 12);
  gtk_widget_set_margin_start (top, 12);
  gtk_widget_set_margin_end (top, 12);
  label = gtk_label_new_with_mnemonic (_("_Supplier"));
  gtk_box_append (GTK_BOX (top), label);
  self->supplier_names = gtk_string_list_new (NULL);
  self->supplier_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (
    G_LIST_MODEL (g_object_ref (self->supplier_names)), NULL));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->supplier_dropdown));
  g_signal_connect_swapped (self->supplier_dropdown, "notify::selected",
                            G_CALLBACK (supplier_changed_cb), self);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->supplier_dropdown));
  label = button (_("C_reate Draft Order"), "purchasing.create", TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (top), label);
  gtk_box_append (GTK_BOX (page), top);

  self->plan_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->plan_label, TRUE);
  gtk_label_set_xalign (self->plan_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->plan_label), "dim-label");
  gtk_widget_set_margin_start (GTK_WIDGET (self->plan_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->plan_label), 12);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->plan_label));

  gtk_box_append (GTK_BOX (page), scrolled_list (&self->suggestion_list));
  return page;
}

static void
build (OmniPurchasingWindow *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *empty = adw_status_page_new ();
  GtkWidget *plan = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *placeholder = gtk_label_new (_("No purchase orders yet"));

  gtk_window_set_title (GTK_WINDOW (self), _("Purchasing"));
  gtk_window_set_default_size (GTK_WINDOW (self), 980, 640);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (plan), "purchasing.plan");
  gtk_widget_set_tooltip_text (plan, _("Plan a new order from the suggestions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (plan), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Plan order"), -1);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), plan);
  gtk_box_append (GTK_BOX (content), header);

  self->order_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->order_list), "navigation-sidebar");
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_list_box_set_placeholder (self->order_list, placeholder);
  g_signal_connect (self->order_list, "row-selected", G_CALLBACK (order_selected_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->order_list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scrolled, 340, -1);
  gtk_paned_set_start_child (GTK_PANED (paned), scrolled);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), FALSE);

  self->detail = GTK_STACK (gtk_stack_new ());
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "document-send-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Order Selected"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Pick an order on the left, or press + to plan one from "
                                     "sales velocity and lead times."));
  gtk_stack_add_named (self->detail, empty, "empty");
  gtk_stack_add_named (self->detail, build_order_page (self), "order");
  gtk_stack_add_named (self->detail, build_plan_page (self), "plan");
  gtk_widget_set_hexpand (GTK_WIDGET (self->detail), TRUE);
  gtk_paned_set_end_child (GTK_PANED (paned), GTK_WIDGET (self->detail));
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (content), paned);

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, content);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));
}

static void
omni_purchasing_window_dispose (GObject *object)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->context);
  g_clear_object (&self->supplier_names);

  G_OBJECT_CLASS (omni_purchasing_window_parent_class)->dispose (object);
}

static void
omni_purchasing_window_finalize (GObject *object)
{
  OmniPurchasingWindow *self = OMNI_PURCHASING_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->orders, g_ptr_array_unref);
  g_clear_pointer (&self->suppliers, g_ptr_array_unref);
  g_clear_pointer (&self->suggestions, g_ptr_array_unref);
  g_clear_pointer (&self->spins, g_ptr_array_unref);
  g_clear_pointer (&self->line_texts, g_ptr_array_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->line_spins, g_ptr_array_unref);
  g_clear_pointer (&self->line_costs, g_ptr_array_unref);
  g_clear_pointer (&self->line_removes, g_ptr_array_unref);
  g_free (self->currency);
  g_free (self->status);
  g_free (self->summary);

  G_OBJECT_CLASS (omni_purchasing_window_parent_class)->finalize (object);
}

static void
omni_purchasing_window_class_init (OmniPurchasingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = omni_purchasing_window_dispose;
  object_class->finalize = omni_purchasing_window_finalize;

  gtk_widget_class_install_action (widget_class, "purchasing.plan", NULL, plan_action);
  gtk_widget_class_install_action (widget_class, "purchasing.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "purchasing.mark-ordered", NULL,
                                   simple_job_action);
  gtk_widget_class_install_action (widget_class, "purchasing.receive-all", NULL,
                                   simple_job_action);
  gtk_widget_class_install_action (widget_class, "purchasing.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "purchasing.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "purchasing.print-labels", NULL,
                                   print_labels_action);
  gtk_widget_class_install_action (widget_class, "purchasing.undo-remove", NULL,
                                   undo_remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "purchasing.plan", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
omni_purchasing_window_init (OmniPurchasingWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->spins = g_ptr_array_new ();
  self->line_texts = g_ptr_array_new_with_free_func (g_free);
  self->line_spins = g_ptr_array_new ();
  self->line_costs = g_ptr_array_new ();
  self->line_removes = g_ptr_array_new ();
  build (self);
}

/**
 * omni_purchasing_window_new:
 * @parent: (nullable): the window it belongs to
 * @context: the store and settings
 *
 * Returns: (transfer none): a new window, loading the orders
 */
OmniPurchasingWindow *
omni_purchasing_window_new (GtkWindow   *parent,
                            OmniContext *context)
{
  OmniPurchasingWindow *self;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), NULL);

  self = g_object_new (OMNI_TYPE_PURCHASING_WINDOW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->worker = omni_inventory_worker_new (omni_store_get_path (omni_context_get_store (context)));
  gtk_stack_set_visible_child_name (self->detail, "empty");
  reload (self);
  return self;
}

/* TRUE while a read or write is in flight. */
gboolean
omni_purchasing_window_get_busy (OmniPurchasingWindow *self)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), FALSE);
  return self->busy > 0;
}

guint
omni_purchasing_window_get_n_orders (OmniPurchasingWindow *self)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), 0);
  return self->orders != NULL ? self->orders->len : 0;
}

/* The order shown, 0 for none. */
gint64
omni_purchasing_window_get_order_id (OmniPurchasingWindow *self)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), 0);
  return self->po_id;
}

/* Selects the order's row, as a click does. */
void
omni_purchasing_window_select_order (OmniPurchasingWindow *self,
                                     gint64                po_id)
{
  g_return_if_fail (OMNI_IS_PURCHASING_WINDOW (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->order_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row)
        && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "po-id")) == po_id)
      {
        gtk_list_box_select_row (self->order_list, GTK_LIST_BOX_ROW (row));
        return;
      }
}

/* Shows the planner for @supplier through the dropdown, as a person picks it. */
gboolean
omni_purchasing_window_plan (OmniPurchasingWindow *self,
                             const char           *supplier)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), FALSE);

  gtk_widget_activate_action (GTK_WIDGET (self), "purchasing.plan", NULL);
  for (guint i = 0; self->suppliers != NULL && i < self->suppliers->len; i++)
    {
      const OmniSupplier *s = g_ptr_array_index (self->suppliers, i);

      if (g_strcmp0 (s->name, supplier) == 0)
        {
          if (gtk_drop_down_get_selected (self->supplier_dropdown) == i)
            supplier_changed_cb (self);
          else
            gtk_drop_down_set_selected (self->supplier_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

guint
omni_purchasing_window_get_n_suggestions (OmniPurchasingWindow *self)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), 0);
  return self->suggestions != NULL ? self->suggestions->len : 0;
}

/**
 * omni_purchasing_window_get_suggestion_spin:
 *
 * Returns: (transfer none): the quantity of the @index-th suggestion
 */
GtkSpinButton *
omni_purchasing_window_get_suggestion_spin (OmniPurchasingWindow *self,
                                            guint                 index)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->spins->len, NULL);
  return g_ptr_array_index (self->spins, index);
}

/**
 * omni_purchasing_window_get_scan_entry:
 *
 * Returns: (transfer none): the entry a scanner types into
 */
GtkEditable *
omni_purchasing_window_get_scan_entry (OmniPurchasingWindow *self)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), NULL);
  return GTK_EDITABLE (self->scan_entry);
}

/* The line under the order's number, as shown. */
const char *
omni_purchasing_window_get_summary (OmniPurchasingWindow *self)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), NULL);
  return gtk_label_get_text (self->summary_label);
}

/* "SKU received / ordered" of the @index-th line shown, or %NULL. */
const char *
omni_purchasing_window_get_line_text (OmniPurchasingWindow *self,
                                      guint                 index)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), NULL);
  return index < self->line_texts->len ? g_ptr_array_index (self->line_texts, index) : NULL;
}

/* The window action ------------------------------------------------------ */

static void
purchasing_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);
  OmniContext *context = g_object_get_data (G_OBJECT (window), "omni-purchasing-context");
  OmniPurchasingWindow *purchasing;

  if (context == NULL)
    return;
  purchasing = omni_purchasing_window_new (window, context);
  gtk_window_present (GTK_WINDOW (purchasing));
}

/**
 * omni_purchasing_actions_install:
 *
 * Adds `win.purchasing`, which opens the purchasing window, and its
 * shortcut Ctrl+Shift+P.
 */
void
omni_purchasing_actions_install (GtkApplicationWindow *window,
                                 OmniContext          *context)
{
  static const GActionEntry entries[] = {
    { "purchasing", purchasing_action, NULL, NULL, NULL, { 0 } },
  };
  GtkEventController *controller;

  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));
  g_return_if_fail (OMNI_IS_CONTEXT (context));

  g_object_set_data_full (G_OBJECT (window), "omni-purchasing-context", g_object_ref (context),
                          g_object_unref);
  g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries),
                                   window);

  /* Ctrl+Shift+P from anywhere in the main window (listed in the shortcuts
   * window). */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "<Control><Shift>p"),
                                                          gtk_named_action_new ("win.purchasing")));
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

/**
 * omni_purchasing_window_get_line_editors:
 * @quantity: (out) (optional) (transfer none): the line's quantity
 * @cost: (out) (optional) (transfer none): its unit cost
 * @remove: (out) (optional) (transfer none): its remove button
 *
 * The editors of the @index-th line of the draft shown.
 *
 * Returns: %FALSE when the order shown is not a draft or has no such line
 */
gboolean
omni_purchasing_window_get_line_editors (OmniPurchasingWindow  *self,
                                         guint                  index,
                                         GtkSpinButton        **quantity,
                                         GtkEditable          **cost,
                                         GtkButton            **remove)
{
  g_return_val_if_fail (OMNI_IS_PURCHASING_WINDOW (self), FALSE);

  if (index >= self->line_spins->len)
    return FALSE;
  if (quantity != NULL)
    *quantity = g_ptr_array_index (self->line_spins, index);
  if (cost != NULL)
    *cost = g_ptr_array_index (self->line_costs, index);
  if (remove != NULL)
    *remove = g_ptr_array_index (self->line_removes, index);
  return TRUE;
}
