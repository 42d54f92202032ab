//! The normalized records, one struct per output table. Their columns (names, types, docs) are
//! declared once, in [`crate::sink::schema`].

pub use crate::normalize::decimal::Decimal;
pub use crate::normalize::place::Origin;

/// How far a document got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Read and recognized; every table it holds became records.
    Ok,
    /// Records were produced, but part of the document could not be placed (see `reason`).
    Partial,
    /// Read, but it holds no performance-target table.
    NoTables,
    /// It holds a table that looks like a performance-target form (it mentions 指标 or 绩效目标)
    /// in a layout the grammars do not know; `reason` lists the header cells seen.
    Unrecognized,
    /// Could not be read (see `reason`).
    Failed,
    /// Reading took longer than the time budget (`--doc-timeout`); abandoned.
    Timeout,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::NoTables => "no_tables",
            Status::Unrecognized => "unrecognized",
            Status::Failed => "failed",
            Status::Timeout => "timeout",
        }
    }
}

/// What made the records: this program's name and version.
pub const PROGRAM: &str = concat!("budget-extract ", env!("CARGO_PKG_VERSION"));

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    pub source_file: String,
    /// The folder `source_file` is relative to, on the machine that ran.
    pub source_root: Option<String>,
    pub format: String,
    pub encoding: Option<String>,
    pub bytes: u64,
    pub sha256: String,
    pub status: Status,
    pub reason: Option<String>,
    pub fiscal_year: Option<i32>,
    pub projects: u32,
    pub indicators: u32,
    pub department_goals: u32,
    /// Tables in the document, and those the recognizer took anything from.
    pub tables: u32,
    pub tables_read: u32,
    /// Characters (non-whitespace) in the tables read, and of them those placed in the records.
    pub table_chars: u64,
    pub placed_chars: u64,
    /// Template rows of the grids read (level names, nothing else): not indicators.
    pub placeholder_rows: u32,
    /// The forms its records were read as, `id@version`.
    pub forms: Vec<String>,
    pub warnings: Vec<String>,
    /// [`PROGRAM`], and the fingerprint of the grammars the records were read with.
    pub program: &'static str,
    pub grammars: Option<String>,
    /// The file's own format when it was converted before reading (doc, rtf → docx).
    pub converted_from: Option<String>,
    /// PDFs: characters (non-whitespace) read as paragraphs outside every table, and set aside
    /// as page furniture or outside the clipping path.
    pub chars_outside_tables: Option<u64>,
    pub chars_set_aside: Option<u64>,
    /// File names of the attachments a page without target tables links to. Not a column: the
    /// reason lists them; the batch, which knows where the page is, adds those beside it.
    pub attachments: Vec<String>,
}

impl DocumentRecord {
    /// A document row with no records yet: counts zero, no year, no forms, no warnings.
    pub fn new(
        source_file: &str,
        format: &str,
        bytes: u64,
        sha256: String,
        status: Status,
        reason: Option<String>,
    ) -> Self {
        DocumentRecord {
            source_file: source_file.to_string(),
            source_root: None,
            format: format.to_string(),
            encoding: None,
            bytes,
            sha256,
            status,
            reason,
            fiscal_year: None,
            projects: 0,
            indicators: 0,
            department_goals: 0,
            tables: 0,
            tables_read: 0,
            table_chars: 0,
            placed_chars: 0,
            placeholder_rows: 0,
            forms: Vec::new(),
            warnings: Vec::new(),
            program: PROGRAM,
            grammars: None,
            converted_from: None,
            chars_outside_tables: None,
            chars_set_aside: None,
            attachments: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectRecord {
    pub source_file: String,
    /// SHA-256 of the source file's bytes: the document's content id, for joins.
    pub document_id: String,
    pub table_index: u32,
    pub location: String,
    pub title: Option<String>,
    pub unit_raw: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub origin: Origin,
    pub form: Option<String>,
    pub record_kind: &'static str,
    pub fiscal_year: Option<i32>,
    pub fiscal_year_source: Option<&'static str>,
    pub project_name: Option<String>,
    pub project_code: Option<String>,
    pub amount_unit_raw: Option<String>,
    pub budget_total: Option<Decimal>,
    pub budget_total_raw: Option<String>,
    pub budget_fiscal: Option<Decimal>,
    pub budget_fiscal_raw: Option<String>,
    pub budget_other: Option<Decimal>,
    pub budget_other_raw: Option<String>,
    pub purpose: Option<String>,
    pub goal: Option<String>,
    /// JSON array of {milestone, percent, raw}.
    pub spending_plan: Option<String>,
    /// JSON object: label → value as published, for labels with no column of their own.
    pub extra_fields: Option<String>,
    /// JSON array: how each label and grid header was read.
    pub headers_read: Option<String>,
    pub indicator_count: u32,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndicatorRecord {
    pub source_file: String,
    /// SHA-256 of the source file's bytes: the document's content id, for joins.
    pub document_id: String,
    pub table_index: u32,
    pub row_index: u32,
    pub location: String,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub origin: Origin,
    pub form: Option<String>,
    pub record_kind: &'static str,
    pub fiscal_year: Option<i32>,
    pub project_name: Option<String>,
    pub project_code: Option<String>,
    pub level1: Option<String>,
    pub level1_filled: bool,
    pub level2: Option<String>,
    pub level2_filled: bool,
    pub level3: Option<String>,
    pub description: Option<String>,
    pub value_raw: Option<String>,
    pub value_kind: &'static str,
    pub value_op: Option<String>,
    pub value_num: Option<Decimal>,
    pub value_unit: Option<String>,
    pub value_scaled_num: Option<Decimal>,
    pub value_scaled_unit: Option<String>,
    /// The comparator and unit cells, when the form gives them columns of their own.
    pub value_op_raw: Option<String>,
    pub value_unit_raw: Option<String>,
    pub basis: Option<String>,
    /// Self-evaluations: the indicator's weight, and the value achieved beside the target.
    pub weight: Option<Decimal>,
    pub weight_raw: Option<String>,
    pub actual_raw: Option<String>,
    pub actual_num: Option<Decimal>,
    /// JSON object: header → cell, for columns the grammar does not know (备注, 评价标准, …).
    pub extra_fields: Option<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DepartmentGoalRecord {
    pub source_file: String,
    /// SHA-256 of the source file's bytes: the document's content id, for joins.
    pub document_id: String,
    pub location: String,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub origin: Origin,
    pub fiscal_year: Option<i32>,
    pub section: String,
    pub goal_index: Option<i32>,
    pub goal_text: String,
    pub indicator_kind: Option<String>,
    pub indicator_text: Option<String>,
}

/// One cell of a table read from a document, with what it fed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellRecord {
    pub source_file: String,
    pub document_id: String,
    /// The document's fiscal year (so that cells partition with their documents).
    pub fiscal_year: Option<i32>,
    /// 1-based position of the table among the document's tables.
    pub table_index: u32,
    pub page: Option<u32>,
    /// 1-based row within the table, and position of the cell within the row.
    pub row_index: u32,
    pub cell_index: u32,
    /// 1-based grid column, where the format has a grid (docx, xlsx); else the cell's position.
    pub column: u32,
    pub row_span: u32,
    pub col_span: u32,
    /// The lower part of a vertically merged cell: its text is the cell above's.
    pub continued: bool,
    /// Its row was cut by a page break and joined back.
    pub joined_across_pages: bool,
    pub text: String,
    /// What the cell fed (`projects.project_name`, `indicators.value_raw`,
    /// `projects.extra_fields:备注`, `label:…`, `header:…`, `warning`), or None.
    pub used_as: Option<String>,
    pub location: String,
}

/// Everything one input file produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub document: DocumentRecord,
    pub projects: Vec<ProjectRecord>,
    pub indicators: Vec<IndicatorRecord>,
    pub department_goals: Vec<DepartmentGoalRecord>,
    pub cells: Vec<CellRecord>,
}

impl Extraction {
    /// A document row with no records.
    pub fn only(document: DocumentRecord) -> Extraction {
        Extraction {
            document,
            projects: Vec::new(),
            indicators: Vec::new(),
            department_goals: Vec::new(),
            cells: Vec::new(),
        }
    }
}
