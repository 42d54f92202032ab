//! What a document page shows, whatever it was read from: the Parquet dataset (`report`) or a
//! file extracted in-process (`inspect`). Records are kept as lists of displayed columns, named
//! as in the schema ([`crate::sink::schema`]), so that both sources give the same page.

use crate::records::{CellRecord, DepartmentGoalRecord, DocumentRecord, Extraction, IndicatorRecord, ProjectRecord};
use crate::sink::schema::{Table, Value};

/// The columns of a project shown on its card, in this order.
pub const PROJECT_FIELDS: &[&str] = &[
    "title",
    "project_name",
    "project_code",
    "unit_raw",
    "unit_code",
    "unit_name",
    "province",
    "prefecture",
    "county",
    "court_level",
    "court_type",
    "org_kind",
    "form",
    "record_kind",
    "fiscal_year",
    "fiscal_year_source",
    "amount_unit_raw",
    "budget_total",
    "budget_total_raw",
    "budget_fiscal",
    "budget_fiscal_raw",
    "budget_other",
    "budget_other_raw",
    "purpose",
    "goal",
    "spending_plan",
    "extra_fields",
    "headers_read",
    "indicator_count",
];

/// The columns of an indicator shown in its row (province and fiscal_year feed the overview).
pub const INDICATOR_FIELDS: &[&str] = &[
    "province",
    "fiscal_year",
    "level1",
    "level1_filled",
    "level2",
    "level2_filled",
    "level3",
    "description",
    "value_raw",
    "value_kind",
    "value_op",
    "value_num",
    "value_unit",
    "value_scaled_num",
    "value_scaled_unit",
    "value_op_raw",
    "value_unit_raw",
    "basis",
    "weight",
    "weight_raw",
    "actual_raw",
    "actual_num",
    "extra_fields",
];

/// The columns of a department goal line.
pub const GOAL_FIELDS: &[&str] = &["section", "goal_index", "goal_text", "indicator_kind", "indicator_text"];

/// The document's row (documents.parquet), the columns the report uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub source_file: String,
    pub source_root: Option<String>,
    pub format: String,
    pub encoding: Option<String>,
    pub bytes: i64,
    pub sha256: String,
    pub status: String,
    pub reason: Option<String>,
    pub fiscal_year: Option<i32>,
    pub projects: i64,
    pub indicators: i64,
    pub department_goals: i64,
    pub tables: i64,
    pub tables_read: i64,
    pub table_chars: i64,
    pub placed_chars: i64,
    pub forms: Vec<String>,
    pub warnings: Vec<String>,
    pub program: Option<String>,
    pub grammars: Option<String>,
    pub converted_from: Option<String>,
}

impl Doc {
    pub fn from_record(d: &DocumentRecord) -> Doc {
        Doc {
            source_file: d.source_file.clone(),
            source_root: d.source_root.clone(),
            format: d.format.clone(),
            encoding: d.encoding.clone(),
            bytes: d.bytes as i64,
            sha256: d.sha256.clone(),
            status: d.status.as_str().to_string(),
            reason: d.reason.clone(),
            fiscal_year: d.fiscal_year,
            projects: d.projects.into(),
            indicators: d.indicators.into(),
            department_goals: d.department_goals.into(),
            tables: d.tables.into(),
            tables_read: d.tables_read.into(),
            table_chars: d.table_chars as i64,
            placed_chars: d.placed_chars as i64,
            forms: d.forms.clone(),
            warnings: d.warnings.clone(),
            program: Some(d.program.to_string()),
            grammars: d.grammars.clone(),
            converted_from: d.converted_from.clone(),
        }
    }

    /// The form ids of `forms` (`project-targets@1` → `project-targets`).
    pub fn form_ids(&self) -> Vec<&str> {
        self.forms.iter().map(|f| f.split_once('@').map_or(f.as_str(), |(id, _)| id)).collect()
    }
}

/// A project, indicator or department-goal row: where it is, its displayed columns (nulls
/// left out), its warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// projects and indicators: the project's order in its file.
    pub table_index: Option<i32>,
    /// indicators: the row's order in its project's grid.
    pub row_index: Option<i32>,
    pub location: String,
    pub fields: Vec<(&'static str, String)>,
    pub warnings: Vec<String>,
}

impl Record {
    pub fn get(&self, column: &str) -> Option<&str> {
        self.fields.iter().find(|(c, _)| *c == column).map(|(_, v)| v.as_str())
    }

    /// A record from its struct, through the schema's accessors.
    fn of<R: Table>(r: &R, shown: &[&'static str]) -> Record {
        let mut out = Record::default();
        let columns = R::columns();
        for c in &columns {
            let value = (c.get)(r);
            match c.name {
                "table_index" => out.table_index = as_i32(&value),
                "row_index" => out.row_index = as_i32(&value),
                "location" => out.location = display(&value).unwrap_or_default(),
                "warnings" => {
                    if let Value::List(items) = value {
                        out.warnings = items.to_vec();
                    }
                }
                _ => {}
            }
        }
        for name in shown {
            if let Some(v) = columns.iter().find(|c| c.name == *name).and_then(|c| display(&(c.get)(r))) {
                out.fields.push((name, v));
            }
        }
        out
    }
}

fn as_i32(v: &Value) -> Option<i32> {
    match v {
        Value::I32(i) => *i,
        Value::I64(i) => i.and_then(|i| i32::try_from(i).ok()),
        _ => None,
    }
}

/// A value as the page shows it; None for null (and for a false flag: only a set flag says
/// something).
pub fn display(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => s.map(str::to_string),
        Value::I32(i) => i.map(|i| i.to_string()),
        Value::I64(i) => i.map(|i| i.to_string()),
        Value::Dec(d) => d.map(|d| d.to_string()),
        Value::Bool(b) => b.then(|| "true".to_string()),
        Value::List(items) => (!items.is_empty()).then(|| items.join("; ")),
    }
}

/// A double as the page shows it: the shortest text that reads back as the same number.
pub fn number(f: f64) -> String {
    format!("{f}")
}

/// One cell of a table as read (cells.parquet).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub table_index: i32,
    pub page: Option<i32>,
    pub row_index: i32,
    pub cell_index: i32,
    pub column: i32,
    pub row_span: i32,
    pub col_span: i32,
    pub continued: bool,
    pub joined_across_pages: bool,
    pub text: String,
    pub used_as: Option<String>,
    pub location: String,
}

impl Cell {
    pub fn from_record(c: &CellRecord) -> Cell {
        let i = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        Cell {
            table_index: i(c.table_index),
            page: c.page.map(i),
            row_index: i(c.row_index),
            cell_index: i(c.cell_index),
            column: i(c.column),
            row_span: i(c.row_span),
            col_span: i(c.col_span),
            continued: c.continued,
            joined_across_pages: c.joined_across_pages,
            text: c.text.clone(),
            used_as: c.used_as.clone(),
            location: c.location.clone(),
        }
    }
}

/// Everything one document page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentView {
    pub doc: Doc,
    pub projects: Vec<Record>,
    pub indicators: Vec<Record>,
    pub goals: Vec<Record>,
    pub cells: Vec<Cell>,
}

impl DocumentView {
    /// The page of a document extracted in-process (`inspect`).
    pub fn from_extraction(e: &Extraction) -> DocumentView {
        let mut view = DocumentView {
            doc: Doc::from_record(&e.document),
            projects: e.projects.iter().map(|p| Record::of::<ProjectRecord>(p, PROJECT_FIELDS)).collect(),
            indicators: e.indicators.iter().map(|i| Record::of::<IndicatorRecord>(i, INDICATOR_FIELDS)).collect(),
            goals: e.department_goals.iter().map(|g| Record::of::<DepartmentGoalRecord>(g, GOAL_FIELDS)).collect(),
            cells: e.cells.iter().map(Cell::from_record).collect(),
        };
        view.sort();
        view
    }

    /// Rows in their natural order, whatever order the files gave them in (a document's
    /// projects may come from several partitions).
    pub fn sort(&mut self) {
        self.projects.sort_by(|a, b| a.table_index.cmp(&b.table_index).then_with(|| a.location.cmp(&b.location)));
        self.indicators.sort_by(|a, b| {
            (a.table_index, a.row_index).cmp(&(b.table_index, b.row_index)).then_with(|| a.location.cmp(&b.location))
        });
        self.cells.sort_by_key(|c| (c.table_index, c.row_index, c.cell_index));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{CellRecord, DepartmentGoalRecord, IndicatorRecord, ProjectRecord};

    fn names<R: Table>() -> Vec<&'static str> {
        R::columns().iter().map(|c| c.name).collect()
    }

    /// A displayed column missing from the schema would silently never show.
    #[test]
    fn displayed_columns_exist_in_the_schema() {
        for (shown, schema) in [
            (PROJECT_FIELDS, names::<ProjectRecord>()),
            (INDICATOR_FIELDS, names::<IndicatorRecord>()),
            (GOAL_FIELDS, names::<DepartmentGoalRecord>()),
        ] {
            for name in shown {
                assert!(schema.contains(name), "{name} is not a column");
            }
        }
        for name in ["table_index", "row_index", "column", "row_span", "col_span", "continued", "used_as"] {
            assert!(names::<CellRecord>().contains(&name), "{name} is not a cells column");
        }
    }

    #[test]
    fn values_display_as_written_and_nulls_and_false_flags_not_at_all() {
        use crate::normalize::decimal::Decimal;
        assert_eq!(display(&Value::Dec(Decimal::parse("1430000").ok())), Some("1430000".to_string()));
        assert_eq!(display(&Value::Dec(Decimal::parse("49.70").ok())), Some("49.7".to_string()));
        assert_eq!(display(&Value::Str(None)), None);
        assert_eq!(display(&Value::Bool(false)), None);
        assert_eq!(display(&Value::Bool(true)), Some("true".to_string()));
    }

    #[test]
    fn a_record_keeps_its_place_and_warnings_apart_from_its_fields() {
        let i = IndicatorRecord {
            table_index: 2,
            row_index: 3,
            location: "table 4, row 5".into(),
            value_raw: Some("≥6000件".into()),
            warnings: vec!["short row".into()],
            ..Default::default()
        };
        let r = Record::of::<IndicatorRecord>(&i, INDICATOR_FIELDS);
        assert_eq!((r.table_index, r.row_index, r.location.as_str()), (Some(2), Some(3), "table 4, row 5"));
        assert_eq!(r.get("value_raw"), Some("≥6000件"));
        assert_eq!(r.get("level1"), None);
        assert_eq!(r.warnings, vec!["short row".to_string()]);
    }
}
