//! Caps on every length the readers take from the input. A document past one is refused as
//! soon as the reader sees it — early and cheaply — with a reason naming the cap, instead of
//! running into the worker's memory or time limit. Each is far beyond what a real disclosure
//! holds (a target table has tens of rows and under 20 columns; a budget PDF, a few hundred
//! pages) and far below what would hurt a worker with the default 2 GiB.

use crate::error::Error;

/// Grid columns of a Word table (Word allows 63) or a row's columns, spans included.
pub const MAX_GRID_COLUMNS: u64 = 1_024;
/// Rows of one table.
pub const MAX_TABLE_ROWS: u64 = 100_000;
/// Cells of one document, all tables together.
pub const MAX_CELLS: u64 = 2_000_000;
/// Text of one cell or paragraph, in bytes.
pub const MAX_CELL_TEXT_BYTES: u64 = 4 << 20;
/// Text of one document, every cell and paragraph counted (a shared string each time it is
/// used), in bytes.
pub const MAX_TEXT_BYTES: u64 = 256 << 20;
/// Nesting depth of XML elements.
pub const MAX_XML_DEPTH: u64 = 512;
/// Tables nested inside table cells.
pub const MAX_TABLE_NESTING: u64 = 16;
/// Lines of a text dump.
pub const MAX_LINES: u64 = 4_000_000;
/// Rows × columns of the range of a sheet that holds values.
pub const MAX_SHEET_AREA: u64 = 4_000_000;
/// Merged regions of one sheet.
pub const MAX_MERGES: u64 = 200_000;
/// Strings a workbook's shared-strings table may declare per byte of it.
pub const MAX_SHARED_STRINGS_PER_BYTE: u64 = 1;
/// Nesting depth of PDF arrays and dictionaries.
pub const MAX_PDF_NESTING: u64 = 256;
/// Pages of a PDF.
pub const MAX_PAGES: u64 = 20_000;
/// Operators on one page, Form XObjects' included each time they are drawn (the real budgets
/// of `../shared/real` have at most 11,361; lopdf's content parser holds about 300 bytes per
/// operator).
pub const MAX_PAGE_OPERATORS: u64 = 1_000_000;
/// Bytes of shown strings (an upper bound of glyphs) on one page, Form XObjects' included.
pub const MAX_PAGE_GLYPHS: u64 = 1_000_000;
/// Bytes one PDF stream may inflate to.
pub const MAX_STREAM_BYTES: u64 = 128 << 20;
/// Bytes of content a PDF's pages may inflate to together, a stream counted each time a page
/// or a Form XObject uses it.
pub const MAX_CONTENT_BYTES: u64 = 512 << 20;
/// Codes one range of a ToUnicode map or CMap may span (a range is meant to vary its last
/// byte only: 256 codes).
pub const MAX_CMAP_RANGE: u64 = 65_536;
/// Form XObjects drawn inside Form XObjects.
pub const MAX_FORM_DEPTH: u64 = 32;
/// Form XObjects drawn on one page, each drawing counted.
pub const MAX_FORM_DRAWS: u64 = 100_000;

/// `Err` naming the cap when `n` is past it.
pub fn check(what: impl FnOnce(u64) -> String, n: u64, max: u64, limit: &'static str) -> Result<(), Error> {
    if n > max {
        Err(Error::Limit { what: what(n), max, limit })
    } else {
        Ok(())
    }
}

/// Counts the cells and text a reader builds, against [`MAX_CELLS`], [`MAX_CELL_TEXT_BYTES`]
/// and [`MAX_TEXT_BYTES`].
#[derive(Debug, Default)]
pub struct Budget {
    cells: u64,
    text: u64,
}

impl Budget {
    /// One more cell (or paragraph) of `text_bytes`.
    pub fn cell(&mut self, text_bytes: usize) -> Result<(), Error> {
        self.cells += 1;
        check(|n| format!("the document has {n} cells"), self.cells, MAX_CELLS, "MAX_CELLS")?;
        self.text(text_bytes)
    }

    /// `text_bytes` more text in a cell already counted.
    pub fn text(&mut self, text_bytes: usize) -> Result<(), Error> {
        let cell = text_bytes as u64;
        check(|n| format!("a cell holds {n} bytes of text"), cell, MAX_CELL_TEXT_BYTES, "MAX_CELL_TEXT_BYTES")?;
        self.text += cell;
        check(|n| format!("the document holds {n} bytes of text"), self.text, MAX_TEXT_BYTES, "MAX_TEXT_BYTES")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_names_itself_in_the_reason() {
        let spans = |n| format!("a row spans {n} grid columns");
        let e = check(spans, 4_000_000_000, MAX_GRID_COLUMNS, "MAX_GRID_COLUMNS").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a row spans 4000000000 grid columns, over the limit of 1024 (MAX_GRID_COLUMNS): not read"
        );
        assert!(check(spans, 1024, MAX_GRID_COLUMNS, "MAX_GRID_COLUMNS").is_ok());
    }

    #[test]
    fn the_budget_counts_every_cell() {
        let mut b = Budget::default();
        assert!(b.cell(10).is_ok());
        assert!(b.cell(MAX_CELL_TEXT_BYTES as usize + 1).is_err());
    }
}
