//! The worker process (`budget-extract __worker`, started by the batch, never by hand): reads
//! requests from stdin, one document at a time, and writes the results to stdout
//! ([`super::wire`]). It runs under limits it sets on itself before reading anything: an address
//! space of `--doc-memory` (an allocation past it aborts the process, and the batch reports the
//! limit), and a CPU-time limit renewed for every document (a backstop: the batch kills a worker
//! past the document's time budget, and a worker orphaned by a dead batch must not run on). It
//! ends at the end of its stdin.

use std::io::{self, BufReader, BufWriter};
use std::path::PathBuf;
use std::time::Duration;

use super::document::{read_one, Lineage, Noted};
use super::wire::{self, Reply, Request};
use crate::error::Error;
use crate::grammars::Grammars;

/// Stack of the thread that reads documents: deep documents recurse in the readers, and the
/// decoders' nesting caps are set well inside it.
pub const STACK_BYTES: usize = 64 << 20;

/// The smallest address space a worker is given, whatever `--doc-memory` says: the program, its
/// stacks and allocator arenas need this much before any document.
pub const MIN_MEMORY_BYTES: u64 = 256 << 20;

#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub grammars: Option<PathBuf>,
    /// Address space of the process (`--doc-memory`).
    pub memory_bytes: u64,
    /// The time budget of one document (`--doc-timeout`); CPU time past twice this ends the
    /// process.
    pub doc_timeout: Duration,
    pub max_file_bytes: u64,
}

/// Serves requests until stdin ends.
pub fn serve(opts: &WorkerOptions) -> Result<(), Error> {
    crate::error::quiet_panics();
    crate::ingest::convert::set_time_budget(opts.doc_timeout);
    limits::set_address_space(opts.memory_bytes.max(MIN_MEMORY_BYTES))
        .map_err(|e| Error::Unsupported(format!("cannot limit the worker's memory: {e}")))?;
    let g = match &opts.grammars {
        Some(dir) => Grammars::load_dir(dir)?,
        None => Grammars::builtin().clone(),
    };
    let opts = opts.clone();
    let reader = std::thread::Builder::new()
        .name("worker".into())
        .stack_size(STACK_BYTES)
        .spawn(move || serve_on(&g, &opts))
        .map_err(|e| Error::Unsupported(format!("cannot start the worker's thread: {e}")))?;
    reader.join().unwrap_or_else(|_| Err(Error::Malformed("the worker's thread stopped unexpectedly".into())))
}

fn serve_on(g: &Grammars, opts: &WorkerOptions) -> Result<(), Error> {
    let pipe = |e: io::Error| Error::Malformed(format!("the worker's pipe to the batch broke: {e}"));
    let mut input = BufReader::new(io::stdin().lock());
    let out = std::cell::RefCell::new(BufWriter::new(io::stdout().lock()));
    let send = |fields: io::Result<Vec<Vec<u8>>>| -> io::Result<()> {
        let fields = fields?;
        wire::write_frame(&mut *out.borrow_mut(), &fields.iter().map(Vec::as_slice).collect::<Vec<_>>())
    };
    send(Ok(wire::encode_ready())).map_err(pipe)?;
    while let Some(fields) = wire::read_frame(&mut input).map_err(pipe)? {
        let req = Request::decode(&fields).map_err(pipe)?;
        limits::renew_cpu_time(opts.doc_timeout * 2 + Duration::from_secs(5));
        // A note that cannot be sent is not fatal: the result says everything again.
        let note = |n: Noted| {
            let _ = send(wire::encode_note(&n));
        };
        let lineage = Lineage { source: req.source, root: req.root, grammars: g.fingerprint.clone() };
        let outcome = read_one(&req.path, &lineage, req.old_sha.as_deref(), g, opts.max_file_bytes, &note);
        let (vm_bytes, peak_rss_bytes) = limits::memory_use();
        let reply = Reply { outcome, vm_bytes, peak_rss_bytes };
        send(wire::encode_reply(&reply)).map_err(pipe)?;
    }
    Ok(())
}

/// Process limits, through `setrlimit` (Unix only; elsewhere the batch's time budget is the
/// only limit).
mod limits {
    use std::time::Duration;

    /// Limits the address space to `bytes`, or to the limit the process already has when that
    /// is lower (a batch run under `ulimit -v` or a cgroup-aware launcher).
    #[cfg(unix)]
    pub fn set_address_space(bytes: u64) -> std::io::Result<()> {
        // SAFETY: getrlimit and setrlimit read and write the struct we pass; no memory is shared.
        unsafe {
            let mut current: libc::rlimit = std::mem::zeroed();
            if libc::getrlimit(libc::RLIMIT_AS, &mut current) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let cap = (bytes as libc::rlim_t).min(current.rlim_max);
            let lim = libc::rlimit { rlim_cur: cap, rlim_max: cap };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        }
    }

    /// Lets the process use `budget` more CPU time from now on (the soft limit; SIGXCPU ends
    /// the process past it).
    #[cfg(unix)]
    pub fn renew_cpu_time(budget: Duration) {
        // SAFETY: getrusage and setrlimit only read and write the structs we pass.
        unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
                return;
            }
            let used = usage.ru_utime.tv_sec as u64 + usage.ru_stime.tv_sec as u64 + 1;
            let lim = libc::rlimit {
                rlim_cur: (used + budget.as_secs().max(1)) as libc::rlim_t,
                rlim_max: libc::RLIM_INFINITY,
            };
            libc::setrlimit(libc::RLIMIT_CPU, &lim);
        }
    }

    /// (address space, peak resident set) of this process, in bytes.
    #[cfg(unix)]
    pub fn memory_use() -> (u64, u64) {
        // SAFETY: sysconf only reads a configuration value.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as u64;
        let vm = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse::<u64>().ok()))
            .map_or(0, |pages| pages * page);
        // SAFETY: getrusage writes the struct we pass.
        let peak = unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            if libc::getrusage(libc::RUSAGE_SELF, &mut usage) == 0 {
                usage.ru_maxrss as u64 * 1024
            } else {
                0
            }
        };
        (vm, peak)
    }

    #[cfg(not(unix))]
    pub fn set_address_space(_: u64) -> std::io::Result<()> {
        Ok(())
    }

    #[cfg(not(unix))]
    pub fn renew_cpu_time(_: Duration) {}

    #[cfg(not(unix))]
    pub fn memory_use() -> (u64, u64) {
        (0, 0)
    }
}
