//! Where every table cell went: the recognizer marks each cell it takes — into a record field,
//! into `extra_fields` under its label or header, as a label or header that named a field, as a
//! heading or year line, or quoted in a warning. A table the recognizer took anything from must
//! have every non-empty cell marked: text left unmarked was dropped, and the document cannot be
//! `ok` (see [`Accounting`]). The marks are also what `cells.parquet` says each cell fed.

use std::collections::HashMap;

use crate::blocks::{Block, Document};

/// A cell of the document: its table (the table's position among the document's tables,
/// 0-based), its row in that table and its position in the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellId {
    pub table: u32,
    pub row: u32,
    pub cell: u32,
}

/// What a cell fed, as `cells.used_as` says it:
/// - `projects.<column>`, `indicators.<column>`: the column that holds the cell's text;
/// - `projects.extra_fields:<key>`, `indicators.extra_fields:<key>`;
/// - `label:<what it names>`, `header:<what it names>`: a label or header cell;
/// - `evidence:fiscal_year`: a year line read as evidence of the fiscal year;
/// - `subtotal`: a cell of a listing's total or subtotal row;
/// - `placeholder`: a level name of a template row, which holds no indicator;
/// - `warning`: quoted in a warning, placed nowhere (the document is then not `ok`).
pub type Use = String;

/// The marks of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    uses: HashMap<CellId, Use>,
}

pub const WARNING: &str = "warning";
/// A level name of a template row: the form prints every level, the project has no indicator
/// there (see `documents.placeholder_rows`).
pub const PLACEHOLDER: &str = "placeholder";
/// A total or subtotal row of a flat listing (合计, a unit's subtotal): no project's.
pub const SUBTOTAL: &str = "subtotal";

impl Ledger {
    /// Marks a cell; a cell already placed keeps its first use unless `used` places it and the
    /// first only quoted it in a warning.
    pub fn mark(&mut self, id: CellId, used: impl Into<Use>) {
        let used = used.into();
        match self.uses.get(&id) {
            Some(old) if old != WARNING || used == WARNING => {}
            _ => {
                self.uses.insert(id, used);
            }
        }
    }

    pub fn get(&self, id: &CellId) -> Option<&str> {
        self.uses.get(id).map(String::as_str)
    }

    /// Whether the recognizer read table `table`: took a cell of it, or quoted one in a warning
    /// (its rows were read as a project's, and its other cells must be accounted for too).
    pub fn table_read(&self, table: u32) -> bool {
        self.uses.keys().any(|id| id.table == table)
    }
}

/// How much of the text of the tables the recognizer read ended where.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accounting {
    /// Tables the recognizer took something from, and all tables.
    pub tables_read: u32,
    pub tables: u32,
    /// Characters (non-whitespace) of the non-empty cells of the tables read.
    pub table_chars: u64,
    /// … of the cells placed (a field, extra_fields, a label, a header, evidence).
    pub placed_chars: u64,
    /// Template rows read (level names, nothing else), which hold no indicator.
    pub placeholder_rows: u32,
    /// Cells quoted in a warning and placed nowhere: (where, text).
    pub warned: Vec<(String, String)>,
    /// Cells nothing took: (where, text). A recognizer bug or a layout it does not know; never
    /// silent.
    pub unaccounted: Vec<(String, String)>,
}

impl Accounting {
    /// Every non-empty cell of the tables the ledger shows were read, counted.
    pub fn of(doc: &Document, ledger: &Ledger) -> Accounting {
        let mut a = Accounting::default();
        for (t, table) in tables(doc).enumerate() {
            let t = t as u32;
            a.tables += 1;
            if !ledger.table_read(t) {
                continue;
            }
            a.tables_read += 1;
            for (r, row) in table.rows.iter().enumerate() {
                let placeholder = (0..row.cells.len())
                    .any(|c| ledger.get(&CellId { table: t, row: r as u32, cell: c as u32 }) == Some(PLACEHOLDER));
                a.placeholder_rows += u32::from(placeholder);
                for (c, cell) in row.cells.iter().enumerate() {
                    if cell.continued || cell.is_blank() {
                        continue;
                    }
                    let text = cell.text();
                    let chars = text.chars().filter(|c| !c.is_whitespace()).count() as u64;
                    a.table_chars += chars;
                    let id = CellId { table: t, row: r as u32, cell: c as u32 };
                    let at = || cell.location.to_string();
                    match ledger.get(&id) {
                        Some(WARNING) => a.warned.push((at(), text)),
                        Some(_) => a.placed_chars += chars,
                        None => a.unaccounted.push((at(), text)),
                    }
                }
            }
        }
        a
    }

    /// Whether every cell of the tables read is placed.
    pub fn complete(&self) -> bool {
        self.warned.is_empty() && self.unaccounted.is_empty()
    }
}

/// The document's tables in order, as the ledger numbers them.
pub fn tables(doc: &Document) -> impl Iterator<Item = &crate::blocks::Table> {
    doc.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        Block::Paragraph(_) => None,
    })
}
