/* coop-overview.h — what needs attention: expiring agreements, events, candidates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-chart.h"
#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_OVERVIEW (coop_overview_get_type ())

G_DECLARE_FINAL_TYPE (CoopOverview, coop_overview, COOP, OVERVIEW, GtkWidget)

CoopOverview *coop_overview_new             (CoopStore    *store);
void          coop_overview_set_expiry_days (CoopOverview *self,
                                             guint         days);
void          coop_overview_refresh         (CoopOverview *self);
guint         coop_overview_get_stage_count (CoopOverview *self,
                                             int           stage);
guint         coop_overview_get_n_due       (CoopOverview *self);
GPtrArray    *coop_overview_get_due         (CoopOverview *self);
guint         coop_overview_get_n_expiring  (CoopOverview *self);
guint         coop_overview_get_n_overdue   (CoopOverview *self);
GtkWindow    *coop_overview_show_stage      (CoopOverview *self,
                                             int           stage);
CoopChart    *coop_overview_get_stage_chart (CoopOverview *self);

G_END_DECLS
