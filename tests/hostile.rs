//! One batch of small hostile files beside good ones (`scripts/make_hostile.py`: bombs, spans,
//! nesting, page trees, encodings, devices, names that are not UTF-8), run as a user would, under
//! an address-space limit: the run completes with exit 0, every input has exactly one row whose
//! reason names what stopped it, the good files' records are those of a clean run, the parent
//! stays small, and a worker with too little memory costs its document a row that says so.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use budget_extract::batch::inputs::source_path;

/// The whole batch may use this much address space (workers limit themselves further).
const BATCH_ADDRESS_SPACE: u64 = 8 << 30;

/// What each case must come out as: (case, status, a piece of the reason; "" when there is
/// none to check). Checked by hand against what each file holds (see the generator's `what`).
const EXPECTED: &[(&str, &str, &str)] = &[
    ("docx-cell-250mb", "failed", "zip bomb"),
    ("docx-cell-40mb-in-ratio", "failed", "(MAX_CELL_TEXT_BYTES)"),
    ("docx-gridbefore-max", "failed", "(MAX_GRID_COLUMNS)"),
    ("docx-gridspan-max", "failed", "(MAX_GRID_COLUMNS)"),
    ("docx-nested-tables-100k", "failed", "(MAX_TABLE_NESTING)"),
    ("docx-nesting-1m", "failed", "(MAX_XML_DEPTH)"),
    ("docx-row-1m-cells", "failed", "(MAX_GRID_COLUMNS)"),
    ("docx-rows-2m-counter", "failed", "(MAX_TABLE_ROWS)"),
    ("docx-rows-7.5m-empty", "failed", "zip bomb"),
    ("docx-vmerge-huge-column", "failed", "(MAX_GRID_COLUMNS)"),
    ("misc-empty", "failed", "the file is empty"),
    ("misc-fifo", "failed", "FIFO"),
    ("misc-png-named-pdf", "failed", "a PNG image"),
    ("misc-random", "failed", "binary data"),
    ("misc-symlink-dev-zero", "failed", "a device"),
    ("misc-gbk-name-two", "ok", ""),
    ("misc-gbk-name-three", "ok", ""),
    ("pdf-content-100m-spaces", "no_tables", "no tables"),
    ("pdf-flate-bomb-1g", "failed", "(MAX_STREAM_BYTES)"),
    ("pdf-glyphs-5m", "failed", "(MAX_PAGE_OPERATORS)"),
    // The rest of the page is read once the image is taken out: a line of text, no table.
    ("pdf-inline-image-huge", "no_tables", "no tables"),
    ("pdf-kids-cycle", "no_tables", "no tables"),
    ("pdf-kids-duplicate", "no_tables", "no tables"),
    ("pdf-mediabox-1e9", "no_tables", "no tables"),
    ("pdf-nested-arrays-300k", "failed", "(MAX_PDF_NESTING)"),
    ("pdf-nested-dicts-100k", "failed", "(MAX_PDF_NESTING)"),
    ("pdf-objects-1m-null", "no_tables", "no tables"),
    ("pdf-operators-20m", "failed", "(MAX_PAGE_OPERATORS)"),
    ("pdf-prev-loop", "no_tables", "no tables"),
    ("pdf-q-5m", "failed", "(MAX_PAGE_OPERATORS)"),
    // An owner password only: read without one, as viewers do.
    ("pdf-rc4-40-owner-only", "no_tables", "no tables"),
    ("pdf-shared-content-256m-64pages", "failed", "(MAX_STREAM_BYTES)"),
    ("pdf-tounicode-4g-range", "failed", "(MAX_CMAP_RANGE)"),
    ("pdf-tounicode-garbage", "no_tables", "ToUnicode map that cannot be read"),
    ("pdf-xobject-chain-14k", "failed", "(MAX_FORM_DEPTH)"),
    ("pdf-xobject-dag-2pow40", "failed", "(MAX_FORM_DEPTH)"),
    ("pdf-xobject-dag-2pow24", "failed", "(MAX_FORM_DRAWS)"),
    ("text-control-chars", "ok", ""),
    ("text-long-line-1.9mb", "no_tables", "no tables"),
    ("text-tab-lines-1m", "no_tables", "none of them a performance-target table"),
    ("text-utf16le-nobom", "ok", ""),
    ("text-utf8-invalid-bytes", "partial", "not UTF-8 were replaced"),
    ("xlsx-cells-20k-x-702-in-ratio", "failed", "(MAX_CELLS)"),
    ("xlsx-cells-80k-x-702-bomb", "failed", "zip bomb"),
    ("xlsx-corners", "failed", "(MAX_SHEET_AREA)"),
    // These sheets hold one 项目名称 label with no value beside it: no project, no_tables.
    ("xlsx-dimension-max", "no_tables", ""),
    ("xlsx-inline-string-100mb", "failed", "(MAX_CELL_TEXT_BYTES)"),
    ("xlsx-merge-whole-sheet", "no_tables", ""),
    ("xlsx-merges-10k-overlapping", "no_tables", ""),
    ("xlsx-shared-string-1mb-x200k", "failed", "(MAX_TEXT_BYTES)"),
];

struct Case {
    path: PathBuf,
    kind: String,
    case: String,
}

/// Generates the hostile folder; its manifest lists every file.
fn generate(dir: &Path) -> Vec<Case> {
    let script = common::repo().join("scripts/make_hostile.py");
    let o = Command::new("python3").arg(&script).arg(dir).output().expect("python3 runs the generator");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = dir.parent().unwrap().join(format!("{}.manifest.json", dir.file_name().unwrap().to_string_lossy()));
    let entries: Vec<serde_json::Value> = serde_json::from_str(&fs::read_to_string(manifest).unwrap()).unwrap();
    entries
        .iter()
        .map(|e| {
            let rel: PathBuf = match (e.get("path"), e.get("path_bytes")) {
                (Some(p), _) => PathBuf::from(p.as_str().unwrap()),
                (None, Some(bytes)) => {
                    let bytes: Vec<u8> = bytes.as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
                    use std::os::unix::ffi::OsStrExt;
                    PathBuf::from(std::ffi::OsStr::from_bytes(&bytes))
                }
                _ => panic!("an entry without a path: {e}"),
            };
            Case {
                path: dir.join(rel),
                kind: e["kind"].as_str().unwrap().into(),
                case: e["case"].as_str().unwrap().into(),
            }
        })
        .collect()
}

/// Runs `extract` under the address-space limit; returns (exit status, stderr, peak resident
/// memory of the batch process itself in kB, seconds).
fn extract_limited(input: &Path, out: &Path, extra: &[&str]) -> (std::process::ExitStatus, String, u64, f64) {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(common::bin());
    cmd.arg("extract").arg(input).arg("--out").arg(out).args(["--jobs", "2", "--doc-timeout", "30"]).args(extra);
    cmd.stderr(std::process::Stdio::piped()).stdout(std::process::Stdio::null());
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit { rlim_cur: BATCH_ADDRESS_SPACE, rlim_max: BATCH_ADDRESS_SPACE };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).unwrap();
        s
    });
    let status = loop {
        // VmHWM is the process's own peak; the last reading before it ends is the peak of the run.
        if let Ok(text) = fs::read_to_string(&status_path) {
            if let Some(kb) = text.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
                peak_kb = peak_kb.max(kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status, reader.join().unwrap(), peak_kb, start.elapsed().as_secs_f64())
}

/// (path read, status, reason) of every documents row: `source_root/source_file`, the name
/// told back to the path.
fn documents(out: &Path) -> Vec<(PathBuf, String, String)> {
    let script = r#"
import json, sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1], columns=["source_root", "source_file", "status", "reason"]).to_pylist()
print(json.dumps([[r["source_root"], r["source_file"], r["status"], r["reason"] or ""] for r in t], ensure_ascii=False))
"#;
    let o = Command::new(common::python()).arg("-c").arg(script).arg(out.join("documents.parquet")).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows: Vec<(String, String, String, String)> = serde_json::from_slice(&o.stdout).unwrap();
    rows.into_iter()
        .map(|(root, file, status, reason)| (Path::new(&root).join(source_path(&file)), status, reason))
        .collect()
}

/// A case's path as the run names it: its folder's real path (the file itself may be a link).
fn real(path: &Path) -> PathBuf {
    fs::canonicalize(path.parent().unwrap()).unwrap().join(path.file_name().unwrap())
}

#[test]
fn hostile_files_never_take_the_batch_down() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let cases = generate(&input);
    let expected: BTreeMap<&str, (&str, &str)> = EXPECTED.iter().map(|&(c, s, r)| (c, (s, r))).collect();
    for c in cases.iter().filter(|c| c.kind != "good") {
        assert!(expected.contains_key(c.case.as_str()), "no expectation for {}", c.case);
    }

    let out = tmp.path().join("out");
    let (status, stderr, peak_kb, secs) = extract_limited(&input, &out, &[]);
    assert!(status.success(), "the run failed: {stderr}");
    assert!(secs < 120.0, "the hostile batch took {secs:.0} s");
    assert!(peak_kb < 1 << 20, "the batch process itself peaked at {peak_kb} kB");

    // One row per input, told back to its file.
    let rows = documents(&out);
    assert_eq!(rows.len(), cases.len(), "one documents row per input");
    let by_path: BTreeMap<PathBuf, (String, String)> =
        rows.iter().map(|(p, st, r)| (p.clone(), (st.clone(), r.clone()))).collect();
    assert_eq!(by_path.len(), cases.len(), "no two inputs share a source_file");
    for c in &cases {
        let (status, reason) = by_path.get(&real(&c.path)).unwrap_or_else(|| panic!("no row for {}", c.path.display()));
        assert!(!reason.contains("panicked") && !reason.contains("unwrap"), "{}: raw panic text: {reason}", c.case);
        if c.kind == "good" {
            continue;
        }
        let (want_status, want_reason) = expected[c.case.as_str()];
        assert_eq!(status, want_status, "{}: {reason}", c.case);
        assert!(reason.contains(want_reason), "{}: the reason {reason:?} does not say {want_reason:?}", c.case);
    }

    // The good files give what a clean run of them alone gives, row for row.
    let clean = tmp.path().join("clean");
    let (status, stderr, _, _) = extract_limited(&input.join("good"), &clean, &[]);
    assert!(status.success(), "{stderr}");
    let script = r#"
import sys, pyarrow.parquet as pq, pyarrow.compute as pc
hostile, clean, prefix = sys.argv[1:4]
for table in ["documents", "projects", "indicators", "department_goals", "cells"]:
    a = pq.read_table(f"{hostile}/{table}.parquet")
    a = a.filter(pc.starts_with(a["source_file"], prefix)).to_pylist()
    b = pq.read_table(f"{clean}/{table}.parquet").to_pylist()
    # The clean run was given in/good itself: its names start at good/, its root one folder down.
    for r in b:
        r["source_file"] = "in/" + r["source_file"]
    for r in a + b:
        r.pop("source_root", None)
    assert a == b, f"{table}: {len(a)} rows among the hostile files, {len(b)} alone"
    if table == "indicators":
        assert len(a) > 100, "the good files have indicators"
# Invisible characters are not in what was read (the raw columns keep them).
ind = pq.read_table(f"{hostile}/indicators.parquet").to_pylist()
ctl = [r for r in ind if "control-chars" in r["source_file"]]
assert len(ctl) > 10, len(ctl)
for r in ctl:
    for col in ["level1", "level2", "level3", "value_unit", "project_name"]:
        v = r[col] or ""
        assert not any(c in v for c in "\x08\u200b\u202e\ufeff"), (col, v)
print("ok")
"#;
    let prefix = "in/good/".to_string();
    let o = Command::new(common::python()).arg("-c").arg(script).arg(&out).arg(&clean).arg(prefix).output().unwrap();
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));

    // Little memory per document: the heavy page costs its worker, and its row says so; the
    // rest of the batch goes on.
    let small = tmp.path().join("small");
    let (status, stderr, _, _) = extract_limited(&input, &small, &["--doc-memory", "256"]);
    assert!(status.success(), "{stderr}");
    let rows = documents(&small);
    assert_eq!(rows.len(), cases.len());
    let heavy = rows.iter().find(|(p, _, _)| p.ends_with("pdf/content-100m-spaces.pdf")).unwrap();
    assert_eq!(heavy.1, "failed");
    assert!(heavy.2.contains("256 MiB memory limit per document (--doc-memory)"), "{}", heavy.2);
    let good_ok = rows.iter().filter(|(p, st, _)| p.parent().unwrap().ends_with("good") && st == "ok").count();
    assert!(good_ok >= 4, "the good files are still read with little memory ({good_ok} ok)");
}
