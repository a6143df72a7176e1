/* omni-store-backup.h: online backups and verified restores of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "omni-store.h"

G_BEGIN_DECLS

/**
 * OmniBackupInfo:
 * @path: the file written or read
 * @bytes: its size
 * @schema_version: the schema version of the database in it
 * @safety_copy: (nullable): for a restore, where the replaced database was
 *   copied first
 *
 * What omni_store_backup() wrote, or what omni_store_restore() put in place.
 */
typedef struct
{
  char   *path;
  gint64  bytes;
  int     schema_version;
  char   *safety_copy;
} OmniBackupInfo;

OmniBackupInfo *omni_store_backup          (OmniStore       *self,
                                            const char      *dest_path,
                                            gboolean         overwrite,
                                            GError         **error);
OmniBackupInfo *omni_store_verify_backup   (const char      *path,
                                            GError         **error);
OmniBackupInfo *omni_store_restore         (const char      *db_path,
                                            const char      *backup_path,
                                            GError         **error);
void            omni_backup_info_free      (OmniBackupInfo  *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniBackupInfo, omni_backup_info_free)

G_END_DECLS
