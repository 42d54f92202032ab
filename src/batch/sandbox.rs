//! Documents read in worker processes, so that no input can take the batch down. Each worker is
//! the same program (`budget-extract __worker`, [`super::serve`]) under limits it cannot leave:
//! an address space of `--doc-memory`, and the document's time budget, kept here by killing the
//! worker. A worker that aborts (an allocation past its limit, a stack overflow), is killed by
//! the system or runs past the budget costs its document a `failed` or `timeout` row whose
//! reason says which limit it hit; the next document gets a fresh worker. Workers are reused
//! between documents (starting one per document would cost more than reading a text dump), and
//! retired once their address space has grown past half the limit, so that one large document
//! does not leave the next with less room. As Tika's forked parser does, only the pipe is
//! shared: results come back as frames ([`super::wire`]).

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::document::{abandoned, Lineage, Noted, Outcome};
use super::serve::WorkerOptions;
use super::wire::{self, Frame, Request};
use crate::records::Status;

/// The last bytes a worker wrote to stderr are kept: why it died, when it does.
const STDERR_TAIL_BYTES: usize = 8 << 10;

/// A worker has this long to start and say it is ready.
const WORKER_START: Duration = Duration::from_secs(30);

/// The batch's side of its worker processes.
pub struct Sandbox {
    exe: PathBuf,
    args: Vec<OsString>,
    budget: Duration,
    memory_bytes: u64,
    idle: Mutex<Vec<Worker>>,
    peak_rss: AtomicU64,
    /// Fingerprint of the grammars the workers load, for the rows made here.
    grammars: String,
}

impl Sandbox {
    /// Workers of `exe` (this program) with `opts`, which load the grammars of fingerprint
    /// `grammars`; none is started until a document needs one.
    pub fn new(exe: PathBuf, opts: &WorkerOptions, grammars: String) -> Sandbox {
        let mut args: Vec<OsString> = vec!["__worker".into()];
        if let Some(g) = &opts.grammars {
            args.push("--grammars".into());
            args.push(g.clone().into_os_string());
        }
        args.extend([
            "--doc-memory-bytes".into(),
            opts.memory_bytes.to_string().into(),
            "--doc-timeout".into(),
            opts.doc_timeout.as_secs_f64().to_string().into(),
            "--max-file-bytes".into(),
            opts.max_file_bytes.to_string().into(),
        ]);
        Sandbox {
            exe,
            args,
            budget: opts.doc_timeout,
            memory_bytes: opts.memory_bytes.max(super::serve::MIN_MEMORY_BYTES),
            idle: Mutex::new(Vec::new()),
            peak_rss: AtomicU64::new(0),
            grammars,
        }
    }

    /// The largest peak resident memory a worker reported, in bytes.
    pub fn peak_rss_bytes(&self) -> u64 {
        self.peak_rss.load(Ordering::Relaxed)
    }

    /// Reads one document in a worker. Never fails: whatever happens to the worker becomes the
    /// document's row.
    pub fn read(&self, req: &Request, note: &dyn Fn(Noted)) -> Outcome {
        let fields = req.encode();
        let fields: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
        let mut worker = match self.idle_worker() {
            Ok(w) => w,
            Err(e) => return self.failed(req, Noted::default(), format!("cannot start a worker process: {e}")),
        };
        if worker.send(&fields).is_err() {
            // It ended while idle (killed from outside): one fresh worker.
            worker = match self.spawn().and_then(|mut w| w.send(&fields).map(|()| w)) {
                Ok(w) => w,
                Err(e) => return self.failed(req, Noted::default(), format!("cannot start a worker process: {e}")),
            };
        }
        let deadline = Instant::now() + self.budget;
        let mut noted = Noted::default();
        loop {
            match worker.receive(deadline) {
                Received::Frame(Frame::Note(n)) => {
                    noted = n.clone();
                    note(n);
                }
                Received::Frame(Frame::Ready) => {}
                Received::Frame(Frame::Result(reply)) => {
                    self.peak_rss.fetch_max(reply.peak_rss_bytes, Ordering::Relaxed);
                    if reply.vm_bytes <= self.memory_bytes / 2 {
                        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(worker);
                    }
                    return reply.outcome;
                }
                Received::Timeout => {
                    drop(worker);
                    let reason = format!(
                        "reading took longer than {:.1} s (--doc-timeout): stopped; the file may loop a reader, or need a longer budget",
                        self.budget.as_secs_f64()
                    );
                    return abandoned(&self.lineage(req), noted, Status::Timeout, reason);
                }
                Received::Ended => {
                    let (status, stderr) = worker.end();
                    let (status, reason) = death(status, &stderr, self.memory_bytes, self.budget);
                    return abandoned(&self.lineage(req), noted, status, reason);
                }
                Received::Garbage(e) => {
                    drop(worker);
                    let reason =
                        format!("the worker process sent a result that cannot be read ({e}): an internal error, please report it");
                    return self.failed(req, noted, reason);
                }
            }
        }
    }

    fn failed(&self, req: &Request, noted: Noted, reason: String) -> Outcome {
        abandoned(&self.lineage(req), noted, Status::Failed, reason)
    }

    fn lineage(&self, req: &Request) -> Lineage {
        Lineage { source: req.source.clone(), root: req.root.clone(), grammars: self.grammars.clone() }
    }

    fn idle_worker(&self) -> io::Result<Worker> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(w) => Ok(w),
            None => self.spawn(),
        }
    }

    fn spawn(&self) -> io::Result<Worker> {
        let mut child = Command::new(&self.exe)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the worker's pipes were not opened"));
        };
        nonblocking(&stdout)?;
        nonblocking(&stderr)?;
        let mut w = Worker {
            child,
            stdin,
            stdout: Some(stdout),
            stderr: Some(stderr),
            inbox: Vec::new(),
            stderr_tail: Vec::new(),
        };
        match w.receive(Instant::now() + WORKER_START) {
            Received::Frame(Frame::Ready) => Ok(w),
            Received::Timeout => Err(io::Error::other(format!("it did not start within {} s", WORKER_START.as_secs()))),
            Received::Ended => {
                let (_, stderr) = w.end();
                Err(io::Error::other(format!("it ended at once: {}", stderr.trim())))
            }
            Received::Frame(_) | Received::Garbage(_) => Err(io::Error::other("it did not say it was ready")),
        }
    }
}

/// Why a worker ended in the middle of a document, in words, from its exit status and the last
/// lines it wrote (Rust's runtime names an allocation failure and a stack overflow).
fn death(status: Option<ExitStatus>, stderr: &str, memory: u64, budget: Duration) -> (Status, String) {
    let mib = memory >> 20;
    if stderr.contains("memory allocation of") {
        return (
            Status::Failed,
            format!(
                "exceeded the {mib} MiB memory limit per document (--doc-memory): not read; raise --doc-memory if the file is genuine"
            ),
        );
    }
    if stderr.contains("has overflowed its stack") {
        return (
            Status::Failed,
            "nested deeper than the reader can follow (its stack overflowed): not read; the file is malformed or hostile"
                .into(),
        );
    }
    let signal = status.and_then(signal_of);
    match signal {
        Some(libc_signals::SIGXCPU) => (
            Status::Timeout,
            format!(
                "used more CPU time than its budget allows ({:.1} s, --doc-timeout): stopped",
                budget.as_secs_f64()
            ),
        ),
        Some(libc_signals::SIGKILL) => (
            Status::Failed,
            "the worker process was killed from outside while reading this file (by the system when memory ran out?): not read"
                .into(),
        ),
        Some(s) => (
            Status::Failed,
            format!("the worker process crashed (signal {s}) while reading this file: an internal error, please report it"),
        ),
        None => {
            let code = status.and_then(|s| s.code()).map_or("unknown".to_string(), |c| c.to_string());
            (
                Status::Failed,
                format!(
                    "the worker process ended (exit code {code}) while reading this file: an internal error, please report it"
                ),
            )
        }
    }
}

#[cfg(unix)]
fn signal_of(s: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    s.signal()
}

#[cfg(not(unix))]
fn signal_of(_: ExitStatus) -> Option<i32> {
    None
}

mod libc_signals {
    pub const SIGKILL: i32 = 9;
    pub const SIGXCPU: i32 = 24;
}

enum Received {
    Frame(Frame),
    /// The document's time budget ran out.
    Timeout,
    /// The worker closed its stdout: it ended.
    Ended,
    /// Bytes that are not a frame.
    Garbage(io::Error),
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: Option<ChildStdout>,
    stderr: Option<ChildStderr>,
    /// Bytes of stdout not yet made into a frame.
    inbox: Vec<u8>,
    stderr_tail: Vec<u8>,
}

impl Worker {
    fn send(&mut self, fields: &[&[u8]]) -> io::Result<()> {
        wire::write_frame(&mut self.stdin, fields)
    }

    /// The next frame, or what stopped it, waiting at most until `deadline`.
    fn receive(&mut self, deadline: Instant) -> Received {
        loop {
            if let Some(len) = wire::frame_len(&self.inbox) {
                if len > wire::MAX_FRAME_BYTES {
                    return Received::Garbage(io::Error::other(format!("a frame of {len} bytes")));
                }
                let end = 8 + len as usize;
                if self.inbox.len() >= end {
                    let body: Vec<u8> = self.inbox.drain(..end).skip(8).collect();
                    return match wire::split_fields(&body).and_then(|f| wire::decode(&f)) {
                        Ok(frame) => Received::Frame(frame),
                        Err(e) => Received::Garbage(e),
                    };
                }
            }
            let Some(stdout) = &self.stdout else { return Received::Ended };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Received::Timeout;
            }
            let ready = poll(stdout, self.stderr.as_ref(), left);
            if ready.stderr {
                self.drain_stderr();
            }
            if ready.stdout {
                let mut buf = [0u8; 64 << 10];
                match self.stdout.as_mut().map(|s| s.read(&mut buf)) {
                    Some(Ok(0)) | None => {
                        self.stdout = None;
                        return Received::Ended;
                    }
                    Some(Ok(n)) => self.inbox.extend_from_slice(&buf[..n]),
                    Some(Err(e)) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::Interrupted => {
                    }
                    Some(Err(_)) => {
                        self.stdout = None;
                        return Received::Ended;
                    }
                }
            }
        }
    }

    fn drain_stderr(&mut self) {
        let Some(stderr) = self.stderr.as_mut() else { return };
        let mut buf = [0u8; 8 << 10];
        loop {
            match stderr.read(&mut buf) {
                Ok(0) => {
                    self.stderr = None;
                    return;
                }
                Ok(n) => {
                    self.stderr_tail.extend_from_slice(&buf[..n]);
                    let excess = self.stderr_tail.len().saturating_sub(STDERR_TAIL_BYTES);
                    self.stderr_tail.drain(..excess);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    }

    /// Waits for the worker that closed its stdout to end; its exit status and last words.
    fn end(mut self) -> (Option<ExitStatus>, String) {
        // What it wrote last may still be in the pipe.
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.stderr.is_some() && Instant::now() < deadline {
            let Some(stderr) = &self.stderr else { break };
            if poll_one(stderr, Duration::from_millis(50)) {
                self.drain_stderr();
            }
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                self.drain_stderr();
                break;
            }
        }
        let status = match self.child.try_wait() {
            Ok(Some(s)) => Some(s),
            _ => {
                let _ = self.child.kill();
                self.child.wait().ok()
            }
        };
        (status, String::from_utf8_lossy(&self.stderr_tail).into_owned())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // An idle worker ends at the end of its stdin; a busy one is stopped. Either way it is
        // reaped here, never left behind.
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.stdin.flush();
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Ready {
    stdout: bool,
    stderr: bool,
}

#[cfg(unix)]
fn nonblocking(fd: &impl std::os::fd::AsRawFd) -> io::Result<()> {
    let fd = fd.as_raw_fd();
    // SAFETY: fcntl on a file descriptor this process owns, with flags it read just before.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Waits until stdout or stderr can be read (or has ended), at most `wait`.
#[cfg(unix)]
fn poll(stdout: &ChildStdout, stderr: Option<&ChildStderr>, wait: Duration) -> Ready {
    use std::os::fd::AsRawFd;
    let events = libc::POLLIN | libc::POLLHUP | libc::POLLERR;
    let mut fds = [
        libc::pollfd { fd: stdout.as_raw_fd(), events, revents: 0 },
        libc::pollfd { fd: stderr.map_or(-1, |e| e.as_raw_fd()), events, revents: 0 },
    ];
    let ms = wait.as_millis().clamp(1, i32::MAX as u128) as i32;
    // SAFETY: poll reads and writes the array we pass, of the length we pass.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
    if n <= 0 {
        return Ready { stdout: false, stderr: false };
    }
    Ready { stdout: fds[0].revents != 0, stderr: fds[1].revents != 0 }
}

#[cfg(unix)]
fn poll_one(stderr: &ChildStderr, wait: Duration) -> bool {
    use std::os::fd::AsRawFd;
    let mut fd = libc::pollfd { fd: stderr.as_raw_fd(), events: libc::POLLIN | libc::POLLHUP, revents: 0 };
    let ms = wait.as_millis().clamp(1, i32::MAX as u128) as i32;
    // SAFETY: poll reads and writes the one struct we pass.
    unsafe { libc::poll(&mut fd, 1, ms) > 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deaths_are_told_in_words() {
        let (s, r) = death(None, "memory allocation of 8589934592 bytes failed\n", 2 << 30, Duration::from_secs(60));
        assert_eq!(s, Status::Failed);
        assert!(r.starts_with("exceeded the 2048 MiB memory limit per document (--doc-memory)"), "{r}");
        let (_, r) = death(
            None,
            "\nthread 'worker' has overflowed its stack\nfatal runtime error: stack overflow",
            1,
            Duration::ZERO,
        );
        assert!(r.contains("stack overflowed"), "{r}");
        let (_, r) = death(None, "", 1, Duration::ZERO);
        assert!(r.contains("exit code unknown"), "{r}");
    }
}
