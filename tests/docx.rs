//! Word input: the .docx samples give the same records as their text dumps and score against the
//! seeds' truth; hostile and broken files become `failed` rows with a reason, never a panic.

mod common;

use std::io::{Cursor, Write};

use budget_extract::grammars::Grammars;
use budget_extract::ingest::docx::{self, Limits, Package};
use budget_extract::pipeline::extract;
use budget_extract::records::{Extraction, Status};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const SEEDS: [&str; 2] = ["000_5439077655b7c2d3", "001_5c85cbf3a97b1726"];

fn sample(name: &str) -> Vec<u8> {
    common::read(&common::repo().join("samples").join(name))
}

/// The records without what legitimately differs between formats: file name and locations.
fn comparable(mut e: Extraction) -> Extraction {
    for p in &mut e.projects {
        p.source_file.clear();
        p.document_id.clear();
        p.location.clear();
    }
    for i in &mut e.indicators {
        i.source_file.clear();
        i.document_id.clear();
        i.location.clear();
    }
    for g in &mut e.department_goals {
        g.source_file.clear();
        g.document_id.clear();
        g.location.clear();
    }
    e
}

#[test]
fn docx_records_equal_dump_records() {
    let g = Grammars::builtin();
    for stem in SEEDS {
        let dump = comparable(extract("x", &sample(&format!("{stem}.txt")), g));
        assert!(!dump.indicators.is_empty());
        for variant in [format!("{stem}.docx"), format!("{stem}.libreoffice.docx")] {
            let e = extract("x", &sample(&variant), g);
            assert_eq!(e.document.format, "docx", "{variant}");
            assert_eq!(e.document.status, Status::Ok, "{variant}: {:?}", e.document.reason);
            let docx = comparable(e);
            assert_eq!(docx.projects, dump.projects, "{variant}: projects");
            assert_eq!(docx.indicators.len(), dump.indicators.len(), "{variant}: indicator count");
            for (a, b) in docx.indicators.iter().zip(&dump.indicators) {
                assert_eq!(a, b, "{variant}");
            }
            assert_eq!(docx.department_goals, dump.department_goals, "{variant}: department goals");
        }
    }
}

#[test]
fn docx_locations_point_into_the_word_tables() {
    let e = extract("x", &sample("000_5439077655b7c2d3.docx"), Grammars::builtin());
    // Project 1: heading paragraph, then table 1 (project block) and table 2 (indicator grid).
    assert_eq!(e.projects[0].location, "table 1, row 1");
    // Its second indicator row is row 3 of table 2 (row 1 is the header).
    assert_eq!(e.indicators[1].location, "table 2, row 3");
    // The merged 产出指标 cell is a vMerge continuation there: carried down and marked.
    assert!(e.indicators[1].level1_filled);
}

fn zip_with(members: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in members {
        w.start_file(*name, SimpleFileOptions::default().compression_method(method).large_file(data.len() > 1 << 30))
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn failed_reason(bytes: &[u8]) -> String {
    common::failed_reason("bad.docx", bytes)
}

#[test]
fn zip_bomb_is_refused_before_inflating() {
    // 300 MiB of zeros: over the 256 MiB member limit; deflates to ~300 KB.
    let zeros = vec![0u8; 300 << 20];
    let bomb = zip_with(&[("word/document.xml", &zeros)], CompressionMethod::Deflated);
    drop(zeros);
    assert!(bomb.len() < 1 << 20);
    let r = failed_reason(&bomb);
    assert!(r.contains("limit") && r.contains("zip bomb"), "{r}");

    // 16 MiB at ~1000:1: refused by the compression ratio.
    let zeros = vec![b'<'; 16 << 20];
    let dense = zip_with(&[("word/document.xml", &zeros)], CompressionMethod::Deflated);
    let r = failed_reason(&dense);
    assert!(r.contains("compression ratio"), "{r}");
}

#[test]
fn a_member_that_lies_about_its_size_is_capped_while_inflating() {
    let payload = vec![b'a'; 4 << 20];
    let mut z = zip_with(&[("word/document.xml", &payload)], CompressionMethod::Deflated);
    // Patch the declared uncompressed size (local header offset 22, central directory offset 24)
    // down to 1000 bytes, as a hostile file would.
    let patch = |z: &mut Vec<u8>, sig: &[u8], offset: usize| {
        let at = z.windows(4).position(|w| w == sig).unwrap();
        z[at + offset..at + offset + 4].copy_from_slice(&1000u32.to_le_bytes());
    };
    patch(&mut z, b"PK\x03\x04", 22);
    patch(&mut z, b"PK\x01\x02", 24);
    let limits = Limits { max_member_bytes: 1 << 20, max_ratio: 200 };
    match docx::open(&z, limits) {
        Err(e) => assert!(e.to_string().contains("cannot inflate") || e.to_string().contains("limit"), "{e}"),
        Ok(Package::Word(xml)) => panic!("read {} bytes despite the lie", xml.len()),
        Ok(_) => panic!("not read as Word"),
    }
}

#[test]
fn truncated_and_corrupt_zips() {
    let good = sample("001_5c85cbf3a97b1726.docx");
    let r = failed_reason(&good[..good.len() / 2]);
    assert!(r.contains("corrupt or truncated zip"), "{r}");

    // Flip bytes inside the deflated document part.
    let mut bad = good.clone();
    let start = bad.windows(17).position(|w| w == b"word/document.xml").unwrap() + 200;
    for b in &mut bad[start..start + 64] {
        *b ^= 0x5A;
    }
    let r = failed_reason(&bad);
    assert!(r.contains("zip") || r.contains("XML") || r.contains("UTF-8"), "{r}");
}

#[test]
fn zips_that_are_not_word_documents() {
    let r = failed_reason(&zip_with(&[("hello.txt", b"hi")], CompressionMethod::Deflated));
    assert!(r.contains("without word/document.xml") && r.contains("hello.txt"), "{r}");
    let e = extract(
        "x.xlsx",
        &zip_with(&[("xl/workbook.xml", b"<workbook/>")], CompressionMethod::Stored),
        Grammars::builtin(),
    );
    assert_eq!((e.document.format.as_str(), e.document.status), ("xlsx", Status::Failed));
    let r = failed_reason(&zip_with(&[("word/document.xml", b"<w:document><w:body>")], CompressionMethod::Stored));
    assert!(r.contains("XML") || r.contains("truncated"), "{r}");
}

#[test]
fn office_files_that_are_not_docx() {
    let bad = |name: &str| common::read(&common::repo().join("tests/fixtures/bad").join(name));
    let r = failed_reason(&bad("encrypted-password.docx"));
    assert!(r.contains("encrypted") && r.contains("remove the password"), "{r}");
    // A legacy .doc is converted by LibreOffice when it is installed (tests/legacy.rs); else
    // its reason says what to install.
    let e = extract("x.doc", &bad("legacy-word97.doc"), Grammars::builtin());
    if e.document.converted_from.as_deref() == Some("doc") {
        assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    } else {
        let r = e.document.reason.unwrap_or_default();
        assert!(r.contains("legacy binary Word") && r.contains("libreoffice-writer-nogui"), "{r}");
    }
    let r = failed_reason(&bad("png-named.docx"));
    assert!(r.contains("PNG image"), "{r}");
}
