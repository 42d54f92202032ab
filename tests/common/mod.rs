//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout (the seeds' truth, the scorer, real published files).
/// Returns None, after saying so, when it is absent; under CI its absence is an error.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let p = repo().join("..").join("shared").join(sub);
    if p.exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing: CI must have ../shared beside the checkout", p.display());
    }
    eprintln!("SKIP: {} is absent (it lives beside the checkout as ../shared)", p.display());
    None
}

/// The file of `../shared/real` whose name starts with `prefix` (e.g. "05_"); None, after
/// saying so, when `../shared/real` is absent.
pub fn real_file(prefix: &str) -> Option<PathBuf> {
    let real = shared("real")?;
    let found = std::fs::read_dir(&real)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix));
    Some(found.unwrap_or_else(|| panic!("{prefix}* missing from {}", real.display())))
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_budget-extract"))
}

/// The Python with pyarrow and DuckDB that scripts/setup-python.sh installs.
pub fn python() -> PathBuf {
    let py = repo().join("target/pyenv/bin/python");
    assert!(
        py.exists(),
        "{} is missing: run scripts/setup-python.sh (scripts/test.sh does it) to install pyarrow and DuckDB",
        py.display()
    );
    py
}

/// Deterministic pseudo-random bytes (xorshift32), for "random bytes" inputs.
pub fn noise(seed: u32, len: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 8) as u8
        })
        .collect()
}

/// Extracts `bytes` and checks that the document failed without records; returns the reason.
pub fn failed_reason(name: &str, bytes: &[u8]) -> String {
    use budget_extract::records::Status;
    let e = budget_extract::pipeline::extract(name, bytes, budget_extract::grammars::Grammars::builtin());
    assert_eq!(e.document.status, Status::Failed, "{:?}", e.document);
    assert!(e.projects.is_empty() && e.indicators.is_empty());
    e.document.reason.unwrap()
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Records without file name and locations, text compared without whitespace: a PDF has no
/// paragraph marks, so where a cell's text breaks into paragraphs is a layout guess.
pub fn comparable(e: &budget_extract::records::Extraction) -> Vec<String> {
    let squeeze = |s: &Option<String>| s.as_deref().unwrap_or("").split_whitespace().collect::<String>();
    let mut out = Vec::new();
    for p in &e.projects {
        out.push(format!(
            "P {} {:?} {:?} {} {} {} {:?} {:?} {:?} {} {} {:?} {:?} {:?}",
            p.table_index,
            p.title,
            p.unit_code,
            squeeze(&p.unit_name),
            squeeze(&p.project_name),
            squeeze(&p.project_code),
            p.budget_total,
            p.budget_fiscal,
            p.budget_other,
            squeeze(&p.purpose),
            squeeze(&p.goal),
            p.fiscal_year,
            p.spending_plan,
            // Page-break notes exist only in a PDF.
            p.warnings.iter().filter(|w| !w.contains("page break")).collect::<Vec<_>>(),
        ));
        out.push(format!("F {} {:?} {} {:?}", p.table_index, p.form, p.record_kind, p.origin));
    }
    for i in &e.indicators {
        out.push(format!(
            "I {} {} {:?} {} {:?} {} {} {} {} {} {:?} {:?} {:?} {}",
            i.table_index,
            i.row_index,
            i.level1,
            i.level1_filled,
            i.level2,
            squeeze(&i.level3),
            squeeze(&i.description),
            squeeze(&i.value_raw),
            i.value_kind,
            squeeze(&i.value_op),
            i.value_num,
            i.value_unit,
            i.value_scaled_num,
            squeeze(&i.basis),
        ));
    }
    for g in &e.department_goals {
        out.push(format!(
            "G {} {:?} {} {:?} {}",
            g.section,
            g.goal_index,
            squeeze(&Some(g.goal_text.clone())),
            g.indicator_kind,
            squeeze(&g.indicator_text)
        ));
    }
    out
}

/// A Word document of a heading paragraph and one table, written as Word writes it: each cell
/// `(text, grid columns it spans, vertical merge)` — `Some(true)` starts a merge down,
/// `Some(false)` continues the cell above.
#[allow(dead_code)]
pub fn docx_table(heading: &str, rows: &[Vec<(&str, u32, Option<bool>)>]) -> Vec<u8> {
    use std::io::Write;
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut body = String::from("<w:tbl>");
    for row in rows {
        body.push_str("<w:tr>");
        for (text, span, merge) in row {
            let mut pr = String::new();
            if *span > 1 {
                pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
            }
            match merge {
                Some(true) => pr.push_str("<w:vMerge w:val=\"restart\"/>"),
                Some(false) => pr.push_str("<w:vMerge/>"),
                None => {}
            }
            body.push_str(&format!(
                "<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>",
                esc(text)
            ));
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    let xml = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p>{body}</w:body></w:document>",
        esc(heading)
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(xml.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// Headless Chromium, or None after saying so (under CI its absence is an error:
/// scripts/test.sh installs it with scripts/setup-office.sh).
pub fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file()));
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "chromium is missing: scripts/setup-office.sh installs it");
        eprintln!("SKIP: chromium is not installed (scripts/setup-office.sh installs it)");
    }
    found
}
