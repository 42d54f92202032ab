//! Issue 13: every glyph where a viewer draws it. For each PDF of the producer corpus
//! (`samples/producers/<producer>/`), the first two pages as pdfminer (pdfplumber) sees them
//! (`tests/fixtures/glyphs/<producer>/<stem>.chars.tsv`, README there): each of its characters
//! must be one of ours — same text, origin within half a point, and for upright text the same
//! advance within half a point — and each of ours one of its. One test per producer.

mod common;

use std::path::Path;

use budget_extract::ingest::pdf::{self, glyphs::Glyph};

/// Half a point, as the issue asks.
const TOLERANCE: f64 = 0.5;

struct Reference {
    page: u32,
    text: String,
    ox: f64,
    oy: f64,
    advance: f64,
    angle: f64,
}

fn unescape(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")
}

fn references(tsv: &Path) -> Vec<Reference> {
    let text = std::fs::read_to_string(tsv).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let n = |i: usize| f[i].parse::<f64>().unwrap();
            Reference {
                page: f[0].parse().unwrap(),
                text: unescape(f[5]),
                ox: n(8),
                oy: n(9),
                advance: n(3) - n(1),
                angle: n(10),
            }
        })
        .filter(|r| !r.text.trim().is_empty())
        .collect()
}

/// Our glyph's origin in the reference's frame (y down from the page's top).
fn origin(g: &Glyph, height: f64) -> (f64, f64) {
    (g.x, height - g.y)
}

fn check_producer(producer: &str) {
    let root = common::repo();
    let dir = root.join("tests/fixtures/glyphs").join(producer);
    let mut files = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for tsv in entries.iter().filter(|p| p.to_string_lossy().ends_with(".chars.tsv")) {
        let stem = tsv.file_name().unwrap().to_string_lossy().trim_end_matches(".chars.tsv").to_string();
        let pdf_path = root.join("samples/producers").join(producer).join(format!("{stem}.pdf"));
        let (pages, _, _) = pdf::read_pages(&common::read(&pdf_path)).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let refs = references(tsv);
        files += 1;
        for page in pages.iter().filter(|p| p.number <= 2) {
            let ours: Vec<&Glyph> = page.glyphs.iter().filter(|g| !g.text.trim().is_empty()).collect();
            let theirs: Vec<&Reference> = refs.iter().filter(|r| r.page == page.number).collect();
            let mut bad = |what: String| {
                if failures.len() < 40 {
                    failures.push(format!("{producer}/{stem} page {}: {what}", page.number));
                }
            };
            for r in &theirs {
                let near = ours.iter().filter(|g| g.text == r.text).min_by(|a, b| {
                    let d = |g: &Glyph| {
                        let (x, y) = origin(g, page.height);
                        (x - r.ox).hypot(y - r.oy)
                    };
                    d(a).total_cmp(&d(b))
                });
                let Some(g) = near else {
                    bad(format!("{:?} at ({:.2}, {:.2}) is not among our glyphs", r.text, r.ox, r.oy));
                    continue;
                };
                let (x, y) = origin(g, page.height);
                if (x - r.ox).abs() > TOLERANCE || (y - r.oy).abs() > TOLERANCE {
                    bad(format!("{:?} at ({:.2}, {:.2}); ours at ({x:.2}, {y:.2})", r.text, r.ox, r.oy));
                } else if r.angle == 0.0 && (g.width - r.advance).abs() > TOLERANCE {
                    bad(format!(
                        "{:?} at ({:.2}, {:.2}) advances {:.2}; ours {:.2}",
                        r.text, r.ox, r.oy, r.advance, g.width
                    ));
                } else if (g.angle - r.angle).abs() > 1.0 {
                    bad(format!(
                        "{:?} at ({:.2}, {:.2}) turned {}°; ours {:.1}°",
                        r.text, r.ox, r.oy, r.angle, g.angle
                    ));
                }
            }
            for g in &ours {
                let (x, y) = origin(g, page.height);
                let found = theirs
                    .iter()
                    .any(|r| r.text == g.text && (x - r.ox).abs() <= TOLERANCE && (y - r.oy).abs() <= TOLERANCE);
                if !found {
                    bad(format!("our {:?} at ({x:.2}, {y:.2}) is not among pdfminer's characters", g.text));
                }
            }
            if ours.len() != theirs.len() {
                bad(format!("{} glyphs; pdfminer {}", ours.len(), theirs.len()));
            }
        }
    }
    assert!(files > 0, "no reference files for {producer}");
    assert!(failures.is_empty(), "{} file(s) of {producer}:\n{}", files, failures.join("\n"));
}

#[test]
fn libreoffice_glyphs_where_pdfminer_sees_them() {
    check_producer("libreoffice");
}

#[test]
fn reportlab_glyphs_where_pdfminer_sees_them() {
    check_producer("reportlab");
}

#[test]
fn chromium_glyphs_where_pdfminer_sees_them() {
    check_producer("chromium");
}

#[test]
fn raw_gbk_glyphs_where_pdfminer_sees_them() {
    check_producer("rawgbk");
}

#[test]
fn calc_glyphs_where_pdfminer_sees_them() {
    check_producer("calc");
}
