/* coop-import-dialog.h — import students from a CSV or XLSX file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_IMPORT_DIALOG (coop_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CoopImportDialog, coop_import_dialog, COOP, IMPORT_DIALOG, AdwWindow)

CoopImportDialog *coop_import_dialog_new (GtkWindow *parent,
                                          CoopStore *store);
void              coop_import_dialog_open_file (CoopImportDialog *self,
                                                GFile            *file);

G_END_DECLS
