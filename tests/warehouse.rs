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

/// Amounts and targets are `decimal(18,6)`, read from their digits: sums are exact, and the
/// row groups carry min/max statistics that pyarrow and DuckDB read and prune on (float columns
/// were written with a column order other readers ignore).
#[test]
fn amounts_are_exact_decimals_that_readers_prune_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    fs::create_dir_all(&input).unwrap();
    // 600 documents of 60 indicators each: 36,000 rows, three row groups of 16,384 (the last
    // from document 546 on: targets from 546,000), each
    // holding a range of target values of its own (document k's targets are k*1000 + i).
    let header = "\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n\n";
    for k in 0..600 {
        let mut dump = format!("1.项目{k}绩效目标表\n\t207101天津市河北区人民法院\n\t单位：万元\n\n\t项目名称\n\t项目{k}\n\n\t预算数\n\t{k}.35\n\t其中：财政资金\n\t{k}.35\n\n \n{header}");
        for i in 0..60 {
            dump.push_str(&format!("\t产出指标\n\t数量指标\n\t指标{i}\n\t≥{}件\n\n", k * 1000 + i));
        }
        fs::write(input.join(format!("{k:04}.txt")), dump).unwrap();
    }
    let o = Command::new(common::bin()).arg("extract").arg(&input).arg("--out").arg(&out).arg("-q").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let script = r#"
import sys, duckdb, decimal
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.dataset as ds
out = sys.argv[1]
ind = f"{out}/indicators.parquet"
meta = pq.ParquetFile(ind).metadata
assert meta.num_row_groups == 3, meta.num_row_groups
col = pq.ParquetFile(ind).schema_arrow.get_field_index("value_num")
assert pq.ParquetFile(ind).schema_arrow.field("value_num").type == pa.decimal128(18, 6)
for rg in range(3):
    st = meta.row_group(rg).column(col).statistics
    assert st is not None and st.has_min_max, rg
# pyarrow prunes row groups by those statistics.
frag = next(ds.dataset(ind).get_fragments())
kept = frag.split_by_row_group(filter=ds.field("value_num") > decimal.Decimal(550_000))
assert len(kept) == 1, [f.row_groups for f in kept]
# DuckDB reads the statistics too.
mins = duckdb.sql(f"select stats_min from parquet_metadata('{ind}') where path_in_schema = 'value_num'").fetchall()
assert len(mins) == 3 and all(m[0] is not None for m in mins), mins
# Sums are exact: 600 budgets of k.35.
total = duckdb.sql(f"select sum(budget_total) from '{out}/projects.parquet'").fetchall()[0][0]
assert total == decimal.Decimal("179910.000000"), total
print("ok")
"#;
    let o = Command::new(common::python()).args(["-c", script]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
}

/// The README's reader recipes, run as written on a partitioned dataset with null partitions
/// (seed 000 has no fiscal year): DuckDB, pyarrow and pandas, Polars read every row with
/// `fiscal_year` as int32 and its nulls as nulls, the partitioned and single-file outputs
/// concatenate in Polars, a SQLite load keeps NULLs and lists; the court comparison runs.
#[test]
fn the_readme_reader_recipes_read_null_partitions_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, parts, single) = (tmp.path().join("in"), tmp.path().join("parts"), tmp.path().join("single"));
    fs::create_dir_all(&input).unwrap();
    for f in ["000_5439077655b7c2d3.txt", "001_5c85cbf3a97b1726.txt", "000_5439077655b7c2d3.docx"] {
        fs::copy(common::repo().join("samples").join(f), input.join(f)).unwrap();
    }
    for (out, extra) in [(&parts, vec!["--partition-by", "fiscal_year,province"]), (&single, vec![])] {
        let o = Command::new(common::bin())
            .arg("extract")
            .arg(&input)
            .arg("--out")
            .arg(out)
            .args(extra)
            .arg("-q")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let null_year = parts.join("indicators.parquet/fiscal_year=__HIVE_DEFAULT_PARTITION__");
    assert!(null_year.is_dir(), "seed 000 has no year: a null partition");
    let sub = |block: String| {
        block
            .replace("out/", &format!("{}/", parts.display()))
            .replace("budget.db", &tmp.path().join("b.db").display().to_string())
    };
    let duck = sub(readme_block("-- DuckDB (1.5 or later)"));
    let arrow = sub(readme_block("# pyarrow and pandas: an explicit partitioning"));
    let polars = sub(readme_block("# Polars\n"));
    // The SQLite recipe reads a single-file output, as the README writes it.
    let sqlite = readme_block("# SQLite: lists as JSON")
        .replace("out/", &format!("{}/", single.display()))
        .replace("budget.db", &tmp.path().join("b.db").display().to_string());
    let courts = readme_block("-- Per court: projects").replace("out/", &format!("{}/", single.display()));
    let script = format!(
        r#"
import duckdb, pyarrow.parquet as pq, sqlite3, json
single = "{single}"
rows = pq.read_table(single + "/indicators.parquet").num_rows
nulls = pq.read_table(single + "/indicators.parquet").column("fiscal_year").null_count
assert nulls > 0 and rows > nulls, (rows, nulls)
got = duckdb.sql("""{duck}""").fetchall()
assert sum(r[2] for r in got) == rows and any(r[1] is None for r in got), got
assert all(isinstance(r[1], (int, type(None))) for r in got), got
{arrow}
assert len(df) == rows and str(table.schema.field("fiscal_year").type) == "int32", table.schema
assert df["fiscal_year"].isna().sum() == nulls
{polars}
assert df.height == rows and str(df.schema["fiscal_year"]) == "Int32" and df["fiscal_year"].null_count() == nulls
import polars as pl
both = pl.concat([pl.read_parquet(single + "/indicators.parquet").select(df.columns), df], how="vertical")
assert both.height == 2 * rows
{sqlite}
con = sqlite3.connect("{db}")
n, null_years, empty = con.execute("select count(*), sum(fiscal_year is null), sum(warnings = '[]') from indicators").fetchone()
warned = con.execute("select warnings from indicators where warnings != '[]' limit 1").fetchone()[0]
assert n == rows and null_years == nulls and 0 < empty < rows, (n, null_years, empty)
assert json.loads(warned)[0].startswith("cost value"), warned
courts = duckdb.sql("""{courts}""").fetchall()
assert {{r[0]: r[1] for r in courts}} == {{"天津市河北区人民法院": 8, "河北省承德市中级人民法院本级": 7}}, courts
assert {{r[0]: r[3] for r in courts}} == {{"天津市河北区人民法院": 88, "河北省承德市中级人民法院本级": 63}}, courts
print("ok")
"#,
        single = single.display(),
        db = tmp.path().join("b.db").display(),
    );
    let o = Command::new(common::python()).args(["-c", &script]).output().unwrap();
    assert!(
        o.status.success(),
        "{}{}\n{script}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
