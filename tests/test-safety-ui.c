/* test-safety-ui.c — the questions asked while a database opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-safety-ui"

#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coop-test-util.h"
#include "coop-application.h"
#include "coop-backup.h"
#include "coop-error.h"
#include "coop-partner.h"
#include "coop-safety.h"
#include "coop-sample.h"
#include "coop-store.h"
#include "coop-test-ui.h"
#include "coop-window.h"

typedef struct {
  char      *dir;
  char      *database;
  GtkWindow *window;
  CoopStore *store;
  GError    *error;
  gboolean   done;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("coop-safety-ui-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->database = g_build_filename (fixture->dir, "coopdesk.db", NULL);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_error (&fixture->error);
  gtk_window_destroy (fixture->window);
  coop_test_drain ();
  coop_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->database);
}

static void
make_demo (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  coop_sample_fill (store, COOP_SAMPLE_DEMO, &error);
  g_assert_no_error (error);
}

static void
on_opened_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->store = coop_safety_open_finish (result, &fixture->error);
  fixture->done = TRUE;
}

static AdwMessageDialog *
find_dialog (void)
{
  return (AdwMessageDialog *) coop_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
dialog_shown_or_done (gpointer data)
{
  Fixture *fixture = data;

  return find_dialog () != NULL || fixture->done;
}

static gboolean
open_done (gpointer data)
{
  Fixture *fixture = data;

  return fixture->done;
}

/* Answers the dialog that comes up with @response (none expected when
 * %NULL), then waits for the open to finish. */
static void
open_answering (Fixture    *fixture,
                const char *response)
{
  coop_safety_open_async (fixture->window, fixture->database, COOP_STORE_OPEN_DEFAULT, NULL,
                          on_opened_cb, fixture);
  if (response != NULL)
    {
      AdwMessageDialog *dialog;

      coop_test_wait_for (dialog_shown_or_done, fixture);
      g_assert_false (fixture->done);
      dialog = find_dialog ();
      /* As a click on the button does: the response, then the dialog goes. */
      adw_message_dialog_response (dialog, response);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  coop_test_wait_for (open_done, fixture);
}

static gint64
count_partners (CoopStore *store)
{
  CoopStoreCounts counts;
  g_autoptr(GError) error = NULL;

  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_no_error (error);
  return counts.partners;
}

static gboolean
one_backup_taken (gpointer data)
{
  g_autoptr(GPtrArray) backups = coop_backup_list (data, NULL);

  return backups != NULL && backups->len == 1;
}

static void
test_open_plain (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();

  make_demo (fixture->database);
  open_answering (fixture, NULL);
  g_assert_no_error (fixture->error);
  g_assert_false (coop_store_get_read_only (fixture->store));
  g_assert_null (coop_safety_describe_read_only (fixture->store));

  /* No backup yet: one is taken on opening, beside the store handed over,
   * and one on closing after a change. */
  coop_test_wait_for (one_backup_taken, fixture->database);
  backups = coop_backup_list (fixture->database, NULL);
  g_assert_cmpuint (backups->len, ==, 1);
  g_clear_pointer (&backups, g_ptr_array_unref);

  coop_safety_close (fixture->store);
  backups = coop_backup_list (fixture->database, NULL);
  g_assert_cmpuint (backups->len, ==, 1);
  g_clear_pointer (&backups, g_ptr_array_unref);

  g_usleep (20000);
  coop_partner_set_name (partner, "Changed before closing");
  g_assert_true (coop_store_save (fixture->store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);
  coop_safety_close (fixture->store);
  backups = coop_backup_list (fixture->database, NULL);
  g_assert_cmpuint (backups->len, ==, 2);
}

/* A demo database with a verified backup of it; returns its partners. */
static gint64
make_demo_with_backup (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *backup = NULL;
  gint64 partners;

  make_demo (path);
  store = coop_store_open (path, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  partners = count_partners (store);
  g_clear_object (&store);
  backup = coop_backup_rotate (path, NULL, 10, &error);
  g_assert_no_error (error);
  return partners;
}

static void
test_open_damaged (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 partners;
  char zeros[100] = { 0 };
  int fd;

  partners = make_demo_with_backup (fixture->database);

  fd = g_open (fixture->database, O_WRONLY, 0);
  g_assert_cmpint (pwrite (fd, zeros, sizeof zeros, 0), ==, sizeof zeros);
  close (fd);

  open_answering (fixture, (const char *) data);

  /* Quit moves nothing: the file stays where the user keeps it. */
  if (g_strcmp0 (data, "cancel") == 0)
    {
      g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
      const char *name;

      g_assert_error (fixture->error, COOP_ERROR, COOP_ERROR_CANCELLED);
      g_assert_null (fixture->store);
      g_assert_true (g_file_test (fixture->database, G_FILE_TEST_IS_REGULAR));
      while ((name = g_dir_read_name (dir)) != NULL)
        g_assert_false (g_str_has_prefix (name, "coopdesk.db.damaged-"));
      return;
    }

  g_assert_no_error (fixture->error);
  g_assert_false (coop_store_get_read_only (fixture->store));
  if (g_strcmp0 (data, "restore") == 0)
    g_assert_cmpint (count_partners (fixture->store), ==, partners);
  else
    g_assert_cmpint (count_partners (fixture->store), ==, 0);

  /* The damaged file is kept. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
    const char *name;
    guint n_aside = 0;

    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, "coopdesk.db.damaged-") && !g_str_has_suffix (name, "-shm") &&
          !g_str_has_suffix (name, "-wal"))
        n_aside++;
    g_assert_cmpuint (n_aside, ==, 1);
  }
}

static void
on_window_added_cb (GtkApplication *application,
                    GtkWindow      *window,
                    guint          *n_windows)
{
  if (COOP_IS_WINDOW (window))
    (*n_windows)++;
}

static gboolean
damaged_dialog_shown (gpointer data)
{
  AdwMessageDialog *dialog = find_dialog ();

  return dialog != NULL &&
         g_strcmp0 (adw_message_dialog_get_heading (dialog), "Database Damaged") == 0;
}

static gboolean
window_on_store_shown (gpointer data)
{
  GtkWindow *window = coop_test_find_toplevel (COOP_TYPE_WINDOW);

  return window != NULL && coop_window_get_store (COOP_WINDOW (window)) != NULL;
}

/* Opened by the application, a file damaged where opening does not look
 * gets its window at once; the check beside the load finds the damage, the
 * window goes before anything is written, and the choices a damaged file
 * gets come up.  Restoring the backup opens a window on it. */
static void
test_app_damaged_beside (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CoopApplication) application = coop_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *aside_prefix = g_strconcat (fixture->database, ".damaged-", NULL);
  g_autoptr(GDir) dir = NULL;
  AdwMessageDialog *dialog;
  GtkWindow *window;
  const char *name;
  gint64 partners;
  guint n_windows = 0, n_aside = 0;

  partners = make_demo_with_backup (fixture->database);
  coop_test_zero_root_page (fixture->database, "candidate");

  g_application_set_application_id (G_APPLICATION (application), APP_ID ".Damaged");
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (application, "window-added", G_CALLBACK (on_window_added_cb), &n_windows);

  coop_application_open_database (application, fixture->database);
  coop_test_wait_for (damaged_dialog_shown, NULL);
  g_assert_cmpuint (n_windows, ==, 1);
  g_assert_null (coop_test_find_toplevel (COOP_TYPE_WINDOW));
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "The database file is damaged: the database check found errors."));

  adw_message_dialog_response (dialog, "restore");
  gtk_window_destroy (GTK_WINDOW (dialog));
  coop_test_wait_for (window_on_store_shown, NULL);
  window = coop_test_find_toplevel (COOP_TYPE_WINDOW);
  g_assert_cmpint (count_partners (coop_window_get_store (COOP_WINDOW (window))), ==, partners);
  g_assert_cmpuint (n_windows, ==, 2);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      if (g_str_has_prefix (path, aside_prefix) && !g_str_has_suffix (name, "-shm") &&
          !g_str_has_suffix (name, "-wal"))
        n_aside++;
    }
  g_assert_cmpuint (n_aside, ==, 1);

  gtk_window_destroy (window);
  coop_test_drain ();
}

static void
test_open_locked (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *banner = NULL;
  int ready[2];
  char byte = 0;
  pid_t pid;
  int status;

  make_demo (fixture->database);
  g_assert_cmpint (pipe (ready), ==, 0);
  pid = fork ();
  if (pid == 0)
    {
      CoopStore *store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, NULL);

      byte = store != NULL ? 1 : 2;
      if (write (ready[1], &byte, 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  close (ready[0]);
  g_assert_cmpint (byte, ==, 1);

  open_answering (fixture, (const char *) data);
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);

  if (g_strcmp0 (data, "read-only") == 0)
    {
      g_assert_no_error (fixture->error);
      g_assert_cmpint (coop_store_get_read_only_reason (fixture->store),
                       ==, COOP_READ_ONLY_REQUESTED);
      banner = coop_safety_describe_read_only (fixture->store);
      g_assert_nonnull (banner);
    }
  else
    {
      g_assert_error (fixture->error, COOP_ERROR, COOP_ERROR_CANCELLED);
      g_assert_null (fixture->store);
    }
}

static void
test_open_newer (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          coop_store_get_latest_schema_version () + 1);
  sqlite3 *db = NULL;

  make_demo (fixture->database);
  g_assert_cmpint (sqlite3_open (fixture->database, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  open_answering (fixture, "close");
  g_assert_no_error (fixture->error);
  g_assert_cmpint (coop_store_get_read_only_reason (fixture->store),
                   ==, COOP_READ_ONLY_NEWER_SCHEMA);
}

static gboolean
toplevel_shown (gpointer data)
{
  return coop_test_find_toplevel (*(GType *) data) != NULL;
}

static GtkWindow *
wait_for_toplevel (GType type)
{
  coop_test_wait_for (toplevel_shown, &type);
  return coop_test_find_toplevel (type);
}

static void
answer (const char *heading,
        const char *response)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_reopen_database_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  char **notice = user_data;

  g_free (*notice);
  *notice = g_variant_dup_string (parameter, NULL);
}

static gboolean
notice_given (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_back_up_and_restore (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (fixture->dir, "by-hand.db", NULL);
  g_autoptr(GFile) copy_file = g_file_new_for_path (copy);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autoptr(GSimpleActionGroup) app = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) reopen = g_simple_action_new ("reopen-database", G_VARIANT_TYPE_STRING);
  g_autoptr(GDateTime) taken = g_date_time_new_local (2024, 5, 1, 14, 30, 0);
  g_autofree char *notice = NULL;
  gint64 partners;

  /* What the application does with a restore: reopen, with a toast. */
  g_signal_connect (reopen, "activate", G_CALLBACK (on_reopen_database_cb), &notice);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (reopen));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "app", G_ACTION_GROUP (app));

  make_demo (fixture->database);
  fixture->store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  partners = count_partners (fixture->store);

  coop_safety_back_up_to (fixture->window, fixture->database, copy_file);
  answer ("Backup Saved", "close");
  g_assert_true (coop_backup_verify (copy, &error));
  g_assert_no_error (error);

  coop_partner_set_name (partner, "Added after the backup");
  g_assert_true (coop_store_save (fixture->store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_partners (fixture->store), ==, partners + 1);

  /* A backup made by hand is dated by when it was written. */
  g_assert_true (g_file_set_attribute_uint64 (copy_file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                              (guint64) g_date_time_to_unix (taken),
                                              G_FILE_QUERY_INFO_NONE, NULL, &error));
  g_assert_no_error (error);

  coop_safety_restore_from (fixture->window, fixture->database, copy_file);
  answer ("Restore From This Backup?", "restore");
  coop_test_wait_for (notice_given, &notice);

  /* No dialog to click away: the reopened window says it in a toast. */
  g_assert_cmpstr (notice, ==, "Restored the backup of 2024-05-01 14:30");
  g_assert_null (find_dialog ());
  g_assert_cmpint (count_partners (fixture->store), ==, partners);
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  ADD ("/safety-ui/open/plain", test_open_plain, NULL);
  ADD ("/safety-ui/open/damaged-restore", test_open_damaged, "restore");
  ADD ("/safety-ui/open/damaged-empty", test_open_damaged, "empty");
  ADD ("/safety-ui/open/damaged-quit", test_open_damaged, "cancel");
  ADD ("/safety-ui/app/damaged-beside", test_app_damaged_beside, NULL);
  ADD ("/safety-ui/open/locked-read-only", test_open_locked, "read-only");
  ADD ("/safety-ui/open/locked-cancel", test_open_locked, "cancel");
  ADD ("/safety-ui/open/newer-schema", test_open_newer, NULL);
  ADD ("/safety-ui/back-up-and-restore", test_back_up_and_restore, NULL);

  return g_test_run ();
}
