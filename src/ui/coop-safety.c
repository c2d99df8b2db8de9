/* coop-safety.c — backing up, restoring and opening a database safely
 *
 * The dialogs around the model's lock, checks and backups: "Back Up Now…",
 * "Restore From Backup…", and the questions asked while a database opens
 * (held by another Coopdesk, damaged, written by a newer Coopdesk, on a
 * network file system).  Copies and checks run in a GTask thread so the
 * window keeps drawing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-safety"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-backup.h"
#include "coop-error.h"
#include "coop-safety.h"

#define SETTINGS_ID "org.coopdesk.Coopdesk"

typedef void (*FileChosenFunc) (GtkWindow  *parent,
                                const char *database,
                                GFile      *file);

typedef struct
{
  GtkWindow      *parent;
  char           *database;
  char           *target;     /* the file chosen in the dialog */
  char           *kept;       /* where restore kept the previous contents */
  FileChosenFunc  chosen;     /* what the file chooser goes on with */
} FileJob;

typedef struct
{
  GtkWindow *parent;
  char      *path;
  CoopStore *store;
  char      *aside;      /* a damaged file moved here */
  char      *backup;     /* the newest verified backup offered */
  CoopStoreFlags flags;  /* the caller's, added to every attempt */
} OpenJob;

typedef struct
{
  char  *path;
  guint  keep;
} BackupJob;

/* ------------------------------------------------------------------ helpers */

static void
file_job_free (FileJob *job)
{
  g_clear_object (&job->parent);
  g_free (job->database);
  g_free (job->target);
  g_free (job->kept);
  g_free (job);
}

static void
open_job_free (OpenJob *job)
{
  g_clear_weak_pointer (&job->parent);
  g_free (job->path);
  g_clear_object (&job->store);
  g_free (job->aside);
  g_free (job->backup);
  g_free (job);
}

static guint
backup_count (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_ID);

  return MAX (g_settings_get_uint (settings, "backup-count"), 1);
}

static AdwMessageDialog *
message (GtkWindow  *parent,
         const char *heading,
         const char *body)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  return dialog;
}

static void
show_message (GtkWindow  *parent,
              const char *heading,
              const char *body)
{
  gtk_window_present (GTK_WINDOW (message (parent, heading, body)));
}

/* When @backup was taken: from its name for an automatic backup, else the
 * time the file was last written. */
static char *
describe_backup_time (const char *database,
                      const char *backup)
{
  g_autoptr(GPtrArray) backups = coop_backup_list (database, NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autoptr(GDateTime) local = NULL;

  for (guint i = 0; i < backups->len; i++)
    {
      CoopBackupInfo *backup_info = g_ptr_array_index (backups, i);

      if (g_strcmp0 (backup_info->path, backup) == 0)
        return g_date_time_format (backup_info->taken, "%Y-%m-%d %H:%M");
    }

  file = g_file_new_for_path (backup);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE,
                            NULL, NULL);
  if (info != NULL && (modified = g_file_info_get_modification_date_time (info)) != NULL)
    {
      local = g_date_time_to_local (modified);
      return g_date_time_format (local, "%Y-%m-%d %H:%M");
    }
  return g_path_get_basename (backup);
}

/* ------------------------------------------------------------------ back up now */

static void
back_up_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;

  if (coop_backup_write (job->database, job->target, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_back_up_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FileJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_message (job->parent, _("Backup Failed"), error->message);
      return;
    }

  body = g_strdup_printf (_("A checked copy of the database was saved as “%s”."), job->target);
  show_message (job->parent, _("Backup Saved"), body);
}

/* The file chooser of "Back Up Now…" and "Restore From Backup…" */
static void
on_file_chosen_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  FileJob *job = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  if (file != NULL && g_file_peek_path (file) != NULL)
    job->chosen (job->parent, job->database, file);
  file_job_free (job);
}

/**
 * coop_safety_back_up_to:
 * @parent: the window
 * @database: the database file
 * @file: where to write the backup
 *
 * The second half of "Back Up Now…", once the file is chosen: writes a
 * checked copy in a thread and says how it went.
 */
void
coop_safety_back_up_to (GtkWindow  *parent,
                        const char *database,
                        GFile      *file)
{
  g_autoptr(GTask) task = NULL;
  FileJob *job;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (database != NULL);
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (FileJob, 1);
  job->parent = g_object_ref (parent);
  job->database = g_strdup (database);
  job->target = g_file_get_path (file);

  task = g_task_new (NULL, NULL, on_back_up_done_cb, NULL);
  g_task_set_source_tag (task, coop_safety_back_up_to);
  g_task_set_task_data (task, job, (GDestroyNotify) file_job_free);
  g_task_run_in_thread (task, back_up_thread);
}

/**
 * coop_safety_back_up_now:
 * @parent: the window
 * @store: the open database
 *
 * "Back Up Now…": asks where to save, writes a checked copy there and says
 * how it went.
 */
void
coop_safety_back_up_now (GtkWindow *parent,
                         CoopStore *store)
{
  GtkFileChooserNative *chooser;
  FileJob *job;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (COOP_IS_STORE (store));

  job = g_new0 (FileJob, 1);
  job->parent = g_object_ref (parent);
  job->database = g_strdup (coop_store_get_path (store));

  chooser = gtk_file_chooser_native_new (_("Back Up Database"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the suggested name of a backup; %s is today's date */
  name = g_strdup_printf (_("coopdesk-backup-%s.db"), day);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  job->chosen = coop_safety_back_up_to;
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------ restore */

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;

  if (coop_backup_restore (job->database, job->target, &job->kept, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_restore_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FileJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *notice = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_message (job->parent, _("Restore Failed"), error->message);
      return;
    }

  /* The store's lists still show the old records: the application reopens
   * the database and the new window says what happened in a toast.  Where
   * the old contents went, the confirmation said already. */
  when = describe_backup_time (job->database, job->target);
  /* Translators: %s is when the backup was taken, e.g. "2024-05-01 14:30" */
  notice = g_strdup_printf (_("Restored the backup of %s"), when);
  gtk_widget_activate_action (GTK_WIDGET (job->parent), "app.reopen-database", "s", notice);
}

static void
on_restore_confirm_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  FileJob *job = user_data;
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "restore") != 0)
    {
      file_job_free (job);
      return;
    }

  task = g_task_new (NULL, NULL, on_restore_done_cb, NULL);
  g_task_set_source_tag (task, coop_safety_restore);
  g_task_set_task_data (task, job, (GDestroyNotify) file_job_free);
  g_task_run_in_thread (task, restore_thread);
}

/**
 * coop_safety_restore_from:
 * @parent: the window
 * @database: the database file
 * @file: the backup to restore
 *
 * The second half of "Restore From Backup…", once the file is chosen:
 * confirms, restores in a thread, and activates "app.reopen-database" with
 * the toast the new window shows, naming the backup's date; a failure is
 * told in a dialog.
 */
void
coop_safety_restore_from (GtkWindow  *parent,
                          const char *database,
                          GFile      *file)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  FileJob *job;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (database != NULL);
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (FileJob, 1);
  job->parent = g_object_ref (parent);
  job->database = g_strdup (database);
  job->target = g_file_get_path (file);

  body = g_strdup_printf (_("The records now in Coopdesk will be replaced by those in “%s”. "
                            "The current database is kept next to it under a dated name."),
                          job->target);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Restore From This Backup?"),
                                                       body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "restore", _("_Restore"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_restore_confirm_cb), job);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * coop_safety_restore:
 * @parent: the window
 * @store: the open database
 *
 * "Restore From Backup…": asks for a backup (starting in the automatic
 * backups folder), confirms, checks it and restores it while keeping the
 * current contents aside.  Afterwards it activates "app.reopen-database"
 * with the text of a toast, which the application implements by reopening
 * the store and showing the toast in the new window.
 */
void
coop_safety_restore (GtkWindow *parent,
                     CoopStore *store)
{
  GtkFileChooserNative *chooser;
  FileJob *job;
  g_autofree char *folder_path = NULL;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (COOP_IS_STORE (store));

  job = g_new0 (FileJob, 1);
  job->parent = g_object_ref (parent);
  job->database = g_strdup (coop_store_get_path (store));

  chooser = gtk_file_chooser_native_new (_("Restore From Backup"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  folder_path = coop_backup_get_folder (job->database);
  if (g_file_test (folder_path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  /* The backup folder is shared by the databases of one folder: offer this
   * database's backups first, the others only on request. */
  {
    g_autofree char *base = g_path_get_basename (job->database);
    g_autofree char *pattern = g_strconcat (base, ".*.backup", NULL);
    GtkFileFilter *own = gtk_file_filter_new ();
    GtkFileFilter *any = gtk_file_filter_new ();

    /* TRANSLATORS: %s is the database's file name */
    g_autofree char *own_name = g_strdup_printf (_("Backups of %s"), base);
    gtk_file_filter_set_name (own, own_name);
    gtk_file_filter_add_pattern (own, pattern);
    gtk_file_filter_set_name (any, _("All files"));
    gtk_file_filter_add_pattern (any, "*");
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), own);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), any);
    gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), own);
    g_object_unref (own);
    g_object_unref (any);
  }
  job->chosen = coop_safety_restore_from;
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * coop_safety_fill_menu:
 * @section: a menu section, such as the window's "safety_section"
 *
 * Adds "Back Up Now…" (win.back-up-now) and "Restore From Backup…"
 * (win.restore-backup); the window implements the two actions with
 * coop_safety_back_up_now() and coop_safety_restore().
 */
void
coop_safety_fill_menu (GMenu *section)
{
  g_return_if_fail (G_IS_MENU (section));

  g_menu_append (section, _("_Back Up Now…"), "win.back-up-now");
  g_menu_append (section, _("_Restore From Backup…"), "win.restore-backup");
}

/* ------------------------------------------------------------------ opening */

static void open_attempt (GTask *task, CoopStoreFlags flags);

/* Held while an automatic backup is taken, so that the one on closing
 * waits for the one on opening rather than rotating beside it. */
static GMutex auto_backup_lock;

static void
backup_job_free (BackupJob *job)
{
  g_free (job->path);
  g_free (job);
}

static void
auto_backup_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  BackupJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *made = NULL;

  g_mutex_lock (&auto_backup_lock);
  if (coop_backup_is_due (job->path, NULL, FALSE))
    made = coop_backup_rotate (job->path, NULL, job->keep, &error);
  g_mutex_unlock (&auto_backup_lock);
  if (error != NULL)
    g_warning ("Automatic backup on opening failed: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_auto_backup_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenJob *job = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&job->store), g_object_unref);
}

/* The application stays until a backup taken beside the window is done,
 * however soon the window closes. */
static void
on_auto_backup_beside_done_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GApplication) application = user_data;

  if (application != NULL)
    g_application_release (application);
}

static void
finish_open (GTask *task)
{
  OpenJob *job = g_task_get_task_data (task);
  g_autoptr(GTask) backup_task = NULL;
  BackupJob *backup_job;

  /* A server keeps its own backups. */
  if (coop_store_get_read_only (job->store) || coop_store_get_shared (job->store))
    {
      g_task_return_pointer (task, g_steal_pointer (&job->store), g_object_unref);
      return;
    }

  backup_job = g_new0 (BackupJob, 1);
  backup_job->path = g_strdup (job->path);
  backup_job->keep = backup_count ();

  /* The automatic backup runs on its own connection in a thread, copying
   * the file as it was when the copy began.  With WAL, edits meanwhile go
   * to the -wal file and do not reach that copy, so the store is handed
   * over at once; without, an edit would wait for the copy's lock, and the
   * store is handed over once the copy is done. */
  if (!coop_store_get_network_file_system (job->store))
    {
      GApplication *application = g_application_get_default ();

      if (application != NULL)
        g_application_hold (application);
      backup_task = g_task_new (NULL, NULL, on_auto_backup_beside_done_cb,
                                application != NULL ? g_object_ref (application) : NULL);
      g_task_set_task_data (backup_task, backup_job, (GDestroyNotify) backup_job_free);
      g_task_run_in_thread (backup_task, auto_backup_thread);
      g_task_return_pointer (task, g_steal_pointer (&job->store), g_object_unref);
      return;
    }

  backup_task = g_task_new (NULL, NULL, on_auto_backup_done_cb, g_object_ref (task));
  g_task_set_task_data (backup_task, backup_job, (GDestroyNotify) backup_job_free);
  g_task_run_in_thread (backup_task, auto_backup_thread);
}

static void
on_notice_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       GTask            *task)
{
  finish_open (task);
  g_object_unref (task);
}

/* Tells the user what is unusual about the store just opened, then
 * finishes. */
static void
explain_opened (GTask *task)
{
  OpenJob *job = g_task_get_task_data (task);
  AdwMessageDialog *dialog = NULL;

  if (coop_store_get_read_only_reason (job->store) == COOP_READ_ONLY_NEWER_SCHEMA)
    dialog = message (job->parent, _("Database From a Newer Coopdesk"),
                      _("This database was saved by a newer version of Coopdesk. It is open "
                        "read-only so that nothing this version does not understand is "
                        "changed. Update Coopdesk to edit it."));
  else if (coop_store_get_network_file_system (job->store))
    dialog = message (job->parent, _("Database on a Network Drive"),
                      _("This database lies on a network or remote file system, where two "
                        "computers writing at once can damage it. Keep it on this computer's "
                        "own disk if you can, and make sure only one person edits it at a "
                        "time."));

  if (dialog == NULL)
    {
      finish_open (task);
      return;
    }
  g_signal_connect (dialog, "response", G_CALLBACK (on_notice_response_cb), g_object_ref (task));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_locked_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       GTask            *task)
{
  if (g_strcmp0 (response, "read-only") == 0)
    open_attempt (task, COOP_STORE_OPEN_READ_ONLY);
  else
    g_task_return_new_error (task, COOP_ERROR, COOP_ERROR_CANCELLED,
                             _("The database was not opened."));
  g_object_unref (task);
}

static void
on_damaged_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        GTask            *task)
{
  OpenJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The damaged file is moved aside only now that the user has chosen to
   * go on without it; Quit leaves it where it was. */
  if (g_strcmp0 (response, "restore") == 0 || g_strcmp0 (response, "empty") == 0)
    {
      job->aside = coop_backup_move_aside (job->path, "damaged", &error);
      if (job->aside == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
    }

  if (g_strcmp0 (response, "restore") == 0)
    {
      if (!coop_backup_restore (job->path, job->backup, NULL, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      open_attempt (task, COOP_STORE_OPEN_FALL_BACK_READ_ONLY);
    }
  else if (g_strcmp0 (response, "empty") == 0)
    open_attempt (task, COOP_STORE_OPEN_FALL_BACK_READ_ONLY);
  else
    g_task_return_new_error (task, COOP_ERROR, COOP_ERROR_CANCELLED,
                             _("The database was not opened."));
  g_object_unref (task);
}

static void
handle_damaged (GTask  *task,
                GError *error)
{
  OpenJob *job = g_task_get_task_data (task);
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;

  job->backup = coop_backup_find_newest_verified (job->path, NULL);

  g_string_append (body, error->message);
  g_string_append (body, "\n\n");
  if (job->backup != NULL)
    {
      g_autofree char *when = describe_backup_time (job->path, job->backup);
      g_string_append_printf (body, _("The newest verified backup was taken on %s. Restore it, "
                                      "or start with an empty database? Either way the "
                                      "damaged file is kept beside it under a dated name; "
                                      "nothing is deleted."), when);
    }
  else
    g_string_append (body, _("There is no verified backup. Start with an empty database? "
                             "The damaged file is kept beside it under a dated name; "
                             "nothing is deleted."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (job->parent, _("Database Damaged"),
                                                       body->str));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Quit"),
                                    "empty", _("Start _Empty"), NULL);
  if (job->backup != NULL)
    {
      adw_message_dialog_add_response (dialog, "restore", _("_Restore Backup"));
      adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "restore");
    }
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_damaged_response_cb),
                    g_object_ref (task));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_attempt (GTask          *task,
              CoopStoreFlags  flags)
{
  OpenJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  job->store = coop_store_open (job->path, flags | job->flags, &error);
  if (job->store != NULL)
    {
      explain_opened (task);
      return;
    }

  if (g_error_matches (error, COOP_ERROR, COOP_ERROR_LOCKED))
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (job->parent, _("Database in Use"),
                                                           error->message));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Quit"),
                                        "read-only", _("Open _Read-Only"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "read-only",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "read-only");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect (dialog, "response", G_CALLBACK (on_locked_response_cb),
                        g_object_ref (task));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (g_error_matches (error, COOP_ERROR, COOP_ERROR_CORRUPT) && job->aside == NULL)
    {
      handle_damaged (task, error);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * coop_safety_open_async:
 * @parent: the window the questions belong to
 * @path: the database file
 * @flags: %COOP_STORE_OPEN_DEFAULT, or %COOP_STORE_OPEN_CHECK_BESIDE to have
 *   the store back before a file is checked; the caller then waits for the
 *   check (coop_store_wait_checked_async()) and, should it find the file
 *   damaged, closes the store and opens the file again without the flag,
 *   which brings the choices a damaged file gets
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Opens @path and deals with what can go wrong, asking the user where a
 * choice is theirs: a database open in another Coopdesk may be opened
 * read-only; a damaged one is moved aside and its newest sound backup
 * offered; one from a newer Coopdesk, or on a folder that cannot be
 * written, opens read-only; one on a network file system opens with a
 * warning.  A writable store gets its automatic backup when the newest is
 * older than a day: on a local disk in a thread beside the window, which
 * the store is handed to at once (the application is held until the
 * backup is done); on a network drive before the store is handed over.
 */
void
coop_safety_open_async (GtkWindow           *parent,
                        const char          *path,
                        CoopStoreFlags       flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenJob *job;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (path != NULL);

  /* GTK owns its windows; one closed meanwhile leaves the dialogs without
   * a parent rather than kept alive. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, coop_safety_open_async);
  job = g_new0 (OpenJob, 1);
  g_set_weak_pointer (&job->parent, parent);
  job->path = g_strdup (path);
  job->flags = flags;
  g_task_set_task_data (task, job, (GDestroyNotify) open_job_free);

  open_attempt (task, COOP_STORE_OPEN_FALL_BACK_READ_ONLY);
}

/**
 * coop_safety_open_finish:
 * @result: the result given to the callback
 * @error: return location for a #CoopError; %COOP_ERROR_CANCELLED when the
 *   user chose not to open the database
 *
 * Returns: (transfer full) (nullable): the store
 */
CoopStore *
coop_safety_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * coop_safety_describe_read_only:
 * @store: a #CoopStore
 *
 * Returns: (transfer full) (nullable): the sentence for the window's
 *   banner, or %NULL when the store can be written
 */
char *
coop_safety_describe_read_only (CoopStore *store)
{
  g_return_val_if_fail (COOP_IS_STORE (store), NULL);

  switch (coop_store_get_read_only_reason (store))
    {
    case COOP_READ_ONLY_NONE:
      return NULL;
    case COOP_READ_ONLY_REQUESTED:
      return g_strdup (_("Read-only: this database is open in another Coopdesk. You can look "
                         "and export, but not change anything."));
    case COOP_READ_ONLY_NEWER_SCHEMA:
      return g_strdup (_("Read-only: this database was saved by a newer Coopdesk. Update "
                         "Coopdesk to edit it."));
    case COOP_READ_ONLY_NOT_WRITABLE:
      return g_strdup (_("Read-only: you may not change this file or its folder. You can "
                         "look and export, but not change anything."));
    case COOP_READ_ONLY_ROLE:
      return g_strdup (_("Read-only: your role on this shared database may only read. You can "
                         "look and export, but not change anything."));
    default:
      return g_strdup (_("This database is open read-only."));
    }
}

/**
 * coop_safety_close:
 * @store: the store about to be closed
 *
 * Takes the automatic backup when the database changed since the newest
 * one, keeping as many as the "backup-count" setting says.  Call it just
 * before dropping the application's last reference to @store.
 */
void
coop_safety_close (CoopStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *made = NULL;
  const char *path;

  g_return_if_fail (COOP_IS_STORE (store));

  if (coop_store_get_read_only (store) || coop_store_get_shared (store))
    return;

  path = coop_store_get_path (store);
  g_mutex_lock (&auto_backup_lock);
  if (coop_backup_is_due (path, NULL, TRUE))
    made = coop_backup_rotate (path, NULL, backup_count (), &error);
  g_mutex_unlock (&auto_backup_lock);
  if (error != NULL)
    g_warning ("Automatic backup on closing failed: %s", error->message);
}
