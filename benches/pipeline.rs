//! Benchmark of the whole pipeline in-process, one document at a time on one thread.
//!
//! Run through `scripts/bench.sh`, which first generates the input:
//! `target/bench/49-projects.docx` (seed 001's seven project tables seven times over, with Word's
//! run and paragraph properties; ~1.5 MB of document.xml) and the same content as a text dump.
//!
//! Prints min / median / mean milliseconds per document for each stage and the whole pipeline.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use budget_extract::grammars::Grammars;
use budget_extract::ingest::docx;
use budget_extract::{ingest, normalize, pipeline, recognize};

fn measure(name: &str, bytes: usize, iterations: usize, mut f: impl FnMut()) {
    for _ in 0..iterations.min(3) {
        f();
    }
    let mut times: Vec<Duration> = (0..iterations)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mean = times.iter().sum::<Duration>() / iterations as u32;
    println!(
        "{name:<42} min {:>7.3} ms  median {:>7.3} ms  mean {:>7.3} ms  {:>7.1} MB/s (median)",
        ms(times[0]),
        ms(times[iterations / 2]),
        ms(mean),
        bytes as f64 / 1e6 / times[iterations / 2].as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` does not: then this is a smoke run
    // of one iteration on a committed sample, so the benchmark keeps compiling and working.
    let full = std::env::args().any(|a| a == "--bench");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path =
        if full { root.join("target/bench/49-projects.docx") } else { root.join("samples/001_5c85cbf3a97b1726.docx") };
    let Ok(file) = std::fs::read(&path) else {
        eprintln!("{} is missing: run scripts/bench.sh (it generates the input first)", path.display());
        std::process::exit(1);
    };
    let n = if full { 100 } else { 1 };
    let g = Grammars::builtin();
    let xml = match docx::open(&file, docx::Limits::default()) {
        Ok(docx::Package::Word(xml)) => xml,
        _ => panic!("{} is not a Word document", path.display()),
    };
    let check = pipeline::extract("bench", &file, g);
    println!(
        "input: {} ({} bytes, {} bytes of document.xml): {} projects, {} indicators",
        path.display(),
        file.len(),
        xml.len(),
        check.projects.len(),
        check.indicators.len()
    );
    measure("docx: unzip document.xml", xml.len(), n, || {
        black_box(docx::open(black_box(&file), docx::Limits::default()).ok());
    });
    measure("docx: document.xml -> blocks", xml.len(), n, || {
        black_box(docx::read_document_xml(black_box(&xml)).ok());
    });
    let doc = docx::read_document_xml(&xml).unwrap();
    measure("recognize + normalize", xml.len(), n, || {
        let r = recognize::recognize(black_box(&doc), g);
        black_box(normalize::normalize("bench", &r, g));
    });
    measure("docx: whole pipeline (extract)", xml.len(), n, || {
        black_box(pipeline::extract("bench", black_box(&file), g));
    });

    // The same document printed by LibreOffice (57 pages), when scripts/bench.sh could make it.
    let pdf_path = root.join("target/bench/49-projects.pdf");
    if let (true, Ok(pdf)) = (full, std::fs::read(&pdf_path)) {
        let check = pipeline::extract("bench.pdf", &pdf, g);
        let pages = 57;
        println!(
            "input: {} ({} bytes, {pages} pages): {} projects, {} indicators, status {}",
            pdf_path.display(),
            pdf.len(),
            check.projects.len(),
            check.indicators.len(),
            check.document.status.as_str()
        );
        measure("pdf: whole pipeline (extract), per document", pdf.len(), 10, || {
            black_box(pipeline::extract("bench.pdf", black_box(&pdf), g));
        });
    }

    let seed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/001_5c85cbf3a97b1726.txt")).unwrap();
    let dump: Vec<u8> = std::iter::repeat_n(seed.as_slice(), 7).flatten().copied().collect();
    let text = String::from_utf8(dump.clone()).unwrap();
    measure("text: dump -> blocks (same content)", dump.len(), n, || {
        black_box(ingest::text::read(black_box(&text), g));
    });
    measure("text: whole pipeline (extract)", dump.len(), n, || {
        black_box(pipeline::extract("bench", black_box(&dump), g));
    });
}
