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
    let Some(path) = common::real_file("05_") else { return };
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

/// 渝中区 2021 项目支出绩效自评表 (../shared/real/08): comparator and unit in columns of their
/// own, weights and achieved values beside the targets, 评价标准 kept as an unknown column.
/// Expected values as openpyxl reads rows 11–26 (G21 is 0.88 formatted `0%`).
#[test]
fn real_self_evaluation_workbook() {
    let Some(path) = common::real_file("08_") else { return };
    let e = extract("08.xlsx", &common::read(&path), Grammars::builtin());
    // 项目预算执行情况 and 当年绩效目标 (target vs achieved) have no record columns yet.
    assert_eq!(e.document.status, Status::Partial, "{:?}", e.document.reason);
    let p = &e.projects[0];
    assert_eq!(p.project_name.as_deref(), Some("就业补助资金"));
    assert_eq!(p.unit_name.as_deref(), Some("渝中区就业和人才中心"));
    assert_eq!(p.fiscal_year, Some(2021));
    let extra: serde_json::Value = serde_json::from_str(p.extra_fields.as_deref().unwrap()).unwrap();
    assert_eq!(extra["项目主管部门"], "渝中区人力资源和社会保障局");
    assert!(extra["备注"].as_str().unwrap().starts_with("备注："));

    assert_eq!(e.indicators.len(), 16, "rows 11–26; 合计/说明/备注 end the grid");
    let row = |k: usize| {
        let i = &e.indicators[k];
        (
            i.level3.as_deref(),
            i.value_op.as_deref(),
            i.value_num,
            i.value_unit.as_deref(),
            i.weight,
            i.actual_raw.as_deref(),
            i.actual_num,
        )
    };
    assert_eq!(
        row(0),
        (Some("新增区级创业孵化基地\n数量"), Some(">="), Some(1.0), Some("个"), Some(15.0), Some("3"), Some(3.0))
    );
    assert_eq!(
        row(6),
        (Some("城镇新增就业人数"), Some(">="), Some(39500.0), Some("人"), Some(5.0), Some("49358"), Some(49358.0))
    );
    assert_eq!(
        row(7),
        (Some("零就业家庭帮扶率"), Some("="), Some(100.0), Some("%"), Some(5.0), Some("100"), Some(100.0))
    );
    assert_eq!(row(10), (Some("预算执行率"), Some(">="), Some(90.0), Some("%"), Some(8.0), Some("88%"), Some(88.0)));
    // 指标性质 and 计量单位 "无": a qualitative target.
    assert_eq!(row(11), (Some("资金使用合规性"), None, None, None, Some(10.0), Some("合规"), None));
    assert_eq!(e.indicators[11].value_raw.as_deref(), Some("合规"));
    assert_eq!(e.indicators[11].value_op_raw.as_deref(), Some("无"));
    let criteria: serde_json::Value = serde_json::from_str(e.indicators[1].extra_fields.as_deref().unwrap()).unwrap();
    assert_eq!(criteria["评价标准"], "达到目标得满分，未达到按完成比例得分或不得分");
    let weights: f64 = e.indicators.iter().filter_map(|i| i.weight).sum();
    assert_eq!(weights, 100.0, "15 + 8×5 + 15 + 8 + 10 + 2 + 6 + 2 + 2");
}
