/* coop-attachment-group.c — the files an agreement or an event holds, in its editor
 *
 * One row per file, from the store's list of attachments filtered to the
 * owner, so a file another client attaches appears here too.  Adding,
 * deleting and saying what a file is are writes of their own, made at
 * once, not at the editor's Save: a scanned contract is kept the moment it
 * is dropped on the agreement.  A deletion keeps the file in memory for
 * the toast's Undo.  Opening writes a private copy (in the user's runtime
 * folder, readable only by them) for the desktop's default application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-attachment-group"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-attachment-group.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"

#define N_KINDS (COOP_ATTACHMENT_KIND_OTHER + 1)

struct _CoopAttachmentGroup
{
  AdwPreferencesGroup  parent_instance;

  CoopStore           *store;
  GType                owner_type;
  gint64               owner_id;
  AdwToastOverlay     *toasts;
  GtkFilterListModel  *files;
  GtkListBox          *list;
  GtkWidget           *add_button;
  GQueue               adding;      /* AddJobs: one file is read at a time, in order */

  /* The file deleted last, with its content, for Undo. */
  CoopAttachment      *undo_attachment;
  GBytes              *undo_content;
  AdwToast            *undo_toast;
};

G_DEFINE_FINAL_TYPE (CoopAttachmentGroup, coop_attachment_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ helpers */

/* Sizes as file managers show them, with the megabyte of the limit. */
static char *
format_size (int size)
{
  if (size < 1024 * 1024)
    /* Translators: a file's size in kilobytes */
    return g_strdup_printf (_("%d KB"), (size + 1023) / 1024);
  /* Translators: a file's size in megabytes */
  return g_strdup_printf (_("%.1f MB"), (double) size / (1024 * 1024));
}

static gboolean
is_writable (CoopAttachmentGroup *self)
{
  return !coop_store_get_read_only (self->store) && self->owner_id != 0;
}

static void
show_error (CoopAttachmentGroup *self,
            const char          *heading,
            const char          *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                              : NULL,
                                                       heading, message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_toast (CoopAttachmentGroup *self,
            AdwToast            *toast)
{
  if (self->toasts != NULL)
    adw_toast_overlay_add_toast (self->toasts, toast);
  else
    g_object_unref (toast);
}

static gboolean
owns (CoopAttachmentGroup *self,
      CoopAttachment      *attachment)
{
  GType type;
  gint64 id = coop_attachment_get_owner_id (attachment, &type);

  return self->owner_id != 0 && id == self->owner_id && type == self->owner_type;
}

static gboolean
match_owner (gpointer item,
             gpointer user_data)
{
  return owns (user_data, item);
}

static gboolean
holds_kind (CoopAttachmentGroup *self,
            CoopAttachmentKind   kind)
{
  GListModel *files = self->files != NULL ? G_LIST_MODEL (self->files) : NULL;

  for (guint i = 0; files != NULL && i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(CoopAttachment) attachment = g_list_model_get_item (files, i);

      if (coop_attachment_get_kind (attachment) == kind)
        return TRUE;
    }
  return FALSE;
}

/* What a new file most likely is: a picture is a photo; the first other
 * file of an agreement its signed contract, of an event its sign-in sheet.
 * The row's drop-down says otherwise in one step. */
static CoopAttachmentKind
guess_kind (CoopAttachmentGroup *self,
            const char          *content_type)
{
  CoopAttachmentKind first = self->owner_type == COOP_TYPE_AGREEMENT
                             ? COOP_ATTACHMENT_KIND_CONTRACT
                             : COOP_ATTACHMENT_KIND_SIGN_IN_SHEET;

  if (content_type != NULL && g_content_type_is_mime_type (content_type, "image/*"))
    return COOP_ATTACHMENT_KIND_PHOTO;
  return holds_kind (self, first) ? COOP_ATTACHMENT_KIND_OTHER : first;
}

static CoopAttachment *
attachment_of (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "coop-attachment") : NULL;
}

/* ------------------------------------------------------------------ adding */

typedef struct
{
  CoopAttachmentGroup *self;
  GFile               *file;
  char                *name;
} AddJob;

static void start_next (CoopAttachmentGroup *self);

/* Ends the job at the head of the queue and starts the next. */
static void
add_job_free (AddJob *job)
{
  CoopAttachmentGroup *self = job->self;

  g_queue_remove (&self->adding, job);
  g_object_unref (job->file);
  g_free (job->name);
  g_free (job);

  if (g_queue_is_empty (&self->adding))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  else
    start_next (self);
  g_object_unref (self);
}

static void
on_file_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AddJob *job = user_data;
  CoopAttachmentGroup *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autoptr(CoopAttachment) attachment = NULL;
  g_autofree char *mime = NULL;

  if (content == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” could not be read: %s"), job->name,
                                                  error->message);
      show_error (self, _("Could Not Attach File"), message);
      add_job_free (job);
      return;
    }

  mime = coop_attachment_guess_content_type (job->name, content);

  attachment = coop_attachment_new ();
  coop_attachment_set_name (attachment, job->name);
  coop_attachment_set_content_type (attachment, mime);
  coop_attachment_set_kind (attachment, guess_kind (self, mime));
  if (self->owner_type == COOP_TYPE_AGREEMENT)
    coop_attachment_set_agreement_id (attachment, self->owner_id);
  else
    coop_attachment_set_event_id (attachment, self->owner_id);

  /* The new row says it is done. */
  if (!coop_store_attach (self->store, attachment, content, &error))
    show_error (self, _("Could Not Attach File"), error->message);
  add_job_free (job);
}

static void
on_file_queried_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AddJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  g_autofree char *message = NULL;

  if (info != NULL)
    {
      g_free (job->name);
      job->name = g_strdup (g_file_info_get_display_name (info));
    }

  if (info == NULL)
    message = g_strdup_printf (_("“%s” could not be read: %s"), job->name, error->message);
  else if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    message = g_strdup_printf (_("“%s” is not a file; only files can be attached."), job->name);
  else if (g_file_info_get_size (info) > COOP_ATTACHMENT_MAX_SIZE)
    /* The store's refusal, before reading the whole file. */
    message = coop_attachment_describe_too_large (job->name, g_file_info_get_size (info));

  if (message != NULL)
    {
      show_error (job->self, _("Could Not Attach File"), message);
      add_job_free (job);
      return;
    }

  g_file_load_bytes_async (job->file, NULL, on_file_loaded_cb, job);
}

static void
start_next (CoopAttachmentGroup *self)
{
  AddJob *job = g_queue_peek_head (&self->adding);

  g_file_query_info_async (job->file,
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, NULL,
                           on_file_queried_cb, job);
}

/**
 * coop_attachment_group_add_files:
 * @files: (element-type GFile): the files to attach
 *
 * Reads each file and keeps it with the owner, what "Add Files…" and a drop
 * do; coop_attachment_group_get_busy() says when all are done.  A file that
 * cannot be attached (too large, unreadable, a folder) is named in a dialog.
 */
void
coop_attachment_group_add_files (CoopAttachmentGroup *self,
                                 GSList              *files)
{
  g_return_if_fail (COOP_IS_ATTACHMENT_GROUP (self));

  if (!is_writable (self))
    return;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      AddJob *job = g_new0 (AddJob, 1);
      gboolean idle = g_queue_is_empty (&self->adding);

      job->self = g_object_ref (self);
      job->file = g_object_ref (l->data);
      job->name = g_file_get_basename (job->file);
      g_queue_push_tail (&self->adding, job);
      if (idle)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
          start_next (self);
        }
    }
}

static void
on_add_response_cb (GtkNativeDialog     *chooser,
                    int                  response,
                    CoopAttachmentGroup *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      GSList *files = NULL;

      for (guint i = g_list_model_get_n_items (chosen); i-- > 0; )
        files = g_slist_prepend (files, g_list_model_get_item (chosen, i));
      coop_attachment_group_add_files (self, files);
      g_slist_free_full (files, g_object_unref);
    }
  g_object_unref (chooser);
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CoopAttachmentGroup *self = COOP_ATTACHMENT_GROUP (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Attach Files"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Attach"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_add_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop_cb (GtkDropTarget       *target,
            const GValue        *value,
            double               x,
            double               y,
            CoopAttachmentGroup *self)
{
  GdkFileList *list;
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || !is_writable (self))
    return FALSE;

  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  coop_attachment_group_add_files (self, files);
  g_slist_free (files);
  return TRUE;
}

/* ------------------------------------------------------------------ opening and saving */

/* A name that stays one file in the folder it is written to. */
static char *
safe_name (const char *name)
{
  char *safe = g_strdelimit (g_strdup (name), "/\\", '_');

  if (safe[0] == '.' || safe[0] == '\0')
    {
      char *prefixed = g_strconcat ("_", safe, NULL);
      g_free (safe);
      safe = prefixed;
    }
  return safe;
}

/* Where the private copies of files opened are made. */
static char *
copies_folder (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "coopdesk", "attachments", NULL);
}

/* One folder per file attached, so that two files of one name do not
 * overwrite each other's copy. */
static char *
copy_folder (CoopAttachment *attachment)
{
  g_autofree char *base = copies_folder ();
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-%.12s",
                                           coop_record_get_id (COOP_RECORD (attachment)),
                                           coop_attachment_get_sha256 (attachment));

  return g_build_filename (base, name, NULL);
}

static void
remove_copy (const char *folder)
{
  g_autoptr(GDir) inner = g_dir_open (folder, 0, NULL);
  const char *file;

  while (inner != NULL && (file = g_dir_read_name (inner)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, file, NULL);
      g_unlink (path);
    }
  g_rmdir (folder);
}

/* Copies opened more than a day ago are of no more use to a viewer. */
static void
remove_old_copies (const char *base)
{
  g_autoptr(GDir) dir = g_dir_open (base, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = g_build_filename (base, entry, NULL);
      GStatBuf info;

      if (g_stat (folder, &info) == 0 && now - info.st_mtime >= 24 * 60 * 60)
        remove_copy (folder);
    }
}

/**
 * coop_attachment_group_open:
 *
 * Writes a private copy of @attachment's file (readable by the user only,
 * in a folder of their own under the runtime folder) and asks the desktop
 * to open it with its default application.
 *
 * Returns: (transfer full) (nullable): the copy's path
 */
char *
coop_attachment_group_open (CoopAttachmentGroup  *self,
                            CoopAttachment       *attachment,
                            GError              **error)
{
  g_autoptr(GBytes) content = NULL;
  g_autofree char *base = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  GdkAppLaunchContext *context;
  gsize size;
  const char *data;

  g_return_val_if_fail (COOP_IS_ATTACHMENT_GROUP (self), NULL);
  g_return_val_if_fail (COOP_IS_ATTACHMENT (attachment), NULL);

  content = coop_store_read_attachment (self->store, attachment, error);
  if (content == NULL)
    return NULL;

  base = copies_folder ();
  if (g_mkdir_with_parents (base, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not make the folder %s: %s."), base,
                   g_strerror (saved_errno));
      return NULL;
    }
  remove_old_copies (base);

  folder = copy_folder (attachment);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not make the folder %s: %s."),
                   folder, g_strerror (saved_errno));
      return NULL;
    }
  name = safe_name (coop_attachment_get_name (attachment));
  path = g_build_filename (folder, name, NULL);
  data = g_bytes_get_data (content, &size);
  if (!g_file_set_contents_full (path, data != NULL ? data : "", (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  uri = g_filename_to_uri (path, NULL, error);
  if (uri == NULL)
    return NULL;
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  if (!g_app_info_launch_default_for_uri (uri, G_APP_LAUNCH_CONTEXT (context), error))
    {
      g_object_unref (context);
      return NULL;
    }
  g_object_unref (context);
  return g_steal_pointer (&path);
}

/**
 * coop_attachment_group_save_copy:
 * @file: where to write it; an existing file is replaced whole or not at all
 *
 * Writes @attachment's file to @file, once it is checked to be the file that
 * was attached.
 */
gboolean
coop_attachment_group_save_copy (CoopAttachmentGroup  *self,
                                 CoopAttachment       *attachment,
                                 GFile                *file,
                                 GError              **error)
{
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (COOP_IS_ATTACHMENT_GROUP (self), FALSE);

  content = coop_store_read_attachment (self->store, attachment, error);
  if (content == NULL)
    return FALSE;

  data = g_bytes_get_data (content, &size);
  if (g_file_replace_contents (file, data != NULL ? data : "", size, NULL, FALSE,
                               G_FILE_CREATE_NONE, NULL, NULL, &local_error))
    return TRUE;

  shown = g_file_get_parse_name (file);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                 _("Could not write %s: the disk is full. Nothing was changed there."), shown);
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not write %s: %s."), shown,
                 local_error->message);
  return FALSE;
}

static void
on_open_button_clicked_cb (GtkButton           *button,
                 CoopAttachmentGroup *self)
{
  CoopAttachment *attachment = attachment_of (GTK_WIDGET (button));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (attachment == NULL)
    return;
  path = coop_attachment_group_open (self, attachment, &error);
  if (path == NULL)
    {
      /* Translators: %s is a file's name */
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"),
                                                  coop_attachment_get_name (attachment));
      show_error (self, heading, error->message);
    }
}

typedef struct
{
  CoopAttachmentGroup *self;
  CoopAttachment      *attachment;
} SaveJob;

static void
on_save_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     SaveJob         *job)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (coop_attachment_group_save_copy (job->self, job->attachment, file, &error))
        {
          g_autofree char *shown = g_file_get_parse_name (file);
          /* A toast's title is markup. */
          g_autofree char *escaped = g_markup_escape_text (shown, -1);
          /* Translators: %s is where a copy of a file was saved */
          g_autofree char *title = g_strdup_printf (_("Saved to %s"), escaped);
          show_toast (job->self, adw_toast_new (title));
        }
      else
        show_error (job->self, _("Could Not Save the Copy"), error->message);
    }
  g_object_unref (job->self);
  g_object_unref (job->attachment);
  g_free (job);
  g_object_unref (chooser);
}

static void
on_save_button_clicked_cb (GtkButton           *button,
                 CoopAttachmentGroup *self)
{
  CoopAttachment *attachment = attachment_of (GTK_WIDGET (button));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  SaveJob *job;

  if (attachment == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save a Copy"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     coop_attachment_get_name (attachment));
  job = g_new0 (SaveJob, 1);
  job->self = g_object_ref (self);
  job->attachment = g_object_ref (attachment);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------ deleting and kinds */

static void
forget_undo (CoopAttachmentGroup *self)
{
  g_clear_object (&self->undo_attachment);
  g_clear_pointer (&self->undo_content, g_bytes_unref);
  if (self->undo_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->undo_toast), (gpointer *) &self->undo_toast);
  self->undo_toast = NULL;
}

/* Once its toast has gone, what was deleted stays deleted; the toast's
 * own Undo has run by then. */
static void
on_undo_toast_dismissed_cb (AdwToast            *toast,
                            CoopAttachmentGroup *self)
{
  if (toast == self->undo_toast)
    forget_undo (self);
}

static void
on_undo_toast_button_clicked_cb (AdwToast            *toast,
                    CoopAttachmentGroup *self)
{
  g_autoptr(GError) error = NULL;

  if (!coop_attachment_group_undo (self, &error))
    show_error (self, _("Could Not Undo"), error->message);
}

/**
 * coop_attachment_group_delete:
 *
 * Deletes @attachment's file, keeping it for the Undo of the toast that
 * says so.
 */
gboolean
coop_attachment_group_delete (CoopAttachmentGroup  *self,
                              CoopAttachment       *attachment,
                              GError              **error)
{
  g_autoptr(CoopAttachment) copy = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_val_if_fail (COOP_IS_ATTACHMENT_GROUP (self), FALSE);
  g_return_val_if_fail (COOP_IS_ATTACHMENT (attachment), FALSE);

  /* Undo needs the file: one that cannot be read now is not deleted,
   * unless it is damaged, when what it held cannot be brought back anyway. */
  copy = COOP_ATTACHMENT (coop_record_copy (COOP_RECORD (attachment)));
  content = coop_store_read_attachment (self->store, attachment, &read_error);
  if (content == NULL && !g_error_matches (read_error, COOP_ERROR, COOP_ERROR_CORRUPT))
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }
  if (!coop_store_delete (self->store, COOP_RECORD (copy), error))
    return FALSE;
  {
    /* A copy opened before goes with it; a viewer that has it open keeps
     * what it read. */
    g_autofree char *folder = copy_folder (copy);
    remove_copy (folder);
  }

  g_clear_object (&self->undo_attachment);
  g_clear_pointer (&self->undo_content, g_bytes_unref);
  escaped = g_markup_escape_text (coop_attachment_get_name (copy), -1);
  if (content == NULL)
    {
      /* Translators: %s is a file's name */
      title = g_strdup_printf (_("“%s” deleted; it was damaged and cannot be brought back"),
                               escaped);
      if (self->undo_toast != NULL)
        adw_toast_set_title (self->undo_toast, title);
      else
        show_toast (self, adw_toast_new (title));
      return TRUE;
    }

  self->undo_attachment = g_steal_pointer (&copy);
  self->undo_content = g_steal_pointer (&content);

  /* Translators: %s is a file's name */
  title = g_strdup_printf (_("“%s” deleted"), escaped);
  /* A toast still shown takes back the latest deletion: neither dismissing
   * it nor one of a higher priority in front of another is safe in
   * libadwaita 1.2. */
  if (self->undo_toast != NULL)
    {
      adw_toast_set_title (self->undo_toast, title);
      return TRUE;
    }
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_toast_button_clicked_cb), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed_cb), self, 0);
  self->undo_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->undo_toast);
  show_toast (self, toast);
  return TRUE;
}

/**
 * coop_attachment_group_undo:
 *
 * Puts the file deleted last back, under its id, as it was.
 */
gboolean
coop_attachment_group_undo (CoopAttachmentGroup  *self,
                            GError              **error)
{
  g_autoptr(CoopAttachment) attachment = NULL;
  g_autoptr(GBytes) content = NULL;

  g_return_val_if_fail (COOP_IS_ATTACHMENT_GROUP (self), FALSE);

  if (self->undo_attachment == NULL)
    return TRUE;
  /* The file is let go only once it is back: a failed Undo can be tried
   * again.  A toast whose Undo was used goes by itself; after another way
   * of undoing, its Undo has nothing left to do. */
  attachment = COOP_ATTACHMENT (coop_record_copy (COOP_RECORD (self->undo_attachment)));
  content = g_bytes_ref (self->undo_content);
  if (!coop_store_attach (self->store, attachment, content, error))
    return FALSE;
  g_clear_object (&self->undo_attachment);
  g_clear_pointer (&self->undo_content, g_bytes_unref);
  return TRUE;
}


static void
on_delete_button_clicked_cb (GtkButton           *button,
                   CoopAttachmentGroup *self)
{
  CoopAttachment *attachment = attachment_of (GTK_WIDGET (button));
  g_autoptr(GError) error = NULL;

  if (attachment == NULL)
    return;
  if (!coop_attachment_group_delete (self, g_object_ref (attachment), &error))
    show_error (self, _("Could Not Delete the File"), error->message);
  g_object_unref (attachment);
}

/**
 * coop_attachment_group_set_kind:
 *
 * Says what @attachment's file is, a save like any other.
 */
gboolean
coop_attachment_group_set_kind (CoopAttachmentGroup  *self,
                                CoopAttachment       *attachment,
                                CoopAttachmentKind    kind,
                                GError              **error)
{
  g_autoptr(CoopRecord) copy = NULL;

  g_return_val_if_fail (COOP_IS_ATTACHMENT_GROUP (self), FALSE);

  if (coop_attachment_get_kind (attachment) == kind)
    return TRUE;
  copy = coop_record_copy (COOP_RECORD (attachment));
  coop_attachment_set_kind (COOP_ATTACHMENT (copy), kind);
  return coop_store_save (self->store, copy, error);
}

typedef struct
{
  CoopAttachmentGroup *self;
  CoopAttachment      *attachment;
  CoopAttachmentKind   kind;
  GtkDropDown         *drop_down;   /* (nullable): weak */
} KindChange;

/* Saving replaces the row, drop-down and all: not from inside the
 * drop-down's own notification. */
static gboolean
change_kind_idle_cb (gpointer user_data)
{
  KindChange *change = user_data;
  g_autoptr(GError) error = NULL;

  if (!coop_attachment_group_set_kind (change->self, change->attachment, change->kind, &error))
    {
      /* The drop-down shows what is stored; setting it back saves nothing. */
      if (change->drop_down != NULL)
        gtk_drop_down_set_selected (change->drop_down,
                                    (guint) coop_attachment_get_kind (change->attachment));
      show_error (change->self, _("Could Not Save"), error->message);
    }

  g_clear_weak_pointer (&change->drop_down);
  g_object_unref (change->self);
  g_object_unref (change->attachment);
  g_free (change);
  return G_SOURCE_REMOVE;
}

static void
on_kind_selected_cb (GtkDropDown         *drop_down,
                     GParamSpec          *pspec,
                     CoopAttachmentGroup *self)
{
  CoopAttachment *attachment = attachment_of (GTK_WIDGET (drop_down));
  guint selected = gtk_drop_down_get_selected (drop_down);
  KindChange *change;

  if (attachment == NULL || selected >= N_KINDS ||
      (CoopAttachmentKind) selected == coop_attachment_get_kind (attachment))
    return;

  change = g_new0 (KindChange, 1);
  change->self = g_object_ref (self);
  change->attachment = g_object_ref (attachment);
  change->kind = (CoopAttachmentKind) selected;
  g_set_weak_pointer (&change->drop_down, drop_down);
  g_idle_add (change_kind_idle_cb, change);
}

/* ------------------------------------------------------------------ rows */

/* A screen reader hears which file a button is for: @label names it. */
static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  return button;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CoopAttachmentGroup *self = user_data;
  CoopAttachment *attachment = item;
  CoopAttachmentKind kind = coop_attachment_get_kind (attachment);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autofree char *size = format_size (coop_attachment_get_size (attachment));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  const char *name = coop_attachment_get_name (attachment);
  g_autofree char *open_label = NULL;
  g_autofree char *save_label = NULL;
  g_autofree char *delete_label = NULL;
  GtkWidget *drop_down;
  GtkWidget *open;
  GtkWidget *save;

  g_object_set_data_full (G_OBJECT (row), "coop-attachment", g_object_ref (attachment),
                          g_object_unref);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), coop_attachment_get_name (attachment));
  /* Translators: a file's size and when it was attached: "3.1 MB · 2026-12-05 15:30" */
  subtitle = g_strdup_printf (_("%s · %s"), size, coop_attachment_get_added_at (attachment));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);

  for (int i = 0; i < N_KINDS; i++)
    gtk_string_list_append (kinds, coop_enum_get_label (COOP_TYPE_ATTACHMENT_KIND, i));
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&kinds)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), (guint) kind);
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (drop_down, is_writable (self));
  gtk_widget_set_tooltip_text (drop_down, _("What the file is"));
  {
    /* Translators: %s is a file's name */
    g_autofree char *label = g_strdup_printf (_("What “%s” is"), name);
    gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    label, -1);
  }
  g_signal_connect_object (drop_down, "notify::selected", G_CALLBACK (on_kind_selected_cb), self,
                           0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), drop_down);

  /* Translators: %s is a file's name */
  open_label = g_strdup_printf (_("Open “%s”"), name);
  /* Translators: %s is a file's name */
  save_label = g_strdup_printf (_("Save a copy of “%s”"), name);
  /* Translators: %s is a file's name */
  delete_label = g_strdup_printf (_("Delete “%s”"), name);
  open = icon_button ("document-open-symbolic", _("Open"), open_label);
  g_signal_connect_object (open, "clicked", G_CALLBACK (on_open_button_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  /* Enter on the row opens the file. */
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);

  save = icon_button ("document-save-as-symbolic", _("Save a Copy…"), save_label);
  g_signal_connect_object (save, "clicked", G_CALLBACK (on_save_button_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), save);

  if (is_writable (self))
    {
      GtkWidget *remove = icon_button ("user-trash-symbolic", _("Delete"), delete_label);

      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_delete_button_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }

  return row;
}

/* ------------------------------------------------------------------ overrides */

static void
coop_attachment_group_dispose (GObject *object)
{
  CoopAttachmentGroup *self = COOP_ATTACHMENT_GROUP (object);

  forget_undo (self);
  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->files);
  g_clear_weak_pointer (&self->toasts);

  G_OBJECT_CLASS (coop_attachment_group_parent_class)->dispose (object);
}

/* Files dropped just before the form closed are still attached: the store
 * stays until the last of them is. */
static void
coop_attachment_group_finalize (GObject *object)
{
  CoopAttachmentGroup *self = COOP_ATTACHMENT_GROUP (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_attachment_group_parent_class)->finalize (object);
}

static void
coop_attachment_group_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CoopAttachmentGroup *self = COOP_ATTACHMENT_GROUP (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, coop_attachment_group_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
coop_attachment_group_class_init (CoopAttachmentGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_attachment_group_dispose;
  object_class->finalize = coop_attachment_group_finalize;
  object_class->get_property = coop_attachment_group_get_property;

  /**
   * CoopAttachmentGroup:busy:
   *
   * Whether files being added are still read or stored.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "attachments.add", NULL, add_activated);
}

static void
coop_attachment_group_init (CoopAttachmentGroup *self)
{
  g_queue_init (&self->adding);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_attachment_group_new:
 * @owner: the agreement or event being edited; one not yet saved holds no
 *   files, and the group says to save it first
 * @toasts: (nullable): where to say what was done, with Undo
 * @drop_area: (nullable): the widget files may be dropped on
 */
CoopAttachmentGroup *
coop_attachment_group_new (CoopStore       *store,
                           CoopRecord      *owner,
                           AdwToastOverlay *toasts,
                           GtkWidget       *drop_area)
{
  CoopAttachmentGroup *self;
  GtkCustomFilter *filter;
  GtkWidget *placeholder;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);
  g_return_val_if_fail (COOP_IS_AGREEMENT (owner) || COOP_IS_EVENT (owner), NULL);

  self = g_object_new (COOP_TYPE_ATTACHMENT_GROUP, NULL);
  self->store = g_object_ref (store);
  self->owner_type = G_OBJECT_TYPE (owner);
  self->owner_id = coop_record_get_id (owner);
  /* The overlay holds the group: a reference back would keep both. */
  g_set_weak_pointer (&self->toasts, toasts);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Attached Files"));
  if (self->owner_id == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Save first, then attach the signed contract, "
                                             "photos or the sign-in sheet."));
  else if (coop_store_get_read_only (store))
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Kept in the ledger, which is open read-only: files "
                                             "can be opened and copied, not added or deleted."));
  else
    {
      /* Translators: %d is the largest size of an attached file, in MB */
      g_autofree char *description = g_strdup_printf (_("Kept in the ledger, at most %d MB "
                                                        "a file. Drop files here to attach them."),
                                                      COOP_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
    }

  self->add_button = gtk_button_new_with_mnemonic (_("_Attach Files…"));
  gtk_widget_set_valign (self->add_button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_button), "attachments.add");
  gtk_widget_set_visible (self->add_button, !coop_store_get_read_only (store));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "attachments.add", is_writable (self));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), self->add_button);

  /* Files that could not be read are not shown as none. */
  if (!coop_store_get_loaded (store, COOP_TYPE_ATTACHMENT) &&
      !coop_store_load (store, COOP_TYPE_ATTACHMENT, NULL, &error))
    /* Translators: %s says why */
    problem = g_strdup_printf (_("The attached files could not be read: %s"), error->message);

  filter = gtk_custom_filter_new (match_owner, self, NULL);
  self->files = gtk_filter_list_model_new (g_object_ref (coop_store_get_list (store,
                                                                              COOP_TYPE_ATTACHMENT)),
                                           GTK_FILTER (filter));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  placeholder = gtk_label_new (problem != NULL ? problem
                               : self->owner_id == 0 ? _("Nothing can be attached before the "
                                                         "first save")
                               : _("No files attached"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, problem != NULL ? "error" : "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->files), create_row, self, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->list));

  if (drop_area != NULL && is_writable (self))
    {
      GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

      g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_cb), self, 0);
      gtk_widget_add_controller (drop_area, GTK_EVENT_CONTROLLER (target));
    }

  return self;
}

/**
 * coop_attachment_group_get_files:
 *
 * Returns: (transfer none): the owner's attachments, as shown
 */
GListModel *
coop_attachment_group_get_files (CoopAttachmentGroup *self)
{
  g_return_val_if_fail (COOP_IS_ATTACHMENT_GROUP (self), NULL);
  return G_LIST_MODEL (self->files);
}

gboolean
coop_attachment_group_get_busy (CoopAttachmentGroup *self)
{
  g_return_val_if_fail (COOP_IS_ATTACHMENT_GROUP (self), FALSE);
  return !g_queue_is_empty (&self->adding);
}
