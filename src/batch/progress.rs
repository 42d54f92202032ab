//! Progress of a batch: a bar on a terminal (files done/total, files/s, ETA, failures so far),
//! a plain line every few seconds otherwise (logs, CI), nothing with `--quiet`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A plain progress line at most this often.
const LOG_EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    total: usize,
    done: AtomicUsize,
    failed: AtomicUsize,
    start: Instant,
    last_log: Mutex<Instant>,
}

impl Progress {
    pub fn new(total: usize, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  ETA {eta}  {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            total,
            done: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            start: Instant::now(),
            last_log: Mutex::new(Instant::now()),
        }
    }

    /// One more file done; `failed` when it did not come out ok.
    pub fn file_done(&self, failed: bool) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let failures =
            if failed { self.failed.fetch_add(1, Ordering::Relaxed) + 1 } else { self.failed.load(Ordering::Relaxed) };
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
            if failed {
                bar.set_message(format!("{failures} not ok"));
            }
        } else if self.plain {
            let mut last = self.last_log.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= LOG_EVERY || done == self.total {
                *last = Instant::now();
                let secs = self.start.elapsed().as_secs_f64().max(1e-9);
                eprintln!(
                    "budget-extract: {done}/{} files ({:.0} files/s), {failures} not ok",
                    self.total,
                    done as f64 / secs
                );
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
