/* coop-export-book.c — a workbook that looks finished and fails loudly
 *
 * A thin layer over libxlsxwriter that gives every export the same look —
 * a bold, tinted header row that stays in view and filters, real date
 * cells, column widths that fit the text (a Chinese character counts
 * double), A4 landscape one page wide with the header row on every page —
 * and checks every return code: the first failure is kept, later writes are
 * skipped, and coop_export_book_close() reports it instead of writing a
 * damaged file.
 *
 * Large sheets are streamed (libxlsxwriter's constant_memory mode: each row
 * goes to a temporary file as soon as the next one starts), so memory does
 * not grow with the number of rows.  Rows must then be written in order;
 * column widths, frozen panes, filters and charts can still be set at the
 * end, because libxlsxwriter writes them when it assembles the sheet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-error.h"
#include "coop-export-private.h"

/* Widths in Excel's character units. */
#define MIN_WIDTH       6
#define MAX_TEXT_WIDTH  50
#define MAX_WRAP_WIDTH  40
#define LINE_HEIGHT     15.0    /* points, of the default font */
#define MAX_ROW_HEIGHT  409.0   /* Excel's limit */
#define PADDING         2

#define LXW_PAPER_A4    9

struct _CoopExportBook
{
  lxw_workbook *workbook;
  char         *path;
  char         *folder;
  lxw_error     first_error;
  GPtrArray    *sheets;
  GHashTable   *named_formats;      /* name → lxw_format, owned by the workbook */
  lxw_format   *header;
  lxw_format   *cells[COOP_N_CELL_STYLES][COOP_N_TINTS];
};

struct _CoopExportSheet
{
  CoopExportBook *book;
  lxw_worksheet  *worksheet;
  char           *name;
  guint           row;
  guint           last_row;         /* the last row written to */
  guint           row_lines;        /* lines the current row's text takes */
  GArray         *widths;           /* guint per column */
};

static const char *const num_formats[COOP_N_CELL_STYLES] = {
  [COOP_CELL_TEXT] = NULL,
  [COOP_CELL_CODE] = "@",
  [COOP_CELL_WRAP] = NULL,
  [COOP_CELL_DATE] = "yyyy-mm-dd",
  [COOP_CELL_DATETIME] = "yyyy-mm-dd hh:mm",
  [COOP_CELL_NUMBER] = "#,##0",
  [COOP_CELL_PERCENT] = "0%",
  [COOP_CELL_CHANGE] = "+#,##0;-#,##0;0",
};

static const lxw_color_t tint_colors[COOP_N_TINTS] = {
  [COOP_TINT_NONE] = LXW_COLOR_UNSET,
  [COOP_TINT_WARNING] = 0xFFF2CC,
  [COOP_TINT_ALERT] = 0xF8CBAD,
};

/* ------------------------------------------------------------------ helpers */

static lxw_format *
add_format (CoopExportBook *book)
{
  lxw_format *format = workbook_add_format (book->workbook);

  if (format == NULL && book->first_error == LXW_NO_ERROR)
    book->first_error = LXW_ERROR_MEMORY_MALLOC_FAILED;
  return format;
}

static gboolean
create_formats (CoopExportBook *book)
{
  lxw_format *format;

  book->header = add_format (book);
  if (book->header == NULL)
    return FALSE;
  format_set_bold (book->header);
  format_set_bg_color (book->header, 0xDDEBF7);
  format_set_bottom (book->header, LXW_BORDER_THIN);
  format_set_align (book->header, LXW_ALIGN_VERTICAL_CENTER);

  for (guint style = 0; style < COOP_N_CELL_STYLES; style++)
    for (guint tint = 0; tint < COOP_N_TINTS; tint++)
      {
        format = book->cells[style][tint] = add_format (book);
        if (format == NULL)
          return FALSE;
        format_set_align (format, LXW_ALIGN_VERTICAL_TOP);
        if (num_formats[style] != NULL)
          format_set_num_format (format, num_formats[style]);
        /* Text longer than its column wraps, rather than being cut. */
        if (style == COOP_CELL_WRAP || style == COOP_CELL_TEXT)
          format_set_text_wrap (format);
        if (style == COOP_CELL_DATE || style == COOP_CELL_DATETIME)
          format_set_align (format, LXW_ALIGN_LEFT);
        if (tint_colors[tint] != LXW_COLOR_UNSET)
          format_set_bg_color (format, tint_colors[tint]);
      }

  /* The overview's own looks. */
  format = add_format (book);
  if (format == NULL)
    return FALSE;
  format_set_bold (format);
  format_set_font_size (format, 16);
  format_set_font_color (format, 0x1F4E79);
  g_hash_table_insert (book->named_formats, (gpointer) "title", format);

  format = add_format (book);
  if (format == NULL)
    return FALSE;
  format_set_font_color (format, 0x595959);
  g_hash_table_insert (book->named_formats, (gpointer) "subtitle", format);

  format = add_format (book);
  if (format == NULL)
    return FALSE;
  format_set_bold (format);
  format_set_font_size (format, 12);
  format_set_font_color (format, 0x1F4E79);
  format_set_bottom (format, LXW_BORDER_MEDIUM);
  format_set_bottom_color (format, 0x1F4E79);
  g_hash_table_insert (book->named_formats, (gpointer) "section", format);

  format = add_format (book);
  if (format == NULL)
    return FALSE;
  format_set_bold (format);
  format_set_num_format (format, "#,##0");
  g_hash_table_insert (book->named_formats, (gpointer) "figure", format);

  format = add_format (book);
  if (format == NULL)
    return FALSE;
  format_set_bold (format);
  format_set_num_format (format, "0%");
  g_hash_table_insert (book->named_formats, (gpointer) "figure-percent", format);

  format = add_format (book);
  if (format == NULL)
    return FALSE;
  format_set_bold (format);
  format_set_top (format, LXW_BORDER_THIN);
  format_set_num_format (format, "#,##0");
  g_hash_table_insert (book->named_formats, (gpointer) "total", format);

  return TRUE;
}

static void
note_width (CoopExportSheet *sheet,
            guint            column,
            guint            width)
{
  guint *slot;

  if (column >= sheet->widths->len)
    g_array_set_size (sheet->widths, column + 1);

  slot = &g_array_index (sheet->widths, guint, column);
  *slot = MAX (*slot, width);
}

static void
note_row (CoopExportSheet *sheet)
{
  sheet->last_row = MAX (sheet->last_row, sheet->row);
}

static lxw_format *
cell_format (CoopExportSheet *sheet,
             CoopCellStyle    style,
             CoopTint         tint)
{
  return sheet->book->cells[style][tint];
}

static void
sheet_free (gpointer data)
{
  CoopExportSheet *sheet = data;

  g_array_unref (sheet->widths);
  g_free (sheet->name);
  g_free (sheet);
}

/* libxlsxwriter takes constant_memory for the whole workbook, but each
 * worksheet copies the setting when it is added: switching it around one
 * workbook_add_worksheet() gives that sheet its own mode.  The overview is
 * kept in memory so that its charts carry their values (some viewers show
 * nothing without them) and it may be written in any order. */
static lxw_worksheet *
add_worksheet (lxw_workbook *workbook,
               const char   *name,
               gboolean      streamed)
{
  uint8_t saved_option = workbook->options.constant_memory;
  uint8_t saved_optimize = workbook->optimize;
  lxw_worksheet *worksheet;

  workbook->options.constant_memory = streamed ? LXW_TRUE : LXW_FALSE;
  workbook->optimize = streamed ? LXW_TRUE : LXW_FALSE;
  worksheet = workbook_add_worksheet (workbook, name);
  workbook->options.constant_memory = saved_option;
  workbook->optimize = saved_optimize;

  return worksheet;
}

/* A name Excel accepts for a sheet: at most 31 characters, none of
 * []:*?/\, not starting or ending with an apostrophe. */
static char *
sheet_name_for (const char *name)
{
  g_autofree char *owned = NULL;
  const char *clean = coop_export_clean_text (name, &owned);
  GString *result = g_string_new (NULL);
  guint n = 0;

  for (const char *p = clean; *p != '\0' && n < 31; p = g_utf8_next_char (p), n++)
    {
      if (strchr ("[]:*?/\\\t\n", *p) != NULL)
        g_string_append_c (result, '_');
      else
        g_string_append_len (result, p, g_utf8_next_char (p) - p);
    }

  while (result->len > 0 && result->str[0] == '\'')
    g_string_erase (result, 0, 1);
  while (result->len > 0 && result->str[result->len - 1] == '\'')
    g_string_truncate (result, result->len - 1);
  if (result->len == 0)
    g_string_assign (result, "Sheet1");

  return g_string_free (result, FALSE);
}

/* ------------------------------------------------------------------ book */

/**
 * coop_export_book_new:
 * @target: the opened target: the book writes its temporary file, keeps
 *   libxlsxwriter's own temporary files in its folder (so that a full disk
 *   shows as a failure to write the workbook) and names its path in errors
 *
 * Returns: (transfer full) (nullable): a new book
 */
CoopExportBook *
coop_export_book_new (const CoopExportTarget  *target,
                      GError                 **error)
{
  g_autoptr(CoopExportBook) book = g_new0 (CoopExportBook, 1);
  lxw_workbook_options options = {
    .constant_memory = LXW_TRUE,
    .tmpdir = target->folder,
    .use_zip64 = LXW_FALSE,
  };

  book->path = g_strdup (target->path);
  book->folder = g_strdup (target->folder);
  book->sheets = g_ptr_array_new_with_free_func (sheet_free);
  book->named_formats = g_hash_table_new (g_str_hash, g_str_equal);
  book->workbook = workbook_new_opt (target->tmp_path, &options);

  if (book->workbook == NULL || !create_formats (book))
    {
      g_set_error_literal (error, COOP_ERROR, COOP_ERROR_FAILED,
                           _("There is not enough memory to write the workbook."));
      return NULL;
    }

  return g_steal_pointer (&book);
}

void
coop_export_book_free (CoopExportBook *book)
{
  if (book == NULL)
    return;

  /* Frees without writing anything: how a failed or cancelled export ends. */
  g_clear_pointer (&book->workbook, lxw_workbook_free);
  g_clear_pointer (&book->sheets, g_ptr_array_unref);
  g_clear_pointer (&book->named_formats, g_hash_table_unref);
  g_free (book->path);
  g_free (book->folder);
  g_free (book);
}

lxw_workbook *
coop_export_book_get_workbook (CoopExportBook *book)
{
  return book->workbook;
}

/**
 * coop_export_book_get_format:
 * @name: "title", "subtitle", "section", "figure", "figure-percent" or "total"
 *
 * Returns: (transfer none): one of the book's formats for the overview
 */
lxw_format *
coop_export_book_get_format (CoopExportBook *book,
                             const char     *name)
{
  lxw_format *format = g_hash_table_lookup (book->named_formats, name);

  g_assert (format != NULL);
  return format;
}

/**
 * coop_export_book_check:
 * @rc: what a libxlsxwriter call returned
 *
 * Keeps the first failure for coop_export_book_close() to report.
 *
 * Returns: whether every call so far succeeded
 */
gboolean
coop_export_book_check (CoopExportBook *book,
                        lxw_error       rc)
{
  if (rc != LXW_NO_ERROR && book->first_error == LXW_NO_ERROR)
    book->first_error = rc;

  return book->first_error == LXW_NO_ERROR;
}

/**
 * coop_export_book_add_sheet:
 * @name: the sheet's name, made acceptable to Excel
 * @streamed: write rows straight to disk, in order (for long tables)
 *
 * Returns: (transfer none) (nullable): the new sheet, %NULL after a failure
 */
CoopExportSheet *
coop_export_book_add_sheet (CoopExportBook *book,
                            const char     *name,
                            gboolean        streamed)
{
  g_autofree char *valid_name = sheet_name_for (name);
  CoopExportSheet *sheet;
  lxw_worksheet *worksheet;
  lxw_error rc;

  if (book->first_error != LXW_NO_ERROR)
    return NULL;

  rc = workbook_validate_sheet_name (book->workbook, valid_name);
  if (rc == LXW_ERROR_SHEETNAME_ALREADY_USED)
    {
      /* Two translations may fold to the same name: number the second. */
      g_autofree char *numbered = g_strdup_printf ("%.27s (%u)", valid_name, book->sheets->len + 1);

      g_free (valid_name);
      valid_name = sheet_name_for (numbered);
      rc = workbook_validate_sheet_name (book->workbook, valid_name);
    }
  if (!coop_export_book_check (book, rc))
    return NULL;

  worksheet = add_worksheet (book->workbook, valid_name, streamed);
  if (worksheet == NULL)
    {
      coop_export_book_check (book, LXW_ERROR_MEMORY_MALLOC_FAILED);
      return NULL;
    }

  sheet = g_new0 (CoopExportSheet, 1);
  sheet->book = book;
  sheet->worksheet = worksheet;
  sheet->name = g_steal_pointer (&valid_name);
  sheet->widths = g_array_new (FALSE, TRUE, sizeof (guint));
  g_ptr_array_add (book->sheets, sheet);

  return sheet;
}

/**
 * coop_export_book_close:
 *
 * Writes the workbook to its temporary file, unless a write failed before;
 * either way the workbook is gone afterwards.
 *
 * Returns: whether the file is complete
 */
gboolean
coop_export_book_close (CoopExportBook  *book,
                        GError         **error)
{
  lxw_workbook *workbook = g_steal_pointer (&book->workbook);
  lxw_error rc = book->first_error;

  if (rc == LXW_NO_ERROR)
    rc = workbook_close (workbook);
  else
    lxw_workbook_free (workbook);

  switch (rc)
    {
    case LXW_NO_ERROR:
      return TRUE;

    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
      coop_export_set_write_error (error, book->folder, book->path);
      return FALSE;

    case LXW_ERROR_MEMORY_MALLOC_FAILED:
      g_set_error_literal (error, COOP_ERROR, COOP_ERROR_FAILED,
                           _("There is not enough memory to write the workbook."));
      return FALSE;

    default:
      g_set_error (error, COOP_ERROR, COOP_ERROR_FAILED,
                   _("The workbook could not be written: %s."), lxw_strerror (rc));
      return FALSE;
    }
}

/* ------------------------------------------------------------------ sheet */

lxw_worksheet *
coop_export_sheet_get_worksheet (CoopExportSheet *sheet)
{
  return sheet->worksheet;
}

/* The name the sheet was given, as charts must refer to it. */
const char *
coop_export_sheet_get_name (CoopExportSheet *sheet)
{
  return sheet->name;
}

guint
coop_export_sheet_get_row (CoopExportSheet *sheet)
{
  return sheet->row;
}

void
coop_export_sheet_set_row (CoopExportSheet *sheet,
                           guint            row)
{
  sheet->row = row;
}

/* Moves to the next row.  A row whose text wraps is made tall enough for
 * it: spreadsheets do not all work that out when they open a file. */
void
coop_export_sheet_next_row (CoopExportSheet *sheet)
{
  if (sheet->row_lines > 1)
    coop_export_book_check (sheet->book,
                            worksheet_set_row (sheet->worksheet, sheet->row,
                                               MIN (LINE_HEIGHT * sheet->row_lines, MAX_ROW_HEIGHT),
                                               NULL));
  sheet->row_lines = 0;
  sheet->row++;
}

/**
 * coop_export_sheet_header:
 *
 * Writes @titles across the current row in the header format and moves to
 * the next row.
 */
void
coop_export_sheet_header (CoopExportSheet   *sheet,
                          const char *const *titles,
                          guint              n_titles)
{
  for (guint i = 0; i < n_titles; i++)
    {
      g_autofree char *owned = NULL;
      const char *text = coop_export_clean_text (titles[i], &owned);

      coop_export_book_check (sheet->book,
                              worksheet_write_string (sheet->worksheet, sheet->row, (lxw_col_t) i,
                                                      text, sheet->book->header));
      /* The header is bold, and the filter button takes room too. */
      note_width (sheet, i, coop_export_display_width (text, MAX_TEXT_WIDTH, NULL) + 3);
    }

  note_row (sheet);
  sheet->row++;
}

/* ------------------------------------------------------------------ cells */

typedef enum {
  PREPARED_NOTHING,   /* an untinted blank: no cell at all */
  PREPARED_BLANK,
  PREPARED_TEXT,
  PREPARED_NUMBER,
  PREPARED_DATE,
} PreparedKind;

/* A cell cleaned and measured, ready to be written.  Preparing one needs
 * nothing of the sheet, so rows can be prepared in another thread (see
 * coop_export_book_write_table()); writing it is put_cell(). */
typedef struct {
  guint          column;
  PreparedKind   kind;
  CoopCellStyle  style;
  CoopTint       tint;
  guint          width;   /* in the column's units */
  guint          lines;   /* that the text takes, wrapped at the column's width */
  const char    *text;
  char          *owned;   /* what @text points into, when it was made for the cell */
  double         number;
  lxw_datetime   datetime;
} Prepared;

static void
prepare_blank (Prepared *cell,
               guint     column,
               CoopTint  tint)
{
  memset (cell, 0, sizeof *cell);
  cell->column = column;
  cell->kind = tint == COOP_TINT_NONE ? PREPARED_NOTHING : PREPARED_BLANK;
  cell->style = COOP_CELL_TEXT;
  cell->tint = tint;
}

/* Takes @owned, which @text may point into. */
static void
prepare_text (Prepared      *cell,
              guint          column,
              const char    *text,
              char          *owned,
              CoopCellStyle  style,
              CoopTint       tint)
{
  guint cap = style == COOP_CELL_WRAP ? MAX_WRAP_WIDTH : MAX_TEXT_WIDTH;

  prepare_blank (cell, column, tint);
  if (text == NULL || *text == '\0')
    {
      g_free (owned);
      return;
    }

  if (!coop_export_measure_clean (text, cap, &cell->width, &cell->lines))
    {
      char *cleaned = NULL;

      text = coop_export_clean_text (text, &cleaned);
      cell->width = coop_export_display_width (text, cap, &cell->lines);
      if (cleaned != NULL)
        {
          g_free (owned);
          owned = cleaned;
        }
    }

  cell->kind = PREPARED_TEXT;
  cell->style = style;
  cell->text = text;
  cell->owned = owned;
  /* A code does not wrap. */
  if (style == COOP_CELL_CODE)
    cell->lines = 1;
}

static void
prepare_number (Prepared      *cell,
                guint          column,
                double         value,
                CoopCellStyle  style,
                CoopTint       tint)
{
  char digits[G_ASCII_DTOSTR_BUF_SIZE];
  guint n;

  prepare_blank (cell, column, tint);
  cell->kind = PREPARED_NUMBER;
  cell->style = style;
  cell->number = value;
  /* Digits plus the thousands separators of "#,##0". */
  g_snprintf (digits, sizeof digits, "%.0f", value);
  n = (guint) strlen (digits);
  cell->width = n + n / 3;
}

/* Text that is not such a date is written as text, as it is.  Takes
 * @owned, which @text may point into. */
static void
prepare_date (Prepared   *cell,
              guint       column,
              const char *text,
              char       *owned,
              CoopTint    tint)
{
  gboolean has_time = FALSE;

  prepare_blank (cell, column, tint);
  if (!coop_export_parse_date (text, &cell->datetime, &has_time))
    {
      prepare_text (cell, column, text, owned, COOP_CELL_TEXT, tint);
      return;
    }
  g_free (owned);

  cell->kind = PREPARED_DATE;
  cell->style = has_time ? COOP_CELL_DATETIME : COOP_CELL_DATE;
  cell->width = has_time ? 16 : 10;
}

/* Takes @cell's own text, as coop_export_render_field() made it. */
static void
prepare_cell (Prepared       *cell,
              guint           column,
              CoopExportCell *from,
              CoopTint        tint)
{
  switch (from->type)
    {
    case COOP_EXPORT_CELL_TEXT:
      prepare_text (cell, column, from->text, g_steal_pointer (&from->owned), from->style, tint);
      break;

    case COOP_EXPORT_CELL_NUMBER:
      prepare_number (cell, column, from->number, COOP_CELL_NUMBER, tint);
      break;

    case COOP_EXPORT_CELL_DATE:
      prepare_date (cell, column, from->text, g_steal_pointer (&from->owned), tint);
      break;

    case COOP_EXPORT_CELL_BLANK:
    default:
      prepare_blank (cell, column, tint);
      break;
    }
  coop_export_cell_clear (from);
}

/* Writes @cell into the current row and frees what it owned. */
static void
put_cell (CoopExportSheet *sheet,
          Prepared        *cell)
{
  lxw_worksheet *worksheet = sheet->worksheet;
  lxw_row_t row = sheet->row;
  lxw_col_t column = (lxw_col_t) cell->column;
  lxw_format *format = cell_format (sheet, cell->style, cell->tint);
  lxw_error rc = LXW_NO_ERROR;

  switch (cell->kind)
    {
    case PREPARED_NOTHING:
      return;

    case PREPARED_BLANK:
      rc = worksheet_write_blank (worksheet, row, column, format);
      break;

    case PREPARED_TEXT:
      rc = worksheet_write_string (worksheet, row, column, cell->text, format);
      sheet->row_lines = MAX (sheet->row_lines, cell->lines);
      break;

    case PREPARED_NUMBER:
      rc = worksheet_write_number (worksheet, row, column, cell->number, format);
      break;

    case PREPARED_DATE:
      rc = worksheet_write_datetime (worksheet, row, column, &cell->datetime, format);
      break;

    default:
      g_assert_not_reached ();
    }

  coop_export_book_check (sheet->book, rc);
  if (cell->width > 0)
    note_width (sheet, cell->column, cell->width);
  note_row (sheet);
  g_clear_pointer (&cell->owned, g_free);
}

/**
 * coop_export_sheet_text:
 * @text: (nullable): text from a record; always written as text, never as a
 *   formula, and cleaned first
 *
 * Writes one cell of the current row; %NULL or "" leaves it blank (tinted).
 */
void
coop_export_sheet_text (CoopExportSheet *sheet,
                        guint            column,
                        const char      *text,
                        CoopCellStyle    style,
                        CoopTint         tint)
{
  Prepared cell;

  prepare_text (&cell, column, text, NULL, style, tint);
  put_cell (sheet, &cell);
}

/**
 * coop_export_sheet_styled_text:
 * @format: (nullable): one of coop_export_book_get_format()
 *
 * Writes text in a format of its own; the column's width does not follow
 * it (titles may run over empty cells to their right).
 */
void
coop_export_sheet_styled_text (CoopExportSheet *sheet,
                               guint            column,
                               const char      *text,
                               lxw_format      *format)
{
  g_autofree char *owned = NULL;

  text = coop_export_clean_text (text, &owned);
  coop_export_book_check (sheet->book,
                          worksheet_write_string (sheet->worksheet, sheet->row, (lxw_col_t) column,
                                                  text, format));
  note_row (sheet);
}

void
coop_export_sheet_number (CoopExportSheet *sheet,
                          guint            column,
                          double           value,
                          CoopCellStyle    style,
                          CoopTint         tint)
{
  Prepared cell;

  prepare_number (&cell, column, value, style, tint);
  put_cell (sheet, &cell);
}

/**
 * coop_export_sheet_date:
 * @text: (nullable): "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"
 *
 * Writes a real date cell with a date format; text that is not such a
 * date is written as text, as it is.
 */
void
coop_export_sheet_date (CoopExportSheet *sheet,
                        guint            column,
                        const char      *text,
                        CoopTint         tint)
{
  Prepared cell;

  prepare_date (&cell, column, text, NULL, tint);
  put_cell (sheet, &cell);
}

/* An untinted blank needs no cell at all. */
void
coop_export_sheet_blank (CoopExportSheet *sheet,
                         guint            column,
                         CoopTint         tint)
{
  Prepared cell;

  prepare_blank (&cell, column, tint);
  put_cell (sheet, &cell);
}

/* ------------------------------------------------------------------ rows */

/* Rows prepared ahead of the one being written: a few batches of them. */
#define ROWS_PER_BATCH 256
#define N_BATCHES      4

/* A batch of prepared rows: their cells one after another. */
struct _CoopExportRow
{
  GArray   *cells;   /* Prepared */
  GArray   *ends;    /* guint per row: the index in @cells its cells end at */
  gboolean  last;    /* no batch comes after this one */
};

typedef struct {
  CoopExportRowFunc  func;
  gpointer           data;
  guint              n_rows;
  GAsyncQueue       *empty;  /* batches to fill */
  GAsyncQueue       *full;   /* batches to write, in order */
  gint               stop;   /* the writer wants no more rows */
} Rows;

static void
add_cell (CoopExportRow  *row,
          const Prepared *cell)
{
  if (cell->kind != PREPARED_NOTHING)
    g_array_append_vals (row->cells, cell, 1);
}

/* Frees what the cells from @first on own, and empties @row. */
static void
clear_row (CoopExportRow *row,
           guint          first)
{
  for (guint i = first; i < row->cells->len; i++)
    g_free (g_array_index (row->cells, Prepared, i).owned);
  g_array_set_size (row->cells, 0);
  g_array_set_size (row->ends, 0);
  row->last = FALSE;
}

void
coop_export_row_text (CoopExportRow *row,
                      guint          column,
                      const char    *text,
                      CoopCellStyle  style,
                      CoopTint       tint)
{
  Prepared cell;

  prepare_text (&cell, column, text, NULL, style, tint);
  add_cell (row, &cell);
}

/* Takes @text. */
void
coop_export_row_take_text (CoopExportRow *row,
                           guint          column,
                           char          *text,
                           CoopCellStyle  style,
                           CoopTint       tint)
{
  Prepared cell;

  prepare_text (&cell, column, text, text, style, tint);
  add_cell (row, &cell);
}

void
coop_export_row_number (CoopExportRow *row,
                        guint          column,
                        double         value,
                        CoopCellStyle  style,
                        CoopTint       tint)
{
  Prepared cell;

  prepare_number (&cell, column, value, style, tint);
  add_cell (row, &cell);
}

void
coop_export_row_blank (CoopExportRow *row,
                       guint          column,
                       CoopTint       tint)
{
  Prepared cell;

  prepare_blank (&cell, column, tint);
  add_cell (row, &cell);
}

/**
 * coop_export_row_cell:
 * @cell: from coop_export_render_field(); what it owns is taken, and it is
 *   cleared
 */
void
coop_export_row_cell (CoopExportRow  *row,
                      guint           column,
                      CoopExportCell *cell,
                      CoopTint        tint)
{
  Prepared prepared;

  prepare_cell (&prepared, column, cell, tint);
  add_cell (row, &prepared);
}

static gpointer
prepare_rows (gpointer data)
{
  Rows *rows = data;
  guint index = 0;

  for (;;)
    {
      CoopExportRow *batch = g_async_queue_pop (rows->empty);
      gboolean last;

      if (!g_atomic_int_get (&rows->stop))
        for (; index < rows->n_rows && batch->ends->len < ROWS_PER_BATCH; index++)
          {
            rows->func (batch, index, rows->data);
            g_array_append_val (batch->ends, batch->cells->len);
          }

      last = batch->last = index == rows->n_rows || g_atomic_int_get (&rows->stop);
      g_async_queue_push (rows->full, batch);
      if (last)
        return NULL;
    }
}

/* write_rows:
 * @n_rows: how many rows to write from the current row on
 * @func: (scope call): fills row @index, 0 to @n_rows - 1, with the
 *   coop_export_row_*() functions; it runs in another thread, a few hundred
 *   rows ahead of the one being written, so it may only read what nothing
 *   changes until this returns, and change only what nothing else reads
 * @job: a step for each row written
 *
 * Writes the rows of a long table.  libxlsxwriter formats and compresses on
 * one thread; cleaning and measuring text, and whatever @func does to find
 * it, take place on another, beside it.
 *
 * Returns: %FALSE, with @error set, when @job was cancelled
 */
static gboolean
write_rows (CoopExportSheet    *sheet,
            guint               n_rows,
            CoopExportRowFunc   func,
            gpointer            data,
            CoopExportJob      *job,
            GError            **error)
{
  Rows rows = { .func = func, .data = data, .n_rows = n_rows };
  CoopExportRow batches[N_BATCHES];
  GThread *thread;
  gboolean written = TRUE;

  if (n_rows == 0)
    return TRUE;

  rows.empty = g_async_queue_new ();
  rows.full = g_async_queue_new ();
  for (guint i = 0; i < N_BATCHES; i++)
    {
      batches[i].cells = g_array_sized_new (FALSE, FALSE, sizeof (Prepared), ROWS_PER_BATCH * 16);
      batches[i].ends = g_array_sized_new (FALSE, FALSE, sizeof (guint), ROWS_PER_BATCH);
      batches[i].last = FALSE;
      g_async_queue_push (rows.empty, &batches[i]);
    }

  thread = g_thread_new ("coop-export-rows", prepare_rows, &rows);

  for (;;)
    {
      CoopExportRow *batch = g_async_queue_pop (rows.full);
      gboolean last = batch->last;
      guint start = 0;

      for (guint r = 0; written && r < batch->ends->len; r++)
        {
          guint end = g_array_index (batch->ends, guint, r);

          for (guint c = start; c < end; c++)
            put_cell (sheet, &g_array_index (batch->cells, Prepared, c));
          start = end;
          coop_export_sheet_next_row (sheet);

          if (!coop_export_job_step (job, 1, error))
            {
              written = FALSE;
              g_atomic_int_set (&rows.stop, TRUE);
            }
        }

      clear_row (batch, start);
      if (last)
        break;
      g_async_queue_push (rows.empty, batch);
    }

  g_thread_join (thread);
  for (guint i = 0; i < N_BATCHES; i++)
    {
      g_array_unref (batches[i].cells);
      g_array_unref (batches[i].ends);
    }
  g_async_queue_unref (rows.empty);
  g_async_queue_unref (rows.full);
  return written;
}

/**
 * coop_export_book_write_table:
 * @name: the sheet's name
 * @titles: (array length=n_titles): the header row
 * @n_rows: the rows under it, made by @func (see write_rows ())
 * @job: a step for each row written
 *
 * Adds a streamed sheet that a table fills: its header row, frozen and
 * filtered, then @n_rows rows, prepared in another thread while
 * libxlsxwriter writes them.
 *
 * Returns: %FALSE, with @error set, when @job was cancelled; a failure to
 *   write is kept for coop_export_book_close () to report
 */
gboolean
coop_export_book_write_table (CoopExportBook     *book,
                              const char         *name,
                              const char *const  *titles,
                              guint               n_titles,
                              guint               n_rows,
                              CoopExportRowFunc   func,
                              gpointer            data,
                              CoopExportJob      *job,
                              GError            **error)
{
  CoopExportSheet *sheet = coop_export_book_add_sheet (book, name, TRUE);

  if (sheet == NULL)
    return TRUE;
  coop_export_sheet_header (sheet, titles, n_titles);
  if (!write_rows (sheet, n_rows, func, data, job, error))
    return FALSE;
  coop_export_sheet_finish_table (sheet, 0, n_titles);
  return TRUE;
}

/* Makes @column at least @width wide, whatever it holds. */
void
coop_export_sheet_fit_width (CoopExportSheet *sheet,
                             guint            column,
                             guint            width)
{
  note_width (sheet, column, width);
}

static void
set_widths (CoopExportSheet *sheet)
{
  for (guint i = 0; i < sheet->widths->len; i++)
    {
      guint width = g_array_index (sheet->widths, guint, i);

      if (width == 0)
        continue;
      width = CLAMP (width + PADDING, MIN_WIDTH, MAX_TEXT_WIDTH + PADDING);
      coop_export_book_check (sheet->book,
                              worksheet_set_column (sheet->worksheet, (lxw_col_t) i, (lxw_col_t) i,
                                                    width, NULL));
    }
}

static void
set_page (CoopExportSheet *sheet)
{
  worksheet_set_landscape (sheet->worksheet);
  worksheet_set_paper (sheet->worksheet, LXW_PAPER_A4);
  worksheet_set_margins (sheet->worksheet, 0.5, 0.5, 0.75, 0.75);
  worksheet_fit_to_pages (sheet->worksheet, 1, 0);
  /* The sheet's name on the left, "Page 3 of 12" on the right. */
  coop_export_book_check (sheet->book, worksheet_set_header (sheet->worksheet, "&L&A"));
  coop_export_book_check (sheet->book, worksheet_set_footer (sheet->worksheet, "&R&P / &N"));
}

/**
 * coop_export_sheet_finish_table:
 * @first_row: the header row of the table that fills the sheet
 * @n_columns: its width
 *
 * Freezes the header row, puts a filter on it, repeats it on every printed
 * page and sets the page and the column widths.
 */
void
coop_export_sheet_finish_table (CoopExportSheet *sheet,
                                guint            first_row,
                                guint            n_columns)
{
  guint last_row = MAX (sheet->last_row, first_row);

  worksheet_freeze_panes (sheet->worksheet, (lxw_row_t) first_row + 1, 0);
  if (n_columns > 0)
    coop_export_book_check (sheet->book,
                            worksheet_autofilter (sheet->worksheet, (lxw_row_t) first_row, 0,
                                                  (lxw_row_t) last_row, (lxw_col_t) n_columns - 1));
  coop_export_book_check (sheet->book,
                          worksheet_repeat_rows (sheet->worksheet, (lxw_row_t) first_row,
                                                 (lxw_row_t) first_row));
  coop_export_sheet_finish (sheet);
}

/**
 * coop_export_sheet_finish:
 *
 * Sets the page and the column widths.
 */
void
coop_export_sheet_finish (CoopExportSheet *sheet)
{
  set_widths (sheet);
  set_page (sheet);
}
