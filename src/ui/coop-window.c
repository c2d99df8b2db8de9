/* coop-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-window"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-due.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-export.h"
#include "coop-import-dialog.h"
#include "coop-partner-detail.h"
#include "coop-partner.h"
#include "coop-pool-detail.h"
#include "coop-pool.h"
#include "coop-print.h"
#include "coop-safety.h"
#include "coop-sample.h"
#include "coop-search.h"
#include "coop-student.h"
#include "coop-window.h"
#include "coop-year-page.h"

/* ------------------------------------------------------------------ pages */

static const char * const partner_columns[] = { "name", "short-name", "industry", "city",
                                                "status", NULL };
static const char * const partner_filters[] = { "status", "city", NULL };
static const char * const agreement_columns[] = { "title", "partner-name", "kind", "status",
                                                  "contract", "starts-on", "ends-on",
                                                  "intern-quota", NULL };
static const char * const agreement_filters[] = { "status", "kind", "partner-name", "contract",
                                                  NULL };
static const char * const event_columns[] = { "starts-at", "title", "kind", "partner-name",
                                              "location", NULL };
static const char * const event_filters[] = { "kind", "partner-name", NULL };
static const char * const pool_columns[] = { "title", "partner-name", "kind", "openings",
                                             "filled-count", "candidate-count", "status",
                                             "closes-on", NULL };
static const char * const pool_filters[] = { "status", "kind", "partner-name", NULL };
static const char * const student_columns[] = { "number", "name", "gender",
                                                "department-name", "major", "class-name",
                                                "graduation-year", NULL };
static const char * const student_filters[] = { "department-name", "graduation-year", NULL };
static const char * const contact_columns[] = { "name", "title", "partner-name",
                                                "department-name", "phone", "email", NULL };
static const char * const contact_filters[] = { "partner-name", NULL };

static const CoopListPageInfo partner_info = {
  coop_partner_get_type, partner_columns, partner_filters,
  N_("No Partners Yet"), N_("_New Partner")
};
static const CoopListPageInfo agreement_info = {
  coop_agreement_get_type, agreement_columns, agreement_filters,
  N_("No Agreements Yet"), N_("_New Agreement")
};
static const CoopListPageInfo event_info = {
  coop_event_get_type, event_columns, event_filters,
  N_("No Events Yet"), N_("_New Event")
};
static const CoopListPageInfo pool_info = {
  coop_pool_get_type, pool_columns, pool_filters,
  N_("No Recommendation Pools Yet"), N_("_New Pool")
};
static const CoopListPageInfo student_info = {
  coop_student_get_type, student_columns, student_filters,
  N_("No Students Yet"), N_("_New Student")
};
static const CoopListPageInfo contact_info = {
  coop_contact_get_type, contact_columns, contact_filters,
  N_("No Contacts Yet"), N_("_New Contact")
};

typedef struct {
  const char             *name;
  const char             *title;
  const char             *icon;
  const CoopListPageInfo *info;
} PageEntry;

static const PageEntry pages[] = {
  { "overview", N_("Overview"), "view-grid-symbolic", NULL },
  { "year", N_("Year"), "document-open-recent-symbolic", NULL },
  { "partners", N_("Partners"), "system-users-symbolic", &partner_info },
  { "agreements", N_("Agreements"), "text-x-generic-symbolic", &agreement_info },
  { "events", N_("Events"), "x-office-calendar-symbolic", &event_info },
  { "pools", N_("Recommendation Pools"), "view-list-symbolic", &pool_info },
  { "students", N_("Students"), "avatar-default-symbolic", &student_info },
  { "contacts", N_("Contacts"), "contact-new-symbolic", &contact_info },
};

struct _CoopWindow
{
  AdwApplicationWindow  parent_instance;

  CoopStore            *store;
  GSettings            *settings;
  char                 *reminded_on;
  guint                 new_day_id;
  GType                 pending_type;   /* a record to show once loaded */
  gint64                pending_id;
  CoopOverview         *overview;
  CoopYearPage         *year_page;
  CoopPartnerDetail    *partner_detail;
  CoopPoolDetail       *pool_detail;
  CoopEditor           *editor;
  gboolean              loaded;

  /* What Undo puts back: a deleted record with what was deleted with it,
   * or the candidates as they were before their stage was set. */
  CoopRecord           *undo_record;
  GPtrArray            *undo_children;
  GPtrArray            *undo_stages;
  CoopRecord           *undo_due;
  AdwToast             *undo_toast;
  gint64                undo_toast_added;

  GCancellable         *export_cancellable;

  GMenu                *safety_section;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkStack             *stack;
  AdwWindowTitle       *window_title;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
};

G_DEFINE_FINAL_TYPE (CoopWindow, coop_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------ helpers */

static CoopListPage *
current_list_page (CoopWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  return COOP_IS_LIST_PAGE (child) ? COOP_LIST_PAGE (child) : NULL;
}

static const PageEntry *
find_page_for_type (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (pages[i].info != NULL && pages[i].info->record_type () == type)
      return &pages[i];
  return NULL;
}

static void
show_toast (CoopWindow *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
update_actions (CoopWindow *self)
{
  CoopListPage *page;
  gboolean writable = self->store != NULL && !coop_store_get_read_only (self->store);
  gboolean selected;
  GListModel *partners = self->store ? coop_store_get_list (self->store, COOP_TYPE_PARTNER) : NULL;

  /* Signals may still arrive while the window is being destroyed. */
  if (self->stack == NULL)
    return;
  page = current_list_page (self);
  selected = page != NULL && coop_list_page_get_selected (page) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-record", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-record", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-record", writable && selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-view", page != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.print",
                                 selected &&
                                 coop_print_can_print (coop_list_page_get_selected (page)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-sample",
                                 writable && self->loaded && partners != NULL &&
                                 g_list_model_get_n_items (partners) == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-students", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 writable && (self->undo_record != NULL ||
                                              self->undo_stages != NULL ||
                                              self->undo_due != NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-summary",
                                 self->store != NULL && self->export_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-export",
                                 self->export_cancellable != NULL);
  /* Backups are files next to a file; a server keeps its own. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-up-now",
                                 self->store != NULL && !coop_store_get_shared (self->store));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-backup",
                                 self->store != NULL && !coop_store_get_shared (self->store));
}

static void
forget_undo_data (CoopWindow *self)
{
  g_clear_object (&self->undo_record);
  g_clear_pointer (&self->undo_children, g_ptr_array_unref);
  g_clear_pointer (&self->undo_stages, g_ptr_array_unref);
  g_clear_object (&self->undo_due);
}

static void
clear_undo (CoopWindow *self)
{
  forget_undo_data (self);
  if (self->undo_toast != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->undo_toast, self);
      g_object_remove_weak_pointer (G_OBJECT (self->undo_toast), (gpointer *) &self->undo_toast);
    }
  self->undo_toast = NULL;
}

static void on_undo_toast_dismissed_cb (AdwToast   *toast,
                                        CoopWindow *self);

/* libadwaita 1.2 frees a toast dismissed while it is still sliding in but
 * not its slide-in animation, which then writes to the freed toast (and
 * crashes when the window closes later).  A toast is therefore dismissed
 * only once it has been on screen this long: its slide-in takes 300 ms, or
 * 500 ms when it replaces another. */
#define TOAST_SETTLE_MS 600

static gboolean
dismiss_toast_cb (gpointer user_data)
{
  adw_toast_dismiss (ADW_TOAST (user_data));
  return G_SOURCE_REMOVE;
}

/* A toast whose window has gone meanwhile is no longer in an overlay, and
 * dismissing it does nothing. */
static void
dismiss_undo_toast (CoopWindow *self,
                    AdwToast   *toast)
{
  gint64 shown_ms = (g_get_monotonic_time () - self->undo_toast_added) / 1000;

  if (shown_ms >= TOAST_SETTLE_MS)
    adw_toast_dismiss (toast);
  else
    g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (TOAST_SETTLE_MS - shown_ms),
                        dismiss_toast_cb, g_object_ref (toast), g_object_unref);
}

/* Shows the toast whose Undo (or Ctrl+Z) takes back what was just done. */
static void
offer_undo (CoopWindow *self,
            const char *title)
{
  AdwToast *toast;

  /* A toast still on screen names the latest change, which its Undo now
   * takes back: dismissing it for a new one as it is shown sometimes made
   * libadwaita 1.2 use a freed toast. */
  if (self->undo_toast != NULL)
    {
      adw_toast_set_title (self->undo_toast, title);
      update_actions (self);
      return;
    }

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  self->undo_toast = toast;
  self->undo_toast_added = g_get_monotonic_time ();
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->undo_toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  update_actions (self);
}

static char *
default_export_folder (CoopWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "export-folder");

  if (folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&folder);
  if (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS) != NULL)
    return g_strdup (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS));
  return g_strdup (g_get_home_dir ());
}

static void
refresh_filters (CoopWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *child = gtk_stack_get_child_by_name (self->stack, pages[i].name);

      if (COOP_IS_LIST_PAGE (child))
        coop_list_page_refresh_filters (COOP_LIST_PAGE (child));
    }
}

/* ------------------------------------------------------------------ callbacks */

/* What is due, as notifications: when the window opens and on each new
 * day while it runs, each time after the Overview has been refreshed. */
static void
remind (CoopWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GPtrArray *items = coop_overview_get_due (self->overview);

  g_free (self->reminded_on);
  self->reminded_on = coop_due_today ();
  /* The Overview's list, just refreshed: what it shows is what is said. */
  if (application != NULL && g_application_get_is_registered (G_APPLICATION (application)) &&
      items != NULL)
    coop_due_send_notifications (G_APPLICATION (application), items);
}

static gboolean
on_new_day_cb (gpointer user_data)
{
  CoopWindow *self = user_data;
  g_autofree char *today = coop_due_today ();

  if (self->loaded && g_strcmp0 (today, self->reminded_on) != 0)
    {
      coop_overview_refresh (self->overview);
      remind (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_load_all_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CoopWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  gboolean loaded = coop_store_load_all_finish (COOP_STORE (source), result, &error);

  /* A window closed meanwhile, or put away because its file turned out
   * damaged, has nothing to show. */
  if (self->store == NULL)
    return;
  if (!loaded)
    {
      coop_window_show_error (self, _("Could not read the database"), error->message);
      return;
    }

  self->loaded = TRUE;
  refresh_filters (self);
  coop_overview_refresh (self->overview);
  update_actions (self);
  remind (self);
  if (self->pending_id != 0)
    coop_window_show_record (self, self->pending_type, self->pending_id);
}

static void
on_editor_saved_cb (CoopEditor *editor,
                    CoopRecord *record,
                    CoopWindow *self)
{
  const PageEntry *entry = find_page_for_type (G_OBJECT_TYPE (record));
  GtkWidget *page;

  if (entry == NULL)
    return;
  page = gtk_stack_get_child_by_name (self->stack, entry->name);
  if (page == gtk_stack_get_visible_child (self->stack))
    coop_list_page_select_record (COOP_LIST_PAGE (page), coop_record_get_id (record));
}

/* Files dropped on an agreement or an event in a list are attached to it,
 * in its editor, where they are seen arriving. */
static void
on_files_dropped_cb (CoopListPage *page,
                     CoopRecord   *record,
                     GSList       *files,
                     CoopWindow   *self)
{
  CoopEditor *editor;
  CoopAttachmentGroup *group;

  if (coop_store_get_read_only (self->store))
    return;
  editor = coop_window_open_record (self, record);
  group = coop_editor_get_attachments (editor);
  if (group != NULL)
    coop_attachment_group_add_files (group, files);
}

static void
on_open_record_cb (GtkWidget  *source,
                   CoopRecord *record,
                   CoopWindow *self)
{
  coop_window_open_record (self, record);
}

static void
on_detail_error_cb (GtkWidget  *source,
                    const char *message,
                    CoopWindow *self)
{
  coop_window_show_error (self, _("Could not change the candidates"), message);
}

static void
on_pool_stage_set_cb (CoopPoolDetail *detail,
                      GPtrArray      *previous,
                      int             stage,
                      CoopWindow     *self)
{
  g_autofree char *title = NULL;

  forget_undo_data (self);
  self->undo_stages = g_ptr_array_ref (previous);
  /* Translators: a toast after a change of stage; %s is the stage, e.g. "Hired" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u candidate moved to “%s”",
                                        "%u candidates moved to “%s”", previous->len),
                           previous->len,
                           coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, stage));
  offer_undo (self, title);
}

static void
on_put_aside_cb (CoopOverview *overview,
                 CoopRecord   *previous,
                 const char   *title,
                 CoopWindow   *self)
{
  forget_undo_data (self);
  self->undo_due = g_object_ref (previous);
  offer_undo (self, title);
}

static void
on_overview_error_cb (CoopOverview *overview,
                      const char   *message,
                      CoopWindow   *self)
{
  coop_window_show_error (self, _("Could not change what is due"), message);
}

/* The sidebar counts what is due: "Overview (3)". */
static void
update_overview_title (CoopWindow *self)
{
  GtkStackPage *page = gtk_stack_get_page (self->stack, GTK_WIDGET (self->overview));
  guint n = coop_overview_get_n_due (self->overview);
  g_autofree char *title = NULL;

  if (n == 0)
    title = g_strdup (_("Overview"));
  else
    /* Translators: the Overview's sidebar row; %u is how many things are due */
    title = g_strdup_printf (_("Overview (%u)"), n);
  gtk_stack_page_set_title (page, title);
}

static void
on_show_candidate_cb (CoopOverview *overview,
                      CoopRecord   *candidate,
                      CoopWindow   *self)
{
  coop_window_show_candidate (self, coop_record_get_id (candidate));
}

static void
on_partner_selected_cb (CoopListPage *page,
                        GParamSpec   *pspec,
                        CoopWindow   *self)
{
  coop_partner_detail_set_partner (self->partner_detail, coop_list_page_get_selected (page));
  update_actions (self);
}

static void
on_pool_selected_cb (CoopListPage *page,
                     GParamSpec   *pspec,
                     CoopWindow   *self)
{
  coop_pool_detail_set_pool (self->pool_detail, coop_list_page_get_selected (page));
  update_actions (self);
}

static void
on_page_selected_cb (CoopListPage *page,
                     GParamSpec   *pspec,
                     CoopWindow   *self)
{
  update_actions (self);
}

static void
on_stack_visible_child_cb (CoopWindow *self)
{
  GtkStackPage *page;
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  if (child == NULL)
    return;
  page = gtk_stack_get_page (self->stack, child);
  adw_window_title_set_title (self->window_title, gtk_stack_page_get_title (page));
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_actions (self);
}

static void
on_year_kind_changed_cb (CoopWindow *self)
{
  coop_year_page_set_kind (self->year_page, coop_year_page_get_settings_kind (self->settings));
}

static void
on_expiry_days_changed_cb (CoopWindow *self)
{
  coop_overview_set_expiry_days (self->overview,
                                 g_settings_get_uint (self->settings, "expiry-warning-days"));
}

static void
on_undo_toast_dismissed_cb (AdwToast   *toast,
                            CoopWindow *self)
{
  if (toast == self->undo_toast)
    clear_undo (self);
  update_actions (self);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CoopWindow       *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  if (!coop_window_delete_selected (self, &error))
    coop_window_show_error (self, _("Could not delete the record"), error->message);
}

/* ------------------------------------------------------------------ export */

typedef struct {
  CoopWindow    *window;
  AdwEntryRow   *from_row;
  AdwEntryRow   *to_row;
  GtkSwitch     *mask_switch;
} SummaryDialog;

static void
summary_dialog_free (gpointer  data,
                     GClosure *closure)
{
  g_free (data);
}

static void
on_export_progress_cb (double   fraction,
                       gpointer user_data)
{
  CoopWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
finish_export (CoopWindow *self,
               const char *path,
               GError     *error)
{
  g_clear_object (&self->export_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  update_actions (self);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        coop_window_show_error (self, _("Could not export"), error->message);
      else
        show_toast (self, _("Export cancelled"));
      return;
    }

  {
    g_autofree char *basename = g_path_get_basename (path);
    /* Translators: %s is a file name */
    g_autofree char *text = g_strdup_printf (_("Exported to %s"), basename);

    show_toast (self, text);
  }
}

static void
on_summary_exported_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CoopWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (g_object_get_data (G_OBJECT (self), "coop-export-path"));

  coop_export_summary_finish (COOP_STORE (source), result, &error);
  finish_export (self, path, error);
}

static void
on_list_exported_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CoopWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (g_object_get_data (G_OBJECT (self), "coop-export-path"));

  coop_export_list_finish (result, &error);
  finish_export (self, path, error);
}

static void
start_progress (CoopWindow *self,
                const char *path)
{
  self->export_cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "coop-export-path", g_strdup (path), g_free);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  update_actions (self);
}

static void
on_summary_file_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  CoopWindow *self = g_object_get_data (G_OBJECT (chooser), "coop-window");
  CoopSummaryOptions *options = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    coop_window_export_summary_to (self, path, options);

  g_free ((char *) options->from);
  g_free ((char *) options->to);
  g_free (options);
  g_object_unref (chooser);
}

static GtkFileChooserNative *
new_save_chooser (CoopWindow *self,
                  const char *title,
                  const char *name)
{
  GtkFileChooserNative *chooser;
  g_autofree char *folder_path = default_export_folder (self);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "coop-window", self);
  return chooser;
}

static char *
entry_date (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return text[0] != '\0' ? g_strdup (text) : NULL;
}

static void
on_summary_dialog_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               SummaryDialog    *data)
{
  CoopWindow *self = data->window;
  CoopSummaryOptions *options;
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *today = NULL;
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "export") != 0)
    return;

  options = g_new0 (CoopSummaryOptions, 1);
  options->from = entry_date (data->from_row);
  options->to = entry_date (data->to_row);
  options->mask_personal = gtk_switch_get_active (data->mask_switch);
  options->expiry_warning_days = g_settings_get_uint (self->settings, "expiry-warning-days");
  options->year_kind = coop_year_page_get_settings_kind (self->settings);

  now = g_date_time_new_now_local ();
  today = g_date_time_format (now, "%Y-%m-%d");
  /* Translators: the suggested file name of the summary; %s is today's date */
  name = g_strdup_printf (_("coopdesk-summary-%s.xlsx"), today);
  chooser = new_save_chooser (self, _("Export Summary"), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_summary_file_cb), options);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Writes what @page shows, in its visible columns and their order, to
 * @path: CSV when the name ends in .csv, else a workbook. */
static void
export_view (CoopWindow   *self,
             CoopListPage *page,
             const char   *path)
{
  g_auto(GStrv) properties = coop_list_page_dup_visible_columns (page);
  guint n = g_strv_length (properties);
  g_autofree CoopExportColumn *columns = g_new0 (CoopExportColumn, n);
  g_autoptr(GTypeClass) klass = g_type_class_ref (coop_list_page_get_record_type (page));
  GListModel *model = coop_list_page_get_model (page);
  g_autoptr(GListStore) rows = g_list_store_new (coop_list_page_get_record_type (page));
  GtkStackPage *stack_page = gtk_stack_get_page (self->stack, GTK_WIDGET (page));
  CoopExportFormat format = g_str_has_suffix (path, ".csv") ? COOP_EXPORT_FORMAT_CSV
                                                            : COOP_EXPORT_FORMAT_XLSX;

  for (guint i = 0; i < n; i++)
    {
      const CoopField *field = coop_record_class_find_field (COOP_RECORD_CLASS (klass),
                                                             properties[i]);
      columns[i].property = properties[i];
      columns[i].title = g_dgettext (GETTEXT_PACKAGE, field->label);
    }

  /* A snapshot, so that the export sees the view as it was. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_list_store_append (rows, item);
    }

  start_progress (self, path);
  gtk_progress_bar_pulse (self->progress_bar);
  coop_export_list_async (G_LIST_MODEL (rows), columns, n,
                          gtk_stack_page_get_title (stack_page), path, format,
                          self->export_cancellable, on_list_exported_cb, g_object_ref (self));
}

static void
on_view_file_cb (GtkNativeDialog *chooser,
                 int              response,
                 gpointer         user_data)
{
  CoopWindow *self = g_object_get_data (G_OBJECT (chooser), "coop-window");
  CoopListPage *page = COOP_LIST_PAGE (user_data);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    export_view (self, page, path);

  g_object_unref (page);
  g_object_unref (chooser);
}

/* ------------------------------------------------------------------ actions */

static void
new_record_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  CoopListPage *page = current_list_page (self);
  GType type = page ? coop_list_page_get_record_type (page) : COOP_TYPE_PARTNER;
  g_autoptr(CoopRecord) record = g_object_new (type, NULL);

  if (page == NULL)
    coop_window_show_page (self, "partners");
  coop_window_open_record (self, record);
}

static void
open_record_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  CoopListPage *page = current_list_page (self);
  CoopRecord *record = page ? coop_list_page_get_selected (page) : NULL;

  if (record != NULL)
    coop_window_open_record (self, record);
}

static void
delete_record_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  CoopListPage *page = current_list_page (self);
  CoopRecord *record = page ? coop_list_page_get_selected (page) : NULL;
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (record == NULL)
    return;

  /* Translators: %s names the record, e.g. a partner's name */
  heading = g_strdup_printf (_("Delete “%s”?"), coop_record_get_title (record));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("What belongs only to it, such as a partner’s contacts or a "
                                     "pool’s candidates, is deleted with it. You can undo this "
                                     "right afterwards."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!coop_window_undo (self, &error))
    coop_window_show_error (self, _("Could not undo"), error->message);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  CoopListPage *page = current_list_page (self);

  if (page == NULL)
    {
      coop_window_show_page (self, "partners");
      page = current_list_page (self);
    }
  coop_list_page_focus_search (page);
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  coop_window_show_page (COOP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
go_back_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  adw_leaflet_navigate (COOP_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
load_sample_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!coop_sample_fill (self->store, COOP_SAMPLE_DEMO, &error))
    {
      coop_window_show_error (self, _("Could not load the sample data"), error->message);
      return;
    }
  refresh_filters (self);
  update_actions (self);
  show_toast (self, _("Sample data loaded"));
}

static void
import_students_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  CoopImportDialog *dialog = coop_import_dialog_new (GTK_WINDOW (self), self->store);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_summary_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *mask_row = adw_action_row_new ();
  SummaryDialog *data = g_new0 (SummaryDialog, 1);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Export Summary"),
                                   _("A workbook with the overview and every list, for a "
                                     "meeting. Leave the dates empty to include everything."));
  data->window = self;
  data->from_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->from_row), _("From (YYYY-MM-DD)"));
  data->to_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->to_row), _("To (YYYY-MM-DD)"));
  /* Enter after a date goes on to the file, as the default button does. */
  adw_entry_row_set_activates_default (data->from_row, TRUE);
  adw_entry_row_set_activates_default (data->to_row, TRUE);
  data->mask_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (data->mask_switch), GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (mask_row), _("Mask Personal Data"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (mask_row),
                               _("Hide phone numbers, emails and student numbers"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (mask_row), GTK_WIDGET (data->mask_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (mask_row), GTK_WIDGET (data->mask_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (data->from_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (data->to_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), mask_row);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Choose File…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "export");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_summary_dialog_response_cb), data,
                         summary_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_view_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  CoopListPage *page = current_list_page (self);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) xlsx = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (page == NULL || self->export_cancellable != NULL)
    return;

  /* Translators: the suggested file name of a list export; %s is the page name */
  name = g_strdup_printf (_("%s.xlsx"),
                          gtk_stack_page_get_title (gtk_stack_get_page (self->stack,
                                                                        GTK_WIDGET (page))));
  chooser = new_save_chooser (self, _("Export View"), name);
  gtk_file_filter_set_name (xlsx, _("Excel Workbook"));
  gtk_file_filter_add_suffix (xlsx, "xlsx");
  gtk_file_filter_set_name (csv, _("CSV File"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), xlsx);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  g_signal_connect (chooser, "response", G_CALLBACK (on_view_file_cb), g_object_ref (page));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);
  CoopListPage *page = current_list_page (self);
  CoopRecord *record = page ? coop_list_page_get_selected (page) : NULL;

  if (coop_print_can_print (record))
    coop_print_run (GTK_WINDOW (self), self->store, record, self->toast_overlay, NULL);
}

static void
cancel_export_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
back_up_now_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);

  coop_safety_back_up_now (GTK_WINDOW (self), self->store);
}

static void
restore_backup_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CoopWindow *self = COOP_WINDOW (widget);

  coop_safety_restore (GTK_WINDOW (self), self->store);
}

/* ------------------------------------------------------------------ overrides */

static gboolean
coop_window_close_request (GtkWindow *window)
{
  CoopWindow *self = COOP_WINDOW (window);
  g_autoptr(GPtrArray) editors = g_ptr_array_new_with_free_func (g_object_unref);
  GList *toplevels = gtk_window_list_toplevels ();
  int width, height;

  /* The editors go with the window, and hold the store: an editor whose
   * text is not saved asks first, and keeps the window open if told to. */
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (COOP_IS_EDITOR (l->data) && gtk_window_get_transient_for (l->data) == window)
      g_ptr_array_add (editors, g_object_ref (l->data));
  g_list_free (toplevels);
  for (guint i = 0; i < editors->len; i++)
    {
      GtkWindow *editor = g_ptr_array_index (editors, i);

      gtk_window_close (editor);
      if (gtk_widget_get_visible (GTK_WIDGET (editor)))
        {
          gtk_window_present (editor);
          return TRUE;
        }
    }

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);

  return GTK_WINDOW_CLASS (coop_window_parent_class)->close_request (window);
}

static void
coop_window_dispose (GObject *object)
{
  CoopWindow *self = COOP_WINDOW (object);

  clear_undo (self);
  g_clear_handle_id (&self->new_day_id, g_source_remove);
  g_clear_pointer (&self->reminded_on, g_free);
  if (self->editor != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  self->editor = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_WINDOW);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_window_parent_class)->dispose (object);
}

static void
coop_window_class_init (CoopWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = coop_window_dispose;
  window_class->close_request = coop_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, safety_section);

  gtk_widget_class_install_action (widget_class, "win.new-record", NULL, new_record_activated);
  gtk_widget_class_install_action (widget_class, "win.open-record", NULL, open_record_activated);
  gtk_widget_class_install_action (widget_class, "win.delete-record", NULL,
                                   delete_record_activated);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_activated);
  gtk_widget_class_install_action (widget_class, "win.load-sample", NULL, load_sample_activated);
  gtk_widget_class_install_action (widget_class, "win.import-students", NULL,
                                   import_students_activated);
  gtk_widget_class_install_action (widget_class, "win.export-summary", NULL,
                                   export_summary_activated);
  gtk_widget_class_install_action (widget_class, "win.export-view", NULL, export_view_activated);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel-export", NULL,
                                   cancel_export_activated);
  gtk_widget_class_install_action (widget_class, "win.back-up-now", NULL, back_up_now_activated);
  gtk_widget_class_install_action (widget_class, "win.restore-backup", NULL,
                                   restore_backup_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export-summary", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import-students", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i].name);
}

static void
coop_window_init (CoopWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  coop_safety_fill_menu (self->safety_section);

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (on_stack_visible_child_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::expiry-warning-days",
                           G_CALLBACK (on_expiry_days_changed_cb), self, G_CONNECT_SWAPPED);
}

/* ------------------------------------------------------------------ public */

/* The banner says what keeps the user from saving: a lost connection,
 * else why the database is read-only. */
static void
update_banner (CoopWindow *self)
{
  g_autofree char *read_only = coop_safety_describe_read_only (self->store);
  const char *text = read_only;

  if (coop_store_get_password_refused (self->store))
    text = _("The shared database refused the password when Coopdesk reconnected. Saving waits "
             "until you connect again with the new password; what you typed is kept.");
  else if (!coop_store_get_connected (self->store))
    text = _("The connection to the shared database was lost. Saving waits until Coopdesk has "
             "reconnected, which it does by itself; what you typed is kept.");

  if (text != NULL)
    gtk_label_set_label (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner_revealer, text != NULL);
}

static void
on_store_connected_cb (CoopWindow *self)
{
  update_banner (self);
  if (coop_store_get_connected (self->store))
    coop_window_show_toast (self, _("Connected to the shared database again"));
}

CoopWindow *
coop_window_new (CoopApplication *application,
                 CoopStore       *store)
{
  CoopWindow *self = g_object_new (COOP_TYPE_WINDOW, "application", application, NULL);

  if (store == NULL)
    {
      update_actions (self);
      return self;
    }

  self->store = g_object_ref (store);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *child;
      GtkStackPage *page;

      if (g_str_equal (pages[i].name, "year"))
        {
          self->year_page = coop_year_page_new (store);
          coop_year_page_set_kind (self->year_page,
                                   coop_year_page_get_settings_kind (self->settings));
          g_signal_connect_object (self->settings, "changed::year-kind",
                                   G_CALLBACK (on_year_kind_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          child = GTK_WIDGET (self->year_page);
        }
      else if (pages[i].info == NULL)
        {
          self->overview = coop_overview_new (store);
          coop_overview_set_expiry_days (self->overview,
                                         g_settings_get_uint (self->settings,
                                                              "expiry-warning-days"));
          g_signal_connect_object (self->overview, "open-record",
                                   G_CALLBACK (on_open_record_cb), self, 0);
          g_signal_connect_object (self->overview, "show-candidate",
                                   G_CALLBACK (on_show_candidate_cb), self, 0);
          g_signal_connect_object (self->overview, "put-aside",
                                   G_CALLBACK (on_put_aside_cb), self, 0);
          g_signal_connect_object (self->overview, "error",
                                   G_CALLBACK (on_overview_error_cb), self, 0);
          g_signal_connect_object (self->overview, "notify::n-due",
                                   G_CALLBACK (update_overview_title), self, G_CONNECT_SWAPPED);
          child = GTK_WIDGET (self->overview);
        }
      else
        {
          CoopListPage *list_page = coop_list_page_new (store, pages[i].info);

          child = GTK_WIDGET (list_page);
          g_signal_connect_object (list_page, "files-dropped", G_CALLBACK (on_files_dropped_cb),
                                   self, 0);
          if (g_str_equal (pages[i].name, "partners"))
            {
              self->partner_detail = coop_partner_detail_new (store);
              g_signal_connect_object (self->partner_detail, "open-record",
                                       G_CALLBACK (on_open_record_cb), self, 0);
              coop_list_page_set_detail (list_page, GTK_WIDGET (self->partner_detail),
                                         GTK_ORIENTATION_HORIZONTAL);
              g_object_bind_property (self->leaflet, "folded", self->partner_detail, "visible",
                                      G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
              g_signal_connect_object (list_page, "notify::selected",
                                       G_CALLBACK (on_partner_selected_cb), self, 0);
            }
          else if (g_str_equal (pages[i].name, "pools"))
            {
              self->pool_detail = coop_pool_detail_new (store);
              g_signal_connect_object (self->pool_detail, "error",
                                       G_CALLBACK (on_detail_error_cb), self, 0);
              g_signal_connect_object (self->pool_detail, "stage-set",
                                       G_CALLBACK (on_pool_stage_set_cb), self, 0);
              /* Below the list, so that it fits a narrow window too. */
              coop_list_page_set_detail (list_page, GTK_WIDGET (self->pool_detail),
                                         GTK_ORIENTATION_VERTICAL);
              g_signal_connect_object (list_page, "notify::selected",
                                       G_CALLBACK (on_pool_selected_cb), self, 0);
            }
          else
            g_signal_connect_object (list_page, "notify::selected",
                                     G_CALLBACK (on_page_selected_cb), self, 0);
        }

      page = gtk_stack_add_titled (self->stack, child, pages[i].name, _(pages[i].title));
      gtk_stack_page_set_icon_name (page, pages[i].icon);
    }

  update_banner (self);
  g_signal_connect_object (store, "notify::connected", G_CALLBACK (on_store_connected_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "notify::password-refused", G_CALLBACK (update_banner), self,
                           G_CONNECT_SWAPPED);

  on_stack_visible_child_cb (self);
  update_actions (self);
  self->new_day_id = g_timeout_add_seconds (600, on_new_day_cb, self);
  coop_store_load_all_async (store, NULL, on_load_all_cb, g_object_ref (self));

  return self;
}

CoopStore *
coop_window_get_store (CoopWindow *self)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);
  return self->store;
}

gboolean
coop_window_get_loaded (CoopWindow *self)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);
  return self->loaded;
}

void
coop_window_show_error (CoopWindow *self,
                        const char *heading,
                        const char *body)
{
  GtkWidget *dialog;

  g_return_if_fail (COOP_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A short note at the bottom of the window, such as what a restore did. */
void
coop_window_show_toast (CoopWindow *self,
                        const char *text)
{
  g_return_if_fail (COOP_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  show_toast (self, text);
}

/**
 * coop_window_show_candidate:
 * @candidate_id: a candidate
 *
 * Shows the pool of the candidate with that candidate selected, clearing
 * the pools page's search and filters when they hide the pool.
 *
 * Returns: %FALSE when there is no such candidate
 */
gboolean
coop_window_show_candidate (CoopWindow *self,
                            gint64      candidate_id)
{
  CoopRecord *candidate;
  CoopListPage *page;
  gint64 pool_id;

  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);

  candidate = coop_store_find (self->store, COOP_TYPE_CANDIDATE, candidate_id);
  page = coop_window_get_list_page (self, "pools");
  if (candidate == NULL || page == NULL)
    return FALSE;
  pool_id = coop_candidate_get_pool_id (COOP_CANDIDATE (candidate));

  coop_window_show_page (self, "pools");
  if (!coop_list_page_select_record (page, pool_id))
    {
      coop_list_page_set_search_text (page, "");
      for (guint i = 0; pool_filters[i] != NULL; i++)
        coop_list_page_set_filter (page, i, 0);
      if (!coop_list_page_select_record (page, pool_id))
        return FALSE;
    }
  return coop_pool_detail_select_candidate (self->pool_detail, candidate_id);
}

void
coop_window_show_page (CoopWindow *self,
                       const char *name)
{
  g_return_if_fail (COOP_IS_WINDOW (self));

  if (gtk_stack_get_child_by_name (self->stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->stack, name);
}

const char *
coop_window_get_page_name (CoopWindow *self)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * coop_window_get_list_page:
 *
 * Returns: (transfer none) (nullable): the list page called @name
 */
CoopListPage *
coop_window_get_list_page (CoopWindow *self,
                           const char *name)
{
  GtkWidget *child;

  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);

  child = gtk_stack_get_child_by_name (self->stack, name);
  return COOP_IS_LIST_PAGE (child) ? COOP_LIST_PAGE (child) : NULL;
}

CoopOverview *
coop_window_get_overview (CoopWindow *self)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);
  return self->overview;
}

CoopYearPage *
coop_window_get_year_page (CoopWindow *self)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);

  return self->year_page;
}

GtkWidget *
coop_window_get_detail (CoopWindow *self,
                        const char *name)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);

  if (g_strcmp0 (name, "partners") == 0)
    return GTK_WIDGET (self->partner_detail);
  if (g_strcmp0 (name, "pools") == 0)
    return GTK_WIDGET (self->pool_detail);
  return NULL;
}

/**
 * coop_window_open_record:
 *
 * Returns: (transfer none): the editor now shown
 */
CoopEditor *
coop_window_open_record (CoopWindow *self,
                         CoopRecord *record)
{
  CoopEditor *editor;

  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (COOP_IS_RECORD (record), NULL);

  editor = coop_editor_new (GTK_WINDOW (self), self->store, record);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
  if (self->editor != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  self->editor = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &self->editor);
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

/**
 * coop_window_show_record:
 * @type: a record type
 * @id: its id
 *
 * What a notification of something due opens: the record's editor, or a
 * candidate in its pool; once the lists are loaded, if they are not yet.
 */
void
coop_window_show_record (CoopWindow *self,
                         GType       type,
                         gint64      id)
{
  CoopRecord *record;

  g_return_if_fail (COOP_IS_WINDOW (self));

  gtk_window_present (GTK_WINDOW (self));
  if (!self->loaded)
    {
      self->pending_type = type;
      self->pending_id = id;
      return;
    }
  self->pending_id = 0;

  if (type == COOP_TYPE_CANDIDATE)
    {
      coop_window_show_candidate (self, id);
      return;
    }
  record = coop_store_find (self->store, type, id);
  if (record != NULL)
    coop_window_open_record (self, record);
}

/**
 * coop_window_get_editor:
 *
 * Returns: (transfer none) (nullable): the editor last opened, while it is open
 */
CoopEditor *
coop_window_get_editor (CoopWindow *self)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), NULL);
  return self->editor;
}

/* Deletes the selected record of the current page without asking, keeping
 * a copy of it and of what is deleted with it for Undo. */
gboolean
coop_window_delete_selected (CoopWindow  *self,
                             GError     **error)
{
  CoopListPage *page;
  CoopRecord *record;
  g_autoptr(CoopRecord) copy = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  const char *parent_field = NULL;
  GType child_type = G_TYPE_INVALID;
  g_autofree char *title = NULL;

  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);

  page = current_list_page (self);
  record = page ? coop_list_page_get_selected (page) : NULL;
  if (record == NULL)
    return TRUE;

  copy = coop_record_copy (record);
  if (COOP_IS_PARTNER (record))
    {
      child_type = COOP_TYPE_CONTACT;
      parent_field = "partner-id";
    }
  else if (COOP_IS_POOL (record))
    {
      child_type = COOP_TYPE_CANDIDATE;
      parent_field = "pool-id";
    }

  if (parent_field != NULL)
    {
      g_autoptr(GListModel) related = coop_store_list_related (self->store, child_type,
                                                               parent_field,
                                                               coop_record_get_id (record),
                                                               error);
      if (related == NULL)
        return FALSE;
      for (guint i = 0; i < g_list_model_get_n_items (related); i++)
        {
          g_autoptr(CoopRecord) child = g_list_model_get_item (related, i);
          g_ptr_array_add (children, coop_record_copy (child));
        }
    }

  if (!coop_store_delete (self->store, record, error))
    return FALSE;

  forget_undo_data (self);
  self->undo_record = g_steal_pointer (&copy);
  self->undo_children = g_steal_pointer (&children);

  /* Translators: %s names the deleted record */
  title = g_strdup_printf (_("“%s” deleted"), coop_record_get_title (self->undo_record));
  offer_undo (self, title);
  return TRUE;
}

/* Puts the last deleted record back under its old id with what was
 * deleted with it, in one transaction, and selects it again. */
static gboolean
undo_delete (CoopWindow  *self,
             CoopRecord  *record,
             GPtrArray   *children,
             GError     **error)
{
  const PageEntry *entry;
  CoopListPage *page;

  if (!coop_store_begin (self->store, error))
    return FALSE;
  if (!coop_store_restore (self->store, record, error))
    goto fail;
  for (guint i = 0; children != NULL && i < children->len; i++)
    if (!coop_store_restore (self->store, g_ptr_array_index (children, i), error))
      goto fail;
  if (!coop_store_commit (self->store, error))
    return FALSE;

  entry = find_page_for_type (G_OBJECT_TYPE (record));
  page = entry ? coop_window_get_list_page (self, entry->name) : NULL;
  if (page != NULL)
    coop_list_page_select_record (page, coop_record_get_id (record));
  return TRUE;

fail:
  coop_store_rollback (self->store);
  return FALSE;
}

/**
 * coop_window_undo:
 *
 * What Ctrl+Z and the Undo of the last toast do: brings back the record
 * deleted last, puts the candidates whose stage was set last back in the
 * stages they had, or takes back a due item marked done or snoozed; and
 * takes the toast that offered it off the screen.
 */
gboolean
coop_window_undo (CoopWindow  *self,
                  GError     **error)
{
  g_autoptr(CoopRecord) record = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  g_autoptr(CoopRecord) due = NULL;
  AdwToast *toast;
  gboolean ok = TRUE;

  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);

  record = g_steal_pointer (&self->undo_record);
  children = g_steal_pointer (&self->undo_children);
  stages = g_steal_pointer (&self->undo_stages);
  due = g_steal_pointer (&self->undo_due);
  toast = self->undo_toast;
  clear_undo (self);

  /* Its Undo has nothing left to take back.  When the toast's own button
   * got here, the toast dismisses itself too; a second dismissal is a
   * no-op for it. */
  if (toast != NULL)
    dismiss_undo_toast (self, toast);

  if (record != NULL)
    ok = undo_delete (self, record, children, error);
  else if (stages != NULL)
    ok = coop_pool_detail_restore_stages (self->pool_detail, stages, error);
  else if (due != NULL)
    ok = coop_due_restore (self->store, due, error);

  update_actions (self);
  return ok;
}

/**
 * coop_window_export_view_to:
 * @path: the file to write, .xlsx or .csv
 *
 * What "Export View…" does once the file is chosen: writes the current
 * page as it is filtered and sorted, showing progress in the window.
 * Returns %FALSE when there is no list page or an export is running.
 */
gboolean
coop_window_export_view_to (CoopWindow *self,
                            const char *path)
{
  CoopListPage *page;

  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  page = current_list_page (self);
  if (page == NULL || self->export_cancellable != NULL)
    return FALSE;
  export_view (self, page, path);
  return TRUE;
}

/**
 * coop_window_print_to:
 * @path: the PDF to write
 *
 * Prints the selected record's sheet to @path as "Print…" would, without
 * the dialog; a failure is shown in a toast.  Returns %FALSE when nothing
 * that prints is selected.
 */
gboolean
coop_window_print_to (CoopWindow *self,
                      const char *path)
{
  CoopListPage *page;
  CoopRecord *record;

  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  page = current_list_page (self);
  record = page ? coop_list_page_get_selected (page) : NULL;
  if (!coop_print_can_print (record))
    return FALSE;
  coop_print_run (GTK_WINDOW (self), self->store, record, self->toast_overlay, path);
  return TRUE;
}

gboolean
coop_window_get_exporting (CoopWindow *self)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);
  return self->export_cancellable != NULL;
}

/**
 * coop_window_export_summary_to:
 * @path: the workbook to write
 * @options: the date range and masking the user chose
 *
 * What "Export Summary…" does once the file is chosen: writes the summary
 * in the background, with progress and Cancel at the bottom of the window.
 * Returns %FALSE when an export is already running.
 */
gboolean
coop_window_export_summary_to (CoopWindow               *self,
                               const char               *path,
                               const CoopSummaryOptions *options)
{
  g_return_val_if_fail (COOP_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (self->store == NULL || self->export_cancellable != NULL)
    return FALSE;
  start_progress (self, path);
  coop_export_summary_async (self->store, path, options, self->export_cancellable,
                             on_export_progress_cb, self, on_summary_exported_cb,
                             g_object_ref (self));
  return TRUE;
}
