//! Spreadsheet input: merged regions as spans, percent formats read as shown, a formula without
//! a cached value left empty with a warning, zip bombs refused before calamine inflates them,
//! and a real published workbook (../shared/real/05) checked against an independent reader.

mod common;

use std::io::{Cursor, Write};

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::Status;

#[test]
fn formula_without_cached_value_is_empty_and_warned() {
    let bytes = common::read(&common::repo().join("tests/fixtures/xlsx/formula-no-cache.xlsx"));
    let e = extract("f.xlsx", &bytes, Grammars::builtin());
    assert_eq!(e.document.format, "xlsx");
    assert_eq!(e.projects.len(), 1);
    assert_eq!(e.projects[0].project_name.as_deref(), Some("测试项目"));
    let rows: Vec<_> =
        e.indicators.iter().map(|i| (i.level1.as_deref(), i.level3.as_deref(), i.value_raw.as_deref())).collect();
    // A3:A4 is merged: 产出指标 covers both rows. D4 holds 0.95 formatted 0%.
    assert_eq!(rows, [(Some("产出指标"), Some("合计人数"), None), (Some("产出指标"), Some("合格率"), Some("95%"))]);
    assert!(e.indicators[1].level1_filled);
    let w = &e.indicators[0].warnings;
    assert!(w.iter().any(|w| w.contains("formula =C5+C6 at D3 has no cached value")), "{w:?}");
    assert_eq!(e.indicators[0].value_kind, "empty");
}

#[test]
fn xlsx_zip_bomb_is_refused() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("xl/workbook.xml", opts).unwrap();
    w.write_all(b"<workbook/>").unwrap();
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    w.write_all(&vec![b' '; 300 << 20]).unwrap();
    let bomb = w.finish().unwrap().into_inner();
    let r = common::failed_reason("bomb.xlsx", &bomb);
    assert!(r.contains("zip bomb"), "{r}");
}

/// 湛江市人力资源和社会保障局 2024 部门整体预算绩效目标表, rows 17–37, as openpyxl reads them
/// (values and number formats; D22 is 1 formatted `0%`).
const ZHANJIANG_2024: &[(&str, &str, &str, &str)] = &[
    ("产出指标", "数量指标", "城乡居民基础养老金标准", "≥190元每人每月"),
    ("产出指标", "数量指标", "城镇新增就业人数（人）", "50000"),
    ("产出指标", "数量指标", "促进创业人数（人）", "3000"),
    ("产出指标", "数量指标", "支教人员每人每年完成课时", "≥200课时"),
    ("产出指标", "质量指标", "“三支一扶”人员服务期满考核合格率（%）", "≥90%"),
    ("产出指标", "质量指标", "补贴发放准确率", "100%"),
    ("产出指标", "时效指标", "“三支一扶”人员到岗及时率", "≥90%"),
    ("产出指标", "时效指标", "资金在规定时间内下达率", "≧95%"),
    ("产出指标", "成本指标", "", ""),
    ("效益指标", "经济效益指标", "解决就业困难人员就业人数（人）", "1500"),
    ("效益指标", "经济效益指标", "失业人员再就业人数（人）", "27000"),
    ("效益指标", "质量指标", "全市城乡居民养老保险覆盖面", "不低于上年度水平"),
    ("效益指标", "质量指标", "扶持创业企业（项目）个数", "350"),
    ("效益指标", "质量指标", "服务期满继续在基层就业人数比例", "≧35%"),
    ("效益指标", "质量指标", "基层服务覆盖范围", "湛江市基层"),
    ("效益指标", "生态效益指标", "", ""),
    ("效益指标", "可持续影响指标", "对保持就业局势总体稳定发挥的影响", "保持稳定"),
    ("满意度指标", "服务对象", "群众满意度", "≥75%"),
    ("满意度指标", "服务对象", "就业服务满意度", "≧90%"),
    ("满意度指标", "服务对象", "享受创业担保贷款对象满意度", "≧95%"),
    ("满意度指标", "服务对象", "服务单位对“三支一扶”人员满意度", "≥90%"),
];

#[test]
fn real_department_target_workbook() {
    let Some(real) = common::shared("real") else { return };
    let path = std::fs::read_dir(&real)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("05_"))
        .expect("05_* in ../shared/real");
    let e = extract("05.xlsx", &common::read(&path), Grammars::builtin());
    // The indicator grid is read; the department-level fields above it (基本信息, 预算整体情况,
    // 年度重点工作任务) have no record kind yet, so the document says it is partial.
    assert_eq!(e.document.status, Status::Partial, "{:?}", e.document.reason);
    let p = &e.projects[0];
    assert_eq!(p.unit_name.as_deref(), Some("湛江市人力资源和社会保障局"));
    assert_eq!(p.title.as_deref(), Some("2024年市级部门整体预算绩效目标表"));
    assert_eq!(p.fiscal_year, Some(2024));
    let got: Vec<(&str, &str, &str, &str)> = e
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_deref().unwrap_or(""),
                i.level2.as_deref().unwrap_or(""),
                i.level3.as_deref().unwrap_or(""),
                i.value_raw.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(got, ZHANJIANG_2024);
    // 质量指标 published under 效益指标: kept as published, warned.
    let misplaced = e.indicators.iter().filter(|i| i.warnings.iter().any(|w| w.contains("does not belong"))).count();
    assert_eq!(misplaced, 4);
    let pct = &e.indicators[5];
    assert_eq!((pct.value_num, pct.value_unit.as_deref()), (Some(100.0), Some("%")));
}
