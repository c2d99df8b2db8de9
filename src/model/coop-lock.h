/* coop-lock.h — one writing Coopdesk per database file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CoopLockHolder:
 * @user: the login name of the user whose Coopdesk holds the file
 * @host: the computer it runs on
 * @pid: its process id
 * @since: when it took the lock, local time "YYYY-MM-DD HH:MM"
 *
 * Who has a database open for writing.
 */
typedef struct {
  char  *user;
  char  *host;
  gint64 pid;
  char  *since;
} CoopLockHolder;

typedef struct _CoopLock CoopLock;

void            coop_lock_holder_free   (CoopLockHolder  *holder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopLockHolder, coop_lock_holder_free)

char           *coop_lock_get_path      (const char      *database);
CoopLock       *coop_lock_acquire       (const char      *database,
                                         GError         **error);
void            coop_lock_release       (CoopLock        *lock);
CoopLockHolder *coop_lock_query_holder  (const char      *database);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopLock, coop_lock_release)

G_END_DECLS
