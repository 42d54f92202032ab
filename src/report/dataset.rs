//! Reading a dataset written by `extract`: each table is one file (`OUT/<table>.parquet`) or a
//! folder of part files (`OUT/<table>.parquet/**/part-*.parquet`, Hive partitions in the folder
//! names, their columns not in the files). The report streams it: every part file is sorted by
//! `source_file` (the batch writes documents in that order, and copies an earlier run's rows in
//! it too), so the rows of one document are taken from the heads of all part files at once, a
//! document at a time, and memory holds one document's rows per table, not the dataset. A
//! document visits only the part files whose head is at or before it (a heap of heads); with
//! many part files, each is opened for one batch at a time (see [`PartReader`]).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;

use super::model::{number, Cell, Doc, Record};
use super::ReportError;
use crate::sink::schema::{Kind, Table};

/// Rows decoded at a time from a part file; with many part files open at once, fewer (see
/// [`batch_rows`]).
const BATCH_ROWS: usize = 4096;

/// Rows decoded at a time from each of `parts` part files of a table read together: about
/// [`BATCH_ROWS`] × 64 rows held per table in all, at least 256 per file.
fn batch_rows(parts: usize) -> usize {
    (BATCH_ROWS * 64 / parts.max(1)).clamp(256, BATCH_ROWS)
}

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

    /// A decimal column's value as written (`49.7`, `100`); a double (a dataset of an earlier
    /// version) as the shortest text that reads back as it.
    fn decimal(&self, name: &str, row: usize) -> Result<Option<String>, ReportError> {
        Ok(match self.column(name) {
            None | Some(Column::Constant(None)) => None,
            Some(Column::Constant(Some(v))) => Some(v.to_string()),
            Some(Column::Array(a)) => {
                if a.is_null(row) {
                    return Ok(None);
                }
                match a.data_type() {
                    DataType::Decimal128(_, scale) => {
                        Some(decimal_text(a.as_primitive::<Decimal128Type>().value(row), *scale))
                    }
                    DataType::Float64 => Some(number(a.as_primitive::<Float64Type>().value(row))),
                    _ => return Err(self.wrong_type(name, "a decimal")),
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
            Kind::Decimal => self.decimal(name, row)?,
            Kind::Bool => self.bool(name, row)?.then(|| "true".to_string()),
            Kind::Utf8List => Some(self.list(name, row)?.join("; ")).filter(|s| !s.is_empty()),
        })
    }
}

/// A decimal's digits in the shortest form, as [`crate::normalize::decimal::Decimal`] shows
/// them: `49.7`, `100`, `-0.000001`.
fn decimal_text(v: i128, scale: i8) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    if scale <= 0 {
        return format!("{sign}{}", v * 10u128.pow(u32::from(scale.unsigned_abs())));
    }
    let unit = 10u128.pow(scale as u32);
    let (int, frac) = (v / unit, v % unit);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let frac = format!("{frac:0width$}", width = scale as usize);
        format!("{sign}{int}.{}", frac.trim_end_matches('0'))
    }
}

/// Reads one part file batch by batch, with only the columns asked for.
///
/// An open Parquet reader holds a decompression context per column (zstd: ~130 KB each), so a
/// table of hundreds of part files read at once would hold hundreds of MB for contexts alone.
/// Past [`OPEN_PARTS`] part files, a reader is opened for one batch at a time instead (from
/// the metadata read once, at the row where the last batch ended) and closed after it.
struct PartReader {
    file: PartFile,
    metadata: ArrowReaderMetadata,
    /// The projected columns (those of the file among the ones asked for).
    columns: Vec<String>,
    batch_rows: usize,
    /// Whether the reader is closed after each batch (see above).
    reopen: bool,
    /// The open reader (None when reopening for each batch, or at the end).
    reader: Option<ParquetRecordBatchReader>,
    /// Rows decoded so far, and the file's rows.
    decoded: usize,
    total: usize,
    batch: Option<Batch>,
    row: usize,
    /// The last source_file seen, to check the order the merge relies on.
    last: Option<String>,
}

/// Part files of a table read at once with a reader open on each; past it, readers are
/// opened for a batch at a time.
const OPEN_PARTS: usize = 16;

impl PartReader {
    fn open(file: PartFile, columns: &[&str], batch_rows: usize, reopen: bool) -> Result<PartReader, ReportError> {
        let f = File::open(&file.path).map_err(|source| ReportError::Read { path: file.path.clone(), source })?;
        let metadata = ArrowReaderMetadata::load(&f, ArrowReaderOptions::default())
            .map_err(|e| ReportError::Parquet { path: file.path.clone(), message: e.to_string() })?;
        let present: Vec<String> = columns
            .iter()
            .filter(|c| metadata.schema().fields().iter().any(|f| f.name() == *c))
            .map(|c| c.to_string())
            .collect();
        if !present.iter().any(|c| c == "source_file") {
            return Err(ReportError::Column {
                path: file.path.clone(),
                column: "source_file".into(),
                expected: "a string".into(),
                found: "no such column".into(),
            });
        }
        let total = usize::try_from(metadata.metadata().file_metadata().num_rows()).unwrap_or(0);
        let mut part = PartReader {
            file,
            metadata,
            columns: present,
            batch_rows,
            reopen,
            reader: None,
            decoded: 0,
            total,
            batch: None,
            row: 0,
            last: None,
        };
        if !reopen {
            part.reader = Some(part.build(f, 0)?);
        }
        Ok(part)
    }

    /// A reader of the file from row `offset`: to its end, or for one batch when reopening.
    fn build(&self, f: File, offset: usize) -> Result<ParquetRecordBatchReader, ReportError> {
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(f, self.metadata.clone());
        let mask = ProjectionMask::columns(builder.parquet_schema(), self.columns.iter().map(String::as_str));
        let mut builder = builder.with_projection(mask).with_batch_size(self.batch_rows);
        if offset > 0 {
            builder = builder.with_offset(offset);
        }
        if self.reopen {
            builder = builder.with_limit(self.batch_rows);
        }
        builder.build().map_err(|e| ReportError::Parquet { path: self.file.path.clone(), message: e.to_string() })
    }

    /// The next batch of the file; None at its end.
    fn next_batch(&mut self) -> Option<Result<RecordBatch, ReportError>> {
        let perr = |path: &Path, e: &dyn std::fmt::Display| ReportError::Parquet {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let next = if self.reopen {
            if self.decoded >= self.total {
                return None;
            }
            let f = match File::open(&self.file.path) {
                Ok(f) => f,
                Err(source) => return Some(Err(ReportError::Read { path: self.file.path.clone(), source })),
            };
            match self.build(f, self.decoded) {
                Ok(mut reader) => reader.next(),
                Err(e) => return Some(Err(e)),
            }
        } else {
            self.reader.as_mut().and_then(Iterator::next)
        };
        match next {
            None => {
                self.reader = None;
                None
            }
            Some(Err(e)) => Some(Err(perr(&self.file.path, &e))),
            Some(Ok(b)) => {
                self.decoded += b.num_rows();
                Some(Ok(b))
            }
        }
    }

    /// The current row's batch and index, reading the next batch when this one is done; None
    /// at the end of the file.
    fn current(&mut self) -> Result<Option<(&Batch, usize)>, ReportError> {
        while self.batch.as_ref().is_none_or(|b| self.row >= b.rows()) {
            match self.next_batch() {
                None => {
                    self.batch = None;
                    return Ok(None);
                }
                Some(b) => {
                    let batch = b?;
                    self.batch =
                        Some(Batch { batch, partition: self.file.partition.clone(), path: self.file.path.clone() });
                    self.row = 0;
                }
            }
        }
        Ok(self.batch.as_ref().map(|b| (b, self.row)))
    }

    /// The current row's source_file; None at the end.
    fn head(&mut self) -> Result<Option<String>, ReportError> {
        Ok(match self.current()? {
            None => None,
            Some((b, row)) => Some(b.str("source_file", row)?.unwrap_or("").to_string()),
        })
    }

    /// Frees what a part file at its end still holds (its reader, its last batch).
    fn close(&mut self) {
        self.batch = None;
        self.reader = None;
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
    /// The part files not yet at their end, by the source_file at their head (then by their
    /// place in path order): a document visits only the part files that hold its rows, not
    /// all of them (a partitioned dataset has hundreds).
    heads: BinaryHeap<Reverse<(String, usize)>>,
    row: RowFn<T>,
    /// Rows whose source_file documents.parquet does not list (skipped).
    pub orphans: u64,
}

impl<T> TableReader<T> {
    pub fn open(out: &Path, name: &str, columns: &[&str], row: RowFn<T>) -> Result<TableReader<T>, ReportError> {
        let files = part_files(out, name)?;
        let (batch_rows, reopen) = (batch_rows(files.len()), files.len() > OPEN_PARTS);
        Self::of_files(files, columns, row, batch_rows, reopen)
    }

    fn of_files(
        files: Vec<PartFile>,
        columns: &[&str],
        row: RowFn<T>,
        batch_rows: usize,
        reopen: bool,
    ) -> Result<TableReader<T>, ReportError> {
        let mut parts = files
            .into_iter()
            .map(|f| PartReader::open(f, columns, batch_rows, reopen))
            .collect::<Result<Vec<_>, _>>()?;
        let mut heads = BinaryHeap::with_capacity(parts.len());
        for (i, part) in parts.iter_mut().enumerate() {
            if let Some(head) = part.head()? {
                heads.push(Reverse((head, i)));
            }
        }
        Ok(TableReader { parts, heads, row, orphans: 0 })
    }

    /// The rows of document `source`, which must come after every document asked for before
    /// (rows of documents in between are counted as orphans), in the order of the part files.
    pub fn take(&mut self, source: &str) -> Result<Vec<T>, ReportError> {
        let mut due = Vec::new();
        while self.heads.peek().is_some_and(|Reverse((head, _))| head.as_str() <= source) {
            let Reverse((_, i)) = self.heads.pop().expect("peeked");
            due.push(i);
        }
        due.sort_unstable();
        let mut out = Vec::new();
        for i in due {
            let part = &mut self.parts[i];
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
            match part.head()? {
                Some(head) => self.heads.push(Reverse((head, i))),
                None => part.close(),
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
        let mut part = PartReader::open(file, DOCUMENT_COLUMNS, BATCH_ROWS, false)?;
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
    fn decimals_show_as_the_records_do() {
        use crate::normalize::decimal::Decimal;
        for text in ["49.7", "100", "0", "-3.5", "0.000001", "72807.384975", "999999999999.999999"] {
            let d = Decimal::parse(text).unwrap();
            assert_eq!(decimal_text(d.micros().into(), 6), d.to_string());
            assert_eq!(decimal_text(d.micros().into(), 6), text);
        }
        assert_eq!(decimal_text(-1, 6), "-0.000001");
        assert_eq!(decimal_text(497, 1), "49.7");
        assert_eq!(decimal_text(5, -2), "500");
    }

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

    /// A table of `parts` part files (`t.parquet/p=K/part-00000.parquet`), each with rows of
    /// documents `d000`… (several rows each, in small row groups), every third document in
    /// every part; the rows each document should get, in part order.
    fn write_parts(out: &Path, parts: usize) -> std::collections::BTreeMap<String, Vec<(i64, String)>> {
        use arrow_array::{Int32Array, StringArray};
        use parquet::arrow::ArrowWriter;
        use parquet::basic::{Compression, ZstdLevel};
        use parquet::file::properties::WriterProperties;
        use std::collections::BTreeMap;
        use std::sync::Arc;
        let mut expected: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
        for k in 0..parts {
            let dir = out.join("t.parquet").join(format!("p={k:02}"));
            fs::create_dir_all(&dir).unwrap();
            let (mut sources, mut ns) = (Vec::new(), Vec::new());
            for d in (k % 3..60).step_by(3) {
                for r in 0..(d % 4 + 1) {
                    let source = format!("d{d:03}");
                    let n = (k * 1000 + d * 10 + r) as i32;
                    expected.entry(source.clone()).or_default().push((n.into(), format!("{k:02}")));
                    sources.push(source);
                    ns.push(n);
                }
            }
            let batch = RecordBatch::try_from_iter([
                ("source_file", Arc::new(StringArray::from(sources)) as Arc<dyn Array>),
                ("n", Arc::new(Int32Array::from(ns)) as Arc<dyn Array>),
            ])
            .unwrap();
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::default()))
                .set_max_row_group_row_count(Some(7))
                .build();
            let file = File::create(dir.join("part-00000.parquet")).unwrap();
            let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
            w.write(&batch).unwrap();
            w.close().unwrap();
        }
        expected
    }

    fn n_and_partition(b: &Batch, row: usize) -> Result<(i64, String), ReportError> {
        Ok((b.int("n", row)?.unwrap(), b.string("p", row)?.unwrap()))
    }

    #[test]
    fn part_files_merge_the_same_whether_readers_stay_open_or_reopen_for_each_batch() {
        let dir = tempfile::tempdir().unwrap();
        let expected = write_parts(dir.path(), OPEN_PARTS + 4);
        let files = part_files(dir.path(), "t").unwrap();
        assert_eq!(files.len(), OPEN_PARTS + 4);
        let columns = ["source_file", "n"];
        // Documents d001… only (d000's rows become orphans), plus one no part holds.
        let mut asked: Vec<String> = expected.keys().skip(1).cloned().collect();
        asked.insert(4, "d004x".into());
        for (batch_rows, reopen) in [(4096, false), (3, false), (4096, true), (5, true), (1, true)] {
            let mut t = TableReader::of_files(files.clone(), &columns, n_and_partition, batch_rows, reopen).unwrap();
            for source in &asked {
                let got = t.take(source).unwrap();
                assert_eq!(&got, expected.get(source).unwrap_or(&vec![]), "{source} ({batch_rows}, {reopen})");
            }
            t.finish().unwrap();
            assert_eq!(t.orphans, expected["d000"].len() as u64, "({batch_rows}, {reopen})");
        }
        // The reader the report uses for this many part files reopens.
        let mut t = TableReader::open(dir.path(), "t", &columns, n_and_partition).unwrap();
        assert!(t.parts.iter().all(|p| p.reopen && p.reader.is_none()));
        assert_eq!(t.take("d001").unwrap(), expected["d001"]);
    }
}
