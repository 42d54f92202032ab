//! One document of a batch: read the file (a regular file, within the size cap), compare its hash
//! with the manifest, extract it, and turn its records into Arrow batches. The same code runs in
//! a worker process ([`super::serve`]) and, for library use and tests, on a thread of the batch.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::manifest::Entry;
use super::workers::GiveUp;
use crate::error::Error;
use crate::grammars::Grammars;
use crate::pipeline;
use crate::records::{Extraction, Status};
use crate::sink::schema::Table;

/// What the writer needs of a document row beside its batch: the summary's counts and the
/// `--errors` lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub format: String,
    pub status: String,
    pub reason: String,
    pub bytes: u64,
}

/// An extraction with its rows already as Arrow batches (built where the document was read, so
/// that the one writer only encodes).
#[derive(Debug)]
pub struct Prepared {
    pub summary: DocSummary,
    /// documents, projects, indicators, department goals, cells.
    pub batches: [Option<RecordBatch>; 5],
    /// Rows of projects, indicators, department goals, cells.
    pub counts: [usize; 4],
}

impl Prepared {
    pub fn new(e: Extraction) -> Result<Prepared, Error> {
        fn rows<R: Table>(rows: &[R]) -> Result<Option<RecordBatch>, Error> {
            if rows.is_empty() {
                return Ok(None);
            }
            crate::sink::parquet::batch(rows)
                .map(Some)
                .map_err(|err| Error::Parquet { path: PathBuf::from(R::NAME), message: err.to_string() })
        }
        let d = &e.document;
        Ok(Prepared {
            summary: DocSummary {
                format: d.format.clone(),
                status: d.status.as_str().to_string(),
                reason: d.reason.clone().unwrap_or_default(),
                bytes: d.bytes,
            },
            batches: [
                rows(std::slice::from_ref(&e.document))?,
                rows(&e.projects)?,
                rows(&e.indicators)?,
                rows(&e.department_goals)?,
                rows(&e.cells)?,
            ],
            counts: [e.projects.len(), e.indicators.len(), e.department_goals.len(), e.cells.len()],
        })
    }
}

/// What reading a file gave.
#[derive(Debug)]
pub enum Outcome {
    Extracted(Box<Prepared>, Entry),
    /// Same content as recorded (only its modification time changed).
    SameContent(Entry),
}

/// What a document's row carries besides its content: its name, the folder the name is relative
/// to, and the grammars that read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    pub source: String,
    pub root: String,
    pub grammars: String,
}

/// What is known of a document being read, for its row if it has to be given up.
#[derive(Debug, Clone, Default)]
pub struct Noted {
    pub format: String,
    pub bytes: u64,
    pub entry: Option<Entry>,
}

/// Reads one file and extracts it. `old_sha` is the content hash the manifest recorded (the
/// file is not extracted again when it matches); `note` is told what is known as soon as it is,
/// for the row of a document that has to be given up. Only a regular file is read (a device or
/// a FIFO, even behind a symbolic link, is refused), and never more than `max_file_bytes`
/// whatever its size claims.
pub fn read_one(
    path: &Path,
    lineage: &Lineage,
    old_sha: Option<&str>,
    g: &Grammars,
    max_file_bytes: u64,
    note: &dyn Fn(Noted),
) -> Outcome {
    let (bytes, entry) = match read_capped(path, max_file_bytes) {
        Ok(read) => read,
        Err((reason, entry)) => {
            return not_read(lineage, "unknown", Status::Failed, reason, entry);
        }
    };
    let sha = pipeline::hex(&Sha256::digest(&bytes));
    let entry = Entry { sha256: sha.clone(), ..entry };
    if old_sha == Some(sha.as_str()) {
        return Outcome::SameContent(entry);
    }
    let format = crate::ingest::detect::detect(&bytes).name();
    note(Noted { format: format.to_string(), bytes: bytes.len() as u64, entry: Some(entry.clone()) });
    let mut extraction = pipeline::extract_hashed(&lineage.source, &bytes, sha, g);
    pipeline::note_attachments_beside(&mut extraction.document, path);
    drop(bytes);
    extracted(lineage, extraction, entry)
}

/// The bytes of a regular file, at most `max` of them, with its manifest entry (hash not yet
/// set). The checks are made on the open file, so a file swapped for a device after the
/// folder was listed is still refused.
fn read_capped(path: &Path, max: u64) -> Result<(Vec<u8>, Entry), (String, Entry)> {
    let no_entry = |bytes| Entry { sha256: String::new(), bytes, mtime_ns: 0 };
    let file = fs::File::open(path).map_err(|e| (format!("cannot open the file: {e}"), no_entry(0)))?;
    let meta = file.metadata().map_err(|e| (format!("cannot read the file's metadata: {e}"), no_entry(0)))?;
    let mtime_ns = super::manifest::mtime_ns(&meta);
    let entry = Entry { sha256: String::new(), bytes: meta.len(), mtime_ns };
    if !meta.is_file() {
        return Err((format!("{}: not read", super::inputs::not_regular(&meta)), entry));
    }
    if meta.len() > max {
        let reason = format!("the file is {} bytes, over the limit of {max} (--max-file-size): not read", meta.len());
        return Err((reason, entry));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size may change while it is read (a file still being written): never past the cap.
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| (format!("cannot read the file: {e}"), entry.clone()))?;
    if bytes.len() as u64 > max {
        let reason =
            format!("the file grew past the limit of {max} bytes (--max-file-size) while it was read: not read");
        return Err((reason, entry));
    }
    Ok((bytes, entry))
}

/// The row of a document read no further: its reason says why.
pub fn not_read(lineage: &Lineage, format: &str, status: Status, reason: String, entry: Entry) -> Outcome {
    extracted(lineage, pipeline::unread(&lineage.source, format, entry.bytes, status, reason), entry)
}

/// The row of a document given up part-way (past its time budget, or its reader ended): what
/// was noted of it — format, size, content hash — and why. With the hash in the manifest, an
/// incremental run does not try the same content again.
pub fn abandoned(lineage: &Lineage, noted: Noted, status: Status, reason: String) -> Outcome {
    let format = if noted.format.is_empty() { "unknown" } else { noted.format.as_str() };
    let entry = noted.entry.unwrap_or(Entry { sha256: String::new(), bytes: noted.bytes, mtime_ns: 0 });
    let mut e = pipeline::unread(&lineage.source, format, noted.bytes, status, reason);
    e.document.sha256 = entry.sha256.clone();
    extracted(lineage, e, entry)
}

/// The row of a document the thread pool gave up (in-process runs): past its time budget, or
/// broken outside the pipeline's own guard.
pub fn given_up(lineage: &Lineage, noted: Noted, why: GiveUp) -> Outcome {
    let (status, reason) = match why {
        GiveUp::Timeout(budget) => (
            Status::Timeout,
            format!(
                "reading took longer than {:.1} s (--doc-timeout): abandoned; the file may loop a reader, or need a longer budget",
                budget.as_secs_f64()
            ),
        ),
        GiveUp::Panic(_) => {
            (Status::Failed, "the batch stopped on this file (an internal error, please report it)".to_string())
        }
    };
    abandoned(lineage, noted, status, reason)
}

/// The outcome of an extraction, its rows as Arrow batches, its row stamped with its lineage
/// (a document that cannot be converted is a `failed` row, never lost).
pub fn extracted(lineage: &Lineage, mut e: Extraction, entry: Entry) -> Outcome {
    e.document.source_root = Some(lineage.root.clone());
    e.document.grammars = Some(lineage.grammars.clone());
    match Prepared::new(e) {
        Ok(p) => Outcome::Extracted(Box::new(p), entry),
        Err(err) => {
            let mut d = pipeline::unread(&lineage.source, "unknown", entry.bytes, Status::Failed, err.to_string());
            d.document.source_root = Some(lineage.root.clone());
            Outcome::Extracted(Box::new(Prepared::new(d).expect("a document row converts")), entry)
        }
    }
}
