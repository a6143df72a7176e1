/* fuzz-credentials.c: libFuzzer target for the Amazon and eBay credential
 * parsers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The credentials JSON a merchant pastes on standard input (`channel add
 * ebay|amazon`). The first byte picks the platform; the rest is the text.
 * Whatever parses must write back as JSON that parses to the same
 * credentials, and a refusal must be a sentence in valid UTF-8.
 */
#define G_LOG_DOMAIN "fuzz-credentials"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "omni-amazon.h"
#include "omni-ebay.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define CHECK(cond) G_STMT_START {                  \
    if (!(cond))                                      \
      {                                               \
        g_printerr ("check failed: %s\n", #cond);     \
        abort ();                                     \
      }                                               \
  } G_STMT_END

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (size == 0)
    return 0;
  text = g_strndup ((const char *)data + 1, size - 1);

  if (data[0] & 1)
    {
      g_autoptr(OmniEbayCredentials) credentials = omni_ebay_credentials_parse (text, &error);
      g_autoptr(OmniEbayCredentials) again = NULL;
      g_autofree char *json = NULL;
      g_autofree char *json2 = NULL;

      if (credentials == NULL)
        {
          CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
          return 0;
        }
      json = omni_ebay_credentials_to_json (credentials);
      again = omni_ebay_credentials_parse (json, NULL);
      CHECK (again != NULL);
      json2 = omni_ebay_credentials_to_json (again);
      CHECK (g_strcmp0 (json, json2) == 0);
    }
  else
    {
      g_autoptr(OmniAmazonCredentials) credentials = omni_amazon_credentials_parse (text, &error);
      g_autoptr(OmniAmazonCredentials) again = NULL;
      g_autofree char *json = NULL;
      g_autofree char *json2 = NULL;

      if (credentials == NULL)
        {
          CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
          return 0;
        }
      json = omni_amazon_credentials_to_json (credentials);
      again = omni_amazon_credentials_parse (json, NULL);
      CHECK (again != NULL);
      json2 = omni_amazon_credentials_to_json (again);
      CHECK (g_strcmp0 (json, json2) == 0);
    }
  return 0;
}
