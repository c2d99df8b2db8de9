/* crash-child.c — makes edits until it is killed, for test-crash
 *
 * crash-child DATABASE FIRST-SEQUENCE SEED
 *
 * "R" is written once the store is open.  Each transaction has a sequence
 * number; once coop_store_save() or
 * coop_store_commit() has returned, the number is written to stdout as one
 * line: "P <seq>" for a new partner "P<seq>", "I <seq>" for an import of
 * BATCH students numbered <seq>00..<seq>NN in one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "crash-child"

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "coop-partner.h"
#include "coop-store.h"
#include "coop-student.h"

#define BATCH 20

static void
report (char    kind,
        gint64  seq)
{
  char line[64];
  int length = g_snprintf (line, sizeof line, "%c %" G_GINT64_FORMAT "\n", kind, seq);

  /* One write(2) of a short line is atomic, so the parent never reads half. */
  if (write (STDOUT_FILENO, line, (size_t) length) != length)
    _exit (3);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(GRand) rand = NULL;
  gint64 seq;

  if (argc != 4)
    return 2;

  seq = g_ascii_strtoll (argv[2], NULL, 10);
  rand = g_rand_new_with_seed ((guint32) g_ascii_strtoull (argv[3], NULL, 10));

  store = coop_store_open (argv[1], COOP_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_printerr ("crash-child: %s\n", error->message);
      return 1;
    }

  /* Open, migrated and holding the lock. */
  if (write (STDOUT_FILENO, "R\n", 2) != 2)
    _exit (3);

  for (;; seq++)
    {
      if (g_rand_int_range (rand, 0, 3) == 0)
        {
          if (!coop_store_begin (store, &error))
            break;
          for (int i = 0; i < BATCH; i++)
            {
              g_autoptr(CoopStudent) student = coop_student_new ();
              g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT "%02d", seq, i);

              coop_student_set_number (student, number);
              coop_student_set_name (student, "Crash Test");
              coop_student_set_graduation_year (student, 2030);
              if (!coop_store_save (store, COOP_RECORD (student), &error))
                break;
            }
          if (error != NULL || !coop_store_commit (store, &error))
            break;
          report ('I', seq);
        }
      else
        {
          g_autoptr(CoopPartner) partner = coop_partner_new ();
          g_autofree char *name = g_strdup_printf ("P%" G_GINT64_FORMAT, seq);

          coop_partner_set_name (partner, name);
          if (!coop_store_save (store, COOP_RECORD (partner), &error))
            break;
          report ('P', seq);
        }
    }

  g_printerr ("crash-child: %s\n", error->message);
  return 1;
}
