/* coop-keyring.h — shared databases' passwords in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

const SecretSchema *coop_keyring_get_schema        (void);
GHashTable         *coop_keyring_dup_attributes    (const char           *uri);
gboolean            coop_keyring_uri_has_password  (const char           *uri);
char               *coop_keyring_add_password      (const char           *uri,
                                                    const char           *password);

void                coop_keyring_lookup_async      (const char           *uri,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char               *coop_keyring_lookup_finish     (GAsyncResult         *result,
                                                    gboolean             *remembered);
char               *coop_keyring_lookup_sync       (const char           *uri,
                                                    guint                 timeout_ms,
                                                    gboolean             *remembered);
void                coop_keyring_store_async       (const char           *uri,
                                                    const char           *password,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            coop_keyring_store_finish      (GAsyncResult         *result,
                                                    GError              **error);
void                coop_keyring_clear_async       (const char           *uri,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            coop_keyring_clear_finish      (GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
