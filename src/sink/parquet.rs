//! Parquet files from records: zstd, dictionary encoding on the repetitive string columns, written
//! to a temporary file and renamed into place, so a reader sees the old file or the new one,
//! never half of one. The same records always give the same bytes (no timestamps; a fixed
//! `created_by`).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use arrow_array::builder::{BooleanBuilder, Decimal128Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

use super::schema::{Kind, Table, Value};
use crate::error::Error;
use crate::normalize::decimal;

/// Rows per row group: bounds the writer's memory, and lets readers skip groups.
pub const ROW_GROUP_SIZE: usize = 16_384;

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Utf8 => DataType::Utf8,
        Kind::Int32 => DataType::Int32,
        Kind::Int64 => DataType::Int64,
        Kind::Decimal => DataType::Decimal128(decimal::PRECISION, decimal::SCALE as i8),
        Kind::Bool => DataType::Boolean,
        Kind::Utf8List => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
    }
}

/// The Arrow schema of a table, built once and shared by every batch (a batch per document
/// would otherwise carry its own copy of the fields).
pub fn arrow_schema<R: Table>() -> SchemaRef {
    static SCHEMAS: OnceLock<Mutex<HashMap<&'static str, SchemaRef>>> = OnceLock::new();
    let mut schemas = SCHEMAS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let schema = schemas.entry(R::NAME).or_insert_with(|| {
        Arc::new(Schema::new(
            R::columns().iter().map(|c| Field::new(c.name, data_type(c.kind), c.nullable)).collect::<Vec<_>>(),
        ))
    });
    Arc::clone(schema)
}

/// The rows as one Arrow batch.
pub fn batch<R: Table>(rows: &[R]) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let columns = R::columns();
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for c in &columns {
        let array: ArrayRef = match c.kind {
            Kind::Utf8 => {
                // Exact capacities: a document's batch waits in memory until a slice is full,
                // and default capacities would hold far more than its rows.
                let bytes: usize =
                    rows.iter().map(|r| if let Value::Str(Some(v)) = (c.get)(r) { v.len() } else { 0 }).sum();
                let mut b = StringBuilder::with_capacity(rows.len(), bytes);
                for r in rows {
                    match (c.get)(r) {
                        Value::Str(v) => b.append_option(v),
                        _ => unreachable!("column {} is declared Utf8", c.name),
                    }
                }
                Arc::new(b.finish())
            }
            Kind::Int32 => {
                let mut b = Int32Builder::with_capacity(rows.len());
                for r in rows {
                    match (c.get)(r) {
                        Value::I32(v) => b.append_option(v),
                        _ => unreachable!("column {} is declared Int32", c.name),
                    }
                }
                Arc::new(b.finish())
            }
            Kind::Int64 => {
                let mut b = Int64Builder::with_capacity(rows.len());
                for r in rows {
                    match (c.get)(r) {
                        Value::I64(v) => b.append_option(v),
                        _ => unreachable!("column {} is declared Int64", c.name),
                    }
                }
                Arc::new(b.finish())
            }
            Kind::Decimal => {
                let mut b = Decimal128Builder::with_capacity(rows.len());
                for r in rows {
                    match (c.get)(r) {
                        Value::Dec(v) => b.append_option(v.map(|d| d.micros() as i128)),
                        _ => unreachable!("column {} is declared Decimal", c.name),
                    }
                }
                Arc::new(b.finish().with_precision_and_scale(decimal::PRECISION, decimal::SCALE as i8)?)
            }
            Kind::Bool => {
                let mut b = BooleanBuilder::with_capacity(rows.len());
                for r in rows {
                    match (c.get)(r) {
                        Value::Bool(v) => b.append_value(v),
                        _ => unreachable!("column {} is declared Bool", c.name),
                    }
                }
                Arc::new(b.finish())
            }
            Kind::Utf8List => {
                let (items, bytes) = rows.iter().fold((0, 0), |(n, b), r| match (c.get)(r) {
                    Value::List(v) => (n + v.len(), b + v.iter().map(String::len).sum::<usize>()),
                    _ => (n, b),
                });
                let mut b = ListBuilder::with_capacity(StringBuilder::with_capacity(items, bytes), rows.len());
                for r in rows {
                    match (c.get)(r) {
                        Value::List(items) => {
                            for item in items {
                                b.values().append_value(item);
                            }
                            b.append(true);
                        }
                        _ => unreachable!("column {} is declared a list", c.name),
                    }
                }
                Arc::new(b.finish())
            }
        };
        arrays.push(array);
    }
    RecordBatch::try_new(arrow_schema::<R>(), arrays)
}

pub(crate) fn properties<R: Table>() -> WriterProperties {
    let mut p = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).expect("3 is a valid zstd level")))
        .set_created_by(format!("budget-extract {}", env!("CARGO_PKG_VERSION")))
        .set_max_row_group_row_count(Some(ROW_GROUP_SIZE))
        .set_statistics_enabled(EnabledStatistics::Page);
    for c in R::columns() {
        p = p.set_column_dictionary_enabled(ColumnPath::from(c.name), c.dictionary);
    }
    p.build()
}

/// Writes `dir/<NAME>.parquet` atomically: temp file in the same folder, fsync, rename.
pub fn write<R: Table>(dir: &Path, rows: &[R]) -> Result<PathBuf, Error> {
    let path = dir.join(format!("{}.parquet", R::NAME));
    let tmp = dir.join(format!(".{}.parquet.tmp-{}", R::NAME, std::process::id()));
    let result = write_file::<R>(&tmp, rows);
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, &path).map_err(|source| Error::Write { path: path.clone(), source })?;
    Ok(path)
}

fn write_file<R: Table>(tmp: &Path, rows: &[R]) -> Result<(), Error> {
    let perr = |e: &dyn std::fmt::Display| Error::Parquet { path: tmp.to_path_buf(), message: e.to_string() };
    let file = File::create(tmp).map_err(|source| Error::Write { path: tmp.to_path_buf(), source })?;
    let schema = arrow_schema::<R>();
    let mut writer = ArrowWriter::try_new(file, schema, Some(properties::<R>())).map_err(|e| perr(&e))?;
    for chunk in rows.chunks(ROW_GROUP_SIZE) {
        let b = batch(chunk).map_err(|e| perr(&e))?;
        writer.write(&b).map_err(|e| perr(&e))?;
    }
    let mut file = writer.into_inner().map_err(|e| perr(&e))?;
    file.flush().map_err(|source| Error::Write { path: tmp.to_path_buf(), source })?;
    file.sync_all().map_err(|source| Error::Write { path: tmp.to_path_buf(), source })?;
    Ok(())
}
