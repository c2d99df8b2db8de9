/* coop-backup.h — verified copies of a database, rotation and restore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define COOP_BACKUP_DEFAULT_KEEP 10

/**
 * CoopBackupInfo:
 * @path: the backup file
 * @taken: when it was taken, from its name (local time)
 *
 * One automatic backup.
 */
typedef struct {
  char      *path;
  GDateTime *taken;
} CoopBackupInfo;

void       coop_backup_info_free          (CoopBackupInfo  *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopBackupInfo, coop_backup_info_free)

gboolean   coop_backup_verify             (const char      *file,
                                           GError         **error);
gboolean   coop_backup_write              (const char      *database,
                                           const char      *output,
                                           GError         **error);
char      *coop_backup_get_folder         (const char      *database);
GPtrArray *coop_backup_list               (const char      *database,
                                           const char      *folder);
char      *coop_backup_find_newest_verified (const char    *database,
                                           const char      *folder);
char      *coop_backup_rotate             (const char      *database,
                                           const char      *folder,
                                           guint            keep,
                                           GError         **error);
gboolean   coop_backup_is_due             (const char      *database,
                                           const char      *folder,
                                           gboolean         closing);
char      *coop_backup_move_aside         (const char      *database,
                                           const char      *why,
                                           GError         **error);
gboolean   coop_backup_restore            (const char      *database,
                                           const char      *from,
                                           char           **kept_aside,
                                           GError         **error);

G_END_DECLS
