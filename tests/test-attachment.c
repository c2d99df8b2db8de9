/* test-attachment.c — files kept with agreements and events
 *
 * Runs on a file, and with COOP_TEST_POSTGRESQL (see meson.build) on a
 * database of a throwaway server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

#include "coop-test-util.h"
#include "coop-agreement.h"
#include "coop-attachment.h"
#include "coop-backup.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-store.h"

typedef struct {
  char          *dir;
  char          *path;
  CoopStore     *store;
  CoopAgreement *agreement;
  CoopEvent     *event;
} Fixture;

static gboolean
on_server (void)
{
  return g_getenv ("COOP_TEST_POSTGRESQL") != NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();

  f->dir = g_dir_make_tmp ("coop-attachment-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = on_server () ? coop_test_new_server_database ("attachment")
                         : g_build_filename (f->dir, "coopdesk.db", NULL);
  f->store = coop_store_open (f->path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_load_all (f->store, NULL, &error));
  g_assert_no_error (error);

  coop_partner_set_name (partner, "上海奇利影视科技有限公司");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);

  f->agreement = coop_agreement_new ();
  coop_agreement_set_partner_id (f->agreement, coop_record_get_id (COOP_RECORD (partner)));
  coop_agreement_set_title (f->agreement, "实践基地协议");
  coop_agreement_set_status (f->agreement, COOP_AGREEMENT_STATUS_ACTIVE);
  g_assert_true (coop_store_save (f->store, COOP_RECORD (f->agreement), &error));
  g_assert_no_error (error);

  f->event = coop_event_new ();
  coop_event_set_title (f->event, "企业宣讲会");
  coop_event_set_starts_at (f->event, "2026-11-20 14:00");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (f->event), &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->agreement);
  g_clear_object (&f->event);
  g_clear_object (&f->store);
  coop_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* ------------------------------------------------------------------ helpers */

typedef struct {
  guint position, removed, added;
} Change;

static void
on_items_changed_cb (GListModel *list,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GArray     *changes)
{
  Change change = { position, removed, added };
  g_array_append_val (changes, change);
}

static GArray *
watch (CoopStore *store,
       GType      type)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect (coop_store_get_list (store, type), "items-changed",
                    G_CALLBACK (on_items_changed_cb), changes);
  return changes;
}

static void
unwatch (CoopStore *store,
         GType      type,
         GArray    *changes)
{
  g_signal_handlers_disconnect_by_data (coop_store_get_list (store, type), changes);
  g_array_unref (changes);
}

#define assert_changes(changes, p, r, a) G_STMT_START {                     \
    g_assert_cmpuint ((changes)->len, ==, 1);                               \
    g_assert_cmpuint (g_array_index ((changes), Change, 0).position, ==, (p)); \
    g_assert_cmpuint (g_array_index ((changes), Change, 0).removed, ==, (r));  \
    g_assert_cmpuint (g_array_index ((changes), Change, 0).added, ==, (a));    \
    g_array_set_size ((changes), 0);                                        \
  } G_STMT_END

/* A PDF's first bytes, then @size bytes in all of a pattern that no two
 * pieces of a read share. */
static GBytes *
make_content (gsize size)
{
  guint8 *data = g_malloc (size);
  static const char header[] = "%PDF-1.4\n";

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) ((i * 7919 + i / 65536) & 0xff);
  memcpy (data, header, MIN (size, sizeof header - 1));
  return g_bytes_new_take (data, size);
}

static CoopAttachment *
attach (Fixture            *f,
        CoopRecord         *owner,
        const char         *name,
        CoopAttachmentKind  kind,
        GBytes             *content)
{
  g_autoptr(CoopAttachment) attachment = coop_attachment_new ();
  g_autoptr(GError) error = NULL;

  coop_attachment_set_owner (attachment, owner);
  coop_attachment_set_name (attachment, name);
  coop_attachment_set_kind (attachment, kind);
  g_assert_true (coop_store_attach (f->store, attachment, content, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&attachment);
}

static CoopContractState
contract_of (Fixture *f)
{
  CoopRecord *listed = coop_store_find (f->store, COOP_TYPE_AGREEMENT,
                                        coop_record_get_id (COOP_RECORD (f->agreement)));

  g_assert_nonnull (listed);
  return coop_agreement_get_contract (COOP_AGREEMENT (listed));
}

static void
assert_content (CoopStore      *store,
                CoopAttachment *attachment,
                GBytes         *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) read = coop_store_read_attachment (store, attachment, &error);

  g_assert_no_error (error);
  g_assert_nonnull (read);
  g_assert_true (g_bytes_equal (read, expected));
}

/* Changes what the database holds for an attachment behind the store's
 * back: @sql is run as it is, on the file or the server. */
static void
run_behind (Fixture    *f,
            const char *sql)
{
  if (on_server ())
    {
      PGconn *conn = PQconnectdb (f->path);
      PGresult *result;

      g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
      result = PQexec (conn, sql);
      g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
}

/* A contract of the agreement, a sign-in sheet and a photo of the event,
 * all holding @content. */
static void
attach_three (Fixture         *f,
              GBytes          *content,
              CoopAttachment **contract,
              CoopAttachment **sheet,
              CoopAttachment **photo)
{
  *contract = attach (f, COOP_RECORD (f->agreement), "合同.pdf", COOP_ATTACHMENT_KIND_CONTRACT,
                      content);
  *sheet = attach (f, COOP_RECORD (f->event), "签到表.pdf", COOP_ATTACHMENT_KIND_SIGN_IN_SHEET,
                   content);
  *photo = attach (f, COOP_RECORD (f->event), "照片.jpg", COOP_ATTACHMENT_KIND_PHOTO, content);
}

/* Gives @bad two bytes that are not its file, and takes @gone's away. */
static void
damage (Fixture        *f,
        CoopAttachment *bad,
        CoopAttachment *gone)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE attachment SET data = %s WHERE id = %"
                                          G_GINT64_FORMAT ";"
                                          "UPDATE attachment SET data = NULL WHERE id = %"
                                          G_GINT64_FORMAT,
                                          on_server () ? "'\\x2550'::bytea" : "X'2550'",
                                          coop_record_get_id (COOP_RECORD (bad)),
                                          coop_record_get_id (COOP_RECORD (gone)));
  run_behind (f, sql);
}

/* ------------------------------------------------------------------ tests */

static void
test_attach (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (3 * 1024 * 1024 + 17);
  g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_autoptr(GArray) files = NULL;
  g_autoptr(GArray) agreements = NULL;
  g_autoptr(CoopAttachment) attachment = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) written = NULL;
  const CoopChangeEntry *entry;
  CoopStoreCounts counts;

  /* Active, with no contract: the list shows it missing. */
  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_MISSING);

  files = watch (f->store, COOP_TYPE_ATTACHMENT);
  agreements = watch (f->store, COOP_TYPE_AGREEMENT);
  attachment = attach (f, COOP_RECORD (f->agreement), "合同扫描件.pdf",
                       COOP_ATTACHMENT_KIND_CONTRACT, content);
  assert_changes (files, 0, 0, 1);
  assert_changes (agreements, 0, 1, 1);
  unwatch (f->store, COOP_TYPE_ATTACHMENT, g_steal_pointer (&files));
  unwatch (f->store, COOP_TYPE_AGREEMENT, g_steal_pointer (&agreements));

  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_ATTACHED);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (attachment)), >, 0);
  g_assert_cmpint (coop_attachment_get_size (attachment), ==, 3 * 1024 * 1024 + 17);
  g_assert_cmpstr (coop_attachment_get_sha256 (attachment), ==, digest);
  g_assert_cmpstr (coop_attachment_get_content_type (attachment), ==, "application/pdf");
  g_assert_nonnull (coop_attachment_get_added_at (attachment));
  g_assert_cmpint (strlen (coop_attachment_get_added_at (attachment)), ==, 16);

  /* The list holds what is known of it, as the database does. */
  {
    CoopRecord *listed = coop_store_find (f->store, COOP_TYPE_ATTACHMENT,
                                          coop_record_get_id (COOP_RECORD (attachment)));

    g_assert_nonnull (listed);
    g_assert_cmpstr (coop_attachment_get_name (COOP_ATTACHMENT (listed)), ==, "合同扫描件.pdf");
    g_assert_cmpstr (coop_attachment_get_sha256 (COOP_ATTACHMENT (listed)), ==, digest);
    g_assert_cmpint (coop_attachment_get_owner_id (COOP_ATTACHMENT (listed), NULL), ==,
                     coop_record_get_id (COOP_RECORD (f->agreement)));
  }

  assert_content (f->store, attachment, content);
  g_assert_true (coop_store_write_attachment (f->store, attachment, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_bytes_equal (written, content));

  /* The change log says what was attached, not what the file holds. */
  log = coop_store_list_changes (f->store, COOP_TYPE_ATTACHMENT,
                                 coop_record_get_id (COOP_RECORD (attachment)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpint (entry->action, ==, COOP_CHANGE_INSERT);
  g_assert_nonnull (strstr (entry->changes, "\"name\": \"合同扫描件.pdf\""));
  g_assert_nonnull (strstr (entry->changes, digest));
  g_assert_cmpuint (strlen (entry->changes), <, 1000);

  g_assert_true (coop_store_count (f->store, &counts, &error));
  g_assert_cmpint (counts.attachments, ==, 1);

  /* A photo is not the contract; an event's files count for no agreement. */
  {
    g_autoptr(GBytes) photo = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
    g_autoptr(CoopAttachment) plaque = attach (f, COOP_RECORD (f->agreement), "揭牌.png",
                                               COOP_ATTACHMENT_KIND_PHOTO, photo);
    g_autoptr(CoopAttachment) sheet = attach (f, COOP_RECORD (f->event), "签到表.pdf",
                                              COOP_ATTACHMENT_KIND_SIGN_IN_SHEET, content);

    g_assert_cmpstr (coop_attachment_get_content_type (plaque), ==, "image/png");
    g_assert_cmpint (coop_attachment_get_owner_id (sheet, NULL), ==,
                     coop_record_get_id (COOP_RECORD (f->event)));
    assert_content (f->store, plaque, photo);
    assert_content (f->store, sheet, content);
  }

  /* An empty file is a file. */
  {
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
    g_autoptr(CoopAttachment) note = attach (f, COOP_RECORD (f->event), "空.txt",
                                             COOP_ATTACHMENT_KIND_OTHER, empty);

    g_assert_cmpint (coop_attachment_get_size (note), ==, 0);
    assert_content (f->store, note, empty);
  }
}

static void
test_not_signed (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CoopAgreement) draft = COOP_AGREEMENT (coop_record_copy (COOP_RECORD (f->agreement)));
  g_autoptr(GError) error = NULL;

  /* A draft needs no contract; a date of signing makes it signed. */
  coop_agreement_set_status (draft, COOP_AGREEMENT_STATUS_DRAFT);
  g_assert_true (coop_store_save (f->store, COOP_RECORD (draft), &error));
  g_assert_no_error (error);
  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_NOT_SIGNED);

  coop_agreement_set_signed_on (draft, "2026-10-08");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (draft), &error));
  g_assert_no_error (error);
  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_MISSING);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (COOP_ATTACHMENT_MAX_SIZE + 1);
  g_autoptr(GBytes) limit = make_content (COOP_ATTACHMENT_MAX_SIZE);
  g_autoptr(CoopAttachment) attachment = coop_attachment_new ();
  g_autoptr(CoopAttachment) largest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) files = watch (f->store, COOP_TYPE_ATTACHMENT);
  CoopStoreCounts counts;

  coop_attachment_set_owner (attachment, COOP_RECORD (f->agreement));
  coop_attachment_set_name (attachment, "扫描件.pdf");
  g_assert_false (coop_store_attach (f->store, attachment, content, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==,
                   "“扫描件.pdf” is 25.1 MB; an attached file can be at most 25 MB.");
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (attachment)), ==, 0);
  g_assert_cmpuint (files->len, ==, 0);
  g_clear_error (&error);
  g_assert_true (coop_store_count (f->store, &counts, &error));
  g_assert_cmpint (counts.attachments, ==, 0);
  g_assert_cmpint (counts.changes, ==, 3);

  /* The limit itself is allowed. */
  largest = attach (f, COOP_RECORD (f->agreement), "扫描件.pdf", COOP_ATTACHMENT_KIND_CONTRACT,
                    limit);
  assert_changes (files, 0, 0, 1);
  assert_content (f->store, largest, limit);
  unwatch (f->store, COOP_TYPE_ATTACHMENT, g_steal_pointer (&files));
}

static void
test_delete_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (2 * 1024 * 1024 + 5);
  g_autoptr(CoopAttachment) first = attach (f, COOP_RECORD (f->agreement), "合同.pdf",
                                            COOP_ATTACHMENT_KIND_CONTRACT, content);
  g_autoptr(CoopAttachment) second = attach (f, COOP_RECORD (f->agreement), "附件二.pdf",
                                             COOP_ATTACHMENT_KIND_OTHER, content);
  g_autoptr(CoopAttachment) copy = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GArray) files = NULL;
  g_autoptr(GArray) agreements = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = coop_record_get_id (COOP_RECORD (first));

  /* What undo needs is read before the file goes. */
  copy = COOP_ATTACHMENT (coop_record_copy (COOP_RECORD (first)));
  kept = coop_store_read_attachment (f->store, first, &error);
  g_assert_no_error (error);

  files = watch (f->store, COOP_TYPE_ATTACHMENT);
  agreements = watch (f->store, COOP_TYPE_AGREEMENT);
  g_assert_true (coop_store_delete (f->store, COOP_RECORD (first), &error));
  g_assert_no_error (error);
  assert_changes (files, 0, 1, 0);
  assert_changes (agreements, 0, 1, 1);
  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_MISSING);
  g_assert_null (coop_store_find (f->store, COOP_TYPE_ATTACHMENT, id));

  /* Undo puts it back under its id, the file with it. */
  g_assert_true (coop_store_attach (f->store, copy, kept, &error));
  g_assert_no_error (error);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (copy)), ==, id);
  assert_changes (files, 0, 0, 1);
  assert_changes (agreements, 0, 1, 1);
  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_ATTACHED);
  g_assert_cmpstr (coop_attachment_get_added_at (copy), ==, coop_attachment_get_added_at (first));
  assert_content (f->store, copy, content);

  /* A file attached after a deletion may take the deleted one's id (a
   * file reuses the highest); Undo then gives it another. */
  {
    g_autoptr(CoopAttachment) last = attach (f, COOP_RECORD (f->agreement), "附件三.pdf",
                                             COOP_ATTACHMENT_KIND_OTHER, content);
    g_autoptr(CoopAttachment) last_copy = COOP_ATTACHMENT (coop_record_copy (COOP_RECORD (last)));
    g_autoptr(CoopAttachment) newer = NULL;
    gint64 last_id = coop_record_get_id (COOP_RECORD (last));

    g_assert_true (coop_store_delete (f->store, COOP_RECORD (last), &error));
    g_assert_no_error (error);
    newer = attach (f, COOP_RECORD (f->event), "签到表.pdf", COOP_ATTACHMENT_KIND_SIGN_IN_SHEET,
                    content);
    g_assert_true (coop_store_attach (f->store, last_copy, content, &error));
    g_assert_no_error (error);
    g_assert_cmpint (coop_record_get_id (COOP_RECORD (last_copy)), !=,
                     coop_record_get_id (COOP_RECORD (newer)));
    if (coop_record_get_id (COOP_RECORD (newer)) != last_id)
      g_assert_cmpint (coop_record_get_id (COOP_RECORD (last_copy)), ==, last_id);
    assert_content (f->store, last_copy, content);
    assert_content (f->store, newer, content);
    g_array_set_size (files, 0);
    g_array_set_size (agreements, 0);
  }

  /* Content that is not the file deleted is not put back. */
  g_assert_true (coop_store_delete (f->store, COOP_RECORD (second), &error));
  g_assert_no_error (error);
  g_array_set_size (files, 0);
  {
    g_autoptr(GBytes) other = g_bytes_new_static ("x", 1);

    g_assert_false (coop_store_attach (f->store, second, other, &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
    g_assert_cmpuint (files->len, ==, 0);
  }
  unwatch (f->store, COOP_TYPE_ATTACHMENT, g_steal_pointer (&files));
  unwatch (f->store, COOP_TYPE_AGREEMENT, g_steal_pointer (&agreements));
}

static void
test_keeps_owner (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (1000);
  g_autoptr(CoopAttachment) contract = attach (f, COOP_RECORD (f->agreement), "合同.pdf",
                                               COOP_ATTACHMENT_KIND_CONTRACT, content);
  g_autoptr(CoopAttachment) sheet = attach (f, COOP_RECORD (f->event), "签到表.pdf",
                                            COOP_ATTACHMENT_KIND_SIGN_IN_SHEET, content);
  g_autoptr(CoopAttachment) orphan = coop_attachment_new ();
  g_autoptr(GError) error = NULL;

  /* A signed contract is not lost with its agreement. */
  g_assert_false (coop_store_delete (f->store, COOP_RECORD (f->agreement), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==,
                   "“实践基地协议” cannot be deleted: it still has 1 attached file. "
                   "Delete or move them first.");
  g_clear_error (&error);
  g_assert_false (coop_store_delete (f->store, COOP_RECORD (f->event), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_nonnull (coop_store_find (f->store, COOP_TYPE_AGREEMENT,
                                     coop_record_get_id (COOP_RECORD (f->agreement))));

  /* A file of an agreement deleted meanwhile is refused. */
  coop_attachment_set_agreement_id (orphan, 9999);
  coop_attachment_set_name (orphan, "合同.pdf");
  g_assert_false (coop_store_attach (f->store, orphan, content, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (orphan)), ==, 0);
}

static void
test_kind (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (1000);
  g_autoptr(CoopAttachment) attachment = attach (f, COOP_RECORD (f->agreement), "扫描.pdf",
                                                 COOP_ATTACHMENT_KIND_OTHER, content);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_MISSING);

  /* Saying what it is is a save like any other; the file stays. */
  coop_attachment_set_kind (attachment, COOP_ATTACHMENT_KIND_CONTRACT);
  g_assert_true (coop_store_save (f->store, COOP_RECORD (attachment), &error));
  g_assert_no_error (error);
  g_assert_cmpint (contract_of (f), ==, COOP_CONTRACT_STATE_ATTACHED);
  assert_content (f->store, attachment, content);
}

static void
test_check_damaged (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (100000);
  g_autoptr(CoopAttachment) good = NULL;
  g_autoptr(CoopAttachment) bad = NULL;
  g_autoptr(CoopAttachment) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *report = NULL;
  g_autofree char *expected = NULL;

  attach_three (f, content, &good, &bad, &gone);
  g_assert_true (coop_store_check_integrity (f->store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");
  g_clear_pointer (&report, g_free);

  damage (f, bad, gone);

  g_assert_false (coop_store_check_integrity (f->store, &report, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("the attached file “签到表.pdf” (attachment %" G_GINT64_FORMAT
                              ") of event %" G_GINT64_FORMAT " is damaged: its content is missing "
                              "or not the file that was attached\n"
                              "the attached file “照片.jpg” (attachment %" G_GINT64_FORMAT
                              ") of event %" G_GINT64_FORMAT " is damaged: its content is missing "
                              "or not the file that was attached\n",
                              coop_record_get_id (COOP_RECORD (bad)),
                              coop_record_get_id (COOP_RECORD (f->event)),
                              coop_record_get_id (COOP_RECORD (gone)),
                              coop_record_get_id (COOP_RECORD (f->event)));
  g_assert_cmpstr (report, ==, expected);

  /* Reading it says so rather than giving something else. */
  g_assert_false (coop_store_write_attachment (f->store, bad, out, NULL, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==,
                   "“签到表.pdf” is damaged: what the database holds is not the file that was "
                   "attached.");
  g_clear_error (&error);
  g_assert_null (coop_store_read_attachment (f->store, gone, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  assert_content (f->store, good, content);
}

/* Every file goes with a copy of the ledger, to a file and to a server. */
static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (3 * 1024 * 1024 + 1);
  g_autoptr(GBytes) small = make_content (10);
  g_autoptr(CoopAttachment) contract = attach (f, COOP_RECORD (f->agreement), "合同.pdf",
                                               COOP_ATTACHMENT_KIND_CONTRACT, content);
  g_autoptr(CoopAttachment) sheet = attach (f, COOP_RECORD (f->event), "签到表.pdf",
                                            COOP_ATTACHMENT_KIND_SIGN_IN_SHEET, small);
  g_autofree char *file = g_build_filename (f->dir, "copy.db", NULL);
  g_autoptr(CoopStore) target = NULL;
  g_autoptr(GError) error = NULL;
  CoopStoreCounts counts;

  target = coop_store_open (file, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_copy (f->store, target, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (coop_store_count (target, &counts, &error));
  g_assert_cmpint (counts.attachments, ==, 2);
  assert_content (target, contract, content);
  assert_content (target, sheet, small);

  /* And back again, onto a server when the test runs on one. */
  if (on_server ())
    {
      g_autofree char *uri = coop_test_new_server_database ("attachment");
      g_autoptr(CoopStore) server = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);

      g_assert_no_error (error);
      g_assert_true (coop_store_copy (target, server, FALSE, &error));
      g_assert_no_error (error);
      assert_content (server, contract, content);
      assert_content (server, sheet, small);
    }
}

/* A damaged file keeps neither the rest of the ledger from being copied
 * (a server's backup is such a copy) nor its own damage from being seen. */
static void
test_copy_damaged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (200000);
  g_autoptr(CoopAttachment) good = NULL;
  g_autoptr(CoopAttachment) bad = NULL;
  g_autoptr(CoopAttachment) gone = NULL;
  g_autofree char *file = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *report = NULL;
  g_autoptr(CoopStore) target = NULL;
  g_autoptr(GError) error = NULL;
  CoopStoreCounts counts;

  attach_three (f, content, &good, &bad, &gone);
  damage (f, bad, gone);

  target = coop_store_open (file, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_copy (f->store, target, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (coop_store_count (target, &counts, &error));
  g_assert_cmpint (counts.attachments, ==, 3);
  assert_content (target, good, content);

  g_assert_false (coop_store_check_integrity (target, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report, "“签到表.pdf”"));
  g_assert_nonnull (strstr (report, "“照片.jpg”"));
  g_assert_null (strstr (report, "“合同.pdf”"));
}

/* A backup of a file holds its files, and a check of the backup reads them. */
static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content (1024 * 1024 + 3);
  g_autoptr(CoopAttachment) contract = attach (f, COOP_RECORD (f->agreement), "合同.pdf",
                                               COOP_ATTACHMENT_KIND_CONTRACT, content);
  g_autofree char *backup = g_build_filename (f->dir, "coopdesk.db.backup", NULL);
  g_autoptr(CoopStore) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  g_assert_true (coop_backup_write (f->path, backup, &error));
  g_assert_no_error (error);
  restored = coop_store_open (backup, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_check_integrity (restored, &report, &error));
  g_assert_cmpstr (report, ==, "ok");
  assert_content (restored, contract, content);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/attachment/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("attach", test_attach);
  ADD ("not-signed", test_not_signed);
  ADD ("too-large", test_too_large);
  ADD ("delete-and-undo", test_delete_and_undo);
  ADD ("keeps-owner", test_keeps_owner);
  ADD ("kind", test_kind);
  ADD ("check-damaged", test_check_damaged);
  ADD ("copy", test_copy);
  ADD ("copy-damaged", test_copy_damaged);
  if (!on_server ())
    ADD ("backup", test_backup);

#undef ADD

  return g_test_run ();
}
