//! The dataset in the output folder, written as rows stream in, and committed all at once.
//!
//! Layouts:
//! - **single files** (the default): `out/<table>.parquet`;
//! - **parts** (with `--partition-by` or `--shard`): `out/<table>.parquet/` holds part files in
//!   Hive layout, `out/indicators.parquet/fiscal_year=2023/province=河北省/part-s1of3.parquet`.
//!   Partition columns live in the folder names only, as Spark, Trino and DuckDB expect
//!   (`read_parquet('out/indicators.parquet/**/*.parquet', hive_partitioning = true)`); a null
//!   value is `__HIVE_DEFAULT_PARTITION__`. A table that lacks a partition column (documents has
//!   no province) is not partitioned. Each writer (one per shard) names its parts after itself,
//!   so concurrent shards never write the same file.
//!
//! Rows are buffered per part and written in slices of [`SLICE_ROWS`] rows at fixed offsets,
//! so the bytes do not depend on how rows arrived (one document at a time, or copied from the
//! last run's files). Waiting batches are joined now and then, and the rows all of a table's
//! parts hold are capped (`--write-buffer`, [`TableWriter::end_document`]): memory is bounded
//! by that cap and the parts open, not by the corpus.
//!
//! Commit: every file is written under a temporary name beside its final one. Then a journal
//! (`out/_journal-<writer>.json`) listing the renames and deletions is written and synced, the
//! renames are done, and the journal removed. A run killed before the journal exists leaves the
//! old dataset untouched (its temporary files are removed by the next run); one killed after
//! leaves a journal the next run carries out first ([`recover`]). No file is ever half-written.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use serde::{Deserialize, Serialize};

use super::parquet::{arrow_schema, batch, properties};
use super::schema::Table;
use crate::error::Error;

/// Rows are handed to the Parquet writer in slices of this many rows (a multiple of its 1024-row
/// mini-batches), at fixed offsets.
pub const SLICE_ROWS: usize = 8192;
/// When a table's parts hold this many batches pushed one by one, each part's are joined into
/// one (see [`Part::compact`]).
const COMPACT_BATCHES: usize = 256;
/// Bytes a table's parts may hold in memory together, by default (see
/// [`TableWriter::end_document`]).
pub const BUFFER_BYTES: usize = 32 << 20;
/// The folder-name value of a null partition column.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";
/// Columns a dataset may be partitioned by.
pub const PARTITION_COLUMNS: &[&str] =
    &["fiscal_year", "province", "prefecture", "county", "court_level", "org_kind", "record_kind", "form"];

/// Where and how the tables are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// Hive partition columns, outermost first; empty for none.
    pub partition_by: Vec<String>,
    /// This writer's name: `s<K>of<N>` for shard K of N, `s1of1` unsharded.
    pub writer: String,
    /// Part files (partitioned or sharded) rather than one file per table.
    pub parts: bool,
}

impl Layout {
    pub fn new(partition_by: Vec<String>, shard: Option<(u32, u32)>) -> Layout {
        let (k, n) = shard.unwrap_or((1, 1));
        let parts = !partition_by.is_empty() || shard.is_some();
        Layout { partition_by, writer: format!("s{k}of{n}"), parts }
    }

    fn table_path(&self, out: &Path, name: &str) -> PathBuf {
        out.join(format!("{name}.parquet"))
    }

    fn part_name(&self) -> String {
        format!("part-{}.parquet", self.writer)
    }
}

/// One part being written: its rows waiting for a full slice, and the Parquet writer.
struct Part {
    tmp: PathBuf,
    path: PathBuf,
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    /// The [`logical_bytes`] of the pending rows.
    pending_bytes: usize,
    /// `pending[..compacted]` is the joined batch (if any); the rest came one by one.
    compacted: usize,
    writer: ArrowWriter<File>,
}

impl Part {
    fn push(&mut self, b: RecordBatch) -> Result<(), Error> {
        self.pending_rows += b.num_rows();
        self.pending_bytes += logical_bytes(&b);
        self.pending.push(b);
        if self.pending_rows >= SLICE_ROWS {
            self.drain(false)?;
        }
        Ok(())
    }

    /// Batches pushed since the last compaction.
    fn loose(&self) -> usize {
        self.pending.len() - self.compacted
    }

    /// Joins the pending batches into one. A document's batch holds a
    /// few rows but a fixed cost in arrays and buffers (several times its rows' bytes);
    /// thousands of them waiting for a slice (the documents table has one row per document; a
    /// partition may wait long for its next rows) cost more than their rows.
    fn compact(&mut self) -> Result<(), Error> {
        // All of them, the last joined batch included: joined batches of a few rows each would
        // pile up in a part that waits long for a slice.
        if self.pending.len() >= 2 {
            let joined = arrow_select::concat::concat_batches(&self.pending[0].schema(), &self.pending)
                .map_err(|e| Error::Parquet { path: self.tmp.clone(), message: e.to_string() })?;
            self.pending = vec![joined];
        }
        self.compacted = self.pending.len();
        Ok(())
    }

    /// Writes the pending rows in whole slices (and, at the end, the rest).
    fn drain(&mut self, all: bool) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let perr = |e: &dyn std::fmt::Display| Error::Parquet { path: self.tmp.clone(), message: e.to_string() };
        let schema = self.pending[0].schema();
        let joined = arrow_select::concat::concat_batches(&schema, &self.pending).map_err(|e| perr(&e))?;
        let whole = if all { joined.num_rows() } else { joined.num_rows() / SLICE_ROWS * SLICE_ROWS };
        let mut offset = 0;
        while offset < whole {
            let len = SLICE_ROWS.min(whole - offset);
            self.writer.write(&joined.slice(offset, len)).map_err(|e| perr(&e))?;
            offset += len;
        }
        self.pending =
            if whole < joined.num_rows() { vec![joined.slice(whole, joined.num_rows() - whole)] } else { vec![] };
        self.pending_rows = joined.num_rows() - whole;
        self.pending_bytes = self.pending.iter().map(logical_bytes).sum();
        self.compacted = self.pending.len();
        Ok(())
    }

    /// Bytes held in memory: rows waiting for a slice, and the row group being encoded.
    fn buffered_bytes(&self) -> usize {
        self.pending_bytes + self.writer.memory_size()
    }

    /// Writes every buffered row and ends the row group (see [`TableWriter::end_document`]).
    fn flush(&mut self) -> Result<(), Error> {
        self.drain(true)?;
        self.writer.flush().map_err(|e| Error::Parquet { path: self.tmp.clone(), message: e.to_string() })
    }

    fn finish(mut self) -> Result<(PathBuf, PathBuf), Error> {
        self.drain(true)?;
        let perr = |e: &dyn std::fmt::Display| Error::Parquet { path: self.tmp.clone(), message: e.to_string() };
        let mut file = self.writer.into_inner().map_err(|e| perr(&e))?;
        file.flush().map_err(|source| Error::Write { path: self.tmp.clone(), source })?;
        file.sync_all().map_err(|source| Error::Write { path: self.tmp.clone(), source })?;
        Ok((self.tmp, self.path))
    }
}

/// The bytes of a batch's values as encoded before compression — strings' bytes and 4-byte
/// offsets, fixed-width values — the same however its rows are sliced or joined, unlike the
/// capacities of its buffers.
fn logical_bytes(b: &RecordBatch) -> usize {
    b.columns().iter().map(|c| array_bytes(c.as_ref())).sum()
}

fn array_bytes(a: &dyn Array) -> usize {
    match a.data_type() {
        DataType::Utf8 => {
            let o = a.as_string::<i32>().value_offsets();
            (o[o.len() - 1] - o[0]) as usize + 4 * a.len()
        }
        DataType::List(_) => {
            let list = a.as_list::<i32>();
            let o = list.value_offsets();
            let items = list.values().slice(o[0] as usize, (o[o.len() - 1] - o[0]) as usize);
            array_bytes(items.as_ref()) + 4 * a.len()
        }
        other => other.primitive_width().unwrap_or(1) * a.len(),
    }
}

/// A partition: the values of the partition columns (None for null).
pub type PartitionKey = Vec<Option<String>>;

/// One table's rows, streamed into its parts.
pub struct TableWriter<R: Table> {
    out: PathBuf,
    layout: Layout,
    /// Indices (in the full schema) of the partition columns this table is partitioned by.
    partition_cols: Vec<usize>,
    /// The schema of the data files (without the partition columns).
    file_schema: Arc<Schema>,
    parts: BTreeMap<PartitionKey, Part>,
    /// See [`TableWriter::end_document`].
    buffer_bytes: usize,
    _rows: std::marker::PhantomData<R>,
}

impl<R: Table> TableWriter<R> {
    pub fn new(out: &Path, layout: &Layout) -> Result<TableWriter<R>, Error> {
        let schema = arrow_schema::<R>();
        let index: Vec<Option<usize>> = layout.partition_by.iter().map(|c| schema.index_of(c).ok()).collect();
        let partition_cols: Vec<usize> =
            if index.iter().all(Option::is_some) { index.into_iter().flatten().collect() } else { vec![] };
        let keep: Vec<usize> = (0..schema.fields().len()).filter(|i| !partition_cols.contains(i)).collect();
        let file_schema = Arc::new(
            schema.project(&keep).map_err(|e| Error::Parquet { path: out.to_path_buf(), message: e.to_string() })?,
        );
        Ok(TableWriter {
            out: out.to_path_buf(),
            layout: layout.clone(),
            partition_cols,
            file_schema,
            parts: BTreeMap::new(),
            buffer_bytes: BUFFER_BYTES,
            _rows: std::marker::PhantomData,
        })
    }

    /// Sets the bytes of rows this table's parts may hold in memory together (default
    /// [`BUFFER_BYTES`]).
    pub fn with_buffer(mut self, bytes: usize) -> Self {
        self.buffer_bytes = bytes;
        self
    }

    /// The partition columns of this table, by name.
    pub fn partition_names(&self) -> Vec<String> {
        let schema = arrow_schema::<R>();
        self.partition_cols.iter().map(|&i| schema.field(i).name().clone()).collect()
    }

    /// Appends records (one document's, in order).
    pub fn push_records(&mut self, rows: &[R]) -> Result<(), Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let b = batch(rows).map_err(|e| Error::Parquet { path: self.out.clone(), message: e.to_string() })?;
        self.push_batch(b)
    }

    /// Appends a batch of the full schema (from [`super::parquet::batch`], which the workers
    /// build in parallel), splitting it by partition.
    pub fn push_batch(&mut self, b: RecordBatch) -> Result<(), Error> {
        let keep: Vec<usize> = (0..b.num_columns()).filter(|i| !self.partition_cols.contains(i)).collect();
        let out = self.out.clone();
        let perr = |e: &dyn std::fmt::Display| Error::Parquet { path: out.clone(), message: e.to_string() };
        if self.partition_cols.is_empty() {
            return self.push_part(vec![], b);
        }
        let keys: Vec<PartitionKey> = (0..b.num_rows())
            .map(|row| self.partition_cols.iter().map(|&c| cell_text(b.column(c).as_ref(), row)).collect())
            .collect();
        // Runs of equal keys (a document's rows mostly share one), in order.
        let mut start = 0;
        while start < keys.len() {
            let end = (start..keys.len()).find(|&i| keys[i] != keys[start]).unwrap_or(keys.len());
            let slice = b.slice(start, end - start).project(&keep).map_err(|e| perr(&e))?;
            self.push_part(keys[start].clone(), slice)?;
            start = end;
        }
        Ok(())
    }

    /// Appends rows of the data-file schema to one partition's part.
    pub fn push_part(&mut self, key: PartitionKey, b: RecordBatch) -> Result<(), Error> {
        if b.num_rows() == 0 {
            return Ok(());
        }
        if !self.parts.contains_key(&key) {
            let part = self.open(&key)?;
            self.parts.insert(key.clone(), part);
        }
        self.parts.get_mut(&key).expect("inserted above").push(b)
    }

    /// Bounds memory after a document's rows are pushed: when this table's parts hold more than
    /// its buffer ([`BUFFER_BYTES`] unless set), the fullest are written out and their row groups ended until half of
    /// that is left. Many partitions, each below a row group, would otherwise hold the whole
    /// corpus. Decided at document boundaries from sizes that depend on the rows only (not on
    /// how they were batched), so a part's row groups are the same however its rows arrived:
    /// extracted now, or copied from the last run's files.
    pub fn end_document(&mut self) -> Result<(), Error> {
        if self.parts.values().map(Part::loose).sum::<usize>() >= COMPACT_BATCHES {
            for part in self.parts.values_mut() {
                part.compact()?;
            }
        }
        let mut total: usize = self.parts.values().map(Part::buffered_bytes).sum();
        if total <= self.buffer_bytes {
            return Ok(());
        }
        while total > self.buffer_bytes / 2 {
            // The fullest part; among equals, the first key.
            let Some(part) = self.parts.values_mut().rev().max_by_key(|p| p.buffered_bytes()) else {
                break;
            };
            total -= part.buffered_bytes();
            part.flush()?;
        }
        Ok(())
    }

    fn final_path(&self, key: &PartitionKey) -> PathBuf {
        let table = self.layout.table_path(&self.out, R::NAME);
        if !self.layout.parts {
            return table;
        }
        let mut dir = table;
        for (name, value) in self.partition_names().iter().zip(key) {
            dir = dir.join(format!("{name}={}", escape(value.as_deref().unwrap_or(NULL_PARTITION))));
        }
        dir.join(self.layout.part_name())
    }

    fn open(&self, key: &PartitionKey) -> Result<Part, Error> {
        let path = self.final_path(key);
        let dir = path.parent().expect("a file in the output folder").to_path_buf();
        fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
        let name = path.file_name().expect("a file name").to_string_lossy().to_string();
        let tmp = dir.join(format!(".{name}.tmp-{}", self.layout.writer));
        let file = File::create(&tmp).map_err(|source| Error::Write { path: tmp.clone(), source })?;
        let writer = ArrowWriter::try_new(file, self.file_schema.clone(), Some(properties::<R>()))
            .map_err(|e| Error::Parquet { path: tmp.clone(), message: e.to_string() })?;
        Ok(Part { tmp, path, pending: Vec::new(), pending_rows: 0, pending_bytes: 0, compacted: 0, writer })
    }

    /// Closes every part (an empty single-file table still gets its file) and returns the
    /// (temporary, final) paths to commit.
    pub fn finish(mut self) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
        if !self.layout.parts && self.parts.is_empty() {
            let part = self.open(&vec![])?;
            self.parts.insert(vec![], part);
        }
        self.parts.into_values().map(Part::finish).collect()
    }

    /// This writer's files of this table from an earlier run, with their partitions.
    pub fn existing(&self) -> Vec<(PartitionKey, PathBuf)> {
        self.parts_named(&|name| name == self.layout.part_name())
    }

    /// Every writer's part files of this table (`part-*.parquet`), with their partitions: what
    /// compaction merges.
    pub fn every_writers_parts(&self) -> Vec<(PartitionKey, PathBuf)> {
        self.parts_named(&|name| name.starts_with("part-") && name.ends_with(".parquet"))
    }

    fn parts_named(&self, wanted: &dyn Fn(&str) -> bool) -> Vec<(PartitionKey, PathBuf)> {
        let table = self.layout.table_path(&self.out, R::NAME);
        if !self.layout.parts {
            return if table.is_file() { vec![(vec![], table)] } else { vec![] };
        }
        let mut found = Vec::new();
        let names = self.partition_names();
        collect_parts(&table, wanted, &mut found);
        found
            .into_iter()
            .filter_map(|path| {
                let rel = path.parent()?.strip_prefix(&table).ok()?.to_path_buf();
                let values: Vec<Option<String>> = rel
                    .components()
                    .map(|c| {
                        let s = c.as_os_str().to_string_lossy().to_string();
                        let v = unescape(s.split_once('=').map_or("", |(_, v)| v));
                        (v != NULL_PARTITION).then_some(v)
                    })
                    .collect();
                (values.len() == names.len()).then_some((values, path))
            })
            .collect()
    }
}

fn collect_parts(dir: &Path, wanted: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect_parts(&p, wanted, out);
        } else if wanted(&e.file_name().to_string_lossy()) {
            out.push(p);
        }
    }
}

/// A cell as partition text: integers and strings; null is None.
fn cell_text(a: &dyn Array, row: usize) -> Option<String> {
    if a.is_null(row) {
        return None;
    }
    if let Some(s) = a.as_any().downcast_ref::<StringArray>() {
        return Some(s.value(row).to_string());
    }
    if let Some(i) = a.as_any().downcast_ref::<Int32Array>() {
        return Some(i.value(row).to_string());
    }
    None
}

/// Folder-name escaping as Hive does it: `/`, `=`, `%`, control characters and a few others as
/// `%XX`; CJK text stays readable.
fn escape(v: &str) -> String {
    let mut out = String::new();
    for c in v.chars() {
        if c.is_control() || "/\\=%:\"'#?*<>|".contains(c) {
            for b in c.to_string().bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&v[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// Reads an earlier run's file of a table in order, batch by batch (bounded memory).
pub struct OldRows {
    pub key: PartitionKey,
    reader: parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    current: Option<RecordBatch>,
    row: usize,
    source_col: usize,
}

impl OldRows {
    pub fn open(key: PartitionKey, path: &Path) -> Result<OldRows, Error> {
        let perr = |e: &dyn std::fmt::Display| Error::Parquet { path: path.to_path_buf(), message: e.to_string() };
        let file = File::open(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| perr(&e))?;
        let source_col = builder.schema().index_of("source_file").map_err(|e| perr(&e))?;
        let reader = builder.with_batch_size(SLICE_ROWS).build().map_err(|e| perr(&e))?;
        Ok(OldRows { key, reader, current: None, row: 0, source_col })
    }

    /// The source_file of the next row, if any.
    fn peek(&mut self) -> Result<Option<String>, Error> {
        loop {
            if let Some(b) = &self.current {
                if self.row < b.num_rows() {
                    let a = b.column(self.source_col);
                    return Ok(cell_text(a.as_ref(), self.row));
                }
            }
            match self.reader.next() {
                Some(Ok(b)) => {
                    self.current = Some(b);
                    self.row = 0;
                }
                Some(Err(e)) => return Err(Error::Parquet { path: PathBuf::new(), message: e.to_string() }),
                None => return Ok(None),
            }
        }
    }

    /// Skips rows while `skip(source_file)` holds.
    pub fn skip_while(&mut self, skip: &dyn Fn(&str) -> bool) -> Result<(), Error> {
        while let Some(s) = self.peek()? {
            if !skip(&s) {
                break;
            }
            self.row += 1;
        }
        Ok(())
    }

    /// The next rows whose source_file is `source`, as batches (slices of the file's batches).
    pub fn take(&mut self, source: &str) -> Result<Vec<RecordBatch>, Error> {
        let mut out = Vec::new();
        loop {
            match self.peek()? {
                Some(s) if s == source => {}
                _ => return Ok(out),
            }
            let b = self.current.as_ref().expect("peek loaded a batch");
            let start = self.row;
            let col = b.column(self.source_col).clone();
            let mut end = start;
            while end < b.num_rows() && cell_text(col.as_ref(), end).as_deref() == Some(source) {
                end += 1;
            }
            out.push(b.slice(start, end - start));
            self.row = end;
        }
    }
}

/// What a commit does: files to move into place, files to remove.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Commit {
    pub renames: Vec<(PathBuf, PathBuf)>,
    pub deletes: Vec<PathBuf>,
}

fn journal_path(out: &Path, layout: &Layout) -> PathBuf {
    out.join(format!("_journal-{}.json", layout.writer))
}

/// Commits: journal written and synced, then carried out, then removed.
pub fn commit(out: &Path, layout: &Layout, c: &Commit) -> Result<(), Error> {
    let journal = journal_path(out, layout);
    let tmp = out.join(format!("._journal-{}.json.tmp", layout.writer));
    let text = serde_json::to_string_pretty(c).expect("paths serialize");
    let mut f = File::create(&tmp).map_err(|source| Error::Write { path: tmp.clone(), source })?;
    f.write_all(text.as_bytes()).map_err(|source| Error::Write { path: tmp.clone(), source })?;
    f.sync_all().map_err(|source| Error::Write { path: tmp.clone(), source })?;
    fs::rename(&tmp, &journal).map_err(|source| Error::Write { path: journal.clone(), source })?;
    sync_dir(out);
    apply(c)?;
    fs::remove_file(&journal).map_err(|source| Error::Write { path: journal.clone(), source })?;
    sync_dir(out);
    Ok(())
}

fn apply(c: &Commit) -> Result<(), Error> {
    for (tmp, path) in &c.renames {
        // Already moved by an earlier attempt when the temporary file is gone.
        if tmp.exists() {
            fs::rename(tmp, path).map_err(|source| Error::Write { path: path.clone(), source })?;
        }
    }
    for path in &c.deletes {
        if path.exists() {
            fs::remove_file(path).map_err(|source| Error::Write { path: path.clone(), source })?;
        }
    }
    Ok(())
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Finishes what a killed run committed (its journal), and removes what a killed run left
/// uncommitted (this writer's temporary files). Returns whether a journal was carried out.
pub fn recover(out: &Path, layout: &Layout) -> Result<bool, Error> {
    let journal = journal_path(out, layout);
    let mut carried = false;
    if journal.exists() {
        let text = fs::read_to_string(&journal).map_err(|source| Error::Read { path: journal.clone(), source })?;
        let c: Commit = serde_json::from_str(&text).map_err(|e| {
            Error::Malformed(format!(
                "{}: unreadable commit journal ({e}); remove it and run with --force",
                journal.display()
            ))
        })?;
        apply(&c)?;
        fs::remove_file(&journal).map_err(|source| Error::Write { path: journal.clone(), source })?;
        carried = true;
    }
    remove_temporaries(out, &format!(".tmp-{}", layout.writer));
    let _ = fs::remove_file(out.join(format!("._journal-{}.json.tmp", layout.writer)));
    let _ = fs::remove_file(out.join(format!("._manifest-{}.json.tmp", layout.writer)));
    Ok(carried)
}

fn remove_temporaries(dir: &Path, suffix: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            remove_temporaries(&p, suffix);
        } else if e.file_name().to_string_lossy().ends_with(suffix) {
            let _ = fs::remove_file(&p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_values_escape_and_come_back() {
        for v in ["河北省", "a/b=c", "50%", "__HIVE_DEFAULT_PARTITION__"] {
            assert_eq!(unescape(&escape(v)), v);
        }
        assert_eq!(escape("河北省"), "河北省");
        assert_eq!(escape("a/b"), "a%2Fb");
    }
}
