use std::process::ExitCode;

use anyhow::Context;
use budget_extract::pipeline::{self, RunOptions};
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
        cli::Command::Extract { inputs, out, jobs, quiet, grammars } => {
            let opts = RunOptions { out: out.clone(), jobs: jobs.map(|j| j as usize), grammars };
            let summary = pipeline::run(&inputs, &opts).context("the run could not complete")?;
            if !quiet {
                eprintln!("{:<10} {:<10} {:>6}", "format", "status", "files");
                for ((format, status), n) in &summary.by_format_status {
                    eprintln!("{format:<10} {status:<10} {n:>6}");
                }
                for (file, status, reason) in &summary.problems {
                    eprintln!("  {status}: {file}: {reason}");
                }
                let secs = summary.elapsed.as_secs_f64();
                eprintln!(
                    "{} files, {} projects, {} indicators, {} department goals in {:.2} s ({:.0} files/s) → {}",
                    summary.files,
                    summary.projects,
                    summary.indicators,
                    summary.department_goals,
                    secs,
                    summary.files as f64 / secs.max(1e-9),
                    out.display()
                );
            }
            Ok(())
        }
    }
}
