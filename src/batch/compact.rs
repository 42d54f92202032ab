//! Compaction (`budget-extract compact OUT`): after a sharded build, every partition holds one
//! part file per shard (16 shards over 700 partitions: 11,000 small files, each with its own
//! footer). Compaction merges the shards' parts and manifests into one writer's — `s1of1`, as
//! an unsharded run with the same `--partition-by` writes them — document by document in
//! `source_file` order, so the result is byte-identical to that run. It commits like a run does
//! (journal, renames, then the old parts and manifests removed), holding every writer's lock:
//! no shard may write meanwhile. Later updates are then runs without `--shard` (or with
//! `--shard 1/1` for a dataset that has no partitions).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::manifest::{self, Entry, Manifest};
use super::{lock, Reuse, Summary, Writers};
use crate::error::Error;
use crate::sink::dataset::{self, Layout};

/// What compaction did.
#[derive(Debug, Default)]
pub struct Compacted {
    /// The writers merged (`s1of3`, …); empty when the dataset was already one writer's.
    pub writers: Vec<String>,
    pub documents: usize,
    pub parts_before: usize,
    pub parts_after: usize,
}

/// Merges every writer's parts of the dataset in `out` into writer `s1of1`'s.
pub fn compact(out: &Path, buffer_bytes: usize, waiting: &dyn Fn(&str)) -> Result<Compacted, Error> {
    let manifests = manifest::load_all(out)?;
    let Some(first) = manifests.first() else {
        return Err(Error::Unsupported(format!(
            "{} holds no dataset (no _manifest-*.json): nothing to compact",
            out.display()
        )));
    };
    for m in &manifests {
        if m.fingerprint != first.fingerprint || m.layout.partition_by != first.layout.partition_by {
            return Err(Error::Unsupported(format!(
                "{}: its writers were built by different programs, grammars or partitionings ({} and {}): \
                 rebuild them alike (extract --force) before compacting",
                out.display(),
                first.layout.writer,
                m.layout.writer
            )));
        }
    }
    let target = Layout { partition_by: first.layout.partition_by.clone(), writer: "s1of1".into(), parts: true };
    let writers: Vec<String> = manifests.iter().map(|m| m.layout.writer.clone()).collect();
    if !first.layout.parts || writers == [target.writer.clone()] {
        return Ok(Compacted::default());
    }
    // Every writer's lock, in one order (two compactions never wait on each other crosswise).
    let mut names = writers.clone();
    names.push(target.writer.clone());
    names.sort();
    names.dedup();
    let _locks: Vec<lock::WriterLock> =
        names.iter().map(|w| lock::acquire(out, w, || waiting(w))).collect::<Result<_, _>>()?;
    for m in &manifests {
        dataset::recover(out, &m.layout)?;
    }
    dataset::recover(out, &target)?;

    let mut files: BTreeMap<String, Entry> = BTreeMap::new();
    for m in &manifests {
        for (source, entry) in &m.files {
            if files.insert(source.clone(), entry.clone()).is_some() {
                return Err(Error::Unsupported(format!(
                    "{source} is in two writers' parts of {}: they were built with different shards; \
                     rebuild with one sharding (extract --force) before compacting",
                    out.display()
                )));
            }
        }
    }
    let mut w = Writers::new(out, &target, Reuse::EveryWriter, buffer_bytes)?;
    let parts_before = w.stale.len();
    let mut summary = Summary::default();
    for source in files.keys() {
        w.copy(source, &mut summary)?;
        w.end_document()?;
    }
    let mut commit = w.finish()?;
    let parts_after = commit.renames.len();
    let m = Manifest { fingerprint: first.fingerprint.clone(), layout: target.clone(), files };
    // The manifest goes in before the documents table, which is last (see Writers::finish).
    let at = commit.renames.len().saturating_sub(1);
    commit.renames.insert(at, (manifest::write_temp(out, &m)?, manifest::path(out, &target)));
    commit
        .deletes
        .extend(manifests.iter().filter(|m| m.layout.writer != target.writer).map(|m| manifest::path(out, &m.layout)));
    dataset::commit(out, &target, &commit)?;
    for table in fs::read_dir(out).into_iter().flatten().filter_map(|e| e.ok()).map(|e| e.path()) {
        if table.is_dir() {
            remove_empty_folders(&table);
        }
    }
    Ok(Compacted { writers, documents: m.files.len(), parts_before, parts_after })
}

/// Partition folders left empty by the merge (the table's own folder stays).
fn remove_empty_folders(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let dirs: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    for d in dirs {
        remove_empty_folders(&d);
        let _ = fs::remove_dir(&d);
    }
}
