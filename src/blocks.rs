//! The intermediate model every ingest stage produces: a document is a sequence of blocks,
//! paragraphs and tables, in reading order. Tables are rows of cells; a cell knows its spans and
//! where it came from, so every record built from it can point back into the source.

use std::fmt;

/// Where a piece of content sits in its source file. Text dumps know lines; Word files know
/// table, row and cell indices; PDFs add the page. Fields a format does not know stay `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub page: Option<u32>,
    /// 1-based table number within the document (docx, pdf).
    pub table: Option<u32>,
    /// 1-based row number within its table (docx, pdf).
    pub row: Option<u32>,
    /// 1-based grid column of a cell (docx).
    pub column: Option<u32>,
    /// 1-based number of a body paragraph outside tables (docx).
    pub paragraph: Option<u32>,
    /// 1-based first and last line in the source (text dumps).
    pub lines: Option<(u32, u32)>,
}

impl Location {
    pub fn lines(first: u32, last: u32) -> Self {
        Location { lines: Some((first, last)), ..Location::default() }
    }

    /// The smallest location covering both (used to give a row the extent of its cells).
    pub fn merge(self, other: Location) -> Location {
        let lines = match (self.lines, other.lines) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (l, None) | (None, l) => l,
        };
        Location {
            page: self.page.or(other.page),
            table: self.table.or(other.table),
            row: self.row.or(other.row),
            column: self.column.or(other.column),
            paragraph: self.paragraph.or(other.paragraph),
            lines,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(p) = self.page {
            parts.push(format!("page {p}"));
        }
        if let Some(t) = self.table {
            parts.push(format!("table {t}"));
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = self.column {
            parts.push(format!("column {c}"));
        }
        if let Some(p) = self.paragraph {
            parts.push(format!("paragraph {p}"));
        }
        match self.lines {
            Some((a, b)) if a == b => parts.push(format!("line {a}")),
            Some((a, b)) => parts.push(format!("lines {a}-{b}")),
            None => {}
        }
        f.write_str(&parts.join(", "))
    }
}

/// One table cell. Its text is made of paragraphs; spans say how many grid columns and rows it
/// covers. `continued` marks the lower part of a vertically merged cell (Word's `vMerge`
/// continuation): it belongs to the cell above and carries no text of its own. Formats that lose
/// merges (text dumps) show such a cell as an ordinary empty cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    pub paragraphs: Vec<String>,
    pub col_span: u32,
    pub row_span: u32,
    pub continued: bool,
    pub location: Location,
}

impl Cell {
    pub fn new(paragraphs: Vec<String>, location: Location) -> Self {
        Cell { paragraphs, col_span: 1, row_span: 1, continued: false, location }
    }

    /// The cell's text: its non-empty paragraphs, each trimmed, joined by newlines.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in self.paragraphs.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(p);
        }
        out
    }

    pub fn is_blank(&self) -> bool {
        self.paragraphs.iter().all(|p| p.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub location: Location,
    /// Problems the ingest stage met while recovering this row (e.g. a row shorter than its
    /// table's header); carried into the records' warnings.
    pub notes: Vec<String>,
}

#[cfg(test)]
impl Row {
    /// A row of one-paragraph cells, for tests of the stages that read rows.
    pub(crate) fn of_texts(texts: &[&str]) -> Row {
        let cells = texts.iter().map(|t| Cell::new(vec![t.to_string()], Location::default())).collect();
        Row { cells, location: Location::default(), notes: Vec::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// A document as the ingest stages hand it to the recognizer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }
}
