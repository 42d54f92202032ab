//! One writer per output folder and shard: a run holds an exclusive lock (`flock`) on
//! `_lock-<writer>` in the output folder from before it reads the last manifest until its commit
//! is done. A second run of the same writer — a retried Kubernetes pod, a requeued Slurm task,
//! a speculative Spark copy, or a person starting the same command twice — waits for the first
//! and then finds its work done, instead of both writing the same files. The lock is the
//! kernel's: it goes with the process that holds it, so a killed run never leaves it behind.
//! Shards of one dataset are different writers and run at once.

use std::fs::{self, File};
use std::path::Path;

use crate::error::Error;

/// A held lock; released when dropped (or when the process ends).
pub struct WriterLock {
    _file: File,
}

/// Takes the lock of `writer` in `out`, waiting for another run that holds it; `waiting` is
/// called once if it has to wait.
pub fn acquire(out: &Path, writer: &str, waiting: impl FnOnce()) -> Result<WriterLock, Error> {
    let path = out.join(format!("_lock-{writer}"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| Error::Write { path: path.clone(), source })?;
    if !try_lock(&file).map_err(|source| Error::Write { path: path.clone(), source })? {
        waiting();
        lock(&file).map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    Ok(WriterLock { _file: file })
}

#[cfg(unix)]
fn try_lock(f: &File) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this process owns.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(e)
    }
}

#[cfg(unix)]
fn lock(f: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: flock on a descriptor this process owns.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(not(unix))]
fn try_lock(_: &File) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(not(unix))]
fn lock(_: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let first = acquire(tmp.path(), "s1of1", || panic!("nobody holds it yet")).unwrap();
        let released = Arc::new(AtomicBool::new(false));
        let (dir, r) = (tmp.path().to_path_buf(), Arc::clone(&released));
        let second = std::thread::spawn(move || {
            let mut waited = false;
            let _lock = acquire(&dir, "s1of1", || waited = true).unwrap();
            (waited, r.load(Ordering::SeqCst))
        });
        // Another writer of the same folder is not held up.
        drop(acquire(tmp.path(), "s2of2", || panic!("another writer's lock")).unwrap());
        std::thread::sleep(Duration::from_millis(200));
        released.store(true, Ordering::SeqCst);
        drop(first);
        let (waited, after_release) = second.join().unwrap();
        assert!(waited && after_release, "the second run waited until the first let go");
    }
}
