//! Reading a dataset written by `extract`: each table is one file (`OUT/<table>.parquet`) or a
//! folder of part files (`OUT/<table>.parquet/**/part-*.parquet`, Hive partitions in the folder
//! names, their columns not in the files). The report streams it: every part file is sorted by
//! `source_file` (the batch writes documents in that order, and copies an earlier run's rows in
//! it too), so the rows of one document are taken from the heads of all part files at once, a
//! document at a time, and memory holds one document's rows per table, not the dataset.

use std::cmp::Ordering;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;

use super::model::{number, Cell, Doc, Record};
use super::ReportError;
use crate::sink::schema::{Kind, Table};

/// Rows decoded at a time from a part file.
const BATCH_ROWS: usize = 4096;

/// The folder-name value of a null partition (as the writer spells it).
const NULL_PARTITION: &str = crate::sink::dataset::NULL_PARTITION;

/// One data file of a table, with the partition values its folders name.
#[derive(Debug, Clone, PartialEq)]
pub struct PartFile {
    pub path: PathBuf,
    pub partition: Vec<(String, Option<String>)>,
}

/// The data files of table `name` in `out`, in path order; empty when the table is absent.
pub fn part_files(out: &Path, name: &str) -> Result<Vec<PartFile>, ReportError> {
    let table = out.join(format!("{name}.parquet"));
    if table.is_file() {
        return Ok(vec![PartFile { path: table, partition: vec![] }]);
    }
    let mut found = Vec::new();
    if table.is_dir() {
        collect(&table, &mut Vec::new(), &mut found)?;
    }
    Ok(found)
}

fn collect(
    dir: &Path,
    partition: &mut Vec<(String, Option<String>)>,
    out: &mut Vec<PartFile>,
) -> Result<(), ReportError> {
    let read = |source| ReportError::Read { path: dir.to_path_buf(), source };
    let mut entries: Vec<_> = fs::read_dir(dir).map_err(read)?.collect::<Result<_, _>>().map_err(read)?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        // Temporary files of a run in progress, and anything else hidden, are not data.
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            let Some((column, value)) = name.split_once('=') else { continue };
            let value = unescape(value);
            partition.push((column.to_string(), (value != NULL_PARTITION).then_some(value)));
            collect(&path, partition, out)?;
            partition.pop();
        } else if name.starts_with("part-") && name.ends_with(".parquet") {
            out.push(PartFile { path, partition: partition.clone() });
        }
    }
    Ok(())
}

/// A Hive folder-name value: `%XX` escapes back to their bytes (the writer escapes `/`, `=`,
/// `%` and a few others); anything else, a malformed escape included, as written.
pub fn unescape(v: &str) -> String {
    let bytes = v.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A column of a batch: an array of the file, or a partition's value (the same on every row).
enum Column<'a> {
    Array(&'a dyn Array),
    Constant(Option<&'a str>),
}

/// One decoded batch of a part file, with its partition values.
pub struct Batch {
    batch: RecordBatch,
    partition: Vec<(String, Option<String>)>,
    path: PathBuf,
}

impl Batch {
    pub fn rows(&self) -> usize {
        self.batch.num_rows()
    }

    fn column(&self, name: &str) -> Option<Column<'_>> {
        if let Some(a) = self.batch.column_by_name(name) {
            return Some(Column::Array(a.as_ref()));
        }
        self.partition.iter().find(|(c, _)| c == name).map(|(_, v)| Column::Constant(v.as_deref()))
    }

    fn wrong_type(&self, name: &str, expected: &str) -> ReportError {
        let found = self.batch.column_by_name(name).map(|a| a.data_type().to_string()).unwrap_or_default();
        ReportError::Column { path: self.path.clone(), column: name.to_string(), expected: expected.to_string(), found }
    }

    /// A string column's value; None for null or a missing column.
    pub fn str(&self, name: &str, row: usize) -> Result<Option<&str>, ReportError> {
        Ok(match self.column(name) {
            None => None,
            Some(Column::Constant(v)) => v,
            Some(Column::Array(a)) => {
                if a.is_null(row) {
                    return Ok(None);
                }
                match a.data_type() {
                    DataType::Utf8 => Some(a.as_string::<i32>().value(row)),
                    DataType::LargeUtf8 => Some(a.as_string::<i64>().value(row)),
                    DataType::Utf8View => Some(a.as_string_view().value(row)),
                    _ => return Err(self.wrong_type(name, "a string")),
                }
            }
        })
    }

    pub fn string(&self, name: &str, row: usize) -> Result<Option<String>, ReportError> {
        Ok(self.str(name, row)?.map(str::to_string))
    }

    /// An integer column's value; None for null or a missing column.
    pub fn int(&self, name: &str, row: usize) -> Result<Option<i64>, ReportError> {
        Ok(match self.column(name) {
            None | Some(Column::Constant(None)) => None,
            Some(Column::Constant(Some(v))) => {
                Some(v.parse().map_err(|_| self.wrong_type(name, "an integer partition value"))?)
            }
            Some(Column::Array(a)) => {
                if a.is_null(row) {
                    return Ok(None);
                }
                match a.data_type() {
                    DataType::Int32 => Some(a.as_primitive::<Int32Type>().value(row).into()),
                    DataType::Int64 => Some(a.as_primitive::<Int64Type>().value(row)),
                    _ => return Err(self.wrong_type(name, "an integer")),
                }
            }
        })
    }

    pub fn int32(&self, name: &str, row: usize) -> Result<Option<i32>, ReportError> {
        Ok(self.int(name, row)?.map(|v| v.clamp(i32::MIN.into(), i32::MAX.into()) as i32))
    }

    fn float(&self, name: &str, row: usize) -> Result<Option<f64>, ReportError> {
        Ok(match self.column(name) {
            None | Some(Column::Constant(None)) => None,
            Some(Column::Constant(Some(v))) => v.parse().ok(),
            Some(Column::Array(a)) => {
                if a.is_null(row) {
                    return Ok(None);
                }
                match a.data_type() {
                    DataType::Float64 => Some(a.as_primitive::<Float64Type>().value(row)),
                    _ => return Err(self.wrong_type(name, "a double")),
                }
            }
        })
    }

    pub fn bool(&self, name: &str, row: usize) -> Result<bool, ReportError> {
        Ok(match self.column(name) {
            None | Some(Column::Constant(_)) => false,
            Some(Column::Array(a)) => match a.data_type() {
                DataType::Boolean => !a.is_null(row) && a.as_boolean().value(row),
                _ => return Err(self.wrong_type(name, "a boolean")),
            },
        })
    }

    /// A list-of-strings column's items; empty for null or a missing column.
    pub fn list(&self, name: &str, row: usize) -> Result<Vec<String>, ReportError> {
        let Some(Column::Array(a)) = self.column(name) else { return Ok(vec![]) };
        if a.is_null(row) {
            return Ok(vec![]);
        }
        let items = match a.data_type() {
            DataType::List(_) => a.as_list::<i32>().value(row),
            DataType::LargeList(_) => a.as_list::<i64>().value(row),
            _ => return Err(self.wrong_type(name, "a list of strings")),
        };
        let mut out = Vec::with_capacity(items.len());
        for i in 0..items.len() {
            if items.is_null(i) {
                continue;
            }
            out.push(match items.data_type() {
                DataType::Utf8 => items.as_string::<i32>().value(i).to_string(),
                DataType::LargeUtf8 => items.as_string::<i64>().value(i).to_string(),
                DataType::Utf8View => items.as_string_view().value(i).to_string(),
                _ => return Err(self.wrong_type(name, "a list of strings")),
            });
        }
        Ok(out)
    }

    /// A column's value as a page shows it (see [`super::model::display`]).
    fn display(&self, name: &str, kind: Kind, row: usize) -> Result<Option<String>, ReportError> {
        Ok(match kind {
            Kind::Utf8 => self.string(name, row)?,
            Kind::Int32 | Kind::Int64 => self.int(name, row)?.map(|v| v.to_string()),
            Kind::Float64 => self.float(name, row)?.map(number),
            Kind::Bool => self.bool(name, row)?.then(|| "true".to_string()),
            Kind::Utf8List => Some(self.list(name, row)?.join("; ")).filter(|s| !s.is_empty()),
        })
    }
}

/// Reads one part file batch by batch, with only the columns asked for.
struct PartReader {
    file: PartFile,
    reader: ParquetRecordBatchReader,
    batch: Option<Batch>,
    row: usize,
    /// The last source_file seen, to check the order the merge relies on.
    last: Option<String>,
}

impl PartReader {
    fn open(file: PartFile, columns: &[&str]) -> Result<PartReader, ReportError> {
        let perr = |e: &dyn std::fmt::Display| ReportError::Parquet { path: file.path.clone(), message: e.to_string() };
        let f = File::open(&file.path).map_err(|source| ReportError::Read { path: file.path.clone(), source })?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| perr(&e))?;
        let present: Vec<&str> =
            columns.iter().copied().filter(|c| builder.schema().fields().iter().any(|f| f.name() == c)).collect();
        if !present.contains(&"source_file") {
            return Err(ReportError::Column {
                path: file.path.clone(),
                column: "source_file".into(),
                expected: "a string".into(),
                found: "no such column".into(),
            });
        }
        let mask = ProjectionMask::columns(builder.parquet_schema(), present);
        let reader = builder.with_projection(mask).with_batch_size(BATCH_ROWS).build().map_err(|e| perr(&e))?;
        Ok(PartReader { file, reader, batch: None, row: 0, last: None })
    }

    /// The current row's batch and index, reading the next batch when this one is done; None
    /// at the end of the file.
    fn current(&mut self) -> Result<Option<(&Batch, usize)>, ReportError> {
        while self.batch.as_ref().is_none_or(|b| self.row >= b.rows()) {
            match self.reader.next() {
                None => {
                    self.batch = None;
                    return Ok(None);
                }
                Some(b) => {
                    let batch =
                        b.map_err(|e| ReportError::Parquet { path: self.file.path.clone(), message: e.to_string() })?;
                    self.batch =
                        Some(Batch { batch, partition: self.file.partition.clone(), path: self.file.path.clone() });
                    self.row = 0;
                }
            }
        }
        Ok(self.batch.as_ref().map(|b| (b, self.row)))
    }

    /// How the current row's source_file compares with `source` (None at the end), checking
    /// that the file is in order.
    fn head_cmp(&mut self, source: &str) -> Result<Option<Ordering>, ReportError> {
        if self.current()?.is_none() {
            return Ok(None);
        }
        let b = self.batch.as_ref().expect("current() loaded a batch");
        let head = b.str("source_file", self.row)?.unwrap_or("");
        match &self.last {
            Some(prev) if prev == head => {}
            Some(prev) if head < prev.as_str() => {
                return Err(ReportError::Unsorted {
                    path: self.file.path.clone(),
                    before: prev.clone(),
                    after: head.to_string(),
                })
            }
            _ => self.last = Some(head.to_string()),
        }
        Ok(Some(head.cmp(source)))
    }
}

/// Turns one row of a batch into a value of the table's rows.
pub type RowFn<T> = fn(&Batch, usize) -> Result<T, ReportError>;

/// One table's part files merged by source_file: the rows of one document at a time.
pub struct TableReader<T> {
    parts: Vec<PartReader>,
    row: RowFn<T>,
    /// Rows whose source_file documents.parquet does not list (skipped).
    pub orphans: u64,
}

impl<T> TableReader<T> {
    pub fn open(out: &Path, name: &str, columns: &[&str], row: RowFn<T>) -> Result<TableReader<T>, ReportError> {
        let parts =
            part_files(out, name)?.into_iter().map(|f| PartReader::open(f, columns)).collect::<Result<Vec<_>, _>>()?;
        Ok(TableReader { parts, row, orphans: 0 })
    }

    /// The rows of document `source`, which must come after every document asked for before
    /// (rows of documents in between are counted as orphans).
    pub fn take(&mut self, source: &str) -> Result<Vec<T>, ReportError> {
        let mut out = Vec::new();
        for part in &mut self.parts {
            while let Some(ordering) = part.head_cmp(source)? {
                if ordering == Ordering::Greater {
                    break;
                }
                if ordering == Ordering::Equal {
                    let (b, row) = part.current()?.expect("head_cmp saw a row");
                    out.push((self.row)(b, row)?);
                } else {
                    self.orphans += 1;
                }
                part.row += 1;
            }
        }
        Ok(out)
    }

    /// Counts the rows left after the last document as orphans.
    pub fn finish(&mut self) -> Result<(), ReportError> {
        for part in &mut self.parts {
            while let Some((b, row)) = part.current()? {
                self.orphans += (b.rows() - row) as u64;
                part.row = b.rows();
            }
        }
        Ok(())
    }
}

/// Every row of documents.parquet, sorted by source_file (part files hold disjoint shares).
pub fn documents(out: &Path) -> Result<Vec<Doc>, ReportError> {
    let files = part_files(out, "documents")?;
    if files.is_empty() {
        return Err(ReportError::NoDataset { path: out.to_path_buf() });
    }
    let mut docs = Vec::new();
    for file in files {
        let mut part = PartReader::open(file, DOCUMENT_COLUMNS)?;
        while let Some((b, row)) = part.current()? {
            docs.push(doc(b, row)?);
            part.row += 1;
        }
    }
    docs.sort_by(|a, b| a.source_file.cmp(&b.source_file));
    Ok(docs)
}

const DOCUMENT_COLUMNS: &[&str] = &[
    "source_file",
    "source_root",
    "format",
    "encoding",
    "bytes",
    "sha256",
    "status",
    "reason",
    "fiscal_year",
    "projects",
    "indicators",
    "department_goals",
    "tables",
    "tables_read",
    "table_chars",
    "placed_chars",
    "forms",
    "warnings",
    "program",
    "grammars",
    "converted_from",
];

fn doc(b: &Batch, row: usize) -> Result<Doc, ReportError> {
    let n = |name: &str| -> Result<i64, ReportError> { Ok(b.int(name, row)?.unwrap_or(0)) };
    Ok(Doc {
        source_file: b.string("source_file", row)?.unwrap_or_default(),
        source_root: b.string("source_root", row)?,
        format: b.string("format", row)?.unwrap_or_default(),
        encoding: b.string("encoding", row)?,
        bytes: n("bytes")?,
        sha256: b.string("sha256", row)?.unwrap_or_default(),
        status: b.string("status", row)?.unwrap_or_default(),
        reason: b.string("reason", row)?,
        fiscal_year: b.int32("fiscal_year", row)?,
        projects: n("projects")?,
        indicators: n("indicators")?,
        department_goals: n("department_goals")?,
        tables: n("tables")?,
        tables_read: n("tables_read")?,
        table_chars: n("table_chars")?,
        placed_chars: n("placed_chars")?,
        forms: b.list("forms", row)?,
        warnings: b.list("warnings", row)?,
        program: b.string("program", row)?,
        grammars: b.string("grammars", row)?,
        converted_from: b.string("converted_from", row)?,
    })
}

/// The columns read for records of table `R` shown as `shown`.
pub fn record_columns<R: Table>(shown: &[&'static str]) -> Vec<&'static str> {
    let mut columns = vec!["source_file", "table_index", "row_index", "location", "warnings"];
    columns.extend(shown.iter().copied());
    columns.retain(|c| R::columns().iter().any(|col| col.name == *c));
    columns
}

/// A record of table `R` with the columns `shown` (see [`Record`]).
pub fn record<R: Table>(b: &Batch, row: usize, shown: &[&'static str]) -> Result<Record, ReportError> {
    let columns = R::columns();
    let mut r = Record {
        table_index: b.int32("table_index", row)?,
        row_index: b.int32("row_index", row)?,
        location: b.string("location", row)?.unwrap_or_default(),
        fields: Vec::new(),
        warnings: b.list("warnings", row)?,
    };
    for name in shown {
        let Some(kind) = columns.iter().find(|c| c.name == *name).map(|c| c.kind) else { continue };
        if let Some(v) = b.display(name, kind, row)? {
            r.fields.push((name, v));
        }
    }
    Ok(r)
}

pub const CELL_COLUMNS: &[&str] = &[
    "source_file",
    "table_index",
    "page",
    "row_index",
    "cell_index",
    "column",
    "row_span",
    "col_span",
    "continued",
    "joined_across_pages",
    "text",
    "used_as",
    "location",
];

pub fn cell(b: &Batch, row: usize) -> Result<Cell, ReportError> {
    let n = |name: &str, default: i32| -> Result<i32, ReportError> { Ok(b.int32(name, row)?.unwrap_or(default)) };
    Ok(Cell {
        table_index: n("table_index", 0)?,
        page: b.int32("page", row)?,
        row_index: n("row_index", 0)?,
        cell_index: n("cell_index", 0)?,
        column: n("column", 0)?,
        row_span: n("row_span", 1)?.max(1),
        col_span: n("col_span", 1)?.max(1),
        continued: b.bool("continued", row)?,
        joined_across_pages: b.bool("joined_across_pages", row)?,
        text: b.string("text", row)?.unwrap_or_default(),
        used_as: b.string("used_as", row)?,
        location: b.string("location", row)?.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_values_unescape_like_hive() {
        assert_eq!(unescape("河北省"), "河北省");
        assert_eq!(unescape("a%2Fb%3Dc"), "a/b=c");
        assert_eq!(unescape("100%25"), "100%");
        // Malformed escapes are kept as written, never a panic.
        assert_eq!(unescape("%"), "%");
        assert_eq!(unescape("%4"), "%4");
        assert_eq!(unescape("%中"), "%中");
        assert_eq!(unescape("x%zz"), "x%zz");
    }
}
