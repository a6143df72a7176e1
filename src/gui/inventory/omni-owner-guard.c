/* omni-owner-guard.c: what only an owner may do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Without staff profiles the OS session is the owner and nothing is asked,
 * as before profiles existed. With profiles, an owner at work passes; anyone
 * else (a staff profile, or nobody while the window is locked) needs an
 * owner's PIN first. A shop with profiles but no owner has no one to ask,
 * so it passes too rather than lock everybody out of the preferences.
 */
#define G_LOG_DOMAIN "omni-owner-guard"

#include "config.h"

#include "omni-owner-guard.h"
#include "omni-pin-dialog.h"
#include "omni-store-staff.h"

typedef struct
{
  OmniOwnerGuardFunc func;
  gpointer           user_data;
  GDestroyNotify     destroy;
} Pending;

static void
pending_free (gpointer data,
              GClosure *closure)
{
  Pending *pending = data;

  if (pending->destroy != NULL)
    pending->destroy (pending->user_data);
  g_free (pending);
}

static void
verified_cb (OmniPinDialog *dialog,
             gint64         staff_id,
             const char    *name,
             const char    *role,
             Pending       *pending)
{
  pending->func (pending->user_data);
}

/* The owners to ask, or NULL when nobody needs asking. */
static GPtrArray *
owners_to_ask (OmniContext *context)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GPtrArray) owners = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (omni_context_get_staff_role (context), "owner") == 0)
    return NULL;

  staff = omni_store_list_staff (omni_context_get_store (context), &error);
  if (staff == NULL)
    {
      g_warning ("Cannot read the staff profiles: %s", error->message);
      return NULL;
    }

  owners = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_staff_free);
  for (guint i = 0; i < staff->len; i++)
    {
      OmniStaff *person = g_ptr_array_index (staff, i);

      if (g_strcmp0 (person->role, "owner") == 0)
        g_ptr_array_add (owners, g_steal_pointer (&staff->pdata[i]));
    }

  if (owners->len == 0)
    return NULL;
  return g_steal_pointer (&owners);
}

/**
 * omni_owner_guard_is_satisfied:
 *
 * Returns: whether an owner's approval is already there
 */
gboolean
omni_owner_guard_is_satisfied (OmniContext *context)
{
  g_autoptr(GPtrArray) owners = NULL;

  g_return_val_if_fail (OMNI_IS_CONTEXT (context), FALSE);

  owners = owners_to_ask (context);
  return owners == NULL;
}

/**
 * omni_owner_guard_run:
 * @parent: the window asking
 * @message: what the owner approves, one sentence
 * @func: what to do once approved
 *
 * Calls @func at once when no approval is needed, else after an owner's
 * PIN; never when the dialog is cancelled. @destroy frees @user_data in
 * every case.
 */
void
omni_owner_guard_run (GtkWindow          *parent,
                      OmniContext        *context,
                      const char         *message,
                      OmniOwnerGuardFunc  func,
                      gpointer            user_data,
                      GDestroyNotify      destroy)
{
  g_autoptr(GPtrArray) owners = NULL;
  OmniPinDialog *dialog;
  Pending *pending;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (OMNI_IS_CONTEXT (context));
  g_return_if_fail (message != NULL);
  g_return_if_fail (func != NULL);

  owners = owners_to_ask (context);
  if (owners == NULL)
    {
      func (user_data);
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->func = func;
  pending->user_data = user_data;
  pending->destroy = destroy;

  dialog = omni_pin_dialog_new (parent, context, message, owners);
  g_signal_connect_data (dialog, "verified", G_CALLBACK (verified_cb), pending,
                         pending_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
