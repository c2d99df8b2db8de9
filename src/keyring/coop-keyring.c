/* coop-keyring.c — shared databases' passwords in the user's keyring
 *
 * The keyring (the Secret Service: GNOME Keyring, KeePassXC, …) is where
 * the desktop keeps secrets, encrypted on disk and unlocked with the
 * session.  A password is filed under the server, port, database and user
 * it opens, as libpq would connect with the URI, so that the address kept
 * in the settings and the list of recent databases never holds it.  The
 * window's calls are asynchronous: a keyring that has to start or to ask
 * the user to unlock it does not stop the window.  The commands without a
 * window look up once, synchronously, for a bounded time and without ever
 * asking the user anything.  Without a keyring nothing is remembered and
 * nothing else changes: a lookup finds no password.
 *
 * Only GIO and libsecret: no GTK, so that the commands can use it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-keyring"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "coop-error.h"
#include "coop-keyring.h"

typedef struct
{
  char     *uri;
  gboolean  remembered;
} Lookup;

/* A synchronous lookup, run on a main context of its own. */
typedef struct
{
  GCancellable  *cancellable;
  GHashTable    *attributes;
  SecretService *service;
  char          *password;
  gboolean       done;
} SyncLookup;

/* ------------------------------------------------------------------ helpers */

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->uri);
  g_free (lookup);
}

static const char *
env_or (const char *variable,
        const char *fallback)
{
  const char *value = g_getenv (variable);

  return value != NULL && *value != '\0' ? value : fallback;
}

/* The task each call below finishes with. */
static GTask *
new_task (gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* A keyring that is not there holds nothing to forget. */
static gboolean
is_no_keyring (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Where the session bus is, without starting one: GDBus would otherwise
 * launch a bus of its own for a command run outside a session. */
static gboolean
session_bus_known (void)
{
  g_autofree char *socket = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return TRUE;
  socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  return g_file_test (socket, G_FILE_TEST_EXISTS);
}

/* ------------------------------------------------------------------ callbacks */

static gboolean
on_sync_timeout_cb (gpointer user_data)
{
  SyncLookup *lookup = user_data;

  g_debug ("The keyring did not answer in time");
  g_cancellable_cancel (lookup->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_sync_searched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SyncLookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);

  if (error != NULL)
    g_debug ("No remembered password: %s", error->message);
  /* A locked item holds no secret here: unlocking it would ask the user. */
  for (GList *l = items; l != NULL && lookup->password == NULL; l = l->next)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
      const char *text = value != NULL ? secret_value_get_text (value) : NULL;

      if (text != NULL)
        lookup->password = g_strdup (text);
    }
  g_list_free_full (items, g_object_unref);
  lookup->done = TRUE;
}

static void
on_sync_service_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SyncLookup *lookup = user_data;
  g_autoptr(GError) error = NULL;

  lookup->service = secret_service_open_finish (result, &error);
  if (lookup->service == NULL)
    {
      g_debug ("No keyring: %s", error->message);
      lookup->done = TRUE;
      return;
    }
  secret_service_search (lookup->service, coop_keyring_get_schema (), lookup->attributes,
                         SECRET_SEARCH_LOAD_SECRETS, lookup->cancellable, on_sync_searched_cb,
                         lookup);
}

static void
on_lookup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  /* Whatever keeps the keyring from answering, the database may still
   * open with ~/.pgpass or without a password. */
  if (error != NULL)
    g_debug ("No remembered password: %s", error->message);
  if (password != NULL)
    {
      char *with_password = coop_keyring_add_password (lookup->uri, password);

      secret_password_free (password);
      g_free (lookup->uri);
      lookup->uri = with_password;
      lookup->remembered = TRUE;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_store_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (is_no_keyring (error))
    {
      /* The bus's own words name D-Bus files; the user needs to know that
       * there is no keyring. */
      g_debug ("No keyring: %s", error->message);
      g_task_return_new_error (task, COOP_ERROR, COOP_ERROR_IO,
                               _("there is no keyring to keep it in"));
      g_error_free (error);
    }
  else
    g_task_return_error (task, error);
}

static void
on_clear_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to forget. */
  secret_password_clear_finish (result, &error);
  if (error != NULL && !is_no_keyring (error))
    g_task_return_error (task, error);
  else
    {
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
    }
}

/* ------------------------------------------------------------------ public */

/**
 * coop_keyring_get_schema:
 *
 * Returns: (transfer none): the schema of a shared database's password:
 *   "org.coopdesk.Coopdesk.Database", with the string attributes host,
 *   port, database and user
 */
const SecretSchema *
coop_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "org.coopdesk.Coopdesk.Database", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/**
 * coop_keyring_dup_attributes:
 * @uri: a server's connection URI, postgresql://[USER@]HOST[:PORT]/DATABASE
 *
 * What the password of @uri is filed under: its host, port, database and
 * user, each as libpq takes it — from the URI, its host=, port=, user= or
 * dbname= parameters, the PG* variables, or libpq's defaults (localhost,
 * 5432, the login name, a database named like the user).
 *
 * Returns: (transfer full) (nullable): the attributes, or %NULL when @uri
 *   is not a server's URI
 */
GHashTable *
coop_keyring_dup_attributes (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  GHashTable *attributes;
  const char *host, *user, *database;
  g_autofree char *port = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!g_str_has_prefix (uri, "postgresql://") && !g_str_has_prefix (uri, "postgres://"))
    return NULL;
  parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (parsed == NULL)
    return NULL;
  if (g_uri_get_query (parsed) != NULL)
    params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);

  host = params ? g_hash_table_lookup (params, "host") : NULL;
  if (host == NULL)
    host = g_uri_get_host (parsed);
  if (host == NULL || *host == '\0')
    host = env_or ("PGHOST", "localhost");

  if (params != NULL && g_hash_table_lookup (params, "port") != NULL)
    port = g_strdup (g_hash_table_lookup (params, "port"));
  else if (g_uri_get_port (parsed) > 0)
    port = g_strdup_printf ("%d", g_uri_get_port (parsed));
  else
    port = g_strdup (env_or ("PGPORT", "5432"));

  user = params ? g_hash_table_lookup (params, "user") : NULL;
  if (user == NULL)
    user = g_uri_get_user (parsed);
  if (user == NULL || *user == '\0')
    user = env_or ("PGUSER", g_get_user_name ());

  database = params ? g_hash_table_lookup (params, "dbname") : NULL;
  if (database == NULL && g_uri_get_path (parsed)[0] == '/' && g_uri_get_path (parsed)[1] != '\0')
    database = g_uri_get_path (parsed) + 1;
  if (database == NULL || *database == '\0')
    database = env_or ("PGDATABASE", user);

  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (attributes, "host", g_strdup (host));
  g_hash_table_insert (attributes, "port", g_steal_pointer (&port));
  g_hash_table_insert (attributes, "database", g_strdup (database));
  g_hash_table_insert (attributes, "user", g_strdup (user));
  return attributes;
}

/**
 * coop_keyring_uri_has_password:
 * @uri: a server's connection URI
 *
 * Returns: whether @uri gives a password, in its user part
 *   (USER:PASSWORD@) or as ?password=…
 */
gboolean
coop_keyring_uri_has_password (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_auto(GStrv) params = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    return FALSE;
  if (g_uri_get_password (parsed) != NULL)
    return TRUE;
  if (g_uri_get_query (parsed) != NULL)
    params = g_strsplit (g_uri_get_query (parsed), "&", -1);
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    if (g_str_has_prefix (params[i], "password="))
      return TRUE;
  return FALSE;
}

/**
 * coop_keyring_add_password:
 * @uri: a server's connection URI without a password
 * @password: the password
 *
 * Returns: (transfer full): @uri with @password as its ?password=…
 *   parameter, escaped, to connect with — never to show or keep
 */
char *
coop_keyring_add_password (const char *uri,
                           const char *password)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  escaped = g_uri_escape_string (password, NULL, FALSE);
  return g_strconcat (uri, strchr (uri, '?') != NULL ? "&" : "?", "password=", escaped, NULL);
}

/**
 * coop_keyring_lookup_async:
 * @uri: a server's connection URI without a password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Looks for the password remembered for @uri's server, database and user.
 */
void
coop_keyring_lookup_async (const char          *uri,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  Lookup *lookup;

  g_return_if_fail (uri != NULL);

  task = new_task (coop_keyring_lookup_async, cancellable, callback, user_data);
  lookup = g_new0 (Lookup, 1);
  lookup->uri = g_strdup (uri);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  attributes = coop_keyring_dup_attributes (uri);
  if (attributes == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  secret_password_lookupv (coop_keyring_get_schema (), attributes, cancellable,
                           on_lookup_done_cb, g_steal_pointer (&task));
}

/**
 * coop_keyring_lookup_finish:
 * @result: the result given to the callback
 * @remembered: (out) (optional): whether the keyring held a password
 *
 * A keyring that cannot be reached, or that the user would not unlock,
 * holds no password: that is not an error.
 *
 * Returns: (transfer full): the URI to connect with: the one looked up,
 *   with the remembered password added when there is one
 */
char *
coop_keyring_lookup_finish (GAsyncResult *result,
                            gboolean     *remembered)
{
  Lookup *lookup;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == coop_keyring_lookup_async,
                        NULL);

  g_task_propagate_boolean (G_TASK (result), NULL);
  lookup = g_task_get_task_data (G_TASK (result));
  if (remembered != NULL)
    *remembered = lookup->remembered;
  return g_strdup (lookup->uri);
}

/**
 * coop_keyring_lookup_sync:
 * @uri: a server's connection URI without a password
 * @timeout_ms: how long to wait for the keyring at most
 * @remembered: (out) (optional): whether the keyring held a password
 *
 * Looks for the password remembered for @uri's server, database and user,
 * for a program without a window: it never asks the user anything, so a
 * locked keyring holds no password, and neither does one that cannot be
 * reached, is not there, or does not answer within @timeout_ms.  Runs on
 * a main context of its own and leaves the caller's alone.
 *
 * Returns: (transfer full): the URI to connect with: @uri, with the
 *   remembered password added when there is one
 */
char *
coop_keyring_lookup_sync (const char *uri,
                          guint       timeout_ms,
                          gboolean   *remembered)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) timeout = NULL;
  SyncLookup lookup = { NULL };
  char *found;

  g_return_val_if_fail (uri != NULL, NULL);

  if (remembered != NULL)
    *remembered = FALSE;
  attributes = coop_keyring_dup_attributes (uri);
  if (attributes == NULL || !session_bus_known ())
    return g_strdup (uri);

  context = g_main_context_new ();
  cancellable = g_cancellable_new ();
  lookup.cancellable = cancellable;
  lookup.attributes = attributes;

  g_main_context_push_thread_default (context);
  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, on_sync_timeout_cb, &lookup, NULL);
  g_source_attach (timeout, context);
  /* A service of its own, not libsecret's shared one, which would stay
   * bound to this context. */
  secret_service_open (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_OPEN_SESSION, cancellable,
                       on_sync_service_cb, &lookup);
  while (!lookup.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_clear_object (&lookup.service);
  /* What the cancelled calls left behind. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  if (lookup.password == NULL)
    return g_strdup (uri);
  found = coop_keyring_add_password (uri, lookup.password);
  secret_password_wipe (lookup.password);
  g_free (lookup.password);
  if (remembered != NULL)
    *remembered = TRUE;
  return found;
}

/**
 * coop_keyring_store_async:
 * @uri: a server's connection URI; a password in it is not kept
 * @password: the password that opened it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Remembers @password for @uri's server, database and user in the default
 * keyring, in place of any remembered before, labelled "Coopdesk shared
 * database USER@HOST/DATABASE".
 */
void
coop_keyring_store_async (const char          *uri,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (uri != NULL);
  g_return_if_fail (password != NULL);

  task = new_task (coop_keyring_store_async, cancellable, callback, user_data);
  attributes = coop_keyring_dup_attributes (uri);
  if (attributes == NULL)
    {
      g_task_return_new_error (task, COOP_ERROR, COOP_ERROR_VALIDATION,
                               _("This is not the address of a shared database."));
      return;
    }

  /* Translators: the name of a password in the keyring (Passwords and
   * Keys); the first %s is a user, the second a server, the third a
   * database */
  label = g_strdup_printf (_("Coopdesk shared database %s@%s/%s"),
                           (const char *) g_hash_table_lookup (attributes, "user"),
                           (const char *) g_hash_table_lookup (attributes, "host"),
                           (const char *) g_hash_table_lookup (attributes, "database"));
  secret_password_storev (coop_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, password, cancellable, on_store_done_cb,
                          g_steal_pointer (&task));
}

/**
 * coop_keyring_store_finish:
 * @result: the result given to the callback
 * @error: return location for the keyring's error; %COOP_ERROR_IO when
 *   there is no keyring
 *
 * Returns: whether the password is remembered
 */
gboolean
coop_keyring_store_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * coop_keyring_clear_async:
 * @uri: a server's connection URI
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Forgets the password remembered for @uri's server, database and user.
 */
void
coop_keyring_clear_async (const char          *uri,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (uri != NULL);

  task = new_task (coop_keyring_clear_async, cancellable, callback, user_data);
  attributes = coop_keyring_dup_attributes (uri);
  if (attributes == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  secret_password_clearv (coop_keyring_get_schema (), attributes, cancellable,
                          on_clear_done_cb, g_steal_pointer (&task));
}

/**
 * coop_keyring_clear_finish:
 * @result: the result given to the callback
 * @error: return location for the keyring's error
 *
 * No password remembered, or no keyring at all, is no error: nothing is
 * remembered afterwards either way.
 *
 * Returns: whether no password is remembered any more
 */
gboolean
coop_keyring_clear_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
