//! Word 97–2003 (.doc), WPS Writer (.wps, the same container) and RTF files, converted to
//! .docx by LibreOffice when it is installed, then read as .docx. The document's row records
//! what it was converted from (`documents.converted_from`).
//!
//! Each conversion runs in a temporary folder of its own (input, output, HOME and LibreOffice
//! profile), removed afterwards. The LibreOffice process (`soffice.bin`, started directly so
//! that the limits below reach the process that does the work):
//! - runs in a process group of its own, killed as a whole when the conversion is over or past
//!   its time budget ([`set_time_budget`], the document's `--doc-timeout`);
//! - is killed by the kernel when the thread that started it ends (`PR_SET_PDEATHSIG`): a
//!   worker process killed by the batch for running past the budget takes it along;
//! - inherits the worker's address-space limit (`--doc-memory`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::Error;

/// The time budget of one conversion, in milliseconds (default: the batch's default
/// `--doc-timeout` of 60 s).
static TIME_BUDGET_MS: AtomicU64 = AtomicU64::new(60_000);

/// Sets the time budget of conversions (the worker sets its `--doc-timeout`).
pub fn set_time_budget(budget: Duration) {
    TIME_BUDGET_MS.store(budget.as_millis().min(u64::MAX as u128) as u64, Ordering::Relaxed);
}

/// The Debian packages that provide the converter.
pub const PACKAGES: &str = "libreoffice-writer-nogui (Debian/Ubuntu: apt-get install libreoffice-writer-nogui)";

/// The largest .docx a conversion may produce.
const MAX_OUTPUT_BYTES: u64 = 256 << 20;

/// LibreOffice exits with this after creating a new profile, asking to be started again.
const EXIT_RESTART: i32 = 81;

/// Converts a legacy word-processor file (`extension`: doc, wps, rtf) to .docx bytes.
pub fn to_docx(bytes: &[u8], extension: &str, what: &str) -> Result<Vec<u8>, Error> {
    let Some(office) = find_office() else {
        return Err(Error::Unsupported(format!(
            "{what}: reading it needs LibreOffice (soffice) to convert it to .docx, and it is not installed: \
             install {PACKAGES}, or save the file as .docx, and run again"
        )));
    };
    let budget = Duration::from_millis(TIME_BUDGET_MS.load(Ordering::Relaxed));
    remove_abandoned_folders();
    let dir = TempDir::new()?;
    let input = dir.path.join(format!("input.{extension}"));
    let io = |e: std::io::Error| Error::Unsupported(format!("cannot prepare the conversion of the {what}: {e}"));
    std::fs::write(&input, bytes).map_err(io)?;
    let out = dir.path.join("out");
    let deadline = Instant::now() + budget;
    let mut log = String::new();
    for _ in 0..3 {
        match run(&office, &dir.path, &input, &out, deadline)? {
            Ran::Exited(code, stderr) => {
                log = stderr;
                if code == Some(EXIT_RESTART) {
                    continue;
                }
                break;
            }
            Ran::TimedOut => {
                return Err(Error::Unsupported(format!(
                    "{what}: converting it with LibreOffice took longer than {:.0} s (the document's time budget, \
                     --doc-timeout): stopped",
                    budget.as_secs_f64()
                )))
            }
        }
    }
    let converted = out.join("input.docx");
    let file = std::fs::File::open(&converted).map_err(|_| {
        let said = log.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("nothing").trim().to_string();
        Error::Malformed(format!(
            "{what}: LibreOffice could not convert it to .docx (damaged, or not what it seems; it said: {said})"
        ))
    })?;
    let mut docx = Vec::new();
    file.take(MAX_OUTPUT_BYTES + 1).read_to_end(&mut docx).map_err(io)?;
    if docx.len() as u64 > MAX_OUTPUT_BYTES {
        return Err(Error::Malformed(format!(
            "{what}: its conversion to .docx is larger than {MAX_OUTPUT_BYTES} bytes"
        )));
    }
    Ok(docx)
}

/// `soffice.bin` beside the `soffice` found on PATH (following links: Debian's is
/// /usr/bin/soffice → /usr/lib/libreoffice/program/soffice), else `soffice` itself.
fn find_office() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["soffice", "libreoffice"] {
            let candidate = dir.join(name);
            if !candidate.is_file() {
                continue;
            }
            let real = std::fs::canonicalize(&candidate).unwrap_or(candidate.clone());
            let bin = real.with_file_name("soffice.bin");
            return Some(if bin.is_file() { bin } else { candidate });
        }
    }
    None
}

enum Ran {
    Exited(Option<i32>, String),
    TimedOut,
}

fn run(office: &Path, dir: &Path, input: &Path, out: &Path, deadline: Instant) -> Result<Ran, Error> {
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let stderr_path = dir.join("stderr.txt");
    let stderr = std::fs::File::create(&stderr_path)
        .map_err(|e| Error::Unsupported(format!("cannot prepare the conversion: {e}")))?;
    let mut command = Command::new(office);
    command
        .args(["--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck"])
        .arg(profile)
        .args(["--convert-to", "docx", "--outdir"])
        .arg(out)
        .arg(input)
        .current_dir(dir)
        .env("HOME", dir)
        .env("TMPDIR", dir)
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: between fork and exec only async-signal-safe calls (setpgid, prctl, getppid)
        // on no shared memory.
        unsafe {
            command.pre_exec(|| {
                libc::setpgid(0, 0);
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0);
                // The parent may have ended before prctl: then go now.
                if libc::getppid() == 1 {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
    }
    let mut child = command
        .spawn()
        .map_err(|e| Error::Unsupported(format!("cannot start LibreOffice ({}): {e}", office.display())))?;
    let group = child.id() as i32;
    let kill_group = || {
        #[cfg(unix)]
        // SAFETY: kill only sends a signal, to the group this conversion started.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                // Anything it left behind in its group goes too.
                kill_group();
                let mut said = String::new();
                if let Ok(f) = std::fs::File::open(&stderr_path) {
                    let _ = f.take(64 << 10).read_to_string(&mut said);
                }
                return Ok(Ran::Exited(status.code(), said));
            }
            Ok(None) if Instant::now() >= deadline => {
                kill_group();
                let _ = child.kill();
                let _ = child.wait();
                return Ok(Ran::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                kill_group();
                let _ = child.wait();
                return Err(Error::Unsupported(format!("lost track of LibreOffice: {e}")));
            }
        }
    }
}

const FOLDER_PREFIX: &str = "budget-extract-convert-";

/// Removes the folders of conversions whose process is gone (a worker killed past its time
/// budget cannot clean up after itself).
fn remove_abandoned_folders() {
    // Whether a process is alive is read from /proc.
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(FOLDER_PREFIX)) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> Result<TempDir, Error> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        for _ in 0..100 {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let nanos =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!("{FOLDER_PREFIX}{}-{n}-{nanos}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::Unsupported(format!(
                        "cannot create a temporary folder for the conversion in {}: {e}",
                        base.display()
                    )))
                }
            }
        }
        Err(Error::Unsupported("cannot create a temporary folder for the conversion".into()))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
