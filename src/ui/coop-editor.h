/* coop-editor.h — a modal window that edits any kind of record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-attachment-group.h"
#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_EDITOR (coop_editor_get_type ())

G_DECLARE_FINAL_TYPE (CoopEditor, coop_editor, COOP, EDITOR, AdwWindow)

CoopEditor *coop_editor_new            (GtkWindow  *parent,
                                        CoopStore  *store,
                                        CoopRecord *record);
CoopRecord *coop_editor_get_record     (CoopEditor *self);
gboolean    coop_editor_get_can_save   (CoopEditor *self);
gboolean    coop_editor_get_modified   (CoopEditor *self);
gboolean    coop_editor_set_field_text (CoopEditor *self,
                                        const char *name,
                                        const char *text);
const char *coop_editor_get_field_error (CoopEditor *self,
                                         const char *name);
gboolean    coop_editor_save           (CoopEditor *self);
void        coop_editor_add_attendee   (CoopEditor *self,
                                        CoopRecord *contact);
CoopAttachmentGroup *coop_editor_get_attachments (CoopEditor *self);

G_END_DECLS
