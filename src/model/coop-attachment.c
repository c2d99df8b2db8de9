/* coop-attachment.c — a file kept with an agreement or an event
 *
 * The record holds what is known of the file: its name, what it is, its
 * size and its SHA-256.  The file's content is kept in the database beside
 * it, written and read only through coop_store_attach() and
 * coop_store_write_attachment(), never with the lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-attachment"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <gio/gio.h>

#include "coop-agreement.h"
#include "coop-attachment.h"
#include "coop-enums.h"
#include "coop-event.h"
#include "coop-record-private.h"
#include "coop-store-private.h"

struct _CoopAttachment
{
  CoopRecord parent_instance;

  gint64 agreement_id;
  gint64 event_id;
  char *name;
  int kind;
  char *content_type;
  int size;
  char *sha256;
  char *added_at;
};

G_DEFINE_FINAL_TYPE (CoopAttachment, coop_attachment, COOP_TYPE_RECORD)

enum {
  FIELD_AGREEMENT_ID,
  FIELD_EVENT_ID,
  FIELD_NAME,
  FIELD_KIND,
  FIELD_CONTENT_TYPE,
  FIELD_SIZE,
  FIELD_SHA256,
  FIELD_ADDED_AT,
  N_FIELDS
};

/* The store fills the content type, the size, the digest and the time it
 * was added from the file itself. */
static const CoopField fields[N_FIELDS] = {
  [FIELD_AGREEMENT_ID] = {
    .name = "agreement-id", .label = N_("Agreement"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAttachment, agreement_id), .ref_type = coop_agreement_get_type,
  },
  [FIELD_EVENT_ID] = {
    .name = "event-id", .label = N_("Event"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAttachment, event_id), .ref_type = coop_event_get_type,
  },
  [FIELD_NAME] = {
    .name = "name", .label = N_("File name"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopAttachment, name),
  },
  [FIELD_KIND] = {
    .name = "kind", .label = N_("Kind"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAttachment, kind), .enum_type = coop_attachment_kind_get_type,
  },
  [FIELD_CONTENT_TYPE] = {
    .name = "content-type", .label = N_("Content type"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_HIDDEN | COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopAttachment, content_type),
  },
  [FIELD_SIZE] = {
    .name = "size", .label = N_("Size"), .kind = COOP_FIELD_COUNT, .flags = COOP_FIELD_HIDDEN,
    .offset = G_STRUCT_OFFSET (CoopAttachment, size),
  },
  [FIELD_SHA256] = {
    .name = "sha256", .label = N_("SHA-256"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_HIDDEN, .offset = G_STRUCT_OFFSET (CoopAttachment, sha256),
  },
  [FIELD_ADDED_AT] = {
    .name = "added-at", .label = N_("Added at"), .kind = COOP_FIELD_DATETIME,
    .flags = COOP_FIELD_HIDDEN, .offset = G_STRUCT_OFFSET (CoopAttachment, added_at),
  },
};

static void
coop_attachment_class_init (CoopAttachmentClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Attachment"), "name");
}

static void
coop_attachment_init (CoopAttachment *self)
{
}

CoopAttachment *
coop_attachment_new (void)
{
  return g_object_new (COOP_TYPE_ATTACHMENT, NULL);
}

COOP_DEFINE_REF_ACCESSORS (CoopAttachment, coop_attachment, agreement_id, FIELD_AGREEMENT_ID)
COOP_DEFINE_REF_ACCESSORS (CoopAttachment, coop_attachment, event_id, FIELD_EVENT_ID)
COOP_DEFINE_STRING_ACCESSORS (CoopAttachment, coop_attachment, name, FIELD_NAME)
COOP_DEFINE_INT_ACCESSORS (CoopAttachment, coop_attachment, kind, CoopAttachmentKind, FIELD_KIND)
COOP_DEFINE_STRING_ACCESSORS (CoopAttachment, coop_attachment, content_type, FIELD_CONTENT_TYPE)

int
coop_attachment_get_size (CoopAttachment *self)
{
  g_return_val_if_fail (COOP_IS_ATTACHMENT (self), 0);
  return self->size;
}

const char *
coop_attachment_get_sha256 (CoopAttachment *self)
{
  g_return_val_if_fail (COOP_IS_ATTACHMENT (self), NULL);
  return self->sha256;
}

const char *
coop_attachment_get_added_at (CoopAttachment *self)
{
  g_return_val_if_fail (COOP_IS_ATTACHMENT (self), NULL);
  return self->added_at;
}

/* What coop_store_attach() fills in; the store's own. */
void
coop_attachment_set_content (CoopAttachment *self,
                             int             size,
                             const char     *sha256,
                             const char     *added_at)
{
  coop_record_set_int (COOP_RECORD (self), &fields[FIELD_SIZE], size);
  coop_record_set_string (COOP_RECORD (self), &fields[FIELD_SHA256], sha256);
  coop_record_set_string (COOP_RECORD (self), &fields[FIELD_ADDED_AT], added_at);
}

/**
 * coop_attachment_describe_too_large:
 * @name: a file's name
 * @size: its size in bytes, more than %COOP_ATTACHMENT_MAX_SIZE
 *
 * Returns: (transfer full): why it is refused, in a sentence naming it,
 *   its size and the limit
 */
char *
coop_attachment_describe_too_large (const char *name,
                                    goffset     size)
{
  /* Rounded up, so that a file just over the limit does not read as at it.
   * A megabyte is 1024 × 1024 bytes, as file managers count. */
  gint64 tenths = (size * 10 + 1024 * 1024 - 1) / (1024 * 1024);
  double megabytes = (double) tenths / 10;

  /* Translators: "“scan.pdf” is 31.4 MB; an attached file can be at most 25 MB." */
  return g_strdup_printf (_("“%s” is %.1f MB; an attached file can be at most %d MB."), name,
                          megabytes, COOP_ATTACHMENT_MAX_SIZE / (1024 * 1024));
}

/**
 * coop_attachment_guess_content_type:
 * @name: a file's name
 * @content: what it holds
 *
 * Returns: (transfer full): the MIME type its name and first bytes suggest
 */
char *
coop_attachment_guess_content_type (const char *name,
                                    GBytes     *content)
{
  gsize size;
  const guchar *data = g_bytes_get_data (content, &size);
  g_autofree char *type = g_content_type_guess (name, data, MIN (size, 4096), NULL);

  return g_content_type_get_mime_type (type);
}

/**
 * coop_attachment_get_owner_id:
 * @owner_type: (out) (optional): %COOP_TYPE_AGREEMENT or %COOP_TYPE_EVENT
 *
 * Returns: the id of the agreement or event that holds the file, 0 for none
 */
gint64
coop_attachment_get_owner_id (CoopAttachment *self,
                              GType          *owner_type)
{
  g_return_val_if_fail (COOP_IS_ATTACHMENT (self), 0);

  if (owner_type != NULL)
    *owner_type = self->agreement_id != 0 ? COOP_TYPE_AGREEMENT
                  : self->event_id != 0 ? COOP_TYPE_EVENT : G_TYPE_INVALID;
  return self->agreement_id != 0 ? self->agreement_id : self->event_id;
}

/**
 * coop_attachment_set_owner:
 * @owner: a saved agreement or event
 *
 * Makes @owner the record that holds the file.
 */
void
coop_attachment_set_owner (CoopAttachment *self,
                           CoopRecord     *owner)
{
  g_return_if_fail (COOP_IS_ATTACHMENT (self));
  g_return_if_fail (COOP_IS_AGREEMENT (owner) || COOP_IS_EVENT (owner));

  coop_attachment_set_agreement_id (self, COOP_IS_AGREEMENT (owner) ? coop_record_get_id (owner) : 0);
  coop_attachment_set_event_id (self, COOP_IS_EVENT (owner) ? coop_record_get_id (owner) : 0);
}
