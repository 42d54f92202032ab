//! `report OUT --html DIR`: a static, self-contained site built from a dataset's Parquet files
//! alone — an overview, a documents list to sort and filter, and a page per document showing
//! its tables as read beside the records made from them. `inspect FILE` shows the same document
//! page for one file extracted in-process.
//!
//! - [`dataset`] reads the tables (one file, or partitioned and sharded part files), streaming
//!   one document at a time;
//! - [`model`] is what a document page shows, from the dataset or from an extraction;
//! - [`document`] draws a document's page, [`text`] the same for a terminal;
//! - [`documents`] the list, [`overview`] the overview, [`html`] the building blocks.
//!
//! The site is written to a folder beside DIR and put in its place when complete; the same
//! dataset always gives the same bytes.

pub mod dataset;
pub mod document;
pub mod documents;
pub mod html;
pub mod model;
pub mod overview;
pub mod text;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::batch::progress::Progress;
use crate::records::{DepartmentGoalRecord, IndicatorRecord, ProjectRecord};
use dataset::TableReader;
use model::{Cell, Doc, DocumentView, Record, GOAL_FIELDS, INDICATOR_FIELDS, PROJECT_FIELDS};
use overview::{DocFacts, Reading};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "{path} holds no documents.parquet: not a dataset written by `budget-extract extract` (run `budget-extract extract INPUT --out {path}` first)"
    )]
    NoDataset { path: PathBuf },

    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },

    #[error("cannot read Parquet {path}: {message}")]
    Parquet { path: PathBuf, message: String },

    #[error("{path}: column {column} is {found}, expected {expected}")]
    Column { path: PathBuf, column: String, expected: String, found: String },

    #[error(
        "{path}: rows are not in source_file order ({after:?} after {before:?}); the report reads part files in the order \
         budget-extract writes them — was this file rewritten by another tool?"
    )]
    Unsorted { path: PathBuf, before: String, after: String },

    #[error("cannot write {path}: {source} (check that the folder can be written, or pass another --html)")]
    Write { path: PathBuf, source: std::io::Error },

    #[error(
        "{path} is not empty and holds no report written by budget-extract (no {MARKER}): pass an empty or new folder to --html"
    )]
    NotAReport { path: PathBuf },
}

/// The file that marks a folder as a report, which the next report may replace.
pub const MARKER: &str = ".budget-extract-report";

#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Threads that draw pages; None: all cores.
    pub jobs: Option<usize>,
    pub quiet: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportSummary {
    pub documents: usize,
    /// Files written, and their bytes.
    pub files: usize,
    pub bytes: u64,
    /// The largest page written, in bytes.
    pub largest_page: u64,
    pub elapsed: Duration,
}

/// A document's page, from the site's root: `doc/<2 hex>/<16 hex>.html`, named by a hash of
/// its source_file (the same in every report of any dataset holding it).
fn page_stems(docs: &[Doc]) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    docs.iter()
        .map(|d| {
            let hash = crate::pipeline::hex(&Sha256::digest(d.source_file.as_bytes()));
            let (dir, mut stem) = (hash[..2].to_string(), hash[..16].to_string());
            // Two names with one hash prefix: the later (in file order) gets a suffix.
            let mut n = 1;
            while !seen.insert(format!("{dir}/{stem}")) {
                n += 1;
                stem = format!("{}-{n}", &hash[..16]);
            }
            (format!("doc/{dir}"), stem)
        })
        .collect()
}

/// Writes `content` to `path`, creating its folder.
fn write_file(path: &Path, content: &[u8]) -> Result<(), ReportError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|source| ReportError::Write { path: dir.to_path_buf(), source })?;
    }
    fs::write(path, content).map_err(|source| ReportError::Write { path: path.to_path_buf(), source })
}

/// The folder the site is built in before it takes DIR's place, and the one DIR's old report
/// goes to meanwhile.
fn staging(html: &Path, what: &str) -> PathBuf {
    let name = html.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "report".into());
    html.with_file_name(format!(".{name}.{what}-budget-extract"))
}

/// Refuses a DIR that holds something else than a report (or nothing).
fn check_target(html: &Path) -> Result<(), ReportError> {
    if !html.exists() {
        return Ok(());
    }
    let mut entries = fs::read_dir(html).map_err(|source| ReportError::Read { path: html.to_path_buf(), source })?;
    if entries.next().is_none() || html.join(MARKER).is_file() {
        return Ok(());
    }
    Err(ReportError::NotAReport { path: html.to_path_buf() })
}

/// One document's rows, read from the dataset.
struct Readers {
    projects: TableReader<Record>,
    indicators: TableReader<Record>,
    goals: TableReader<Record>,
    cells: TableReader<Cell>,
}

impl Readers {
    fn open(out: &Path) -> Result<Readers, ReportError> {
        Ok(Readers {
            projects: TableReader::open(
                out,
                "projects",
                &dataset::record_columns::<ProjectRecord>(PROJECT_FIELDS),
                |b, r| dataset::record::<ProjectRecord>(b, r, PROJECT_FIELDS),
            )?,
            indicators: TableReader::open(
                out,
                "indicators",
                &dataset::record_columns::<IndicatorRecord>(INDICATOR_FIELDS),
                |b, r| dataset::record::<IndicatorRecord>(b, r, INDICATOR_FIELDS),
            )?,
            goals: TableReader::open(
                out,
                "department_goals",
                &dataset::record_columns::<DepartmentGoalRecord>(GOAL_FIELDS),
                |b, r| dataset::record::<DepartmentGoalRecord>(b, r, GOAL_FIELDS),
            )?,
            cells: TableReader::open(out, "cells", dataset::CELL_COLUMNS, dataset::cell)?,
        })
    }

    fn view(&mut self, doc: &Doc) -> Result<DocumentView, ReportError> {
        let s = doc.source_file.as_str();
        let mut view = DocumentView {
            doc: doc.clone(),
            projects: self.projects.take(s)?,
            indicators: self.indicators.take(s)?,
            goals: self.goals.take(s)?,
            cells: self.cells.take(s)?,
        };
        view.sort();
        Ok(view)
    }

    fn finish(mut self, out: &Path) -> Result<Reading, ReportError> {
        let mut reading = Reading::default();
        for (name, orphans) in [
            ("projects", {
                self.projects.finish()?;
                self.projects.orphans
            }),
            ("indicators", {
                self.indicators.finish()?;
                self.indicators.orphans
            }),
            ("department_goals", {
                self.goals.finish()?;
                self.goals.orphans
            }),
            ("cells", {
                self.cells.finish()?;
                self.cells.orphans
            }),
        ] {
            reading.tables.insert(name, (dataset::part_files(out, name)?.len(), orphans));
        }
        reading.tables.insert("documents", (dataset::part_files(out, "documents")?.len(), 0));
        Ok(reading)
    }
}

/// What drawing one document's pages gave.
struct Drawn {
    index: usize,
    facts: DocFacts,
    bytes: u64,
    largest: u64,
}

/// Builds the site for dataset `out` into `html`.
pub fn report(out: &Path, html: &Path, opts: &ReportOptions) -> Result<ReportSummary, ReportError> {
    let start = Instant::now();
    check_target(html)?;
    let mut docs = dataset::documents(out)?;
    let before = docs.len();
    docs.dedup_by(|b, a| a.source_file == b.source_file);
    let duplicate_documents = before - docs.len();

    let site = staging(html, "new");
    if site.exists() {
        fs::remove_dir_all(&site).map_err(|source| ReportError::Write { path: site.clone(), source })?;
    }
    fs::create_dir_all(&site).map_err(|source| ReportError::Write { path: site.clone(), source })?;

    let stems = page_stems(&docs);
    let hrefs: Vec<String> = stems.iter().map(|(dir, stem)| format!("{dir}/{stem}.html")).collect();
    let progress = Progress::new(docs.len(), opts.quiet);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .map_err(|e| ReportError::Write { path: site.clone(), source: std::io::Error::other(e.to_string()) })?;

    // One thread reads the dataset in file order, a document at a time; the pool draws and
    // writes the pages. The channel bounds the documents read ahead.
    let (tx, rx) = mpsc::sync_channel::<(usize, DocumentView)>(64);
    let (drawn, reading) = std::thread::scope(|scope| -> Result<(Vec<Drawn>, Reading), ReportError> {
        let docs = &docs;
        let reader = scope.spawn(move || -> Result<Reading, ReportError> {
            let mut readers = Readers::open(out)?;
            for (i, doc) in docs.iter().enumerate() {
                let view = readers.view(doc)?;
                if tx.send((i, view)).is_err() {
                    break; // the pages stopped on an error, reported there
                }
            }
            drop(tx);
            readers.finish(out)
        });
        let drawn: Result<Vec<Drawn>, ReportError> = pool.install(|| {
            rx.into_iter()
                .par_bridge()
                .map(|(i, view)| {
                    let d = draw(&view, i, &stems[i], &site)?;
                    progress.file_done(view.doc.status != "ok");
                    Ok(d)
                })
                .collect()
        });
        let reading = reader.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        Ok((drawn?, reading?))
    })?;
    progress.finish();
    let mut drawn = drawn;
    drawn.sort_by_key(|d| d.index);
    let facts: Vec<DocFacts> = drawn.iter().map(|d| d.facts.clone()).collect();
    let mut summary = ReportSummary {
        documents: docs.len(),
        files: drawn.iter().map(|d| d.facts.pages).sum(),
        bytes: drawn.iter().map(|d| d.bytes).sum(),
        largest_page: drawn.iter().map(|d| d.largest).max().unwrap_or(0),
        elapsed: Duration::ZERO,
    };

    let provinces: Vec<Vec<String>> = facts.iter().map(|f| f.provinces.clone()).collect();
    let entries: Vec<documents::Entry> = docs
        .iter()
        .zip(&hrefs)
        .zip(&provinces)
        .map(|((doc, href), provinces)| documents::Entry { doc, href, provinces })
        .collect();
    let mut files = documents::render(&entries);
    let reading = Reading { duplicate_documents, ..reading };
    files.push(("index.html".to_string(), overview::render(&docs, &facts, &hrefs, &reading)));
    files.push((
        MARKER.to_string(),
        "A report written by budget-extract; `budget-extract report` replaces it.\n".into(),
    ));
    for (path, content) in &files {
        write_file(&site.join(path), content.as_bytes())?;
        summary.files += 1;
        summary.bytes += content.len() as u64;
        summary.largest_page = summary.largest_page.max(content.len() as u64);
    }

    // The new site takes DIR's place; an old report goes, anything else was refused above.
    let old = staging(html, "old");
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|source| ReportError::Write { path: old.clone(), source })?;
    }
    if html.exists() {
        fs::rename(html, &old).map_err(|source| ReportError::Write { path: html.to_path_buf(), source })?;
    }
    fs::rename(&site, html).map_err(|source| ReportError::Write { path: html.to_path_buf(), source })?;
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|source| ReportError::Write { path: old.clone(), source })?;
    }
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Draws and writes one document's pages.
fn draw(view: &DocumentView, index: usize, (dir, stem): &(String, String), site: &Path) -> Result<Drawn, ReportError> {
    let links = document::Links {
        index: Some("../../index.html".into()),
        list: Some(format!("../../{}", documents::list_page(index))),
        stem: stem.clone(),
    };
    let pages = document::render(view, &links);
    let mut facts = DocFacts::of(view);
    facts.pages = pages.len();
    let (mut bytes, mut largest) = (0u64, 0u64);
    let folder = site.join(dir);
    fs::create_dir_all(&folder).map_err(|source| ReportError::Write { path: folder.clone(), source })?;
    for (k, content) in pages.iter().enumerate() {
        let path = folder.join(links.part_file(k + 1));
        fs::write(&path, content).map_err(|source| ReportError::Write { path, source })?;
        bytes += content.len() as u64;
        largest = largest.max(content.len() as u64);
    }
    Ok(Drawn { index, facts, bytes, largest })
}

/// `inspect FILE --html PAGE`: the document page of one extraction, on its own (later parts,
/// for a document with very many cells, beside it as `PAGE-2.html`, …). Returns the files
/// written.
pub fn write_inspect_page(view: &DocumentView, page: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let stem = page.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "document".into());
    let links = document::Links { index: None, list: None, stem };
    let mut written = Vec::new();
    for (k, content) in document::render(view, &links).iter().enumerate() {
        let path = if k == 0 { page.to_path_buf() } else { page.with_file_name(links.part_file(k + 1)) };
        write_file(&path, content.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
