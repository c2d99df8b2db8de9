/* coop-print.h — printed sheets through GtkPrintOperation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-store.h"

G_BEGIN_DECLS

gboolean           coop_print_can_print        (CoopRecord       *record);
GtkPrintOperation *coop_print_operation_new    (CoopStore        *store,
                                                CoopRecord       *record,
                                                GError          **error);
void               coop_print_run              (GtkWindow        *parent,
                                                CoopStore        *store,
                                                CoopRecord       *record,
                                                AdwToastOverlay  *toasts,
                                                const char       *pdf_path);
gboolean           coop_print_to_pdf           (CoopStore        *store,
                                                CoopRecord       *record,
                                                const char       *path,
                                                GError          **error);
void               coop_print_forget_settings  (void);

G_END_DECLS
