/* coop-year-page.c — the Year view: the yearly report, drawn and tabled
 *
 * A year chosen at the top (calendar or academic, as Preferences say), then
 * the school's figures against the year before, as a chart and a table,
 * then every department's, as a chart of its students and a table that
 * scrolls sideways in a narrow window.  The figures are CoopYearReport's,
 * the same as the Year sheet of the summary workbook.  The page follows
 * the store: a save anywhere refreshes it once the main loop is idle.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-year-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-department.h"
#include "coop-due.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-student.h"
#include "coop-year-page.h"

/* The earliest year offered, at most this many years back. */
#define MAX_YEARS 30

static const CoopReportCount charted[] = {
  COOP_REPORT_PARTNERS_ACTIVE, COOP_REPORT_AGREEMENTS_SIGNED, COOP_REPORT_PRACTICE_BASES,
  COOP_REPORT_INTERNSHIP_BASES, COOP_REPORT_EMPLOYMENT_BASES, COOP_REPORT_EVENTS,
  COOP_REPORT_RECOMMENDED, COOP_REPORT_INTERNING, COOP_REPORT_HIRED,
};

static const CoopReportCount students[] = {
  COOP_REPORT_RECOMMENDED, COOP_REPORT_INTERNING, COOP_REPORT_HIRED,
};

struct _CoopYearPage
{
  GtkWidget            parent_instance;

  CoopStore           *store;
  CoopYearKind         kind;
  int                  year;
  GArray              *years;         /* int, newest first, as the drop-down lists them */
  CoopYearReport      *report;
  guint                refresh_id;
  gboolean             filling;
  gboolean             stale;          /* changed while not shown */

  GtkWidget           *scrolled_window;
  GtkDropDown         *year_dropdown;
  GtkLabel            *range_label;
  GtkLabel            *status_label;
  AdwPreferencesGroup *school_group;
  AdwPreferencesGroup *departments_group;
  CoopChart           *school_chart;
  CoopChart           *departments_chart;
  GtkGrid             *school_grid;
  GtkGrid             *departments_grid;
};

G_DEFINE_FINAL_TYPE (CoopYearPage, coop_year_page, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ helpers */

/* The lists the report reads. */
#define N_REPORT_TYPES 6

static GType
report_type (guint i)
{
  switch (i)
    {
    case 0: return COOP_TYPE_DEPARTMENT;
    case 1: return COOP_TYPE_PARTNER;
    case 2: return COOP_TYPE_AGREEMENT;
    case 3: return COOP_TYPE_EVENT;
    case 4: return COOP_TYPE_STUDENT;
    case 5: return COOP_TYPE_CANDIDATE;
    default: return G_TYPE_INVALID;
    }
}

static gboolean
all_loaded (CoopYearPage *self)
{
  for (guint i = 0; i < N_REPORT_TYPES; i++)
    if (!coop_store_get_loaded (self->store, report_type (i)))
      return FALSE;
  return TRUE;
}

static int
today_year (CoopYearPage *self)
{
  g_autofree char *today = coop_due_today ();

  return coop_year_of_date (self->kind, today);
}

/* The first year any record has a date in, from the lists loaded. */
static int
earliest_year (CoopYearPage *self)
{
  struct { GType type; const char *(*date) (gpointer); } dated[] = {
    { COOP_TYPE_AGREEMENT, (const char *(*) (gpointer)) coop_agreement_get_signed_on },
    { COOP_TYPE_EVENT, (const char *(*) (gpointer)) coop_event_get_starts_at },
    { COOP_TYPE_CANDIDATE, (const char *(*) (gpointer)) coop_candidate_get_stage_on },
  };
  int latest = today_year (self), earliest = latest;

  for (guint i = 0; i < G_N_ELEMENTS (dated); i++)
    {
      GListModel *list = coop_store_get_list (self->store, dated[i].type);
      guint n = g_list_model_get_n_items (list);

      for (guint j = 0; j < n; j++)
        {
          g_autoptr(GObject) record = g_list_model_get_item (list, j);
          const char *date = dated[i].date (record);

          if (date != NULL && strlen (date) >= 7)
            earliest = MIN (earliest, coop_year_of_date (self->kind, date));
        }
    }

  return MAX (earliest, latest - MAX_YEARS + 1);
}

/* Offers every year from the first with a record to this one, newest
 * first.  The drop-down's model is replaced only when that range changes:
 * this runs when a year is chosen in it, too. */
static void
fill_years (CoopYearPage *self)
{
  int latest = today_year (self), earliest = earliest_year (self);
  guint selected;

  if (self->year == 0)
    self->year = latest;
  earliest = MIN (earliest, self->year);
  latest = MAX (latest, self->year);

  if (self->years->len == 0 || g_array_index (self->years, int, 0) != latest ||
      g_array_index (self->years, int, self->years->len - 1) != earliest)
    {
      g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

      g_array_set_size (self->years, 0);
      for (int year = latest; year >= earliest; year--)
        {
          g_autofree char *title = coop_year_dup_title (self->kind, year);

          g_array_append_val (self->years, year);
          gtk_string_list_append (titles, title);
        }
      self->filling = TRUE;
      gtk_drop_down_set_model (self->year_dropdown, G_LIST_MODEL (titles));
      self->filling = FALSE;
    }

  selected = (guint) (latest - self->year);
  if (gtk_drop_down_get_selected (self->year_dropdown) != selected)
    {
      self->filling = TRUE;
      gtk_drop_down_set_selected (self->year_dropdown, selected);
      self->filling = FALSE;
    }
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static void
attach_text (GtkGrid    *grid,
             const char *text,
             guint       column,
             guint       row,
             gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.f : 1.f);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_grid_attach (grid, label, (int) column, (int) row, 1, 1);
}

static void
attach_count (GtkGrid *grid,
              guint    value,
              guint    column,
              guint    row)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  attach_text (grid, text, column, row, FALSE);
}

static void
attach_change (GtkGrid *grid,
               int      change,
               guint    column,
               guint    row)
{
  /* A true minus sign, as a number is written. */
  g_autofree char *text = change > 0 ? g_strdup_printf ("+%d", change)
                          : change < 0 ? g_strdup_printf ("−%d", -change)
                          : g_strdup ("0");

  attach_text (grid, text, column, row, FALSE);
}

static void
attach_rate (GtkGrid *grid,
             double   rate,
             guint    column,
             guint    row)
{
  /* Rounded half up, as the workbook's 0% shows it. */
  g_autofree char *text = rate >= 0 ? g_strdup_printf ("%d%%", (int) floor (rate * 100 + 0.5))
                                    : g_strdup ("—");

  attach_text (grid, text, column, row, FALSE);
}

static void
fill_school (CoopYearPage *self,
             const char   *title,
             const char   *before)
{
  const CoopReportRow *school = coop_year_report_get_school (self->report);
  g_autofree char *against = g_strdup_printf (_("%s against %s"), title, before);
  const char *series[] = { title, before, NULL };
  const char *colors[] = { "#3584e4", "#99c1f1", NULL };
  const char *labels[G_N_ELEMENTS (charted) + 1] = { NULL };
  double values[G_N_ELEMENTS (charted) * 2];
  guint row = 0;

  adw_preferences_group_set_title (self->school_group, school->name);
  adw_preferences_group_set_description (self->school_group, against);

  for (guint i = 0; i < G_N_ELEMENTS (charted); i++)
    {
      labels[i] = coop_report_count_get_label (charted[i]);
      values[2 * i] = school->counts[0][charted[i]];
      values[2 * i + 1] = school->counts[1][charted[i]];
    }
  coop_chart_set_series (self->school_chart, series, colors);
  coop_chart_set_data (self->school_chart, labels, values);

  clear_grid (self->school_grid);
  attach_text (self->school_grid, _("Figure"), 0, row, TRUE);
  attach_text (self->school_grid, title, 1, row, TRUE);
  attach_text (self->school_grid, before, 2, row, TRUE);
  attach_text (self->school_grid, _("Change"), 3, row, TRUE);
  for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
    {
      row++;
      attach_text (self->school_grid, coop_report_count_get_label (c), 0, row, FALSE);
      attach_count (self->school_grid, school->counts[0][c], 1, row);
      attach_count (self->school_grid, school->counts[1][c], 2, row);
      attach_change (self->school_grid, coop_report_row_get_change (school, c), 3, row);
    }
  row++;
  attach_text (self->school_grid, _("Hiring rate"), 0, row, FALSE);
  attach_rate (self->school_grid, coop_report_row_get_hiring_rate (school, 0), 1, row);
  attach_rate (self->school_grid, coop_report_row_get_hiring_rate (school, 1), 2, row);
}

static void
fill_departments (CoopYearPage *self,
                  const char   *title)
{
  GPtrArray *rows = self->report->rows;
  guint n_departments = rows->len - 1;
  g_autofree const char **labels = g_new0 (const char *, n_departments + 1);
  g_autofree double *values = g_new0 (double, MAX (n_departments, 1) * G_N_ELEMENTS (students));
  g_autofree char *description = g_strdup_printf (_("Each department’s figures in %s"), title);
  const char *series[G_N_ELEMENTS (students) + 1] = { NULL };
  const char *colors[] = { "#3584e4", "#33d17a", "#e66100", NULL };

  adw_preferences_group_set_description (self->departments_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->departments_chart), n_departments > 0);

  for (guint j = 0; j < G_N_ELEMENTS (students); j++)
    series[j] = coop_report_count_get_label (students[j]);
  for (guint i = 0; i < n_departments; i++)
    {
      const CoopReportRow *row = g_ptr_array_index (rows, i);

      labels[i] = row->name;
      for (guint j = 0; j < G_N_ELEMENTS (students); j++)
        values[i * G_N_ELEMENTS (students) + j] = row->counts[0][students[j]];
    }
  coop_chart_set_series (self->departments_chart, series, colors);
  coop_chart_set_data (self->departments_chart, labels, values);

  clear_grid (self->departments_grid);
  attach_text (self->departments_grid, _("Department"), 0, 0, TRUE);
  for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
    attach_text (self->departments_grid, coop_report_count_get_label (c), 1 + c, 0, TRUE);
  attach_text (self->departments_grid, _("Hiring rate"), 1 + COOP_REPORT_N_COUNTS, 0, TRUE);

  for (guint i = 0; i < rows->len; i++)
    {
      const CoopReportRow *row = g_ptr_array_index (rows, i);

      attach_text (self->departments_grid, row->name, 0, 1 + i, i + 1 == rows->len);
      for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
        attach_count (self->departments_grid, row->counts[0][c], 1 + c, 1 + i);
      attach_rate (self->departments_grid, coop_report_row_get_hiring_rate (row, 0),
                   1 + COOP_REPORT_N_COUNTS, 1 + i);
    }
}

/* ------------------------------------------------------------------ callbacks */

static void
on_year_selected_cb (CoopYearPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->year_dropdown);

  if (self->filling || selected >= self->years->len)
    return;
  coop_year_page_set_year (self, g_array_index (self->years, int, selected));
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CoopYearPage *self = user_data;

  self->refresh_id = 0;
  coop_year_page_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Counting reads every candidate's history: only for a page in view. */
static void
on_list_items_changed_cb (CoopYearPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_LOW, refresh_idle_cb, self, NULL);
}

/* ------------------------------------------------------------------ GtkWidget */

static void
coop_year_page_map (GtkWidget *widget)
{
  CoopYearPage *self = COOP_YEAR_PAGE (widget);

  GTK_WIDGET_CLASS (coop_year_page_parent_class)->map (widget);
  if (self->stale)
    coop_year_page_refresh (self);
}

/* ------------------------------------------------------------------ GObject */

static void
coop_year_page_dispose (GObject *object)
{
  CoopYearPage *self = COOP_YEAR_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->scrolled_window, gtk_widget_unparent);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_year_page_parent_class)->dispose (object);
}

static void
coop_year_page_finalize (GObject *object)
{
  CoopYearPage *self = COOP_YEAR_PAGE (object);

  g_clear_pointer (&self->report, coop_year_report_free);
  g_array_unref (self->years);

  G_OBJECT_CLASS (coop_year_page_parent_class)->finalize (object);
}

static void
coop_year_page_class_init (CoopYearPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_year_page_dispose;
  object_class->finalize = coop_year_page_finalize;
  widget_class->map = coop_year_page_map;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkGrid *
new_grid (void)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());

  gtk_grid_set_column_spacing (grid, 18);
  gtk_grid_set_row_spacing (grid, 6);
  gtk_widget_set_margin_top (GTK_WIDGET (grid), 12);
  return grid;
}

static void
coop_year_page_init (CoopYearPage *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *wide = gtk_scrolled_window_new ();

  self->years = g_array_new (FALSE, FALSE, sizeof (int));

  self->scrolled_window = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled_window),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scrolled_window, GTK_WIDGET (self));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 960);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled_window), clamp);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  self->year_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->year_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Year"), -1);
  g_signal_connect_object (self->year_dropdown, "notify::selected",
                           G_CALLBACK (on_year_selected_cb), self, G_CONNECT_SWAPPED);
  self->range_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->range_label, 0);
  gtk_label_set_wrap (self->range_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->range_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->range_label), "dim-label");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->year_dropdown));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->range_label));
  gtk_box_append (GTK_BOX (box), header);

  self->status_label = GTK_LABEL (gtk_label_new (_("Loading…")));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_label));

  self->school_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  self->school_chart = coop_chart_new (_("The school’s figures against the year before"));
  self->school_grid = new_grid ();
  adw_preferences_group_add (self->school_group, GTK_WIDGET (self->school_chart));
  adw_preferences_group_add (self->school_group, GTK_WIDGET (self->school_grid));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->school_group));

  self->departments_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->departments_group, _("By Department"));
  self->departments_chart = coop_chart_new (_("Students recommended, interning and hired by "
                                              "department"));
  self->departments_grid = new_grid ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (wide), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (wide), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (wide), GTK_WIDGET (self->departments_grid));
  adw_preferences_group_add (self->departments_group, GTK_WIDGET (self->departments_chart));
  adw_preferences_group_add (self->departments_group, wide);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->departments_group));
}

/* ------------------------------------------------------------------ public */

/**
 * coop_year_page_new:
 * @store: the ledger
 *
 * Returns: (transfer floating): the page, showing this year
 */
CoopYearPage *
coop_year_page_new (CoopStore *store)
{
  CoopYearPage *self;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);

  self = g_object_new (COOP_TYPE_YEAR_PAGE, NULL);
  self->store = g_object_ref (store);
  for (guint i = 0; i < N_REPORT_TYPES; i++)
    g_signal_connect_object (coop_store_get_list (store, report_type (i)), "items-changed",
                             G_CALLBACK (on_list_items_changed_cb), self, G_CONNECT_SWAPPED);
  self->stale = TRUE;
  return self;
}

/**
 * coop_year_page_set_kind:
 *
 * Counts calendar or academic years from now on; the year shown becomes
 * the one of that kind today falls in.  A page out of view counts when it
 * is shown next.
 */
void
coop_year_page_set_kind (CoopYearPage *self,
                         CoopYearKind  kind)
{
  g_return_if_fail (COOP_IS_YEAR_PAGE (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  self->year = 0;
  g_array_set_size (self->years, 0);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    coop_year_page_refresh (self);
  else
    self->stale = TRUE;
}

void
coop_year_page_set_year (CoopYearPage *self,
                         int           year)
{
  g_return_if_fail (COOP_IS_YEAR_PAGE (self));

  if (self->year == year)
    return;
  self->year = year;
  coop_year_page_refresh (self);
}

int
coop_year_page_get_year (CoopYearPage *self)
{
  g_return_val_if_fail (COOP_IS_YEAR_PAGE (self), 0);

  return self->year;
}

/**
 * coop_year_page_refresh:
 *
 * Counts the year again.  Until every list it reads has loaded, the page
 * says it is loading.
 */
void
coop_year_page_refresh (CoopYearPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *before = NULL;
  g_autofree char *range = NULL;
  CoopYearReport *report;
  gboolean loaded;

  g_return_if_fail (COOP_IS_YEAR_PAGE (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->stale = FALSE;
  loaded = all_loaded (self);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), !loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->school_group), loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->departments_group), loaded);
  if (!loaded)
    return;

  fill_years (self);
  report = coop_year_report_new (self->store, self->kind, self->year, NULL, &error);
  if (report == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->school_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->departments_group), FALSE);
      return;
    }
  g_clear_pointer (&self->report, coop_year_report_free);
  self->report = report;

  title = coop_year_dup_title (self->kind, self->year);
  before = coop_year_dup_title (self->kind, self->year - 1);
  range = g_strdup_printf (_("From %s to %s"), report->from, report->to);
  gtk_label_set_text (self->range_label, range);
  fill_school (self, title, before);
  fill_departments (self, title);
}

/**
 * coop_year_page_get_report:
 *
 * Returns: (transfer none) (nullable): what the page shows, %NULL while
 *   the lists load
 */
const CoopYearReport *
coop_year_page_get_report (CoopYearPage *self)
{
  g_return_val_if_fail (COOP_IS_YEAR_PAGE (self), NULL);

  return self->report;
}

/**
 * coop_year_page_get_text:
 * @row: 0 for the header row
 *
 * Returns: (nullable): the text shown in a cell of one of the tables
 */
const char *
coop_year_page_get_text (CoopYearPage  *self,
                         CoopYearTable  table,
                         guint          row,
                         guint          column)
{
  GtkGrid *grid;
  GtkWidget *child;

  g_return_val_if_fail (COOP_IS_YEAR_PAGE (self), NULL);

  grid = table == COOP_YEAR_TABLE_SCHOOL ? self->school_grid : self->departments_grid;
  child = gtk_grid_get_child_at (grid, (int) column, (int) row);
  return GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child)) : NULL;
}

/**
 * coop_year_page_get_chart:
 *
 * Returns: (transfer none): the chart above @table
 */
CoopChart *
coop_year_page_get_chart (CoopYearPage  *self,
                          CoopYearTable  table)
{
  g_return_val_if_fail (COOP_IS_YEAR_PAGE (self), NULL);

  return table == COOP_YEAR_TABLE_SCHOOL ? self->school_chart : self->departments_chart;
}

/**
 * coop_year_page_get_settings_kind:
 * @settings: Coopdesk's settings
 *
 * Returns: how Preferences say years are counted
 */
CoopYearKind
coop_year_page_get_settings_kind (GSettings *settings)
{
  g_autofree char *kind = g_settings_get_string (settings, "year-kind");

  return g_strcmp0 (kind, "academic") == 0 ? COOP_YEAR_ACADEMIC : COOP_YEAR_CALENDAR;
}
