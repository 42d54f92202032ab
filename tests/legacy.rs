//! Legacy containers: .xls workbooks saved by LibreOffice Calc from .xlsx files give the
//! .xlsx's records (merged regions, percent formats, formulas' cached values), within the same
//! caps; .doc and .rtf files saved by LibreOffice Writer from the seed .docx files are converted
//! back by LibreOffice and give the .docx's records, with `converted_from` saying so; without
//! LibreOffice they fail with a reason naming the package; a conversion past the document's
//! time budget leaves no LibreOffice process and no temporary folder behind.

mod common;

use std::path::Path;
use std::process::Command;

use arrow_array::{Array, StringArray};
use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::{Extraction, Status};

const SEEDS: [(&str, usize, usize); 2] = [("000_5439077655b7c2d3", 4, 44), ("001_5c85cbf3a97b1726", 7, 63)];

fn sample(name: &str) -> Vec<u8> {
    common::read(&common::repo().join("samples").join(name))
}

/// Every record, with the file name and content id blanked: the rest — values, raw cells,
/// locations (sheet, row, column), warnings — must be the same.
fn records(e: &Extraction) -> Vec<String> {
    let mut out = Vec::new();
    for p in &e.projects {
        out.push(format!(
            "{:?}",
            budget_extract::records::ProjectRecord {
                source_file: String::new(),
                document_id: String::new(),
                ..p.clone()
            }
        ));
    }
    for i in &e.indicators {
        out.push(format!(
            "{:?}",
            budget_extract::records::IndicatorRecord {
                source_file: String::new(),
                document_id: String::new(),
                ..i.clone()
            }
        ));
    }
    for g in &e.department_goals {
        let g = budget_extract::records::DepartmentGoalRecord {
            source_file: String::new(),
            document_id: String::new(),
            ..g.clone()
        };
        out.push(format!("{g:?}"));
    }
    out
}

#[test]
fn xls_saved_by_calc_gives_the_xlsx_records() {
    let g = Grammars::builtin();
    for prefix in ["05_", "06_", "07_", "08_"] {
        let Some(xlsx) = common::real_file(prefix) else { return };
        let stem = xlsx.file_stem().unwrap().to_string_lossy().to_string();
        let xls = extract("x", &sample(&format!("xls/{stem}.xls")), g);
        assert_eq!(xls.document.format, "xls");
        assert_eq!(xls.document.status, Status::Ok, "{stem}: {:?}", xls.document.reason);
        let want = extract("x", &common::read(&xlsx), g);
        assert!(!want.indicators.is_empty());
        let (a, b) = (records(&xls), records(&want));
        assert_eq!(a.len(), b.len(), "{stem}");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "{stem}");
        }
    }
}

/// tests/fixtures/xlsx/formula-no-cache.xlsx saved by Calc: A3:A4 merged, D4 0.95 formatted 0%,
/// D3 =C5+C6, which Calc computed (C5 and C6 are empty: 0) and stored.
#[test]
fn xls_merges_percent_formats_and_cached_formula_values() {
    let e = extract("f.xls", &sample("xls/formula-no-cache.xls"), Grammars::builtin());
    assert_eq!((e.document.format.as_str(), e.document.status), ("xls", Status::Ok), "{:?}", e.document.reason);
    assert_eq!(e.projects[0].project_name.as_deref(), Some("测试项目"));
    let rows: Vec<_> =
        e.indicators.iter().map(|i| (i.level1.as_deref(), i.level3.as_deref(), i.value_raw.as_deref())).collect();
    assert_eq!(
        rows,
        [(Some("产出指标"), Some("合计人数"), Some("0")), (Some("产出指标"), Some("合格率"), Some("95%"))]
    );
    assert!(e.indicators[1].level1_filled);
    assert_eq!(e.indicators[1].location, "table 1, row 4");
}

/// Where the data of the first record of `kind` (type, length) sits in the file: LibreOffice
/// writes the Workbook stream in consecutive sectors, so records are found in the file's bytes.
fn record_at(bytes: &[u8], kind: u16, len: u16) -> usize {
    let header = [kind.to_le_bytes(), len.to_le_bytes()].concat();
    bytes.windows(4).position(|w| w == header.as_slice()).expect("the record is in the file") + 4
}

#[test]
fn hostile_xls_is_read_within_the_caps() {
    let g = Grammars::builtin();
    let good = sample("xls/formula-no-cache.xls");
    let want = records(&extract("x", &good, g));
    // A Dimensions record claiming the whole sheet (calamine would reserve it): the same records.
    let mut wide = good.clone();
    let at = record_at(&wide, 0x0200, 14);
    wide[at..at + 12].copy_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF]);
    assert_eq!(records(&extract("x", &wide, g)), want);
    // A cell at the far corner: the sheet's area from its first value to its last is capped.
    let mut far = good.clone();
    let at = record_at(&far, 0x00FD, 10);
    far[at..at + 4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    let r = common::failed_reason("far.xls", &far);
    assert!(r.contains("MAX_SHEET_AREA") && r.contains("16777216 cells"), "{r}");
    // The directory chain looping on itself: refused before calamine follows it for ever.
    let mut looping = good.clone();
    let dir_start = u32::from_le_bytes(looping[0x30..0x34].try_into().unwrap()) as usize;
    let fat_sector = u32::from_le_bytes(looping[0x4C..0x50].try_into().unwrap()) as usize;
    let entry = (fat_sector + 1) * 512 + 4 * dir_start;
    looping[entry..entry + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
    let r = common::failed_reason("loop.xls", &looping);
    assert!(r.contains("damaged OLE compound file"), "{r}");
}

/// soffice on PATH, or None after saying so (under CI its absence is an error: scripts/test.sh
/// installs it with scripts/setup-office.sh).
fn has_office() -> bool {
    let found =
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("soffice").is_file()));
    if !found {
        assert!(std::env::var_os("CI").is_none(), "soffice is missing: scripts/setup-office.sh installs it");
        eprintln!("SKIP: LibreOffice is not installed (scripts/setup-office.sh installs it)");
    }
    found
}

#[test]
fn doc_and_rtf_are_converted_and_give_the_docx_records() {
    if !has_office() {
        return;
    }
    let g = Grammars::builtin();
    for (stem, projects, indicators) in SEEDS {
        let docx = extract("x", &sample(&format!("{stem}.docx")), g);
        for ext in ["doc", "rtf"] {
            let name = format!("doc/{stem}.{ext}");
            let e = extract(&name, &sample(&name), g);
            assert_eq!(e.document.status, Status::Ok, "{name}: {:?}", e.document.reason);
            assert_eq!((e.document.format.as_str(), e.document.converted_from.as_deref()), ("docx", Some(ext)));
            assert_eq!((e.projects.len(), e.indicators.len()), (projects, indicators), "{name}");
            let (a, b) = (common::comparable(&e), common::comparable(&docx));
            assert_eq!(a.len(), b.len(), "{name}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x, y, "{name}");
            }
        }
    }
}

/// source_file → (format, status, reason, converted_from) of a run.
fn documents(out: &Path) -> Vec<(String, String, String, String, Option<String>)> {
    let file = std::fs::File::open(out.join("documents.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let column =
            |name: &str| batch.column_by_name(name).unwrap().as_any().downcast_ref::<StringArray>().unwrap().clone();
        let cols = ["source_file", "format", "status", "reason", "converted_from"].map(column);
        let get = |c: &StringArray, i| c.is_valid(i).then(|| c.value(i).to_string());
        for i in 0..batch.num_rows() {
            let s = |k: usize| get(&cols[k], i).unwrap_or_default();
            rows.push((s(0), s(1), s(2), s(3), get(&cols[4], i)));
        }
    }
    rows
}

#[test]
fn without_libreoffice_the_reason_names_the_package() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.doc"), sample("doc/000_5439077655b7c2d3.doc")).unwrap();
    std::fs::write(input.join("b.rtf"), sample("doc/000_5439077655b7c2d3.rtf")).unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(common::bin())
        .args(["extract", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .env("PATH", tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = documents(&out);
    assert_eq!(rows.len(), 2);
    for (source, format, status, reason, converted) in rows {
        assert_eq!(status, "failed", "{source}");
        assert!(format == "doc" || format == "rtf", "{source}: {format}");
        assert!(reason.contains("LibreOffice") && reason.contains("libreoffice-writer-nogui"), "{reason}");
        assert_eq!(converted, None);
    }
}

/// LibreOffice processes whose command line mentions `needle`.
fn office_processes(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains("soffice") && cmdline.contains(needle) {
                found.push(cmdline);
            }
        }
    }
    found
}

/// A document whose conversion runs past --doc-timeout: the batch kills its worker, the
/// worker's LibreOffice dies with it (no process left), and the next conversion removes the
/// folder the killed one left.
#[test]
fn a_conversion_past_the_time_budget_leaves_nothing_behind() {
    if !has_office() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().join("tmp");
    std::fs::create_dir_all(&scratch).unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.doc"), sample("doc/001_5c85cbf3a97b1726.doc")).unwrap();
    let run = |timeout: &str, out: &str| {
        let o = Command::new(common::bin())
            .args(["extract", "--quiet", "--doc-timeout", timeout, "--out"])
            .arg(tmp.path().join(out))
            .arg(&input)
            .env("TMPDIR", &scratch)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        documents(&tmp.path().join(out))
    };
    let rows = run("0.3", "out1");
    assert_eq!(rows[0].2, "timeout", "{rows:?}");
    // PR_SET_PDEATHSIG delivers SIGKILL as the worker dies; give the kernel a moment.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let needle = scratch.to_string_lossy().to_string();
    assert_eq!(office_processes(&needle), Vec::<String>::new());
    let left: Vec<_> = std::fs::read_dir(&scratch).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(left.len(), 1, "the killed conversion's folder: {left:?}");
    let rows = run("60", "out2");
    assert_eq!((rows[0].2.as_str(), rows[0].4.as_deref()), ("ok", Some("doc")), "{rows:?}");
    let left: Vec<_> = std::fs::read_dir(&scratch).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(office_processes(&needle), Vec::<String>::new());
}
