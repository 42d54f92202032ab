//! A batch: many input files into one dataset — in parallel, bounded in memory, resumable,
//! crash-safe, and shardable across machines.
//!
//! 1. The inputs are listed (sorted by path; `--shard K/N` keeps a fixed 1/N of them, by a hash
//!    of the path) and compared with the writer's manifest ([`manifest`]): a file with the size
//!    and modification time recorded is not read again; one whose content hash is unchanged is
//!    not extracted again. With nothing new, changed or pruned, the run writes nothing: the
//!    dataset stays byte-identical.
//! 2. Otherwise a fixed pool of `--jobs` workers ([`workers`]) takes the files in path order and
//!    extracts them, each document within a time budget kept by a watchdog (`--doc-timeout`:
//!    past it, it is a `timeout` row, a new worker replaces the stuck one, and the batch goes
//!    on), while one writer writes the results in path order as they come —
//!    new records, or the rows of unchanged files copied from the last run's files. Workers run
//!    at most a small window ahead of the writer: memory holds that window and the parts being
//!    written, not the corpus.
//! 3. The tables and the manifest are committed together ([`crate::sink::dataset`]): a run
//!    killed at any point leaves the dataset as before or as after, and the next run finishes
//!    or cleans up what it left.

pub mod compact;
pub mod document;
pub mod inputs;
pub mod lock;
pub mod manifest;
pub mod progress;
#[cfg(unix)]
pub mod sandbox;
pub mod serve;
pub mod wire;
pub mod workers;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::{Array, RecordBatch, StringArray};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::grammars::Grammars;
use crate::pipeline;
use crate::records::{CellRecord, DepartmentGoalRecord, DocumentRecord, IndicatorRecord, ProjectRecord, Status};
use crate::sink::dataset::{self, Commit, Layout, OldRows, TableWriter};
use crate::sink::schema::Table;
use document::{Lineage, Noted, Outcome, Prepared};
use manifest::{Entry, Manifest};
#[cfg(unix)]
use sandbox::Sandbox;
use serve::WorkerOptions;
use workers::{run_ordered, GiveUp, Notes, PoolOptions};

/// Workers may run this many documents per job ahead of the writer (see [`workers`]).
const WINDOW_PER_JOB: usize = 16;

/// With worker processes, the pool's watchdog gives a document this much longer than its
/// budget: the sandbox stops it first, by killing its process.
const SANDBOX_GRACE: Duration = Duration::from_secs(30);

/// Address space of a worker process unless `--doc-memory` says otherwise.
pub const DOC_MEMORY_BYTES: u64 = 2 << 30;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub out: PathBuf,
    /// Worker threads; None = all cores.
    pub jobs: Option<usize>,
    /// A folder of grammar files replacing the embedded ones (`--grammars`).
    pub grammars: Option<PathBuf>,
    pub quiet: bool,
    /// Hive partition columns (`--partition-by fiscal_year,province`).
    pub partition_by: Vec<String>,
    /// This run's shard K of N (`--shard K/N`), 1-based.
    pub shard: Option<(u32, u32)>,
    /// Extract every file again (`--force`).
    pub force: bool,
    /// Remove the records of files no longer among the inputs (`--prune`).
    pub prune: bool,
    /// Time budget of one document (`--doc-timeout`).
    pub doc_timeout: Duration,
    /// Files larger than this are not read (`--max-file-size`).
    pub max_file_bytes: u64,
    /// One JSON line per file that did not come out ok (`--errors FILE`).
    pub errors: Option<PathBuf>,
    /// Bytes of rows each table may hold in memory (`--write-buffer`; see
    /// [`TableWriter::end_document`]).
    pub write_buffer_bytes: usize,
    /// The program whose `__worker` subcommand reads documents in worker processes
    /// ([`sandbox`]); `None` reads them on threads of this process (library use, tests).
    pub worker: Option<PathBuf>,
    /// Address space of a worker process (`--doc-memory`).
    pub doc_memory_bytes: u64,
}

impl RunOptions {
    pub fn new(out: impl Into<PathBuf>) -> RunOptions {
        RunOptions {
            out: out.into(),
            jobs: None,
            grammars: None,
            quiet: true,
            partition_by: Vec::new(),
            shard: None,
            force: false,
            prune: false,
            doc_timeout: Duration::from_secs(60),
            max_file_bytes: 512 << 20,
            errors: None,
            write_buffer_bytes: dataset::BUFFER_BYTES,
            worker: None,
            doc_memory_bytes: DOC_MEMORY_BYTES,
        }
    }
}

/// What a run did, for the summary and the exit code.
#[derive(Debug, Default)]
pub struct Summary {
    /// Input files of this run (of this shard).
    pub files: usize,
    /// Input files extracted in this run, and those whose rows were kept from the last run.
    pub extracted: usize,
    pub reused: usize,
    /// Files of the last run no longer among the inputs: kept, or removed with `--prune`.
    pub missing: usize,
    pub pruned: bool,
    /// Nothing new, changed or pruned: nothing was written.
    pub unchanged: bool,
    /// A killed run's commit was finished first.
    pub recovered: bool,
    /// (format, status) → files, over the whole dataset of this writer.
    pub by_format_status: BTreeMap<(String, String), usize>,
    pub projects: usize,
    pub indicators: usize,
    pub department_goals: usize,
    pub cells: usize,
    /// Bytes of the files extracted in this run.
    pub bytes: u64,
    pub elapsed: Duration,
    /// (source_file, status, reason) of every file that is not ok.
    pub problems: Vec<(String, String, String)>,
    /// The largest peak resident memory of a worker process, in bytes (0 in-process).
    pub worker_peak_rss_bytes: u64,
}

/// What to do with one document.
enum Action {
    /// Its rows are in the last run's files: copy them.
    Reuse,
    /// Read it (and extract it unless its content is unchanged).
    Read { path: PathBuf, root: String, old: Option<Entry> },
    /// Not a file to read (an unreadable folder, a device, …): a row saying so.
    Skip { format: &'static str, reason: String, root: String, entry: Entry },
}

/// Extracts every input and writes (or updates) the dataset in `opts.out`.
pub fn run(inputs: &[PathBuf], opts: &RunOptions) -> Result<Summary, Error> {
    let start = Instant::now();
    let layout = Layout::new(opts.partition_by.clone(), opts.shard);
    for c in &layout.partition_by {
        if !dataset::PARTITION_COLUMNS.contains(&c.as_str()) {
            return Err(Error::Unsupported(format!(
                "cannot partition by `{c}`: choose among {}",
                dataset::PARTITION_COLUMNS.join(", ")
            )));
        }
    }
    fs::create_dir_all(&opts.out).map_err(|source| Error::Write { path: opts.out.clone(), source })?;
    let mut files = inputs::collect(inputs, Some(&opts.out))?;
    if let Some((k, n)) = opts.shard {
        files.retain(|f| shard_of(&f.source, n) == k);
    }
    // One writer per folder and shard: a second run of it waits here.
    let quiet = opts.quiet;
    let _lock = lock::acquire(&opts.out, &layout.writer, || {
        if !quiet {
            eprintln!(
                "another run is writing {} (writer {}): waiting for it to finish",
                opts.out.display(),
                layout.writer
            );
        }
    })?;
    check_layout(&opts.out, &layout)?;
    let recovered = dataset::recover(&opts.out, &layout)?;
    let g: Arc<Grammars> = Arc::new(match &opts.grammars {
        Some(dir) => Grammars::load_dir(dir)?,
        None => Grammars::builtin().clone(),
    });
    // Rows made by another program, other grammars or another schema are made again.
    let schema = pipeline::hex(&Sha256::digest(crate::sink::schema::markdown().as_bytes()))[..16].to_string();
    let fingerprint =
        format!("budget-extract {} / grammars {} / schema {schema}", env!("CARGO_PKG_VERSION"), g.fingerprint);

    // The last run's manifest, if its rows are usable here.
    let old = manifest::load(&opts.out, &layout)
        .filter(|m| !opts.force && m.fingerprint == fingerprint && m.layout == layout)
        .filter(|_| has_documents(&opts.out, &layout));
    let old_files = old.as_ref().map(|m| m.files.clone()).unwrap_or_default();

    let jobs = opts.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    // Size and modification time of every input, compared with the manifest. In parallel: on a
    // network file system (NFS, Lustre) one stat can take a millisecond, and a second run over
    // 100,000 files would spend minutes here.
    let stats: Vec<Option<(u64, u128)>> = if old_files.is_empty() {
        vec![None; files.len()]
    } else {
        use rayon::prelude::*;
        let stat_all = || files.par_iter().map(|f| manifest::stat(&f.path)).collect();
        match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
            Ok(pool) => pool.install(stat_all),
            Err(_) => files.iter().map(|f| manifest::stat(&f.path)).collect(),
        }
    };
    // What to do with each document, in path order.
    let mut docs: BTreeMap<String, Action> = BTreeMap::new();
    for (file, stat) in files.iter().zip(stats) {
        let recorded = old_files.get(&file.source).cloned();
        let same = recorded.as_ref().is_some_and(|e| stat == Some((e.bytes, e.mtime_ns)));
        let root = inputs::source_name(&file.root);
        let action = match &file.skip {
            _ if same => Action::Reuse,
            Some((format, reason)) => {
                let (bytes, mtime_ns) = stat.unwrap_or((0, 0));
                let entry = Entry { sha256: String::new(), bytes, mtime_ns };
                Action::Skip { format, reason: reason.clone(), root, entry }
            }
            None => Action::Read { path: file.path.clone(), root, old: recorded },
        };
        docs.insert(file.source.clone(), action);
    }
    let missing: Vec<String> = old_files.keys().filter(|s| !docs.contains_key(*s)).cloned().collect();
    if !opts.prune {
        for s in &missing {
            docs.insert(s.clone(), Action::Reuse);
        }
    }
    let missing_set: std::collections::HashSet<&str> = missing.iter().map(String::as_str).collect();
    let to_read = docs.values().filter(|a| !matches!(a, Action::Reuse)).count();
    let mut summary = Summary {
        files: files.len(),
        missing: missing.len(),
        pruned: opts.prune && !missing.is_empty(),
        recovered,
        ..Summary::default()
    };
    if old.is_some() && to_read == 0 && !summary.pruned {
        summary.unchanged = true;
        summary.reused = files.len();
        summary.elapsed = start.elapsed();
        return Ok(summary);
    }

    let progress = progress::Progress::new(docs.len(), opts.quiet);
    let reuse = if old.is_some() { Reuse::Own } else { Reuse::Nothing };
    let mut w = Writers::new(&opts.out, &layout, reuse, opts.write_buffer_bytes)?;
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let order: Arc<Vec<(String, Action)>> = Arc::new(docs.into_iter().collect());
    // Workers take documents in path order; this thread writes them in that order as they come.
    // With worker processes, the sandbox keeps each document's time budget by killing its
    // process; the pool's own watchdog is then only a backstop.
    let sandbox = opts.worker.as_ref().map(|exe| {
        let worker_opts = WorkerOptions {
            grammars: opts.grammars.clone(),
            memory_bytes: opts.doc_memory_bytes,
            doc_timeout: opts.doc_timeout,
            max_file_bytes: opts.max_file_bytes,
        };
        Arc::new(Sandbox::new(exe.clone(), &worker_opts, g.fingerprint.clone()))
    });
    let budget = if sandbox.is_some() { opts.doc_timeout + SANDBOX_GRACE } else { opts.doc_timeout };
    let pool = PoolOptions { jobs, window: jobs * WINDOW_PER_JOB, budget };
    let work = {
        let (order, g, sandbox, max) = (Arc::clone(&order), Arc::clone(&g), sandbox.clone(), opts.max_file_bytes);
        move |i: usize, notes: &Notes<Noted>| {
            let source = &order[i].0;
            let lineage =
                |root: &String| Lineage { source: source.clone(), root: root.clone(), grammars: g.fingerprint.clone() };
            match &order[i].1 {
                Action::Reuse => None,
                Action::Skip { format, reason, root, entry } => {
                    Some(document::not_read(&lineage(root), format, Status::Failed, reason.clone(), entry.clone()))
                }
                Action::Read { path, root, old } => {
                    let old_sha = old.as_ref().map(|e| e.sha256.as_str()).filter(|s| !s.is_empty());
                    let note = |n: Noted| notes.set(n);
                    Some(match &sandbox {
                        Some(s) => {
                            let req = wire::Request {
                                path: path.clone(),
                                source: source.clone(),
                                root: root.clone(),
                                old_sha: old_sha.map(str::to_string),
                            };
                            s.read(&req, &note)
                        }
                        None => document::read_one(path, &lineage(root), old_sha, &g, max, &note),
                    })
                }
            }
        }
    };
    let give_up = {
        let (order, fingerprint) = (Arc::clone(&order), g.fingerprint.clone());
        move |i: usize, noted: Noted, why: GiveUp| {
            let root = match &order[i].1 {
                Action::Read { root, .. } | Action::Skip { root, .. } => root.clone(),
                Action::Reuse => String::new(),
            };
            let lineage = Lineage { source: order[i].0.clone(), root, grammars: fingerprint.clone() };
            Some(document::given_up(&lineage, noted, why))
        }
    };
    run_ordered(order.len(), &pool, work, give_up, |i, outcome| {
        let source = &order[i].0;
        let (status, reason) = match outcome {
            None | Some(Outcome::SameContent(_)) => {
                if let Some(Outcome::SameContent(e)) = outcome {
                    entries.insert(source.clone(), e);
                } else if let Some(e) = old_files.get(source) {
                    entries.insert(source.clone(), e.clone());
                }
                if !missing_set.contains(source.as_str()) {
                    summary.reused += 1;
                }
                w.copy(source, &mut summary)?
            }
            Some(Outcome::Extracted(e, entry)) => {
                entries.insert(source.clone(), entry);
                summary.extracted += 1;
                w.skip(source)?;
                w.push(*e, &mut summary)?
            }
        };
        w.end_document()?;
        progress.file_done(status != "ok");
        if status != "ok" && status != "no_tables" {
            summary.problems.push((source.clone(), status, reason));
        }
        Ok(())
    })?;
    progress.finish();
    summary.worker_peak_rss_bytes = sandbox.map_or(0, |s| s.peak_rss_bytes());
    let mut commit = w.finish()?;
    let m = Manifest { fingerprint, layout: layout.clone(), files: entries };
    commit.renames.push((manifest::write_temp(&opts.out, &m)?, manifest::path(&opts.out, &layout)));
    dataset::commit(&opts.out, &layout, &commit)?;
    if let Some(path) = &opts.errors {
        write_errors(path, &summary.problems)?;
    }
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// The shard (1-based) a path belongs to among `n`: a hash of the path, the same on every
/// machine.
pub fn shard_of(source: &str, n: u32) -> u32 {
    let h = Sha256::digest(source.as_bytes());
    let v = u64::from_be_bytes(h[..8].try_into().expect("8 bytes"));
    (v % n as u64) as u32 + 1
}

/// The tables being written, and the last run's rows being copied.
struct Writers {
    documents: TableWriter<DocumentRecord>,
    projects: TableWriter<ProjectRecord>,
    indicators: TableWriter<IndicatorRecord>,
    goals: TableWriter<DepartmentGoalRecord>,
    cells: TableWriter<CellRecord>,
    /// The last run's files of each table (documents, projects, indicators, goals, cells).
    old: [Vec<OldRows>; 5],
    /// The last run's files of this writer, removed unless written again.
    stale: Vec<PathBuf>,
}

/// Which earlier files a new dataset's writers read rows from.
enum Reuse {
    /// None: every document is extracted.
    Nothing,
    /// This writer's files (an incremental run).
    Own,
    /// Every writer's part files (compaction: the shards' parts merged into one writer's).
    EveryWriter,
}

impl Writers {
    fn new(out: &Path, layout: &Layout, reuse: Reuse, buffer: usize) -> Result<Writers, Error> {
        let documents = TableWriter::<DocumentRecord>::new(out, layout)?.with_buffer(buffer);
        let projects = TableWriter::<ProjectRecord>::new(out, layout)?.with_buffer(buffer);
        let indicators = TableWriter::<IndicatorRecord>::new(out, layout)?.with_buffer(buffer);
        let goals = TableWriter::<DepartmentGoalRecord>::new(out, layout)?.with_buffer(buffer);
        let cells = TableWriter::<CellRecord>::new(out, layout)?.with_buffer(buffer);
        let existing = match reuse {
            Reuse::EveryWriter => [
                documents.every_writers_parts(),
                projects.every_writers_parts(),
                indicators.every_writers_parts(),
                goals.every_writers_parts(),
                cells.every_writers_parts(),
            ],
            Reuse::Own | Reuse::Nothing => {
                [documents.existing(), projects.existing(), indicators.existing(), goals.existing(), cells.existing()]
            }
        };
        let reuse = !matches!(reuse, Reuse::Nothing);
        let stale: Vec<PathBuf> = existing.iter().flatten().map(|(_, p)| p.clone()).collect();
        let mut old: [Vec<OldRows>; 5] = Default::default();
        if reuse {
            for (k, files) in existing.into_iter().enumerate() {
                for (key, path) in files {
                    old[k].push(OldRows::open(key, &path)?);
                }
            }
        }
        Ok(Writers { documents, projects, indicators, goals, cells, old, stale })
    }

    /// Drops the last run's rows of documents up to and including `source` (re-extracted).
    fn skip(&mut self, source: &str) -> Result<(), Error> {
        for rows in self.old.iter_mut().flatten() {
            rows.skip_while(&|s| s <= source)?;
        }
        Ok(())
    }

    /// Copies the last run's rows of `source`; returns its status and reason.
    fn copy(&mut self, source: &str, summary: &mut Summary) -> Result<(String, String), Error> {
        for rows in self.old.iter_mut().flatten() {
            rows.skip_while(&|s| s < source)?;
        }
        let mut status = None;
        for rows in self.old[0].iter_mut() {
            for b in rows.take(source)? {
                status = status.or_else(|| document_status(&b, summary));
                self.documents.push_part(rows.key.clone(), b)?;
            }
        }
        let counts =
            [&mut summary.projects, &mut summary.indicators, &mut summary.department_goals, &mut summary.cells];
        let (projects, indicators, goals, cells) =
            (&mut self.projects, &mut self.indicators, &mut self.goals, &mut self.cells);
        for (k, count) in (1..5).zip(counts) {
            for rows in self.old[k].iter_mut() {
                for b in rows.take(source)? {
                    *count += b.num_rows();
                    let key = rows.key.clone();
                    match k {
                        1 => projects.push_part(key, b)?,
                        2 => indicators.push_part(key, b)?,
                        3 => goals.push_part(key, b)?,
                        _ => cells.push_part(key, b)?,
                    }
                }
            }
        }
        status.ok_or_else(|| {
            Error::Malformed(format!(
                "the dataset in the output folder has no row for {source}, which its manifest lists: run again with --force"
            ))
        })
    }

    /// Writes a new extraction; returns its status and reason.
    fn push(&mut self, e: Prepared, summary: &mut Summary) -> Result<(String, String), Error> {
        let [documents, projects, indicators, goals, cells] = e.batches;
        let d = e.summary;
        if let Some(b) = documents {
            self.documents.push_batch(b)?;
        }
        if let Some(b) = projects {
            self.projects.push_batch(b)?;
        }
        if let Some(b) = indicators {
            self.indicators.push_batch(b)?;
        }
        if let Some(b) = goals {
            self.goals.push_batch(b)?;
        }
        if let Some(b) = cells {
            self.cells.push_batch(b)?;
        }
        summary.projects += e.counts[0];
        summary.indicators += e.counts[1];
        summary.department_goals += e.counts[2];
        summary.cells += e.counts[3];
        summary.bytes += d.bytes;
        *summary.by_format_status.entry((d.format, d.status.clone())).or_default() += 1;
        Ok((d.status, d.reason))
    }

    /// After each document: keeps the rows held in memory bounded.
    fn end_document(&mut self) -> Result<(), Error> {
        self.documents.end_document()?;
        self.projects.end_document()?;
        self.indicators.end_document()?;
        self.goals.end_document()?;
        self.cells.end_document()
    }

    /// Closes every part; the commit moves them into place and removes the stale ones.
    fn finish(self) -> Result<Commit, Error> {
        let mut renames = Vec::new();
        renames.extend(self.documents.finish()?);
        renames.extend(self.projects.finish()?);
        renames.extend(self.indicators.finish()?);
        renames.extend(self.goals.finish()?);
        renames.extend(self.cells.finish()?);
        // documents last: a folder whose documents table is new holds the other tables of the
        // same run.
        let documents_first = renames.iter().position(|(_, p)| p.to_string_lossy().contains("documents.parquet"));
        if let Some(i) = documents_first {
            let d = renames.remove(i);
            renames.push(d);
        }
        let finals: Vec<&PathBuf> = renames.iter().map(|(_, p)| p).collect();
        let deletes = self.stale.iter().filter(|p| !finals.contains(p)).cloned().collect();
        Ok(Commit { renames, deletes })
    }
}

/// Counts a copied documents row in the summary; returns its (status, reason).
fn document_status(b: &RecordBatch, summary: &mut Summary) -> Option<(String, String)> {
    let col = |name: &str| b.column_by_name(name).and_then(|c| c.as_any().downcast_ref::<StringArray>().cloned());
    let (format, status, reason) = (col("format")?, col("status")?, col("reason")?);
    if b.num_rows() == 0 {
        return None;
    }
    let st = status.value(0).to_string();
    *summary.by_format_status.entry((format.value(0).to_string(), st.clone())).or_default() += 1;
    Some((st, if reason.is_null(0) { String::new() } else { reason.value(0).to_string() }))
}

/// Whether the last run's documents table of this writer is there (else its rows cannot be
/// reused).
fn has_documents(out: &Path, layout: &Layout) -> bool {
    TableWriter::<DocumentRecord>::new(out, layout).is_ok_and(|w| !w.existing().is_empty())
}

/// A folder written in another layout (single files vs. part folders) is not mixed with this one.
fn check_layout(out: &Path, layout: &Layout) -> Result<(), Error> {
    for name in
        [DocumentRecord::NAME, ProjectRecord::NAME, IndicatorRecord::NAME, DepartmentGoalRecord::NAME, CellRecord::NAME]
    {
        let p = out.join(format!("{name}.parquet"));
        let wrong = if layout.parts { p.is_file() } else { p.is_dir() };
        if wrong {
            return Err(Error::Unsupported(format!(
                "{} holds a dataset written {}: use the same options as then (--partition-by, --shard), or another --out",
                out.display(),
                if layout.parts { "as single files" } else { "as part folders (--partition-by or --shard)" }
            )));
        }
    }
    Ok(())
}

fn write_errors(path: &Path, problems: &[(String, String, String)]) -> Result<(), Error> {
    let mut text = String::new();
    for (file, status, reason) in problems {
        let line = serde_json::json!({ "path": file, "status": status, "reason": reason });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    let mut f = fs::File::create(path).map_err(|source| Error::Write { path: path.to_path_buf(), source })?;
    f.write_all(text.as_bytes()).map_err(|source| Error::Write { path: path.to_path_buf(), source })
}
