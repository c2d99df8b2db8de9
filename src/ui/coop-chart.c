/* coop-chart.c — a bar chart of a few figures, drawn with GtkSnapshot
 *
 * One row per category, its name on the left and a horizontal bar for each
 * series (this year and the year before, or the students recommended,
 * interning and hired), with the value at the bar's end; a legend above
 * names the series when there is more than one.  Horizontal bars leave
 * room for long names, Chinese or not, and stay readable in a narrow
 * window.  A screen reader reads the chart as an image whose description
 * lists every value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-chart.h"

#define BAR_HEIGHT   12
#define BAR_GAP      2
#define ROW_GAP      10
#define LABEL_GAP    12
#define LEGEND_SWATCH 10

struct _CoopChart
{
  GtkWidget   parent_instance;

  char       *title;
  GStrv       series;       /* names */
  GArray     *colors;       /* GdkRGBA per series */
  GStrv       categories;
  double     *values;       /* category after category, a value per series */
  char       *description;
};

G_DEFINE_FINAL_TYPE (CoopChart, coop_chart, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ helpers */

static guint
n_series (CoopChart *self)
{
  return self->series != NULL ? g_strv_length (self->series) : 1;
}

static char *
format_value (double value)
{
  return g_strdup_printf ("%.0f", value);
}

/* "Students hired: 3 (2023), 1 (2022); …", or "Recommended: 3; …". */
static void
update_description (CoopChart *self)
{
  GString *text = g_string_new (NULL);
  guint n = n_series (self);

  for (guint c = 0; self->categories != NULL && self->categories[c] != NULL; c++)
    {
      GString *values = g_string_new (NULL);

      for (guint s = 0; s < n; s++)
        {
          g_autofree char *value = format_value (self->values[c * n + s]);

          if (s > 0)
            g_string_append (values, _(", "));
          if (n > 1)
            /* Translators: a value in a chart's description and the series it
             * belongs to, "3 (2023)" */
            g_string_append_printf (values, _("%s (%s)"), value, self->series[s]);
          else
            g_string_append (values, value);
        }

      if (c > 0)
        g_string_append (text, _("; "));
      /* Translators: a category of a chart and its values, "Students hired: 3" */
      g_string_append_printf (text, _("%s: %s"), self->categories[c], values->str);
      g_string_free (values, TRUE);
    }

  g_free (self->description);
  self->description = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static int
row_height (CoopChart *self)
{
  guint n = n_series (self);

  return (int) (n * BAR_HEIGHT + (n - 1) * BAR_GAP + ROW_GAP);
}

static int
text_height (CoopChart *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static int
legend_height (CoopChart *self)
{
  return n_series (self) > 1 ? text_height (self) + ROW_GAP : 0;
}

static GdkRGBA
text_color (CoopChart *self)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return color;
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             float          x,
             float          y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* ------------------------------------------------------------------ GtkWidget */

static GtkSizeRequestMode
coop_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
coop_chart_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  CoopChart *self = COOP_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      guint n = self->categories != NULL ? g_strv_length (self->categories) : 0;

      *minimum = *natural = legend_height (self) + (int) n * row_height (self);
    }
}

static void
coop_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  CoopChart *self = COOP_CHART (widget);
  int width = gtk_widget_get_width (widget);
  guint n = n_series (self);
  guint n_categories = self->categories != NULL ? g_strv_length (self->categories) : 0;
  GdkRGBA color = text_color (self);
  int label_width = 0, value_width = 0, line = text_height (self);
  double largest = 0;
  float x0, y, span;

  if (n_categories == 0)
    return;

  for (guint c = 0; c < n_categories; c++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget,
                                                                      self->categories[c]);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      label_width = MAX (label_width, w);
      for (guint s = 0; s < n; s++)
        largest = MAX (largest, self->values[c * n + s]);
    }
  label_width = MIN (label_width, width * 2 / 5);
  {
    g_autofree char *text = format_value (largest);
    g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

    pango_layout_get_pixel_size (layout, &value_width, NULL);
  }

  /* The legend, a swatch and a name per series. */
  y = 0;
  if (n > 1)
    {
      float x = 0;

      for (guint s = 0; s < n; s++)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget,
                                                                          self->series[s]);
          int w;

          gtk_snapshot_append_color (snapshot, &g_array_index (self->colors, GdkRGBA, s),
                                     &GRAPHENE_RECT_INIT (x, (line - LEGEND_SWATCH) / 2.f,
                                                          LEGEND_SWATCH, LEGEND_SWATCH));
          append_text (snapshot, layout, x + LEGEND_SWATCH + 4, 0, &color);
          pango_layout_get_pixel_size (layout, &w, NULL);
          x += LEGEND_SWATCH + 4 + w + 2 * LABEL_GAP;
        }
      y = (float) legend_height (self);
    }

  x0 = (float) (label_width + LABEL_GAP);
  span = MAX (0.f, (float) width - x0 - value_width - 6);

  for (guint c = 0; c < n_categories; c++)
    {
      g_autoptr(PangoLayout) label = gtk_widget_create_pango_layout (widget, self->categories[c]);
      float bars = (float) (n * BAR_HEIGHT + (n - 1) * BAR_GAP);

      pango_layout_set_width (label, label_width * PANGO_SCALE);
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      append_text (snapshot, label, 0, y + (bars - line) / 2.f, &color);

      for (guint s = 0; s < n; s++)
        {
          double value = self->values[c * n + s];
          float length = largest > 0 ? (float) (value / largest) * span : 0;
          float top = y + s * (BAR_HEIGHT + BAR_GAP);
          g_autofree char *text = format_value (value);
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

          /* A value of 0 still shows where its bar would start. */
          gtk_snapshot_append_color (snapshot, &g_array_index (self->colors, GdkRGBA, s),
                                     &GRAPHENE_RECT_INIT (x0, top, MAX (length, 1.f),
                                                          BAR_HEIGHT));
          append_text (snapshot, layout, x0 + MAX (length, 1.f) + 4,
                       top + (BAR_HEIGHT - line) / 2.f, &color);
        }
      y += (float) row_height (self);
    }
}

/* ------------------------------------------------------------------ GObject */

static void
coop_chart_finalize (GObject *object)
{
  CoopChart *self = COOP_CHART (object);

  g_free (self->title);
  g_strfreev (self->series);
  g_array_unref (self->colors);
  g_strfreev (self->categories);
  g_free (self->values);
  g_free (self->description);

  G_OBJECT_CLASS (coop_chart_parent_class)->finalize (object);
}

static void
coop_chart_class_init (CoopChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = coop_chart_finalize;
  widget_class->get_request_mode = coop_chart_get_request_mode;
  widget_class->measure = coop_chart_measure;
  widget_class->snapshot = coop_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "coopchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
coop_chart_init (CoopChart *self)
{
  GdkRGBA blue;

  self->colors = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
  gdk_rgba_parse (&blue, "#3584e4");
  g_array_append_val (self->colors, blue);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_chart_new:
 * @title: what it shows, for a screen reader
 */
CoopChart *
coop_chart_new (const char *title)
{
  CoopChart *self = g_object_new (COOP_TYPE_CHART, NULL);

  self->title = g_strdup (title);
  update_description (self);
  return self;
}

/**
 * coop_chart_set_series:
 * @names: (array zero-terminated=1): a name per series
 * @colors: (array zero-terminated=1): a colour per series, "#3584e4"
 *
 * Call before coop_chart_set_data(): the values follow the series.
 */
void
coop_chart_set_series (CoopChart          *self,
                       const char * const *names,
                       const char * const *colors)
{
  g_return_if_fail (COOP_IS_CHART (self));
  g_return_if_fail (g_strv_length ((GStrv) names) == g_strv_length ((GStrv) colors));
  g_return_if_fail (names[0] != NULL);

  g_strfreev (self->series);
  self->series = g_strdupv ((GStrv) names);
  g_array_set_size (self->colors, 0);
  for (guint i = 0; colors[i] != NULL; i++)
    {
      GdkRGBA color;

      if (!gdk_rgba_parse (&color, colors[i]))
        g_critical ("“%s” is not a colour", colors[i]);
      g_array_append_val (self->colors, color);
    }

  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * coop_chart_set_data:
 * @categories: (array zero-terminated=1): the rows
 * @values: a value per series for each category, category after category
 */
void
coop_chart_set_data (CoopChart          *self,
                     const char * const *categories,
                     const double       *values)
{
  guint n;

  g_return_if_fail (COOP_IS_CHART (self));

  n = g_strv_length ((GStrv) categories) * n_series (self);
  g_strfreev (self->categories);
  self->categories = g_strdupv ((GStrv) categories);
  g_free (self->values);
  self->values = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
coop_chart_get_n_categories (CoopChart *self)
{
  g_return_val_if_fail (COOP_IS_CHART (self), 0);

  return self->categories != NULL ? g_strv_length (self->categories) : 0;
}

/**
 * coop_chart_get_value:
 *
 * Returns: the value drawn for @series of @category
 */
double
coop_chart_get_value (CoopChart *self,
                      guint      category,
                      guint      series)
{
  g_return_val_if_fail (COOP_IS_CHART (self), 0);
  g_return_val_if_fail (category < coop_chart_get_n_categories (self), 0);
  g_return_val_if_fail (series < n_series (self), 0);

  return self->values[category * n_series (self) + series];
}

/**
 * coop_chart_get_description:
 *
 * Returns: what a screen reader reads of it: every category and value
 */
const char *
coop_chart_get_description (CoopChart *self)
{
  g_return_val_if_fail (COOP_IS_CHART (self), NULL);

  return self->description;
}
