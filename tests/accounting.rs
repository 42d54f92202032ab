//! Every cell accounted for. Over every sample, fixture and real file: a document that is `ok`
//! placed every character of the tables its records come from, and every non-empty cell of
//! those tables says what it fed (`cells.used_as`). As a property: a project table with random
//! extra columns (unknown or blank headers), repeated labels and random cell texts never loses
//! a cell silently — each one is placed, or quoted in a warning and the document is `partial`.

mod common;

use std::path::{Path, PathBuf};

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::{Extraction, Status};
use proptest::prelude::*;

/// The accounting holds for one document: ok ⇒ everything placed, and a cell nothing took is
/// never silent (the document is then not ok and its warnings quote the cell).
fn check(name: &str, e: &Extraction) {
    let d = &e.document;
    if d.status == Status::Ok {
        assert_eq!(d.table_chars, d.placed_chars, "{name}: ok but text left unplaced");
        for c in &e.cells {
            let read = e.cells.iter().any(|o| o.table_index == c.table_index && o.used_as.is_some());
            if read && !c.continued && !c.text.trim().is_empty() {
                assert!(
                    c.used_as.as_deref().is_some_and(|u| u != "warning"),
                    "{name}: ok but {} ({}) fed nothing",
                    c.text,
                    c.location
                );
            }
        }
    }
    for c in e.cells.iter().filter(|c| c.used_as.is_none() && !c.continued && !c.text.trim().is_empty()) {
        let read = e.cells.iter().any(|o| o.table_index == c.table_index && o.used_as.is_some());
        if read {
            assert_ne!(d.status, Status::Ok, "{name}: {} fed nothing", c.text);
            let start: String = c.text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(20).collect();
            assert!(d.warnings.iter().any(|w| w.contains(&start)), "{name}: {start} is not in the warnings");
        }
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.map(|e| e.unwrap().path()) {
        if e.is_dir() {
            files(&e, out);
        } else {
            out.push(e);
        }
    }
}

#[test]
fn every_sample_fixture_and_real_file_accounts_for_its_cells() {
    let g = Grammars::builtin();
    let mut all = Vec::new();
    files(&common::repo().join("samples"), &mut all);
    files(&common::repo().join("tests/fixtures"), &mut all);
    if let Some(real) = common::shared("real") {
        files(&real, &mut all);
    }
    let mut ok = 0;
    for path in all.iter().filter(|p| !p.to_string_lossy().ends_with(".md")) {
        let name = path.display().to_string();
        let e = extract(&name, &common::read(path), g);
        ok += usize::from(e.document.status == Status::Ok);
        check(&name, &e);
    }
    assert!(ok > 100, "the samples are read ({ok} ok)");
}

/// A Word document holding one table: each row a list of cell texts.
fn docx(rows: &[Vec<String>]) -> Vec<u8> {
    let rows: Vec<Vec<(&str, u32, Option<bool>)>> =
        rows.iter().map(|r| r.iter().map(|c| (c.as_str(), 1, None)).collect()).collect();
    common::docx_table("1.办案业务费绩效目标表", &rows)
}

#[derive(Debug, Clone)]
struct Table {
    /// (header, whether it is blank) of the extra columns, and where each is put.
    extra: Vec<(String, usize)>,
    /// Cell texts of the indicator rows' extra cells.
    extra_cells: Vec<String>,
    /// A second budget label row: (label, value).
    repeat: Option<(String, String)>,
    values: Vec<String>,
}

fn table() -> impl Strategy<Value = Table> {
    let header =
        prop_oneof![Just(String::new()), Just("备注".to_string()), Just("评价标准".to_string()), "[甲乙丙]{2}说明书"];
    (
        prop::collection::vec((header, 0usize..7), 0..3),
        prop::collection::vec("[0-9A-Za-z一二三四五六七八九十]{0,6}", 12),
        prop::option::of((
            prop_oneof![Just("预算数"), Just("全年预算数"), Just("预算金额")],
            "([0-9]{1,3}\\.[0-9]{2})?",
        )),
        prop::collection::vec("[0-9]{1,3}(件|%|人次)", 4),
    )
        .prop_map(|(extra, extra_cells, repeat, values)| Table {
            extra,
            extra_cells,
            repeat: repeat.map(|(l, v)| (l.to_string(), v)),
            values,
        })
}

/// The project table with the generated changes, and the text of every cell of it.
fn build(t: &Table) -> Vec<Vec<String>> {
    let s = |x: &str| x.to_string();
    let mut rows = vec![
        vec![s("207101天津市河北区人民法院"), s("单位：万元")],
        vec![s("项目名称"), s("办案业务费")],
        vec![s("预算数"), s("49.70"), s("其中：财政资金"), s("49.70")],
    ];
    if let Some((label, value)) = &t.repeat {
        rows.push(vec![label.clone(), value.clone()]);
    }
    rows.push(vec![s("绩效目标"), s("弥补办案业务经费不足")]);
    let mut header = vec![s("一级指标"), s("二级指标"), s("三级指标"), s("指标值")];
    let levels = [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ];
    let mut grid: Vec<Vec<String>> = levels
        .iter()
        .zip(&t.values)
        .enumerate()
        .map(|(k, ((l1, l2), v))| vec![s(l1), s(l2), format!("指标{k}"), v.clone()])
        .collect();
    for (n, (name, at)) in t.extra.iter().enumerate() {
        let at = (*at).min(header.len());
        header.insert(at, name.clone());
        for (r, row) in grid.iter_mut().enumerate() {
            row.insert(at, t.extra_cells[(n * 4 + r) % t.extra_cells.len()].clone());
        }
    }
    rows.push(header);
    rows.extend(grid);
    rows
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn no_cell_is_lost_whatever_the_extra_columns_and_repeated_labels(t in table()) {
        let rows = build(&t);
        let e = extract("p.docx", &docx(&rows), Grammars::builtin());
        check("p.docx", &e);
        prop_assert_eq!(e.indicators.len(), 4, "{:?}", e.document.reason);
        // Every cell text of the table is in the output: a field, extra_fields, a warning, or
        // a label or header that named one (cells.used_as).
        for c in e.cells.iter().filter(|c| !c.text.trim().is_empty()) {
            prop_assert!(c.used_as.is_some(), "{} ({}) fed nothing", c.text, c.location);
        }
        // The first budget is kept; a second, different one is kept beside it, never over it.
        prop_assert_eq!(e.projects[0].budget_total.map(f64::from), Some(49.7));
        if let Some((label, value)) = &t.repeat {
            if !value.is_empty() && value != "49.70" {
                let extra = e.projects[0].extra_fields.clone().unwrap_or_default();
                prop_assert!(extra.contains(value.as_str()), "{} {} not kept: {}", label, value, extra);
            }
        }
    }
}
