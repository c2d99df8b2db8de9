/* test-keyring.c — shared databases' passwords in the keyring
 *
 * Runs under keyring-session.sh (see meson.build), which gives it a
 * private session bus with a throwaway GNOME Keyring; with
 * COOP_TEST_NO_KEYRING=1 it runs on a bus without a Secret Service and
 * checks that nothing but remembering fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "coop-error.h"
#include "coop-keyring.h"

typedef struct
{
  GAsyncResult *result;
} Waited;

/* ------------------------------------------------------------------ helpers */

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waited *waited = user_data;

  waited->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Waited *waited)
{
  while (waited->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return waited->result;
}

static char *
lookup (const char *uri,
        gboolean   *remembered)
{
  Waited waited = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  coop_keyring_lookup_async (uri, NULL, on_done_cb, &waited);
  result = wait_for (&waited);
  return coop_keyring_lookup_finish (result, remembered);
}

static gboolean
store (const char  *uri,
       const char  *password,
       GError     **error)
{
  Waited waited = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  coop_keyring_store_async (uri, password, NULL, on_done_cb, &waited);
  result = wait_for (&waited);
  return coop_keyring_store_finish (result, error);
}

static gboolean
clear (const char  *uri,
       GError     **error)
{
  Waited waited = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  coop_keyring_clear_async (uri, NULL, on_done_cb, &waited);
  result = wait_for (&waited);
  return coop_keyring_clear_finish (result, error);
}

static GDBusConnection *
session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

/* The items the Secret Service holds for @attributes and the schema,
 * asked over D-Bus, without libsecret. */
static char **
search_items (GHashTable *attributes)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_autoptr(GVariantIter) unlocked = NULL;
  g_autoptr(GVariantIter) locked = NULL;
  GVariantBuilder query;
  GHashTableIter iter;
  gpointer name, value;
  const char *path;

  g_variant_builder_init (&query, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&query, "{ss}", "xdg:schema", "org.coopdesk.Coopdesk.Database");
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_variant_builder_add (&query, "{ss}", name, value);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", &query),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(aoao)", &unlocked, &locked);
  while (g_variant_iter_next (unlocked, "&o", &path))
    g_strv_builder_add (paths, path);
  g_assert_cmpuint (g_variant_iter_n_children (locked), ==, 0);
  return g_strv_builder_end (paths);
}

static GVariant *
item_property (const char *path,
               const char *name)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Item", name),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

static void
assert_attribute (GHashTable *attributes,
                  const char *name,
                  const char *value)
{
  g_assert_cmpstr (g_hash_table_lookup (attributes, name), ==, value);
}

/* ------------------------------------------------------------------ tests */

/* What a password is filed under, as libpq would connect with the URI. */
static void
test_attributes (void)
{
  static const struct { const char *uri, *host, *port, *database, *user; } cases[] = {
    { "postgresql://secretary@db.example.edu/coopdesk",
      "db.example.edu", "5432", "coopdesk", "secretary" },
    { "postgresql://li%40school@[::1]:5433/coop%20desk",
      "::1", "5433", "coop desk", "li@school" },
    { "postgres://db.example.edu/%E5%8F%B0%E8%B4%A6?sslmode=require",
      "db.example.edu", "5432", "台账", "clerk" },
    { "postgresql://u:secret@db.example.edu:5434/ledger?password=secret",
      "db.example.edu", "5434", "ledger", "u" },
    { "postgresql:///ledger?host=db.example.edu&port=6000&user=dean",
      "db.example.edu", "6000", "ledger", "dean" },
    { "postgresql://", "localhost", "5432", "clerk", "clerk" },
  };
  static const struct { const char *uri; gboolean has_password; } passwords[] = {
    { "postgresql://u@db/ledger", FALSE },
    { "postgresql://u:secret@db/ledger", TRUE },
    { "postgresql://u@db/ledger?sslmode=require&password=secret", TRUE },
    { "postgresql://u@db/ledger?sslmode=require", FALSE },
  };

  g_unsetenv ("PGHOST");
  g_unsetenv ("PGPORT");
  g_unsetenv ("PGDATABASE");
  g_setenv ("PGUSER", "clerk", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) attributes = coop_keyring_dup_attributes (cases[i].uri);

      g_assert_nonnull (attributes);
      g_assert_cmpuint (g_hash_table_size (attributes), ==, 4);
      assert_attribute (attributes, "host", cases[i].host);
      assert_attribute (attributes, "port", cases[i].port);
      assert_attribute (attributes, "database", cases[i].database);
      assert_attribute (attributes, "user", cases[i].user);
    }
  g_assert_null (coop_keyring_dup_attributes ("/home/clerk/coopdesk.db"));

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    g_assert_true (coop_keyring_uri_has_password (passwords[i].uri) == passwords[i].has_password);

  /* Escaped, so that any password survives libpq's reading of the URI. */
  {
    g_autofree char *plain = coop_keyring_add_password ("postgresql://u@db/ledger", "s&c=t 密");
    g_autofree char *more = coop_keyring_add_password ("postgresql://u@db/ledger?sslmode=require",
                                                       "pw");

    g_assert_cmpstr (plain, ==, "postgresql://u@db/ledger?password=s%26c%3Dt%20%E5%AF%86");
    g_assert_cmpstr (more, ==, "postgresql://u@db/ledger?sslmode=require&password=pw");
    g_assert_true (coop_keyring_uri_has_password (plain));
  }
  g_unsetenv ("PGUSER");
}

/* Stored, found again for the same server, database and user only,
 * replaced, and forgotten. */
static void
test_round_trip (void)
{
  const char *uri = "postgresql://secretary@db.example.edu:5433/coopdesk";
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = coop_keyring_dup_attributes (uri);
  g_autofree char *found = NULL;
  g_autofree char *other = NULL;
  g_auto(GStrv) items = NULL;
  gboolean remembered = TRUE;

  found = lookup (uri, &remembered);
  g_assert_false (remembered);
  g_assert_cmpstr (found, ==, uri);
  g_clear_pointer (&found, g_free);

  g_assert_true (store (uri, "s&c=t 密", &error));
  g_assert_no_error (error);
  found = lookup (uri, &remembered);
  g_assert_true (remembered);
  g_assert_cmpstr (found, ==,
                   "postgresql://secretary@db.example.edu:5433/coopdesk"
                   "?password=s%26c%3Dt%20%E5%AF%86");
  g_clear_pointer (&found, g_free);

  /* The same, for a command without a window. */
  remembered = FALSE;
  found = coop_keyring_lookup_sync (uri, 5000, &remembered);
  g_assert_true (remembered);
  g_assert_cmpstr (found, ==,
                   "postgresql://secretary@db.example.edu:5433/coopdesk"
                   "?password=s%26c%3Dt%20%E5%AF%86");
  g_clear_pointer (&found, g_free);
  other = coop_keyring_lookup_sync ("postgresql://dean@db.example.edu:5433/coopdesk", 5000,
                                    &remembered);
  g_assert_false (remembered);
  g_assert_cmpstr (other, ==, "postgresql://dean@db.example.edu:5433/coopdesk");
  g_clear_pointer (&other, g_free);

  /* Another user, database or port is another password. */
  other = lookup ("postgresql://dean@db.example.edu:5433/coopdesk", &remembered);
  g_assert_false (remembered);
  g_clear_pointer (&other, g_free);
  other = lookup ("postgresql://secretary@db.example.edu/coopdesk", &remembered);
  g_assert_false (remembered);
  g_clear_pointer (&other, g_free);

  /* Filed under the schema, with its label, as the Secret Service itself
   * says; a second store replaces it. */
  g_assert_true (store ("postgresql://secretary:old@db.example.edu:5433/coopdesk", "n3w",
                        &error));
  g_assert_no_error (error);
  items = search_items (attributes);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  {
    g_autoptr(GVariant) label = item_property (items[0], "Label");
    g_autoptr(GVariant) stored = item_property (items[0], "Attributes");
    const char *value = NULL;

    g_assert_cmpstr (g_variant_get_string (label, NULL), ==,
                     "Coopdesk shared database secretary@db.example.edu/coopdesk");
    g_assert_true (g_variant_lookup (stored, "xdg:schema", "&s", &value));
    g_assert_cmpstr (value, ==, "org.coopdesk.Coopdesk.Database");
    g_assert_true (g_variant_lookup (stored, "port", "&s", &value));
    g_assert_cmpstr (value, ==, "5433");
    g_assert_true (g_variant_lookup (stored, "user", "&s", &value));
    g_assert_cmpstr (value, ==, "secretary");
  }
  found = lookup (uri, &remembered);
  g_assert_true (remembered);
  g_assert_true (g_str_has_suffix (found, "?password=n3w"));
  g_clear_pointer (&found, g_free);

  g_assert_true (clear (uri, &error));
  g_assert_no_error (error);
  found = lookup (uri, &remembered);
  g_assert_false (remembered);
  g_assert_cmpstr (found, ==, uri);
  g_clear_pointer (&found, g_free);
  found = coop_keyring_lookup_sync (uri, 5000, &remembered);
  g_assert_false (remembered);
  g_assert_cmpstr (found, ==, uri);

  /* Nothing left to forget is no error. */
  g_assert_true (clear (uri, &error));
  g_assert_no_error (error);
}

/* Without a keyring only remembering fails, and says why. */
static void
test_no_keyring (void)
{
  const char *uri = "postgresql://secretary@db.example.edu/coopdesk";
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  gboolean remembered = TRUE;

  g_assert_false (store (uri, "hunter2-pw", &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);

  found = lookup (uri, &remembered);
  g_assert_false (remembered);
  g_assert_cmpstr (found, ==, uri);
  g_clear_pointer (&found, g_free);

  /* A command without a window goes on at once, and so does one run
   * outside a session, where no bus is known. */
  {
    gint64 start = g_get_monotonic_time ();
    g_autofree char *address = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
    g_autofree char *runtime = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
    g_autofree char *empty = g_dir_make_tmp ("coop-keyring-XXXXXX", NULL);

    remembered = TRUE;
    found = coop_keyring_lookup_sync (uri, 5000, &remembered);
    g_assert_false (remembered);
    g_assert_cmpstr (found, ==, uri);
    g_clear_pointer (&found, g_free);

    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
    g_setenv ("XDG_RUNTIME_DIR", empty, TRUE);
    remembered = TRUE;
    found = coop_keyring_lookup_sync (uri, 5000, &remembered);
    g_assert_false (remembered);
    g_assert_cmpstr (found, ==, uri);
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
    g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
    g_rmdir (empty);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  }

  g_assert_true (clear (uri, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/attributes", test_attributes);
  if (g_strcmp0 (g_getenv ("COOP_TEST_NO_KEYRING"), "1") == 0)
    g_test_add_func ("/keyring/none", test_no_keyring);
  else
    g_test_add_func ("/keyring/round-trip", test_round_trip);
  return g_test_run ();
}
