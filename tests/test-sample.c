/* test-sample.c — the demo database tells its story
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-attachment.h"
#include "coop-candidate.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-sample.h"
#include "coop-store.h"

static void
test_demo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-sample-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) agreements = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GListModel) candidates = NULL;
  g_autoptr(CoopPartner) qili = NULL;
  g_autoptr(CoopEvent) meeting = NULL;
  g_autofree char *report = NULL;
  CoopStoreCounts counts;
  guint stages[9] = { 0 };

  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_sample_fill (store, COOP_SAMPLE_DEMO, &error));
  g_assert_no_error (error);

  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_cmpint (counts.departments, ==, 4);
  g_assert_cmpint (counts.partners, ==, 6);
  g_assert_cmpint (counts.contacts, ==, 7);
  g_assert_cmpint (counts.agreements, ==, 5);
  g_assert_cmpint (counts.events, ==, 5);
  g_assert_cmpint (counts.attendees, ==, 7);
  g_assert_cmpint (counts.students, ==, 16);
  g_assert_cmpint (counts.pools, ==, 2);
  g_assert_cmpint (counts.candidates, ==, 11);
  g_assert_cmpint (counts.attachments, ==, 3);

  /* Two signed agreements have their contract scanned in, two do not yet,
   * and the one in negotiation needs none; each file is a PDF of a page. */
  {
    static const CoopContractState expected[] = {
      COOP_CONTRACT_STATE_ATTACHED, COOP_CONTRACT_STATE_MISSING, COOP_CONTRACT_STATE_ATTACHED,
      COOP_CONTRACT_STATE_MISSING, COOP_CONTRACT_STATE_NOT_SIGNED,
    };

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_autoptr(CoopRecord) agreement = coop_store_read (store, COOP_TYPE_AGREEMENT, i + 1, &error);

        g_assert_no_error (error);
        g_assert_cmpint (coop_agreement_get_contract (COOP_AGREEMENT (agreement)), ==, expected[i]);
      }
    for (gint64 id = 1; id <= 3; id++)
      {
        g_autoptr(CoopRecord) attachment = coop_store_read (store, COOP_TYPE_ATTACHMENT, id, &error);
        g_autoptr(GBytes) content = coop_store_read_attachment (store, COOP_ATTACHMENT (attachment),
                                                                &error);
        gsize size;
        const char *data = g_bytes_get_data (content, &size);

        g_assert_no_error (error);
        g_assert_cmpstr (coop_attachment_get_content_type (COOP_ATTACHMENT (attachment)), ==,
                         "application/pdf");
        g_assert_true (size > 400 && memcmp (data, "%PDF-1.4\n", 9) == 0);
        g_assert_nonnull (g_strstr_len (data, (gssize) size, "startxref"));
      }
  }

  /* The company of the story, its agreement and its meeting */
  qili = COOP_PARTNER (coop_store_read (store, COOP_TYPE_PARTNER, 1, &error));
  g_assert_cmpstr (coop_partner_get_name (qili), ==, "上海奇利影视科技有限公司");
  agreements = coop_store_list_related (store, COOP_TYPE_AGREEMENT, "partner-id", 1, &error);
  g_assert_cmpuint (g_list_model_get_n_items (agreements), ==, 1);
  {
    g_autoptr(CoopAgreement) base = g_list_model_get_item (agreements, 0);
    g_assert_cmpint (coop_agreement_get_kind (base), ==, COOP_AGREEMENT_KIND_PRACTICE_BASE);
    g_assert_cmpint (coop_agreement_get_status (base), ==, COOP_AGREEMENT_STATUS_ACTIVE);
    g_assert_cmpstr (coop_agreement_get_signed_on (base), ==, "2023-05-19");
  }

  events = coop_store_list_related (store, COOP_TYPE_EVENT, "partner-id", 1, &error);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 1);
  meeting = g_list_model_get_item (events, 0);
  g_assert_cmpint (coop_event_get_kind (meeting), ==, COOP_EVENT_KIND_RECOMMENDATION_MEETING);
  g_assert_cmpstr (coop_event_get_starts_at (meeting), ==, "2023-05-19 14:00");
  g_assert_cmpstr (coop_event_get_chair (meeting), ==, "陈志华");
  g_assert_cmpuint (g_list_model_get_n_items (coop_event_get_attendees (meeting)), ==, 7);

  /* Its pool holds students at several stages */
  candidates = coop_store_list_related (store, COOP_TYPE_CANDIDATE, "pool-id", 1, &error);
  g_assert_cmpuint (g_list_model_get_n_items (candidates), ==, 8);
  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (candidates, i);
      stages[coop_candidate_get_stage (candidate)]++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    g_assert_cmpuint (stages[i], <=, 1);

  /* Only into an empty database */
  g_assert_false (coop_sample_fill (store, COOP_SAMPLE_DEMO, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (coop_store_check_integrity (store, &report, &error));

  g_clear_object (&store);
  g_remove (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sample/demo", test_demo);

  return g_test_run ();
}
