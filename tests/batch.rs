//! Bulk runs through the command line: a rerun does nothing, changed/added/removed files update
//! the dataset as a fresh run would write it, a run killed with SIGKILL at any moment leaves the
//! dataset as before or as after, three concurrent shards make the dataset one run makes, Hive
//! partitions read back as one table in DuckDB, and a document past its time budget is isolated.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const TABLES: [&str; 5] = ["documents", "projects", "indicators", "department_goals", "cells"];

fn extract(inputs: &Path, out: &Path, extra: &[&str]) -> Output {
    let o = Command::new(common::bin()).arg("extract").arg(inputs).arg("--out").arg(out).args(extra).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A corpus of real samples (text dumps, Word files, PDFs) in a folder of its own.
fn corpus(dir: &Path, copies: usize) {
    fs::create_dir_all(dir).unwrap();
    let samples = common::repo().join("samples");
    let picks = [
        "000_5439077655b7c2d3.txt",
        "001_5c85cbf3a97b1726.txt",
        "000_5439077655b7c2d3.docx",
        "001_5c85cbf3a97b1726.libreoffice.docx",
        "000_5439077655b7c2d3.pdf",
        "rules/001_5c85cbf3a97b1726.borderless.pdf",
    ];
    for k in 0..copies {
        for p in picks {
            let name = Path::new(p).file_name().unwrap().to_string_lossy().to_string();
            fs::copy(samples.join(p), dir.join(format!("c{k:03}-{name}"))).unwrap();
        }
    }
}

/// The bytes of every file of the dataset (tables and part files), by path under `out`.
fn snapshot(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    fn walk(dir: &Path, root: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, files);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                files.insert(p.strip_prefix(root).unwrap().to_path_buf(), fs::read(&p).unwrap());
            }
        }
    }
    walk(out, out, &mut files);
    files
}

#[test]
fn a_rerun_over_the_same_inputs_does_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    corpus(&input, 1);
    extract(&input, &out, &[]);
    let before = snapshot(&out);
    let manifest = fs::read(out.join("_manifest-s1of1.json")).unwrap();
    let o = extract(&input, &out, &[]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing new or changed among 6 files"));
    assert_eq!(snapshot(&out), before);
    assert_eq!(fs::read(out.join("_manifest-s1of1.json")).unwrap(), manifest);
    // --force does the work again, and gives the same bytes.
    let o = extract(&input, &out, &["--force"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("(6 extracted, 0 unchanged)"));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn changed_added_and_removed_files_update_the_dataset_as_a_fresh_run_writes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out, fresh) = (tmp.path().join("in"), tmp.path().join("out"), tmp.path().join("fresh"));
    corpus(&input, 1);
    extract(&input, &out, &[]);
    // A changed project name, a new file, a removed file.
    let changed = input.join("c000-000_5439077655b7c2d3.txt");
    let text = fs::read_to_string(&changed).unwrap().replace("办案业务费", "办案业务经费");
    fs::write(&changed, text).unwrap();
    fs::copy(common::repo().join("samples/variants/base.docx"), input.join("c000-zz-new.docx")).unwrap();
    fs::remove_file(input.join("c000-000_5439077655b7c2d3.pdf")).unwrap();

    let o = extract(&input, &out, &[]);
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(log.contains("(2 extracted, 4 unchanged)"), "{log}");
    assert!(log.contains("1 files of the last run are no longer among the inputs: their records kept"), "{log}");
    let docs = read_column(&out, "documents", "source_file");
    assert!(docs.iter().any(|s| s.ends_with("c000-000_5439077655b7c2d3.pdf")), "kept without --prune");

    let o = extract(&input, &out, &["--prune"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("their records removed (--prune)"));
    extract(&input, &fresh, &[]);
    let (a, b) = (snapshot(&out), snapshot(&fresh));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{} differs from a fresh run", k.display());
    }
    // The changed dump's project under its new name (the .docx and the new file keep the old).
    let names = read_column(&out, "projects", "project_name");
    assert_eq!(names.iter().filter(|n| *n == "办案业务经费").count(), 1);
}

/// Values of one string column, read back with pyarrow.
fn read_column(out: &Path, table: &str, column: &str) -> Vec<String> {
    let script = format!(
        "import pyarrow.parquet as pq, json; print(json.dumps([str(v) for v in pq.read_table('{}').column('{column}').to_pylist()]))",
        out.join(format!("{table}.parquet")).display()
    );
    let o = Command::new(common::python()).args(["-c", &script]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// SIGKILL at many moments of a run that updates a dataset: after each, every table is the
/// complete old or the complete new file (and when documents is new, all are), and the next run
/// completes the dataset exactly as an uninterrupted run writes it.
#[test]
fn a_run_killed_at_any_moment_leaves_the_old_or_the_new_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out, fresh) = (tmp.path().join("in"), tmp.path().join("out"), tmp.path().join("fresh"));
    corpus(&input, 4);
    extract(&input, &out, &["-j", "1"]);
    let before = snapshot(&out);
    // The update: more files.
    corpus(&input, 12);
    extract(&input, &fresh, &[]);
    let after = snapshot(&fresh);
    let mut outcomes = BTreeMap::new();
    for delay_ms in [5u64, 40, 120, 250, 400, 600, 900, 1300] {
        let mut child = Command::new(common::bin())
            .arg("extract")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .args(["-j", "1", "-q"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot(&out);
        let state = if now == before {
            "before"
        } else if now == after {
            "after"
        } else {
            // Mid-commit: each file whole, old or new; the documents table moves last.
            for (k, v) in &now {
                assert!(before.get(k) == Some(v) || after.get(k) == Some(v), "{} is neither old nor new", k.display());
            }
            let documents_new = now.get(Path::new("documents.parquet")) == after.get(Path::new("documents.parquet"));
            assert!(
                !documents_new
                    || TABLES.iter().all(|t| now.get(&PathBuf::from(format!("{t}.parquet")))
                        == after.get(&PathBuf::from(format!("{t}.parquet"))))
            );
            "mid-commit"
        };
        *outcomes.entry(state).or_insert(0) += 1;
        // The next run completes it (carrying out a journal, or doing the work).
        extract(&input, &out, &["-q"]);
        assert!(snapshot(&out) == after, "after the rerun (killed at {delay_ms} ms, state {state})");
        // Back to the old dataset for the next round.
        fs::remove_dir_all(&out).unwrap();
        corpus_only(&input, 4);
        extract(&input, &out, &["-j", "1", "-q"]);
        assert!(snapshot(&out) == before);
        corpus(&input, 12);
    }
    eprintln!("states after SIGKILL: {outcomes:?}");
    assert!(outcomes.contains_key("before"), "some kill must land before the commit: {outcomes:?}");
}

/// Keeps only the first `copies` copies of the corpus.
fn corpus_only(dir: &Path, copies: usize) {
    for e in fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
        let name = e.file_name().to_string_lossy().to_string();
        let k: usize = name[1..4].parse().unwrap();
        if k >= copies {
            fs::remove_file(e.path()).unwrap();
        }
    }
}

/// Three shards run at once into one folder, partitioned by year and province: DuckDB reads
/// them as one table per kind of record, equal to what a single run writes. Part files carry
/// their shard's name, so none is written twice.
#[test]
fn concurrent_shards_make_the_dataset_of_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, single, sharded) = (tmp.path().join("in"), tmp.path().join("single"), tmp.path().join("sharded"));
    corpus(&input, 3);
    extract(&input, &single, &[]);
    let children: Vec<_> = (1..=3)
        .map(|k| {
            Command::new(common::bin())
                .arg("extract")
                .arg(&input)
                .arg("--out")
                .arg(&sharded)
                .args(["--shard", &format!("{k}/3"), "--partition-by", "fiscal_year,province", "-q"])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let script = format!(
        r#"
import duckdb
con = duckdb.connect()
single, sharded = {single:?}, {sharded:?}
for t in ["documents", "projects", "indicators", "department_goals"]:
    a = f"select * from read_parquet('{{sharded}}/{{t}}.parquet/**/*.parquet', hive_partitioning = true, union_by_name = true)"
    b = f"select * from read_parquet('{{single}}/{{t}}.parquet')"
    cols = [r[0] for r in con.execute(f"describe {{b}}").fetchall()]
    sel = ", ".join(f'"{{c}}"::varchar' if c == "fiscal_year" else f'"{{c}}"' for c in cols)
    n_a = con.execute(f"select count(*) from ({{a}})").fetchone()[0]
    n_b = con.execute(f"select count(*) from ({{b}})").fetchone()[0]
    extra = con.execute(f"select count(*) from (select {{sel}} from ({{a}}) except all select {{sel}} from ({{b}}))").fetchone()[0]
    lost = con.execute(f"select count(*) from (select {{sel}} from ({{b}}) except all select {{sel}} from ({{a}}))").fetchone()[0]
    assert n_a == n_b and extra == 0 and lost == 0, (t, n_a, n_b, extra, lost)
    print(t, n_a)
parts = con.execute(f"select count(distinct filename) from read_parquet('{{sharded}}/indicators.parquet/**/*.parquet', filename = true)").fetchone()[0]
assert parts >= 3, parts
"#,
        single = single.to_string_lossy(),
        sharded = sharded.to_string_lossy()
    );
    let o = Command::new(common::python()).args(["-c", &script]).output().unwrap();
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    // Each shard has its own manifest; together they list every input once.
    let mut listed = Vec::new();
    for k in 1..=3 {
        let m: serde_json::Value =
            serde_json::from_slice(&fs::read(sharded.join(format!("_manifest-s{k}of3.json"))).unwrap()).unwrap();
        listed.extend(m["files"].as_object().unwrap().keys().cloned());
    }
    listed.sort();
    assert_eq!(listed.len(), 18);
    listed.dedup();
    assert_eq!(listed.len(), 18, "no input in two shards");
}

/// A document that takes longer than its budget becomes a `timeout` row; the others are read.
#[test]
fn a_document_past_its_time_budget_is_isolated() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    corpus(&input, 1);
    // A 40 MB text dump: real work for the dump grammar (about 12 s here), far past a 2 s budget
    // that the other files (a few hundred ms at most, even on a loaded machine) keep well within.
    let seed = fs::read_to_string(common::repo().join("samples/001_5c85cbf3a97b1726.txt")).unwrap();
    fs::write(input.join("huge.txt"), seed.repeat((40 << 20) / seed.len())).unwrap();
    let errors = tmp.path().join("errors.jsonl");
    extract(&input, &out, &["--doc-timeout", "2", "--errors", errors.to_str().unwrap()]);
    let statuses = read_column(&out, "documents", "status");
    let files = read_column(&out, "documents", "source_file");
    let by_file: BTreeMap<_, _> = files.iter().zip(&statuses).collect();
    let huge = by_file.iter().find(|(f, _)| f.ends_with("huge.txt")).unwrap();
    assert_eq!(huge.1.as_str(), "timeout");
    assert_eq!(by_file.values().filter(|s| s.as_str() == "ok").count(), 6);
    let lines: Vec<serde_json::Value> =
        fs::read_to_string(&errors).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["status"], "timeout");
    assert!(lines[0]["reason"].as_str().unwrap().contains("--doc-timeout"));
}

#[test]
fn a_file_over_the_size_cap_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("big.txt"), vec![b'x'; 3 << 20]).unwrap();
    extract(&input, &out, &["--max-file-size", "2"]);
    assert_eq!(read_column(&out, "documents", "status"), ["failed"]);
    assert!(read_column(&out, "documents", "reason")[0].contains("--max-file-size"));
}

/// Dumps of the first seed as published by the high and the intermediate court of each of
/// `provinces` in each of `years` (every table titled with its year), interleaved in input order
/// so that every partition gets a few rows at a time, from two documents.
fn partitioned_corpus(dir: &Path, provinces: &[&str], years: std::ops::Range<u32>) {
    fs::create_dir_all(dir).unwrap();
    let seed = fs::read_to_string(common::repo().join("samples/000_5439077655b7c2d3.txt")).unwrap();
    let mut k = 0;
    for year in years {
        for court in ["高级人民法院", "第一中级人民法院"] {
            for province in provinces {
                let mut text = seed.replace("天津市河北区人民法院", &format!("{province}{court}"));
                for n in 1..=3 {
                    text = text.replace(&format!("]{n}."), &format!("]{n}.{year}年"));
                }
                fs::write(dir.join(format!("d{k:03}.txt")), text).unwrap();
                k += 1;
            }
        }
    }
}

/// With many partitions and a write buffer far below their rows, parts are written out early as
/// smaller row groups; the bytes still do not depend on --jobs, and an incremental run (rows
/// copied from the last run's parts) writes what a fresh run writes.
#[test]
fn a_small_write_buffer_bounds_memory_without_changing_what_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let provinces = ["河北省", "山西省", "辽宁省", "江苏省", "浙江省", "广东省"];
    partitioned_corpus(&input, &provinces, 2019..2024);
    // ~20 KB per table: a few documents' indicator rows.
    let opts = ["--partition-by", "fiscal_year,province", "--write-buffer", "0.02"];
    let run = |out: &str, jobs: &str| {
        let out = tmp.path().join(out);
        extract(&input, &out, &[&opts[..], &["-j", jobs]].concat());
        out
    };
    let (one, two) = (run("j1", "1"), run("j2", "2"));
    let a = snapshot(&one);
    // 5 years × 6 provinces; the seed's table without a title takes the year its document's
    // other tables are titled with, so no row is year-less (tests/warehouse.rs has those).
    let parts: Vec<_> = a.keys().filter(|k| k.starts_with("indicators.parquet")).collect();
    assert_eq!(parts.len(), 30, "{parts:?}");
    assert_eq!(
        parts.iter().filter(|k| k.to_string_lossy().contains("fiscal_year=__HIVE_DEFAULT_PARTITION__")).count(),
        0
    );
    assert_eq!(a, snapshot(&two), "--jobs 1 and 2 write the same bytes");

    // The buffer acted: some part holds more than one row group, and the rows are all there
    // (read back by pyarrow, against a run with the default buffer).
    let default = tmp.path().join("default");
    extract(&input, &default, &opts[..2]);
    let script = format!(
        r#"
import glob, pyarrow.parquet as pq
def stats(root):
    files = sorted(glob.glob(root + "/indicators.parquet/**/*.parquet", recursive=True))
    meta = [pq.ParquetFile(f).metadata for f in files]
    return sum(m.num_rows for m in meta), max(m.num_row_groups for m in meta)
small, default = stats({one:?}), stats({default:?})
assert small[0] == default[0] > 0, (small, default)
assert small[1] > 1 and default[1] == 1, (small, default)
"#,
        one = one.to_string_lossy(),
        default = default.to_string_lossy()
    );
    let o = Command::new(common::python()).args(["-c", &script]).output().unwrap();
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));

    // Incremental: one file changed, one added; every other row is copied from the last run.
    let changed = input.join("d007.txt");
    fs::write(&changed, fs::read_to_string(&changed).unwrap().replace("办案业务费", "办案业务经费")).unwrap();
    fs::copy(input.join("d000.txt"), input.join("d100.txt")).unwrap();
    let o = extract(&input, &one, &[&opts[..], &["-j", "2"]].concat());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("(2 extracted, 59 unchanged)"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fresh = run("fresh", "2");
    assert_eq!(snapshot(&one), snapshot(&fresh), "an incremental run writes what a fresh run writes");
}

/// A folder that cannot be read is a row saying so; the rest of the run goes on, exit 0. Root
/// reads any folder, so as root the run is made as `nobody` (setpriv, util-linux).
#[test]
fn an_unreadable_folder_is_a_row_not_the_end_of_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    corpus(&input, 1);
    let locked = input.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::copy(common::repo().join("samples/000_5439077655b7c2d3.txt"), locked.join("x.txt")).unwrap();
    for dir in [&input, &tmp.path().to_path_buf()] {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
    }
    for f in fs::read_dir(&input).unwrap() {
        fs::set_permissions(f.unwrap().path(), fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(common::bin());
        c
    } else {
        Command::new(common::bin())
    };
    let o = cmd.arg("extract").arg(&input).arg("--out").arg(&out).output().unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let files = read_column(&out, "documents", "source_file");
    let reasons = read_column(&out, "documents", "reason");
    let statuses = read_column(&out, "documents", "status");
    assert_eq!(files.len(), 7, "six files and the folder: {files:?}");
    let i = files.iter().position(|f| f.ends_with("/locked")).expect("a row for the folder");
    assert_eq!(statuses[i], "failed");
    assert!(reasons[i].starts_with("cannot read the folder: Permission denied"), "{}", reasons[i]);
    assert_eq!(statuses.iter().filter(|s| *s == "ok").count(), 6);
}

/// Two runs of the same command into one folder at once: the second waits for the first (one
/// writer per folder and shard), both exit 0, and the dataset is whole and readable.
#[test]
fn two_runs_into_one_folder_at_once_do_not_corrupt_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out, alone) = (tmp.path().join("in"), tmp.path().join("out"), tmp.path().join("alone"));
    corpus(&input, 4);
    let start = || {
        Command::new(common::bin())
            .arg("extract")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .arg("--force")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (start(), start());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success());
    let said = format!("{}{}", String::from_utf8_lossy(&a.stderr), String::from_utf8_lossy(&b.stderr));
    assert!(said.contains("another run is writing"), "one of them waited: {said}");
    extract(&input, &alone, &[]);
    let (x, y) = (snapshot(&out), snapshot(&alone));
    assert_eq!(x, y, "the dataset is what one run writes");
}

/// Shards started from different working directories, the input spelled relative, absolute and
/// as `.`: together they read every file exactly once, under the same names.
#[test]
fn shards_do_not_depend_on_how_the_input_is_spelled() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    corpus(&input, 3);
    let run = |cwd: &Path, spelled: &str, shard: &str| {
        let o = Command::new(common::bin())
            .current_dir(cwd)
            .args(["extract", spelled, "--out"])
            .arg(&out)
            .args(["--shard", shard, "-q"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(tmp.path(), "in", "1/3");
    run(Path::new("/"), input.to_str().unwrap(), "2/3");
    run(&input, ".", "3/3");
    let script = format!(
        "import duckdb, json; print(json.dumps(duckdb.sql(\"select source_file from read_parquet('{}/documents.parquet/*.parquet') order by 1\").fetchall()))",
        out.display()
    );
    let o = Command::new(common::python()).args(["-c", &script]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let files: Vec<(String,)> = serde_json::from_slice(&o.stdout).unwrap();
    let mut expected: Vec<String> =
        fs::read_dir(&input).unwrap().map(|e| format!("in/{}", e.unwrap().file_name().to_string_lossy())).collect();
    expected.sort();
    assert_eq!(files.into_iter().map(|(f,)| f).collect::<Vec<_>>(), expected, "every file once, named alike");
}

/// Compaction after a sharded build: the shards' part files merged into one per partition are
/// byte-identical to what one unsharded run with the same partitions writes, and the dataset
/// updates incrementally afterwards like that run's.
#[test]
fn compacting_shards_gives_the_files_of_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, sharded, single) = (tmp.path().join("in"), tmp.path().join("sharded"), tmp.path().join("single"));
    corpus(&input, 3);
    let parts = ["--partition-by", "fiscal_year,province"];
    for k in 1..=3 {
        extract(&input, &sharded, &[parts[0], parts[1], "--shard", &format!("{k}/3")]);
    }
    extract(&input, &single, &parts);
    let count = |dir: &Path| snapshot(dir).len();
    assert!(count(&sharded) > count(&single), "the shards write more files");
    let o = Command::new(common::bin()).arg("compact").arg(&sharded).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("merged writers s1of3, s2of3, s3of3"));
    let (a, b) = (snapshot(&sharded), snapshot(&single));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{} differs from the unsharded run's", k.display());
    }
    assert!(!sharded.join("_manifest-s2of3.json").exists());
    // One writer now: a second compaction has nothing to do; a run with the same partitions
    // finds nothing new.
    let o = Command::new(common::bin()).arg("compact").arg(&sharded).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing to compact"));
    let o = extract(&input, &sharded, &parts);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("nothing new or changed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(snapshot(&sharded), a);
}
