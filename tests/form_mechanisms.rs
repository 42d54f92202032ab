//! The mechanisms the real forms of ../shared/real need, each on a small Word table built here
//! (cells merged across with gridSpan and down with vMerge, as Word writes them): a goal label
//! alone across its row with its text in the row below (Chongqing 当年整体绩效目标), a column
//! block label without sub-labels (当年绩效目标 | text), a group whose header is split on the row
//! below (Beijing 总体资金情况（万元）), and the guards that keep a misread table from `ok`: an
//! amount that is no number, a project name that is an amount.

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::{Extraction, Status};

/// A cell: its text, how many grid columns it spans, and its vertical merge (None: none,
/// Some(true): starts a merge, Some(false): continues the cell above).
type C = (&'static str, u32, Option<bool>);

fn cell(text: &'static str) -> C {
    (text, 1, None)
}

fn wide(text: &'static str, span: u32) -> C {
    (text, span, None)
}

/// An indicator grid of four columns and one row, after the rows given.
fn with_grid(mut rows: Vec<Vec<C>>) -> Vec<Vec<C>> {
    rows.push(vec![cell("一级指标"), cell("二级指标"), cell("三级指标"), cell("指标值")]);
    rows.push(vec![cell("产出指标"), cell("数量指标"), cell("办理案件数"), cell("≥100件")]);
    rows
}

fn run(title: &str, rows: &[Vec<C>]) -> Extraction {
    extract("form.docx", &common::docx_table(title, rows), Grammars::builtin())
}

#[test]
fn a_goal_label_alone_across_its_row_takes_the_text_below() {
    let e = run(
        "2026年部门整体绩效目标表",
        &with_grid(vec![
            vec![cell("部门名称"), wide("某某市水利局", 3)],
            vec![wide("当年整体绩效目标", 4)],
            vec![wide("完善全市水网建设布局，续建大中型水库27个。", 4)],
        ]),
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.projects.len(), 1);
    assert_eq!(e.projects[0].goal.as_deref(), Some("完善全市水网建设布局，续建大中型水库27个。"));
    assert_eq!(e.indicators.len(), 1);
}

#[test]
fn a_column_block_label_without_sub_labels_is_a_goal() {
    let e = run(
        "2026年市级重点专项资金绩效目标表",
        &with_grid(vec![
            vec![cell("项目名称"), wide("水库移民后期扶持", 3)],
            vec![cell("当年绩效目标"), wide("支持实施项目数量不少于86个。", 3)],
        ]),
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.projects[0].goal.as_deref(), Some("支持实施项目数量不少于86个。"));
}

#[test]
fn a_group_header_split_on_the_row_below_names_its_amounts() {
    let e = run(
        "预算13表 部门整体支出绩效目标表",
        &with_grid(vec![
            vec![cell("部门名称"), wide("北京市某某局", 6)],
            vec![
                ("总体资金情况（万元）", 1, Some(true)),
                ("预算支出总额", 1, Some(true)),
                wide("财政拨款", 3),
                wide("其他资金", 2),
            ],
            vec![
                ("", 1, Some(false)),
                ("", 1, Some(false)),
                cell("合计"),
                cell("基本支出"),
                cell("项目支出"),
                cell("合计"),
                cell("项目支出"),
            ],
            vec![
                ("", 1, Some(false)),
                cell("100.50"),
                cell("90.50"),
                cell("40.00"),
                cell("50.50"),
                cell("10.00"),
                cell("10.00"),
            ],
        ]),
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    let p = &e.projects[0];
    assert_eq!(p.budget_total_raw.as_deref(), Some("100.50"));
    assert_eq!(p.budget_fiscal_raw.as_deref(), Some("90.50"));
    assert_eq!(p.budget_other_raw.as_deref(), Some("10.00"));
    assert_eq!(p.amount_unit_raw.as_deref(), Some("万元"));
    let extra = p.extra_fields.as_deref().unwrap_or_default();
    assert!(extra.contains("财政拨款/基本支出：40.00"), "{extra}");
    assert!(extra.contains("其他资金/项目支出：10.00"), "{extra}");
}

#[test]
fn an_amount_that_is_no_number_keeps_the_document_from_ok() {
    let e = run(
        "某某项目绩效目标表",
        &with_grid(vec![vec![cell("项目名称"), cell("办案业务费"), cell("预算数"), cell("经济成本指标")]]),
    );
    assert_eq!(e.document.status, Status::Partial);
    let reason = e.document.reason.as_deref().unwrap_or_default();
    assert!(reason.contains("no number") && reason.contains("经济成本指标"), "{reason}");
}

#[test]
fn a_project_name_that_is_an_amount_keeps_the_document_from_ok() {
    let e = run(
        "某某项目绩效目标表",
        &with_grid(vec![vec![cell("项目名称"), cell("1,582.550000"), cell("预算数"), cell("1,582.550000")]]),
    );
    assert_eq!(e.document.status, Status::Partial);
    assert!(e.projects[0].warnings.iter().any(|w| w.contains("is an amount")), "{:?}", e.projects[0].warnings);
}

#[test]
fn a_group_label_drawn_again_beside_a_line_continues_the_group() {
    // As on Guangzhou's second page: the group's label again, beside the next line of its table.
    let e = run(
        "2026年部门整体绩效目标申报表",
        &with_grid(vec![
            vec![cell("部门名称"), wide("广州市某某局", 3)],
            vec![
                ("年度重点工作任务", 1, Some(true)),
                cell("名称"),
                cell("拟投入的资金（万元）"),
                cell("期望达到的目标"),
            ],
            vec![("", 1, Some(false)), cell("数字政府建设"), cell("164.85"), cell("建成平台")],
            vec![cell("年度重点工作任务"), cell("热线服务"), cell("12,000.00"), cell("提升效能")],
        ]),
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    let extra: serde_json::Value = serde_json::from_str(e.projects[0].extra_fields.as_deref().unwrap()).unwrap();
    assert_eq!(
        extra["年度重点工作任务"],
        serde_json::json!([
            "名称：数字政府建设；拟投入的资金（万元）：164.85；期望达到的目标：建成平台",
            "名称：热线服务；拟投入的资金（万元）：12,000.00；期望达到的目标：提升效能"
        ])
    );
}

#[test]
fn a_blank_grid_row_under_merged_level_cells_is_a_placeholder_row() {
    let e = run(
        "某某项目绩效目标表",
        &[
            vec![cell("项目名称"), cell("办案业务费"), cell("预算数"), cell("10.00")],
            vec![cell("一级指标"), cell("二级指标"), cell("三级指标"), cell("指标值")],
            vec![("产出指标", 1, Some(true)), ("数量指标", 1, Some(true)), cell("办理案件数"), cell("≥100件")],
            vec![("", 1, Some(false)), ("", 1, Some(false)), cell(""), cell("")],
            vec![("", 1, Some(false)), cell("质量指标"), cell(""), cell("")],
            vec![("", 1, Some(false)), ("", 1, Some(false)), cell(""), cell("")],
        ],
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.indicators.len(), 1);
    // The blank slot under 数量指标, and 质量指标 named alone; the blank row under it is the
    // same slot as the row naming it.
    assert_eq!(e.document.placeholder_rows, 2);
}

#[test]
fn a_header_of_three_rows_names_the_columns_under_it() {
    // Changsha's 部门整体支出绩效目标表: 年度预算申请 over 资金总额 | 按收入性质分, the latter over
    // 一般公共预算 | 其他资金; 单位编码, 单位名称 and 整体绩效目标 merged down all three rows.
    let down = |text: &'static str| (text, 1, Some(true));
    let under = ("", 1, Some(false));
    let e = run(
        "2026年部门整体支出绩效目标表",
        &[
            vec![
                down("单位编码"),
                down("单位名称"),
                wide("年度预算申请", 3),
                down("整体绩效目标"),
                ("部门整体支出年度绩效目标", 5, Some(true)),
            ],
            vec![under, under, down("资金总额"), wide("按收入性质分", 2), under, ("", 5, Some(false))],
            vec![
                under,
                under,
                under,
                cell("一般公共预算"),
                cell("其他资金"),
                under,
                cell("一级指标"),
                cell("二级指标"),
                cell("三级指标"),
                cell("指标值类型"),
                cell("指标值"),
            ],
            vec![
                down("201056"),
                down("某某基地办公室"),
                down("656.73"),
                down("656.73"),
                down(""),
                down("保障基地正常运转"),
                cell("成本指标"),
                cell("经济成本指标"),
                cell("项目支出"),
                cell("≤"),
                cell("270"),
            ],
            vec![
                under,
                under,
                under,
                under,
                under,
                under,
                cell("产出指标"),
                cell("数量指标"),
                cell("场馆使用次数"),
                cell("≥"),
                cell("160"),
            ],
        ],
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.projects.len(), 1);
    let p = &e.projects[0];
    assert_eq!(p.record_kind, "department");
    assert_eq!(p.budget_total_raw.as_deref(), Some("656.73"));
    assert_eq!(p.budget_fiscal_raw.as_deref(), Some("656.73"));
    assert_eq!(p.goal.as_deref(), Some("保障基地正常运转"));
    let ops: Vec<_> = e.indicators.iter().map(|i| i.value_op_raw.as_deref()).collect();
    assert_eq!(ops, vec![Some("≤"), Some("≥")], "指标值类型 holds the comparator");
    assert_eq!(e.indicators[1].level3.as_deref(), Some("场馆使用次数"));
}

#[test]
fn a_transfer_payments_table_is_a_record_of_its_own_kind() {
    // A document may mix kinds: each table is read as its own (转移支付 beside 项目支出).
    let e = run(
        "2026年对下转移支付绩效目标表",
        &with_grid(vec![
            vec![cell("转移支付名称"), wide("农村公路养护补助资金", 3)],
            vec![cell("资金总额"), wide("1,200.00", 3)],
            vec![cell("年度绩效目标"), wide("完成农村公路养护里程3000公里。", 3)],
        ]),
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.projects.len(), 1);
    let p = &e.projects[0];
    assert_eq!(p.record_kind, "transfer");
    assert_eq!(p.project_name.as_deref(), Some("农村公路养护补助资金"));
    assert_eq!(p.budget_total_raw.as_deref(), Some("1,200.00"));
    assert_eq!(e.document.forms, ["transfer-targets@2"]);
    assert_eq!(e.indicators[0].record_kind, "transfer");
}

const PACKED: &str = "1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。\
                      2、1-产出指标；12-质量指标；会议材料准确率；年度指标值:100%。\
                      3、2-效益指标；22-社会效益指标；保障会议顺利召开；年度指标值:有效保障。";

/// The three indicators of [`PACKED`]: (level 1, level 2, level 3, value, 实施周期指标值).
fn packed_rows(e: &Extraction) -> Vec<(String, String, String, String, Option<String>)> {
    e.indicators
        .iter()
        .map(|i| {
            let extra: Option<serde_json::Value> = i.extra_fields.as_deref().map(|x| serde_json::from_str(x).unwrap());
            (
                i.level1.clone().unwrap_or_default(),
                i.level2.clone().unwrap_or_default(),
                i.level3.clone().unwrap_or_default(),
                i.value_raw.clone().unwrap_or_default(),
                extra.and_then(|x| x["实施周期指标值"].as_str().map(str::to_string)),
            )
        })
        .collect()
}

fn packed_want() -> Vec<(String, String, String, String, Option<String>)> {
    let row = |l1: &str, l2: &str, l3: &str, v: &str, period: Option<&str>| {
        (l1.to_string(), l2.to_string(), l3.to_string(), v.to_string(), period.map(str::to_string))
    };
    vec![
        row("产出指标", "数量指标", "会议活动保障次数", "每年≥20场", Some("每年≥20场")),
        row("产出指标", "质量指标", "会议材料准确率", "100%", None),
        row("效益指标", "社会效益指标", "保障会议顺利召开", "有效保障", None),
    ]
}

#[test]
fn indicators_packed_in_a_listing_cell_are_read_one_by_one() {
    let e = run(
        "2026年项目支出绩效目标表",
        &[
            vec![cell("项目名称"), cell("项目金额"), cell("绩效目标"), cell("绩效指标")],
            vec![cell("会议保障经费"), cell("35.00"), cell("保障全年会议顺利召开。"), cell(PACKED)],
            vec![
                cell("信息化运维经费"),
                cell("12.00"),
                cell("系统稳定运行。"),
                cell("1、1-产出指标；13-时效指标；故障响应时间；年度指标值:≤2小时。"),
            ],
        ],
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.projects.len(), 2);
    assert_eq!(e.projects[0].project_name.as_deref(), Some("会议保障经费"));
    assert_eq!(e.projects[0].goal.as_deref(), Some("保障全年会议顺利召开。"));
    assert_eq!(e.indicators.len(), 4);
    let mut first = e.clone();
    first.indicators.truncate(3);
    assert_eq!(packed_rows(&first), packed_want());
    assert_eq!(e.indicators[3].level3.as_deref(), Some("故障响应时间"));
    assert_eq!(e.indicators[3].value_raw.as_deref(), Some("≤2小时"));
}

#[test]
fn indicators_packed_beside_their_label_in_a_form_are_read_one_by_one() {
    let e = run(
        "会议保障经费项目绩效目标表",
        &[
            vec![cell("项目名称"), cell("会议保障经费")],
            vec![cell("预算数"), cell("35.00")],
            vec![cell("绩效目标"), cell("保障全年会议顺利召开。")],
            vec![cell("绩效指标"), cell(PACKED)],
        ],
    );
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);
    assert_eq!(e.projects.len(), 1);
    assert_eq!(packed_rows(&e), packed_want());
}
