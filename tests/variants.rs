//! The label variants of `samples/variants/` (scripts/make_variant_samples.py): seed 000's first
//! project spelled as other departments and years spell it, each as a text dump, a .docx and its
//! LibreOffice PDF. Every variant must give its base's records, in every format, with every
//! table cell accounted for; the 2021 form moves the cost row to a first-level 成本指标; an
//! unknown layout is `unrecognized`; the edge cases (two value columns, a blank header, a cell
//! equal to its header, a repeated label, notes in parentheses) and Tika's markup (text dumps
//! only) keep every cell where the issue says it goes.

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::{Extraction, Status};
use serde_json::{json, Value};

const FORMATS: [&str; 3] = ["txt", "docx", "pdf"];

fn variant(name: &str, format: &str) -> Extraction {
    let path = common::repo().join("samples/variants").join(format!("{name}.{format}"));
    extract(&format!("{name}.{format}"), &common::read(&path), Grammars::builtin())
}

/// The value cells of the base's nine indicator rows, as published (lines 34–82 of the dump).
const VALUES: [&str; 9] =
    ["≥217件", "≥50百分比", "100百分比", "49.7万元", "切实维护", "≥45百分比", "≥13百分比", "持续维护", "≥95百分比"];
/// The 指标值确定依据 cells of base-basis (written by the script, one per row).
const BASIS: [&str; 9] =
    ["历年结案数据", "历史标准", "计划标准", "预算批复", "行业标准", "历史标准", "历史标准", "行业标准", "满意度调查"];
const GOAL: &str = "1.弥补基层法院办案业务经费不足，提高法院建设管理水平，持续维护公平正义";

/// `ok` means exact: every non-whitespace character of the tables read is placed.
fn accounting(e: &Extraction) -> Result<(), String> {
    let d = &e.document;
    if d.status != Status::Ok {
        return Err(format!("status {:?}: {}", d.status, d.reason.as_deref().unwrap_or("-")));
    }
    if d.tables_read == 0 || d.table_chars == 0 {
        return Err(format!("ok, but tables_read {} and table_chars {}", d.tables_read, d.table_chars));
    }
    if d.table_chars != d.placed_chars {
        return Err(format!("ok, but {} of {} table characters placed", d.placed_chars, d.table_chars));
    }
    Ok(())
}

fn assert_exact(e: &Extraction, ctx: &str) {
    if let Err(why) = accounting(e) {
        panic!("{ctx}: {why}");
    }
}

/// The first record line where two `common::comparable` outputs differ.
fn first_diff(want: &[String], got: &[String]) -> Option<String> {
    let n = want.len().max(got.len());
    (0..n)
        .find(|&k| want.get(k) != got.get(k))
        .map(|k| format!("record {k}: want {:?}\n      got  {:?}", want.get(k), got.get(k)))
}

fn json_of(s: &Option<String>) -> Value {
    s.as_deref().map_or(Value::Null, |s| serde_json::from_str(s).unwrap())
}

/// Whether projects.headers_read says the label `text` was read as `read_as`.
fn read_as(e: &Extraction, text: &str, read_as: &str) -> bool {
    let text: String = text.split_whitespace().collect();
    e.projects.iter().any(|p| {
        json_of(&p.headers_read)
            .as_array()
            .is_some_and(|a| a.iter().any(|h| h["text"] == text.as_str() && h["read_as"] == read_as))
    })
}

/// The records with the projects' warnings left out (for edge cases that add one).
fn without_project_warnings(e: &Extraction) -> Vec<String> {
    let mut e = e.clone();
    for p in &mut e.projects {
        p.warnings.clear();
    }
    common::comparable(&e)
}

/// The base, checked by hand against the seed dump (lines 1–86 of 000_5439077655b7c2d3.txt).
#[test]
fn the_base_project_reads_the_same_in_every_format() {
    for format in FORMATS {
        let e = variant("base", format);
        assert_exact(&e, &format!("base.{format}"));
        let p = &e.projects[0];
        assert_eq!(
            (
                p.title.as_deref(),
                p.unit_code.as_deref(),
                p.project_name.as_deref(),
                p.budget_total.map(f64::from),
                p.budget_fiscal.map(f64::from)
            ),
            (Some("办案业务费绩效目标表"), Some("207101"), Some("办案业务费"), Some(49.7), Some(49.7)),
            "{format}"
        );
        assert_eq!(
            (p.budget_other.map(f64::from), p.purpose.as_deref()),
            (None, Some("用于弥补办案业务费不足")),
            "{format}"
        );
        assert_eq!(p.goal.as_deref(), Some(GOAL));
        assert_eq!(e.indicators.len(), 9, "{format}");
        let cost = &e.indicators[3];
        assert_eq!(
            (cost.level1.as_deref(), cost.level2.as_deref(), cost.level3.as_deref(), cost.value_raw.as_deref()),
            (Some("产出指标"), Some("成本指标"), Some("项目资金成本"), Some("49.7万元")),
            "{format}"
        );
        let values: Vec<&str> = e.indicators.iter().map(|i| i.value_raw.as_deref().unwrap_or("")).collect();
        assert_eq!(values, VALUES, "{format}");
        assert!(e
            .indicators
            .iter()
            .all(|i| i.description == i.level3 && i.basis.is_none() && i.extra_fields.is_none()));
        assert_eq!(p.extra_fields, None, "{format}");
        assert_eq!(common::comparable(&e), common::comparable(&variant("base", "txt")), "{format}");
    }
}

/// The basis variants' base: the base with a 指标值确定依据 column; nothing else changes.
#[test]
fn the_basis_base_reads_its_basis_column() {
    for format in FORMATS {
        let e = variant("base-basis", format);
        assert_exact(&e, &format!("base-basis.{format}"));
        let basis: Vec<&str> = e.indicators.iter().map(|i| i.basis.as_deref().unwrap_or("")).collect();
        assert_eq!(basis, BASIS, "{format}");
        let mut plain = e.clone();
        plain.indicators.iter_mut().for_each(|i| i.basis = None);
        assert_eq!(common::comparable(&plain), common::comparable(&variant("base", format)), "{format}");
    }
}

/// One label or grid header spelled as a department publishes it: (variant, the spelling, the
/// column its value or cells must go to). Every one must give its base's records exactly (the
/// basis-* variants: base-basis's), with the spelling in projects.headers_read.
const SPELLED: &[(&str, &str, &str)] = &[
    // project name (项目名称)
    ("name-colon", "项目名称：", "projects.project_name"),
    ("name-fullname", "项目名称（全称）", "projects.project_name"),
    ("name-special-project", "专项（项目）名称", "projects.project_name"),
    ("name-budget-project", "预算项目名称", "projects.project_name"),
    ("name-special-fund", "专项资金名称", "projects.project_name"),
    ("name-level2-project", "二级项目名称", "projects.project_name"),
    // budget total (预算数 49.70)
    ("total-annual", "年度预算数", "projects.budget_total_raw"),
    ("total-amount", "预算金额", "projects.budget_total_raw"),
    ("total-annual-funds", "年度资金总额", "projects.budget_total_raw"),
    ("total-project-amount-unit", "项目预算金额（万元）", "projects.budget_total_raw"),
    ("total-full-year-note", "全年预算数（A）", "projects.budget_total_raw"),
    ("total-annual-budget-funds", "年度预算资金总额：", "projects.budget_total_raw"),
    ("total-funds", "资金总额：", "projects.budget_total_raw"),
    ("total-this-year", "本年预算数", "projects.budget_total_raw"),
    ("total-current-year", "当年预算", "projects.budget_total_raw"),
    ("total-annual-request", "年度预算申请", "projects.budget_total_raw"),
    ("total-project-sum", "项目总额", "projects.budget_total_raw"),
    // fiscal part (其中：财政    资金 49.70)
    ("fiscal-appropriation-funds", "财政拨款资金", "projects.budget_fiscal_raw"),
    ("fiscal-general-public", "其中：一般公共预算", "projects.budget_fiscal_raw"),
    ("fiscal-whereof-appropriation", "其中：财政拨款", "projects.budget_fiscal_raw"),
    ("fiscal-appropriation-unit", "财政拨款（万元）", "projects.budget_fiscal_raw"),
    ("fiscal-this-year", "本年财政拨款", "projects.budget_fiscal_raw"),
    ("fiscal-nature", "财政性资金", "projects.budget_fiscal_raw"),
    // other part (其他资金, empty)
    ("other-self-raised", "自筹资金", "projects.budget_other_raw"),
    ("other-sources", "其他来源资金", "projects.budget_other_raw"),
    ("other-whereof", "其中：其他资金", "projects.budget_other_raw"),
    ("other-unit-self-raised", "单位自筹资金", "projects.budget_other_raw"),
    ("other-own", "自有资金", "projects.budget_other_raw"),
    // goal (绩效目标)
    ("goal-annual", "年度绩效目标", "projects.goal"),
    ("goal-overall", "年度总体目标", "projects.goal"),
    ("goal-project-annual", "项目年度目标", "projects.goal"),
    ("goal-parenthesized", "绩效目标（年度）", "projects.goal"),
    ("goal-year", "年度目标", "projects.goal"),
    ("goal-total", "总体目标", "projects.goal"),
    ("goal-expected", "年度预期目标", "projects.goal"),
    // grid levels
    ("level1-name", "一级指标名称", "indicators.level1"),
    ("level1-type", "指标类型", "indicators.level1"),
    ("level1-short", "一级", "indicators.level1"),
    ("level2-name", "二级指标名称", "indicators.level2"),
    ("level2-short", "二级", "indicators.level2"),
    ("level3-content", "指标内容", "indicators.level3"),
    ("level3-name", "指标名称", "indicators.level3"),
    ("level3-full", "三级指标名称", "indicators.level3"),
    // description (绩效指标描述)
    ("desc-explanation", "指标解释", "indicators.description"),
    ("desc-note", "指标说明", "indicators.description"),
    ("desc-optional", "绩效指标描述（选填）", "indicators.description"),
    ("desc-short", "指标描述", "indicators.description"),
    ("desc-performance-note", "绩效指标说明", "indicators.description"),
    ("desc-value-note", "指标值说明", "indicators.description"),
    // value (指标值)
    ("value-target", "目标值", "indicators.value_raw"),
    ("value-annual", "年度指标值", "indicators.value_raw"),
    ("value-annual-project", "年度(/项目)指标值", "indicators.value_raw"),
    ("value-year-note", "指标值（2023年）", "indicators.value_raw"),
    ("value-this-year", "本年绩效指标值", "indicators.value_raw"),
    ("value-annual-target", "年度目标值", "indicators.value_raw"),
    ("value-performance", "绩效指标值", "indicators.value_raw"),
    ("value-expected-target", "预期目标值", "indicators.value_raw"),
    ("value-year-prefix", "2023年指标值", "indicators.value_raw"),
    // basis (指标值确定依据, on base-basis)
    ("basis-target", "目标值确定依据", "indicators.basis"),
    ("basis-set", "指标值设定依据", "indicators.basis"),
    ("basis-and-note", "确定依据及说明", "indicators.basis"),
    ("basis-set-short", "设定依据", "indicators.basis"),
    ("basis-optional", "指标值确定依据（选填）", "indicators.basis"),
    ("basis-indicator-set", "指标设定依据", "indicators.basis"),
    ("basis-and-source", "指标值设定依据及数据来源", "indicators.basis"),
];

/// Every spelling, in every format: the base's records exactly (fields, indicators, warnings,
/// extra fields), status ok with every cell placed, the spelling read as its column. All
/// failures are listed at once.
#[test]
fn every_label_variant_gives_the_base_records() {
    let mut failures = Vec::new();
    for format in FORMATS {
        let bases = [("base", variant("base", format)), ("base-basis", variant("base-basis", format))];
        for &(name, spelling, column) in SPELLED {
            let base = if name.starts_with("basis-") { &bases[1].1 } else { &bases[0].1 };
            let e = variant(name, format);
            let ctx = format!("{name}.{format} ({spelling} → {column})");
            if let Err(why) = accounting(&e) {
                failures.push(format!("{ctx}: {why}"));
            }
            if let Some(diff) = first_diff(&common::comparable(base), &common::comparable(&e)) {
                failures.push(format!("{ctx}: {diff}"));
                continue;
            }
            if e.document.forms != ["project-targets@2"] {
                failures.push(format!("{ctx}: forms {:?}", e.document.forms));
            }
            let extra = |x: &Extraction| -> Vec<Option<String>> {
                x.projects
                    .iter()
                    .map(|p| p.extra_fields.clone())
                    .chain(x.indicators.iter().map(|i| i.extra_fields.clone()))
                    .collect()
            };
            if extra(&e) != extra(base) {
                failures.push(format!("{ctx}: extra_fields {:?}", extra(&e).into_iter().flatten().collect::<Vec<_>>()));
            }
            if !read_as(&e, spelling, column) {
                let read: Vec<_> = e.projects.iter().map(|p| p.headers_read.clone()).collect();
                failures.push(format!("{ctx}: headers_read does not say so: {read:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The 2021 form: 成本指标 is a first-level indicator with 经济成本指标 under it — read as
/// published, with no taxonomy warning; every other row as the base.
#[test]
fn cost_as_a_first_level_indicator() {
    for format in FORMATS {
        let base = variant("base", format);
        let e = variant("cost-first-level", format);
        assert_exact(&e, &format!("cost-first-level.{format}"));
        assert_eq!(e.indicators.len(), 9);
        for (k, (a, b)) in e.indicators.iter().zip(&base.indicators).enumerate() {
            if k == 3 {
                assert_eq!((a.level1.as_deref(), a.level1_filled), (Some("成本指标"), false), "{format}");
                assert_eq!(a.level2.as_deref(), Some("经济成本指标"), "{format}");
                assert_eq!(
                    (a.level3.as_deref(), a.value_num.map(f64::from)),
                    (Some("项目资金成本"), Some(49.7)),
                    "{format}"
                );
                assert!(a.warnings.iter().all(|w| !w.contains("does not belong")), "{format}: {:?}", a.warnings);
            } else {
                assert_eq!(
                    (&a.level1, &a.level2, &a.level3, &a.value_raw),
                    (&b.level1, &b.level2, &b.level3, &b.value_raw)
                );
            }
        }
    }
}

#[test]
fn an_unknown_layout_is_unrecognized_with_the_headers_it_saw() {
    for format in FORMATS {
        let e = variant("unknown-layout", format);
        assert_eq!(e.document.status, Status::Unrecognized, "{format}: {:?}", e.document.reason);
        assert!(e.projects.is_empty() && e.indicators.is_empty());
        let reason = e.document.reason.unwrap();
        assert!(reason.contains("考核维度 | 考核方向 | 考核指标 | 考核说明 | 目标数值"), "{format}: {reason}");
        assert!(reason.contains("grammars/vocabulary.toml"), "{reason}");
    }
}

// ---------------------------------------------------------------- edge cases, every format

/// 指标值 | 年度指标值, the second holding 年度：<value>: the first is value_raw, the second's cells
/// go to extra_fields under 年度指标值, and a warning names both headers.
#[test]
fn two_value_columns_keep_the_second_in_extra_fields() {
    for format in FORMATS {
        let ctx = format!("collision-value-columns.{format}");
        let e = variant("collision-value-columns", format);
        assert_exact(&e, &ctx);
        assert_eq!(e.indicators.len(), 9, "{ctx}");
        for (i, value) in e.indicators.iter().zip(VALUES) {
            assert_eq!(i.value_raw.as_deref(), Some(value), "{ctx}");
            assert_eq!(json_of(&i.extra_fields), json!({ "年度指标值": format!("年度：{value}") }), "{ctx}");
        }
        let warnings = &e.projects[0].warnings;
        assert!(
            warnings.iter().any(|w| w.contains("年度指标值") && w.replace("年度指标值", "").contains("指标值")),
            "{ctx}: {warnings:?}"
        );
        assert_eq!(without_project_warnings(&e), without_project_warnings(&variant("base", format)), "{ctx}");
    }
}

/// 一级指标 | 二级指标 | 三级指标 | 指标内容 | 指标值: beside 三级指标, 指标内容 is the description.
#[test]
fn level3_beside_content_reads_content_as_the_description() {
    for format in FORMATS {
        let ctx = format!("level3-and-content.{format}");
        let e = variant("level3-and-content", format);
        assert_exact(&e, &ctx);
        assert_eq!(e.indicators.len(), 9, "{ctx}");
        for i in &e.indicators {
            assert!(i.description.is_some() && i.description == i.level3, "{ctx}: {:?} {:?}", i.level3, i.description);
            assert_eq!(i.extra_fields, None, "{ctx}");
        }
        assert!(read_as(&e, "指标内容", "indicators.description"), "{ctx}: {:?}", e.projects[0].headers_read);
        assert_eq!(without_project_warnings(&e), without_project_warnings(&variant("base", format)), "{ctx}");
    }
}

/// A sixth column whose header cell is blank: its cells are kept under 第6列.
#[test]
fn a_blank_header_column_is_kept_by_its_number() {
    let cells = [
        "审判管理系统",
        "信访台账",
        "财务系统",
        "财务系统",
        "统计报表",
        "审判管理系统",
        "审判管理系统",
        "统计报表",
        "问卷调查",
    ];
    for format in FORMATS {
        let ctx = format!("blank-header-column.{format}");
        let e = variant("blank-header-column", format);
        assert_exact(&e, &ctx);
        assert_eq!(e.indicators.len(), 9, "{ctx}");
        for (i, cell) in e.indicators.iter().zip(cells) {
            assert_eq!(json_of(&i.extra_fields), json!({ "第6列": cell }), "{ctx}");
        }
        assert_eq!(without_project_warnings(&e), without_project_warnings(&variant("base", format)), "{ctx}");
    }
}

/// A 备注 column whose first cell reads 备注 (its header's text) and whose last reads 问卷调查:
/// both kept in extra_fields, the empty ones give nothing.
#[test]
fn a_cell_equal_to_its_header_is_kept() {
    for format in FORMATS {
        let ctx = format!("cell-equals-header.{format}");
        let e = variant("cell-equals-header", format);
        assert_exact(&e, &ctx);
        assert_eq!(e.indicators.len(), 9, "{ctx}");
        for (k, i) in e.indicators.iter().enumerate() {
            let want = match k {
                0 => json!({"备注": "备注"}),
                8 => json!({"备注": "问卷调查"}),
                _ => Value::Null,
            };
            assert_eq!(json_of(&i.extra_fields), want, "{ctx}: row {k}");
        }
        assert_eq!(without_project_warnings(&e), without_project_warnings(&variant("base", format)), "{ctx}");
    }
}

/// 预算数 49.70, then a row 全年预算数 60.00: the first stays, the second is kept under its label
/// with a warning.
#[test]
fn a_repeated_label_keeps_the_first_value_and_the_second_in_extra_fields() {
    for format in FORMATS {
        let ctx = format!("repeated-label.{format}");
        let e = variant("repeated-label", format);
        assert_exact(&e, &ctx);
        let p = &e.projects[0];
        assert_eq!(
            (p.budget_total.map(f64::from), p.budget_total_raw.as_deref()),
            (Some(49.7), Some("49.70")),
            "{ctx}"
        );
        assert_eq!(json_of(&p.extra_fields), json!({"全年预算数": "60.00"}), "{ctx}");
        assert!(p.warnings.iter().any(|w| w.contains("全年预算数")), "{ctx}: {:?}", p.warnings);
        assert_eq!(without_project_warnings(&e), without_project_warnings(&variant("base", format)), "{ctx}");
    }
}

/// … and when the second value is empty, nothing changes at all.
#[test]
fn a_repeated_label_with_an_empty_value_changes_nothing() {
    for format in FORMATS {
        let ctx = format!("repeated-label-empty.{format}");
        let e = variant("repeated-label-empty", format);
        assert_exact(&e, &ctx);
        let base = variant("base", format);
        assert_eq!(e.projects[0].extra_fields, base.projects[0].extra_fields, "{ctx}");
        assert_eq!(e.projects[0].budget_total_raw.as_deref(), Some("49.70"), "{ctx}");
        assert_eq!(common::comparable(&e), common::comparable(&base), "{ctx}");
    }
}

/// 指标值（2023年） and 项目名称（全称）: the plain fields, nothing else (no fiscal year either:
/// only 2023年度 is year evidence).
#[test]
fn notes_in_parentheses_read_as_the_plain_fields() {
    for format in FORMATS {
        let ctx = format!("notes-in-parentheses.{format}");
        let e = variant("notes-in-parentheses", format);
        assert_exact(&e, &ctx);
        assert!(read_as(&e, "指标值（2023年）", "indicators.value_raw"), "{ctx}: {:?}", e.projects[0].headers_read);
        assert!(read_as(&e, "项目名称（全称）", "projects.project_name"), "{ctx}: {:?}", e.projects[0].headers_read);
        assert_eq!(common::comparable(&e), common::comparable(&variant("base", format)), "{ctx}");
    }
}

// ---------------------------------------------------------------- Tika markup (text dumps)

const TIKA: [&str; 7] = [
    "tika-footnote",
    "tika-image",
    "tika-page-lines",
    "tika-nested-table",
    "tika-nested-table-after-text",
    "tika-bookmarks",
    "tika-cell-tab",
];

/// Their .docx and PDF carry no markup: they are the base.
#[test]
fn tika_variants_docx_and_pdf_are_the_base() {
    for format in ["docx", "pdf"] {
        let base = common::comparable(&variant("base", format));
        for name in TIKA {
            let e = variant(name, format);
            assert_exact(&e, &format!("{name}.{format}"));
            assert_eq!(common::comparable(&e), base, "{name}.{format}");
        }
    }
}

fn tika(name: &str) -> (Extraction, Extraction) {
    let e = variant(name, "txt");
    assert_exact(&e, &format!("{name}.txt"));
    (e, variant("base", "txt"))
}

/// `≥95百分比[footnoteRef:1]` and, at the end, `[1: 注：满意度按问卷调查结果计算。]`: the marker
/// leaves the value (which parses), the footnote stays with its row.
#[test]
fn tika_footnotes_leave_the_value_and_stay_with_the_row() {
    let (e, base) = tika("tika-footnote");
    let last = &e.indicators[8];
    assert_eq!((last.value_raw.as_deref(), last.value_num.map(f64::from)), (Some("≥95百分比"), Some(95.0)));
    assert!(
        last.warnings.iter().any(|w| w.contains("footnote 1: 注：满意度按问卷调查结果计算。")),
        "{:?}",
        last.warnings
    );
    assert_eq!(common::comparable(&e), common::comparable(&base));
}

/// `[image: ]` as a paragraph, as a cell's second paragraph and inline after the goal: not data.
#[test]
fn tika_image_markers_are_not_data() {
    let (e, base) = tika("tika-image");
    assert_eq!(e.projects[0].unit_raw, base.projects[0].unit_raw);
    assert_eq!(e.projects[0].amount_unit_raw, base.projects[0].amount_unit_raw);
    assert_eq!(e.projects[0].goal.as_deref(), Some(GOAL));
    assert_eq!(common::comparable(&e), common::comparable(&base));
}

/// `第 1 页 共 2 页`, `- 1 -` before the heading, between the tables and between two indicator
/// rows: not data, and the rows around them are whole.
#[test]
fn tika_page_header_and_footer_lines_are_not_data() {
    let (e, base) = tika("tika-page-lines");
    assert_eq!(e.indicators[3].value_raw.as_deref(), Some("49.7万元"));
    assert_eq!(e.indicators[4].level1.as_deref(), Some("效益指标"));
    assert_eq!(common::comparable(&e), common::comparable(&base));
}

/// A table of two one-cell rows is the whole goal cell: the line after the 绩效目标 label is
/// `\t\t1.…` (the goal cell's TAB, then the nested cell's), the next `\t\t2.…`. The goal is
/// their lines; the label stays a label.
#[test]
fn tika_nested_table_is_its_cells_text() {
    nested("tika-nested-table", "1.弥补基层法院办案业务经费不足\n2.提高法院建设管理水平，持续维护公平正义");
}

/// The same table after a line of the goal cell's own (`\t目标如下：`).
#[test]
fn tika_nested_table_after_the_cells_own_text() {
    nested(
        "tika-nested-table-after-text",
        "目标如下：\n1.弥补基层法院办案业务经费不足\n2.提高法院建设管理水平，持续维护公平正义",
    );
}

fn nested(name: &str, goal: &str) {
    let (mut e, mut base) = tika(name);
    assert_eq!(e.projects[0].goal.as_deref(), Some(goal));
    e.projects[0].goal = None;
    base.projects[0].goal = None;
    assert_eq!(common::comparable(&e), common::comparable(&base));
}

/// Piled `[bookmark: …]` before the heading and after the TAB of two cells: not text.
#[test]
fn tika_piled_bookmarks_are_not_text() {
    let (e, base) = tika("tika-bookmarks");
    assert_eq!(e.projects[0].title.as_deref(), Some("办案业务费绩效目标表"));
    assert_eq!(common::comparable(&e), common::comparable(&base));
}

/// A TAB inside a cell's text (after the leading TAB) is the cell's text, not a new cell.
#[test]
fn tika_tab_inside_a_cell_stays_text() {
    let (e, base) = tika("tika-cell-tab");
    assert_eq!(e.projects[0].purpose.as_deref(), Some("用于弥补\t办案业务费不足"));
    assert_eq!(e.indicators[0].description.as_deref(), Some("法官人均\t结案数量"));
    assert_eq!(e.indicators[0].level3.as_deref(), Some("法官人均结案数量"));
    assert_eq!(common::comparable(&e), common::comparable(&base));
}
