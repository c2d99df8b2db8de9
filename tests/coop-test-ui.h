/* coop-test-ui.h — what the tests that drive real widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*CoopTestMatch) (GtkWidget     *widget,
                                   gconstpointer  data);

void       coop_test_drain         (void);
void       coop_test_wait_ms       (guint          ms);
void       coop_test_wait_for      (GSourceFunc    condition,
                                    gpointer       data);
GtkWidget *coop_test_find          (GtkWidget     *root,
                                    CoopTestMatch  match,
                                    gconstpointer  data);
GtkWidget *coop_test_find_type     (GtkWidget     *root,
                                    GType          type);
GtkWindow *coop_test_find_toplevel (GType          type);
void       coop_test_close_toplevels (void);
gboolean   coop_test_window_active (gpointer      window);

G_END_DECLS
