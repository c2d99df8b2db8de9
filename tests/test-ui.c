/* test-ui.c — the main window, driven through its actions under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtkunixprint.h>

#include "coop-test-util.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-agreement.h"
#include "coop-autostart.h"
#include "coop-connect.h"
#include "coop-contact.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner-detail.h"
#include "coop-partner.h"
#include "coop-pool-detail.h"
#include "coop-pool.h"
#include "coop-preferences.h"
#include "coop-print.h"
#include "coop-sample.h"
#include "coop-store.h"
#include "coop-student.h"
#include "coop-test-ui.h"
#include "coop-window.h"

typedef struct {
  char       *dir;
  CoopStore  *store;
  CoopWindow *window;
} Fixture;

/* ------------------------------------------------------------------ helpers */

static gboolean
window_loaded (gpointer data)
{
  return coop_window_get_loaded (data);
}

/* Puts the focus in @widget, as a click would: GTK follows the focus
 * through the containers, which Tab then starts from, only in the active
 * window.  The window a user types in is active; here, with no window
 * manager, it can lose the X input focus for a moment, so this waits until
 * the focus was given while it was. */
static void
focus_in_active_window (GtkWindow *window,
                        GtkWidget *widget)
{
  do
    {
      coop_test_wait_for (coop_test_window_active, window);
      gtk_widget_grab_focus (widget);
      coop_test_drain ();
    }
  while (!gtk_window_is_active (window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("coop-test-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  if (GPOINTER_TO_INT (user_data))
    {
      coop_sample_fill (fixture->store, COOP_SAMPLE_DEMO, &error);
      g_assert_no_error (error);
    }

  /* 2: the demo, opened read-only */
  if (GPOINTER_TO_INT (user_data) == 2)
    {
      g_clear_object (&fixture->store);
      fixture->store = coop_store_open (path, COOP_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
    }

  fixture->window = g_object_ref_sink (coop_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  coop_test_wait_for (window_loaded, fixture->window);
  coop_test_drain ();
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

static CoopListPage *
show_page (Fixture    *fixture,
           const char *name)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", name);
  coop_test_drain ();
  g_assert_cmpstr (coop_window_get_page_name (fixture->window), ==, name);
  return coop_window_get_list_page (fixture->window, name);
}

static CoopEditor *
open_new_editor (Fixture *fixture)
{
  CoopEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-record",
                                             NULL));
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  return editor;
}

static void
save_editor (CoopEditor *editor)
{
  g_object_ref (editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  coop_test_drain ();
  g_object_unref (editor);
}

static void
select_record (CoopListPage *page,
               gint64        id)
{
  g_assert_true (coop_list_page_select_record (page, id));
  coop_test_drain ();
  g_assert_cmpint (coop_record_get_id (coop_list_page_get_selected (page)), ==, id);
}

typedef struct {
  guint position, removed, added, count;
} ItemsChanged;

static void
on_items_changed_cb (GListModel   *list,
                     guint         position,
                     guint         removed,
                     guint         added,
                     ItemsChanged *changed)
{
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
  changed->count++;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return (AdwMessageDialog *) coop_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

/* Answers the message dialog on screen, which must have @heading, as a
 * click on one of its buttons does: the response, then the dialog goes. */
static void
answer_dialog (const char *heading,
               const char *response)
{
  AdwMessageDialog *dialog = find_message_dialog ();

  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  coop_test_drain ();
}

/* The toast on screen: the overlay's "toast" child that still takes
 * clicks (one being dismissed no longer does), or %NULL. */
static GtkWidget *
shown_toast (CoopWindow *window)
{
  GtkWidget *overlay = coop_test_find_type (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);

  g_assert_nonnull (overlay);
  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (gtk_widget_get_css_name (child), "toast") &&
        gtk_widget_get_can_target (child))
      return child;
  return NULL;
}

static gboolean
no_toast_shown (gpointer data)
{
  return shown_toast (data) == NULL;
}

static const char *
shown_toast_title (CoopWindow *window)
{
  GtkWidget *toast = shown_toast (window);
  GtkWidget *label = toast ? coop_test_find_type (toast, GTK_TYPE_LABEL) : NULL;

  return label ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

/* ------------------------------------------------------------------ tests */

static void
test_partner_create (Fixture       *fixture,
                     gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  CoopEditor *editor;
  CoopRecord *selected;
  ItemsChanged changed = { 0 };
  GListModel *list = coop_store_get_list (fixture->store, COOP_TYPE_PARTNER);

  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 0);

  editor = open_new_editor (fixture);
  g_assert_false (coop_editor_get_can_save (editor));
  g_assert_true (coop_editor_set_field_text (editor, "name", "上海奇利影视科技有限公司"));
  g_assert_true (coop_editor_set_field_text (editor, "city", "上海"));
  g_assert_true (coop_editor_set_field_text (editor, "status", "active"));
  g_assert_true (coop_editor_get_can_save (editor));

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  save_editor (editor);
  g_signal_handlers_disconnect_by_func (list, on_items_changed_cb, &changed);

  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);
  g_assert_null (coop_window_get_editor (fixture->window));
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 1);

  selected = coop_list_page_get_selected (page);
  g_assert_nonnull (selected);
  g_assert_cmpstr (coop_partner_get_name (COOP_PARTNER (selected)), ==, "上海奇利影视科技有限公司");
  g_assert_cmpint (coop_partner_get_status (COOP_PARTNER (selected)), ==,
                   COOP_PARTNER_STATUS_ACTIVE);
}

static void
test_partner_edit (Fixture       *fixture,
                   gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  GListModel *list = coop_store_get_list (fixture->store, COOP_TYPE_PARTNER);
  CoopRecord *partner = coop_store_find (fixture->store, COOP_TYPE_PARTNER, 3);
  ItemsChanged changed = { 0 };
  CoopEditor *editor;

  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 6);
  select_record (page, 3);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record",
                                             NULL));
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  g_assert_true (coop_editor_set_field_text (editor, "short-name", "星图"));
  g_assert_true (coop_editor_set_field_text (editor, "website", "https://xingtu.example.cn"));

  /* Nothing reaches the store before Save. */
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (partner)), ==, "星图数字");

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  save_editor (editor);
  g_signal_handlers_disconnect_by_func (list, on_items_changed_cb, &changed);

  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 2);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 1);

  /* The same object, updated in place, still selected. */
  g_assert_true (coop_store_find (fixture->store, COOP_TYPE_PARTNER, 3) == partner);
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (partner)), ==, "星图");
  g_assert_true (coop_list_page_get_selected (page) == partner);
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 6);

  /* Escape on a changed form asks first; Keep Editing keeps it open, Discard
   * closes it without saving. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  coop_editor_set_field_text (editor, "short-name", "不要保存");
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  coop_test_drain ();
  answer_dialog ("Discard Changes?", "keep");
  g_assert_true (coop_window_get_editor (fixture->window) == editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (coop_editor_get_record (editor))),
                   ==, "不要保存");

  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  coop_test_drain ();
  answer_dialog ("Discard Changes?", "discard");
  g_assert_null (coop_window_get_editor (fixture->window));
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (partner)), ==, "星图");
}

static void
test_partner_delete_undo (Fixture       *fixture,
                          gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autoptr(CoopContact) contact = coop_contact_new ();
  g_autoptr(GError) error = NULL;
  GListModel *contacts = coop_store_get_list (fixture->store, COOP_TYPE_CONTACT);
  AdwMessageDialog *dialog;
  CoopRecord *restored;
  CoopContact *restored_contact;
  gint64 id;

  coop_partner_set_name (partner, "ACME Studio");
  coop_store_save (fixture->store, COOP_RECORD (partner), &error);
  g_assert_no_error (error);
  coop_contact_set_name (contact, "王经理");
  coop_contact_set_title (contact, "总经理");
  coop_contact_set_partner_id (contact, coop_record_get_id (COOP_RECORD (partner)));
  coop_store_save (fixture->store, COOP_RECORD (contact), &error);
  g_assert_no_error (error);
  coop_test_drain ();

  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
  select_record (page, coop_record_get_id (COOP_RECORD (partner)));

  /* The selected partner shows its contact. */
  g_assert_cmpuint (coop_partner_detail_get_n_rows (COOP_PARTNER_DETAIL (
                      coop_window_get_detail (fixture->window, "partners"))), ==, 1);

  /* Delete asks first; Cancel keeps the partner. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-record",
                                             NULL));
  coop_test_drain ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-record", NULL);
  coop_test_drain ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  coop_test_drain ();

  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 0);
  g_assert_cmpstr (shown_toast_title (fixture->window), ==, "“ACME Studio” deleted");

  /* Ctrl+Z brings it back and takes the toast that offered it away. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo",
                                             NULL));
  coop_test_drain ();
  coop_test_wait_for (no_toast_shown, fixture->window);

  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
  restored = coop_list_page_get_selected (page);
  g_assert_nonnull (restored);
  g_assert_cmpstr (coop_partner_get_name (COOP_PARTNER (restored)), ==, "ACME Studio");
  id = coop_record_get_id (restored);

  /* Back under the same ids, so what refers to them still fits. */
  g_assert_cmpint (id, ==, coop_record_get_id (COOP_RECORD (partner)));
  restored_contact = g_list_model_get_item (contacts, 0);
  g_assert_cmpstr (coop_contact_get_name (restored_contact), ==, "王经理");
  g_assert_cmpint (coop_contact_get_partner_id (restored_contact), ==, id);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (restored_contact)), ==,
                   coop_record_get_id (COOP_RECORD (contact)));
  g_object_unref (restored_contact);

  /* A second undo has nothing left to do. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);

  /* The toast's own Undo button does the same.  It is clicked once the
   * toast has slid in, as a person can: libadwaita 1.2 frees a toast
   * dismissed earlier while its slide-in animation still refers to it. */
  select_record (page, id);
  g_assert_true (coop_window_delete_selected (fixture->window, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 0);
  coop_test_wait_ms (800);
  {
    GtkWidget *toast = shown_toast (fixture->window);
    GtkWidget *button = NULL;

    g_assert_nonnull (toast);
    for (GtkWidget *child = gtk_widget_get_first_child (toast); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), "win.undo") == 0)
        button = child;
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    coop_test_drain ();
  }
  coop_test_wait_for (no_toast_shown, fixture->window);
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
}

static void
test_pool_delete_undo (Fixture       *fixture,
                       gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "pools");
  GListModel *candidates = coop_store_get_list (fixture->store, COOP_TYPE_CANDIDATE);
  guint before = g_list_model_get_n_items (candidates);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) history = NULL;
  guint in_pool = 0;

  for (guint i = 0; i < before; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (candidates, i);
      in_pool += coop_candidate_get_pool_id (candidate) == 2;
    }
  g_assert_cmpuint (in_pool, ==, 3);

  select_record (page, 2);
  g_assert_true (coop_window_delete_selected (fixture->window, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (candidates), ==, before - 3);

  g_assert_true (coop_window_undo (fixture->window, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (candidates), ==, before);
  g_assert_cmpint (coop_record_get_id (coop_list_page_get_selected (page)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                      coop_pool_detail_get_selection (COOP_POOL_DETAIL (
                        coop_window_get_detail (fixture->window, "pools"))))), ==, 3);
}

/* Enter opens the highlighted row, even when the keyboard focus was left on
 * another row (GTK passes the focused row's position). */
static void
test_activate_opens_selected (Fixture       *fixture,
                              gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  GtkWidget *column_view = coop_test_find_type (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW);
  CoopEditor *editor;

  g_assert_nonnull (column_view);
  select_record (page, 3);
  g_signal_emit_by_name (column_view, "activate", 0);
  coop_test_drain ();

  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  g_assert_cmpint (coop_record_get_id (coop_editor_get_record (editor)), ==, 3);
  gtk_window_close (GTK_WINDOW (editor));
  coop_test_drain ();
}

/* A read-only database opens its records for reading, with nothing that
 * would change them enabled. */
static void
test_read_only (Fixture       *fixture,
                gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  CoopEditor *editor;

  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 6);
  select_record (page, 1);
  /* New does nothing: the action is disabled. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-record", NULL);
  coop_test_drain ();
  g_assert_null (coop_window_get_editor (fixture->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record",
                                             NULL));
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  g_assert_false (coop_editor_get_can_save (editor));
  gtk_window_close (GTK_WINDOW (editor));
  coop_test_drain ();
}

/* A required field's title says so after its name. */
static gboolean
is_entry_row_titled (GtkWidget     *widget,
                     gconstpointer  title)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title);
}

static GtkWidget *
find_entry_row (GtkWidget  *widget,
                const char *title)
{
  return coop_test_find (widget, is_entry_row_titled, title);
}

/* The editor opens with the first field ready for typing, not on Cancel. */
static void
test_editor_initial_focus (Fixture       *fixture,
                           gconstpointer  user_data)
{
  CoopEditor *editor;
  GtkWidget *focus;

  show_page (fixture, "partners");
  editor = open_new_editor (fixture);

  focus = gtk_root_get_focus (GTK_ROOT (editor));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, find_entry_row (GTK_WIDGET (editor),
                                                                "Company name")));
  gtk_window_close (GTK_WINDOW (editor));
  coop_test_drain ();
}

/* A second deletion while the first one's Undo toast is still up replaces
 * that toast; Undo then brings back the second record. */
static void
test_pool_delete_twice (Fixture       *fixture,
                        gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "pools");
  g_autoptr(GError) error = NULL;

  select_record (page, 2);
  g_assert_true (coop_window_delete_selected (fixture->window, &error));
  g_assert_no_error (error);
  coop_test_drain ();

  select_record (page, 1);
  g_assert_true (coop_window_delete_selected (fixture->window, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 0);

  g_assert_true (coop_window_undo (fixture->window, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 1);
  g_assert_cmpint (coop_record_get_id (coop_list_page_get_selected (page)), ==, 1);
}

static void
test_event_attendees (Fixture       *fixture,
                      gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "events");
  CoopRecord *event = coop_store_find (fixture->store, COOP_TYPE_EVENT, 1);
  CoopRecord *contact = coop_store_find (fixture->store, COOP_TYPE_CONTACT, 1);
  guint before = g_list_model_get_n_items (coop_event_get_attendees (COOP_EVENT (event)));
  g_autoptr(CoopAttendee) added = NULL;
  CoopEditor *editor;

  g_assert_nonnull (contact);
  select_record (page, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  coop_editor_add_attendee (editor, contact);
  g_assert_cmpuint (g_list_model_get_n_items (coop_event_get_attendees (COOP_EVENT (event))), ==,
                    before);
  save_editor (editor);

  g_assert_cmpuint (g_list_model_get_n_items (coop_event_get_attendees (COOP_EVENT (event))), ==,
                    before + 1);
  added = g_list_model_get_item (coop_event_get_attendees (COOP_EVENT (event)), before);
  g_assert_cmpstr (coop_attendee_get_name (added), ==, coop_contact_get_name (COOP_CONTACT (contact)));
  g_assert_cmpint (coop_attendee_get_contact_id (added), ==, 1);
  g_assert_cmpint (coop_attendee_get_role (added), ==, COOP_ATTENDEE_ROLE_PARTICIPANT);
}

static gboolean
export_done (gpointer data)
{
  return !coop_window_get_exporting (data);
}

static void
test_export_view (Fixture       *fixture,
                  gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  g_autofree char *path = g_build_filename (fixture->dir, "partners.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  coop_list_page_set_search_text (page, "有限公司");
  coop_list_page_set_filter (page, 0, 1 + COOP_PARTNER_STATUS_ACTIVE);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 4);

  g_assert_true (coop_window_export_view_to (fixture->window, path));
  g_assert_true (coop_window_get_exporting (fixture->window));
  coop_test_wait_for (export_done, fixture->window);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit_set (g_strstrip (contents), "\n", -1);

  /* A header in the view's column order, then exactly the rows shown. */
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_nonnull (strstr (lines[0], "Company name"));
  g_assert_true (strstr (lines[0], "Company name") < strstr (lines[0], "Status"));
  g_assert_nonnull (strstr (contents, "上海奇利影视科技有限公司"));
  g_assert_null (strstr (contents, "南京墨韵文化创意有限公司"));
}

static gboolean
is_print_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "editor.print") == 0;
}

static gboolean
toast_shown (gpointer data)
{
  return shown_toast (data) != NULL;
}

static void
select_record_titled (CoopListPage *page,
                      CoopStore    *store,
                      const char   *title)
{
  GListModel *list = coop_store_get_list (store, coop_list_page_get_record_type (page));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (list, i);

      if (g_strcmp0 (coop_record_get_title (record), title) == 0)
        {
          select_record (page, coop_record_get_id (record));
          return;
        }
    }
  g_assert_not_reached ();
}

/* Print… (Ctrl+P) is there for the selected event, pool or agreement and
 * for nothing else; it prints the sheet of the record selected, says in a
 * toast when it cannot, and the editors of those three have a print button. */
static void
test_print (Fixture       *fixture,
            gconstpointer  user_data)
{
  const char *meeting = "上海奇利影视科技有限公司实习就业推荐会";
  g_autofree char *path = g_build_filename (fixture->dir, "meeting.pdf", NULL);
  g_autofree char *bad_path = g_build_filename (fixture->dir, "missing", "meeting.pdf", NULL);
  GtkWidget *box = coop_test_find_type (GTK_WIDGET (fixture->window), GTK_TYPE_BOX);
  GtkWidget *probe = gtk_button_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char * const printed[] = { "agreements", "pools", "events" };
  CoopListPage *page;
  CoopEditor *editor;
  GtkWidget *print_button;
  int status;

  /* A button for the action shows whether it is enabled, as a menu item does. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "win.print");
  gtk_box_append (GTK_BOX (box), probe);

  g_assert_false (gtk_widget_get_sensitive (probe));
  page = show_page (fixture, "students");
  select_record (page, 1);
  g_assert_false (gtk_widget_get_sensitive (probe));
  g_assert_false (coop_window_print_to (fixture->window, path));
  page = show_page (fixture, "partners");
  select_record (page, 1);
  g_assert_false (gtk_widget_get_sensitive (probe));

  for (guint i = 0; i < G_N_ELEMENTS (printed); i++)
    {
      page = show_page (fixture, printed[i]);
      select_record (page, 1);
      g_assert_true (gtk_widget_get_sensitive (probe));
    }

  select_record_titled (page, fixture->store, meeting);
  g_assert_true (coop_window_print_to (fixture->window, path));
  coop_test_drain ();
  g_spawn_sync (NULL, (char *[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL }, NULL,
                G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, meeting));
  g_assert_nonnull (strstr (text, "Sign-in Sheet"));
  g_assert_nonnull (strstr (text, "林雨萱"));
  g_assert_null (shown_toast (fixture->window));

  g_assert_true (coop_window_print_to (fixture->window, bad_path));
  coop_test_wait_for (toast_shown, fixture->window);
  g_assert_true (g_str_has_prefix (shown_toast_title (fixture->window), "Could not print: "));
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));

  gtk_box_remove (GTK_BOX (box), probe);

  /* The event's editor has a print button, a student's has none. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  print_button = coop_test_find (GTK_WIDGET (editor), is_print_button, NULL);
  g_assert_nonnull (print_button);
  g_assert_true (gtk_widget_get_visible (print_button));
  g_assert_true (gtk_widget_get_sensitive (print_button));
  gtk_window_destroy (GTK_WINDOW (editor));
  coop_test_drain ();

  page = show_page (fixture, "students");
  select_record (page, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  print_button = coop_test_find (GTK_WIDGET (editor), is_print_button, NULL);
  g_assert_nonnull (print_button);
  g_assert_false (gtk_widget_get_visible (print_button));
  gtk_window_destroy (GTK_WINDOW (editor));
  coop_test_drain ();
}

static gboolean
print_dialog_shown (gpointer data)
{
  return coop_test_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG) != NULL;
}

static gboolean
print_dialog_gone (gpointer data)
{
  return !print_dialog_shown (data);
}

static gboolean
print_dialog_ready (gpointer data)
{
  GtkWindow *dialog = coop_test_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG);

  return dialog != NULL &&
         gtk_print_unix_dialog_get_selected_printer (GTK_PRINT_UNIX_DIALOG (dialog)) != NULL;
}

/* The print job writes the file after the dialog has gone: done when the
 * PDF ends. */
static gboolean
pdf_written (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  return g_file_get_contents (path, &contents, &length, NULL) &&
         length > 6 && memcmp (contents + length - 6, "%%EOF\n", 6) == 0;
}

/* Print… opens GTK's print dialog; "Print to File" writes the PDF, and the
 * page setup chosen there is the next sheet's. */
static void
test_print_dialog (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "dialog.pdf", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPrintOperation) next = NULL;
  g_autoptr(GtkPageSetup) landscape = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintUnixDialog *dialog;
  CoopListPage *page = show_page (fixture, "events");
  CoopRecord *event;
  GtkPageSetup *setup;
  GtkPrintSettings *settings_now;
  g_autofree char *info = NULL;
  int status;

  /* Printers of the file backend only: no CUPS server to wait for. */
  g_object_set (gtk_settings_get_default (), "gtk-print-backends", "file", NULL);
  select_record (page, 1);
  event = coop_list_page_get_selected (page);

  /* What the dialog starts with: A4, and a sheet's name for the file. */
  operation = coop_print_operation_new (fixture->store, event, &error);
  g_assert_no_error (error);
  setup = gtk_print_operation_get_default_page_setup (operation);
  g_assert_cmpstr (gtk_paper_size_get_name (gtk_page_setup_get_paper_size (setup)), ==,
                   GTK_PAPER_NAME_A4);
  g_assert_cmpint (gtk_page_setup_get_orientation (setup), ==, GTK_PAGE_ORIENTATION_PORTRAIT);
  settings_now = gtk_print_operation_get_print_settings (operation);
  g_assert_true (g_str_has_suffix (gtk_print_settings_get (settings_now,
                                                           GTK_PRINT_SETTINGS_OUTPUT_BASENAME),
                                   "Sign-in Sheet"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.print", NULL);
  coop_test_wait_for (print_dialog_shown, NULL);
  dialog = GTK_PRINT_UNIX_DIALOG (coop_test_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG));

  /* As a user would: the file printer, a file name, landscape. */
  gtk_print_settings_set_printer (settings, "Print to File");
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_URI, uri);
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf");
  gtk_print_unix_dialog_set_settings (dialog, settings);
  landscape = gtk_page_setup_copy (gtk_print_unix_dialog_get_page_setup (dialog));
  gtk_page_setup_set_orientation (landscape, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_unix_dialog_set_page_setup (dialog, landscape);
  coop_test_wait_for (print_dialog_ready, NULL);
  g_assert_cmpstr (gtk_printer_get_name (gtk_print_unix_dialog_get_selected_printer (dialog)), ==,
                   "Print to File");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  coop_test_wait_for (print_dialog_gone, NULL);
  /* The file is written from another thread: look again every 50 ms. */
  for (guint i = 0; i < 400 && !pdf_written (path); i++)
    coop_test_wait_ms (50);
  g_assert_true (pdf_written (path));
  g_spawn_sync (NULL, (char *[]) { "pdfinfo", path, NULL }, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &info, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (info, "841.89 x 595.276 pts (A4)"));

  next = coop_print_operation_new (fixture->store, event, &error);
  g_assert_no_error (error);
  setup = gtk_print_operation_get_default_page_setup (next);
  g_assert_cmpint (gtk_page_setup_get_orientation (setup), ==, GTK_PAGE_ORIENTATION_LANDSCAPE);
  coop_print_forget_settings ();
}

static void
test_export_summary (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "summary.xlsx", NULL);
  CoopSummaryOptions options = { .from = "2023-01-01", .to = NULL, .mask_personal = TRUE,
                                 .expiry_warning_days = 90 };
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (coop_window_export_summary_to (fixture->window, path, &options));
  g_assert_true (coop_window_get_exporting (fixture->window));
  /* One export at a time. */
  g_assert_false (coop_window_export_summary_to (fixture->window, path, &options));
  coop_test_wait_for (export_done, fixture->window);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (contents[0] == 'P' && contents[1] == 'K');
}

static gboolean
file_chooser_shown (gpointer data)
{
  return coop_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static void
test_dialogs (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/coopdesk/Coopdesk/gtk/help-overlay.ui");
  GtkWidget *preferences;

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  preferences = GTK_WIDGET (coop_preferences_new (GTK_WINDOW (fixture->window), "/tmp/x.db"));
  gtk_window_present (GTK_WINDOW (preferences));
  coop_test_drain ();
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Ctrl+E first asks for the date range and masking. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-summary", NULL);
  coop_test_drain ();
  g_assert_nonnull (find_message_dialog ());
  adw_message_dialog_response (find_message_dialog (), "cancel");
  coop_test_drain ();

  /* Enter in a date goes on to choosing the file. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-summary", NULL);
  coop_test_drain ();
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (find_message_dialog ()));
    GtkWindow *chooser;

    g_assert_true (GTK_IS_TEXT (focus));
    g_assert_nonnull (gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW));
    gtk_editable_set_text (GTK_EDITABLE (focus), "2024-01-01");
    g_assert_null (coop_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
    g_signal_emit_by_name (focus, "activate");
    /* Shown once GTK has found no portal on the bus. */
    coop_test_wait_for (file_chooser_shown, NULL);
    chooser = coop_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
    g_assert_nonnull (chooser);
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
    coop_test_drain ();
    if (find_message_dialog () != NULL)
      gtk_window_destroy (GTK_WINDOW (find_message_dialog ()));
    coop_test_drain ();
  }
}

static void
test_search (Fixture       *fixture,
             gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autoptr(GError) error = NULL;

  coop_partner_set_name (partner, "ACME Studio");
  coop_store_save (fixture->store, COOP_RECORD (partner), &error);
  g_assert_no_error (error);
  coop_test_drain ();

  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 7);
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 7);

  /* Ctrl+F puts the focus in the search entry (in its text), whether or
   * not the window is active at that moment. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  coop_test_drain ();
  {
    GtkWidget *entry = GTK_WIDGET (coop_list_page_get_search_entry (page));
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

    g_assert_nonnull (focus);
    g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  }

  coop_list_page_set_search_text (page, "奇利");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 1);

  /* Enter in the search selects the first match, so a second Enter opens it. */
  g_signal_emit_by_name (coop_list_page_get_search_entry (page), "activate");
  coop_test_drain ();
  g_assert_nonnull (coop_list_page_get_selected (page));
  g_assert_cmpint (coop_record_get_id (coop_list_page_get_selected (page)), ==, 1);

  coop_list_page_set_search_text (page, "有限公司");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 6);

  /* Full-width, upper or lower case: the same letters. */
  coop_list_page_set_search_text (page, "ａｃｍｅ");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 1);
  coop_list_page_set_search_text (page, "acme STUDIO");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 1);

  coop_list_page_set_search_text (page, "没有这个");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 0);

  coop_list_page_set_search_text (page, "");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 7);

  /* A filter drop-down narrows too: status is the first filter, "Active" its second value. */
  coop_list_page_set_filter (page, 0, 1 + COOP_PARTNER_STATUS_ACTIVE);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), <, 7);
  coop_list_page_set_filter (page, 0, 0);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 7);

  /* Students match by number, name or class. */
  page = show_page (fixture, "students");
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, 16);
  coop_list_page_set_search_text (page, "０１９２０１０１０１");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==, 1);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The titles of the records a model holds, sorted, joined by commas. */
static char *
model_titles (GListModel *model)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (model, i);
      g_ptr_array_add (titles, g_strdup (coop_record_get_title (record)));
    }
  g_ptr_array_sort (titles, compare_strings);
  g_ptr_array_add (titles, NULL);
  return g_strjoinv (",", (char **) titles->pdata);
}

static char *
search_titles (CoopListPage *page,
               const char   *text)
{
  coop_list_page_set_search_text (page, text);
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (page), ==,
                    g_list_model_get_n_items (coop_list_page_get_model (page)));
  return model_titles (coop_list_page_get_model (page));
}

static CoopRecord *
save_new (Fixture    *fixture,
          GType       type,
          const char *first_property,
          ...) G_GNUC_NULL_TERMINATED;

static CoopRecord *
save_new (Fixture    *fixture,
          GType       type,
          const char *first_property,
          ...)
{
  CoopRecord *record;
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first_property);
  record = COOP_RECORD (g_object_new_valist (type, first_property, args));
  va_end (args);
  g_assert_true (coop_store_save (fixture->store, record, &error));
  g_assert_no_error (error);
  return record;
}

/* Latin letters find Chinese names by their pinyin: whole syllables,
 * initials, or a mix; a surname by its surname reading and by the others;
 * in lists and in the pickers. */
static void
test_search_pinyin (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const struct { const char *query; const char *shown; } students[] = {
    { "zhangsan", "张三" },
    { "zhang san", "张三" },
    { "ZhangSan", "张三" },
    { "zs", "张三,张珊珊" },
    { "zhangs", "张三,张珊珊" },
    { "zsan", "张三" },
    { "shan", "单雄信,张珊珊" },
    { "dan", "单雄信" },
    { "zgf", "曾国藩" },
    { "liming", "Li Ming,李明" },
    { "lm", "Li Ming,李明" },
    { "李", "李明" },
    { "lvw", "吕伟" },
    { "luw", "吕伟" },
    { "xyz", "" },
    /* "han" is inside "zhang" but spells no name; "zhang" after it
     * must try every record again, not only those "han" kept. */
    { "han", "" },
    { "zhang", "张三,张珊珊" },
    { "", "Li Ming,单雄信,吕伟,张三,张珊珊,曾国藩,李明" },
  };
  const char *names[] = { "张三", "单雄信", "曾国藩", "Li Ming", "李明", "张珊珊", "吕伟" };
  g_autoptr(CoopRecord) partner = NULL;
  g_autoptr(CoopRecord) other = NULL;
  g_autoptr(CoopRecord) agreement = NULL;
  CoopListPage *page;
  CoopEditor *editor;
  GtkWidget *popover;
  GtkWidget *search;
  GtkListView *view;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *number = g_strdup_printf ("2024%03u", i + 1);
      g_autoptr(CoopRecord) student = save_new (fixture, COOP_TYPE_STUDENT, "number", number,
                                                "name", names[i], NULL);
    }
  partner = save_new (fixture, COOP_TYPE_PARTNER, "name", "单雄信科技有限公司", NULL);
  other = save_new (fixture, COOP_TYPE_PARTNER, "name", "上海奇利影视科技有限公司", NULL);
  agreement = save_new (fixture, COOP_TYPE_AGREEMENT, "title", "实践基地协议",
                        "partner-id", coop_record_get_id (partner), NULL);
  coop_test_drain ();

  page = show_page (fixture, "students");
  for (guint i = 0; i < G_N_ELEMENTS (students); i++)
    {
      g_autofree char *shown = search_titles (page, students[i].query);

      g_test_message ("students by “%s”", students[i].query);
      g_assert_cmpstr (shown, ==, students[i].shown);
    }

  /* An agreement by its title's pinyin and by its partner's. */
  page = show_page (fixture, "agreements");
  {
    g_autofree char *by_title = search_titles (page, "sjjd");
    g_autofree char *by_partner = search_titles (page, "sxxkj");
    g_autofree char *by_other = search_titles (page, "qlys");

    g_assert_cmpstr (by_title, ==, "实践基地协议");
    g_assert_cmpstr (by_partner, ==, "实践基地协议");
    g_assert_cmpstr (by_other, ==, "");
  }

  /* A renamed partner is found by its new name's pinyin, in its own list
   * and through the agreements that show it. */
  {
    g_autoptr(CoopRecord) renamed = coop_record_copy (partner);
    g_autoptr(GError) error = NULL;
    g_autofree char *agreements = NULL;
    g_autofree char *partners = NULL;

    coop_partner_set_name (COOP_PARTNER (renamed), "曾氏文化传媒");
    g_assert_true (coop_store_save (fixture->store, renamed, &error));
    g_assert_no_error (error);
    coop_test_drain ();
    agreements = search_titles (page, "zswh");
    g_assert_cmpstr (agreements, ==, "实践基地协议");
    page = show_page (fixture, "partners");
    partners = search_titles (page, "zswh");
    g_assert_cmpstr (partners, ==, "曾氏文化传媒");
    g_free (partners);
    partners = search_titles (page, "sxx");
    g_assert_cmpstr (partners, ==, "");
  }

  /* The partner picker of a new agreement. */
  show_page (fixture, "agreements");
  editor = open_new_editor (fixture);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (
    GTK_MENU_BUTTON (coop_test_find_type (GTK_WIDGET (editor), GTK_TYPE_MENU_BUTTON))));
  search = coop_test_find_type (popover, GTK_TYPE_SEARCH_ENTRY);
  view = GTK_LIST_VIEW (coop_test_find_type (popover, GTK_TYPE_LIST_VIEW));
  g_assert_nonnull (search);
  g_assert_nonnull (view);
  {
    static const struct { const char *query; const char *shown; } picks[] = {
      { "kj", "上海奇利影视科技有限公司" },
      { "zs", "曾氏文化传媒" },
      { "cs", "曾氏文化传媒" },
      { "shqlys", "上海奇利影视科技有限公司" },
      { "wenhua", "曾氏文化传媒" },
      { "", "上海奇利影视科技有限公司,曾氏文化传媒" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (picks); i++)
      {
        g_autofree char *shown = NULL;

        gtk_editable_set_text (GTK_EDITABLE (search), picks[i].query);
        g_signal_emit_by_name (search, "search-changed");
        coop_test_drain ();
        shown = model_titles (G_LIST_MODEL (gtk_list_view_get_model (view)));
        g_test_message ("partners picked by “%s”", picks[i].query);
        g_assert_cmpstr (shown, ==, picks[i].shown);
      }
  }
}

/* ------------------------------------------------------------------ year */

static guint
find_year (GtkDropDown *dropdown,
           const char  *title)
{
  GListModel *years = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (years); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (years), i), title))
      return i;
  g_error ("the Year view does not offer %s", title);
}

static void
test_year (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.coopdesk.Coopdesk");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopRecord) hired = NULL;
  CoopYearPage *page = coop_window_get_year_page (fixture->window);
  CoopChart *chart;
  GtkDropDown *dropdown;
  CoopOverview *overview;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "year");
  coop_test_drain ();
  g_assert_cmpstr (coop_window_get_page_name (fixture->window), ==, "year");

  /* This year first; 2023, the demo's busiest, chosen in the drop-down. */
  g_assert_cmpint (coop_year_page_get_year (page), ==, 2025);
  dropdown = GTK_DROP_DOWN (coop_test_find_type (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, find_year (dropdown, "2025"));
  gtk_drop_down_set_selected (dropdown, find_year (dropdown, "2023"));
  coop_test_drain ();
  g_assert_cmpint (coop_year_page_get_year (page), ==, 2023);

  /* The school: the year, the year before, the change; as the workbook. */
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 0, 1), ==, "2023");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 0, 2), ==, "2022");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 1, 0), ==,
                   "Partners active");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 1, 1), ==, "4");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 1, 2), ==, "3");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 1, 3), ==, "+1");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 10, 0), ==,
                   "Signing ceremonies");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 10, 3), ==, "−1");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 13, 1), ==, "8");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 16, 0), ==,
                   "Hiring rate");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 16, 1), ==, "0%");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 16, 2), ==, "—");

  /* Each department, the school last. */
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_DEPARTMENTS, 2, 0), ==,
                   "数字媒体艺术系");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_DEPARTMENTS, 2, 13), ==, "4");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_DEPARTMENTS, 2, 14), ==, "1");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_DEPARTMENTS, 4, 0), ==,
                   "艺术设计学院");
  g_assert_null (coop_year_page_get_text (page, COOP_YEAR_TABLE_DEPARTMENTS, 5, 0));

  /* The charts draw the same figures, and say them to a screen reader. */
  chart = coop_year_page_get_chart (page, COOP_YEAR_TABLE_SCHOOL);
  g_assert_cmpuint (coop_chart_get_n_categories (chart), ==, 9);
  g_assert_cmpfloat (coop_chart_get_value (chart, 0, 0), ==, 4);
  g_assert_cmpfloat (coop_chart_get_value (chart, 0, 1), ==, 3);
  g_assert_true (g_str_has_prefix (coop_chart_get_description (chart),
                                   "Partners active: 4 (2023), 3 (2022); "
                                   "Agreements signed: 2 (2023), 1 (2022); "));
  chart = coop_year_page_get_chart (page, COOP_YEAR_TABLE_DEPARTMENTS);
  g_assert_cmpuint (coop_chart_get_n_categories (chart), ==, 3);
  g_assert_cmpstr (coop_chart_get_description (chart), ==,
                   "广告系: 2 (Students recommended), 1 (Students interning), 0 (Students hired); "
                   "数字媒体艺术系: 4 (Students recommended), 1 (Students interning), "
                   "0 (Students hired); "
                   "视觉传达设计系: 2 (Students recommended), 0 (Students interning), "
                   "0 (Students hired)");

  /* A save anywhere is counted once the main loop is idle. */
  hired = coop_record_copy (coop_store_find (fixture->store, COOP_TYPE_CANDIDATE, 7));
  coop_candidate_set_stage (COOP_CANDIDATE (hired), COOP_CANDIDATE_STAGE_HIRED);
  coop_candidate_set_stage_on (COOP_CANDIDATE (hired), "2023-08-01");
  g_assert_true (coop_store_save (fixture->store, hired, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 15, 1), ==, "1");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_DEPARTMENTS, 3, 15), ==, "1");
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 16, 1), ==, "13%");
  g_assert_cmpint (coop_year_page_get_year (page), ==, 2023);

  /* Academic years, as Preferences say: this one is 2024–2025. */
  g_settings_set_string (settings, "year-kind", "academic");
  coop_test_drain ();
  g_assert_cmpint (coop_year_page_get_year (page), ==, 2024);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, find_year (dropdown, "2024–2025"));
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 0, 2), ==, "2023–2024");
  g_settings_reset (settings, "year-kind");
  coop_test_drain ();
  g_assert_cmpint (coop_year_page_get_year (page), ==, 2025);

  /* Out of view, the page counts again only when it is shown. */
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 14, 1), ==, "0");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "partners");
  /* The stack's crossfade unmaps the page once it is over. */
  while (gtk_widget_get_mapped (GTK_WIDGET (page)))
    coop_test_wait_ms (50);
  coop_candidate_set_stage (COOP_CANDIDATE (hired), COOP_CANDIDATE_STAGE_INTERNING);
  coop_candidate_set_stage_on (COOP_CANDIDATE (hired), "2025-04-20");
  g_assert_true (coop_store_save (fixture->store, hired, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 14, 1), ==, "0");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "year");
  coop_test_drain ();
  g_assert_cmpstr (coop_year_page_get_text (page, COOP_YEAR_TABLE_SCHOOL, 14, 1), ==, "1");

  /* The Overview draws its candidates by stage. */
  overview = coop_window_get_overview (fixture->window);
  chart = coop_overview_get_stage_chart (overview);
  g_assert_cmpuint (coop_chart_get_n_categories (chart), ==, 9);
  for (guint stage = 0; stage < 9; stage++)
    g_assert_cmpfloat (coop_chart_get_value (chart, stage, 0), ==,
                       coop_overview_get_stage_count (overview, (int) stage));
  g_assert_cmpfloat (coop_chart_get_value (chart, COOP_CANDIDATE_STAGE_INTERNING, 0), ==, 2);
}

/* ------------------------------------------------------------------ due */

/* The demo made and shown on 2025-05-01. */
static void
fixture_set_up_due (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_setenv ("COOPDESK_TODAY", "2025-05-01", TRUE);
  fixture_set_up (fixture, user_data);
}

static void
fixture_tear_down_due (Fixture       *fixture,
                       gconstpointer  user_data)
{
  fixture_tear_down (fixture, user_data);
  g_unsetenv ("COOPDESK_TODAY");
}

static gboolean
is_row_starting (GtkWidget     *widget,
                 gconstpointer  text)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text);
}

static gboolean
is_button_for (GtkWidget     *widget,
               gconstpointer  tooltip)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static void
click_due (Fixture    *fixture,
           const char *row_text,
           const char *tooltip)
{
  GtkWidget *overview = GTK_WIDGET (coop_window_get_overview (fixture->window));
  GtkWidget *row = coop_test_find (overview, is_row_starting, row_text);
  GtkWidget *button;

  g_assert_nonnull (row);
  button = coop_test_find (row, is_button_for, tooltip);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  coop_test_drain ();
}

static const char *
overview_title (Fixture *fixture)
{
  GtkWidget *overview = GTK_WIDGET (coop_window_get_overview (fixture->window));

  return gtk_stack_page_get_title (gtk_stack_get_page (GTK_STACK (gtk_widget_get_parent (overview)),
                                                       overview));
}

/* The Overview's first section lists what is due, its sidebar row counts
 * it, and each item is marked done or snoozed with Undo in the toast. */
static void
test_due (Fixture       *fixture,
          gconstpointer  user_data)
{
  CoopOverview *overview = coop_window_get_overview (fixture->window);
  const CoopField *snoozed;
  CoopRecord *event;
  CoopEditor *editor;

  show_page (fixture, "overview");
  g_assert_cmpuint (coop_overview_get_n_due (overview), ==, 4);
  g_assert_cmpstr (overview_title (fixture), ==, "Overview (4)");
  g_assert_nonnull (coop_test_find (GTK_WIDGET (overview), is_row_starting,
                                    "Internship base agreement with 杭州云帆广告传媒有限公司 "
                                    "ends in 45 days"));

  /* Done, then undone. */
  click_due (fixture, "Employment base agreement with 深圳蓝鲸品牌设计有限公司 ended 20 days ago",
             "Done");
  g_assert_cmpuint (coop_overview_get_n_due (overview), ==, 3);
  g_assert_cmpstr (overview_title (fixture), ==, "Overview (3)");
  g_assert_null (coop_test_find (GTK_WIDGET (overview), is_row_starting,
                                 "Employment base agreement with 深圳蓝鲸品牌设计有限公司"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
  coop_test_drain ();
  g_assert_cmpuint (coop_overview_get_n_due (overview), ==, 4);
  g_assert_nonnull (coop_test_find (GTK_WIDGET (overview), is_row_starting,
                                    "Employment base agreement with 深圳蓝鲸品牌设计有限公司"));

  /* Snoozed: until a week from today. */
  click_due (fixture, "Follow up “上海奇利影视科技有限公司实习就业推荐会”", "Snooze for a week");
  g_assert_cmpuint (coop_overview_get_n_due (overview), ==, 3);
  event = coop_store_find (fixture->store, COOP_TYPE_EVENT, 1);
  snoozed = coop_record_class_find_field (COOP_RECORD_GET_CLASS (event), "reminder-snoozed-until");
  g_assert_cmpstr (coop_record_get_string (event, snoozed), ==, "2025-05-08");

  /* What a notification opens. */
  coop_window_show_record (fixture->window, COOP_TYPE_AGREEMENT, 2);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (editor);
  g_assert_cmpint (coop_record_get_id (coop_editor_get_record (editor)), ==, 2);
  gtk_window_close (GTK_WINDOW (editor));
  coop_test_drain ();
}

static gboolean label_says_changed (GtkWidget *widget, gconstpointer data);

/* The preferences offer the databases opened lately, but the one open. */
static void
test_recent_databases (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *recent[] = { "/srv/ledgers/2024.db", "postgresql://li@db.example.edu/coopdesk",
                           "/home/li/open.db", NULL };
  CoopPreferences *preferences;

  g_settings_set_strv (settings, "recent-databases", recent);
  preferences = coop_preferences_new (GTK_WINDOW (fixture->window), "/home/li/open.db");
  g_assert_nonnull (coop_test_find (GTK_WIDGET (preferences), label_says_changed,
                                    "Recent Databases"));
  g_assert_nonnull (coop_test_find (GTK_WIDGET (preferences), label_says_changed,
                                    "postgresql://li@db.example.edu/coopdesk"));
  g_assert_nonnull (coop_test_find (GTK_WIDGET (preferences), label_says_changed,
                                    "/srv/ledgers/2024.db"));
  g_assert_nonnull (coop_test_find (GTK_WIDGET (preferences), label_says_changed,
                                    "Shared database"));
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "recent-databases");
  coop_test_drain ();
}

/* "Remind me when Coopdesk is closed" writes the autostart entry at once
 * and takes it away again; where it cannot be written the switch goes back
 * off and a toast says why. */
static void
test_remind_switch (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *path = coop_autostart_dup_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *entry = NULL;
  CoopPreferences *preferences;
  GtkSwitch *remind;

  /* Never the desktop's own configuration: meson gives the test its own. */
  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));
  g_remove (path);
  g_rmdir (folder);

  preferences = coop_preferences_new (GTK_WINDOW (fixture->window), "/srv/ledgers/2024.db");
  gtk_window_present (GTK_WINDOW (preferences));
  remind = GTK_SWITCH (coop_test_find_type (GTK_WIDGET (preferences), GTK_TYPE_SWITCH));
  g_assert_nonnull (remind);
  g_assert_false (gtk_switch_get_active (remind));

  gtk_switch_set_active (remind, TRUE);
  coop_test_drain ();
  g_assert_true (g_settings_get_boolean (settings, "remind-when-closed"));
  g_assert_true (g_file_get_contents (path, &entry, NULL, NULL));
  g_assert_nonnull (strstr (entry, " remind \"--database=/srv/ledgers/2024.db\"\n"));
  g_assert_nonnull (strstr (entry, "\nX-GNOME-Autostart-enabled=true\n"));

  gtk_switch_set_active (remind, FALSE);
  coop_test_drain ();
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A file where the autostart folder should be. */
  g_rmdir (folder);
  g_assert_true (g_file_set_contents (folder, "", 0, NULL));
  gtk_switch_set_active (remind, TRUE);
  coop_test_drain ();
  g_assert_false (g_settings_get_boolean (settings, "remind-when-closed"));
  g_assert_false (gtk_switch_get_active (remind));
  g_assert_nonnull (coop_test_find (GTK_WIDGET (preferences), label_says_changed,
                                    "Could not write"));

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_remove (folder);
  g_settings_reset (settings, "remind-when-closed");
  coop_test_drain ();
}

/* The address the dialog builds: escaped parts, no password, the user's
 * own server offered again. */
static void
test_connect_dialog (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const struct { const char *host, *port, *database, *user, *uri; } cases[] = {
    { "db.example.edu", "", "coopdesk", "secretary", "postgresql://secretary@db.example.edu/coopdesk" },
    { " db.example.edu ", "5433", "台账", "", "postgresql://db.example.edu:5433/%E5%8F%B0%E8%B4%A6" },
    { "::1", "5432", "coop desk", "li@school", "postgresql://li%40school@[::1]:5432/coop%20desk" },
  };
  AdwMessageDialog *dialog;
  GtkWidget *list;
  GtkWidget *row;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uri = coop_connect_build_uri (cases[i].host, cases[i].port,
                                                     cases[i].database, cases[i].user);
      g_assert_cmpstr (uri, ==, cases[i].uri);
    }

  /* Offered the server open now; Connect waits for a server and a database. */
  dialog = coop_connect_dialog_new (GTK_WINDOW (fixture->window),
                                    "postgresql://secretary:secret@db.example.edu:5433/coopdesk",
                                    NULL);
  list = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "connect"));
  row = gtk_widget_get_first_child (list);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "db.example.edu");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_next_sibling (row))), ==,
                   "5433");
  gtk_editable_set_text (GTK_EDITABLE (row), "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "connect"));
  gtk_editable_set_text (GTK_EDITABLE (row), "db2.example.edu");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "connect"));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_next_sibling (row)), "54x");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "connect"));
  /* The password row starts empty, even for an address that had one; the
   * keyring keeps it, unless the user turns that off. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (coop_test_find_type (
                     list, ADW_TYPE_PASSWORD_ENTRY_ROW))), ==, "");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (coop_test_find_type (list,
                                                                         GTK_TYPE_SWITCH))));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "keyring"));
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "not kept"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  coop_test_drain ();

  /* Asked again, it says why in place of the explanation. */
  dialog = coop_connect_dialog_new (GTK_WINDOW (fixture->window),
                                    "postgresql://secretary@db.example.edu/coopdesk",
                                    "The shared database refused the password.");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The shared database refused the password.");
  gtk_window_destroy (GTK_WINDOW (dialog));
  coop_test_drain ();
}

static gboolean
label_says_changed (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) &&
         strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

/* Somebody else saves the record while it is open: Save is refused with
 * who did it, and the editor stays open with what was typed. */
static void
test_editor_conflict (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(CoopRecord) theirs = NULL;
  g_autoptr(GError) error = NULL;
  CoopRecord *listed;
  CoopEditor *editor;
  g_autofree char *who = g_strdup_printf ("changed by %s", g_get_user_name ());

  show_page (fixture, "partners");
  select_record (coop_window_get_list_page (fixture->window, "partners"), 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record",
                                             NULL));
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_true (coop_editor_set_field_text (editor, "short-name", "星图"));

  listed = coop_store_find (fixture->store, COOP_TYPE_PARTNER, 3);
  theirs = coop_record_copy (listed);
  coop_partner_set_website (COOP_PARTNER (theirs), "https://theirs.example.cn");
  g_assert_true (coop_store_save (fixture->store, theirs, &error));
  g_assert_no_error (error);

  g_object_ref (editor);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  coop_test_drain ();
  g_assert_true (coop_window_get_editor (fixture->window) == editor);
  g_assert_nonnull (coop_test_find (GTK_WIDGET (editor), label_says_changed, who));
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (coop_editor_get_record (editor))),
                   ==, "星图");
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (listed)), ==, "星图数字");
  g_assert_cmpstr (coop_partner_get_website (COOP_PARTNER (listed)), ==,
                   "https://theirs.example.cn");
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
  coop_test_drain ();

  /* Opened again, the record's history says who changed what. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record",
                                             NULL));
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_nonnull (coop_test_find (GTK_WIDGET (editor), label_says_changed, "History"));
  g_assert_nonnull (coop_test_find (GTK_WIDGET (editor), label_says_changed, "Changed Website"));
  {
    g_autofree char *by = g_strdup_printf ("· %s", g_get_user_name ());
    g_assert_nonnull (coop_test_find (GTK_WIDGET (editor), label_says_changed, by));
  }
  gtk_window_destroy (GTK_WINDOW (editor));
  coop_test_drain ();
}

static void
test_invalid_date (Fixture       *fixture,
                   gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "agreements");
  guint before = coop_list_page_get_n_total (page);
  CoopEditor *editor = open_new_editor (fixture);

  coop_editor_set_field_text (editor, "title", "星图数字实践基地协议");
  coop_editor_set_field_text (editor, "partner-id", "3");
  coop_editor_set_field_text (editor, "starts-on", "2024-01-01");
  g_assert_true (coop_editor_get_can_save (editor));

  coop_editor_set_field_text (editor, "ends-on", "2024-02-30");
  g_assert_nonnull (coop_editor_get_field_error (editor, "ends-on"));
  g_assert_false (coop_editor_get_can_save (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  coop_test_drain ();
  g_assert_true (coop_window_get_editor (fixture->window) == editor);
  g_assert_false (coop_editor_save (editor));
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, before);

  /* An end before the start is wrong too. */
  coop_editor_set_field_text (editor, "ends-on", "2023-12-31");
  g_assert_false (coop_editor_get_can_save (editor));

  coop_editor_set_field_text (editor, "ends-on", "2027-02-28");
  g_assert_null (coop_editor_get_field_error (editor, "ends-on"));
  g_assert_true (coop_editor_get_can_save (editor));
  save_editor (editor);
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, before + 1);
}

static void
test_pool_stage (Fixture       *fixture,
                 gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "pools");
  CoopPoolDetail *detail = COOP_POOL_DETAIL (coop_window_get_detail (fixture->window, "pools"));
  CoopOverview *overview = coop_window_get_overview (fixture->window);
  GtkSelectionModel *selection;
  guint hired_before = coop_overview_get_stage_count (overview, COOP_CANDIDATE_STAGE_HIRED);
  guint hired_now = 0;
  guint moved = 0;
  g_autoptr(GError) error = NULL;

  select_record (page, 1);
  selection = coop_pool_detail_get_selection (detail);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 8);

  gtk_selection_model_select_item (selection, 0, TRUE);
  gtk_selection_model_select_item (selection, 1, FALSE);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (selection), i);
      if (coop_candidate_get_stage (candidate) != COOP_CANDIDATE_STAGE_HIRED)
        moved++;
    }

  g_assert_true (coop_pool_detail_set_stage (detail, COOP_CANDIDATE_STAGE_HIRED, &error));
  g_assert_no_error (error);
  coop_test_drain ();

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (selection), i);
      g_autoptr(GListModel) history = NULL;

      g_assert_cmpint (coop_candidate_get_stage (candidate), ==, COOP_CANDIDATE_STAGE_HIRED);
      g_assert_nonnull (coop_candidate_get_stage_on (candidate));
      history = coop_store_list_stage_history (fixture->store,
                                               coop_record_get_id (COOP_RECORD (candidate)),
                                               &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (history), >=, 1);
    }

  coop_overview_refresh (overview);
  hired_now = coop_overview_get_stage_count (overview, COOP_CANDIDATE_STAGE_HIRED);
  g_assert_cmpuint (hired_now, ==, hired_before + moved);

  /* A student added by search joins the pool as recommended. */
  {
    guint recommended = coop_overview_get_stage_count (overview, COOP_CANDIDATE_STAGE_RECOMMENDED);
    GListModel *students = coop_store_get_list (fixture->store, COOP_TYPE_STUDENT);
    gint64 free_student = 0;

    for (guint i = 0; i < g_list_model_get_n_items (students) && free_student == 0; i++)
      {
        g_autoptr(CoopRecord) student = g_list_model_get_item (students, i);
        gboolean taken = FALSE;

        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (selection)); j++)
          {
            g_autoptr(CoopCandidate) c = g_list_model_get_item (G_LIST_MODEL (selection), j);
            if (coop_candidate_get_student_id (c) == coop_record_get_id (student))
              taken = TRUE;
          }
        if (!taken)
          free_student = coop_record_get_id (student);
      }
    g_assert_cmpint (free_student, !=, 0);
    g_assert_true (coop_pool_detail_add_student (detail, free_student, &error));
    g_assert_no_error (error);
    coop_test_drain ();
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 9);

    /* Add Student offers the 16 - 9 students not in the pool. */
    {
      GListModel *choices = coop_pool_detail_get_student_choices (detail);

      g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 7);
      for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
        {
          g_autoptr(CoopRecord) offered = g_list_model_get_item (choices, i);
          g_assert_cmpint (coop_record_get_id (offered), !=, free_student);
        }
    }

    coop_overview_refresh (overview);
    g_assert_cmpuint (coop_overview_get_stage_count (overview, COOP_CANDIDATE_STAGE_RECOMMENDED),
                      ==, recommended + 1);
  }
}

static void
test_overview (Fixture       *fixture,
               gconstpointer  user_data)
{
  CoopOverview *overview = coop_window_get_overview (fixture->window);

  g_assert_cmpstr (coop_window_get_page_name (fixture->window), ==, "overview");
  g_assert_cmpuint (coop_overview_get_n_expiring (overview), ==, 1);
  g_assert_cmpuint (coop_overview_get_n_overdue (overview), ==, 1);
}

/* A narrow window folds the sidebar away, and every page fits in it: 360
 * pixels of content, and the window's border.  The partner detail goes,
 * the pool detail stays below its list. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  user_data)
{
  const char *pages[] = { "overview", "year", "partners", "agreements", "events", "pools",
                          "students", "contacts" };
  AdwLeaflet *leaflet = ADW_LEAFLET (gtk_widget_get_ancestor (
    GTK_WIDGET (coop_window_get_overview (fixture->window)), ADW_TYPE_LEAFLET));
  int minimum;

  g_assert_false (adw_leaflet_get_folded (leaflet));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 600);
  coop_test_wait_ms (200);
  g_assert_true (adw_leaflet_get_folded (leaflet));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", pages[i]);
      coop_test_drain ();
      gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                          &minimum, NULL, NULL, NULL);
      g_test_message ("%s: %d", pages[i], minimum);
      g_assert_cmpint (minimum, <=, 420);
      if (g_str_equal (pages[i], "pools"))
        g_assert_true (gtk_widget_get_mapped (coop_window_get_detail (fixture->window, "pools")));
    }
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CoopOverview *overview = coop_window_get_overview (fixture->window);
  guint expiring = coop_overview_get_n_expiring (overview);

  /* A longer warning window takes in the agreements that end later. */
  g_settings_set_uint (settings, "expiry-warning-days", 730);
  coop_test_drain ();
  g_assert_cmpuint (coop_overview_get_n_expiring (overview), >, expiring);
  g_settings_set_uint (settings, "expiry-warning-days", 90);
  coop_test_drain ();
  g_assert_cmpuint (coop_overview_get_n_expiring (overview), ==, expiring);

  /* The size is remembered when the window closes. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  gtk_window_close (GTK_WINDOW (fixture->window));
  coop_test_drain ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

/* Escape or Cancel on an unchanged form closes it at once, as it does on a
 * form changed and changed back; a changed one asks first; Ctrl+Enter
 * saves without asking. */
static void
test_editor_discard (Fixture       *fixture,
                     gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "partners");
  CoopRecord *partner = coop_store_find (fixture->store, COOP_TYPE_PARTNER, 3);
  CoopEditor *editor;

  select_record (page, 3);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_false (coop_editor_get_modified (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  coop_test_drain ();
  g_assert_null (find_message_dialog ());
  g_assert_null (coop_window_get_editor (fixture->window));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  coop_editor_set_field_text (editor, "short-name", "星图科技");
  coop_editor_set_field_text (editor, "status", "dormant");
  g_assert_true (coop_editor_get_modified (editor));
  coop_editor_set_field_text (editor, "short-name", "星图数字");
  coop_editor_set_field_text (editor, "status", "active");
  g_assert_false (coop_editor_get_modified (editor));
  gtk_window_close (GTK_WINDOW (editor));
  coop_test_drain ();
  g_assert_null (find_message_dialog ());
  g_assert_null (coop_window_get_editor (fixture->window));

  /* Text that is not a number yet is a change too. */
  page = show_page (fixture, "agreements");
  select_record (page, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  coop_editor_set_field_text (editor, "intern-quota", "十");
  g_assert_true (coop_editor_get_modified (editor));
  gtk_window_close (GTK_WINDOW (editor));
  coop_test_drain ();
  answer_dialog ("Discard Changes?", "discard");
  g_assert_null (coop_window_get_editor (fixture->window));

  /* Save (Ctrl+Enter) stores the change and closes without a question. */
  page = show_page (fixture, "partners");
  select_record (page, 3);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  coop_editor_set_field_text (editor, "short-name", "星图科技");
  save_editor (editor);
  g_assert_null (find_message_dialog ());
  g_assert_null (coop_window_get_editor (fixture->window));
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (partner)), ==, "星图科技");

  /* An event's attendees count as part of the form. */
  page = show_page (fixture, "events");
  select_record (page, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  editor = coop_window_get_editor (fixture->window);
  g_assert_false (coop_editor_get_modified (editor));
  coop_editor_add_attendee (editor, coop_store_find (fixture->store, COOP_TYPE_CONTACT, 1));
  g_assert_true (coop_editor_get_modified (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  coop_test_drain ();
  answer_dialog ("Discard Changes?", "keep");
  g_assert_true (coop_window_get_editor (fixture->window) == editor);

  /* Closing the window (quitting) asks for the editor's text too, and the
   * window stays while it is kept; once it is discarded the editor goes
   * with the window instead of outliving it. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  coop_test_drain ();
  answer_dialog ("Discard Changes?", "keep");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_true (coop_window_get_editor (fixture->window) == editor);
  g_assert_true (coop_editor_get_modified (editor));

  gtk_window_close (GTK_WINDOW (fixture->window));
  coop_test_drain ();
  answer_dialog ("Discard Changes?", "discard");
  g_assert_null (coop_window_get_editor (fixture->window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));

  /* An unchanged editor simply closes with the window. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-record", NULL);
  coop_test_drain ();
  g_assert_nonnull (coop_window_get_editor (fixture->window));
  gtk_window_close (GTK_WINDOW (fixture->window));
  coop_test_drain ();
  g_assert_null (find_message_dialog ());
  g_assert_null (coop_window_get_editor (fixture->window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
}

/* Integer fields take the full-width digits and spaces of Chinese input
 * methods. */
static void
test_editor_full_width_number (Fixture       *fixture,
                               gconstpointer  user_data)
{
  static const struct {
    const char *typed;
    int         value;   /* -1: refused */
  } cases[] = {
    { "１２", 12 },
    { "　８　", 8 },
    { " 1２ ", 12 },
    { "０", 0 },
    { "", 0 },
    { "１２人", -1 },
    { "-1", -1 },
    { "１ ２", -1 },
    { "99999999999", -1 },
  };
  CoopListPage *page = show_page (fixture, "agreements");
  guint before = coop_list_page_get_n_total (page);
  CoopEditor *editor = open_new_editor (fixture);
  CoopAgreement *agreement = COOP_AGREEMENT (coop_editor_get_record (editor));
  CoopRecord *saved;

  coop_editor_set_field_text (editor, "title", "星图数字实习基地协议");
  coop_editor_set_field_text (editor, "partner-id", "3");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      coop_editor_set_field_text (editor, "intern-quota", "3");
      g_assert_true (coop_editor_set_field_text (editor, "intern-quota", cases[i].typed));
      if (cases[i].value >= 0)
        {
          g_assert_null (coop_editor_get_field_error (editor, "intern-quota"));
          g_assert_cmpint (coop_agreement_get_intern_quota (agreement), ==, cases[i].value);
          g_assert_true (coop_editor_get_can_save (editor));
        }
      else
        {
          g_assert_nonnull (coop_editor_get_field_error (editor, "intern-quota"));
          g_assert_false (coop_editor_get_can_save (editor));
        }
    }

  coop_editor_set_field_text (editor, "intern-quota", "　１５");
  save_editor (editor);
  g_assert_cmpuint (coop_list_page_get_n_total (page), ==, before + 1);
  saved = coop_list_page_get_selected (page);
  g_assert_cmpstr (coop_agreement_get_title (COOP_AGREEMENT (saved)), ==, "星图数字实习基地协议");
  g_assert_cmpint (coop_agreement_get_intern_quota (COOP_AGREEMENT (saved)), ==, 15);

  /* A year too. */
  show_page (fixture, "students");
  editor = open_new_editor (fixture);
  coop_editor_set_field_text (editor, "graduation-year", "２０２６");
  g_assert_null (coop_editor_get_field_error (editor, "graduation-year"));
  g_assert_cmpint (coop_student_get_graduation_year (COOP_STUDENT (coop_editor_get_record (editor))),
                   ==, 2026);
}

/* Tab from a field that shows an error goes on to the next field, never
 * out of the form to the header bar: the message row under the field is
 * passed over. */
static void
test_editor_tab_past_error (Fixture       *fixture,
                            gconstpointer  user_data)
{
  CoopEditor *editor;
  GtkWidget *code_row;
  GtkWidget *industry_row;
  GtkWidget *focus;

  show_page (fixture, "partners");
  editor = open_new_editor (fixture);
  code_row = find_entry_row (GTK_WIDGET (editor), "Unified social credit code");
  industry_row = find_entry_row (GTK_WIDGET (editor), "Industry");
  g_assert_nonnull (code_row);
  g_assert_nonnull (industry_row);

  gtk_widget_grab_focus (code_row);
  coop_test_drain ();
  g_assert_true (coop_editor_set_field_text (editor, "credit-code", "123"));
  coop_test_drain ();
  g_assert_nonnull (coop_editor_get_field_error (editor, "credit-code"));

  for (guint round = 0; round < 3; round++)
    {
      focus_in_active_window (GTK_WINDOW (editor), code_row);
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (editor), GTK_DIR_TAB_FORWARD));
      coop_test_drain ();
      focus = gtk_root_get_focus (GTK_ROOT (editor));
      g_assert_nonnull (focus);
      g_assert_true (gtk_widget_is_ancestor (focus, industry_row));

      /* And Shift+Tab comes back to it, past its message. */
      focus_in_active_window (GTK_WINDOW (editor), industry_row);
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (editor), GTK_DIR_TAB_BACKWARD));
      coop_test_drain ();
      focus = gtk_root_get_focus (GTK_ROOT (editor));
      g_assert_nonnull (focus);
      g_assert_true (gtk_widget_is_ancestor (focus, code_row));
    }

  /* The message is still right under the field. */
  g_assert_nonnull (coop_editor_get_field_error (editor, "credit-code"));
}

/* The stage drop-down of a candidate's row in the pool detail. */
static gboolean
is_row_drop_down (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_DROP_DOWN (widget) && g_object_get_data (G_OBJECT (widget), "coop-list-item");
}

static GtkWidget *
find_row_drop_down (GtkWidget *widget)
{
  return coop_test_find (widget, is_row_drop_down, NULL);
}

/* Setting the stage of several candidates offers Undo, which puts each back
 * in the stage and since-date it had, in one transaction. */
static void
test_pool_stage_undo (Fixture       *fixture,
                      gconstpointer  user_data)
{
  CoopListPage *page = show_page (fixture, "pools");
  CoopPoolDetail *detail = COOP_POOL_DETAIL (coop_window_get_detail (fixture->window, "pools"));
  GListModel *all = coop_store_get_list (fixture->store, COOP_TYPE_CANDIDATE);
  GtkSelectionModel *selection;
  CoopCandidateStage target;
  CoopCandidateStage stages[8];
  char *since[8];
  guint moved = 0;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  ItemsChanged changed = { 0 };

  select_record (page, 1);
  selection = coop_pool_detail_get_selection (detail);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (selection), i);

      stages[i] = coop_candidate_get_stage (candidate);
      since[i] = g_strdup (coop_candidate_get_stage_on (candidate));
      g_assert_nonnull (since[i]);
    }

  /* The first four, to the stage of the first: it does not move. */
  target = stages[0];
  for (guint i = 0; i < 4; i++)
    {
      gtk_selection_model_select_item (selection, i, i == 0);
      moved += stages[i] != target;
    }
  g_assert_cmpuint (moved, >=, 2);

  g_assert_true (coop_pool_detail_set_stage (detail, target, &error));
  g_assert_no_error (error);
  coop_test_drain ();
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (selection), i);
      g_assert_cmpint (coop_candidate_get_stage (candidate), ==, target);
    }
  title = g_strdup_printf ("%u candidates moved to “%s”", moved,
                           coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, target));
  g_assert_cmpstr (shown_toast_title (fixture->window), ==, title);

  /* Ctrl+Z: one transaction, so the list changes once per candidate moved
   * back, after the commit. */
  g_signal_connect (all, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
  coop_test_drain ();
  g_signal_handlers_disconnect_by_func (all, on_items_changed_cb, &changed);
  g_assert_cmpuint (changed.count, ==, moved);
  coop_test_wait_for (no_toast_shown, fixture->window);

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (selection), i);

      g_assert_cmpint (coop_candidate_get_stage (candidate), ==, stages[i]);
      g_assert_cmpstr (coop_candidate_get_stage_on (candidate), ==, since[i]);
      g_free (since[i]);
    }

  /* Nothing is left to undo. */
  changed.count = 0;
  g_signal_connect (all, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  coop_test_drain ();
  g_signal_handlers_disconnect_by_func (all, on_items_changed_cb, &changed);
  g_assert_cmpuint (changed.count, ==, 0);

  /* One candidate's stage, changed in its row, can be undone too. */
  {
    GtkWidget *row_drop_down = find_row_drop_down (GTK_WIDGET (detail));
    GtkListItem *item;
    CoopCandidate *candidate;
    CoopCandidateStage before, after;
    g_autofree char *before_since = NULL;
    g_autofree char *one = NULL;

    g_assert_nonnull (row_drop_down);
    item = g_object_get_data (G_OBJECT (row_drop_down), "coop-list-item");
    candidate = gtk_list_item_get_item (item);
    before = coop_candidate_get_stage (candidate);
    before_since = g_strdup (coop_candidate_get_stage_on (candidate));
    after = before == COOP_CANDIDATE_STAGE_HIRED ? COOP_CANDIDATE_STAGE_APPLIED
                                                 : COOP_CANDIDATE_STAGE_HIRED;
    gtk_drop_down_set_selected (GTK_DROP_DOWN (row_drop_down), after);
    coop_test_drain ();
    g_assert_cmpint (coop_candidate_get_stage (candidate), ==, after);
    one = g_strdup_printf ("1 candidate moved to “%s”",
                           coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, after));
    g_assert_cmpstr (shown_toast_title (fixture->window), ==, one);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
    coop_test_drain ();
    g_assert_cmpint (coop_candidate_get_stage (candidate), ==, before);
    g_assert_cmpstr (coop_candidate_get_stage_on (candidate), ==, before_since);
  }
}

static gboolean
is_action_row_titled (GtkWidget     *widget,
                      gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row_titled (GtkWidget  *widget,
                 const char *title)
{
  return coop_test_find (widget, is_action_row_titled, title);
}

static GtkWindow *
find_window_titled (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (gtk_window_get_title (window), title) == 0)
        return window;
    }
  return NULL;
}

/* A line of "Candidates by Stage" lists the candidates in that stage; one
 * of them opens its pool with it selected, even past a search that hid
 * the pool. */
static void
test_overview_stage_list (Fixture       *fixture,
                          gconstpointer  user_data)
{
  CoopOverview *overview = coop_window_get_overview (fixture->window);
  CoopListPage *pools = coop_window_get_list_page (fixture->window, "pools");
  CoopPoolDetail *detail = COOP_POOL_DETAIL (coop_window_get_detail (fixture->window, "pools"));
  GListModel *all = coop_store_get_list (fixture->store, COOP_TYPE_CANDIDATE);
  int stage = -1;
  int empty = -1;
  const char *label;
  GtkWidget *row;
  GtkWindow *dialog;
  GtkColumnView *view;
  GListModel *listed;
  g_autoptr(CoopCandidate) chosen = NULL;
  g_autoptr(GtkBitset) selected = NULL;
  guint expected = 0;

  for (int i = 0; i <= COOP_CANDIDATE_STAGE_WITHDRAWN; i++)
    {
      if (stage < 0 && coop_overview_get_stage_count (overview, i) >= 2)
        stage = i;
      if (empty < 0 && coop_overview_get_stage_count (overview, i) == 0)
        empty = i;
    }
  g_assert_cmpint (stage, >=, 0);
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (all, i);
      expected += (int) coop_candidate_get_stage (candidate) == stage;
    }
  g_assert_cmpuint (coop_overview_get_stage_count (overview, stage), ==, expected);

  /* A stage nobody is in opens nothing. */
  if (empty >= 0)
    {
      row = find_row_titled (GTK_WIDGET (overview),
                             coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, empty));
      g_assert_nonnull (row);
      g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
    }

  coop_list_page_set_search_text (pools, "没有这个");
  coop_test_drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (pools), ==, 0);

  label = coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, stage);
  row = find_row_titled (GTK_WIDGET (overview), label);
  g_assert_nonnull (row);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  gtk_widget_activate (row);
  coop_test_drain ();

  dialog = find_window_titled (label);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));
  view = GTK_COLUMN_VIEW (coop_test_find_type (GTK_WIDGET (dialog), GTK_TYPE_COLUMN_VIEW));
  g_assert_nonnull (view);
  listed = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (listed, i);

      g_assert_cmpint (coop_candidate_get_stage (candidate), ==, stage);
      /* Newest first. */
      if (i > 0)
        {
          g_autoptr(CoopCandidate) newer = g_list_model_get_item (listed, i - 1);
          g_assert_cmpstr (coop_candidate_get_stage_on (newer), >=,
                           coop_candidate_get_stage_on (candidate));
        }
    }

  /* Enter on the second opens its pool, with that candidate selected. */
  chosen = g_list_model_get_item (listed, 1);
  g_signal_emit_by_name (view, "activate", 1);
  coop_test_drain ();
  g_assert_null (find_window_titled (label));
  g_assert_cmpstr (coop_window_get_page_name (fixture->window), ==, "pools");
  g_assert_cmpint (coop_record_get_id (coop_list_page_get_selected (pools)), ==,
                   coop_candidate_get_pool_id (chosen));
  g_assert_cmpuint (coop_list_page_get_n_shown (pools), ==, coop_list_page_get_n_total (pools));

  selected = gtk_selection_model_get_selection (coop_pool_detail_get_selection (detail));
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  {
    g_autoptr(CoopRecord) shown = g_list_model_get_item (
      G_LIST_MODEL (coop_pool_detail_get_selection (detail)), gtk_bitset_get_minimum (selected));
    g_assert_cmpint (coop_record_get_id (shown), ==, coop_record_get_id (COOP_RECORD (chosen)));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *schema_dir = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/window/narrow", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/ui/partner/create", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_partner_create, fixture_tear_down);
  g_test_add ("/ui/partner/edit", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_partner_edit, fixture_tear_down);
  g_test_add ("/ui/partner/delete-undo", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_partner_delete_undo, fixture_tear_down);
  g_test_add ("/ui/pool/delete-undo", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_pool_delete_undo, fixture_tear_down);
  g_test_add ("/ui/partner/activate-opens-selected", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_activate_opens_selected, fixture_tear_down);
  g_test_add ("/ui/editor/initial-focus", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_editor_initial_focus, fixture_tear_down);
  g_test_add ("/ui/read-only", Fixture, GINT_TO_POINTER (2),
              fixture_set_up, test_read_only, fixture_tear_down);
  g_test_add ("/ui/pool/delete-twice", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_pool_delete_twice, fixture_tear_down);
  g_test_add ("/ui/event/attendees", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_event_attendees, fixture_tear_down);
  g_test_add ("/ui/export-view", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_export_view, fixture_tear_down);
  g_test_add ("/ui/print", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_print, fixture_tear_down);
  g_test_add ("/ui/print/dialog", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_print_dialog, fixture_tear_down);
  g_test_add ("/ui/export-summary", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_export_summary, fixture_tear_down);
  g_test_add ("/ui/dialogs", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_dialogs, fixture_tear_down);
  g_test_add ("/ui/search", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/ui/search/pinyin", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_search_pinyin, fixture_tear_down);
  g_test_add ("/ui/due", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up_due, test_due, fixture_tear_down_due);
  g_test_add ("/ui/year", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up_due, test_year, fixture_tear_down_due);
  g_test_add ("/ui/recent-databases", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_recent_databases, fixture_tear_down);
  g_test_add ("/ui/preferences/remind", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_remind_switch, fixture_tear_down);
  g_test_add ("/ui/connect-dialog", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_connect_dialog, fixture_tear_down);
  g_test_add ("/ui/editor/conflict", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_editor_conflict, fixture_tear_down);
  g_test_add ("/ui/editor/invalid-date", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_invalid_date, fixture_tear_down);
  g_test_add ("/ui/pool/stage", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_pool_stage, fixture_tear_down);
  g_test_add ("/ui/settings", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_settings, fixture_tear_down);
  g_test_add ("/ui/overview", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_overview, fixture_tear_down);
  g_test_add ("/ui/editor/discard", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_editor_discard, fixture_tear_down);
  g_test_add ("/ui/editor/full-width-number", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_editor_full_width_number, fixture_tear_down);
  g_test_add ("/ui/editor/tab-past-error", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_editor_tab_past_error, fixture_tear_down);
  g_test_add ("/ui/pool/stage-undo", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_pool_stage_undo, fixture_tear_down);
  g_test_add ("/ui/overview/stage-list", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_overview_stage_list, fixture_tear_down);

  return g_test_run ();
}
