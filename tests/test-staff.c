/* test-staff.c: staff profiles and PINs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "omni-store-private.h"
#include "omni-store-staff.h"
#include "test-store-util.h"

/* RFC 7914, section 11: PBKDF2-HMAC-SHA256 vectors (first 32 bytes). */
static void
test_pbkdf2_vectors (void)
{
  static const guint8 one[32] = {
    0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
    0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
  };
  static const guint8 many[32] = {
    0x4d, 0xdc, 0xd8, 0xf6, 0x0b, 0x98, 0xbe, 0x21, 0x83, 0x0c, 0xee, 0x5e, 0xf2, 0x27, 0x01, 0xf9,
    0x64, 0x1a, 0x44, 0x18, 0xd0, 0x4c, 0x04, 0x14, 0xae, 0xff, 0x08, 0x87, 0x6b, 0x34, 0xab, 0x56,
  };
  guint8 out[32];

  _omni_pbkdf2_sha256 ("passwd", (const guint8 *)"salt", 4, 1, out);
  g_assert_cmpmem (out, 32, one, 32);
  _omni_pbkdf2_sha256 ("Password", (const guint8 *)"NaCl", 4, 80000, out);
  g_assert_cmpmem (out, 32, many, 32);
}

static void
test_profiles_and_pins (void)
{
  g_autofree char *dir = g_dir_make_tmp ("omni-staff-XXXXXX", NULL);
  g_autofree char *path = test_store_new_location (dir, "shop.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OmniStore) store = omni_store_open (path, &error);
  g_autoptr(GPtrArray) staff = NULL;
  gint64 owner, clerk;

  g_assert_no_error (error);
  owner = omni_store_add_staff (store, "Maya", "owner", "4821", &error);
  clerk = omni_store_add_staff (store, "Tom", "staff", NULL, &error);
  g_assert_no_error (error);

  g_assert_true (omni_store_check_pin (store, owner, "4821", &error));
  g_assert_false (omni_store_check_pin (store, owner, "4822", &error));
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Wrong PIN");
  g_clear_error (&error);
  g_assert_true (omni_store_check_pin (store, clerk, NULL, &error));

  g_assert_cmpint (omni_store_add_staff (store, "maya", "staff", NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_staff (store, "Ines", "manager", NULL, &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (omni_store_add_staff (store, "Ines", "staff", "12a4", &error), ==, 0);
  g_assert_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (omni_store_set_staff_pin (store, clerk, "778899", &error));
  g_assert_false (omni_store_check_pin (store, clerk, NULL, NULL));
  g_assert_true (omni_store_check_pin (store, clerk, "778899", NULL));

  g_assert_true (omni_store_archive_staff (store, clerk, &error));
  staff = omni_store_list_staff (store, &error);
  g_assert_cmpuint (staff->len, ==, 1);
  g_assert_cmpstr (((OmniStaff *)staff->pdata[0])->name, ==, "Maya");
  g_assert_true (((OmniStaff *)staff->pdata[0])->has_pin);

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/omni/staff/pbkdf2-vectors", test_pbkdf2_vectors);
  g_test_add_func ("/omni/staff/profiles-and-pins", test_profiles_and_pins);
  return g_test_run ();
}
