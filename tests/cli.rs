//! The binary end to end: bad inputs beside good ones, determinism, exit codes.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use arrow_array::{Array, Int32Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn run(args: &[&str]) -> Output {
    Command::new(common::bin()).args(args).output().expect("the binary runs")
}

fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap().map(|b| b.unwrap()).collect()
}

fn strings(batches: &[RecordBatch], column: &str) -> Vec<Option<String>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column_by_name(column).unwrap().as_any().downcast_ref::<StringArray>().unwrap().clone();
            (0..a.len()).map(move |i| a.is_valid(i).then(|| a.value(i).to_string()))
        })
        .collect()
}

fn ints(batches: &[RecordBatch], column: &str) -> Vec<i32> {
    batches
        .iter()
        .flat_map(|b| {
            b.column_by_name(column).unwrap().as_any().downcast_ref::<Int32Array>().unwrap().values().to_vec()
        })
        .collect()
}

fn row_count(path: &Path) -> usize {
    read_parquet(path).iter().map(|b| b.num_rows()).sum()
}

const OUTPUTS: [&str; 5] =
    ["documents.parquet", "projects.parquet", "indicators.parquet", "department_goals.parquet", "cells.parquet"];

#[test]
fn bad_files_become_document_rows_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("nested")).unwrap();
    for seed in ["000_5439077655b7c2d3.txt", "001_5c85cbf3a97b1726.txt"] {
        fs::copy(common::repo().join("samples").join(seed), input.join(seed)).unwrap();
    }
    fs::copy(common::repo().join("README.md"), input.join("nested/README.md")).unwrap();
    fs::write(input.join("noise.bin"), common::noise(12345, 20_000)).unwrap();
    fs::write(input.join("picture.docx"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01").unwrap();
    fs::write(input.join("legacy.doc"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    fs::write(input.join("empty.txt"), b"").unwrap();
    fs::write(input.join(".hidden.txt"), b"skipped").unwrap();

    let out = tmp.path().join("out");
    let o = run(&["extract", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let docs = read_parquet(&out.join("documents.parquet"));
    let files: Vec<String> = strings(&docs, "source_file").into_iter().map(|f| f.unwrap()).collect();
    let status = strings(&docs, "status");
    let reason = strings(&docs, "reason");
    let by_name = |name: &str| {
        let i = files
            .iter()
            .position(|f| f.ends_with(name))
            .unwrap_or_else(|| panic!("{name} has no documents row: {files:?}"));
        (status[i].clone().unwrap(), reason[i].clone().unwrap_or_default())
    };
    assert_eq!(files.len(), 7, "every visible file, and only those: {files:?}");
    assert_eq!(by_name("000_5439077655b7c2d3.txt").0, "ok");
    assert_eq!(by_name("001_5c85cbf3a97b1726.txt").0, "ok");
    let (s, r) = by_name("README.md");
    assert_eq!(s, "no_tables", "{r}");
    let (s, r) = by_name("noise.bin");
    assert_eq!(s, "failed");
    assert!(r.contains("not a disclosure"), "{r}");
    let (s, r) = by_name("picture.docx");
    assert_eq!(s, "failed");
    assert!(r.contains("PNG"), "{r}");
    let (s, r) = by_name("legacy.doc");
    assert_eq!(s, "failed");
    assert!(r.contains("legacy binary .doc") && r.contains("save it as .docx"), "{r}");
    // An empty file holds nothing to read (most often a download that failed).
    let (s, r) = by_name("empty.txt");
    assert_eq!(s, "failed");
    assert!(r.contains("the file is empty"), "{r}");

    // The good files' records are complete: the same as a run over them alone.
    let alone = tmp.path().join("alone");
    let o = run(&[
        "extract",
        "samples/000_5439077655b7c2d3.txt",
        "samples/001_5c85cbf3a97b1726.txt",
        "--out",
        alone.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    for table in ["projects.parquet", "indicators.parquet", "department_goals.parquet"] {
        assert_eq!(row_count(&out.join(table)), row_count(&alone.join(table)), "{table}");
    }
    assert_eq!(row_count(&alone.join("indicators.parquet")), 107);
    assert_eq!(
        ints(&read_parquet(&alone.join("projects.parquet")), "table_index"),
        vec![1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7]
    );
}

#[test]
fn output_is_byte_identical_across_runs_jobs_and_input_order() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let c = tmp.path().join("c");
    let s0 = "samples/000_5439077655b7c2d3.txt";
    let s1 = "samples/001_5c85cbf3a97b1726.txt";
    assert!(run(&["extract", s0, s1, "--jobs", "1", "--out", a.to_str().unwrap()]).status.success());
    assert!(run(&["extract", s1, s0, "--jobs", "2", "--out", b.to_str().unwrap()]).status.success());
    let folder = tmp.path().join("in");
    fs::create_dir_all(&folder).unwrap();
    fs::copy(s0, folder.join("000_5439077655b7c2d3.txt")).unwrap();
    fs::copy(s1, folder.join("001_5c85cbf3a97b1726.txt")).unwrap();
    // source_file differs (a folder path), so the folder run is compared by content, not bytes.
    assert!(run(&["extract", folder.to_str().unwrap(), "--out", c.to_str().unwrap(), "-q"]).status.success());
    for f in OUTPUTS {
        let (x, y) = (common::read(&a.join(f)), common::read(&b.join(f)));
        assert!(x == y, "{f} differs between --jobs 1 and --jobs 2 with reversed inputs");
        assert_eq!(row_count(&a.join(f)), row_count(&c.join(f)), "{f}: file and folder inputs");
    }
    // A forced rerun replaces the files with identical ones and leaves no temporary file behind.
    assert!(run(&["extract", s0, s1, "--out", a.to_str().unwrap(), "--force"]).status.success());
    for f in OUTPUTS {
        assert!(common::read(&a.join(f)) == common::read(&b.join(f)), "{f} changed on rerun");
    }
    let mut names: Vec<String> =
        fs::read_dir(&a).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    names.sort();
    // The writer's lock stays (it is the kernel's lock that matters, and it went with the run).
    assert_eq!(
        names,
        [
            "_lock-s1of1",
            "_manifest-s1of1.json",
            "cells.parquet",
            "department_goals.parquet",
            "documents.parquet",
            "indicators.parquet",
            "projects.parquet"
        ]
    );
}

#[test]
fn a_run_that_cannot_write_exits_non_zero_and_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let blocker = tmp.path().join("a-file");
    fs::write(&blocker, b"").unwrap();
    let o = run(&["extract", "samples", "--out", blocker.join("out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("output folder") && err.contains("--out"), "{err}");

    let o = run(&["extract", "no/such/input", "--out", tmp.path().join("o").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no/such/input"));
}

#[test]
fn help_explains_every_option() {
    let o = run(&["extract", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for word in ["--out", "--jobs", "--quiet", "INPUT", "detected from the content"] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}

#[test]
fn schema_md_is_generated_from_the_schema() {
    let o = run(&["schema"]);
    let generated = String::from_utf8(o.stdout).unwrap();
    let doc = String::from_utf8(common::read(&common::repo().join("SCHEMA.md"))).unwrap();
    assert!(
        doc.contains(&generated),
        "SCHEMA.md is out of date: regenerate its tables with `cargo run --release -- schema`"
    );
}

/// A department's own spelling is added by a grammar file alone: the same dump, with
/// 项目名称 written 项目称谓, is read only when a `--grammars` folder knows the spelling.
#[test]
fn a_new_label_spelling_is_a_grammar_file_change() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = String::from_utf8(common::read(&common::repo().join("samples/000_5439077655b7c2d3.txt"))).unwrap();
    let input = tmp.path().join("variant.txt");
    fs::write(&input, seed.replace("项目名称", "项目称谓")).unwrap();

    let plain = tmp.path().join("plain");
    assert!(run(&["extract", input.to_str().unwrap(), "--out", plain.to_str().unwrap(), "-q"]).status.success());
    let names = strings(&read_parquet(&plain.join("projects.parquet")), "project_name");
    assert!(names.iter().all(Option::is_none), "{names:?}");

    let grammars = tmp.path().join("grammars");
    fs::create_dir_all(&grammars).unwrap();
    let vocabulary = String::from_utf8(common::read(&common::repo().join("grammars/vocabulary.toml"))).unwrap();
    let edited = vocabulary.replace(r#"project_name = ["项目名称""#, r#"project_name = ["项目名称", "项目称谓""#);
    assert_ne!(edited, vocabulary, "the vocabulary has a project_name line to extend");
    fs::write(grammars.join("vocabulary.toml"), edited).unwrap();
    let with = tmp.path().join("with");
    let with_grammars = || {
        run(&[
            "extract",
            input.to_str().unwrap(),
            "--out",
            with.to_str().unwrap(),
            "--grammars",
            grammars.to_str().unwrap(),
        ])
    };
    let o = with_grammars();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names = strings(&read_parquet(&with.join("projects.parquet")), "project_name");
    assert_eq!(names[3].as_deref(), Some("数智法庭项目"));
    assert!(names.iter().all(Option::is_some));

    // A broken grammar file stops the run with a message naming it.
    fs::write(grammars.join("values.toml"), "this is not toml = [").unwrap();
    let o = with_grammars();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("values.toml"));
}
