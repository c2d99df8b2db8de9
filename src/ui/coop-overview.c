/* coop-overview.c — what needs attention: expiring agreements, events, candidates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-chart.h"
#include "coop-due.h"
#include "coop-enums.h"
#include "coop-event.h"
#include "coop-field-column.h"
#include "coop-filter-list.h"
#include "coop-overview.h"
#include "coop-partner.h"
#include "coop-pool.h"

#define N_STAGES (COOP_CANDIDATE_STAGE_WITHDRAWN + 1)
#define MAX_ROWS 12

struct _CoopOverview
{
  GtkWidget            parent_instance;

  CoopStore           *store;
  guint                expiry_days;
  guint                refresh_id;
  GPtrArray           *rows;
  guint                stage_counts[N_STAGES];
  guint                n_expiring;
  guint                n_overdue;
  GPtrArray           *due;           /* of CoopDueItem, as the rows show it */

  GtkWidget           *scrolled_window;
  AdwPreferencesGroup *due_group;
  AdwPreferencesGroup *expiring_group;
  AdwPreferencesGroup *overdue_group;
  AdwPreferencesGroup *events_group;
  AdwPreferencesGroup *stages_group;
  AdwPreferencesGroup *quotas_group;
  CoopChart           *stage_chart;
};

G_DEFINE_FINAL_TYPE (CoopOverview, coop_overview, GTK_TYPE_WIDGET)

enum {
  OPEN_RECORD,
  SHOW_CANDIDATE,
  PUT_ASIDE,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_N_DUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  CoopPartner *partner;
  guint        interning;
  guint        hired;
  int          quota;
} PartnerTally;

/* ------------------------------------------------------------------ stage dialog */

/* "Candidates by Stage" opens a list of the candidates in one stage, newest
 * first; Enter or a double-click on one shows it in its pool. */

static gboolean
stage_match (gpointer item,
             gpointer user_data)
{
  return (int) coop_candidate_get_stage (item) == GPOINTER_TO_INT (user_data);
}

static int
compare_stage_on (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  int order = g_strcmp0 (coop_candidate_get_stage_on ((CoopCandidate *) b),
                         coop_candidate_get_stage_on ((CoopCandidate *) a));

  if (order != 0)
    return order;
  return g_strcmp0 (coop_candidate_get_student_name ((CoopCandidate *) a),
                    coop_candidate_get_student_name ((CoopCandidate *) b));
}

static void
on_stage_list_activate_cb (GtkColumnView *view,
                           guint          position,
                           CoopOverview  *self)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr(CoopRecord) candidate = g_list_model_get_item (model, position);
  GtkRoot *dialog = gtk_widget_get_root (GTK_WIDGET (view));

  if (candidate == NULL)
    return;
  g_signal_emit (self, signals[SHOW_CANDIDATE], 0, candidate);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
add_column (GtkColumnView *view,
            const char    *property,
            gboolean       expand)
{
  g_autoptr(GtkColumnViewColumn) column = coop_field_column_new (COOP_TYPE_CANDIDATE, property,
                                                                 expand);

  gtk_column_view_append_column (view, column);
}

static void
on_stage_row_activated_cb (AdwActionRow *row,
                           CoopOverview *self)
{
  coop_overview_show_stage (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row),
                                                                      "coop-stage")));
}

/* ------------------------------------------------------------------ helpers */

static void
on_row_activated_cb (AdwActionRow *row,
                     CoopOverview *self)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, g_object_get_data (G_OBJECT (row), "coop-record"));
}

static void
show_go_next (GtkWidget *row)
{
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
}

static void
opens_record (CoopOverview *self,
              GtkWidget    *row,
              CoopRecord   *record)
{
  show_go_next (row);
  g_object_set_data_full (G_OBJECT (row), "coop-record", g_object_ref (record), g_object_unref);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated_cb), self);
}

/* A row that opens @record, or opens nothing when it is %NULL. */
static GtkWidget *
add_row (CoopOverview        *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         const char          *suffix,
         CoopRecord          *record)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (suffix != NULL)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  if (record != NULL)
    opens_record (self, row, record);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_object_set_data (G_OBJECT (row), "coop-group", group);
  return row;
}

static void
add_placeholder (CoopOverview        *self,
                 AdwPreferencesGroup *group,
                 const char          *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  adw_preferences_group_add (group, row);
  g_object_set_data (G_OBJECT (row), "coop-group", group);
  g_ptr_array_add (self->rows, row);
}

static void
clear_rows (CoopOverview *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "coop-group"), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static int
compare_ends_on (gconstpointer a,
                 gconstpointer b)
{
  CoopAgreement *x = *(CoopAgreement **) a;
  CoopAgreement *y = *(CoopAgreement **) b;

  return g_strcmp0 (coop_agreement_get_ends_on (x), coop_agreement_get_ends_on (y));
}

static int
compare_starts_at (gconstpointer a,
                   gconstpointer b)
{
  CoopEvent *x = *(CoopEvent **) a;
  CoopEvent *y = *(CoopEvent **) b;

  return g_strcmp0 (coop_event_get_starts_at (x), coop_event_get_starts_at (y));
}

static int
compare_tallies (gconstpointer a,
                 gconstpointer b)
{
  const PartnerTally *x = *(PartnerTally **) a;
  const PartnerTally *y = *(PartnerTally **) b;
  int ax = (int) (x->hired + x->interning);
  int ay = (int) (y->hired + y->interning);

  if (ax != ay)
    return ay - ax;
  return y->quota - x->quota;
}

/* ------------------------------------------------------------------ due */

/* Done and Snooze write at once; the window offers to undo it. */
static void
put_aside (CoopOverview *self,
           GtkWidget    *button,
           gboolean      done)
{
  CoopDueItem *item = g_object_get_data (G_OBJECT (button), "coop-due-item");
  g_autoptr(CoopRecord) previous = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = coop_due_item_dup_text (item);
  g_autofree char *title = NULL;
  g_autofree char *today = coop_due_today ();
  gboolean ok;

  ok = done ? coop_due_item_mark_done (self->store, item, &previous, &error)
            : coop_due_item_snooze (self->store, item, today, &previous, &error);
  if (!ok)
    {
      g_signal_emit (self, signals[ERROR], 0, error->message);
      return;
    }

  /* Translators: a toast; %s is what was due */
  title = g_strdup_printf (done ? _("Done: %s") : _("Snoozed for a week: %s"), text);
  g_signal_emit (self, signals[PUT_ASIDE], 0, previous, title);
}

static void
on_due_done_clicked_cb (GtkButton    *button,
                        CoopOverview *self)
{
  put_aside (self, GTK_WIDGET (button), TRUE);
}

static void
on_due_snooze_clicked_cb (GtkButton    *button,
                          CoopOverview *self)
{
  put_aside (self, GTK_WIDGET (button), FALSE);
}

static GtkWidget *
due_button (CoopOverview *self,
            CoopDueItem  *item,
            const char   *icon,
            const char   *tooltip,
            GCallback     callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "coop-due-item", item);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static void
fill_due (CoopOverview *self,
          const char   *today)
{
  guint n_before = self->due != NULL ? self->due->len : 0;

  /* The rows point into the list, which lives until the next refresh
   * has removed them. */
  g_clear_pointer (&self->due, g_ptr_array_unref);
  self->due = coop_due_list (self->store, today, self->expiry_days);

  for (guint i = 0; i < MIN (self->due->len, MAX_ROWS); i++)
    {
      CoopDueItem *item = g_ptr_array_index (self->due, i);
      g_autofree char *text = coop_due_item_dup_text (item);
      GtkWidget *row;

      /* Snooze and Done, then the arrow that opens the record. */
      row = add_row (self, self->due_group, text, coop_due_item_get_heading (item), NULL, NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 due_button (self, item, "alarm-symbolic",
                                             _("Snooze for a week"),
                                             G_CALLBACK (on_due_snooze_clicked_cb)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 due_button (self, item, "object-select-symbolic", _("Done"),
                                             G_CALLBACK (on_due_done_clicked_cb)));
      opens_record (self, row, item->record);
    }
  if (self->due->len > MAX_ROWS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more is due",
                                                            "%u more are due",
                                                            self->due->len - MAX_ROWS),
                                               self->due->len - MAX_ROWS);
      add_placeholder (self, self->due_group, more);
    }
  if (self->due->len == 0)
    add_placeholder (self, self->due_group, _("Nothing is due"));

  if (self->due->len != n_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DUE]);
}

static void
fill_agreements (CoopOverview *self,
                 const char   *today,
                 const char   *limit)
{
  GListModel *list = coop_store_get_list (self->store, COOP_TYPE_AGREEMENT);
  g_autoptr(GPtrArray) expiring = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) overdue = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    {
      CoopAgreement *agreement = g_list_model_get_item (list, i);
      CoopDueKind kind;

      /* Every one, done or snoozed too: the Due section lists what is left. */
      if (!coop_due_classify_agreement (agreement, today, limit, &kind))
        g_object_unref (agreement);
      else if (kind == COOP_DUE_AGREEMENT_LAPSED)
        g_ptr_array_add (overdue, agreement);
      else
        g_ptr_array_add (expiring, agreement);
    }

  g_ptr_array_sort (expiring, compare_ends_on);
  g_ptr_array_sort (overdue, compare_ends_on);
  self->n_expiring = expiring->len;
  self->n_overdue = overdue->len;

  for (guint i = 0; i < MIN (expiring->len, MAX_ROWS); i++)
    {
      CoopAgreement *agreement = g_ptr_array_index (expiring, i);
      /* Translators: %s is a date */
      g_autofree char *ends = g_strdup_printf (_("Ends on %s"), coop_agreement_get_ends_on (agreement));

      add_row (self, self->expiring_group, coop_agreement_get_title (agreement),
               coop_agreement_get_partner_name (agreement), ends, COOP_RECORD (agreement));
    }
  if (expiring->len == 0)
    add_placeholder (self, self->expiring_group, _("No agreement ends soon"));

  for (guint i = 0; i < MIN (overdue->len, MAX_ROWS); i++)
    {
      CoopAgreement *agreement = g_ptr_array_index (overdue, i);
      g_autofree char *ends = g_strdup_printf (_("Ended on %s"),
                                               coop_agreement_get_ends_on (agreement));

      add_row (self, self->overdue_group, coop_agreement_get_title (agreement),
               coop_agreement_get_partner_name (agreement), ends, COOP_RECORD (agreement));
    }
  if (overdue->len == 0)
    add_placeholder (self, self->overdue_group, _("No expired agreement is marked active"));
}

static void
fill_events (CoopOverview *self,
             const char   *today)
{
  GListModel *list = coop_store_get_list (self->store, COOP_TYPE_EVENT);
  g_autoptr(GPtrArray) upcoming = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    {
      CoopEvent *event = g_list_model_get_item (list, i);
      const char *starts_at = coop_event_get_starts_at (event);

      if (starts_at != NULL && strcmp (starts_at, today) >= 0)
        g_ptr_array_add (upcoming, event);
      else
        g_object_unref (event);
    }

  g_ptr_array_sort (upcoming, compare_starts_at);
  for (guint i = 0; i < MIN (upcoming->len, MAX_ROWS); i++)
    {
      CoopEvent *event = g_ptr_array_index (upcoming, i);
      const char *partner = coop_event_get_partner_name (event);
      const char *kind = coop_enum_get_label (COOP_TYPE_EVENT_KIND, coop_event_get_kind (event));
      g_autofree char *subtitle = partner ? g_strdup_printf ("%s · %s", kind, partner)
                                          : g_strdup (kind);

      add_row (self, self->events_group, coop_event_get_title (event), subtitle,
               coop_event_get_starts_at (event), COOP_RECORD (event));
    }
  if (upcoming->len == 0)
    add_placeholder (self, self->events_group, _("No event is planned"));
}

static void
fill_candidates (CoopOverview *self)
{
  GListModel *candidates = coop_store_get_list (self->store, COOP_TYPE_CANDIDATE);
  GListModel *agreements = coop_store_get_list (self->store, COOP_TYPE_AGREEMENT);
  g_autoptr(GHashTable) tallies = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                          g_free, g_free);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint n;

  memset (self->stage_counts, 0, sizeof self->stage_counts);

  n = g_list_model_get_n_items (candidates);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (candidates, i);
      CoopCandidateStage stage = coop_candidate_get_stage (candidate);
      gint64 partner_id = coop_candidate_get_partner_id (candidate);
      PartnerTally *tally;

      if ((guint) stage < N_STAGES)
        self->stage_counts[stage]++;
      if (stage != COOP_CANDIDATE_STAGE_HIRED && stage != COOP_CANDIDATE_STAGE_INTERNING)
        continue;

      tally = g_hash_table_lookup (tallies, &partner_id);
      if (tally == NULL)
        {
          tally = g_new0 (PartnerTally, 1);
          g_hash_table_insert (tallies, g_memdup2 (&partner_id, sizeof partner_id), tally);
        }
      if (stage == COOP_CANDIDATE_STAGE_HIRED)
        tally->hired++;
      else
        tally->interning++;
    }

  n = g_list_model_get_n_items (agreements);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopAgreement) agreement = g_list_model_get_item (agreements, i);
      CoopAgreementStatus status = coop_agreement_get_status (agreement);
      gint64 partner_id = coop_agreement_get_partner_id (agreement);
      PartnerTally *tally;

      if (coop_agreement_get_intern_quota (agreement) <= 0 ||
          (status != COOP_AGREEMENT_STATUS_ACTIVE && status != COOP_AGREEMENT_STATUS_SIGNED))
        continue;
      tally = g_hash_table_lookup (tallies, &partner_id);
      if (tally == NULL)
        {
          tally = g_new0 (PartnerTally, 1);
          g_hash_table_insert (tallies, g_memdup2 (&partner_id, sizeof partner_id), tally);
        }
      tally->quota += coop_agreement_get_intern_quota (agreement);
    }

  {
    const char *labels[N_STAGES + 1] = { NULL };
    double values[N_STAGES];

    for (guint stage = 0; stage < N_STAGES; stage++)
      {
        labels[stage] = coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, stage);
        values[stage] = self->stage_counts[stage];
      }
    coop_chart_set_data (self->stage_chart, labels, values);
  }

  for (guint stage = 0; stage < N_STAGES; stage++)
    {
      g_autofree char *count = g_strdup_printf ("%u", self->stage_counts[stage]);
      GtkWidget *row = add_row (self, self->stages_group,
                                coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, stage),
                                NULL, count, NULL);

      /* A stage nobody is in has nothing to list. */
      if (self->stage_counts[stage] == 0)
        continue;
      show_go_next (row);
      g_object_set_data (G_OBJECT (row), "coop-stage", GUINT_TO_POINTER (stage));
      g_signal_connect (row, "activated", G_CALLBACK (on_stage_row_activated_cb), self);
    }

  g_hash_table_iter_init (&iter, tallies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare_tallies);

  {
    guint shown = 0;

    g_hash_table_iter_init (&iter, tallies);
    for (guint i = 0; i < sorted->len && shown < MAX_ROWS; i++)
      {
        PartnerTally *tally = g_ptr_array_index (sorted, i);
        gint64 *key = NULL;
        CoopRecord *partner = NULL;
        g_autofree char *subtitle = NULL;
        g_autofree char *suffix = NULL;

        g_hash_table_iter_init (&iter, tallies);
        while (g_hash_table_iter_next (&iter, (gpointer *) &key, &value))
          if (value == tally)
            break;
        if (key == NULL || *key == 0)
          continue;
        partner = coop_store_find (self->store, COOP_TYPE_PARTNER, *key);
        if (partner == NULL)
          continue;

        /* Translators: interns and hires of a partner */
        subtitle = g_strdup_printf (_("%u interning, %u hired"), tally->interning, tally->hired);
        if (tally->quota > 0)
          /* Translators: placed students against the yearly quota, e.g. "5 / 10" */
          suffix = g_strdup_printf (_("%u / %d"), tally->interning + tally->hired, tally->quota);
        else
          suffix = g_strdup_printf ("%u", tally->interning + tally->hired);
        add_row (self, self->quotas_group, coop_record_get_title (partner), subtitle, suffix,
                 partner);
        shown++;
      }
    if (shown == 0)
      add_placeholder (self, self->quotas_group, _("No candidate is interning or hired yet"));
  }
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CoopOverview *self = user_data;

  self->refresh_id = 0;
  coop_overview_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_list_items_changed_cb (CoopOverview *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_LOW, refresh_idle_cb, self, NULL);
}

/* ------------------------------------------------------------------ overrides */

static void
coop_overview_dispose (GObject *object)
{
  CoopOverview *self = COOP_OVERVIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_OVERVIEW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_overview_parent_class)->dispose (object);
}

static void
coop_overview_finalize (GObject *object)
{
  CoopOverview *self = COOP_OVERVIEW (object);

  g_ptr_array_unref (self->rows);
  g_clear_pointer (&self->due, g_ptr_array_unref);

  G_OBJECT_CLASS (coop_overview_parent_class)->finalize (object);
}

static void
coop_overview_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CoopOverview *self = COOP_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_N_DUE:
      g_value_set_uint (value, coop_overview_get_n_due (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
coop_overview_class_init (CoopOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_overview_dispose;
  object_class->finalize = coop_overview_finalize;

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, COOP_TYPE_RECORD);

  /**
   * CoopOverview::show-candidate:
   * @candidate: a candidate chosen in the list of a stage
   *
   * Asks for the candidate to be shown in its pool.
   */
  signals[SHOW_CANDIDATE] = g_signal_new ("show-candidate", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, COOP_TYPE_RECORD);

  /**
   * CoopOverview::put-aside:
   * @previous: the record as it was before
   * @title: what was done, for a toast
   *
   * Something due was marked done or snoozed; coop_due_restore() with
   * @previous takes it back.
   */
  signals[PUT_ASIDE] = g_signal_new ("put-aside", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 2, COOP_TYPE_RECORD, G_TYPE_STRING);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  object_class->get_property = coop_overview_get_property;
  properties[PROP_N_DUE] = g_param_spec_uint ("n-due", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                              G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopOverview, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CoopOverview, due_group);
  gtk_widget_class_bind_template_child (widget_class, CoopOverview, expiring_group);
  gtk_widget_class_bind_template_child (widget_class, CoopOverview, overdue_group);
  gtk_widget_class_bind_template_child (widget_class, CoopOverview, events_group);
  gtk_widget_class_bind_template_child (widget_class, CoopOverview, stages_group);
  gtk_widget_class_bind_template_child (widget_class, CoopOverview, quotas_group);
}

static void
coop_overview_init (CoopOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->expiry_days = 90;

  /* The stages drawn, above their rows. */
  self->stage_chart = coop_chart_new (_("Candidates by stage"));
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->stage_chart), 12);
  adw_preferences_group_add (self->stages_group, GTK_WIDGET (self->stage_chart));
}

/* ------------------------------------------------------------------ public */

/**
 * coop_overview_get_stage_chart:
 *
 * Returns: (transfer none): the chart of the candidates by stage
 */
CoopChart *
coop_overview_get_stage_chart (CoopOverview *self)
{
  g_return_val_if_fail (COOP_IS_OVERVIEW (self), NULL);

  return self->stage_chart;
}

CoopOverview *
coop_overview_new (CoopStore *store)
{
  CoopOverview *self;
  GType types[] = { COOP_TYPE_AGREEMENT, COOP_TYPE_EVENT, COOP_TYPE_CANDIDATE, COOP_TYPE_PARTNER,
                    COOP_TYPE_POOL };

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);

  self = g_object_new (COOP_TYPE_OVERVIEW, NULL);
  self->store = g_object_ref (store);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_signal_connect_object (coop_store_get_list (store, types[i]), "items-changed",
                             G_CALLBACK (on_list_items_changed_cb), self, G_CONNECT_SWAPPED);
  coop_overview_refresh (self);
  return self;
}

void
coop_overview_set_expiry_days (CoopOverview *self,
                               guint         days)
{
  g_return_if_fail (COOP_IS_OVERVIEW (self));

  if (self->expiry_days == days)
    return;
  self->expiry_days = days;
  coop_overview_refresh (self);
}

void
coop_overview_refresh (CoopOverview *self)
{
  g_autofree char *today = coop_due_today ();
  g_autofree char *limit = coop_due_add_days (today, (int) self->expiry_days);
  g_autofree char *description = NULL;

  g_return_if_fail (COOP_IS_OVERVIEW (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  clear_rows (self);

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Active or signed agreements that end within %u day",
                                              "Active or signed agreements that end within %u days",
                                              self->expiry_days),
                                 self->expiry_days);
  adw_preferences_group_set_description (self->expiring_group, description);

  if (!coop_store_get_loaded (self->store, COOP_TYPE_CANDIDATE))
    {
      add_placeholder (self, self->due_group, _("Loading…"));
      return;
    }

  fill_due (self, today);
  fill_agreements (self, today, limit);
  fill_events (self, today);
  fill_candidates (self);
}

guint
coop_overview_get_stage_count (CoopOverview *self,
                               int           stage)
{
  g_return_val_if_fail (COOP_IS_OVERVIEW (self), 0);
  g_return_val_if_fail (stage >= 0 && stage < N_STAGES, 0);
  return self->stage_counts[stage];
}

/* What the "Due" section lists, for the sidebar's count. */
guint
coop_overview_get_n_due (CoopOverview *self)
{
  g_return_val_if_fail (COOP_IS_OVERVIEW (self), 0);
  return self->due != NULL ? self->due->len : 0;
}

/**
 * coop_overview_get_due:
 *
 * Returns: (transfer none) (element-type CoopDueItem) (nullable): what is
 *   due as of the last refresh, the most pressing first; %NULL before the
 *   lists are loaded
 */
GPtrArray *
coop_overview_get_due (CoopOverview *self)
{
  g_return_val_if_fail (COOP_IS_OVERVIEW (self), NULL);
  return self->due;
}

guint
coop_overview_get_n_expiring (CoopOverview *self)
{
  g_return_val_if_fail (COOP_IS_OVERVIEW (self), 0);
  return self->n_expiring;
}

guint
coop_overview_get_n_overdue (CoopOverview *self)
{
  g_return_val_if_fail (COOP_IS_OVERVIEW (self), 0);
  return self->n_overdue;
}

/**
 * coop_overview_show_stage:
 * @stage: a #CoopCandidateStage
 *
 * What a line of "Candidates by Stage" opens: a window listing the
 * candidates in @stage with their pool, partner and since-date, newest
 * first.  Activating one emits CoopOverview::show-candidate and closes it.
 *
 * Returns: (transfer none): the window, already presented
 */
GtkWindow *
coop_overview_show_stage (CoopOverview *self,
                          int           stage)
{
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *title;
  GtkWidget *scrolled;
  GtkWidget *view;
  g_autoptr(GtkCustomFilter) filter = NULL;
  CoopFilterList *candidates;
  GtkSortListModel *sorted;
  GtkShortcutController *shortcuts;
  g_autofree char *subtitle = NULL;
  const char *label;
  guint n;

  g_return_val_if_fail (COOP_IS_OVERVIEW (self), NULL);
  g_return_val_if_fail (stage >= 0 && stage < N_STAGES, NULL);

  filter = gtk_custom_filter_new (stage_match, GINT_TO_POINTER (stage), NULL);
  candidates = coop_filter_list_new (coop_store_get_list (self->store, COOP_TYPE_CANDIDATE),
                                     GTK_FILTER (filter));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (candidates),
                                    GTK_SORTER (gtk_custom_sorter_new (compare_stage_on,
                                                                       NULL, NULL)));
  n = g_list_model_get_n_items (G_LIST_MODEL (sorted));

  label = coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, stage);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u candidate", "%u candidates", n),
                              n);
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), label);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 520);

  title = adw_window_title_new (label, subtitle);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);

  view = gtk_column_view_new (GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (sorted))));
  gtk_widget_add_css_class (view, "data-table");
  add_column (GTK_COLUMN_VIEW (view), "student-name", TRUE);
  add_column (GTK_COLUMN_VIEW (view), "student-number", FALSE);
  add_column (GTK_COLUMN_VIEW (view), "pool-title", TRUE);
  add_column (GTK_COLUMN_VIEW (view), "partner-name", TRUE);
  add_column (GTK_COLUMN_VIEW (view), "stage-on", FALSE);
  g_signal_connect_object (view, "activate", G_CALLBACK (on_stage_list_activate_cb), self, 0);

  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (shortcuts));

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (view);
  return GTK_WINDOW (window);
}
