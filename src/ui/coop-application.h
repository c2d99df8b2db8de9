/* coop-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COOP_TYPE_APPLICATION (coop_application_get_type ())

G_DECLARE_FINAL_TYPE (CoopApplication, coop_application, COOP, APPLICATION, AdwApplication)

CoopApplication *coop_application_new           (void);
void             coop_application_open_database (CoopApplication *self,
                                                 const char      *path);
void             coop_application_connect       (CoopApplication *self,
                                                 const char      *uri,
                                                 const char      *password,
                                                 gboolean         remember);

G_END_DECLS
