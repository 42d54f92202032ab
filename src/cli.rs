//! Command line: `budget-extract extract <INPUT>... [--out DIR]`, `budget-extract schema`.

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
    /// documents.parquet (one row per input file, with its status) to the output folder.
    /// Exits 0 when the run completed, even if some files failed (see documents.parquet);
    /// non-zero only when the run itself could not proceed.
    Extract {
        /// Files or folders to read. Folders are walked recursively in sorted order, skipping
        /// hidden entries. The format (text dump, docx, pdf, …) is detected from the content.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,

        /// Output folder; created if missing. Existing Parquet files of the same names are
        /// replaced atomically.
        #[arg(long, short, default_value = "out", value_name = "DIR")]
        out: PathBuf,

        /// Number of files processed in parallel (default: all cores).
        #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        jobs: Option<u32>,

        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,

        /// Folder with grammar files (vocabulary.toml, values.toml) that replace the embedded
        /// ones: a department's own label spellings without a new build. A file the folder
        /// lacks stays the embedded one. See grammars/README.md.
        #[arg(long, value_name = "DIR")]
        grammars: Option<PathBuf>,
    },
    /// Print the output schema (every column of every table) as Markdown.
    Schema,
}
