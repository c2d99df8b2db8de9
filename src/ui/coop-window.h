/* coop-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-application.h"
#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_WINDOW (coop_window_get_type ())

G_DECLARE_FINAL_TYPE (CoopWindow, coop_window, COOP, WINDOW, AdwApplicationWindow)

CoopWindow *coop_window_new        (CoopApplication *application,
                                    CoopStore       *store);
void        coop_window_show_error (CoopWindow      *self,
                                    const char      *heading,
                                    const char      *body);

G_END_DECLS
