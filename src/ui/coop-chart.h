/* coop-chart.h — a bar chart of a few figures, drawn with GtkSnapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define COOP_TYPE_CHART (coop_chart_get_type ())

G_DECLARE_FINAL_TYPE (CoopChart, coop_chart, COOP, CHART, GtkWidget)

CoopChart  *coop_chart_new             (const char         *title);
void        coop_chart_set_series      (CoopChart          *self,
                                        const char * const *names,
                                        const char * const *colors);
void        coop_chart_set_data        (CoopChart          *self,
                                        const char * const *categories,
                                        const double       *values);
guint       coop_chart_get_n_categories (CoopChart         *self);
double      coop_chart_get_value       (CoopChart          *self,
                                        guint               category,
                                        guint               series);
const char *coop_chart_get_description (CoopChart          *self);

G_END_DECLS
