//! The normalized records, one struct per output table. Their columns (names, types, docs) are
//! declared once, in [`crate::sink::schema`].

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

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    pub source_file: String,
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
    /// The forms its records were read as, `id@version`.
    pub forms: Vec<String>,
    pub warnings: Vec<String>,
    /// The file's own format when it was converted before reading (doc, rtf → docx).
    pub converted_from: Option<String>,
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
            forms: Vec::new(),
            warnings: Vec::new(),
            converted_from: None,
            attachments: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectRecord {
    pub source_file: String,
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
    pub budget_total: Option<f64>,
    pub budget_total_raw: Option<String>,
    pub budget_fiscal: Option<f64>,
    pub budget_fiscal_raw: Option<String>,
    pub budget_other: Option<f64>,
    pub budget_other_raw: Option<String>,
    pub purpose: Option<String>,
    pub goal: Option<String>,
    /// JSON array of {milestone, percent, raw}.
    pub spending_plan: Option<String>,
    /// JSON object: label → value as published, for labels with no column of their own.
    pub extra_fields: Option<String>,
    pub indicator_count: u32,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndicatorRecord {
    pub source_file: String,
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
    pub value_num: Option<f64>,
    pub value_unit: Option<String>,
    pub value_scaled_num: Option<f64>,
    pub value_scaled_unit: Option<String>,
    /// The comparator and unit cells, when the form gives them columns of their own.
    pub value_op_raw: Option<String>,
    pub value_unit_raw: Option<String>,
    pub basis: Option<String>,
    /// Self-evaluations: the indicator's weight, and the value achieved beside the target.
    pub weight: Option<f64>,
    pub weight_raw: Option<String>,
    pub actual_raw: Option<String>,
    pub actual_num: Option<f64>,
    /// JSON object: header → cell, for columns the grammar does not know (备注, 评价标准, …).
    pub extra_fields: Option<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DepartmentGoalRecord {
    pub source_file: String,
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

/// Everything one input file produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub document: DocumentRecord,
    pub projects: Vec<ProjectRecord>,
    pub indicators: Vec<IndicatorRecord>,
    pub department_goals: Vec<DepartmentGoalRecord>,
}
