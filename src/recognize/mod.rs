//! Recognize: blocks → projects, indicator rows and department goals, still as the raw cell text
//! they were published with. Normalization comes after, in [`crate::normalize`].
//!
//! The recognizer reads the rows of all tables in document order as one stream and keys on
//! content, not on how a producer split the form into tables: a unit row or a second 项目名称
//! starts a project, a heading paragraph names the next one, label cells fill its fields, and an
//! indicator header row opens a grid whose rows become indicators.

pub mod department;
pub mod grammar;
pub mod indicators;
pub mod ledger;
pub mod project;

use crate::blocks::{Block, Document, Location};
use crate::grammars::Grammars;

/// A cell's text and where it came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sourced {
    pub text: String,
    pub location: Location,
}

/// One project table as published.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawProject {
    pub title: Option<Sourced>,
    /// The unit cell, e.g. `207101天津市河北区人民法院`.
    pub unit: Option<Sourced>,
    /// The declared amount unit (`单位：万元` → `万元`).
    pub amount_unit: Option<String>,
    pub project_name: Option<Sourced>,
    pub project_code: Option<Sourced>,
    pub budget_total: Option<Sourced>,
    pub budget_fiscal: Option<Sourced>,
    pub budget_other: Option<Sourced>,
    pub purpose: Option<Sourced>,
    pub goal: Option<Sourced>,
    /// (milestone, percentage cell), e.g. (`3月底`, `25%`).
    pub spending_plan: Vec<(String, String)>,
    /// Labelled values the records have no column for (项目性质, 主管部门, …), in order.
    pub extra: Vec<(String, Sourced)>,
    pub indicators: Vec<RawIndicator>,
    /// Extent of the project in the source.
    pub location: Location,
    /// Problems met while recognizing it.
    pub notes: Vec<String>,
    /// Rows or cells of this project that could not be placed in any field (kept in `notes`).
    pub unplaced: u32,
    /// Keys of the label and header cells the block holds: what its form is told by.
    pub label_keys: Vec<String>,
    /// Each label and grid header read: (text as published, the column it was read as, how).
    pub headers_read: Vec<(String, String, crate::grammars::By)>,
    /// Read from a flat listing (one row per indicator, the project in columns beside).
    pub listed: bool,
    /// Template rows of its grid (level names, nothing else): not indicators.
    pub placeholders: u32,
    /// Told a target table by a heading, a unit row, a spelled field label or a grid header:
    /// only then are its other labels read by meaning.
    pub told: bool,
}

/// One indicator row as published. Level names carried down from a merged cell are marked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawIndicator {
    pub level1: Option<String>,
    pub level1_filled: bool,
    pub level2: Option<String>,
    pub level2_filled: bool,
    pub level3: Option<String>,
    pub description: Option<String>,
    pub value: Option<String>,
    pub basis: Option<String>,
    /// Comparator and unit cells when the form gives them columns of their own.
    pub operator: Option<String>,
    pub unit: Option<String>,
    pub weight: Option<String>,
    pub actual: Option<String>,
    /// Cells under headers the grammar does not know (备注, 评价标准, …): (header, text).
    pub extra: Vec<(String, String)>,
    pub location: Location,
    pub notes: Vec<String>,
    /// Cells of the row that fit no column (kept in `notes`).
    pub unplaced: bool,
}

/// One line of the 部门整体绩效目标 prose.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawGoal {
    /// `总体绩效目标` or `分项绩效目标`.
    pub section: String,
    pub goal_index: Option<i32>,
    pub goal_text: String,
    pub indicator_kind: Option<String>,
    pub indicator_text: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recognized {
    pub projects: Vec<RawProject>,
    pub department_goals: Vec<RawGoal>,
    /// Every `YYYY年度` in the document's text, in order (fiscal-year evidence).
    pub year_mentions: Vec<i32>,
    /// Whether the document had any table at all.
    pub has_tables: bool,
    /// Where every table cell went.
    pub ledger: ledger::Ledger,
    /// Document-level warnings of the recognizer (empty templates).
    pub notes: Vec<String>,
}

pub fn recognize(doc: &Document, g: &Grammars) -> Recognized {
    let mut projects = project::ProjectReader::new(g);
    let mut year_mentions = Vec::new();
    let mut table = 0u32;
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => {
                year_mentions.extend(grammar::year_mentions(&p.text));
                projects.paragraph(p);
            }
            Block::Table(t) => {
                for (r, row) in t.rows.iter().enumerate() {
                    for p in row.cells.iter().flat_map(|c| &c.paragraphs) {
                        year_mentions.extend(grammar::year_mentions(p));
                    }
                    projects.at(table, r as u32);
                    projects.row(row, &t.rows[r + 1..]);
                }
                table += 1;
            }
        }
    }
    let (projects, ledger, notes) = projects.finish();
    Recognized {
        projects,
        department_goals: department::read(doc, &g.department),
        year_mentions,
        has_tables: doc.tables().next().is_some(),
        ledger,
        notes,
    }
}
