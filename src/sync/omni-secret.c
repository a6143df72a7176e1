/* omni-secret.c: channel credentials in the Secret Service (keyring)
 *
 * Access tokens and client secrets are kept only here, under the schema
 * io.github.omnistock.OmniStock.Credential with the attributes platform and
 * account. They are never written to the database, settings or logs, and
 * error messages never quote them. Without a Secret Service the store is
 * refused: there is no fallback file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <libsecret/secret.h>

#include "omni-connector.h"
#include "omni-secret.h"

static const SecretSchema *
omni_secret_get_schema (void)
{
  static const SecretSchema schema = {
    OMNI_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "platform", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* Every keyring failure becomes one sentence that says what to do; the
 * original message is kept for the technical part, and never contains the
 * secret (libsecret does not echo it). */
static void
set_keyring_error (GError     **error,
                   GError      *cause,
                   const char  *what)
{
  if (cause != NULL &&
      (cause->domain == G_DBUS_ERROR || cause->domain == G_IO_ERROR ||
       cause->domain == G_SPAWN_ERROR))
    g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NO_KEYRING,
                 "No keyring (Secret Service) is available, so the credential %s. "
                 "Start GNOME Keyring or another Secret Service provider and try again "
                 "(%s)", what, cause->message);
  else
    g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_NO_KEYRING,
                 "The keyring refused the request, so the credential %s (%s)",
                 what, cause != NULL ? cause->message : "unknown error");
}

/**
 * omni_secret_check_available:
 *
 * Returns: %TRUE when a Secret Service answers on the session bus
 */
gboolean
omni_secret_check_available (GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) local_error = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, cancellable, &local_error);
  if (service == NULL)
    {
      set_keyring_error (error, local_error, "cannot be kept");
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_secret_store:
 * @label: what keyring managers show ("OmniStock: Shopify fern.myshopify.com")
 * @secret: the token or client secret
 *
 * Stores (or replaces) the credential of (@platform, @account) in the
 * default collection. Refuses, with %OMNI_SYNC_ERROR_NO_KEYRING, when no
 * Secret Service is available: the secret is then kept nowhere.
 */
gboolean
omni_secret_store (const char    *platform,
                   const char    *account,
                   const char    *label,
                   const char    *secret,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (platform != NULL && account != NULL, FALSE);

  if (secret == NULL || *secret == '\0')
    {
      g_set_error_literal (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                           "The credential is empty");
      return FALSE;
    }

  if (!omni_secret_check_available (cancellable, error))
    return FALSE;

  if (!secret_password_store_sync (omni_secret_get_schema (), SECRET_COLLECTION_DEFAULT,
                                   label, secret, cancellable, &local_error,
                                   "platform", platform, "account", account, NULL))
    {
      set_keyring_error (error, local_error, "was not stored");
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_secret_lookup:
 *
 * Returns: (transfer full): the credential in non-pageable memory, to free
 *   with omni_secret_free(); %NULL with @error set when there is none
 */
char *
omni_secret_lookup (const char    *platform,
                    const char    *account,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret;

  secret = secret_password_lookup_nonpageable_sync (omni_secret_get_schema (), cancellable,
                                                    &local_error,
                                                    "platform", platform,
                                                    "account", account, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, "cannot be read");
      return NULL;
    }
  if (secret == NULL)
    {
      g_set_error (error, OMNI_SYNC_ERROR, OMNI_SYNC_ERROR_AUTH,
                   "The keyring holds no credential for %s; add the channel again "
                   "to re-authenticate", account);
      return NULL;
    }
  return secret;
}

/**
 * omni_secret_clear:
 *
 * Removes the credential of (@platform, @account). Having none is not an
 * error.
 */
gboolean
omni_secret_clear (const char    *platform,
                   const char    *account,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (omni_secret_get_schema (), cancellable, &local_error,
                              "platform", platform, "account", account, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, "was not removed");
      return FALSE;
    }
  return TRUE;
}

void
omni_secret_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

/**
 * omni_secret_release:
 *
 * Drops libsecret's cached Secret Service connection; for short-lived
 * programs (the CLI) before they exit.
 */
void
omni_secret_release (void)
{
  secret_service_disconnect ();
}
