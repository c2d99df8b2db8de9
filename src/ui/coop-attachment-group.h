/* coop-attachment-group.h — the files an agreement or an event holds, in its editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-attachment.h"
#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_ATTACHMENT_GROUP (coop_attachment_group_get_type ())

G_DECLARE_FINAL_TYPE (CoopAttachmentGroup, coop_attachment_group, COOP, ATTACHMENT_GROUP,
                      AdwPreferencesGroup)

CoopAttachmentGroup *coop_attachment_group_new          (CoopStore            *store,
                                                         CoopRecord           *owner,
                                                         AdwToastOverlay      *toasts,
                                                         GtkWidget            *drop_area);
GListModel          *coop_attachment_group_get_files    (CoopAttachmentGroup  *self);
void                 coop_attachment_group_add_files    (CoopAttachmentGroup  *self,
                                                         GSList               *files);
gboolean             coop_attachment_group_get_busy     (CoopAttachmentGroup  *self);
char                *coop_attachment_group_open         (CoopAttachmentGroup  *self,
                                                         CoopAttachment       *attachment,
                                                         GError              **error);
gboolean             coop_attachment_group_save_copy    (CoopAttachmentGroup  *self,
                                                         CoopAttachment       *attachment,
                                                         GFile                *file,
                                                         GError              **error);
gboolean             coop_attachment_group_delete       (CoopAttachmentGroup  *self,
                                                         CoopAttachment       *attachment,
                                                         GError              **error);
gboolean             coop_attachment_group_undo         (CoopAttachmentGroup  *self,
                                                         GError              **error);
gboolean             coop_attachment_group_set_kind     (CoopAttachmentGroup  *self,
                                                         CoopAttachment       *attachment,
                                                         CoopAttachmentKind    kind,
                                                         GError              **error);

G_END_DECLS
