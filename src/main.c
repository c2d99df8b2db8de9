/* main.c — the coopdesk executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coopdesk"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "coop-application.h"
#include "coop-cli.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(CoopApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Commands run without a display and never start GTK; any first
   * argument that is not an option names one. */
  if (argc > 1 && argv[1][0] != '-')
    return coop_cli_run (argc - 1, argv + 1);

  app = coop_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
