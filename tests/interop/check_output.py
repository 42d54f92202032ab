"""Reads budget-extract's Parquet with readers we did not write: pyarrow and DuckDB.

    python check_output.py OUTDIR

Checks the column contract and types, the row counts of the seeds, and runs a DuckDB query that
compares courts, the kind a researcher runs on the dataset.
"""
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

out = sys.argv[1]
# The .xls versions of real published workbooks (samples/xls/, checked against their .xlsx by
# tests/legacy.rs) and the landing page (samples/html/landing.html, no tables) are not seeds.
# The producer corpus (samples/producers/, issue 13) is held to the .docx records by tests/pdf.rs,
# file by file, with what each producer still gets wrong said there.
NOT_SEEDS = "(source_file like '%/xls/%' or source_file like '%/landing.html' or source_file like '%/producers/%')"


def is_seed_derived(path):
    return "/xls/" not in path and not path.endswith("/landing.html") and "/producers/" not in path


CONTRACT = {
    "indicators": ["source_file", "table_index", "unit_code", "unit_name", "fiscal_year", "project_name",
                   "project_code", "level1", "level2", "level3", "description", "value_raw", "value_op",
                   "value_num", "value_unit", "basis"],
    "projects": ["source_file", "table_index", "unit_code", "unit_name", "fiscal_year", "project_name",
                 "project_code", "budget_total", "budget_fiscal", "budget_other"],
    "documents": ["source_file", "format", "bytes", "sha256", "status", "reason"],
    "department_goals": ["source_file", "goal_index", "goal_text", "indicator_kind", "indicator_text"],
}
for table, columns in CONTRACT.items():
    t = pq.read_table(f"{out}/{table}.parquet")
    missing = [c for c in columns if c not in t.column_names]
    assert not missing, f"{table}: missing {missing}"
    meta = pq.ParquetFile(f"{out}/{table}.parquet").metadata
    for rg in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            assert meta.row_group(rg).column(c).compression == "ZSTD", (table, c)

ind = pq.read_table(f"{out}/indicators.parquet")
assert ind.schema.field("value_num").type == pa.decimal128(18, 6)
assert ind.schema.field("table_index").type == pa.int32()
assert ind.schema.field("warnings").type == pa.list_(pa.string())
# Rows and projects per input, checked by hand against the documents: seed 000 has 4 projects
# and 44 indicator rows, seed 001 7 and 63 (in every format); the CJK-CMap PDFs hold seed 000's
# first project (9 rows); the split-pages sample is seed 001 five times, the centred one twice.
def expected(path):
    name = path.split("/")[-1]
    # samples/variants: seed 000's first project in each label variant and edge case (9 rows;
    # scripts/make_variant_samples.py, tests/variants.rs).
    if "/variants/" in path:
        return 9, 1, "天津市河北区人民法院"
    if name.startswith("centred-001x2."):
        return 63 * 2, 7 * 2, "河北省承德市中级人民法院本级"
    if name.startswith("000_"):
        return 44, 4, "天津市河北区人民法院"
    if name.startswith("001_"):
        return 63, 7, "河北省承德市中级人民法院本级"
    if name in ("stsong-ucs2.pdf", "gbk-euc.pdf", "stsong-rotated.pdf", "encrypted-empty.pdf"):
        return 9, 1, "天津市河北区人民法院"
    if name.startswith("split-pages-001x5."):
        return 63 * 5, 7 * 5, "河北省承德市中级人民法院本级"
    raise AssertionError(f"no expectation for {name}")


per_file = pq.read_table(f"{out}/indicators.parquet", columns=["source_file"]).to_pydict()["source_file"]
per_file = [f for f in per_file if is_seed_derived(f)]
files = sorted(set(per_file))
for f in files:
    want = expected(f)[0]
    assert per_file.count(f) == want, (f, per_file.count(f), want)
want_units = {}
for f in files:
    rows_, projects_, unit = expected(f)
    r, p = want_units.get(unit, (0, 0))
    want_units[unit] = (r + rows_, p + projects_)

con = duckdb.connect()
rows = con.execute(f"""
    select p.unit_name,
           count(distinct p.source_file || '#' || p.table_index)       as projects,
           round(sum(p.budget_total) filter (where i.row_index = 1), 2) as budget_wan,
           count(*)                                                    as indicators,
           round(avg(i.value_num) filter (where i.value_unit = '%'), 2) as avg_pct_target,
           sum(case when i.value_kind = 'qualitative' then 1 else 0 end) as qualitative
    from '{out}/projects.parquet' p
    join '{out}/indicators.parquet' i using (source_file, table_index)
    where not {NOT_SEEDS.replace("source_file", "p.source_file")}
    group by p.unit_name order by p.unit_name
""").fetchall()
print(rows)
got = {r[0]: (r[3], r[1]) for r in rows}
assert got == want_units, (got, want_units)
status = con.execute(f"""select status, count(*) from '{out}/documents.parquet' where not {NOT_SEEDS}
                         group by 1 order by 1""").fetchall()
# Every sample with records is ok; the unknown-layout variant (txt, docx, pdf in samples/) is
# unrecognized, its reason naming the headers it saw.
unknown = con.execute(f"""select count(*) from '{out}/documents.parquet'
                          where source_file like '%unknown-layout%'""").fetchone()[0]
assert status == [("ok", len(files))] + ([("unrecognized", unknown)] if unknown else []), status
named = con.execute(f"""select count(*) from '{out}/documents.parquet'
                        where status = 'unrecognized' and reason like '%考核维度 | 考核方向 | 考核指标%'""").fetchone()[0]
assert named == unknown, (named, unknown)
# The new columns read as a warehouse reads them: record kinds, forms, the unit hierarchy.
kinds = con.execute(f"select distinct record_kind from '{out}/projects.parquet' where not {NOT_SEEDS}").fetchall()
assert kinds == [("project",)], kinds
courts = dict(con.execute(f"""select unit_name, any_value(court_level) from '{out}/projects.parquet'
                               where not {NOT_SEEDS} group by 1""").fetchall())
assert courts == {"天津市河北区人民法院": "基层", "河北省承德市中级人民法院本级": "中级"}, courts
forms = con.execute(f"""select distinct unnest(forms) from '{out}/documents.parquet' where not {NOT_SEEDS}
                        order by 1""").fetchall()
assert forms == [("project-targets@2",)], forms
goals = con.execute(f"""select count(*) from '{out}/department_goals.parquet'
                        where indicator_kind = '满意度指标' and source_file like '%001_5c85cbf3a97b1726%'
                        and not {NOT_SEEDS}""").fetchone()
seed001 = sum(1 for f in files if f.split("/")[-1].startswith("001_"))
assert goals == (4 * seed001,), goals
print("interop ok")
