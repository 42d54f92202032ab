use std::process::ExitCode;

use anyhow::Context;
use budget_extract::batch::{self, RunOptions};
use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("budget-extract: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: cli::Cli) -> anyhow::Result<()> {
    match args.command {
        cli::Command::Schema => {
            print!("{}", budget_extract::sink::schema::markdown());
            Ok(())
        }
        cli::Command::Extract {
            inputs,
            out,
            jobs,
            quiet,
            grammars,
            partition_by,
            shard,
            force,
            prune,
            doc_timeout,
            doc_memory,
            in_process,
            max_file_size,
            write_buffer,
            errors,
        } => {
            budget_extract::error::quiet_panics();
            let worker = if in_process || !cfg!(unix) {
                None
            } else {
                Some(std::env::current_exe().context("cannot find this program to start its worker processes")?)
            };
            let opts = RunOptions {
                jobs: jobs.map(|j| j as usize),
                grammars,
                quiet,
                partition_by,
                shard,
                force,
                prune,
                doc_timeout: std::time::Duration::from_secs_f64(doc_timeout.max(0.001)),
                max_file_bytes: max_file_size.saturating_mul(1 << 20),
                write_buffer_bytes: (write_buffer.max(0.0) * (1 << 20) as f64) as usize,
                errors,
                worker,
                doc_memory_bytes: doc_memory.saturating_mul(1 << 20),
                ..RunOptions::new(out.clone())
            };
            let s = batch::run(&inputs, &opts).context("the run could not complete")?;
            if !quiet {
                print_summary(&s, &out);
            }
            Ok(())
        }
        cli::Command::Compact { out, quiet } => {
            let waiting = |w: &str| {
                if !quiet {
                    eprintln!("waiting for the run writing {} (writer {w}) to finish", out.display())
                }
            };
            let c =
                budget_extract::batch::compact::compact(&out, budget_extract::sink::dataset::BUFFER_BYTES, &waiting)
                    .context("the compaction could not complete")?;
            if !quiet {
                if c.writers.is_empty() {
                    eprintln!("{} is one writer's already: nothing to compact", out.display());
                } else {
                    eprintln!(
                        "merged writers {} ({} documents): {} part files → {}",
                        c.writers.join(", "),
                        c.documents,
                        c.parts_before,
                        c.parts_after
                    );
                }
            }
            Ok(())
        }
        cli::Command::Report { out, html, jobs, quiet } => {
            let opts = budget_extract::report::ReportOptions { jobs: jobs.map(|j| j as usize), quiet };
            let s = budget_extract::report::report(&out, &html, &opts)
                .with_context(|| format!("cannot write the report of {} to {}", out.display(), html.display()))?;
            if !quiet {
                eprintln!(
                    "{} documents: {} files, {:.1} MB (largest {:.0} KB) in {:.2} s ({:.0} documents/s) → {}",
                    s.documents,
                    s.files,
                    s.bytes as f64 / 1e6,
                    s.largest_page as f64 / 1e3,
                    s.elapsed.as_secs_f64(),
                    s.documents as f64 / s.elapsed.as_secs_f64().max(1e-9),
                    html.join("index.html").display()
                );
            }
            Ok(())
        }
        cli::Command::Inspect { file, html, grammars, paragraphs } => {
            inspect(&file, html.as_deref(), grammars.as_deref(), paragraphs)
        }
        cli::Command::Worker { grammars, doc_memory_bytes, doc_timeout, max_file_bytes } => {
            let opts = budget_extract::batch::serve::WorkerOptions {
                grammars,
                memory_bytes: doc_memory_bytes,
                doc_timeout: std::time::Duration::from_secs_f64(doc_timeout.max(0.001)),
                max_file_bytes,
            };
            Ok(budget_extract::batch::serve::serve(&opts)?)
        }
    }
}

/// `inspect FILE`: the file extracted in-process, shown as text or written as a document page.
fn inspect(
    file: &std::path::Path,
    html: Option<&std::path::Path>,
    grammars: Option<&std::path::Path>,
    paragraphs: bool,
) -> anyhow::Result<()> {
    use budget_extract::grammars::Grammars;
    use budget_extract::report::model::DocumentView;
    if !file.is_file() {
        anyhow::bail!("{} is not a file (inspect reads one file; `extract` reads folders)", file.display());
    }
    budget_extract::error::quiet_panics();
    let loaded;
    let g = match grammars {
        Some(dir) => {
            loaded =
                Grammars::load_dir(dir).with_context(|| format!("cannot load the grammars in {}", dir.display()))?;
            &loaded
        }
        None => Grammars::builtin(),
    };
    let extraction = budget_extract::pipeline::extract_file(file, g);
    let view = DocumentView::from_extraction(&extraction);
    match html {
        Some(page) => {
            let written = budget_extract::report::write_inspect_page(&view, page)
                .with_context(|| format!("cannot write the page of {}", file.display()))?;
            for p in written {
                eprintln!("{}", p.display());
            }
        }
        None => {
            let paragraphs = paragraphs.then(|| outside_tables(file, g)).flatten();
            print!("{}", budget_extract::report::text::render(&view, paragraphs.as_deref()));
        }
    }
    Ok(())
}

/// The paragraphs ingest finds in a file (location, text); None when it cannot read it (the
/// document's status and reason say why).
fn outside_tables(file: &std::path::Path, g: &budget_extract::grammars::Grammars) -> Option<Vec<(String, String)>> {
    let bytes = std::fs::read(file).ok()?;
    let ingested = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| budget_extract::ingest::ingest(&bytes, g)))
        .ok()?
        .ok()?;
    Some(ingested.document.paragraphs().map(|p| (p.location.to_string(), p.text.clone())).collect())
}

fn print_summary(s: &batch::Summary, out: &std::path::Path) {
    if s.recovered {
        eprintln!("finished the commit of an earlier run that was stopped");
    }
    if s.unchanged {
        eprintln!(
            "nothing new or changed among {} files: {} left as it was ({:.2} s)",
            s.files,
            out.display(),
            s.elapsed.as_secs_f64()
        );
        return;
    }
    eprintln!("{:<10} {:<12} {:>6}", "format", "status", "files");
    for ((format, status), n) in &s.by_format_status {
        eprintln!("{format:<10} {status:<12} {n:>6}");
    }
    for (file, status, reason) in &s.problems {
        eprintln!("  {status}: {file}: {reason}");
    }
    if s.missing > 0 {
        let what =
            if s.pruned { "their records removed (--prune)" } else { "their records kept (--prune removes them)" };
        eprintln!("{} files of the last run are no longer among the inputs: {what}", s.missing);
    }
    if s.worker_peak_rss_bytes > 0 {
        eprintln!("largest worker process: {:.0} MB peak resident memory", s.worker_peak_rss_bytes as f64 / 1e6);
    }
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "{} files ({} extracted, {} unchanged), {} projects, {} indicators, {} department goals in {:.2} s ({:.0} files/s, {:.1} MB/s) → {}",
        s.files,
        s.extracted,
        s.reused,
        s.projects,
        s.indicators,
        s.department_goals,
        secs,
        s.extracted as f64 / secs,
        s.bytes as f64 / 1e6 / secs,
        out.display()
    );
}
