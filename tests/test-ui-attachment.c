/* test-ui-attachment.c — an agreement's and an event's files in the editor, under Xvfb
 *
 * The desktop here is the test's own: a viewer for PDF files (a script
 * that copies what it is given) is the default application, so opening a
 * file is followed to the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-attachment"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coop-agreement.h"
#include "coop-attachment-group.h"
#include "coop-editor.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-list-page.h"
#include "coop-sample.h"
#include "coop-store.h"
#include "coop-test-ui.h"
#include "coop-test-util.h"
#include "coop-window.h"

/* The internship base agreement, signed, with no contract scanned in yet. */
#define DEMO_AGREEMENT 2

typedef struct {
  char                *dir;
  CoopStore           *store;
  CoopWindow          *window;
  CoopEditor          *editor;
  CoopAttachmentGroup *group;
} Fixture;

/* Where the test's desktop lives, made once by main(). */
static char *desktop_dir;

/* ------------------------------------------------------------------ helpers */

static gboolean
window_loaded (gpointer data)
{
  return coop_window_get_loaded (data);
}

static gboolean
group_idle (gpointer data)
{
  return !coop_attachment_group_get_busy (data);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *data,
            gsize       size)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, (gssize) size, &error));
  g_assert_no_error (error);
  return path;
}

static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

static void
add_paths (Fixture    *fixture,
           const char *first,
           ...)
{
  GSList *files = NULL;
  va_list args;

  va_start (args, first);
  for (const char *path = first; path != NULL; path = va_arg (args, const char *))
    files = g_slist_append (files, g_file_new_for_path (path));
  va_end (args);

  coop_attachment_group_add_files (fixture->group, files);
  g_assert_true (coop_attachment_group_get_busy (fixture->group));
  coop_test_wait_for (group_idle, fixture->group);
  coop_test_drain ();
  g_slist_free_full (files, g_object_unref);
}

static CoopAttachment *
file_at (Fixture *fixture,
         guint    position)
{
  GListModel *files = coop_attachment_group_get_files (fixture->group);
  CoopAttachment *attachment = g_list_model_get_item (files, position);

  g_assert_nonnull (attachment);
  g_object_unref (attachment);
  return attachment;
}

static CoopContractState
contract_state (Fixture *fixture)
{
  CoopRecord *agreement = coop_store_find (fixture->store, COOP_TYPE_AGREEMENT, DEMO_AGREEMENT);

  return coop_agreement_get_contract (COOP_AGREEMENT (agreement));
}

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
has_tooltip (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* The button of the row of the file @name whose tooltip is @tooltip. */
static GtkWidget *
row_button (Fixture    *fixture,
            const char *name,
            const char *tooltip)
{
  GtkWidget *row = coop_test_find (GTK_WIDGET (fixture->group), is_row_of, name);

  g_assert_nonnull (row);
  return coop_test_find (row, has_tooltip, tooltip);
}

static AdwMessageDialog *
take_message_dialog (void)
{
  AdwMessageDialog *dialog = (AdwMessageDialog *) coop_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  g_assert_nonnull (dialog);
  return dialog;
}

static void
close_dialog (AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  coop_test_drain ();
}

/* What a drop of the file at @path on @widget does: its drop target takes it. */
static void
drop_file (GtkWidget  *widget,
           const char *path)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GSList *list = g_slist_append (NULL, file);
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  gboolean taken = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_signal_emit_by_name (target, "drop", &value, 5.0, 5.0, &taken);
  g_value_unset (&value);
  g_slist_free (list);
  g_assert_true (taken);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* The demo database, the agreements page, and the first agreement's editor. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CoopRecord *agreement;

  fixture->dir = g_dir_make_tmp ("coop-test-attachment-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_sample_fill (fixture->store, COOP_SAMPLE_DEMO, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (coop_window_new (NULL, fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  coop_test_wait_for (window_loaded, fixture->window);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "agreements");
  coop_test_drain ();

  agreement = coop_store_find (fixture->store, COOP_TYPE_AGREEMENT, DEMO_AGREEMENT);
  g_assert_nonnull (agreement);
  fixture->editor = coop_window_open_record (fixture->window, agreement);
  coop_test_drain ();
  fixture->group = coop_editor_get_attachments (fixture->editor);
  g_assert_nonnull (fixture->group);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  coop_test_close_toplevels ();
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
  coop_test_drain ();

  coop_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* ------------------------------------------------------------------ tests */

/* Files chosen or dropped are attached, each with its likely kind; the
 * agreements list sees the contract at once. */
static void
test_add (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *contract = write_file (fixture, "盖章合同.pdf", pdf, sizeof pdf - 1);
  g_autofree char *photo = write_file (fixture, "揭牌.png", png, sizeof png - 1);
  g_autofree char *other = write_file (fixture, "补充协议.pdf", pdf, sizeof pdf - 1);
  GListModel *files = coop_attachment_group_get_files (fixture->group);
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (fixture->group),
                                             ADW_TYPE_PREFERENCES_PAGE);

  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 0);
  g_assert_cmpint (contract_state (fixture), ==, COOP_CONTRACT_STATE_MISSING);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (fixture->group)));

  add_paths (fixture, contract, photo, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 2);
  g_assert_cmpstr (coop_attachment_get_name (file_at (fixture, 0)), ==, "盖章合同.pdf");
  g_assert_cmpint (coop_attachment_get_kind (file_at (fixture, 0)), ==,
                   COOP_ATTACHMENT_KIND_CONTRACT);
  g_assert_cmpstr (coop_attachment_get_name (file_at (fixture, 1)), ==, "揭牌.png");
  g_assert_cmpint (coop_attachment_get_kind (file_at (fixture, 1)), ==, COOP_ATTACHMENT_KIND_PHOTO);
  g_assert_cmpint (coop_attachment_get_size (file_at (fixture, 0)), ==, sizeof pdf - 1);
  g_assert_cmpint (contract_state (fixture), ==, COOP_CONTRACT_STATE_ATTACHED);
  g_assert_nonnull (coop_test_find (GTK_WIDGET (fixture->group), is_row_of, "盖章合同.pdf"));
  g_assert_nonnull (coop_test_find (GTK_WIDGET (fixture->group), is_row_of, "揭牌.png"));
  /* Attaching is not an edit of the form. */
  g_assert_false (coop_editor_get_modified (fixture->editor));

  /* A drop on the form: the second PDF, with a contract already there, is
   * some other document. */
  drop_file (page, other);
  coop_test_wait_for (group_idle, fixture->group);
  coop_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 3);
  g_assert_cmpstr (coop_attachment_get_name (file_at (fixture, 2)), ==, "补充协议.pdf");
  g_assert_cmpint (coop_attachment_get_kind (file_at (fixture, 2)), ==, COOP_ATTACHMENT_KIND_OTHER);
}

/* What cannot be attached is named, with the limit; nothing is stored. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *large = g_build_filename (fixture->dir, "扫描件.pdf", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "文件夹", NULL);
  GListModel *files = coop_attachment_group_get_files (fixture->group);
  AdwMessageDialog *dialog;
  int fd;

  /* 26 MB, without writing them. */
  fd = g_open (large, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 26 * 1024 * 1024), ==, 0);
  close (fd);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

  add_paths (fixture, large, NULL);
  dialog = take_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Attach File");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "“扫描件.pdf” is 26.0 MB; an attached file can be at most 25 MB.");
  close_dialog (dialog);

  add_paths (fixture, folder, NULL);
  dialog = take_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "“文件夹” is not a file; only files can be attached.");
  close_dialog (dialog);

  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 0);
  g_assert_cmpint (contract_state (fixture), ==, COOP_CONTRACT_STATE_MISSING);
}

/* Open gives the default application a private copy; Save a Copy writes
 * the file where asked, or says why not. */
static void
test_open_and_save (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *contract = write_file (fixture, "盖章合同.pdf", pdf, sizeof pdf - 1);
  g_autofree char *opened = g_build_filename (desktop_dir, "opened.pdf", NULL);
  g_autofree char *copy = g_build_filename (fixture->dir, "副本.pdf", NULL);
  g_autofree char *locked = g_build_filename (fixture->dir, "locked", NULL);
  g_autofree char *private_copy = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) target = NULL;
  gsize size = 0;
  GStatBuf info;
  GtkWidget *open;

  g_unlink (opened);
  add_paths (fixture, contract, NULL);

  /* The row's Open button: the viewer gets the copy and copies it on. */
  open = row_button (fixture, "盖章合同.pdf", "Open");
  g_assert_nonnull (open);
  g_signal_emit_by_name (open, "clicked");
  coop_test_wait_for (file_exists, opened);
  coop_test_wait_ms (100);
  g_assert_true (g_file_get_contents (opened, &data, &size, &error));
  g_assert_cmpmem (data, size, pdf, sizeof pdf - 1);
  g_assert_null (coop_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* The copy is the user's alone. */
  private_copy = coop_attachment_group_open (fixture->group, file_at (fixture, 0), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (private_copy, g_get_user_runtime_dir ()));
  g_assert_true (g_str_has_suffix (private_copy, "/盖章合同.pdf"));
  g_assert_cmpint (g_stat (private_copy, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  {
    g_autofree char *folder = g_path_get_dirname (private_copy);

    g_assert_cmpint (g_stat (folder, &info), ==, 0);
    g_assert_cmpint (info.st_mode & 0777, ==, 0700);
  }

  /* Save a Copy. */
  target = g_file_new_for_path (copy);
  g_assert_true (coop_attachment_group_save_copy (fixture->group, file_at (fixture, 0), target,
                                                  &error));
  g_assert_no_error (error);
  g_clear_pointer (&data, g_free);
  g_assert_true (g_file_get_contents (copy, &data, &size, &error));
  g_assert_cmpmem (data, size, pdf, sizeof pdf - 1);

  /* A folder that may not be written (root may write anywhere: a path
   * under a file stands in for it). */
  g_assert_true (g_file_set_contents (locked, "x", 1, NULL));
  g_clear_object (&target);
  {
    g_autofree char *inside = g_build_filename (locked, "副本.pdf", NULL);

    target = g_file_new_for_path (inside);
    g_assert_false (coop_attachment_group_save_copy (fixture->group, file_at (fixture, 0), target,
                                                     &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, "Could not write "));
    g_assert_nonnull (strstr (error->message, inside));
    g_clear_error (&error);
  }

  /* The private copy goes with the file. */
  g_assert_true (g_file_test (private_copy, G_FILE_TEST_EXISTS));
  g_assert_true (coop_attachment_group_delete (fixture->group, file_at (fixture, 0), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (private_copy, G_FILE_TEST_EXISTS));
}

/* The kind is a save of its own; Delete goes at once, Undo brings it back. */
static void
test_kind_delete_undo (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *contract = write_file (fixture, "R&D <盖章合同>.pdf", pdf, sizeof pdf - 1);
  GListModel *files = coop_attachment_group_get_files (fixture->group);
  GtkWidget *row;
  GtkDropDown *kind;
  gint64 id;
  g_autoptr(GError) error = NULL;

  add_paths (fixture, contract, NULL);
  id = coop_record_get_id (COOP_RECORD (file_at (fixture, 0)));
  g_assert_cmpint (contract_state (fixture), ==, COOP_CONTRACT_STATE_ATTACHED);

  /* Through the row's drop-down: not the contract after all. */
  row = coop_test_find (GTK_WIDGET (fixture->group), is_row_of, "R&D <盖章合同>.pdf");
  kind = GTK_DROP_DOWN (coop_test_find_type (row, GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (gtk_drop_down_get_selected (kind), ==, COOP_ATTACHMENT_KIND_CONTRACT);
  gtk_drop_down_set_selected (kind, COOP_ATTACHMENT_KIND_OTHER);
  coop_test_drain ();
  g_assert_cmpint (coop_attachment_get_kind (file_at (fixture, 0)), ==, COOP_ATTACHMENT_KIND_OTHER);
  g_assert_cmpint (contract_state (fixture), ==, COOP_CONTRACT_STATE_MISSING);

  /* An agreement that holds a file is not deleted with it. */
  {
    CoopRecord *agreement = coop_store_find (fixture->store, COOP_TYPE_AGREEMENT, DEMO_AGREEMENT);

    g_assert_false (coop_store_delete (fixture->store, agreement, &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "1 attached file"));
    g_clear_error (&error);
  }

  /* The row's Delete button, then the toast's Undo. */
  g_signal_emit_by_name (row_button (fixture, "R&D <盖章合同>.pdf", "Delete"), "clicked");
  coop_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 0);
  g_assert_null (coop_store_find (fixture->store, COOP_TYPE_ATTACHMENT, id));
  g_assert_true (coop_attachment_group_undo (fixture->group, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (file_at (fixture, 0))), ==, id);
  g_assert_cmpint (coop_attachment_get_kind (file_at (fixture, 0)), ==, COOP_ATTACHMENT_KIND_OTHER);
  {
    g_autoptr(GBytes) content = coop_store_read_attachment (fixture->store, file_at (fixture, 0),
                                                            &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), pdf,
                     sizeof pdf - 1);
  }
  /* Undo once is all there is. */
  g_assert_true (coop_attachment_group_undo (fixture->group, &error));
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
}

static gboolean
is_label_of (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

/* Files dropped on an agreement's row in the list are attached to it, in
 * its editor. */
static void
test_drop_on_row (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *contract = write_file (fixture, "盖章合同.pdf", pdf, sizeof pdf - 1);
  CoopListPage *page = coop_window_get_list_page (fixture->window, "agreements");
  CoopRecord *agreement = coop_store_find (fixture->store, COOP_TYPE_AGREEMENT, DEMO_AGREEMENT);
  GtkWidget *cell;
  CoopEditor *editor;
  CoopAttachmentGroup *group;

  gtk_window_destroy (GTK_WINDOW (fixture->editor));
  coop_test_drain ();
  g_assert_null (coop_window_get_editor (fixture->window));

  cell = coop_test_find (GTK_WIDGET (page), is_label_of,
                         coop_agreement_get_title (COOP_AGREEMENT (agreement)));
  g_assert_nonnull (cell);
  drop_file (cell, contract);
  coop_test_drain ();

  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  g_assert_cmpint (coop_record_get_id (coop_editor_get_record (editor)), ==, DEMO_AGREEMENT);
  group = coop_editor_get_attachments (editor);
  coop_test_wait_for (group_idle, group);
  coop_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (coop_attachment_group_get_files (group)), ==, 1);
  g_assert_cmpint (contract_state (fixture), ==, COOP_CONTRACT_STATE_ATTACHED);
}

/* A form not yet saved, and a ledger open read-only, attach nothing. */
static void
test_not_writable (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(CoopAgreement) fresh = coop_agreement_new ();
  g_autofree char *contract = write_file (fixture, "盖章合同.pdf", pdf, sizeof pdf - 1);
  g_autofree char *path = g_strdup (coop_store_get_path (fixture->store));
  CoopEditor *editor;
  CoopAttachmentGroup *group;

  editor = coop_window_open_record (fixture->window, COOP_RECORD (fresh));
  coop_test_drain ();
  group = coop_editor_get_attachments (editor);
  g_assert_nonnull (group);
  g_assert_false (gtk_widget_is_sensitive (coop_test_find_type (GTK_WIDGET (group),
                                                                GTK_TYPE_BUTTON)));
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                   "Save first, then attach the signed contract, photos or the sign-in sheet.");
  gtk_window_destroy (GTK_WINDOW (editor));
  coop_test_drain ();

  /* Once attached, a read-only window opens and saves copies, no more. */
  add_paths (fixture, contract, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CoopStore) reader = NULL;
    CoopWindow *window;
    CoopAttachmentGroup *shown;

    coop_test_close_toplevels ();
    g_clear_object (&fixture->window);
    g_clear_object (&fixture->store);

    reader = coop_store_open (path, COOP_STORE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    window = g_object_ref_sink (coop_window_new (NULL, reader));
    gtk_window_present (GTK_WINDOW (window));
    coop_test_wait_for (window_loaded, window);
    editor = coop_window_open_record (window, coop_store_find (reader, COOP_TYPE_AGREEMENT,
                                                               DEMO_AGREEMENT));
    coop_test_drain ();
    shown = coop_editor_get_attachments (editor);
    g_assert_cmpuint (g_list_model_get_n_items (coop_attachment_group_get_files (shown)), ==, 1);
    g_assert_false (gtk_widget_get_visible (coop_test_find_type (GTK_WIDGET (shown),
                                                                 GTK_TYPE_BUTTON)));
    {
      GtkWidget *row = coop_test_find (GTK_WIDGET (shown), is_row_of, "盖章合同.pdf");

      g_assert_nonnull (row);
      g_assert_nonnull (coop_test_find (row, has_tooltip, "Open"));
      g_assert_nonnull (coop_test_find (row, has_tooltip, "Save a Copy…"));
      g_assert_null (coop_test_find (row, has_tooltip, "Delete"));
      g_assert_false (gtk_widget_is_sensitive (coop_test_find_type (row, GTK_TYPE_DROP_DOWN)));
    }
    gtk_window_destroy (GTK_WINDOW (editor));
    gtk_window_destroy (GTK_WINDOW (window));
    coop_test_drain ();
    g_object_unref (window);
  }
}

/* The test's desktop: a runtime folder, and a viewer of PDF files that
 * copies the file it is given to opened.pdf. */
static void
make_desktop (void)
{
  g_autofree char *applications = NULL;
  g_autofree char *config = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *viewer = NULL;
  g_autofree char *script = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *entry_path = NULL;
  g_autofree char *list_path = NULL;
  g_autoptr(GError) error = NULL;

  desktop_dir = g_dir_make_tmp ("coop-test-desktop-XXXXXX", &error);
  g_assert_no_error (error);
  applications = g_build_filename (desktop_dir, "data", "applications", NULL);
  config = g_build_filename (desktop_dir, "config", NULL);
  runtime = g_build_filename (desktop_dir, "runtime", NULL);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);

  viewer = g_build_filename (desktop_dir, "viewer.sh", NULL);
  script = g_strdup_printf ("#!/bin/sh\ncp \"$1\" '%s/opened.tmp' && mv '%s/opened.tmp' '%s/opened.pdf'\n",
                            desktop_dir, desktop_dir, desktop_dir);
  g_assert_true (g_file_set_contents (viewer, script, -1, NULL));
  g_assert_cmpint (g_chmod (viewer, 0700), ==, 0);

  entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Viewer\nExec=%s %%f\n"
                           "MimeType=application/pdf;\nNoDisplay=true\n", viewer);
  entry_path = g_build_filename (applications, "coop-test-viewer.desktop", NULL);
  g_assert_true (g_file_set_contents (entry_path, entry, -1, NULL));
  list_path = g_build_filename (config, "mimeapps.list", NULL);
  g_assert_true (g_file_set_contents (list_path, "[Default Applications]\n"
                                      "application/pdf=coop-test-viewer.desktop\n", -1, NULL));

  {
    g_autofree char *data = g_build_filename (desktop_dir, "data", NULL);

    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Before GLib reads where the user's folders are. */
  make_desktop ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/attachment/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("add", test_add);
  ADD ("refused", test_refused);
  ADD ("open-and-save", test_open_and_save);
  ADD ("kind-delete-undo", test_kind_delete_undo);
  ADD ("not-writable", test_not_writable);
  ADD ("drop-on-row", test_drop_on_row);

#undef ADD

  status = g_test_run ();
  coop_test_remove_tree (desktop_dir);
  g_free (desktop_dir);
  return status;
}
