//! The README's recipes for building a dataset on many machines, run as written: the Spark
//! recipe (PySpark on `local[2]`, installed by scripts/setup-spark.sh) with a speculative copy
//! of one shard running at the same time, read back with DuckDB and compared with a single run.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

/// The README's code block that starts with `first_line`, as written.
fn readme_block(first_line: &str) -> String {
    let readme = fs::read_to_string(common::repo().join("README.md")).unwrap();
    let start = readme.find(first_line).unwrap_or_else(|| panic!("README.md has no block starting {first_line:?}"));
    let block = &readme[start..];
    block[..block.find("```").expect("the block ends")].to_string()
}

/// Every row of a table in a dataset folder (single file or part folders), as sorted JSON lines.
fn rows(py: &Path, out: &Path, table: &str) -> Vec<String> {
    let script = r#"
import duckdb, json, os, sys
out, table = sys.argv[1:3]
path = f"{out}/{table}.parquet"
glob = f"{path}/**/*.parquet" if os.path.isdir(path) else path
rel = duckdb.sql(f"select * from read_parquet('{glob}', hive_partitioning = true, union_by_name = true)")
cols = rel.columns
out = []
for r in rel.fetchall():
    row = dict(zip(cols, r))
    row.pop("source_root", None)  # the folder on this machine; the names are compared
    out.append(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str))
print(json.dumps(sorted(out)))
"#;
    let o = Command::new(py).args(["-c", script]).arg(out).arg(table).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_spark_recipe_builds_the_dataset_of_one_run_even_with_a_speculative_copy() {
    if std::env::var_os("CI").is_none() && Command::new("java").arg("-version").output().is_err() {
        eprintln!("skipped: no java (scripts/setup-spark.sh installs it; CI always runs this)");
        return;
    }
    let o = Command::new(common::repo().join("scripts/setup-spark.sh")).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let py = std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());

    let tmp = tempfile::tempdir().unwrap();
    let (input, sharded, single) =
        (tmp.path().join("disclosures"), tmp.path().join("dataset"), tmp.path().join("single"));
    fs::create_dir_all(&input).unwrap();
    for (k, f) in [
        "000_5439077655b7c2d3.txt",
        "001_5c85cbf3a97b1726.docx",
        "000_5439077655b7c2d3.pdf",
        "001_5c85cbf3a97b1726.txt",
    ]
    .iter()
    .enumerate()
    {
        for copy in 0..3 {
            fs::copy(common::repo().join("samples").join(f), input.join(format!("c{copy}-{k}-{f}"))).unwrap();
        }
    }
    let recipe = readme_block("# Spark: one shard per partition of an RDD")
        .replace("/data/disclosures", input.to_str().unwrap())
        .replace("/data/dataset", sharded.to_str().unwrap())
        .replace("n = 16", "n = 3");
    let script = format!(
        "from pyspark.sql import SparkSession\n\
         spark = SparkSession.builder.master('local[2]').config('spark.ui.enabled', 'false').getOrCreate()\n\
         sc = spark.sparkContext\n\
         {recipe}\n\
         spark.stop()\n"
    );
    // The program is found through PATH, as on a cluster.
    let bin_dir = common::bin().parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let spark = Command::new(&py)
        .args(["-c", &script])
        .env("PATH", &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A speculative copy of shard 2, started by hand at the same time.
    let copy = Command::new(common::bin())
        .arg("extract")
        .arg(&input)
        .arg("--out")
        .arg(&sharded)
        .args(["--shard", "2/3", "--partition-by", "fiscal_year,province", "-q"])
        .output()
        .unwrap();
    let spark = spark.wait_with_output().unwrap();
    assert!(spark.status.success(), "the Spark recipe failed:\n{}", String::from_utf8_lossy(&spark.stderr));
    assert!(copy.status.success(), "{}", String::from_utf8_lossy(&copy.stderr));

    let o =
        Command::new(common::bin()).arg("extract").arg(&input).arg("--out").arg(&single).arg("-q").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for table in ["documents", "projects", "indicators", "cells"] {
        let (a, b) = (rows(&py, &sharded, table), rows(&py, &single, table));
        assert!(!a.is_empty(), "{table}: the Spark run wrote nothing");
        assert_eq!(a.len(), b.len(), "{table}: row counts");
        assert!(a == b, "{table}: the shards' rows differ from a single run's");
    }
}
