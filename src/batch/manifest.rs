//! The manifest of a dataset: which input files (by path, size, modification time and content
//! hash) its rows come from, built with which program and grammars, in which layout. It lets a
//! second run read only what changed. One per writer (`_manifest-<writer>.json` in the output
//! folder), so concurrent shards never share one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::sink::dataset::Layout;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub sha256: String,
    pub bytes: u64,
    /// Modification time, nanoseconds since the epoch (0 when the system has none).
    pub mtime_ns: u128,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Program version and grammar files the rows were made with: rows made by another are
    /// made again.
    pub fingerprint: String,
    pub layout: Layout,
    /// source_file → the file it was read from.
    pub files: BTreeMap<String, Entry>,
}

pub fn path(out: &Path, layout: &Layout) -> PathBuf {
    out.join(format!("_manifest-{}.json", layout.writer))
}

pub fn temp_path(out: &Path, layout: &Layout) -> PathBuf {
    out.join(format!("._manifest-{}.json.tmp", layout.writer))
}

/// The manifest of the last run of this writer, if there is a readable one.
pub fn load(out: &Path, layout: &Layout) -> Option<Manifest> {
    let text = fs::read_to_string(path(out, layout)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Every writer's manifest in the output folder (`_manifest-*.json`), in writer order.
pub fn load_all(out: &Path) -> Result<Vec<Manifest>, Error> {
    let mut found = Vec::new();
    let entries = fs::read_dir(out).map_err(|source| Error::Read { path: out.to_path_buf(), source })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if name.starts_with("_manifest-") && name.ends_with(".json") {
            let text = fs::read_to_string(&p).map_err(|source| Error::Read { path: p.clone(), source })?;
            let m: Manifest = serde_json::from_str(&text)
                .map_err(|e| Error::Malformed(format!("{}: unreadable manifest ({e})", p.display())))?;
            found.push(m);
        }
    }
    Ok(found)
}

/// Writes the manifest under its temporary name (committed with the tables).
pub fn write_temp(out: &Path, m: &Manifest) -> Result<PathBuf, Error> {
    let tmp = temp_path(out, &m.layout);
    let text = serde_json::to_string_pretty(m).expect("a manifest serializes");
    fs::write(&tmp, text).map_err(|source| Error::Write { path: tmp.clone(), source })?;
    if let Ok(f) = fs::File::open(&tmp) {
        let _ = f.sync_all();
    }
    Ok(tmp)
}

/// Size and modification time of a file, as the manifest records them (of the link itself when
/// it leads nowhere).
pub fn stat(path: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(path).or_else(|_| fs::symlink_metadata(path)).ok()?;
    Some((meta.len(), mtime_ns(&meta)))
}

/// Modification time in nanoseconds since the epoch (0 when the system has none).
pub fn mtime_ns(meta: &fs::Metadata) -> u128 {
    meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
}
