/* coop-safety.h — backing up, restoring and opening a database safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-store.h"

G_BEGIN_DECLS

void       coop_safety_back_up_now        (GtkWindow           *parent,
                                           CoopStore           *store);
void       coop_safety_restore            (GtkWindow           *parent,
                                           CoopStore           *store);
void       coop_safety_back_up_to         (GtkWindow           *parent,
                                           const char          *database,
                                           GFile               *file);
void       coop_safety_restore_from       (GtkWindow           *parent,
                                           const char          *database,
                                           GFile               *file);
void       coop_safety_fill_menu          (GMenu               *section);

void       coop_safety_open_async         (GtkWindow           *parent,
                                           const char          *path,
                                           CoopStoreFlags       flags,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
CoopStore *coop_safety_open_finish        (GAsyncResult        *result,
                                           GError             **error);
char      *coop_safety_describe_read_only (CoopStore           *store);
void       coop_safety_close              (CoopStore           *store);

G_END_DECLS
