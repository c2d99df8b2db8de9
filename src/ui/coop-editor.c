/* coop-editor.c — a modal window that edits any kind of record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "coop-agreement.h"
#include "coop-attachment-group.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-editor.h"
#include "coop-enums.h"
#include "coop-event.h"
#include "coop-error.h"
#include "coop-print.h"
#include "coop-search.h"
#include "coop-student.h"
#include "coop-text.h"

/* Every row is built from the record's field table, so one editor serves
 * partners, agreements, students and the rest. */

typedef struct {
  CoopEditor      *editor;
  const CoopField *field;
  GtkWidget       *row;
  GtkWidget       *error_label;
  GtkWidget       *picker_button;
  GtkFilter       *picker_filter;
  CoopSearchQuery *picker_query;
  char            *parse_error;
  char            *error;
} FieldRow;

struct _CoopEditor
{
  AdwWindow             parent_instance;

  CoopStore            *store;
  CoopRecord           *record;
  CoopRecord           *original;
  GPtrArray            *rows;
  gboolean              can_save;
  gboolean              attendees_changed;
  gboolean              discarding;

  CoopAttachmentGroup  *attachments;
  FieldRow             *attendee_picker;
  AdwPreferencesGroup  *attendees_group;
  GPtrArray            *attendee_rows;

  GtkButton            *save_button;
  GtkButton            *print_button;
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *group;
  AdwPreferencesPage   *page;
};

G_DEFINE_FINAL_TYPE (CoopEditor, coop_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The picker that adds an attendee chooses a contact. */
static const CoopField attendee_contact_field = {
  .name = "contact-id",
  .label = N_("Contact"),
  .kind = COOP_FIELD_REF,
  .flags = COOP_FIELD_REQUIRED,
  .ref_type = coop_contact_get_type,
};

static void rebuild_attendees (CoopEditor *self);

/* ------------------------------------------------------------------ helpers */

static void
field_row_free (FieldRow *row)
{
  g_clear_object (&row->picker_filter);
  coop_search_query_free (row->picker_query);
  g_free (row->parse_error);
  g_free (row->error);
  g_free (row);
}

static const char *
field_label (const CoopField *field)
{
  return g_dgettext (GETTEXT_PACKAGE, field->label);
}

static FieldRow *
find_row (CoopEditor *self,
          const char *name)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);

      if (g_str_equal (row->field->name, name))
        return row;
    }
  return NULL;
}

/* The message row under a field cannot take the focus, so a screen
 * reader hears the message with the field itself. */
static void
show_error (FieldRow *row,
            gboolean  shown)
{
  gtk_widget_set_visible (row->error_label, shown);
  if (shown)
    {
      gtk_widget_add_css_class (row->row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, row->error,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row->row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (row->row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row->row),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row->row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
check_all (CoopEditor *self)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&row->error, g_free);
      if (row->parse_error != NULL)
        row->error = g_strdup (row->parse_error);
      else if (!coop_record_validate_field (self->record, row->field->name, &error))
        row->error = g_strdup (error->message);

      /* A required field left empty in a new record is not an error yet. */
      if (row->error != NULL)
        ok = FALSE;

      gtk_label_set_label (GTK_LABEL (row->error_label), row->error ? row->error : "");
      show_error (row, row->error != NULL &&
                       (coop_record_get_id (self->record) != 0 ||
                        !(row->field->flags & COOP_FIELD_REQUIRED) ||
                        row->parse_error != NULL ||
                        (COOP_FIELD_IS_STRING (row->field->kind) &&
                         coop_record_get_string (self->record, row->field) != NULL)));
    }

  /* A read-only database can be looked at, not changed. */
  self->can_save = ok && !coop_store_get_read_only (self->store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->can_save);
}

static void
apply_text (FieldRow   *row,
            const char *text)
{
  CoopEditor *self = row->editor;
  const char *name = row->field->name;

  g_clear_pointer (&row->parse_error, g_free);

  if (COOP_FIELD_IS_STRING (row->field->kind))
    {
      g_object_set (self->record, name, (text != NULL && text[0] != '\0') ? text : NULL, NULL);
    }
  else if (row->field->kind == COOP_FIELD_COUNT || row->field->kind == COOP_FIELD_YEAR)
    {
      /* Chinese input methods type full-width digits and spaces: "　１２　"
       * is 12, as dates and phone numbers already accept. */
      g_autofree char *normalized = coop_text_normalize (text);
      guint64 value = 0;

      if (normalized != NULL &&
          !g_ascii_string_to_unsigned (normalized, 10, 0, G_MAXINT, &value, NULL))
        {
          /* Translators: %s is a field name */
          row->parse_error = g_strdup_printf (_("%s: type a whole number, 0 or more."),
                                              field_label (row->field));
        }
      else
        g_object_set (self->record, name, (int) value, NULL);
    }

  check_all (self);
}

static char *
ref_title (CoopEditor      *self,
           const CoopField *field,
           gint64           id)
{
  CoopRecord *target;

  if (id == 0)
    return g_strdup (_("None"));
  target = coop_store_find (self->store, field->ref_type (), id);
  if (target == NULL)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, id);
  return g_strdup (coop_record_get_title (target));
}

static void
set_ref (FieldRow *row,
         gint64    id)
{
  g_autofree char *title = NULL;

  g_object_set (row->editor->record, row->field->name, id, NULL);
  title = ref_title (row->editor, row->field, id);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (row->picker_button), title);
  check_all (row->editor);
}

/* ------------------------------------------------------------------ callbacks */

static void
on_entry_row_changed_cb (GtkEditable *editable,
                         FieldRow    *row)
{
  apply_text (row, gtk_editable_get_text (editable));
}

static void
on_combo_row_selected_cb (AdwComboRow *combo,
                          GParamSpec  *pspec,
                          FieldRow    *row)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (row->field->enum_type ());
  guint selected = adw_combo_row_get_selected (combo);

  if (selected < enum_class->n_values)
    g_object_set (row->editor->record, row->field->name, enum_class->values[selected].value, NULL);
  check_all (row->editor);
}

static void
on_calendar_day_selected_cb (GtkCalendar *calendar,
                             FieldRow    *row)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (row->row), text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
on_calendar_popover_show_cb (GtkWidget *popover,
                             FieldRow  *row)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (GTK_POPOVER (popover)));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row->row));
  GDateYear year;
  GDateMonth month;
  GDateDay day;

  if (coop_text_parse_date (text, &year, &month, &day))
    {
      g_autoptr(GDateTime) date = g_date_time_new_local (year, month, day, 0, 0, 0);

      if (date != NULL)
        {
          g_signal_handlers_block_by_func (calendar, on_calendar_day_selected_cb, row);
          gtk_calendar_select_day (calendar, date);
          g_signal_handlers_unblock_by_func (calendar, on_calendar_day_selected_cb, row);
        }
    }
}

static gboolean
picker_match (gpointer item,
              gpointer user_data)
{
  FieldRow *row = user_data;

  return coop_search_matches (item, row->picker_query);
}

static void
on_picker_search_changed_cb (GtkEditable *editable,
                             FieldRow    *row)
{
  coop_search_query_free (row->picker_query);
  row->picker_query = coop_search_query_new (gtk_editable_get_text (editable));
  gtk_filter_changed (row->picker_filter, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_picker_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
on_picker_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  CoopRecord *record = gtk_list_item_get_item (item);
  const CoopField *number = coop_record_class_find_field (COOP_RECORD_GET_CLASS (record),
                                                          COOP_IS_STUDENT (record)
                                                          ? "number" : "student-number");
  const CoopField *partner = coop_record_class_find_field (COOP_RECORD_GET_CLASS (record),
                                                           "partner-name");
  g_autofree char *text = NULL;

  if (number != NULL && coop_record_get_string (record, number) != NULL)
    text = g_strdup_printf ("%s  %s", coop_record_get_string (record, number),
                            coop_record_get_title (record));
  else if (partner != NULL && coop_record_get_string (record, partner) != NULL)
    text = g_strdup_printf ("%s — %s", coop_record_get_title (record),
                            coop_record_get_string (record, partner));
  else
    text = g_strdup (coop_record_get_title (record));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
on_picker_activate_cb (GtkListView *view,
                       guint        position,
                       FieldRow    *row)
{
  g_autoptr(CoopRecord) record = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (view)),
                                                        position);
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (row->picker_button));

  if (row->field == &attendee_contact_field)
    coop_editor_add_attendee (row->editor, record);
  else
    set_ref (row, coop_record_get_id (record));
  gtk_popover_popdown (popover);
}

static void
on_picker_clear_cb (GtkButton *button,
                    FieldRow  *row)
{
  set_ref (row, 0);
  gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (row->picker_button)));
}

/* ------------------------------------------------------------------ rows */

static GtkWidget *
build_picker (CoopEditor *self,
              FieldRow   *row)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *search = gtk_search_entry_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view;
  GListModel *list = coop_store_get_list (self->store, row->field->ref_type ());
  GtkFilterListModel *filtered;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  coop_search_track_list (list);
  row->picker_filter = GTK_FILTER (gtk_custom_filter_new (picker_match, row, NULL));
  filtered = gtk_filter_list_model_new (g_object_ref (list), g_object_ref (row->picker_filter));
  g_signal_connect (factory, "setup", G_CALLBACK (on_picker_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_picker_bind_cb), NULL);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (filtered))),
                            factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "navigation-sidebar");
  g_signal_connect (view, "activate", G_CALLBACK (on_picker_activate_cb), row);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  g_signal_connect (search, "search-changed", G_CALLBACK (on_picker_search_changed_cb), row);
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (search), scrolled);

  gtk_box_append (GTK_BOX (box), search);
  gtk_box_append (GTK_BOX (box), scrolled);
  if (!(row->field->flags & COOP_FIELD_REQUIRED))
    {
      GtkWidget *clear = gtk_button_new_with_mnemonic (_("_None"));

      g_signal_connect (clear, "clicked", G_CALLBACK (on_picker_clear_cb), row);
      gtk_box_append (GTK_BOX (box), clear);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_popover_set_default_widget (GTK_POPOVER (popover), search);
  return popover;
}

static GtkWidget *
build_row (CoopEditor *self,
           FieldRow   *row)
{
  const CoopField *field = row->field;
  GtkWidget *widget;

  switch (field->kind)
    {
    case COOP_FIELD_ENUM:
      {
        g_autoptr(GEnumClass) enum_class = g_type_class_ref (field->enum_type ());
        g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
        int value = coop_record_get_int (self->record, field);

        widget = adw_combo_row_new ();
        for (guint i = 0; i < enum_class->n_values; i++)
          gtk_string_list_append (labels, coop_enum_get_label (field->enum_type (),
                                                               enum_class->values[i].value));
        adw_combo_row_set_model (ADW_COMBO_ROW (widget), G_LIST_MODEL (labels));
        for (guint i = 0; i < enum_class->n_values; i++)
          if (enum_class->values[i].value == value)
            adw_combo_row_set_selected (ADW_COMBO_ROW (widget), i);
        g_signal_connect (widget, "notify::selected", G_CALLBACK (on_combo_row_selected_cb), row);
        break;
      }

    case COOP_FIELD_REF:
      {
        g_autofree char *title = ref_title (self, field,
                                            coop_record_get_ref (self->record, field));

        widget = adw_action_row_new ();
        row->picker_button = gtk_menu_button_new ();
        gtk_menu_button_set_label (GTK_MENU_BUTTON (row->picker_button), title);
        gtk_widget_set_valign (row->picker_button, GTK_ALIGN_CENTER);
        gtk_menu_button_set_popover (GTK_MENU_BUTTON (row->picker_button),
                                     build_picker (self, row));
        adw_action_row_add_suffix (ADW_ACTION_ROW (widget), row->picker_button);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (widget), row->picker_button);
        break;
      }

    case COOP_FIELD_COUNT:
    case COOP_FIELD_YEAR:
      {
        int value = coop_record_get_int (self->record, field);
        g_autofree char *text = (value != 0 || field->kind == COOP_FIELD_COUNT)
                                ? g_strdup_printf ("%d", value) : g_strdup ("");

        widget = adw_entry_row_new ();
        gtk_editable_set_text (GTK_EDITABLE (widget), text);
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (widget), GTK_INPUT_PURPOSE_DIGITS);
        g_signal_connect (widget, "changed", G_CALLBACK (on_entry_row_changed_cb), row);
        break;
      }

    case COOP_FIELD_STRING:
    case COOP_FIELD_TEXT:
    case COOP_FIELD_PHONE:
    case COOP_FIELD_EMAIL:
    case COOP_FIELD_URL:
    case COOP_FIELD_CREDIT_CODE:
    case COOP_FIELD_STUDENT_NUMBER:
    case COOP_FIELD_DATE:
    case COOP_FIELD_DATETIME:
    default:
      {
        const char *text = coop_record_get_string (self->record, field);

        widget = adw_entry_row_new ();
        gtk_editable_set_text (GTK_EDITABLE (widget), text ? text : "");
        if (field->kind == COOP_FIELD_PHONE)
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (widget), GTK_INPUT_PURPOSE_PHONE);
        else if (field->kind == COOP_FIELD_EMAIL)
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (widget), GTK_INPUT_PURPOSE_EMAIL);
        else if (field->kind == COOP_FIELD_URL)
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (widget), GTK_INPUT_PURPOSE_URL);

        if (field->kind == COOP_FIELD_DATE)
          {
            GtkWidget *button = gtk_menu_button_new ();
            GtkWidget *popover = gtk_popover_new ();
            GtkWidget *calendar = gtk_calendar_new ();

            gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
            gtk_widget_set_tooltip_text (button, _("Choose a Date"));
            gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
            gtk_widget_add_css_class (button, "flat");
            gtk_popover_set_child (GTK_POPOVER (popover), calendar);
            gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
            g_signal_connect (calendar, "day-selected",
                              G_CALLBACK (on_calendar_day_selected_cb), row);
            g_signal_connect (popover, "show", G_CALLBACK (on_calendar_popover_show_cb), row);
            adw_entry_row_add_suffix (ADW_ENTRY_ROW (widget), button);
          }
        g_signal_connect (widget, "changed", G_CALLBACK (on_entry_row_changed_cb), row);
        break;
      }
    }

  if (field->flags & COOP_FIELD_REQUIRED)
    {
      /* Translators: a required field's title, e.g. "Name *" */
      g_autofree char *title = g_strdup_printf (_("%s (required)"), field_label (field));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
    }
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), field_label (field));

  return widget;
}

/* ------------------------------------------------------------------ attendees */

static GListStore *
attendees_of (CoopEditor *self)
{
  return G_LIST_STORE (coop_event_get_attendees (COOP_EVENT (self->record)));
}

static void
on_attendee_role_cb (GtkDropDown *drop_down,
                     GParamSpec  *pspec,
                     CoopEditor  *self)
{
  CoopAttendee *attendee = g_object_get_data (G_OBJECT (drop_down), "coop-attendee");

  coop_attendee_set_role (attendee, (CoopAttendeeRole) gtk_drop_down_get_selected (drop_down));
  self->attendees_changed = TRUE;
}

static void
on_attendee_remove_cb (GtkButton  *button,
                       CoopEditor *self)
{
  CoopAttendee *attendee = g_object_get_data (G_OBJECT (button), "coop-attendee");
  guint position;

  if (g_list_store_find (attendees_of (self), attendee, &position))
    g_list_store_remove (attendees_of (self), position);
  self->attendees_changed = TRUE;
  rebuild_attendees (self);
}

static void
rebuild_attendees (CoopEditor *self)
{
  GListModel *attendees = G_LIST_MODEL (attendees_of (self));
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (COOP_TYPE_ATTENDEE_ROLE);

  for (guint i = 0; i < self->attendee_rows->len; i++)
    adw_preferences_group_remove (self->attendees_group,
                                  g_ptr_array_index (self->attendee_rows, i));
  g_ptr_array_set_size (self->attendee_rows, 0);

  for (guint i = 0; i < enum_class->n_values; i++)
    gtk_string_list_append (roles, coop_enum_get_label (COOP_TYPE_ATTENDEE_ROLE,
                                                        enum_class->values[i].value));

  for (guint i = 0; i < g_list_model_get_n_items (attendees); i++)
    {
      g_autoptr(CoopAttendee) attendee = g_list_model_get_item (attendees, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *role = gtk_drop_down_new (g_object_ref (G_LIST_MODEL (roles)), NULL);
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = NULL;

      subtitle = g_strjoin (" · ",
                            coop_attendee_get_title (attendee) ? coop_attendee_get_title (attendee) : "",
                            coop_attendee_get_organization (attendee)
                            ? coop_attendee_get_organization (attendee) : "",
                            NULL);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), coop_attendee_get_name (attendee));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      gtk_drop_down_set_selected (GTK_DROP_DOWN (role), coop_attendee_get_role (attendee));
      gtk_widget_set_valign (role, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (role, _("Role"));
      g_object_set_data_full (G_OBJECT (role), "coop-attendee", g_object_ref (attendee),
                              g_object_unref);
      g_signal_connect (role, "notify::selected", G_CALLBACK (on_attendee_role_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), role);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Attendee"));
      g_object_set_data_full (G_OBJECT (remove), "coop-attendee", g_object_ref (attendee),
                              g_object_unref);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_attendee_remove_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (self->attendees_group, row);
      g_ptr_array_add (self->attendee_rows, row);
    }
}

/* What a line of the change log did, in words: "Changed City, Website". */
static char *
describe_entry (CoopEditor            *self,
                const CoopChangeEntry *entry)
{
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (self->record);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) labels = NULL;
  g_autofree char *source = NULL;

  switch (entry->action)
    {
    case COOP_CHANGE_INSERT:
      return g_strdup (_("Added"));
    case COOP_CHANGE_DELETE:
      return g_strdup (_("Deleted"));
    case COOP_CHANGE_IMPORT:
      source = coop_change_entry_dup_source (entry);
      /* Translators: %s is the file a list of students was imported from */
      return source ? g_strdup_printf (_("Imported from %s"), source) : g_strdup (_("Imported"));
    case COOP_CHANGE_UPDATE:
    default:
      break;
    }

  fields = coop_change_entry_list_fields (entry);
  labels = g_string_new (NULL);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *name = g_ptr_array_index (fields, i);
      const CoopField *field = coop_record_class_find_field (klass, name);
      const char *label = field != NULL ? g_dgettext (GETTEXT_PACKAGE, field->label)
                          : g_str_equal (name, "attendees") ? _("Attendees") : name;

      /* Translators: separates the fields in "Changed City, Website" */
      g_string_append_printf (labels, "%s%s", i > 0 ? _(", ") : "", label);
    }
  /* Translators: %s lists the fields a save changed: "City, Website" */
  return g_strdup_printf (_("Changed %s"), labels->str);
}

/* The record's change log, newest first, naming who made each change, so
 * that whoever opens it sees who else has been at it. */
static void
build_history (CoopEditor *self)
{
  g_autoptr(GPtrArray) log = NULL;
  AdwPreferencesGroup *group;
  guint shown = 0;

  log = coop_store_list_changes (self->store, G_OBJECT_TYPE (self->record),
                                 coop_record_get_id (self->record), NULL);
  if (log == NULL || log->len == 0)
    return;

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("History"));
  for (guint i = log->len; i-- > 0 && shown < 20; shown++)
    {
      const CoopChangeEntry *entry = g_ptr_array_index (log, i);
      g_autofree char *what = describe_entry (self, entry);
      g_autofree char *when = entry->changed_by != NULL
                              /* Translators: when and by whom: "2026-12-05 15:30:00 · li" */
                              ? g_strdup_printf (_("%s · %s"), entry->at, entry->changed_by)
                              : g_strdup (entry->at);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      adw_preferences_group_add (group, row);
    }
  adw_preferences_page_add (self->page, group);
}

static void
build_attendees (CoopEditor *self)
{
  GtkWidget *add;
  g_autofree char *description = NULL;

  self->attendees_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->attendees_group, _("Attendees"));
  adw_preferences_group_set_description (self->attendees_group,
                                         _("Who took part, chosen from the contacts"));

  self->attendee_picker = g_new0 (FieldRow, 1);
  self->attendee_picker->editor = self;
  self->attendee_picker->field = &attendee_contact_field;
  add = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (add), _("_Add Attendee"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (add), TRUE);
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  self->attendee_picker->picker_button = add;
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (add), build_picker (self, self->attendee_picker));
  adw_preferences_group_set_header_suffix (self->attendees_group, add);

  adw_preferences_page_add (self->page, self->attendees_group);
  rebuild_attendees (self);
}

/* An insensitive row dims what it holds; a message under a field is the
 * one thing that must stay legible. */
static void
install_style (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   "row.field-message label:disabled { filter: none; }", -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* ------------------------------------------------------------------ closing */

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_discard_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        CoopEditor       *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  /* The editor closes once the dialog, which belongs to it, is gone:
   * closing it during the response left the dialog a freed parent. */
  self->discarding = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
}

/* Escape, Cancel and the window manager all close through here: a form
 * with changes asks before they are lost. */
static void
confirm_discard (CoopEditor *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Discard Changes?"),
                                                       _("The changes made in this form "
                                                         "have not been saved.")));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ actions */

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  coop_editor_save (COOP_EDITOR (widget));
}

/* Prints what the form holds now, saved or not. */
static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CoopEditor *self = COOP_EDITOR (widget);

  if (coop_print_can_print (self->record))
    coop_print_run (GTK_WINDOW (self), self->store, self->record, self->toast_overlay, NULL);
}

/* ------------------------------------------------------------------ overrides */

static gboolean
coop_editor_close_request (GtkWindow *window)
{
  CoopEditor *self = COOP_EDITOR (window);

  /* What a read-only database cannot store is not worth a question. */
  if (!self->discarding && !coop_store_get_read_only (self->store) &&
      coop_editor_get_modified (self))
    {
      confirm_discard (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (coop_editor_parent_class)->close_request (window);
}

static void
coop_editor_dispose (GObject *object)
{
  CoopEditor *self = COOP_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_EDITOR);
  g_clear_object (&self->record);
  g_clear_object (&self->original);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_editor_parent_class)->dispose (object);
}

static void
coop_editor_finalize (GObject *object)
{
  CoopEditor *self = COOP_EDITOR (object);

  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->attendee_rows);
  g_clear_pointer (&self->attendee_picker, field_row_free);

  G_OBJECT_CLASS (coop_editor_parent_class)->finalize (object);
}

static void
coop_editor_class_init (CoopEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = coop_editor_dispose;
  object_class->finalize = coop_editor_finalize;
  window_class->close_request = coop_editor_close_request;

  /**
   * CoopEditor::saved:
   * @record: the record as saved, with its id
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, COOP_TYPE_RECORD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CoopEditor, print_button);
  gtk_widget_class_bind_template_child (widget_class, CoopEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CoopEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CoopEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CoopEditor, group);
  gtk_widget_class_bind_template_child (widget_class, CoopEditor, page);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "editor.print", NULL, print_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "editor.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  install_style ();
}

static void
coop_editor_init (CoopEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) field_row_free);
  self->attendee_rows = g_ptr_array_new ();
}

/* ------------------------------------------------------------------ public */

/**
 * coop_editor_new:
 * @record: the record to edit, or a new record with id 0 to create one
 *
 * The editor works on a copy; the store sees the change only on Save.
 */
CoopEditor *
coop_editor_new (GtkWindow  *parent,
                 CoopStore  *store,
                 CoopRecord *record)
{
  CoopEditor *self;
  const CoopField *fields;
  guint n_fields;
  g_autofree char *title = NULL;
  const char *type_label;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);
  g_return_val_if_fail (COOP_IS_RECORD (record), NULL);

  self = g_object_new (COOP_TYPE_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->record = coop_record_copy (record);
  self->original = coop_record_copy (record);

  type_label = g_dgettext (GETTEXT_PACKAGE, coop_record_get_type_label (record));
  if (coop_record_get_id (record) == 0)
    /* Translators: the title of an editor for a new record, e.g. "New Partner" */
    title = g_strdup_printf (_("New %s"), type_label);
  else
    /* Translators: the title of an editor, e.g. "Partner: ACME" */
    title = g_strdup_printf (_("%s: %s"), type_label, coop_record_get_title (record));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_preferences_group_set_title (self->group, type_label);
  /* Only events, pools and agreements have a printed sheet. */
  gtk_widget_set_visible (GTK_WIDGET (self->print_button), coop_print_can_print (record));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.print", coop_print_can_print (record));

  fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (record), &n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      FieldRow *row;

      if (fields[i].flags & (COOP_FIELD_DERIVED | COOP_FIELD_PINYIN | COOP_FIELD_HIDDEN))
        continue;
      if (COOP_IS_CANDIDATE (record) &&
          g_str_equal (fields[i].name, "pool-id") && coop_record_get_ref (record, &fields[i]) != 0)
        continue;

      row = g_new0 (FieldRow, 1);
      row->editor = self;
      row->field = &fields[i];
      row->row = build_row (self, row);
      row->error_label = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (row->error_label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (row->error_label), 0);
      gtk_widget_add_css_class (row->error_label, "error");
      gtk_widget_add_css_class (row->error_label, "caption");
      gtk_widget_set_margin_start (row->error_label, 12);
      gtk_widget_set_margin_end (row->error_label, 12);
      gtk_widget_set_margin_top (row->error_label, 4);
      gtk_widget_set_margin_bottom (row->error_label, 4);
      gtk_widget_set_visible (row->error_label, FALSE);
      adw_preferences_group_add (self->group, row->row);
      {
        /* The message goes in a row of its own right under the field.
         * GtkListBox moves Tab to the next sensitive row and gives up when
         * that row takes no focus, so the message row is insensitive: Tab
         * goes from the field straight to the next one, whether or not the
         * window is active.  It keeps its colours through the style below. */
        GtkWidget *message_row = adw_preferences_row_new ();

        gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (message_row), row->error_label);
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (message_row), FALSE);
        gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (message_row), FALSE);
        gtk_widget_set_focusable (message_row, FALSE);
        gtk_widget_set_sensitive (message_row, FALSE);
        gtk_widget_add_css_class (message_row, "field-message");
        g_object_bind_property (row->error_label, "visible", message_row, "visible",
                                G_BINDING_SYNC_CREATE);
        adw_preferences_group_add (self->group, message_row);
      }
      g_ptr_array_add (self->rows, row);
    }

  if (COOP_IS_EVENT (record))
    build_attendees (self);
  /* Files are dropped anywhere on the form. */
  if (COOP_IS_AGREEMENT (record) || COOP_IS_EVENT (record))
    {
      self->attachments = coop_attachment_group_new (store, record, self->toast_overlay,
                                                     GTK_WIDGET (self->page));
      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (self->attachments));
    }
  if (coop_record_get_id (record) != 0)
    build_history (self);

  /* Typing starts in the first field, not on Cancel. */
  if (self->rows->len > 0)
    gtk_widget_grab_focus (((FieldRow *) g_ptr_array_index (self->rows, 0))->row);

  check_all (self);
  return self;
}

/**
 * coop_editor_get_attachments:
 *
 * Returns: (transfer none) (nullable): the files of the agreement or event
 */
CoopAttachmentGroup *
coop_editor_get_attachments (CoopEditor *self)
{
  g_return_val_if_fail (COOP_IS_EDITOR (self), NULL);
  return self->attachments;
}

/**
 * coop_editor_get_record:
 *
 * Returns: (transfer none): the copy being edited
 */
CoopRecord *
coop_editor_get_record (CoopEditor *self)
{
  g_return_val_if_fail (COOP_IS_EDITOR (self), NULL);
  return self->record;
}

gboolean
coop_editor_get_can_save (CoopEditor *self)
{
  g_return_val_if_fail (COOP_IS_EDITOR (self), FALSE);
  return self->can_save;
}

/**
 * coop_editor_get_modified:
 *
 * Returns: whether the form differs from the record it was opened on, so
 *   that closing it would lose something
 */
gboolean
coop_editor_get_modified (CoopEditor *self)
{
  g_return_val_if_fail (COOP_IS_EDITOR (self), FALSE);

  if (self->attendees_changed)
    return TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);

      /* Text that is not a number yet changed nothing in the record. */
      if (row->parse_error != NULL ||
          !coop_record_field_equal (self->record, self->original, row->field))
        return TRUE;
    }
  return FALSE;
}

/* Types @text into the row of the field @name as a user would; enums take
 * their nick, references the id. */
gboolean
coop_editor_set_field_text (CoopEditor *self,
                            const char *name,
                            const char *text)
{
  FieldRow *row;

  g_return_val_if_fail (COOP_IS_EDITOR (self), FALSE);

  row = find_row (self, name);
  if (row == NULL)
    return FALSE;

  if (row->field->kind == COOP_FIELD_ENUM)
    {
      g_autoptr(GEnumClass) enum_class = g_type_class_ref (row->field->enum_type ());

      for (guint i = 0; i < enum_class->n_values; i++)
        if (g_strcmp0 (enum_class->values[i].value_nick, text) == 0)
          {
            adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), i);
            return TRUE;
          }
      return FALSE;
    }

  if (row->field->kind == COOP_FIELD_REF)
    {
      set_ref (row, g_ascii_strtoll (text ? text : "0", NULL, 10));
      return TRUE;
    }

  gtk_editable_set_text (GTK_EDITABLE (row->row), text ? text : "");
  return TRUE;
}

const char *
coop_editor_get_field_error (CoopEditor *self,
                             const char *name)
{
  FieldRow *row;

  g_return_val_if_fail (COOP_IS_EDITOR (self), NULL);

  row = find_row (self, name);
  if (row == NULL || !gtk_widget_get_visible (row->error_label))
    return NULL;
  return row->error;
}

gboolean
coop_editor_save (CoopEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (COOP_IS_EDITOR (self), FALSE);

  check_all (self);
  if (!self->can_save)
    {
      for (guint i = 0; i < self->rows->len; i++)
        {
          FieldRow *row = g_ptr_array_index (self->rows, i);

          if (row->error != NULL)
            show_error (row, TRUE);
        }
      return FALSE;
    }

  if (!coop_store_save (self->store, self->record, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SAVED], 0, self->record);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

/* Adds @contact to the event's attendees, as a participant, with the
 * name, title and organization it has now. */
void
coop_editor_add_attendee (CoopEditor *self,
                          CoopRecord *contact)
{
  g_autoptr(CoopAttendee) attendee = NULL;
  const char *organization;

  g_return_if_fail (COOP_IS_EDITOR (self));
  g_return_if_fail (COOP_IS_EVENT (self->record));
  g_return_if_fail (COOP_IS_CONTACT (contact));

  organization = coop_contact_get_partner_name (COOP_CONTACT (contact));
  if (organization == NULL)
    organization = coop_contact_get_department_name (COOP_CONTACT (contact));

  attendee = coop_attendee_new ();
  coop_attendee_set_contact_id (attendee, coop_record_get_id (contact));
  coop_attendee_set_name (attendee, coop_contact_get_name (COOP_CONTACT (contact)));
  coop_attendee_set_title (attendee, coop_contact_get_title (COOP_CONTACT (contact)));
  coop_attendee_set_organization (attendee, organization);
  coop_attendee_set_role (attendee, COOP_ATTENDEE_ROLE_PARTICIPANT);
  g_list_store_append (attendees_of (self), attendee);
  self->attendees_changed = TRUE;
  rebuild_attendees (self);
}
