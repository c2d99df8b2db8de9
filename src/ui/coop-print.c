/* coop-print.c — printed sheets through GtkPrintOperation
 *
 * A record's sheet (coop-sheet.h) is laid out here: the title block on the
 * first page, then its table, whose rows are measured with Pango in
 * begin-print and broken into pages there, the header row repeated on
 * each page; every page ends with "Page N of M".  Measuring and drawing go
 * through the same functions (a flag says whether to draw), so what was
 * measured is what is drawn.  Distances are in points on an A4 page by
 * default; the page setup and print settings chosen in the dialog are kept
 * for the rest of the session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-print"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "coop-due.h"
#include "coop-print.h"
#include "coop-sheet.h"

#define MM (72.0 / 25.4)
#define MARGIN_SIDE   (18 * MM)
#define MARGIN_TOP    (15 * MM)
#define MARGIN_BOTTOM (18 * MM)
#define CELL_PADDING  (1.5 * MM)
#define LINE_WIDTH    0.5

#define FONT_TITLE "Sans Bold 16"
#define FONT_KIND  "Sans 12"
#define FONT_BODY  "Sans 10"
#define FONT_CELL  "Sans 9"
#define FONT_HEAD  "Sans Bold 9"
#define FONT_SMALL "Sans 8"

typedef struct {
  CoopSheet *sheet;
  char      *printed_on;

  /* Measured in begin-print, for the page size chosen. */
  double     left;
  double     width;
  double     bottom;          /* where the table must end on every page */
  double     block_height;    /* the title block on the first page */
  double     running_height;  /* the running title on the other pages */
  double     header_height;   /* the table's header row */
  double    *column_x;
  double    *column_width;
  GArray    *row_heights;     /* double: the rows, then the blank ones */
  GArray    *page_starts;     /* guint: the first row of each page */
  guint      more_blank_rows; /* those that fill the last page */
} PrintJob;

/* What the user chose in the print dialog this session. */
static GtkPrintSettings *session_settings;
static GtkPageSetup *session_page_setup;

/* ------------------------------------------------------------------ helpers */

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;

  coop_sheet_free (job->sheet);
  g_free (job->printed_on);
  g_free (job->column_x);
  g_free (job->column_width);
  g_clear_pointer (&job->row_heights, g_array_unref);
  g_clear_pointer (&job->page_starts, g_array_unref);
  g_free (job);
}

static PangoLayout *
new_layout (GtkPrintContext *context,
            const char      *font,
            double           width,
            PangoAlignment   alignment)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, alignment);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int width, height;

  pango_layout_get_size (layout, &width, &height);
  return pango_units_to_double (height);
}

/* Draws @layout at (@x, @y) when @cr is not %NULL; returns its height. */
static double
place_layout (cairo_t     *cr,
              PangoLayout *layout,
              double       x,
              double       y)
{
  if (cr != NULL)
    {
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, layout);
    }
  return layout_height (layout);
}

static double
place_text (GtkPrintContext *context,
            cairo_t         *cr,
            const char      *font,
            const char      *text,
            double           x,
            double           y,
            double           width,
            PangoAlignment   alignment)
{
  g_autoptr(PangoLayout) layout = new_layout (context, font, width, alignment);

  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return place_layout (cr, layout, x, y);
}

/* Cuts @layout's text after the last line that ends above @limit and ends
 * it with "…".  Pango's own height limit adds no ellipsis when the last
 * line shown ends a paragraph. */
static void
cut_to_height (PangoLayout *layout,
               double       limit)
{
  PangoLayoutIter *iter;
  g_autofree char *kept = NULL;
  int end = 0;

  if (layout_height (layout) <= limit)
    return;

  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      int top, bottom;

      pango_layout_iter_get_line_yrange (iter, &top, &bottom);
      if (pango_units_to_double (bottom) > limit)
        break;
      end = line->start_index + line->length;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  kept = g_strndup (pango_layout_get_text (layout), end);
  /* The ellipsis must not wrap onto a line of its own. */
  do
    {
      g_autofree char *text = NULL;
      char *last = g_utf8_find_prev_char (kept, kept + strlen (kept));

      if (last == NULL)
        {
          pango_layout_set_text (layout, "…", -1);
          return;
        }
      *last = '\0';
      g_strchomp (kept);
      text = g_strconcat (kept, "…", NULL);
      pango_layout_set_text (layout, text, -1);
    }
  while (layout_height (layout) > limit);
}

/* "Label: value", the label in bold; a blank value leaves a line to write on. */
static double
place_fact (GtkPrintContext     *context,
            cairo_t             *cr,
            const CoopSheetPair *fact,
            double               x,
            double               y,
            double               width)
{
  g_autoptr(PangoLayout) layout = new_layout (context, FONT_BODY, width, PANGO_ALIGN_LEFT);
  gboolean blank = fact->value == NULL || *fact->value == '\0';
  /* Translators: a label in front of its value on a printed sheet */
  g_autofree char *label = g_strdup_printf (_("%s:"), fact->label);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b> %s", label,
                                                     blank ? "____________________" : fact->value);

  pango_layout_set_markup (layout, markup, -1);
  return place_layout (cr, layout, x, y);
}

/* The first page's title block: title, kind of sheet, facts two by two,
 * then the paragraphs.  On a one-page sheet the paragraphs are cut to what
 * fits above @limit. */
static double
place_block (PrintJob        *job,
             GtkPrintContext *context,
             cairo_t         *cr,
             double           top,
             double           limit)
{
  CoopSheet *sheet = job->sheet;
  double y = top;
  double half = (job->width - 6 * MM) / 2;

  y += place_text (context, cr, FONT_TITLE, sheet->title, job->left, y, job->width,
                   PANGO_ALIGN_CENTER) + 1.5 * MM;
  y += place_text (context, cr, FONT_KIND, sheet->kind, job->left, y, job->width,
                   PANGO_ALIGN_CENTER) + 5 * MM;

  for (guint i = 0; i < sheet->facts->len; i += 2)
    {
      double height = place_fact (context, cr, g_ptr_array_index (sheet->facts, i),
                                  job->left, y, half);

      if (i + 1 < sheet->facts->len)
        height = MAX (height, place_fact (context, cr, g_ptr_array_index (sheet->facts, i + 1),
                                          job->left + half + 6 * MM, y, half));
      y += height + 1.5 * MM;
    }

  for (guint i = 0; i < sheet->paragraphs->len; i++)
    {
      CoopSheetPair *paragraph = g_ptr_array_index (sheet->paragraphs, i);
      g_autoptr(PangoLayout) layout = new_layout (context, FONT_BODY, job->width,
                                                  PANGO_ALIGN_LEFT);

      y += 3 * MM;
      y += place_text (context, cr, FONT_HEAD, paragraph->label, job->left, y, job->width,
                       PANGO_ALIGN_LEFT) + 1 * MM;
      pango_layout_set_text (layout, paragraph->value, -1);
      if (sheet->single_page)
        cut_to_height (layout, limit - y);
      y += place_layout (cr, layout, job->left, y);
    }

  return y - top + (sheet->columns->len > 0 ? 5 * MM : 0);
}

/* The title and kind at the top of the pages after the first. */
static double
place_running_title (PrintJob        *job,
                     GtkPrintContext *context,
                     cairo_t         *cr,
                     double           top)
{
  /* Translators: the running title of a printed sheet's later pages: the
   * record's title and the kind of sheet */
  g_autofree char *text = g_strdup_printf (_("%s — %s"), job->sheet->title, job->sheet->kind);
  double height;

  if (cr != NULL)
    cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  height = place_text (context, cr, FONT_SMALL, text, job->left, top, job->width,
                       PANGO_ALIGN_LEFT);
  if (cr != NULL)
    cairo_set_source_rgb (cr, 0, 0, 0);
  return height + 3 * MM;
}

/* One row of the table: @cells is %NULL for a blank row, @header for the
 * header row.  Returns its height. */
static double
place_row (PrintJob           *job,
           GtkPrintContext    *context,
           cairo_t            *cr,
           const char * const *cells,
           gboolean            header,
           double              y,
           double              height)
{
  CoopSheet *sheet = job->sheet;
  double least = header ? 0 : sheet->row_height_mm * MM;

  if (height <= 0)
    {
      height = least;
      for (guint i = 0; i < sheet->columns->len; i++)
        {
          g_autoptr(PangoLayout) layout = new_layout (context, header ? FONT_HEAD : FONT_CELL,
                                                      job->column_width[i] - 2 * CELL_PADDING,
                                                      PANGO_ALIGN_LEFT);

          /* A blank row is as tall as one line of text at least. */
          pango_layout_set_text (layout, cells != NULL ? cells[i] : "M", -1);
          height = MAX (height, layout_height (layout) + 2 * CELL_PADDING);
        }
    }

  if (cr == NULL)
    return height;

  if (header)
    {
      cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
      cairo_rectangle (cr, job->left, y, job->width, height);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
    }
  cairo_set_line_width (cr, LINE_WIDTH);
  for (guint i = 0; i < sheet->columns->len; i++)
    {
      cairo_rectangle (cr, job->column_x[i], y, job->column_width[i], height);
      cairo_stroke (cr);
      if (cells != NULL)
        {
          g_autoptr(PangoLayout) layout = new_layout (context, header ? FONT_HEAD : FONT_CELL,
                                                      job->column_width[i] - 2 * CELL_PADDING,
                                                      i == 0 ? PANGO_ALIGN_CENTER
                                                             : PANGO_ALIGN_LEFT);
          double text_height;

          pango_layout_set_text (layout, cells[i], -1);
          text_height = layout_height (layout);
          /* Text sits in the middle of a row made tall for signing. */
          place_layout (cr, layout, job->column_x[i] + CELL_PADDING,
                        y + MAX (CELL_PADDING, (height - text_height) / 2));
        }
    }
  return height;
}

static const char * const *
header_cells (PrintJob  *job,
              GPtrArray *titles)
{
  for (guint i = 0; i < job->sheet->columns->len; i++)
    {
      CoopSheetColumn *column = g_ptr_array_index (job->sheet->columns, i);
      g_ptr_array_add (titles, column->title);
    }
  g_ptr_array_add (titles, NULL);
  return (const char * const *) titles->pdata;
}

/* The rows with text, then the empty ones. */
static guint
n_table_rows (PrintJob *job)
{
  return job->sheet->rows->len + job->sheet->blank_rows + job->more_blank_rows;
}

/* ------------------------------------------------------------------ callbacks */

/* Measures everything for the page chosen and decides which rows go on
 * which page. */
static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   PrintJob          *job)
{
  CoopSheet *sheet = job->sheet;
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  double page_height = gtk_print_context_get_height (context);
  double total = 0, x, y;
  guint on_page = 0;

  job->left = MARGIN_SIDE;
  job->width = gtk_print_context_get_width (context) - 2 * MARGIN_SIDE;
  job->bottom = page_height - MARGIN_BOTTOM;

  g_free (job->column_x);
  g_free (job->column_width);
  job->column_x = g_new0 (double, MAX (sheet->columns->len, 1));
  job->column_width = g_new0 (double, MAX (sheet->columns->len, 1));
  for (guint i = 0; i < sheet->columns->len; i++)
    total += ((CoopSheetColumn *) g_ptr_array_index (sheet->columns, i))->width;
  x = job->left;
  for (guint i = 0; i < sheet->columns->len; i++)
    {
      CoopSheetColumn *column = g_ptr_array_index (sheet->columns, i);

      job->column_x[i] = x;
      job->column_width[i] = job->width * column->width / total;
      x += job->column_width[i];
    }

  job->block_height = place_block (job, context, NULL, MARGIN_TOP, job->bottom);
  job->running_height = place_running_title (job, context, NULL, MARGIN_TOP);
  job->header_height = sheet->columns->len > 0
                       ? place_row (job, context, NULL, header_cells (job, titles), TRUE, 0, 0)
                       : 0;

  g_clear_pointer (&job->row_heights, g_array_unref);
  g_clear_pointer (&job->page_starts, g_array_unref);
  job->row_heights = g_array_new (FALSE, FALSE, sizeof (double));
  job->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));

  y = MARGIN_TOP + job->block_height + job->header_height;
  job->more_blank_rows = 0;
  g_array_append_val (job->page_starts, (guint) { 0 });
  for (guint i = 0; i < n_table_rows (job); i++)
    {
      const char * const *cells = i < sheet->rows->len
                                  ? g_ptr_array_index (sheet->rows, i) : NULL;
      double height = place_row (job, context, NULL, cells, FALSE, 0, 0);

      g_array_append_val (job->row_heights, height);
      /* A row that does not fit starts the next page; a page after the
       * first holds at least one row, however tall. */
      if (y + height > job->bottom && (on_page > 0 || job->page_starts->len == 1) &&
          !sheet->single_page)
        {
          g_array_append_val (job->page_starts, i);
          y = MARGIN_TOP + job->running_height + job->header_height;
          on_page = 0;
        }
      y += height;
      on_page++;
    }

  /* A sheet to fill in by hand is ruled down to the foot of its last page. */
  if (sheet->blank_rows > 0)
    {
      double height = place_row (job, context, NULL, NULL, FALSE, 0, 0);

      for (; y + height <= job->bottom; y += height)
        {
          g_array_append_val (job->row_heights, height);
          job->more_blank_rows++;
        }
    }

  gtk_print_operation_set_n_pages (operation, job->page_starts->len);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  CoopSheet *sheet = job->sheet;
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  guint first = g_array_index (job->page_starts, guint, page_nr);
  guint last = (guint) page_nr + 1 < job->page_starts->len
               ? g_array_index (job->page_starts, guint, page_nr + 1) : n_table_rows (job);
  g_autofree char *page = NULL;
  double y = MARGIN_TOP;

  cairo_set_source_rgb (cr, 0, 0, 0);
  if (page_nr == 0)
    y += place_block (job, context, cr, y, job->bottom);
  else
    y += place_running_title (job, context, cr, y);

  if (sheet->columns->len > 0)
    {
      y += place_row (job, context, cr, header_cells (job, titles), TRUE, y,
                      job->header_height);
      for (guint i = first; i < last; i++)
        {
          const char * const *cells = i < sheet->rows->len
                                      ? g_ptr_array_index (sheet->rows, i) : NULL;

          y += place_row (job, context, cr, cells, FALSE, y,
                          g_array_index (job->row_heights, double, i));
        }
    }

  /* Translators: the footer of a printed page */
  page = g_strdup_printf (_("Page %d of %u"), page_nr + 1, job->page_starts->len);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  place_text (context, cr, FONT_SMALL, job->printed_on, job->left, job->bottom + 6 * MM,
              job->width, PANGO_ALIGN_LEFT);
  place_text (context, cr, FONT_SMALL, page, job->left, job->bottom + 6 * MM, job->width,
              PANGO_ALIGN_RIGHT);
}

/* The dialog's choices stay for the next sheet; a failure is said in a toast. */
static void
on_done_cb (GtkPrintOperation       *operation,
            GtkPrintOperationResult  result,
            AdwToastOverlay         *toasts)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      /* Translators: %s says why, e.g. "Permission denied" */
      text = g_strdup_printf (_("Could not print: %s"),
                              error != NULL ? error->message : _("unknown error"));
      g_debug ("%s", text);
      if (toasts != NULL)
        adw_toast_overlay_add_toast (toasts, adw_toast_new (text));
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY &&
           g_object_get_data (G_OBJECT (operation), "coop-print-dialog") != NULL)
    {
      g_set_object (&session_settings, gtk_print_operation_get_print_settings (operation));
      g_set_object (&session_page_setup, gtk_print_operation_get_default_page_setup (operation));
    }
}

/* ------------------------------------------------------------------ public */

/**
 * coop_print_can_print:
 *
 * Returns: whether @record has a printed sheet (an event, a pool or an
 *   agreement)
 */
gboolean
coop_print_can_print (CoopRecord *record)
{
  return record != NULL && coop_sheet_can_describe (record);
}

/**
 * coop_print_operation_new:
 * @store: the store @record belongs to
 * @record: an event, a pool or an agreement
 * @error: return location for a #CoopError when the store cannot be read
 *
 * A print operation that prints @record's sheet as it is now, on A4 unless
 * another page setup was chosen this session.
 *
 * Returns: (transfer full) (nullable): the operation, not yet run
 */
GtkPrintOperation *
coop_print_operation_new (CoopStore   *store,
                          CoopRecord  *record,
                          GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPrintSettings) settings = NULL;
  g_autofree char *today = coop_due_today ();
  g_autofree char *job_name = NULL;
  g_autofree char *basename = NULL;
  PrintJob *job;
  CoopSheet *sheet;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);
  g_return_val_if_fail (coop_print_can_print (record), NULL);

  sheet = coop_sheet_new_for_record (store, record, error);
  if (sheet == NULL)
    return NULL;

  job = g_new0 (PrintJob, 1);
  job->sheet = sheet;
  /* Translators: the footer of a printed sheet; %s is today's date */
  job->printed_on = g_strdup_printf (_("Printed on %s"), today);

  operation = gtk_print_operation_new ();
  g_object_set_data_full (G_OBJECT (operation), "coop-print-job", job, print_job_free);
  job_name = g_strdup_printf (_("%s — %s"), sheet->title, sheet->kind);
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);

  if (session_page_setup != NULL)
    gtk_print_operation_set_default_page_setup (operation, session_page_setup);
  else
    {
      g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
      GtkPaperSize *a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

      gtk_page_setup_set_paper_size (setup, a4);
      gtk_paper_size_free (a4);
      gtk_print_operation_set_default_page_setup (operation, setup);
    }

  /* "Print to File" suggests the sheet's name, not "output.pdf". */
  settings = session_settings != NULL ? gtk_print_settings_copy (session_settings)
                                      : gtk_print_settings_new ();
  basename = g_strdelimit (g_strdup (job_name), "/\\", '-');
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_BASENAME, basename);
  gtk_print_operation_set_print_settings (operation, settings);

  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), job);
  return g_steal_pointer (&operation);
}

/**
 * coop_print_run:
 * @parent: (nullable): the window the print dialog belongs to
 * @store: the store @record belongs to
 * @record: an event, a pool or an agreement
 * @toasts: (nullable): where a failure is shown
 * @pdf_path: (nullable): write this PDF without asking; %NULL shows the
 *   print dialog
 *
 * Prints @record's sheet.  The dialog runs without blocking; what is
 * chosen in it is kept for the next sheet this session.
 */
void
coop_print_run (GtkWindow       *parent,
                CoopStore       *store,
                CoopRecord      *record,
                AdwToastOverlay *toasts,
                const char      *pdf_path)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  g_return_if_fail (COOP_IS_STORE (store));
  g_return_if_fail (coop_print_can_print (record));

  operation = coop_print_operation_new (store, record, &error);
  if (operation == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not print: %s"), error->message);

      if (toasts != NULL)
        adw_toast_overlay_add_toast (toasts, adw_toast_new (text));
      return;
    }

  if (toasts != NULL)
    g_signal_connect_object (operation, "done", G_CALLBACK (on_done_cb), toasts, 0);
  else
    g_signal_connect (operation, "done", G_CALLBACK (on_done_cb), NULL);

  if (pdf_path != NULL)
    gtk_print_operation_set_export_filename (operation, pdf_path);
  else
    {
      g_object_set_data (G_OBJECT (operation), "coop-print-dialog", GINT_TO_POINTER (TRUE));
      gtk_print_operation_set_allow_async (operation, TRUE);
    }

  /* A failure reaches "done" as well, which says it. */
  result = gtk_print_operation_run (operation,
                                    pdf_path != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                     : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    g_debug ("Printing failed: %s", error->message);
}

/**
 * coop_print_to_pdf:
 * @store: the store @record belongs to
 * @record: an event, a pool or an agreement
 * @path: the PDF to write
 * @error: return location for a #GtkPrintError or #CoopError
 *
 * Writes @record's sheet to @path as a PDF, without a dialog.
 *
 * Returns: whether the file was written
 */
gboolean
coop_print_to_pdf (CoopStore   *store,
                   CoopRecord  *record,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (COOP_IS_STORE (store), FALSE);
  g_return_val_if_fail (coop_print_can_print (record), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  operation = coop_print_operation_new (store, record, error);
  if (operation == NULL)
    return FALSE;
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error) !=
         GTK_PRINT_OPERATION_RESULT_ERROR;
}

/**
 * coop_print_forget_settings:
 *
 * Forgets the page setup and print settings chosen this session.
 */
void
coop_print_forget_settings (void)
{
  g_clear_object (&session_settings);
  g_clear_object (&session_page_setup);
}
