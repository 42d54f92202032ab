//! PDF input: the LibreOffice prints of the seed .docx samples give the .docx records; fonts with
//! predefined CJK CMaps read exactly; broken, encrypted, scanned and looping files become
//! `failed` rows with a reason; real budget PDFs without target tables are `no_tables`.

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::Status;

fn sample(name: &str) -> Vec<u8> {
    common::read(&common::repo().join("samples").join(name))
}

fn bad(name: &str) -> Vec<u8> {
    common::read(&common::repo().join("tests/fixtures/bad").join(name))
}

#[test]
fn pdf_records_equal_docx_records() {
    let g = Grammars::builtin();
    for stem in ["000_5439077655b7c2d3", "001_5c85cbf3a97b1726"] {
        let pdf = extract("x", &sample(&format!("{stem}.pdf")), g);
        assert_eq!(pdf.document.status, Status::Ok, "{stem}.pdf: {:?}", pdf.document.reason);
        let docx = extract("x", &sample(&format!("{stem}.docx")), g);
        let (a, b) = (common::comparable(&pdf), common::comparable(&docx));
        assert_eq!(a.len(), b.len(), "{stem}: record count");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "{stem}");
        }
    }
}

/// Seed 001 five times over with Word's formatting, printed by LibreOffice (41 pages): page
/// breaks cut indicator rows, a wrapped project code, and merged labels (预算规模及资金用 | 途,
/// 资金支出 | 计划（%）). The PDF must give the records of the .docx it was printed from.
#[test]
fn tables_split_across_pages_read_as_the_docx() {
    let g = Grammars::builtin();
    let read = |name: &str| common::read(&common::repo().join("samples/split").join(name));
    let pdf = extract("x", &read("split-pages-001x5.pdf"), g);
    let docx = extract("x", &read("split-pages-001x5.docx"), g);
    assert_eq!(pdf.document.status, Status::Ok, "{:?}", pdf.document.reason);
    assert_eq!((pdf.projects.len(), pdf.indicators.len()), (35, 315));
    let (a, b) = (common::comparable(&pdf), common::comparable(&docx));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    let notes: Vec<&String> =
        pdf.projects.iter().flat_map(|p| &p.warnings).chain(pdf.indicators.iter().flat_map(|i| &i.warnings)).collect();
    assert!(notes.iter().any(|w| w.contains("merged label cell continues across a page break")));
    assert!(notes.iter().filter(|w| w.contains("row continues across a page break")).count() >= 10);
}

/// Tables with horizontal rules only and with no rules at all (the seed samples and seed 001
/// twice over with Word's centred cells, printed by LibreOffice: `scripts/make_pdf_samples.sh`):
/// columns come from the text's alignment, rows from the rules or the grammar, and each PDF
/// gives the records of the .docx it was printed from.
#[test]
fn tables_without_vertical_rules_read_as_the_docx() {
    let g = Grammars::builtin();
    let cases = [
        ("000_5439077655b7c2d3", "000_5439077655b7c2d3.docx", (4, 44)),
        ("001_5c85cbf3a97b1726", "001_5c85cbf3a97b1726.docx", (7, 63)),
        ("centred-001x2", "rules/centred-001x2.docx", (14, 126)),
    ];
    for (stem, docx, counts) in cases {
        let docx = extract("x", &sample(docx), g);
        for kind in ["borderless", "hrules"] {
            let name = format!("rules/{stem}.{kind}.pdf");
            let pdf = extract("x", &sample(&name), g);
            assert_eq!(pdf.document.status, Status::Ok, "{name}: {:?}", pdf.document.reason);
            assert_eq!((pdf.projects.len(), pdf.indicators.len()), counts, "{name}");
            let (a, b) = (common::comparable(&pdf), common::comparable(&docx));
            assert_eq!(a.len(), b.len(), "{name}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x, y, "{name}");
            }
        }
    }
}

#[test]
fn rows_cut_by_a_page_break_are_joined() {
    // Seed 001's LibreOffice print cuts indicator rows at page ends (e.g. 法定(正常)审限内结案率
    // of table 1); each is one row, marked in its warnings.
    let e = extract("x", &sample("001_5c85cbf3a97b1726.pdf"), Grammars::builtin());
    let joined: Vec<_> = e.indicators.iter().filter(|i| i.warnings.iter().any(|w| w.contains("page break"))).collect();
    assert!(!joined.is_empty());
    for i in joined {
        assert!(i.level2.is_some() && i.value_raw.is_some(), "{i:?}");
    }
    assert_eq!(e.indicators.len(), 63);
}

#[test]
fn predefined_cjk_cmaps_read_exactly() {
    let g = Grammars::builtin();
    // Seed 000's first project, as the text dump gives it (checked against the truth elsewhere).
    let dump = extract("x", &sample("000_5439077655b7c2d3.txt"), g);
    let mut want = common::comparable(&dump);
    want.retain(|r| r.starts_with("P 1 ") || r.starts_with("F 1 ") || r.starts_with("I 1 "));
    // stsong-rotated.pdf: the same page drawn turned by 90° (shown upright through /Rotate), with
    // a diagonal 内部资料 watermark that must not leak into any cell.
    for name in ["cjk/stsong-ucs2.pdf", "cjk/gbk-euc.pdf", "cjk/stsong-rotated.pdf"] {
        let e = extract(name, &sample(name), g);
        assert_eq!(e.document.status, Status::Ok, "{name}: {:?}", e.document.reason);
        assert_eq!(common::comparable(&e), want, "{name}");
    }
    // The same reportlab file, encrypted with an empty user password, opens as it is.
    let e = extract("x", &bad("encrypted-empty.pdf"), g);
    assert_eq!(common::comparable(&e), want);
}

fn failed_reason(bytes: &[u8]) -> String {
    common::failed_reason("bad.pdf", bytes)
}

#[test]
fn broken_and_hostile_pdfs_fail_with_a_reason() {
    let good = sample("000_5439077655b7c2d3.pdf");
    let r = failed_reason(&good[..good.len() / 3]);
    assert!(r.contains("PDF"), "{r}");

    let r = failed_reason(&bad("encrypted-user.pdf"));
    assert!(r.contains("encrypted") && r.contains("password"), "{r}");

    let r = failed_reason(&bad("scanned.pdf"));
    assert!(r.contains("scanned") && r.contains("OCR"), "{r}");

    let r = failed_reason(&bad("xobject-cycle.pdf"));
    assert!(r.contains("draws itself"), "{r}");

    // Random bytes named .pdf are not a PDF at all.
    let e = extract("noise.pdf", &common::noise(7, 4096), Grammars::builtin());
    assert_eq!((e.document.format.as_str(), e.document.status), ("binary", Status::Failed));
}

#[test]
fn real_budgets_without_target_tables_are_no_tables() {
    for prefix in ["02_", "03_", "04_"] {
        let Some(path) = common::real_file(prefix) else { return };
        let e = extract("real", &common::read(&path), Grammars::builtin());
        assert_eq!(e.document.status, Status::NoTables, "{}: {:?}", path.display(), e.document.reason);
        assert!(e.indicators.is_empty());
    }
}

/// A one-page PDF written by hand: `content` drawn with Helvetica as /F1.
fn hand_written_pdf(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// Excel and WPS clip each cell to its rectangle: a second line that does not fit the row is
/// hidden on the page, but it is the cell's text (and not the row below's, over which it is
/// drawn). Text hidden by a clip that is no cell's is set aside with a note, never read.
#[test]
fn text_hidden_by_its_cells_clip_stays_with_the_cell() {
    // A ruled grid of two rows and two columns (x 50–350, y 100–200); the top-left cell is
    // clipped to itself and holds two lines, the second below the cell's bottom edge.
    let content = "0.5 w 50 100 m 350 100 l S 50 150 m 350 150 l S 50 200 m 350 200 l S \
                   50 100 m 50 200 l S 200 100 m 200 200 l S 350 100 m 350 200 l S \
                   q 50 150 150 50 re W n BT /F1 10 Tf 55 170 Td (first line) Tj 0 -24 Td (hidden tail) Tj ET Q \
                   BT /F1 10 Tf 210 170 Td (right) Tj ET \
                   BT /F1 10 Tf 55 120 Td (below) Tj ET \
                   q 0 0 10 10 re W n BT /F1 10 Tf 100 250 Td (nowhere) Tj ET Q";
    let read = budget_extract::ingest::pdf::read(&hand_written_pdf(content), Grammars::builtin()).unwrap();
    let table = read.document.tables().next().expect("the ruled grid is a table");
    let texts: Vec<Vec<String>> =
        table.rows.iter().map(|r| r.cells.iter().map(|c| c.text().split_whitespace().collect()).collect()).collect();
    assert_eq!(texts, [["firstlinehiddentail", "right"], ["below", ""]]);
    assert!(read.document.paragraphs().all(|p| !p.text.contains("nowhere")));
    assert!(
        read.notes.iter().any(|n| n.starts_with("page 1: 7 glyph(s)") && n.ends_with("set aside: «nowhere»")),
        "{:?}",
        read.notes
    );
}

/// Where the text no table cell took went: the watermark (`公开`, three times a page, by the
/// corpus's definition in samples/producers/README.md) is set aside on every page, and every
/// character of the text layer is in a table cell, a paragraph, or set aside.
#[test]
fn text_outside_the_tables_is_accounted_for() {
    use budget_extract::blocks::Block;
    use budget_extract::ingest::pdf;
    let g = Grammars::builtin();
    let producers = common::repo().join("samples/producers");
    let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count() as u64;
    // (watermarked file, the same content without furniture)
    let pairs = [
        ("libreoffice/001_5c85cbf3a97b1726.watermark.pdf", common::repo().join("samples/001_5c85cbf3a97b1726.pdf")),
        ("chromium/001_5c85cbf3a97b1726.watermark.pdf", producers.join("chromium/001_5c85cbf3a97b1726.bordered.pdf")),
        ("rawgbk/001_5c85cbf3a97b1726.watermark.pdf", producers.join("rawgbk/001_5c85cbf3a97b1726.grid.pdf")),
        ("reportlab/001_5c85cbf3a97b1726.watermark.pdf", producers.join("reportlab/001_5c85cbf3a97b1726.grid.pdf")),
    ];
    for (marked, plain) in pairs {
        let bytes = common::read(&producers.join(marked));
        let (pages, _, _) = pdf::read_pages(&bytes).unwrap();
        let read = pdf::read(&bytes, g).unwrap();
        let base = pdf::read(&common::read(&plain), g).unwrap();
        assert_eq!(
            read.tally.set_aside - base.tally.set_aside,
            6 * pages.len() as u64,
            "{marked}: 公开 three times on each of {} pages",
            pages.len()
        );
        // Every character: the glyphs of the page model, against cells, paragraphs, set aside.
        let glyphs: u64 = pages.iter().flat_map(|p| &p.glyphs).map(|g| visible(&g.text)).sum();
        let cells: u64 = read
            .document
            .blocks
            .iter()
            .filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None })
            .flat_map(|t| t.rows.iter().flat_map(|r| &r.cells))
            .map(|c| visible(&c.text()))
            .sum();
        assert_eq!(cells + read.tally.outside_tables + read.tally.set_aside, glyphs, "{marked}");
    }
}
