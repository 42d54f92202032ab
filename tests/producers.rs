//! The PDF producer corpus (samples/producers/, issue 13): the two seeds printed by LibreOffice
//! Writer and Calc, reportlab, headless Chromium and a raw GBK-EUC-H writer, with running
//! headers, watermarks, landscape pages and rows cut by page breaks. Truth is the seed .docx's
//! records (samples/producers/README.md): every PDF must give them, compared as
//! `tests/pdf.rs::pdf_records_equal_docx_records` compares the LibreOffice prints.
//!
//! Every PDF of the corpus gives them exactly, with status `ok`.

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::Status;

#[test]
fn every_producer_gives_the_docx_records() {
    let g = Grammars::builtin();
    let root = common::repo().join("samples/producers");
    let docx = |stem: &str| extract("x", &common::read(&common::repo().join(format!("samples/{stem}.docx"))), g);
    let truth = [
        ("000_5439077655b7c2d3", docx("000_5439077655b7c2d3")),
        ("001_5c85cbf3a97b1726", docx("001_5c85cbf3a97b1726")),
    ];
    let mut files: Vec<String> = Vec::new();
    for producer in std::fs::read_dir(&root).unwrap() {
        let producer = producer.unwrap().path();
        if !producer.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&producer).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "pdf") {
                files.push(f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    assert_eq!(files.len(), 60, "samples/producers holds 60 PDFs");
    let mut failures = Vec::new();
    for name in &files {
        let stem = name.rsplit('/').next().unwrap().split('.').next().unwrap();
        let (_, want) = truth.iter().find(|(s, _)| *s == stem).expect("a seed's file");
        let e = extract("x", &common::read(&root.join(name)), g);
        let (got, want) = (common::comparable(&e), common::comparable(want));
        if got != want || e.document.status != Status::Ok {
            failures.push(format!(
                "{name}: {:?} {:?}; {}",
                e.document.status,
                e.document.reason,
                first_difference(&got, &want)
            ));
        }
    }
    eprintln!("{} of {} producer PDFs give the .docx's records", files.len() - failures.len(), files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn first_difference(got: &[String], want: &[String]) -> String {
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        if g != w {
            return format!("record {k}: read {g}, want {w}");
        }
    }
    format!("{} records read, {} wanted", got.len(), want.len())
}
