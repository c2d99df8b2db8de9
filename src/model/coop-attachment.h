/* coop-attachment.h — a file kept with an agreement or an event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

/* The largest file an agreement or an event can hold: a scanned contract
 * is a few megabytes, a photo of a plaque less. */
#define COOP_ATTACHMENT_MAX_SIZE (25 * 1024 * 1024)

#define COOP_TYPE_ATTACHMENT (coop_attachment_get_type ())

G_DECLARE_FINAL_TYPE (CoopAttachment, coop_attachment, COOP, ATTACHMENT, CoopRecord)

CoopAttachment *coop_attachment_new (void);

gint64 coop_attachment_get_agreement_id (CoopAttachment *self);
void coop_attachment_set_agreement_id (CoopAttachment *self, gint64 value);
gint64 coop_attachment_get_event_id (CoopAttachment *self);
void coop_attachment_set_event_id (CoopAttachment *self, gint64 value);
const char *coop_attachment_get_name (CoopAttachment *self);
void coop_attachment_set_name (CoopAttachment *self, const char *value);
CoopAttachmentKind coop_attachment_get_kind (CoopAttachment *self);
void coop_attachment_set_kind (CoopAttachment *self, CoopAttachmentKind value);
const char *coop_attachment_get_content_type (CoopAttachment *self);
void coop_attachment_set_content_type (CoopAttachment *self, const char *value);
int coop_attachment_get_size (CoopAttachment *self);
const char *coop_attachment_get_sha256 (CoopAttachment *self);
const char *coop_attachment_get_added_at (CoopAttachment *self);

char  *coop_attachment_describe_too_large (const char *name,
                                           goffset     size);
char  *coop_attachment_guess_content_type (const char *name,
                                           GBytes     *content);

gint64 coop_attachment_get_owner_id (CoopAttachment *self,
                                     GType          *owner_type);
void   coop_attachment_set_owner    (CoopAttachment *self,
                                     CoopRecord     *owner);

G_END_DECLS
