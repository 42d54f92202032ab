//! Command line: `budget-extract extract <INPUT>... [--out DIR]`, `budget-extract report OUT --html DIR`,
//! `budget-extract inspect FILE [--html FILE]`, `budget-extract schema`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "budget-extract",
    version,
    about = "Turns published budget performance-target disclosures (项目支出绩效目标表) into normalized Parquet.",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Extract projects, indicators and department goals from disclosures into Parquet.
    ///
    /// Writes indicators.parquet, projects.parquet, department_goals.parquet and
    /// documents.parquet (one row per input file, with its status) to the output folder, with a
    /// manifest that lets the next run read only what changed. Exits 0 when the run completed,
    /// even if some files failed (see documents.parquet); non-zero only when the run itself
    /// could not proceed.
    Extract {
        /// Files or folders to read. Folders are walked recursively in sorted order, skipping
        /// hidden entries. The format (text dump, docx, xlsx, pdf, …) is detected from the
        /// content.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,

        /// Output folder; created if missing. The dataset in it is updated all at once: a run
        /// that stops half-way leaves it as it was.
        #[arg(long, short, default_value = "out", value_name = "DIR")]
        out: PathBuf,

        /// Number of files processed in parallel (default: all cores).
        #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        jobs: Option<u32>,

        /// Print nothing but errors (no progress, no summary).
        #[arg(long, short)]
        quiet: bool,

        /// Folder with grammar files (vocabulary.toml, values.toml, forms.toml, places.toml)
        /// that replace the embedded ones: a department's own label spellings without a new
        /// build. A file the folder lacks stays the embedded one. See grammars/README.md.
        #[arg(long, value_name = "DIR")]
        grammars: Option<PathBuf>,

        /// Write the tables as Hive-partitioned folders of part files, e.g.
        /// `--partition-by fiscal_year,province` → indicators.parquet/fiscal_year=2023/province=河北省/.
        /// Columns: fiscal_year, province, prefecture, county, court_level, org_kind, record_kind, form.
        #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
        partition_by: Vec<String>,

        /// Take a deterministic 1/N of the inputs (by a hash of the path): shard K of N. N runs
        /// (machines, array jobs) with K = 1..N write disjoint parts of one dataset into the
        /// same output folder.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<(u32, u32)>,

        /// Extract every file again, ignoring what the last run recorded.
        #[arg(long)]
        force: bool,

        /// Remove the records of files that are no longer among the inputs (kept otherwise).
        #[arg(long)]
        prune: bool,

        /// Seconds one document may take; past it, its worker process is stopped, the document
        /// becomes a `timeout` row and the batch goes on.
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
        doc_timeout: f64,

        /// MiB of memory (address space) the worker process reading a document may use; past
        /// it, the document is a `failed` row that says so and the batch goes on.
        #[arg(long, value_name = "MIB", default_value_t = 2048)]
        doc_memory: u64,

        /// Read documents on threads of this process instead of worker processes: faster to
        /// start, but a document that aborts or exhausts memory takes the run down with it.
        #[arg(long)]
        in_process: bool,

        /// Files larger than this many MiB are not read (a `failed` row says so).
        #[arg(long, value_name = "MIB", default_value_t = 512)]
        max_file_size: u64,

        /// MiB of rows each table may hold in memory before writing them out. Only many
        /// partitions (each waiting for a full row group) reach it; when they do, the fullest
        /// are written as smaller row groups. Lower it to bound memory, raise it for fewer,
        /// larger row groups.
        #[arg(long, value_name = "MIB", default_value_t = 32.0)]
        write_buffer: f64,

        /// Write one JSON line per file that did not come out ok (path, status, reason).
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
    },
    /// Merge the part files of a sharded build into one writer's: one file per partition, as an
    /// unsharded run with the same --partition-by writes them (byte-identical to it). Run it
    /// once the shards are done; update the dataset afterwards without --shard.
    Compact {
        /// The output folder of the sharded build.
        #[arg(value_name = "OUT")]
        out: PathBuf,

        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print the output schema (every column of every table) as Markdown.
    Schema,

    /// Write a static site to look at a dataset: an overview, a documents list to sort and
    /// filter, and a page per document with its tables as read, each cell coloured by what it
    /// fed, beside the records made from them.
    ///
    /// Reads the Parquet files of OUT alone (one file per table, or partitioned and sharded
    /// part files). The site needs no network: open DIR/index.html in a browser. DIR is
    /// replaced when the site is complete; it must be new, empty, or an earlier report.
    Report {
        /// The dataset: the --out folder of `extract`.
        #[arg(value_name = "OUT")]
        out: PathBuf,

        /// Folder to write the site to.
        #[arg(long, value_name = "DIR")]
        html: PathBuf,

        /// Number of threads drawing pages (default: all cores).
        #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        jobs: Option<u32>,

        /// Print nothing but errors (no progress, no summary).
        #[arg(long, short)]
        quiet: bool,
    },

    /// Show how one file is read, for debugging a layout: its tables with every cell and what it
    /// fed, then the records and their warnings. No dataset needed: the file is extracted here,
    /// in this process.
    ///
    /// Prints text to the terminal, or writes the report's document page with --html.
    Inspect {
        /// The file to read.
        #[arg(value_name = "FILE")]
        file: PathBuf,

        /// Write the document page (HTML) to this file instead of printing text.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,

        /// Folder with grammar files replacing the embedded ones (as for `extract`).
        #[arg(long, value_name = "DIR")]
        grammars: Option<PathBuf>,

        /// Also print the paragraphs outside the tables, with their locations (text output).
        #[arg(long)]
        paragraphs: bool,
    },

    /// A worker process of `extract` (started by it, one per job; reads requests on stdin).
    #[command(name = "__worker", hide = true)]
    Worker {
        #[arg(long, value_name = "DIR")]
        grammars: Option<PathBuf>,
        #[arg(long, value_name = "BYTES")]
        doc_memory_bytes: u64,
        #[arg(long, value_name = "SECONDS")]
        doc_timeout: f64,
        #[arg(long, value_name = "BYTES")]
        max_file_bytes: u64,
    },
}

/// `K/N` with 1 ≤ K ≤ N.
fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 2/8")?;
    let k: u32 = k.trim().parse().map_err(|_| format!("K in {s} is not a number"))?;
    let n: u32 = n.trim().parse().map_err(|_| format!("N in {s} is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("{s}: K must be between 1 and N"));
    }
    Ok((k, n))
}
