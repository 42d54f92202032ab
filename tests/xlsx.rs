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
    // template row, no indicator (documents.placeholder_rows): ("产出指标", "成本指标", "", ""),
    ("效益指标", "经济效益指标", "解决就业困难人员就业人数（人）", "1500"),
    ("效益指标", "经济效益指标", "失业人员再就业人数（人）", "27000"),
    ("效益指标", "质量指标", "全市城乡居民养老保险覆盖面", "不低于上年度水平"),
    ("效益指标", "质量指标", "扶持创业企业（项目）个数", "350"),
    ("效益指标", "质量指标", "服务期满继续在基层就业人数比例", "≧35%"),
    ("效益指标", "质量指标", "基层服务覆盖范围", "湛江市基层"),
    // template row, no indicator (documents.placeholder_rows): ("效益指标", "生态效益指标", "", ""),
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
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.document.forms, ["department-targets@2"]);
    let p = &e.projects[0];
    // One department-level record: the department is the unit, there is no project.
    assert_eq!(
        (p.record_kind, p.form.as_deref(), p.project_name.as_deref()),
        ("department", Some("department-targets"), None)
    );
    assert_eq!(p.unit_name.as_deref(), Some("湛江市人力资源和社会保障局"));
    assert_eq!(
        (p.origin.province.as_deref(), p.origin.prefecture.as_deref(), p.origin.org_kind.as_deref()),
        (Some("广东省"), Some("湛江市"), Some("人力资源和社会保障"))
    );
    assert_eq!(p.title.as_deref(), Some("2024年市级部门整体预算绩效目标表"));
    assert_eq!((p.fiscal_year, p.fiscal_year_source), (Some(2024), Some("title")));
    // 预算整体情况, C5:E6: 基本支出 10891.615675 under #,##0.00 (shown 10,891.62) | 财政拨款
    // 72807.384975 (E5 is =C5+C6, its cached value) under `0.00_ ` (shown 72807.38), 项目支出
    // 61915.7693 under `0.00_ ` (shown 61915.77) | 其他资金 0; amounts in 万元 by the 预算金额（万元）
    // header. Values and formats read with openpyxl; the records hold what the sheet shows.
    assert_eq!(p.budget_fiscal_raw.as_deref(), Some("72807.38"));
    assert_eq!(
        (p.budget_fiscal.map(f64::from), p.budget_other.map(f64::from), p.budget_total.map(f64::from)),
        (Some(72807.38), Some(0.0), None)
    );
    assert_eq!(p.amount_unit_raw.as_deref(), Some("万元"));
    assert!(p.goal.as_deref().unwrap().starts_with("目标1：城乡居民基本养老保险参保人数达到计划指标"));
    let extra: serde_json::Value = serde_json::from_str(p.extra_fields.as_deref().unwrap()).unwrap();
    assert_eq!((extra["财政供养人员数"].as_str(), extra["下属二级单位数"].as_str()), (Some("737"), Some("10")));
    assert_eq!(
        extra["预算整体情况"][0],
        "部门预算支出：基本支出；预算金额（万元）：10,891.62；收入来源：财政拨款；预算金额（万元）：72807.38"
    );
    let tasks = extra["年度重点工作任务"].as_array().unwrap();
    assert_eq!(tasks.len(), 3, "B12:E14");
    assert!(tasks[1].as_str().unwrap().starts_with("名称：“三支一扶”高校毕业生社会保险缺口资金及生活补贴；"));
    assert!(tasks[1].as_str().unwrap().contains("；拟投入的资金（万元）：587.81；"));
    assert!(e.indicators.iter().all(|i| i.record_kind == "department"));
    assert_eq!(levels_and_values(&e), ZHANJIANG_2024);
    assert_eq!(e.document.placeholder_rows, 2, "成本指标, 生态效益指标 with nothing beside them");
    // 质量指标 published under 效益指标: kept as published, warned.
    let misplaced = e.indicators.iter().filter(|i| i.warnings.iter().any(|w| w.contains("does not belong"))).count();
    assert_eq!(misplaced, 4);
    let pct = &e.indicators[5];
    assert_eq!((pct.value_num.map(f64::from), pct.value_unit.as_deref()), (Some(100.0), Some("%")));
}

/// 渝中区 2021 项目支出绩效自评表 (../shared/real/08): comparator and unit in columns of their
/// own, weights and achieved values beside the targets, 评价标准 kept as an unknown column.
/// Expected values as openpyxl reads rows 11–26 (G21 is 0.88 formatted `0%`).
#[test]
fn real_self_evaluation_workbook() {
    let Some(path) = common::real_file("08_") else { return };
    let e = extract("08.xlsx", &common::read(&path), Grammars::builtin());
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    let p = &e.projects[0];
    assert_eq!((p.record_kind, p.form.as_deref()), ("self_evaluation", Some("self-evaluation")));
    assert_eq!(p.title.as_deref(), Some("2021年度项目支出绩效自评表"));
    assert_eq!(p.project_name.as_deref(), Some("就业补助资金"));
    assert_eq!(p.unit_name.as_deref(), Some("渝中区就业和人才中心"));
    // A district alone names no province: none is guessed.
    assert_eq!((p.origin.province.as_deref(), p.origin.county.as_deref()), (None, Some("渝中区")));
    assert_eq!(p.fiscal_year, Some(2021));
    // 项目预算执行情况（万元）: 全年预算数（A） 7574 beside 全年执行数（B） 6643 (B5, G5); 当年绩效目标:
    // 全年绩效目标 beside 全年目标实际完成情况 (B7, H7).
    assert_eq!((p.budget_total.map(f64::from), p.amount_unit_raw.as_deref()), (Some(7574.0), Some("万元")));
    assert_eq!(p.goal.as_deref(), Some("城镇新增就业人数39500人，零就业家庭帮扶率100%"));
    let extra: serde_json::Value = serde_json::from_str(p.extra_fields.as_deref().unwrap()).unwrap();
    assert_eq!(extra["全年执行数"], "6643");
    assert_eq!(extra["全年目标实际完成情况"], "城镇新增就业人数49358人，零就业家庭帮扶率100%");
    assert_eq!(extra["项目主管部门"], "渝中区人力资源和社会保障局");
    assert!(extra["备注"].as_str().unwrap().starts_with("备注："));

    assert_eq!(e.indicators.len(), 16, "rows 11–26; 合计/说明/备注 end the grid");
    let row = |k: usize| {
        let i = &e.indicators[k];
        (
            i.level3.as_deref(),
            i.value_op.as_deref(),
            i.value_num.map(f64::from),
            i.value_unit.as_deref(),
            i.weight.map(f64::from),
            i.actual_raw.as_deref(),
            i.actual_num.map(f64::from),
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
    let weights: f64 = e.indicators.iter().filter_map(|i| i.weight.map(f64::from)).sum();
    assert_eq!(weights, 100.0, "15 + 8×5 + 15 + 8 + 10 + 2 + 6 + 2 + 2");
}

/// 湛江市人力资源和社会保障局 2023 部门整体预算绩效目标表 (../shared/real/06), rows 18–39 as
/// openpyxl reads them (E24 is 1 formatted `0%`; rows 28, 34 and 36 are blank under merged
/// level-2 cells and give no record).
const ZHANJIANG_2023: &[(&str, &str, &str, &str)] = &[
    ("产出指标", "数量指标", "城乡居民基础养老金标准", "≥200元每人每月"),
    ("产出指标", "数量指标", "发放创业担保贷款金额", "5000万元"),
    ("产出指标", "数量指标", "城镇新增就业人数（万人）", "根据下达任务目标要求确定"),
    ("产出指标", "数量指标", "促进创业人数（人）", "根据下达任务目标要求确定"),
    ("产出指标", "质量指标", "创业担保贷款还款率", "≧90%"),
    ("产出指标", "质量指标", "补贴发放准确率", "≧98%"),
    ("产出指标", "时效指标", "资金在规定时间内下达率", "100%"),
    ("产出指标", "时效指标", "资金支付规范性", "合规"),
    ("产出指标", "时效指标", "实际资金支出率", "≧95%"),
    // template row, no indicator (documents.placeholder_rows): ("产出指标", "成本指标", "", ""),
    ("效益指标", "经济效益指标", "就业困难人员就业人数", "根据下达任务目标要求确定"),
    ("效益指标", "经济效益指标", "失业人员再就业人数", "根据下达任务目标要求确定"),
    ("效益指标", "社会效益指标", "全市城乡居民养老保险覆盖面", "不低于上年度水平"),
    ("效益指标", "社会效益指标", "扶持创业企业（项目）数", "650"),
    // template row, no indicator (documents.placeholder_rows): ("效益指标", "生态效益指标", "", ""),
    // template row, no indicator (documents.placeholder_rows): ("效益指标", "可持续影响指标", "", ""),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥75%"),
    ("满意度指标", "服务对象满意度指标", "享受创业担保贷款对象满意度", "≧95%"),
    ("满意度指标", "服务对象满意度指标", "公共服务满意度", "≧95%"),
];

fn levels_and_values(e: &budget_extract::records::Extraction) -> Vec<(&str, &str, &str, &str)> {
    e.indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_deref().unwrap_or(""),
                i.level2.as_deref().unwrap_or(""),
                i.level3.as_deref().unwrap_or(""),
                i.value_raw.as_deref().unwrap_or(""),
            )
        })
        .collect()
}

#[test]
fn real_department_target_workbook_of_the_year_before() {
    let Some(path) = common::real_file("06_") else { return };
    let e = extract("06.xlsx", &common::read(&path), Grammars::builtin());
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    let p = &e.projects[0];
    assert_eq!((p.record_kind, p.fiscal_year), ("department", Some(2023)));
    // E5 is =SUM(C5:C6): its cached value 82800.92000000001 under General, which Excel shows as
    // 82800.92 (openpyxl); never the formula, never the float's noise.
    assert_eq!(p.budget_fiscal_raw.as_deref(), Some("82800.92"));
    assert_eq!((p.budget_fiscal.map(f64::from), p.budget_other.map(f64::from)), (Some(82800.92), Some(0.0)));
    let extra: serde_json::Value = serde_json::from_str(p.extra_fields.as_deref().unwrap()).unwrap();
    assert_eq!(extra["财政供养人员数"], "750");
    assert_eq!(levels_and_values(&e), ZHANJIANG_2023);
    assert_eq!(e.document.placeholder_rows, 3, "成本指标, 生态效益指标, 可持续影响指标 with nothing beside them");
}

/// 武汉市人社局东湖新技术开发区分局 2020年项目申报表 (../shared/real/07), rows 36–52 as openpyxl
/// reads them (F44, F45, F52 are 1, 0.95, 0.95 formatted `0%`): 指标内容 for 三级指标, a 备注
/// column, compound values.
const DONGHU_2020: &[(&str, &str, &str, &str)] = &[
    ("产出指标", "数量指标", "城镇新增就业人数", "25000人"),
    ("产出指标", "数量指标", "失业人员及就业困难人员再就业人数", "1600人、200人"),
    ("产出指标", "数量指标", "扶持创业人数及带动就业人数", "1000人、3000人"),
    ("产出指标", "数量指标", "返乡创业人数及带动就业人数", "180人、650人"),
    ("产出指标", "数量指标", "就业技能及创业培训人数据", "900人、1500人"),
    ("产出指标", "数量指标", "五险净增人数", "约5.5万人次"),
    ("产出指标", "数量指标", "社会保障卡发卡量", "7万张"),
    ("产出指标", "数量指标", "劳动监察网格日常巡查", "不低于60户/人.月"),
    ("产出指标", "质量指标", "培训人员合格率", "100%"),
    ("产出指标", "时效指标", "仲裁案件法定期限结案率", "95%"),
    ("产出指标", "时效指标", "劳动监察配合处理举报投诉案件", "在规定时间结案率为95%"),
    // template row, no indicator (documents.placeholder_rows): ("产出指标", "成本指标", "", ""),
    // template row, no indicator (documents.placeholder_rows): ("效益指标", "经济效益指标", "", ""),
    ("效益指标", "社会效益指标", "提高全民参保覆盖面", "按时办结"),
    // template row, no indicator (documents.placeholder_rows): ("效益指标", "环境效益指标", "", ""),
    // template row, no indicator (documents.placeholder_rows): ("效益指标", "可持续影响指标", "", ""),
    ("效益指标", "社会公众或服务对象满意度指标", "做好服务工作，让服务对象满意", "95%"),
];

#[test]
fn real_project_application_workbook() {
    let Some(path) = common::real_file("07_") else { return };
    let e = extract("07.xlsx", &common::read(&path), Grammars::builtin());
    // Every cell placed; amounts have no declared unit, which a warning says.
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    let p = &e.projects[0];
    assert_eq!((p.form.as_deref(), p.record_kind), (Some("project-application"), "project"));
    assert_eq!((p.title.as_deref(), p.fiscal_year), (Some("2020年项目申报表"), Some(2020)));
    assert_eq!(p.project_name.as_deref(), Some("专项资金"));
    assert_eq!(p.unit_name.as_deref(), Some("武汉市人力资源和社会保障局东湖新技术开发区分局"));
    assert_eq!((p.origin.province.as_deref(), p.origin.prefecture.as_deref()), (Some("湖北省"), Some("武汉市")));
    // 项目当年预算 (F8) is the year's budget; 项目总预算 (C8) stays in extra_fields.
    assert_eq!(p.budget_total.map(f64::from), Some(6730.0));
    assert!(p.warnings.iter().any(|w| w == "amount unit not declared; 万元 assumed"));
    assert_eq!(p.goal.as_deref(), Some("完成2020年度市、区下达的各项目标任务"));
    let extra: serde_json::Value = serde_json::from_str(p.extra_fields.as_deref().unwrap()).unwrap();
    assert_eq!(extra["项目总预算"], "6730");
    assert_eq!(extra["项目负责人"], "吴卫东");
    let sources = extra["项目资金来源"].as_array().unwrap();
    assert_eq!(sources.len(), 14, "C11:G24");
    // F11:F32 are formatted 0.00 (openpyxl): the sheet shows 6730.00, 25.00.
    assert_eq!(sources[1], "资金来源项目：1.一般公共预算财政拨款收入；金额：6730.00");
    let spending = extra["项目支出预算及测算依据"].as_array().unwrap();
    assert_eq!(spending[6], "项目支出明细：6.普惠金融发展支出；金额：25.00");
    assert!(extra["测算依据及说明"].as_str().unwrap().starts_with("1、人力资源和社会保障管理事务874.18万元"));
    assert_eq!(levels_and_values(&e), DONGHU_2020);
    assert_eq!(
        e.document.placeholder_rows, 4,
        "成本指标, 经济效益指标, 环境效益指标, 可持续影响指标 with nothing beside them"
    );
    // 备注 is an unknown column: kept per row (empty here, so absent).
    assert!(e.indicators.iter().all(|i| i.extra_fields.is_none()));
    // The satisfaction indicator is published under 效益指标 (its merged cell runs to row 52):
    // kept, and warned.
    assert!(e.indicators[12].warnings.iter().any(|w| w.contains("does not belong")));
}
