//! The files a batch reads: files as given, folders walked recursively in sorted order. Every
//! entry met ends as a file to read or as a row saying why it was not read (an unreadable
//! folder, a device, a FIFO, a link to a folder), so nothing is skipped silently — except hidden
//! entries (names starting with `.`) and the output folder itself when it sits among the inputs.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// One entry of the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it.
    pub path: PathBuf,
    /// The name recorded in `source_file`: the input folder's own name, then the path below it
    /// ([`source_name`]), so that it does not depend on how the input was spelled or where the
    /// share is mounted.
    pub source: String,
    /// The folder `source` is relative to on this machine (absolute): `documents.source_root`.
    pub root: PathBuf,
    /// Why the entry is not read, when it is not a file: its row's format and reason.
    pub skip: Option<(&'static str, String)>,
}

/// Where the entries found under one input are named from.
struct Root {
    /// The folder source names are relative to.
    base: PathBuf,
}

impl Root {
    fn input(&self, path: PathBuf, rel: &Path, skip: Option<(&'static str, String)>) -> Input {
        Input { source: source_name(rel), root: self.base.clone(), path, skip }
    }
}

/// The entries named by `inputs`, sorted by source name, without duplicates. `out` (the output
/// folder) is not read when it lies among them. A folder given is named by its own name (`data`
/// for `/mnt/share/data` and for `../data` alike), a file given by the folder that holds it.
/// Fails when an input does not exist, or when two inputs would give files the same names.
pub fn collect(inputs: &[PathBuf], out: Option<&Path>) -> Result<Vec<Input>, Error> {
    let out = out.and_then(|o| fs::canonicalize(o).ok());
    let mut found = Vec::new();
    for input in inputs {
        let meta = fs::metadata(input).map_err(|source| Error::Read { path: input.clone(), source })?;
        let canonical = fs::canonicalize(input).map_err(|source| Error::Read { path: input.clone(), source })?;
        let folder = if meta.is_dir() {
            canonical.clone()
        } else {
            canonical.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let name = PathBuf::from(folder.file_name().unwrap_or_default());
        let root = Root { base: folder.parent().map(Path::to_path_buf).unwrap_or_else(|| folder.clone()) };
        if meta.is_dir() {
            walk(input, &name, &root, out.as_deref(), &mut found);
        } else {
            let rel = name.join(canonical.file_name().unwrap_or_default());
            found.push(entry(&root, input.clone(), &rel, &meta));
        }
    }
    found.sort_by(|a, b| a.source.cmp(&b.source).then_with(|| a.root.cmp(&b.root)));
    found.dedup_by(|a, b| a.source == b.source && a.root == b.root);
    if let Some(w) = found.windows(2).find(|w| w[0].source == w[1].source) {
        return Err(Error::Unsupported(format!(
            "two inputs give files the same name {}: {} and {} (folders given are named by their own names; \
             give their common parent folder instead, or run them into different --out folders)",
            w[0].source,
            w[0].path.display(),
            w[1].path.display()
        )));
    }
    Ok(found)
}

/// A file given or found, judged by what it is once links are followed.
fn entry(root: &Root, path: PathBuf, rel: &Path, meta: &fs::Metadata) -> Input {
    if meta.is_file() {
        root.input(path, rel, None)
    } else if meta.is_dir() {
        let reason = "a symbolic link to a folder: not followed (give the folder itself as an input)".to_string();
        root.input(path, rel, Some(("folder", reason)))
    } else {
        let reason = format!("{}: not read", not_regular(meta));
        root.input(path, rel, Some(("special", reason)))
    }
}

/// What a file that is neither a regular file nor a folder is, in words.
pub fn not_regular(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() {
            return "a device, not a regular file";
        }
        if t.is_fifo() {
            return "a named pipe (FIFO), not a regular file";
        }
        if t.is_socket() {
            return "a socket, not a regular file";
        }
    }
    if meta.is_dir() {
        "a folder, not a file"
    } else {
        "not a regular file"
    }
}

fn walk(dir: &Path, rel: &Path, root: &Root, out: Option<&Path>, found: &mut Vec<Input>) {
    if out.is_some_and(|o| fs::canonicalize(dir).is_ok_and(|d| d == o)) {
        return;
    }
    let listing = match fs::read_dir(dir) {
        Ok(l) => l,
        Err(e) => {
            found.push(root.input(dir.to_path_buf(), rel, Some(("folder", format!("cannot read the folder: {e}")))));
            return;
        }
    };
    let mut entries = Vec::new();
    let mut unlisted = 0usize;
    for e in listing {
        match e {
            Ok(e) if e.file_name().as_encoded_bytes().starts_with(b".") => {}
            Ok(e) => entries.push(e),
            Err(_) => unlisted += 1,
        }
    }
    if unlisted > 0 {
        let reason = format!("{unlisted} entries of the folder could not be listed (an I/O error): not read");
        found.push(root.input(dir.to_path_buf(), rel, Some(("folder", reason))));
    }
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let rel = rel.join(e.file_name());
        let Ok(kind) = e.file_type() else {
            found.push(root.input(path, &rel, Some(("unknown", "cannot tell what the entry is: not read".into()))));
            continue;
        };
        if kind.is_dir() {
            walk(&path, &rel, root, out, found);
            continue;
        }
        match fs::metadata(&path) {
            Ok(meta) => found.push(entry(root, path, &rel, &meta)),
            Err(e) if kind.is_symlink() => {
                let reason = format!("a symbolic link whose target cannot be read: {e}");
                found.push(root.input(path, &rel, Some(("special", reason))))
            }
            Err(e) => found.push(root.input(path, &rel, Some(("unknown", format!("cannot read the entry: {e}"))))),
        }
    }
}

/// The path as recorded in `source_file`: as found, `/`-separated. On Unix a name is bytes, not
/// always UTF-8 (GBK names as `unzip` leaves them): bytes that are not UTF-8 are written `\xNN`
/// and a backslash `\\`, so that two names never become one and each can be told back.
pub fn source_name(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    c => out.push(c),
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/")
    }
}

/// The path a [`source_name`] was made from.
pub fn source_path(name: &str) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut bytes = Vec::with_capacity(name.len());
        let mut rest = name.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            match (b, tail) {
                (b'\\', [b'\\', more @ ..]) => {
                    bytes.push(b'\\');
                    rest = more;
                }
                (b'\\', [b'x', h, l, more @ ..]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                    let hex = [*h, *l];
                    bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap_or("00"), 16).unwrap_or(0));
                    rest = more;
                }
                _ => {
                    bytes.push(b);
                    rest = tail;
                }
            }
        }
        PathBuf::from(std::ffi::OsStr::from_bytes(&bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_stay_distinct_and_readable() {
        use std::os::unix::ffi::OsStrExt;
        // 项目二.docx and 项目三.docx in GBK, as unzip leaves them.
        let two = Path::new(std::ffi::OsStr::from_bytes(b"in/\xCF\xEE\xC4\xBF\xB6\xFE.docx"));
        let three = Path::new(std::ffi::OsStr::from_bytes(b"in/\xCF\xEE\xC4\xBF\xC8\xFD.docx"));
        // \xC4\xBF happens to be UTF-8 (Ŀ): kept as such.
        assert_eq!(source_name(two), "in/\\xCF\\xEEĿ\\xB6\\xFE.docx");
        assert_ne!(source_name(two), source_name(three));
        for p in [two, three, Path::new("a\\b/项目.docx"), Path::new("x\\xCF.txt")] {
            assert_eq!(source_path(&source_name(p)), p, "{p:?} is told back from its name");
        }
        assert_eq!(source_name(Path::new("a\\b/项目.docx")), "a\\\\b/项目.docx");
        assert_eq!(source_name(Path::new("samples/项目.pdf")), "samples/项目.pdf");
    }

    #[test]
    fn names_do_not_depend_on_how_the_input_was_spelled() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("share").join("data");
        fs::create_dir_all(data.join("2023")).unwrap();
        fs::write(data.join("2023").join("a.pdf"), "x").unwrap();
        fs::write(data.join("b.txt"), "x").unwrap();
        let absolute = collect(&[data.clone()], None).unwrap();
        let dotted = collect(&[data.join("2023").join("..")], None).unwrap();
        let names = |v: &[Input]| v.iter().map(|i| i.source.clone()).collect::<Vec<_>>();
        assert_eq!(names(&absolute), ["data/2023/a.pdf", "data/b.txt"]);
        assert_eq!(names(&dotted), names(&absolute));
        // A file given is named by the folder that holds it, as when its folder is given.
        let file = collect(&[data.join("b.txt")], None).unwrap();
        assert_eq!(names(&file), ["data/b.txt"]);
        assert_eq!(file[0].root, fs::canonicalize(tmp.path().join("share")).unwrap());
        // Two folders of the same name would mix their files: refused.
        let other = tmp.path().join("other").join("data");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("b.txt"), "y").unwrap();
        let e = collect(&[data.clone(), other], None).unwrap_err();
        assert!(e.to_string().contains("the same name data/b.txt"), "{e}");
        // The same file twice is one input.
        assert_eq!(collect(&[data.clone(), data.join("b.txt")], None).unwrap().len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_links_to_folders_are_rows_not_reads() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.txt")).unwrap();
        std::os::unix::fs::symlink(dir.join("missing"), dir.join("dangling.txt")).unwrap();
        fs::create_dir(dir.join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.join("sub"), dir.join("link-to-sub")).unwrap();
        let fifo = std::ffi::CString::new(dir.join("pipe.txt").to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let out = dir.join("sub").join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("documents.parquet"), "old output").unwrap();
        let found = collect(&[dir.to_path_buf()], Some(&out)).unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        assert!(found.iter().all(|i| i.source.starts_with(&format!("{name}/"))), "named from the folder given");
        assert!(found.iter().all(|i| i.root == fs::canonicalize(dir.parent().unwrap()).unwrap()));
        let by_name = |n: &str| found.iter().find(|i| i.path.file_name().unwrap() == n).unwrap();
        assert_eq!(by_name("a.txt").skip, None);
        assert!(by_name("zero.txt").skip.as_ref().unwrap().1.contains("a device"));
        assert!(by_name("pipe.txt").skip.as_ref().unwrap().1.contains("FIFO"));
        assert!(by_name("dangling.txt").skip.as_ref().unwrap().1.contains("target cannot be read"));
        assert!(by_name("link-to-sub").skip.as_ref().unwrap().1.contains("not followed"));
        assert!(found.iter().all(|i| !i.path.starts_with(&out)), "the output folder is not read");
        assert_eq!(found.len(), 5);
    }
}
